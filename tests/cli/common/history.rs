//! Helpers for the history tests (status, branches, switch, oplog): stable text for snapshot
//! comparisons, and quick ways to make commits.

use super::{Run, TestEnv};

/// This machine's host name (it appears in default e-mail addresses).
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    assert_eq!(rc, 0);
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// Replaces the named ids (full or 12-digit short forms) with `<name>`, any other run of 12 or more
/// hex digits with `<id>`, and the host name with `HOST`: output that is the same on every run.
pub fn redact(text: &str, names: &[(&str, &str)]) -> String {
    let mut s = text.to_string();
    for (name, id) in names {
        s = s.replace(id, &format!("<{name}>"));
        s = s.replace(&id[..12], &format!("<{name}>"));
    }
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .count();
        if run >= 12 && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            out.push_str("<id>");
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out.replace(&hostname(), "HOST")
}

impl TestEnv {
    /// `daw commit -m MESSAGE`, returning the new commit's full id.
    pub fn commit(&self, message: &str) -> String {
        self.run(&["commit", "-m", message]).ok();
        self.head_id()
    }

    /// The full id of HEAD's commit.
    pub fn head_id(&self) -> String {
        let log = self.run(&["log", "--json", "-n", "1"]);
        log.ok();
        let v: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
        v[0]["id"].as_str().unwrap().to_string()
    }

    /// Runs daw and expects exit code `code`.
    #[track_caller]
    pub fn run_code(&self, args: &[&str], code: i32) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.status, code,
            "daw {args:?}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        r
    }

    /// Sets a file's modification time to `secs` since the epoch (and so its ctime to now).
    pub fn set_mtime(&self, rel: &str, secs: u64) {
        let f = std::fs::File::options()
            .write(true)
            .open(self.project.join(rel))
            .unwrap();
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
            .unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.project.join(rel)).unwrap()
    }
}
