use std::io::Write;

use daw::repo::history::{ChangeKind, diff_trees};

use crate::cli::commands::log::{commit_json, decorations};
use crate::cli::ui::{format_time, human_bytes};
use crate::cli::{CommandError, Context};

/// Show a commit and the files it changed
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
    let parent_tree = match c.parents.first() {
        Some(p) => Some(repo.read_commit(p)?.tree),
        None => None,
    };
    let changes = diff_trees(&repo, parent_tree.as_ref(), Some(&c.tree))?;
    let deco = decorations(&repo)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut v = commit_json(&id, &c, deco.get(&id));
        v["files"] = serde_json::to_value(&changes).map_err(anyhow::Error::from)?;
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
    for ch in &changes {
        let (mark, sizes) = match ch.kind {
            ChangeKind::Added => ('A', human_bytes(ch.new_size.unwrap_or(0))),
            ChangeKind::Removed => ('D', human_bytes(ch.old_size.unwrap_or(0))),
            ChangeKind::Modified => (
                'M',
                format!(
                    "{} → {}",
                    human_bytes(ch.old_size.unwrap_or(0)),
                    human_bytes(ch.new_size.unwrap_or(0))
                ),
            ),
        };
        writeln!(out, " {mark} {}  ({sizes})", ch.path)?;
    }
    if changes.is_empty() {
        writeln!(out, " (no file changes)")?;
    }
    Ok(())
}
