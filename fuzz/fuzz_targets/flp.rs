//! Any bytes given to the FL Studio parser must give a model or an error, never a panic; and a
//! model diffed with itself must report nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(project) = daw::formats::parse_project("fuzz.flp", data) {
        let _ = project.summary().to_string();
        let _ = serde_json::to_string(&project);
        let changes = daw::formats::diff(&project, &project);
        assert!(changes.is_empty(), "self-diff reported {changes:?}");
    }
});
