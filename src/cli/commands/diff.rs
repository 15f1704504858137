use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use daw::repo::Repository;
use daw::repo::diff::{FileDelta, Side};
use daw::repo::history::ChangeKind;
use daw::repo::music::{self, ProjectDiff, is_project_path};

use crate::cli::commands::commit::relative_to_work_tree;
use crate::cli::render::{self, FileReport};
use crate::cli::{CommandError, Context, linediff, ui};

/// Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms
///
/// With no REV, compares the project folder with HEAD; with one, the project folder with REV; with
/// two (or REV1..REV2), REV1 with REV2. Each changed file is listed with its sizes; for `.als` and
/// `.flp` files the changes follow in a producer's words (tempo, tracks, devices, clips, samples).
/// A file daw cannot read as a project is still compared by its bytes, and the diff says why.
///
/// `--files OLD NEW` compares two files outside any repository; `--git-driver` lets Git use daw as
/// the diff driver of `.als`/`.flp` files (see the README).
///
/// Exit status: 0, or with --exit-code 1 when there are differences (as `git diff --exit-code`).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Revisions to compare (none: HEAD with the project folder)
    #[arg(value_name = "REV", num_args = 0..=2)]
    pub revs: Vec<String>,

    /// Only these files or folders (after `--`)
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// One line per file with its sizes and the number of musical changes, then totals
    #[arg(long, conflicts_with_all = ["json", "raw"])]
    pub stat: bool,

    /// Print as JSON
    #[arg(long, conflicts_with = "raw")]
    pub json: bool,

    /// For Live sets, the line diff of the decompressed XML instead of the musical diff
    #[arg(long)]
    pub raw: bool,

    /// Exit with 1 when there are differences, 0 when there are none
    #[arg(long)]
    pub exit_code: bool,

    /// Compare two files outside any repository
    #[arg(
        long,
        num_args = 2,
        value_names = ["OLD", "NEW"],
        conflicts_with_all = ["revs", "paths", "git_driver"]
    )]
    pub files: Option<Vec<PathBuf>>,

    /// Act as Git's external diff driver: git passes PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX
    /// NEW-MODE
    #[arg(
        long,
        num_args = 7..=9,
        value_name = "ARG",
        allow_hyphen_values = true,
        conflicts_with_all = ["revs", "paths"]
    )]
    pub git_driver: Option<Vec<String>>,
}

/// What `--json` says each side was: `{"commit": id}`, `{"worktree": path}` or `null` (nothing).
fn side_json(
    repo: &Repository,
    side: &Side,
    commit: Option<&daw::object::ObjectId>,
) -> serde_json::Value {
    match (side, commit) {
        (Side::WorkTree, _) => serde_json::json!({ "worktree": repo.work_tree() }),
        (_, Some(c)) => serde_json::json!({ "commit": c.to_hex() }),
        _ => serde_json::Value::Null,
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    if let Some(files) = &args.files {
        let (old, new) = (&files[0], &files[1]);
        let label = format!("{} → {}", old.display(), new.display());
        let name = new.to_string_lossy().into_owned();
        return run_files(ctx, &args, Some(old), Some(new), &label, &name);
    }
    if let Some(g) = &args.git_driver {
        // PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH RENAME-INFO]
        let side = |file: &str, mode: &str| {
            (file != "/dev/null" && mode != ".").then(|| PathBuf::from(file))
        };
        let (old, new) = (side(&g[1], &g[3]), side(&g[4], &g[6]));
        let path = g.get(7).unwrap_or(&g[0]);
        let label = match g.get(7) {
            Some(new_path) => format!("{} → {new_path}", g[0]),
            None => g[0].clone(),
        };
        return run_files(ctx, &args, old.as_deref(), new.as_deref(), &label, path);
    }
    let repo = ctx.open()?;
    let head = repo.head_commit()?;
    let resolve = |rev: &str| -> Result<(Side, Option<daw::object::ObjectId>), CommandError> {
        let id = repo.resolve(if rev.is_empty() { "HEAD" } else { rev })?;
        Ok((Side::Tree(repo.read_commit(&id)?.tree), Some(id)))
    };
    let ((old, old_id), (new, new_id)) = match args.revs.as_slice() {
        [] => match head {
            Some(_) => (resolve("HEAD")?, (Side::WorkTree, None)),
            None => ((Side::Empty, None), (Side::WorkTree, None)),
        },
        [range] if range.contains("..") => {
            let (a, b) = range.split_once("..").expect("contains ..");
            (resolve(a)?, resolve(b)?)
        }
        [rev] => (resolve(rev)?, (Side::WorkTree, None)),
        [a, b] => (resolve(a)?, resolve(b)?),
        _ => return Err(CommandError::user("give at most two revisions")),
    };
    let paths = args
        .paths
        .iter()
        .map(|p| relative_to_work_tree(ctx, repo.work_tree(), p))
        .collect::<Result<Vec<_>, _>>()?;
    let comparison = repo.compare(&old, &new, &paths)?;
    for w in &comparison.warnings {
        ui::warn(&format!("{}: {}", w.path.display(), w.message));
    }
    let mut out = std::io::stdout().lock();
    if args.raw {
        for d in &comparison.deltas {
            write_raw_repo(&repo, &mut out, d)?;
        }
    } else {
        let files = comparison
            .deltas
            .iter()
            .map(|d| report(&repo, d))
            .collect::<Result<Vec<_>, _>>()?;
        if args.json {
            let v = serde_json::json!({
                "old": side_json(&repo, &old, old_id.as_ref()),
                "new": side_json(&repo, &new, new_id.as_ref()),
                "files": files.iter().map(render::file_json).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
            writeln!(out)?;
        } else if args.stat {
            if !files.is_empty() {
                render::write_stat(&mut out, &files)?;
            }
        } else {
            for f in &files {
                render::write_file(&mut out, f)?;
            }
        }
    }
    out.flush()?;
    differences(&args, !comparison.deltas.is_empty())
}

/// `--exit-code`: 1 when there were differences.
fn differences(args: &Args, any: bool) -> Result<(), CommandError> {
    if args.exit_code && any {
        return Err(CommandError::quiet_exit(1));
    }
    Ok(())
}

/// A delta with its musical diff, for project files that are files on both sides.
pub fn report(repo: &Repository, d: &FileDelta) -> Result<FileReport, CommandError> {
    let symlink = d.old.iter().chain(&d.new).any(|v| v.is_symlink());
    let project = if is_project_path(&d.path) && !symlink {
        Some(repo.project_diff(&d.path, d.old.as_ref(), d.new.as_ref())?)
    } else {
        None
    };
    Ok(FileReport {
        path: d.path.clone(),
        kind: d.kind,
        old_size: d.old_size(),
        new_size: d.new_size(),
        project,
    })
}

fn is_live_set(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".als")
}

fn write_raw_repo(
    repo: &Repository,
    out: &mut dyn Write,
    d: &FileDelta,
) -> Result<(), CommandError> {
    let f = FileReport {
        path: d.path.clone(),
        kind: d.kind,
        old_size: d.old_size(),
        new_size: d.new_size(),
        project: None,
    };
    render::write_file(out, &f)?;
    let symlink = d.old.iter().chain(&d.new).any(|v| v.is_symlink());
    if !is_live_set(&d.path) || symlink {
        return Ok(());
    }
    let text = |v: Option<&daw::repo::diff::FileVersion>| match v {
        Some(v) => repo.read_xml(v, &d.path),
        None => Ok(Ok(Vec::new())),
    };
    let (old, new) = (text(d.old.as_ref())?, text(d.new.as_ref())?);
    write_raw(out, &d.path, old, new)
}

/// The XML line diff of one Live set, or why there is none.
fn write_raw(
    out: &mut dyn Write,
    path: &str,
    old: Result<Vec<u8>, String>,
    new: Result<Vec<u8>, String>,
) -> Result<(), CommandError> {
    match (old, new) {
        (Ok(a), Ok(b)) => {
            writeln!(out, "--- a/{path} (XML)")?;
            writeln!(out, "+++ b/{path} (XML)")?;
            linediff::write_unified(out, &a, &b)?;
        }
        (Err(e), _) => writeln!(out, "     no XML to compare: the old version: {e}")?,
        (_, Err(e)) => writeln!(out, "     no XML to compare: the new version: {e}")?,
    }
    Ok(())
}

/// The size and BLAKE3 hash of a file, or an error naming it.
fn fingerprint(path: &Path) -> Result<(u64, blake3::Hash), CommandError> {
    let fail =
        |e: std::io::Error| CommandError::user(format!("cannot read {}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(fail)?;
    if file.metadata().map_err(fail)?.is_dir() {
        return Err(CommandError::user(format!(
            "{} is a folder",
            path.display()
        )));
    }
    let mut hasher = blake3::Hasher::new();
    let size = std::io::copy(&mut file, &mut hasher).map_err(fail)?;
    Ok((size, hasher.finalize()))
}

/// `--files` and `--git-driver`: two files outside any repository (either may be absent).
fn run_files(
    _ctx: &Context,
    args: &Args,
    old: Option<&Path>,
    new: Option<&Path>,
    label: &str,
    name: &str,
) -> Result<(), CommandError> {
    let old_print = old.map(fingerprint).transpose()?;
    let new_print = new.map(fingerprint).transpose()?;
    let kind = match (&old_print, &new_print) {
        (Some(a), Some(b)) if a == b => None,
        (Some(_), Some(_)) => Some(ChangeKind::Modified),
        (None, Some(_)) => Some(ChangeKind::Added),
        (Some(_), None) => Some(ChangeKind::Removed),
        (None, None) => None,
    };
    let mut out = std::io::stdout().lock();
    let Some(kind) = kind else {
        if args.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"old": old, "new": new, "files": []})
            )?;
        }
        return Ok(());
    };
    let mut report = FileReport {
        path: label.to_string(),
        kind,
        old_size: old_print.map(|p| p.0),
        new_size: new_print.map(|p| p.0),
        project: None,
    };
    if args.raw {
        render::write_file(&mut out, &report)?;
        if is_live_set(name) {
            let text = |p: Option<&Path>| -> Result<Result<Vec<u8>, String>, CommandError> {
                match p {
                    Some(p) => {
                        let file = std::fs::File::open(p)?;
                        Ok(music::xml_of(BufReader::new(file))?)
                    }
                    None => Ok(Ok(Vec::new())),
                }
            };
            write_raw(&mut out, label, text(old)?, text(new)?)?;
        }
        out.flush()?;
        return differences(args, true);
    }
    if is_project_path(name) {
        let parse = |p: &Path| {
            music::parse_path(p, name)
                .map_err(|e| CommandError::user(format!("cannot read {}: {e}", p.display())))
        };
        let old = old.map(parse).transpose()?;
        let new = new.map(parse).transpose()?;
        report.project = Some(ProjectDiff::between(old, new));
    }
    if args.json {
        let v = serde_json::json!({
            "old": old,
            "new": new,
            "files": [render::file_json(&report)],
        });
        serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
        writeln!(out)?;
    } else if args.stat {
        render::write_stat(&mut out, std::slice::from_ref(&report))?;
    } else {
        render::write_file(&mut out, &report)?;
    }
    out.flush()?;
    differences(args, true)
}
