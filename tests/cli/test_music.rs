//! The musical side through the binary: `daw diff` (work tree, revisions, --stat, --json, --raw,
//! --files, --git-driver), `daw inspect`, `daw show` and `daw log` summaries, sample warnings at
//! commit and `daw samples`, and project files daw cannot read. Uses the corpus in ../shared.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, TestEnv};

macro_rules! corpus_or_skip {
    () => {
        match common::corpus() {
            Some(c) => c,
            None => return,
        }
    };
}

/// Copies a corpus file into the project under `name`.
fn put(env: &TestEnv, corpus: &Path, from: &str, name: &str) {
    let dest = env.project.join(name);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(corpus.join(from), &dest).unwrap();
    // Corpus files are read-only; the project's copies are edited in place.
    let mut perms = std::fs::metadata(&dest).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&dest, perms).unwrap();
}

/// Applies `../shared/bench/edit_als.py` to a set in the project; returns the edit's JSON report.
fn edit(env: &TestEnv, name: &str, kind: &str, seed: u32) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/edit_als.py");
    let set = env.project.join(name);
    let out = env.tmp.path().join("edited.als");
    let o = Command::new("python3")
        .arg(&script)
        .arg(&set)
        .arg(&out)
        .args(["--seed", &seed.to_string(), "--kind", kind])
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "edit_als failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::rename(&out, &set).unwrap();
    serde_json::from_slice(&o.stdout).expect("edit_als prints JSON")
}

fn commit(env: &TestEnv, message: &str) -> common::Run {
    let r = env.run(&["commit", "-m", message]);
    r.ok();
    r
}

fn json(run: &common::Run) -> serde_json::Value {
    run.ok();
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

#[test]
fn diff_of_the_work_tree_after_a_tempo_edit() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    env.init();
    put(&env, &corpus, "als/ununu__a.als", "Song.als");
    commit(&env, "first");
    let clean = env.run(&["diff", "--exit-code"]);
    assert_eq!((clean.status, clean.stdout.as_str()), (0, ""));

    let e = edit(&env, "Song.als", "tempo", 3);
    env.write("notes.txt", b"bass needs work\n");
    let d = env.run(&["diff"]);
    d.ok();
    let tempo = format!(
        "Tempo {} → {}",
        e["old"].as_str().unwrap(),
        e["new"].as_str().unwrap()
    );
    assert!(d.stdout.starts_with(" M Song.als  ("), "{}", d.stdout);
    assert!(
        d.stdout.contains(&format!("\n     {tempo}\n")),
        "{}",
        d.stdout
    );
    assert!(d.stdout.contains(" A notes.txt  (16 B)"), "{}", d.stdout);
    // Nothing was stored by looking.
    let packs_before = common::files_below(&env.daw_dir().join("packs"));
    assert_eq!(env.run(&["diff", "--exit-code"]).status, 1);
    assert_eq!(
        common::files_below(&env.daw_dir().join("packs")),
        packs_before
    );

    // Only the paths asked for.
    let only = env.run(&["diff", "--", "notes.txt"]);
    assert_eq!(only.stdout, " A notes.txt  (16 B)\n");

    commit(&env, "faster");
    let after = env.run(&["diff", "--exit-code"]);
    assert_eq!((after.status, after.stdout.as_str()), (0, ""));
}

#[test]
fn diff_between_revisions_stat_json_and_raw() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    env.init();
    put(&env, &corpus, "als/ununu__a.als", "Song.als");
    env.write("Samples/kick.wav", &common::pseudo_random(1, 5000));
    commit(&env, "first");
    let e = edit(&env, "Song.als", "tempo", 7);
    std::fs::remove_file(env.project.join("Samples/kick.wav")).unwrap();
    commit(&env, "second");
    let tempo = format!(
        "Tempo {} → {}",
        e["old"].as_str().unwrap(),
        e["new"].as_str().unwrap()
    );

    let two = env.run(&["diff", "HEAD~1", "HEAD"]);
    two.ok();
    assert!(two.stdout.contains(&tempo), "{}", two.stdout);
    assert!(
        two.stdout.contains(" D Samples/kick.wav  (5.0 KB)"),
        "{}",
        two.stdout
    );
    assert_eq!(env.run(&["diff", "HEAD~1..HEAD"]).stdout, two.stdout);
    // One revision: against the work tree, which is HEAD's content.
    let one = env.run(&["diff", "HEAD~1"]);
    assert_eq!(one.stdout, two.stdout);
    // Backwards.
    let back = env.run(&["diff", "HEAD", "HEAD~1"]);
    let undo = format!(
        "Tempo {} → {}",
        e["new"].as_str().unwrap(),
        e["old"].as_str().unwrap()
    );
    assert!(back.stdout.contains(&undo), "{}", back.stdout);
    assert!(
        back.stdout.contains(" A Samples/kick.wav"),
        "{}",
        back.stdout
    );

    let stat = env.run(&["diff", "--stat", "HEAD~1", "HEAD"]);
    stat.ok();
    let lines: Vec<&str> = stat.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", stat.stdout);
    assert!(
        lines[0].starts_with(" Samples/kick.wav | removed, 5.0 KB"),
        "{}",
        stat.stdout
    );
    assert!(
        lines[1].starts_with(" Song.als         | modified, ")
            && lines[1].ends_with(", 1 musical change"),
        "{}",
        stat.stdout
    );
    assert_eq!(lines[2], " 2 files changed: 0 added, 1 modified, 1 removed");

    let v = json(&env.run(&["diff", "--json", "HEAD~1", "HEAD"]));
    let head = env.run(&["show", "--json"]);
    let head_id = json(&head)["id"].as_str().unwrap().to_string();
    assert_eq!(v["new"]["commit"], head_id.as_str());
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "Samples/kick.wav");
    assert_eq!(files[0]["kind"], "removed");
    assert_eq!(files[0]["old_size"], 5000);
    assert!(files[0]["project"].is_null());
    let set = &files[1];
    assert_eq!(set["kind"], "modified");
    let changes = set["project"]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["change"], "tempo_changed");
    assert_eq!(changes[0]["text"], tempo.as_str());
    assert_eq!(set["project"]["new"]["readable"]["tracks"], 4);
    assert_eq!(set["project"]["new"]["readable"]["format"], "ableton");
    let wt = json(&env.run(&["diff", "--json"]));
    assert!(wt["new"]["worktree"].is_string(), "{wt}");
    assert_eq!(wt["files"].as_array().unwrap().len(), 0);

    // --raw: the XML line that the edit changed.
    let raw = env.run(&["diff", "--raw", "HEAD~1", "HEAD"]);
    raw.ok();
    assert!(
        raw.stdout
            .contains("--- a/Song.als (XML)\n+++ b/Song.als (XML)\n@@ -"),
        "{}",
        raw.stdout
    );
    let minus = format!(
        "-\t\t\t\t\t\t<Manual Value=\"{}\" />",
        e["old"].as_str().unwrap()
    );
    let plus = format!(
        "+\t\t\t\t\t\t<Manual Value=\"{}\" />",
        e["new"].as_str().unwrap()
    );
    assert!(raw.stdout.contains(&minus), "{}", raw.stdout);
    assert!(raw.stdout.contains(&plus), "{}", raw.stdout);
    assert!(!raw.stdout.contains("Tempo "), "{}", raw.stdout);
}

#[test]
fn diff_files_compares_corpus_pairs_outside_a_repository() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new(); // no `daw init`: --files needs no repository
    let c = |p: &str| corpus.join(p).to_string_lossy().into_owned();
    let fl = env.run(&[
        "diff",
        "--files",
        &c("flp/jflp__test@9e9509b.flp"),
        &c("flp/jflp__test@61aded5.flp"),
    ]);
    fl.ok();
    assert!(
        fl.stdout.contains("\n     Tempo 92.001 → 91.001\n"),
        "{}",
        fl.stdout
    );

    let (a, b) = (
        c("als/ununu__merge-parser_a_project.als"),
        c("als/ununu__merge-parser_b_project.als"),
    );
    let live = env.run(&["diff", "--files", &a, &b]);
    live.ok();
    let lines: Vec<&str> = live.stdout.lines().skip(1).map(str::trim).collect();
    assert_eq!(
        lines,
        [
            "Saved with version 10.1.17 (was 10.1.15)",
            "Track '2-Audio' renamed to '2-A-Conga Hi Slap 1'",
            "+ Clip 'A-Conga Hi Slap 1' on '2-A-Conga Hi Slap 1' at bar 1",
            "+ Sample 'Samples/Drums/Conga/A-Conga Hi Slap 1.aif' (from the Core Library)",
        ]
    );
    assert_eq!(
        env.run(&["diff", "--exit-code", "--files", &a, &b]).status,
        1
    );
    let same = env.run(&["diff", "--exit-code", "--files", &a, &a]);
    assert_eq!((same.status, same.stdout.as_str()), (0, ""));
    let v = json(&env.run(&["diff", "--json", "--files", &a, &b]));
    assert_eq!(
        v["files"][0]["project"]["changes"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let missing = env.run(&["diff", "--files", "nope.als", &a]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.stderr.starts_with("error: cannot read nope.als:"),
        "{}",
        missing.stderr
    );
}

#[test]
fn git_driver_arguments_and_git_itself() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    let c = |p: &str| corpus.join(p).to_string_lossy().into_owned();
    let (old, new) = (
        c("flp/jflp__test@9e9509b.flp"),
        c("flp/jflp__test@61aded5.flp"),
    );
    // git runs: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE
    let r = env.run(&[
        "diff",
        "--git-driver",
        "Beat.flp",
        &old,
        "abc",
        "100644",
        &new,
        "def",
        "100644",
    ]);
    r.ok();
    assert!(
        r.stdout.starts_with(" M Beat.flp  (867.1 KB → 867.1 KB)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Tempo 92.001 → 91.001"), "{}", r.stdout);
    let added = env.run(&[
        "diff",
        "--git-driver",
        "Beat.flp",
        "/dev/null",
        ".",
        ".",
        &new,
        "def",
        "100644",
    ]);
    added.ok();
    assert!(
        added
            .stdout
            .starts_with(" A Beat.flp  (867.1 KB)\n     FL Studio"),
        "{}",
        added.stdout
    );

    // The README's set-up, with the real git.
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: git not found; skipped the git part");
        return;
    }
    let repo = env.tmp.path().join("gitrepo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("HOME", &env.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    git(&["init", "-q"]);
    let driver = format!("{} diff --git-driver", common::daw_bin());
    git(&["config", "diff.daw.command", &driver]);
    std::fs::write(
        repo.join(".gitattributes"),
        "*.als diff=daw\n*.flp diff=daw\n",
    )
    .unwrap();
    std::fs::copy(&old, repo.join("Beat.flp")).unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "one"]);
    std::fs::copy(&new, repo.join("Beat.flp")).unwrap();
    let out = git(&["diff"]);
    assert!(out.contains(" M Beat.flp  (867.1 KB → 867.1 KB)"), "{out}");
    assert!(out.contains("Tempo 92.001 → 91.001"), "{out}");
}

#[test]
fn inspect_prints_live_and_fl_models() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    put(
        &env,
        &corpus,
        "als/ununu__merge-parser_b_project.als",
        "Song.als",
    );
    let r = env.run(&["inspect", "Song.als"]);
    r.ok();
    let out = &r.stdout;
    assert!(
        out.starts_with("Song.als: Live 10.1.17 set\nTempo           120 BPM\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "Time signature  4/4\nTracks          6 (4 audio, 0 MIDI, 0 group, 2 return)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  5. Return track 'A-Reverb'\n       device  Reverb\n"),
        "{out}"
    );
    assert!(
        out.contains("  2. Audio track '2-A-Conga Hi Slap 1'\n"),
        "{out}"
    );
    assert!(
        out.contains("       clip    'A-Conga Hi Slap 1' at bar 1, "),
        "{out}"
    );
    assert!(
        out.contains("\n  Samples/Drums/Conga/A-Conga Hi Slap 1.aif  (Core Library)\n"),
        "{out}"
    );
    let v = json(&env.run(&["inspect", "--json", "Song.als"]));
    assert_eq!(v["summary"]["tempo"], 120.0);
    assert_eq!(v["project"]["format"], "ableton");
    assert_eq!(v["project"]["tracks"][1]["name"], "2-A-Conga Hi Slap 1");

    let flp = corpus.join("flp/jflp__test@61aded5.flp");
    let r = env.run(&["inspect", flp.to_str().unwrap()]);
    r.ok();
    assert!(r.stdout.contains(": FL Studio "), "{}", r.stdout);
    assert!(
        r.stdout.contains("\nTempo           91.001 BPM\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\nChannels\n"), "{}", r.stdout);
    let v = json(&env.run(&["inspect", "--json", flp.to_str().unwrap()]));
    assert_eq!(v["project"]["format"], "fl_studio");
    assert!(
        (v["summary"]["tempo"].as_f64().unwrap() - 91.001).abs() < 1e-6,
        "{v}"
    );

    let bad = corpus.join("flp/corrupted/pyflp__invalid-ppq.flp");
    let r = env.run(&["inspect", bad.to_str().unwrap()]);
    assert_eq!(r.status, 1);
    assert!(
        r.stderr
            .contains("daw cannot read it as a project: Invalid PPQ 0 in the FL Studio header"),
        "{}",
        r.stderr
    );
    assert_eq!(env.run(&["inspect", "nothing.als"]).status, 2);
}

#[test]
fn show_and_log_speak_music() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    env.init();
    put(
        &env,
        &corpus,
        "als/ununu__merge-parser_a_project.als",
        "Song.als",
    );
    commit(&env, "a");
    put(
        &env,
        &corpus,
        "als/ununu__merge-parser_b_project.als",
        "Song.als",
    );
    commit(&env, "b");
    env.write("notes.txt", b"mix notes\n");
    commit(&env, "notes only");

    let show = env.run(&["show", "HEAD~1"]);
    show.ok();
    assert!(
        show.stdout.contains(
            " M Song.als  (10.3 KB → 10.7 KB)\n     Saved with version 10.1.17 (was 10.1.15)\n     \
             Track '2-Audio' renamed to '2-A-Conga Hi Slap 1'\n"
        ),
        "{}",
        show.stdout
    );
    let first = env.run(&["show", "HEAD~2"]);
    assert!(
        first.stdout.contains(
            " A Song.als  (10.3 KB)\n     Live 10.1.15 set: 120 BPM · 6 tracks · 1 clip\n"
        ),
        "{}",
        first.stdout
    );
    let v = json(&env.run(&["show", "--json", "HEAD~1"]));
    assert_eq!(
        v["files"][0]["project"]["changes"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let log = env.run(&["log"]);
    log.ok();
    let projects: Vec<&str> = log
        .stdout
        .lines()
        .filter(|l| l.starts_with("Project: "))
        .collect();
    assert_eq!(
        projects,
        [
            // Unchanged in the newest commit: the set's state, without what changed.
            "Project: Song.als: 120 BPM · 6 tracks · 2 clips",
            "Project: Song.als: 120 BPM · 6 tracks · 2 clips — 1 clip added, 1 track renamed, \
             1 sample added, 1 more change",
            "Project: Song.als: 120 BPM · 6 tracks · 1 clip — new",
        ],
        "{}",
        log.stdout
    );
    let oneline = env.run(&["log", "--oneline"]);
    assert!(
        oneline.stdout.lines().nth(1).unwrap().ends_with(
            " b [120 BPM · 6 tracks · 2 clips — 1 clip added, 1 track renamed, 1 sample added, \
             1 more change]"
        ),
        "{}",
        oneline.stdout
    );
}

/// The pack files holding the chunks of `path` at HEAD (not its content nodes, trees or commits).
fn data_packs_of(env: &TestEnv, path: &str) -> Vec<PathBuf> {
    use daw::object::{EntryKind, FileStorage};
    let repo = env.open_repo();
    let head = repo.head_commit().unwrap().unwrap();
    let tree = repo
        .read_tree(&repo.read_commit(&head).unwrap().tree)
        .unwrap();
    let entry = tree.get(path.as_bytes()).unwrap();
    let EntryKind::File { storage, .. } = &entry.kind else {
        panic!("{path} is not a file")
    };
    let content = match storage {
        FileStorage::GzipPayload { payload, .. } => *payload,
        FileStorage::Raw(c) => *c,
    };
    let mut packs = Vec::new();
    daw::store::content::walk_ids(repo.store(), &content, &mut |id, kind| {
        if kind != daw::object::BlobKind::Chunk {
            return Ok(true);
        }
        // A chunk stored as a delta sits in a metadata pack beside the commits; its chain ends
        // in a chunk stored whole, in a data pack: removing that one is enough.
        let mut id = id;
        while let Some(base) = repo.store().blobs()?.base_of(&id)? {
            id = base;
        }
        let loc = repo.store().locate(&id)?;
        let p = env.daw_dir().join(daw::store::pack::pack_path(&loc.pack));
        if !packs.contains(&p) {
            packs.push(p);
        }
        Ok(true)
    })
    .unwrap();
    packs
}

#[test]
fn log_reads_summaries_from_commits_without_parsing_sets() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    env.init();
    put(&env, &corpus, "als/ununu__a.als", "Song.als");
    commit(&env, "one");
    let e = edit(&env, "Song.als", "tempo", 11);
    commit(&env, "two");
    let expected = format!(
        "— tempo {} → {}]",
        e["old"].as_str().unwrap(),
        e["new"].as_str().unwrap()
    );
    let before = env.run(&["log", "--oneline"]);
    assert!(
        before.stdout.lines().next().unwrap().ends_with(&expected),
        "{}",
        before.stdout
    );

    // Remove the packs that hold the set's bytes: nothing can parse it any more…
    for p in data_packs_of(&env, "Song.als") {
        std::fs::remove_file(p).unwrap();
    }
    let diff = env.run(&["diff", "HEAD~1", "HEAD"]);
    assert_ne!(
        diff.status, 0,
        "the set's data is really gone: {}",
        diff.stdout
    );
    // …and log still shows every summary, read from the commits alone.
    let after = env.run(&["log", "--oneline"]);
    after.ok();
    assert_eq!(after.stdout, before.stdout);
}

#[test]
fn commit_warns_about_samples_the_snapshot_lacks_and_samples_lists_them() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    env.init();
    // abledex__test.als references nine samples under Samples/Imported (inside the project).
    put(&env, &corpus, "als/abledex__test.als", "Song.als");
    env.write("Samples/Imported/Kick 606.wav", b"RIFF kick");
    env.write("Samples/Imported/Snare 606.aif", b"FORM snare");
    env.write(".dawignore", b"Samples/Imported/Snare 606.aif\n");
    put(&env, &corpus, "als/abledex__test.als", "Sets/Song B.als");
    let r = commit(&env, "drums");
    // Issue 16: one line per sample (sixteen here) buried the rest; one line per set says how many
    // and where the list is.
    assert_eq!(
        r.stderr,
        "warning: Sets/Song B.als: 8 samples not in the snapshot (7 missing, 1 ignored); \
         `daw samples --missing` lists them\n\
         warning: Song.als: 8 samples not in the snapshot (7 missing, 1 ignored); \
         `daw samples --missing` lists them\n"
    );

    let list = env.run(&["samples", "Song.als"]);
    list.ok();
    assert!(list.stdout.starts_with("Song.als\n"), "{}", list.stdout);
    assert!(
        list.stdout
            .contains("\n  in project Samples/Imported/Kick 606.wav\n"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .contains("\n  ignored    Samples/Imported/Snare 606.aif\n"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .contains("\n  missing    Samples/Imported/Cymbal 606.aif\n"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .ends_with("9 samples: 1 in the project, 1 ignored, 7 missing\n"),
        "{}",
        list.stdout
    );
    let missing = env.run(&["samples", "--missing"]);
    assert_eq!(missing.status, 1);
    assert!(
        missing
            .stdout
            .ends_with("16 samples not in the snapshot: 2 ignored, 14 missing\n"),
        "{}",
        missing.stdout
    );
    assert!(
        !missing.stdout.contains("Kick 606.wav"),
        "{}",
        missing.stdout
    );
    let v: serde_json::Value =
        serde_json::from_str(&env.run(&["samples", "--json", "Song.als"]).stdout).unwrap();
    let kick = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sample"] == "Samples/Imported/Kick 606.wav")
        .unwrap();
    assert_eq!(kick["status"], "in_project");
    assert_eq!(kick["project"], "Song.als");
    assert_eq!(kick["found"], "Samples/Imported/Kick 606.wav");

    // A sample outside the project folder: found, but no snapshot can hold it.
    let outside = env.tmp.path().join("Splice/loop.wav");
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    std::fs::write(&outside, b"RIFF loop").unwrap();
    // Point one reference at it: the set is plain XML here (Live opens those too).
    let xml = {
        use std::io::Read;
        let mut s = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(env.project.join("Song.als")).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let old_abs = xml
        .split("<Path Value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .find(|p| p.ends_with("Samples/Imported/Cymbal 606.aif"))
        .expect("the set records Cymbal's absolute path")
        .to_string();
    let xml = xml
        .replace(&old_abs, outside.to_str().unwrap())
        .replace("Value=\"Samples/Imported/Cymbal 606.aif\"", "Value=\"\"");
    std::fs::write(env.project.join("Song.als"), xml).unwrap();
    let r = commit(&env, "loop from Splice");
    assert!(
        r.stderr.contains(
            "warning: Song.als: 8 samples not in the snapshot (6 missing, 1 outside the project, \
             1 ignored); `daw samples --missing` lists them\n"
        ),
        "{}",
        r.stderr
    );
    let listed = env.run(&["samples", "--missing", "Song.als"]);
    assert!(
        listed
            .stdout
            .contains(&format!("\n  outside    {}", outside.display()))
            || listed
                .stdout
                .contains(&format!("  ({})", outside.display())),
        "{}",
        listed.stdout
    );
}

#[test]
fn unreadable_project_files_are_versioned_and_the_diff_says_why() {
    let corpus = corpus_or_skip!();
    let env = TestEnv::new();
    env.init();
    put(&env, &corpus, "als/invalid/ununu__test.als", "Note.als");
    put(
        &env,
        &corpus,
        "flp/corrupted/pyflp__invalid-ppq.flp",
        "Beat.flp",
    );
    // A truncated save: the first half of a real set.
    let whole = std::fs::read(corpus.join("als/ununu__a.als")).unwrap();
    env.write("Cut.als", &whole[..whole.len() / 2]);
    let r = commit(&env, "broken files");
    assert!(
        !r.stderr.contains("Cut.als"),
        "no warning for a file that was stored: {}",
        r.stderr
    );

    let log = env.run(&["log"]);
    assert!(
        log.stdout
            .contains("Project: Beat.flp: unreadable: Invalid PPQ 0 in the FL Studio header"),
        "{}",
        log.stdout
    );
    assert!(
        log.stdout.contains(
            "Project: Note.als: unreadable: not an Ableton Live set: root element is <note>"
        ),
        "{}",
        log.stdout
    );
    assert!(
        log.stdout.contains("Project: Cut.als: unreadable: "),
        "{}",
        log.stdout
    );
    // One line per commit only says which sets could not be read.
    let oneline = env.run(&["log", "--oneline", "-n", "1"]);
    assert!(
        oneline.stdout.contains("Cut.als: unreadable")
            && !oneline.stdout.contains("Cut.als: unreadable: "),
        "{}",
        oneline.stdout
    );

    let show = env.run(&["show"]);
    show.ok();
    assert!(
        show.stdout
            .contains(" A Beat.flp  (22 B)\n     daw cannot read it as a project: Invalid PPQ 0"),
        "{}",
        show.stdout
    );

    // Byte-exact all the same.
    let out = env.tmp.path().join("exported");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    for name in ["Note.als", "Beat.flp", "Cut.als"] {
        assert_eq!(
            std::fs::read(out.join(name)).unwrap(),
            std::fs::read(env.project.join(name)).unwrap(),
            "{name}"
        );
    }

    // The whole set comes back: the diff says the old version could not be read.
    std::fs::write(env.project.join("Cut.als"), &whole).unwrap();
    let d = env.run(&["diff"]);
    d.ok();
    assert!(
        d.stdout.contains(
            " M Cut.als  (4.6 KB → 9.2 KB)\n     daw cannot read the old version as a project: "
        ),
        "{}",
        d.stdout
    );
    assert!(
        d.stdout
            .contains("\n     now a Live 10.1.7 set: 120 BPM · 4 tracks · 2 clips\n"),
        "{}",
        d.stdout
    );
    commit(&env, "fixed");
    let oneline = env.run(&["log", "--oneline", "-n", "1"]);
    assert!(
        oneline
            .stdout
            .contains("Cut.als: 120 BPM · 4 tracks · 2 clips — readable again"),
        "{}",
        oneline.stdout
    );
}

/// Issue 16: `log --oneline` repeated every set's summary on commits that did not change the set. A
/// set's summary is shown where it changed (against the first parent) and on the first commit.
#[test]
fn log_oneline_shows_a_sets_summary_only_where_it_changed() {
    let env = TestEnv::new();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-project/Demo Song.als");
    let xml = {
        use std::io::Read;
        let mut s = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&demo).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    env.write("A.als", xml.as_bytes());
    env.write("B.als", xml.as_bytes());
    env.init();
    env.run(&["commit", "-m", "two sets"]).ok();
    let faster = xml.replace("<Manual Value=\"120\" />", "<Manual Value=\"128\" />");
    assert_ne!(faster, xml);
    env.write("A.als", faster.as_bytes());
    env.run(&["commit", "-m", "A faster"]).ok();
    env.write("notes.txt", b"mix notes");
    env.run(&["commit", "-m", "notes"]).ok();
    let log = env.run(&["log", "--oneline"]);
    log.ok();
    let lines: Vec<String> = log
        .stdout
        .lines()
        .map(|l| l.split_once(' ').unwrap().1.to_string())
        .collect();
    assert_eq!(lines.len(), 3, "{}", log.stdout);
    assert_eq!(lines[0], "(HEAD -> main) notes", "{}", log.stdout);
    assert!(
        lines[1].starts_with("A faster [A.als: 128 BPM") && !lines[1].contains("B.als"),
        "{}",
        log.stdout
    );
    assert!(
        lines[2].starts_with("two sets [A.als: 120 BPM") && lines[2].contains("; B.als: 120 BPM"),
        "{}",
        log.stdout
    );
    // The long format still shows every set on every commit.
    assert_eq!(
        env.run(&["log", "-n", "1"])
            .stdout
            .matches("Project: ")
            .count(),
        2
    );
}
