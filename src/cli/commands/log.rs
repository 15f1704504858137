use std::collections::HashMap;
use std::io::Write;

use daw::object::{Commit, ObjectId};
use daw::repo::Repository;
use daw::repo::history::walk_commits;
use daw::repo::ops::Head;

use crate::cli::ui::format_time;
use crate::cli::{CommandError, Context};

/// Show the history, newest first
///
/// Each commit with its id, author, date, message and a one-line summary of the project. Never reads
/// or parses project files: what it shows was recorded at commit time.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Show at most N commits
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    pub max_count: Option<usize>,

    /// One line per commit
    #[arg(long)]
    pub oneline: bool,

    /// Print the commits as JSON (an array)
    #[arg(long)]
    pub json: bool,

    /// Start from this revision instead of HEAD
    pub rev: Option<String>,
}

/// `HEAD -> main, tag: v1` decorations per commit.
pub fn decorations(repo: &Repository) -> Result<HashMap<ObjectId, Vec<String>>, CommandError> {
    let refs = repo.refs()?;
    let mut map: HashMap<ObjectId, Vec<String>> = HashMap::new();
    if let Head::Detached(id) = &refs.head {
        map.entry(*id).or_default().push("HEAD".into());
    }
    for (name, id) in &refs.branches {
        let label = match &refs.head {
            Head::Branch(b) if b == name => format!("HEAD -> {name}"),
            _ => name.clone(),
        };
        let v = map.entry(*id).or_default();
        if label.starts_with("HEAD") {
            v.insert(0, label)
        } else {
            v.push(label)
        }
    }
    for (name, tag) in &refs.tags {
        map.entry(tag.target)
            .or_default()
            .push(format!("tag: {name}"));
    }
    Ok(map)
}

pub fn commit_json(id: &ObjectId, c: &Commit, refs: Option<&Vec<String>>) -> serde_json::Value {
    serde_json::json!({
        "id": id.to_hex(),
        "parents": c.parents.iter().map(|p| p.to_hex()).collect::<Vec<_>>(),
        "author": { "name": c.author.name, "email": c.author.email },
        "time": c.author.time,
        "tz_offset_minutes": c.author.tz_offset_minutes,
        "message": c.message,
        "summary": c.summary.iter().map(|(p, s)| serde_json::json!({"path": p, "summary": s})).collect::<Vec<_>>(),
        "refs": refs.cloned().unwrap_or_default(),
    })
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    let start = match &args.rev {
        Some(r) => Some(repo.resolve(r)?),
        None => repo.head_commit()?,
    };
    let Some(start) = start else {
        if args.json {
            println!("[]");
            return Ok(());
        }
        return Err(
            CommandError::user("no commits yet").hint("make one with `daw commit -m MESSAGE`")
        );
    };
    let commits = walk_commits(&repo, &[start], args.max_count)?;
    let decorations = decorations(&repo)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let all: Vec<_> = commits
            .iter()
            .map(|(id, c)| commit_json(id, c, decorations.get(id)))
            .collect();
        serde_json::to_writer_pretty(&mut out, &all).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for (i, (id, c)) in commits.iter().enumerate() {
        let deco = decorations
            .get(id)
            .map(|d| format!(" ({})", d.join(", ")))
            .unwrap_or_default();
        let first = c.message.lines().next().unwrap_or("");
        // One set: its line alone; several: each with its file name.
        let several = c.summary.len() > 1;
        let summary = c
            .summary
            .iter()
            .map(|(path, s)| {
                if several {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    format!("{name}: {s}")
                } else {
                    s.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        if args.oneline {
            let summary = if summary.is_empty() {
                String::new()
            } else {
                format!(" [{summary}]")
            };
            writeln!(out, "{}{deco} {first}{summary}", id.short(12))?;
            continue;
        }
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "commit {id}{deco}")?;
        if c.parents.len() > 1 {
            let ps: Vec<String> = c.parents.iter().map(|p| p.short(12)).collect();
            writeln!(out, "Merge:  {}", ps.join(" "))?;
        }
        writeln!(out, "Author: {} <{}>", c.author.name, c.author.email)?;
        writeln!(
            out,
            "Date:   {}",
            format_time(c.author.time, c.author.tz_offset_minutes)
        )?;
        for (path, s) in &c.summary {
            writeln!(out, "Project: {path}: {s}")?;
        }
        writeln!(out)?;
        for line in c.message.lines() {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}
