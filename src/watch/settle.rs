//! When a save has settled: the state machine between a project's file events and its next
//! autosave.
//!
//! The rules (docs: README "Watching a project"):
//! - Every path an event names is fingerprinted (its `lstat`: size, mtime, ctime, inode, or its
//!   absence) when the event is heard. A save has settled when no event has come for the debounce
//!   time and every fingerprint is still the same: each file stayed unchanged for the whole debounce
//!   time. A DAW writing a file in pieces keeps making events, and so keeps pushing the settle back.
//! - A settled file must also be complete by its own account, which catches a writer that paused
//!   longer than the debounce time: a gzip file (a Live set) must inflate to the end of its stream
//!   with the CRC-32 and length of its trailer right; an FL Studio project must hold all of the data
//!   chunk its header announces; a RIFF (WAV) or FORM (AIFF) recording all of the bytes its header
//!   counts (while recording, DAWs leave the count short until they stop).
//! - A file that is not complete stops the autosave: nothing is committed until an event says the
//!   file changed again, and then the whole rule applies anew. A file is never committed torn.
//! - When the OS lost events, every file of the project is fingerprinted ([`Settle::heard_all`]).

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::formats::gzip::Inflater;
use crate::repo::snapshot::Settled;
use crate::worktree::fsutil;
use crate::worktree::ignore::{Ignores, is_path_ignored};
use crate::worktree::stat::FileStat;
use crate::worktree::walk::{Found, walk};

/// What is known of a path: its `lstat`, `None` when it does not exist.
type Fingerprint = Option<FileStat>;

/// What to do next with a project's pending changes.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing pending, or waiting for an incomplete file to change: wait for events.
    Idle,
    /// Changes are pending: look again at this instant (unless an event comes first).
    WaitUntil(Instant),
    /// Every file heard of has stayed the same for the debounce time and is complete: commit now.
    Settled,
    /// Sizes and times settled, but these files are not complete (path, why); nothing is committed
    /// until one of the pending files changes again.
    Incomplete(Vec<(PathBuf, String)>),
}

/// The settle state of one project.
pub struct Settle {
    work_tree: PathBuf,
    daw_dir: PathBuf,
    debounce: Duration,
    /// Paths (relative to the work tree) changed since the last commit, with their fingerprint
    /// when last looked at.
    pending: BTreeMap<PathBuf, Fingerprint>,
    /// Since when nothing has changed; `None` when nothing is pending or an incomplete file is
    /// awaited.
    quiet_since: Option<Instant>,
}

impl Settle {
    pub fn new(work_tree: PathBuf, daw_dir: PathBuf, debounce: Duration) -> Self {
        Self {
            work_tree,
            daw_dir,
            debounce,
            pending: BTreeMap::new(),
            quiet_since: None,
        }
    }

    pub fn work_tree(&self) -> &Path {
        &self.work_tree
    }

    /// The path relative to the project if an event at `abs` concerns it: inside the work tree,
    /// not in the repository folder, not left out by the ignore rules.
    pub fn relevant(&self, abs: &Path) -> Option<PathBuf> {
        if abs.starts_with(&self.daw_dir) {
            return None;
        }
        let rel = abs.strip_prefix(&self.work_tree).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        let is_dir = std::fs::symlink_metadata(abs).is_ok_and(|m| m.is_dir());
        // A rule that cannot be read (an unreadable .dawignore) leaves the path in: the commit
        // decides, as it does for every file.
        match is_path_ignored(&self.work_tree, rel, is_dir) {
            Ok(true) => None,
            _ => Some(rel.to_path_buf()),
        }
    }

    /// An event named `rel` (relative to the work tree) at `now`. A folder brings every file below
    /// it: files created in a new folder before the OS watched it made no event of their own.
    pub fn heard(&mut self, rel: PathBuf, now: Instant) {
        let fp = self.fingerprint(&rel);
        if fp.is_some_and(|s| s.is_dir()) {
            let mut total = 0;
            let found = walk(
                &self.work_tree,
                &rel,
                &Ignores::new(),
                &self.daw_dir,
                &mut total,
            );
            let mut files = Vec::new();
            flatten(&rel, found, &mut files);
            for (file, stat) in files {
                if self.relevant(&self.work_tree.join(&file)).is_some() {
                    self.pending.insert(file, stat);
                }
            }
        }
        self.pending.insert(rel, fp);
        self.quiet_since = Some(now);
    }

    /// Events were lost (or watching starts): every file of the project is pending.
    pub fn heard_all(&mut self, now: Instant) {
        let mut total = 0;
        let found = walk(
            &self.work_tree,
            Path::new(""),
            &Ignores::new(),
            &self.daw_dir,
            &mut total,
        );
        let mut files = Vec::new();
        flatten(Path::new(""), found, &mut files);
        for (rel, stat) in files {
            self.pending.insert(rel, stat);
        }
        self.quiet_since = Some(now);
    }

    /// Whether changes are waiting to be committed.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// When to look again, if changes are pending and no incomplete file is awaited.
    pub fn deadline(&self) -> Option<Instant> {
        match self.quiet_since {
            Some(since) if !self.pending.is_empty() => Some(since + self.debounce),
            _ => None,
        }
    }

    /// Looks at the pending files at `now` (see the module's rules).
    pub fn check(&mut self, now: Instant) -> Verdict {
        if self.pending.is_empty() {
            return Verdict::Idle;
        }
        let Some(since) = self.quiet_since else {
            return Verdict::Idle;
        };
        if now < since + self.debounce {
            return Verdict::WaitUntil(since + self.debounce);
        }
        if self.refresh() {
            self.quiet_since = Some(now);
            return Verdict::WaitUntil(now + self.debounce);
        }
        let mut incomplete = Vec::new();
        for (rel, fp) in &self.pending {
            if fp.is_some_and(|s| s.is_file())
                && let Err(why) = check_complete(&self.work_tree.join(rel))
            {
                incomplete.push((rel.clone(), why));
            }
        }
        // A file that changed while it was being checked is not settled.
        if self.refresh() {
            self.quiet_since = Some(now);
            return Verdict::WaitUntil(now + self.debounce);
        }
        if !incomplete.is_empty() {
            self.quiet_since = None;
            return Verdict::Incomplete(incomplete);
        }
        Verdict::Settled
    }

    /// What was judged settled, for the commit to hold the files to (`repo::snapshot::Settled`):
    /// call it right after [`Settle::check`] said [`Verdict::Settled`].
    pub fn settled(&self) -> Settled {
        let quiet_for = self
            .quiet_since
            .map_or(Duration::ZERO, |since| since.elapsed());
        Settled {
            files: self.pending.clone(),
            quiet_since: SystemTime::now()
                .checked_sub(quiet_for)
                .unwrap_or(SystemTime::UNIX_EPOCH),
        }
    }

    /// The settled changes were committed (or found to change nothing): nothing is pending.
    pub fn committed(&mut self) {
        self.pending.clear();
        self.quiet_since = None;
    }

    /// The commit could not be made now (the repository is busy, an error): look again after the
    /// debounce time, from `now`.
    pub fn retry_later(&mut self, now: Instant) {
        if !self.pending.is_empty() {
            self.quiet_since = Some(now);
        }
    }

    /// Re-takes every pending fingerprint; `true` if one differs from what was recorded.
    fn refresh(&mut self) -> bool {
        let mut changed = false;
        let work_tree = &self.work_tree;
        for (rel, fp) in self.pending.iter_mut() {
            let now = lstat(&work_tree.join(rel));
            if now != *fp {
                *fp = now;
                changed = true;
            }
        }
        changed
    }

    fn fingerprint(&self, rel: &Path) -> Fingerprint {
        lstat(&self.work_tree.join(rel))
    }
}

fn lstat(path: &Path) -> Fingerprint {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| FileStat::of(&m))
}

fn flatten(rel: &Path, found: Found, out: &mut Vec<(PathBuf, Fingerprint)>) {
    match found {
        Found::Dir(_, children, _) => {
            for (name, child) in children {
                let name = crate::platform::os_str(&name);
                flatten(&rel.join(name), child, out);
            }
        }
        Found::File(stat) | Found::Symlink(stat, _) => out.push((rel.to_path_buf(), Some(stat))),
        Found::Unreadable(_) | Found::Special => {}
    }
}

/// `Ok` when the file at `path` is complete by its own account (see the module's rules), or is of
/// a kind that says nothing about its own length; `Err(why)` when it stops short.
pub fn check_complete(path: &Path) -> Result<(), String> {
    let mut file = match fsutil::open_no_follow(path) {
        Ok(f) => f,
        // Gone or unreadable since it was heard of: the commit will say so, or not see it.
        Err(_) => return Ok(()),
    };
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut head = [0u8; 16];
    let n = read_up_to(&mut file, &mut head).map_err(|e| e.to_string())?;
    let head = &head[..n];
    // A project file truncated for an in-place rewrite, not written yet: a Live set is a gzip
    // stream (at least 18 bytes), an FL Studio project at least its two chunk headers (22 bytes).
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase());
    let minimum = match name.as_deref() {
        Some(n) if n.ends_with(".als") => 18,
        Some(n) if n.ends_with(".flp") => 22,
        _ => 0,
    };
    if len < minimum {
        return Err(format!(
            "{len} bytes: too short for a project file (being rewritten?)"
        ));
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut all = io::Cursor::new(head.to_vec()).chain(file);
        let mut inflater = Inflater::new(&mut all).map_err(|e| format!("gzip: {e}"))?;
        io::copy(&mut inflater, &mut io::sink()).map_err(|e| format!("gzip: {e}"))?;
        return Ok(());
    }
    let u32_le = |b: &[u8]| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let u32_be = |b: &[u8]| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    if head.len() >= 8 && (head.starts_with(b"RIFF") || head.starts_with(b"FORM")) {
        let size = if head.starts_with(b"RIFF") {
            u32_le(&head[4..8])
        } else {
            u32_be(&head[4..8])
        };
        if 8 + size > len {
            return Err(format!(
                "its header counts {} bytes, the file has {len} (still being recorded?)",
                8 + size
            ));
        }
        return Ok(());
    }
    if head.len() >= 8 && head.starts_with(b"FLhd") {
        // "FLhd" u32 header length, the header, then "FLdt" u32 data length and the data.
        let data_at = 8 + u32_le(&head[4..8]);
        let mut dt = [0u8; 8];
        file.seek_to(data_at).map_err(|e| e.to_string())?;
        if read_up_to(&mut file, &mut dt).map_err(|e| e.to_string())? < 8 || &dt[..4] != b"FLdt" {
            return Err("the FL Studio data chunk has not been written yet".into());
        }
        let end = data_at + 8 + u32_le(&dt[4..8]);
        if end > len {
            return Err(format!(
                "its header announces {end} bytes, the file has {len}"
            ));
        }
    }
    Ok(())
}

trait SeekTo {
    fn seek_to(&mut self, at: u64) -> io::Result<()>;
}

impl SeekTo for std::fs::File {
    fn seek_to(&mut self, at: u64) -> io::Result<()> {
        use std::io::Seek;
        self.seek(io::SeekFrom::Start(at)).map(|_| ())
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn a_gzip_cut_anywhere_is_incomplete_and_whole_it_is_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Song.als");
        let xml: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("<T i=\"{i}\"/>").into_bytes())
            .collect();
        let gz = gzip(&xml);
        std::fs::write(&path, &gz).unwrap();
        assert_eq!(check_complete(&path), Ok(()));
        for cut in [gz.len() / 3, gz.len() - 8, gz.len() - 1] {
            std::fs::write(&path, &gz[..cut]).unwrap();
            assert!(
                check_complete(&path).is_err(),
                "cut at {cut} of {}",
                gz.len()
            );
        }
        // A damaged trailer (wrong CRC) is not a complete stream either.
        let mut bad = gz.clone();
        let n = bad.len();
        bad[n - 6] ^= 0xff;
        std::fs::write(&path, &bad).unwrap();
        assert!(check_complete(&path).is_err());
    }

    #[test]
    fn riff_and_flp_lengths_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Rec.wav");
        let mut wav = b"RIFF".to_vec();
        wav.extend_from_slice(&100u32.to_le_bytes());
        wav.extend_from_slice(b"WAVE");
        wav.resize(108, 0);
        std::fs::write(&path, &wav).unwrap();
        assert_eq!(check_complete(&path), Ok(()));
        std::fs::write(&path, &wav[..60]).unwrap();
        assert!(check_complete(&path).unwrap_err().contains("recorded"));

        let path = dir.path().join("Song.flp");
        let mut flp = b"FLhd".to_vec();
        flp.extend_from_slice(&6u32.to_le_bytes());
        flp.extend_from_slice(&[0, 0, 1, 0, 96, 0]);
        flp.extend_from_slice(b"FLdt");
        flp.extend_from_slice(&10u32.to_le_bytes());
        flp.extend_from_slice(&[7; 10]);
        std::fs::write(&path, &flp).unwrap();
        assert_eq!(check_complete(&path), Ok(()));
        std::fs::write(&path, &flp[..flp.len() - 3]).unwrap();
        assert!(check_complete(&path).is_err());
        std::fs::write(&path, &flp[..12]).unwrap();
        assert!(check_complete(&path).is_err());
        // Truncated for an in-place rewrite, nothing written yet.
        std::fs::write(&path, b"").unwrap();
        assert!(check_complete(&path).is_err());
        std::fs::write(dir.path().join("Song.als"), b"").unwrap();
        assert!(check_complete(&dir.path().join("Song.als")).is_err());
        std::fs::write(dir.path().join("notes.txt"), b"").unwrap();
        assert_eq!(check_complete(&dir.path().join("notes.txt")), Ok(()));
    }

    #[test]
    fn a_save_settles_only_after_a_quiet_debounce_with_nothing_changed() {
        let dir = tempfile::tempdir().unwrap();
        let wt = dir.path().to_path_buf();
        std::fs::create_dir(wt.join(".daw")).unwrap();
        let debounce = Duration::from_millis(100);
        let mut s = Settle::new(wt.clone(), wt.join(".daw"), debounce);
        let t0 = Instant::now();
        assert_eq!(s.check(t0), Verdict::Idle);
        std::fs::write(wt.join("a.txt"), b"one").unwrap();
        s.heard("a.txt".into(), t0);
        assert_eq!(s.check(t0), Verdict::WaitUntil(t0 + debounce));
        // The file changed without an event reaching us: the quiet time starts again.
        std::fs::write(wt.join("a.txt"), b"one two").unwrap();
        let t1 = t0 + debounce;
        assert_eq!(s.check(t1), Verdict::WaitUntil(t1 + debounce));
        assert_eq!(s.check(t1 + debounce), Verdict::Settled);
        s.committed();
        assert_eq!(s.check(t1 + debounce * 3), Verdict::Idle);
        // An incomplete gzip blocks until the next event.
        std::fs::write(wt.join("Song.als"), &gzip(b"<Ableton/>")[..12]).unwrap();
        s.heard("Song.als".into(), t1);
        assert!(
            matches!(s.check(t1 + debounce), Verdict::Incomplete(ref v) if v[0].0 == Path::new("Song.als"))
        );
        assert_eq!(s.deadline(), None);
        assert_eq!(s.check(t1 + debounce * 9), Verdict::Idle);
        std::fs::write(wt.join("Song.als"), gzip(b"<Ableton/>")).unwrap();
        let t2 = t1 + debounce * 10;
        s.heard("Song.als".into(), t2);
        assert_eq!(s.check(t2 + debounce), Verdict::Settled);
        // Events inside .daw and ignored files do not concern the project.
        assert_eq!(s.relevant(&wt.join(".daw/lock")), None);
        assert_eq!(s.relevant(&wt.join(".DS_Store")), None);
        assert_eq!(s.relevant(&wt.join("a.txt")), Some(PathBuf::from("a.txt")));
    }
}
