use std::io::Write;

use daw::repo::fsck::FsckOptions;

use crate::cli::{CommandError, Context, ui};

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

    /// Rebuild damaged or missing indexes from the packs' own headers, then check
    #[arg(long)]
    pub repair: bool,

    /// Accept the values now in .daw/config for the settings daw authenticates (the worktree, the
    /// author) after you edited them yourself
    #[arg(long)]
    pub accept_config: bool,

    /// Accept the repository's current state as the newest after you restored an older copy on
    /// purpose (daw otherwise reports it as rolled back)
    #[arg(long)]
    pub accept_rollback: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open_unchecked()?;
    if let Some(name) = &args.remote {
        return check_remote(ctx, &repo, name, &args);
    }
    if args.accept_config {
        repo.accept_config()?;
        ctx.say(format_args!(
            "Accepted the settings in .daw/config as they are now."
        ))?;
    }
    if args.accept_rollback {
        repo.accept_rollback()?;
        ctx.say(format_args!(
            "Accepted the current operation as the newest."
        ))?;
    }
    let trust = repo.trust_problems()?;
    let repair = if args.repair {
        let r = repo.repair_indexes()?;
        if !args.json {
            for name in &r.removed_indexes {
                ctx.say(format_args!("Removed damaged index {}", &name[..12]))?;
            }
            if r.packs_reindexed > 0 {
                ctx.say(format_args!(
                    "Indexed {} pack(s) again from their headers",
                    r.packs_reindexed
                ))?;
            }
            for (pack, e) in &r.unrecoverable {
                ui::warn(&format!("could not recover pack {}: {e}", &pack[..12]));
            }
        }
        Some(r)
    } else {
        None
    };
    let mut progress = ui::Progress::new(ctx.quiet || args.json);
    let report = repo.fsck(
        FsckOptions {
            read_data: args.read_data,
        },
        &mut progress,
    );
    progress.finish();
    let mut report = report?;
    for t in &trust {
        report.problems.insert(
            0,
            daw::repo::fsck::Problem {
                object: match t {
                    daw::repo::trust::TrustProblem::ConfigChanged { .. } => "config".into(),
                    daw::repo::trust::TrustProblem::RolledBack { .. } => "op_head".into(),
                },
                error: t.to_string(),
                referenced_by: None,
            },
        );
    }
    if args.json {
        let mut out = std::io::stdout().lock();
        // The report's fields as before, with what the trust check and a repair found beside them.
        let mut value = serde_json::to_value(&report).map_err(anyhow::Error::from)?;
        if let Some(map) = value.as_object_mut() {
            map.insert(
                "trust".into(),
                serde_json::to_value(&trust).map_err(anyhow::Error::from)?,
            );
            map.insert(
                "repair".into(),
                serde_json::to_value(&repair).map_err(anyhow::Error::from)?,
            );
        }
        serde_json::to_writer_pretty(&mut out, &value).map_err(anyhow::Error::from)?;
        writeln!(out)?;
    } else {
        let mut err = std::io::stderr().lock();
        for p in &report.problems {
            let by = p
                .referenced_by
                .as_deref()
                .map(|b| format!(" (used by {b})"))
                .unwrap_or_default();
            if trust.is_empty() || !matches!(p.object.as_str(), "config" | "op_head") {
                writeln!(err, "damaged: {}: {}{by}", p.object, p.error)?;
            } else {
                writeln!(err, "{}", p.error)?;
            }
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
        let hint = if !trust.is_empty() && trust.len() == report.problems.len() {
            crate::cli::trust_error(&trust[0]).hints.remove(0)
        } else {
            "`daw export` of an affected file fails rather than give wrong bytes; restore the repository from a copy or a remote".into()
        };
        Err(CommandError::problem(format!("{} problem(s) found", report.problems.len())).hint(hint))
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
