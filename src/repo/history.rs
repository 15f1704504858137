//! Reading history: walking commits for `log`, and comparing two trees file by file.

use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::object::{Commit, EntryKind, ObjectId, Tree, TreeEntry};

use super::{Repository, Result};

/// How a path differs between two trees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FileChange {
    /// Path relative to the project, `/`-separated.
    pub path: String,
    pub kind: ChangeKind,
    pub old_size: Option<u64>,
    pub new_size: Option<u64>,
}

fn size_of(e: &TreeEntry) -> u64 {
    match &e.kind {
        EntryKind::File { size, .. } => *size,
        EntryKind::Symlink { target } => target.len() as u64,
        EntryKind::Dir { .. } => 0,
    }
}

/// Whether two entries hold the same thing (mtimes do not count; the exec bit does).
fn same_content(a: &TreeEntry, b: &TreeEntry) -> bool {
    match (&a.kind, &b.kind) {
        (EntryKind::File { hash: h1, .. }, EntryKind::File { hash: h2, .. }) => {
            h1 == h2 && (a.mode & 0o111 != 0) == (b.mode & 0o111 != 0)
        }
        (EntryKind::Symlink { target: t1 }, EntryKind::Symlink { target: t2 }) => t1 == t2,
        (EntryKind::Dir { tree: t1 }, EntryKind::Dir { tree: t2 }) => t1 == t2,
        _ => false,
    }
}

/// The files that differ between two trees (`None` is the empty tree), in path order.
pub fn diff_trees(
    repo: &Repository,
    old: Option<&ObjectId>,
    new: Option<&ObjectId>,
) -> Result<Vec<FileChange>> {
    let mut out = Vec::new();
    diff_into(repo, "", old, new, &mut out)?;
    Ok(out)
}

fn load(repo: &Repository, id: Option<&ObjectId>) -> Result<Tree> {
    match id {
        Some(id) => repo.read_tree(id),
        None => Ok(Tree::default()),
    }
}

fn diff_into(
    repo: &Repository,
    prefix: &str,
    old: Option<&ObjectId>,
    new: Option<&ObjectId>,
    out: &mut Vec<FileChange>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let (a, b) = (load(repo, old)?, load(repo, new)?);
    let (mut i, mut j) = (0, 0);
    while i < a.entries.len() || j < b.entries.len() {
        let ord = match (a.entries.get(i), b.entries.get(j)) {
            (Some(x), Some(y)) => x.name.cmp(&y.name),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                entry_changes(repo, prefix, Some(&a.entries[i]), None, out)?;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                entry_changes(repo, prefix, None, Some(&b.entries[j]), out)?;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                entry_changes(repo, prefix, Some(&a.entries[i]), Some(&b.entries[j]), out)?;
                i += 1;
                j += 1;
            }
        }
    }
    Ok(())
}

fn entry_changes(
    repo: &Repository,
    prefix: &str,
    old: Option<&TreeEntry>,
    new: Option<&TreeEntry>,
    out: &mut Vec<FileChange>,
) -> Result<()> {
    let name = String::from_utf8_lossy(&old.or(new).expect("one side present").name).into_owned();
    let path = if prefix.is_empty() {
        name
    } else {
        format!("{prefix}/{name}")
    };
    let dir_of = |e: Option<&TreeEntry>| match e.map(|e| &e.kind) {
        Some(EntryKind::Dir { tree }) => Some(*tree),
        _ => None,
    };
    let (old_dir, new_dir) = (dir_of(old), dir_of(new));
    // Folders recurse; a file on one side and a folder on the other is a removal plus additions.
    if old_dir.is_some() || new_dir.is_some() {
        if old.is_some() && old_dir.is_none() {
            out.push(FileChange {
                path: path.clone(),
                kind: ChangeKind::Removed,
                old_size: old.map(size_of),
                new_size: None,
            });
        }
        diff_into(repo, &path, old_dir.as_ref(), new_dir.as_ref(), out)?;
        if new.is_some() && new_dir.is_none() {
            out.push(FileChange {
                path,
                kind: ChangeKind::Added,
                old_size: None,
                new_size: new.map(size_of),
            });
        }
        return Ok(());
    }
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(a), Some(b)) if same_content(a, b) => return Ok(()),
        _ => ChangeKind::Modified,
    };
    out.push(FileChange {
        path,
        kind,
        old_size: old.map(size_of),
        new_size: new.map(size_of),
    });
    Ok(())
}

/// Commits reachable from `starts`, newest first (by commit time; among equal times, the one found
/// first, so that a commit comes before its parents even when they share a timestamp), each once.
pub fn walk_commits(
    repo: &Repository,
    starts: &[ObjectId],
    limit: Option<usize>,
) -> Result<Vec<(ObjectId, Commit)>> {
    type Queue = BinaryHeap<(i64, std::cmp::Reverse<u64>, ObjectId)>;
    let mut heap: Queue = BinaryHeap::new();
    let mut pending: std::collections::HashMap<ObjectId, Commit> = std::collections::HashMap::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut order = 0u64;
    let mut out = Vec::new();
    // Each commit is read once: when it is first queued.
    let mut enqueue =
        |id: ObjectId,
         heap: &mut Queue,
         pending: &mut std::collections::HashMap<ObjectId, Commit>| {
            if seen.insert(id) {
                let c = repo.read_commit(&id)?;
                heap.push((c.author.time, std::cmp::Reverse(order), id));
                order += 1;
                pending.insert(id, c);
            }
            Ok::<(), super::RepoError>(())
        };
    for s in starts {
        enqueue(*s, &mut heap, &mut pending)?;
    }
    while let Some((_, _, id)) = heap.pop() {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let c = pending.remove(&id).expect("every queued commit was read");
        for p in &c.parents {
            enqueue(*p, &mut heap, &mut pending)?;
        }
        out.push((id, c));
    }
    Ok(out)
}

/// Every commit reachable from `starts` (including them).
pub fn reachable(repo: &Repository, starts: &[ObjectId]) -> Result<HashSet<ObjectId>> {
    let mut seen = HashSet::new();
    let mut stack: Vec<ObjectId> = starts.to_vec();
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(repo.read_commit(&id)?.parents);
        }
    }
    Ok(seen)
}

/// Commits reachable from `starts` in topological order (every commit before its parents), newest
/// first among those that are ready: the order `daw log --graph` draws.
pub fn walk_commits_topo(
    repo: &Repository,
    starts: &[ObjectId],
) -> Result<Vec<(ObjectId, Commit)>> {
    // Read everything reachable once, counting each commit's children.
    let mut commits: HashMap<ObjectId, Commit> = HashMap::new();
    let mut children: HashMap<ObjectId, usize> = HashMap::new();
    let mut stack: Vec<ObjectId> = starts.to_vec();
    while let Some(id) = stack.pop() {
        if commits.contains_key(&id) {
            continue;
        }
        let c = repo.read_commit(&id)?;
        for p in &c.parents {
            *children.entry(*p).or_default() += 1;
            stack.push(*p);
        }
        commits.insert(id, c);
    }
    // Kahn's algorithm; among ready commits the newest first, and among equal times the one that became
    // ready last (depth first, as `git log --graph` draws: a merged branch before the merge's first
    // parent). The first start is ready last, so it comes first.
    let mut order = 0u64;
    let mut ready: BinaryHeap<(i64, u64, ObjectId)> = BinaryHeap::new();
    let mut queued = HashSet::new();
    for s in starts.iter().rev() {
        if children.get(s).copied().unwrap_or(0) == 0 && queued.insert(*s) {
            ready.push((commits[s].author.time, order, *s));
            order += 1;
        }
    }
    let mut out = Vec::with_capacity(commits.len());
    while let Some((_, _, id)) = ready.pop() {
        let c = commits.remove(&id).expect("every queued commit was read");
        for p in &c.parents {
            let n = children.get_mut(p).expect("counted above");
            *n -= 1;
            if *n == 0 && queued.insert(*p) {
                ready.push((commits[p].author.time, order, *p));
                order += 1;
            }
        }
        out.push((id, c));
    }
    Ok(out)
}

/// The entry at `path` (relative, `/`-separated components) in a tree, if any.
pub fn entry_at(repo: &Repository, tree: &ObjectId, path: &[&[u8]]) -> Result<Option<TreeEntry>> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(None);
    };
    let t = repo.read_tree(tree)?;
    let Some(e) = t.get(first) else {
        return Ok(None);
    };
    if rest.is_empty() {
        return Ok(Some(e.clone()));
    }
    match &e.kind {
        EntryKind::Dir { tree } => entry_at(repo, tree, rest),
        _ => Ok(None),
    }
}

/// Whether a commit changed anything at or below any of `paths` (compared with each parent; a merge
/// counts only when it differs from every parent, as in Git's default history simplification).
pub fn commit_touches(repo: &Repository, commit: &Commit, paths: &[Vec<Vec<u8>>]) -> Result<bool> {
    let at = |tree: &ObjectId, p: &Vec<Vec<u8>>| -> Result<Option<TreeEntry>> {
        let parts: Vec<&[u8]> = p.iter().map(Vec::as_slice).collect();
        entry_at(repo, tree, &parts)
    };
    let same = |a: &Option<TreeEntry>, b: &Option<TreeEntry>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_content(a, b),
        _ => false,
    };
    if commit.parents.is_empty() {
        for p in paths {
            if at(&commit.tree, p)?.is_some() {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    for parent in &commit.parents {
        let parent_tree = repo.read_commit(parent)?.tree;
        let mut differs = false;
        for p in paths {
            if !same(&at(&commit.tree, p)?, &at(&parent_tree, p)?) {
                differs = true;
                break;
            }
        }
        if !differs {
            return Ok(false);
        }
    }
    Ok(true)
}
