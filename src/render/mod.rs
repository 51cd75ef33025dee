//! Turning the model and its views into files: HTML pages now, and every other
//! output format beside them.
//!
//! Rendering reads only the model, the views and the theme; it never touches
//! the disk. It returns the output files, or hands each incident's files to a
//! sink as soon as they are made ([`site_streaming`]), and the writer puts
//! them in a staging folder that replaces the output all at once or not at all.

pub mod api;
pub mod badge;
pub mod context;
pub mod feeds;
pub mod ics;
pub mod links;
pub mod xml;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Pos};
use crate::files::OutFile;
use crate::model::{Incident, IncidentId, Kind, Language, Model};
use crate::theme::Theme;
use crate::views::record::IncidentRecord;
use crate::views::{IncidentView, Phase, Views};
use context::{Formatter, IncidentCx};

/// How many incidents one history page lists.
pub const HISTORY_PAGE_SIZE: usize = 100;

/// Why rendering failed: a template problem, located in the template.
#[derive(Debug)]
pub struct RenderError(pub Vec<Diagnostic>);

/// The template engine, loaded with a theme's templates.
pub struct Engine {
    tera: Tera,
}

impl Engine {
    /// Compiles every template of `theme`, reporting template errors with their location.
    pub fn new(theme: &Theme) -> Result<Engine, RenderError> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        let sources = theme.templates.iter().map(|(name, (_, text))| (name.as_str(), text.as_str()));
        tera.add_raw_templates(sources).map_err(|e| RenderError(vec![template_diagnostic(&e, theme)]))?;
        Ok(Engine { tera })
    }

    fn render(&self, theme: &Theme, name: &str, context: &Context) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, context, &mut out).map_err(|e| RenderError(vec![template_diagnostic(&e, theme)]))?;
        Ok(out)
    }
}

/// A template error as a diagnostic pointing into the template file.
fn template_diagnostic(error: &tera::Error, theme: &Theme) -> Diagnostic {
    let (name, pos, message) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let pos = Pos::new(span.start_line as u32, span.start_col as u32 + 1);
            (report.filename().to_owned(), pos, report.message().to_owned())
        }
        _ => (String::new(), Pos::FILE, error.to_string()),
    };
    let (file, text) = theme
        .templates
        .get(&name)
        .map_or_else(|| (PathBuf::from(format!("templates/{name}")), ""), |(p, t)| (p.clone(), t.as_str()));
    Diagnostic::error("template", &file, pos, message).with_source(text)
}

/// The rendered site: its files, and notes for the author.
#[derive(Debug)]
pub struct Rendered {
    /// Every output file rendered, sorted by path (less those handed to a
    /// [`Sink`] by [`site_streaming`]).
    pub files: Vec<OutFile>,
    /// Paths of files left out of `files` because the cache shows they did not change.
    pub reused: Vec<String>,
    /// Things the author should know that are not errors.
    pub notes: Vec<String>,
}

/// What earlier renders made for each incident, so that a rebuild (in `watch`
/// and `serve`) renders again only the incidents whose data or view changed,
/// and the pages that list them.
#[derive(Debug, Default)]
pub struct RenderCache {
    key: u64,
    incidents: HashMap<(Language, IncidentId), Cached>,
}

/// One incident's rendered files, with what they were rendered from.
#[derive(Debug)]
struct Cached {
    incident: Incident,
    view: IncidentView,
    record: IncidentRecord,
    followed: bool,
    /// The current status of each component it affects, which its page and JSON show.
    statuses: Vec<crate::model::ComponentStatus>,
    paths: Vec<String>,
}

/// Renders every file of the site: pages, feeds and calendars in every
/// language, and once the API, badges, sitemaps, 404 page and static files.
pub fn site(model: &Model, views: &Views, theme: &Theme) -> Result<Rendered, RenderError> {
    render::<std::convert::Infallible>(model, views, theme, None, None, None).map_err(Stopped::into_render)
}

/// Only the files of the incidents at `indexes` (their pages, feeds,
/// calendars and JSON, in every language): what `watch` writes first after an
/// edit, before the pages that list incidents.
pub fn incidents(model: &Model, views: &Views, theme: &Theme, indexes: &[usize]) -> Result<Vec<OutFile>, RenderError> {
    let rendered = render::<std::convert::Infallible>(model, views, theme, None, None, Some(indexes));
    Ok(rendered.map_err(Stopped::into_render)?.files)
}

/// Where each incident's files go as soon as they are rendered, from any
/// thread, so that a large site is never held in memory whole.
pub type Sink<'s, E> = dyn Fn(&[OutFile]) -> Result<(), E> + Sync + 's;

/// Why a streamed render stopped: a template failed, or the sink did.
#[derive(Debug)]
pub enum Stopped<E> {
    /// A template failed.
    Render(RenderError),
    /// The sink refused a file (a write failed).
    Sink(E),
}

impl Stopped<std::convert::Infallible> {
    fn into_render(self) -> RenderError {
        match self {
            Stopped::Render(e) => e,
            Stopped::Sink(never) => match never {},
        }
    }
}

impl<E> From<RenderError> for Stopped<E> {
    fn from(error: RenderError) -> Self {
        Stopped::Render(error)
    }
}

/// Like [`site`], but hands every incident's files to `sink` as they are made
/// instead of returning them; the other files are returned.
pub fn site_streaming<E: Send>(
    model: &Model,
    views: &Views,
    theme: &Theme,
    sink: &Sink<'_, E>,
) -> Result<Rendered, Stopped<E>> {
    render(model, views, theme, None, Some(sink), None)
}

/// Like [`site`], but leaves out incidents whose files `cache` shows are unchanged.
pub fn site_cached(
    model: &Model,
    views: &Views,
    theme: &Theme,
    cache: &mut RenderCache,
) -> Result<Rendered, RenderError> {
    render::<std::convert::Infallible>(model, views, theme, Some(cache), None, None).map_err(Stopped::into_render)
}

fn render<E: Send>(
    model: &Model,
    views: &Views,
    theme: &Theme,
    mut cache: Option<&mut RenderCache>,
    sink: Option<&Sink<'_, E>>,
    only: Option<&[usize]>,
) -> Result<Rendered, Stopped<E>> {
    let engine = Engine::new(theme)?;
    let default = model.site.language;
    let names: Vec<(Language, String)> =
        theme.locales.iter().map(|(l, locale)| (*l, locale.get("language.name").to_owned())).collect();
    if let Some(cache) = cache.as_deref_mut() {
        let key = settings_key(model, views, theme);
        if cache.key != key {
            *cache = RenderCache { key, incidents: HashMap::new() };
        }
    }
    let api =
        api::Api::new(model, views, theme.locale.get(&format!("indicator.{}", views.indicator.as_str())).to_owned());
    let (mut files, mut reused) = (Vec::new(), Vec::new());
    for &lang in &model.site.languages {
        let prefix = if lang == default { String::new() } else { format!("{}/", lang.tag()) };
        let bodies: Vec<OnceLock<Vec<String>>> = (0..model.incidents.len()).map(|_| OnceLock::new()).collect();
        let fmt = Formatter {
            model,
            views,
            locale: theme.locale_for(lang),
            default_locale: &theme.locale,
            bodies: &bodies,
            lang,
            prefix,
            names: &names,
        };
        let base = base_context(&fmt);
        let units = Units {
            engine: &engine,
            fmt: &fmt,
            base: &base,
            theme,
            feeds: feeds::Feeds::new(&fmt),
            calendars: ics::Calendars::new(&fmt),
            api: (lang == default).then_some(&api),
        };
        if let Some(only) = only {
            for i in only.iter().filter(|i| views.incidents[**i].phase != Phase::Unpublished) {
                files.extend(units.one(*i)?);
            }
            continue;
        }
        // The pages that list incidents, the feeds and the API are made while
        // the incidents' own files render, so neither core waits for the other.
        let lists = || -> Result<Vec<OutFile>, RenderError> {
            let (pages, (feeds, rest)) = rayon::join(
                || pages(&engine, &fmt, &base, theme),
                || {
                    rayon::join(
                        || feeds_and_calendars(&fmt, &units.feeds, &units.calendars),
                        || -> Result<Vec<OutFile>, RenderError> {
                            if lang != default {
                                return Ok(Vec::new());
                            }
                            let mut files = site_wide(&fmt, theme, &api);
                            files.push(not_found(&engine, &fmt, &base, theme)?);
                            Ok(files)
                        },
                    )
                },
            );
            Ok([pages?, feeds, rest?].concat())
        };
        let (own, lists) = rayon::join(|| units.all(cache.as_deref_mut(), sink), lists);
        let (made, kept) = own?;
        files.extend(made);
        reused.extend(kept);
        files.extend(lists?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut notes = Vec::new();
    if model.site.base_url.is_none() {
        notes.push("base_url is not set, so feeds, the API and calendars use relative links and no sitemap.xml or robots.txt is written; set base_url in site.yaml or pass --base-url".to_owned());
    }
    Ok(Rendered { files, reused, notes })
}

/// A fingerprint of everything besides the incidents that an incident's files
/// depend on: the settings, the theme, and what every page shows of now (the
/// overall status, the zone's abbreviation). The time a page was generated is
/// left out: in `watch`, an unchanged incident page keeps the time it was made.
fn settings_key(model: &Model, views: &Views, theme: &Theme) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}", model.site).hash(&mut hasher);
    views.indicator.as_str().hash(&mut hasher);
    crate::locale::Locale::zone_abbreviation(views.now, &model.site.timezone).hash(&mut hasher);
    theme.templates.hash(&mut hasher);
    for (lang, locale) in &theme.locales {
        lang.hash(&mut hasher);
        locale.strings().hash(&mut hasher);
    }
    hasher.finish()
}

/// One incident rendered: its index, its files' paths, and the files themselves
/// unless a sink took them.
type Made = (usize, Vec<String>, Vec<OutFile>);

/// The files that belong to one incident in one language: its page and, when
/// it is current or recent, its feed, calendar and (default language) JSON.
struct Units<'u, 'a> {
    engine: &'u Engine,
    fmt: &'u Formatter<'a>,
    /// The context every page starts from, made once per language.
    base: &'u Context,
    theme: &'u Theme,
    feeds: feeds::Feeds<'u>,
    calendars: ics::Calendars<'u>,
    api: Option<&'u api::Api<'a>>,
}

impl Units<'_, '_> {
    /// Every published incident's files: rendered (and handed to `sink` when
    /// there is one, else returned), or, when the cache shows them unchanged,
    /// only their paths.
    fn all<E: Send>(
        &self,
        cache: Option<&mut RenderCache>,
        sink: Option<&Sink<'_, E>>,
    ) -> Result<(Vec<OutFile>, Vec<String>), Stopped<E>> {
        let (model, views) = (self.fmt.model, self.fmt.views);
        let lang = self.fmt.lang;
        let published: Vec<usize> =
            (0..model.incidents.len()).filter(|i| views.incidents[*i].phase != Phase::Unpublished).collect();
        let fresh = |i: &usize| {
            cache.as_deref().and_then(|c| c.incidents.get(&(lang, model.incidents[*i].id.clone()))).is_some_and(|c| {
                c.incident == model.incidents[*i]
                    && c.view == views.incidents[*i]
                    && c.record == views.records[*i]
                    && c.followed == views.is_followed(model, *i)
                    && c.statuses == views.statuses_of(model, *i)
            })
        };
        let (kept, todo): (Vec<usize>, Vec<usize>) = published.into_iter().partition(fresh);
        let made: Result<Vec<Made>, Stopped<E>> = todo
            .par_iter()
            .map(|i| {
                let files = self.one(*i)?;
                let paths = files.iter().map(|f| f.path.clone()).collect();
                match sink {
                    Some(sink) => sink(&files).map(|()| (*i, paths, Vec::new())).map_err(Stopped::Sink),
                    None => Ok((*i, paths, files)),
                }
            })
            .collect();
        let made = made?;
        let mut reused = Vec::new();
        if let Some(cache) = cache {
            for i in &kept {
                if let Some(c) = cache.incidents.get(&(lang, model.incidents[*i].id.clone())) {
                    reused.extend(c.paths.iter().cloned());
                }
            }
            for (i, paths, _) in &made {
                let cached = Cached {
                    incident: model.incidents[*i].clone(),
                    view: views.incidents[*i].clone(),
                    record: views.records[*i].clone(),
                    followed: views.is_followed(model, *i),
                    statuses: views.statuses_of(model, *i),
                    paths: paths.clone(),
                };
                cache.incidents.insert((lang, model.incidents[*i].id.clone()), cached);
            }
        }
        Ok((made.into_iter().flat_map(|(_, _, f)| f).collect(), reused))
    }

    fn one(&self, i: usize) -> Result<Vec<OutFile>, RenderError> {
        let (fmt, model) = (self.fmt, self.fmt.model);
        let inc = &model.incidents[i];
        let rel = format!("incidents/{}/index.html", inc.id);
        let mut cx = self.base.clone();
        page_paths(fmt, &mut cx, &rel);
        cx.insert("incident", &fmt.incident_page(i));
        let mut out = vec![OutFile {
            bytes: self.engine.render(self.theme, "incident.html", &cx)?,
            path: format!("{}{rel}", fmt.prefix),
        }];
        if !fmt.views.is_followed(model, i) {
            return Ok(out);
        }
        let list = self.feeds.for_incident(i);
        let scope = feeds::Scope {
            title: format!("{}: {}", fmt.tr(&model.site.title), fmt.tr(&inc.title)),
            atom: format!("{}incidents/{}/feed.xml", fmt.prefix, inc.id),
            rss: None,
            page: format!("{}{}", fmt.prefix, fmt.incident_path(i)),
            entries: &list,
        };
        out.push(self.feeds.atom(&scope));
        if inc.kind == Kind::Maintenance {
            out.push(self.calendars.incident_calendar(i));
        }
        if let Some(api) = self.api {
            out.extend(api.incident_file(i));
        }
        Ok(out)
    }
}

/// One language's site-wide and component feeds and its calendar.
fn feeds_and_calendars(fmt: &Formatter<'_>, feeds: &feeds::Feeds<'_>, calendars: &ics::Calendars<'_>) -> Vec<OutFile> {
    let model = fmt.model;
    let p = &fmt.prefix;
    let mut files = Vec::new();
    let entries = feeds.all_entries();
    let capped = &entries[..entries.len().min(feeds::FEED_LIMIT)];
    let title = fmt.tr(&model.site.title);
    let site_scope = feeds::Scope {
        title: title.clone(),
        atom: format!("{p}feed.xml"),
        rss: Some(format!("{p}rss.xml")),
        page: p.clone(),
        entries: capped,
    };
    files.push(feeds.atom(&site_scope));
    files.extend(feeds.rss(&site_scope));
    for c in &model.site.components {
        let list = feeds.for_component(&entries, &c.id);
        if list.is_empty() {
            continue;
        }
        let scope = feeds::Scope {
            title: format!("{title}: {}", fmt.tr(&c.name)),
            atom: format!("{p}components/{}/feed.xml", c.id),
            rss: None,
            page: format!("{p}{}", fmt.component_path(c.id.as_str())),
            entries: &list,
        };
        files.push(feeds.atom(&scope));
    }
    files.push(calendars.site_calendar());
    files
}

/// The files made once, in the default language: the API, badges, sitemaps, static files.
fn site_wide(fmt: &Formatter<'_>, theme: &Theme, api: &api::Api<'_>) -> Vec<OutFile> {
    let mut files = api.files();
    files.extend(badges(fmt));
    files.extend(sitemaps(fmt));
    for (path, bytes) in &theme.statics {
        files.push(OutFile { path: path.clone(), bytes: bytes.clone() });
    }
    files
}

fn badges(fmt: &Formatter<'_>) -> Vec<OutFile> {
    let (model, views) = (fmt.model, fmt.views);
    let site = fmt.site_cx();
    let mut files = vec![OutFile {
        path: "badge.svg".into(),
        bytes: badge::svg(&site.title, &site.indicator_text, badge::indicator_colour(views.indicator)).into_bytes(),
    }];
    for (c, v) in model.site.components.iter().zip(&views.components) {
        let label = fmt.locale.get(&format!("component.{}", v.status.as_str())).to_lowercase();
        files.push(OutFile {
            path: format!("components/{}/badge.svg", c.id),
            bytes: badge::svg(c.name.as_str(), &label, badge::status_colour(v.status)).into_bytes(),
        });
    }
    files
}

/// `sitemap.xml` and `robots.txt`, which need absolute URLs; every language's pages.
fn sitemaps(fmt: &Formatter<'_>) -> Vec<OutFile> {
    let Some(base) = fmt.model.site.base_url.as_deref() else { return Vec::new() };
    let links = links::Links::new(&fmt.model.site);
    let mut pages = vec![String::new(), format!("history/{}", fmt.index()), format!("track-record/{}", fmt.index())];
    pages.extend(fmt.model.site.components.iter().map(|c| fmt.component_path(c.id.as_str())));
    pages.extend(
        (0..fmt.model.incidents.len())
            .filter(|i| fmt.views.incidents[*i].phase != Phase::Unpublished)
            .map(|i| fmt.incident_path(i)),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for lang in &fmt.model.site.languages {
        let prefix = if *lang == fmt.model.site.language { String::new() } else { format!("{}/", lang.tag()) };
        for page in &pages {
            xml.push_str(&format!("<url><loc>{}</loc></url>\n", xml::escape(&links.url(&format!("{prefix}{page}")))));
        }
    }
    xml.push_str("</urlset>\n");
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    vec![
        OutFile { path: "sitemap.xml".into(), bytes: xml.into_bytes() },
        OutFile { path: "robots.txt".into(), bytes: robots.into_bytes() },
    ]
}

/// The same page in each of the site's languages, for the switcher and `hreflang`.
#[derive(Serialize)]
struct Alternate {
    lang: &'static str,
    name: String,
    href: String,
    current: bool,
}

/// The context every page starts from, in `fmt`'s language. Its values are
/// shared, so cloning it for each page is cheap.
fn base_context(fmt: &Formatter<'_>) -> Context {
    let mut base = Context::new();
    base.insert("site", &fmt.site_cx());
    base.insert("t", &nested_strings(fmt.locale.strings()));
    base.insert("inline_css", "");
    base
}

/// Fills in the paths of the page at `rel` (relative to its language's root).
fn page_paths(fmt: &Formatter<'_>, cx: &mut Context, rel: &str) {
    let full = format!("{}{rel}", fmt.prefix);
    let assets = root_of(&full);
    let site = &fmt.model.site;
    let alternates: Vec<Alternate> = site
        .languages
        .iter()
        .map(|lang| {
            let prefix = if *lang == site.language { String::new() } else { format!("{}/", lang.tag()) };
            let href = match &site.base_url {
                Some(base) => format!("{base}{prefix}{}", rel.strip_suffix("index.html").unwrap_or(rel)),
                None => format!("{assets}{prefix}{rel}"),
            };
            Alternate { lang: lang.tag(), name: language_name(fmt, *lang), href, current: *lang == fmt.lang }
        })
        .collect();
    cx.insert("root", &root_of(rel));
    cx.insert("assets", &assets);
    cx.insert("canonical", full.strip_suffix("index.html").unwrap_or(&full));
    cx.insert("path", &full);
    cx.insert("alternates", &if alternates.len() > 1 { alternates } else { Vec::new() });
}

/// A language's name in that language.
fn language_name(fmt: &Formatter<'_>, lang: crate::model::Language) -> String {
    fmt.names.iter().find(|(l, _)| *l == lang).map_or_else(|| lang.tag().to_owned(), |(_, name)| name.clone())
}

/// `404.html`: served at any depth, so it inlines its stylesheet and links absolutely when it can.
fn not_found(engine: &Engine, fmt: &Formatter<'_>, base: &Context, theme: &Theme) -> Result<OutFile, RenderError> {
    let mut cx = base.clone();
    page_paths(fmt, &mut cx, "404.html");
    let css = theme.statics.get("style.css").map(|b| String::from_utf8_lossy(b).into_owned());
    cx.insert("inline_css", &css.unwrap_or_default());
    let home = fmt.model.site.base_url.as_deref().unwrap_or_default();
    cx.insert("root", home);
    cx.insert("assets", home);
    Ok(OutFile { bytes: engine.render(theme, "404.html", &cx)?, path: "404.html".into() })
}

/// Renders one language's pages other than incident pages.
fn pages(engine: &Engine, fmt: &Formatter<'_>, base: &Context, theme: &Theme) -> Result<Vec<OutFile>, RenderError> {
    let (model, views) = (fmt.model, fmt.views);
    let page = |name: &str, rel: String, extra: &dyn Fn(&mut Context)| -> Result<OutFile, RenderError> {
        let mut cx = base.clone();
        page_paths(fmt, &mut cx, &rel);
        extra(&mut cx);
        Ok(OutFile { bytes: engine.render(theme, name, &cx)?, path: format!("{}{rel}", fmt.prefix) })
    };
    let mut files = vec![page("index.html", "index.html".into(), &|cx| index_context(fmt, cx))?];
    for (c, v) in model.site.components.iter().zip(&views.components) {
        let path = format!("components/{}/index.html", c.id);
        let listed = listed_incidents(fmt, &v.incidents, views);
        files.push(page("component.html", path, &|cx| {
            cx.insert("component", &fmt.component(c, v));
            cx.insert("incidents", &listed);
        })?);
    }
    files.extend(history_pages(fmt, &page)?);
    files.push(page("track_record.html", "track-record/index.html".into(), &|cx| {
        let window = fmt.locale.fill("record.window", &[("days", &model.site.history_days.to_string())]);
        let mut rows = vec![fmt.track(window, &views.track_window)];
        rows.extend(views.track_years.iter().map(|(y, t)| fmt.track(y.to_string(), t)));
        cx.insert("rows", &rows);
    })?);
    Ok(files)
}

/// UI strings as nested maps, so templates write `t.index.active` for `index.active`.
fn nested_strings(strings: &std::collections::BTreeMap<String, String>) -> serde_json_like::Node {
    let mut root = serde_json_like::Node::default();
    for (key, value) in strings {
        root.insert(key.split('.'), value);
    }
    root
}

/// `../` once per folder level of `path`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// How many items each list on the front page shows; the rest are a link away,
/// so the page stays small whatever the history holds.
pub const INDEX_LIMIT: usize = 20;

/// Inserts the first [`INDEX_LIMIT`] of `items` as `name`, and how many more there are as `name_more`.
fn insert_capped<T: Serialize>(cx: &mut Context, name: &'static str, items: Vec<usize>, make: impl Fn(usize) -> T) {
    let shown: Vec<T> = items.iter().take(INDEX_LIMIT).map(|i| make(*i)).collect();
    cx.insert(name, &shown);
    cx.insert(format!("{name}_more"), &items.len().saturating_sub(INDEX_LIMIT));
}

fn index_context(fmt: &Formatter<'_>, cx: &mut Context) {
    let views = fmt.views;
    let current = |phase: Phase| -> Vec<usize> { views.in_phase(phase).collect() };
    let mut upcoming = current(Phase::Upcoming);
    upcoming.reverse();
    insert_capped(cx, "active", current(Phase::Active), |i| fmt.current(i));
    insert_capped(cx, "in_progress", current(Phase::InProgress), |i| fmt.current(i));
    insert_capped(cx, "upcoming", upcoming, |i| fmt.current(i));
    insert_capped(cx, "notices", current(Phase::Announced), |i| fmt.current(i));
    insert_capped(cx, "recent", views.recent(fmt.model), |i| fmt.incident(i));
    cx.insert("groups", &fmt.groups());
}

/// How many incidents a component page lists; the history has the rest.
pub const COMPONENT_LIMIT: usize = 50;

/// A component page's incidents: those within the history window, newest first, at most [`COMPONENT_LIMIT`].
fn listed_incidents(fmt: &Formatter<'_>, indexes: &[usize], views: &Views) -> Vec<IncidentCx> {
    let since = views.now - jiff::SignedDuration::from_hours(24 * i64::from(fmt.model.site.history_days));
    indexes
        .iter()
        .copied()
        .filter(|i| {
            let v = &views.incidents[*i];
            v.phase != Phase::Unpublished && v.end.is_none_or(|e| e >= since)
        })
        .take(COMPONENT_LIMIT)
        .map(|i| fmt.incident(i))
        .collect()
}

/// A link to one page of history.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    path: String,
    current: bool,
}

/// A year in the history index.
#[derive(Serialize)]
struct YearCx {
    year: i16,
    count: usize,
    path: String,
}

type PageFn<'p> = dyn Fn(&str, String, &dyn Fn(&mut Context)) -> Result<OutFile, RenderError> + Sync + 'p;

/// `history/index.html` with the years, and `history/YEAR/[N/]index.html` pages of 100 incidents.
fn history_pages(fmt: &Formatter<'_>, page: &PageFn<'_>) -> Result<Vec<OutFile>, RenderError> {
    let model = fmt.model;
    let tz = &model.site.timezone;
    let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
    for (i, inc) in model.incidents.iter().enumerate() {
        let shown = fmt.views.incidents[i].phase != Phase::Unpublished;
        if !shown || inc.kind == Kind::Notice && fmt.views.incidents[i].phase == Phase::Announced {
            continue;
        }
        let year = inc.started_at.to_zoned_datetime(tz.clone()).year();
        match years.last_mut() {
            Some((y, list)) if *y == year => list.push(i),
            _ => years.push((year, vec![i])),
        }
    }
    let index = fmt.index();
    let year_cx: Vec<YearCx> = years
        .iter()
        .map(|(y, list)| YearCx { year: *y, count: list.len(), path: format!("history/{y}/{index}") })
        .collect();
    let mut files = vec![page("history.html", "history/index.html".into(), &|cx| {
        cx.insert("years", &year_cx);
    })?];
    let mut jobs: Vec<(i16, usize, &[usize], usize, usize)> = Vec::new();
    for (year, list) in &years {
        let chunks: Vec<&[usize]> = list.chunks(HISTORY_PAGE_SIZE).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            jobs.push((*year, n, chunk, chunks.len(), list.len()));
        }
    }
    let pages: Result<Vec<OutFile>, RenderError> = jobs
        .par_iter()
        .map(|(year, n, chunk, count, total)| {
            let path = if *n == 0 {
                format!("history/{year}/index.html")
            } else {
                format!("history/{year}/{}/index.html", n + 1)
            };
            let items: Vec<IncidentCx> = chunk.iter().map(|i| fmt.incident(*i)).collect();
            let links: Vec<PageLink> = (1..=*count)
                .map(|k| {
                    let path =
                        if k == 1 { format!("history/{year}/{index}") } else { format!("history/{year}/{k}/{index}") };
                    PageLink { number: k, path, current: k == n + 1 }
                })
                .collect();
            page("history_year.html", path, &|cx| {
                cx.insert("year", year);
                cx.insert("count", total);
                cx.insert("incidents", &items);
                cx.insert("pages", &links);
                cx.insert("years", &year_cx);
            })
        })
        .collect();
    files.extend(pages?);
    Ok(files)
}

/// A string tree that serialises as nested maps.
mod serde_json_like {
    use std::collections::BTreeMap;

    use serde::ser::{Serialize, SerializeMap, Serializer};

    /// A leaf string or a map of children.
    #[derive(Debug, Default)]
    pub struct Node {
        text: Option<String>,
        children: BTreeMap<String, Node>,
    }

    impl Node {
        /// Puts `value` at the path of `parts`.
        pub fn insert<'a>(&mut self, mut parts: impl Iterator<Item = &'a str>, value: &str) {
            match parts.next() {
                Some(part) => self.children.entry(part.to_owned()).or_default().insert(parts, value),
                None => self.text = Some(value.to_owned()),
            }
        }
    }

    impl Serialize for Node {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match (&self.text, self.children.is_empty()) {
                (Some(text), true) => serializer.serialize_str(text),
                _ => {
                    let mut map = serializer.serialize_map(Some(self.children.len()))?;
                    for (key, child) in &self.children {
                        map.serialize_entry(key, child)?;
                    }
                    map.end()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{SITE, model, ts};

    const A: &str = "title: A\nkind: outage\nimpact: minor\ncomponents: [api]\nstarted_at: 2026-03-14T10:00:00+02:00\nupdates:\n  - { at: 2026-03-14T10:05:00+02:00, status: resolved, body: Fixed. }\n";

    #[test]
    fn the_cache_renders_again_only_what_changed() {
        let theme = Theme::builtin("en").unwrap();
        let render_at = |m: &Model, cache: &mut RenderCache| {
            let views = crate::views::derive(m, ts("2026-03-20T10:00:00+02:00"));
            site_cached(m, &views, &theme, cache).unwrap()
        };
        let mut cache = RenderCache::default();
        let first = render_at(&model(SITE, &[("a", A), ("b", &A.replace("title: A", "title: B"))]), &mut cache);
        assert!(first.files.iter().any(|f| f.path == "incidents/a/index.html"));
        assert!(first.reused.is_empty());
        let edited =
            model(SITE, &[("a", &A.replace("Fixed.", "Fixed for good.")), ("b", &A.replace("title: A", "title: B"))]);
        let second = render_at(&edited, &mut cache);
        let a =
            second.files.iter().find(|f| f.path == "incidents/a/index.html").expect("the edited incident is rendered");
        assert!(String::from_utf8_lossy(&a.bytes).contains("Fixed for good."));
        assert!(!second.files.iter().any(|f| f.path == "incidents/b/index.html"), "the other is not");
        assert!(second.reused.contains(&"incidents/b/index.html".to_owned()));
        assert!(second.files.iter().any(|f| f.path == "index.html"), "pages that list incidents are rendered again");
        let uncached = site(&edited, &crate::views::derive(&edited, ts("2026-03-20T10:00:00+02:00")), &theme).unwrap();
        let b = uncached.files.iter().find(|f| f.path == "incidents/b/index.html").unwrap();
        assert!(String::from_utf8_lossy(&b.bytes).contains("<h1>B</h1>"));
    }
}
