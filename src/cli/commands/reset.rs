use daw::repo::ops::Head;

use crate::cli::commands::switch::{clobber_hint, file_counts, print_files, warn_left_behind};
use crate::cli::{CommandError, Context, ui};

/// Move the current branch to another commit
///
/// The branch (or a detached HEAD) points at REV afterwards; the files stay as they are, so what
/// differs shows up as uncommitted changes. With --hard, the files are made exactly as in REV too:
/// refused if that would overwrite uncommitted changes, unless --discard-changes (they are saved
/// first). Commits left behind stay in the repository: `daw undo` goes back.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The commit to move to
    pub rev: String,

    /// Make the files match REV too
    #[arg(long)]
    pub hard: bool,

    /// With --hard: overwrite uncommitted changes (saved first: `daw undo` brings them back)
    #[arg(long, requires = "hard")]
    pub discard_changes: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let target = repo.resolve(&args.rev)?;
    let mut progress = ui::Progress::new(ctx.quiet);
    let report = repo.reset(target, args.hard, args.discard_changes, &mut progress);
    progress.finish();
    let report = report.map_err(|e| clobber_hint(e, "--discard-changes"))?;
    print_files(ctx, &report.files)?;
    let subject = repo
        .read_commit(&target)?
        .message
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let place = match &report.new_head {
        Head::Branch(b) => format!("'{b}'"),
        Head::Detached(_) => "HEAD".to_string(),
    };
    let counts = file_counts(&report.files);
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!(" ({counts})")
    };
    ctx.say(format_args!(
        "{place} is now at {} {subject}{counts}.",
        target.short(12)
    ))?;
    warn_left_behind(&repo, &report.left_behind)
}
