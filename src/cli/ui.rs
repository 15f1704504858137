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

/// `2026-11-22 14:03:05 +0100`: the time `secs` (since 1970) at the UTC offset `tz_minutes`.
pub fn format_time(secs: i64, tz_minutes: i32) -> String {
    use jiff::tz::{Offset, TimeZone};
    // An offset beyond ±25:59 (a damaged or hand-made commit) is shown as UTC: still the same moment.
    let offset = Offset::from_seconds(tz_minutes.saturating_mul(60)).unwrap_or(Offset::UTC);
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t
            .to_zoned(TimeZone::fixed(offset))
            .strftime("%Y-%m-%d %H:%M:%S %z")
            .to_string(),
        // Outside the years -9999..=9999: the number itself.
        Err(_) => format!("@{secs}"),
    }
}

/// How long ago a time counts as recent, for [`relative_time`]: two weeks.
const RECENT_SECS: i64 = 14 * 86_400;

/// `3 hours ago`: how long before `now` the time `secs` was, rounded to the largest unit that fits
/// (minutes up to 90, hours up to 36, then days), for a time in the last two weeks; `None` for an
/// older time, or one after `now` (a clock that was ahead).
pub fn relative_time(secs: i64, now: i64) -> Option<String> {
    use jiff::Span;
    use jiff::fmt::friendly::{Designator, Direction, Spacing, SpanPrinter};
    let ago = now
        .checked_sub(secs)
        .filter(|a| (0..=RECENT_SECS).contains(a))?;
    let span = match ago {
        0..60 => return Some("just now".into()),
        60..5_400 => Span::new().minutes((ago + 30) / 60),
        5_400..129_600 => Span::new().hours((ago + 1_800) / 3_600),
        _ => Span::new().days((ago + 43_200) / 86_400),
    };
    let printer = SpanPrinter::new()
        .designator(Designator::Verbose)
        .spacing(Spacing::BetweenUnitsAndDesignators)
        .direction(Direction::Suffix);
    Some(printer.span_to_string(&span.negate()))
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
        assert_eq!(
            format_time(1_763_820_000, 60 * 100),
            "2025-11-22 14:00:00 +0000"
        );
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(4_101_734), "4.1 MB");
    }

    #[test]
    fn relative_dates_for_the_last_two_weeks() {
        let t = 1_763_800_000;
        let ago = |secs: i64| relative_time(t, t + secs);
        assert_eq!(ago(0).as_deref(), Some("just now"));
        assert_eq!(ago(59).as_deref(), Some("just now"));
        assert_eq!(ago(60).as_deref(), Some("1 minute ago"));
        assert_eq!(ago(45 * 60).as_deref(), Some("45 minutes ago"));
        assert_eq!(ago(3 * 3600 + 100).as_deref(), Some("3 hours ago"));
        assert_eq!(ago(35 * 3600).as_deref(), Some("35 hours ago"));
        assert_eq!(ago(2 * 86_400).as_deref(), Some("2 days ago"));
        assert_eq!(ago(14 * 86_400).as_deref(), Some("14 days ago"));
        assert_eq!(ago(14 * 86_400 + 1), None);
        assert_eq!(ago(-60), None, "a time after now is not relative");
    }
}
