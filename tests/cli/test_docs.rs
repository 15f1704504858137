//! The man pages and shell completions shipped in `man/` and `completions/`: generated from the CLI
//! definition, and a test that fails when the checked-in copies are stale.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::TestEnv;

const REGENERATE: &str =
    "regenerate them with `cargo run -- generate-docs .` and commit the result";

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["man", "completions"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd {
            let e = e.unwrap();
            out.insert(
                format!("{sub}/{}", e.file_name().to_string_lossy()),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

#[test]
fn checked_in_man_pages_and_completions_are_up_to_date() {
    let env = TestEnv::new();
    let out = env.tmp.path().join("generated");
    let r = env.run(&["generate-docs", out.to_str().unwrap()]);
    r.ok();
    let generated = files(&out);
    let checked_in = files(Path::new(env!("CARGO_MANIFEST_DIR")));
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&checked_in),
        names(&generated),
        "the set of man pages / completion scripts changed: {REGENERATE}"
    );
    for (name, data) in &generated {
        assert!(checked_in[name] == *data, "{name} is stale: {REGENERATE}");
    }
    for page in [
        "daw.1",
        "daw-status.1",
        "daw-branch.1",
        "daw-switch.1",
        "daw-restore.1",
        "daw-tag.1",
        "daw-reset.1",
        "daw-merge.1",
        "daw-resolve.1",
        "daw-oplog.1",
        "daw-undo.1",
        "daw-log.1",
        "daw-lock.1",
        "daw-completions.1",
    ] {
        assert!(generated.contains_key(&format!("man/{page}")), "no {page}");
    }
    assert!(
        !generated.contains_key("man/daw-agent.1"),
        "hidden commands have no page"
    );
    let top = String::from_utf8_lossy(&generated["man/daw.1"]);
    assert!(
        top.contains("Exit codes"),
        "the man page documents exit codes"
    );
    for s in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let c = env.run(&["completions", s]);
        c.ok();
        assert!(c.stdout.contains("switch"), "{s} completions lack switch");
    }
    assert_eq!(
        env.run(&["completions", "bash"]).stdout.as_bytes(),
        generated["completions/daw.bash"].as_slice()
    );
    assert_eq!(env.run(&["completions", "tcsh"]).status, 2);
}

#[test]
fn help_lists_the_history_commands() {
    let env = TestEnv::new();
    let h = env.run(&["help"]);
    h.ok();
    for cmd in [
        "status",
        "branch",
        "switch",
        "restore",
        "tag",
        "reset",
        "merge",
        "resolve",
        "oplog",
        "undo",
        "lock",
        "completions",
    ] {
        assert!(h.stdout.contains(cmd), "help lacks {cmd}: {}", h.stdout);
    }
    assert!(
        !h.stdout.contains("generate-docs"),
        "hidden commands stay hidden"
    );
    assert!(h.stdout.contains("--color <WHEN>"), "{}", h.stdout);
    assert!(h.stdout.contains("--verbose"), "{}", h.stdout);
    let s = env.run(&["switch", "--help"]);
    assert!(s.stdout.contains("--discard-changes"), "{}", s.stdout);
    let m = env.run(&["merge", "--help"]);
    m.ok();
    for flag in ["--continue", "--abort", "--json", "daw resolve"] {
        assert!(
            m.stdout.contains(flag),
            "merge --help lacks {flag}: {}",
            m.stdout
        );
    }
}

/// Issue 16: with clap's `defer` on the commands (to save 0.1 ms per start), `daw --help` and
/// `daw help` listed every command with an empty description.
#[test]
fn help_lists_every_command_with_its_description() {
    let env = TestEnv::new();
    for args in [&["--help"][..], &["help"][..]] {
        let r = env.run(args);
        r.ok();
        let commands: Vec<&str> = r
            .stdout
            .lines()
            .skip_while(|l| *l != "Commands:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        // A command's line (a wrapped description goes on below it, indented further).
        let lines: Vec<&str> = commands
            .into_iter()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .collect();
        let names: Vec<&str> = lines
            .iter()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        for expected in [
            "init", "commit", "status", "log", "diff", "switch", "samples",
        ] {
            assert!(names.contains(&expected), "no {expected} in daw {args:?}");
        }
        for line in lines {
            assert!(
                line.split_whitespace().count() > 1,
                "a command without its description in daw {args:?}: {line:?}\n{}",
                r.stdout
            );
        }
    }
}
