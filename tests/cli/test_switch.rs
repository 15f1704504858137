//! Commands that rewrite the project's files: `switch`, `restore`, `reset`. Only what differs is
//! touched, files the target lacks go, ignored and never-committed files stay, uncommitted changes are
//! never overwritten without --discard-changes / --force (and then are saved for `daw undo`), and
//! detached HEADs are explained.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;

use crate::common::history::redact;
use crate::common::{TestEnv, pseudo_random, tree_digest};

/// The project as `daw export REV` writes it: what the folder must look like after a switch.
fn digest_of(env: &TestEnv, rev: &str) -> BTreeMap<String, String> {
    let dest = env.tmp.path().join(format!("export-{}", rand_suffix()));
    env.run(&["export", rev, dest.to_str().unwrap()]).ok();
    tree_digest(&dest)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The project folder without the given extra paths (ignored or never committed files).
fn digest_without(env: &TestEnv, extra: &[&str]) -> BTreeMap<String, String> {
    let mut d = tree_digest(&env.project);
    for e in extra {
        d.remove(*e);
    }
    d
}

fn ino(env: &TestEnv, rel: &str) -> u64 {
    std::fs::symlink_metadata(env.project.join(rel))
        .unwrap()
        .ino()
}

/// main: Song.als, Samples/{kick,snare}.wav, Notes.txt. mix: Song.als changed, Samples/bass.wav and
/// Stems/vox.wav added, Notes.txt removed.
fn two_branches() -> (TestEnv, String, String) {
    let env = TestEnv::new();
    env.write("Song.als", b"<set tempo=120/>");
    env.write("Samples/kick.wav", &pseudo_random(1, 50_000));
    env.write("Samples/snare.wav", &pseudo_random(2, 50_000));
    env.write("Notes.txt", b"ideas");
    env.init();
    let main = env.commit("Drums");
    env.run(&["switch", "-c", "mix"]).ok();
    env.write("Song.als", b"<set tempo=128/>");
    env.write("Samples/bass.wav", &pseudo_random(3, 50_000));
    env.write("Stems/vox.wav", &pseudo_random(4, 50_000));
    std::fs::remove_file(env.project.join("Notes.txt")).unwrap();
    let mix = env.commit("Bass and vocals");
    env.run(&["switch", "main"]).ok();
    (env, main, mix)
}

#[test]
fn switch_writes_only_what_differs_and_leaves_ignored_and_new_files_alone() {
    let (env, main, mix) = two_branches();
    assert_eq!(digest_without(&env, &[]), digest_of(&env, &main));
    env.write(
        "Backup/Song [2025-11-22].als",
        b"Live's own backup (ignored)",
    );
    env.write("Samples/kick.wav.asd", b"analysis (ignored)");
    env.write("Take 7.wav", b"a recording never committed");
    let extra = [
        "Backup",
        "Backup/Song [2025-11-22].als",
        "Samples/kick.wav.asd",
        "Take 7.wav",
    ];
    let kick = ino(&env, "Samples/kick.wav");
    let snare_mtime = std::fs::metadata(env.project.join("Samples/snare.wav"))
        .unwrap()
        .modified()
        .unwrap();

    let r = env.run(&["switch", "mix"]);
    assert_eq!(
        r.stdout,
        "Switched to branch 'mix' (3 files written, 1 file removed).\n"
    );
    assert_eq!(digest_without(&env, &extra), digest_of(&env, &mix));
    assert_eq!(
        ino(&env, "Samples/kick.wav"),
        kick,
        "an unchanged file was rewritten"
    );
    assert_eq!(
        std::fs::metadata(env.project.join("Samples/snare.wav"))
            .unwrap()
            .modified()
            .unwrap(),
        snare_mtime
    );
    for e in &extra[1..] {
        assert!(env.project.join(e).exists(), "{e} was removed");
    }

    let r = env.run(&["-v", "switch", "main"]);
    assert_eq!(
        r.stdout,
        "  wrote   Notes.txt\n  wrote   Song.als\n  removed Samples/bass.wav\n  removed Stems/vox.wav\nSwitched to branch 'main' (2 files written, 2 files removed).\n"
    );
    assert_eq!(digest_without(&env, &extra), digest_of(&env, &main));
    assert!(
        !env.project.join("Stems").exists(),
        "the emptied folder stays"
    );
    assert_eq!(env.run(&["switch", "main"]).stdout, "Already on 'main'.\n");
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn switch_refuses_to_overwrite_uncommitted_changes_and_names_the_files() {
    let (env, main, mix) = two_branches();
    env.write("Song.als", b"<set tempo=90/> unsaved idea");
    env.write("Stems/vox.wav", b"a take that was never committed");
    let before = tree_digest(&env.project);
    let r = env.run_code(&["switch", "mix"], 2);
    assert_eq!(
        r.stderr,
        "error: this would overwrite uncommitted changes to 2 files: Song.als, Stems/vox.wav\n\
hint: commit them first (`daw commit -m MESSAGE`)\n\
hint: or run again with --discard-changes: they are saved in the repository, and `daw undo` brings them back\n"
    );
    assert_eq!(
        tree_digest(&env.project),
        before,
        "a refused switch touched files"
    );
    assert_eq!(env.run(&["branch"]).stdout, "* main\n  mix\n");

    // Discarding saves them; undo brings back the branch and the exact bytes.
    let r = env.run(&["switch", "--discard-changes", "mix"]);
    r.ok();
    assert!(
        r.stderr.contains(
            "warning: discarded uncommitted changes to 2 files (Song.als, Stems/vox.wav); they are saved: `daw undo` brings them back"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(digest_without(&env, &[]), digest_of(&env, &mix));
    let u = env.run(&["undo"]);
    assert_eq!(
        u.stdout,
        "Undid: switch to branch 'mix'  (daw switch --discard-changes mix)\n    HEAD: mix → main\n    files: 3 files written, 1 file removed\n"
    );
    assert_eq!(tree_digest(&env.project), before);
    assert_eq!(env.run(&["branch"]).stdout, "* main\n  mix\n");
    // Redo, and undo again: the saved changes survive every round.
    env.run(&["undo"]).ok();
    assert_eq!(digest_without(&env, &[]), digest_of(&env, &mix));
    env.run(&["undo"]).ok();
    assert_eq!(tree_digest(&env.project), before);
    let _ = main;
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn uncommitted_changes_to_files_that_do_not_differ_come_along() {
    let (env, _, mix) = two_branches();
    env.write("Samples/kick.wav", b"kick re-recorded, not committed");
    let r = env.run(&["switch", "mix"]);
    r.ok();
    assert_eq!(
        env.read("Samples/kick.wav"),
        "kick re-recorded, not committed"
    );
    assert_eq!(
        env.run(&["status", "--short"]).stdout,
        "M Samples/kick.wav\n"
    );
    let mut expected = digest_of(&env, &mix);
    expected.remove("Samples/kick.wav");
    let mut got = tree_digest(&env.project);
    got.remove("Samples/kick.wav");
    assert_eq!(got, expected);
    // A file that already holds the target's content is not a conflict.
    env.run(&["switch", "main"]).ok();
    env.write("Song.als", b"<set tempo=128/>");
    env.run(&["switch", "mix"]).ok();
}

#[test]
fn a_file_or_folder_in_the_way_is_refused() {
    let (env, _, _) = two_branches();
    // A never-committed file where mix has a folder.
    env.write("Stems", b"a file named like mix's folder");
    let r = env.run_code(&["switch", "mix"], 2);
    assert!(
        r.stderr.contains("uncommitted changes to Stems"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(env.project.join("Stems")).unwrap();
    // A folder with files daw does not track where mix has a file.
    env.write("Samples/bass.wav/inside.txt", b"x");
    let r = env.run_code(&["switch", "mix"], 2);
    assert!(r.stderr.contains("Samples/bass.wav"), "{}", r.stderr);
}

#[test]
fn detached_head_is_explained_and_commits_left_behind_are_warned_about() {
    let (env, main, _) = two_branches();
    let r = env.run(&["switch", "--detach", "mix~1"]);
    assert_eq!(
        redact(&r.stdout, &[("main", &main)]),
        "HEAD is now at <main> Drums.\n"
    );
    assert!(
        r.stderr.contains("warning: HEAD is detached (on no branch): commits made now belong to no branch; `daw switch -c NAME` starts one here"),
        "{}",
        r.stderr
    );
    env.write("Idea.txt", b"experiment");
    let c = env.run(&["commit", "-m", "Experiment"]);
    assert!(c.stdout.starts_with("[detached HEAD "), "{}", c.stdout);
    let experiment = env.head_id();
    let r = env.run(&["switch", "main"]);
    assert_eq!(r.stdout, "Switched to branch 'main' (1 file removed).\n");
    assert_eq!(
        redact(&r.stderr, &[("x", &experiment)]),
        "warning: leaving 1 commit that no branch or tag holds, the newest <x> \"Experiment\"; keep it with `daw branch NAME <x>` (or `daw undo`)\n"
    );
    // Keeping it: undo, then make a branch there.
    env.run(&["undo"]).ok();
    assert_eq!(env.head_id(), experiment);
    let r = env.run(&["switch", "-c", "experiment"]);
    assert_eq!(r.stdout, "Switched to a new branch 'experiment'.\n");
    assert_eq!(r.stderr, "");
    let r = env.run(&["switch", "main"]);
    assert_eq!(r.stderr, "", "nothing is left behind any more");
    // A branch that does not exist: hints for both meanings.
    let r = env.run_code(&["switch", "nope"], 2);
    assert_eq!(
        r.stderr,
        "error: no branch named 'nope'\nhint: create it with `daw switch -c nope`\nhint: or look at a commit with `daw switch --detach nope`\n"
    );
}

#[test]
fn switch_c_starts_a_branch_at_a_revision() {
    let (env, main, _) = two_branches();
    let r = env.run(&["switch", "-c", "remix", "mix~1"]);
    assert_eq!(r.stdout, "Switched to a new branch 'remix'.\n");
    assert_eq!(env.head_id(), main);
    let r = env.run(&["switch", "-c", "remix 2", "mix"]);
    assert_eq!(
        r.stdout,
        "Switched to a new branch 'remix 2' (3 files written, 1 file removed).\n"
    );
    let r = env.run_code(&["switch", "-c", "mix"], 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
}

#[test]
fn restore_brings_back_chosen_files_and_guards_uncommitted_changes() {
    let (env, main, mix) = two_branches();
    env.run(&["switch", "mix"]).ok();
    let names = [("main", main.as_str()), ("mix", mix.as_str())];
    // One file from an old commit; nothing else changes.
    let others = ino(&env, "Samples/bass.wav");
    let r = env.run(&["restore", "--source", "main", "Song.als"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Restored from <main>: 1 file written.\n"
    );
    assert_eq!(env.read("Song.als"), "<set tempo=120/>");
    assert_eq!(ino(&env, "Samples/bass.wav"), others);
    assert_eq!(env.run(&["status", "--short"]).stdout, "M Song.als\n");
    assert_eq!(
        env.run(&["branch"]).stdout,
        "  main\n* mix\n",
        "branches do not move"
    );
    // Again from HEAD: the restored file is now an uncommitted change: refused without --force.
    let r = env.run_code(&["restore", "Song.als"], 2);
    assert!(
        r.stderr
            .starts_with("error: this would overwrite uncommitted changes to Song.als\n"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("run again with --force"), "{}", r.stderr);
    let r = env.run(&["restore", "--force", "Song.als"]);
    assert_eq!(r.stdout, "Restored from HEAD: 1 file written.\n");
    assert_eq!(env.read("Song.als"), "<set tempo=128/>");
    // Undo brings back what --force overwrote.
    env.run(&["undo"]).ok();
    assert_eq!(env.read("Song.als"), "<set tempo=120/>");
    env.run(&["restore", "--force", "Song.als"]).ok();

    // A whole folder: files the source lacks go, never-committed files stay.
    env.write("Samples/new take.wav", b"never committed");
    let r = env.run(&["-v", "restore", "-s", "main", "Samples"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "  removed Samples/bass.wav\nRestored from <main>: 1 file removed.\n"
    );
    assert!(env.project.join("Samples/new take.wav").exists());
    // A deleted file comes back from HEAD without --force (nothing to lose).
    std::fs::remove_file(env.project.join("Stems/vox.wav")).unwrap();
    env.run(&["restore", "Stems"]).ok();
    assert!(env.project.join("Stems/vox.wav").exists());
    let r = env.run(&["restore", "Stems"]);
    assert_eq!(r.stdout, "Already as in HEAD; nothing to restore.\n");
    // Paths that name nothing, and paths outside the project.
    let r = env.run_code(&["restore", "Nope.als"], 2);
    assert!(
        r.stderr.contains("'Nope.als' matches no file"),
        "{}",
        r.stderr
    );
    let r = env.run_code(&["restore", "/etc/passwd"], 2);
    assert!(r.stderr.contains("outside the project"), "{}", r.stderr);
    assert_eq!(env.run(&["restore"]).status, 2);
    // Paths are relative to the current folder.
    std::fs::remove_file(env.project.join("Samples/kick.wav")).unwrap();
    let r: crate::common::Run = env
        .cmd(&["restore", "kick.wav"])
        .current_dir(env.project.join("Samples"))
        .output()
        .unwrap()
        .into();
    r.ok();
    assert!(env.project.join("Samples/kick.wav").exists());
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn reset_moves_the_branch_and_with_hard_the_files() {
    let (env, main, mix) = two_branches();
    env.run(&["switch", "mix"]).ok();
    let names = [("main", main.as_str()), ("mix", mix.as_str())];
    // Soft: the branch moves, the files stay, the difference shows as changes.
    let r = env.run(&["reset", "main"]);
    assert_eq!(redact(&r.stdout, &names), "'mix' is now at <main> Drums.\n");
    assert!(r.stderr.contains("leaving 1 commit"), "{}", r.stderr);
    assert_eq!(digest_without(&env, &[]), digest_of(&env, &mix));
    assert_eq!(
        env.run(&["status", "--short"]).stdout,
        "D Notes.txt\nA Samples/bass.wav\nM Song.als\nA Stems/vox.wav\n"
    );
    // Hard back: the files already match, nothing is written.
    let r = env.run(&["reset", "--hard", &mix]);
    assert_eq!(
        redact(&r.stdout, &names),
        "'mix' is now at <mix> Bass and vocals.\n"
    );
    assert_eq!(env.run(&["status", "--short"]).stdout, "");
    // Hard over an uncommitted change: refused, naming it; with --discard-changes: done, undoable.
    env.write("Song.als", b"unsaved");
    let r = env.run_code(&["reset", "--hard", "main"], 2);
    assert!(
        r.stderr
            .starts_with("error: this would overwrite uncommitted changes to Song.als\n"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("Song.als"), "unsaved");
    let r = env.run(&["reset", "--hard", "--discard-changes", "main"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "'mix' is now at <main> Drums (2 files written, 2 files removed).\n"
    );
    assert_eq!(
        redact(&r.stderr, &names),
        "warning: discarded uncommitted changes to 1 file (Song.als); they are saved: `daw undo` brings them back\n\
warning: leaving 1 commit that no branch or tag holds, the newest <mix> \"Bass and vocals\"; keep it with `daw branch NAME <mix>` (or `daw undo`)\n"
    );
    assert_eq!(digest_without(&env, &[]), digest_of(&env, &main));
    env.run(&["undo"]).ok();
    assert_eq!(env.head_id(), mix);
    assert_eq!(env.read("Song.als"), "unsaved");
    assert_eq!(env.run(&["status", "--short"]).stdout, "M Song.als\n");
    assert_eq!(env.run(&["reset", "--discard-changes", "HEAD"]).status, 2);
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn an_interrupted_switch_finishes_when_run_again() {
    // Kill `daw switch` at moments spread over its run: HEAD is either where it was or at the target,
    // and running the same switch again always ends with exactly the target's files.
    let env = TestEnv::new();
    for i in 0..6 {
        env.write(
            &format!("Samples/a{i}.wav"),
            &pseudo_random(10 + i, 1_500_000),
        );
    }
    env.init();
    let a = env.commit("A");
    env.run(&["switch", "-c", "b"]).ok();
    for i in 0..6 {
        env.write(
            &format!("Samples/a{i}.wav"),
            &pseudo_random(100 + i, 1_500_000),
        );
    }
    env.write("Stems/b.wav", &pseudo_random(7, 500_000));
    let b = env.commit("B");
    env.run(&["switch", "main"]).ok();
    let timed = std::time::Instant::now();
    env.run(&["switch", "b"]).ok();
    let full = timed.elapsed();
    env.run(&["switch", "main"]).ok();
    let want = [("main", digest_of(&env, &a)), ("b", digest_of(&env, &b))];
    for round in 0..6u32 {
        let target = if round % 2 == 0 { "b" } else { "main" };
        let mut child = env.cmd(&["switch", target]).spawn().unwrap();
        std::thread::sleep(full.mul_f64(0.15 * f64::from(round + 1)));
        // SAFETY: kill(2) on our own child.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGKILL);
        }
        let _ = child.wait();
        env.run(&["switch", target]).ok();
        // Issue 16: the killed run's temporary file was left in the project; the next switch
        // removes it.
        let litter: Vec<_> = crate::common::files_below(&env.project)
            .into_iter()
            .filter(|f| f.to_string_lossy().contains(".daw-tmp-"))
            .collect();
        assert!(litter.is_empty(), "round {round}: left behind {litter:?}");
        let expected = &want.iter().find(|(n, _)| *n == target).unwrap().1;
        assert_eq!(&digest_without(&env, &[]), expected, "round {round}");
        assert_eq!(env.run(&["status", "--short"]).stdout, "");
    }
    env.run(&["fsck", "--read-data"]).ok();
}

/// Issue 16: a `daw switch` killed with SIGKILL left its temporary files (`.daw-tmp-…`) in the
/// project. The next command that holds the repository lock removes them; status never shows them and
/// no commit records them. Files that only look like them are the producer's and stay.
#[test]
fn temporary_files_a_killed_daw_left_are_removed_under_the_lock() {
    let env = TestEnv::new();
    env.write("Song.als", b"v1");
    env.write("Samples/kick.wav", b"RIFF kick");
    env.init();
    env.commit("one");
    // As `Repository::write_file` (tempfile: 6 letters or digits) and `write_symlink` (16 hex
    // digits) name them.
    let stale = [
        "Samples/.daw-tmp-Ab3xY9",
        ".daw-tmp-0123456789abcdef",
        "Samples/Deep/Er/.daw-tmp-zzzzzz",
    ];
    for f in stale {
        env.write(f, b"half a sample");
    }
    std::os::unix::fs::symlink(
        "kick.wav",
        env.project.join("Samples/.daw-tmp-fedcba9876543210"),
    )
    .unwrap();
    // Not daw's names: the producer's own files, whatever they look like.
    let kept = [
        "Samples/.daw-tmp-notes.txt",
        "Samples/daw-tmp-Ab3xY9",
        ".daw-tmp-Ab3xY",
    ];
    for f in kept {
        env.write(f, b"mine");
    }
    let status = env.run(&["status", "--porcelain"]);
    status.ok();
    for f in stale {
        assert!(!status.stdout.contains(f), "{}", status.stdout);
    }
    for f in kept {
        assert!(
            status.stdout.contains(&format!("A {f}\n")),
            "{}",
            status.stdout
        );
    }
    // status holds no write lock: it leaves them alone.
    assert!(env.project.join(stale[0]).exists());

    env.write("Song.als", b"v2");
    let commit = env.run(&["commit", "-m", "two", "--json"]);
    commit.ok();
    for f in stale
        .iter()
        .chain(["Samples/.daw-tmp-fedcba9876543210"].iter())
    {
        assert!(
            std::fs::symlink_metadata(env.project.join(f)).is_err(),
            "{f} is still there"
        );
    }
    for f in kept {
        assert!(env.project.join(f).exists(), "{f} was removed");
    }
    let v: serde_json::Value = serde_json::from_str(&commit.stdout).unwrap();
    // Song.als, kick.wav, and the three `kept` files (not ignored: they are not daw's names).
    assert_eq!(v["files"], 5, "{}", commit.stdout);
    assert_eq!(
        env.run(&["status", "--porcelain"]).stdout.lines().count(),
        2
    );

    // switch, restore and reset clean up too.
    for args in [
        &["switch", "-c", "other"][..],
        &["restore", "Song.als"][..],
        &["reset", "HEAD"][..],
    ] {
        env.write("Samples/.daw-tmp-Qq1234", b"stale");
        env.run(args).ok();
        assert!(
            !env.project.join("Samples/.daw-tmp-Qq1234").exists(),
            "daw {args:?} left it"
        );
    }
}

/// Issue 16: `export`, `switch`, `restore`, `reset --hard`, `undo` and `fsck --read-data` show the
/// progress bar `commit` shows, on a terminal only: run from a script (stderr a pipe, as here), they
/// print nothing progress-like, on stderr or stdout, even for a file large enough to take a moment.
#[test]
fn commands_that_write_or_read_much_print_no_progress_without_a_terminal() {
    let env = TestEnv::new();
    env.init();
    env.write("Song.als.txt", b"v1");
    env.write("Audio/take.wav", &pseudo_random(7, 24 << 20));
    env.run(&["commit", "-m", "one"]).ok();
    env.write("Audio/take.wav", &pseudo_random(8, 24 << 20));
    env.run(&["commit", "-m", "two"]).ok();
    let runs = [
        ("export", env.run(&["export", "HEAD~1", "../old version"])),
        ("switch", env.run(&["switch", "--detach", "HEAD~1"])),
        ("switch back", env.run(&["switch", "main"])),
        (
            "restore",
            env.run(&["restore", "--source", "HEAD~1", "Audio/take.wav"]),
        ),
        (
            "reset --hard",
            env.run(&["reset", "--hard", "--discard-changes", "HEAD"]),
        ),
        ("undo", env.run(&["undo"])),
        ("fsck --read-data", env.run(&["fsck", "--read-data"])),
    ];
    for (what, r) in &runs {
        r.ok();
        for (stream, text) in [("stderr", &r.stderr), ("stdout", &r.stdout)] {
            assert!(
                !text.contains('\r') && !text.contains('\x1b') && !text.contains(" eta "),
                "{what} printed progress on {stream}: {text:?}"
            );
        }
    }
    // The commands did their work: the file was written each time.
    assert_eq!(
        std::fs::read(env.tmp.path().join("old version/Audio/take.wav"))
            .unwrap()
            .len(),
        24 << 20
    );
}
