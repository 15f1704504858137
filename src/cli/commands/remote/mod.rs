//! `daw remote`: the remotes a repository pushes to and fetches from.

mod add;

pub use add::absolute_url;

use std::io::Write;

use clap::Subcommand;

use crate::cli::{CommandError, Context};

/// Manage remotes: where pushes go and fetches come from
///
/// A remote is an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO, Garage, Ceph,
/// Wasabi) or a folder (a USB disk, a NAS mount). Everything daw puts there is encrypted except the
/// wrapped key slots; the provider sees object sizes and times, never names or music. Credentials
/// come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN), or AWS_PROFILE with
/// ~/.aws/credentials; they are never stored in the repository.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: RemoteCommand,
}

#[derive(Subcommand, Debug)]
pub enum RemoteCommand {
    Add(add::Args),
    List(ListArgs),
    Show(ShowArgs),
    Remove(RemoveArgs),
}

/// List the remotes
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

/// Show a remote: where it is, what this repository last saw there
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    pub name: String,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

/// Forget a remote and its remote-tracking branches (the remote's data is not touched)
#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    pub name: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    match args.command {
        RemoteCommand::Add(a) => add::run(ctx, a),
        RemoteCommand::List(a) => {
            let repo = ctx.open()?;
            let remotes = repo.remotes()?;
            let mut out = std::io::stdout().lock();
            if a.json {
                let list: Vec<_> = remotes
                    .iter()
                    .map(|(n, e)| serde_json::json!({"name": n, "url": e.settings.url}))
                    .collect();
                writeln!(out, "{}", serde_json::Value::Array(list))?;
            } else {
                for (n, e) in &remotes {
                    writeln!(out, "{n}\t{}", e.settings.url)?;
                }
            }
            Ok(())
        }
        RemoteCommand::Show(a) => {
            let repo = ctx.open()?;
            let e = repo.remote(&a.name)?;
            let refs = repo.refs()?;
            let branches = refs.remotes.get(&a.name).cloned().unwrap_or_default();
            let s = &e.settings;
            let mut out = std::io::stdout().lock();
            if a.json {
                let v = serde_json::json!({
                    "name": a.name,
                    "url": s.url,
                    "endpoint": s.endpoint,
                    "region": s.region,
                    "path_style": s.path_style,
                    "allow_http": s.allow_http,
                    "conditional_writes": s.conditional_writes,
                    "operations_seen": e.record.seq,
                    "packs": e.record.packs.len(),
                    "branches": branches.iter().map(|(b, id)| (b.clone(), id.to_hex())).collect::<std::collections::BTreeMap<_, _>>(),
                });
                writeln!(out, "{v}")?;
                return Ok(());
            }
            writeln!(out, "remote {}", a.name)?;
            writeln!(out, "  URL:       {}", s.url)?;
            if let Some(ep) = &s.endpoint {
                writeln!(
                    out,
                    "  endpoint:  {ep}{}",
                    if s.path_style { " (path-style)" } else { "" }
                )?;
            }
            if let Some(r) = &s.region {
                writeln!(out, "  region:    {r}")?;
            }
            writeln!(
                out,
                "  conditional writes: {}",
                match s.conditional_writes {
                    Some(true) => "honoured (racing pushes are turned away early)",
                    Some(false) => "not honoured (racing pushes are caught after writing)",
                    None => "not known yet (found at the first push)",
                }
            )?;
            writeln!(
                out,
                "  last seen: operation {} · {} packs",
                e.record.seq,
                e.record.packs.len()
            )?;
            if branches.is_empty() {
                writeln!(out, "  branches:  none fetched yet")?;
            }
            for (b, id) in &branches {
                writeln!(out, "  {}/{b} → {}", a.name, id.short(12))?;
            }
            Ok(())
        }
        RemoteCommand::Remove(a) => {
            let mut repo = ctx.open()?;
            repo.remove_remote(&a.name)?;
            ctx.say(format_args!("Removed remote '{}'.", a.name))?;
            Ok(())
        }
    }
}
