//! One module per subcommand; each `Args` doc comment is its help text.

pub mod commit;
pub mod export;
pub mod fsck;
pub mod init;
pub mod log;
pub mod show;
