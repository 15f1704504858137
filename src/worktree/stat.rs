//! The `lstat` fields daw keeps of a path ([`FileStat`]): what the walk records of each entry, what
//! the stat cache compares and what a tree entry records.
//!
//! The type and how to take it from the system live in `platform` (on Windows some fields do not
//! exist); how the fields are encoded belongs to their users (the stat cache, the listing digest).

pub use crate::platform::FileStat;
