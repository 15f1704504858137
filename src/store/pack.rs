//! Pack files: many sealed blobs in one object, ending with a sealed header that lists them, so a lost
//! index can be rebuilt from the packs alone (`docs/FORMAT.md`, "Pack").
//!
//! ```text
//! "DAWPACK" version(u8 = 2; 1 is still read)
//! blob*          each: sealed(flag ‖ payload), AAD = "daw blob v1" ‖ kind ‖ id
//! header         sealed(encoded entry list), AAD = "daw pack header v1" ‖ pack name
//! header_len     u32 little-endian, length of the sealed header
//! "DAWP"
//! ```
//!
//! A blob's payload is its plaintext (flag 0), a zstd frame of it (flag 1), or, since version 2, a
//! delta (flag 2): the id of a base blob of the same kind and a zstd frame of the plaintext compressed
//! with the base's plaintext as its prefix ("Blob" and "Delta" in `docs/FORMAT.md`). The blob's id is
//! the keyed hash of its plaintext however it is stored; only the encoding differs.

use crate::object::{BlobKind, DecodeError, ObjectId, Reader, Writer};

use super::backend::{Backend, BackendError, ObjectWriter, PendingSync};
use super::crypto::{self, SecretKey};

pub const PACK_MAGIC: &[u8; 7] = b"DAWPACK";
/// The version daw writes; version 1 (no delta records, no depth in the header) is still read.
pub const PACK_VERSION: u8 = 2;
pub const PACK_TRAILER_MAGIC: &[u8; 4] = b"DAWP";
/// Leading bytes before the first blob.
pub const PACK_PREFIX_LEN: u64 = 8;
/// `header_len` and the closing magic.
pub const PACK_TRAILER_LEN: u64 = 8;
/// Entry lists (pack headers, index files) of version 2 give each blob its delta depth.
const ENTRIES_VERSION: u8 = 2;

/// Flag byte at the start of a blob's plaintext envelope.
const FLAG_STORED: u8 = 0;
const FLAG_ZSTD: u8 = 1;
const FLAG_DELTA: u8 = 2;

/// The longest delta chain: a blob stored as a delta of a delta … of a whole blob, this many deltas
/// deep at most, so that reading any blob takes at most this many reads more. Part of format version 2:
/// a reader refuses a deeper chain as damaged.
pub const MAX_DELTA_DEPTH: u8 = 16;
/// Blobs larger than this are never stored as deltas, nor used as bases (recordings, huge trees): a
/// reader then holds at most two plaintexts of this size while it resolves a chain.
pub const MAX_DELTA_BLOB: usize = 1 << 20;

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
    /// 0 for a blob stored whole; d ≥ 1 for a delta whose base has a depth below d.
    pub depth: u8,
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

pub(crate) fn header_aad(pack: &ObjectId) -> Vec<u8> {
    let mut aad = b"daw pack header v1".to_vec();
    aad.extend_from_slice(pack.as_bytes());
    aad
}

/// zstd levels daw uses: a quick probe, and the level blobs are kept at. zstd is built without the
/// strategies that these and `DELTA_LEVEL` never select (.cargo/config.toml): choosing another level
/// means checking that list.
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
    let mut message = whole_message(data);
    crypto::seal_in_place(key, &blob_aad(kind, id), &mut message);
    message
}

/// Room a blob's envelope needs besides its plaintext: the nonce and the flag before it, the tag
/// after. A buffer with this much spare capacity is sealed where it is ([`seal_owned_blob`]).
pub const ENVELOPE_ROOM: usize = crypto::NONCE_LEN + 1 + crypto::TAG_LEN;

/// The envelope of a blob stored whole, after room for the nonce: the flag, then the plaintext or
/// its zstd frame, with room for the tag.
fn whole_message(data: &[u8]) -> Vec<u8> {
    compressed_message(data).unwrap_or_else(|| {
        let header = crypto::NONCE_LEN + 1;
        let mut message = Vec::with_capacity(header + data.len() + crypto::TAG_LEN);
        message.resize(header, 0);
        message[header - 1] = FLAG_STORED;
        message.extend_from_slice(data);
        message
    })
}

/// [`whole_message`] on the caller's buffer: a blob stored as it is (a recording's chunk) is moved
/// up within its own buffer, so sealing it allocates nothing when the buffer has [`ENVELOPE_ROOM`].
fn whole_message_owned(mut data: Vec<u8>) -> Vec<u8> {
    if let Some(message) = compressed_message(&data) {
        return message;
    }
    let header = crypto::NONCE_LEN + 1;
    let len = data.len();
    data.reserve_exact(ENVELOPE_ROOM);
    data.resize(len + header, 0);
    data.copy_within(..len, header);
    data[..header - 1].fill(0);
    data[header - 1] = FLAG_STORED;
    data
}

/// The envelope of a blob whose zstd frame saves at least 1/32 (audio rarely compresses): `None`
/// when it would not.
fn compressed_message(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 64 || !looks_compressible(data) {
        return None;
    }
    // Compressed straight into the envelope, after room for the nonce and the flag.
    let header = crypto::NONCE_LEN + 1;
    let limit = data.len() - data.len() / 32;
    let mut message = Vec::with_capacity(header + limit + crypto::TAG_LEN);
    message.resize(header, 0);
    let mut out = std::io::Cursor::new(message);
    out.set_position(header as u64);
    let fits = with_compressor(BLOB_LEVEL, |c| c.compress_to_buffer(data, &mut out))
        .is_some_and(|r| r.is_ok_and(|n| n < limit));
    let mut message = out.into_inner();
    message[header - 1] = FLAG_ZSTD;
    fits.then_some(message)
}

/// A blob a new blob may be stored as a delta of: an older blob of the same kind that the new one
/// probably resembles (the chunk or content node it replaces, the folder's tree in the parent commit).
#[derive(Clone, Debug)]
pub struct DeltaBase {
    pub id: ObjectId,
    /// Its depth in the index (the lowest of its copies).
    pub depth: u8,
    pub plaintext: std::sync::Arc<Vec<u8>>,
}

impl DeltaBase {
    /// Whether a delta of this base stays within the bounds (depth, size).
    pub fn usable(&self) -> bool {
        self.depth < MAX_DELTA_DEPTH && self.plaintext.len() <= MAX_DELTA_BLOB
    }
}

/// zstd level of deltas. Measured on a 10 KB chunk of a Live set with a 6-byte edit, against the chunk
/// it replaced: level 3 gives 71 bytes, 9 gives 36, 12 gives 32 and 19 gives 33, at 230, 19, 5 and
/// 1 MB/s (small inputs: setting up the context dominates). Level 9 is nearly the smallest, at half
/// a millisecond for a chunk.
const DELTA_LEVEL: i32 = 9;
/// Every zstd frame starts with these 4 bytes; a delta stores its frame without them.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// `data` compressed with `base` as its prefix (zstd's "reference prefix": raw content, used once,
/// no dictionary id in the frame), into `out` after what it holds; `None` when zstd fails.
fn compress_against(data: &[u8], base: &[u8], out: &mut Vec<u8>) -> Option<()> {
    use zstd::zstd_safe::{CCtx, CParameter};
    let mut cctx = CCtx::try_create()?;
    cctx.set_parameter(CParameter::CompressionLevel(DELTA_LEVEL))
        .ok()?;
    cctx.ref_prefix(base).ok()?;
    out.reserve(zstd::zstd_safe::compress_bound(data.len()) + crypto::TAG_LEN);
    let start = out.len();
    // WriteBuf for Vec writes into its spare capacity, after `start`.
    let mut tail = std::io::Cursor::new(std::mem::take(out));
    tail.set_position(start as u64);
    let result = cctx.compress2(&mut tail, data);
    *out = tail.into_inner();
    result.ok()?;
    // The magic number says nothing here: the flag already does.
    if out.get(start..start + ZSTD_MAGIC.len()) != Some(&ZSTD_MAGIC[..]) {
        return None;
    }
    out.drain(start..start + ZSTD_MAGIC.len());
    Some(())
}

/// The plaintext of a delta: `frame` (a zstd frame without its magic number) decompressed with
/// `base` as its prefix; it must be exactly `raw_length` bytes.
pub fn apply_delta(frame: &[u8], base: &[u8], raw_length: u32) -> std::io::Result<Vec<u8>> {
    use zstd::zstd_safe::DCtx;
    let mut whole = Vec::with_capacity(ZSTD_MAGIC.len() + frame.len());
    whole.extend_from_slice(&ZSTD_MAGIC);
    whole.extend_from_slice(frame);
    let frame = &whole[..];
    let mut dctx = DCtx::try_create().ok_or_else(|| std::io::Error::other("zstd context"))?;
    dctx.ref_prefix(base)
        .map_err(|c| std::io::Error::other(zstd::zstd_safe::get_error_name(c)))?;
    let mut out: Vec<u8> = Vec::with_capacity(raw_length as usize);
    dctx.decompress(&mut out, frame)
        .map_err(|c| std::io::Error::other(zstd::zstd_safe::get_error_name(c)))?;
    if out.len() != raw_length as usize {
        return Err(std::io::Error::other(format!(
            "delta gives {} bytes instead of {raw_length}",
            out.len()
        )));
    }
    Ok(out)
}

/// Seals one blob as compactly as it can: whole (compressed when that helps), or as a delta of the
/// base that gives the smallest encoding, when that is smaller still. Returns the sealed bytes and
/// the blob's depth (0: whole).
pub fn seal_blob_against(
    key: &SecretKey,
    kind: BlobKind,
    id: &ObjectId,
    data: &[u8],
    bases: &[DeltaBase],
) -> (Vec<u8>, u8) {
    let mut best = whole_message(data);
    let whole_len = best.len();
    let mut depth = 0;
    if data.len() <= MAX_DELTA_BLOB {
        let header = crypto::NONCE_LEN + 1 + ObjectId::LEN;
        for base in bases.iter().filter(|b| b.usable() && b.id != *id) {
            let mut message = Vec::with_capacity(header + data.len() / 4 + crypto::TAG_LEN);
            message.resize(crypto::NONCE_LEN, 0);
            message.push(FLAG_DELTA);
            message.extend_from_slice(base.id.as_bytes());
            // A delta must save a quarter at least: a base that only lets zstd's slower level
            // shave a few bytes off is not worth a link in a chain (and a blob to keep alive).
            if compress_against(data, &base.plaintext, &mut message).is_some()
                && message.len() < best.len()
                && message.len() * 4 <= whole_len * 3
            {
                best = message;
                depth = base.depth + 1;
            }
        }
    }
    crypto::seal_in_place(key, &blob_aad(kind, id), &mut best);
    (best, depth)
}

/// [`seal_blob_against`] on a buffer the caller gives up: a blob stored whole and uncompressed is
/// sealed in it (no second buffer of a recording's chunk while it waits for its pack). The same
/// envelope either way.
pub fn seal_owned_blob(
    key: &SecretKey,
    kind: BlobKind,
    id: &ObjectId,
    data: Vec<u8>,
    bases: &[DeltaBase],
) -> (Vec<u8>, u8) {
    if data.len() <= MAX_DELTA_BLOB && bases.iter().any(|b| b.usable() && b.id != *id) {
        return seal_blob_against(key, kind, id, &data, bases);
    }
    let mut message = whole_message_owned(data);
    crypto::seal_in_place(key, &blob_aad(kind, id), &mut message);
    (message, 0)
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

/// A blob's envelope, opened.
#[derive(Debug)]
pub enum Opened {
    /// The plaintext (its id still to be checked by the caller, who holds the id key).
    Whole(Vec<u8>),
    /// A delta: the base's plaintext is needed to rebuild it ([`apply_delta`]).
    Delta { base: ObjectId, frame: Vec<u8> },
}

/// Opens a sealed blob stored whole and checks its length; the caller checks the id (it holds the id
/// key). A delta is refused: it needs its base ([`open_envelope`]).
pub fn open_blob(
    key: &SecretKey,
    kind: BlobKind,
    id: &ObjectId,
    raw_length: u32,
    sealed: &[u8],
) -> Result<Vec<u8>, BlobError> {
    match open_envelope(key, kind, id, raw_length, 0, sealed.to_vec())? {
        Opened::Whole(data) => Ok(data),
        Opened::Delta { .. } => unreachable!("depth 0 is never a delta"),
    }
}

/// Opens a sealed blob on a buffer it may reuse (a blob stored uncompressed is decrypted where it
/// is). `depth` is the blob's depth in its pack's header: a delta there must be a delta here, and a
/// whole blob whole.
pub fn open_envelope(
    key: &SecretKey,
    kind: BlobKind,
    id: &ObjectId,
    raw_length: u32,
    depth: u8,
    mut sealed: Vec<u8>,
) -> Result<Opened, BlobError> {
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
    let flag = sealed[plain.start];
    if (flag == FLAG_DELTA) != (depth > 0) {
        return Err(malformed(format!(
            "its envelope (flag {flag}) disagrees with its depth {depth} in the pack header"
        )));
    }
    let data = match flag {
        FLAG_STORED => {
            sealed.truncate(body.end);
            sealed.drain(..body.start);
            sealed
        }
        FLAG_ZSTD => {
            decompress(&sealed[body], raw_length as usize).map_err(|e| malformed(e.to_string()))?
        }
        FLAG_DELTA => {
            if body.len() < ObjectId::LEN {
                return Err(malformed("delta envelope too short".into()));
            }
            let base = ObjectId::from_bytes(
                sealed[body.start..body.start + ObjectId::LEN]
                    .try_into()
                    .expect("32 bytes"),
            );
            sealed.truncate(body.end);
            sealed.drain(..body.start + ObjectId::LEN);
            return Ok(Opened::Delta {
                base,
                frame: sealed,
            });
        }
        f => return Err(malformed(format!("unknown flag {f}"))),
    };
    if data.len() != raw_length as usize {
        return Err(malformed(format!(
            "length {} instead of {raw_length}",
            data.len()
        )));
    }
    Ok(Opened::Whole(data))
}

/// The bytes of a blob's envelope before its payload: the flag, and for a delta its base's id (for
/// measuring where a repository's bytes go).
pub fn envelope_header_len(depth: u8) -> usize {
    if depth > 0 { 1 + ObjectId::LEN } else { 1 }
}

/// Entries as a pack header or index file of version 2 lists them.
pub fn encode_entries(w: &mut Writer, entries: &[PackEntry]) {
    w.uvar(entries.len() as u64);
    for e in entries {
        w.id(&e.id)
            .u8(e.kind as u8)
            .uvar(e.offset)
            .uvar(u64::from(e.length))
            .uvar(u64::from(e.raw_length))
            .u8(e.depth);
    }
}

/// Entries of a pack header or index file of `version` (1: no depth, every blob whole).
pub fn decode_entries(r: &mut Reader<'_>, version: u8) -> Result<Vec<PackEntry>, DecodeError> {
    let n = r.count(36)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.id()?;
        let kind = BlobKind::from_u8(r.u8()?).ok_or_else(|| r.invalid("unknown blob kind"))?;
        let offset = r.uvar()?;
        let length = u32::try_from(r.uvar()?).map_err(|_| r.invalid("blob too long"))?;
        let raw_length = u32::try_from(r.uvar()?).map_err(|_| r.invalid("blob too long"))?;
        let depth = if version >= ENTRIES_VERSION {
            r.u8()?
        } else {
            0
        };
        if depth > MAX_DELTA_DEPTH {
            return Err(r.invalid(format!(
                "delta depth {depth} above the maximum {MAX_DELTA_DEPTH}"
            )));
        }
        out.push(PackEntry {
            id,
            kind,
            offset,
            length,
            raw_length,
            depth,
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
        depth: u8,
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
            depth,
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
        // The header's version is the pack's.
        w.uvar(u64::from(PACK_VERSION));
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
    let version = prefix[7];
    if version == 0 || version > PACK_VERSION {
        return Err(malformed(&format!(
            "unsupported version {version}; upgrade daw"
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
    if r.version(u64::from(PACK_VERSION)).map_err(decode)? != u64::from(version) {
        return Err(malformed("header version differs from the pack's"));
    }
    let entries = decode_entries(&mut r, version).map_err(decode)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// XML-like text: deltas are for documents.
    fn document(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed | 1;
        let mut out = Vec::with_capacity(len + 64);
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.extend_from_slice(
                format!("\t\t<Manual Value=\"{}\" Id=\"{}\" />\n", x % 1000, x % 97).as_bytes(),
            );
        }
        out.truncate(len);
        out
    }

    fn base(data: &[u8], depth: u8) -> DeltaBase {
        DeltaBase {
            id: ObjectId::from_bytes(*blake3::hash(data).as_bytes()),
            depth,
            plaintext: std::sync::Arc::new(data.to_vec()),
        }
    }

    #[test]
    fn a_delta_round_trips_and_is_far_smaller_than_the_blob() {
        let key = SecretKey::random();
        let old = document(1, 8000);
        let mut new = old.clone();
        new[4000..4006].copy_from_slice(b"EDITED");
        let id = ObjectId::from_bytes([9; 32]);
        let whole = seal_blob(&key, BlobKind::Chunk, &id, &new);
        let b = base(&old, 3);
        let (sealed, depth) =
            seal_blob_against(&key, BlobKind::Chunk, &id, &new, std::slice::from_ref(&b));
        assert_eq!(depth, 4, "one more than its base");
        assert!(
            sealed.len() * 5 < whole.len(),
            "a 6-byte edit cost {} bytes as a delta, {} whole",
            sealed.len(),
            whole.len()
        );
        let Opened::Delta { base: named, frame } =
            open_envelope(&key, BlobKind::Chunk, &id, new.len() as u32, depth, sealed).unwrap()
        else {
            panic!("stored whole");
        };
        assert_eq!(named, b.id);
        assert_eq!(apply_delta(&frame, &old, new.len() as u32).unwrap(), new);
        // Against another base, the frame does not give the blob back (the store then sees a wrong
        // hash, or zstd an error): it never passes for the right plaintext.
        let other = document(2, 8000);
        assert_ne!(
            apply_delta(&frame, &other, new.len() as u32).ok(),
            Some(new.clone())
        );
        // A wrong length is refused.
        assert!(apply_delta(&frame, &old, new.len() as u32 + 1).is_err());
    }

    #[test]
    fn the_smallest_encoding_wins_and_bounds_are_kept() {
        let key = SecretKey::random();
        let id = ObjectId::from_bytes([1; 32]);
        let data = document(5, 6000);
        // An unrelated base does not beat the whole blob.
        let unrelated = base(&common_noise(6000), 0);
        let (_, depth) = seal_blob_against(&key, BlobKind::Tree, &id, &data, &[unrelated]);
        assert_eq!(depth, 0);
        // The best of several bases is taken.
        let mut near = data.clone();
        near[100] ^= 1;
        let far = document(6, 6000);
        let (_, depth) = seal_blob_against(
            &key,
            BlobKind::Tree,
            &id,
            &data,
            &[base(&far, 0), base(&near, 7)],
        );
        assert_eq!(depth, 8);
        // A base at the maximum depth is never used: the chain would grow past the bound.
        let (_, depth) = seal_blob_against(
            &key,
            BlobKind::Tree,
            &id,
            &data,
            &[base(&near, MAX_DELTA_DEPTH)],
        );
        assert_eq!(depth, 0);
        // Nor is a base larger than the limit, nor a blob larger than it.
        let big = document(7, MAX_DELTA_BLOB + 1);
        let (_, depth) = seal_blob_against(&key, BlobKind::Chunk, &id, &data, &[base(&big, 0)]);
        assert_eq!(depth, 0);
        let mut big2 = big.clone();
        big2[10] ^= 1;
        let (_, depth) = seal_blob_against(&key, BlobKind::Chunk, &id, &big2, &[base(&big, 0)]);
        assert_eq!(depth, 0);
    }

    fn common_noise(len: usize) -> Vec<u8> {
        let mut x = 0x1234_5678_9abc_def1u64;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn an_envelope_that_disagrees_with_its_depth_is_refused() {
        let key = SecretKey::random();
        let id = ObjectId::from_bytes([2; 32]);
        let old = document(3, 4000);
        let mut new = old.clone();
        new[10] = b'!';
        let (delta, depth) = seal_blob_against(&key, BlobKind::Chunk, &id, &new, &[base(&old, 0)]);
        assert_eq!(depth, 1);
        let err = open_envelope(&key, BlobKind::Chunk, &id, new.len() as u32, 0, delta)
            .unwrap_err()
            .to_string();
        assert!(err.contains("disagrees with its depth"), "{err}");
        let whole = seal_blob(&key, BlobKind::Chunk, &id, &new);
        let err = open_envelope(&key, BlobKind::Chunk, &id, new.len() as u32, 1, whole)
            .unwrap_err()
            .to_string();
        assert!(err.contains("disagrees with its depth"), "{err}");
    }

    #[test]
    fn entries_of_version_1_read_as_whole_and_depths_above_the_bound_are_refused() {
        let entry = PackEntry {
            id: ObjectId::from_bytes([3; 32]),
            kind: BlobKind::ContentNode,
            offset: 8,
            length: 100,
            raw_length: 300,
            depth: 5,
        };
        let mut w = Writer::new();
        encode_entries(&mut w, &[entry]);
        let bytes = w.finish();
        let back = decode_entries(&mut Reader::new(&bytes, "test"), 2).unwrap();
        assert_eq!(back, vec![entry]);
        // Version 1: the same fields without the depth byte.
        let mut w = Writer::new();
        w.uvar(1)
            .id(&entry.id)
            .u8(entry.kind as u8)
            .uvar(8)
            .uvar(100)
            .uvar(300);
        let v1 = w.finish();
        let back = decode_entries(&mut Reader::new(&v1, "test"), 1).unwrap();
        assert_eq!(back[0].depth, 0);
        let deep = PackEntry {
            depth: MAX_DELTA_DEPTH + 1,
            ..entry
        };
        let mut w = Writer::new();
        encode_entries(&mut w, &[deep]);
        let bytes = w.finish();
        assert!(decode_entries(&mut Reader::new(&bytes, "test"), 2).is_err());
    }
}
