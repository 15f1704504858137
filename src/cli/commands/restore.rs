use std::path::PathBuf;

use crate::cli::commands::commit::relative_to_work_tree;
use crate::cli::commands::switch::{clobber_hint, file_counts, print_files};
use crate::cli::{CommandError, Context, ui};

/// Bring files back to how they were in a commit
///
/// Writes the chosen files (or everything under the chosen folders) as they are in --source (default
/// HEAD), and removes those the source does not have; nothing else is touched. Refuses to overwrite
/// uncommitted changes unless --force (they are saved first, and `daw undo` brings them back).
/// Branches do not move: to take the whole project back, see `daw switch` and `daw reset`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to restore
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The commit to take them from (default HEAD)
    #[arg(short, long, value_name = "REV")]
    pub source: Option<String>,

    /// Overwrite uncommitted changes (saved first: `daw undo` brings them back)
    #[arg(short, long)]
    pub force: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let source = match &args.source {
        Some(r) => Some(repo.resolve(r)?),
        None => None,
    };
    let work_tree = repo.work_tree().to_path_buf();
    let paths = args
        .paths
        .iter()
        .map(|p| relative_to_work_tree(ctx, &work_tree, p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut progress = ui::Progress::new(ctx.quiet);
    let report = repo.restore(&paths, source, args.force, &mut progress);
    progress.finish();
    let report = report.map_err(|e| clobber_hint(e, "--force"))?;
    let from = match source {
        Some(s) => s.short(12),
        None => "HEAD".to_string(),
    };
    print_files(ctx, &report)?;
    if report.is_empty() {
        ctx.say(format_args!("Already as in {from}; nothing to restore."))?;
    } else {
        ctx.say(format_args!(
            "Restored from {from}: {}.",
            file_counts(&report)
        ))?;
    }
    Ok(())
}
