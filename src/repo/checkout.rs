//! Writing committed files back to disk (`daw export`, and the building block of switch and restore).
//!
//! Every file is written to a temporary name beside its destination, checked against the whole-file
//! hash recorded at commit time, and only then renamed into place: a restore is byte-exact or it fails
//! loudly and leaves nothing half-written under the real name.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::formats::gzip;
use crate::object::{EntryKind, FileStorage, ObjectId, TreeEntry};
use crate::store::ContentReader;
use crate::worktree::temp;

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
}

const HOLE_BLOCK: usize = 4096;

impl Write for VerifyingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hasher.update(buf);
        self.written += buf.len() as u64;
        let mut rest = buf;
        while !rest.is_empty() {
            let n = rest.len().min(HOLE_BLOCK);
            let (block, tail) = rest.split_at(n);
            if n == HOLE_BLOCK && block.iter().all(|&b| b == 0) {
                self.pending_hole += n as u64;
            } else {
                if self.pending_hole > 0 {
                    self.file
                        .seek(SeekFrom::Current(self.pending_hole as i64))?;
                    self.pending_hole = 0;
                }
                self.file.write_all(block)?;
            }
            rest = tail;
        }
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

fn set_symlink_mtime(path: &Path, secs: i64, nanos: u32) {
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return;
    };
    let t = libc::timespec {
        tv_sec: secs as libc::time_t,
        tv_nsec: nanos as libc::c_long,
    };
    let times = [t, t];
    // SAFETY: `c` is a valid NUL-terminated path and `times` points at two initialised timespecs.
    unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            c.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        );
    }
}

/// The prefix of an export's temporary files: not daw's checkout prefix, as an export holds no lock
/// and a commit removing stale checkout files (`worktree::temp::remove_stale_temp_files`) must not
/// take the files of an export into a folder of the project.
const EXPORT_TEMP_PREFIX: &str = ".daw-export-tmp-";

impl Repository {
    /// Writes the project as it was at `commit` into `dest`, which must be missing or empty.
    pub fn export(&self, commit: &ObjectId, dest: &Path) -> Result<ExportReport> {
        if dest.exists() {
            let mut entries = std::fs::read_dir(dest).map_err(|e| RepoError::io(dest, e))?;
            if entries.next().is_some() {
                return Err(RepoError::Refused(format!(
                    "{} already exists and is not empty; export into a new folder",
                    dest.display()
                )));
            }
        }
        std::fs::create_dir_all(dest).map_err(|e| RepoError::io(dest, e))?;
        let c = self.read_commit(commit)?;
        let mut report = ExportReport::default();
        self.export_tree(&c.tree, dest, "", c.author.time, &mut report)?;
        Ok(report)
    }

    fn export_tree(
        &self,
        tree: &ObjectId,
        dir: &Path,
        rel: &str,
        time: i64,
        report: &mut ExportReport,
    ) -> Result<()> {
        let tree = self.read_tree(tree)?;
        for entry in &tree.entries {
            let name = std::ffi::OsStr::from_bytes(&entry.name);
            let path = dir.join(name);
            let rel_child = if rel.is_empty() {
                name.to_string_lossy().into_owned()
            } else {
                format!("{rel}/{}", name.to_string_lossy())
            };
            match &entry.kind {
                EntryKind::Dir { tree } => {
                    std::fs::create_dir_all(&path).map_err(|e| RepoError::io(&path, e))?;
                    self.export_tree(tree, &path, &rel_child, time, report)?;
                    let perms = std::fs::Permissions::from_mode(entry.mode & 0o7777);
                    std::fs::set_permissions(&path, perms).map_err(|e| RepoError::io(&path, e))?;
                    if let Ok(f) = File::open(&path) {
                        let _ = f.set_modified(system_time(time, 0));
                    }
                }
                EntryKind::File { .. } => {
                    report.bytes +=
                        self.write_file_through(entry, &path, &rel_child, EXPORT_TEMP_PREFIX)?;
                    report.files += 1;
                }
                EntryKind::Symlink { target } => {
                    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), &path)
                        .map_err(|e| RepoError::io(&path, e))?;
                    set_symlink_mtime(&path, entry.mtime_secs, entry.mtime_nanos);
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
        self.write_file_through(entry, path, rel, temp::TEMP_PREFIX)
    }

    /// [`Repository::write_file`] through a temporary file whose name starts with `temp_prefix`.
    fn write_file_through(
        &self,
        entry: &TreeEntry,
        path: &Path,
        rel: &str,
        temp_prefix: &str,
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
                hasher: self.store().keys().hasher(),
                written: 0,
                pending_hole: 0,
            };
            match storage {
                FileStorage::Raw(content) => {
                    let mut reader = ContentReader::new(self.store(), content);
                    io::copy(&mut reader, &mut w).map_err(|e| mismatch(e.to_string()))?;
                }
                FileStorage::GzipPayload { layout, payload } => {
                    let layout =
                        gzip::GzipLayout::decode(layout).map_err(|e| mismatch(e.to_string()))?;
                    let reader = ContentReader::new(self.store(), payload);
                    // An I/O error here is usually the store's (a blob that failed
                    // authentication): name it, not just "gzip data".
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
        file.set_permissions(std::fs::Permissions::from_mode(entry.mode & 0o7777))
            .map_err(|e| RepoError::io(path, e))?;
        file.set_modified(system_time(entry.mtime_secs, entry.mtime_nanos))
            .map_err(|e| RepoError::io(path, e))?;
        tmp.persist(path)
            .map_err(|e| RepoError::io(path, e.error))?;
        Ok(written)
    }
}
