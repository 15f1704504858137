//! daw: version control for music producers' DAW projects.
//!
//! Layers, each using only the ones below it (see `docs/ARCHITECTURE.md`):
//! `watch` (settled saves, beside the CLI) → `repo` (what a user sees) → `worktree` (the project folder: walk, ignore rules, stat cache) →
//! `remote` → `gc` (mark and sweep over any store) → `oplog` → `formats` (pure parsers) / `store`
//! (chunks, crypto, packs) → `object`; under them all, `platform` (what daw asks of the operating system).
//! The command-line interface lives in the binary (`src/main.rs`, `src/cli/`); nothing in this library
//! prints to the terminal or reads the environment.

pub mod formats;
pub mod gc;
pub mod object;
pub mod oplog;
pub mod platform;
pub mod remote;
pub mod repo;
pub mod store;
pub mod watch;
pub mod worktree;
