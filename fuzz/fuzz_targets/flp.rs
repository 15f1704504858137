//! Any bytes given to the FL Studio parser must give a model or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(project) = daw::formats::parse_project("fuzz.flp", data) {
        let _ = project.summary().to_string();
        for change in daw::formats::diff(&project, &project) {
            let _ = change.to_string();
        }
    }
});
