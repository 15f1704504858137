//! Moving the project folder from one committed tree to another: `daw switch`, `daw restore`,
//! `daw reset --hard`, and the file half of `daw undo`.
//!
//! Only files that differ are touched: each is written to a temporary name beside its destination,
//! checked against its committed hash and renamed into place (`Repository::write_file`); files the
//! target does not have are removed; ignored files and files daw never committed are left alone.
//!
//! **Clobber guard.** Before anything is written, every file to be replaced or removed is compared with
//! the tree it is supposed to match now: a file holding changes that were never committed is named in
//! a `WouldOverwrite` refusal and nothing is touched. With `discard`, those changes are first stored in
//! the repository (a tree recorded in the operation), so `daw undo` can bring them back.
//!
//! **Crash safety.** Files are updated first; the operation that records the new refs is written last
//! and is the commit point. A crash in between leaves HEAD where it was and some files already at the
//! target: running the same command again finishes the job, because a file that already matches the
//! target is never counted as an uncommitted change.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::object::{BlobKind, EntryKind, FileStorage, ObjectId, Tree, TreeEntry};
use crate::platform::bytes_of_path;
use crate::store::{self, Profile, WriteStats};
use crate::worktree::paths::{Selection, display_path, select};
use crate::worktree::stat::FileStat;
use crate::worktree::{fsutil, temp};

use super::checkout::{
    WriteProgress, file_size, in_parallel, refuse_unwritable_names, write_file_with,
};
use super::ops::{Head, RefTable, WorkTreeChange};
use super::refs::{commits_only_in, validate_ref_name};
use super::snapshot::Progress;
use super::status::{Leaf, OnDisk, WorkTreeView, flatten, same, same_entry};
use super::{RepoError, Repository, Result};

/// How to update the work tree.
#[derive(Clone, Debug, Default)]
pub struct UpdateOptions {
    /// Make every committed file in scope match the target, also where the current tree and the
    /// target agree (restore, reset --hard); otherwise only files that differ between them are touched
    /// and other uncommitted changes are carried along (switch).
    pub whole: bool,
    /// Overwrite uncommitted changes, after saving them in the repository.
    pub discard: bool,
    /// Limit the update to these paths (relative to the project); empty for everything.
    pub paths: Vec<PathBuf>,
}

/// What an update did.
#[derive(Debug, Default)]
pub struct UpdateReport {
    /// Files written (relative, `/`-separated).
    pub written: Vec<String>,
    /// Files removed.
    pub removed: Vec<String>,
    /// Files with uncommitted changes that were overwritten (after being saved).
    pub discarded: Vec<String>,
    pub bytes_written: u64,
    /// The tree the touched files matched before: the current tree, or one holding the discarded
    /// changes. Recorded in the operation for `daw undo`.
    pub before: Option<ObjectId>,
}

impl UpdateReport {
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Files and folders of a committed tree, restricted to the selected paths.
struct Flat {
    files: BTreeMap<PathBuf, TreeEntry>,
    dirs: BTreeSet<PathBuf>,
}

fn flat(repo: &Repository, tree: Option<&ObjectId>, paths: &[PathBuf]) -> Result<Flat> {
    let mut files = flatten(repo, tree)?;
    files.retain(|p, _| select(paths, p) == Selection::All);
    let mut dirs = BTreeSet::new();
    if let Some(t) = tree {
        collect_dirs(repo, t, Path::new(""), &mut dirs)?;
    }
    dirs.retain(|p| select(paths, p) == Selection::All);
    Ok(Flat { files, dirs })
}

fn collect_dirs(
    repo: &Repository,
    tree: &ObjectId,
    prefix: &Path,
    out: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    for e in repo.read_tree(tree)?.entries {
        if let EntryKind::Dir { tree } = &e.kind {
            let p = prefix.join(crate::platform::os_str(&e.name));
            collect_dirs(repo, tree, &p, out)?;
            out.insert(p);
        }
    }
    Ok(())
}

/// One planned change: write the entry, or remove what is there.
type Action = (PathBuf, Option<TreeEntry>);

/// Every file below a folder on disk (including ignored ones), relative to the project.
fn files_below(work_tree: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(work_tree.join(rel)) else {
        return;
    };
    for e in rd.flatten() {
        let child = rel.join(e.file_name());
        match e.file_type() {
            Ok(t) if t.is_dir() => files_below(work_tree, &child, out),
            _ => out.push(child),
        }
    }
}

impl Repository {
    /// Moves the files in scope from matching tree `from` to matching tree `to`. Refuses, changing
    /// nothing, when that would overwrite uncommitted changes (unless `discard`). The caller holds
    /// the lock and records the operation afterwards.
    pub fn update_work_tree(
        &mut self,
        from: Option<ObjectId>,
        to: Option<ObjectId>,
        opts: &UpdateOptions,
        progress: &mut (dyn Progress + Send),
    ) -> Result<UpdateReport> {
        let from_flat = flat(self, from.as_ref(), &opts.paths)?;
        let to_flat = flat(self, to.as_ref(), &opts.paths)?;
        let mut view = WorkTreeView::scan(self)?;
        let work_tree = self.work_tree().to_path_buf();
        // A committed path the system holds under another spelling (`kick.wav` for `Kick.wav` on
        // macOS and Windows) is judged by what is there.
        view.find_respelled(
            &work_tree,
            from_flat.files.keys().chain(to_flat.files.keys()),
        )?;

        let mut keys: BTreeSet<&PathBuf> = from_flat.files.keys().collect();
        keys.extend(to_flat.files.keys());
        let mut actions: Vec<Action> = Vec::new();
        let mut conflicts: Vec<PathBuf> = Vec::new();
        let mut discards: Vec<(PathBuf, OnDisk)> = Vec::new();
        for p in keys {
            let f = from_flat.files.get(p);
            let t = to_flat.files.get(p);
            let differ = match (f, t) {
                (Some(a), Some(b)) => !same_entry(a, b),
                _ => true,
            };
            if !differ && !opts.whole {
                continue;
            }
            let disk = view.content(self, p, f)?;
            let already = match (t, &disk) {
                (Some(t), Some(d)) => same(t, d),
                (None, None) => true,
                _ => false,
            };
            if already {
                continue;
            }
            let clean = match (f, &disk) {
                (_, None) => true,
                (Some(f), Some(d)) => same(f, d),
                (None, Some(_)) => false,
            };
            if !clean {
                match disk {
                    Some(d @ (OnDisk::File { .. } | OnDisk::Symlink(_))) if opts.discard => {
                        discards.push((p.clone(), d));
                    }
                    _ => {
                        conflicts.push(p.clone());
                        continue;
                    }
                }
            }
            actions.push((p.clone(), t.cloned()));
        }

        // Something else in the way: a file where a folder must go, or a folder holding other files
        // where a file must go.
        let removing: BTreeSet<PathBuf> = actions
            .iter()
            .filter(|(_, e)| e.is_none())
            .map(|(p, _)| p.clone())
            .collect();
        let mut extra_removals: Vec<PathBuf> = Vec::new();
        let writes: Vec<PathBuf> = actions
            .iter()
            .filter(|(_, e)| e.is_some())
            .map(|(p, _)| p.clone())
            .collect();
        let mut must_be_dirs: BTreeSet<PathBuf> = to_flat.dirs.clone();
        for p in &writes {
            must_be_dirs.extend(
                p.ancestors()
                    .skip(1)
                    .filter(|a| !a.as_os_str().is_empty())
                    .map(Path::to_path_buf),
            );
        }
        for d in &must_be_dirs {
            if removing.contains(d) {
                continue;
            }
            let disk = match view.leaves.get(d) {
                None => continue,
                Some(Leaf::File(_) | Leaf::Symlink(_)) => view.content(self, d, None)?,
                Some(_) => None,
            };
            match disk {
                Some(x @ (OnDisk::File { .. } | OnDisk::Symlink(_))) if opts.discard => {
                    if !discards.iter().any(|(y, _)| y == d) {
                        discards.push((d.clone(), x));
                        extra_removals.push(d.clone());
                    }
                }
                _ => conflicts.push(d.clone()),
            }
        }
        for p in &writes {
            let full = work_tree.join(p);
            if std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir()) {
                let mut below = Vec::new();
                files_below(&work_tree, p, &mut below);
                if below.iter().any(|f| !removing.contains(f)) {
                    conflicts.push(p.clone());
                }
            }
        }
        conflicts.sort();
        conflicts.dedup();
        if !conflicts.is_empty() {
            return Err(RepoError::WouldOverwrite {
                paths: conflicts.iter().map(|p| display_path(p)).collect(),
            });
        }
        // Names this system cannot hold as the target has them (Windows' rules; two paths that are
        // one file on this file system): refused before anything is written.
        {
            let whole_target;
            let target_files = if opts.paths.is_empty() {
                &to_flat.files
            } else {
                whole_target = flatten(self, to.as_ref())?;
                &whole_target
            };
            let target: Vec<_> = target_files.keys().map(|p| bytes_of_path(p)).collect();
            let written: Vec<_> = (writes.iter().chain(&to_flat.dirs))
                .map(|p| bytes_of_path(p))
                .collect();
            refuse_unwritable_names(
                &work_tree,
                &target.iter().map(|p| &**p).collect::<Vec<_>>(),
                &written.iter().map(|p| &**p).collect::<Vec<_>>(),
            )?;
        }

        let mut report = UpdateReport {
            before: from,
            ..Default::default()
        };
        if !discards.is_empty() {
            discards.sort_by(|a, b| a.0.cmp(&b.0));
            report.before = self.save_discarded(from.as_ref(), &discards)?;
            report.discarded = discards.iter().map(|(p, _)| display_path(p)).collect();
        }

        // Removals first (so folders can take the place of files), then writes, then folders.
        let mut touched_dirs: BTreeSet<PathBuf> = BTreeSet::new();
        for p in extra_removals
            .iter()
            .chain(actions.iter().filter(|(_, e)| e.is_none()).map(|(p, _)| p))
        {
            let full = work_tree.join(p);
            match crate::platform::remove_file(&full) {
                Ok(()) => report.removed.push(display_path(p)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(RepoError::io(&full, e)),
            }
            touched_dirs.extend(p.ancestors().skip(1).map(Path::to_path_buf));
        }
        self.prune_empty_dirs(&touched_dirs, &to_flat.dirs);
        // Several files at once; each is written whole (temporary file, hash checked, renamed) or not
        // at all, and the report lists them in path order.
        let to_write: Vec<(&PathBuf, &TreeEntry)> = actions
            .iter()
            .filter_map(|(p, e)| e.as_ref().map(|e| (p, e)))
            .collect();
        let blobs = self.store().blobs()?;
        let total = to_write.iter().map(|(_, e)| file_size(e)).sum();
        let progress = WriteProgress::new(progress, total);
        let written = in_parallel(
            &to_write,
            |w| Some(w.1),
            |(p, entry)| -> Result<(String, u64)> {
                let full = work_tree.join(p);
                if let Ok(m) = std::fs::symlink_metadata(&full)
                    && m.is_dir()
                {
                    // An emptied folder where a file goes (checked above).
                    let mut dirs: Vec<PathBuf> = Vec::new();
                    collect_dirs_on_disk(&full, &mut dirs);
                    for d in dirs.iter().rev() {
                        let _ = std::fs::remove_dir(d);
                    }
                    std::fs::remove_dir(&full).map_err(|e| RepoError::io(&full, e))?;
                }
                if let Some(parent) = full.parent() {
                    // (Safe from several threads: a folder made meanwhile by another is no error.)
                    std::fs::create_dir_all(parent).map_err(|e| RepoError::io(parent, e))?;
                }
                let rel = display_path(p);
                let bytes = match &entry.kind {
                    EntryKind::File { .. } => {
                        write_file_with(blobs, entry, &full, &rel, temp::TEMP_PREFIX, &|n| {
                            progress.advance(n)
                        })?
                    }
                    EntryKind::Symlink { target } => {
                        write_symlink(&full, target)?;
                        0
                    }
                    EntryKind::Dir { .. } => unreachable!("flattened trees hold no folders"),
                };
                Ok((rel, bytes))
            },
        )?;
        for (rel, bytes) in written {
            report.bytes_written += bytes;
            report.written.push(rel);
        }
        for d in &to_flat.dirs {
            let full = work_tree.join(d);
            if !full.is_dir() {
                std::fs::create_dir_all(&full).map_err(|e| RepoError::io(&full, e))?;
            }
        }
        // Folders the target does not have, emptied by this update.
        let gone: BTreeSet<PathBuf> = from_flat.dirs.difference(&to_flat.dirs).cloned().collect();
        self.prune_empty_dirs(&gone, &to_flat.dirs);
        view.save_cache_locked(self);
        Ok(report)
    }

    /// Removes the folders among `dirs` (deepest first) that are empty and not in `keep`. A folder
    /// holding anything else (ignored files) stays.
    fn prune_empty_dirs(&self, dirs: &BTreeSet<PathBuf>, keep: &BTreeSet<PathBuf>) {
        let mut list: Vec<&PathBuf> = dirs
            .iter()
            .filter(|d| !d.as_os_str().is_empty() && !keep.contains(*d))
            .collect();
        list.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in list {
            let _ = std::fs::remove_dir(self.work_tree().join(d));
        }
    }

    /// Stores the uncommitted content about to be overwritten, and returns `base` with those paths
    /// replaced by it: the tree `daw undo` goes back to.
    fn save_discarded(
        &mut self,
        base: Option<&ObjectId>,
        files: &[(PathBuf, OnDisk)],
    ) -> Result<Option<ObjectId>> {
        let mut edits: Vec<(Vec<Vec<u8>>, Option<TreeEntry>)> = Vec::new();
        for (rel, disk) in files {
            let full = self.work_tree().join(rel);
            let name = rel
                .file_name()
                .map(|n| n.as_encoded_bytes().to_vec())
                .unwrap_or_default();
            let entry = match disk {
                OnDisk::Symlink(target) => TreeEntry {
                    name,
                    mode: 0o777,
                    mtime_secs: 0,
                    mtime_nanos: 0,
                    kind: EntryKind::Symlink {
                        target: target.clone(),
                    },
                },
                _ => self.store_file(&full, name)?,
            };
            let parts = rel
                .components()
                .map(|c| c.as_os_str().as_encoded_bytes().to_vec())
                .collect();
            edits.push((parts, Some(entry)));
        }
        let tree = self.edit_tree(base, &mut edits)?;
        self.store_mut().flush()?;
        Ok(tree)
    }

    /// Stores one file as it is on disk (raw), checking it did not change while being read.
    fn store_file(&mut self, full: &Path, name: Vec<u8>) -> Result<TreeEntry> {
        let io_err = |e| RepoError::io(full, e);
        let mut file = fsutil::open_no_follow(full).map_err(io_err)?;
        let before = file.metadata().map_err(io_err)?;
        let mut hasher = self.store().keys().hasher();
        let content = {
            let reader = HashReader {
                inner: &mut file,
                hasher: &mut hasher,
            };
            store::content::write_stream(
                self.store_mut(),
                reader,
                Profile::Media,
                &mut WriteStats::default(),
            )?
        };
        let after = std::fs::symlink_metadata(full).map_err(io_err)?;
        if after.len() != before.len() || after.modified().ok() != before.modified().ok() {
            return Err(RepoError::Refused(format!(
                "{} changed while daw was saving it; try again",
                full.display()
            )));
        }
        let stat = FileStat::of(&before);
        Ok(TreeEntry {
            name,
            mode: stat.permissions(),
            mtime_secs: stat.mtime.0,
            mtime_nanos: stat.mtime.1,
            kind: EntryKind::File {
                size: content.size,
                hash: ObjectId::from_bytes(*hasher.finalize().as_bytes()),
                storage: FileStorage::Raw(content),
            },
        })
    }

    /// `base` with entries replaced (or removed, `None`) at the given paths; `None` for an empty tree.
    /// A folder left empty by the edits is removed with its last file (as a work tree loses it).
    pub(super) fn edit_tree(
        &mut self,
        base: Option<&ObjectId>,
        edits: &mut [(Vec<Vec<u8>>, Option<TreeEntry>)],
    ) -> Result<Option<ObjectId>> {
        self.edit_tree_at(base, edits, true)
    }

    fn edit_tree_at(
        &mut self,
        base: Option<&ObjectId>,
        edits: &mut [(Vec<Vec<u8>>, Option<TreeEntry>)],
        top: bool,
    ) -> Result<Option<ObjectId>> {
        let mut tree = match base {
            Some(id) => self.read_tree(id)?,
            None => Tree::default(),
        };
        edits.sort_by(|a, b| a.0.cmp(&b.0));
        let mut i = 0;
        while i < edits.len() {
            let name = edits[i].0[0].clone();
            let mut j = i;
            while j < edits.len() && edits[j].0[0] == name {
                j += 1;
            }
            let group = &mut edits[i..j];
            let pos = tree.entries.binary_search_by(|e| e.name.cmp(&name));
            if group.len() == 1 && group[0].0.len() == 1 {
                let new = group[0].1.take();
                match (pos, new) {
                    (Ok(k), Some(e)) => tree.entries[k] = e,
                    (Err(k), Some(e)) => tree.entries.insert(k, e),
                    (Ok(k), None) => {
                        tree.entries.remove(k);
                    }
                    (Err(_), None) => {}
                }
            } else {
                let sub_base = match pos {
                    Ok(k) => match &tree.entries[k].kind {
                        EntryKind::Dir { tree } => Some(*tree),
                        _ => None,
                    },
                    Err(_) => None,
                };
                let mut sub: Vec<(Vec<Vec<u8>>, Option<TreeEntry>)> = group
                    .iter_mut()
                    .filter(|(parts, _)| parts.len() > 1)
                    .map(|(parts, e)| (parts[1..].to_vec(), e.take()))
                    .collect();
                let sub_tree = self.edit_tree_at(sub_base.as_ref(), &mut sub, false)?;
                let dir = sub_tree.map(|t| TreeEntry {
                    name: name.clone(),
                    mode: 0o755,
                    mtime_secs: 0,
                    mtime_nanos: 0,
                    kind: EntryKind::Dir { tree: t },
                });
                match (pos, dir) {
                    (Ok(k), Some(d)) => {
                        let mode = tree.entries[k].mode;
                        tree.entries[k] = TreeEntry { mode, ..d };
                    }
                    (Err(k), Some(d)) => tree.entries.insert(k, d),
                    (Ok(k), None) => {
                        tree.entries.remove(k);
                    }
                    (Err(_), None) => {}
                }
            }
            i = j;
        }
        if tree.entries.is_empty() && (base.is_none() || !top) {
            return Ok(None);
        }
        let (id, _) = self.store_mut().put_blob(BlobKind::Tree, &tree.encode())?;
        Ok(Some(id))
    }

    fn tree_of(&self, commit: Option<&ObjectId>) -> Result<Option<ObjectId>> {
        Ok(match commit {
            Some(c) => Some(self.read_commit(c)?.tree),
            None => None,
        })
    }
}

fn collect_dirs_on_disk(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.push(e.path());
                collect_dirs_on_disk(&e.path(), out);
            }
        }
    }
}

struct HashReader<'a, R> {
    inner: R,
    hasher: &'a mut blake3::Hasher,
}

impl<R: Read> Read for HashReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Creates a symlink at a temporary name and renames it over `path`.
fn write_symlink(path: &Path, target: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        "{}{}",
        temp::TEMP_PREFIX,
        hex::encode(&store::random_name().as_bytes()[..8])
    ));
    crate::platform::symlink(target, &tmp).map_err(|e| RepoError::io(&tmp, e))?;
    crate::platform::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        RepoError::io(path, e)
    })
}

/// Where `daw switch` goes.
#[derive(Clone, Debug)]
pub enum SwitchTarget {
    /// An existing branch.
    Branch(String),
    /// A new branch at a commit (HEAD's when `None`).
    Create { name: String, at: Option<ObjectId> },
    /// A commit, on no branch.
    Detach(ObjectId),
}

/// What `switch` and `reset` did.
#[derive(Debug)]
pub struct MoveReport {
    pub old_head: Head,
    pub new_head: Head,
    /// The commits HEAD pointed at before and after.
    pub old_commit: Option<ObjectId>,
    pub new_commit: Option<ObjectId>,
    pub files: UpdateReport,
    /// Commits that no branch, tag or HEAD holds any more (reachable only from where HEAD was).
    pub left_behind: Vec<ObjectId>,
    /// Whether an operation was recorded (false when nothing changed).
    pub recorded: bool,
}

fn holder(what: &str) -> String {
    format!("daw {what} (pid {})", std::process::id())
}

impl Repository {
    /// Removes what a daw killed during a checkout left in the project (temporary files); called by
    /// every command that holds the repository lock and writes the project or snapshots it.
    pub(crate) fn remove_stale_temp_files(&self) {
        temp::remove_stale_temp_files(self.work_tree(), self.daw_dir());
    }

    /// `daw switch`: moves HEAD and updates the files that differ.
    pub fn switch(
        &mut self,
        target: SwitchTarget,
        discard: bool,
        progress: &mut (dyn Progress + Send),
    ) -> Result<MoveReport> {
        let _lock = self.lock(&holder("switch"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        self.refuse_during_merge()?;
        let refs = self.refs()?;
        let old_commit = refs.head_commit();
        let mut new_refs = refs.clone();
        let description;
        match &target {
            SwitchTarget::Branch(name) => {
                if !refs.branches.contains_key(name) {
                    return Err(if refs.tags.contains_key(name) {
                        RepoError::Refused(format!(
                            "'{name}' is a tag, not a branch; use `daw switch --detach {name}` to look at it"
                        ))
                    } else {
                        RepoError::Refused(format!("no branch named '{name}'"))
                    });
                }
                new_refs.head = Head::Branch(name.clone());
                description = format!("switch to branch '{name}'");
            }
            SwitchTarget::Create { name, at } => {
                validate_ref_name("branch", name)?;
                if refs.branches.contains_key(name) {
                    return Err(RepoError::Refused(format!(
                        "a branch named '{name}' already exists; switch to it with `daw switch {name}`"
                    )));
                }
                let at = at.or(old_commit);
                if let Some(at) = at {
                    new_refs.branches.insert(name.clone(), at);
                }
                new_refs.head = Head::Branch(name.clone());
                description = match at {
                    Some(at) => format!(
                        "create branch '{name}' at {} and switch to it",
                        at.short(12)
                    ),
                    None => format!("switch to new branch '{name}'"),
                };
            }
            SwitchTarget::Detach(id) => {
                new_refs.head = Head::Detached(*id);
                description = format!("switch to {} (detached HEAD)", id.short(12));
            }
        }
        let files = UpdateOptions {
            whole: discard,
            discard,
            paths: Vec::new(),
        };
        self.move_head(refs, new_refs, description, Some(files), progress)
    }

    /// `daw reset`: moves the current branch (or a detached HEAD) to `target`; with `hard`, the
    /// files too.
    pub fn reset(
        &mut self,
        target: ObjectId,
        hard: bool,
        discard: bool,
        progress: &mut (dyn Progress + Send),
    ) -> Result<MoveReport> {
        let _lock = self.lock(&holder("reset"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        self.refuse_during_merge()?;
        let refs = self.refs()?;
        let mut new_refs = refs.clone();
        let place = match &refs.head {
            Head::Branch(b) => {
                new_refs.branches.insert(b.clone(), target);
                format!("branch '{b}'")
            }
            Head::Detached(_) => {
                new_refs.head = Head::Detached(target);
                "HEAD".to_string()
            }
        };
        let description = format!(
            "reset {place} to {}{}",
            target.short(12),
            if hard { " (and the files)" } else { "" }
        );
        // `--hard` makes every committed file match the target, so uncommitted changes anywhere are
        // refused (or saved and discarded), not carried along.
        let files = hard.then_some(UpdateOptions {
            whole: true,
            discard,
            paths: Vec::new(),
        });
        self.move_head(refs, new_refs, description, files, progress)
    }

    pub(crate) fn move_head(
        &mut self,
        refs: RefTable,
        new_refs: RefTable,
        description: String,
        update_files: Option<UpdateOptions>,
        progress: &mut (dyn Progress + Send),
    ) -> Result<MoveReport> {
        let old_commit = refs.head_commit();
        let new_commit = new_refs.head_commit();
        let from = self.tree_of(old_commit.as_ref())?;
        let to = self.tree_of(new_commit.as_ref())?;
        let mut files = UpdateReport {
            before: from,
            ..Default::default()
        };
        let mut work_tree = None;
        if let Some(opts) = update_files {
            files = self.update_work_tree(from, to, &opts, progress)?;
            if files.before != to {
                work_tree = Some(WorkTreeChange {
                    from: files.before,
                    to,
                    paths: Vec::new(),
                });
            }
        }
        let left_behind = match old_commit {
            Some(old) if Some(old) != new_commit => {
                commits_only_in(self, &old, &new_refs.targets())?
            }
            _ => Vec::new(),
        };
        let recorded = new_refs != refs || work_tree.is_some();
        if recorded {
            self.record_op(description, new_refs.clone(), work_tree, None)?;
        }
        Ok(MoveReport {
            old_head: refs.head,
            new_head: new_refs.head,
            old_commit,
            new_commit,
            files,
            left_behind,
            recorded,
        })
    }

    /// `daw restore`: makes the chosen paths as they are in `source` (HEAD's commit when `None`);
    /// refuses to overwrite uncommitted changes unless `force`.
    pub fn restore(
        &mut self,
        paths: &[PathBuf],
        source: Option<ObjectId>,
        force: bool,
        progress: &mut (dyn Progress + Send),
    ) -> Result<UpdateReport> {
        let _lock = self.lock(&holder("restore"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        self.refuse_during_merge()?;
        let refs = self.refs()?;
        let head = refs.head_commit();
        let source = source.or(head).ok_or(RepoError::NoCommits)?;
        let from = self.tree_of(head.as_ref())?;
        let to = self.tree_of(Some(&source))?;
        // Every path must name something: in the source, in HEAD, or on disk.
        let from_files = flatten(self, from.as_ref())?;
        let to_files = flatten(self, to.as_ref())?;
        for p in paths {
            let hit = |m: &BTreeMap<PathBuf, TreeEntry>| {
                m.keys()
                    .any(|k| k.starts_with(p) || p.as_os_str().is_empty())
            };
            if !hit(&from_files) && !hit(&to_files) {
                return Err(RepoError::Refused(format!(
                    "'{}' matches no file in {} or HEAD",
                    display_path(p),
                    source.short(12)
                )));
            }
        }
        let opts = UpdateOptions {
            whole: true,
            discard: force,
            paths: paths.to_vec(),
        };
        let report = self.update_work_tree(from, to, &opts, progress)?;
        if !report.is_empty() {
            let shown: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
            let description = format!(
                "restore {} from {}",
                shown
                    .iter()
                    .map(|p| format!("'{p}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
                source.short(12)
            );
            let change = WorkTreeChange {
                from: report.before,
                to,
                paths: shown,
            };
            self.record_op(description, refs, Some(change), None)?;
        }
        Ok(report)
    }
}
