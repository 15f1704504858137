use std::io::Write;

use daw::repo::fsck::FsckOptions;

use crate::cli::{CommandError, Context};

/// Check the repository for damage
///
/// Checks the operation log, every commit and folder in the history, the indexes and the packs. With
/// --read-data, also decrypts every stored block and checks it against its id (slower: reads
/// everything). Each problem names the damaged object and the file and commit that use it. Exits 1
/// when anything is wrong.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Decrypt and verify every stored byte
    #[arg(long)]
    pub read_data: bool,

    /// Check a remote instead: its operations, packs and everything its branches reach (with
    /// --read-data, every block is downloaded and verified)
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,

    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    if let Some(name) = &args.remote {
        return check_remote(ctx, &repo, name, &args);
    }
    let report = repo.fsck(FsckOptions {
        read_data: args.read_data,
    })?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).map_err(anyhow::Error::from)?;
        writeln!(out)?;
    } else {
        let mut err = std::io::stderr().lock();
        for p in &report.problems {
            let by = p
                .referenced_by
                .as_deref()
                .map(|b| format!(" (used by {b})"))
                .unwrap_or_default();
            writeln!(err, "damaged: {}: {}{by}", p.object, p.error)?;
        }
        for n in &report.notes {
            writeln!(err, "note: {n}")?;
        }
        let read = if args.read_data {
            format!(", {} blocks decrypted and verified", report.blobs_read)
        } else {
            String::new()
        };
        ctx.say(format_args!(
            "Checked {} operations, {} commits, {} folders, {} files, {} packs{read}.",
            report.operations, report.commits, report.trees, report.files, report.packs
        ))?;
    }
    if report.problems.is_empty() {
        if !args.json {
            ctx.say(format_args!("No problems found."))?;
        }
        Ok(())
    } else {
        Err(CommandError::problem(format!("{} problem(s) found", report.problems.len()))
            .hint("`daw export` of an affected file fails rather than give wrong bytes; restore the repository from a copy or a remote"))
    }
}

fn check_remote(
    ctx: &Context,
    repo: &daw::repo::Repository,
    name: &str,
    args: &Args,
) -> Result<(), CommandError> {
    let (backend, url) = crate::cli::commands::sync::open_remote(repo, name)?;
    let keys = daw::store::Keys::from_master(repo.store().keys().master().clone());
    let report = daw::remote::check(&backend, keys, args.read_data)
        .map_err(|e| crate::cli::commands::sync::remote_failure(e.into(), &url))?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).map_err(anyhow::Error::from)?;
        writeln!(out)?;
    } else {
        let mut err = std::io::stderr().lock();
        for (object, problem) in &report.problems {
            writeln!(err, "damaged: {object}: {problem}")?;
        }
        let read = if args.read_data {
            format!(", {} blocks downloaded and verified", report.blobs_read)
        } else {
            String::new()
        };
        ctx.say(format_args!(
            "Checked remote '{name}' ({url}): {} operations, {} packs, {} commits, {} folders{read}.",
            report.operations, report.packs, report.commits, report.trees
        ))?;
    }
    if report.problems.is_empty() {
        if !args.json {
            ctx.say(format_args!("No problems found."))?;
        }
        Ok(())
    } else {
        Err(CommandError::problem(format!(
            "{} problem(s) found on remote '{name}'",
            report.problems.len()
        ))
        .hint("push again from a complete copy to put back what is missing"))
    }
}
