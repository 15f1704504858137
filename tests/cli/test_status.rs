//! `daw status` and the stat cache behind it (and behind `daw commit`): what is reported, in every
//! output format, and that unchanged files are not read again while a change is never hidden, racy
//! timestamps included. Also the global output flags (`--color`, `-C`, `-v`).

use std::os::unix::fs::MetadataExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::history::redact;
use crate::common::{TestEnv, pseudo_random};

/// Waits until files written before now count as settled for the stat cache (their ctime lies in an
/// earlier second than the next command's start, less the cache's 100 ms clock margin).
fn settle() {
    std::thread::sleep(Duration::from_millis(1_150));
}

/// The `N files; M read` line of `daw -v status`: (files, read).
fn reads(env: &TestEnv) -> (u64, u64) {
    let r = env.run(&["-v", "status"]);
    r.ok();
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains(" read ("))
        .unwrap_or_else(|| panic!("no read count in {}", r.stderr));
    let mut words = line.split_whitespace();
    let files = words.next().unwrap().parse().unwrap();
    let read = words.nth(1).unwrap().parse().unwrap();
    (files, read)
}

fn project(env: &TestEnv) {
    env.write("Song.als", b"<set tempo=120/>");
    env.write("Samples/kick.wav", &pseudo_random(1, 20_000));
    env.write("Samples/snare.wav", &pseudo_random(2, 20_000));
    env.write("Notes.txt", b"ideas");
}

#[test]
fn status_reports_new_modified_deleted_and_renamed_files_in_every_format() {
    let env = TestEnv::new();
    project(&env);
    env.init();
    let r = env.run(&["status"]);
    r.ok();
    assert_eq!(
        r.stdout,
        "On branch main, no commits yet\n\
Changes since the last commit (`daw commit -m MESSAGE` records them):\n    new:       Notes.txt\n    new:       Samples/kick.wav\n    new:       Samples/snare.wav\n    new:       Song.als\n"
    );
    let c1 = env.commit("First");
    let r = env.run(&["status"]);
    assert_eq!(
        r.stdout,
        "On branch main\nNothing changed since the last commit.\n"
    );

    env.write("Song.als", b"<set tempo=128/>");
    std::fs::rename(
        env.project.join("Samples/kick.wav"),
        env.project.join("Samples/Kick 808.wav"),
    )
    .unwrap();
    std::fs::remove_file(env.project.join("Notes.txt")).unwrap();
    env.write("Bounces/mix \"v1\".wav", b"bounce");
    env.write("Backup/Song [2025].als", b"ignored by default");

    let long = env.run(&["status"]);
    long.ok();
    assert_eq!(
        long.stdout,
        "On branch main\n\
Changes since the last commit (`daw commit -m MESSAGE` records them):\n\
\x20   new:       Bounces/mix \"v1\".wav\n\
\x20   deleted:   Notes.txt\n\
\x20   renamed:   Samples/kick.wav → Samples/Kick 808.wav\n\
\x20   modified:  Song.als\n"
    );
    let short = env.run(&["status", "--short"]);
    assert_eq!(
        short.stdout,
        "A Bounces/mix \"v1\".wav\nD Notes.txt\nR Samples/kick.wav -> Samples/Kick 808.wav\nM Song.als\n"
    );
    let porcelain = env.run(&["status", "--porcelain"]);
    assert_eq!(
        redact(&porcelain.stdout, &[("c1", &c1)]),
        "# branch.head main\n# branch.oid <c1>\nA \"Bounces/mix \\\"v1\\\".wav\"\nD Notes.txt\nR Samples/kick.wav -> Samples/Kick 808.wav\nM Song.als\n"
    );
    let json = env.run(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["branch"], "main");
    assert_eq!(v["detached"], false);
    assert_eq!(v["head"], c1.as_str());
    assert_eq!(v["clean"], false);
    assert_eq!(
        v["changes"],
        serde_json::json!([
            {"path": "Bounces/mix \"v1\".wav", "kind": "new"},
            {"path": "Notes.txt", "kind": "deleted"},
            {"path": "Samples/Kick 808.wav", "kind": "renamed", "from": "Samples/kick.wav"},
            {"path": "Song.als", "kind": "modified"},
        ])
    );

    // What status reports is what commit records.
    let c = env.run(&["commit", "-m", "Second"]);
    assert!(
        c.stdout
            .contains("5 files changed: 2 added, 1 modified, 2 removed"),
        "{}",
        c.stdout
    );
    assert_eq!(
        env.run(&["status", "--porcelain"]).stdout.lines().count(),
        2
    );
}

#[test]
fn a_detached_head_is_reported_with_a_warning() {
    let env = TestEnv::new();
    project(&env);
    env.init();
    let c1 = env.commit("First");
    env.write("Song.als", b"v2");
    env.commit("Second");
    env.run(&["switch", "--detach", "HEAD~1"]).ok();
    let r = env.run(&["status"]);
    r.ok();
    assert_eq!(
        redact(&r.stdout, &[("c1", &c1)]),
        "HEAD detached at <c1> (on no branch)\nNothing changed since the last commit.\n"
    );
    assert!(
        r.stderr.contains("warning: HEAD is detached"),
        "{}",
        r.stderr
    );
    let p = env.run(&["status", "--porcelain"]);
    assert!(
        p.stdout.starts_with("# branch.head (detached)\n"),
        "{}",
        p.stdout
    );
    let j: serde_json::Value =
        serde_json::from_str(&env.run(&["status", "--json"]).stdout).unwrap();
    assert_eq!(j["detached"], true);
    assert_eq!(j["branch"], serde_json::Value::Null);
}

#[test]
fn unchanged_files_are_never_read_again_and_a_commit_reads_only_what_changed() {
    let env = TestEnv::new();
    project(&env);
    env.write("Samples/long take.wav", &pseudo_random(3, 3_000_000));
    env.init();
    settle();
    env.commit("First");
    // The commit read every file and taught the cache: status reads nothing.
    assert_eq!(reads(&env), (5, 0));
    assert_eq!(reads(&env), (5, 0));

    // One changed file is the only one read, by status and by commit.
    env.write("Song.als", b"<set tempo=121/>");
    assert_eq!(reads(&env), (5, 1));
    let c = env.run(&["commit", "-m", "Tempo"]);
    c.ok();
    assert!(c.stdout.contains(" read 16 B,"), "{}", c.stdout);

    // A touched but unchanged file is read once, then trusted again.
    settle();
    env.set_mtime("Notes.txt", 1_700_000_000);
    settle();
    let (_, read) = reads(&env);
    assert_eq!(
        read, 2,
        "Notes.txt (touched) and Song.als (written in the last second)"
    );
    assert_eq!(reads(&env), (5, 0));
    let c = env.run(&["commit", "-m", "Nothing", "--allow-empty"]);
    assert!(c.stdout.contains(" read 0 B,"), "{}", c.stdout);
}

#[test]
fn the_cache_keeps_heads_files_and_never_hides_a_change_or_a_moved_head() {
    // Once status has run on an unchanged project, the cache holds HEAD's file list and status checks
    // the walk against it alone. Every kind of change must still show, and so must HEAD moving.
    let env = TestEnv::new();
    project(&env);
    env.init();
    settle();
    env.commit("First");
    env.write("Notes.txt", b"more ideas");
    settle();
    env.commit("Second");
    // The commit taught the cache HEAD's files: status reads nothing.
    assert_eq!(reads(&env), (4, 0));
    let short = |env: &TestEnv| env.run(&["status", "--short"]).stdout;
    assert_eq!(short(&env), "");

    // A new file, then a deleted one, then a file in a new folder.
    env.write("Samples/hat.wav", &pseudo_random(5, 1_000));
    assert_eq!(short(&env), "A Samples/hat.wav\n");
    std::fs::remove_file(env.project.join("Samples/hat.wav")).unwrap();
    assert_eq!(short(&env), "");
    std::fs::remove_file(env.project.join("Samples/snare.wav")).unwrap();
    assert_eq!(short(&env), "D Samples/snare.wav\n");
    env.write("Samples/snare.wav", &pseudo_random(2, 20_000));
    assert_eq!(short(&env), "");
    env.write("Bounces/mix.wav", &pseudo_random(6, 1_000));
    assert_eq!(short(&env), "A Bounces/mix.wav\n");
    std::fs::remove_dir_all(env.project.join("Bounces")).unwrap();
    // A symlink is never vouched for by the cache.
    std::os::unix::fs::symlink("Song.als", env.project.join("Link.als")).unwrap();
    assert_eq!(short(&env), "A Link.als\n");
    std::fs::remove_file(env.project.join("Link.als")).unwrap();
    settle();
    assert_eq!(reads(&env), (4, 1), "snare.wav was written again");
    assert_eq!(reads(&env), (4, 0));

    // HEAD moves back without touching the files: Notes.txt now differs from HEAD.
    env.run(&["reset", "HEAD~1"]).ok();
    assert_eq!(short(&env), "M Notes.txt\n");
    assert_eq!(short(&env), "M Notes.txt\n");
    // And forward again (undo): clean, from the cache.
    env.run(&["undo"]).ok();
    assert_eq!(short(&env), "");
    assert_eq!(reads(&env), (4, 0));
}

#[test]
fn a_same_size_edit_that_keeps_the_old_mtime_is_caught() {
    let env = TestEnv::new();
    env.write("Song.als", b"tempo 120");
    env.init();
    settle();
    env.commit("First");
    let before = std::fs::metadata(env.project.join("Song.als")).unwrap();
    // Same size, new content, and the modification time put back exactly (as some tools do).
    env.write("Song.als", b"tempo 128");
    let f = std::fs::File::options()
        .write(true)
        .open(env.project.join("Song.als"))
        .unwrap();
    f.set_modified(before.modified().unwrap()).unwrap();
    drop(f);
    let after = std::fs::metadata(env.project.join("Song.als")).unwrap();
    assert_eq!(
        (after.len(), after.mtime(), after.mtime_nsec()),
        (before.len(), before.mtime(), before.mtime_nsec())
    );
    assert_eq!(env.run(&["status", "--short"]).stdout, "M Song.als\n");
    let c = env.run(&["commit", "-m", "128"]);
    assert!(c.stdout.contains("1 modified"), "{}", c.stdout);
}

#[test]
fn a_file_written_in_the_second_of_a_commit_is_not_trusted_from_the_cache() {
    // The racy case: a file changed in the same clock tick as the cache is written could change again
    // without any visible stat difference, so the cache must not vouch for it. Observable: the next
    // status reads it again. Timing can put the commit in the next second; then the round is retried.
    let env = TestEnv::new();
    env.write("Other.txt", b"settled");
    env.init();
    let mut checked = false;
    for round in 0..8 {
        // Start just after a second boundary.
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        std::thread::sleep(Duration::from_nanos(
            1_000_000_000 - u64::from(now.subsec_nanos()) + 150_000_000,
        ));
        env.write("Song.als", format!("round {round:03}").as_bytes());
        let ctime = std::fs::metadata(env.project.join("Song.als"))
            .unwrap()
            .ctime();
        env.run(&["commit", "-m", &format!("round {round}")]).ok();
        let after = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        if after != ctime {
            continue;
        }
        // The commit ran within the file's second: the file was not cached.
        let r = env.run(&["-v", "status"]);
        assert!(
            r.stderr.contains("; 1 read") || r.stderr.contains("; 2 read"),
            "the racy file was trusted: {}",
            r.stderr
        );
        assert!(r.stdout.contains("Nothing changed"), "{}", r.stdout);
        checked = true;
        break;
    }
    assert!(checked, "the machine never ran a commit within one second");

    // A modification time in the future (an archive from a skewed clock) is never trusted either.
    env.write("Future.txt", b"from the future");
    env.set_mtime("Future.txt", 4_000_000_000);
    settle();
    env.commit("future");
    assert_eq!(reads(&env), (3, 1));
    assert_eq!(reads(&env), (3, 1));
}

#[test]
fn a_lying_cache_entry_shows_the_cache_is_used_and_a_racy_one_is_not_trusted() {
    // Through the library, write a cache entry that claims Song.als holds its old content while it
    // does not (what a change within the cache's own clock tick would leave behind).
    use daw::worktree::stat::FileStat;
    use daw::worktree::statcache::StatCache;
    let env = TestEnv::new();
    env.write("Song.als", b"tempo 120");
    env.init();
    settle();
    env.commit("First");
    let repo = env.open_repo();
    let head = repo.head_commit().unwrap().unwrap();
    let tree = repo
        .read_tree(&repo.read_commit(&head).unwrap().tree)
        .unwrap();
    let committed = tree.get(b"Song.als").unwrap().clone();
    env.write("Song.als", b"tempo 128");
    let meta = FileStat::of(&std::fs::symlink_metadata(env.project.join("Song.als")).unwrap());
    let write = |start: SystemTime| {
        let mut cache = StatCache::empty(start);
        cache.record(std::path::Path::new("Song.als"), &meta, committed.clone());
        cache.save(&repo.stat_cache_path(), repo.store()).unwrap();
    };
    // Recorded by a command that started two seconds later: settled, trusted; the change is hidden.
    // (This is why entries are only ever recorded for files that were settled.)
    write(SystemTime::now() + Duration::from_secs(2));
    assert_eq!(env.run(&["status", "--short"]).stdout, "");
    // Recorded by a command that started in the file's own second: not cached, the file is read.
    std::fs::remove_file(env.daw_dir().join("cache/stat")).unwrap();
    write(UNIX_EPOCH + Duration::from_secs(meta.ctime.0 as u64));
    assert!(!env.daw_dir().join("cache/stat").exists());
    assert_eq!(env.run(&["status", "--short"]).stdout, "M Song.als\n");
}

#[test]
fn the_cache_is_sealed_and_a_damaged_one_is_rebuilt() {
    let env = TestEnv::new();
    env.write("SecretSongTitle.als", b"x");
    env.write("Samples/HiddenSampleName.wav", &pseudo_random(4, 1000));
    env.init();
    settle();
    env.commit("First");
    env.run(&["status"]).ok();
    let cache = env.daw_dir().join("cache/stat");
    let bytes = std::fs::read(&cache).unwrap();
    for s in ["SecretSongTitle", "HiddenSampleName", "Samples"] {
        assert!(
            !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
            "the stat cache shows {s}"
        );
    }
    let mut bad = bytes.clone();
    let n = bad.len();
    bad[n - 5] ^= 0x40;
    std::fs::write(&cache, &bad).unwrap();
    env.write("SecretSongTitle.als", b"y");
    assert_eq!(
        env.run(&["status", "--short"]).stdout,
        "M SecretSongTitle.als\n"
    );
    assert_ne!(std::fs::read(&cache).unwrap(), bad, "the cache was rebuilt");
    assert_eq!(reads(&env), (2, 1));
}

#[test]
fn global_flags_color_chdir_quiet_and_verbose() {
    let env = TestEnv::new();
    project(&env);
    env.init();
    env.commit("First");
    env.write("Song.als", b"changed");
    let plain = env.run(&["status", "--short"]);
    assert_eq!(
        plain.stdout, "M Song.als\n",
        "no colour when not a terminal"
    );
    let always = env.run(&["--color", "always", "status", "--short"]);
    assert_eq!(always.stdout, "\x1b[33mM\x1b[0m Song.als\n");
    // NO_COLOR turns off automatic colour only; an explicit --color always still wins.
    let r: crate::common::Run = env
        .cmd(&["--color", "always", "status", "--short"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
        .into();
    assert_eq!(r.stdout, always.stdout);
    assert_eq!(
        env.run(&["--color", "never", "status", "--short"]).stdout,
        "M Song.als\n"
    );
    assert_eq!(env.run(&["--color", "sometimes", "status"]).status, 2);

    // -C runs as if started in that folder.
    let elsewhere = env.tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let r: crate::common::Run = env
        .cmd(&["-C", env.project.to_str().unwrap(), "status", "--short"])
        .current_dir(&elsewhere)
        .output()
        .unwrap()
        .into();
    assert_eq!(r.stdout, "M Song.als\n", "{}", r.stderr);

    // -q silences commands that report, -v says more; both at once is a usage error.
    assert_eq!(env.run(&["-q", "branch", "mix"]).stdout, "");
    let v = env.run(&["-v", "branch"]);
    assert!(v.stdout.contains("* main "), "{}", v.stdout);
    assert!(v.stdout.contains(" First"), "{}", v.stdout);
    assert_eq!(env.run(&["-q", "-v", "status"]).status, 2);
}

#[test]
fn ignore_rules_of_every_folder_apply_to_status_and_commit() {
    let env = TestEnv::new();
    env.init().ok();
    // The defaults, a root `.dawignore` with a re-include, and a folder's own rules (for it and
    // below). Names chosen so that some share only their last byte or first byte with a pattern.
    env.write(".dawignore", b"*.wav\n!keep.wav\nrenders/\n");
    env.write("Samples/.dawignore", b"draft*\n");
    for path in [
        "a.wav",
        "keep.wav",
        "Samples/draft 1.aif",
        "Samples/final.aif",
        "Samples/sub/draft 2.aif",
        "Samples/sub/take.wav",
        "Samples/kick.wav.asd",
        "draft at root.aif",
        "renders/mix.aif",
        "Renders/mix.aif",
        "notes.txt",
        "~$lock",
        "~tilde.txt",
    ] {
        env.write(path, b"x");
    }
    let status = env.run(&["status", "--short"]);
    status.ok();
    assert_eq!(
        status.stdout,
        "A .dawignore\nA Renders/mix.aif\nA Samples/.dawignore\nA Samples/final.aif\n\
         A draft at root.aif\nA keep.wav\nA notes.txt\nA ~tilde.txt\n"
    );
    env.run(&["commit", "-q", "-m", "First"]).ok();
    let listed = env.run(&["show", "--json"]);
    listed.ok();
    let v: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let mut paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            ".dawignore",
            "Renders/mix.aif",
            "Samples/.dawignore",
            "Samples/final.aif",
            "draft at root.aif",
            "keep.wav",
            "notes.txt",
            "~tilde.txt"
        ]
    );
    let clean = env.run(&["status", "--short"]);
    clean.ok();
    assert_eq!(clean.stdout, "");
}

/// The walk of a status starts before the command line is parsed, from a reading of the arguments
/// (`cli::start_early_walk`): every way of naming the project and its repository reports that
/// project, and one the early reading does not follow still works.
#[test]
fn status_finds_the_project_however_it_is_named() {
    let env = TestEnv::new();
    project(&env);
    env.init();
    env.commit("First");
    env.write("Samples/snare.wav", b"changed");
    let other = TestEnv::new();
    other.write("Other.als", b"<set/>");
    other.init();
    let project = env.project.to_str().unwrap();
    let daw_dir = env.daw_dir();
    let daw_dir = daw_dir.to_str().unwrap();
    let chdir_attached = format!("-C{project}");
    let daw_dir_equals = format!("--daw-dir={daw_dir}");
    let samples = format!("{project}/Samples");
    let chdir_equals = format!("-C={project}");
    let ways: [&[&str]; 8] = [
        &["-C", project, "status", "--short"],
        &[&chdir_attached, "status", "--short"],
        &["status", "--short", "-C", project],
        &["--daw-dir", daw_dir, "-C", project, "status", "--short"],
        &[
            &daw_dir_equals,
            "-C",
            project,
            "--color",
            "never",
            "status",
            "-s",
        ],
        &["-C", &samples, "status", "--short"],
        &["-C", project, "--color=never", "status", "--short"],
        // Not followed by the early reading (it takes `=DIR` for the folder, which does not exist):
        // parsed and walked the usual way.
        &[&chdir_equals, "status", "--short"],
    ];
    for args in ways {
        // Started from the other project, so that a walk of the wrong folder would show.
        let r: crate::common::Run = env
            .cmd(args)
            .current_dir(&other.project)
            .output()
            .unwrap()
            .into();
        assert_eq!(r.stdout, "M Samples/snare.wav\n", "{args:?}: {}", r.stderr);
    }
    let r: crate::common::Run = env
        .cmd(&["status", "--short"])
        .env("DAW_DIR", daw_dir)
        .output()
        .unwrap()
        .into();
    assert_eq!(r.stdout, "M Samples/snare.wav\n", "{}", r.stderr);
    // Outside any project: the usual error, whatever was started early.
    let nowhere = env.tmp.path().join("nowhere");
    std::fs::create_dir_all(&nowhere).unwrap();
    let r: crate::common::Run = env
        .cmd(&["status"])
        .current_dir(&nowhere)
        .output()
        .unwrap()
        .into();
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("not a daw repository"), "{}", r.stderr);
}

/// A stat cache written by daw before version 3 (one sealed file, no summary) is still used after an
/// upgrade: no file is read again, and the cache is written again in the new layout.
#[test]
fn a_cache_from_before_the_summary_is_used_and_upgraded() {
    use daw::object::{Reader, Writer};
    let env = TestEnv::new();
    project(&env);
    env.init();
    env.commit("First");
    settle();
    assert_eq!(
        reads(&env),
        (4, 4),
        "the first status after the commit learns the files"
    );
    assert_eq!(reads(&env), (4, 0));
    // The version-3 file: summary length, sealed summary, sealed records.
    let path = env.daw_dir().join("cache/stat");
    let file = std::fs::read(&path).unwrap();
    let len = u32::from_le_bytes(file[..4].try_into().unwrap()) as usize;
    let repo = env.open_repo();
    let store = repo.store();
    let summary = store
        .open_file("stat cache", "stat summary", &file[4..4 + len])
        .unwrap();
    let records = store
        .open_file("stat cache", "stat", &file[4 + len..])
        .unwrap();
    // Version 2: the summary's head and the records' header in front of the same records.
    let mut s = Reader::new(&summary, "summary");
    assert_eq!(s.uvar().unwrap(), 3);
    s.take(16).unwrap();
    assert_eq!(s.u8().unwrap(), 1, "written for HEAD");
    let head = s.id().unwrap();
    let head_files = s.uvar().unwrap();
    let mut r = Reader::new(&records, "records");
    r.uvar().unwrap();
    r.take(16).unwrap();
    let settled = r.ivar().unwrap();
    let count = r.uvar().unwrap();
    let rest = &records[records.len() - r.remaining()..];
    let mut old = Writer::new();
    old.uvar(2)
        .ivar(settled)
        .u8(1)
        .id(&head)
        .uvar(count)
        .uvar(head_files)
        .raw(rest);
    std::fs::write(&path, store.seal_file("stat cache", "stat", &old.finish())).unwrap();
    drop(repo);
    assert_eq!(reads(&env), (4, 0), "the old cache is used");
    assert_ne!(
        &std::fs::read(&path).unwrap()[..4],
        b"DAWS",
        "and written again as version 3"
    );
    assert_eq!(reads(&env), (4, 0));
    // Still never hides a change.
    env.write("Notes.txt", b"more ideas");
    assert_eq!(env.run(&["status", "--short"]).stdout, "M Notes.txt\n");
}

/// Issue 16: the default rule `Backup/` matched at any depth, so `Samples/Backup/vox.wav` was never
/// versioned and `daw status` said nothing had changed. The defaults now leave out only what Live
/// makes (set backups in a Backup folder, `.asd` files), never a folder by a rule for files;
/// `status --ignored` lists what is left out and by which rule, and the first commit says how many
/// files the defaults left out.
#[test]
fn defaults_leave_out_only_daw_by_products_and_status_ignored_lists_what_they_do() {
    let env = TestEnv::new();
    env.write("Song.als", b"set");
    env.write("Backup/Song [2026-11-01 120000].als", b"old set");
    env.write("Backup/Song [2026-11-02 093000].als", b"older set");
    env.write("Samples/Backup/vox.wav", b"RIFF vox");
    env.write("Samples/kick.wav.asd", b"analysis");
    env.write("Takes.tmp/take 1.wav", b"RIFF take");
    env.write("Renders/mix.wav", b"RIFF mix");
    env.write("Renders/stems/a.wav", b"RIFF a");
    env.write(".dawignore", b"Renders/\n");
    env.init();
    let short = env.run(&["status", "--short"]);
    short.ok();
    assert_eq!(
        short.stdout,
        "A .dawignore\nA Samples/Backup/vox.wav\nA Song.als\nA Takes.tmp/take 1.wav\n"
    );

    let ignored = env.run(&["status", "--ignored"]);
    ignored.ok();
    let listing = "\
Ignored, not in snapshots (a `!PATTERN` line in .dawignore takes a file back):
    Backup/Song [2026-11-01 120000].als  (default rule **/Backup/*.als)
    Backup/Song [2026-11-02 093000].als  (default rule **/Backup/*.als)
    Renders/                             (.dawignore: Renders/, 2 files)
    Samples/kick.wav.asd                 (default rule *.asd)
";
    assert!(ignored.stdout.ends_with(listing), "{}", ignored.stdout);
    assert!(
        !env.run(&["status"]).stdout.contains("Ignored"),
        "only with --ignored"
    );
    let porcelain = env.run(&["status", "--porcelain", "--ignored"]);
    assert!(
        porcelain.stdout.ends_with(
            "A Takes.tmp/take 1.wav\n! Backup/Song [2026-11-01 120000].als\n\
             ! Backup/Song [2026-11-02 093000].als\n! Renders/\n! Samples/kick.wav.asd\n"
        ),
        "{}",
        porcelain.stdout
    );
    let v: serde_json::Value =
        serde_json::from_str(&env.run(&["status", "--json", "--ignored"]).stdout).unwrap();
    assert_eq!(
        v["ignored"][2],
        serde_json::json!({"path": "Renders/", "folder": true, "files": 2,
            "source": ".dawignore", "pattern": "Renders/"})
    );
    assert_eq!(v["ignored"][3]["source"], "default");
    assert_eq!(v["ignored"][3]["pattern"], "*.asd");
    assert!(
        env.run(&["status", "--json"])
            .stdout
            .find("ignored")
            .is_none()
    );

    let first = env.run(&["commit", "-m", "first"]);
    first.ok();
    assert!(
        first.stderr.contains(
            "note: 3 files left out by the default ignore rules; see `daw status --ignored`\n"
        ),
        "{}",
        first.stderr
    );
    assert_eq!(env.run(&["status", "--short"]).stdout, "");
    env.write("Song.als", b"set v2");
    let second = env.run(&["commit", "-m", "second"]);
    second.ok();
    assert!(!second.stderr.contains("note:"), "once: {}", second.stderr);
}

/// Issue 16 (4): a project moved between macOS and Linux finds its names spelled in the other Unicode
/// form (`é` as one code point, or as `e` and an accent, as macOS may write it): the same files, not
/// deleted and added; a commit keeps the spelling it recorded, and an edit is a modification.
#[test]
fn a_name_found_in_another_unicode_form_is_the_same_file() {
    let env = TestEnv::new();
    // The folder and the snare decomposed, as macOS may store them; the kick composed.
    let kick = "Samples/Cafe\u{301}/Caf\u{e9} Kick.wav";
    let sample = "Samples/Cafe\u{301}/Cafe\u{301} Snare.wav";
    env.write(kick, &pseudo_random(3, 5_000));
    env.write(sample, &pseudo_random(5, 5_000));
    env.write("Song.als", b"<set/>");
    env.init();
    env.commit("First");
    // Copied to a system that spells the folder and the snare composed.
    std::fs::rename(
        env.project.join("Samples/Cafe\u{301}"),
        env.project.join("Samples/Caf\u{e9}"),
    )
    .unwrap();
    let snare = "Samples/Caf\u{e9}/Caf\u{e9} Snare.wav";
    std::fs::rename(
        env.project.join("Samples/Caf\u{e9}/Cafe\u{301} Snare.wav"),
        env.project.join(snare),
    )
    .unwrap();
    let r = env.run(&["status"]);
    assert_eq!(
        r.ok().stdout,
        "On branch main\nNothing changed since the last commit.\n"
    );
    let c = env.run(&["commit", "-m", "Moved"]);
    assert!(c.ok().stdout.contains("nothing to commit"), "{}", c.stdout);

    // An edit of the respelled file: a modification, shown where it is on disk.
    env.write(snare, &pseudo_random(6, 5_000));
    let r = env.run(&["status", "--short"]);
    assert_eq!(r.ok().stdout, format!("M {snare}\n"));
    let c = env.run(&["commit", "-m", "Snare edit"]);
    assert!(
        c.ok()
            .stdout
            .contains("1 files changed: 0 added, 1 modified, 0 removed"),
        "{}",
        c.stdout
    );
    // The commit kept the recorded spellings.
    let show = env.run(&["show", "--json", "HEAD"]);
    let v: serde_json::Value = serde_json::from_str(&show.ok().stdout).unwrap();
    assert_eq!(v["files"][0]["path"], sample, "{v}");
    assert_eq!(v["files"][0]["kind"], "modified", "{v}");
    let r = env.run(&["status"]);
    assert_eq!(
        r.ok().stdout,
        "On branch main\nNothing changed since the last commit.\n"
    );
}
