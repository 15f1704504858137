use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use daw::repo::music::{self, SampleCheck, SampleStatus, is_project_path};
use daw::worktree::ignore::Ignores;
use daw::worktree::paths::{Selection, select};
use daw::worktree::walk::{Found, walk};

use crate::cli::commands::commit::relative_to_work_tree;
use crate::cli::{CommandError, Context, ui};

/// List the samples your sets reference, and whether a snapshot holds them
///
/// For every Live set and FL Studio project in the project folder (or only the ones named), each
/// referenced sample and where daw finds it: in the project; in the project folder but ignored (not
/// in snapshots); outside the project (snapshots cannot hold it); missing; or from the DAW's own
/// library (Live's Core Library and Packs, FL Studio's factory data), which every installation has.
/// Relative references are looked up from the set's folder, then the project folder, then by the
/// absolute path the set recorded. Needs no passphrase.
///
/// Exit status: 0; with --missing, 1 when it lists any sample.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only the samples a snapshot would not hold (ignored, outside the project, missing)
    #[arg(long)]
    pub missing: bool,

    /// Print as JSON (an array of {project, sample, found, status})
    #[arg(long)]
    pub json: bool,

    /// Only these sets or folders
    pub paths: Vec<PathBuf>,
}

/// Every file and project file the walk found (relative paths).
fn collect(rel: &Path, found: &[(Vec<u8>, Found)], files: &mut HashSet<PathBuf>) {
    for (name, f) in found {
        let child = rel.join(daw::platform::os_str(name));
        match f {
            Found::File(_) => {
                files.insert(child);
            }
            Found::Dir(_, children, _) => collect(&child, children, files),
            _ => {}
        }
    }
}

fn label(s: SampleStatus) -> &'static str {
    match s {
        SampleStatus::InProject => "in project",
        SampleStatus::NotVersioned => "ignored",
        SampleStatus::Outside => "outside",
        SampleStatus::Missing => "missing",
        SampleStatus::Library => "library",
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let location = ctx.locate()?;
    let work_tree = location.work_tree.clone();
    let selected = args
        .paths
        .iter()
        .map(|p| relative_to_work_tree(ctx, &work_tree, p))
        .collect::<Result<Vec<_>, _>>()?;
    let ignores = Ignores::new();
    let mut total = 0;
    let root = walk(
        &work_tree,
        Path::new(""),
        &ignores,
        &location.daw_dir,
        &mut total,
    );
    let Found::Dir(_, children, _) = root else {
        return Err(CommandError::user(format!(
            "cannot read the project folder {}",
            work_tree.display()
        )));
    };
    let mut files = HashSet::new();
    collect(Path::new(""), &children, &mut files);
    let mut projects: Vec<&PathBuf> = files
        .iter()
        .filter(|p| is_project_path(&p.to_string_lossy()))
        .filter(|p| select(&selected, p) == Selection::All)
        .collect();
    projects.sort();
    let mut checks: Vec<SampleCheck> = Vec::new();
    for rel in projects {
        let name = rel.to_string_lossy();
        let parsed = music::parse_path(&work_tree.join(rel), &name)
            .map_err(|e| CommandError::user(format!("cannot read {name}: {e}")))?;
        let project = match parsed {
            Ok(p) => p,
            Err(e) => {
                ui::warn(&format!("{name}: daw cannot read it as a project ({e})"));
                continue;
            }
        };
        let found = music::check_samples(&project, rel, &work_tree, &mut |p: &Path| {
            Ok(files.contains(p))
        })?;
        checks.extend(
            found
                .into_iter()
                .filter(|c| !args.missing || c.status.is_problem()),
        );
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &checks).map_err(anyhow::Error::from)?;
        writeln!(out)?;
    } else {
        let mut current: Option<&str> = None;
        for c in &checks {
            if current != Some(c.project.as_str()) {
                writeln!(out, "{}", c.project)?;
                current = Some(&c.project);
            }
            let found = match (&c.found, c.status) {
                (Some(f), SampleStatus::Outside) => format!("  ({f})"),
                (Some(f), _) if *f != c.sample => format!("  (found at {f})"),
                _ => String::new(),
            };
            writeln!(out, "  {:<11}{}{found}", label(c.status), c.sample)?;
        }
        let count = |s| checks.iter().filter(|c| c.status == s).count();
        let parts: Vec<String> = [
            (SampleStatus::InProject, "in the project"),
            (SampleStatus::NotVersioned, "ignored"),
            (SampleStatus::Outside, "outside the project"),
            (SampleStatus::Missing, "missing"),
            (SampleStatus::Library, "from a DAW library"),
        ]
        .into_iter()
        .filter(|(s, _)| count(*s) > 0)
        .map(|(s, words)| format!("{} {words}", count(s)))
        .collect();
        let n = checks.len();
        let noun = if args.missing {
            "sample not in the snapshot"
        } else {
            "sample"
        };
        let noun = if n == 1 {
            noun.to_string()
        } else {
            noun.replacen("sample", "samples", 1)
        };
        if parts.is_empty() {
            writeln!(out, "{n} {noun}")?;
        } else {
            writeln!(out, "{n} {noun}: {}", parts.join(", "))?;
        }
    }
    out.flush()?;
    if args.missing && !checks.is_empty() {
        return Err(CommandError::quiet_exit(1));
    }
    Ok(())
}
