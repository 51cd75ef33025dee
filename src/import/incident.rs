//! One imported item as an incident file: its timeline settled so candor's
//! rules hold, its bodies made safe ([`super::body`]), its promises
//! recognised when asked ([`super::promises`]), and its text written with
//! [`crate::yaml`] so every value reads back as it was.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::{Item, Moment, SourceUpdate, body, promises};
use crate::model::{ComponentStatus, Kind, Site, UpdateStatus, clean};
use crate::yaml::{block_value, scalar};

/// A promise recognised in an update's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inferred {
    /// When the update was published.
    pub at: Moment,
    /// The deadline it promised.
    pub by: Moment,
    /// The sentence that promised it.
    pub sentence: String,
}

/// An incident file ready to be checked and written.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The source's name for it.
    pub key: String,
    /// Its id.
    pub id: String,
    /// Its path relative to the site root.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
    /// Its kind.
    pub kind: Kind,
    /// How many updates it has.
    pub updates: usize,
    /// Whether it has a published post-mortem.
    pub postmortem: bool,
    /// The promises recognised in its updates.
    pub promises: Vec<Inferred>,
    /// What could not be carried across exactly.
    pub notes: Vec<String>,
    /// Its old addresses.
    pub aliases: Vec<String>,
}

/// What every draft needs.
pub struct Context<'a> {
    /// The site it is written for.
    pub site: &'a Site,
    /// Component key to id.
    pub components: &'a HashMap<String, String>,
    /// Where times in prose without a zone are read.
    pub zone: &'a TimeZone,
    /// Whether to recognise promises.
    pub infer_promises: bool,
    /// The tool's name, for the first comment.
    pub tool: &'a str,
    /// Whether the site has `schemas/`, for the editor comment.
    pub schema: bool,
}

/// Makes `item` follow candor's rules, noting each change: updates in time
/// order, at least one, each with a status of its kind's vocabulary and a
/// body; `started_at` no later than the first update; `resolved_at` after
/// the start and no earlier than any update that is not final; maintenance
/// with a window that ends after it starts.
pub fn settle(item: &mut Item) {
    item.updates.sort_by_key(|u| u.at.at);
    if item.updates.is_empty() {
        let status = match item.kind {
            Kind::Notice => None,
            Kind::Maintenance => Some(UpdateStatus::Scheduled),
            _ => Some(UpdateStatus::Investigating),
        };
        item.updates.push(SourceUpdate { at: item.started_at, status, body: item.title.clone() });
        item.notes.push("it had no updates; its title is the text of one at its start".to_owned());
    }
    statuses(item);
    for u in &mut item.updates {
        if u.body.trim().is_empty() {
            u.body = u.status.map_or("Update", status_word).to_owned();
            item.notes.push(format!("the update at {} had no text; its status is its text", u.at));
        }
    }
    let first = item.updates[0].at;
    if first.at < item.started_at.at {
        item.notes.push(format!("it started at {} but has an update at {first}; it starts then", item.started_at));
        item.started_at = first;
    }
    if let Some(end) = item.resolved_at.filter(|end| end.at < item.started_at.at) {
        item.notes.push(format!("it ended at {end}, before it started; the end is left out"));
        item.resolved_at = None;
    }
    let last_open = item
        .updates
        .iter()
        .filter(|u| !u.status.is_some_and(UpdateStatus::is_final))
        .map(|u| u.at)
        .max_by_key(|m| m.at);
    if let (Some(end), Some(open)) = (item.resolved_at, last_open)
        && open.at > end.at
    {
        item.notes.push(format!("it ended at {end} but an update that is not final came at {open}; it ends then"));
        item.resolved_at = Some(open);
    }
    if item.kind == Kind::Maintenance {
        window(item);
    }
}

/// Every update's status in the vocabulary of the item's kind.
fn statuses(item: &mut Item) {
    let allowed: &[UpdateStatus] = match item.kind {
        Kind::Notice => &[],
        Kind::Maintenance => &UpdateStatus::MAINTENANCE,
        _ => &UpdateStatus::INCIDENT,
    };
    let mut previous: Option<UpdateStatus> = None;
    for u in &mut item.updates {
        let fits = u.status.is_none_or(|s| allowed.contains(&s)) && (u.status.is_some() != allowed.is_empty());
        if !fits {
            let now = if allowed.is_empty() {
                None
            } else {
                Some(u.status.and_then(|s| counterpart(s, allowed)).or(previous).unwrap_or(allowed[0]))
            };
            let was = u.status.map_or("none", UpdateStatus::as_str);
            let became = now.map_or("none", UpdateStatus::as_str);
            item.notes.push(format!("the update at {} had the status `{was}`; it is `{became}`", u.at));
            u.status = now;
        }
        previous = u.status;
    }
}

/// The status of the other vocabulary at the same step.
fn counterpart(status: UpdateStatus, allowed: &[UpdateStatus]) -> Option<UpdateStatus> {
    let step = UpdateStatus::INCIDENT
        .iter()
        .position(|s| *s == status)
        .or_else(|| UpdateStatus::MAINTENANCE.iter().position(|s| *s == status))?;
    allowed.get(step).copied()
}

/// The word a status is shown with, for an update that has no text.
pub fn status_word(status: UpdateStatus) -> &'static str {
    match status {
        UpdateStatus::Investigating => "Investigating",
        UpdateStatus::Identified => "Identified",
        UpdateStatus::Monitoring => "Monitoring",
        UpdateStatus::Resolved => "Resolved",
        UpdateStatus::Scheduled => "Scheduled",
        UpdateStatus::InProgress => "In progress",
        UpdateStatus::Verifying => "Verifying",
        UpdateStatus::Completed => "Completed",
    }
}

/// A window for maintenance that lacks one, or whose end is not after its start.
fn window(item: &mut Item) {
    let start_of = |item: &Item| {
        item.updates.iter().find(|u| u.status == Some(UpdateStatus::InProgress)).map_or(item.started_at, |u| u.at)
    };
    let (start, end) = match item.window {
        Some(w) => w,
        None => {
            let start = start_of(item);
            let end = item.resolved_at.or_else(|| item.updates.last().map(|u| u.at)).unwrap_or(start);
            item.notes.push(format!("it had no maintenance window; it is {start} to {end}, from its updates"));
            (start, end)
        }
    };
    let end = if end.at > start.at {
        end
    } else {
        let hour = Moment::new(start.at + SignedDuration::from_hours(1), start.offset);
        item.notes.push(format!(
            "its window ended at {end}, not after its start at {start}; it ends an hour after the start"
        ));
        hour
    };
    item.window = Some((start, end));
}

/// The file for a settled `item`, as incident `id`.
pub fn draft(item: &Item, id: &str, cx: &Context<'_>) -> Draft {
    let mut notes = item.notes.clone();
    let year = item.started_at.at.to_zoned_datetime(cx.site.timezone.clone()).year();
    let file = PathBuf::from(crate::load::INCIDENTS_DIR).join(year.to_string()).join(format!("{id}.yaml"));
    let mut t = String::new();
    if cx.schema {
        let _ = writeln!(
            t,
            "# yaml-language-server: $schema=../../{}/{}",
            crate::schema::DIR,
            crate::schema::INCIDENT_FILE
        );
    }
    let _ = writeln!(t, "# Imported from {}: {}.", cx.tool, comment_text(&item.key));
    let cleaned = clean(&item.title);
    if cleaned != item.title {
        notes.push("its title: control or text-direction characters removed".to_owned());
    }
    let title = if cleaned.trim().is_empty() {
        notes.push("it had no title; it is called \"Untitled\"".to_owned());
        "Untitled"
    } else {
        &cleaned
    };
    let _ = writeln!(t, "title: {}", scalar(title));
    let _ = writeln!(t, "kind: {}", scalar(item.kind.as_str()));
    if item.kind.is_incident() {
        let _ = writeln!(t, "impact: {}", scalar(item.impact.as_str()));
    }
    t.push_str(&components(item, cx, &mut notes));
    let _ = writeln!(t, "started_at: {}", scalar(&item.started_at.text()));
    if let Some(end) = item.resolved_at {
        let _ = writeln!(t, "resolved_at: {}", scalar(&end.text()));
    }
    if !item.aliases.is_empty() {
        let list: Vec<String> = item.aliases.iter().map(|a| scalar(a)).collect();
        let _ = writeln!(t, "aliases: [{}]", list.join(", "));
    }
    if let Some((start, end)) = item.window {
        let _ = writeln!(t, "scheduled:\n  start: {}\n  end: {}", scalar(&start.text()), scalar(&end.text()));
    }
    if let Some(summary) = &item.summary {
        t.push_str(&format!("summary:{}", block_value(&converted(summary, "the summary", &mut notes), 0)));
    }
    t.push_str("updates:\n");
    let mut promises = Vec::new();
    for u in &item.updates {
        t.push_str(&update(u, item.kind, cx, &mut notes, &mut promises));
    }
    match &item.postmortem {
        Some((text, Some(at))) => {
            let _ = writeln!(t, "postmortem:\n  published_at: {}", scalar(&at.text()));
            t.push_str(&format!("  summary:{}", block_value(&converted(text, "the post-mortem", &mut notes), 2)));
        }
        Some((text, None)) => {
            // candor shows a post-mortem without `published_at` at once; a draft stays out of sight.
            notes.push("its post-mortem was never published; its text is kept in the file as a comment".to_owned());
            t.push_str("# A draft post-mortem, never published; kept here, not shown:\n");
            for line in text.lines() {
                let _ = writeln!(t, "#   {}", comment_text(line));
            }
        }
        None => {}
    }
    Draft {
        key: item.key.clone(),
        id: id.to_owned(),
        file,
        text: t,
        kind: item.kind,
        updates: item.updates.len(),
        postmortem: item.postmortem.as_ref().is_some_and(|(_, published)| published.is_some()),
        promises,
        notes,
        aliases: item.aliases.clone(),
    }
}

/// `components:` as a list when every status is the one the impact implies, else as a map.
fn components(item: &Item, cx: &Context<'_>, notes: &mut Vec<String>) -> String {
    let implied = match item.kind {
        Kind::Maintenance => ComponentStatus::UnderMaintenance,
        _ => item.impact.implied_status(),
    };
    let mut known: Vec<(&str, ComponentStatus)> = Vec::new();
    for (key, status) in &item.components {
        match cx.components.get(key) {
            Some(id) if !known.iter().any(|(k, _)| k == id) => known.push((id, status.unwrap_or(implied))),
            Some(_) => {}
            None => notes.push(format!("it affected `{key}`, which is not among the page's components; left out")),
        }
    }
    if known.is_empty() {
        return "components: []\n".to_owned();
    }
    if known.iter().all(|(_, s)| *s == implied) {
        let ids: Vec<String> = known.iter().map(|(id, _)| scalar(id)).collect();
        return format!("components: [{}]\n", ids.join(", "));
    }
    let mut t = "components:\n".to_owned();
    for (id, status) in known {
        let _ = writeln!(t, "  {}: {}", scalar(id), scalar(status.as_str()));
    }
    t
}

/// One update's lines, with its recognised promise and the comment quoting it.
fn update(
    u: &SourceUpdate,
    kind: Kind,
    cx: &Context<'_>,
    notes: &mut Vec<String>,
    found: &mut Vec<Inferred>,
) -> String {
    let mut t = format!("  - at: {}\n", scalar(&u.at.text()));
    if let Some(status) = u.status {
        let _ = writeln!(t, "    status: {}", scalar(status.as_str()));
    }
    let text = converted(&u.body, &format!("the update at {}", u.at), notes);
    t.push_str(&format!("    body:{}", block_value(&text, 4)));
    let can_promise = kind != Kind::Notice && !u.status.is_some_and(UpdateStatus::is_final);
    if cx.infer_promises
        && can_promise
        && let Some(promise) = promises::recognise(&text, u.at.at, cx.zone)
    {
        let by = Moment::new(promise.by, offset_at(cx.zone, promise.by));
        let _ = writeln!(t, "    # next_update_by inferred from the text: \"{}\"", comment_text(&promise.sentence));
        let _ = writeln!(t, "    next_update_by: {}", scalar(&by.text()));
        found.push(Inferred { at: u.at, by, sentence: promise.sentence });
    }
    t
}

fn offset_at(zone: &TimeZone, at: Timestamp) -> jiff::tz::Offset {
    zone.to_offset(at)
}

/// `text` made safe to render, noting what changed.
fn converted(text: &str, what: &str, notes: &mut Vec<String>) -> String {
    let c = body::convert(text);
    for change in c.changes {
        notes.push(format!("{what}: {change}"));
    }
    c.text
}

/// `text` on one line, for a YAML comment: no line breaks, no hidden characters.
fn comment_text(text: &str) -> String {
    let one_line: String = clean(text)
        .chars()
        .map(|c| if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') { ' ' } else { c })
        .collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Impact;

    fn at(text: &str) -> Moment {
        Moment::parse(text, &TimeZone::UTC).unwrap().0
    }

    fn item(kind: Kind, updates: &[(&str, Option<UpdateStatus>, &str)]) -> Item {
        Item {
            key: "x".into(),
            aliases: Vec::new(),
            title: "Title".into(),
            kind,
            impact: Impact::Minor,
            components: Vec::new(),
            started_at: at("2026-03-14T10:00:00Z"),
            resolved_at: None,
            window: None,
            summary: None,
            updates: updates
                .iter()
                .map(|(t, status, body)| SourceUpdate { at: at(t), status: *status, body: (*body).into() })
                .collect(),
            postmortem: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn settling_orders_updates_and_makes_times_agree_noting_each_change() {
        use UpdateStatus::*;
        let mut i = item(
            Kind::Outage,
            &[
                ("2026-03-14T11:00:00Z", Some(Resolved), "Fixed."),
                ("2026-03-14T09:50:00Z", Some(Investigating), " "),
                ("2026-03-14T10:30:00Z", Some(InProgress), "Work."),
            ],
        );
        i.resolved_at = Some(at("2026-03-14T10:20:00Z"));
        settle(&mut i);
        let got: Vec<(String, Option<UpdateStatus>, &str)> =
            i.updates.iter().map(|u| (u.at.text(), u.status, u.body.as_str())).collect();
        assert_eq!(
            got,
            [
                ("2026-03-14T09:50:00+00:00".into(), Some(Investigating), "Investigating"),
                ("2026-03-14T10:30:00+00:00".into(), Some(Identified), "Work."),
                ("2026-03-14T11:00:00+00:00".into(), Some(Resolved), "Fixed."),
            ]
        );
        assert_eq!(i.started_at, at("2026-03-14T09:50:00Z"));
        assert_eq!(i.resolved_at, Some(at("2026-03-14T10:30:00Z")), "no update that is not final after the end");
        assert_eq!(i.notes.len(), 4, "{:#?}", i.notes);
    }

    #[test]
    fn maintenance_gets_a_window_and_notices_lose_statuses() {
        let mut m = item(Kind::Maintenance, &[("2026-03-14T10:00:00Z", Some(UpdateStatus::Scheduled), "Planned.")]);
        settle(&mut m);
        let (start, end) = m.window.unwrap();
        assert_eq!(
            (start.text(), end.text()),
            ("2026-03-14T10:00:00+00:00".into(), "2026-03-14T11:00:00+00:00".into())
        );
        let mut n = item(Kind::Notice, &[("2026-03-14T10:00:00Z", Some(UpdateStatus::Resolved), "Retiring v1.")]);
        settle(&mut n);
        assert_eq!(n.updates[0].status, None);
        let mut empty = item(Kind::Degraded, &[]);
        settle(&mut empty);
        assert_eq!((empty.updates.len(), empty.updates[0].body.as_str()), (1, "Title"));
    }
}
