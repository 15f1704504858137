//! Where a Live set's elements sit in its XML text: the children of one element, found by a pull
//! parse of that element's content only, as byte ranges into the document (nothing is copied and no
//! tree of the whole set is built). The merge descends only into elements both sides changed, so
//! most of a set is compared as whole byte ranges and never split.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element of a document, as byte offsets into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Node {
    /// Where the whitespace before the element starts (the end of the previous sibling, or of the
    /// parent's start tag).
    pub lead: usize,
    /// The `<` of the start tag.
    pub start: usize,
    /// Just after the start tag's `>`.
    pub tag_end: usize,
    /// Just after the end tag (`tag_end` for an empty element, `<X />`).
    pub end: usize,
    /// The element's name: `start + 1 .. name_end`.
    pub name_end: usize,
    /// The raw value of the `Id` attribute, if any.
    pub id: Option<(usize, usize)>,
}

impl Node {
    pub fn is_empty(&self) -> bool {
        self.end == self.tag_end
    }

    pub fn name<'d>(&self, doc: &'d [u8]) -> &'d [u8] {
        &doc[self.start + 1..self.name_end]
    }

    /// The element, start tag to end tag.
    pub fn bytes<'d>(&self, doc: &'d [u8]) -> &'d [u8] {
        &doc[self.start..self.end]
    }

    pub fn start_tag<'d>(&self, doc: &'d [u8]) -> &'d [u8] {
        &doc[self.start..self.tag_end]
    }

    pub fn id<'d>(&self, doc: &'d [u8]) -> Option<&'d [u8]> {
        self.id.map(|(s, e)| &doc[s..e])
    }

    /// Where the end tag starts (`tag_end` for an empty element).
    pub fn content_end(&self, doc: &[u8]) -> usize {
        if self.is_empty() {
            return self.tag_end;
        }
        doc[self.tag_end..self.end]
            .iter()
            .rposition(|&b| b == b'<')
            .map_or(self.tag_end, |p| self.tag_end + p)
    }

    /// The raw (still escaped) value of attribute `name` in the start tag.
    pub fn attr<'d>(&self, doc: &'d [u8], name: &[u8]) -> Option<&'d [u8]> {
        attr_range(doc, self.start, self.tag_end, name).map(|(s, e)| &doc[s..e])
    }
}

/// The children of an element.
#[derive(Debug, Default)]
pub(super) struct Children {
    pub nodes: Vec<Node>,
    /// Where the whitespace before the end tag starts.
    pub tail: usize,
    /// Whether the content is elements and whitespace only (no text, comment, CDATA or
    /// processing instruction between them).
    pub only_elements: bool,
}

/// Why a document's structure could not be read.
#[derive(Debug)]
pub(super) struct XmlError {
    pub position: usize,
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.position)
    }
}

/// The byte range of attribute `name`'s value inside the tag `doc[start..end]`.
pub(super) fn attr_range(
    doc: &[u8],
    start: usize,
    end: usize,
    name: &[u8],
) -> Option<(usize, usize)> {
    let tag = &doc[start..end];
    // Skip the element name.
    let mut i = 1;
    while i < tag.len() && !tag[i].is_ascii_whitespace() && tag[i] != b'>' && tag[i] != b'/' {
        i += 1;
    }
    while i < tag.len() {
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < tag.len() && tag[i] != b'=' && !tag[i].is_ascii_whitespace() && tag[i] != b'>' {
            i += 1;
        }
        let attr_name = &tag[name_start..i];
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= tag.len() || tag[i] != b'=' {
            return None;
        }
        i += 1;
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *tag.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 1;
        let value_end = value_start + tag[value_start..].iter().position(|&b| b == quote)?;
        if attr_name == name {
            return Some((start + value_start, start + value_end));
        }
        i = value_end + 1;
    }
    None
}

/// The children of the element `parent` of `doc`.
pub(super) fn children(doc: &[u8], parent: &Node) -> Result<Children, XmlError> {
    if parent.is_empty() {
        return Ok(Children {
            nodes: Vec::new(),
            tail: parent.tag_end,
            only_elements: true,
        });
    }
    scan(doc, parent.tag_end, parent.content_end(doc))
}

/// The top-level nodes of `doc[from..to]` (for a whole document: its root element, with the XML
/// declaration counted as non-element content).
pub(super) fn scan(doc: &[u8], from: usize, to: usize) -> Result<Children, XmlError> {
    let mut reader = Reader::from_reader(&doc[from..to]);
    reader.config_mut().trim_text(false);
    let mut out = Children {
        nodes: Vec::new(),
        tail: from,
        only_elements: true,
    };
    let mut depth = 0usize;
    let mut lead = from;
    let mut open: Option<Node> = None;
    loop {
        let p = from + reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| XmlError {
            position: from + reader.error_position() as usize,
            message: e.to_string(),
        })?;
        let q = from + reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                if depth == 0 {
                    let name_end = p + 1 + e.name().as_ref().len();
                    open = Some(Node {
                        lead,
                        start: p,
                        tag_end: q,
                        end: q,
                        name_end,
                        id: attr_range(doc, p, q, b"Id"),
                    });
                }
                depth += 1;
            }
            Event::Empty(e) => {
                if depth == 0 {
                    let name_end = p + 1 + e.name().as_ref().len();
                    out.nodes.push(Node {
                        lead,
                        start: p,
                        tag_end: q,
                        end: q,
                        name_end,
                        id: attr_range(doc, p, q, b"Id"),
                    });
                    lead = q;
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    return Err(XmlError {
                        position: p,
                        message: "an end tag without its start tag".into(),
                    });
                }
                depth -= 1;
                if depth == 0 {
                    let mut node = open.take().ok_or_else(|| XmlError {
                        position: p,
                        message: "an end tag without its start tag".into(),
                    })?;
                    node.end = q;
                    out.nodes.push(node);
                    lead = q;
                }
            }
            Event::Text(t) => {
                if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) {
                    out.only_elements = false;
                }
            }
            Event::Eof => break,
            _ => {
                if depth == 0 {
                    out.only_elements = false;
                }
            }
        }
    }
    if depth != 0 {
        return Err(XmlError {
            position: to,
            message: "an element is not closed".into(),
        });
    }
    out.tail = lead;
    Ok(out)
}

/// The value of the `Value` attribute of the element at `path` (child names, outermost first)
/// below `node`, e.g. `["Name", "EffectiveName"]` in a track.
pub(super) fn value_at<'d>(doc: &'d [u8], node: &Node, path: &[&[u8]]) -> Option<&'d [u8]> {
    let mut here = *node;
    for name in path {
        let kids = children(doc, &here).ok()?;
        here = *kids.nodes.iter().find(|c| c.name(doc) == *name)?;
    }
    here.attr(doc, b"Value")
}

/// The first element named `name` at any depth inside `node` (document order), by a text search
/// checked against the element's structure.
pub(super) fn find_descendant(doc: &[u8], node: &Node, name: &[u8]) -> Option<Node> {
    let kids = children(doc, node).ok()?;
    for k in &kids.nodes {
        if k.name(doc) == name {
            return Some(*k);
        }
        if let Some(found) = find_descendant(doc, k, name) {
            return Some(found);
        }
    }
    None
}

/// The elements enclosing byte `offset` of `doc`, outermost first, the element starting at `offset`
/// last (found by descending from the root), each with its position among the id-less siblings of
/// its name (0 for an element with an `Id`).
pub(super) fn path_to(doc: &[u8], offset: usize) -> Option<Vec<(Node, usize)>> {
    let top = scan(doc, 0, doc.len()).ok()?;
    let mut here = *top
        .nodes
        .iter()
        .find(|n| n.start <= offset && offset < n.end)?;
    let mut out = vec![(here, 0)];
    while here.start != offset {
        let kids = children(doc, &here).ok()?;
        let i = kids
            .nodes
            .iter()
            .position(|n| n.start <= offset && offset < n.end)?;
        let found = kids.nodes[i];
        let ordinal = if found.id.is_some() {
            0
        } else {
            kids.nodes[..i]
                .iter()
                .filter(|n| n.id.is_none() && n.name(doc) == found.name(doc))
                .count()
        };
        here = found;
        out.push((here, ordinal));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &[u8] = b"<?xml version=\"1.0\"?>\n<A>\n\t<B Id=\"3\" X='y'>\n\t\t<C Value=\"1\" />\n\t</B>\n\t<D />\n</A>\n";

    #[test]
    fn children_are_byte_ranges_with_their_leading_whitespace() {
        let top = scan(DOC, 0, DOC.len()).unwrap();
        assert!(!top.only_elements, "the declaration is not an element");
        let root = top.nodes[0];
        assert_eq!(root.name(DOC), b"A");
        let kids = children(DOC, &root).unwrap();
        assert!(kids.only_elements);
        assert_eq!(kids.nodes.len(), 2);
        let b = kids.nodes[0];
        assert_eq!(&DOC[b.lead..b.start], b"\n\t");
        assert_eq!(b.id(DOC), Some(&b"3"[..]));
        assert_eq!(b.attr(DOC, b"X"), Some(&b"y"[..]));
        assert_eq!(
            b.bytes(DOC),
            b"<B Id=\"3\" X='y'>\n\t\t<C Value=\"1\" />\n\t</B>"
        );
        assert_eq!(&DOC[kids.tail..root.end], b"\n</A>");
        assert!(kids.nodes[1].is_empty());
        assert_eq!(value_at(DOC, &b, &[b"C"]), Some(&b"1"[..]));
        let c = find_descendant(DOC, &root, b"C").unwrap();
        let path = path_to(DOC, c.start).unwrap();
        let names: Vec<&[u8]> = path.iter().map(|(n, _)| n.name(DOC)).collect();
        assert_eq!(names, [&b"A"[..], b"B", b"C"]);
    }

    #[test]
    fn broken_structure_is_an_error() {
        let doc = b"<A><B></C></A>";
        let top = scan(doc, 0, doc.len());
        assert!(top.is_err());
        let doc = b"<A><B>";
        assert!(scan(doc, 0, doc.len()).is_err());
    }
}
