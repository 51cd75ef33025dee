//! How reliably the company communicates: per incident and over time.
//!
//! The figures readers see on the track-record page, on each incident page
//! and in the API's `candor` extension, all from the same views.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use super::{IncidentView, Phase, Verdict, Views};
use crate::model::{ActionStatus, Impact, Incident, Kind, Model};

/// Promises made, by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Promises {
    /// Kept: the next update (or the end) came in time.
    pub kept: usize,
    /// Broken: it came late.
    pub broken: usize,
    /// Overdue: nothing has come and the deadline passed.
    pub overdue: usize,
    /// Still ahead.
    pub pending: usize,
}

impl Promises {
    /// Promises whose outcome is known.
    pub fn decided(&self) -> usize {
        self.kept + self.broken + self.overdue
    }

    fn add(&mut self, other: Promises) {
        self.kept += other.kept;
        self.broken += other.broken;
        self.overdue += other.overdue;
        self.pending += other.pending;
    }
}

/// One incident's communication record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentRecord {
    /// From detection (or, when not recorded, the start) to the first public update.
    pub first_update_after: Option<SignedDuration>,
    /// Published updates.
    pub updates: usize,
    /// The longest time between two updates (for an ongoing incident, also up to now).
    pub longest_silence: Option<SignedDuration>,
    /// Promises by outcome.
    pub promises: Promises,
}

/// Derives one incident's record.
pub fn incident(incident: &Incident, view: &IncidentView, now: Timestamp) -> IncidentRecord {
    let shown = &incident.updates[..view.shown_updates];
    let origin = incident.detected_at.unwrap_or(incident.started_at);
    let first_update_after = shown
        .first()
        .filter(|_| incident.kind.is_incident())
        .map(|u| u.at.duration_since(origin).max(SignedDuration::ZERO));
    let mut gaps: Vec<SignedDuration> = shown.windows(2).map(|w| w[1].at.duration_since(w[0].at)).collect();
    if matches!(view.phase, Phase::Active | Phase::InProgress)
        && let Some(last) = shown.last()
    {
        gaps.push(now.duration_since(last.at));
    }
    let mut promises = Promises::default();
    for p in &view.promises {
        match p.verdict {
            Verdict::Kept => promises.kept += 1,
            Verdict::Broken { .. } => promises.broken += 1,
            Verdict::Overdue { .. } => promises.overdue += 1,
            Verdict::Pending { .. } => promises.pending += 1,
        }
    }
    IncidentRecord { first_update_after, updates: shown.len(), longest_silence: gaps.into_iter().max(), promises }
}

/// A ratio of counts, kept as counts so nothing is rounded twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Share {
    /// How many met the bar.
    pub yes: usize,
    /// Out of how many.
    pub of: usize,
}

impl Share {
    /// The share in percent, if there is anything to count.
    pub fn percent(&self) -> Option<f64> {
        (self.of > 0).then(|| 100.0 * self.yes as f64 / self.of as f64)
    }
}

/// The record over a set of incidents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrackRecord {
    /// Incidents (outages, degradations, breaches, security incidents) counted.
    pub incidents: usize,
    /// Median time from detection (or start) to the first public update.
    pub median_first_update: Option<SignedDuration>,
    /// Promises kept out of those decided.
    pub promises_kept: Share,
    /// Promises by outcome.
    pub promises: Promises,
    /// Post-mortems published for resolved major and critical incidents and breaches.
    pub postmortems: Share,
    /// Action items done by their due date, out of those due or done.
    pub actions_on_time: Share,
    /// Median time to resolve, by impact (minor, major, critical).
    pub median_resolution: Vec<(Impact, SignedDuration)>,
}

/// The record of the incidents `keep` selects.
pub fn aggregate(
    model: &Model,
    views: &Views,
    records: &[IncidentRecord],
    keep: impl Fn(usize, &Incident) -> bool,
) -> TrackRecord {
    let mut out = TrackRecord::default();
    let mut first_updates = Vec::new();
    let mut resolutions: Vec<(Impact, SignedDuration)> = Vec::new();
    for (n, ((inc, view), record)) in model.incidents.iter().zip(&views.incidents).zip(records).enumerate() {
        if !inc.kind.is_incident() || view.phase == Phase::Unpublished || !keep(n, inc) {
            continue;
        }
        out.incidents += 1;
        first_updates.extend(record.first_update_after);
        out.promises.add(record.promises);
        if view.phase == Phase::Resolved {
            if let Some(d) = view.duration {
                resolutions.push((inc.impact, d));
            }
            if needs_postmortem(inc) {
                out.postmortems.of += 1;
                out.postmortems.yes += usize::from(view.postmortem_published);
            }
        }
        let actions = on_time_actions(inc, view, views.today);
        out.actions_on_time.yes += actions.yes;
        out.actions_on_time.of += actions.of;
    }
    out.promises_kept = Share { yes: out.promises.kept, of: out.promises.decided() };
    out.median_first_update = median(first_updates);
    out.median_resolution = [Impact::Minor, Impact::Major, Impact::Critical]
        .into_iter()
        .filter_map(|impact| {
            median(resolutions.iter().filter(|(i, _)| *i == impact).map(|(_, d)| *d).collect()).map(|m| (impact, m))
        })
        .collect();
    out
}

/// Whether an incident owes readers a post-mortem once resolved.
pub fn needs_postmortem(incident: &Incident) -> bool {
    incident.kind == Kind::DataBreach || (incident.kind.is_incident() && incident.impact >= Impact::Major)
}

/// Action items done by their due date, out of those with a due date that has passed or that are done.
/// An item marked done without `done_at` counts as done on time.
fn on_time_actions(incident: &Incident, view: &IncidentView, today: Date) -> Share {
    let Some(p) = incident.postmortem.as_ref().filter(|_| view.postmortem_published) else { return Share::default() };
    let mut share = Share::default();
    for item in &p.action_items {
        let Some(due) = item.due else { continue };
        let done = item.status == ActionStatus::Done;
        if item.status == ActionStatus::Dropped || (!done && today <= due) {
            continue;
        }
        share.of += 1;
        share.yes += usize::from(done && item.done_at.is_none_or(|d| d <= due));
    }
    share
}

/// The median; the mean of the two middle values for an even count.
pub fn median(mut values: Vec<SignedDuration>) -> Option<SignedDuration> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => {
            let (a, b) = (values[n / 2 - 1], values[n / 2]);
            Some(a + (b - a) / 2)
        }
    }
}
