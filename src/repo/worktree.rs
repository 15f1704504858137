//! The project folder: which files belong in a snapshot (`.dawignore` and the DAW by-products ignored
//! by default) and a stat-only walk of it.

use std::ffi::{CStr, OsStr};
use std::fs::Metadata;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use gix_ignore::glob::pattern::Case;

use super::statcache::FolderListing;

/// By-products of DAWs and operating systems that are never part of a project's history. Documented
/// in the README ("What daw ignores"); a `.dawignore` can re-include any of them with `!pattern`, and
/// `daw status --ignored` lists what they leave out.
///
/// Each rule must be unable to swallow a file the producer made. So:
/// - Live's backups are matched as Live names them, `.als` files directly in a folder named `Backup`
///   (Live writes `Backup/<set> [YYYY-MM-DD HHMMSS].als` beside the set), never a whole `Backup`
///   folder: producers keep their own samples in folders of that name (`Samples/Backup/vox.wav`).
///   The other reading, "a Backup folder beside a set", would still swallow any sample kept in the
///   Backup folder next to a set; a set backup is only ever an `.als`, and a sample never is one.
/// - The patterns for files never match a folder ([`Ignores`] checks it): a folder the producer named
///   `Takes.tmp` or `Old~` is theirs, whatever its name ends with. Only the two operating-system folders
///   below, which hold no user file, are folder rules.
pub const DEFAULT_IGNORES: &str = "\
# Ableton Live: set backups (in the Backup folder beside a set) and analysis files (Live recreates them).
**/Backup/*.als
*.asd
# FL Studio: autosaves and overwrite backups.
*(autosave)*.flp
*overwritten at*.flp
*.flp.bak
# Operating systems.
.DS_Store
._*
Thumbs.db
desktop.ini
.Spotlight-V100/
.Trashes/
# Editors and temporary files.
*~
*.tmp
*.swp
~$*
.#*
# daw's own temporary files during a checkout (worktree::is_temp_name), and no other name.
.daw-tmp-??????
.daw-tmp-????????????????
";

/// The name [`Ignores`] gives the default rules' list.
const DEFAULTS_SOURCE: &str = "<daw defaults>";

/// The name of the per-folder ignore file.
pub const IGNORE_FILE: &str = ".dawignore";

/// Ignore rules for one work tree.
#[derive(Clone)]
pub struct Ignores {
    search: gix_ignore::Search,
    quick: QuickReject,
}

/// A test that most names pass in a few nanoseconds, so that the rules proper (about 12 ns per
/// pattern and path) are consulted for only a few paths of a project. A pattern matches a whole name
/// (without a `/`) or a whole path (with one); either way, what it matches ends with the pattern's last
/// byte when that is a literal one, and so does the name (a path's last byte is its name's). A pattern
/// without a `/` that ends with a wildcard matches only names that start with the literal text before
/// its first wildcard. A name whose last byte ends no pattern and whose first byte starts no such
/// prefix matches no pattern at all, negative ones included, so it is not ignored. (A pattern with a
/// `/` that ends with a wildcard, or a pattern with wildcards at both ends, turns the test off.)
#[derive(Clone)]
struct QuickReject {
    /// The last bytes of the patterns' literal suffixes.
    last: [bool; 256],
    /// The first bytes of the literal prefixes of the patterns that have no literal suffix.
    first: [bool; 256],
    /// Some pattern cannot be told apart this way: every path goes to the rules.
    off: bool,
}

impl QuickReject {
    fn of(search: &gix_ignore::Search) -> Self {
        use gix_glob::pattern::Mode;
        let mut quick = Self {
            last: [false; 256],
            first: [false; 256],
            off: false,
        };
        let special = |b: &u8| matches!(b, b'*' | b'?' | b'[' | b']' | b'\\');
        for list in &search.patterns {
            for mapping in &list.patterns {
                let pattern = &mapping.pattern;
                let text: &[u8] = pattern.text.as_ref();
                let last = text.last().filter(|b| !special(b));
                let prefix = text.iter().take_while(|b| !special(b)).count();
                let first = text[..prefix]
                    .first()
                    .filter(|_| pattern.mode.contains(Mode::NO_SUB_DIR));
                match (last, first) {
                    (Some(&last), _) => quick.last[usize::from(last)] = true,
                    (None, Some(&first)) => quick.first[usize::from(first)] = true,
                    (None, None) => quick.off = true,
                }
            }
        }
        quick
    }

    /// Whether some pattern may match a path whose last component is `name`.
    fn may_match(&self, name: &[u8]) -> bool {
        match (name.first(), name.last()) {
            (Some(&first), Some(&last)) => {
                self.off || self.last[usize::from(last)] || self.first[usize::from(first)]
            }
            _ => true,
        }
    }
}

impl Ignores {
    /// The defaults; the walk adds each folder's `.dawignore` for that folder and those below it.
    pub fn new() -> Self {
        let mut search = gix_ignore::Search::default();
        search
            .add_patterns_buffer(
                DEFAULT_IGNORES.as_bytes(),
                DEFAULTS_SOURCE,
                None,
                Default::default(),
            )
            .expect("parsing patterns from memory cannot fail");
        let quick = QuickReject::of(&search);
        Self { search, quick }
    }

    /// The `.dawignore` of folder `rel_dir`, if it has one: its path and its bytes.
    fn file_in(work_tree: &Path, rel_dir: &Path) -> std::io::Result<Option<(PathBuf, Vec<u8>)>> {
        let path = work_tree.join(rel_dir).join(IGNORE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some((path, bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Adds the patterns of the `.dawignore` at `path`, in folder `rel_dir` (empty for the root).
    fn add_buffer(
        &mut self,
        work_tree: &Path,
        rel_dir: &Path,
        path: PathBuf,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        let root = if rel_dir.as_os_str().is_empty() {
            None
        } else {
            Some(work_tree)
        };
        self.search
            .add_patterns_buffer(bytes, path, root, Default::default())?;
        self.quick = QuickReject::of(&self.search);
        Ok(())
    }

    /// Whether the path `rel` (relative to the work tree; a folder when `is_dir`) is ignored.
    pub fn is_ignored(&self, rel: &Path, is_dir: bool) -> bool {
        let name = rel.file_name().map_or(&[][..], |n| n.as_bytes());
        self.may_ignore(name) && self.matches(rel, is_dir)
    }

    /// `false` when no rule can match a path named `name` (checked without building the path).
    fn may_ignore(&self, name: &[u8]) -> bool {
        self.quick.may_match(name)
    }

    fn matches(&self, rel: &Path, is_dir: bool) -> bool {
        self.matching(rel, is_dir).is_some()
    }

    /// The pattern that ignores the path `rel` (a folder when `is_dir`), if one does, and whether it is
    /// one of the defaults.
    fn matching(&self, rel: &Path, is_dir: bool) -> Option<(&gix_glob::Pattern, Option<&Path>)> {
        let bytes = rel.as_os_str().as_bytes();
        let m = self.search.pattern_matching_relative_path(
            bytes.into(),
            Some(is_dir),
            Case::Sensitive,
        )?;
        if m.pattern.is_negative() {
            return None;
        }
        let file = m.source.filter(|path| *path != Path::new(DEFAULTS_SOURCE));
        // A default rule for files never takes a folder (see DEFAULT_IGNORES).
        if file.is_none()
            && is_dir
            && !m
                .pattern
                .mode
                .contains(gix_glob::pattern::Mode::MUST_BE_DIR)
        {
            return None;
        }
        Some((m.pattern, file))
    }

    /// The rule that ignores the path `rel` (a folder when `is_dir`), if one does.
    pub fn rule_for(&self, rel: &Path, is_dir: bool) -> Option<IgnoreRule> {
        let (pattern, file) = self.matching(rel, is_dir)?;
        Some(IgnoreRule {
            source: match file {
                Some(path) => IgnoreSource::File(path.to_owned()),
                None => IgnoreSource::Default,
            },
            pattern: pattern.to_string(),
        })
    }
}

/// Where an ignore rule comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IgnoreSource {
    /// daw's defaults ([`DEFAULT_IGNORES`]).
    Default,
    /// A `.dawignore` (its path as the walk found it).
    File(PathBuf),
}

/// The rule that left a path out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreRule {
    pub source: IgnoreSource,
    /// The pattern as written (`!` and a trailing `/` included).
    pub pattern: String,
}

/// A file or folder of the project that ignore rules leave out.
#[derive(Clone, Debug)]
pub struct IgnoredPath {
    /// Relative to the work tree.
    pub path: PathBuf,
    pub is_dir: bool,
    /// How many files it holds (1 for a file; what is below it for a folder).
    pub files: u64,
    pub rule: IgnoreRule,
}

/// Every path of the project that the ignore rules leave out, sorted (the folder a rule leaves out, not
/// what is below it). `.daw` and `skip_dir` are not listed: they are not the project's. Slower than
/// [`walk`] (one thread, and it reads the folders the walk skips); for `daw status --ignored` and the
/// first commit's note.
pub fn ignored_paths(work_tree: &Path, skip_dir: &Path) -> std::io::Result<Vec<IgnoredPath>> {
    let mut out = Vec::new();
    ignored_below(
        work_tree,
        Path::new(""),
        &Ignores::new(),
        skip_dir,
        &mut out,
    )?;
    Ok(out)
}

fn ignored_below(
    work_tree: &Path,
    rel: &Path,
    inherited: &Ignores,
    skip_dir: &Path,
    out: &mut Vec<IgnoredPath>,
) -> std::io::Result<()> {
    let dir = work_tree.join(rel);
    let own = match Ignores::file_in(work_tree, rel)? {
        Some((path, bytes)) => {
            let mut i = inherited.clone();
            i.add_buffer(work_tree, rel, path, &bytes)?;
            Some(i)
        }
        None => None,
    };
    let ignores = own.as_ref().unwrap_or(inherited);
    let mut entries = std::fs::read_dir(&dir)?
        .map(|e| e.and_then(|e| Ok((e.file_name(), e.file_type()?))))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (name, kind) in entries {
        let path = dir.join(&name);
        if (rel.as_os_str().is_empty() && name == super::DAW_DIR_NAME) || path == skip_dir {
            continue;
        }
        let child = rel.join(&name);
        let is_dir = kind.is_dir();
        match ignores.rule_for(&child, is_dir) {
            Some(rule) => {
                let files = if is_dir { count_files(&path) } else { 1 };
                out.push(IgnoredPath {
                    path: child,
                    is_dir,
                    files,
                    rule,
                });
            }
            None if is_dir => ignored_below(work_tree, &child, ignores, skip_dir, out)?,
            None => {}
        }
    }
    Ok(())
}

/// The files below a folder (symlinks counted as files, never followed; unreadable folders as empty).
fn count_files(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            _ => 1,
        })
        .sum()
}

impl Default for Ignores {
    fn default() -> Self {
        Self::new()
    }
}

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
    fn of_stat(st: &libc::stat) -> Self {
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

/// The listing digest of the files below a folder (`statcache::FolderListing`), which `daw status`
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
    /// Starts walking the project of `location` (skipping its repository folder).
    pub fn start(location: &super::Location) -> Self {
        let started = SystemTime::now();
        let work_tree = location.work_tree.clone();
        let daw_dir = location.daw_dir.clone();
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

/// The prefix of the temporary names daw writes files and symlinks of the project under before
/// renaming them into place (a checkout). Ignored by default, and removed by
/// [`remove_stale_temp_files`] when a killed daw left them behind.
pub const TEMP_PREFIX: &str = ".daw-tmp-";

/// Whether `name` is a temporary name of daw's own: [`TEMP_PREFIX`] and then 6 ASCII letters or
/// digits (a file, named by the `tempfile` crate) or 16 lowercase hex digits (a symlink).
pub fn is_temp_name(name: &[u8]) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX.as_bytes()) else {
        return false;
    };
    match rest.len() {
        6 => rest.iter().all(u8::is_ascii_alphanumeric),
        16 => rest.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        _ => false,
    }
}

/// Removes the temporary files that a daw killed during a checkout left in the project (see
/// [`TEMP_PREFIX`]), in every folder but `.daw` and `skip_dir`, without following symlinks; returns
/// the paths removed (relative to the work tree). Only files and symlinks with exactly daw's
/// temporary names are touched.
///
/// Call it only while holding the repository lock: every daw that writes such files in the project
/// holds it (switch, restore, reset, undo), so none of them can be in use then. (`daw export` uses
/// other names, as it writes without the lock.) Best effort: a folder that cannot be read is passed
/// over.
pub fn remove_stale_temp_files(work_tree: &Path, skip_dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    remove_temp_below(work_tree, Path::new(""), skip_dir, &mut removed);
    removed
}

fn remove_temp_below(work_tree: &Path, rel: &Path, skip_dir: &Path, removed: &mut Vec<PathBuf>) {
    let dir = work_tree.join(rel);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            let path = e.path();
            if !(rel.as_os_str().is_empty() && name == super::DAW_DIR_NAME) && path != skip_dir {
                remove_temp_below(work_tree, &rel.join(&name), skip_dir, removed);
            }
        } else if is_temp_name(name.as_bytes()) && std::fs::remove_file(e.path()).is_ok() {
            removed.push(rel.join(&name));
        }
    }
}

/// Whether a path (relative to the work tree) is selected by path arguments: all when none are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The path and everything below it.
    All,
    /// Only some paths below it.
    Partly,
    /// Not selected.
    None,
}

pub fn select(paths: &[PathBuf], rel: &Path) -> Selection {
    if paths.is_empty() {
        return Selection::All;
    }
    let mut partly = false;
    for p in paths {
        if p.as_os_str().is_empty() || rel.starts_with(p) {
            return Selection::All;
        }
        if p.starts_with(rel) {
            partly = true;
        }
    }
    if partly {
        Selection::Partly
    } else {
        Selection::None
    }
}

/// The display form of a relative path (lossy only for non-UTF-8 names).
pub fn display_path(rel: &Path) -> String {
    rel.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ignores_cover_daw_by_products() {
        let ig = Ignores::new();
        assert!(ig.is_ignored(Path::new("Backup/Song [2026-11-01 120000].als"), false));
        assert!(ig.is_ignored(Path::new("Sets/Backup/Live [2026-11-01 120000].als"), false));
        assert!(ig.is_ignored(Path::new("Samples/kick.wav.asd"), false));
        assert!(ig.is_ignored(Path::new(".DS_Store"), false));
        assert!(ig.is_ignored(Path::new("Song (autosave).flp"), false));
        assert!(!ig.is_ignored(Path::new("Song.als"), false));
        assert!(!ig.is_ignored(Path::new("Samples/kick.wav"), false));
        assert!(!ig.is_ignored(Path::new("Backup.als"), false));
        assert!(ig.is_ignored(Path::new(".Trashes"), true));
        assert!(ig.is_ignored(Path::new("scratch.tmp"), false));
    }

    /// Issue 16: `Backup/` ignored `Samples/Backup/vox.wav`, and `daw status` said nothing changed. No
    /// default rule may leave out a file the producer made.
    #[test]
    fn default_ignores_never_swallow_a_users_file() {
        let ig = Ignores::new();
        for (path, is_dir) in [
            ("Backup", true),
            ("Samples/Backup", true),
            ("Samples/Backup/vox.wav", false),
            ("Backup/vox.wav", false),
            ("Backup/Old/Song.als", false),
            ("Backup/Notes.txt", false),
            // A folder is never taken by a rule for files, whatever its name ends with.
            ("Takes.tmp", true),
            ("Old takes~", true),
            ("._Stems", true),
            ("Samples/Recorded", true),
            ("Song.als", false),
            ("Samples/kick.wav", false),
        ] {
            assert!(!ig.is_ignored(Path::new(path), is_dir), "{path} is ignored");
        }
    }

    #[test]
    fn the_quick_test_never_hides_a_match() {
        // Names built from the pieces the patterns are made of, so that many of them match.
        let pieces: [&[u8]; 23] = [
            b"a",
            b"Song",
            b".",
            b"_",
            b"~",
            b"$",
            b"#",
            b"(autosave)",
            b" ",
            b"flp",
            b"bak",
            b"Backup",
            b"x]",
            b"\xc3\xa9",
            b"wav",
            b"keep",
            b"B",
            b"ounce",
            b"aif",
            b"stems",
            b"take*",
            b"renders",
            b"als",
        ];
        let mut names: Vec<Vec<u8>> = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    names.push([a, b, c].concat());
                }
            }
        }
        let custom =
            b"# a project's own rules\n*.wav\n!keep.wav\n[Bb]ounce*.aif\nstems?\ntake\\*\nrenders/\n";
        let with_slash = b"Samples/*.tmp\n/Exports\n**/Backup/keep*.wav\n";
        let slash_and_wildcard = b"Samples/take*\n";
        let mut rule_sets = vec![Ignores::new()];
        for extra in [&custom[..], &with_slash[..], &slash_and_wildcard[..]] {
            let mut ig = Ignores::new();
            ig.add_buffer(
                Path::new("/p"),
                Path::new(""),
                PathBuf::from("/p/.dawignore"),
                extra,
            )
            .unwrap();
            rule_sets.push(ig);
        }
        let mut matched = 0;
        for ig in &rule_sets {
            for (parent, name) in ["Samples", "Samples/Backup"]
                .iter()
                .flat_map(|p| names.iter().map(move |n| (p, n)))
            {
                let rel = Path::new(parent).join(std::ffi::OsStr::from_bytes(name));
                for is_dir in [false, true] {
                    let full = ig.matches(&rel, is_dir);
                    matched += usize::from(full);
                    assert_eq!(
                        ig.is_ignored(&rel, is_dir),
                        full,
                        "{rel:?} (folder: {is_dir})"
                    );
                }
            }
        }
        assert!(
            matched > 3000,
            "the names exercise the rules ({matched} matches)"
        );
        // The defaults turn the test on: a sample's name skips the rules.
        assert!(!rule_sets[0].may_ignore(b"clip 0481.wav"));
        assert!(rule_sets[0].may_ignore(b"clip 0481.asd"));
        assert!(!rule_sets[1].quick.off);
        assert!(
            !rule_sets[2].quick.off,
            "a pattern with a slash and a literal end keeps the test"
        );
        assert!(
            rule_sets[3].quick.off,
            "a pattern with a slash that ends with a wildcard checks every path"
        );
    }

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

    #[test]
    fn daws_temporary_names() {
        for name in [".daw-tmp-a1B2c3", ".daw-tmp-0123456789abcdef"] {
            assert!(is_temp_name(name.as_bytes()), "{name}");
            assert!(Ignores::new().is_ignored(Path::new(name), false), "{name}");
        }
        for name in [
            ".daw-tmp-",
            ".daw-tmp-a1B2c",
            ".daw-tmp-a1B2c3d",
            ".daw-tmp-0123456789ABCDEF",
            ".daw-tmp-a1B2c3.wav",
            "daw-tmp-a1B2c3",
            "Song.als",
        ] {
            assert!(!is_temp_name(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn selection_of_paths() {
        let paths = vec![PathBuf::from("Samples/Recorded")];
        assert_eq!(select(&paths, Path::new("Samples")), Selection::Partly);
        assert_eq!(
            select(&paths, Path::new("Samples/Recorded/a.wav")),
            Selection::All
        );
        assert_eq!(select(&paths, Path::new("Song.als")), Selection::None);
        assert_eq!(select(&[], Path::new("x")), Selection::All);
    }
}
