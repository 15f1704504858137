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
pub use pack::DeltaBase;
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
            self.write_index_file(&file)?;
        }
        for name in damaged {
            self.backend.delete(&index::index_path(name))?;
        }
        Ok((count, unreadable))
    }

    /// Loads index files written by other processes since this store was opened (call after taking
    /// the repository lock, before reading what another writer may have just committed).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        // What an earlier write session of this handle left (a commit that failed part-way, in a
        // process that goes on: `daw watch`) is not trusted: blobs it counted as stored may be in no
        // pack, and its open pack may end in half a blob.
        self.discard_unflushed();
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
        self.put_blob_against(kind, data, &[])
    }

    /// [`Store::put_blob`], stored as a delta of one of `bases` (blobs of the same kind that it
    /// probably resembles: what it replaces) when that is smaller. A base that is not in the index
    /// yet (written since the last flush), too deep, too large or unreadable is passed over: the blob
    /// is then stored whole, never lost.
    pub fn put_blob_against(
        &mut self,
        kind: BlobKind,
        data: &[u8],
        bases: &[ObjectId],
    ) -> Result<(ObjectId, bool), StoreError> {
        let id = self.keys.object_id(data);
        if self.contains(&id)? {
            return Ok((id, false));
        }
        let bases: Vec<DeltaBase> = bases
            .iter()
            .filter_map(|b| self.delta_base(b, kind))
            .collect();
        if !kind.is_metadata() {
            self.submit(kind, id, data.to_vec(), bases)?;
            return Ok((id, true));
        }
        let (sealed, depth) = pack::seal_blob_against(&self.keys.data_key, kind, &id, data, &bases);
        self.append(Sealed {
            kind,
            id,
            raw_length: u32::try_from(data.len()).expect("blobs are far below 4 GiB"),
            depth,
            bytes: sealed,
        })?;
        self.pending.insert(id);
        self.pending_meta.insert(id, (kind, data.to_vec()));
        Ok((id, true))
    }

    /// A blob that a new blob of `kind` may be stored as a delta of: it must be in the index (so
    /// in a pack made durable before the delta's), of the same kind, shallow and small enough, and
    /// readable. `None` otherwise.
    pub fn delta_base(&self, id: &ObjectId, kind: BlobKind) -> Option<DeltaBase> {
        let loc = self.loaded().ok()?.table.get(id)?;
        if loc.kind != kind
            || loc.depth >= pack::MAX_DELTA_DEPTH
            || loc.raw_length as usize > pack::MAX_DELTA_BLOB
        {
            return None;
        }
        let plaintext = self.blobs().ok()?.get_blob_as(id, kind).ok()?;
        Some(DeltaBase {
            id: *id,
            depth: loc.depth,
            plaintext: std::sync::Arc::new(plaintext),
        })
    }

    /// [`Store::put_blob`] for a data chunk the caller hands over: it is compressed and encrypted on a
    /// worker thread while the caller reads on.
    pub fn put_chunk(&mut self, data: Vec<u8>) -> Result<(ObjectId, bool), StoreError> {
        self.put_chunk_against(data, Vec::new())
    }

    /// [`Store::put_chunk`], stored as a delta of one of `bases` (from [`Store::delta_base`]) when
    /// that is smaller; the worker thread tries each.
    pub fn put_chunk_against(
        &mut self,
        data: Vec<u8>,
        bases: Vec<DeltaBase>,
    ) -> Result<(ObjectId, bool), StoreError> {
        let id = self.keys.object_id(&data);
        if self.contains(&id)? {
            return Ok((id, false));
        }
        self.submit(BlobKind::Chunk, id, data, bases)?;
        Ok((id, true))
    }

    /// [`Store::put_chunk_against`] for a new chunk whose id the caller computed (and found not
    /// stored) already.
    pub(crate) fn put_chunk_with_id(
        &mut self,
        id: ObjectId,
        data: Vec<u8>,
        bases: Vec<DeltaBase>,
    ) -> Result<(), StoreError> {
        debug_assert_eq!(id, self.keys.object_id(&data));
        self.submit(BlobKind::Chunk, id, data, bases)
    }

    fn submit(
        &mut self,
        kind: BlobKind,
        id: ObjectId,
        data: Vec<u8>,
        bases: Vec<DeltaBase>,
    ) -> Result<(), StoreError> {
        self.pending.insert(id);
        let mut pool = match self.sealer.take() {
            Some(p) => p,
            None => SealPool::new(&self.keys.data_key),
        };
        let mut result = pool.submit(kind, id, data, bases, |s| self.append(s));
        while result.is_ok()
            && let Some(s) = pool.try_take()
        {
            result = self.append(s);
        }
        self.sealer = Some(pool);
        result
    }

    /// Forgets everything written since the last flush: blobs still being sealed, the open packs
    /// (their staging files are removed), the ids counted as stored. A pack already closed stays in
    /// the backend, unindexed, for gc. Nothing this handle wrote is then deduplicated against.
    fn discard_unflushed(&mut self) {
        self.sealer = None;
        self.data_pack = None;
        self.meta_pack = None;
        for sync in self.syncs.drain(..) {
            let _ = sync.wait();
        }
        self.closed.clear();
        self.pending.clear();
        self.pending_meta.clear();
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

    /// Appends a sealed blob to the open pack of its kind, closing the pack when it is full. Deltas go
    /// with the metadata: they are small, and a save that changes a few chunks of a set then writes
    /// one pack, not two.
    fn append(&mut self, s: Sealed) -> Result<(), StoreError> {
        let (slot, target) = if s.kind.is_metadata() || s.depth > 0 {
            (&mut self.meta_pack, META_PACK_TARGET)
        } else {
            (&mut self.data_pack, DATA_PACK_TARGET)
        };
        if slot.is_none() {
            *slot = Some(PackWriter::new(&self.backend)?);
        }
        let writer = slot.as_mut().expect("just set");
        writer.add(s.kind, s.id, s.raw_length, s.depth, &s.bytes)?;
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

    /// Opens a blob's sealed bytes read from its pack (a delta through its chain) and checks its id.
    pub fn open_sealed_blob(
        &self,
        id: &ObjectId,
        loc: &Location,
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        self.blobs()?
            .open_located(id, loc, sealed.to_vec(), &mut OpenPack::default())
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
        self.write_index_file(&file)?;
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
                depth: loc.depth,
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
        let sealed = self.read_sealed(id, &loc, pack)?;
        self.open_located(id, &loc, sealed, pack)
    }

    /// The base of a blob stored as a delta (its envelope is read and opened, not its chain), or
    /// `None` for a blob stored whole (known from the index, nothing read). What a garbage
    /// collector must keep alive along with the blob (`docs/FORMAT.md`, "Delta").
    pub fn base_of(&self, id: &ObjectId) -> Result<Option<ObjectId>, StoreError> {
        if self.locate(id)?.depth == 0 {
            return Ok(None);
        }
        let (loc, sealed) = self.read_located(id, &mut OpenPack::default())?;
        self.base_in_envelope(id, &loc, sealed)
    }

    /// The base of the copy of a delta at `loc` (one of several copies of a blob may be a delta of
    /// one base, another of another, or whole): its envelope there, opened.
    pub fn base_at(&self, id: &ObjectId, loc: &Location) -> Result<Option<ObjectId>, StoreError> {
        if loc.depth == 0 {
            return Ok(None);
        }
        let sealed = self.read_sealed(id, loc, &mut OpenPack::default())?;
        self.base_in_envelope(id, loc, sealed)
    }

    /// The base a delta's sealed envelope names (opening it checks its flag against `loc.depth`).
    fn base_in_envelope(
        &self,
        id: &ObjectId,
        loc: &Location,
        sealed: Vec<u8>,
    ) -> Result<Option<ObjectId>, StoreError> {
        match pack::open_envelope(
            &self.keys.data_key,
            loc.kind,
            id,
            loc.raw_length,
            loc.depth,
            sealed,
        )? {
            pack::Opened::Delta { base, .. } => Ok(Some(base)),
            pack::Opened::Whole(_) => {
                unreachable!("open_envelope checks the flag against the depth")
            }
        }
    }

    /// A blob's location and sealed bytes, wherever it is now: where this reader's index says, or,
    /// when that pack is gone (`daw gc` moved the blob) or the index does not have it, where a fresh
    /// reading of the index places it.
    fn read_located(
        &self,
        id: &ObjectId,
        pack: &mut OpenPack,
    ) -> Result<(Location, Vec<u8>), StoreError> {
        let mut gone = match self.table.get(id) {
            Some(loc) => match self.read_sealed(id, &loc, pack) {
                Err(StoreError::Backend(BackendError::NotFound(_))) => loc.pack,
                result => return result.map(|sealed| (loc, sealed)),
            },
            None => ObjectId::from_bytes([0; 32]),
        };
        for _ in 0..3 {
            let table = self.table_without(id, &gone)?;
            let Some(loc) = table.get(id) else {
                return Err(StoreError::Missing(*id));
            };
            match self.read_sealed(id, &loc, &mut OpenPack::default()) {
                Err(StoreError::Backend(BackendError::NotFound(_))) => gone = loc.pack,
                result => return result.map(|sealed| (loc, sealed)),
            }
        }
        Err(StoreError::Missing(*id))
    }

    /// A blob's sealed bytes, read from its pack.
    fn read_sealed(
        &self,
        id: &ObjectId,
        loc: &Location,
        pack: &mut OpenPack,
    ) -> Result<Vec<u8>, StoreError> {
        let path = pack::pack_path(&loc.pack);
        let Some(file) = self.backend.local_file(&path) else {
            let range = loc.offset..loc.offset + u64::from(loc.length);
            return Ok(self.backend.get_range(&path, range)?.to_vec());
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
        match crate::platform::read_exact_at(&open, &mut sealed, loc.offset) {
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
        Ok(sealed)
    }

    /// Opens the sealed bytes of blob `id`, found at `loc`, and checks its id. A delta is rebuilt
    /// from its chain: the envelopes are opened down to a blob stored whole (each base found in the
    /// index, where a gc may have moved it, of the same kind and of a lower depth, so a chain ends
    /// within `MAX_DELTA_DEPTH` reads),
    /// then applied back up, each level checked against its id. Memory: the chain's deltas and two
    /// plaintexts. A missing or damaged base fails with an error naming the delta and its base.
    pub fn open_located(
        &self,
        id: &ObjectId,
        loc: &Location,
        sealed: Vec<u8>,
        pack: &mut OpenPack,
    ) -> Result<Vec<u8>, StoreError> {
        if sealed.len() != loc.length as usize {
            return Err(StoreError::Corrupt {
                id: *id,
                detail: "pack is shorter than its index says".into(),
            });
        }
        let opened = pack::open_envelope(
            &self.keys.data_key,
            loc.kind,
            id,
            loc.raw_length,
            loc.depth,
            sealed,
        )?;
        let (mut base, frame) = match opened {
            pack::Opened::Whole(data) => return verified(self.keys, id, data),
            pack::Opened::Delta { base, frame } => (base, frame),
        };
        // (delta id, its location, its frame), from `id` down.
        let mut chain: Vec<(ObjectId, Location, Vec<u8>)> = vec![(*id, *loc, frame)];
        let mut plain = loop {
            let (upper, upper_loc, _) = chain.last().expect("the chain starts with id");
            let upper = *upper;
            let cannot = |why: String| StoreError::Corrupt {
                id: upper,
                detail: format!("it is stored as a delta of {}, which {why}", base.short(12)),
            };
            let (base_loc, sealed) = match self.read_located(&base, pack) {
                Ok(found) => found,
                Err(StoreError::Missing(_)) => {
                    return Err(cannot("is missing from the repository".into()));
                }
                Err(e) => return Err(cannot(format!("cannot be read: {e}"))),
            };
            if base_loc.kind != upper_loc.kind {
                return Err(cannot(format!("is a {}", base_loc.kind.name())));
            }
            if base_loc.depth >= upper_loc.depth {
                return Err(cannot(format!(
                    "is not shallower (depth {} under depth {}): the delta chain is damaged",
                    base_loc.depth, upper_loc.depth
                )));
            }
            let opened = pack::open_envelope(
                &self.keys.data_key,
                base_loc.kind,
                &base,
                base_loc.raw_length,
                base_loc.depth,
                sealed,
            )
            .map_err(|e| cannot(format!("cannot be read: {e}")))?;
            match opened {
                pack::Opened::Whole(data) => {
                    break verified(self.keys, &base, data)
                        .map_err(|e| cannot(format!("cannot be read: {e}")))?;
                }
                pack::Opened::Delta { base: next, frame } => {
                    chain.push((base, base_loc, frame));
                    base = next;
                }
            }
        };
        while let Some((delta, delta_loc, frame)) = chain.pop() {
            plain = pack::apply_delta(&frame, &plain, delta_loc.raw_length).map_err(|e| {
                StoreError::Corrupt {
                    id: delta,
                    detail: format!("its delta does not apply to its base: {e}"),
                }
            })?;
            plain = verified(self.keys, &delta, plain)?;
        }
        Ok(plain)
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

/// `data` if its keyed hash is `id`.
fn verified(keys: &Keys, id: &ObjectId, data: Vec<u8>) -> Result<Vec<u8>, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::crypto::SecretKey;

    fn store_in(dir: &std::path::Path) -> Store {
        let keys = Keys::from_master(SecretKey::from_bytes([5u8; 32]));
        Store::open(Backend::local(dir).unwrap(), keys).unwrap()
    }

    /// A write session that failed part-way (its blobs sealed or half in an open pack, never
    /// flushed) is forgotten by the next one: what it counted as stored is stored again, and
    /// everything reads back after the flush. (`daw watch` goes on after a failed commit with the
    /// same handle; the ids it kept used to be deduplicated against and committed without a pack.)
    #[test]
    fn a_session_that_failed_before_its_flush_is_forgotten_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(dir.path());
        store.flush().unwrap();
        let chunk: Vec<u8> = (0..600_000u64).map(|i| (i * 7919 % 251) as u8).collect();
        let (id, new) = store.put_chunk(chunk.clone()).unwrap();
        assert!(new);
        let (meta, _) = store.put_blob(BlobKind::Tree, b"a folder").unwrap();
        assert!(store.contains(&id).unwrap());
        // The commit fails here; the next one starts under the lock with a refresh.
        store.refresh().unwrap();
        assert!(
            !store.contains(&id).unwrap(),
            "a blob in no pack counts as stored"
        );
        assert!(!store.contains(&meta).unwrap());
        assert!(store.put_chunk(chunk.clone()).unwrap().1, "stored again");
        assert!(store.put_blob(BlobKind::Tree, b"a folder").unwrap().1);
        store.flush().unwrap();
        let reopened = store_in(dir.path());
        assert_eq!(reopened.get_blob_as(&id, BlobKind::Chunk).unwrap(), chunk);
        assert_eq!(
            reopened.get_blob_as(&meta, BlobKind::Tree).unwrap(),
            b"a folder"
        );
        // The abandoned session's open packs left no staging file behind.
        let staged: Vec<_> = walk(dir.path())
            .into_iter()
            .filter(|p| p.to_string_lossy().contains('#'))
            .collect();
        assert!(staged.is_empty(), "{staged:?}");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
        out
    }

    /// A tree-like text of `n` lines; `version` changes one line in a place that moves.
    fn version(n: usize, version: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..n {
            let value = if i == (version * 7) % n { version } else { i };
            out.extend_from_slice(format!("entry {i:05} value {value:08}\n").as_bytes());
        }
        out
    }

    #[test]
    fn delta_chains_read_back_and_stay_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(dir.path());
        let mut ids = Vec::new();
        let mut previous: Option<ObjectId> = None;
        for v in 0..40 {
            let data = version(300, v);
            let (id, new) = store
                .put_blob_against(BlobKind::Tree, &data, previous.as_slice())
                .unwrap();
            assert!(new);
            store.flush().unwrap();
            ids.push((id, data));
            previous = Some(id);
        }
        let depths: Vec<u8> = ids
            .iter()
            .map(|(id, _)| store.locate(id).unwrap().depth)
            .collect();
        assert_eq!(depths[0], 0);
        assert!(
            depths.iter().all(|&d| d <= pack::MAX_DELTA_DEPTH),
            "{depths:?}"
        );
        // Each version is a delta of the one before until the chain is full; then one is whole.
        assert_eq!(
            depths[1..=16],
            (1..=16).collect::<Vec<u8>>()[..],
            "{depths:?}"
        );
        assert_eq!(depths[17], 0, "{depths:?}");
        // Every version reads back, however deep, also through a fresh handle (from the packs).
        let fresh = store_in(dir.path());
        for (id, data) in &ids {
            assert_eq!(&store.get_blob_as(id, BlobKind::Tree).unwrap(), data);
            assert_eq!(&fresh.get_blob_as(id, BlobKind::Tree).unwrap(), data);
        }
        // Deltas are small: 40 versions of a 10 KB blob took well under 3 whole copies.
        assert!(
            store.written_bytes() < 3 * 10_000 + 40 * 400,
            "{} bytes",
            store.written_bytes()
        );
    }

    #[test]
    fn a_base_written_since_the_last_flush_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(dir.path());
        let (base, _) = store
            .put_blob(BlobKind::ContentNode, &version(200, 1))
            .unwrap();
        let (id, _) = store
            .put_blob_against(BlobKind::ContentNode, &version(200, 2), &[base])
            .unwrap();
        store.flush().unwrap();
        assert_eq!(store.locate(&id).unwrap().depth, 0);
        // Nor a base of another kind.
        let (id, _) = store
            .put_blob_against(BlobKind::Tree, &version(200, 3), &[base])
            .unwrap();
        store.flush().unwrap();
        assert_eq!(store.locate(&id).unwrap().depth, 0);
    }

    /// Writes a base and a delta of it, each flushed on its own (two packs, two index files).
    fn base_and_delta(dir: &std::path::Path) -> (ObjectId, ObjectId) {
        let mut store = store_in(dir);
        let (base, _) = store.put_blob(BlobKind::Chunk, &version(400, 1)).unwrap();
        store.flush().unwrap();
        let index_of_base = store.loaded().unwrap().files.clone();
        let bases = vec![store.delta_base(&base, BlobKind::Chunk).unwrap()];
        let (delta, _) = store.put_chunk_against(version(400, 2), bases).unwrap();
        store.flush().unwrap();
        assert_eq!(store.locate(&delta).unwrap().depth, 1);
        assert_eq!(index_of_base.len(), 1);
        (base, delta)
    }

    #[test]
    fn a_missing_base_fails_loudly_naming_the_delta_and_its_base() {
        let dir = tempfile::tempdir().unwrap();
        let (base, delta) = base_and_delta(dir.path());
        // Lose the base: its pack and the index naming it.
        let store = store_in(dir.path());
        let loc = store.locate(&base).unwrap();
        std::fs::remove_file(dir.path().join(pack::pack_path(&loc.pack))).unwrap();
        let err = store
            .get_blob_as(&delta, BlobKind::Chunk)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&delta.to_hex()) && err.contains(&base.short(12)) && err.contains("delta"),
            "{err}"
        );
        // What a garbage collector must keep: the delta names its base without it being read.
        assert_eq!(store.blobs().unwrap().base_of(&delta).unwrap(), Some(base));
        assert_eq!(store.blobs().unwrap().base_of(&base).unwrap(), None);
        for f in std::fs::read_dir(dir.path().join("index")).unwrap() {
            let f = f.unwrap().path();
            let bytes = std::fs::read(&f).unwrap();
            let name = ObjectId::from_hex(f.file_name().unwrap().to_str().unwrap()).unwrap();
            let file = IndexFile::open(&store.keys().data_key, &name, &bytes).unwrap();
            if file.packs.iter().any(|(p, _)| *p == loc.pack) {
                std::fs::remove_file(&f).unwrap();
            }
        }
        let store = store_in(dir.path());
        let err = store
            .get_blob_as(&delta, BlobKind::Chunk)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&delta.to_hex())
                && err.contains(&format!("stored as a delta of {}", base.short(12)))
                && err.contains("missing from the repository"),
            "{err}"
        );
    }

    #[test]
    fn a_damaged_base_fails_loudly_naming_the_delta_and_its_base() {
        let dir = tempfile::tempdir().unwrap();
        let (base, delta) = base_and_delta(dir.path());
        let store = store_in(dir.path());
        let loc = store.locate(&base).unwrap();
        let path = dir.path().join(pack::pack_path(&loc.pack));
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[loc.offset as usize + 30] ^= 0x40;
        std::fs::write(&path, bytes).unwrap();
        let err = store
            .get_blob_as(&delta, BlobKind::Chunk)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&delta.to_hex())
                && err.contains(&format!("stored as a delta of {}", base.short(12)))
                && err.contains("cannot be read")
                && err.contains("failed authentication"),
            "{err}"
        );
    }
}

#[cfg(test)]
mod version_1 {
    //! Repositories written before deltas (pack and index version 1) are read, and written on.

    use super::*;
    use crate::object::Writer;
    use crate::store::crypto::SecretKey;

    /// A pack and an index of version 1, laid out as daw wrote them before deltas, holding `blobs`.
    fn write_version_1(dir: &std::path::Path, keys: &Keys, blobs: &[(BlobKind, Vec<u8>)]) {
        let name = random_name();
        let mut bytes = b"DAWPACK\x01".to_vec();
        let mut entries = Writer::new();
        entries.uvar(blobs.len() as u64);
        for (kind, data) in blobs {
            let id = keys.object_id(data);
            let sealed = pack::seal_blob(&keys.data_key, *kind, &id, data);
            entries
                .id(&id)
                .u8(*kind as u8)
                .uvar(bytes.len() as u64)
                .uvar(sealed.len() as u64)
                .uvar(data.len() as u64);
            bytes.extend_from_slice(&sealed);
        }
        let entries = entries.finish();
        let mut header = Writer::new();
        header.uvar(1);
        let mut header = header.finish();
        header.extend_from_slice(&entries);
        let sealed = crypto::seal(&keys.data_key, &pack::header_aad(&name), &header);
        bytes.extend_from_slice(&sealed);
        bytes.extend_from_slice(&(sealed.len() as u32).to_le_bytes());
        bytes.extend_from_slice(b"DAWP");
        let path = dir.join(pack::pack_path(&name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();

        let index_name = random_name();
        let mut plain = Writer::new();
        plain.uvar(1).uvar(0).uvar(1).id(&name);
        let mut plain = plain.finish();
        plain.extend_from_slice(&entries);
        let mut file = b"DAWIDX\x01".to_vec();
        file.extend(crypto::seal(
            &keys.data_key,
            &index::aad(&index_name),
            &plain,
        ));
        std::fs::create_dir_all(dir.join("index")).unwrap();
        std::fs::write(dir.join(index::index_path(&index_name)), file).unwrap();
    }

    #[test]
    fn blobs_of_version_1_read_back_and_new_blobs_are_deltas_of_them() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::from_master(SecretKey::from_bytes([8u8; 32]));
        let old_tree: Vec<u8> = (0..400)
            .flat_map(|i| format!("entry {i:04} value {:06}\n", i * 37).into_bytes())
            .collect();
        let old_chunk = vec![7u8; 5000];
        write_version_1(
            dir.path(),
            &keys,
            &[
                (BlobKind::Tree, old_tree.clone()),
                (BlobKind::Chunk, old_chunk.clone()),
            ],
        );
        let mut store = Store::open(Backend::local(dir.path()).unwrap(), keys.clone()).unwrap();
        let old_id = keys.object_id(&old_tree);
        assert_eq!(
            store.get_blob_as(&old_id, BlobKind::Tree).unwrap(),
            old_tree
        );
        assert_eq!(
            store
                .get_blob_as(&keys.object_id(&old_chunk), BlobKind::Chunk)
                .unwrap(),
            old_chunk
        );
        assert_eq!(store.locate(&old_id).unwrap().depth, 0);

        let mut new_tree = old_tree.clone();
        new_tree[2000..2006].copy_from_slice(b"edited");
        let (new_id, _) = store
            .put_blob_against(BlobKind::Tree, &new_tree, &[old_id])
            .unwrap();
        store.flush().unwrap();
        let loc = store.locate(&new_id).unwrap();
        assert_eq!(loc.depth, 1);
        let fresh = Store::open(Backend::local(dir.path()).unwrap(), keys.clone()).unwrap();
        assert_eq!(
            fresh.get_blob_as(&new_id, BlobKind::Tree).unwrap(),
            new_tree
        );
        // The new pack is of version 2, the old one still reads from its own header.
        let new_pack = std::fs::read(dir.path().join(pack::pack_path(&loc.pack))).unwrap();
        assert_eq!(&new_pack[..8], b"DAWPACK\x02");
        let old_pack = fresh.locate(&old_id).unwrap().pack;
        let size = std::fs::metadata(dir.path().join(pack::pack_path(&old_pack)))
            .unwrap()
            .len();
        let entries = pack::read_entries(
            fresh.backend(),
            &keys,
            &old_pack,
            &pack::pack_path(&old_pack),
            size,
        )
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e.depth == 0));
    }
}
