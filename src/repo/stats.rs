//! `daw stats`: where the bytes are. What a snapshot and its history hold as files, by kind (sets,
//! audio, other); what storing them costs (file data, folders and commits) and what deduplication,
//! storing sets as their XML, and compression saved; what each branch or tag alone keeps; and the
//! repository's packs, index files, operations and blocks on disk.
//!
//! Every figure is exact and computed from the stored trees and the index (nothing is estimated):
//! - *as files*: the sum, over every snapshot, of the sizes of its files (what exporting each one
//!   would write);
//! - *content*: the same, with each set stored as XML counted at its XML's size (what is chunked);
//! - *unique*: the plaintext of the distinct chunks that content is made of (`content − unique` is
//!   what deduplication saved);
//! - *compressed*: those chunks as zstd left them, before encryption (`unique − compressed` is what
//!   compression saved; a chunk zstd could not shrink by 1/32 is kept as it is);
//! - *stored*: the sealed blocks in packs (compressed data, plus 41 bytes of nonce, tag and flag per
//!   block), file data and metadata (content nodes, folders, commits) apart;
//! - *sets as XML*: the distinct sets stored as XML, each counted whole as its gzip file (what
//!   storing them as files would cost: a one-character edit changes most of a gzip stream, so
//!   versions share nothing), less the stored blocks of their XML.

use std::collections::{HashMap, HashSet};

use crate::gc::{Walker, reach};
use crate::object::{BlobKind, Content, ContentRef, EntryKind, FileStorage, ObjectId};
use crate::store::content;
use crate::store::index::Location;

use super::{Repository, Result};

/// Bytes a sealed block adds to its (compressed) payload: nonce, tag and the compression flag.
pub const BLOCK_OVERHEAD: u64 = 24 + 16 + 1;

/// Project files of a DAW (sets). Ableton Live's and FL Studio's are understood; the others are
/// counted as sets too.
const SET_EXTENSIONS: &[&str] = &["als", "flp", "rpp", "ptx", "cpr", "song", "bwproject"];
/// Recordings and samples.
const AUDIO_EXTENSIONS: &[&str] = &[
    "wav", "wave", "aif", "aiff", "aifc", "flac", "mp3", "ogg", "oga", "opus", "m4a", "aac", "caf",
    "w64", "rf64", "wma",
];

/// What a file is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Set = 0,
    Audio = 1,
    Other = 2,
}

impl FileKind {
    pub fn of(name: &[u8]) -> Self {
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        match name.rsplit_once('.') {
            Some((_, ext)) if SET_EXTENSIONS.contains(&ext) => Self::Set,
            Some((_, ext)) if AUDIO_EXTENSIONS.contains(&ext) => Self::Audio,
            _ => Self::Other,
        }
    }
}

/// A count of files and their bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Files {
    pub files: u64,
    pub bytes: u64,
}

impl std::ops::AddAssign for Files {
    fn add_assign(&mut self, o: Self) {
        self.files += o.files;
        self.bytes += o.bytes;
    }
}

/// Figures split by kind of file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ByKind {
    pub sets: Files,
    pub audio: Files,
    pub other: Files,
}

impl ByKind {
    fn get_mut(&mut self, k: FileKind) -> &mut Files {
        match k {
            FileKind::Set => &mut self.sets,
            FileKind::Audio => &mut self.audio,
            FileKind::Other => &mut self.other,
        }
    }

    pub fn total(&self) -> Files {
        let mut t = self.sets;
        t += self.audio;
        t += self.other;
        t
    }
}

impl std::ops::AddAssign for ByKind {
    fn add_assign(&mut self, o: Self) {
        self.sets += o.sets;
        self.audio += o.audio;
        self.other += o.other;
    }
}

/// A snapshot's files.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Snapshot {
    pub commit: Option<String>,
    pub files: u64,
    pub bytes: u64,
    pub by_kind: ByKind,
}

/// Stored blocks: their count and sealed bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Blocks {
    pub count: u64,
    pub bytes: u64,
}

impl Blocks {
    fn add(&mut self, bytes: u64) {
        self.count += 1;
        self.bytes += bytes;
    }
}

/// What deduplication, sets as XML and compression saved (may be negative: XML of a single set
/// version can cost a little more than its gzip).
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Savings {
    pub dedup: i64,
    pub compression: i64,
    pub sets_as_xml: i64,
    /// The distinct sets stored as XML, counted as their gzip files.
    pub sets_as_gzip_bytes: u64,
    /// The stored blocks of those sets' XML (chunks and content nodes).
    pub sets_as_xml_bytes: u64,
}

/// A history: every snapshot reachable from the roots.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct History {
    pub commits: u64,
    /// Trees recorded by operations for `daw undo` (discarded changes), beyond the commits'.
    pub other_snapshots: u64,
    /// Files summed over every snapshot, as files.
    pub as_files: ByKind,
    /// Bytes sets stored as XML add over their gzip files, summed over every snapshot.
    pub xml_expansion: u64,
    /// As files, with sets at their XML's size: what is chunked.
    pub content_bytes: u64,
    /// Distinct files (by content) and their bytes.
    pub distinct_files: Files,
    /// The distinct chunks' plaintext.
    pub unique_bytes: u64,
    /// The distinct chunks after compression, before encryption.
    pub compressed_bytes: u64,
    /// Stored blocks: file data (chunks), content nodes, folders, commits.
    pub chunks: Blocks,
    pub content_nodes: Blocks,
    pub folders: Blocks,
    pub commit_blocks: Blocks,
    /// All of them.
    pub stored_bytes: u64,
    /// Stored chunks (file data), by the kind of the first file that uses them (`files`: the file
    /// versions of that kind). Content nodes are counted apart: even a one-chunk file has one now
    /// and then (a node closes after a child id whose low 4 bits are zero).
    pub stored_by_kind: ByKind,
    pub savings: Savings,
}

/// What one branch or tag alone keeps.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Exclusive {
    /// `branch NAME`, `tag NAME`, `remote ORIGIN/NAME`, `HEAD` (detached).
    pub holder: String,
    /// Stored blocks only it reaches.
    pub stored_bytes: u64,
    /// File data only it reaches (the chunks' plaintext).
    pub unique_bytes: u64,
}

/// Files and bytes of one kind of thing on disk.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct OnDisk {
    pub count: u64,
    pub bytes: u64,
}

/// The repository as it is on disk.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RepositoryFigures {
    /// Every file in the repository folder.
    pub disk_bytes: u64,
    pub data_packs: OnDisk,
    pub metadata_packs: OnDisk,
    /// Packs no index names (left by an interrupted command).
    pub unindexed_packs: OnDisk,
    pub index_files: OnDisk,
    pub operations: OnDisk,
    pub gc_marks: u64,
    /// Indexed blocks (distinct), by kind.
    pub chunks: Blocks,
    pub content_nodes: Blocks,
    pub folders: Blocks,
    pub commits: Blocks,
    /// Stored blocks nothing the repository keeps reaches: what `daw gc` removes.
    pub unreachable_bytes: u64,
    /// Stored blocks only operations of the log keep (no branch, tag, HEAD or remote-tracking
    /// branch): what `daw gc --prune-oplog` lets go.
    pub oplog_only_bytes: u64,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Stats {
    /// What the history covers: `HEAD`, the revision given, or `all`.
    pub scope: String,
    pub snapshot: Option<Snapshot>,
    pub history: History,
    /// Branches and tags, with what only each keeps.
    pub exclusive: Vec<Exclusive>,
    pub repository: RepositoryFigures,
}

/// What `daw stats` covers.
pub enum StatsScope {
    /// A commit and its ancestors (`daw stats REV`, HEAD by default).
    Commit(String, ObjectId),
    /// Everything the repository keeps (`--all`): every operation's refs, remote-tracking
    /// branches, the trees the log keeps for undo.
    All,
}

/// A folder's files, summed (memoised per tree id: a folder shared by many snapshots is read once).
#[derive(Clone, Copy, Default)]
struct TreeSum {
    files: ByKind,
    xml_expansion: u64,
}

/// Walks trees once each, summing them, and collects the distinct contents of their files.
struct Collector<'r> {
    repo: &'r Repository,
    sums: HashMap<ObjectId, TreeSum>,
    /// Distinct file contents: root → (where, kind of the first file with it, stored as XML).
    contents: HashMap<ObjectId, (ContentRef, FileKind, bool)>,
    /// Distinct files by whole-file hash: their size.
    distinct: HashMap<ObjectId, u64>,
    /// Distinct sets stored as XML, by whole-file hash: their gzip size.
    xml_sets: HashMap<ObjectId, u64>,
}

impl Collector<'_> {
    fn tree(&mut self, id: ObjectId) -> Result<TreeSum> {
        if let Some(s) = self.sums.get(&id) {
            return Ok(*s);
        }
        let tree = self.repo.read_tree(&id)?;
        let mut sum = TreeSum::default();
        for e in &tree.entries {
            match &e.kind {
                EntryKind::Dir { tree } => {
                    let sub = self.tree(*tree)?;
                    sum.files += sub.files;
                    sum.xml_expansion += sub.xml_expansion;
                }
                EntryKind::Symlink { .. } => {}
                EntryKind::File {
                    size,
                    hash,
                    storage,
                } => {
                    let kind = FileKind::of(&e.name);
                    *sum.files.get_mut(kind) += Files {
                        files: 1,
                        bytes: *size,
                    };
                    self.distinct.insert(*hash, *size);
                    let (c, xml) = match storage {
                        FileStorage::Raw(c) => (c, false),
                        FileStorage::GzipPayload { payload, .. } => {
                            sum.xml_expansion += payload.size.saturating_sub(*size);
                            if kind == FileKind::Set {
                                self.xml_sets.insert(*hash, *size);
                            }
                            (payload, kind == FileKind::Set)
                        }
                    };
                    if let Some(t) = &c.tree {
                        self.contents.entry(t.root).or_insert((*t, kind, xml));
                    }
                }
            }
        }
        self.sums.insert(id, sum);
        Ok(sum)
    }
}

impl Repository {
    /// `daw stats` (see the module docs).
    pub fn stats(&mut self, scope: &StatsScope) -> Result<Stats> {
        // The refs first, then one reading of every index file (a commit's blobs are indexed before
        // its operation is written, so everything the refs name is in it): the figures agree.
        let refs = self.refs()?;
        let (_, live_roots) = self.live_roots_all()?;
        self.store_mut().reload_index_files()?;
        let (commit_roots, tree_roots): (Vec<ObjectId>, Vec<ObjectId>) = match scope {
            StatsScope::Commit(_, id) => (vec![*id], Vec::new()),
            StatsScope::All => {
                let roots = live_roots.clone();
                let index = self.store().index()?;
                roots
                    .into_iter()
                    .partition(|r| index.get(r).is_some_and(|l| l.kind == BlobKind::Commit))
            }
        };
        let mut stats = Stats {
            scope: match scope {
                StatsScope::Commit(rev, _) => rev.clone(),
                StatsScope::All => "all".into(),
            },
            ..Default::default()
        };
        let mut c = Collector {
            repo: self,
            sums: HashMap::new(),
            contents: HashMap::new(),
            distinct: HashMap::new(),
            xml_sets: HashMap::new(),
        };
        // The snapshot.
        let snap_commit = match scope {
            StatsScope::Commit(_, id) => Some(*id),
            StatsScope::All => refs.head_commit(),
        };
        if let Some(id) = snap_commit {
            let sum = c.tree(self.read_commit(&id)?.tree)?;
            let total = sum.files.total();
            stats.snapshot = Some(Snapshot {
                commit: Some(id.to_hex()),
                files: total.files,
                bytes: total.bytes,
                by_kind: sum.files,
            });
        }
        // The history: every commit, then the trees the log keeps beyond them.
        let h = &mut stats.history;
        let mut seen = HashSet::new();
        let mut stack = commit_roots;
        let mut commit_ids = Vec::new();
        let mut commit_trees = HashSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let commit = self.read_commit(&id)?;
            let sum = c.tree(commit.tree)?;
            h.commits += 1;
            h.as_files += sum.files;
            h.xml_expansion += sum.xml_expansion;
            commit_trees.insert(commit.tree);
            stack.extend(commit.parents);
            commit_ids.push(id);
        }
        // Trees the log keeps that are no commit's (changes a switch or restore discarded).
        for t in tree_roots.into_iter().filter(|t| !commit_trees.contains(t)) {
            let sum = c.tree(t)?;
            h.other_snapshots += 1;
            h.as_files += sum.files;
            h.xml_expansion += sum.xml_expansion;
        }
        h.content_bytes = h.as_files.total().bytes + h.xml_expansion;
        h.distinct_files = Files {
            files: c.distinct.len() as u64,
            bytes: c.distinct.values().sum(),
        };
        let loc = |id: &ObjectId| -> Result<Location> { Ok(self.store().locate(id)?) };
        // Folders and commits.
        for t in c.sums.keys() {
            h.folders.add(u64::from(loc(t)?.length));
        }
        for id in &commit_ids {
            h.commit_blocks.add(u64::from(loc(id)?.length));
        }
        // File data: the distinct chunks (and content nodes) of the distinct contents.
        let mut blocks: HashMap<ObjectId, FileKind> = HashMap::new();
        let mut xml_blocks: HashSet<ObjectId> = HashSet::new();
        let mut contents: Vec<(ContentRef, FileKind, bool)> = c.contents.into_values().collect();
        contents.sort_by_key(|(t, _, _)| t.root);
        for (tree, kind, xml) in contents {
            let content = Content {
                size: 1,
                tree: Some(tree),
            };
            content::walk_ids(self.store(), &content, &mut |id, _| {
                let first = !blocks.contains_key(&id);
                blocks.entry(id).or_insert(kind);
                if xml {
                    xml_blocks.insert(id);
                }
                Ok(first)
            })?;
        }
        for (id, kind) in &blocks {
            let l = loc(id)?;
            let sealed = u64::from(l.length);
            match l.kind {
                BlobKind::Chunk => {
                    h.chunks.add(sealed);
                    h.unique_bytes += u64::from(l.raw_length);
                    h.compressed_bytes += sealed.saturating_sub(BLOCK_OVERHEAD);
                    *h.stored_by_kind.get_mut(*kind) += Files {
                        files: 0,
                        bytes: sealed,
                    };
                }
                _ => h.content_nodes.add(sealed),
            }
            if xml_blocks.contains(id) {
                h.savings.sets_as_xml_bytes += sealed;
            }
        }
        for (kind, f) in [
            (FileKind::Set, h.as_files.sets),
            (FileKind::Audio, h.as_files.audio),
            (FileKind::Other, h.as_files.other),
        ] {
            h.stored_by_kind.get_mut(kind).files = f.files;
        }
        h.stored_bytes =
            h.chunks.bytes + h.content_nodes.bytes + h.folders.bytes + h.commit_blocks.bytes;
        h.savings.dedup = h.content_bytes as i64 - h.unique_bytes as i64;
        h.savings.compression = h.unique_bytes as i64 - h.compressed_bytes as i64;
        h.savings.sets_as_gzip_bytes = c.xml_sets.values().sum();
        h.savings.sets_as_xml =
            h.savings.sets_as_gzip_bytes as i64 - h.savings.sets_as_xml_bytes as i64;
        stats.exclusive = self.exclusive(&refs)?;
        stats.repository = self.repository_figures(&refs, live_roots)?;
        Ok(stats)
    }

    /// What each current ref alone reaches. Each blob is owned by the first ref that reaches it,
    /// and becomes shared (with everything below it) when another one does: every blob is visited
    /// at most twice.
    fn exclusive(&self, refs: &crate::oplog::RefTable) -> Result<Vec<Exclusive>> {
        const SHARED: usize = usize::MAX;
        let mut holders: Vec<(String, ObjectId)> = Vec::new();
        for (name, id) in &refs.branches {
            holders.push((format!("branch {name}"), *id));
        }
        for (name, t) in &refs.tags {
            holders.push((format!("tag {name}"), t.target));
        }
        if let crate::oplog::Head::Detached(id) = &refs.head {
            holders.push(("HEAD".into(), *id));
        }
        for (remote, branches) in &refs.remotes {
            for (name, id) in branches {
                holders.push((format!("remote {remote}/{name}"), *id));
            }
        }
        let index = self.store().index()?;
        let mut owner: HashMap<ObjectId, usize> = HashMap::new();
        let blobs = self.store().blobs()?;
        for (i, (_, root)) in holders.iter().enumerate() {
            let mut stack = vec![*root];
            while let Some(id) = stack.pop() {
                let now = match owner.get(&id) {
                    None => i,
                    Some(&o) if o == i || o == SHARED => continue,
                    Some(_) => SHARED,
                };
                let Some(l) = index.get(&id) else { continue };
                owner.insert(id, now);
                // A delta keeps its base alive too (docs/FORMAT.md, "Delta").
                if l.depth > 0
                    && let Some(base) = blobs.base_of(&id)?
                {
                    stack.push(base);
                }
                if l.kind.is_metadata() {
                    let plain = blobs.get_blob_as(&id, l.kind)?;
                    let children = reach::references(l.kind, &id, &plain)
                        .map_err(|e| super::RepoError::Corrupt(e.to_string()))?;
                    stack.extend(children);
                }
            }
        }
        let mut out: Vec<Exclusive> = holders
            .iter()
            .map(|(h, _)| Exclusive {
                holder: h.clone(),
                stored_bytes: 0,
                unique_bytes: 0,
            })
            .collect();
        for (id, o) in &owner {
            if *o == SHARED {
                continue;
            }
            let l = index.get(id).expect("owned blobs are indexed");
            out[*o].stored_bytes += u64::from(l.length);
            if l.kind == BlobKind::Chunk {
                out[*o].unique_bytes += u64::from(l.raw_length);
            }
        }
        out.retain(|e| e.holder.starts_with("branch ") || e.holder.starts_with("tag "));
        Ok(out)
    }

    /// The repository on disk.
    fn repository_figures(
        &self,
        refs: &crate::oplog::RefTable,
        roots: Vec<ObjectId>,
    ) -> Result<RepositoryFigures> {
        let mut r = RepositoryFigures {
            disk_bytes: self.disk_usage(),
            ..Default::default()
        };
        let store = self.store();
        let index = store.index()?;
        let mut pack_kind: HashMap<ObjectId, bool> = HashMap::new();
        for (_, l) in index.iter() {
            // Deltas are written to metadata packs.
            pack_kind
                .entry(l.pack)
                .or_insert(l.kind.is_metadata() || l.depth > 0);
            let sealed = u64::from(l.length);
            match l.kind {
                BlobKind::Chunk => r.chunks.add(sealed),
                BlobKind::ContentNode => r.content_nodes.add(sealed),
                BlobKind::Tree => r.folders.add(sealed),
                BlobKind::Commit => r.commits.add(sealed),
            }
        }
        for (name, size) in store.list_packs()? {
            let slot = match pack_kind.get(&name) {
                Some(true) => &mut r.metadata_packs,
                Some(false) => &mut r.data_packs,
                None => &mut r.unindexed_packs,
            };
            slot.count += 1;
            slot.bytes += size;
        }
        for (prefix, slot) in [("index", &mut r.index_files), ("ops", &mut r.operations)] {
            for l in store
                .backend()
                .list(prefix)
                .map_err(crate::store::StoreError::from)?
            {
                slot.count += 1;
                slot.bytes += l.size;
            }
        }
        r.gc_marks = store
            .backend()
            .list(crate::gc::mark::MARKS)
            .map_err(crate::store::StoreError::from)?
            .len() as u64;
        // What the log keeps, and what the current refs keep.
        let mut live = Walker::new(store);
        for root in roots {
            live.add_live(root)
                .map_err(|e| super::RepoError::Corrupt(e.to_string()))?;
        }
        let mut current = Walker::new(store);
        let mut current_roots = refs.targets();
        if let Some(c) = refs.head_commit() {
            current_roots.push(c);
        }
        for root in current_roots {
            current
                .add_live(root)
                .map_err(|e| super::RepoError::Corrupt(e.to_string()))?;
        }
        for (id, l) in index.iter() {
            if !live.contains(&id) {
                r.unreachable_bytes += u64::from(l.length);
            } else if !current.contains(&id) {
                r.oplog_only_bytes += u64::from(l.length);
            }
        }
        Ok(r)
    }
}
