//! The project folder: which files belong in a snapshot (`.dawignore` and the DAW by-products ignored
//! by default) and a stat-only walk of it.

use std::ffi::OsString;
use std::fs::Metadata;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use gix_ignore::glob::pattern::Case;

/// By-products of DAWs and operating systems that are never part of a project's history. Documented
/// in the README ("What daw ignores"); a `.dawignore` can re-include any of them with `!pattern`.
pub const DEFAULT_IGNORES: &str = "\
# Ableton Live: the automatic Backup folder and analysis files (Live recreates them).
Backup/
*.asd
# FL Studio: autosaves and overwrite backups.
*(autosave)*.flp
*overwritten at*.flp
*.flp.bak
# Operating systems.
.DS_Store
._*
Thumbs.db
desktop.ini
.Spotlight-V100/
.Trashes/
# Editors and temporary files.
*~
*.tmp
*.swp
~$*
.#*
# daw's own temporary files during a checkout.
.daw-tmp-*
";

/// The name of the per-folder ignore file.
pub const IGNORE_FILE: &str = ".dawignore";

/// Ignore rules for one work tree.
pub struct Ignores {
    search: gix_ignore::Search,
}

impl Ignores {
    /// Defaults plus every `.dawignore` is loaded lazily as the walk enters folders.
    pub fn new() -> Self {
        let mut search = gix_ignore::Search::default();
        search
            .add_patterns_buffer(
                DEFAULT_IGNORES.as_bytes(),
                "<daw defaults>",
                None,
                Default::default(),
            )
            .expect("parsing patterns from memory cannot fail");
        Self { search }
    }

    /// Adds the `.dawignore` of folder `dir` (relative path `rel_dir`, empty for the root).
    pub fn add_file(&mut self, work_tree: &Path, rel_dir: &Path) -> std::io::Result<()> {
        let dir = work_tree.join(rel_dir);
        let path = dir.join(IGNORE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let root = if rel_dir.as_os_str().is_empty() {
                    None
                } else {
                    Some(work_tree)
                };
                self.search
                    .add_patterns_buffer(&bytes, path, root, Default::default())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub fn is_ignored(&self, rel: &Path, is_dir: bool) -> bool {
        let bytes = rel.as_os_str().as_bytes();
        match self.search.pattern_matching_relative_path(
            bytes.into(),
            Some(is_dir),
            Case::Sensitive,
        ) {
            Some(m) => !m.pattern.is_negative(),
            None => false,
        }
    }
}

impl Default for Ignores {
    fn default() -> Self {
        Self::new()
    }
}

/// What the walk found at one path.
pub enum Found {
    File(Metadata),
    Dir(Metadata, Vec<(Vec<u8>, Found)>),
    Symlink(Metadata, Vec<u8>),
    /// A file or folder that could not be read: the reason.
    Unreadable(String),
    /// A socket, FIFO or device: not versioned.
    Special,
}

/// A problem that did not stop the walk.
#[derive(Clone, Debug)]
pub struct WalkWarning {
    pub path: PathBuf,
    pub message: String,
}

/// Lists a folder recursively (names sorted as bytes), skipping ignored paths and `skip_dir`.
pub fn walk(
    work_tree: &Path,
    rel: &Path,
    ignores: &mut Ignores,
    skip_dir: &Path,
    total_bytes: &mut u64,
) -> Found {
    let dir = work_tree.join(rel);
    if let Err(e) = ignores.add_file(work_tree, rel) {
        return Found::Unreadable(format!("cannot read {}: {e}", IGNORE_FILE));
    }
    let dir_meta = match std::fs::metadata(&dir) {
        Ok(m) => m,
        Err(e) => return Found::Unreadable(e.to_string()),
    };
    let reader = match std::fs::read_dir(&dir) {
        Ok(r) => r,
        Err(e) => return Found::Unreadable(e.to_string()),
    };
    let mut entries: Vec<(OsString, std::fs::DirEntry)> = Vec::new();
    for entry in reader {
        match entry {
            Ok(e) => entries.push((e.file_name(), e)),
            Err(e) => return Found::Unreadable(e.to_string()),
        }
    }
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let skip_name = skip_dir.file_name();
    let mut out = Vec::new();
    for (name, entry) in entries {
        let rel_path = rel.join(&name);
        if (rel.as_os_str().is_empty() && name == super::DAW_DIR_NAME)
            || (Some(name.as_os_str()) == skip_name && work_tree.join(&rel_path) == skip_dir)
        {
            continue;
        }
        // lstat relative to the open folder (fstatat), not by full path: cheaper on big projects.
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(e) => {
                out.push((name.into_vec(), Found::Unreadable(e.to_string())));
                continue;
            }
        };
        let ft = meta.file_type();
        if ignores.is_ignored(&rel_path, ft.is_dir()) {
            continue;
        }
        let found = if ft.is_dir() {
            walk(work_tree, &rel_path, ignores, skip_dir, total_bytes)
        } else if ft.is_file() {
            *total_bytes += meta.len();
            Found::File(meta)
        } else if ft.is_symlink() {
            match std::fs::read_link(work_tree.join(&rel_path)) {
                Ok(t) => Found::Symlink(meta, t.into_os_string().into_vec()),
                Err(e) => Found::Unreadable(e.to_string()),
            }
        } else {
            Found::Special
        };
        out.push((name.into_vec(), found));
    }
    Found::Dir(dir_meta, out)
}

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
    fn default_ignores_cover_daw_by_products() {
        let ig = Ignores::new();
        assert!(ig.is_ignored(Path::new("Backup"), true));
        assert!(ig.is_ignored(Path::new("Samples/kick.wav.asd"), false));
        assert!(ig.is_ignored(Path::new(".DS_Store"), false));
        assert!(ig.is_ignored(Path::new("Song (autosave).flp"), false));
        assert!(!ig.is_ignored(Path::new("Song.als"), false));
        assert!(!ig.is_ignored(Path::new("Samples/kick.wav"), false));
        assert!(!ig.is_ignored(Path::new("Backup.als"), false));
    }

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
