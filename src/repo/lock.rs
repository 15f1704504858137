//! The repository write lock: one writer at a time (a manual commit while `daw watch` runs).
//!
//! An OS file lock (`flock`) on `.daw/lock`: the kernel drops it when its process dies, so a crashed or
//! killed daw never leaves the repository locked. The holder writes who it is into the file, so a
//! second writer that gives up can say who holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock.
    #[error("the repository is busy: {holder}")]
    Busy { holder: String },
    #[error("cannot open the lock file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Held until dropped.
pub struct RepoLock {
    file: File,
}

impl RepoLock {
    /// Takes the lock, waiting up to `wait` for another holder to finish.
    pub fn acquire(daw_dir: &Path, wait: Duration, holder: &str) -> Result<Self, LockError> {
        let path = daw_dir.join("lock");
        let io = |source| LockError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = crate::platform::private_file(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        )
        .open(&path)
        .map_err(io)?;
        let start = Instant::now();
        let mut delay = Duration::from_millis(20);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        let mut who = String::new();
                        let _ = file.seek(SeekFrom::Start(0));
                        let _ = file.read_to_string(&mut who);
                        let who = who.trim();
                        let holder = if who.is_empty() {
                            "another daw process".to_string()
                        } else {
                            who.to_string()
                        };
                        return Err(LockError::Busy { holder });
                    }
                    std::thread::sleep(delay);
                    delay = (delay * 2).min(Duration::from_millis(250));
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        // Best effort: the note only improves a message.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = writeln!(file, "{holder}");
        Ok(Self { file })
    }
}

impl Drop for RepoLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// The mark of a running `daw watch`: an OS file lock (`flock`) on `.daw/watch`, held for as long
/// as the watcher runs (the kernel drops it when the process dies, even by `kill -9`), and a note
/// saying who holds it. One watcher per repository: a second one is refused.
pub struct WatchMark {
    file: File,
}

impl WatchMark {
    /// Marks the repository as watched by `note` ([`WatchNote::encode`]); `Busy` with the other
    /// watcher's note when one already runs.
    pub fn hold(daw_dir: &Path, note: &str) -> Result<Self, LockError> {
        let path = daw_dir.join("watch");
        let mut file = open_rw(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Busy {
                    holder: read_note(&mut file).unwrap_or_else(|| "another daw watch".into()),
                });
            }
            Err(TryLockError::Error(source)) => {
                return Err(LockError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        }
        // Best effort: the note only improves a message.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = writeln!(file, "{note}");
        Ok(Self { file })
    }

    /// The note of the `daw watch` watching the repository now, if one is.
    pub fn holder(daw_dir: &Path) -> Option<String> {
        let mut file = File::open(daw_dir.join("watch")).ok()?;
        match file.try_lock_shared() {
            Ok(()) => {
                let _ = file.unlock();
                None
            }
            Err(TryLockError::WouldBlock) => {
                Some(read_note(&mut file).unwrap_or_else(|| "daw watch".into()))
            }
            Err(TryLockError::Error(_)) => None,
        }
    }
}

/// What a running `daw watch` says of itself in its mark: one line, `pid PID since SECONDS` (since
/// the Unix epoch) and, when it pushes, ` push REMOTE` (the rest of the line: a remote's name may
/// hold spaces, never a line break). Only informative: it decides nothing about where daw reads or
/// writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchNote {
    pub pid: u32,
    /// When it started watching (seconds since the Unix epoch).
    pub since: i64,
    /// The remote it pushes each autosave to (`--push`).
    pub push: Option<String>,
}

impl WatchNote {
    pub fn encode(&self) -> String {
        let mut line = format!("pid {} since {}", self.pid, self.since);
        if let Some(remote) = &self.push {
            line.push_str(" push ");
            line.push_str(remote);
        }
        line
    }

    /// `None` when `text` is not a note of this form.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix("pid ")?;
        let (pid, rest) = rest.split_once(" since ")?;
        let (since, push) = match rest.split_once(" push ") {
            Some((since, remote)) if !remote.is_empty() => (since, Some(remote.to_string())),
            _ => (rest, None),
        };
        Some(Self {
            pid: pid.parse().ok()?,
            since: since.parse().ok()?,
            push,
        })
    }
}

impl Drop for WatchMark {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// A mark that one process at a time holds for as long as it runs (`daw gc`: `.daw/gc.lock`): an OS
/// file lock (`flock`), dropped by the kernel when the process dies, and a note naming the holder.
pub struct RunMark {
    file: File,
}

impl RunMark {
    /// Holds the mark `name` in `daw_dir` with `note`; `Busy` with the holder's note when another
    /// process holds it.
    pub fn hold(daw_dir: &Path, name: &str, note: &str) -> Result<Self, LockError> {
        let path = daw_dir.join(name);
        let mut file = open_rw(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Busy {
                    holder: read_note(&mut file).unwrap_or_else(|| format!("another {name}")),
                });
            }
            Err(TryLockError::Error(source)) => {
                return Err(LockError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        }
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = writeln!(file, "{note}");
        Ok(Self { file })
    }
}

impl Drop for RunMark {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

fn open_rw(path: &Path) -> Result<File, LockError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|source| LockError::Io {
            path: path.display().to_string(),
            source,
        })
}

fn read_note(file: &mut File) -> Option<String> {
    let mut note = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut note).ok()?;
    let note = note.trim();
    (!note.is_empty()).then(|| note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watch_note_reads_back_as_written() {
        for push in [None, Some("usb"), Some("my backup disk")] {
            let note = WatchNote {
                pid: 4321,
                since: 1_763_800_000,
                push: push.map(String::from),
            };
            assert_eq!(
                WatchNote::parse(&format!("{}\n", note.encode())),
                Some(note)
            );
        }
        assert_eq!(
            WatchNote::parse("pid 7 since 99").map(|n| n.push),
            Some(None)
        );
        assert_eq!(WatchNote::parse("another daw watch"), None);
        assert_eq!(WatchNote::parse("pid x since 99"), None);
    }
}
