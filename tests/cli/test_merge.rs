//! `daw merge`, `daw resolve`, `merge --continue` / `--abort`, and `pull --merge`: every file-level
//! case with the exact bytes of the result checked over real corpus files, conflicts kept side by side,
//! abort back to exactly the state before, undo of a merge, status during a merge, criss-cross
//! refusal, and a merge of a folder remote's diverged branch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, corpus, pseudo_random, tree_digest};

/// Bytes of a corpus file (`als/NAME` or `flp/NAME`).
fn corpus_file(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn bytes(env: &TestEnv, rel: &str) -> Option<Vec<u8>> {
    std::fs::read(env.project.join(rel)).ok()
}

fn remove(env: &TestEnv, rel: &str) {
    std::fs::remove_file(env.project.join(rel)).unwrap();
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn parents_of_head(env: &TestEnv) -> Vec<String> {
    let v = json(env.run(&["log", "--json", "-n", "1"]).ok());
    v[0]["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

fn digest(env: &TestEnv) -> BTreeMap<String, String> {
    tree_digest(&env.project)
}

/// The corpus sets and FL Studio projects the tests use, or `None` without the corpus.
struct Files {
    als: [Vec<u8>; 3],
    flp: [Vec<u8>; 2],
}

fn files() -> Option<Files> {
    let c = corpus()?;
    Some(Files {
        als: [
            corpus_file(&c, "als/abletoolz__10.0.1.als"),
            corpus_file(&c, "als/abletoolz__11.0.0.als"),
            corpus_file(&c, "als/dawtool__example-120.als"),
        ],
        flp: [
            corpus_file(&c, "flp/dawtool__auto-basic.flp"),
            corpus_file(&c, "flp/dawtool__complex.flp"),
        ],
    })
}

/// base: Song.als, Drums.flp, vox.wav, Notes.txt. `laptop` and `main` then diverge with the changes
/// the test gives; returns (env, main's id, laptop's id).
fn diverged(
    f: &Files,
    laptop: &dyn Fn(&TestEnv),
    main: &dyn Fn(&TestEnv),
) -> (TestEnv, String, String) {
    let env = TestEnv::new();
    env.write("Song.als", &f.als[0]);
    env.write("Drums.flp", &f.flp[0]);
    env.write("Samples/vox.wav", &pseudo_random(1, 300_000));
    env.write("Notes.txt", b"ideas\n");
    env.init();
    env.commit("base");
    env.run(&["switch", "-c", "laptop"]).ok();
    laptop(&env);
    let theirs = env.commit("on the laptop");
    env.run(&["switch", "main"]).ok();
    main(&env);
    let ours = env.commit("in the studio");
    (env, ours, theirs)
}

#[test]
fn merge_takes_one_sided_changes_keeps_same_changes_once_and_commits_two_parents() {
    let Some(f) = files() else { return };
    let (env, ours, theirs) = diverged(
        &f,
        &|env| {
            env.write("Song.als", &f.als[1]); // changed on one side only
            env.write("Samples/new.wav", &pseudo_random(5, 100_000)); // added on one side
            remove(env, "Notes.txt"); // deleted on one side
            env.write("Both.flp", &f.flp[1]); // added on both, same bytes
        },
        &|env| {
            env.write("Drums.flp", &f.flp[1]); // changed on the other side only
            env.write("Both.flp", &f.flp[1]);
        },
    );
    let r = env.run(&["merge", "laptop", "--json"]);
    r.ok();
    let v = json(&r);
    assert_eq!(v["outcome"], "merged", "{}", r.stdout);
    assert_eq!(v["conflicts"].as_array().unwrap().len(), 0);
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[1]);
    assert_eq!(bytes(&env, "Drums.flp").unwrap(), f.flp[1]);
    assert_eq!(bytes(&env, "Both.flp").unwrap(), f.flp[1]);
    assert_eq!(
        bytes(&env, "Samples/new.wav").unwrap(),
        pseudo_random(5, 100_000)
    );
    assert_eq!(
        bytes(&env, "Samples/vox.wav").unwrap(),
        pseudo_random(1, 300_000)
    );
    assert_eq!(bytes(&env, "Notes.txt"), None);
    assert_eq!(parents_of_head(&env), vec![ours, theirs.clone()]);
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["clean"], true, "{st}");
    assert_eq!(st["merge"], serde_json::Value::Null);
    // The merge commit holds exactly what is on disk.
    let out = env.tmp.path().join("export");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&out), digest(&env));
    // `log --graph` draws both parents.
    let g = env.run(&["log", "--graph", "--oneline"]);
    g.ok();
    assert!(g.stdout.contains("on the laptop"), "{}", g.stdout);
    assert!(g.stdout.contains("in the studio"), "{}", g.stdout);
    assert!(
        g.stdout
            .lines()
            .any(|l| l.contains("|\\") || l.contains("├─") || l.contains("│╲") || l.contains("╮")),
        "no fork drawn:\n{}",
        g.stdout
    );
    // Merging again: nothing to do.
    let again = env.run(&["merge", "laptop"]);
    again.ok();
    assert!(
        again.stdout.contains("Already up to date"),
        "{}",
        again.stdout
    );
    let _ = theirs;
}

#[test]
fn merge_undo_puts_branch_and_files_back_exactly() {
    let Some(f) = files() else { return };
    let (env, ours, _) = diverged(
        &f,
        &|env| {
            env.write("Song.als", &f.als[1]);
            remove(env, "Notes.txt");
        },
        &|env| env.write("Drums.flp", &f.flp[1]),
    );
    let before = digest(&env);
    env.run(&["merge", "laptop"]).ok();
    assert_ne!(digest(&env), before);
    let u = env.run(&["undo"]);
    u.ok();
    assert_eq!(digest(&env), before);
    assert_eq!(env.head_id(), ours);
}

#[test]
fn merge_fast_forwards_when_the_branch_has_nothing_of_its_own() {
    let Some(f) = files() else { return };
    let (env, _, theirs) = diverged(&f, &|env| env.write("Song.als", &f.als[2]), &|_| {});
    // main made no commit of its own ("nothing changed"): HEAD is still the base.
    let v = json(env.run(&["merge", "laptop", "--json"]).ok());
    assert_eq!(v["outcome"], "fast-forward");
    assert_eq!(env.head_id(), theirs);
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[2]);
}

/// Conflicts of every kind: changed on both (a set), added on both with different bytes (a
/// recording), deleted here / changed there (an FL Studio project), changed here / deleted there.
fn conflicted(f: &Files) -> (TestEnv, String, String) {
    diverged(
        f,
        &|env| {
            env.write("Song.als", &f.als[2]);
            env.write("Lead.wav", &pseudo_random(11, 200_000));
            env.write("Drums.flp", &f.flp[1]);
            remove(env, "Samples/vox.wav");
        },
        &|env| {
            env.write("Song.als", &f.als[1]);
            env.write("Lead.wav", &pseudo_random(10, 200_000));
            remove(env, "Drums.flp");
            env.write("Samples/vox.wav", &pseudo_random(3, 300_000));
        },
    )
}

#[test]
fn merge_conflicts_keep_both_versions_and_continue_after_resolve_makes_two_parents() {
    let Some(f) = files() else { return };
    let (env, ours, theirs) = conflicted(&f);
    let r = env.run_code(&["merge", "laptop"], 2);
    assert!(r.stdout.contains("4 conflicts"), "{}", r.stdout);
    assert!(r.stderr.contains("daw resolve"), "{}", r.stderr);
    // Both versions on disk, nothing lost.
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[1]);
    assert_eq!(bytes(&env, "Song (from laptop).als").unwrap(), f.als[2]);
    assert_eq!(bytes(&env, "Lead.wav").unwrap(), pseudo_random(10, 200_000));
    assert_eq!(
        bytes(&env, "Lead (from laptop).wav").unwrap(),
        pseudo_random(11, 200_000)
    );
    assert_eq!(bytes(&env, "Drums.flp").unwrap(), f.flp[1]);
    assert_eq!(
        bytes(&env, "Samples/vox.wav").unwrap(),
        pseudo_random(3, 300_000)
    );
    assert_eq!(env.head_id(), ours, "HEAD does not move until --continue");

    // Status, human and JSON.
    let st = env.run(&["status"]);
    st.ok();
    assert!(
        st.stdout
            .contains("Merging 'laptop' (4 of 4 conflicts unresolved)"),
        "{}",
        st.stdout
    );
    assert!(
        st.stdout.contains(
            "unresolved: Song.als (changed on both sides; theirs in 'Song (from laptop).als')"
        ),
        "{}",
        st.stdout
    );
    let v = json(env.run(&["status", "--json"]).ok());
    assert_eq!(v["merge"]["phase"], "in_progress");
    assert_eq!(v["merge"]["theirs"], "laptop");
    assert_eq!(
        v["merge"]["unresolved"],
        serde_json::json!(["Drums.flp", "Lead.wav", "Samples/vox.wav", "Song.als"])
    );
    let kinds: Vec<&str> = v["merge"]["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "deleted_here",
            "added_both",
            "deleted_there",
            "changed_both"
        ]
    );

    // Nothing moves HEAD meanwhile, and --continue waits for every choice.
    let c = env.run_code(&["commit", "-m", "oops"], 2);
    assert!(c.stderr.contains("merge --continue"), "{}", c.stderr);
    let c = env.run_code(&["merge", "--continue"], 2);
    assert!(c.stderr.contains("4 conflicts unresolved"), "{}", c.stderr);
    let c = env.run_code(&["resolve", "Notes.txt", "--ours"], 2);
    assert!(c.stderr.contains("not a conflict"), "{}", c.stderr);

    env.run(&["resolve", "Song.als", "--theirs"]).ok();
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[2]);
    assert_eq!(bytes(&env, "Song (from laptop).als"), None);
    env.run(&["resolve", "Lead.wav", "--both"]).ok();
    env.run(&["resolve", "Drums.flp", "--ours"]).ok();
    assert_eq!(bytes(&env, "Drums.flp"), None);
    env.run(&["resolve", "Samples/vox.wav", "--theirs"]).ok();
    assert_eq!(bytes(&env, "Samples/vox.wav"), None);
    let st = env.run(&["status"]);
    assert!(
        st.stdout.contains("0 of 4 conflicts unresolved"),
        "{}",
        st.stdout
    );
    assert!(st.stdout.contains("merge --continue"), "{}", st.stdout);

    let v = json(env.run(&["merge", "--continue", "--json"]).ok());
    assert_eq!(v["outcome"], "continued");
    assert_eq!(parents_of_head(&env), vec![ours.clone(), theirs]);
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[2]);
    assert_eq!(bytes(&env, "Lead.wav").unwrap(), pseudo_random(10, 200_000));
    assert_eq!(
        bytes(&env, "Lead (from laptop).wav").unwrap(),
        pseudo_random(11, 200_000)
    );
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["clean"], true, "{st}");
    assert_eq!(st["merge"], serde_json::Value::Null);
    let out = env.tmp.path().join("export");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&out), digest(&env));

    // Undo takes the whole merge back.
    env.run(&["undo"]).ok();
    assert_eq!(env.head_id(), ours);
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[1]);
    assert_eq!(bytes(&env, "Lead (from laptop).wav"), None);
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn merge_abort_restores_exactly_the_state_before() {
    let Some(f) = files() else { return };
    let (env, ours, _) = conflicted(&f);
    // An uncommitted change in a file the merge does not touch is carried along untouched.
    env.write("Notes.txt", b"ideas, edited\n");
    env.write("Take 7.wav", b"a recording never committed");
    let before = digest(&env);
    env.run_code(&["merge", "laptop"], 2);
    assert_ne!(digest(&env), before);
    env.run(&["resolve", "Song.als", "--theirs"]).ok();
    env.run(&["resolve", "Drums.flp", "--ours"]).ok();
    let a = env.run(&["merge", "--abort"]);
    a.ok();
    assert!(
        a.stdout.contains("Aborted the merge of 'laptop'"),
        "{}",
        a.stdout
    );
    assert_eq!(digest(&env), before);
    assert_eq!(env.head_id(), ours);
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["merge"], serde_json::Value::Null);
    let c = env.run_code(&["merge", "--abort"], 2);
    assert!(c.stderr.contains("no merge in progress"), "{}", c.stderr);
    // Work goes on as usual.
    env.commit("after the abort");
}

#[test]
fn merge_refuses_to_overwrite_uncommitted_changes_and_changes_nothing() {
    let Some(f) = files() else { return };
    // A file the merge rewrites (the other side changed it).
    let (env, ours, _) = diverged(&f, &|env| env.write("Song.als", &f.als[1]), &|env| {
        env.write("Drums.flp", &f.flp[1])
    });
    env.write("Song.als", &f.als[2]);
    let before = digest(&env);
    let r = env.run_code(&["merge", "laptop"], 2);
    assert!(r.stderr.contains("Song.als"), "{}", r.stderr);
    assert!(r.stderr.contains("commit them first"), "{}", r.stderr);
    assert_eq!(digest(&env), before);
    assert_eq!(env.head_id(), ours);
    // A conflicted file: refused too, before the other side's copy is written.
    let (env, ours, _) = conflicted(&f);
    env.write("Lead.wav", b"re-recorded, not committed");
    let before = digest(&env);
    let r = env.run_code(&["merge", "laptop"], 2);
    assert!(r.stderr.contains("Lead.wav"), "{}", r.stderr);
    assert_eq!(digest(&env), before);
    assert_eq!(env.head_id(), ours);
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["merge"], serde_json::Value::Null);
}

#[test]
fn merge_refuses_criss_cross_histories_naming_the_bases() {
    let env = TestEnv::new();
    env.write("a.txt", b"base");
    env.init();
    env.commit("base");
    env.run(&["switch", "-c", "laptop"]).ok();
    env.write("b.txt", b"laptop");
    let l1 = env.commit("l1");
    env.run(&["switch", "main"]).ok();
    env.write("c.txt", b"main");
    let m1 = env.commit("m1");
    env.run(&["merge", "laptop"]).ok();
    env.run(&["switch", "laptop"]).ok();
    env.run(&["merge", &m1]).ok();
    env.run(&["switch", "main"]).ok();
    let r = env.run_code(&["merge", "laptop"], 2);
    assert!(r.stderr.contains("2 merge bases"), "{}", r.stderr);
    assert!(r.stderr.contains(&l1[..12]), "{}", r.stderr);
    assert!(r.stderr.contains(&m1[..12]), "{}", r.stderr);
}

#[test]
fn merge_of_a_folder_remotes_diverged_branch_through_pull_merge() {
    let Some(f) = files() else { return };
    let env = TestEnv::new();
    env.write("Song.als", &f.als[0]);
    env.write("Drums.flp", &f.flp[0]);
    env.init();
    env.commit("base");
    let usb: PathBuf = env.tmp.path().join("usb disk/backup");
    std::fs::create_dir_all(usb.parent().unwrap()).unwrap();
    env.run(&["remote", "add", "usb", usb.to_str().unwrap()])
        .ok();
    env.run(&["push"]).ok();
    let home = env.tmp.path().join("home copy");
    env.run(&["clone", usb.to_str().unwrap(), home.to_str().unwrap()])
        .ok();
    let in_home = |args: &[&str]| {
        let mut full = vec!["-C", home.to_str().unwrap()];
        full.extend_from_slice(args);
        env.run(&full)
    };
    std::fs::write(home.join("Song.als"), &f.als[1]).unwrap();
    in_home(&["commit", "-m", "set at home"]).ok();
    in_home(&["push"]).ok();
    env.write("Drums.flp", &f.flp[1]);
    let ours = env.commit("drums in the studio");
    // Diverged: a plain pull says so, offers the merge, and changes nothing.
    let p = env.run_code(&["pull"], 2);
    assert!(p.stderr.contains("diverged"), "{}", p.stderr);
    assert!(p.stderr.contains("daw pull --merge"), "{}", p.stderr);
    assert_eq!(env.head_id(), ours);
    let p = env.run(&["pull", "--merge"]);
    p.ok();
    assert!(p.stdout.contains("Merged 'usb/main'"), "{}", p.stdout);
    assert_eq!(bytes(&env, "Song.als").unwrap(), f.als[1]);
    assert_eq!(bytes(&env, "Drums.flp").unwrap(), f.flp[1]);
    let parents = parents_of_head(&env);
    assert_eq!(parents.len(), 2);
    assert_eq!(parents[0], ours);
    // The merge pushes as a fast-forward, and the other side pulls it.
    env.run(&["push"]).ok();
    in_home(&["pull"]).ok();
    assert_eq!(std::fs::read(home.join("Drums.flp")).unwrap(), f.flp[1]);
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn merge_in_progress_undo_is_an_abort_even_after_resolves() {
    let Some(f) = files() else { return };
    let (env, ours, _) = conflicted(&f);
    let before = digest(&env);
    env.run_code(&["merge", "laptop"], 2);
    env.run(&["resolve", "Song.als", "--theirs"]).ok();
    env.run(&["resolve", "Lead.wav", "--ours"]).ok();
    env.run(&["undo"]).ok();
    assert_eq!(digest(&env), before);
    assert_eq!(env.head_id(), ours);
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["merge"], serde_json::Value::Null);
    assert_eq!(st["clean"], true, "{st}");
}

/// `kill -9` at many moments of a merge that stops on conflicts: afterwards either no merge started
/// (the files untouched) or one is in progress or was interrupted while starting, and `merge --abort`
/// brings back exactly the files before; the repository stays sound.
#[test]
fn merge_killed_at_any_moment_is_aborted_back_to_exactly_the_state_before() {
    let Some(f) = files() else { return };
    for (round, delay_ms) in [0u64, 5, 15, 30, 50, 80, 120, 200, 350, 600]
        .into_iter()
        .enumerate()
    {
        let big = |seed| pseudo_random(seed, 6_000_000);
        let (env, ours, _) = diverged(
            &f,
            &|env| {
                env.write("Song.als", &f.als[2]);
                env.write("Stems/a.wav", &big(21));
                env.write("Stems/b.wav", &big(22));
            },
            &|env| {
                env.write("Song.als", &f.als[1]);
                env.write("Stems/a.wav", &big(31));
            },
        );
        let before = digest(&env);
        let mut child = env
            .cmd(&["merge", "laptop"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let st = json(env.run(&["status", "--json"]).ok());
        let started = !st["merge"].is_null();
        let a = env.run(&["merge", "--abort"]);
        if started {
            a.ok();
        } else {
            assert_eq!(a.status, 2, "round {round}: {}", a.stderr);
        }
        assert_eq!(digest(&env), before, "round {round} ({delay_ms} ms)");
        assert_eq!(env.head_id(), ours, "round {round}");
        env.run(&["fsck", "--read-data"]).ok();
        // And the merge can be made after all.
        env.run_code(&["merge", "laptop"], 2);
        env.run(&["resolve", "Song.als", "--ours"]).ok();
        env.run(&["resolve", "Stems/a.wav", "--theirs"]).ok();
        env.run(&["merge", "--continue"]).ok();
        assert_eq!(
            bytes(&env, "Stems/a.wav").unwrap(),
            big(21),
            "round {round}"
        );
        assert_eq!(
            bytes(&env, "Stems/b.wav").unwrap(),
            big(22),
            "round {round}"
        );
    }
}

/// The merge state is sealed: a flipped byte is reported, never acted on.
#[test]
fn merge_state_tampered_with_is_refused() {
    let Some(f) = files() else { return };
    let (env, _, _) = conflicted(&f);
    env.run_code(&["merge", "laptop"], 2);
    let path = env.daw_dir().join("merge");
    let mut state = std::fs::read(&path).unwrap();
    let last = state.len() - 20;
    state[last] ^= 1;
    std::fs::write(&path, &state).unwrap();
    for args in [
        &["status"][..],
        &["merge", "--continue"],
        &["merge", "--abort"],
    ] {
        let r = env.run(args);
        assert_ne!(r.status, 0, "{args:?}: {}", r.stdout);
        assert!(
            r.stderr.contains("damaged merge state"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(bytes(&env, "Song (from laptop).als").unwrap(), f.als[2]);
}
