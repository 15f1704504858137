//! `daw commit`: snapshot the work tree into trees and chunks, then publish the commit.
//!
//! Order of writes (the crash-safety model): chunks and trees go into packs, the packs get their index,
//! and only then does a new operation move the branch. A crash before the last step leaves unreferenced
//! packs that nothing points at, never a ref to something missing.
//!
//! Files are streamed, never loaded whole. A gzip file (an Ableton set) whose compressed bytes daw can
//! re-create exactly is stored as its decompressed payload, so an edit costs bytes, not megabytes.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, Metadata};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::SystemTime;

use crate::formats::gzip;
use crate::object::{
    BlobKind, Commit, Content, EntryKind, FileStorage, ObjectId, Signature, Tree, TreeEntry,
};
use crate::platform::names::{self, Folding};
use crate::store::{self, Profile, StoreError, WriteStats};
use crate::worktree::fsutil;
use crate::worktree::ignore::Ignores;
use crate::worktree::paths::{Selection, select};
use crate::worktree::stat::FileStat;
use crate::worktree::statcache::{StatCache, learn_from_commit, reuse_for_commit};
use crate::worktree::walk::{Found, WalkWarning, walk};

use super::history::{self, ChangeKind, FileChange};
use super::music::{self, SampleCheck};
use super::ops::Head;
use super::{RepoError, Repository, Result};

/// How often a file that keeps changing while it is read is tried before it is skipped.
const CHANGING_FILE_ATTEMPTS: usize = 3;

/// File extensions chunked with the small-chunk document profile.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "als", "alc", "adg", "adv", "agr", "ams", "alp", "flp", "fst", "zip", "xml", "txt", "json",
    "cfg", "mid", "midi", "rpp", "ptx", "cpr", "song", "logicx", "band", "md",
];

pub struct CommitOptions {
    pub message: String,
    pub author: Signature,
    /// Restrict the snapshot to these paths (relative to the work tree); empty for everything.
    pub paths: Vec<PathBuf>,
    /// Make a commit even when nothing changed.
    pub allow_empty: bool,
    /// An automatic commit (`daw watch`): marked as such, and its message is written from what it
    /// changed ([`music::autosave_message`]) instead of `message`.
    pub autosave: bool,
    /// The files as `daw watch` judged them settled: every file the commit reads must still be in
    /// that state after it was read, or nothing is committed ([`RepoError::Unsettled`]). Without it,
    /// a file is committed as it was while it was read (a file that changes meanwhile is read again).
    pub settled: Option<Settled>,
}

/// What `daw watch` judged settled before an autosave: the files a save changed, each unchanged for
/// the debounce time and complete (`watch::settle`). A file may change again after that judgment and
/// before the commit reads it (a DAW starting its next save); the commit then holds the file to the
/// judgment instead of recording whatever it finds, which could be half-written.
#[derive(Clone, Debug)]
pub struct Settled {
    /// The files heard of since the last autosave, with their `lstat` when judged (`None`: absent).
    /// A listed file the commit reads must have exactly this `lstat`, before and after reading.
    pub files: BTreeMap<PathBuf, Option<FileStat>>,
    /// When the quiet time before the judgment began. A file not listed was not heard of since the
    /// last autosave, so it must not have changed since: its ctime (set by the system at every
    /// change, never by programs, unlike the mtime) before this instant. A file the OS has changed
    /// since then without its event having been heard yet is refused, and heard next.
    pub quiet_since: SystemTime,
}

impl Settled {
    /// Whether a file with `stat` at `rel` is as it was judged.
    fn holds(&self, rel: &Path, stat: &FileStat) -> bool {
        match self.files.get(rel) {
            Some(judged) => judged.as_ref() == Some(stat),
            None => match self.quiet_since.duration_since(std::time::UNIX_EPOCH) {
                Ok(since) => stat.ctime < (since.as_secs() as i64, since.subsec_nanos()),
                Err(_) => false,
            },
        }
    }

    /// The files of `read` (path, `lstat` as the walk found it) that are not as judged now
    /// (`after_reading`: also compared with their `lstat` now).
    fn unsettled(
        &self,
        work_tree: &Path,
        read: &[(PathBuf, FileStat)],
        after_reading: bool,
    ) -> Vec<PathBuf> {
        read.iter()
            .filter(|(rel, walked)| {
                !self.holds(rel, walked)
                    || after_reading
                        && std::fs::symlink_metadata(work_tree.join(rel))
                            .map_or(true, |now| FileStat::of(&now) != *walked)
            })
            .map(|(rel, _)| rel.clone())
            .collect()
    }
}

/// What a commit did.
#[derive(Debug, Default)]
pub struct CommitReport {
    /// The new commit, or `None` when nothing changed.
    pub commit: Option<ObjectId>,
    pub parent: Option<ObjectId>,
    /// The branch that moved, or `None` on a detached HEAD.
    pub branch: Option<String>,
    pub changes: Vec<FileChange>,
    /// Bytes read from the project.
    pub bytes_read: u64,
    /// Bytes newly written to the repository.
    pub bytes_stored: u64,
    pub warnings: Vec<WalkWarning>,
    /// Samples that sets read at this commit reference but the snapshot does not contain.
    pub samples: Vec<SampleCheck>,
}

/// Progress of a snapshot, for a progress bar.
/// How far a long operation is, in bytes: a commit's reading of files, a checkout's writing of them
/// (export, switch, restore, reset --hard, undo), `fsck --read-data`'s reading of packs. The CLI
/// shows it as a progress bar; the library never prints.
pub trait Progress {
    /// The work is known: this many bytes are to be read or written.
    fn start(&mut self, _total_bytes: u64) {}
    /// This many more bytes were read or written.
    fn advance(&mut self, _bytes: u64) {}
}

/// No progress reporting.
pub struct NoProgress;
impl Progress for NoProgress {}

struct Snapshotter<'a> {
    repo: &'a mut Repository,
    paths: &'a [PathBuf],
    /// HEAD's root tree, if there is a HEAD.
    parent: Option<&'a Tree>,
    progress: &'a mut dyn Progress,
    stats: WriteStats,
    bytes_read: u64,
    warnings: Vec<WalkWarning>,
    /// Files read in phase two, by path: `None` when a file was skipped (with a warning).
    files: HashMap<PathBuf, Option<TreeEntry>>,
    /// Project files parsed while they were read, by content hash (for the commit's summary).
    parsed: HashMap<ObjectId, music::Parsed>,
}

/// A gzip file's decompressed payload, stored while the verification thread was still checking that
/// the file can be re-created from it. It is used only if the check passes and the file did not change
/// in between; otherwise its chunks stay unreferenced (a rare case: gzip files that Live did not write,
/// or damaged ones).
struct Speculative {
    payload: Content,
    crc: u32,
    before: Metadata,
}

/// Gzip files up to this size are verified in memory, re-compressed in two halves at once.
const MAX_SPLIT_FILE: u64 = 8 << 20;

/// A gzip file checked ahead of time on the verification thread.
struct Verified {
    /// The layout, when the file's compressed bytes can be re-created exactly.
    layout: Option<gzip::GzipLayout>,
    hash: ObjectId,
    size: u64,
    before: Metadata,
    /// A Live set parsed from the same bytes (for its summary), when the verifier had them in memory.
    parsed: Option<music::Parsed>,
}

/// Verifies gzip files on a second thread while the main thread stores everything else: re-compressing
/// a 16 MB set with zlib takes longer than chunking and encrypting hundreds of MB of audio.
fn spawn_verifier(
    work_tree: PathBuf,
    candidates: Vec<PathBuf>,
    keys: crate::store::Keys,
) -> Verifier {
    let (tx, rx) = mpsc::channel();
    let (shared_tx, shared_rx) = mpsc::sync_channel(1);
    let handle = std::thread::spawn(move || {
        // The first candidate's payload is shared with the main thread as soon as it is inflated.
        let mut share = Some(shared_tx);
        for rel in candidates {
            let full = work_tree.join(&rel);
            // Live's own parameters first (cheap); all 18 candidates only when they do not fit.
            let attempt = |all: bool| -> io::Result<Verified> {
                let mut file = fsutil::open_no_follow(&full)?;
                let before = file.metadata()?;
                let mut reader = HashingReader {
                    inner: BufReader::with_capacity(256 << 10, &mut file),
                    hasher: keys.hasher(),
                    count: 0,
                    progress: None,
                };
                let layout = if all {
                    gzip::probe(&mut reader)
                } else {
                    gzip::probe_params(&mut reader, &[gzip::DeflateParams::LIVE])
                }
                .map_err(io::Error::other)?;
                io::copy(&mut reader, &mut io::sink())?;
                let hash = ObjectId::from_bytes(*reader.hasher.finalize().as_bytes());
                Ok(Verified {
                    layout,
                    hash,
                    size: reader.count,
                    before,
                    parsed: None,
                })
            };
            // Quickest: Live's parameters, the stream re-created in two halves at once.
            let mut split = || -> io::Result<Option<Verified>> {
                // Dropped on every way out that does not share: the main thread then reads itself.
                let share = share.take();
                let mut file = fsutil::open_no_follow(&full)?;
                let before = file.metadata()?;
                if before.len() > MAX_SPLIT_FILE {
                    return Ok(None);
                }
                let mut bytes = Vec::with_capacity(before.len() as usize);
                (&mut file).take(MAX_SPLIT_FILE).read_to_end(&mut bytes)?;
                let Some((layout, payload)) =
                    gzip::prepare_split(&bytes, gzip::DeflateParams::LIVE)
                        .map_err(io::Error::other)?
                else {
                    return Ok(None);
                };
                let payload = std::sync::Arc::new(payload);
                if let Some(share) = share {
                    let _ = share.send(SharedPayload {
                        rel: rel.clone(),
                        payload: std::sync::Arc::clone(&payload),
                        crc: layout.payload_crc(),
                        before: before.clone(),
                    });
                }
                if !gzip::prove_split(&bytes, &layout, &payload).map_err(io::Error::other)? {
                    return Ok(None);
                }
                drop(payload);
                let mut hasher = keys.hasher();
                hasher.update(&bytes);
                // The summary of the commit parses the set: here, from the bytes just proven, on this
                // thread (idle once the proof is done), instead of reading the file again at the end.
                let name = rel.to_string_lossy();
                let parsed = music::is_project_path(&name)
                    .then(|| crate::formats::project::parse_project(&name, &bytes[..]));
                Ok(Some(Verified {
                    layout: Some(layout),
                    hash: ObjectId::from_bytes(*hasher.finalize().as_bytes()),
                    size: bytes.len() as u64,
                    before,
                    parsed,
                }))
            };
            let result = match split() {
                Ok(Some(v)) => Ok(v),
                // Otherwise (or on an error, which the streaming pass reports), one piece.
                _ => match attempt(false) {
                    Ok(v) if v.layout.is_none() => attempt(true),
                    other => other,
                },
            };
            if tx.send((rel, result)).is_err() {
                return;
            }
        }
    });
    Verifier {
        thread: handle,
        results: rx,
        shared: shared_rx,
    }
}

/// The verification thread: its verdicts in candidate order, and the first candidate's payload.
struct Verifier {
    thread: std::thread::JoinHandle<()>,
    results: mpsc::Receiver<(PathBuf, io::Result<Verified>)>,
    shared: mpsc::Receiver<SharedPayload>,
}

/// A set's decompressed payload, inflated once by the verifier and chunked from memory by the main
/// thread while the verifier proves it.
struct SharedPayload {
    rel: PathBuf,
    payload: std::sync::Arc<Vec<u8>>,
    crc: u32,
    before: Metadata,
}

/// Whether a file starts like a gzip stream.
fn has_gzip_magic(path: &Path, size: u64) -> bool {
    if size < 18 {
        return false;
    }
    let mut magic = [0u8; 2];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == [0x1f, 0x8b]
}

/// Reads through to `inner`, hashing and counting.
struct HashingReader<'p, R> {
    inner: R,
    hasher: blake3::Hasher,
    count: u64,
    progress: Option<&'p mut dyn Progress>,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        if let Some(p) = self.progress.as_deref_mut() {
            p.advance(n as u64);
        }
        Ok(n)
    }
}

/// The names found in a folder (sorted) that its parent tree (`recorded`, sorted) does not hold but
/// holds in another Unicode form, no longer found: each with the recorded entry. Nothing is done
/// for a folder of ASCII names (nearly all of them).
fn respellings<'b>(
    found: &[(Vec<u8>, Found)],
    recorded: &'b [TreeEntry],
) -> Vec<(Vec<u8>, &'b TreeEntry)> {
    let unicode = Folding {
        case: false,
        unicode: true,
    };
    let mut out = Vec::new();
    if recorded.is_empty() || found.iter().all(|(n, _)| n.is_ascii()) {
        return out;
    }
    let on_disk = |name: &[u8]| {
        found
            .binary_search_by(|(n, _)| n.as_slice().cmp(name))
            .is_ok()
    };
    let mut gone: Vec<&TreeEntry> = recorded
        .iter()
        .filter(|e| !e.name.is_ascii() && !on_disk(&e.name))
        .collect();
    for (name, _) in found {
        if name.is_ascii()
            || recorded
                .binary_search_by(|e| e.name.as_slice().cmp(name))
                .is_ok()
        {
            continue;
        }
        if let Some(i) = gone
            .iter()
            .position(|e| names::same_name(&e.name, name, unicode))
        {
            out.push((name.clone(), gone.remove(i)));
        }
    }
    out
}

/// Whether a file changed between two looks at it.
fn changed(a: &Metadata, b: &Metadata) -> bool {
    let (a, b) = (FileStat::of(a), FileStat::of(b));
    (a.size, a.mtime, a.ctime, a.ino, a.dev) != (b.size, b.mtime, b.ctime, b.ino, b.dev)
}

fn profile_for(name: &[u8]) -> Profile {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    match name.rsplit_once('.') {
        Some((_, ext)) if DOCUMENT_EXTENSIONS.contains(&ext) => Profile::Document,
        _ => Profile::Media,
    }
}

/// The outcome of reading one file.
enum ReadOutcome {
    Stored(TreeEntry),
    /// The file changed while it was read.
    Changed,
}

impl Snapshotter<'_> {
    fn warn(&mut self, rel: &Path, message: impl Into<String>) {
        self.warnings.push(WalkWarning {
            path: rel.to_path_buf(),
            message: message.into(),
        });
    }

    fn build_dir(
        &mut self,
        rel: &Path,
        found: Vec<(Vec<u8>, Found)>,
        parent: Option<(ObjectId, &Tree)>,
    ) -> Result<ObjectId> {
        let (parent_id, parent) = match parent {
            Some((id, tree)) => (Some(id), Some(tree)),
            None => (None, None),
        };
        let mut entries: Vec<TreeEntry> = Vec::new();
        let empty = Tree::default();
        // A file or folder the parent recorded, found spelled in another Unicode form (a project
        // moved between macOS, which may spell `é` as `e` and an accent, and Linux): the same one,
        // kept under the recorded name.
        let respelled = respellings(&found, &parent.unwrap_or(&empty).entries);
        let mut found = found.into_iter().peekable();
        let parent_entries = parent.unwrap_or(&empty).entries.iter();
        let mut parent_entries = parent_entries.peekable();
        loop {
            // Merge the sorted names on disk with the sorted names of the parent tree.
            let (name, on_disk, before) = match (found.peek(), parent_entries.peek()) {
                (None, None) => break,
                (Some((n, _)), Some(p)) if n.as_slice() == p.name.as_slice() => {
                    let (n, f) = found.next().expect("peeked");
                    (n, Some(f), parent_entries.next())
                }
                (Some((n, _)), Some(p)) if n.as_slice() > p.name.as_slice() => {
                    let p = parent_entries.next().expect("peeked");
                    (p.name.clone(), None, Some(p))
                }
                (Some(_), _) => {
                    let (n, f) = found.next().expect("peeked");
                    (n, Some(f), None)
                }
                (None, Some(_)) => {
                    let p = parent_entries.next().expect("peeked");
                    (p.name.clone(), None, Some(p))
                }
            };
            let child_rel = rel.join(crate::platform::os_str(&name));
            let (name, before) = match (&on_disk, before) {
                (None, Some(b)) if respelled.iter().any(|(_, r)| r.name == b.name) => continue,
                (Some(_), None) => match respelled.iter().find(|(n, _)| *n == name) {
                    Some((_, recorded)) => (recorded.name.clone(), Some(*recorded)),
                    None => (name, None),
                },
                (_, before) => (name, before),
            };
            let selection = select(self.paths, &child_rel);
            let keep_before = |entries: &mut Vec<TreeEntry>| {
                if let Some(b) = before {
                    entries.push(b.clone());
                }
            };
            if selection == Selection::None {
                keep_before(&mut entries);
                continue;
            }
            let Some(on_disk) = on_disk else {
                // Deleted from the project (or not on disk below a selected path).
                continue;
            };
            match on_disk {
                Found::File(_) => match self.files.remove(&child_rel).flatten() {
                    Some(mut e) => {
                        e.name = name;
                        // Where the file system has no exec bit, the committed one stays.
                        e.mode =
                            crate::platform::recorded_permissions(e.mode, before.map(|b| b.mode));
                        entries.push(e)
                    }
                    None => keep_before(&mut entries),
                },
                Found::Dir(meta, children, _) => {
                    let parent_sub = match before.map(|b| &b.kind) {
                        Some(EntryKind::Dir { tree }) => Some((*tree, self.repo.read_tree(tree)?)),
                        _ => None,
                    };
                    if selection == Selection::Partly && parent_sub.is_none() && before.is_some() {
                        // A file became a folder outside the selected paths: keep the file.
                        keep_before(&mut entries);
                        continue;
                    }
                    let tree = self.build_dir(
                        &child_rel,
                        children,
                        parent_sub.as_ref().map(|(id, t)| (*id, t)),
                    )?;
                    entries.push(TreeEntry {
                        name,
                        mode: meta.permissions(),
                        mtime_secs: 0,
                        mtime_nanos: 0,
                        kind: EntryKind::Dir { tree },
                    });
                }
                Found::Symlink(stat, target) => {
                    let (s, n) = stat.mtime;
                    entries.push(TreeEntry {
                        name,
                        mode: 0o777,
                        mtime_secs: s,
                        mtime_nanos: n,
                        kind: EntryKind::Symlink { target },
                    });
                }
                Found::Unreadable(reason) => {
                    let what = if before.is_some() {
                        "kept the last committed version"
                    } else {
                        "skipped"
                    };
                    self.warn(&child_rel, format!("cannot read it ({reason}); {what}"));
                    keep_before(&mut entries);
                }
                Found::Special => {
                    self.warn(
                        &child_rel,
                        "not a regular file, folder or symlink (socket, FIFO or device); skipped",
                    );
                }
            }
        }
        if !respelled.is_empty() {
            entries.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let tree = Tree { entries };
        // The folder's tree in the parent commit is what this one most resembles.
        let (id, _) = self.repo.store_mut().put_blob_against(
            BlobKind::Tree,
            &tree.encode(),
            parent_id.as_slice(),
        )?;
        Ok(id)
    }

    /// Collects the files that phase two must read: those on disk below selected paths.
    fn collect(&self, rel: &Path, found: &[(Vec<u8>, Found)], out: &mut Vec<(PathBuf, FileStat)>) {
        for (name, f) in found {
            let child_rel = rel.join(crate::platform::os_str(name));
            if select(self.paths, &child_rel) == Selection::None {
                continue;
            }
            match f {
                Found::File(stat) => out.push((child_rel, *stat)),
                Found::Dir(_, children, _) => self.collect(&child_rel, children, out),
                _ => {}
            }
        }
    }

    /// Phase two: reads every collected file. Gzip files are verified on a second thread meanwhile and
    /// stored last.
    fn read_all(&mut self, files: Vec<(PathBuf, FileStat)>) -> Result<()> {
        let work_tree = self.repo.work_tree().to_path_buf();
        let (plain, gzip_files): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(rel, stat)| !has_gzip_magic(&work_tree.join(rel), stat.size));
        // A set that holds exactly what HEAD has (Live saved it again without a change, or it was
        // only touched) keeps HEAD's entry: hashing it is cheap, proving it can be rebuilt is not.
        let mut gz = Vec::with_capacity(gzip_files.len());
        for (rel, meta) in gzip_files {
            match self.unchanged_since_parent(&rel)? {
                Some(entry) => {
                    self.files.insert(rel, Some(entry));
                }
                None => gz.push((rel, meta)),
            }
        }
        let Verifier {
            thread: verifier,
            results,
            shared,
        } = spawn_verifier(
            work_tree.clone(),
            gz.iter().map(|(rel, _)| rel.clone()).collect(),
            self.repo.store().keys().clone(),
        );
        // While the verifier re-compresses, store what it will most likely approve: the first set
        // from the payload the verifier inflates, the others read here. The other files wait until
        // the sets are done: the verifier holds a set's whole XML while it proves it, and streaming
        // recordings beside it would add their buffers to that peak (issue 14, goal 4: memory); on
        // two cores the proof, in two halves, has them both anyway.
        let mut first = shared.recv().ok();
        let mut speculative: HashMap<PathBuf, Speculative> = HashMap::new();
        for (rel, _) in &gz {
            let sp = match first.take() {
                Some(shared) if shared.rel == *rel => self.store_shared_payload(shared)?,
                _ => self.store_payload(rel)?,
            };
            if let Some(sp) = sp {
                speculative.insert(rel.clone(), sp);
            }
        }
        for _ in 0..gz.len() {
            let Ok((rel, verified)) = results.recv() else {
                break;
            };
            let entry = match verified {
                Ok(mut v) => {
                    if let Some(parsed) = v.parsed.take() {
                        self.parsed.insert(v.hash, parsed);
                    }
                    self.bytes_read += v.size;
                    self.progress.advance(v.size);
                    let sp = speculative.remove(&rel);
                    self.snapshot_file(&rel, Some(v), sp)?
                }
                Err(e) => {
                    self.warn(&rel, format!("cannot read it ({e}); skipped"));
                    None
                }
            };
            self.files.insert(rel, entry);
        }
        let _ = verifier.join();
        // A verifier that stopped early (a panic in a test build; the release build aborts) leaves
        // sets without an entry: fail rather than commit them as deleted.
        if let Some((rel, _)) = gz.iter().find(|(rel, _)| !self.files.contains_key(rel)) {
            return Err(RepoError::io(
                &work_tree.join(rel),
                io::Error::other("the check that it can be rebuilt stopped before it was done"),
            ));
        }
        if !gz.is_empty() {
            // The verifier's XML and deflate buffers are free now; give their pages back before
            // the recordings are streamed, or the allocator keeps them and the peaks add up.
            crate::platform::release_free_memory();
        }
        for (rel, _) in plain {
            let entry = self.snapshot_file(&rel, None, None)?;
            self.files.insert(rel, entry);
        }
        Ok(())
    }

    /// HEAD's entry for the file at `rel`, with the file's current mode and mtime, if the file holds
    /// exactly the bytes HEAD has there (same size and keyed hash, unchanged while it was hashed).
    fn unchanged_since_parent(&mut self, rel: &Path) -> Result<Option<TreeEntry>> {
        let Some(committed) = self.committed_entry(rel)? else {
            return Ok(None);
        };
        let EntryKind::File { size, hash, .. } = &committed.kind else {
            return Ok(None);
        };
        let full = self.repo.work_tree().join(rel);
        let Ok(mut file) = fsutil::open_no_follow(&full) else {
            return Ok(None);
        };
        let Ok(before) = file.metadata() else {
            return Ok(None);
        };
        if before.len() != *size {
            return Ok(None);
        }
        let mut reader = HashingReader {
            inner: BufReader::with_capacity(256 << 10, &mut file),
            hasher: self.repo.store().keys().hasher(),
            count: 0,
            progress: None,
        };
        if io::copy(&mut reader, &mut io::sink()).is_err() || reader.count != *size {
            return Ok(None);
        }
        let same = ObjectId::from_bytes(*reader.hasher.finalize().as_bytes()) == *hash;
        let steady = std::fs::symlink_metadata(&full).is_ok_and(|now| !changed(&before, &now));
        if !same || !steady {
            return Ok(None);
        }
        self.bytes_read += size;
        self.progress.advance(*size);
        let stat = FileStat::of(&before);
        let (mtime_secs, mtime_nanos) = stat.mtime;
        Ok(Some(TreeEntry {
            mode: stat.permissions(),
            mtime_secs,
            mtime_nanos,
            ..committed
        }))
    }

    /// HEAD's entry at `rel`, read down from the root tree.
    fn committed_entry(&self, rel: &Path) -> Result<Option<TreeEntry>> {
        let Some(root) = self.parent else {
            return Ok(None);
        };
        let mut tree = std::borrow::Cow::Borrowed(root);
        let mut names = rel.iter().peekable();
        while let Some(name) = names.next() {
            let Some(entry) = tree.get(name.as_encoded_bytes()) else {
                return Ok(None);
            };
            if names.peek().is_none() {
                return Ok(Some(entry.clone()));
            }
            match &entry.kind {
                EntryKind::Dir { tree: id } => {
                    tree = std::borrow::Cow::Owned(self.repo.read_tree(id)?)
                }
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Stores the decompressed payload of a gzip file (see [`Speculative`]); `None` when it is not
    /// valid gzip or cannot be read (the verifier reports why).
    fn store_payload(&mut self, rel: &Path) -> Result<Option<Speculative>> {
        let full = self.repo.work_tree().join(rel);
        let Ok(mut file) = fsutil::open_no_follow(&full) else {
            return Ok(None);
        };
        let Ok(before) = file.metadata() else {
            return Ok(None);
        };
        let previous = self.previous_content(rel)?;
        self.store_payload_of(&mut file, before, previous.as_ref())
    }

    /// What the file at `rel` held in HEAD (its decompressed payload for a gzip set), which a new
    /// version is stored against (deltas of the chunks and nodes it replaces).
    fn previous_content(&self, rel: &Path) -> Result<Option<Content>> {
        Ok(match self.committed_entry(rel)?.map(|e| e.kind) {
            Some(EntryKind::File {
                storage: FileStorage::Raw(c) | FileStorage::GzipPayload { payload: c, .. },
                ..
            }) => Some(c),
            _ => None,
        })
    }

    /// [`Snapshotter::store_payload`] from a payload the verifier inflated.
    fn store_shared_payload(&mut self, shared: SharedPayload) -> Result<Option<Speculative>> {
        let previous = self.previous_content(&shared.rel)?;
        Ok(self
            .store_document(&mut &shared.payload[..], previous.as_ref())?
            .map(|payload| Speculative {
                payload,
                crc: shared.crc,
                before: shared.before,
            }))
    }

    /// Stores a decompressed payload as a document; `None` when reading it failed.
    fn store_document(
        &mut self,
        payload: &mut dyn Read,
        previous: Option<&Content>,
    ) -> Result<Option<Content>> {
        match store::content::write_stream_replacing(
            self.repo.store_mut(),
            payload,
            Profile::Document,
            previous,
            &mut self.stats,
        ) {
            Ok(content) => Ok(Some(content)),
            Err(StoreError::Read(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// [`Snapshotter::store_payload`] for a file already open, whose stat before reading was `before`.
    fn store_payload_of(
        &mut self,
        file: &mut File,
        before: Metadata,
        previous: Option<&Content>,
    ) -> Result<Option<Speculative>> {
        let Ok(inflater) = gzip::Inflater::new(BufReader::with_capacity(256 << 10, file)) else {
            return Ok(None);
        };
        let mut crc = flate2::CrcReader::new(inflater);
        Ok(self
            .store_document(&mut crc, previous)?
            .map(|payload| Speculative {
                payload,
                crc: crc.crc().sum(),
                before,
            }))
    }

    /// Stores one file; `None` (with a warning) when it could not be read consistently.
    fn snapshot_file(
        &mut self,
        rel: &Path,
        mut verified: Option<Verified>,
        mut speculative: Option<Speculative>,
    ) -> Result<Option<TreeEntry>> {
        let full = self.repo.work_tree().join(rel);
        let name = rel
            .file_name()
            .map(|n| n.as_encoded_bytes().to_vec())
            .unwrap_or_default();
        // A set or other document is stored against its version in HEAD (deltas); media is not.
        let previous = if verified.is_some() || profile_for(&name) == Profile::Document {
            self.previous_content(rel)?
        } else {
            None
        };
        for _ in 0..CHANGING_FILE_ATTEMPTS {
            match self.read_file(
                &full,
                &name,
                verified.take(),
                speculative.take(),
                previous.as_ref(),
            ) {
                Ok(ReadOutcome::Stored(e)) => return Ok(Some(e)),
                Ok(ReadOutcome::Changed) => continue,
                Err(RepoError::Store(StoreError::Read(e)))
                | Err(RepoError::Io { source: e, .. }) => {
                    self.warn(rel, format!("cannot read it ({e}); skipped"));
                    return Ok(None);
                }
                Err(e) => return Err(e),
            }
        }
        self.warn(
            rel,
            format!("it kept changing while being committed ({CHANGING_FILE_ATTEMPTS} tries); skipped this time"),
        );
        Ok(None)
    }

    /// Reads and stores one file. With `verified` (a gzip file checked on the verification thread), the
    /// payload is stored when the layout is exact; otherwise, or on a retry, the file is read raw.
    fn read_file(
        &mut self,
        full: &Path,
        name: &[u8],
        verified: Option<Verified>,
        speculative: Option<Speculative>,
        previous: Option<&Content>,
    ) -> Result<ReadOutcome> {
        let io_err = |e| RepoError::io(full, e);
        let mut file = fsutil::open_no_follow(full).map_err(io_err)?;
        let before = file.metadata().map_err(io_err)?;
        if !before.is_file() {
            return Ok(ReadOutcome::Changed);
        }
        let mut stored: Option<(FileStorage, ObjectId, u64)> = None;
        if let Some(v) = verified {
            if changed(&v.before, &before) {
                return Ok(ReadOutcome::Changed);
            }
            if let Some(layout) = v.layout {
                let fits = |sp: &Speculative| {
                    !changed(&sp.before, &v.before)
                        && sp.crc == layout.payload_crc()
                        && sp.payload.size == layout.payload_len()
                };
                // The payload stored while the verifier ran; if the file was re-saved between that
                // read and the verifier's, the payload read now.
                let payload = match speculative.filter(|sp| fits(sp)) {
                    Some(sp) => sp,
                    None => match self.store_payload_of(&mut file, before.clone(), previous)? {
                        Some(sp) if fits(&sp) => sp,
                        _ => return Ok(ReadOutcome::Changed),
                    },
                };
                self.bytes_read += v.size;
                stored = Some((
                    FileStorage::GzipPayload {
                        layout: layout.encode(),
                        payload: payload.payload,
                    },
                    v.hash,
                    v.size,
                ));
            }
        }
        let (storage, hash, size) = match stored {
            Some(s) => s,
            None => {
                let mut reader = HashingReader {
                    inner: &mut file,
                    hasher: self.repo.store().keys().hasher(),
                    count: 0,
                    progress: Some(&mut *self.progress),
                };
                let content: Content = store::content::write_stream_replacing(
                    self.repo.store_mut(),
                    &mut reader,
                    profile_for(name),
                    previous,
                    &mut self.stats,
                )?;
                self.bytes_read += reader.count;
                let hash = ObjectId::from_bytes(*reader.hasher.finalize().as_bytes());
                (FileStorage::Raw(content), hash, content.size)
            }
        };
        let after = file.metadata().map_err(io_err)?;
        let now = std::fs::symlink_metadata(full).map_err(io_err)?;
        if changed(&before, &after) || changed(&before, &now) || size != before.len() {
            return Ok(ReadOutcome::Changed);
        }
        let stat = FileStat::of(&before);
        let (mtime_secs, mtime_nanos) = stat.mtime;
        Ok(ReadOutcome::Stored(TreeEntry {
            name: name.to_vec(),
            mode: stat.permissions(),
            mtime_secs,
            mtime_nanos,
            kind: EntryKind::File {
                size,
                hash,
                storage,
            },
        }))
    }
}

impl Repository {
    /// Snapshots the work tree and, unless nothing changed, commits it on the current branch.
    pub fn commit(
        &mut self,
        opts: &CommitOptions,
        progress: &mut dyn Progress,
    ) -> Result<CommitReport> {
        let _lock = self.lock(&format!("daw commit (pid {})", std::process::id()))?;
        self.remove_stale_temp_files();
        // Another writer may have committed while we waited for the lock.
        self.store_mut().refresh()?;
        self.refuse_during_merge()?;
        let refs = self.refs()?;
        let parent = refs.head_commit();
        let parent_tree = match &parent {
            Some(p) => Some(self.read_tree(&self.read_commit(p)?.tree)?),
            None => None,
        };
        let parent_tree_id = match &parent {
            Some(p) => Some(self.read_commit(p)?.tree),
            None => None,
        };
        let work_tree = self.work_tree().to_path_buf();
        let daw_dir = self.daw_dir().to_path_buf();
        let mut cache = StatCache::load(
            &self.stat_cache_path(),
            self.store(),
            std::time::SystemTime::now(),
        );
        let ignores = Ignores::new();
        let mut total = 0;
        let root = walk(&work_tree, Path::new(""), &ignores, &daw_dir, &mut total);
        let children = match root {
            Found::Dir(_, c, _) => c,
            Found::Unreadable(reason) => {
                return Err(RepoError::io(&work_tree, io::Error::other(reason)));
            }
            _ => {
                return Err(RepoError::Refused(format!(
                    "{} is not a folder",
                    work_tree.display()
                )));
            }
        };
        progress.start(total);
        let written_before = self.store().written_bytes();
        let mut snap = Snapshotter {
            repo: self,
            paths: &opts.paths,
            parent: parent_tree.as_ref(),
            progress,
            stats: WriteStats::default(),
            bytes_read: 0,
            warnings: Vec::new(),
            files: HashMap::new(),
            parsed: HashMap::new(),
        };
        let mut to_read = Vec::new();
        snap.collect(Path::new(""), &children, &mut to_read);
        // Files whose stat is unchanged since they were last read are not read again.
        let to_read = reuse_for_commit(&mut cache, snap.repo.store(), to_read, &mut snap.files);
        // An autosave reads only what was judged settled, and checks again once it has read it: a
        // file changed in between (the DAW saving again) may be half-written.
        let unsettled = |after_reading| match &opts.settled {
            Some(settled) => settled.unsettled(&work_tree, &to_read, after_reading),
            None => Vec::new(),
        };
        let before_reading = unsettled(false);
        if !before_reading.is_empty() {
            return Err(RepoError::Unsettled {
                paths: before_reading,
            });
        }
        snap.read_all(to_read.clone())?;
        let after_reading = unsettled(true);
        if !after_reading.is_empty() {
            return Err(RepoError::Unsettled {
                paths: after_reading,
            });
        }
        learn_from_commit(&mut cache, &work_tree, &to_read, &snap.files);
        if opts.paths.is_empty() {
            cache.prune_unvisited();
        }
        let tree = snap.build_dir(
            Path::new(""),
            children,
            parent_tree_id.zip(parent_tree.as_ref()),
        )?;
        let (bytes_read, warnings, parsed) = (snap.bytes_read, snap.warnings, snap.parsed);
        let changes = history::diff_trees(self, parent_tree_id.as_ref(), Some(&tree))?;
        let mut report = CommitReport {
            parent,
            branch: match &refs.head {
                Head::Branch(b) => Some(b.clone()),
                Head::Detached(_) => None,
            },
            changes,
            bytes_read,
            warnings,
            ..Default::default()
        };
        if report.changes.is_empty() && parent.is_some() && !opts.allow_empty {
            self.store_mut().flush()?;
            let _ = cache.save(&self.stat_cache_path(), self.store()); // only a hint: a failure to write it costs speed, not data
            report.bytes_stored = self.store().written_bytes() - written_before;
            return Ok(report);
        }
        // Summaries for `daw log`; a set that cannot be read never fails the commit.
        let parent_commit = parent.map(|p| self.read_commit(&p)).transpose()?;
        let removed_any = report.changes.iter().any(|c| c.kind == ChangeKind::Removed);
        let mut project_changes = Vec::new();
        let summary = match self.project_report(parent_commit.as_ref(), &tree, removed_any, parsed)
        {
            Ok(projects) => {
                report.samples = projects.samples;
                project_changes = projects.changes;
                projects.summary
            }
            Err(e) => {
                report.warnings.push(WalkWarning {
                    path: PathBuf::new(),
                    message: format!("cannot summarise the project files ({e}); committed without"),
                });
                Vec::new()
            }
        };
        let commit = Commit {
            tree,
            parents: parent.into_iter().collect(),
            author: opts.author.clone(),
            message: if opts.autosave {
                music::autosave_message(&report.changes, &project_changes)
            } else {
                opts.message.clone()
            },
            summary,
            autosave: opts.autosave,
        };
        // Stored as a delta of its parent when that is smaller (the summary mostly repeats).
        let (id, _) = self.store_mut().put_blob_against(
            BlobKind::Commit,
            &commit.encode(),
            &commit.parents[..commit.parents.len().min(1)],
        )?;
        self.store_mut().flush()?;
        let mut new_refs = refs.clone();
        match &refs.head {
            Head::Branch(b) => {
                new_refs.branches.insert(b.clone(), id);
            }
            Head::Detached(_) => new_refs.head = Head::Detached(id),
        }
        let first_line = commit.message.lines().next().unwrap_or("").to_string();
        self.update_refs(format!("commit {}: {}", id.short(12), first_line), new_refs)?;
        // The cache keeps the new HEAD's files, so that `status` need not read its trees.
        if let Ok(files) = super::status::flatten(self, Some(&tree)) {
            cache.set_head(id, std::sync::Arc::new(files));
        }
        let _ = cache.save(&self.stat_cache_path(), self.store()); // only a hint: a failure to write it costs speed, not data
        report.commit = Some(id);
        report.bytes_stored = self.store().written_bytes() - written_before;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn stat(path: &Path) -> FileStat {
        FileStat::of(&std::fs::symlink_metadata(path).unwrap())
    }

    #[test]
    fn a_read_file_must_be_as_judged_settled() {
        let dir = tempfile::tempdir().unwrap();
        let wt = dir.path();
        std::fs::write(wt.join("heard.wav"), b"settled").unwrap();
        std::fs::write(wt.join("other.txt"), b"old").unwrap();
        let read = vec![
            (PathBuf::from("heard.wav"), stat(&wt.join("heard.wav"))),
            (PathBuf::from("other.txt"), stat(&wt.join("other.txt"))),
        ];
        let judged = |quiet_since| Settled {
            files: BTreeMap::from([(PathBuf::from("heard.wav"), Some(read[0].1))]),
            quiet_since,
        };
        let later = SystemTime::now() + Duration::from_secs(5);
        let earlier = SystemTime::now() - Duration::from_secs(5);
        // As judged, and the file not heard of unchanged since before the quiet time.
        assert!(judged(later).unsettled(wt, &read, true).is_empty());
        // The file not heard of changed after the quiet time began: its event is on its way.
        assert_eq!(
            judged(earlier).unsettled(wt, &read, false),
            [PathBuf::from("other.txt")]
        );
        // The heard file was written again after it was judged: before reading (the walk saw the
        // new state) and after reading (it changed while being read).
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(wt.join("heard.wav"), b"rewrit").unwrap();
        assert!(judged(later).unsettled(wt, &read, false).is_empty());
        assert_eq!(
            judged(later).unsettled(wt, &read, true),
            [PathBuf::from("heard.wav")]
        );
        let walked_again = vec![(PathBuf::from("heard.wav"), stat(&wt.join("heard.wav")))];
        assert_eq!(
            judged(later).unsettled(wt, &walked_again, false),
            [PathBuf::from("heard.wav")]
        );
        // A file judged absent that is there.
        let absent = Settled {
            files: BTreeMap::from([(PathBuf::from("other.txt"), None)]),
            quiet_since: later,
        };
        assert_eq!(
            absent.unsettled(wt, &read[1..], false),
            [PathBuf::from("other.txt")]
        );
    }
}
