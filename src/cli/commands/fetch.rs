use crate::cli::commands::sync::{bar, open_remote, pick_remote, remote_failure};
use crate::cli::{CommandError, Context, ui};

/// Download what a remote has and this repository lacks
///
/// Moves the remote-tracking branches (origin/main…) and adds the remote's tags; your own branches
/// and files are not touched (`daw pull` does that). Reports a remote that serves an older state
/// than this repository has already seen there (a rollback), and branches that two pushes moved two
/// ways (a divergence).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The remote (default: origin, or the only one)
    pub remote: Option<String>,
    /// Print what was fetched as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    let name = pick_remote(&repo, args.remote.as_deref())?;
    let (backend, url) = open_remote(&repo, &name)?;
    let bar = bar(ctx, args.json);
    let progress = daw::remote::Progress {
        start: &|b, o| bar.start(b, o),
        step: &|b| bar.step(b),
    };
    let result = repo.fetch(&name, &backend, &progress);
    bar.finish();
    let report = result.map_err(|e| remote_failure(e, &url))?;
    print_fetch(ctx, &name, &report, args.json)
}

pub fn print_fetch(
    ctx: &Context,
    name: &str,
    report: &daw::remote::FetchReport,
    json: bool,
) -> Result<(), CommandError> {
    if json {
        let v = serde_json::json!({
            "remote": name,
            "operations": report.state.new_ops.len(),
            "packs": report.packs,
            "bytes": report.bytes,
            "branches": report.state.refs.branches.iter().map(|(b, t)| (b.clone(), t.targets.iter().map(|i| i.to_hex()).collect::<Vec<_>>())).collect::<std::collections::BTreeMap<_, _>>(),
            "diverged": report.state.diverged().iter().map(|(b, _)| b.to_string()).collect::<Vec<_>>(),
        });
        println!("{v}");
        return Ok(());
    }
    for (b, targets) in report.state.diverged() {
        let list: Vec<String> = targets.iter().map(|t| t.short(12)).collect();
        ui::warn(&format!(
            "the remote's '{b}' has diverged: two pushes moved it to {} (pull to see both, then keep one with `daw push --force`)",
            list.join(" and ")
        ));
    }
    if report.keys.local_added + report.keys.local_removed > 0 {
        ctx.say(format_args!(
            "Key slots from '{name}': {} added, {} removed.",
            report.keys.local_added, report.keys.local_removed
        ))?;
    }
    if report.packs == 0 && report.state.new_ops.is_empty() {
        ctx.say(format_args!("'{name}' has nothing new."))?;
    } else {
        ctx.say(format_args!(
            "Fetched from '{name}': {} in {} pack(s), {} new operation(s).",
            ui::human_bytes(report.bytes),
            report.packs,
            report.state.new_ops.len()
        ))?;
    }
    Ok(())
}
