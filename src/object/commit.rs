//! Commits: a tree, its parents, who and when, the message, and a small project summary for `log`.

use super::ObjectId;
use super::encoding::{DecodeError, Reader, Writer};

/// Version of the commit encoding (`docs/FORMAT.md`, "Commit"). Version 2 adds flags after the
/// summary; a commit without flags is still written as version 1, so its id does not change.
pub const COMMIT_VERSION: u64 = 2;

/// Flag bit: the commit was made by `daw watch`, not typed by the user.
const FLAG_AUTOSAVE: u64 = 1;

/// Who made a commit, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// The author's UTC offset in minutes.
    pub tz_offset_minutes: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    pub author: Signature,
    pub message: String,
    /// Per-project summaries computed at commit time (e.g. `126 BPM · 13 tracks`) so that `log` never parses
    /// project files. Pairs of (path, summary line).
    pub summary: Vec<(String, String)>,
    /// Made by `daw watch` on a settled save (its message was written by daw from the musical diff).
    pub autosave: bool,
}

impl Commit {
    pub fn encode(&self) -> Vec<u8> {
        let flags = if self.autosave { FLAG_AUTOSAVE } else { 0 };
        let mut w = Writer::new();
        w.uvar(if flags == 0 { 1 } else { COMMIT_VERSION })
            .id(&self.tree)
            .uvar(self.parents.len() as u64);
        for p in &self.parents {
            w.id(p);
        }
        w.str(&self.author.name)
            .str(&self.author.email)
            .ivar(self.author.time)
            .ivar(i64::from(self.author.tz_offset_minutes))
            .str(&self.message)
            .uvar(self.summary.len() as u64);
        for (path, line) in &self.summary {
            w.str(path).str(line);
        }
        if flags != 0 {
            w.uvar(flags);
        }
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "commit");
        let version = r.version(COMMIT_VERSION)?;
        let tree = r.id()?;
        let n = r.count(32)?;
        let parents = (0..n).map(|_| r.id()).collect::<Result<_, _>>()?;
        let name = r.string()?;
        let email = r.string()?;
        let time = r.ivar()?;
        let tz = r.ivar()?;
        let tz_offset_minutes =
            i32::try_from(tz).map_err(|_| r.invalid("time zone offset out of range"))?;
        let message = r.string()?;
        let n = r.count(2)?;
        let summary = (0..n)
            .map(|_| Ok((r.string()?, r.string()?)))
            .collect::<Result<_, DecodeError>>()?;
        let autosave = if version >= 2 {
            // One encoding per commit: a version-2 commit has some flag set, and only known ones.
            match r.uvar()? {
                FLAG_AUTOSAVE => true,
                0 => return Err(r.invalid("a version-2 commit without flags")),
                _ => return Err(r.invalid("unknown commit flags")),
            }
        } else {
            false
        };
        r.finish()?;
        Ok(Self {
            tree,
            parents,
            author: Signature {
                name,
                email,
                time,
                tz_offset_minutes,
            },
            message,
            summary,
            autosave,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_round_trips() {
        let c = Commit {
            tree: ObjectId::from_bytes([7; 32]),
            parents: vec![ObjectId::from_bytes([1; 32]), ObjectId::from_bytes([2; 32])],
            author: Signature {
                name: "Ada Producer".into(),
                email: "ada@example.com".into(),
                time: 1_700_000_000,
                tz_offset_minutes: -300,
            },
            message: "Bass line, take 3\n".into(),
            summary: vec![("Song.als".into(), "128 BPM · 14 tracks".into())],
            autosave: false,
        };
        let bytes = c.encode();
        assert_eq!(Commit::decode(&bytes).unwrap(), c);
        let mut bad = bytes.clone();
        bad[0] = 9;
        assert!(
            Commit::decode(&bad)
                .unwrap_err()
                .to_string()
                .contains("version 9")
        );
        assert!(Commit::decode(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn autosave_marker_round_trips_and_plain_commits_keep_version_1() {
        let mut c = Commit {
            tree: ObjectId::from_bytes([7; 32]),
            parents: vec![],
            author: Signature {
                name: "daw watch".into(),
                email: "ada@example.com".into(),
                time: 1_700_000_000,
                tz_offset_minutes: 0,
            },
            message: "Tempo 120 → 128".into(),
            summary: vec![],
            autosave: false,
        };
        let plain = c.encode();
        assert_eq!(
            plain[0], 1,
            "a commit without flags is written as version 1"
        );
        c.autosave = true;
        let auto = c.encode();
        assert_eq!(auto[0], 2);
        assert_eq!(auto.len(), plain.len() + 1);
        assert_eq!(Commit::decode(&auto).unwrap(), c);
        // Version 2 with no flag, or an unknown one, has no meaning: refused.
        let mut zero = auto.clone();
        *zero.last_mut().unwrap() = 0;
        assert!(Commit::decode(&zero).is_err());
        let mut unknown = auto;
        *unknown.last_mut().unwrap() = 2;
        assert!(Commit::decode(&unknown).is_err());
    }
}
