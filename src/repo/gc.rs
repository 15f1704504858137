//! `daw gc`: the repository's side of garbage collection (`docs/FORMAT.md`, "Garbage collection").
//!
//! The engine is `crate::gc`; this module hands it the roots (the refs and work-tree trees of every
//! operation in the log that was not pruned), the packs the repository's remotes hold, and the grace
//! period; prunes the log on request; and holds the repository lock around the sweep, and only
//! there. One gc runs at a time (`.daw/gc.lock`).

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, SystemTime};

use crate::gc::{self, Mark, Survey, Walker, mark};
use crate::object::ObjectId;
use crate::oplog::{self, OpLogError};
use crate::store::{BackendError, StoreError};

use super::lock::{LockError, RepoLock, RunMark};
use super::{RepoError, Repository, Result};

/// How long a sweep waits for the repository lock before leaving its marks for the next run.
const SWEEP_LOCK_WAIT: Duration = Duration::from_secs(60);

/// How long a half-written file must have been left untouched before gc removes it, whatever the
/// grace period.
const PARTIAL_FILE_AGE: Duration = Duration::from_secs(3600);

/// What `daw gc` is asked to do.
#[derive(Clone, Debug)]
pub struct GcOptions {
    /// Work out and report everything, write and delete nothing.
    pub dry_run: bool,
    /// How old a mark must be before its packs are deleted, and a pack before it may be marked.
    pub grace: Duration,
    /// Remove from the log the operations older than this (never the current one and its parent).
    pub prune_oplog: Option<Duration>,
    /// The time operations are compared with (Unix seconds, the clock operations are recorded with).
    pub op_now: i64,
}

/// A pack, as reported.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PackLine {
    pub pack: String,
    pub bytes: u64,
}

/// What the sweep did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SweepReport {
    /// Marks carried out.
    pub marks: usize,
    pub deleted: Vec<PackLine>,
    pub deleted_bytes: u64,
    /// Marked packs kept because something written since the mark needs a blob in them.
    pub kept: Vec<String>,
    /// Set when the repository stayed busy: the marks wait for the next run.
    pub postponed: Option<String>,
}

/// What the mark phase did (or would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct MarkReport {
    /// Packs nothing needs.
    pub dead: Vec<PackLine>,
    /// Packs whose needed blobs were copied into new ones.
    pub repacked: Vec<PackLine>,
    /// Packs no index names (left by a killed command), older than the grace.
    pub unindexed: Vec<PackLine>,
    /// The blobs copied, and their bytes.
    pub copied_blobs: usize,
    pub copied_bytes: u64,
    /// The packs written.
    pub written: Vec<PackLine>,
    /// The mark written (its name).
    pub mark: Option<String>,
    /// Bytes the mark's packs hold (what its sweep frees, less what was copied).
    pub marked_bytes: u64,
    /// When the mark may be swept (Unix seconds).
    pub sweep_after: Option<i64>,
    /// Packs left alone because they are younger than the grace period.
    pub young: usize,
    /// Packs left alone because a remote holds them.
    pub on_remotes: usize,
}

/// A mark waiting for its grace period.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PendingMark {
    pub mark: String,
    pub packs: usize,
    pub sweep_after: i64,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct GcReport {
    pub dry_run: bool,
    pub grace_seconds: u64,
    /// Operations removed from the log.
    pub pruned_operations: usize,
    /// The sweep of the marks earlier runs wrote that are past the grace period.
    pub sweep: Option<SweepReport>,
    pub mark: MarkReport,
    /// With a grace period of 0, the sweep of this run's own mark.
    pub sweep_now: Option<SweepReport>,
    /// Marks still waiting (written by earlier runs, or this one).
    pub pending: Vec<PendingMark>,
    /// Half-written files killed commands left (removed once older than the grace period).
    pub partial_files: usize,
    pub partial_bytes: u64,
    /// Bytes of every file in the repository folder, before and after.
    pub disk_before: u64,
    pub disk_after: u64,
    /// Things worth knowing that changed nothing (an unreadable mark, which deletes nothing).
    pub notes: Vec<String>,
}

fn unix_secs(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn gc_err(e: gc::GcError) -> RepoError {
    match e {
        gc::GcError::Store(s) => RepoError::Store(s),
        gc::GcError::Damaged { .. } => RepoError::Corrupt(e.to_string()),
    }
}

impl Repository {
    /// Runs `daw gc` (see the module docs).
    pub fn gc(&mut self, opts: &GcOptions) -> Result<GcReport> {
        let _run = RunMark::hold(
            self.daw_dir(),
            "gc.lock",
            &format!("daw gc (pid {})", std::process::id()),
        )
        .map_err(|e| match e {
            LockError::Busy { holder } => RepoError::Refused(format!(
                "another gc is running on this repository: {holder}"
            )),
            e => e.into(),
        })?;
        let mut report = GcReport {
            dry_run: opts.dry_run,
            grace_seconds: opts.grace.as_secs(),
            disk_before: self.disk_usage(),
            ..Default::default()
        };
        // In a dry run nothing is pruned, but everything after is worked out as if it were.
        let mut unpruned = BTreeSet::new();
        if let Some(age) = opts.prune_oplog {
            let cutoff = opts
                .op_now
                .saturating_sub(i64::try_from(age.as_secs()).unwrap_or(i64::MAX));
            let gone = self.prune_oplog(cutoff, opts.dry_run)?;
            report.pruned_operations = gone.len();
            if opts.dry_run {
                unpruned = gone;
            }
        }
        let as_if = AsIf { pruned: unpruned };
        let grace_secs = i64::try_from(opts.grace.as_secs()).unwrap_or(i64::MAX);
        let (marks, bad) = mark::read_marks(self.store())?;
        for (path, why) in bad {
            report.notes.push(format!(
                "{path} could not be read ({why}); it deletes nothing"
            ));
        }
        let now = SystemTime::now();
        let (ripe, waiting): (Vec<_>, Vec<_>) = marks
            .into_iter()
            .partition(|(_, m)| m.time.saturating_add(grace_secs) <= unix_secs(now));
        if !ripe.is_empty() {
            report.sweep = Some(self.sweep_marks(&ripe, opts, &as_if)?);
        }
        // Packs a mark names stay out of a new mark: they are dealt with already.
        let mut pending: HashSet<ObjectId> = waiting
            .iter()
            .flat_map(|(_, m)| m.delete.iter().copied())
            .collect();
        if opts.dry_run || report.sweep.as_ref().is_some_and(|s| s.postponed.is_some()) {
            pending.extend(ripe.iter().flat_map(|(_, m)| m.delete.iter().copied()));
        }
        let new_mark = self.mark(opts, now, &pending, &as_if, &mut report.mark)?;
        if let Some((name, m)) = new_mark
            && opts.grace.is_zero()
        {
            report.sweep_now = Some(self.sweep_marks(&[(name, m)], opts, &as_if)?);
        }
        // A half-written file may be a commit's pack being written right now: only files left
        // untouched for the grace period, and at least an hour (even with `--grace 0`), go.
        let before = now
            .checked_sub(opts.grace.max(PARTIAL_FILE_AGE))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        for (path, bytes) in self.store().backend().partial_uploads(before) {
            if !opts.dry_run {
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(RepoError::io(&path, e)),
                }
            }
            report.partial_files += 1;
            report.partial_bytes += bytes;
        }
        if !opts.dry_run {
            let (marks, _) = mark::read_marks(self.store())?;
            report.pending = marks
                .iter()
                .map(|(name, m)| PendingMark {
                    mark: name.to_hex(),
                    packs: m.delete.len(),
                    sweep_after: m.time.saturating_add(grace_secs),
                })
                .collect();
        } else {
            report.pending = waiting
                .iter()
                .map(|(name, m)| PendingMark {
                    mark: name.to_hex(),
                    packs: m.delete.len(),
                    sweep_after: m.time.saturating_add(grace_secs),
                })
                .collect();
        }
        report.disk_after = self.disk_usage();
        Ok(report)
    }

    /// The mark phase: walks the live set, plans, repacks and writes the mark (unless nothing can
    /// go, or this is a dry run). Returns the mark written.
    fn mark(
        &mut self,
        opts: &GcOptions,
        now: SystemTime,
        pending: &HashSet<ObjectId>,
        as_if: &AsIf,
        out: &mut MarkReport,
    ) -> Result<Option<(ObjectId, Mark)>> {
        // The roots first, then the index: a root's blobs are indexed before the operation naming
        // it is written, so every root is in the index read after it.
        let (op_head, roots) = self.live_roots(None, as_if)?;
        let survey = Survey::take(self.store_mut()).map_err(gc_err)?;
        let protected = self.remote_packs()?;
        let eligible = |name: &ObjectId, info: &gc::PackInfo| {
            !info.is_young(now, opts.grace) && !protected.contains(name) && !pending.contains(name)
        };
        let plan = {
            let mut walker = Walker::new(self.store());
            for r in roots {
                walker.add_live(r).map_err(gc_err)?;
            }
            let mut closed = HashSet::new();
            gc::plan::plan(&survey, &mut walker, &eligible, &mut closed).map_err(gc_err)?
        };
        out.young = survey
            .packs
            .values()
            .filter(|i| i.listed && i.is_young(now, opts.grace))
            .count();
        out.on_remotes = survey
            .packs
            .iter()
            .filter(|(n, i)| i.listed && protected.contains(n))
            .count();
        let line = |name: &ObjectId| PackLine {
            pack: name.to_hex(),
            bytes: survey.packs.get(name).map_or(0, |p| p.size),
        };
        out.dead = plan.dead.iter().map(line).collect();
        out.repacked = plan.repack.iter().map(line).collect();
        out.unindexed = plan.unindexed.iter().map(line).collect();
        out.copied_blobs = plan.copies.len();
        out.copied_bytes = plan.copy_bytes();
        out.marked_bytes = plan.leaving().iter().map(|n| line(n).bytes).sum();
        if opts.dry_run || plan.is_empty() {
            return Ok(None);
        }
        let written = gc::plan::repack(self.store_mut(), &plan.copies).map_err(gc_err)?;
        out.written = written
            .iter()
            .map(|(n, b)| PackLine {
                pack: n.to_hex(),
                bytes: *b,
            })
            .collect();
        let m = Mark {
            time: unix_secs(SystemTime::now()),
            op_head,
            delete: plan.leaving().into_iter().collect(),
            written: written.iter().map(|(n, _)| *n).collect(),
        };
        let name = mark::write_mark(self.store(), &m)?;
        out.mark = Some(name.to_hex());
        out.sweep_after = Some(
            m.time
                .saturating_add(i64::try_from(opts.grace.as_secs()).unwrap_or(i64::MAX)),
        );
        Ok(Some((name, m)))
    }

    /// Sweeps the given marks: walks the live set without the lock, then, holding it, catches up
    /// with what was written meanwhile, keeps back what is needed and deletes the rest (in a dry
    /// run, only works out what would go).
    fn sweep_marks(
        &mut self,
        marks: &[(ObjectId, Mark)],
        opts: &GcOptions,
        as_if: &AsIf,
    ) -> Result<SweepReport> {
        let mut report = SweepReport {
            marks: marks.len(),
            ..Default::default()
        };
        let candidates: BTreeSet<ObjectId> = marks
            .iter()
            .flat_map(|(_, m)| m.delete.iter().copied())
            .collect();
        let now = SystemTime::now();
        // Without the lock: the long walk (the roots read before the index, as in `mark`).
        let (op_head, roots) = self.live_roots(None, as_if)?;
        let survey = Survey::take(self.store_mut()).map_err(gc_err)?;
        let mut closed = HashSet::new();
        let needed = {
            let mut walker = Walker::new(self.store());
            for r in roots {
                walker.add_live(r).map_err(gc_err)?;
            }
            let leaving = leaving_of(&survey, &candidates, &self.remote_packs()?, now, opts);
            gc::sweep::close_over_staying(&survey, &mut walker, &leaving, &mut closed)
                .map_err(gc_err)?;
            if opts.dry_run {
                let (delete, kept) = gc::sweep::settle(&survey, &mut walker, leaving, &mut closed)
                    .map_err(gc_err)?;
                report.kept = kept.iter().map(|k| k.to_hex()).collect();
                for p in &delete {
                    let bytes = survey.packs.get(p).map_or(0, |i| i.size);
                    report.deleted.push(PackLine {
                        pack: p.to_hex(),
                        bytes,
                    });
                    report.deleted_bytes += bytes;
                }
                return Ok(report);
            }
            walker.into_needed()
        };
        // Holding the lock: catch up, decide, delete.
        let holder = format!("daw gc (sweeping, pid {})", std::process::id());
        let _lock = match RepoLock::acquire(self.daw_dir(), SWEEP_LOCK_WAIT, &holder) {
            Ok(l) => l,
            Err(LockError::Busy { holder }) => {
                report.postponed = Some(holder);
                report.marks = 0;
                return Ok(report);
            }
            Err(e) => return Err(e.into()),
        };
        let (_, new_roots) = self.live_roots(Some(op_head), as_if)?;
        let survey = Survey::take(self.store_mut()).map_err(gc_err)?;
        let protected = self.remote_packs()?;
        let mut walker = Walker::with_needed(self.store(), needed);
        for r in new_roots {
            walker.add_live(r).map_err(gc_err)?;
        }
        let leaving = leaving_of(&survey, &candidates, &protected, now, opts);
        let (delete, kept) =
            gc::sweep::settle(&survey, &mut walker, leaving, &mut closed).map_err(gc_err)?;
        drop(walker);
        report.kept = kept.iter().map(|k| k.to_hex()).collect();
        let names: Vec<ObjectId> = marks.iter().map(|(n, _)| *n).collect();
        let swept =
            gc::sweep::carry_out(self.store_mut(), &survey, &delete, &names).map_err(gc_err)?;
        report.deleted = swept
            .packs
            .into_iter()
            .map(|(pack, bytes)| PackLine { pack, bytes })
            .collect();
        report.deleted_bytes = swept.bytes;
        Ok(report)
    }

    /// The roots: the refs and work-tree trees of every operation in the log, from `op_head` back
    /// to the first or to a pruned one. With `since`, only those of the operations after it (all of
    /// them if it is not in the log). Returns `op_head` too.
    fn live_roots(
        &self,
        since: Option<ObjectId>,
        as_if: &AsIf,
    ) -> Result<(ObjectId, Vec<ObjectId>)> {
        let head = self.op_head()?;
        let mut pruned: Option<BTreeSet<ObjectId>> = None;
        let mut roots = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![head];
        let mut found_since = false;
        while let Some(id) = stack.pop() {
            if Some(id) == since {
                found_since = true;
                continue;
            }
            if !seen.insert(id) || as_if.pruned.contains(&id) {
                continue;
            }
            let op = match self.read_op(&id) {
                Ok(op) => op,
                Err(e) => {
                    let pruned = match &pruned {
                        Some(p) => p,
                        None => pruned.insert(oplog::read_pruned(self.store())?),
                    };
                    if pruned.contains(&id) {
                        continue;
                    }
                    return Err(RepoError::Corrupt(format!(
                        "operation {} cannot be read ({e}); gc deletes nothing while the log is incomplete",
                        id.short(12)
                    )));
                }
            };
            roots.extend(op.refs.targets());
            if let Some(change) = &op.work_tree {
                roots.extend([change.from, change.to].into_iter().flatten());
            }
            stack.extend(op.parents.iter().copied());
        }
        if since.is_some() && !found_since {
            return self.live_roots(None, as_if);
        }
        roots.sort();
        roots.dedup();
        Ok((head, roots))
    }

    /// The roots of everything the repository keeps (see [`Repository::gc`]), and `op_head`.
    pub(crate) fn live_roots_all(&self) -> Result<(ObjectId, Vec<ObjectId>)> {
        self.live_roots(None, &AsIf::default())
    }

    /// The packs this repository's remotes hold (pushed or announced there): left as they are.
    fn remote_packs(&self) -> Result<HashSet<ObjectId>> {
        let mut out = HashSet::new();
        for (_, entry) in self.remotes()? {
            out.extend(entry.record.packs.iter().copied());
            out.extend(entry.record.announced.iter().copied());
        }
        Ok(out)
    }

    /// Removes from the log the operations at or before `cutoff` (Unix seconds), except the current
    /// one and its parent (`daw undo` goes back to it). Returns how many were (or would be) removed.
    fn prune_oplog(&mut self, cutoff: i64, dry_run: bool) -> Result<BTreeSet<ObjectId>> {
        let _lock = self.lock(&format!(
            "daw gc (pruning the log, pid {})",
            std::process::id()
        ))?;
        let mut pruned = oplog::read_pruned(self.store())?;
        let mut chain: Vec<(ObjectId, i64)> = Vec::new();
        let mut next = Some(self.op_head()?);
        while let Some(id) = next {
            if pruned.contains(&id) {
                break;
            }
            let op = self.read_op(&id)?;
            chain.push((id, op.meta.time));
            next = op.parents.first().copied();
        }
        // The newest operation at or before the cutoff, past the two undo needs: it and everything
        // older leave the log.
        let Some(cut) = chain.iter().skip(2).position(|(_, t)| *t <= cutoff) else {
            return Ok(BTreeSet::new());
        };
        let gone: BTreeSet<ObjectId> = chain[cut + 2..].iter().map(|(id, _)| *id).collect();
        if dry_run {
            return Ok(gone);
        }
        pruned.extend(gone.iter().copied());
        oplog::write_pruned(self.store(), &pruned)?;
        // Also files a killed run left behind.
        for id in &pruned {
            match self.store().backend().delete(&oplog::op_path(id)) {
                Ok(()) | Err(BackendError::NotFound(_)) => {}
                Err(e) => return Err(StoreError::from(e).into()),
            }
        }
        Ok(gone)
    }

    /// Whether `id` was pruned from the log by `daw gc --prune-oplog`.
    pub fn is_pruned(&self, id: &ObjectId) -> Result<bool> {
        match oplog::read_pruned(self.store()) {
            Ok(p) => Ok(p.contains(id)),
            Err(OpLogError::Store(StoreError::Backend(BackendError::NotFound(_)))) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Bytes of every file in the repository folder.
    pub fn disk_usage(&self) -> u64 {
        fn walk(dir: &std::path::Path) -> u64 {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return 0;
            };
            rd.flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => walk(&e.path()),
                    Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
                    _ => 0,
                })
                .sum()
        }
        walk(self.daw_dir())
    }
}

/// What a dry run pretends was done before: the operations it would have pruned.
#[derive(Default)]
struct AsIf {
    pruned: BTreeSet<ObjectId>,
}

/// The marked packs that may go: listed, old enough, and not held by a remote.
fn leaving_of(
    survey: &Survey,
    candidates: &BTreeSet<ObjectId>,
    protected: &HashSet<ObjectId>,
    now: SystemTime,
    opts: &GcOptions,
) -> BTreeSet<ObjectId> {
    candidates
        .iter()
        .filter(|p| {
            survey
                .packs
                .get(p)
                .is_some_and(|i| i.listed && !i.is_young(now, opts.grace))
                && !protected.contains(p)
        })
        .copied()
        .collect()
}
