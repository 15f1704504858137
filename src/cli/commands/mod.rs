//! One module per subcommand; each `Args` doc comment is its help text.

pub mod commit;
pub mod diff;
pub mod export;
pub mod fsck;
pub mod init;
pub mod inspect;
pub mod log;
pub mod samples;
pub mod show;
