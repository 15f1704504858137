use daw::remote::{Contents, RemoteSettings};

use crate::cli::commands::sync::remote_failure;
use crate::cli::{CommandError, Context, remote_env};

/// Add a remote, after checking it
///
/// URL: s3://BUCKET[/PREFIX] for an S3-compatible store, file:///PATH or a plain path for a folder
/// (a USB disk or NAS mount). daw looks at the store before adding it: that it is reachable, that
/// the credentials work and the bucket exists, what it holds (nothing yet, this repository, or
/// something else: refused), and whether it honours conditional writes.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The remote's name (e.g. origin, studio, nas)
    pub name: String,
    /// s3://BUCKET[/PREFIX], file:///PATH or a path
    pub url: String,
    /// The S3 endpoint of a store other than AWS (https://…; http:// for a local server)
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The S3 region (default: AWS_REGION, the profile's, or us-east-1)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Address the bucket as ENDPOINT/BUCKET (MinIO, Garage, Ceph and most local servers)
    #[arg(long)]
    pub path_style: bool,
    /// Accept a plain-HTTP endpoint on another machine (a trusted network only)
    #[arg(long)]
    pub allow_http: bool,
    /// Print what was found as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    daw::remote::validate_name(&args.name).map_err(|e| CommandError::user(e.to_string()))?;
    if let Some(e) = &args.endpoint {
        remote_env::check_endpoint(e, args.allow_http)?;
    }
    let url = absolute_url(&args.url)?;
    let mut settings = RemoteSettings {
        url,
        endpoint: args.endpoint.clone(),
        region: args.region.clone(),
        path_style: args.path_style,
        allow_http: args.allow_http,
        conditional_writes: None,
    };
    remote_env::create_local(&settings)?;
    let backend = remote_env::open(&settings)?;
    let found =
        daw::remote::probe(&backend).map_err(|e| remote_failure(e.into(), &settings.url))?;
    let ours = repo.config().repository_id()?;
    let holds = match &found.contents {
        Contents::Empty => "empty: the first push will set it up".to_string(),
        Contents::Daw { repository_id } if *repository_id == ours => {
            "this repository's history".to_string()
        }
        Contents::Daw { .. } => {
            return Err(CommandError::user(format!(
                "{} holds another daw repository",
                settings.url
            ))
            .hint("use another bucket or prefix (s3://BUCKET/PREFIX) for this project"));
        }
        Contents::Foreign => {
            return Err(CommandError::user(format!(
                "{} already holds files that are not a daw repository",
                settings.url
            ))
            .hint("use an empty bucket, or a prefix of its own (s3://BUCKET/my-album)"));
        }
    };
    settings.conditional_writes = Some(found.conditional_writes);
    repo.add_remote(&args.name, settings.clone())?;
    if args.json {
        let v = serde_json::json!({
            "name": args.name,
            "url": settings.url,
            "contents": match found.contents { Contents::Empty => "empty", Contents::Daw { .. } => "this repository", Contents::Foreign => "other" },
            "conditional_writes": found.conditional_writes,
        });
        println!("{v}");
        return Ok(());
    }
    ctx.say(format_args!(
        "Added remote '{}' ({}): reachable, {holds}; conditional writes {}.",
        args.name,
        settings.url,
        if found.conditional_writes {
            "honoured"
        } else {
            "not honoured (daw stays safe without them)"
        }
    ))?;
    Ok(())
}

/// A plain path is kept absolute, so the remote still works from another folder.
pub fn absolute_url(url: &str) -> Result<String, CommandError> {
    if url.contains("://") {
        return Ok(url.to_string());
    }
    let p = std::path::absolute(url).map_err(|e| CommandError::user(format!("{url}: {e}")))?;
    p.to_str()
        .map(str::to_string)
        .ok_or_else(|| CommandError::user(format!("{url}: the path is not valid UTF-8")))
}
