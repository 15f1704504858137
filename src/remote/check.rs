//! `daw fsck --remote`: checks a remote as a stranger would find it. Every operation must
//! authenticate; every pack an operation announced must be there with an authentic header; every
//! commit, folder and file block the remote's branches and tags reach must be in its packs; with
//! `read_data`, every block of every pack is downloaded, decrypted and checked against its id.

use std::collections::{BTreeSet, HashSet};

use crate::object::{BlobKind, Commit, EntryKind, FileStorage, ObjectId, Tree};
use crate::store::{Backend, Keys, Store, content, pack};

use super::state::read_state;
use super::{RemoteRecord, Result};

/// What the check found.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RemoteCheck {
    pub operations: u64,
    pub packs: u64,
    pub commits: u64,
    pub trees: u64,
    pub blobs_read: u64,
    /// (object, what is wrong).
    pub problems: Vec<(String, String)>,
}

/// The most bytes of a pack `read_data` downloads in one request, and the largest gap between two
/// blocks it downloads with them.
const READ_RUN: u64 = 8 << 20;
const READ_GAP: u64 = 64 << 10;

/// Checks a remote with the repository's keys (nothing is written anywhere).
pub fn check(remote: &Backend, keys: Keys, read_data: bool) -> Result<RemoteCheck> {
    let mut store = Store::open(remote.clone(), keys)?;
    let mut report = RemoteCheck::default();
    let state = match read_state(remote, &store, &RemoteRecord::default()) {
        Ok(s) => s,
        Err(e) => {
            report
                .problems
                .push(("operation log".into(), e.to_string()));
            return Ok(report);
        }
    };
    report.operations = state.new_ops.len() as u64;
    let listed: Vec<(ObjectId, u64)> = remote
        .list("packs")?
        .into_iter()
        .filter_map(|l| pack::pack_name_from_path(&l.path).map(|n| (n, l.size)))
        .collect();
    let present: BTreeSet<ObjectId> = listed.iter().map(|(n, _)| *n).collect();
    for p in &state.announced {
        if !present.contains(p) {
            report.problems.push((
                format!("pack {}", p.short(12)),
                "missing (an operation announced it)".into(),
            ));
        }
    }
    report.packs = listed.len() as u64;
    for (name, e) in store.index_from_headers(&listed)? {
        report
            .problems
            .push((format!("pack {}", name.short(12)), e.to_string()));
    }

    // Everything the branches and tags reach.
    let mut starts: Vec<ObjectId> = Vec::new();
    for b in state.refs.branches.values() {
        starts.extend(b.targets.iter().copied());
    }
    starts.extend(state.refs.tags.values().map(|t| t.target));
    let mut seen_commits = HashSet::new();
    let mut seen_trees = HashSet::new();
    let mut stack = starts;
    while let Some(id) = stack.pop() {
        if !seen_commits.insert(id) {
            continue;
        }
        match store
            .get_blob_as(&id, BlobKind::Commit)
            .map_err(|e| e.to_string())
            .and_then(|b| Commit::decode(&b).map_err(|e| e.to_string()))
        {
            Ok(c) => {
                report.commits += 1;
                stack.extend(c.parents.iter().copied());
                check_tree(&store, c.tree, &mut seen_trees, &mut report);
            }
            Err(e) => report
                .problems
                .push((format!("commit {}", id.short(12)), e)),
        }
    }

    if read_data {
        let index = store.index()?;
        let mut ids: Vec<_> = index.iter().collect();
        ids.sort_by_key(|(_, loc)| (loc.pack, loc.offset));
        // Neighbouring blocks of a pack are downloaded in one request (a request per block took
        // 40 ms each from a store with Nagle's delay, minutes for a Live set's thousands of
        // chunks); a run spans at most READ_RUN bytes, so memory stays bounded.
        let mut runs: Vec<&[(ObjectId, crate::store::index::Location)]> = Vec::new();
        let mut start = 0;
        for i in 1..=ids.len() {
            let ends = ids.get(i).is_none_or(|(_, next)| {
                let (first, last) = (&ids[start].1, &ids[i - 1].1);
                let last_end = last.offset + u64::from(last.length);
                next.pack != first.pack
                    || next.offset < last_end
                    || next.offset - last_end > READ_GAP
                    || next.offset + u64::from(next.length) - first.offset > READ_RUN
            });
            if ends {
                runs.push(&ids[start..i]);
                start = i;
            }
        }
        for run in runs {
            let (first, last) = (&run[0].1, &run[run.len() - 1].1);
            let range = first.offset..last.offset + u64::from(last.length);
            let path = pack::pack_path(&first.pack);
            let bytes = store.backend().get_range(&path, range).ok();
            for (id, loc) in run {
                // A run that could not be downloaded whole (a pack cut short, a failing request)
                // is read block by block, so that the report names the blocks at fault.
                let sealed = match &bytes {
                    Some(bytes) => {
                        let at = (loc.offset - first.offset) as usize;
                        let end = at + loc.length as usize;
                        if end <= bytes.len() {
                            Ok(bytes.slice(at..end))
                        } else {
                            Err("the pack is shorter than its index says".to_string())
                        }
                    }
                    None => store
                        .backend()
                        .get_range(&path, loc.offset..loc.offset + u64::from(loc.length))
                        .map_err(|e| e.to_string()),
                };
                let result = sealed.and_then(|sealed| {
                    store
                        .open_sealed_blob(id, loc, &sealed)
                        .map_err(|e| e.to_string())
                });
                match result {
                    Ok(_) => report.blobs_read += 1,
                    Err(e) => report.problems.push((
                        format!(
                            "{} {} in pack {}",
                            loc.kind.name(),
                            id.short(12),
                            loc.pack.short(12)
                        ),
                        e,
                    )),
                }
            }
        }
    }
    let _ = &mut store;
    Ok(report)
}

fn check_tree(store: &Store, id: ObjectId, seen: &mut HashSet<ObjectId>, report: &mut RemoteCheck) {
    if !seen.insert(id) {
        return;
    }
    let tree = match store
        .get_blob_as(&id, BlobKind::Tree)
        .map_err(|e| e.to_string())
        .and_then(|b| Tree::decode(&b).map_err(|e| e.to_string()))
    {
        Ok(t) => t,
        Err(e) => {
            report.problems.push((format!("tree {}", id.short(12)), e));
            return;
        }
    };
    report.trees += 1;
    for entry in &tree.entries {
        match &entry.kind {
            EntryKind::Dir { tree } => check_tree(store, *tree, seen, report),
            EntryKind::Symlink { .. } => {}
            EntryKind::File { storage, .. } => {
                let c = match storage {
                    FileStorage::Raw(c) => c,
                    FileStorage::GzipPayload { payload, .. } => payload,
                };
                let mut missing = Vec::new();
                let result = content::walk_ids(store, c, &mut |id, kind| {
                    if !store.index()?.contains(&id) {
                        missing.push((id, kind));
                        return Ok(false);
                    }
                    Ok(true)
                });
                for (id, kind) in missing {
                    report.problems.push((
                        format!("{} {}", kind.name(), id.short(12)),
                        format!(
                            "missing (file {} needs it)",
                            String::from_utf8_lossy(&entry.name)
                        ),
                    ));
                }
                if let Err(e) = result {
                    report.problems.push((
                        format!("file {}", String::from_utf8_lossy(&entry.name)),
                        e.to_string(),
                    ));
                }
            }
        }
    }
}
