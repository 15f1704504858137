//! A unified line diff (`diff -u` style) of two texts, for `daw diff --raw`.
//!
//! The histogram algorithm keeps a 16 MB Live set's XML diff fast even when edits are scattered.

use std::io::{self, Write};

use imara_diff::{Algorithm, Diff, Hunk, InternedInput};

/// Lines of context around each change.
pub const CONTEXT: u32 = 3;

/// Writes the hunks that turn `old` into `new` (nothing when they are equal).
pub fn write_unified(out: &mut dyn Write, old: &[u8], new: &[u8]) -> io::Result<()> {
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    let hunks: Vec<Hunk> = diff.hunks().collect();
    let (len_before, len_after) = (input.before.len() as u32, input.after.len() as u32);
    let line = |out: &mut dyn Write, mark: u8, token| -> io::Result<()> {
        let text: &[u8] = input.interner[token];
        out.write_all(&[mark])?;
        out.write_all(text)?;
        if !text.ends_with(b"\n") {
            out.write_all(b"\n\\ No newline at end of file\n")?;
        }
        Ok(())
    };
    let mut i = 0;
    while i < hunks.len() {
        // Hunks closer than twice the context share one header.
        let mut j = i;
        while j + 1 < hunks.len() && hunks[j + 1].before.start - hunks[j].before.end <= 2 * CONTEXT
        {
            j += 1;
        }
        let start_before = hunks[i].before.start.saturating_sub(CONTEXT);
        let start_after = hunks[i].after.start.saturating_sub(CONTEXT);
        let end_before = (hunks[j].before.end + CONTEXT).min(len_before);
        let end_after = (hunks[j].after.end + CONTEXT).min(len_after);
        let range = |start: u32, end: u32| {
            let n = end - start;
            let first = if n == 0 { start } else { start + 1 };
            format!("{first},{n}")
        };
        writeln!(
            out,
            "@@ -{} +{} @@",
            range(start_before, end_before),
            range(start_after, end_after)
        )?;
        let mut pos = start_before;
        for h in &hunks[i..=j] {
            for k in pos..h.before.start {
                line(out, b' ', input.before[k as usize])?;
            }
            for k in h.before.clone() {
                line(out, b'-', input.before[k as usize])?;
            }
            for k in h.after.clone() {
                line(out, b'+', input.after[k as usize])?;
            }
            pos = h.before.end;
        }
        for k in pos..end_before {
            line(out, b' ', input.before[k as usize])?;
        }
        i = j + 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unified(a: &str, b: &str) -> String {
        let mut out = Vec::new();
        write_unified(&mut out, a.as_bytes(), b.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hunks_with_context_like_diff_u() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 5\n", "line five\n")
            .replace("line 18\n", "");
        assert_eq!(
            unified(&old, &new),
            "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n \
             line 8\n@@ -15,6 +15,5 @@\n line 15\n line 16\n line 17\n-line 18\n line 19\n line 20\n"
        );
        assert_eq!(unified(&old, &old), "");
        assert_eq!(unified("", "a\n"), "@@ -0,0 +1,1 @@\n+a\n");
        assert_eq!(
            unified("a", "b"),
            "@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
        );
    }
}
