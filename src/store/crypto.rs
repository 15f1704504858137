//! Authenticated encryption of everything the store writes: XChaCha20-Poly1305 with a random 24-byte
//! nonce per message, and associated data that binds each ciphertext to what it is (`docs/FORMAT.md`,
//! "Sealed envelope").
//!
//! A sealed message is `nonce (24) ‖ ciphertext ‖ tag (16)`.

use chacha20poly1305::aead::{Aead, AeadCore, AeadInPlace, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
/// Bytes a sealed message adds to its plaintext.
pub const OVERHEAD: usize = NONCE_LEN + TAG_LEN;

/// A 256-bit symmetric key, wiped from memory when dropped.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }
    pub fn random() -> Self {
        let mut k = [0u8; 32];
        rand::RngCore::fill_bytes(&mut OsRng, &mut k);
        Self::from_bytes(k)
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    /// A subkey for one purpose, derived with blake3's key derivation.
    pub fn derive(&self, context: &str) -> SecretKey {
        SecretKey::from_bytes(blake3::derive_key(context, self.as_bytes()))
    }
}

/// A sealed message failed to open: wrong key, or the bytes were changed.
#[derive(Debug, thiserror::Error)]
#[error("authentication failed (wrong key, or the data was altered)")]
pub struct AuthError;

pub fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ct = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

/// Seals `message[NONCE_LEN..]` in place, the same envelope as [`seal`] without copying the
/// plaintext: the caller leaves room for the nonce at the front, and the tag is appended.
pub fn seal_in_place(key: &SecretKey, aad: &[u8], message: &mut Vec<u8>) {
    assert!(message.len() >= NONCE_LEN, "room for the nonce");
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    message[..NONCE_LEN].copy_from_slice(&nonce);
    let tag = cipher
        .encrypt_in_place_detached(&nonce, aad, &mut message[NONCE_LEN..])
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    message.extend_from_slice(&tag);
}

/// Opens `buf[skip..]` (as sealed by [`seal`]) in place: on success `buf` holds the plaintext and
/// no second buffer is allocated (for big sealed files such as the stat cache).
pub fn open_in_place(
    key: &SecretKey,
    aad: &[u8],
    buf: &mut Vec<u8>,
    skip: usize,
) -> Result<(), AuthError> {
    if buf.len() < skip + OVERHEAD {
        return Err(AuthError);
    }
    let tag_at = buf.len() - TAG_LEN;
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let (head, rest) = buf.split_at_mut(skip + NONCE_LEN);
    let (ct, tag) = rest.split_at_mut(tag_at - skip - NONCE_LEN);
    cipher
        .decrypt_in_place_detached(
            XNonce::from_slice(&head[skip..]),
            aad,
            ct,
            chacha20poly1305::Tag::from_slice(tag),
        )
        .map_err(|_| AuthError)?;
    buf.truncate(tag_at);
    buf.drain(..skip + NONCE_LEN);
    Ok(())
}

pub fn open(key: &SecretKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, AuthError> {
    if sealed.len() < OVERHEAD {
        return Err(AuthError);
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .map_err(|_| AuthError)
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
}
