//! The backend conformance suite: one set of checks run against every kind of store daw can use
//! (`memory://`, a local folder, and S3 through two real S3 protocol servers on 127.0.0.1: one that
//! honours conditional writes and one that ignores them, as Garage 2.x does). What the rest of daw
//! relies on from `store::Backend` belongs here; what a command does with it belongs in the command's
//! own tests.

use daw::store::backend::{Backend, BackendError, BackendUrl, Listed, S3Options, copy_objects};

use super::common::s3::{ACCESS_KEY, S3Server, SECRET_KEY};

/// What a store is expected to do with a create-only write of a name that exists.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Conditional {
    /// The write is refused (`put_if_absent` returns false, the object keeps its first bytes).
    Honoured,
    /// The write silently overwrites (Garage 2.x): `put_if_absent` cannot tell, which is why the
    /// remote's state never depends on it alone.
    Ignored,
}

fn bytes(seed: u8, len: usize) -> Vec<u8> {
    // Not all one byte: a store that mixed up parts or ranges would be caught.
    (0..len)
        .map(|i| {
            (i as u32)
                .wrapping_mul(2_654_435_761)
                .rotate_left(seed as u32 % 31) as u8
                ^ seed
        })
        .collect()
}

/// The checks every backend must pass. `many` is how many objects the listing check writes (over
/// 1000 for S3: more than one page of a listing).
fn conformance(store: &Backend, conditional: Conditional, many: usize) {
    // A missing object: a clean NotFound, no size, deleting it is not an error.
    match store.get("packs/missing") {
        Err(BackendError::NotFound(path)) => assert_eq!(path, "packs/missing"),
        Err(e) => panic!("{}: a missing object gave {e}", store.display()),
        Ok(_) => panic!("{}: a missing object was found", store.display()),
    }
    assert_eq!(store.size("packs/missing").unwrap(), None);
    store.delete("packs/missing").unwrap();
    assert!(!store.any("packs").unwrap());
    assert!(store.list("packs").unwrap().is_empty());

    // put, get, size, overwrite, ranges, delete.
    let small = bytes(1, 1000);
    store.put("packs/aa", small.clone()).unwrap();
    assert_eq!(store.get("packs/aa").unwrap(), small);
    assert_eq!(store.size("packs/aa").unwrap(), Some(1000));
    assert_eq!(
        store.get_range("packs/aa", 10..20).unwrap().as_ref(),
        &small[10..20]
    );
    store.put("packs/aa", bytes(2, 10)).unwrap();
    assert_eq!(store.get("packs/aa").unwrap(), bytes(2, 10));
    store.put("empty", Vec::new()).unwrap();
    assert_eq!(store.get("empty").unwrap(), Vec::<u8>::new());
    assert_eq!(store.size("empty").unwrap(), Some(0));
    store.delete("empty").unwrap();
    assert_eq!(store.size("empty").unwrap(), None);

    // Create-only writes.
    assert!(store.put_if_absent("claims/1", b"first".to_vec()).unwrap());
    let second = store.put_if_absent("claims/1", b"second".to_vec()).unwrap();
    match conditional {
        Conditional::Honoured => {
            assert!(
                !second,
                "{}: a create-only write overwrote",
                store.display()
            );
            assert_eq!(store.get("claims/1").unwrap(), b"first");
        }
        Conditional::Ignored => {
            assert!(second);
            assert_eq!(store.get("claims/1").unwrap(), b"second");
        }
    }

    // A large object, streamed in parts (over the 5 MiB part size, not a multiple of it).
    let large = bytes(3, (11 << 20) + 12_345);
    let mut writer = store.writer("packs/large").unwrap();
    for piece in large.chunks(1 << 20) {
        writer.write(piece).unwrap();
    }
    writer.finish().unwrap();
    assert_eq!(store.size("packs/large").unwrap(), Some(large.len() as u64));
    assert!(
        store.get("packs/large").unwrap() == large,
        "large object differs"
    );
    let tail = (large.len() as u64 - 100)..(large.len() as u64);
    assert_eq!(
        store.get_range("packs/large", tail).unwrap().as_ref(),
        &large[large.len() - 100..]
    );

    // An upload that is dropped unfinished leaves nothing under its name.
    let mut writer = store.writer("packs/unfinished").unwrap();
    writer.write(&bytes(4, 6 << 20)).unwrap();
    drop(writer);
    assert_eq!(store.size("packs/unfinished").unwrap(), None);
    assert!(
        !store
            .list("packs")
            .unwrap()
            .iter()
            .any(|l| l.path.contains("unfinished"))
    );

    // Listings: sorted, sizes right, only under the prefix (not a sibling whose name starts the same).
    store.put("packsx/other", b"x".to_vec()).unwrap();
    for i in 0..many {
        store
            .put(&format!("ops/{i:016x}-op"), vec![b'o'; i % 7])
            .unwrap();
    }
    let listed = store.list("ops").unwrap();
    assert_eq!(
        listed.len(),
        many,
        "{}: listing lost objects",
        store.display()
    );
    for (i, l) in listed.iter().enumerate() {
        assert_eq!(l.path, format!("ops/{i:016x}-op"));
        assert_eq!(l.size, (i % 7) as u64);
    }
    let packs: Vec<String> = store
        .list("packs")
        .unwrap()
        .into_iter()
        .map(|l| l.path)
        .collect();
    assert_eq!(packs, ["packs/aa", "packs/large"]);
    assert!(store.any("ops").unwrap() && store.any("packsx").unwrap());
    // After an offset: past the first page on S3.
    let from = many - 5;
    let after = store
        .list_after("ops", &format!("ops/{:016x}-op", from - 1))
        .unwrap();
    let names: Vec<String> = after.into_iter().map(|l| l.path).collect();
    let expected: Vec<String> = (from..many).map(|i| format!("ops/{i:016x}-op")).collect();
    assert_eq!(names, expected);
    assert!(
        store
            .list_after("ops", &format!("ops/{:016x}-op", many - 1))
            .unwrap()
            .is_empty()
    );

    // Many small objects at once, in the order asked.
    let some: Vec<String> = (0..many)
        .rev()
        .step_by(7)
        .map(|i| format!("ops/{i:016x}-op"))
        .collect();
    let got = store.get_many(&some, 16).unwrap();
    for (p, bytes) in some.iter().zip(&got) {
        let i = usize::from_str_radix(&p[4..20], 16).unwrap();
        assert_eq!(bytes.len(), i % 7, "{p}");
    }
    let with_missing = [some[0].clone(), "ops/missing".to_string()];
    assert!(matches!(
        store.get_many(&with_missing, 4),
        Err(BackendError::NotFound(p)) if p == "ops/missing"
    ));

    store.delete("packs/aa").unwrap();
    assert_eq!(store.size("packs/aa").unwrap(), None);
}

/// Copies between two stores: small objects in one request, a large one (over `SINGLE_PUT_MAX`) in
/// parts; everything byte-identical afterwards, and each object reported once.
fn copies_between(from: &Backend, to: &Backend) {
    let objects: Vec<(String, Vec<u8>)> = vec![
        ("packs/c1".into(), bytes(5, 100)),
        ("packs/c2".into(), bytes(6, 300_000)),
        ("packs/c3".into(), bytes(7, (17 << 20) + 1)),
    ];
    for (p, b) in &objects {
        from.put(p, b.clone()).unwrap();
    }
    let listed: Vec<Listed> = from
        .list("packs")
        .unwrap()
        .into_iter()
        .filter(|l| l.path.starts_with("packs/c"))
        .collect();
    assert_eq!(listed.len(), 3);
    let done = std::sync::Mutex::new(Vec::new());
    copy_objects(from, to, &listed, 2, &|l| {
        done.lock().unwrap().push(l.path.clone())
    })
    .unwrap();
    let mut done = done.into_inner().unwrap();
    done.sort();
    assert_eq!(done, ["packs/c1", "packs/c2", "packs/c3"]);
    for (p, b) in &objects {
        assert!(to.get(p).unwrap() == *b, "{p} differs after the copy");
    }
}

fn s3_backend(server: &S3Server, bucket: &str, prefix: &str) -> Backend {
    server.bucket(bucket);
    let url = BackendUrl::parse(&format!("s3://{bucket}/{prefix}")).unwrap();
    Backend::open(
        &url,
        &S3Options {
            endpoint: Some(server.endpoint()),
            allow_http: true,
            path_style: true,
            access_key_id: Some(ACCESS_KEY.into()),
            secret_access_key: Some(SECRET_KEY.into()),
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn memory_backend_conforms() {
    let store = Backend::open(
        &BackendUrl::parse("memory://conformance").unwrap(),
        &S3Options::default(),
    )
    .unwrap();
    conformance(&store, Conditional::Honoured, 1100);
}

#[test]
fn folder_backend_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.path().join("remote").display());
    let store = Backend::local(&dir.path().join("remote")).unwrap();
    conformance(&store, Conditional::Honoured, 300);
    // The same folder through its URL sees the same objects.
    let again = Backend::open(&BackendUrl::parse(&url).unwrap(), &S3Options::default()).unwrap();
    assert_eq!(again.list("ops").unwrap().len(), 300);
    // No staging file is left behind by the unfinished upload or the writes.
    let mut leftovers = Vec::new();
    for entry in walk(&dir.path().join("remote")) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains('#') || name.starts_with('.') {
            leftovers.push(name);
        }
    }
    assert!(leftovers.is_empty(), "staging files left: {leftovers:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn s3_backend_conforms_when_conditional_writes_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path(), false);
    conformance(
        &s3_backend(&server, "conform", "some/prefix"),
        Conditional::Honoured,
        1100,
    );
    // The prefix kept everything apart: the bucket root holds only the prefix.
    let root = s3_backend(&server, "conform", "");
    assert!(root.list("ops").unwrap().is_empty());
    assert_eq!(root.list("some/prefix/ops").unwrap().len(), 1100);
}

#[test]
fn s3_backend_conforms_when_conditional_writes_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path(), true);
    conformance(
        &s3_backend(&server, "garage-like", ""),
        Conditional::Ignored,
        1100,
    );
}

#[test]
fn copies_run_between_every_pair_of_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(&dir.path().join("s3"), false);
    let memory = Backend::open(
        &BackendUrl::parse("memory://copies").unwrap(),
        &S3Options::default(),
    )
    .unwrap();
    let folder = Backend::local(&dir.path().join("folder")).unwrap();
    let s3 = s3_backend(&server, "copies", "p");
    let s3_back = s3_backend(&server, "copies", "back");
    let folder_back = Backend::local(&dir.path().join("folder-back")).unwrap();
    copies_between(&folder, &s3);
    copies_between(&s3, &s3_back);
    copies_between(&s3_back, &folder_back);
    copies_between(&folder_back, &memory);
}
