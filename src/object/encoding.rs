//! The canonical binary encoding shared by every on-disk structure (see `docs/FORMAT.md`, "Encoding").
//!
//! Unsigned integers are LEB128 varints, signed ones are zig-zag varints, byte strings are a varint length
//! followed by the bytes, and object ids are 32 raw bytes. Decoding is strict: a truncated buffer, an
//! overlong varint or trailing bytes are errors, so a decoder never guesses.

use super::ObjectId;

/// A structure could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The buffer ended in the middle of a value.
    #[error("truncated {0}")]
    Truncated(&'static str),
    /// A varint was longer than 10 bytes or overflowed 64 bits.
    #[error("malformed number in {0}")]
    BadVarint(&'static str),
    /// A value was outside the range the format allows.
    #[error("invalid {what}: {detail}")]
    Invalid { what: &'static str, detail: String },
    /// The structure was written by a newer daw.
    #[error(
        "unsupported {what} version {version} (this daw reads version {supported}); upgrade daw"
    )]
    Version {
        what: &'static str,
        version: u64,
        supported: u64,
    },
    /// Bytes were left over after the structure ended.
    #[error("{0} has trailing bytes")]
    Trailing(&'static str),
}

/// Appends canonical encodings to a buffer.
#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }
    pub fn uvar(&mut self, mut v: u64) -> &mut Self {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return self;
            }
            self.buf.push(byte | 0x80);
        }
    }
    pub fn ivar(&mut self, v: i64) -> &mut Self {
        self.uvar(((v << 1) ^ (v >> 63)) as u64)
    }
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.uvar(b.len() as u64);
        self.buf.extend_from_slice(b);
        self
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    pub fn id(&mut self, id: &ObjectId) -> &mut Self {
        self.buf.extend_from_slice(id.as_bytes());
        self
    }
    pub fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
    /// What was written so far.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }
    /// Empties the buffer, keeping its allocation.
    pub fn clear(&mut self) {
        self.buf.clear();
    }
}

/// Reads canonical encodings from a buffer; `what` names the structure in errors.
pub struct Reader<'a> {
    buf: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'static str) -> Self {
        Self { buf, what }
    }
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len()
    }
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        let (&b, rest) = self
            .buf
            .split_first()
            .ok_or(DecodeError::Truncated(self.what))?;
        self.buf = rest;
        Ok(b)
    }
    pub fn uvar(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.u8()?;
            let part = u64::from(b & 0x7f);
            if i == 9 && part > 1 {
                return Err(DecodeError::BadVarint(self.what));
            }
            v |= part << (7 * i);
            if b & 0x80 == 0 {
                // Reject non-minimal encodings so that every value has exactly one encoding.
                if i > 0 && b == 0 {
                    return Err(DecodeError::BadVarint(self.what));
                }
                return Ok(v);
            }
        }
        Err(DecodeError::BadVarint(self.what))
    }
    pub fn ivar(&mut self) -> Result<i64, DecodeError> {
        let u = self.uvar()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }
    /// A length that must fit in memory that the buffer could actually hold.
    pub fn len(&mut self) -> Result<usize, DecodeError> {
        let n = self.uvar()?;
        if n > self.buf.len() as u64 {
            return Err(DecodeError::Truncated(self.what));
        }
        Ok(n as usize)
    }
    /// A count of items each at least `min_item` bytes long (guards allocation against corrupt counts).
    pub fn count(&mut self, min_item: usize) -> Result<usize, DecodeError> {
        let n = self.uvar()?;
        if n.saturating_mul(min_item.max(1) as u64) > self.buf.len() as u64 {
            return Err(DecodeError::Truncated(self.what));
        }
        Ok(n as usize)
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.buf.len() {
            return Err(DecodeError::Truncated(self.what));
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.len()?;
        self.take(n)
    }
    pub fn string(&mut self) -> Result<String, DecodeError> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| DecodeError::Invalid {
            what: self.what,
            detail: "text is not UTF-8".into(),
        })
    }
    pub fn id(&mut self) -> Result<ObjectId, DecodeError> {
        let b = self.take(32)?;
        let mut a = [0u8; 32];
        a.copy_from_slice(b);
        Ok(ObjectId::from_bytes(a))
    }
    /// Reads a version number and rejects versions above `supported`.
    pub fn version(&mut self, supported: u64) -> Result<u64, DecodeError> {
        let version = self.uvar()?;
        if version == 0 || version > supported {
            return Err(DecodeError::Version {
                what: self.what,
                version,
                supported,
            });
        }
        Ok(version)
    }
    pub fn invalid(&self, detail: impl Into<String>) -> DecodeError {
        DecodeError::Invalid {
            what: self.what,
            detail: detail.into(),
        }
    }
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Trailing(self.what))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overlong() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut w = Writer::new();
            w.uvar(v);
            let buf = w.finish();
            let mut r = Reader::new(&buf, "test");
            assert_eq!(r.uvar().unwrap(), v);
            r.finish().unwrap();
        }
        for v in [0i64, -1, 1, i64::MIN, i64::MAX, -3600] {
            let mut w = Writer::new();
            w.ivar(v);
            let buf = w.finish();
            assert_eq!(Reader::new(&buf, "test").ivar().unwrap(), v);
        }
        // 0 encoded in two bytes is not canonical.
        assert!(Reader::new(&[0x80, 0x00], "test").uvar().is_err());
        assert!(Reader::new(&[0xff; 11], "test").uvar().is_err());
        assert!(Reader::new(&[0x05, 1, 2], "test").bytes().is_err());
    }
}
