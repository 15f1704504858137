//! The operation log. Branches, tags and HEAD live in an encrypted ref table, and every change to them
//! is an operation: an immutable, sealed object that holds the whole new table, who made the change and
//! with what command, and the operation(s) it follows (`docs/FORMAT.md`, "Operation"). In a local
//! repository the current operation's id is kept in `op_head`; replacing it (atomically, through the
//! backend) is the single commit point of every command that changes refs. On a remote, operations are
//! named by sequence number and id and the state is the set of heads (`crate::remote`). The chain of
//! operations is the audit trail (`daw oplog`) and what `daw undo` walks back.
//!
//! Reading and writing go through a [`Store`] and its backend, so the same code serves a local
//! repository and every remote. Must not: know about files of the project, remotes' transfer, or the
//! terminal.
//!
//! Commands that rewrite files in the project (`switch`, `restore`, `reset --hard`, `undo`) record what
//! they did to the work tree too (`WorkTreeChange`), so that `daw undo` can put the files back.

use std::collections::{BTreeMap, BTreeSet};

use crate::object::{DecodeError, ObjectId, Reader, Writer};
use crate::store::{Store, StoreError};

/// An operation could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum OpLogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The operation's content does not hash to its name.
    #[error("operation {0} does not match its id")]
    Mismatch(ObjectId),
    /// The operation did not decode.
    #[error("operation {id}: {source}")]
    Decode {
        id: String,
        #[source]
        source: DecodeError,
    },
    /// `op_head` does not hold an operation id.
    #[error("op_head is malformed")]
    MalformedHead,
}

/// Seals an operation and writes it at `path(id)`; returns its id (the keyed hash of its encoding).
pub fn write_op(
    store: &Store,
    op: &Operation,
    path: impl Fn(&ObjectId) -> String,
) -> Result<ObjectId, OpLogError> {
    let plain = op.encode();
    let id = store.keys().object_id(&plain);
    let sealed = store.seal_file("operation", &id.to_hex(), &plain);
    store
        .backend()
        .put(&path(&id), sealed)
        .map_err(StoreError::from)?;
    Ok(id)
}

/// Reads, authenticates and decodes the operation `id` stored at `path`.
pub fn read_op(store: &Store, id: &ObjectId, path: &str) -> Result<Operation, OpLogError> {
    let sealed = store.backend().get(path).map_err(StoreError::from)?;
    decode_sealed(store, id, &sealed)
}

/// Opens an operation's sealed bytes and checks them against its id.
pub fn decode_sealed(store: &Store, id: &ObjectId, sealed: &[u8]) -> Result<Operation, OpLogError> {
    let plain = store.open_file("operation", &id.to_hex(), sealed)?;
    if store.keys().object_id(&plain) != *id {
        return Err(OpLogError::Mismatch(*id));
    }
    Operation::decode(&plain).map_err(|source| OpLogError::Decode {
        id: id.to_hex(),
        source,
    })
}

/// The name of a local repository's current-operation pointer.
pub const OP_HEAD: &str = "op_head";

/// The id of a local repository's current operation.
pub fn read_head(store: &Store) -> Result<ObjectId, OpLogError> {
    let text = store.backend().get(OP_HEAD).map_err(StoreError::from)?;
    std::str::from_utf8(&text)
        .ok()
        .and_then(|t| ObjectId::from_hex(t.trim()))
        .ok_or(OpLogError::MalformedHead)
}

/// Makes `id` the current operation: atomic and durable (the commit point of every ref change).
pub fn write_head(store: &Store, id: &ObjectId) -> Result<(), OpLogError> {
    store
        .backend()
        .put(OP_HEAD, format!("{}\n", id.to_hex()).into_bytes())
        .map_err(StoreError::from)?;
    Ok(())
}

/// The name of the list of operations `daw gc --prune-oplog` removed from a local log.
pub const PRUNED: &str = "ops-pruned";
const PRUNED_VERSION: u64 = 1;

/// The operations pruned from the log (`docs/FORMAT.md`, "Pruned operations"); empty when none was.
pub fn read_pruned(store: &Store) -> Result<BTreeSet<ObjectId>, OpLogError> {
    let sealed = match store.backend().get(PRUNED) {
        Ok(b) => b,
        Err(crate::store::BackendError::NotFound(_)) => return Ok(BTreeSet::new()),
        Err(e) => return Err(StoreError::from(e).into()),
    };
    let plain = store.open_file("pruned operations", PRUNED, &sealed)?;
    let decode = |source| OpLogError::Decode {
        id: PRUNED.into(),
        source,
    };
    let mut r = Reader::new(&plain, "pruned operations");
    r.version(PRUNED_VERSION).map_err(decode)?;
    let n = r.count(32).map_err(decode)?;
    let ids = (0..n)
        .map(|_| r.id())
        .collect::<Result<BTreeSet<_>, _>>()
        .map_err(decode)?;
    r.finish().map_err(decode)?;
    Ok(ids)
}

/// Replaces the list of pruned operations (atomic and durable). Written before the operations'
/// files are deleted.
pub fn write_pruned(store: &Store, ids: &BTreeSet<ObjectId>) -> Result<(), OpLogError> {
    let mut w = Writer::new();
    w.uvar(PRUNED_VERSION).uvar(ids.len() as u64);
    for id in ids {
        w.id(id);
    }
    let sealed = store.seal_file("pruned operations", PRUNED, &w.finish());
    store
        .backend()
        .put(PRUNED, sealed)
        .map_err(StoreError::from)?;
    Ok(())
}

/// The operation encoding written today. Version 1 (no work-tree record) and 2 (no remote-tracking
/// refs, no pack list) are still read.
const OP_VERSION: u64 = 3;

/// What HEAD points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Head {
    /// On a branch (which may not exist yet: an unborn branch before the first commit).
    Branch(String),
    /// At a commit, on no branch.
    Detached(ObjectId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub target: ObjectId,
    /// An annotated tag's message.
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTable {
    pub head: Head,
    pub branches: BTreeMap<String, ObjectId>,
    pub tags: BTreeMap<String, Tag>,
    /// Remote-tracking branches: for each remote, its branches as last fetched or pushed
    /// (`origin/main`).
    pub remotes: BTreeMap<String, BTreeMap<String, ObjectId>>,
}

impl RefTable {
    pub fn new(initial_branch: &str) -> Self {
        Self {
            head: Head::Branch(initial_branch.into()),
            branches: BTreeMap::new(),
            tags: BTreeMap::new(),
            remotes: BTreeMap::new(),
        }
    }

    /// The commit HEAD resolves to, if any.
    pub fn head_commit(&self) -> Option<ObjectId> {
        match &self.head {
            Head::Branch(b) => self.branches.get(b).copied(),
            Head::Detached(id) => Some(*id),
        }
    }

    /// Every commit a ref points at (for reachability), remote-tracking branches included.
    pub fn targets(&self) -> Vec<ObjectId> {
        let mut v: Vec<ObjectId> = self.branches.values().copied().collect();
        v.extend(self.tags.values().map(|t| t.target));
        v.extend(self.remotes.values().flat_map(|b| b.values().copied()));
        if let Head::Detached(id) = &self.head {
            v.push(*id);
        }
        v.sort();
        v.dedup();
        v
    }

    fn encode(&self, w: &mut Writer) {
        match &self.head {
            Head::Branch(b) => w.u8(1).str(b),
            Head::Detached(id) => w.u8(2).id(id),
        };
        w.uvar(self.branches.len() as u64);
        for (name, id) in &self.branches {
            w.str(name).id(id);
        }
        w.uvar(self.tags.len() as u64);
        for (name, tag) in &self.tags {
            w.str(name).id(&tag.target);
            match &tag.message {
                Some(m) => w.u8(1).str(m),
                None => w.u8(0),
            };
        }
        w.uvar(self.remotes.len() as u64);
        for (remote, branches) in &self.remotes {
            w.str(remote).uvar(branches.len() as u64);
            for (name, id) in branches {
                w.str(name).id(id);
            }
        }
    }

    fn decode(r: &mut Reader<'_>, version: u64) -> Result<Self, DecodeError> {
        let head = match r.u8()? {
            1 => Head::Branch(r.string()?),
            2 => Head::Detached(r.id()?),
            t => return Err(r.invalid(format!("unknown HEAD kind {t}"))),
        };
        let n = r.count(33)?;
        let mut branches = BTreeMap::new();
        for _ in 0..n {
            let name = r.string()?;
            branches.insert(name, r.id()?);
        }
        let n = r.count(34)?;
        let mut tags = BTreeMap::new();
        for _ in 0..n {
            let name = r.string()?;
            let target = r.id()?;
            let message = match r.u8()? {
                0 => None,
                1 => Some(r.string()?),
                t => return Err(r.invalid(format!("unknown tag flag {t}"))),
            };
            tags.insert(name, Tag { target, message });
        }
        let mut remotes = BTreeMap::new();
        if version >= 3 {
            let n = r.count(2)?;
            for _ in 0..n {
                let remote = r.string()?;
                let m = r.count(33)?;
                let mut branches = BTreeMap::new();
                for _ in 0..m {
                    let name = r.string()?;
                    branches.insert(name, r.id()?);
                }
                remotes.insert(remote, branches);
            }
        }
        Ok(Self {
            head,
            branches,
            tags,
            remotes,
        })
    }
}

/// Who ran an operation, when, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpMeta {
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub tz_offset_minutes: i32,
    /// `name <email>` of the user.
    pub user: String,
    pub hostname: String,
    /// The command line as typed (arguments joined with spaces).
    pub command: String,
}

/// How a command changed the files of the project: the files at `paths` went from matching tree `from`
/// to matching tree `to`. `daw undo` applies the reverse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkTreeChange {
    /// The tree the files matched before (`None`: the empty tree). When the command discarded
    /// uncommitted changes, they were saved first and this tree holds them.
    pub from: Option<ObjectId>,
    /// The tree the files match after (`None`: the empty tree).
    pub to: Option<ObjectId>,
    /// The paths (relative, `/`-separated) the change was limited to; empty for the whole project.
    pub paths: Vec<String>,
}

impl WorkTreeChange {
    /// The change that undoes this one.
    pub fn reversed(&self) -> Self {
        Self {
            from: self.to,
            to: self.from,
            paths: self.paths.clone(),
        }
    }

    fn encode(&self, w: &mut Writer) {
        for t in [&self.from, &self.to] {
            match t {
                Some(id) => w.u8(1).id(id),
                None => w.u8(0),
            };
        }
        w.uvar(self.paths.len() as u64);
        for p in &self.paths {
            w.str(p);
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let tree = |r: &mut Reader<'_>| match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(r.id()?)),
            t => Err(r.invalid(format!("unknown tree flag {t}"))),
        };
        let from = tree(r)?;
        let to = tree(r)?;
        let n = r.count(1)?;
        let paths = (0..n).map(|_| r.string()).collect::<Result<_, _>>()?;
        Ok(Self { from, to, paths })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operation(s) this one follows (one, except after a merge of concurrent remote operations).
    pub parents: Vec<ObjectId>,
    pub meta: OpMeta,
    /// A one-line description ("commit 3f2a…", "switch to 'mix'", "undo …").
    pub description: String,
    /// Set on an undo: the operation it reverted.
    pub undoes: Option<ObjectId>,
    pub refs: RefTable,
    /// What the command did to the project's files, if anything.
    pub work_tree: Option<WorkTreeChange>,
    /// On a remote: the packs this push made part of the remote (`docs/FORMAT.md`, "Remote").
    /// Empty in a local repository.
    pub packs: Vec<ObjectId>,
}

impl Operation {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(OP_VERSION).uvar(self.parents.len() as u64);
        for p in &self.parents {
            w.id(p);
        }
        w.ivar(self.meta.time)
            .ivar(i64::from(self.meta.tz_offset_minutes))
            .str(&self.meta.user)
            .str(&self.meta.hostname)
            .str(&self.meta.command)
            .str(&self.description);
        match &self.undoes {
            Some(id) => w.u8(1).id(id),
            None => w.u8(0),
        };
        self.refs.encode(&mut w);
        match &self.work_tree {
            Some(c) => {
                w.u8(1);
                c.encode(&mut w);
            }
            None => {
                w.u8(0);
            }
        }
        w.uvar(self.packs.len() as u64);
        for p in &self.packs {
            w.id(p);
        }
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "operation");
        let version = r.version(OP_VERSION)?;
        let n = r.count(32)?;
        let parents = (0..n).map(|_| r.id()).collect::<Result<_, _>>()?;
        let time = r.ivar()?;
        let tz = i32::try_from(r.ivar()?).map_err(|_| r.invalid("time zone out of range"))?;
        let meta = OpMeta {
            time,
            tz_offset_minutes: tz,
            user: r.string()?,
            hostname: r.string()?,
            command: r.string()?,
        };
        let description = r.string()?;
        let undoes = match r.u8()? {
            0 => None,
            1 => Some(r.id()?),
            t => return Err(r.invalid(format!("unknown flag {t}"))),
        };
        let refs = RefTable::decode(&mut r, version)?;
        let work_tree = if version >= 2 {
            match r.u8()? {
                0 => None,
                1 => Some(WorkTreeChange::decode(&mut r)?),
                t => return Err(r.invalid(format!("unknown work-tree flag {t}"))),
            }
        } else {
            None
        };
        let packs = if version >= 3 {
            let n = r.count(32)?;
            (0..n).map(|_| r.id()).collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        r.finish()?;
        Ok(Self {
            parents,
            meta,
            description,
            undoes,
            refs,
            work_tree,
            packs,
        })
    }
}

pub fn op_path(id: &ObjectId) -> String {
    format!("ops/{}", id.to_hex())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_round_trips() {
        let mut refs = RefTable::new("main");
        refs.branches
            .insert("main".into(), ObjectId::from_bytes([1; 32]));
        refs.remotes
            .entry("origin".into())
            .or_default()
            .insert("main".into(), ObjectId::from_bytes([5; 32]));
        refs.branches
            .insert("mix ideas".into(), ObjectId::from_bytes([2; 32]));
        refs.tags.insert(
            "v1".into(),
            Tag {
                target: ObjectId::from_bytes([1; 32]),
                message: Some("first".into()),
            },
        );
        let op = Operation {
            parents: vec![ObjectId::from_bytes([9; 32])],
            meta: OpMeta {
                time: 1,
                tz_offset_minutes: 60,
                user: "A <a@b>".into(),
                hostname: "studio".into(),
                command: "daw commit -m x".into(),
            },
            description: "commit".into(),
            undoes: None,
            refs,
            work_tree: Some(WorkTreeChange {
                from: Some(ObjectId::from_bytes([3; 32])),
                to: None,
                paths: vec!["Samples/kick.wav".into()],
            }),
            packs: vec![ObjectId::from_bytes([4; 32])],
        };
        assert_eq!(Operation::decode(&op.encode()).unwrap(), op);
        let mut plain = op.clone();
        plain.work_tree = None;
        assert_eq!(Operation::decode(&plain.encode()).unwrap(), plain);
    }

    #[test]
    fn version_1_operations_still_decode() {
        // A version-1 operation as daw 0.1 wrote it: no work-tree record.
        let mut w = Writer::new();
        w.uvar(1)
            .uvar(0)
            .ivar(5)
            .ivar(0)
            .str("A <a@b>")
            .str("h")
            .str("daw init");
        w.str("initialize repository").u8(0);
        let mut v1 = Writer::new();
        RefTable::new("main").encode(&mut v1);
        // Version 1 and 2 ref tables end before the remote-tracking refs (an empty list: one byte).
        let v1 = v1.finish();
        w.raw(&v1[..v1.len() - 1]);
        let op = Operation::decode(&w.finish()).unwrap();
        assert_eq!(op.work_tree, None);
        assert_eq!(op.refs.head, Head::Branch("main".into()));
        assert_eq!(op.meta.command, "daw init");
    }
}
