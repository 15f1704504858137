use daw::object::ObjectId;
use daw::repo::ops::Head;
use daw::repo::switch::{MoveReport, SwitchTarget, UpdateReport};
use daw::repo::{RepoError, Repository};

use crate::cli::commands::branch::shell_word;
use crate::cli::ui::{self, Color};
use crate::cli::{CommandError, Context};

/// Switch to a branch, updating the project's files
///
/// Only files that differ between the two commits are written or removed; uncommitted changes to
/// other files stay as they are, and so do ignored files and files never committed. If a file that
/// must change holds uncommitted changes, daw refuses and names it: commit first, or pass
/// --discard-changes (the discarded changes are saved in the repository, and `daw undo` brings them
/// back).
///
/// `daw switch -c NEW [REV]` creates a branch at REV (default HEAD) and switches to it;
/// `daw switch --detach REV` goes to any commit without a branch (new commits there belong to no
/// branch until you make one).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The branch to switch to (with -c: where the new branch starts; with --detach: any revision)
    pub target: Option<String>,

    /// Create a new branch and switch to it
    #[arg(
        short = 'c',
        long = "create",
        value_name = "NEW",
        conflicts_with = "detach"
    )]
    pub create: Option<String>,

    /// Go to a commit on no branch (detached HEAD)
    #[arg(long, requires = "target")]
    pub detach: bool,

    /// Overwrite uncommitted changes (they are saved first: `daw undo` brings them back)
    #[arg(long)]
    pub discard_changes: bool,
}

/// The hint for a refusal to overwrite uncommitted changes.
pub fn clobber_hint(e: RepoError, flag: &str) -> CommandError {
    match e {
        RepoError::WouldOverwrite { .. } => CommandError::from(e)
            .hint("commit them first (`daw commit -m MESSAGE`)")
            .hint(format!(
                "or run again with {flag}: they are saved in the repository, and `daw undo` brings them back"
            )),
        e => e.into(),
    }
}

/// Prints which files an update wrote and removed (all with -v, counts otherwise).
pub fn print_files(ctx: &Context, files: &UpdateReport) -> Result<(), CommandError> {
    if ctx.verbose {
        for p in &files.written {
            ctx.say(format_args!("  {} {p}", ctx.paint(Color::Green, "wrote  ")))?;
        }
        for p in &files.removed {
            ctx.say(format_args!("  {} {p}", ctx.paint(Color::Red, "removed")))?;
        }
    }
    if !files.discarded.is_empty() {
        ui::warn(&format!(
            "discarded uncommitted changes to {} ({}); they are saved: `daw undo` brings them back",
            plural(files.discarded.len(), "file"),
            files.discarded.join(", ")
        ));
    }
    Ok(())
}

pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `3 files written, 1 removed` (empty when nothing changed).
pub fn file_counts(files: &UpdateReport) -> String {
    let mut parts = Vec::new();
    if !files.written.is_empty() {
        parts.push(format!("{} written", plural(files.written.len(), "file")));
    }
    if !files.removed.is_empty() {
        parts.push(format!("{} removed", plural(files.removed.len(), "file")));
    }
    parts.join(", ")
}

/// Warns about commits that nothing holds any more.
pub fn warn_left_behind(repo: &Repository, left: &[ObjectId]) -> Result<(), CommandError> {
    let Some(first) = left.first() else {
        return Ok(());
    };
    let subject = repo
        .read_commit(first)?
        .message
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    ui::warn(&format!(
        "leaving {} that no branch or tag holds, the newest {} \"{subject}\"; keep {} with `daw branch NAME {}` (or `daw undo`)",
        plural(left.len(), "commit"),
        first.short(12),
        if left.len() == 1 { "it" } else { "them" },
        first.short(12)
    ));
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let target = match (&args.create, args.detach) {
        (Some(name), _) => SwitchTarget::Create {
            name: name.clone(),
            at: match &args.target {
                Some(rev) => Some(repo.resolve(rev)?),
                None => None,
            },
        },
        (None, true) => {
            let rev = args.target.as_deref().expect("clap requires it");
            SwitchTarget::Detach(repo.resolve(rev)?)
        }
        (None, false) => {
            let Some(name) = args.target.clone() else {
                return Err(CommandError::user("which branch? `daw switch BRANCH`")
                    .hint("`daw branch` lists them; `daw switch -c NEW` creates one"));
            };
            SwitchTarget::Branch(name)
        }
    };
    let mut progress = ui::Progress::new(ctx.quiet);
    let report = repo.switch(target.clone(), args.discard_changes, &mut progress);
    progress.finish();
    let report = report.map_err(|e| match e {
        RepoError::Refused(msg) if msg.starts_with("no branch named") => {
            let name = args.target.as_deref().unwrap_or("");
            CommandError::user(msg)
                .hint(format!(
                    "create it with `daw switch -c {}`",
                    shell_word(name)
                ))
                .hint(format!(
                    "or look at a commit with `daw switch --detach {}`",
                    shell_word(name)
                ))
        }
        e => clobber_hint(e, "--discard-changes"),
    })?;
    let created = matches!(target, SwitchTarget::Create { .. });
    print_move(ctx, &repo, &report, created)
}

/// Reports where a switch went.
fn print_move(
    ctx: &Context,
    repo: &Repository,
    report: &MoveReport,
    created: bool,
) -> Result<(), CommandError> {
    print_files(ctx, &report.files)?;
    let counts = file_counts(&report.files);
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!(" ({counts})")
    };
    match &report.new_head {
        Head::Branch(b) if !report.recorded && report.old_head == report.new_head => {
            ctx.say(format_args!("Already on '{b}'{counts}."))?;
        }
        Head::Branch(b) if report.new_commit.is_none() => {
            ctx.say(format_args!(
                "Switched to a new branch '{b}' (no commits yet){counts}."
            ))?;
        }
        Head::Branch(b) if created => {
            ctx.say(format_args!("Switched to a new branch '{b}'{counts}."))?;
        }
        Head::Branch(b) => {
            ctx.say(format_args!("Switched to branch '{b}'{counts}."))?;
        }
        Head::Detached(id) => {
            let subject = repo
                .read_commit(id)?
                .message
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            ctx.say(format_args!(
                "HEAD is now at {} {subject}{counts}.",
                id.short(12)
            ))?;
            ui::warn(
                "HEAD is detached (on no branch): commits made now belong to no branch; `daw switch -c NAME` starts one here",
            );
        }
    }
    warn_left_behind(repo, &report.left_behind)
}
