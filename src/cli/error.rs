//! Every failure becomes a `CommandError`: what went wrong, why, what to try, and an exit code.
//!
//! Exit codes (documented in `daw help` and the man page): 0 success; 1 the command ran and found a
//! problem it reports (`fsck` found damage); 2 usage or user error (bad argument, not a repository,
//! wrong passphrase, refused to overwrite); 3 an internal or I/O failure.

use daw::repo::RepoError;
use daw::repo::lock::LockError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command found a problem it reports (exit 1).
    Problem,
    /// The user's input or situation (exit 2).
    User,
    /// daw, the disk or the store failed (exit 3).
    Internal,
}

/// The marker of an exit status that is an answer, not a failure.
#[derive(Debug, thiserror::Error)]
#[error("(no message)")]
struct QuietExit;

pub struct CommandError {
    pub kind: ErrorKind,
    pub error: anyhow::Error,
    pub hints: Vec<String>,
}

impl CommandError {
    pub fn user(msg: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::User,
            error: anyhow::anyhow!(msg.into()),
            hints: Vec::new(),
        }
    }
    pub fn problem(msg: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Problem,
            error: anyhow::anyhow!(msg.into()),
            hints: Vec::new(),
        }
    }
    /// Exits with `code` without printing anything (`daw diff --exit-code` found differences).
    pub fn quiet_exit(code: i32) -> Self {
        let kind = if code == 1 {
            ErrorKind::Problem
        } else {
            ErrorKind::User
        };
        Self {
            kind,
            error: anyhow::Error::new(QuietExit),
            hints: Vec::new(),
        }
    }
    /// Whether nothing should be printed for this error.
    pub fn is_quiet(&self) -> bool {
        self.error.downcast_ref::<QuietExit>().is_some()
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Problem => 1,
            ErrorKind::User => 2,
            ErrorKind::Internal => 3,
        }
    }
}

impl From<RepoError> for CommandError {
    fn from(e: RepoError) -> Self {
        let kind = if e.is_user_error() {
            ErrorKind::User
        } else {
            ErrorKind::Internal
        };
        let hints = match &e {
            RepoError::NotARepository(_) => {
                vec!["run `daw init` in your project folder, or point DAW_DIR / --daw-dir at the repository".into()]
            }
            RepoError::WrongPassphrase => Vec::new(),
            RepoError::WrongRecoveryKey => {
                vec!["type the newest recovery key `daw init` or `daw key recovery` showed".into()]
            }
            RepoError::SlotRevoked(_) => {
                vec!["use another passphrase of the repository (see `daw key list`)".into()]
            }
            RepoError::Key(daw::store::keys::KeyError::WeakKdf(_)) => vec![
                "leave the KDF options out (the defaults are safe); --insecure-test-kdf allows weak values for tests".into(),
            ],
            RepoError::Key(daw::store::keys::KeyError::BadSlot { .. }) => vec![
                "another passphrase or the recovery key may still open the repository; a clone's `.daw/keys` holds copies".into(),
            ],
            RepoError::Lock(LockError::Busy { .. }) => {
                vec![
                    "wait for the other command to finish (is `daw watch` running?) and try again"
                        .into(),
                ]
            }
            RepoError::UnknownRevision(_) => {
                vec!["use a branch or tag name, HEAD, a commit id prefix of 4+ hex digits, or REV~N / REV^".into()]
            }
            RepoError::AmbiguousRevision { .. } => vec!["type more digits of the commit id".into()],
            RepoError::Mismatch { .. } => {
                vec!["run `daw fsck --read-data` to find what is damaged".into()]
            }
            RepoError::Store(_) | RepoError::Corrupt(_) => {
                vec!["run `daw fsck --read-data` to check the whole repository".into()]
            }
            _ => Vec::new(),
        };
        Self {
            kind,
            error: e.into(),
            hints,
        }
    }
}

impl From<anyhow::Error> for CommandError {
    fn from(error: anyhow::Error) -> Self {
        if let Some(e) = error.downcast_ref::<RepoError>() {
            let kind = if e.is_user_error() {
                ErrorKind::User
            } else {
                ErrorKind::Internal
            };
            return Self {
                kind,
                error,
                hints: Vec::new(),
            };
        }
        Self {
            kind: ErrorKind::Internal,
            error,
            hints: Vec::new(),
        }
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        Self {
            kind: ErrorKind::Internal,
            error: e.into(),
            hints: Vec::new(),
        }
    }
}

/// Whether the error is a closed pipe (`daw log | head`): not worth a message.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            // serde_json's error hides the io::Error it wraps from the chain.
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
