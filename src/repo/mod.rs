//! The repository as a user sees it: init and open, commit, export, history, refs and checks.
//!
//! This layer decides *what* to store and *when* it is safe to publish it; `store` decides how bytes
//! are kept. It never prints and never reads the environment: the CLI passes in the passphrase, the
//! author, the time and the command line.

pub mod checkout;
pub mod config;
pub mod diff;
pub mod fsck;
pub mod gc;
pub mod history;
pub mod keys;
pub mod lock;
pub mod merge;
pub mod music;
pub mod refs;
pub mod revision;
mod set_merge;
pub mod snapshot;
pub mod stats;
pub mod status;
pub mod switch;
pub mod sync;
pub mod trust;
pub mod undo;

/// The operation log has its own room (`crate::oplog`); `repo::ops` names it for the code that
/// predates the move.
pub use crate::oplog as ops;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::object::{BlobKind, Commit, DecodeError, ObjectId, Tree};
use crate::store::keys::Secret;
use crate::store::{self, Backend, KdfParams, KeySlot, Keys, Store, StoreError};
use crate::worktree::DAW_DIR_NAME;
use crate::worktree::fsutil::FsError;

use config::Config;
use lock::{LockError, RepoLock};
use ops::{OpMeta, Operation, RefTable};

/// The branch a new repository starts on.
pub const DEFAULT_BRANCH: &str = "main";
/// How long a writer waits for another to finish before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// No repository was found.
    #[error("not a daw repository: {0}")]
    NotARepository(PathBuf),
    /// `init` where a repository already exists.
    #[error("{0} is already a daw repository")]
    AlreadyExists(PathBuf),
    /// The passphrase opened no key slot.
    #[error("wrong passphrase: it opens none of this repository's key slots")]
    WrongPassphrase,
    /// The recovery key opened no recovery slot.
    #[error(
        "wrong recovery key: it opens none of this repository's key slots (an older one, revoked?)"
    )]
    WrongRecoveryKey,
    /// The secret opened a slot that the key set no longer lists.
    #[error("key slot {0} was removed from this repository: its passphrase no longer opens it")]
    SlotRevoked(String),
    /// The config file is unreadable or from a newer daw.
    #[error("{path}: {detail}")]
    Config { path: PathBuf, detail: String },
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] store::keys::KeyError),
    /// A stored structure did not decode.
    #[error("{what} {id}: {source}")]
    Decode {
        what: &'static str,
        id: String,
        #[source]
        source: DecodeError,
    },
    #[error(transparent)]
    OpLog(#[from] crate::oplog::OpLogError),
    #[error(transparent)]
    Remote(crate::remote::RemoteError),
    /// A local file operation failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A revision did not resolve.
    #[error("unknown revision '{0}'")]
    UnknownRevision(String),
    /// A revision prefix matched several commits.
    #[error("ambiguous revision '{prefix}': it matches {count} commits")]
    AmbiguousRevision { prefix: String, count: usize },
    /// The history has no commit yet.
    #[error("no commits yet")]
    NoCommits,
    /// A user request that cannot be carried out as asked.
    #[error("{0}")]
    Refused(String),
    /// The repository is damaged.
    #[error("repository damaged: {0}")]
    Corrupt(String),
    /// Deleting a branch would drop commits nothing else holds.
    #[error(
        "branch '{branch}' holds {commits} commit(s) that no other branch, tag or HEAD holds; not deleted"
    )]
    Unmerged { branch: String, commits: usize },
    /// Updating the work tree would overwrite changes that were never committed.
    #[error("{}", would_overwrite_message(.paths))]
    WouldOverwrite {
        /// The files (relative, `/`-separated) whose uncommitted content would be lost.
        paths: Vec<String>,
    },
    /// An autosave found files changed since `daw watch` judged the save settled
    /// (`snapshot::Settled`): nothing was committed; they are to settle again.
    #[error("{} changed after the save settled; nothing was committed", list_paths(.paths))]
    Unsettled { paths: Vec<PathBuf> },
    /// A rebuilt file did not match what was committed.
    #[error(
        "{path}: restored bytes do not match the committed file ({detail}); nothing was written for it"
    )]
    Mismatch { path: String, detail: String },
}

/// A failed local write of the work-tree layer reads as any other failed file operation.
impl From<FsError> for RepoError {
    fn from(e: FsError) -> Self {
        Self::Io {
            path: e.path,
            source: e.source,
        }
    }
}

impl RepoError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the error is the user's to fix (exit code 2) rather than a failure of daw or the disk.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Self::NotARepository(_)
                | Self::AlreadyExists(_)
                | Self::WrongPassphrase
                | Self::WrongRecoveryKey
                | Self::SlotRevoked(_)
                | Self::Key(
                    store::keys::KeyError::WeakKdf(_)
                        | store::keys::KeyError::EmptySecret(_)
                        | store::keys::KeyError::BadLabel(_)
                        | store::keys::KeyError::BadRecoveryKey(_)
                )
                | Self::UnknownRevision(_)
                | Self::AmbiguousRevision { .. }
                | Self::NoCommits
                | Self::Refused(_)
                | Self::Unmerged { .. }
                | Self::WouldOverwrite { .. }
                | Self::Lock(LockError::Busy { .. })
                | Self::Remote(
                    crate::remote::RemoteError::Rejected(_)
                        | crate::remote::RemoteError::Invalid(_)
                        | crate::remote::RemoteError::Foreign(_)
                        | crate::remote::RemoteError::Empty(_)
                        | crate::remote::RemoteError::OtherRepository { .. }
                )
        )
    }
}

/// Creates the repository folder readable by its owner only (0700), or makes an existing one so.
/// Everything in it then stays out of other local users' reach whatever its own mode.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(|e| RepoError::io(parent, e))?;
    }
    match crate::platform::private_dir_builder().create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(RepoError::io(dir, e)),
    }
    crate::platform::set_mode(dir, 0o700).map_err(|e| RepoError::io(dir, e))
}

/// Makes a repository folder that others can enter (made by an older daw, or copied) 0700 again,
/// and its `cache` folder (which the stat cache creates with the default mode). Best effort: a
/// folder daw cannot change (another owner's) is left as it is.
fn keep_private(dir: &Path) {
    for d in [dir.to_path_buf(), dir.join("cache")] {
        if let Ok(m) = std::fs::metadata(&d)
            && crate::platform::open_to_others(&m).is_some()
        {
            let _ = crate::platform::set_mode(&d, 0o700);
        }
    }
}

/// Names up to ten files, then says how many more.
/// `a.als`, `a.als, b.wav`, `a.als, … and 3 more`.
fn list_paths(paths: &[PathBuf]) -> String {
    const SHOWN: usize = 5;
    let list: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| p.display().to_string())
        .collect();
    match paths.len().saturating_sub(SHOWN) {
        0 => list.join(", "),
        more => format!("{} and {more} more", list.join(", ")),
    }
}

fn would_overwrite_message(paths: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut list: Vec<&str> = paths.iter().take(SHOWN).map(String::as_str).collect();
    let more = paths.len().saturating_sub(SHOWN);
    let and_more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    if list.len() == 1 {
        return format!(
            "this would overwrite uncommitted changes to {}{and_more}",
            list.remove(0)
        );
    }
    format!(
        "this would overwrite uncommitted changes to {} files: {}{and_more}",
        paths.len(),
        list.join(", ")
    )
}

pub type Result<T, E = RepoError> = std::result::Result<T, E>;

/// Where a repository and its work tree are, found before anything is unlocked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub daw_dir: PathBuf,
    pub work_tree: PathBuf,
}

/// The backend of a repository's own store: its `.daw` folder, files private to the user. The one
/// place a local repository's backend is made (init, open, the agent's open, clone).
pub(crate) fn local_backend(daw_dir: &Path) -> Result<Backend> {
    Ok(Backend::local_private(daw_dir).map_err(StoreError::from)?)
}

impl Location {
    /// Finds the repository for `start`: `daw_dir` if given (like `GIT_DIR`), else the nearest `.daw`
    /// folder at or above `start`.
    pub fn discover(start: &Path, daw_dir: Option<&Path>) -> Result<Self> {
        let start = std::path::absolute(start).map_err(|e| RepoError::io(start, e))?;
        if let Some(d) = daw_dir {
            let d = std::path::absolute(d).map_err(|e| RepoError::io(d, e))?;
            if !d.join("config").is_file() {
                return Err(RepoError::NotARepository(d));
            }
            let config = Config::load(&d.join("config"))?;
            let work_tree = config.work_tree().unwrap_or(start);
            return Ok(Self {
                daw_dir: d,
                work_tree,
            });
        }
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            let candidate = d.join(DAW_DIR_NAME);
            if candidate.join("config").is_file() {
                let config = Config::load(&candidate.join("config"))?;
                let work_tree = config.work_tree().unwrap_or_else(|| d.to_path_buf());
                return Ok(Self {
                    daw_dir: candidate,
                    work_tree,
                });
            }
            dir = d.parent();
        }
        Err(RepoError::NotARepository(start))
    }
}

pub struct InitOptions {
    pub work_tree: PathBuf,
    /// Where the repository goes; `work_tree/.daw` by default.
    pub daw_dir: Option<PathBuf>,
    pub kdf: KdfParams,
    /// Accept KDF parameters below the minimum (tests and throw-away repositories only).
    pub allow_insecure_kdf: bool,
    /// A recovery key to make a slot for (the caller shows it to the user once).
    pub recovery_key: Option<store::keys::RecoveryKey>,
    pub meta: OpMeta,
}

/// An open, unlocked repository.
pub struct Repository {
    location: Location,
    config: Config,
    store: Store,
    meta: Option<MetaSource>,
    /// The last operation read (operations never change: it is reused while `op_head` names it).
    last_op: std::sync::Mutex<Option<(ObjectId, Operation)>>,
    /// The key slot this repository was unlocked with (`None` with the key agent's key).
    slot_in_use: Option<String>,
    /// Where the seen record is kept (`trust`), if the caller keeps one.
    seen_dir: Option<PathBuf>,
}

/// Produces the metadata of an operation when one is recorded (who, when, which command), so that
/// commands that record nothing never look up who the user is.
pub type MetaSource = Box<dyn Fn() -> OpMeta + Send + Sync>;

impl Repository {
    /// Creates a repository. Writes the key slot and the first operation before the config, so an
    /// interrupted init leaves nothing that looks like a repository.
    pub fn init(opts: InitOptions, passphrase: &[u8]) -> Result<Self> {
        let work_tree =
            std::path::absolute(&opts.work_tree).map_err(|e| RepoError::io(&opts.work_tree, e))?;
        let daw_dir = match &opts.daw_dir {
            Some(d) => std::path::absolute(d).map_err(|e| RepoError::io(d, e))?,
            None => work_tree.join(DAW_DIR_NAME),
        };
        if daw_dir.join("config").exists() {
            return Err(RepoError::AlreadyExists(daw_dir));
        }
        let secret = Secret::passphrase(passphrase)?;
        opts.kdf.check_new(opts.allow_insecure_kdf)?;
        std::fs::create_dir_all(&work_tree).map_err(|e| RepoError::io(&work_tree, e))?;
        create_private_dir(&daw_dir)?;
        create_private_dir(&daw_dir.join("cache"))?;
        let _lock = RepoLock::acquire(
            &daw_dir,
            LOCK_WAIT,
            &format!("daw init (pid {})", std::process::id()),
        )?;
        let keys = Keys::generate();
        let repo_id = hex::encode(&store::random_name().as_bytes()[..16]);
        let backend = local_backend(&daw_dir)?;
        let mut set = store::keys::KeySet::default();
        let mut slot_in_use = None;
        let mut ways_in = vec![(secret, "passphrase")];
        if let Some(rk) = opts.recovery_key {
            ways_in.push((Secret::Recovery(rk), "recovery key"));
        }
        for (secret, label) in &ways_in {
            let slot_id = hex::encode(&store::random_name().as_bytes()[..8]);
            let slot = KeySlot::create(
                &keys,
                secret,
                opts.kdf,
                label,
                opts.meta.time,
                &repo_id,
                &slot_id,
            )?;
            let json = slot.to_json();
            backend
                .put(&format!("keys/{slot_id}"), json.clone())
                .map_err(StoreError::from)?;
            set.added.insert(slot_id.clone(), KeySlot::digest(&json));
            slot_in_use.get_or_insert(slot_id);
        }
        store::keys::write_key_set(&backend, &keys, &set)?;
        let store = Store::open(backend, keys)?;
        let mut config = Config::new(&daw_dir.join("config"));
        config.set("core", "formatVersion", &config::FORMAT_VERSION.to_string())?;
        config.set("core", "repositoryId", &repo_id)?;
        let inside =
            daw_dir.parent() == Some(work_tree.as_path()) && daw_dir.ends_with(DAW_DIR_NAME);
        if !inside {
            let wt = work_tree.to_str().ok_or_else(|| {
                RepoError::Refused(format!(
                    "the project path {} is not valid UTF-8",
                    work_tree.display()
                ))
            })?;
            config.set("core", "worktree", wt)?;
        }
        let mut repo = Self {
            location: Location { daw_dir, work_tree },
            config,
            store,
            meta: None,
            last_op: Default::default(),
            slot_in_use,
            seen_dir: None,
        };
        let op = Operation {
            parents: Vec::new(),
            meta: opts.meta,
            description: "initialize repository".into(),
            undoes: None,
            refs: RefTable::new(DEFAULT_BRANCH),
            work_tree: None,
            packs: Vec::new(),
        };
        repo.write_op(&op)?;
        repo.seal_new_settings()?;
        repo.config.save()?;
        Ok(repo)
    }

    /// Unlocks the repository at `location` with a passphrase.
    pub fn open(location: Location, passphrase: &[u8]) -> Result<Self> {
        Self::open_with_secret(location, &Secret::passphrase(passphrase)?)
    }

    /// Unlocks the repository at `location` with a passphrase or the recovery key.
    pub fn open_with_secret(location: Location, secret: &Secret) -> Result<Self> {
        let config = Config::load(&location.daw_dir.join("config"))?;
        let repo_id = config.repository_id()?;
        keep_private(&location.daw_dir);
        let backend = local_backend(&location.daw_dir)?;
        let slots = store::keys::read_slots(&backend)?;
        let unlocked = keys::unlock_slots(&slots, &repo_id, secret, "the repository")?;
        let set = store::keys::read_key_set(&backend, &unlocked.keys)?;
        keys::check_slot_current(set.as_ref(), &unlocked.slot_id)?;
        let store = Store::open(backend, unlocked.keys)?;
        Ok(Self {
            location,
            config,
            store,
            meta: None,
            last_op: Default::default(),
            slot_in_use: Some(unlocked.slot_id),
            seen_dir: None,
        })
    }

    /// Opens the repository with a master key kept from an earlier unlock (a key agent). The key is
    /// trusted only if it opens the current operation (authenticated encryption: a
    /// wrong key opens nothing); otherwise this fails with `WrongPassphrase`.
    pub fn open_with_master(location: Location, master: store::crypto::SecretKey) -> Result<Self> {
        let config = Config::load(&location.daw_dir.join("config"))?;
        keep_private(&location.daw_dir);
        let backend = local_backend(&location.daw_dir)?;
        let store = Store::open(backend, Keys::from_master(master))
            .map_err(|_| RepoError::WrongPassphrase)?;
        let repo = Self {
            location,
            config,
            store,
            meta: None,
            last_op: Default::default(),
            slot_in_use: None,
            seen_dir: None,
        };
        repo.current_op().map_err(|_| RepoError::WrongPassphrase)?;
        Ok(repo)
    }

    /// The repository id of the repository at `location` (from its config; plaintext).
    pub fn repository_id(location: &Location) -> Result<String> {
        Config::load(&location.daw_dir.join("config"))?.repository_id()
    }

    /// Who is acting, for the operation log; required before any command that changes refs. Called
    /// each time an operation is recorded.
    pub fn set_op_meta(&mut self, meta: MetaSource) {
        self.meta = Some(meta);
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn work_tree(&self) -> &Path {
        &self.location.work_tree
    }

    pub fn daw_dir(&self) -> &Path {
        &self.location.daw_dir
    }

    /// Where the stat cache of the work tree is kept (`crate::worktree::statcache`).
    pub fn stat_cache_path(&self) -> PathBuf {
        self.daw_dir().join("cache").join("stat")
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Lets go of what a commit keeps for the next one (the sealing threads, their buffers and
    /// zstd contexts), for a process that waits between commits (`daw watch`).
    pub fn release_workers(&mut self) -> Result<()> {
        Ok(self.store.release_workers()?)
    }

    /// Takes the write lock.
    pub fn lock(&self, holder: &str) -> Result<RepoLock> {
        Ok(RepoLock::acquire(
            &self.location.daw_dir,
            LOCK_WAIT,
            holder,
        )?)
    }

    /// The id of the current operation.
    pub fn op_head(&self) -> Result<ObjectId> {
        crate::oplog::read_head(&self.store).map_err(|e| match e {
            crate::oplog::OpLogError::MalformedHead => RepoError::Corrupt(format!(
                "{} is malformed",
                self.location.daw_dir.join(crate::oplog::OP_HEAD).display()
            )),
            e => e.into(),
        })
    }

    pub fn read_op(&self, id: &ObjectId) -> Result<Operation> {
        if let Ok(last) = self.last_op.lock()
            && let Some((last_id, op)) = last.as_ref()
            && last_id == id
        {
            return Ok(op.clone());
        }
        let op = self.read_op_uncached(id)?;
        if let Ok(mut last) = self.last_op.lock() {
            *last = Some((*id, op.clone()));
        }
        Ok(op)
    }

    fn read_op_uncached(&self, id: &ObjectId) -> Result<Operation> {
        crate::oplog::read_op(&self.store, id, &ops::op_path(id)).map_err(|e| match e {
            crate::oplog::OpLogError::Mismatch(id) => {
                RepoError::Corrupt(format!("operation {id} does not match its id"))
            }
            crate::oplog::OpLogError::Decode { id, source } => RepoError::Decode {
                what: "operation",
                id,
                source,
            },
            e => e.into(),
        })
    }

    /// The current operation.
    pub fn current_op(&self) -> Result<(ObjectId, Operation)> {
        let id = self.op_head()?;
        Ok((id, self.read_op(&id)?))
    }

    /// The current refs.
    pub fn refs(&self) -> Result<RefTable> {
        Ok(self.current_op()?.1.refs)
    }

    /// Writes an operation and makes it current: the commit point of every ref change.
    fn write_op(&mut self, op: &Operation) -> Result<ObjectId> {
        let id = crate::oplog::write_op(&self.store, op, ops::op_path)?;
        crate::oplog::write_head(&self.store, &id)?;
        self.note_seen(&id);
        Ok(id)
    }

    /// Records a change of refs as a new operation following the current one. The caller holds the lock.
    pub fn update_refs(&mut self, description: String, refs: RefTable) -> Result<ObjectId> {
        self.record_op(description, refs, None, None)
    }

    /// Records an operation following the current one: new refs, what it did to the work tree, and
    /// the operation it undoes (for `daw undo`). The caller holds the lock.
    pub fn record_op(
        &mut self,
        description: String,
        refs: RefTable,
        work_tree: Option<ops::WorkTreeChange>,
        undoes: Option<ObjectId>,
    ) -> Result<ObjectId> {
        let parent = self.op_head()?;
        let meta = self
            .meta
            .as_ref()
            .map(|source| source())
            .ok_or_else(|| RepoError::Refused("internal: no operation metadata".into()))?;
        let op = Operation {
            parents: vec![parent],
            meta,
            description,
            undoes,
            refs,
            work_tree,
            packs: Vec::new(),
        };
        self.write_op(&op)
    }

    pub fn read_commit(&self, id: &ObjectId) -> Result<Commit> {
        let bytes = self.store.get_blob_as(id, BlobKind::Commit)?;
        Commit::decode(&bytes).map_err(|source| RepoError::Decode {
            what: "commit",
            id: id.to_hex(),
            source,
        })
    }

    pub fn read_tree(&self, id: &ObjectId) -> Result<Tree> {
        let bytes = self.store.get_blob_as(id, BlobKind::Tree)?;
        Tree::decode(&bytes).map_err(|source| RepoError::Decode {
            what: "tree",
            id: id.to_hex(),
            source,
        })
    }

    /// The commit HEAD points at, or `None` before the first commit.
    pub fn head_commit(&self) -> Result<Option<ObjectId>> {
        Ok(self.refs()?.head_commit())
    }
}
