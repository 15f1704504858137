//! Index files map blob id → (pack, offset, length); the repository loads them all into one compact
//! sorted table (`docs/FORMAT.md`, "Index").
//!
//! ```text
//! "DAWIDX" version(u8 = 2; 1 is still read)
//! sealed(plaintext), AAD = "daw index v1" ‖ index name
//! plaintext: version, [superseded index names], [pack name, [entries]]
//! ```
//! Version 2 entries give each blob's delta depth (`pack::encode_entries`).
//! An index that lists others as superseded replaces them (compaction); until those are deleted both
//! are read and the duplicates are harmless.

use std::collections::HashMap;

use crate::object::{BlobKind, DecodeError, ObjectId, Reader, Writer};

use super::crypto::{self, SecretKey};
use super::pack::{self, PackEntry};

pub const INDEX_MAGIC: &[u8; 6] = b"DAWIDX";
/// The version daw writes; version 1 (no delta depths) is still read.
pub const INDEX_VERSION: u8 = 2;

pub fn index_path(name: &ObjectId) -> String {
    format!("index/{}", name.to_hex())
}

pub fn index_name_from_path(path: &str) -> Option<ObjectId> {
    ObjectId::from_hex(path.strip_prefix("index/")?)
}

pub(crate) fn aad(name: &ObjectId) -> Vec<u8> {
    let mut a = b"daw index v1".to_vec();
    a.extend_from_slice(name.as_bytes());
    a
}

/// The decoded content of one index file.
#[derive(Debug, Default)]
pub struct IndexFile {
    pub supersedes: Vec<ObjectId>,
    pub packs: Vec<(ObjectId, Vec<PackEntry>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index {name}: {detail}")]
    Malformed { name: ObjectId, detail: String },
    #[error("index {name} failed authentication (damaged, or from another repository)")]
    Auth { name: ObjectId },
    #[error("index {name}: {source}")]
    Decode {
        name: ObjectId,
        #[source]
        source: DecodeError,
    },
}

impl IndexFile {
    pub fn seal(&self, key: &SecretKey, name: &ObjectId) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(u64::from(INDEX_VERSION))
            .uvar(self.supersedes.len() as u64);
        for s in &self.supersedes {
            w.id(s);
        }
        w.uvar(self.packs.len() as u64);
        for (p, entries) in &self.packs {
            w.id(p);
            pack::encode_entries(&mut w, entries);
        }
        let mut out = INDEX_MAGIC.to_vec();
        out.push(INDEX_VERSION);
        out.extend(crypto::seal(key, &aad(name), &w.finish()));
        out
    }

    pub fn open(key: &SecretKey, name: &ObjectId, bytes: &[u8]) -> Result<Self, IndexError> {
        let malformed = |d: &str| IndexError::Malformed {
            name: *name,
            detail: d.into(),
        };
        if bytes.len() < 7 || &bytes[..6] != INDEX_MAGIC {
            return Err(malformed("bad magic"));
        }
        let version = bytes[6];
        if version == 0 || version > INDEX_VERSION {
            return Err(malformed(&format!(
                "unsupported version {version}; upgrade daw"
            )));
        }
        let plain = crypto::open(key, &aad(name), &bytes[7..])
            .map_err(|_| IndexError::Auth { name: *name })?;
        let decode = |source| IndexError::Decode {
            name: *name,
            source,
        };
        let mut r = Reader::new(&plain, "index");
        if r.version(u64::from(INDEX_VERSION)).map_err(decode)? != u64::from(version) {
            return Err(malformed("plaintext version differs from the file's"));
        }
        let n = r.count(32).map_err(decode)?;
        let supersedes = (0..n)
            .map(|_| r.id())
            .collect::<Result<_, _>>()
            .map_err(decode)?;
        let n = r.count(33).map_err(decode)?;
        let mut packs = Vec::with_capacity(n);
        for _ in 0..n {
            let p = r.id().map_err(decode)?;
            packs.push((p, pack::decode_entries(&mut r, version).map_err(decode)?));
        }
        r.finish().map_err(decode)?;
        Ok(Self { supersedes, packs })
    }
}

/// Where a blob is, as the in-memory table holds it.
#[derive(Clone, Copy, Debug)]
pub struct Location {
    pub pack: ObjectId,
    pub kind: BlobKind,
    pub offset: u64,
    pub length: u32,
    pub raw_length: u32,
    /// 0: stored whole; d ≥ 1: a delta of a blob of depth below d.
    pub depth: u8,
}

#[derive(Clone, Copy)]
struct Row {
    id: ObjectId,
    pack: u32,
    kind: BlobKind,
    depth: u8,
    length: u32,
    raw_length: u32,
    offset: u64,
}

/// All index files merged: a sorted table searched by binary search.
#[derive(Default)]
pub struct IndexTable {
    packs: Vec<ObjectId>,
    pack_numbers: HashMap<ObjectId, u32>,
    rows: Vec<Row>,
    sorted: bool,
}

impl IndexTable {
    pub fn add_pack(&mut self, pack: ObjectId, entries: &[PackEntry]) {
        let n = *self.pack_numbers.entry(pack).or_insert_with(|| {
            self.packs.push(pack);
            (self.packs.len() - 1) as u32
        });
        self.rows.extend(entries.iter().map(|e| Row {
            id: e.id,
            pack: n,
            kind: e.kind,
            depth: e.depth,
            length: e.length,
            raw_length: e.raw_length,
            offset: e.offset,
        }));
        self.sorted = false;
    }

    /// Sorts the table and drops duplicate ids. Of several copies of a blob, the one of lowest delta
    /// depth wins (then the first): a delta's depth is above its base's when it was written, so the
    /// copies read always shorten along a chain, and copies from two histories cannot form a cycle.
    pub fn finish(&mut self) {
        if !self.sorted {
            // (id, pack, offset) is unique, so an unstable sort gives the same order, faster.
            self.rows.sort_unstable_by(|a, b| {
                a.id.cmp(&b.id)
                    .then(a.depth.cmp(&b.depth))
                    .then(a.pack.cmp(&b.pack))
                    .then(a.offset.cmp(&b.offset))
            });
            self.rows.dedup_by(|a, b| a.id == b.id);
            self.sorted = true;
        }
    }

    pub fn get(&self, id: &ObjectId) -> Option<Location> {
        debug_assert!(self.sorted, "IndexTable::finish must run before lookups");
        let i = self.rows.binary_search_by(|r| r.id.cmp(id)).ok()?;
        let r = &self.rows[i];
        Some(Location {
            pack: self.packs[r.pack as usize],
            kind: r.kind,
            offset: r.offset,
            length: r.length,
            raw_length: r.raw_length,
            depth: r.depth,
        })
    }

    pub fn contains(&self, id: &ObjectId) -> bool {
        self.get(id).is_some()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn packs(&self) -> &[ObjectId] {
        &self.packs
    }

    /// Ids that start with a hex prefix (for abbreviated commit ids), of one kind.
    pub fn ids_with_prefix(&self, prefix: &str, kind: BlobKind) -> Vec<ObjectId> {
        // Binary search to the first id >= the prefix padded with zeros.
        let mut padded = prefix.to_string();
        while padded.len() < 64 {
            padded.push('0');
        }
        let start_id = ObjectId::from_hex(&padded);
        let start = start_id.map_or(0, |s| self.rows.partition_point(|r| r.id < s));
        self.rows[start..]
            .iter()
            .take_while(|r| r.id.has_hex_prefix(prefix))
            .filter(|r| r.kind == kind)
            .map(|r| r.id)
            .collect()
    }

    /// Every blob, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (ObjectId, Location)> + '_ {
        self.rows.iter().map(|r| {
            (
                r.id,
                Location {
                    pack: self.packs[r.pack as usize],
                    kind: r.kind,
                    offset: r.offset,
                    length: r.length,
                    raw_length: r.raw_length,
                    depth: r.depth,
                },
            )
        })
    }
}
