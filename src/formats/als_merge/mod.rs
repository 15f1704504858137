//! The three-way merge of an Ableton Live set changed on both sides of a merge (docs/FORMAT.md,
//! "Live sets merged track by track").
//!
//! Given the XML of the merge base, this side ("ours") and the other side ("theirs"),
//! [`merge_sets`] keeps what each side changed where the other left it alone, element by element:
//! tracks matched by their `Id`, the items of every list by name and `Id` (devices, clips, clip
//! slots, locators, scenes), everything else by element name. An element both sides changed is
//! merged inside (its children, its attributes as one value) until the changes meet in one unit a
//! producer would name — the tempo, a track's name, one device parameter, a clip, a locator — which
//! is then a conflict ([`ElementConflict`]), settled by the caller's [`Side`] for it, else ours.
//!
//! The result is the three inputs' bytes spliced together: Live's indentation, attribute order and
//! newline style are kept, and every region neither side changed is the base's byte for byte.
//! Only id values are ever rewritten (`ids`). Before it is handed back, the merged set is checked
//! (`verify`): well-formed, one `Ableton` root with a `LiveSet`, pointee ids unique and below
//! `NextPointeeId`, every reference resolving, tracks' sends and clip slots in step with the return
//! tracks and scenes. When any of this cannot be shown, or the sides cannot be merged at all (sets
//! of different Live versions, different newline styles), the answer is [`CannotMerge`] with the
//! reason, and the caller merges the file as a whole.
//!
//! Bytes in, bytes out: no file, no gzip, no terminal.

mod engine;
mod ids;
mod names;
mod policy;
mod verify;
mod xml;

use std::collections::BTreeMap;

use engine::{Engine, Frame, Src};

/// A side of the merge, as chosen for a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// This branch's version.
    Ours,
    /// The other side's version.
    Theirs,
}

/// An element of the set both sides changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementConflict {
    /// Stable for the same three versions: what a choice names.
    pub key: String,
    /// What a producer calls it: "Tempo", "Track 'Bass': device 'EQ Eight'".
    pub name: String,
    /// What each side did: "120 on main, 128 on laptop".
    pub detail: String,
}

impl std::fmt::Display for ElementConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.detail)
    }
}

/// A merged set.
#[derive(Debug)]
pub struct Merged {
    /// The merged XML.
    pub xml: Vec<u8>,
    /// Every element both sides changed, in document order; the merged XML holds the side chosen
    /// for each (ours where none was chosen).
    pub conflicts: Vec<ElementConflict>,
}

/// Why a set could not be merged inside (it is then merged as a whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannotMerge(pub String);

impl std::fmt::Display for CannotMerge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What [`merge_sets`] is told.
#[derive(Debug, Clone, Copy)]
pub struct SetMergeOptions<'a> {
    /// How this side is named in conflicts ("main").
    pub ours_name: &'a str,
    /// How the other side is named ("laptop", "origin/main").
    pub theirs_name: &'a str,
    /// The side chosen for conflicts, by [`ElementConflict::key`].
    pub choices: &'a BTreeMap<String, Side>,
}

/// Sets whose XML is larger than this are merged as whole files (three versions and the result
/// are held in memory).
pub const MAX_SET_XML: usize = 64 << 20;

fn has_crlf(doc: &[u8]) -> bool {
    doc.windows(2).any(|w| w == b"\r\n")
}

/// The root element (`Ableton`) of a document whose facts were read.
fn root(doc: &[u8]) -> Option<xml::Node> {
    let top = xml::scan(doc, 0, doc.len()).ok()?;
    top.nodes.into_iter().find(|n| n.name(doc) == b"Ableton")
}

fn attr_text(doc: &[u8], node: &xml::Node, name: &[u8]) -> String {
    node.attr(doc, name)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_default()
}

/// Merges three versions of a set's XML; see the module docs.
pub fn merge_sets(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    opts: &SetMergeOptions<'_>,
) -> Result<Merged, CannotMerge> {
    let docs = [base, ours, theirs];
    let side_name = |i: usize| match i {
        0 => "the merge base".to_string(),
        1 => opts.ours_name.to_string(),
        _ => opts.theirs_name.to_string(),
    };
    if let Some(i) = docs.iter().position(|d| d.len() > MAX_SET_XML) {
        return Err(CannotMerge(format!(
            "the set on {} is larger than {} MiB of XML",
            side_name(i),
            MAX_SET_XML >> 20
        )));
    }
    let crlf = docs.map(has_crlf);
    if crlf[1] != crlf[2] || crlf[0] != crlf[1] {
        return Err(CannotMerge(
            "the versions use different newline styles (saved on different systems)".into(),
        ));
    }
    let mut facts = Vec::with_capacity(3);
    for (i, d) in docs.iter().enumerate() {
        facts.push(verify::facts(d).map_err(|e| {
            CannotMerge(format!(
                "the set on {} is not a Live set daw can read ({e})",
                side_name(i)
            ))
        })?);
    }
    let roots: Vec<xml::Node> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            root(d).ok_or_else(|| {
                CannotMerge(format!(
                    "the set on {} has no Ableton element",
                    side_name(i)
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let schema = |i: usize| {
        [&b"MajorVersion"[..], b"MinorVersion", b"SchemaChangeCount"]
            .map(|a| roots[i].attr(docs[i], a).map(<[u8]>::to_vec))
    };
    if schema(1) != schema(2) {
        return Err(CannotMerge(format!(
            "the set was saved by {} on {} and by {} on {}, whose set formats differ",
            attr_text(ours, &roots[1], b"Creator"),
            opts.ours_name,
            attr_text(theirs, &roots[2], b"Creator"),
            opts.theirs_name
        )));
    }

    let mut engine = Engine::new(docs, opts.choices);
    // Before and after the root (the XML declaration): this side's unless only the other changed.
    let around = |engine: &mut Engine<'_>, ranges: [(usize, usize); 3]| {
        let part = |i: usize| &docs[i][ranges[i].0..ranges[i].1];
        let src = if part(1) == part(0) && part(2) != part(0) {
            Src::Theirs
        } else {
            Src::Ours
        };
        let (s, e) = ranges[src as usize];
        engine.slice(src, s, e);
    };
    around(&mut engine, [0, 1, 2].map(|i| (0, roots[i].start)));
    let mut path = vec![Frame {
        name: b"Ableton".to_vec(),
        id: None,
        ordinal: 0,
        nodes: [Some(roots[0]), Some(roots[1]), Some(roots[2])],
    }];
    engine
        .merge_element(&mut path, [roots[0], roots[1], roots[2]])
        .map_err(|e| CannotMerge(e.0))?;
    around(
        &mut engine,
        [0, 1, 2].map(|i| (roots[i].end, docs[i].len())),
    );

    // The other side's new ids, moved clear of this side's.
    let (next_b, next_o, next_t) = (
        facts[0].next_free_pointee(),
        facts[1].next_free_pointee(),
        facts[2].next_free_pointee(),
    );
    let both_allocated = next_o > next_b && next_t > next_b;
    if both_allocated && facts[0].max_pointee.is_some_and(|m| m >= next_b) {
        return Err(CannotMerge(
            "the merge base's pointee ids are not all below its NextPointeeId".into(),
        ));
    }
    let ren = ids::Renumbering {
        pointee_from: next_b,
        pointee_shift: if both_allocated { next_o - next_b } else { 0 },
        tracks: std::mem::take(&mut engine.track_map),
    };
    let mut merged = ids::assemble(&docs, &engine.out, &ren);
    let why = |e: String| {
        CannotMerge(format!(
            "could not prove that Live opens the merged set: {e}"
        ))
    };
    let mut mfacts =
        verify::facts(&merged).map_err(|e| why(format!("its XML is not well-formed ({e})")))?;
    if let Some((value, s, e)) = mfacts.next_pointee {
        let theirs_next = facts[2].next_pointee.map_or(0, |(n, _, _)| n) + ren.pointee_shift;
        let want = value
            .max(theirs_next)
            .max(mfacts.max_pointee.map_or(0, |m| m + 1));
        if want != value {
            ids::set_number(&mut merged, s, e, want);
            let digits = want.to_string().len();
            mfacts.next_pointee = Some((want, s, s + digits));
        }
    }
    verify::prove(&mfacts, &facts[1], &facts[2]).map_err(why)?;

    let conflicts = engine
        .units
        .iter()
        .map(|r| ElementConflict {
            key: r.unit.key.clone(),
            name: r.unit.name.clone(),
            detail: names::describe(&docs, r, opts.ours_name, opts.theirs_name),
        })
        .collect();
    Ok(Merged {
        xml: merged,
        conflicts,
    })
}

#[cfg(test)]
mod tests;
