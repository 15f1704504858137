//! A real S3 protocol server (s3s-fs over a folder) run in the test process on 127.0.0.1: requests
//! are signed, parsed and served as S3 does; nothing of object_store is mocked. It can be stopped
//! (every connection dropped, as when a server dies) and started again on the same port, and it
//! can ignore conditional writes, as Garage 2.x was measured to do (it accepts `If-None-Match` /
//! `If-Match` and overwrites anyway). Shared with `examples/s3_server.rs` (the benchmark's server).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::SimpleAuth;
use s3s::dto::{CompleteMultipartUploadInput, PutObjectInput};
use s3s::service::S3ServiceBuilder;
use s3s::{S3Request, S3Result};

pub const ACCESS_KEY: &str = "daw-test-access-key";
pub const SECRET_KEY: &str = "daw-test-secret-key-0123456789";

pub struct S3Server {
    rt: Option<tokio::runtime::Runtime>,
    pub port: u16,
    pub root: PathBuf,
    pub ignore_conditional: bool,
    /// Requests served since the server started.
    pub requests: Arc<AtomicU64>,
    log_requests: bool,
    keys: (String, String),
}

impl S3Server {
    /// Starts a server over `root` (each bucket is a folder in it) on a free loopback port.
    pub fn start(root: &Path, ignore_conditional: bool) -> Self {
        Self::start_with_keys(root, ignore_conditional, ACCESS_KEY, SECRET_KEY)
    }

    /// [`S3Server::start`] with other credentials.
    pub fn start_with_keys(
        root: &Path,
        ignore_conditional: bool,
        access: &str,
        secret: &str,
    ) -> Self {
        let mut s = Self {
            keys: (access.to_string(), secret.to_string()),
            rt: None,
            port: 0,
            root: root.to_path_buf(),
            ignore_conditional,
            requests: Arc::new(AtomicU64::new(0)),
            log_requests: false,
        };
        s.run();
        s
    }

    pub fn with_request_log(mut self) -> Self {
        self.stop();
        self.log_requests = true;
        self.run();
        self
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a bucket (a folder).
    pub fn bucket(&self, name: &str) {
        std::fs::create_dir_all(self.root.join(name)).unwrap();
    }

    /// Kills the server: every connection and request in flight is dropped.
    pub fn stop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }

    fn run(&mut self) {
        std::fs::create_dir_all(&self.root).unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let fs = s3s_fs::FileSystem::new(&self.root).unwrap();
        let mut b = S3ServiceBuilder::new(fs);
        b.set_auth(SimpleAuth::from_single(
            self.keys.0.as_str(),
            self.keys.1.as_str(),
        ));
        if self.ignore_conditional {
            b.set_access(IgnoreConditions);
        }
        let service = b.build();
        let want = self.port;
        // The port may still be held for a moment after a stop.
        let listener = rt.block_on(async {
            for _ in 0..100 {
                match tokio::net::TcpListener::bind(("127.0.0.1", want)).await {
                    Ok(l) => return l,
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                }
            }
            panic!("cannot bind 127.0.0.1:{want}");
        });
        self.port = listener.local_addr().unwrap().port();
        let log = self.log_requests;
        let requests = self.requests.clone();
        let conditional = std::sync::Arc::new(tokio::sync::Mutex::new(()));
        rt.spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                // As S3 services do: without it, a response written in two pieces waits for the
                // client's delayed acknowledgement, 40 ms per request.
                let _ = socket.set_nodelay(true);
                let service = service.clone();
                let requests = requests.clone();
                let conditional = conditional.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        requests.fetch_add(1, Ordering::SeqCst);
                        if log {
                            println!("request {} {}", req.method(), req.uri().path());
                        }
                        // s3s-fs checks `If-None-Match`/`If-Match` and then writes, so two
                        // simultaneous create-only writes of one key can both succeed. Real stores
                        // decide them atomically: so does this one, one conditional write at a time.
                        let is_conditional = req.headers().contains_key("if-none-match")
                            || req.headers().contains_key("if-match");
                        let service = service.clone();
                        let conditional = conditional.clone();
                        async move {
                            let _one_at_a_time = if is_conditional {
                                Some(conditional.lock().await)
                            } else {
                                None
                            };
                            hyper::service::Service::call(&service, req).await
                        }
                    });
                    let _ = ConnBuilder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(socket), svc)
                        .await;
                });
            }
        });
        self.rt = Some(rt);
    }
}

/// Serves a conditional write as if it had no condition, after the request was authenticated (the
/// signature covers the `If-None-Match` / `If-Match` headers): the request succeeds and overwrites,
/// which is what Garage 2.x was measured doing.
struct IgnoreConditions;

#[async_trait::async_trait]
impl S3Access for IgnoreConditions {
    async fn check(&self, cx: &mut S3AccessContext<'_>) -> S3Result<()> {
        match cx.credentials() {
            Some(_) => Ok(()),
            None => Err(s3s::s3_error!(AccessDenied, "Signature is required")),
        }
    }

    async fn put_object(&self, req: &mut S3Request<PutObjectInput>) -> S3Result<()> {
        req.input.if_match = None;
        req.input.if_none_match = None;
        Ok(())
    }

    async fn complete_multipart_upload(
        &self,
        req: &mut S3Request<CompleteMultipartUploadInput>,
    ) -> S3Result<()> {
        req.input.if_match = None;
        req.input.if_none_match = None;
        Ok(())
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
