use std::io::Write;

use daw::repo::diff::Side;

use crate::cli::commands::diff::report;
use crate::cli::commands::log::{commit_json, decorations};
use crate::cli::render;
use crate::cli::ui::format_time;
use crate::cli::{CommandError, Context};

/// Show a commit and the files it changed
///
/// With each changed Live set or FL Studio project, what changed in it musically since the parent
/// commit (tempo, tracks, devices, clips, samples), or why daw could not read it.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The commit (default HEAD)
    #[arg(default_value = "HEAD")]
    pub rev: String,

    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    let id = repo.resolve(&args.rev)?;
    let c = repo.read_commit(&id)?;
    let parent = match c.parents.first() {
        Some(p) => Side::Tree(repo.read_commit(p)?.tree),
        None => Side::Empty,
    };
    let comparison = repo.compare(&parent, &Side::Tree(c.tree), &[])?;
    let changes = comparison
        .deltas
        .iter()
        .map(|d| report(&repo, d))
        .collect::<Result<Vec<_>, _>>()?;
    let deco = decorations(&repo)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut v = commit_json(&id, &c, deco.get(&id));
        v["files"] = changes.iter().map(render::file_json).collect();
        serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let d = deco
        .get(&id)
        .map(|d| format!(" ({})", d.join(", ")))
        .unwrap_or_default();
    writeln!(out, "commit {id}{d}")?;
    writeln!(out, "Author: {} <{}>", c.author.name, c.author.email)?;
    writeln!(
        out,
        "Date:   {}",
        format_time(c.author.time, c.author.tz_offset_minutes)
    )?;
    writeln!(out)?;
    for line in c.message.lines() {
        writeln!(out, "    {line}")?;
    }
    writeln!(out)?;
    for f in &changes {
        render::write_file(&mut out, f)?;
    }
    if changes.is_empty() {
        writeln!(out, " (no file changes)")?;
    }
    Ok(())
}
