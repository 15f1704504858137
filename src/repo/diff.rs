//! Comparing two versions of the project file by file, where each version is a commit's tree or the
//! work tree on disk (`daw diff`, `daw show`).
//!
//! Nothing is stored while comparing. Two stored trees are compared by id, so identical folders are
//! skipped without being read. A stored tree against the work tree walks the project as a commit
//! would (same ignore rules) and decides per file: a different size is a change; the same size and
//! modification time as recorded at commit time is no change (the stat shortcut Git also takes);
//! anything else is hashed with the repository's keyed hash and compared with the committed hash.

use std::io;
use std::path::{Path, PathBuf};

use crate::object::{EntryKind, ObjectId, Tree, TreeEntry};
use crate::worktree::fsutil;
use crate::worktree::ignore::Ignores;
use crate::worktree::paths::{Selection, display_path, select};
use crate::worktree::stat::FileStat;
use crate::worktree::walk::{Found, WalkWarning, walk};

use super::history::ChangeKind;
use super::{RepoError, Repository, Result};

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Side {
    /// Nothing (the parent of a root commit).
    Empty,
    /// A stored tree (a commit's root tree).
    Tree(ObjectId),
    /// The project folder on disk, as a commit would see it.
    WorkTree,
}

/// One version of a file (or symlink) on one side of a comparison.
#[derive(Clone, Debug)]
pub enum FileVersion {
    /// As committed.
    Stored(TreeEntry),
    /// In the work tree: a file (`link` is `None`) or a symlink.
    OnDisk {
        /// Path relative to the work tree.
        rel: PathBuf,
        size: u64,
        link: Option<Vec<u8>>,
    },
}

impl FileVersion {
    /// The file's size (a symlink's: the length of its target).
    pub fn size(&self) -> u64 {
        match self {
            Self::Stored(e) => match &e.kind {
                EntryKind::File { size, .. } => *size,
                EntryKind::Symlink { target } => target.len() as u64,
                EntryKind::Dir { .. } => 0,
            },
            Self::OnDisk { size, .. } => *size,
        }
    }

    /// Whether this version is a symlink rather than a file.
    pub fn is_symlink(&self) -> bool {
        match self {
            Self::Stored(e) => matches!(e.kind, EntryKind::Symlink { .. }),
            Self::OnDisk { link, .. } => link.is_some(),
        }
    }
}

/// A path that differs between the two sides.
#[derive(Clone, Debug)]
pub struct FileDelta {
    /// Path relative to the project, `/`-separated.
    pub path: String,
    pub kind: ChangeKind,
    pub old: Option<FileVersion>,
    pub new: Option<FileVersion>,
}

impl FileDelta {
    pub fn old_size(&self) -> Option<u64> {
        self.old.as_ref().map(FileVersion::size)
    }
    pub fn new_size(&self) -> Option<u64> {
        self.new.as_ref().map(FileVersion::size)
    }
}

/// What a comparison found.
#[derive(Debug, Default)]
pub struct Comparison {
    /// Changed paths in path (byte) order.
    pub deltas: Vec<FileDelta>,
    /// Files of the work tree that could not be read (they count as unchanged).
    pub warnings: Vec<WalkWarning>,
}

/// A folder's listing on one side.
enum Listing {
    Stored(Tree),
    Disk(Vec<(Vec<u8>, Found)>),
}

/// One name inside a folder on one side.
enum Item<'a> {
    Dir(DirRef<'a>),
    Leaf(LeafRef<'a>),
    /// Unreadable on disk: the reason. Compared as "no change".
    Unreadable(&'a str),
}

#[derive(Clone, Copy)]
enum DirRef<'a> {
    Stored(ObjectId),
    Disk(&'a [(Vec<u8>, Found)]),
}

enum LeafRef<'a> {
    Stored(&'a TreeEntry),
    DiskFile(&'a FileStat),
    DiskLink(&'a [u8]),
}

fn stored_item(e: &TreeEntry) -> Item<'_> {
    match &e.kind {
        EntryKind::Dir { tree } => Item::Dir(DirRef::Stored(*tree)),
        _ => Item::Leaf(LeafRef::Stored(e)),
    }
}

fn disk_item(f: &Found) -> Option<Item<'_>> {
    Some(match f {
        Found::File(m) => Item::Leaf(LeafRef::DiskFile(m)),
        Found::Dir(_, children, _) => Item::Dir(DirRef::Disk(children)),
        Found::Symlink(_, target) => Item::Leaf(LeafRef::DiskLink(target)),
        Found::Unreadable(reason) => Item::Unreadable(reason),
        // Sockets, FIFOs and devices are never committed.
        Found::Special => return None,
    })
}

struct Comparer<'a> {
    repo: &'a Repository,
    paths: &'a [PathBuf],
    out: Comparison,
}

impl Repository {
    /// The files that differ from `old` to `new`, limited to `paths` (relative to the work tree; empty
    /// for everything). Stores nothing.
    pub fn compare(&self, old: &Side, new: &Side, paths: &[PathBuf]) -> Result<Comparison> {
        let mut c = Comparer {
            repo: self,
            paths,
            out: Comparison::default(),
        };
        let old_root = c.root_listing(old)?;
        let new_root = c.root_listing(new)?;
        c.compare_dirs(Path::new(""), old_root.as_ref(), new_root.as_ref())?;
        Ok(c.out)
    }
}

impl Comparer<'_> {
    fn root_listing(&mut self, side: &Side) -> Result<Option<Listing>> {
        Ok(match side {
            Side::Empty => None,
            Side::Tree(id) => Some(Listing::Stored(self.repo.read_tree(id)?)),
            Side::WorkTree => {
                let work_tree = self.repo.work_tree();
                let ignores = Ignores::new();
                let mut total = 0;
                let found = walk(
                    work_tree,
                    Path::new(""),
                    &ignores,
                    self.repo.daw_dir(),
                    &mut total,
                );
                match found {
                    Found::Dir(_, children, _) => Some(Listing::Disk(children)),
                    Found::Unreadable(reason) => {
                        return Err(RepoError::io(work_tree, io::Error::other(reason)));
                    }
                    _ => {
                        return Err(RepoError::Refused(format!(
                            "{} is not a folder",
                            work_tree.display()
                        )));
                    }
                }
            }
        })
    }

    fn compare_dir_refs(
        &mut self,
        rel: &Path,
        old: Option<DirRef<'_>>,
        new: Option<DirRef<'_>>,
    ) -> Result<()> {
        if let (Some(DirRef::Stored(a)), Some(DirRef::Stored(b))) = (&old, &new)
            && a == b
        {
            return Ok(());
        }
        // Stored folders are read here; disk listings are borrowed from the walk.
        let read = |d: &Option<DirRef<'_>>| match d {
            Some(DirRef::Stored(id)) => self.repo.read_tree(id).map(Some),
            _ => Ok(None),
        };
        let (old_tree, new_tree) = (read(&old)?, read(&new)?);
        fn view<'v>(tree: Option<&'v Tree>, d: Option<DirRef<'v>>) -> View<'v> {
            match (tree, d) {
                (Some(t), _) => View::Stored(t),
                (None, Some(DirRef::Disk(d))) => View::Disk(d),
                _ => View::Empty,
            }
        }
        let old_view = view(old_tree.as_ref(), old);
        let new_view = view(new_tree.as_ref(), new);
        self.compare_views(rel, old_view, new_view)
    }

    fn compare_dirs(
        &mut self,
        rel: &Path,
        old: Option<&Listing>,
        new: Option<&Listing>,
    ) -> Result<()> {
        let old_view = old.map_or(View::Empty, View::of);
        let new_view = new.map_or(View::Empty, View::of);
        self.compare_views(rel, old_view, new_view)
    }

    fn compare_views(&mut self, rel: &Path, old: View<'_>, new: View<'_>) -> Result<()> {
        let a = old.items();
        let b = new.items();
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let ord = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.0.cmp(y.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, _) => std::cmp::Ordering::Greater,
            };
            let (name, x, y) = match ord {
                std::cmp::Ordering::Less => {
                    i += 1;
                    (a[i - 1].0, a.get(i - 1).map(|p| &p.1), None)
                }
                std::cmp::Ordering::Greater => {
                    j += 1;
                    (b[j - 1].0, None, b.get(j - 1).map(|p| &p.1))
                }
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    (a[i - 1].0, Some(&a[i - 1].1), Some(&b[j - 1].1))
                }
            };
            let child = rel.join(crate::platform::os_str(name));
            if select(self.paths, &child) == Selection::None {
                continue;
            }
            self.compare_items(&child, x, y)?;
        }
        Ok(())
    }

    fn compare_items(
        &mut self,
        rel: &Path,
        old: Option<&Item<'_>>,
        new: Option<&Item<'_>>,
    ) -> Result<()> {
        if let Some(Item::Unreadable(reason)) =
            old.or(new).filter(|i| matches!(i, Item::Unreadable(_)))
        {
            self.out.warnings.push(WalkWarning {
                path: rel.to_path_buf(),
                message: format!("cannot read it ({reason}); compared as unchanged"),
            });
            return Ok(());
        }
        fn dir<'v>(i: Option<&Item<'v>>) -> Option<DirRef<'v>> {
            match i {
                Some(Item::Dir(d)) => Some(*d),
                _ => None,
            }
        }
        fn leaf<'r, 'v>(i: Option<&'r Item<'v>>) -> Option<&'r LeafRef<'v>> {
            match i {
                Some(Item::Leaf(l)) => Some(l),
                _ => None,
            }
        }
        let (old_dir, new_dir) = (dir(old), dir(new));
        let (old_leaf, new_leaf) = (leaf(old), leaf(new));
        // A file replaced by a folder (or the other way round): the file is removed before the
        // folder's files are added, or added after they are removed, in path order.
        if let Some(l) = old_leaf
            && new_dir.is_some()
        {
            self.push(rel, ChangeKind::Removed, Some(self.version(rel, l)), None);
        }
        if old_dir.is_some() || new_dir.is_some() {
            self.compare_dir_refs(rel, old_dir, new_dir)?;
        }
        if let Some(l) = new_leaf
            && old_dir.is_some()
        {
            self.push(rel, ChangeKind::Added, None, Some(self.version(rel, l)));
        }
        if old_dir.is_some() || new_dir.is_some() {
            return Ok(());
        }
        match (old_leaf, new_leaf) {
            (None, None) => {}
            (None, Some(n)) => self.push(rel, ChangeKind::Added, None, Some(self.version(rel, n))),
            (Some(o), None) => {
                self.push(rel, ChangeKind::Removed, Some(self.version(rel, o)), None)
            }
            (Some(o), Some(n)) => match self.same(rel, o, n) {
                Ok(true) => {}
                Ok(false) => self.push(
                    rel,
                    ChangeKind::Modified,
                    Some(self.version(rel, o)),
                    Some(self.version(rel, n)),
                ),
                Err(e) => self.out.warnings.push(WalkWarning {
                    path: rel.to_path_buf(),
                    message: format!("cannot read it ({e}); compared as unchanged"),
                }),
            },
        }
        Ok(())
    }

    fn push(
        &mut self,
        rel: &Path,
        kind: ChangeKind,
        old: Option<FileVersion>,
        new: Option<FileVersion>,
    ) {
        self.out.deltas.push(FileDelta {
            path: display_path(rel),
            kind,
            old,
            new,
        });
    }

    fn version(&self, rel: &Path, leaf: &LeafRef<'_>) -> FileVersion {
        match leaf {
            LeafRef::Stored(e) => FileVersion::Stored((*e).clone()),
            LeafRef::DiskFile(m) => FileVersion::OnDisk {
                rel: rel.to_path_buf(),
                size: m.size,
                link: None,
            },
            LeafRef::DiskLink(target) => FileVersion::OnDisk {
                rel: rel.to_path_buf(),
                size: target.len() as u64,
                link: Some(target.to_vec()),
            },
        }
    }

    /// Whether two versions hold the same bytes (and exec bit); mtimes do not count.
    fn same(&self, rel: &Path, a: &LeafRef<'_>, b: &LeafRef<'_>) -> io::Result<bool> {
        match (a, b) {
            (LeafRef::Stored(x), LeafRef::Stored(y)) => Ok(same_stored(x, y)),
            (LeafRef::Stored(e), disk) | (disk, LeafRef::Stored(e)) => {
                self.same_as_disk(rel, e, disk)
            }
            // Two work trees are never compared.
            _ => Ok(false),
        }
    }

    fn same_as_disk(&self, rel: &Path, e: &TreeEntry, disk: &LeafRef<'_>) -> io::Result<bool> {
        match (&e.kind, disk) {
            (EntryKind::Symlink { target }, LeafRef::DiskLink(t)) => Ok(target.as_slice() == *t),
            (EntryKind::File { size, hash, .. }, LeafRef::DiskFile(m)) => {
                if m.size != *size || (e.mode & 0o111 != 0) != m.is_executable() {
                    return Ok(false);
                }
                if m.mtime == (e.mtime_secs, e.mtime_nanos) {
                    return Ok(true);
                }
                Ok(self.hash_file(rel)? == *hash)
            }
            _ => Ok(false),
        }
    }

    fn hash_file(&self, rel: &Path) -> io::Result<ObjectId> {
        let full = self.repo.work_tree().join(rel);
        let mut file = fsutil::open_no_follow(&full)?;
        let mut hasher = self.repo.store().keys().hasher();
        io::copy(&mut file, &mut hasher)?;
        Ok(ObjectId::from_bytes(*hasher.finalize().as_bytes()))
    }
}

/// Whether two stored entries hold the same thing (mtimes do not count; the exec bit does).
fn same_stored(a: &TreeEntry, b: &TreeEntry) -> bool {
    match (&a.kind, &b.kind) {
        (EntryKind::File { hash: h1, .. }, EntryKind::File { hash: h2, .. }) => {
            h1 == h2 && (a.mode & 0o111 != 0) == (b.mode & 0o111 != 0)
        }
        (EntryKind::Symlink { target: t1 }, EntryKind::Symlink { target: t2 }) => t1 == t2,
        _ => false,
    }
}

/// A folder's names and items, sorted by name, whichever side it comes from.
enum View<'a> {
    Empty,
    Stored(&'a Tree),
    Disk(&'a [(Vec<u8>, Found)]),
}

impl<'a> View<'a> {
    fn of(l: &'a Listing) -> Self {
        match l {
            Listing::Stored(t) => View::Stored(t),
            Listing::Disk(d) => View::Disk(d),
        }
    }

    fn items(&self) -> Vec<(&'a [u8], Item<'a>)> {
        match self {
            View::Empty => Vec::new(),
            View::Stored(t) => t
                .entries
                .iter()
                .map(|e| (e.name.as_slice(), stored_item(e)))
                .collect(),
            View::Disk(d) => d
                .iter()
                .filter_map(|(n, f)| disk_item(f).map(|i| (n.as_slice(), i)))
                .collect(),
        }
    }
}
