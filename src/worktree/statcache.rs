//! The working-tree stat cache (`.daw/cache/stat`), daw's equivalent of Git's index stat data: for each
//! file of the project, the `lstat` fields seen when it was last read (size, mtime and ctime with
//! nanoseconds, inode, device, mode) and the tree entry that reading produced (whole-file hash and
//! where its bytes are stored). `daw status` and `daw commit` trust the entry of a file whose `lstat`
//! still matches exactly, so an unchanged file is never read again.
//!
//! **Racy timestamps.** A file changed twice within one tick of the file system clock can keep the same
//! size and timestamps, so a stat match alone could hide a change made just after the file was read.
//! An entry is therefore only written to the cache when the file's mtime *and* ctime are strictly older
//! than the whole second before the command started reading (`settled_before`, taken 100 ms early to
//! cover the lag of the kernel's coarse clock). Any later change sets the ctime to a time at or after
//! that (the ctime cannot be set by programs), so it cannot match the cached stat. Files changed in
//! the second before a command are simply read again next time; a file system that keeps whole
//! seconds (or finer) is covered, one that keeps two (FAT) is not.
//!
//! **Listing digest.** The cache also keeps, in a small summary sealed apart from the records, a digest
//! of HEAD's files with their recorded stats, built folder by folder ([`FolderListing`]). The walk of
//! `daw status` builds the same digest from what it finds, on its own threads, so telling an unchanged
//! project needs neither the records nor a comparison file by file: only the summary is read.
//!
//! The cache is local, sealed like every other file under the repository (it names the project's
//! files), written atomically, and only ever a hint: a missing, damaged, foreign or newer-version
//! cache is ignored and rebuilt. Format: `docs/FORMAT.md`, "Stat cache". Where it lives and when it
//! is loaded and saved are the caller's (`repo`'s) to decide: it is handed the path and the store.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::object::{DecodeError, EntryKind, FileStorage, ObjectId, Reader, TreeEntry, Writer};
use crate::store::{FileOpener, Store};

use super::fsutil::{self, FsError};
use super::stat::FileStat;
use super::walk::FolderListing;

/// Version of the cache encoding.
const CACHE_VERSION: u64 = 3;
/// How far the coarse kernel clock that stamps files may lag behind the system clock.
const CLOCK_LAG: Duration = Duration::from_millis(100);

// Encoding of the stat fields in the cache's records (FORMAT.md, "Stat cache").
impl FileStat {
    fn encode(&self, w: &mut Writer) {
        w.uvar(self.size)
            .ivar(self.mtime.0)
            .uvar(u64::from(self.mtime.1))
            .ivar(self.ctime.0)
            .uvar(u64::from(self.ctime.1))
            .uvar(self.ino)
            .uvar(self.dev)
            .uvar(u64::from(self.mode));
    }

    fn decode(r: &mut Reader<'_>) -> std::result::Result<Self, crate::object::DecodeError> {
        let nanos = |r: &mut Reader<'_>| {
            u32::try_from(r.uvar()?)
                .ok()
                .filter(|n| *n < 1_000_000_000)
                .ok_or_else(|| r.invalid("nanoseconds out of range"))
        };
        let size = r.uvar()?;
        let mtime = (r.ivar()?, nanos(r)?);
        let ctime = (r.ivar()?, nanos(r)?);
        let ino = r.uvar()?;
        let dev = r.uvar()?;
        let mode = u32::try_from(r.uvar()?).map_err(|_| r.invalid("mode out of range"))?;
        Ok(Self {
            size,
            mtime,
            ctime,
            ino,
            dev,
            mode,
        })
    }
}

/// The listing digest of files given by path (relative to one folder, `/`-separated, sorted as a walk
/// lists them: component by component): the digest [`FolderListing`] gives when built by a walk.
fn listing_of(files: &[(&[u8], &FileStat)]) -> Option<[u8; 32]> {
    let mut listing = FolderListing::new();
    let mut i = 0;
    while i < files.len() {
        let (path, stat) = files[i];
        let Some(slash) = path.iter().position(|&b| b == b'/') else {
            listing.file(path, stat);
            i += 1;
            continue;
        };
        let name = &path[..slash];
        let mut below = Vec::new();
        while let Some((p, s)) = files.get(i)
            && p.len() > slash
            && p[slash] == b'/'
            && &p[..slash] == name
        {
            below.push((&p[slash + 1..], *s));
            i += 1;
        }
        if let Some(digest) = listing_of(&below) {
            listing.folder(name, &digest);
        }
    }
    listing.finish()
}

/// The seconds (since the epoch) before which a file's timestamps must lie for its entry to be cached:
/// the whole second before `start`, less the clock lag.
pub fn settled_before(start: SystemTime) -> i64 {
    let t = start.checked_sub(CLOCK_LAG).unwrap_or(start);
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(_) => 0,
    }
}

#[derive(Clone, Debug)]
struct Cached {
    stat: FileStat,
    entry: TreeEntry,
    /// Looked up or recorded since loading (what is not was not found by a walk of the whole project).
    visited: bool,
}

/// Paths as bytes, hashed with FxHash: `Path`'s own hash walks its components, and this map is looked
/// up once per file of the project by every `commit`.
type Entries = HashMap<Vec<u8>, Cached, rustc_hash::FxBuildHasher>;

fn key(rel: &Path) -> std::borrow::Cow<'_, [u8]> {
    crate::platform::bytes_of_path(rel)
}

/// Counts for `--verbose` and the benchmark.
#[derive(Clone, Copy, Debug, Default)]
pub struct CacheStats {
    /// Files whose cached entry was used.
    pub hits: u64,
    /// Files that had to be read.
    pub misses: u64,
}

/// Every file and symlink of a commit's tree, by relative path.
pub type HeadFiles = Arc<BTreeMap<PathBuf, TreeEntry>>;

/// The summary of a cache, sealed apart from its records so that `daw status` of an unchanged project
/// reads and opens a few dozen bytes instead of the whole cache.
#[derive(Clone, Copy, Default)]
struct Summary {
    /// Written in both parts: records that do not carry the summary's generation are not its own.
    generation: [u8; 16],
    /// The commit the cache was written for, and how many files it has (`in_head` records + extras).
    head: Option<(ObjectId, usize)>,
    /// The listing digest of HEAD's files with their recorded stats, when every one of them has a
    /// record (no extras).
    listing: Option<[u8; 32]>,
    /// Records that are not HEAD's (stale ones, which the next full pass prunes).
    others: usize,
}

/// The records as read from disk: the plaintext, decoded only as far as a command needs.
#[derive(Default)]
struct Loaded {
    plain: Vec<u8>,
    /// Where the records start, and how many there are.
    records_at: usize,
    records: usize,
}

/// The records part of the cache file: still on disk (the file open, positioned at it, and the key to
/// open it), or read.
enum Body {
    Unread(std::fs::File, FileOpener),
    Read(Loaded),
}

/// The cache: loaded, then updated as files are looked up and read.
pub struct StatCache {
    summary: Summary,
    body: Body,
    /// The records as a map, decoded from the body on first use.
    entries: Option<Entries>,
    /// HEAD's files when a command set them (else they are in the body).
    head: Option<(ObjectId, HeadFiles)>,
    settled_before: i64,
    /// Whether the cache differs from what is on disk.
    dirty: bool,
    pub stats: CacheStats,
}

const SEAL_NAME: &str = "stat";
const SEAL_SUMMARY_NAME: &str = "stat summary";
const SEAL_WHAT: &str = "stat cache";
/// The largest summary a cache may have (it is about a hundred bytes).
const SUMMARY_MAX: usize = 4096;

/// Reads the records of a cache's plaintext in order.
struct Records<'a> {
    r: Reader<'a>,
    left: usize,
}

/// One record: the entry is left encoded until asked for.
struct Record<'a> {
    path: &'a [u8],
    in_head: bool,
    stat: FileStat,
    entry: &'a [u8],
}

impl<'a> Records<'a> {
    fn of(loaded: &'a Loaded) -> Self {
        Self {
            r: Reader::new(&loaded.plain[loaded.records_at..], "stat cache"),
            left: loaded.records,
        }
    }

    fn next_record(&mut self) -> std::result::Result<Option<Record<'a>>, DecodeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let path = self.r.bytes()?;
        let in_head = decode_flag(&mut self.r)?;
        let stat = FileStat::decode(&mut self.r)?;
        let entry = self.r.bytes()?;
        Ok(Some(Record {
            path,
            in_head,
            stat,
            entry,
        }))
    }

    /// HEAD's files that have no record (after the records; any records not read yet are skipped).
    fn extras(mut self) -> std::result::Result<Vec<(PathBuf, TreeEntry)>, DecodeError> {
        while self.next_record()?.is_some() {}
        let n = self.r.count(8)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let path = crate::platform::path_from_bytes(self.r.bytes()?);
            out.push((path, decode_entry(self.r.bytes()?)?));
        }
        self.r.finish()?;
        Ok(out)
    }
}

fn decode_entry(bytes: &[u8]) -> std::result::Result<TreeEntry, DecodeError> {
    let mut r = Reader::new(bytes, "stat cache entry");
    let e = TreeEntry::decode_from(&mut r)?;
    r.finish()?;
    Ok(e)
}

impl StatCache {
    /// An empty cache for a command that started reading at `start`.
    pub fn empty(start: SystemTime) -> Self {
        Self {
            summary: Summary::default(),
            body: Body::Read(Loaded::default()),
            entries: None,
            head: None,
            settled_before: settled_before(start),
            dirty: false,
            stats: CacheStats::default(),
        }
    }

    /// Loads the summary of the cache at `path`, sealed with `store`'s keys (its records are read when
    /// first needed); anything unreadable counts as an empty cache.
    pub fn load(path: &Path, store: &Store, start: SystemTime) -> Self {
        let mut cache = Self::empty(start);
        let Ok(mut file) = std::fs::File::open(path) else {
            return cache;
        };
        let opener = store.file_opener();
        match read_summary(&opener, &mut file) {
            Some(Opened::Summary(summary)) => {
                cache.summary = summary;
                cache.body = Body::Unread(file, opener);
            }
            Some(Opened::Version2(summary, loaded)) => {
                // Kept, and written again as version 3 by the command's save: a daw that was just
                // upgraded does not read every file of the project again.
                cache.summary = summary;
                cache.body = Body::Read(loaded);
                cache.dirty = true;
            }
            None => cache.dirty = true,
        }
        cache
    }

    /// The records, read from the file now if they were not yet (a damaged or foreign body counts as
    /// an empty cache).
    fn loaded(&mut self) -> &Loaded {
        if let Body::Unread(file, opener) = &mut self.body {
            let read = read_body(opener, file, &self.summary);
            if read.is_none() {
                self.summary = Summary::default();
                self.dirty = true;
            }
            self.body = Body::Read(read.unwrap_or_default());
        }
        match &self.body {
            Body::Read(loaded) => loaded,
            Body::Unread(..) => unreachable!("read above"),
        }
    }

    /// The records as a map (decoded now if they were not yet; a damaged cache counts as empty).
    fn entries(&mut self) -> &mut Entries {
        if self.entries.is_none() {
            let expected = self.summary.head.map_or(0, |(_, n)| n);
            let decoded = decode_records(self.loaded(), expected);
            if decoded.is_err() {
                self.summary = Summary::default();
                self.body = Body::Read(Loaded::default());
                self.dirty = true;
            }
            self.entries = Some(decoded.unwrap_or_default());
        }
        self.entries.as_mut().expect("decoded above")
    }

    /// The files of commit `head` as recorded with the cache, if it was written for that commit.
    pub fn head_files(&mut self, head: &ObjectId) -> Option<HeadFiles> {
        if let Some((id, files)) = &self.head {
            return (id == head).then(|| files.clone());
        }
        match self.summary.head {
            Some((id, _)) if id == *head => decode_head_files(self.loaded()).ok().map(Arc::new),
            _ => None,
        }
    }

    /// Whether a walk whose listing digest is `listing` found exactly the files of commit `head`, each
    /// with the stat the cache recorded for it (so every one holds HEAD's content). Also says how
    /// many files that is. Only the summary is consulted.
    pub fn unchanged_since(&self, head: &ObjectId, listing: &[u8; 32]) -> Option<usize> {
        if self.head.is_some() || self.entries.is_some() {
            return None;
        }
        match (self.summary.head, &self.summary.listing) {
            (Some((id, files)), Some(recorded)) if id == *head && recorded == listing => {
                Some(files)
            }
            _ => None,
        }
    }

    /// Whether the cache holds records of files that are not HEAD's (which
    /// [`StatCache::keep_head_records`] drops).
    pub fn has_stale_records(&self) -> bool {
        self.summary.others > 0
    }

    /// Records that HEAD is now `head` with these files (written with the cache).
    pub fn set_head(&mut self, head: ObjectId, files: HeadFiles) {
        let before = match &self.head {
            Some((id, _)) => Some(*id),
            None => self.summary.head.map(|(id, _)| id),
        };
        if before != Some(head) {
            self.dirty = true;
        }
        self.head = Some((head, files));
    }

    /// How many files the cache knows.
    pub fn len(&mut self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&mut self) -> bool {
        self.entries().is_empty()
    }

    /// The cached entry for the file at `rel` if its `lstat` is unchanged.
    pub fn lookup(&mut self, rel: &Path, stat: &FileStat) -> Option<&TreeEntry> {
        let stat = *stat;
        let entries = self.entries();
        let hit = match entries.get_mut(&*key(rel)) {
            Some(c) if c.stat == stat => {
                c.visited = true;
                true
            }
            Some(_) => {
                entries.remove(&*key(rel));
                self.dirty = true;
                false
            }
            None => false,
        };
        if !hit {
            self.stats.misses += 1;
            return None;
        }
        self.stats.hits += 1;
        self.entries().get(&*key(rel)).map(|c| &c.entry)
    }

    /// Like `lookup`, for a commit: also checks that the blobs the entry names are in the store (a
    /// commit must never refer to something missing).
    pub fn lookup_stored(
        &mut self,
        rel: &Path,
        stat: &FileStat,
        store: &Store,
    ) -> Option<TreeEntry> {
        let entry = self.lookup(rel, stat)?.clone();
        let EntryKind::File { storage, .. } = &entry.kind else {
            return None;
        };
        let content = match storage {
            FileStorage::Raw(c) => c,
            FileStorage::GzipPayload { payload, .. } => payload,
        };
        if content
            .tree
            .is_some_and(|t| !store.contains(&t.root).unwrap_or(false))
        {
            self.stats.hits -= 1;
            self.stats.misses += 1;
            self.entries().remove(&*key(rel));
            self.dirty = true;
            return None;
        }
        Some(entry)
    }

    /// Records what reading the file at `rel` (whose `lstat` was `stat` before and after reading)
    /// produced. Files changed too recently to be trusted are left out (see the module docs).
    pub fn record(&mut self, rel: &Path, stat: &FileStat, entry: TreeEntry) {
        if !matches!(entry.kind, EntryKind::File { .. }) {
            return;
        }
        let stat = *stat;
        if stat.mtime.0 >= self.settled_before || stat.ctime.0 >= self.settled_before {
            return;
        }
        let visited = true;
        self.entries().insert(
            key(rel).into_owned(),
            Cached {
                stat,
                entry,
                visited,
            },
        );
        self.dirty = true;
    }

    /// Drops the files not looked up since loading: after a walk of the whole project, they are gone.
    pub fn prune_unvisited(&mut self) {
        let entries = self.entries();
        let before = entries.len();
        entries.retain(|_, c| c.visited);
        if entries.len() != before {
            self.dirty = true;
        }
    }

    /// After a walk found every file of HEAD unchanged: keeps only HEAD's records.
    pub fn keep_head_records(&mut self) {
        let Ok(head) = Records::of(self.loaded()).head_paths() else {
            return;
        };
        for (path, c) in self.entries().iter_mut() {
            c.visited = head.contains(path.as_slice());
        }
        self.prune_unvisited();
    }

    /// Whether the cache changed since it was loaded.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Writes the cache to `path`, sealed with `store`'s keys, if it changed since it was loaded.
    pub fn save(&mut self, path: &Path, store: &Store) -> Result<(), FsError> {
        if !self.dirty {
            return Ok(());
        }
        let dir = path.parent().expect("the cache path has a folder");
        std::fs::create_dir_all(dir).map_err(|e| FsError::new(dir, e))?;
        let head = match (&self.head, self.summary.head) {
            (Some((id, files)), _) => Some((*id, files.clone())),
            (None, Some((id, _))) => decode_head_files(self.loaded())
                .ok()
                .map(|files| (id, Arc::new(files))),
            (None, None) => None,
        };
        let settled_before = self.settled_before;
        let (summary, records) = encode(self.entries(), head.as_ref(), settled_before);
        let summary = store.seal_file(SEAL_WHAT, SEAL_SUMMARY_NAME, &summary);
        let records = store.seal_file(SEAL_WHAT, SEAL_NAME, &records);
        let mut file = Vec::with_capacity(4 + summary.len() + records.len());
        file.extend_from_slice(&(summary.len() as u32).to_le_bytes());
        file.extend_from_slice(&summary);
        file.extend_from_slice(&records);
        fsutil::write_atomic(path, &file)
    }
}

impl Records<'_> {
    /// The paths of the records that are HEAD's.
    fn head_paths(mut self) -> std::result::Result<HashSet<Vec<u8>>, DecodeError> {
        let mut out = HashSet::new();
        while let Some(rec) = self.next_record()? {
            if rec.in_head {
                out.insert(rec.path.to_vec());
            }
        }
        Ok(out)
    }
}

/// What the start of a cache file gave.
enum Opened {
    /// A version-3 summary; the file is left at the records.
    Summary(Summary),
    /// A whole version-2 cache (one sealed file: the records with a header), read as version 3's
    /// parts: a summary without a listing, and the records.
    Version2(Summary, Loaded),
}

/// Reads and opens the summary at the start of the cache file, leaving the file at the records.
fn read_summary(opener: &FileOpener, file: &mut std::fs::File) -> Option<Opened> {
    let mut len = [0u8; 4];
    file.read_exact(&mut len).ok()?;
    if &len == b"DAWS" {
        let mut plain = len.to_vec();
        file.read_to_end(&mut plain).ok()?;
        opener
            .open_in_place(SEAL_WHAT, SEAL_NAME, &mut plain)
            .ok()?;
        let (summary, loaded) = Loaded::read_version2(plain).ok()?;
        return Some(Opened::Version2(summary, loaded));
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > SUMMARY_MAX {
        return None;
    }
    let mut plain = vec![0u8; len];
    file.read_exact(&mut plain).ok()?;
    opener
        .open_in_place(SEAL_WHAT, SEAL_SUMMARY_NAME, &mut plain)
        .ok()?;
    Summary::decode(&plain).ok().map(Opened::Summary)
}

/// Reads and opens the records after the summary (`file` is positioned at them); `None` if they are
/// damaged or were not written with `summary`.
fn read_body(opener: &FileOpener, file: &mut std::fs::File, summary: &Summary) -> Option<Loaded> {
    let mut plain = Vec::new();
    file.read_to_end(&mut plain).ok()?;
    opener
        .open_in_place(SEAL_WHAT, SEAL_NAME, &mut plain)
        .ok()?;
    Loaded::read(plain, &summary.generation).ok()
}

impl Summary {
    fn decode(plain: &[u8]) -> std::result::Result<Self, DecodeError> {
        let mut r = Reader::new(plain, "stat cache summary");
        r.version(CACHE_VERSION)?;
        let generation = r.take(16)?.try_into().expect("16 bytes taken");
        let head = match r.u8()? {
            0 => None,
            1 => {
                let id = r.id()?;
                let files = usize::try_from(r.uvar()?).map_err(|_| r.invalid("count"))?;
                Some((id, files))
            }
            _ => return Err(r.invalid("bad head marker")),
        };
        let listing = match r.u8()? {
            0 => None,
            1 => Some(r.take(32)?.try_into().expect("32 bytes taken")),
            _ => return Err(r.invalid("bad listing marker")),
        };
        let others = usize::try_from(r.uvar()?).map_err(|_| r.invalid("count"))?;
        r.finish()?;
        Ok(Self {
            generation,
            head,
            listing,
            others,
        })
    }

    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(CACHE_VERSION).raw(&self.generation);
        match self.head {
            Some((id, files)) => w.u8(1).id(&id).uvar(files as u64),
            None => w.u8(0),
        };
        match &self.listing {
            Some(digest) => w.u8(1).raw(digest),
            None => w.u8(0),
        };
        w.uvar(self.others as u64);
        w.finish()
    }
}

impl Loaded {
    /// A version-2 cache: `version (2) ‖ settled_before ‖ head: 0, or 1 ‖ commit id ‖ record count ‖
    /// head file count`, then the records and extras as in version 3.
    fn read_version2(plain: Vec<u8>) -> std::result::Result<(Summary, Self), DecodeError> {
        let mut r = Reader::new(&plain, "stat cache");
        if r.uvar()? != 2 {
            return Err(r.invalid("not a version-2 cache"));
        }
        let _written_settled_before = r.ivar()?;
        let head = match r.u8()? {
            0 => None,
            1 => Some(r.id()?),
            _ => return Err(r.invalid("bad head marker")),
        };
        let records = r.count(16)?;
        let head_files = usize::try_from(r.uvar()?).map_err(|_| r.invalid("count"))?;
        let summary = Summary {
            head: match head {
                Some(id) => Some((id, head_files)),
                None if head_files == 0 => None,
                None => return Err(r.invalid("files listed for no commit")),
            },
            ..Summary::default()
        };
        let records_at = plain.len() - r.remaining();
        Ok((
            summary,
            Self {
                plain,
                records_at,
                records,
            },
        ))
    }

    fn read(plain: Vec<u8>, generation: &[u8; 16]) -> std::result::Result<Self, DecodeError> {
        let mut r = Reader::new(&plain, "stat cache");
        r.version(CACHE_VERSION)?;
        if r.take(16)? != generation {
            return Err(r.invalid("records of another summary"));
        }
        let _written_settled_before = r.ivar()?;
        let records = r.count(16)?;
        let records_at = plain.len() - r.remaining();
        Ok(Self {
            plain,
            records_at,
            records,
        })
    }
}

/// For `daw commit`: moves the files whose cached entry can be reused from `to_read` into `files`,
/// and returns the rest (to be read).
pub(crate) fn reuse_for_commit(
    cache: &mut StatCache,
    store: &Store,
    to_read: Vec<(PathBuf, FileStat)>,
    files: &mut HashMap<PathBuf, Option<TreeEntry>>,
) -> Vec<(PathBuf, FileStat)> {
    let mut rest = Vec::with_capacity(to_read.len());
    for (rel, meta) in to_read {
        match cache.lookup_stored(&rel, &meta, store) {
            Some(entry) => {
                files.insert(rel, Some(entry));
            }
            None => rest.push((rel, meta)),
        }
    }
    rest
}

/// For `daw commit`: learns the entries of the files just read, when their `lstat` is still what the
/// walk saw (so the entry describes exactly that state of the file).
pub(crate) fn learn_from_commit(
    cache: &mut StatCache,
    work_tree: &Path,
    read: &[(PathBuf, FileStat)],
    files: &HashMap<PathBuf, Option<TreeEntry>>,
) {
    for (rel, walked) in read {
        let Some(Some(entry)) = files.get(rel) else {
            continue;
        };
        let Ok(now) = std::fs::symlink_metadata(work_tree.join(rel)) else {
            continue;
        };
        if FileStat::of(&now) == *walked {
            cache.record(rel, walked, entry.clone());
        }
    }
}

/// The summary and the records of a cache (`docs/FORMAT.md`, "Stat cache"). Records:
/// `version ‖ generation ‖ settled_before (ivar) ‖ count ‖ (path ‖ in_head (u8) ‖ stat ‖ tree entry
/// (bytes))* ‖ extra count ‖ (path ‖ tree entry (bytes))*`, both lists sorted by path. `in_head` says
/// the entry is also HEAD's entry for the path, and the extra list holds HEAD's other files, so its
/// whole file list is kept without writing an entry twice.
fn encode(
    entries: &Entries,
    head: Option<&(ObjectId, HeadFiles)>,
    settled_before: i64,
) -> (Vec<u8>, Vec<u8>) {
    // (the stored bytes, the path they name, the record)
    let mut sorted: Vec<(&[u8], std::borrow::Cow<'_, Path>, &Cached)> = entries
        .iter()
        .map(|(p, c)| (p.as_slice(), crate::platform::path_of_bytes(p), c))
        .collect();
    sorted.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    let empty = BTreeMap::new();
    let head_files = head.map_or(&empty, |(_, f)| f.as_ref());
    let mut generation = [0u8; 16];
    crate::store::crypto::random_bytes(&mut generation);
    let mut w = Writer::new();
    w.uvar(CACHE_VERSION)
        .raw(&generation)
        .ivar(settled_before)
        .uvar(sorted.len() as u64);
    let mut in_head = HashSet::new();
    let mut listed: Vec<(&[u8], &FileStat)> = Vec::new();
    let mut entry_bytes = Writer::new();
    for (bytes, path, c) in &sorted {
        let same = head_files.get(&**path) == Some(&c.entry);
        if same {
            in_head.insert(&**path);
            listed.push((*bytes, &c.stat));
        }
        w.bytes(bytes).u8(u8::from(same));
        c.stat.encode(&mut w);
        entry_bytes.clear();
        c.entry.encode_to(&mut entry_bytes);
        w.bytes(entry_bytes.as_slice());
    }
    w.uvar((head_files.len() - in_head.len()) as u64);
    for (path, entry) in head_files {
        if !in_head.contains(path.as_path()) {
            w.bytes(&crate::platform::bytes_of_path(path));
            entry_bytes.clear();
            entry.encode_to(&mut entry_bytes);
            w.bytes(entry_bytes.as_slice());
        }
    }
    let summary = Summary {
        generation,
        head: head.map(|(id, files)| (*id, files.len())),
        // Only when every file of HEAD has its record: a walk that matches it then found HEAD's
        // content everywhere. (An empty HEAD has no listing: a walk finding no file has none either.)
        listing: (head.is_some() && in_head.len() == head_files.len())
            .then(|| listing_of(&listed))
            .flatten(),
        others: sorted.len() - in_head.len(),
    };
    (summary.encode(), w.finish())
}

fn decode_flag(r: &mut Reader<'_>) -> std::result::Result<bool, DecodeError> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(r.invalid("bad in-head flag")),
    }
}

/// Every record, as a map (the extras are checked too: a damaged cache is dropped whole).
fn decode_records(loaded: &Loaded, head_files: usize) -> std::result::Result<Entries, DecodeError> {
    let mut out = Entries::with_capacity_and_hasher(loaded.records, Default::default());
    let mut records = Records::of(loaded);
    let mut in_head = 0;
    while let Some(rec) = records.next_record()? {
        in_head += usize::from(rec.in_head);
        let visited = false;
        out.insert(
            rec.path.to_vec(),
            Cached {
                stat: rec.stat,
                entry: decode_entry(rec.entry)?,
                visited,
            },
        );
    }
    let extras = records.extras()?;
    if head_files != in_head + extras.len() {
        return Err(DecodeError::Invalid {
            what: "stat cache",
            detail: "wrong number of HEAD's files".into(),
        });
    }
    Ok(out)
}

/// HEAD's files from a cache: the records marked as HEAD's and the extra list, merged in path order.
fn decode_head_files(
    loaded: &Loaded,
) -> std::result::Result<BTreeMap<PathBuf, TreeEntry>, DecodeError> {
    let mut files = Vec::new();
    let mut records = Records::of(loaded);
    while let Some(rec) = records.next_record()? {
        if rec.in_head {
            files.push((
                crate::platform::path_from_bytes(rec.path),
                decode_entry(rec.entry)?,
            ));
        }
    }
    files.extend(records.extras()?);
    // Two sorted runs: the map is built after one merge-friendly sort.
    Ok(files.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::{Content, ObjectId};

    fn entry(name: &str, hash: u8) -> TreeEntry {
        TreeEntry {
            name: name.as_bytes().to_vec(),
            mode: 0o644,
            mtime_secs: 1,
            mtime_nanos: 2,
            kind: EntryKind::File {
                size: 3,
                hash: ObjectId::from_bytes([hash; 32]),
                storage: FileStorage::Raw(Content::EMPTY),
            },
        }
    }

    fn head_of<const N: usize>(files: [(&str, TreeEntry); N]) -> BTreeMap<PathBuf, TreeEntry> {
        files
            .into_iter()
            .map(|(p, e)| (PathBuf::from(p), e))
            .collect()
    }

    fn file_with_times(dir: &Path, name: &str, secs: i64) -> (PathBuf, FileStat) {
        let p = dir.join(name);
        std::fs::write(&p, b"abc").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(UNIX_EPOCH + Duration::from_secs(secs as u64))
            .unwrap();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        (p, FileStat::of(&meta))
    }

    /// A cache that has recorded `files` (all with `stat`), as if the command had started long after
    /// they last changed; and HEAD's id.
    fn recorded(files: &[(&str, TreeEntry)], stat: &FileStat) -> (StatCache, ObjectId) {
        let mut cache = StatCache::empty(SystemTime::now());
        // The ctime is now, so the entries are not settled yet: pretend the command started later.
        cache.settled_before = i64::MAX;
        for (path, entry) in files {
            cache.record(Path::new(path), stat, entry.clone());
        }
        (cache, ObjectId::from_bytes([9; 32]))
    }

    /// A cache as `load` leaves it after reading what `encode` wrote (the records read already).
    fn reload((summary, records): (Vec<u8>, Vec<u8>)) -> StatCache {
        let mut cache = StatCache::empty(SystemTime::now());
        cache.summary = Summary::decode(&summary).unwrap();
        cache.body = Body::Read(Loaded::read(records, &cache.summary.generation).unwrap());
        cache
    }

    #[test]
    fn encoding_round_trips() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let (mut cache, head_id) = recorded(
            &[
                ("Samples/kick.wav", entry("kick.wav", 7)),
                ("Samples/snare.wav", entry("snare.wav", 8)),
            ],
            &meta,
        );
        // HEAD: kick as cached, snare with other content, and a file the cache does not know.
        let head = head_of([
            ("Samples/kick.wav", entry("kick.wav", 7)),
            ("Samples/snare.wav", entry("snare.wav", 1)),
            ("Set.als", entry("Set.als", 2)),
        ]);
        let (summary, records) =
            encode(cache.entries(), Some(&(head_id, Arc::new(head.clone()))), 5);
        let mut back = reload((summary.clone(), records.clone()));
        assert_eq!(back.summary.head, Some((head_id, 3)));
        // Not every file of HEAD has its record: no listing, nothing is ever taken as unchanged.
        assert_eq!(back.summary.listing, None);
        assert_eq!(back.summary.others, 1, "snare's record is not HEAD's");
        assert!(back.unchanged_since(&head_id, &[0; 32]).is_none());
        assert_eq!(back.head_files(&head_id).as_deref(), Some(&head));
        let entries = back.entries();
        let c = &entries[&b"Samples/kick.wav"[..]];
        assert_eq!(c.stat, meta);
        assert_eq!(c.entry, entry("kick.wav", 7));
        assert_eq!(entries.len(), 2);
        // A truncated body, or the body of another summary, is rejected whole.
        let generation = Summary::decode(&summary).unwrap().generation;
        let cut = Loaded::read(records[..records.len() - 1].to_vec(), &generation);
        assert!(cut.is_err() || decode_records(&cut.unwrap(), 3).is_err());
        assert!(Loaded::read(records.clone(), &[0; 16]).is_err());
        // So is a body whose count of HEAD's files does not add up.
        let loaded = Loaded::read(records, &generation).unwrap();
        assert!(decode_records(&loaded, 2).is_err());
    }

    /// A version-2 cache (daw before the summary) is still read: upgrading daw does not make the
    /// next command read every file of the project again.
    #[test]
    fn a_version_2_cache_is_read() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let (mut cache, head_id) = recorded(&[("a", entry("a", 1)), ("d/b", entry("b", 2))], &meta);
        let head = head_of([
            ("a", entry("a", 1)),
            ("d/b", entry("b", 2)),
            ("x", entry("x", 3)),
        ]);
        let (_, records) = encode(cache.entries(), Some(&(head_id, Arc::new(head.clone()))), 5);
        // Version 2 had the header of version 3's summary in front of the same records.
        let mut r = Reader::new(&records, "test");
        r.uvar().unwrap();
        r.take(16).unwrap();
        r.ivar().unwrap();
        let count = r.uvar().unwrap();
        let rest = &records[records.len() - r.remaining()..];
        let mut w = Writer::new();
        w.uvar(2)
            .ivar(5)
            .u8(1)
            .id(&head_id)
            .uvar(count)
            .uvar(3)
            .raw(rest);
        let (summary, loaded) = Loaded::read_version2(w.finish()).unwrap();
        assert_eq!(summary.head, Some((head_id, 3)));
        assert_eq!(summary.listing, None);
        let mut back = StatCache::empty(SystemTime::now());
        back.summary = summary;
        back.body = Body::Read(loaded);
        assert_eq!(back.head_files(&head_id).as_deref(), Some(&head));
        assert_eq!(back.lookup(Path::new("d/b"), &meta), Some(&entry("b", 2)));
        // Anything else is not a version-2 cache.
        let mut w = Writer::new();
        w.uvar(3).ivar(5).u8(0).uvar(0).uvar(0).uvar(0);
        assert!(Loaded::read_version2(w.finish()).is_err());
    }

    #[test]
    fn the_listing_is_there_only_when_every_head_file_has_its_record() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let (mut cache, head_id) = recorded(&[("a", entry("a", 1)), ("d/b", entry("b", 2))], &meta);
        let head = head_of([("a", entry("a", 1)), ("d/b", entry("b", 2))]);
        let back = reload(encode(cache.entries(), Some(&(head_id, Arc::new(head))), 5));
        let expected = listing_of(&[(b"a", &meta), (b"d/b", &meta)]).unwrap();
        assert_eq!(back.summary.listing, Some(expected));
        assert_eq!(back.unchanged_since(&head_id, &expected), Some(2));
        assert!(!back.has_stale_records());
        // Another HEAD, or another listing, is not unchanged.
        assert!(
            back.unchanged_since(&ObjectId::from_bytes([1; 32]), &expected)
                .is_none()
        );
        let mut other = meta;
        other.ctime.1 ^= 1;
        let moved = listing_of(&[(b"a", &meta), (b"d/b", &other)]).unwrap();
        assert_ne!(moved, expected);
        assert!(back.unchanged_since(&head_id, &moved).is_none());
        // A file moved to another folder, or renamed, lists differently too.
        assert_ne!(listing_of(&[(b"a", &meta), (b"b", &meta)]), Some(expected));
        assert_ne!(
            listing_of(&[(b"a", &meta), (b"e/b", &meta)]),
            Some(expected)
        );
        assert_ne!(listing_of(&[(b"a", &meta)]), Some(expected));
    }

    /// The listing the walk builds, folder by folder, is the one the cache builds from its sorted
    /// records: the fast path of `daw status` depends on it.
    #[test]
    fn the_walk_and_the_records_list_the_same_way() {
        use crate::worktree::ignore::Ignores;
        use crate::worktree::walk::{Found, Listing, walk};
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        // Names that sort differently as whole paths and component by component.
        for rel in [
            "a/x",
            "a b/x",
            "a-c",
            "a.txt",
            "Samples/Imported/k 1.wav",
            "Samples/z.wav",
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, rel).unwrap();
        }
        std::fs::create_dir_all(root.join("empty/deeper")).unwrap();
        let walk_root = || {
            walk(
                root,
                Path::new(""),
                &Ignores::new(),
                &root.join(".daw"),
                &mut 0,
            )
        };
        let found = walk_root();
        let Found::Dir(_, _, Listing::Digest(walked)) = &found else {
            panic!("the walk lists the files");
        };
        let mut files = Vec::new();
        fn flat(found: &Found, path: &mut Vec<u8>, out: &mut Vec<(Vec<u8>, FileStat)>) {
            match found {
                Found::File(stat) => out.push((path.clone(), *stat)),
                Found::Dir(_, children, _) => {
                    for (name, child) in children {
                        let len = path.len();
                        if len > 0 {
                            path.push(b'/');
                        }
                        path.extend_from_slice(name);
                        flat(child, path, out);
                        path.truncate(len);
                    }
                }
                _ => panic!("only files here"),
            }
        }
        flat(&found, &mut Vec::new(), &mut files);
        assert_eq!(files.len(), 6);
        let mut sorted: Vec<(&[u8], &FileStat)> = files.iter().map(|(p, s)| (&p[..], s)).collect();
        sorted.sort_by(|a, b| {
            crate::platform::path_of_bytes(a.0).cmp(&crate::platform::path_of_bytes(b.0))
        });
        let records = sorted;
        assert_eq!(listing_of(&records).as_ref(), Some(&**walked));
        // A symlink below a folder takes the whole walk out of the fast path.
        crate::platform::symlink(b"a.txt", &root.join("a/link")).unwrap();
        assert!(matches!(walk_root(), Found::Dir(_, _, Listing::Unlisted)));
    }

    #[test]
    fn a_file_changed_in_the_same_second_as_the_command_is_not_cached() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let ctime = meta.ctime.0;
        // A command that started in the same second as the file's last change: racy, not cached.
        let mut cache = StatCache::empty(SystemTime::now());
        cache.settled_before = ctime;
        cache.record(Path::new("a"), &meta, entry("a", 1));
        assert!(cache.is_empty());
        // One second later, the same stat is settled and cached.
        cache.settled_before = ctime + 1;
        cache.record(Path::new("a"), &meta, entry("a", 1));
        assert_eq!(cache.len(), 1);
        // An mtime set into the future (an archive from a skewed clock) is never trusted.
        let (_, future) = file_with_times(tmp.path(), "b", 4_000_000_000);
        cache.record(Path::new("b"), &future, entry("b", 1));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn lookup_needs_every_stat_field_to_match() {
        let tmp = tempfile::tempdir().unwrap();
        let (p, meta) = file_with_times(tmp.path(), "a", 1_000);
        let mut cache = StatCache::empty(SystemTime::now());
        cache.entries().insert(
            b"a".to_vec(),
            Cached {
                stat: meta,
                entry: entry("a", 1),
                visited: false,
            },
        );
        assert_eq!(cache.lookup(Path::new("a"), &meta), Some(&entry("a", 1)));
        // Same size and mtime, new content: the ctime moved.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&p, b"xyz").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(UNIX_EPOCH + Duration::from_secs(1_000))
            .unwrap();
        let after = FileStat::of(&std::fs::symlink_metadata(&p).unwrap());
        assert_eq!(after.size, meta.size);
        assert_eq!(after.mtime, meta.mtime);
        assert_eq!(cache.lookup(Path::new("a"), &after), None);
        assert_eq!(cache.stats.hits, 1);
        assert_eq!(cache.stats.misses, 1);
    }

    #[test]
    fn settled_before_is_the_whole_second_before_the_clock_lag() {
        let t = UNIX_EPOCH + Duration::from_millis(10_050);
        assert_eq!(settled_before(t), 9);
        let t = UNIX_EPOCH + Duration::from_millis(10_500);
        assert_eq!(settled_before(t), 10);
    }
}
