//! The one error type of the format parsers: every way a project file can fail to parse.
//!
//! Messages are one line, say what is wrong with the file (not with the program), and carry
//! the byte offset where that helps someone looking at the file with a hex viewer.

/// Why a project file could not be read as a model.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file has no bytes at all.
    #[error("{format} file is empty")]
    Empty {
        /// Which kind of file was expected ("Live set", "FL Studio project").
        format: &'static str,
    },
    /// Neither the file name nor the first bytes match a format this module knows.
    #[error("'{name}' is not a project file daw understands (expected .als or .flp)")]
    Unsupported {
        /// The file name as given.
        name: String,
    },
    /// Reading the bytes failed: a damaged gzip stream or an I/O error of the caller's reader.
    #[error("could not read the Live set: {0}")]
    Read(#[source] std::io::Error),
    /// The `.als` starts with neither the gzip magic nor XML.
    #[error("not an Ableton Live set: neither gzip nor XML (file starts with {start})")]
    NotGzipOrXml {
        /// The first bytes, as hex.
        start: String,
    },
    /// The XML of a Live set is not well formed.
    #[error("Live set XML is malformed near byte {position}: {message}")]
    Xml {
        /// Offset in the decompressed XML.
        position: u64,
        /// What the XML reader objected to.
        message: String,
    },
    /// The XML ends before its root element is closed (a truncated save or download).
    #[error("Live set XML is truncated: it ends inside <{open}>")]
    TruncatedXml {
        /// The innermost element still open at the end.
        open: String,
    },
    /// Well-formed XML, but its root is not Ableton's `<Ableton>` element with a `<LiveSet>`.
    #[error("not an Ableton Live set: root element is <{root}>")]
    NotLiveSet {
        /// The root element found (empty when there was none).
        root: String,
    },
    /// The XML has no element at all.
    #[error("not an Ableton Live set: the XML has no root element")]
    NoRootElement,
    /// The root `<Ableton>` element holds no `<LiveSet>` (a clip or device preset, not a set).
    #[error("not an Ableton Live set: <Ableton> holds no <LiveSet> (a clip or preset file?)")]
    MissingLiveSet,
    /// The `.flp` does not start with the `FLhd` chunk.
    #[error("not an FL Studio project: the file does not start with the FLhd header chunk")]
    FlpHeaderMagic,
    /// The `FLhd` chunk length is not 6.
    #[error("FL Studio header is corrupted: header chunk length is {0}, expected 6")]
    FlpHeaderSize(u32),
    /// The header's format field is not one of FL Studio's file kinds.
    #[error("Unsupported project file format {0} in the FL Studio header")]
    FlpFormat(i16),
    /// The header's pulses-per-quarter-note field is zero.
    #[error("Invalid PPQ 0 in the FL Studio header (FL Studio itself cannot open this file)")]
    FlpPpq,
    /// The `FLdt` data chunk is missing after the header.
    #[error("FL Studio project is corrupted: the FLdt data chunk is missing at byte {offset}")]
    FlpDataMagic {
        /// Where the chunk was expected.
        offset: usize,
    },
    /// The data chunk claims more bytes than the file holds.
    #[error(
        "FL Studio project is corrupted: Data chunk size corrupted ({declared} bytes declared, {actual} present)"
    )]
    FlpDataSize {
        /// Length in the chunk header.
        declared: u64,
        /// Bytes actually present after it.
        actual: u64,
    },
    /// An event runs past the end of the data chunk.
    #[error(
        "FL Studio project is truncated: event {id} at byte {offset} runs past the end of the data"
    )]
    FlpTruncatedEvent {
        /// The event id.
        id: u8,
        /// File offset of the event's id byte.
        offset: usize,
    },
}
