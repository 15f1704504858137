//! Byte-exact gzip re-creation, the basis of `gzip-xml` objects.
//!
//! Ableton Live saves a set as gzip. A one-character edit changes most of a deflate stream, so daw stores the
//! *decompressed* payload (which chunks and dedups well) plus a [`GzipLayout`]: the verbatim gzip header and
//! the deflate parameters that re-create the original compressed bytes. A layout is only ever produced by
//! [`probe`], which proves during one streaming pass that stock zlib, fed the payload, emits exactly the
//! original deflate stream. [`Inflater`] yields a file's payload and [`rebuild`] turns payload + layout back
//! into the original bytes.
//!
//! Re-compression uses stock zlib, statically built by `libz-sys` (feature `static`): its output for a given
//! level and memLevel is what Live, Python's `gzip` and BSD `gzip` write. flate2's C backend fixes memLevel at
//! 8, and zlib-ng or miniz_oxide emit other bytes. Inflating may use any correct decoder; flate2's default
//! (miniz_oxide) is used.
//!
//! Everything here streams with a fixed memory budget, independent of file size. This module does no file
//! system access and never prints: bytes in, bytes (or a layout) out.

use std::ffi::CStr;
use std::io::{self, Read, Write};
use std::os::raw::{c_int, c_void};

use flate2::{Crc, Decompress, FlushDecompress, Status};
use libz_sys::{uInt, voidpf, z_stream};

mod split;
pub use split::{MAX_SPLIT_PAYLOAD, prepare_split, probe_split, prove_split, rebuild_split};

/// The layout version of a stream re-created in one piece.
const LAYOUT_VERSION: u8 = 1;

/// The layout version of a stream re-created in two halves at once (see [`split`]).
const LAYOUT_VERSION_SPLIT: u8 = 2;

/// Size of the split fields that version 2 adds after the fixed part.
const LAYOUT_SPLIT_LEN: usize = 24;

/// Size of the fixed part of an encoded layout, before the header bytes.
const LAYOUT_FIXED_LEN: usize = 21;

/// deflate window bits as stored in a layout (the stream itself is raw deflate, zlib's `-15`).
const WINDOW_BITS: u8 = 15;

/// zlib's `Z_DEFAULT_STRATEGY` as stored in a layout.
const STRATEGY_DEFAULT: u8 = 0;

/// A gzip header longer than this (huge FEXTRA, FNAME or FCOMMENT) is not treated as gzip by [`probe`]:
/// the file is then stored raw. Real headers are tens of bytes.
const MAX_HEADER_LEN: usize = 1 << 20;

/// How much is read from the input at a time.
const READ_CHUNK: usize = 64 << 10;

/// Size of the decompressed and compressed scratch buffers.
const WORK_CHUNK: usize = 64 << 10;

/// Upper bound on the original compressed bytes [`probe`] keeps in memory (bytes some surviving candidate
/// has not compared yet, plus bytes read but not yet inflated). A zlib compressor lags the original stream by
/// at most one deflate block: under 200 KiB of compressed data at memLevel 9 (32767 symbols of at most 48 bits).
/// A candidate lagging further cannot be zlib with that memLevel and is dropped.
const MAX_WINDOW: usize = 2 << 20;

/// Candidate deflate parameters in the order [`probe`] prefers them when several re-create a file exactly.
/// First what Live writes (6, 9), then 6 with zlib's default memLevel, then level 9 (Python's `gzip`), then
/// the rest, zlib's default memLevel 8 first.
const CANDIDATES: [(u8, u8); 18] = [
    (6, 9),
    (6, 8),
    (9, 8),
    (9, 9),
    (5, 8),
    (5, 9),
    (7, 8),
    (7, 9),
    (8, 8),
    (8, 9),
    (4, 8),
    (4, 9),
    (3, 8),
    (3, 9),
    (2, 8),
    (2, 9),
    (1, 8),
    (1, 9),
];

/// Why a gzip operation failed.
///
/// [`probe`] reports only I/O errors: input that is not exactly re-creatable is `Ok(None)`.
#[derive(Debug, thiserror::Error)]
pub enum GzipError {
    /// Reading the input or writing the output failed (the cause is the underlying I/O error).
    #[error("reading or writing gzip data failed")]
    Io(#[from] io::Error),

    /// The input does not start with a gzip header (it may be plain XML or another format).
    #[error("not a gzip file: {reason}")]
    NotGzip {
        /// What is wrong with the first bytes.
        reason: &'static str,
    },

    /// The input ends before the gzip member does (an interrupted save or copy).
    #[error("gzip file is truncated: it ends inside the {part}")]
    Truncated {
        /// Which part was cut off: "header", "compressed data" or "trailer".
        part: &'static str,
    },

    /// The compressed data is not a valid deflate stream.
    #[error("gzip file is corrupt: the compressed data is not valid deflate ({detail})")]
    CorruptDeflate {
        /// The decoder's description of the problem.
        detail: String,
    },

    /// The gzip trailer disagrees with the decompressed data: the file is damaged.
    #[error(
        "gzip file is corrupt: its trailer records CRC-32 {expected_crc:08x} and length {expected_len} \
         (mod 2^32), but the data has CRC-32 {actual_crc:08x} and length {actual_len}"
    )]
    TrailerMismatch {
        /// CRC-32 recorded in the trailer.
        expected_crc: u32,
        /// Length recorded in the trailer (the payload size modulo 2^32).
        expected_len: u32,
        /// CRC-32 of the decompressed data.
        actual_crc: u32,
        /// Length of the decompressed data.
        actual_len: u64,
    },

    /// A stored layout has a version this build of daw does not know.
    #[error(
        "gzip layout version {version} is not supported (this daw reads versions {LAYOUT_VERSION} and \
         {LAYOUT_VERSION_SPLIT}); \
         the repository was probably written by a newer daw: upgrade daw"
    )]
    UnsupportedLayoutVersion {
        /// The version byte found.
        version: u8,
    },

    /// A stored layout is malformed: the repository object is damaged.
    #[error("gzip layout record is corrupt: {reason}")]
    CorruptLayout {
        /// What is malformed.
        reason: &'static str,
    },

    /// Deflate parameters outside the range zlib accepts.
    #[error(
        "unsupported deflate parameters: level {level}, memLevel {mem_level} \
         (level must be 0-9 and memLevel 1-9)"
    )]
    InvalidParams {
        /// The compression level given.
        level: u8,
        /// The memLevel given.
        mem_level: u8,
    },

    /// The payload given to [`rebuild`] is not the one the layout was made from.
    #[error(
        "payload does not match its gzip layout: expected {expected_len} bytes with CRC-32 \
         {expected_crc:08x}, got {actual_len} bytes with CRC-32 {actual_crc:08x}; the output is invalid \
         and must be discarded"
    )]
    PayloadMismatch {
        /// Decompressed size recorded in the layout.
        expected_len: u64,
        /// CRC-32 recorded in the layout.
        expected_crc: u32,
        /// Size of the payload actually read.
        actual_len: u64,
        /// CRC-32 of the payload actually read.
        actual_crc: u32,
    },

    /// zlib refused an operation: out of memory, or a bug in how daw drives it.
    #[error("zlib {function} failed with code {code}: {message}")]
    Zlib {
        /// The zlib function that failed.
        function: &'static str,
        /// zlib's return code (`Z_MEM_ERROR` is -4).
        code: i32,
        /// zlib's message, if it gave one.
        message: String,
    },
}

/// zlib deflate parameters: compression level and memLevel. Window bits are always 15 (a raw deflate stream,
/// zlib's `windowBits = -15`) and the strategy is always `Z_DEFAULT_STRATEGY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeflateParams {
    level: u8,
    mem_level: u8,
}

impl DeflateParams {
    /// What Ableton Live writes: level 6, memLevel 9.
    pub const LIVE: DeflateParams = DeflateParams {
        level: 6,
        mem_level: 9,
    };

    /// Parameters with `level` 0-9 and `mem_level` 1-9.
    pub fn new(level: u8, mem_level: u8) -> Result<Self, GzipError> {
        if level > 9 || !(1..=9).contains(&mem_level) {
            return Err(GzipError::InvalidParams { level, mem_level });
        }
        Ok(DeflateParams { level, mem_level })
    }

    /// Compression level, 0-9.
    pub fn level(&self) -> u8 {
        self.level
    }

    /// zlib memLevel, 1-9.
    pub fn mem_level(&self) -> u8 {
        self.mem_level
    }
}

impl std::fmt::Display for DeflateParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "level {}, memLevel {}", self.level, self.mem_level)
    }
}

/// Everything needed to rebuild a single-member gzip file byte-exactly from its decompressed payload.
///
/// Only [`probe`] creates layouts from files, and only once it has proven that zlib re-creates the
/// original deflate stream from the payload with these parameters.
///
/// # Encoding, version 1
///
/// [`GzipLayout::encode`] writes, all integers little-endian:
///
/// | offset | size | field                                                                   |
/// |-------:|-----:|-------------------------------------------------------------------------|
/// | 0      | 1    | layout version, `1`                                                     |
/// | 1      | 1    | deflate level, 0-9                                                      |
/// | 2      | 1    | zlib memLevel, 1-9                                                      |
/// | 3      | 1    | window bits, `15` (raw deflate, zlib `windowBits = -15`)                 |
/// | 4      | 1    | strategy, `0` (`Z_DEFAULT_STRATEGY`)                                     |
/// | 5      | 8    | decompressed payload size in bytes (u64)                                |
/// | 13     | 4    | CRC-32 of the payload (u32, the gzip trailer's CRC)                     |
/// | 17     | 4    | gzip header length `n` (u32, 10 ..= 1 MiB)                              |
/// | 21     | n    | the gzip header, verbatim (FEXTRA, FNAME, FCOMMENT, FHCRC included)     |
///
/// Nothing follows. The 8-byte gzip trailer is not stored: it is the CRC-32 followed by the size modulo 2^32.
/// The rebuilt file is `header ‖ zlib_deflate(payload, level, memLevel, -15, default strategy) ‖ trailer`,
/// where zlib is stock zlib (1.2.x/1.3.x, whose deflate output is the same for these parameters).
/// [`GzipLayout::decode`] rejects any other version, out-of-range parameters, a header that does not parse
/// as exactly `n` bytes of gzip header, and trailing bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GzipLayout {
    header: Vec<u8>,
    params: DeflateParams,
    payload_len: u64,
    payload_crc: u32,
    /// Where the stream is cut to be re-created in two halves at once (layout version 2).
    split: Option<Split>,
}

/// A cut of the deflate stream at a block boundary: the second half is re-created by a compressor that
/// starts there with the 32 KiB before it as its dictionary (see [`split`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    /// Payload offset where the block after the cut starts.
    pub payload_offset: u64,
    /// Bit offset of that block in the deflate stream (bits counted from the stream's first byte, least
    /// significant bit first).
    pub bit_offset: u64,
    /// Length of the whole deflate stream in bytes.
    pub deflate_len: u64,
}

impl GzipLayout {
    /// The verbatim gzip header of the original file.
    pub fn header(&self) -> &[u8] {
        &self.header
    }

    /// The deflate parameters that re-create the original compressed stream.
    pub fn params(&self) -> DeflateParams {
        self.params
    }

    /// Size of the decompressed payload in bytes.
    pub fn payload_len(&self) -> u64 {
        self.payload_len
    }

    /// CRC-32 of the decompressed payload.
    pub fn payload_crc(&self) -> u32 {
        self.payload_crc
    }

    /// The cut used to re-create the stream in two halves, if any.
    pub fn split(&self) -> Option<Split> {
        self.split
    }

    /// The layout of a new gzip file: `payload` deflated with `params` behind `header` (one complete
    /// gzip header, e.g. that of another version of the same file). The file it describes is, by
    /// definition, what [`rebuild`] writes; the set merge makes its result this way, with the
    /// header and parameters of this side's version.
    pub fn for_payload(
        header: &[u8],
        params: DeflateParams,
        payload: &[u8],
    ) -> Result<Self, GzipError> {
        if header.len() > MAX_HEADER_LEN
            || parse_header(header) != HeaderParse::Complete(header.len())
        {
            return Err(GzipError::CorruptLayout {
                reason: "the gzip header is not exactly one valid gzip header",
            });
        }
        let mut crc = Crc::new();
        crc.update(payload);
        Ok(GzipLayout {
            header: header.to_vec(),
            params,
            payload_len: payload.len() as u64,
            payload_crc: crc.sum(),
            split: None,
        })
    }

    /// Encodes the layout in the versioned binary form documented on the type.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(LAYOUT_FIXED_LEN + LAYOUT_SPLIT_LEN + self.header.len());
        out.push(if self.split.is_some() {
            LAYOUT_VERSION_SPLIT
        } else {
            LAYOUT_VERSION
        });
        out.push(self.params.level);
        out.push(self.params.mem_level);
        out.push(WINDOW_BITS);
        out.push(STRATEGY_DEFAULT);
        out.extend_from_slice(&self.payload_len.to_le_bytes());
        out.extend_from_slice(&self.payload_crc.to_le_bytes());
        // The header length is at most MAX_HEADER_LEN (checked where layouts are made), so it fits in u32.
        out.extend_from_slice(&(self.header.len() as u32).to_le_bytes());
        if let Some(split) = &self.split {
            out.extend_from_slice(&split.payload_offset.to_le_bytes());
            out.extend_from_slice(&split.bit_offset.to_le_bytes());
            out.extend_from_slice(&split.deflate_len.to_le_bytes());
        }
        out.extend_from_slice(&self.header);
        out
    }

    /// Decodes a layout written by [`GzipLayout::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Self, GzipError> {
        let corrupt = |reason| GzipError::CorruptLayout { reason };
        let version = *bytes.first().ok_or(corrupt("it is empty"))?;
        if version != LAYOUT_VERSION && version != LAYOUT_VERSION_SPLIT {
            return Err(GzipError::UnsupportedLayoutVersion { version });
        }
        let fixed = bytes
            .get(..LAYOUT_FIXED_LEN)
            .ok_or(corrupt("it is shorter than its fixed fields"))?;
        let params = DeflateParams::new(fixed[1], fixed[2])?;
        if fixed[3] != WINDOW_BITS {
            return Err(corrupt("window bits are not 15"));
        }
        if fixed[4] != STRATEGY_DEFAULT {
            return Err(corrupt("the deflate strategy is not the default one"));
        }
        let payload_len = u64::from_le_bytes(le_array(&fixed[5..13]));
        let payload_crc = u32::from_le_bytes(le_array(&fixed[13..17]));
        let header_len = u32::from_le_bytes(le_array(&fixed[17..21])) as usize;
        let mut rest = &bytes[LAYOUT_FIXED_LEN..];
        let mut split = None;
        if version == LAYOUT_VERSION_SPLIT {
            let f = rest
                .get(..LAYOUT_SPLIT_LEN)
                .ok_or(corrupt("it is shorter than its split fields"))?;
            let s = Split {
                payload_offset: u64::from_le_bytes(le_array(&f[0..8])),
                bit_offset: u64::from_le_bytes(le_array(&f[8..16])),
                deflate_len: u64::from_le_bytes(le_array(&f[16..24])),
            };
            if s.payload_offset == 0
                || s.payload_offset >= payload_len
                || s.bit_offset == 0
                || s.bit_offset >= s.deflate_len.saturating_mul(8)
                || payload_len > MAX_SPLIT_PAYLOAD
            {
                return Err(corrupt("its split point is outside the stream"));
            }
            split = Some(s);
            rest = &rest[LAYOUT_SPLIT_LEN..];
        }
        let header = rest;
        if header.len() != header_len {
            return Err(corrupt(
                "its length does not match the recorded gzip header length",
            ));
        }
        if header_len > MAX_HEADER_LEN || parse_header(header) != HeaderParse::Complete(header_len)
        {
            return Err(corrupt(
                "the recorded gzip header is not exactly one valid gzip header",
            ));
        }
        Ok(GzipLayout {
            header: header.to_vec(),
            params,
            payload_len,
            payload_crc,
            split,
        })
    }
}

/// Copies a slice of known length `N` into an array (callers slice exactly `N` bytes).
fn le_array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut array = [0; N];
    array.copy_from_slice(bytes);
    array
}

/// The version string of the zlib that re-compression uses (libz-sys's bundled copy, e.g. "1.3.2").
pub fn zlib_version() -> &'static str {
    // SAFETY: zlibVersion takes no arguments and returns a pointer to a static, NUL-terminated string
    // constant inside zlib, valid for the life of the program.
    let version = unsafe { CStr::from_ptr(libz_sys::zlibVersion()) };
    version.to_str().unwrap_or("unknown")
}

// ---------------------------------------------------------------------------------------------------------
// Gzip header (RFC 1952, section 2.3)
// ---------------------------------------------------------------------------------------------------------

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
const FRESERVED: u8 = 0xe0;

/// Result of parsing the start of a buffer as a gzip header.
#[derive(Debug, PartialEq, Eq)]
enum HeaderParse {
    /// A complete header of this many bytes.
    Complete(usize),
    /// So far a valid header prefix; more bytes are needed.
    Incomplete,
    /// Not a gzip header.
    NotGzip(&'static str),
}

/// Parses a gzip header at the start of `data`. Header CRCs (FHCRC) are kept, not checked: the header is
/// reproduced verbatim either way.
fn parse_header(data: &[u8]) -> HeaderParse {
    let fixed = [
        (0, 0x1f, "wrong magic number"),
        (1, 0x8b, "wrong magic number"),
        (2, 8, "compression method is not deflate"),
    ];
    for (index, expected, reason) in fixed {
        match data.get(index) {
            None => return HeaderParse::Incomplete,
            Some(&byte) if byte != expected => return HeaderParse::NotGzip(reason),
            Some(_) => {}
        }
    }
    let Some(&flags) = data.get(3) else {
        return HeaderParse::Incomplete;
    };
    if flags & FRESERVED != 0 {
        return HeaderParse::NotGzip("reserved header flags are set");
    }
    let mut pos = 10;
    if flags & FEXTRA != 0 {
        let Some(xlen) = data.get(pos..pos + 2) else {
            return HeaderParse::Incomplete;
        };
        pos += 2 + usize::from(u16::from_le_bytes([xlen[0], xlen[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let Some(field) = data.get(pos..) else {
                return HeaderParse::Incomplete;
            };
            match field.iter().position(|&byte| byte == 0) {
                Some(nul) => pos += nul + 1,
                None => return HeaderParse::Incomplete,
            }
        }
    }
    if flags & FHCRC != 0 {
        pos += 2;
    }
    if data.len() < pos {
        HeaderParse::Incomplete
    } else {
        HeaderParse::Complete(pos)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Stock zlib deflate, raw API behind a safe wrapper
// ---------------------------------------------------------------------------------------------------------

/// zlib allocation callback: zeroed memory from the C heap.
extern "C" fn zalloc(_opaque: voidpf, items: uInt, size: uInt) -> voidpf {
    // Null when `items * size` overflows or memory is exhausted, which zlib reports as Z_MEM_ERROR.
    // Zeroed memory keeps zlib from ever reading uninitialised bytes.
    crate::platform::c_calloc(items as usize, size as usize).cast()
}

/// zlib deallocation callback.
///
/// # Safety
/// `address` must come from [`zalloc`] and not have been freed; zlib guarantees this.
unsafe extern "C" fn zfree(_opaque: voidpf, address: voidpf) {
    // SAFETY: per this function's contract, `address` was returned by calloc in `zalloc` and is freed once.
    unsafe { crate::platform::c_free(address.cast()) }
}

/// A `z_stream` with no input, output or state yet and daw's allocators, boxed so that it keeps its
/// address (zlib's state points back at it) from `*Init2_` to `*End`.
fn new_stream() -> Box<z_stream> {
    Box::new(z_stream {
        next_in: std::ptr::null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: std::ptr::null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: std::ptr::null_mut(),
        state: std::ptr::null_mut(),
        zalloc,
        zfree,
        opaque: std::ptr::null_mut::<c_void>(),
        data_type: 0,
        adler: 0,
        reserved: 0,
    })
}

/// One step of [`RawDeflater::deflate`].
struct DeflateStep {
    consumed: usize,
    produced: usize,
    stream_end: bool,
}

/// A zlib raw-deflate compressor (`deflateInit2_(level, Z_DEFLATED, -15, memLevel, Z_DEFAULT_STRATEGY)`).
struct RawDeflater {
    /// Boxed because zlib's internal state points back at the `z_stream` and rejects calls made through a
    /// moved one: the stream must keep its address from `deflateInit2_` to `deflateEnd`.
    stream: Box<z_stream>,
}

impl RawDeflater {
    fn new(params: DeflateParams) -> Result<Self, GzipError> {
        let mut stream = new_stream();
        // SAFETY: `stream` is a fully initialised z_stream with valid allocator callbacks and no input or
        // output yet, at a stable heap address. The version string is zlib's own static string and
        // stream_size is the size of the struct libz-sys declares, so zlib checks our layout matches its own.
        let code = unsafe {
            libz_sys::deflateInit2_(
                &mut *stream,
                c_int::from(params.level),
                libz_sys::Z_DEFLATED,
                -c_int::from(WINDOW_BITS),
                c_int::from(params.mem_level),
                libz_sys::Z_DEFAULT_STRATEGY,
                libz_sys::zlibVersion(),
                std::mem::size_of::<z_stream>() as c_int,
            )
        };
        if code != libz_sys::Z_OK {
            // deflateInit2_ frees whatever it allocated when it fails, so there is nothing to end.
            return Err(zlib_error("deflateInit2_", code, &stream));
        }
        Ok(RawDeflater { stream })
    }

    /// Primes the compressor with the bytes that precede its input (at most the last 32 KiB count).
    /// Must be called before the first [`RawDeflater::deflate`].
    fn set_dictionary(&mut self, dictionary: &[u8]) -> Result<(), GzipError> {
        let len = dictionary.len().min(uInt::MAX as usize) as uInt;
        // SAFETY: the stream is initialised and has not moved; zlib copies `len` bytes from `dictionary`,
        // which outlives the call, and keeps no pointer to it.
        let code =
            unsafe { libz_sys::deflateSetDictionary(&mut *self.stream, dictionary.as_ptr(), len) };
        if code != libz_sys::Z_OK {
            return Err(zlib_error("deflateSetDictionary", code, &self.stream));
        }
        Ok(())
    }

    /// Compresses from `input` into `output`; with `finish`, ends the stream once all input is consumed.
    /// Output does not depend on how the input is split across calls (zlib with `Z_NO_FLUSH`, levels 1-9).
    fn deflate(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        finish: bool,
    ) -> Result<DeflateStep, GzipError> {
        let avail_in = input.len().min(uInt::MAX as usize);
        let avail_out = output.len().min(uInt::MAX as usize);
        let flush = if finish && avail_in == input.len() {
            libz_sys::Z_FINISH
        } else {
            libz_sys::Z_NO_FLUSH
        };
        self.stream.next_in = input.as_ptr().cast_mut();
        self.stream.avail_in = avail_in as uInt;
        self.stream.next_out = output.as_mut_ptr();
        self.stream.avail_out = avail_out as uInt;
        // SAFETY: the stream was initialised by deflateInit2_ and has not moved (boxed). next_in/avail_in
        // describe `input`, which zlib only reads (the pointer is `z_const` in zlib), and next_out/avail_out
        // describe `output`; both borrows outlive this call. The pointers are cleared right after, so none
        // outlives its borrow.
        let code = unsafe { libz_sys::deflate(&mut *self.stream, flush) };
        let consumed = avail_in - self.stream.avail_in as usize;
        let produced = avail_out - self.stream.avail_out as usize;
        self.stream.next_in = std::ptr::null_mut();
        self.stream.avail_in = 0;
        self.stream.next_out = std::ptr::null_mut();
        self.stream.avail_out = 0;
        match code {
            libz_sys::Z_OK => Ok(DeflateStep {
                consumed,
                produced,
                stream_end: false,
            }),
            libz_sys::Z_STREAM_END => Ok(DeflateStep {
                consumed,
                produced,
                stream_end: true,
            }),
            // No progress was possible (nothing to do): not an error in zlib's terms.
            libz_sys::Z_BUF_ERROR => Ok(DeflateStep {
                consumed,
                produced,
                stream_end: false,
            }),
            code => Err(zlib_error("deflate", code, &self.stream)),
        }
    }

    /// Feeds all of `input` (and with `finish`, ends the stream), passing each piece of compressed output to
    /// `sink`. Stops and returns `Ok(false)` as soon as `sink` returns `false`.
    fn compress(
        &mut self,
        mut input: &[u8],
        finish: bool,
        scratch: &mut [u8],
        mut sink: impl FnMut(&[u8]) -> Result<bool, GzipError>,
    ) -> Result<bool, GzipError> {
        loop {
            let step = self.deflate(input, scratch, finish)?;
            input = &input[step.consumed..];
            if step.produced > 0 && !sink(&scratch[..step.produced])? {
                return Ok(false);
            }
            let output_full = step.produced == scratch.len();
            if finish {
                if step.stream_end {
                    return Ok(true);
                }
            } else if input.is_empty() && !output_full {
                return Ok(true);
            }
            if step.consumed == 0 && step.produced == 0 && !output_full {
                return Err(GzipError::Zlib {
                    function: "deflate",
                    code: libz_sys::Z_BUF_ERROR,
                    message: "made no progress".to_owned(),
                });
            }
        }
    }
}

impl Drop for RawDeflater {
    fn drop(&mut self) {
        // SAFETY: the stream was successfully initialised by deflateInit2_ (a RawDeflater exists only then)
        // and has not been ended; deflateEnd frees zlib's state through `zfree` exactly once. Its return
        // code only says whether the stream was finished, which does not matter here.
        unsafe {
            libz_sys::deflateEnd(&mut *self.stream);
        }
    }
}

fn zlib_error(function: &'static str, code: c_int, stream: &z_stream) -> GzipError {
    let message = if stream.msg.is_null() {
        "no message".to_owned()
    } else {
        // SAFETY: a non-null `msg` is set by zlib to one of its static NUL-terminated strings.
        unsafe { CStr::from_ptr(stream.msg) }
            .to_string_lossy()
            .into_owned()
    };
    GzipError::Zlib {
        function,
        code,
        message,
    }
}

// ---------------------------------------------------------------------------------------------------------
// probe
// ---------------------------------------------------------------------------------------------------------

/// Finds out whether a gzip file can be rebuilt byte-exactly from its decompressed payload, and how.
///
/// Reads `compressed` once, front to back, in memory that does not grow with the file: at most about 8 MiB
/// (5.6 MiB of zlib state for the 18 candidate compressors, released as they drop out, up to 2 MiB of
/// compressed input, typically under 200 KiB, and 128 KiB of scratch buffers).
/// It parses the gzip header, inflates the deflate stream, and feeds the inflated bytes to zlib
/// compressors for levels 1-9 × memLevel 8 and 9, comparing each one's output with the original compressed
/// bytes as both advance. A candidate is dropped at its first differing byte; once none is left, reading
/// stops, so a file made by another compressor costs little.
///
/// Returns `Some` when the single gzip member is complete, its trailer CRC-32 and length match, nothing
/// follows it, and some candidate re-creates the deflate stream exactly (the most likely one, Live's
/// level 6 / memLevel 9 first, when several do). Returns `None` for anything else: not gzip, a truncated or
/// corrupt file, trailing bytes, several members, or a stream no candidate re-creates. Only I/O errors from
/// `compressed` (and zlib running out of memory) are errors.
pub fn probe<R: Read>(compressed: R) -> Result<Option<GzipLayout>, GzipError> {
    probe_with_stats(compressed).map(|(layout, _)| layout)
}

/// Like [`probe`], but tries only the given parameter sets (in order of preference). With just
/// [`DeflateParams::LIVE`] this is several times cheaper on a Live set than trying all 18: each wrong
/// candidate only shows its first difference after a megabyte or more of XML. A `None` here means only
/// that none of `params` re-creates the file; [`probe`] may still find another set.
pub fn probe_params<R: Read>(
    compressed: R,
    params: &[DeflateParams],
) -> Result<Option<GzipLayout>, GzipError> {
    let mut window = Window::new(compressed);
    let sets: Vec<(u8, u8)> = params.iter().map(|p| (p.level(), p.mem_level())).collect();
    probe_window(&mut window, &sets)
}

/// What a probe cost; lets tests check the memory and early-exit guarantees.
#[derive(Debug, Default, Clone, Copy)]
#[cfg_attr(not(test), allow(dead_code))] // Read only by tests.
struct ProbeStats {
    /// Bytes read from the input.
    bytes_read: u64,
    /// Largest number of original compressed bytes held at once.
    peak_window: usize,
}

/// A compressor still matching the original stream.
struct Candidate {
    params: DeflateParams,
    deflater: RawDeflater,
    /// File offset of the next original byte this candidate's output must match.
    pos: u64,
}

fn probe_with_stats<R: Read>(compressed: R) -> Result<(Option<GzipLayout>, ProbeStats), GzipError> {
    let mut window = Window::new(compressed);
    let layout = probe_window(&mut window, &CANDIDATES)?;
    Ok((
        layout,
        ProbeStats {
            bytes_read: window.end(),
            peak_window: window.peak_len,
        },
    ))
}

fn probe_window<R: Read>(
    window: &mut Window<R>,
    sets: &[(u8, u8)],
) -> Result<Option<GzipLayout>, GzipError> {
    let header_len = loop {
        match parse_header(window.slice(0, window.end())) {
            HeaderParse::Complete(len) => break len,
            HeaderParse::NotGzip(_) => return Ok(None),
            HeaderParse::Incomplete if window.buf.len() >= MAX_HEADER_LEN => return Ok(None),
            HeaderParse::Incomplete => match window.read_more()? {
                Fill::Read => {}
                Fill::Eof | Fill::Full => return Ok(None),
            },
        }
    };
    let header = window.slice(0, header_len as u64).to_vec();
    let deflate_start = header_len as u64;

    let mut candidates = Vec::with_capacity(sets.len());
    for &(level, mem_level) in sets {
        let params = DeflateParams::new(level, mem_level)?;
        candidates.push(Candidate {
            params,
            deflater: RawDeflater::new(params)?,
            pos: deflate_start,
        });
    }

    let mut inflater = Decompress::new(false);
    let mut crc = Crc::new();
    let mut payload_len: u64 = 0;
    let mut in_pos = deflate_start;
    let mut plain = vec![0u8; WORK_CHUNK];
    let mut scratch = vec![0u8; WORK_CHUNK];
    let mut need_input = false;

    loop {
        let keep_from = candidates.iter().map(|c| c.pos).fold(in_pos, u64::min);
        window.discard_before(keep_from);
        if need_input || in_pos == window.end() {
            match window.read_more()? {
                Fill::Read => {}
                Fill::Eof => return Ok(None),
                Fill::Full => {
                    // Only a candidate lagging by a whole window can fill it (the inflater is at the end).
                    let lagging = candidates.iter().map(|c| c.pos).min().unwrap_or(in_pos);
                    candidates.retain(|c| c.pos != lagging);
                    if candidates.is_empty() {
                        return Ok(None);
                    }
                    continue;
                }
            }
        }

        let before_in = inflater.total_in();
        let before_out = inflater.total_out();
        let status = match inflater.decompress(
            window.slice(in_pos, window.end()),
            &mut plain,
            FlushDecompress::None,
        ) {
            Ok(status) => status,
            Err(_) => return Ok(None),
        };
        let consumed = inflater.total_in() - before_in;
        let produced = (inflater.total_out() - before_out) as usize;
        in_pos += consumed;
        let inflated = &plain[..produced];
        crc.update(inflated);
        payload_len += produced as u64;

        let stream_end = status == Status::StreamEnd;
        feed_candidates(&mut candidates, window, inflated, stream_end, &mut scratch)?;
        if candidates.is_empty() {
            return Ok(None);
        }
        if stream_end {
            break;
        }
        need_input = consumed == 0 && produced == 0;
    }

    // The deflate stream ended at `in_pos`: a candidate is exact only if its output ended there too.
    let deflate_end = in_pos;
    candidates.retain(|c| c.pos == deflate_end);
    let Some(winner) = candidates.first() else {
        return Ok(None);
    };
    let params = winner.params;
    drop(candidates);

    let trailer_end = deflate_end + 8;
    if !window.fill_to(trailer_end)? {
        return Ok(None);
    }
    let trailer = window.slice(deflate_end, trailer_end);
    let trailer_crc = u32::from_le_bytes(le_array(&trailer[..4]));
    let trailer_len = u32::from_le_bytes(le_array(&trailer[4..]));
    if trailer_crc != crc.sum() || trailer_len != payload_len as u32 {
        return Ok(None);
    }
    if window.fill_to(trailer_end + 1)? {
        // Bytes after the member: another member or garbage. Stored raw.
        return Ok(None);
    }
    let layout = GzipLayout {
        header,
        params,
        payload_len,
        payload_crc: crc.sum(),
        split: None,
    };
    Ok(Some(layout))
}

/// Feeds `inflated` (and with `finish`, the end of the stream) to every candidate, dropping those whose
/// output stops matching the original bytes in `window`. Keeps the candidates' order.
fn feed_candidates<R: Read>(
    candidates: &mut Vec<Candidate>,
    window: &mut Window<R>,
    inflated: &[u8],
    finish: bool,
    scratch: &mut [u8],
) -> Result<(), GzipError> {
    let mut index = 0;
    while index < candidates.len() {
        let Candidate { deflater, pos, .. } = &mut candidates[index];
        let matched = deflater.compress(inflated, finish, scratch, |output| {
            let matches = window.matches(*pos, output)?;
            *pos += output.len() as u64;
            Ok(matches)
        })?;
        if matched {
            index += 1;
        } else {
            candidates.remove(index);
        }
    }
    Ok(())
}

/// Outcome of [`Window::read_more`].
enum Fill {
    /// Some bytes were read.
    Read,
    /// The input is exhausted.
    Eof,
    /// Reading more would exceed [`MAX_WINDOW`].
    Full,
}

/// The original file's bytes that are still needed, `[base, base + buf.len())` in file offsets.
struct Window<R> {
    reader: R,
    buf: Vec<u8>,
    base: u64,
    eof: bool,
    peak_len: usize,
}

impl<R: Read> Window<R> {
    fn new(reader: R) -> Self {
        Window {
            reader,
            buf: Vec::new(),
            base: 0,
            eof: false,
            peak_len: 0,
        }
    }

    /// File offset just past the last byte read.
    fn end(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// The bytes at file offsets `[from, to)`; both must lie within the window.
    fn slice(&self, from: u64, to: u64) -> &[u8] {
        &self.buf[(from - self.base) as usize..(to - self.base) as usize]
    }

    /// Forgets the bytes before file offset `offset` (once that frees a useful amount).
    fn discard_before(&mut self, offset: u64) {
        let discard = (offset - self.base) as usize;
        if discard >= READ_CHUNK || discard == self.buf.len() {
            self.buf.drain(..discard);
            self.base = offset;
        }
    }

    fn read_more(&mut self) -> io::Result<Fill> {
        if self.eof {
            return Ok(Fill::Eof);
        }
        let old_len = self.buf.len();
        if old_len + READ_CHUNK > MAX_WINDOW {
            return Ok(Fill::Full);
        }
        self.buf.resize(old_len + READ_CHUNK, 0);
        let outcome = read_retrying(&mut self.reader, &mut self.buf[old_len..]);
        let read = *outcome.as_ref().unwrap_or(&0);
        self.buf.truncate(old_len + read);
        self.peak_len = self.peak_len.max(self.buf.len());
        outcome?;
        if read == 0 {
            self.eof = true;
            return Ok(Fill::Eof);
        }
        Ok(Fill::Read)
    }

    /// Reads until the window reaches file offset `offset`; `false` if the input ends (or the window fills)
    /// first.
    fn fill_to(&mut self, offset: u64) -> io::Result<bool> {
        while self.end() < offset {
            match self.read_more()? {
                Fill::Read => {}
                Fill::Eof | Fill::Full => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Whether `bytes` equal the original bytes at file offset `pos`, reading ahead as needed.
    fn matches(&mut self, pos: u64, bytes: &[u8]) -> io::Result<bool> {
        let end = pos + bytes.len() as u64;
        let complete = self.fill_to(end)?;
        let available = self.slice(pos, end.min(self.end()));
        Ok(complete && available == bytes)
    }
}

/// `Read::read` that retries when interrupted.
fn read_retrying<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            outcome => return outcome,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Inflater
// ---------------------------------------------------------------------------------------------------------

/// Streams the decompressed payload of a gzip file.
///
/// [`Inflater::new`] reads and skips the gzip header; reads then yield the payload of the first member and
/// end with the deflate stream, after checking the trailer's CRC-32 and length. Anything after the first
/// member is not read. Memory use is fixed (a 64 KiB input buffer and the inflate state), except while
/// skipping a header with long optional fields (at most 1 MiB).
///
/// Damaged input makes `read` fail with [`io::ErrorKind::InvalidData`] (or `UnexpectedEof` when truncated)
/// wrapping a [`GzipError`].
pub struct Inflater<R: Read> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    reader_done: bool,
    inflate: Decompress,
    crc: Crc,
    payload_len: u64,
    finished: bool,
}

impl<R: Read> Inflater<R> {
    /// Reads the gzip header from `compressed`, ready to yield the payload.
    pub fn new(compressed: R) -> Result<Self, GzipError> {
        let mut inflater = Inflater {
            reader: compressed,
            buf: vec![0; READ_CHUNK],
            start: 0,
            end: 0,
            reader_done: false,
            inflate: Decompress::new(false),
            crc: Crc::new(),
            payload_len: 0,
            finished: false,
        };
        loop {
            match parse_header(&inflater.buf[..inflater.end]) {
                HeaderParse::Complete(len) => {
                    inflater.start = len;
                    break;
                }
                HeaderParse::NotGzip(reason) => return Err(GzipError::NotGzip { reason }),
                HeaderParse::Incomplete if inflater.end >= MAX_HEADER_LEN => {
                    return Err(GzipError::NotGzip {
                        reason: "the header is longer than 1 MiB",
                    });
                }
                HeaderParse::Incomplete => {
                    if inflater.end == inflater.buf.len() {
                        inflater.buf.resize(inflater.buf.len() + READ_CHUNK, 0);
                    }
                    if !inflater.fill()? {
                        return Err(GzipError::Truncated { part: "header" });
                    }
                }
            }
        }
        Ok(inflater)
    }

    /// Reads more input after the buffered bytes, moving them to the front if the buffer is full.
    /// Returns `false` at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.reader_done {
            return Ok(false);
        }
        if self.end == self.buf.len() {
            if self.start == 0 {
                return Err(into_io(GzipError::CorruptDeflate {
                    detail: "the decoder made no progress on a full input buffer".to_owned(),
                }));
            }
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let read = read_retrying(&mut self.reader, &mut self.buf[self.end..])?;
        self.end += read;
        self.reader_done = read == 0;
        Ok(read > 0)
    }

    /// Reads and checks the 8-byte trailer after the deflate stream.
    fn check_trailer(&mut self) -> Result<(), GzipError> {
        while self.end - self.start < 8 {
            if self.end == self.buf.len() {
                // Make room: the trailer is at most 8 bytes, the buffer is larger.
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if !self.fill()? {
                return Err(GzipError::Truncated { part: "trailer" });
            }
        }
        let trailer = &self.buf[self.start..self.start + 8];
        let expected_crc = u32::from_le_bytes(le_array(&trailer[..4]));
        let expected_len = u32::from_le_bytes(le_array(&trailer[4..]));
        self.start += 8;
        if expected_crc != self.crc.sum() || expected_len != self.payload_len as u32 {
            return Err(GzipError::TrailerMismatch {
                expected_crc,
                expected_len,
                actual_crc: self.crc.sum(),
                actual_len: self.payload_len,
            });
        }
        Ok(())
    }
}

impl<R: Read> Read for Inflater<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.finished || out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.start == self.end && !self.fill()? {
                return Err(into_io(GzipError::Truncated {
                    part: "compressed data",
                }));
            }
            let before_in = self.inflate.total_in();
            let before_out = self.inflate.total_out();
            let status = self
                .inflate
                .decompress(&self.buf[self.start..self.end], out, FlushDecompress::None)
                .map_err(|error| {
                    into_io(GzipError::CorruptDeflate {
                        detail: error.to_string(),
                    })
                })?;
            let consumed = (self.inflate.total_in() - before_in) as usize;
            let produced = (self.inflate.total_out() - before_out) as usize;
            self.start += consumed;
            self.crc.update(&out[..produced]);
            self.payload_len += produced as u64;
            if status == Status::StreamEnd {
                self.check_trailer().map_err(into_io)?;
                self.finished = true;
                return Ok(produced);
            }
            if produced > 0 {
                return Ok(produced);
            }
            if consumed == 0 && !self.fill()? {
                return Err(into_io(GzipError::Truncated {
                    part: "compressed data",
                }));
            }
        }
    }
}

/// Wraps a [`GzipError`] for `Read`, keeping an inner I/O error as it is.
fn into_io(error: GzipError) -> io::Error {
    match error {
        GzipError::Io(error) => error,
        error @ GzipError::Truncated { .. } => io::Error::new(io::ErrorKind::UnexpectedEof, error),
        error => io::Error::new(io::ErrorKind::InvalidData, error),
    }
}

// ---------------------------------------------------------------------------------------------------------
// rebuild
// ---------------------------------------------------------------------------------------------------------

/// Writes the gzip file described by `layout` for `payload` to `out`: header, deflate stream, trailer.
/// Returns the number of bytes written.
///
/// Streams with fixed memory. Fails with [`GzipError::PayloadMismatch`] when the payload's size or CRC-32
/// differs from the layout's; by then some output may already be written, so write to a temporary file and
/// keep it only on success (callers also compare the whole-file hash).
pub fn rebuild<R: Read, W: Write>(
    layout: &GzipLayout,
    mut payload: R,
    mut out: W,
) -> Result<u64, GzipError> {
    if layout.split.is_some() {
        // Both halves need random access: the payload (at most MAX_SPLIT_PAYLOAD) is read into memory.
        let mut all = Vec::with_capacity(layout.payload_len.min(MAX_SPLIT_PAYLOAD) as usize);
        (&mut payload)
            .take(MAX_SPLIT_PAYLOAD + 1)
            .read_to_end(&mut all)?;
        return rebuild_split(layout, &all, out);
    }
    let mut deflater = RawDeflater::new(layout.params)?;
    out.write_all(&layout.header)?;
    let mut written = layout.header.len() as u64;
    let mut input = vec![0u8; WORK_CHUNK];
    let mut scratch = vec![0u8; WORK_CHUNK];
    let mut crc = Crc::new();
    let mut payload_len: u64 = 0;
    let mismatch = |payload_len, crc: &Crc| GzipError::PayloadMismatch {
        expected_len: layout.payload_len,
        expected_crc: layout.payload_crc,
        actual_len: payload_len,
        actual_crc: crc.sum(),
    };
    loop {
        let read = read_retrying(&mut payload, &mut input)?;
        let chunk = &input[..read];
        crc.update(chunk);
        payload_len += read as u64;
        if payload_len > layout.payload_len {
            return Err(mismatch(payload_len, &crc));
        }
        deflater.compress(chunk, read == 0, &mut scratch, |compressed| {
            out.write_all(compressed)?;
            written += compressed.len() as u64;
            Ok(true)
        })?;
        if read == 0 {
            break;
        }
    }
    if payload_len != layout.payload_len || crc.sum() != layout.payload_crc {
        return Err(mismatch(payload_len, &crc));
    }
    out.write_all(&layout.payload_crc.to_le_bytes())?;
    out.write_all(&(layout.payload_len as u32).to_le_bytes())?;
    out.flush()?;
    Ok(written + 8)
}

// Tests of byte-exact gzip re-creation: probing real and generated gzip files, rebuilding them, the layout
// encoding, the memory bound, and how damaged input is reported. Throughput is measured by
// `examples/gzip_throughput.rs`, not here.
#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::path::{Path, PathBuf};

    /// The shared corpus of real `.als` files, if this checkout has it.
    fn corpus_dir() -> Option<PathBuf> {
        let candidates = [
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
            PathBuf::from("/work/shared/corpus"),
        ];
        let found = candidates.into_iter().find(|dir| dir.join("als").is_dir());
        if found.is_none() {
            println!(
                "note: corpus not found (../shared/corpus or /work/shared/corpus); test skipped"
            );
        }
        found
    }

    /// The 10-byte header Live writes: no flags, mtime 0, xfl 0, the given OS byte.
    fn live_header(os: u8) -> Vec<u8> {
        vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, os]
    }

    /// A gzip file of `data` made by stock zlib with `params`, checked with an independent decoder.
    fn zlib_gzip(data: &[u8], params: DeflateParams, header: &[u8]) -> Vec<u8> {
        let mut crc = Crc::new();
        crc.update(data);
        let layout = GzipLayout {
            header: header.to_vec(),
            params,
            payload_len: data.len() as u64,
            payload_crc: crc.sum(),
            split: None,
        };
        let mut gzip = Vec::new();
        rebuild(&layout, data, &mut gzip).expect("compress in memory");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut decoded)
            .expect("valid gzip");
        assert_eq!(decoded, data);
        gzip
    }

    fn params(level: u8, mem_level: u8) -> DeflateParams {
        DeflateParams::new(level, mem_level).expect("valid test parameters")
    }

    /// Probes `gzip`, then rebuilds it from an `Inflater` over the same bytes and checks it is identical.
    fn probe_and_rebuild(gzip: &[u8]) -> Option<GzipLayout> {
        let layout = probe(gzip).expect("probe reads from memory")?;
        let mut rebuilt = Vec::new();
        let inflater = Inflater::new(gzip).expect("probed input has a gzip header");
        let written = rebuild(&layout, inflater, &mut rebuilt).expect("rebuild");
        assert_eq!(written, rebuilt.len() as u64);
        assert!(rebuilt == gzip, "rebuilt bytes differ from the original");
        Some(layout)
    }

    /// Deterministic Live-like XML: lines drawn from a fixed set by a seeded generator, so the text is
    /// compressible but not trivially so, and endless.
    struct PseudoXml {
        lines: Vec<Vec<u8>>,
        state: u64,
        remaining: u64,
        line: usize,
        offset: usize,
    }

    impl PseudoXml {
        fn new(len: u64, seed: u64) -> Self {
            let mut lines = Vec::new();
            for i in 0..4096u32 {
                let line = match i % 4 {
                    0 => format!(
                        "\t\t\t\t\t\t<FloatEvent Time=\"{}\" Value=\"{}.{}\" />\n",
                        i * 3,
                        i % 127,
                        i * 7 % 1000
                    ),
                    1 => format!(
                        "\t\t\t\t<MidiNoteEvent Time=\"{}\" Duration=\"0.25\" Velocity=\"{}\" />\n",
                        i,
                        i % 128
                    ),
                    2 => format!(
                        "\t\t\t<AutomationTarget Id=\"{}\">\n\t\t\t\t<LockEnvelope Value=\"0\" />\n",
                        20000 + i
                    ),
                    _ => format!(
                        "\t\t<AudioClip Id=\"{}\" Time=\"{}\">\n\t\t\t<Name Value=\"Clip {}\" />\n",
                        i,
                        i * 16,
                        i
                    ),
                };
                lines.push(line.into_bytes());
            }
            PseudoXml {
                lines,
                state: seed,
                remaining: len,
                line: 0,
                offset: 0,
            }
        }

        fn collect(len: u64, seed: u64) -> Vec<u8> {
            let mut data = Vec::new();
            PseudoXml::new(len, seed)
                .read_to_end(&mut data)
                .expect("generate in memory");
            data
        }
    }

    impl Read for PseudoXml {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let mut written = 0;
            while written < out.len() && self.remaining > 0 {
                let line = &self.lines[self.line][self.offset..];
                let n = line
                    .len()
                    .min(out.len() - written)
                    .min(self.remaining as usize);
                out[written..written + n].copy_from_slice(&line[..n]);
                written += n;
                self.remaining -= n as u64;
                self.offset += n;
                if self.offset == self.lines[self.line].len() {
                    // Mostly walk forward (long repeats), sometimes jump (new material).
                    self.state = self
                        .state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let jump = (self.state >> 33).is_multiple_of(16);
                    let next = if jump {
                        (self.state >> 40) as usize
                    } else {
                        self.line + 1
                    };
                    self.line = next % self.lines.len();
                    self.offset = 0;
                }
            }
            Ok(written)
        }
    }

    /// Gzip-compresses a reader on the fly with stock zlib, holding only one chunk at a time.
    struct GzipOnTheFly<R> {
        source: R,
        deflater: RawDeflater,
        crc: Crc,
        len: u64,
        pending: Vec<u8>,
        pending_pos: usize,
        done: bool,
    }

    impl<R: Read> GzipOnTheFly<R> {
        fn new(source: R, params: DeflateParams) -> Self {
            GzipOnTheFly {
                source,
                deflater: RawDeflater::new(params).expect("zlib init"),
                crc: Crc::new(),
                len: 0,
                pending: live_header(3),
                pending_pos: 0,
                done: false,
            }
        }
    }

    impl<R: Read> Read for GzipOnTheFly<R> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            while self.pending_pos == self.pending.len() && !self.done {
                let mut chunk = vec![0; WORK_CHUNK];
                let read = self.source.read(&mut chunk)?;
                self.crc.update(&chunk[..read]);
                self.len += read as u64;
                self.pending.clear();
                self.pending_pos = 0;
                let mut scratch = vec![0; WORK_CHUNK];
                let pending = &mut self.pending;
                self.deflater
                    .compress(&chunk[..read], read == 0, &mut scratch, |compressed| {
                        pending.extend_from_slice(compressed);
                        Ok(true)
                    })
                    .map_err(into_io)?;
                if read == 0 {
                    self.pending
                        .extend_from_slice(&self.crc.sum().to_le_bytes());
                    self.pending
                        .extend_from_slice(&(self.len as u32).to_le_bytes());
                    self.done = true;
                }
            }
            let n = (self.pending.len() - self.pending_pos).min(out.len());
            out[..n].copy_from_slice(&self.pending[self.pending_pos..self.pending_pos + n]);
            self.pending_pos += n;
            Ok(n)
        }
    }

    /// Hands out one byte per read call, to exercise every buffer boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((&byte, rest)), Some(slot)) => {
                    *slot = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    /// One `.als` row of the corpus SOURCES.md table.
    struct SourceRow {
        file: String,
        /// The (level, memLevel) pairs that re-create the file; empty when it is not gzip.
        exact: Vec<(u8, u8)>,
        xml_len: Option<u64>,
    }

    fn source_rows(sources_md: &str) -> Vec<SourceRow> {
        let mut rows = Vec::new();
        for line in sources_md
            .lines()
            .filter(|line| line.starts_with("| `als/"))
        {
            let columns: Vec<&str> = line.split('|').map(str::trim).collect();
            let file = columns[1].trim_matches('`').to_owned();
            let exact = columns[11]
                .split('(')
                .skip(1)
                .filter_map(|pair| {
                    let (level, mem_level) = pair.split_once(')')?.0.split_once(',')?;
                    Some((level.trim().parse().ok()?, mem_level.trim().parse().ok()?))
                })
                .collect();
            let xml_len = columns[12]
                .split(',')
                .next()
                .and_then(|n| n.trim().parse().ok());
            rows.push(SourceRow {
                file,
                exact,
                xml_len,
            });
        }
        rows
    }

    #[test]
    fn corpus_files_probe_to_their_documented_params_and_rebuild_byte_exact() {
        let Some(corpus) = corpus_dir() else { return };
        let sources =
            std::fs::read_to_string(corpus.join("SOURCES.md")).expect("corpus has SOURCES.md");
        let rows = source_rows(&sources);
        let mut files = Vec::new();
        for dir in ["als", "als/invalid"] {
            for entry in std::fs::read_dir(corpus.join(dir)).expect("list corpus") {
                let path = entry.expect("list corpus").path();
                if path.extension().is_some_and(|ext| ext == "als") {
                    let name = path
                        .file_name()
                        .expect("file name")
                        .to_string_lossy()
                        .into_owned();
                    files.push((format!("{dir}/{name}"), path));
                }
            }
        }
        files.sort();
        assert!(
            files.len() >= 50,
            "expected the 50 corpus .als files, found {}",
            files.len()
        );
        let mut exact_files = 0;
        for (name, path) in &files {
            let row = rows
                .iter()
                .find(|row| &row.file == name)
                .unwrap_or_else(|| panic!("{name} has no row in SOURCES.md"));
            let layout =
                probe(File::open(path).expect("open corpus file")).expect("probe corpus file");
            let original = std::fs::read(path).expect("read corpus file");
            match (&layout, row.exact.is_empty()) {
                (None, true) => println!("{name}: raw"),
                (Some(layout), false) => {
                    let found = (layout.params.level, layout.params.mem_level);
                    assert!(
                        row.exact.contains(&found),
                        "{name}: probed {found:?}, SOURCES.md says {:?}",
                        row.exact
                    );
                    if row.exact.contains(&(6, 9)) {
                        assert_eq!(
                            layout.params,
                            DeflateParams::LIVE,
                            "{name}: Live's parameters come first"
                        );
                    }
                    assert_eq!(Some(layout.payload_len), row.xml_len, "{name}: XML size");
                    assert_eq!(
                        layout.header,
                        original[..layout.header.len()],
                        "{name}: header kept verbatim"
                    );
                    let inflater = Inflater::new(File::open(path).expect("open corpus file"))
                        .expect("gzip header");
                    let mut rebuilt = Vec::new();
                    rebuild(layout, inflater, &mut rebuilt).expect("rebuild corpus file");
                    assert!(
                        rebuilt == original,
                        "{name}: rebuilt bytes differ from the file"
                    );
                    println!("{name}: {}", layout.params);
                    exact_files += 1;
                }
                (layout, _) => panic!("{name}: probed {layout:?}, SOURCES.md says {:?}", row.exact),
            }
        }
        assert_eq!(
            exact_files,
            files.len() - 3,
            "all but the three non-gzip files re-create exactly"
        );
    }

    #[test]
    fn zlib_output_at_levels_1_6_9_round_trips_with_its_params() {
        let data = PseudoXml::collect(1 << 20, 1);
        for level in [1, 6, 9] {
            for mem_level in [8, 9] {
                let made_with = params(level, mem_level);
                let gzip = zlib_gzip(&data, made_with, &live_header(19));
                let layout = probe_and_rebuild(&gzip)
                    .unwrap_or_else(|| panic!("{made_with}: not re-creatable"));
                assert_eq!(layout.params, made_with);
                assert_eq!(layout.payload_len, data.len() as u64);
            }
        }
    }

    #[test]
    fn small_and_empty_payloads_round_trip() {
        for data in [&b""[..], b"x", b"<?xml version=\"1.0\"?>\n<Ableton />\n"] {
            let gzip = zlib_gzip(data, DeflateParams::LIVE, &live_header(3));
            let layout = probe_and_rebuild(&gzip).expect("tiny gzip re-creates");
            assert_eq!(layout.payload_len, data.len() as u64);
        }
    }

    #[test]
    fn optional_header_fields_are_kept_verbatim() {
        // FHCRC | FEXTRA | FNAME | FCOMMENT, mtime set, xfl 2, OS 255, as other tools write.
        let mut header = vec![0x1f, 0x8b, 8, 0x1e, 0x78, 0x56, 0x34, 0x12, 2, 255];
        header.extend_from_slice(&[4, 0, b'A', b'B', 2, 0]);
        header.extend_from_slice(b"Song [2024-01-01].als\0a comment\0");
        let mut header_crc = Crc::new();
        header_crc.update(&header);
        header.extend_from_slice(&(header_crc.sum() as u16).to_le_bytes());
        let data = PseudoXml::collect(100_000, 2);
        let gzip = zlib_gzip(&data, params(9, 8), &header);
        let layout = probe_and_rebuild(&gzip).expect("re-creatable");
        assert_eq!(layout.header(), &header[..]);
        // The same, handed over one byte per read: header parsing and inflating across every boundary.
        assert_eq!(probe(Trickle(&gzip)).expect("probe"), Some(layout.clone()));
        let mut payload = Vec::new();
        Inflater::new(Trickle(&gzip))
            .expect("header")
            .read_to_end(&mut payload)
            .expect("inflate");
        assert_eq!(payload, data);
    }

    #[test]
    fn damaged_or_extended_gzip_is_not_re_creatable() {
        let data = PseudoXml::collect(300_000, 3);
        let gzip = zlib_gzip(&data, DeflateParams::LIVE, &live_header(3));
        assert!(
            probe(&gzip[..]).expect("probe").is_some(),
            "the undamaged file is re-creatable"
        );

        let mut extra_byte = gzip.clone();
        extra_byte.push(0);
        assert_eq!(
            probe(&extra_byte[..]).expect("probe"),
            None,
            "a byte after the member"
        );

        let mut two_members = gzip.clone();
        two_members.extend_from_slice(&zlib_gzip(
            b"second member",
            DeflateParams::LIVE,
            &live_header(3),
        ));
        assert_eq!(probe(&two_members[..]).expect("probe"), None, "two members");

        for cut in [
            1,
            5,
            12,
            gzip.len() / 2,
            gzip.len() - 9,
            gzip.len() - 4,
            gzip.len() - 1,
        ] {
            assert_eq!(
                probe(&gzip[..cut]).expect("probe"),
                None,
                "truncated to {cut} bytes"
            );
        }

        let crc_at = gzip.len() - 8;
        let mut wrong_crc = gzip.clone();
        wrong_crc[crc_at] ^= 1;
        assert_eq!(probe(&wrong_crc[..]).expect("probe"), None, "wrong CRC-32");

        let mut wrong_len = gzip.clone();
        wrong_len[gzip.len() - 1] ^= 1;
        assert_eq!(probe(&wrong_len[..]).expect("probe"), None, "wrong ISIZE");

        let mut corrupt_deflate = gzip.clone();
        corrupt_deflate[40] ^= 0xff;
        assert_eq!(
            probe(&corrupt_deflate[..]).expect("probe"),
            None,
            "corrupt deflate data"
        );
    }

    #[test]
    fn non_gzip_input_is_not_re_creatable() {
        let xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Ableton MajorVersion=\"5\" />\n";
        let mut wrong_method = live_header(3);
        wrong_method[2] = 7;
        let mut reserved_flag = live_header(3);
        reserved_flag[3] = 0x20;
        let mut unterminated_name = live_header(3);
        unterminated_name[3] = FNAME;
        unterminated_name.extend_from_slice(b"never ends");
        let inputs: [(&str, &[u8]); 7] = [
            ("empty", b""),
            ("junk", b"JUNK\n"),
            ("plain XML", xml),
            ("wrong compression method", &wrong_method),
            ("reserved flag", &reserved_flag),
            ("header only", &live_header(3)),
            ("unterminated FNAME", &unterminated_name),
        ];
        for (what, input) in inputs {
            assert_eq!(probe(input).expect("probe"), None, "{what}");
        }
        assert!(matches!(
            Inflater::new(&xml[..]),
            Err(GzipError::NotGzip { .. })
        ));
        assert!(matches!(
            Inflater::new(&live_header(3)[..4]),
            Err(GzipError::Truncated { part: "header" })
        ));
    }

    #[test]
    fn another_compressor_is_rejected_after_reading_little() {
        // flate2's default backend (miniz_oxide) writes other deflate bytes than zlib for the same level.
        let data = PseudoXml::collect(32 << 20, 4);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        encoder.write_all(&data).expect("compress in memory");
        let gzip = encoder.finish().expect("compress in memory");
        let (layout, stats) = probe_with_stats(&gzip[..]).expect("probe");
        println!("{} compressed bytes: {stats:?}", gzip.len());
        assert_eq!(layout, None);
        assert!(
            stats.bytes_read < 1 << 20,
            "stopped after {} of {} bytes; it should stop within the first blocks",
            stats.bytes_read,
            gzip.len()
        );
        // It is still a valid gzip file, so the payload can be read.
        let mut payload = Vec::new();
        Inflater::new(&gzip[..])
            .expect("header")
            .read_to_end(&mut payload)
            .expect("inflate");
        assert!(payload == data);
    }

    #[test]
    fn probe_of_a_200_mb_stream_uses_bounded_memory() {
        const LEN: u64 = 200 << 20;
        let gzip = GzipOnTheFly::new(PseudoXml::new(LEN, 5), DeflateParams::LIVE);
        let (layout, stats) = probe_with_stats(gzip).expect("probe");
        println!("{stats:?}");
        let layout = layout.expect("zlib level 6 / memLevel 9 output is re-creatable");
        assert_eq!(layout.params, DeflateParams::LIVE);
        assert_eq!(layout.payload_len, LEN);
        assert!(
            stats.bytes_read > 4 * MAX_WINDOW as u64,
            "the compressed stream is far larger than the window"
        );
        assert!(stats.peak_window <= MAX_WINDOW);
        assert!(
            stats.peak_window <= 512 << 10,
            "held {} compressed bytes at once",
            stats.peak_window
        );
    }

    #[test]
    fn rebuild_rejects_a_payload_that_is_not_the_layouts() {
        let data = PseudoXml::collect(200_000, 6);
        let gzip = zlib_gzip(&data, DeflateParams::LIVE, &live_header(3));
        let layout = probe(&gzip[..]).expect("probe").expect("re-creatable");

        let mut same_len = data.clone();
        same_len[1000] ^= 1;
        let error = rebuild(&layout, &same_len[..], io::sink()).expect_err("other content");
        assert!(
            matches!(
                error,
                GzipError::PayloadMismatch {
                    actual_len: 200_000,
                    ..
                }
            ),
            "{error}"
        );

        let error = rebuild(&layout, &data[..1000], io::sink()).expect_err("shorter");
        assert!(
            matches!(
                error,
                GzipError::PayloadMismatch {
                    actual_len: 1000,
                    ..
                }
            ),
            "{error}"
        );

        let longer = [&data[..], b"more"].concat();
        let error = rebuild(&layout, &longer[..], io::sink()).expect_err("longer");
        assert!(
            matches!(error, GzipError::PayloadMismatch { .. }),
            "{error}"
        );
    }

    #[test]
    fn inflater_reports_damage() {
        let data = PseudoXml::collect(200_000, 7);
        let gzip = zlib_gzip(&data, DeflateParams::LIVE, &live_header(3));
        let read_all = |input: &[u8]| {
            let mut payload = Vec::new();
            Inflater::new(input)
                .expect("header")
                .read_to_end(&mut payload)
                .map(|_| payload)
        };
        assert_eq!(read_all(&gzip).expect("intact"), data);

        let truncated = read_all(&gzip[..gzip.len() / 2]).expect_err("truncated");
        assert_eq!(truncated.kind(), io::ErrorKind::UnexpectedEof);
        let no_trailer = read_all(&gzip[..gzip.len() - 3]).expect_err("trailer cut");
        assert_eq!(no_trailer.kind(), io::ErrorKind::UnexpectedEof);

        let mut wrong_crc = gzip.clone();
        let crc_at = gzip.len() - 8;
        wrong_crc[crc_at] ^= 1;
        let error = read_all(&wrong_crc).expect_err("wrong CRC");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(
            error.to_string().contains("trailer records CRC-32"),
            "{error}"
        );

        let mut corrupt = gzip.clone();
        corrupt[11] = 0xff; // Block type 3 does not exist.
        let error = read_all(&corrupt).expect_err("corrupt");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn layout_encoding_is_stable_and_round_trips() {
        let layout = GzipLayout {
            header: live_header(19),
            params: DeflateParams::LIVE,
            payload_len: 16_503_043,
            payload_crc: 0xdead_beef,
            split: None,
        };
        let encoded = layout.encode();
        // Version 1, level 6, memLevel 9, wbits 15, strategy 0, size, CRC, header length, header.
        assert_eq!(
            hex::encode(&encoded),
            "0106090f00\
             03d1fb0000000000\
             efbeadde\
             0a000000\
             1f8b0800000000000013"
        );
        assert_eq!(GzipLayout::decode(&encoded).expect("decode"), layout);
    }

    #[test]
    fn layout_decode_rejects_malformed_records() {
        let valid = GzipLayout {
            header: live_header(3),
            params: params(9, 8),
            payload_len: 5,
            payload_crc: 1,
            split: None,
        }
        .encode();
        let with = |index: usize, byte: u8| {
            let mut bytes = valid.clone();
            bytes[index] = byte;
            bytes
        };
        assert!(matches!(
            GzipLayout::decode(&with(0, 3)),
            Err(GzipError::UnsupportedLayoutVersion { version: 3 })
        ));
        assert!(matches!(
            GzipLayout::decode(&with(1, 10)),
            Err(GzipError::InvalidParams { level: 10, .. })
        ));
        assert!(matches!(
            GzipLayout::decode(&with(2, 0)),
            Err(GzipError::InvalidParams { mem_level: 0, .. })
        ));
        let corrupt = [
            Vec::new(),
            valid[..20].to_vec(),
            valid[..valid.len() - 1].to_vec(),
            [&valid[..], &[0]].concat(),
            with(3, 14),
            with(4, 1),
            with(LAYOUT_FIXED_LEN, 0),         // Not a gzip magic number.
            with(LAYOUT_FIXED_LEN + 3, FNAME), // The header would continue past its recorded length.
        ];
        for bytes in corrupt {
            assert!(
                matches!(
                    GzipLayout::decode(&bytes),
                    Err(GzipError::CorruptLayout { .. })
                ),
                "{bytes:?}"
            );
        }
        let error = GzipLayout::decode(&with(0, 7)).expect_err("version 7");
        assert!(error.to_string().contains("upgrade daw"), "{error}");
    }

    #[test]
    fn recompression_uses_the_bundled_static_zlib() {
        // libz-sys 1.1.31 bundles zlib 1.3.2; a system zlib (1.2.13 on Debian 12) would report its own.
        // Update this together with libz-sys, after the corpus test passes with the new copy.
        assert_eq!(zlib_version(), "1.3.2");
    }
}
