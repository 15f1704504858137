//! daw's own temporary files in the project (a checkout writes each file under a temporary name and
//! renames it into place): their names, and the removal of those a killed daw left behind.
//!
//! It touches nothing but files with exactly those names.

use std::path::{Path, PathBuf};

/// The prefix of the temporary names daw writes files and symlinks of the project under before
/// renaming them into place (a checkout). Ignored by default, and removed by
/// [`remove_stale_temp_files`] when a killed daw left them behind.
pub const TEMP_PREFIX: &str = ".daw-tmp-";

/// Whether `name` is a temporary name of daw's own: [`TEMP_PREFIX`] and then 6 ASCII letters or
/// digits (a file, named by the `tempfile` crate) or 16 lowercase hex digits (a symlink).
pub fn is_temp_name(name: &[u8]) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX.as_bytes()) else {
        return false;
    };
    match rest.len() {
        6 => rest.iter().all(u8::is_ascii_alphanumeric),
        16 => rest.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        _ => false,
    }
}

/// Removes the temporary files that a daw killed during a checkout left in the project (see
/// [`TEMP_PREFIX`]), in every folder but `.daw` and `skip_dir`, without following symlinks; returns
/// the paths removed (relative to the work tree). Only files and symlinks with exactly daw's
/// temporary names are touched.
///
/// Call it only while holding the repository lock: every daw that writes such files in the project
/// holds it (switch, restore, reset, undo), so none of them can be in use then. (`daw export` uses
/// other names, as it writes without the lock.) Best effort: a folder that cannot be read is passed
/// over.
pub fn remove_stale_temp_files(work_tree: &Path, skip_dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    remove_temp_below(work_tree, Path::new(""), skip_dir, &mut removed);
    removed
}

fn remove_temp_below(work_tree: &Path, rel: &Path, skip_dir: &Path, removed: &mut Vec<PathBuf>) {
    let dir = work_tree.join(rel);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            let path = e.path();
            if !(rel.as_os_str().is_empty() && name == super::DAW_DIR_NAME) && path != skip_dir {
                remove_temp_below(work_tree, &rel.join(&name), skip_dir, removed);
            }
        } else if is_temp_name(name.as_encoded_bytes()) && std::fs::remove_file(e.path()).is_ok() {
            removed.push(rel.join(&name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worktree::ignore::Ignores;

    #[test]
    fn daws_temporary_names() {
        for name in [".daw-tmp-a1B2c3", ".daw-tmp-0123456789abcdef"] {
            assert!(is_temp_name(name.as_bytes()), "{name}");
            assert!(Ignores::new().is_ignored(Path::new(name), false), "{name}");
        }
        for name in [
            ".daw-tmp-",
            ".daw-tmp-a1B2c",
            ".daw-tmp-a1B2c3d",
            ".daw-tmp-0123456789ABCDEF",
            ".daw-tmp-a1B2c3.wav",
            "daw-tmp-a1B2c3",
            "Song.als",
        ] {
            assert!(!is_temp_name(name.as_bytes()), "{name}");
        }
    }
}
