//! Opening a remote's store: credentials, region and endpoint the way every S3 tool reads them
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` /
//! `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`, `AWS_PROFILE` with `~/.aws/credentials` and
//! `~/.aws/config`), never written into the repository; plain HTTP only to a loopback address or
//! when the user allowed it; and a transfer progress bar.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use daw::remote::RemoteSettings;
use daw::store::Backend;
use daw::store::backend::{BackendUrl, S3Options};

use crate::cli::CommandError;

/// Opens the store a remote's settings name.
pub fn open(settings: &RemoteSettings) -> Result<Backend, CommandError> {
    let url = BackendUrl::parse(&settings.url).map_err(|e| {
        CommandError::user(e).hint("remote URLs: s3://BUCKET[/PREFIX], file:///PATH or a path")
    })?;
    let s3 = match &url {
        BackendUrl::S3 { .. } => s3_options(settings)?,
        BackendUrl::Local(p) => {
            if !p.is_dir() {
                return Err(CommandError::user(format!(
                    "{} is not a folder (is the disk mounted?)",
                    p.display()
                )));
            }
            S3Options::default()
        }
        BackendUrl::Memory(_) => S3Options::default(),
    };
    Backend::open(&url, &s3).map_err(|e| {
        CommandError::user(format!("cannot open {}: {e}", settings.url))
            .hint("check the URL, the endpoint (--endpoint) and the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_PROFILE)")
    })
}

/// Makes a local folder remote's folder (for `daw remote add` and a first push to a new disk).
pub fn create_local(settings: &RemoteSettings) -> Result<(), CommandError> {
    if let Ok(BackendUrl::Local(p)) = BackendUrl::parse(&settings.url)
        && !p.exists()
    {
        std::fs::create_dir_all(&p)
            .map_err(|e| CommandError::user(format!("cannot create {}: {e}", p.display())))?;
    }
    Ok(())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn s3_options(settings: &RemoteSettings) -> Result<S3Options, CommandError> {
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let home = super::home_dir();
    let credentials_file = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws/credentials")));
    let config_file = env("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws/config")));
    let creds = credentials_file
        .as_ref()
        .map(|p| ini_section(p, &profile))
        .unwrap_or_default();
    let config_section = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    let conf = config_file
        .as_ref()
        .map(|p| ini_section(p, &config_section))
        .unwrap_or_default();
    let from_files = |key: &str| creds.get(key).or_else(|| conf.get(key)).cloned();

    let (access_key_id, secret_access_key, session_token) =
        match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            (Some(k), Some(s)) => (Some(k), Some(s), env("AWS_SESSION_TOKEN")),
            _ => (
                from_files("aws_access_key_id"),
                from_files("aws_secret_access_key"),
                from_files("aws_session_token"),
            ),
        };
    let endpoint = settings
        .endpoint
        .clone()
        .or_else(|| env("AWS_ENDPOINT_URL_S3"))
        .or_else(|| env("AWS_ENDPOINT_URL"))
        .or_else(|| conf.get("endpoint_url").cloned());
    let region = settings
        .region
        .clone()
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| conf.get("region").cloned());
    let mut allow_http = false;
    if let Some(e) = &endpoint {
        check_endpoint(e, settings.allow_http)?;
        allow_http = e.starts_with("http://");
    }
    let timeout = env("DAW_REMOTE_TIMEOUT")
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs);
    Ok(S3Options {
        endpoint,
        region,
        path_style: settings.path_style,
        allow_http,
        access_key_id,
        secret_access_key,
        session_token,
        request_timeout: timeout,
        retry_for: timeout,
    })
}

/// Plain HTTP sends the (encrypted) objects and the request signatures in the clear: accepted for
/// loopback addresses, and elsewhere only when asked for.
pub fn check_endpoint(endpoint: &str, allow_http: bool) -> Result<(), CommandError> {
    if let Some(rest) = endpoint.strip_prefix("http://") {
        if allow_http || is_loopback(rest) {
            return Ok(());
        }
        return Err(
            CommandError::user(format!("{endpoint} is plain HTTP to another machine"))
                .hint("use https://, or add --allow-http if this network is trusted"),
        );
    }
    if endpoint.starts_with("https://") {
        return Ok(());
    }
    Err(CommandError::user(format!(
        "{endpoint}: the endpoint must start with https:// (or http:// for a local server)"
    )))
}

fn is_loopback(host_and_path: &str) -> bool {
    let authority = host_and_path.split('/').next().unwrap_or("");
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The keys of one `[section]` of an AWS-style INI file.
fn ini_section(path: &PathBuf, section: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return out;
    };
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == section;
            continue;
        }
        if inside && let Some((k, v)) = line.split_once('=') {
            out.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    out
}

/// A transfer's progress bar (bytes, objects, rate, ETA) on a terminal; nothing otherwise.
pub struct TransferBar {
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
}

impl TransferBar {
    pub fn new(quiet: bool, json: bool) -> Self {
        Self {
            bar: Mutex::new(None),
            enabled: !quiet && !json && std::io::stderr().is_terminal(),
        }
    }

    pub fn start(&self, bytes: u64, objects: u64) {
        if !self.enabled || objects == 0 {
            return;
        }
        let bar = ProgressBar::new(bytes);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {{bytes}}/{{total_bytes}} in {objects} objects {{wide_bar}} {{bytes_per_sec}} eta {{eta}}"
            ))
            .expect("valid template"),
        );
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    pub fn step(&self, bytes: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some(b) = b.as_ref()
        {
            b.inc(bytes);
        }
    }

    pub fn finish(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(b) = b.take()
        {
            b.finish_and_clear();
        }
    }
}

/// The progress of the check-out that ends a clone or a pull: the transfer's bar is cleared when the
/// files start to be written, and the same display as `switch` follows (on a terminal only).
pub struct CheckoutBar<'a> {
    transfer: &'a TransferBar,
    files: super::ui::Progress,
}

impl<'a> CheckoutBar<'a> {
    pub fn new(transfer: &'a TransferBar, quiet: bool, json: bool) -> Self {
        Self {
            transfer,
            files: super::ui::Progress::new(quiet || json),
        }
    }

    pub fn finish(&mut self) {
        self.files.finish();
    }
}

impl daw::repo::snapshot::Progress for CheckoutBar<'_> {
    fn start(&mut self, total_bytes: u64) {
        self.transfer.finish();
        self.files.start(total_bytes);
    }
    fn advance(&mut self, bytes: u64) {
        self.files.advance(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback_or_when_allowed() {
        assert!(check_endpoint("http://127.0.0.1:9000", false).is_ok());
        assert!(check_endpoint("http://localhost:9000/", false).is_ok());
        assert!(check_endpoint("http://[::1]:9000", false).is_ok());
        assert!(check_endpoint("http://nas.local:9000", false).is_err());
        assert!(check_endpoint("http://nas.local:9000", true).is_ok());
        assert!(check_endpoint("https://s3.example.com", false).is_ok());
        assert!(check_endpoint("ftp://x", true).is_err());
    }

    #[test]
    fn reads_an_aws_profile() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("credentials");
        std::fs::write(
            &p,
            "[default]\naws_access_key_id = A\n\n[studio]\naws_access_key_id=B\naws_secret_access_key = S\n",
        )
        .unwrap();
        assert_eq!(
            ini_section(&p, "studio").get("aws_access_key_id").unwrap(),
            "B"
        );
        assert_eq!(
            ini_section(&p, "default").get("aws_access_key_id").unwrap(),
            "A"
        );
        assert!(ini_section(&p, "none").is_empty());
    }
}
