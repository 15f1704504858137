use crate::cli::commands::oplog::ref_changes;
use crate::cli::commands::switch::{clobber_hint, file_counts, print_files};
use crate::cli::{CommandError, Context, ui};

/// Undo the last operation (run it again to redo)
///
/// Puts branches, tags and HEAD back as they were before the last entry of `daw oplog`, and, if that
/// command rewrote files (switch, restore, reset --hard), puts those files back too (refusing, like
/// switch, to overwrite changes made since, unless --discard-changes). Undoing a commit moves the
/// branch back and leaves your files alone: the changes are uncommitted again. The undo is itself
/// logged, so undoing it redoes.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Overwrite uncommitted changes made since (saved first)
    #[arg(long)]
    pub discard_changes: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let mut progress = ui::Progress::new(ctx.quiet);
    let report = repo.undo(args.discard_changes, &mut progress);
    progress.finish();
    let report = report.map_err(|e| clobber_hint(e, "--discard-changes"))?;
    let verb = if report.redo { "Redid" } else { "Undid" };
    let described = &report.undone.description;
    let what = described
        .strip_prefix("undo: ")
        .or_else(|| described.strip_prefix("redo: "))
        .unwrap_or(described);
    ctx.say(format_args!(
        "{verb}: {what}  ({})",
        report.undone.meta.command
    ))?;
    for line in ref_changes(Some(&report.refs_before), &report.refs_after) {
        ctx.say(format_args!("    {line}"))?;
    }
    if let Some(files) = &report.files {
        print_files(ctx, files)?;
        let counts = file_counts(files);
        if !counts.is_empty() {
            ctx.say(format_args!("    files: {counts}"))?;
        }
    }
    if report.undone.work_tree.is_none() && report.undone.description.starts_with("commit ") {
        ctx.say(format_args!(
            "    your files are unchanged: what that commit recorded is uncommitted again"
        ))?;
    }
    Ok(())
}
