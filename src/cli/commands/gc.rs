use std::io::Write;
use std::time::Duration;

use daw::repo::gc::{GcOptions, GcReport, PackLine, SweepReport};

use crate::cli::ui::{format_time, human_bytes};
use crate::cli::{CommandError, Context, local_offset_minutes, now};

/// Delete what nothing needs any more, and repack small packs into larger ones
///
/// Deletes the packs that no branch, tag, HEAD, remote-tracking branch or operation in the log
/// (`daw oplog`) needs, and copies what is still needed out of small or part-empty packs into larger
/// ones. In two phases, so that a commit, `daw watch`, a fetch or an export running meanwhile never
/// loses anything: a run marks what may go; a later run, once the mark is older than the grace
/// period, checks it again against everything written since and deletes it. So space comes back
/// at the first `daw gc` a day (--grace) after the one that marked it; --grace 0 does both at once,
/// for when nothing else uses the repository.
///
/// Every operation in the log keeps what it points to (a deleted branch can be made again from the
/// id `daw oplog` shows): --prune-oplog 30d first removes the operations older than 30 days (never
/// the last one, nor the one `daw undo` goes back to). Packs a remote holds are left as they are.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// List what would be deleted, marked and repacked; change nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// How long a mark waits before its packs are deleted, and how old a pack must be before it is
    /// marked (e.g. 24h, 90m, 7d, 0)
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = parse_age)]
    pub grace: Duration,

    /// First remove from the log the operations older than this (e.g. 30d, 12h; 0 keeps only the
    /// last operation and the one before it)
    #[arg(long, value_name = "OLDER_THAN", value_parser = parse_age)]
    pub prune_oplog: Option<Duration>,

    /// Print what was done as JSON
    #[arg(long)]
    pub json: bool,
}

/// `30s`, `90m`, `24h`, `7d`, `2w`, or plain seconds (`0`).
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (e.g. 24h, 30m, 7d, 0)"))?;
    let unit_secs = match unit {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(format!("'{text}': the unit must be s, m, h, d or w")),
    };
    value
        .checked_mul(unit_secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("'{text}' is too long"))
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let opts = GcOptions {
        dry_run: args.dry_run,
        grace: args.grace,
        prune_oplog: args.prune_oplog,
        op_now: now().0,
    };
    let report = repo.gc(&opts)?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    print_report(ctx, &report)?;
    Ok(())
}

/// `24h`, `90m`, `30s`: the grace period as it was given.
fn duration_text(secs: u64) -> String {
    match secs {
        0 => "0".into(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn when(secs: i64) -> String {
    format_time(secs, local_offset_minutes(secs))
}

fn pack_lines(ctx: &Context, lines: &[PackLine], why: &str) -> std::io::Result<()> {
    for l in lines {
        ctx.say(format_args!(
            "  pack {}  {:>9}  {why}",
            &l.pack[..12],
            human_bytes(l.bytes)
        ))?;
    }
    Ok(())
}

fn print_sweep(ctx: &Context, s: &SweepReport, would: bool, which: &str) -> std::io::Result<()> {
    if let Some(holder) = &s.postponed {
        return ctx.say(format_args!(
            "The repository stayed busy ({holder}): the marked packs are deleted by the next run."
        ));
    }
    ctx.say(format_args!(
        "{} {} pack(s), {}, {which}.",
        if would { "Would delete" } else { "Deleted" },
        s.deleted.len(),
        human_bytes(s.deleted_bytes)
    ))?;
    if would || ctx.verbose {
        pack_lines(ctx, &s.deleted, "")?;
    }
    if !s.kept.is_empty() {
        ctx.say(format_args!(
            "Kept {} marked pack(s): something written since the mark needs them.",
            s.kept.len()
        ))?;
    }
    Ok(())
}

fn print_report(ctx: &Context, r: &GcReport) -> Result<(), CommandError> {
    let would = r.dry_run;
    for n in &r.notes {
        crate::cli::ui::warn(n);
    }
    if r.pruned_operations > 0 {
        ctx.say(format_args!(
            "{} {} operation(s) from the log.",
            if would { "Would remove" } else { "Removed" },
            r.pruned_operations
        ))?;
    }
    if let Some(s) = &r.sweep {
        print_sweep(
            ctx,
            s,
            would,
            "marked by an earlier run, past the grace period",
        )?;
    }
    let m = &r.mark;
    let marked = m.dead.len() + m.repacked.len() + m.unindexed.len();
    if marked == 0 {
        ctx.say(format_args!(
            "Nothing to mark: every pack gc may look at is needed and full enough."
        ))?;
    } else {
        ctx.say(format_args!(
            "{} {marked} pack(s), {}, to delete after the grace period: {} nothing needs, {} repacked ({} {}), {} left by interrupted commands.",
            if would { "Would mark" } else { "Marked" },
            human_bytes(m.marked_bytes),
            m.dead.len(),
            m.repacked.len(),
            human_bytes(m.copied_bytes),
            if would {
                "to copy into new packs".to_string()
            } else {
                format!("copied into {} new pack(s)", m.written.len())
            },
            m.unindexed.len()
        ))?;
        if would || ctx.verbose {
            pack_lines(ctx, &m.dead, "nothing needs it")?;
            pack_lines(ctx, &m.repacked, "repacked")?;
            pack_lines(ctx, &m.unindexed, "unindexed")?;
        }
    }
    if m.young > 0 || m.on_remotes > 0 {
        ctx.say(format_args!(
            "Left alone: {} pack(s) younger than the grace period ({}), {} pack(s) a remote holds.",
            m.young,
            duration_text(r.grace_seconds),
            m.on_remotes
        ))?;
    }
    if r.partial_files > 0 {
        ctx.say(format_args!(
            "{} {} half-written file(s), {}, left by interrupted commands.",
            if would { "Would remove" } else { "Removed" },
            r.partial_files,
            human_bytes(r.partial_bytes)
        ))?;
    }
    if let Some(s) = &r.sweep_now {
        print_sweep(ctx, s, would, "marked just now (--grace 0)")?;
    }
    if !would {
        if let Some(next) = r.pending.iter().map(|p| p.sweep_after).min() {
            ctx.say(format_args!(
                "{} mark(s) waiting: run `daw gc` again after {} to delete what they name.",
                r.pending.len(),
                when(next)
            ))?;
        }
        ctx.say(format_args!(
            "Repository: {} → {}.",
            human_bytes(r.disk_before),
            human_bytes(r.disk_after)
        ))?;
    }
    Ok(())
}
