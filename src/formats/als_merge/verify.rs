//! What a Live set must satisfy to open in Live, read in one streaming pass: the facts of a
//! document (its ids, its references, the shape of its tracks), and the proof that the merged set
//! keeps every such property that both sides' sets had.
//!
//! The checks are relative on purpose: a property that one side's own set already breaks (a
//! dangling reference some tool left behind) is not demanded of the merge, which cannot be
//! expected to repair it; one that holds on both sides must hold in the result.

use std::collections::{BTreeSet, HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::policy;

/// The facts of one document.
#[derive(Debug, Default)]
pub(super) struct Facts {
    /// Pointee ids defined (`…Target Id`, `Pointee Id`).
    pub pointees: HashSet<u64>,
    /// Pointee ids defined more than once.
    pub pointee_dups: BTreeSet<u64>,
    pub max_pointee: Option<u64>,
    /// `LiveSet/NextPointeeId`: its value and where the value's digits are.
    pub next_pointee: Option<(u64, usize, usize)>,
    /// `PointeeId` references.
    pub pointee_refs: BTreeSet<u64>,
    /// The tracks of `LiveSet/Tracks`: element name and `Id`.
    pub tracks: Vec<(Vec<u8>, u64)>,
    /// Per track: its group (`TrackGroupId`, -1 for none).
    pub groups: Vec<i64>,
    /// Track ids named by routings (`AudioOut/Track.12/…`).
    pub routing_refs: BTreeSet<u64>,
    /// Per track: sends (`Mixer/Sends/TrackSendHolder`) and session clip slots.
    pub sends: Vec<usize>,
    pub slots: Vec<usize>,
    /// `LiveSet/Scenes/Scene` elements.
    pub scenes: usize,
    /// Element names carrying an `Id`, and those where two elements of that name share one.
    pub id_names: HashSet<Vec<u8>>,
    pub id_dups: BTreeSet<Vec<u8>>,
}

fn parse<T: std::str::FromStr>(raw: &[u8]) -> Option<T> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

/// `v` as a slice of `doc`, when it is one (a borrowed attribute value).
fn in_doc<'d>(doc: &'d [u8], v: &[u8]) -> Option<&'d [u8]> {
    let start = (v.as_ptr() as usize).checked_sub(doc.as_ptr() as usize)?;
    doc.get(start..start + v.len())
        .filter(|s| s.as_ptr() == v.as_ptr())
}

/// Track ids in a routing target's text: the `N` of each `/Track.N` (followed by `/` or the end).
fn routing_tracks(value: &[u8], out: &mut BTreeSet<u64>) {
    out.extend(super::ids::track_refs(value).map(|(_, _, n)| n));
}

/// The facts of `doc`, or why it is not well-formed XML with one `Ableton` root holding a `LiveSet`.
pub(super) fn facts(doc: &[u8]) -> Result<Facts, String> {
    let mut reader = Reader::from_reader(doc);
    reader.config_mut().trim_text(false);
    let mut f = Facts::default();
    let mut stack: Vec<&[u8]> = Vec::new();
    let mut roots = 0;
    let mut live_set = false;
    let mut ids: HashMap<&[u8], HashSet<&[u8]>> = HashMap::new();
    let at = |r: &Reader<&[u8]>| r.buffer_position();
    loop {
        let before = at(&reader) as usize;
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        let (e, empty): (BytesStart<'_>, bool) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Text(t) => {
                if stack.is_empty() && !t.iter().all(u8::is_ascii_whitespace) {
                    return Err("text outside the root element".into());
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name: &[u8] = &doc[before + 1..before + 1 + e.name().as_ref().len()];
        if stack.is_empty() {
            roots += 1;
            if roots > 1 || name != b"Ableton" {
                return Err(format!(
                    "the root element is `{}`, not one `Ableton`",
                    String::from_utf8_lossy(name)
                ));
            }
        }
        let mut id: Option<&[u8]> = None;
        let mut value: Option<&[u8]> = None;
        for a in e.attributes() {
            let a = a.map_err(|e| format!("{e} in a start tag at byte {before}"))?;
            // A slice reader borrows every attribute value from the document.
            let Some(v) = in_doc(doc, &a.value) else {
                continue;
            };
            match a.key.as_ref() {
                b"Id" => id = Some(v),
                b"Value" => value = Some(v),
                _ => {}
            }
        }
        let depth = stack.len();
        let parent = stack.last().copied();
        let in_tracks = depth >= 3 && stack[1] == b"LiveSet" && stack[2] == b"Tracks";
        if depth == 1 && name == b"LiveSet" {
            live_set = true;
        }
        if let Some(id) = id {
            f.id_names.insert(name.to_vec());
            if !ids.entry(name).or_default().insert(id) {
                f.id_dups.insert(name.to_vec());
            }
            if policy::is_pointee(name)
                && let Some(n) = parse::<u64>(id)
            {
                if !f.pointees.insert(n) {
                    f.pointee_dups.insert(n);
                }
                f.max_pointee = f.max_pointee.max(Some(n));
            }
        }
        if let Some(v) = value {
            if name == b"PointeeId"
                && let Some(n) = parse::<u64>(v)
            {
                f.pointee_refs.insert(n);
            }
            if depth == 2 && stack[1] == b"LiveSet" && name == b"NextPointeeId" {
                let s = v.as_ptr() as usize - doc.as_ptr() as usize;
                f.next_pointee = parse::<u64>(v).map(|n| (n, s, s + v.len()));
            }
            if v.windows(7).any(|w| w == b"/Track.") {
                routing_tracks(v, &mut f.routing_refs);
            }
        }
        if in_tracks && depth == 3 && policy::is_track(name) {
            let n = id.and_then(parse::<u64>).ok_or_else(|| {
                format!("a {} without a numeric Id", String::from_utf8_lossy(name))
            })?;
            f.tracks.push((name.to_vec(), n));
            f.groups.push(-1);
            f.sends.push(0);
            f.slots.push(0);
        }
        if in_tracks
            && depth == 4
            && name == b"TrackGroupId"
            && let (Some(g), Some(v)) = (f.groups.last_mut(), value)
        {
            *g = parse::<i64>(v).unwrap_or(-1);
        }
        if in_tracks
            && depth == 7
            && parent == Some(b"Sends")
            && name == b"TrackSendHolder"
            && stack[5] == b"Mixer"
            && let Some(s) = f.sends.last_mut()
        {
            *s += 1;
        }
        if in_tracks
            && depth == 7
            && parent == Some(b"ClipSlotList")
            && name == b"ClipSlot"
            && stack[5] == b"MainSequencer"
            && let Some(s) = f.slots.last_mut()
        {
            *s += 1;
        }
        if depth == 3 && stack[1] == b"LiveSet" && stack[2] == b"Scenes" && name == b"Scene" {
            f.scenes += 1;
        }
        if !empty {
            stack.push(name);
        }
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    if roots == 0 || !live_set {
        return Err("there is no `Ableton/LiveSet` element".into());
    }
    Ok(f)
}

impl Facts {
    /// The pointee id Live would hand out next: `NextPointeeId`, or one above the largest id for
    /// sets without it (Live 9).
    pub fn next_free_pointee(&self) -> u64 {
        match self.next_pointee {
            Some((n, _, _)) => n,
            None => self.max_pointee.map_or(0, |m| m + 1),
        }
    }

    fn track_ids(&self) -> HashSet<u64> {
        self.tracks.iter().map(|(_, id)| *id).collect()
    }

    fn dangling_pointee_refs(&self) -> BTreeSet<u64> {
        self.pointee_refs
            .iter()
            .filter(|r| !self.pointees.contains(r))
            .copied()
            .collect()
    }

    fn dangling_routing(&self) -> BTreeSet<u64> {
        let ids = self.track_ids();
        self.routing_refs
            .iter()
            .filter(|r| !ids.contains(r))
            .copied()
            .collect()
    }

    fn dangling_groups(&self) -> BTreeSet<i64> {
        let groups: HashSet<u64> = self
            .tracks
            .iter()
            .filter(|(k, _)| k == b"GroupTrack")
            .map(|(_, id)| *id)
            .collect();
        self.groups
            .iter()
            .filter(|&&g| g >= 0 && !groups.contains(&(g as u64)))
            .copied()
            .collect()
    }

    fn uniform(counts: &[usize]) -> Option<usize> {
        let first = *counts.first()?;
        counts.iter().all(|&c| c == first).then_some(first)
    }
}

/// Checks that `merged` keeps every property both `ours` and `theirs` have; `Err` says which it
/// breaks, in words.
pub(super) fn prove(merged: &Facts, ours: &Facts, theirs: &Facts) -> Result<(), String> {
    if let Some(n) = merged.pointee_dups.iter().next()
        && ours.pointee_dups.is_empty()
        && theirs.pointee_dups.is_empty()
    {
        return Err(format!("pointee id {n} would be used twice"));
    }
    if let (Some((next, _, _)), Some(max)) = (merged.next_pointee, merged.max_pointee)
        && next <= max
    {
        return Err(format!(
            "NextPointeeId {next} would not be above pointee id {max}"
        ));
    }
    let allowed: BTreeSet<u64> = ours
        .dangling_pointee_refs()
        .union(&theirs.dangling_pointee_refs())
        .copied()
        .collect();
    if let Some(r) = merged.dangling_pointee_refs().difference(&allowed).next() {
        return Err(format!(
            "an automation or modulation would point at target {r}, which is not in the merged set"
        ));
    }
    let mut seen = HashSet::new();
    if let Some((_, id)) = merged.tracks.iter().find(|(_, id)| !seen.insert(*id)) {
        return Err(format!("two tracks would have Id {id}"));
    }
    let allowed: BTreeSet<u64> = ours
        .dangling_routing()
        .union(&theirs.dangling_routing())
        .copied()
        .collect();
    if let Some(r) = merged.dangling_routing().difference(&allowed).next() {
        return Err(format!(
            "a routing would name track {r}, which is not in the merged set"
        ));
    }
    let allowed: BTreeSet<i64> = ours
        .dangling_groups()
        .union(&theirs.dangling_groups())
        .copied()
        .collect();
    if let Some(g) = merged.dangling_groups().difference(&allowed).next() {
        return Err(format!(
            "a track would be in group track {g}, which is not in the merged set"
        ));
    }
    if Facts::uniform(&ours.sends).is_some()
        && Facts::uniform(&theirs.sends).is_some()
        && Facts::uniform(&merged.sends).is_none()
    {
        return Err("the tracks would not all have the same sends (a return track was added or removed on one side while tracks were added on the other)".into());
    }
    let in_step = |f: &Facts| f.slots.iter().all(|&s| s == f.scenes);
    if in_step(ours) && in_step(theirs) && !in_step(merged) {
        return Err("the tracks' clip slots would not match the scenes (a scene was added or removed on one side while tracks were added on the other)".into());
    }
    if let Some(name) = merged
        .id_dups
        .iter()
        .find(|n| !ours.id_dups.contains(*n) && !theirs.id_dups.contains(*n))
    {
        return Err(format!(
            "two {} elements would share an Id",
            String::from_utf8_lossy(name)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_ids_are_read_from_targets() {
        let mut out = BTreeSet::new();
        routing_tracks(b"AudioOut/Track.12/TrackIn", &mut out);
        routing_tracks(b"AudioIn/Track.7", &mut out);
        routing_tracks(b"AudioIn/Track.x/TrackOut", &mut out);
        assert_eq!(out.into_iter().collect::<Vec<_>>(), [7, 12]);
    }

    #[test]
    fn facts_need_one_ableton_root_with_a_live_set() {
        assert!(facts(b"<Ableton><LiveSet /></Ableton>").is_ok());
        assert!(facts(b"<Other><LiveSet /></Other>").is_err());
        assert!(facts(b"<Ableton><Foo /></Ableton>").is_err());
        assert!(facts(b"<Ableton><LiveSet /></Ableton><Ableton />").is_err());
        assert!(facts(b"<Ableton><LiveSet A=\"1\" A=\"2\" /></Ableton>").is_err());
    }
}
