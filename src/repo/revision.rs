//! Revisions as users type them: `HEAD`, a branch, a tag, a remote-tracking branch (`origin/main`), a unique hex prefix (4+ digits), and the
//! suffixes `~N` (N-th first-parent ancestor) and `^` / `^N` (first / N-th parent), chained freely.

use crate::object::{BlobKind, ObjectId};

use super::{RepoError, Repository, Result};

impl Repository {
    /// Resolves a revision to a commit id.
    pub fn resolve(&self, rev: &str) -> Result<ObjectId> {
        let unknown = || RepoError::UnknownRevision(rev.to_string());
        let split = rev.find(['~', '^']).unwrap_or(rev.len());
        let (base, mut suffix) = rev.split_at(split);
        let mut id = self.resolve_base(base, rev)?;
        while !suffix.is_empty() {
            let op = suffix.as_bytes()[0];
            suffix = &suffix[1..];
            let digits = suffix.bytes().take_while(u8::is_ascii_digit).count();
            let n: usize = if digits == 0 {
                1
            } else {
                suffix[..digits].parse().map_err(|_| unknown())?
            };
            suffix = &suffix[digits..];
            if op == b'~' {
                for _ in 0..n {
                    id = *self.read_commit(&id)?.parents.first().ok_or_else(unknown)?;
                }
            } else if n > 0 {
                id = *self
                    .read_commit(&id)?
                    .parents
                    .get(n - 1)
                    .ok_or_else(unknown)?;
            }
        }
        Ok(id)
    }

    fn resolve_base(&self, base: &str, rev: &str) -> Result<ObjectId> {
        let refs = self.refs()?;
        if base == "HEAD" || base == "@" || base.is_empty() {
            return refs.head_commit().ok_or(RepoError::NoCommits);
        }
        if let Some(id) = refs.branches.get(base) {
            return Ok(*id);
        }
        if let Some(t) = refs.tags.get(base) {
            return Ok(t.target);
        }
        // A remote-tracking branch: `origin/main`.
        if let Some((remote, branch)) = base.split_once('/')
            && let Some(id) = refs.remotes.get(remote).and_then(|b| b.get(branch))
        {
            return Ok(*id);
        }
        let lower = base.to_ascii_lowercase();
        if lower.len() >= 4 && lower.len() <= 64 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
            let matches = self
                .store()
                .index()?
                .ids_with_prefix(&lower, BlobKind::Commit);
            return match matches.len() {
                1 => Ok(matches[0]),
                0 => Err(RepoError::UnknownRevision(rev.to_string())),
                count => Err(RepoError::AmbiguousRevision {
                    prefix: base.to_string(),
                    count,
                }),
            };
        }
        Err(RepoError::UnknownRevision(rev.to_string()))
    }
}
