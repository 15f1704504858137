//! Garbage collection for any store: the local repository now, a remote later (`docs/FORMAT.md`,
//! "Garbage collection").
//!
//! Two phases with a grace period, as rustic and kopia do it. A run *marks* without the lock: it
//! walks what the roots it is handed reach ([`reach`]), copies the needed blobs of small or part-dead
//! packs into new packs ([`plan`]) and writes a mark naming the packs that may go ([`mark`]). A later
//! run, once the mark is older than the grace period, *sweeps* ([`sweep`]): under the caller's lock it
//! catches up with everything written since it walked, keeps any marked pack that holds a blob
//! something still refers to, and only then deletes.
//!
//! The invariant kept: every blob an index names refers only to blobs some index names.
//!
//! Must not: choose the roots, the grace or the packs a remote holds (the caller hands them in); take
//! the lock; delete a pack no mark older than the grace named, one younger than the grace, one a
//! remote holds, or one holding a needed blob no staying pack holds; rewrite or re-encrypt a blob;
//! print or read the environment.

pub mod mark;
pub mod plan;
pub mod reach;
pub mod sweep;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use crate::object::ObjectId;
use crate::store::index::IndexFile;
use crate::store::pack::{self, PackEntry};
use crate::store::{Store, StoreError};

pub use mark::Mark;
pub use plan::Plan;
pub use reach::Walker;

#[derive(Debug, thiserror::Error)]
pub enum GcError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something the live set needs is missing or unreadable: nothing may be deleted until the
    /// repository is whole again.
    #[error(
        "{what} {id} is missing or damaged ({detail}); gc deletes nothing while the history is incomplete"
    )]
    Damaged {
        what: &'static str,
        id: ObjectId,
        detail: String,
    },
}

impl From<crate::store::BackendError> for GcError {
    fn from(e: crate::store::BackendError) -> Self {
        Self::Store(e.into())
    }
}

/// A pack as gc sees it.
#[derive(Clone, Debug)]
pub struct PackInfo {
    /// Its size in the listing (0 when it is not listed).
    pub size: u64,
    /// When it was written, where the store says.
    pub modified: Option<SystemTime>,
    /// Whether the listing has it (an index may name a pack that is gone: damage, for `fsck`).
    pub listed: bool,
    /// Its blobs, from the first index file naming it; `None` for a pack no index names (left by a
    /// killed command, or being fetched).
    pub entries: Option<Vec<PackEntry>>,
}

impl PackInfo {
    /// Whether it holds metadata (content nodes, trees, commits, and blobs stored as deltas) rather
    /// than file data.
    pub fn is_metadata(&self) -> bool {
        self.entries
            .as_ref()
            .and_then(|e| e.first())
            .is_some_and(|e| e.kind.is_metadata() || e.depth > 0)
    }

    /// Bytes of its blobs (sealed).
    pub fn blob_bytes(&self) -> u64 {
        self.entries
            .iter()
            .flatten()
            .map(|e| u64::from(e.length))
            .sum()
    }

    /// Whether it was written less than `grace` before `now` (a pack of unknown age counts as young).
    pub fn is_young(&self, now: SystemTime, grace: Duration) -> bool {
        match self.modified {
            Some(m) => now.duration_since(m).map_or(true, |age| age < grace),
            None => true,
        }
    }
}

/// The store's packs and index files at one moment.
pub struct Survey {
    /// The index files read, by name.
    pub index_files: Vec<ObjectId>,
    /// Every pack listed or indexed.
    pub packs: BTreeMap<ObjectId, PackInfo>,
    /// How many listed packs each indexed blob is in.
    copies: HashMap<ObjectId, u32>,
}

impl Survey {
    /// Reads every index file (they become the store's index too) and lists the packs.
    pub fn take(store: &mut Store) -> Result<Self, GcError> {
        let files = store.reload_index_files()?;
        let listed = store.backend().list_with_times("packs")?;
        Ok(Self::from_parts(files, listed))
    }

    fn from_parts(
        files: Vec<(ObjectId, IndexFile)>,
        listed: Vec<(crate::store::backend::Listed, Option<SystemTime>)>,
    ) -> Self {
        let mut packs: BTreeMap<ObjectId, PackInfo> = BTreeMap::new();
        for (l, modified) in listed {
            if let Some(name) = pack::pack_name_from_path(&l.path) {
                packs.insert(
                    name,
                    PackInfo {
                        size: l.size,
                        modified,
                        listed: true,
                        entries: None,
                    },
                );
            }
        }
        let mut index_files = Vec::new();
        for (name, file) in files {
            index_files.push(name);
            for (p, entries) in file.packs {
                let info = packs.entry(p).or_insert(PackInfo {
                    size: 0,
                    modified: None,
                    listed: false,
                    entries: None,
                });
                if info.entries.is_none() {
                    info.entries = Some(entries);
                }
            }
        }
        let mut copies: HashMap<ObjectId, u32> = HashMap::new();
        for info in packs.values().filter(|p| p.listed) {
            for e in info.entries.iter().flatten() {
                *copies.entry(e.id).or_default() += 1;
            }
        }
        Self {
            index_files,
            packs,
            copies,
        }
    }

    /// How many listed packs hold `id`.
    pub fn copies(&self, id: &ObjectId) -> u32 {
        self.copies.get(id).copied().unwrap_or(0)
    }

    /// The packs that hold blobs, whole: name → entries.
    pub fn indexed(&self) -> impl Iterator<Item = (&ObjectId, &PackInfo, &Vec<PackEntry>)> {
        self.packs
            .iter()
            .filter_map(|(n, p)| p.entries.as_ref().map(|e| (n, p, e)))
    }
}
