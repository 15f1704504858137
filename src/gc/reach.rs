//! Reachability over the Merkle DAG: what each blob refers to, and the closure of a set of roots.
//!
//! [`references`] is the one place that knows every kind of reference between blobs found in their
//! plaintext; [`Walker`] adds the one found in how a blob is stored: a delta names its base
//! (`docs/FORMAT.md`, "Delta"). Whatever adds a reference must add it here first: gc deletes what
//! nothing here says is referred to.

use std::collections::HashSet;

use crate::object::{BlobKind, Commit, EntryKind, FileStorage, ObjectId, Tree};
use crate::store::{OpenPack, Store, StoreError, content};

use super::GcError;

/// The blobs a blob refers to, from its plaintext: a commit its tree and parents, a tree its
/// sub-trees and each file's content root, a content node its children; a chunk nothing.
pub fn references(kind: BlobKind, id: &ObjectId, plain: &[u8]) -> Result<Vec<ObjectId>, GcError> {
    let damaged = |what: &'static str, e: String| GcError::Damaged {
        what,
        id: *id,
        detail: e,
    };
    Ok(match kind {
        BlobKind::Chunk => Vec::new(),
        BlobKind::ContentNode => content::decode_node(plain)
            .map_err(|e| damaged("content node", e.to_string()))?
            .into_iter()
            .map(|(child, _)| child)
            .collect(),
        BlobKind::Tree => {
            let tree = Tree::decode(plain).map_err(|e| damaged("tree", e.to_string()))?;
            let mut out = Vec::with_capacity(tree.entries.len());
            for e in &tree.entries {
                match &e.kind {
                    EntryKind::Dir { tree } => out.push(*tree),
                    EntryKind::Symlink { .. } => {}
                    EntryKind::File { storage, .. } => {
                        let c = match storage {
                            FileStorage::Raw(c) => c,
                            FileStorage::GzipPayload { payload, .. } => payload,
                        };
                        if let Some(t) = &c.tree {
                            out.push(t.root);
                        }
                    }
                }
            }
            out
        }
        BlobKind::Commit => {
            let c = Commit::decode(plain).map_err(|e| damaged("commit", e.to_string()))?;
            let mut out = vec![c.tree];
            out.extend(c.parents);
            out
        }
    })
}

/// The closure of the roots it is given: every blob reachable from them, through the store's index.
pub struct Walker<'s> {
    store: &'s Store,
    needed: HashSet<ObjectId>,
    /// The pack file read last (metadata of one commit mostly sits together).
    open: OpenPack,
}

impl<'s> Walker<'s> {
    pub fn new(store: &'s Store) -> Self {
        Self {
            store,
            needed: HashSet::new(),
            open: OpenPack::default(),
        }
    }

    /// A walker that starts from a set reached earlier (by a walk of the same store).
    pub fn with_needed(store: &'s Store, needed: HashSet<ObjectId>) -> Self {
        Self {
            needed,
            ..Self::new(store)
        }
    }

    /// The reached set, for [`Walker::with_needed`] after the store changed hands.
    pub fn into_needed(self) -> HashSet<ObjectId> {
        self.needed
    }

    /// Whether `id` was reached.
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.needed.contains(id)
    }

    pub fn len(&self) -> usize {
        self.needed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.needed.is_empty()
    }

    /// Adds a live root and everything below it. A blob missing from the index or unreadable is an
    /// error: the history is incomplete, and nothing may be deleted until `fsck` is clean.
    pub fn add_live(&mut self, root: ObjectId) -> Result<(), GcError> {
        self.add(root, true)
    }

    /// The copy of a blob at `entry` in `pack` stays: if it is a delta, its base is kept (and what
    /// is below it), whether or not the blob was reached (the copy the index reads may be another,
    /// stored whole or against another base).
    pub fn add_kept_copy(
        &mut self,
        pack: &ObjectId,
        entry: &crate::store::pack::PackEntry,
    ) -> Result<(), GcError> {
        let loc = crate::store::index::Location {
            pack: *pack,
            kind: entry.kind,
            offset: entry.offset,
            length: entry.length,
            raw_length: entry.raw_length,
            depth: entry.depth,
        };
        match self.store.blobs()?.base_at(&entry.id, &loc) {
            Ok(Some(base)) => self.add_kept(base),
            Ok(None) => Ok(()),
            Err(StoreError::Backend(e)) => Err(StoreError::Backend(e).into()),
            // A damaged copy refers to nothing gc can read; fsck reports it.
            Err(_) => Ok(()),
        }
    }

    /// Adds a blob that stays (in a pack that is kept) and everything below it that exists: a dead
    /// tree kept in a young pack keeps its files' chunks, so that no indexed blob ever refers to a
    /// missing one. What is missing or unreadable below a dead blob is passed over.
    pub fn add_kept(&mut self, id: ObjectId) -> Result<(), GcError> {
        self.add(id, false)
    }

    fn add(&mut self, root: ObjectId, strict: bool) -> Result<(), GcError> {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if self.needed.contains(&id) {
                continue;
            }
            let Some(loc) = self.store.index()?.get(&id) else {
                if strict {
                    return Err(GcError::Damaged {
                        what: "blob",
                        id,
                        detail: "missing from every index".into(),
                    });
                }
                continue;
            };
            self.needed.insert(id);
            // A blob stored as a delta needs its base, whatever its kind (a chunk too): read from
            // its envelope alone, without following the chain.
            if loc.depth > 0 {
                match self.store.blobs()?.base_of(&id) {
                    Ok(Some(base)) => {
                        if !self.needed.contains(&base) {
                            stack.push(base);
                        }
                    }
                    Ok(None) => {}
                    Err(e) if strict => {
                        return Err(GcError::Damaged {
                            what: loc.kind.name(),
                            id,
                            detail: e.to_string(),
                        });
                    }
                    Err(StoreError::Backend(e)) => return Err(StoreError::Backend(e).into()),
                    Err(_) => {}
                }
            }
            if !loc.kind.is_metadata() {
                continue;
            }
            let plain = match self
                .store
                .blobs()?
                .get_blob_through(&id, loc.kind, &mut self.open)
            {
                Ok(p) => p,
                Err(e) if strict => {
                    return Err(GcError::Damaged {
                        what: loc.kind.name(),
                        id,
                        detail: e.to_string(),
                    });
                }
                Err(StoreError::Backend(e)) => return Err(StoreError::Backend(e).into()),
                Err(_) => continue,
            };
            match references(loc.kind, &id, &plain) {
                Ok(children) => {
                    stack.extend(children.into_iter().filter(|c| !self.needed.contains(c)))
                }
                Err(e) if strict => return Err(e),
                Err(_) => {}
            }
        }
        Ok(())
    }
}
