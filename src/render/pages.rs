//! The HTML pages of one language: the front page, component pages, the
//! history (by year, paginated), the track record and the 404 page, and what
//! every page's template is given (its paths, its alternates, the site).

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::context::Formatter;
use super::engine::{Engine, RenderError};
use super::strings;
use crate::files::OutFile;
use crate::model::{Kind, Language};
use crate::paths::{Paths, Place, root_of};
use crate::theme::Theme;
use crate::views::{Phase, Views};

/// How many incidents one history page lists.
pub const HISTORY_PAGE_SIZE: usize = 100;

/// How many items each list on the front page shows; the rest are a link away,
/// so the page stays small whatever the history holds.
pub const INDEX_LIMIT: usize = 20;

/// How many incidents a component page lists; the history has the rest.
pub const COMPONENT_LIMIT: usize = 50;

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
pub fn base_context(fmt: &Formatter<'_>) -> Context {
    let mut base = Context::new();
    base.insert("site", &fmt.site_cx());
    base.insert("links", &fmt.links_cx());
    base.insert("t", &strings::nested(fmt.locale.strings()));
    base.insert("inline_css", "");
    base
}

/// Renders the page at `place` with template `name`: the base context, the
/// page's paths, and what `extra` adds.
pub fn page(
    engine: &Engine,
    fmt: &Formatter<'_>,
    base: &Context,
    theme: &Theme,
    name: &str,
    place: Place<'_>,
    extra: &dyn Fn(&mut Context),
) -> Result<OutFile, RenderError> {
    let mut cx = base.clone();
    let path = page_paths(fmt, &mut cx, place);
    extra(&mut cx);
    Ok(OutFile { bytes: engine.render(theme, name, &cx)?, path })
}

/// Fills in the paths of the page at `place`: to its language's root, to the
/// site root, its canonical address and the same page in the other languages;
/// returns the page's file in the output.
fn page_paths(fmt: &Formatter<'_>, cx: &mut Context, place: Place<'_>) -> String {
    let rel = fmt.paths.file_in_root(place);
    let full = fmt.paths.file(place);
    let assets = root_of(&full);
    let site = &fmt.model.site;
    // A site in one language has no alternates to list.
    let others = if site.languages.len() > 1 { site.languages.as_slice() } else { &[] };
    let alternates: Vec<Alternate> = others
        .iter()
        .map(|lang| {
            let other = Paths::new(site, *lang);
            let href = match site.base_url {
                Some(_) => {
                    other.absolute(&format!("{}{}", other.prefix(), rel.strip_suffix("index.html").unwrap_or(&rel)))
                }
                None => format!("{assets}{}{rel}", other.prefix()),
            };
            Alternate { lang: lang.tag(), name: language_name(fmt, *lang), href, current: *lang == fmt.lang }
        })
        .collect();
    cx.insert("root", &root_of(&rel));
    cx.insert("assets", &assets);
    cx.insert("canonical", &fmt.paths.canonical(place));
    cx.insert("path", &full);
    cx.insert("alternates", &alternates);
    full
}

/// A language's name in that language.
fn language_name(fmt: &Formatter<'_>, lang: Language) -> String {
    fmt.names.iter().find(|(l, _)| *l == lang).map_or_else(|| lang.tag().to_owned(), |(_, name)| name.clone())
}

/// `404.html`: served at any depth, so it inlines its stylesheet and links absolutely when it can.
pub fn not_found(engine: &Engine, fmt: &Formatter<'_>, base: &Context, theme: &Theme) -> Result<OutFile, RenderError> {
    let css = theme.statics.get("style.css").map(|b| String::from_utf8_lossy(b).into_owned());
    let home = fmt.model.site.base_url.as_deref().unwrap_or_default();
    page(engine, fmt, base, theme, "404.html", Place::NotFound, &|cx| {
        cx.insert("inline_css", css.as_deref().unwrap_or_default());
        cx.insert("root", home);
        cx.insert("assets", home);
    })
}

/// Renders one language's pages other than incident pages.
pub fn all(engine: &Engine, fmt: &Formatter<'_>, base: &Context, theme: &Theme) -> Result<Vec<OutFile>, RenderError> {
    let (model, views) = (fmt.model, fmt.views);
    let render =
        |name: &str, place: Place<'_>, extra: &dyn Fn(&mut Context)| page(engine, fmt, base, theme, name, place, extra);
    let mut files = vec![render("index.html", Place::Home, &|cx| index_context(fmt, cx))?];
    files.extend(super::audiences::pages(fmt, &render)?);
    for (n, (c, v)) in model.site.components.iter().zip(&views.components).enumerate() {
        let listed = listed_incidents(fmt, &v.incidents, views);
        let advice = super::audiences::component_advice(fmt, n);
        files.push(render("component.html", Place::Component(&c.id), &|cx| {
            cx.insert("component", &fmt.component_at(n));
            cx.insert_value("incidents", listed.clone());
            cx.insert("advice", &advice);
        })?);
    }
    let year = |year: i16, page: usize| Place::HistoryYear { year, page };
    let site_history = History { among: None, index: Place::History, year: &year };
    files.extend(history_pages(fmt, &render, &site_history)?);
    files.push(render("track_record.html", Place::TrackRecord, &|cx| {
        let window = fmt.locale.fill("record.window", &[("days", &model.site.history_days.to_string())]);
        let mut rows = vec![fmt.track(window, &views.track_window)];
        rows.extend(views.track_years.iter().map(|(y, t)| fmt.track(y.to_string(), t)));
        cx.insert("rows", &rows);
    })?);
    Ok(files)
}

/// Inserts the first [`INDEX_LIMIT`] of `items` as `name`, and how many more there are as `name_more`.
pub fn insert_capped<T: Serialize>(cx: &mut Context, name: &'static str, items: Vec<usize>, make: impl Fn(usize) -> T) {
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
    let recent = views.recent(fmt.model);
    cx.insert_value(
        "recent",
        tera::Value::from(recent.iter().take(INDEX_LIMIT).map(|i| fmt.listed(*i)).collect::<Vec<_>>()),
    );
    cx.insert("recent_more", &recent.len().saturating_sub(INDEX_LIMIT));
    cx.insert("groups", &fmt.groups());
    let audiences: Vec<_> = (0..fmt.model.site.audiences.len()).map(|a| fmt.audience(a)).collect();
    cx.insert("audiences", &audiences);
}

/// A component page's incidents: those within the history window, newest first, at most [`COMPONENT_LIMIT`].
fn listed_incidents(fmt: &Formatter<'_>, indexes: &[usize], views: &Views) -> tera::Value {
    let since = views.now - jiff::SignedDuration::from_hours(24 * i64::from(fmt.model.site.history_days));
    indexes
        .iter()
        .copied()
        .filter(|i| {
            let v = &views.incidents[*i];
            v.phase != Phase::Unpublished && v.end.is_none_or(|e| e >= since)
        })
        .take(COMPONENT_LIMIT)
        .map(|i| fmt.listed(i))
        .collect::<Vec<_>>()
        .into()
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
    /// How many of each kind, in the order kinds are documented.
    kinds: Vec<KindCount>,
}

/// How many incidents of one kind a year had.
#[derive(Serialize)]
struct KindCount {
    kind: &'static str,
    label: String,
    count: usize,
}

/// Renders a page: template, place, and what to add to its context.
pub type PageFn<'p> = dyn Fn(&str, Place<'_>, &dyn Fn(&mut Context)) -> Result<OutFile, RenderError> + Sync + 'p;

/// Whose history to render, and where.
pub struct History<'h> {
    /// The model indexes of the incidents it may list (sorted); all when `None`.
    pub among: Option<&'h [usize]>,
    /// The years' index.
    pub index: Place<'h>,
    /// Page `page` (from 1) of year `year`.
    pub year: &'h (dyn Fn(i16, usize) -> Place<'h> + Sync),
}

/// A history's index with the years (`history/index.html`), and its
/// `YEAR/[N/]index.html` pages of 100 incidents each.
pub fn history_pages(
    fmt: &Formatter<'_>,
    page: &PageFn<'_>,
    history: &History<'_>,
) -> Result<Vec<OutFile>, RenderError> {
    let model = fmt.model;
    let tz = &model.site.timezone;
    // Maintenance is listed by when the work happens, not when it was announced.
    let when = |i: usize| {
        let inc = &model.incidents[i];
        inc.scheduled.filter(|_| inc.kind == Kind::Maintenance).map_or(inc.started_at, |w| w.start)
    };
    let candidates: Vec<usize> = history.among.map_or_else(|| (0..model.incidents.len()).collect(), <[usize]>::to_vec);
    let mut listed: Vec<usize> = candidates
        .into_iter()
        .filter(|i| {
            let phase = fmt.views.incidents[*i].phase;
            phase != Phase::Unpublished && !(model.incidents[*i].kind == Kind::Notice && phase == Phase::Announced)
        })
        .collect();
    listed.sort_by(|a, b| when(*b).cmp(&when(*a)).then_with(|| model.incidents[*a].id.cmp(&model.incidents[*b].id)));
    let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
    for i in listed {
        let year = when(i).to_zoned_datetime(tz.clone()).year();
        match years.last_mut() {
            Some((y, list)) if *y == year => list.push(i),
            _ => years.push((year, vec![i])),
        }
    }
    let link = |year: i16, page: usize| fmt.paths.link((history.year)(year, page));
    let kinds = |list: &[usize]| -> Vec<KindCount> {
        Kind::ALL
            .iter()
            .map(|k| KindCount {
                kind: k.as_str(),
                label: fmt.locale.get(&format!("kind.{}", k.as_str())).to_owned(),
                count: list.iter().filter(|i| model.incidents[**i].kind == *k).count(),
            })
            .filter(|c| c.count > 0)
            .collect()
    };
    let year_cx: Vec<YearCx> = years
        .iter()
        .map(|(y, list)| YearCx { year: *y, count: list.len(), path: link(*y, 1), kinds: kinds(list) })
        .collect();
    let mut files = vec![page("history.html", history.index, &|cx| {
        cx.insert("years", &year_cx);
    })?];
    let mut jobs: Vec<(i16, usize, &[usize], usize, usize)> = Vec::new();
    for (year, list) in &years {
        let chunks: Vec<&[usize]> = list.chunks(HISTORY_PAGE_SIZE).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            jobs.push((*year, n + 1, chunk, chunks.len(), list.len()));
        }
    }
    let pages: Result<Vec<OutFile>, RenderError> = jobs
        .par_iter()
        .map(|(year, n, chunk, count, total)| {
            let items = tera::Value::from(chunk.iter().map(|i| fmt.listed(*i)).collect::<Vec<_>>());
            let links: Vec<PageLink> =
                (1..=*count).map(|k| PageLink { number: k, path: link(*year, k), current: k == *n }).collect();
            page("history_year.html", (history.year)(*year, *n), &|cx| {
                cx.insert("year", year);
                cx.insert("count", total);
                cx.insert_value("incidents", items.clone());
                cx.insert("pages", &links);
                cx.insert("years", &year_cx);
            })
        })
        .collect();
    files.extend(pages?);
    Ok(files)
}
