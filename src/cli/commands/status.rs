use std::io::Write;
use std::path::Path;

use daw::repo::lock::{WatchMark, WatchNote};
use daw::repo::status::{Status, StatusKind};
use daw::repo::sync::AheadBehind;
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
///
/// While `daw watch` runs on the project, a last line says so: since when, the remote it pushes to,
/// the last autosave, and how many commits are not pushed yet (to the remote watch pushes to, else
/// the branch's remote-tracking branch: `origin`'s, or the one remote that has it; else the remote
/// `daw push` would use). --json gives the same as `"watch": {"pid", "since", "push", "last_autosave", "remote_branch", "unpushed"}` (times
/// in seconds since the Unix epoch), `null` when nothing watches the project.
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
        let watch = watched(&repo, status.branch.as_deref())?;
        let v = serde_json::json!({
            "branch": status.branch,
            "detached": status.branch.is_none(),
            "head": status.head.map(|h| h.to_hex()),
            "clean": status.changes.is_empty(),
            "changes": status.changes,
            "warnings": status.warnings.iter().map(|w| serde_json::json!({
                "path": w.path.to_string_lossy(), "message": w.message })).collect::<Vec<_>>(),
            "watch": watch.as_ref().map(Watched::json),
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
    let watch = watched(&repo, status.branch.as_deref())?;
    let upstream = match (&watch, &status.branch) {
        (Some(w), _) => w.tracking.as_ref().and_then(upstream_line),
        (None, Some(b)) => repo.ahead_behind(b, None)?.as_ref().and_then(upstream_line),
        (None, None) => None,
    };
    long_format(ctx, &status, upstream.as_deref(), &mut out)?;
    if let Some((state, phase)) = &merge {
        merge_lines(state, *phase, &mut out)?;
    }
    if let Some(w) = &watch {
        writeln!(out, "{}", w.line())?;
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
        match c.set.as_ref().filter(|s| !s.whole) {
            Some(set) => {
                let n = set.elements.len();
                let beside = if c.resolution.is_some() { "" } else { &beside };
                writeln!(
                    out,
                    "    {mark}: {} (merged inside the set; {} of {n} element{} changed on both sides to choose{beside})",
                    c.path,
                    set.unresolved(),
                    if n == 1 { "" } else { "s" }
                )?;
                for (i, e) in set.elements.iter().enumerate() {
                    let chosen = match e.resolution {
                        None => String::new(),
                        Some(daw::formats::als_merge::Side::Ours) => " (chosen: ours)".into(),
                        Some(daw::formats::als_merge::Side::Theirs) => " (chosen: theirs)".into(),
                    };
                    writeln!(out, "        {}. {}: {}{chosen}", i + 1, e.name, e.detail)?;
                }
            }
            None => {
                writeln!(
                    out,
                    "    {mark}: {} ({}{beside})",
                    c.path,
                    c.kind.describe()
                )?;
                if let Some(why) = &c.whole_file_reason {
                    writeln!(out, "        (not merged inside the set: {why})")?;
                }
            }
        }
    }
    if open > 0 {
        writeln!(
            out,
            "Choose with `daw resolve PATH --ours|--theirs|--both`; `daw merge --abort` goes back."
        )?;
        if state
            .unresolved()
            .any(|c| c.set.as_ref().is_some_and(|s| !s.whole))
        {
            writeln!(
                out,
                "In a set merged inside, choose per element: `daw resolve PATH --element N --ours|--theirs`."
            )?;
        }
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

/// What `daw status` says of a running `daw watch` (its mark, `repo::lock::WatchMark`).
struct Watched {
    /// The watcher's note, parsed; `None` when it is not in the expected form (then `raw` is shown).
    note: Option<WatchNote>,
    raw: String,
    /// HEAD is detached: autosaves go on no branch, and there is nothing to push.
    detached: bool,
    /// The last autosave on HEAD's first-parent line (time, UTC offset in minutes).
    last_autosave: Option<(i64, i32)>,
    /// The branch against the remote watch pushes to (`--push`), or its upstream (`origin`'s, or
    /// the remote that has one), or the remote `daw push` would use: how many commits are not
    /// pushed yet.
    tracking: Option<AheadBehind>,
}

impl Watched {
    /// `Watched by daw watch (pid 123, since …, pushing to 'usb'); last autosave …; 2 commits not
    /// pushed to 'usb/main'.`
    fn line(&self) -> String {
        let who = match &self.note {
            Some(n) => {
                let mut who = format!(
                    "pid {}, since {}",
                    n.pid,
                    ui::format_time(n.since, crate::cli::now().1)
                );
                if let Some(remote) = &n.push {
                    who.push_str(&format!(", pushing to '{remote}'"));
                }
                who
            }
            None => self.raw.clone(),
        };
        let last = match self.last_autosave {
            Some((t, tz)) => format!("last autosave {}", ui::format_time(t, tz)),
            None => "no autosave yet".to_string(),
        };
        let unpushed = match &self.tracking {
            Some(t) if t.ahead == 0 => format!("all pushed to '{}'", t.tracking),
            Some(t) => format!(
                "{} not pushed to '{}'",
                plural(t.ahead, "commit", "commits"),
                t.tracking
            ),
            None if self.detached => "nothing to push on a detached HEAD".to_string(),
            None => "no remote to push to".to_string(),
        };
        format!("Watched by daw watch ({who}); {last}; {unpushed}.")
    }

    /// `{"pid", "since", "push", "last_autosave", "remote_branch", "unpushed"}` (times in seconds
    /// since the Unix epoch; `null` where there is none).
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "pid": self.note.as_ref().map(|n| n.pid),
            "since": self.note.as_ref().map(|n| n.since),
            "push": self.note.as_ref().and_then(|n| n.push.clone()),
            "last_autosave": self.last_autosave.map(|(t, _)| t),
            "remote_branch": self.tracking.as_ref().map(|t| t.tracking.clone()),
            "unpushed": self.tracking.as_ref().map(|t| t.ahead),
        })
    }
}

/// The state of the `daw watch` running on the repository, if one is. Reads commits only then.
fn watched(
    repo: &daw::repo::Repository,
    branch: Option<&str>,
) -> Result<Option<Watched>, CommandError> {
    let Some(raw) = WatchMark::holder(repo.daw_dir()) else {
        return Ok(None);
    };
    let note = WatchNote::parse(&raw);
    let mut last_autosave = None;
    let mut at = repo.head_commit()?;
    for _ in 0..AUTOSAVE_LOOKBACK {
        let Some(id) = at else { break };
        let c = repo.read_commit(&id)?;
        if c.autosave {
            last_autosave = Some((c.author.time, c.author.tz_offset_minutes));
            break;
        }
        at = c.parents.first().copied();
    }
    let push = note.as_ref().and_then(|n| n.push.as_deref());
    let tracking = match branch {
        Some(b) => match repo.ahead_behind(b, push)? {
            Some(t) => Some(t),
            // Never pushed anywhere: against the remote a `daw push` would send it to.
            None => match default_remote(repo)? {
                Some(r) => repo.ahead_behind(b, Some(&r))?,
                None => None,
            },
        },
        None => None,
    };
    Ok(Some(Watched {
        note,
        raw,
        detached: branch.is_none(),
        last_autosave,
        tracking,
    }))
}

/// The remote `daw push` uses without a name: `origin`, or the only remote.
fn default_remote(repo: &daw::repo::Repository) -> Result<Option<String>, CommandError> {
    let names: Vec<String> = repo.remotes()?.into_iter().map(|(n, _)| n).collect();
    Ok(match names.as_slice() {
        _ if names.iter().any(|n| n == "origin") => Some("origin".into()),
        [only] => Some(only.clone()),
        _ => None,
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "Ahead of 'origin/main' by 2 commits…", for a branch that has a remote-tracking branch.
fn upstream_line(t: &AheadBehind) -> Option<String> {
    let name = &t.tracking;
    if !t.pushed {
        return None;
    }
    let commits = |n: usize| plural(n, "commit", "commits");
    Some(match (t.ahead, t.behind) {
        (0, 0) => format!("Up to date with '{name}'."),
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
    })
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
