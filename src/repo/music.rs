//! The repository's musical view of project files: reading a committed or on-disk `.als`/`.flp`
//! into a model, the musical diff of two versions, the one-line summaries a commit stores for
//! `daw log`, and the status of the samples a set references.
//!
//! Reading is streamed: a committed Live set kept as its gzip payload is parsed straight from its
//! stored XML chunks (no gzip is rebuilt), anything else from its stored bytes. A file that is not
//! a readable project is never an error here: the reason travels with the result, so the caller can
//! say why (`FormatError`). Errors of the repository itself (a damaged store) are `RepoError`s.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::formats::als::{SampleLocation, parse_als_xml};
use crate::formats::{Change, FormatError, Project, Summary, diff, parse_project};
use crate::object::{Commit, EntryKind, FileStorage, ObjectId, Tree, TreeEntry};
use crate::store::ContentReader;
use crate::worktree::fsutil;

use super::diff::FileVersion;
use super::history::{ChangeKind, FileChange};
use super::{RepoError, Repository, Result};

/// A parsed project, or why the file could not be read as one.
pub type Parsed = std::result::Result<Project, FormatError>;

/// Separates a stored summary line's description of the project from what the commit changed in it:
/// `128 BPM · 14 tracks · 37 clips — tempo 120 → 128`. Only the part before it is carried over to
/// later commits that leave the file alone.
pub const CHANGES_SEPARATOR: &str = " — ";

/// Whether a path names a project file daw understands (`.als`, `.flp`, any case).
pub fn is_project_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".als") || lower.ends_with(".flp")
}

fn is_live_set(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".als")
}

/// Passes reads through and remembers the first error, so that a damaged store is told apart from a
/// damaged project file (the parsers turn every read error into a `FormatError`).
struct ErrorTap<'e, R> {
    inner: R,
    error: &'e RefCell<Option<String>>,
}

impl<R: Read> Read for ErrorTap<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            let mut slot = self.error.borrow_mut();
            if slot.is_none() {
                *slot = Some(e.to_string());
            }
        })
    }
}

/// Reads through to `inner` while hashing every byte with the repository's keyed hash.
struct HashTap<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R: Read> Read for HashTap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Parses a project file outside any repository; `name` picks the format (see `parse_project`).
pub fn parse_path(path: &Path, name: &str) -> io::Result<Parsed> {
    let file = std::fs::File::open(path)?;
    let errors = RefCell::new(None);
    let tap = ErrorTap {
        inner: BufReader::with_capacity(1 << 16, file),
        error: &errors,
    };
    let parsed = parse_project(name, tap);
    match errors.into_inner() {
        Some(e) if parsed.is_err() => Err(io::Error::other(e)),
        _ => Ok(parsed),
    }
}

/// The text of a file for a line diff: the decompressed XML of a gzip file, else the bytes as they
/// are. `Err` says why there is no text (not XML, damaged gzip).
pub fn xml_of(mut reader: impl BufRead) -> io::Result<std::result::Result<Vec<u8>, String>> {
    let head = reader.fill_buf()?;
    let mut out = Vec::new();
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut gz = flate2::bufread::MultiGzDecoder::new(reader);
        return Ok(match gz.read_to_end(&mut out) {
            Ok(_) => Ok(out),
            Err(e) => Err(format!("its gzip stream is damaged ({e})")),
        });
    }
    let text = head
        .strip_prefix(&[0xef, 0xbb, 0xbf])
        .unwrap_or(head)
        .trim_ascii_start();
    if !(text.first() == Some(&b'<') || head.is_empty()) {
        return Ok(Err("it is not XML".into()));
    }
    reader.read_to_end(&mut out)?;
    Ok(Ok(out))
}

impl Repository {
    /// Parses one version of a project file (`path` picks the format). The outer error is the
    /// repository failing to deliver the bytes; the inner one is the file not being a readable
    /// project.
    pub fn read_project(&self, version: &FileVersion, path: &str) -> Result<Parsed> {
        let errors = RefCell::new(None);
        let parsed = match version {
            FileVersion::Stored(entry) => match &entry.kind {
                EntryKind::File { storage, .. } => {
                    let (content, payload) = match storage {
                        FileStorage::GzipPayload { payload, .. } => (payload, true),
                        FileStorage::Raw(c) => (c, false),
                    };
                    let tap = ErrorTap {
                        inner: ContentReader::new(self.store().blobs()?, content),
                        error: &errors,
                    };
                    if payload && is_live_set(path) {
                        parse_als_xml(BufReader::with_capacity(1 << 16, tap)).map(Project::Ableton)
                    } else {
                        // (A gzip file named like an FL project is parsed from its payload: it is not
                        // an FL project either way.)
                        parse_project(path, BufReader::with_capacity(1 << 16, tap))
                    }
                }
                _ => return Ok(Err(not_a_file(path))),
            },
            FileVersion::OnDisk { rel, link, .. } => {
                if link.is_some() {
                    return Ok(Err(not_a_file(path)));
                }
                let full = self.work_tree().join(rel);
                return parse_path(&full, path).map_err(|e| RepoError::io(&full, e));
            }
        };
        if let Some(e) = errors.into_inner()
            && parsed.is_err()
        {
            return Err(RepoError::Corrupt(format!("cannot read {path}: {e}")));
        }
        Ok(parsed)
    }

    /// The XML text of one version of a file (see [`xml_of`]), for `daw diff --raw`.
    pub fn read_xml(
        &self,
        version: &FileVersion,
        path: &str,
    ) -> Result<std::result::Result<Vec<u8>, String>> {
        match version {
            FileVersion::Stored(entry) => match &entry.kind {
                EntryKind::File { storage, .. } => {
                    let (content, payload) = match storage {
                        FileStorage::GzipPayload { payload, .. } => (payload, true),
                        FileStorage::Raw(c) => (c, false),
                    };
                    let reader = BufReader::new(ContentReader::new(self.store().blobs()?, content));
                    let text = if payload {
                        let mut out = Vec::new();
                        let mut reader = reader;
                        reader.read_to_end(&mut out).map(|_| Ok(out))
                    } else {
                        xml_of(reader)
                    };
                    text.map_err(|e| RepoError::Corrupt(format!("cannot read {path}: {e}")))
                }
                _ => Ok(Err("it is a symlink".into())),
            },
            FileVersion::OnDisk { rel, link, .. } => {
                if link.is_some() {
                    return Ok(Err("it is a symlink".into()));
                }
                let full = self.work_tree().join(rel);
                let file = std::fs::File::open(&full).map_err(|e| RepoError::io(&full, e))?;
                xml_of(BufReader::new(file)).map_err(|e| RepoError::io(&full, e))
            }
        }
    }

    /// The musical comparison of two versions of a project file (either may be absent: added or
    /// removed).
    pub fn project_diff(
        &self,
        path: &str,
        old: Option<&FileVersion>,
        new: Option<&FileVersion>,
    ) -> Result<ProjectDiff> {
        let old = old.map(|v| self.read_project(v, path)).transpose()?;
        let new = new.map(|v| self.read_project(v, path)).transpose()?;
        Ok(ProjectDiff::between(old, new))
    }
}

fn not_a_file(path: &str) -> FormatError {
    FormatError::Unsupported {
        name: format!("{path} (a symlink)"),
    }
}

/// One side of a project comparison: its summary, or why it could not be read.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectState {
    Readable(Summary),
    Unreadable(String),
}

/// What changed musically in one project file.
#[derive(Clone, Debug)]
pub struct ProjectDiff {
    /// `None` when the file is added.
    pub old: Option<ProjectState>,
    /// `None` when the file is removed.
    pub new: Option<ProjectState>,
    /// The musical changes, when both sides could be read.
    pub changes: Vec<Change>,
}

impl ProjectDiff {
    pub fn between(old: Option<Parsed>, new: Option<Parsed>) -> Self {
        let changes = match (&old, &new) {
            (Some(Ok(a)), Some(Ok(b))) => diff(a, b),
            _ => Vec::new(),
        };
        let state = |p: &Parsed| match p {
            Ok(project) => ProjectState::Readable(project.summary()),
            Err(e) => ProjectState::Unreadable(e.to_string()),
        };
        Self {
            old: old.as_ref().map(state),
            new: new.as_ref().map(state),
            changes,
        }
    }

    /// Why a side could not be read, if it could not.
    pub fn unreadable(&self) -> (Option<&str>, Option<&str>) {
        fn why(s: &Option<ProjectState>) -> Option<&str> {
            match s {
                Some(ProjectState::Unreadable(e)) => Some(e.as_str()),
                _ => None,
            }
        }
        (why(&self.old), why(&self.new))
    }

    /// The line a commit stores for the new version: its summary and, after
    /// [`CHANGES_SEPARATOR`], what changed (`None` when the file was removed).
    pub fn summary_line(&self) -> Option<String> {
        let state = match self.new.as_ref()? {
            ProjectState::Readable(s) => s.to_string(),
            ProjectState::Unreadable(e) => return Some(format!("unreadable: {e}")),
        };
        let what = match &self.old {
            None => "new".to_string(),
            Some(ProjectState::Unreadable(_)) => "readable again".to_string(),
            Some(ProjectState::Readable(_)) => digest(&self.changes),
        };
        Some(format!("{state}{CHANGES_SEPARATOR}{what}"))
    }
}

/// At most this many kinds of change are named in a summary line; the rest are counted.
const DIGEST_KINDS: usize = 3;

/// A few words on what changed: `tempo 120 → 128, 2 tracks added, 3 plug-ins added, 5 more changes`.
pub fn digest(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "re-saved, no musical changes".into();
    }
    // (order, phrase key) → count; the order follows what a producer cares about first.
    let mut kinds: Vec<(u8, String, usize)> = Vec::new();
    let mut tempo: Option<String> = None;
    let mut signature: Option<String> = None;
    let mut add = |order: u8, key: String, n: usize| match kinds.iter_mut().find(|k| k.1 == key) {
        Some(k) => k.2 += n,
        None => kinds.push((order, key, n)),
    };
    for c in changes {
        let noun = |kind: &str| match kind {
            "Channel" => "channel",
            "Playlist track" => "playlist track",
            "Scene" => "scene",
            "Pattern" => "pattern",
            "Arrangement" => "arrangement",
            _ => "track",
        };
        match c {
            Change::TempoChanged { from, to } => {
                let bpm = |v: &Option<f64>| {
                    v.map_or_else(|| "?".into(), crate::formats::project::format_number)
                };
                tempo = Some(format!("tempo {} → {}", bpm(from), bpm(to)));
                add(0, "tempo".into(), 1);
            }
            Change::TimeSignatureChanged { from, to } => {
                signature = Some(format!("time signature {from} → {to}"));
                add(1, "signature".into(), 1);
            }
            Change::TrackAdded { kind, .. } => add(2, format!("{}|added", noun(kind)), 1),
            Change::TrackRemoved { kind, .. } => add(3, format!("{}|removed", noun(kind)), 1),
            Change::SectionAdded { kind, .. } => add(4, format!("{}|added", noun(kind)), 1),
            Change::SectionRemoved { kind, .. } => add(4, format!("{}|removed", noun(kind)), 1),
            Change::DeviceAdded { plugin: true, .. } => add(5, "plug-in|added".into(), 1),
            Change::DeviceRemoved { plugin: true, .. } => add(6, "plug-in|removed".into(), 1),
            Change::DeviceAdded { .. } => add(7, "device|added".into(), 1),
            Change::DeviceRemoved { .. } => add(8, "device|removed".into(), 1),
            Change::ClipAdded { .. } => add(9, "clip|added".into(), 1),
            Change::ClipRemoved { .. } => add(10, "clip|removed".into(), 1),
            Change::ClipMoved { .. } => add(11, "clip|moved".into(), 1),
            Change::NotesChanged { .. } => add(12, "notes".into(), 1),
            Change::ClipResized { .. } => add(13, "clip|resized".into(), 1),
            Change::DeviceParameterChanged { .. } => add(14, "parameter|changed".into(), 1),
            Change::DeviceParametersChanged { count, .. } => {
                add(14, "parameter|changed".into(), *count)
            }
            Change::TrackRenamed { kind, .. } => add(15, format!("{}|renamed", noun(kind)), 1),
            Change::SampleAdded { .. } => add(16, "sample|added".into(), 1),
            Change::SampleRemoved { .. } => add(17, "sample|removed".into(), 1),
            _ => add(u8::MAX, "other".into(), 1),
        }
    }
    kinds.sort_by_key(|k| k.0);
    let mut phrases = Vec::new();
    let mut rest = 0;
    for (order, key, n) in kinds {
        let phrase = match key.as_str() {
            "tempo" => tempo.clone(),
            "signature" => signature.clone(),
            "notes" => Some(format!("notes edited in {}", count(n, "clip"))),
            "other" => None,
            _ => key
                .split_once('|')
                .map(|(noun, verb)| format!("{} {verb}", count(n, noun))),
        };
        match phrase {
            Some(p) if phrases.len() < DIGEST_KINDS && order != u8::MAX => phrases.push(p),
            // Parameter counts can be large; a hidden kind counts as its number of changes.
            _ => rest += n,
        }
    }
    if rest > 0 {
        let more = if phrases.is_empty() { "" } else { "more " };
        phrases.push(format!(
            "{rest} {more}change{}",
            if rest == 1 { "" } else { "s" }
        ));
    }
    phrases.join(", ")
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Where a referenced sample is, as far as this repository is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleStatus {
    /// In the project folder and in the snapshot.
    InProject,
    /// In the project folder but not in the snapshot (ignored, or left out).
    NotVersioned,
    /// Outside the project folder: the snapshot cannot contain it.
    Outside,
    /// Not found where the set says it is.
    Missing,
    /// Factory content of the DAW (Live's Core Library and Packs, FL Studio's factory data):
    /// not versioned, and every installation has it.
    Library,
}

impl SampleStatus {
    /// Whether a commit warns about it.
    pub fn is_problem(self) -> bool {
        matches!(self, Self::NotVersioned | Self::Outside | Self::Missing)
    }

    /// The words `daw samples` and `daw commit` use.
    pub fn describe(self) -> &'static str {
        match self {
            Self::InProject => "in the project",
            Self::NotVersioned => "in the project folder but not in the snapshot (ignored)",
            Self::Outside => "outside the project; the snapshot does not contain it",
            Self::Missing => "missing",
            Self::Library => "from the DAW's library (not versioned)",
        }
    }
}

/// One sample reference of one project file.
#[derive(Clone, Debug, Serialize)]
pub struct SampleCheck {
    /// The project file, relative to the work tree.
    pub project: String,
    /// The sample as the set names it (relative path where it has one).
    pub sample: String,
    /// Where daw found it: relative to the work tree when inside it, else absolute.
    pub found: Option<String>,
    pub status: SampleStatus,
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// One sample reference in model-independent form.
struct Reference<'a> {
    relative: Option<&'a str>,
    absolute: Option<&'a str>,
    library: bool,
    /// A DAW user-data location daw cannot resolve (FL Studio's `%FLStudioUserData%`).
    elsewhere: bool,
}

fn references(project: &Project) -> Vec<Reference<'_>> {
    match project {
        Project::Ableton(set) => set
            .samples
            .iter()
            .map(|s| Reference {
                relative: s
                    .relative_path
                    .as_deref()
                    .filter(|r| !r.is_empty() && s.location != SampleLocation::Absolute),
                absolute: s.path.as_deref().filter(|p| !p.is_empty()),
                library: matches!(
                    s.location,
                    SampleLocation::CoreLibrary | SampleLocation::Pack
                ),
                elsewhere: false,
            })
            .collect(),
        Project::FlStudio(p) => {
            let mut seen = std::collections::HashSet::new();
            p.channels
                .iter()
                .filter_map(|c| c.sample_path.as_deref())
                .filter(|s| !s.is_empty() && seen.insert(*s))
                .map(|s| {
                    let library =
                        s.starts_with("%FLStudioFactoryData%") || s.starts_with("%FLStudioData%");
                    let elsewhere = s.starts_with('%') && !library;
                    let absolute = s.starts_with('/') || s.get(1..3) == Some(":\\");
                    Reference {
                        relative: (!absolute && !library && !elsewhere).then_some(s),
                        absolute: absolute.then_some(s),
                        library,
                        elsewhere,
                    }
                })
                .collect()
        }
    }
}

/// Classifies every sample `project` references. `project_rel` is the project file's path in the
/// work tree; `in_snapshot` says whether a path (relative to the work tree) is in the snapshot.
/// Relative references are resolved against the file's folder, then the project folder; absolute
/// ones as they are.
pub fn check_samples(
    project: &Project,
    project_rel: &Path,
    work_tree: &Path,
    in_snapshot: &mut dyn FnMut(&Path) -> Result<bool>,
) -> Result<Vec<SampleCheck>> {
    let set_dir = normalize(&work_tree.join(project_rel.parent().unwrap_or(Path::new(""))));
    let work_tree = normalize(work_tree);
    let mut out = Vec::new();
    for r in references(project) {
        let sample = r.relative.or(r.absolute).unwrap_or("").to_string();
        let mut candidates = Vec::new();
        if let Some(rel) = r.relative {
            let rel = rel.replace('\\', "/");
            candidates.push(normalize(&set_dir.join(&rel)));
            candidates.push(normalize(&work_tree.join(&rel)));
        }
        if let Some(abs) = r.absolute {
            candidates.push(normalize(Path::new(abs)));
        }
        candidates.dedup();
        let mut result = None;
        for c in &candidates {
            if let Ok(inside) = c.strip_prefix(&work_tree) {
                if inside.as_os_str().is_empty() {
                    continue;
                }
                if in_snapshot(inside)? {
                    result = Some((SampleStatus::InProject, inside.to_string_lossy().into()));
                    break;
                }
                if c.is_file() {
                    result = Some((SampleStatus::NotVersioned, inside.to_string_lossy().into()));
                    break;
                }
            } else if c.is_file() {
                result = Some((SampleStatus::Outside, c.to_string_lossy().into_owned()));
                break;
            }
        }
        let (status, found) = match result {
            Some((s, f)) => (s, Some(f)),
            None if r.library => (SampleStatus::Library, None),
            None if r.elsewhere => (SampleStatus::Outside, None),
            None => (SampleStatus::Missing, None),
        };
        out.push(SampleCheck {
            project: project_rel.to_string_lossy().into_owned(),
            sample,
            found,
            status,
        });
    }
    Ok(out)
}

/// What a commit learned about its project files.
#[derive(Debug, Default)]
pub struct ProjectReport {
    /// (path, line) for every project file of the new tree, as stored in the commit.
    pub summary: Vec<(String, String)>,
    /// Sample references of the sets read at this commit that the snapshot does not contain.
    pub samples: Vec<SampleCheck>,
    /// The musical changes of each project file the commit changed, where both versions could be
    /// read (for an autosave's message).
    pub changes: Vec<(String, Vec<Change>)>,
}

/// At most this many musical changes are named in an autosave's message; the rest are counted.
const MESSAGE_CHANGES: usize = 4;

/// The message of an autosave, written from what it changed: the musical changes of each project
/// file (`Tempo 120 → 128 · + MIDI track 'Bass'`), then the other files (`+ Samples/Rec 1.wav`, or
/// counts when there are many). `files` are the commit's file changes, `projects` the musical
/// changes of the project files it changed ([`ProjectReport::changes`]).
pub fn autosave_message(files: &[FileChange], projects: &[(String, Vec<Change>)]) -> String {
    let several_projects = files.iter().filter(|f| is_project_path(&f.path)).count() > 1;
    let mut parts: Vec<String> = Vec::new();
    for f in files.iter().filter(|f| is_project_path(&f.path)) {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        let changes = projects.iter().find(|(p, _)| *p == f.path).map(|(_, c)| c);
        let mut said: Vec<String> = match (f.kind, changes) {
            (ChangeKind::Added, _) => vec![format!("+ {}", f.path)],
            (ChangeKind::Removed, _) => vec![format!("- {}", f.path)],
            (ChangeKind::Modified, Some(c)) if c.is_empty() => {
                vec![format!("{name} re-saved, no musical changes")]
            }
            (ChangeKind::Modified, Some(c)) => {
                let mut v: Vec<String> = c
                    .iter()
                    .take(MESSAGE_CHANGES)
                    .map(|c| c.to_string())
                    .collect();
                if c.len() > MESSAGE_CHANGES {
                    v.push(format!("{} more changes", c.len() - MESSAGE_CHANGES));
                }
                if several_projects {
                    v[0] = format!("{name}: {}", v[0]);
                }
                v
            }
            (ChangeKind::Modified, None) => {
                vec![format!("{name} changed (not readable as a project)")]
            }
        };
        parts.append(&mut said);
    }
    let others: Vec<&FileChange> = files.iter().filter(|f| !is_project_path(&f.path)).collect();
    if others.len() <= 2 {
        for f in others {
            let sign = match f.kind {
                ChangeKind::Added => "+",
                ChangeKind::Removed => "-",
                ChangeKind::Modified => "~",
            };
            parts.push(format!("{sign} {}", f.path));
        }
    } else {
        let count = |k| others.iter().filter(|f| f.kind == k).count();
        let words: Vec<String> = [
            (ChangeKind::Added, "added"),
            (ChangeKind::Modified, "modified"),
            (ChangeKind::Removed, "removed"),
        ]
        .into_iter()
        .filter(|(k, _)| count(*k) > 0)
        .map(|(k, w)| format!("{} {w}", count(k)))
        .collect();
        parts.push(format!("{} files: {}", others.len(), words.join(", ")));
    }
    if parts.is_empty() {
        return "Autosave".into();
    }
    parts.join(" · ")
}

/// A stored summary line without what its commit changed: the part a later commit carries over.
pub fn state_part(line: &str) -> &str {
    line.split_once(CHANGES_SEPARATOR).map_or(line, |(s, _)| s)
}

/// A tree entry found by path.
/// The entry at `rel` in the tree `root`; `trees` keeps every folder read, so that checking thousands
/// of sample paths reads each folder's tree once.
fn lookup(
    repo: &Repository,
    trees: &mut HashMap<ObjectId, Tree>,
    root: &ObjectId,
    rel: &Path,
) -> Result<Option<TreeEntry>> {
    let mut id = *root;
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        let Component::Normal(name) = part else {
            return Ok(None);
        };
        let tree = match trees.entry(id) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(repo.read_tree(&id)?),
        };
        let Some(entry) = tree.get(name.as_encoded_bytes()) else {
            return Ok(None);
        };
        if parts.peek().is_none() {
            return Ok(Some(entry.clone()));
        }
        match &entry.kind {
            EntryKind::Dir { tree: t } => id = *t,
            _ => return Ok(None),
        }
    }
    Ok(None)
}

struct Summarizer<'a> {
    repo: &'a Repository,
    parent_lines: &'a [(String, String)],
    new_root: ObjectId,
    /// Parse unchanged sets too (to re-check their samples after files were removed).
    recheck_all: bool,
    report: ProjectReport,
    /// Folders of the new tree read so far (sample checks look up many paths).
    trees: HashMap<ObjectId, Tree>,
    /// Project files already parsed by the commit, by content hash.
    parsed: HashMap<ObjectId, Parsed>,
}

impl Repository {
    /// Computes the per-project summary lines for a commit of `new_tree` whose first parent is
    /// `parent`, and checks the samples of the sets it reads. Only project files whose content
    /// changed are parsed (from the work tree, verified against the committed hash, because their
    /// chunks are not readable before the commit is flushed); unchanged ones keep the parent's line.
    /// With `recheck_all`, unchanged sets are parsed too, for their samples only. `parsed` holds files
    /// the commit already parsed, by the hash of the bytes parsed.
    pub fn project_report(
        &self,
        parent: Option<&Commit>,
        new_tree: &ObjectId,
        recheck_all: bool,
        parsed: HashMap<ObjectId, Parsed>,
    ) -> Result<ProjectReport> {
        let mut s = Summarizer {
            repo: self,
            parent_lines: parent.map_or(&[][..], |c| c.summary.as_slice()),
            new_root: *new_tree,
            recheck_all,
            report: ProjectReport::default(),
            trees: HashMap::new(),
            parsed,
        };
        let old = parent.map(|c| self.read_tree(&c.tree)).transpose()?;
        let new = self.read_tree(new_tree)?;
        s.walk("", old.as_ref(), &new)?;
        Ok(s.report)
    }
}

impl Summarizer<'_> {
    fn carry(&mut self, path: &str) -> bool {
        match self.parent_lines.iter().find(|(p, _)| p == path) {
            Some((p, line)) => {
                self.report
                    .summary
                    .push((p.clone(), state_part(line).to_string()));
                true
            }
            None => false,
        }
    }

    fn walk(&mut self, prefix: &str, old: Option<&Tree>, new: &Tree) -> Result<()> {
        for entry in &new.entries {
            let name = String::from_utf8_lossy(&entry.name);
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let before = old.and_then(|t| t.get(&entry.name));
            match &entry.kind {
                EntryKind::Dir { tree } => {
                    let old_sub = match before.map(|b| &b.kind) {
                        Some(EntryKind::Dir { tree: t }) if t == tree && !self.recheck_all => {
                            let below = format!("{path}/");
                            let carried: Vec<_> = self
                                .parent_lines
                                .iter()
                                .filter(|(p, _)| p.starts_with(&below))
                                .map(|(p, l)| (p.clone(), state_part(l).to_string()))
                                .collect();
                            self.report.summary.extend(carried);
                            continue;
                        }
                        Some(EntryKind::Dir { tree: t }) => Some(self.repo.read_tree(t)?),
                        _ => None,
                    };
                    let sub = self.repo.read_tree(tree)?;
                    self.walk(&path, old_sub.as_ref(), &sub)?;
                }
                EntryKind::File { hash, .. } if is_project_path(&path) => {
                    let unchanged = matches!(
                        before.map(|b| &b.kind),
                        Some(EntryKind::File { hash: h, .. }) if h == hash
                    );
                    if unchanged && !self.recheck_all && self.carry(&path) {
                        continue;
                    }
                    self.file(&path, before.filter(|_| !unchanged), entry, unchanged)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Parses the new version of one project file (and the old one when it changed).
    fn file(
        &mut self,
        path: &str,
        before: Option<&TreeEntry>,
        entry: &TreeEntry,
        unchanged: bool,
    ) -> Result<()> {
        let EntryKind::File { hash, .. } = &entry.kind else {
            return Ok(());
        };
        let Some(new) = self.parse_committed(path, hash)? else {
            // The file changed again after it was committed: no summary this time.
            return Ok(());
        };
        let old = match before {
            Some(b) if matches!(b.kind, EntryKind::File { .. }) => Some(
                self.repo
                    .read_project(&FileVersion::Stored(b.clone()), path)?,
            ),
            _ => None,
        };
        if let Ok(project) = &new {
            let root = self.new_root;
            let repo = self.repo;
            let trees = &mut self.trees;
            let checks = check_samples(
                project,
                Path::new(path),
                repo.work_tree(),
                &mut |rel: &Path| {
                    Ok(matches!(
                        lookup(repo, trees, &root, rel)?.map(|e| e.kind),
                        Some(EntryKind::File { .. })
                    ))
                },
            )?;
            self.report
                .samples
                .extend(checks.into_iter().filter(|c| c.status.is_problem()));
        }
        if unchanged && self.carry(path) {
            return Ok(());
        }
        let diff = ProjectDiff::between(if unchanged { None } else { old }, Some(new));
        if !unchanged && matches!(diff.old, Some(ProjectState::Readable(_))) {
            self.report
                .changes
                .push((path.to_string(), diff.changes.clone()));
        }
        let mut line = diff.summary_line().unwrap_or_default();
        if unchanged {
            line = state_part(&line).to_string();
        }
        self.report.summary.push((path.to_string(), line));
        Ok(())
    }

    /// Parses a committed file from the work tree, checking that the bytes read are the committed
    /// ones; `None` when the file changed since.
    fn parse_committed(&mut self, path: &str, hash: &ObjectId) -> Result<Option<Parsed>> {
        if let Some(parsed) = self.parsed.remove(hash) {
            return Ok(Some(parsed));
        }
        let full = self.repo.work_tree().join(path);
        let Ok(file) = fsutil::open_no_follow(&full) else {
            return Ok(None);
        };
        let mut tap = HashTap {
            inner: BufReader::with_capacity(1 << 16, file),
            hasher: self.repo.store().keys().hasher(),
        };
        let parsed = parse_project(path, &mut tap);
        if io::copy(&mut tap, &mut io::sink()).is_err() {
            return Ok(None);
        }
        let read = ObjectId::from_bytes(*tap.hasher.finalize().as_bytes());
        Ok((read == *hash).then_some(parsed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::als::SampleRef;

    #[test]
    fn digest_names_the_first_kinds_and_counts_the_rest() {
        let added = |name: &str| Change::TrackAdded {
            kind: "MIDI track".into(),
            name: name.into(),
        };
        let plugin = Change::DeviceAdded {
            track: "Bass".into(),
            device: "Serum".into(),
            plugin: true,
        };
        let tempo = Change::TempoChanged {
            from: Some(120.0),
            to: Some(128.0),
        };
        let params = Change::DeviceParametersChanged {
            track: "Bass".into(),
            device: "Serum".into(),
            count: 12,
        };
        let locator = Change::MarkerAdded {
            name: "Drop".into(),
            at: "bar 17".into(),
        };
        assert_eq!(digest(&[]), "re-saved, no musical changes");
        assert_eq!(digest(std::slice::from_ref(&tempo)), "tempo 120 → 128");
        assert_eq!(
            digest(&[
                params.clone(),
                added("Bass"),
                plugin.clone(),
                tempo.clone(),
                added("Keys")
            ]),
            "tempo 120 → 128, 2 tracks added, 1 plug-in added, 12 more changes"
        );
        assert_eq!(digest(std::slice::from_ref(&locator)), "1 change");
        assert_eq!(digest(&[plugin, locator]), "1 plug-in added, 1 more change");
    }

    #[test]
    fn state_part_strips_what_changed() {
        assert_eq!(
            state_part("128 BPM · 2 tracks · 0 clips — tempo 120 → 128"),
            "128 BPM · 2 tracks · 0 clips"
        );
        assert_eq!(state_part("unreadable: x"), "unreadable: x");
    }

    fn live_set_with(samples: Vec<SampleRef>) -> Project {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Ableton Creator="Ableton Live 11.3.21"><LiveSet><Tracks/></LiveSet></Ableton>"#;
        let mut set = parse_als_xml(xml.as_bytes()).expect("minimal set parses");
        set.samples = samples;
        Project::Ableton(set)
    }

    #[test]
    fn samples_are_resolved_inside_outside_or_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let work = tmp.path().join("Song Project");
        std::fs::create_dir_all(work.join("Samples")).unwrap();
        std::fs::write(work.join("Samples/kick.wav"), b"RIFF").unwrap();
        std::fs::write(work.join("Samples/ignored.wav"), b"RIFF").unwrap();
        std::fs::write(tmp.path().join("outside.wav"), b"RIFF").unwrap();
        let r = |rel: Option<&str>, abs: Option<String>, location| SampleRef {
            path: abs,
            relative_path: rel.map(str::to_string),
            inside_project: location == SampleLocation::Project,
            location,
        };
        let set = live_set_with(vec![
            r(Some("Samples/kick.wav"), None, SampleLocation::Project),
            r(Some("Samples/ignored.wav"), None, SampleLocation::Project),
            r(
                Some("../outside.wav"),
                Some("/nowhere/outside.wav".into()),
                SampleLocation::External,
            ),
            r(Some("Samples/gone.wav"), None, SampleLocation::Project),
            r(
                None,
                Some(tmp.path().join("outside.wav").to_string_lossy().into()),
                SampleLocation::Absolute,
            ),
            r(
                Some("Samples/Drums/Conga.aif"),
                None,
                SampleLocation::CoreLibrary,
            ),
        ]);
        let checks = check_samples(&set, Path::new("Song.als"), &work, &mut |p: &Path| {
            Ok(p == Path::new("Samples/kick.wav"))
        })
        .unwrap();
        let statuses: Vec<_> = checks.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            [
                SampleStatus::InProject,
                SampleStatus::NotVersioned,
                SampleStatus::Outside,
                SampleStatus::Missing,
                SampleStatus::Outside,
                SampleStatus::Library,
            ]
        );
        assert_eq!(checks[0].found.as_deref(), Some("Samples/kick.wav"));
        assert_eq!(checks[3].sample, "Samples/gone.wav");
    }
}
