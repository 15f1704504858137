//! What an attacker or a failing disk can do: wrong passphrases, flipped bytes in packs, and what the
//! repository folder reveals (nothing about the music).

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{TestEnv, corpus, files_below, pseudo_random, tree_digest};

fn snapshot_dir(root: &Path) -> BTreeMap<String, (u64, Vec<u8>, std::time::SystemTime)> {
    files_below(root)
        .into_iter()
        .map(|f| {
            let p = root.join(&f);
            let m = std::fs::metadata(&p).unwrap();
            (
                f.to_string_lossy().into_owned(),
                (m.len(), std::fs::read(&p).unwrap(), m.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn wrong_passphrase_is_one_line_and_writes_nothing() {
    let env = TestEnv::new();
    env.write("Song.als", b"song");
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    env.write("Song.als", b"song v2");
    let before = snapshot_dir(&env.daw_dir());
    for args in [
        &["commit", "-m", "two"][..],
        &["log"],
        &["fsck"],
        &["export", "HEAD", "out"],
    ] {
        let r: crate::common::Run = env
            .cmd(args)
            .env("DAW_PASSPHRASE", "not it")
            .output()
            .unwrap()
            .into();
        assert_eq!(r.status, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: wrong passphrase"),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    assert_eq!(
        before,
        snapshot_dir(&env.daw_dir()),
        "a wrong passphrase changed the repository"
    );
    assert!(!env.project.join("out").exists());
}

#[test]
fn nothing_readable_about_the_music_under_the_daw_folder() {
    let env = TestEnv::new();
    let secrets = [
        "SecretSongTitle",
        "HiddenSampleName",
        "PrivateCommitMessage",
        "UniqueLyricMarkerXYZ",
        "SecretBranchName",
        "SecretTagName",
        "SecretTagMessage",
    ];
    env.write("SecretSongTitle.als", b"<xml>UniqueLyricMarkerXYZ</xml>");
    env.write("Samples/HiddenSampleName.wav", &pseudo_random(3, 50_000));
    env.write(
        "Notes/lyrics.txt",
        "UniqueLyricMarkerXYZ ".repeat(1000).as_bytes(),
    );
    env.init();
    env.run(&["commit", "-m", "PrivateCommitMessage"]).ok();
    if let Some(c) = corpus() {
        std::fs::copy(c.join("als/livedb__Foo.als"), env.project.join("Foo.als")).unwrap();
        env.run(&["commit", "-m", "PrivateCommitMessage two"]).ok();
    }
    // Branches, tags, the operation log and the stat cache are written too.
    env.run(&["branch", "SecretBranchName"]).ok();
    env.run(&["tag", "SecretTagName", "-m", "SecretTagMessage"])
        .ok();
    env.run(&["switch", "SecretBranchName"]).ok();
    env.write("Notes/more.txt", b"UniqueLyricMarkerXYZ again");
    env.run(&["commit", "-m", "PrivateCommitMessage three"])
        .ok();
    env.run(&["status"]).ok();
    env.run(&["undo"]).ok();
    let daw = env.daw_dir();
    let mut checked = 0;
    for f in files_below(&daw) {
        let name = f.to_string_lossy();
        if name == "config" || name.starts_with("keys/") {
            continue;
        }
        let bytes = std::fs::read(daw.join(&f)).unwrap();
        for s in secrets
            .iter()
            .chain(["main", "Ableton", "<?xml", "tester"].iter())
        {
            assert!(
                !contains(&bytes, s.as_bytes()),
                "{name} contains {s:?} in plaintext"
            );
            assert!(!name.contains(s), "a file name under .daw reveals {s:?}");
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} files checked");
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_flipped_byte_anywhere_in_any_pack_is_found_and_never_exported() {
    let env = TestEnv::new();
    env.write("Samples/take.wav", &pseudo_random(5, 600_000));
    env.write("Song.txt", "verse chorus ".repeat(5000).as_bytes());
    if let Some(c) = corpus() {
        std::fs::copy(
            c.join("als/dawtool__example-120.als"),
            env.project.join("Set.als"),
        )
        .unwrap();
    }
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let original = tree_digest(&env.project);
    let packs: Vec<_> = files_below(&env.daw_dir().join("packs"));
    assert!(packs.len() >= 2, "{packs:?}");
    let mut cases = 0;
    for pack in &packs {
        let path = env.daw_dir().join("packs").join(pack);
        let clean = std::fs::read(&path).unwrap();
        let len = clean.len();
        // Magic, version, first blob's nonce and body, the middle, the header, the trailer.
        let mut positions = vec![
            0,
            7,
            8,
            30,
            60,
            len / 3,
            len / 2,
            len - 60,
            len - 8,
            len - 5,
            len - 1,
        ];
        positions.extend((0..6).map(|i| {
            (pseudo_random(i + pack.as_os_str().len() as u64, 8)[0] as usize * len) / 256
        }));
        positions.sort();
        positions.dedup();
        for pos in positions {
            let mut bad = clean.clone();
            bad[pos] ^= 0x40;
            std::fs::write(&path, &bad).unwrap();
            let fsck = env.run(&["fsck", "--read-data"]);
            assert_eq!(
                fsck.status,
                1,
                "flip at {pos} of {} not found:\n{}",
                pack.display(),
                fsck.stderr
            );
            assert!(fsck.stderr.contains("damaged:"), "{}", fsck.stderr);
            assert!(fsck.stderr.contains("pack "), "{}", fsck.stderr);
            let out = env.tmp.path().join(format!("out-{cases}"));
            let export = env.run(&["export", "HEAD", out.to_str().unwrap()]);
            if export.status == 0 {
                // Only possible when the flipped blob is one the export does not read (none here, but
                // a header flip leaves every blob readable): then every byte must still be right.
                assert_eq!(
                    tree_digest(&out),
                    original,
                    "export gave wrong bytes after a flip at {pos}"
                );
            } else {
                assert!(export.status >= 2, "{}", export.stderr);
                assert!(export.stderr.starts_with("error: "), "{}", export.stderr);
            }
            cases += 1;
        }
        std::fs::write(&path, &clean).unwrap();
    }
    assert!(cases >= 20);
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn fsck_names_the_file_a_damaged_chunk_belongs_to() {
    let env = TestEnv::new();
    env.write("Samples/vocals.wav", &pseudo_random(9, 300_000));
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    // The largest pack holds the audio; flip a byte in the middle of it.
    let mut packs: Vec<_> = files_below(&env.daw_dir().join("packs"))
        .into_iter()
        .map(|p| env.daw_dir().join("packs").join(p))
        .collect();
    packs.sort_by_key(|p| std::fs::metadata(p).unwrap().len());
    let data_pack = packs.last().unwrap();
    let mut bytes = std::fs::read(data_pack).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(data_pack, &bytes).unwrap();
    let fsck = env.run(&["fsck", "--read-data"]);
    assert_eq!(fsck.status, 1);
    assert!(
        fsck.stderr.contains("used by Samples/vocals.wav in commit"),
        "{}",
        fsck.stderr
    );
    let export = env.run(&["export", "HEAD", "restored"]);
    assert_eq!(export.status, 3, "{}", export.stderr);
    assert!(
        !env.project.join("restored/Samples/vocals.wav").exists(),
        "a damaged file was written"
    );
}

/// Issue 12 (10): `export` of a Live set whose chunk was damaged names the object that failed
/// authentication, as fsck does, not "reading or writing gzip data failed".
#[test]
fn export_names_the_object_that_failed_authentication() {
    use daw::object::{EntryKind, FileStorage};
    let env = TestEnv::new();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-project/Demo Song.als");
    env.write("Song.als", &std::fs::read(demo).unwrap());
    env.init();
    env.run(&["commit", "-m", "one"]).ok();
    let (pack, offset, chunk) = {
        let repo = env.open_repo();
        let head = repo.head_commit().unwrap().unwrap();
        let tree = repo
            .read_tree(&repo.read_commit(&head).unwrap().tree)
            .unwrap();
        let entry = tree.get(b"Song.als").unwrap();
        let EntryKind::File {
            storage: FileStorage::GzipPayload { payload, .. },
            ..
        } = &entry.kind
        else {
            panic!("the demo set is not stored as its XML payload")
        };
        let mut first = None;
        daw::store::content::walk_ids(repo.store(), payload, &mut |id, kind| {
            if kind == daw::object::BlobKind::Chunk && first.is_none() {
                first = Some(id);
            }
            Ok(true)
        })
        .unwrap();
        let id = first.unwrap();
        let loc = repo.store().locate(&id).unwrap();
        (
            env.daw_dir().join(daw::store::pack::pack_path(&loc.pack)),
            loc.offset as usize + 30,
            id.to_hex(),
        )
    };
    let mut bytes = std::fs::read(&pack).unwrap();
    bytes[offset] ^= 1;
    std::fs::write(&pack, &bytes).unwrap();
    let export = env.run(&["export", "HEAD", "restored"]);
    assert_eq!(export.status, 3, "{}", export.stderr);
    assert!(
        export.stderr.contains(&chunk[..12]) && export.stderr.contains("failed authentication"),
        "{}",
        export.stderr
    );
    assert!(!export.stderr.contains("gzip data"), "{}", export.stderr);
    assert!(!env.project.join("restored/Song.als").exists());
}
