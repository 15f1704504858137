//! The format-independent entry points: parse any project file, summarise it for `daw log`.
//!
//! Dispatch is by file extension, then by magic bytes (`FLhd`, gzip, `<`), so a renamed file
//! still parses. Nothing here touches the file system: the caller hands over a reader.

use std::fmt;
use std::io::Read;

use serde::{Deserialize, Serialize};

use super::als::{LiveSet, TrackKind, parse_als};
use super::error::FormatError;
use super::flp::{FlProject, parse_flp};

/// A parsed project of any supported DAW.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum Project {
    /// An Ableton Live set.
    Ableton(LiveSet),
    /// An FL Studio project.
    FlStudio(FlProject),
}

/// Which DAW a project belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectFormat {
    /// Ableton Live (`.als`).
    Ableton,
    /// FL Studio (`.flp`).
    FlStudio,
}

/// A few numbers about a project, small enough to store in every commit for `daw log`.
///
/// Its JSON shape is part of the commit format: add fields only with `#[serde(default)]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Which DAW.
    pub format: ProjectFormat,
    /// The DAW version that saved the file (`11.3.21`, `20.8.4.2576`).
    pub version: Option<String>,
    /// Tempo in BPM.
    pub tempo: Option<f64>,
    /// Live: tracks (audio, MIDI, group, return; not the main track). FL: channels.
    pub tracks: u32,
    /// Live: clips. FL: patterns.
    pub clips: u32,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(t) = self.tempo {
            parts.push(format!("{} BPM", format_number(t)));
        }
        let (tracks, clips) = match self.format {
            ProjectFormat::Ableton => ("track", "clip"),
            ProjectFormat::FlStudio => ("channel", "pattern"),
        };
        parts.push(plural(self.tracks, tracks));
        parts.push(plural(self.clips, clips));
        write!(f, "{}", parts.join(" · "))
    }
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A number as a producer writes it: at most three decimals, no trailing zeros (`119.999992` → `120`).
pub fn format_number(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

impl Project {
    /// The compact summary stored with each commit.
    pub fn summary(&self) -> Summary {
        match self {
            Self::Ableton(set) => Summary {
                format: ProjectFormat::Ableton,
                version: Some(set.live_version().to_string()).filter(|v| !v.is_empty()),
                tempo: set.tempo,
                tracks: set
                    .tracks
                    .iter()
                    .filter(|t| t.kind != TrackKind::Main)
                    .count() as u32,
                clips: set.tracks.iter().map(|t| t.clips.len() as u32).sum(),
            },
            Self::FlStudio(p) => Summary {
                format: ProjectFormat::FlStudio,
                version: p.version.clone(),
                tempo: p.tempo,
                tracks: p.channels.len() as u32,
                clips: p.patterns.len() as u32,
            },
        }
    }

    /// Which DAW.
    pub fn format(&self) -> ProjectFormat {
        match self {
            Self::Ableton(_) => ProjectFormat::Ableton,
            Self::FlStudio(_) => ProjectFormat::FlStudio,
        }
    }
}

/// Parse a project file. `file_name` picks the format by extension (`.als`, `.flp`, any case);
/// other names are recognised by their first bytes.
pub fn parse_project<R: Read>(file_name: &str, mut reader: R) -> Result<Project, FormatError> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".als") {
        return parse_als(reader).map(Project::Ableton);
    }
    if lower.ends_with(".flp") {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(FormatError::Read)?;
        return parse_flp(&bytes).map(Project::FlStudio);
    }
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FormatError::Read(e)),
        }
    }
    let head = &head[..got];
    let whole = head.chain(reader);
    if head == b"FLhd" {
        let mut bytes = Vec::new();
        let mut whole = whole;
        whole.read_to_end(&mut bytes).map_err(FormatError::Read)?;
        return parse_flp(&bytes).map(Project::FlStudio);
    }
    if head.starts_with(&[0x1f, 0x8b]) || head.first() == Some(&b'<') {
        return parse_als(whole).map(Project::Ableton);
    }
    Err(FormatError::Unsupported {
        name: file_name.to_string(),
    })
}
