use std::io::Write;

use daw::repo::ops::{Head, Operation, RefTable};

use crate::cli::ui::{Color, format_time};
use crate::cli::{CommandError, Context};

/// Show the operation log: every change to branches, tags, HEAD and the files daw rewrote
///
/// Newest first: when, who, the command line, what it did, and the refs before → after. The log is
/// append-only and encrypted like everything else in the repository; `daw undo` reverts its last
/// entry.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Show at most N operations
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    pub max_count: Option<usize>,

    /// Print as JSON (an array, newest first)
    #[arg(long)]
    pub json: bool,
}

fn head_label(h: &Head) -> String {
    match h {
        Head::Branch(b) => b.clone(),
        Head::Detached(id) => format!("{} (detached)", id.short(12)),
    }
}

/// One line per ref that differs between two tables: `HEAD: main → mix`, `main: 1a2b… → 3c4d…`,
/// `+ branch mix at 1a2b…`, `- tag v1 (was 1a2b…)`.
pub fn ref_changes(before: Option<&RefTable>, after: &RefTable) -> Vec<String> {
    let mut out = Vec::new();
    let empty = RefTable::new("");
    let b = before.unwrap_or(&empty);
    if before.is_some() && b.head != after.head {
        out.push(format!(
            "HEAD: {} → {}",
            head_label(&b.head),
            head_label(&after.head)
        ));
    }
    for (name, id) in &after.branches {
        match b.branches.get(name) {
            None => out.push(format!("+ branch {name} at {}", id.short(12))),
            Some(old) if old != id => {
                out.push(format!("{name}: {} → {}", old.short(12), id.short(12)))
            }
            Some(_) => {}
        }
    }
    for (name, id) in &b.branches {
        if !after.branches.contains_key(name) {
            out.push(format!("- branch {name} (was {})", id.short(12)));
        }
    }
    for (name, t) in &after.tags {
        match b.tags.get(name) {
            None => out.push(format!("+ tag {name} at {}", t.target.short(12))),
            Some(old) if old.target != t.target => out.push(format!(
                "tag {name}: {} → {}",
                old.target.short(12),
                t.target.short(12)
            )),
            Some(_) => {}
        }
    }
    for (name, t) in &b.tags {
        if !after.tags.contains_key(name) {
            out.push(format!("- tag {name} (was {})", t.target.short(12)));
        }
    }
    out
}

fn refs_json(r: &RefTable) -> serde_json::Value {
    serde_json::json!({
        "head": match &r.head {
            Head::Branch(b) => serde_json::json!({"branch": b}),
            Head::Detached(id) => serde_json::json!({"detached": id.to_hex()}),
        },
        "branches": r.branches.iter().map(|(n, id)| (n.clone(), serde_json::json!(id.to_hex())))
            .collect::<serde_json::Map<_, _>>(),
        "tags": r.tags.iter().map(|(n, t)| (n.clone(), serde_json::json!({
            "commit": t.target.to_hex(), "message": t.message })))
            .collect::<serde_json::Map<_, _>>(),
    })
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    // One more than shown, for the "before" refs of the oldest one shown.
    let log = repo.op_log(args.max_count.map(|n| n + 1))?;
    let shown = args.max_count.unwrap_or(log.len()).min(log.len());
    let before_of = |i: usize| -> Result<Option<Operation>, CommandError> {
        let (_, op) = &log[i];
        Ok(match op.parents.first() {
            None => None,
            Some(p) => match log.get(i + 1) {
                Some((id, prev)) if id == p => Some(prev.clone()),
                _ => repo.op_parent(op)?.map(|(_, prev)| prev),
            },
        })
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut all = Vec::new();
        for (i, (id, op)) in log.iter().enumerate().take(shown) {
            let before = before_of(i)?;
            all.push(serde_json::json!({
                "id": id.to_hex(),
                "parents": op.parents.iter().map(|p| p.to_hex()).collect::<Vec<_>>(),
                "time": op.meta.time,
                "tz_offset_minutes": op.meta.tz_offset_minutes,
                "user": op.meta.user,
                "hostname": op.meta.hostname,
                "command": op.meta.command,
                "description": op.description,
                "undoes": op.undoes.map(|u| u.to_hex()),
                "refs_before": before.as_ref().map(|b| refs_json(&b.refs)),
                "refs_after": refs_json(&op.refs),
                "changes": ref_changes(before.as_ref().map(|b| &b.refs), &op.refs),
                "work_tree": op.work_tree.as_ref().map(|w| serde_json::json!({
                    "from": w.from.map(|t| t.to_hex()),
                    "to": w.to.map(|t| t.to_hex()),
                    "paths": w.paths,
                })),
            }));
        }
        serde_json::to_writer_pretty(&mut out, &all).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for (i, (id, op)) in log.iter().enumerate().take(shown) {
        let before = before_of(i)?;
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {}  {}  {}",
            ctx.paint(Color::Yellow, "op"),
            ctx.paint(Color::Yellow, &id.short(12)),
            format_time(op.meta.time, op.meta.tz_offset_minutes),
            op.meta.user
        )?;
        writeln!(out, "    {}", ctx.paint(Color::Bold, &op.description))?;
        writeln!(out, "    $ {}", op.meta.command)?;
        if before.is_none() && !op.parents.is_empty() {
            // The operations before this one were pruned (`daw gc --prune-oplog`).
            writeln!(out, "    (the log before this operation was pruned)")?;
        } else {
            for line in ref_changes(before.as_ref().map(|b| &b.refs), &op.refs) {
                writeln!(out, "    {line}")?;
            }
        }
        if let Some(w) = &op.work_tree {
            let scope = if w.paths.is_empty() {
                "the project's files".to_string()
            } else {
                w.paths.join(", ")
            };
            writeln!(out, "    files: rewrote {scope}")?;
        }
    }
    Ok(())
}
