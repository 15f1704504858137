//! Reading a remote's operation log: what is new since this client last looked, the heads, the
//! merged refs, and whether the remote went back in time.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::object::{BlobKind, Commit, ObjectId};
use crate::oplog::{Head, Operation, RefTable};
use crate::store::{Backend, Store, StoreError};

use super::{
    RemoteBranch, RemoteError, RemoteOp, RemoteRecord, RemoteRefs, Result, op_path, op_seal_name,
    parse_op_path,
};

/// A remote as read now.
#[derive(Clone, Debug, Default)]
pub struct RemoteState {
    /// The highest operation number on the remote (0: no operation yet).
    pub seq: u64,
    /// The heads: operations no other one supersedes.
    pub heads: Vec<(u64, ObjectId, RefTable)>,
    /// Operations this client had not seen, oldest first.
    pub new_ops: Vec<RemoteOp>,
    /// The refs, merged over the heads.
    pub refs: RemoteRefs,
    /// Every pack an operation announced (those this client knew, and the new ones).
    pub announced: BTreeSet<ObjectId>,
}

impl RemoteState {
    /// The record this client keeps after reading the state.
    pub fn record(&self, previous: &RemoteRecord) -> RemoteRecord {
        let mut packs = previous.packs.clone();
        packs.extend(self.announced.iter().copied());
        RemoteRecord {
            seq: self.seq,
            heads: self.heads.clone(),
            packs,
            announced: self.announced.clone(),
            key_set: previous.key_set,
        }
    }

    /// Branches that two racing pushes moved two ways.
    pub fn diverged(&self) -> Vec<(&str, &[ObjectId])> {
        self.refs
            .branches
            .iter()
            .filter(|(_, b)| b.targets.len() > 1)
            .map(|(n, b)| (n.as_str(), b.targets.as_slice()))
            .collect()
    }
}

/// Reads a remote operation (authenticated under its place and id).
pub fn read_remote_op(
    remote: &Backend,
    store: &Store,
    seq: u64,
    id: &ObjectId,
) -> Result<Operation> {
    let sealed = remote.get(&op_path(seq, id))?;
    open_remote_op(store, seq, id, &sealed)
}

fn open_remote_op(store: &Store, seq: u64, id: &ObjectId, sealed: &[u8]) -> Result<Operation> {
    let path = op_path(seq, id);
    let name = op_seal_name(seq, id);
    let plain = store
        .open_file("remote operation", &name, sealed)
        .map_err(|_| RemoteError::Damaged {
            path: path.clone(),
            detail: "failed authentication (tampered with, replaced, or from another repository)"
                .into(),
        })?;
    if store.keys().object_id(&plain) != *id {
        return Err(RemoteError::Damaged {
            path,
            detail: "does not match its id".into(),
        });
    }
    Operation::decode(&plain).map_err(|e| RemoteError::Damaged {
        path,
        detail: e.to_string(),
    })
}

/// Seals a remote operation for its place; returns its id and bytes.
pub(super) fn seal_remote_op(store: &Store, seq: u64, op: &Operation) -> (ObjectId, Vec<u8>) {
    let plain = op.encode();
    let id = store.keys().object_id(&plain);
    let sealed = store.seal_file("remote operation", &op_seal_name(seq, &id), &plain);
    (id, sealed)
}

/// Lists the remote's operations from `record.seq` on (one request per thousand), reads the ones this
/// client has not seen, and works out the heads and refs. Fails with `Rollback` when an operation
/// this client saw is gone and nothing newer replaced it.
pub fn read_state(remote: &Backend, store: &Store, record: &RemoteRecord) -> Result<RemoteState> {
    // From the oldest head this client knows (heads left by a race may be older than the newest).
    let from = record
        .heads
        .iter()
        .map(|(s, _, _)| *s)
        .min()
        .unwrap_or(record.seq);
    let listed = if record.seq == 0 {
        remote.list("ops")?
    } else {
        remote.list_after("ops", &format!("ops/{from:016x}"))?
    };
    let mut found: Vec<(u64, ObjectId)> = Vec::new();
    for l in &listed {
        match parse_op_path(&l.path) {
            Some(x) => found.push(x),
            None => {
                return Err(RemoteError::Damaged {
                    path: l.path.clone(),
                    detail: "not an operation name daw writes".into(),
                });
            }
        }
    }
    found.sort();
    let present: HashSet<ObjectId> = found.iter().map(|(_, id)| *id).collect();
    let max_seq = found.last().map(|(s, _)| *s).unwrap_or(0);
    let known: HashSet<ObjectId> = record.heads.iter().map(|(_, id, _)| *id).collect();

    // Read what is new (several at once).
    let new: Vec<(u64, ObjectId)> = found
        .iter()
        .filter(|(_, id)| !known.contains(id))
        .copied()
        .collect();
    let new_ops = read_ops(remote, store, &new)?;

    let superseded: HashSet<ObjectId> = new_ops
        .iter()
        .flat_map(|o| o.op.parents.iter().copied())
        .collect();
    // Every head this client saw must still be there, or be superseded by something newer.
    for (seq, id, _) in &record.heads {
        if !present.contains(id) && !superseded.contains(id) {
            return Err(RemoteError::Rollback {
                op: id.short(12),
                seq: *seq,
            });
        }
    }
    if max_seq < record.seq {
        return Err(RemoteError::Rollback {
            op: record
                .heads
                .last()
                .map(|(_, id, _)| id.short(12))
                .unwrap_or_default(),
            seq: record.seq,
        });
    }

    let mut heads: Vec<(u64, ObjectId, RefTable)> = record
        .heads
        .iter()
        .filter(|(_, id, _)| present.contains(id) && !superseded.contains(id))
        .cloned()
        .collect();
    for o in &new_ops {
        if !superseded.contains(&o.id) {
            heads.push((o.seq, o.id, o.op.refs.clone()));
        }
    }
    heads.sort_by_key(|(s, id, _)| (*s, *id));
    let mut announced = record.announced.clone();
    for o in &new_ops {
        announced.extend(o.op.packs.iter().copied());
    }
    let refs = merge_refs(&heads);
    Ok(RemoteState {
        seq: max_seq.max(record.seq),
        heads,
        new_ops,
        refs,
        announced,
    })
}

fn read_ops(remote: &Backend, store: &Store, which: &[(u64, ObjectId)]) -> Result<Vec<RemoteOp>> {
    // Download many at once (one request each: a clone of a long history is latency-bound); open
    // them here (the store's keys stay on this thread).
    let paths: Vec<String> = which.iter().map(|(seq, id)| op_path(*seq, id)).collect();
    let sealed = remote.get_many(&paths, 16)?;
    which
        .iter()
        .zip(sealed)
        .map(|((seq, id), bytes)| {
            Ok(RemoteOp {
                seq: *seq,
                id: *id,
                op: open_remote_op(store, *seq, id, &bytes)?,
            })
        })
        .collect()
}

/// Merges the refs of several heads: a branch the heads agree on has one target; one they disagree
/// on keeps every target (a divergence, resolved later by ancestry or by the user). The newest
/// head's HEAD branch is the default branch.
fn merge_refs(heads: &[(u64, ObjectId, RefTable)]) -> RemoteRefs {
    let mut out = RemoteRefs::default();
    for (_, _, refs) in heads {
        for (name, id) in &refs.branches {
            let b = out
                .branches
                .entry(name.clone())
                .or_insert_with(|| RemoteBranch {
                    targets: Vec::new(),
                });
            if !b.targets.contains(id) {
                b.targets.push(*id);
            }
        }
        for (name, tag) in &refs.tags {
            out.tags.entry(name.clone()).or_insert_with(|| tag.clone());
        }
        if let Head::Branch(b) = &refs.head {
            out.default_branch = Some(b.clone());
        }
    }
    out
}

/// Resolves divergent branches by ancestry where the commits are in `store`: a target that is an
/// ancestor of another is dropped.
pub fn resolve_by_ancestry(state: &mut RemoteState, store: &Store) -> Result<()> {
    for b in state.refs.branches.values_mut() {
        if b.targets.len() < 2 {
            continue;
        }
        let targets = b.targets.clone();
        let mut keep = Vec::new();
        for t in &targets {
            let mut covered = false;
            for o in &targets {
                if o != t && is_ancestor(store, t, o)? == Some(true) {
                    covered = true;
                    break;
                }
            }
            if !covered {
                keep.push(*t);
            }
        }
        b.targets = keep;
    }
    Ok(())
}

/// Whether `ancestor` is `descendant` or one of its ancestors. `None` when a commit on the way is not
/// in `store` (the answer would need a fetch).
pub fn is_ancestor(
    store: &Store,
    ancestor: &ObjectId,
    descendant: &ObjectId,
) -> Result<Option<bool>> {
    if ancestor == descendant {
        return Ok(Some(true));
    }
    if !store.contains(ancestor)? {
        return Ok(None);
    }
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack = vec![*descendant];
    let mut incomplete = false;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if id == *ancestor {
            return Ok(Some(true));
        }
        let bytes = match store.get_blob_as(&id, BlobKind::Commit) {
            Ok(b) => b,
            Err(StoreError::Missing(_)) => {
                incomplete = true;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let commit = Commit::decode(&bytes).map_err(|e| RemoteError::Damaged {
            path: format!("commit {}", id.short(12)),
            detail: e.to_string(),
        })?;
        stack.extend(commit.parents);
    }
    Ok(if incomplete { None } else { Some(false) })
}

/// Every branch of the remote that has one target, by name.
pub fn single_targets(refs: &RemoteRefs) -> BTreeMap<String, ObjectId> {
    refs.branches
        .iter()
        .filter_map(|(n, b)| b.single().map(|id| (n.clone(), id)))
        .collect()
}
