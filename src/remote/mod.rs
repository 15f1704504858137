//! Remotes: push, fetch and clone between a local store and another one (an S3-compatible bucket, a
//! folder on a USB disk or NAS, memory), transferring only what the other side lacks.
//!
//! A remote holds the same store as a local repository (`keys/`, `packs/`), a plaintext `config`
//! object naming the repository id, and its own operation log (`docs/FORMAT.md`, "Remote"): every
//! push writes one new, immutable, uniquely named operation `ops/<seq>-<id>` that lists the
//! operations it supersedes (its parents) and the packs it made part of the remote. The remote's
//! state is the set of heads (operations no other supersedes), so a push never overwrites anything
//! and two racing pushes both stay visible, even on a store that ignores conditional writes. Where
//! the store honours them, a push first claims its sequence number (`claims/<seq>`, create-only) so
//! that a racing push is turned away early. After writing, a push lists the log again: if another
//! push built on the same state, it withdraws its own operation (and claim) and reports the race.
//!
//! Must not: know about the project's files or the work tree, read the environment, or print. The
//! repository (`crate::repo`) decides what to push and records what it fetched.

mod check;
mod record;
mod state;
mod transfer;

use std::collections::BTreeMap;

use crate::object::ObjectId;
use crate::oplog::{Operation, Tag};
use crate::store::{BackendError, StoreError};

pub use check::{RemoteCheck, check};
pub use record::{RemoteEntry, RemoteRecord, RemoteSettings, validate_name};
pub use state::{RemoteState, is_ancestor, read_remote_op, read_state, single_targets};
pub use transfer::{
    Contents, FetchReport, ProbeReport, Progress, PushReport, PushRequest, contents, fetch, probe,
    push, remote_repository_id,
};

/// The plaintext object that marks a store as a daw remote: `{"format": 1, "repository_id": …}`.
pub const REMOTE_CONFIG: &str = "config";
/// The remote format this daw writes and reads.
pub const REMOTE_FORMAT: u64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    OpLog(#[from] crate::oplog::OpLogError),
    /// The store holds objects that are not a daw repository.
    #[error("{0} holds something other than a daw repository")]
    Foreign(String),
    /// The store is a daw remote of another repository.
    #[error("{url} belongs to another daw repository ({theirs}, this one is {ours})")]
    OtherRepository {
        url: String,
        ours: String,
        theirs: String,
    },
    /// The store is not a daw remote at all (nothing pushed yet).
    #[error("{0} holds no daw repository")]
    Empty(String),
    /// The remote serves an older state than this client has seen.
    #[error(
        "the remote no longer has operation {op} (number {seq}) that this client saw: it was rolled back to an older state, or damaged"
    )]
    Rollback { op: String, seq: u64 },
    /// A remote object is damaged or was replaced.
    #[error("remote object {path}: {detail}")]
    Damaged { path: String, detail: String },
    /// A branch would lose commits on the remote.
    #[error("{0}")]
    Rejected(String),
    /// Another push landed at the same time.
    #[error(
        "another push to the remote landed at the same moment; nothing of this push was published"
    )]
    Raced,
    /// Another push holds the next place in the log and has not published yet.
    #[error(
        "another push to the remote is in progress (it took the next place in the log {seconds} s ago); nothing of this push was published"
    )]
    Busy { seconds: u64 },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = RemoteError> = std::result::Result<T, E>;

/// The path of a remote operation.
pub fn op_path(seq: u64, id: &ObjectId) -> String {
    format!("ops/{seq:016x}-{}", id.to_hex())
}

/// The name an operation is sealed under on a remote: its place and its id, so that an operation
/// moved to another place fails authentication.
fn op_seal_name(seq: u64, id: &ObjectId) -> String {
    format!("{seq:016x}-{}", id.to_hex())
}

/// `ops/<seq>-<id>` → (seq, id).
fn parse_op_path(path: &str) -> Option<(u64, ObjectId)> {
    let rest = path.strip_prefix("ops/")?;
    let (seq, id) = rest.split_once('-')?;
    if seq.len() != 16 {
        return None;
    }
    Some((u64::from_str_radix(seq, 16).ok()?, ObjectId::from_hex(id)?))
}

/// A branch as the remote has it: one commit, or several when pushes raced (a divergence).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteBranch {
    pub targets: Vec<ObjectId>,
}

impl RemoteBranch {
    pub fn single(&self) -> Option<ObjectId> {
        match self.targets.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// The refs of a remote, merged over its heads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteRefs {
    pub branches: BTreeMap<String, RemoteBranch>,
    pub tags: BTreeMap<String, Tag>,
    /// The branch a clone checks out.
    pub default_branch: Option<String>,
}

/// One operation of a remote's log, with its place.
#[derive(Clone, Debug)]
pub struct RemoteOp {
    pub seq: u64,
    pub id: ObjectId,
    pub op: Operation,
}
