//! `daw fsck`: checks that the history is whole and, with `read_data`, that every stored byte still
//! decrypts and hashes to its id. Each problem names the bad object and what refers to it.

use std::collections::{HashMap, HashSet};

use crate::object::{BlobKind, EntryKind, FileStorage, ObjectId};
use crate::store::index::Location;
use crate::store::{StoreError, content, pack};

use super::snapshot::Progress;
use super::{Repository, Result};

#[derive(Clone, Copy, Debug, Default)]
pub struct FsckOptions {
    /// Decrypt and rehash every blob in every pack.
    pub read_data: bool,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Problem {
    /// The damaged or missing thing (`pack …`, `chunk …`, `operation …`).
    pub object: String,
    pub error: String,
    /// What refers to it (`Samples/kick.wav in commit 3f2a…`), when known.
    pub referenced_by: Option<String>,
}

#[derive(Debug, Default, serde::Serialize)]
pub struct FsckReport {
    pub operations: u64,
    pub commits: u64,
    pub trees: u64,
    pub files: u64,
    pub packs: u64,
    pub blobs_read: u64,
    pub problems: Vec<Problem>,
    /// Harmless findings (leftovers of an interrupted command).
    pub notes: Vec<String>,
}

struct Checker<'r> {
    repo: &'r Repository,
    report: FsckReport,
    /// Who first referred to each blob: for naming what a damaged blob breaks.
    referrers: HashMap<ObjectId, String>,
    seen_commits: HashSet<ObjectId>,
    seen_trees: HashSet<ObjectId>,
    /// Trees operations recorded for the work tree (`daw undo` may need them), with their operation.
    op_trees: Vec<(ObjectId, ObjectId)>,
}

impl Checker<'_> {
    fn problem(&mut self, object: String, error: impl ToString, referenced_by: Option<String>) {
        self.report.problems.push(Problem {
            object,
            error: error.to_string(),
            referenced_by,
        });
    }

    fn check_ops(&mut self) -> Vec<ObjectId> {
        let mut targets = Vec::new();
        let head = match self.repo.op_head() {
            Ok(h) => h,
            Err(e) => {
                self.problem("op_head".into(), e, None);
                return targets;
            }
        };
        let pruned = match crate::oplog::read_pruned(self.repo.store()) {
            Ok(p) => p,
            Err(e) => {
                self.problem(crate::oplog::PRUNED.into(), e, None);
                Default::default()
            }
        };
        let mut stack = vec![(head, "op_head".to_string())];
        let mut seen = HashSet::new();
        let mut cut = 0;
        while let Some((id, by)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if pruned.contains(&id) {
                // Removed from the log by `daw gc --prune-oplog`: the log ends here.
                cut += 1;
                continue;
            }
            match self.repo.read_op(&id) {
                Ok(op) => {
                    self.report.operations += 1;
                    for t in op.refs.targets() {
                        self.referrers
                            .entry(t)
                            .or_insert_with(|| format!("refs of operation {}", id.short(12)));
                        targets.push(t);
                    }
                    if let Some(change) = &op.work_tree {
                        for t in [change.from, change.to].into_iter().flatten() {
                            self.op_trees.push((t, id));
                        }
                    }
                    for p in op.parents {
                        stack.push((p, format!("operation {}", id.short(12))));
                    }
                }
                Err(e) => self.problem(format!("operation {}", id.short(12)), e, Some(by)),
            }
        }
        // Operations op_head does not reach: left by a command interrupted before it replaced
        // op_head, or orphaned when op_head was moved back (a rollback, reported on its own).
        if let Ok(listed) = self.repo.store().backend().list("ops") {
            let orphans = listed
                .iter()
                .filter_map(|l| ObjectId::from_hex(l.path.trim_start_matches("ops/")))
                .filter(|id| !seen.contains(id) && !pruned.contains(id))
                .count();
            let leftover = listed
                .iter()
                .filter_map(|l| ObjectId::from_hex(l.path.trim_start_matches("ops/")))
                .filter(|id| pruned.contains(id))
                .count();
            if leftover > 0 {
                self.report.notes.push(format!(
                    "{leftover} pruned operation(s) still have a file (left by an interrupted gc, which deletes them next time)"
                ));
            }
            if cut > 0 && !pruned.is_empty() {
                self.report.notes.push(format!(
                    "the operation log ends where `daw gc --prune-oplog` cut it ({} operation(s) pruned)",
                    pruned.len()
                ));
            }
            if orphans > 0 {
                self.report.notes.push(format!(
                    "{orphans} operation(s) not reachable from op_head (left by an interrupted command, or orphaned by a rollback)"
                ));
            }
        }
        targets.sort();
        targets.dedup();
        targets
    }

    /// Every key slot must be readable and be the one the key set names.
    fn check_key_slots(&mut self) {
        match self.repo.key_slots() {
            Ok(slots) => {
                for s in slots {
                    let Some(p) = s.problem else { continue };
                    if p.starts_with("damaged") || p.starts_with("altered") {
                        self.problem(format!("key slot {}", s.id), p, None);
                    } else {
                        self.report.notes.push(format!(
                            "key slot {}: {p} (harmless: it opens nothing)",
                            s.id
                        ));
                    }
                }
            }
            Err(e) => self.problem("key slots".into(), e, None),
        }
    }

    fn check_commit(&mut self, start: ObjectId) {
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            if !self.seen_commits.insert(id) {
                continue;
            }
            let by = self.referrers.get(&id).cloned();
            match self.repo.read_commit(&id) {
                Ok(c) => {
                    self.report.commits += 1;
                    for p in &c.parents {
                        self.referrers
                            .entry(*p)
                            .or_insert_with(|| format!("parent of commit {}", id.short(12)));
                        stack.push(*p);
                    }
                    self.check_tree(c.tree, "", &id);
                }
                Err(e) => self.problem(format!("commit {}", id.short(12)), e, by),
            }
        }
    }

    fn check_tree(&mut self, tree_id: ObjectId, path: &str, commit: &ObjectId) {
        if !self.seen_trees.insert(tree_id) {
            return;
        }
        let where_ = if path.is_empty() {
            "root folder".to_string()
        } else {
            format!("folder {path}")
        };
        let by = format!("{where_} in commit {}", commit.short(12));
        let tree = match self.repo.read_tree(&tree_id) {
            Ok(t) => t,
            Err(e) => {
                self.problem(format!("tree {}", tree_id.short(12)), e, Some(by));
                return;
            }
        };
        self.report.trees += 1;
        for entry in &tree.entries {
            let name = String::from_utf8_lossy(&entry.name);
            let child = if path.is_empty() {
                name.into_owned()
            } else {
                format!("{path}/{name}")
            };
            match &entry.kind {
                EntryKind::Dir { tree } => self.check_tree(*tree, &child, commit),
                EntryKind::Symlink { .. } => self.report.files += 1,
                EntryKind::File { storage, .. } => {
                    self.report.files += 1;
                    let (c, extra) = match storage {
                        FileStorage::Raw(c) => (c, None),
                        FileStorage::GzipPayload { layout, payload } => (
                            payload,
                            crate::formats::gzip::GzipLayout::decode(layout)
                                .err()
                                .map(|e| e.to_string()),
                        ),
                    };
                    let by = format!("{child} in commit {}", commit.short(12));
                    if let Some(err) = extra {
                        self.problem(
                            format!("file {child}"),
                            format!("bad gzip layout: {err}"),
                            Some(by.clone()),
                        );
                    }
                    let repo = self.repo;
                    let mut missing: Vec<(ObjectId, BlobKind, String)> = Vec::new();
                    let referrers = &mut self.referrers;
                    let result = content::walk_ids(repo.store(), c, &mut |id, kind| {
                        let first = !referrers.contains_key(&id);
                        referrers.entry(id).or_insert_with(|| by.clone());
                        let Some(loc) = repo.store().index()?.get(&id) else {
                            missing.push((id, kind, "missing from every index".into()));
                            return Ok(false);
                        };
                        // A chunk stored as a delta needs its base: opened here, through its
                        // chain (deltas are small), so that a lost base is found without
                        // --read-data. (Content nodes are read by the walk itself.)
                        if first
                            && kind == BlobKind::Chunk
                            && loc.depth > 0
                            && let Err(e) = repo.store().get_blob_as(&id, kind)
                        {
                            missing.push((id, kind, e.to_string()));
                        }
                        Ok(first)
                    });
                    for (id, kind, err) in missing {
                        self.problem(
                            format!("{} {}", kind.name(), id.short(12)),
                            err,
                            Some(by.clone()),
                        );
                    }
                    if let Err(e) = result {
                        let object = match &e {
                            StoreError::Corrupt { id, .. } | StoreError::Missing(id) => {
                                format!("content node {}", id.short(12))
                            }
                            _ => format!("file {child}"),
                        };
                        self.problem(object, e, Some(by));
                    }
                }
            }
        }
    }

    fn check_packs(&mut self, read_data: bool, progress: &mut dyn Progress) -> Result<()> {
        let store = self.repo.store();
        let backend = store.backend();
        let listed = backend.list("packs").map_err(StoreError::from)?;
        let mut sizes: HashMap<ObjectId, u64> = HashMap::new();
        for l in &listed {
            match pack::pack_name_from_path(&l.path) {
                Some(name) => {
                    sizes.insert(name, l.size);
                }
                None => self
                    .report
                    .notes
                    .push(format!("stray file {} in packs/", l.path)),
            }
        }
        // Every indexed blob must lie inside an existing pack.
        let mut by_pack: HashMap<ObjectId, Vec<(ObjectId, Location)>> = HashMap::new();
        for (id, loc) in store.index()?.iter() {
            by_pack.entry(loc.pack).or_default().push((id, loc));
        }
        for (p, blobs) in &by_pack {
            match sizes.get(p) {
                None => {
                    for (id, loc) in blobs {
                        let by = self.referrers.get(id).cloned();
                        if by.is_some() {
                            self.problem(
                                format!("{} {}", loc.kind.name(), id.short(12)),
                                format!("its pack {} is missing", p.short(12)),
                                by,
                            );
                        }
                    }
                    if blobs.iter().all(|(id, _)| !self.referrers.contains_key(id)) {
                        self.problem(
                            format!("pack {}", p.short(12)),
                            "missing (nothing refers to its blobs)",
                            None,
                        );
                    }
                }
                Some(size) => {
                    for (id, loc) in blobs {
                        if loc.offset + u64::from(loc.length) + pack::PACK_TRAILER_LEN > *size {
                            let by = self.referrers.get(id).cloned();
                            self.problem(
                                format!("{} {}", loc.kind.name(), id.short(12)),
                                format!("lies beyond the end of pack {}", p.short(12)),
                                by,
                            );
                        }
                    }
                }
            }
        }
        let mut names: Vec<&ObjectId> = sizes.keys().collect();
        names.sort();
        if read_data {
            progress.start(sizes.values().sum());
        }
        for name in names {
            self.report.packs += 1;
            if !by_pack.contains_key(name) {
                self.report.notes.push(format!(
                    "pack {} is not indexed (left by an interrupted command; harmless)",
                    name.short(12)
                ));
            }
            if read_data {
                self.read_pack(
                    name,
                    sizes[name],
                    by_pack.get(name).map(|v| v.as_slice()).unwrap_or(&[]),
                    progress,
                );
            }
        }
        Ok(())
    }

    /// Reads every blob of a pack; `progress` learns the pack's bytes as they are read.
    fn read_pack(
        &mut self,
        name: &ObjectId,
        size: u64,
        indexed: &[(ObjectId, Location)],
        progress: &mut dyn Progress,
    ) {
        let store = self.repo.store();
        let path = pack::pack_path(name);
        let pack_label = format!("pack {}", name.short(12));
        // Read the pack in slices: memory stays bounded by the largest blob.
        let entries = match self.read_pack_header(name, &path, size) {
            Ok(e) => e,
            Err(e) => {
                let by = indexed
                    .iter()
                    .find_map(|(id, _)| self.referrers.get(id).cloned());
                self.problem(pack_label, e, by);
                progress.advance(size);
                return;
            }
        };
        let in_header: HashSet<ObjectId> = entries.iter().map(|e| e.id).collect();
        for (id, loc) in indexed {
            if !in_header.contains(id) {
                let by = self.referrers.get(id).cloned();
                self.problem(
                    format!("{} {}", loc.kind.name(), id.short(12)),
                    format!("not in {pack_label}"),
                    by,
                );
            }
        }
        let mut read = 0u64;
        for e in &entries {
            let loc = Location {
                pack: *name,
                kind: e.kind,
                offset: e.offset,
                length: e.length,
                raw_length: e.raw_length,
                depth: e.depth,
            };
            let result = store
                .backend()
                .get_range(&path, e.offset..e.offset + u64::from(e.length))
                .map_err(StoreError::from)
                .and_then(|bytes| store.open_sealed_blob(&e.id, &loc, &bytes));
            self.report.blobs_read += 1;
            read += u64::from(e.length);
            progress.advance(u64::from(e.length));
            if let Err(err) = result {
                let by = self
                    .referrers
                    .get(&e.id)
                    .cloned()
                    .or_else(|| Some("nothing (unreferenced)".into()));
                self.problem(
                    format!("{} {} in {pack_label}", e.kind.name(), e.id.short(12)),
                    err,
                    by,
                );
            }
        }
        // The pack's header and trailer.
        progress.advance(size.saturating_sub(read));
    }

    fn read_pack_header(
        &self,
        name: &ObjectId,
        path: &str,
        size: u64,
    ) -> Result<Vec<pack::PackEntry>, StoreError> {
        pack::read_entries(
            self.repo.store().backend(),
            self.repo.store().keys(),
            name,
            path,
            size,
        )
    }
}

/// What `daw fsck --repair` did.
#[derive(Debug, Default, serde::Serialize)]
pub struct RepairReport {
    /// Damaged index files removed.
    pub removed_indexes: Vec<String>,
    /// Packs indexed again from their own headers.
    pub packs_reindexed: usize,
    /// Packs whose header could not be read, with the reason: what they held is lost here.
    pub unrecoverable: Vec<(String, String)>,
}

impl Repository {
    /// Rebuilds the index from the packs' headers: every damaged index file is replaced by one
    /// naming the packs no readable index names.
    pub fn repair_indexes(&mut self) -> Result<RepairReport> {
        let _lock = self.lock(&format!("daw fsck --repair (pid {})", std::process::id()))?;
        let damaged: Vec<ObjectId> = self
            .store()
            .load_index_tolerant()?
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let (packs_reindexed, unreadable) = self.store_mut().repair_index(&damaged)?;
        Ok(RepairReport {
            removed_indexes: damaged.iter().map(|n| n.to_hex()).collect(),
            packs_reindexed,
            unrecoverable: unreadable
                .into_iter()
                .map(|(n, e)| (n.to_hex(), e.to_string()))
                .collect(),
        })
    }

    /// Checks the repository; with `read_data`, `progress` follows the packs' bytes as they are read.
    pub fn fsck(&self, opts: FsckOptions, progress: &mut dyn Progress) -> Result<FsckReport> {
        let mut c = Checker {
            repo: self,
            report: FsckReport::default(),
            referrers: HashMap::new(),
            seen_commits: HashSet::new(),
            seen_trees: HashSet::new(),
            op_trees: Vec::new(),
        };
        // A damaged index is one problem among others: the readable ones are used and the check
        // goes on (blobs only the damaged one named show up as missing from every index).
        for (name, e) in self.store().load_index_tolerant()? {
            c.problem(
                format!("index {}", name.short(12)),
                e,
                Some("nothing: `daw fsck --repair` rebuilds indexes from the packs".into()),
            );
        }
        c.check_key_slots();
        let targets = c.check_ops();
        for t in targets {
            c.check_commit(t);
        }
        for (tree, op) in std::mem::take(&mut c.op_trees) {
            c.check_tree(tree, "", &op);
        }
        c.check_packs(opts.read_data, progress)?;
        Ok(c.report)
    }
}
