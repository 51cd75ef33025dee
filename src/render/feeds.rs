//! Atom and RSS feeds: one entry per published update, newest first, capped.
//!
//! Entry ids derive from the incident's id and the update's time, and every
//! date comes from the data, so the same input gives the same feed and feed
//! readers never see an entry twice.

use std::fmt::Write as _;

use jiff::Timestamp;

use super::context::{Formatter, ReaderRef};
use super::ics::Calendars;
use super::ids::authority;
use super::xml::escape;
use crate::files::OutFile;
use crate::model::{ComponentId, Model};
use crate::paths::Place;
use crate::views::{Phase, Views};

/// How many entries a feed carries.
pub const FEED_LIMIT: usize = 50;

/// One update of one incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The incident's index in the model.
    pub incident: usize,
    /// The update's index in the incident.
    pub update: usize,
    /// When it was published.
    pub at: Timestamp,
}

/// What one feed covers.
pub struct Scope<'s> {
    /// Its title.
    pub title: String,
    /// Its Atom feed (`feed.xml`, `components/api/feed.xml`, ...).
    pub atom: Place<'s>,
    /// Its RSS feed, if it has one.
    pub rss: Option<Place<'s>>,
    /// The address of the HTML page it follows.
    pub page: String,
    /// Its entries, newest first.
    pub entries: &'s [Entry],
    /// Whose feed it is, when it is one reader's: each entry then starts with
    /// the advice in effect for them at that update.
    pub reader: Option<ReaderRef>,
}

/// Writes feeds for one build.
pub struct Feeds<'a> {
    model: &'a Model,
    views: &'a Views,
    fmt: &'a Formatter<'a>,
    authority: String,
}

impl<'a> Feeds<'a> {
    /// Prepares feeds in `fmt`'s language, with its rendered update bodies.
    pub fn new(fmt: &'a Formatter<'a>) -> Feeds<'a> {
        let model = fmt.model;
        Feeds { model, views: fmt.views, fmt, authority: authority(&fmt.paths, &model.site) }
    }

    /// Every published update, newest first (then by incident id, then update order).
    pub fn all_entries(&self) -> Vec<Entry> {
        let mut entries: Vec<Entry> = self
            .model
            .incidents
            .iter()
            .zip(&self.views.incidents)
            .enumerate()
            .filter(|(_, (_, v))| v.phase != Phase::Unpublished)
            .flat_map(|(i, (inc, v))| {
                inc.updates[..v.shown_updates].iter().enumerate().map(move |(u, up)| Entry {
                    incident: i,
                    update: u,
                    at: up.at,
                })
            })
            .collect();
        entries.sort_by(|a, b| {
            b.at.cmp(&a.at)
                .then_with(|| self.model.incidents[a.incident].id.cmp(&self.model.incidents[b.incident].id))
                .then_with(|| b.update.cmp(&a.update))
        });
        entries
    }

    /// The newest entries that touch `component`, at most [`FEED_LIMIT`].
    pub fn for_component(&self, entries: &[Entry], component: &ComponentId) -> Vec<Entry> {
        entries
            .iter()
            .filter(|e| self.model.incidents[e.incident].components.iter().any(|a| &a.component == component))
            .take(FEED_LIMIT)
            .copied()
            .collect()
    }

    /// The entries of one incident, newest first.
    pub fn for_incident(&self, incident: usize) -> Vec<Entry> {
        let inc = &self.model.incidents[incident];
        let shown = self.views.incidents[incident].shown_updates;
        (0..shown).rev().map(|u| Entry { incident, update: u, at: inc.updates[u].at }).collect()
    }

    fn entry_id(&self, e: &Entry) -> String {
        let inc = &self.model.incidents[e.incident];
        let date = inc.started_at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let (second, nth) = super::ids::update_key(inc, e.update);
        let same_second = if nth == 0 { String::new() } else { format!("-{}", nth + 1) };
        format!("tag:{},{date}:incidents/{}/{second}{same_second}", self.authority, inc.id)
    }

    fn entry_title(&self, e: &Entry) -> String {
        let inc = &self.model.incidents[e.incident];
        let status = inc.updates[e.update].status.map_or("notice", |s| s.as_str());
        format!("{}: {}", self.fmt.tr(&inc.title), self.fmt.locale.get(&format!("status.{status}")))
    }

    /// When update `e` was last edited after readers saw it, if it was.
    /// When the entry last changed after it was published: its update was
    /// edited, or, for the incident's latest entry, what the incident says as a
    /// whole (title, impact, post-mortem, breach facts).
    fn edited(&self, e: &Entry) -> Option<Timestamp> {
        let (own, whole) = self.edits(e);
        own.map(|(at, _)| at).max(whole)
    }

    /// The entry's own last edit (with whether it only corrected wording), and
    /// the incident's, which only its latest entry carries.
    fn edits(&self, e: &Entry) -> (Option<(Timestamp, bool)>, Option<Timestamp>) {
        let v = &self.views.incidents[e.incident];
        let own = v.corrections.update(e.update).iter().max_by_key(|x| x.replaced_at);
        let latest = e.update + 1 == v.shown_updates;
        (own.map(|x| (x.replaced_at, x.wording_fix)), v.corrections.incident_edit().filter(|_| latest))
    }

    /// The entry's content: the update as HTML, saying when it, or the
    /// incident, was edited after it was published.
    fn content(&self, e: &Entry, root: &str) -> String {
        let mut body = self.fmt.body(e.incident, e.update, root);
        let (own, whole) = self.edits(e);
        let t = self.fmt.locale;
        let time = |at: Timestamp| self.fmt.time(at).text;
        let notes = [
            own.map(|(at, fix)| t.fill(if fix { "edit.wording" } else { "edit.feed" }, &[("time", &time(at))])),
            whole.map(|at| t.fill("edit.feed_incident", &[("time", &time(at))])),
        ];
        for note in notes.into_iter().flatten() {
            body.push_str(&format!("<p><em>{}</em></p>", escape(&note)));
        }
        body
    }

    fn entry_link(&self, e: &Entry) -> String {
        let inc = &self.model.incidents[e.incident];
        format!("{}#update-{}", self.fmt.paths.url(Place::Incident(&inc.id)), e.update + 1)
    }

    /// The way from the feed at `path` to the site root: absolute when `base_url`
    /// is set (feed readers show entries far from the site), else relative.
    fn root(&self, path: &str) -> String {
        if self.fmt.paths.is_absolute() { self.fmt.paths.absolute("") } else { crate::paths::root_of(path) }
    }

    fn feed_id(&self, path: &str) -> String {
        format!("tag:{},2000:{path}", self.authority)
    }

    /// The Atom feed of `scope`.
    pub fn atom(&self, scope: &Scope<'_>) -> OutFile {
        let path = self.fmt.paths.file(scope.atom);
        let updated = scope.entries.iter().map(|e| self.edited(e).map_or(e.at, |t| t.max(e.at))).max();
        let updated = updated.unwrap_or(self.views.now);
        let mut x = String::with_capacity(4096 + scope.entries.len() * 2048);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", self.fmt.lang.tag());
        let _ = writeln!(x, "<title>{}</title>", escape(&scope.title));
        let _ = writeln!(x, "<id>{}</id>", escape(&self.feed_id(&path)));
        let _ = writeln!(
            x,
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape(&self.fmt.paths.url(scope.atom))
        );
        let _ = writeln!(x, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(&scope.page));
        let _ = writeln!(x, "<updated>{}</updated>", rfc3339(updated));
        let _ = writeln!(x, "<author><name>{}</name></author>", escape(&self.fmt.tr(&self.model.site.title)));
        x.push_str("<generator>candor</generator>\n");
        for e in scope.entries {
            let inc = &self.model.incidents[e.incident];
            x.push_str("<entry>\n");
            let _ = writeln!(x, "<title>{}</title>", escape(&self.entry_title(e)));
            let _ = writeln!(x, "<id>{}</id>", escape(&self.entry_id(e)));
            let _ =
                writeln!(x, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(&self.entry_link(e)));
            let edited = self.edited(e).map_or(e.at, |t| t.max(e.at));
            let _ = writeln!(x, "<published>{}</published>\n<updated>{}</updated>", rfc3339(e.at), rfc3339(edited));
            let _ = writeln!(x, "<category term=\"{}\"/>", inc.kind.as_str());
            let root = self.root(&path);
            let mut body = self.advice(scope.reader, e, &root);
            body.push_str(&self.content(e, &root));
            let _ = writeln!(x, "<content type=\"html\">{}</content>", escape(&body));
            x.push_str("</entry>\n");
        }
        x.push_str("</feed>\n");
        OutFile { path, bytes: x.into_bytes() }
    }

    /// For one reader's feed, the advice in effect for them as of entry `e`,
    /// under its heading and set apart from the update; empty otherwise.
    fn advice(&self, reader: Option<ReaderRef>, e: &Entry, root: &str) -> String {
        let Some(reader) = reader else { return String::new() };
        let html = self.fmt.advice_for(e.incident, e.update + 1, reader, root);
        if html.is_empty() {
            return String::new();
        }
        let heading = escape(self.fmt.locale.get("advice.title"));
        format!("<h2>{heading}</h2>\n{}\n<hr>\n", html.concat())
    }

    /// The newest entries of the incidents at `incidents` (sorted), at most [`FEED_LIMIT`].
    pub fn for_incidents(&self, entries: &[Entry], incidents: &[usize]) -> Vec<Entry> {
        entries.iter().filter(|e| incidents.binary_search(&e.incident).is_ok()).take(FEED_LIMIT).copied().collect()
    }

    /// The RSS 2.0 feed of `scope`, if it has an RSS path.
    pub fn rss(&self, scope: &Scope<'_>) -> Option<OutFile> {
        let rss = scope.rss?;
        let site = &self.model.site;
        let mut x = String::with_capacity(4096 + scope.entries.len() * 2048);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
        let _ = writeln!(x, "<title>{}</title>", escape(&scope.title));
        let _ = writeln!(x, "<link>{}</link>", escape(&scope.page));
        let description = site.description.as_ref().map_or_else(|| scope.title.clone(), |d| self.fmt.tr(d));
        let _ = writeln!(x, "<description>{}</description>", escape(&description));
        let _ = writeln!(x, "<language>{}</language>", self.fmt.lang.tag());
        let _ = writeln!(
            x,
            "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
            escape(&self.fmt.paths.url(rss))
        );
        if let Some(first) = scope.entries.first() {
            let _ = writeln!(x, "<lastBuildDate>{}</lastBuildDate>", rfc2822(first.at));
        }
        x.push_str("<generator>candor</generator>\n");
        for e in scope.entries {
            x.push_str("<item>\n");
            let _ = writeln!(x, "<title>{}</title>", escape(&self.entry_title(e)));
            let _ = writeln!(x, "<link>{}</link>", escape(&self.entry_link(e)));
            let _ = writeln!(x, "<guid isPermaLink=\"false\">{}</guid>", escape(&self.entry_id(e)));
            let _ = writeln!(x, "<pubDate>{}</pubDate>", rfc2822(e.at));
            let _ = writeln!(x, "<category>{}</category>", self.model.incidents[e.incident].kind.as_str());
            let body = self.content(e, &self.root(&self.fmt.paths.file(rss)));
            let _ = writeln!(x, "<description>{}</description>", escape(&body));
            x.push_str("</item>\n");
        }
        x.push_str("</channel>\n</rss>\n");
        Some(OutFile { path: self.fmt.paths.file(rss), bytes: x.into_bytes() })
    }
}

fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn rfc2822(ts: Timestamp) -> String {
    ts.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// One language's site-wide and component feeds and its calendar.
pub fn site_and_components(fmt: &Formatter<'_>, feeds: &Feeds<'_>, calendars: &Calendars<'_>) -> Vec<OutFile> {
    let model = fmt.model;
    let mut files = Vec::new();
    let entries = feeds.all_entries();
    let capped = &entries[..entries.len().min(FEED_LIMIT)];
    let title = fmt.tr(&model.site.title);
    let site_scope = Scope {
        title: title.clone(),
        atom: Place::Feed,
        rss: Some(Place::Rss),
        page: fmt.paths.canonical_url(Place::Home),
        entries: capped,
        reader: None,
    };
    files.push(feeds.atom(&site_scope));
    files.extend(feeds.rss(&site_scope));
    for (n, c) in model.site.components.iter().enumerate() {
        let list = feeds.for_component(&entries, &c.id);
        if list.is_empty() {
            continue;
        }
        let scope = Scope {
            title: format!("{title}: {}", fmt.tr(&c.name)),
            atom: Place::ComponentFeed(&c.id),
            rss: None,
            page: fmt.paths.url(Place::Component(&c.id)),
            entries: &list,
            reader: Some(ReaderRef::Component(n)),
        };
        files.push(feeds.atom(&scope));
    }
    files.push(calendars.site_calendar());
    files.extend(super::audiences::feeds(fmt, feeds, calendars, &entries));
    files
}
