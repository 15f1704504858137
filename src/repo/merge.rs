//! `daw merge`, `daw resolve`, `daw merge --continue` and `--abort`: bringing another line of work
//! into the current branch, file by file (docs/ARCHITECTURE.md, "A merge, step by step").
//!
//! Every file goes through [`Repository::update_work_tree`] (clobber guard, temporary name, hash
//! checked, rename): this module decides *which* tree the project moves to, never writes a file
//! itself. A merge that stops on conflicts leaves its state in `.daw/merge` (FORMAT.md, "Merge in
//! progress"), sealed and bound to the operation that started it. A Live set changed on both sides
//! is merged inside, element by element (`set_merge`, `formats::als_merge`); one that cannot be is a
//! whole-file conflict that says why.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::formats::als_merge::Side;
use crate::object::encoding::{Reader, Writer};
use crate::object::{BlobKind, Commit, DecodeError, ObjectId, Signature, TreeEntry};
use crate::store::{BackendError, StoreError};
use crate::worktree::paths::display_path;

use super::history::reachable;
use super::ops::{Head, WorkTreeChange};
use super::set_merge::SetOutcome;
use super::snapshot::NoProgress;
use super::status::{WorkTreeView, flatten, same, same_entry};
use super::switch::{MoveReport, UpdateOptions, UpdateReport};
use super::{RepoError, Repository, Result};

/// Where the merge in progress is kept, in the repository folder.
const MERGE_PATH: &str = "merge";
const MERGE_VERSION: u64 = 2;

/// What the user chose for a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// This branch's version (or its deletion).
    Ours,
    /// The other side's version (or its deletion).
    Theirs,
    /// Both files: ours at the path, theirs under the marked name.
    Both,
    /// A Live set merged inside: each element both sides changed as chosen, some this side's,
    /// some the other's.
    ByElement,
}

impl Resolution {
    /// As the user chose it: `ours`, `theirs`, `both`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Theirs => "theirs",
            Self::Both => "both",
            Self::ByElement => "by element",
        }
    }
}

/// Why a file did not merge by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Changed on both sides, differently.
    ChangedBoth,
    /// Added on both sides with different contents.
    AddedBoth,
    /// Deleted on this branch, changed on the other side.
    DeletedHere,
    /// Changed on this branch, deleted on the other side.
    DeletedThere,
}

impl ConflictKind {
    pub fn describe(self) -> &'static str {
        match self {
            Self::ChangedBoth => "changed on both sides",
            Self::AddedBoth => "added on both sides",
            Self::DeletedHere => "deleted here, changed on the other side",
            Self::DeletedThere => "changed here, deleted on the other side",
        }
    }
}

/// One file that needs the user's choice.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// Relative, `/`-separated.
    pub path: String,
    pub kind: ConflictKind,
    /// Where the other side's copy sits meanwhile (`vox (from laptop).wav`); none when one side
    /// deleted the file.
    pub theirs_file: Option<String>,
    pub resolution: Option<Resolution>,
    /// A Live set merged inside: the elements both sides changed.
    pub set: Option<SetConflict>,
    /// A Live set changed on both sides that could not be merged inside, and why.
    pub whole_file_reason: Option<String>,
}

/// A Live set merged inside whose elements need the user's choice.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SetConflict {
    /// Every element both sides changed, in the set's order.
    pub elements: Vec<SetElement>,
    /// Whole files were chosen instead (`daw resolve PATH --whole`): the conflict's `resolution`
    /// applies to the file as for any other file.
    pub whole: bool,
    /// The merged set laid out now: each element as chosen, this side's where none is chosen.
    #[serde(skip)]
    pub current: TreeEntry,
    /// Merged sets laid out earlier in this merge (an interrupted resolve may have left one).
    #[serde(skip)]
    pub earlier: Vec<TreeEntry>,
}

/// One element of a set both sides changed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SetElement {
    /// What a choice names (stable for the merge's three versions).
    pub key: String,
    /// "Tempo", "Track 'Bass': device 'EQ Eight'".
    pub name: String,
    /// "120 on main, 128 on laptop".
    pub detail: String,
    pub resolution: Option<Side>,
}

impl SetConflict {
    /// The choices made so far, by element key.
    pub(crate) fn choices(&self) -> BTreeMap<String, Side> {
        self.elements
            .iter()
            .filter_map(|e| e.resolution.map(|r| (e.key.clone(), r)))
            .collect()
    }

    pub fn unresolved(&self) -> usize {
        self.elements
            .iter()
            .filter(|e| e.resolution.is_none())
            .count()
    }
}

/// The merge in progress (`.daw/merge`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeState {
    /// `op_head` when the merge started.
    pub before_op: ObjectId,
    pub ours: ObjectId,
    pub theirs: ObjectId,
    pub base: ObjectId,
    /// The branch the merge commit goes on (`None`: a detached HEAD).
    pub branch: Option<String>,
    /// How the other side is named (and its files marked).
    pub label: String,
    pub message: String,
    /// The tree the files were moved to when the merge stopped.
    pub merged_tree: ObjectId,
    pub conflicts: Vec<Conflict>,
}

/// How far a merge in `.daw/merge` got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MergePhase {
    /// Stopped on conflicts: resolve them, then `--continue`, or `--abort`.
    InProgress,
    /// Interrupted before its operation was recorded: only `--abort`.
    Interrupted,
}

impl MergeState {
    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(MERGE_VERSION)
            .id(&self.before_op)
            .id(&self.ours)
            .id(&self.theirs)
            .id(&self.base);
        match &self.branch {
            Some(b) => w.u8(1).str(b),
            None => w.u8(2),
        };
        w.str(&self.label).str(&self.message).id(&self.merged_tree);
        w.uvar(self.conflicts.len() as u64);
        for c in &self.conflicts {
            w.str(&c.path);
            w.u8(match c.kind {
                ConflictKind::ChangedBoth => 1,
                ConflictKind::AddedBoth => 2,
                ConflictKind::DeletedHere => 3,
                ConflictKind::DeletedThere => 4,
            });
            w.str(c.theirs_file.as_deref().unwrap_or(""));
            w.u8(match c.resolution {
                None => 0,
                Some(Resolution::Ours) => 1,
                Some(Resolution::Theirs) => 2,
                Some(Resolution::Both) => 3,
                Some(Resolution::ByElement) => 4,
            });
            match (&c.set, &c.whole_file_reason) {
                (Some(set), _) => {
                    w.u8(2).u8(u8::from(set.whole));
                    let entry = |e: &TreeEntry| {
                        let mut inner = Writer::new();
                        e.encode_to(&mut inner);
                        inner.finish()
                    };
                    w.bytes(&entry(&set.current));
                    w.uvar(set.earlier.len() as u64);
                    for e in &set.earlier {
                        w.bytes(&entry(e));
                    }
                    w.uvar(set.elements.len() as u64);
                    for e in &set.elements {
                        w.str(&e.key).str(&e.name).str(&e.detail);
                        w.u8(match e.resolution {
                            None => 0,
                            Some(Side::Ours) => 1,
                            Some(Side::Theirs) => 2,
                        });
                    }
                }
                (None, Some(reason)) => {
                    w.u8(1).str(reason);
                }
                (None, None) => {
                    w.u8(0);
                }
            }
        }
        w.finish()
    }

    fn decode(buf: &[u8]) -> std::result::Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "merge state");
        let version = r.version(MERGE_VERSION)?;
        let before_op = r.id()?;
        let ours = r.id()?;
        let theirs = r.id()?;
        let base = r.id()?;
        let branch = match r.u8()? {
            1 => Some(r.string()?),
            2 => None,
            t => return Err(r.invalid(format!("unknown head tag {t}"))),
        };
        let label = r.string()?;
        let message = r.string()?;
        let merged_tree = r.id()?;
        let n = r.count(4)?;
        let mut conflicts = Vec::with_capacity(n);
        for _ in 0..n {
            let path = r.string()?;
            let kind = match r.u8()? {
                1 => ConflictKind::ChangedBoth,
                2 => ConflictKind::AddedBoth,
                3 => ConflictKind::DeletedHere,
                4 => ConflictKind::DeletedThere,
                k => return Err(r.invalid(format!("unknown conflict kind {k}"))),
            };
            let marked = r.string()?;
            let resolution = match r.u8()? {
                0 => None,
                1 => Some(Resolution::Ours),
                2 => Some(Resolution::Theirs),
                3 => Some(Resolution::Both),
                4 if version >= 2 => Some(Resolution::ByElement),
                k => return Err(r.invalid(format!("unknown resolution {k}"))),
            };
            let (mut set, mut whole_file_reason) = (None, None);
            if version >= 2 {
                match r.u8()? {
                    0 => {}
                    1 => whole_file_reason = Some(r.string()?),
                    2 => set = Some(decode_set(&mut r)?),
                    t => return Err(r.invalid(format!("unknown set tag {t}"))),
                }
            }
            conflicts.push(Conflict {
                path,
                kind,
                theirs_file: (!marked.is_empty()).then_some(marked),
                resolution,
                set,
                whole_file_reason,
            });
        }
        r.finish()?;
        Ok(Self {
            before_op,
            ours,
            theirs,
            base,
            branch,
            label,
            message,
            merged_tree,
            conflicts,
        })
    }

    pub fn unresolved(&self) -> impl Iterator<Item = &Conflict> {
        self.conflicts.iter().filter(|c| c.resolution.is_none())
    }
}

fn decode_set(r: &mut Reader<'_>) -> std::result::Result<SetConflict, DecodeError> {
    let whole = match r.u8()? {
        0 => false,
        1 => true,
        t => return Err(r.invalid(format!("unknown flag {t}"))),
    };
    let entry = |r: &mut Reader<'_>| -> std::result::Result<TreeEntry, DecodeError> {
        let bytes = r.bytes()?;
        let mut inner = Reader::new(bytes, "merge state entry");
        let e = TreeEntry::decode_from(&mut inner)?;
        inner.finish()?;
        Ok(e)
    };
    let current = entry(r)?;
    let n = r.count(1)?;
    let mut earlier = Vec::with_capacity(n);
    for _ in 0..n {
        earlier.push(entry(r)?);
    }
    let n = r.count(4)?;
    let mut elements = Vec::with_capacity(n);
    for _ in 0..n {
        let key = r.string()?;
        let name = r.string()?;
        let detail = r.string()?;
        let resolution = match r.u8()? {
            0 => None,
            1 => Some(Side::Ours),
            2 => Some(Side::Theirs),
            k => return Err(r.invalid(format!("unknown element resolution {k}"))),
        };
        elements.push(SetElement {
            key,
            name,
            detail,
            resolution,
        });
    }
    Ok(SetConflict {
        elements,
        whole,
        current,
        earlier,
    })
}

/// What `daw merge` is asked to do.
#[derive(Clone, Debug)]
pub struct MergeOptions {
    /// The merge commit's message; a default names both sides.
    pub message: Option<String>,
    pub author: Signature,
}

/// What a merge did.
#[derive(Debug)]
pub enum MergeOutcome {
    /// The other side's commits are already in this branch.
    UpToDate,
    /// This branch was behind: it moved to the other side's commit.
    FastForward(Box<MoveReport>),
    /// A merge commit with two parents.
    Merged {
        commit: ObjectId,
        files: UpdateReport,
    },
    /// Stopped on conflicts: the merge is in progress.
    Conflicts {
        files: UpdateReport,
        conflicts: Vec<Conflict>,
    },
}

#[derive(Debug)]
pub struct MergeReport {
    pub ours: ObjectId,
    pub theirs: ObjectId,
    pub base: Option<ObjectId>,
    pub label: String,
    pub outcome: MergeOutcome,
    /// Live sets changed on both sides that merged inside without a conflict.
    pub sets_merged: Vec<String>,
}

/// What `--continue` made.
#[derive(Debug)]
pub struct ContinueReport {
    pub commit: ObjectId,
    pub state: MergeState,
}

/// Whether a path names a Live set.
fn is_live_set(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.as_encoded_bytes().eq_ignore_ascii_case(b"als"))
}

/// How this side is named in a set's conflicts: its branch, or `HEAD`.
fn ours_name(branch: Option<&str>) -> String {
    branch.unwrap_or("HEAD").to_string()
}

/// The element of a set a `--element` argument names: its number as listed (from 1), its key, or
/// its name (any case).
fn find_element(set: &SetConflict, path: &str, wanted: &str) -> Result<usize> {
    let list = || {
        set.elements
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{}. {}", i + 1, e.name))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if let Ok(n) = wanted.trim().parse::<usize>() {
        return if (1..=set.elements.len()).contains(&n) {
            Ok(n - 1)
        } else {
            Err(RepoError::Refused(format!(
                "{path} has no element {n} ({})",
                list()
            )))
        };
    }
    if let Some(i) = set.elements.iter().position(|e| e.key == wanted) {
        return Ok(i);
    }
    let matches: Vec<usize> = set
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name.eq_ignore_ascii_case(wanted.trim()))
        .map(|(i, _)| i)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(RepoError::Refused(format!(
            "'{wanted}' is not an element of {path} both sides changed ({})",
            list()
        ))),
        many => Err(RepoError::Refused(format!(
            "'{wanted}' names {} elements of {path}; give its number ({})",
            many.len(),
            list()
        ))),
    }
}

fn holder(what: &str) -> String {
    format!("daw {what} (pid {})", std::process::id())
}

/// The merge bases of two commits: their common ancestors that are no ancestor of another one.
pub fn merge_bases(repo: &Repository, a: &ObjectId, b: &ObjectId) -> Result<Vec<ObjectId>> {
    let of_a = reachable(repo, &[*a])?;
    let of_b = reachable(repo, &[*b])?;
    let common: HashSet<ObjectId> = of_a.intersection(&of_b).copied().collect();
    let mut parents = Vec::new();
    for c in &common {
        parents.extend(repo.read_commit(c)?.parents);
    }
    let below = reachable(repo, &parents)?;
    let mut bases: Vec<ObjectId> = common.difference(&below).copied().collect();
    bases.sort();
    Ok(bases)
}

/// `Samples/vox.wav` and `laptop` → `Samples/vox (from laptop).wav`, with ` 2`, ` 3`… inside the
/// parentheses while the name is taken.
fn marked_path(path: &Path, label: &str, taken: &dyn Fn(&Path) -> bool) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    let label: String = label
        .chars()
        .map(|c| if c == '/' || c == '\0' { '-' } else { c })
        .collect();
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" {n}")
        };
        let candidate = path.with_file_name(format!("{stem} (from {label}{suffix}){ext}"));
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

fn parts(p: &Path) -> Vec<Vec<u8>> {
    p.components()
        .map(|c| c.as_os_str().as_encoded_bytes().to_vec())
        .collect()
}

fn renamed(entry: &TreeEntry, path: &Path) -> TreeEntry {
    let mut e = entry.clone();
    e.name = path
        .file_name()
        .map(|n| n.as_encoded_bytes().to_vec())
        .unwrap_or_default();
    e
}

fn eq(x: Option<&TreeEntry>, y: Option<&TreeEntry>) -> bool {
    match (x, y) {
        (None, None) => true,
        (Some(a), Some(b)) => same_entry(a, b),
        _ => false,
    }
}

/// The versions of one conflict: (ours, theirs), from the two commits' trees.
type Versions = (Option<TreeEntry>, Option<TreeEntry>);

/// The files a conflict puts on disk under a resolution (`None`: unresolved, laid out as `Both`):
/// (at the path, at the marked name). A Live set merged inside holds the merged set at its path
/// (each element as chosen), and the other side's set beside it until every element is chosen.
fn layout(
    c: &Conflict,
    (ours, theirs): &Versions,
    resolution: Option<Resolution>,
) -> (Option<TreeEntry>, Option<TreeEntry>) {
    let marked = |t: &TreeEntry| c.theirs_file.as_ref().map(|m| renamed(t, Path::new(m)));
    if let Some(set) = c.set.as_ref().filter(|s| !s.whole) {
        let merged = Some(renamed(&set.current, Path::new(&c.path)));
        return match resolution {
            None | Some(Resolution::Both) => (merged, theirs.as_ref().and_then(marked)),
            Some(_) => (merged, None),
        };
    }
    match resolution {
        Some(Resolution::Ours) => (ours.clone(), None),
        Some(Resolution::Theirs) => (theirs.clone(), None),
        None | Some(Resolution::Both) | Some(Resolution::ByElement) => match (ours, theirs) {
            (Some(o), Some(t)) => (Some(o.clone()), marked(t)),
            (o, t) => (o.clone().or(t.clone()), None),
        },
    }
}

impl Repository {
    fn read_merge_state(&self) -> Result<Option<MergeState>> {
        let bytes = match self.store().backend().get(MERGE_PATH) {
            Ok(b) => b,
            Err(BackendError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(StoreError::from(e).into()),
        };
        let plain = self
            .store()
            .open_file("merge", MERGE_PATH, &bytes)
            .map_err(|e| {
                RepoError::Corrupt(format!(
                    "damaged merge state .daw/{MERGE_PATH} ({e}); delete it to give up the merge (your files stay as they are)"
                ))
            })?;
        MergeState::decode(&plain)
            .map(Some)
            .map_err(|source| RepoError::Decode {
                what: "merge state",
                id: MERGE_PATH.into(),
                source,
            })
    }

    fn write_merge_state(&self, state: &MergeState) -> Result<()> {
        let sealed = self.store().seal_file("merge", MERGE_PATH, &state.encode());
        self.store()
            .backend()
            .put(MERGE_PATH, sealed)
            .map_err(StoreError::from)?;
        Ok(())
    }

    fn remove_merge_state(&self) -> Result<()> {
        match self.store().backend().delete(MERGE_PATH) {
            Ok(()) | Err(BackendError::NotFound(_)) => Ok(()),
            Err(e) => Err(StoreError::from(e).into()),
        }
    }

    /// The merge in progress, if any (a state left by a merge that was undone or rolled back is
    /// stale and reads as none: FORMAT.md, "Merge in progress").
    pub fn merge_in_progress(&self) -> Result<Option<(MergeState, MergePhase)>> {
        let Some(state) = self.read_merge_state()? else {
            return Ok(None);
        };
        let (head_id, head) = self.current_op()?;
        if head_id == state.before_op {
            return Ok(Some((state, MergePhase::Interrupted)));
        }
        let started_it = head.parents.first() == Some(&state.before_op)
            && head
                .work_tree
                .as_ref()
                .is_some_and(|c| c.to == Some(state.merged_tree));
        Ok(started_it.then_some((state, MergePhase::InProgress)))
    }

    /// Refuses a command that would commit or move HEAD while a merge is in progress.
    pub(crate) fn refuse_during_merge(&self) -> Result<()> {
        match self.merge_in_progress()? {
            Some((state, MergePhase::InProgress)) => Err(RepoError::Refused(format!(
                "a merge of '{}' is in progress; finish it with `daw merge --continue` or go back with `daw merge --abort`",
                state.label
            ))),
            Some((state, MergePhase::Interrupted)) => Err(RepoError::Refused(format!(
                "a merge of '{}' was interrupted while starting; run `daw merge --abort` first",
                state.label
            ))),
            None => Ok(()),
        }
    }

    /// `daw merge REV`: see the module docs. `label` names the other side (its branch, or a short
    /// id).
    pub fn merge(
        &mut self,
        theirs: ObjectId,
        label: &str,
        opts: &MergeOptions,
    ) -> Result<MergeReport> {
        let _lock = self.lock(&holder("merge"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        match self.merge_in_progress()? {
            Some((state, MergePhase::InProgress)) => {
                return Err(RepoError::Refused(format!(
                    "a merge of '{}' is already in progress; finish it with `daw merge --continue` or go back with `daw merge --abort`",
                    state.label
                )));
            }
            Some((state, MergePhase::Interrupted)) => {
                return Err(RepoError::Refused(format!(
                    "a merge of '{}' was interrupted while starting; run `daw merge --abort` first",
                    state.label
                )));
            }
            _ => {}
        }
        let refs = self.refs()?;
        let ours = refs.head_commit().ok_or(RepoError::NoCommits)?;
        let mut report = MergeReport {
            ours,
            theirs,
            base: None,
            label: label.to_string(),
            outcome: MergeOutcome::UpToDate,
            sets_merged: Vec::new(),
        };
        if ours == theirs || reachable(self, &[ours])?.contains(&theirs) {
            return Ok(report);
        }
        let bases = merge_bases(self, &ours, &theirs)?;
        let base = match bases.as_slice() {
            [] => {
                return Err(RepoError::Refused(format!(
                    "'{label}' shares no history with HEAD: there is nothing to merge from (unrelated histories)"
                )));
            }
            [one] => *one,
            many => {
                let names: Vec<String> = many.iter().map(|b| b.short(12)).collect();
                return Err(RepoError::Refused(format!(
                    "HEAD and '{label}' have {} merge bases ({}: criss-cross merges); daw cannot merge them yet. Merge one base into the other first, or reset to one side",
                    many.len(),
                    names.join(", ")
                )));
            }
        };
        report.base = Some(base);
        if base == ours {
            let mut new_refs = refs.clone();
            match &refs.head {
                Head::Branch(b) => {
                    new_refs.branches.insert(b.clone(), theirs);
                }
                Head::Detached(_) => new_refs.head = Head::Detached(theirs),
            }
            let description = format!("merge '{label}': fast-forward to {}", theirs.short(12));
            let moved = self.move_head(
                refs,
                new_refs,
                description,
                Some(UpdateOptions::default()),
                &mut NoProgress,
            )?;
            report.outcome = MergeOutcome::FastForward(Box::new(moved));
            return Ok(report);
        }

        let ours_tree = self.read_commit(&ours)?.tree;
        let theirs_tree = self.read_commit(&theirs)?.tree;
        let base_tree = self.read_commit(&base)?.tree;
        let b = flatten(self, Some(&base_tree))?;
        let o = flatten(self, Some(&ours_tree))?;
        let t = flatten(self, Some(&theirs_tree))?;
        let mut keys: BTreeSet<&PathBuf> = b.keys().collect();
        keys.extend(o.keys());
        keys.extend(t.keys());
        // The merged tree as HEAD's with edits; conflicts as laid out while unresolved.
        let mut result: BTreeMap<PathBuf, Option<TreeEntry>> = BTreeMap::new();
        let mut conflicts: Vec<(PathBuf, ConflictKind)> = Vec::new();
        let this_side = ours_name(match &refs.head {
            Head::Branch(br) => Some(br.as_str()),
            Head::Detached(_) => None,
        });
        let mut in_sets: HashMap<PathBuf, SetConflict> = HashMap::new();
        let mut whole_reasons: HashMap<PathBuf, String> = HashMap::new();
        for p in keys {
            let (be, oe, te) = (b.get(p), o.get(p), t.get(p));
            if eq(oe, te) || eq(be, te) {
                continue;
            }
            if eq(be, oe) {
                result.insert(p.clone(), te.cloned());
                continue;
            }
            let kind = match (be, oe, te) {
                (None, Some(_), Some(_)) => ConflictKind::AddedBoth,
                (_, Some(_), Some(_)) => ConflictKind::ChangedBoth,
                (_, None, _) => ConflictKind::DeletedHere,
                (_, Some(_), None) => ConflictKind::DeletedThere,
            };
            // A Live set changed on both sides: merged inside, element by element, when it can be.
            if let (true, Some(b), Some(o), Some(t)) = (is_live_set(p), be, oe, te) {
                let names = (this_side.as_str(), label);
                match self.merge_live_set(&display_path(p), [b, o, t], names, &BTreeMap::new())? {
                    SetOutcome::Merged { entry, conflicts } if conflicts.is_empty() => {
                        result.insert(p.clone(), Some(entry));
                        report.sets_merged.push(display_path(p));
                        continue;
                    }
                    SetOutcome::Merged { entry, conflicts } => {
                        let elements = conflicts
                            .into_iter()
                            .map(|c| SetElement {
                                key: c.key,
                                name: c.name,
                                detail: c.detail,
                                resolution: None,
                            })
                            .collect();
                        in_sets.insert(
                            p.clone(),
                            SetConflict {
                                elements,
                                whole: false,
                                current: entry,
                                earlier: Vec::new(),
                            },
                        );
                    }
                    SetOutcome::Whole(reason) => {
                        whole_reasons.insert(p.clone(), reason);
                    }
                }
            }
            conflicts.push((p.clone(), kind));
        }
        // The files of the result, to place the marked copies where nothing else is.
        let mut files: BTreeSet<PathBuf> = o.keys().cloned().collect();
        for (p, e) in &result {
            if e.is_some() {
                files.insert(p.clone());
            } else {
                files.remove(p);
            }
        }
        files.extend(conflicts.iter().map(|(p, _)| p.clone()));
        let work_tree = self.work_tree().to_path_buf();
        let mut state_conflicts = Vec::new();
        for (p, kind) in &conflicts {
            let versions: Versions = (o.get(p).cloned(), t.get(p).cloned());
            let theirs_file = match kind {
                ConflictKind::ChangedBoth | ConflictKind::AddedBoth => {
                    let m = marked_path(p, label, &|c: &Path| {
                        files.contains(c) || std::fs::symlink_metadata(work_tree.join(c)).is_ok()
                    });
                    files.insert(m.clone());
                    Some(display_path(&m))
                }
                _ => None,
            };
            let c = Conflict {
                path: display_path(p),
                kind: *kind,
                theirs_file,
                resolution: None,
                set: in_sets.remove(p),
                whole_file_reason: whole_reasons.remove(p),
            };
            let (at_path, at_marked) = layout(&c, &versions, None);
            if !eq(at_path.as_ref(), o.get(p)) {
                result.insert(p.clone(), at_path);
            }
            if let (Some(m), Some(e)) = (&c.theirs_file, at_marked) {
                result.insert(PathBuf::from(m), Some(e));
            }
            state_conflicts.push(c);
        }
        // A file on one side where the other has a folder cannot be laid out.
        for f in &files {
            if let Some(a) = f.ancestors().skip(1).find(|a| files.contains(*a)) {
                return Err(RepoError::Refused(format!(
                    "'{}' is a file on one side and a folder on the other; daw cannot merge that yet (rename one of them on its branch first)",
                    display_path(a)
                )));
            }
        }
        let mut edits: Vec<(Vec<Vec<u8>>, Option<TreeEntry>)> =
            result.iter().map(|(p, e)| (parts(p), e.clone())).collect();
        let merged = self
            .edit_tree(Some(&ours_tree), &mut edits)?
            .ok_or_else(|| RepoError::Corrupt("the merged tree came out empty".into()))?;
        let message = opts.message.clone().unwrap_or_else(|| match &refs.head {
            Head::Branch(br) => format!("Merge '{label}' into {br}"),
            Head::Detached(_) => format!("Merge '{label}'"),
        });

        if state_conflicts.is_empty() {
            let commit = self.store_merge_commit(ours, theirs, merged, &message, &opts.author)?;
            let files = self.update_work_tree(
                Some(ours_tree),
                Some(merged),
                &UpdateOptions::default(),
                &mut NoProgress,
            )?;
            let mut new_refs = refs.clone();
            match &refs.head {
                Head::Branch(br) => {
                    new_refs.branches.insert(br.clone(), commit);
                }
                Head::Detached(_) => new_refs.head = Head::Detached(commit),
            }
            let change = WorkTreeChange {
                from: files.before,
                to: Some(merged),
                paths: Vec::new(),
            };
            self.record_op(
                format!("merge '{label}': commit {}", commit.short(12)),
                new_refs,
                Some(change),
                None,
            )?;
            report.outcome = MergeOutcome::Merged { commit, files };
            return Ok(report);
        }

        // A conflicted file holding uncommitted changes: refused like a file the merge rewrites.
        let mut view = WorkTreeView::scan(self)?;
        let mut dirty = Vec::new();
        for (p, _) in &conflicts {
            let disk = view.content(self, p, o.get(p))?;
            let clean = match (o.get(p), &disk) {
                (Some(e), Some(d)) => same(e, d),
                (None, None) => true,
                _ => false,
            };
            if !clean {
                dirty.push(display_path(p));
            }
        }
        if !dirty.is_empty() {
            return Err(RepoError::WouldOverwrite { paths: dirty });
        }
        self.store_mut().flush()?;
        let state = MergeState {
            before_op: self.op_head()?,
            ours,
            theirs,
            base,
            branch: match &refs.head {
                Head::Branch(br) => Some(br.clone()),
                Head::Detached(_) => None,
            },
            label: label.to_string(),
            message,
            merged_tree: merged,
            conflicts: state_conflicts,
        };
        self.write_merge_state(&state)?;
        let files = match self.update_work_tree(
            Some(ours_tree),
            Some(merged),
            &UpdateOptions::default(),
            &mut NoProgress,
        ) {
            Ok(f) => f,
            Err(e @ RepoError::WouldOverwrite { .. }) => {
                // Refused before anything was written: no merge started.
                self.remove_merge_state()?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let change = WorkTreeChange {
            from: files.before,
            to: Some(merged),
            paths: Vec::new(),
        };
        let n = state.conflicts.len();
        self.record_op(
            format!(
                "merge '{label}': stopped on {n} conflict{}",
                if n == 1 { "" } else { "s" }
            ),
            refs,
            Some(change),
            None,
        )?;
        report.outcome = MergeOutcome::Conflicts {
            files,
            conflicts: state.conflicts,
        };
        Ok(report)
    }

    fn store_merge_commit(
        &mut self,
        ours: ObjectId,
        theirs: ObjectId,
        tree: ObjectId,
        message: &str,
        author: &Signature,
    ) -> Result<ObjectId> {
        let parent = self.read_commit(&ours)?;
        // Summaries for `daw log`; a set that cannot be read never fails the merge.
        let summary = self
            .project_report(Some(&parent), &tree, true, HashMap::new())
            .map(|r| r.summary)
            .unwrap_or_default();
        let commit = Commit {
            tree,
            parents: vec![ours, theirs],
            author: author.clone(),
            message: message.to_string(),
            summary,
            autosave: false,
        };
        let (id, _) = self
            .store_mut()
            .put_blob(BlobKind::Commit, &commit.encode())?;
        self.store_mut().flush()?;
        Ok(id)
    }

    fn versions(&self, state: &MergeState, c: &Conflict) -> Result<Versions> {
        let p = PathBuf::from(&c.path);
        let comps = parts(&p);
        let comps: Vec<&[u8]> = comps.iter().map(Vec::as_slice).collect();
        let at = |commit: &ObjectId| -> Result<Option<TreeEntry>> {
            let tree = self.read_commit(commit)?.tree;
            super::history::entry_at(self, &tree, &comps)
        };
        Ok((at(&state.ours)?, at(&state.theirs)?))
    }

    /// Stores the merged set of a set conflict again from its three versions and the choices
    /// made; it must come out as the entry the state names.
    fn remake_merged_set(
        &mut self,
        state: &MergeState,
        c: &Conflict,
        set: &SetConflict,
    ) -> Result<()> {
        let (ours_v, theirs_v) = self.versions(state, c)?;
        let base_v = self.base_version(state, c)?;
        let (Some(b), Some(o), Some(t)) = (base_v, ours_v, theirs_v) else {
            return Err(RepoError::Corrupt(format!(
                "the merge state names {} as a set merged inside, but a version of it is missing",
                c.path
            )));
        };
        let names = (ours_name(state.branch.as_deref()), state.label.clone());
        match self.merge_live_set(&c.path, [&b, &o, &t], (&names.0, &names.1), &set.choices())? {
            SetOutcome::Merged { entry, .. } if same_entry(&entry, &set.current) => {
                self.store_mut().flush()?;
                Ok(())
            }
            _ => Err(RepoError::Corrupt(format!(
                "merging {} again with the choices made does not give the set on disk; run `daw resolve {} --ours|--theirs` again",
                c.path, c.path
            ))),
        }
    }

    /// The merge base's version of a conflict's file.
    fn base_version(&self, state: &MergeState, c: &Conflict) -> Result<Option<TreeEntry>> {
        let p = PathBuf::from(&c.path);
        let comps = parts(&p);
        let comps: Vec<&[u8]> = comps.iter().map(Vec::as_slice).collect();
        let tree = self.read_commit(&state.base)?.tree;
        super::history::entry_at(self, &tree, &comps)
    }

    /// The merged tree with each conflict's files as the disk holds them now (a version the merge
    /// knows), or as `expected` lays them out where the disk holds something else (so that the
    /// clobber guard names it). Also returns the files that are not as `expected` lays them out.
    fn settled_tree(
        &mut self,
        state: &MergeState,
        expected: &dyn Fn(&Conflict) -> Option<Resolution>,
    ) -> Result<(ObjectId, Vec<String>)> {
        let mut view = WorkTreeView::scan(self)?;
        let mut edits: Vec<(Vec<Vec<u8>>, Option<TreeEntry>)> = Vec::new();
        let mut differ = Vec::new();
        for c in &state.conflicts {
            let versions = self.versions(state, c)?;
            let (want_path, want_marked) = layout(c, &versions, expected(c));
            let p = PathBuf::from(&c.path);
            let disk = view.content(self, &p, None)?;
            let mut candidates = vec![versions.0.clone(), versions.1.clone()];
            if let Some(set) = &c.set {
                // The merged sets this merge laid out at the path.
                candidates.push(Some(renamed(&set.current, &p)));
                candidates.extend(set.earlier.iter().map(|e| Some(renamed(e, &p))));
            }
            let at_path = match &disk {
                None => None,
                Some(d) => match candidates.iter().flatten().find(|e| same(e, d)) {
                    Some(e) => Some(e.clone()),
                    None => {
                        // Edited by hand: left to the clobber guard.
                        differ.push(c.path.clone());
                        want_path.clone()
                    }
                },
            };
            if !eq(at_path.as_ref(), want_path.as_ref()) {
                differ.push(c.path.clone());
            }
            edits.push((parts(&p), at_path));
            if let Some(m) = &c.theirs_file {
                let mp = PathBuf::from(m);
                let disk = view.content(self, &mp, None)?;
                let theirs = versions.1.as_ref().map(|t| renamed(t, &mp));
                let at_marked = match &disk {
                    None => None,
                    Some(d) if theirs.as_ref().is_some_and(|t| same(t, d)) => theirs,
                    Some(_) => {
                        differ.push(m.clone());
                        want_marked.clone().or(theirs)
                    }
                };
                if !eq(at_marked.as_ref(), want_marked.as_ref()) {
                    differ.push(m.clone());
                }
                edits.push((parts(&mp), at_marked));
            }
        }
        let tree = self
            .edit_tree(Some(&state.merged_tree), &mut edits)?
            .ok_or_else(|| RepoError::Corrupt("the merged tree came out empty".into()))?;
        self.store_mut().flush()?;
        differ.dedup();
        Ok((tree, differ))
    }

    /// The tree the project's files match now for a merge in progress (its conflicts as the disk
    /// holds them): where `daw undo` of the merge's start moves the files back from.
    pub(crate) fn merge_files_now(&mut self, state: &MergeState) -> Result<ObjectId> {
        Ok(self.settled_tree(state, &|x: &Conflict| x.resolution)?.0)
    }

    /// Deletes the merge state (after the operation that ended the merge).
    pub(crate) fn forget_merge(&self) -> Result<()> {
        self.remove_merge_state()
    }

    fn merge_state_for(&self, what: &str) -> Result<MergeState> {
        match self.merge_in_progress()? {
            Some((state, MergePhase::InProgress)) => Ok(state),
            Some((state, MergePhase::Interrupted)) => Err(RepoError::Refused(format!(
                "the merge of '{}' was interrupted while starting; run `daw merge --abort`, then merge again",
                state.label
            ))),
            None => Err(RepoError::Refused(format!(
                "no merge in progress: nothing to {what}"
            ))),
        }
    }

    /// `daw resolve PATH --ours|--theirs|--both`: lays out the conflict's files as chosen. For a
    /// Live set merged inside, `elements` chooses for those elements only (none: every element),
    /// and `whole` (or `Both`) chooses whole files instead, as for any other file.
    pub fn resolve_conflict(
        &mut self,
        path: &str,
        choice: Resolution,
        elements: &[String],
        whole: bool,
    ) -> Result<(Conflict, UpdateReport)> {
        let _lock = self.lock(&holder("resolve"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        let mut state = self.merge_state_for("resolve")?;
        let Some(index) = state.conflicts.iter().position(|c| c.path == path) else {
            let list: Vec<&str> = state.conflicts.iter().map(|c| c.path.as_str()).collect();
            return Err(RepoError::Refused(format!(
                "'{path}' is not a conflict of this merge (conflicts: {})",
                list.join(", ")
            )));
        };
        let c = state.conflicts[index].clone();
        let mut chosen = c.clone();
        match &mut chosen.set {
            None => {
                if !elements.is_empty() {
                    return Err(RepoError::Refused(match &c.whole_file_reason {
                        Some(why) => format!(
                            "{path} was not merged inside the set ({why}); choose the whole file with `daw resolve {path} --ours|--theirs|--both`"
                        ),
                        None => format!(
                            "{path} is not a Live set merged element by element; choose the whole file with `daw resolve {path} --ours|--theirs|--both`"
                        ),
                    }));
                }
                chosen.resolution = Some(choice);
            }
            Some(set) => {
                if whole || choice == Resolution::Both {
                    if !elements.is_empty() {
                        return Err(RepoError::Refused(
                            "--element chooses inside the set: it cannot be given with --whole or --both".into(),
                        ));
                    }
                    set.whole = true;
                    chosen.resolution = Some(choice);
                } else {
                    let side = match choice {
                        Resolution::Theirs => Side::Theirs,
                        _ => Side::Ours,
                    };
                    set.whole = false;
                    if elements.is_empty() {
                        for e in &mut set.elements {
                            e.resolution = Some(side);
                        }
                    } else {
                        for wanted in elements {
                            let i = find_element(set, path, wanted)?;
                            set.elements[i].resolution = Some(side);
                        }
                    }
                    let sides: Vec<Option<Side>> =
                        set.elements.iter().map(|e| e.resolution).collect();
                    chosen.resolution = if sides.contains(&None) {
                        None
                    } else if sides.iter().all(|s| *s == Some(Side::Ours)) {
                        Some(Resolution::Ours)
                    } else if sides.iter().all(|s| *s == Some(Side::Theirs)) {
                        Some(Resolution::Theirs)
                    } else {
                        Some(Resolution::ByElement)
                    };
                    // The merged set for these choices.
                    let (ours_v, theirs_v) = self.versions(&state, &c)?;
                    let base_v = self.base_version(&state, &c)?;
                    let (Some(b), Some(o), Some(t)) = (base_v, ours_v, theirs_v) else {
                        return Err(RepoError::Corrupt(format!(
                            "the merge state names {path} as a set merged inside, but a version of it is missing"
                        )));
                    };
                    let names = (ours_name(state.branch.as_deref()), state.label.clone());
                    match self.merge_live_set(
                        path,
                        [&b, &o, &t],
                        (&names.0, &names.1),
                        &set.choices(),
                    )? {
                        SetOutcome::Merged { entry, .. } => {
                            if !same_entry(&entry, &set.current) {
                                let old = std::mem::replace(&mut set.current, entry);
                                if !set.earlier.iter().any(|e| same_entry(e, &old)) {
                                    set.earlier.push(old);
                                }
                            }
                        }
                        SetOutcome::Whole(why) => {
                            return Err(RepoError::Refused(format!(
                                "with these choices daw cannot show that Live opens the merged set ({why}); choose otherwise, or take a whole file: `daw resolve {path} --whole --ours|--theirs|--both`"
                            )));
                        }
                    }
                }
            }
        }
        let (from, _) = self.settled_tree(&state, &|x: &Conflict| x.resolution)?;
        let versions = self.versions(&state, &c)?;
        let (at_path, at_marked) = layout(&chosen, &versions, chosen.resolution);
        let mut edits = vec![(parts(Path::new(&c.path)), at_path)];
        let mut paths = vec![PathBuf::from(&c.path)];
        if let Some(m) = &c.theirs_file {
            edits.push((parts(Path::new(m)), at_marked));
            paths.push(PathBuf::from(m));
        }
        let to = self
            .edit_tree(Some(&from), &mut edits)?
            .ok_or_else(|| RepoError::Corrupt("the merged tree came out empty".into()))?;
        self.store_mut().flush()?;
        let opts = UpdateOptions {
            whole: false,
            discard: false,
            paths,
        };
        let before = state.clone();
        state.conflicts[index] = chosen;
        if c.set.is_some() {
            // A set's merged version must be known to the state before it is on disk, so that
            // a resolve interrupted in between is recognised (and finished) by the next command.
            self.write_merge_state(&state)?;
            let files = match self.update_work_tree(Some(from), Some(to), &opts, &mut NoProgress) {
                Ok(f) => f,
                Err(e @ RepoError::WouldOverwrite { .. }) => {
                    // Refused before anything was written.
                    self.write_merge_state(&before)?;
                    return Err(e);
                }
                Err(e) => return Err(e),
            };
            return Ok((state.conflicts[index].clone(), files));
        }
        let files = self.update_work_tree(Some(from), Some(to), &opts, &mut NoProgress)?;
        self.write_merge_state(&state)?;
        Ok((state.conflicts[index].clone(), files))
    }

    /// `daw merge --continue`: commits the resolved merge with two parents.
    pub fn continue_merge(&mut self, author: &Signature) -> Result<ContinueReport> {
        let _lock = self.lock(&holder("merge --continue"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        let state = self.merge_state_for("continue")?;
        let open: Vec<&str> = state.unresolved().map(|c| c.path.as_str()).collect();
        if !open.is_empty() {
            return Err(RepoError::Refused(format!(
                "{} conflict{} unresolved: {}; choose with `daw resolve PATH --ours|--theirs|--both`",
                open.len(),
                if open.len() == 1 { "" } else { "s" },
                open.join(", ")
            )));
        }
        let (tree, differ) = self.settled_tree(&state, &|x: &Conflict| x.resolution)?;
        if !differ.is_empty() {
            return Err(RepoError::Refused(format!(
                "{} no longer hold{} the version chosen (edited since, or a resolve was interrupted); run `daw resolve` on {} again",
                differ.join(", "),
                if differ.len() == 1 { "s" } else { "" },
                if differ.len() == 1 { "it" } else { "them" }
            )));
        }
        let refs = self.refs()?;
        if refs.head_commit() != Some(state.ours) {
            return Err(RepoError::Refused(
                "HEAD moved since the merge started; run `daw merge --abort`".into(),
            ));
        }
        // A merged set laid out by a resolve is referenced only by the merge state (no operation
        // records it), so a `daw gc` run meanwhile may have swept its chunks: it is made again
        // (the same bytes, the same entry) so that the commit never names a missing blob.
        for c in &state.conflicts {
            if let Some(set) = c.set.as_ref().filter(|s| !s.whole) {
                self.remake_merged_set(&state, c, set)?;
            }
        }
        let commit =
            self.store_merge_commit(state.ours, state.theirs, tree, &state.message, author)?;
        let mut new_refs = refs.clone();
        match &state.branch {
            Some(br) => {
                new_refs.branches.insert(br.clone(), commit);
            }
            None => new_refs.head = Head::Detached(commit),
        }
        let ours_tree = self.read_commit(&state.ours)?.tree;
        let change = WorkTreeChange {
            from: Some(ours_tree),
            to: Some(tree),
            paths: Vec::new(),
        };
        self.record_op(
            format!("merge '{}': commit {}", state.label, commit.short(12)),
            new_refs,
            Some(change),
            None,
        )?;
        self.remove_merge_state()?;
        Ok(ContinueReport { commit, state })
    }

    /// `daw merge --abort`: puts every file the merge touched back as in HEAD's commit, removes the
    /// other side's copies, and forgets the merge.
    pub fn abort_merge(&mut self) -> Result<(MergeState, UpdateReport)> {
        let _lock = self.lock(&holder("merge --abort"))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        let Some((state, _)) = self.merge_in_progress()? else {
            return Err(RepoError::Refused(
                "no merge in progress: nothing to abort".into(),
            ));
        };
        let (from, _) = self.settled_tree(&state, &|x: &Conflict| x.resolution)?;
        let ours_tree = self.read_commit(&state.ours)?.tree;
        let files = self.update_work_tree(
            Some(from),
            Some(ours_tree),
            &UpdateOptions::default(),
            &mut NoProgress,
        )?;
        let refs = self.refs()?;
        self.record_op(
            format!("merge '{}': aborted", state.label),
            refs,
            None,
            None,
        )?;
        self.remove_merge_state()?;
        Ok((state, files))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_names_keep_the_extension_and_avoid_taken_names() {
        let none = |_: &Path| false;
        assert_eq!(
            marked_path(Path::new("Samples/vox.wav"), "studio-laptop", &none),
            PathBuf::from("Samples/vox (from studio-laptop).wav")
        );
        assert_eq!(
            marked_path(Path::new(".hidden"), "origin/main", &none),
            PathBuf::from(".hidden (from origin-main)")
        );
        let first = PathBuf::from("a (from x).als");
        let taken = move |p: &Path| p == first;
        assert_eq!(
            marked_path(Path::new("a.als"), "x", &taken),
            PathBuf::from("a (from x 2).als")
        );
    }

    #[test]
    fn the_state_round_trips_and_rejects_trailing_bytes() {
        let id = |b: u8| ObjectId::from_bytes([b; 32]);
        let state = MergeState {
            before_op: id(1),
            ours: id(2),
            theirs: id(3),
            base: id(4),
            branch: Some("main".into()),
            label: "laptop".into(),
            message: "Merge".into(),
            merged_tree: id(5),
            conflicts: vec![
                Conflict {
                    path: "Drums.als".into(),
                    kind: ConflictKind::ChangedBoth,
                    theirs_file: Some("Drums (from laptop).als".into()),
                    resolution: None,
                    set: None,
                    whole_file_reason: Some("the set was saved by Live 11 and 12".into()),
                },
                Conflict {
                    path: "Song.als".into(),
                    kind: ConflictKind::ChangedBoth,
                    theirs_file: Some("Song (from laptop).als".into()),
                    resolution: Some(Resolution::ByElement),
                    set: Some(SetConflict {
                        elements: vec![
                            SetElement {
                                key: "tempo".into(),
                                name: "Tempo".into(),
                                detail: "120 on main, 128 on laptop".into(),
                                resolution: Some(Side::Theirs),
                            },
                            SetElement {
                                key: "track 3/name".into(),
                                name: "Track 'Bass'".into(),
                                detail: "renamed 'Sub' on main, 'Low' on laptop".into(),
                                resolution: Some(Side::Ours),
                            },
                        ],
                        whole: false,
                        current: entry(6),
                        earlier: vec![entry(7)],
                    }),
                    whole_file_reason: None,
                },
                Conflict {
                    path: "vox.wav".into(),
                    kind: ConflictKind::ChangedBoth,
                    theirs_file: Some("vox (from laptop).wav".into()),
                    resolution: Some(Resolution::Both),
                    set: None,
                    whole_file_reason: None,
                },
            ],
        };
        let bytes = state.encode();
        assert_eq!(MergeState::decode(&bytes).unwrap(), state);
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(MergeState::decode(&longer).is_err());
    }

    fn entry(b: u8) -> TreeEntry {
        TreeEntry {
            name: b"Song.als".to_vec(),
            mode: 0o644,
            mtime_secs: 1_763_800_000,
            mtime_nanos: 5,
            kind: crate::object::EntryKind::File {
                size: 1234,
                hash: ObjectId::from_bytes([b; 32]),
                storage: crate::object::FileStorage::Raw(crate::object::Content {
                    size: 1234,
                    tree: Some(crate::object::ContentRef {
                        root: ObjectId::from_bytes([b ^ 1; 32]),
                        height: 0,
                    }),
                }),
            },
        }
    }

    /// A state written by daw before sets were merged inside (version 1) still reads.
    #[test]
    fn a_version_1_state_reads_as_file_conflicts() {
        let id = |b: u8| ObjectId::from_bytes([b; 32]);
        let mut w = Writer::new();
        w.uvar(1).id(&id(1)).id(&id(2)).id(&id(3)).id(&id(4));
        w.u8(1).str("main").str("laptop").str("Merge").id(&id(5));
        w.uvar(1)
            .str("Song.als")
            .u8(1)
            .str("Song (from laptop).als")
            .u8(2);
        let state = MergeState::decode(&w.finish()).unwrap();
        assert_eq!(state.conflicts.len(), 1);
        let c = &state.conflicts[0];
        assert_eq!(c.resolution, Some(Resolution::Theirs));
        assert_eq!(
            (c.set.is_none(), c.whole_file_reason.is_none()),
            (true, true)
        );
    }
}
