//! Turning the model and its views into files: HTML pages, feeds, calendars,
//! the API, badges and the sitemap.
//!
//! Rendering reads only the model, the views and the theme; it never touches
//! the disk. [`render`] is its one entry point: a [`Request`] says what to
//! render (the whole site, or only some incidents' own files), whether a
//! [`RenderCache`] may spare unchanged incidents, and whether each incident's
//! files go to a [`Sink`] as soon as they are made (so a large site is never
//! held in memory whole) or come back in [`Rendered`].
//!
//! The parts: [`engine`] compiles templates, [`context`] formats the model
//! for them, [`pages`] renders the HTML pages, `units` each incident's own
//! files, [`feeds`], [`ics`] and [`api`] the other formats, `site_files` what
//! the site has once (the redirects at incidents' old addresses among them),
//! and `cache` what a live rebuild can keep.

pub mod api;
pub mod audiences;
pub mod badge;
mod cache;
pub mod context;
pub mod embed;
pub mod engine;
pub mod feeds;
pub mod ics;
pub mod ids;
pub mod llms;
pub mod pages;
mod site_files;
pub mod strings;
mod units;
pub mod xml;

use std::convert::Infallible;
use std::sync::OnceLock;

pub use cache::RenderCache;
pub use engine::{Engine, RenderError};

use crate::files::OutFile;
use crate::model::{Language, Model};
use crate::paths::Paths;
use crate::theme::Theme;
use crate::views::{Phase, Views};
use context::Formatter;
use units::Units;

/// The rendered site: its files, and notes for the author.
#[derive(Debug)]
pub struct Rendered {
    /// Every output file rendered, sorted by path (less those handed to the
    /// request's [`Sink`], and those the cache showed unchanged).
    pub files: Vec<OutFile>,
    /// Paths of files left out of `files` because the cache shows they did not change.
    pub reused: Vec<String>,
    /// Things the author should know that are not errors.
    pub notes: Vec<String>,
}

/// Where each incident's files go as soon as they are rendered, from any
/// thread, so that a large site is never held in memory whole.
pub type Sink<'s, E> = dyn Fn(&[OutFile]) -> Result<(), E> + Sync + 's;

/// Why a render stopped: a template failed, or the sink did.
#[derive(Debug)]
pub enum Stopped<E> {
    /// A template failed.
    Render(RenderError),
    /// The sink refused a file (a write failed).
    Sink(E),
}

impl From<Stopped<Infallible>> for RenderError {
    fn from(stopped: Stopped<Infallible>) -> Self {
        match stopped {
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

/// Which files a request asks for.
#[derive(Clone, Copy, Debug)]
enum Scope<'r> {
    /// Every file of the site, in every language.
    Site,
    /// Only the own files (page, feed, calendar, JSON) of the incidents at
    /// these model indexes, in every language: what a live rebuild writes
    /// first after an edit, before the pages that list incidents.
    Incidents(&'r [usize]),
}

/// What to render, what may be spared, and where the files go.
pub struct Request<'r, E> {
    scope: Scope<'r>,
    cache: Option<&'r mut RenderCache>,
    sink: Option<&'r Sink<'r, E>>,
}

impl<'r> Request<'r, Infallible> {
    /// Every file of the site: pages, feeds and calendars in every language,
    /// and once the API, badges, sitemaps, 404 page and static files.
    pub fn site() -> Self {
        Request { scope: Scope::Site, cache: None, sink: None }
    }

    /// Only the own files of the incidents at `indexes`, in every language.
    pub fn incidents(indexes: &'r [usize]) -> Self {
        Request { scope: Scope::Incidents(indexes), cache: None, sink: None }
    }
}

impl<'r, E> Request<'r, E> {
    /// Leaves out incidents whose files `cache` shows are unchanged, and
    /// remembers what was rendered for the next request.
    pub fn cached(self, cache: &'r mut RenderCache) -> Self {
        Request { cache: Some(cache), ..self }
    }

    /// Hands every incident's files to `sink` as they are made, instead of
    /// returning them; the other files are returned.
    pub fn streaming<F>(self, sink: &'r Sink<'r, F>) -> Request<'r, F> {
        Request { scope: self.scope, cache: self.cache, sink: Some(sink) }
    }
}

/// One empty slot per incident, for what a language's pages make of it on first use.
fn slots<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// Renders what `request` asks for.
pub fn render<E: Send>(
    model: &Model,
    views: &Views,
    theme: &Theme,
    request: Request<'_, E>,
) -> Result<Rendered, Stopped<E>> {
    let Request { scope, mut cache, sink } = request;
    let engine = Engine::new(theme)?;
    let names: Vec<(Language, String)> =
        theme.locales.iter().map(|(l, locale)| (*l, locale.get("language.name").to_owned())).collect();
    if let Some(cache) = cache.as_deref_mut() {
        cache.start(model, views, theme);
    }
    let default = model.site.language;
    let markdown = crate::markdown::Renderer::new(&model.site.image_hosts);
    let api =
        api::Api::new(model, views, theme.locale.get(&format!("headline.{}", views.headline.as_str())).to_owned());
    let (mut files, mut reused) = (Vec::new(), Vec::new());
    for &lang in &model.site.languages {
        let n = model.incidents.len();
        let (bodies, advice, listed, listed_values) = (slots(n), slots(n), slots(n), slots(n));
        let components = slots(model.site.components.len());
        let fmt = Formatter {
            model,
            views,
            locale: theme.locale_for(lang),
            default_locale: &theme.locale,
            bodies: &bodies,
            advice: &advice,
            listed: &listed,
            listed_values: &listed_values,
            components: &components,
            markdown: &markdown,
            lang,
            paths: Paths::new(&model.site, lang),
            names: &names,
        };
        let base = pages::base_context(&fmt);
        let (feeds, calendars) = (feeds::Feeds::new(&fmt), ics::Calendars::new(&fmt));
        let units = Units {
            engine: &engine,
            fmt: &fmt,
            base: &base,
            theme,
            feeds: &feeds,
            calendars: &calendars,
            api: (lang == default).then_some(&api),
        };
        let Scope::Incidents(only) = scope else {
            // The pages that list incidents, the feeds and the API are made while
            // the incidents' own files render, so neither core waits for the other.
            let lists = || -> Result<Vec<OutFile>, RenderError> {
                let (pages, (feeds, rest)) = rayon::join(
                    || pages::all(&engine, &fmt, &base, theme),
                    || {
                        rayon::join(
                            || feeds::site_and_components(&fmt, &feeds, &calendars),
                            || -> Result<Vec<OutFile>, RenderError> {
                                let mut files = vec![llms::home(&fmt)];
                                files.extend((0..model.site.audiences.len()).map(|a| llms::audience(&fmt, a)));
                                if lang != default {
                                    return Ok(files);
                                }
                                files.extend(site_files::all(&fmt, theme, &api));
                                files.extend(audiences::once(&fmt, &api));
                                files.extend(embed::files(&engine, &fmt, theme)?);
                                files.push(llms::llms_txt(&fmt));
                                files.push(pages::not_found(&engine, &fmt, &base, theme)?);
                                files.extend(site_files::redirects(&engine, &fmt, &base, theme)?);
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
            continue;
        };
        for i in only.iter().filter(|i| views.incidents[**i].phase != Phase::Unpublished) {
            files.extend(units.one(*i)?);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut notes = Vec::new();
    if model.site.base_url.is_none() && matches!(scope, Scope::Site) {
        notes.push("base_url is not set, so feeds, the API and calendars use relative links and no sitemap.xml or robots.txt is written; set base_url in site.yaml or pass --base-url".to_owned());
    }
    Ok(Rendered { files, reused, notes })
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
            render(m, &views, &theme, Request::site().cached(cache)).map_err(RenderError::from).unwrap()
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
        let views = crate::views::derive(&edited, ts("2026-03-20T10:00:00+02:00"));
        let uncached = render(&edited, &views, &theme, Request::site()).map_err(RenderError::from).unwrap();
        let b = uncached.files.iter().find(|f| f.path == "incidents/b/index.html").unwrap();
        assert!(String::from_utf8_lossy(&b.bytes).contains("<h1>B</h1>"));
    }
}
