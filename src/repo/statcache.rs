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

use std::collections::{HashMap, HashSet};
use std::fs::Metadata;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::object::{EntryKind, FileStorage, Reader, TreeEntry, Writer};
use crate::store::Store;

use super::{Repository, Result, fsutil};

/// Version of the cache encoding.
const CACHE_VERSION: u64 = 1;
/// How far the coarse kernel clock that stamps files may lag behind the system clock.
const CLOCK_LAG: Duration = Duration::from_millis(100);

/// The `lstat` fields that must all be unchanged for a cached entry to be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub size: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub ino: u64,
    pub dev: u64,
    pub mode: u32,
}

impl FileStat {
    pub fn of(meta: &Metadata) -> Self {
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
}

/// Counts for `--verbose` and the benchmark.
#[derive(Clone, Copy, Debug, Default)]
pub struct CacheStats {
    /// Files whose cached entry was used.
    pub hits: u64,
    /// Files that had to be read.
    pub misses: u64,
}

/// The cache: loaded, then updated as files are looked up and read.
pub struct StatCache {
    entries: HashMap<PathBuf, Cached>,
    /// Paths looked up or recorded since loading.
    visited: HashSet<PathBuf>,
    settled_before: i64,
    /// Whether `entries` differs from what is on disk.
    dirty: bool,
    pub stats: CacheStats,
}

const SEAL_NAME: &str = "stat";
const SEAL_WHAT: &str = "stat cache";

fn cache_path(repo: &Repository) -> PathBuf {
    repo.daw_dir().join("cache").join("stat")
}

impl StatCache {
    /// An empty cache for a command that started reading at `start`.
    pub fn empty(start: SystemTime) -> Self {
        Self {
            entries: HashMap::new(),
            visited: HashSet::new(),
            settled_before: settled_before(start),
            dirty: false,
            stats: CacheStats::default(),
        }
    }

    /// Loads the cache; anything unreadable counts as an empty cache.
    pub fn load(repo: &Repository, start: SystemTime) -> Self {
        let mut cache = Self::empty(start);
        let Ok(sealed) = std::fs::read(cache_path(repo)) else {
            return cache;
        };
        let Ok(plain) = repo.store().open_file(SEAL_WHAT, SEAL_NAME, &sealed) else {
            cache.dirty = true;
            return cache;
        };
        match decode(&plain) {
            Ok(entries) => cache.entries = entries,
            Err(_) => cache.dirty = true,
        }
        cache
    }

    /// How many files the cache knows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The cached entry for the file at `rel` if its `lstat` is unchanged.
    pub fn lookup(&mut self, rel: &Path, meta: &Metadata) -> Option<TreeEntry> {
        let stat = FileStat::of(meta);
        if !self.visited.contains(rel) {
            self.visited.insert(rel.to_path_buf());
        }
        match self.entries.get(rel) {
            Some(c) if c.stat == stat => {
                self.stats.hits += 1;
                Some(c.entry.clone())
            }
            stale => {
                if stale.is_some() {
                    self.entries.remove(rel);
                    self.dirty = true;
                }
                self.stats.misses += 1;
                None
            }
        }
    }

    /// Like `lookup`, for a commit: also checks that the blobs the entry names are in the store (a
    /// commit must never refer to something missing).
    pub fn lookup_stored(
        &mut self,
        rel: &Path,
        meta: &Metadata,
        store: &Store,
    ) -> Option<TreeEntry> {
        let entry = self.lookup(rel, meta)?;
        let EntryKind::File { storage, .. } = &entry.kind else {
            return None;
        };
        let content = match storage {
            FileStorage::Raw(c) => c,
            FileStorage::GzipPayload { payload, .. } => payload,
        };
        if content.tree.is_some_and(|t| !store.contains(&t.root)) {
            self.stats.hits -= 1;
            self.stats.misses += 1;
            self.entries.remove(rel);
            self.dirty = true;
            return None;
        }
        Some(entry)
    }

    /// Records what reading the file at `rel` (whose `lstat` was `meta` before and after reading)
    /// produced. Files changed too recently to be trusted are left out (see the module docs).
    pub fn record(&mut self, rel: &Path, meta: &Metadata, entry: TreeEntry) {
        if !self.visited.contains(rel) {
            self.visited.insert(rel.to_path_buf());
        }
        if !matches!(entry.kind, EntryKind::File { .. }) {
            return;
        }
        let stat = FileStat::of(meta);
        if stat.mtime.0 >= self.settled_before || stat.ctime.0 >= self.settled_before {
            return;
        }
        self.entries
            .insert(rel.to_path_buf(), Cached { stat, entry });
        self.dirty = true;
    }

    /// Drops the files not looked up since loading: after a walk of the whole project, they are gone.
    pub fn prune_unvisited(&mut self) {
        let before = self.entries.len();
        let visited = &self.visited;
        self.entries.retain(|p, _| visited.contains(p));
        if self.entries.len() != before {
            self.dirty = true;
        }
    }

    /// Writes the cache if it changed since it was loaded.
    pub fn save(&self, repo: &Repository) -> Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let path = cache_path(repo);
        let dir = path.parent().expect("the cache path has a folder");
        std::fs::create_dir_all(dir).map_err(|e| super::RepoError::io(dir, e))?;
        let plain = encode(&self.entries, self.settled_before);
        let sealed = repo.store().seal_file(SEAL_WHAT, SEAL_NAME, &plain);
        fsutil::write_atomic(&path, &sealed)
    }
}

/// For `daw commit`: moves the files whose cached entry can be reused from `to_read` into `files`,
/// and returns the rest (to be read).
pub(crate) fn reuse_for_commit(
    cache: &mut StatCache,
    store: &Store,
    to_read: Vec<(PathBuf, Metadata)>,
    files: &mut HashMap<PathBuf, Option<TreeEntry>>,
) -> Vec<(PathBuf, Metadata)> {
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
    read: &[(PathBuf, Metadata)],
    files: &HashMap<PathBuf, Option<TreeEntry>>,
) {
    for (rel, walked) in read {
        let Some(Some(entry)) = files.get(rel) else {
            continue;
        };
        let Ok(now) = std::fs::symlink_metadata(work_tree.join(rel)) else {
            continue;
        };
        if FileStat::of(&now) == FileStat::of(walked) {
            cache.record(rel, walked, entry.clone());
        }
    }
}

/// `version ‖ settled_before (ivar) ‖ count ‖ (path (bytes) ‖ stat ‖ tree entry)*`, paths sorted.
fn encode(entries: &HashMap<PathBuf, Cached>, settled_before: i64) -> Vec<u8> {
    let mut sorted: Vec<(&PathBuf, &Cached)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut w = Writer::new();
    w.uvar(CACHE_VERSION)
        .ivar(settled_before)
        .uvar(sorted.len() as u64);
    for (path, c) in sorted {
        w.bytes(path.as_os_str().as_bytes());
        c.stat.encode(&mut w);
        c.entry.encode_to(&mut w);
    }
    w.finish()
}

fn decode(
    plain: &[u8],
) -> std::result::Result<HashMap<PathBuf, Cached>, crate::object::DecodeError> {
    let mut r = Reader::new(plain, "stat cache");
    r.version(CACHE_VERSION)?;
    let _written_settled_before = r.ivar()?;
    let n = r.count(16)?;
    let mut out = HashMap::with_capacity(n);
    for _ in 0..n {
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(r.bytes()?));
        let stat = FileStat::decode(&mut r)?;
        let entry = TreeEntry::decode_from(&mut r)?;
        out.insert(path, Cached { stat, entry });
    }
    r.finish()?;
    Ok(out)
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

    fn file_with_times(dir: &Path, name: &str, secs: i64) -> (PathBuf, Metadata) {
        let p = dir.join(name);
        std::fs::write(&p, b"abc").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(UNIX_EPOCH + Duration::from_secs(secs as u64))
            .unwrap();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        (p, meta)
    }

    #[test]
    fn encoding_round_trips() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let mut cache = StatCache::empty(SystemTime::now());
        // The ctime is now, so the entry is not settled yet: pretend the command started later.
        cache.settled_before = i64::MAX;
        cache.record(Path::new("Samples/kick.wav"), &meta, entry("kick.wav", 7));
        let plain = encode(&cache.entries, 5);
        let back = decode(&plain).unwrap();
        let c = &back[Path::new("Samples/kick.wav")];
        assert_eq!(c.stat, FileStat::of(&meta));
        assert_eq!(c.entry, entry("kick.wav", 7));
        assert!(decode(&plain[..plain.len() - 1]).is_err());
    }

    #[test]
    fn a_file_changed_in_the_same_second_as_the_command_is_not_cached() {
        let tmp = tempfile::tempdir().unwrap();
        let (_, meta) = file_with_times(tmp.path(), "a", 1_000);
        let ctime = meta.ctime();
        // A command that started in the same second as the file's last change: racy, not cached.
        let mut cache = StatCache::empty(SystemTime::now());
        cache.settled_before = ctime;
        cache.record(Path::new("a"), &meta, entry("a", 1));
        assert!(cache.entries.is_empty());
        // One second later, the same stat is settled and cached.
        cache.settled_before = ctime + 1;
        cache.record(Path::new("a"), &meta, entry("a", 1));
        assert_eq!(cache.entries.len(), 1);
        // An mtime set into the future (an archive from a skewed clock) is never trusted.
        let (_, future) = file_with_times(tmp.path(), "b", 4_000_000_000);
        cache.record(Path::new("b"), &future, entry("b", 1));
        assert_eq!(cache.entries.len(), 1);
    }

    #[test]
    fn lookup_needs_every_stat_field_to_match() {
        let tmp = tempfile::tempdir().unwrap();
        let (p, meta) = file_with_times(tmp.path(), "a", 1_000);
        let mut cache = StatCache::empty(SystemTime::now());
        cache.entries.insert(
            PathBuf::from("a"),
            Cached {
                stat: FileStat::of(&meta),
                entry: entry("a", 1),
            },
        );
        assert_eq!(cache.lookup(Path::new("a"), &meta), Some(entry("a", 1)));
        // Same size and mtime, new content: the ctime moved.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&p, b"xyz").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(UNIX_EPOCH + Duration::from_secs(1_000))
            .unwrap();
        let after = std::fs::symlink_metadata(&p).unwrap();
        assert_eq!(after.len(), meta.len());
        assert_eq!(after.mtime(), meta.mtime());
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
