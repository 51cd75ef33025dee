//! UI strings and the formatting of dates and durations for one language.
//!
//! Strings come from the theme's `i18n/LANG.yaml` (built in, overridable per
//! site), so templates never hard-code a word and a translation is a file.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};

/// The UI strings of one language, with formatting helpers.
#[derive(Clone, Debug, Default)]
pub struct Locale {
    strings: BTreeMap<String, String>,
    /// The same strings for lookups by key, which every date, label and
    /// sentence on every page makes, each with its placeholders found once.
    index: FxHashMap<String, Pattern>,
}

/// A string with the places of its `{name}` placeholders: [`Locale::fill`]
/// runs for every date and sentence of every page, and finding the braces
/// again each time was most of its cost.
#[derive(Clone, Debug, Default)]
struct Pattern {
    text: String,
    /// Each `{` that has a `}` after it, and the first such `}`, as byte offsets.
    holes: Vec<(usize, usize)>,
}

impl Pattern {
    fn new(text: &str) -> Pattern {
        let mut holes = Vec::new();
        for (open, _) in text.match_indices('{') {
            if let Some(close) = text[open + 1..].find('}') {
                holes.push((open, open + 1 + close));
            }
        }
        Pattern { text: text.to_owned(), holes }
    }
}

impl Locale {
    /// A locale from a table of strings.
    pub fn new(strings: BTreeMap<String, String>) -> Self {
        let index = strings.iter().map(|(k, v)| (k.clone(), Pattern::new(v))).collect();
        Locale { strings, index }
    }

    /// Every string, for templates (`t.key`).
    pub fn strings(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// The string for `key`; the key itself if missing, so a gap is visible, not fatal.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.index.get(key).map_or(key, |p| p.text.as_str())
    }

    /// `key` with `{name}` placeholders filled in.
    ///
    /// One pass over the pattern: a value is never searched for placeholders,
    /// and an unknown `{name}` is kept as written.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        match self.index.get(key) {
            Some(pattern) => fill_in(pattern, args),
            None => fill_in(&Pattern::new(key), args),
        }
    }

    /// "14 Mar 2026".
    pub fn date(&self, date: Date) -> String {
        let month = self.get(MONTHS[date.month() as usize - 1]);
        self.fill(
            "format.date",
            &[("day", &date.day().to_string()), ("month", month), ("year", &date.year().to_string())],
        )
    }

    /// "14 Mar 2026, 09:12".
    pub fn datetime(&self, zoned: &ZonedDateTime) -> String {
        self.join_datetime(&self.date(zoned.date()), &self.time(zoned))
    }

    /// A date and a time, both already formatted, as [`Locale::datetime`] writes them.
    pub fn join_datetime(&self, date: &str, time: &str) -> String {
        self.fill("format.datetime", &[("date", date), ("time", time)])
    }

    /// "09:12" (or "09.12", as the language writes times).
    pub fn time(&self, zoned: &ZonedDateTime) -> String {
        let (hour, minute) = (two_digits(zoned.hour()), two_digits(zoned.minute()));
        self.fill("format.time", &[("hour", hour.as_str()), ("minute", minute.as_str())])
    }

    /// A whole number with the language's thousands separator: "12,000".
    pub fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let separator = self.get("format.thousands");
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }

    /// A decimal number written with the language's decimal mark.
    pub fn decimal(&self, text: &str) -> String {
        text.replace('.', self.get("format.decimal"))
    }

    /// "2 h 36 min", "3 days 4 h", "45 min": the two largest units, rounded to minutes.
    pub fn duration(&self, duration: SignedDuration) -> String {
        let minutes = (duration.as_secs().max(0) + 30) / 60;
        let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
        let unit = |n: i64, one: &str, many: &str| self.fill(if n == 1 { one } else { many }, &[("n", &n.to_string())]);
        let parts = match (days, hours, mins) {
            (0, 0, m) => vec![unit(m, "unit.minute", "unit.minutes")],
            (0, h, 0) => vec![unit(h, "unit.hour", "unit.hours")],
            (0, h, m) => vec![unit(h, "unit.hour", "unit.hours"), unit(m, "unit.minute", "unit.minutes")],
            (d, 0, _) => vec![unit(d, "unit.day", "unit.days")],
            (d, h, _) => vec![unit(d, "unit.day", "unit.days"), unit(h, "unit.hour", "unit.hours")],
        };
        parts.join(" ")
    }

    /// "14 Mar 2026, 09:12 EET": a moment in `tz`, with the zone's abbreviation.
    pub fn moment(&self, ts: Timestamp, tz: &TimeZone) -> String {
        self.moment_parts(&ts.to_zoned_datetime(tz.clone())).2
    }

    /// A moment's date ("14 Mar 2026"), its time of day ("09:12"), and both
    /// with the zone's abbreviation ("14 Mar 2026, 09:12 EET"), formatted once.
    pub fn moment_parts(&self, zoned: &ZonedDateTime) -> (String, String, String) {
        let (date, time) = (self.date(zoned.date()), self.time(zoned));
        let mut text = self.join_datetime(&date, &time);
        text.push(' ');
        text.push_str(&Locale::zone_abbreviation(zoned.timestamp(), zoned.time_zone()));
        (date, time, text)
    }

    /// The abbreviation of the zone at that moment ("EET"), or its offset.
    pub fn zone_abbreviation(ts: Timestamp, tz: &TimeZone) -> String {
        let info = tz.to_offset_info(ts);
        let abbreviation = info.abbreviation();
        if abbreviation.is_empty() { info.offset().to_string() } else { abbreviation.to_owned() }
    }
}

/// `pattern` with each placeholder named in `args` replaced by its value, in
/// one pass: a value is never searched for placeholders, and a placeholder not
/// named in `args` is kept as written (its `{` may still open a later one).
fn fill_in(pattern: &Pattern, args: &[(&str, &str)]) -> String {
    let text = pattern.text.as_str();
    let mut out = String::with_capacity(text.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut from = 0;
    for &(open, close) in &pattern.holes {
        if open < from {
            continue;
        }
        if let Some((_, value)) = args.iter().find(|(name, _)| *name == &text[open + 1..close]) {
            out.push_str(&text[from..open]);
            out.push_str(value);
            from = close + 1;
        }
    }
    out.push_str(&text[from..]);
    out
}

/// An hour or minute with a leading zero ("09"), without formatting machinery.
fn two_digits(n: i8) -> TwoDigits {
    let n = n.unsigned_abs() % 100;
    TwoDigits([b'0' + n / 10, b'0' + n % 10])
}

/// Two ASCII digits.
struct TwoDigits([u8; 2]);

impl TwoDigits {
    fn as_str(&self) -> &str {
        // Both bytes are ASCII digits, so this always holds.
        std::str::from_utf8(&self.0).unwrap_or("00")
    }
}

/// The keys of the month abbreviations, January first.
pub const MONTHS: [&str; 12] = [
    "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8", "month.9", "month.10",
    "month.11", "month.12",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Locale {
        crate::theme::Theme::builtin_locale("en").expect("English ships with the binary")
    }

    #[test]
    fn formats_dates_and_durations() {
        let en = english();
        assert_eq!(en.date(jiff::civil::date(2026, 3, 14)), "14 Mar 2026");
        assert_eq!(en.duration(SignedDuration::from_mins(47)), "47 min");
        assert_eq!(en.duration(SignedDuration::from_mins(156)), "2 h 36 min");
        assert_eq!(en.duration(SignedDuration::from_mins(120)), "2 h");
        assert_eq!(en.duration(SignedDuration::from_mins(1440 + 61)), "1 day 1 h");
        assert_eq!(en.duration(SignedDuration::from_mins(3 * 1440)), "3 days");
        assert_eq!(en.count(12000), "12,000");
        assert_eq!(en.count(999), "999");
        assert_eq!(en.count(1234567), "1,234,567");
    }

    /// Filling by scanning the pattern each time: what the found placeholders must agree with.
    fn scanned(pattern: &str, args: &[(&str, &str)]) -> String {
        let (mut out, mut rest) = (String::new(), pattern);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let found = after
                .find('}')
                .and_then(|close| args.iter().find(|(n, _)| *n == &after[..close]).map(|(_, v)| (close, *v)));
            match found {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out + rest
    }

    #[test]
    fn found_placeholders_fill_as_scanning_would() {
        let args = [("a", "A{b}"), ("b", "B"), ("x{b", "X"), ("", "E")];
        let patterns = [
            "",
            "plain",
            "{a}",
            "{a}{a}",
            "{x{b}",
            "{{a}}",
            "}{a}{",
            "{}",
            "{a",
            "é{b}ü{c}",
            "{x{b}}{b}",
            "{{b}",
            "{ab}{a}",
        ];
        for pattern in patterns {
            let locale = Locale::new([("k".to_owned(), pattern.to_owned())].into());
            assert_eq!(locale.fill("k", &args), scanned(pattern, &args), "{pattern:?}");
            assert_eq!(locale.fill(pattern, &args), scanned(pattern, &args), "{pattern:?} as a missing key");
        }
    }

    #[test]
    fn fill_replaces_each_placeholder_once_and_keeps_unknown_ones() {
        let en = Locale::new([("k".to_owned(), "{a} and {b} {c} {a".to_owned())].into());
        assert_eq!(en.fill("k", &[("a", "{b}"), ("b", "two")]), "{b} and two {c} {a");
    }

    #[test]
    fn finnish_writes_dates_times_and_numbers_its_own_way() {
        let fi = crate::theme::Theme::builtin_locale("fi").expect("Finnish ships with the binary");
        let zoned = jiff::civil::date(2026, 3, 14).at(9, 12, 0, 0).to_zoned_datetime(jiff::tz::TimeZone::UTC).unwrap();
        assert_eq!(fi.datetime(&zoned), "14.3.2026 klo 09.12");
        assert_eq!(fi.count(12000), "12\u{202f}000");
        assert_eq!(fi.decimal("99.85"), "99,85");
        assert_eq!(fi.duration(SignedDuration::from_mins(156)), "2 t 36 min");
    }
}
