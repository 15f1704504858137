//! One module per subcommand; each `Args` doc comment is its help text.

pub mod branch;
pub mod clone;
pub mod commit;
pub mod completions;
pub mod diff;
pub mod export;
pub mod fetch;
pub mod fsck;
pub mod init;
pub mod inspect;
pub mod lock;
pub mod log;
pub mod oplog;
pub mod pull;
pub mod push;
pub mod remote;
pub mod reset;
pub mod restore;
pub mod samples;
pub mod show;
pub mod status;
pub mod switch;
pub mod sync;
pub mod tag;
pub mod undo;
pub mod watch;
