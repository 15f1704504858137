//! Comparing the project folder with a commit: `daw status`, and the first step of every command that
//! rewrites files (switch, restore, reset --hard, undo), which must know which files hold changes that
//! were never committed.
//!
//! The folder is walked with `lstat` only; a file is read (hashed) only when the stat cache has no
//! trusted entry for it (`statcache`). What status reports is what `daw commit` would record: the same
//! walk, the same ignore rules.

use std::collections::{BTreeMap, HashMap};
use std::fs::Metadata;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::object::{EntryKind, ObjectId, TreeEntry};
use crate::platform::bytes_of_path;
use crate::platform::names::{self, Folding};
use crate::worktree::fsutil;
use crate::worktree::paths::display_path;
use crate::worktree::stat::FileStat;
use crate::worktree::statcache::{HeadFiles, StatCache};
use crate::worktree::walk::{Found, Listing, Walk, WalkWarning};

use super::lock::RepoLock;
use super::ops::Head;
use super::{RepoError, Repository, Result};

/// How often a file that changes while it is hashed is tried.
const HASH_ATTEMPTS: usize = 3;

/// What the walk found at a path that is not a folder.
#[derive(Clone, Debug)]
pub(crate) enum Leaf {
    File(FileStat),
    Symlink(Vec<u8>),
    Unreadable(String),
    /// A socket, FIFO or device: never versioned.
    Special,
}

/// What a path holds on disk, as far as versioning cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OnDisk {
    File {
        hash: ObjectId,
        exec: bool,
        size: u64,
    },
    Symlink(Vec<u8>),
    /// A file daw could not read (the reason).
    Unreadable(String),
}

/// Whether a committed entry and what is on disk hold the same thing (mtimes do not count; the
/// exec bit does, as in commits, where the file system has one).
pub(crate) fn same(entry: &TreeEntry, disk: &OnDisk) -> bool {
    match (&entry.kind, disk) {
        (EntryKind::File { hash, .. }, OnDisk::File { hash: h, exec, .. }) => {
            hash == h && (!crate::platform::HAS_EXEC_BIT || (entry.mode & 0o111 != 0) == *exec)
        }
        (EntryKind::Symlink { target }, OnDisk::Symlink(t)) => target == t,
        _ => false,
    }
}

/// Whether two committed entries hold the same thing.
pub(crate) fn same_entry(a: &TreeEntry, b: &TreeEntry) -> bool {
    match (&a.kind, &b.kind) {
        (EntryKind::File { hash: h1, .. }, EntryKind::File { hash: h2, .. }) => {
            h1 == h2 && (a.mode & 0o111 != 0) == (b.mode & 0o111 != 0)
        }
        (EntryKind::Symlink { target: t1 }, EntryKind::Symlink { target: t2 }) => t1 == t2,
        _ => false,
    }
}

/// Every file and symlink of a tree (`None`: the empty tree) by relative path.
pub(crate) fn flatten(
    repo: &Repository,
    tree: Option<&ObjectId>,
) -> Result<BTreeMap<PathBuf, TreeEntry>> {
    // Trees list names in byte order, so a depth-first walk yields paths in order and the map is
    // built in bulk instead of by one insertion (and a dozen path comparisons) per file.
    let mut out = Vec::new();
    if let Some(t) = tree {
        flatten_into(repo, t, Path::new(""), &mut out)?;
    }
    Ok(out.into_iter().collect())
}

fn flatten_into(
    repo: &Repository,
    tree: &ObjectId,
    prefix: &Path,
    out: &mut Vec<(PathBuf, TreeEntry)>,
) -> Result<()> {
    for e in repo.read_tree(tree)?.entries {
        let path = prefix.join(crate::platform::os_str(&e.name));
        match &e.kind {
            EntryKind::Dir { tree } => flatten_into(repo, tree, &path, out)?,
            _ => out.push((path, e)),
        }
    }
    Ok(())
}

/// The project folder as walked (stat only), with contents hashed on demand through the stat cache.
pub(crate) struct WorkTreeView {
    pub leaves: BTreeMap<PathBuf, Leaf>,
    /// Folders found (relative), for the checks of commands that write files.
    pub dirs: Vec<PathBuf>,
    pub warnings: Vec<WalkWarning>,
    cache: StatCache,
    contents: HashMap<PathBuf, OnDisk>,
    /// Committed paths found on disk under another spelling, on a file system that takes both for
    /// one name ([`WorkTreeView::find_respelled`]).
    respelled: HashMap<PathBuf, PathBuf>,
    pub files_read: u64,
    pub bytes_read: u64,
}

impl WorkTreeView {
    /// Walks the project (on a second thread, while this one loads the stat cache).
    pub fn scan(repo: &Repository) -> Result<Self> {
        let walk = Walk::start(repo.work_tree(), repo.daw_dir());
        let cache = StatCache::load(&repo.stat_cache_path(), repo.store(), walk.started());
        Self::from_walk(repo.work_tree(), walk.finish(), cache)
    }

    fn from_walk(work_tree: &Path, root: Found, cache: StatCache) -> Result<Self> {
        let mut view = Self {
            leaves: BTreeMap::new(),
            dirs: Vec::new(),
            warnings: Vec::new(),
            cache,
            contents: HashMap::new(),
            respelled: HashMap::new(),
            files_read: 0,
            bytes_read: 0,
        };
        match root {
            Found::Dir(_, children, _) => {
                // The walk lists names in byte order: paths come in order, and the map is built in bulk.
                let mut leaves = Vec::new();
                view.add(Path::new(""), children, &mut leaves);
                view.leaves = leaves.into_iter().collect();
            }
            Found::Unreadable(reason) => {
                return Err(RepoError::io(work_tree, std::io::Error::other(reason)));
            }
            _ => {
                return Err(RepoError::Refused(format!(
                    "{} is not a folder",
                    work_tree.display()
                )));
            }
        }
        Ok(view)
    }

    fn add(&mut self, rel: &Path, found: Vec<(Vec<u8>, Found)>, leaves: &mut Vec<(PathBuf, Leaf)>) {
        for (name, f) in found {
            let path = rel.join(crate::platform::os_str(&name));
            let leaf = match f {
                Found::Dir(_, children, _) => {
                    self.dirs.push(path.clone());
                    self.add(&path, children, leaves);
                    continue;
                }
                Found::File(meta) => Leaf::File(meta),
                Found::Symlink(_, target) => Leaf::Symlink(target),
                Found::Unreadable(reason) => Leaf::Unreadable(reason),
                Found::Special => Leaf::Special,
            };
            leaves.push((path, leaf));
        }
    }

    /// What `rel` holds on disk (`None`: nothing versionable). `base` is the committed entry it is
    /// compared with: when the file is read and matches it, the stat cache learns the file.
    pub fn content(
        &mut self,
        repo: &Repository,
        rel: &Path,
        base: Option<&TreeEntry>,
    ) -> Result<Option<OnDisk>> {
        if let Some(c) = self.contents.get(rel) {
            return Ok(Some(c.clone()));
        }
        let Some(leaf) = self.leaves.get(rel) else {
            return match self.respelled.get(rel).cloned() {
                // What the system finds at `rel` is the file it holds under another spelling (read
                // as itself: its committed entry is not `rel`'s).
                Some(on_disk) => self.content(repo, &on_disk, None),
                None => Ok(None),
            };
        };
        let leaf = leaf.clone();
        let found = self.content_of(repo, rel, &leaf, base)?;
        if let Some(f) = &found {
            self.contents.insert(rel.to_path_buf(), f.clone());
        }
        Ok(found)
    }

    /// [`WorkTreeView::content`] for a leaf the caller already holds, not remembered (status asks once
    /// per path, in order).
    fn content_of(
        &mut self,
        repo: &Repository,
        rel: &Path,
        leaf: &Leaf,
        base: Option<&TreeEntry>,
    ) -> Result<Option<OnDisk>> {
        Ok(Some(match leaf {
            Leaf::Special => return Ok(None),
            Leaf::Symlink(t) => OnDisk::Symlink(t.clone()),
            Leaf::Unreadable(reason) => OnDisk::Unreadable(reason.clone()),
            Leaf::File(meta) => match self.cache.lookup(rel, meta) {
                Some(e) => match e.kind {
                    EntryKind::File { hash, size, .. } => OnDisk::File {
                        hash,
                        exec: meta.is_executable(),
                        size,
                    },
                    _ => unreachable!("the cache holds files only"),
                },
                None => self.hash_file(repo, rel, base)?,
            },
        }))
    }

    fn hash_file(
        &mut self,
        repo: &Repository,
        rel: &Path,
        base: Option<&TreeEntry>,
    ) -> Result<OnDisk> {
        let full = repo.work_tree().join(rel);
        let mut last_error = String::new();
        for _ in 0..HASH_ATTEMPTS {
            let mut file = match fsutil::open_no_follow(&full) {
                Ok(f) => f,
                Err(e) => return Ok(OnDisk::Unreadable(e.to_string())),
            };
            let before = file.metadata().map_err(|e| RepoError::io(&full, e))?;
            let mut hasher = repo.store().keys().hasher();
            let mut buf = vec![0u8; 256 << 10];
            let mut size = 0u64;
            loop {
                let n = match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Ok(OnDisk::Unreadable(e.to_string())),
                };
                hasher.update(&buf[..n]);
                size += n as u64;
            }
            self.files_read += 1;
            self.bytes_read += size;
            let after = file.metadata().map_err(|e| RepoError::io(&full, e))?;
            let now = std::fs::symlink_metadata(&full).map_err(|e| RepoError::io(&full, e))?;
            if stat_changed(&before, &after) || stat_changed(&before, &now) || size != before.len()
            {
                last_error = "it kept changing while being read".into();
                continue;
            }
            let hash = ObjectId::from_bytes(*hasher.finalize().as_bytes());
            let stat = FileStat::of(&before);
            let disk = OnDisk::File {
                hash,
                exec: stat.is_executable(),
                size,
            };
            // A file that matches its committed version can reuse the committed storage.
            if let Some(b) = base
                && same(b, &disk)
            {
                let mut entry = b.clone();
                entry.mode =
                    crate::platform::recorded_permissions(stat.permissions(), Some(b.mode));
                (entry.mtime_secs, entry.mtime_nanos) = stat.mtime;
                self.cache.record(rel, &stat, entry);
            }
            return Ok(disk);
        }
        Ok(OnDisk::Unreadable(last_error))
    }

    /// On a file system that takes two spellings for one name (`kick.wav` for `Kick.wav` on macOS and
    /// Windows; `é` in either Unicode form on macOS), makes [`WorkTreeView::content`] of a
    /// `committed` path the walk did not find spelled so give what the system holds under the other
    /// spelling: writing or removing the committed path would touch that file, so the clobber guard
    /// must judge it. The file system is probed only when such a pair is on disk.
    pub(crate) fn find_respelled<'a>(
        &mut self,
        work_tree: &Path,
        committed: impl Iterator<Item = &'a PathBuf>,
    ) -> Result<()> {
        let missing: Vec<&PathBuf> = committed
            .filter(|p| !self.leaves.contains_key(*p))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let leaves: Vec<&PathBuf> = self.leaves.keys().collect();
        let wanted: Vec<_> = missing.iter().map(|p| bytes_of_path(p)).collect();
        let wanted: Vec<&[u8]> = wanted.iter().map(|p| &**p).collect();
        let found: Vec<_> = leaves.iter().map(|p| bytes_of_path(p)).collect();
        let found: Vec<&[u8]> = found.iter().map(|p| &**p).collect();
        let maybe = names::found_respelled(&wanted, &found, Folding::ALL);
        if maybe.is_empty() {
            return Ok(());
        }
        let case_only = Folding {
            case: true,
            unicode: false,
        };
        let unicode = maybe
            .iter()
            .any(|&(i, j)| !names::same_name(wanted[i], found[j], case_only));
        let folding =
            crate::platform::name_folding(work_tree, crate::worktree::temp::TEMP_PREFIX, unicode)
                .map_err(|e| RepoError::io(work_tree, e))?;
        let pairs: Vec<(PathBuf, PathBuf)> = names::found_respelled(&wanted, &found, folding)
            .into_iter()
            .map(|(i, j)| (missing[i].clone(), leaves[j].clone()))
            .collect();
        self.respelled.extend(pairs);
        Ok(())
    }

    /// Forgets cached files the walk did not find, and writes the cache if it changed (best effort,
    /// and only if no other command is writing: a cache is never worth waiting for).
    pub fn save_cache(&mut self, repo: &Repository, whole_tree: bool) {
        if whole_tree {
            self.cache.prune_unvisited();
        }
        save_cache(repo, &mut self.cache);
    }

    /// Writes the cache; the caller holds the repository lock.
    pub fn save_cache_locked(&mut self, repo: &Repository) {
        let _ = self.cache.save(&repo.stat_cache_path(), repo.store());
    }
}

/// Writes the stat cache if it changed and no other command holds the repository (the cache is only a
/// hint: a command that cannot update it just leaves it for the next one).
fn save_cache(repo: &Repository, cache: &mut StatCache) {
    if !cache.is_dirty() {
        return;
    }
    let holder = format!("daw (updating the stat cache, pid {})", std::process::id());
    if let Ok(_lock) = RepoLock::acquire(repo.daw_dir(), Duration::ZERO, &holder) {
        let _ = cache.save(&repo.stat_cache_path(), repo.store());
    }
}

fn stat_changed(a: &Metadata, b: &Metadata) -> bool {
    let (a, b) = (FileStat::of(a), FileStat::of(b));
    (a.size, a.mtime, a.ctime, a.ino) != (b.size, b.mtime, b.ctime, b.ino)
}

/// How a path differs from HEAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusKind {
    /// Not in HEAD.
    New,
    Modified,
    /// In HEAD, gone from the folder.
    Deleted,
    /// Gone from one path and present, byte for byte, at another.
    Renamed,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatusEntry {
    /// Relative, `/`-separated.
    pub path: String,
    pub kind: StatusKind,
    /// For a rename: where the file was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// The project compared with HEAD.
#[derive(Debug, Default)]
pub struct Status {
    /// The current branch (also when it has no commit yet); `None` when HEAD is detached.
    pub branch: Option<String>,
    /// The commit HEAD points at.
    pub head: Option<ObjectId>,
    pub changes: Vec<StatusEntry>,
    pub warnings: Vec<WalkWarning>,
    /// Files in the folder (versionable ones).
    pub files: u64,
    /// Files that had to be read because the stat cache could not vouch for them.
    pub files_read: u64,
    pub bytes_read: u64,
}

impl Repository {
    /// Compares the project with HEAD, reading only files the stat cache cannot vouch for.
    pub fn status(&self) -> Result<Status> {
        self.status_of(Walk::start(self.work_tree(), self.daw_dir()))
    }

    /// [`Repository::status`] of a walk started earlier (the CLI starts it before it unlocks the
    /// repository: the walk is most of the time `daw status` takes).
    pub fn status_of(&self, walk: Walk) -> Result<Status> {
        let refs = self.refs()?;
        let head = refs.head_commit();
        let mut cache = StatCache::load(&self.stat_cache_path(), self.store(), walk.started());
        let mut status = Status {
            branch: match &refs.head {
                Head::Branch(b) => Some(b.clone()),
                Head::Detached(_) => None,
            },
            head,
            ..Default::default()
        };
        // The common case, nothing changed: the walk found HEAD's files and no other, each with the
        // stat the cache recorded for HEAD's version of it. The walk's listing digest, built on its
        // threads, matches the one in the cache's summary: no record is read, no map built.
        let root = walk.finish();
        if let (Some(h), Found::Dir(_, _, Listing::Digest(listing))) = (&head, &root)
            && let Some(files) = cache.unchanged_since(h, listing)
        {
            if cache.has_stale_records() {
                cache.keep_head_records();
                save_cache(self, &mut cache);
            }
            status.files = files as u64;
            // Thousands of small allocations that the process is about to hand back whole.
            std::mem::forget(root);
            return Ok(status);
        }
        // HEAD's files: kept with the stat cache while HEAD does not move, else read from its trees.
        let base: HeadFiles = match &head {
            Some(c) => match cache.head_files(c) {
                Some(files) => files,
                None => {
                    let files = Arc::new(flatten(self, Some(&self.read_commit(c)?.tree))?);
                    cache.set_head(*c, files.clone());
                    files
                }
            },
            None => HeadFiles::default(),
        };
        let mut view = WorkTreeView::from_walk(self.work_tree(), root, cache)?;
        let mut new: Vec<(PathBuf, OnDisk)> = Vec::new();
        let mut modified: Vec<PathBuf> = Vec::new();
        let mut deleted: Vec<PathBuf> = Vec::new();
        // Both maps are in path order: walk them side by side instead of looking each path up.
        let leaves = std::mem::take(&mut view.leaves);
        let mut committed_files = base.iter().peekable();
        for (path, leaf) in &leaves {
            while let Some((p, _)) = committed_files.peek()
                && *p < path
            {
                deleted.push((*p).clone());
                committed_files.next();
            }
            let committed = match committed_files.peek() {
                Some((p, e)) if *p == path => {
                    let e = *e;
                    committed_files.next();
                    Some(e)
                }
                _ => None,
            };
            let Some(disk) = view.content_of(self, path, leaf, committed)? else {
                status.warnings.push(WalkWarning {
                    path: path.clone(),
                    message:
                        "not a regular file, folder or symlink (socket, FIFO or device); skipped"
                            .into(),
                });
                if committed.is_some() {
                    deleted.push(path.clone());
                }
                continue;
            };
            status.files += 1;
            if let OnDisk::Unreadable(reason) = &disk {
                let what = if committed.is_some() {
                    "counted as unchanged"
                } else {
                    "skipped"
                };
                status.warnings.push(WalkWarning {
                    path: path.clone(),
                    message: format!("cannot read it ({reason}); {what}"),
                });
                continue;
            }
            match committed {
                None => new.push((path.clone(), disk)),
                Some(c) if !same(c, &disk) => modified.push(path.clone()),
                Some(_) => {}
            }
        }
        deleted.extend(committed_files.map(|(p, _)| p.clone()));
        view.leaves = leaves;
        // A committed file found under another Unicode spelling of its name (a project moved between
        // macOS, which may spell `é` as `e` and an accent, and Linux): the same file, unchanged or
        // modified, not a deletion and an addition.
        if !deleted.is_empty() && new.iter().any(|(p, _)| !p.as_os_str().is_ascii()) {
            let unicode = Folding {
                case: false,
                unicode: true,
            };
            new.retain(|(path, disk)| {
                let bytes = bytes_of_path(path);
                if bytes.is_ascii() {
                    return true;
                }
                let Some(i) = deleted
                    .iter()
                    .position(|d| names::same_name(&bytes_of_path(d), &bytes, unicode))
                else {
                    return true;
                };
                let committed = deleted.remove(i);
                if !base.get(&committed).is_some_and(|e| same(e, disk)) {
                    modified.push(path.clone());
                }
                false
            });
        }
        // Renames: a deleted file whose exact content (and kind) turns up at a new path.
        let mut renamed: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut new_left = Vec::new();
        for (path, disk) in new {
            let found = deleted
                .iter()
                .position(|d| base.get(d).is_some_and(|e| same(e, &disk)));
            match found {
                Some(i) => renamed.push((deleted.remove(i), path)),
                None => new_left.push(path),
            }
        }
        let show = |p: &Path| display_path(p);
        let mut changes: Vec<(PathBuf, StatusEntry)> = Vec::new();
        for p in new_left {
            changes.push((p.clone(), entry(show(&p), StatusKind::New, None)));
        }
        for p in modified {
            changes.push((p.clone(), entry(show(&p), StatusKind::Modified, None)));
        }
        for p in deleted {
            changes.push((p.clone(), entry(show(&p), StatusKind::Deleted, None)));
        }
        for (from, to) in renamed {
            changes.push((
                to.clone(),
                entry(show(&to), StatusKind::Renamed, Some(show(&from))),
            ));
        }
        changes.sort_by(|a, b| a.0.cmp(&b.0));
        status.changes = changes.into_iter().map(|(_, e)| e).collect();
        status.warnings.append(&mut view.warnings);
        status.files_read = view.files_read;
        status.bytes_read = view.bytes_read;
        view.save_cache(self, true);
        Ok(status)
    }
}

fn entry(path: String, kind: StatusKind, from: Option<String>) -> StatusEntry {
    StatusEntry { path, kind, from }
}
