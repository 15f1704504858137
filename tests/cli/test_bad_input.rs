//! Awkward files: unreadable ones, files that change while being committed, symlinks, empty files,
//! Unicode and spaces in names, large sparse files, FIFOs. Each is stored correctly or skipped with a
//! warning naming it, and nothing else in the commit is lost.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::process::Command;

use crate::common::{Run, TestEnv, pseudo_random, tree_digest};

#[test]
fn symlinks_empty_files_and_odd_names_round_trip() {
    let env = TestEnv::new();
    env.write(
        "Samples/Bass – Take 1 (ünïcödé).wav",
        &pseudo_random(1, 70_000),
    );
    env.write("名前のないセット.als", b"plain");
    env.write("with  two  spaces .txt", b"spaces");
    env.write("empty.txt", b"");
    env.write("Empty Folder/.keep", b"");
    std::fs::create_dir_all(env.project.join("Really Empty")).unwrap();
    env.write("script.sh", b"#!/bin/sh\necho hi\n");
    std::fs::set_permissions(
        env.project.join("script.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    symlink(
        "Samples/Bass – Take 1 (ünïcödé).wav",
        env.project.join("link to bass"),
    )
    .unwrap();
    symlink("/nonexistent/dangling target", env.project.join("dangling")).unwrap();
    symlink("Samples", env.project.join("link to folder")).unwrap();
    env.init();
    let c = env.run(&["commit", "-m", "odd names"]);
    c.ok();
    assert!(c.stderr.is_empty(), "unexpected warnings: {}", c.stderr);
    let out = env.tmp.path().join("out");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&env.project), tree_digest(&out));
    assert!(
        std::fs::symlink_metadata(out.join("dangling"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // The symlinked folder is a link, not a copy.
    assert!(
        std::fs::symlink_metadata(out.join("link to folder"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_large_sparse_file_is_stored_and_restored_sparse() {
    let env = TestEnv::new();
    let path = env.project.join("Freeze.wav");
    let f = std::fs::File::create(&path).unwrap();
    let size: u64 = 3 << 30;
    f.set_len(size).unwrap();
    drop(f);
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::File::options().write(true).open(&path).unwrap();
        f.write_all(b"RIFF header").unwrap();
        f.seek(SeekFrom::Start(size - 5)).unwrap();
        f.write_all(b"tail!").unwrap();
    }
    env.write("Song.txt", b"song");
    env.init();
    env.run(&["commit", "-m", "sparse"]).ok();
    let du = crate::common::files_below(&env.daw_dir())
        .iter()
        .map(|f| std::fs::metadata(env.daw_dir().join(f)).unwrap().len())
        .sum::<u64>();
    assert!(du < 10 << 20, "3 GiB of zeros took {du} bytes");
    let out = env.tmp.path().join("out");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&env.project), tree_digest(&out));
    use std::os::unix::fs::MetadataExt;
    let blocks = std::fs::metadata(out.join("Freeze.wav")).unwrap().blocks();
    assert!(
        blocks * 512 < 64 << 20,
        "restored file is not sparse ({blocks} blocks)"
    );
    // Memory is bounded by design: no daw run by this test binary so far (the commit and export of
    // this 3 GiB file included) has used 100 MB.
    let peak_kib = crate::common::peak_daw_rss_kib();
    assert!(
        peak_kib < 100 * 1024,
        "a daw command peaked at {peak_kib} KiB"
    );
}

#[test]
fn fifos_are_skipped_with_a_warning_naming_them() {
    let env = TestEnv::new();
    env.write("Song.txt", b"song");
    let fifo = env.project.join("a pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    env.init();
    let r = env.run(&["commit", "-m", "with fifo"]);
    r.ok();
    assert!(
        r.stderr.contains("warning: a pipe: not a regular file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("1 files changed: 1 added"),
        "{}",
        r.stdout
    );
}

/// Runs daw as an unprivileged user when the tests run as root (root reads every file).
fn run_as_nobody(env: &TestEnv, args: &[&str]) -> Run {
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        return env.run(args);
    }
    let cmd = env.cmd(args);
    let program = cmd.get_program().to_owned();
    let mut wrapped = Command::new("setpriv");
    wrapped
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(program)
        .args(cmd.get_args())
        .current_dir(&env.project)
        .env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            wrapped.env(k, v);
        }
    }
    wrapped.output().expect("setpriv").into()
}

fn chown_all(path: &std::path::Path) {
    if unsafe { libc::geteuid() } == 0 {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

#[test]
fn an_unreadable_file_is_skipped_and_the_rest_committed() {
    if Command::new("setpriv").arg("--version").output().is_err() && unsafe { libc::geteuid() } == 0
    {
        eprintln!("note: setpriv missing; cannot make a file unreadable for root");
        return;
    }
    let env = TestEnv::new();
    env.write("Song.txt", b"song");
    env.write("Samples/locked.wav", b"secret take");
    env.write("Samples/open.wav", b"open take");
    chown_all(env.tmp.path());
    let init = run_as_nobody(
        &env,
        &[
            "init",
            "--kdf-memory-kib",
            "256",
            "--kdf-iterations",
            "1",
            "--insecure-test-kdf",
        ],
    );
    init.ok();
    std::fs::set_permissions(
        env.project.join("Samples/locked.wav"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let r = run_as_nobody(&env, &["commit", "-m", "partial"]);
    r.ok();
    assert!(
        r.stderr
            .contains("warning: Samples/locked.wav: cannot read it"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("2 files changed: 2 added"),
        "{}",
        r.stdout
    );
    // Once readable again, the next commit picks it up.
    std::fs::set_permissions(
        env.project.join("Samples/locked.wav"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let r = run_as_nobody(&env, &["commit", "-m", "complete"]);
    r.ok();
    assert!(
        r.stdout.contains("1 files changed: 1 added"),
        "{}",
        r.stdout
    );
    run_as_nobody(&env, &["fsck", "--read-data"]).ok();
}

#[test]
fn a_file_that_keeps_changing_is_skipped_and_the_rest_committed() {
    let env = TestEnv::new();
    env.write("Song.txt", b"song");
    let busy = env.project.join("Bounce.wav");
    std::fs::write(&busy, pseudo_random(2, 30 << 20)).unwrap();
    env.init();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let busy = busy.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let mut f = std::fs::File::options().append(true).open(&busy).unwrap();
                f.write_all(&n.to_le_bytes()).unwrap();
                n += 1;
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        })
    };
    let r = env.run(&["commit", "-m", "while bouncing"]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    r.ok();
    assert!(
        r.stderr.contains("warning: Bounce.wav: it kept changing"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("1 files changed: 1 added"),
        "{}",
        r.stdout
    );
    // Quiet now: the next commit takes it, exactly.
    let r = env.run(&["commit", "-m", "after bouncing"]);
    r.ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let out = env.tmp.path().join("out");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&env.project), tree_digest(&out));
}
