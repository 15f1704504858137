//! Snapshots of what a producer reads: `daw --help`, every command's `--help`, and the everyday
//! commands (init, status, commit, diff, log) on a small fixed project, checked in under
//! `tests/cli/snapshots/` so that any change to them shows in review (issue 16: every command's
//! description vanished from `daw --help` and no test noticed). `cargo insta review`, or
//! `INSTA_UPDATE=always` and a look at `git diff`, accepts a change on purpose.
//!
//! Ids are keyed hashes, different in every repository (the keys are random): they are redacted, as
//! are the bytes a commit stores (chunk boundaries are seeded by the key), the temporary folder and
//! the host name. Time, identity and passphrase are pinned (`TestEnv`, and a git config in its home).

use std::path::Path;

use crate::common::TestEnv;

/// The snapshot settings: ids (12 to 64 lowercase hex digits) shown as `[id]`, and the bytes a commit
/// stored.
fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(r"\b[0-9a-f]{12,64}\b", "[id]");
    // What a commit stores depends on where the chunker cuts, which is seeded by the random key.
    settings.add_filter(r"stored [0-9.]+ [KMG]?B new", "stored [size] new");
    settings
}

/// A command's output as a reader sees it: stdout, then stderr when there is any, and the exit
/// status when it is not 0.
fn shown(env: &TestEnv, args: &[&str]) -> String {
    let tmp = env.tmp.path().to_str().unwrap();
    let r = env.run(args);
    let mut text = format!("$ daw {}\n{}", args.join(" "), r.stdout);
    if !r.stderr.is_empty() {
        text.push_str("[stderr]\n");
        text.push_str(&r.stderr);
    }
    if r.status != 0 {
        text.push_str(&format!("[exit {}]\n", r.status));
    }
    text.replace(tmp, "[tmp]")
        .replace(&crate::common::history::hostname(), "[host]")
}

/// The names of the commands `daw --help` lists (without `help`).
fn commands(env: &TestEnv) -> Vec<String> {
    env.run(&["--help"])
        .stdout
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|name| name != "help")
        .collect()
}

#[test]
fn help_of_daw_and_of_every_command() {
    let env = TestEnv::new();
    settings().bind(|| {
        insta::assert_snapshot!("help", shown(&env, &["--help"]));
        insta::assert_snapshot!("help_subcommand", shown(&env, &["help"]));
        let names = commands(&env);
        assert!(names.len() >= 19, "{names:?}");
        for name in names {
            insta::assert_snapshot!(format!("help_{name}"), shown(&env, &[&name, "--help"]));
        }
    });
}

/// Copies the demo project (examples/demo-project) into the test's project folder.
fn copy_demo(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_demo(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The Live set of the demo project, as XML (Live reads a set in plain XML as well).
fn demo_set_xml() -> String {
    use std::io::Read;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-project/Demo Song.als");
    let mut xml = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn a_session_on_the_demo_project() {
    let env = TestEnv::new();
    copy_demo(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-project"),
        &env.project,
    );
    std::fs::write(
        env.home.join(".gitconfig"),
        b"[user]\n\tname = Ada Producer\n\temail = ada@example.com\n",
    )
    .unwrap();
    let mut session = String::new();
    let mut step = |args: &[&str]| {
        session.push_str(&shown(&env, args));
        session.push('\n');
    };
    let key_file = env.tmp.path().join("recovery-key.txt");
    step(&[
        "init",
        "--kdf-memory-kib",
        "256",
        "--kdf-iterations",
        "1",
        "--insecure-test-kdf",
        "--recovery-key-file",
        key_file.to_str().unwrap(),
    ]);
    step(&["status"]);
    step(&["status", "--ignored"]);
    // Files older than the commit that records them are not read again by the next one (the stat
    // cache), so it reads the same bytes on every run.
    std::thread::sleep(std::time::Duration::from_millis(1_150));
    step(&["commit", "-m", "First sketch"]);
    let xml = demo_set_xml().replace("<Manual Value=\"120\" />", "<Manual Value=\"128\" />");
    env.write("Demo Song.als", xml.as_bytes());
    env.write("Samples/Imported/snare.wav", b"RIFF snare");
    step(&["status"]);
    step(&["diff"]);
    step(&["commit", "-m", "Faster, with a snare"]);
    step(&["log"]);
    step(&["log", "--oneline"]);
    step(&["status"]);
    settings().bind(|| insta::assert_snapshot!("session", session));
}
