//! gc marks (`docs/FORMAT.md`, "gc mark"): the packs a later run deletes once the mark is older
//! than the grace period. Sealed, immutable and uniquely named, so that the same records serve a
//! store that ignores conditional writes (a remote).

use crate::object::{DecodeError, ObjectId, Reader, Writer};
use crate::store::{BackendError, Store, StoreError};

const MARK_VERSION: u64 = 1;
/// The sealed-file kind of a mark.
const WHAT: &str = "gc mark";
/// The folder marks live in.
pub const MARKS: &str = "gc";

/// One mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// When it was written (Unix seconds, wall clock).
    pub time: i64,
    /// The operation whose log gave the roots.
    pub op_head: ObjectId,
    /// The packs to delete.
    pub delete: Vec<ObjectId>,
    /// The packs this run wrote (the repacked blobs), for the record.
    pub written: Vec<ObjectId>,
}

impl Mark {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(MARK_VERSION).ivar(self.time).id(&self.op_head);
        for list in [&self.delete, &self.written] {
            w.uvar(list.len() as u64);
            for p in list {
                w.id(p);
            }
        }
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "gc mark");
        r.version(MARK_VERSION)?;
        let time = r.ivar()?;
        let op_head = r.id()?;
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let n = r.count(32)?;
            *list = (0..n).map(|_| r.id()).collect::<Result<_, _>>()?;
        }
        r.finish()?;
        let [delete, written] = lists;
        Ok(Self {
            time,
            op_head,
            delete,
            written,
        })
    }
}

fn mark_path(name: &ObjectId) -> String {
    format!("{MARKS}/{}", name.to_hex())
}

/// The marks of a store, by name, and those that could not be read: (path, why).
pub type Marks = (Vec<(ObjectId, Mark)>, Vec<(String, String)>);

/// Every mark in the store, by name, and those that could not be read (with why): a damaged mark
/// deletes nothing.
pub fn read_marks(store: &Store) -> Result<Marks, StoreError> {
    let mut marks = Vec::new();
    let mut bad = Vec::new();
    for l in store.backend().list(MARKS)? {
        let Some(name) = l
            .path
            .strip_prefix("gc/")
            .and_then(ObjectId::from_hex)
            .filter(|n| mark_path(n) == l.path)
        else {
            bad.push((l.path.clone(), "not a mark daw writes".into()));
            continue;
        };
        let sealed = match store.backend().get(&l.path) {
            Ok(b) => b,
            // Carried out by another gc since the listing.
            Err(BackendError::NotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        match store
            .open_file(WHAT, &name.to_hex(), &sealed)
            .map_err(|e| e.to_string())
            .and_then(|plain| Mark::decode(&plain).map_err(|e| e.to_string()))
        {
            Ok(m) => marks.push((name, m)),
            Err(e) => bad.push((l.path.clone(), e)),
        }
    }
    Ok((marks, bad))
}

/// Writes a mark under a new random name; returns the name.
pub fn write_mark(store: &Store, mark: &Mark) -> Result<ObjectId, StoreError> {
    let name = crate::store::random_name();
    let sealed = store.seal_file(WHAT, &name.to_hex(), &mark.encode());
    store.backend().put(&mark_path(&name), sealed)?;
    Ok(name)
}

/// Deletes a mark that was carried out.
pub fn delete_mark(store: &Store, name: &ObjectId) -> Result<(), StoreError> {
    Ok(store.backend().delete(&mark_path(name))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_round_trips_and_refuses_what_it_does_not_know() {
        let m = Mark {
            time: 1_763_800_000,
            op_head: ObjectId::from_bytes([7; 32]),
            delete: vec![ObjectId::from_bytes([1; 32]), ObjectId::from_bytes([2; 32])],
            written: vec![ObjectId::from_bytes([3; 32])],
        };
        let bytes = m.encode();
        assert_eq!(Mark::decode(&bytes).unwrap(), m);
        let mut newer = bytes.clone();
        newer[0] = 2;
        assert!(Mark::decode(&newer).is_err(), "a newer version is refused");
        let mut longer = bytes;
        longer.push(0);
        assert!(Mark::decode(&longer).is_err(), "trailing bytes are refused");
    }
}
