//! Commits: a tree, its parents, who and when, the message, and a small project summary for `log`.

use super::ObjectId;
use super::encoding::{DecodeError, Reader, Writer};

/// Version of the commit encoding (`docs/FORMAT.md`, "Commit").
pub const COMMIT_VERSION: u64 = 1;

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
}

impl Commit {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.uvar(COMMIT_VERSION)
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
        w.finish()
    }

    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, "commit");
        r.version(COMMIT_VERSION)?;
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
}
