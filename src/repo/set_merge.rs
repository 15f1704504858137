//! The repository's side of merging a Live set changed on both sides: reading the three versions'
//! XML from the store, handing them to `formats::als_merge`, and storing what comes back as a
//! commit stores a set (the XML chunked against this side's version, with a gzip layout built
//! from this side's header and deflate parameters, and the whole-file hash of the gzip that
//! layout re-creates). It writes no file: the merge puts the stored version on disk through
//! `update_work_tree` like any other.

use std::collections::BTreeMap;

use crate::formats::als_merge::{self, CannotMerge, ElementConflict, SetMergeOptions, Side};
use crate::formats::gzip::{self, GzipLayout};
use crate::object::{EntryKind, FileStorage, ObjectId, TreeEntry};
use crate::store::{self, ContentReader, Profile, WriteStats};

use super::diff::FileVersion;
use super::{RepoError, Repository, Result};

/// Sets of up to this many bytes are given a layout re-created in two halves at once (as a
/// commit gives them), when that layout re-creates them exactly.
const MAX_SPLIT_FILE: usize = 8 << 20;

/// How a set changed on both sides merged.
#[derive(Debug)]
pub(crate) enum SetOutcome {
    /// Merged inside: the stored result, and the elements both sides changed (the result holds
    /// the side chosen for each, this side's where none was chosen).
    Merged {
        entry: TreeEntry,
        conflicts: Vec<ElementConflict>,
    },
    /// Not merged inside, and why: the file is a whole-file conflict.
    Whole(String),
}

fn file_parts(e: &TreeEntry) -> Option<(u64, &FileStorage)> {
    match &e.kind {
        EntryKind::File { size, storage, .. } => Some((*size, storage)),
        _ => None,
    }
}

impl Repository {
    /// Merges the Live set at `path` (its three versions' tree entries) with `choices` for the
    /// elements both sides changed. `names`: how this side and the other side are called.
    pub(crate) fn merge_live_set(
        &mut self,
        path: &str,
        versions: [&TreeEntry; 3],
        names: (&str, &str),
        choices: &BTreeMap<String, Side>,
    ) -> Result<SetOutcome> {
        let side = |i: usize| match i {
            0 => "the merge base".to_string(),
            1 => names.0.to_string(),
            _ => names.1.to_string(),
        };
        let mut xml: Vec<Vec<u8>> = Vec::with_capacity(3);
        for (i, v) in versions.iter().enumerate() {
            let Some((size, storage)) = file_parts(v) else {
                return Ok(SetOutcome::Whole(format!(
                    "the set on {} is not a file",
                    side(i)
                )));
            };
            let payload = match storage {
                FileStorage::GzipPayload { payload, .. } => payload.size,
                FileStorage::Raw(_) => size,
            };
            if payload > als_merge::MAX_SET_XML as u64 {
                return Ok(SetOutcome::Whole(format!(
                    "the set on {} is larger than {} MiB",
                    side(i),
                    als_merge::MAX_SET_XML >> 20
                )));
            }
            match self.read_xml(&FileVersion::Stored((*v).clone()), path)? {
                Ok(x) => xml.push(x),
                Err(why) => {
                    return Ok(SetOutcome::Whole(format!(
                        "the set on {} cannot be read ({why})",
                        side(i)
                    )));
                }
            }
        }
        let opts = SetMergeOptions {
            ours_name: names.0,
            theirs_name: names.1,
            choices,
        };
        let merged = match als_merge::merge_sets(&xml[0], &xml[1], &xml[2], &opts) {
            Ok(m) => m,
            Err(CannotMerge(why)) => return Ok(SetOutcome::Whole(why)),
        };
        drop(xml);
        let ours = versions[1];
        let theirs = versions[2];
        let (storage, hash, size) = match self.store_set_bytes(ours, &merged.xml, names.0)? {
            Ok(stored) => stored,
            Err(why) => return Ok(SetOutcome::Whole(why)),
        };
        let (mtime_secs, mtime_nanos) =
            (ours.mtime_secs, ours.mtime_nanos).max((theirs.mtime_secs, theirs.mtime_nanos));
        Ok(SetOutcome::Merged {
            entry: TreeEntry {
                name: ours.name.clone(),
                mode: ours.mode,
                mtime_secs,
                mtime_nanos,
                kind: EntryKind::File {
                    size,
                    hash,
                    storage,
                },
            },
            conflicts: merged.conflicts,
        })
    }

    /// Stores the merged XML as this side's version of the set is stored: gzip with its header and
    /// deflate parameters, or plain XML. `Err(why)` when this side's form cannot be re-created.
    fn store_set_bytes(
        &mut self,
        ours: &TreeEntry,
        xml: &[u8],
        ours_name: &str,
    ) -> Result<std::result::Result<(FileStorage, ObjectId, u64), String>> {
        let Some((_, storage)) = file_parts(ours) else {
            return Ok(Err(format!("the set on {ours_name} is not a file")));
        };
        let previous = match storage {
            FileStorage::GzipPayload { payload, .. } | FileStorage::Raw(payload) => *payload,
        };
        let mut stats = WriteStats::default();
        match storage {
            FileStorage::GzipPayload { layout, .. } => {
                let old = GzipLayout::decode(layout).map_err(|e| {
                    RepoError::Corrupt(format!("the stored gzip layout of a set is damaged: {e}"))
                })?;
                let fresh = GzipLayout::for_payload(old.header(), old.params(), xml)
                    .map_err(|e| RepoError::Corrupt(format!("gzip layout: {e}")))?;
                let mut file = Vec::with_capacity(xml.len() / 4);
                gzip::rebuild(&fresh, xml, &mut file)
                    .map_err(|e| RepoError::Corrupt(format!("compressing the merged set: {e}")))?;
                // Like a commit: the two-halves layout when it re-creates the file exactly.
                let layout = if file.len() <= MAX_SPLIT_FILE {
                    gzip::probe_split(&file, old.params())
                        .ok()
                        .flatten()
                        .unwrap_or(fresh)
                } else {
                    fresh
                };
                let hash = self.store().keys().object_id(&file);
                let payload = store::content::write_stream_replacing(
                    self.store_mut(),
                    xml,
                    Profile::Document,
                    Some(&previous),
                    &mut stats,
                )?;
                Ok(Ok((
                    FileStorage::GzipPayload {
                        layout: layout.encode(),
                        payload,
                    },
                    hash,
                    file.len() as u64,
                )))
            }
            FileStorage::Raw(content) => {
                let mut head = [0u8; 2];
                let mut reader = ContentReader::new(self.store().blobs()?, content);
                let n = std::io::Read::read(&mut reader, &mut head)
                    .map_err(|e| RepoError::Corrupt(format!("cannot read a set: {e}")))?;
                if n == 2 && head == [0x1f, 0x8b] {
                    return Ok(Err(format!(
                        "the set on {ours_name} is compressed in a way daw cannot re-create"
                    )));
                }
                let hash = self.store().keys().object_id(xml);
                let content = store::content::write_stream_replacing(
                    self.store_mut(),
                    xml,
                    Profile::Document,
                    Some(&previous),
                    &mut stats,
                )?;
                Ok(Ok((FileStorage::Raw(content), hash, xml.len() as u64)))
            }
        }
    }
}
