//! The sweep: which marked packs can go now, and deleting them (`docs/FORMAT.md`, "Garbage
//! collection", "The sweep"). The caller holds the repository lock around [`carry_out`] and the
//! [`settle`] that decides it, after walking the roots written since it last looked.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::object::ObjectId;
use crate::store::index::{self, IndexFile};
use crate::store::{Store, pack};

use super::mark;
use super::{GcError, Survey, Walker};

/// Adds to the walker the closure of every blob in the packs that stay (those not `leaving`), once
/// per pack (`closed` remembers which): a dead tree kept in a pack that stays keeps what it refers
/// to.
pub fn close_over_staying(
    survey: &Survey,
    walker: &mut Walker<'_>,
    leaving: &BTreeSet<ObjectId>,
    closed: &mut HashSet<ObjectId>,
) -> Result<(), GcError> {
    for (name, info, entries) in survey.indexed() {
        if !info.listed || leaving.contains(name) || closed.contains(name) {
            continue;
        }
        for e in entries {
            // What refers to other blobs: metadata, and a delta (to its base). Each copy of a
            // delta keeps its own base.
            if e.depth > 0 {
                walker.add_kept_copy(name, e)?;
            }
            if e.kind.is_metadata() && !walker.contains(&e.id) {
                walker.add_kept(e.id)?;
            }
        }
        closed.insert(*name);
    }
    Ok(())
}

/// The lowest delta depth of each blob among the listed packs, and among those not `leaving`.
pub fn lowest_depths(
    survey: &Survey,
    leaving: &BTreeSet<ObjectId>,
) -> (HashMap<ObjectId, u8>, HashMap<ObjectId, u8>) {
    let mut all: HashMap<ObjectId, u8> = HashMap::new();
    let mut staying: HashMap<ObjectId, u8> = HashMap::new();
    for (name, info, entries) in survey.indexed() {
        if !info.listed {
            continue;
        }
        for e in entries {
            let low = all.entry(e.id).or_insert(e.depth);
            *low = (*low).min(e.depth);
            if !leaving.contains(name) {
                let low = staying.entry(e.id).or_insert(e.depth);
                *low = (*low).min(e.depth);
            }
        }
    }
    (all, staying)
}

/// Whether the copy `e` of a needed blob must not go with its pack: no other copy stays, or it is
/// of the blob's lowest depth and no copy that stays is. Keeping a copy of each needed blob at its
/// lowest depth keeps the rule readers rely on: along a delta chain, the copies the index reads
/// have strictly decreasing depths (`docs/FORMAT.md`, "Delta", "Copies").
pub fn must_stay(
    e: &crate::store::pack::PackEntry,
    all: &HashMap<ObjectId, u8>,
    staying: &HashMap<ObjectId, u8>,
) -> bool {
    match (all.get(&e.id), staying.get(&e.id)) {
        (_, None) => true,
        (Some(low), Some(stays)) => e.depth == *low && stays > low,
        (None, Some(_)) => false,
    }
}

/// Of the packs `leaving`, which may go: a pack holding a needed blob that no staying pack holds,
/// or holds only at a greater delta depth ([`must_stay`]), is kept back (and then what it holds is
/// needed too), until nothing changes. Returns (to delete, kept back).
pub fn settle(
    survey: &Survey,
    walker: &mut Walker<'_>,
    mut leaving: BTreeSet<ObjectId>,
    closed: &mut HashSet<ObjectId>,
) -> Result<(BTreeSet<ObjectId>, Vec<ObjectId>), GcError> {
    let mut kept = Vec::new();
    loop {
        close_over_staying(survey, walker, &leaving, closed)?;
        let (all, staying) = lowest_depths(survey, &leaving);
        let back: Vec<ObjectId> = leaving
            .iter()
            .filter(|name| {
                survey.packs.get(name).is_some_and(|info| {
                    info.entries
                        .iter()
                        .flatten()
                        .any(|e| walker.contains(&e.id) && must_stay(e, &all, &staying))
                })
            })
            .copied()
            .collect();
        if back.is_empty() {
            return Ok((leaving, kept));
        }
        for b in back {
            leaving.remove(&b);
            kept.push(b);
        }
    }
}

/// What a sweep deleted.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Swept {
    /// Packs deleted, with their sizes.
    pub packs: Vec<(String, u64)>,
    pub bytes: u64,
    /// Index files replaced by the one written.
    pub index_files: usize,
}

/// Deletes the packs `delete` (the caller holds the lock and has [`settle`]d them against everything
/// written until now): first one index naming every pack that stays is written, then the old index
/// files are deleted, then the packs, then the marks carried out. A crash at any point leaves
/// duplicates or unindexed packs, never an index naming a missing pack.
pub fn carry_out(
    store: &mut Store,
    survey: &Survey,
    delete: &BTreeSet<ObjectId>,
    marks: &[ObjectId],
) -> Result<Swept, GcError> {
    let mut swept = Swept::default();
    let any_indexed = delete
        .iter()
        .any(|p| survey.packs.get(p).is_some_and(|i| i.entries.is_some()));
    if any_indexed {
        let file = IndexFile {
            supersedes: survey.index_files.clone(),
            packs: survey
                .indexed()
                .filter(|(name, _, _)| !delete.contains(name))
                .map(|(name, _, entries)| (*name, entries.clone()))
                .collect(),
        };
        store.write_index_file(&file)?;
        for old in &survey.index_files {
            store.backend().delete(&index::index_path(old))?;
        }
        swept.index_files = survey.index_files.len();
    }
    for p in delete {
        let size = survey.packs.get(p).map_or(0, |i| i.size);
        store.backend().delete(&pack::pack_path(p))?;
        swept.packs.push((p.to_hex(), size));
        swept.bytes += size;
    }
    for m in marks {
        mark::delete_mark(store, m)?;
    }
    store.reload_index_files()?;
    Ok(swept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::BlobKind;
    use crate::store::backend::Listed;
    use crate::store::pack::PackEntry;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes([n; 32])
    }

    fn entry(blob: u8, depth: u8) -> PackEntry {
        PackEntry {
            id: id(blob),
            kind: BlobKind::Chunk,
            offset: 8,
            length: 100,
            raw_length: 200,
            depth,
        }
    }

    /// Blob 1 is stored whole in pack 11 and as a delta (depth 2) in pack 12; the index reads the
    /// whole copy, and a delta of blob 1 elsewhere (depth 1) relies on that: a base shallower than
    /// itself. Deleting pack 11 would leave only the deeper copy, and that delta's chain would not
    /// shorten any more: pack 11 must stay (or its copy be made again), pack 12 may go.
    #[test]
    fn of_a_needed_blob_a_copy_at_its_lowest_depth_stays() {
        let files = vec![(
            id(99),
            IndexFile {
                supersedes: Vec::new(),
                packs: vec![(id(11), vec![entry(1, 0)]), (id(12), vec![entry(1, 2)])],
            },
        )];
        let listed = [11, 12]
            .map(|p| {
                (
                    Listed {
                        path: pack::pack_path(&id(p)),
                        size: 200,
                    },
                    None,
                )
            })
            .to_vec();
        let survey = Survey::from_parts(files, listed);
        let leaving = |packs: &[u8]| packs.iter().map(|p| id(*p)).collect::<BTreeSet<_>>();

        let (all, staying) = lowest_depths(&survey, &leaving(&[11]));
        assert!(must_stay(&entry(1, 0), &all, &staying), "the whole copy");
        let (all, staying) = lowest_depths(&survey, &leaving(&[12]));
        assert!(!must_stay(&entry(1, 2), &all, &staying), "the deeper copy");
        let (all, staying) = lowest_depths(&survey, &leaving(&[11, 12]));
        assert!(must_stay(&entry(1, 0), &all, &staying));
        assert!(must_stay(&entry(1, 2), &all, &staying));
    }
}
