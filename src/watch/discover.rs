//! The repositories a `daw watch DIR` covers: DIR's own, or every project below it (a producer's
//! Projects folder holding one folder per project).

use std::io;
use std::path::Path;

use crate::repo::{Location, RepoError};
use crate::worktree::DAW_DIR_NAME;

/// How deep below a folder projects are looked for (`Projects/2026/Album/Song Project/.daw` is 4).
const MAX_DEPTH: usize = 4;

/// The repositories of `dir`: the one it is in (or is the project of), else every project found
/// below it (not below a project, not in hidden folders, not through symlinks), sorted by path.
/// Empty when there is none.
pub fn find_repositories(dir: &Path) -> Result<Vec<Location>, RepoError> {
    match Location::discover(dir, None) {
        Ok(location) => return Ok(vec![location]),
        Err(RepoError::NotARepository(_)) => {}
        Err(e) => return Err(e),
    }
    let mut found = Vec::new();
    below(dir, 0, &mut found).map_err(|e| RepoError::io(dir, e))?;
    found.sort_by(|a: &Location, b| a.work_tree.cmp(&b.work_tree));
    Ok(found)
}

fn below(dir: &Path, depth: usize, found: &mut Vec<Location>) -> io::Result<()> {
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") || !entry.file_type()?.is_dir() {
            continue;
        }
        let path = entry.path();
        if path.join(DAW_DIR_NAME).join("config").is_file() {
            if let Ok(location) = Location::discover(&path, None) {
                found.push(location);
            }
            continue;
        }
        // A folder that cannot be listed (permissions) holds no project daw can watch.
        let _ = below(&path, depth + 1, found);
    }
    Ok(())
}
