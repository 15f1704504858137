//! `daw watch`'s library side: which repositories lie in and below a folder ([`discover`]), the OS
//! file events of their projects ([`events`], through `notify`: inotify, FSEvents,
//! ReadDirectoryChangesW; never polling), and when a save has settled ([`settle`]).
//!
//! It decides nothing about commits or remotes: the command (`cli/commands/watch.rs`) takes a
//! settled save to `repo` (commit, under the repository lock) and to a remote. It never prints or
//! reads the environment.

pub mod discover;
pub mod events;
pub mod settle;
