//! The musical diff of two project models: what a producer changed, in their words.
//!
//! Items are matched by identity, never by position in the file: Live tracks by their `Id`,
//! devices by their `Id` path inside the track, clips by `Id` (or slot / order where Live stores
//! none), locators by `Id`; FL channels by channel number, patterns by pattern number, inserts
//! and slots by position, playlist tracks by number. Only what the models hold can differ, and
//! the models hold no view state, selection, window positions, pointee or LOM ids, so none of
//! that noise is ever reported. Each [`Change`] prints as one line of English.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use super::als::{
    Clip, ClipKind, ClipLocation, Device, LiveSet, SampleLocation, TimeSignature, Track,
};
use super::flp::FlProject;
use super::project::{Project, format_number};

/// Above this many changed parameters on one device, report a count instead of each value.
const PARAMETER_DETAIL_LIMIT: usize = 5;

/// One musical change between two versions of a project.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The two files are different DAWs' projects.
    FormatChanged {
        /// Old format.
        from: String,
        /// New format.
        to: String,
    },
    /// Saved by another DAW version.
    VersionChanged {
        /// Old version.
        from: String,
        /// New version.
        to: String,
    },
    /// The song tempo.
    TempoChanged {
        /// Old BPM.
        from: Option<f64>,
        /// New BPM.
        to: Option<f64>,
    },
    /// The time signature.
    TimeSignatureChanged {
        /// Old signature, `4/4`.
        from: String,
        /// New signature.
        to: String,
    },
    /// Tempo automation points changed.
    TempoAutomationChanged {
        /// Points before (not counting Live's default point).
        from_points: usize,
        /// Points after.
        to_points: usize,
    },
    /// A song-info text field (title, artists, genre, comments, URL).
    InfoChanged {
        /// Which field.
        field: String,
        /// Old text.
        from: Option<String>,
        /// New text.
        to: Option<String>,
    },
    /// A track (Live) or channel (FL) appeared.
    TrackAdded {
        /// "MIDI track", "Channel", ….
        kind: String,
        /// Its name.
        name: String,
    },
    /// A track or channel disappeared.
    TrackRemoved {
        /// Kind.
        kind: String,
        /// Its name.
        name: String,
    },
    /// A track or channel got a new name.
    TrackRenamed {
        /// Kind.
        kind: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// A track moved relative to the others.
    TrackMoved {
        /// Track name.
        track: String,
        /// Old position (1-based).
        from: usize,
        /// New position (1-based).
        to: usize,
    },
    /// A track was muted or unmuted.
    TrackMuted {
        /// Track name.
        track: String,
        /// Muted now.
        muted: bool,
    },
    /// A track was soloed or unsoloed.
    TrackSoloed {
        /// Track name.
        track: String,
        /// Soloed now.
        solo: bool,
    },
    /// A track's colour changed.
    TrackColorChanged {
        /// Track name.
        track: String,
    },
    /// A track moved into, out of, or between groups.
    TrackGroupChanged {
        /// Track name.
        track: String,
        /// Old group name.
        from: Option<String>,
        /// New group name.
        to: Option<String>,
    },
    /// A channel's generator plug-in changed (FL).
    ChannelPluginChanged {
        /// Channel name.
        channel: String,
        /// Old plug-in.
        from: Option<String>,
        /// New plug-in.
        to: Option<String>,
    },
    /// A channel's sample file changed (FL).
    ChannelSampleChanged {
        /// Channel name.
        channel: String,
        /// Old path.
        from: Option<String>,
        /// New path.
        to: Option<String>,
    },
    /// A device or plug-in was added to a track, or a plug-in to a mixer insert slot.
    DeviceAdded {
        /// Track name, or `Insert N` / the insert's name.
        track: String,
        /// Device or plug-in name.
        device: String,
        /// Whether it is a third-party plug-in.
        plugin: bool,
    },
    /// A device or plug-in was removed.
    DeviceRemoved {
        /// Track or insert.
        track: String,
        /// Device name.
        device: String,
        /// Whether it is a third-party plug-in.
        plugin: bool,
    },
    /// A device got a new (user) name, or a slot another plug-in.
    DeviceRenamed {
        /// Track or insert.
        track: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// A device was switched on or off.
    DeviceToggled {
        /// Track name.
        track: String,
        /// Device name.
        device: String,
        /// On now.
        on: bool,
    },
    /// One parameter value of a device.
    DeviceParameterChanged {
        /// Track name.
        track: String,
        /// Device name.
        device: String,
        /// Device key inside the track.
        device_key: String,
        /// Parameter display name.
        parameter: String,
        /// Parameter key inside the device.
        parameter_key: String,
        /// Old value.
        from: String,
        /// New value.
        to: String,
    },
    /// Many parameters of one device (a preset change, for instance).
    DeviceParametersChanged {
        /// Track name.
        track: String,
        /// Device name.
        device: String,
        /// How many values changed.
        count: usize,
    },
    /// A clip or pattern appeared.
    ClipAdded {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
        /// Where: `bar 5`, `slot 3`.
        at: String,
    },
    /// A clip or pattern disappeared.
    ClipRemoved {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
        /// Where it was.
        at: String,
    },
    /// A clip or pattern got a new name.
    ClipRenamed {
        /// Track name (empty for FL patterns).
        track: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// An arrangement clip moved in time.
    ClipMoved {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
        /// Old start in beats.
        from_beats: f64,
        /// New start in beats.
        to_beats: f64,
        /// Old start in bars (`bar 5`).
        from: String,
        /// New start in bars.
        to: String,
    },
    /// A clip's length changed.
    ClipResized {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
        /// Old length in beats.
        from_beats: f64,
        /// New length in beats.
        to_beats: f64,
    },
    /// A MIDI clip's or pattern's notes changed.
    NotesChanged {
        /// Track name (empty for FL patterns).
        track: String,
        /// Clip or pattern name.
        clip: String,
        /// Notes before.
        from_notes: u32,
        /// Notes after.
        to_notes: u32,
    },
    /// A clip's loop settings changed.
    ClipLoopChanged {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
    },
    /// A clip was deactivated or activated.
    ClipToggled {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
        /// Active now.
        active: bool,
    },
    /// An audio clip plays another sample.
    ClipSampleChanged {
        /// Track name.
        track: String,
        /// Clip name.
        clip: String,
        /// New sample.
        to: Option<String>,
    },
    /// A locator or time marker appeared.
    MarkerAdded {
        /// Name.
        name: String,
        /// Position (`bar 17`).
        at: String,
    },
    /// A locator or time marker disappeared.
    MarkerRemoved {
        /// Name.
        name: String,
        /// Position.
        at: String,
    },
    /// A locator got a new name.
    MarkerRenamed {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// A locator moved.
    MarkerMoved {
        /// Name.
        name: String,
        /// Old position.
        from: String,
        /// New position.
        to: String,
    },
    /// A scene or arrangement appeared.
    SectionAdded {
        /// "Scene" or "Arrangement".
        kind: String,
        /// Name.
        name: String,
    },
    /// A scene or arrangement disappeared.
    SectionRemoved {
        /// Kind.
        kind: String,
        /// Name.
        name: String,
    },
    /// A scene or arrangement got a new name.
    SectionRenamed {
        /// Kind.
        kind: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// The set references a new sample file.
    SampleAdded {
        /// Path (relative where Live stores one).
        path: String,
        /// Where the file lives (project folder, elsewhere, a library).
        location: SampleLocation,
    },
    /// The set no longer references a sample file.
    SampleRemoved {
        /// Path.
        path: String,
    },
}

fn q(s: &str) -> String {
    format!("'{s}'")
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "(none)".to_string(), q)
}

fn bpm(v: Option<f64>) -> String {
    v.map_or_else(|| "?".to_string(), format_number)
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FormatChanged { from, to } => write!(f, "Project format {from} → {to}"),
            Self::VersionChanged { from, to } => write!(f, "Saved with version {to} (was {from})"),
            Self::TempoChanged { from, to } => write!(f, "Tempo {} → {}", bpm(*from), bpm(*to)),
            Self::TimeSignatureChanged { from, to } => write!(f, "Time signature {from} → {to}"),
            Self::TempoAutomationChanged {
                from_points,
                to_points,
            } => write!(
                f,
                "Tempo automation changed ({from_points} → {to_points} points)"
            ),
            Self::InfoChanged { field, from, to } => {
                if field == "Comments" {
                    write!(f, "Comments changed")
                } else {
                    write!(f, "{field} {} → {}", opt(from), opt(to))
                }
            }
            Self::TrackAdded { kind, name } => write!(f, "+ {kind} {}", q(name)),
            Self::TrackRemoved { kind, name } => write!(f, "- {kind} {}", q(name)),
            Self::TrackRenamed { kind, from, to } => {
                let word = match kind.as_str() {
                    "Channel" | "Insert" | "Playlist track" => kind.as_str(),
                    _ => "Track",
                };
                write!(f, "{word} {} renamed to {}", q(from), q(to))
            }
            Self::TrackMoved { track, from, to } => {
                write!(f, "Track {} moved from position {from} to {to}", q(track))
            }
            Self::TrackMuted { track, muted } => {
                write!(
                    f,
                    "Track {} {}",
                    q(track),
                    if *muted { "muted" } else { "unmuted" }
                )
            }
            Self::TrackSoloed { track, solo } => {
                write!(
                    f,
                    "Track {} {}",
                    q(track),
                    if *solo { "soloed" } else { "unsoloed" }
                )
            }
            Self::TrackColorChanged { track } => write!(f, "Track {} colour changed", q(track)),
            Self::TrackGroupChanged { track, from, to } => match (from, to) {
                (None, Some(to)) => write!(f, "Track {} moved into group {}", q(track), q(to)),
                (Some(from), None) => {
                    write!(f, "Track {} moved out of group {}", q(track), q(from))
                }
                _ => write!(
                    f,
                    "Track {} moved from group {} to {}",
                    q(track),
                    opt(from),
                    opt(to)
                ),
            },
            Self::ChannelPluginChanged { channel, from, to } => write!(
                f,
                "Channel {}: plug-in {} → {}",
                q(channel),
                opt(from),
                opt(to)
            ),
            Self::ChannelSampleChanged { channel, from, to } => write!(
                f,
                "Channel {}: sample {} → {}",
                q(channel),
                opt(from),
                opt(to)
            ),
            Self::DeviceAdded {
                track,
                device,
                plugin,
            } => {
                let what = if *plugin { "plug-in" } else { "device" };
                write!(f, "{track}: {what} {} added", q(device))
            }
            Self::DeviceRemoved {
                track,
                device,
                plugin,
            } => {
                let what = if *plugin { "plug-in" } else { "device" };
                write!(f, "{track}: {what} {} removed", q(device))
            }
            Self::DeviceRenamed { track, from, to } => {
                write!(f, "{track}: device {} renamed to {}", q(from), q(to))
            }
            Self::DeviceToggled { track, device, on } => write!(
                f,
                "Device {} on {} switched {}",
                q(device),
                q(track),
                if *on { "on" } else { "off" }
            ),
            Self::DeviceParameterChanged {
                track,
                device,
                parameter,
                from,
                to,
                ..
            } => write!(
                f,
                "Device {} on {}: parameter {} {from} → {to}",
                q(device),
                q(track),
                q(parameter)
            ),
            Self::DeviceParametersChanged {
                track,
                device,
                count,
            } => write!(
                f,
                "Device {} on {}: {count} parameters changed",
                q(device),
                q(track)
            ),
            Self::ClipAdded { track, clip, at } => {
                write!(f, "+ Clip {} on {} at {at}", q(clip), q(track))
            }
            Self::ClipRemoved { track, clip, at } => {
                write!(f, "- Clip {} on {} at {at}", q(clip), q(track))
            }
            Self::ClipRenamed { track, from, to } => {
                if track.is_empty() {
                    write!(f, "Pattern {} renamed to {}", q(from), q(to))
                } else {
                    write!(f, "Clip {} on {} renamed to {}", q(from), q(track), q(to))
                }
            }
            Self::ClipMoved {
                track,
                clip,
                from,
                to,
                ..
            } => write!(
                f,
                "Clip {} on {} moved from {from} to {to}",
                q(clip),
                q(track)
            ),
            Self::ClipResized {
                track,
                clip,
                from_beats,
                to_beats,
            } => write!(
                f,
                "Clip {} on {} resized from {} to {} beats",
                q(clip),
                q(track),
                format_number(*from_beats),
                format_number(*to_beats)
            ),
            Self::NotesChanged {
                track,
                clip,
                from_notes,
                to_notes,
            } => {
                let what = if track.is_empty() {
                    format!("Pattern {}", q(clip))
                } else {
                    format!("Clip {} on {}", q(clip), q(track))
                };
                if from_notes == to_notes {
                    write!(f, "{what}: notes edited ({to_notes} notes)")
                } else {
                    write!(f, "{what}: notes changed ({from_notes} → {to_notes})")
                }
            }
            Self::ClipLoopChanged { track, clip } => {
                write!(f, "Clip {} on {}: loop changed", q(clip), q(track))
            }
            Self::ClipToggled {
                track,
                clip,
                active,
            } => write!(
                f,
                "Clip {} on {} {}",
                q(clip),
                q(track),
                if *active { "activated" } else { "deactivated" }
            ),
            Self::ClipSampleChanged { track, clip, to } => {
                write!(
                    f,
                    "Clip {} on {}: sample now {}",
                    q(clip),
                    q(track),
                    opt(to)
                )
            }
            Self::MarkerAdded { name, at } => write!(f, "+ Locator {} at {at}", q(name)),
            Self::MarkerRemoved { name, at } => write!(f, "- Locator {} at {at}", q(name)),
            Self::MarkerRenamed { from, to } => {
                write!(f, "Locator {} renamed to {}", q(from), q(to))
            }
            Self::MarkerMoved { name, from, to } => {
                write!(f, "Locator {} moved from {from} to {to}", q(name))
            }
            Self::SectionAdded { kind, name } => write!(f, "+ {kind} {}", q(name)),
            Self::SectionRemoved { kind, name } => write!(f, "- {kind} {}", q(name)),
            Self::SectionRenamed { kind, from, to } => {
                write!(f, "{kind} {} renamed to {}", q(from), q(to))
            }
            Self::SampleAdded { path, location } => {
                let place = match location {
                    SampleLocation::Project => "in the project",
                    SampleLocation::CoreLibrary => "from the Core Library",
                    SampleLocation::UserLibrary => "from the User Library",
                    SampleLocation::Pack => "from a Pack",
                    _ => "outside the project",
                };
                write!(f, "+ Sample {} ({place})", q(path))
            }
            Self::SampleRemoved { path } => write!(f, "- Sample {}", q(path)),
        }
    }
}

/// The musical changes from `old` to `new`, in a stable order: song-level first, then tracks
/// (removed ones, then each track of the new version in order), then markers, scenes, samples.
pub fn diff(old: &Project, new: &Project) -> Vec<Change> {
    match (old, new) {
        (Project::Ableton(a), Project::Ableton(b)) => diff_live(a, b),
        (Project::FlStudio(a), Project::FlStudio(b)) => diff_fl(a, b),
        _ => vec![Change::FormatChanged {
            from: format!("{:?}", old.format()),
            to: format!("{:?}", new.format()),
        }],
    }
}

/// A beat position as bars and beats in `ts` (`bar 5`, `bar 4 beat 3`).
pub fn bar_position(beats: f64, ts: TimeSignature) -> String {
    let per_bar = ts.beats_per_bar();
    let beat_len = 4.0 / f64::from(ts.denominator.max(1));
    let bar = (beats / per_bar).floor();
    let within = (beats - bar * per_bar) / beat_len + 1.0;
    let bar = (bar as i64).saturating_add(1);
    if (within - 1.0).abs() < 1e-9 {
        format!("bar {bar}")
    } else {
        format!("bar {bar} beat {}", format_number(within))
    }
}

fn time_signature_text(ts: TimeSignature) -> String {
    format!("{}/{}", ts.numerator, ts.denominator)
}

fn real_points(set: &LiveSet) -> Vec<(f64, f64)> {
    set.tempo_automation
        .iter()
        .filter(|p| p.time > super::als::DEFAULT_EVENT_TIME + 1.0)
        .map(|p| (p.time, p.value))
        .collect()
}

fn diff_live(a: &LiveSet, b: &LiveSet) -> Vec<Change> {
    let mut out = Vec::new();
    if a.creator != b.creator {
        out.push(Change::VersionChanged {
            from: a.live_version().to_string(),
            to: b.live_version().to_string(),
        });
    }
    if !same_number(a.tempo, b.tempo) {
        out.push(Change::TempoChanged {
            from: a.tempo,
            to: b.tempo,
        });
    }
    if a.time_signature != b.time_signature {
        out.push(Change::TimeSignatureChanged {
            from: time_signature_text(a.time_signature),
            to: time_signature_text(b.time_signature),
        });
    }
    let (pa, pb) = (real_points(a), real_points(b));
    let same_points = pa.len() == pb.len()
        && pa
            .iter()
            .zip(&pb)
            .all(|(x, y)| same_f64(x.0, y.0) && same_f64(x.1, y.1));
    if !same_points {
        out.push(Change::TempoAutomationChanged {
            from_points: pa.len(),
            to_points: pb.len(),
        });
    }
    let ts = b.time_signature;

    // Tracks, matched by Live's Id.
    let keys = |set: &LiveSet| {
        unique_keys(
            set.tracks
                .iter()
                .enumerate()
                .map(|(i, t)| t.id.map_or_else(|| format!("@{i}"), |id| id.to_string())),
        )
    };
    let (old_keys, new_keys) = (keys(a), keys(b));
    let old_index: HashMap<&str, usize> = old_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let new_key_set: HashSet<&str> = new_keys.iter().map(String::as_str).collect();
    let group_name = |set: &LiveSet, id: Option<u32>| {
        id.and_then(|id| set.tracks.iter().find(|t| t.id == Some(id)))
            .map(|t| t.name.clone())
    };
    for (t, k) in a.tracks.iter().zip(&old_keys) {
        if !new_key_set.contains(k.as_str()) {
            out.push(Change::TrackRemoved {
                kind: t.kind.label().to_string(),
                name: t.name.clone(),
            });
        }
    }
    // Common tracks keep their relative order unless moved: the longest increasing run of old
    // positions (in new order) stayed; the others moved.
    let common: Vec<(usize, usize)> = new_keys
        .iter()
        .enumerate()
        .filter_map(|(ni, k)| old_index.get(k.as_str()).map(|&oi| (ni, oi)))
        .collect();
    let stayed: HashSet<usize> =
        longest_increasing(&common.iter().map(|&(_, oi)| oi).collect::<Vec<_>>())
            .into_iter()
            .collect();
    let moved: HashSet<usize> = common
        .iter()
        .enumerate()
        .filter(|(ci, _)| !stayed.contains(ci))
        .map(|(_, &(ni, _))| ni)
        .collect();
    for (ni, t) in b.tracks.iter().enumerate() {
        let Some(&oi) = old_index.get(new_keys[ni].as_str()) else {
            out.push(Change::TrackAdded {
                kind: t.kind.label().to_string(),
                name: t.name.clone(),
            });
            continue;
        };
        let o = &a.tracks[oi];
        if moved.contains(&ni) {
            out.push(Change::TrackMoved {
                track: t.name.clone(),
                from: oi + 1,
                to: ni + 1,
            });
        }
        if o.group_id != t.group_id {
            out.push(Change::TrackGroupChanged {
                track: t.name.clone(),
                from: group_name(a, o.group_id),
                to: group_name(b, t.group_id),
            });
        }
        diff_track(o, t, ts, &mut out);
    }
    match (&a.main_track, &b.main_track) {
        (Some(o), Some(t)) => diff_track(o, t, ts, &mut out),
        (None, Some(t)) => out.push(Change::TrackAdded {
            kind: t.kind.label().to_string(),
            name: t.name.clone(),
        }),
        (Some(o), None) => out.push(Change::TrackRemoved {
            kind: o.kind.label().to_string(),
            name: o.name.clone(),
        }),
        (None, None) => {}
    }

    // Locators by Id (or position in the list where Live stores none).
    let lkeys = |set: &LiveSet| {
        unique_keys(
            set.locators
                .iter()
                .enumerate()
                .map(|(i, l)| l.id.map_or_else(|| format!("@{i}"), |id| id.to_string())),
        )
    };
    let (old_lk, new_lk) = (lkeys(a), lkeys(b));
    let old_loc: HashMap<&str, &super::als::Locator> =
        old_lk.iter().map(String::as_str).zip(&a.locators).collect();
    let new_loc: HashSet<&str> = new_lk.iter().map(String::as_str).collect();
    for (l, k) in a.locators.iter().zip(&old_lk) {
        if !new_loc.contains(k.as_str()) {
            out.push(Change::MarkerRemoved {
                name: l.name.clone(),
                at: bar_position(l.time, a.time_signature),
            });
        }
    }
    for (l, k) in b.locators.iter().zip(&new_lk) {
        match old_loc.get(k.as_str()) {
            None => out.push(Change::MarkerAdded {
                name: l.name.clone(),
                at: bar_position(l.time, ts),
            }),
            Some(o) => {
                if o.name != l.name {
                    out.push(Change::MarkerRenamed {
                        from: o.name.clone(),
                        to: l.name.clone(),
                    });
                }
                if !same_f64(o.time, l.time) {
                    out.push(Change::MarkerMoved {
                        name: l.name.clone(),
                        from: bar_position(o.time, a.time_signature),
                        to: bar_position(l.time, ts),
                    });
                }
            }
        }
    }

    // Scenes by Id, else by row.
    let skeys = |set: &LiveSet| {
        unique_keys(
            set.scenes
                .iter()
                .enumerate()
                .map(|(i, s)| s.id.map_or_else(|| format!("@{i}"), |id| id.to_string())),
        )
    };
    let (old_sk, new_sk) = (skeys(a), skeys(b));
    let old_sc: HashMap<&str, &super::als::Scene> =
        old_sk.iter().map(String::as_str).zip(&a.scenes).collect();
    let new_sc: HashSet<&str> = new_sk.iter().map(String::as_str).collect();
    for (s, k) in a.scenes.iter().zip(&old_sk) {
        if !new_sc.contains(k.as_str()) {
            out.push(Change::SectionRemoved {
                kind: "Scene".into(),
                name: s.name.clone(),
            });
        }
    }
    for (s, k) in b.scenes.iter().zip(&new_sk) {
        match old_sc.get(k.as_str()) {
            None => out.push(Change::SectionAdded {
                kind: "Scene".into(),
                name: s.name.clone(),
            }),
            Some(o) if o.name != s.name => out.push(Change::SectionRenamed {
                kind: "Scene".into(),
                from: o.name.clone(),
                to: s.name.clone(),
            }),
            Some(_) => {}
        }
    }

    // Samples, as a set.
    let shown = |s: &super::als::SampleRef| {
        s.relative_path
            .clone()
            .or_else(|| s.path.clone())
            .unwrap_or_default()
    };
    for s in &a.samples {
        if !b.samples.contains(s) {
            out.push(Change::SampleRemoved { path: shown(s) });
        }
    }
    for s in &b.samples {
        if !a.samples.contains(s) {
            out.push(Change::SampleAdded {
                path: shown(s),
                location: s.location,
            });
        }
    }
    out
}

/// `keys` with repeats made distinct (`12`, `12~2`), so a malformed file with duplicate ids
/// still pairs each item with itself.
fn unique_keys(keys: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    keys.into_iter()
        .map(|k| {
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { k } else { format!("{k}~{n}") }
        })
        .collect()
}

/// Float equality where NaN equals NaN (a value read as NaN twice is unchanged).
fn same_f64(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn same_number(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_f64(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Indices (into `seq`) of one longest strictly increasing subsequence (patience sorting,
/// O(n log n)).
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    // tails[k]: index of the smallest tail of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let k = tails.partition_point(|&t| seq[t] < v);
        if k > 0 {
            prev[i] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut i = tails.last().copied().unwrap_or(usize::MAX);
    while i != usize::MAX {
        out.push(i);
        i = prev[i];
    }
    out.reverse();
    out
}

fn clip_name(c: &Clip) -> String {
    if !c.name.is_empty() {
        return c.name.clone();
    }
    if let Some(sample) = &c.sample {
        let file = sample.rsplit(['/', '\\']).next().unwrap_or(sample);
        return file
            .rsplit_once('.')
            .map_or(file, |(stem, _)| stem)
            .to_string();
    }
    match c.kind {
        ClipKind::Midi => "MIDI clip".to_string(),
        ClipKind::Audio => "audio clip".to_string(),
    }
}

fn clip_place(c: &Clip, ts: TimeSignature) -> String {
    match c.location {
        ClipLocation::Arrangement => bar_position(c.time, ts),
        ClipLocation::Session { slot } => format!("session slot {}", u64::from(slot) + 1),
        ClipLocation::TakeLane { lane } => {
            format!(
                "{} in take lane {}",
                bar_position(c.time, ts),
                u64::from(lane) + 1
            )
        }
        ClipLocation::Frozen => format!("{} (frozen)", bar_position(c.time, ts)),
    }
}

/// Live numbers unnamed tracks in their effective name (`3-Audio`); the number follows the
/// track's position, so a change of that number alone is not a rename.
fn same_but_number(o: &Track, t: &Track) -> bool {
    fn strip(name: &str) -> &str {
        match name.split_once('-') {
            Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => rest,
            _ => name,
        }
    }
    o.user_name.is_empty() && t.user_name.is_empty() && strip(&o.name) == strip(&t.name)
}

fn diff_track(o: &Track, t: &Track, ts: TimeSignature, out: &mut Vec<Change>) {
    let name = t.name.clone();
    if o.name != t.name && !same_but_number(o, t) {
        out.push(Change::TrackRenamed {
            kind: t.kind.label().to_string(),
            from: o.name.clone(),
            to: t.name.clone(),
        });
    }
    if o.muted != t.muted
        && let Some(muted) = t.muted
    {
        out.push(Change::TrackMuted {
            track: name.clone(),
            muted,
        });
    }
    if o.solo != t.solo
        && let Some(solo) = t.solo
    {
        out.push(Change::TrackSoloed {
            track: name.clone(),
            solo,
        });
    }
    if o.color != t.color {
        out.push(Change::TrackColorChanged {
            track: name.clone(),
        });
    }
    diff_devices(&o.devices, &t.devices, &name, out);
    diff_clips(&o.clips, &t.clips, &name, ts, out);
}

/// Parameters keyed by (key, occurrence), so repeated keys still pair up.
fn indexed_parameters(
    params: &[super::als::Parameter],
) -> Vec<((String, usize), &super::als::Parameter)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    params
        .iter()
        .map(|p| {
            let n = seen.entry(p.key.as_str()).or_insert(0);
            *n += 1;
            ((p.key.clone(), *n), p)
        })
        .collect()
}

fn diff_devices(old: &[Device], new: &[Device], track: &str, out: &mut Vec<Change>) {
    let old_by: HashMap<&str, &Device> = old.iter().map(|d| (d.key.as_str(), d)).collect();
    let new_keys: HashSet<&str> = new.iter().map(|d| d.key.as_str()).collect();
    // A rack's contents come and go with it: report only the outermost device.
    let inside = |key: &str, others: &HashSet<&str>| {
        key.match_indices('/')
            .any(|(at, _)| others.contains(&key[..at]))
    };
    let old_keys: HashSet<&str> = old.iter().map(|d| d.key.as_str()).collect();
    let removed: HashSet<&str> = old_keys.difference(&new_keys).copied().collect();
    let added: HashSet<&str> = new_keys.difference(&old_keys).copied().collect();
    for d in old {
        if removed.contains(&d.key.as_str()) && !inside(&d.key, &removed) {
            out.push(Change::DeviceRemoved {
                track: track.to_string(),
                device: d.name.clone(),
                plugin: d.plugin.is_some(),
            });
        }
    }
    for d in new {
        let Some(o) = old_by.get(d.key.as_str()) else {
            if !inside(&d.key, &added) {
                out.push(Change::DeviceAdded {
                    track: track.to_string(),
                    device: d.name.clone(),
                    plugin: d.plugin.is_some(),
                });
            }
            continue;
        };
        if o.name != d.name {
            out.push(Change::DeviceRenamed {
                track: track.to_string(),
                from: o.name.clone(),
                to: d.name.clone(),
            });
        }
        if o.on != d.on
            && let Some(on) = d.on
        {
            out.push(Change::DeviceToggled {
                track: track.to_string(),
                device: d.name.clone(),
                on,
            });
        }
        // Parameters by (key, occurrence), so repeated keys still pair up.
        let old_params: HashMap<(String, usize), &super::als::Parameter> =
            indexed_parameters(&o.parameters).into_iter().collect();
        let changed: Vec<Change> = indexed_parameters(&d.parameters)
            .into_iter()
            .filter(|(_, p)| p.key != "On")
            .filter_map(|(k, p)| {
                let before = old_params.get(&k)?;
                (before.value != p.value).then(|| Change::DeviceParameterChanged {
                    track: track.to_string(),
                    device: d.name.clone(),
                    device_key: d.key.clone(),
                    parameter: p.name.clone(),
                    parameter_key: p.key.clone(),
                    from: before.value.clone(),
                    to: p.value.clone(),
                })
            })
            .collect();
        if changed.len() > PARAMETER_DETAIL_LIMIT {
            out.push(Change::DeviceParametersChanged {
                track: track.to_string(),
                device: d.name.clone(),
                count: changed.len(),
            });
        } else {
            out.extend(changed);
        }
    }
}

/// Whether two clip times (beats) are the same position. Live writes times with up to 17
/// significant digits; a tool that rewrites them with 9 (as float32 formatting does) moves
/// them by far less than a microsecond of music. Such differences are not edits.
pub(crate) fn same_time(a: f64, b: f64) -> bool {
    same_f64(a, b) || (a - b).abs() <= 1e-6 + 1e-8 * a.abs().max(b.abs())
}

fn diff_clips(old: &[Clip], new: &[Clip], track: &str, ts: TimeSignature, out: &mut Vec<Change>) {
    let old_by: HashMap<&str, &Clip> = old.iter().map(|c| (c.key.as_str(), c)).collect();
    let new_keys: HashSet<&str> = new.iter().map(|c| c.key.as_str()).collect();
    for c in old {
        if !new_keys.contains(&c.key.as_str()) {
            out.push(Change::ClipRemoved {
                track: track.to_string(),
                clip: clip_name(c),
                at: clip_place(c, ts),
            });
        }
    }
    for c in new {
        let Some(o) = old_by.get(c.key.as_str()) else {
            out.push(Change::ClipAdded {
                track: track.to_string(),
                clip: clip_name(c),
                at: clip_place(c, ts),
            });
            continue;
        };
        let name = clip_name(c);
        if o.name != c.name {
            out.push(Change::ClipRenamed {
                track: track.to_string(),
                from: clip_name(o),
                to: name.clone(),
            });
        }
        let placed_in_time = !matches!(c.location, ClipLocation::Session { .. });
        if placed_in_time && !same_time(o.time, c.time) {
            out.push(Change::ClipMoved {
                track: track.to_string(),
                clip: name.clone(),
                from_beats: o.time,
                to_beats: c.time,
                from: bar_position(o.time, ts),
                to: bar_position(c.time, ts),
            });
        }
        let (lo, ln) = (o.end - o.start, c.end - c.start);
        if !same_time(o.end - o.start, c.end - c.start) {
            out.push(Change::ClipResized {
                track: track.to_string(),
                clip: name.clone(),
                from_beats: lo,
                to_beats: ln,
            });
        }
        if o.notes_digest != c.notes_digest || o.note_count != c.note_count {
            out.push(Change::NotesChanged {
                track: track.to_string(),
                clip: name.clone(),
                from_notes: o.note_count,
                to_notes: c.note_count,
            });
        }
        let same_opt = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => same_time(a, b),
            (a, b) => a == b,
        };
        if o.loop_on != c.loop_on
            || !same_opt(o.loop_start, c.loop_start)
            || !same_opt(o.loop_end, c.loop_end)
        {
            out.push(Change::ClipLoopChanged {
                track: track.to_string(),
                clip: name.clone(),
            });
        }
        if o.disabled != c.disabled {
            out.push(Change::ClipToggled {
                track: track.to_string(),
                clip: name.clone(),
                active: !c.disabled,
            });
        }
        if o.sample != c.sample {
            out.push(Change::ClipSampleChanged {
                track: track.to_string(),
                clip: name.clone(),
                to: c.sample.clone(),
            });
        }
    }
}

/// Old/new item pairs: first by equal names that are unique on both sides, then the rest by
/// their number (channel, pattern or track number).
struct Pairs {
    /// (old index, new index).
    matched: Vec<(usize, usize)>,
    /// Old items without a partner.
    removed: Vec<usize>,
}

impl Pairs {
    /// Every new item in order, with its old partner if it has one.
    fn ordered(&self, new_len: usize) -> Vec<(Option<usize>, usize)> {
        let mut partner = vec![None; new_len];
        for &(oi, ni) in &self.matched {
            if let Some(p) = partner.get_mut(ni) {
                *p = Some(oi);
            }
        }
        partner
            .into_iter()
            .enumerate()
            .map(|(ni, oi)| (oi, ni))
            .collect()
    }
}

fn pair_items<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&'a T) -> Option<&'a str>,
    number: impl Fn(&T) -> u32,
) -> Pairs {
    let positions = |items: &'a [T]| {
        let mut at: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(n) = name(item).filter(|n| !n.is_empty()) {
                at.entry(n).or_default().push(i);
            }
        }
        at
    };
    let (by_name_old, by_name_new) = (positions(old), positions(new));
    let mut matched = Vec::new();
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    for (key, new_at) in &by_name_new {
        if let (Some(old_at), [ni]) = (by_name_old.get(key), new_at.as_slice())
            && let [oi] = old_at.as_slice()
        {
            matched.push((*oi, *ni));
            old_used[*oi] = true;
            new_used[*ni] = true;
        }
    }
    let mut by_number: HashMap<u32, Vec<usize>> = HashMap::new();
    for (oi, o) in old.iter().enumerate().rev() {
        if !old_used[oi] {
            by_number.entry(number(o)).or_default().push(oi);
        }
    }
    for (ni, n) in new.iter().enumerate() {
        if new_used[ni] {
            continue;
        }
        if let Some(oi) = by_number.get_mut(&number(n)).and_then(Vec::pop) {
            matched.push((oi, ni));
            old_used[oi] = true;
        }
    }
    matched.sort_unstable_by_key(|m| m.1);
    let removed = (0..old.len()).filter(|&i| !old_used[i]).collect();
    Pairs { matched, removed }
}

fn fl_ts(p: &FlProject) -> TimeSignature {
    let (n, d) = p.time_signature.unwrap_or((4, 4));
    if n == 0 || d == 0 {
        return TimeSignature::default();
    }
    TimeSignature {
        numerator: u32::from(n),
        denominator: u32::from(d),
    }
}

fn diff_fl(a: &FlProject, b: &FlProject) -> Vec<Change> {
    let mut out = Vec::new();
    if a.version != b.version {
        out.push(Change::VersionChanged {
            from: a.version.clone().unwrap_or_default(),
            to: b.version.clone().unwrap_or_default(),
        });
    }
    if !same_number(a.tempo, b.tempo) {
        out.push(Change::TempoChanged {
            from: a.tempo,
            to: b.tempo,
        });
    }
    if fl_ts(a) != fl_ts(b) {
        out.push(Change::TimeSignatureChanged {
            from: time_signature_text(fl_ts(a)),
            to: time_signature_text(fl_ts(b)),
        });
    }
    for (field, x, y) in [
        ("Title", &a.title, &b.title),
        ("Artists", &a.artists, &b.artists),
        ("Genre", &a.genre, &b.genre),
        ("Comments", &a.comments, &b.comments),
        ("URL", &a.url, &b.url),
    ] {
        if x != y {
            out.push(Change::InfoChanged {
                field: field.to_string(),
                from: x.clone(),
                to: y.clone(),
            });
        }
    }

    // Channels: by unique name first, then by channel number.
    let cname = |c: &super::flp::Channel| {
        c.name
            .clone()
            .or_else(|| c.plugin.clone())
            .unwrap_or_else(|| format!("Channel {}", u32::from(c.index) + 1))
    };
    let pairs = pair_items(
        &a.channels,
        &b.channels,
        |c| c.name.as_deref(),
        |c| u32::from(c.index),
    );
    for &i in &pairs.removed {
        out.push(Change::TrackRemoved {
            kind: "Channel".into(),
            name: cname(&a.channels[i]),
        });
    }
    for (oi, ni) in pairs.ordered(b.channels.len()) {
        let c = &b.channels[ni];
        let Some(oi) = oi else {
            out.push(Change::TrackAdded {
                kind: "Channel".into(),
                name: cname(c),
            });
            continue;
        };
        let o = &a.channels[oi];
        if cname(o) != cname(c) {
            out.push(Change::TrackRenamed {
                kind: "Channel".into(),
                from: cname(o),
                to: cname(c),
            });
        }
        if o.plugin != c.plugin && o.kind == c.kind {
            out.push(Change::ChannelPluginChanged {
                channel: cname(c),
                from: o.plugin.clone(),
                to: c.plugin.clone(),
            });
        }
        if o.sample_path != c.sample_path {
            out.push(Change::ChannelSampleChanged {
                channel: cname(c),
                from: o.sample_path.clone(),
                to: c.sample_path.clone(),
            });
        }
        if o.group != c.group {
            out.push(Change::TrackGroupChanged {
                track: cname(c),
                from: o.group.clone(),
                to: c.group.clone(),
            });
        }
    }

    // Patterns: by unique name first, then by pattern number.
    let pname = |p: &super::flp::Pattern| {
        p.name
            .clone()
            .unwrap_or_else(|| format!("Pattern {}", p.index))
    };
    let pairs = pair_items(
        &a.patterns,
        &b.patterns,
        |p| p.name.as_deref(),
        |p| u32::from(p.index),
    );
    for &i in &pairs.removed {
        out.push(Change::SectionRemoved {
            kind: "Pattern".into(),
            name: pname(&a.patterns[i]),
        });
    }
    for (oi, ni) in pairs.ordered(b.patterns.len()) {
        let p = &b.patterns[ni];
        let Some(oi) = oi else {
            out.push(Change::SectionAdded {
                kind: "Pattern".into(),
                name: pname(p),
            });
            continue;
        };
        let o = &a.patterns[oi];
        if o.name != p.name {
            out.push(Change::ClipRenamed {
                track: String::new(),
                from: pname(o),
                to: pname(p),
            });
        }
        if o.note_count != p.note_count {
            out.push(Change::NotesChanged {
                track: String::new(),
                clip: pname(p),
                from_notes: o.note_count,
                to_notes: p.note_count,
            });
        }
    }

    // Mixer inserts by position; slots by slot number.
    let iname = |i: &super::flp::Insert| match (&i.name, i.index) {
        (Some(n), _) => format!("Insert {} '{n}'", i.index),
        (None, 0) => "Master".to_string(),
        (None, n) => format!("Insert {n}"),
    };
    for (i, ins) in b.inserts.iter().enumerate() {
        let Some(o) = a.inserts.get(i) else {
            continue;
        };
        if o.name != ins.name {
            out.push(Change::TrackRenamed {
                kind: "Insert".into(),
                from: iname(o),
                to: iname(ins),
            });
        }
        let pairs = pair_items(&o.slots, &ins.slots, |_| None, |s| u32::from(s.index));
        for &i in &pairs.removed {
            out.push(Change::DeviceRemoved {
                track: iname(ins),
                device: o.slots[i].plugin.clone(),
                plugin: true,
            });
        }
        for (oi, ni) in pairs.ordered(ins.slots.len()) {
            let s = &ins.slots[ni];
            match oi.map(|oi| &o.slots[oi]) {
                None => out.push(Change::DeviceAdded {
                    track: iname(ins),
                    device: s.plugin.clone(),
                    plugin: true,
                }),
                Some(x) if x.plugin != s.plugin => out.push(Change::DeviceRenamed {
                    track: iname(ins),
                    from: x.plugin.clone(),
                    to: s.plugin.clone(),
                }),
                Some(_) => {}
            }
        }
    }

    // Arrangements by number; their named tracks and markers.
    let ts = fl_ts(b);
    let aname = |x: &super::flp::Arrangement| {
        x.name
            .clone()
            .unwrap_or_else(|| format!("Arrangement {}", u32::from(x.index) + 1))
    };
    let at = |ticks: u32, ppq: u16| bar_position(f64::from(ticks) / f64::from(ppq.max(1)), ts);
    let pairs = pair_items(
        &a.arrangements,
        &b.arrangements,
        |_| None,
        |x| u32::from(x.index),
    );
    for &i in &pairs.removed {
        out.push(Change::SectionRemoved {
            kind: "Arrangement".into(),
            name: aname(&a.arrangements[i]),
        });
    }
    for (oi, ni) in pairs.ordered(b.arrangements.len()) {
        let x = &b.arrangements[ni];
        let Some(o) = oi.map(|oi| &a.arrangements[oi]) else {
            out.push(Change::SectionAdded {
                kind: "Arrangement".into(),
                name: aname(x),
            });
            continue;
        };
        if o.name != x.name {
            out.push(Change::SectionRenamed {
                kind: "Arrangement".into(),
                from: aname(o),
                to: aname(x),
            });
        }
        let pairs = pair_items(&o.tracks, &x.tracks, |t| Some(t.name.as_str()), |t| t.index);
        for &i in &pairs.removed {
            out.push(Change::TrackRemoved {
                kind: "Playlist track".into(),
                name: o.tracks[i].name.clone(),
            });
        }
        for (oi, ni) in pairs.ordered(x.tracks.len()) {
            let t = &x.tracks[ni];
            match oi {
                None => out.push(Change::TrackAdded {
                    kind: "Playlist track".into(),
                    name: t.name.clone(),
                }),
                Some(oi) if o.tracks[oi].name != t.name => out.push(Change::TrackRenamed {
                    kind: "Playlist track".into(),
                    from: o.tracks[oi].name.clone(),
                    to: t.name.clone(),
                }),
                Some(_) => {}
            }
        }
        for m in &o.time_markers {
            if !x.time_markers.contains(m) {
                out.push(Change::MarkerRemoved {
                    name: m.name.clone(),
                    at: at(m.position, a.ppq),
                });
            }
        }
        for m in &x.time_markers {
            if !o.time_markers.contains(m) {
                out.push(Change::MarkerAdded {
                    name: m.name.clone(),
                    at: at(m.position, b.ppq),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_from_beats() {
        let four = TimeSignature::default();
        assert_eq!(bar_position(0.0, four), "bar 1");
        assert_eq!(bar_position(16.0, four), "bar 5");
        assert_eq!(bar_position(15.0, four), "bar 4 beat 4");
        assert_eq!(bar_position(1.5, four), "bar 1 beat 2.5");
        let three_eight = TimeSignature {
            numerator: 3,
            denominator: 8,
        };
        assert_eq!(bar_position(3.0, three_eight), "bar 3");
    }

    #[test]
    fn longest_increasing_keeps_the_unmoved() {
        assert_eq!(longest_increasing(&[0, 1, 2, 3]), vec![0, 1, 2, 3]);
        // Track 3 moved to the front: the others stay.
        assert_eq!(longest_increasing(&[3, 0, 1, 2]), vec![1, 2, 3]);
        assert!(longest_increasing(&[]).is_empty());
    }

    #[test]
    fn change_lines_read_as_english() {
        let c = Change::TempoChanged {
            from: Some(120.0),
            to: Some(128.0),
        };
        assert_eq!(c.to_string(), "Tempo 120 → 128");
        let c = Change::TrackAdded {
            kind: "MIDI track".into(),
            name: "Bass".into(),
        };
        assert_eq!(c.to_string(), "+ MIDI track 'Bass'");
        let c = Change::ClipMoved {
            track: "Drums".into(),
            clip: "Intro".into(),
            from_beats: 16.0,
            to_beats: 32.0,
            from: "bar 5".into(),
            to: "bar 9".into(),
        };
        assert_eq!(
            c.to_string(),
            "Clip 'Intro' on 'Drums' moved from bar 5 to bar 9"
        );
    }
}
