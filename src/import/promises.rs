//! Promises hidden in prose: "We will provide another update in 30 minutes",
//! "next update by 14:00 UTC". candor records promises as data
//! (`next_update_by`); other tools leave them in the text. With
//! `--infer-promises` the importer asks [`recognise`] for each update, so a
//! migrated history shows its real track record.
//!
//! A sentence makes a promise when it speaks of a coming update or more
//! information ("next update", "another update", "update you", "more
//! information", "check back", ...), says it is coming ("will", "'ll",
//! "expect", "to follow", or the words "next update" themselves), denies it
//! nowhere ("no further updates", "will not"), and names when: after a while
//! ("in 30 minutes", "within the next hour", "in half an hour", "every 2
//! hours", "in 30-60 minutes", which means the later) or at a time ("by
//! 14:00 UTC", "at 3pm PST", "around 2:30 p.m. ET", "no later than 09:00
//! tomorrow"). A time without a zone is read in the page's zone; a time of
//! day means its next occurrence after the update, at most 18 hours on (48
//! with "tomorrow"), and a while at most 7 days, so a time that has already
//! passed is never taken for tomorrow's. Zone abbreviations with one meaning
//! are read as their offset (PST is always UTC-8); PT, ET, CT and MT follow
//! their zone's daylight saving; an abbreviation with several meanings (IST)
//! or none known makes the sentence no promise at all.
//!
//! This module only reads text: times are computed with jiff.

use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::strtime;
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// A promise found in an update's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// When the next update was promised by.
    pub by: Timestamp,
    /// The sentence that promised it, as written.
    pub sentence: String,
}

/// The promise of a next update that `text`, published at `at`, makes (the
/// earliest, when it makes several); times without a zone are read in `zone`.
pub fn recognise(text: &str, at: Timestamp, zone: &TimeZone) -> Option<Found> {
    sentences(text)
        .into_iter()
        .filter_map(|sentence| promise_in(&sentence, at, zone).map(|by| Found { by, sentence }))
        .min_by_key(|f| f.by)
}

/// How far after the update a deadline may fall.
const MAX_SAME_DAY: SignedDuration = SignedDuration::from_hours(18);
const MAX_TOMORROW: SignedDuration = SignedDuration::from_hours(48);
const MAX_WHILE: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The text's sentences, trimmed: ended by `.`, `!`, `?` or `;` before a
/// space (not after `a.m.`, `p.m.`, `e.g.` or `approx.`), by a blank line or
/// by a line that starts a list item.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            let rest: String = chars[i + 1..].iter().take(3).collect();
            let rest = rest.trim_start_matches([' ', '\t']);
            if rest.starts_with(['\n', '-', '*', '+', '#']) || rest.is_empty() {
                push_sentence(&mut out, &mut current);
            } else {
                current.push(' ');
            }
            i += 1;
            continue;
        }
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?' | ';') && next.is_none_or(char::is_whitespace);
        if ends && !(c == '.' && ends_in_abbreviation(&current)) {
            push_sentence(&mut out, &mut current);
        }
        i += 1;
    }
    push_sentence(&mut out, &mut current);
    out
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let sentence = current.trim();
    if !sentence.is_empty() {
        out.push(sentence.to_owned());
    }
    current.clear();
}

fn ends_in_abbreviation(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["a.m.", "p.m.", "e.g.", "i.e.", "approx.", "approx. ", "est."].iter().any(|a| lower.ends_with(a))
}

/// Words that say an update or more information is coming.
const CUES: &[&str] = &[
    "next update",
    "another update",
    "further update",
    "additional update",
    "new update",
    "more updates",
    "regular updates",
    "status update",
    "provide an update",
    "provide updates",
    "post updates",
    "updates every",
    "update every",
    "post an update",
    "share an update",
    "send an update",
    "give an update",
    "update you",
    "update this",
    "update the status",
    "update again",
    "keep you updated",
    "keep you posted",
    "keep you informed",
    "more information",
    "further information",
    "additional information",
    "more info",
    "more details",
    "further details",
    "report back",
    "check back",
    "next communication",
    "be back with",
];

/// Words that say it is coming, not that it came.
const FUTURE: &[&str] =
    &["will", "'ll", "shall", "expect", "plan to", "aim to", "intend to", "going to", "to follow", "check back"];

/// Words that say no update is coming.
const DENIALS: &[&str] = &[
    "no further update",
    "no more update",
    "no additional update",
    "no new update",
    "will not",
    "won't",
    "not provide",
    "not be providing",
    "final update",
    "last update",
];

/// The deadline one sentence promises, if it promises one.
fn promise_in(sentence: &str, at: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
    let lower = sentence.to_lowercase().replace('’', "'").replace("a.m.", "am").replace("p.m.", "pm");
    let cue = cue_position(&lower)?;
    let future = lower.starts_with("next update") || FUTURE.iter().any(|f| lower.contains(f));
    if !future || DENIALS.iter().any(|d| lower.contains(d)) {
        return None;
    }
    let tokens = tokens(&lower);
    let cue_token = tokens.iter().position(|t| t.at >= cue).unwrap_or(tokens.len());
    let mut found: Vec<(usize, Option<Timestamp>)> = Vec::new();
    for i in 0..tokens.len() {
        if let Some(d) = relative(&tokens, i) {
            found.push((i, at.checked_add(d).ok().filter(|_| d > SignedDuration::ZERO && d <= MAX_WHILE)));
        } else if let Some(when) = absolute(&tokens, i, cue_token) {
            found.push((i, when.deadline(at, zone)));
        }
    }
    // The time named after the cue, else the last one before it.
    let chosen = found.iter().find(|(i, _)| *i >= cue_token).or_else(|| found.last())?;
    chosen.1
}

/// Where the first cue starts, in bytes of the lower-case sentence. "an
/// update" counts only when a time follows it ("an update in 30 minutes",
/// not "an update to the app").
fn cue_position(lower: &str) -> Option<usize> {
    let listed = CUES.iter().filter_map(|c| lower.find(c)).min();
    let an_update = lower.match_indices("an update").map(|(i, _)| i).find(|i| {
        let rest = lower[i + "an update".len()..].trim_start();
        ["in ", "within ", "by ", "at ", "around ", "before ", "no later ", "every ", "between ", "shortly"]
            .iter()
            .any(|p| rest.starts_with(p))
    });
    [listed, an_update].into_iter().flatten().min()
}

/// A word of the sentence and where it starts.
struct Token {
    text: String,
    at: usize,
}

/// The sentence's words, with the punctuation around them removed (but not
/// inside them: `14:00`, `30-60`, `utc+2`).
fn tokens(lower: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in lower.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += raw.len();
        let trimmed = raw.trim_end().trim_start_matches(['(', '"', '\'', '[']);
        let lead = raw.len() - raw.trim_start_matches(['(', '"', '\'', '[']).len();
        let text = trimmed.trim_end_matches([',', '.', ';', ':', '!', '?', ')', '"', '\'', ']']);
        if !text.is_empty() {
            out.push(Token { text: text.to_owned(), at: start + lead });
        }
    }
    out
}

/// Words that may stand between `in`/`within` and how long.
const FILLERS: &[&str] =
    &["the", "next", "coming", "about", "approximately", "approx", "around", "roughly", "~", "less", "than", "under"];

/// "in 30 minutes", "within the next hour", "every 2 hours", "in 30-60 minutes": how long, from token `i`.
fn relative(tokens: &[Token], i: usize) -> Option<SignedDuration> {
    if !matches!(tokens[i].text.as_str(), "in" | "within" | "every") {
        return None;
    }
    let mut j = i + 1;
    let mut implied_one = false;
    while let Some(t) = tokens.get(j).filter(|t| FILLERS.contains(&t.text.as_str())) {
        implied_one |= matches!(t.text.as_str(), "the" | "next");
        j += 1;
    }
    let (amount, mut j) = quantity(tokens, j).or_else(|| implied_one.then_some((1.0, j)))?;
    let per = unit(tokens.get(j).map(|t| t.text.as_str())?)?;
    let mut minutes = amount * per;
    j += 1;
    // "an hour and a half", "1 hour and 30 minutes"
    if tokens.get(j).is_some_and(|t| t.text == "and") {
        if tokens.get(j + 1).is_some_and(|t| t.text == "a") && tokens.get(j + 2).is_some_and(|t| t.text == "half") {
            minutes += 0.5 * per;
        } else if let Some((more, k)) = quantity(tokens, j + 1)
            && let Some(u) = tokens.get(k).and_then(|t| unit(&t.text))
        {
            minutes += more * u;
        }
    }
    let seconds = (minutes * 60.0).round();
    (seconds > 0.0 && seconds < 1e9).then(|| SignedDuration::from_secs(seconds as i64))
}

/// A number at token `j` (digits, a decimal, a range whose upper end counts,
/// or a word) and the token after it; `30m` and `2h` carry their unit, which
/// then stays for [`unit`] to read.
fn quantity(tokens: &[Token], j: usize) -> Option<(f64, usize)> {
    let text = tokens.get(j)?.text.as_str();
    if text == "half" && tokens.get(j + 1).is_some_and(|t| t.text == "an" || t.text == "a") {
        return Some((0.5, j + 2));
    }
    if text == "a" && tokens.get(j + 1).is_some_and(|t| t.text == "couple") {
        let of = usize::from(tokens.get(j + 2).is_some_and(|t| t.text == "of"));
        return Some((2.0, j + 2 + of));
    }
    if let Some(n) = number_word(text) {
        return Some((n, j + 1));
    }
    // A range: "30-60", "30–60", or "30 to 60", "30 or 60".
    let upper = text.rsplit(['-', '–']).next().unwrap_or(text);
    let digits = upper.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if let Ok(n) = digits.parse::<f64>() {
        if digits.len() < upper.len() {
            // "30m", "2hrs": the unit is in this token.
            return Some((n, j));
        }
        if let (Some(link), Some(next)) = (tokens.get(j + 1), tokens.get(j + 2))
            && matches!(link.text.as_str(), "to" | "or")
            && let Ok(m) = next.text.parse::<f64>()
        {
            return Some((m, j + 3));
        }
        return Some((n, j + 1));
    }
    None
}

fn number_word(text: &str) -> Option<f64> {
    const WORDS: &[(&str, f64)] = &[
        ("a", 1.0),
        ("an", 1.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("ten", 10.0),
        ("twelve", 12.0),
        ("fifteen", 15.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty-five", 45.0),
        ("sixty", 60.0),
        ("ninety", 90.0),
    ];
    WORDS.iter().find(|(w, _)| *w == text).map(|(_, n)| *n)
}

/// How many minutes one of `text`'s unit is (also at the end of `30m`, `2h`).
fn unit(text: &str) -> Option<f64> {
    let word = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '–');
    match word {
        "minute" | "minutes" | "min" | "mins" | "m" => Some(1.0),
        "hour" | "hours" | "hr" | "hrs" | "h" => Some(60.0),
        "day" | "days" => Some(24.0 * 60.0),
        _ => None,
    }
}

/// Which day a time of day falls on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Day {
    /// Its next occurrence.
    Next,
    /// Today, as the update's zone counts days.
    Today,
    /// Tomorrow.
    Tomorrow,
}

/// A time of day the text names, in a zone or in the page's.
struct When {
    time: Time,
    zone: Option<TimeZone>,
    day: Day,
}

impl When {
    /// The moment it means after `at`, within the limits.
    fn deadline(&self, at: Timestamp, page: &TimeZone) -> Option<Timestamp> {
        let zone = self.zone.as_ref().unwrap_or(page);
        let today = at.to_zoned_datetime(zone.clone()).date();
        let on = |date: Date| {
            let zoned = zone.to_ambiguous_zoned_datetime(DateTime::from_parts(date, self.time)).compatible().ok()?;
            Some(zoned.timestamp())
        };
        let (by, limit) = match self.day {
            Day::Tomorrow => (on(today.tomorrow().ok()?)?, MAX_TOMORROW),
            Day::Today => (on(today)?, MAX_SAME_DAY),
            Day::Next => match on(today)? {
                same if same > at => (same, MAX_SAME_DAY),
                _ => (on(today.tomorrow().ok()?)?, MAX_SAME_DAY),
            },
        };
        (by > at && by.duration_since(at) <= limit).then_some(by)
    }
}

/// Words after which a time of day is a deadline.
const BEFORE_TIME: &[&str] =
    &["by", "at", "before", "around", "until", "till", "than", "approximately", "about", "and"];

/// A time of day at token `i` that the sentence gives as a deadline: after
/// one of [`BEFORE_TIME`], or right after the cue ("next update: 15:00 UTC").
fn absolute(tokens: &[Token], i: usize, cue: usize) -> Option<When> {
    let before = i.checked_sub(1).map(|p| tokens[p].text.as_str());
    if before == Some("between") {
        // "between 10:00 and 11:00": the later time is the deadline.
        return None;
    }
    let after_cue = i > cue && i <= cue + 4;
    if !(before.is_some_and(|b| BEFORE_TIME.contains(&b)) || after_cue) {
        return None;
    }
    let (time, mut j) = time_of_day(tokens, i)?;
    let zone = match tokens.get(j).map(|t| zone_of(&t.text)) {
        Some(Zone::Known(z)) => {
            j += 1;
            Some(z)
        }
        Some(Zone::Unknown) => return None,
        _ => None,
    };
    // "15:00 (UTC)", "14:00 UTC time"
    if tokens.get(j).is_some_and(|t| t.text == "time") {
        j += 1;
    }
    let day = match tokens.get(j).map(|t| t.text.as_str()) {
        Some("tomorrow") => Day::Tomorrow,
        Some("today" | "tonight") => Day::Today,
        _ => Day::Next,
    };
    Some(When { time, zone, day })
}

/// A time of day from token `i` (and an `am`/`pm` after it), and the token after.
fn time_of_day(tokens: &[Token], i: usize) -> Option<(Time, usize)> {
    let text = tokens.get(i)?.text.as_str();
    match text {
        "noon" | "midday" => return Some((Time::constant(12, 0, 0, 0), i + 1)),
        "midnight" => return Some((Time::constant(0, 0, 0, 0), i + 1)),
        _ => {}
    }
    let meridiem = tokens.get(i + 1).map(|t| t.text.as_str()).filter(|t| matches!(*t, "am" | "pm"));
    let (written, next) = match meridiem {
        Some(m) => (format!("{text}{m}"), i + 2),
        None => (text.to_owned(), i + 1),
    };
    let zone_follows = tokens.get(next).is_some_and(|t| matches!(zone_of(&t.text), Zone::Known(_)));
    // 24-hour clock with a colon; 12-hour clock with am/pm; 4 digits only before a zone ("1400 UTC").
    let formats: &[&str] = if written.ends_with("am") || written.ends_with("pm") {
        &["%I:%M%p", "%I%p"]
    } else if written.contains(':') {
        &["%H:%M"]
    } else if written.len() == 4 && zone_follows {
        &["%H%M"]
    } else {
        &[]
    };
    let time = formats.iter().find_map(|f| strtime::parse(f, &written).ok().and_then(|t| t.to_time().ok()))?;
    Some((time, next))
}

/// What a word after a time says about its zone.
enum Zone {
    /// A zone, or a fixed offset.
    Known(TimeZone),
    /// Looks like a zone abbreviation, but candor does not know which one it means.
    Unknown,
    /// Not a zone.
    Other,
}

/// The zone a word names: `utc`, `utc+2`, `gmt-05:30`, `pst`, `et`, `pacific`, ...
fn zone_of(word: &str) -> Zone {
    const FIXED: &[(&str, i8)] = &[
        ("utc", 0),
        ("gmt", 0),
        ("z", 0),
        ("wet", 0),
        ("west", 1),
        ("bst", 1),
        ("cet", 1),
        ("cest", 2),
        ("eet", 2),
        ("eest", 3),
        ("msk", 3),
        ("hst", -10),
        ("akst", -9),
        ("akdt", -8),
        ("pst", -8),
        ("pdt", -7),
        ("mst", -7),
        ("mdt", -6),
        ("cst", -6),
        ("cdt", -5),
        ("est", -5),
        ("edt", -4),
        ("sgt", 8),
        ("hkt", 8),
        ("awst", 8),
        ("jst", 9),
        ("kst", 9),
        ("aest", 10),
        ("aedt", 11),
        ("nzst", 12),
        ("nzdt", 13),
    ];
    const NAMED: &[(&str, &str)] = &[
        ("pt", "America/Los_Angeles"),
        ("pacific", "America/Los_Angeles"),
        ("mt", "America/Denver"),
        ("mountain", "America/Denver"),
        ("ct", "America/Chicago"),
        ("central", "America/Chicago"),
        ("et", "America/New_York"),
        ("eastern", "America/New_York"),
    ];
    if let Some((_, hours)) = FIXED.iter().find(|(name, _)| *name == word) {
        return Zone::Known(TimeZone::fixed(Offset::constant(*hours)));
    }
    if let Some((_, name)) = NAMED.iter().find(|(w, _)| *w == word) {
        return TimeZone::get(name).map_or(Zone::Unknown, Zone::Known);
    }
    for base in ["utc", "gmt"] {
        if let Some(rest) = word.strip_prefix(base) {
            return offset_after(rest).map_or(Zone::Unknown, |o| Zone::Known(TimeZone::fixed(o)));
        }
    }
    let looks_like_one = (2..=5).contains(&word.len())
        && word.ends_with('t')
        && word.chars().all(|c| c.is_ascii_lowercase())
        && !matches!(word, "at" | "but" | "not" | "it" | "that" | "get" | "yet" | "out" | "set" | "let" | "next");
    if looks_like_one { Zone::Unknown } else { Zone::Other }
}

/// `+2`, `-05:30`, `+0530` after `utc`/`gmt`, as an offset.
fn offset_after(rest: &str) -> Option<Offset> {
    let sign = match rest.chars().next()? {
        '+' => 1,
        '-' | '−' => -1,
        _ => return None,
    };
    let digits = &rest[rest.chars().next()?.len_utf8()..];
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        None => (digits.parse().ok()?, 0),
    };
    (hours <= 14 && minutes < 60).then(|| Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// Each phrasing, published at 2026-03-14T09:00:00Z (Saturday) on a page in New York
    /// time (UTC-4 then), and the deadline it promises.
    #[test]
    fn phrasings_that_promise_a_next_update() {
        let zone = TimeZone::get("America/New_York").unwrap();
        let published = at("2026-03-14T09:00:00Z");
        for (text, by) in [
            ("We will provide another update in 30 minutes.", "2026-03-14T09:30:00Z"),
            ("We'll provide an update within the next hour.", "2026-03-14T10:00:00Z"),
            ("Next update in 1 hour.", "2026-03-14T10:00:00Z"),
            ("We will post another update within 45 minutes or sooner.", "2026-03-14T09:45:00Z"),
            ("Expect another update in approximately 2 hours.", "2026-03-14T11:00:00Z"),
            ("We will update this incident in half an hour.", "2026-03-14T09:30:00Z"),
            ("We will provide updates every 15 mins.", "2026-03-14T09:15:00Z"),
            ("More information will follow in 30-60 minutes.", "2026-03-14T10:00:00Z"),
            ("We will keep you updated and report back within an hour and a half.", "2026-03-14T10:30:00Z"),
            ("Another update will be posted in 90m.", "2026-03-14T10:30:00Z"),
            ("The next update will be provided by 14:00 UTC.", "2026-03-14T14:00:00Z"),
            ("Next update: 15:30 UTC", "2026-03-14T15:30:00Z"),
            ("We expect to have an update by 1400 GMT.", "2026-03-14T14:00:00Z"),
            ("We will share more information at 3pm PST.", "2026-03-14T23:00:00Z"),
            ("We'll provide an update at 2:30 p.m. ET.", "2026-03-14T18:30:00Z"),
            ("We will provide an update at 11am.", "2026-03-14T15:00:00Z"),
            ("Our next update will be around 17:00 (UTC+2).", "2026-03-14T15:00:00Z"),
            ("We will update you no later than 09:00 tomorrow.", "2026-03-15T13:00:00Z"),
            ("Please check back at noon Pacific time for more information.", "2026-03-14T19:00:00Z"),
            (
                "The issue began at 13:00 UTC. We are working on a fix; we will provide an update in 20 minutes.",
                "2026-03-14T09:20:00Z",
            ),
            ("We'll update again between 10:00 and 11:00 UTC.", "2026-03-14T11:00:00Z"),
            ("Engineers are working on it.\nWe will provide\nanother update in 30 minutes.", "2026-03-14T09:30:00Z"),
        ] {
            let found = recognise(text, published, &zone).unwrap_or_else(|| panic!("no promise found in {text:?}"));
            assert_eq!(found.by, at(by), "{text}");
            assert!(text.replace('\n', " ").contains(&found.sentence), "{text}: {:?}", found.sentence);
        }
    }

    #[test]
    fn the_quoted_sentence_is_the_one_that_promised() {
        let zone = TimeZone::UTC;
        let found = recognise(
            "We found the cause. We will provide another update in 30 minutes. Thanks.",
            at("2026-03-14T09:00:00Z"),
            &zone,
        )
        .unwrap();
        assert_eq!(found.sentence, "We will provide another update in 30 minutes.");
    }

    #[test]
    fn sentences_that_promise_nothing() {
        let zone = TimeZone::get("America/New_York").unwrap();
        let published = at("2026-03-14T09:00:00Z");
        for text in [
            "The issue started 30 minutes ago.",
            "Between 14:00 and 14:30 UTC some requests failed.",
            "We expect the maintenance to take about 2 hours.",
            "The fix will be deployed in 30 minutes.",
            "An update to the mobile app will be released at 3pm PST.",
            "We updated the configuration at 14:00 UTC.",
            "We provided an update at 08:00 UTC.",
            "Updates to the dashboard were delayed by up to 15 minutes.",
            "We will not provide further updates in the next hour.",
            "No further updates will be provided.",
            "This is the final update; we will review it in 2 days.",
            "We will provide an update when we have more information.",
            "Latency was elevated for 2 hours.",
            "We will provide an update at 3pm IST.",
            "We will provide an update at 04:30.",
            "We will provide an update in 2 weeks.",
            "Next update at 9.",
            "",
        ] {
            assert_eq!(recognise(text, published, &zone), None, "{text:?}");
        }
    }

    #[test]
    fn times_past_midnight_and_zones_with_daylight_saving() {
        let helsinki = TimeZone::get("Europe/Helsinki").unwrap();
        // 23:30 in Helsinki; "01:00" is the next night's.
        let late = at("2026-03-14T21:30:00Z");
        assert_eq!(recognise("Next update by 01:00.", late, &helsinki).unwrap().by, at("2026-03-14T23:00:00Z"));
        // Summer in California: PT is UTC-7, PST stays UTC-8.
        let summer = at("2026-07-01T16:00:00Z");
        assert_eq!(
            recognise("We will post an update at 10am PT.", summer, &TimeZone::UTC).unwrap().by,
            at("2026-07-01T17:00:00Z")
        );
        assert_eq!(
            recognise("We will post an update at 10am PST.", summer, &TimeZone::UTC).unwrap().by,
            at("2026-07-01T18:00:00Z")
        );
    }
}
