use std::io::Write;

use daw::repo::stats::{ByKind, Stats, StatsScope};

use crate::cli::ui::human_bytes;
use crate::cli::{CommandError, Context};

/// Show where the bytes are: sizes, savings, and what each branch keeps
///
/// For a commit (HEAD, or REV) and its history (the commit and its ancestors; with --all, everything
/// the repository keeps: every branch, tag, remote-tracking branch and operation in the log): the
/// files as they are, by kind (sets, audio, other); what storing them costs, file data and folders
/// apart; what deduplication, storing sets as their XML and compression saved; and what each branch
/// or tag alone keeps (what deleting it would free once the operation log no longer holds it). Then
/// the repository on disk: packs, index files, operations, blocks, and what `daw gc` could free.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The commit (HEAD, a branch, a tag, an id prefix, REV~N); default HEAD
    #[arg(value_name = "REV", conflicts_with = "all")]
    pub rev: Option<String>,

    /// Cover everything the repository keeps, not one commit's history
    #[arg(long)]
    pub all: bool,

    /// Print the figures as JSON (bytes as integers)
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let scope = match (&args.rev, args.all) {
        (_, true) => StatsScope::All,
        // Before the first commit there is no history, only the repository.
        (None, false) if repo.head_commit()?.is_none() => StatsScope::All,
        (rev, false) => {
            let rev = rev.clone().unwrap_or_else(|| "HEAD".into());
            let id = repo.resolve(&rev)?;
            StatsScope::Commit(rev, id)
        }
    };
    let stats = repo.stats(&scope)?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &stats).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    print(ctx, &stats)?;
    Ok(())
}

fn kinds(k: &ByKind) -> String {
    let one = |name: &str, f: &daw::repo::stats::Files| {
        format!("{name} {} file(s), {}", f.files, human_bytes(f.bytes))
    };
    format!(
        "{} · {} · {}",
        one("sets", &k.sets),
        one("audio", &k.audio),
        one("other", &k.other)
    )
}

fn signed(n: i64) -> String {
    if n < 0 {
        format!("−{}", human_bytes(n.unsigned_abs()))
    } else {
        human_bytes(n as u64)
    }
}

fn print(ctx: &Context, s: &Stats) -> std::io::Result<()> {
    if let Some(snap) = &s.snapshot {
        let label = if s.scope == "all" { "HEAD" } else { &s.scope };
        let id = snap.commit.as_deref().map_or("", |c| &c[..12]);
        ctx.say(format_args!(
            "{label} ({id}): {} file(s), {}",
            snap.files,
            human_bytes(snap.bytes)
        ))?;
        ctx.say(format_args!("  {}", kinds(&snap.by_kind)))?;
        ctx.say(format_args!(""))?;
    }
    let h = &s.history;
    let what = if s.scope == "all" {
        "Everything the repository keeps".to_string()
    } else {
        format!("History of {}", s.scope)
    };
    let extra = if h.other_snapshots > 0 {
        format!(" and {} snapshot(s) kept for undo", h.other_snapshots)
    } else {
        String::new()
    };
    let files = h.as_files.total();
    ctx.say(format_args!(
        "{what}: {} commit(s){extra}, {} file version(s), {} as files ({} distinct file(s), {})",
        h.commits,
        files.files,
        human_bytes(files.bytes),
        h.distinct_files.files,
        human_bytes(h.distinct_files.bytes)
    ))?;
    ctx.say(format_args!("  {}", kinds(&h.as_files)))?;
    let ratio = if h.stored_bytes > 0 {
        format!(
            " ({:.1}× smaller)",
            files.bytes as f64 / h.stored_bytes as f64
        )
    } else {
        String::new()
    };
    ctx.say(format_args!(
        "  stored: {} in all{ratio}: file data {} in {} block(s), content lists {}, folders {}, commits {}",
        human_bytes(h.stored_bytes),
        human_bytes(h.chunks.bytes),
        h.chunks.count,
        human_bytes(h.content_nodes.bytes),
        human_bytes(h.folders.bytes),
        human_bytes(h.commit_blocks.bytes)
    ))?;
    ctx.say(format_args!(
        "  file data stored, by kind: sets {} · audio {} · other {}",
        human_bytes(h.stored_by_kind.sets.bytes),
        human_bytes(h.stored_by_kind.audio.bytes),
        human_bytes(h.stored_by_kind.other.bytes)
    ))?;
    ctx.say(format_args!(
        "  saved by deduplication {} · by storing sets as XML {} · by compression {}",
        signed(h.savings.dedup),
        signed(h.savings.sets_as_xml),
        signed(h.savings.compression)
    ))?;
    if !s.exclusive.is_empty() {
        ctx.say(format_args!(""))?;
        ctx.say(format_args!("Kept by one branch or tag alone:"))?;
        let width = s
            .exclusive
            .iter()
            .map(|e| e.holder.len())
            .max()
            .unwrap_or(0);
        for e in &s.exclusive {
            ctx.say(format_args!(
                "  {:width$}  {:>9}",
                e.holder,
                human_bytes(e.stored_bytes)
            ))?;
        }
    }
    let r = &s.repository;
    ctx.say(format_args!(""))?;
    ctx.say(format_args!(
        "Repository: {} on disk",
        human_bytes(r.disk_bytes)
    ))?;
    ctx.say(format_args!(
        "  packs: {} of file data ({}), {} of metadata ({}){}",
        r.data_packs.count,
        human_bytes(r.data_packs.bytes),
        r.metadata_packs.count,
        human_bytes(r.metadata_packs.bytes),
        if r.unindexed_packs.count > 0 {
            format!(
                ", {} left by interrupted commands ({})",
                r.unindexed_packs.count,
                human_bytes(r.unindexed_packs.bytes)
            )
        } else {
            String::new()
        }
    ))?;
    ctx.say(format_args!(
        "  index files: {} ({}) · operations: {} ({})",
        r.index_files.count,
        human_bytes(r.index_files.bytes),
        r.operations.count,
        human_bytes(r.operations.bytes)
    ))?;
    ctx.say(format_args!(
        "  blocks: {} chunks, {} content lists, {} folders, {} commits",
        r.chunks.count, r.content_nodes.count, r.folders.count, r.commits.count
    ))?;
    if r.unreachable_bytes > 0 || r.oplog_only_bytes > 0 {
        ctx.say(format_args!(
            "  nothing keeps {} (`daw gc` removes it); only the operation log keeps {} (`daw gc --prune-oplog`)",
            human_bytes(r.unreachable_bytes),
            human_bytes(r.oplog_only_bytes)
        ))?;
    }
    Ok(())
}
