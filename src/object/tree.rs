//! Trees: one per directory, entries sorted by name (`docs/FORMAT.md`, "Tree").
//!
//! A file entry records everything needed to rebuild the file byte-exact: its size and whole-file hash
//! (checked on every checkout), its mode and mtime, and how its bytes are stored (`FileStorage`).

use super::ObjectId;
use super::encoding::{DecodeError, Reader, Writer};

/// Version of the tree encoding.
pub const TREE_VERSION: u64 = 1;

/// Where a byte stream's chunks are: the root of its chunk tree.
///
/// Height 0 means `root` is the only chunk; height h > 0 means `root` is a content node whose children
/// have height h - 1. An empty stream has no root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentRef {
    pub root: ObjectId,
    pub height: u8,
}

/// A byte stream as stored: its length and, unless empty, its chunk tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Content {
    pub size: u64,
    pub tree: Option<ContentRef>,
}

impl Content {
    pub const EMPTY: Content = Content {
        size: 0,
        tree: None,
    };

    fn encode(&self, w: &mut Writer) {
        w.uvar(self.size);
        if let Some(t) = &self.tree {
            w.u8(t.height).id(&t.root);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let size = r.uvar()?;
        let tree = if size == 0 {
            None
        } else {
            let height = r.u8()?;
            Some(ContentRef {
                height,
                root: r.id()?,
            })
        };
        Ok(Self { size, tree })
    }
}

/// How a file's bytes are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileStorage {
    /// The file's own bytes, chunked.
    Raw(Content),
    /// A gzip file (an Ableton set) kept as its decompressed payload plus the encoded
    /// `formats::gzip::GzipLayout` that re-creates the exact compressed bytes.
    GzipPayload { layout: Vec<u8>, payload: Content },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File {
        size: u64,
        /// Keyed blake3 of the file's bytes as they were on disk.
        hash: ObjectId,
        storage: FileStorage,
    },
    Dir {
        tree: ObjectId,
    },
    Symlink {
        target: Vec<u8>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// The file name as raw bytes (Unix names need not be UTF-8).
    pub name: Vec<u8>,
    /// Unix permission bits (`0o7777` mask).
    pub mode: u32,
    pub mtime_secs: i64,
    pub mtime_nanos: u32,
    pub kind: EntryKind,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    /// Sorted by `name`, names unique.
    pub entries: Vec<TreeEntry>,
}

impl Tree {
    pub fn get(&self, name: &[u8]) -> Option<&TreeEntry> {
        self.entries
            .binary_search_by(|e| e.name.as_slice().cmp(name))
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(TREE_VERSION).uvar(self.entries.len() as u64);
        for e in &self.entries {
            e.encode_to(&mut w);
        }
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "tree");
        r.version(TREE_VERSION)?;
        let n = r.count(6)?;
        let mut entries: Vec<TreeEntry> = Vec::with_capacity(n);
        for _ in 0..n {
            let entry = TreeEntry::decode_from(&mut r)?;
            if let Some(prev) = entries.last()
                && prev.name >= entry.name
            {
                return Err(r.invalid("entries not sorted"));
            }
            entries.push(entry);
        }
        r.finish()?;
        Ok(Self { entries })
    }
}

impl TreeEntry {
    /// Appends the entry in the tree encoding (`docs/FORMAT.md`, "Tree"); also used by the stat cache.
    pub fn encode_to(&self, w: &mut Writer) {
        let e = self;
        w.bytes(&e.name)
            .uvar(u64::from(e.mode))
            .ivar(e.mtime_secs)
            .uvar(u64::from(e.mtime_nanos));
        match &e.kind {
            EntryKind::File {
                size,
                hash,
                storage,
            } => {
                w.u8(1).uvar(*size).id(hash);
                match storage {
                    FileStorage::Raw(c) => {
                        w.u8(1);
                        c.encode(w);
                    }
                    FileStorage::GzipPayload { layout, payload } => {
                        w.u8(2).bytes(layout);
                        payload.encode(w);
                    }
                }
            }
            EntryKind::Dir { tree } => {
                w.u8(2).id(tree);
            }
            EntryKind::Symlink { target } => {
                w.u8(3).bytes(target);
            }
        }
    }

    /// Reads one entry written by `encode_to`, checking its name.
    pub fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let name = r.bytes()?.to_vec();
        if name.is_empty()
            || name == b"."
            || name == b".."
            || name.contains(&b'/')
            || name.contains(&0)
        {
            return Err(r.invalid("bad file name"));
        }
        let mode = u32::try_from(r.uvar()?).map_err(|_| r.invalid("mode out of range"))?;
        let mtime_secs = r.ivar()?;
        let mtime_nanos = u32::try_from(r.uvar()?)
            .ok()
            .filter(|n| *n < 1_000_000_000)
            .ok_or_else(|| r.invalid("nanoseconds out of range"))?;
        let kind = match r.u8()? {
            1 => {
                let size = r.uvar()?;
                let hash = r.id()?;
                let storage = match r.u8()? {
                    1 => FileStorage::Raw(Content::decode(r)?),
                    2 => {
                        let layout = r.bytes()?.to_vec();
                        FileStorage::GzipPayload {
                            layout,
                            payload: Content::decode(r)?,
                        }
                    }
                    t => return Err(r.invalid(format!("unknown storage {t}"))),
                };
                EntryKind::File {
                    size,
                    hash,
                    storage,
                }
            }
            2 => EntryKind::Dir { tree: r.id()? },
            3 => EntryKind::Symlink {
                target: r.bytes()?.to_vec(),
            },
            t => return Err(r.invalid(format!("unknown entry kind {t}"))),
        };
        Ok(TreeEntry {
            name,
            mode,
            mtime_secs,
            mtime_nanos,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_round_trips_and_rejects_unsorted() {
        let content = Content {
            size: 10,
            tree: Some(ContentRef {
                root: ObjectId::from_bytes([3; 32]),
                height: 1,
            }),
        };
        let t = Tree {
            entries: vec![
                TreeEntry {
                    name: b"Samples".to_vec(),
                    mode: 0o755,
                    mtime_secs: 5,
                    mtime_nanos: 6,
                    kind: EntryKind::Dir {
                        tree: ObjectId::from_bytes([1; 32]),
                    },
                },
                TreeEntry {
                    name: "Song ünïcode.als".as_bytes().to_vec(),
                    mode: 0o644,
                    mtime_secs: -1,
                    mtime_nanos: 999_999_999,
                    kind: EntryKind::File {
                        size: 10,
                        hash: ObjectId::from_bytes([2; 32]),
                        storage: FileStorage::GzipPayload {
                            layout: vec![1, 2, 3],
                            payload: content,
                        },
                    },
                },
                TreeEntry {
                    name: b"empty".to_vec(),
                    mode: 0o600,
                    mtime_secs: 0,
                    mtime_nanos: 0,
                    kind: EntryKind::File {
                        size: 0,
                        hash: ObjectId::from_bytes([4; 32]),
                        storage: FileStorage::Raw(Content::EMPTY),
                    },
                },
                TreeEntry {
                    name: b"link".to_vec(),
                    mode: 0o777,
                    mtime_secs: 0,
                    mtime_nanos: 0,
                    kind: EntryKind::Symlink {
                        target: b"../x".to_vec(),
                    },
                },
            ],
        };
        let bytes = t.encode();
        assert_eq!(Tree::decode(&bytes).unwrap(), t);
        let mut swapped = t.clone();
        swapped.entries.swap(0, 1);
        assert!(Tree::decode(&swapped.encode()).is_err());
    }
}
