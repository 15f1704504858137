//! `daw log --graph`, `--all` and `daw log PATH`: the history drawn as branches and merges, every
//! branch at once, and the commits that changed a file.

use daw::object::{BlobKind, Commit, Signature};
use daw::repo::ops::OpMeta;

use crate::common::TestEnv;
use crate::common::history::redact;

/// A merge commit of `ours` and `theirs` (with ours' files) made through the library (daw has no merge
/// command yet; merges arrive from remotes), put on branch `branch`.
fn merge(env: &TestEnv, branch: &str, ours: &str, theirs: &str, message: &str) -> String {
    let mut repo = env.open_repo();
    repo.set_op_meta(Box::new(|| OpMeta {
        time: 1_763_800_000,
        tz_offset_minutes: 0,
        user: "tester <tester@example.com>".into(),
        hostname: "test".into(),
        command: "test merge".into(),
    }));
    let ours = repo.resolve(ours).unwrap();
    let theirs = repo.resolve(theirs).unwrap();
    // Ours, with their Samples folder (the merge keeps both sides' samples).
    let mut root = repo
        .read_tree(&repo.read_commit(&ours).unwrap().tree)
        .unwrap();
    let their_root = repo
        .read_tree(&repo.read_commit(&theirs).unwrap().tree)
        .unwrap();
    let samples = their_root.get(b"Samples").unwrap().clone();
    let i = root
        .entries
        .iter()
        .position(|e| e.name == b"Samples")
        .unwrap();
    root.entries[i] = samples;
    let (tree, _) = repo
        .store_mut()
        .put_blob(BlobKind::Tree, &root.encode())
        .unwrap();
    let commit = Commit {
        tree,
        parents: vec![ours, theirs],
        author: Signature {
            name: "tester".into(),
            email: "tester@example.com".into(),
            time: 1_763_800_000,
            tz_offset_minutes: 0,
        },
        message: message.into(),
        summary: Vec::new(),
        autosave: false,
    };
    let (id, _) = repo
        .store_mut()
        .put_blob(BlobKind::Commit, &commit.encode())
        .unwrap();
    repo.store_mut().flush().unwrap();
    let _lock = repo.lock("test").unwrap();
    let mut refs = repo.refs().unwrap();
    refs.branches.insert(branch.into(), id);
    repo.update_refs("merge".into(), refs).unwrap();
    id.to_hex()
}

/// main: A, B; mix (from A): M1, M2; main merges mix (C); then main: D. Also an unmerged branch
/// `vocals` from B with V1.
fn history() -> (TestEnv, Vec<(&'static str, String)>) {
    let env = TestEnv::new();
    env.write("Song.txt", b"A");
    env.write("Samples/kick.wav", b"kick");
    env.init();
    let a = env.commit("A");
    env.run(&["switch", "-c", "mix"]).ok();
    env.write("Samples/bass.wav", b"bass 1");
    let m1 = env.commit("M1 bass");
    env.write("Samples/bass.wav", b"bass 2");
    let m2 = env.commit("M2 bass again");
    env.run(&["switch", "main"]).ok();
    env.write("Song.txt", b"B");
    let b = env.commit("B");
    env.run(&["switch", "-c", "vocals"]).ok();
    env.write("Vox.wav", b"vox");
    let v1 = env.commit("V1 vocals");
    env.run(&["switch", "main"]).ok();
    let c = merge(&env, "main", "main", "mix", "C merge mix");
    env.run(&["reset", "--hard", "main"]).ok();
    env.write("Song.txt", b"D");
    let d = env.commit("D");
    let names = vec![
        ("a", a),
        ("b", b),
        ("m1", m1),
        ("m2", m2),
        ("v1", v1),
        ("c", c),
        ("d", d),
    ];
    (env, names)
}

fn show(text: &str, names: &[(&str, String)]) -> String {
    let n: Vec<(&str, &str)> = names.iter().map(|(a, b)| (*a, b.as_str())).collect();
    redact(text, &n)
}

#[test]
fn graph_draws_forks_and_merges() {
    let (env, names) = history();
    let r = env.run(&["log", "--graph", "--oneline"]);
    r.ok();
    assert_eq!(
        show(&r.stdout, &names),
        "\
* <d> (HEAD -> main) D
*   <c> C merge mix
|\\
| * <m2> (mix) M2 bass again
| * <m1> M1 bass
* | <b> B
|/
* <a> A
"
    );
    let all = env.run(&["log", "--graph", "--oneline", "--all"]);
    assert_eq!(
        show(&all.stdout, &names),
        "\
* <d> (HEAD -> main) D
*   <c> C merge mix
|\\
| * <m2> (mix) M2 bass again
| * <m1> M1 bass
| | * <v1> (vocals) V1 vocals
| |/
|/|
* | <b> B
|/
* <a> A
"
    );
}

#[test]
fn graph_in_the_long_format_keeps_the_lanes_beside_the_text() {
    let (env, names) = history();
    let r = env.run(&["log", "--graph", "-n", "3"]);
    let out = show(&r.stdout, &names);
    assert!(
        out.starts_with(
            "* commit <d> (HEAD -> main)\n| Author: tester <tester@HOST>\n| Date:   2025-11-22 08:26:40 +0000 (just now)\n|\n|     D\n|\n*   commit <c>\n|\\\n| | Merge:  <b> <m2>\n"
        ),
        "{out}"
    );
}

#[test]
fn all_shows_every_branch_and_tag_newest_first_children_before_parents() {
    let (env, names) = history();
    env.run(&["tag", "first", "HEAD~2"]).ok();
    let r = env.run(&["log", "--all", "--oneline"]);
    let lines: Vec<String> = show(&r.stdout, &names).lines().map(String::from).collect();
    assert_eq!(lines.len(), 7, "{lines:?}");
    let pos = |n: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(&format!("<{n}>")))
            .unwrap()
    };
    // Children always come before their parents, even with identical timestamps.
    for (child, parent) in [
        ("d", "c"),
        ("c", "b"),
        ("c", "m2"),
        ("m2", "m1"),
        ("m1", "a"),
        ("b", "a"),
        ("v1", "b"),
    ] {
        assert!(
            pos(child) < pos(parent),
            "{child} after {parent}: {lines:?}"
        );
    }
    assert!(lines[pos("v1")].contains("(vocals)"));
    let j: serde_json::Value =
        serde_json::from_str(&env.run(&["log", "--all", "--json"]).stdout).unwrap();
    assert_eq!(j.as_array().unwrap().len(), 7);
}

#[test]
fn log_path_shows_the_commits_that_changed_a_file() {
    let (env, names) = history();
    let r = env.run(&["log", "--oneline", "Samples/bass.wav"]);
    assert_eq!(
        show(&r.stdout, &names),
        "<m2> (mix) M2 bass again\n<m1> M1 bass\n",
        "the merge that brought it in is the same as one of its parents: not shown"
    );
    let r = env.run(&["log", "--oneline", "Song.txt"]);
    assert_eq!(
        show(&r.stdout, &names),
        "<d> (HEAD -> main) D\n<b> B\n<a> A\n"
    );
    // A folder, from a subfolder; and a graph of just those commits.
    let r: crate::common::Run = env
        .cmd(&["log", "--oneline", "--graph", "."])
        .current_dir(env.project.join("Samples"))
        .output()
        .unwrap()
        .into();
    assert_eq!(
        show(&r.stdout, &names),
        "* <m2> (mix) M2 bass again\n* <m1> M1 bass\n* <a> A\n",
        "{}",
        r.stderr
    );
    // A revision, then a path; a deleted file after `--`; --all with a path.
    let r = env.run(&["log", "--oneline", "mix", "Samples/bass.wav"]);
    assert_eq!(
        show(&r.stdout, &names),
        "<m2> (mix) M2 bass again\n<m1> M1 bass\n"
    );
    std::fs::remove_file(env.project.join("Song.txt")).unwrap();
    let r = env.run_code(&["log", "Song.txt"], 2);
    assert!(
        r.stderr.contains("neither a revision nor a file"),
        "{}",
        r.stderr
    );
    let r = env.run(&["log", "--oneline", "--", "Song.txt"]);
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    let r = env.run(&["log", "--oneline", "--all", "--", "Vox.wav"]);
    assert_eq!(show(&r.stdout, &names), "<v1> (vocals) V1 vocals\n");
    // A name that is both a branch and a file is taken as the branch, with a warning.
    env.write("mix", b"a file called mix");
    let r = env.run(&["log", "--oneline", "mix"]);
    assert_eq!(r.stdout.lines().count(), 3);
    assert!(
        r.stderr
            .contains("'mix' is both a revision and a file; taken as the revision"),
        "{}",
        r.stderr
    );
    let r = env.run(&["log", "--oneline", "--", "mix"]);
    assert_eq!(r.stdout, "", "no commit changed the file 'mix'");
}
