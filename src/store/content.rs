//! Byte streams as chunk trees (`docs/FORMAT.md`, "Content tree").
//!
//! A stream is cut into content-defined chunks (FastCDC, seeded from the key). The list of its chunk ids
//! is itself cut where an id's low bits are zero (about 1 in 16), and each run becomes a content node;
//! the list of node ids is cut the same way, up to a single root. Cuts depend only on the ids, so an edit
//! in the middle of a 16 MB set changes one leaf chunk and one node per level — a few KB — instead of
//! re-storing the whole list of chunks with every version.

use std::io::{self, BufRead, Read};

use std::borrow::Cow;

use fastcdc::v2020::Normalization;

use crate::object::{BlobKind, Content, ContentRef, DecodeError, ObjectId, Reader, Writer};

use super::{BlobReader, OpenPack, Store, StoreError};

const NODE_VERSION: u64 = 1;
/// A node closes after a child whose id has these low bits zero (mean fan-out 16)…
const NODE_CUT_MASK: u8 = 0x0f;
/// …or when it reaches this many children.
const NODE_MAX_CHILDREN: usize = 256;

/// Chunk size targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Project documents (set XML, `.flp`, small files): small chunks, so an edit costs little.
    Document,
    /// Recordings and other large media: large chunks, few index entries.
    Media,
}

impl Profile {
    /// (min, average, max) chunk sizes in bytes.
    pub fn sizes(self) -> (usize, usize, usize) {
        match self {
            Profile::Document => (1 << 10, 4 << 10, 32 << 10),
            Profile::Media => (256 << 10, 1 << 20, 4 << 20),
        }
    }
}

/// Everything a stream write reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteStats {
    pub bytes_read: u64,
    pub chunks: u64,
    pub new_chunks: u64,
    pub new_bytes: u64,
}

fn encode_node(children: &[(ObjectId, u64)]) -> Vec<u8> {
    let mut w = Writer::new();
    w.uvar(NODE_VERSION).uvar(children.len() as u64);
    for (id, size) in children {
        w.id(id).uvar(*size);
    }
    w.finish()
}

pub fn decode_node(buf: &[u8]) -> Result<Vec<(ObjectId, u64)>, DecodeError> {
    let mut r = Reader::new(buf, "content node");
    r.version(NODE_VERSION)?;
    let n = r.count(33)?;
    let children = (0..n)
        .map(|_| Ok((r.id()?, r.uvar()?)))
        .collect::<Result<Vec<_>, DecodeError>>()?;
    r.finish()?;
    if children.is_empty() {
        return Err(DecodeError::Invalid {
            what: "content node",
            detail: "no children".into(),
        });
    }
    Ok(children)
}

/// Builds the node levels as chunks arrive.
struct TreeBuilder {
    levels: Vec<Vec<(ObjectId, u64)>>,
}

impl TreeBuilder {
    fn push(
        &mut self,
        store: &mut Store,
        level: usize,
        id: ObjectId,
        size: u64,
    ) -> Result<(), StoreError> {
        if self.levels.len() <= level {
            self.levels.push(Vec::new());
        }
        self.levels[level].push((id, size));
        let full = self.levels[level].len() >= NODE_MAX_CHILDREN;
        if id.as_bytes()[31] & NODE_CUT_MASK == 0 || full {
            self.close(store, level)?;
        }
        Ok(())
    }

    fn close(&mut self, store: &mut Store, level: usize) -> Result<(), StoreError> {
        let children = std::mem::take(&mut self.levels[level]);
        let size = children.iter().map(|c| c.1).sum();
        let (id, _) = store.put_blob(BlobKind::ContentNode, &encode_node(&children))?;
        self.push(store, level + 1, id, size)
    }

    fn finish(mut self, store: &mut Store, total: u64) -> Result<Content, StoreError> {
        let mut level = 0;
        while level < self.levels.len() {
            let is_top = level + 1 == self.levels.len();
            match self.levels[level].len() {
                0 => {}
                1 if is_top => {
                    let (root, size) = self.levels[level][0];
                    debug_assert_eq!(size, total);
                    return Ok(Content {
                        size: total,
                        tree: Some(ContentRef {
                            root,
                            height: level as u8,
                        }),
                    });
                }
                _ => self.close(store, level)?,
            }
            level += 1;
        }
        Ok(Content::EMPTY)
    }
}

/// Cuts a stream into content-defined chunks: the same cut points as `fastcdc::v2020::StreamCDC`, but
/// reading ahead into a buffer of two maximum chunks, so that the bytes after a cut are moved to the
/// front once per maximum chunk's worth instead of after every chunk.
struct Chunker<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    min: usize,
    avg: usize,
    max: usize,
    mask_s: u64,
    mask_l: u64,
    gear: Cow<'static, [u64]>,
    gear_ls: Cow<'static, [u64]>,
}

impl<R: Read> Chunker<R> {
    fn new(reader: R, profile: Profile, seed: u64) -> Self {
        let (min, avg, max) = profile.sizes();
        let (mask_s, mask_l) = fastcdc::v2020::select_masks(avg, Normalization::Level1);
        let (gear, gear_ls) = fastcdc::v2020::get_gear_with_seed(seed);
        Self {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            min,
            avg,
            max,
            mask_s,
            mask_l,
            gear,
            gear_ls,
        }
    }

    fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        if self.end - self.start < self.max && !self.eof {
            if self.buf.is_empty() {
                self.buf = vec![0; 2 * self.max];
            }
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            while self.end < self.buf.len() {
                match self.reader.read(&mut self.buf[self.end..]) {
                    Ok(0) => {
                        self.eof = true;
                        break;
                    }
                    Ok(n) => self.end += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if self.start == self.end {
            return Ok(None);
        }
        let (_, n) = fastcdc::v2020::cut_gear(
            &self.buf[self.start..self.end],
            self.min,
            self.avg,
            self.max,
            self.mask_s,
            self.mask_l,
            self.mask_s << 1,
            self.mask_l << 1,
            &self.gear,
            &self.gear_ls,
        );
        let chunk = self.buf[self.start..self.start + n].to_vec();
        self.start += n;
        Ok(Some(chunk))
    }
}

/// Chunks a stream into the store and returns its content tree.
pub fn write_stream<R: Read>(
    store: &mut Store,
    reader: R,
    profile: Profile,
    stats: &mut WriteStats,
) -> Result<Content, StoreError> {
    let mut chunker = Chunker::new(reader, profile, *store.keys().chunker_seed);
    let mut builder = TreeBuilder { levels: Vec::new() };
    let mut total = 0u64;
    while let Some(chunk) = chunker.next_chunk().map_err(StoreError::Read)? {
        let len = chunk.len() as u64;
        total += len;
        stats.bytes_read += len;
        stats.chunks += 1;
        let (id, new) = store.put_chunk(chunk)?;
        if new {
            stats.new_chunks += 1;
            stats.new_bytes += len;
        }
        builder.push(store, 0, id, len)?;
    }
    builder.finish(store, total)
}

/// An open node while reading: (children, next child, height of the children).
type Frame = (Vec<(ObjectId, u64)>, usize, u8);

/// Reads a stored stream back, one chunk at a time; sizes are checked against the tree as it goes.
pub struct ContentReader<'s> {
    blobs: BlobReader<'s>,
    /// The pack file read last, kept open for the next chunk.
    pack: OpenPack,
    /// Open nodes, innermost last.
    stack: Vec<Frame>,
    chunk: Vec<u8>,
    pos: usize,
    remaining: u64,
}

impl<'s> ContentReader<'s> {
    /// Reads `content` through `blobs` (from [`Store::blobs`]).
    pub fn new(blobs: BlobReader<'s>, content: &Content) -> Self {
        let mut stack = Vec::new();
        if let Some(t) = &content.tree {
            stack.push((vec![(t.root, content.size)], 0, t.height));
        }
        Self {
            blobs,
            pack: OpenPack::default(),
            stack,
            chunk: Vec::new(),
            pos: 0,
            remaining: content.size,
        }
    }

    fn next_chunk(&mut self) -> Result<bool, StoreError> {
        loop {
            let Some((children, next, height)) = self.stack.last_mut() else {
                return Ok(false);
            };
            if *next >= children.len() {
                self.stack.pop();
                continue;
            }
            let (id, size) = children[*next];
            let height = *height;
            *next += 1;
            if height == 0 {
                return self.load_chunk(id, size).map(|_| true);
            }
            let node = self
                .blobs
                .get_blob_through(&id, BlobKind::ContentNode, &mut self.pack)?;
            let children = decode_node(&node).map_err(|e| StoreError::Corrupt {
                id,
                detail: e.to_string(),
            })?;
            let sum: u64 = children.iter().map(|c| c.1).sum();
            if sum != size {
                return Err(StoreError::Corrupt {
                    id,
                    detail: "node size does not add up".into(),
                });
            }
            self.stack.push((children, 0, height - 1));
        }
    }

    fn load_chunk(&mut self, id: ObjectId, size: u64) -> Result<(), StoreError> {
        let data = self
            .blobs
            .get_blob_through(&id, BlobKind::Chunk, &mut self.pack)?;
        if data.len() as u64 != size || size > self.remaining {
            return Err(StoreError::Corrupt {
                id,
                detail: "chunk size differs from its tree".into(),
            });
        }
        self.remaining -= size;
        self.chunk = data;
        self.pos = 0;
        Ok(())
    }
}

impl Read for ContentReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = buf.len().min(available.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// The rest of the current chunk, without copying it.
impl io::BufRead for ContentReader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.chunk.len() {
            if !self.next_chunk().map_err(io::Error::other)? {
                if self.remaining != 0 {
                    return Err(io::Error::other("stored content ended early"));
                }
                return Ok(&[]);
            }
        }
        Ok(&self.chunk[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.chunk.len());
    }
}

/// Every blob a stored stream references, in order (nodes and chunks), without reading chunk data.
pub fn walk_ids(
    store: &Store,
    content: &Content,
    visit: &mut dyn FnMut(ObjectId, BlobKind) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let Some(t) = &content.tree else {
        return Ok(());
    };
    walk_node(store, t.root, t.height, visit)
}

fn walk_node(
    store: &Store,
    id: ObjectId,
    height: u8,
    visit: &mut dyn FnMut(ObjectId, BlobKind) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let kind = if height == 0 {
        BlobKind::Chunk
    } else {
        BlobKind::ContentNode
    };
    // `visit` returns false to skip what is below (already seen).
    if !visit(id, kind)? || height == 0 {
        return Ok(());
    }
    let node = store.get_blob_as(&id, BlobKind::ContentNode)?;
    let children = decode_node(&node).map_err(|e| StoreError::Corrupt {
        id,
        detail: e.to_string(),
    })?;
    for (child, _) in children {
        walk_node(store, child, height - 1, visit)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::crypto::SecretKey;
    use crate::store::{Backend, Keys, Store};

    /// A reader that returns at most `step` bytes per call, like a pipe or a slow disk.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn chunker_cuts_where_fastcdc_stream_cdc_cuts() {
        let mut data = Vec::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        while data.len() < 13 << 20 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            data.extend_from_slice(&x.to_le_bytes());
        }
        data.extend(std::iter::repeat_n(7u8, 5 << 20)); // a long run: cuts at the maximum size
        for profile in [Profile::Document, Profile::Media] {
            let (min, avg, max) = profile.sizes();
            let seed = 0x1234_5678;
            let expected: Vec<Vec<u8>> = fastcdc::v2020::StreamCDC::with_level_and_seed(
                &data[..],
                min,
                avg,
                max,
                Normalization::Level1,
                seed,
            )
            .map(|c| c.unwrap().data)
            .collect();
            for step in [usize::MAX, 1000, 65_537] {
                let mut chunker = Chunker::new(Trickle(&data, step), profile, seed);
                let mut got = Vec::new();
                while let Some(c) = chunker.next_chunk().unwrap() {
                    got.push(c);
                }
                assert_eq!(got.len(), expected.len(), "{profile:?} step {step}");
                assert!(got == expected, "{profile:?} step {step}: different cuts");
            }
        }
    }

    fn store_with_fixed_key(dir: &std::path::Path) -> Store {
        let keys = Keys::from_master(SecretKey::from_bytes([7u8; 32]));
        Store::open(Backend::local(dir).unwrap(), keys).unwrap()
    }

    fn seeded(len: usize) -> Vec<u8> {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect()
    }

    /// Pins chunk boundaries, node cuts and ids for a fixed key: a silent change of the chunker, the
    /// content-tree layout or the id derivation fails here.
    #[test]
    fn chunking_and_ids_are_stable() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_fixed_key(dir.path());
        let data = seeded(3 << 20);
        let mut stats = WriteStats::default();
        let doc = write_stream(&mut store, &data[..], Profile::Document, &mut stats).unwrap();
        assert_eq!(stats.chunks, 626);
        let tree = doc.tree.unwrap();
        assert_eq!(tree.height, 3);
        assert_eq!(tree.root.short(16), "1390a71b138121e1");
        let mut stats = WriteStats::default();
        let media = write_stream(&mut store, &data[..], Profile::Media, &mut stats).unwrap();
        assert_eq!(stats.chunks, 4);
        assert_eq!(media.tree.unwrap().root.short(16), "ae4538a52851c7ee");
        store.flush().unwrap();
        // And it reads back.
        let mut back = Vec::new();
        std::io::copy(
            &mut ContentReader::new(store.blobs().unwrap(), &doc),
            &mut back,
        )
        .unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn a_small_edit_changes_one_node_per_level() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_fixed_key(dir.path());
        let mut data = seeded(4 << 20);
        let mut stats = WriteStats::default();
        write_stream(&mut store, &data[..], Profile::Document, &mut stats).unwrap();
        store.flush().unwrap();
        data[2 << 20] ^= 0xff;
        let before = store.written_bytes();
        let mut stats = WriteStats::default();
        let c = write_stream(&mut store, &data[..], Profile::Document, &mut stats).unwrap();
        store.flush().unwrap();
        assert!(stats.new_chunks <= 2, "{} new chunks", stats.new_chunks);
        let written = store.written_bytes() - before;
        assert!(
            written < 12_000,
            "an edit of one byte wrote {written} bytes (height {})",
            c.tree.unwrap().height
        );
    }
}
