//! Authenticated encryption of everything the store writes: XChaCha20-Poly1305 with a random 24-byte
//! nonce per message, and associated data that binds each ciphertext to what it is (`docs/FORMAT.md`,
//! "Sealed envelope").
//!
//! A sealed message is `nonce (24) ‖ ciphertext ‖ tag (16)`.

//!
//! The cipher is ring's ChaCha20-Poly1305 (BoringSSL's assembly, about twice as fast here as a portable
//! implementation) under XChaCha20's construction: the first 16 bytes of the nonce and the key give a
//! subkey through HChaCha20, and the last 8 bytes are the nonce of ChaCha20-Poly1305 (IETF, 12 bytes,
//! the first 4 zero). A test checks the envelopes against RustCrypto's `XChaCha20Poly1305`.

use chacha20::cipher::consts::U10;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use zeroize::{Zeroize, Zeroizing};

pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
/// Bytes a sealed message adds to its plaintext.
pub const OVERHEAD: usize = NONCE_LEN + TAG_LEN;

/// A 256-bit symmetric key, wiped from memory when dropped. It lives on the heap, so moving a key
/// around never leaves copies of it on the stack.
#[derive(Clone)]
pub struct SecretKey(Box<Zeroizing<[u8; 32]>>);

impl SecretKey {
    /// A key of zeros, to be filled in place ([`SecretKey::as_mut_bytes`]).
    pub fn zeroed() -> Self {
        Self(Box::new(Zeroizing::new([0u8; 32])))
    }
    /// Takes a key from an array; the caller wipes its own copy (or passes a temporary).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let mut k = Self::zeroed();
        k.as_mut_bytes().copy_from_slice(&bytes);
        k
    }
    /// A copy of 32 bytes; `None` when `bytes` is not 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 32 {
            return None;
        }
        let mut k = Self::zeroed();
        k.as_mut_bytes().copy_from_slice(bytes);
        Some(k)
    }
    pub fn random() -> Self {
        let mut k = Self::zeroed();
        random_bytes(k.as_mut_bytes());
        k
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    pub fn as_mut_bytes(&mut self) -> &mut [u8; 32] {
        &mut self.0
    }
    /// A subkey for one purpose, derived with blake3's key derivation.
    pub fn derive(&self, context: &str) -> SecretKey {
        let mut k = Self::zeroed();
        let mut hasher = blake3::Hasher::new_derive_key(context);
        hasher.update(self.as_bytes());
        hasher.finalize_xof().fill(k.as_mut_bytes());
        hasher.zeroize();
        k
    }
}

/// A sealed message failed to open: wrong key, or the bytes were changed.
#[derive(Debug, thiserror::Error)]
#[error("authentication failed (wrong key, or the data was altered)")]
pub struct AuthError;

/// XChaCha20-Poly1305 for one 24-byte nonce: ChaCha20-Poly1305 under the HChaCha20 subkey, and the
/// 12-byte nonce made of four zero bytes and the nonce's last eight.
fn xchacha(key: &SecretKey, nonce: &[u8]) -> (LessSafeKey, Nonce) {
    let mut subkey = Zeroizing::new([0u8; 32]);
    subkey.copy_from_slice(&chacha20::hchacha::<U10>(
        key.as_bytes().into(),
        nonce[..16].into(),
    ));
    let cipher = UnboundKey::new(&CHACHA20_POLY1305, subkey.as_ref())
        .expect("a 32-byte key is a valid ChaCha20-Poly1305 key");
    let mut short = [0u8; 12];
    short[4..].copy_from_slice(&nonce[16..NONCE_LEN]);
    (
        LessSafeKey::new(cipher),
        Nonce::assume_unique_for_key(short),
    )
}

fn random_nonce() -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    random_bytes(&mut nonce);
    nonce
}

/// Fills `buf` from the operating system's random number generator (`getrandom(2)` on Linux), for
/// keys, nonces, salts and names.
pub fn random_bytes(buf: &mut [u8]) {
    // It cannot fail on a Linux that runs daw at all (3.17 or later); what would, panics rather
    // than make a key of zeros.
    getrandom::fill(buf).expect("the operating system's random number generator failed");
}

pub fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
    out.resize(NONCE_LEN, 0);
    out.extend_from_slice(plaintext);
    seal_in_place(key, aad, &mut out);
    out
}

/// Seals `message[NONCE_LEN..]` in place, the same envelope as [`seal`] without copying the
/// plaintext: the caller leaves room for the nonce at the front, and the tag is appended.
pub fn seal_in_place(key: &SecretKey, aad: &[u8], message: &mut Vec<u8>) {
    assert!(message.len() >= NONCE_LEN, "room for the nonce");
    let nonce = random_nonce();
    message[..NONCE_LEN].copy_from_slice(&nonce);
    let (cipher, short) = xchacha(key, &nonce);
    let tag = cipher
        .seal_in_place_separate_tag(short, Aad::from(aad), &mut message[NONCE_LEN..])
        .expect("ChaCha20-Poly1305 encrypts any in-memory buffer");
    message.extend_from_slice(tag.as_ref());
}

/// Opens `buf[skip..]` (as sealed by [`seal`]) in place: on success `buf` holds the plaintext and
/// no second buffer is allocated (for big sealed files such as the stat cache).
pub fn open_in_place(
    key: &SecretKey,
    aad: &[u8],
    buf: &mut Vec<u8>,
    skip: usize,
) -> Result<(), AuthError> {
    let plain = open_in_place_at(key, aad, buf.get_mut(skip..).ok_or(AuthError)?)?;
    buf.truncate(skip + plain.end);
    buf.drain(..skip + plain.start);
    Ok(())
}

/// Opens `buf` (as sealed by [`seal`]) in place, moving nothing: returns where in `buf` the
/// plaintext is.
pub fn open_in_place_at(
    key: &SecretKey,
    aad: &[u8],
    buf: &mut [u8],
) -> Result<std::ops::Range<usize>, AuthError> {
    if buf.len() < OVERHEAD {
        return Err(AuthError);
    }
    let (nonce, sealed) = buf.split_at_mut(NONCE_LEN);
    let (cipher, short) = xchacha(key, nonce);
    let plain_len = cipher
        .open_in_place(short, Aad::from(aad), sealed)
        .map_err(|_| AuthError)?
        .len();
    Ok(NONCE_LEN..NONCE_LEN + plain_len)
}

pub fn open(key: &SecretKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, AuthError> {
    if sealed.len() < OVERHEAD {
        return Err(AuthError);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let (cipher, short) = xchacha(key, nonce);
    let mut plain = body.to_vec();
    let len = cipher
        .open_in_place(short, Aad::from(aad), &mut plain)
        .map_err(|_| AuthError)?
        .len();
    plain.truncate(len);
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_binds_key_aad_and_bytes() {
        let k = SecretKey::random();
        let sealed = seal(&k, b"ctx", b"hello");
        assert_eq!(sealed.len(), 5 + OVERHEAD);
        assert_eq!(open(&k, b"ctx", &sealed).unwrap(), b"hello");
        assert!(open(&k, b"other", &sealed).is_err());
        assert!(open(&SecretKey::random(), b"ctx", &sealed).is_err());
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(open(&k, b"ctx", &bad).is_err(), "flip at {i} not detected");
        }
    }

    /// Subkeys are derived in place (issue 12, item 9: no copy left on the stack) and are still
    /// exactly blake3's `derive_key`, so repositories keep opening.
    #[test]
    fn subkeys_derived_in_place_are_blake3_derive_key() {
        let k = SecretKey::random();
        assert_eq!(
            k.derive("daw 2026-11 data encryption key").as_bytes(),
            &blake3::derive_key("daw 2026-11 data encryption key", k.as_bytes())
        );
        let copy = SecretKey::from_slice(k.as_bytes()).unwrap();
        assert_eq!(copy.as_bytes(), k.as_bytes());
        assert!(SecretKey::from_slice(&[0u8; 31]).is_none());
    }

    #[test]
    fn seal_in_place_makes_the_same_envelope() {
        let k = SecretKey::random();
        let mut m = vec![0u8; NONCE_LEN];
        m.extend_from_slice(b"hello");
        seal_in_place(&k, b"ctx", &mut m);
        assert_eq!(m.len(), 5 + OVERHEAD);
        assert_eq!(open(&k, b"ctx", &m).unwrap(), b"hello");
        assert!(open(&k, b"other", &m).is_err());
    }

    #[test]
    fn envelopes_are_xchacha20_poly1305() {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        use chacha20poly1305::{XChaCha20Poly1305, XNonce};
        for len in [0usize, 1, 15, 16, 17, 63, 64, 65, 255, 256, 4096, 65_537] {
            let k = SecretKey::random();
            let aad = vec![len as u8; len % 40];
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 + len) as u8).collect();
            let sealed = seal(&k, &aad, &plain);
            // RustCrypto's implementation opens what this one sealed, and seals the same bytes.
            let reference = XChaCha20Poly1305::new(k.as_bytes().into());
            let nonce = XNonce::from_slice(&sealed[..NONCE_LEN]);
            let opened = reference
                .decrypt(
                    nonce,
                    Payload {
                        msg: &sealed[NONCE_LEN..],
                        aad: &aad,
                    },
                )
                .expect("the reference opens the envelope");
            assert_eq!(opened, plain);
            let again = reference
                .encrypt(
                    nonce,
                    Payload {
                        msg: &plain,
                        aad: &aad,
                    },
                )
                .unwrap();
            assert_eq!(again, &sealed[NONCE_LEN..]);
            let mut in_place = sealed.clone();
            open_in_place(&k, &aad, &mut in_place, 0).unwrap();
            assert_eq!(in_place, plain);
        }
    }
}
