//! Command-line definitions, the environment, and the terminal: the only layer that prints, prompts
//! or reads `DAW_*` variables.

mod commands;
mod error;
mod linediff;
mod render;
mod ui;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use zeroize::Zeroizing;

use daw::repo::ops::OpMeta;
use daw::repo::{Location, Repository};

pub use error::CommandError;

const ABOUT: &str = "Version control for music projects: snapshots, history, branches and a musical diff \
for Ableton Live and FL Studio project folders, encrypted and deduplicated.";

const AFTER_HELP: &str = "\
Passphrase: daw asks for it on a terminal; scripts set DAW_PASSPHRASE, DAW_PASSPHRASE_FILE (a file \
holding it) or DAW_PASSPHRASE_COMMAND (a command that prints it).

Exit codes: 0 success; 1 the command found a problem it reports (e.g. fsck found damage); \
2 usage or user error (bad arguments, not a repository, wrong passphrase, refused to overwrite); \
3 internal or storage failure.";

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

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Init(commands::init::Args),
    Commit(commands::commit::Args),
    Log(commands::log::Args),
    Show(commands::show::Args),
    Export(commands::export::Args),
    Fsck(commands::fsck::Args),
    Diff(commands::diff::Args),
    Inspect(commands::inspect::Args),
    Samples(commands::samples::Args),
}

/// What every command may need from the environment, read once.
pub struct Context {
    pub cwd: PathBuf,
    pub daw_dir: Option<PathBuf>,
    pub quiet: bool,
    /// The command line, for the operation log.
    pub command_line: String,
}

impl Context {
    /// Finds the repository (without unlocking it).
    pub fn locate(&self) -> Result<Location, CommandError> {
        Ok(Location::discover(&self.cwd, self.daw_dir.as_deref())?)
    }

    /// Finds and unlocks the repository, and tells it who is acting.
    pub fn open(&self) -> Result<Repository, CommandError> {
        let location = self.locate()?;
        let pass = passphrase(false)?;
        let mut repo = Repository::open(location, pass.as_bytes())?;
        let meta = self.op_meta(Some(&repo));
        repo.set_op_meta(meta);
        Ok(repo)
    }

    pub fn op_meta(&self, repo: Option<&Repository>) -> OpMeta {
        let id = identity(repo);
        let (time, tz) = now();
        OpMeta {
            time,
            tz_offset_minutes: tz,
            user: format!("{} <{}>", id.0, id.1),
            hostname: hostname(),
            command: self.command_line.clone(),
        }
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

/// The passphrase from the environment, or asked on the terminal (twice when `confirm`).
pub fn passphrase(confirm: bool) -> Result<Zeroizing<String>, CommandError> {
    if let Some(p) = std::env::var_os("DAW_PASSPHRASE") {
        return Ok(Zeroizing::new(p.to_string_lossy().into_owned()));
    }
    if let Some(path) = std::env::var_os("DAW_PASSPHRASE_FILE") {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            CommandError::user(format!(
                "cannot read DAW_PASSPHRASE_FILE {}: {e}",
                PathBuf::from(&path).display()
            ))
        })?;
        return Ok(Zeroizing::new(strip_newline(text)));
    }
    if let Some(cmd) = std::env::var_os("DAW_PASSPHRASE_COMMAND") {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&cmd)
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| CommandError::user(format!("cannot run DAW_PASSPHRASE_COMMAND: {e}")))?;
        if !out.status.success() {
            return Err(CommandError::user(format!(
                "DAW_PASSPHRASE_COMMAND failed ({})",
                out.status
            )));
        }
        let text = String::from_utf8(out.stdout).map_err(|_| {
            CommandError::user("DAW_PASSPHRASE_COMMAND printed something that is not UTF-8")
        })?;
        return Ok(Zeroizing::new(strip_newline(text)));
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(
            CommandError::user("no passphrase given and no terminal to ask on")
                .hint("set DAW_PASSPHRASE, DAW_PASSPHRASE_FILE or DAW_PASSPHRASE_COMMAND"),
        );
    }
    let first = Zeroizing::new(
        rpassword::prompt_password("Passphrase: ")
            .map_err(|e| CommandError::user(format!("cannot read the passphrase: {e}")))?,
    );
    if confirm {
        if first.is_empty() {
            return Err(CommandError::user("the passphrase is empty"));
        }
        let again = Zeroizing::new(
            rpassword::prompt_password("Passphrase again: ")
                .map_err(|e| CommandError::user(format!("cannot read the passphrase: {e}")))?,
        );
        if *first != *again {
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

fn local_offset_minutes(secs: i64) -> i32 {
    let t = secs as libc::time_t;
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: `t` and `tm` are valid for the call; localtime_r is the thread-safe variant.
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if ok { (tm.tm_gmtoff / 60) as i32 } else { 0 }
}

pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates when it fits.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "localhost".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// (name, email): the repository's config, else the user's git config, else the OS user.
pub fn identity(repo: Option<&Repository>) -> (String, String) {
    let mut name = repo.and_then(|r| r.config().get("user.name"));
    let mut email = repo.and_then(|r| r.config().get("user.email"));
    if (name.is_none() || email.is_none())
        && let Ok(globals) = gix_config::File::from_globals()
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
    let ctx = Context {
        cwd,
        daw_dir: cli.daw_dir.clone(),
        quiet: cli.quiet,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let result = match cli.command {
        Command::Init(a) => commands::init::run(&ctx, a),
        Command::Commit(a) => commands::commit::run(&ctx, a),
        Command::Log(a) => commands::log::run(&ctx, a),
        Command::Show(a) => commands::show::run(&ctx, a),
        Command::Export(a) => commands::export::run(&ctx, a),
        Command::Fsck(a) => commands::fsck::run(&ctx, a),
        Command::Diff(a) => commands::diff::run(&ctx, a),
        Command::Inspect(a) => commands::inspect::run(&ctx, a),
        Command::Samples(a) => commands::samples::run(&ctx, a),
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
