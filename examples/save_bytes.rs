//! Where the bytes of one save go: run after each `daw commit`, it compares the repository folder with
//! the listing it saved last time and breaks down what was added, by part (docs/BENCHMARKS.md, "Bytes
//! per save"). Used by `scripts/bench-saves.py`.
//!
//! ```sh
//! DAW_PASSPHRASE=… cargo run --release --example save_bytes -- DAW_DIR STATE_FILE
//! ```
//!
//! Prints one JSON object: for each part (`chunk`, `content node`, `tree`, `commit`, each split into
//! blobs stored whole and blobs stored as deltas) the count, the plaintext bytes, the stored payload
//! bytes and the envelope bytes (nonce, tag, flag, delta header); the packs' framing (prefix, sealed
//! header, trailer); index files; operations; and every other file that changed size (`op_head`, the
//! stat cache). Files that went away (a compacted index) count negative.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use daw::object::BlobKind;
use daw::repo::{Location, Repository};
use daw::store::{crypto, pack};

fn listing(root: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            let path = e.path();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .expect("below the root")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, meta.len());
            }
        }
    }
    out
}

#[derive(Default, serde::Serialize)]
struct Part {
    count: u64,
    /// Plaintext bytes (what the id is the hash of).
    raw: u64,
    /// The stored payload: compressed bytes, or the delta.
    payload: u64,
    /// Nonce, tag, flag byte and (for a delta) the base reference.
    envelope: u64,
}

impl Part {
    fn total(&self) -> u64 {
        self.payload + self.envelope
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: save_bytes DAW_DIR STATE_FILE");
        std::process::exit(2);
    }
    let daw_dir = PathBuf::from(&args[1]);
    let state = PathBuf::from(&args[2]);
    let before: BTreeMap<String, u64> = match std::fs::read(&state) {
        Ok(b) => serde_json::from_slice(&b)?,
        Err(_) => BTreeMap::new(),
    };
    let now = listing(&daw_dir);
    let passphrase = std::env::var("DAW_PASSPHRASE").unwrap_or_default();
    let location = Location::discover(&daw_dir, Some(&daw_dir))?;
    let repo = Repository::open(location, passphrase.as_bytes())?;
    let store = repo.store();

    let mut parts: BTreeMap<String, Part> = BTreeMap::new();
    let mut framing = Part::default();
    let mut index = Part::default();
    let mut ops = Part::default();
    let mut other: BTreeMap<String, i64> = BTreeMap::new();
    for (path, size) in &now {
        let old = before.get(path).copied();
        if old == Some(*size) {
            continue;
        }
        if path.starts_with("packs/") && old.is_none() {
            let name = pack::pack_name_from_path(path).ok_or("a pack name")?;
            let entries = pack::read_entries(store.backend(), store.keys(), &name, path, *size)?;
            let mut blobs = 0u64;
            for e in &entries {
                let header = pack::envelope_header_len(e.depth);
                let kind = match e.kind {
                    BlobKind::Chunk => "chunk",
                    BlobKind::ContentNode => "content node",
                    BlobKind::Tree => "tree",
                    BlobKind::Commit => "commit",
                };
                let how = if e.depth > 0 { "delta" } else { "whole" };
                let part = parts.entry(format!("{kind} ({how})")).or_default();
                let envelope = (crypto::OVERHEAD + header) as u64;
                part.count += 1;
                part.raw += u64::from(e.raw_length);
                part.envelope += envelope;
                part.payload += u64::from(e.length) - envelope;
                blobs += u64::from(e.length);
            }
            framing.count += 1;
            framing.envelope += size - blobs;
        } else if path.starts_with("index/") {
            index.count += 1;
            index.payload += size - old.unwrap_or(0);
        } else if path.starts_with("ops/") && old.is_none() {
            ops.count += 1;
            ops.payload += size;
        } else {
            other.insert(path.clone(), *size as i64 - old.unwrap_or(0) as i64);
        }
    }
    for (path, size) in &before {
        if !now.contains_key(path) {
            if path.starts_with("index/") {
                index.count += 1;
                index.payload = index.payload.wrapping_sub(*size);
            } else {
                other.insert(path.clone(), -(*size as i64));
            }
        }
    }
    let blobs: u64 = parts.values().map(Part::total).sum();
    let total = blobs as i64
        + framing.total() as i64
        + index.payload as i64
        + ops.payload as i64
        + other.values().sum::<i64>();
    let out = serde_json::json!({
        "total": total,
        "blobs": parts,
        "pack_framing": framing,
        "index": index.payload as i64,
        "index_files": index.count,
        "operations": ops.payload,
        "other": other,
    });
    println!("{out}");
    std::fs::write(&state, serde_json::to_vec(&now)?)?;
    Ok(())
}
