//! Each audience's own files: its front page, its components, its history,
//! its feed, calendar, badge and JSON, showing only what affects it, with the
//! advice meant for it first. They are made by the same parts as the site's
//! own (pages, history, feeds, calendars, badges, the API), given the
//! audience's incidents and components.

use serde::Serialize;
use tera::Context;

use super::api::Api;
use super::badge;
use super::context::{CurrentCx, Formatter, IncidentCx, ReaderRef};
use super::engine::RenderError;
use super::feeds::{Entry, Feeds, Scope};
use super::ics::Calendars;
use super::pages::{History, PageFn, insert_capped};
use crate::files::OutFile;
use crate::paths::Place;
use crate::views::Phase;

/// A current incident with the advice one reader gets, for a component's page.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentAdviceCx {
    /// The incident's title.
    pub title: String,
    /// Its page, relative to the root.
    pub path: String,
    /// The advice, rendered.
    pub html: Vec<String>,
}

/// One language's pages of every audience: front page, components and history.
pub fn pages(fmt: &Formatter<'_>, page: &PageFn<'_>) -> Result<Vec<OutFile>, RenderError> {
    let mut files = Vec::new();
    for (a, audience) in fmt.model.site.audiences.iter().enumerate() {
        let view = &fmt.views.audiences[a];
        let cx = fmt.audience(a);
        files.push(page("audience.html", Place::Audience(&audience.id), &|c| front(fmt, a, c))?);
        files.push(page("audience_components.html", Place::AudienceComponents(&audience.id), &|c| {
            c.insert("audience", &cx);
            c.insert("groups", &fmt.groups_of(&view.components));
        })?);
        let year = |year: i16, page: usize| Place::AudienceHistoryYear { audience: &audience.id, year, page };
        let history =
            History { among: Some(&view.incidents), index: Place::AudienceHistory(&audience.id), year: &year };
        let with_audience = |name: &str, place: Place<'_>, extra: &dyn Fn(&mut Context)| {
            page(name, place, &|c: &mut Context| {
                c.insert("audience", &cx);
                extra(c);
            })
        };
        files.extend(super::pages::history_pages(fmt, &with_audience, &history)?);
    }
    Ok(files)
}

/// What audience `a`'s front page shows: its status and the answer to "am I
/// affected?", what affects it now with its advice first, what does not, its
/// components, and what affected it recently.
fn front(fmt: &Formatter<'_>, a: usize, cx: &mut Context) {
    let (model, views) = (fmt.model, fmt.views);
    let view = &views.audiences[a];
    let place = Place::Audience(&model.site.audiences[a].id);
    let root = fmt.page_root(place);
    let card = |i: usize| -> CurrentCx {
        let mut card = fmt.current_on(i, place);
        card.advice = fmt.advice_for(i, views.incidents[i].shown_updates, ReaderRef::Audience(a), &root);
        card.incident.affects = Some(fmt.affects_label(i, a));
        card
    };
    let of = |phase: Phase| -> Vec<usize> {
        view.incidents.iter().copied().filter(|i| views.incidents[*i].phase == phase).collect()
    };
    let mut upcoming = of(Phase::Upcoming);
    upcoming.reverse();
    insert_capped(cx, "active", of(Phase::Active), card);
    insert_capped(cx, "in_progress", of(Phase::InProgress), card);
    insert_capped(cx, "upcoming", upcoming, card);
    insert_capped(cx, "notices", of(Phase::Announced), card);
    let recent: Vec<usize> = views.recent(model).into_iter().filter(|i| views.reach[*i].contains(&a)).collect();
    insert_capped(cx, "recent", recent, |i| fmt.incident(i));
    let others: Vec<usize> = (0..model.incidents.len())
        .filter(|i| views.incidents[*i].phase.is_current() && !views.reach[*i].contains(&a))
        .collect();
    insert_capped(cx, "others", others, |i| -> IncidentCx {
        IncidentCx { affects: Some(fmt.affects_label(i, a)), ..fmt.incident(i) }
    });
    cx.insert("groups", &fmt.groups_of(&view.components));
    cx.insert("audience", &fmt.audience(a));
}

/// The current incidents that give advice to the users of component `c`, for its page.
pub fn component_advice(fmt: &Formatter<'_>, c: usize) -> Vec<IncidentAdviceCx> {
    let views = fmt.views;
    let root = fmt.page_root(Place::Component(&fmt.model.site.components[c].id));
    views.components[c]
        .incidents
        .iter()
        .filter(|i| views.incidents[**i].phase.is_current())
        .filter_map(|&i| {
            let html = fmt.advice_for(i, views.incidents[i].shown_updates, ReaderRef::Component(c), &root);
            let inc = fmt.incident(i);
            (!html.is_empty()).then_some(IncidentAdviceCx { title: inc.title, path: inc.path, html })
        })
        .collect()
}

/// One language's feed and calendar of every audience: the updates and the
/// maintenance of the incidents that affect it, each entry led by its advice.
pub fn feeds(fmt: &Formatter<'_>, feeds: &Feeds<'_>, calendars: &Calendars<'_>, entries: &[Entry]) -> Vec<OutFile> {
    let model = fmt.model;
    let title = fmt.tr(&model.site.title);
    let mut files = Vec::new();
    for (a, audience) in model.site.audiences.iter().enumerate() {
        let view = &fmt.views.audiences[a];
        let list = feeds.for_incidents(entries, &view.incidents);
        if !list.is_empty() {
            let scope = Scope {
                title: format!("{title}: {}", fmt.tr(&audience.name)),
                atom: Place::AudienceFeed(&audience.id),
                rss: None,
                page: fmt.paths.url(Place::Audience(&audience.id)),
                entries: &list,
                reader: Some(ReaderRef::Audience(a)),
            };
            files.push(feeds.atom(&scope));
        }
        let maintenances: Vec<usize> =
            calendars.maintenances().into_iter().filter(|i| fmt.views.reach[*i].contains(&a)).collect();
        files.push(calendars.calendar(&fmt.paths.file(Place::AudienceCalendar(&audience.id)), &maintenances));
    }
    files
}

/// What every audience has once, whatever the languages: its badge and its JSON.
pub fn once(fmt: &Formatter<'_>, api: &Api<'_>) -> Vec<OutFile> {
    let mut files = Vec::new();
    for (a, audience) in fmt.model.site.audiences.iter().enumerate() {
        let cx = fmt.audience(a);
        let colour = badge::indicator_colour(fmt.views.audiences[a].indicator);
        files.push(OutFile {
            path: fmt.paths.file(Place::AudienceBadge(&audience.id)),
            bytes: badge::svg(audience.name.as_str(), &cx.headline, colour).into_bytes(),
        });
        files.push(api.audience_file(a, cx.headline));
    }
    files
}
