use daw::repo::merge::{Conflict, Resolution};

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
///
/// A Live set changed on both sides is merged inside, and only the elements both sides changed
/// wait for a choice (`daw status` numbers them: "1. Tempo: 120 on main, 128 on laptop"). For such
/// a set, --ours and --theirs choose that side for every such element and keep everything else
/// both sides changed; --element N (its number, or its name such as "Tempo") chooses for one
/// element, and can be repeated. --whole chooses whole files instead, as for any other file
/// (--both always does).
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

    /// In a Live set merged inside: choose for this element only (its number or name)
    #[arg(long = "element", short = 'e', value_name = "ELEMENT", conflicts_with_all = ["both", "whole"])]
    pub elements: Vec<String>,

    /// In a Live set merged inside: take the whole file of the side chosen instead
    #[arg(long)]
    pub whole: bool,
}

/// What a resolution keeps, in words.
fn kept(conflict: &Conflict, choice: Resolution, elements: &[String]) -> String {
    if let Some(set) = conflict.set.as_ref().filter(|s| !s.whole) {
        let side = match choice {
            Resolution::Theirs => "the other side's",
            _ => "this branch's",
        };
        let open = set.unresolved();
        let rest = if open == 0 {
            String::new()
        } else {
            format!(
                "; {open} element{} still to choose",
                if open == 1 { "" } else { "s" }
            )
        };
        let named: Vec<String> = elements
            .iter()
            .map(|e| {
                let found = match e.trim().parse::<usize>() {
                    Ok(n) => n.checked_sub(1).and_then(|i| set.elements.get(i)),
                    Err(_) => set
                        .elements
                        .iter()
                        .find(|x| x.key == *e || x.name.eq_ignore_ascii_case(e.trim())),
                };
                found.map_or_else(|| e.clone(), |x| x.name.clone())
            })
            .collect();
        return if named.is_empty() {
            format!(
                "{side} version of every element both sides changed, and the rest of the merged set{rest}"
            )
        } else {
            format!("{side} version of {}{rest}", named.join(", "))
        };
    }
    match choice {
        Resolution::Ours => "this branch's version".to_string(),
        Resolution::Theirs => "the other side's version".to_string(),
        Resolution::Both | Resolution::ByElement => match &conflict.theirs_file {
            Some(m) => format!("both files ('{m}' too)"),
            None => "the version that was kept".to_string(),
        },
    }
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
        let (conflict, files) = repo.resolve_conflict(&rel, choice, &args.elements, args.whole)?;
        print_files(ctx, &files)?;
        let verb = if conflict.resolution.is_some() {
            "Resolved"
        } else {
            "Chose in"
        };
        ctx.say(format_args!(
            "{verb} {}: keeping {}.",
            conflict.path,
            kept(&conflict, choice, &args.elements)
        ))?;
    }
    Ok(())
}
