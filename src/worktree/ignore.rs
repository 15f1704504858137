//! Which paths of a project belong in its history: daw's default ignore rules (the by-products of
//! DAWs and operating systems), each folder's `.dawignore`, and the list of what they leave out
//! (`daw status --ignored`).
//!
//! It decides, it does not walk for speed (that is `walk`'s job, which consults these rules) and it
//! never changes a file.

use std::path::{Path, PathBuf};

use gix_ignore::glob::pattern::Case;

/// The default rules, which daw applies before any `.dawignore`; listed in daw-ignore(5) (printed from
/// this text) and in the README ("What daw ignores"); a `.dawignore` can re-include any of them with `!pattern`, and
/// `daw status --ignored` lists what they leave out.
///
/// Each rule must be unable to swallow a file the producer made. So:
/// - Live's backups are matched as Live names them, `.als` files directly in a folder named `Backup`
///   (Live writes `Backup/<set> [YYYY-MM-DD HHMMSS].als` beside the set), never a whole `Backup`
///   folder: producers keep their own samples in folders of that name (`Samples/Backup/vox.wav`).
///   The other reading, "a Backup folder beside a set", would still swallow any sample kept in the
///   Backup folder next to a set; a set backup is only ever an `.als`, and a sample never is one.
/// - The patterns for files never match a folder ([`Ignores`] checks it): a folder the producer named
///   `Takes.tmp` or `Old~` is theirs, whatever its name ends with. Only the two operating-system folders
///   below, which hold no user file, are folder rules.
pub const DEFAULT_IGNORES: &str = "\
# Ableton Live: set backups (in the Backup folder beside a set) and analysis files (Live recreates them).
**/Backup/*.als
*.asd
# FL Studio: autosaves and overwrite backups.
*(autosave)*.flp
*overwritten at*.flp
*.flp.bak
# Operating systems.
.DS_Store
._*
Thumbs.db
desktop.ini
.Spotlight-V100/
.Trashes/
# Editors and temporary files.
*~
*.tmp
*.swp
~$*
.#*
# daw's own temporary files during a checkout (worktree::temp::is_temp_name), and no other name.
.daw-tmp-??????
.daw-tmp-????????????????
";

/// The name [`Ignores`] gives the default rules' list.
const DEFAULTS_SOURCE: &str = "<daw defaults>";

/// The name of the per-folder ignore file.
pub const IGNORE_FILE: &str = ".dawignore";

/// Ignore rules for one work tree.
#[derive(Clone)]
pub struct Ignores {
    search: gix_ignore::Search,
    quick: QuickReject,
}

/// A test that most names pass in a few nanoseconds, so that the rules proper (about 12 ns per
/// pattern and path) are consulted for only a few paths of a project. A pattern matches a whole name
/// (without a `/`) or a whole path (with one); either way, what it matches ends with the pattern's last
/// byte when that is a literal one, and so does the name (a path's last byte is its name's). A pattern
/// without a `/` that ends with a wildcard matches only names that start with the literal text before
/// its first wildcard. A name whose last byte ends no pattern and whose first byte starts no such
/// prefix matches no pattern at all, negative ones included, so it is not ignored. (A pattern with a
/// `/` that ends with a wildcard, or a pattern with wildcards at both ends, turns the test off.)
#[derive(Clone)]
struct QuickReject {
    /// The last bytes of the patterns' literal suffixes.
    last: [bool; 256],
    /// The first bytes of the literal prefixes of the patterns that have no literal suffix.
    first: [bool; 256],
    /// Some pattern cannot be told apart this way: every path goes to the rules.
    off: bool,
}

impl QuickReject {
    fn of(search: &gix_ignore::Search) -> Self {
        use gix_glob::pattern::Mode;
        let mut quick = Self {
            last: [false; 256],
            first: [false; 256],
            off: false,
        };
        let special = |b: &u8| matches!(b, b'*' | b'?' | b'[' | b']' | b'\\');
        for list in &search.patterns {
            for mapping in &list.patterns {
                let pattern = &mapping.pattern;
                let text: &[u8] = pattern.text.as_ref();
                let last = text.last().filter(|b| !special(b));
                let prefix = text.iter().take_while(|b| !special(b)).count();
                let first = text[..prefix]
                    .first()
                    .filter(|_| pattern.mode.contains(Mode::NO_SUB_DIR));
                match (last, first) {
                    (Some(&last), _) => quick.last[usize::from(last)] = true,
                    (None, Some(&first)) => quick.first[usize::from(first)] = true,
                    (None, None) => quick.off = true,
                }
            }
        }
        quick
    }

    /// Whether some pattern may match a path whose last component is `name`.
    fn may_match(&self, name: &[u8]) -> bool {
        match (name.first(), name.last()) {
            (Some(&first), Some(&last)) => {
                self.off || self.last[usize::from(last)] || self.first[usize::from(first)]
            }
            _ => true,
        }
    }
}

impl Ignores {
    /// The defaults; the walk adds each folder's `.dawignore` for that folder and those below it.
    pub fn new() -> Self {
        let mut search = gix_ignore::Search::default();
        search
            .add_patterns_buffer(
                DEFAULT_IGNORES.as_bytes(),
                DEFAULTS_SOURCE,
                None,
                Default::default(),
            )
            .expect("parsing patterns from memory cannot fail");
        let quick = QuickReject::of(&search);
        Self { search, quick }
    }

    /// The `.dawignore` of folder `rel_dir`, if it has one: its path and its bytes.
    pub(super) fn file_in(
        work_tree: &Path,
        rel_dir: &Path,
    ) -> std::io::Result<Option<(PathBuf, Vec<u8>)>> {
        let path = work_tree.join(rel_dir).join(IGNORE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some((path, bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Adds the patterns of the `.dawignore` at `path`, in folder `rel_dir` (empty for the root).
    pub(super) fn add_buffer(
        &mut self,
        work_tree: &Path,
        rel_dir: &Path,
        path: PathBuf,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        let root = if rel_dir.as_os_str().is_empty() {
            None
        } else {
            Some(work_tree)
        };
        // Patterns and paths are compared composed (NFC): a rule typed on one system matches a name
        // macOS spelled decomposed, and the other way round.
        let bytes = crate::platform::names::composed(bytes);
        self.search
            .add_patterns_buffer(&bytes, path, root, Default::default())?;
        self.quick = QuickReject::of(&self.search);
        Ok(())
    }

    /// Whether the path `rel` (relative to the work tree; a folder when `is_dir`) is ignored.
    pub fn is_ignored(&self, rel: &Path, is_dir: bool) -> bool {
        let name = rel.file_name().map_or(&[][..], |n| n.as_encoded_bytes());
        self.may_ignore(name) && self.matches(rel, is_dir)
    }

    /// `false` when no rule can match a path named `name` (checked without building the path).
    pub(super) fn may_ignore(&self, name: &[u8]) -> bool {
        // (A name that is not ASCII is compared composed, whose last byte may differ.)
        !name.is_ascii() || self.quick.may_match(name)
    }

    pub(super) fn matches(&self, rel: &Path, is_dir: bool) -> bool {
        self.matching(rel, is_dir).is_some()
    }

    /// The pattern that ignores the path `rel` (a folder when `is_dir`), if one does, and whether it is
    /// one of the defaults.
    fn matching(&self, rel: &Path, is_dir: bool) -> Option<(&gix_glob::Pattern, Option<&Path>)> {
        let path = crate::platform::bytes_of_path(rel);
        let bytes = crate::platform::names::composed(&path);
        let m = self.search.pattern_matching_relative_path(
            (&*bytes).into(),
            Some(is_dir),
            Case::Sensitive,
        )?;
        if m.pattern.is_negative() {
            return None;
        }
        let file = m.source.filter(|path| *path != Path::new(DEFAULTS_SOURCE));
        // A default rule for files never takes a folder (see DEFAULT_IGNORES).
        if file.is_none()
            && is_dir
            && !m
                .pattern
                .mode
                .contains(gix_glob::pattern::Mode::MUST_BE_DIR)
        {
            return None;
        }
        Some((m.pattern, file))
    }

    /// The rule that ignores the path `rel` (a folder when `is_dir`), if one does.
    pub fn rule_for(&self, rel: &Path, is_dir: bool) -> Option<IgnoreRule> {
        let (pattern, file) = self.matching(rel, is_dir)?;
        Some(IgnoreRule {
            source: match file {
                Some(path) => IgnoreSource::File(path.to_owned()),
                None => IgnoreSource::Default,
            },
            pattern: pattern.to_string(),
        })
    }
}

/// Where an ignore rule comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IgnoreSource {
    /// daw's defaults ([`DEFAULT_IGNORES`]).
    Default,
    /// A `.dawignore` (its path as the walk found it).
    File(PathBuf),
}

/// The rule that left a path out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreRule {
    pub source: IgnoreSource,
    /// The pattern as written (`!` and a trailing `/` included).
    pub pattern: String,
}

/// A file or folder of the project that ignore rules leave out.
#[derive(Clone, Debug)]
pub struct IgnoredPath {
    /// Relative to the work tree.
    pub path: PathBuf,
    pub is_dir: bool,
    /// How many files it holds (1 for a file; what is below it for a folder).
    pub files: u64,
    pub rule: IgnoreRule,
}

/// Whether the ignore rules leave out the path `rel` (relative to the work tree; a folder when
/// `is_dir`): the defaults and the `.dawignore` of the root and of every folder above it, applied to
/// the path and to each of its folders, as the walk would. For a watcher, which hears of one path at
/// a time and never walks to it.
pub fn is_path_ignored(work_tree: &Path, rel: &Path, is_dir: bool) -> std::io::Result<bool> {
    let mut ignores = Ignores::new();
    let mut dir = PathBuf::new();
    let parts: Vec<_> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        if let Some((path, bytes)) = Ignores::file_in(work_tree, &dir)? {
            ignores.add_buffer(work_tree, &dir, path, &bytes)?;
        }
        let next = dir.join(part);
        let last = i + 1 == parts.len();
        if ignores.is_ignored(&next, !last || is_dir) {
            return Ok(true);
        }
        dir = next;
    }
    Ok(false)
}

/// Every path of the project that the ignore rules leave out, sorted (the folder a rule leaves out, not
/// what is below it). `.daw` and `skip_dir` are not listed: they are not the project's. Slower than
/// [`walk`] (one thread, and it reads the folders the walk skips); for `daw status --ignored` and the
/// first commit's note.
pub fn ignored_paths(work_tree: &Path, skip_dir: &Path) -> std::io::Result<Vec<IgnoredPath>> {
    let mut out = Vec::new();
    ignored_below(
        work_tree,
        Path::new(""),
        &Ignores::new(),
        skip_dir,
        &mut out,
    )?;
    Ok(out)
}

fn ignored_below(
    work_tree: &Path,
    rel: &Path,
    inherited: &Ignores,
    skip_dir: &Path,
    out: &mut Vec<IgnoredPath>,
) -> std::io::Result<()> {
    let dir = work_tree.join(rel);
    let own = match Ignores::file_in(work_tree, rel)? {
        Some((path, bytes)) => {
            let mut i = inherited.clone();
            i.add_buffer(work_tree, rel, path, &bytes)?;
            Some(i)
        }
        None => None,
    };
    let ignores = own.as_ref().unwrap_or(inherited);
    let mut entries = std::fs::read_dir(&dir)?
        .map(|e| e.and_then(|e| Ok((e.file_name(), e.file_type()?))))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (name, kind) in entries {
        let path = dir.join(&name);
        if (rel.as_os_str().is_empty() && name == super::DAW_DIR_NAME) || path == skip_dir {
            continue;
        }
        let child = rel.join(&name);
        let is_dir = kind.is_dir();
        match ignores.rule_for(&child, is_dir) {
            Some(rule) => {
                let files = if is_dir { count_files(&path) } else { 1 };
                out.push(IgnoredPath {
                    path: child,
                    is_dir,
                    files,
                    rule,
                });
            }
            None if is_dir => ignored_below(work_tree, &child, ignores, skip_dir, out)?,
            None => {}
        }
    }
    Ok(())
}

/// The files below a folder (symlinks counted as files, never followed; unreadable folders as empty).
fn count_files(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            _ => 1,
        })
        .sum()
}

impl Default for Ignores {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ignores_cover_daw_by_products() {
        let ig = Ignores::new();
        assert!(ig.is_ignored(Path::new("Backup/Song [2026-11-01 120000].als"), false));
        assert!(ig.is_ignored(Path::new("Sets/Backup/Live [2026-11-01 120000].als"), false));
        assert!(ig.is_ignored(Path::new("Samples/kick.wav.asd"), false));
        assert!(ig.is_ignored(Path::new(".DS_Store"), false));
        assert!(ig.is_ignored(Path::new("Song (autosave).flp"), false));
        assert!(!ig.is_ignored(Path::new("Song.als"), false));
        assert!(!ig.is_ignored(Path::new("Samples/kick.wav"), false));
        assert!(!ig.is_ignored(Path::new("Backup.als"), false));
        assert!(ig.is_ignored(Path::new(".Trashes"), true));
        assert!(ig.is_ignored(Path::new("scratch.tmp"), false));
    }

    /// Issue 16 (4): a rule matches a name whether it is spelled composed (`é`, as typed on Linux
    /// and Windows) or decomposed (`e` and an accent, as macOS may store it), either way round.
    #[test]
    fn rules_and_names_match_in_either_unicode_form() {
        let tmp = tempfile::tempdir().unwrap();
        let composed = "Caf\u{e9}";
        let decomposed = "Cafe\u{301}";
        for (rule, name) in [(composed, decomposed), (decomposed, composed)] {
            let mut ig = Ignores::new();
            let rules = format!("{rule} Bounces/\n*{rule}.wav\n");
            ig.add_buffer(
                tmp.path(),
                Path::new(""),
                tmp.path().join(IGNORE_FILE),
                rules.as_bytes(),
            )
            .unwrap();
            for (path, is_dir) in [
                (format!("{name} Bounces"), true),
                (format!("{composed} Bounces"), true),
                (format!("Samples/Take {name}.wav"), false),
                (format!("Samples/Take {decomposed}.wav"), false),
            ] {
                assert!(
                    ig.is_ignored(Path::new(&path), is_dir),
                    "{rule:?} leaves {path:?} in"
                );
            }
            assert!(!ig.is_ignored(Path::new(&format!("{name}.als")), false));
        }
    }

    /// Issue 16: `Backup/` ignored `Samples/Backup/vox.wav`, and `daw status` said nothing changed. No
    /// default rule may leave out a file the producer made.
    #[test]
    fn default_ignores_never_swallow_a_users_file() {
        let ig = Ignores::new();
        for (path, is_dir) in [
            ("Backup", true),
            ("Samples/Backup", true),
            ("Samples/Backup/vox.wav", false),
            ("Backup/vox.wav", false),
            ("Backup/Old/Song.als", false),
            ("Backup/Notes.txt", false),
            // A folder is never taken by a rule for files, whatever its name ends with.
            ("Takes.tmp", true),
            ("Old takes~", true),
            ("._Stems", true),
            ("Samples/Recorded", true),
            ("Song.als", false),
            ("Samples/kick.wav", false),
        ] {
            assert!(!ig.is_ignored(Path::new(path), is_dir), "{path} is ignored");
        }
    }

    #[test]
    fn the_quick_test_never_hides_a_match() {
        // Names built from the pieces the patterns are made of, so that many of them match.
        let pieces: [&[u8]; 23] = [
            b"a",
            b"Song",
            b".",
            b"_",
            b"~",
            b"$",
            b"#",
            b"(autosave)",
            b" ",
            b"flp",
            b"bak",
            b"Backup",
            b"x]",
            b"\xc3\xa9",
            b"wav",
            b"keep",
            b"B",
            b"ounce",
            b"aif",
            b"stems",
            b"take*",
            b"renders",
            b"als",
        ];
        let mut names: Vec<Vec<u8>> = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    names.push([a, b, c].concat());
                }
            }
        }
        let custom =
            b"# a project's own rules\n*.wav\n!keep.wav\n[Bb]ounce*.aif\nstems?\ntake\\*\nrenders/\n";
        let with_slash = b"Samples/*.tmp\n/Exports\n**/Backup/keep*.wav\n";
        let slash_and_wildcard = b"Samples/take*\n";
        let mut rule_sets = vec![Ignores::new()];
        for extra in [&custom[..], &with_slash[..], &slash_and_wildcard[..]] {
            let mut ig = Ignores::new();
            ig.add_buffer(
                Path::new("/p"),
                Path::new(""),
                PathBuf::from("/p/.dawignore"),
                extra,
            )
            .unwrap();
            rule_sets.push(ig);
        }
        let mut matched = 0;
        for ig in &rule_sets {
            for (parent, name) in ["Samples", "Samples/Backup"]
                .iter()
                .flat_map(|p| names.iter().map(move |n| (p, n)))
            {
                let rel = Path::new(parent).join(crate::platform::os_str(name));
                for is_dir in [false, true] {
                    let full = ig.matches(&rel, is_dir);
                    matched += usize::from(full);
                    assert_eq!(
                        ig.is_ignored(&rel, is_dir),
                        full,
                        "{rel:?} (folder: {is_dir})"
                    );
                }
            }
        }
        assert!(
            matched > 3000,
            "the names exercise the rules ({matched} matches)"
        );
        // The defaults turn the test on: a sample's name skips the rules.
        assert!(!rule_sets[0].may_ignore(b"clip 0481.wav"));
        assert!(rule_sets[0].may_ignore(b"clip 0481.asd"));
        assert!(!rule_sets[1].quick.off);
        assert!(
            !rule_sets[2].quick.off,
            "a pattern with a slash and a literal end keeps the test"
        );
        assert!(
            rule_sets[3].quick.off,
            "a pattern with a slash that ends with a wildcard checks every path"
        );
    }
}
