use std::path::PathBuf;

use daw::repo::{InitOptions, Repository};
use daw::store::KdfParams;

use crate::cli::{CommandError, Context, passphrase};

/// Put a project folder under version control
///
/// Creates the repository (a `.daw` folder inside the project, or the folder DAW_DIR / --daw-dir names)
/// with a new encryption key protected by your passphrase. Nothing is committed yet: run `daw commit`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (default: the current folder)
    pub dir: Option<PathBuf>,

    /// Argon2id memory for the passphrase key, in KiB (default 65536). Lower values make every command
    /// start faster and make guessing the passphrase cheaper: only for tests and throw-away repositories
    #[arg(long, value_name = "KIB", hide_short_help = true)]
    pub kdf_memory_kib: Option<u32>,

    /// Argon2id passes for the passphrase key (default 3)
    #[arg(long, value_name = "N", hide_short_help = true)]
    pub kdf_iterations: Option<u32>,
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
    let meta = ctx.op_meta(None);
    let repo = Repository::init(
        InitOptions {
            work_tree,
            daw_dir,
            kdf,
            meta,
        },
        pass.as_bytes(),
    )?;
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
    Ok(())
}
