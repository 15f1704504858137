//! `daw stats`: exact figures on a repository whose contents are known. Every file of the test is
//! either random (incompressible: stored as it is, 41 bytes of nonce, tag and flag per block) and
//! smaller than the media chunker's minimum (one chunk each), or tiny text, or a set stored as its
//! XML; so sizes as files, the dedup saving, the stored chunks of audio and other files, and the
//! file data each branch alone keeps are all known to the byte. (Content nodes are not: even a
//! one-chunk file gets one when its chunk id's low 4 bits are zero, 1 time in 16.)

use crate::common::{TestEnv, pseudo_random};

/// A sealed block's bytes beyond its payload: nonce, tag, compression flag.
const BLOCK: u64 = 41;

/// `xml` as Ableton Live writes a set: gzip at level 6, memLevel 9 (re-created by daw's own
/// rebuild, so that daw proves it and stores the XML).
fn live_set(xml: &[u8]) -> Vec<u8> {
    let header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    let mut crc = flate2::Crc::new();
    crc.update(xml);
    let mut layout = vec![1u8, 6, 9, 15, 0];
    layout.extend((xml.len() as u64).to_le_bytes());
    layout.extend(crc.sum().to_le_bytes());
    layout.extend((header.len() as u32).to_le_bytes());
    layout.extend(header);
    let layout = daw::formats::gzip::GzipLayout::decode(&layout).unwrap();
    let mut out = Vec::new();
    daw::formats::gzip::rebuild(&layout, xml, &mut out).unwrap();
    out
}

fn stats(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["stats", "--json"];
    full.extend_from_slice(args);
    let r = env.run(&full);
    r.ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn u(v: &serde_json::Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn i(v: &serde_json::Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_figures_of_a_known_repository_are_exact() {
    let env = TestEnv::new();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Ableton MajorVersion="5" MinorVersion="11.0_11300" Creator="Ableton Live 11.3.21"><LiveSet><Annotation Value="{}" /></LiveSet></Ableton>"#,
        hex::encode(pseudo_random(3, 60_000))
    );
    let set = live_set(xml.as_bytes());
    let (x, s) = (xml.len() as u64, set.len() as u64);
    let kick = pseudo_random(1, 200_000);
    env.write("Song.als", &set);
    env.write("Samples/kick.wav", &kick);
    env.write("Samples/kick copy.wav", &kick);
    env.write("notes.txt", b"v1");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    env.run(&["tag", "v1"]).ok();
    env.write("Samples/Recorded/take.wav", &pseudo_random(2, 250_000));
    env.write("notes.txt", b"version 2");
    env.run(&["commit", "-m", "two"]).ok();
    env.run(&["switch", "-c", "takes"]).ok();
    env.write("Samples/Recorded/take 2.wav", &pseudo_random(4, 240_000));
    env.run(&["commit", "-m", "three"]).ok();
    env.run(&["switch", "main"]).ok();

    let v = stats(&env, &[]);
    assert_eq!(v["scope"], "HEAD");
    // HEAD: the set, three recordings (a copy among them), the notes.
    let snap = &v["snapshot"];
    assert_eq!(u(&snap["files"]), 5);
    assert_eq!(u(&snap["bytes"]), s + 650_000 + 9);
    assert_eq!(u(&snap["by_kind"]["sets"]["bytes"]), s);
    assert_eq!(u(&snap["by_kind"]["audio"]["files"]), 3);
    assert_eq!(u(&snap["by_kind"]["audio"]["bytes"]), 650_000);
    assert_eq!(u(&snap["by_kind"]["other"]["bytes"]), 9);
    // Its history: two commits.
    let h = &v["history"];
    assert_eq!(u(&h["commits"]), 2);
    assert_eq!(u(&h["as_files"]["sets"]["files"]), 2);
    assert_eq!(u(&h["as_files"]["sets"]["bytes"]), 2 * s);
    assert_eq!(u(&h["as_files"]["audio"]["files"]), 5);
    assert_eq!(u(&h["as_files"]["audio"]["bytes"]), 4 * 200_000 + 250_000);
    assert_eq!(u(&h["as_files"]["other"]["bytes"]), 2 + 9);
    assert_eq!(u(&h["xml_expansion"]), 2 * (x - s));
    assert_eq!(u(&h["content_bytes"]), 2 * x + 1_050_011);
    assert_eq!(u(&h["distinct_files"]["files"]), 5);
    assert_eq!(
        u(&h["distinct_files"]["bytes"]),
        s + 200_000 + 250_000 + 2 + 9
    );
    // Dedup: the set unchanged in the second commit, the kick stored once for four copies.
    assert_eq!(u(&h["unique_bytes"]), x + 450_011);
    assert_eq!(i(&h["savings"]["dedup"]), (x + 600_000) as i64);
    // Audio and notes are stored as they are; the set's XML is compressed.
    assert_eq!(
        u(&h["stored_by_kind"]["audio"]["bytes"]),
        200_000 + 250_000 + 2 * BLOCK,
        "{h:#}"
    );
    assert_eq!(
        u(&h["stored_by_kind"]["other"]["bytes"]),
        11 + 2 * BLOCK,
        "{h:#}"
    );
    let chunks = &h["chunks"];
    assert_eq!(
        u(&h["compressed_bytes"]),
        u(&chunks["bytes"]) - BLOCK * u(&chunks["count"])
    );
    let compression = i(&h["savings"]["compression"]);
    assert_eq!(
        compression,
        u(&h["unique_bytes"]) as i64 - u(&h["compressed_bytes"]) as i64
    );
    assert!(compression > 0 && compression < x as i64, "{compression}");
    // Sets as XML: the set counted once as its gzip file, against its XML's blocks.
    let sv = &h["savings"];
    assert_eq!(u(&sv["sets_as_gzip_bytes"]), s);
    // The XML's blocks: its chunks, and its content nodes (counted apart by kind).
    let xml_blocks = u(&sv["sets_as_xml_bytes"]);
    let set_chunks = u(&h["stored_by_kind"]["sets"]["bytes"]);
    assert!(
        xml_blocks >= set_chunks && xml_blocks <= set_chunks + u(&h["content_nodes"]["bytes"]),
        "{h:#}"
    );
    assert_eq!(
        i(&sv["sets_as_xml"]),
        s as i64 - u(&sv["sets_as_xml_bytes"]) as i64
    );
    assert_eq!(
        u(&h["stored_bytes"]),
        u(&chunks["bytes"])
            + u(&h["content_nodes"]["bytes"])
            + u(&h["folders"]["bytes"])
            + u(&h["commit_blocks"]["bytes"])
    );
    assert_eq!(u(&h["commit_blocks"]["count"]), 2);
    // What each branch or tag alone keeps: `takes` its recording (and its folders and commit);
    // `main` and `v1` nothing (`takes` holds all they hold).
    let excl: std::collections::BTreeMap<String, (u64, u64)> = v["exclusive"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["holder"].as_str().unwrap().to_string(),
                (u(&e["stored_bytes"]), u(&e["unique_bytes"])),
            )
        })
        .collect();
    assert_eq!(excl.len(), 3, "{excl:?}");
    assert_eq!(excl["branch main"], (0, 0));
    assert_eq!(excl["tag v1"], (0, 0));
    let (takes_stored, takes_unique) = excl["branch takes"];
    assert_eq!(takes_unique, 240_000);
    assert!(takes_stored > 240_000 + BLOCK, "{takes_stored}");
    // The repository: three commits, one data and one metadata pack each.
    let r = &v["repository"];
    assert_eq!(u(&r["data_packs"]["count"]), 3);
    assert_eq!(u(&r["metadata_packs"]["count"]), 3);
    assert_eq!(u(&r["index_files"]["count"]), 3);
    assert_eq!(u(&r["operations"]["count"]), 7);
    assert_eq!(u(&r["commits"]["count"]), 3);
    assert_eq!(u(&r["unreachable_bytes"]), 0);
    assert_eq!(u(&r["oplog_only_bytes"]), 0);

    // Another revision: the history of `takes` has three commits and one more recording.
    let t = stats(&env, &["takes"]);
    assert_eq!(u(&t["history"]["commits"]), 3);
    assert_eq!(
        u(&t["history"]["as_files"]["audio"]["bytes"]),
        6 * 200_000 + 2 * 250_000 + 240_000
    );
    assert_eq!(u(&t["history"]["unique_bytes"]), x + 690_011);
    // Everything: the same here, as every commit is on `takes`.
    let all = stats(&env, &["--all"]);
    assert_eq!(all["scope"], "all");
    assert_eq!(u(&all["history"]["commits"]), 3);
    assert_eq!(u(&all["history"]["other_snapshots"]), 0);
    assert_eq!(u(&all["history"]["unique_bytes"]), x + 690_011);

    // Deleted, the branch's blocks are kept by the operation log alone; pruned from it, by nothing.
    env.run(&["branch", "-D", "takes"]).ok();
    let v = stats(&env, &[]);
    assert_eq!(u(&v["repository"]["oplog_only_bytes"]), takes_stored);
    assert_eq!(u(&v["repository"]["unreachable_bytes"]), 0);
    env.run(&["tag", "v2"]).ok();
    env.run(&["gc", "--prune-oplog", "0", "--grace", "1h"]).ok();
    let v = stats(&env, &[]);
    assert_eq!(u(&v["repository"]["oplog_only_bytes"]), 0);
    assert_eq!(u(&v["repository"]["unreachable_bytes"]), takes_stored);
    env.run(&["gc", "--grace", "0"]).ok();
    let v = stats(&env, &[]);
    assert_eq!(u(&v["repository"]["unreachable_bytes"]), 0);
    // The takes' packs are gone, and the two small ones of each kind left were merged into one.
    assert_eq!(
        u(&v["repository"]["data_packs"]["count"]),
        1,
        "{}",
        v["repository"]
    );
    assert_eq!(
        u(&v["repository"]["metadata_packs"]["count"]),
        1,
        "{}",
        v["repository"]
    );
    assert_eq!(u(&v["history"]["unique_bytes"]), x + 450_011);
}

#[test]
fn a_repository_without_commits_has_figures_too() {
    let env = TestEnv::new();
    env.init();
    let v = stats(&env, &[]);
    assert_eq!(v["scope"], "all");
    assert!(v["snapshot"].is_null());
    assert_eq!(u(&v["history"]["commits"]), 0);
    assert_eq!(u(&v["repository"]["operations"]["count"]), 1);
    assert!(u(&v["repository"]["disk_bytes"]) > 0);
}

#[test]
fn the_text_report_names_the_figures() {
    let env = TestEnv::new();
    env.write("Song.als", &live_set(b"<?xml version=\"1.0\"?><Ableton />"));
    env.write("kick.wav", &pseudo_random(1, 100_000));
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let r = env.run(&["stats"]);
    r.ok();
    for want in [
        "HEAD (",
        "2 file(s), ",
        "History of HEAD: 1 commit(s)",
        "saved by deduplication",
        "by storing sets as XML",
        "by compression",
        "Kept by one branch or tag alone:",
        "branch main",
        "Repository: ",
        "packs: 1 of file data",
    ] {
        assert!(r.stdout.contains(want), "no {want:?} in:\n{}", r.stdout);
    }
    let r = env.run(&["stats", "nope"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    let r = env.run(&["stats", "HEAD", "--all"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
}
