//! The work tree: the project folder as the operating system shows it. Which paths belong in a
//! snapshot (`ignore`), the parallel stat-only walk and its listing digests (`walk`), the `lstat`
//! fields kept of a file (`stat`), the stat cache that lets unchanged files go unread (`statcache`),
//! daw's temporary files (`temp`), path arguments (`paths`) and crash-safe local writes (`fsutil`).
//!
//! It uses `store` (to seal the stat cache) and `object` (tree entries), nothing above them: it must
//! not know about commits' history, refs, the operation log or remotes, and never prints, prompts or
//! reads the environment. `repo` decides what to read and write; this layer says what is on disk.

pub mod fsutil;
pub mod ignore;
pub mod paths;
pub mod stat;
pub mod statcache;
pub mod temp;
pub mod walk;

/// The default name of the repository folder inside a project: never walked, never part of it.
pub const DAW_DIR_NAME: &str = ".daw";
