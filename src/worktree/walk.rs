//! The stat-only walk of a project: each folder listed (`readdir`) and each entry `lstat`ed relative
//! to it, on rayon's threads, skipping ignored paths, `.daw` and the repository folder; and the
//! listing digest of each folder ([`FolderListing`]), which `daw status` compares with the stat
//! cache's summary.
//!
//! It reads no file's content, needs nothing from the store, and never follows a symlink or writes.

use std::ffi::{CStr, OsStr};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::ignore::{IGNORE_FILE, Ignores};
use super::stat::FileStat;

/// What the walk found at one path.
pub enum Found {
    File(FileStat),
    /// A folder: its stat, its entries (sorted by name) and the listing digest of the files below it.
    Dir(FileStat, Vec<(Vec<u8>, Found)>, Listing),
    Symlink(FileStat, Vec<u8>),
    /// A file or folder that could not be read: the reason.
    Unreadable(String),
    /// A socket, FIFO or device: not versioned.
    Special,
}

/// The listing digest of the files below a folder ([`FolderListing`]), which `daw status`
/// compares with the stat cache's summary.
pub enum Listing {
    /// No file below the folder (it is left out of its parent's listing).
    NoFiles,
    /// A symlink, or something unreadable or special, is below the folder: the stat cache's listing
    /// only ever covers files, so such a folder is never taken for unchanged by it.
    Unlisted,
    Digest(Box<[u8; 32]>),
}

/// A problem that did not stop the walk.
#[derive(Clone, Debug)]
pub struct WalkWarning {
    pub path: PathBuf,
    pub message: String,
}

/// A walk of the whole project running in the background (on rayon's threads).
pub struct Walk {
    started: SystemTime,
    result: std::sync::mpsc::Receiver<std::thread::Result<Found>>,
}

impl Walk {
    /// Starts walking the project in `work_tree`, skipping its repository folder `daw_dir`.
    pub fn start(work_tree: &Path, daw_dir: &Path) -> Self {
        let started = SystemTime::now();
        let work_tree = work_tree.to_path_buf();
        let daw_dir = daw_dir.to_path_buf();
        let (tx, result) = std::sync::mpsc::sync_channel(1);
        rayon::spawn(move || {
            let found = std::panic::catch_unwind(|| {
                let mut total = 0;
                walk(
                    &work_tree,
                    Path::new(""),
                    &Ignores::new(),
                    &daw_dir,
                    &mut total,
                )
            });
            let _ = tx.send(found);
        });
        Self { started, result }
    }

    /// When the walk started: what it found is at least this recent.
    pub fn started(&self) -> SystemTime {
        self.started
    }

    /// What the walk found.
    pub fn finish(self) -> Found {
        match self.result.recv() {
            Ok(Ok(found)) => found,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => Found::Unreadable("the walk of the project stopped".into()),
        }
    }
}

/// Folders with at least this many entries have their entries looked at in parallel.
const PARALLEL_MIN: usize = 64;

/// One entry of a folder, once looked at.
enum Seen {
    Ignored,
    /// A sub-folder, to walk next.
    Dir(FileStat),
    Leaf(Found),
}

/// Lists a folder recursively (names sorted as bytes), skipping ignored paths and `skip_dir`.
///
/// The walk runs on rayon's threads: folders are walked in parallel and a big folder's entries are
/// `lstat`ed in parallel, as `git status` stats its index on several threads; on a project of
/// thousands of samples this is most of what `daw status` does.
pub fn walk(
    work_tree: &Path,
    rel: &Path,
    ignores: &Ignores,
    skip_dir: &Path,
    total_bytes: &mut u64,
) -> Found {
    let path = work_tree.join(rel);
    let found = match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => match sys::Folder::open(&path) {
            Ok(folder) => walk_dir(work_tree, rel, folder, FileStat::of(&m), ignores, skip_dir),
            Err(e) => Found::Unreadable(e.to_string()),
        },
        Ok(m) => Found::File(FileStat::of(&m)),
        Err(e) => Found::Unreadable(e.to_string()),
    };
    *total_bytes += found.file_bytes();
    found
}

impl Found {
    /// The size of the files found, in all.
    fn file_bytes(&self) -> u64 {
        match self {
            Found::File(stat) => stat.size,
            Found::Dir(_, children, _) => children.iter().map(|(_, f)| f.file_bytes()).sum(),
            _ => 0,
        }
    }
}

fn walk_dir(
    work_tree: &Path,
    rel: &Path,
    mut folder: sys::Folder,
    dir_meta: FileStat,
    inherited: &Ignores,
    skip_dir: &Path,
) -> Found {
    let dir = work_tree.join(rel);
    let mut names = match folder.names() {
        Ok(n) => n,
        Err(e) => return Found::Unreadable(e.to_string()),
    };
    // The folder's own rules, when it has a `.dawignore` (looked for in the listing: most folders
    // have none, and trying to open one in each costs a system call per folder).
    let mut own = None;
    if names
        .iter()
        .any(|name| name.to_bytes() == IGNORE_FILE.as_bytes())
    {
        match Ignores::file_in(work_tree, rel) {
            Ok(None) => {}
            Ok(Some((path, bytes))) => {
                let mut i = inherited.clone();
                if let Err(e) = i.add_buffer(work_tree, rel, path, &bytes) {
                    return Found::Unreadable(format!("cannot read {}: {e}", IGNORE_FILE));
                }
                own = Some(i);
            }
            Err(e) => return Found::Unreadable(format!("cannot read {}: {e}", IGNORE_FILE)),
        }
    }
    let ignores = own.as_ref().unwrap_or(inherited);
    names.sort();
    let skip_name = skip_dir.file_name().map(|n| n.as_bytes());
    let at_top = rel.as_os_str().is_empty();
    let skipped = |name: &[u8]| {
        (at_top && name == super::DAW_DIR_NAME.as_bytes())
            || (Some(name) == skip_name && dir.join(OsStr::from_bytes(name)) == skip_dir)
    };
    // lstat (relative to the open folder) and the ignore rules, then the sub-folders, each in
    // parallel.
    let folder = &folder;
    let look = |name: &CStr| -> Option<(Vec<u8>, Found)> {
        let bytes = name.to_bytes();
        if skipped(bytes) {
            return None;
        }
        let found = match look_at(folder, &dir, rel, name, ignores) {
            Seen::Ignored => return None,
            Seen::Dir(meta) => match folder.open_at(name) {
                Ok(sub) => walk_dir(
                    work_tree,
                    &rel.join(OsStr::from_bytes(bytes)),
                    sub,
                    meta,
                    ignores,
                    skip_dir,
                ),
                Err(e) => Found::Unreadable(e.to_string()),
            },
            Seen::Leaf(found) => found,
        };
        Some((bytes.to_vec(), found))
    };
    let seen: Vec<Option<(Vec<u8>, Found)>> = if names.len() >= PARALLEL_MIN || names.dirs > 1 {
        use rayon::prelude::*;
        // Split as rayon sees fit (a piece per thread, more when one is stolen): pieces of at most 64
        // entries made more hand-overs than statting them saved, 0.1-0.2 ms of a 5.5 ms status.
        (0..names.len())
            .into_par_iter()
            .map(|i| look(names.get(i)))
            .collect()
    } else {
        names.iter().map(look).collect()
    };
    // Same size as the Option (a niche): collected in place, not copied into a second array.
    let out: Vec<(Vec<u8>, Found)> = seen.into_iter().flatten().collect();
    let listing = listing_of(&out);
    Found::Dir(dir_meta, out, listing)
}

/// The listing digest of a folder's entries (their own listings computed already).
fn listing_of(entries: &[(Vec<u8>, Found)]) -> Listing {
    let mut listing = FolderListing::new();
    for (name, found) in entries {
        match found {
            Found::File(stat) => listing.file(name, stat),
            Found::Dir(_, _, Listing::Digest(digest)) => listing.folder(name, digest),
            Found::Dir(_, _, Listing::NoFiles) => {}
            _ => return Listing::Unlisted,
        }
    }
    match listing.finish() {
        Some(digest) => Listing::Digest(Box::new(digest)),
        None => Listing::NoFiles,
    }
}

/// What one entry of folder `dir` (`rel` in the project) is.
#[allow(clippy::unnecessary_cast)] // `mode_t` is narrower than `u32` on some platforms
fn look_at(folder: &sys::Folder, dir: &Path, rel: &Path, name: &CStr, ignores: &Ignores) -> Seen {
    let stat = match folder.lstat(name) {
        Ok(s) => s,
        Err(e) => return Seen::Leaf(Found::Unreadable(e.to_string())),
    };
    let bytes = name.to_bytes();
    let kind = stat.mode & libc::S_IFMT as u32;
    let is_dir = kind == libc::S_IFDIR as u32;
    if ignores.may_ignore(bytes) && ignores.matches(&rel.join(OsStr::from_bytes(bytes)), is_dir) {
        return Seen::Ignored;
    }
    if is_dir {
        return Seen::Dir(stat);
    }
    Seen::Leaf(if kind == libc::S_IFREG as u32 {
        Found::File(stat)
    } else if kind == libc::S_IFLNK as u32 {
        match std::fs::read_link(dir.join(OsStr::from_bytes(bytes))) {
            Ok(t) => Found::Symlink(stat, t.into_os_string().into_vec()),
            Err(e) => Found::Unreadable(e.to_string()),
        }
    } else {
        Found::Special
    })
}

/// A digest of the files below one folder with their `lstat` (FORMAT.md, "Stat cache"): per entry in
/// name order, a file as `1 ‖ name length (u64) ‖ name ‖ stat (52 bytes)`, a sub-folder that holds
/// files as `2 ‖ name length ‖ name ‖ its digest`; a folder without files below it is left out.
/// Built by the walk for each folder it lists, and by the cache from its records when it is written.
pub struct FolderListing {
    hasher: blake3::Hasher,
    /// Entries are staged here and hashed in blocks: blake3 is several times faster on a few
    /// kilobytes at once than on each entry's pieces.
    staged: Vec<u8>,
    entries: usize,
}

/// How much is staged before it is hashed.
const LISTING_BLOCK: usize = 8 << 10;

impl FolderListing {
    pub fn new() -> Self {
        Self {
            hasher: blake3::Hasher::new_derive_key("daw 2026-11 stat cache folder listing"),
            staged: Vec::with_capacity(LISTING_BLOCK),
            entries: 0,
        }
    }

    fn name(&mut self, kind: u8, name: &[u8]) {
        if self.staged.len() + name.len() + 64 > LISTING_BLOCK && !self.staged.is_empty() {
            self.hasher.update(&self.staged);
            self.staged.clear();
        }
        self.staged.push(kind);
        self.staged
            .extend_from_slice(&(name.len() as u64).to_le_bytes());
        self.staged.extend_from_slice(name);
        self.entries += 1;
    }

    /// A file named `name` with its `lstat`.
    pub fn file(&mut self, name: &[u8], stat: &FileStat) {
        self.name(1, name);
        for v in [stat.size, stat.mtime.0 as u64] {
            self.staged.extend_from_slice(&v.to_le_bytes());
        }
        self.staged.extend_from_slice(&stat.mtime.1.to_le_bytes());
        self.staged
            .extend_from_slice(&(stat.ctime.0 as u64).to_le_bytes());
        self.staged.extend_from_slice(&stat.ctime.1.to_le_bytes());
        for v in [stat.ino, stat.dev] {
            self.staged.extend_from_slice(&v.to_le_bytes());
        }
        self.staged.extend_from_slice(&stat.mode.to_le_bytes());
    }

    /// A sub-folder named `name` whose listing digest is `digest`.
    pub fn folder(&mut self, name: &[u8], digest: &[u8; 32]) {
        self.name(2, name);
        self.staged.extend_from_slice(digest);
    }

    /// The digest, or `None` when no file was added (a folder without files is left out of its
    /// parent's listing).
    pub fn finish(mut self) -> Option<[u8; 32]> {
        if self.entries == 0 {
            return None;
        }
        self.hasher.update(&self.staged);
        Some(*self.hasher.finalize().as_bytes())
    }
}

impl Default for FolderListing {
    fn default() -> Self {
        Self::new()
    }
}

/// The system calls of the walk: a folder is listed through its open descriptor (`readdir`) and each
/// entry `lstat`ed relative to it (`fstatat`), as `std::fs::read_dir` and `DirEntry::metadata` do,
/// but without two allocations and two shared reference counts per entry: the names of a folder are
/// kept in one buffer.
mod sys {
    use std::ffi::{CStr, CString};
    use std::io;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::NonNull;

    use super::FileStat;

    /// An open folder.
    pub struct Folder(NonNull<libc::DIR>);

    // SAFETY: the stream is read (`readdir`) only through `&mut self`; what `&self` allows, `fstatat`
    // and `openat` relative to its descriptor, is safe from several threads at once.
    unsafe impl Send for Folder {}
    unsafe impl Sync for Folder {}

    fn cstring(bytes: &[u8]) -> io::Result<CString> {
        CString::new(bytes).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    }

    const OPEN_FLAGS: libc::c_int = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;

    impl Folder {
        /// Opens the folder at `path` (following a symlink to it).
        pub fn open(path: &Path) -> io::Result<Self> {
            let path = cstring(path.as_os_str().as_bytes())?;
            // SAFETY: a valid C string; the descriptor is handed to `fdopendir` or closed.
            let fd = unsafe { libc::open(path.as_ptr(), OPEN_FLAGS) };
            Self::from_fd(fd)
        }

        /// Opens the sub-folder `name` (not following a symlink: a folder replaced by one since it
        /// was `lstat`ed is an error, not a way out of the project).
        pub fn open_at(&self, name: &CStr) -> io::Result<Self> {
            // SAFETY: our descriptor is open while `self` lives; `name` is a C string.
            let fd =
                unsafe { libc::openat(self.fd(), name.as_ptr(), OPEN_FLAGS | libc::O_NOFOLLOW) };
            Self::from_fd(fd)
        }

        fn from_fd(fd: libc::c_int) -> io::Result<Self> {
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: `fd` is an open descriptor that the stream now owns (closed with it).
            match NonNull::new(unsafe { libc::fdopendir(fd) }) {
                Some(dir) => Ok(Self(dir)),
                None => {
                    let e = io::Error::last_os_error();
                    // SAFETY: not owned by any stream.
                    unsafe { libc::close(fd) };
                    Err(e)
                }
            }
        }

        fn fd(&self) -> libc::c_int {
            // SAFETY: a valid stream while `self` lives.
            unsafe { libc::dirfd(self.0.as_ptr()) }
        }

        /// The names in the folder (without `.` and `..`).
        pub fn names(&mut self) -> io::Result<Names> {
            let mut names = Names::default();
            loop {
                set_errno(0);
                // SAFETY: a valid stream, read by this thread only (`&mut self`).
                let entry = unsafe { libc::readdir(self.0.as_ptr()) };
                if entry.is_null() {
                    let e = io::Error::last_os_error();
                    return match e.raw_os_error() {
                        Some(0) | None => Ok(names),
                        Some(_) => Err(e),
                    };
                }
                // SAFETY: `readdir` returned an entry whose name is a C string, valid until the
                // next call; it is copied at once.
                let (name, d_type) =
                    unsafe { (CStr::from_ptr((*entry).d_name.as_ptr()), (*entry).d_type) };
                let bytes = name.to_bytes_with_nul();
                if bytes == b".\0" || bytes == b"..\0" {
                    continue;
                }
                names.push(bytes, d_type == libc::DT_DIR);
            }
        }

        /// `lstat` of the entry `name`.
        pub fn lstat(&self, name: &CStr) -> io::Result<FileStat> {
            let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
            // SAFETY: our descriptor is open, `name` is a C string, `st` is written on success.
            let r = unsafe {
                libc::fstatat(
                    self.fd(),
                    name.as_ptr(),
                    st.as_mut_ptr(),
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            };
            if r != 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: filled in by a successful `fstatat`.
            let st = unsafe { st.assume_init() };
            Ok(FileStat::of_stat(&st))
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            // SAFETY: the stream is valid and closed once, with its descriptor.
            unsafe { libc::closedir(self.0.as_ptr()) };
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn set_errno(v: libc::c_int) {
        // SAFETY: this thread's errno.
        unsafe { *libc::__errno_location() = v };
    }

    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    fn set_errno(v: libc::c_int) {
        // SAFETY: this thread's errno.
        unsafe { *libc::__error() = v };
    }

    /// The names of one folder, NUL-terminated, in one buffer.
    #[derive(Default)]
    pub struct Names {
        bytes: Vec<u8>,
        /// Where each name starts in `bytes` and its length (without the NUL), in the order of
        /// [`Names::sort`].
        spans: Vec<(u32, u32)>,
        /// How many entries the listing says are folders (file systems that do not say count none).
        pub dirs: usize,
    }

    impl Names {
        fn push(&mut self, name_with_nul: &[u8], is_dir: bool) {
            let len = name_with_nul.len() - 1;
            self.spans.push((self.bytes.len() as u32, len as u32));
            self.bytes.extend_from_slice(name_with_nul);
            self.dirs += usize::from(is_dir);
        }

        pub fn len(&self) -> usize {
            self.spans.len()
        }

        pub fn get(&self, i: usize) -> &CStr {
            let (start, len) = self.spans[i];
            let with_nul = &self.bytes[start as usize..][..len as usize + 1];
            CStr::from_bytes_with_nul(with_nul).expect("a name from readdir and its NUL")
        }

        pub fn iter(&self) -> impl Iterator<Item = &CStr> {
            (0..self.len()).map(|i| self.get(i))
        }

        /// Sorts the names as bytes.
        pub fn sort(&mut self) {
            let bytes = &self.bytes;
            let name = |(start, len): (u32, u32)| &bytes[start as usize..][..len as usize];
            self.spans.sort_unstable_by(|&a, &b| name(a).cmp(name(b)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk's own `lstat` gives the fields `std::fs::symlink_metadata` gives: the stat cache
    /// compares what the walk saw with what other commands see after reading a file.
    #[test]
    fn the_walks_lstat_is_std_s() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("kick.wav"), b"RIFF").unwrap();
        std::fs::create_dir(root.join("Samples")).unwrap();
        std::os::unix::fs::symlink("kick.wav", root.join("link")).unwrap();
        std::os::unix::fs::symlink("Samples", root.join("to Samples")).unwrap();
        let mut folder = sys::Folder::open(root).unwrap();
        let mut names = folder.names().unwrap();
        names.sort();
        let listed: Vec<&[u8]> = names.iter().map(|n| n.to_bytes()).collect();
        assert_eq!(
            listed,
            [&b"Samples"[..], b"kick.wav", b"link", b"to Samples"]
        );
        for name in names.iter() {
            let std = std::fs::symlink_metadata(root.join(OsStr::from_bytes(name.to_bytes())));
            assert_eq!(folder.lstat(name).unwrap(), FileStat::of(&std.unwrap()));
        }
        let missing = folder.lstat(c"gone").unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        // A sub-folder is opened relative to its parent, never through a symlink.
        assert!(folder.open_at(c"Samples").is_ok());
        assert!(folder.open_at(c"to Samples").is_err());
    }
}
