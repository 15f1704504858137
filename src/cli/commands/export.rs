use std::path::PathBuf;

use crate::cli::ui::{self, human_bytes};
use crate::cli::{CommandError, Context};

/// Write the project as it was at a commit into a new folder
///
/// To open an old version beside the current one. Every file is checked against the hash recorded at
/// commit time: the copy is byte-exact, or the export fails loudly. File modes, symlinks and
/// modification times are restored.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The commit: HEAD, a branch, a tag, a commit id prefix, REV~N, REV^
    pub rev: String,
    /// The folder to create (must be missing or empty)
    pub dir: PathBuf,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    let id = repo.resolve(&args.rev)?;
    let dest = ctx.cwd.join(&args.dir);
    let mut progress = ui::Progress::new(ctx.quiet);
    let report = repo.export(&id, &dest, &mut progress);
    progress.finish();
    let report = report?;
    ctx.say(format_args!(
        "Exported {} ({} files, {}) to {}",
        id.short(12),
        report.files,
        human_bytes(report.bytes),
        dest.display()
    ))?;
    Ok(())
}
