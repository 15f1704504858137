//! `daw key`: the ways into a repository (passphrases and the recovery key), each a key slot that
//! wraps the same master key.

mod add;
mod list;
mod passwd;
mod recovery;
mod remove;

pub use recovery::{RecoveryKeyOutput, show_recovery_key};

use clap::Subcommand;

use crate::cli::{CommandError, Context};

/// Manage passphrases and the recovery key
///
/// Every passphrase and the recovery key is a key slot: the repository's master key wrapped under
/// it. Adding, removing or changing one rewraps that key; the data is never re-encrypted. Slots are
/// pushed with the history, so every clone sees the same set. Note that a removed passphrase still
/// opens any copy of the repository made before its removal.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: KeyCommand,
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    List(list::Args),
    Add(add::Args),
    Remove(remove::Args),
    Passwd(passwd::Args),
    Recovery(recovery::Args),
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    match args.command {
        KeyCommand::List(a) => list::run(ctx, a),
        KeyCommand::Add(a) => add::run(ctx, a),
        KeyCommand::Remove(a) => remove::run(ctx, a),
        KeyCommand::Passwd(a) => passwd::run(ctx, a),
        KeyCommand::Recovery(a) => recovery::run(ctx, a),
    }
}

/// `label` or a dash.
fn label_or_dash(label: &str) -> &str {
    if label.is_empty() { "-" } else { label }
}
