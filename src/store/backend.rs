//! The storage backend: named immutable objects in an `object_store`: a local folder (a repository's
//! `.daw`, or a remote on a USB disk or NAS mount), any S3-compatible bucket, or memory (tests).
//!
//! This wraps the async `object_store` API in a small blocking one, and adds what a local repository
//! needs for crash safety: after every write to a local folder, the file and its directory are fsynced,
//! so a completed write survives a power cut (every write goes to a staging name and is renamed, which
//! already makes it atomic against a crash of the process). A pack streamed to a local folder is
//! written to its staging file directly ([`ObjectWriter`]), not in parts held in memory.
//!
//! Must not: read the environment (credentials arrive in [`S3Options`] from the CLI), know what the
//! objects mean, or print.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, PutMode, PutOptions, PutPayload, WriteMultipart};

/// Where a backend keeps its objects, as a user names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendUrl {
    /// A folder: `file:///PATH` or a plain path.
    Local(PathBuf),
    /// `s3://BUCKET[/PREFIX]`.
    S3 { bucket: String, prefix: String },
    /// `memory://NAME`: a store in this process's memory, shared by every handle with the same name
    /// (tests).
    Memory(String),
}

impl BackendUrl {
    /// Parses `s3://BUCKET[/PREFIX]`, `file:///PATH`, `memory://NAME` or a path.
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(format!(
                    "{url}: no bucket name (expected s3://BUCKET[/PREFIX])"
                ));
            }
            let prefix = prefix.trim_matches('/').to_string();
            return Ok(Self::S3 {
                bucket: bucket.to_string(),
                prefix,
            });
        }
        if let Some(rest) = url.strip_prefix("file://") {
            if !rest.starts_with('/') {
                return Err(format!(
                    "{url}: a file URL needs an absolute path (file:///PATH)"
                ));
            }
            return Ok(Self::Local(PathBuf::from(rest)));
        }
        if let Some(name) = url.strip_prefix("memory://") {
            return Ok(Self::Memory(name.to_string()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(format!(
                "{url}: unsupported scheme '{scheme}' (use s3://BUCKET[/PREFIX], file:///PATH or a path)"
            ));
        }
        if url.is_empty() {
            return Err("empty remote URL".into());
        }
        Ok(Self::Local(PathBuf::from(url)))
    }
}

/// How to reach an S3-compatible store. Credentials come from the caller (the CLI reads them the way
/// every S3 tool does); they are never written anywhere.
#[derive(Clone, Debug, Default)]
pub struct S3Options {
    /// `https://…` of a store other than AWS (R2, B2, MinIO, Garage, Ceph…).
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Address buckets as `ENDPOINT/BUCKET` rather than `BUCKET.ENDPOINT`.
    pub path_style: bool,
    /// Allow a plain-HTTP endpoint (the caller decides when that is acceptable).
    pub allow_http: bool,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// How long one request may take before it is retried.
    pub request_timeout: Option<Duration>,
    /// How long errors and throttling (5xx, 503 SlowDown) are retried, with backoff.
    pub retry_for: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The object does not exist.
    #[error("{0} not found in the store")]
    NotFound(String),
    /// The object store failed.
    #[error("storage error on {path}: {source}")]
    Store {
        path: String,
        #[source]
        source: object_store::Error,
    },
    /// The store cannot be opened as named.
    #[error("{0}")]
    Config(String),
    /// A local file operation failed.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

type Result<T, E = BackendError> = std::result::Result<T, E>;

/// An object as listed: its path relative to the store root and its size.
#[derive(Clone, Debug)]
pub struct Listed {
    pub path: String,
    pub size: u64,
}

/// A handle on a store; clones share the connection and runtime.
#[derive(Clone)]
pub struct Backend(Arc<Inner>);

struct Inner {
    store: Arc<dyn ObjectStore>,
    /// For multipart writes (their parts are tasks) and, later, network stores; made on first use.
    runtime: std::sync::OnceLock<tokio::runtime::Runtime>,
    /// Set for a local folder: writes are fsynced there.
    local_root: Option<PathBuf>,
    /// A repository's own folder: what is written is made readable by its owner only (files 0600,
    /// folders 0700).
    private: bool,
    /// What the user called it (for messages).
    display: String,
}

/// The stores behind `memory://NAME` URLs, by name.
fn memory_stores()
-> &'static std::sync::Mutex<std::collections::HashMap<String, Arc<dyn ObjectStore>>> {
    static STORES: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, Arc<dyn ObjectStore>>>,
    > = std::sync::OnceLock::new();
    STORES.get_or_init(Default::default)
}

/// Objects at most this large are written with one request; larger ones in parts.
pub const SINGLE_PUT_MAX: u64 = 16 << 20;

impl Backend {
    /// A store in a local folder (created if missing).
    pub fn local_root(&self) -> Option<&Path> {
        self.0.local_root.as_deref()
    }

    pub fn local(root: &Path) -> Result<Self> {
        std::fs::create_dir_all(root).map_err(|source| BackendError::Io {
            path: root.display().to_string(),
            source,
        })?;
        let store =
            LocalFileSystem::new_with_prefix(root).map_err(|source| BackendError::Store {
                path: root.display().to_string(),
                source,
            })?;
        Ok(Self(Arc::new(Inner {
            store: Arc::new(store),
            runtime: std::sync::OnceLock::new(),
            local_root: Some(root.to_path_buf()),
            private: false,
            display: root.display().to_string(),
        })))
    }

    /// [`Backend::local`] for a repository's own folder: every file written is made 0600 and every
    /// folder 0700, so that no other local user can copy a key slot or anything else.
    pub fn local_private(root: &Path) -> Result<Self> {
        let mut b = Self::local(root)?;
        if let Some(inner) = Arc::get_mut(&mut b.0) {
            inner.private = true;
        }
        Ok(b)
    }

    /// Opens the store a URL names. A local folder is not created here (see [`Backend::local`]).
    pub fn open(url: &BackendUrl, s3: &S3Options) -> Result<Self> {
        match url {
            BackendUrl::Local(path) => {
                let store = LocalFileSystem::new_with_prefix(path).map_err(|source| {
                    BackendError::Store {
                        path: path.display().to_string(),
                        source,
                    }
                })?;
                Ok(Self(Arc::new(Inner {
                    store: Arc::new(store),
                    runtime: std::sync::OnceLock::new(),
                    local_root: Some(path.clone()),
                    private: false,
                    display: path.display().to_string(),
                })))
            }
            BackendUrl::Memory(name) => {
                let store = memory_stores()
                    .lock()
                    .map_err(|_| BackendError::Config("memory stores poisoned".into()))?
                    .entry(name.clone())
                    .or_insert_with(|| Arc::new(object_store::memory::InMemory::new()))
                    .clone();
                Ok(Self(Arc::new(Inner {
                    store,
                    runtime: std::sync::OnceLock::new(),
                    local_root: None,
                    private: false,
                    display: format!("memory://{name}"),
                })))
            }
            BackendUrl::S3 { bucket, prefix } => {
                use object_store::aws::{AmazonS3Builder, S3ConditionalPut};
                use object_store::{BackoffConfig, ClientConfigKey, ClientOptions, RetryConfig};
                let mut b = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(s3.region.clone().unwrap_or_else(|| "us-east-1".into()))
                    .with_allow_http(s3.allow_http)
                    .with_conditional_put(S3ConditionalPut::ETagMatch)
                    .with_retry(RetryConfig {
                        backoff: BackoffConfig::default(),
                        max_retries: 10,
                        retry_timeout: s3.retry_for.unwrap_or(Duration::from_secs(120)),
                    })
                    .with_client_options(
                        ClientOptions::new()
                            .with_allow_http(s3.allow_http)
                            .with_connect_timeout(Duration::from_secs(10))
                            .with_timeout(s3.request_timeout.unwrap_or(Duration::from_secs(120)))
                            // object_store's own resolver (which shuffles addresses) calls glibc's
                            // getaddrinfo; without it reqwest resolves with hickory (Cargo.toml),
                            // which a statically linked daw can use (docs/ARCHITECTURE.md).
                            .with_config(ClientConfigKey::RandomizeAddresses, "false"),
                    );
                if let Some(e) = &s3.endpoint {
                    b = b.with_endpoint(e);
                }
                if s3.path_style {
                    b = b.with_virtual_hosted_style_request(false);
                }
                if let Some(k) = &s3.access_key_id {
                    b = b.with_access_key_id(k);
                }
                if let Some(k) = &s3.secret_access_key {
                    b = b.with_secret_access_key(k);
                }
                if let Some(t) = &s3.session_token {
                    b = b.with_token(t);
                }
                let display = if prefix.is_empty() {
                    format!("s3://{bucket}")
                } else {
                    format!("s3://{bucket}/{prefix}")
                };
                let store = b.build().map_err(|source| BackendError::Store {
                    path: display.clone(),
                    source,
                })?;
                let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
                    Arc::new(store)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(
                        store,
                        StorePath::from(prefix.as_str()),
                    ))
                };
                Ok(Self(Arc::new(Inner {
                    store,
                    runtime: std::sync::OnceLock::new(),
                    local_root: None,
                    private: false,
                    display,
                })))
            }
        }
    }

    /// The store as the user named it (a path or a URL).
    pub fn display(&self) -> &str {
        &self.0.display
    }

    /// Runs a call to the store to completion. A local folder's calls do their file work on this
    /// thread (object_store's local store does so outside a tokio runtime), which spares a command
    /// that only reads a few small files the runtime and its worker thread.
    fn run<F: std::future::Future>(&self, f: F) -> F::Output {
        if self.0.local_root.is_some() {
            futures::executor::block_on(f)
        } else {
            match self.runtime() {
                Ok(rt) => rt.block_on(f),
                Err(_) => futures::executor::block_on(f),
            }
        }
    }

    fn runtime(&self) -> Result<&tokio::runtime::Runtime> {
        if let Some(rt) = self.0.runtime.get() {
            return Ok(rt);
        }
        let rt = runtime()?;
        Ok(self.0.runtime.get_or_init(|| rt))
    }

    fn map_err(path: &str, e: object_store::Error) -> BackendError {
        match e {
            object_store::Error::NotFound { .. } => BackendError::NotFound(path.to_string()),
            source => BackendError::Store {
                path: path.to_string(),
                source,
            },
        }
    }

    /// Writes a whole object atomically (and durably, for a local folder).
    pub fn put(&self, path: &str, data: Vec<u8>) -> Result<()> {
        let p = StorePath::from(path);
        self.run(self.0.store.put(&p, PutPayload::from(Bytes::from(data))))
            .map_err(|e| Self::map_err(path, e))?;
        self.sync(path)
    }

    pub fn get(&self, path: &str) -> Result<Vec<u8>> {
        let p = StorePath::from(path);
        self.run(async {
            let r = self.0.store.get(&p).await?;
            r.bytes().await
        })
        .map(|b| b.to_vec())
        .map_err(|e| Self::map_err(path, e))
    }

    /// Several whole objects, in the order named, with up to `parallel` requests in flight (small
    /// objects on a network store: latency, not bandwidth, is what a sequence of them costs).
    pub fn get_many(&self, paths: &[String], parallel: usize) -> Result<Vec<Vec<u8>>> {
        let work = futures::stream::iter(paths.iter().map(|path| async move {
            let p = StorePath::from(path.as_str());
            let r = self
                .0
                .store
                .get(&p)
                .await
                .map_err(|e| Self::map_err(path, e))?;
            r.bytes()
                .await
                .map(|b| b.to_vec())
                .map_err(|e| Self::map_err(path, e))
        }))
        .buffered(parallel.max(1))
        .try_collect::<Vec<Vec<u8>>>();
        self.run(work)
    }

    pub fn get_range(&self, path: &str, range: Range<u64>) -> Result<Bytes> {
        let p = StorePath::from(path);
        self.run(self.0.store.get_range(&p, range))
            .map_err(|e| Self::map_err(path, e))
    }

    /// Where an object of a store in a local folder is on disk, to be read directly (`None` for other
    /// stores).
    pub fn local_file(&self, path: &str) -> Option<PathBuf> {
        self.0.local_root.as_ref().map(|root| root.join(path))
    }

    /// The size of an object, or `None` when it does not exist.
    pub fn size(&self, path: &str) -> Result<Option<u64>> {
        let p = StorePath::from(path);
        match self.run(self.0.store.head(&p)) {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(Self::map_err(path, e)),
        }
    }

    /// Every object under `prefix` (a folder name such as `packs`), sorted by path.
    pub fn list(&self, prefix: &str) -> Result<Vec<Listed>> {
        let p = StorePath::from(prefix);
        self.collect_listing(prefix, self.0.store.list(Some(&p)))
    }

    /// The objects of a listing's pages, sorted by path.
    fn collect_listing(
        &self,
        prefix: &str,
        mut stream: futures::stream::BoxStream<'_, object_store::Result<object_store::ObjectMeta>>,
    ) -> Result<Vec<Listed>> {
        let mut out: Vec<Listed> = self.run(async {
            let mut out = Vec::new();
            while let Some(item) = stream.next().await {
                let meta = item.map_err(|e| Self::map_err(prefix, e))?;
                out.push(Listed {
                    path: meta.location.to_string(),
                    size: meta.size,
                });
            }
            Ok::<_, BackendError>(out)
        })?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// [`Backend::list`] with each object's last modification time (when it was written: objects are
    /// never modified), where the store reports one.
    pub fn list_with_times(&self, prefix: &str) -> Result<Vec<(Listed, Option<SystemTime>)>> {
        let p = StorePath::from(prefix);
        let mut out: Vec<(Listed, Option<SystemTime>)> = self.run(async {
            let mut stream = self.0.store.list(Some(&p));
            let mut out = Vec::new();
            while let Some(item) = stream.next().await {
                let meta = item.map_err(|e| Self::map_err(prefix, e))?;
                let modified = SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(
                    u64::try_from(meta.last_modified.timestamp_millis()).unwrap_or(0),
                ));
                out.push((
                    Listed {
                        path: meta.location.to_string(),
                        size: meta.size,
                    },
                    modified,
                ));
            }
            Ok::<_, BackendError>(out)
        })?;
        out.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        Ok(out)
    }

    /// Half-written objects a killed process left in a local folder, last written before `before`:
    /// object_store writes `NAME#N` and renames it to `NAME` once complete, and its listings never
    /// show such files, so nothing else would ever remove them. Empty for other stores.
    pub fn partial_uploads(&self, before: SystemTime) -> Vec<(PathBuf, u64)> {
        fn is_partial(name: &str) -> bool {
            name.rsplit_once('#')
                .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        }
        fn walk(dir: &Path, before: SystemTime, out: &mut Vec<(PathBuf, u64)>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let Ok(meta) = e.metadata() else { continue };
                if meta.is_dir() {
                    walk(&e.path(), before, out);
                } else if is_partial(&e.file_name().to_string_lossy())
                    && meta.modified().is_ok_and(|m| m < before)
                {
                    out.push((e.path(), meta.len()));
                }
            }
        }
        let mut out = Vec::new();
        if let Some(root) = &self.0.local_root {
            walk(root, before, &mut out);
        }
        out.sort();
        out
    }

    /// Creates an object only if none exists under its name. Returns `false` when one did. A store
    /// that ignores conditional writes (Garage 2.x) overwrites and returns `true`: callers must never
    /// rely on this alone (`docs/FORMAT.md`, "Remote").
    pub fn put_if_absent(&self, path: &str, data: Vec<u8>) -> Result<bool> {
        let p = StorePath::from(path);
        let opts = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        match self.run(
            self.0
                .store
                .put_opts(&p, PutPayload::from(Bytes::from(data)), opts),
        ) {
            Ok(_) => {
                self.sync(path)?;
                Ok(true)
            }
            Err(object_store::Error::AlreadyExists { .. })
            | Err(object_store::Error::Precondition { .. }) => Ok(false),
            Err(e) => Err(Self::map_err(path, e)),
        }
    }

    /// Every object under `prefix` whose path sorts after `offset`, sorted by path (S3's
    /// `start-after`: one request per thousand objects listed).
    pub fn list_after(&self, prefix: &str, offset: &str) -> Result<Vec<Listed>> {
        let p = StorePath::from(prefix);
        let o = StorePath::from(offset);
        self.collect_listing(prefix, self.0.store.list_with_offset(Some(&p), &o))
    }

    /// Whether any object exists under `prefix` (reads one page of a listing at most).
    pub fn any(&self, prefix: &str) -> Result<bool> {
        let p = StorePath::from(prefix);
        self.run(async {
            let mut stream = self.0.store.list(Some(&p));
            match stream.next().await {
                None => Ok(false),
                Some(Ok(_)) => Ok(true),
                Some(Err(e)) => Err(Self::map_err(prefix, e)),
            }
        })
    }

    /// Whether this is a folder on this machine.
    pub fn is_local(&self) -> bool {
        self.0.local_root.is_some()
    }

    pub fn delete(&self, path: &str) -> Result<()> {
        let p = StorePath::from(path);
        match self.run(self.0.store.delete(&p)) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(Self::map_err(path, e)),
        }
    }

    /// Starts a streaming upload: memory stays bounded by the part size however large the object.
    /// In a local folder the object is written straight to a file under a staging name (what the
    /// caller writes goes to the file, not to a part in memory) and renamed when complete.
    pub fn writer(&self, path: &str) -> Result<ObjectWriter> {
        if let Some(root) = &self.0.local_root {
            let (file, staged) = create_staged(&root.join(path))?;
            return Ok(ObjectWriter {
                backend: self.clone(),
                path: path.to_string(),
                inner: Some(Upload::Local {
                    file: std::io::BufWriter::with_capacity(LOCAL_BUFFER, file),
                    staged,
                }),
                failed: false,
            });
        }
        let p = StorePath::from(path);
        let upload = self
            .runtime()?
            .block_on(self.0.store.put_multipart(&p))
            .map_err(|e| Self::map_err(path, e))?;
        Ok(ObjectWriter {
            backend: self.clone(),
            path: path.to_string(),
            // 5 MiB: S3's smallest part, and little memory (at most two parts in flight plus one
            // filling).
            inner: Some(Upload::Parts(WriteMultipart::new_with_chunk_size(
                upload, PART_SIZE,
            ))),
            failed: false,
        })
    }

    fn sync(&self, path: &str) -> Result<()> {
        let Some(root) = &self.0.local_root else {
            return Ok(());
        };
        let file = root.join(path);
        let io = |source| BackendError::Io {
            path: file.display().to_string(),
            source,
        };
        std::fs::File::open(&file)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        if self.0.private {
            crate::platform::set_mode(&file, 0o600).map_err(io)?;
        }
        // Make the rename durable, and every directory the store may have just created.
        let mut dir = file.parent();
        while let Some(d) = dir {
            if self.0.private {
                crate::platform::set_mode(d, 0o700).map_err(io)?;
            }
            crate::platform::sync_dir(d).map_err(io)?;
            if d == root.as_path() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("daw-io")
        .enable_all()
        .build()
        .map_err(|source| BackendError::Io {
            path: "tokio runtime".into(),
            source,
        })
}

/// An fsync running in the background.
#[must_use = "wait for the sync before publishing what refers to the object"]
pub struct PendingSync(Option<std::thread::JoinHandle<Result<()>>>);

impl PendingSync {
    pub fn wait(mut self) -> Result<()> {
        match self.0.take().map(|h| h.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(BackendError::Io {
                path: "background sync".into(),
                source: std::io::Error::other("the sync thread panicked"),
            }),
            None => Ok(()),
        }
    }
}

impl Drop for PendingSync {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            let _ = h.join();
        }
    }
}

/// Size of the parts an object is written in.
const PART_SIZE: usize = 5 << 20;
/// What an object written to a folder gathers before a `write` (a recording's chunk, larger, goes
/// to the file at once).
const LOCAL_BUFFER: usize = 256 << 10;

/// Creates the staging file of an object to be written at `target`: `NAME#N`, the name object_store's
/// local store uses, so that a killed writer's file is found and removed the same way
/// ([`Backend::partial_uploads`]).
fn create_staged(target: &Path) -> Result<(std::fs::File, PathBuf)> {
    let io = |path: &Path, source| BackendError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    for n in 0u32.. {
        let mut name = target.as_os_str().to_os_string();
        name.push(format!("#{n}"));
        let staged = PathBuf::from(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&staged)
        {
            Ok(file) => return Ok((file, staged)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&staged, e)),
        }
    }
    unreachable!("some staging name is free")
}

/// A streaming upload; nothing is visible under its name until `finish`.
pub struct ObjectWriter {
    backend: Backend,
    path: String,
    inner: Option<Upload>,
    /// A write failed: what was written may end part-way through it, so the object is never
    /// completed (`finish` refuses; dropping the writer removes what was staged).
    failed: bool,
}

enum Upload {
    /// To a store's multipart upload, in parts.
    Parts(WriteMultipart),
    /// To a staging file in a local folder.
    Local {
        file: std::io::BufWriter<std::fs::File>,
        staged: PathBuf,
    },
}

impl ObjectWriter {
    pub fn write(&mut self, data: &[u8]) -> Result<()> {
        if self.failed {
            return Err(self.failed_error());
        }
        let result = self.write_inner(data);
        self.failed = result.is_err();
        result
    }

    fn failed_error(&self) -> BackendError {
        BackendError::Io {
            path: self.path.clone(),
            source: std::io::Error::other("an earlier write of this object failed"),
        }
    }

    fn write_inner(&mut self, data: &[u8]) -> Result<()> {
        let path = &self.path;
        match self.inner.as_mut().expect("write after finish") {
            Upload::Local { file, staged } => {
                std::io::Write::write_all(file, data).map_err(|source| BackendError::Io {
                    path: staged.display().to_string(),
                    source,
                })
            }
            Upload::Parts(inner) => {
                // Apply back-pressure: at most two parts in flight.
                self.backend
                    .runtime()?
                    .block_on(inner.wait_for_capacity(2))
                    .map_err(|e| Backend::map_err(path, e))?;
                // Parts are uploaded by tasks spawned on the runtime.
                let _guard = self.backend.runtime()?.enter();
                inner.write(data);
                Ok(())
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        self.finish_deferred()?.wait()
    }

    /// Completes the upload and starts making it durable in the background; the caller must `wait`
    /// before anything that refers to the object is published.
    pub fn finish_deferred(mut self) -> Result<PendingSync> {
        if self.failed {
            // Dropped with its upload: the staged bytes are removed.
            return Err(self.failed_error());
        }
        match self.inner.take().expect("finish twice") {
            Upload::Parts(inner) => {
                self.backend
                    .runtime()?
                    .block_on(inner.finish())
                    .map_err(|e| Backend::map_err(&self.path, e))?;
            }
            Upload::Local { file, staged } => {
                let target = self.backend.local_file(&self.path).expect("a local store");
                let done = file
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|_| std::fs::rename(&staged, &target));
                if let Err(source) = done {
                    let _ = std::fs::remove_file(&staged);
                    return Err(BackendError::Io {
                        path: staged.display().to_string(),
                        source,
                    });
                }
            }
        }
        let backend = self.backend.clone();
        let path = self.path.clone();
        Ok(PendingSync(Some(std::thread::spawn(move || {
            backend.sync(&path)
        }))))
    }
}

impl Drop for ObjectWriter {
    fn drop(&mut self) {
        match self.inner.take() {
            // Best effort: remove the staged parts of an upload that was not finished.
            Some(Upload::Parts(inner)) => {
                if let Ok(runtime) = self.backend.runtime() {
                    let _ = runtime.block_on(inner.abort());
                }
            }
            Some(Upload::Local { file, staged }) => {
                // Closed without writing out what it still buffers.
                drop(file.into_parts());
                let _ = std::fs::remove_file(staged);
            }
            None => {}
        }
    }
}

/// Copies objects from one store to another, several at once (at most `parallel`), each streamed:
/// an object of at most [`SINGLE_PUT_MAX`] bytes is read whole and written with one request, a larger
/// one is streamed in parts. The copy is durable in `to` when this returns (fsynced for a folder).
/// `done` is called with each object's path and size as it completes. An object is visible in `to`
/// only once complete, so an interrupted copy leaves whole objects or none.
pub fn copy_objects(
    from: &Backend,
    to: &Backend,
    paths: &[Listed],
    parallel: usize,
    done: &dyn Fn(&Listed),
) -> Result<()> {
    let work = async {
        futures::stream::iter(paths.iter().map(|item| async move {
            copy_one(from, to, item).await?;
            done(item);
            Ok::<_, BackendError>(())
        }))
        .buffer_unordered(parallel.max(1))
        .try_collect::<Vec<()>>()
        .await
    };
    // Run on the network store's runtime (parts of a large object are uploaded by its tasks).
    let runner = if !to.is_local() { to } else { from };
    runner.runtime()?.block_on(work)?;
    for item in paths {
        to.sync(&item.path)?;
    }
    Ok(())
}

async fn copy_one(from: &Backend, to: &Backend, item: &Listed) -> Result<()> {
    let p = StorePath::from(item.path.as_str());
    let got = from
        .0
        .store
        .get(&p)
        .await
        .map_err(|e| Backend::map_err(&item.path, e))?;
    if got.meta.size <= SINGLE_PUT_MAX {
        let bytes = got
            .bytes()
            .await
            .map_err(|e| Backend::map_err(&item.path, e))?;
        to.0.store
            .put(&p, PutPayload::from(bytes))
            .await
            .map_err(|e| Backend::map_err(&item.path, e))?;
        return Ok(());
    }
    let upload =
        to.0.store
            .put_multipart(&p)
            .await
            .map_err(|e| Backend::map_err(&item.path, e))?;
    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
    let mut stream = got.into_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                let _ = writer.abort().await;
                return Err(Backend::map_err(&item.path, e));
            }
        };
        if let Err(e) = writer.wait_for_capacity(2).await {
            return Err(Backend::map_err(&item.path, e));
        }
        writer.write(&chunk);
    }
    writer
        .finish()
        .await
        .map_err(|e| Backend::map_err(&item.path, e))?;
    Ok(())
}
