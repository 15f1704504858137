use std::io::Write;

use daw::formats::als_merge::Side;
use daw::repo::merge::{Conflict, MergeOptions, MergeOutcome};
use daw::repo::{RepoError, Repository};

use crate::cli::commands::switch::{file_counts, print_files};
use crate::cli::{CommandError, Context, identity, now};

/// Bring another branch's work into the current branch
///
/// Finds the commit both lines of work started from (the merge base) and takes, file by file, what
/// each side changed: a file changed on one side only gets that side's version, the same change on
/// both is kept once. When this branch has nothing of its own, it simply moves forward to REV
/// (fast-forward). Otherwise the result is a merge commit with two parents.
///
/// A file changed differently on both sides (or added on both, or deleted on one and changed on the
/// other) is a conflict: nothing is lost, this branch's version stays at its path and the other
/// side's is put beside it under a marked name (`vox (from laptop).wav`). The merge then waits:
/// choose with `daw resolve PATH --ours|--theirs|--both`, then `daw merge --continue`; or go back
/// to exactly where you were with `daw merge --abort`. `daw status` lists what is unresolved.
///
/// A Live set changed on both sides is merged inside, track by track: tracks added or removed,
/// devices and parameters, clips, names, tempo and locators that one side changed are all kept.
/// Only an element both sides changed waits for a choice, listed in musical terms ("Tempo: 120 on
/// main, 128 on laptop"); meanwhile the set holds this branch's version of each such element and
/// the other side's whole set is beside it. Choose per element or for the whole set with `daw
/// resolve`. When daw cannot show that the merged set opens in Live (sets saved by different Live
/// versions, references it cannot keep valid), the set is a whole-file conflict and daw says why.
///
/// Refused if a file the merge must change holds uncommitted changes (commit them first). `daw undo`
/// takes a merge back.
///
/// --json prints one object: `outcome` (up-to-date, fast-forward, merged, conflicts, continued,
/// aborted), `commit`, `ours`, `theirs`, `base`, `conflicts` (path, kind, theirs_file, resolution,
/// set: the elements both sides changed (key, name, detail, resolution) or null,
/// whole_file_reason), `sets_merged` (the sets merged inside without a conflict) and the counts of
/// files written and removed.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The branch or commit to merge (`laptop`, `origin/main`, an id)
    #[arg(required_unless_present_any = ["continue_", "abort"])]
    pub rev: Option<String>,

    /// The merge commit's message (default: "Merge 'REV' into BRANCH")
    #[arg(short, long, conflicts_with = "abort")]
    pub message: Option<String>,

    /// Make the merge commit once every conflict is resolved
    #[arg(long = "continue", conflicts_with_all = ["rev", "abort"])]
    pub continue_: bool,

    /// Give up the merge in progress: every file back as before it
    #[arg(long, conflicts_with = "rev")]
    pub abort: bool,

    /// Print the outcome as JSON (see above)
    #[arg(long)]
    pub json: bool,
}

/// How the other side's files are marked: the name the user gave when it is a ref, else a short id.
fn label_for(
    repo: &Repository,
    rev: &str,
    id: &daw::object::ObjectId,
) -> Result<String, RepoError> {
    let refs = repo.refs()?;
    let named = refs.branches.contains_key(rev)
        || refs.tags.contains_key(rev)
        || rev
            .split_once('/')
            .is_some_and(|(r, b)| refs.remotes.get(r).is_some_and(|m| m.contains_key(b)));
    Ok(if named { rev.to_string() } else { id.short(8) })
}

fn conflicts_json(conflicts: &[Conflict]) -> serde_json::Value {
    serde_json::to_value(conflicts).unwrap_or_default()
}

fn print_json(v: serde_json::Value) -> Result<(), CommandError> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The lines that tell a user what to do with conflicts.
pub fn print_conflicts(ctx: &Context, conflicts: &[Conflict]) -> Result<(), CommandError> {
    for line in conflict_lines(conflicts) {
        ctx.say(format_args!("{line}"))?;
    }
    Ok(())
}

/// One line per conflict (and, for a Live set merged inside, one per element both sides changed),
/// indented for a list.
pub fn conflict_lines(conflicts: &[Conflict]) -> Vec<String> {
    let mut out = Vec::new();
    for c in conflicts {
        let beside = match &c.theirs_file {
            Some(m) => format!("; theirs is in '{m}'"),
            None => String::new(),
        };
        let state = match c.resolution {
            None => String::new(),
            Some(r) => format!(" (resolved: {})", r.name()),
        };
        match c.set.as_ref().filter(|s| !s.whole) {
            Some(set) => {
                let n = set.elements.len();
                let beside = if c.resolution.is_some() { "" } else { &beside };
                out.push(format!(
                    "    {}: merged inside; {n} element{} changed on both sides{beside}{state}",
                    c.path,
                    if n == 1 { "" } else { "s" }
                ));
                for (i, e) in set.elements.iter().enumerate() {
                    let chosen = match e.resolution {
                        None => String::new(),
                        Some(Side::Ours) => " (chosen: ours)".into(),
                        Some(Side::Theirs) => " (chosen: theirs)".into(),
                    };
                    out.push(format!(
                        "        {}. {}: {}{chosen}",
                        i + 1,
                        e.name,
                        e.detail
                    ));
                }
            }
            None => {
                out.push(format!(
                    "    {}: {}{beside}{state}",
                    c.path,
                    c.kind.describe()
                ));
                if let Some(why) = &c.whole_file_reason {
                    out.push(format!("        (not merged inside the set: {why})"));
                }
            }
        }
    }
    out
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let author = author_now(&repo);
    if args.abort {
        let (state, files) = repo.abort_merge()?;
        if args.json {
            return print_json(serde_json::json!({
                "outcome": "aborted",
                "commit": null,
                "ours": state.ours.to_hex(),
                "theirs": state.theirs.to_hex(),
                "base": state.base.to_hex(),
                "conflicts": conflicts_json(&state.conflicts),
                "files_written": files.written.len(),
                "files_removed": files.removed.len(),
            }));
        }
        print_files(ctx, &files)?;
        ctx.say(format_args!(
            "Aborted the merge of '{}': the files are as before it ({}).",
            state.label,
            file_counts(&files)
        ))?;
        return Ok(());
    }
    if args.continue_ {
        let report = repo.continue_merge(&author)?;
        let s = &report.state;
        if args.json {
            return print_json(serde_json::json!({
                "outcome": "continued",
                "commit": report.commit.to_hex(),
                "ours": s.ours.to_hex(),
                "theirs": s.theirs.to_hex(),
                "base": s.base.to_hex(),
                "conflicts": conflicts_json(&s.conflicts),
                "files_written": 0,
                "files_removed": 0,
            }));
        }
        ctx.say(format_args!(
            "Merged '{}': commit {} ({} conflict{} resolved).",
            s.label,
            report.commit.short(12),
            s.conflicts.len(),
            if s.conflicts.len() == 1 { "" } else { "s" }
        ))?;
        return Ok(());
    }
    let rev = args.rev.as_deref().unwrap_or_default();
    let theirs = repo.resolve(rev)?;
    let label = label_for(&repo, rev, &theirs)?;
    let opts = MergeOptions {
        message: args.message,
        author,
    };
    merge_and_report(ctx, &mut repo, theirs, &label, &opts, args.json)
}

/// The author of a merge commit made now.
pub fn author_now(repo: &Repository) -> daw::object::Signature {
    let (name, email) = identity(Some(repo));
    let (time, tz_offset_minutes) = now();
    daw::object::Signature {
        name,
        email,
        time,
        tz_offset_minutes,
    }
}

/// Merges `theirs` into HEAD and tells the user how it went (shared with `daw pull --merge`).
pub fn merge_and_report(
    ctx: &Context,
    repo: &mut Repository,
    theirs: daw::object::ObjectId,
    label: &str,
    opts: &MergeOptions,
    json: bool,
) -> Result<(), CommandError> {
    let label = label.to_string();
    let report = repo.merge(theirs, &label, opts).map_err(|e| match e {
        RepoError::WouldOverwrite { .. } => CommandError::from(e)
            .hint("commit them first (`daw commit -m MESSAGE`), then merge again"),
        e => e.into(),
    })?;
    let (outcome, commit, files, conflicts) = match &report.outcome {
        MergeOutcome::UpToDate => ("up-to-date", None, None, &[][..]),
        MergeOutcome::FastForward(m) => ("fast-forward", m.new_commit, Some(&m.files), &[][..]),
        MergeOutcome::Merged { commit, files } => ("merged", Some(*commit), Some(files), &[][..]),
        MergeOutcome::Conflicts { files, conflicts } => {
            ("conflicts", None, Some(files), conflicts.as_slice())
        }
    };
    if json {
        print_json(serde_json::json!({
            "outcome": outcome,
            "commit": commit.map(|c| c.to_hex()),
            "ours": report.ours.to_hex(),
            "theirs": report.theirs.to_hex(),
            "base": report.base.map(|b| b.to_hex()),
            "conflicts": conflicts_json(conflicts),
            "sets_merged": report.sets_merged,
            "files_written": files.map_or(0, |f| f.written.len()),
            "files_removed": files.map_or(0, |f| f.removed.len()),
        }))?;
    } else {
        if let Some(f) = files {
            print_files(ctx, f)?;
        }
        for set in &report.sets_merged {
            ctx.say(format_args!(
                "{set}: changed on both sides, merged inside the set."
            ))?;
        }
        let counts = files.map(file_counts).unwrap_or_default();
        let counts = if counts.is_empty() {
            String::new()
        } else {
            format!(" ({counts})")
        };
        match &report.outcome {
            MergeOutcome::UpToDate => ctx.say(format_args!(
                "Already up to date: '{label}' holds nothing this branch lacks."
            ))?,
            MergeOutcome::FastForward(_) => ctx.say(format_args!(
                "Fast-forward to '{label}' ({}){counts}.",
                theirs.short(12)
            ))?,
            MergeOutcome::Merged { commit, .. } => ctx.say(format_args!(
                "Merged '{label}': commit {}{counts}.",
                commit.short(12)
            ))?,
            MergeOutcome::Conflicts { conflicts, .. } => {
                ctx.say(format_args!(
                    "Merging '{label}' stopped on {} conflict{}{counts}:",
                    conflicts.len(),
                    if conflicts.len() == 1 { "" } else { "s" }
                ))?;
                print_conflicts(ctx, conflicts)?;
            }
        }
    }
    if let MergeOutcome::Conflicts { conflicts, .. } = &report.outcome {
        let mut e = CommandError::user(format!(
            "merge of '{label}' stopped on conflicts; nothing was lost"
        ))
        .hint("choose for each: `daw resolve PATH --ours|--theirs|--both`, then `daw merge --continue`");
        if let Some(set) = conflicts.iter().find(|c| c.set.is_some()) {
            e = e.hint(format!(
                "in a set merged inside, choose per element: `daw resolve '{}' --element 1 --theirs`",
                set.path
            ));
        }
        return Err(e.hint("or go back to where you were: `daw merge --abort`"));
    }
    Ok(())
}
