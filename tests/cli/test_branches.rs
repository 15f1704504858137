//! Branches and tags through the binary: listing, creating, renaming and deleting them, which names
//! are allowed, and the refusal to drop work that nothing else holds.

use crate::common::TestEnv;
use crate::common::history::redact;

fn repo_with_two_commits() -> (TestEnv, String, String) {
    let env = TestEnv::new();
    env.write("Song.txt", b"v1");
    env.init();
    let c1 = env.commit("First idea");
    env.write("Song.txt", b"v2");
    let c2 = env.commit("Second idea");
    (env, c1, c2)
}

#[test]
fn branches_are_listed_created_renamed_and_deleted() {
    let (env, c1, c2) = repo_with_two_commits();
    let names = [("c1", c1.as_str()), ("c2", c2.as_str())];
    assert_eq!(env.run(&["branch"]).stdout, "* main\n");
    let r = env.run(&["branch", "mix ideas", "HEAD~1"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Created branch 'mix ideas' at <c1>.\n"
    );
    env.run(&["branch", "vocals"]).ok();
    assert_eq!(
        env.run(&["branch"]).stdout,
        "* main\n  mix ideas\n  vocals\n"
    );
    assert_eq!(
        redact(&env.run(&["-v", "branch"]).stdout, &names),
        "* main      <c2> Second idea\n  mix ideas <c1> First idea\n  vocals    <c2> Second idea\n"
    );
    let j: serde_json::Value =
        serde_json::from_str(&env.run(&["branch", "--json"]).stdout).unwrap();
    assert_eq!(j["head"]["branch"], "main");
    assert_eq!(j["branches"][1]["name"], "mix ideas");
    assert_eq!(j["branches"][1]["commit"], c1.as_str());
    assert_eq!(j["branches"][0]["current"], true);

    // An existing name is refused unless forced.
    let r = env.run_code(&["branch", "vocals", "HEAD~1"], 2);
    assert!(
        r.stderr.contains("a branch named 'vocals' already exists"),
        "{}",
        r.stderr
    );
    env.run(&["branch", "-f", "vocals", "HEAD~1"]).ok();

    // Renaming: another branch, then the current one (HEAD follows).
    assert_eq!(
        env.run(&["branch", "-m", "vocals", "vox"]).stdout,
        "Renamed branch 'vocals' to 'vox'.\n"
    );
    env.run(&["branch", "-m", "master"]).ok();
    assert_eq!(
        env.run(&["branch"]).stdout,
        "* master\n  mix ideas\n  vox\n"
    );
    assert_eq!(
        env.run(&["status", "--porcelain"]).stdout.lines().next(),
        Some("# branch.head master")
    );
    let r = env.run_code(&["branch", "-m", "vox", "mix ideas"], 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);

    // Deleting: `vox` and `mix ideas` point at c1, which master holds: nothing is lost.
    let r = env.run(&["branch", "-d", "vox"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Deleted branch 'vox' (was at <c1>).\n"
    );
    let r = env.run_code(&["branch", "-d", "master"], 2);
    assert!(
        r.stderr.contains("it is the current branch"),
        "{}",
        r.stderr
    );
    let r = env.run_code(&["branch", "-d", "nope"], 2);
    assert!(r.stderr.contains("no branch named 'nope'"), "{}", r.stderr);
    env.run(&["branch", "-d", "mix ideas"]).ok();
    assert_eq!(env.run(&["branch"]).stdout, "* master\n");
}

#[test]
fn deleting_a_branch_with_work_nothing_else_holds_needs_capital_d() {
    let (env, _, _) = repo_with_two_commits();
    env.run(&["switch", "-c", "mix"]).ok();
    env.write("Bass.wav", b"bass");
    let tip = env.commit("Bass on the mix branch");
    env.run(&["switch", "main"]).ok();
    let r = env.run_code(&["branch", "-d", "mix"], 2);
    assert_eq!(
        r.stderr,
        "error: branch 'mix' holds 1 commit(s) that no other branch, tag or HEAD holds; not deleted\n\
hint: delete it anyway with `daw branch -D mix` (`daw undo` brings it back), or merge its work first\n"
    );
    // A tag on the tip holds the work: plain -d is enough then.
    env.run(&["tag", "bass-take", "mix"]).ok();
    env.run(&["branch", "-d", "mix"]).ok();
    env.run(&["tag", "-d", "bass-take"]).ok();
    // Without the tag, -D drops it, and undo brings it back.
    env.run(&["branch", "mix", &tip]).ok();
    let r = env.run(&["branch", "-D", "mix"]);
    r.ok();
    assert!(r.stdout.starts_with("Deleted branch 'mix'"), "{}", r.stdout);
    env.run(&["undo"]).ok();
    assert_eq!(env.run(&["branch"]).stdout, "* main\n  mix\n");
}

#[test]
fn branch_names_with_spaces_are_fine_and_ambiguous_ones_are_refused() {
    let (env, _, _) = repo_with_two_commits();
    for ok in [
        "Chorus – alt take",
        "feature/vocals",
        "v1.0",
        "Beat #2 (final)",
    ] {
        env.run(&["branch", ok]).ok();
        // Usable as a revision.
        env.run(&["log", "-n", "1", ok]).ok();
    }
    for (bad, why) in [
        ("HEAD", "reserved"),
        ("-x", "unexpected argument"),
        ("a..b", "'..' is not allowed"),
        ("main~1", "'~' is not allowed"),
        ("what?", "'?' is not allowed"),
        (" lead", "white space"),
        ("tab\there", "control character"),
        ("x.lock", "'.lock'"),
        (".hidden", "starts with '.'"),
        ("", "cannot be empty"),
    ] {
        let r = env.run_code(&["branch", bad], 2);
        assert!(r.stderr.contains(why), "{bad:?}: {}", r.stderr);
    }
    // Past clap (after `--`), daw's own check catches the leading '-'.
    let r = env.run_code(&["branch", "--", "-x"], 2);
    assert_eq!(
        r.stderr,
        "error: '-x' is not a valid branch name: it starts with '-'\n"
    );
    let r = env.run_code(&["switch", "-c", "bad..name"], 2);
    assert!(r.stderr.contains("'..' is not allowed"), "{}", r.stderr);
}

#[test]
fn a_branch_needs_a_commit() {
    let env = TestEnv::new();
    env.init();
    let r = env.run_code(&["branch", "mix"], 2);
    assert!(r.stderr.contains("no commits yet"), "{}", r.stderr);
    assert!(
        r.stderr.contains("hint: a branch needs a commit"),
        "{}",
        r.stderr
    );
    assert_eq!(env.run(&["branch"]).stdout, "* main (no commits yet)\n");
    // The unborn branch can be renamed.
    env.run(&["branch", "-m", "trunk"]).ok();
    assert_eq!(env.run(&["branch"]).stdout, "* trunk (no commits yet)\n");
}

#[test]
fn tags_are_listed_created_moved_and_deleted() {
    let (env, c1, c2) = repo_with_two_commits();
    let names = [("c1", c1.as_str()), ("c2", c2.as_str())];
    assert_eq!(env.run(&["tag"]).stdout, "");
    let r = env.run(&["tag", "sent to label", "-m", "the version Anna heard"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Tagged <c2> as 'sent to label'.\n"
    );
    env.run(&["tag", "v1", "HEAD~1"]).ok();
    assert_eq!(env.run(&["tag"]).stdout, "sent to label\nv1\n");
    assert_eq!(
        redact(&env.run(&["-v", "tag"]).stdout, &names),
        "sent to label <c2> the version Anna heard\nv1            <c1>\n"
    );
    let j: serde_json::Value = serde_json::from_str(&env.run(&["tag", "--json"]).stdout).unwrap();
    assert_eq!(j[0]["message"], "the version Anna heard");
    assert_eq!(j[1]["commit"], c1.as_str());
    // Tags resolve as revisions and decorate the log.
    let log = env.run(&["log", "--oneline", "v1"]);
    assert_eq!(redact(&log.stdout, &names), "<c1> (tag: v1) First idea\n");
    // Moving needs -f.
    let r = env.run_code(&["tag", "v1"], 2);
    assert!(
        r.stderr.contains("a tag named 'v1' already exists"),
        "{}",
        r.stderr
    );
    env.run(&["tag", "-f", "v1"]).ok();
    assert!(
        env.run(&["log", "-n", "1", "--json", "v1"])
            .stdout
            .contains(&c2)
    );
    let r = env.run(&["tag", "-d", "v1"]);
    assert_eq!(redact(&r.stdout, &names), "Deleted tag 'v1' (was <c2>).\n");
    let r = env.run_code(&["tag", "-d", "v1"], 2);
    assert!(r.stderr.contains("no tag named 'v1'"), "{}", r.stderr);
    // `switch` to a tag explains how to look at it.
    let r = env.run_code(&["switch", "sent to label"], 2);
    assert!(r.stderr.contains("is a tag, not a branch"), "{}", r.stderr);
}
