//! Corpus tests: every valid project in `shared/corpus` parses, and every file under
//! `als/invalid/` and `flp/corrupted/` (and truncated copies of valid files) is rejected with a
//! clear error instead of a panic.

mod formats_common;

use std::path::{Path, PathBuf};

use daw::formats::{Project, parse_project};

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == ext));
    out.sort();
    out
}

fn parse(path: &Path) -> Result<Project, daw::formats::FormatError> {
    let bytes = std::fs::read(path).expect("read corpus file");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("x");
    parse_project(name, &bytes[..])
}

#[test]
fn every_valid_live_set_parses() {
    let dir = corpus_or_skip!();
    let sets = files(&dir.join("als"), "als");
    assert!(sets.len() >= 40, "found only {} sets", sets.len());
    for path in sets {
        match parse(&path) {
            Ok(Project::Ableton(set)) => {
                assert!(
                    set.creator.starts_with("Ableton Live"),
                    "{}",
                    path.display()
                );
                assert!(
                    set.tempo.is_some_and(|t| t > 0.0),
                    "{}: tempo",
                    path.display()
                );
                assert!(set.main_track.is_some(), "{}: main track", path.display());
            }
            Ok(other) => panic!("{} parsed as {:?}", path.display(), other.format()),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
}

#[test]
fn every_valid_fl_project_parses() {
    let dir = corpus_or_skip!();
    let projects = files(&dir.join("flp"), "flp");
    assert!(
        projects.len() >= 40,
        "found only {} projects",
        projects.len()
    );
    for path in projects {
        match parse(&path) {
            Ok(Project::FlStudio(p)) => {
                assert!(p.version.is_some(), "{}: version", path.display());
                assert!(
                    p.tempo.is_some_and(|t| t > 0.0),
                    "{}: tempo",
                    path.display()
                );
                assert_eq!(p.ppq, 96, "{}", path.display());
                assert!(!p.channels.is_empty(), "{}: channels", path.display());
            }
            Ok(other) => panic!("{} parsed as {:?}", path.display(), other.format()),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
}

#[test]
fn every_file_diffed_with_itself_reports_nothing() {
    let dir = corpus_or_skip!();
    let mut all = files(&dir.join("als"), "als");
    all.extend(files(&dir.join("flp"), "flp"));
    for path in all {
        let project = parse(&path).expect("parses");
        let changes = daw::formats::diff(&project, &project);
        assert!(changes.is_empty(), "{}: {changes:?}", path.display());
        // The JSON of a model and its summary round-trip through serde.
        let summary = project.summary();
        let json = serde_json::to_string(&summary).expect("summary JSON");
        let back: daw::formats::Summary = serde_json::from_str(&json).expect("summary back");
        assert_eq!(back, summary);
        assert!(serde_json::to_string(&project).is_ok());
    }
}

#[test]
fn every_invalid_file_is_a_clear_error() {
    let dir = corpus_or_skip!();
    let mut bad = files(&dir.join("als/invalid"), "als");
    bad.extend(files(&dir.join("flp/corrupted"), "flp"));
    assert!(bad.len() >= 9, "found only {} invalid files", bad.len());
    for path in bad {
        let err = parse(&path).expect_err(&path.display().to_string());
        let message = err.to_string();
        assert!(
            !message.is_empty() && !message.contains('\n'),
            "{}: {message:?}",
            path.display()
        );
    }
}

#[test]
fn truncated_files_are_errors_not_panics() {
    let dir = corpus_or_skip!();
    let samples = [
        "als/ununu__a.als",
        "als/dawtool__als0.als",
        "als/ununu__extracted.als",
        "flp/pyflp__FL 20.8.4.flp",
        "flp/juddy__Plinkyboing.flp",
    ];
    for rel in samples {
        let bytes = std::fs::read(dir.join(rel)).expect("read");
        for cut in [
            1,
            7,
            13,
            21,
            40,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 3,
        ] {
            let result = parse_project(rel, &bytes[..cut]);
            assert!(result.is_err(), "{rel} cut at {cut} parsed");
        }
    }
    // A gzip stream with one flipped byte in the middle: CRC or inflate error, never a panic.
    let mut bytes = std::fs::read(dir.join("als/ununu__a.als")).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    let _ = parse_project("a.als", &bytes[..]);
}

#[test]
fn unknown_names_are_sniffed_by_content() {
    let dir = corpus_or_skip!();
    let flp = std::fs::read(dir.join("flp/pyflp__Empty.flp")).expect("read");
    assert!(matches!(
        parse_project("renamed.bin", &flp[..]),
        Ok(Project::FlStudio(_))
    ));
    let als = std::fs::read(dir.join("als/dawtool__als0.als")).expect("read");
    assert!(matches!(
        parse_project("renamed", &als[..]),
        Ok(Project::Ableton(_))
    ));
    assert!(parse_project("notes.txt", &b"hello"[..]).is_err());
}
