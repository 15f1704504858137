//! The everyday commands end to end through the binary: init, commit, log, show, export, revisions,
//! DAW_DIR, and the error messages a producer meets first.

use crate::common::{TestEnv, tree_digest};

#[test]
fn init_commit_edit_commit_log_show_export() {
    let env = TestEnv::new();
    env.write("Song.als.txt", b"not really a set");
    env.write(
        "Samples/kick.wav",
        &crate::common::pseudo_random(1, 100_000),
    );
    let out = env.init();
    assert!(
        out.stdout.contains("Initialized an empty daw repository"),
        "{}",
        out.stdout
    );
    let c1 = env.run(&["commit", "-m", "First idea"]);
    c1.ok();
    assert!(c1.stdout.contains("(root commit)"), "{}", c1.stdout);
    assert!(
        c1.stdout
            .contains("2 files changed: 2 added, 0 modified, 0 removed"),
        "{}",
        c1.stdout
    );
    env.write("Samples/snare.wav", b"snare");
    env.write("Song.als.txt", b"edited");
    std::fs::remove_file(env.project.join("Samples/kick.wav")).unwrap();
    let c2 = env.run(&["commit", "-m", "Second idea\n\nlonger text"]);
    c2.ok();
    assert!(
        c2.stdout
            .contains("3 files changed: 1 added, 1 modified, 1 removed"),
        "{}",
        c2.stdout
    );

    let log = env.run(&["log", "--oneline"]);
    log.ok();
    let lines: Vec<&str> = log.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", log.stdout);
    assert!(
        lines[0].contains("(HEAD -> main) Second idea"),
        "{}",
        log.stdout
    );
    assert!(lines[1].ends_with(" First idea"), "{}", log.stdout);

    let full = env.run(&["log", "-n", "1"]);
    full.ok();
    assert!(
        full.stdout.contains("Author: tester <tester@"),
        "{}",
        full.stdout
    );
    assert!(
        full.stdout.contains("Date:   2025-11-22 08:26:40 +0000"),
        "{}",
        full.stdout
    );
    assert!(full.stdout.contains("    longer text"), "{}", full.stdout);
    assert!(!full.stdout.contains("First idea"));

    let json = env.run(&["log", "--json"]);
    json.ok();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["message"], "Second idea\n\nlonger text");
    assert_eq!(v[1]["parents"].as_array().unwrap().len(), 0);

    let show = env.run(&["show", "HEAD"]);
    show.ok();
    assert!(
        show.stdout.contains(" A Samples/snare.wav  (5 B)"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains(" D Samples/kick.wav  (100.0 KB)"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains(" M Song.als.txt  (16 B → 6 B)"),
        "{}",
        show.stdout
    );
    let show_json: serde_json::Value =
        serde_json::from_str(&env.run(&["show", "--json", "HEAD~1"]).stdout).unwrap();
    assert_eq!(show_json["files"].as_array().unwrap().len(), 2);

    // Export the first commit next to the project and compare with what it was.
    let first_id = v[1]["id"].as_str().unwrap().to_string();
    let out_dir = env.tmp.path().join("old version");
    env.run(&["export", &first_id[..8], out_dir.to_str().unwrap()])
        .ok();
    let exported = tree_digest(&out_dir);
    assert_eq!(exported.len(), 3, "{exported:?}");
    assert_eq!(
        std::fs::read(out_dir.join("Song.als.txt")).unwrap(),
        b"not really a set"
    );
    assert_eq!(
        std::fs::read(out_dir.join("Samples/kick.wav")).unwrap(),
        crate::common::pseudo_random(1, 100_000)
    );

    // Export refuses a non-empty folder.
    let again = env.run(&["export", "HEAD", out_dir.to_str().unwrap()]);
    assert_eq!(again.status, 2);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
}

#[test]
fn nothing_to_commit_is_not_an_error() {
    let env = TestEnv::new();
    env.write("a.txt", b"a");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let again = env.run(&["commit", "-m", "two"]);
    again.ok();
    assert!(
        again.stdout.contains("nothing to commit"),
        "{}",
        again.stdout
    );
    // Touching a file without changing it is not a change either.
    let f = std::fs::File::options()
        .write(true)
        .open(env.project.join("a.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    assert!(
        env.run(&["commit", "-m", "three"])
            .stdout
            .contains("nothing to commit")
    );
    env.run(&["commit", "-m", "forced", "--allow-empty"]).ok();
    assert_eq!(env.run(&["log", "--oneline"]).stdout.lines().count(), 2);
}

#[test]
fn revisions_resolve_like_git() {
    let env = TestEnv::new();
    env.init();
    for i in 0..4 {
        env.write("n.txt", format!("{i}").as_bytes());
        env.run(&["commit", "-m", &format!("c{i}")]).ok();
    }
    let show = |rev: &str| {
        let r = env.run(&["show", "--json", rev]);
        r.ok();
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["message"].as_str().unwrap().to_string()
    };
    assert_eq!(show("HEAD"), "c3");
    assert_eq!(show("main"), "c3");
    assert_eq!(show("HEAD~1"), "c2");
    assert_eq!(show("HEAD^"), "c2");
    assert_eq!(show("HEAD~3"), "c0");
    assert_eq!(show("main~1^"), "c1");
    let bad = env.run(&["show", "HEAD~9"]);
    assert_eq!(bad.status, 2);
    assert!(
        bad.stderr.starts_with("error: unknown revision 'HEAD~9'"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("hint:"), "{}", bad.stderr);
    let short = env.run(&["show", "abc"]);
    assert_eq!(short.status, 2);
}

#[test]
fn daw_dir_keeps_the_repository_outside_the_project() {
    let env = TestEnv::new();
    let repo = env.tmp.path().join("elsewhere/repo");
    let mut env2 = env;
    env2.env
        .push(("DAW_DIR".into(), repo.to_str().unwrap().into()));
    env2.write("Song.txt", b"x");
    env2.init();
    env2.run(&["commit", "-m", "outside"]).ok();
    assert!(!env2.project.join(".daw").exists());
    assert!(repo.join("config").is_file());
    // The config remembers the project, so commands work from anywhere.
    let config = std::fs::read_to_string(repo.join("config")).unwrap();
    assert!(config.contains("worktree"), "{config}");
    let r = env2
        .cmd(&["log", "--oneline"])
        .current_dir(env2.tmp.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&r.stdout).contains("outside"));
    // --daw-dir does the same as DAW_DIR.
    let plain = TestEnv::new();
    let r = plain.run(&["--daw-dir", repo.to_str().unwrap(), "log", "--oneline"]);
    r.ok();
    assert!(r.stdout.contains("outside"));
}

#[test]
fn errors_are_one_line_with_a_hint_and_exit_2() {
    let env = TestEnv::new();
    let r = env.run(&["log"]);
    assert_eq!(r.status, 2);
    let first = r.stderr.lines().next().unwrap();
    assert!(
        first.starts_with("error: not a daw repository"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint: run `daw init`"), "{}", r.stderr);

    // No passphrase and no terminal: a clear error, never a hang.
    let r: crate::common::Run = env
        .cmd(&["init"])
        .env_remove("DAW_PASSPHRASE")
        .output()
        .unwrap()
        .into();
    assert_eq!(r.status, 2);
    assert!(
        r.stderr
            .starts_with("error: no passphrase given and no terminal to ask on"),
        "{}",
        r.stderr
    );
    assert!(!env.daw_dir().join("config").exists());

    // Passphrase from a file and from a command.
    let pf = env.tmp.path().join("pass");
    std::fs::write(&pf, format!("{}\n", crate::common::PASSPHRASE)).unwrap();
    let r: crate::common::Run = env
        .cmd(&[
            "init",
            "--kdf-memory-kib",
            "256",
            "--kdf-iterations",
            "1",
            "--insecure-test-kdf",
        ])
        .env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_FILE", &pf)
        .output()
        .unwrap()
        .into();
    r.ok();
    let r: crate::common::Run = env
        .cmd(&["log"])
        .env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_COMMAND", format!("cat '{}'", pf.display()))
        .output()
        .unwrap()
        .into();
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no commits yet"), "{}", r.stderr);

    let again = env.run(&["init"]);
    assert_eq!(again.status, 2);
    assert!(
        again.stderr.contains("already a daw repository"),
        "{}",
        again.stderr
    );
}

#[test]
fn help_and_version() {
    let env = TestEnv::new();
    let v = env.run(&["--version"]);
    v.ok();
    assert!(v.stdout.starts_with("daw "), "{}", v.stdout);
    let h = env.run(&["help"]);
    h.ok();
    for cmd in ["init", "commit", "log", "show", "export", "fsck"] {
        assert!(h.stdout.contains(cmd), "help lacks {cmd}: {}", h.stdout);
    }
    assert!(h.stdout.contains("Exit codes"), "{}", h.stdout);
    let c = env.run(&["commit", "--help"]);
    c.ok();
    assert!(c.stdout.contains("Snapshot the project"), "{}", c.stdout);
    assert_eq!(env.run(&["frobnicate"]).status, 2);
}

#[test]
fn author_comes_from_repo_config_then_git_config_then_login() {
    let env = TestEnv::new();
    env.write("a.txt", b"a");
    env.init();
    env.run(&["commit", "-m", "login"]).ok();
    std::fs::write(
        env.home.join(".gitconfig"),
        "[user]\n\tname = Git Person\n\temail = git@example.com\n",
    )
    .unwrap();
    env.write("a.txt", b"b");
    env.run(&["commit", "-m", "git"]).ok();
    let config = env.daw_dir().join("config");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("[user]\n\tname = Repo Person\n\temail = repo@example.com\n");
    std::fs::write(&config, text).unwrap();
    // The author is authenticated: a hand edit is accepted once by its owner (issue 12).
    env.run(&["fsck", "--accept-config"]).ok();
    env.write("a.txt", b"c");
    env.run(&["commit", "-m", "repo"]).ok();
    let log: serde_json::Value = serde_json::from_str(&env.run(&["log", "--json"]).stdout).unwrap();
    let authors: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} <{}>",
                c["author"]["name"].as_str().unwrap(),
                c["author"]["email"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(authors[0], "Repo Person <repo@example.com>");
    assert_eq!(authors[1], "Git Person <git@example.com>");
    assert!(authors[2].starts_with("tester <tester@"), "{}", authors[2]);
}

/// An empty `HOME` is no home folder: Git's config is not looked for relative to the current folder
/// (it was: `"" + ".gitconfig"` is the project's own `.gitconfig`), and the author falls back to the
/// login name.
#[test]
fn an_empty_home_is_no_home_folder() {
    let env = TestEnv::new();
    env.init();
    env.write(
        ".gitconfig",
        b"[user]\n\tname = Not Me\n\temail = not@example.com\n",
    );
    let r: crate::common::Run = env
        .cmd(&["commit", "-m", "x"])
        .env("HOME", "")
        .output()
        .unwrap()
        .into();
    r.ok();
    let log: serde_json::Value = serde_json::from_str(&env.run(&["log", "--json"]).stdout).unwrap();
    let name = log[0]["author"]["name"].as_str().unwrap();
    assert_eq!(name, "tester");
}

/// `daw commit --json`: one object with what a CI script needs after a commit, so that it need not
/// call `daw log`; the shape is part of the interface.
#[test]
fn commit_json_reports_the_new_commit() {
    let env = TestEnv::new();
    env.write("Song.als", b"set v1");
    env.write("Samples/kick.wav", b"RIFF kick");
    env.init();
    let r = env.run(&["commit", "-m", "first", "--json"]);
    r.ok();
    assert_eq!(r.stderr, "", "no progress or notes around the JSON");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "added",
            "branch",
            "bytes_read",
            "bytes_stored",
            "commit",
            "files",
            "modified",
            "parent",
            "removed"
        ]
    );
    let first = v["commit"].as_str().unwrap().to_string();
    assert_eq!(first.len(), 64);
    assert_eq!(v["parent"], serde_json::Value::Null);
    assert_eq!(v["branch"], "main");
    assert_eq!(v["files"], 2);
    assert_eq!(
        (&v["added"], &v["modified"], &v["removed"]),
        (&2.into(), &0.into(), &0.into())
    );
    assert_eq!(v["bytes_read"], 15);
    assert!(v["bytes_stored"].as_u64().unwrap() > 0);
    let log: serde_json::Value =
        serde_json::from_str(&env.run(&["log", "--json", "-n", "1"]).stdout).unwrap();
    assert_eq!(log[0]["id"], first.as_str());

    env.write("Song.als", b"set v2");
    env.write("Samples/snare.wav", b"RIFF snare");
    std::fs::remove_file(env.project.join("Samples/kick.wav")).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&env.run(&["commit", "-m", "second", "--json"]).stdout).unwrap();
    assert_eq!(v["parent"], first.as_str());
    assert_eq!(v["files"], 2);
    assert_eq!(
        (&v["added"], &v["modified"], &v["removed"]),
        (&1.into(), &1.into(), &1.into())
    );

    // Nothing to commit: still an object, with a null commit, and success.
    let r = env.run(&["commit", "-m", "again", "--json"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["commit"], serde_json::Value::Null);
    assert_eq!(v["files"], 0);
}

/// examples/ci-export-tag.sh, as a CI job runs it: commit (reading `commit --json`), fsck, tag, export.
#[test]
fn the_ci_example_commits_verifies_tags_and_exports() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("python3 not found: test skipped");
        return;
    }
    let env = TestEnv::new();
    env.write("Song.als", b"set v1");
    env.write("Samples/kick.wav", b"RIFF kick");
    env.init();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci-export-tag.sh");
    let out = env.tmp.path().join("release");
    let r: crate::common::Run = std::process::Command::new("bash")
        .arg(&script)
        .args([env.project.to_str().unwrap(), "v1", out.to_str().unwrap()])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("USER", "tester")
        .env("DAW_PASSPHRASE", crate::common::PASSPHRASE)
        .env("DAW_TIMESTAMP", "1763800000")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("DAW", crate::common::daw_bin())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
        .into();
    r.ok();
    assert!(r.stdout.starts_with("committed "), "{}", r.stdout);
    assert!(
        r.stdout.contains(": 2 files, 15 bytes read"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read(out.join("Samples/kick.wav")).unwrap(),
        b"RIFF kick"
    );
    assert!(env.run(&["tag"]).stdout.contains("v1"));
}

/// Issue 16: `daw log` says how long ago the last two weeks' commits were (`3 hours ago`, counted
/// from the current time, pinned here), older ones only by date, and `--json` keeps the time alone.
#[test]
fn log_says_how_long_ago_recent_commits_were() {
    let mut env = TestEnv::new();
    env.init();
    env.write("Song.als.txt", b"v1");
    env.run(&["commit", "-m", "first"]).ok(); // at DAW_TIMESTAMP 1763800000
    let mut date_line_at = |now: i64| {
        env.env = vec![("DAW_TIMESTAMP".into(), now.to_string())];
        let log = env.run(&["log"]);
        log.ok();
        log.stdout
            .lines()
            .find(|l| l.starts_with("Date:"))
            .unwrap_or_else(|| panic!("no date in {}", log.stdout))
            .to_string()
    };
    let t = 1_763_800_000;
    assert_eq!(
        date_line_at(t),
        "Date:   2025-11-22 08:26:40 +0000 (just now)"
    );
    assert_eq!(
        date_line_at(t + 3 * 3600 + 600),
        "Date:   2025-11-22 08:26:40 +0000 (3 hours ago)"
    );
    assert_eq!(
        date_line_at(t + 5 * 86_400),
        "Date:   2025-11-22 08:26:40 +0000 (5 days ago)"
    );
    assert_eq!(
        date_line_at(t + 30 * 86_400),
        "Date:   2025-11-22 08:26:40 +0000"
    );
    let json = env.run(&["log", "--json"]);
    json.ok();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v[0]["time"], t);
    assert!(!json.stdout.contains("ago"), "{}", json.stdout);
}

/// `daw show --json | head`, `daw log | head`: a reader that stops early is not an error. Each
/// output here is larger than a pipe's buffer, so daw meets the closed pipe while writing; it stops
/// quietly with 0, as git does, whether the text or the JSON printer met it.
#[test]
fn a_reader_that_stops_early_gets_no_error() {
    use std::io::Read;
    use std::process::Stdio;
    let env = TestEnv::new();
    env.init();
    env.write("Song.txt", b"v1");
    env.run(&["commit", "-m", "one"]).ok();
    for i in 0..2000 {
        env.write(&format!("Samples/one shot {i:04}.wav"), b"RIFF");
    }
    env.run(&["commit", "-m", "many files"]).ok();
    for args in [
        &["show", "--json"][..],
        &["show"],
        &["diff", "--json", "HEAD~1", "HEAD"],
        &["diff", "HEAD~1", "HEAD"],
    ] {
        let mut child = env
            .cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe's reading end is closed here.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "daw {args:?} said: {err}");
        assert_eq!(out.status.code(), Some(0), "daw {args:?}");
    }
}
