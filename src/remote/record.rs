//! What a local repository keeps about each remote, sealed in `remotes/<name>` of its store: where
//! the remote is (authenticated, so an edited file cannot redirect pushes) and what this client has
//! seen of it: the newest operation (to detect a remote that serves an older state), its heads with
//! their refs, and the packs it holds (so a push uploads only what is missing without listing them).

use std::collections::BTreeSet;

use crate::object::{DecodeError, ObjectId, Reader, Writer};
use crate::oplog::{Head, RefTable, Tag};
use crate::store::{BackendError, Store};

use super::{RemoteError, Result};

/// 2 added the key set last agreed with the remote.
const RECORD_VERSION: u64 = 2;

/// How to reach a remote (no credentials: those come from the environment each time).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteSettings {
    pub url: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub path_style: bool,
    pub allow_http: bool,
    /// Whether the store was found to honour conditional writes (found when the remote is added, or
    /// at the first push from a clone: a clone only reads, so it needs no write access).
    pub conditional_writes: Option<bool>,
}

/// What this client has seen of a remote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteRecord {
    /// The highest operation number seen.
    pub seq: u64,
    /// The heads as last seen: (number, id, refs).
    pub heads: Vec<(u64, ObjectId, RefTable)>,
    /// Packs known to be on the remote (announced by an operation, or uploaded by this client).
    pub packs: BTreeSet<ObjectId>,
    /// Of those, the packs an operation announced (the others wait for this client's next push).
    pub announced: BTreeSet<ObjectId>,
    /// blake3 of the key set this repository and the remote last both held (a push with the same
    /// local key set need not read the remote's).
    pub key_set: Option<[u8; 32]>,
}

/// A remote's settings and record, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteEntry {
    pub settings: RemoteSettings,
    pub record: RemoteRecord,
}

fn path(name: &str) -> String {
    format!("remotes/{name}")
}

/// Remote names: letters, digits, `.`, `_`, `-` (they name a file and prefix branches: `origin/main`).
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['.', '-'])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(RemoteError::Invalid(format!(
            "'{name}' is not a valid remote name (letters, digits, '.', '_' and '-')"
        )))
    }
}

impl RemoteEntry {
    /// The remotes of a repository, by name.
    pub fn list(store: &Store) -> Result<Vec<String>> {
        Ok(store
            .backend()
            .list("remotes")?
            .into_iter()
            .filter_map(|l| l.path.strip_prefix("remotes/").map(str::to_string))
            .filter(|n| !n.contains('/') && !n.contains('#'))
            .collect())
    }

    pub fn load(store: &Store, name: &str) -> Result<Option<Self>> {
        validate_name(name)?;
        let sealed = match store.backend().get(&path(name)) {
            Ok(b) => b,
            Err(BackendError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let plain = store.open_file("remote", name, &sealed)?;
        Self::decode(&plain)
            .map(Some)
            .map_err(|e| RemoteError::Invalid(format!("remote '{name}': {e}")))
    }

    pub fn save(&self, store: &Store, name: &str) -> Result<()> {
        validate_name(name)?;
        let sealed = store.seal_file("remote", name, &self.encode());
        store.backend().put(&path(name), sealed)?;
        Ok(())
    }

    pub fn remove(store: &Store, name: &str) -> Result<()> {
        validate_name(name)?;
        store.backend().delete(&path(name))?;
        Ok(())
    }

    fn encode(&self) -> Vec<u8> {
        let s = &self.settings;
        let r = &self.record;
        let mut w = Writer::new();
        w.uvar(RECORD_VERSION).str(&s.url);
        for o in [&s.endpoint, &s.region] {
            match o {
                Some(v) => w.u8(1).str(v),
                None => w.u8(0),
            };
        }
        w.u8(u8::from(s.path_style))
            .u8(u8::from(s.allow_http))
            .u8(match s.conditional_writes {
                Some(false) => 0,
                Some(true) => 1,
                None => 2,
            });
        w.uvar(r.seq).uvar(r.heads.len() as u64);
        for (seq, id, refs) in &r.heads {
            w.uvar(*seq).id(id);
            encode_refs(&mut w, refs);
        }
        for set in [&r.packs, &r.announced] {
            w.uvar(set.len() as u64);
            for p in set {
                w.id(p);
            }
        }
        match &r.key_set {
            Some(d) => w.u8(1).raw(d),
            None => w.u8(0),
        };
        w.finish()
    }

    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "remote record");
        let version = r.version(RECORD_VERSION)?;
        let url = r.string()?;
        let opt = |r: &mut Reader<'_>| match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(r.string()?)),
            t => Err(r.invalid(format!("unknown flag {t}"))),
        };
        let endpoint = opt(&mut r)?;
        let region = opt(&mut r)?;
        let flag = |r: &mut Reader<'_>| -> Result<bool, DecodeError> {
            match r.u8()? {
                0 => Ok(false),
                1 => Ok(true),
                t => Err(r.invalid(format!("unknown flag {t}"))),
            }
        };
        let path_style = flag(&mut r)?;
        let allow_http = flag(&mut r)?;
        let conditional_writes = match r.u8()? {
            0 => Some(false),
            1 => Some(true),
            2 => None,
            t => return Err(r.invalid(format!("unknown flag {t}"))),
        };
        let seq = r.uvar()?;
        let n = r.count(33)?;
        let mut heads = Vec::new();
        for _ in 0..n {
            let s = r.uvar()?;
            let id = r.id()?;
            heads.push((s, id, decode_refs(&mut r)?));
        }
        let mut sets = [BTreeSet::new(), BTreeSet::new()];
        for set in &mut sets {
            let n = r.count(32)?;
            for _ in 0..n {
                set.insert(r.id()?);
            }
        }
        let key_set = if version >= 2 {
            match r.u8()? {
                0 => None,
                1 => Some(*r.id()?.as_bytes()),
                t => return Err(r.invalid(format!("unknown flag {t}"))),
            }
        } else {
            None
        };
        r.finish()?;
        let [packs, announced] = sets;
        Ok(Self {
            settings: RemoteSettings {
                url,
                endpoint,
                region,
                path_style,
                allow_http,
                conditional_writes,
            },
            record: RemoteRecord {
                seq,
                heads,
                packs,
                announced,
                key_set,
            },
        })
    }
}

/// A remote head's refs (HEAD's branch, branches, tags).
fn encode_refs(w: &mut Writer, refs: &RefTable) {
    match &refs.head {
        Head::Branch(b) => w.u8(1).str(b),
        Head::Detached(id) => w.u8(2).id(id),
    };
    w.uvar(refs.branches.len() as u64);
    for (name, id) in &refs.branches {
        w.str(name).id(id);
    }
    w.uvar(refs.tags.len() as u64);
    for (name, tag) in &refs.tags {
        w.str(name).id(&tag.target);
        match &tag.message {
            Some(m) => w.u8(1).str(m),
            None => w.u8(0),
        };
    }
}

fn decode_refs(r: &mut Reader<'_>) -> Result<RefTable, DecodeError> {
    let head = match r.u8()? {
        1 => Head::Branch(r.string()?),
        2 => Head::Detached(r.id()?),
        t => return Err(r.invalid(format!("unknown HEAD kind {t}"))),
    };
    let mut refs = RefTable::new("main");
    refs.head = head;
    let n = r.count(33)?;
    for _ in 0..n {
        let name = r.string()?;
        refs.branches.insert(name, r.id()?);
    }
    let n = r.count(34)?;
    for _ in 0..n {
        let name = r.string()?;
        let target = r.id()?;
        let message = match r.u8()? {
            0 => None,
            1 => Some(r.string()?),
            t => return Err(r.invalid(format!("unknown tag flag {t}"))),
        };
        refs.tags.insert(name, Tag { target, message });
    }
    Ok(refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_round_trips() {
        let mut refs = RefTable::new("main");
        refs.branches
            .insert("main".into(), ObjectId::from_bytes([1; 32]));
        refs.tags.insert(
            "v1".into(),
            Tag {
                target: ObjectId::from_bytes([2; 32]),
                message: Some("m".into()),
            },
        );
        let e = RemoteEntry {
            settings: RemoteSettings {
                url: "s3://b/p".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: None,
                path_style: true,
                allow_http: false,
                conditional_writes: Some(true),
            },
            record: RemoteRecord {
                seq: 7,
                heads: vec![(7, ObjectId::from_bytes([3; 32]), refs)],
                packs: [ObjectId::from_bytes([4; 32])].into(),
                announced: BTreeSet::new(),
                key_set: Some([5; 32]),
            },
        };
        assert_eq!(RemoteEntry::decode(&e.encode()).unwrap(), e);
        let mut unknown = e.clone();
        unknown.settings.conditional_writes = None;
        unknown.record.key_set = None;
        assert_eq!(RemoteEntry::decode(&unknown.encode()).unwrap(), unknown);
    }

    #[test]
    fn names_are_checked() {
        assert!(validate_name("origin").is_ok());
        assert!(validate_name("studio-nas_2").is_ok());
        for bad in ["", "a/b", "../x", ".hidden", "-x", "a b"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}
