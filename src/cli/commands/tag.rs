use std::io::Write;

use crate::cli::ui::Color;
use crate::cli::{CommandError, Context};

/// List, create or delete tags
///
/// A tag names one commit for good ("v1 sent to label", "master v2"), unlike a branch it never
/// moves. `daw tag NAME [REV] [-m MESSAGE]` tags REV (default HEAD); `daw tag` lists the tags.
/// Names follow the branch rules (spaces allowed).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The tag to create
    pub name: Option<String>,

    /// The commit to tag (default HEAD)
    #[arg(requires = "name")]
    pub rev: Option<String>,

    /// A message kept with the tag
    #[arg(short, long, requires = "name")]
    pub message: Option<String>,

    /// Delete a tag
    #[arg(
        short = 'd',
        long = "delete",
        value_name = "TAG",
        conflicts_with = "name"
    )]
    pub delete: Option<String>,

    /// Move an existing tag
    #[arg(short, long)]
    pub force: bool,

    /// List as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    if let Some(name) = &args.delete {
        let was = repo.delete_tag(name)?;
        ctx.say(format_args!(
            "Deleted tag '{name}' (was {}).",
            was.short(12)
        ))?;
        return Ok(());
    }
    if let Some(name) = &args.name {
        let target = repo.resolve(args.rev.as_deref().unwrap_or("HEAD"))?;
        repo.create_tag(name, target, args.message.clone(), args.force)?;
        ctx.say(format_args!("Tagged {} as '{name}'.", target.short(12)))?;
        return Ok(());
    }
    let refs = repo.refs()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let list: Vec<_> = refs
            .tags
            .iter()
            .map(|(name, t)| {
                serde_json::json!({"name": name, "commit": t.target.to_hex(), "message": t.message})
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let width = refs
        .tags
        .keys()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0);
    for (name, tag) in &refs.tags {
        if ctx.verbose {
            let pad = " ".repeat(width - name.chars().count());
            let message = tag
                .message
                .as_deref()
                .map(|m| format!(" {}", m.lines().next().unwrap_or("")))
                .unwrap_or_default();
            writeln!(
                out,
                "{name}{pad} {}{message}",
                ctx.paint(Color::Yellow, &tag.target.short(12))
            )?;
        } else {
            writeln!(out, "{name}")?;
        }
    }
    Ok(())
}
