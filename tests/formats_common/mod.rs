//! Shared helpers of the `formats_*` integration tests: finding and loading the corpus.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use daw::formats::als::LiveSet;
use daw::formats::flp::FlProject;
use daw::formats::{Project, parse_project};

/// The corpus folder: `../shared/corpus` beside the crate, else `/work/shared/corpus`.
pub fn corpus() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    [beside, PathBuf::from("/work/shared/corpus")]
        .into_iter()
        .find(|p| p.join("als").is_dir() && p.join("flp").is_dir())
}

/// Run the rest of a test only when the corpus is present; say so when it is not.
#[macro_export]
macro_rules! corpus_or_skip {
    () => {
        match $crate::formats_common::corpus() {
            Some(dir) => dir,
            None => {
                eprintln!(
                    "corpus not found (../shared/corpus or /work/shared/corpus): test skipped"
                );
                return;
            }
        }
    };
}

/// Parse a corpus file given relative to the corpus folder (`als/x.als`).
pub fn project(dir: &Path, rel: &str) -> Project {
    let path = dir.join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    parse_project(rel, &bytes[..]).unwrap_or_else(|e| panic!("parse {rel}: {e}"))
}

pub fn als(dir: &Path, rel: &str) -> LiveSet {
    match project(dir, rel) {
        Project::Ableton(set) => set,
        other => panic!("{rel} parsed as {:?}", other.format()),
    }
}

pub fn flp(dir: &Path, rel: &str) -> FlProject {
    match project(dir, rel) {
        Project::FlStudio(p) => p,
        other => panic!("{rel} parsed as {:?}", other.format()),
    }
}
