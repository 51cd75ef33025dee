//! One incident's own files in one language: its page and, while it is
//! current or recent, its feed, calendar and (once, in the default language)
//! JSON. These are the units a build renders in parallel and streams to disk,
//! and the ones a live rebuild renders again only when they changed.

use rayon::prelude::*;
use tera::Context;

use super::cache::RenderCache;
use super::context::Formatter;
use super::engine::{Engine, RenderError};
use super::{Sink, Stopped, api, feeds, ics, pages};
use crate::files::OutFile;
use crate::model::Kind;
use crate::paths::Place;
use crate::theme::Theme;
use crate::views::Phase;

/// Renders the files that belong to single incidents, in one language.
pub(super) struct Units<'u, 'a> {
    pub engine: &'u Engine,
    pub fmt: &'u Formatter<'a>,
    /// The context every page starts from, made once per language.
    pub base: &'u Context,
    pub theme: &'u Theme,
    pub feeds: &'u feeds::Feeds<'u>,
    pub calendars: &'u ics::Calendars<'u>,
    pub api: Option<&'u api::Api<'a>>,
}

/// One incident rendered: its index, its files' paths, and the files themselves
/// unless a sink took them.
type Made = (usize, Vec<String>, Vec<OutFile>);

impl Units<'_, '_> {
    /// Every published incident's files: rendered (and handed to `sink` when
    /// there is one, else returned), or, when the cache shows them unchanged,
    /// only their paths.
    pub fn all<E: Send>(
        &self,
        cache: Option<&mut RenderCache>,
        sink: Option<&Sink<'_, E>>,
    ) -> Result<(Vec<OutFile>, Vec<String>), Stopped<E>> {
        let (model, views, lang) = (self.fmt.model, self.fmt.views, self.fmt.lang);
        let published = (0..model.incidents.len()).filter(|i| views.incidents[*i].phase != Phase::Unpublished);
        let mut reused = Vec::new();
        let mut todo = Vec::new();
        for i in published {
            match cache.as_deref().and_then(|c| c.unchanged(lang, model, views, i)) {
                Some(paths) => reused.extend_from_slice(paths),
                None => todo.push(i),
            }
        }
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
        if let Some(cache) = cache {
            for (i, paths, _) in &made {
                cache.store(lang, model, views, *i, paths.clone());
            }
        }
        Ok((made.into_iter().flat_map(|(_, _, f)| f).collect(), reused))
    }

    /// Incident `i`'s files.
    pub fn one(&self, i: usize) -> Result<Vec<OutFile>, RenderError> {
        let (fmt, model) = (self.fmt, self.fmt.model);
        let inc = &model.incidents[i];
        let place = Place::Incident(&inc.id);
        let mut out = vec![pages::page(self.engine, fmt, self.base, self.theme, "incident.html", place, &|cx| {
            cx.insert("incident", &fmt.incident_page(i));
        })?];
        if !fmt.views.is_followed(model, i) {
            return Ok(out);
        }
        let list = self.feeds.for_incident(i);
        let scope = feeds::Scope {
            title: format!("{}: {}", fmt.tr(&model.site.title), fmt.tr(&inc.title)),
            atom: Place::IncidentFeed(&inc.id),
            rss: None,
            page: fmt.paths.url(place),
            entries: &list,
            reader: None,
        };
        out.push(self.feeds.atom(&scope));
        if inc.kind == Kind::Maintenance {
            out.push(self.calendars.incident_calendar(i));
        }
        if let Some(api) = self.api {
            out.extend(api.incident_file(i));
        }
        if fmt.views.incidents[i].phase.is_current() {
            out.push(super::llms::incident(fmt, i));
        }
        Ok(out)
    }
}
