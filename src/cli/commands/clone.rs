use std::path::PathBuf;

use daw::remote::RemoteSettings;
use daw::repo::Repository;
use daw::repo::sync::CloneOptions;

use crate::cli::commands::remote::absolute_url;
use crate::cli::commands::sync::{bar, remote_failure};
use crate::cli::remote_env::CheckoutBar;
use crate::cli::{CommandError, Context, passphrase, remote_env, ui};

/// Make a new project folder from a remote
///
/// Asks for the repository's passphrase (the key slots travel with the remote), downloads the
/// history and checks out the remote's default branch (or --branch). The remote is called origin.
/// An interrupted clone is completed by running the same command again: what was downloaded is kept.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// s3://BUCKET[/PREFIX], file:///PATH or a path
    pub url: String,
    /// The folder to create (default: the last part of the URL)
    pub dir: Option<PathBuf>,
    /// The S3 endpoint of a store other than AWS
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The S3 region
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Address the bucket as ENDPOINT/BUCKET
    #[arg(long)]
    pub path_style: bool,
    /// Accept a plain-HTTP endpoint on another machine
    #[arg(long)]
    pub allow_http: bool,
    /// The branch to check out
    #[arg(short, long)]
    pub branch: Option<String>,
    /// Print what was cloned as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    if let Some(e) = &args.endpoint {
        remote_env::check_endpoint(e, args.allow_http)?;
    }
    let url = absolute_url(&args.url)?;
    let dir = match &args.dir {
        Some(d) => ctx.cwd.join(d),
        None => {
            let last = url
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| CommandError::user("name the folder to clone into"))?;
            ctx.cwd.join(last)
        }
    };
    let settings = RemoteSettings {
        url: url.clone(),
        endpoint: args.endpoint.clone(),
        region: args.region.clone(),
        path_style: args.path_style,
        allow_http: args.allow_http,
        // Found at the first push: a clone only reads (read-only credentials can clone).
        conditional_writes: None,
    };
    let backend = remote_env::open(&settings)?;
    let pass = passphrase(false)?;
    let bar = bar(ctx, args.json);
    let progress = daw::remote::Progress {
        start: &|b, o| bar.start(b, o),
        step: &|b| bar.step(b),
    };
    let opts = CloneOptions {
        work_tree: dir.clone(),
        remote_name: "origin".into(),
        settings,
        branch: args.branch.clone(),
        meta: ctx.op_meta(None),
    };
    let mut files = CheckoutBar::new(&bar, ctx.quiet, args.json);
    let result = Repository::clone_from(&backend, pass.as_bytes(), opts, &progress, &mut files);
    files.finish();
    bar.finish();
    let (repo, fetched, checkout) = result.map_err(|e| remote_failure(e, &url))?;
    if args.json {
        let v = serde_json::json!({
            "path": repo.work_tree().display().to_string(),
            "head": checkout.new_commit.map(|c| c.to_hex()),
            "packs": fetched.packs,
            "bytes": fetched.bytes,
            "files": checkout.files.written.len(),
        });
        println!("{v}");
        return Ok(());
    }
    ctx.say(format_args!(
        "Cloned {url} into {}: {} in {} pack(s), {} file(s) checked out.",
        repo.work_tree().display(),
        ui::human_bytes(fetched.bytes),
        fetched.packs,
        checkout.files.written.len()
    ))?;
    Ok(())
}
