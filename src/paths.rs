//! Where every file of the built site lives, and how pages link to each other.
//!
//! Each page and file has one [`Place`]. [`Paths`], made once per language,
//! turns a place into the file's path in the output folder, the link a page
//! uses to reach it, or an absolute URL when `base_url` is set. The language
//! prefix (`fi/`) and `pretty_urls` are decided here and nowhere else, so a
//! new kind of page is one new place, and every link to it follows.

use crate::model::{AudienceId, ComponentId, IncidentId, Language, Site};

/// A page or file of the built site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    /// The front page.
    Home,
    /// An incident's page.
    Incident(&'a IncidentId),
    /// A component's page.
    Component(&'a ComponentId),
    /// The history index, by year.
    History,
    /// One page of a year's history; the first page is 1.
    HistoryYear {
        /// The year.
        year: i16,
        /// The page, from 1.
        page: usize,
    },
    /// The track record.
    TrackRecord,
    /// The page for missing addresses.
    NotFound,
    /// The site's Atom feed.
    Feed,
    /// The site's RSS feed.
    Rss,
    /// Every maintenance window as iCalendar.
    Calendar,
    /// One incident's Atom feed.
    IncidentFeed(&'a IncidentId),
    /// One maintenance window as iCalendar.
    IncidentCalendar(&'a IncidentId),
    /// One incident in the Statuspage API's shape.
    IncidentJson(&'a IncidentId),
    /// One component's Atom feed.
    ComponentFeed(&'a ComponentId),
    /// The overall status as a badge.
    Badge,
    /// One component's status as a badge.
    ComponentBadge(&'a ComponentId),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// A Statuspage API v2 endpoint, named as after `api/v2/` without `.json`
    /// (`summary`, `incidents/unresolved`).
    Api(&'static str),
    /// A file of the theme's `static/` folder, by its path there.
    Static(&'a str),
    /// A page at an incident's old address that sends readers on to its page:
    /// the alias as validated, a folder ending in `/` or a page ending in `.html`.
    Redirect(&'a str),
    /// An audience's front page: what affects these readers now, and what to do.
    Audience(&'a AudienceId),
    /// An audience's components, with their status and history.
    AudienceComponents(&'a AudienceId),
    /// The history of what affected an audience, by year.
    AudienceHistory(&'a AudienceId),
    /// One page of a year of an audience's history; the first page is 1.
    AudienceHistoryYear {
        /// The audience.
        audience: &'a AudienceId,
        /// The year.
        year: i16,
        /// The page, from 1.
        page: usize,
    },
    /// An audience's Atom feed.
    AudienceFeed(&'a AudienceId),
    /// The maintenance affecting an audience, as iCalendar.
    AudienceCalendar(&'a AudienceId),
    /// An audience's status as a badge.
    AudienceBadge(&'a AudienceId),
    /// An audience's status and incidents as JSON, in the Statuspage summary's shape.
    AudienceJson(&'a AudienceId),
    /// The front page as Markdown, for assistants and support bots.
    HomeMarkdown,
    /// An audience's front page as Markdown.
    AudienceMarkdown(&'a AudienceId),
    /// A current incident as Markdown.
    IncidentMarkdown(&'a IncidentId),
    /// `llms.txt`: what the site holds, for language models.
    LlmsTxt,
    /// `embed.js`: the banner a company adds to its own product.
    Embed,
    /// `widget.html`: the same banner, for an `<iframe>`.
    Widget,
}

impl Place<'_> {
    /// Whether it is a page: a folder with an `index.html`, linked as the folder with pretty URLs.
    pub fn is_page(self) -> bool {
        if let Place::Redirect(path) = self {
            return path.ends_with('/');
        }
        matches!(
            self,
            Place::Home
                | Place::Incident(_)
                | Place::Component(_)
                | Place::History
                | Place::HistoryYear { .. }
                | Place::TrackRecord
                | Place::Audience(_)
                | Place::AudienceComponents(_)
                | Place::AudienceHistory(_)
                | Place::AudienceHistoryYear { .. }
        )
    }

    /// Whether each language has its own (under its prefix), or the site has one for all.
    /// Old addresses belong to no language: each has one redirect, at the site root.
    pub fn is_localised(self) -> bool {
        if matches!(self, Place::Redirect(_)) {
            return false;
        }
        self.is_page()
            || matches!(
                self,
                Place::Feed
                    | Place::Rss
                    | Place::Calendar
                    | Place::IncidentFeed(_)
                    | Place::IncidentCalendar(_)
                    | Place::ComponentFeed(_)
                    | Place::AudienceFeed(_)
                    | Place::AudienceCalendar(_)
                    | Place::HomeMarkdown
                    | Place::AudienceMarkdown(_)
                    | Place::IncidentMarkdown(_)
            )
    }

    /// A page's folder, or a file's path, relative to the root it lives under.
    fn rel(self) -> String {
        match self {
            Place::Home => String::new(),
            Place::Incident(id) => format!("incidents/{id}/"),
            Place::Component(id) => format!("components/{id}/"),
            Place::History => "history/".into(),
            Place::HistoryYear { year, page: 0 | 1 } => format!("history/{year}/"),
            Place::HistoryYear { year, page } => format!("history/{year}/{page}/"),
            Place::TrackRecord => "track-record/".into(),
            Place::NotFound => "404.html".into(),
            Place::Feed => "feed.xml".into(),
            Place::Rss => "rss.xml".into(),
            Place::Calendar => "calendar.ics".into(),
            Place::IncidentFeed(id) => format!("incidents/{id}/feed.xml"),
            Place::IncidentCalendar(id) => format!("incidents/{id}/calendar.ics"),
            Place::IncidentJson(id) => format!("incidents/{id}/incident.json"),
            Place::ComponentFeed(id) => format!("components/{id}/feed.xml"),
            Place::Badge => "badge.svg".into(),
            Place::ComponentBadge(id) => format!("components/{id}/badge.svg"),
            Place::Sitemap => "sitemap.xml".into(),
            Place::Robots => "robots.txt".into(),
            Place::Api(name) => format!("api/v2/{name}.json"),
            Place::Static(path) | Place::Redirect(path) => path.to_owned(),
            Place::Audience(id) => format!("for/{id}/"),
            Place::AudienceComponents(id) => format!("for/{id}/components/"),
            Place::AudienceHistory(id) => format!("for/{id}/history/"),
            Place::AudienceHistoryYear { audience, year, page: 0 | 1 } => format!("for/{audience}/history/{year}/"),
            Place::AudienceHistoryYear { audience, year, page } => format!("for/{audience}/history/{year}/{page}/"),
            Place::AudienceFeed(id) => format!("for/{id}/feed.xml"),
            Place::AudienceCalendar(id) => format!("for/{id}/calendar.ics"),
            Place::AudienceBadge(id) => format!("for/{id}/badge.svg"),
            Place::AudienceJson(id) => format!("for/{id}/summary.json"),
            Place::HomeMarkdown => "index.md".into(),
            Place::AudienceMarkdown(id) => format!("for/{id}/index.md"),
            Place::IncidentMarkdown(id) => format!("incidents/{id}/index.md"),
            Place::LlmsTxt => "llms.txt".into(),
            Place::Embed => "embed.js".into(),
            Place::Widget => "widget.html".into(),
        }
    }
}

/// What of candor's own output lives at `file` (a path relative to the
/// output folder), if anything but an incident's pages: the place an alias
/// must not take. Incidents' own folders and the theme's static files depend
/// on the site, and are checked where those are known.
pub fn taken_by_candor(file: &str) -> Option<String> {
    let component = ComponentId::new("x");
    let fixed = [
        Place::Home,
        Place::History,
        Place::TrackRecord,
        Place::NotFound,
        Place::Feed,
        Place::Rss,
        Place::Calendar,
        Place::Badge,
        Place::Sitemap,
        Place::Robots,
        Place::Api("summary"),
        Place::Component(&component),
    ];
    let first = file.split('/').next().unwrap_or_default();
    let ours = |rel: String| {
        let top = rel.split('/').next().unwrap_or_default().to_owned();
        if top.is_empty() { "index.html".to_owned() } else { top }
    };
    if let Some(top) = fixed.into_iter().map(|p| ours(p.rel())).find(|top| top.eq_ignore_ascii_case(first)) {
        let what = if top.contains('.') { top } else { format!("{top}/") };
        return Some(format!("candor writes `{what}` there"));
    }
    Language::ALL
        .iter()
        .find(|l| l.tag().eq_ignore_ascii_case(first))
        .map(|l| format!("`{}/` holds the pages in {}", l.tag(), l.tag()))
}

/// The paths and links of one language's pages.
#[derive(Clone, Debug)]
pub struct Paths {
    base: Option<String>,
    prefix: String,
    index: &'static str,
}

impl Paths {
    /// The paths of `site` in `lang`: the default language at the root, any other under its tag.
    pub fn new(site: &Site, lang: Language) -> Paths {
        let prefix = if lang == site.language { String::new() } else { format!("{}/", lang.tag()) };
        let index = if site.pretty_urls { "" } else { "index.html" };
        Paths { base: site.base_url.clone(), prefix, index }
    }

    /// Where this language's pages live, relative to the site root: empty for
    /// the default language, `fi/` for Finnish.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// `index.html`, or nothing with pretty URLs: what links to a folder end with.
    pub fn index(&self) -> &'static str {
        self.index
    }

    /// Whether absolute URLs can be made (`base_url` is set).
    pub fn is_absolute(&self) -> bool {
        self.base.is_some()
    }

    /// The host of `base_url`, for identifiers that want an authority.
    pub fn host(&self) -> Option<&str> {
        let base = self.base.as_deref()?;
        let rest = base.split_once("://")?.1;
        rest.split(['/', ':']).next().filter(|h| !h.is_empty())
    }

    fn prefix_of(&self, place: Place<'_>) -> &str {
        if place.is_localised() { &self.prefix } else { "" }
    }

    /// The file in the output folder, with `/`: `fi/incidents/x/index.html`.
    pub fn file(&self, place: Place<'_>) -> String {
        let mut file = String::with_capacity(64);
        file.push_str(self.prefix_of(place));
        file.push_str(&self.file_in_root(place));
        file
    }

    /// The file relative to the root it lives under (its language's, for a localised place).
    pub fn file_in_root(&self, place: Place<'_>) -> String {
        let mut rel = place.rel();
        if place.is_page() {
            rel.push_str("index.html");
        }
        rel
    }

    /// The link to `place` from the root it lives under: what a page appends
    /// to its `root` (or, for a place every language shares, its `assets`).
    pub fn link(&self, place: Place<'_>) -> String {
        let mut rel = place.rel();
        if place.is_page() {
            rel.push_str(self.index);
        }
        rel
    }

    /// `place`'s link from the site root: with `base_url`, an absolute URL.
    pub fn url(&self, place: Place<'_>) -> String {
        self.absolute(&format!("{}{}", self.prefix_of(place), self.link(place)))
    }

    /// A page's address as search engines and feeds name it: its folder, never `index.html`.
    pub fn canonical(&self, place: Place<'_>) -> String {
        format!("{}{}", self.prefix_of(place), place.rel())
    }

    /// [`Paths::canonical`], absolute when `base_url` is set.
    pub fn canonical_url(&self, place: Place<'_>) -> String {
        self.absolute(&self.canonical(place))
    }

    /// `path` (relative to the site root) as an absolute URL when `base_url` is set, else as is.
    pub fn absolute(&self, path: &str) -> String {
        match &self.base {
            Some(base) => format!("{base}{path}"),
            None => path.to_owned(),
        }
    }
}

/// `../` once per folder level of `path`: from a file back to the root it is under.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{SITE, model};

    #[test]
    fn pages_and_files_in_each_language() {
        let mut site = model(SITE, &[]).site;
        site.base_url = Some("https://status.example/sub/".into());
        let id = IncidentId::new("x");
        let en = Paths::new(&site, Language::En);
        let fi = Paths::new(&site, Language::Fi);
        assert_eq!(en.file(Place::Incident(&id)), "incidents/x/index.html");
        assert_eq!(fi.file(Place::Incident(&id)), "fi/incidents/x/index.html");
        assert_eq!(fi.link(Place::Incident(&id)), "incidents/x/index.html");
        assert_eq!(fi.url(Place::Incident(&id)), "https://status.example/sub/fi/incidents/x/index.html");
        assert_eq!(fi.canonical_url(Place::Home), "https://status.example/sub/fi/");
        assert_eq!(fi.file(Place::IncidentJson(&id)), "incidents/x/incident.json", "one API for every language");
        assert_eq!(fi.file(Place::Feed), "fi/feed.xml");
        assert_eq!(en.file(Place::HistoryYear { year: 2026, page: 2 }), "history/2026/2/index.html");
        assert_eq!(en.file(Place::HistoryYear { year: 2026, page: 1 }), "history/2026/index.html");
        assert_eq!(en.host(), Some("status.example"));
        site.pretty_urls = true;
        assert_eq!(Paths::new(&site, Language::En).link(Place::Incident(&id)), "incidents/x/");
        assert_eq!(root_of("fi/incidents/x/index.html"), "../../../");
        let a = AudienceId::new("eu");
        assert_eq!(fi.file(Place::Audience(&a)), "fi/for/eu/index.html");
        assert_eq!(fi.file(Place::AudienceFeed(&a)), "fi/for/eu/feed.xml");
        assert_eq!(fi.file(Place::AudienceJson(&a)), "for/eu/summary.json", "one JSON for every language");
        assert_eq!(fi.file(Place::AudienceBadge(&a)), "for/eu/badge.svg");
        assert_eq!(
            en.file(Place::AudienceHistoryYear { audience: &a, year: 2026, page: 2 }),
            "for/eu/history/2026/2/index.html"
        );
        assert_eq!(fi.file(Place::IncidentMarkdown(&id)), "fi/incidents/x/index.md");
        assert_eq!(fi.file(Place::Embed), "embed.js");
    }

    #[test]
    fn redirects_live_once_at_the_root_and_never_where_candor_writes() {
        let mut site = model(SITE, &[]).site;
        let fi = Paths::new(&site, Language::Fi);
        assert_eq!(fi.file(Place::Redirect("incidents/abc123/")), "incidents/abc123/index.html");
        assert_eq!(fi.file(Place::Redirect("old/page.html")), "old/page.html");
        site.pretty_urls = true;
        assert_eq!(Paths::new(&site, Language::En).link(Place::Redirect("issues/x/")), "issues/x/");
        for taken in ["api/v2/summary.json", "index.html", "Feed.xml", "components/x/index.html", "fi/x/index.html"] {
            assert!(taken_by_candor(taken).is_some(), "{taken}");
        }
        for free in ["incidents/abc123/index.html", "issues/x/index.html", "feeds/index.html", "history.html"] {
            assert_eq!(taken_by_candor(free), None, "{free}");
        }
    }
}
