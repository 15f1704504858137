//! What push, fetch, pull and clone share: choosing the remote, opening it, and saying clearly what
//! went wrong with a store.

use daw::remote::RemoteError;
use daw::repo::{RepoError, Repository};
use daw::store::{BackendError, StoreError};

use crate::cli::remote_env::{self, TransferBar};
use crate::cli::{CommandError, Context};

/// The remote a command talks to: the one named, else `origin`, else the only one.
pub fn pick_remote(repo: &Repository, name: Option<&str>) -> Result<String, CommandError> {
    if let Some(n) = name {
        return Ok(n.to_string());
    }
    let remotes = repo.remotes()?;
    if remotes.iter().any(|(n, _)| n == "origin") {
        return Ok("origin".into());
    }
    match remotes.as_slice() {
        [(n, _)] => Ok(n.clone()),
        [] => Err(CommandError::user("this repository has no remote")
            .hint("add one: `daw remote add origin s3://BUCKET/PREFIX` (or a folder path)")),
        _ => Err(CommandError::user(
            "several remotes and none is called origin: name one",
        )),
    }
}

/// Opens the store of a remote the repository knows.
pub fn open_remote(
    repo: &Repository,
    name: &str,
) -> Result<(daw::store::Backend, String), CommandError> {
    let entry = repo.remote(name)?;
    let backend = remote_env::open(&entry.settings)?;
    Ok((backend, entry.settings.url))
}

pub fn bar(ctx: &Context, json: bool) -> TransferBar {
    TransferBar::new(ctx.quiet, json)
}

/// A one-line error with a hint for everything a remote can do wrong.
pub fn remote_failure(e: RepoError, url: &str) -> CommandError {
    let store_error = match &e {
        RepoError::Store(StoreError::Backend(b)) => Some(b),
        _ => None,
    };
    if let Some(b) = store_error {
        let text = error_chain(b);
        let lower = text.to_ascii_lowercase();
        if let BackendError::NotFound(path) = b {
            return CommandError::problem(format!(
                "the remote {url} has lost an object it needs ({path})"
            ))
            .hint("run `daw fsck --remote NAME` to see what is missing; push again from a complete copy to repair it");
        }
        if lower.contains("nosuchbucket") || lower.contains("bucket does not exist") {
            return CommandError::user(format!("the bucket of {url} does not exist"))
                .hint("create it with your provider's console or CLI, or check the bucket name");
        }
        if lower.contains("invalidaccesskeyid")
            || lower.contains("signaturedoesnotmatch")
            || lower.contains("accessdenied")
            || lower.contains("403")
            || lower.contains("forbidden")
        {
            return CommandError::user(format!("{url} refused the credentials"))
                .hint("check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and the key's permissions on the bucket");
        }
        if lower.contains("connect")
            || lower.contains("dns")
            || lower.contains("timed out")
            || lower.contains("timeout")
            || lower.contains("error sending request")
            || lower.contains("retry")
        {
            return CommandError::problem(format!("cannot reach {url}: {}", first_line(&text)))
                .hint("check the network and the endpoint (--endpoint); nothing was changed locally, run the command again when the store is back");
        }
        return CommandError::problem(format!("{url}: {}", first_line(&text)))
            .hint("nothing was changed locally; run the command again");
    }
    match e {
        RepoError::Remote(RemoteError::Raced) => CommandError::problem(
            "another push to the remote landed at the same moment; this one was withdrawn",
        )
        .hint("run `daw pull` to bring in the other push, then push again"),
        RepoError::Remote(RemoteError::Busy { .. }) => CommandError::problem(e.to_string())
            .hint("push again in a moment (a push that died is passed over after two minutes)"),
        RepoError::Remote(RemoteError::Rejected(msg)) => {
            CommandError::user(format!("push rejected: {msg}"))
        }
        RepoError::Remote(RemoteError::Rollback { .. }) => CommandError::problem(e.to_string())
            .hint("if the remote was restored from a backup on purpose, `daw remote remove` and add it again; otherwise do not push to it until you know why"),
        RepoError::Remote(RemoteError::Damaged { .. }) => CommandError::problem(e.to_string())
            .hint("the remote was tampered with or damaged; `daw fsck --remote NAME --read-data` checks all of it"),
        RepoError::Remote(RemoteError::Foreign(_)) => CommandError::user(e.to_string())
            .hint("use an empty bucket, or a prefix of its own (s3://BUCKET/my-album)"),
        RepoError::Remote(RemoteError::Empty(_)) => CommandError::user(e.to_string())
            .hint("push to it first (`daw push`), or check the URL and prefix"),
        RepoError::Remote(RemoteError::OtherRepository { .. }) => CommandError::user(e.to_string())
            .hint("use another bucket or prefix for this project"),
        RepoError::WrongPassphrase => CommandError::from(e)
            .hint("the passphrase of the repository that was pushed there"),
        other => CommandError::from(other),
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    if line.chars().count() > 300 {
        format!("{}…", line.chars().take(300).collect::<String>())
    } else {
        line.to_string()
    }
}
