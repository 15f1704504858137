//! The `lstat` fields daw keeps of a path ([`FileStat`]): what the walk records of each entry, what
//! the stat cache compares and what a tree entry records.
//!
//! Only the fields and how to take them from the system: how they are encoded belongs to their users
//! (the stat cache, the listing digest).

use std::fs::Metadata;

/// The `lstat` fields daw keeps of a path: what the stat cache compares (all of them must be unchanged
/// for a cached entry to be trusted) and what a tree entry records. A third of `std::fs::Metadata`'s
/// size, which matters in a walk of thousands of files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub size: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub ino: u64,
    pub dev: u64,
    /// `st_mode`: file type and permission bits.
    pub mode: u32,
}

impl FileStat {
    pub fn of(meta: &Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        let nanos = |n: i64| n.clamp(0, 999_999_999) as u32;
        Self {
            size: meta.len(),
            mtime: (meta.mtime(), nanos(meta.mtime_nsec())),
            ctime: (meta.ctime(), nanos(meta.ctime_nsec())),
            ino: meta.ino(),
            dev: meta.dev(),
            mode: meta.mode(),
        }
    }

    /// From `lstat`'s own record (the walk's, which calls it directly): the same fields as
    /// [`FileStat::of`] gives for the same file.
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    pub(super) fn of_stat(st: &libc::stat) -> Self {
        let nanos = |n: i64| n.clamp(0, 999_999_999) as u32;
        Self {
            size: st.st_size as u64,
            mtime: (st.st_mtime as i64, nanos(st.st_mtime_nsec as i64)),
            ctime: (st.st_ctime as i64, nanos(st.st_ctime_nsec as i64)),
            ino: st.st_ino as u64,
            dev: st.st_dev as u64,
            mode: st.st_mode as u32,
        }
    }

    /// The permission bits (with setuid, setgid and sticky), as a tree entry records them.
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }

    /// Whether any execute bit is set.
    pub fn is_executable(&self) -> bool {
        self.mode & 0o111 != 0
    }
}
