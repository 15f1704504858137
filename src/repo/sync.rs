//! The repository's side of remotes: which remotes it knows (sealed in its store), what a push
//! sends, what a fetch records (remote-tracking branches such as `origin/main`, in the operation log,
//! so `daw undo` and `daw oplog` see them), pull as fetch + fast-forward, and clone.
//!
//! The transfer itself is `crate::remote`'s; the backend of each remote is opened by the caller (the
//! CLI, which reads credentials from the environment) and handed in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::object::ObjectId;
use crate::oplog::{Head, OpMeta, Operation, RefTable};
use crate::remote::{
    self, FetchReport, Progress, PushReport, PushRequest, RemoteEntry, RemoteError, RemoteSettings,
};
use crate::store::{Backend, Keys, Store, StoreError};
use crate::worktree::DAW_DIR_NAME;

use super::config::{self, Config};
use super::lock::RepoLock;
use super::switch::{MoveReport, UpdateOptions};
use super::{LOCK_WAIT, Location, RepoError, Repository, Result};

impl From<RemoteError> for RepoError {
    fn from(e: RemoteError) -> Self {
        match e {
            RemoteError::Store(s) => RepoError::Store(s),
            RemoteError::Backend(b) => RepoError::Store(StoreError::Backend(b)),
            other => RepoError::Remote(other),
        }
    }
}

/// What to push.
#[derive(Clone, Debug, Default)]
pub struct PushOptions {
    /// Branches to push; empty: the current branch.
    pub branches: Vec<String>,
    /// Every branch.
    pub all: bool,
    /// Every tag too.
    pub tags: bool,
    pub force: bool,
}

/// What a pull did.
#[derive(Debug)]
pub enum PullOutcome {
    /// Nothing to do: the branch already has everything the remote's has.
    UpToDate,
    /// The branch moved forward to the remote's commit (and the files with it).
    FastForward(Box<MoveReport>),
    /// The branch and the remote's have each gone their own way.
    Diverged {
        branch: String,
        ours: ObjectId,
        theirs: Vec<ObjectId>,
    },
}

impl Repository {
    /// The remotes this repository knows, by name.
    pub fn remotes(&self) -> Result<Vec<(String, RemoteEntry)>> {
        let mut out = Vec::new();
        for name in RemoteEntry::list(self.store())? {
            if let Some(e) = RemoteEntry::load(self.store(), &name)? {
                out.push((name, e));
            }
        }
        Ok(out)
    }

    pub fn remote(&self, name: &str) -> Result<RemoteEntry> {
        RemoteEntry::load(self.store(), name)?.ok_or_else(|| {
            RepoError::Refused(format!(
                "no remote named '{name}'; `daw remote list` shows them, `daw remote add` adds one"
            ))
        })
    }

    /// Adds a remote (sealed in the store, so that an edited file cannot redirect pushes).
    pub fn add_remote(&mut self, name: &str, settings: RemoteSettings) -> Result<()> {
        let _lock = self.lock(&holder("remote add"))?;
        if RemoteEntry::load(self.store(), name)?.is_some() {
            return Err(RepoError::Refused(format!(
                "a remote named '{name}' already exists; `daw remote remove {name}` first"
            )));
        }
        RemoteEntry {
            settings,
            record: Default::default(),
        }
        .save(self.store(), name)?;
        Ok(())
    }

    /// Forgets a remote and its remote-tracking branches (the remote itself is not touched).
    pub fn remove_remote(&mut self, name: &str) -> Result<()> {
        let _lock = self.lock(&holder("remote remove"))?;
        self.remote(name)?;
        let refs = self.refs()?;
        if refs.remotes.contains_key(name) {
            let mut new_refs = refs.clone();
            new_refs.remotes.remove(name);
            self.update_refs(format!("remove remote '{name}'"), new_refs)?;
        }
        RemoteEntry::remove(self.store(), name)?;
        Ok(())
    }

    /// `daw push`: sends branches (and tags) to a remote and records where the remote's branches are.
    pub fn push(
        &mut self,
        name: &str,
        remote_backend: &Backend,
        opts: &PushOptions,
        meta: OpMeta,
        progress: &Progress<'_>,
    ) -> Result<PushReport> {
        let entry = self.remote(name)?;
        let refs = self.refs()?;
        let mut branches: Vec<(String, ObjectId)> = Vec::new();
        if opts.all {
            branches.extend(refs.branches.iter().map(|(n, id)| (n.clone(), *id)));
        } else if opts.branches.is_empty() {
            match &refs.head {
                Head::Branch(b) => match refs.branches.get(b) {
                    Some(id) => branches.push((b.clone(), *id)),
                    None => return Err(RepoError::NoCommits),
                },
                Head::Detached(_) => {
                    return Err(RepoError::Refused(
                        "HEAD is detached: name the branch to push (`daw push REMOTE BRANCH`)"
                            .into(),
                    ));
                }
            }
        } else {
            for b in &opts.branches {
                let id = refs
                    .branches
                    .get(b)
                    .ok_or_else(|| RepoError::Refused(format!("no branch named '{b}' to push")))?;
                branches.push((b.clone(), *id));
            }
        }
        let tags = if opts.tags {
            refs.tags
                .iter()
                .map(|(n, t)| (n.clone(), t.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let default_branch = match &refs.head {
            Head::Branch(b) => b.clone(),
            Head::Detached(_) => super::DEFAULT_BRANCH.to_string(),
        };
        let req = PushRequest {
            branches,
            tags,
            force: opts.force,
            default_branch,
            meta,
            repository_id: self.config().repository_id()?,
        };
        // Everything committed is in packs already; new commits made while the push runs go out
        // with the next one.
        // Each pack uploaded is remembered at once (a hint: if it is lost, the next push sends the
        // pack again), so a push killed halfway is completed without sending it twice.
        let remember = |record: &remote::RemoteRecord| {
            let e = RemoteEntry {
                settings: entry.settings.clone(),
                record: record.clone(),
            };
            let _ = e.save(self.store(), name);
        };
        let report = remote::push(
            self.store(),
            remote_backend,
            &entry,
            &req,
            progress,
            &remember,
        )?;
        let mut entry = entry;
        if let Some(found) = report.probed_conditional_writes {
            entry.settings.conditional_writes = Some(found);
        }
        // Every clone sees the same ways in: slots added or removed here go out with each push,
        // and those changed elsewhere come in (under the lock, so a `daw key` command is not lost).
        let mut report = report;
        report.keys = {
            let _lock = self.lock(&holder("push"))?;
            crate::store::keys::sync_key_slots(
                self.store().backend(),
                remote_backend,
                self.store().keys(),
                true,
                entry.record.key_set,
            )?
        };
        report.record.key_set = report.keys.agreed;
        self.record_remote(
            name,
            entry,
            report.record.clone(),
            &report.remote_branches,
            "push to",
        )?;
        Ok(report)
    }

    /// Saves what was learnt of a remote and moves its remote-tracking branches (one operation).
    fn record_remote(
        &mut self,
        name: &str,
        mut entry: RemoteEntry,
        record: remote::RemoteRecord,
        branches: &BTreeMap<String, ObjectId>,
        verb: &str,
    ) -> Result<()> {
        let _lock = self.lock(&holder(verb))?;
        entry.record = record;
        entry.save(self.store(), name)?;
        let refs = self.refs()?;
        if refs.remotes.get(name) != Some(branches) {
            let mut new_refs = refs;
            new_refs.remotes.insert(name.to_string(), branches.clone());
            self.update_refs(format!("{verb} '{name}'"), new_refs)?;
        }
        Ok(())
    }

    /// `daw fetch`: downloads what the remote has and this repository lacks, and moves the
    /// remote-tracking branches. Tags the repository does not have yet are added.
    pub fn fetch(
        &mut self,
        name: &str,
        remote_backend: &Backend,
        progress: &Progress<'_>,
    ) -> Result<FetchReport> {
        let entry = self.remote(name)?;
        let repo_id = self.config().repository_id()?;
        let mut report =
            remote::fetch(self.store_mut(), remote_backend, &entry, &repo_id, progress)?;
        let branches = remote::single_targets(&report.state.refs);
        let _lock = self.lock(&holder("fetch"))?;
        report.keys = crate::store::keys::sync_key_slots(
            self.store().backend(),
            remote_backend,
            self.store().keys(),
            false,
            None,
        )?;
        report.record.key_set = report.keys.agreed;
        let mut entry = entry;
        entry.record = report.record.clone();
        entry.save(self.store(), name)?;
        let refs = self.refs()?;
        let mut new_refs = refs.clone();
        new_refs.remotes.insert(name.to_string(), branches);
        for (t, tag) in &report.state.refs.tags {
            new_refs
                .tags
                .entry(t.clone())
                .or_insert_with(|| tag.clone());
        }
        if new_refs != refs {
            self.update_refs(format!("fetch from '{name}'"), new_refs)?;
        }
        Ok(report)
    }

    /// `daw pull`: fetch, then fast-forward the current branch to the remote's (files included).
    /// Diverged histories are reported, never merged or dropped.
    pub fn pull(
        &mut self,
        name: &str,
        remote_backend: &Backend,
        branch: Option<&str>,
        progress: &Progress<'_>,
        checkout: &mut (dyn super::snapshot::Progress + Send),
    ) -> Result<(FetchReport, PullOutcome)> {
        self.refuse_during_merge()?;
        let fetched = self.fetch(name, remote_backend, progress)?;
        let refs = self.refs()?;
        let current = match &refs.head {
            Head::Branch(b) => b.clone(),
            Head::Detached(_) => {
                return Err(RepoError::Refused(
                    "HEAD is detached: switch to a branch before pulling".into(),
                ));
            }
        };
        let theirs_name = branch.unwrap_or(&current).to_string();
        let Some(theirs) = fetched.state.refs.branches.get(&theirs_name) else {
            return Err(RepoError::Refused(format!(
                "the remote '{name}' has no branch '{theirs_name}'"
            )));
        };
        let ours = refs.branches.get(&current).copied();
        let outcome = match (ours, theirs.single()) {
            (_, None) => PullOutcome::Diverged {
                branch: theirs_name.clone(),
                ours: ours.unwrap_or(theirs.targets[0]),
                theirs: theirs.targets.clone(),
            },
            (Some(o), Some(t)) if o == t => PullOutcome::UpToDate,
            (Some(o), Some(t)) if remote::is_ancestor(self.store(), &t, &o)? == Some(true) => {
                PullOutcome::UpToDate
            }
            (Some(o), Some(t)) if remote::is_ancestor(self.store(), &o, &t)? != Some(true) => {
                PullOutcome::Diverged {
                    branch: current.clone(),
                    ours: o,
                    theirs: vec![t],
                }
            }
            (_, Some(t)) => {
                let lock = self.lock(&holder("pull"))?;
                let refs = self.refs()?;
                let mut new_refs = refs.clone();
                new_refs.branches.insert(current.clone(), t);
                let files = UpdateOptions::default();
                let report = self.move_head(
                    refs,
                    new_refs,
                    format!("pull '{theirs_name}' from '{name}' (fast-forward)"),
                    Some(files),
                    checkout,
                )?;
                drop(lock);
                PullOutcome::FastForward(Box::new(report))
            }
        };
        Ok((fetched, outcome))
    }

    /// Where `branch` stands against its remote-tracking branch on one remote: on `remote` when it
    /// is given and this repository knows it (if the branch was never pushed there, all its commits
    /// are ahead), otherwise on `origin`, otherwise on the first remote that has one. `None` when
    /// there is no such remote-tracking branch (or no branch).
    pub fn ahead_behind(&self, branch: &str, remote: Option<&str>) -> Result<Option<AheadBehind>> {
        let refs = self.refs()?;
        let Some(ours) = refs.branches.get(branch).copied() else {
            return Ok(None);
        };
        let tracked = |r: &str| refs.remotes.get(r).and_then(|b| b.get(branch)).copied();
        let known = |r: &str| matches!(RemoteEntry::load(self.store(), r), Ok(Some(_)));
        let (remote, theirs) = match remote {
            Some(r) if known(r) => (r.to_string(), tracked(r)),
            _ => match tracked("origin") {
                Some(t) => ("origin".to_string(), Some(t)),
                None => match refs
                    .remotes
                    .iter()
                    .find_map(|(r, b)| b.get(branch).map(|t| (r.clone(), *t)))
                {
                    Some((r, t)) => (r, Some(t)),
                    None => return Ok(None),
                },
            },
        };
        let (ahead, behind) = match theirs {
            Some(t) if t == ours => (0, 0),
            Some(t) => (
                super::refs::commits_only_in(self, &ours, &[t])?.len(),
                super::refs::commits_only_in(self, &t, &[ours])?.len(),
            ),
            None => (super::refs::commits_only_in(self, &ours, &[])?.len(), 0),
        };
        Ok(Some(AheadBehind {
            tracking: format!("{remote}/{branch}"),
            remote,
            pushed: theirs.is_some(),
            ahead,
            behind,
        }))
    }
}

/// A branch against its remote-tracking branch ([`Repository::ahead_behind`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AheadBehind {
    pub remote: String,
    /// `REMOTE/BRANCH`.
    pub tracking: String,
    /// Whether the branch was ever pushed to (or fetched from) the remote.
    pub pushed: bool,
    /// Commits of the branch that the remote-tracking branch lacks (not pushed yet).
    pub ahead: usize,
    /// Commits of the remote-tracking branch that the branch lacks.
    pub behind: usize,
}

fn holder(what: &str) -> String {
    format!("daw {what} (pid {})", std::process::id())
}

/// Where a clone goes and how.
pub struct CloneOptions {
    pub work_tree: PathBuf,
    /// The name the remote gets (`origin`).
    pub remote_name: String,
    pub settings: RemoteSettings,
    /// The branch to check out (default: the remote's default branch).
    pub branch: Option<String>,
    pub meta: OpMeta,
}

/// A remote's repository id, and the keys and slot id a secret opened there.
pub type UnlockedRemote = (String, Keys, String);

/// Unlocks a remote's key slots with a passphrase: (repository id, keys, slot id). A slot the
/// remote's key set no longer lists does not count.
pub fn unlock_remote(remote_backend: &Backend, passphrase: &[u8]) -> Result<UnlockedRemote> {
    let secret = crate::store::keys::Secret::passphrase(passphrase)?;
    let repo_id = remote::remote_repository_id(remote_backend)?;
    let slots = crate::store::keys::read_slots(remote_backend)?;
    let unlocked = super::keys::unlock_slots(&slots, &repo_id, &secret, remote_backend.display())?;
    let set = crate::store::keys::read_key_set(remote_backend, &unlocked.keys)?;
    super::keys::check_slot_current(set.as_ref(), &unlocked.slot_id)?;
    Ok((repo_id, unlocked.keys, unlocked.slot_id))
}

impl Repository {
    /// `daw clone`: makes a repository in `opts.work_tree` from a remote, downloads its packs and
    /// checks out a branch. An interrupted clone is completed by running it again (the packs already
    /// downloaded are kept); the config, written last, is what makes the folder a repository.
    pub fn clone_from(
        remote_backend: &Backend,
        passphrase: &[u8],
        opts: CloneOptions,
        progress: &Progress<'_>,
        checkout: &mut (dyn super::snapshot::Progress + Send),
    ) -> Result<(Self, FetchReport, MoveReport)> {
        let (repo_id, keys, slot_id) = unlock_remote(remote_backend, passphrase)?;
        let work_tree =
            std::path::absolute(&opts.work_tree).map_err(|e| RepoError::io(&opts.work_tree, e))?;
        let daw_dir = work_tree.join(DAW_DIR_NAME);
        if daw_dir.join("config").exists() {
            return Err(RepoError::AlreadyExists(daw_dir));
        }
        if work_tree.exists() && !is_empty_or_clone_leftover(&work_tree)? {
            return Err(RepoError::Refused(format!(
                "{} exists and is not empty; clone into a new folder",
                work_tree.display()
            )));
        }
        super::create_private_dir(&daw_dir)?;
        super::create_private_dir(&daw_dir.join("cache"))?;
        let lock = RepoLock::acquire(
            &daw_dir,
            LOCK_WAIT,
            &format!("daw clone (pid {})", std::process::id()),
        )?;
        let backend = super::local_backend(&daw_dir)?;
        let agreed =
            crate::store::keys::sync_key_slots(&backend, remote_backend, &keys, false, None)?
                .agreed;
        let mut store = Store::open(backend, keys)?;
        let entry = RemoteEntry {
            settings: opts.settings.clone(),
            record: Default::default(),
        };
        let fetched = remote::fetch(&mut store, remote_backend, &entry, &repo_id, progress)?;
        RemoteEntry {
            settings: opts.settings,
            record: remote::RemoteRecord {
                key_set: agreed,
                ..fetched.record.clone()
            },
        }
        .save(&store, &opts.remote_name)?;
        let branches = remote::single_targets(&fetched.state.refs);
        let head_branch = opts.branch.clone().unwrap_or_else(|| {
            branch_to_check_out(fetched.state.refs.default_branch.as_deref(), &branches)
        });
        if let Some(b) = &opts.branch
            && !branches.contains_key(b)
        {
            return Err(RepoError::Refused(format!(
                "the remote has no branch '{b}'"
            )));
        }
        let mut refs = RefTable::new(&head_branch);
        refs.branches = branches.clone();
        refs.tags = fetched.state.refs.tags.clone();
        refs.remotes.insert(opts.remote_name.clone(), branches);
        let init = Operation {
            parents: Vec::new(),
            meta: opts.meta.clone(),
            description: format!("clone from {}", remote_backend.display()),
            undoes: None,
            refs: RefTable::new(&head_branch),
            work_tree: None,
            packs: Vec::new(),
        };
        let first = crate::oplog::write_op(&store, &init, crate::oplog::op_path)?;
        crate::oplog::write_head(&store, &first)?;
        let mut config = Config::new(&daw_dir.join("config"));
        config.set("core", "formatVersion", &config::FORMAT_VERSION.to_string())?;
        config.set("core", "repositoryId", &repo_id)?;
        let mut repo = Self {
            location: Location { daw_dir, work_tree },
            config,
            store,
            meta: None,
            last_op: Default::default(),
            slot_in_use: Some(slot_id),
            seen_dir: None,
        };
        let meta = opts.meta;
        repo.set_op_meta(Box::new(move || meta.clone()));
        repo.seal_new_settings()?;
        repo.config.save()?;
        drop(lock);
        let empty = RefTable::new(&head_branch);
        let _lock = repo.lock(&holder("clone"))?;
        let report = repo.move_head(
            empty,
            refs,
            format!("check out '{head_branch}'"),
            Some(UpdateOptions::default()),
            checkout,
        )?;
        Ok((repo, fetched, report))
    }
}

/// A folder a clone may go into: empty, or holding only an unfinished clone's `.daw` (no config).
fn is_empty_or_clone_leftover(dir: &Path) -> Result<bool> {
    let rd = std::fs::read_dir(dir).map_err(|e| RepoError::io(dir, e))?;
    for e in rd {
        let e = e.map_err(|e| RepoError::io(dir, e))?;
        if e.file_name() != DAW_DIR_NAME {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The branch a clone checks out when none is asked for: the remote's default branch where it has
/// one; else (a remote whose first push, by an older daw, did not send the pusher's current branch)
/// `main`, else its first branch. Never an empty checkout of a branch the remote does not have; a
/// remote with no branch at all gets its default (or `main`) as an unborn branch.
fn branch_to_check_out(default: Option<&str>, branches: &BTreeMap<String, ObjectId>) -> String {
    [default, Some(super::DEFAULT_BRANCH)]
        .into_iter()
        .flatten()
        .find(|b| branches.contains_key(*b))
        .map(str::to_string)
        .or_else(|| branches.keys().next().cloned())
        .unwrap_or_else(|| default.unwrap_or(super::DEFAULT_BRANCH).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_checks_out_a_branch_the_remote_has() {
        let id = ObjectId::from_bytes([7; 32]);
        let branches = |names: &[&str]| -> BTreeMap<String, ObjectId> {
            names.iter().map(|n| (n.to_string(), id)).collect()
        };
        let pick = |default, names: &[&str]| branch_to_check_out(default, &branches(names));
        assert_eq!(pick(Some("demo"), &["demo", "main"]), "demo");
        assert_eq!(pick(Some("demo"), &["main", "verse"]), "main");
        assert_eq!(pick(Some("demo"), &["chorus", "verse"]), "chorus");
        assert_eq!(pick(None, &["chorus"]), "chorus");
        assert_eq!(pick(Some("demo"), &[]), "demo");
        assert_eq!(pick(None, &[]), "main");
    }
}
