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
        "daw-gc.1",
        "daw-stats.1",
    ] {
        assert!(generated.contains_key(&format!("man/{page}")), "no {page}");
    }
    assert!(
        !generated.contains_key("man/daw-agent.1"),
        "hidden commands have no page"
    );
    let top = String::from_utf8_lossy(&generated["man/daw.1"]);
    assert!(
        top.contains("\n.SH \"EXIT STATUS\"\n"),
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

/// The man pages `generate-docs` writes, by file name.
fn generated_man_pages(env: &TestEnv) -> BTreeMap<String, String> {
    let out = env.tmp.path().join("generated");
    env.run(&["generate-docs", out.to_str().unwrap()]).ok();
    files(&out)
        .into_iter()
        .filter_map(|(name, data)| {
            let name = name.strip_prefix("man/")?.to_string();
            Some((name, String::from_utf8(data).unwrap()))
        })
        .collect()
}

/// The text of section `heading` of a man page (up to the next section), if it has one.
fn man_section<'a>(page: &'a str, heading: &str) -> Option<&'a str> {
    // roff quotes a heading with a space in it.
    let line = if heading.contains(' ') {
        format!("\n.SH \"{heading}\"\n")
    } else {
        format!("\n.SH {heading}\n")
    };
    let start = page.find(&line)? + 1;
    let body = &page[start..];
    let end = body[1..].find("\n.SH ").map_or(body.len(), |i| i + 1);
    Some(&body[..end])
}

/// Issue 16: the man pages had no ENVIRONMENT, EXIT STATUS, FILES or SEE ALSO sections (the variables
/// and exit codes sat under "EXTRA"), `.dawignore` was described only in daw-commit(1) and revisions
/// only in two pages.
#[test]
fn man_pages_have_their_sections_and_the_ignore_and_revision_pages() {
    let env = TestEnv::new();
    let pages = generated_man_pages(&env);
    for (name, page) in &pages {
        assert!(!page.contains("\n.SH EXTRA"), "{name} has an EXTRA section");
        if name.ends_with(".1") {
            for heading in ["EXIT STATUS", "SEE ALSO"] {
                assert!(man_section(page, heading).is_some(), "{name}: no {heading}");
            }
        }
    }
    let section = |page: &str, heading: &str| {
        man_section(&pages[page], heading)
            .unwrap_or_else(|| panic!("{page}: no {heading}"))
            .to_string()
    };
    for page in [
        "daw-log.1",
        "daw-show.1",
        "daw-diff.1",
        "daw-export.1",
        "daw-branch.1",
        "daw-switch.1",
        "daw-restore.1",
        "daw-tag.1",
        "daw-reset.1",
    ] {
        assert!(
            section(page, "SEE ALSO").contains(r"daw\-revisions(7)"),
            "{page} does not refer to daw-revisions(7)"
        );
    }
    for page in [
        "daw-commit.1",
        "daw-status.1",
        "daw-watch.1",
        "daw-samples.1",
    ] {
        assert!(
            section(page, "SEE ALSO").contains(r"daw\-ignore(5)"),
            "{page} does not refer to daw-ignore(5)"
        );
        assert!(section(page, "FILES").contains(".dawignore"), "{page}");
    }
    assert!(!section("daw-oplog.1", "SEE ALSO").contains("daw\\-ignore"));
    // Each page lists the variables that concern its command, and only those.
    let status_env = section("daw-status.1", "ENVIRONMENT");
    assert!(status_env.contains(r"\fBDAW_PASSPHRASE\fR"), "{status_env}");
    assert!(status_env.contains(r"\fBDAW_NO_AGENT\fR"), "{status_env}");
    assert!(!status_env.contains("AWS_"), "{status_env}");
    let push_env = section("daw-push.1", "ENVIRONMENT");
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "DAW_REMOTE_TIMEOUT",
        "DAW_TIMESTAMP",
    ] {
        assert!(push_env.contains(&format!(r"\fB{var}\fR")), "push: {var}");
    }
    let passwd_env = section("daw-key-passwd.1", "ENVIRONMENT");
    assert!(
        passwd_env.contains(r"\fBDAW_NEW_PASSPHRASE\fR")
            && passwd_env.contains(r"\fBDAW_RECOVERY_KEY\fR")
    );
    assert!(!pages["daw-inspect.1"].contains("\n.SH ENVIRONMENT"));
    // Exit status 1 where a command uses it.
    assert!(section("daw-diff.1", "EXIT STATUS").contains(r"\-\-exit\-code"));
    assert!(section("daw-fsck.1", "EXIT STATUS").contains("\\fB1\\fR"));
    assert!(!section("daw-log.1", "EXIT STATUS").contains("\\fB1\\fR"));
    // The topic pages: every default rule as daw applies it, and the revision syntax.
    let ignore = &pages["daw-ignore.5"];
    assert!(ignore.starts_with(".ie") && ignore.contains(".TH daw-ignore 5"));
    for rule in daw::worktree::ignore::DEFAULT_IGNORES
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        // As roff sets a line: dashes escaped, a leading dot kept from reading as a request.
        let line = rule.replace('-', r"\-");
        let line = if line.starts_with('.') {
            format!(r"\&{line}")
        } else {
            line
        };
        assert!(
            ignore.contains(&format!("\n{line}\n")),
            "daw-ignore(5) lacks the default rule {rule}"
        );
    }
    let revisions = &pages["daw-revisions.7"];
    for syntax in [r"REV~N", r"REV^N", r"REMOTE/BRANCH", "HEAD"] {
        assert!(
            revisions.contains(syntax),
            "daw-revisions(7) lacks {syntax}"
        );
    }
}

/// The environment variables daw's source reads (`var("…")`, `var_os("…")`, clap's `env = "…"` and
/// the helpers `env("…")` and `nonempty("…")`), the man pages' own text left out.
fn variables_read_by_the_source() -> std::collections::BTreeSet<String> {
    fn scan(dir: &Path, out: &mut std::collections::BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                scan(&path, out);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") || path.ends_with("cli/manual.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices('"') {
                let name: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if name.len() < 3 || !text[at + 1 + name.len()..].starts_with('"') {
                    continue;
                }
                let before = text[..at].trim_end();
                let reads = ["var(", "var_os(", "env(", "nonempty("]
                    .iter()
                    .any(|call| before.ends_with(call))
                    || before.ends_with("env =");
                if reads {
                    out.insert(name);
                }
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// daw(1)'s ENVIRONMENT names every variable the source reads, and every `DAW_*` variable it names is
/// one the source reads: the list cannot go stale either way.
#[test]
fn daw_1_documents_every_variable_daw_reads() {
    let env = TestEnv::new();
    let pages = generated_man_pages(&env);
    let environment = man_section(&pages["daw.1"], "ENVIRONMENT").expect("daw(1) has ENVIRONMENT");
    let read = variables_read_by_the_source();
    for must in [
        "DAW_PASSPHRASE",
        "DAW_DIR",
        "AWS_PROFILE",
        "NO_COLOR",
        "DAW_PEAK_RSS_FILE",
    ] {
        assert!(
            read.contains(must),
            "the scan of the source missed {must}: {read:?}"
        );
    }
    for name in &read {
        assert!(
            environment.contains(&format!(r"\fB{name}\fR")),
            "daw(1) does not document {name}, which the source reads"
        );
    }
    let documented: Vec<&str> = environment
        .split(r"\fB")
        .skip(1)
        .filter_map(|s| s.split(r"\fR").next())
        .filter(|name| name.starts_with("DAW_"))
        .collect();
    assert!(documented.len() >= 10, "{documented:?}");
    for name in documented {
        assert!(
            read.contains(name),
            "daw(1) documents {name}, which daw never reads"
        );
    }
}
