use std::io::Write;
use std::path::{Path, PathBuf};

use daw::object::Signature;
use daw::repo::history::{ChangeKind, diff_trees};
use daw::repo::music::{SampleCheck, SampleStatus};
use daw::repo::snapshot::CommitOptions;
use daw::worktree::ignore::{IgnoreSource, ignored_paths};

use crate::cli::ui::{self, human_bytes};
use crate::cli::{CommandError, Context, identity, now};

/// Snapshot the project
///
/// Records every file of the project folder (no staging area), except `.daw`, what `.dawignore`
/// lists and the DAW by-products daw ignores by default (Live's set backups and `.asd` files, FL
/// Studio autosaves, `.DS_Store`…). With PATHs, only those files and folders are recorded and the
/// rest stays as it was in the last commit. `daw status --ignored` lists what is left out.
///
/// For each set that references samples the snapshot does not hold (missing, outside the project
/// folder, or ignored), one warning says how many; `daw samples --missing` lists them.
///
/// --json prints one object for scripts: `commit` (the new commit's id, or null when nothing
/// changed), `parent`, `branch` (null on a detached HEAD), `files` (the files in the new snapshot; 0
/// without one), `added`, `modified`, `removed`, `bytes_read` and `bytes_stored`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What changed, in your words
    #[arg(short, long)]
    pub message: String,

    /// Only record these files or folders
    pub paths: Vec<PathBuf>,

    /// Make a commit even if nothing changed
    #[arg(long)]
    pub allow_empty: bool,

    /// Print the new commit as JSON (see above)
    #[arg(long)]
    pub json: bool,
}

/// A path argument relative to the work tree.
pub fn relative_to_work_tree(
    ctx: &Context,
    work_tree: &Path,
    p: &Path,
) -> Result<PathBuf, CommandError> {
    let abs = std::path::absolute(ctx.cwd.join(p)).map_err(CommandError::from)?;
    let wt = std::path::absolute(work_tree).map_err(CommandError::from)?;
    abs.strip_prefix(&wt).map(Path::to_path_buf).map_err(|_| {
        CommandError::user(format!(
            "{} is outside the project {}",
            p.display(),
            wt.display()
        ))
    })
}

/// One warning per set that references samples the snapshot does not hold: how many and why, and
/// where to see them (`daw samples --missing` lists them one per line).
fn warn_samples(samples: &[SampleCheck]) {
    let mut i = 0;
    while i < samples.len() {
        let set = &samples[i].project;
        let n = samples[i..]
            .iter()
            .take_while(|c| &c.project == set)
            .count();
        let of_set = &samples[i..i + n];
        let reasons: Vec<String> = [
            (SampleStatus::Missing, "missing"),
            (SampleStatus::Outside, "outside the project"),
            (SampleStatus::NotVersioned, "ignored"),
        ]
        .into_iter()
        .map(|(status, words)| (of_set.iter().filter(|c| c.status == status).count(), words))
        .filter(|(count, _)| *count > 0)
        .map(|(count, words)| format!("{count} {words}"))
        .collect();
        let noun = if n == 1 { "sample" } else { "samples" };
        ui::warn(&format!(
            "{set}: {n} {noun} not in the snapshot ({}); `daw samples --missing` lists them",
            reasons.join(", ")
        ));
        i += n;
    }
}

/// How many files the first commit leaves out by the default ignore rules (0 if they cannot be
/// listed: the note is a courtesy).
fn left_out_by_defaults(work_tree: &Path, daw_dir: &Path) -> u64 {
    ignored_paths(work_tree, daw_dir)
        .map(|list| {
            list.iter()
                .filter(|i| i.rule.source == IgnoreSource::Default)
                .map(|i| i.files)
                .sum()
        })
        .unwrap_or(0)
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let paths = args
        .paths
        .iter()
        .map(|p| relative_to_work_tree(ctx, repo.work_tree(), p))
        .collect::<Result<Vec<_>, _>>()?;
    let (name, email) = identity(Some(&repo));
    let (time, tz_offset_minutes) = now();
    let opts = CommitOptions {
        message: args.message,
        author: Signature {
            name,
            email,
            time,
            tz_offset_minutes,
        },
        paths,
        allow_empty: args.allow_empty,
        autosave: false,
        settled: None,
    };
    let mut progress = ui::Progress::new(ctx.quiet || args.json);
    let report = repo.commit(&opts, &mut progress);
    progress.finish();
    let report = report?;
    for w in &report.warnings {
        ui::warn(&format!("{}: {}", w.path.display(), w.message));
    }
    let problems: Vec<SampleCheck> = report
        .samples
        .iter()
        .filter(|c| c.status.is_problem())
        .cloned()
        .collect();
    warn_samples(&problems);
    let count = |k| report.changes.iter().filter(|c| c.kind == k).count();
    if args.json {
        let files = match report.commit {
            Some(id) => diff_trees(&repo, None, Some(&repo.read_commit(&id)?.tree))?.len(),
            None => 0,
        };
        let v = serde_json::json!({
            "commit": report.commit.map(|id| id.to_hex()),
            "parent": report.parent.map(|id| id.to_hex()),
            "branch": report.branch,
            "files": files,
            "added": count(ChangeKind::Added),
            "modified": count(ChangeKind::Modified),
            "removed": count(ChangeKind::Removed),
            "bytes_read": report.bytes_read,
            "bytes_stored": report.bytes_stored,
        });
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let Some(id) = report.commit else {
        ctx.say(format_args!(
            "Nothing changed since the last commit; nothing to commit."
        ))?;
        return Ok(());
    };
    let place = report
        .branch
        .clone()
        .unwrap_or_else(|| "detached HEAD".into());
    let first_line = opts.message.lines().next().unwrap_or("");
    let root = if report.parent.is_none() {
        " (root commit)"
    } else {
        ""
    };
    ctx.say(format_args!(
        "[{place}{root} {}] {first_line}",
        id.short(12)
    ))?;
    ctx.say(format_args!(
        " {} files changed: {} added, {} modified, {} removed",
        report.changes.len(),
        count(ChangeKind::Added),
        count(ChangeKind::Modified),
        count(ChangeKind::Removed)
    ))?;
    ctx.say(format_args!(
        " read {}, stored {} new",
        human_bytes(report.bytes_read),
        human_bytes(report.bytes_stored)
    ))?;
    // Once, at the first commit: what the defaults leave out is never a silent surprise.
    if report.parent.is_none() && !ctx.quiet {
        let n = left_out_by_defaults(repo.work_tree(), repo.daw_dir());
        if n > 0 {
            let files = if n == 1 { "file" } else { "files" };
            eprintln!(
                "note: {n} {files} left out by the default ignore rules; see `daw status --ignored`"
            );
        }
    }
    Ok(())
}
