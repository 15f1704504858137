//! What an attacker with write access to `.daw` (a sync client, a restored backup, another local
//! program) must not be able to change unnoticed: the settings that decide where daw writes and who
//! the author is, and how far the history has come (`docs/FORMAT.md`, "Settings" and "Seen record").
//!
//! - `settings`, a sealed file, holds the authenticated copy of `core.worktree`, `user.name` and
//!   `user.email` and a random instance id. `.daw/config` stays readable text; a value there that
//!   differs from the sealed copy is refused until the user accepts it (`daw fsck --accept-config`).
//! - The seen record, outside the repository (a folder the caller names: the user's state folder),
//!   keeps the newest operation this user has seen in this copy of the repository. An `op_head`
//!   that is not that operation or a descendant of it is a rollback: `op_head` moved back, or the
//!   whole `.daw` replaced by an older copy (`daw fsck --accept-rollback` accepts a restore made
//!   on purpose).

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::object::ObjectId;
use crate::object::encoding::{Reader, Writer};
use crate::store::{BackendError, StoreError};

use super::{RepoError, Repository, Result};

/// The sealed settings' name in the repository folder.
pub const SETTINGS_PATH: &str = "settings";
const SETTINGS_VERSION: u64 = 1;
/// The config keys whose values are authenticated.
pub const AUTHENTICATED_KEYS: [&str; 3] = ["core.worktree", "user.name", "user.email"];

/// The authenticated settings.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Settings {
    /// Random, made at init or clone: tells this copy of the repository from a fresh clone of it.
    instance: [u8; 16],
    /// The values of [`AUTHENTICATED_KEYS`], in order.
    values: [Option<String>; 3],
}

impl Settings {
    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(SETTINGS_VERSION);
        w.raw(&self.instance);
        for v in &self.values {
            match v {
                None => {
                    w.u8(0);
                }
                Some(s) => {
                    w.u8(1).str(s);
                }
            }
        }
        w.finish()
    }

    fn decode(buf: &[u8]) -> std::result::Result<Self, crate::object::DecodeError> {
        let mut r = Reader::new(buf, "settings");
        r.version(SETTINGS_VERSION)?;
        let mut instance = [0u8; 16];
        instance.copy_from_slice(r.take(16)?);
        let mut values: [Option<String>; 3] = Default::default();
        for v in values.iter_mut() {
            *v = match r.u8()? {
                0 => None,
                1 => Some(r.string()?),
                _ => return Err(r.invalid("bad option tag")),
            };
        }
        r.finish()?;
        Ok(Self { instance, values })
    }
}

/// Something about the repository that is not as this user last left it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrustProblem {
    /// A setting in `.daw/config` differs from its authenticated copy.
    ConfigChanged {
        key: String,
        authenticated: Option<String>,
        config: Option<String>,
    },
    /// The current operation is older than one seen before.
    RolledBack {
        /// The newest operation seen (hex).
        seen: String,
        /// The current one (hex).
        current: String,
        /// Whether the newer operation is still in the repository (only `op_head` moved back)
        /// rather than gone (the whole repository replaced by an older copy).
        newer_present: bool,
    },
}

impl std::fmt::Display for TrustProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrustProblem::ConfigChanged {
                key,
                authenticated,
                config,
            } => {
                let show = |v: &Option<String>| match v {
                    Some(v) => format!("{v:?}"),
                    None => "unset".into(),
                };
                write!(
                    f,
                    ".daw/config was changed outside daw: {key} is {} but daw set it to {}",
                    show(config),
                    show(authenticated)
                )
            }
            TrustProblem::RolledBack {
                seen,
                current,
                newer_present: true,
            } => write!(
                f,
                "rolled back: the current operation {} is older than operation {} seen before, which is still in the repository (op_head was moved back; newer operations are orphaned)",
                &current[..12],
                &seen[..12]
            ),
            TrustProblem::RolledBack {
                seen,
                current,
                newer_present: false,
            } => write!(
                f,
                "rolled back: the repository holds an older state (current operation {}) than one seen before (operation {}, no longer in it): the .daw folder was replaced by an older copy",
                &current[..12],
                &seen[..12]
            ),
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> RepoError + '_ {
    move |e| RepoError::io(path, e)
}

impl Repository {
    fn config_values(&self) -> [Option<String>; 3] {
        AUTHENTICATED_KEYS.map(|k| self.config.get(k))
    }

    fn read_settings(&self) -> Result<Option<Settings>> {
        let bytes = match self.store.backend().get(SETTINGS_PATH) {
            Ok(b) => b,
            Err(BackendError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(StoreError::from(e).into()),
        };
        let plain = self.store.open_file("settings", SETTINGS_PATH, &bytes)?;
        Settings::decode(&plain)
            .map(Some)
            .map_err(|source| RepoError::Decode {
                what: "settings",
                id: SETTINGS_PATH.into(),
                source,
            })
    }

    fn write_settings(&self, settings: &Settings) -> Result<()> {
        let sealed = self
            .store
            .seal_file("settings", SETTINGS_PATH, &settings.encode());
        self.store
            .backend()
            .put(SETTINGS_PATH, sealed)
            .map_err(StoreError::from)?;
        Ok(())
    }

    /// Seals the current config values as the authenticated settings (at init and clone: a new
    /// instance id).
    pub(crate) fn seal_new_settings(&self) -> Result<()> {
        let mut instance = [0u8; 16];
        crate::store::crypto::random_bytes(&mut instance);
        self.write_settings(&Settings {
            instance,
            values: self.config_values(),
        })
    }

    /// The sealed settings; a repository made before them gets them now, from its config as it is.
    fn settings_or_first_seen(&self) -> Result<Settings> {
        if let Some(s) = self.read_settings()? {
            return Ok(s);
        }
        let mut instance = [0u8; 16];
        crate::store::crypto::random_bytes(&mut instance);
        let s = Settings {
            instance,
            values: self.config_values(),
        };
        self.write_settings(&s)?;
        Ok(s)
    }

    /// Where this copy's seen record is, in `dir`: named by a hash of the instance id and the
    /// repository folder, so that a fresh clone or a copy elsewhere has its own.
    fn seen_path(&self, dir: &Path, settings: &Settings) -> PathBuf {
        let mut h = blake3::Hasher::new_derive_key("daw 2026-12 seen record name");
        h.update(&settings.instance);
        h.update(self.location.daw_dir.as_os_str().as_encoded_bytes());
        dir.join(&h.finalize().to_hex()[..32])
    }

    fn read_seen(path: &Path) -> Result<Option<ObjectId>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(text
                .lines()
                .find_map(|l| l.strip_prefix("op "))
                .and_then(|hex| ObjectId::from_hex(hex.trim()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RepoError::io(path, e)),
        }
    }

    fn write_seen(path: &Path, op: &ObjectId) -> Result<()> {
        if let Some(dir) = path.parent() {
            crate::platform::private_dir_builder()
                .recursive(true)
                .create(dir)
                .map_err(io_err(dir))?;
        }
        crate::worktree::fsutil::write_atomic(path, format!("op {}\n", op.to_hex()).as_bytes())
            .map_err(Into::into)
    }

    /// Keeps a seen record in `dir` from now on: every operation this handle writes is noted there.
    pub fn set_seen_dir(&mut self, dir: PathBuf) {
        self.seen_dir = Some(dir);
    }

    /// Notes `op` as the newest seen (best effort: a record left behind only makes the next check
    /// walk a little further).
    pub(crate) fn note_seen(&self, op: &ObjectId) {
        let Some(dir) = &self.seen_dir else { return };
        if let Ok(Some(settings)) = self.read_settings() {
            let _ = Self::write_seen(&self.seen_path(dir, &settings), op);
        }
    }

    /// Everything that is not as this user last left it: changed settings and a rollback (with a
    /// seen record; see [`Repository::set_seen_dir`]). When all is well, moves the seen record up to
    /// the current operation.
    pub fn trust_problems(&self) -> Result<Vec<TrustProblem>> {
        let mut problems = Vec::new();
        let settings = self.settings_or_first_seen()?;
        for (i, key) in AUTHENTICATED_KEYS.iter().enumerate() {
            let now = self.config.get(key);
            if now != settings.values[i] {
                problems.push(TrustProblem::ConfigChanged {
                    key: key.to_string(),
                    authenticated: settings.values[i].clone(),
                    config: now,
                });
            }
        }
        let Some(dir) = &self.seen_dir else {
            return Ok(problems);
        };
        let path = self.seen_path(dir, &settings);
        let current = self.op_head()?;
        match Self::read_seen(&path)? {
            Some(seen) if seen == current => {}
            Some(seen) => {
                if self.descends_from(&current, &seen)? {
                    Self::write_seen(&path, &current)?;
                } else {
                    let newer_present = self
                        .store
                        .backend()
                        .size(&super::ops::op_path(&seen))
                        .map_err(StoreError::from)?
                        .is_some();
                    problems.push(TrustProblem::RolledBack {
                        seen: seen.to_hex(),
                        current: current.to_hex(),
                        newer_present,
                    });
                }
            }
            None => Self::write_seen(&path, &current)?,
        }
        Ok(problems)
    }

    /// Whether operation `old` is `new` or one of its ancestors (walks the log back from `new`).
    fn descends_from(&self, new: &ObjectId, old: &ObjectId) -> Result<bool> {
        let mut queue = VecDeque::from([*new]);
        let mut seen = HashSet::new();
        while let Some(id) = queue.pop_front() {
            if id == *old {
                return Ok(true);
            }
            if !seen.insert(id) {
                continue;
            }
            let op = match self.read_op(&id) {
                Ok(op) => op,
                // A missing or damaged older operation ends this path (fsck reports it).
                Err(_) => continue,
            };
            queue.extend(op.parents.iter().copied());
        }
        // `daw gc --prune-oplog` removes only ancestors of the operation current then, whose log
        // this one continues.
        self.is_pruned(old)
    }

    /// Accepts the config as it is now (`daw fsck --accept-config`): its values become the
    /// authenticated ones.
    pub fn accept_config(&self) -> Result<()> {
        let _lock = self.lock(&format!("daw fsck (pid {})", std::process::id()))?;
        let mut settings = self.settings_or_first_seen()?;
        settings.values = self.config_values();
        self.write_settings(&settings)
    }

    /// Accepts the current operation as the newest (`daw fsck --accept-rollback`: a restore made on
    /// purpose).
    pub fn accept_rollback(&self) -> Result<()> {
        let Some(dir) = &self.seen_dir else {
            return Ok(());
        };
        let settings = self.settings_or_first_seen()?;
        Self::write_seen(&self.seen_path(dir, &settings), &self.op_head()?)
    }
}
