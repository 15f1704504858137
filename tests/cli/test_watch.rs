//! `daw watch` as a user runs it: a child process watching a project while the test plays a DAW's
//! saves against it (temp file and rename, a slow in-place rewrite, bursts, a set plus a new
//! recording), a manual commit and a held lock during the watch, a file rewritten while the commit
//! reads the save, SIGTERM, kill -9 during commits and a restart, what `daw status` says of a watched
//! project, and a folder holding several projects. Each save must become exactly one autosave commit holding
//! the final bytes, never a half-written file. The debounce is 300 ms to keep the module fast.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{TestEnv, pseudo_random};

const DEBOUNCE: &str = "300ms";
/// Longer than the debounce plus a commit: if a second commit were coming, it would have come.
const QUIET: Duration = Duration::from_millis(1200);

/// A Live set (gzip XML) with this tempo and these MIDI tracks, padded with `seed`'s noise so that
/// it is a few hundred KB, written in pieces.
fn set(tempo: u32, tracks: &[&str], seed: u64) -> Vec<u8> {
    let tracks: String = tracks
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                r#"<MidiTrack Id="{i}"><Name><EffectiveName Value="{n}" /><UserName Value="{n}" /></Name></MidiTrack>"#
            )
        })
        .collect();
    let pad = hex::encode(pseudo_random(seed, 120_000));
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Ableton MajorVersion="5" MinorVersion="11.0_11300" Creator="Ableton Live 11.3.21"><LiveSet><Tracks>{tracks}</Tracks><MainTrack><DeviceChain><Mixer><Tempo><Manual Value="{tempo}" /></Tempo></Mixer></DeviceChain></MainTrack><Annotation Value="{pad}" /></LiveSet></Ableton>"#
    );
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(xml.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// A WAV file of `len` bytes whose RIFF header counts all of them.
fn wav(seed: u64, len: usize) -> Vec<u8> {
    let mut w = b"RIFF".to_vec();
    w.extend_from_slice(&((len - 8) as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&pseudo_random(seed, len - 16));
    w
}

/// Saves as Live does: a temporary file beside the set, then a rename over it.
fn save_by_rename(env: &TestEnv, rel: &str, bytes: &[u8]) {
    let dest = env.project.join(rel);
    let tmp = dest.with_extension("als.tmp");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, &dest).unwrap();
}

/// Rewrites a file in place in `pieces`, pausing `pause` between them (longer than the debounce).
fn write_slowly(path: &Path, bytes: &[u8], pieces: usize, pause: Duration) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::fs::File::create(path).unwrap();
    let size = bytes.len().div_ceil(pieces);
    for (i, piece) in bytes.chunks(size).enumerate() {
        if i > 0 {
            std::thread::sleep(pause);
        }
        f.write_all(piece).unwrap();
        f.flush().unwrap();
    }
}

struct Watcher {
    child: Child,
    events: mpsc::Receiver<serde_json::Value>,
}

impl Watcher {
    fn start(env: &TestEnv, cwd: &Path, dirs: &[&str]) -> Self {
        let mut args = vec!["watch", "--debounce", DEBOUNCE, "--json"];
        args.extend_from_slice(dirs);
        let mut child = env
            .cmd(&args)
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("daw watch starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let v: serde_json::Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let w = Watcher { child, events: rx };
        let first = w
            .next(Duration::from_secs(10))
            .expect("daw watch says it is watching");
        assert_eq!(first["event"], "watching", "{first}");
        w
    }

    fn next(&self, timeout: Duration) -> Option<serde_json::Value> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Every event until `quiet` passes without one.
    fn until_quiet(&self, quiet: Duration) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        while let Some(e) = self.next(quiet) {
            out.push(e);
        }
        out
    }

    /// Waits for the next autosave (up to 10 s), then for quiet; returns all autosaves seen.
    fn autosaves_of_one_save(&self) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Some(e) = self.next(Duration::from_millis(100)) {
                let done = e["event"] == "autosave";
                seen.push(e);
                if done {
                    break;
                }
            }
        }
        seen.extend(self.until_quiet(QUIET));
        seen.into_iter()
            .filter(|e| e["event"] == "autosave")
            .collect()
    }

    /// Every event up to and including the first `kind` (which must come within `timeout`).
    fn until_event(&self, kind: &str, timeout: Duration) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(e) => {
                    let done = e["event"] == kind;
                    seen.push(e);
                    if done {
                        return seen;
                    }
                }
                None => panic!("no {kind} event within {timeout:?}: {seen:?}"),
            }
        }
    }

    fn signal(&self, sig: i32) {
        // SAFETY: sending a signal to our own child.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, sig) }, 0);
    }

    fn wait_exit(&mut self, within: Duration) -> i32 {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "daw watch did not exit within {within:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bytes of `rel` in the commit `rev`.
fn committed(env: &TestEnv, rev: &str, rel: &str) -> Vec<u8> {
    let out = env
        .tmp
        .path()
        .join(format!("export-{}", pseudo_random_name()));
    env.run(&["export", rev, out.to_str().unwrap()]).ok();
    std::fs::read(out.join(rel)).unwrap()
}

fn pseudo_random_name() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

fn log(env: &TestEnv, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["log", "--json"];
    args.extend_from_slice(extra);
    let r = env.run(&args);
    r.ok();
    serde_json::from_str::<Vec<serde_json::Value>>(&r.stdout).unwrap()
}

#[test]
fn each_settled_save_becomes_one_autosave_and_never_a_torn_file() {
    let env = TestEnv::new();
    env.write("Song.als", &set(120, &["Drums"], 1));
    env.init();
    env.run(&["commit", "-m", "Start"]).ok();
    let mut w = Watcher::start(&env, &env.project, &[]);

    // 1. Temp file and rename, with a musical change: one autosave that says what changed.
    let v1 = set(128, &["Drums", "Bass"], 2);
    save_by_rename(&env, "Song.als", &v1);
    let a = w.autosaves_of_one_save();
    assert_eq!(a.len(), 1, "{a:?}");
    let message = a[0]["message"].as_str().unwrap();
    assert!(message.contains("Tempo 120 → 128"), "{message}");
    assert!(message.contains("+ MIDI track 'Bass'"), "{message}");
    assert_eq!(committed(&env, "HEAD", "Song.als"), v1);
    let head = &log(&env, &["-n", "1"])[0];
    assert_eq!(head["autosave"], true);
    assert_eq!(head["message"], message);
    // `daw status` says the project is watched; a second watcher is refused.
    let st = env.run(&["status"]);
    assert!(
        st.stdout.contains("Watched by daw watch (pid "),
        "{}",
        st.stdout
    );
    assert!(st.stdout.contains("; last autosave "), "{}", st.stdout);
    assert!(
        st.stdout.contains("; no remote to push to."),
        "{}",
        st.stdout
    );
    let watch = status_json(&env)["watch"].clone();
    assert_eq!(watch["pid"], w.child.id(), "{watch}");
    assert_eq!(watch["push"], serde_json::Value::Null, "{watch}");
    assert_eq!(watch["last_autosave"], head["time"], "{watch}");
    assert_eq!(watch["unpushed"], serde_json::Value::Null, "{watch}");
    // A remote the branch was never pushed to: all of it is unpushed.
    let backup = env.tmp.path().join("backup");
    env.run(&["remote", "add", "origin", backup.to_str().unwrap()])
        .ok();
    let st = env.run(&["status"]);
    assert!(
        st.stdout
            .contains("; 2 commits not pushed to 'origin/main'."),
        "{}",
        st.stdout
    );
    let second = env.run(&["watch"]);
    assert_eq!(second.status, 2);
    assert!(
        second.stderr.contains("is already watched (pid "),
        "{}",
        second.stderr
    );

    // 2. An in-place rewrite in pieces, pausing longer than the debounce between them: the
    // watcher sees a settled but incomplete gzip stream and waits; one commit, of the final bytes.
    let v2 = set(130, &["Drums", "Bass"], 3);
    let (tx, rx) = mpsc::channel();
    let path = env.project.join("Song.als");
    let writer = {
        let v2 = v2.clone();
        std::thread::spawn(move || {
            write_slowly(&path, &v2, 5, Duration::from_millis(700));
            tx.send(()).unwrap();
        })
    };
    let mut during = Vec::new();
    while rx.try_recv().is_err() {
        during.extend(w.next(Duration::from_millis(50)));
    }
    writer.join().unwrap();
    assert!(
        !during.iter().any(|e| e["event"] == "autosave"),
        "committed while the set was half-written: {during:?}"
    );
    assert!(
        during
            .iter()
            .any(|e| e["event"] == "waiting" && e["path"] == "Song.als"),
        "the pauses were long enough to settle, so the incomplete stream must have been seen: {during:?}"
    );
    let a = w.autosaves_of_one_save();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(committed(&env, "HEAD", "Song.als"), v2);

    // 3. A burst of saves inside the debounce window: one commit, of the last.
    let mut last = Vec::new();
    for i in 0..5 {
        last = set(131 + i, &["Drums", "Bass"], 10 + u64::from(i));
        save_by_rename(&env, "Song.als", &last);
        std::thread::sleep(Duration::from_millis(60));
    }
    let a = w.autosaves_of_one_save();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(committed(&env, "HEAD", "Song.als"), last);

    // 4. The set plus a new recording that takes a few seconds to write: one commit holding both.
    let take = wav(20, 3 << 20);
    let set4 = set(135, &["Drums", "Bass", "Vocals"], 21);
    let rec = env.project.join("Samples/Recorded/Take 1.wav");
    let writer = {
        let take = take.clone();
        std::thread::spawn(move || write_slowly(&rec, &take, 4, Duration::from_millis(600)))
    };
    std::thread::sleep(Duration::from_millis(700));
    save_by_rename(&env, "Song.als", &set4);
    let mut during = Vec::new();
    while !writer.is_finished() {
        during.extend(w.next(Duration::from_millis(50)));
    }
    assert!(
        !during.iter().any(|e| e["event"] == "autosave"),
        "committed while the recording was half-written: {during:?}"
    );
    let a = w.autosaves_of_one_save();
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(
        a[0]["message"]
            .as_str()
            .unwrap()
            .contains("+ Samples/Recorded/Take 1.wav"),
        "{}",
        a[0]
    );
    assert_eq!(committed(&env, "HEAD", "Samples/Recorded/Take 1.wav"), take);
    assert_eq!(committed(&env, "HEAD", "Song.als"), set4);

    // 5. A manual commit while watching: it works, and the watcher adds nothing after it.
    env.write("Notes.txt", b"verse, chorus\n");
    env.run(&["commit", "-m", "Named: the verse"]).ok();
    let after = w.until_quiet(QUIET);
    assert!(!after.iter().any(|e| e["event"] == "autosave"), "{after:?}");

    // 6. Another command holds the repository (a switch rewriting files): no commit until it is done.
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(env.daw_dir().join("lock"))
        .unwrap();
    lock.lock().unwrap();
    env.write("Notes.txt", b"verse, chorus, bridge\n");
    let held = w.until_quiet(QUIET);
    assert!(!held.iter().any(|e| e["event"] == "autosave"), "{held:?}");
    assert!(held.iter().any(|e| e["event"] == "busy"), "{held:?}");
    lock.unlock().unwrap();
    let a = w.autosaves_of_one_save();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(
        committed(&env, "HEAD", "Notes.txt"),
        b"verse, chorus, bridge\n"
    );

    // Exactly one commit per save; the named ones stand alone with --no-auto.
    let all = log(&env, &[]);
    assert_eq!(
        all.len(),
        7,
        "Start, 4 saves, the named commit, the save after the lock"
    );
    let named: Vec<_> = log(&env, &["--no-auto"])
        .iter()
        .map(|c| c["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(named, ["Named: the verse", "Start"]);
    let oneline = env.run(&["log", "--oneline", "-n", "1"]);
    assert!(
        oneline.stdout.contains(" autosave: ~ Notes.txt"),
        "{}",
        oneline.stdout
    );

    // SIGTERM: exits 0 promptly, saying so.
    w.signal(libc::SIGTERM);
    assert_eq!(w.wait_exit(Duration::from_secs(5)), 0);
    let rest = w.until_quiet(Duration::from_millis(200));
    assert!(rest.iter().any(|e| e["event"] == "stopped"), "{rest:?}");
    let st = env.run(&["status"]);
    assert!(!st.stdout.contains("Watched"), "{}", st.stdout);
    assert_eq!(status_json(&env)["watch"], serde_json::Value::Null);
    env.run(&["fsck", "--read-data"]).ok();
}

fn status_json(env: &TestEnv) -> serde_json::Value {
    let r = env.run(&["status", "--json"]);
    r.ok();
    serde_json::from_str(&r.stdout).unwrap()
}

/// Whether a commit of the watcher `pid` holds the repository now (the lock's note; a killed
/// commit leaves its note behind, so the pid tells this watcher's from an earlier one's).
fn committing(env: &TestEnv, pid: u32) -> bool {
    std::fs::read_to_string(env.daw_dir().join("lock"))
        .is_ok_and(|note| note.contains(&format!("daw commit (pid {pid})")))
}

/// Waits (up to 20 s) until a commit of the watcher `pid` holds the repository.
fn wait_for_commit(env: &TestEnv, pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !committing(env, pid) {
        assert!(Instant::now() < deadline, "no commit started within 20 s");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Regression (issue 13): a file written again after the save had settled, while the commit was
/// reading the project, was committed as the commit found it: half-written. Here a long recording
/// keeps the commit busy while a short one, settled and complete when judged, is rewritten in
/// place, half of it at once and the rest after a pause. The commit must record nothing; the
/// rewrite settles in its turn, and one commit holds the final bytes.
#[test]
fn a_file_rewritten_while_the_commit_reads_the_save_is_not_committed_torn() {
    let env = TestEnv::new();
    env.write("Song.als", &set(120, &["Drums"], 1));
    env.init();
    env.run(&["commit", "-m", "Start"]).ok();
    let w = Watcher::start(&env, &env.project, &[]);
    // Its first look at the project (a commit that finds nothing new) is over.
    w.until_quiet(QUIET);
    let long_take = wav(1, 40 << 20);
    let (first, second) = (wav(2, 400_000), wav(3, 400_000));
    env.write("Samples/A long take.wav", &long_take);
    env.write("Samples/B short take.wav", &first);
    wait_for_commit(&env, w.child.id());
    // The commit is under way (the long take is read first): B is rewritten in place.
    let path = env.project.join("Samples/B short take.wav");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(&second[..second.len() / 2]).unwrap();
    f.flush().unwrap();
    let events = w.until_event("changed", Duration::from_secs(20));
    assert!(
        !events.iter().any(|e| e["event"] == "autosave"),
        "committed while the take was being rewritten: {events:?}"
    );
    let changed = events.last().unwrap();
    assert_eq!(
        changed["paths"],
        serde_json::json!(["Samples/B short take.wav"])
    );
    // Half-written and quiet for longer than the debounce: settled but incomplete, so waited for.
    let during = w.until_quiet(QUIET);
    assert!(
        !during.iter().any(|e| e["event"] == "autosave"),
        "{during:?}"
    );
    assert!(during.iter().any(|e| e["event"] == "waiting"), "{during:?}");
    f.write_all(&second[second.len() / 2..]).unwrap();
    f.flush().unwrap();
    drop(f);
    let a = w.autosaves_of_one_save();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(committed(&env, "HEAD", "Samples/B short take.wav"), second);
    assert_eq!(
        committed(&env, "HEAD", "Samples/A long take.wav"),
        long_take
    );
    assert_eq!(log(&env, &[]).len(), 2, "Start and the one autosave");
    env.run(&["fsck", "--read-data"]).ok();
}

/// How many times the kill test kills the watcher: `DAW_TEST_WATCH_KILLS` (the issue asks for a run
/// of at least 20; the default keeps `cargo test` quick).
fn watch_kills() -> usize {
    std::env::var("DAW_TEST_WATCH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// Every commit id in the log of HEAD.
fn commit_ids(env: &TestEnv) -> Vec<String> {
    log(env, &[])
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// kill -9 while the watcher commits a save (the set and a new take), at a pseudo-random moment
/// between the commit taking the repository and the time a commit takes: each time `fsck
/// --read-data` is clean and every commit made before is still there; each restart commits what the
/// kill left uncommitted, so no save is lost.
#[test]
fn kill_9_during_commits_loses_nothing() {
    let env = TestEnv::new();
    env.write("Song.als", &set(100, &["Drums"], 1));
    env.init();
    env.run(&["commit", "-m", "Start"]).ok();
    let kills = watch_kills();
    let take = |round: usize| wav(round as u64, 3 << 20);
    // How long a commit of such a save takes here: the kills fall anywhere in it.
    let w = Watcher::start(&env, &env.project, &[]);
    w.until_quiet(QUIET);
    save_by_rename(&env, "Song.als", &set(100, &["Drums", "Bass"], 2));
    env.write("Samples/take.wav", &take(kills));
    wait_for_commit(&env, w.child.id());
    let start = Instant::now();
    while committing(&env, w.child.id()) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let commit_time = start.elapsed();
    w.until_event("autosave", Duration::from_secs(10));
    drop(w);
    let mut last = set(100, &["Drums", "Bass"], 2);
    let mut during_commit = 0;
    for round in 0..kills {
        let w = Watcher::start(&env, &env.project, &[]);
        // What an earlier round's kill left uncommitted is committed now.
        {
            let deadline = Instant::now() + Duration::from_secs(20);
            while committed(&env, "HEAD", "Song.als") != last {
                assert!(
                    Instant::now() < deadline,
                    "round {round}: the last save was lost"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        w.until_quiet(QUIET);
        let before = commit_ids(&env);
        last = set(101 + round as u32, &["Drums"], 50 + round as u64);
        save_by_rename(&env, "Song.als", &last);
        env.write(&format!("Samples/take {round}.wav"), &take(round));
        wait_for_commit(&env, w.child.id());
        let at = f64::from(pseudo_random(round as u64, 1)[0]) / 256.0;
        std::thread::sleep(commit_time.mul_f64(at));
        w.signal(libc::SIGKILL);
        let pid = w.child.id();
        drop(w);
        if committing(&env, pid) {
            during_commit += 1;
        }
        env.run(&["fsck", "--read-data"]).ok();
        let after = commit_ids(&env);
        for id in &before {
            assert!(
                after.contains(id),
                "round {round}: commit {id} was lost by the kill"
            );
        }
    }
    let w = Watcher::start(&env, &env.project, &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    // `status --porcelain`: only its `# branch` header lines when the work tree is committed.
    while env
        .run(&["status", "--porcelain"])
        .stdout
        .lines()
        .any(|l| !l.starts_with('#'))
    {
        assert!(
            Instant::now() < deadline,
            "the last save was never committed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(w);
    assert_eq!(committed(&env, "HEAD", "Song.als"), last);
    for round in 0..kills {
        let rel = format!("Samples/take {round}.wav");
        assert_eq!(committed(&env, "HEAD", &rel), take(round));
    }
    env.run(&["fsck", "--read-data"]).ok();
    eprintln!(
        "kill -9 of daw watch: {kills} kills at random moments of a commit (one took {commit_time:?}), \
         {during_commit} while it held the repository; fsck --read-data clean after each, no commit \
         and no save lost"
    );
    assert!(
        during_commit > 0,
        "no kill landed during a commit: the test did not test it"
    );
}

#[test]
fn a_folder_of_projects_is_watched_whole() {
    let env = TestEnv::new();
    let projects = env.tmp.path().join("Projects");
    for name in ["Song A Project", "Song B Project"] {
        let dir = projects.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Song.als"), set(120, &["Drums"], 1)).unwrap();
        let o = env
            .cmd(&[
                "init",
                "--insecure-test-kdf",
                "--kdf-memory-kib",
                "256",
                "--kdf-iterations",
                "1",
            ])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = env
            .cmd(&["commit", "-m", "Start"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(o.status.success());
    }
    let w = Watcher::start(&env, env.tmp.path(), &["Projects"]);
    std::fs::write(
        projects.join("Song A Project/Song.als"),
        set(121, &["Drums"], 2),
    )
    .unwrap();
    std::fs::write(
        projects.join("Song B Project/Song.als"),
        set(122, &["Drums"], 3),
    )
    .unwrap();
    let mut saved: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while saved.len() < 2 && Instant::now() < deadline {
        if let Some(e) = w.next(Duration::from_millis(100))
            && e["event"] == "autosave"
        {
            saved.push(
                e["project"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    saved.sort();
    assert_eq!(saved, ["Song A Project", "Song B Project"]);
    // A folder without any project is refused with a hint.
    let empty = env.tmp.path().join("Empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = env
        .cmd(&["watch", "Empty"])
        .current_dir(env.tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no daw project in or below"), "{err}");
}

/// With --push: each autosave reaches the remote; while the remote is unreachable the commits wait in
/// the repository and are retried until they arrive, in order; SIGTERM during an outage exits 0 at
/// once and keeps the unpushed commit.
#[test]
fn push_retries_until_the_remote_is_back_and_nothing_is_lost() {
    let env = TestEnv::new();
    env.write("Song.als", &set(120, &["Drums"], 1));
    env.init();
    env.run(&["commit", "-m", "Start"]).ok();
    let usb = env.tmp.path().join("usb/backup");
    std::fs::create_dir_all(usb.parent().unwrap()).unwrap();
    env.run(&["remote", "add", "usb", usb.to_str().unwrap()])
        .ok();
    env.run(&["push", "usb"]).ok();
    let away = env.tmp.path().join("usb/away");
    // Unplugged: the remote's folder is gone and a file stands in its place.
    let unplug = || {
        std::fs::rename(&usb, &away).unwrap();
        std::fs::write(&usb, b"not a folder").unwrap();
    };
    let plug = || {
        std::fs::remove_file(&usb).unwrap();
        std::fs::rename(&away, &usb).unwrap();
    };

    let mut w = Watcher::start(&env, &env.project, &["--push", "usb"]);
    save_by_rename(&env, "Song.als", &set(121, &["Drums"], 2));
    let events = w.until_event("pushed", Duration::from_secs(10));
    assert_eq!(
        events.iter().filter(|e| e["event"] == "autosave").count(),
        1
    );

    unplug();
    for i in 0..2 {
        save_by_rename(
            &env,
            "Song.als",
            &set(122 + i, &["Drums"], 3 + u64::from(i)),
        );
        let events = w.until_event("push_failed", Duration::from_secs(10));
        assert!(
            events.iter().any(|e| e["event"] == "autosave"),
            "{events:?}"
        );
    }
    // `daw status` counts what is waiting for the remote.
    let st = env.run(&["status"]);
    assert!(
        st.stdout.contains(", pushing to 'usb'); last autosave ")
            && st.stdout.contains("; 2 commits not pushed to 'usb/main'."),
        "{}",
        st.stdout
    );
    let watch = status_json(&env)["watch"].clone();
    assert_eq!(watch["push"], "usb", "{watch}");
    assert_eq!(watch["remote_branch"], "usb/main", "{watch}");
    assert_eq!(watch["unpushed"], 2, "{watch}");
    plug();
    w.until_event("pushed", Duration::from_secs(20));
    let st = env.run(&["status"]);
    assert!(
        st.stdout.contains("; all pushed to 'usb/main'."),
        "{}",
        st.stdout
    );
    assert_eq!(status_json(&env)["watch"]["unpushed"], 0);
    // The clone of the remote holds every commit, in order.
    let copy = env.tmp.path().join("copy");
    env.run(&["clone", usb.to_str().unwrap(), copy.to_str().unwrap()])
        .ok();
    let ids = |cwd: &Path| -> Vec<String> {
        let o = env
            .cmd(&["log", "--json"])
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(o.status.success());
        let v: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        v.iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let local = ids(&env.project);
    assert_eq!(local.len(), 4);
    assert_eq!(ids(&copy), local);

    // SIGTERM during an outage: exits 0 within the bound, the last autosave waits in the repository.
    unplug();
    save_by_rename(&env, "Song.als", &set(130, &["Drums"], 9));
    w.until_event("push_failed", Duration::from_secs(10));
    w.signal(libc::SIGTERM);
    assert_eq!(w.wait_exit(Duration::from_secs(12)), 0);
    drop(w);
    plug();
    let st = env.run(&["status"]);
    assert!(
        st.stdout.contains("Ahead of 'usb/main' by 1 commit"),
        "{}",
        st.stdout
    );
    // The next start sends it.
    let w = Watcher::start(&env, &env.project, &["--push", "usb"]);
    w.until_event("pushed", Duration::from_secs(10));
    let st = env.run(&["status"]);
    assert!(
        st.stdout.contains("Up to date with 'usb/main'"),
        "{}",
        st.stdout
    );
}
