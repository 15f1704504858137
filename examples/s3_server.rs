//! A real S3 protocol server over a folder (s3s-fs), for daw's tests and benchmarks, on a loopback
//! address. Not a mock: requests are signed, parsed and served as S3 does.
//!
//! ```text
//! s3_server [--host 127.0.0.1] [--port 0] [--access-key AK --secret-key SK]
//!           [--ignore-conditional] [--log-requests] ROOT
//! ```
//! Prints `listening on http://HOST:PORT` once it accepts connections. `--ignore-conditional` drops
//! `If-Match` / `If-None-Match` from every request before it is served, as Garage 2.x was measured to
//! do (it accepts them and overwrites anyway): daw must stay safe on such a store.
//! `--log-requests` prints `request METHOD PATH` for each request (the benchmark counts them).
//! Each bucket is a folder under ROOT (create it before use).

use std::io::Write;
use std::path::PathBuf;

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;

struct Opts {
    host: String,
    port: u16,
    access_key: Option<String>,
    secret_key: Option<String>,
    ignore_conditional: bool,
    log_requests: bool,
    root: PathBuf,
}

fn parse() -> Opts {
    let mut o = Opts {
        host: "127.0.0.1".into(),
        port: 0,
        access_key: None,
        secret_key: None,
        ignore_conditional: false,
        log_requests: false,
        root: PathBuf::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--host" => o.host = args.next().expect("--host HOST"),
            "--port" => o.port = args.next().and_then(|p| p.parse().ok()).expect("--port N"),
            "--access-key" => o.access_key = args.next(),
            "--secret-key" => o.secret_key = args.next(),
            "--ignore-conditional" => o.ignore_conditional = true,
            "--log-requests" => o.log_requests = true,
            _ => o.root = PathBuf::from(a),
        }
    }
    assert!(
        !o.root.as_os_str().is_empty(),
        "usage: s3_server [options] ROOT"
    );
    o
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let o = parse();
    std::fs::create_dir_all(&o.root).expect("create the root folder");
    let fs = s3s_fs::FileSystem::new(&o.root).expect("open the root folder");
    let mut b = S3ServiceBuilder::new(fs);
    if let (Some(ak), Some(sk)) = (o.access_key.clone(), o.secret_key.clone()) {
        b.set_auth(SimpleAuth::from_single(ak, sk));
    }
    let service = b.build();
    let listener = TcpListener::bind((o.host.as_str(), o.port))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local address");
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    let ignore = o.ignore_conditional;
    let log = o.log_requests;
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        let service = service.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                if ignore {
                    req.headers_mut().remove("if-match");
                    req.headers_mut().remove("if-none-match");
                }
                if log {
                    println!("request {} {}", req.method(), req.uri().path());
                }
                hyper::service::Service::call(&service, req)
            });
            let _ = ConnBuilder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(socket), svc)
                .await;
        });
    }
}
