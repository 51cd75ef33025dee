//! Reading the times people write in incident files.
//!
//! Authors write RFC 3339 timestamps with an offset, or a naive
//! `YYYY-MM-DD HH:MM[:SS]` that means the site's time zone. A naive time that
//! falls into a daylight-saving gap or fold is refused: guessing would put an
//! update an hour off, which is exactly what a status page must not do.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};

/// The first year a time may be in: earlier ones are almost surely typos.
pub const FIRST_YEAR: i16 = 1900;
/// The last year a time may be in. Every time candor derives from what
/// people write (deadlines, windows, history) stays far inside what it can
/// represent, so no arithmetic on a valid time can overflow.
pub const LAST_YEAR: i16 = 2999;
/// The longest duration a setting may give (ten years), for the same reason.
pub const LONGEST: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 3653);

/// Why a written time could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// Not a timestamp in any accepted form.
    Malformed(String),
    /// A real time, but outside the years candor accepts.
    OutOfRange,
    /// A naive time that the site's time zone skips (clocks jump forward).
    Gap,
    /// A naive time that the site's time zone has twice (clocks fall back).
    Fold,
}

impl TimeError {
    /// A sentence for the user, naming what was expected.
    pub fn message(&self, written: &str) -> (String, String) {
        match self {
            TimeError::Malformed(why) => (
                format!("`{written}` is not a valid time ({why})"),
                "expected an RFC 3339 time such as `2026-03-14T09:12:00+02:00`, or `2026-03-14 09:12` in the site's time zone".into(),
            ),
            TimeError::OutOfRange => (
                format!("`{written}` is outside the years {FIRST_YEAR} to {LAST_YEAR}"),
                "check the year; status pages record times within these years".into(),
            ),
            TimeError::Gap => (
                format!("`{written}` does not exist in the site's time zone: the clocks skip it for daylight saving"),
                "add an offset, e.g. `2026-03-29T03:30:00+03:00`".into(),
            ),
            TimeError::Fold => (
                format!("`{written}` happens twice in the site's time zone: the clocks go back for daylight saving"),
                "add an offset to say which one, e.g. `+03:00` for the first and `+02:00` for the second".into(),
            ),
        }
    }
}

/// Reads an RFC 3339 timestamp, or a naive date and time in `tz`.
pub fn parse_timestamp(text: &str, tz: &TimeZone) -> Result<Timestamp, TimeError> {
    parse_any_timestamp(text, tz).and_then(in_range)
}

/// A timestamp within [`FIRST_YEAR`] and [`LAST_YEAR`] (in UTC), or why not.
pub fn in_range(ts: Timestamp) -> Result<Timestamp, TimeError> {
    let year = ts.to_zoned_datetime(TimeZone::UTC).year();
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) { Ok(ts) } else { Err(TimeError::OutOfRange) }
}

fn parse_any_timestamp(text: &str, tz: &TimeZone) -> Result<Timestamp, TimeError> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    if has_offset(text) {
        return Err(malformed(text.parse::<Timestamp>().err()));
    }
    if !looks_like_naive(text) {
        return Err(TimeError::Malformed("the form is not recognised".into()));
    }
    let civil: DateTime = text.parse().map_err(|e: jiff::Error| malformed(Some(e)))?;
    match tz.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(civil).map_err(|e| malformed(Some(e))),
        AmbiguousOffset::Gap { .. } => Err(TimeError::Gap),
        AmbiguousOffset::Fold { .. } => Err(TimeError::Fold),
    }
}

/// Reads a calendar date, `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, TimeError> {
    let text = text.trim();
    if text.len() != 10 {
        return Err(TimeError::Malformed("expected `YYYY-MM-DD`".into()));
    }
    let date = text.parse::<Date>().map_err(|e| malformed(Some(e)))?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) { Ok(date) } else { Err(TimeError::OutOfRange) }
}

fn malformed(error: Option<jiff::Error>) -> TimeError {
    let why = error.map_or_else(|| "the form is not recognised".to_owned(), |e| simplify(&e.to_string()));
    TimeError::Malformed(why)
}

/// jiff's messages name its own parser's stages; keep the last, most specific part.
fn simplify(message: &str) -> String {
    message.rsplit(": ").next().unwrap_or(message).to_owned()
}

/// True when the text ends in `Z` or a `±HH:MM` offset after the time part.
fn has_offset(text: &str) -> bool {
    let Some(time) = text.get(11..) else { return false };
    time.ends_with(['Z', 'z']) || time.contains('+') || time.contains('-')
}

/// `YYYY-MM-DD HH:MM[:SS]` or with `T`: exactly the naive form the README documents.
fn looks_like_naive(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let sep_ok = matches!(bytes.get(10), Some(b' ' | b'T' | b't'));
    let shape = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && sep_ok
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16);
    match bytes.len() {
        16 => shape,
        19 => shape && bytes[16] == b':' && digits(17..19),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helsinki() -> TimeZone {
        TimeZone::get("Europe/Helsinki").expect("bundled tzdb has Helsinki")
    }

    #[test]
    fn reads_rfc3339_in_every_accepted_spelling() {
        let tz = helsinki();
        let expected: Timestamp = "2026-03-14T07:12:00Z".parse().unwrap();
        for text in [
            "2026-03-14T09:12:00+02:00",
            "2026-03-14 09:12:00+02:00",
            "2026-03-14t07:12:00z",
            "2026-03-14T07:12:00.000Z",
            "2026-03-14T09:12+02:00",
        ] {
            assert_eq!(parse_timestamp(text, &tz), Ok(expected), "{text}");
        }
    }

    #[test]
    fn reads_naive_times_in_the_site_zone() {
        let tz = helsinki();
        let winter = parse_timestamp("2026-03-14 09:12", &tz).unwrap();
        assert_eq!(winter, "2026-03-14T07:12:00Z".parse().unwrap());
        let summer = parse_timestamp("2026-07-01 09:12:30", &tz).unwrap();
        assert_eq!(summer, "2026-07-01T06:12:30Z".parse().unwrap());
    }

    #[test]
    fn refuses_times_in_a_dst_gap_or_fold() {
        let tz = helsinki();
        assert_eq!(parse_timestamp("2026-03-29 03:30", &tz), Err(TimeError::Gap));
        assert_eq!(parse_timestamp("2026-10-25 03:30", &tz), Err(TimeError::Fold));
    }

    #[test]
    fn refuses_impossible_dates_and_other_forms() {
        let tz = helsinki();
        for text in ["2026-13-45 10:00", "2026-13-45T10:00:00+02:00", "yesterday", "2026-03-14", "14.3.2026 10:00"] {
            assert!(matches!(parse_timestamp(text, &tz), Err(TimeError::Malformed(_))), "{text}");
        }
    }

    #[test]
    fn refuses_times_and_dates_outside_the_supported_years() {
        let tz = helsinki();
        for text in ["9000-12-31T23:59:59Z", "1899-12-31 23:59", "0001-01-01T00:00:00Z", "-009000-01-01T00:00:00Z"] {
            assert_eq!(parse_timestamp(text, &tz), Err(TimeError::OutOfRange), "{text}");
        }
        assert!(parse_timestamp("9999-12-31T23:59:59Z", &tz).is_err(), "past what can be represented at all");
        assert!(parse_timestamp("2999-12-31T23:59:59Z", &tz).is_ok());
        assert_eq!(parse_date("9999-01-01"), Err(TimeError::OutOfRange));
    }

    #[test]
    fn reads_dates() {
        assert_eq!(parse_date("2026-04-01"), Ok(jiff::civil::date(2026, 4, 1)));
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026-4-1").is_err());
    }
}
