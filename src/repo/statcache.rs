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
//! The cache is local, sealed like every other file under the repository (it names the project's
//! files), written atomically, and only ever a hint: a missing, damaged, foreign or newer-version
//! cache is ignored and rebuilt. Format: `docs/FORMAT.md`, "Stat cache".

use std::collections::{BTreeMap, HashMap, HashSet};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::object::{DecodeError, EntryKind, FileStorage, ObjectId, Reader, TreeEntry, Writer};
use crate::store::Store;

use super::{Repository, Result, fsutil};

/// Version of the cache encoding.
const CACHE_VERSION: u64 = 2;
/// How far the coarse kernel clock that stamps files may lag behind the system clock.
const CLOCK_LAG: Duration = Duration::from_millis(100);

pub use super::worktree::FileStat;

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

fn key(rel: &Path) -> &[u8] {
    rel.as_os_str().as_bytes()
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

/// The cache as read from disk: the plaintext, decoded only as far as a command needs. `daw status`
/// of an unchanged project reads the paths and stats in order and never builds a map.
#[derive(Default)]
struct Loaded {
    plain: Vec<u8>,
    /// The commit the cache was written for, and how many files it has (`in_head` records + extras).
    head: Option<(ObjectId, usize)>,
    /// Where the records start, and how many there are.
    records_at: usize,
    records: usize,
}

/// The cache: loaded, then updated as files are looked up and read.
pub struct StatCache {
    loaded: Loaded,
    /// The records as a map, decoded from `loaded` on first use.
    entries: Option<Entries>,
    /// HEAD's files when a command set them (else they are in `loaded`).
    head: Option<(ObjectId, HeadFiles)>,
    settled_before: i64,
    /// Whether the cache differs from what is on disk.
    dirty: bool,
    pub stats: CacheStats,
}

const SEAL_NAME: &str = "stat";
const SEAL_WHAT: &str = "stat cache";

fn cache_path(repo: &Repository) -> PathBuf {
    repo.daw_dir().join("cache").join("stat")
}

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
            let path = PathBuf::from(std::ffi::OsStr::from_bytes(self.r.bytes()?));
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

/// A pass over the records that checks, file by file in walk order, that each is unchanged since
/// HEAD: see [`StatCache::head_check`]. The records are decoded when the check is made (while the
/// walk still runs), so that comparing them with the walk's results is all that is left after it.
pub struct HeadCheck<'a> {
    /// HEAD's files as recorded, in path order.
    records: Vec<(&'a [u8], FileStat)>,
    /// Files matched so far.
    matched: usize,
    /// HEAD's files (their records and the extras).
    expected: usize,
    /// Records that are not HEAD's (stale ones the next full pass prunes).
    others: usize,
    failed: bool,
}

impl<'a> HeadCheck<'a> {
    fn of(loaded: &'a Loaded, expected: usize) -> Self {
        let mut check = Self {
            records: Vec::with_capacity(loaded.records),
            matched: 0,
            expected,
            others: 0,
            failed: false,
        };
        let mut records = Records::of(loaded);
        loop {
            match records.next_record() {
                Ok(Some(rec)) if rec.in_head => check.records.push((rec.path, rec.stat)),
                Ok(Some(_)) => check.others += 1,
                Ok(None) => break,
                Err(_) => {
                    check.failed = true;
                    break;
                }
            }
        }
        check
    }

    /// Whether the next file of the walk, at `path` with `stat`, is the next of HEAD's files and has
    /// the stat the cache recorded for it.
    pub fn next_is_unchanged(&mut self, path: &[u8], stat: &FileStat) -> bool {
        if self.failed {
            return false;
        }
        match self.records.get(self.matched) {
            Some((p, s)) if *p == path && s == stat => {
                self.matched += 1;
                true
            }
            _ => {
                self.failed = true;
                false
            }
        }
    }

    /// After the last file: whether every file of HEAD was matched, and whether stale records remain.
    pub fn finish(self) -> (bool, bool) {
        (
            !self.failed && self.matched == self.records.len() && self.matched == self.expected,
            self.others > 0,
        )
    }
}

impl StatCache {
    /// An empty cache for a command that started reading at `start`.
    pub fn empty(start: SystemTime) -> Self {
        Self {
            loaded: Loaded::default(),
            entries: None,
            head: None,
            settled_before: settled_before(start),
            dirty: false,
            stats: CacheStats::default(),
        }
    }

    /// Loads the cache; anything unreadable counts as an empty cache.
    pub fn load(repo: &Repository, start: SystemTime) -> Self {
        let mut cache = Self::empty(start);
        let Ok(mut plain) = std::fs::read(cache_path(repo)) else {
            return cache;
        };
        if repo
            .store()
            .open_file_in_place(SEAL_WHAT, SEAL_NAME, &mut plain)
            .is_err()
        {
            cache.dirty = true;
            return cache;
        }
        match Loaded::read(plain) {
            Ok(loaded) => cache.loaded = loaded,
            Err(_) => cache.dirty = true,
        }
        cache
    }

    /// The records as a map (decoded now if they were not yet; a damaged cache counts as empty).
    fn entries(&mut self) -> &mut Entries {
        if self.entries.is_none() {
            let decoded = decode_records(&self.loaded);
            if decoded.is_err() {
                self.loaded = Loaded::default();
                self.dirty = true;
            }
            self.entries = Some(decoded.unwrap_or_default());
        }
        self.entries.as_mut().expect("decoded above")
    }

    /// The files of commit `head` as recorded with the cache, if it was written for that commit.
    pub fn head_files(&self, head: &ObjectId) -> Option<HeadFiles> {
        if let Some((id, files)) = &self.head {
            return (id == head).then(|| files.clone());
        }
        match self.loaded.head {
            Some((id, _)) if id == *head => decode_head_files(&self.loaded).ok().map(Arc::new),
            _ => None,
        }
    }

    /// Checks the walk against HEAD's files as the cache recorded them, if it was written for commit
    /// `head` and nothing changed it since it was loaded.
    pub fn head_check(&self, head: &ObjectId) -> Option<HeadCheck<'_>> {
        if self.head.is_some() || self.entries.is_some() {
            return None;
        }
        match self.loaded.head {
            Some((id, count)) if id == *head => Some(HeadCheck::of(&self.loaded, count)),
            _ => None,
        }
    }

    /// Records that HEAD is now `head` with these files (written with the cache).
    pub fn set_head(&mut self, head: ObjectId, files: HeadFiles) {
        let before = match &self.head {
            Some((id, _)) => Some(*id),
            None => self.loaded.head.map(|(id, _)| id),
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
        let hit = match entries.get_mut(key(rel)) {
            Some(c) if c.stat == stat => {
                c.visited = true;
                true
            }
            Some(_) => {
                entries.remove(key(rel));
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
        self.entries().get(key(rel)).map(|c| &c.entry)
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
            self.entries().remove(key(rel));
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
            key(rel).to_vec(),
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

    /// After a [`HeadCheck`] found every file unchanged: keeps only HEAD's records.
    pub fn keep_head_records(&mut self) {
        let Ok(head) = Records::of(&self.loaded).head_paths() else {
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

    /// Writes the cache if it changed since it was loaded.
    pub fn save(&mut self, repo: &Repository) -> Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let path = cache_path(repo);
        let dir = path.parent().expect("the cache path has a folder");
        std::fs::create_dir_all(dir).map_err(|e| super::RepoError::io(dir, e))?;
        let head = match (&self.head, self.loaded.head) {
            (Some((id, files)), _) => Some((*id, files.clone())),
            (None, Some((id, _))) => decode_head_files(&self.loaded)
                .ok()
                .map(|files| (id, Arc::new(files))),
            (None, None) => None,
        };
        let settled_before = self.settled_before;
        let plain = encode(self.entries(), head.as_ref(), settled_before);
        let sealed = repo.store().seal_file(SEAL_WHAT, SEAL_NAME, &plain);
        fsutil::write_atomic(&path, &sealed)
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

impl Loaded {
    fn read(plain: Vec<u8>) -> std::result::Result<Self, DecodeError> {
        let mut r = Reader::new(&plain, "stat cache");
        r.version(CACHE_VERSION)?;
        let _written_settled_before = r.ivar()?;
        let head = match r.u8()? {
            0 => None,
            1 => Some(r.id()?),
            _ => return Err(r.invalid("bad head marker")),
        };
        let records = r.count(16)?;
        let head_files = r.uvar()?;
        let head = match head {
            Some(id) => Some((
                id,
                usize::try_from(head_files).map_err(|_| r.invalid("count"))?,
            )),
            None if head_files == 0 => None,
            None => return Err(r.invalid("files listed for no commit")),
        };
        let records_at = plain.len() - r.remaining();
        Ok(Self {
            plain,
            head,
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

/// `version ‖ settled_before (ivar) ‖ head ‖ count ‖ head file count ‖ (path ‖ in_head (u8) ‖ stat ‖
/// tree entry (bytes))* ‖ extra count ‖ (path ‖ tree entry (bytes))*`, both lists sorted by path
/// (`docs/FORMAT.md`, "Stat cache"). `head` is 0, or 1 and a commit id; `in_head` says the entry is
/// also that commit's entry for the path, and the extra list holds the commit's other files, so its
/// whole file list is kept without writing an entry twice.
fn encode(entries: &Entries, head: Option<&(ObjectId, HeadFiles)>, settled_before: i64) -> Vec<u8> {
    let mut sorted: Vec<(&Path, &Cached)> = entries
        .iter()
        .map(|(p, c)| (Path::new(std::ffi::OsStr::from_bytes(p)), c))
        .collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let empty = BTreeMap::new();
    let head_files = head.map_or(&empty, |(_, f)| f.as_ref());
    let mut w = Writer::new();
    w.uvar(CACHE_VERSION).ivar(settled_before);
    match head {
        Some((id, _)) => w.u8(1).id(id),
        None => w.u8(0),
    };
    w.uvar(sorted.len() as u64).uvar(head_files.len() as u64);
    let mut in_head = HashSet::new();
    let mut entry_bytes = Writer::new();
    for (path, c) in sorted {
        let same = head_files.get(path) == Some(&c.entry);
        if same {
            in_head.insert(path);
        }
        w.bytes(path.as_os_str().as_bytes()).u8(u8::from(same));
        c.stat.encode(&mut w);
        entry_bytes.clear();
        c.entry.encode_to(&mut entry_bytes);
        w.bytes(entry_bytes.as_slice());
    }
    w.uvar((head_files.len() - in_head.len()) as u64);
    for (path, entry) in head_files {
        if !in_head.contains(path.as_path()) {
            w.bytes(path.as_os_str().as_bytes());
            entry_bytes.clear();
            entry.encode_to(&mut entry_bytes);
            w.bytes(entry_bytes.as_slice());
        }
    }
    w.finish()
}

fn decode_flag(r: &mut Reader<'_>) -> std::result::Result<bool, DecodeError> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(r.invalid("bad in-head flag")),
    }
}

/// Every record, as a map (the extras are checked too: a damaged cache is dropped whole).
fn decode_records(loaded: &Loaded) -> std::result::Result<Entries, DecodeError> {
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
    if loaded.head.map_or(0, |(_, n)| n) != in_head + extras.len() {
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
                PathBuf::from(std::ffi::OsStr::from_bytes(rec.path)),
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

    #[test]
    fn encoding_round_trips() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let mut cache = StatCache::empty(SystemTime::now());
        // The ctime is now, so the entry is not settled yet: pretend the command started later.
        cache.settled_before = i64::MAX;
        cache.record(Path::new("Samples/kick.wav"), &meta, entry("kick.wav", 7));
        cache.record(Path::new("Samples/snare.wav"), &meta, entry("snare.wav", 8));
        // HEAD: kick as cached, snare with other content, and a file the cache does not know.
        let head_id = ObjectId::from_bytes([9; 32]);
        let head = head_of([
            ("Samples/kick.wav", entry("kick.wav", 7)),
            ("Samples/snare.wav", entry("snare.wav", 1)),
            ("Set.als", entry("Set.als", 2)),
        ]);
        let plain = encode(cache.entries(), Some(&(head_id, Arc::new(head.clone()))), 5);
        let loaded = Loaded::read(plain.clone()).unwrap();
        assert_eq!(loaded.head, Some((head_id, 3)));
        let back = decode_records(&loaded).unwrap();
        let c = &back[&b"Samples/kick.wav"[..]];
        assert_eq!(c.stat, meta);
        assert_eq!(c.entry, entry("kick.wav", 7));
        assert_eq!(back.len(), 2);
        assert_eq!(decode_head_files(&loaded).unwrap(), head);
        // The check of an unchanged walk: kick is HEAD's with the same stat, snare is not HEAD's.
        let mut reloaded = StatCache::empty(SystemTime::now());
        reloaded.loaded = loaded;
        let mut check = reloaded.head_check(&head_id).unwrap();
        assert!(check.next_is_unchanged(b"Samples/kick.wav", &meta));
        assert!(!check.next_is_unchanged(b"Samples/snare.wav", &meta));
        assert!(!check.finish().0);
        assert!(
            reloaded
                .head_check(&ObjectId::from_bytes([1; 32]))
                .is_none()
        );
        // A truncated cache is rejected whole.
        let cut = Loaded::read(plain[..plain.len() - 1].to_vec());
        assert!(cut.is_err() || decode_records(&cut.unwrap()).is_err());
    }

    #[test]
    fn a_walk_that_matches_every_head_file_is_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let mut cache = StatCache::empty(SystemTime::now());
        cache.settled_before = i64::MAX;
        cache.record(Path::new("a"), &meta, entry("a", 1));
        cache.record(Path::new("b"), &meta, entry("b", 2));
        let head_id = ObjectId::from_bytes([9; 32]);
        let head = head_of([("a", entry("a", 1)), ("b", entry("b", 2))]);
        let plain = encode(cache.entries(), Some(&(head_id, Arc::new(head))), 5);
        let mut reloaded = StatCache::empty(SystemTime::now());
        reloaded.loaded = Loaded::read(plain).unwrap();
        let mut check = reloaded.head_check(&head_id).unwrap();
        assert!(check.next_is_unchanged(b"a", &meta));
        assert!(check.next_is_unchanged(b"b", &meta));
        assert_eq!(check.finish(), (true, false));
        // A file of HEAD missing from the walk is a change.
        let mut check = reloaded.head_check(&head_id).unwrap();
        assert!(check.next_is_unchanged(b"a", &meta));
        assert!(!check.finish().0);
        // So is a new file in between.
        let mut check = reloaded.head_check(&head_id).unwrap();
        assert!(check.next_is_unchanged(b"a", &meta));
        assert!(!check.next_is_unchanged(b"a2", &meta));
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
