//! Pack files: many sealed blobs in one object, ending with a sealed header that lists them, so a lost
//! index can be rebuilt from the packs alone (`docs/FORMAT.md`, "Pack").
//!
//! ```text
//! "DAWPACK" version(u8 = 1)
//! blob*          each: sealed(flag ‖ payload), AAD = "daw blob v1" ‖ kind ‖ id
//! header         sealed(encoded entry list), AAD = "daw pack header v1" ‖ pack name
//! header_len     u32 little-endian, length of the sealed header
//! "DAWP"
//! ```

use crate::object::{BlobKind, DecodeError, ObjectId, Reader, Writer};

use super::backend::{Backend, BackendError, ObjectWriter, PendingSync};
use super::crypto::{self, SecretKey};

pub const PACK_MAGIC: &[u8; 7] = b"DAWPACK";
pub const PACK_VERSION: u8 = 1;
pub const PACK_TRAILER_MAGIC: &[u8; 4] = b"DAWP";
/// Leading bytes before the first blob.
pub const PACK_PREFIX_LEN: u64 = 8;
/// `header_len` and the closing magic.
pub const PACK_TRAILER_LEN: u64 = 8;
const HEADER_VERSION: u64 = 1;

/// Flag byte at the start of a blob's plaintext envelope.
const FLAG_STORED: u8 = 0;
const FLAG_ZSTD: u8 = 1;

/// Where a blob sits in a pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackEntry {
    pub id: ObjectId,
    pub kind: BlobKind,
    pub offset: u64,
    /// Sealed length in the pack.
    pub length: u32,
    /// Plaintext length.
    pub raw_length: u32,
}

pub fn pack_path(name: &ObjectId) -> String {
    let hex = name.to_hex();
    format!("packs/{}/{}", &hex[..2], hex)
}

/// The pack name from a path made by [`pack_path`].
pub fn pack_name_from_path(path: &str) -> Option<ObjectId> {
    let name = path.rsplit('/').next()?;
    ObjectId::from_hex(name).filter(|id| pack_path(id) == path)
}

pub fn blob_aad(kind: BlobKind, id: &ObjectId) -> Vec<u8> {
    let mut aad = b"daw blob v1".to_vec();
    aad.push(kind as u8);
    aad.extend_from_slice(id.as_bytes());
    aad
}

fn header_aad(pack: &ObjectId) -> Vec<u8> {
    let mut aad = b"daw pack header v1".to_vec();
    aad.extend_from_slice(pack.as_bytes());
    aad
}

/// zstd levels daw uses: a quick probe, and the level blobs are kept at.
const PROBE_LEVEL: i32 = 1;
const BLOB_LEVEL: i32 = 3;

thread_local! {
    /// This thread's zstd contexts (probe, blob), kept from blob to blob: making a context costs more
    /// than compressing a small chunk.
    static ZSTD: std::cell::RefCell<Option<[zstd::bulk::Compressor<'static>; 2]>> =
        const { std::cell::RefCell::new(None) };
}

/// Drops this thread's zstd contexts (about 0.6 MB); the next blob makes them again.
pub(crate) fn release_thread_contexts() {
    let _ = ZSTD.try_with(|cell| cell.borrow_mut().take());
    let _ = UNZSTD.try_with(|cell| cell.borrow_mut().take());
}

/// Runs `f` with this thread's compressor for `level` (`None` if zstd cannot make one).
fn with_compressor<R>(
    level: i32,
    f: impl FnOnce(&mut zstd::bulk::Compressor<'static>) -> R,
) -> Option<R> {
    ZSTD.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let probe = zstd::bulk::Compressor::new(PROBE_LEVEL).ok()?;
            let blob = zstd::bulk::Compressor::new(BLOB_LEVEL).ok()?;
            *slot = Some([probe, blob]);
        }
        let [probe, blob] = slot.as_mut()?;
        Some(f(if level == PROBE_LEVEL { probe } else { blob }))
    })
}

thread_local! {
    /// This thread's zstd decompression context, kept from blob to blob like the compressors.
    static UNZSTD: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// Decompresses a blob of at most `capacity` bytes with this thread's context.
fn decompress(body: &[u8], capacity: usize) -> std::io::Result<Vec<u8>> {
    UNZSTD.with(|cell| {
        let mut slot = cell.borrow_mut();
        let context = match &mut *slot {
            Some(c) => c,
            None => slot.insert(zstd::bulk::Decompressor::new()?),
        };
        context.decompress(body, capacity)
    })
}

/// Large blobs are sampled before being compressed whole: recordings and other media rarely shrink by
/// more than a few percent, and compressing them costs more time than the bytes are worth.
fn looks_compressible(data: &[u8]) -> bool {
    const SAMPLE: usize = 16 << 10;
    if data.len() < 4 * SAMPLE {
        return true;
    }
    // Sample from the middle: file headers are often more compressible than the body.
    let start = data.len() / 2 - SAMPLE / 2;
    let mut out = [0u8; SAMPLE];
    match with_compressor(PROBE_LEVEL, |c| {
        c.compress_to_buffer(&data[start..start + SAMPLE], &mut out[..])
    }) {
        Some(Ok(n)) => n < SAMPLE * 9 / 10,
        // Did not fit in the sample's size: incompressible.
        _ => false,
    }
}

/// Compresses (when that helps) and seals one blob, with a single copy of its bytes.
pub fn seal_blob(key: &SecretKey, kind: BlobKind, id: &ObjectId, data: &[u8]) -> Vec<u8> {
    let header = crypto::NONCE_LEN + 1;
    let mut message = Vec::new();
    if data.len() >= 64 && looks_compressible(data) {
        // Compressed straight into the envelope, after room for the nonce and the flag; kept only
        // when it saves at least 1/32 (audio rarely compresses).
        let limit = data.len() - data.len() / 32;
        message.reserve_exact(header + limit + crypto::TAG_LEN);
        message.resize(header, 0);
        let mut out = std::io::Cursor::new(message);
        out.set_position(header as u64);
        let fits = with_compressor(BLOB_LEVEL, |c| c.compress_to_buffer(data, &mut out))
            .is_some_and(|r| r.is_ok_and(|n| n < limit));
        message = out.into_inner();
        if fits {
            message[header - 1] = FLAG_ZSTD;
        } else {
            message.clear();
        }
    }
    if message.is_empty() {
        message.reserve_exact(header + data.len() + crypto::TAG_LEN);
        message.resize(header, 0);
        message[header - 1] = FLAG_STORED;
        message.extend_from_slice(data);
    }
    crypto::seal_in_place(key, &blob_aad(kind, id), &mut message);
    message
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// Decryption failed: the pack bytes were changed, or the index points at the wrong place.
    #[error("blob {id} ({kind}) failed authentication: the pack is damaged")]
    Auth { id: ObjectId, kind: &'static str },
    /// The plaintext envelope was malformed.
    #[error("blob {id} is malformed: {detail}")]
    Malformed { id: ObjectId, detail: String },
}

/// Opens a sealed blob and checks its length; the caller checks the id (it holds the id key).
pub fn open_blob(
    key: &SecretKey,
    kind: BlobKind,
    id: &ObjectId,
    raw_length: u32,
    sealed: &[u8],
) -> Result<Vec<u8>, BlobError> {
    open_blob_in_place(key, kind, id, raw_length, sealed.to_vec())
}

/// [`open_blob`] on a buffer it may reuse: a blob stored uncompressed is decrypted where it is.
pub fn open_blob_in_place(
    key: &SecretKey,
    kind: BlobKind,
    id: &ObjectId,
    raw_length: u32,
    mut sealed: Vec<u8>,
) -> Result<Vec<u8>, BlobError> {
    let plain = crypto::open_in_place_at(key, &blob_aad(kind, id), &mut sealed).map_err(|_| {
        BlobError::Auth {
            id: *id,
            kind: kind.name(),
        }
    })?;
    let malformed = |detail: String| BlobError::Malformed { id: *id, detail };
    if plain.is_empty() {
        return Err(malformed("empty envelope".into()));
    }
    let body = plain.start + 1..plain.end;
    let data = match sealed[plain.start] {
        FLAG_STORED => {
            sealed.truncate(body.end);
            sealed.drain(..body.start);
            sealed
        }
        FLAG_ZSTD => {
            decompress(&sealed[body], raw_length as usize).map_err(|e| malformed(e.to_string()))?
        }
        f => return Err(malformed(format!("unknown flag {f}"))),
    };
    if data.len() != raw_length as usize {
        return Err(malformed(format!(
            "length {} instead of {raw_length}",
            data.len()
        )));
    }
    Ok(data)
}

pub fn encode_entries(w: &mut Writer, entries: &[PackEntry]) {
    w.uvar(entries.len() as u64);
    for e in entries {
        w.id(&e.id)
            .u8(e.kind as u8)
            .uvar(e.offset)
            .uvar(u64::from(e.length))
            .uvar(u64::from(e.raw_length));
    }
}

pub fn decode_entries(r: &mut Reader<'_>) -> Result<Vec<PackEntry>, DecodeError> {
    let n = r.count(36)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.id()?;
        let kind = BlobKind::from_u8(r.u8()?).ok_or_else(|| r.invalid("unknown blob kind"))?;
        let offset = r.uvar()?;
        let length = u32::try_from(r.uvar()?).map_err(|_| r.invalid("blob too long"))?;
        let raw_length = u32::try_from(r.uvar()?).map_err(|_| r.invalid("blob too long"))?;
        out.push(PackEntry {
            id,
            kind,
            offset,
            length,
            raw_length,
        });
    }
    Ok(out)
}

/// Writes one pack as a streaming upload.
pub struct PackWriter {
    name: ObjectId,
    out: ObjectWriter,
    offset: u64,
    entries: Vec<PackEntry>,
}

impl PackWriter {
    pub fn new(backend: &Backend) -> Result<Self, BackendError> {
        let mut name = [0u8; 32];
        crate::store::crypto::random_bytes(&mut name);
        let name = ObjectId::from_bytes(name);
        let mut out = backend.writer(&pack_path(&name))?;
        let mut prefix = PACK_MAGIC.to_vec();
        prefix.push(PACK_VERSION);
        out.write(&prefix)?;
        Ok(Self {
            name,
            out,
            offset: PACK_PREFIX_LEN,
            entries: Vec::new(),
        })
    }

    /// Bytes written so far.
    pub fn bytes_written(&self) -> u64 {
        self.offset
    }

    pub fn add(
        &mut self,
        kind: BlobKind,
        id: ObjectId,
        raw_length: u32,
        sealed: &[u8],
    ) -> Result<(), BackendError> {
        self.out.write(sealed)?;
        let length = u32::try_from(sealed.len()).expect("blobs are far below 4 GiB");
        self.entries.push(PackEntry {
            id,
            kind,
            offset: self.offset,
            length,
            raw_length,
        });
        self.offset += u64::from(length);
        Ok(())
    }

    /// Writes the header and trailer and makes the pack visible; its fsync runs in the background.
    pub fn finish(
        mut self,
        key: &SecretKey,
    ) -> Result<(ObjectId, Vec<PackEntry>, PendingSync), BackendError> {
        let mut w = Writer::new();
        w.uvar(HEADER_VERSION);
        encode_entries(&mut w, &self.entries);
        let header = crypto::seal(key, &header_aad(&self.name), &w.finish());
        let header_len = u32::try_from(header.len()).expect("pack headers are far below 4 GiB");
        self.out.write(&header)?;
        let mut trailer = header_len.to_le_bytes().to_vec();
        trailer.extend_from_slice(PACK_TRAILER_MAGIC);
        self.out.write(&trailer)?;
        let sync = self.out.finish_deferred()?;
        Ok((self.name, self.entries, sync))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The pack's framing is wrong (truncated, wrong magic).
    #[error("pack {pack} is malformed: {detail}")]
    Malformed { pack: ObjectId, detail: String },
    /// The header failed authentication.
    #[error("pack {pack}: header failed authentication (the pack is damaged)")]
    HeaderAuth { pack: ObjectId },
    #[error("pack {pack}: {source}")]
    Decode {
        pack: ObjectId,
        #[source]
        source: DecodeError,
    },
}

/// Checks a pack's framing from its pieces (the 8-byte prefix, the sealed header, the 8-byte trailer and
/// the total size) and returns its entries. The blobs must tile the space between prefix and header.
pub fn read_framing(
    keys: &super::Keys,
    pack: &ObjectId,
    prefix: &[u8],
    header: &[u8],
    trailer: &[u8],
    size: u64,
) -> Result<Vec<PackEntry>, PackError> {
    let malformed = |detail: &str| PackError::Malformed {
        pack: *pack,
        detail: detail.into(),
    };
    if prefix.len() != PACK_PREFIX_LEN as usize || &prefix[..7] != PACK_MAGIC {
        return Err(malformed("bad magic"));
    }
    if prefix[7] != PACK_VERSION {
        return Err(malformed(&format!(
            "unsupported version {}; upgrade daw",
            prefix[7]
        )));
    }
    if trailer.len() != PACK_TRAILER_LEN as usize || &trailer[4..] != PACK_TRAILER_MAGIC {
        return Err(malformed("bad trailer"));
    }
    let header_len = u64::from(u32::from_le_bytes(
        trailer[..4].try_into().expect("4 bytes"),
    ));
    if header_len != header.len() as u64 || header_len + PACK_PREFIX_LEN + PACK_TRAILER_LEN > size {
        return Err(malformed("header length out of range"));
    }
    let header_start = size - PACK_TRAILER_LEN - header_len;
    let plain = crypto::open(&keys.data_key, &header_aad(pack), header)
        .map_err(|_| PackError::HeaderAuth { pack: *pack })?;
    let mut r = Reader::new(&plain, "pack header");
    let decode = |source| PackError::Decode {
        pack: *pack,
        source,
    };
    r.version(HEADER_VERSION).map_err(decode)?;
    let entries = decode_entries(&mut r).map_err(decode)?;
    r.finish().map_err(decode)?;
    let mut expect = PACK_PREFIX_LEN;
    for e in &entries {
        if e.offset != expect {
            return Err(malformed("blob layout does not tile the pack"));
        }
        expect += u64::from(e.length);
    }
    if expect != header_start {
        return Err(malformed("blob layout does not reach the header"));
    }
    Ok(entries)
}

/// Reads a pack's entries from its header in `backend` (three small range reads), checking its
/// framing and authenticating the header.
pub fn read_entries(
    backend: &Backend,
    keys: &super::Keys,
    name: &ObjectId,
    path: &str,
    size: u64,
) -> Result<Vec<PackEntry>, super::StoreError> {
    let min = PACK_PREFIX_LEN + PACK_TRAILER_LEN;
    if size < min {
        return Err(PackError::Malformed {
            pack: *name,
            detail: "too short".into(),
        }
        .into());
    }
    let prefix = backend.get_range(path, 0..PACK_PREFIX_LEN)?;
    let trailer = backend.get_range(path, size - PACK_TRAILER_LEN..size)?;
    let header_len = u64::from(u32::from_le_bytes(
        trailer[..4].try_into().expect("4 bytes"),
    ));
    if header_len > size - min {
        return Err(PackError::Malformed {
            pack: *name,
            detail: "header length out of range".into(),
        }
        .into());
    }
    let header_start = size - PACK_TRAILER_LEN - header_len;
    let header = backend.get_range(path, header_start..size - PACK_TRAILER_LEN)?;
    Ok(read_framing(keys, name, &prefix, &header, &trailer, size)?)
}
