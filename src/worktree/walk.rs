//! The stat-only walk of a project: each folder listed (`readdir`) and each entry `lstat`ed relative
//! to it, on rayon's threads, skipping ignored paths, `.daw` and the repository folder; and the
//! listing digest of each folder ([`FolderListing`]), which `daw status` compares with the stat
//! cache's summary.
//!
//! It reads no file's content, needs nothing from the store, and never follows a symlink or writes.

use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::ignore::{IGNORE_FILE, Ignores};
use super::stat::FileStat;
use crate::platform::{self, Folder, os_str};

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
        Ok(m) if m.is_dir() => match Folder::open(&path) {
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
    mut folder: Folder,
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
    let skip_name = skip_dir.file_name().map(|n| n.as_encoded_bytes());
    let at_top = rel.as_os_str().is_empty();
    let skipped = |name: &[u8]| {
        (at_top && name == super::DAW_DIR_NAME.as_bytes())
            || (Some(name) == skip_name && dir.join(os_str(name)) == skip_dir)
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
                    &rel.join(os_str(bytes)),
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
fn look_at(folder: &Folder, dir: &Path, rel: &Path, name: &CStr, ignores: &Ignores) -> Seen {
    let stat = match folder.lstat(name) {
        Ok(s) => s,
        Err(e) => return Seen::Leaf(Found::Unreadable(e.to_string())),
    };
    let bytes = name.to_bytes();
    let is_dir = stat.is_dir();
    if ignores.may_ignore(bytes) && ignores.matches(&rel.join(os_str(bytes)), is_dir) {
        return Seen::Ignored;
    }
    if is_dir {
        return Seen::Dir(stat);
    }
    Seen::Leaf(if stat.is_file() {
        Found::File(stat)
    } else if stat.is_symlink() {
        match std::fs::read_link(dir.join(os_str(bytes))) {
            Ok(t) => Found::Symlink(stat, platform::bytes_of_path(&t).into_owned()),
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
