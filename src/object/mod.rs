//! Ids, trees and commits: the Merkle DAG and its canonical encoding (`docs/FORMAT.md`, "Objects").
//!
//! This layer knows nothing of keys, packs or files on disk: it turns values into canonical bytes and
//! back. An object's id is the keyed blake3 hash of those bytes, computed by the store.

pub mod commit;
pub mod encoding;
pub mod tree;

use std::fmt;

pub use commit::{Commit, Signature};
pub use encoding::{DecodeError, Reader, Writer};
pub use tree::{Content, ContentRef, EntryKind, FileStorage, Tree, TreeEntry};

/// A 32-byte object id: `blake3::keyed_hash(id_key, plaintext)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId([u8; 32]);

impl ObjectId {
    pub const LEN: usize = 32;

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    /// The first `n` hex digits, for display.
    pub fn short(&self, n: usize) -> String {
        let mut s = self.to_hex();
        s.truncate(n);
        s
    }
    pub fn from_hex(s: &str) -> Option<Self> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(Self(out))
    }
    /// Whether the hex form starts with `prefix` (lower-case hex digits).
    pub fn has_hex_prefix(&self, prefix: &str) -> bool {
        self.to_hex().starts_with(prefix)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({})", self.short(16))
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// What a blob holds. The kind is bound into each blob's authenticated data, so a blob cannot be
/// passed off as another kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum BlobKind {
    /// A content-defined chunk of file data.
    Chunk = 1,
    /// An interior node of a file's chunk tree (a list of children).
    ContentNode = 2,
    /// A directory.
    Tree = 3,
    /// A commit.
    Commit = 4,
}

impl BlobKind {
    pub fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => Self::Chunk,
            2 => Self::ContentNode,
            3 => Self::Tree,
            4 => Self::Commit,
            _ => return None,
        })
    }
    /// Metadata blobs go into their own packs so they stay small and hot.
    pub fn is_metadata(self) -> bool {
        !matches!(self, Self::Chunk)
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::Chunk => "chunk",
            Self::ContentNode => "content node",
            Self::Tree => "tree",
            Self::Commit => "commit",
        }
    }
}
