//! Re-creating a deflate stream in two halves at once.
//!
//! zlib's deflate is sequential, and re-compressing a Live set's XML at level 6 is the longest single job
//! in a commit (about 20 MB/s). But a deflate stream is made of blocks, and at a block boundary the
//! compressor's state is, for the streams Live writes, fully determined by the 32 KiB of payload before
//! it: a compressor started there with those bytes as its dictionary (`deflateSetDictionary`) emits the
//! same blocks as the one that ran from the start. So the first half (a compressor from the start,
//! stopped once it has emitted everything before the cut) and the second half (a compressor started at
//! the cut) run on two threads, and the second half's bits are shifted into place after the first's.
//!
//! That property is not assumed, it is proven per file: [`probe_split`] rebuilds the file this way with
//! [`rebuild_split`] and keeps the layout only if every byte matches the original. Restoring runs the
//! very same [`rebuild_split`], so what was proven is what is rebuilt. When the proof fails (another
//! compressor, or a cut where the state differs), the caller falls back to the one-piece layout.
//!
//! Both halves need random access to the payload, so it is held in memory: only payloads of at most
//! 24 MiB are split (the format allows [`MAX_SPLIT_PAYLOAD`]).

use std::io::Write;
use std::os::raw::c_int;

use flate2::Crc;
use libz_sys::{uInt, z_stream};

use super::{
    DeflateParams, GzipError, GzipLayout, HeaderParse, RawDeflater, Split, WINDOW_BITS, WORK_CHUNK,
    new_stream, parse_header, zlib_error,
};

/// The largest payload a split layout may describe (a format limit: it is held in memory while it is
/// rebuilt).
pub const MAX_SPLIT_PAYLOAD: u64 = 32 << 20;

/// The largest payload [`probe_split`] splits: a little below the format limit, so that a commit that
/// proves a set this size while storing media stays well under daw's 100 MB memory budget.
const SPLIT_UP_TO: u64 = 24 << 20;

/// Below this, one compressor is quick enough that a split is not worth its memory.
const MIN_SPLIT_PAYLOAD: u64 = 1 << 20;

/// deflate's window: the dictionary given to the second half.
const DICTIONARY: usize = 32 << 10;

/// Proves that the gzip file `file` is re-created byte-exactly by [`rebuild_split`] with `params`, cut
/// at the block boundary nearest the middle of its deflate stream, and returns that layout. `None`
/// when the file is not a single complete gzip member, its payload is outside the split size range,
/// or the rebuilt bytes differ anywhere.
pub fn probe_split(file: &[u8], params: DeflateParams) -> Result<Option<GzipLayout>, GzipError> {
    let Some((layout, payload)) = prepare_split(file, params)? else {
        return Ok(None);
    };
    Ok(prove_split(file, &layout, &payload)?.then_some(layout))
}

/// The first step of [`probe_split`]: decompresses `file` and chooses the cut. Returns the layout to
/// prove and the payload (the decompressed bytes, whose length and CRC-32 the layout records), or
/// `None` when the file cannot be split.
pub fn prepare_split(
    file: &[u8],
    params: DeflateParams,
) -> Result<Option<(GzipLayout, Vec<u8>)>, GzipError> {
    let HeaderParse::Complete(header_len) = parse_header(file) else {
        return Ok(None);
    };
    if file.len() < header_len + 8 {
        return Ok(None);
    }
    let deflate = &file[header_len..file.len() - 8];
    let Some((payload, boundaries)) = inflate_with_boundaries(deflate, SPLIT_UP_TO)? else {
        return Ok(None);
    };
    let payload_len = payload.len() as u64;
    if !(MIN_SPLIT_PAYLOAD..=SPLIT_UP_TO).contains(&payload_len) {
        return Ok(None);
    }
    let mut crc = Crc::new();
    crc.update(&payload);
    // The cut nearest the middle of the deflate stream, not of the payload: the two halves then take
    // about the same time. (A Live set's later part is often more repetitive: it compresses smaller
    // and costs zlib more per byte, as its hash chains are longer. Cut at the payload's middle, the
    // second half of the benchmark's set took 2.3 times as long as the first; cut here, 1.02 times.)
    let middle_bit = deflate.len() as u64 * 4;
    let Some(&(payload_offset, bit_offset)) = boundaries
        .iter()
        .filter(|(p, _)| *p >= DICTIONARY as u64 && *p < payload_len)
        .min_by_key(|(_, bit)| bit.abs_diff(middle_bit))
    else {
        return Ok(None);
    };
    let layout = GzipLayout {
        header: file[..header_len].to_vec(),
        params,
        payload_len,
        payload_crc: crc.sum(),
        split: Some(Split {
            payload_offset,
            bit_offset,
            deflate_len: deflate.len() as u64,
        }),
    };
    Ok(Some((layout, payload)))
}

/// The second step of [`probe_split`]: whether `layout` and `payload` (from [`prepare_split`] of the
/// same `file`) re-create `file` byte for byte, as [`rebuild_split`] would write it. Each half is
/// compared with `file` as it is compressed, on its own thread, instead of being gathered: a set's
/// proof then holds none of its compressed bytes twice (issue 14, goal 4: a commit's peak memory).
pub fn prove_split(file: &[u8], layout: &GzipLayout, payload: &[u8]) -> Result<bool, GzipError> {
    // Every way the layout cannot describe `file` is a failed proof, as in `write_split`.
    let Some(split) = layout.split else {
        return Ok(false);
    };
    let Ok(cut) = usize::try_from(split.payload_offset) else {
        return Ok(false);
    };
    if cut == 0 || cut >= payload.len() {
        return Ok(false);
    }
    let whole = (split.bit_offset / 8) as usize;
    let shift = (split.bit_offset % 8) as u32;
    let Some(tail_len) = usize::try_from(split.deflate_len)
        .ok()
        .and_then(|n| n.checked_sub(whole))
    else {
        return Ok(false);
    };
    // The file is the header, the stream (`whole` bytes of the first half, `tail_len` of the shifted
    // second) and the trailer.
    let header = &layout.header[..];
    let mut trailer = layout.payload_crc.to_le_bytes().to_vec();
    trailer.extend_from_slice(&(layout.payload_len as u32).to_le_bytes());
    let expected_len = (whole + tail_len).checked_add(header.len() + trailer.len());
    if expected_len != Some(file.len()) || !file.starts_with(header) || !file.ends_with(&trailer) {
        return Ok(false);
    }
    let stream = &file[header.len()..file.len() - trailer.len()];
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| prefix_matches(layout.params, payload, &stream[..whole], shift));
        let dictionary = &payload[cut.saturating_sub(DICTIONARY)..cut];
        let second = shifted_matches(
            layout.params,
            dictionary,
            &payload[cut..],
            &stream[whole..],
            shift,
        );
        let first = first
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, second)
    });
    let (Some(low), Some(head)) = (first?, second?) else {
        return Ok(false);
    };
    // The byte where the halves meet: the first half's low bits, then the second half's first byte.
    Ok(tail_len == 0 || stream[whole] == low | (head << shift))
}

/// Whether the deflate stream of `payload` starts with `expected`, and, when the cut is inside a byte
/// (`shift` > 0), has the byte after it; returns that byte's low `shift` bits (0 when `shift` is 0).
/// The compressor stops at the first difference, or once it has emitted the bytes needed.
fn prefix_matches(
    params: DeflateParams,
    payload: &[u8],
    expected: &[u8],
    shift: u32,
) -> Result<Option<u8>, GzipError> {
    let needed = expected.len() + usize::from(shift > 0);
    let mut deflater = RawDeflater::new(params)?;
    let mut scratch = vec![0u8; WORK_CHUNK];
    let (mut pos, mut equal, mut low) = (0usize, true, 0u8);
    deflater.compress(payload, true, &mut scratch, |piece| {
        let n = piece.len().min(expected.len().saturating_sub(pos));
        if piece[..n] != expected[pos..pos + n] {
            equal = false;
            return Ok(false);
        }
        if shift > 0 && pos <= expected.len() && expected.len() < pos + piece.len() {
            low = piece[expected.len() - pos] & ((1u8 << shift) - 1);
        }
        pos += piece.len();
        Ok(pos < needed)
    })?;
    Ok((equal && pos >= needed).then_some(low))
}

/// Whether the deflate stream of `input` (by a compressor primed with `dictionary`), moved up by
/// `shift` bits as [`write_split`] moves it, matches `expected` from its second byte on and is as long
/// as `write_split` requires; returns the stream's first byte (the caller checks the byte where the
/// halves meet).
fn shifted_matches(
    params: DeflateParams,
    dictionary: &[u8],
    input: &[u8],
    expected: &[u8],
    shift: u32,
) -> Result<Option<u8>, GzipError> {
    // Byte i ≥ 1 of the moved stream, from bytes i-1 and i of the stream.
    let moved = |before: u8, at: u8| {
        if shift == 0 {
            at
        } else {
            (before >> (8 - shift)) | (at << shift)
        }
    };
    let mut deflater = RawDeflater::new(params)?;
    deflater.set_dictionary(dictionary)?;
    let mut scratch = vec![0u8; WORK_CHUNK];
    let (mut len, mut equal, mut head, mut last) = (0usize, true, 0u8, 0u8);
    deflater.compress(input, true, &mut scratch, |piece| {
        for &b in piece {
            if len == 0 {
                head = b;
            } else if len < expected.len() && moved(last, b) != expected[len] {
                equal = false;
                return Ok(false);
            }
            last = b;
            len += 1;
        }
        Ok(true)
    })?;
    if !equal || len == 0 {
        return Ok(None);
    }
    // A cut inside a byte leaves the stream's last bits in one more byte.
    let moved_len = len + usize::from(shift > 0);
    if shift > 0 && len < expected.len() && last >> (8 - shift) != expected[len] {
        return Ok(None);
    }
    let fits = expected.len() <= moved_len && expected.len() + 1 >= moved_len;
    Ok(fits.then_some(head))
}

/// Writes the gzip file described by a split `layout` for `payload`: the two halves are compressed on
/// two threads. Fails with [`GzipError::PayloadMismatch`] when the payload is not the layout's, and with
/// [`GzipError::CorruptLayout`] when the halves do not fit the recorded cut (a damaged layout).
pub fn rebuild_split<W: Write>(
    layout: &GzipLayout,
    payload: &[u8],
    out: W,
) -> Result<u64, GzipError> {
    let mut crc = Crc::new();
    crc.update(payload);
    if payload.len() as u64 != layout.payload_len || crc.sum() != layout.payload_crc {
        return Err(GzipError::PayloadMismatch {
            expected_len: layout.payload_len,
            expected_crc: layout.payload_crc,
            actual_len: payload.len() as u64,
            actual_crc: crc.sum(),
        });
    }
    write_split(layout, payload, out)
}

/// [`rebuild_split`] for a payload already known to be the layout's.
fn write_split<W: Write>(
    layout: &GzipLayout,
    payload: &[u8],
    mut out: W,
) -> Result<u64, GzipError> {
    let split = layout.split.ok_or(GzipError::CorruptLayout {
        reason: "it records no split point",
    })?;
    let bad = |reason| GzipError::CorruptLayout { reason };
    let cut = usize::try_from(split.payload_offset).map_err(|_| bad("split point too far"))?;
    if cut == 0 || cut >= payload.len() {
        return Err(bad("its split point is outside the payload"));
    }
    let whole = (split.bit_offset / 8) as usize;
    let shift = (split.bit_offset % 8) as u32;
    // The first half needs the byte holding the cut too when the cut is inside a byte.
    let needed = whole + usize::from(shift > 0);
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| compress_prefix(layout.params, payload, needed));
        let dictionary = &payload[cut.saturating_sub(DICTIONARY)..cut];
        let second = compress_from(layout.params, dictionary, &payload[cut..]);
        let first = first
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, second)
    });
    let (first, mut tail) = (first?, second?);
    if first.len() < needed || tail.is_empty() {
        return Err(bad("the first half ends before its split point"));
    }
    // Second half's bits after the first `bit_offset` bits of the first half (LSB first), shifted
    // where they are (a copy of a set's second half would add megabytes to a commit's peak).
    if shift != 0 {
        let low = first[whole] & ((1u8 << shift) - 1);
        tail.push(0);
        for i in (1..tail.len()).rev() {
            tail[i] = (tail[i - 1] >> (8 - shift)) | (tail[i] << shift);
        }
        tail[0] = low | (tail[0] << shift);
    }
    let tail_len = usize::try_from(split.deflate_len)
        .ok()
        .and_then(|n| n.checked_sub(whole))
        .filter(|&n| n <= tail.len() && n + 1 >= tail.len())
        .ok_or(bad("its stream length does not fit the split point"))?;
    out.write_all(&layout.header)?;
    out.write_all(&first[..whole])?;
    out.write_all(&tail[..tail_len])?;
    out.write_all(&layout.payload_crc.to_le_bytes())?;
    out.write_all(&(layout.payload_len as u32).to_le_bytes())?;
    out.flush()?;
    Ok(layout.header.len() as u64 + split.deflate_len + 8)
}

/// The first `needed` bytes of the deflate stream of `payload` (the compressor stops as soon as it has
/// emitted them).
fn compress_prefix(
    params: DeflateParams,
    payload: &[u8],
    needed: usize,
) -> Result<Vec<u8>, GzipError> {
    let mut deflater = RawDeflater::new(params)?;
    let mut scratch = vec![0u8; WORK_CHUNK];
    let mut out = Vec::with_capacity(needed + WORK_CHUNK);
    deflater.compress(payload, true, &mut scratch, |piece| {
        out.extend_from_slice(piece);
        Ok(out.len() < needed)
    })?;
    Ok(out)
}

/// The deflate stream of `input` by a compressor primed with `dictionary`, finished.
fn compress_from(
    params: DeflateParams,
    dictionary: &[u8],
    input: &[u8],
) -> Result<Vec<u8>, GzipError> {
    let mut deflater = RawDeflater::new(params)?;
    deflater.set_dictionary(dictionary)?;
    let mut scratch = vec![0u8; WORK_CHUNK];
    let mut out = Vec::with_capacity(input.len() / 3);
    deflater.compress(input, true, &mut scratch, |piece| {
        out.extend_from_slice(piece);
        Ok(true)
    })?;
    Ok(out)
}

/// A payload and its block boundaries as (payload offset, bit offset).
type Blocks = (Vec<u8>, Vec<(u64, u64)>);

/// Inflates a whole raw deflate stream and lists its block boundaries as (payload offset, bit offset).
/// `None` when the stream is invalid, does not end exactly at the end of `deflate`, or inflates to
/// `limit` bytes or more.
fn inflate_with_boundaries(deflate: &[u8], limit: u64) -> Result<Option<Blocks>, GzipError> {
    let mut inflater = RawInflater::new()?;
    let mut payload: Vec<u8> = Vec::with_capacity(4 << 20);
    let mut boundaries = Vec::new();
    let mut input = deflate;
    loop {
        if payload.len() == payload.capacity() {
            if payload.len() as u64 >= limit {
                return Ok(None);
            }
            payload.reserve(payload.len().min(limit as usize - payload.len()));
        }
        let step = inflater.inflate_block(input, &mut payload)?;
        input = &input[step.consumed..];
        match step.state {
            BlockState::Boundary => boundaries.push((
                inflater.total_out(),
                inflater.total_in() * 8 - u64::from(step.unused_bits),
            )),
            BlockState::Inside => {}
            BlockState::End => {
                return Ok(input.is_empty().then_some((payload, boundaries)));
            }
            BlockState::Invalid => return Ok(None),
        }
        if step.consumed == 0 && step.produced == 0 && payload.len() < payload.capacity() {
            // No progress with room to write: the stream is cut short.
            return Ok(None);
        }
    }
}

enum BlockState {
    /// Stopped right after a block's end-of-block code (another block follows).
    Boundary,
    /// Stopped for lack of input or output room.
    Inside,
    /// The stream ended.
    End,
    /// The data is not valid deflate.
    Invalid,
}

struct InflateStep {
    consumed: usize,
    produced: usize,
    unused_bits: u8,
    state: BlockState,
}

/// zlib's raw inflate, driven with `Z_BLOCK` so that it stops at every block boundary.
struct RawInflater {
    /// Boxed: zlib's state points back at the `z_stream`, which must not move.
    stream: Box<z_stream>,
}

impl RawInflater {
    fn new() -> Result<Self, GzipError> {
        let mut stream = new_stream();
        // SAFETY: a fully initialised z_stream with valid allocators at a stable heap address; zlib
        // checks the struct size against its own.
        let code = unsafe {
            libz_sys::inflateInit2_(
                &mut *stream,
                -c_int::from(WINDOW_BITS),
                libz_sys::zlibVersion(),
                std::mem::size_of::<z_stream>() as c_int,
            )
        };
        if code != libz_sys::Z_OK {
            return Err(zlib_error("inflateInit2_", code, &stream));
        }
        Ok(Self { stream })
    }

    fn total_in(&self) -> u64 {
        self.stream.total_in
    }

    fn total_out(&self) -> u64 {
        self.stream.total_out
    }

    /// Inflates from `input` into the spare capacity of `out` until a block boundary, the end of the
    /// stream, or lack of input or room.
    fn inflate_block(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<InflateStep, GzipError> {
        let avail_in = input.len().min(uInt::MAX as usize);
        let spare = out.spare_capacity_mut();
        let avail_out = spare.len().min(uInt::MAX as usize);
        self.stream.next_in = input.as_ptr().cast_mut();
        self.stream.avail_in = avail_in as uInt;
        self.stream.next_out = spare.as_mut_ptr().cast();
        self.stream.avail_out = avail_out as uInt;
        // SAFETY: the stream is initialised and has not moved; next_in/avail_in describe `input` (only
        // read) and next_out/avail_out the spare capacity of `out`, both borrowed for this call. The
        // pointers are cleared right after.
        let code = unsafe { libz_sys::inflate(&mut *self.stream, libz_sys::Z_BLOCK) };
        let consumed = avail_in - self.stream.avail_in as usize;
        let produced = avail_out - self.stream.avail_out as usize;
        self.stream.next_in = std::ptr::null_mut();
        self.stream.avail_in = 0;
        self.stream.next_out = std::ptr::null_mut();
        self.stream.avail_out = 0;
        // SAFETY: zlib wrote `produced` initialised bytes at the start of the spare capacity.
        unsafe { out.set_len(out.len() + produced) };
        let data_type = self.stream.data_type;
        let state = match code {
            libz_sys::Z_STREAM_END => BlockState::End,
            libz_sys::Z_OK | libz_sys::Z_BUF_ERROR => {
                // Bit 7: stopped right after an end-of-block code; bit 6: now in the last block.
                if data_type & 128 != 0 && data_type & 64 == 0 && self.total_out() > 0 {
                    BlockState::Boundary
                } else {
                    BlockState::Inside
                }
            }
            libz_sys::Z_DATA_ERROR => BlockState::Invalid,
            code => return Err(zlib_error("inflate", code, &self.stream)),
        };
        Ok(InflateStep {
            consumed,
            produced,
            unused_bits: (data_type & 7) as u8,
            state,
        })
    }
}

impl Drop for RawInflater {
    fn drop(&mut self) {
        // SAFETY: initialised by inflateInit2_ and not yet ended; frees zlib's state once.
        unsafe {
            libz_sys::inflateEnd(&mut *self.stream);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::rebuild;
    use super::*;

    /// XML-like text of about `len` bytes: repetitive with variations, like a Live set.
    fn xml(len: usize, seed: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 200);
        let mut x = seed | 1;
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let line = format!(
                "<AudioClip Id=\"{}\" Time=\"{}\"><CurrentStart Value=\"{}\" /><Warp Value=\"{:.4}\" /></AudioClip>\n",
                x % 997,
                x % 4096,
                (x >> 20) % 512,
                (x >> 8) as f64 / u64::MAX as f64
            );
            out.extend_from_slice(line.as_bytes());
        }
        out
    }

    fn gzip_of(data: &[u8], params: DeflateParams) -> Vec<u8> {
        let mut crc = Crc::new();
        crc.update(data);
        let layout = GzipLayout {
            header: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
            params,
            payload_len: data.len() as u64,
            payload_crc: crc.sum(),
            split: None,
        };
        let mut out = Vec::new();
        rebuild(&layout, data, &mut out).unwrap();
        out
    }

    #[test]
    fn split_layout_rebuilds_live_gzip_exactly_and_round_trips_its_encoding() {
        for (seed, len) in [(1u64, 3 << 20), (7, (5 << 20) + 12_345)] {
            let data = xml(len, seed);
            let file = gzip_of(&data, DeflateParams::LIVE);
            let layout = probe_split(&file, DeflateParams::LIVE)
                .unwrap()
                .expect("Live's gzip splits");
            let split = layout.split().unwrap();
            assert!(split.payload_offset > 0 && split.payload_offset < data.len() as u64);
            let decoded = GzipLayout::decode(&layout.encode()).unwrap();
            assert_eq!(decoded, layout);
            let mut out = Vec::new();
            let n = rebuild(&decoded, &data[..], &mut out).unwrap();
            assert_eq!(n as usize, file.len());
            assert!(out == file, "rebuilt bytes differ");
        }
    }

    #[test]
    fn a_split_is_refused_when_the_proof_fails() {
        let data = xml(2 << 20, 3);
        // Made with other parameters: the halves never match Live's.
        let file = gzip_of(&data, DeflateParams::new(1, 8).unwrap());
        assert!(probe_split(&file, DeflateParams::LIVE).unwrap().is_none());
        // Small payloads are not split; truncated or trailing bytes are not gzip members.
        let small = gzip_of(&xml(100_000, 4), DeflateParams::LIVE);
        assert!(probe_split(&small, DeflateParams::LIVE).unwrap().is_none());
        let live = gzip_of(&data, DeflateParams::LIVE);
        assert!(
            probe_split(&live[..live.len() - 100], DeflateParams::LIVE)
                .unwrap()
                .is_none()
        );
        let mut trailing = live.clone();
        trailing.push(0);
        assert!(
            probe_split(&trailing, DeflateParams::LIVE)
                .unwrap()
                .is_none()
        );
    }

    /// The proof says yes exactly when `rebuild_split` writes the file: on the file itself, on the
    /// file damaged at every place the proof looks (either half, the byte where they meet, the last
    /// byte of the stream, header, trailer, length), and on layouts with another cut or length.
    #[test]
    fn the_streaming_proof_agrees_with_the_rebuilt_bytes() {
        let mut shifts = std::collections::BTreeSet::new();
        for (seed, len) in [(11u64, 2 << 20), (12, (3 << 20) + 777), (13, (2 << 20) + 5)] {
            let data = xml(len, seed);
            let file = gzip_of(&data, DeflateParams::LIVE);
            let (layout, payload) = prepare_split(&file, DeflateParams::LIVE).unwrap().unwrap();
            let split = layout.split.unwrap();
            shifts.insert(split.bit_offset % 8);
            let header = layout.header.len();
            let meet = header + (split.bit_offset / 8) as usize;
            let end = file.len() - 8;
            let rebuilt = |layout: &GzipLayout| {
                let mut out = Vec::new();
                rebuild_split(layout, &payload, &mut out).ok().map(|_| out)
            };
            let agree = |file: &[u8], layout: &GzipLayout, what: &str| {
                let proved = prove_split(file, layout, &payload).unwrap();
                let exact = rebuilt(layout).is_some_and(|out| out == file);
                assert_eq!(proved, exact, "{what} (seed {seed})");
                proved
            };
            assert!(agree(&file, &layout, "the file itself"));
            for (at, what) in [
                (2, "header"),
                (header + 1000, "first half"),
                (meet - 1, "last byte of the first half"),
                (meet, "where the halves meet"),
                (meet + 1, "first byte after the meeting"),
                (meet + (end - meet) / 2, "second half"),
                (end - 1, "last byte of the stream"),
                (end + 1, "CRC"),
                (file.len() - 1, "length"),
            ] {
                for bit in [0x01u8, 0x80] {
                    let mut damaged = file.clone();
                    damaged[at] ^= bit;
                    assert!(!agree(&damaged, &layout, what));
                }
            }
            assert!(!agree(&file[..file.len() - 1], &layout, "one byte short"));
            let mut longer = file.clone();
            longer.push(0);
            assert!(!agree(&longer, &layout, "one byte more"));
            for delta in [-9i64, -1, 1, 8] {
                let mut moved = layout.clone();
                let s = moved.split.as_mut().unwrap();
                s.bit_offset = s.bit_offset.saturating_add_signed(delta);
                agree(&file, &moved, "another cut");
                let mut other = layout.clone();
                let s = other.split.as_mut().unwrap();
                s.deflate_len = s.deflate_len.saturating_add_signed(delta);
                agree(&file, &other, "another stream length");
            }
        }
        assert!(
            shifts.iter().any(|&s| s > 0),
            "a cut inside a byte is covered"
        );
    }

    #[test]
    fn rebuild_split_rejects_another_payload_and_a_damaged_split_point() {
        let data = xml(2 << 20, 5);
        let file = gzip_of(&data, DeflateParams::LIVE);
        let layout = probe_split(&file, DeflateParams::LIVE).unwrap().unwrap();
        let mut other = data.clone();
        other[1000] ^= 1;
        assert!(matches!(
            rebuild_split(&layout, &other, Vec::new()),
            Err(GzipError::PayloadMismatch { .. })
        ));
        let mut bad = layout.clone();
        bad.split.as_mut().unwrap().deflate_len += 10;
        assert!(rebuild_split(&bad, &data, Vec::new()).is_err());
        let mut moved = layout.clone();
        moved.split.as_mut().unwrap().bit_offset += 3;
        let mut out = Vec::new();
        // A wrong cut either fails or gives other bytes (callers also check the whole-file hash).
        if rebuild_split(&moved, &data, &mut out).is_ok() {
            assert!(out != file);
        }
    }
}
