//! One event as words in one language, before any channel's format: the
//! headline, the incident's title, status, impact and components, the body
//! (still Markdown), the promised next update and the link to the page.

use jiff::Timestamp;
use serde::Serialize;

use super::events::{Event, What};
use crate::locale::Locale;
use crate::model::{Impact, Incident, Kind, Language, Model, UpdateStatus};
use crate::paths::{Paths, Place};
use crate::views::{Verdict, Views};

/// How alarming a message is, for the colour chats give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Over, or fine.
    Good,
    /// Planned work, or an announcement.
    Info,
    /// Some people notice.
    Minor,
    /// Many people are affected.
    Major,
    /// The service is unusable.
    Critical,
}

/// An event in words, ready for a channel to format.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    /// What happened: "New incident", "Update", "Maintenance started".
    pub headline: String,
    /// The incident's title, on one line.
    pub title: String,
    /// The status label, when the event has one.
    pub status: Option<String>,
    /// The impact label, for incidents proper.
    pub impact: Option<String>,
    /// The kind label.
    pub kind: String,
    /// What the update (or post-mortem, or reminder) says, as Markdown.
    pub body: Option<String>,
    /// A line of plain text about the message itself (a correction, a window).
    pub note: Option<String>,
    /// The names of the affected components.
    pub components: Vec<String>,
    /// "Next update by …", when the event's update promised one that is still open.
    pub promise: Option<String>,
    /// The incident's page, absolute.
    pub link: String,
    /// The link's words.
    pub link_text: String,
    /// When it happened, in words.
    pub at: String,
    /// When it happened, RFC 3339.
    pub at_iso: String,
    /// The site's title.
    pub site: String,
    /// How alarming it is.
    pub severity: Severity,
}

impl Message {
    /// "Investigating: Card payments failing", or "Maintenance started: …".
    pub fn summary(&self) -> String {
        format!("{}: {}", self.status.as_deref().unwrap_or(&self.headline), self.title)
    }
}

/// Writes messages in one language.
pub struct Writer<'a> {
    model: &'a Model,
    views: &'a Views,
    locale: &'a Locale,
    lang: Language,
    paths: Paths,
}

impl<'a> Writer<'a> {
    /// A writer of `lang` messages with `locale`'s strings.
    pub fn new(model: &'a Model, views: &'a Views, locale: &'a Locale, lang: Language) -> Writer<'a> {
        Writer { model, views, locale, lang, paths: Paths::new(&model.site, lang) }
    }

    fn time(&self, ts: Timestamp) -> String {
        self.locale.moment(ts, &self.model.site.timezone)
    }

    /// `event` in words.
    pub fn message(&self, event: &Event) -> Message {
        let incident = &self.model.incidents[event.incident];
        let lang_text = |t: &crate::model::Text| t.get(self.lang).to_owned();
        let update = event.what.update().map(|u| &incident.updates[u]);
        let status = match &event.what {
            What::MaintenanceStarted => Some(UpdateStatus::InProgress),
            What::MaintenanceCompleted => Some(UpdateStatus::Completed),
            _ => update.and_then(|u| u.status),
        };
        let mut components: Vec<String> = incident
            .components
            .iter()
            .filter_map(|a| self.model.site.component(&a.component))
            .map(|c| lang_text(&c.name))
            .collect();
        components.dedup();
        Message {
            headline: self.headline(incident, &event.what),
            title: lang_text(&incident.title).split_whitespace().collect::<Vec<_>>().join(" "),
            status: status.map(|s| self.locale.get(&format!("status.{}", s.as_str())).to_owned()),
            impact: incident
                .kind
                .is_incident()
                .then(|| self.locale.get(&format!("impact.{}", incident.impact.as_str())).to_owned()),
            kind: self.locale.get(&format!("kind.{}", incident.kind.as_str())).to_owned(),
            body: self.body(incident, event),
            note: self.note(incident, &event.what),
            components,
            promise: self.promise(event),
            link: self.paths.url(Place::Incident(&incident.id)),
            link_text: self.locale.get("notify.link").to_owned(),
            at: self.time(event.at),
            at_iso: event.at.to_string(),
            site: lang_text(&self.model.site.title),
            severity: severity(incident, status),
        }
    }

    fn headline(&self, incident: &Incident, what: &What) -> String {
        let key = match what {
            What::Published { .. } => match incident.kind {
                Kind::Maintenance => "notify.published_maintenance",
                Kind::Notice => "notify.published_notice",
                _ => "notify.published_incident",
            },
            What::Updated { .. } => "notify.updated",
            What::Corrected { .. } => "notify.corrected",
            What::MaintenanceStarted => "notify.started",
            What::MaintenanceCompleted => "notify.completed",
            What::PostmortemPublished => "notify.postmortem",
            What::NoticeEffective => "notify.effective",
            What::Component { .. } => "notify.updated",
            What::Reminder { .. } => "notify.reminder",
        };
        self.locale.get(key).to_owned()
    }

    fn body(&self, incident: &Incident, event: &Event) -> Option<String> {
        let lang = self.lang;
        match &event.what {
            What::Published { update } | What::Updated { update } | What::Corrected { update, .. } => {
                Some(incident.updates[*update].body.0.get(lang).to_owned())
            }
            What::MaintenanceStarted => {
                incident.scheduled.map(|w| self.locale.fill("notify.started_body", &[("end", &self.time(w.end))]))
            }
            What::MaintenanceCompleted => Some(self.locale.get("notify.completed_body").to_owned()),
            What::PostmortemPublished => incident.postmortem.as_ref().and_then(|p| {
                let section = p.summary.as_ref().or(p.root_cause.as_ref()).or(p.resolution.as_ref())?;
                Some(section.0.get(lang).to_owned())
            }),
            What::NoticeEffective => Some(self.locale.fill("notify.effective_body", &[("time", &self.time(event.at))])),
            What::Reminder { message, hint, .. } => {
                Some(hint.as_ref().map_or_else(|| message.clone(), |h| format!("{message}\n\n{h}")))
            }
            What::Component { .. } => None,
        }
    }

    fn note(&self, incident: &Incident, what: &What) -> Option<String> {
        match what {
            What::Corrected { .. } => Some(self.locale.get("notify.corrected_note").to_owned()),
            What::Published { .. } if incident.kind == Kind::Maintenance => incident.scheduled.map(|w| {
                self.locale.fill("notify.window", &[("start", &self.time(w.start)), ("end", &self.time(w.end))])
            }),
            _ => None,
        }
    }

    /// The promise the event's update made, while it is still open at now.
    fn promise(&self, event: &Event) -> Option<String> {
        let update = event.what.update()?;
        let view = &self.views.incidents[event.incident];
        let promise = view.promise_of(update)?;
        matches!(promise.verdict, Verdict::Pending { .. })
            .then(|| self.locale.fill("notify.next_update", &[("time", &self.time(promise.due))]))
    }
}

fn severity(incident: &Incident, status: Option<UpdateStatus>) -> Severity {
    if status.is_some_and(UpdateStatus::is_final) {
        return Severity::Good;
    }
    match (incident.kind.is_incident(), incident.impact) {
        (false, _) | (true, Impact::None) => Severity::Info,
        (true, Impact::Minor) => Severity::Minor,
        (true, Impact::Major) => Severity::Major,
        (true, Impact::Critical) => Severity::Critical,
    }
}
