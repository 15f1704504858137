//! Terminal output helpers: error printing, sizes, dates, progress bars.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::CommandError;

pub fn print_error(e: &CommandError) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", e.error);
    let causes: Vec<String> = e.error.chain().skip(1).map(|c| c.to_string()).collect();
    // Library errors often repeat their source in their message; print only new information.
    let top = e.error.to_string();
    let causes: Vec<&String> = causes
        .iter()
        .filter(|c| !top.contains(c.as_str()))
        .collect();
    if !causes.is_empty() {
        let _ = writeln!(err, "Caused by:");
        for (i, c) in causes.iter().enumerate() {
            let _ = writeln!(err, "  {}: {c}", i + 1);
        }
    }
    for h in &e.hints {
        let _ = writeln!(err, "hint: {h}");
    }
}

/// Terminal colours (ANSI), used only when `--color` allows them.
#[derive(Clone, Copy, Debug)]
pub enum Color {
    Red,
    Green,
    Yellow,
    Cyan,
    Bold,
}

/// `text` in `color` when `on`.
pub fn paint(on: bool, color: Color, text: &str) -> String {
    if !on || text.is_empty() {
        return text.to_string();
    }
    let code = match color {
        Color::Red => "31",
        Color::Green => "32",
        Color::Yellow => "33",
        Color::Cyan => "36",
        Color::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

pub fn warn(msg: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {msg}");
}

/// `1.5 MB`-style sizes (powers of 1000, as file browsers show them).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

/// `2026-11-22 14:03:05 +0100`.
pub fn format_time(secs: i64, tz_minutes: i32) -> String {
    let local = secs + i64::from(tz_minutes) * 60;
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if tz_minutes < 0 { '-' } else { '+' };
    let tz = tz_minutes.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        tz / 60,
        tz % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A byte progress bar on stderr that appears only on a terminal and only once an operation has run for
/// a moment.
pub struct Progress {
    bar: Option<ProgressBar>,
    enabled: bool,
    started: Instant,
    total: u64,
    done: u64,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        Self {
            bar: None,
            enabled: !quiet && std::io::stderr().is_terminal(),
            started: Instant::now(),
            total: 0,
            done: 0,
        }
    }

    pub fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

impl daw::repo::snapshot::Progress for Progress {
    fn start(&mut self, total_bytes: u64) {
        self.total = total_bytes;
    }
    fn advance(&mut self, bytes: u64) {
        self.done += bytes;
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() > Duration::from_millis(700) {
            let bar = ProgressBar::new(self.total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} eta {eta}",
                )
                .expect("valid template"),
            );
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(self.done);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_sizes() {
        assert_eq!(format_time(0, 0), "1970-01-01 00:00:00 +0000");
        assert_eq!(format_time(1_763_820_000, 60), "2025-11-22 15:00:00 +0100");
        assert_eq!(format_time(951_782_400, -300), "2000-02-28 19:00:00 -0500");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(4_101_734), "4.1 MB");
    }
}
