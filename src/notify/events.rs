//! What there is to tell people at now, derived from the model and the views
//! alone: no I/O, no clock, so the same files and the same now always give
//! the same events with the same keys.
//!
//! An event's key names what happened, never when it was noticed: an update
//! by its incident and time (`ID/update/SECONDS`), a maintenance window opening
//! by the window (`ID/started`). The ledger records keys, and webhooks send
//! them as idempotency keys, so a retried or repeated delivery is recognised.

use jiff::Timestamp;

use crate::diagnostic::Diagnostic;
use crate::lint::{self, Lint};
use crate::model::{ComponentId, ComponentStatus, Incident, Kind, Language, Model, Update, UpdateStatus};
use crate::render::ids::stable_id;
use crate::views::{self, IncidentView, Phase, Views};

/// One thing to tell the people who follow the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across runs: what the ledger records and receivers deduplicate by.
    pub key: String,
    /// The incident's index in the model.
    pub incident: usize,
    /// What happened.
    pub what: What,
    /// When it happened: when the update, window or post-mortem became shown.
    pub at: Timestamp,
    /// A digest of an update's text, to notice when it is edited later.
    pub text: Option<String>,
}

/// What an event reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// The incident's first shown update: a new incident, maintenance scheduled, a notice.
    Published {
        /// The update's index.
        update: usize,
    },
    /// A later shown update.
    Updated {
        /// The update's index.
        update: usize,
    },
    /// An update already delivered whose text was edited since.
    Corrected {
        /// The update's index.
        update: usize,
        /// The key the update was first delivered under.
        original: String,
    },
    /// A maintenance window opened by the clock.
    MaintenanceStarted,
    /// A maintenance window closed by the clock.
    MaintenanceCompleted,
    /// A post-mortem became shown.
    PostmortemPublished,
    /// The change a notice announced takes effect.
    NoticeEffective,
    /// A component's status changed (sent to webhooks as `component_update`).
    Component {
        /// Which component.
        component: ComponentId,
        /// Its status before.
        old: ComponentStatus,
        /// Its status after.
        new: ComponentStatus,
    },
    /// A reminder for the team, from the same finding `candor check` reports.
    Reminder {
        /// The lint that found it.
        lint: Lint,
        /// The finding's message.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
}

impl What {
    /// The event's name, as webhooks receive it and `candor notify` prints it.
    pub fn name(&self) -> &'static str {
        match self {
            What::Published { .. } => "incident.published",
            What::Updated { .. } => "incident.updated",
            What::Corrected { .. } => "incident.corrected",
            What::MaintenanceStarted => "maintenance.started",
            What::MaintenanceCompleted => "maintenance.completed",
            What::PostmortemPublished => "postmortem.published",
            What::NoticeEffective => "notice.effective",
            What::Component { .. } => "component.updated",
            What::Reminder { .. } => "team.reminder",
        }
    }

    /// The update the event carries, if any.
    pub fn update(&self) -> Option<usize> {
        match self {
            What::Published { update } | What::Updated { update } | What::Corrected { update, .. } => Some(*update),
            _ => None,
        }
    }
}

/// Every event at the views' now that happened at or after `since`, oldest first.
pub fn derive(model: &Model, views: &Views, since: Timestamp) -> Vec<Event> {
    let mut out = Vec::new();
    for (index, (incident, view)) in model.incidents.iter().zip(&views.incidents).enumerate() {
        if view.phase == Phase::Unpublished || !touches(incident, since) {
            continue;
        }
        let mut found = Found { index, incident, since, out: &mut out };
        found.updates(view);
        found.maintenance(view, views.now);
        found.postmortem(view);
        found.notice(views.now);
    }
    sort(&mut out);
    out
}

/// The team's reminders among `findings` (what `candor check` found at the
/// views' now): a promise due soon, one overdue, silence. One event per
/// promise and finding, so each is sent once.
pub fn reminders(model: &Model, findings: &[Diagnostic], since: Timestamp) -> Vec<Event> {
    let wanted = [lint::PROMISE_DUE_SOON, lint::PROMISE_OVERDUE, lint::SILENCE];
    let mut out = Vec::new();
    for finding in findings {
        let Some(lint) = wanted.iter().find(|l| l.code == finding.code).copied() else { continue };
        let Some(index) = model.incidents.iter().position(|i| i.file == finding.file) else { continue };
        let incident = &model.incidents[index];
        let Some(u) = incident.updates.iter().position(|u| u.promise_pos == Some(finding.pos) || u.pos == finding.pos)
        else {
            continue;
        };
        let update = &incident.updates[u];
        let check = &model.site.check;
        let at = match (lint.code, update.next_update_by) {
            (code, Some(due)) if code == lint::PROMISE_DUE_SOON.code => due - check.promise_due_soon,
            (code, Some(due)) if code == lint::PROMISE_OVERDUE.code => due,
            _ => update.at + check.max_silence,
        };
        if at < since {
            continue;
        }
        out.push(Event {
            key: format!("{}/remind/{}/{}", incident.id, lint.code, update.at.as_second()),
            incident: index,
            what: What::Reminder { lint, message: finding.message.clone(), hint: finding.hint.clone() },
            at,
            text: None,
        });
    }
    sort(&mut out);
    out
}

/// Oldest first; at one moment, an incident's own news before component changes, then by key.
fn sort(events: &mut [Event]) {
    events.sort_by(|a, b| {
        let rank = |e: &Event| matches!(e.what, What::Component { .. });
        (a.at, a.incident, rank(a), &a.key).cmp(&(b.at, b.incident, rank(b), &b.key))
    });
}

/// Whether anything about `incident` can have happened at or after `since`.
fn touches(incident: &Incident, since: Timestamp) -> bool {
    let mut times = incident.updates.iter().map(|u| u.at);
    times.any(|t| t >= since)
        || incident.scheduled.is_some_and(|w| w.end >= since)
        || incident.effective_at.is_some_and(|t| t >= since)
        || incident.resolved_at.is_some_and(|t| t >= since)
        || incident.postmortem.as_ref().and_then(|p| p.published_at).is_some_and(|t| t >= since)
}

/// A digest of what an update says, in every language, to notice edits.
pub fn text_digest(update: &Update) -> String {
    let body = &update.body.0;
    let mut parts = vec![body.as_str()];
    parts.extend(Language::ALL.iter().map(|l| body.translation(*l).unwrap_or("")));
    stable_id(&parts)
}

/// Collects one incident's events.
struct Found<'a> {
    index: usize,
    incident: &'a Incident,
    since: Timestamp,
    out: &'a mut Vec<Event>,
}

impl Found<'_> {
    fn push(&mut self, key: String, what: What, at: Timestamp, text: Option<String>) {
        if at >= self.since {
            self.out.push(Event { key, incident: self.index, what, at, text });
        }
    }

    fn component(&mut self, component: &ComponentId, old: ComponentStatus, new: ComponentStatus, at: Timestamp) {
        if old != new {
            let key = format!("{}/component/{component}/{}", self.incident.id, at.as_second());
            self.push(key, What::Component { component: component.clone(), old, new }, at, None);
        }
    }

    fn updates(&mut self, view: &IncidentView) {
        for (u, update) in self.incident.updates[..view.shown_updates].iter().enumerate() {
            let key = format!("{}/update/{}", self.incident.id, update.at.as_second());
            let what = if u == 0 { What::Published { update: u } } else { What::Updated { update: u } };
            self.push(key, what, update.at, Some(text_digest(update)));
            for (affected, old, new) in views::transitions(self.incident, u) {
                self.component(&affected.component, old, new, update.at);
            }
        }
    }

    /// The window opening and closing by the clock, when no update said so first.
    fn maintenance(&mut self, view: &IncidentView, now: Timestamp) {
        let Some(window) = self.incident.scheduled.filter(|_| self.incident.kind == Kind::Maintenance) else { return };
        let shown = &self.incident.updates[..view.shown_updates];
        let announced = shown.first().is_some_and(|u| u.at <= window.start);
        let latest_by = |t: Timestamp| shown.iter().rev().find(|u| u.at <= t).and_then(|u| u.status);
        let scheduled_at = |t: Timestamp| matches!(latest_by(t), Some(UpdateStatus::Scheduled) | None);
        let begun = matches!(view.phase, Phase::InProgress | Phase::Completed);
        if announced && begun && window.start <= now && scheduled_at(window.start) {
            self.push(format!("{}/started", self.incident.id), What::MaintenanceStarted, window.start, None);
            for a in &self.incident.components {
                self.component(&a.component, ComponentStatus::Operational, a.status, window.start);
            }
        }
        if announced && view.phase == Phase::Completed && window.end <= now && scheduled_at(window.end) {
            self.push(format!("{}/completed", self.incident.id), What::MaintenanceCompleted, window.end, None);
            for a in &self.incident.components {
                self.component(&a.component, a.status, ComponentStatus::Operational, window.end);
            }
        }
    }

    fn postmortem(&mut self, view: &IncidentView) {
        let Some(postmortem) = self.incident.postmortem.as_ref().filter(|_| view.postmortem_published) else { return };
        let Some(at) = postmortem.published_at.or(view.end) else { return };
        self.push(format!("{}/postmortem", self.incident.id), What::PostmortemPublished, at, None);
    }

    fn notice(&mut self, now: Timestamp) {
        let Some(effective) = self.incident.effective_at.filter(|_| self.incident.kind == Kind::Notice) else { return };
        let announced = self.incident.updates.first().is_some_and(|u| u.at < effective);
        if announced && effective <= now {
            self.push(format!("{}/effective", self.incident.id), What::NoticeEffective, effective, None);
        }
    }
}

#[cfg(test)]
mod tests;
