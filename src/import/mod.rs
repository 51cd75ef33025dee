//! `candor import`: bringing a team's history from Atlassian Statuspage or
//! cState into a candor site, with the old addresses still working.
//!
//! Each source ([`statuspage`], [`cstate`]) reads what the other tool holds
//! into one neutral form, a [`Source`]: the page, its components, and every
//! incident and maintenance as an [`Item`] with its updates, times as they
//! were written ([`Moment`]) and what could not be carried exactly. The shared
//! [`writer`] turns that into `site.yaml` and incident files with candor's own
//! YAML writer ([`crate::yaml`]), makes bodies safe to render without losing a
//! word ([`body`]), optionally recognises promises in the prose
//! ([`promises`]), validates every file with candor's own loader before
//! anything is written, and never replaces a file. What it did is a
//! [`report::Report`].

pub mod body;
pub mod cstate;
mod http;
pub mod ids;
pub mod incident;
pub mod promises;
pub mod report;
pub mod site;
pub mod statuspage;
pub mod writer;

use std::fmt;
use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};

use crate::model::{ComponentStatus, Impact, Kind, UpdateStatus};

/// A moment as a source wrote it: the instant, and the offset it was written
/// with, so the file keeps both, to the fraction of a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    /// The instant.
    pub at: Timestamp,
    /// The offset from UTC it was written in.
    pub offset: Offset,
}

impl Moment {
    /// `at` written in `offset`.
    pub fn new(at: Timestamp, offset: Offset) -> Moment {
        Moment { at, offset }
    }

    /// Reads an RFC 3339 time (with `T` or a space, with or without fractional
    /// seconds, with `Z` or an offset), or a date and time without an offset,
    /// which means `zone` (a time `zone` skips or has twice is taken the way
    /// clocks usually resolve it, and said so in the returned note). A bare
    /// date is its midnight.
    pub fn parse(text: &str, zone: &TimeZone) -> Result<(Moment, Option<String>), String> {
        let text = text.trim();
        let pieces = Pieces::parse(text).map_err(|e| format!("`{text}` is not a time ({e})"))?;
        let time = pieces.time().unwrap_or_default();
        let civil = DateTime::from_parts(pieces.date(), time);
        let offset = match pieces.offset() {
            Some(PiecesOffset::Zulu) => Some(Offset::UTC),
            Some(PiecesOffset::Numeric(n)) => Some(n.offset()),
            _ => None,
        };
        if let Some(offset) = offset {
            let at = offset.to_timestamp(civil).map_err(|e| format!("`{text}` is out of range ({e})"))?;
            return Ok((Moment::new(at, offset), None));
        }
        let ambiguous = zone.to_ambiguous_zoned_datetime(civil);
        let note = ambiguous
            .is_ambiguous()
            .then(|| format!("`{text}` falls where the clocks change; read as the usual interpretation"));
        let zoned = ambiguous.compatible().map_err(|e| format!("`{text}` is out of range ({e})"))?;
        Ok((Moment::new(zoned.timestamp(), zoned.offset()), note))
    }

    /// RFC 3339 with the moment's own offset, and fractional seconds only when
    /// there are any: `2026-03-14T09:31:12.345-04:00`.
    pub fn text(&self) -> String {
        let zoned = self.at.to_zoned_datetime(TimeZone::fixed(self.offset));
        zoned.strftime("%Y-%m-%dT%H:%M:%S%.f%:z").to_string()
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Everything a source holds, in the neutral form the writer reads.
#[derive(Clone, Debug, Default)]
pub struct Source {
    /// The tool's name: "Statuspage", "cState".
    pub tool: &'static str,
    /// Where it was read from, for the report.
    pub origin: String,
    /// The page's settings, for a new site.
    pub page: Page,
    /// Components in the order the page shows them.
    pub components: Vec<SourceComponent>,
    /// Every incident, maintenance and announcement.
    pub items: Vec<Item>,
    /// What could not be carried across exactly outside any one item.
    pub notes: Vec<Note>,
}

/// The page's own settings.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// Its name.
    pub title: Option<String>,
    /// Its IANA time zone, when it has one.
    pub timezone: Option<String>,
    /// Where it was published.
    pub base_url: Option<String>,
    /// The sentence under its title.
    pub description: Option<String>,
}

/// A component as the source declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceComponent {
    /// What the source calls it in incidents: its id, or its name.
    pub key: String,
    /// Its name.
    pub name: String,
    /// The group it is shown in.
    pub group: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// One incident, maintenance or announcement.
#[derive(Clone, Debug)]
pub struct Item {
    /// What the source calls it: an id, a file name.
    pub key: String,
    /// Its old addresses, relative to the page's root.
    pub aliases: Vec<String>,
    /// Its title.
    pub title: String,
    /// What kind of event it is.
    pub kind: Kind,
    /// How bad it was.
    pub impact: Impact,
    /// Affected components by key, with the status each had (`None`: what the impact implies).
    pub components: Vec<(String, Option<ComponentStatus>)>,
    /// When it started, or for maintenance and announcements when it was announced.
    pub started_at: Moment,
    /// When it ended.
    pub resolved_at: Option<Moment>,
    /// A maintenance window.
    pub window: Option<(Moment, Moment)>,
    /// Text shown above the timeline.
    pub summary: Option<String>,
    /// The timeline, in any order.
    pub updates: Vec<SourceUpdate>,
    /// A post-mortem: its text, and when it was published (none: a draft).
    pub postmortem: Option<(String, Option<Moment>)>,
    /// What could not be carried across exactly, and why.
    pub notes: Vec<String>,
}

/// One update of an item's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceUpdate {
    /// When readers saw it.
    pub at: Moment,
    /// What it reported (none on announcements).
    pub status: Option<UpdateStatus>,
    /// What it said, as the source holds it.
    pub body: String,
}

/// Something that could not be carried across exactly: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// What it is about: a file written, or the source's name for an item.
    pub item: String,
    /// What happened and why.
    pub what: String,
}

/// Why an import stopped before writing anything.
#[derive(Debug)]
pub enum ImportError {
    /// The source could not be read, with what to do about it.
    Source(String),
    /// The site to import into has problems.
    Site(Vec<crate::diagnostic::Diagnostic>),
    /// A file could not be written; the files written before it are listed.
    Write(crate::files::WriteError, Vec<PathBuf>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Source(message) => f.write_str(message),
            ImportError::Site(d) => write!(f, "the site has {} problem(s); fix them and import again", d.len()),
            ImportError::Write(e, written) => write!(f, "{e} (after writing {} file(s))", written.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_keep_their_offset_and_fraction() {
        let utc = TimeZone::UTC;
        for (written, kept) in [
            ("2026-03-14T09:31:12.345-04:00", "2026-03-14T09:31:12.345-04:00"),
            ("2026-03-14T09:31:12-04:00", "2026-03-14T09:31:12-04:00"),
            ("2026-03-14 09:31:12Z", "2026-03-14T09:31:12+00:00"),
            ("2024-12-27T09:43:40.482Z", "2024-12-27T09:43:40.482+00:00"),
        ] {
            let (moment, note) = Moment::parse(written, &utc).unwrap();
            assert_eq!((moment.text().as_str(), note), (kept, None), "{written}");
            assert_eq!(crate::time::parse_timestamp(&moment.text(), &utc), Ok(moment.at), "{written} reads back");
        }
    }

    #[test]
    fn naive_times_are_read_in_the_zone_given() {
        let helsinki = TimeZone::get("Europe/Helsinki").unwrap();
        let (moment, note) = Moment::parse("2018-04-13 15:54:00", &helsinki).unwrap();
        assert_eq!((moment.text().as_str(), note), ("2018-04-13T15:54:00+03:00", None));
        let (moment, _) = Moment::parse("2018-04-13", &helsinki).unwrap();
        assert_eq!(moment.text(), "2018-04-13T00:00:00+03:00");
        let (_, note) = Moment::parse("2026-03-29 03:30", &helsinki).unwrap();
        assert!(note.is_some(), "a time the clocks skip is said");
        assert!(Moment::parse("yesterday", &helsinki).is_err());
    }
}
