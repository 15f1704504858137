//! Storage of successive saves (issue 14): a Live set saved again and again after small edits, as
//! Live writes it, is stored as deltas of what each save replaced; every save restores byte-exact,
//! `fsck --read-data` is clean, and a small edit costs little; and gc keeps the bases of the deltas
//! it keeps.

use std::collections::BTreeMap;
use std::path::Path;

use daw::formats::gzip::{self, GzipLayout};

use crate::common::{TestEnv, corpus};

/// A gzip file as Live writes one: level 6, memLevel 9, raw deflate, mtime 0, OS byte 19.
fn live_gzip(xml: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(xml);
    let header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 19];
    let mut layout = vec![1, 6, 9, 15, 0];
    layout.extend_from_slice(&(xml.len() as u64).to_le_bytes());
    layout.extend_from_slice(&crc.sum().to_le_bytes());
    layout.extend_from_slice(&(header.len() as u32).to_le_bytes());
    layout.extend_from_slice(&header);
    let layout = GzipLayout::decode(&layout).unwrap();
    let mut out = Vec::new();
    gzip::rebuild(&layout, xml, &mut out).unwrap();
    out
}

/// Bytes of the repository's files, the stat cache left out (it is rewritten, not added to).
fn repository_bytes(daw_dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![daw_dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                if e.file_name() != "cache" {
                    stack.push(e.path());
                }
            } else {
                total += meta.len();
            }
        }
    }
    total
}

/// The `n`th small edit, as Live makes one: a device parameter (`<Manual Value="…" />`) somewhere
/// in the set takes a new value of the same form. Edits spread over the whole set.
fn edit(xml: &mut Vec<u8>, n: usize) {
    let needle = b"<Manual Value=\"";
    let places: Vec<usize> = xml
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i + needle.len())
        .collect();
    let at = places[(n * 7919) % places.len()];
    let end = at + xml[at..].iter().position(|&b| b == b'"').unwrap();
    let value = format!("{}.{}", 100 + n, n % 10).into_bytes();
    xml.splice(at..end, value);
}

#[test]
fn successive_saves_of_a_set_restore_byte_exact_and_a_small_edit_costs_little() {
    let Some(corpus) = corpus() else { return };
    let env = TestEnv::new();
    env.init();
    // 7 MB of XML, 9,347 device parameters: a real set of Live 10.
    let original = std::fs::read(corpus.join("als/polisen__test_project.als")).unwrap();
    let mut xml = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&original[..]), &mut xml).unwrap();
    env.write("Song.als", &live_gzip(&xml));
    env.write(
        "Samples/kick.wav",
        &crate::common::pseudo_random(1, 300_000),
    );
    env.run(&["commit", "-m", "save 0"]).ok();

    const SAVES: usize = 24;
    let mut saved: Vec<Vec<u8>> = vec![std::fs::read(env.project.join("Song.als")).unwrap()];
    let mut growth = Vec::new();
    for n in 1..=SAVES {
        edit(&mut xml, n);
        let bytes = live_gzip(&xml);
        env.write("Song.als", &bytes);
        let before = repository_bytes(&env.daw_dir());
        env.run(&["commit", "-m", &format!("save {n}")]).ok();
        growth.push(repository_bytes(&env.daw_dir()) - before);
        saved.push(bytes);
    }

    // Every save restores byte-exact.
    let log = env.run(&["log", "--json"]);
    log.ok();
    let commits: Vec<serde_json::Value> = serde_json::from_str(&log.stdout).unwrap();
    let ids: Vec<&str> = commits
        .iter()
        .rev()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), SAVES + 1);
    for (n, id) in ids.iter().enumerate() {
        let out = env.tmp.path().join(format!("export-{n}"));
        env.run(&["export", id, out.to_str().unwrap()]).ok();
        assert!(
            std::fs::read(out.join("Song.als")).unwrap() == saved[n],
            "save {n} did not restore byte-exact"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
    let fsck = env.run(&["fsck", "--read-data", "--json"]);
    fsck.ok();
    let report: serde_json::Value = serde_json::from_str(&fsck.stdout).unwrap();
    assert_eq!(report["problems"], serde_json::json!([]), "{}", fsck.stdout);

    // The repository holds the edited chunks and nodes as deltas.
    let repo = env.open_repo();
    let index = repo.store().index().unwrap();
    let deltas = index.iter().filter(|(_, loc)| loc.depth > 0).count();
    assert!(deltas >= SAVES * 3, "only {deltas} blobs stored as deltas");

    // A small edit costs little: everything a save adds (packs, index, operation). Measured with these
    // edits: a median of 1,488 B and 38.6 KB for the 24 saves; before deltas, 4,684 B and 111 KB (a
    // whole chunk and a whole content node per level of the chunk tree, each one or two KB).
    let mut sorted = growth.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    let total: u64 = growth.iter().sum();
    let by_save: BTreeMap<usize, u64> = growth.iter().copied().enumerate().collect();
    assert!(median < 2_000, "median {median} B per save: {by_save:?}");
    assert!(
        total < 2_000 * SAVES as u64,
        "{total} B in all: {by_save:?}"
    );
}

/// Regression for deltas meeting gc: a save whose set is stored as deltas of an older save's blobs,
/// reachable only through a commit that names the same content on another branch; the older saves'
/// commits are deleted and gc runs. The bases are needed by what is kept, so gc keeps them (copies
/// them out of the packs it deletes), and the kept save restores byte-exact.
#[test]
fn gc_keeps_the_bases_of_the_deltas_it_keeps() {
    let Some(corpus) = corpus() else { return };
    let env = TestEnv::new();
    env.init();
    let original = std::fs::read(corpus.join("als/ununu__drums-midi.als")).unwrap();
    let mut xml = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&original[..]), &mut xml).unwrap();
    env.write("Song.als", &live_gzip(&xml));
    env.run(&["commit", "-m", "v0"]).ok();
    env.run(&["switch", "-c", "edits"]).ok();
    let mut versions = Vec::new();
    for n in 1..=3 {
        edit(&mut xml, n);
        let bytes = live_gzip(&xml);
        env.write("Song.als", &bytes);
        env.run(&["commit", "-m", &format!("v{n}")]).ok();
        versions.push(bytes);
    }
    // Back on main, the last version saved again: its chunks and nodes are already stored, as
    // deltas of the versions before it, which only the branch `edits` reaches.
    env.run(&["switch", "main"]).ok();
    let last = versions.last().unwrap().clone();
    env.write("Song.als", &last);
    env.run(&["commit", "-m", "v3 again"]).ok();
    env.run(&["branch", "-D", "edits"]).ok();
    env.run(&["tag", "kept"]).ok();
    let repo = env.open_repo();
    let deltas = repo
        .store()
        .index()
        .unwrap()
        .iter()
        .filter(|(_, l)| l.depth > 0)
        .count();
    assert!(deltas >= 6, "{deltas} deltas");
    drop(repo);

    let r = env.run(&["gc", "--json", "--grace", "0", "--prune-oplog", "0"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        !v["sweep_now"]["deleted"].as_array().unwrap().is_empty(),
        "gc deleted nothing: {v}"
    );
    let fsck = env.run(&["fsck", "--read-data", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&fsck.stdout).unwrap();
    assert_eq!(report["problems"], serde_json::json!([]), "{}", fsck.stdout);
    fsck.ok();
    let out = env.tmp.path().join("out");
    env.run(&["export", "kept", out.to_str().unwrap()]).ok();
    assert!(std::fs::read(out.join("Song.als")).unwrap() == last);
    // A second gc finds nothing more to do, and the save still restores.
    let r = env.run(&["gc", "--json", "--grace", "0"]);
    r.ok();
    std::fs::remove_dir_all(&out).unwrap();
    env.run(&["export", "kept", out.to_str().unwrap()]).ok();
    assert!(std::fs::read(out.join("Song.als")).unwrap() == last);
}
