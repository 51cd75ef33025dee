//! iCalendar (RFC 5545) files for scheduled maintenance.
//!
//! `calendar.ics` holds every maintenance window and `incidents/ID/calendar.ics`
//! one, so people can put the work in their own calendars. UIDs derive from the
//! incident id and DTSTAMP from the data, so calendars update entries in place.

use std::sync::OnceLock;

use icalendar::{Calendar, Component, Event, Property};
use jiff::Timestamp;

use super::context::Formatter;
use super::ids::authority;
use crate::files::OutFile;
use crate::markdown;
use crate::model::{Kind, Model};
use crate::paths::Place;
use crate::views::{Phase, Views};

/// Writes calendars for one build.
pub struct Calendars<'a> {
    model: &'a Model,
    views: &'a Views,
    fmt: &'a Formatter<'a>,
    authority: String,
    /// What every calendar here starts with: `BEGIN` and the properties, as icalendar writes them.
    head: String,
    /// Each maintenance's event as text, written once per language and shared
    /// by the site's calendar, every audience's and its own.
    events: Vec<OnceLock<Option<String>>>,
}

/// How icalendar ends a calendar, after its properties and events.
const END: &str = "END:VCALENDAR\r\n";

impl<'a> Calendars<'a> {
    /// Prepares calendars in `fmt`'s language.
    pub fn new(fmt: &'a Formatter<'a>) -> Calendars<'a> {
        let model = fmt.model;
        let events = model.incidents.iter().map(|_| OnceLock::new()).collect();
        let whole = header(fmt).to_string();
        let head = whole.strip_suffix(END).unwrap_or(&whole).to_owned();
        Calendars { model, views: fmt.views, fmt, authority: authority(&fmt.paths, &model.site), head, events }
    }

    /// Indexes of published maintenances, in model order.
    pub fn maintenances(&self) -> Vec<usize> {
        (0..self.model.incidents.len())
            .filter(|i| {
                self.model.incidents[*i].kind == Kind::Maintenance
                    && self.views.incidents[*i].phase != Phase::Unpublished
            })
            .collect()
    }

    /// `calendar.ics` with every maintenance window.
    pub fn site_calendar(&self) -> OutFile {
        self.calendar(&self.fmt.paths.file(Place::Calendar), &self.maintenances())
    }

    /// `incidents/ID/calendar.ics` for maintenance `i`.
    pub fn incident_calendar(&self, i: usize) -> OutFile {
        self.calendar(&self.fmt.paths.file(Place::IncidentCalendar(&self.model.incidents[i].id)), &[i])
    }

    /// The calendar at `path` with the maintenance windows of the incidents at `indexes`.
    ///
    /// icalendar writes a calendar as `BEGIN`, its properties, its events and
    /// [`END`]; the events are put between the properties and the end here,
    /// each written once, so the file is the one icalendar would write.
    pub fn calendar(&self, path: &str, indexes: &[usize]) -> OutFile {
        let mut text = self.head.clone();
        for i in indexes {
            text.push_str(self.event_text(*i).unwrap_or_default());
        }
        text.push_str(END);
        OutFile { path: path.to_owned(), bytes: text.into_bytes() }
    }

    /// Incident `i`'s event as icalendar writes it, if it has a window.
    fn event_text(&self, i: usize) -> Option<&str> {
        self.events[i].get_or_init(|| self.event(i).map(|e| Component::to_string(&e))).as_deref()
    }

    fn event(&self, i: usize) -> Option<Event> {
        let inc = &self.model.incidents[i];
        let v = &self.views.incidents[i];
        let window = inc.scheduled?;
        let shown = &inc.updates[..v.shown_updates];
        let stamp = shown.last().map_or(inc.started_at, |u| u.at);
        let latest = shown.last().map(|u| markdown::to_plain(u.body.0.get(self.fmt.lang))).unwrap_or_default();
        let url = self.fmt.paths.url(Place::Incident(&inc.id));
        let mut event = Event::new();
        event
            .uid(&format!("{}@{}", inc.id, self.authority))
            .add_property("DTSTAMP", utc(stamp))
            .add_property("DTSTART", utc(window.start))
            .add_property("DTEND", utc(window.end))
            .add_property("LAST-MODIFIED", utc(stamp))
            .add_property("SEQUENCE", (v.shown_updates.saturating_sub(1)).to_string())
            .summary(&clean(&self.fmt.tr(&inc.title)))
            .description(&clean(&format!("{latest}\n\n{url}")))
            .add_property("STATUS", "CONFIRMED")
            .add_property("TRANSP", "TRANSPARENT");
        if self.fmt.paths.is_absolute() {
            event.url(&url);
        }
        Some(event.done())
    }
}

/// A calendar with the properties every calendar here has, and no events.
fn header(fmt: &Formatter<'_>) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar.append_property(Property::new("VERSION", "2.0"));
    calendar.append_property(Property::new("PRODID", "-//candor//status page//EN"));
    calendar.append_property(Property::new("CALSCALE", "GREGORIAN"));
    calendar.append_property(Property::new("METHOD", "PUBLISH"));
    calendar.append_property(Property::new("X-WR-CALNAME", clean(&fmt.tr(&fmt.model.site.title))));
    calendar
}

/// `20261126T000000Z`.
fn utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Text without control characters (other than line breaks), which calendars cannot carry.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\n').collect()
}
