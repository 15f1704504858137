use std::io::Write;
use std::path::Path;

use daw::repo::status::{Status, StatusKind};
use daw::worktree::ignore::{IgnoreSource, IgnoredPath, ignored_paths};
use daw::worktree::paths::display_path;
use daw::worktree::walk::Walk;

use crate::cli::ui::{self, Color, human_bytes};
use crate::cli::{CommandError, Context};

/// Show what changed in the project since the last commit
///
/// New, modified, deleted and renamed files compared with HEAD (what `daw commit` would record), the
/// current branch, and whether HEAD is detached. Files whose size, times and inode are unchanged since
/// daw last read them are not read again, so this is fast on a large project.
///
/// --porcelain prints a format for scripts that never changes: the lines `# branch.head NAME` (or
/// `(detached)`) and `# branch.oid ID` (or `(initial)`), then one `X PATH` line per file, X one of A
/// (new), M (modified), D (deleted), R (renamed: `R OLD -> NEW`); a path holding a double quote, a
/// backslash, a control character or ` -> ` is written in double quotes with C escapes. With
/// --ignored, `! PATH` lines follow (a folder's path ends with `/`).
///
/// --ignored also lists what the ignore rules leave out of snapshots, and which rule: one of daw's
/// defaults (DAW by-products such as Live's set backups and `.asd` files) or a `.dawignore`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// One line per file: A new, M modified, D deleted, R renamed
    #[arg(short, long, conflicts_with_all = ["porcelain", "json"])]
    pub short: bool,

    /// Stable output for scripts (see above)
    #[arg(long, conflicts_with = "json")]
    pub porcelain: bool,

    /// Print as JSON
    #[arg(long)]
    pub json: bool,

    /// Also list the files left out of snapshots, and the rule that leaves each out
    #[arg(long)]
    pub ignored: bool,
}

fn code(kind: StatusKind) -> char {
    match kind {
        StatusKind::New => 'A',
        StatusKind::Modified => 'M',
        StatusKind::Deleted => 'D',
        StatusKind::Renamed => 'R',
    }
}

fn color_of(kind: StatusKind) -> Color {
    match kind {
        StatusKind::New => Color::Green,
        StatusKind::Modified => Color::Yellow,
        StatusKind::Deleted => Color::Red,
        StatusKind::Renamed => Color::Cyan,
    }
}

/// A path for porcelain output: as is, or C-quoted when it could be misread.
pub fn quote_path(p: &str) -> String {
    let needs = p.contains('"')
        || p.contains('\\')
        || p.contains(" -> ")
        || p.chars().any(char::is_control);
    if !needs {
        return p.to_string();
    }
    let mut out = String::from("\"");
    for c in p.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    // The walk of the project starts before the repository is unlocked: it is most of the time a
    // status takes, and needs nothing from the store.
    let location = ctx.locate()?;
    let walk = crate::cli::early_walk(&location)
        .unwrap_or_else(|| Walk::start(&location.work_tree, &location.daw_dir));
    let ignored = if args.ignored {
        let listed = ignored_paths(&location.work_tree, &location.daw_dir);
        Some(
            listed
                .map_err(|e| CommandError::user(format!("cannot list the ignored files: {e}")))?,
        )
    } else {
        None
    };
    let work_tree = location.work_tree.clone();
    let repo = ctx.open_at(location)?;
    let status = repo.status_of(walk)?;
    let ignored: Option<Vec<(String, String, &IgnoredPath)>> = ignored.as_ref().map(|list| {
        list.iter()
            .map(|i| (ignored_display(i), rule_display(&work_tree, i), i))
            .collect()
    });
    for w in &status.warnings {
        ui::warn(&format!("{}: {}", w.path.display(), w.message));
    }
    if ctx.verbose {
        eprintln!(
            "{} files; {} read ({}), the others unchanged since daw last read them",
            status.files,
            status.files_read,
            human_bytes(status.bytes_read)
        );
    }
    let merge = repo.merge_in_progress()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "branch": status.branch,
            "detached": status.branch.is_none(),
            "head": status.head.map(|h| h.to_hex()),
            "clean": status.changes.is_empty(),
            "changes": status.changes,
            "warnings": status.warnings.iter().map(|w| serde_json::json!({
                "path": w.path.to_string_lossy(), "message": w.message })).collect::<Vec<_>>(),
        });
        let mut v = v;
        v["merge"] = match &merge {
            None => serde_json::Value::Null,
            Some((state, phase)) => serde_json::json!({
                "phase": phase,
                "theirs": state.label,
                "theirs_commit": state.theirs.to_hex(),
                "base": state.base.to_hex(),
                "conflicts": state.conflicts,
                "unresolved": state.unresolved().map(|c| c.path.clone()).collect::<Vec<_>>(),
            }),
        };
        if let Some(ignored) = &ignored {
            v["ignored"] = ignored
                .iter()
                .map(|(path, _, i)| {
                    serde_json::json!({
                        "path": path,
                        "folder": i.is_dir,
                        "files": i.files,
                        "source": match &i.rule.source {
                            IgnoreSource::Default => "default".to_string(),
                            IgnoreSource::File(f) => relative(&work_tree, f),
                        },
                        "pattern": i.rule.pattern,
                    })
                })
                .collect();
        }
        serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    if args.porcelain {
        writeln!(
            out,
            "# branch.head {}",
            status.branch.as_deref().unwrap_or("(detached)")
        )?;
        writeln!(
            out,
            "# branch.oid {}",
            status
                .head
                .map(|h| h.to_hex())
                .unwrap_or_else(|| "(initial)".into())
        )?;
        for c in &status.changes {
            match &c.from {
                Some(from) => writeln!(out, "R {} -> {}", quote_path(from), quote_path(&c.path))?,
                None => writeln!(out, "{} {}", code(c.kind), quote_path(&c.path))?,
            }
        }
        for (path, _, _) in ignored.iter().flatten() {
            writeln!(out, "! {}", quote_path(path))?;
        }
        return Ok(());
    }
    if args.short {
        for c in &status.changes {
            let mark = ctx.paint(color_of(c.kind), &code(c.kind).to_string());
            match &c.from {
                Some(from) => writeln!(out, "{mark} {from} -> {}", c.path)?,
                None => writeln!(out, "{mark} {}", c.path)?,
            }
        }
        for (path, _, _) in ignored.iter().flatten() {
            writeln!(out, "! {path}")?;
        }
        return Ok(());
    }
    let upstream = match &status.branch {
        Some(b) => upstream_line(&repo, b)?,
        None => None,
    };
    long_format(ctx, &status, upstream.as_deref(), &mut out)?;
    if let Some((state, phase)) = &merge {
        merge_lines(state, *phase, &mut out)?;
    }
    if let Some(line) = watched_line(&repo)? {
        writeln!(out, "{line}")?;
    }
    if let Some(ignored) = &ignored {
        list_ignored(ignored, &mut out)?;
    }
    Ok(())
}

/// The merge in progress: what is unresolved, and how to go on.
fn merge_lines(
    state: &daw::repo::merge::MergeState,
    phase: daw::repo::merge::MergePhase,
    out: &mut impl Write,
) -> Result<(), CommandError> {
    if phase == daw::repo::merge::MergePhase::Interrupted {
        writeln!(
            out,
            "A merge of '{}' was interrupted while starting: run `daw merge --abort` (then merge again).",
            state.label
        )?;
        return Ok(());
    }
    let open = state.unresolved().count();
    writeln!(
        out,
        "Merging '{}' ({} of {} conflict{} unresolved):",
        state.label,
        open,
        state.conflicts.len(),
        if state.conflicts.len() == 1 { "" } else { "s" }
    )?;
    for c in &state.conflicts {
        let beside = match &c.theirs_file {
            Some(m) => format!("; theirs in '{m}'"),
            None => String::new(),
        };
        let mark = match c.resolution {
            None => "unresolved".to_string(),
            Some(r) => format!("resolved: {}", r.name()),
        };
        writeln!(
            out,
            "    {mark}: {} ({}{beside})",
            c.path,
            c.kind.describe()
        )?;
    }
    if open > 0 {
        writeln!(
            out,
            "Choose with `daw resolve PATH --ours|--theirs|--both`; `daw merge --abort` goes back."
        )?;
    } else {
        writeln!(
            out,
            "All resolved: `daw merge --continue` makes the merge commit."
        )?;
    }
    Ok(())
}

/// An ignored path as listed: a folder's with a trailing `/`.
fn ignored_display(i: &IgnoredPath) -> String {
    let path = display_path(&i.path);
    if i.is_dir { format!("{path}/") } else { path }
}

/// `default rule *.asd`, `Samples/.dawignore: *.wav`.
fn rule_display(work_tree: &Path, i: &IgnoredPath) -> String {
    match &i.rule.source {
        IgnoreSource::Default => format!("default rule {}", i.rule.pattern),
        IgnoreSource::File(f) => format!("{}: {}", relative(work_tree, f), i.rule.pattern),
    }
}

/// A path below the work tree, relative to it.
fn relative(work_tree: &Path, path: &Path) -> String {
    display_path(path.strip_prefix(work_tree).unwrap_or(path))
}

/// The `--ignored` section of the long format.
fn list_ignored(
    ignored: &[(String, String, &IgnoredPath)],
    out: &mut impl Write,
) -> Result<(), CommandError> {
    if ignored.is_empty() {
        writeln!(out, "No file is ignored.")?;
        return Ok(());
    }
    writeln!(
        out,
        "Ignored, not in snapshots (a `!PATTERN` line in .dawignore takes a file back):"
    )?;
    let width = ignored
        .iter()
        .map(|(p, _, _)| p.chars().count())
        .max()
        .unwrap_or(0);
    for (path, rule, i) in ignored {
        let files = if i.is_dir {
            format!(", {} file{}", i.files, if i.files == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        let pad = " ".repeat(width - path.chars().count());
        writeln!(out, "    {path}{pad}  ({rule}{files})")?;
    }
    Ok(())
}

/// How far back from HEAD (first parents) the last autosave is looked for.
const AUTOSAVE_LOOKBACK: usize = 200;

/// `Watched by daw watch (pid 123 since …); last autosave …`, when a `daw watch` runs on the
/// repository (its mark, `repo::lock::WatchMark`). Reads commits only then.
fn watched_line(repo: &daw::repo::Repository) -> Result<Option<String>, CommandError> {
    let Some(note) = daw::repo::lock::WatchMark::holder(repo.daw_dir()) else {
        return Ok(None);
    };
    let note = match note.split_once(" since ") {
        Some((pid, t)) => match t.trim().parse::<i64>() {
            Ok(t) => format!("{pid}, since {}", ui::format_time(t, crate::cli::now().1)),
            Err(_) => note.clone(),
        },
        None => note.clone(),
    };
    let mut last = None;
    let mut at = repo.head_commit()?;
    for _ in 0..AUTOSAVE_LOOKBACK {
        let Some(id) = at else { break };
        let c = repo.read_commit(&id)?;
        if c.autosave {
            last = Some((c.author.time, c.author.tz_offset_minutes));
            break;
        }
        at = c.parents.first().copied();
    }
    let last = match last {
        Some((t, tz)) => format!("last autosave {}", ui::format_time(t, tz)),
        None => "no autosave yet".to_string(),
    };
    Ok(Some(format!("Watched by daw watch ({note}); {last}.")))
}

/// "Your branch is ahead of 'origin/main' by 2 commits…", when the branch has a remote-tracking
/// branch. Reads commits only when the two differ.
fn upstream_line(
    repo: &daw::repo::Repository,
    branch: &str,
) -> Result<Option<String>, CommandError> {
    let refs = repo.refs()?;
    let Some(ours) = refs.branches.get(branch) else {
        return Ok(None);
    };
    let Some((remote, theirs)) = refs
        .remotes
        .iter()
        .find_map(|(r, bs)| bs.get(branch).map(|t| (r.clone(), *t)))
    else {
        return Ok(None);
    };
    let name = format!("{remote}/{branch}");
    if *ours == theirs {
        return Ok(Some(format!("Up to date with '{name}'.")));
    }
    let Some((_, ahead, behind)) = repo.ahead_behind(branch)? else {
        return Ok(None);
    };
    let commits = |n: usize| {
        if n == 1 {
            "1 commit".to_string()
        } else {
            format!("{n} commits")
        }
    };
    Ok(Some(match (ahead, behind) {
        (a, 0) => format!(
            "Ahead of '{name}' by {} (`daw push` sends them).",
            commits(a)
        ),
        (0, b) => format!(
            "Behind '{name}' by {} (`daw pull` brings them in).",
            commits(b)
        ),
        (a, b) => format!(
            "Diverged from '{name}': ahead {a}, behind {b} (each side has commits the other lacks)."
        ),
    }))
}

fn long_format(
    ctx: &Context,
    status: &Status,
    upstream: Option<&str>,
    out: &mut impl Write,
) -> Result<(), CommandError> {
    match (&status.branch, &status.head) {
        (Some(b), Some(_)) => {
            writeln!(out, "On branch {}", ctx.paint(Color::Bold, b))?;
            if let Some(u) = upstream {
                writeln!(out, "{u}")?;
            }
        }
        (Some(b), None) => writeln!(out, "On branch {b}, no commits yet")?,
        (None, Some(h)) => {
            writeln!(
                out,
                "HEAD detached at {} (on no branch)",
                ctx.paint(Color::Yellow, &h.short(12))
            )?;
            ui::warn(
                "HEAD is detached: new commits belong to no branch; `daw switch -c NAME` starts one here",
            );
        }
        (None, None) => {}
    }
    if status.changes.is_empty() {
        let what = if status.head.is_some() {
            "Nothing changed since the last commit."
        } else if status.files == 0 {
            "The project folder is empty."
        } else {
            "Nothing committed yet."
        };
        writeln!(out, "{what}")?;
        return Ok(());
    }
    writeln!(
        out,
        "Changes since the last commit (`daw commit -m MESSAGE` records them):"
    )?;
    for c in &status.changes {
        let label = match c.kind {
            StatusKind::New => "new:",
            StatusKind::Modified => "modified:",
            StatusKind::Deleted => "deleted:",
            StatusKind::Renamed => "renamed:",
        };
        let text = match &c.from {
            Some(from) => format!("{label:<10} {from} → {}", c.path),
            None => format!("{label:<10} {}", c.path),
        };
        writeln!(out, "    {}", ctx.paint(color_of(c.kind), &text))?;
    }
    Ok(())
}
