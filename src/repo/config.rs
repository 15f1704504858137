//! `.daw/config`: the repository's settings in git-config syntax (read and written with gix-config).
//!
//! It holds the format version, the repository id (bound into key slots), the work tree when the
//! repository lives outside the project, and optional `user.name`/`user.email`. It is plaintext and holds
//! nothing about the music.

use std::path::{Path, PathBuf};

use crate::worktree::fsutil::write_atomic;

use super::RepoError;

pub const FORMAT_VERSION: u32 = 1;

pub struct Config {
    file: gix_config::File,
    path: PathBuf,
}

impl Config {
    pub fn new(path: &Path) -> Self {
        let file =
            gix_config::File::new(gix_config::file::Metadata::from(gix_config::Source::Local));
        Self {
            file,
            path: path.to_path_buf(),
        }
    }

    pub fn load(path: &Path) -> Result<Self, RepoError> {
        let text = std::fs::read(path).map_err(|e| RepoError::io(path, e))?;
        let file = gix_config::File::from_bytes_owned(
            &mut text.clone(),
            gix_config::file::Metadata::from(gix_config::Source::Local),
            Default::default(),
        )
        .map_err(|e| RepoError::Config {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let cfg = Self {
            file,
            path: path.to_path_buf(),
        };
        let version = cfg.get("core.formatVersion").unwrap_or_default();
        if version.trim() != FORMAT_VERSION.to_string() {
            return Err(RepoError::Config {
                path: path.to_path_buf(),
                detail: format!(
                    "repository format version {:?} is not supported by this daw (it reads {FORMAT_VERSION}); upgrade daw",
                    version
                ),
            });
        }
        Ok(cfg)
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.file.string(key).map(|v| v.to_string())
    }

    pub fn set(&mut self, section: &str, name: &str, value: &str) -> Result<(), RepoError> {
        self.file
            .set_raw_value_by(section, None, name, value)
            .map_err(|e| RepoError::Config {
                path: self.path.clone(),
                detail: e.to_string(),
            })?;
        Ok(())
    }

    /// Writes the file atomically.
    pub fn save(&self) -> Result<(), RepoError> {
        let mut out = Vec::new();
        self.file
            .write_to(&mut out)
            .map_err(|e| RepoError::io(&self.path, e))?;
        Ok(write_atomic(&self.path, &out)?)
    }

    pub fn repository_id(&self) -> Result<String, RepoError> {
        self.get("core.repositoryId")
            .ok_or_else(|| RepoError::Config {
                path: self.path.clone(),
                detail: "core.repositoryId is missing".into(),
            })
    }

    pub fn work_tree(&self) -> Option<PathBuf> {
        self.get("core.worktree").map(PathBuf::from)
    }
}
