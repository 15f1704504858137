//! The storage backend: named immutable objects in an `object_store` (a local folder today; S3 and
//! friends through the same code for remotes).
//!
//! This wraps the async `object_store` API in a small blocking one, and adds what a local repository
//! needs for crash safety: after every write to a local folder, the file and its directory are fsynced,
//! so a completed write survives a power cut (object_store's local store writes to a staging name and
//! renames, which already makes a write atomic against a crash of the process).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, PutPayload, WriteMultipart};

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
}

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
        })))
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

    pub fn get_range(&self, path: &str, range: Range<u64>) -> Result<Bytes> {
        let p = StorePath::from(path);
        self.run(self.0.store.get_range(&p, range))
            .map_err(|e| Self::map_err(path, e))
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
        let mut out: Vec<Listed> = self.run(async {
            let mut stream = self.0.store.list(Some(&p));
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

    pub fn delete(&self, path: &str) -> Result<()> {
        let p = StorePath::from(path);
        match self.run(self.0.store.delete(&p)) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(Self::map_err(path, e)),
        }
    }

    /// Starts a streaming upload: memory stays bounded by the part size however large the object.
    pub fn writer(&self, path: &str) -> Result<ObjectWriter> {
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
            inner: Some(WriteMultipart::new_with_chunk_size(upload, PART_SIZE)),
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
        // Make the rename durable, and every directory the store may have just created.
        let mut dir = file.parent();
        while let Some(d) = dir {
            std::fs::File::open(d)
                .and_then(|f| f.sync_all())
                .map_err(io)?;
            if d == root.as_path() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
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

/// A streaming upload; nothing is visible under its name until `finish`.
/// Size of the parts an object is written in.
const PART_SIZE: usize = 5 << 20;

pub struct ObjectWriter {
    backend: Backend,
    path: String,
    inner: Option<WriteMultipart>,
}

impl ObjectWriter {
    pub fn write(&mut self, data: &[u8]) -> Result<()> {
        let inner = self.inner.as_mut().expect("write after finish");
        let path = &self.path;
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

    pub fn finish(self) -> Result<()> {
        self.finish_deferred()?.wait()
    }

    /// Completes the upload and starts making it durable in the background; the caller must `wait`
    /// before anything that refers to the object is published.
    pub fn finish_deferred(mut self) -> Result<PendingSync> {
        let inner = self.inner.take().expect("finish twice");
        self.backend
            .runtime()?
            .block_on(inner.finish())
            .map_err(|e| Backend::map_err(&self.path, e))?;
        let backend = self.backend.clone();
        let path = self.path.clone();
        Ok(PendingSync(Some(std::thread::spawn(move || {
            backend.sync(&path)
        }))))
    }
}

impl Drop for ObjectWriter {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            // Best effort: remove the staged parts of an upload that was not finished.
            if let Ok(runtime) = self.backend.runtime() {
                let _ = runtime.block_on(inner.abort());
            }
        }
    }
}
