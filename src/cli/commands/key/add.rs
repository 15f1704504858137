use daw::store::keys::Secret;

use crate::cli::{CommandError, Context, new_passphrase, now};

/// Add a passphrase (for a collaborator, another machine, or before retiring the old one)
///
/// The new passphrase is asked twice on the terminal, or taken from DAW_NEW_PASSPHRASE. It gets the
/// key derivation cost of the passphrase that unlocked the repository.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A name for the slot, shown by `daw key list` (e.g. whose it is)
    #[arg(long, value_name = "LABEL", default_value = "")]
    pub label: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    daw::store::keys::check_label(&args.label).map_err(|e| CommandError::user(e.to_string()))?;
    let mut repo = ctx.open()?;
    let new = new_passphrase()?;
    let secret = Secret::passphrase(new.as_bytes()).map_err(daw::repo::RepoError::from)?;
    let id = repo.add_key_slot(&secret, &args.label, now().0, None)?;
    ctx.say(format_args!("Added key slot {id} (passphrase)"))?;
    Ok(())
}
