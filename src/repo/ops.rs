//! Branches, tags and HEAD live in an encrypted ref table, and every change to them is an operation: an
//! immutable, sealed object that holds the whole new table, who made the change and with what command,
//! and the operation it follows (`docs/FORMAT.md`, "Operation"). The current operation's id is kept in
//! the local file `op_head`; replacing that file (temp + fsync + rename) is the single commit point of
//! every command that changes refs. The chain of operations is the audit trail (`daw oplog`) and what
//! `daw undo` walks back.

use std::collections::BTreeMap;

use crate::object::{DecodeError, ObjectId, Reader, Writer};

const OP_VERSION: u64 = 1;

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
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "operation");
        r.version(OP_VERSION)?;
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
        r.finish()?;
        Ok(Self {
            parents,
            meta,
            description,
            undoes,
            refs,
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
        };
        assert_eq!(Operation::decode(&op.encode()).unwrap(), op);
    }
}
