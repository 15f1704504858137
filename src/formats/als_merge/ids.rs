//! Ids the two sides handed out independently: Live numbers new pointees (automation and
//! modulation targets) from `NextPointeeId` and new tracks from the largest track `Id`, so two
//! sides that each added something use the same numbers. The other side's numbers are moved out of
//! the way: its new pointee ids are shifted above this side's, its new tracks that collide take
//! fresh ids, and every reference inside the other side's pieces follows (`PointeeId`,
//! `TrackGroupId`, routings `…/Track.N/…`). `NextPointeeId` is then raised above them all.

use std::collections::BTreeMap;

use super::engine::{Piece, Src};
use super::policy;
use super::xml::attr_range;

/// How the other side's ids are rewritten.
#[derive(Debug, Default)]
pub(super) struct Renumbering {
    /// The other side's pointee ids at or above this are its own new ones…
    pub pointee_from: u64,
    /// …and move up by this much (0: nothing moves).
    pub pointee_shift: u64,
    /// The other side's new tracks given fresh ids, old → new.
    pub tracks: BTreeMap<u64, u64>,
}

impl Renumbering {
    fn is_identity(&self) -> bool {
        self.pointee_shift == 0 && self.tracks.is_empty()
    }
}

/// The merged document: the pieces in order, the other side's rewritten.
pub(super) fn assemble(docs: &[&[u8]; 3], pieces: &[Piece], ren: &Renumbering) -> Vec<u8> {
    let len: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Slice(_, s, e) => e - s,
            Piece::Owned(b) => b.len(),
        })
        .sum();
    let mut out = Vec::with_capacity(len + 64);
    for p in pieces {
        match p {
            Piece::Slice(Src::Theirs, s, e) if !ren.is_identity() => {
                rewrite(&docs[Src::Theirs as usize][*s..*e], ren, &mut out)
            }
            Piece::Slice(src, s, e) => out.extend_from_slice(&docs[*src as usize][*s..*e]),
            Piece::Owned(b) => out.extend_from_slice(b),
        }
    }
    out
}

fn parse_u64(raw: &[u8]) -> Option<u64> {
    if raw.is_empty() || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(raw).ok()?.parse().ok()
}

/// Copies `bytes` (whole tags and the text between them) to `out` with the other side's ids moved.
fn rewrite(bytes: &[u8], ren: &Renumbering, out: &mut Vec<u8>) {
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = bytes[i..].iter().position(|&b| b == b'<') {
        let lt = i + p;
        let Some(q) = bytes[lt..].iter().position(|&b| b == b'>') else {
            break;
        };
        let gt = lt + q + 1;
        i = gt;
        let name_end = bytes[lt + 1..gt]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .map_or(gt, |n| lt + 1 + n);
        let name = &bytes[lt + 1..name_end];
        let mut edits: Vec<(usize, usize, Vec<u8>)> = Vec::new();
        let pointee = |attr: &[u8], edits: &mut Vec<(usize, usize, Vec<u8>)>| {
            if ren.pointee_shift == 0 {
                return;
            }
            if let Some((s, e)) = attr_range(bytes, lt, gt, attr)
                && let Some(n) = parse_u64(&bytes[s..e])
                && n >= ren.pointee_from
            {
                edits.push((s, e, (n + ren.pointee_shift).to_string().into_bytes()));
            }
        };
        if policy::is_pointee(name) {
            pointee(b"Id", &mut edits);
        } else if name == b"PointeeId" {
            pointee(b"Value", &mut edits);
        } else if !ren.tracks.is_empty()
            && let Some((s, e)) = attr_range(bytes, lt, gt, b"Value")
        {
            if name == b"TrackGroupId" {
                if let Some(new) = parse_u64(&bytes[s..e]).and_then(|n| ren.tracks.get(&n)) {
                    edits.push((s, e, new.to_string().into_bytes()));
                }
            } else if let Some(v) = rewrite_routing(&bytes[s..e], &ren.tracks) {
                edits.push((s, e, v));
            }
        }
        for (s, e, new) in edits {
            out.extend_from_slice(&bytes[copied..s]);
            out.extend_from_slice(&new);
            copied = e;
        }
    }
    out.extend_from_slice(&bytes[copied..]);
}

/// The track ids in a routing target's text: `(start, end, N)` for each `/Track.N` followed by `/`
/// or the end, `value[start..end]` being N's digits.
pub(super) fn track_refs(value: &[u8]) -> impl Iterator<Item = (usize, usize, u64)> + '_ {
    let needle = b"/Track.";
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(p) = super::names::find(&value[i..], needle) {
            let start = i + p + needle.len();
            let end = value[start..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .map_or(value.len(), |q| start + q);
            i = end.max(start);
            if (end == value.len() || value[end] == b'/')
                && let Some(n) = parse_u64(&value[start..end])
            {
                return Some((start, end, n));
            }
        }
        None
    })
}

/// A routing target with its `/Track.N` ids mapped; `None` when nothing changes.
fn rewrite_routing(value: &[u8], tracks: &BTreeMap<u64, u64>) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut copied = 0;
    for (start, end, n) in track_refs(value) {
        if let Some(new) = tracks.get(&n) {
            out.extend_from_slice(&value[copied..start]);
            out.extend_from_slice(new.to_string().as_bytes());
            copied = end;
        }
    }
    if copied == 0 {
        return None;
    }
    out.extend_from_slice(&value[copied..]);
    Some(out)
}

/// Sets the digits at `doc[s..e]` (the `NextPointeeId` value) to `n`.
pub(super) fn set_number(doc: &mut Vec<u8>, s: usize, e: usize, n: u64) {
    doc.splice(s..e, n.to_string().into_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_sides_new_ids_move_and_the_rest_stay() {
        let ren = Renumbering {
            pointee_from: 100,
            pointee_shift: 10,
            tracks: BTreeMap::from([(7, 9)]),
        };
        let text = b"<MidiTrack Id=\"7\">\n\t<AutomationTarget Id=\"101\">\n\t<ModulationTarget Id=\"5\" />\n\t<PointeeId Value=\"101\" />\n\t<TrackGroupId Value=\"7\" />\n\t<Target Value=\"AudioOut/Track.7/TrackIn\" />\n\t<Target Value=\"AudioOut/Track.70/TrackIn\" />";
        let mut out = Vec::new();
        rewrite(text, &ren, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<MidiTrack Id=\"7\">\n\t<AutomationTarget Id=\"111\">\n\t<ModulationTarget Id=\"5\" />\n\t<PointeeId Value=\"111\" />\n\t<TrackGroupId Value=\"9\" />\n\t<Target Value=\"AudioOut/Track.9/TrackIn\" />\n\t<Target Value=\"AudioOut/Track.70/TrackIn\" />"
        );
    }
}
