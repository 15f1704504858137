//! The master key, its subkeys, the key slots that wrap it (one per way in: a passphrase or a
//! recovery key), the recovery key's text form, and the key set that says which slots are current
//! (`docs/FORMAT.md`, "Keys").
//!
//! A slot is a small JSON document: KDF parameters, salt and the wrapped master key. Slots are the
//! only things in the store that are not encrypted; they hold nothing about the project. The key set
//! is sealed under the data key, so only someone who holds the master key can add or revoke a slot.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::crypto::{self, SecretKey};
use super::{Backend, BackendError, StoreError};
use crate::object::encoding::{Reader, Writer};

/// The key slot version written today. Version 1 (no label, no date, no passphrase check) is
/// still read.
pub const KEY_SLOT_VERSION: u32 = 2;

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// m = 64 MiB, t = 3, p = 4 (DESIGN.md's default for real repositories).
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 4,
        }
    }
}

/// The least a new slot may cost without the insecure test option: m = 19 MiB, t = 2, p = 1
/// (OWASP's minimum for Argon2id). Documented in docs/FORMAT.md and docs/SECURITY.md.
pub const KDF_MINIMUM: KdfParams = KdfParams {
    memory_kib: 19 * 1024,
    iterations: 2,
    parallelism: 1,
};

/// The most a stored slot may claim: a slot beyond this is damaged (or hostile), never run.
pub const KDF_MAXIMUM: KdfParams = KdfParams {
    memory_kib: 4 * 1024 * 1024,
    iterations: 64,
    parallelism: 64,
};

impl KdfParams {
    /// Checks parameters for a new slot: within Argon2's rules and [`KDF_MAXIMUM`], and at least
    /// [`KDF_MINIMUM`] unless `allow_insecure` (tests and throw-away repositories only).
    pub fn check_new(&self, allow_insecure: bool) -> Result<(), KeyError> {
        self.check_bounds().map_err(KeyError::Kdf)?;
        let weak = self.memory_kib < KDF_MINIMUM.memory_kib
            || self.iterations < KDF_MINIMUM.iterations
            || self.parallelism < KDF_MINIMUM.parallelism;
        if weak && !allow_insecure {
            return Err(KeyError::WeakKdf(*self));
        }
        Ok(())
    }

    /// Argon2's own rules and [`KDF_MAXIMUM`]: what any slot, old or new, must satisfy.
    fn check_bounds(&self) -> Result<(), String> {
        if self.memory_kib > KDF_MAXIMUM.memory_kib
            || self.iterations > KDF_MAXIMUM.iterations
            || self.parallelism > KDF_MAXIMUM.parallelism
        {
            return Err(format!(
                "Argon2id m={} KiB t={} p={} is beyond the most daw runs (m={} KiB, t={}, p={})",
                self.memory_kib,
                self.iterations,
                self.parallelism,
                KDF_MAXIMUM.memory_kib,
                KDF_MAXIMUM.iterations,
                KDF_MAXIMUM.parallelism
            ));
        }
        if self.parallelism == 0 || self.iterations == 0 || self.memory_kib < 8 * self.parallelism {
            return Err(format!(
                "Argon2id m={} KiB t={} p={} is invalid (t and p at least 1, m at least 8 KiB per lane)",
                self.memory_kib, self.iterations, self.parallelism
            ));
        }
        Ok(())
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
    /// Seeds the chunker so chunk boundaries differ per repository (wiped when dropped).
    pub chunker_seed: Zeroizing<u64>,
}

impl Keys {
    pub fn from_master(master: SecretKey) -> Self {
        let id_key = master.derive("daw 2026-11 object id key");
        let data_key = master.derive("daw 2026-11 data encryption key");
        let seed = master.derive("daw 2026-11 chunker seed");
        let mut s = Zeroizing::new([0u8; 8]);
        s.copy_from_slice(&seed.as_bytes()[..8]);
        // A zero seed would leave the chunker's gear table unkeyed.
        let chunker_seed = Zeroizing::new(u64::from_le_bytes(*s) | 1);
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
    /// The slot file could not be understood, claims impossible parameters, or its wrapped key was
    /// altered.
    #[error("damaged key slot {slot}: {detail}")]
    BadSlot { slot: String, detail: String },
    /// Argon2 rejected the parameters.
    #[error("invalid key derivation parameters: {0}")]
    Kdf(String),
    /// Parameters for a new slot below [`KDF_MINIMUM`].
    #[error(
        "key derivation parameters m={} KiB t={} p={} are below the minimum (m={} KiB, t={}, p={})",
        .0.memory_kib, .0.iterations, .0.parallelism,
        KDF_MINIMUM.memory_kib, KDF_MINIMUM.iterations, KDF_MINIMUM.parallelism
    )]
    WeakKdf(KdfParams),
    /// A passphrase or recovery key that cannot protect anything.
    #[error("the {0} is empty")]
    EmptySecret(&'static str),
    /// A slot label with control characters or too long.
    #[error("invalid slot label {0:?}: at most 64 characters, no control characters")]
    BadLabel(String),
    /// A recovery key that does not decode or whose checksum fails.
    #[error("{0}")]
    BadRecoveryKey(String),
    /// The sealed key set did not decode.
    #[error("the key set is malformed: {0}")]
    BadKeySet(String),
}

/// What a slot is unlocked with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    Passphrase,
    Recovery,
}

impl SlotKind {
    pub fn name(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "passphrase",
            SlotKind::Recovery => "recovery",
        }
    }
}

/// The secret a slot is opened with. The bytes are wiped when dropped.
pub enum Secret {
    Passphrase(Zeroizing<Vec<u8>>),
    Recovery(RecoveryKey),
}

impl Secret {
    /// A passphrase; refused when empty.
    pub fn passphrase(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.is_empty() {
            return Err(KeyError::EmptySecret("passphrase"));
        }
        Ok(Self::Passphrase(Zeroizing::new(bytes.to_vec())))
    }

    pub fn kind(&self) -> SlotKind {
        match self {
            Secret::Passphrase(_) => SlotKind::Passphrase,
            Secret::Recovery(_) => SlotKind::Recovery,
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Secret::Passphrase(p) => p,
            Secret::Recovery(r) => &r.0[..],
        }
    }
}

/// A recovery key: 20 random bytes (160 bits), written as 32 Crockford base-32 characters and a
/// 4-character checksum, in groups of four: `ABCD-EFGH-…-WXYZ`. Typing it back ignores case, spaces
/// and dashes, and reads O as 0 and I, L as 1; the checksum catches a mistyped character.
pub struct RecoveryKey(Zeroizing<[u8; RECOVERY_KEY_BYTES]>);

const RECOVERY_KEY_BYTES: usize = 20;
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl RecoveryKey {
    pub fn generate() -> Self {
        let mut k = Zeroizing::new([0u8; RECOVERY_KEY_BYTES]);
        crypto::random_bytes(k.as_mut());
        Self(k)
    }

    /// 20 bits of blake3 over the key bytes, as 4 characters.
    fn checksum(bytes: &[u8]) -> [u8; 4] {
        let h = blake3::derive_key("daw 2026-12 recovery key checksum", bytes);
        let v = u32::from_le_bytes([h[0], h[1], h[2], 0]) & 0xF_FFFF;
        let mut out = [0u8; 4];
        for (i, c) in out.iter_mut().enumerate() {
            *c = CROCKFORD[((v >> (15 - 5 * i)) & 31) as usize];
        }
        out
    }

    /// The text a user writes down.
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut chars = Zeroizing::new(Vec::with_capacity(36));
        let mut acc: u64 = 0;
        let mut bits = 0;
        for &b in self.0.iter() {
            acc = (acc << 8) | u64::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                chars.push(CROCKFORD[((acc >> bits) & 31) as usize]);
            }
        }
        acc.zeroize();
        chars.extend_from_slice(&Self::checksum(&self.0[..]));
        let mut out = Zeroizing::new(String::with_capacity(45));
        for (i, group) in chars.chunks(4).enumerate() {
            if i > 0 {
                out.push('-');
            }
            out.extend(group.iter().map(|&c| c as char));
        }
        out
    }

    /// Reads a recovery key typed back.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let mut chars = Zeroizing::new(Vec::with_capacity(36));
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' | '\n' | '\r' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            let Some(v) = CROCKFORD.iter().position(|&x| x as char == c) else {
                return Err(KeyError::BadRecoveryKey(format!(
                    "the recovery key holds {c:?}, which is not one of its characters"
                )));
            };
            chars.push(v as u8);
        }
        if chars.is_empty() {
            return Err(KeyError::EmptySecret("recovery key"));
        }
        if chars.len() != 36 {
            return Err(KeyError::BadRecoveryKey(format!(
                "a recovery key has 36 characters (9 groups of 4); this one has {}",
                chars.len()
            )));
        }
        let mut key = Zeroizing::new([0u8; RECOVERY_KEY_BYTES]);
        let mut acc: u64 = 0;
        let mut bits = 0;
        let mut n = 0;
        for &v in &chars[..32] {
            acc = (acc << 5) | u64::from(v);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                key[n] = (acc >> bits) as u8;
                n += 1;
            }
        }
        acc.zeroize();
        let given: Vec<u8> = chars[32..].iter().map(|&v| CROCKFORD[v as usize]).collect();
        if given != Self::checksum(&key[..]) {
            return Err(KeyError::BadRecoveryKey(
                "the recovery key's checksum does not match: a character is mistyped".into(),
            ));
        }
        Ok(Self(key))
    }
}

/// A key slot as stored (JSON).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeySlot {
    pub version: u32,
    pub kind: SlotKind,
    /// A name for the user (version 2).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// When the slot was made, Unix seconds (version 2; 0 in version 1).
    #[serde(default)]
    pub created: i64,
    pub kdf: String,
    #[serde(flatten)]
    pub params: KdfParams,
    /// Hex.
    pub salt: String,
    /// Hex of 16 bytes that tell a wrong passphrase from a damaged wrapped key (version 2).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub check: String,
    /// Hex of the sealed master key.
    pub wrapped_key: String,
}

/// Slot labels: at most this many characters.
const MAX_LABEL: usize = 64;

pub fn check_label(label: &str) -> Result<(), KeyError> {
    if label.chars().count() > MAX_LABEL || label.chars().any(char::is_control) {
        return Err(KeyError::BadLabel(label.to_string()));
    }
    Ok(())
}

fn derive_kek(secret: &[u8], salt: &[u8], params: KdfParams) -> Result<SecretKey, KeyError> {
    let p = argon2::Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|e| KeyError::Kdf(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut kek = SecretKey::zeroed();
    argon
        .hash_password_into(secret, salt, kek.as_mut_bytes())
        .map_err(|e| KeyError::Kdf(e.to_string()))?;
    Ok(kek)
}

fn kek_check(kek: &SecretKey) -> String {
    hex::encode(&blake3::keyed_hash(kek.as_bytes(), b"daw key slot check v2").as_bytes()[..16])
}

impl KeySlot {
    /// Wraps the master key of `keys` under `secret` (its kind is the slot's).
    pub fn create(
        keys: &Keys,
        secret: &Secret,
        params: KdfParams,
        label: &str,
        created: i64,
        repo_id: &str,
        slot_id: &str,
    ) -> Result<Self, KeyError> {
        check_label(label)?;
        params.check_bounds().map_err(KeyError::Kdf)?;
        let mut salt = [0u8; 32];
        crypto::random_bytes(&mut salt);
        let kek = derive_kek(secret.bytes(), &salt, params)?;
        let mut slot = Self {
            version: KEY_SLOT_VERSION,
            kind: secret.kind(),
            label: label.to_string(),
            created,
            kdf: "argon2id".into(),
            params,
            salt: hex::encode(salt),
            check: kek_check(&kek),
            wrapped_key: String::new(),
        };
        let wrapped = crypto::seal(&kek, &slot.aad(repo_id, slot_id), keys.master.as_bytes());
        slot.wrapped_key = hex::encode(wrapped);
        Ok(slot)
    }

    /// What the wrapped key is bound to: the repository, the slot, and (version 2) everything else
    /// the slot says, so that no field can be changed unnoticed by whoever opens it.
    fn aad(&self, repo_id: &str, slot_id: &str) -> Vec<u8> {
        if self.version == 1 {
            return format!("daw key slot v1\0{repo_id}\0{slot_id}").into_bytes();
        }
        format!(
            "daw key slot v2\0{repo_id}\0{slot_id}\0{}\0{}\0{}\0{}\0{}\0{}\0{}\0{}",
            self.kind.name(),
            self.label,
            self.created,
            self.params.memory_kib,
            self.params.iterations,
            self.params.parallelism,
            self.salt,
            self.check
        )
        .into_bytes()
    }

    /// Reads a slot, refusing (as damaged) anything it does not understand or whose parameters are
    /// out of bounds.
    pub fn parse(json: &[u8], slot_id: &str) -> Result<Self, KeyError> {
        let bad = |detail: String| KeyError::BadSlot {
            slot: slot_id.to_string(),
            detail,
        };
        let slot: KeySlot = serde_json::from_slice(json).map_err(|e| bad(e.to_string()))?;
        if slot.version == 0 || slot.version > KEY_SLOT_VERSION {
            return Err(bad(format!(
                "unsupported version {}; upgrade daw",
                slot.version
            )));
        }
        if slot.kdf != "argon2id" {
            return Err(bad(format!("unknown key derivation {:?}", slot.kdf)));
        }
        slot.params.check_bounds().map_err(bad)?;
        if slot.version >= 2 && (slot.check.len() != 32 || hex::decode(&slot.check).is_err()) {
            return Err(bad("the passphrase check is not 16 bytes of hex".into()));
        }
        match hex::decode(&slot.salt) {
            Ok(s) if s.len() >= 16 => {}
            _ => return Err(bad("the salt is not at least 16 bytes of hex".into())),
        }
        if hex::decode(&slot.wrapped_key).is_err() {
            return Err(bad("the wrapped key is not hex".into()));
        }
        Ok(slot)
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("a key slot always serializes");
        v.push(b'\n');
        v
    }

    /// Unwraps the master key; `Ok(None)` when the secret does not fit this slot. A slot whose check
    /// says the secret is right but whose wrapped key does not open is damaged.
    pub fn unlock(
        &self,
        secret: &Secret,
        repo_id: &str,
        slot_id: &str,
    ) -> Result<Option<Keys>, KeyError> {
        let bad = |detail: &str| KeyError::BadSlot {
            slot: slot_id.to_string(),
            detail: detail.into(),
        };
        if secret.kind() != self.kind {
            return Ok(None);
        }
        let salt = hex::decode(&self.salt).map_err(|_| bad("salt is not hex"))?;
        let wrapped = hex::decode(&self.wrapped_key).map_err(|_| bad("wrapped key is not hex"))?;
        let kek = derive_kek(secret.bytes(), &salt, self.params)?;
        if self.version >= 2 && kek_check(&kek) != self.check {
            return Ok(None);
        }
        match crypto::open(&kek, &self.aad(repo_id, slot_id), &wrapped) {
            Ok(master) => {
                let master = Zeroizing::new(master);
                let key = SecretKey::from_slice(&master)
                    .ok_or_else(|| bad("the wrapped key has the wrong length"))?;
                Ok(Some(Keys::from_master(key)))
            }
            Err(_) if self.version >= 2 => Err(bad(
                "the secret is right but the wrapped key or a field of the slot was altered",
            )),
            Err(_) => Ok(None),
        }
    }

    /// The digest the key set keeps of this slot's stored bytes.
    pub fn digest(json: &[u8]) -> [u8; 32] {
        *blake3::hash(json).as_bytes()
    }
}

/// Which slots are current: a grow-only set of slots added and of slots removed (a slot is current
/// when it was added and never removed). Two key sets merge by union, so clones that changed their
/// slots independently agree after a push and a fetch, and a removal is never undone by an older copy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeySet {
    /// Slot id → blake3 of its JSON.
    pub added: BTreeMap<String, [u8; 32]>,
    pub removed: BTreeSet<String>,
}

/// The key set's name in a store (`docs/FORMAT.md`, "Key set").
pub const KEY_SET_PATH: &str = "keyset";
const KEY_SET_VERSION: u64 = 1;

impl KeySet {
    /// The slots that are current, in id order.
    pub fn current(&self) -> impl Iterator<Item = (&String, &[u8; 32])> {
        self.added
            .iter()
            .filter(|(id, _)| !self.removed.contains(*id))
    }

    pub fn is_current(&self, id: &str) -> bool {
        self.added.contains_key(id) && !self.removed.contains(id)
    }

    /// Adds what `other` knows; returns whether anything changed.
    pub fn merge(&mut self, other: &KeySet) -> bool {
        let before = (self.added.len(), self.removed.len());
        for (id, d) in &other.added {
            self.added.entry(id.clone()).or_insert(*d);
        }
        self.removed.extend(other.removed.iter().cloned());
        before != (self.added.len(), self.removed.len())
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(KEY_SET_VERSION);
        w.uvar(self.added.len() as u64);
        for (id, d) in &self.added {
            w.str(id);
            w.raw(d);
        }
        w.uvar(self.removed.len() as u64);
        for id in &self.removed {
            w.str(id);
        }
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, KeyError> {
        let bad = |e: crate::object::DecodeError| KeyError::BadKeySet(e.to_string());
        let mut r = Reader::new(buf, "key set");
        r.version(KEY_SET_VERSION).map_err(bad)?;
        let mut set = KeySet::default();
        for _ in 0..r.count(33).map_err(bad)? {
            let id = r.string().map_err(bad)?;
            let d = *r.id().map_err(bad)?.as_bytes();
            set.added.insert(id, d);
        }
        for _ in 0..r.count(1).map_err(bad)? {
            set.removed.insert(r.string().map_err(bad)?);
        }
        r.finish().map_err(bad)?;
        Ok(set)
    }
}

/// Every key slot file in a store: (slot id, JSON).
pub fn read_slots(backend: &Backend) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let mut out = Vec::new();
    for l in backend.list("keys")? {
        let id = l.path.trim_start_matches("keys/").to_string();
        match backend.get(&l.path) {
            Ok(json) => out.push((id, json)),
            // Removed by a concurrent `daw key remove` between the listing and the read.
            Err(BackendError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// The key set of a store, or `None` in a repository made before key sets (every slot present is
/// then current).
pub fn read_key_set(backend: &Backend, keys: &Keys) -> Result<Option<KeySet>, StoreError> {
    let sealed = match backend.get(KEY_SET_PATH) {
        Ok(b) => b,
        Err(BackendError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let plain = super::open_named(keys, "key set", KEY_SET_PATH, &sealed)?;
    KeySet::decode(&plain)
        .map(Some)
        .map_err(|e| StoreError::SealedMalformed {
            what: "key set",
            name: KEY_SET_PATH.into(),
            detail: e.to_string(),
        })
}

/// The key set, or for a repository made before key sets, one listing every slot present.
pub fn key_set_or_legacy(backend: &Backend, keys: &Keys) -> Result<KeySet, StoreError> {
    if let Some(set) = read_key_set(backend, keys)? {
        return Ok(set);
    }
    let mut set = KeySet::default();
    for (id, json) in read_slots(backend)? {
        set.added.insert(id, KeySlot::digest(&json));
    }
    Ok(set)
}

pub fn write_key_set(backend: &Backend, keys: &Keys, set: &KeySet) -> Result<(), StoreError> {
    let sealed = super::seal_named(keys, "key set", KEY_SET_PATH, &set.encode());
    backend.put(KEY_SET_PATH, sealed)?;
    Ok(())
}

/// What [`sync_key_slots`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeySync {
    /// Slots written to / removed from the local store.
    pub local_added: usize,
    pub local_removed: usize,
    /// Slots written to / removed from the remote.
    pub remote_added: usize,
    pub remote_removed: usize,
    /// blake3 of the key set both sides hold now (the remote's copy may lag after a fetch, which
    /// never writes to a remote); `None` when the remote was not looked at.
    pub agreed: Option<[u8; 32]>,
}

/// Makes the key slots of a local store and a remote the same: the union of what each added and
/// removed (`docs/FORMAT.md`, "Key set"). Slot files are copied where missing (and checked against
/// the key set's digest), removed slots deleted on both sides, and each side's key set rewritten if
/// it changed (the remote only when `write_remote`: a fetch or a clone never writes to a remote).
/// Costs one read of the remote's key set when nothing changed, and nothing at all for a push whose
/// local key set is the one `agreed` names (the last one both sides held: slots changed elsewhere
/// since come in with the next fetch, which always reads).
pub fn sync_key_slots(
    local: &Backend,
    remote: &Backend,
    keys: &Keys,
    write_remote: bool,
    agreed: Option<[u8; 32]>,
) -> Result<KeySync, StoreError> {
    let local_set = read_key_set(local, keys)?;
    let digest = |s: &KeySet| *blake3::hash(&s.encode()).as_bytes();
    if write_remote
        && let (Some(l), Some(a)) = (&local_set, agreed)
        && digest(l) == a
    {
        return Ok(KeySync {
            agreed: Some(a),
            ..Default::default()
        });
    }
    let remote_set = read_key_set(remote, keys)?;
    if let Some(l) = &local_set
        && local_set == remote_set
    {
        return Ok(KeySync {
            agreed: Some(digest(l)),
            ..Default::default()
        });
    }
    let local_set = match local_set {
        Some(s) => s,
        None => key_set_or_legacy(local, keys)?,
    };
    let remote_set_or_legacy = match &remote_set {
        Some(s) => s.clone(),
        None => key_set_or_legacy(remote, keys)?,
    };
    let mut merged = local_set.clone();
    merged.merge(&remote_set_or_legacy);
    let mut report = KeySync::default();
    let (local_added, local_removed) = copy_slots(remote, local, &merged)?;
    report.local_added = local_added;
    report.local_removed = local_removed;
    write_key_set(local, keys, &merged)?;
    if write_remote && remote_set.as_ref() != Some(&merged) {
        let (added, removed) = copy_slots(local, remote, &merged)?;
        report.remote_added = added;
        report.remote_removed = removed;
        write_key_set(remote, keys, &merged)?;
    }
    if write_remote || remote_set.as_ref() == Some(&merged) {
        report.agreed = Some(digest(&merged));
    }
    Ok(report)
}

/// Copies the current slots `to` lacks from `from` (each checked against `set`'s digest) and
/// deletes the removed ones from `to`; (copied, deleted).
fn copy_slots(from: &Backend, to: &Backend, set: &KeySet) -> Result<(usize, usize), StoreError> {
    let have: BTreeSet<String> = to
        .list("keys")?
        .into_iter()
        .map(|l| l.path.trim_start_matches("keys/").to_string())
        .collect();
    let mut copied = 0;
    for (id, digest) in set.current() {
        if have.contains(id) {
            continue;
        }
        let path = format!("keys/{id}");
        let json = match from.get(&path) {
            Ok(j) => j,
            // Listed but on neither side (a slot file lost): nothing to copy.
            Err(BackendError::NotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        if KeySlot::digest(&json) != *digest {
            return Err(StoreError::SealedMalformed {
                what: "key slot",
                name: format!("{} {path}", from.display()),
                detail: "it is not the slot the key set names (altered)".into(),
            });
        }
        to.put(&path, json)?;
        copied += 1;
    }
    let mut deleted = 0;
    for id in &set.removed {
        if have.contains(id) {
            to.delete(&format!("keys/{id}"))?;
            deleted += 1;
        }
    }
    Ok((copied, deleted))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn pass(p: &str) -> Secret {
        Secret::passphrase(p.as_bytes()).unwrap()
    }

    #[test]
    fn slot_unlocks_only_with_its_passphrase() {
        let keys = Keys::generate();
        let slot =
            KeySlot::create(&keys, &pass("correct horse"), CHEAP, "", 5, "r1", "s1").unwrap();
        let parsed = KeySlot::parse(&slot.to_json(), "s1").unwrap();
        let back = parsed
            .unlock(&pass("correct horse"), "r1", "s1")
            .unwrap()
            .unwrap();
        assert_eq!(back.id_key.as_bytes(), keys.id_key.as_bytes());
        assert!(parsed.unlock(&pass("wrong"), "r1", "s1").unwrap().is_none());
        // A slot moved to another repository or renamed does not open: the check passes, so it says
        // the slot is damaged rather than the passphrase wrong.
        assert!(parsed.unlock(&pass("correct horse"), "r2", "s1").is_err());
        assert!(parsed.unlock(&pass("correct horse"), "r1", "s2").is_err());
    }

    #[test]
    fn a_flipped_wrapped_key_or_label_is_damage_not_a_wrong_passphrase() {
        let keys = Keys::generate();
        let slot = KeySlot::create(&keys, &pass("pw"), CHEAP, "laptop", 5, "r", "s").unwrap();
        let mut flipped = slot.clone();
        let mut w = hex::decode(&flipped.wrapped_key).unwrap();
        w[30] ^= 1;
        flipped.wrapped_key = hex::encode(w);
        let e = flipped.unlock(&pass("pw"), "r", "s").err().unwrap();
        assert!(e.to_string().contains("damaged key slot"), "{e}");
        let mut relabelled = slot.clone();
        relabelled.label = "evil".into();
        assert!(relabelled.unlock(&pass("pw"), "r", "s").is_err());
        // A wrong passphrase stays a wrong passphrase.
        assert!(flipped.unlock(&pass("other"), "r", "s").unwrap().is_none());
    }

    #[test]
    fn version_1_slots_still_open() {
        let keys = Keys::generate();
        let mut salt = [0u8; 32];
        crypto::random_bytes(&mut salt);
        let kek = derive_kek(b"old", &salt, CHEAP).unwrap();
        let wrapped = crypto::seal(&kek, b"daw key slot v1\0r\0s", keys.master().as_bytes());
        let json = format!(
            r#"{{"version":1,"kind":"passphrase","kdf":"argon2id","memory_kib":64,"iterations":1,"parallelism":1,"salt":"{}","wrapped_key":"{}"}}"#,
            hex::encode(salt),
            hex::encode(wrapped)
        );
        let slot = KeySlot::parse(json.as_bytes(), "s").unwrap();
        let back = slot.unlock(&pass("old"), "r", "s").unwrap().unwrap();
        assert_eq!(back.data_key.as_bytes(), keys.data_key.as_bytes());
        assert!(slot.unlock(&pass("new"), "r", "s").unwrap().is_none());
    }

    #[test]
    fn kdf_parameters_are_bounded_on_read_and_on_creation() {
        let keys = Keys::generate();
        let slot = KeySlot::create(&keys, &pass("pw"), CHEAP, "", 0, "r", "s").unwrap();
        let json = String::from_utf8(slot.to_json()).unwrap();
        let huge = json.replace("\"memory_kib\": 64", "\"memory_kib\": 4000000000");
        let e = KeySlot::parse(huge.as_bytes(), "s").unwrap_err();
        assert!(e.to_string().starts_with("damaged key slot s:"), "{e}");
        let zero = json.replace("\"parallelism\": 1", "\"parallelism\": 0");
        assert!(KeySlot::parse(zero.as_bytes(), "s").is_err());
        assert!(matches!(CHEAP.check_new(false), Err(KeyError::WeakKdf(_))));
        CHEAP.check_new(true).unwrap();
        KdfParams::default().check_new(false).unwrap();
        KDF_MINIMUM.check_new(false).unwrap();
    }

    #[test]
    fn empty_passphrases_are_refused() {
        assert!(matches!(
            Secret::passphrase(b""),
            Err(KeyError::EmptySecret(_))
        ));
    }

    #[test]
    fn recovery_keys_round_trip_and_catch_typos() {
        let k = RecoveryKey::generate();
        let text = k.to_text();
        assert_eq!(text.len(), 36 + 8);
        assert_eq!(text.split('-').count(), 9);
        let back = RecoveryKey::parse(&text.to_lowercase().replace('-', " ")).unwrap();
        assert_eq!(back.0[..], k.0[..]);
        // Every single-character substitution is caught.
        let chars: Vec<char> = text.chars().collect();
        for i in (0..chars.len()).filter(|i| chars[*i] != '-') {
            for &c in CROCKFORD.iter() {
                let c = c as char;
                if c == chars[i] {
                    continue;
                }
                let mut typo = chars.clone();
                typo[i] = c;
                let typo: String = typo.into_iter().collect();
                assert!(RecoveryKey::parse(&typo).is_err(), "{typo} accepted");
            }
        }
        assert!(RecoveryKey::parse("ABCD").is_err());
        assert!(RecoveryKey::parse("").is_err());
    }

    #[test]
    fn recovery_slots_open_only_with_the_recovery_key() {
        let keys = Keys::generate();
        let rk = RecoveryKey::generate();
        let text = rk.to_text();
        let slot = KeySlot::create(&keys, &Secret::Recovery(rk), CHEAP, "", 0, "r", "s").unwrap();
        let again = Secret::Recovery(RecoveryKey::parse(&text).unwrap());
        assert!(slot.unlock(&again, "r", "s").unwrap().is_some());
        assert!(slot.unlock(&pass(&text), "r", "s").unwrap().is_none());
    }

    #[test]
    fn key_sets_merge_by_union_and_removals_stick() {
        let mut a = KeySet::default();
        a.added.insert("s1".into(), [1; 32]);
        a.added.insert("s2".into(), [2; 32]);
        let mut b = a.clone();
        a.removed.insert("s1".into());
        b.added.insert("s3".into(), [3; 32]);
        let mut ab = a.clone();
        assert!(ab.merge(&b));
        let mut ba = b.clone();
        assert!(ba.merge(&a));
        assert_eq!(ab, ba);
        let current: Vec<&String> = ab.current().map(|(id, _)| id).collect();
        assert_eq!(current, ["s2", "s3"]);
        assert!(!ab.clone().merge(&a));
        assert_eq!(KeySet::decode(&ab.encode()).unwrap(), ab);
    }
}
