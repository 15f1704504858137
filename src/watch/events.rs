//! OS file events of the watched folders, through `notify` (inotify on Linux, FSEvents on macOS,
//! ReadDirectoryChangesW on Windows): no polling. Events are handed on as they come, reduced to the
//! paths they name; when the OS says it lost some (an inotify queue overflow, FSEvents'
//! must-scan-subdirs), a [`Heard::Rescan`] asks for the whole folder to be looked at again.

use std::path::PathBuf;

use notify::{EventKind, RecursiveMode, Watcher as _};

/// What the OS said.
#[derive(Debug)]
pub enum Heard {
    /// These paths (absolute) were created, written, renamed or removed.
    Paths(Vec<PathBuf>),
    /// Events were lost: every watched folder must be looked at again.
    Rescan,
    /// The watch itself failed (e.g. the inotify watch limit was reached).
    Failed(String),
}

/// Keeps the OS watches alive; dropping it stops them.
pub struct FolderWatcher {
    _inner: notify::RecommendedWatcher,
}

/// Starts watching `folders` (recursively), handing each event to `sink` on notify's thread.
pub fn watch(
    folders: &[PathBuf],
    sink: impl Fn(Heard) + Send + 'static,
) -> Result<FolderWatcher, notify::Error> {
    let mut inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        match event {
            Ok(e) if e.need_rescan() => sink(Heard::Rescan),
            Ok(e) => match e.kind {
                EventKind::Access(_) => {}
                _ if e.paths.is_empty() => {}
                _ => sink(Heard::Paths(e.paths)),
            },
            Err(e) => match e.kind {
                // inotify's queue overflowed: events were lost.
                notify::ErrorKind::Io(ref io) if crate::platform::lost_events(io) => {
                    sink(Heard::Rescan)
                }
                // A folder that vanished before its watch was added (a DAW's temporary folder):
                // its removal is an event of its parent; nothing was lost.
                notify::ErrorKind::PathNotFound => {}
                notify::ErrorKind::Io(ref io) if io.kind() == std::io::ErrorKind::NotFound => {}
                _ => sink(Heard::Failed(e.to_string())),
            },
        }
    })?;
    for folder in folders {
        inner.watch(folder, RecursiveMode::Recursive)?;
    }
    Ok(FolderWatcher { _inner: inner })
}
