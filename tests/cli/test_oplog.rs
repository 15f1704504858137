//! The operation log and undo: every command that changed refs or files is logged (who, when, the
//! command line, refs before → after), the log only grows, undo reverts the last entry and undoing an
//! undo redoes.

use crate::common::TestEnv;
use crate::common::history::redact;

#[test]
fn oplog_lists_every_change_with_refs_before_and_after() {
    let env = TestEnv::new();
    env.write("Song.als", b"v1");
    env.init();
    let c1 = env.commit("First");
    env.run(&["branch", "mix ideas"]).ok();
    env.run(&["switch", "mix ideas"]).ok();
    env.write("Song.als", b"v2");
    let c2 = env.commit("Louder");
    env.run(&["tag", "v1", "HEAD~1", "-m", "demo"]).ok();
    env.run(&["restore", "-s", "v1", "Song.als"]).ok();
    let names = [("c1", c1.as_str()), ("c2", c2.as_str())];
    let r = env.run(&["oplog"]);
    r.ok();
    assert_eq!(
        redact(&r.stdout, &names),
        "\
op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    restore 'Song.als' from <c1>
    $ daw restore -s v1 Song.als
    files: rewrote Song.als

op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    tag 'v1' at <c1>
    $ daw tag v1 HEAD~1 -m demo
    + tag v1 at <c1>

op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    commit <c2>: Louder
    $ daw commit -m Louder
    mix ideas: <c1> → <c2>

op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    switch to branch 'mix ideas'
    $ daw switch 'mix ideas'
    HEAD: main → mix ideas

op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    create branch 'mix ideas' at <c1>
    $ daw branch 'mix ideas'
    + branch mix ideas at <c1>

op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    commit <c1>: First
    $ daw commit -m First
    + branch main at <c1>

op <id>  2025-11-22 08:26:40 +0000  tester <tester@HOST>
    initialize repository
    $ daw init --kdf-memory-kib 256 --kdf-iterations 1 --insecure-test-kdf
"
    );
    let two = env.run(&["oplog", "-n", "2"]);
    assert_eq!(two.stdout.matches("\nop ").count() + 1, 2, "{}", two.stdout);
    let j: serde_json::Value = serde_json::from_str(&env.run(&["oplog", "--json"]).stdout).unwrap();
    let ops = j.as_array().unwrap();
    assert_eq!(ops.len(), 7);
    assert_eq!(
        ops[2]["description"],
        format!("commit {}: Louder", &c2[..12])
    );
    assert_eq!(ops[2]["refs_before"]["branches"]["mix ideas"], c1.as_str());
    assert_eq!(ops[2]["refs_after"]["branches"]["mix ideas"], c2.as_str());
    assert_eq!(ops[2]["refs_after"]["head"]["branch"], "mix ideas");
    assert_eq!(ops[1]["refs_after"]["tags"]["v1"]["message"], "demo");
    assert_eq!(ops[0]["work_tree"]["paths"][0], "Song.als");
    assert_eq!(ops[6]["refs_before"], serde_json::Value::Null);
    assert_eq!(ops[6]["parents"].as_array().unwrap().len(), 0);
    assert_eq!(ops[5]["parents"][0], ops[6]["id"]);
    assert_eq!(
        ops[0]["user"],
        "tester <tester@".to_string() + &crate::common::history::hostname() + ">"
    );
}

#[test]
fn undo_reverts_the_last_operation_and_undo_of_undo_redoes() {
    let env = TestEnv::new();
    env.write("Song.als", b"v1");
    env.init();
    let c1 = env.commit("First");
    env.write("Song.als", b"v2");
    let c2 = env.commit("Second");
    let names = [("c1", c1.as_str()), ("c2", c2.as_str())];

    // Undo a commit: the branch moves back, the files stay (the change is uncommitted again).
    let r = env.run(&["undo"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Undid: commit <c2>: Second  (daw commit -m Second)\n    main: <c2> → <c1>\n    your files are unchanged: what that commit recorded is uncommitted again\n"
    );
    assert_eq!(env.read("Song.als"), "v2");
    assert_eq!(env.run(&["status", "--short"]).stdout, "M Song.als\n");
    // Undo the undo: redo.
    let r = env.run(&["undo"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Redid: commit <c2>: Second  (daw undo)\n    main: <c1> → <c2>\n"
    );
    assert_eq!(env.head_id(), c2);
    // And again: undone once more.
    let r = env.run(&["undo"]);
    assert!(r.stdout.starts_with("Undid: commit "), "{}", r.stdout);
    assert_eq!(env.head_id(), c1);
    env.run(&["undo"]).ok();

    // A branch deletion and a switch, undone.
    env.run(&["branch", "mix"]).ok();
    env.run(&["branch", "-d", "mix"]).ok();
    let r = env.run(&["undo"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Undid: delete branch 'mix' (was at <c2>)  (daw branch -d mix)\n    + branch mix at <c2>\n"
    );
    env.run(&["switch", "--detach", "HEAD~1"]).ok();
    assert_eq!(env.read("Song.als"), "v1");
    let r = env.run(&["undo"]);
    assert_eq!(
        redact(&r.stdout, &names),
        "Undid: switch to <c1> (detached HEAD)  (daw switch --detach HEAD~1)\n    HEAD: <c1> (detached) → main\n    files: 1 file written\n"
    );
    assert_eq!(env.read("Song.als"), "v2");

    // The log only grows: every undo and redo is an entry.
    let ops: serde_json::Value =
        serde_json::from_str(&env.run(&["oplog", "--json"]).stdout).unwrap();
    assert_eq!(ops.as_array().unwrap().len(), 12);
    assert_eq!(
        ops[0]["description"],
        format!("undo: switch to {} (detached HEAD)", &c1[..12])
    );
    assert!(ops[0]["undoes"].is_string());
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn undo_refuses_to_overwrite_changes_made_since_and_stops_at_the_start() {
    let env = TestEnv::new();
    env.init();
    let r = env.run_code(&["undo"], 2);
    assert_eq!(
        r.stderr,
        "error: nothing to undo: the log starts with the creation of the repository\n"
    );
    env.write("Song.als", b"v1");
    env.commit("First");
    env.write("Song.als", b"v2");
    env.commit("Second");
    env.run(&["switch", "--detach", "HEAD~1"]).ok();
    // A change made after the switch is in the way of undoing it.
    env.write("Song.als", b"edited while detached");
    let r = env.run_code(&["undo"], 2);
    assert!(
        r.stderr
            .starts_with("error: this would overwrite uncommitted changes to Song.als\n"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("Song.als"), "edited while detached");
    env.run(&["undo", "--discard-changes"]).ok();
    assert_eq!(env.read("Song.als"), "v2");
    // ...and the discarded edit comes back with a redo.
    env.run(&["undo"]).ok();
    assert_eq!(env.read("Song.als"), "edited while detached");
}
