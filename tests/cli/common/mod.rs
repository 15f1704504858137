//! Shared helpers for the CLI tests: a fresh project folder per test, the `daw` binary run with a
//! cleared environment and pinned time, and file-tree hashing for byte-exact comparisons.

#![allow(dead_code)]

pub mod history;
pub mod s3;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub struct TestEnv {
    pub tmp: tempfile::TempDir,
    pub project: PathBuf,
    pub home: PathBuf,
    /// Extra environment for every command.
    pub env: Vec<(String, String)>,
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.status, 0,
            "command failed:\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            status: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Memory is bounded by design: every daw run through [`TestEnv::run`] stays below this peak RSS,
/// whatever the size of the files it handles.
pub const MAX_RSS_KIB: u64 = 100 * 1024;

static PEAK_RSS_KIB: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The highest peak RSS of any daw run so far through [`TestEnv::run`] in this test binary.
pub fn peak_daw_rss_kib() -> u64 {
    PEAK_RSS_KIB.load(std::sync::atomic::Ordering::SeqCst)
}

/// Like [`Command::output`], and also returns daw's own peak RSS in KiB, which daw reports at exit
/// through `DAW_PEAK_RSS_FILE` (0 if it did not get to report it). A parent's `wait4` figure cannot be
/// used: after fork and exec it includes the memory of the forked test process.
pub fn output_with_peak_rss(mut cmd: Command) -> (Output, u64) {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let report = std::env::temp_dir().join(format!("daw-test-rss-{}-{n}", std::process::id()));
    let out = cmd
        .env("DAW_PEAK_RSS_FILE", &report)
        .output()
        .expect("run daw");
    let peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let _ = std::fs::remove_file(&report);
    PEAK_RSS_KIB.fetch_max(peak, std::sync::atomic::Ordering::SeqCst);
    (out, peak)
}

pub fn daw_bin() -> &'static str {
    env!("CARGO_BIN_EXE_daw")
}

impl TestEnv {
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let project = tmp.path().join("My Project");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        Self {
            tmp,
            project,
            home,
            env: Vec::new(),
        }
    }

    /// A `daw` command in the project folder with a clean environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(daw_bin());
        c.args(args)
            .current_dir(&self.project)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("USER", "tester")
            .env("DAW_PASSPHRASE", PASSPHRASE)
            .env("DAW_TIMESTAMP", "1763800000")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            // No key agent unless a test asks for one (tests/cli/test_agent.rs): none is left running.
            .env("DAW_NO_AGENT", "1")
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Runs daw and checks its peak memory: no daw command in the tests may use [`MAX_RSS_KIB`].
    #[track_caller]
    pub fn run(&self, args: &[&str]) -> Run {
        let (out, peak_kib) = output_with_peak_rss(self.cmd(args));
        assert!(
            peak_kib < MAX_RSS_KIB,
            "daw {args:?} peaked at {peak_kib} KiB of memory"
        );
        out.into()
    }

    /// `daw init` with cheap key derivation (tests only).
    pub fn init(&self) -> Run {
        let r = self.run(&[
            "init",
            "--kdf-memory-kib",
            "256",
            "--kdf-iterations",
            "1",
            "--insecure-test-kdf",
        ]);
        r.ok();
        r
    }

    pub fn daw_dir(&self) -> PathBuf {
        self.project.join(".daw")
    }

    pub fn write(&self, rel: &str, data: &[u8]) {
        let p = self.project.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    /// Opens the repository through the library, for checks the CLI does not expose.
    pub fn open_repo(&self) -> daw::repo::Repository {
        let loc = daw::repo::Location::discover(&self.project, None).expect("discover");
        daw::repo::Repository::open(loc, PASSPHRASE.as_bytes()).expect("open")
    }
}

/// Every entry below `root` (except `.daw`) → a description that changes with any byte, mode or link.
pub fn tree_digest(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    use std::os::unix::fs::PermissionsExt;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel == ".daw" {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            out.insert(
                rel,
                format!("link -> {}", std::fs::read_link(&path).unwrap().display()),
            );
        } else if meta.is_dir() {
            out.insert(rel.clone(), "dir".into());
            walk(root, &path, out);
        } else {
            let mut h = blake3::Hasher::new();
            let mut f = std::fs::File::open(&path).unwrap();
            std::io::copy(&mut f, &mut h).unwrap();
            out.insert(
                rel,
                format!(
                    "file {:o} {} {}",
                    meta.permissions().mode() & 0o777,
                    meta.len(),
                    h.finalize()
                ),
            );
        }
    }
}

/// `../shared/corpus`, if present.
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/corpus not found; corpus tests skipped");
        None
    }
}

/// Deterministic pseudo-random bytes (xorshift), so tests need no extra crate.
pub fn pseudo_random(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(len);
    v
}

/// Copies a folder tree (files and folders).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

/// Every regular file below `root`, relative.
pub fn files_below(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push(e.path().strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}
