//! All CLI tests compile into this one binary (one link, shared helpers); each module says what
//! belongs in it.
//!
//! Unix only (Linux and macOS): the tests drive daw with signals, Unix sockets and file modes. On
//! Windows the library's own tests and the format tests run (README, "Platforms").
#![cfg(unix)]

mod common;

mod test_agent;
mod test_backend;
mod test_bad_input;
mod test_basics;
mod test_branches;
mod test_concurrency;
mod test_day;
mod test_delta;
mod test_docs;
mod test_gc;
mod test_keys;
mod test_log_graph;
mod test_merge;
mod test_music;
mod test_oplog;
mod test_remote;
mod test_roundtrip;
mod test_security;
mod test_set_merge;
mod test_snapshots;
mod test_stats;
mod test_status;
mod test_switch;
mod test_watch;
