//! The musical name of what both sides changed: which unit of the set a conflicting element
//! belongs to (the tempo, a track's name, a device parameter, a clip, a locator…), a stable key for
//! it (what a choice names), and the words that describe it to a producer ("Tempo: 120 on main,
//! 128 on laptop"; "Track 'Bass': device 'EQ Eight' changed on both sides").
//!
//! Everything is read from the element's byte ranges in the three documents; nothing here decides
//! how the merge goes.

use crate::formats::als::{TimeSignature, builtin_device_name};
use crate::formats::project::format_number;
use crate::formats::semdiff::bar_position;

use super::engine::{DecisionKind, Frame, Src, UnitRecord};
use super::policy;
use super::xml::{self, Node};

/// A unit of the set a producer names.
#[derive(Clone, Debug)]
pub(super) struct Unit {
    /// Stable across runs of the same merge: what a choice is keyed by.
    pub key: String,
    /// "Tempo", "Track 'Bass'", "Track 'Bass': device 'EQ Eight'".
    pub name: String,
    pub what: What,
}

/// What the unit is, for its description.
#[derive(Clone, Debug)]
pub(super) enum What {
    /// A parameter (its `Manual` value): the tempo, a volume, a device's knob.
    Parameter(Frame),
    /// The main track's time signature.
    TimeSignature(Frame),
    /// A track's name.
    TrackName(Frame),
    /// A clip.
    Clip(Frame),
    Other,
}

fn text(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    match quick_xml::escape::unescape(&s) {
        Ok(u) => u.into_owned(),
        Err(_) => s.into_owned(),
    }
}

/// The frame's element in the first document that has it: the base (the name both sides knew),
/// else ours, else theirs.
fn any_node<'d>(docs: &[&'d [u8]; 3], f: &Frame) -> Option<(&'d [u8], Node)> {
    [Src::Base, Src::Ours, Src::Theirs]
        .into_iter()
        .find_map(|s| f.nodes[s as usize].map(|n| (docs[s as usize], n)))
}

fn value_in(docs: &[&[u8]; 3], f: &Frame, path: &[&[u8]]) -> Option<String> {
    let (doc, node) = any_node(docs, f)?;
    xml::value_at(doc, &node, path).map(text)
}

fn keys(frames: &[Frame]) -> String {
    frames
        .iter()
        .map(Frame::key_text)
        .collect::<Vec<_>>()
        .join("/")
}

fn names(frames: &[Frame]) -> String {
    frames
        .iter()
        .map(|f| String::from_utf8_lossy(&f.name).into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn track_label(docs: &[&[u8]; 3], track: &Frame) -> String {
    match value_in(docs, track, &[b"Name", b"EffectiveName"]) {
        Some(n) if !n.is_empty() => format!("Track '{n}'"),
        _ => format!("Track {}", track.id.as_deref().unwrap_or("?")),
    }
}

fn device_label(docs: &[&[u8]; 3], device: &Frame) -> String {
    if let Some(n) = value_in(docs, device, &[b"UserName"]).filter(|n| !n.is_empty()) {
        return n;
    }
    let class = String::from_utf8_lossy(&device.name).into_owned();
    if let Some((doc, node)) = any_node(docs, device)
        && let Some(desc) = xml::find_descendant(doc, &node, b"PluginDesc")
    {
        let plug = xml::find_descendant(doc, &desc, b"PlugName")
            .or_else(|| {
                let info = xml::children(doc, &desc).ok()?.nodes.first().copied()?;
                xml::children(doc, &info)
                    .ok()?
                    .nodes
                    .into_iter()
                    .find(|n| n.name(doc) == b"Name")
            })
            .and_then(|n| n.attr(doc, b"Value"))
            .map(text);
        if let Some(p) = plug.filter(|p| !p.is_empty()) {
            return p;
        }
    }
    builtin_device_name(&class).to_string()
}

/// The name of a parameter element: the plug-in's or Max device's own name for it where the set
/// stores one, else its element path below the device (`Bands.3/ParameterA/Gain`).
fn parameter_label(docs: &[&[u8]; 3], frames: &[Frame]) -> String {
    if let Some(last) = frames.last()
        && let Some(n) = value_in(docs, last, &[b"ParameterName"])
            .or_else(|| value_in(docs, last, &[b"Name"]))
            .filter(|n| !n.is_empty())
    {
        return n;
    }
    names(frames)
}

/// Mixer parameters in the words of Live's mixer.
fn mixer_label(frames: &[Frame]) -> Option<String> {
    let last = frames.last()?;
    Some(match last.name.as_slice() {
        b"Volume" => "volume".into(),
        b"Pan" => "pan".into(),
        b"Speaker" => "track activator (on/off)".into(),
        b"SoloSink" => "solo".into(),
        b"CrossFadeState" => "crossfader assignment".into(),
        b"Send" => {
            let holder = frames.iter().rev().find(|f| f.name == b"TrackSendHolder")?;
            let n: u32 = holder.id.as_deref()?.parse().ok()?;
            let letter = char::from_u32(u32::from(b'A') + n).unwrap_or('?');
            format!("send {letter}")
        }
        _ => return None,
    })
}

/// The unit the element `path` ends with belongs to. `path` starts at the root (`Ableton`).
pub(super) fn unit(docs: &[&[u8]; 3], path: &[Frame]) -> Unit {
    let other = |key: String, name: String| Unit {
        key,
        name,
        what: What::Other,
    };
    if path.len() < 3 {
        return other("set".into(), "The set".into());
    }
    let top = &path[2];
    let rest = &path[3..];
    match top.name.as_slice() {
        b"Tracks" => match rest.split_first() {
            None => other("tracks".into(), "Track list".into()),
            Some((track, below)) => {
                let key = format!("track {}", track.id.as_deref().unwrap_or("?"));
                in_track(docs, &key, &track_label(docs, track), below, false)
            }
        },
        b"MasterTrack" | b"MainTrack" => in_track(docs, "main", "Main track", rest, true),
        b"PreHearTrack" => in_track(docs, "prehear", "Preview track", rest, false),
        b"Locators" => match path.iter().position(|f| f.name == b"Locator") {
            Some(i) => {
                let f = &path[i];
                let name = value_in(docs, f, &[b"Name"]).unwrap_or_default();
                other(
                    format!("locator {}", f.id.as_deref().unwrap_or("?")),
                    format!("Locator '{name}'"),
                )
            }
            None => other("locators".into(), "Locators".into()),
        },
        b"Scenes" => match rest.first() {
            Some(f) => {
                let name = value_in(docs, f, &[b"Name"])
                    .or_else(|| any_node(docs, f).and_then(|(d, n)| n.attr(d, b"Value").map(text)))
                    .unwrap_or_default();
                let label = if name.is_empty() {
                    format!("Scene {}", f.key_text())
                } else {
                    format!("Scene '{name}'")
                };
                other(format!("scene {}", f.key_text()), label)
            }
            None => other("scenes".into(), "Scenes".into()),
        },
        _ => {
            let below = &path[2..];
            other(
                format!("set/{}", keys(below)),
                format!("Set: {}", names(below)),
            )
        }
    }
}

fn in_track(docs: &[&[u8]; 3], key: &str, label: &str, rest: &[Frame], main: bool) -> Unit {
    let unit = |key: String, name: String, what: What| Unit { key, name, what };
    // Automation belongs to the parameter it automates.
    if let Some(i) = rest.iter().position(|f| f.name == b"AutomationEnvelope") {
        if let Some(u) = envelope_target(docs, &rest[i]) {
            return u;
        }
        return unit(
            format!("{key}/{}", keys(&rest[..=i])),
            format!("{label}: automation"),
            What::Other,
        );
    }
    if rest.first().is_some_and(|f| f.name == b"Name") {
        return unit(
            format!("{key}/name"),
            label.to_string(),
            What::TrackName(rest[0].clone()),
        );
    }
    if let Some(i) = rest
        .iter()
        .position(|f| f.name == b"AudioClip" || f.name == b"MidiClip")
    {
        let clip = &rest[i];
        let name = value_in(docs, clip, &[b"Name"]).unwrap_or_default();
        let clip_label = if name.is_empty() {
            "clip".to_string()
        } else {
            format!("clip '{name}'")
        };
        return unit(
            format!("{key}/{}", keys(&rest[..=i])),
            format!("{label}: {clip_label}"),
            What::Clip(clip.clone()),
        );
    }
    let device = (1..rest.len())
        .rev()
        .find(|&i| rest[i - 1].name == b"Devices");
    let parameter = (1..rest.len())
        .rev()
        .find(|&i| policy::is_parameter_part(&rest[i].name))
        .map(|i| i - 1);
    if let Some(d) = device {
        let device_name = device_label(docs, &rest[d]);
        return match parameter.filter(|&p| p > d) {
            Some(p) => unit(
                format!("{key}/{}", keys(&rest[..=p])),
                format!(
                    "{label}: device '{device_name}' parameter '{}'",
                    parameter_label(docs, &rest[d + 1..=p])
                ),
                What::Parameter(rest[p].clone()),
            ),
            None => unit(
                format!("{key}/{}", keys(&rest[..=d])),
                format!("{label}: device '{device_name}'"),
                What::Other,
            ),
        };
    }
    if let Some(p) = parameter {
        let frames = &rest[..=p];
        let param = &rest[p];
        if main && param.name == b"Tempo" {
            return unit(
                "tempo".into(),
                "Tempo".into(),
                What::Parameter(param.clone()),
            );
        }
        if main && param.name == b"TimeSignature" {
            return unit(
                "time-signature".into(),
                "Time signature".into(),
                What::TimeSignature(param.clone()),
            );
        }
        let what = mixer_label(frames).unwrap_or_else(|| names(frames));
        return unit(
            format!("{key}/{}", keys(frames)),
            format!("{label}: {what}"),
            What::Parameter(param.clone()),
        );
    }
    match rest.last() {
        None => unit(key.to_string(), label.to_string(), What::Other),
        Some(last) if last.name == b"Devices" => unit(
            format!("{key}/{}", keys(rest)),
            format!("{label}: device chain"),
            What::Other,
        ),
        Some(_) => unit(
            format!("{key}/{}", keys(rest)),
            format!("{label}: {}", names(rest)),
            What::Other,
        ),
    }
}

/// The unit of the parameter an automation envelope automates (its `EnvelopeTarget/PointeeId`,
/// found among the pointees of each document that defines it).
fn envelope_target(docs: &[&[u8]; 3], envelope: &Frame) -> Option<Unit> {
    let target = value_in(docs, envelope, &[b"EnvelopeTarget", b"PointeeId"])?;
    let mut frames: Option<Vec<Frame>> = None;
    for src in [Src::Base, Src::Ours, Src::Theirs] {
        let doc = docs[src as usize];
        let Some(nodes) = find_pointee(doc, target.as_bytes()).and_then(|at| xml::path_to(doc, at))
        else {
            continue;
        };
        let side: Vec<Frame> = nodes
            .into_iter()
            .map(|(n, ordinal)| {
                let mut three = [None; 3];
                three[src as usize] = Some(n);
                Frame {
                    name: n.name(doc).to_vec(),
                    id: n.id(doc).map(|i| String::from_utf8_lossy(i).into_owned()),
                    ordinal,
                    nodes: three,
                }
            })
            .collect();
        match &mut frames {
            None => frames = Some(side),
            // The same element in another document: its nodes join the first one's frames.
            Some(first) => {
                let same = first.len() == side.len()
                    && first
                        .iter()
                        .zip(&side)
                        .all(|(a, b)| a.name == b.name && a.id == b.id && a.ordinal == b.ordinal);
                if same {
                    for (a, b) in first.iter_mut().zip(side) {
                        a.nodes[src as usize] = b.nodes[src as usize];
                    }
                }
            }
        }
    }
    let frames = frames?;
    if frames.iter().any(|f| f.name == b"AutomationEnvelope") {
        return None;
    }
    Some(unit(docs, &frames))
}

/// Where the pointee `<…Target Id="N"` or `<Pointee Id="N"` starts.
pub(super) fn find_pointee(doc: &[u8], id: &[u8]) -> Option<usize> {
    let mut needle = b" Id=\"".to_vec();
    needle.extend_from_slice(id);
    needle.push(b'"');
    let mut from = 0;
    while let Some(p) = find(&doc[from..], &needle) {
        let at = from + p;
        let lt = doc[..at].iter().rposition(|&b| b == b'<')?;
        let name = &doc[lt + 1..at];
        if !name.iter().any(u8::is_ascii_whitespace) && policy::is_pointee(name) {
            return Some(lt);
        }
        from = at + needle.len();
    }
    None
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The set's time signature, from the main track (4/4 when it cannot be read).
fn time_signature(doc: &[u8]) -> TimeSignature {
    let read = || -> Option<TimeSignature> {
        let top = xml::scan(doc, 0, doc.len()).ok()?;
        let root = *top.nodes.iter().find(|n| n.name(doc) == b"Ableton")?;
        let set = *xml::children(doc, &root)
            .ok()?
            .nodes
            .iter()
            .find(|n| n.name(doc) == b"LiveSet")?;
        let main = *xml::children(doc, &set)
            .ok()?
            .nodes
            .iter()
            .find(|n| n.name(doc) == b"MasterTrack" || n.name(doc) == b"MainTrack")?;
        let v = xml::value_at(
            doc,
            &main,
            &[b"DeviceChain", b"Mixer", b"TimeSignature", b"Manual"],
        )?;
        TimeSignature::from_live_enum(std::str::from_utf8(v).ok()?.parse().ok()?)
    };
    read().unwrap_or_default()
}

fn number_text(raw: &str) -> String {
    match raw.parse::<f64>() {
        Ok(v) => format_number(v),
        Err(_) => raw.to_string(),
    }
}

/// What both sides did to a unit, in a producer's words, naming the two sides.
pub(super) fn describe(docs: &[&[u8]; 3], record: &UnitRecord, ours: &str, theirs: &str) -> String {
    let kinds = &record.kinds;
    if kinds.contains(&DecisionKind::RemovedOurs) {
        return format!("removed on {ours}, changed on {theirs}");
    }
    if kinds.contains(&DecisionKind::RemovedTheirs) {
        return format!("changed on {ours}, removed on {theirs}");
    }
    if kinds.contains(&DecisionKind::AddedBoth) {
        return "added on both sides, differently".into();
    }
    if kinds.contains(&DecisionKind::Order) {
        return "reordered on both sides, differently".into();
    }
    let both = |f: &Frame, path: &[&[u8]]| -> Option<(String, String)> {
        let one = |s: Src| {
            let n = f.nodes[s as usize]?;
            xml::value_at(docs[s as usize], &n, path).map(text)
        };
        Some((one(Src::Ours)?, one(Src::Theirs)?))
    };
    let changed = "changed on both sides".to_string();
    match &record.unit.what {
        What::Parameter(f) => match both(f, &[b"Manual"]) {
            Some((o, t)) if o != t => {
                format!(
                    "{} on {ours}, {} on {theirs}",
                    number_text(&o),
                    number_text(&t)
                )
            }
            _ => changed,
        },
        What::TimeSignature(f) => match both(f, &[b"Manual"]) {
            Some((o, t)) if o != t => {
                let sig = |v: &str| {
                    v.parse()
                        .ok()
                        .and_then(TimeSignature::from_live_enum)
                        .map_or(v.to_string(), |s| {
                            format!("{}/{}", s.numerator, s.denominator)
                        })
                };
                format!("{} on {ours}, {} on {theirs}", sig(&o), sig(&t))
            }
            _ => changed,
        },
        What::TrackName(f) => match both(f, &[b"EffectiveName"]) {
            Some((o, t)) if o != t => format!("renamed '{o}' on {ours}, '{t}' on {theirs}"),
            _ => changed,
        },
        What::Clip(f) => {
            let time = |s: Src| {
                let n = f.nodes[s as usize]?;
                let v = n.attr(docs[s as usize], b"Time")?;
                std::str::from_utf8(v).ok()?.parse::<f64>().ok()
            };
            // Length in beats: CurrentEnd - CurrentStart.
            let length = |s: Src| {
                let n = f.nodes[s as usize]?;
                let v = |name: &[u8]| -> Option<f64> {
                    let raw = xml::value_at(docs[s as usize], &n, &[name])?;
                    std::str::from_utf8(raw).ok()?.parse().ok()
                };
                Some(v(b"CurrentEnd")? - v(b"CurrentStart")?)
            };
            match (time(Src::Base), time(Src::Ours), time(Src::Theirs)) {
                (Some(b), Some(o), Some(t)) if o != b && t != b && o != t => {
                    let ts = time_signature(docs[Src::Ours as usize]);
                    format!(
                        "moved on both sides: to {} on {ours}, to {} on {theirs}",
                        bar_position(o, ts),
                        bar_position(t, ts)
                    )
                }
                _ => match (length(Src::Base), length(Src::Ours), length(Src::Theirs)) {
                    (Some(b), Some(o), Some(t)) if o != b && t != b && o != t => format!(
                        "resized on both sides: {} beats long on {ours}, {} on {theirs}",
                        format_number(o),
                        format_number(t)
                    ),
                    _ => changed,
                },
            }
        }
        What::Other => changed,
    }
}
