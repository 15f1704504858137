//! Crash safety and concurrent writers: `daw commit` killed with SIGKILL at random moments always
//! leaves a repository that verifies, with HEAD at the old or the new commit; two commits started at
//! once never corrupt anything.

use std::time::{Duration, Instant};

use crate::common::{TestEnv, pseudo_random, tree_digest};

fn head(env: &TestEnv) -> Option<(String, Vec<String>)> {
    let r = env.run(&["log", "--json", "-n", "1"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let c = v.as_array().unwrap().first()?;
    let parents = c["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    Some((c["id"].as_str().unwrap().to_string(), parents))
}

#[test]
fn sigkill_at_random_moments_never_breaks_the_repository() {
    let env = TestEnv::new();
    // Several hundred MB: eight 30 MB recordings and a few small files.
    for i in 0..8 {
        env.write(
            &format!("Samples/Recorded/take {i}.wav"),
            &pseudo_random(100 + i, 30 << 20),
        );
    }
    env.write("Song.txt", b"v0");
    env.init();
    env.run(&["commit", "-m", "base"]).ok();
    // Calibrate: how long a commit of this project takes once its recordings are stored.
    env.write("Samples/Recorded/overdub.wav", &pseudo_random(999, 3 << 20));
    let _ = std::fs::remove_file(env.daw_dir().join("cache/stat"));
    let t0 = Instant::now();
    env.run(&["commit", "-m", "calibration"]).ok();
    let full = t0.elapsed();
    let mut rng = pseudo_random(42, 4096).into_iter();
    let mut kills_during_commit = 0;
    let mut round = 0u64;
    while kills_during_commit < 30 {
        round += 1;
        assert!(
            round < 100,
            "only {kills_during_commit} kills landed during a commit in 100 rounds"
        );
        let (before, _) = head(&env).expect("a commit exists");
        // New work for this round: a short overdub re-recorded, the set edited. (Small, so that the
        // repository, which `fsck --read-data` reads in full every round, stays a few hundred MB.)
        env.write(
            "Samples/Recorded/overdub.wav",
            &pseudo_random(1000 + round, 3 << 20),
        );
        env.write("Song.txt", format!("v{round}").as_bytes());
        // Without the stat cache every round's commit reads all takes again, as long as the
        // calibration commit did, so the kills below land inside it.
        let _ = std::fs::remove_file(env.daw_dir().join("cache/stat"));
        let frac = f64::from(rng.next().unwrap()) / 255.0;
        let delay = full.mul_f64(0.02 + frac * 0.9);
        let mut child = env
            .cmd(&["commit", "-m", &format!("round {round}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            kills_during_commit += 1;
        }
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
        let _ = child.wait();

        let fsck = env.run(&["fsck", "--read-data"]);
        assert_eq!(
            fsck.status, 0,
            "round {round} (killed after {delay:?}): {}\n{}",
            fsck.stdout, fsck.stderr
        );
        let (after, parents) = head(&env).unwrap();
        assert!(
            after == before || parents == vec![before.clone()],
            "round {round}: HEAD moved to {after}, which is neither {before} nor its child"
        );
    }
    // A following commit succeeds and records exactly the project.
    env.run(&["commit", "-m", "after the storm"]).ok();
    env.run(&["fsck", "--read-data"]).ok();
    let out = env.tmp.path().join("out");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&env.project), tree_digest(&out));
}

#[test]
fn two_commits_started_together_both_land_in_order() {
    let env = TestEnv::new();
    env.write("Samples/a.wav", &pseudo_random(1, 20 << 20));
    env.init();
    env.run(&["commit", "-m", "base"]).ok();
    for round in 0..3 {
        env.write("Samples/a.wav", &pseudo_random(10 + round, 20 << 20));
        let spawn = |msg: &str| {
            env.cmd(&["commit", "-m", msg])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("first"), spawn("second"));
        for r in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            let r: crate::common::Run = r.into();
            r.ok();
        }
        env.run(&["fsck", "--read-data"]).ok();
    }
    // History is a line: every commit has exactly one parent except the first.
    let log: serde_json::Value = serde_json::from_str(&env.run(&["log", "--json"]).stdout).unwrap();
    let commits = log.as_array().unwrap();
    assert!(commits.len() >= 4, "{}", commits.len());
    for pair in commits.windows(2) {
        assert_eq!(pair[0]["parents"][0], pair[1]["id"]);
    }
}

#[test]
fn a_busy_repository_names_the_holder() {
    let env = TestEnv::new();
    env.write("a.txt", b"a");
    env.init();
    // Hold the lock from this process, as a running commit would.
    let lock = std::fs::File::options()
        .read(true)
        .write(true)
        .open(env.daw_dir().join("lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(env.daw_dir().join("lock"), "daw watch (pid 4242)\n").unwrap();
    let t = Instant::now();
    let r = env.run(&["commit", "-m", "blocked"]);
    assert!(t.elapsed() >= Duration::from_secs(5), "gave up too early");
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: the repository is busy: daw watch (pid 4242)"),
        "{}",
        r.stderr
    );
    lock.unlock().unwrap();
    env.run(&["commit", "-m", "free"]).ok();
}
