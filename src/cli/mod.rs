//! Command-line definitions, the environment, and the terminal: the only layer that prints, prompts
//! or reads `DAW_*` variables.

pub mod agent;
mod commands;
mod error;
mod graph;
mod linediff;
mod manual;
mod remote_env;
mod render;
mod ui;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use zeroize::Zeroizing;

use daw::repo::ops::OpMeta;
use daw::repo::{Location, Repository};
use daw::worktree::walk::Walk;

pub use error::CommandError;

const ABOUT: &str = "Version control for music projects: snapshots, history, branches and a musical diff \
for Ableton Live and FL Studio project folders, encrypted and deduplicated.";

const AFTER_HELP: &str = "\
Passphrase: daw asks for it on a terminal; scripts set DAW_PASSPHRASE, DAW_PASSPHRASE_FILE (a file \
holding it, mode 600) or DAW_PASSPHRASE_COMMAND (a shell command line, run with `sh -c`, that prints \
it). `daw key` adds, removes and changes passphrases and the recovery key. Once unlocked on a \
terminal, a repository's key is kept by a background agent for the session (10 minutes idle by \
default, DAW_AGENT_TIMEOUT seconds, at most 12 hours), so the passphrase is asked once; `daw lock` \
forgets it now, DAW_NO_AGENT=1 turns the agent off, DAW_AGENT=1 starts it without a terminal.

Exit codes: 0 success; 1 the command found a difference or a problem it reports (e.g. fsck found \
damage); 2 usage or user error (bad arguments, not a repository, wrong passphrase, unknown revision, \
refused to overwrite uncommitted changes or to delete unmerged work, repository busy); 3 internal or \
storage failure.";

#[derive(Parser, Debug)]
#[command(name = "daw", version, about = ABOUT, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)
    #[arg(long, global = true, env = "DAW_DIR", value_name = "DIR")]
    pub daw_dir: Option<PathBuf>,

    /// Run as if daw was started in DIR
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,

    /// Print only errors and warnings
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Say more: which files were read, written or removed
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The commands. Not `defer`red (issue 16): clap's `defer` saved about 0.1 ms per start by defining a
/// command's arguments only when it runs, and with them its one-line description, so `daw --help` and
/// `daw help` listed every command with none.
#[derive(Subcommand, Debug)]
pub enum Command {
    Init(commands::init::Args),
    Commit(commands::commit::Args),
    Log(commands::log::Args),
    Show(commands::show::Args),
    Export(commands::export::Args),
    Fsck(commands::fsck::Args),
    Gc(commands::gc::Args),
    Stats(commands::stats::Args),
    Diff(commands::diff::Args),
    Inspect(commands::inspect::Args),
    Samples(commands::samples::Args),
    Status(commands::status::Args),
    Branch(commands::branch::Args),
    Switch(commands::switch::Args),
    Merge(commands::merge::Args),
    Resolve(commands::resolve::Args),
    Restore(commands::restore::Args),
    Tag(commands::tag::Args),
    Reset(commands::reset::Args),
    Oplog(commands::oplog::Args),
    Remote(commands::remote::Args),
    Push(commands::push::Args),
    Fetch(commands::fetch::Args),
    Pull(commands::pull::Args),
    Clone(commands::clone::Args),
    Undo(commands::undo::Args),
    Watch(commands::watch::Args),
    Lock(commands::lock::Args),
    Key(commands::key::Args),
    Completions(commands::completions::Args),
    #[command(hide = true)]
    GenerateDocs(commands::completions::GenerateDocsArgs),
    #[command(hide = true)]
    Agent(agent::Args),
}

/// `daw status` spends most of its time walking the project, and the walk needs nothing but the
/// project's location: it is started before the command line is parsed (which takes a few hundred
/// microseconds of a five-millisecond status), from a reading of the arguments that knows only what a
/// status can be given. When the parsed command turns out to be a status of that same location, the
/// walk is taken over ([`early_walk`]); in any other case it is never looked at.
static EARLY_WALK: std::sync::Mutex<Option<(Location, Walk)>> = std::sync::Mutex::new(None);

/// Starts the walk of a `daw status` before the command line is parsed (see [`EARLY_WALK`]).
pub fn start_early_walk() {
    let mut chdir: Option<PathBuf> = None;
    let mut daw_dir: Option<PathBuf> = None;
    let mut status = false;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let Some(a) = arg.to_str() else { return };
        match a {
            "status" if !status => status = true,
            "-C" => chdir = Some(args.next().map(PathBuf::from).unwrap_or_default()),
            "--daw-dir" => daw_dir = Some(args.next().map(PathBuf::from).unwrap_or_default()),
            "--color" => {
                args.next();
            }
            "-q" | "--quiet" | "-v" | "--verbose" | "-s" | "--short" | "--porcelain" | "--json"
            | "--ignored" => {}
            _ if a.starts_with("--daw-dir=") => daw_dir = Some(PathBuf::from(&a[10..])),
            _ if a.starts_with("--color=") => {}
            _ if a.starts_with("-C") && a.len() > 2 => chdir = Some(PathBuf::from(&a[2..])),
            _ => return,
        }
    }
    if !status {
        return;
    }
    let daw_dir = daw_dir.or_else(|| std::env::var_os("DAW_DIR").map(PathBuf::from));
    if chdir.as_ref().is_some_and(|d| d.as_os_str().is_empty())
        || daw_dir.as_ref().is_some_and(|d| d.as_os_str().is_empty())
    {
        return;
    }
    let cwd = match chdir {
        Some(d) => d,
        None => match std::env::current_dir() {
            Ok(d) => d,
            Err(_) => return,
        },
    };
    if let Ok(location) = Location::discover(&cwd, daw_dir.as_deref()) {
        let walk = Walk::start(&location.work_tree, &location.daw_dir);
        *EARLY_WALK.lock().unwrap_or_else(|e| e.into_inner()) = Some((location, walk));
    }
}

/// The walk [`start_early_walk`] started, if it was of `location`.
pub fn early_walk(location: &Location) -> Option<Walk> {
    let mut early = EARLY_WALK.lock().unwrap_or_else(|e| e.into_inner());
    match early.take() {
        Some((l, walk)) if l == *location => Some(walk),
        _ => None,
    }
}

/// What every command may need from the environment, read once.
pub struct Context {
    pub cwd: PathBuf,
    pub daw_dir: Option<PathBuf>,
    pub quiet: bool,
    pub verbose: bool,
    /// Whether stdout gets ANSI colours.
    pub color: bool,
    /// The command line, for the operation log.
    pub command_line: String,
}

impl Context {
    /// Finds the repository (without unlocking it).
    pub fn locate(&self) -> Result<Location, CommandError> {
        Ok(Location::discover(&self.cwd, self.daw_dir.as_deref())?)
    }

    /// Finds and unlocks the repository (with the key the agent keeps, else the passphrase), and
    /// tells it who is acting.
    pub fn open(&self) -> Result<Repository, CommandError> {
        self.open_at(self.locate()?)
    }

    /// [`Context::open`] of a repository already located.
    pub fn open_at(&self, location: Location) -> Result<Repository, CommandError> {
        let use_agent = agent::enabled();
        let repo_id = if use_agent {
            Repository::repository_id(&location).ok()
        } else {
            None
        };
        let from_agent = repo_id
            .as_deref()
            .and_then(agent::get)
            .and_then(|key| Repository::open_with_master(location.clone(), key).ok());
        let repo = match from_agent {
            Some(repo) => repo,
            None => {
                let pass = passphrase(false)?;
                let repo = Repository::open(location, pass.as_bytes())?;
                if let Some(id) = &repo_id
                    && !agent::put(id, repo.store().keys().master())
                    && self.verbose
                {
                    ui::warn("could not start the key agent; the passphrase will be asked again");
                }
                repo
            }
        };
        self.opened(repo, true)
    }

    /// [`Context::open`] without refusing a changed config or a rollback: for `daw fsck`, which
    /// reports them and can accept them.
    pub fn open_unchecked(&self) -> Result<Repository, CommandError> {
        let location = self.locate()?;
        let use_agent = agent::enabled();
        let from_agent = use_agent
            .then(|| Repository::repository_id(&location).ok())
            .flatten()
            .as_deref()
            .and_then(agent::get)
            .and_then(|key| Repository::open_with_master(location.clone(), key).ok());
        let repo = match from_agent {
            Some(repo) => repo,
            None => {
                let pass = passphrase(false)?;
                Repository::open(location, pass.as_bytes())?
            }
        };
        self.opened(repo, false)
    }

    /// Finds and unlocks the repository with `secret` only (never the agent's key): for commands
    /// that change the ways in, which must prove one of them.
    pub fn open_with_secret(
        &self,
        secret: &daw::store::keys::Secret,
    ) -> Result<Repository, CommandError> {
        let repo = Repository::open_with_secret(self.locate()?, secret)?;
        self.opened(repo, true)
    }

    /// Tells an unlocked repository who is acting and where the seen record is, and (when `check`)
    /// refuses it if its config was changed outside daw or it was rolled back.
    fn opened(&self, mut repo: Repository, check: bool) -> Result<Repository, CommandError> {
        if let Some(dir) = seen_dir() {
            repo.set_seen_dir(dir);
        }
        if check {
            let problems = repo.trust_problems()?;
            if let Some(first) = problems.first() {
                return Err(trust_error(first));
            }
        }
        // Who is acting is looked up only when an operation is recorded: reading the user's git
        // config costs more than a whole `daw status`.
        let configured = configured_identity(&repo);
        let command = self.command_line.clone();
        repo.set_op_meta(Box::new(move || {
            op_meta(identity_from(configured.clone()), command.clone())
        }));
        Ok(repo)
    }

    pub fn op_meta(&self, repo: Option<&Repository>) -> OpMeta {
        op_meta(identity(repo), self.command_line.clone())
    }

    /// `text` coloured when colours are on.
    pub fn paint(&self, color: ui::Color, text: &str) -> String {
        ui::paint(self.color, color, text)
    }

    /// Writes to stdout unless quiet.
    pub fn say(&self, text: std::fmt::Arguments<'_>) -> std::io::Result<()> {
        if !self.quiet {
            let mut out = std::io::stdout().lock();
            out.write_fmt(text)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The user's home folder: `HOME` (on Windows, where it is usually unset, `USERPROFILE`), as Git
/// finds it. Never the user database: glibc answers that through its NSS modules, which a statically
/// linked daw cannot load safely (docs/ARCHITECTURE.md, "The shipped binary"), and Git does not
/// consult it for `~/.gitconfig` either. `None` when neither is set or it is empty (an empty `HOME`
/// would make `~/.gitconfig` a file of the current folder): no file under the home folder is read.
pub fn home_dir() -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) {
        &["HOME", "USERPROFILE"]
    } else {
        &["HOME"]
    };
    names
        .iter()
        .find_map(|v| std::env::var_os(v).filter(|p| !p.is_empty()))
        .map(PathBuf::from)
}

/// Where the seen records of repositories are kept (the newest operation seen in each, for rollback
/// detection): `DAW_STATE_DIR`, else `$XDG_STATE_HOME/daw`, else `~/.local/state/daw` (on Windows,
/// where `HOME` is unset, `%LOCALAPPDATA%\daw`); then `seen/`.
pub fn seen_dir() -> Option<PathBuf> {
    let nonempty = |v: &str| {
        std::env::var_os(v)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    };
    let base = nonempty("DAW_STATE_DIR")
        .or_else(|| nonempty("XDG_STATE_HOME").map(|p| p.join("daw")))
        .or_else(|| nonempty("HOME").map(|p| p.join(".local/state/daw")))
        .or_else(|| nonempty("LOCALAPPDATA").map(|p| p.join("daw")))?;
    Some(base.join("seen"))
}

/// The error for a repository that is not as this user left it.
pub fn trust_error(problem: &daw::repo::trust::TrustProblem) -> CommandError {
    use daw::repo::trust::TrustProblem;
    let hint = match problem {
        TrustProblem::ConfigChanged { .. } => {
            "if you made this change yourself, accept it with `daw fsck --accept-config`; otherwise put the old value back"
        }
        TrustProblem::RolledBack { .. } => {
            "if you restored an older copy on purpose, accept it with `daw fsck --accept-rollback`; otherwise bring back the newer copy (a sync client's history, a backup, a remote)"
        }
    };
    CommandError::user(problem.to_string()).hint(hint)
}

/// The passphrase from the environment, or asked on the terminal (twice when `confirm`). Refused when
/// empty or not UTF-8, whatever its source.
pub fn passphrase(confirm: bool) -> Result<Zeroizing<String>, CommandError> {
    if let Some(p) = std::env::var_os("DAW_PASSPHRASE") {
        let p = Zeroizing::new(p.into_string().map_err(|_| not_utf8("DAW_PASSPHRASE"))?);
        return non_empty(p, "DAW_PASSPHRASE");
    }
    if let Some(path) = std::env::var_os("DAW_PASSPHRASE_FILE") {
        let path = PathBuf::from(path);
        return non_empty(
            read_secret_file(&path, "DAW_PASSPHRASE_FILE")?,
            "DAW_PASSPHRASE_FILE",
        );
    }
    if let Some(cmd) = std::env::var_os("DAW_PASSPHRASE_COMMAND") {
        return non_empty(run_passphrase_command(&cmd)?, "DAW_PASSPHRASE_COMMAND");
    }
    if !has_terminal() {
        return Err(
            CommandError::user("no passphrase given and no terminal to ask on")
                .hint("set DAW_PASSPHRASE, DAW_PASSPHRASE_FILE or DAW_PASSPHRASE_COMMAND"),
        );
    }
    ask_twice("Passphrase: ", "Passphrase again: ", confirm)
}

/// A new passphrase (`daw key add`, `daw key passwd`): `DAW_NEW_PASSPHRASE`, or asked twice on the
/// terminal.
pub fn new_passphrase() -> Result<Zeroizing<String>, CommandError> {
    if let Some(p) = std::env::var_os("DAW_NEW_PASSPHRASE") {
        let p = Zeroizing::new(
            p.into_string()
                .map_err(|_| not_utf8("DAW_NEW_PASSPHRASE"))?,
        );
        return non_empty(p, "DAW_NEW_PASSPHRASE");
    }
    if !has_terminal() {
        return Err(
            CommandError::user("no new passphrase given and no terminal to ask on")
                .hint("set DAW_NEW_PASSPHRASE"),
        );
    }
    ask_twice("New passphrase: ", "New passphrase again: ", true)
}

/// The recovery key: `DAW_RECOVERY_KEY`, or asked on the terminal.
pub fn recovery_key() -> Result<daw::store::keys::RecoveryKey, CommandError> {
    let text = match std::env::var_os("DAW_RECOVERY_KEY") {
        Some(p) => Zeroizing::new(p.into_string().map_err(|_| not_utf8("DAW_RECOVERY_KEY"))?),
        None if has_terminal() => Zeroizing::new(
            rpassword::prompt_password("Recovery key: ")
                .map_err(|e| CommandError::user(format!("cannot read the recovery key: {e}")))?,
        ),
        None => {
            return Err(
                CommandError::user("no recovery key given and no terminal to ask on")
                    .hint("set DAW_RECOVERY_KEY"),
            );
        }
    };
    daw::store::keys::RecoveryKey::parse(&text).map_err(|e| {
        CommandError::user(e.to_string()).hint("type it as `daw init` showed it: 9 groups of 4")
    })
}

pub(crate) fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn not_utf8(source: &str) -> CommandError {
    CommandError::user(format!("the passphrase in {source} is not valid UTF-8"))
        .hint("daw passphrases are text; re-encode it as UTF-8")
}

fn non_empty(p: Zeroizing<String>, source: &str) -> Result<Zeroizing<String>, CommandError> {
    if p.is_empty() {
        return Err(
            CommandError::user(format!("the passphrase from {source} is empty"))
                .hint("an empty passphrase protects nothing; set a real one"),
        );
    }
    Ok(p)
}

/// Reads a passphrase file, warning when other users may read it.
fn read_secret_file(
    path: &std::path::Path,
    source: &str,
) -> Result<Zeroizing<String>, CommandError> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        CommandError::user(format!("cannot read {source} {}: {e}", path.display()))
    })?);
    if let Ok(meta) = std::fs::metadata(path)
        && let Some(mode) = daw::platform::open_to_others(&meta)
    {
        ui::warn(&format!(
            "{source} {} can be read by other users (mode {mode:o}); run `chmod 600` on it",
            path.display(),
        ));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| not_utf8(source))?;
    Ok(Zeroizing::new(strip_newline(text.to_string())))
}

/// Runs `DAW_PASSPHRASE_COMMAND` with `sh -c` (`cmd /C` on Windows; documented: it is a shell command
/// line, such as `pass show music/daw`), with stderr passed through.
fn run_passphrase_command(cmd: &std::ffi::OsStr) -> Result<Zeroizing<String>, CommandError> {
    let out = daw::platform::shell_command(cmd)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| CommandError::user(format!("cannot run DAW_PASSPHRASE_COMMAND: {e}")))?;
    let stdout = Zeroizing::new(out.stdout);
    if !out.status.success() {
        return Err(CommandError::user(format!(
            "DAW_PASSPHRASE_COMMAND failed ({})",
            out.status
        )));
    }
    let text = std::str::from_utf8(&stdout).map_err(|_| not_utf8("DAW_PASSPHRASE_COMMAND"))?;
    Ok(Zeroizing::new(strip_newline(text.to_string())))
}

fn ask_twice(prompt: &str, again: &str, confirm: bool) -> Result<Zeroizing<String>, CommandError> {
    let read = |p: &str| {
        rpassword::prompt_password(p)
            .map(Zeroizing::new)
            .map_err(|e| CommandError::user(format!("cannot read the passphrase: {e}")))
    };
    let first = read(prompt)?;
    if first.is_empty() {
        return Err(CommandError::user("the passphrase is empty"));
    }
    if confirm {
        let second = read(again)?;
        if *first != *second {
            return Err(CommandError::user("the passphrases do not match"));
        }
    }
    Ok(first)
}

fn strip_newline(mut s: String) -> String {
    while s.ends_with('\n') || s.ends_with('\r') {
        s.pop();
    }
    s
}

/// The current time and UTC offset; `DAW_TIMESTAMP` (seconds since the epoch) pins it for tests and
/// reproducible scripts.
pub fn now() -> (i64, i32) {
    if let Some(t) = std::env::var("DAW_TIMESTAMP")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return (t, 0);
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    (secs, local_offset_minutes(secs))
}

pub(crate) fn local_offset_minutes(secs: i64) -> i32 {
    daw::platform::local_offset_minutes(secs)
}

pub fn hostname() -> String {
    let name = gethostname::gethostname();
    if name.is_empty() {
        return "localhost".into();
    }
    name.to_string_lossy().into_owned()
}

fn op_meta((name, email): (String, String), command: String) -> OpMeta {
    let (time, tz) = now();
    OpMeta {
        time,
        tz_offset_minutes: tz,
        user: format!("{name} <{email}>"),
        hostname: hostname(),
        command,
    }
}

/// `user.name` and `user.email` from the repository config, where set.
fn configured_identity(repo: &Repository) -> (Option<String>, Option<String>) {
    (
        repo.config().get("user.name"),
        repo.config().get("user.email"),
    )
}

/// (name, email): the repository's config, else the user's git config, else the OS user.
pub fn identity(repo: Option<&Repository>) -> (String, String) {
    identity_from(repo.map(configured_identity).unwrap_or_default())
}

/// The author: the repository config, else the user's git config, else the OS user.
fn identity_from((mut name, mut email): (Option<String>, Option<String>)) -> (String, String) {
    if (name.is_none() || email.is_none())
        && let Some(globals) = git_globals()
    {
        name = name.or_else(|| globals.string("user.name").map(|v| v.to_string()));
        email = email.or_else(|| globals.string("user.email").map(|v| v.to_string()));
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "producer".into());
    let name = name.unwrap_or_else(|| user.clone());
    let email = email.unwrap_or_else(|| format!("{user}@{}", hostname()));
    (name, email)
}

/// The user's system and global git config (`/etc/gitconfig`, `~/.gitconfig`, `$XDG_CONFIG_HOME/git/config`
/// and their `GIT_CONFIG_*` overrides). Unlike `File::from_globals`, it does not run `git` to find the
/// installation's own config, which never holds a user's name.
fn git_globals() -> Option<gix_config::File> {
    use gix_config::source::Kind;
    let metas = [Kind::System, Kind::Global]
        .iter()
        .flat_map(|kind| kind.sources())
        .map(|source| gix_config::file::Metadata {
            path: source
                .storage_location(&mut |name| match name {
                    "HOME" => home_dir().map(PathBuf::into_os_string),
                    _ => std::env::var_os(name),
                })
                .and_then(|p| p.is_file().then_some(p)),
            source: *source,
            level: 0,
            trust: gix_sec::Trust::Full,
        });
    let home = home_dir();
    let mut includes =
        gix_config::file::includes::Options::follow_without_conditional(home.as_deref());
    // `~user/` in an include path would ask the user database (getpwnam): such an include is skipped.
    includes.interpolate.home_for_user = None;
    let options = gix_config::file::init::Options {
        includes,
        ..Default::default()
    };
    gix_config::File::from_paths_metadata(metas, options)
        .ok()
        .flatten()
}

/// The command line for the operation log: `daw` and the arguments, quoted for a POSIX shell where
/// needed.
fn command_line() -> String {
    let mut parts = vec!["daw".to_string()];
    for a in std::env::args_os().skip(1) {
        let a = a.to_string_lossy();
        let plain = !a.is_empty()
            && a.chars()
                .all(|c| c.is_alphanumeric() || "-_./:=@%+,~^".contains(c));
        parts.push(if plain {
            a.into_owned()
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        });
    }
    parts.join(" ")
}

/// Runs the command line; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let cwd = match &cli.chdir {
        Some(d) => d.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    };
    let ctx = Context {
        cwd,
        daw_dir: cli.daw_dir.clone(),
        quiet: cli.quiet,
        verbose: cli.verbose,
        color,
        command_line: command_line(),
    };
    let result = match cli.command {
        Command::Init(a) => commands::init::run(&ctx, a),
        Command::Commit(a) => commands::commit::run(&ctx, a),
        Command::Log(a) => commands::log::run(&ctx, a),
        Command::Show(a) => commands::show::run(&ctx, a),
        Command::Export(a) => commands::export::run(&ctx, a),
        Command::Fsck(a) => commands::fsck::run(&ctx, a),
        Command::Gc(a) => commands::gc::run(&ctx, a),
        Command::Stats(a) => commands::stats::run(&ctx, a),
        Command::Diff(a) => commands::diff::run(&ctx, a),
        Command::Inspect(a) => commands::inspect::run(&ctx, a),
        Command::Samples(a) => commands::samples::run(&ctx, a),
        Command::Status(a) => commands::status::run(&ctx, a),
        Command::Branch(a) => commands::branch::run(&ctx, a),
        Command::Switch(a) => commands::switch::run(&ctx, a),
        Command::Merge(a) => commands::merge::run(&ctx, a),
        Command::Resolve(a) => commands::resolve::run(&ctx, a),
        Command::Restore(a) => commands::restore::run(&ctx, a),
        Command::Tag(a) => commands::tag::run(&ctx, a),
        Command::Reset(a) => commands::reset::run(&ctx, a),
        Command::Oplog(a) => commands::oplog::run(&ctx, a),
        Command::Remote(a) => commands::remote::run(&ctx, a),
        Command::Push(a) => commands::push::run(&ctx, a),
        Command::Fetch(a) => commands::fetch::run(&ctx, a),
        Command::Pull(a) => commands::pull::run(&ctx, a),
        Command::Clone(a) => commands::clone::run(&ctx, a),
        Command::Undo(a) => commands::undo::run(&ctx, a),
        Command::Watch(a) => commands::watch::run(&ctx, a),
        Command::Lock(a) => commands::lock::run(&ctx, a),
        Command::Key(a) => commands::key::run(&ctx, a),
        Command::Completions(a) => commands::completions::run(&ctx, a),
        Command::GenerateDocs(a) => commands::completions::generate_docs(&ctx, a),
        Command::Agent(a) => agent::run(&ctx, a),
    };
    match result {
        Ok(()) => 0,
        Err(e) if error::is_broken_pipe(&e.error) => 0,
        Err(e) if e.is_quiet() => e.exit_code(),
        Err(e) => {
            ui::print_error(&e);
            e.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
