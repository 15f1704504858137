use daw::store::keys::{Secret, SlotKind};

use crate::cli::{CommandError, Context, new_passphrase, now, passphrase, recovery_key};

/// Change the passphrase you unlock with (or set a new one with the recovery key)
///
/// The current passphrase comes from the terminal or DAW_PASSPHRASE (with --recovery, the recovery
/// key from the terminal or DAW_RECOVERY_KEY); the new one is asked twice, or taken from
/// DAW_NEW_PASSPHRASE. The old passphrase stops opening the repository (and its remotes after the
/// next push). With --recovery a new passphrase slot is added and the others are kept.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Unlock with the recovery key instead of the current passphrase (a forgotten passphrase)
    #[arg(long)]
    pub recovery: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let use_recovery = args.recovery || std::env::var_os("DAW_RECOVERY_KEY").is_some();
    let secret = if use_recovery {
        Secret::Recovery(recovery_key()?)
    } else {
        let current = passphrase(false)?;
        Secret::passphrase(current.as_bytes()).map_err(daw::repo::RepoError::from)?
    };
    let mut repo = ctx.open_with_secret(&secret)?;
    let new = new_passphrase()?;
    let new = Secret::passphrase(new.as_bytes()).map_err(daw::repo::RepoError::from)?;
    let old = repo.slot_in_use().map(str::to_string);
    let id = repo.change_passphrase(&new, now().0)?;
    if secret.kind() == SlotKind::Recovery {
        ctx.say(format_args!(
            "New passphrase set (key slot {id}). The recovery key still works."
        ))?;
        let others: Vec<String> = repo
            .key_slots()?
            .into_iter()
            .filter(|s| s.kind == SlotKind::Passphrase && s.id != id && s.problem.is_none())
            .map(|s| s.id)
            .collect();
        if !others.is_empty() {
            ctx.say(format_args!(
                "Other passphrases still open the repository: if one is lost or leaked, `daw key remove` it ({}).",
                others.join(", ")
            ))?;
        }
    } else {
        ctx.say(format_args!(
            "Passphrase changed (key slot {} replaced by {id})",
            old.unwrap_or_default()
        ))?;
    }
    Ok(())
}
