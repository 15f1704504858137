use std::io::Write;
use std::path::{Path, PathBuf};

use daw::store::keys::RecoveryKey;

use crate::cli::{CommandError, Context, now};

/// Make a new recovery key and revoke the old one
///
/// The recovery key opens the repository when every passphrase is forgotten (`daw key passwd
/// --recovery`). It is shown once: write it down and keep it apart from your passphrase. Without it
/// and the passphrase the history is gone.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Write the recovery key to this new file (mode 600) instead of showing it
    #[arg(long, value_name = "PATH")]
    pub recovery_key_file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let output = RecoveryKeyOutput::prepare(ctx, args.recovery_key_file.as_deref())?;
    let mut repo = ctx.open()?;
    let (key, id) = repo.replace_recovery_key(now().0)?;
    show_recovery_key(ctx, output, &key)?;
    ctx.say(format_args!(
        "Recovery key slot {id} made; every earlier recovery key is revoked."
    ))?;
    Ok(())
}

/// Where a new recovery key goes: the terminal (stdout), or a file opened before the key exists so
/// that a bad path fails before anything changes.
pub enum RecoveryKeyOutput {
    Show,
    File(PathBuf, std::fs::File),
}

impl RecoveryKeyOutput {
    pub fn prepare(ctx: &Context, path: Option<&Path>) -> Result<Self, CommandError> {
        let Some(path) = path else {
            return Ok(Self::Show);
        };
        let path = ctx.cwd.join(path);
        let file = daw::platform::private_file(std::fs::OpenOptions::new().write(true).create_new(true))
            .open(&path)
            .map_err(|e| {
                CommandError::user(format!(
                    "cannot create the recovery key file {}: {e}",
                    path.display()
                ))
                .hint("name a new file in a folder you can write to; an existing file is never overwritten")
            })?;
        Ok(Self::File(path, file))
    }
}

/// Shows a new recovery key once (even with --quiet), or writes it to the prepared file.
pub fn show_recovery_key(
    ctx: &Context,
    output: RecoveryKeyOutput,
    key: &RecoveryKey,
) -> Result<(), CommandError> {
    let text = key.to_text();
    match output {
        RecoveryKeyOutput::Show => {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "Recovery key (shown once; write it down and keep it apart from the passphrase):\n\n    {}\n\nWithout it and the passphrase the history is gone.",
                text.as_str()
            )?;
        }
        RecoveryKeyOutput::File(path, mut file) => {
            let mut line = zeroize::Zeroizing::new(format!("{}\n", text.as_str()));
            let written = file
                .write_all(line.as_bytes())
                .and_then(|()| file.sync_all());
            zeroize::Zeroize::zeroize(&mut *line);
            written.map_err(|e| {
                CommandError::from(e).hint(format!(
                    "{} is incomplete; run `daw key recovery` to make a new key",
                    path.display()
                ))
            })?;
            ctx.say(format_args!(
                "Recovery key written to {}; keep it apart from the passphrase.",
                path.display()
            ))?;
        }
    }
    Ok(())
}
