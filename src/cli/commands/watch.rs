//! `daw watch`: the loop that turns settled saves into autosave commits (and pushes). What counts as
//! a settled save, which repositories a folder holds and the OS events live in the library
//! (`daw::watch`); this file holds the loop, the signals, the lock probe, the push retries and what
//! is printed.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use daw::object::Signature;
use daw::repo::lock::{LockError, RepoLock, WatchMark, WatchNote};
use daw::repo::snapshot::CommitOptions;
use daw::repo::sync::PushOptions;
use daw::repo::{Location, RepoError, Repository};
use daw::watch::discover::find_repositories;
use daw::watch::events::{self, Heard};
use daw::watch::settle::{Settle, Verdict};

use crate::cli::commands::sync::{open_remote, pick_remote, remote_failure};
use crate::cli::{CommandError, Context, identity, now, ui};

/// Snapshot every save of the project, in the background
///
/// Watches project folders (each a daw repository) or folders holding projects (every repository
/// below them, up to four levels down) and commits each settled save: once the files a save wrote
/// have kept their size and times for the debounce time, and a Live set's gzip stream, an FL Studio
/// project's data chunk and a WAV or AIFF recording are complete to their last byte. A file still
/// being written is left for the next settle, never committed half-written; so is a file written
/// again after the save settled, while the commit reads it (the commit records nothing then). Changes
/// made while daw was not watching are committed at start.
///
/// An autosave commit is marked as such and its message says what changed musically (`Tempo 120 →
/// 128 · + MIDI track 'Bass'`); `daw log --no-auto` leaves autosaves out. Manual commands keep working
/// while it runs: watch waits while another command holds the repository (a `switch` rewriting files)
/// and looks again afterwards.
///
/// With --push, each autosave is pushed; a failed push is retried (after 1 s, doubling, at most
/// every 5 minutes or --retry-max). Unpushed commits stay in the repository, so nothing is lost across restarts. On
/// SIGTERM or Ctrl-C it finishes the commit in progress, tries one last push for at most 10 seconds,
/// and exits 0. The passphrase is asked (or read from DAW_PASSPHRASE, DAW_PASSPHRASE_FILE or
/// DAW_PASSPHRASE_COMMAND) once, at start.
///
/// `daw status` in a watched project says that it is watched, when the last autosave was and how
/// many commits are not pushed yet.
///
/// --json prints one object per line: `{"event": "watching" | "autosave" | "waiting" | "changed" |
/// "busy" | "pushed" | "push_failed" | "error" | "stopped", "project": …}` (autosave: `commit`,
/// `message`, `files`; waiting: `path`, `reason`; changed: `paths`, written again while being
/// committed; push_failed: `error`, `retry_in_ms`).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Project folders, or folders holding projects (default: the current project)
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// How long a save's files must stay unchanged before it is committed (e.g. 2s, 500ms, 1m)
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub debounce: Duration,

    /// Push each autosave to this remote (retried while offline)
    #[arg(long, value_name = "REMOTE")]
    pub push: Option<String>,

    /// The longest wait between retries of a failed push (e.g. 30s, 5m)
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration, requires = "push")]
    pub retry_max: Duration,

    /// Print one JSON object per line for each event (see above)
    #[arg(long)]
    pub json: bool,
}

/// `2s`, `500ms`, `1m`, or plain seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (e.g. 2s, 500ms, 1m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" | "min" => value * 60.0,
        _ => return Err(format!("'{text}': the unit must be ms, s or m")),
    };
    if !(0.01..=3600.0).contains(&seconds) {
        return Err(format!("'{text}': a duration from 10ms to 1 hour"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The first retry after a failed push, doubled after each failure up to `--retry-max`.
const PUSH_BACKOFF_MIN: Duration = Duration::from_secs(1);
/// How long the last push on the way out may take before watch exits anyway (nothing is lost: the
/// commits wait in the repository for the next push).
const LAST_PUSH_BOUND: Duration = Duration::from_secs(10);

/// A message to the loop: what the OS said, or a signal to stop.
enum Message {
    Heard(Heard),
    /// The stop signal's name.
    Stop(&'static str),
}

/// One watched project.
struct Project {
    repo: Repository,
    /// Says that the repository is watched, for as long as this runs.
    _mark: WatchMark,
    settle: Settle,
    /// The project folder as given to the user (for messages).
    name: String,
    /// When to push next (after an autosave, or the retry after a failure).
    push_due: Option<Instant>,
    backoff: Duration,
    /// The cap on `backoff` (`--retry-max`).
    retry_max: Duration,
    /// The incomplete files already reported, so that a waiting file is said once.
    reported_waiting: Vec<PathBuf>,
    /// Whether "busy" was said since the last commit (it is said once, not at every look).
    reported_busy: bool,
}

struct Output<'a> {
    ctx: &'a Context,
    json: bool,
}

impl Output<'_> {
    fn event(&self, json: serde_json::Value, human: impl FnOnce() -> String) {
        if self.json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{json}");
            let _ = out.flush();
        } else if !self.ctx.quiet {
            let (t, tz) = now();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{} {}", ui::format_time(t, tz), human());
            let _ = out.flush();
        }
    }

    fn warn(&self, project: &str, msg: &str) {
        if self.json {
            self.event(
                serde_json::json!({"event": "error", "project": project, "error": msg}),
                String::new,
            );
        } else {
            ui::warn(&format!("{project}: {msg}"));
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    // SIGINT and SIGTERM (Ctrl-C, Ctrl-Break and the console closing on Windows) are taken by one
    // thread and become a message to the loop: set up before any other thread starts, so every
    // thread inherits the signal mask (Linux).
    let mut signals = daw::platform::StopSignals::install()
        .map_err(|e| CommandError::problem(format!("cannot set up the stop signals: {e}")))?;
    daw::platform::limit_retained_memory();
    // The process holds the repositories' keys for hours: no core dumps, no ptrace by the user's
    // other processes (docs/SECURITY.md; Linux).
    daw::platform::mark_not_dumpable();
    let locations = locate(ctx, &args.dirs)?;
    let (tx, rx) = mpsc::channel::<Message>();
    {
        let tx = tx.clone();
        std::thread::Builder::new()
            .name("daw-watch-signals".into())
            .spawn(move || {
                while let Some(sig) = signals.wait() {
                    if tx.send(Message::Stop(sig)).is_err() {
                        break;
                    }
                }
            })
            .map_err(CommandError::from)?;
    }
    let out = Output {
        ctx,
        json: args.json,
    };
    let mut projects = Vec::new();
    for location in locations {
        let work_tree = std::fs::canonicalize(&location.work_tree)
            .map_err(|e| CommandError::from(daw::repo::RepoError::io(&location.work_tree, e)))?;
        let daw_dir = std::fs::canonicalize(&location.daw_dir)
            .map_err(|e| CommandError::from(daw::repo::RepoError::io(&location.daw_dir, e)))?;
        // One watcher per repository; `daw status` reads the mark.
        let (started, _) = now();
        let note = WatchNote {
            pid: std::process::id(),
            since: started,
            push: args.push.clone(),
        };
        let mark = WatchMark::hold(&location.daw_dir, &note.encode()).map_err(|e| match e {
            LockError::Busy { holder } => CommandError::user(format!(
                "{} is already watched ({})",
                work_tree.display(),
                holder.split(" since ").next().unwrap_or(&holder)
            ))
            .hint("stop the other `daw watch` first"),
            e => CommandError::problem(e.to_string()),
        })?;
        let repo = ctx.open_at(location)?;
        if let Some(remote) = &args.push {
            // The remote must exist now: a typo must not surface hours later.
            let name = pick_remote(&repo, Some(remote))?;
            repo.remote(&name)?;
        }
        projects.push(Project {
            repo,
            _mark: mark,
            name: work_tree.display().to_string(),
            settle: Settle::new(work_tree, daw_dir, args.debounce),
            // Commits left unpushed by an earlier run (offline, killed) go first.
            push_due: args.push.as_ref().map(|_| Instant::now()),
            backoff: PUSH_BACKOFF_MIN.min(args.retry_max),
            retry_max: args.retry_max,
            reported_waiting: Vec::new(),
            reported_busy: false,
        });
    }
    let folders: Vec<PathBuf> = projects
        .iter()
        .map(|p| p.settle.work_tree().to_path_buf())
        .collect();
    let events_tx = tx.clone();
    let _watcher = events::watch(&folders, move |heard| {
        let _ = events_tx.send(Message::Heard(heard));
    })
    .map_err(|e| {
        CommandError::problem(format!("cannot watch the project folders: {e}"))
            .hint("on Linux, raise fs.inotify.max_user_watches (sysctl) if the limit was reached")
    })?;
    drop(tx);
    // What changed while nobody watched is committed like any save.
    let start = Instant::now();
    for p in &mut projects {
        p.settle.heard_all(start);
    }
    out.event(
        serde_json::json!({"event": "watching", "projects": folders, "debounce_ms": args.debounce.as_millis() as u64}),
        || {
            let noun = if folders.len() == 1 { "project" } else { "projects" };
            let list: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
            format!(
                "Watching {} {noun} (debounce {:?}): {}",
                folders.len(),
                args.debounce,
                list.join(", ")
            )
        },
    );
    let mut stop: Option<&'static str> = None;
    while stop.is_none() {
        let deadline = projects
            .iter()
            .flat_map(|p| [p.settle.deadline(), p.push_due])
            .flatten()
            .min();
        let message = match deadline {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
            None => match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => break,
            },
        };
        let mut next = message;
        // Take every message already waiting before looking at the files.
        while let Some(m) = next {
            match m {
                Message::Stop(sig) => stop = Some(sig),
                Message::Heard(heard) => hear(&mut projects, heard, &out),
            }
            next = rx.try_recv().ok();
        }
        for i in 0..projects.len() {
            // Another project's commit may have taken a while: what was heard meanwhile comes first.
            while let Ok(m) = rx.try_recv() {
                match m {
                    Message::Stop(sig) => stop = Some(sig),
                    Message::Heard(heard) => hear(&mut projects, heard, &out),
                }
            }
            if stop.is_some() {
                break;
            }
            let p = &mut projects[i];
            match p.settle.check(Instant::now()) {
                Verdict::Settled => autosave(p, &out, args.push.is_some()),
                Verdict::Incomplete(files) => {
                    for (path, why) in files {
                        if p.reported_waiting.contains(&path) {
                            continue;
                        }
                        out.event(
                            serde_json::json!({"event": "waiting", "project": p.name, "path": path, "reason": why}),
                            || format!("{}: waiting for {} to be complete ({why})", p.name, path.display()),
                        );
                        p.reported_waiting.push(path);
                    }
                }
                Verdict::Idle | Verdict::WaitUntil(_) => {}
            }
            if let (Some(remote), Some(due)) = (&args.push, p.push_due)
                && due <= Instant::now()
            {
                push(p, remote, &out, None);
            }
        }
    }
    // Stopping: the commit in progress has finished (commits run on this thread); one last push of
    // what is not pushed yet, bounded in time.
    if let Some(remote) = &args.push {
        let deadline = Instant::now() + LAST_PUSH_BOUND;
        for p in &mut projects {
            if p.push_due.is_some() && Instant::now() < deadline {
                push(p, remote, &out, Some(deadline));
            }
        }
    }
    let signal = stop.unwrap_or("end of events");
    out.event(
        serde_json::json!({"event": "stopped", "signal": signal}),
        || format!("Stopped watching ({signal})."),
    );
    Ok(())
}

/// The repositories the arguments name (the current one without arguments).
fn locate(ctx: &Context, dirs: &[PathBuf]) -> Result<Vec<Location>, CommandError> {
    if dirs.is_empty() {
        return Ok(vec![ctx.locate()?]);
    }
    let mut all: Vec<Location> = Vec::new();
    for dir in dirs {
        let dir = ctx.cwd.join(dir);
        if !dir.is_dir() {
            return Err(CommandError::user(format!(
                "{} is not a folder",
                dir.display()
            )));
        }
        let found = find_repositories(&dir)?;
        if found.is_empty() {
            return Err(CommandError::user(format!(
                "no daw project in or below {}",
                dir.display()
            ))
            .hint("make the project a repository first: `daw init` in its folder"));
        }
        for l in found {
            if !all.contains(&l) {
                all.push(l);
            }
        }
    }
    Ok(all)
}

/// Hands the paths of an event to the projects they are in.
fn hear(projects: &mut [Project], heard: Heard, out: &Output<'_>) {
    let now = Instant::now();
    match heard {
        Heard::Paths(paths) => {
            for path in paths {
                let Some(p) = projects
                    .iter_mut()
                    .filter(|p| path.starts_with(p.settle.work_tree()))
                    .max_by_key(|p| p.settle.work_tree().as_os_str().len())
                else {
                    continue;
                };
                if let Some(rel) = p.settle.relevant(&path) {
                    p.reported_waiting.retain(|w| *w != rel);
                    p.settle.heard(rel, now);
                }
            }
        }
        Heard::Rescan => {
            for p in projects {
                p.settle.heard_all(now);
            }
        }
        Heard::Failed(e) => {
            for p in projects {
                out.warn(
                    &p.name,
                    &format!("file events failed ({e}); looking at every file"),
                );
                p.settle.heard_all(now);
            }
        }
    }
}

/// Commits a settled save, unless another command holds the repository (then looks again later).
fn autosave(p: &mut Project, out: &Output<'_>, pushing: bool) {
    let now_instant = Instant::now();
    // A `switch`, `restore` or manual commit in progress: never commit files it is rewriting. The
    // probe is dropped at once; the commit takes the lock itself.
    match RepoLock::acquire(p.repo.daw_dir(), Duration::ZERO, "daw watch (checking)") {
        Ok(probe) => drop(probe),
        Err(LockError::Busy { holder }) => {
            if !p.reported_busy {
                out.event(
                    serde_json::json!({"event": "busy", "project": p.name, "holder": holder}),
                    || format!("{}: busy ({holder}); will look again", p.name),
                );
                p.reported_busy = true;
            }
            p.settle.retry_later(now_instant);
            return;
        }
        Err(e) => {
            out.warn(&p.name, &e.to_string());
            p.settle.retry_later(now_instant);
            return;
        }
    }
    let (name, email) = identity(Some(&p.repo));
    let (time, tz_offset_minutes) = now();
    let opts = CommitOptions {
        message: String::new(),
        author: Signature {
            name,
            email,
            time,
            tz_offset_minutes,
        },
        paths: Vec::new(),
        allow_empty: false,
        autosave: true,
        settled: Some(p.settle.settled()),
    };
    let mut progress = ui::Progress::new(true);
    let result = p.repo.commit(&opts, &mut progress);
    release_memory(&mut p.repo);
    let report = match result {
        Ok(r) => r,
        Err(RepoError::Unsettled { paths }) => {
            // The DAW wrote again after the save settled: those files settle anew (nothing was
            // committed, so nothing half-written was).
            let now = Instant::now();
            out.event(
                serde_json::json!({"event": "changed", "project": p.name, "paths": paths}),
                || {
                    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                    format!(
                        "{}: {} changed as it was being committed; waiting for it to settle again",
                        p.name,
                        list.join(", ")
                    )
                },
            );
            for path in paths {
                p.reported_waiting.retain(|w| *w != path);
                p.settle.heard(path, now);
            }
            return;
        }
        Err(e) => {
            let e = CommandError::from(e);
            out.warn(&p.name, &format!("{:#}; will try again", e.error));
            p.settle.retry_later(Instant::now());
            return;
        }
    };
    p.settle.committed();
    p.reported_waiting.clear();
    p.reported_busy = false;
    for w in &report.warnings {
        out.warn(&p.name, &format!("{}: {}", w.path.display(), w.message));
    }
    let Some(id) = report.commit else {
        return;
    };
    let message = p
        .repo
        .read_commit(&id)
        .map(|c| c.message)
        .unwrap_or_default();
    out.event(
        serde_json::json!({"event": "autosave", "project": p.name, "commit": id.to_hex(), "message": message, "files": report.changes.len()}),
        || format!("{}: autosaved {} {message}", p.name, id.short(12)),
    );
    if pushing {
        p.push_due = Some(Instant::now());
    }
}

/// Gives back to the system what a commit used: watch waits for hours between saves, and a commit
/// of a Live set passes through tens of MB (the set, its XML, zlib's and zstd's state). The sealing
/// threads stop (the next commit starts them again), and glibc returns its free pages (with the
/// thresholds `platform::limit_retained_memory` set, it also gives back the top of its second arena, which
/// `malloc_trim` leaves alone).
fn release_memory(repo: &mut Repository) {
    // Nothing is in flight after a commit returns; a failure here would only keep the threads.
    let _ = repo.release_workers();
    daw::platform::release_free_memory();
}

/// Pushes the current branch; on failure schedules a retry with a doubled (capped) delay. With
/// `bound`, the push runs on its own thread and is abandoned at that instant (the process is
/// exiting; the commits stay in the repository for the next push).
fn push(p: &mut Project, remote: &str, out: &Output<'_>, bound: Option<Instant>) {
    if let Some(deadline) = bound {
        // A watchdog: the process is exiting; a push still hanging at the deadline is abandoned
        // (crash-safe like any interrupted push: the commits stay queued for the next one).
        let json = out.json;
        let quiet = out.ctx.quiet;
        let _ = std::thread::Builder::new()
            .name("daw-watch-last-push".into())
            .spawn(move || {
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                let mut stdout = std::io::stdout().lock();
                if json {
                    let _ = writeln!(stdout, "{}", serde_json::json!({"event": "stopped", "signal": "last push timed out"}));
                } else if !quiet {
                    let _ = writeln!(stdout, "The last push did not finish in time; the commits stay queued in the repository.");
                }
                let _ = stdout.flush();
                std::process::exit(0);
            });
    }
    let result = push_once(&mut p.repo, remote, out.ctx);
    match result {
        Ok(false) => {
            p.push_due = None;
            p.backoff = PUSH_BACKOFF_MIN.min(p.retry_max);
        }
        Ok(true) => {
            p.push_due = None;
            p.backoff = PUSH_BACKOFF_MIN.min(p.retry_max);
            out.event(
                serde_json::json!({"event": "pushed", "project": p.name, "remote": remote}),
                || format!("{}: pushed to '{remote}'", p.name),
            );
        }
        Err(e) => {
            let retry = p.backoff;
            p.backoff = (p.backoff * 2).min(p.retry_max);
            p.push_due = Some(Instant::now() + retry);
            let error = format!("{:#}", e.error);
            out.event(
                serde_json::json!({"event": "push_failed", "project": p.name, "remote": remote, "error": error, "retry_in_ms": retry.as_millis() as u64}),
                || format!("{}: push to '{remote}' failed ({error}); retrying in {retry:?}", p.name),
            );
        }
    }
}

/// Pushes the current branch; `true` when something was sent.
fn push_once(repo: &mut Repository, remote: &str, ctx: &Context) -> Result<bool, CommandError> {
    let name = pick_remote(repo, Some(remote))?;
    let (backend, url) = open_remote(repo, &name)?;
    let meta = ctx.op_meta(Some(repo));
    let progress = daw::remote::Progress {
        start: &|_, _| {},
        step: &|_| {},
    };
    let opts = PushOptions {
        branches: Vec::new(),
        all: false,
        tags: false,
        force: false,
    };
    let report = repo
        .push(&name, &backend, &opts, meta, &progress)
        .map_err(|e| remote_failure(e, &url))?;
    Ok(report.op.is_some())
}
