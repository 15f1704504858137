//! `daw oplog` and `daw undo`: reading the operation log, and reverting its last entry.
//!
//! Undo writes a new operation (the log is append-only) whose refs are those before the undone one,
//! and, when the undone command changed files (switch, restore, reset --hard, an earlier undo), which
//! reverses that change with the same clobber guard as `switch`. Undoing an undo therefore redoes.
//! A commit's files are not touched by its undo: the branch moves back and the committed changes are
//! simply uncommitted again. Undoing the start of a merge in progress is `daw merge --abort`.

use std::path::PathBuf;

use crate::object::ObjectId;

use super::merge::MergePhase;
use super::ops::{Operation, RefTable};
use super::switch::{UpdateOptions, UpdateReport};
use super::{RepoError, Repository, Result};

/// What `undo` did.
#[derive(Debug)]
pub struct UndoReport {
    /// The operation reverted.
    pub undone_id: ObjectId,
    pub undone: Operation,
    /// Refs before and after the undo.
    pub refs_before: RefTable,
    pub refs_after: RefTable,
    pub files: Option<UpdateReport>,
    /// Whether the undone operation was itself an undo (so this redid something).
    pub redo: bool,
}

impl Repository {
    /// The operation log, newest first (following first parents), at most `limit` entries. It ends
    /// at the first operation, or where `daw gc --prune-oplog` cut it.
    pub fn op_log(&self, limit: Option<usize>) -> Result<Vec<(ObjectId, Operation)>> {
        let mut out = Vec::new();
        let mut next = Some(self.op_head()?);
        while let Some(id) = next {
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            let op = match self.read_op(&id) {
                Ok(op) => op,
                Err(_) if !out.is_empty() && self.is_pruned(&id)? => break,
                Err(e) => return Err(e),
            };
            next = op.parents.first().copied();
            out.push((id, op));
        }
        Ok(out)
    }

    /// The operation before `op` in the log: `None` for the first one, or when `daw gc
    /// --prune-oplog` removed it.
    pub fn op_parent(&self, op: &Operation) -> Result<Option<(ObjectId, Operation)>> {
        let Some(p) = op.parents.first().copied() else {
            return Ok(None);
        };
        match self.read_op(&p) {
            Ok(parent) => Ok(Some((p, parent))),
            Err(_) if self.is_pruned(&p)? => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reverts the last operation (see the module docs).
    pub fn undo(
        &mut self,
        discard: bool,
        progress: &mut (dyn super::snapshot::Progress + Send),
    ) -> Result<UndoReport> {
        let _lock = self.lock(&format!("daw undo (pid {})", std::process::id()))?;
        self.remove_stale_temp_files();
        self.store_mut().refresh()?;
        let (undone_id, undone) = self.current_op()?;
        let Some(parent_id) = undone.parents.first().copied() else {
            return Err(RepoError::Refused(
                "nothing to undo: the log starts with the creation of the repository".into(),
            ));
        };
        let parent = self.read_op(&parent_id)?;
        let refs_after = parent.refs.clone();
        let mut reverse = undone.work_tree.as_ref().map(|c| c.reversed());
        // Undoing the start of a merge in progress is its abort: the files go back from what they
        // hold now (resolutions included), and the merge is forgotten.
        let merging = match self.merge_in_progress()? {
            Some((state, MergePhase::Interrupted)) => {
                return Err(RepoError::Refused(format!(
                    "a merge of '{}' was interrupted while starting; run `daw merge --abort` first",
                    state.label
                )));
            }
            Some((state, MergePhase::InProgress)) => Some(state),
            None => None,
        };
        if let (Some(state), Some(change)) = (&merging, reverse.as_mut()) {
            change.from = Some(self.merge_files_now(state)?);
        }
        let files = match &reverse {
            Some(change) => {
                let opts = UpdateOptions {
                    whole: false,
                    discard,
                    paths: change.paths.iter().map(PathBuf::from).collect(),
                };
                Some(self.update_work_tree(change.from, change.to, &opts, progress)?)
            }
            None => None,
        };
        // Discarded changes are saved: the reverse change starts from the tree that holds them.
        let recorded_change = match (&reverse, &files) {
            (Some(change), Some(f)) => {
                let mut c = change.clone();
                c.from = f.before;
                Some(c)
            }
            _ => None,
        };
        // Undoing an undo redoes; undoing that undoes again.
        let redo = undone.undoes.is_some() && undone.description.starts_with("undo: ");
        let description = match (&undone.undoes, redo) {
            (Some(_), true) => format!("redo: {}", strip_undo(&undone.description)),
            (Some(_), false) => format!("undo: {}", strip_undo(&undone.description)),
            (None, _) => format!("undo: {}", undone.description),
        };
        self.record_op(
            description,
            refs_after.clone(),
            recorded_change,
            Some(undone_id),
        )?;
        if merging.is_some() {
            self.forget_merge()?;
        }
        Ok(UndoReport {
            undone_id,
            refs_before: undone.refs.clone(),
            undone,
            refs_after,
            files,
            redo,
        })
    }
}

/// `undo: X` → `X`, `redo: X` → `X`.
fn strip_undo(description: &str) -> &str {
    description
        .strip_prefix("undo: ")
        .or_else(|| description.strip_prefix("redo: "))
        .unwrap_or(description)
}
