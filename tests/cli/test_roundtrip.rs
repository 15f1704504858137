//! Byte-exact round trips: the whole corpus (valid, invalid and corrupted files) committed and
//! exported, and how `.als` files are stored (decompressed XML when the gzip can be re-created exactly,
//! raw otherwise).

use std::collections::BTreeMap;
use std::io::{Read, Write};

use daw::object::{EntryKind, FileStorage};
use daw::repo::Repository;

use crate::common::{TestEnv, copy_dir, corpus, files_below, tree_digest};

/// path → storage of every file in HEAD.
fn storage_by_path(repo: &Repository) -> BTreeMap<String, FileStorage> {
    let head = repo.head_commit().unwrap().unwrap();
    let commit = repo.read_commit(&head).unwrap();
    let mut out = BTreeMap::new();
    let mut stack = vec![(String::new(), commit.tree)];
    while let Some((prefix, id)) = stack.pop() {
        for e in repo.read_tree(&id).unwrap().entries {
            let name = String::from_utf8_lossy(&e.name).into_owned();
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            match e.kind {
                EntryKind::Dir { tree } => stack.push((path, tree)),
                EntryKind::File { storage, .. } => {
                    out.insert(path, storage);
                }
                EntryKind::Symlink { .. } => {}
            }
        }
    }
    out
}

#[test]
fn corpus_round_trips_byte_exact_and_sets_are_stored_as_xml() {
    let Some(corpus) = corpus() else { return };
    let env = TestEnv::new();
    copy_dir(&corpus.join("als"), &env.project.join("als"));
    copy_dir(&corpus.join("flp"), &env.project.join("flp"));
    // An .als whose gzip was made by another compressor (miniz), which zlib cannot re-create.
    let xml = std::fs::read(corpus.join("als/ununu__extracted.als")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(7));
    enc.write_all(&xml).unwrap();
    let foreign = enc.finish().unwrap();
    env.write("als/foreign-gzip.als", &foreign);
    // And one with a byte appended after the gzip member.
    let mut trailing = std::fs::read(corpus.join("als/dawtool__example-120.als")).unwrap();
    trailing.push(b'\n');
    env.write("als/trailing-byte.als", &trailing);

    env.init();
    env.run(&["commit", "-m", "corpus"]).ok();
    let out = env.tmp.path().join("exported");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    let before = tree_digest(&env.project);
    let after = tree_digest(&out);
    assert_eq!(before, after, "export differs from the committed project");
    assert!(files_below(&out).len() >= 100);

    let repo = env.open_repo();
    let storage = storage_by_path(&repo);
    let mut as_xml = 0;
    let mut split = 0;
    for (path, s) in &storage {
        if !path.ends_with(".als") {
            assert!(matches!(s, FileStorage::Raw(_)), "{path} should be raw");
            continue;
        }
        let mut magic = [0u8; 2];
        let is_gzip = std::fs::File::open(env.project.join(path))
            .and_then(|mut f| f.read_exact(&mut magic))
            .is_ok()
            && magic == [0x1f, 0x8b];
        let name = path.rsplit('/').next().unwrap();
        let expect_xml = is_gzip
            && !matches!(
                name,
                "foreign-gzip.als" | "trailing-byte.als" | "ununu__test.als"
            );
        match s {
            FileStorage::GzipPayload { payload, layout } => {
                // Version 2: proven and rebuilt in two halves at once (sets of 1-32 MiB of XML).
                if layout[0] == 2 {
                    split += 1;
                }
                assert!(
                    expect_xml || name == "ununu__test.als",
                    "{path} should have been stored raw"
                );
                // The stored payload is the decompressed XML.
                let mut head = vec![0u8; 5];
                daw::store::ContentReader::new(repo.store().blobs().unwrap(), payload)
                    .read_exact(&mut head)
                    .unwrap();
                assert!(
                    head == b"<?xml" || name == "ununu__test.als",
                    "{path}: payload starts {head:?}"
                );
                as_xml += 1;
            }
            FileStorage::Raw(_) => assert!(!expect_xml, "{path} is a Live set but was stored raw"),
        }
    }
    assert!(as_xml >= 45, "only {as_xml} sets stored as XML");
    // The larger Live sets (livedb__Michelle.als, my5t3ry__*.als, …) take the two-halves path, and the
    // export above rebuilt them byte-exact.
    assert!(split >= 5, "only {split} sets stored with a split layout");
    assert!(matches!(
        storage["als/foreign-gzip.als"],
        FileStorage::Raw(_)
    ));
    assert!(matches!(
        storage["als/trailing-byte.als"],
        FileStorage::Raw(_)
    ));
    assert!(matches!(
        storage["als/ununu__extracted.als"],
        FileStorage::Raw(_)
    ));
    assert!(matches!(
        storage["als/invalid/dawtool__empty.als"],
        FileStorage::Raw(_)
    ));

    let fsck = env.run(&["fsck", "--read-data"]);
    fsck.ok();
    assert!(
        fsck.stdout.contains("No problems found."),
        "{}",
        fsck.stdout
    );
}

#[test]
fn a_small_edit_to_a_large_set_stores_little() {
    let Some(corpus) = corpus() else { return };
    let env = TestEnv::new();
    let src = corpus.join("als/livedb__Foo.als");
    std::fs::copy(&src, env.project.join("Foo.als")).unwrap();
    env.init();
    env.run(&["commit", "-m", "v1"]).ok();
    // Re-save with one attribute changed, gzipped as Live does (level 6, memLevel 9).
    let mut xml = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&src).unwrap())
        .read_to_string(&mut xml)
        .unwrap();
    let edited = xml.replacen(
        "<Manual Value=\"199.990005\" />",
        "<Manual Value=\"128\" />",
        1,
    );
    assert_ne!(edited, xml, "the corpus set changed; pick another edit");
    let layout_bytes = {
        let repo = env.open_repo();
        match &storage_by_path(&repo)["Foo.als"] {
            FileStorage::GzipPayload { layout, .. } => layout.clone(),
            other => panic!("stored as {other:?}"),
        }
    };
    let mut gz = Vec::new();
    write_gzip_like(&layout_bytes, edited.as_bytes(), &mut gz);
    std::fs::write(env.project.join("Foo.als"), &gz).unwrap();
    let du_before = dir_size(&env.daw_dir());
    let c = env.run(&["commit", "-m", "tempo 128"]);
    c.ok();
    let added = dir_size(&env.daw_dir()) - du_before;
    assert!(added < 16_000, "a one-value edit added {added} bytes");
    let out = env.tmp.path().join("x");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read(out.join("Foo.als")).unwrap(), gz);
}

#[test]
fn a_set_saved_again_unchanged_keeps_its_entry() {
    // Live writes the same bytes when a set is saved without a change: the commit recognises HEAD's
    // content by its hash and keeps HEAD's entry (no new proof that the gzip can be rebuilt).
    use std::os::unix::fs::PermissionsExt;
    let Some(corpus) = corpus() else { return };
    let env = TestEnv::new();
    let bytes = std::fs::read(corpus.join("als/livedb__Foo.als")).unwrap();
    env.write("Foo.als", &bytes);
    env.init();
    env.run(&["commit", "-m", "v1"]).ok();
    let stored = |env: &TestEnv| storage_by_path(&env.open_repo())["Foo.als"].clone();
    let before = stored(&env);
    assert!(matches!(before, FileStorage::GzipPayload { .. }));
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(env.project.join("Foo.als"), &bytes).unwrap();
    let c = env.run(&["commit", "-m", "saved again"]);
    c.ok();
    assert!(c.stdout.contains("Nothing"), "{}", c.stdout);
    // The same bytes with another mode: a change of mode, same storage.
    let path = env.project.join("Foo.als");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let c = env.run(&["commit", "-m", "executable"]);
    c.ok();
    assert!(c.stdout.contains("1 modified"), "{}", c.stdout);
    assert_eq!(stored(&env), before);
    let out = env.tmp.path().join("x");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    let exported = out.join("Foo.als");
    assert_eq!(std::fs::read(&exported).unwrap(), bytes);
    assert_eq!(
        std::fs::metadata(&exported).unwrap().permissions().mode() & 0o777,
        0o755
    );
}

/// Gzips `xml` with the header and zlib parameters of an encoded layout (through daw's own zlib, as
/// Live would): the layout's payload length and CRC fields (bytes 5..17) are patched for the new XML.
fn write_gzip_like(layout: &[u8], xml: &[u8], out: &mut Vec<u8>) {
    let mut patched = layout.to_vec();
    if patched[0] == 2 {
        // A split layout (version 2) names a cut in the old stream: make it one piece (version 1), as
        // Live writes a whole new stream.
        patched.drain(21..45);
        patched[0] = 1;
    }
    let mut crc = flate2::Crc::new();
    crc.update(xml);
    patched[5..13].copy_from_slice(&(xml.len() as u64).to_le_bytes());
    patched[13..17].copy_from_slice(&crc.sum().to_le_bytes());
    let layout = daw::formats::gzip::GzipLayout::decode(&patched).unwrap();
    daw::formats::gzip::rebuild(&layout, xml, out).unwrap();
}

fn dir_size(p: &std::path::Path) -> u64 {
    files_below(p)
        .iter()
        .map(|f| std::fs::metadata(p.join(f)).unwrap().len())
        .sum()
}
