//! The files a site has once, whatever its languages: the API, the badges,
//! the sitemap and `robots.txt`, the theme's static files, and the pages at
//! incidents' old addresses that send readers on.

use rayon::prelude::*;
use tera::Context;

use super::context::Formatter;
use super::engine::{Engine, RenderError};
use super::{api, badge, xml};
use crate::files::OutFile;
use crate::paths::{Paths, Place, root_of};
use crate::theme::Theme;
use crate::views::Phase;

/// The files made once, in the default language: the API, badges, sitemaps, static files.
pub fn all(fmt: &Formatter<'_>, theme: &Theme, api: &api::Api<'_>) -> Vec<OutFile> {
    let mut files = api.files();
    files.extend(badges(fmt));
    files.extend(sitemaps(fmt));
    for (path, bytes) in &theme.statics {
        files.push(OutFile { path: fmt.paths.file(Place::Static(path)), bytes: bytes.clone() });
    }
    files
}

/// The overall badge and one per component.
fn badges(fmt: &Formatter<'_>) -> Vec<OutFile> {
    let (model, views) = (fmt.model, fmt.views);
    let site = fmt.site_cx();
    let mut files = vec![OutFile {
        path: fmt.paths.file(Place::Badge),
        bytes: badge::svg(&site.title, &site.indicator_text, badge::indicator_colour(views.indicator)).into_bytes(),
    }];
    for (c, v) in model.site.components.iter().zip(&views.components) {
        let label = fmt.locale.get(&format!("component.{}", v.status.as_str())).to_lowercase();
        files.push(OutFile {
            path: fmt.paths.file(Place::ComponentBadge(&c.id)),
            bytes: badge::svg(c.name.as_str(), &label, badge::status_colour(v.status)).into_bytes(),
        });
    }
    files
}

/// `sitemap.xml` and `robots.txt`, which need absolute URLs; every language's pages.
fn sitemaps(fmt: &Formatter<'_>) -> Vec<OutFile> {
    let (model, views) = (fmt.model, fmt.views);
    if model.site.base_url.is_none() {
        return Vec::new();
    }
    let mut pages = vec![Place::History, Place::TrackRecord];
    pages.extend(model.site.components.iter().map(|c| Place::Component(&c.id)));
    for a in &model.site.audiences {
        pages.extend([Place::Audience(&a.id), Place::AudienceComponents(&a.id), Place::AudienceHistory(&a.id)]);
    }
    pages.extend(
        model
            .incidents
            .iter()
            .zip(&views.incidents)
            .filter(|(_, v)| v.phase != Phase::Unpublished)
            .map(|(i, _)| Place::Incident(&i.id)),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for lang in &model.site.languages {
        let paths = Paths::new(&model.site, *lang);
        let urls = std::iter::once(paths.canonical_url(Place::Home)).chain(pages.iter().map(|p| paths.url(*p)));
        for url in urls {
            xml.push_str(&format!("<url><loc>{}</loc></url>\n", xml::escape(&url)));
        }
    }
    xml.push_str("</urlset>\n");
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {}\n", fmt.paths.url(Place::Sitemap));
    vec![
        OutFile { path: fmt.paths.file(Place::Sitemap), bytes: xml.into_bytes() },
        OutFile { path: fmt.paths.file(Place::Robots), bytes: robots.into_bytes() },
    ]
}

/// A page at each alias of a published incident, in the default language:
/// `redirect.html`, given the incident's title and a link to its page that is
/// relative to the redirect itself (so it works on a subpath and from disk),
/// and its canonical address (absolute when `base_url` is set).
pub fn redirects(
    engine: &Engine,
    fmt: &Formatter<'_>,
    base: &Context,
    theme: &Theme,
) -> Result<Vec<OutFile>, RenderError> {
    let (model, views) = (fmt.model, fmt.views);
    let jobs: Vec<(usize, &str)> = model
        .incidents
        .iter()
        .enumerate()
        .filter(|(i, _)| views.incidents[*i].phase != Phase::Unpublished)
        .flat_map(|(i, inc)| inc.aliases.iter().map(move |a| (i, a.path.as_str())))
        .collect();
    jobs.par_iter()
        .map(|(i, alias)| {
            let inc = &model.incidents[*i];
            let place = Place::Redirect(alias);
            let path = fmt.paths.file(place);
            let back = root_of(&path);
            let page = Place::Incident(&inc.id);
            let canonical = if fmt.paths.is_absolute() {
                fmt.paths.canonical_url(page)
            } else {
                format!("{back}{}", fmt.paths.canonical(page))
            };
            let mut cx = base.clone();
            cx.insert("target", &format!("{back}{}", fmt.paths.link(page)));
            cx.insert("canonical", &canonical);
            cx.insert("assets", &back);
            cx.insert("incident_title", &fmt.tr(&inc.title));
            // Held until the site is written; the engine's buffer is sized for a whole page.
            let mut bytes = engine.render(theme, "redirect.html", &cx)?;
            bytes.shrink_to_fit();
            Ok(OutFile { bytes, path })
        })
        .collect()
}
