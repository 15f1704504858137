use std::path::{Path, PathBuf};

use daw::object::Signature;
use daw::repo::history::ChangeKind;
use daw::repo::music::{SampleCheck, SampleStatus};
use daw::repo::snapshot::CommitOptions;

use crate::cli::ui::{self, human_bytes};
use crate::cli::{CommandError, Context, identity, now};

/// Snapshot the project
///
/// Records every file of the project folder (no staging area), except `.daw`, what `.dawignore`
/// lists and the DAW by-products daw ignores by default (Ableton's Backup folder and `.asd` files,
/// FL Studio autosaves, `.DS_Store`…). With PATHs, only those files and folders are recorded and the
/// rest stays as it was in the last commit.
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

/// Samples named per set before the rest are only counted.
const SAMPLE_WARNINGS_PER_SET: usize = 10;

/// `warning: Song.als: sample 'Samples/x.wav' is missing`, at most a few per set.
fn warn_samples(samples: &[SampleCheck]) {
    let mut i = 0;
    while i < samples.len() {
        let set = &samples[i].project;
        let n = samples[i..]
            .iter()
            .take_while(|c| &c.project == set)
            .count();
        for c in &samples[i..i + n.min(SAMPLE_WARNINGS_PER_SET)] {
            let place = match (&c.found, c.status) {
                (Some(f), SampleStatus::Outside) if *f != c.sample => format!(" ({f})"),
                _ => String::new(),
            };
            ui::warn(&format!(
                "{set}: sample '{}'{place} is {}",
                c.sample,
                c.status.describe()
            ));
        }
        if n > SAMPLE_WARNINGS_PER_SET {
            ui::warn(&format!(
                "{set}: {} more samples are not in the snapshot; `daw samples --missing` lists them all",
                n - SAMPLE_WARNINGS_PER_SET
            ));
        }
        i += n;
    }
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
    };
    let mut progress = ui::Progress::new(ctx.quiet);
    let report = repo.commit(&opts, &mut progress);
    progress.finish();
    let report = report?;
    for w in &report.warnings {
        ui::warn(&format!("{}: {}", w.path.display(), w.message));
    }
    warn_samples(&report.samples);
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
    let count = |k| report.changes.iter().filter(|c| c.kind == k).count();
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
    Ok(())
}
