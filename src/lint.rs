//! Lints for crisis communication: `candor check`.
//!
//! Validation says whether the files can be built; these lints say whether
//! readers are being kept informed: promises about to lapse or already broken,
//! silence, late first words, breaches without advice, post-mortems forgotten,
//! action items overdue. Each finding has a stable code, a level, a location
//! and a hint, and can be silenced for one incident with `allow:` and a reason.

use jiff::{SignedDuration, Timestamp};

use crate::diagnostic::{Diagnostic, Level, Pos};
use crate::locale::Locale;
use crate::model::{ActionStatus, Incident, Kind, Model, UpdateStatus};
use crate::views::record::needs_postmortem;
use crate::views::{IncidentView, Phase, Verdict, Views};

/// One communication lint: a stable code people silence it by, the level it
/// reports at, and when it fires, in the words the README's table uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lint {
    /// The code, as written in `allow:` and printed with each finding.
    pub code: &'static str,
    /// How serious its findings are.
    pub level: Level,
}

/// Declares each lint once, and [`ALL`] from the same list, so no lint can be
/// reported without being listed, nor listed without existing.
macro_rules! lints {
    ($($(#[$doc:meta])* $name:ident = $code:literal, $level:ident;)*) => {
        $($(#[$doc])* pub const $name: Lint = Lint { code: $code, level: Level::$level };)*
        /// Every lint, for `allow:` and the README.
        pub const ALL: &[Lint] = &[$($name),*];
    };
}

lints! {
    /// Prose not written in one of the site's other languages.
    MISSING_TRANSLATION = "missing-translation", Note;
    /// A promised update whose deadline passed with no update.
    PROMISE_OVERDUE = "promise-overdue", Warning;
    /// A promised update due within `promise_due_soon`.
    PROMISE_DUE_SOON = "promise-due-soon", Note;
    /// An ongoing incident quiet for longer than `max_silence`.
    SILENCE = "silence", Warning;
    /// A first public update later than `first_update_within` after detection.
    LATE_FIRST_UPDATE = "late-first-update", Warning;
    /// A breach announced later than `breach_notice_within` after detection.
    BREACH_LATE_NOTICE = "breach-late-notice", Warning;
    /// A breach that does not say what people should do.
    BREACH_NO_ADVICE = "breach-no-advice", Warning;
    /// A breach that does not say how many people are affected.
    BREACH_NO_COUNT = "breach-no-count", Warning;
    /// A post-mortem due and not published.
    POSTMORTEM_MISSING = "postmortem-missing", Warning;
    /// A post-mortem without a root cause or action items.
    POSTMORTEM_INCOMPLETE = "postmortem-incomplete", Warning;
    /// An action item past its due date.
    ACTION_OVERDUE = "action-overdue", Warning;
    /// Maintenance announced with less notice than `maintenance_notice_days`.
    MAINTENANCE_SHORT_NOTICE = "maintenance-short-notice", Warning;
    /// Maintenance still under way after its window.
    MAINTENANCE_OVERRUN = "maintenance-overrun", Warning;
    /// A resolved incident opened again.
    REOPENED = "reopened", Note;
    /// `resolved_at` far from the first final update.
    RESOLVED_AT_MISMATCH = "resolved-at-mismatch", Warning;
    /// Two updates of one incident in the same minute.
    SAME_TIME_UPDATES = "same-time-updates", Note;
    /// An ongoing incident that has not told an audience it affects what to do, past `advice_within`.
    AUDIENCE_NO_ADVICE = "audience-no-advice", Warning;
    /// A data breach whose advice leaves out an audience it affects.
    BREACH_ADVICE_GAP = "breach-advice-gap", Warning;
    /// A promised next update moved or taken back after publishing, and no update says so.
    PROMISE_CHANGED = "promise-changed", Warning;
    /// A breach's count of people affected changed after publishing, and no update says so.
    BREACH_COUNT_CHANGED = "breach-count-changed", Warning;
    /// An edit declared a fix of wording that changed a number, time, status or promise.
    WORDING_FIX_REFUSED = "wording-fix-refused", Warning;
}

/// The lint with `code`, if there is one.
pub fn find(code: &str) -> Option<&'static Lint> {
    ALL.iter().find(|l| l.code == code)
}

/// Runs every lint over the model at the views' now; findings sorted by file and position.
pub fn run(model: &Model, views: &Views, locale: &Locale) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, (incident, view)) in model.incidents.iter().zip(&views.incidents).enumerate() {
        if view.phase == Phase::Unpublished {
            continue;
        }
        let reach = &views.reach[index];
        let mut lints = Lints { model, incident, view, reach, now: views.now, locale, found: Vec::new() };
        lints.all(views);
        out.extend(lints.found.into_iter().filter(|d| !incident.allow.iter().any(|a| a.lint == d.code)));
    }
    crate::diagnostic::sort(&mut out);
    out
}

struct Lints<'a> {
    model: &'a Model,
    incident: &'a Incident,
    view: &'a IncidentView,
    /// The indexes of the audiences the incident affects.
    reach: &'a [usize],
    now: Timestamp,
    locale: &'a Locale,
    found: Vec<Diagnostic>,
}

impl<'a> Lints<'a> {
    fn all(&mut self, views: &Views) {
        self.promises();
        self.silence();
        self.first_update();
        self.breach();
        self.postmortem();
        self.action_items(views);
        self.maintenance();
        self.reopened();
        self.resolved_at();
        self.same_time();
        self.translations();
        self.audience_advice();
        self.breach_advice();
        self.corrections();
    }

    /// The audiences the incident affects that the advice shown so far never reaches.
    fn unadvised(&self, shown: usize) -> Vec<&'a crate::model::Audience> {
        let audiences = &self.model.site.audiences;
        let given: Vec<&crate::model::Advice> =
            self.incident.advice_entries().filter(|(u, _)| u.is_none_or(|u| u < shown)).map(|(_, a)| a).collect();
        self.reach
            .iter()
            .map(|a| &audiences[*a])
            .filter(|audience| !given.iter().any(|advice| audience.is_reached_by(advice)))
            .collect()
    }

    /// `audience-no-advice`: with `advice_within` set, an ongoing incident
    /// past it that has told an audience it affects nothing about what to do.
    fn audience_advice(&mut self) {
        let Some(within) = self.model.site.check.advice_within else { return };
        let Some(first) = self.incident.updates.first().filter(|_| self.view.phase == Phase::Active) else { return };
        let since = self.now.duration_since(first.at);
        if since <= within {
            return;
        }
        for audience in self.unadvised(self.view.shown_updates) {
            let message = format!(
                "this incident affects `{}` ({}) and has not told them what to do, {} after the first update",
                audience.id,
                audience.name,
                self.ago(since)
            );
            let hint = format!(
                "add `advice: [{{ for: [{}], body: ... }}]` saying what it means for them and what they should do (or that they need do nothing)",
                audience.id
            );
            self.push(&AUDIENCE_NO_ADVICE, self.incident.title_pos, message, &hint);
        }
    }

    /// `breach-advice-gap`: a data breach with advice that some audience it affects never gets.
    fn breach_advice(&mut self) {
        if self.incident.kind != Kind::DataBreach {
            return;
        }
        let first = self.incident.advice_entries().next().map(|(_, a)| a.pos);
        let pos = first.or(self.incident.breach_pos).unwrap_or(self.incident.title_pos);
        for audience in self.unadvised(self.view.shown_updates) {
            let message = match first {
                Some(_) => format!(
                    "the breach gives advice, but none of it reaches `{}` ({}), whom it affects",
                    audience.id, audience.name
                ),
                None => format!(
                    "the breach affects `{}` ({}) and gives no `advice:` saying what it means for them",
                    audience.id, audience.name
                ),
            };
            let hint = format!(
                "people affected by a breach need to know what to do: add advice `for: [{}]`, or name a component they use",
                audience.id
            );
            self.push(&BREACH_ADVICE_GAP, pos, message, &hint);
        }
    }

    /// Edits after publishing that change what readers hold the company to, unless an
    /// update says so, and wording fixes that changed a fact.
    fn corrections(&mut self) {
        let c = &self.view.corrections;
        let inc = self.incident;
        for (index, earlier) in c.updates.iter().enumerate() {
            for (k, e) in earlier.iter().enumerate() {
                let next = earlier.get(k + 1).map_or(inc.updates[index].next_update_by, |n| n.value.next_update_by);
                if e.value.next_update_by == next {
                    continue;
                }
                let times: Vec<Timestamp> = [e.value.next_update_by, next].into_iter().flatten().collect();
                if self.said_so(e.replaced_at, &|text| times.iter().any(|t| self.mentions_time(text, *t))) {
                    continue;
                }
                let u = &inc.updates[index];
                let was = e.value.next_update_by.map_or_else(|| "none".to_owned(), |t| self.time(t));
                let now = next.map_or_else(|| "none".to_owned(), |t| self.time(t));
                self.push(
                    &PROMISE_CHANGED,
                    u.promise_pos.unwrap_or(u.pos),
                    format!(
                        "the promised next update of the update at {} was changed from {was} to {now} at {}, after it was published",
                        self.time(u.at),
                        self.time(e.replaced_at)
                    ),
                    "readers held you to the first time: post an update saying the promise moved and why, naming the new time",
                );
            }
        }
        let people = &c.people_affected;
        for (k, e) in people.iter().enumerate() {
            let next = people
                .get(k + 1)
                .map_or_else(|| inc.breach.as_ref().and_then(|b| b.people_affected.clone()), |n| n.value.clone());
            let digits = next.as_ref().map(count_digits).unwrap_or_default();
            if self.said_so(e.replaced_at, &|text| !digits.is_empty() && digits_of(text).contains(&digits)) {
                continue;
            }
            let say = |p: &Option<crate::model::PeopleAffected>| match p {
                Some(crate::model::PeopleAffected::Count(n)) => self.locale.count(*n),
                Some(crate::model::PeopleAffected::Words(w)) => format!("\"{w}\""),
                None => "none".to_owned(),
            };
            self.push(
                &BREACH_COUNT_CHANGED,
                inc.breach_pos.unwrap_or(inc.title_pos),
                format!(
                    "`people_affected` was changed from {} to {} at {}, after it was published",
                    say(&e.value),
                    say(&next),
                    self.time(e.replaced_at)
                ),
                "the people affected need to know: post an update giving the new count and what it means for them",
            );
        }
        for refused in &c.refused {
            self.push(
                &WORDING_FIX_REFUSED,
                refused.pos,
                format!(
                    "the edit of {} is marked `{}: typo`, but it changes {}; it is shown as a correction, with the earlier text",
                    self.time(refused.replaced_at),
                    crate::history::TRAILER,
                    refused.what
                ),
                "a wording fix leaves every number, time, status and promise as it was; say what changed in an update instead",
            );
        }
    }

    /// Whether an update dated at or after an edit made at `at` (less the grace period)
    /// has a text that `says`.
    fn said_so(&self, at: Timestamp, says: &dyn Fn(&str) -> bool) -> bool {
        let since = at - self.model.site.corrections.grace;
        self.incident.updates.iter().filter(|u| u.at >= since).any(|u| u.body.0.all().any(says))
    }

    /// Whether `text` names the time of day of `t` in the site's zone, as `14:30` or `14.30`.
    fn mentions_time(&self, text: &str, t: Timestamp) -> bool {
        let zoned = t.to_zoned_datetime(self.model.site.timezone.clone());
        let (h, m) = (zoned.hour(), zoned.minute());
        [format!("{h}:{m:02}"), format!("{h}.{m:02}"), format!("{h:02}:{m:02}"), format!("{h:02}.{m:02}")]
            .iter()
            .any(|written| text.contains(written.as_str()))
    }

    /// A note per language the incident's prose is not (fully) written in.
    fn translations(&mut self) {
        let site = &self.model.site;
        let inc = self.incident;
        for lang in site.languages.iter().skip(1).copied() {
            let mut missing: Vec<String> = Vec::new();
            let mut check = |name: &str, text: Option<&crate::model::Text>| {
                if text.is_some_and(|t| t.translation(lang).is_none()) {
                    missing.push(name.to_owned());
                }
            };
            check("title", Some(&inc.title));
            check("summary", inc.summary.as_ref().map(|m| &m.0));
            let bodies = inc.updates.iter().filter(|u| u.body.0.translation(lang).is_none()).count();
            if let Some(p) = &inc.postmortem {
                for (name, section) in [
                    ("post-mortem summary", &p.summary),
                    ("impact", &p.impact),
                    ("root cause", &p.root_cause),
                    ("resolution", &p.resolution),
                    ("lessons", &p.lessons),
                ] {
                    check(name, section.as_ref().map(|m| &m.0));
                }
            }
            if bodies > 0 {
                missing.push(format!("{bodies} of {} update bodies", inc.updates.len()));
            }
            let advice: Vec<_> = inc.advice_entries().map(|(_, a)| a).collect();
            let untranslated = advice.iter().filter(|a| a.body.0.translation(lang).is_none()).count();
            if untranslated > 0 {
                missing.push(format!("{untranslated} of {} pieces of advice", advice.len()));
            }
            if !missing.is_empty() {
                self.push(
                    &MISSING_TRANSLATION,
                    inc.title_pos,
                    format!(
                        "not written in `{}`: {}; readers see the `{}` text, marked as untranslated",
                        lang.tag(),
                        missing.join(", "),
                        site.language.tag()
                    ),
                    &format!(
                        "write these fields as maps, e.g. `title: {{ {}: ..., {}: ... }}`",
                        site.language.tag(),
                        lang.tag()
                    ),
                );
            }
        }
    }

    fn push(&mut self, lint: &Lint, pos: Pos, message: String, hint: &str) {
        let d = Diagnostic::error(lint.code, &self.incident.file, pos, message).with_level(lint.level).with_hint(hint);
        self.found.push(d);
    }

    fn ago(&self, d: SignedDuration) -> String {
        self.locale.duration(d)
    }

    fn time(&self, ts: Timestamp) -> String {
        let zoned = ts.to_zoned_datetime(self.model.site.timezone.clone());
        self.locale.datetime(&zoned)
    }

    fn is_current(&self) -> bool {
        matches!(self.view.phase, Phase::Active | Phase::InProgress)
    }

    fn promises(&mut self) {
        if !self.is_current() {
            return;
        }
        let soon = self.model.site.check.promise_due_soon;
        for p in self.view.promises.clone() {
            let pos = self.incident.updates[p.update].promise_pos.unwrap_or(self.incident.updates[p.update].pos);
            match p.verdict {
                Verdict::Overdue { by } => self.push(
                    &PROMISE_OVERDUE,
                    pos,
                    format!("the next update was promised by {}; it is {} overdue", self.time(p.due), self.ago(by)),
                    "post an update now, even if there is little news: say what you are doing and when you will post next",
                ),
                Verdict::Pending { left } if left <= soon => self.push(
                    &PROMISE_DUE_SOON,
                    pos,
                    format!("the next update is due by {}, in {}", self.time(p.due), self.ago(left)),
                    "prepare the next update now",
                ),
                _ => {}
            }
        }
    }

    fn silence(&mut self) {
        if self.view.phase != Phase::Active
            || self.view.open_promise().is_some_and(|p| matches!(p.verdict, Verdict::Pending { .. }))
        {
            return;
        }
        let Some(last) = self.incident.updates[..self.view.shown_updates].last() else { return };
        let quiet = self.now.duration_since(last.at);
        let limit = self.model.site.check.max_silence;
        if quiet > limit && !self.view.promises.iter().any(|p| matches!(p.verdict, Verdict::Overdue { .. })) {
            self.push(
                &SILENCE,
                last.pos,
                format!("no update for {} on an ongoing incident, and no next update promised", self.ago(quiet)),
                &format!("readers assume the worst after {}: post an update with `next_update_by`", self.ago(limit)),
            );
        }
    }

    fn first_update(&mut self) {
        let (Some(detected), Some(first)) = (self.incident.detected_at, self.incident.updates.first()) else { return };
        if !self.incident.kind.is_incident() {
            return;
        }
        let after = first.at.duration_since(detected);
        let limit = self.model.site.check.first_update_within;
        if after > limit {
            self.push(
                &LATE_FIRST_UPDATE,
                first.at_pos,
                format!("the first public update came {} after the problem was detected", self.ago(after)),
                &format!("readers should hear within {}; a short \"we are investigating\" is enough", self.ago(limit)),
            );
        }
    }

    fn breach(&mut self) {
        if self.incident.kind != Kind::DataBreach {
            return;
        }
        let Some(breach) = self.incident.breach.as_ref() else { return };
        let pos = self.incident.breach_pos.unwrap_or(self.incident.kind_pos);
        let origin = self.incident.detected_at.unwrap_or(self.incident.started_at);
        let limit = self.model.site.check.breach_notice_within;
        if let Some(first) = self.incident.updates.first()
            && first.at.duration_since(origin) > limit
        {
            let after = first.at.duration_since(origin);
            self.push(
                &BREACH_LATE_NOTICE,
                first.at_pos,
                format!("people affected by this breach first heard {} after it was detected", self.ago(after)),
                &format!("tell people within {}: data-protection law often requires it, and they need time to protect themselves", self.ago(limit)),
            );
        }
        if breach.what_you_should_do.is_none() {
            self.push(
                &BREACH_NO_ADVICE,
                pos,
                "the breach does not say what people should do".into(),
                "add `what_you_should_do:` with concrete steps (change a password, watch for phishing, ...)",
            );
        }
        if breach.people_affected.is_none() {
            self.push(
                &BREACH_NO_COUNT,
                pos,
                "the breach does not say how many people are affected".into(),
                "add `people_affected:`, a number or an honest estimate such as \"about 12,000\"",
            );
        }
    }

    fn postmortem(&mut self) {
        let check = &self.model.site.check;
        if let (Phase::Resolved, Some(end)) = (self.view.phase, self.view.end)
            && needs_postmortem(self.incident)
            && !self.view.postmortem_published
        {
            let due = end + SignedDuration::from_hours(24 * i64::from(check.postmortem_due_days));
            if self.now > due {
                let pos = self
                    .incident
                    .resolved_pos
                    .or(self.incident.updates.last().map(|u| u.pos))
                    .unwrap_or(self.incident.kind_pos);
                self.push(
                    &POSTMORTEM_MISSING,
                    pos,
                    format!(
                        "no post-mortem {} after the end; it was due {} after",
                        self.ago(self.now.duration_since(end)),
                        self.ago(due.duration_since(end))
                    ),
                    "publish a `postmortem:` saying why it happened and what will stop it happening again",
                );
            }
        }
        let Some(p) = self.incident.postmortem.as_ref() else { return };
        if p.root_cause.is_none() || p.action_items.is_empty() {
            let missing = match (p.root_cause.is_none(), p.action_items.is_empty()) {
                (true, true) => "a root cause and action items",
                (true, false) => "a root cause",
                _ => "action items",
            };
            self.push(
                &POSTMORTEM_INCOMPLETE,
                p.pos,
                format!("the post-mortem has no {missing}"),
                "readers want to know why it happened (`root_cause:`) and what will change (`action_items:`)",
            );
        }
    }

    fn action_items(&mut self, views: &Views) {
        let Some(p) = self.incident.postmortem.as_ref() else { return };
        for item in &p.action_items {
            let open = !matches!(item.status, ActionStatus::Done | ActionStatus::Dropped);
            if let Some(due) = item.due.filter(|due| open && views.today > *due) {
                self.push(
                    &ACTION_OVERDUE,
                    item.pos,
                    format!("the action item \"{}\" was due {} and is {}", item.text, self.locale.date(due), item.status.as_str().replace('_', " ")),
                    "finish it, or update its status and due date honestly (`dropped` with a reason is better than silence)",
                );
            }
        }
    }

    fn maintenance(&mut self) {
        let Some(window) = self.incident.scheduled.filter(|_| self.incident.kind == Kind::Maintenance) else { return };
        let announced = self.incident.updates.first().map_or(self.incident.started_at, |u| u.at);
        let notice = window.start.duration_since(announced);
        let days = self.model.site.check.maintenance_notice_days;
        if notice < SignedDuration::from_hours(24 * i64::from(days)) {
            self.push(
                &MAINTENANCE_SHORT_NOTICE,
                self.incident.scheduled_pos.unwrap_or(self.incident.kind_pos),
                format!(
                    "the maintenance was announced only {} before it starts",
                    self.ago(notice.max(SignedDuration::ZERO))
                ),
                &format!("announce planned work at least {days} days ahead so people can prepare"),
            );
        }
        let still = matches!(self.view.status, Some(UpdateStatus::InProgress | UpdateStatus::Verifying));
        if still && self.now > window.end {
            let last =
                self.incident.updates[..self.view.shown_updates].last().map_or(self.incident.kind_pos, |u| u.pos);
            self.push(
                &MAINTENANCE_OVERRUN,
                last,
                format!(
                    "the maintenance is still in progress {} after its window ended",
                    self.ago(self.now.duration_since(window.end))
                ),
                "post an update saying it is completed, or that it overran, why, and until when",
            );
        }
    }

    fn reopened(&mut self) {
        let shown = &self.incident.updates[..self.view.shown_updates];
        for pair in shown.windows(2) {
            let closed = pair[0].status.is_some_and(UpdateStatus::is_final);
            let open = pair[1].status.is_some_and(|s| !s.is_final());
            if closed && open {
                self.push(
                    &REOPENED,
                    pair[1].pos,
                    "this update reopens an incident that was marked resolved".into(),
                    "say in the update why it was reopened: readers who saw \"resolved\" need to know",
                );
            }
        }
    }

    fn same_time(&mut self) {
        let shown = &self.incident.updates[..self.view.shown_updates];
        for pair in shown.windows(2) {
            if pair[1].at.duration_since(pair[0].at) < SignedDuration::from_mins(1) {
                self.push(
                    &SAME_TIME_UPDATES,
                    pair[1].at_pos,
                    "two updates within the same minute; readers see them in the order written".into(),
                    "if one corrects the other, edit it instead; otherwise give each its own time",
                );
            }
        }
    }

    fn resolved_at(&mut self) {
        let (Some(resolved), Some(pos)) = (self.incident.resolved_at, self.incident.resolved_pos) else { return };
        let Some(first_final) = self.incident.updates.iter().find(|u| u.status.is_some_and(UpdateStatus::is_final))
        else {
            return;
        };
        let gap = (first_final.at.duration_since(resolved)).abs();
        if gap > self.model.site.check.resolved_at_tolerance {
            self.push(
                &RESOLVED_AT_MISMATCH,
                pos,
                format!(
                    "`resolved_at` is {} away from the first `{}` update",
                    self.ago(gap),
                    first_final.status.map_or("", |s| s.as_str())
                ),
                "check the date and offset; the page shows `resolved_at` as the end",
            );
        }
    }
}

/// The digits of a count of people, as a number is written without separators.
fn count_digits(people: &crate::model::PeopleAffected) -> String {
    match people {
        crate::model::PeopleAffected::Count(n) => n.to_string(),
        crate::model::PeopleAffected::Words(w) => w.as_str().chars().filter(char::is_ascii_digit).collect(),
    }
}

/// Every number in `text` with the separators people write inside numbers
/// (`12,000`, `12 000`, `12.000`) taken out.
fn digits_of(text: &str) -> Vec<String> {
    let digits = |n: &str| n.chars().filter(|c| c.is_numeric()).collect();
    crate::views::corrections::numbers_in(text).into_iter().map(digits).collect()
}

#[cfg(test)]
mod tests;
