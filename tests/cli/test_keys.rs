//! Keys and trust (issue 12): passphrases added, changed and removed, the recovery key, key slots
//! carried by push and fetch, refused weak or empty secrets, damaged slots, the modes of what `.daw`
//! holds, a tampered config and a rolled-back repository.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{PASSPHRASE, Run, TestEnv};

/// daw with `vars` set on top of the test environment.
fn run_with(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut c = env.cmd(args);
    for (k, v) in vars {
        c.env(k, v);
    }
    c.output().unwrap().into()
}

/// daw with the passphrase `pass`.
fn as_user(env: &TestEnv, pass: &str, args: &[&str]) -> Run {
    run_with(env, args, &[("DAW_PASSPHRASE", pass)])
}

/// `init` with cheap key derivation that writes the recovery key to a file; returns the key.
fn init_with_recovery_file(env: &TestEnv) -> String {
    let file = env.tmp.path().join("recovery.txt");
    let _ = std::fs::remove_file(&file);
    let r = env.run(&[
        "init",
        "--kdf-memory-kib",
        "256",
        "--kdf-iterations",
        "1",
        "--insecure-test-kdf",
        "--recovery-key-file",
        file.to_str().unwrap(),
    ]);
    r.ok();
    assert!(!r.stdout.contains("Recovery key ("), "{}", r.stdout);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the recovery key file is {mode:o}");
    std::fs::read_to_string(&file).unwrap().trim().to_string()
}

fn slots(env: &TestEnv, pass: &str) -> Vec<serde_json::Value> {
    let r = as_user(env, pass, &["key", "list", "--json"]);
    r.ok();
    serde_json::from_str::<serde_json::Value>(&r.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn slot_id(slots: &[serde_json::Value], pred: impl Fn(&serde_json::Value) -> bool) -> String {
    slots.iter().find(|s| pred(s)).expect("a matching slot")["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[track_caller]
fn assert_wrong_passphrase(r: &Run) {
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: wrong passphrase"),
        "{}",
        r.stderr
    );
}

#[test]
fn test_keys_add_passwd_remove_and_list() {
    let env = TestEnv::new();
    env.write("Song.als", b"song");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let start = slots(&env, PASSPHRASE);
    assert_eq!(start.len(), 2, "{start:?}");
    assert!(
        start
            .iter()
            .any(|s| s["kind"] == "passphrase" && s["in_use"] == true)
    );
    assert!(start.iter().any(|s| s["kind"] == "recovery"));
    assert_eq!(start[0]["kdf"]["memory_kib"], 256);
    assert_eq!(start[0]["created"], 1763800000);

    // A second passphrase for a collaborator.
    let r = run_with(
        &env,
        &["key", "add", "--label", "Sam's laptop"],
        &[("DAW_NEW_PASSPHRASE", "sam's own passphrase")],
    );
    r.ok();
    let listed = env.run(&["key", "list"]);
    listed.ok();
    assert!(listed.stdout.contains("Sam's laptop"), "{}", listed.stdout);
    assert!(listed.stdout.contains("(in use)"), "{}", listed.stdout);
    assert_eq!(as_user(&env, "sam's own passphrase", &["log"]).status, 0);

    // Change the passphrase in use: the data reads with the new one, the old one fails.
    let r = run_with(
        &env,
        &["key", "passwd"],
        &[("DAW_NEW_PASSPHRASE", "a brand new passphrase")],
    );
    r.ok();
    assert!(r.stdout.contains("Passphrase changed"), "{}", r.stdout);
    assert_wrong_passphrase(&env.run(&["log"]));
    let out = env.tmp.path().join("out");
    as_user(
        &env,
        "a brand new passphrase",
        &["export", "HEAD", out.to_str().unwrap()],
    )
    .ok();
    assert_eq!(std::fs::read(out.join("Song.als")).unwrap(), b"song");
    assert_eq!(as_user(&env, "sam's own passphrase", &["log"]).status, 0);

    // Remove Sam's slot: his passphrase no longer opens anything.
    let now = slots(&env, "a brand new passphrase");
    assert_eq!(now.len(), 3);
    let sam = slot_id(&now, |s| s["label"] == "Sam's laptop");
    let r = as_user(
        &env,
        "a brand new passphrase",
        &["key", "remove", &sam[..6]],
    );
    r.ok();
    assert!(r.stdout.contains(&sam), "{}", r.stdout);
    assert_wrong_passphrase(&as_user(&env, "sam's own passphrase", &["log"]));

    // The last way in cannot be removed.
    let now = slots(&env, "a brand new passphrase");
    let recovery = slot_id(&now, |s| s["kind"] == "recovery");
    let pass = slot_id(&now, |s| s["kind"] == "passphrase");
    as_user(
        &env,
        "a brand new passphrase",
        &["key", "remove", &recovery],
    )
    .ok();
    let r = as_user(&env, "a brand new passphrase", &["key", "remove", &pass]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("last way into the repository"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("hint:") || r.stderr.contains("daw key add"),
        "{}",
        r.stderr
    );
    assert_eq!(as_user(&env, "a brand new passphrase", &["log"]).status, 0);
    // An unknown slot is named.
    let r = as_user(
        &env,
        "a brand new passphrase",
        &["key", "remove", "ffffffffffff"],
    );
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("no key slot"), "{}", r.stderr);
}

#[test]
fn test_keys_recovery_key_unlocks_and_sets_a_new_passphrase() {
    let env = TestEnv::new();
    env.write("Song.als", b"song");
    let key = init_with_recovery_file(&env);
    assert_eq!(key.len(), 44, "{key}");
    env.run(&["commit", "-m", "one"]).ok();

    // Shown once on the terminal when no file is asked for.
    let other = TestEnv::new();
    let r = other.run(&[
        "init",
        "--kdf-memory-kib",
        "256",
        "--kdf-iterations",
        "1",
        "--insecure-test-kdf",
    ]);
    r.ok();
    assert!(
        r.stdout.contains("Recovery key (shown once"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Without it and the passphrase the history is gone")
    );

    // A typo is caught by the checksum, not taken for a wrong key.
    let mut typo: Vec<char> = key.chars().collect();
    typo[1] = if typo[1] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    let r = run_with(
        &env,
        &["key", "passwd", "--recovery"],
        &[("DAW_RECOVERY_KEY", &typo), ("DAW_NEW_PASSPHRASE", "x")],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("checksum"), "{}", r.stderr);

    // The passphrase is forgotten: the recovery key (typed in lower case, with spaces) sets a new one.
    let typed = key.to_lowercase().replace('-', " ");
    let r = run_with(
        &env,
        &["key", "passwd", "--recovery"],
        &[
            ("DAW_PASSPHRASE", "forgotten"),
            ("DAW_RECOVERY_KEY", &typed),
            ("DAW_NEW_PASSPHRASE", "remembered this time"),
        ],
    );
    r.ok();
    assert!(r.stdout.contains("New passphrase set"), "{}", r.stdout);
    let log = as_user(&env, "remembered this time", &["log", "--oneline"]);
    log.ok();
    assert!(log.stdout.contains("one"));

    // A new recovery key revokes the old one.
    let file = env.tmp.path().join("recovery2.txt");
    as_user(
        &env,
        "remembered this time",
        &[
            "key",
            "recovery",
            "--recovery-key-file",
            file.to_str().unwrap(),
        ],
    )
    .ok();
    let new_key = std::fs::read_to_string(&file).unwrap().trim().to_string();
    assert_ne!(new_key, key);
    let r = run_with(
        &env,
        &["key", "passwd", "--recovery"],
        &[("DAW_RECOVERY_KEY", &key), ("DAW_NEW_PASSPHRASE", "y")],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("wrong recovery key"), "{}", r.stderr);
    run_with(
        &env,
        &["key", "passwd", "--recovery"],
        &[("DAW_RECOVERY_KEY", &new_key), ("DAW_NEW_PASSPHRASE", "z")],
    )
    .ok();
    assert_eq!(as_user(&env, "z", &["log"]).status, 0);
    // An existing file is never overwritten.
    let r = as_user(
        &env,
        "z",
        &[
            "key",
            "recovery",
            "--recovery-key-file",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), new_key);
}

#[test]
fn test_keys_empty_and_weak_secrets_are_refused() {
    let env = TestEnv::new();
    let weak = [
        "init",
        "--kdf-memory-kib",
        "256",
        "--kdf-iterations",
        "1",
        "--insecure-test-kdf",
    ];
    // An empty passphrase from every source.
    let r = as_user(&env, "", &weak);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    let empty = env.tmp.path().join("empty");
    std::fs::write(&empty, b"\n").unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut c = env.cmd(&weak);
    c.env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_FILE", &empty);
    let r: Run = c.output().unwrap().into();
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    let mut c = env.cmd(&weak);
    c.env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_COMMAND", "true");
    let r: Run = c.output().unwrap().into();
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    assert!(!env.daw_dir().join("config").exists());

    // KDF settings under the documented minimum, unless the insecure test option names the risk.
    let r = env.run(&["init", "--kdf-memory-kib", "8", "--kdf-iterations", "1"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("below the minimum"), "{}", r.stderr);
    assert!(r.stderr.contains("--insecure-test-kdf"), "{}", r.stderr);
    assert!(!env.daw_dir().join("config").exists());
    env.init();
    let r = run_with(&env, &["key", "add"], &[("DAW_NEW_PASSPHRASE", "")]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    assert_eq!(slots(&env, PASSPHRASE).len(), 2);
}

#[test]
fn test_keys_passphrase_sources_warn_and_refuse_bad_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    env.init();
    // A passphrase file others can read works, with a warning.
    let pf = env.tmp.path().join("pass");
    std::fs::write(&pf, format!("{PASSPHRASE}\n")).unwrap();
    std::fs::set_permissions(&pf, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut c = env.cmd(&["key", "list"]);
    c.env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_FILE", &pf);
    let r: Run = c.output().unwrap().into();
    r.ok();
    assert!(
        r.stderr.contains("can be read by other users") && r.stderr.contains("chmod 600"),
        "{}",
        r.stderr
    );
    std::fs::set_permissions(&pf, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut c = env.cmd(&["key", "list"]);
    c.env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_FILE", &pf);
    let r: Run = c.output().unwrap().into();
    r.ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    // Bytes that are not UTF-8: a clear error, not a lossy conversion.
    let mut c = env.cmd(&["log"]);
    c.env(
        "DAW_PASSPHRASE",
        std::ffi::OsStr::from_bytes(b"correct horse \xff battery"),
    );
    let r: Run = c.output().unwrap().into();
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
    std::fs::write(&pf, b"caf\xe9\n").unwrap();
    let mut c = env.cmd(&["log"]);
    c.env_remove("DAW_PASSPHRASE")
        .env("DAW_PASSPHRASE_FILE", &pf);
    let r: Run = c.output().unwrap().into();
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
}

/// The passphrase slot's file.
fn passphrase_slot_file(env: &TestEnv) -> std::path::PathBuf {
    let id = slot_id(&slots(env, PASSPHRASE), |s| s["kind"] == "passphrase");
    env.daw_dir().join("keys").join(id)
}

#[test]
fn test_keys_damaged_slots_are_told_from_wrong_passphrases() {
    let env = TestEnv::new();
    env.init();
    let file = passphrase_slot_file(&env);
    let good = std::fs::read_to_string(&file).unwrap();
    // A slot claiming 4 TB of memory is refused as damaged, without trying to allocate it.
    let huge = good.replace("\"memory_kib\": 256", "\"memory_kib\": 4000000000");
    assert_ne!(huge, good);
    std::fs::write(&file, &huge).unwrap();
    let r = env.run(&["log"]);
    assert_eq!(r.status, 3, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: damaged key slot"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("beyond the most daw runs"),
        "{}",
        r.stderr
    );
    // A flipped bit of the wrapped key: damaged, not a wrong passphrase.
    let v: serde_json::Value = serde_json::from_str(&good).unwrap();
    let wrapped = v["wrapped_key"].as_str().unwrap();
    let mut flipped: Vec<char> = wrapped.chars().collect();
    flipped[70] = if flipped[70] == '0' { '1' } else { '0' };
    let flipped: String = flipped.into_iter().collect();
    std::fs::write(&file, good.replace(wrapped, &flipped)).unwrap();
    let r = env.run(&["log"]);
    assert!(
        r.stderr.starts_with("error: damaged key slot"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("altered"), "{}", r.stderr);
    // A wrong passphrase on that slot is still just wrong.
    assert_wrong_passphrase(&as_user(&env, "not it", &["log"]));
    std::fs::write(&file, &good).unwrap();
    env.run(&["fsck"]).ok();
    // Another slot edited (its label): the repository still opens, and fsck names the slot.
    let recovery = slot_id(&slots(&env, PASSPHRASE), |s| s["kind"] == "recovery");
    let rfile = env.daw_dir().join("keys").join(&recovery);
    let text = std::fs::read_to_string(&rfile).unwrap();
    std::fs::write(&rfile, text.replace("recovery key", "backdoor")).unwrap();
    let r = env.run(&["fsck"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("key slot {recovery}")) && r.stderr.contains("altered"),
        "{}",
        r.stderr
    );
    let listed = env.run(&["key", "list"]);
    listed.ok();
    assert!(
        listed.stdout.contains("altered since it was added"),
        "{}",
        listed.stdout
    );
}

#[test]
fn test_keys_nothing_under_daw_is_open_to_other_users() {
    let env = TestEnv::new();
    env.init();
    env.write("Song.als", b"song");
    env.run(&["commit", "-m", "one"]).ok();
    env.run(&["status"]).ok();
    let mut stack = vec![env.daw_dir()];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{} is {mode:o}", d.display());
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files += 1;
                let mode = e.metadata().unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{} is {mode:o}", e.path().display());
            }
        }
    }
    assert!(files >= 8, "{files}");
    // A repository an older daw left open is closed again by the next command.
    std::fs::set_permissions(env.daw_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    env.run(&["log"]).ok();
    let mode = std::fs::metadata(env.daw_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
}

/// Runs daw in another folder of the same environment.
fn run_in(env: &TestEnv, dir: &Path, pass: &str, args: &[&str]) -> Run {
    let mut full = vec!["-C", dir.to_str().unwrap()];
    full.extend_from_slice(args);
    as_user(env, pass, &full)
}

#[test]
fn test_keys_slots_travel_with_push_fetch_and_clone() {
    let env = TestEnv::new();
    env.init();
    env.write("Song.txt", b"v1");
    env.run(&["commit", "-m", "one"]).ok();
    let usb = env.tmp.path().join("usb");
    env.run(&["remote", "add", "usb", usb.to_str().unwrap()])
        .ok();
    env.run(&["push"]).ok();
    let home = env.tmp.path().join("home copy");
    env.run(&["clone", usb.to_str().unwrap(), home.to_str().unwrap()])
        .ok();

    // The studio changes its passphrase and pushes: the old one stops opening the remote, and the
    // home copy drops it at its next fetch.
    run_with(
        &env,
        &["key", "passwd"],
        &[("DAW_NEW_PASSPHRASE", "studio 2")],
    )
    .ok();
    let pushed = as_user(&env, "studio 2", &["push"]);
    pushed.ok();
    assert!(
        pushed
            .stdout
            .contains("Key slots: 1 added and 1 removed on 'usb'"),
        "{}",
        pushed.stdout
    );
    let late = env.tmp.path().join("late clone");
    let r = env.run(&["clone", usb.to_str().unwrap(), late.to_str().unwrap()]);
    assert_wrong_passphrase(&r);
    let fetched = run_in(&env, &home, PASSPHRASE, &["fetch"]);
    fetched.ok();
    assert!(
        fetched
            .stdout
            .contains("Key slots from 'origin': 1 added, 1 removed."),
        "{}",
        fetched.stdout
    );
    assert_wrong_passphrase(&run_in(&env, &home, PASSPHRASE, &["log"]));
    run_in(&env, &home, "studio 2", &["log"]).ok();

    // Home adds a passphrase and pushes; the studio picks it up with a fetch, and a new clone opens
    // with it.
    let r = run_in(&env, &home, "studio 2", &["key", "add", "--label", "home"]);
    assert_eq!(
        r.status, 2,
        "no DAW_NEW_PASSPHRASE and no terminal: {}",
        r.stderr
    );
    let mut c = env.cmd(&[
        "-C",
        home.to_str().unwrap(),
        "key",
        "add",
        "--label",
        "home",
    ]);
    c.env("DAW_PASSPHRASE", "studio 2")
        .env("DAW_NEW_PASSPHRASE", "home passphrase");
    Run::from(c.output().unwrap()).ok();
    run_in(&env, &home, "studio 2", &["push"]).ok();
    as_user(&env, "studio 2", &["fetch"]).ok();
    as_user(&env, "home passphrase", &["log"]).ok();
    let labels: Vec<String> = slots(&env, "home passphrase")
        .iter()
        .map(|s| s["label"].as_str().unwrap().to_string())
        .collect();
    assert!(labels.contains(&"home".to_string()), "{labels:?}");
    let r = as_user(
        &env,
        "home passphrase",
        &["clone", usb.to_str().unwrap(), late.to_str().unwrap()],
    );
    r.ok();
    assert_eq!(
        std::fs::read(late.join("Song.txt")).unwrap(),
        b"v1".to_vec()
    );
    // Both copies list the same slots.
    let ids = |v: Vec<serde_json::Value>| {
        let mut ids: Vec<String> = v.iter().map(|s| s["id"].to_string()).collect();
        ids.sort();
        ids
    };
    let studio = ids(slots(&env, "studio 2"));
    let r = run_in(&env, &home, "studio 2", &["key", "list", "--json"]);
    r.ok();
    let home_ids = ids(serde_json::from_str::<serde_json::Value>(&r.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone());
    assert_eq!(studio, home_ids);
}

#[test]
fn test_keys_a_tampered_config_is_refused() {
    let env = TestEnv::new();
    env.write("Song.als", b"song");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let victim = env.tmp.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("precious.txt"), b"keep me").unwrap();
    let config = env.daw_dir().join("config");
    let original = std::fs::read_to_string(&config).unwrap();
    // A `worktree` line added by someone else would send commits and resets to another folder.
    std::fs::write(
        &config,
        format!("{original}[core]\n\tworktree = {}\n", victim.display()),
    )
    .unwrap();
    for args in [
        &["status"][..],
        &["reset", "--hard", "HEAD"],
        &["commit", "-m", "x"],
    ] {
        let r = env.run(args);
        assert_eq!(r.status, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("changed outside daw") && r.stderr.contains("core.worktree"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("daw fsck --accept-config"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(
        std::fs::read(victim.join("precious.txt")).unwrap(),
        b"keep me"
    );
    let r = env.run(&["fsck"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("core.worktree"), "{}", r.stderr);
    // The author too.
    std::fs::write(&config, format!("{original}[user]\n\tname = Mallory\n")).unwrap();
    let r = env.run(&["commit", "-m", "x"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("user.name"), "{}", r.stderr);
    // The owner made that change: accepted once, then used.
    env.run(&["fsck", "--accept-config"]).ok();
    env.write("Song.als", b"song 2");
    env.run(&["commit", "-m", "two"]).ok();
    let log = env.run(&["log", "-n", "1"]);
    assert!(log.stdout.contains("Mallory"), "{}", log.stdout);
}

#[test]
fn test_keys_rollback_of_op_head_and_of_the_whole_daw_is_reported() {
    let env = TestEnv::new();
    env.write("Song.als", b"one");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let old_head = std::fs::read(env.daw_dir().join("op_head")).unwrap();
    let backup = env.tmp.path().join("backup");
    crate::common::copy_dir(&env.daw_dir(), &backup);
    env.write("Song.als", b"two");
    env.run(&["commit", "-m", "two"]).ok();

    // op_head moved back.
    std::fs::write(env.daw_dir().join("op_head"), &old_head).unwrap();
    let r = env.run(&["log"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rolled back"), "{}", r.stderr);
    assert!(r.stderr.contains("op_head was moved back"), "{}", r.stderr);
    let r = env.run(&["commit", "-m", "on the old state"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    let r = env.run(&["fsck", "--read-data"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("rolled back"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("1 operation(s) not reachable from op_head"),
        "{}",
        r.stderr
    );

    // The whole .daw replaced by an older copy (a sync client, a backup restore).
    std::fs::remove_dir_all(env.daw_dir()).unwrap();
    crate::common::copy_dir(&backup, &env.daw_dir());
    let r = env.run(&["status"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("replaced by an older copy"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--accept-rollback"), "{}", r.stderr);
    let r = env.run(&["fsck"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("rolled back"), "{}", r.stderr);

    // Restored on purpose: accepted, and the repository works from there on.
    env.run(&["fsck", "--accept-rollback"]).ok();
    let log = env.run(&["log", "--oneline"]);
    log.ok();
    assert!(!log.stdout.contains("two"), "{}", log.stdout);
    env.run(&["commit", "-m", "again"]).ok();
    env.run(&["log"]).ok();
}

#[test]
fn test_keys_fsck_goes_past_a_damaged_index_and_repair_rebuilds_it() {
    let env = TestEnv::new();
    env.write("Song.als", b"one");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    env.write("Song.als", b"two");
    env.write("Kick.wav", &crate::common::pseudo_random(3, 5000));
    env.run(&["commit", "-m", "two"]).ok();
    let index_dir = env.daw_dir().join("index");
    let mut indexes: Vec<_> = std::fs::read_dir(&index_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    indexes.sort();
    assert!(indexes.len() >= 2);
    let mut bytes = std::fs::read(&indexes[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&indexes[0], bytes).unwrap();
    let r = env.run(&["fsck"]);
    assert_eq!(r.status, 1, "fsck went on and reported: {}", r.stderr);
    assert!(r.stderr.contains("index "), "{}", r.stderr);
    assert!(r.stderr.contains("--repair"), "{}", r.stderr);
    assert!(r.stdout.contains("Checked"), "{}", r.stdout);
    let r = env.run(&["fsck", "--repair"]);
    r.ok();
    assert!(r.stdout.contains("Removed damaged index"), "{}", r.stdout);
    assert!(
        r.stdout.contains("again from their headers"),
        "{}",
        r.stdout
    );
    env.run(&["fsck", "--read-data"]).ok();
    let out = env.tmp.path().join("out");
    env.run(&["export", "HEAD~1", out.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read(out.join("Song.als")).unwrap(), b"one");
}
