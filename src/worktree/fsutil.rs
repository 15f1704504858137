//! Small file-system helpers for crash-safe local writes, and for reading a project's file without
//! following a symlink in its place.
//!
//! Local files only (the repository folder and the project): nothing here knows what it writes.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A local file operation that failed, and the path it failed on. (`repo` turns it into its own
/// `RepoError::Io`, which reads the same.)
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct FsError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl FsError {
    pub fn new(path: &Path, source: std::io::Error) -> Self {
        Self {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Writes `data` to `path` through a temporary file in the same directory: write, fsync, rename, fsync
/// the directory. A crash leaves either the old file or the new one.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), FsError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|e| FsError::new(dir, e))?;
    tmp.write_all(data)
        .map_err(|e| FsError::new(tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| FsError::new(tmp.path(), e))?;
    crate::platform::replace(tmp, path).map_err(|e| FsError::new(path, e))?;
    sync_dir(dir)
}

/// Opens a file of the project for reading without following a symlink in its place (a file that
/// became a symlink since the walk is then an error, never read through).
pub fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    crate::platform::open_no_follow(path)
}

/// Makes a rename or a creation in `dir` durable (fsync of the folder, where the system has one).
pub fn sync_dir(dir: &Path) -> Result<(), FsError> {
    crate::platform::sync_dir(dir).map_err(|e| FsError::new(dir, e))
}
