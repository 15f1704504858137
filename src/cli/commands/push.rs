use daw::repo::sync::PushOptions;

use crate::cli::commands::sync::{bar, open_remote, pick_remote, remote_failure};
use crate::cli::{CommandError, Context, ui};

/// Send commits to a remote
///
/// Uploads what the remote lacks (encrypted packs; nothing the provider could read) and moves the
/// remote's branches. A branch the remote moved elsewhere (another machine pushed) is not
/// overwritten: pull first, or --force to drop the remote's commits. A push never loses another
/// push: if two land at the same moment, one is withdrawn and says so. An interrupted push is
/// completed by running it again, which uploads only what is still missing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The remote (default: origin, or the only one)
    pub remote: Option<String>,
    /// Branches to push (default: the current one)
    pub branches: Vec<String>,
    /// Push every branch
    #[arg(long, conflicts_with = "branches")]
    pub all: bool,
    /// Push every tag too
    #[arg(long)]
    pub tags: bool,
    /// Move remote branches and tags even where that drops commits on the remote
    #[arg(short, long)]
    pub force: bool,
    /// Print what was pushed as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let name = pick_remote(&repo, args.remote.as_deref())?;
    let (backend, url) = open_remote(&repo, &name)?;
    let meta = ctx.op_meta(Some(&repo));
    let bar = bar(ctx, args.json);
    let progress = daw::remote::Progress {
        start: &|b, o| bar.start(b, o),
        step: &|b| bar.step(b),
    };
    let opts = PushOptions {
        branches: args.branches.clone(),
        all: args.all,
        tags: args.tags,
        force: args.force,
    };
    let result = repo.push(&name, &backend, &opts, meta, &progress);
    bar.finish();
    let report = result.map_err(|e| remote_failure(e, &url))?;
    if args.json {
        let v = serde_json::json!({
            "remote": name,
            "operation": report.op.map(|id| id.to_hex()),
            "updated": report.updated.iter().map(|(b, old, new)| serde_json::json!({
                "branch": b, "old": old.map(|o| o.to_hex()), "new": new.to_hex()
            })).collect::<Vec<_>>(),
            "tags": report.tags,
            "packs": report.packs,
            "bytes": report.bytes,
        });
        println!("{v}");
        return Ok(());
    }
    let k = &report.keys;
    if k.remote_added + k.remote_removed + k.local_added + k.local_removed > 0 {
        ctx.say(format_args!(
            "Key slots: {} added and {} removed on '{name}', {} added and {} removed here.",
            k.remote_added, k.remote_removed, k.local_added, k.local_removed
        ))?;
    }
    if report.op.is_none() {
        ctx.say(format_args!("Everything up to date on '{name}'."))?;
        return Ok(());
    }
    for (b, old, new) in &report.updated {
        match old {
            Some(o) => ctx.say(format_args!(
                "{name}/{b}: {} → {}",
                o.short(12),
                new.short(12)
            ))?,
            None => ctx.say(format_args!("{name}/{b}: new branch at {}", new.short(12)))?,
        }
    }
    for t in &report.tags {
        ctx.say(format_args!("{name}: tag '{t}'"))?;
    }
    ctx.say(format_args!(
        "Pushed to '{name}': {} new in {} pack(s).",
        ui::human_bytes(report.bytes),
        report.packs
    ))?;
    Ok(())
}
