//! Atom and RSS feeds: one entry per published update, newest first, capped.
//!
//! Entry ids derive from the incident's id and the update's time, and every
//! date comes from the data, so the same input gives the same feed and feed
//! readers never see an entry twice.

use std::fmt::Write as _;

use jiff::Timestamp;

use super::context::Formatter;
use super::links::{Links, page_id};
use super::xml::escape;
use crate::files::OutFile;
use crate::model::{ComponentId, Model};
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
    /// Its Atom path (`feed.xml`, `components/api/feed.xml`, ...).
    pub atom: String,
    /// Its RSS path, if it has one.
    pub rss: Option<String>,
    /// The HTML page it follows.
    pub page: String,
    /// Its entries, newest first.
    pub entries: &'s [Entry],
}

/// Writes feeds for one build.
pub struct Feeds<'a> {
    model: &'a Model,
    views: &'a Views,
    fmt: &'a Formatter<'a>,
    links: Links,
    authority: String,
}

impl<'a> Feeds<'a> {
    /// Prepares feeds in `fmt`'s language, with its rendered update bodies.
    pub fn new(fmt: &'a Formatter<'a>) -> Feeds<'a> {
        let model = fmt.model;
        let links = Links::in_language(&model.site, &fmt.prefix);
        let authority = links.host().map_or_else(|| format!("{}.invalid", page_id(&model.site)), str::to_owned);
        Feeds { model, views: fmt.views, fmt, links, authority }
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
        format!("tag:{},{date}:incidents/{}/{}", self.authority, inc.id, e.at.as_second())
    }

    fn entry_title(&self, e: &Entry) -> String {
        let inc = &self.model.incidents[e.incident];
        let status = inc.updates[e.update].status.map_or("notice", |s| s.as_str());
        format!("{}: {}", self.fmt.tr(&inc.title), self.fmt.locale.get(&format!("status.{status}")))
    }

    fn entry_link(&self, e: &Entry) -> String {
        let inc = &self.model.incidents[e.incident];
        format!("{}#update-{}", self.links.url(&self.links.incident(inc)), e.update + 1)
    }

    fn feed_id(&self, path: &str) -> String {
        format!("tag:{},2000:{path}", self.authority)
    }

    /// The Atom feed of `scope`.
    pub fn atom(&self, scope: &Scope<'_>) -> OutFile {
        let updated = scope.entries.first().map_or(self.views.now, |e| e.at);
        let mut x = String::with_capacity(4096 + scope.entries.len() * 2048);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", self.fmt.lang.tag());
        let _ = writeln!(x, "<title>{}</title>", escape(&scope.title));
        let _ = writeln!(x, "<id>{}</id>", escape(&self.feed_id(&scope.atom)));
        let _ = writeln!(
            x,
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape(&self.links.url(&scope.atom))
        );
        let _ = writeln!(
            x,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&self.links.url(&scope.page))
        );
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
            let _ = writeln!(x, "<published>{0}</published>\n<updated>{0}</updated>", rfc3339(e.at));
            let _ = writeln!(x, "<category term=\"{}\"/>", inc.kind.as_str());
            let _ = writeln!(x, "<content type=\"html\">{}</content>", escape(&self.fmt.body(e.incident, e.update)));
            x.push_str("</entry>\n");
        }
        x.push_str("</feed>\n");
        OutFile { path: scope.atom.clone(), bytes: x.into_bytes() }
    }

    /// The RSS 2.0 feed of `scope`, if it has an RSS path.
    pub fn rss(&self, scope: &Scope<'_>) -> Option<OutFile> {
        let path = scope.rss.as_ref()?;
        let site = &self.model.site;
        let mut x = String::with_capacity(4096 + scope.entries.len() * 2048);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
        let _ = writeln!(x, "<title>{}</title>", escape(&scope.title));
        let _ = writeln!(x, "<link>{}</link>", escape(&self.links.url(&scope.page)));
        let description = site.description.as_ref().map_or_else(|| scope.title.clone(), |d| self.fmt.tr(d));
        let _ = writeln!(x, "<description>{}</description>", escape(&description));
        let _ = writeln!(x, "<language>{}</language>", self.fmt.lang.tag());
        let _ = writeln!(
            x,
            "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
            escape(&self.links.url(path))
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
            let _ = writeln!(x, "<description>{}</description>", escape(&self.fmt.body(e.incident, e.update)));
            x.push_str("</item>\n");
        }
        x.push_str("</channel>\n</rss>\n");
        Some(OutFile { path: path.clone(), bytes: x.into_bytes() })
    }
}

fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn rfc2822(ts: Timestamp) -> String {
    ts.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}
