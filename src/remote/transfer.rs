//! Push, fetch and the probe of a store: moving packs and publishing operations.

use std::collections::BTreeSet;

use crate::object::ObjectId;
use crate::oplog::{Head, OpMeta, Operation, RefTable, Tag};
use crate::store::backend::{Listed, copy_objects};
use crate::store::{Backend, BackendError, Store, keys};

use super::record::RemoteEntry;
use super::state::{read_state, resolve_by_ancestry, seal_remote_op};
use super::{
    REMOTE_CONFIG, REMOTE_FORMAT, RemoteError, RemoteRecord, RemoteState, Result, is_ancestor,
    op_path, parse_op_path,
};

/// How many objects move at once. 8 rather than 4: a clone of the 300 MB bench project from a local
/// S3 server took a median 1.97 s instead of 2.14 s (restic's restore: 2.06 s), peak RSS 76 MB for
/// either (each transfer holds at most two 5 MiB parts; docs/BENCHMARKS.md).
const PARALLEL: usize = 8;

/// Progress of a transfer: called once with the totals, then with each object's size as it lands.
pub struct Progress<'a> {
    pub start: &'a dyn Fn(u64, u64),
    pub step: &'a (dyn Fn(u64) + Sync),
}

impl Progress<'_> {
    pub fn none() -> Progress<'static> {
        Progress {
            start: &|_, _| {},
            step: &|_| {},
        }
    }
}

/// What a store holds, as found by [`probe`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    Empty,
    /// A daw remote of the repository with this id.
    Daw {
        repository_id: String,
    },
    /// Something else.
    Foreign,
}

#[derive(Clone, Debug)]
pub struct ProbeReport {
    pub contents: Contents,
    /// Whether a second create-only write of the same object was refused, as it must be.
    pub conditional_writes: bool,
}

/// Looks at a store: is it reachable with these credentials, what does it hold, and does it honour
/// conditional writes (it writes and deletes one small object under `probe/`).
pub fn probe(remote: &Backend) -> Result<ProbeReport> {
    let contents = contents(remote)?;
    let conditional_writes = probe_conditional_writes(remote)?;
    Ok(ProbeReport {
        contents,
        conditional_writes,
    })
}

/// What a store holds (reads only).
pub fn contents(remote: &Backend) -> Result<Contents> {
    Ok(match remote.get(REMOTE_CONFIG) {
        Ok(bytes) => Contents::Daw {
            repository_id: parse_remote_config(remote, &bytes)?,
        },
        Err(BackendError::NotFound(_)) => {
            if remote.any("")? {
                Contents::Foreign
            } else {
                Contents::Empty
            }
        }
        Err(e) => return Err(e.into()),
    })
}

/// Whether a second create-only write of the same object is refused, as it must be (writes and
/// deletes one small object under `probe/`).
fn probe_conditional_writes(remote: &Backend) -> Result<bool> {
    let name = format!("probe/{}", crate::store::random_name().short(16));
    let first = remote.put_if_absent(&name, b"daw probe".to_vec());
    let conditional_writes = match first {
        Ok(true) => !remote.put_if_absent(&name, b"daw probe 2".to_vec())?,
        Ok(false) => false,
        // The store does not do conditional writes at all.
        Err(BackendError::Store { .. }) => {
            remote.put(&name, b"daw probe".to_vec())?;
            false
        }
        Err(e) => return Err(e.into()),
    };
    remote.delete(&name)?;
    Ok(conditional_writes)
}

fn parse_remote_config(remote: &Backend, bytes: &[u8]) -> Result<String> {
    let bad = |detail: &str| RemoteError::Damaged {
        path: format!("{}/{REMOTE_CONFIG}", remote.display()),
        detail: detail.into(),
    };
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| bad("not a daw remote config"))?;
    let format = v
        .get("format")
        .and_then(|f| f.as_u64())
        .ok_or_else(|| bad("no format"))?;
    if format > REMOTE_FORMAT {
        return Err(RemoteError::Invalid(format!(
            "{} was written by a newer daw (remote format {format}); upgrade daw",
            remote.display()
        )));
    }
    v.get("repository_id")
        .and_then(|f| f.as_str())
        .map(str::to_string)
        .ok_or_else(|| bad("no repository id"))
}

/// The repository id a remote belongs to (from its `config` object).
pub fn remote_repository_id(remote: &Backend) -> Result<String> {
    match remote.get(REMOTE_CONFIG) {
        Ok(bytes) => parse_remote_config(remote, &bytes),
        Err(BackendError::NotFound(_)) => {
            if remote.any("")? {
                Err(RemoteError::Foreign(remote.display().to_string()))
            } else {
                Err(RemoteError::Empty(remote.display().to_string()))
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// What to push.
pub struct PushRequest {
    /// Branches to set on the remote, with the local commit each goes to.
    pub branches: Vec<(String, ObjectId)>,
    /// Tags to create on the remote.
    pub tags: Vec<(String, Tag)>,
    /// Overwrite remote branches and tags even when that drops commits there.
    pub force: bool,
    /// The branch a clone of the remote checks out, if the remote has none yet.
    pub default_branch: String,
    pub meta: OpMeta,
    pub repository_id: String,
}

#[derive(Clone, Debug, Default)]
pub struct PushReport {
    /// Branches moved: (name, old target on the remote, new target).
    pub updated: Vec<(String, Option<ObjectId>, ObjectId)>,
    pub tags: Vec<String>,
    pub packs: u64,
    pub bytes: u64,
    /// The operation published, if any (nothing is published when the remote was up to date).
    pub op: Option<ObjectId>,
    /// The remote's branches after the push.
    pub remote_branches: std::collections::BTreeMap<String, ObjectId>,
    /// What to remember of the remote.
    pub record: RemoteRecord,
    /// Whether the store honours conditional writes, when this push had to find out (the remote
    /// came from a clone, which only reads).
    pub probed_conditional_writes: Option<bool>,
    /// Key slots brought in line on either side (by the repository, under its lock, after the push).
    pub keys: keys::KeySync,
}

/// Pushes branches and tags to a remote: uploads the packs it lacks, then publishes one operation.
/// Refuses (changing nothing the remote shows) to move a branch in a way that drops commits there,
/// unless forced.
/// `uploaded` is called with the record as it was plus every pack whose upload completed, as each
/// one completes: the caller keeps it, so that a push killed halfway is completed by the next one
/// without sending those packs again.
pub fn push(
    local: &Store,
    remote: &Backend,
    entry: &RemoteEntry,
    req: &PushRequest,
    progress: &Progress<'_>,
    uploaded: &dyn Fn(&RemoteRecord),
) -> Result<PushReport> {
    let record = &entry.record;
    let mut state = read_state(remote, local, record)?;
    if record.seq == 0 {
        ensure_remote_config(remote, &req.repository_id, state.seq == 0)?;
    }
    resolve_by_ancestry(&mut state, local)?;

    let mut refs = RefTable::new(
        state
            .refs
            .default_branch
            .clone()
            .unwrap_or_else(|| req.default_branch.clone())
            .as_str(),
    );
    refs.tags = state.refs.tags.clone();
    let pushing: BTreeSet<&str> = req.branches.iter().map(|(n, _)| n.as_str()).collect();
    for (name, b) in &state.refs.branches {
        match b.single() {
            Some(id) => {
                refs.branches.insert(name.clone(), id);
            }
            None if pushing.contains(name.as_str()) => {}
            None => {
                return Err(RemoteError::Rejected(format!(
                    "the remote's branch '{name}' has diverged (two pushes moved it two ways); run `daw pull` and resolve it first"
                )));
            }
        }
    }
    let mut report = PushReport::default();
    for (name, local_id) in &req.branches {
        let current = state.refs.branches.get(name);
        let old = current.and_then(|b| b.single());
        if old == Some(*local_id) {
            continue;
        }
        if let Some(b) = current
            && !req.force
        {
            for t in &b.targets {
                match is_ancestor(local, t, local_id)? {
                    Some(true) => {}
                    Some(false) => {
                        return Err(RemoteError::Rejected(format!(
                            "the remote's '{name}' has commits that '{name}' here does not have (it is at {}); run `daw pull` first, or `daw push --force` to drop them",
                            t.short(12)
                        )));
                    }
                    None => {
                        return Err(RemoteError::Rejected(format!(
                            "the remote's '{name}' is at {}, which this repository does not have; run `daw pull` first, or `daw push --force` to drop it",
                            t.short(12)
                        )));
                    }
                }
            }
        }
        refs.branches.insert(name.clone(), *local_id);
        report.updated.push((name.clone(), old, *local_id));
    }
    for (name, tag) in &req.tags {
        match refs.tags.get(name) {
            Some(t) if t.target == tag.target => {}
            Some(t) if !req.force => {
                return Err(RemoteError::Rejected(format!(
                    "the remote's tag '{name}' names {} already; `daw push --force` to move it",
                    t.target.short(12)
                )));
            }
            _ => {
                refs.tags.insert(name.clone(), tag.clone());
                report.tags.push(name.clone());
            }
        }
    }
    // The remote's default branch (what a clone checks out) must be one it has: the pusher's
    // current branch if it has it, else the first branch of this push.
    if refs.head_commit().is_none()
        && let Head::Branch(b) = &refs.head
        && !refs.branches.contains_key(b)
    {
        let pushed = req.branches.iter().map(|(n, _)| n);
        let head = std::iter::once(&req.default_branch)
            .chain(pushed)
            .find(|n| refs.branches.contains_key(*n))
            .unwrap_or(&req.default_branch);
        refs.head = Head::Branch(head.clone());
    }

    // Packs the remote lacks. Packs this client uploaded that no operation announced yet (a push
    // that did not finish) are checked with one listing before they are relied on: an operation must
    // never announce a pack the remote does not hold.
    let mut uploaded_earlier: BTreeSet<ObjectId> =
        record.packs.difference(&state.announced).copied().collect();
    if !uploaded_earlier.is_empty() {
        let present: BTreeSet<ObjectId> = remote
            .list("packs")?
            .iter()
            .filter_map(|l| crate::store::pack::pack_name_from_path(&l.path))
            .collect();
        uploaded_earlier.retain(|p| present.contains(p));
    }
    let on_remote: BTreeSet<ObjectId> = state.announced.union(&uploaded_earlier).copied().collect();
    let missing: Vec<Listed> = local
        .list_packs()?
        .into_iter()
        .filter(|(name, _)| !on_remote.contains(name))
        .map(|(name, size)| Listed {
            path: crate::store::pack::pack_path(&name),
            size,
        })
        .collect();
    let mut next_record = state.record(record);
    next_record.packs = on_remote.clone();
    if report.updated.is_empty() && report.tags.is_empty() && missing.is_empty() {
        report.remote_branches = refs.branches.clone();
        report.record = next_record;
        return Ok(report);
    }
    let total: u64 = missing.iter().map(|l| l.size).sum();
    (progress.start)(total, missing.len() as u64);
    let sent = std::sync::Mutex::new(RemoteRecord {
        packs: record.packs.intersection(&on_remote).copied().collect(),
        ..record.clone()
    });
    let mut missing = missing;
    let mut attempts = 0;
    let sent_bytes = std::sync::atomic::AtomicU64::new(0);
    loop {
        let result = copy_objects(local.backend(), remote, &missing, PARALLEL, &|l| {
            (progress.step)(l.size);
            sent_bytes.fetch_add(l.size, std::sync::atomic::Ordering::Relaxed);
            if let Some(n) = crate::store::pack::pack_name_from_path(&l.path)
                && let Ok(mut r) = sent.lock()
            {
                r.packs.insert(n);
                uploaded(&r);
            }
        });
        match result {
            Ok(()) => break,
            // A local `daw gc` deleted a pack after copying what is needed of it into another
            // one: list again, and send what is still missing (the new pack among it).
            Err(BackendError::NotFound(_)) if attempts < 3 => {
                attempts += 1;
                let done = sent.lock().map(|r| r.packs.clone()).unwrap_or_default();
                missing = local
                    .list_packs()?
                    .into_iter()
                    .filter(|(name, _)| !on_remote.contains(name) && !done.contains(name))
                    .map(|(name, size)| Listed {
                        path: crate::store::pack::pack_path(&name),
                        size,
                    })
                    .collect();
            }
            Err(e) => return Err(e.into()),
        }
    }
    let done = sent.lock().map(|r| r.packs.clone()).unwrap_or_default();
    let new: Vec<&ObjectId> = done.difference(&on_remote).collect();
    report.packs = new.len() as u64;
    report.bytes = sent_bytes.into_inner();
    next_record.packs.extend(done.iter().copied());
    let announce: Vec<ObjectId> = next_record
        .packs
        .difference(&next_record.announced)
        .copied()
        .collect();

    // Claim the next number where the store honours conditional writes; else rely on the check
    // after writing.
    let conditional_writes = match entry.settings.conditional_writes {
        Some(known) => known,
        None => {
            let found = probe_conditional_writes(remote)?;
            report.probed_conditional_writes = Some(found);
            found
        }
    };
    let op = Operation {
        parents: state.heads.iter().map(|(_, id, _)| *id).collect(),
        meta: req.meta.clone(),
        description: "push".into(),
        undoes: None,
        refs: refs.clone(),
        work_tree: None,
        packs: announce.clone(),
    };
    let mut seq = state.seq + 1;
    if conditional_writes {
        seq = claim_next(remote, state.seq, &claim_token(local, &op))?;
    }
    let claim = conditional_writes.then(|| format!("claims/{seq:016x}"));
    let (id, sealed) = seal_remote_op(local, seq, &op);
    let path = op_path(seq, &id);
    if let Err(e) = remote.put(&path, sealed) {
        release(remote, None, claim.as_deref());
        return Err(e.into());
    }

    // Did another push build on the same remote state? Then withdraw ours: it was never reported
    // as pushed. Any operation after the one we built on, other than ours, counts (not only those
    // at or below our place): a push that skipped a claim it took for abandoned, or one that slept
    // between its claim and its write, is then withdrawn by whichever side looks last, and at
    // worst both are, which costs a retry and never a push.
    let known: BTreeSet<ObjectId> = state.heads.iter().map(|(_, id, _)| *id).collect();
    let after = match remote.list_after("ops", &format!("ops/{:016x}", state.seq)) {
        Ok(after) => after,
        Err(e) => {
            release(remote, Some(&path), claim.as_deref());
            return Err(e.into());
        }
    };
    let raced = after
        .iter()
        .filter_map(|l| parse_op_path(&l.path))
        .any(|(s, other)| other != id && !known.contains(&other) && s > state.seq);
    if raced {
        release(remote, Some(&path), claim.as_deref());
        return Err(RemoteError::Raced);
    }
    next_record.seq = seq;
    next_record.heads = vec![(seq, id, refs.clone())];
    next_record.announced.extend(announce);
    report.op = Some(id);
    report.remote_branches = refs.branches;
    report.record = next_record;
    Ok(report)
}

/// How long a claim without its operation is taken for a push in progress. A live push writes its
/// operation right after its claim (sealing it takes microseconds), so a claim this old belongs to a
/// push that died; it is skipped (the number stays unused). Skipping a live push's claim cannot lose
/// anything: the check after writing withdraws one of the two.
const CLAIM_ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(120);

/// How long a push waits for the operation of a claim that another push holds.
const CLAIM_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// What a claim says about its push besides the clock: a keyed hash of who pushes what onto what
/// (user and host, the remote heads it builds on, the refs it sets; not the time, the command line or
/// the packs). The same push run again after it died with its claim written finds that claim to be
/// its own and need not wait two minutes for it. The storage provider learns only equality.
fn claim_token(local: &Store, op: &Operation) -> String {
    let mut same = op.clone();
    same.meta.time = 0;
    same.meta.tz_offset_minutes = 0;
    same.meta.command.clear();
    same.packs.clear();
    let mut plain = b"daw push claim v1".to_vec();
    plain.extend_from_slice(&same.encode());
    local.keys().object_id(&plain).to_hex()
}

/// Claims the next free number after `base` (with a create-only write of `claims/<seq>`, holding the
/// claimant's clock and `token`). A number taken by a push that published is a race (`Raced`); one
/// taken by a push still writing is waited for briefly (`Busy` if it does not finish); one taken by a
/// push that died long ago, or by this same push in an earlier run that died (the same token), is
/// skipped. Skipping a live push's number cannot lose anything: the check after writing withdraws one
/// of the two.
fn claim_next(remote: &Backend, base: u64, token: &str) -> Result<u64> {
    let now_ms = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    };
    let landed_after_base = || -> Result<bool> {
        let later = remote.list_after("ops", &format!("ops/{base:016x}"))?;
        Ok(later
            .iter()
            .filter_map(|l| parse_op_path(&l.path))
            .any(|(s, _)| s > base))
    };
    let mut seq = base + 1;
    loop {
        let name = format!("claims/{seq:016x}");
        if remote.put_if_absent(&name, format!("{} {token}", now_ms()).into_bytes())? {
            return Ok(seq);
        }
        let waited = std::time::Instant::now();
        loop {
            if landed_after_base()? {
                return Err(RemoteError::Raced);
            }
            // Written by the claimant's clock, then its token (a claim of before tokens has none);
            // an unreadable claim counts as abandoned.
            let (taken_ms, theirs) = match remote.get(&name) {
                Ok(b) => {
                    let text = String::from_utf8_lossy(&b);
                    let mut fields = text.split_whitespace();
                    let ms = fields.next().and_then(|t| t.parse::<u64>().ok());
                    (ms.unwrap_or(0), fields.next().map(str::to_string))
                }
                Err(BackendError::NotFound(_)) => break, // withdrawn meanwhile: try it again
                Err(e) => return Err(e.into()),
            };
            let age = std::time::Duration::from_millis(now_ms().saturating_sub(taken_ms));
            if age >= CLAIM_ABANDONED_AFTER || theirs.as_deref() == Some(token) {
                seq += 1;
                break;
            }
            if waited.elapsed() >= CLAIM_WAIT {
                return Err(RemoteError::Busy {
                    seconds: age.as_secs(),
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

/// Withdraws what a push wrote before it gave up: its operation, then its claim (so that the number
/// is free again at once rather than skipped as abandoned two minutes later). Best effort: what a
/// failure leaves is an unannounced claim, skipped later.
fn release(remote: &Backend, op: Option<&str>, claim: Option<&str>) {
    if let Some(op) = op
        && remote.delete(op).is_err()
    {
        return;
    }
    if let Some(claim) = claim {
        let _ = remote.delete(claim);
    }
}

/// Makes sure the remote is this repository's (writing its `config` and key slots on first push).
fn ensure_remote_config(remote: &Backend, repository_id: &str, empty_log: bool) -> Result<()> {
    match remote.get(REMOTE_CONFIG) {
        Ok(bytes) => {
            let theirs = parse_remote_config(remote, &bytes)?;
            if theirs != repository_id {
                return Err(RemoteError::OtherRepository {
                    url: remote.display().to_string(),
                    ours: repository_id.to_string(),
                    theirs,
                });
            }
            Ok(())
        }
        Err(BackendError::NotFound(_)) => {
            if !empty_log || remote.any("")? {
                return Err(RemoteError::Foreign(remote.display().to_string()));
            }
            let cfg = serde_json::json!({"format": REMOTE_FORMAT, "repository_id": repository_id});
            remote.put(REMOTE_CONFIG, cfg.to_string().into_bytes())?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Debug, Default)]
pub struct FetchReport {
    pub state: RemoteState,
    pub packs: u64,
    pub bytes: u64,
    pub record: RemoteRecord,
    /// Key slots brought in from the remote (by the repository, under its lock).
    pub keys: keys::KeySync,
}

/// Fetches what a remote has that the local store lacks: reads its new operations, downloads the
/// packs they announced, and indexes them locally.
pub fn fetch(
    local: &mut Store,
    remote: &Backend,
    entry: &RemoteEntry,
    repository_id: &str,
    progress: &Progress<'_>,
) -> Result<FetchReport> {
    if entry.record.seq == 0 {
        let theirs = remote_repository_id(remote)?;
        if theirs != repository_id {
            return Err(RemoteError::OtherRepository {
                url: remote.display().to_string(),
                ours: repository_id.to_string(),
                theirs,
            });
        }
    }
    let mut state = read_state(remote, local, &entry.record)?;
    let have: BTreeSet<ObjectId> = local.list_packs()?.into_iter().map(|(n, _)| n).collect();
    let wanted: BTreeSet<ObjectId> = state
        .announced
        .iter()
        .filter(|p| !have.contains(p))
        .copied()
        .collect();
    let mut missing = Vec::new();
    if !wanted.is_empty() {
        // One listing (a request per thousand packs) gives every size and shows a lost pack.
        let sizes: std::collections::HashMap<ObjectId, u64> = remote
            .list("packs")?
            .into_iter()
            .filter_map(|l| crate::store::pack::pack_name_from_path(&l.path).map(|n| (n, l.size)))
            .collect();
        for p in &wanted {
            let path = crate::store::pack::pack_path(p);
            let size = *sizes.get(p).ok_or_else(|| RemoteError::Damaged {
                path: path.clone(),
                detail: "is missing from the remote (an operation names it)".into(),
            })?;
            missing.push(Listed { path, size });
        }
    }
    let total: u64 = missing.iter().map(|l| l.size).sum();
    (progress.start)(total, missing.len() as u64);
    copy_objects(remote, local.backend(), &missing, PARALLEL, &|l| {
        (progress.step)(l.size)
    })?;
    // Index every announced pack that is here (a fetch interrupted after downloading is completed
    // by the next one).
    let here: Vec<(ObjectId, u64)> = local
        .list_packs()?
        .into_iter()
        .filter(|(n, _)| state.announced.contains(n))
        .collect();
    local.index_packs(&here)?;
    resolve_by_ancestry(&mut state, local)?;
    let record = state.record(&entry.record);
    Ok(FetchReport {
        packs: missing.len() as u64,
        bytes: total,
        record,
        state,
        keys: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::backend::{BackendUrl, S3Options};

    fn remote(name: &str) -> Backend {
        Backend::open(&BackendUrl::Memory(name.into()), &S3Options::default()).unwrap()
    }

    /// A push that died after writing its claim and runs again goes on at once (its own token); a
    /// live claim of another push, or one without a token, is waited for and then reported busy.
    #[test]
    fn a_claim_with_this_pushs_token_is_skipped_at_once_and_another_is_waited_for() {
        let remote = remote("claims-token");
        assert_eq!(claim_next(&remote, 7, "ours").unwrap(), 8);
        // The same push again (its first run died holding 8): the next number, without waiting.
        let started = std::time::Instant::now();
        assert_eq!(claim_next(&remote, 7, "ours").unwrap(), 9);
        assert!(started.elapsed() < CLAIM_WAIT, "{:?}", started.elapsed());
        // Another push finds 8 and 9 taken by a live claimant: busy after the wait.
        let started = std::time::Instant::now();
        assert!(matches!(
            claim_next(&remote, 7, "theirs"),
            Err(RemoteError::Busy { .. })
        ));
        assert!(started.elapsed() >= CLAIM_WAIT);
        // A claim written before tokens (the clock alone), still young: waited for as before.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        remote
            .put("claims/0000000000000015", now.to_string().into_bytes())
            .unwrap();
        assert!(matches!(
            claim_next(&remote, 20, "ours"),
            Err(RemoteError::Busy { .. })
        ));
    }
}
