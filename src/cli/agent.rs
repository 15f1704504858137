//! The key agent: the passphrase is typed (and Argon2id paid) once per working session.
//!
//! After a repository is unlocked with a passphrase, daw starts `daw agent` in the background (unless
//! `DAW_NO_AGENT` is set) and hands it the repository's master key. Later commands ask the agent first
//! and use the key only after checking that it opens the repository's current operation (so a stale
//! or foreign key is never used: they fall back to the passphrase).
//!
//! - The agent listens on a Unix socket, `agent.sock`, in a folder only the user can enter:
//!   `$XDG_RUNTIME_DIR/daw`, or `/tmp/daw-<uid>` (created 0700; refused if another user owns it or
//!   others can enter it). The socket is 0600 and the agent also checks each peer's uid, as daw
//!   checks the agent's.
//! - Keys live in one locked memory page (`mlock`, not swapped), the process is not dumpable
//!   (no core files, no ptrace by other processes of the user), and keys are wiped on exit.
//! - It starts only for a user at a terminal (or when `DAW_AGENT=1` asks for it): a script that
//!   passes the passphrase in the environment gets no agent left behind.
//! - It exits, wiping the keys, after `DAW_AGENT_TIMEOUT` seconds in which no key was used (default
//!   600, at most 12 hours; a connection that asks for no key does not count), on `daw lock`, and when
//!   the login session that started it ends (its session leader, the login shell or terminal, exits).
//! - Any process of the same user can ask it for a key, as with ssh-agent (docs/SECURITY.md).
//! - Unix only (Linux and macOS): on Windows there is no agent, and every command unlocks with the
//!   passphrase (or `DAW_PASSPHRASE*`). The OS calls it makes are `daw::platform::agent`'s.
//!
//! Protocol (one request per connection): `op (u8) ‖ id length (u8) ‖ repository id ‖ [key (32)]`;
//! ops 1 get, 2 put, 3 lock (forget everything and exit). Answers: get → `1 ‖ key` or `0`; put → `0`;
//! lock → `count (u8)`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use daw::platform::FileStat;
use daw::platform::agent::{self, Listener, Stream};
use daw::store::crypto::SecretKey;
use zeroize::Zeroize;

use super::{CommandError, Context};

/// Idle time after which the agent forgets its keys and exits.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(600);
/// The longest idle time allowed: a key is never kept for days.
pub const MAX_IDLE: Duration = Duration::from_secs(12 * 3600);
const SOCKET_NAME: &str = "agent.sock";
const OP_GET: u8 = 1;
const OP_PUT: u8 = 2;
const OP_LOCK: u8 = 3;
/// How many repositories one agent remembers (one locked page).
const SLOTS: usize = 32;
const IO_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether the agent may be used: the system has one (not Windows), and `DAW_NO_AGENT` is unset or
/// empty.
pub fn enabled() -> bool {
    agent::AVAILABLE && std::env::var_os("DAW_NO_AGENT").is_none_or(|v| v.is_empty())
}

/// The agent's idle timeout from `DAW_AGENT_TIMEOUT` (seconds), at most [`MAX_IDLE`].
pub fn idle_timeout() -> Duration {
    std::env::var("DAW_AGENT_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_IDLE)
        .min(MAX_IDLE)
}

/// Whether a new agent may be started: at a terminal, or when `DAW_AGENT=1` asks for one.
fn may_start() -> bool {
    std::env::var_os("DAW_AGENT").is_some_and(|v| v == "1") || super::has_terminal()
}

/// The private folder holding the socket, created if needed; `None` if it is not safe to use.
fn runtime_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir());
    let dir = match base {
        Some(b) => b.join("daw"),
        None => std::env::temp_dir().join(format!("daw-{}", agent::user_id())),
    };
    agent::private_dir(&dir)
}

fn socket_path() -> Option<PathBuf> {
    runtime_dir().map(|d| d.join(SOCKET_NAME))
}

fn connect() -> Option<Stream> {
    let path = socket_path()?;
    let stream = Stream::connect(path).ok()?;
    if !agent::peer_is_user(&stream) {
        return None;
    }
    stream.set_read_timeout(Some(IO_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(IO_TIMEOUT)).ok()?;
    Some(stream)
}

fn request(op: u8, repo_id: &str, key: Option<&SecretKey>) -> Vec<u8> {
    let id = repo_id.as_bytes();
    let mut msg = Vec::with_capacity(2 + id.len() + 32);
    msg.push(op);
    msg.push(id.len().min(255) as u8);
    msg.extend_from_slice(&id[..id.len().min(255)]);
    if let Some(k) = key {
        msg.extend_from_slice(k.as_bytes());
    }
    msg
}

/// The master key the agent holds for a repository, if any.
pub fn get(repo_id: &str) -> Option<SecretKey> {
    let mut s = connect()?;
    s.write_all(&request(OP_GET, repo_id, None)).ok()?;
    let mut answer = [0u8; 33];
    s.read_exact(&mut answer[..1]).ok()?;
    if answer[0] != 1 {
        return None;
    }
    s.read_exact(&mut answer[1..]).ok()?;
    let k = SecretKey::from_slice(&answer[1..]);
    answer.zeroize();
    k
}

/// Gives the agent a key, starting the agent if none runs (only at a terminal, or when asked with
/// `DAW_AGENT=1`). Best effort: `false` if it failed or no agent may start.
pub fn put(repo_id: &str, key: &SecretKey) -> bool {
    let stream = connect().or_else(|| {
        if !may_start() {
            return None;
        }
        spawn().ok()?;
        connect()
    });
    let Some(mut s) = stream else {
        return false;
    };
    let mut msg = request(OP_PUT, repo_id, Some(key));
    let ok = s.write_all(&msg).is_ok();
    msg.zeroize();
    let mut answer = [0u8; 1];
    ok && s.read_exact(&mut answer).is_ok()
}

/// Tells the agent to forget every key and exit; the number of keys it held, or `None` if no agent
/// was running.
pub fn lock() -> Option<u8> {
    let mut s = connect()?;
    s.write_all(&request(OP_LOCK, "", None)).ok()?;
    let mut answer = [0u8; 1];
    s.read_exact(&mut answer).ok()?;
    Some(answer[0])
}

/// Starts `daw agent` in the background and waits until it listens.
fn spawn() -> std::io::Result<()> {
    let exe = std::env::current_exe()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("agent")
        .arg("--idle-timeout")
        .arg(idle_timeout().as_secs().to_string())
        .arg("--session")
        .arg(agent::session_id().to_string())
        .env_remove("DAW_PASSPHRASE")
        .env_remove("DAW_PASSPHRASE_FILE")
        .env_remove("DAW_PASSPHRASE_COMMAND")
        // Hold no project folder open (it could not be unmounted or removed cleanly).
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    // The child leaves our session so a closed terminal does not end it.
    agent::detach_from_session(&mut cmd);
    let mut child = cmd.spawn()?;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    match rx.recv_timeout(Duration::from_secs(5)) {
        Ok(line) if line.starts_with("ready") || line.starts_with("running") => Ok(()),
        _ => Err(std::io::Error::other("the key agent did not start")),
    }
}

/// One remembered key.
#[derive(Clone, Copy)]
struct Slot {
    used: bool,
    id_len: u8,
    id: [u8; 255],
    key: [u8; 32],
}

/// Keys held by the agent, in one page locked into memory.
struct KeyTable {
    slots: Box<[Slot; SLOTS]>,
}

impl KeyTable {
    fn new() -> Self {
        let slots = Box::new(
            [Slot {
                used: false,
                id_len: 0,
                id: [0; 255],
                key: [0; 32],
            }; SLOTS],
        );
        let size = std::mem::size_of::<[Slot; SLOTS]>();
        agent::lock_memory(slots.as_ptr().cast(), size);
        Self { slots }
    }

    fn find(&self, id: &[u8]) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.used && &s.id[..s.id_len as usize] == id)
    }

    fn put(&mut self, id: &[u8], key: &[u8; 32]) {
        let i = self
            .find(id)
            .or_else(|| self.slots.iter().position(|s| !s.used))
            .unwrap_or(0);
        let s = &mut self.slots[i];
        s.used = true;
        s.id_len = id.len() as u8;
        s.id = [0; 255];
        s.id[..id.len()].copy_from_slice(id);
        s.key = *key;
    }

    fn count(&self) -> u8 {
        self.slots.iter().filter(|s| s.used).count() as u8
    }

    fn wipe(&mut self) {
        for s in self.slots.iter_mut() {
            s.key.zeroize();
            s.id.zeroize();
            s.used = false;
        }
    }
}

/// Run the key agent (started by daw itself; not for direct use)
///
/// Keeps unlocked repository keys in memory for the working session, so the passphrase is asked once.
/// Exits after the idle timeout or on `daw lock`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Seconds without a use of a key after which the agent forgets its keys and exits (at most
    /// 43200)
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_IDLE.as_secs())]
    pub idle_timeout: u64,

    /// The session whose end ends the agent (the starting process's session id)
    #[arg(long, value_name = "SID", default_value_t = 0)]
    pub session: i32,
}

/// The agent process.
pub fn run(_ctx: &Context, args: Args) -> Result<(), CommandError> {
    if !agent::AVAILABLE {
        return Err(CommandError::user(
            "there is no key agent on this system: every command unlocks with the passphrase",
        ));
    }
    daw::platform::mark_not_dumpable();
    let path = socket_path().ok_or_else(|| {
        CommandError::user(
            "no private folder for the agent's socket (check XDG_RUNTIME_DIR or /tmp)",
        )
    })?;
    let listener = match Listener::bind(&path) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            if Stream::connect(&path).is_ok() {
                println!("running");
                return Ok(());
            }
            // A socket left by an agent that was killed.
            std::fs::remove_file(&path)?;
            Listener::bind(&path)?
        }
        Err(e) => return Err(e.into()),
    };
    daw::platform::set_mode(&path, 0o600)?;
    let inode = FileStat::of(&std::fs::symlink_metadata(&path)?).ino;
    println!("ready");
    let _ = std::io::stdout().flush();
    // Nothing else goes to the terminal or pipe of whoever started us.
    agent::stdout_to_null();
    let table = Arc::new(Mutex::new(KeyTable::new()));
    let last = Arc::new(Mutex::new(Instant::now()));
    let idle = Duration::from_secs(args.idle_timeout.max(1)).min(MAX_IDLE);
    let session = args.session;
    {
        let table = Arc::clone(&table);
        let last = Arc::clone(&last);
        let path = path.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let elapsed = last.lock().map(|l| l.elapsed()).unwrap_or(idle);
                // Exit when idle, when our socket was removed or replaced, or when the login
                // session that started us ended.
                let ours =
                    std::fs::symlink_metadata(&path).is_ok_and(|m| FileStat::of(&m).ino == inode);
                if elapsed >= idle || !ours || !agent::session_alive(session) {
                    shutdown(&table, &path, inode);
                }
            }
        });
    }
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if !agent::peer_is_user(&stream) {
            continue;
        }
        let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
        let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
        // Only a use of a key (a get that finds one, a put) keeps the agent alive: a process that
        // merely connects does not.
        let used = || {
            if let Ok(mut l) = last.lock() {
                *l = Instant::now();
            }
        };
        let mut head = [0u8; 2];
        if stream.read_exact(&mut head).is_err() {
            continue;
        }
        let mut id = vec![0u8; head[1] as usize];
        if stream.read_exact(&mut id).is_err() {
            continue;
        }
        let Ok(mut t) = table.lock() else { break };
        match head[0] {
            OP_GET => {
                let mut answer = [0u8; 33];
                if let Some(i) = t.find(&id) {
                    used();
                    answer[0] = 1;
                    answer[1..].copy_from_slice(&t.slots[i].key);
                    let _ = stream.write_all(&answer);
                } else {
                    let _ = stream.write_all(&[0]);
                }
                answer.zeroize();
            }
            OP_PUT => {
                let mut key = [0u8; 32];
                if stream.read_exact(&mut key).is_ok() && !id.is_empty() {
                    used();
                    t.put(&id, &key);
                }
                key.zeroize();
                let _ = stream.write_all(&[0]);
            }
            OP_LOCK => {
                let n = t.count();
                t.wipe();
                let _ = stream.write_all(&[n]);
                drop(t);
                shutdown(&table, &path, inode);
            }
            _ => {}
        }
    }
    shutdown(&table, &path, inode)
}

fn shutdown(table: &Mutex<KeyTable>, path: &std::path::Path, inode: u64) -> ! {
    if let Ok(mut t) = table.lock() {
        t.wipe();
    }
    // Remove the socket only if it is still ours (not one a newer agent bound after ours was removed).
    if std::fs::symlink_metadata(path).is_ok_and(|m| FileStat::of(&m).ino == inode) {
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(0)
}
