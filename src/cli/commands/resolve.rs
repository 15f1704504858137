use daw::repo::merge::Resolution;

use crate::cli::commands::commit::relative_to_work_tree;
use crate::cli::commands::switch::print_files;
use crate::cli::{CommandError, Context};
use daw::worktree::paths::display_path;

/// Choose which version of a conflicted file a merge keeps
///
/// --ours keeps this branch's version (or its deletion), --theirs the other side's, --both keeps
/// both files: this branch's at the path and the other side's under its marked name
/// (`vox (from laptop).wav`). The files are rewritten at once; run it again to change your mind.
/// `daw status` lists the conflicts; `daw merge --continue` makes the merge commit once all are
/// resolved.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("side").required(true).args(["ours", "theirs", "both"])))]
pub struct Args {
    /// The conflicted files
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,

    /// Keep this branch's version
    #[arg(long)]
    pub ours: bool,

    /// Keep the other side's version
    #[arg(long)]
    pub theirs: bool,

    /// Keep both files
    #[arg(long)]
    pub both: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let choice = if args.ours {
        Resolution::Ours
    } else if args.theirs {
        Resolution::Theirs
    } else {
        Resolution::Both
    };
    for p in &args.paths {
        let rel = display_path(&relative_to_work_tree(ctx, repo.work_tree(), p)?);
        let (conflict, files) = repo.resolve_conflict(&rel, choice)?;
        print_files(ctx, &files)?;
        let what = match choice {
            Resolution::Ours => "this branch's version".to_string(),
            Resolution::Theirs => "the other side's version".to_string(),
            Resolution::Both => match &conflict.theirs_file {
                Some(m) => format!("both files ('{m}' too)"),
                None => "the version that was kept".to_string(),
            },
        };
        ctx.say(format_args!("Resolved {}: keeping {what}.", conflict.path))?;
    }
    Ok(())
}
