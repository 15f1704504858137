use std::io::Write;

use crate::cli::{CommandError, Context, ui};

/// List the key slots: id, kind, label, when it was made, and its key derivation cost
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    let slots = repo.key_slots()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let list: Vec<_> = slots
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id,
                    "kind": s.kind.name(),
                    "label": s.label,
                    "created": s.created,
                    "version": s.version,
                    "kdf": {
                        "algorithm": "argon2id",
                        "memory_kib": s.params.memory_kib,
                        "iterations": s.params.iterations,
                        "parallelism": s.params.parallelism,
                    },
                    "in_use": s.in_use,
                    "problem": s.problem,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(list))?;
        return Ok(());
    }
    for s in &slots {
        let created = if s.created > 0 {
            ui::format_time(s.created, crate::cli::local_offset_minutes(s.created))
        } else {
            "-".into()
        };
        let mut line = format!(
            "{}  {:<10}  {:<16}  {}  argon2id m={} KiB t={} p={}",
            s.id,
            s.kind.name(),
            super::label_or_dash(&s.label),
            created,
            s.params.memory_kib,
            s.params.iterations,
            s.params.parallelism
        );
        if s.in_use {
            line.push_str("  (in use)");
        }
        if let Some(p) = &s.problem {
            line.push_str(&format!("  ({})", ctx.paint(ui::Color::Red, p)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
