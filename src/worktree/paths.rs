//! Paths of the project as commands take and show them: which ones path arguments select, and their
//! display form.
//!
//! Pure functions of the paths: no file-system access.

use std::path::{Path, PathBuf};

/// Whether a path (relative to the work tree) is selected by path arguments: all when none are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The path and everything below it.
    All,
    /// Only some paths below it.
    Partly,
    /// Not selected.
    None,
}

pub fn select(paths: &[PathBuf], rel: &Path) -> Selection {
    if paths.is_empty() {
        return Selection::All;
    }
    let mut partly = false;
    for p in paths {
        if p.as_os_str().is_empty() || rel.starts_with(p) {
            return Selection::All;
        }
        if p.starts_with(rel) {
            partly = true;
        }
    }
    if partly {
        Selection::Partly
    } else {
        Selection::None
    }
}

/// The display form of a relative path (lossy only for non-UTF-8 names).
pub fn display_path(rel: &Path) -> String {
    rel.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_of_paths() {
        let paths = vec![PathBuf::from("Samples/Recorded")];
        assert_eq!(select(&paths, Path::new("Samples")), Selection::Partly);
        assert_eq!(
            select(&paths, Path::new("Samples/Recorded/a.wav")),
            Selection::All
        );
        assert_eq!(select(&paths, Path::new("Song.als")), Selection::None);
        assert_eq!(select(&[], Path::new("x")), Selection::All);
    }
}
