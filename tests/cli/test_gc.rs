//! `daw gc`: what it deletes and what it never may. A dry run lists and changes nothing; a deleted
//! branch of recordings gives its space back once the grace period has passed; a blob stored again,
//! or a commit named again, between the mark and the sweep is kept; the operation log is pruned by
//! age but never past what `daw undo` needs; packs a remote holds stay; readers and writers that
//! read the index before a sweep neither fail nor trust what it removed; commits, switches,
//! exports and pushes run while gc runs; and gc killed with SIGKILL at random moments leaves a repository that
//! `fsck --read-data` finds whole, every commit restorable (`DAW_GC_KILL_ROUNDS` sets how many kills
//! must land, 6 by default).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{Run, TestEnv, pseudo_random, tree_digest};

/// Bytes of every file in the repository folder.
fn daw_bytes(env: &TestEnv) -> u64 {
    fn walk(dir: &Path) -> u64 {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let t = e.file_type().unwrap();
                if t.is_dir() {
                    walk(&e.path())
                } else {
                    e.metadata().unwrap().len()
                }
            })
            .sum()
    }
    walk(&env.daw_dir())
}

/// The pack files in the repository, by name.
fn packs(env: &TestEnv) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for sub in std::fs::read_dir(env.daw_dir().join("packs")).unwrap() {
        for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
            let f = f.unwrap();
            out.insert(
                f.file_name().to_string_lossy().into_owned(),
                f.metadata().unwrap().len(),
            );
        }
    }
    out
}

fn gc(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["gc", "--json"];
    full.extend_from_slice(args);
    let r = env.run(&full);
    r.ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn head_id(env: &TestEnv) -> String {
    let r = env.run(&["log", "--json", "-n", "1"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v[0]["id"].as_str().unwrap().to_string()
}

#[track_caller]
fn fsck_clean(env: &TestEnv) {
    let r = env.run(&["fsck", "--read-data"]);
    assert_eq!(r.status, 0, "fsck:\n{}\n{}", r.stdout, r.stderr);
}

/// Every commit `log --all` lists, exported, is the project as it was committed.
#[track_caller]
fn all_commits_restore(env: &TestEnv, expected: &BTreeMap<String, BTreeMap<String, String>>) {
    let r = env.run(&["log", "--all", "--json"]);
    r.ok();
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for c in log.as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let out = env.tmp.path().join(format!("restore-{}", &id[..12]));
        let _ = std::fs::remove_dir_all(&out);
        env.run(&["export", id, out.to_str().unwrap()]).ok();
        if let Some(want) = expected.get(id) {
            assert_eq!(&tree_digest(&out), want, "commit {id} restored wrong");
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}

/// A text document of about 140 KB, chunked as a project document: each version is stored as
/// deltas of the one before it (docs/FORMAT.md, "Delta"), so that gc meets deltas and their bases.
/// `version` changes one line, at a place that depends on it.
fn song(version: &str) -> Vec<u8> {
    let at = version.bytes().fold(7usize, |h, b| {
        h.wrapping_mul(31).wrapping_add(usize::from(b))
    }) % 5000;
    (0..5000)
        .flat_map(|i| {
            if i == at {
                format!("line {i:05} {version}\n")
            } else {
                format!("line {i:05} value {}\n", i * 7 % 1000)
            }
            .into_bytes()
        })
        .collect()
}

/// How many blobs the repository stores as deltas.
fn deltas(env: &TestEnv) -> usize {
    let repo = env.open_repo();
    let index = repo.store().index().unwrap();
    index.iter().filter(|(_, l)| l.depth > 0).count()
}

/// Waits until what was just written is older than `grace` by the file system's clock.
fn age_past(grace: Duration) {
    std::thread::sleep(grace + Duration::from_millis(100));
}

/// A repository with a `main` commit, and a branch `takes` holding `mb` MB of random recordings,
/// deleted again and pruned-away-ready: one more operation follows the deletion, so that the
/// operation `daw undo` goes back to no longer holds the branch.
fn deleted_branch_of_recordings(mb: usize) -> TestEnv {
    let env = TestEnv::new();
    env.write("Song.als.txt", b"the song, version 1");
    env.write("Samples/kick.wav", &pseudo_random(1, 300_000));
    env.init();
    env.run(&["commit", "-m", "song"]).ok();
    env.run(&["switch", "-c", "takes"]).ok();
    for i in 0..mb.div_ceil(10) {
        let size = (mb - i * 10).min(10) << 20;
        env.write(
            &format!("Samples/Recorded/take {i}.wav"),
            &pseudo_random(100 + i as u64, size),
        );
    }
    env.run(&["commit", "-m", "takes"]).ok();
    env.run(&["switch", "main"]).ok();
    env.run(&["branch", "-D", "takes"]).ok();
    env.run(&["tag", "v1"]).ok();
    env
}

#[test]
fn a_dry_run_lists_what_would_go_and_changes_nothing() {
    let env = deleted_branch_of_recordings(12);
    let before_packs = packs(&env);
    // `gc.lock`, like `lock`, is where a running gc notes itself; it is empty when none runs.
    let files = |env: &TestEnv| {
        let mut f = crate::common::files_below(&env.daw_dir());
        f.retain(|p| p != Path::new("gc.lock"));
        f
    };
    let before_files = files(&env);
    let before_bytes = daw_bytes(&env);
    let r = env.run(&["gc", "--dry-run", "--grace", "0", "--prune-oplog", "0"]);
    r.ok();
    assert!(
        r.stdout
            .contains("Would remove 5 operation(s) from the log."),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Would mark"), "{}", r.stdout);
    // The recordings' pack is listed by name, as nothing needs it.
    let dead: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.ends_with("nothing needs it"))
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(
        dead.len(),
        2,
        "the takes' data pack and its metadata pack:\n{}",
        r.stdout
    );
    let big = before_packs
        .iter()
        .find(|(_, size)| **size > 12_000_000)
        .map(|(name, _)| name.clone())
        .unwrap();
    assert!(dead.iter().any(|d| big.starts_with(d)), "{}", r.stdout);
    // Nothing changed: the same files, the same bytes, the log whole.
    assert_eq!(files(&env), before_files);
    assert_eq!(daw_bytes(&env), before_bytes);
    assert_eq!(packs(&env), before_packs);
    let oplog = env.run(&["oplog", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&oplog.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        7
    );
    // The JSON of a dry run says the same.
    let v = gc(&env, &["--dry-run", "--grace", "0", "--prune-oplog", "0"]);
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["pruned_operations"], 5);
    assert_eq!(v["mark"]["dead"].as_array().unwrap().len(), 2);
    assert!(v["mark"]["mark"].is_null());
    // A real run deletes exactly what the dry run listed.
    let v = gc(&env, &["--grace", "0", "--prune-oplog", "0"]);
    let deleted: Vec<&str> = v["sweep_now"]["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pack"].as_str().unwrap())
        .collect();
    assert_eq!(deleted.len(), 2);
    for d in &dead {
        assert!(deleted.iter().any(|p| p.starts_with(d)));
    }
    fsck_clean(&env);
}

#[test]
fn deleting_a_branch_of_recordings_gives_the_space_back_after_the_grace_period() {
    let env = deleted_branch_of_recordings(100);
    let grace = Duration::from_secs(2);
    age_past(grace);
    let before = daw_bytes(&env);
    assert!(before > 100 << 20, "{before}");
    // The first run marks: nothing is deleted yet.
    let v = gc(&env, &["--grace", "2s", "--prune-oplog", "0"]);
    assert_eq!(v["pruned_operations"], 5);
    assert!(v["sweep"].is_null(), "{v}");
    assert!(
        v["mark"]["marked_bytes"].as_u64().unwrap() > 100 << 20,
        "{v}"
    );
    let marked = daw_bytes(&env);
    assert!(
        marked + 1_000_000 > before,
        "{marked} < {before}: deleted too early"
    );
    // Before the grace period is over, a second run deletes nothing either.
    let v = gc(&env, &["--grace", "2s"]);
    assert!(v["sweep"].is_null(), "{v}");
    assert!(daw_bytes(&env) + 1_000_000 > before);
    // Past it, the space is back.
    age_past(grace);
    let v = gc(&env, &["--grace", "2s"]);
    assert_eq!(v["sweep"]["kept"].as_array().unwrap().len(), 0, "{v}");
    let after = daw_bytes(&env);
    eprintln!(
        "gc of a deleted branch of 100 MiB of recordings: .daw {before} → {after} bytes (freed {})",
        before - after
    );
    assert!(before - after >= 100 << 20, "freed only {}", before - after);
    assert!(after < 1 << 20, "{after} bytes left for a 300 KB project");
    fsck_clean(&env);
    let out = env.tmp.path().join("out");
    env.run(&["export", "v1", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&out), tree_digest(&env.project));
    // Nothing is left to do.
    let v = gc(&env, &["--grace", "0"]);
    assert_eq!(v["mark"]["dead"].as_array().unwrap().len(), 0, "{v}");
}

#[test]
fn a_blob_stored_again_or_a_commit_named_again_after_the_mark_is_kept() {
    // The classic race, made deterministic: gc marks the recordings of a deleted branch; before the
    // sweep, a commit on main stores the same recording again (deduplicated against the marked
    // copy), and `daw branch` names the dead commit again. The sweep must keep both.
    let env = deleted_branch_of_recordings(3);
    let log = env.run(&["oplog", "--json"]);
    let ops: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
    let dead_commit = ops
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| {
            let d = o["description"].as_str()?;
            d.strip_prefix("delete branch 'takes' (was at ")
                .map(|s| s.trim_end_matches(')').to_string())
        })
        .unwrap();
    age_past(Duration::from_secs(1));
    let v = gc(&env, &["--grace", "1s", "--prune-oplog", "0"]);
    assert_eq!(v["mark"]["dead"].as_array().unwrap().len(), 2, "{v}");
    // The same take, committed again on main: its chunks are found in the index, in the marked pack.
    let take = pseudo_random(100, 3 << 20);
    env.write("Samples/Recorded/take 0.wav", &take);
    let r = env.run(&["commit", "-m", "the take, again"]);
    r.ok();
    let again = head_id(&env);
    // And the dead commit, named again by its id.
    env.run(&["branch", "takes-back", &dead_commit]).ok();
    age_past(Duration::from_secs(1));
    let v = gc(&env, &["--grace", "1s"]);
    assert_eq!(v["sweep"]["kept"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["sweep"]["deleted"].as_array().unwrap().len(), 0, "{v}");
    fsck_clean(&env);
    for (rev, file) in [(again.as_str(), "take 0.wav"), ("takes-back", "take 0.wav")] {
        let out = env.tmp.path().join(format!("out-{rev}"));
        env.run(&["export", rev, out.to_str().unwrap()]).ok();
        assert_eq!(
            std::fs::read(out.join("Samples/Recorded").join(file)).unwrap(),
            take
        );
    }
}

#[test]
fn a_file_whose_stored_content_went_is_stored_again_not_trusted_from_the_stat_cache() {
    // The stat cache reuses a file's entry when its content root is in the index. A commit undone
    // leaves the file on disk with its cache record; once gc removed that content, the next commit
    // must read the file again. (Its chunks and content node go together: no blob is ever left
    // pointing at a deleted one.)
    let env = TestEnv::new();
    env.write("Song.txt", b"v1");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    env.write("Samples/long take.wav", &pseudo_random(7, 6 << 20));
    env.run(&["commit", "-m", "the take"]).ok();
    env.run(&["undo"]).ok();
    env.run(&["tag", "after"]).ok();
    let v = gc(&env, &["--grace", "0", "--prune-oplog", "0"]);
    assert!(
        v["sweep_now"]["deleted_bytes"].as_u64().unwrap() > 6 << 20,
        "{v}"
    );
    env.run(&["commit", "-m", "the take, for real"]).ok();
    fsck_clean(&env);
    let out = env.tmp.path().join("out");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&out), tree_digest(&env.project));
}

#[test]
fn the_log_is_pruned_by_age_but_never_past_what_undo_needs() {
    let env = TestEnv::new();
    env.write("a.txt", b"0");
    env.init();
    let day = 86_400;
    let t0 = 1_763_800_000i64;
    let at = |env: &TestEnv, t: i64, args: &[&str]| -> Run {
        let mut c = env.cmd(args);
        c.env("DAW_TIMESTAMP", t.to_string());
        let r: Run = c.output().unwrap().into();
        r.ok();
        r
    };
    for i in 1..=5 {
        env.write("a.txt", i.to_string().as_bytes());
        at(&env, t0 + i * day, &["commit", "-m", &format!("day {i}")]);
    }
    // Six operations (init and five commits), a day apart; prune those older than 2.5 days at day 5.
    let now = (t0 + 5 * day).to_string();
    let mut c = env.cmd(&["gc", "--json", "--grace", "0", "--prune-oplog", "60h"]);
    c.env("DAW_TIMESTAMP", &now);
    let r: Run = c.output().unwrap().into();
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["pruned_operations"], 3, "{v}");
    let oplog = env.run(&["oplog", "--json"]);
    let ops: serde_json::Value = serde_json::from_str(&oplog.stdout).unwrap();
    assert_eq!(ops.as_array().unwrap().len(), 3);
    let text = env.run(&["oplog"]).stdout;
    assert!(
        text.contains("(the log before this operation was pruned)"),
        "{text}"
    );
    let f = env.run(&["fsck"]);
    assert_eq!(f.status, 0, "{}", f.stderr);
    assert!(f.stderr.contains("pruned"), "{}", f.stderr);
    // History is untouched: commits are not operations.
    let log: serde_json::Value = serde_json::from_str(&env.run(&["log", "--json"]).stdout).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 5);
    // Pruning everything keeps the last operation and the one undo goes back to.
    let mut c = env.cmd(&["gc", "--json", "--grace", "0", "--prune-oplog", "0"]);
    c.env("DAW_TIMESTAMP", &now);
    let r: Run = c.output().unwrap().into();
    r.ok();
    let ops: serde_json::Value =
        serde_json::from_str(&env.run(&["oplog", "--json"]).stdout).unwrap();
    assert_eq!(ops.as_array().unwrap().len(), 2);
    env.run(&["undo"]).ok();
    let log: serde_json::Value = serde_json::from_str(&env.run(&["log", "--json"]).stdout).unwrap();
    assert_eq!(log[0]["message"], "day 4");
    env.run(&["undo"]).ok();
    let log: serde_json::Value = serde_json::from_str(&env.run(&["log", "--json"]).stdout).unwrap();
    assert_eq!(log[0]["message"], "day 5", "undoing the undo redoes");
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn packs_a_remote_holds_stay_and_a_push_after_gc_sends_what_it_needs() {
    let env = TestEnv::new();
    env.write("a.wav", &pseudo_random(1, 2 << 20));
    env.init();
    env.run(&["commit", "-m", "pushed"]).ok();
    let remote = env.tmp.path().join("remote");
    env.run(&["remote", "add", "origin", remote.to_str().unwrap()])
        .ok();
    env.run(&["push"]).ok();
    let pushed = packs(&env);
    // Local-only small packs, then garbage on top.
    for i in 0..4 {
        env.write(&format!("b{i}.wav"), &pseudo_random(10 + i, 300_000));
        env.run(&["commit", "-m", &format!("local {i}")]).ok();
    }
    env.run(&["switch", "-c", "junk"]).ok();
    env.write("junk.wav", &pseudo_random(99, 1 << 20));
    env.run(&["commit", "-m", "junk"]).ok();
    env.run(&["switch", "main"]).ok();
    env.run(&["branch", "-D", "junk"]).ok();
    env.run(&["tag", "t"]).ok();
    let v = gc(&env, &["--grace", "0", "--prune-oplog", "0"]);
    assert!(v["mark"]["on_remotes"].as_u64().unwrap() >= 2, "{v}");
    let now = packs(&env);
    for p in pushed.keys() {
        assert!(
            now.contains_key(p),
            "pack {p}, which the remote holds, was deleted"
        );
    }
    assert!(
        !v["mark"]["repacked"].as_array().unwrap().is_empty(),
        "the small local packs are repacked: {v}"
    );
    fsck_clean(&env);
    env.run(&["push"]).ok();
    env.run(&["fsck", "--remote", "origin", "--read-data"]).ok();
    let clone = env.tmp.path().join("clone");
    env.run(&["clone", remote.to_str().unwrap(), clone.to_str().unwrap()])
        .ok();
    let mut want = tree_digest(&env.project);
    want.retain(|k, _| k != ".daw");
    let mut got = tree_digest(&clone);
    got.retain(|k, _| k != ".daw");
    assert_eq!(got, want);
}

#[test]
fn a_reader_and_a_writer_that_read_the_index_before_a_sweep() {
    let env = TestEnv::new();
    env.write("Song.txt", b"v1");
    env.init();
    // Several small packs, which gc repacks (and deletes once they are copied).
    for i in 0..4 {
        env.write(&format!("Samples/s{i}.wav"), &pseudo_random(i, 200_000));
        env.run(&["commit", "-m", &format!("sample {i}")]).ok();
    }
    env.run(&["switch", "-c", "gone"]).ok();
    env.write("gone.wav", &pseudo_random(50, 200_000));
    env.run(&["commit", "-m", "gone"]).ok();
    env.run(&["switch", "main"]).ok();
    env.run(&["branch", "-D", "gone"]).ok();
    env.run(&["tag", "t"]).ok();
    let mut stale = env.open_repo();
    let head = stale.head_commit().unwrap().unwrap();
    let gone_tree = {
        let refs = stale.op_log(None).unwrap();
        let deleted = refs
            .iter()
            .find_map(|(_, op)| {
                op.description
                    .strip_prefix("delete branch 'gone' (was at ")
                    .map(|_| op.clone())
            })
            .unwrap();
        let parent = stale.op_parent(&deleted).unwrap().unwrap().1;
        let c = stale.read_commit(&parent.refs.branches["gone"]).unwrap();
        daw::repo::history::entry_at(&stale, &c.tree, &[b"gone.wav"])
            .unwrap()
            .unwrap()
    };
    let daw::object::EntryKind::File {
        storage: daw::object::FileStorage::Raw(content),
        ..
    } = gone_tree.kind
    else {
        panic!("a raw file")
    };
    let gone_root = content.tree.unwrap().root;
    assert!(stale.store().contains(&gone_root).unwrap());
    let before = packs(&env);
    let v = gc(&env, &["--grace", "0", "--prune-oplog", "0"]);
    let deleted = v["sweep_now"]["deleted"].as_array().unwrap().len();
    assert!(deleted >= 4, "{v}");
    assert!(
        packs(&env)
            .keys()
            .filter(|p| before.contains_key(*p))
            .count()
            < before.len()
    );
    // The reader still reads HEAD whole: from where the blobs are now.
    let out = env.tmp.path().join("out");
    stale
        .export(&head, &out, &mut daw::repo::snapshot::NoProgress)
        .unwrap();
    assert_eq!(tree_digest(&out), tree_digest(&env.project));
    // The writer, after taking the lock, no longer trusts the blob gc removed.
    assert!(stale.store().contains(&gone_root).unwrap(), "still stale");
    let _lock = stale.lock("test").unwrap();
    stale.store_mut().refresh().unwrap();
    assert!(!stale.store().contains(&gone_root).unwrap());
}

#[test]
fn commits_switches_exports_and_pushes_while_gc_runs() {
    let env = TestEnv::new();
    env.write("Song.txt", &song("v0"));
    env.write("Samples/a.wav", &pseudo_random(1, 1 << 20));
    env.init();
    env.run(&["commit", "-m", "base"]).ok();
    let remote = env.tmp.path().join("remote");
    env.run(&["remote", "add", "origin", remote.to_str().unwrap()])
        .ok();
    let mut expected: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    expected.insert(head_id(&env), tree_digest(&env.project));
    let stop = std::sync::atomic::AtomicBool::new(false);
    let runs = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let r = env.run(&["gc", "--grace", "0", "--prune-oplog", "0"]);
                assert!(
                    r.status == 0 || r.stderr.contains("another gc is running"),
                    "gc failed: {}\n{}",
                    r.stdout,
                    r.stderr
                );
                runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for round in 0..8u64 {
                // Work on a side branch that is then dropped: garbage for gc.
                env.run(&["switch", "-c", "idea"]).ok();
                env.write("idea.wav", &pseudo_random(500 + round, 400_000));
                env.write("Song.txt", &song(&format!("idea {round}")));
                env.run(&["commit", "-m", "idea"]).ok();
                env.run(&["switch", "main"]).ok();
                env.run(&["branch", "-D", "idea"]).ok();
                // Real work on main.
                env.write("Song.txt", &song(&format!("v{}", round + 1)));
                env.write(
                    &format!("Samples/take {round}.wav"),
                    &pseudo_random(1000 + round, 300_000),
                );
                env.run(&["commit", "-m", &format!("round {round}")]).ok();
                expected.insert(head_id(&env), tree_digest(&env.project));
                // An export of an older commit, while gc moves packs around.
                let out = env.tmp.path().join(format!("export-{round}"));
                env.run(&["export", "HEAD~1", out.to_str().unwrap()]).ok();
                let id = {
                    let r = env.run(&["log", "--json", "-n", "2"]);
                    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
                    v[1]["id"].as_str().unwrap().to_string()
                };
                assert_eq!(tree_digest(&out), expected[&id], "round {round}");
                // Every other round, a push: it sends the packs gc has not repacked yet, or the
                // packs it made of them (and lists again if one goes while it is sent).
                if round % 2 == 1 {
                    env.run(&["push"]).ok();
                }
            }
        }));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Err(e) = result {
            std::panic::resume_unwind(e);
        }
    });
    assert!(runs.into_inner() >= 2, "gc ran alongside");
    assert!(deltas(&env) > 0, "no deltas: gc met none");
    fsck_clean(&env);
    all_commits_restore(&env, &expected);
    env.run(&["push"]).ok();
    env.run(&["fsck", "--remote", "origin", "--read-data"]).ok();
}

#[test]
fn gc_killed_at_random_moments_never_breaks_the_repository() {
    let rounds: usize = std::env::var("DAW_GC_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let env = TestEnv::new();
    env.write("Song.txt", &song("v0"));
    env.write("Samples/a.wav", &pseudo_random(1, 2 << 20));
    env.init();
    env.run(&["commit", "-m", "base"]).ok();
    let mut expected: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    expected.insert(head_id(&env), tree_digest(&env.project));
    // Each round leaves garbage (a dropped branch) and small packs (a commit on main) for gc.
    let make_work = |env: &TestEnv, round: u64| -> (String, BTreeMap<String, String>) {
        env.run(&["switch", "-c", "idea"]).ok();
        env.write("idea.wav", &pseudo_random(500 + round, 3 << 20));
        env.write("Song.txt", &song(&format!("idea {round}")));
        env.run(&["commit", "-m", "idea"]).ok();
        env.run(&["switch", "main"]).ok();
        env.run(&["branch", "-D", "idea"]).ok();
        for i in 0..3 {
            env.write("Song.txt", &song(&format!("v{round}.{i}")));
            env.write(
                &format!("Samples/t{i}.wav"),
                &pseudo_random(1000 + round * 10 + i, 1 << 20),
            );
            env.run(&["commit", "-m", &format!("round {round}.{i}")])
                .ok();
        }
        (head_id(env), tree_digest(&env.project))
    };
    let args = ["gc", "--grace", "0", "--prune-oplog", "0"];
    // Calibrate: how long one gc of a round's work takes.
    let (id, digest) = make_work(&env, 0);
    expected.insert(id, digest);
    let t0 = Instant::now();
    env.run(&args).ok();
    let mut full = t0.elapsed();
    let mut rng = pseudo_random(42, 4096).into_iter();
    let mut landed = 0;
    let mut round = 0u64;
    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unindexed_before: Vec<String> = Vec::new();
    while landed < rounds {
        round += 1;
        assert!(
            round < 5 * rounds as u64 + 10,
            "only {landed} kills landed during a gc in {round} rounds"
        );
        let (id, digest) = make_work(&env, round);
        expected.insert(id, digest);
        if round.is_multiple_of(4) {
            // Calibrate again: the merged small pack grows, and with it what a gc copies.
            let t0 = Instant::now();
            env.run(&args).ok();
            full = t0.elapsed();
            continue;
        }
        let packs_before = packs(&env);
        let marks_before = std::fs::read_dir(env.daw_dir().join("gc"))
            .map(|d| d.count())
            .unwrap_or(0);
        let frac = f64::from(rng.next().unwrap()) / 255.0;
        let delay = full.mul_f64(0.02 + frac);
        let mut child = env
            .cmd(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        std::thread::sleep(delay);
        if let Some(status) = child.try_wait().unwrap() {
            // It finished first: later runs copy more (the merged small pack grows), so aim later.
            assert!(status.success(), "gc failed in round {round}");
            full = full.max(started.elapsed());
            continue;
        }
        landed += 1;
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
        let _ = child.wait();
        let fsck = env.run(&["fsck", "--read-data"]);
        assert_eq!(
            fsck.status, 0,
            "round {round} (gc killed after {delay:?} of {full:?}): {}\n{}",
            fsck.stdout, fsck.stderr
        );
        // Where the kill landed, as the repository shows it (compared with before the run).
        let marks_now = std::fs::read_dir(env.daw_dir().join("gc"))
            .map(|d| d.count())
            .unwrap_or(0);
        let now = packs(&env);
        let unindexed_now: Vec<String> = fsck
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("note: pack "))
            .filter(|l| l.contains(" is not indexed"))
            .map(|l| l[..12].to_string())
            .collect();
        let unindexed = |p: &str| unindexed_now.iter().any(|u| p.starts_with(u.as_str()));
        let deleted = packs_before
            .keys()
            .any(|p| !p.contains('#') && !now.contains_key(p));
        let old_unindexed = packs_before
            .keys()
            .any(|p| unindexed(p) && !unindexed_before.contains(&p[..12].to_string()));
        let new_packs: Vec<&String> = now
            .keys()
            .filter(|p| !packs_before.contains_key(*p))
            .collect();
        let state = if deleted && old_unindexed {
            "sweep: killed while deleting packs"
        } else if deleted {
            "sweep: packs deleted"
        } else if old_unindexed {
            "sweep: new index written, old ones deleted, no pack yet"
        } else if marks_now > marks_before {
            "marked, not swept"
        } else if new_packs.iter().any(|p| !p.contains('#') && !unindexed(p)) {
            "repacked and indexed, not marked"
        } else if new_packs.iter().any(|p| !p.contains('#')) {
            "repack: pack written, not indexed"
        } else if new_packs.iter().any(|p| p.contains('#')) {
            "repack: writing a pack"
        } else {
            "before writing anything (pruning, walking)"
        };
        unindexed_before = unindexed_now;
        *states.entry(state).or_insert(0) += 1;
        all_commits_restore(&env, &expected);
    }
    // Half-written packs of killed runs go once left untouched for an hour.
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3700);
    for sub in std::fs::read_dir(env.daw_dir().join("packs")).unwrap() {
        for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
            let f = f.unwrap();
            if f.file_name().to_string_lossy().contains('#') {
                std::fs::File::options()
                    .write(true)
                    .open(f.path())
                    .unwrap()
                    .set_modified(hour_ago)
                    .unwrap();
            }
        }
    }
    // A gc that runs to the end after all that finishes the job, and the repository is whole.
    env.run(&args).ok();
    env.run(&args).ok();
    assert!(deltas(&env) > 0, "no deltas: gc met none");
    fsck_clean(&env);
    all_commits_restore(&env, &expected);
    let v = gc(&env, &["--grace", "0", "--dry-run"]);
    assert_eq!(v["mark"]["dead"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["mark"]["unindexed"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["partial_files"], 0, "half-written files are removed: {v}");
    assert!(packs(&env).keys().all(|p| !p.contains('#')));
    eprintln!(
        "{landed} kills landed during a gc in {round} rounds (a full gc took {full:?}); where: {states:?}"
    );
}

#[test]
fn one_gc_at_a_time() {
    let env = TestEnv::new();
    env.write("a.txt", b"a");
    env.init();
    let mark = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(env.daw_dir().join("gc.lock"))
        .unwrap();
    mark.lock().unwrap();
    std::fs::write(env.daw_dir().join("gc.lock"), "daw gc (pid 4242)\n").unwrap();
    let r = env.run(&["gc"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("another gc is running on this repository: daw gc (pid 4242)"),
        "{}",
        r.stderr
    );
    mark.unlock().unwrap();
    env.run(&["gc"]).ok();
}

#[test]
fn durations_and_bad_ones() {
    let env = TestEnv::new();
    env.write("a.txt", b"a");
    env.init();
    for ok in ["0", "90s", "30m", "24h", "7d", "2w"] {
        env.run(&["gc", "--dry-run", "--grace", ok]).ok();
    }
    for bad in ["", "1y", "-1h", "h", "1.5h"] {
        let r = env.run(&["gc", "--grace", bad]);
        assert_eq!(r.status, 2, "{bad}: {}", r.stderr);
    }
}
