//! The repository write lock: one writer at a time (a manual commit while `daw watch` runs).
//!
//! An OS file lock (`flock`) on `.daw/lock`: the kernel drops it when its process dies, so a crashed or
//! killed daw never leaves the repository locked. The holder writes who it is into the file, so a
//! second writer that gives up can say who holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
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
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
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
