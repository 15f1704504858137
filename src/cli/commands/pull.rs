use daw::repo::sync::PullOutcome;

use crate::cli::commands::fetch::print_fetch;
use crate::cli::commands::sync::{bar, open_remote, pick_remote, remote_failure};
use crate::cli::remote_env::CheckoutBar;
use crate::cli::{CommandError, Context};

/// Fetch from a remote and bring the current branch up to it
///
/// When the remote's branch has everything this one has and more, the branch and the project's files
/// move to it (uncommitted changes in the way are refused, as by switch). When both sides have
/// commits of their own, nothing moves and both are named, unless --merge: then the remote's branch
/// is merged into this one as by `daw merge origin/BRANCH` (a merge commit, or conflicts to resolve).
/// Without --merge, keep one side with `daw reset --hard origin/BRANCH` or `daw push --force`, or
/// keep both on two branches.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The remote (default: origin, or the only one)
    pub remote: Option<String>,
    /// The remote's branch to bring in (default: the one named like the current branch)
    pub branch: Option<String>,
    /// On diverged histories, merge the remote's branch into this one (see `daw merge`)
    #[arg(long)]
    pub merge: bool,
    /// With --merge: the merge commit's message
    #[arg(short, long, requires = "merge")]
    pub message: Option<String>,
    /// Print the outcome as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let name = pick_remote(&repo, args.remote.as_deref())?;
    let (backend, url) = open_remote(&repo, &name)?;
    let bar = bar(ctx, args.json);
    let progress = daw::remote::Progress {
        start: &|b, o| bar.start(b, o),
        step: &|b| bar.step(b),
    };
    let mut files = CheckoutBar::new(&bar, ctx.quiet, args.json);
    let result = repo.pull(
        &name,
        &backend,
        args.branch.as_deref(),
        &progress,
        &mut files,
    );
    files.finish();
    bar.finish();
    let (fetched, outcome) = result.map_err(|e| remote_failure(e, &url))?;
    if args.merge
        && let PullOutcome::Diverged { branch, theirs, .. } = &outcome
        && let [theirs] = theirs.as_slice()
    {
        if !args.json {
            print_fetch(ctx, &name, &fetched, false)?;
        }
        let opts = daw::repo::merge::MergeOptions {
            message: args.message,
            author: crate::cli::commands::merge::author_now(&repo),
        };
        let label = format!("{name}/{branch}");
        return crate::cli::commands::merge::merge_and_report(
            ctx, &mut repo, *theirs, &label, &opts, args.json,
        );
    }
    if args.json {
        let v = match &outcome {
            PullOutcome::UpToDate => serde_json::json!({"outcome": "up-to-date"}),
            PullOutcome::FastForward(r) => serde_json::json!({
                "outcome": "fast-forward",
                "from": r.old_commit.map(|c| c.to_hex()),
                "to": r.new_commit.map(|c| c.to_hex()),
                "files_written": r.files.written.len(),
                "files_removed": r.files.removed.len(),
            }),
            PullOutcome::Diverged {
                branch,
                ours,
                theirs,
            } => serde_json::json!({
                "outcome": "diverged",
                "branch": branch,
                "ours": ours.to_hex(),
                "theirs": theirs.iter().map(|t| t.to_hex()).collect::<Vec<_>>(),
            }),
        };
        println!("{v}");
    } else {
        print_fetch(ctx, &name, &fetched, false)?;
        match &outcome {
            PullOutcome::UpToDate => ctx.say(format_args!("Already up to date."))?,
            PullOutcome::FastForward(r) => ctx.say(format_args!(
                "Fast-forward {} → {}: {} file(s) written, {} removed.",
                r.old_commit
                    .map(|c| c.short(12))
                    .unwrap_or_else(|| "nothing".into()),
                r.new_commit.map(|c| c.short(12)).unwrap_or_default(),
                r.files.written.len(),
                r.files.removed.len()
            ))?,
            PullOutcome::Diverged { .. } => {}
        }
    }
    if let PullOutcome::Diverged {
        branch,
        ours,
        theirs,
    } = outcome
    {
        let list: Vec<String> = theirs.iter().map(|t| t.short(12)).collect();
        return Err(CommandError::user(format!(
            "'{branch}' has diverged: here it is at {}, on '{name}' at {}; each side has commits the other lacks",
            ours.short(12),
            list.join(" and ")
        ))
        .hint(if theirs.len() == 1 {
            format!("merge them: `daw pull --merge` (or `daw merge {name}/{branch}`)")
        } else {
            format!("the remote itself holds {} versions of '{branch}': merge one with `daw merge ID`", theirs.len())
        })
        .hint(format!(
            "keep both: `daw branch mine` then `daw reset --hard {name}/{branch}`; or keep yours: `daw push --force`"
        )));
    }
    Ok(())
}
