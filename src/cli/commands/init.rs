use std::path::PathBuf;

use daw::repo::{InitOptions, Repository};
use daw::store::KdfParams;
use daw::store::keys::RecoveryKey;

use super::key::{RecoveryKeyOutput, show_recovery_key};
use crate::cli::{CommandError, Context, passphrase};

/// Put a project folder under version control
///
/// Creates the repository (a `.daw` folder inside the project, or the folder DAW_DIR / --daw-dir names)
/// with a new encryption key protected by your passphrase, and a recovery key, shown once: write it
/// down, since without it and the passphrase the history is gone. Nothing is committed yet: run
/// `daw commit`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (default: the current folder)
    pub dir: Option<PathBuf>,

    /// Write the recovery key to this new file (mode 600) instead of showing it, for scripts
    #[arg(long, value_name = "PATH")]
    pub recovery_key_file: Option<PathBuf>,

    /// Argon2id memory for the passphrase key, in KiB (default 65536, at least 19456)
    #[arg(long, value_name = "KIB", hide_short_help = true)]
    pub kdf_memory_kib: Option<u32>,

    /// Argon2id passes for the passphrase key (default 3, at least 2)
    #[arg(long, value_name = "N", hide_short_help = true)]
    pub kdf_iterations: Option<u32>,

    /// Accept key derivation settings below the minimum, which make guessing the passphrase cheap:
    /// only for tests and throw-away repositories
    #[arg(long, hide_short_help = true)]
    pub insecure_test_kdf: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let work_tree = match &args.dir {
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    let mut kdf = KdfParams::default();
    if let Some(m) = args.kdf_memory_kib {
        kdf.memory_kib = m;
    }
    if let Some(t) = args.kdf_iterations {
        kdf.iterations = t;
    }
    if kdf.memory_kib < 8 * kdf.parallelism {
        kdf.parallelism = 1;
    }
    let daw_dir = ctx.daw_dir.as_ref().map(|d| ctx.cwd.join(d));
    if let Some(d) = &daw_dir
        && d.join("config").exists()
    {
        return Err(CommandError::user(format!(
            "{} is already a daw repository",
            d.display()
        )));
    }
    if daw_dir.is_none() && work_tree.join(".daw/config").exists() {
        return Err(CommandError::user(format!(
            "{} is already a daw repository",
            work_tree.display()
        )));
    }
    let pass = passphrase(true)?;
    let output = RecoveryKeyOutput::prepare(ctx, args.recovery_key_file.as_deref())?;
    let meta = ctx.op_meta(None);
    let recovery = RecoveryKey::generate();
    let text = recovery.to_text();
    let made = Repository::init(
        InitOptions {
            work_tree,
            daw_dir,
            kdf,
            allow_insecure_kdf: args.insecure_test_kdf,
            recovery_key: Some(recovery),
            meta,
        },
        pass.as_bytes(),
    );
    let repo = match made {
        Ok(r) => r,
        Err(e) => {
            if let RecoveryKeyOutput::File(path, _) = &output {
                let _ = std::fs::remove_file(path);
            }
            return Err(e.into());
        }
    };
    if crate::cli::agent::enabled()
        && let Ok(id) = repo.config().repository_id()
    {
        crate::cli::agent::put(&id, repo.store().keys().master());
    }
    ctx.say(format_args!(
        "Initialized an empty daw repository in {} for {}",
        repo.daw_dir().display(),
        repo.work_tree().display()
    ))?;
    let recovery = RecoveryKey::parse(&text).map_err(daw::repo::RepoError::from)?;
    show_recovery_key(ctx, output, &recovery)?;
    Ok(())
}
