//! Branches and tags: creating, moving, renaming and deleting them, each as one operation in the log.
//!
//! Names (`validate_ref_name`): producers name branches in words ("mix ideas", "Chorus – alt"), so
//! spaces and any printable Unicode are allowed. Rejected are what would make a name ambiguous on a
//! command line or in a revision: an empty name, `HEAD` and `@`, a leading `-`, leading or trailing
//! white space, control characters, the revision and glob characters `~ ^ : ? * [ \`, `..`, `@{`, and
//! the shapes Git forbids for its refs (a leading or trailing `/`, `//`, a part starting with `.`, a
//! trailing `.` or `.lock`), so that every daw name is also a valid Git ref name apart from spaces.

use std::collections::HashSet;

use crate::object::ObjectId;

use super::history;
use super::ops::{Head, Tag};
use super::{RepoError, Repository, Result};

/// The longest name accepted, in bytes.
const MAX_NAME_LEN: usize = 200;

/// Checks a branch or tag name; the error says what is wrong with it.
pub fn validate_ref_name(kind: &str, name: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(RepoError::Refused(format!(
            "'{name}' is not a valid {kind} name: {why}"
        )))
    };
    if name.is_empty() {
        return Err(RepoError::Refused(format!("a {kind} name cannot be empty")));
    }
    if name.len() > MAX_NAME_LEN {
        return bad(&format!("longer than {MAX_NAME_LEN} bytes"));
    }
    if name == "HEAD" || name == "@" {
        return bad("it is reserved");
    }
    if name.starts_with('-') {
        return bad("it starts with '-'");
    }
    if name.trim() != name {
        return bad("it starts or ends with white space");
    }
    if name.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    if let Some(c) = name.chars().find(|c| "~^:?*[\\".contains(*c)) {
        return bad(&format!(
            "'{c}' is not allowed (it has a meaning in revisions)"
        ));
    }
    if name.contains("..") {
        return bad("'..' is not allowed");
    }
    if name.contains("@{") {
        return bad("'@{' is not allowed");
    }
    if name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return bad("it starts or ends with '/', or has '//'");
    }
    if name.split('/').any(|part| part.starts_with('.')) {
        return bad("a part of it starts with '.'");
    }
    if name.ends_with('.') || name.ends_with(".lock") {
        return bad("it ends with '.' or '.lock'");
    }
    Ok(())
}

fn holder(what: &str) -> String {
    format!("daw {what} (pid {})", std::process::id())
}

/// Commits reachable from `tip` that are not reachable from any of `others`, newest first.
pub fn commits_only_in(
    repo: &Repository,
    tip: &ObjectId,
    others: &[ObjectId],
) -> Result<Vec<ObjectId>> {
    let held: HashSet<ObjectId> = history::reachable(repo, others)?;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![*tip];
    while let Some(id) = stack.pop() {
        if held.contains(&id) || !seen.insert(id) {
            continue;
        }
        out.push(id);
        stack.extend(repo.read_commit(&id)?.parents);
    }
    Ok(out)
}

impl Repository {
    /// Creates branch `name` at `target` (moves it when `force`).
    pub fn create_branch(&mut self, name: &str, target: ObjectId, force: bool) -> Result<()> {
        validate_ref_name("branch", name)?;
        let _lock = self.lock(&holder("branch"))?;
        let mut refs = self.refs()?;
        if let Some(old) = refs.branches.get(name) {
            if !force {
                return Err(RepoError::Refused(format!(
                    "a branch named '{name}' already exists (at {})",
                    old.short(12)
                )));
            }
            if refs.head == Head::Branch(name.to_string()) {
                return Err(RepoError::Refused(format!(
                    "'{name}' is the current branch; move it with `daw reset`"
                )));
            }
        }
        let old = refs.branches.insert(name.to_string(), target);
        let description = match old {
            Some(o) => format!(
                "move branch '{name}' from {} to {}",
                o.short(12),
                target.short(12)
            ),
            None => format!("create branch '{name}' at {}", target.short(12)),
        };
        self.update_refs(description, refs)?;
        Ok(())
    }

    /// Deletes branch `name`. Without `force`, refuses when it holds commits that no other branch,
    /// tag or HEAD holds; returns where it pointed.
    pub fn delete_branch(&mut self, name: &str, force: bool) -> Result<ObjectId> {
        let _lock = self.lock(&holder("branch"))?;
        let mut refs = self.refs()?;
        let Some(&target) = refs.branches.get(name) else {
            return Err(RepoError::Refused(format!("no branch named '{name}'")));
        };
        if refs.head == Head::Branch(name.to_string()) {
            return Err(RepoError::Refused(format!(
                "cannot delete '{name}': it is the current branch; switch to another one first"
            )));
        }
        refs.branches.remove(name);
        if !force {
            let only = commits_only_in(self, &target, &refs.targets())?;
            if !only.is_empty() {
                return Err(RepoError::Unmerged {
                    branch: name.to_string(),
                    commits: only.len(),
                });
            }
        }
        self.update_refs(
            format!("delete branch '{name}' (was at {})", target.short(12)),
            refs,
        )?;
        Ok(target)
    }

    /// Renames branch `old` to `new`; HEAD follows when it was on `old`.
    pub fn rename_branch(&mut self, old: &str, new: &str, force: bool) -> Result<()> {
        validate_ref_name("branch", new)?;
        let _lock = self.lock(&holder("branch"))?;
        let mut refs = self.refs()?;
        let is_head = refs.head == Head::Branch(old.to_string());
        // The current branch may be unborn (no commit yet): renaming it only moves HEAD.
        let target = refs.branches.get(old).copied();
        if target.is_none() && !is_head {
            return Err(RepoError::Refused(format!("no branch named '{old}'")));
        }
        if old != new && refs.branches.contains_key(new) && !force {
            return Err(RepoError::Refused(format!(
                "a branch named '{new}' already exists"
            )));
        }
        refs.branches.remove(old);
        if let Some(t) = target {
            refs.branches.insert(new.to_string(), t);
        }
        if is_head {
            refs.head = Head::Branch(new.to_string());
        }
        self.update_refs(format!("rename branch '{old}' to '{new}'"), refs)?;
        Ok(())
    }

    /// Creates tag `name` at `target`, annotated when `message` is given (moves it when `force`).
    pub fn create_tag(
        &mut self,
        name: &str,
        target: ObjectId,
        message: Option<String>,
        force: bool,
    ) -> Result<()> {
        validate_ref_name("tag", name)?;
        let _lock = self.lock(&holder("tag"))?;
        let mut refs = self.refs()?;
        if let Some(old) = refs.tags.get(name)
            && !force
        {
            return Err(RepoError::Refused(format!(
                "a tag named '{name}' already exists (at {})",
                old.target.short(12)
            )));
        }
        let old = refs.tags.insert(name.to_string(), Tag { target, message });
        let description = match old {
            Some(o) => format!(
                "move tag '{name}' from {} to {}",
                o.target.short(12),
                target.short(12)
            ),
            None => format!("tag '{name}' at {}", target.short(12)),
        };
        self.update_refs(description, refs)?;
        Ok(())
    }

    /// Deletes tag `name`; returns where it pointed.
    pub fn delete_tag(&mut self, name: &str) -> Result<ObjectId> {
        let _lock = self.lock(&holder("tag"))?;
        let mut refs = self.refs()?;
        let Some(tag) = refs.tags.remove(name) else {
            return Err(RepoError::Refused(format!("no tag named '{name}'")));
        };
        self.update_refs(
            format!("delete tag '{name}' (was at {})", tag.target.short(12)),
            refs,
        )?;
        Ok(tag.target)
    }
}

#[cfg(test)]
mod tests {
    use super::validate_ref_name;

    #[test]
    fn names_producers_use_are_accepted() {
        for ok in [
            "main",
            "mix ideas",
            "Chorus – alt take",
            "feature/vocals",
            "v1.0",
            "Beat #2 (final)",
            "ünïcode",
        ] {
            validate_ref_name("branch", ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }

    #[test]
    fn ambiguous_names_are_rejected() {
        for bad in [
            "",
            "HEAD",
            "@",
            "-d",
            " lead",
            "trail ",
            "a..b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[",
            "a\\b",
            "tab\there",
            "new\nline",
            "/a",
            "a/",
            "a//b",
            ".hidden",
            "a/.b",
            "end.",
            "x.lock",
            "a@{1}",
        ] {
            assert!(
                validate_ref_name("branch", bad).is_err(),
                "{bad:?} accepted"
            );
        }
    }
}
