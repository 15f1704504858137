//! Names as daw stores them, and the rules of systems that do not take every name.
//!
//! A tree stores a name as bytes and a path with `/` between its parts, as the system gave them
//! (names are never rewritten). On Unix those are the bytes of the `OsStr`; on Windows, UTF-8 (a
//! name that is not valid Unicode is refused by the walk), with `\` turned into `/`.
//!
//! Other systems refuse or merge names that Linux keeps apart: Windows forbids some characters and
//! device names ([`windows_name_problem`]); macOS and Windows compare names without case, and macOS
//! without Unicode normalisation (`é` written as one code point or as `e` and an accent), so two
//! files of a commit can be one file there ([`clashes`]). Pure functions, tested on every system.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A name or path as the system takes it, from the bytes a tree stores. On Windows, bytes that are
/// not UTF-8 (a name committed on Linux) are shown with replacement characters: writing such a name
/// is refused before ([`windows_name_problem`]).
pub fn os_str(bytes: &[u8]) -> Cow<'_, OsStr> {
    #[cfg(unix)]
    {
        Cow::Borrowed(std::os::unix::ffi::OsStrExt::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        utf8_os_str(bytes)
    }
}

#[cfg_attr(unix, allow(dead_code))]
fn utf8_os_str(bytes: &[u8]) -> Cow<'_, OsStr> {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(s) => Cow::Borrowed(OsStr::new(s)),
        Cow::Owned(s) => Cow::Owned(s.into()),
    }
}

/// A path from the bytes a tree or the stat cache stores (`/` between its parts, which Windows
/// takes too).
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(os_str(bytes).into_owned())
}

/// [`path_from_bytes`], borrowed where the system allows (Unix).
pub fn path_of_bytes(bytes: &[u8]) -> Cow<'_, Path> {
    match os_str(bytes) {
        Cow::Borrowed(s) => Cow::Borrowed(Path::new(s)),
        Cow::Owned(s) => Cow::Owned(PathBuf::from(s)),
    }
}

/// A relative path as daw stores it: its bytes, `/` between its parts (`\` on Windows becomes `/`).
pub fn bytes_of_path(path: &Path) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        Cow::Borrowed(std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()))
    }
    #[cfg(not(unix))]
    {
        slashed(path.to_string_lossy())
    }
}

#[cfg_attr(unix, allow(dead_code))]
fn slashed(path: Cow<'_, str>) -> Cow<'_, [u8]> {
    if path.contains('\\') {
        Cow::Owned(path.replace('\\', "/").into_bytes())
    } else {
        match path {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

/// Why Windows cannot have a file or folder named `name` (one part of a path), if it cannot: a name
/// that is not valid Unicode, holds one of `< > : " | ? * \` or a control character, ends with a
/// dot or a space, or is a device name (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`,
/// also with an extension: `nul.txt`).
pub fn windows_name_problem(name: &[u8]) -> Option<&'static str> {
    let Ok(name) = std::str::from_utf8(name) else {
        return Some("is not valid Unicode");
    };
    if let Some(c) = name
        .chars()
        .find(|&c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\\') || c < ' ')
    {
        return Some(if c < ' ' {
            "holds a control character"
        } else {
            "holds one of < > : \" | ? * \\"
        });
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("ends with a dot or a space");
    }
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    let device = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ["COM", "LPT"].iter().any(|p| {
            upper.strip_prefix(p).is_some_and(|n| {
                matches!(
                    n,
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        });
    device.then_some("is a device name on Windows")
}

/// How a file system compares names: whether it folds case (`Kick.wav` is `kick.wav`: macOS and
/// Windows by default) and Unicode normalisation (`é` as one code point is `e` and an accent: macOS).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Folding {
    pub case: bool,
    pub unicode: bool,
}

impl Folding {
    /// Folding everything any common file system folds.
    pub const ALL: Folding = Folding {
        case: true,
        unicode: true,
    };

    /// Whether it folds anything.
    pub fn any(self) -> bool {
        self.case || self.unicode
    }
}

/// The key under which a file system that folds as `folding` finds the path `path`.
pub fn folded(path: &[u8], folding: Folding) -> Cow<'_, [u8]> {
    let Ok(text) = std::str::from_utf8(path) else {
        // Not Unicode: only ASCII letters have a case to fold.
        return if folding.case && path.iter().any(u8::is_ascii_uppercase) {
            Cow::Owned(path.to_ascii_lowercase())
        } else {
            Cow::Borrowed(path)
        };
    };
    let mut text = Cow::Borrowed(text);
    if folding.unicode && !text.is_ascii() && is_nfc_quick(text.chars()) != IsNormalized::Yes {
        text = Cow::Owned(text.nfc().collect());
    }
    if folding.case && text.chars().any(|c| c.is_uppercase()) {
        text = Cow::Owned(text.to_lowercase());
    }
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// `path` in Unicode's composed form (NFC: `é` as one code point), as daw compares names with
/// patterns; borrowed when it already is (any ASCII path) or is not Unicode.
pub fn composed(path: &[u8]) -> Cow<'_, [u8]> {
    folded(
        path,
        Folding {
            case: false,
            unicode: true,
        },
    )
}

/// Whether `a` and `b` name the same file where names are compared as `folding` says.
pub fn same_name(a: &[u8], b: &[u8], folding: Folding) -> bool {
    a == b || folded(a, folding) == folded(b, folding)
}

/// The pairs of different paths among `paths` (files, `/`-separated; the folders above them count
/// too) that a file system folding as `folding` takes for one: `(Drums/Kick.wav, drums/kick.wav)`,
/// or `(Drums, drums)` when two folders are one there. Each clash is named once, by the first two
/// spellings met, in the order given.
pub fn clashes<'a>(
    paths: impl IntoIterator<Item = &'a [u8]>,
    folding: Folding,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut seen: HashMap<Vec<u8>, &'a [u8]> = HashMap::new();
    let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if !folding.any() {
        return out;
    }
    for path in paths {
        // The path itself and each folder above it.
        let ends = path
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'/')
            .map(|(i, _)| i)
            .chain([path.len()]);
        for end in ends {
            let part = &path[..end];
            let key = folded(part, folding);
            if key.as_ref() == part && !seen.contains_key(part) {
                // Seen under its own spelling only: the common case, one lookup.
                seen.insert(part.to_vec(), part);
                continue;
            }
            match seen.get(key.as_ref()) {
                None => {
                    seen.insert(key.into_owned(), part);
                }
                Some(&first) if first == part => {}
                Some(&first) => {
                    let pair = (first.to_vec(), part.to_vec());
                    if !out.contains(&pair) {
                        out.push(pair);
                    }
                }
            }
        }
    }
    // A clash of two folders is named once, not again for every file below them.
    let folders: Vec<(Vec<u8>, Vec<u8>)> = out.clone();
    out.retain(|(a, b)| {
        !folders.iter().any(|(fa, fb)| {
            (fa, fb) != (a, b)
                && a.starts_with(fa)
                && a.get(fa.len()) == Some(&b'/')
                && b.starts_with(fb)
                && b.get(fb.len()) == Some(&b'/')
        })
    });
    out
}

/// For each of `wanted` (paths a commit names, not found on disk spelled so) the path among `found`
/// (on disk) that a file system folding names as `folding` takes for it, if one is there:
/// `(index in wanted, index in found)`.
pub fn found_respelled(wanted: &[&[u8]], found: &[&[u8]], folding: Folding) -> Vec<(usize, usize)> {
    if !folding.any() || wanted.is_empty() || found.is_empty() {
        return Vec::new();
    }
    let keys: HashMap<Cow<'_, [u8]>, usize> = found
        .iter()
        .enumerate()
        .map(|(i, f)| (folded(f, folding), i))
        .collect();
    wanted
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let j = *keys.get(folded(w, folding).as_ref())?;
            (found[j] != *w).then_some((i, j))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NFC_E: &str = "\u{e9}";
    const NFD_E: &str = "e\u{301}";

    #[test]
    fn windows_refuses_its_reserved_names() {
        for ok in [
            "Song.als",
            "Kick 01.wav",
            "CONSOLE.wav",
            "con-mix.wav",
            "COM10",
            "LPT0.txt",
            "Café.als",
            ".dawignore",
            "a.b.c",
        ] {
            assert_eq!(windows_name_problem(ok.as_bytes()), None, "{ok}");
        }
        for (bad, why) in [
            ("CON", "device"),
            ("con", "device"),
            ("nul.txt", "device"),
            ("Aux.als", "device"),
            ("PRN .wav", "device"),
            ("COM1", "device"),
            ("lpt9.mid", "device"),
            ("COM¹", "device"),
            ("Mix?.wav", "< >"),
            ("a:b", "< >"),
            ("Drums|Bass", "< >"),
            ("quote\"d", "< >"),
            ("back\\slash", "< >"),
            ("star*", "< >"),
            ("tab\there", "control"),
            ("Take 2.", "dot or a space"),
            ("Take 2 ", "dot or a space"),
        ] {
            let problem = windows_name_problem(bad.as_bytes());
            assert!(
                problem.is_some_and(|p| p.contains(why)),
                "{bad}: {problem:?}"
            );
        }
        assert_eq!(
            windows_name_problem(b"caf\xe9.als"),
            Some("is not valid Unicode")
        );
    }

    #[test]
    fn names_fold_by_case_and_by_unicode_form() {
        let nfc = format!("Caf{NFC_E}.als");
        let nfd = format!("Caf{NFD_E}.als");
        assert!(!same_name(
            nfc.as_bytes(),
            nfd.as_bytes(),
            Folding::default()
        ));
        assert!(same_name(
            nfc.as_bytes(),
            nfd.as_bytes(),
            Folding {
                case: false,
                unicode: true
            }
        ));
        assert!(!same_name(
            nfc.as_bytes(),
            nfd.as_bytes(),
            Folding {
                case: true,
                unicode: false
            }
        ));
        assert!(same_name(b"Kick.WAV", b"kick.wav", Folding::ALL));
        assert!(!same_name(
            b"Kick.WAV",
            b"kick.wav",
            Folding {
                case: false,
                unicode: true
            }
        ));
        // Both at once: upper-case NFD and lower-case NFC.
        let upper_nfd = format!("CAF{}.ALS", "E\u{301}");
        assert!(same_name(
            upper_nfd.as_bytes(),
            nfc.as_bytes(),
            Folding::ALL
        ));
        // Not Unicode: ASCII letters still fold.
        assert!(same_name(b"A\xff", b"a\xff", Folding::ALL));
        assert!(!same_name(b"a\xfe", b"a\xff", Folding::ALL));
        // Nothing to fold: borrowed, not copied.
        assert!(matches!(
            folded(b"samples/kick.wav", Folding::ALL),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn clashes_name_files_and_folders_that_would_be_one() {
        let paths: Vec<String> = vec![
            "Drums/Kick.wav".into(),
            "Drums/kick.wav".into(),
            "Samples/a.wav".into(),
            "samples/b.wav".into(),
            "samples/c.wav".into(),
            format!("Caf{NFC_E}.als"),
            format!("Caf{NFD_E}.als"),
            "Song.als".into(),
            "song.als.bak".into(),
        ];
        let found = clashes(paths.iter().map(|p| p.as_bytes()), Folding::ALL);
        let found: Vec<(String, String)> = found
            .into_iter()
            .map(|(a, b)| (String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap()))
            .collect();
        assert_eq!(
            found,
            [
                ("Drums/Kick.wav".to_string(), "Drums/kick.wav".to_string()),
                ("Samples".to_string(), "samples".to_string()),
                (format!("Caf{NFC_E}.als"), format!("Caf{NFD_E}.als")),
            ]
        );
        // A file system that folds only case does not merge the two spellings of Café.
        let case_only = Folding {
            case: true,
            unicode: false,
        };
        assert_eq!(
            clashes(paths.iter().map(|p| p.as_bytes()), case_only).len(),
            2
        );
        // Linux folds nothing.
        assert!(clashes(paths.iter().map(|p| p.as_bytes()), Folding::default()).is_empty());
        // A file and a folder of the same folded name clash too.
        let mixed = ["Loops", "loops/a.wav"];
        assert_eq!(
            clashes(mixed.iter().map(|p| p.as_bytes()), Folding::ALL),
            [(b"Loops".to_vec(), b"loops".to_vec())]
        );
    }

    #[test]
    fn a_committed_path_is_found_under_another_spelling_where_names_fold() {
        let wanted: Vec<&[u8]> = vec![b"Drums/Kick.wav", b"Song.als", b"gone.wav"];
        let found: Vec<&[u8]> = vec![b"drums/kick.wav", b"Song.als", b"Other.wav"];
        assert_eq!(found_respelled(&wanted, &found, Folding::ALL), [(0, 0)]);
        assert!(found_respelled(&wanted, &found, Folding::default()).is_empty());
        let nfd = "Cafe\u{301}.als";
        let nfc = "Caf\u{e9}.als";
        let unicode = Folding {
            case: false,
            unicode: true,
        };
        assert_eq!(
            found_respelled(&[nfd.as_bytes()], &[nfc.as_bytes()], unicode),
            [(0, 0)]
        );
        let case_only = Folding {
            case: true,
            unicode: false,
        };
        assert!(found_respelled(&[nfd.as_bytes()], &[nfc.as_bytes()], case_only).is_empty());
    }

    #[test]
    fn paths_convert_to_and_from_stored_bytes() {
        let p = Path::new("Samples").join("Kick 01.wav");
        assert_eq!(&*bytes_of_path(&p), b"Samples/Kick 01.wav");
        assert_eq!(path_from_bytes(b"Samples/Kick 01.wav"), p);
        assert_eq!(&*os_str(b"Kick.wav"), OsStr::new("Kick.wav"));
        // What Windows does with them (the functions it uses, tested here too).
        assert_eq!(
            &*slashed(Cow::Borrowed("Samples\\Drums\\kick.wav")),
            b"Samples/Drums/kick.wav"
        );
        assert!(matches!(
            slashed(Cow::Borrowed("Samples/kick.wav")),
            Cow::Borrowed(_)
        ));
        assert_eq!(&*utf8_os_str(b"Caf\xc3\xa9"), OsStr::new("Café"));
        assert_eq!(&*utf8_os_str(b"caf\xe9"), OsStr::new("caf\u{fffd}"));
    }
}
