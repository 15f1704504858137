//! Any bytes given to the Live set parser must give a model or an error, never a panic; and a
//! model diffed with itself must report nothing (no phantom changes, even for odd input).
//! Both entry points are fuzzed: the container sniffing (gzip or XML) and the XML parser
//! directly, so mutations reach the XML logic without having to keep a gzip CRC valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = daw::formats::als::parse_als(data);
    if let Ok(set) = daw::formats::als::parse_als_xml(data) {
        let project = daw::formats::Project::Ableton(set);
        let _ = project.summary().to_string();
        let _ = serde_json::to_string(&project);
        let changes = daw::formats::diff(&project, &project);
        assert!(changes.is_empty(), "self-diff reported {changes:?}");
    }
});
