//! What the model means at a given moment: derived once, read by every output.
//!
//! Statuses, ends, durations, promise verdicts, component states, the overall
//! indicator and the per-day history are computed here from the model and
//! "now", following the rules the README states. Pages, feeds, the API and the
//! linter all read these views; none of them recomputes anything.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rayon::prelude::*;

pub mod corrections;
pub mod record;

use crate::model::{Affected, ComponentId, ComponentStatus, Impact, Incident, Kind, Model, Site, UpdateStatus};

/// How long a notice stays on the front page after its change takes effect.
pub const NOTICE_LINGER: SignedDuration = SignedDuration::from_hours(14 * 24);
/// How far back "recent incidents" reaches.
pub const RECENT: SignedDuration = SignedDuration::from_hours(14 * 24);

/// Where an incident, maintenance or notice stands at now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Not published yet: every update is dated after now.
    Unpublished,
    /// An incident that has not ended.
    Active,
    /// An incident that has ended.
    Resolved,
    /// Maintenance announced for the future.
    Upcoming,
    /// Maintenance under way.
    InProgress,
    /// Maintenance that is over.
    Completed,
    /// A notice still shown on the front page.
    Announced,
    /// A notice past its time on the front page.
    Expired,
}

impl Phase {
    /// Whether it is shown as current on the front page.
    pub fn is_current(self) -> bool {
        matches!(self, Phase::Active | Phase::Upcoming | Phase::InProgress | Phase::Announced)
    }
}

/// Whether a promise of a next update was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The next update (or the end) came at or before the deadline.
    Kept,
    /// It came, but late by this much.
    Broken {
        /// How late.
        late: SignedDuration,
    },
    /// Nothing has come, and the deadline passed this long ago.
    Overdue {
        /// How long ago the deadline passed.
        by: SignedDuration,
    },
    /// The deadline is still ahead by this much.
    Pending {
        /// Time left.
        left: SignedDuration,
    },
}

/// One promise and its verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Promise {
    /// The index of the update that made it.
    pub update: usize,
    /// The deadline.
    pub due: Timestamp,
    /// What became of it.
    pub verdict: Verdict,
}

/// One incident at now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentView {
    /// Where it stands.
    pub phase: Phase,
    /// How many of its updates (oldest first) are published at now.
    pub shown_updates: usize,
    /// The status of the latest shown update.
    pub status: Option<UpdateStatus>,
    /// When it ended, if it has.
    pub end: Option<Timestamp>,
    /// How long it lasted, or has lasted so far.
    pub duration: Option<SignedDuration>,
    /// Promises made on shown updates that count, in update order.
    pub promises: Vec<Promise>,
    /// Whether a post-mortem is published at now.
    pub postmortem_published: bool,
    /// When components are affected: the interval the statuses apply.
    pub affects: Option<(Timestamp, Timestamp)>,
    /// What was corrected after readers saw it.
    pub corrections: corrections::Corrections,
}

impl IncidentView {
    /// The promise made by update `index`, if it counts.
    pub fn promise_of(&self, index: usize) -> Option<&Promise> {
        self.promises.iter().find(|p| p.update == index)
    }

    /// The latest moment `incident` (this view's) changed, as seen at now.
    pub fn last_change(&self, incident: &Incident) -> Option<Timestamp> {
        let last_update = incident.updates[..self.shown_updates].last().map(|u| u.at);
        let postmortem =
            incident.postmortem.as_ref().filter(|_| self.postmortem_published).and_then(|p| p.published_at);
        [last_update, self.end, postmortem].into_iter().flatten().max()
    }

    /// The latest promise still open, if any.
    pub fn open_promise(&self) -> Option<&Promise> {
        self.promises.iter().rev().find(|p| matches!(p.verdict, Verdict::Pending { .. } | Verdict::Overdue { .. }))
    }
}

/// The overall indicator, in Statuspage's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    /// All is well.
    None,
    /// Maintenance in progress, nothing worse.
    Maintenance,
    /// Minor problems.
    Minor,
    /// Partial outage.
    Major,
    /// Major outage.
    Critical,
}

impl Indicator {
    /// The word Statuspage uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::None => "none",
            Indicator::Maintenance => "maintenance",
            Indicator::Minor => "minor",
            Indicator::Major => "major",
            Indicator::Critical => "critical",
        }
    }
}

/// The sentence at the top of the page: Statuspage's top-level statuses,
/// ordered from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Headline {
    /// Nothing is wrong.
    AllOperational,
    /// Planned work is under way, nothing worse.
    Maintenance,
    /// Some components are slow or erring.
    PartiallyDegraded,
    /// Every component is slow or erring.
    DegradedSystem,
    /// Some components are down for some people.
    MinorOutage,
    /// Every component is down for some people, or some are down for all.
    PartialOutage,
    /// Every component is down.
    MajorOutage,
}

impl Headline {
    /// Its key among the UI strings, and its CSS name.
    pub fn as_str(self) -> &'static str {
        match self {
            Headline::AllOperational => "all_operational",
            Headline::Maintenance => "maintenance",
            Headline::PartiallyDegraded => "partially_degraded",
            Headline::DegradedSystem => "degraded_system",
            Headline::MinorOutage => "minor_outage",
            Headline::PartialOutage => "partial_outage",
            Headline::MajorOutage => "major_outage",
        }
    }

    /// The indicator Statuspage's API gives for it.
    pub fn indicator(self) -> Indicator {
        match self {
            Headline::AllOperational => Indicator::None,
            Headline::Maintenance => Indicator::Maintenance,
            Headline::PartiallyDegraded | Headline::DegradedSystem | Headline::MinorOutage => Indicator::Minor,
            Headline::PartialOutage => Indicator::Major,
            Headline::MajorOutage => Indicator::Critical,
        }
    }
}

/// The headline for components in these statuses, by Statuspage's blend rule:
/// a status shared by every component is said as it is ("Major System
/// Outage"), one held by only some is said a step milder ("Partial System
/// Outage"), the worst status present decides, and maintenance counts only
/// when nothing is worse. One component speaks for the page alone.
pub fn blend(statuses: &[ComponentStatus]) -> Headline {
    use ComponentStatus as S;
    let all = |s: S| !statuses.is_empty() && statuses.iter().all(|x| *x == s);
    let any = |s: S| statuses.contains(&s);
    let single = statuses.len() == 1;
    if any(S::MajorOutage) {
        return if all(S::MajorOutage) { Headline::MajorOutage } else { Headline::PartialOutage };
    }
    if any(S::PartialOutage) {
        return if all(S::PartialOutage) { Headline::PartialOutage } else { Headline::MinorOutage };
    }
    if any(S::DegradedPerformance) {
        return if all(S::DegradedPerformance) && !single {
            Headline::DegradedSystem
        } else {
            Headline::PartiallyDegraded
        };
    }
    if any(S::UnderMaintenance) { Headline::Maintenance } else { Headline::AllOperational }
}

/// One day of one component's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    /// The date, in the site's time zone.
    pub date: Date,
    /// The worst status that day.
    pub worst: ComponentStatus,
    /// Minutes in any status other than operational.
    pub affected_minutes: i64,
    /// Weighted downtime minutes (major outage 100%, partial 30%).
    pub downtime_minutes: f64,
    /// Minutes of the day counted (a DST day has 23 or 25 hours; today, up to now).
    pub total_minutes: i64,
    /// Indexes of incidents that touched this component that day.
    pub incidents: Vec<usize>,
}

impl Day {
    /// Uptime that day, in percent.
    pub fn uptime(&self) -> f64 {
        uptime(self.downtime_minutes, self.total_minutes)
    }
}

/// One component at now.
#[derive(Clone, Debug)]
pub struct ComponentView {
    /// Its status.
    pub status: ComponentStatus,
    /// Its history, oldest day first.
    pub days: Vec<Day>,
    /// Uptime over the history window, in percent.
    pub uptime: f64,
    /// Indexes of every incident that affects it, newest first.
    pub incidents: Vec<usize>,
    /// The last moment its status changed, at or before now (when the record
    /// begins, if it never has).
    pub changed_at: Timestamp,
}

/// One audience at now: what affects it, and its status.
#[derive(Clone, Debug, PartialEq)]
pub struct AudienceView {
    /// Indexes of the site's components it depends on, in the site's order.
    pub components: Vec<usize>,
    /// Indexes of the published incidents that affect it, newest first.
    pub incidents: Vec<usize>,
    /// Its headline: the blend of its components' statuses, as the site's is of all.
    pub headline: Headline,
    /// The indicator its headline gives.
    pub indicator: Indicator,
}

/// Everything derived at one moment.
#[derive(Clone, Debug)]
pub struct Views {
    /// The moment.
    pub now: Timestamp,
    /// Today in the site's time zone.
    pub today: Date,
    /// One per model incident, same order.
    pub incidents: Vec<IncidentView>,
    /// One per site component, same order.
    pub components: Vec<ComponentView>,
    /// The overall indicator, as Statuspage's API gives it.
    pub indicator: Indicator,
    /// The sentence at the top of the page, which the indicator follows.
    pub headline: Headline,
    /// One communication record per model incident, same order.
    pub records: Vec<record::IncidentRecord>,
    /// The track record over the history window.
    pub track_window: record::TrackRecord,
    /// The track record per year (by start in the site's zone), newest first.
    pub track_years: Vec<(i16, record::TrackRecord)>,
    /// When the page's record begins: the earliest start in the data, or now.
    pub record_start: Timestamp,
    /// One per site audience, same order.
    pub audiences: Vec<AudienceView>,
    /// Per model incident, the indexes of the audiences it affects.
    pub reach: Vec<Vec<usize>>,
}

impl Views {
    /// Indexes of incidents in `phase`, in model order (newest first).
    pub fn in_phase(&self, phase: Phase) -> impl Iterator<Item = usize> + '_ {
        self.incidents.iter().enumerate().filter(move |(_, v)| v.phase == phase).map(|(i, _)| i)
    }

    /// When what the page shows last changed, at now: the latest shown
    /// update, end or post-mortem (or now, for an empty site). A reader's
    /// page is out of date when this moves.
    pub fn updated_at(&self, model: &Model) -> Timestamp {
        model.incidents.iter().zip(&self.incidents).filter_map(|(i, v)| v.last_change(i)).max().unwrap_or(self.now)
    }

    /// Whether incident `i` is current or within the history window: such
    /// incidents get their own feed, calendar and JSON file; older ones are in
    /// the site-wide feeds and lists, so the output does not grow with the archive.
    pub fn is_followed(&self, model: &Model, i: usize) -> bool {
        let v = &self.incidents[i];
        let since = self.now - SignedDuration::from_hours(24 * i64::from(model.site.history_days));
        v.phase != Phase::Unpublished
            && (v.phase.is_current() || model.incidents[i].started_at >= since || v.end.is_some_and(|e| e >= since))
    }

    /// Indexes of ended incidents and completed maintenance that started or
    /// ended in the last 14 days, newest first.
    pub fn recent(&self, model: &Model) -> Vec<usize> {
        let since = self.now - RECENT;
        self.incidents
            .iter()
            .enumerate()
            .filter(|(i, v)| {
                matches!(v.phase, Phase::Resolved | Phase::Completed)
                    && (model.incidents[*i].started_at >= since || v.end.is_some_and(|e| e >= since))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// The next moment after `now` at which the site changes by the clock alone:
/// an update or post-mortem dated in the future appears, a maintenance window
/// opens or closes, a promise falls due, a notice takes effect or expires, an
/// incident leaves the recent list, or the day rolls over in the site's time
/// zone (history). With a team channel in `notify:`, also the moments its
/// reminders fall due: a promise about to lapse, and silence growing too long.
pub fn next_change(model: &Model, views: &Views) -> Timestamp {
    let now = views.now;
    let tz = &model.site.timezone;
    let tomorrow = now
        .to_zoned_datetime(tz.clone())
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map_or(now + SignedDuration::from_hours(24), |z| z.timestamp());
    model
        .incidents
        .iter()
        .zip(&views.incidents)
        .flat_map(|(i, v)| moments(i, v).into_iter().chain(reminder_moments(&model.site, i, v)))
        .filter(|t| *t > now)
        .fold(tomorrow, Timestamp::min)
}

/// Every moment at which an incident's views can change.
fn moments(incident: &Incident, view: &IncidentView) -> Vec<Timestamp> {
    let mut out: Vec<Timestamp> = incident.updates.iter().map(|u| u.at).collect();
    out.extend(view.promises.iter().filter(|p| matches!(p.verdict, Verdict::Pending { .. })).map(|p| p.due));
    out.extend(incident.resolved_at);
    out.extend(incident.postmortem.as_ref().and_then(|p| p.published_at));
    out.extend(incident.scheduled.iter().flat_map(|w| [w.start, w.end]));
    out.extend(incident.effective_at);
    out.extend(incident.effective_at.map(|e| e + NOTICE_LINGER));
    out.extend(incident.updates.last().map(|u| u.at + NOTICE_LINGER));
    let ends: Vec<Timestamp> = incident.resolved_at.into_iter().chain(incident.updates.iter().map(|u| u.at)).collect();
    out.push(incident.started_at + RECENT);
    out.extend(ends.into_iter().map(|e| e + RECENT));
    out
}

/// How update `index` of `incident` moves each component it affects, as
/// `(component, before, after)`: from operational to the incident's status at
/// the first update (for maintenance, the first that is not `scheduled`), back
/// to operational at the final one, unchanged in between.
pub fn transitions(
    incident: &Incident,
    index: usize,
) -> impl Iterator<Item = (&Affected, ComponentStatus, ComponentStatus)> + '_ {
    let active = |u: usize| match incident.updates.get(u).and_then(|u| u.status) {
        Some(s) if s.is_final() => false,
        Some(UpdateStatus::Scheduled) => false,
        _ => incident.kind != Kind::Notice,
    };
    let before = index.checked_sub(1).is_some_and(active);
    let after = active(index);
    let word = |a: &Affected, on: bool| if on { a.status } else { ComponentStatus::Operational };
    incident.components.iter().map(move |a| (a, word(a, before), word(a, after)))
}

/// When `candor notify --remind` finds something new to tell the team about
/// an ongoing incident: a pending promise coming due (`promise_due_soon`
/// before it), and the end of `max_silence` after the latest update. Nothing
/// unless a channel has `remind: true`.
fn reminder_moments(site: &Site, incident: &Incident, view: &IncidentView) -> Vec<Timestamp> {
    if view.phase != Phase::Active || !site.notify.channels.iter().any(|c| c.remind) {
        return Vec::new();
    }
    let pending = view.promises.iter().filter(|p| matches!(p.verdict, Verdict::Pending { .. }));
    let mut out: Vec<Timestamp> = pending.map(|p| p.due - site.check.promise_due_soon).collect();
    out.extend(incident.updates[..view.shown_updates].last().map(|u| u.at + site.check.max_silence));
    out
}

/// Derives every view of `model` at `now`.
pub fn derive(model: &Model, now: Timestamp) -> Views {
    let tz = &model.site.timezone;
    let grace = model.site.corrections.grace;
    let incidents: Vec<IncidentView> = model.incidents.par_iter().map(|i| corrected(i, now, grace)).collect();
    let records = model.incidents.par_iter().zip(&incidents).map(|(i, v)| record::incident(i, v, now)).collect();
    let mut views = Views {
        now,
        today: now.to_zoned_datetime(tz.clone()).date(),
        incidents,
        components: Vec::new(),
        indicator: Indicator::None,
        headline: Headline::AllOperational,
        records,
        track_window: record::TrackRecord::default(),
        track_years: Vec::new(),
        record_start: now,
        audiences: Vec::new(),
        reach: Vec::new(),
    };
    site_wide(model, &mut views);
    views
}

/// Like [`derive`] at the same now, for `views` of a model in which only the
/// incidents at `changed` were replaced, each keeping its place (the same
/// start, so the same order): only those incidents' views are derived again,
/// then everything derived across incidents. What `watch` does to show an
/// edit at once.
pub fn rederive(model: &Model, views: &mut Views, changed: &[usize]) {
    for &i in changed {
        views.incidents[i] = corrected(&model.incidents[i], views.now, model.site.corrections.grace);
        views.records[i] = record::incident(&model.incidents[i], &views.incidents[i], views.now);
    }
    site_wide(model, views);
}

/// Components, the overall indicator and the track records: what depends on every incident's view.
fn site_wide(model: &Model, views: &mut Views) {
    let now = views.now;
    views.record_start = model.incidents.iter().map(|i| i.started_at).min().unwrap_or(now).min(now);
    let start = views.record_start;
    views.components =
        model.site.components.par_iter().map(|c| component(&c.id, model, &views.incidents, now, start)).collect();
    let statuses: Vec<ComponentStatus> = views.components.iter().map(|c| c.status).collect();
    views.headline = headline(model, &views.incidents, &statuses, &|_| true);
    views.indicator = views.headline.indicator();
    audiences(model, views);
    track_records(model, views);
}

/// Which audiences each incident affects, and each audience's incidents and headline.
fn audiences(model: &Model, views: &mut Views) {
    let site = &model.site;
    views.reach = if site.audiences.is_empty() {
        vec![Vec::new(); model.incidents.len()]
    } else {
        model
            .incidents
            .par_iter()
            .map(|i| (0..site.audiences.len()).filter(|a| site.audiences[*a].is_affected_by(i)).collect())
            .collect()
    };
    views.audiences = site
        .audiences
        .iter()
        .enumerate()
        .map(|(a, audience)| {
            let components: Vec<usize> =
                (0..site.components.len()).filter(|c| audience.components.contains(&site.components[*c].id)).collect();
            let statuses: Vec<ComponentStatus> = components.iter().map(|c| views.components[*c].status).collect();
            let concerns = |i: usize| views.reach[i].contains(&a);
            let headline = headline(model, &views.incidents, &statuses, &concerns);
            let incidents = (0..model.incidents.len())
                .filter(|i| concerns(*i) && views.incidents[*i].phase != Phase::Unpublished)
                .collect();
            AudienceView { components, incidents, headline, indicator: headline.indicator() }
        })
        .collect();
}

/// The track record over the history window and per year.
fn track_records(model: &Model, views: &mut Views) {
    let tz = &model.site.timezone;
    let since = views.now - SignedDuration::from_hours(24 * i64::from(model.site.history_days));
    let year_of = |i: &Incident| i.started_at.to_zoned_datetime(tz.clone()).year();
    views.track_window = record::aggregate(model, views, &views.records, |_, i| i.started_at >= since);
    let started: Vec<i16> = model.incidents.par_iter().map(year_of).collect();
    let mut years: Vec<i16> =
        model.incidents.iter().zip(&started).filter(|(i, _)| i.kind.is_incident()).map(|(_, y)| *y).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    views.track_years = years
        .into_iter()
        .map(|y| (y, record::aggregate(model, views, &views.records, |n, _| started[n] == y)))
        .collect();
}

/// One incident's view at `now`, with what was corrected in it.
fn corrected(inc: &Incident, now: Timestamp, grace: SignedDuration) -> IncidentView {
    IncidentView { corrections: corrections::derive(inc, now, grace), ..incident(inc, now) }
}

/// Derives one incident's view at `now` (without its corrections, which need the site's grace period).
pub fn incident(incident: &Incident, now: Timestamp) -> IncidentView {
    let shown_updates = incident.updates.iter().take_while(|u| u.at <= now).count();
    let shown = &incident.updates[..shown_updates];
    let status = shown.last().and_then(|u| u.status);
    let end = end_of(incident, shown, now);
    let phase = phase(incident, shown_updates, status, end, now);
    let duration = duration(incident, shown, end, now);
    let promises = promises(shown, end, now);
    let postmortem_published = incident
        .postmortem
        .as_ref()
        .is_some_and(|p| p.published_at.is_none_or(|at| at <= now) && phase == Phase::Resolved);
    let affects = affects(incident, shown, phase, end, now);
    IncidentView {
        phase,
        shown_updates,
        status,
        end,
        duration,
        promises,
        postmortem_published,
        affects,
        corrections: corrections::Corrections::default(),
    }
}

/// `resolved_at`, else the latest shown update's time when its status is final; only once reached.
fn end_of(incident: &Incident, shown: &[crate::model::Update], now: Timestamp) -> Option<Timestamp> {
    let end = incident
        .resolved_at
        .or_else(|| shown.last().filter(|u| u.status.is_some_and(UpdateStatus::is_final)).map(|u| u.at));
    end.filter(|e| *e <= now)
}

fn phase(
    incident: &Incident,
    shown: usize,
    status: Option<UpdateStatus>,
    end: Option<Timestamp>,
    now: Timestamp,
) -> Phase {
    if shown == 0 {
        return Phase::Unpublished;
    }
    match incident.kind {
        Kind::Maintenance => maintenance_phase(incident, status, end, now),
        Kind::Notice => {
            let until = end.or_else(|| incident.effective_at.map(|e| e + NOTICE_LINGER));
            let last = incident.updates[shown - 1].at + NOTICE_LINGER;
            if until.unwrap_or(last) > now { Phase::Announced } else { Phase::Expired }
        }
        _ if end.is_some() => Phase::Resolved,
        _ => Phase::Active,
    }
}

fn maintenance_phase(
    incident: &Incident,
    status: Option<UpdateStatus>,
    end: Option<Timestamp>,
    now: Timestamp,
) -> Phase {
    if end.is_some() || status.is_some_and(UpdateStatus::is_final) {
        return Phase::Completed;
    }
    if matches!(status, Some(UpdateStatus::InProgress | UpdateStatus::Verifying)) {
        return Phase::InProgress;
    }
    match incident.scheduled {
        Some(w) if now < w.start => Phase::Upcoming,
        Some(w) if now < w.end => Phase::InProgress,
        _ => Phase::Completed,
    }
}

fn duration(
    incident: &Incident,
    shown: &[crate::model::Update],
    end: Option<Timestamp>,
    now: Timestamp,
) -> Option<SignedDuration> {
    if incident.kind == Kind::Maintenance {
        let begun = shown.iter().find(|u| u.status == Some(UpdateStatus::InProgress));
        let done = shown.iter().find(|u| u.status == Some(UpdateStatus::Completed));
        return match (begun, done, incident.scheduled) {
            (Some(b), Some(d), _) if d.at >= b.at => Some(d.at.duration_since(b.at)),
            (_, _, Some(w)) => Some(w.end.duration_since(w.start)),
            _ => None,
        };
    }
    if incident.kind == Kind::Notice {
        return None;
    }
    Some(end.unwrap_or(now).duration_since(incident.started_at))
}

fn promises(shown: &[crate::model::Update], end: Option<Timestamp>, now: Timestamp) -> Vec<Promise> {
    shown
        .iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let due = u.next_update_by?;
            let is_last_final = i + 1 == shown.len() && u.status.is_some_and(UpdateStatus::is_final) && end.is_some();
            if is_last_final {
                return None;
            }
            let next = shown.get(i + 1).map(|n| n.at);
            let answered = match (next, end.filter(|e| *e >= u.at)) {
                (Some(n), Some(e)) => Some(n.min(e)),
                (n, e) => n.or(e),
            };
            let verdict = match answered {
                Some(at) if at <= due => Verdict::Kept,
                Some(at) => Verdict::Broken { late: at.duration_since(due) },
                None if now <= due => Verdict::Pending { left: due.duration_since(now) },
                None => Verdict::Overdue { by: now.duration_since(due) },
            };
            Some(Promise { update: i, due, verdict })
        })
        .collect()
}

/// The interval during which an incident sets its components' statuses.
fn affects(
    incident: &Incident,
    shown: &[crate::model::Update],
    phase: Phase,
    end: Option<Timestamp>,
    now: Timestamp,
) -> Option<(Timestamp, Timestamp)> {
    match incident.kind {
        Kind::Notice => None,
        _ if phase == Phase::Unpublished => None,
        Kind::Maintenance => {
            let window = incident.scheduled?;
            let begun = shown.iter().find(|u| u.status == Some(UpdateStatus::InProgress)).map(|u| u.at);
            let start = begun.map_or(window.start, |b| b.min(window.start));
            let finish = match phase {
                Phase::InProgress => now,
                _ => end
                    .or_else(|| shown.iter().find(|u| u.status.is_some_and(UpdateStatus::is_final)).map(|u| u.at))
                    .unwrap_or(window.end),
            };
            (start < finish.min(now)).then_some((start, finish.min(now)))
        }
        _ => {
            let finish = end.unwrap_or(now);
            (incident.started_at < finish).then_some((incident.started_at, finish))
        }
    }
}

fn component(
    id: &ComponentId,
    model: &Model,
    views: &[IncidentView],
    now: Timestamp,
    start: Timestamp,
) -> ComponentView {
    let touching: Vec<(usize, ComponentStatus)> = model
        .incidents
        .iter()
        .enumerate()
        .filter_map(|(i, inc)| inc.components.iter().find(|a| &a.component == id).map(|a| (i, a.status)))
        .filter(|(i, _)| views[*i].phase != Phase::Unpublished)
        .collect();
    let status = touching
        .iter()
        .filter(|(i, _)| matches!(views[*i].phase, Phase::Active | Phase::InProgress))
        .map(|(_, s)| *s)
        .max()
        .unwrap_or(ComponentStatus::Operational);
    // An incident that leaves a component operational does not mark its history.
    let intervals: Vec<Interval> = touching
        .iter()
        .filter(|(_, s)| *s != ComponentStatus::Operational)
        .filter_map(|(i, s)| views[*i].affects.map(|(from, to)| Interval { from, to, status: *s, incident: *i }))
        .collect();
    let days = history(&model.site, &intervals, now);
    let downtime: f64 = days.iter().map(|d| d.downtime_minutes).sum();
    let total: i64 = days.iter().map(|d| d.total_minutes).sum();
    // An interval still open ends at now, which is not a change.
    let changed_at = touching
        .iter()
        .filter_map(|(i, _)| views[*i].affects)
        .flat_map(|(from, to)| [Some(from), (to < now).then_some(to)])
        .flatten()
        .max()
        .unwrap_or(start);
    ComponentView {
        status,
        days,
        uptime: uptime(downtime, total),
        incidents: touching.iter().map(|(i, _)| *i).collect(),
        changed_at,
    }
}

/// The headline of components in `statuses`, for the incidents `concerns`
/// admits: the blend of the statuses, made no milder than an ongoing outage
/// or degradation that names no component (the page has nothing else to go
/// on for it), and maintenance when work is under way and nothing is worse.
/// A data breach or security incident moves it only through the component
/// statuses it sets.
fn headline(
    model: &Model,
    incidents: &[IncidentView],
    statuses: &[ComponentStatus],
    concerns: &dyn Fn(usize) -> bool,
) -> Headline {
    let unplaced = model
        .incidents
        .iter()
        .zip(incidents)
        .enumerate()
        .filter(|(n, (i, v))| {
            concerns(*n) && v.phase == Phase::Active && matches!(i.kind, Kind::Outage | Kind::Degraded)
        })
        .map(|(_, pair)| pair)
        .filter(|(i, _)| i.components.is_empty())
        .map(|(i, _)| match i.impact {
            Impact::None => Headline::AllOperational,
            Impact::Minor => Headline::PartiallyDegraded,
            Impact::Major => Headline::PartialOutage,
            Impact::Critical => Headline::MajorOutage,
        });
    let worst = unplaced.fold(blend(statuses), Headline::max);
    let maintenance = incidents.iter().enumerate().any(|(n, v)| concerns(n) && v.phase == Phase::InProgress);
    if worst == Headline::AllOperational && maintenance { Headline::Maintenance } else { worst }
}

/// A stretch of time during which an incident gives a component a status.
#[derive(Clone, Copy, Debug)]
struct Interval {
    from: Timestamp,
    to: Timestamp,
    status: ComponentStatus,
    incident: usize,
}

/// The last `history_days` days in the site's time zone, today counted up to now.
fn history(site: &Site, intervals: &[Interval], now: Timestamp) -> Vec<Day> {
    let tz = &site.timezone;
    let today = now.to_zoned_datetime(tz.clone()).date();
    let first = today.checked_sub(jiff::Span::new().days(i64::from(site.history_days) - 1)).unwrap_or(today);
    let window_start = day_start(first, site);
    let relevant: Vec<Interval> =
        intervals.iter().copied().filter(|iv| iv.to > window_start && iv.from < now).collect();
    let mut days = Vec::with_capacity(site.history_days as usize);
    let mut date = first;
    while date <= today {
        let start = day_start(date, site);
        let next = date.tomorrow().map_or(now, |d| day_start(d, site));
        days.push(day(date, start, next.min(now), &relevant));
        match date.tomorrow() {
            Ok(d) => date = d,
            Err(_) => break,
        }
    }
    days
}

fn day_start(date: Date, site: &Site) -> Timestamp {
    // Every date in range has a start of day in every zone jiff knows; fall back to UTC midnight if not.
    date.to_zoned_datetime(site.timezone.clone()).map(|z| z.timestamp()).unwrap_or_else(|_| {
        date.to_datetime(jiff::civil::Time::midnight())
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
    })
}

/// One day's worst status and minutes, sweeping over the intervals that touch it.
fn day(date: Date, start: Timestamp, end: Timestamp, intervals: &[Interval]) -> Day {
    let total_minutes = end.duration_since(start).as_mins().max(0);
    let clipped: Vec<Interval> = intervals
        .iter()
        .filter(|iv| iv.from < end && iv.to > start)
        .map(|iv| Interval { from: iv.from.max(start), to: iv.to.min(end), ..*iv })
        .collect();
    let mut incidents: Vec<usize> = clipped.iter().map(|iv| iv.incident).collect();
    incidents.sort_unstable();
    incidents.dedup();
    let mut bounds: Vec<Timestamp> = clipped.iter().flat_map(|iv| [iv.from, iv.to]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut worst = ComponentStatus::Operational;
    let (mut affected, mut downtime) = (0.0_f64, 0.0_f64);
    for pair in bounds.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let status = clipped.iter().filter(|iv| iv.from <= a && iv.to >= b).map(|iv| iv.status).max();
        if let Some(status) = status {
            let minutes = b.duration_since(a).as_secs_f64() / 60.0;
            worst = worst.max(status);
            if status != ComponentStatus::Operational {
                affected += minutes;
            }
            downtime += minutes * status.downtime_weight();
        }
    }
    Day { date, worst, affected_minutes: affected.round() as i64, downtime_minutes: downtime, total_minutes, incidents }
}

fn uptime(downtime: f64, total: i64) -> f64 {
    if total <= 0 {
        return 100.0;
    }
    (100.0 * (1.0 - downtime / total as f64)).clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests;
