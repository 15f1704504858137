//! Writing committed files back to disk (`daw export`, and the building block of switch and restore).
//!
//! Every file is written to a temporary name beside its destination, checked against the whole-file
//! hash recorded at commit time, and only then renamed into place: a restore is byte-exact or it fails
//! loudly and leaves nothing half-written under the real name.

use std::fs::File;
use std::io::{self, BufRead, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::formats::gzip;
use crate::object::{EntryKind, FileStorage, ObjectId, TreeEntry};
use crate::platform::{self, names, names::Folding};
use crate::store::{BlobReader, ContentReader};
use crate::worktree::temp;

use super::snapshot::Progress;
use super::{RepoError, Repository, Result};

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExportReport {
    pub files: u64,
    pub bytes: u64,
}

/// Hashes what passes through, and turns runs of zeros into holes (sparse files stay sparse).
struct VerifyingWriter<'a> {
    file: &'a mut File,
    hasher: blake3::Hasher,
    written: u64,
    pending_hole: u64,
    /// Told the bytes of each write.
    progress: &'a dyn Fn(u64),
}

const HOLE_BLOCK: usize = 4096;

impl Write for VerifyingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hasher.update(buf);
        self.written += buf.len() as u64;
        // Runs of data blocks go out in one write each.
        let mut data = 0..0;
        let mut at = 0;
        while at < buf.len() {
            let n = (buf.len() - at).min(HOLE_BLOCK);
            let block = &buf[at..at + n];
            if n == HOLE_BLOCK && block.iter().all(|&b| b == 0) {
                self.file.write_all(&buf[data.clone()])?;
                self.pending_hole += n as u64;
                data = at + n..at + n;
            } else {
                if self.pending_hole > 0 {
                    self.file
                        .seek(SeekFrom::Current(self.pending_hole as i64))?;
                    self.pending_hole = 0;
                }
                data.end = at + n;
            }
            at += n;
        }
        self.file.write_all(&buf[data])?;
        (self.progress)(buf.len() as u64);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

fn system_time(secs: i64, nanos: u32) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::new(secs as u64, nanos)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
            + Duration::from_nanos(u64::from(nanos))
    }
}

/// What stops the files `written` (relative paths as trees store them, `/`-separated) from being
/// written as the commit names them, with `target` the paths of every file of the tree they come
/// from: a name Windows refuses (with `windows_rules`), and two paths of `target`, one of them
/// written or below a written folder, that a file system folding names as `folding` takes for one
/// (writing one would write over the other). One line per problem, in the order found.
pub(crate) fn unwritable_names(
    target: &[&[u8]],
    written: &[&[u8]],
    folding: Folding,
    windows_rules: bool,
) -> Vec<String> {
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut problems = Vec::new();
    if windows_rules {
        let mut named = std::collections::BTreeSet::new();
        for path in written {
            for (end, part) in parts_with_ends(path) {
                if let Some(why) = names::windows_name_problem(part)
                    && named.insert(&path[..end])
                {
                    problems.push(format!("{} {why}", show(&path[..end])));
                }
            }
        }
    }
    let touches = |a: &[u8]| {
        written.iter().any(|w| {
            w.starts_with(a) && (w.len() == a.len() || w[a.len()] == b'/')
                || a.starts_with(w) && a.get(w.len()) == Some(&b'/')
        })
    };
    for (a, b) in names::clashes(target.iter().copied(), folding) {
        if touches(&a) || touches(&b) {
            let what = match (
                names::same_name(
                    &a,
                    &b,
                    Folding {
                        case: true,
                        unicode: false,
                    },
                ),
                names::same_name(
                    &a,
                    &b,
                    Folding {
                        case: false,
                        unicode: true,
                    },
                ),
            ) {
                (true, _) => "capitals",
                (false, true) => "Unicode forms (an accent written as one character or as two)",
                (false, false) => "capitals and Unicode forms",
            };
            problems.push(format!(
                "{} and {} are one file here (this file system does not tell {what} apart)",
                show(&a),
                show(&b)
            ));
        }
    }
    problems
}

/// Each part of a `/`-separated path, with where it ends.
fn parts_with_ends(path: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    path.split(|&b| b == b'/').map(move |part| {
        let end = start + part.len();
        start = end + 1;
        (end, part)
    })
}

/// Refuses, before anything is written below `root`, to write files whose names this system cannot
/// hold as the commit has them ([`unwritable_names`]). The file system is probed
/// ([`platform::name_folding`]) only when two paths of `target` could be one somewhere.
pub(crate) fn refuse_unwritable_names(
    root: &Path,
    target: &[&[u8]],
    written: &[&[u8]],
) -> Result<()> {
    let folding = if names::clashes(target.iter().copied(), Folding::ALL).is_empty() {
        Folding::default()
    } else {
        let case_only = Folding {
            case: true,
            unicode: false,
        };
        let unicode = names::clashes(target.iter().copied(), Folding::ALL).len()
            != names::clashes(target.iter().copied(), case_only).len();
        platform::name_folding(root, temp::TEMP_PREFIX, unicode)
            .map_err(|e| RepoError::io(root, e))?
    };
    let problems = unwritable_names(target, written, folding, cfg!(windows));
    if problems.is_empty() {
        return Ok(());
    }
    Err(RepoError::Refused(format!(
        "nothing was written: this system cannot hold these files as the commit names them: {}; \
         rename them on a system that can (Linux), commit, and try again",
        problems.join("; ")
    )))
}

/// The prefix of an export's temporary files: not daw's checkout prefix, as an export holds no lock
/// and a commit removing stale checkout files (`worktree::temp::remove_stale_temp_files`) must not
/// take the files of an export into a folder of the project.
const EXPORT_TEMP_PREFIX: &str = ".daw-export-tmp-";

impl Repository {
    /// Writes the project as it was at `commit` into `dest`, which must be missing or empty.
    pub fn export(
        &self,
        commit: &ObjectId,
        dest: &Path,
        progress: &mut (dyn Progress + Send),
    ) -> Result<ExportReport> {
        if dest.exists() {
            let mut entries = std::fs::read_dir(dest).map_err(|e| RepoError::io(dest, e))?;
            if entries.next().is_some() {
                return Err(RepoError::Refused(format!(
                    "{} already exists and is not empty; export into a new folder",
                    dest.display()
                )));
            }
        }
        let created = !dest.exists();
        std::fs::create_dir_all(dest).map_err(|e| RepoError::io(dest, e))?;
        let c = self.read_commit(commit)?;
        // Names this system cannot hold as the commit has them: refused before anything is written.
        let files = super::status::flatten(self, Some(&c.tree))?;
        let paths: Vec<_> = files.keys().map(|p| platform::bytes_of_path(p)).collect();
        let paths: Vec<&[u8]> = paths.iter().map(|p| &**p).collect();
        if let Err(e) = refuse_unwritable_names(dest, &paths, &paths) {
            if created {
                let _ = std::fs::remove_dir(dest);
            }
            return Err(e);
        }
        let mut report = ExportReport::default();
        // Folders and symlinks first, in tree order; then the files, several at once; then each
        // folder's mode and time, each after those inside it (writing into a folder changes its time, and
        // its mode may forbid writing).
        let mut plan = ExportPlan::default();
        self.export_tree(&c.tree, dest, "", &mut plan, &mut report)?;
        let blobs = self.store().blobs()?;
        let total = plan.files.iter().map(|f| file_size(&f.0)).sum();
        let progress = WriteProgress::new(progress, total);
        let written = in_parallel(
            &plan.files,
            |f| Some(&f.0),
            |(entry, path, rel)| {
                write_file_with(blobs, entry, path, rel, EXPORT_TEMP_PREFIX, &|n| {
                    progress.advance(n)
                })
            },
        )?;
        report.files += written.len() as u64;
        report.bytes += written.iter().sum::<u64>();
        for (path, mode) in &plan.dirs {
            platform::set_mode(path, *mode).map_err(|e| RepoError::io(path, e))?;
            if let Ok(f) = File::open(path) {
                let _ = f.set_modified(system_time(c.author.time, 0));
            }
        }
        Ok(report)
    }

    /// Makes the folders and symlinks of `tree` below `dir`, and lists its files and folders in `plan`.
    fn export_tree(
        &self,
        tree: &ObjectId,
        dir: &Path,
        rel: &str,
        plan: &mut ExportPlan,
        report: &mut ExportReport,
    ) -> Result<()> {
        let tree = self.read_tree(tree)?;
        for entry in tree.entries {
            let name = platform::os_str(&entry.name);
            let path = dir.join(&name);
            let rel_child = if rel.is_empty() {
                name.to_string_lossy().into_owned()
            } else {
                format!("{rel}/{}", name.to_string_lossy())
            };
            match &entry.kind {
                EntryKind::Dir { tree } => {
                    std::fs::create_dir_all(&path).map_err(|e| RepoError::io(&path, e))?;
                    self.export_tree(tree, &path, &rel_child, plan, report)?;
                    plan.dirs.push((path, entry.mode));
                }
                EntryKind::File { .. } => plan.files.push((entry, path, rel_child)),
                EntryKind::Symlink { target } => {
                    platform::symlink(target, &path).map_err(|e| RepoError::io(&path, e))?;
                    platform::set_symlink_mtime(&path, entry.mtime_secs, entry.mtime_nanos);
                    report.files += 1;
                }
            }
        }
        Ok(())
    }

    /// Writes one committed file of the project to `path` (replacing what is there only once the bytes
    /// are verified), through a temporary file named as `worktree::temp::is_temp_name` knows: call it
    /// only while holding the repository lock, under which a killed daw's leftovers are removed.
    pub fn write_file(&self, entry: &TreeEntry, path: &Path, rel: &str) -> Result<u64> {
        write_file_with(
            self.store().blobs()?,
            entry,
            path,
            rel,
            temp::TEMP_PREFIX,
            &|_| {},
        )
    }
}

/// What an export makes after walking the tree: the files to write (entry, path, name for messages),
/// and the folders (path, mode) in the order the walk left them (each after those inside it).
#[derive(Default)]
struct ExportPlan {
    files: Vec<(TreeEntry, PathBuf, String)>,
    dirs: Vec<(PathBuf, u32)>,
}

/// A [`Progress`] that the writer threads share: each tells it the bytes it wrote.
pub(crate) struct WriteProgress<'a>(Mutex<&'a mut (dyn Progress + Send)>);

impl<'a> WriteProgress<'a> {
    /// Starts `progress` at `total_bytes` to write.
    pub(crate) fn new(progress: &'a mut (dyn Progress + Send), total_bytes: u64) -> Self {
        progress.start(total_bytes);
        Self(Mutex::new(progress))
    }

    pub(crate) fn advance(&self, bytes: u64) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .advance(bytes);
    }
}

/// The bytes a tree entry's file holds (0 for folders and symlinks).
pub(crate) fn file_size(entry: &TreeEntry) -> u64 {
    match &entry.kind {
        EntryKind::File { size, .. } => *size,
        _ => 0,
    }
}

/// At most this many files are written at once.
const MAX_WRITERS: usize = 4;

/// Runs `write` for every item on a few threads (one per core, at least two so that a slow file, a Live
/// set rebuilt byte-exact, never holds up the others; at most [`MAX_WRITERS`]), the slowest to write
/// first by their tree `entry`: Live sets, then the largest files. Returns what each returned, in the items' order. When one fails no other is
/// started, and the error returned is that of the first failing item in their order. Each writer holds
/// one file's buffers: memory stays bounded.
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    entry: impl Fn(&T) -> Option<&TreeEntry>,
    write: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(entry(&items[i]).map_or(0, write_cost)));
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, MAX_WRITERS)
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(&write).collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Vec<Mutex<Option<Result<R>>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let result = write(&items[i]);
                    if result.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    let mut out = Vec::with_capacity(items.len());
    let mut first_error = None;
    for slot in results {
        match slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok(r)) => out.push(r),
            Some(Err(e)) => {
                first_error = Some(e);
                break;
            }
            // Not started, after another failed: that one's error comes later in the order.
            None => {}
        }
    }
    match first_error {
        Some(e) => Err(e),
        None if out.len() == items.len() => Ok(out),
        None => unreachable!("an item is left unwritten only after another failed"),
    }
}

/// How long a file takes to write, roughly: a gzip file rebuilt byte-exact (its payload re-compressed)
/// costs several times its size in media.
fn write_cost(entry: &TreeEntry) -> u64 {
    match &entry.kind {
        EntryKind::File {
            storage: FileStorage::GzipPayload { payload, .. },
            ..
        } => payload.size.saturating_mul(8),
        EntryKind::File { size, .. } => *size,
        _ => 0,
    }
}

/// Writes one committed file to `path` through a temporary file whose name starts with `temp_prefix`,
/// reading its content through `blobs` and telling `progress` the bytes it writes; see
/// [`Repository::write_file`].
pub(crate) fn write_file_with(
    blobs: BlobReader<'_>,
    entry: &TreeEntry,
    path: &Path,
    rel: &str,
    temp_prefix: &str,
    progress: &dyn Fn(u64),
) -> Result<u64> {
    let EntryKind::File {
        size,
        hash,
        storage,
    } = &entry.kind
    else {
        return Err(RepoError::Refused(format!("{rel} is not a file")));
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(temp_prefix)
        .rand_bytes(6)
        .tempfile_in(dir)
        .map_err(|e| RepoError::io(dir, e))?;
    let mismatch = |detail: String| RepoError::Mismatch {
        path: rel.to_string(),
        detail,
    };
    let (written, digest) = {
        let mut w = VerifyingWriter {
            file: tmp.as_file_mut(),
            hasher: blobs.keys().hasher(),
            written: 0,
            pending_hole: 0,
            progress,
        };
        match storage {
            FileStorage::Raw(content) => {
                // A chunk at a time, straight from the reader's buffer.
                let mut reader = ContentReader::new(blobs, content);
                loop {
                    let chunk = reader.fill_buf().map_err(|e| mismatch(e.to_string()))?;
                    if chunk.is_empty() {
                        break;
                    }
                    let n = chunk.len();
                    w.write_all(chunk).map_err(|e| mismatch(e.to_string()))?;
                    reader.consume(n);
                }
            }
            FileStorage::GzipPayload { layout, payload } => {
                let layout =
                    gzip::GzipLayout::decode(layout).map_err(|e| mismatch(e.to_string()))?;
                let reader = ContentReader::new(blobs, payload);
                // An I/O error here is usually the store's (a blob that failed authentication):
                // name it, not just "gzip data".
                gzip::rebuild(&layout, reader, &mut w).map_err(|e| match e {
                    gzip::GzipError::Io(io) => mismatch(io.to_string()),
                    e => mismatch(e.to_string()),
                })?;
            }
        }
        let (written, hole) = (w.written, w.pending_hole);
        let digest = w.hasher.finalize();
        if hole > 0 {
            tmp.as_file_mut()
                .set_len(written)
                .map_err(|e| RepoError::io(path, e))?;
        }
        (written, digest)
    };
    if written != *size {
        return Err(mismatch(format!("{written} bytes instead of {size}")));
    }
    if digest.as_bytes() != hash.as_bytes() {
        return Err(mismatch("content hash differs".into()));
    }
    let file = tmp.as_file();
    platform::set_file_mode(file, entry.mode).map_err(|e| RepoError::io(path, e))?;
    file.set_modified(system_time(entry.mtime_secs, entry.mtime_nanos))
        .map_err(|e| RepoError::io(path, e))?;
    // Renamed into place; a file the DAW holds open (Windows) is waited for, for a while.
    platform::replace(tmp, path).map_err(|e| RepoError::io(path, e))?;
    Ok(written)
}

// The parallel writer's promises: results in the items' order, and the error of the first failing item.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_system_cannot_hold_are_named_before_writing() {
        let target: Vec<&[u8]> = vec![
            b"Drums/Kick.wav",
            b"Drums/kick.wav",
            b"Loops/a.wav",
            b"loops/b.wav",
            b"Mix/CON.wav",
            b"Song.als",
        ];
        // Linux: everything can be written.
        assert!(unwritable_names(&target, &target, Folding::default(), false).is_empty());
        // A file system that folds case: each clash once, when one of its files is written.
        let problems = unwritable_names(&target, &target, Folding::ALL, false);
        assert_eq!(
            problems,
            [
                "Drums/Kick.wav and Drums/kick.wav are one file here (this file system does not \
                 tell capitals apart)",
                "Loops and loops are one file here (this file system does not tell capitals apart)",
            ]
        );
        // Writing only Song.als touches neither clash.
        assert!(unwritable_names(&target, &[b"Song.als"], Folding::ALL, false).is_empty());
        // Writing only loops/b.wav touches the folders' clash.
        assert_eq!(
            unwritable_names(&target, &[b"loops/b.wav"], Folding::ALL, false).len(),
            1
        );
        // Windows' rules, for the files written only.
        assert_eq!(
            unwritable_names(
                &target,
                &[b"Mix/CON.wav", b"Song.als"],
                Folding::default(),
                true
            ),
            ["Mix/CON.wav is a device name on Windows"]
        );
        assert_eq!(
            unwritable_names(
                &[b"Take 2./a.wav"],
                &[b"Take 2./a.wav"],
                Folding::default(),
                true
            ),
            ["Take 2. ends with a dot or a space"]
        );
        // Two Unicode forms of one name.
        let nfc = "Caf\u{e9}.als".as_bytes();
        let nfd = "Cafe\u{301}.als".as_bytes();
        let unicode = Folding {
            case: false,
            unicode: true,
        };
        assert_eq!(
            unwritable_names(&[nfc, nfd], &[nfd], unicode, false),
            [
                "Caf\u{e9}.als and Cafe\u{301}.als are one file here (this file system does not \
              tell Unicode forms (an accent written as one character or as two) apart)"
            ]
        );
    }

    #[test]
    fn a_system_that_tells_every_name_apart_refuses_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let target: Vec<&[u8]> = vec![b"Kick.wav", b"kick.wav"];
        let result = refuse_unwritable_names(tmp.path(), &target, &target);
        if cfg!(target_os = "linux") {
            result.unwrap();
        } else {
            let e = result.unwrap_err().to_string();
            assert!(e.contains("Kick.wav and kick.wav are one file here"), "{e}");
        }
        // The probe left nothing behind.
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn parallel_writes_report_in_order_and_name_the_first_failure() {
        let items: Vec<u64> = (0..40).collect();
        let doubled = in_parallel(&items, |_| None, |&i| Ok(i * 2)).expect("no failure");
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());

        // Item 3 is slow and fails; item 7 fails at once, while 3 is still running.
        let failing = |&i: &u64| -> Result<u64> {
            if i == 3 {
                std::thread::sleep(Duration::from_millis(50));
            }
            if i == 3 || i == 7 {
                return Err(RepoError::Refused(format!("item {i}")));
            }
            Ok(i)
        };
        match in_parallel(&items, |_| None, failing) {
            Err(RepoError::Refused(m)) => assert_eq!(m, "item 3"),
            other => panic!("expected item 3's error, got {:?}", other.map(|v| v.len())),
        }
    }
}
