//! The portable implementation: the standard library only (tokio for the stop signals, jiff for the
//! local time offset). macOS and Windows run it; on Linux the `portable` feature forces it, so that
//! the suite tests it here.
//!
//! What it gives up against the Linux one: the walk allocates per entry and stats each path from
//! the top (no `fstatat`); a sub-folder is checked not to be a symlink before it is listed, not
//! opened relative to its parent; a file opened "without following a symlink" is checked before and
//! after opening; a symlink's own mtime is not restored; the allocator, the sealing threads' priority
//! and the process's dumpability are left as the system has them.

use std::ffi::CStr;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::{FileStat, Names, os_str};

pub const NAME: &str = "portable";

/// An open folder: its path, and its listing until it is read.
pub struct Folder {
    path: PathBuf,
    listing: Option<std::fs::ReadDir>,
}

impl Folder {
    /// Opens the folder at `path` (following a symlink to it).
    pub fn open(path: &Path) -> io::Result<Self> {
        Ok(Self {
            listing: Some(std::fs::read_dir(path)?),
            path: path.to_path_buf(),
        })
    }

    /// Opens the sub-folder `name`, refusing a symlink (checked first: a folder replaced by a symlink
    /// in between is listed through it, which the Linux implementation never does).
    pub fn open_at(&self, name: &CStr) -> io::Result<Self> {
        let path = self.path.join(&*os_str(name.to_bytes()));
        let meta = std::fs::symlink_metadata(&path)?;
        if !meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "not a folder (or a symlink to one)",
            ));
        }
        Self::open(&path)
    }

    /// The names in the folder, in the order the system lists them. On Windows, a name that is not
    /// valid Unicode makes the whole folder unreadable (daw stores names as UTF-8 there).
    pub fn names(&mut self) -> io::Result<Names> {
        let listing = match self.listing.take() {
            Some(l) => l,
            None => std::fs::read_dir(&self.path)?,
        };
        let mut names = Names::default();
        for entry in listing {
            let entry = entry?;
            let name = entry.file_name();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            names.push(name_bytes(&name)?, is_dir);
        }
        Ok(names)
    }

    /// `lstat` of the entry `name`.
    pub fn lstat(&self, name: &CStr) -> io::Result<FileStat> {
        let meta = std::fs::symlink_metadata(self.path.join(&*os_str(name.to_bytes())))?;
        Ok(FileStat::of(&meta))
    }
}

/// A listed name as daw stores it: its bytes on Unix, UTF-8 elsewhere.
fn name_bytes(name: &std::ffi::OsStr) -> io::Result<&[u8]> {
    #[cfg(unix)]
    {
        Ok(std::os::unix::ffi::OsStrExt::as_bytes(name))
    }
    #[cfg(not(unix))]
    {
        name.to_str().map(str::as_bytes).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the name {:?} is not valid Unicode", name.to_string_lossy()),
            )
        })
    }
}

pub fn open_no_follow(path: &Path) -> io::Result<File> {
    let is_symlink = || io::Error::other("is a symlink: not read through");
    let before = std::fs::symlink_metadata(path)?;
    if before.file_type().is_symlink() {
        return Err(is_symlink());
    }
    let file = File::open(path)?;
    // Replaced by a symlink (or anything else) between the look and the open: not the file looked at.
    let opened = FileStat::of(&file.metadata()?);
    let looked = FileStat::of(&before);
    if (opened.ino, opened.dev) != (looked.ino, looked.dev)
        || std::fs::symlink_metadata(path)?.file_type().is_symlink()
    {
        return Err(is_symlink());
    }
    Ok(file)
}

pub fn set_symlink_mtime(_path: &Path, _secs: i64, _nanos: u32) {}

pub fn lower_thread_priority() {}

pub fn mark_not_dumpable() {}

pub fn limit_malloc_arenas() {}

pub fn limit_retained_memory() {}

pub fn release_free_memory() {}

pub fn local_offset_minutes(secs: i64) -> i32 {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => jiff::tz::TimeZone::system().to_offset(t).seconds() / 60,
        Err(_) => 0,
    }
}

type SignalFuture<'a> = std::pin::Pin<Box<dyn Future<Output = Option<&'static str>> + 'a>>;

/// The stop signals, through tokio (a runtime of their own, on the waiting thread): SIGINT and
/// SIGTERM on Unix; Ctrl-C, Ctrl-Break and the console window closing on Windows.
pub struct StopSignals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    signals: [(tokio::signal::unix::Signal, &'static str); 2],
    #[cfg(windows)]
    signals: (
        tokio::signal::windows::CtrlC,
        tokio::signal::windows::CtrlBreak,
        tokio::signal::windows::CtrlClose,
    ),
}

impl StopSignals {
    /// Starts listening for the stop signals (from now on they no longer end the process).
    pub fn install() -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let _entered = runtime.enter();
        #[cfg(unix)]
        let signals = {
            use tokio::signal::unix::{SignalKind, signal};
            [
                (signal(SignalKind::interrupt())?, "SIGINT"),
                (signal(SignalKind::terminate())?, "SIGTERM"),
            ]
        };
        #[cfg(windows)]
        let signals = {
            use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close};
            (ctrl_c()?, ctrl_break()?, ctrl_close()?)
        };
        drop(_entered);
        Ok(Self { runtime, signals })
    }

    /// Waits for the next stop signal; its name, or `None` if waiting failed.
    pub fn wait(&mut self) -> Option<&'static str> {
        let Self { runtime, signals } = self;
        #[cfg(unix)]
        let waits: Vec<SignalFuture<'_>> = signals
            .iter_mut()
            .map(|(signal, name)| {
                let name: &'static str = name;
                Box::pin(async move { signal.recv().await.map(|()| name) }) as SignalFuture<'_>
            })
            .collect();
        #[cfg(windows)]
        let waits: Vec<SignalFuture<'_>> = {
            let (c, brk, close) = signals;
            vec![
                Box::pin(async move { c.recv().await.map(|()| "Ctrl-C") }) as SignalFuture<'_>,
                Box::pin(async move { brk.recv().await.map(|()| "Ctrl-Break") })
                    as SignalFuture<'_>,
                Box::pin(async move { close.recv().await.map(|()| "console closed") })
                    as SignalFuture<'_>,
            ]
        };
        runtime.block_on(async { futures::future::select_all(waits).await.0 })
    }
}
