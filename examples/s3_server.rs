//! A real S3 protocol server over a folder (s3s-fs) on a loopback address, for benchmarks
//! (`../shared/bench/bench_remote.py --s3s-fs target/release/examples/s3_server`) and trying daw's
//! remotes by hand. The same server the tests start in-process (`tests/cli/common/s3.rs`).
//!
//! ```text
//! s3_server [--port N] [--access-key AK --secret-key SK] [--ignore-conditional] [--log-requests]
//!           [--host 127.0.0.1] ROOT
//! ```
//! Prints `listening on http://127.0.0.1:PORT`; each bucket is a folder under ROOT.
//! `--ignore-conditional` drops `If-Match` / `If-None-Match` before serving (as Garage 2.x behaves).
//! `--log-requests` prints `request METHOD PATH` per request. Without --access-key/--secret-key,
//! the tests' keys are used.

#[path = "../tests/cli/common/s3.rs"]
mod s3;

fn main() {
    let mut port = 0u16;
    let mut ignore = false;
    let mut log = false;
    let mut root = None;
    let mut access = s3::ACCESS_KEY.to_string();
    let mut secret = s3::SECRET_KEY.to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).expect("--port N"),
            "--ignore-conditional" => ignore = true,
            "--log-requests" => log = true,
            "--access-key" => access = args.next().expect("--access-key AK"),
            "--secret-key" => secret = args.next().expect("--secret-key SK"),
            // Always 127.0.0.1.
            "--host" => {
                let _ = args.next();
            }
            _ => root = Some(std::path::PathBuf::from(a)),
        }
    }
    let root = root.expect("usage: s3_server [options] ROOT");
    let mut server = s3::S3Server::start_with_keys(&root, ignore, &access, &secret);
    if log {
        server = server.with_request_log();
    }
    if port != 0 && server.port != port {
        server.stop();
        server.port = port;
        server.restart();
    }
    println!("listening on {}", server.endpoint());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
