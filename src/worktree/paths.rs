//! Paths of the project as commands take and show them: which ones path arguments select, and their
//! display form.
//!
//! Pure functions of the paths: no file-system access.

use std::path::{Path, PathBuf};

use crate::platform::names::{self, Folding};

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
        if p.as_os_str().is_empty() || starts_with(rel, p) {
            return Selection::All;
        }
        if starts_with(p, rel) {
            partly = true;
        }
    }
    if partly {
        Selection::Partly
    } else {
        Selection::None
    }
}

/// Whether `path` is `prefix` or below it, its names compared in either Unicode form (`é` as one
/// code point, or as `e` and an accent, which macOS may store): a path typed on one system selects
/// a file named on the other.
fn starts_with(path: &Path, prefix: &Path) -> bool {
    if path.starts_with(prefix) {
        return true;
    }
    if path.as_os_str().is_ascii() && prefix.as_os_str().is_ascii() {
        return false;
    }
    let unicode = Folding {
        case: false,
        unicode: true,
    };
    let mut parts = path.components();
    prefix.components().all(|want| {
        parts.next().is_some_and(|have| {
            names::same_name(
                have.as_os_str().as_encoded_bytes(),
                want.as_os_str().as_encoded_bytes(),
                unicode,
            )
        })
    })
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
        // Names in either Unicode form.
        let composed = vec![PathBuf::from("Caf\u{e9}/Take 1.wav")];
        assert_eq!(
            select(&composed, Path::new("Cafe\u{301}/Take 1.wav")),
            Selection::All
        );
        assert_eq!(
            select(&composed, Path::new("Cafe\u{301}")),
            Selection::Partly
        );
        assert_eq!(
            select(&composed, Path::new("Cafe/Take 1.wav")),
            Selection::None
        );
    }
}
