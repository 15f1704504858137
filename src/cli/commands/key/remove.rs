use crate::cli::{CommandError, Context};

/// Remove a key slot: its passphrase (or recovery key) no longer opens the repository
///
/// The removal reaches remotes with the next push. Copies of the repository made before it (a
/// backup, a clone not yet fetched) still open with the removed passphrase. Removing the last slot is
/// refused.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The slot's id (or a unique prefix), as `daw key list` shows it
    pub slot: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let was_in_use = repo
        .slot_in_use()
        .is_some_and(|s| s.starts_with(&args.slot));
    let id = repo.remove_key_slot(&args.slot)?;
    ctx.say(format_args!("Removed key slot {id}"))?;
    if was_in_use {
        ctx.say(format_args!(
            "It was the slot this command was unlocked with: use another passphrase from now on."
        ))?;
    }
    Ok(())
}
