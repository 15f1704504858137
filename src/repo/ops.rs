//! Branches, tags and HEAD live in an encrypted ref table, and every change to them is an operation: an
//! immutable, sealed object that holds the whole new table, who made the change and with what command,
//! and the operation it follows (`docs/FORMAT.md`, "Operation"). The current operation's id is kept in
//! the local file `op_head`; replacing that file (temp + fsync + rename) is the single commit point of
//! every command that changes refs. The chain of operations is the audit trail (`daw oplog`) and what
//! `daw undo` walks back.
//!
//! Commands that rewrite files in the project (`switch`, `restore`, `reset --hard`, `undo`) record what
//! they did to the work tree too (`WorkTreeChange`), so that `daw undo` can put the files back.

use std::collections::BTreeMap;

use crate::object::{DecodeError, ObjectId, Reader, Writer};

/// The operation encoding written today. Version 1 (no work-tree record) is still read.
const OP_VERSION: u64 = 2;

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
}

impl RefTable {
    pub fn new(initial_branch: &str) -> Self {
        Self {
            head: Head::Branch(initial_branch.into()),
            branches: BTreeMap::new(),
            tags: BTreeMap::new(),
        }
    }

    /// The commit HEAD resolves to, if any.
    pub fn head_commit(&self) -> Option<ObjectId> {
        match &self.head {
            Head::Branch(b) => self.branches.get(b).copied(),
            Head::Detached(id) => Some(*id),
        }
    }

    /// Every commit a ref points at (for reachability).
    pub fn targets(&self) -> Vec<ObjectId> {
        let mut v: Vec<ObjectId> = self.branches.values().copied().collect();
        v.extend(self.tags.values().map(|t| t.target));
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
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
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
        Ok(Self {
            head,
            branches,
            tags,
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
        let refs = RefTable::decode(&mut r)?;
        let work_tree = if version >= 2 {
            match r.u8()? {
                0 => None,
                1 => Some(WorkTreeChange::decode(&mut r)?),
                t => return Err(r.invalid(format!("unknown work-tree flag {t}"))),
            }
        } else {
            None
        };
        r.finish()?;
        Ok(Self {
            parents,
            meta,
            description,
            undoes,
            refs,
            work_tree,
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
        RefTable::new("main").encode(&mut w);
        let op = Operation::decode(&w.finish()).unwrap();
        assert_eq!(op.work_tree, None);
        assert_eq!(op.refs.head, Head::Branch("main".into()));
        assert_eq!(op.meta.command, "daw init");
    }
}
