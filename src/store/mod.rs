//! The content-addressed, encrypted object store: chunks, blobs, packs and indexes over a `Backend`.
//!
//! Each layer wraps the one below it: backend (named objects) → sealed blobs in packs → the index
//! table → `Store` (put/get blobs by id, deduplicated). Nothing here knows about files, commits or the
//! terminal.

pub mod backend;
pub mod content;
pub mod crypto;
pub mod index;
pub mod keys;
pub mod pack;
mod sealer;

use std::collections::{HashMap, HashSet};

use crate::object::{BlobKind, ObjectId};

pub use backend::{Backend, BackendError};
pub use content::{ContentReader, Profile, WriteStats};
use index::{IndexFile, IndexTable, Location};
pub use keys::{KdfParams, KeySlot, Keys};
use pack::PackWriter;
use sealer::{SealPool, Sealed};

/// A data pack is closed when it reaches this size.
pub(crate) const DATA_PACK_TARGET: u64 = 64 << 20;
/// A metadata pack is closed when it reaches this size.
pub(crate) const META_PACK_TARGET: u64 = 8 << 20;
/// Loading more index files than this triggers a compaction into one at the next flush.
const INDEX_COMPACT_THRESHOLD: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// Reading the source of new data failed.
    #[error("read error: {0}")]
    Read(#[source] std::io::Error),
    /// A blob the history needs is not in any index.
    #[error("object {0} is missing from the repository")]
    Missing(ObjectId),
    /// A blob exists but is not what it should be.
    #[error("object {id} is damaged: {detail}")]
    Corrupt { id: ObjectId, detail: String },
    #[error(transparent)]
    Blob(#[from] pack::BlobError),
    #[error(transparent)]
    Pack(#[from] pack::PackError),
    #[error(transparent)]
    Index(#[from] index::IndexError),
    /// A sealed file (operation, cache) could not be opened.
    #[error("{what} {name} failed authentication (damaged, or from another repository)")]
    SealedAuth { what: &'static str, name: String },
    #[error("{what} {name} is malformed: {detail}")]
    SealedMalformed {
        what: &'static str,
        name: String,
        detail: String,
    },
}

/// Every index file of the repository, merged into one table.
#[derive(Default)]
struct LoadedIndex {
    table: IndexTable,
    files: Vec<ObjectId>,
}

/// What one flush wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct FlushStats {
    pub packs: u64,
    pub bytes: u64,
}

pub struct Store {
    backend: Backend,
    keys: Keys,
    /// The index files, read on first use: a command that needs no blob (status with a current stat
    /// cache, oplog) never reads them.
    index: std::sync::OnceLock<LoadedIndex>,
    /// Blobs written since the last flush (not yet in the table).
    pending: HashSet<ObjectId>,
    /// Metadata blobs written since the last flush, readable before their pack is complete.
    pending_meta: HashMap<ObjectId, (BlobKind, Vec<u8>)>,
    data_pack: Option<PackWriter>,
    meta_pack: Option<PackWriter>,
    /// Packs closed since the last flush, waiting for their index.
    closed: Vec<(ObjectId, Vec<pack::PackEntry>)>,
    /// Their fsyncs, which must finish before the index that names them is written.
    syncs: Vec<backend::PendingSync>,
    written_bytes: u64,
    /// Seals data chunks on worker threads (started with the first one).
    sealer: Option<SealPool>,
    /// The index as read again by a reader that found a pack gone (see [`BlobReader`]).
    fallback: std::sync::Mutex<Option<std::sync::Arc<IndexTable>>>,
}

impl Store {
    /// Opens the store; the indexes are read on first use.
    pub fn open(backend: Backend, keys: Keys) -> Result<Self, StoreError> {
        Ok(Self {
            backend,
            keys,
            index: std::sync::OnceLock::new(),
            pending: HashSet::new(),
            pending_meta: HashMap::new(),
            data_pack: None,
            meta_pack: None,
            closed: Vec::new(),
            syncs: Vec::new(),
            written_bytes: 0,
            sealer: None,
            fallback: std::sync::Mutex::new(None),
        })
    }

    /// The index, read now if it was not yet.
    fn loaded(&self) -> Result<&LoadedIndex, StoreError> {
        if let Some(l) = self.index.get() {
            return Ok(l);
        }
        let loaded = self.load_index()?;
        Ok(self.index.get_or_init(|| loaded))
    }

    fn loaded_mut(&mut self) -> Result<&mut LoadedIndex, StoreError> {
        self.loaded()?;
        Ok(self.index.get_mut().expect("loaded above"))
    }

    fn load_index(&self) -> Result<LoadedIndex, StoreError> {
        let (files, table) = read_index_files(&self.backend, &self.keys, false)?;
        Ok(LoadedIndex {
            table,
            files: files.into_iter().map(|(name, _)| name).collect(),
        })
    }

    /// Reads every index file again, whole (for gc, which needs each pack's entries, duplicates
    /// included): they also become this handle's index. Returns them by name.
    pub fn reload_index_files(&mut self) -> Result<Vec<(ObjectId, IndexFile)>, StoreError> {
        let (files, table) = read_index_files(&self.backend, &self.keys, true)?;
        self.index = std::sync::OnceLock::new();
        let _ = self.index.set(LoadedIndex {
            table,
            files: files.iter().map(|(name, _)| *name).collect(),
        });
        self.fallback_clear();
        Ok(files)
    }

    /// Writes an index file (sealed, under a new random name) and adds it to this handle's index;
    /// returns its name. The packs it names must be durable already.
    pub fn write_index_file(&mut self, file: &IndexFile) -> Result<ObjectId, StoreError> {
        let name = random_name();
        let bytes = file.seal(&self.keys.data_key, &name);
        self.backend.put(&index::index_path(&name), bytes)?;
        let index = self.loaded_mut()?;
        for (p, entries) in &file.packs {
            index.table.add_pack(*p, entries);
        }
        index.table.finish();
        index.files.push(name);
        Ok(name)
    }

    /// Forgets what the table this handle's readers fall back on holds (after a reload).
    fn fallback_clear(&self) {
        if let Ok(mut f) = self.fallback.lock() {
            *f = None;
        }
    }

    /// Reads every index file it can, for `fsck`: the readable ones become this handle's index (if
    /// it was not read yet), the damaged ones are returned with the reason instead of stopping.
    pub fn load_index_tolerant(&self) -> Result<Vec<(ObjectId, StoreError)>, StoreError> {
        if self.index.get().is_some() {
            return Ok(Vec::new());
        }
        let mut table = IndexTable::default();
        let mut names = Vec::new();
        let mut bad = Vec::new();
        for listed in self.backend.list("index")? {
            let Some(name) = index::index_name_from_path(&listed.path) else {
                continue;
            };
            let file = self
                .backend
                .get(&listed.path)
                .map_err(StoreError::from)
                .and_then(|bytes| Ok(IndexFile::open(&self.keys.data_key, &name, &bytes)?));
            match file {
                Ok(file) => {
                    for (p, entries) in &file.packs {
                        table.add_pack(*p, entries);
                    }
                    names.push(name);
                }
                Err(e) => bad.push((name, e)),
            }
        }
        table.finish();
        let _ = self.index.set(LoadedIndex {
            table,
            files: names,
        });
        Ok(bad)
    }

    /// Rebuilds what the index lacks from the packs themselves (`fsck --repair`): reads the header of
    /// every pack no readable index names, writes one index file naming them, and only then deletes
    /// the damaged index files given. Returns how many packs were indexed and the packs whose header
    /// could not be read (their blobs are lost unless another copy has them).
    pub fn repair_index(
        &mut self,
        damaged: &[ObjectId],
    ) -> Result<(usize, Vec<(ObjectId, StoreError)>), StoreError> {
        self.load_index_tolerant()?;
        let indexed: HashSet<ObjectId> = self.loaded()?.table.packs().iter().copied().collect();
        let mut file = IndexFile::default();
        let mut unreadable = Vec::new();
        for (name, size) in self.list_packs()? {
            if indexed.contains(&name) {
                continue;
            }
            match pack::read_entries(
                &self.backend,
                &self.keys,
                &name,
                &pack::pack_path(&name),
                size,
            ) {
                Ok(entries) => file.packs.push((name, entries)),
                Err(e) => unreadable.push((name, e)),
            }
        }
        let count = file.packs.len();
        if count > 0 {
            let name = random_name();
            let bytes = file.seal(&self.keys.data_key, &name);
            self.backend.put(&index::index_path(&name), bytes)?;
            let index = self.loaded_mut()?;
            for (p, entries) in &file.packs {
                index.table.add_pack(*p, entries);
            }
            index.table.finish();
            index.files.push(name);
        }
        for name in damaged {
            self.backend.delete(&index::index_path(name))?;
        }
        Ok((count, unreadable))
    }

    /// Loads index files written by other processes since this store was opened (call after taking
    /// the repository lock, before reading what another writer may have just committed).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        if self.index.get().is_none() {
            // Not read yet: the first use reads what is there then.
            return Ok(());
        }
        let known: HashSet<ObjectId> = self.loaded()?.files.iter().copied().collect();
        let listing = self.backend.list("index")?;
        let listed: HashSet<ObjectId> = listing
            .iter()
            .filter_map(|l| index::index_name_from_path(&l.path))
            .collect();
        if !known.is_subset(&listed) {
            // An index file this handle read is gone: a compaction or a gc sweep replaced it, and a
            // sweep also deletes packs. Read everything again, so that nothing deleted is trusted
            // (a blob the old table still lists would be deduplicated against and never stored).
            debug_assert!(self.pending.is_empty(), "refresh before writing");
            let fresh = self.load_index()?;
            self.index = std::sync::OnceLock::new();
            let _ = self.index.set(fresh);
            self.fallback_clear();
            return Ok(());
        }
        let mut found = Vec::new();
        for listed in listing {
            let Some(name) = index::index_name_from_path(&listed.path) else {
                continue;
            };
            if known.contains(&name) {
                continue;
            }
            let bytes = match self.backend.get(&listed.path) {
                Ok(b) => b,
                // Removed by a compaction after we listed it; its replacement is in the listing.
                Err(BackendError::NotFound(_)) => continue,
                Err(e) => return Err(e.into()),
            };
            found.push((name, IndexFile::open(&self.keys.data_key, &name, &bytes)?));
        }
        if found.is_empty() {
            return Ok(());
        }
        let index = self.loaded_mut()?;
        for (name, file) in found {
            for (p, entries) in &file.packs {
                index.table.add_pack(*p, entries);
            }
            index.files.push(name);
        }
        index.table.finish();
        Ok(())
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn index(&self) -> Result<&IndexTable, StoreError> {
        Ok(&self.loaded()?.table)
    }

    /// Bytes written to the backend by this handle (packs and indexes).
    pub fn written_bytes(&self) -> u64 {
        self.written_bytes
    }

    pub fn contains(&self, id: &ObjectId) -> Result<bool, StoreError> {
        Ok(self.pending.contains(id) || self.loaded()?.table.contains(id))
    }

    /// Stores a blob unless it is already there; returns its id and whether it was new.
    pub fn put_blob(
        &mut self,
        kind: BlobKind,
        data: &[u8],
    ) -> Result<(ObjectId, bool), StoreError> {
        let id = self.keys.object_id(data);
        if self.contains(&id)? {
            return Ok((id, false));
        }
        if !kind.is_metadata() {
            self.submit(kind, id, data.to_vec())?;
            return Ok((id, true));
        }
        let sealed = pack::seal_blob(&self.keys.data_key, kind, &id, data);
        self.append(Sealed {
            kind,
            id,
            raw_length: u32::try_from(data.len()).expect("blobs are far below 4 GiB"),
            bytes: sealed,
        })?;
        self.pending.insert(id);
        self.pending_meta.insert(id, (kind, data.to_vec()));
        Ok((id, true))
    }

    /// [`Store::put_blob`] for a data chunk the caller hands over: it is compressed and encrypted on a
    /// worker thread while the caller reads on.
    pub fn put_chunk(&mut self, data: Vec<u8>) -> Result<(ObjectId, bool), StoreError> {
        let id = self.keys.object_id(&data);
        if self.contains(&id)? {
            return Ok((id, false));
        }
        self.submit(BlobKind::Chunk, id, data)?;
        Ok((id, true))
    }

    fn submit(&mut self, kind: BlobKind, id: ObjectId, data: Vec<u8>) -> Result<(), StoreError> {
        self.pending.insert(id);
        let mut pool = match self.sealer.take() {
            Some(p) => p,
            None => SealPool::new(&self.keys.data_key),
        };
        let mut result = pool.submit(kind, id, data, |s| self.append(s));
        while result.is_ok()
            && let Some(s) = pool.try_take()
        {
            result = self.append(s);
        }
        self.sealer = Some(pool);
        result
    }

    /// Stops the sealing threads once every blob in flight is appended: their buffers and zstd
    /// contexts go with them (and the calling thread's contexts too), and the next blob makes them
    /// again. For a process that stays between commits (`daw watch`).
    pub fn release_workers(&mut self) -> Result<(), StoreError> {
        self.drain_sealer()?;
        self.sealer = None;
        pack::release_thread_contexts();
        Ok(())
    }

    /// Waits for every blob still being sealed and appends it.
    fn drain_sealer(&mut self) -> Result<(), StoreError> {
        let Some(mut pool) = self.sealer.take() else {
            return Ok(());
        };
        let mut result = Ok(());
        while let Some(s) = pool.wait() {
            if result.is_ok() {
                result = self.append(s);
            }
        }
        self.sealer = Some(pool);
        result
    }

    /// Appends a sealed blob to the open pack of its kind, closing the pack when it is full.
    fn append(&mut self, s: Sealed) -> Result<(), StoreError> {
        let (slot, target) = if s.kind.is_metadata() {
            (&mut self.meta_pack, META_PACK_TARGET)
        } else {
            (&mut self.data_pack, DATA_PACK_TARGET)
        };
        if slot.is_none() {
            *slot = Some(PackWriter::new(&self.backend)?);
        }
        let writer = slot.as_mut().expect("just set");
        writer.add(s.kind, s.id, s.raw_length, &s.bytes)?;
        if writer.bytes_written() >= target {
            let full = slot.take().expect("present");
            let (name, entries, sync) = full.finish(&self.keys.data_key)?;
            self.closed.push((name, entries));
            self.syncs.push(sync);
        }
        Ok(())
    }

    pub fn locate(&self, id: &ObjectId) -> Result<Location, StoreError> {
        self.loaded()?.table.get(id).ok_or(StoreError::Missing(*id))
    }

    /// Reads, decrypts and verifies a blob (its keyed hash must equal its id).
    pub fn get_blob_as(&self, id: &ObjectId, kind: BlobKind) -> Result<Vec<u8>, StoreError> {
        self.blobs()?.get_blob_as(id, kind)
    }

    /// A handle that reads blobs from several threads at once (reads the index now if it was not).
    pub fn blobs(&self) -> Result<BlobReader<'_>, StoreError> {
        Ok(BlobReader {
            backend: &self.backend,
            keys: &self.keys,
            table: &self.loaded()?.table,
            pending_meta: &self.pending_meta,
            fallback: &self.fallback,
        })
    }

    /// Opens a blob's sealed bytes read from its pack and checks its id.
    pub fn open_sealed_blob(
        &self,
        id: &ObjectId,
        loc: &Location,
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        open_sealed(&self.keys, id, loc, sealed.to_vec())
    }

    /// Closes open packs and writes their index. After this returns, every blob put so far is durable
    /// and readable. Returns what was written.
    pub fn flush(&mut self) -> Result<FlushStats, StoreError> {
        self.drain_sealer()?;
        for slot in [self.data_pack.take(), self.meta_pack.take()]
            .into_iter()
            .flatten()
        {
            let (name, entries, sync) = slot.finish(&self.keys.data_key)?;
            self.closed.push((name, entries));
            self.syncs.push(sync);
        }
        // Packs must be durable before the index that makes them reachable (write order).
        for sync in std::mem::take(&mut self.syncs) {
            sync.wait()?;
        }
        let mut stats = FlushStats::default();
        if self.closed.is_empty() {
            return Ok(stats);
        }
        for (_, entries) in &self.closed {
            stats.packs += 1;
            stats.bytes += entries.iter().map(|e| u64::from(e.length)).sum::<u64>();
        }
        let compact = self.loaded()?.files.len() >= INDEX_COMPACT_THRESHOLD;
        let mut file = IndexFile {
            supersedes: Vec::new(),
            packs: std::mem::take(&mut self.closed),
        };
        if compact {
            file.supersedes = self.loaded()?.files.clone();
            file.packs.extend(self.packs_from_table()?);
        }
        let name = random_name();
        let bytes = file.seal(&self.keys.data_key, &name);
        stats.bytes += bytes.len() as u64;
        self.backend.put(&index::index_path(&name), bytes)?;
        let index = self.loaded_mut()?;
        for (p, entries) in &file.packs {
            index.table.add_pack(*p, entries);
        }
        index.table.finish();
        self.pending.clear();
        self.pending_meta.clear();
        if compact {
            // The new index covers everything; the old ones can go. A crash here leaves duplicates only.
            for old in std::mem::take(&mut self.loaded_mut()?.files) {
                self.backend.delete(&index::index_path(&old))?;
            }
        }
        self.loaded_mut()?.files.push(name);
        self.written_bytes += stats.bytes;
        Ok(stats)
    }

    /// The names of the packs in this store's backend (a listing; packs not yet indexed included).
    pub fn list_packs(&self) -> Result<Vec<(ObjectId, u64)>, StoreError> {
        Ok(self
            .backend
            .list("packs")?
            .into_iter()
            .filter_map(|l| pack::pack_name_from_path(&l.path).map(|n| (n, l.size)))
            .collect())
    }

    /// Reads the packs of a store that has no index files (a remote) from their headers, into this
    /// handle's in-memory index; nothing is written. Returns the packs whose header could not be
    /// read, with the reason.
    pub fn index_from_headers(
        &mut self,
        packs: &[(ObjectId, u64)],
    ) -> Result<Vec<(ObjectId, StoreError)>, StoreError> {
        let mut table = IndexTable::default();
        let mut bad = Vec::new();
        for (name, size) in packs {
            match pack::read_entries(
                &self.backend,
                &self.keys,
                name,
                &pack::pack_path(name),
                *size,
            ) {
                Ok(entries) => table.add_pack(*name, &entries),
                Err(e) => bad.push((*name, e)),
            }
        }
        table.finish();
        self.index = std::sync::OnceLock::new();
        let _ = self.index.set(LoadedIndex {
            table,
            files: Vec::new(),
        });
        Ok(bad)
    }

    /// Makes packs that were copied into this store's backend readable: reads each one's header
    /// (authenticated) and writes one index file naming them all. Packs already indexed are skipped.
    pub fn index_packs(&mut self, packs: &[(ObjectId, u64)]) -> Result<(), StoreError> {
        let indexed: HashSet<ObjectId> = self.loaded()?.table.packs().iter().copied().collect();
        let mut file = IndexFile::default();
        for (name, size) in packs {
            if indexed.contains(name) {
                continue;
            }
            let entries = pack::read_entries(
                &self.backend,
                &self.keys,
                name,
                &pack::pack_path(name),
                *size,
            )?;
            file.packs.push((*name, entries));
        }
        if file.packs.is_empty() {
            return Ok(());
        }
        let name = random_name();
        let bytes = file.seal(&self.keys.data_key, &name);
        self.backend.put(&index::index_path(&name), bytes)?;
        let index = self.loaded_mut()?;
        for (p, entries) in &file.packs {
            index.table.add_pack(*p, entries);
        }
        index.table.finish();
        index.files.push(name);
        Ok(())
    }

    fn packs_from_table(&self) -> Result<Vec<(ObjectId, Vec<pack::PackEntry>)>, StoreError> {
        let mut by_pack: std::collections::BTreeMap<ObjectId, Vec<pack::PackEntry>> =
            Default::default();
        for (id, loc) in self.loaded()?.table.iter() {
            by_pack.entry(loc.pack).or_default().push(pack::PackEntry {
                id,
                kind: loc.kind,
                offset: loc.offset,
                length: loc.length,
                raw_length: loc.raw_length,
            });
        }
        Ok(by_pack
            .into_iter()
            .map(|(p, mut e)| {
                e.sort_by_key(|x| x.offset);
                (p, e)
            })
            .collect())
    }

    /// Seals a small file (an operation, a cache) under the data key, bound to its kind and name.
    pub fn seal_file(&self, what: &'static str, name: &str, plaintext: &[u8]) -> Vec<u8> {
        seal_named(&self.keys, what, name, plaintext)
    }

    /// [`Store::open_file`] in place: `bytes` becomes the plaintext.
    pub fn open_file_in_place(
        &self,
        what: &'static str,
        name: &str,
        bytes: &mut Vec<u8>,
    ) -> Result<(), StoreError> {
        open_named_in_place(&self.keys, what, name, bytes)
    }

    pub fn open_file(
        &self,
        what: &'static str,
        name: &str,
        bytes: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        open_named(&self.keys, what, name, bytes)
    }

    /// Something that opens sealed files later, apart from the store (it holds a copy of the data
    /// key, wiped when dropped).
    pub fn file_opener(&self) -> FileOpener {
        FileOpener(self.keys.data_key.clone())
    }
}

/// Reads and verifies blobs, like [`Store::get_blob_as`], from any thread: a view of a store's backend,
/// keys and index. (`Store` itself is not `Sync`: its sealing pool is not.) It sees what the store held
/// when it was made; the borrow keeps the store from changing meanwhile.
///
/// A pack the index names may be gone: `daw gc` repacked its live blobs into a new pack and deleted
/// it after the grace period (`docs/FORMAT.md`, "Garbage collection", "Readers"). The reader then
/// reads every index file again (once for all the store's readers, until that table fails too) and
/// reads the blob where it is now.
#[derive(Clone, Copy)]
pub struct BlobReader<'s> {
    backend: &'s Backend,
    keys: &'s Keys,
    table: &'s IndexTable,
    pending_meta: &'s HashMap<ObjectId, (BlobKind, Vec<u8>)>,
    fallback: &'s std::sync::Mutex<Option<std::sync::Arc<IndexTable>>>,
}

/// The pack file a reader read from last, kept open for the next blob (blobs of one file mostly sit
/// one after another in one pack). Only for a store in a local folder; one per thread.
#[derive(Default)]
pub struct OpenPack(Option<(ObjectId, std::fs::File)>);

impl<'s> BlobReader<'s> {
    pub fn keys(&self) -> &'s Keys {
        self.keys
    }

    pub fn locate(&self, id: &ObjectId) -> Result<Location, StoreError> {
        self.table.get(id).ok_or(StoreError::Missing(*id))
    }

    /// Reads, decrypts and verifies a blob (its keyed hash must equal its id).
    pub fn get_blob_as(&self, id: &ObjectId, kind: BlobKind) -> Result<Vec<u8>, StoreError> {
        self.get_blob_through(id, kind, &mut OpenPack::default())
    }

    /// [`BlobReader::get_blob_as`], reading through `pack`: the pack file it holds is reused when the
    /// blob is in it, and the blob's pack file is left open in it.
    pub fn get_blob_through(
        &self,
        id: &ObjectId,
        kind: BlobKind,
        pack: &mut OpenPack,
    ) -> Result<Vec<u8>, StoreError> {
        if let Some((k, data)) = self.pending_meta.get(id)
            && *k == kind
        {
            return Ok(data.clone());
        }
        let loc = self.locate(id)?;
        match self.read_at(id, kind, &loc, pack) {
            Err(StoreError::Backend(BackendError::NotFound(_))) => self.read_moved(id, kind, loc),
            result => result,
        }
    }

    /// Reads a blob whose pack was not found: from where a fresh reading of the index places it.
    fn read_moved(
        &self,
        id: &ObjectId,
        kind: BlobKind,
        gone: Location,
    ) -> Result<Vec<u8>, StoreError> {
        let mut gone = gone.pack;
        for _ in 0..3 {
            let table = self.table_without(id, &gone)?;
            let Some(loc) = table.get(id) else {
                return Err(StoreError::Missing(*id));
            };
            match self.read_at(id, kind, &loc, &mut OpenPack::default()) {
                Err(StoreError::Backend(BackendError::NotFound(_))) => gone = loc.pack,
                result => return result,
            }
        }
        Err(StoreError::Missing(*id))
    }

    /// The fallback table, read again unless it already places `id` in a pack other than `gone`.
    fn table_without(
        &self,
        id: &ObjectId,
        gone: &ObjectId,
    ) -> Result<std::sync::Arc<IndexTable>, StoreError> {
        let mut slot = self.fallback.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = slot.as_ref()
            && t.get(id).is_some_and(|l| l.pack != *gone)
        {
            return Ok(t.clone());
        }
        let (_, table) = read_index_files(self.backend, self.keys, false)?;
        let table = std::sync::Arc::new(table);
        *slot = Some(table.clone());
        Ok(table)
    }

    /// Reads a blob at `loc` (reusing the pack file `pack` holds when it is that pack).
    fn read_at(
        &self,
        id: &ObjectId,
        kind: BlobKind,
        loc: &Location,
        pack: &mut OpenPack,
    ) -> Result<Vec<u8>, StoreError> {
        let loc = *loc;
        if loc.kind != kind {
            return Err(StoreError::Corrupt {
                id: *id,
                detail: format!("is a {}, expected a {}", loc.kind.name(), kind.name()),
            });
        }
        let path = pack::pack_path(&loc.pack);
        let Some(file) = self.backend.local_file(&path) else {
            let range = loc.offset..loc.offset + u64::from(loc.length);
            let sealed = self.backend.get_range(&path, range)?;
            return open_sealed(self.keys, id, &loc, sealed.to_vec());
        };
        let io_err = |source| BackendError::Io {
            path: file.display().to_string(),
            source,
        };
        let open = match pack.0.take() {
            Some((name, f)) if name == loc.pack => f,
            _ => std::fs::File::open(&file).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => BackendError::NotFound(path.clone()),
                _ => io_err(e),
            })?,
        };
        let mut sealed = vec![0u8; loc.length as usize];
        match std::os::unix::fs::FileExt::read_exact_at(&open, &mut sealed, loc.offset) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(StoreError::Corrupt {
                    id: *id,
                    detail: "pack is shorter than its index says".into(),
                });
            }
            Err(e) => return Err(io_err(e).into()),
        }
        pack.0 = Some((loc.pack, open));
        open_sealed(self.keys, id, &loc, sealed)
    }
}

/// Reads every index file of a store into one table; with `keep`, also returns each file's
/// content. A concurrent compaction or gc sweep may delete a file between the listing and the
/// reading: then everything is listed and read again (its replacement was written first).
fn read_index_files(
    backend: &Backend,
    keys: &Keys,
    keep: bool,
) -> Result<(Vec<(ObjectId, IndexFile)>, IndexTable), StoreError> {
    let mut attempts = 0;
    'retry: loop {
        attempts += 1;
        let mut table = IndexTable::default();
        let mut files = Vec::new();
        for listed in backend.list("index")? {
            let Some(name) = index::index_name_from_path(&listed.path) else {
                continue;
            };
            let bytes = match backend.get(&listed.path) {
                Ok(b) => b,
                Err(BackendError::NotFound(_)) if attempts < 5 => continue 'retry,
                Err(e) => return Err(e.into()),
            };
            let file = IndexFile::open(&keys.data_key, &name, &bytes)?;
            for (p, entries) in &file.packs {
                table.add_pack(*p, entries);
            }
            files.push((name, if keep { file } else { IndexFile::default() }));
        }
        table.finish();
        return Ok((files, table));
    }
}

/// Opens a blob's sealed bytes read from its pack (decrypted in place) and checks its id.
fn open_sealed(
    keys: &Keys,
    id: &ObjectId,
    loc: &Location,
    sealed: Vec<u8>,
) -> Result<Vec<u8>, StoreError> {
    if sealed.len() != loc.length as usize {
        return Err(StoreError::Corrupt {
            id: *id,
            detail: "pack is shorter than its index says".into(),
        });
    }
    let data = pack::open_blob_in_place(&keys.data_key, loc.kind, id, loc.raw_length, sealed)?;
    if keys.object_id(&data) != *id {
        return Err(StoreError::Corrupt {
            id: *id,
            detail: "content does not match its id".into(),
        });
    }
    Ok(data)
}

/// Opens sealed files ([`Store::open_file_in_place`]) without borrowing the store.
#[derive(Clone)]
pub struct FileOpener(crypto::SecretKey);

impl FileOpener {
    pub fn open_in_place(
        &self,
        what: &'static str,
        name: &str,
        bytes: &mut Vec<u8>,
    ) -> Result<(), StoreError> {
        open_with_key_in_place(&self.0, what, name, bytes)
    }
}

/// `DAWS` ‖ version(1) ‖ sealed(plaintext), AAD = "daw sealed v1" ‖ what ‖ 0 ‖ name.
pub fn seal_named(keys: &Keys, what: &str, name: &str, plaintext: &[u8]) -> Vec<u8> {
    let mut out = b"DAWS\x01".to_vec();
    out.extend(crypto::seal(
        &keys.data_key,
        &named_aad(what, name),
        plaintext,
    ));
    out
}

/// [`open_named`] in place: `bytes` becomes the plaintext.
pub fn open_named_in_place(
    keys: &Keys,
    what: &'static str,
    name: &str,
    bytes: &mut Vec<u8>,
) -> Result<(), StoreError> {
    open_with_key_in_place(&keys.data_key, what, name, bytes)
}

fn open_with_key_in_place(
    key: &crypto::SecretKey,
    what: &'static str,
    name: &str,
    bytes: &mut Vec<u8>,
) -> Result<(), StoreError> {
    check_named_header(what, name, bytes)?;
    crypto::open_in_place(key, &named_aad(what, name), bytes, 5).map_err(|_| {
        StoreError::SealedAuth {
            what,
            name: name.into(),
        }
    })
}

fn check_named_header(what: &'static str, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    if bytes.len() < 5 || &bytes[..4] != b"DAWS" {
        return Err(StoreError::SealedMalformed {
            what,
            name: name.into(),
            detail: "bad magic".into(),
        });
    }
    if bytes[4] != 1 {
        return Err(StoreError::SealedMalformed {
            what,
            name: name.into(),
            detail: format!("unsupported version {}; upgrade daw", bytes[4]),
        });
    }
    Ok(())
}

pub fn open_named(
    keys: &Keys,
    what: &'static str,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<u8>, StoreError> {
    check_named_header(what, name, bytes)?;
    crypto::open(&keys.data_key, &named_aad(what, name), &bytes[5..]).map_err(|_| {
        StoreError::SealedAuth {
            what,
            name: name.into(),
        }
    })
}

fn named_aad(what: &str, name: &str) -> Vec<u8> {
    format!("daw sealed v1\0{what}\0{name}").into_bytes()
}

/// A random 32-byte name for packs and indexes (they are named, not addressed by content).
pub fn random_name() -> ObjectId {
    let mut b = [0u8; 32];
    crypto::random_bytes(&mut b);
    ObjectId::from_bytes(b)
}
