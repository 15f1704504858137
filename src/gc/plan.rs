//! The mark phase's plan: which packs are dead, which are repacked, and the blobs to copy
//! (`docs/FORMAT.md`, "Garbage collection", "Each run"); and the repacking itself, which copies
//! sealed blobs byte for byte into new packs after opening each one to check it.

use std::collections::{BTreeSet, HashSet};

use crate::object::ObjectId;
use crate::store::index::{IndexFile, Location};
use crate::store::pack::{self, PackEntry, PackWriter};
use crate::store::{BackendError, DATA_PACK_TARGET, META_PACK_TARGET, Store, StoreError};

use super::sweep::{close_over_staying, lowest_depths, must_stay};
use super::{GcError, PackInfo, Survey, Walker};

/// A data pack smaller than this is merged with the other small ones.
pub const SMALL_DATA_PACK: u64 = 16 << 20;
/// A metadata pack smaller than this is merged with the other small ones.
pub const SMALL_META_PACK: u64 = 2 << 20;

/// What a mark will name, and the blobs to copy first.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Packs nothing in which is needed.
    pub dead: Vec<ObjectId>,
    /// Packs whose needed blobs are copied into new packs before they go.
    pub repack: Vec<ObjectId>,
    /// Packs no index names, older than the grace (left by a killed command).
    pub unindexed: Vec<ObjectId>,
    /// The blobs to copy: (the pack they are read from, where).
    pub copies: Vec<(ObjectId, PackEntry)>,
}

impl Plan {
    /// Every pack the mark names.
    pub fn leaving(&self) -> BTreeSet<ObjectId> {
        self.dead
            .iter()
            .chain(&self.repack)
            .chain(&self.unindexed)
            .copied()
            .collect()
    }

    /// Sealed bytes to copy.
    pub fn copy_bytes(&self) -> u64 {
        self.copies.iter().map(|(_, e)| u64::from(e.length)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.dead.is_empty() && self.repack.is_empty() && self.unindexed.is_empty()
    }
}

/// Plans a mark. `walker` holds the live set; `eligible` says which packs may be marked at all (not
/// young, not held by a remote, not named by a pending mark). The closure of every blob of every
/// pack that stays is added to the walker, and the plan redone, until nothing changes.
pub fn plan(
    survey: &Survey,
    walker: &mut Walker<'_>,
    eligible: &dyn Fn(&ObjectId, &PackInfo) -> bool,
    closed: &mut HashSet<ObjectId>,
) -> Result<Plan, GcError> {
    let mut plan = loop {
        let mut plan = Plan::default();
        // Small packs with nothing dead in them, by kind (data, metadata).
        let mut small: [Vec<ObjectId>; 2] = [Vec::new(), Vec::new()];
        for (name, info, entries) in survey.indexed() {
            if !info.listed || !eligible(name, info) {
                continue;
            }
            let needed: u64 = entries
                .iter()
                .filter(|e| walker.contains(&e.id))
                .map(|e| u64::from(e.length))
                .sum();
            let any_needed = entries.iter().any(|e| walker.contains(&e.id));
            let all_needed = entries.iter().all(|e| walker.contains(&e.id));
            let meta = info.is_metadata();
            if !any_needed {
                plan.dead.push(*name);
            } else if (meta && !all_needed) || (!meta && needed * 5 < info.blob_bytes() * 4) {
                // A metadata pack with anything dead in it (metadata is small: copying it is cheap,
                // and no dead tree then pins chunks), a data pack less than 80 % needed.
                plan.repack.push(*name);
            } else if info.size
                < if meta {
                    SMALL_META_PACK
                } else {
                    SMALL_DATA_PACK
                }
            {
                small[usize::from(meta)].push(*name);
            }
        }
        for s in small {
            if s.len() >= 2 {
                plan.repack.extend(s);
            }
        }
        let before = walker.len();
        close_over_staying(survey, walker, &plan.leaving(), closed)?;
        if walker.len() == before {
            break plan;
        }
    };
    plan.unindexed = survey
        .packs
        .iter()
        .filter(|(name, info)| info.listed && info.entries.is_none() && eligible(name, info))
        .map(|(name, _)| *name)
        .collect();
    // A needed blob whose copies all go, or whose copies of its lowest delta depth all go, is
    // copied: that copy (so that every delta chain keeps strictly decreasing depths).
    let leaving = plan.leaving();
    let (all, staying) = lowest_depths(survey, &leaving);
    let mut queued = HashSet::new();
    for name in &plan.repack {
        for e in survey.packs[name].entries.iter().flatten() {
            if walker.contains(&e.id)
                && must_stay(e, &all, &staying)
                && all.get(&e.id) == Some(&e.depth)
                && queued.insert(e.id)
            {
                plan.copies.push((*name, *e));
            }
        }
    }
    plan.copies.sort_by_key(|(p, e)| (*p, e.offset));
    Ok(plan)
}

/// Copies the planned blobs into new packs (data and metadata apart, closing at the usual sizes),
/// each opened and checked against its id first; makes the packs durable, then writes one index
/// naming them. Returns the new packs and their sizes.
pub fn repack(
    store: &mut Store,
    copies: &[(ObjectId, PackEntry)],
) -> Result<Vec<(ObjectId, u64)>, GcError> {
    if copies.is_empty() {
        return Ok(Vec::new());
    }
    let mut writers: [Option<PackWriter>; 2] = [None, None];
    let mut done: Vec<(ObjectId, Vec<PackEntry>)> = Vec::new();
    let mut syncs = Vec::new();
    let mut open: Option<(ObjectId, std::fs::File)> = None;
    for (from, e) in copies {
        let sealed = read_sealed(store, from, e, &mut open)?;
        let loc = Location {
            pack: *from,
            kind: e.kind,
            offset: e.offset,
            length: e.length,
            raw_length: e.raw_length,
            depth: e.depth,
        };
        store
            .open_sealed_blob(&e.id, &loc, &sealed)
            .map_err(|err| GcError::Damaged {
                what: e.kind.name(),
                id: e.id,
                detail: err.to_string(),
            })?;
        // Deltas go with the metadata, as when they were written.
        let meta = e.kind.is_metadata() || e.depth > 0;
        let slot = &mut writers[usize::from(meta)];
        if slot.is_none() {
            *slot = Some(PackWriter::new(store.backend()).map_err(StoreError::from)?);
        }
        let w = slot.as_mut().expect("just made");
        // Byte for byte, its depth too: a delta stays a delta of the same base, which the walk
        // found needed and so is kept or copied as well.
        w.add(e.kind, e.id, e.raw_length, e.depth, &sealed)
            .map_err(StoreError::from)?;
        let target = if meta {
            META_PACK_TARGET
        } else {
            DATA_PACK_TARGET
        };
        if w.bytes_written() >= target {
            let full = slot.take().expect("present");
            let (name, entries, sync) = full
                .finish(&store.keys().data_key)
                .map_err(StoreError::from)?;
            done.push((name, entries));
            syncs.push(sync);
        }
    }
    for w in writers.into_iter().flatten() {
        let (name, entries, sync) = w.finish(&store.keys().data_key).map_err(StoreError::from)?;
        done.push((name, entries));
        syncs.push(sync);
    }
    // The packs are durable before the index that makes them count (write order).
    for s in syncs {
        s.wait().map_err(StoreError::from)?;
    }
    let sizes: Vec<(ObjectId, u64)> = done
        .iter()
        .map(|(name, entries)| {
            let blobs: u64 = entries.iter().map(|e| u64::from(e.length)).sum();
            (*name, blobs)
        })
        .collect();
    store.write_index_file(&IndexFile {
        supersedes: Vec::new(),
        packs: done,
    })?;
    Ok(sizes)
}

/// A blob's sealed bytes, read from its pack (the file kept open for the next blob of that pack).
fn read_sealed(
    store: &Store,
    from: &ObjectId,
    e: &PackEntry,
    open: &mut Option<(ObjectId, std::fs::File)>,
) -> Result<Vec<u8>, GcError> {
    let path = pack::pack_path(from);
    let Some(file) = store.backend().local_file(&path) else {
        let range = e.offset..e.offset + u64::from(e.length);
        return Ok(store
            .backend()
            .get_range(&path, range)
            .map_err(StoreError::from)?
            .to_vec());
    };
    let io = |source| {
        GcError::Store(StoreError::Backend(BackendError::Io {
            path: file.display().to_string(),
            source,
        }))
    };
    if open.as_ref().is_none_or(|(name, _)| name != from) {
        *open = Some((*from, std::fs::File::open(&file).map_err(io)?));
    }
    let (_, f) = open.as_ref().expect("just opened");
    let mut sealed = vec![0u8; e.length as usize];
    crate::platform::read_exact_at(f, &mut sealed, e.offset).map_err(io)?;
    Ok(sealed)
}
