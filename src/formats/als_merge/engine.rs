//! The three-way merge of element trees: for each element present in base, ours and theirs, the
//! side that changed it wins; an element both sides changed is split into its children (matched by
//! name and `Id`) and merged the same way, unless it cannot be split (a leaf, an atomic element,
//! event lists, children that cannot be matched), in which case it is a decision: the choice the
//! caller gave for its unit, else ours. The output is a list of byte ranges of the three documents.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Side;
use super::names::{self, Unit};
use super::policy;
use super::xml::{Children, Node, XmlError, children};

/// Which document a piece comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Src {
    Base = 0,
    Ours = 1,
    Theirs = 2,
}

/// A piece of the merged document.
#[derive(Debug)]
pub(super) enum Piece {
    Slice(Src, usize, usize),
    /// Bytes made by the merge (a renumbered track's start tag).
    Owned(Vec<u8>),
}

/// One element on the path from the root to where the merge is.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    pub name: Vec<u8>,
    /// The `Id` attribute, if the element has one.
    pub id: Option<String>,
    /// Among id-less siblings of the same name, which one (0 for the first).
    pub ordinal: usize,
    /// The element in base, ours and theirs, where it exists.
    pub nodes: [Option<Node>; 3],
}

impl Frame {
    pub fn key_text(&self) -> String {
        let mut s = String::from_utf8_lossy(&self.name).into_owned();
        if let Some(id) = &self.id {
            s.push('#');
            s.push_str(id);
        } else if self.ordinal > 0 {
            s.push_str(&format!("[{}]", self.ordinal));
        }
        s
    }
}

/// How an element was changed on both sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DecisionKind {
    /// Changed differently on both sides.
    Changed,
    /// Removed on this side, changed on the other.
    RemovedOurs,
    /// Changed on this side, removed on the other.
    RemovedTheirs,
    /// Added on both sides, differently (or with the same `Id`).
    AddedBoth,
    /// A list reordered differently on both sides.
    Order,
}

/// A unit of the set changed on both sides, with the decisions it covers.
pub(super) struct UnitRecord {
    pub unit: Unit,
    pub kinds: Vec<DecisionKind>,
}

/// What stops the merge: the documents' structure could not be read.
#[derive(Debug)]
pub(super) struct Fatal(pub String);

impl From<(Src, XmlError)> for Fatal {
    fn from((src, e): (Src, XmlError)) -> Self {
        let side = match src {
            Src::Base => "the merge base's",
            Src::Ours => "this side's",
            Src::Theirs => "the other side's",
        };
        Fatal(format!("{side} XML is not well-formed ({e})"))
    }
}

/// Why a list of children could not be merged item by item.
enum ListProblem {
    /// Two children with the same name and `Id`, or repeated id-less children whose number
    /// changed: they cannot be matched.
    Unmatched,
    /// Both sides added children with the same `Id`.
    IdClash,
    /// Reordered differently on both sides.
    Order,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key<'d> {
    name: &'d [u8],
    id: Option<&'d [u8]>,
    ordinal: usize,
    /// The other side's added track, given a new `Id`.
    renumbered: bool,
}

enum Item<'d> {
    Take(Src, Node),
    Merge(Key<'d>, [Node; 3]),
    Decide(Key<'d>, DecisionKind, [Option<Node>; 3]),
    /// The other side's new track, whose `Id` this side's tracks already use.
    Renumber(Node),
}

pub(super) struct Engine<'a> {
    pub docs: [&'a [u8]; 3],
    choices: &'a BTreeMap<String, Side>,
    pub out: Vec<Piece>,
    pub units: Vec<UnitRecord>,
    unit_index: HashMap<String, usize>,
    /// The other side's track ids that were renumbered, old → new.
    pub track_map: BTreeMap<u64, u64>,
    next_track_id: u64,
}

fn has_id_clash(doc: &[u8], nodes: &[Node]) -> bool {
    let mut seen = HashSet::new();
    nodes
        .iter()
        .filter_map(|n| n.id(doc))
        .any(|id| !seen.insert(id))
}

fn parse_u64(b: &[u8]) -> Option<u64> {
    std::str::from_utf8(b).ok()?.parse().ok()
}

impl<'a> Engine<'a> {
    pub fn new(docs: [&'a [u8]; 3], choices: &'a BTreeMap<String, Side>) -> Self {
        Self {
            docs,
            choices,
            out: Vec::new(),
            units: Vec::new(),
            unit_index: HashMap::new(),
            track_map: BTreeMap::new(),
            next_track_id: 0,
        }
    }

    pub fn slice(&mut self, src: Src, from: usize, to: usize) {
        if from == to {
            return;
        }
        if let Some(Piece::Slice(s, _, end)) = self.out.last_mut()
            && *s == src
            && *end == from
        {
            *end = to;
            return;
        }
        self.out.push(Piece::Slice(src, from, to));
    }

    fn doc(&self, src: Src) -> &'a [u8] {
        self.docs[src as usize]
    }

    fn kids(&self, nodes: &[Node; 3]) -> Result<[Children; 3], Fatal> {
        let one = |src: Src| children(self.doc(src), &nodes[src as usize]).map_err(|e| (src, e));
        Ok([one(Src::Base)?, one(Src::Ours)?, one(Src::Theirs)?])
    }

    /// Records a decision at the element `path` ends with; returns the side chosen.
    fn decide(&mut self, path: &[Frame], kind: DecisionKind) -> Src {
        let unit = names::unit(&self.docs, path);
        let chosen = match self.choices.get(&unit.key) {
            Some(Side::Theirs) => Src::Theirs,
            _ => Src::Ours,
        };
        match self.unit_index.get(&unit.key) {
            Some(&i) => {
                if !self.units[i].kinds.contains(&kind) {
                    self.units[i].kinds.push(kind);
                }
            }
            None => {
                self.unit_index.insert(unit.key.clone(), self.units.len());
                self.units.push(UnitRecord {
                    unit,
                    kinds: vec![kind],
                });
            }
        }
        chosen
    }

    fn decide_whole(&mut self, path: &[Frame], nodes: [Node; 3], kind: DecisionKind) {
        let side = self.decide(path, kind);
        let n = nodes[side as usize];
        self.slice(side, n.start, n.end);
    }

    /// Merges one element present in all three documents (`path` ends with it), leading
    /// whitespace excluded.
    pub fn merge_element(&mut self, path: &mut Vec<Frame>, nodes: [Node; 3]) -> Result<(), Fatal> {
        let [b, o, t] = nodes;
        let [db, dour, dt] = self.docs;
        let (bb, ob, tb) = (b.bytes(db), o.bytes(dour), t.bytes(dt));
        if ob == tb || tb == bb {
            self.slice(Src::Ours, o.start, o.end);
            return Ok(());
        }
        if ob == bb {
            self.slice(Src::Theirs, t.start, t.end);
            return Ok(());
        }
        let name = o.name(dour);
        let is_root = path.len() == 1;
        if policy::is_view_state(name) || name == b"NextPointeeId" {
            // NextPointeeId: raised after the merge (`ids`), above every pointee id.
            self.slice(Src::Ours, o.start, o.end);
            return Ok(());
        }
        if b.is_empty() || o.is_empty() || t.is_empty() || policy::is_atomic(name) {
            self.decide_whole(path, nodes, DecisionKind::Changed);
            return Ok(());
        }
        let kids = self.kids(&nodes)?;
        let events = kids
            .iter()
            .zip(self.docs)
            .any(|(k, d)| policy::is_event_list(k.nodes.iter().map(|n| n.name(d))));
        if events || !kids.iter().all(|k| k.only_elements) {
            self.decide_whole(path, nodes, DecisionKind::Changed);
            return Ok(());
        }
        let items = match self.plan(path, &kids) {
            Ok(items) => items,
            Err(problem) => {
                let kind = match problem {
                    ListProblem::Unmatched => DecisionKind::Changed,
                    ListProblem::IdClash => DecisionKind::AddedBoth,
                    ListProblem::Order => DecisionKind::Order,
                };
                self.decide_whole(path, nodes, kind);
                return Ok(());
            }
        };
        // The start tag (attributes) is merged as one value.
        let tags = [b.start_tag(db), o.start_tag(dour), t.start_tag(dt)];
        if tags[1] == tags[2] || tags[2] == tags[0] || is_root {
            // Both sides changed the root's `Creator`/`Revision` (the schema was checked to be the
            // same): this side's.
            self.slice(Src::Ours, o.start, o.tag_end);
        } else if tags[1] == tags[0] {
            self.slice(Src::Theirs, t.start, t.tag_end);
        } else {
            let side = self.decide(path, DecisionKind::Changed);
            let n = nodes[side as usize];
            self.slice(side, n.start, n.tag_end);
        }
        for item in items {
            match item {
                Item::Take(src, n) => self.slice(src, n.lead, n.end),
                Item::Merge(key, three) => {
                    self.slice(Src::Ours, three[1].lead, three[1].start);
                    path.push(frame(&key, three.map(Some)));
                    self.merge_element(path, three)?;
                    path.pop();
                }
                Item::Decide(key, kind, three) => {
                    path.push(frame(&key, three));
                    let side = self.decide(path, kind);
                    path.pop();
                    if let Some(n) = three[side as usize] {
                        self.slice(side, n.lead, n.end);
                    }
                }
                Item::Renumber(n) => self.renumber_track(n),
            }
        }
        self.slice(Src::Ours, kids[1].tail, o.end);
        Ok(())
    }

    /// The other side's new track under a fresh `Id`: its start tag rewritten; references to it in
    /// the other side's pieces are rewritten when the document is assembled (`ids`).
    fn renumber_track(&mut self, n: Node) {
        let dt = self.docs[Src::Theirs as usize];
        let (Some((s, e)), Some(old)) = (n.id, n.id(dt).and_then(parse_u64)) else {
            // Planned only for tracks with a numeric id.
            self.slice(Src::Theirs, n.lead, n.end);
            return;
        };
        let new = self.next_track_id;
        self.next_track_id += 1;
        self.track_map.insert(old, new);
        self.slice(Src::Theirs, n.lead, n.start);
        let mut tag = dt[n.start..s].to_vec();
        tag.extend_from_slice(new.to_string().as_bytes());
        tag.extend_from_slice(&dt[e..n.tag_end]);
        self.out.push(Piece::Owned(tag));
        self.slice(Src::Theirs, n.tag_end, n.end);
    }

    /// Matches the children of an element both sides changed and orders the merged list.
    fn plan(&mut self, path: &[Frame], kids: &[Children; 3]) -> Result<Vec<Item<'a>>, ListProblem> {
        let keys: Vec<Vec<Key<'a>>> = (0..3)
            .map(|i| keys_of(self.docs[i], &kids[i].nodes))
            .collect::<Result<_, _>>()?;
        // Repeated id-less children are matched by position: only while their number is the same.
        let mut counts: [HashMap<&[u8], usize>; 3] = Default::default();
        for i in 0..3 {
            for k in keys[i].iter().filter(|k| k.id.is_none()) {
                *counts[i].entry(k.name).or_default() += 1;
            }
        }
        for i in 0..3 {
            for (name, &n) in &counts[i] {
                if n > 1 && (0..3).any(|j| counts[j].get(name).copied().unwrap_or(0) != n) {
                    return Err(ListProblem::Unmatched);
                }
            }
        }
        let pos: Vec<HashMap<Key<'a>, usize>> = keys
            .iter()
            .map(|ks| ks.iter().enumerate().map(|(i, k)| (k.clone(), i)).collect())
            .collect();
        let node_of = |side: usize, k: &Key<'a>| pos[side].get(k).map(|&i| kids[side].nodes[i]);
        let is_tracks = path.len() >= 2
            && path[path.len() - 1].name == b"Tracks"
            && path[path.len() - 2].name == b"LiveSet";
        if is_tracks {
            let max = (0..3)
                .flat_map(|i| keys[i].iter().filter_map(|k| k.id.and_then(parse_u64)))
                .max()
                .unwrap_or(0);
            self.next_track_id = self.next_track_id.max(max + 1);
        }
        // Track ids held by this side or the base: the other side's new tracks must not reuse them.
        let taken: HashSet<&[u8]> = if is_tracks {
            keys[0]
                .iter()
                .chain(&keys[1])
                .filter_map(|k| k.id)
                .collect()
        } else {
            HashSet::new()
        };
        let [db, dour, dt] = self.docs;
        let mut items: HashMap<Key<'a>, Item<'a>> = HashMap::new();
        // The other side's key of each of its children in the merged list (a renumbered track
        // gets its own).
        let mut theirs_keys = keys[2].clone();
        let mut union: Vec<Key<'a>> = Vec::new();
        let mut seen = HashSet::new();
        for k in keys[1].iter().chain(&keys[2]).chain(&keys[0]) {
            if seen.insert(k.clone()) {
                union.push(k.clone());
            }
        }
        for k in union {
            let (b, o, t) = (node_of(0, &k), node_of(1, &k), node_of(2, &k));
            let item = match (b, o, t) {
                (_, Some(o), Some(t)) if o.bytes(dour) == t.bytes(dt) => {
                    Some(Item::Take(Src::Ours, o))
                }
                (Some(b), Some(o), Some(t)) => Some(Item::Merge(k.clone(), [b, o, t])),
                (None, Some(o), None) => Some(Item::Take(Src::Ours, o)),
                (None, None, Some(t)) => {
                    if is_tracks && t.id(dt).is_some_and(|id| taken.contains(id)) {
                        let rk = Key {
                            renumbered: true,
                            ..k.clone()
                        };
                        replace_key(&mut theirs_keys, &k, &rk);
                        items.insert(rk, Item::Renumber(t));
                        None
                    } else {
                        Some(Item::Take(Src::Theirs, t))
                    }
                }
                (None, Some(o), Some(t)) => {
                    if is_tracks && t.id(dt).and_then(parse_u64).is_some() {
                        let rk = Key {
                            renumbered: true,
                            ..k.clone()
                        };
                        replace_key(&mut theirs_keys, &k, &rk);
                        items.insert(rk, Item::Renumber(t));
                        Some(Item::Take(Src::Ours, o))
                    } else {
                        Some(Item::Decide(
                            k.clone(),
                            DecisionKind::AddedBoth,
                            [None, Some(o), Some(t)],
                        ))
                    }
                }
                (Some(_), None, None) => None,
                (Some(b), None, Some(t)) => (t.bytes(dt) != b.bytes(db)).then(|| {
                    Item::Decide(
                        k.clone(),
                        DecisionKind::RemovedOurs,
                        [Some(b), None, Some(t)],
                    )
                }),
                (Some(b), Some(o), None) => (o.bytes(dour) != b.bytes(db)).then(|| {
                    Item::Decide(
                        k.clone(),
                        DecisionKind::RemovedTheirs,
                        [Some(b), Some(o), None],
                    )
                }),
                (None, None, None) => None,
            };
            if let Some(item) = item {
                items.insert(k, item);
            }
        }
        // Ids unique among the children on both sides stay unique (renumbered tracks aside).
        if !has_id_clash(dour, &kids[1].nodes) && !has_id_clash(dt, &kids[2].nodes) {
            let mut ids: HashSet<&[u8]> = HashSet::new();
            for item in items.values() {
                let candidates: Vec<(&[u8], Node)> = match item {
                    Item::Take(src, n) => vec![(self.docs[*src as usize], *n)],
                    Item::Merge(_, three) => vec![(dour, three[1])],
                    Item::Decide(_, _, three) => {
                        let mut v = Vec::new();
                        if let Some(n) = three[1] {
                            v.push((dour, n));
                        }
                        if let Some(n) = three[2] {
                            // The same element on both sides counts once.
                            if three[1].is_none() {
                                v.push((dt, n));
                            }
                        }
                        v
                    }
                    Item::Renumber(_) => Vec::new(),
                };
                for (d, n) in candidates {
                    if let Some(id) = n.id(d)
                        && !ids.insert(id)
                    {
                        return Err(ListProblem::IdClash);
                    }
                }
            }
        }
        let order = merged_order(&keys[0], &keys[1], &theirs_keys, &items)?;
        Ok(order.into_iter().filter_map(|k| items.remove(&k)).collect())
    }
}

fn replace_key<'d>(keys: &mut [Key<'d>], from: &Key<'d>, to: &Key<'d>) {
    for k in keys.iter_mut() {
        if k == from {
            *k = to.clone();
        }
    }
}

fn frame(key: &Key<'_>, nodes: [Option<Node>; 3]) -> Frame {
    Frame {
        name: key.name.to_vec(),
        id: key.id.map(|id| String::from_utf8_lossy(id).into_owned()),
        ordinal: key.ordinal,
        nodes,
    }
}

/// Keys of a list of children: name and `Id`, or name and position among the id-less ones.
fn keys_of<'d>(doc: &'d [u8], nodes: &[Node]) -> Result<Vec<Key<'d>>, ListProblem> {
    let mut ordinals: HashMap<&[u8], usize> = HashMap::new();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(nodes.len());
    for n in nodes {
        let name = n.name(doc);
        let id = n.id(doc);
        let ordinal = match id {
            Some(_) => 0,
            None => {
                let o = ordinals.entry(name).or_default();
                *o += 1;
                *o - 1
            }
        };
        let key = Key {
            name,
            id,
            ordinal,
            renumbered: false,
        };
        if !seen.insert(key.clone()) {
            return Err(ListProblem::Unmatched);
        }
        out.push(key);
    }
    Ok(out)
}

/// Whether `side` lists the keys it shares with `base` in another order than `base`.
fn reordered(side: &[Key<'_>], base: &HashMap<&Key<'_>, usize>) -> bool {
    let mut last = None;
    for k in side {
        if let Some(&p) = base.get(k) {
            if last.is_some_and(|l| l > p) {
                return true;
            }
            last = Some(p);
        }
    }
    false
}

/// The order of the merged list: one side's order (the side that reordered, else ours), with the
/// other side's additions placed after the element they follow there.
fn merged_order<'d>(
    base: &[Key<'d>],
    ours: &[Key<'d>],
    theirs: &[Key<'d>],
    items: &HashMap<Key<'d>, Item<'d>>,
) -> Result<Vec<Key<'d>>, ListProblem> {
    let base_pos: HashMap<&Key<'d>, usize> = base.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let ours_re = reordered(ours, &base_pos);
    let theirs_re = reordered(theirs, &base_pos);
    if ours_re && theirs_re {
        let theirs_pos: HashMap<&Key<'d>, usize> =
            theirs.iter().enumerate().map(|(i, k)| (k, i)).collect();
        if reordered(ours, &theirs_pos) {
            return Err(ListProblem::Order);
        }
    }
    let (skeleton, other) = if theirs_re && !ours_re {
        (theirs, ours)
    } else {
        (ours, theirs)
    };
    let mut order: Vec<Key<'d>> = skeleton
        .iter()
        .filter(|k| items.contains_key(*k))
        .cloned()
        .collect();
    let mut placed: HashSet<Key<'d>> = order.iter().cloned().collect();
    let in_other: HashSet<&Key<'d>> = other.iter().collect();
    for (i, k) in other.iter().enumerate() {
        if placed.contains(k) || !items.contains_key(k) {
            continue;
        }
        let anchor = other[..i].iter().rev().find(|a| placed.contains(*a));
        let mut at = match anchor {
            Some(a) => order.iter().position(|x| x == a).map_or(0, |p| p + 1),
            None => 0,
        };
        // After the skeleton side's own additions at the same place.
        while at < order.len() && !in_other.contains(&order[at]) {
            at += 1;
        }
        order.insert(at, k.clone());
        placed.insert(k.clone());
    }
    Ok(order)
}
