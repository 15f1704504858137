//! Compresses and encrypts data blobs on worker threads while the caller goes on reading, chunking and
//! hashing. Sealed blobs come back in the order they finish; the pack records each one's offset, so the
//! order in a pack does not matter.
//!
//! Memory stays bounded: at most [`MAX_IN_FLIGHT_BYTES`] of plaintext (and [`MAX_IN_FLIGHT`] blobs) are
//! waiting or being sealed at any time; submitting more first waits for a result.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::object::{BlobKind, ObjectId};

use super::crypto::SecretKey;
use super::pack;

/// 4 MiB keeps two sealing threads busy with a recording's 1 MiB chunks (8 MiB sealed no faster, and
/// added 5 MB to a first commit's peak memory: docs/BENCHMARKS.md, "Memory of a commit").
const MAX_IN_FLIGHT_BYTES: usize = 4 << 20;
const MAX_IN_FLIGHT: usize = 256;
/// Small blobs (a Live set's XML is cut into chunks of a few KB) go to the workers in batches of about
/// this many bytes: one hand-over per batch instead of a thread wake-up per chunk.
const BATCH_BYTES: usize = 128 << 10;
const BATCH_BLOBS: usize = 64;

/// A sealed blob, ready to be appended to a pack.
pub struct Sealed {
    pub kind: BlobKind,
    pub id: ObjectId,
    pub raw_length: u32,
    /// 0: stored whole; d ≥ 1: a delta (`pack::seal_blob_against`).
    pub depth: u8,
    pub bytes: Vec<u8>,
}

struct Job {
    kind: BlobKind,
    id: ObjectId,
    data: Vec<u8>,
    /// Blobs it may be stored as a delta of (shared with the caller's cache).
    bases: Vec<pack::DeltaBase>,
}

pub struct SealPool {
    jobs: Option<mpsc::Sender<Vec<Job>>>,
    /// Small blobs not handed over yet (counted in flight already).
    batch: Vec<Job>,
    batch_bytes: usize,
    results: mpsc::Receiver<Sealed>,
    workers: Vec<JoinHandle<()>>,
    in_flight: usize,
    in_flight_bytes: usize,
}

impl SealPool {
    /// A pool with one worker per core (at most four).
    pub fn new(key: &SecretKey) -> Self {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let (job_tx, job_rx) = mpsc::channel::<Vec<Job>>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (result_tx, results) = mpsc::channel();
        let workers = (0..threads)
            .map(|i| {
                let job_rx = Arc::clone(&job_rx);
                let result_tx = result_tx.clone();
                let key = key.clone();
                std::thread::Builder::new()
                    .name(format!("daw-seal-{i}"))
                    .spawn(move || {
                        lower_priority();
                        loop {
                            // The lock is held only while taking a job, never while sealing.
                            let job = match job_rx.lock() {
                                Ok(rx) => rx.recv(),
                                Err(_) => return,
                            };
                            let Ok(jobs) = job else { return };
                            for job in jobs {
                                let raw_length = u32::try_from(job.data.len())
                                    .expect("blobs are far below 4 GiB");
                                let (bytes, depth) = pack::seal_owned_blob(
                                    &key, job.kind, &job.id, job.data, &job.bases,
                                );
                                let sealed = Sealed {
                                    kind: job.kind,
                                    id: job.id,
                                    raw_length,
                                    depth,
                                    bytes,
                                };
                                if result_tx.send(sealed).is_err() {
                                    return;
                                }
                            }
                        }
                    })
                    .expect("spawn a sealing thread")
            })
            .collect();
        Self {
            jobs: Some(job_tx),
            batch: Vec::new(),
            batch_bytes: 0,
            results,
            workers,
            in_flight: 0,
            in_flight_bytes: 0,
        }
    }

    /// Hands a blob to the workers. When too much is already in flight, first waits for one result
    /// and passes it to `done`.
    pub fn submit<E>(
        &mut self,
        kind: BlobKind,
        id: ObjectId,
        data: Vec<u8>,
        bases: Vec<pack::DeltaBase>,
        mut done: impl FnMut(Sealed) -> Result<(), E>,
    ) -> Result<(), E> {
        while self.in_flight > 0
            && (self.in_flight >= MAX_IN_FLIGHT
                || self.in_flight_bytes + data.len() > MAX_IN_FLIGHT_BYTES)
        {
            let s = self.wait().expect("a blob is in flight");
            done(s)?;
        }
        self.in_flight += 1;
        self.in_flight_bytes += data.len();
        self.batch_bytes += data.len();
        self.batch.push(Job {
            kind,
            id,
            data,
            bases,
        });
        if self.batch_bytes >= BATCH_BYTES || self.batch.len() >= BATCH_BLOBS {
            self.send_batch();
        }
        Ok(())
    }

    /// Hands the blobs gathered so far to the workers.
    fn send_batch(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        self.batch_bytes = 0;
        self.jobs
            .as_ref()
            .expect("pool is open")
            .send(std::mem::take(&mut self.batch))
            .expect("sealing threads run until the pool is dropped");
    }

    /// A finished blob, if one is ready.
    pub fn try_take(&mut self) -> Option<Sealed> {
        let s = self.results.try_recv().ok()?;
        self.account(&s);
        Some(s)
    }

    /// Waits for the next finished blob; `None` when nothing is in flight.
    pub fn wait(&mut self) -> Option<Sealed> {
        if self.in_flight == 0 {
            return None;
        }
        // What is waited for may still be in the batch.
        self.send_batch();
        let s = self
            .results
            .recv()
            .expect("sealing threads do not stop while blobs are in flight");
        self.account(&s);
        Some(s)
    }

    fn account(&mut self, s: &Sealed) {
        self.in_flight -= 1;
        self.in_flight_bytes -= s.raw_length as usize;
    }
}

/// Sealing yields the CPU to the caller's other threads (reading, and verifying that a Live set can
/// be re-created, the longest single job in a commit): they decide when the commit can finish, while
/// sealing soaks up whatever CPU is left.
fn lower_priority() {
    crate::platform::lower_thread_priority();
}

impl Drop for SealPool {
    fn drop(&mut self) {
        self.jobs = None;
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_blobs_go_in_batches_and_all_come_back() {
        let key = SecretKey::random();
        let mut pool = SealPool::new(&key);
        let mut got = Vec::new();
        for i in 0..1000u32 {
            let data = i.to_le_bytes().repeat(1000);
            let mut id = [0u8; 32];
            id[..4].copy_from_slice(&i.to_le_bytes());
            pool.submit(
                BlobKind::Chunk,
                ObjectId::from_bytes(id),
                data,
                Vec::new(),
                |s| {
                    got.push(s);
                    Ok::<_, ()>(())
                },
            )
            .unwrap();
            while let Some(s) = pool.try_take() {
                got.push(s);
            }
            assert!(pool.in_flight <= MAX_IN_FLIGHT);
        }
        // The last blobs are still in a batch: waiting hands it over.
        while let Some(s) = pool.wait() {
            got.push(s);
        }
        assert_eq!(got.len(), 1000);
        for s in got {
            let i = u32::from_le_bytes(s.id.as_bytes()[..4].try_into().unwrap());
            let plain = pack::open_blob(&key, s.kind, &s.id, s.raw_length, &s.bytes).unwrap();
            assert_eq!(plain, i.to_le_bytes().repeat(1000));
        }
    }

    #[test]
    fn every_submitted_blob_comes_back_sealed_and_memory_stays_bounded() {
        let key = SecretKey::random();
        let mut pool = SealPool::new(&key);
        let mut got = Vec::new();
        for i in 0..40u8 {
            let data = vec![i; 1 << 20];
            let id = ObjectId::from_bytes([i; 32]);
            pool.submit(BlobKind::Chunk, id, data, Vec::new(), |s| {
                got.push(s);
                Ok::<_, ()>(())
            })
            .unwrap();
            assert!(pool.in_flight_bytes <= MAX_IN_FLIGHT_BYTES);
        }
        while let Some(s) = pool.wait() {
            got.push(s);
        }
        assert_eq!(got.len(), 40);
        for s in got {
            let i = s.id.as_bytes()[0];
            let plain = pack::open_blob(&key, s.kind, &s.id, s.raw_length, &s.bytes).unwrap();
            assert_eq!(plain, vec![i; 1 << 20]);
        }
    }
}
