//! Ableton Live sets (`.als`): the model of a set and its streaming parser.
//!
//! A set is gzip-compressed XML (Live writes gzip; a plain-XML `.als` opens too). The parser walks
//! the XML once with quick-xml's pull reader over any `BufRead`, keeping only an element-name stack
//! and the values it models, so a 16 MB set never becomes a DOM. It reads no file and prints
//! nothing: bytes in, [`LiveSet`] out.
//!
//! What is kept is what a producer talks about: version, tempo (and its automation), time
//! signature, tracks with devices (parameters included) and clips, locators, scenes and sample
//! references. View state, selection, window positions, pointee/LOM ids and the like are skipped:
//! they are never part of the model, so the semantic diff cannot report them.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde::Serialize;

use super::error::FormatError;

/// Time of Live's "default" automation event, which holds the value before the first real point.
pub(crate) const DEFAULT_EVENT_TIME: f64 = -63_072_000.0;

/// One Ableton Live set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveSet {
    /// `Creator` of the root element, e.g. `Ableton Live 11.3.21`.
    pub creator: String,
    /// `MajorVersion` of the root element (schema generation: 4 for Live 8/9, 5 for Live 10+).
    pub major_version: String,
    /// `MinorVersion` of the root element, e.g. `11.0_11300`.
    pub minor_version: String,
    /// `SchemaChangeCount` (absent before Live 9).
    pub schema_change_count: Option<String>,
    /// `Revision` (build hash; absent before Live 9).
    pub revision: Option<String>,
    /// Song tempo in BPM: the main track's tempo `Manual`, or for Live 8 sets the default
    /// automation event.
    pub tempo: Option<f64>,
    /// Whether the tempo has automation points beyond the default one.
    pub tempo_automated: bool,
    /// All tempo automation events (time in beats, value in BPM), the default one included.
    pub tempo_automation: Vec<AutomationPoint>,
    /// The set's time signature (the main track's `TimeSignature`), 4/4 when absent.
    pub time_signature: TimeSignature,
    /// Audio, MIDI, group and return tracks, in Live's order.
    pub tracks: Vec<Track>,
    /// The master track (`MasterTrack`, renamed `MainTrack` in Live 12).
    pub main_track: Option<Track>,
    /// Arrangement locators (cue points).
    pub locators: Vec<Locator>,
    /// Session scenes.
    pub scenes: Vec<Scene>,
    /// Distinct sample files referenced anywhere in the set, in order of first reference.
    pub samples: Vec<SampleRef>,
}

impl LiveSet {
    /// The Live version as users say it, from `Creator` (`Ableton Live 11.3.21` → `11.3.21`).
    pub fn live_version(&self) -> &str {
        self.creator
            .strip_prefix("Ableton Live ")
            .unwrap_or(&self.creator)
    }
}

/// One automation event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AutomationPoint {
    /// Position in beats (the default event sits at -63072000).
    pub time: f64,
    /// The value at that point.
    pub value: f64,
}

/// A time signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeSignature {
    /// Beats per bar.
    pub numerator: u32,
    /// Note value of one beat.
    pub denominator: u32,
}

impl TimeSignature {
    /// Decode Live's enum encoding: `numerator - 1 + 99 * log2(denominator)`.
    pub(crate) fn from_live_enum(value: i64) -> Option<Self> {
        if !(0..99 * 5).contains(&value) {
            return None;
        }
        Some(Self {
            numerator: (value % 99) as u32 + 1,
            denominator: 1 << (value / 99),
        })
    }

    /// Length of one bar in quarter-note beats (Live's time unit).
    pub fn beats_per_bar(&self) -> f64 {
        f64::from(self.numerator) * 4.0 / f64::from(self.denominator.max(1))
    }
}

impl Default for TimeSignature {
    fn default() -> Self {
        Self {
            numerator: 4,
            denominator: 4,
        }
    }
}

/// What kind of track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackKind {
    /// `AudioTrack`.
    Audio,
    /// `MidiTrack`.
    Midi,
    /// `GroupTrack`.
    Group,
    /// `ReturnTrack`.
    Return,
    /// `MasterTrack` / `MainTrack`.
    Main,
}

impl TrackKind {
    /// The words Live's UI uses ("Audio track").
    pub fn label(self) -> &'static str {
        match self {
            Self::Audio => "Audio track",
            Self::Midi => "MIDI track",
            Self::Group => "Group track",
            Self::Return => "Return track",
            Self::Main => "Main track",
        }
    }
}

/// One track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Track {
    /// Live's track `Id` (none on the main track); stable across saves.
    pub id: Option<u32>,
    /// Track kind.
    pub kind: TrackKind,
    /// The name Live shows: `UserName` when set, else `EffectiveName`.
    pub name: String,
    /// `Name/UserName`.
    pub user_name: String,
    /// `Name/EffectiveName`.
    pub effective_name: String,
    /// `Color` (Live 11+) or `ColorIndex` (Live 10 and older).
    pub color: Option<i64>,
    /// The group track's `Id` when this track is inside a group.
    pub group_id: Option<u32>,
    /// Track activator off (`Mixer/Speaker` false).
    pub muted: Option<bool>,
    /// Solo switch (`Mixer/SoloSink`).
    pub solo: Option<bool>,
    /// Record arm (`Recorder/IsArmed`).
    pub armed: Option<bool>,
    /// Devices in chain order; rack contents follow their rack (depth-first).
    pub devices: Vec<Device>,
    /// Arrangement, session, take-lane and frozen clips.
    pub clips: Vec<Clip>,
}

/// A plug-in format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PluginFormat {
    /// VST 2.
    #[serde(rename = "VST")]
    Vst,
    /// VST 3.
    #[serde(rename = "VST3")]
    Vst3,
    /// Audio Unit.
    #[serde(rename = "AU")]
    AudioUnit,
}

/// A third-party plug-in hosted by a `PluginDevice`/`AuPluginDevice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plugin {
    /// VST, VST3 or AU.
    pub format: PluginFormat,
    /// The plug-in's name (`PlugName` or `Name`).
    pub name: String,
    /// Manufacturer, where Live stores it (AU).
    pub vendor: Option<String>,
}

/// One device (built-in, plug-in, Max for Live, or rack).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    /// Stable key inside the track: the device and rack-chain elements with their Live `Id`s,
    /// e.g. `AudioEffectGroupDevice#2/AudioEffectBranch#0/Eq8#1`.
    pub key: String,
    /// 0 on the track's own chain, 1 inside a rack chain, and so on.
    pub depth: u32,
    /// Live's element name for the device (`Eq8`, `PluginDevice`, `MxDeviceAudioEffect`, …).
    pub class: String,
    /// The name Live shows: the user's name, else the plug-in or patch name, else the device's.
    pub name: String,
    /// The name the user gave the device, if any.
    pub user_name: Option<String>,
    /// Third-party plug-in details.
    pub plugin: Option<Plugin>,
    /// Max for Live patch file name (`.amxd`), for Max devices.
    pub max_patch: Option<String>,
    /// The device's on switch.
    pub on: Option<bool>,
    /// Every automatable value (`Manual`) of the device, in document order.
    pub parameters: Vec<Parameter>,
}

/// One device parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    /// Element path from the device to the parameter, with `#Id` on list items,
    /// e.g. `Bands.0/ParameterA/Freq` or `ParameterList/PluginFloatParameter#3/ParameterValue`.
    pub key: String,
    /// Display name: the plug-in/Max parameter name where stored, else the element path.
    pub name: String,
    /// The `Manual` value as written (numbers keep Live's formatting).
    pub value: String,
}

/// Where a clip lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "view")]
pub enum ClipLocation {
    /// On the arrangement timeline.
    Arrangement,
    /// In a session clip slot.
    Session {
        /// The slot's `Id` (its scene row).
        slot: u32,
    },
    /// In a take lane (Live 12 comping).
    TakeLane {
        /// The lane's `Id`.
        lane: u32,
    },
    /// Inside the freeze sequencer of a frozen track.
    Frozen,
}

/// Audio or MIDI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClipKind {
    /// `AudioClip`.
    Audio,
    /// `MidiClip`.
    Midi,
}

/// One clip. Times are in beats (quarter notes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clip {
    /// Stable key inside the track (`arrangement#17`, `session:3`, …).
    pub key: String,
    /// Audio or MIDI.
    pub kind: ClipKind,
    /// Arrangement, session slot, take lane or frozen.
    pub location: ClipLocation,
    /// `Name`.
    pub name: String,
    /// `Time` attribute: the arrangement position.
    pub time: f64,
    /// `CurrentStart`.
    pub start: f64,
    /// `CurrentEnd`.
    pub end: f64,
    /// `Loop/LoopOn`.
    pub loop_on: Option<bool>,
    /// `Loop/LoopStart`.
    pub loop_start: Option<f64>,
    /// `Loop/LoopEnd`.
    pub loop_end: Option<f64>,
    /// `Color` / `ColorIndex`.
    pub color: Option<i64>,
    /// Clip deactivated (`Disabled`).
    pub disabled: bool,
    /// Number of MIDI notes.
    pub note_count: u32,
    /// Digest of all note events (keys, times, lengths, velocities), hex; MIDI clips only.
    pub notes_digest: Option<String>,
    /// The sample an audio clip plays.
    pub sample: Option<String>,
}

/// An arrangement locator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Locator {
    /// Live's `Id`.
    pub id: Option<u32>,
    /// `Name`.
    pub name: String,
    /// Position in beats.
    pub time: f64,
}

/// A session scene.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    /// Live's `Id` (Live 11+; older sets list scene names without ids).
    pub id: Option<u32>,
    /// Scene name.
    pub name: String,
}

/// A sample file referenced by the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleRef {
    /// Absolute path as last saved (Live 11+ `Path`, or rebuilt from the search hint).
    pub path: Option<String>,
    /// Path relative to the project folder or the set, as Live stores it.
    pub relative_path: Option<String>,
    /// Whether Live stores the file as part of the project folder (`RelativePathType` 3).
    pub inside_project: bool,
    /// Where the file lives, from `RelativePathType`.
    pub location: SampleLocation,
}

/// Where a referenced file lives, as Live records it (`RelativePathType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleLocation {
    /// No relative path: only the absolute one (type 0).
    Absolute,
    /// Outside the project, relative to the set (type 1).
    External,
    /// Inside the project folder (type 3).
    Project,
    /// Live's Core Library (type 5).
    CoreLibrary,
    /// The user library (type 6).
    UserLibrary,
    /// An installed Pack (type 7).
    Pack,
    /// A type code not listed here, or none stored (Live 9 and older).
    Unknown,
}

impl SampleLocation {
    fn from_code(code: Option<u32>) -> Self {
        match code {
            Some(0) => Self::Absolute,
            Some(1) => Self::External,
            Some(3) => Self::Project,
            Some(5) => Self::CoreLibrary,
            Some(6) => Self::UserLibrary,
            Some(7) => Self::Pack,
            _ => Self::Unknown,
        }
    }
}

/// Parse a `.als` file's bytes from a reader: gzip (Live's own format) or plain XML.
pub fn parse_als<R: Read>(reader: R) -> Result<LiveSet, FormatError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered.fill_buf().map_err(FormatError::Read)?;
    if head.is_empty() {
        return Err(FormatError::Empty { format: "Live set" });
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let xml = BufReader::with_capacity(1 << 16, MultiGzDecoder::new(buffered));
        return parse_als_xml(xml);
    }
    let text = head
        .strip_prefix(&[0xef, 0xbb, 0xbf])
        .unwrap_or(head)
        .trim_ascii_start();
    if text.first() == Some(&b'<') || (text.is_empty() && head.len() < 4) {
        return parse_als_xml(buffered);
    }
    let start: String = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Err(FormatError::NotGzipOrXml { start })
}

/// Parse the XML of a Live set (already decompressed) in one streaming pass.
pub fn parse_als_xml<R: BufRead>(reader: R) -> Result<LiveSet, FormatError> {
    let mut parser = Parser::default();
    let mut xml = Reader::from_reader(reader);
    xml.config_mut().trim_text(false);
    let mut buf = Vec::with_capacity(1 << 12);
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(&xml, e))?;
        match event {
            Event::Start(e) => {
                if parser.start(&e, false)? == Flow::Skip {
                    let name = e.name().as_ref().to_vec();
                    let mut skip = Vec::new();
                    xml.read_to_end_into(quick_xml::name::QName(&name), &mut skip)
                        .map_err(|e| xml_error(&xml, e))?;
                } else {
                    parser.push(&e);
                }
            }
            Event::Empty(e) => {
                parser.start(&e, true)?;
            }
            Event::End(_) => parser.end(),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    parser.finish()
}

fn xml_error<R>(xml: &Reader<R>, error: quick_xml::Error) -> FormatError {
    match error {
        quick_xml::Error::Io(io) => {
            FormatError::Read(std::io::Error::new(io.kind(), io.to_string()))
        }
        other => FormatError::Xml {
            position: xml.error_position(),
            message: other.to_string(),
        },
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Other,
    Device,
    Branch,
}

#[derive(Debug)]
struct Frame {
    name: (u32, u32),
    id: Option<u32>,
    kind: FrameKind,
    serial: u64,
}

#[derive(Debug)]
struct TrackState {
    depth: usize,
    track: Track,
    arrangement_ordinal: u32,
}

#[derive(Debug)]
struct ClipState {
    depth: usize,
    clip: Clip,
    hash: u64,
}

#[derive(Debug, Default)]
struct SampleState {
    depth: usize,
    relative_type: Option<u32>,
    relative: Option<String>,
    path: Option<String>,
    relative_dirs: Vec<String>,
    hint_dirs: Vec<String>,
    file_name: Option<String>,
    has_relative: Option<bool>,
}

#[derive(Debug)]
struct EnvelopeState {
    depth: usize,
    target: Option<u32>,
    points: Vec<AutomationPoint>,
}

/// The open elements: names in one arena, so a push allocates nothing once warm.
#[derive(Debug, Default)]
struct Stack {
    names: Vec<u8>,
    frames: Vec<Frame>,
    serial: u64,
}

#[derive(Debug, Default)]
struct Parser {
    stack: Stack,
    root_seen: bool,
    live_set_seen: bool,
    set: Option<LiveSet>,
    track: Option<TrackState>,
    /// (frame depth, index in the track's device list) of the open devices, innermost last.
    devices: Vec<(usize, usize)>,
    /// Parameter label (ParameterName / Name) with the serial of the element it names.
    label: Option<(u64, String)>,
    clip: Option<ClipState>,
    sample: Option<SampleState>,
    locator: Option<(usize, Locator)>,
    scene: Option<(usize, Scene)>,
    envelope: Option<EnvelopeState>,
    main_envelopes: Vec<(u32, Vec<AutomationPoint>)>,
    tempo_target: Option<u32>,
    live9_tempo_events: Vec<AutomationPoint>,
}

/// The raw (still escaped) value of attribute `name` in a start tag's attribute bytes.
fn raw_attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(pos) = find(&attrs[from..], name) {
        let at = from + pos;
        let before_ok = at == 0 || attrs[at - 1].is_ascii_whitespace();
        let rest = &attrs[at + name.len()..];
        let rest_trim = rest.trim_ascii_start();
        if before_ok && rest_trim.first() == Some(&b'=') {
            let value = rest_trim[1..].trim_ascii_start();
            let quote = *value.first()?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let body = &value[1..];
            let end = body.iter().position(|&b| b == quote)?;
            return Some(&body[..end]);
        }
        from = at + 1;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|&b| b == first)
        {
            Some(p) => {
                let at = i + p;
                if &hay[at..at + needle.len()] == needle {
                    return Some(at);
                }
                i = at + 1;
            }
            None => return None,
        }
    }
    None
}

fn text(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    if !s.contains('&') {
        return s.into_owned();
    }
    match quick_xml::escape::unescape(&s) {
        Ok(u) => u.into_owned(),
        Err(_) => s.into_owned(),
    }
}

fn number(raw: &[u8]) -> Option<f64> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

fn integer(raw: &[u8]) -> Option<i64> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

fn boolean(raw: &[u8]) -> Option<bool> {
    match raw {
        b"true" => Some(true),
        b"false" => Some(false),
        _ => None,
    }
}

fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    let mut h = hash;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

pub(crate) fn builtin_device_name(class: &str) -> &str {
    match class {
        "Eq8" => "EQ Eight",
        "FilterEQ3" => "EQ Three",
        "AutoFilter" | "AutoFilter2" => "Auto Filter",
        "AutoPan" | "AutoPan2" => "Auto Pan",
        "Compressor2" | "Compressor" => "Compressor",
        "GlueCompressor" => "Glue Compressor",
        "MultibandDynamics" => "Multiband Dynamics",
        "Reverb" => "Reverb",
        "Delay" | "StereoDelay" => "Delay",
        "PingPongDelay" => "Ping Pong Delay",
        "SimpleDelay" => "Simple Delay",
        "FilterDelay" => "Filter Delay",
        "GrainDelay" => "Grain Delay",
        "StereoGain" => "Utility",
        "Saturator" => "Saturator",
        "Limiter" => "Limiter",
        "Gate" => "Gate",
        "Tuner" => "Tuner",
        "SpectrumAnalyzer" => "Spectrum",
        "Redux" | "Redux2" => "Redux",
        "Chorus" | "Chorus2" => "Chorus",
        "Phaser" | "PhaserNew" => "Phaser",
        "Flanger" => "Flanger",
        "FrequencyShifter" => "Frequency Shifter",
        "Overdrive" => "Overdrive",
        "Erosion" => "Erosion",
        "Vinyl" => "Vinyl Distortion",
        "Amp" => "Amp",
        "Cabinet" => "Cabinet",
        "Corpus" => "Corpus",
        "Resonator" => "Resonators",
        "BeatRepeat" => "Beat Repeat",
        "Looper" => "Looper",
        "Vocoder" => "Vocoder",
        "DrumBuss" => "Drum Buss",
        "Echo" => "Echo",
        "Pedal" => "Pedal",
        "Transmute" => "Transmute",
        "Hybrid" => "Hybrid Reverb",
        "Shifter" => "Shifter",
        "OriginalSimpler" => "Simpler",
        "MultiSampler" => "Sampler",
        "InstrumentImpulse" => "Impulse",
        "UltraAnalog" => "Analog",
        "Operator" => "Operator",
        "LoungeLizard" => "Electric",
        "StringStudio" => "Tension",
        "Collision" => "Collision",
        "InstrumentVector" => "Wavetable",
        "Drift" => "Drift",
        "InstrumentMeld" => "Meld",
        "InstrumentGroupDevice" => "Instrument Rack",
        "AudioEffectGroupDevice" => "Audio Effect Rack",
        "MidiEffectGroupDevice" => "MIDI Effect Rack",
        "DrumGroupDevice" => "Drum Rack",
        "MidiArpeggiator" => "Arpeggiator",
        "MidiChord" => "Chord",
        "MidiNoteLength" => "Note Length",
        "MidiPitcher" => "Pitch",
        "MidiRandom" => "Random",
        "MidiScale" => "Scale",
        "MidiVelocity" => "Velocity",
        "ProxyInstrumentDevice" => "External Instrument",
        "ProxyAudioEffectDevice" => "External Audio Effect",
        other => other,
    }
}

/// Append `~n` to repeated keys (only malformed sets repeat Live ids).
fn make_unique<'a>(keys: impl Iterator<Item = &'a mut String>) {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for key in keys {
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            key.push_str(&format!("~{n}"));
        }
    }
}

fn is_track_tag(name: &[u8]) -> Option<TrackKind> {
    match name {
        b"AudioTrack" => Some(TrackKind::Audio),
        b"MidiTrack" => Some(TrackKind::Midi),
        b"GroupTrack" => Some(TrackKind::Group),
        b"ReturnTrack" => Some(TrackKind::Return),
        _ => None,
    }
}

fn new_track(id: Option<u32>, kind: TrackKind) -> Track {
    Track {
        id,
        kind,
        name: String::new(),
        user_name: String::new(),
        effective_name: String::new(),
        color: None,
        group_id: None,
        muted: None,
        solo: None,
        armed: None,
        devices: Vec::new(),
        clips: Vec::new(),
    }
}

impl Stack {
    fn name_of(&self, frame: usize) -> &[u8] {
        let (s, e) = self.frames[frame].name;
        &self.names[s as usize..e as usize]
    }

    /// Whether the innermost open elements are `tail` (outermost first).
    fn tail_is(&self, tail: &[&[u8]]) -> bool {
        let n = self.frames.len();
        if n < tail.len() {
            return false;
        }
        tail.iter()
            .enumerate()
            .all(|(i, t)| self.name_of(n - tail.len() + i) == *t)
    }

    fn parent_is(&self, name: &[u8]) -> bool {
        self.frames
            .last()
            .is_some_and(|f| &self.names[f.name.0 as usize..f.name.1 as usize] == name)
    }

    fn label_path(&self, from: usize, to: usize, only_structural: bool) -> String {
        let mut out = String::new();
        for i in from..to {
            let f = &self.frames[i];
            if only_structural && f.kind == FrameKind::Other {
                continue;
            }
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&String::from_utf8_lossy(self.name_of(i)));
            if let Some(id) = f.id {
                out.push('#');
                out.push_str(&id.to_string());
            }
        }
        out
    }
}

impl Parser {
    fn push(&mut self, e: &BytesStart<'_>) {
        let name = e.name();
        let name = name.as_ref();
        let start = self.stack.names.len() as u32;
        self.stack.names.extend_from_slice(name);
        let end = self.stack.names.len() as u32;
        let in_track = self.track.is_some();
        let id = if in_track {
            raw_attr(e.attributes_raw(), b"Id")
                .and_then(integer)
                .and_then(|v| u32::try_from(v).ok())
        } else {
            None
        };
        let kind = if in_track && self.stack.parent_is(b"Devices") {
            FrameKind::Device
        } else if in_track
            && (self.stack.parent_is(b"Branches") || self.stack.parent_is(b"ReturnBranches"))
        {
            FrameKind::Branch
        } else {
            FrameKind::Other
        };
        self.stack.serial += 1;
        self.stack.frames.push(Frame {
            name: (start, end),
            id,
            kind,
            serial: self.stack.serial,
        });
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<Flow, FormatError> {
        let qname = e.name();
        let name = qname.as_ref();
        let depth = self.stack.frames.len();
        let attrs = e.attributes_raw();

        if depth == 0 {
            if name != b"Ableton" {
                return Err(FormatError::NotLiveSet {
                    root: String::from_utf8_lossy(name).into_owned(),
                });
            }
            self.root_seen = true;
            let get = |n: &[u8]| raw_attr(attrs, n).map(text);
            self.set = Some(LiveSet {
                creator: get(b"Creator").unwrap_or_default(),
                major_version: get(b"MajorVersion").unwrap_or_default(),
                minor_version: get(b"MinorVersion").unwrap_or_default(),
                schema_change_count: get(b"SchemaChangeCount"),
                revision: get(b"Revision"),
                tempo: None,
                tempo_automated: false,
                tempo_automation: Vec::new(),
                time_signature: TimeSignature::default(),
                tracks: Vec::new(),
                main_track: None,
                locators: Vec::new(),
                scenes: Vec::new(),
                samples: Vec::new(),
            });
            return Ok(Flow::Continue);
        }
        if depth == 1 {
            if name == b"LiveSet" {
                self.live_set_seen = true;
            }
            return Ok(Flow::Continue);
        }
        if !self.live_set_seen {
            return Ok(Flow::Continue);
        }
        if depth == 2 {
            match name {
                b"MasterTrack" | b"MainTrack" if !empty => {
                    self.track = Some(TrackState {
                        depth,
                        track: new_track(None, TrackKind::Main),
                        arrangement_ordinal: 0,
                    });
                }
                b"PreHearTrack" if !empty => return Ok(Flow::Skip),
                _ => {}
            }
            return Ok(Flow::Continue);
        }
        if depth == 3
            && self.track.is_none()
            && let Some(kind) = is_track_tag(name)
        {
            if self.stack.name_of(2) == b"Tracks" && !empty {
                let id = raw_attr(attrs, b"Id")
                    .and_then(integer)
                    .and_then(|v| u32::try_from(v).ok());
                self.track = Some(TrackState {
                    depth,
                    track: new_track(id, kind),
                    arrangement_ordinal: 0,
                });
            }
            return Ok(Flow::Continue);
        }
        if self.track.is_none() {
            self.start_global(name, attrs, depth, empty);
            return Ok(Flow::Continue);
        }
        self.start_in_track(name, attrs, depth, empty);
        Ok(Flow::Continue)
    }

    /// Elements outside tracks: locators and scenes.
    fn start_global(&mut self, name: &[u8], attrs: &[u8], depth: usize, empty: bool) {
        match name {
            b"Locator" if depth == 4 && self.stack.tail_is(&[b"Locators", b"Locators"]) => {
                let id = raw_attr(attrs, b"Id")
                    .and_then(integer)
                    .and_then(|v| u32::try_from(v).ok());
                let locator = Locator {
                    id,
                    name: String::new(),
                    time: 0.0,
                };
                if empty {
                    if let Some(set) = self.set.as_mut() {
                        set.locators.push(locator);
                    }
                } else {
                    self.locator = Some((depth, locator));
                }
            }
            b"Scene" if depth == 3 && self.stack.parent_is(b"Scenes") => {
                let id = raw_attr(attrs, b"Id")
                    .and_then(integer)
                    .and_then(|v| u32::try_from(v).ok());
                let scene = Scene {
                    id,
                    name: String::new(),
                };
                if empty {
                    if let Some(set) = self.set.as_mut() {
                        set.scenes.push(scene);
                    }
                } else {
                    self.scene = Some((depth, scene));
                }
            }
            b"Scene" if depth == 3 && self.stack.parent_is(b"SceneNames") => {
                let scene = Scene {
                    id: None,
                    name: raw_attr(attrs, b"Value").map(text).unwrap_or_default(),
                };
                if let Some(set) = self.set.as_mut() {
                    set.scenes.push(scene);
                }
            }
            b"Time" | b"Name" => {
                let value = raw_attr(attrs, b"Value");
                if let (Some((d, locator)), Some(value)) = (self.locator.as_mut(), value)
                    && depth == *d + 1
                {
                    if name == b"Time" {
                        locator.time = number(value).unwrap_or(0.0);
                    } else {
                        locator.name = text(value);
                    }
                }
                if let (Some((d, scene)), Some(value)) = (self.scene.as_mut(), value)
                    && depth == *d + 1
                    && name == b"Name"
                {
                    scene.name = text(value);
                }
            }
            _ => {}
        }
    }

    fn start_in_track(&mut self, name: &[u8], attrs: &[u8], depth: usize, empty: bool) {
        let Some(track_depth) = self.track.as_ref().map(|t| t.depth) else {
            return;
        };
        let value = || raw_attr(attrs, b"Value");

        // Samples, anywhere in a track (clips, Simpler, Sampler, …).
        if name == b"SampleRef" && !empty {
            self.sample = Some(SampleState {
                depth,
                ..SampleState::default()
            });
            return;
        }
        if let Some(sample) = self.sample.as_mut() {
            let rel = depth - sample.depth;
            let in_fileref = rel >= 2 && self.stack.name_of(sample.depth + 1) == b"FileRef";
            if in_fileref {
                match name {
                    b"RelativePathType" if rel == 2 => {
                        sample.relative_type = value().and_then(integer).map(|v| v as u32);
                    }
                    b"HasRelativePath" if rel == 2 => {
                        sample.has_relative = value().and_then(boolean);
                    }
                    b"RelativePath" if rel == 2 => {
                        if let Some(v) = value() {
                            sample.relative = Some(text(v));
                        }
                    }
                    b"Path" if rel == 2 => {
                        if let Some(v) = value() {
                            sample.path = Some(text(v));
                        }
                    }
                    b"Name" if rel == 2 => {
                        if let Some(v) = value() {
                            sample.file_name = Some(text(v));
                        }
                    }
                    b"RelativePathElement" => {
                        let dir = raw_attr(attrs, b"Dir").map(text).unwrap_or_default();
                        let parent = self.stack.name_of(depth - 1);
                        if rel == 3 && parent == b"RelativePath" {
                            sample.relative_dirs.push(dir);
                        } else if parent == b"PathHint" {
                            sample.hint_dirs.push(dir);
                        }
                    }
                    _ => {}
                }
            }
            return;
        }

        // Devices and their parameters.
        if !self.devices.is_empty() || self.stack.parent_is(b"Devices") {
            self.start_in_device(name, attrs, depth, empty, track_depth);
            return;
        }

        // Clips.
        if (name == b"AudioClip" || name == b"MidiClip") && !empty {
            self.start_clip(name, attrs, depth, track_depth);
            return;
        }
        if let Some(clip) = self.clip.as_mut() {
            let rel = depth - clip.depth;
            match name {
                b"MidiNoteEvent" => {
                    clip.clip.note_count = clip.clip.note_count.saturating_add(1);
                    clip.hash = fnv(fnv(clip.hash, b"n"), attrs);
                }
                b"MidiKey" => {
                    if let Some(v) = value() {
                        clip.hash = fnv(fnv(clip.hash, b"k"), v);
                    }
                }
                _ if rel == 1 => {
                    let Some(v) = value() else { return };
                    match name {
                        b"CurrentStart" => clip.clip.start = number(v).unwrap_or(0.0),
                        b"CurrentEnd" => clip.clip.end = number(v).unwrap_or(0.0),
                        b"Name" => clip.clip.name = text(v),
                        b"Color" | b"ColorIndex" => clip.clip.color = integer(v),
                        b"Disabled" => clip.clip.disabled = boolean(v).unwrap_or(false),
                        _ => {}
                    }
                }
                _ if rel == 2 && self.stack.name_of(clip.depth + 1) == b"Loop" => {
                    let Some(v) = value() else { return };
                    match name {
                        b"LoopStart" => clip.clip.loop_start = number(v),
                        b"LoopEnd" => clip.clip.loop_end = number(v),
                        b"LoopOn" => clip.clip.loop_on = boolean(v),
                        _ => {}
                    }
                }
                _ => {}
            }
            return;
        }

        let is_main = self
            .track
            .as_ref()
            .is_some_and(|t| t.track.kind == TrackKind::Main);
        let rel = depth - track_depth;

        // Main-track automation envelopes (the tempo envelope lives here from Live 10 on).
        if is_main {
            if name == b"AutomationEnvelope" && rel == 3 && !empty {
                self.envelope = Some(EnvelopeState {
                    depth,
                    target: None,
                    points: Vec::new(),
                });
                return;
            }
            if let Some(env) = self.envelope.as_mut() {
                match name {
                    b"PointeeId" if self.stack.tail_is(&[b"EnvelopeTarget"]) => {
                        env.target = value().and_then(integer).map(|v| v as u32);
                    }
                    b"FloatEvent" => {
                        if let (Some(t), Some(v)) = (
                            raw_attr(attrs, b"Time").and_then(number),
                            value().and_then(number),
                        ) {
                            env.points.push(AutomationPoint { time: t, value: v });
                        }
                    }
                    _ => {}
                }
                return;
            }
        }

        let track = match self.track.as_mut() {
            Some(t) => t,
            None => return,
        };
        match name {
            b"EffectiveName" | b"UserName"
                if rel == 2 && self.stack.name_of(depth - 1) == b"Name" =>
            {
                let v = value().map(text).unwrap_or_default();
                if name == b"EffectiveName" {
                    track.track.effective_name = v;
                } else {
                    track.track.user_name = v;
                }
            }
            b"Color" | b"ColorIndex" if rel == 1 => {
                track.track.color = value().and_then(integer);
            }
            b"TrackGroupId" if rel == 1 => {
                track.track.group_id = value()
                    .and_then(integer)
                    .and_then(|v| u32::try_from(v).ok());
            }
            b"Manual" => {
                let Some(v) = value() else { return };
                if self.stack.tail_is(&[b"DeviceChain", b"Mixer", b"Speaker"]) && rel == 4 {
                    track.track.muted = boolean(v).map(|on| !on);
                } else if is_main && self.stack.tail_is(&[b"Mixer", b"Tempo"]) {
                    if let Some(set) = self.set.as_mut() {
                        set.tempo = number(v);
                    }
                } else if is_main
                    && self.stack.tail_is(&[b"Mixer", b"TimeSignature"])
                    && let Some(set) = self.set.as_mut()
                    && let Some(ts) = integer(v).and_then(TimeSignature::from_live_enum)
                {
                    set.time_signature = ts;
                }
            }
            b"SoloSink" if rel == 3 && self.stack.tail_is(&[b"DeviceChain", b"Mixer"]) => {
                track.track.solo = value().and_then(boolean);
            }
            b"IsArmed" if self.stack.tail_is(&[b"Recorder"]) => {
                track.track.armed = value().and_then(boolean);
            }
            b"AutomationTarget" if is_main && self.stack.tail_is(&[b"Mixer", b"Tempo"]) => {
                self.tempo_target = raw_attr(attrs, b"Id").and_then(integer).map(|v| v as u32);
            }
            b"FloatEvent"
                if is_main
                    && self.stack.tail_is(&[
                        b"Mixer",
                        b"Tempo",
                        b"ArrangerAutomation",
                        b"Events",
                    ]) =>
            {
                if let (Some(t), Some(v)) = (
                    raw_attr(attrs, b"Time").and_then(number),
                    value().and_then(number),
                ) {
                    self.live9_tempo_events
                        .push(AutomationPoint { time: t, value: v });
                }
            }
            b"EnumEvent"
                if is_main
                    && self.stack.tail_is(&[
                        b"Mixer",
                        b"TimeSignature",
                        b"ArrangerAutomation",
                        b"Events",
                    ])
                    && raw_attr(attrs, b"Time").and_then(number) == Some(DEFAULT_EVENT_TIME) =>
            {
                // Live 8 has no Manual time signature: the default event holds it.
                if let Some(set) = self.set.as_mut()
                    && let Some(ts) = value()
                        .and_then(integer)
                        .and_then(TimeSignature::from_live_enum)
                {
                    set.time_signature = ts;
                }
            }
            _ => {}
        }
    }

    fn start_clip(&mut self, name: &[u8], attrs: &[u8], depth: usize, track_depth: usize) {
        let mut location = None;
        let mut frozen = false;
        for i in track_depth + 1..depth {
            match self.stack.name_of(i) {
                b"FreezeSequencer" => frozen = true,
                b"ArrangerAutomation" if location.is_none() => {
                    location = Some(ClipLocation::Arrangement)
                }
                b"ClipSlot" if location.is_none() => {
                    location = Some(ClipLocation::Session {
                        slot: self.stack.frames[i].id.unwrap_or(0),
                    })
                }
                b"TakeLane" => {
                    location = Some(ClipLocation::TakeLane {
                        lane: self.stack.frames[i].id.unwrap_or(0),
                    })
                }
                _ => {}
            }
        }
        let location = if frozen {
            ClipLocation::Frozen
        } else {
            location.unwrap_or(ClipLocation::Arrangement)
        };
        let id = raw_attr(attrs, b"Id")
            .and_then(integer)
            .and_then(|v| u32::try_from(v).ok());
        let Some(track) = self.track.as_mut() else {
            return;
        };
        let key = match (location, id) {
            (ClipLocation::Session { slot }, _) => format!("session:{slot}"),
            (ClipLocation::Arrangement, Some(id)) => format!("arrangement#{id}"),
            (ClipLocation::Frozen, Some(id)) => format!("frozen#{id}"),
            (ClipLocation::TakeLane { lane }, Some(id)) => format!("take:{lane}#{id}"),
            (loc, None) => {
                track.arrangement_ordinal = track.arrangement_ordinal.saturating_add(1);
                let prefix = match loc {
                    ClipLocation::Frozen => "frozen".to_string(),
                    ClipLocation::TakeLane { lane } => format!("take:{lane}"),
                    _ => "arrangement".to_string(),
                };
                format!("{prefix}@{}", track.arrangement_ordinal)
            }
        };
        let kind = if name == b"MidiClip" {
            ClipKind::Midi
        } else {
            ClipKind::Audio
        };
        self.clip = Some(ClipState {
            depth,
            clip: Clip {
                key,
                kind,
                location,
                name: String::new(),
                time: raw_attr(attrs, b"Time").and_then(number).unwrap_or(0.0),
                start: 0.0,
                end: 0.0,
                loop_on: None,
                loop_start: None,
                loop_end: None,
                color: None,
                disabled: false,
                note_count: 0,
                notes_digest: None,
                sample: None,
            },
            hash: FNV_OFFSET,
        });
    }

    fn start_in_device(
        &mut self,
        name: &[u8],
        attrs: &[u8],
        depth: usize,
        empty: bool,
        track_depth: usize,
    ) {
        let value = || raw_attr(attrs, b"Value");
        if self.stack.parent_is(b"Devices") {
            if empty {
                return;
            }
            let Some(track) = self.track.as_mut() else {
                return;
            };
            let class = String::from_utf8_lossy(name).into_owned();
            let id = raw_attr(attrs, b"Id")
                .and_then(integer)
                .and_then(|v| u32::try_from(v).ok());
            let mut key = String::new();
            for i in track_depth + 1..depth {
                let f = &self.stack.frames[i];
                if f.kind == FrameKind::Other {
                    continue;
                }
                key.push_str(&String::from_utf8_lossy(
                    &self.stack.names[f.name.0 as usize..f.name.1 as usize],
                ));
                if let Some(id) = f.id {
                    key.push('#');
                    key.push_str(&id.to_string());
                }
                key.push('/');
            }
            key.push_str(&class);
            if let Some(id) = id {
                key.push('#');
                key.push_str(&id.to_string());
            }
            let index = track.track.devices.len();
            track.track.devices.push(Device {
                key,
                depth: self.devices.len() as u32,
                name: builtin_device_name(&class).to_string(),
                class,
                user_name: None,
                plugin: None,
                max_patch: None,
                on: None,
                parameters: Vec::new(),
            });
            self.devices.push((depth, index));
            return;
        }
        let Some(&(dev_depth, dev_index)) = self.devices.last() else {
            return;
        };
        let rel = depth - dev_depth;
        let parent_serial = self.stack.frames.last().map(|f| f.serial).unwrap_or(0);
        match name {
            b"Manual" => {
                let Some(v) = value() else { return };
                let key = self.stack.label_path(dev_depth + 1, depth, false);
                let label = match &self.label {
                    Some((serial, label))
                        if depth >= 2 && self.stack.frames[depth - 2].serial == *serial =>
                    {
                        Some(label.clone())
                    }
                    _ => None,
                };
                let value = text(v);
                let Some(track) = self.track.as_mut() else {
                    return;
                };
                let device = &mut track.track.devices[dev_index];
                if rel == 2 && key == "On" {
                    device.on = boolean(v);
                }
                let name = label.unwrap_or_else(|| {
                    key.split('/')
                        .map(|s| s.split('#').next().unwrap_or(s))
                        .collect::<Vec<_>>()
                        .join("/")
                });
                device.parameters.push(Parameter { key, name, value });
            }
            b"ParameterName" | b"Name" if rel >= 3 => {
                if let Some(v) = value() {
                    self.label = Some((parent_serial, text(v)));
                }
                self.plugin_field(name, attrs, dev_index);
            }
            b"UserName" if rel == 1 => {
                if let Some(v) = value().map(text).filter(|v| !v.is_empty())
                    && let Some(track) = self.track.as_mut()
                {
                    track.track.devices[dev_index].user_name = Some(v);
                }
            }
            b"VstPluginInfo" | b"Vst3PluginInfo" | b"AuPluginInfo"
                if self.stack.parent_is(b"PluginDesc") =>
            {
                let format = match name {
                    b"VstPluginInfo" => PluginFormat::Vst,
                    b"Vst3PluginInfo" => PluginFormat::Vst3,
                    _ => PluginFormat::AudioUnit,
                };
                if let Some(track) = self.track.as_mut() {
                    track.track.devices[dev_index].plugin = Some(Plugin {
                        format,
                        name: String::new(),
                        vendor: None,
                    });
                }
            }
            _ => self.plugin_field(name, attrs, dev_index),
        }
    }

    /// Plug-in names, vendors and Max patch files inside the innermost device.
    fn plugin_field(&mut self, name: &[u8], attrs: &[u8], dev_index: usize) {
        let Some(v) = raw_attr(attrs, b"Value") else {
            return;
        };
        let parent = match self.stack.frames.last() {
            Some(f) => &self.stack.names[f.name.0 as usize..f.name.1 as usize],
            None => return,
        };
        let plugin_info = matches!(
            parent,
            b"VstPluginInfo" | b"Vst3PluginInfo" | b"AuPluginInfo"
        );
        let patch = parent == b"FileRef"
            && self.stack.frames.len() >= 4
            && self.stack.name_of(self.stack.frames.len() - 4) == b"PatchSlot";
        if !plugin_info && !patch {
            return;
        }
        let Some(track) = self.track.as_mut() else {
            return;
        };
        let device = &mut track.track.devices[dev_index];
        if plugin_info {
            let Some(plugin) = device.plugin.as_mut() else {
                return;
            };
            match (parent, name) {
                (b"VstPluginInfo", b"PlugName")
                | (b"Vst3PluginInfo" | b"AuPluginInfo", b"Name") => plugin.name = text(v),
                (b"AuPluginInfo", b"Manufacturer") => plugin.vendor = Some(text(v)),
                _ => {}
            }
        } else if matches!(name, b"RelativePath" | b"Path" | b"Name") {
            let v = text(v);
            let file = v.rsplit(['/', '\\']).next().unwrap_or(&v).to_string();
            if !file.is_empty() && (device.max_patch.is_none() || name == b"Name") {
                device.max_patch = Some(file);
            }
        }
    }

    fn end(&mut self) {
        let Some(frame) = self.stack.frames.pop() else {
            return;
        };
        self.stack.names.truncate(frame.name.0 as usize);
        let depth = self.stack.frames.len();

        if self.sample.as_ref().is_some_and(|s| s.depth == depth) {
            if let Some(sample) = self.sample.take() {
                self.finish_sample(sample);
            }
            return;
        }
        if self.devices.last().is_some_and(|&(d, _)| d == depth) {
            self.devices.pop();
            return;
        }
        if self.clip.as_ref().is_some_and(|c| c.depth == depth) {
            if let (Some(mut clip), Some(track)) = (self.clip.take(), self.track.as_mut()) {
                if clip.clip.kind == ClipKind::Midi {
                    clip.clip.notes_digest = Some(format!("{:016x}", clip.hash));
                }
                track.track.clips.push(clip.clip);
            }
            return;
        }
        if self.envelope.as_ref().is_some_and(|e| e.depth == depth) {
            if let Some(env) = self.envelope.take()
                && let Some(target) = env.target
            {
                self.main_envelopes.push((target, env.points));
            }
            return;
        }
        if self.track.as_ref().is_some_and(|t| t.depth == depth) {
            if let (Some(state), Some(set)) = (self.track.take(), self.set.as_mut()) {
                let mut track = state.track;
                track.name = if track.user_name.is_empty() {
                    track.effective_name.clone()
                } else {
                    track.user_name.clone()
                };
                make_unique(track.devices.iter_mut().map(|d| &mut d.key));
                make_unique(track.clips.iter_mut().map(|c| &mut c.key));
                for device in &mut track.devices {
                    if let Some(user) = &device.user_name {
                        device.name = user.clone();
                    } else if let Some(plugin) = &device.plugin
                        && !plugin.name.is_empty()
                    {
                        device.name = plugin.name.clone();
                    } else if let Some(patch) = &device.max_patch {
                        device.name = patch.strip_suffix(".amxd").unwrap_or(patch).to_string();
                    }
                }
                if track.kind == TrackKind::Main {
                    set.main_track = Some(track);
                } else {
                    set.tracks.push(track);
                }
            }
            return;
        }
        if self.locator.as_ref().is_some_and(|(d, _)| *d == depth) {
            if let (Some((_, locator)), Some(set)) = (self.locator.take(), self.set.as_mut()) {
                set.locators.push(locator);
            }
            return;
        }
        if self.scene.as_ref().is_some_and(|(d, _)| *d == depth)
            && let (Some((_, scene)), Some(set)) = (self.scene.take(), self.set.as_mut())
        {
            set.scenes.push(scene);
        }
    }

    fn finish_sample(&mut self, s: SampleState) {
        let relative = s.relative.or_else(|| {
            if s.has_relative == Some(false) || s.file_name.is_none() {
                return None;
            }
            let mut parts: Vec<&str> = s
                .relative_dirs
                .iter()
                .map(|d| if d.is_empty() { ".." } else { d.as_str() })
                .collect();
            parts.push(s.file_name.as_deref().unwrap_or_default());
            Some(parts.join("/"))
        });
        let path = s.path.or_else(|| {
            let name = s.file_name.as_ref()?;
            if s.hint_dirs.is_empty() {
                return None;
            }
            let joined = s.hint_dirs.join("/");
            if s.hint_dirs[0].ends_with(':') {
                Some(format!("{joined}/{name}"))
            } else {
                Some(format!("/{joined}/{name}"))
            }
        });
        if path.is_none() && relative.is_none() {
            return;
        }
        let inside_project = match s.relative_type {
            Some(t) => t == 3,
            None => relative.as_deref().is_some_and(|r| !r.starts_with("..")),
        };
        let sample = SampleRef {
            path,
            relative_path: relative,
            inside_project,
            location: SampleLocation::from_code(s.relative_type),
        };
        if let Some(clip) = self.clip.as_mut() {
            clip.clip.sample = sample.path.clone().or_else(|| sample.relative_path.clone());
        }
        if let Some(set) = self.set.as_mut()
            && !set.samples.contains(&sample)
        {
            set.samples.push(sample);
        }
    }

    fn finish(mut self) -> Result<LiveSet, FormatError> {
        if let Some(frame) = self.stack.frames.last() {
            return Err(FormatError::TruncatedXml {
                open: String::from_utf8_lossy(
                    &self.stack.names[frame.name.0 as usize..frame.name.1 as usize],
                )
                .into_owned(),
            });
        }
        let Some(mut set) = self.set.take() else {
            return Err(FormatError::NoRootElement);
        };
        if !self.live_set_seen {
            return Err(FormatError::MissingLiveSet);
        }
        let mut points = std::mem::take(&mut self.live9_tempo_events);
        if let Some(target) = self.tempo_target
            && let Some((_, env)) = self.main_envelopes.iter_mut().find(|(t, _)| *t == target)
        {
            points = std::mem::take(env);
        }
        if set.tempo.is_none() {
            set.tempo = points
                .iter()
                .find(|p| p.time <= DEFAULT_EVENT_TIME + 1.0)
                .map(|p| p.value);
        }
        set.tempo_automated = points.iter().any(|p| p.time > DEFAULT_EVENT_TIME + 1.0);
        set.tempo_automation = points;
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Ableton MajorVersion="5" MinorVersion="11.0_11300" Creator="Ableton Live 11.3.21">
	<LiveSet>
		<Tracks>
			<MidiTrack Id="7">
				<Name>
					<EffectiveName Value="1-MIDI" />
					<UserName Value="Bass &amp; Sub" />
				</Name>
				<Color Value="12" />
				<TrackGroupId Value="-1" />
				<DeviceChain>
					<Mixer>
						<Speaker><Manual Value="false" /></Speaker>
					</Mixer>
					<MainSequencer>
						<ClipTimeable><ArrangerAutomation><Events>
							<MidiClip Id="3" Time="16">
								<CurrentStart Value="16" />
								<CurrentEnd Value="32" />
								<Name Value="Intro" />
								<Notes><KeyTracks><KeyTrack Id="0"><Notes>
									<MidiNoteEvent Time="0" Duration="1" Velocity="100" />
									<MidiNoteEvent Time="1" Duration="1" Velocity="90" />
								</Notes><MidiKey Value="36" /></KeyTrack></KeyTracks></Notes>
							</MidiClip>
						</Events></ArrangerAutomation></ClipTimeable>
					</MainSequencer>
					<DeviceChain>
						<Devices>
							<PluginDevice Id="2">
								<On><Manual Value="true" /></On>
								<PluginDesc>
									<Vst3PluginInfo Id="0"><Name Value="Pro-Q 3" /></Vst3PluginInfo>
								</PluginDesc>
								<ParameterList>
									<PluginFloatParameter Id="4">
										<ParameterName Value="Band 1 Gain" />
										<ParameterValue><Manual Value="0.5" /></ParameterValue>
									</PluginFloatParameter>
								</ParameterList>
							</PluginDevice>
						</Devices>
					</DeviceChain>
				</DeviceChain>
			</MidiTrack>
		</Tracks>
		<MainTrack>
			<DeviceChain>
				<Mixer>
					<Tempo><Manual Value="128" /><AutomationTarget Id="9" /></Tempo>
					<TimeSignature><Manual Value="200" /></TimeSignature>
				</Mixer>
			</DeviceChain>
		</MainTrack>
		<Locators><Locators>
			<Locator Id="1"><Time Value="64" /><Name Value="Drop" /></Locator>
		</Locators></Locators>
	</LiveSet>
</Ableton>
"#;

    #[test]
    fn parses_a_minimal_set() {
        let set = parse_als(SET.as_bytes()).expect("parses");
        assert_eq!(set.live_version(), "11.3.21");
        assert_eq!(set.tempo, Some(128.0));
        assert_eq!(
            set.time_signature,
            TimeSignature {
                numerator: 3,
                denominator: 4
            }
        );
        let track = &set.tracks[0];
        assert_eq!((track.id, track.kind), (Some(7), TrackKind::Midi));
        assert_eq!(track.name, "Bass & Sub");
        assert_eq!(
            (track.color, track.group_id, track.muted),
            (Some(12), None, Some(true))
        );
        let clip = &track.clips[0];
        assert_eq!(
            (clip.key.as_str(), clip.name.as_str()),
            ("arrangement#3", "Intro")
        );
        assert_eq!(
            (clip.time, clip.start, clip.end, clip.note_count),
            (16.0, 16.0, 32.0, 2)
        );
        let device = &track.devices[0];
        assert_eq!(device.name, "Pro-Q 3");
        assert_eq!(device.on, Some(true));
        assert_eq!(
            device.plugin.as_ref().map(|p| p.format),
            Some(PluginFormat::Vst3)
        );
        let gain = &device.parameters[1];
        assert_eq!(gain.name, "Band 1 Gain");
        assert_eq!(
            gain.key,
            "ParameterList/PluginFloatParameter#4/ParameterValue"
        );
        assert_eq!(gain.value, "0.5");
        assert_eq!(set.locators[0].name, "Drop");
        assert_eq!(set.locators[0].time, 64.0);
    }

    #[test]
    fn live8_tempo_comes_from_the_default_event() {
        let xml = r#"<Ableton Creator="Ableton Live 8.2"><LiveSet><MasterTrack><DeviceChain><Mixer>
            <Tempo><ArrangerAutomation><Events><FloatEvent Time="-63072000" Value="97" /></Events></ArrangerAutomation></Tempo>
            </Mixer></DeviceChain></MasterTrack></LiveSet></Ableton>"#;
        let set = parse_als(xml.as_bytes()).expect("parses");
        assert_eq!(set.tempo, Some(97.0));
        assert!(!set.tempo_automated);
    }

    #[test]
    fn bad_documents_are_errors() {
        assert!(matches!(
            parse_als(&b""[..]),
            Err(FormatError::Empty { .. })
        ));
        assert!(matches!(
            parse_als(&b"<note><to>x</to></note>"[..]),
            Err(FormatError::NotLiveSet { .. })
        ));
        assert!(matches!(
            parse_als(&b"<Ableton><Clip /></Ableton>"[..]),
            Err(FormatError::MissingLiveSet)
        ));
        assert!(matches!(
            parse_als(&b"<?xml version=\"1.0\"?>\n"[..]),
            Err(FormatError::NoRootElement)
        ));
        assert!(matches!(
            parse_als(&SET.as_bytes()[..SET.len() / 2]),
            Err(FormatError::TruncatedXml { .. } | FormatError::Xml { .. })
        ));
        assert!(matches!(
            parse_als(&b"<Ableton><LiveSet></Tracks></LiveSet></Ableton>"[..]),
            Err(FormatError::Xml { .. })
        ));
        assert!(matches!(
            parse_als(&b"\x1f\x8b\x08\x00garbage"[..]),
            Err(FormatError::Read(_))
        ));
    }

    #[test]
    fn time_signature_encoding() {
        let ts = |v| TimeSignature::from_live_enum(v).map(|t| (t.numerator, t.denominator));
        assert_eq!(ts(201), Some((4, 4)));
        assert_eq!(ts(99 * 3 + 5), Some((6, 8)));
        assert_eq!(ts(-1), None);
        assert_eq!(
            raw_attr(b" Id=\"3\" Value=\"x\"", b"Value"),
            Some(&b"x"[..])
        );
        assert_eq!(raw_attr(b" XValue=\"3\"", b"Value"), None);
    }
}
