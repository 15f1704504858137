//! FL Studio projects (`.flp`): the event reader and the project model built from it.
//!
//! Written from the format's description, not from another parser's code. A file is two
//! chunks: `FLhd` (length 6: format, channel count, pulses per quarter note) and `FLdt` (the
//! event stream). Each event is an id byte whose range gives the payload size:
//!
//! | id      | payload                                   |
//! |---------|-------------------------------------------|
//! | 0–63    | 1 byte                                    |
//! | 64–127  | 2 bytes (little-endian)                   |
//! | 128–191 | 4 bytes (little-endian)                   |
//! | 192–255 | a length as a 7-bit varint, then that many bytes |
//!
//! Text payloads are ANSI/UTF-8 up to FL 11.4 and UTF-16LE from FL 11.5 on, NUL-terminated in
//! both cases (FL 25 keeps this). The project meaning of an event depends on what came before it
//! (a new-channel event opens a channel, a new-pattern event a pattern, …), so [`parse_flp`] runs
//! a small state machine over [`Events`]. Events it does not model are counted and skipped,
//! never fatal. Pure: bytes in, [`FlProject`] out.

use std::collections::HashMap;

use serde::Serialize;

use super::error::FormatError;

/// One FL Studio project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlProject {
    /// Header: file format (0 = project). Serialised as `file_format`: `format` is the tag that
    /// tells a `Project`'s JSON which DAW it is.
    #[serde(rename = "file_format")]
    pub format: i16,
    /// Header: number of channels in the rack.
    pub channel_count: u16,
    /// Header: pulses (ticks) per quarter note.
    pub ppq: u16,
    /// FL Studio version that saved the file (`20.8.4.2576`).
    pub version: Option<String>,
    /// Build number (FL 12 and later store it separately).
    pub build: Option<u32>,
    /// Tempo in BPM.
    pub tempo: Option<f64>,
    /// Project time signature (numerator, denominator), when stored.
    pub time_signature: Option<(u8, u8)>,
    /// Song title.
    pub title: Option<String>,
    /// Artists.
    pub artists: Option<String>,
    /// Genre.
    pub genre: Option<String>,
    /// Comments (FL uses `\r` line breaks).
    pub comments: Option<String>,
    /// Project URL.
    pub url: Option<String>,
    /// Channel rack groups (display filters), in order.
    pub channel_groups: Vec<String>,
    /// Channel rack.
    pub channels: Vec<Channel>,
    /// Patterns.
    pub patterns: Vec<Pattern>,
    /// Mixer inserts, in mixer order (the first is the master).
    pub inserts: Vec<Insert>,
    /// Arrangements (playlists). Projects older than FL 12.9 have one, unnamed.
    pub arrangements: Vec<Arrangement>,
    /// Events read but not modelled (kept out of the model, never an error).
    pub uninterpreted_events: u32,
}

/// The kind of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Sampler (audio sample).
    Sampler,
    /// A native FL generator (3x Osc, BooBass, …).
    Native,
    /// Layer channel.
    Layer,
    /// A plug-in instrument or audio clip.
    Instrument,
    /// Automation clip.
    Automation,
    /// A type code this parser does not know.
    Other(u8),
}

impl ChannelKind {
    fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Sampler,
            1 | 2 => Self::Native,
            3 => Self::Layer,
            4 => Self::Instrument,
            5 => Self::Automation,
            other => Self::Other(other),
        }
    }
}

/// One channel of the rack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Channel {
    /// The channel's number in the file (stable across saves).
    pub index: u16,
    /// Display name.
    pub name: Option<String>,
    /// Channel kind.
    pub kind: ChannelKind,
    /// Generator: FL's internal plug-in name, or the hosted VST's own name.
    pub plugin: Option<String>,
    /// Sample file of a sampler / audio channel.
    pub sample_path: Option<String>,
    /// Rack group name.
    pub group: Option<String>,
}

/// One pattern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pattern {
    /// Pattern number (1-based, as FL numbers them).
    pub index: u16,
    /// Name.
    pub name: Option<String>,
    /// Number of notes (piano-roll notes; step data of FL ≤ 8 is not counted).
    pub note_count: u32,
    /// Time markers inside the pattern.
    pub time_markers: u32,
}

/// One mixer insert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insert {
    /// Position in the mixer (0 = master).
    pub index: u16,
    /// Name, when the user named it.
    pub name: Option<String>,
    /// Occupied effect slots.
    pub slots: Vec<Slot>,
}

/// One occupied effect slot of an insert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    /// Slot number (0-based).
    pub index: u16,
    /// The plug-in: the hosted VST's name, else FL's internal name.
    pub plugin: String,
    /// Plug-in vendor, when the VST wrapper stores it.
    pub vendor: Option<String>,
    /// The slot's display name, when it differs from the plug-in.
    pub name: Option<String>,
}

/// One arrangement (playlist).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arrangement {
    /// Arrangement number.
    pub index: u16,
    /// Name.
    pub name: Option<String>,
    /// Named playlist tracks (FL keeps 500; unnamed ones are left out).
    pub tracks: Vec<PlaylistTrack>,
    /// Number of playlist tracks in the file.
    pub track_count: u32,
    /// Time markers.
    pub time_markers: Vec<TimeMarker>,
}

/// A named playlist track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaylistTrack {
    /// Track number (1-based).
    pub index: u32,
    /// Name.
    pub name: String,
}

/// A playlist time marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeMarker {
    /// Position in ticks (see the header's PPQ).
    pub position: u32,
    /// Marker action (0 = plain marker, 8 = time signature, 4 = loop, …).
    pub action: u8,
    /// Name.
    pub name: String,
    /// Time signature numerator, for signature markers.
    pub numerator: Option<u8>,
    /// Time signature denominator, for signature markers.
    pub denominator: Option<u8>,
}

/// The payload of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventData<'a> {
    /// Ids 0–63.
    Byte(u8),
    /// Ids 64–127.
    Word(u16),
    /// Ids 128–191.
    Dword(u32),
    /// Ids 192–255.
    Data(&'a [u8]),
}

impl EventData<'_> {
    /// The value of a fixed-size event, widened.
    pub fn number(&self) -> Option<u32> {
        match *self {
            Self::Byte(v) => Some(u32::from(v)),
            Self::Word(v) => Some(u32::from(v)),
            Self::Dword(v) => Some(v),
            Self::Data(_) => None,
        }
    }
}

/// One event of the data chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlEvent<'a> {
    /// Event id.
    pub id: u8,
    /// Offset of the id byte in the file.
    pub offset: usize,
    /// Payload.
    pub data: EventData<'a>,
}

/// The validated header and the event bytes of an `.flp`.
#[derive(Debug, Clone, Copy)]
pub struct FlpFile<'a> {
    /// Header format field.
    pub format: i16,
    /// Header channel count.
    pub channel_count: u16,
    /// Header PPQ.
    pub ppq: u16,
    data: &'a [u8],
    data_offset: usize,
}

impl<'a> FlpFile<'a> {
    /// Check the two chunk headers and locate the event stream.
    pub fn open(bytes: &'a [u8]) -> Result<Self, FormatError> {
        if bytes.is_empty() {
            return Err(FormatError::Empty {
                format: "FL Studio project",
            });
        }
        if bytes.len() < 8 || &bytes[..4] != b"FLhd" {
            return Err(FormatError::FlpHeaderMagic);
        }
        let header_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        if header_len != 6 {
            return Err(FormatError::FlpHeaderSize(header_len));
        }
        let header = bytes
            .get(8..14)
            .ok_or(FormatError::FlpHeaderSize(header_len))?;
        let format = i16::from_le_bytes([header[0], header[1]]);
        let channel_count = u16::from_le_bytes([header[2], header[3]]);
        let ppq = u16::from_le_bytes([header[4], header[5]]);
        if !matches!(format, 0 | 0x10 | 0x18 | 0x20 | 0x30 | 0x31 | 0x32 | 0x50) {
            return Err(FormatError::FlpFormat(format));
        }
        if ppq == 0 {
            return Err(FormatError::FlpPpq);
        }
        let chunk = bytes.get(14..22);
        let Some(chunk) = chunk.filter(|c| &c[..4] == b"FLdt") else {
            return Err(FormatError::FlpDataMagic { offset: 14 });
        };
        let declared = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]) as usize;
        let rest = &bytes[22..];
        if declared > rest.len() {
            return Err(FormatError::FlpDataSize {
                declared: declared as u64,
                actual: rest.len() as u64,
            });
        }
        Ok(Self {
            format,
            channel_count,
            ppq,
            data: &rest[..declared],
            data_offset: 22,
        })
    }

    /// The events of the data chunk, in order.
    pub fn events(&self) -> Events<'a> {
        Events {
            data: self.data,
            pos: 0,
            base: self.data_offset,
        }
    }
}

/// Iterator over the events of a data chunk; yields an error once and stops on a truncated event.
#[derive(Debug, Clone)]
pub struct Events<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<FlEvent<'a>, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let id = *self.data.get(start)?;
        let truncated = || FormatError::FlpTruncatedEvent {
            id,
            offset: self.base + start,
        };
        let mut pos = start + 1;
        let data = match id {
            0..=63 => {
                let b = self.data.get(pos).copied();
                pos += 1;
                b.map(EventData::Byte)
            }
            64..=127 => {
                let b = self.data.get(pos..pos + 2);
                pos += 2;
                b.map(|b| EventData::Word(u16::from_le_bytes([b[0], b[1]])))
            }
            128..=191 => {
                let b = self.data.get(pos..pos + 4);
                pos += 4;
                b.map(|b| EventData::Dword(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            192..=255 => {
                let mut len: u64 = 0;
                let mut shift: u32 = 0;
                let mut ok = false;
                while let Some(&b) = self.data.get(pos) {
                    pos += 1;
                    if shift < 64 {
                        len |= u64::from(b & 0x7f) << shift;
                    }
                    shift = shift.saturating_add(7);
                    if b & 0x80 == 0 {
                        ok = true;
                        break;
                    }
                }
                let end = usize::try_from(len).ok().and_then(|l| pos.checked_add(l));
                match (ok, end) {
                    (true, Some(end)) if end <= self.data.len() => {
                        let d = &self.data[pos..end];
                        pos = end;
                        Some(EventData::Data(d))
                    }
                    _ => None,
                }
            }
        };
        match data {
            Some(data) => {
                self.pos = pos;
                Some(Ok(FlEvent {
                    id,
                    offset: self.base + start,
                    data,
                }))
            }
            None => {
                self.pos = self.data.len();
                Some(Err(truncated()))
            }
        }
    }
}

/// Decode an FL text payload: UTF-16LE when `utf16`, else UTF-8 with a Latin-1 fallback;
/// the trailing NUL (and anything after it) is dropped.
pub(crate) fn decode_text(bytes: &[u8], utf16: bool) -> String {
    if utf16 && bytes.len() >= 2 {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let b = &bytes[..end];
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| char::from(c)).collect(),
    }
}

/// Whether a version string is FL 11.5 or later (text becomes UTF-16LE).
fn uses_utf16(version: &str) -> bool {
    let mut parts = version
        .split('.')
        .map(|p| p.trim().parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) >= (11, 5)
}

/// Name, vendor of a VST hosted by "Fruity Wrapper", from its plug-in data.
fn wrapper_plugin(data: &[u8]) -> Option<(String, Option<String>)> {
    let version = u32::from_le_bytes(data.get(..4)?.try_into().ok()?);
    if version < 8 {
        return None;
    }
    let mut pos = 4;
    let mut name = None;
    let mut vendor = None;
    while pos + 12 <= data.len() {
        let id = u32::from_le_bytes(data[pos..pos + 4].try_into().ok()?);
        let size = u64::from_le_bytes(data[pos + 4..pos + 12].try_into().ok()?);
        pos += 12;
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| pos.checked_add(s))?;
        let body = data.get(pos..end)?;
        match id {
            54 => name = Some(decode_text(body, false)),
            56 => vendor = Some(decode_text(body, false)).filter(|v| !v.is_empty()),
            _ => {}
        }
        pos = end;
    }
    name.filter(|n| !n.is_empty()).map(|n| (n, vendor))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Project,
    Channel(usize),
    Pattern(usize),
    Arrangement(usize),
    Mixer,
}

#[derive(Debug, Default)]
struct SlotBuilder {
    internal: Option<String>,
    name: Option<String>,
    plugin: Option<(String, Option<String>)>,
}

impl SlotBuilder {
    fn take_into(&mut self, index: u16, insert: &mut Insert) {
        let slot = std::mem::take(self);
        let Some(internal) = slot.internal else {
            return;
        };
        let (plugin, vendor) = slot.plugin.unwrap_or((internal, None));
        let name = slot.name.filter(|n| *n != plugin);
        insert.slots.push(Slot {
            index,
            plugin,
            vendor,
            name,
        });
    }
}

/// Parse an `.flp` file's bytes.
pub fn parse_flp(bytes: &[u8]) -> Result<FlProject, FormatError> {
    let file = FlpFile::open(bytes)?;
    let mut p = FlProject {
        format: file.format,
        channel_count: file.channel_count,
        ppq: file.ppq,
        version: None,
        build: None,
        tempo: None,
        time_signature: None,
        title: None,
        artists: None,
        genre: None,
        comments: None,
        url: None,
        channel_groups: Vec::new(),
        channels: Vec::new(),
        patterns: Vec::new(),
        inserts: Vec::new(),
        arrangements: Vec::new(),
        uninterpreted_events: 0,
    };
    let mut utf16 = false;
    let mut scope = Scope::Project;
    let mut coarse_tempo: Option<u32> = None;
    let mut fine_tempo: Option<u32> = None;
    let mut insert = Insert {
        index: 0,
        name: None,
        slots: Vec::new(),
    };
    let mut slot = SlotBuilder::default();
    let mut channel_groups_index: Vec<Option<u32>> = Vec::new();
    let mut marker: Option<TimeMarker> = None;
    let mut marker_scope = Scope::Project;
    let mut channel_at: HashMap<u16, usize> = HashMap::new();
    let mut pattern_at: HashMap<u16, usize> = HashMap::new();

    for event in file.events() {
        let event = event?;
        let text = |d: &[u8]| decode_text(d, utf16);
        let num = event.data.number().unwrap_or(0);
        let data: &[u8] = match event.data {
            EventData::Data(d) => d,
            _ => &[],
        };
        match event.id {
            199 => {
                let v = decode_text(data, false);
                utf16 = uses_utf16(&v);
                p.version = Some(v);
            }
            159 => p.build = Some(num),
            156 => p.tempo = Some(f64::from(num) / 1000.0),
            66 => coarse_tempo = Some(num),
            17 | 18 if matches!(scope, Scope::Project) && marker.is_none() => {
                let (mut n, mut d) = p.time_signature.unwrap_or((4, 4));
                if event.id == 17 {
                    n = num as u8;
                } else {
                    d = num as u8;
                }
                p.time_signature = Some((n, d));
            }
            93 => fine_tempo = Some(num),
            194 => p.title = Some(text(data)).filter(|s| !s.is_empty()),
            195 => p.comments = Some(text(data)).filter(|s| !s.is_empty()),
            197 => p.url = Some(text(data)).filter(|s| !s.is_empty()),
            206 => p.genre = Some(text(data)).filter(|s| !s.is_empty()),
            207 => p.artists = Some(text(data)).filter(|s| !s.is_empty()),
            231 => p.channel_groups.push(text(data)),
            64 => {
                let index = num as u16;
                let pos = match channel_at.get(&index) {
                    Some(&pos) => pos,
                    None => {
                        channel_at.insert(index, p.channels.len());
                        p.channels.push(Channel {
                            index,
                            name: None,
                            kind: ChannelKind::Sampler,
                            plugin: None,
                            sample_path: None,
                            group: None,
                        });
                        channel_groups_index.push(None);
                        p.channels.len() - 1
                    }
                };
                scope = Scope::Channel(pos);
            }
            65 => {
                let index = num as u16;
                let pos = match pattern_at.get(&index) {
                    Some(&pos) => pos,
                    None => {
                        pattern_at.insert(index, p.patterns.len());
                        p.patterns.push(Pattern {
                            index,
                            name: None,
                            note_count: 0,
                            time_markers: 0,
                        });
                        p.patterns.len() - 1
                    }
                };
                scope = Scope::Pattern(pos);
            }
            99 => {
                flush_marker(&mut p, &mut marker, marker_scope);
                p.arrangements.push(Arrangement {
                    index: num as u16,
                    name: None,
                    tracks: Vec::new(),
                    track_count: 0,
                    time_markers: Vec::new(),
                });
                scope = Scope::Arrangement(p.arrangements.len() - 1);
            }
            // Channel events.
            21 if matches!(scope, Scope::Channel(_)) => {
                if let Scope::Channel(c) = scope {
                    p.channels[c].kind = ChannelKind::from_code(num as u8);
                }
            }
            145 if matches!(scope, Scope::Channel(_)) => {
                if let Scope::Channel(c) = scope {
                    channel_groups_index[c] = Some(num);
                }
            }
            192 | 196 if matches!(scope, Scope::Channel(_)) => {
                if let Scope::Channel(c) = scope {
                    let s = text(data);
                    if event.id == 192 {
                        if !s.is_empty() && p.channels[c].name.is_none() {
                            p.channels[c].name = Some(s);
                        }
                    } else {
                        p.channels[c].sample_path = Some(s).filter(|s| !s.is_empty());
                    }
                }
            }
            // Mixer: an insert's events end with its output routing (147).
            204 | 236 | 235 | 154 | 98 | 147 => {
                if !matches!(scope, Scope::Mixer) {
                    flush_marker(&mut p, &mut marker, marker_scope);
                    scope = Scope::Mixer;
                }
                match event.id {
                    204 => insert.name = Some(text(data)).filter(|s| !s.is_empty()),
                    98 => slot.take_into(num as u16, &mut insert),
                    147 => {
                        let next = insert.slots.last().map_or(0, |s| s.index.saturating_add(1));
                        slot.take_into(next, &mut insert);
                        insert.index = p.inserts.len() as u16;
                        p.inserts.push(std::mem::replace(
                            &mut insert,
                            Insert {
                                index: 0,
                                name: None,
                                slots: Vec::new(),
                            },
                        ));
                    }
                    _ => {}
                }
            }
            // Plug-in events: of the current channel, or of the current mixer slot.
            201 | 203 | 213 => match scope {
                Scope::Channel(c) => {
                    let ch = &mut p.channels[c];
                    match event.id {
                        201 => ch.plugin = Some(text(data)).filter(|s| !s.is_empty()),
                        203 => ch.name = Some(text(data)).filter(|s| !s.is_empty()),
                        _ => {
                            if ch.plugin.as_deref() == Some("Fruity Wrapper")
                                && let Some((name, _)) = wrapper_plugin(data)
                            {
                                ch.plugin = Some(name);
                            }
                        }
                    }
                }
                Scope::Mixer => match event.id {
                    201 => {
                        if slot.internal.is_some() {
                            let next = insert.slots.last().map_or(0, |s| s.index.saturating_add(1));
                            slot.take_into(next, &mut insert);
                        }
                        slot.internal = Some(text(data));
                    }
                    203 => slot.name = Some(text(data)).filter(|s| !s.is_empty()),
                    _ => {
                        if slot.internal.as_deref() == Some("Fruity Wrapper") {
                            slot.plugin = wrapper_plugin(data);
                        }
                    }
                },
                _ => p.uninterpreted_events = p.uninterpreted_events.saturating_add(1),
            },
            // Patterns.
            193 => {
                if let Scope::Pattern(i) = scope {
                    p.patterns[i].name = Some(text(data)).filter(|s| !s.is_empty());
                } else {
                    p.uninterpreted_events = p.uninterpreted_events.saturating_add(1);
                }
            }
            224 => {
                if let Scope::Pattern(i) = scope {
                    p.patterns[i].note_count = p.patterns[i]
                        .note_count
                        .saturating_add((data.len() / 24) as u32);
                } else {
                    p.uninterpreted_events = p.uninterpreted_events.saturating_add(1);
                }
            }
            // Arrangements.
            241 => {
                if let Scope::Arrangement(a) = scope {
                    p.arrangements[a].name = Some(text(data)).filter(|s| !s.is_empty());
                }
            }
            238 => {
                let a = current_arrangement(&mut p, scope);
                let arrangement = &mut p.arrangements[a];
                arrangement.track_count = arrangement.track_count.saturating_add(1);
                scope = Scope::Arrangement(a);
            }
            239 => {
                let a = current_arrangement(&mut p, scope);
                let arrangement = &mut p.arrangements[a];
                let name = text(data);
                if !name.is_empty() {
                    let index = arrangement.track_count.max(1);
                    arrangement.tracks.push(PlaylistTrack { index, name });
                }
            }
            // Time markers: position + action, then signature and name.
            148 => {
                flush_marker(&mut p, &mut marker, marker_scope);
                marker_scope = scope;
                marker = Some(TimeMarker {
                    position: num & 0x00ff_ffff,
                    action: (num >> 24) as u8,
                    name: String::new(),
                    numerator: None,
                    denominator: None,
                });
            }
            33 | 34 if marker.is_some() => {
                if let Some(m) = marker.as_mut() {
                    if event.id == 33 {
                        m.numerator = Some(num as u8);
                    } else {
                        m.denominator = Some(num as u8);
                    }
                }
            }
            205 => {
                if let Some(m) = marker.as_mut() {
                    m.name = text(data);
                }
                flush_marker(&mut p, &mut marker, marker_scope);
            }
            _ => p.uninterpreted_events = p.uninterpreted_events.saturating_add(1),
        }
    }
    flush_marker(&mut p, &mut marker, marker_scope);
    if p.tempo.is_none() {
        p.tempo = coarse_tempo.map(|c| f64::from(c) + f64::from(fine_tempo.unwrap_or(0)) / 1000.0);
    }
    p.patterns.sort_by_key(|pattern| pattern.index);
    for (channel, group) in p.channels.iter_mut().zip(channel_groups_index) {
        channel.group = group
            .and_then(|g| p.channel_groups.get(g as usize))
            .cloned();
    }
    Ok(p)
}

/// The arrangement playlist events belong to: the open one, or (before FL 12.9) the single
/// implicit arrangement.
fn current_arrangement(p: &mut FlProject, scope: Scope) -> usize {
    if let Scope::Arrangement(a) = scope {
        return a;
    }
    if p.arrangements.is_empty() {
        p.arrangements.push(Arrangement {
            index: 0,
            name: None,
            tracks: Vec::new(),
            track_count: 0,
            time_markers: Vec::new(),
        });
    }
    p.arrangements.len() - 1
}

fn flush_marker(p: &mut FlProject, marker: &mut Option<TimeMarker>, scope: Scope) {
    let Some(m) = marker.take() else {
        return;
    };
    match scope {
        Scope::Pattern(i) => {
            p.patterns[i].time_markers = p.patterns[i].time_markers.saturating_add(1)
        }
        other => {
            let a = current_arrangement(p, other);
            p.arrangements[a].time_markers.push(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(events: &[u8]) -> Vec<u8> {
        let mut f = b"FLhd".to_vec();
        f.extend_from_slice(&6u32.to_le_bytes());
        f.extend_from_slice(&0i16.to_le_bytes());
        f.extend_from_slice(&1u16.to_le_bytes());
        f.extend_from_slice(&96u16.to_le_bytes());
        f.extend_from_slice(b"FLdt");
        f.extend_from_slice(&(events.len() as u32).to_le_bytes());
        f.extend_from_slice(events);
        f
    }

    #[test]
    fn reads_each_size_class_and_varint_lengths() {
        let mut ev = vec![9, 1, 66, 140, 0, 156, 0x10, 0x27, 0, 0];
        ev.push(194);
        ev.extend_from_slice(&[0x81, 0x01]); // varint 129
        ev.extend(std::iter::repeat_n(b'a', 128));
        ev.push(0);
        let f = file(&ev);
        let events: Vec<_> = FlpFile::open(&f)
            .and_then(|f| f.events().collect::<Result<Vec<_>, _>>())
            .expect("valid events");
        assert_eq!(events.len(), 4);
        assert_eq!(events[0].data, EventData::Byte(1));
        assert_eq!(events[1].data, EventData::Word(140));
        assert_eq!(events[2].data, EventData::Dword(10_000));
        assert!(matches!(events[3].data, EventData::Data(d) if d.len() == 129));
        let project = parse_flp(&f).expect("parses");
        assert_eq!(project.tempo, Some(10.0));
        assert_eq!(project.title.as_deref(), Some(&"a".repeat(128)[..]));
    }

    #[test]
    fn truncated_event_is_an_error_not_a_panic() {
        let f = file(&[194, 10, b'a']);
        assert!(matches!(
            parse_flp(&f),
            Err(FormatError::FlpTruncatedEvent { id: 194, .. })
        ));
        let f = file(&[156, 1]);
        assert!(parse_flp(&f).is_err());
    }

    /// Regression (fuzz crash-acbcb926): an unnamed channel numbered 65535 overflowed the
    /// "Channel N" label in the diff.
    #[test]
    fn extreme_channel_and_slot_numbers_do_not_overflow() {
        let f = file(&[
            64, 0xff, 0xff, 204, 1, 0, 201, 2, b'X', 0, 98, 0xff, 0xff, 201, 2, b'Y', 0, 147, 0, 0,
            0, 0,
        ]);
        let p = parse_flp(&f).expect("parses");
        assert_eq!(p.channels[0].index, u16::MAX);
        assert_eq!(p.inserts[0].slots.len(), 2);
        let project = crate::formats::Project::FlStudio(p);
        assert!(crate::formats::diff(&project, &project).is_empty());
    }

    #[test]
    fn text_is_utf16_from_fl_11_5() {
        assert!(!uses_utf16("11.0.4"));
        assert!(uses_utf16("11.5.0"));
        assert!(uses_utf16("25.1.6.4669"));
        assert_eq!(decode_text(b"B\0o\0\0\0", true), "Bo");
        assert_eq!(decode_text(b"Kick\0", false), "Kick");
    }
}
