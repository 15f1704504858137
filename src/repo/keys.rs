//! The repository's ways in: listing, adding and removing key slots, changing the passphrase of the
//! slot in use, and replacing the recovery key (`docs/FORMAT.md`, "Keys"). Changing a way in rewraps
//! the master key; it never re-encrypts data.

use crate::store::keys::{self, KeySet, KeySlot, RecoveryKey, Secret, SlotKind};
use crate::store::{KdfParams, Keys, StoreError};

use super::{RepoError, Repository, Result};

/// One key slot as `daw key list` shows it.
#[derive(Clone, Debug)]
pub struct SlotInfo {
    pub id: String,
    pub kind: SlotKind,
    pub label: String,
    /// Unix seconds (0 for slots made before slots had dates).
    pub created: i64,
    pub params: KdfParams,
    pub version: u32,
    /// Whether this command was unlocked with it.
    pub in_use: bool,
    /// Why the slot cannot be used, if it cannot: unreadable, or not what the key set names.
    pub problem: Option<String>,
}

/// The result of unlocking a store's slots with a secret.
pub(crate) struct Unlocked {
    pub keys: Keys,
    pub slot_id: String,
}

/// Tries every slot of the secret's kind; a damaged slot is skipped (and reported if no other
/// opens).
pub(crate) fn unlock_slots(
    slots: &[(String, Vec<u8>)],
    repo_id: &str,
    secret: &Secret,
    where_: &str,
) -> Result<Unlocked> {
    if slots.is_empty() {
        return Err(RepoError::Corrupt(format!("no key slot in {where_}")));
    }
    let mut damaged = None;
    let mut tried = 0;
    for (slot_id, json) in slots {
        let slot = match KeySlot::parse(json, slot_id) {
            Ok(s) => s,
            Err(e) => {
                damaged.get_or_insert(e);
                continue;
            }
        };
        if slot.kind != secret.kind() {
            continue;
        }
        tried += 1;
        match slot.unlock(secret, repo_id, slot_id) {
            Ok(Some(keys)) => {
                return Ok(Unlocked {
                    keys,
                    slot_id: slot_id.clone(),
                });
            }
            Ok(None) => {}
            Err(e) => {
                damaged.get_or_insert(e);
            }
        }
    }
    if let Some(e) = damaged {
        return Err(e.into());
    }
    match secret.kind() {
        SlotKind::Passphrase => Err(RepoError::WrongPassphrase),
        SlotKind::Recovery if tried == 0 => Err(RepoError::Refused(
            "the repository has no recovery key (make one with `daw key recovery`)".into(),
        )),
        SlotKind::Recovery => Err(RepoError::WrongRecoveryKey),
    }
}

/// Refuses a slot the key set no longer lists (removed, or left by an interrupted `daw key add`).
pub(crate) fn check_slot_current(set: Option<&KeySet>, slot_id: &str) -> Result<()> {
    let Some(set) = set else { return Ok(()) };
    if set.removed.contains(slot_id) {
        return Err(RepoError::SlotRevoked(slot_id.to_string()));
    }
    if !set.is_current(slot_id) {
        return Err(RepoError::SlotRevoked(slot_id.to_string()));
    }
    Ok(())
}

fn new_slot_id() -> String {
    hex::encode(&crate::store::random_name().as_bytes()[..8])
}

impl Repository {
    /// The slot this repository was unlocked with (none when the key agent's key was used).
    pub fn slot_in_use(&self) -> Option<&str> {
        self.slot_in_use.as_deref()
    }

    /// Every key slot, current ones first in id order; slots the key set does not list as current
    /// are shown with the problem.
    pub fn key_slots(&self) -> Result<Vec<SlotInfo>> {
        let backend = self.store.backend();
        let set = keys::read_key_set(backend, self.store.keys())?;
        let mut out = Vec::new();
        for (id, json) in keys::read_slots(backend)? {
            let in_use = self.slot_in_use.as_deref() == Some(id.as_str());
            let mut info = match KeySlot::parse(&json, &id) {
                Ok(s) => SlotInfo {
                    id: id.clone(),
                    kind: s.kind,
                    label: s.label,
                    created: s.created,
                    params: s.params,
                    version: s.version,
                    in_use,
                    problem: None,
                },
                Err(e) => SlotInfo {
                    id: id.clone(),
                    kind: SlotKind::Passphrase,
                    label: String::new(),
                    created: 0,
                    params: KdfParams::default(),
                    version: 0,
                    in_use,
                    problem: Some(e.to_string()),
                },
            };
            if info.problem.is_none()
                && let Some(set) = &set
            {
                if set.removed.contains(&id) {
                    info.problem = Some("removed (its file is left over)".into());
                } else {
                    match set.added.get(&id) {
                        None => {
                            info.problem =
                                Some("not in the key set (an interrupted `daw key add`?)".into())
                        }
                        Some(d) if *d != KeySlot::digest(&json) => {
                            info.problem = Some("altered since it was added".into())
                        }
                        Some(_) => {}
                    }
                }
            }
            out.push(info);
        }
        out.sort_by(|a, b| {
            (a.problem.is_some(), a.created, &a.id).cmp(&(b.problem.is_some(), b.created, &b.id))
        });
        Ok(out)
    }

    /// The KDF parameters a new slot gets: those of the slot in use (so a repository keeps the cost
    /// its owner chose), else the defaults.
    fn params_for_new_slot(&self) -> Result<KdfParams> {
        if let Some(id) = &self.slot_in_use {
            let json = self
                .store
                .backend()
                .get(&format!("keys/{id}"))
                .map_err(StoreError::from)?;
            return Ok(KeySlot::parse(&json, id)?.params);
        }
        Ok(KdfParams::default())
    }

    /// Adds a way in; returns the new slot's id. `params` default to the slot in use's.
    pub fn add_key_slot(
        &mut self,
        secret: &Secret,
        label: &str,
        created: i64,
        params: Option<KdfParams>,
    ) -> Result<String> {
        let _lock = self.lock(&format!("daw key add (pid {})", std::process::id()))?;
        let params = match params {
            Some(p) => p,
            None => self.params_for_new_slot()?,
        };
        self.add_slot_locked(secret, label, created, params)
    }

    fn add_slot_locked(
        &mut self,
        secret: &Secret,
        label: &str,
        created: i64,
        params: KdfParams,
    ) -> Result<String> {
        let repo_id = self.config.repository_id()?;
        let id = new_slot_id();
        let slot = KeySlot::create(
            self.store.keys(),
            secret,
            params,
            label,
            created,
            &repo_id,
            &id,
        )?;
        let json = slot.to_json();
        let backend = self.store.backend();
        let mut set = keys::key_set_or_legacy(backend, self.store.keys())?;
        // The slot first, then the key set that makes it current: an interrupted add leaves an
        // unlisted slot that opens nothing.
        backend
            .put(&format!("keys/{id}"), json.clone())
            .map_err(StoreError::from)?;
        set.added.insert(id.clone(), KeySlot::digest(&json));
        keys::write_key_set(backend, self.store.keys(), &set)?;
        Ok(id)
    }

    /// Removes a way in (`id` or a unique prefix of it); returns the full id. Removing the last
    /// current slot is refused.
    pub fn remove_key_slot(&mut self, id: &str) -> Result<String> {
        let _lock = self.lock(&format!("daw key remove (pid {})", std::process::id()))?;
        self.remove_slot_locked(id)
    }

    fn remove_slot_locked(&mut self, id: &str) -> Result<String> {
        let backend = self.store.backend();
        let mut set = keys::key_set_or_legacy(backend, self.store.keys())?;
        let matches: Vec<String> = set
            .current()
            .map(|(s, _)| s.clone())
            .filter(|s| !id.is_empty() && s.starts_with(id))
            .collect();
        let full = match matches.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(RepoError::Refused(format!(
                    "no key slot '{id}' (see `daw key list`)"
                )));
            }
            _ => {
                return Err(RepoError::Refused(format!(
                    "'{id}' names {} key slots; give more of the id",
                    matches.len()
                )));
            }
        };
        if set.current().count() <= 1 {
            return Err(RepoError::Refused(format!(
                "key slot {full} is the last way into the repository; add another first (`daw key add`)"
            )));
        }
        // The key set first: once it says removed, the slot opens nothing even if deleting its file
        // fails.
        set.removed.insert(full.clone());
        keys::write_key_set(backend, self.store.keys(), &set)?;
        backend
            .delete(&format!("keys/{full}"))
            .map_err(StoreError::from)?;
        if self.slot_in_use.as_deref() == Some(full.as_str()) {
            self.slot_in_use = None;
        }
        Ok(full)
    }

    /// Replaces the passphrase of the slot in use by a new one (same label and KDF cost); returns
    /// the new slot's id. When the repository was unlocked with the recovery key, adds a passphrase
    /// slot instead (the recovery key stays valid).
    pub fn change_passphrase(&mut self, new: &Secret, created: i64) -> Result<String> {
        let _lock = self.lock(&format!("daw key passwd (pid {})", std::process::id()))?;
        let Some(old) = self.slot_in_use.clone() else {
            return Err(RepoError::Refused(
                "the passphrase in use is not known (the key agent's key was used)".into(),
            ));
        };
        let json = self
            .store
            .backend()
            .get(&format!("keys/{old}"))
            .map_err(StoreError::from)?;
        let slot = KeySlot::parse(&json, &old)?;
        let id = self.add_slot_locked(new, &slot.label, created, slot.params)?;
        if slot.kind == SlotKind::Passphrase {
            self.remove_slot_locked(&old)?;
        }
        self.slot_in_use = Some(id.clone());
        Ok(id)
    }

    /// Makes a new recovery key and revokes every earlier one; returns the key (to be shown once)
    /// and its slot id.
    pub fn replace_recovery_key(&mut self, created: i64) -> Result<(RecoveryKey, String)> {
        let _lock = self.lock(&format!("daw key recovery (pid {})", std::process::id()))?;
        let params = self.params_for_new_slot()?;
        let old: Vec<String> = self
            .key_slots()?
            .into_iter()
            .filter(|s| s.kind == SlotKind::Recovery && s.problem.is_none())
            .map(|s| s.id)
            .collect();
        let key = RecoveryKey::generate();
        let text = key.to_text();
        let id = self.add_slot_locked(&Secret::Recovery(key), "recovery key", created, params)?;
        for o in old {
            self.remove_slot_locked(&o)?;
        }
        let key = RecoveryKey::parse(&text)?;
        Ok((key, id))
    }
}
