//! The master key, its subkeys, and key slots that wrap it under a passphrase with Argon2id
//! (`docs/FORMAT.md`, "Key slot").
//!
//! A slot is a small JSON document: KDF parameters, salt and the wrapped master key. It is the only
//! thing in the store that is not encrypted, and it holds nothing about the project.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{self, SecretKey};

pub const KEY_SLOT_VERSION: u32 = 1;

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// m = 64 MiB, t = 3, p = 4 (DESIGN.md's floor for real repositories).
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 4,
        }
    }
}

/// The keys everything else is derived from.
#[derive(Clone)]
pub struct Keys {
    master: SecretKey,
    /// Keys object ids (`blake3::keyed_hash`).
    pub id_key: SecretKey,
    /// Encrypts blobs, indexes, operations and caches.
    pub data_key: SecretKey,
    /// Seeds the chunker so chunk boundaries differ per repository.
    pub chunker_seed: u64,
}

impl Keys {
    pub fn from_master(master: SecretKey) -> Self {
        let id_key = master.derive("daw 2026-11 object id key");
        let data_key = master.derive("daw 2026-11 data encryption key");
        let seed = master.derive("daw 2026-11 chunker seed");
        let mut s = [0u8; 8];
        s.copy_from_slice(&seed.as_bytes()[..8]);
        // A zero seed would leave the chunker's gear table unkeyed.
        let chunker_seed = u64::from_le_bytes(s) | 1;
        Self {
            master,
            id_key,
            data_key,
            chunker_seed,
        }
    }

    pub fn generate() -> Self {
        Self::from_master(SecretKey::random())
    }

    /// The master key, for a key agent that keeps it for the session.
    pub fn master(&self) -> &SecretKey {
        &self.master
    }

    /// The keyed blake3 id of `data`.
    pub fn object_id(&self, data: &[u8]) -> crate::object::ObjectId {
        crate::object::ObjectId::from_bytes(
            *blake3::keyed_hash(self.id_key.as_bytes(), data).as_bytes(),
        )
    }

    pub fn hasher(&self) -> blake3::Hasher {
        blake3::Hasher::new_keyed(self.id_key.as_bytes())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// No slot opened with the passphrase.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The slot file could not be understood.
    #[error("key slot {slot} is unreadable: {detail}")]
    BadSlot { slot: String, detail: String },
    /// Argon2 rejected the parameters.
    #[error("invalid key derivation parameters: {0}")]
    Kdf(String),
}

/// A key slot as stored (JSON).
#[derive(Debug, Serialize, Deserialize)]
pub struct KeySlot {
    pub version: u32,
    /// `passphrase` for now; recovery keys later use the same shape.
    pub kind: String,
    pub kdf: String,
    #[serde(flatten)]
    pub params: KdfParams,
    /// Hex.
    pub salt: String,
    /// Hex of the sealed master key.
    pub wrapped_key: String,
}

fn slot_aad(repo_id: &str, slot_id: &str) -> Vec<u8> {
    format!("daw key slot v{KEY_SLOT_VERSION}\0{repo_id}\0{slot_id}").into_bytes()
}

fn derive_kek(passphrase: &[u8], salt: &[u8], params: KdfParams) -> Result<SecretKey, KeyError> {
    let p = argon2::Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|e| KeyError::Kdf(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, salt, out.as_mut())
        .map_err(|e| KeyError::Kdf(e.to_string()))?;
    Ok(SecretKey::from_bytes(*out))
}

impl KeySlot {
    /// Wraps the master key of `keys` under `passphrase`.
    pub fn create(
        keys: &Keys,
        passphrase: &[u8],
        params: KdfParams,
        repo_id: &str,
        slot_id: &str,
    ) -> Result<Self, KeyError> {
        let mut salt = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
        let kek = derive_kek(passphrase, &salt, params)?;
        let wrapped = crypto::seal(&kek, &slot_aad(repo_id, slot_id), keys.master.as_bytes());
        Ok(Self {
            version: KEY_SLOT_VERSION,
            kind: "passphrase".into(),
            kdf: "argon2id".into(),
            params,
            salt: hex::encode(salt),
            wrapped_key: hex::encode(wrapped),
        })
    }

    pub fn parse(json: &[u8], slot_id: &str) -> Result<Self, KeyError> {
        let bad = |detail: String| KeyError::BadSlot {
            slot: slot_id.to_string(),
            detail,
        };
        let slot: KeySlot = serde_json::from_slice(json).map_err(|e| bad(e.to_string()))?;
        if slot.version != KEY_SLOT_VERSION {
            return Err(bad(format!(
                "unsupported version {}; upgrade daw",
                slot.version
            )));
        }
        if slot.kdf != "argon2id" {
            return Err(bad(format!("unknown key derivation {:?}", slot.kdf)));
        }
        Ok(slot)
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("a key slot always serializes");
        v.push(b'\n');
        v
    }

    /// Unwraps the master key; `Ok(None)` when the passphrase does not fit this slot.
    pub fn unlock(
        &self,
        passphrase: &[u8],
        repo_id: &str,
        slot_id: &str,
    ) -> Result<Option<Keys>, KeyError> {
        let bad = |detail: &str| KeyError::BadSlot {
            slot: slot_id.to_string(),
            detail: detail.into(),
        };
        let salt = hex::decode(&self.salt).map_err(|_| bad("salt is not hex"))?;
        let wrapped = hex::decode(&self.wrapped_key).map_err(|_| bad("wrapped key is not hex"))?;
        let kek = derive_kek(passphrase, &salt, self.params)?;
        match crypto::open(&kek, &slot_aad(repo_id, slot_id), &wrapped) {
            Ok(master) => {
                let master = Zeroizing::new(master);
                let bytes: [u8; 32] = master
                    .as_slice()
                    .try_into()
                    .map_err(|_| bad("wrapped key has the wrong length"))?;
                Ok(Some(Keys::from_master(SecretKey::from_bytes(bytes))))
            }
            Err(_) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_unlocks_only_with_its_passphrase() {
        let keys = Keys::generate();
        let params = KdfParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        };
        let slot = KeySlot::create(&keys, b"correct horse", params, "repo1", "slot1").unwrap();
        let parsed = KeySlot::parse(&slot.to_json(), "slot1").unwrap();
        let back = parsed
            .unlock(b"correct horse", "repo1", "slot1")
            .unwrap()
            .unwrap();
        assert_eq!(back.id_key.as_bytes(), keys.id_key.as_bytes());
        assert!(parsed.unlock(b"wrong", "repo1", "slot1").unwrap().is_none());
        // A slot moved to another repository does not open.
        assert!(
            parsed
                .unlock(b"correct horse", "repo2", "slot1")
                .unwrap()
                .is_none()
        );
    }
}
