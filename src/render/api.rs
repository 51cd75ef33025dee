//! The Statuspage public API v2, as static JSON files under `api/v2/`.
//!
//! Field names, nesting, enum values and the time format follow Atlassian
//! Statuspage, so a client written for Statuspage reads candor unchanged.
//! Notices have no Statuspage equivalent and are left out; they are in the feeds.

use jiff::Timestamp;
use serde::Serialize;

use super::ids::{page_id, stable_id, update_id};
use crate::files::OutFile;
use crate::model::{ComponentStatus, Impact, Incident, Kind, Markdown, Model, PeopleAffected, Text, UpdateStatus};
use crate::paths::{Paths, Place};
use crate::views::corrections::{Earlier, UpdateVersion, last_edit};
use crate::views::{Phase, Views};

/// How many incidents and maintenances the list endpoints carry, as Statuspage does.
pub const LIST_LIMIT: usize = 50;

/// `page`: which status page this is.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    id: String,
    name: String,
    url: String,
    time_zone: String,
    updated_at: String,
}

/// `status`: the overall indicator and its sentence.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    indicator: &'static str,
    description: String,
}

/// A component, or a group of components (`group: true`).
#[derive(Clone, Debug, Serialize)]
pub struct Component {
    id: String,
    name: String,
    status: &'static str,
    created_at: String,
    updated_at: String,
    position: usize,
    description: Option<String>,
    showcase: bool,
    start_date: Option<String>,
    group_id: Option<String>,
    page_id: String,
    group: bool,
    only_show_if_degraded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<Vec<String>>,
}

/// How an update changed a component.
#[derive(Clone, Debug, Serialize)]
pub struct AffectedComponent {
    code: String,
    name: String,
    old_status: &'static str,
    new_status: &'static str,
}

/// One entry of an incident's timeline.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentUpdate {
    id: String,
    status: &'static str,
    body: String,
    incident_id: String,
    created_at: String,
    updated_at: String,
    display_at: String,
    affected_components: Vec<AffectedComponent>,
    deliver_notifications: bool,
    custom_tweet: Option<String>,
    tweet_id: Option<String>,
    /// What it said before it was edited after publishing, beside Statuspage's fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    candor: Option<UpdateExtension>,
}

/// An update's edits after publishing.
#[derive(Clone, Debug, Serialize)]
pub struct UpdateExtension {
    edited_at: String,
    /// The earlier versions, oldest first.
    earlier: Vec<EarlierUpdate>,
}

/// One earlier version of an update.
#[derive(Clone, Debug, Serialize)]
pub struct EarlierUpdate {
    replaced_at: String,
    /// Only the wording was corrected: the earlier text is not given.
    wording_corrected: bool,
    status: &'static str,
    body: Option<String>,
    display_at: String,
    next_update_by: Option<String>,
}

/// One earlier value of a field, `value` in the field's own shape (`null` for a wording fix).
#[derive(Clone, Debug, Serialize)]
pub struct EarlierValue {
    replaced_at: String,
    wording_corrected: bool,
    value: serde_json::Value,
}

/// What was edited in an incident after publishing, besides its updates.
#[derive(Clone, Debug, Serialize)]
pub struct CorrectionsExtension {
    /// The latest edit of anything in the incident, its updates included.
    edited_at: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    name: Vec<EarlierValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    impact: Vec<EarlierValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    people_affected: Vec<EarlierValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data_affected: Vec<EarlierValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    what_you_should_do: Vec<EarlierValue>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    postmortem: serde_json::Map<String, serde_json::Value>,
    /// Updates published and later removed: each one's versions, the last one removed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    removed_updates: Vec<Vec<EarlierUpdate>>,
}

/// An incident or a scheduled maintenance.
#[derive(Clone, Debug, Serialize)]
pub struct ApiIncident {
    id: String,
    name: String,
    status: &'static str,
    created_at: String,
    updated_at: String,
    monitoring_at: Option<String>,
    resolved_at: Option<String>,
    impact: &'static str,
    shortlink: String,
    started_at: Option<String>,
    page_id: String,
    incident_updates: Vec<IncidentUpdate>,
    components: Vec<Component>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_until: Option<String>,
    /// candor's own figures, beside Statuspage's fields.
    candor: IncidentExtension,
}

/// How an incident was communicated, in seconds and counts.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentExtension {
    kind: &'static str,
    /// When the next update is promised by, while that promise is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_update_by: Option<String>,
    /// In an audience's JSON: the advice in effect for it (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    advice: Option<Vec<String>>,
    first_update_after_seconds: Option<i64>,
    updates: usize,
    longest_silence_seconds: Option<i64>,
    promises: PromisesExtension,
    /// What was edited after publishing; absent when nothing was.
    #[serde(skip_serializing_if = "Option::is_none")]
    corrections: Option<CorrectionsExtension>,
}

/// Promises by outcome.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PromisesExtension {
    kept: usize,
    broken: usize,
    overdue: usize,
    pending: usize,
}

/// The track record over a period.
#[derive(Clone, Debug, Serialize)]
pub struct TrackExtension {
    period: String,
    incidents: usize,
    median_first_update_seconds: Option<i64>,
    promises: PromisesExtension,
    promises_kept_percent: Option<f64>,
    postmortems_published: usize,
    postmortems_due: usize,
    action_items_on_time: usize,
    action_items_due: usize,
    median_resolution_seconds: serde_json::Map<String, serde_json::Value>,
}

fn promises_extension(p: &crate::views::record::Promises) -> PromisesExtension {
    PromisesExtension { kept: p.kept, broken: p.broken, overdue: p.overdue, pending: p.pending }
}

fn track_extension(period: String, t: &crate::views::record::TrackRecord) -> TrackExtension {
    TrackExtension {
        period,
        incidents: t.incidents,
        median_first_update_seconds: t.median_first_update.map(|d| d.as_secs()),
        promises: promises_extension(&t.promises),
        promises_kept_percent: t.promises_kept.percent().map(|p| (p * 10.0).round() / 10.0),
        postmortems_published: t.postmortems.yes,
        postmortems_due: t.postmortems.of,
        action_items_on_time: t.actions_on_time.yes,
        action_items_due: t.actions_on_time.of,
        median_resolution_seconds: t
            .median_resolution
            .iter()
            .map(|(impact, d)| (impact.as_str().to_owned(), serde_json::Value::from(d.as_secs())))
            .collect(),
    }
}

/// `for/ID/summary.json`: the summary's shape, for one audience, saying which.
#[derive(Serialize)]
struct AudienceSummary<'a> {
    page: Page,
    audience: AudienceInfo<'a>,
    components: Vec<&'a Component>,
    incidents: Vec<ApiIncident>,
    scheduled_maintenances: Vec<ApiIncident>,
    status: Status,
}

/// The audience an [`AudienceSummary`] is for.
#[derive(Serialize)]
struct AudienceInfo<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    url: String,
    components: Vec<&'a str>,
}

/// Builds the API objects from the model and views.
pub struct Api<'a> {
    model: &'a Model,
    views: &'a Views,
    paths: Paths,
    page_id: String,
    components: Vec<Component>,
    indicator_text: String,
    /// The `page` object of each incident's own file, as JSON.
    short_page: Vec<u8>,
}

/// The `page` object of an incident's own file: which page it belongs to.
#[derive(Serialize)]
struct ShortPage<'a> {
    id: &'a str,
    name: String,
    url: String,
    time_zone: &'a str,
}

impl<'a> Api<'a> {
    /// Prepares the shared parts (page, components) once.
    pub fn new(model: &'a Model, views: &'a Views, indicator_text: String) -> Api<'a> {
        let paths = Paths::new(&model.site, model.site.language);
        let page_id = page_id(&model.site);
        let short_page = json(&ShortPage {
            id: &page_id,
            name: model.site.title.to_string(),
            url: paths.canonical_url(Place::Home),
            time_zone: &model.site.timezone_name,
        });
        let mut api = Api { model, views, paths, page_id, components: Vec::new(), indicator_text, short_page };
        api.components = api.all_components();
        api
    }

    fn time(&self, ts: Timestamp) -> String {
        format_time(ts, &self.model.site.timezone)
    }

    fn page(&self) -> Page {
        let site = &self.model.site;
        Page {
            id: self.page_id.clone(),
            name: site.title.to_string(),
            url: self.paths.canonical_url(Place::Home),
            time_zone: site.timezone_name.clone(),
            updated_at: self.time(self.views.updated_at(self.model)),
        }
    }

    fn status(&self) -> Status {
        Status { indicator: self.views.indicator.as_str(), description: self.indicator_text.clone() }
    }

    /// The id of a group, from its name.
    fn group_id(name: &str) -> String {
        stable_id(&["group", name])
    }

    /// Components and groups, each group followed by its members, in the order written.
    fn all_components(&self) -> Vec<Component> {
        let site = &self.model.site;
        let first = self.views.record_start;
        let mut out: Vec<Component> = Vec::new();
        let mut seen_groups: Vec<String> = Vec::new();
        for (c, v) in site.components.iter().zip(&self.views.components) {
            let group = c.group.as_ref().map(|g| g.to_string());
            if let Some(name) = &group
                && !seen_groups.contains(name)
            {
                seen_groups.push(name.clone());
                let members: Vec<usize> = (0..site.components.len())
                    .filter(|i| site.components[*i].group.as_ref().is_some_and(|g| g.as_str() == name))
                    .collect();
                let worst = members
                    .iter()
                    .map(|i| self.views.components[*i].status)
                    .max()
                    .unwrap_or(ComponentStatus::Operational);
                let updated = members.iter().map(|i| self.views.components[*i].changed_at).max().unwrap_or(first);
                out.push(Component {
                    id: Self::group_id(name),
                    name: name.clone(),
                    status: worst.as_str(),
                    created_at: self.time(first),
                    updated_at: self.time(updated),
                    position: out.len() + 1,
                    description: None,
                    showcase: false,
                    start_date: None,
                    group_id: None,
                    page_id: self.page_id.clone(),
                    group: true,
                    only_show_if_degraded: false,
                    components: Some(members.iter().map(|i| site.components[*i].id.to_string()).collect()),
                });
            }
            let index = site.components.iter().position(|x| x.id == c.id).unwrap_or_default();
            out.push(Component {
                id: c.id.to_string(),
                name: c.name.to_string(),
                status: v.status.as_str(),
                created_at: self.time(first),
                updated_at: self.time(self.views.components[index].changed_at),
                position: out.len() + 1,
                description: c.description.as_ref().map(ToString::to_string),
                showcase: true,
                start_date: None,
                group_id: group.as_deref().map(Self::group_id),
                page_id: self.page_id.clone(),
                group: false,
                only_show_if_degraded: false,
                components: None,
            });
        }
        out
    }

    /// The Statuspage status of incident `i`.
    fn incident_status(&self, i: usize) -> &'static str {
        let inc = &self.model.incidents[i];
        let v = &self.views.incidents[i];
        if inc.kind == Kind::Maintenance {
            return match (v.phase, v.status) {
                (Phase::Upcoming, _) => "scheduled",
                (Phase::InProgress, Some(UpdateStatus::Verifying)) => "verifying",
                (Phase::InProgress, _) => "in_progress",
                _ => "completed",
            };
        }
        match (v.phase, v.status) {
            (Phase::Resolved, _) if v.postmortem_published => "postmortem",
            (Phase::Resolved, _) => "resolved",
            (_, Some(s)) => s.as_str(),
            _ => "investigating",
        }
    }

    /// Incident `i` in Statuspage's shape.
    pub fn incident(&self, i: usize) -> ApiIncident {
        let inc = &self.model.incidents[i];
        let v = &self.views.incidents[i];
        let shown = &inc.updates[..v.shown_updates];
        let maintenance = inc.kind == Kind::Maintenance;
        let updates = (0..shown.len()).rev().map(|u| self.update(i, u)).collect();
        let affected: Vec<Component> = inc
            .components
            .iter()
            .filter_map(|a| self.components.iter().find(|c| !c.group && c.id == a.component.as_str()).cloned())
            .collect();
        let started_at = if maintenance {
            shown
                .iter()
                .find(|u| u.status == Some(UpdateStatus::InProgress))
                .map(|u| u.at)
                .or_else(|| v.affects.map(|a| a.0))
        } else {
            Some(inc.started_at)
        };
        ApiIncident {
            id: inc.id.to_string(),
            name: inc.title.to_string(),
            status: self.incident_status(i),
            created_at: self.time(shown.first().map_or(inc.started_at, |u| u.at)),
            updated_at: self.time(v.last_change(inc).unwrap_or(inc.started_at)),
            monitoring_at: shown.iter().find(|u| u.status == Some(UpdateStatus::Monitoring)).map(|u| self.time(u.at)),
            resolved_at: v.end.map(|e| self.time(e)),
            impact: if maintenance { "maintenance" } else { inc.impact.as_str() },
            shortlink: self.paths.url(Place::Incident(&inc.id)),
            started_at: started_at.map(|s| self.time(s)),
            page_id: self.page_id.clone(),
            incident_updates: updates,
            components: affected,
            scheduled_for: inc.scheduled.filter(|_| maintenance).map(|w| self.time(w.start)),
            scheduled_until: inc.scheduled.filter(|_| maintenance).map(|w| self.time(w.end)),
            candor: self.extension(i),
        }
    }

    fn extension(&self, i: usize) -> IncidentExtension {
        let r = &self.views.records[i];
        IncidentExtension {
            kind: self.model.incidents[i].kind.as_str(),
            next_update_by: self.views.incidents[i].open_promise().map(|p| self.time(p.due)),
            advice: None,
            first_update_after_seconds: r.first_update_after.map(|d| d.as_secs()),
            updates: r.updates,
            longest_silence_seconds: r.longest_silence.map(|d| d.as_secs()),
            promises: promises_extension(&r.promises),
            corrections: self.corrections(i),
        }
    }

    /// The `corrections` extension of incident `i`, when anything was corrected.
    fn corrections(&self, i: usize) -> Option<CorrectionsExtension> {
        let c = &self.views.incidents[i].corrections;
        if c.is_empty() {
            return None;
        }
        let latest = [
            c.updates.iter().filter_map(|u| last_edit(u)).max(),
            c.removed.iter().filter_map(|u| last_edit(u)).max(),
            last_edit(&c.title),
            last_edit(&c.impact),
            last_edit(&c.people_affected),
            last_edit(&c.data_affected),
            last_edit(&c.what_you_should_do),
            c.sections.iter().filter_map(|(_, e)| last_edit(e)).max(),
        ];
        let edited_at = latest.into_iter().flatten().max()?;
        let text = |t: &Text| serde_json::Value::from(t.as_str());
        let markdown = |m: &Option<Markdown>| m.as_ref().map_or(serde_json::Value::Null, |m| m.source().into());
        let people = |p: &Option<PeopleAffected>| match p {
            Some(PeopleAffected::Count(n)) => serde_json::Value::from(*n),
            Some(PeopleAffected::Words(w)) => w.as_str().into(),
            None => serde_json::Value::Null,
        };
        let postmortem = c
            .sections
            .iter()
            .map(|(section, e)| (section.as_str().to_owned(), serde_json::json!(self.values(e, markdown))))
            .collect();
        Some(CorrectionsExtension {
            edited_at: self.time(edited_at),
            name: self.values(&c.title, text),
            impact: self.values(&c.impact, |i: &Impact| i.as_str().into()),
            people_affected: self.values(&c.people_affected, people),
            data_affected: self.values(&c.data_affected, |d: &Vec<Text>| d.iter().map(text).collect()),
            what_you_should_do: self.values(&c.what_you_should_do, markdown),
            postmortem,
            removed_updates: c.removed.iter().map(|versions| self.earlier_updates(versions)).collect(),
        })
    }

    fn values<T>(&self, earlier: &[Earlier<T>], value: impl Fn(&T) -> serde_json::Value) -> Vec<EarlierValue> {
        earlier
            .iter()
            .map(|e| EarlierValue {
                replaced_at: self.time(e.replaced_at),
                wording_corrected: e.wording_fix,
                value: if e.wording_fix { serde_json::Value::Null } else { value(&e.value) },
            })
            .collect()
    }

    fn earlier_updates(&self, earlier: &[Earlier<UpdateVersion>]) -> Vec<EarlierUpdate> {
        earlier
            .iter()
            .map(|e| EarlierUpdate {
                replaced_at: self.time(e.replaced_at),
                wording_corrected: e.wording_fix,
                status: e.value.status.map_or("investigating", UpdateStatus::as_str),
                body: (!e.wording_fix).then(|| e.value.body.source().to_owned()),
                display_at: self.time(e.value.at),
                next_update_by: e.value.next_update_by.map(|t| self.time(t)),
            })
            .collect()
    }

    /// The `candor` extension of `summary.json`: the track record over the window and per year.
    fn track_record(&self) -> Vec<u8> {
        let window = track_extension(format!("last {} days", self.model.site.history_days), &self.views.track_window);
        let years: Vec<TrackExtension> =
            self.views.track_years.iter().map(|(y, t)| track_extension(y.to_string(), t)).collect();
        let record = object(&[("window", &json(&window)), ("years", &json(&years))]);
        object(&[("track_record", &record)])
    }

    fn update(&self, i: usize, index: usize) -> IncidentUpdate {
        let inc = &self.model.incidents[i];
        let u = &inc.updates[index];
        let at = self.time(u.at);
        let status = u.status.map_or("investigating", UpdateStatus::as_str);
        IncidentUpdate {
            id: update_id(inc, index),
            status,
            body: u.body.source().to_owned(),
            incident_id: inc.id.to_string(),
            created_at: at.clone(),
            updated_at: at.clone(),
            display_at: at,
            affected_components: self.transitions(inc, index),
            deliver_notifications: true,
            custom_tweet: None,
            tweet_id: None,
            candor: self.update_extension(i, index),
        }
    }

    fn update_extension(&self, i: usize, index: usize) -> Option<UpdateExtension> {
        let earlier = self.views.incidents[i].corrections.update(index);
        let edited = last_edit(earlier)?;
        Some(UpdateExtension { edited_at: self.time(edited), earlier: self.earlier_updates(earlier) })
    }

    /// How update `index` moved each affected component ([`crate::views::transitions`]).
    fn transitions(&self, inc: &Incident, index: usize) -> Vec<AffectedComponent> {
        crate::views::transitions(inc, index)
            .filter_map(|(a, before, after)| {
                let c = self.model.site.component(&a.component)?;
                Some(AffectedComponent {
                    code: c.id.to_string(),
                    name: c.name.to_string(),
                    old_status: before.as_str(),
                    new_status: after.as_str(),
                })
            })
            .collect()
    }

    /// Indexes of published incidents (not maintenance, not notices) matching `keep`, newest first.
    fn incidents_where(&self, keep: impl Fn(Phase) -> bool) -> Vec<usize> {
        self.select(|inc| inc.kind.is_incident(), keep)
    }

    fn maintenances_where(&self, keep: impl Fn(Phase) -> bool) -> Vec<usize> {
        self.select(|inc| inc.kind == Kind::Maintenance, keep)
    }

    fn select(&self, kind: impl Fn(&Incident) -> bool, keep: impl Fn(Phase) -> bool) -> Vec<usize> {
        (0..self.model.incidents.len())
            .filter(|i| kind(&self.model.incidents[*i]))
            .filter(|i| self.views.incidents[*i].phase != Phase::Unpublished && keep(self.views.incidents[*i].phase))
            .collect()
    }

    /// The first [`LIST_LIMIT`] of `indexes` as a JSON array, each incident serialised once.
    fn list(&self, indexes: &[usize]) -> Vec<u8> {
        let mut out = vec![b'['];
        for (n, i) in indexes.iter().take(LIST_LIMIT).enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend(json(&self.incident(*i)));
        }
        out.push(b']');
        out
    }

    /// Every file under `api/v2/`.
    pub fn files(&self) -> Vec<OutFile> {
        let page = json(&self.page());
        let status = json(&self.status());
        let components = json(&self.components);
        let active = self.list(&self.incidents_where(|p| p == Phase::Active));
        let all = self.list(&self.incidents_where(|_| true));
        let upcoming = self.maintenances_where(|p| p == Phase::Upcoming);
        let in_progress = self.maintenances_where(|p| p == Phase::InProgress);
        let mut current: Vec<usize> = in_progress.iter().chain(&upcoming).copied().collect();
        current.sort_unstable();
        let maintenances = self.list(&self.maintenances_where(|_| true));
        let (upcoming, in_progress) = (self.list(&upcoming), self.list(&in_progress));
        let summary = object(&[
            ("page", &page),
            ("components", &components),
            ("incidents", &active),
            ("scheduled_maintenances", &self.list(&current)),
            ("status", &status),
            ("candor", &self.track_record()),
        ]);
        let file = |place: Place<'_>, bytes: Vec<u8>| OutFile { path: self.paths.file(place), bytes: line(bytes) };
        vec![
            file(Place::Api("summary"), summary),
            file(Place::Api("status"), object(&[("page", &page), ("status", &status)])),
            file(Place::Api("components"), object(&[("page", &page), ("components", &components)])),
            file(Place::Api("incidents"), object(&[("page", &page), ("incidents", &all)])),
            file(Place::Api("incidents/unresolved"), object(&[("page", &page), ("incidents", &active)])),
            file(
                Place::Api("scheduled-maintenances"),
                object(&[("page", &page), ("scheduled_maintenances", &maintenances)]),
            ),
            file(
                Place::Api("scheduled-maintenances/upcoming"),
                object(&[("page", &page), ("scheduled_maintenances", &upcoming)]),
            ),
            file(
                Place::Api("scheduled-maintenances/active"),
                object(&[("page", &page), ("scheduled_maintenances", &in_progress)]),
            ),
        ]
    }

    /// `for/ID/summary.json`: what audience `a` needs, in the summary's shape:
    /// its components, the unresolved incidents and the current maintenance
    /// that affect it (each with the advice in effect for it), and its status,
    /// whose sentence is `description`.
    pub fn audience_file(&self, a: usize, description: String) -> OutFile {
        let (audience, view) = (&self.model.site.audiences[a], &self.views.audiences[a]);
        let components: Vec<&Component> = self
            .components
            .iter()
            .filter(|c| !c.group && audience.components.iter().any(|id| id.as_str() == c.id))
            .collect();
        let phase = |i: &usize| self.views.incidents[*i].phase;
        let kind = |i: &usize| self.model.incidents[*i].kind;
        let active: Vec<usize> =
            view.incidents.iter().copied().filter(|i| kind(i).is_incident() && phase(i) == Phase::Active).collect();
        let maintenance: Vec<usize> = view
            .incidents
            .iter()
            .copied()
            .filter(|i| kind(i) == Kind::Maintenance && matches!(phase(i), Phase::InProgress | Phase::Upcoming))
            .collect();
        let with_advice = |list: &[usize]| -> Vec<ApiIncident> {
            list.iter()
                .take(LIST_LIMIT)
                .map(|&i| {
                    let mut incident = self.incident(i);
                    let inc = &self.model.incidents[i];
                    let shown = self.views.incidents[i].shown_updates;
                    let advice = inc.advice_at(shown, |x| audience.is_reached_by(x));
                    let entries: Vec<&crate::model::Advice> = inc.advice_entries().map(|(_, x)| x).collect();
                    incident.candor.advice =
                        Some(advice.iter().map(|k| entries[*k].body.source().to_owned()).collect());
                    incident
                })
                .collect()
        };
        let value = AudienceSummary {
            page: self.page(),
            audience: AudienceInfo {
                id: audience.id.as_str(),
                name: audience.name.as_str(),
                description: audience.description.as_ref().map(|d| d.as_str()),
                url: self.paths.canonical_url(Place::Audience(&audience.id)),
                components: audience.components.iter().map(|c| c.as_str()).collect(),
            },
            components,
            incidents: with_advice(&active),
            scheduled_maintenances: with_advice(&maintenance),
            status: Status { indicator: view.indicator.as_str(), description },
        };
        OutFile { path: self.paths.file(Place::AudienceJson(&audience.id)), bytes: line(json(&value)) }
    }

    /// `incidents/ID/incident.json`: one incident or maintenance with the page, for its own page's link.
    pub fn incident_file(&self, i: usize) -> Option<OutFile> {
        let inc = &self.model.incidents[i];
        if inc.kind == Kind::Notice {
            return None;
        }
        let key = if inc.kind == Kind::Maintenance { "scheduled_maintenance" } else { "incident" };
        let bytes = object(&[("page", &self.short_page), (key, &json(&self.incident(i)))]);
        Some(OutFile { path: self.paths.file(Place::IncidentJson(&inc.id)), bytes: line(bytes) })
    }
}

/// `value` as compact JSON. Serialising candor's API types cannot fail: they
/// hold only strings, numbers, booleans and maps with string keys.
fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// A JSON object of `entries`, each value already JSON, in the order given.
fn object(entries: &[(&str, &Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![b'{'];
    for (n, (key, value)) in entries.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend(json(key));
        out.push(b':');
        out.extend_from_slice(value);
    }
    out.push(b'}');
    out
}

/// `bytes` ended by a line break, as every file candor writes is.
fn line(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.push(b'\n');
    bytes
}

/// RFC 3339 with milliseconds and the zone's offset, as Statuspage writes times.
pub fn format_time(ts: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let zoned = ts.to_zoned_datetime(tz.clone());
    zoned.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}
