use super::*;
use crate::testing::{SITE, model, ts};

const OUTAGE: &str = "title: Card payments failing
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: We are investigating.
    next_update_by: 2026-03-14T10:00:00+02:00
  - at: 2026-03-14T09:55:00+02:00
    status: identified
    body: Found it.
  - at: 2026-03-14T10:40:00+02:00
    status: resolved
    body: Fixed.
postmortem:
  published_at: 2026-03-16T12:00:00+02:00
  summary: What happened.
";

const MAINTENANCE: &str = "title: Database upgrade
kind: maintenance
components: [api]
started_at: 2026-03-10T09:00:00+02:00
scheduled: { start: 2026-03-14T22:00:00+02:00, end: 2026-03-15T01:00:00+02:00 }
updates:
  - at: 2026-03-10T09:00:00+02:00
    status: scheduled
    body: We will upgrade the database.
";

fn at(text: &str, incidents: &[(&str, &str)]) -> Vec<Event> {
    let model = model(SITE, incidents);
    let views = crate::views::derive(&model, ts(text));
    derive(&model, &views, ts("2026-01-01T00:00:00Z"))
}

fn keys(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.key.as_str()).collect()
}

#[test]
fn updates_become_events_only_once_shown_with_stable_keys() {
    let early = at("2026-03-14T09:40:00+02:00", &[("x", OUTAGE)]);
    assert_eq!(keys(&early), ["x/update/1773473460", "x/component/payments/1773473460"]);
    assert_eq!(early[0].what, What::Published { update: 0 });
    assert!(matches!(
        early[1].what,
        What::Component { old: ComponentStatus::Operational, new: ComponentStatus::PartialOutage, .. }
    ));
    let later = at("2026-03-14T11:00:00+02:00", &[("x", OUTAGE)]);
    assert_eq!(later[0], early[0], "the same event, with the same key, in a later run");
    let names: Vec<&str> = later.iter().map(|e| e.what.name()).collect();
    assert_eq!(
        names,
        ["incident.published", "component.updated", "incident.updated", "incident.updated", "component.updated"]
    );
}

#[test]
fn a_post_mortem_is_an_event_once_it_is_published() {
    assert!(!keys(&at("2026-03-16T11:59:00+02:00", &[("x", OUTAGE)])).contains(&"x/postmortem"));
    let events = at("2026-03-16T12:00:00+02:00", &[("x", OUTAGE)]);
    let pm = events.iter().find(|e| e.key == "x/postmortem").unwrap();
    assert_eq!(pm.at, ts("2026-03-16T12:00:00+02:00"));
}

#[test]
fn maintenance_starts_and_completes_by_the_clock() {
    let before = at("2026-03-14T21:59:00+02:00", &[("m", MAINTENANCE)]);
    assert_eq!(keys(&before), ["m/update/1773126000"]);
    let during = at("2026-03-14T22:00:00+02:00", &[("m", MAINTENANCE)]);
    assert_eq!(keys(&during)[1..], ["m/started", "m/component/api/1773518400"]);
    let after = at("2026-03-15T02:00:00+02:00", &[("m", MAINTENANCE)]);
    assert!(keys(&after).contains(&"m/completed"), "{:?}", keys(&after));
    let started = MAINTENANCE.to_owned()
        + "  - at: 2026-03-14T21:50:00+02:00\n    status: in_progress\n    body: Starting early.\n";
    let early = at("2026-03-14T22:30:00+02:00", &[("m", &started)]);
    assert!(!keys(&early).contains(&"m/started"), "an update said so first: {:?}", keys(&early));
    let overrun = at("2026-03-15T02:00:00+02:00", &[("m", &started)]);
    assert!(!keys(&overrun).contains(&"m/completed"), "still in progress: {:?}", keys(&overrun));
}

#[test]
fn a_notice_takes_effect_by_the_clock() {
    let notice = "title: v1 retired
kind: notice
started_at: 2026-03-01T09:00:00+02:00
effective_at: 2026-04-01T00:00:00+03:00
updates:
  - at: 2026-03-01T09:00:00+02:00
    body: We retire v1 on 1 April.
";
    assert!(!keys(&at("2026-03-31T23:59:00+03:00", &[("n", notice)])).contains(&"n/effective"));
    assert!(keys(&at("2026-04-01T00:00:00+03:00", &[("n", notice)])).contains(&"n/effective"));
}

#[test]
fn old_events_are_left_out_and_edits_change_the_digest() {
    let model = model(SITE, &[("x", OUTAGE)]);
    let views = crate::views::derive(&model, ts("2026-03-14T11:00:00+02:00"));
    let recent = derive(&model, &views, ts("2026-03-14T10:00:00+02:00"));
    assert_eq!(keys(&recent), ["x/update/1773477600", "x/component/payments/1773477600"]);
    let edited = OUTAGE.replace("Fixed.", "Fixed at 10:38.");
    let model2 = crate::testing::model(SITE, &[("x", &edited)]);
    let again = derive(&model2, &views, ts("2026-03-14T10:00:00+02:00"));
    assert_eq!(again[0].key, recent[0].key);
    assert_ne!(again[0].text, recent[0].text);
}

#[test]
fn reminders_come_from_the_same_findings_as_check_once_per_promise() {
    let ongoing = "title: API slow
kind: degraded
impact: minor
components: [api]
started_at: 2026-03-14T09:00:00+02:00
updates:
  - at: 2026-03-14T09:10:00+02:00
    status: investigating
    body: Looking.
    next_update_by: 2026-03-14T09:40:00+02:00
";
    let model = model(SITE, &[("s", ongoing)]);
    let locale = crate::theme::Theme::builtin_locale("en").unwrap();
    let remind = |now: &str| {
        let views = crate::views::derive(&model, ts(now));
        let findings = crate::lint::run(&model, &views, &locale);
        reminders(&model, &findings, ts("2026-01-01T00:00:00Z"))
    };
    assert!(remind("2026-03-14T09:20:00+02:00").is_empty());
    let soon = remind("2026-03-14T09:35:00+02:00");
    assert_eq!(keys(&soon), ["s/remind/promise-due-soon/1773472200"]);
    assert_eq!(soon[0].at, ts("2026-03-14T09:30:00+02:00"));
    let overdue = remind("2026-03-14T09:45:00+02:00");
    assert_eq!(keys(&overdue), ["s/remind/promise-overdue/1773472200"]);
}

#[test]
fn silence_is_a_reminder_once_per_latest_update() {
    let quiet = "title: API slow
kind: degraded
impact: minor
components: [api]
started_at: 2026-03-14T09:00:00+02:00
updates:
  - at: 2026-03-14T09:10:00+02:00
    status: investigating
    body: Looking.
";
    let model = model(SITE, &[("q", quiet)]);
    let locale = crate::theme::Theme::builtin_locale("en").unwrap();
    let views = crate::views::derive(&model, ts("2026-03-14T10:15:00+02:00"));
    let found = reminders(&model, &crate::lint::run(&model, &views, &locale), ts("2026-01-01T00:00:00Z"));
    assert_eq!(keys(&found), ["q/remind/silence/1773472200"]);
    assert_eq!(found[0].at, ts("2026-03-14T10:10:00+02:00"));
}

#[test]
fn channel_filters_choose_by_component_kind_and_impact() {
    use crate::model::{ComponentId, Filter, Impact, Kind};
    let model = model(SITE, &[("x", OUTAGE), ("m", MAINTENANCE)]);
    let find = |id: &str| model.incidents.iter().find(|i| i.id.as_str() == id).unwrap();
    let (outage, maintenance) = (find("x"), find("m"));
    let payments = Filter { components: vec![ComponentId::new("payments")], ..Filter::default() };
    assert!(payments.admits(outage) && !payments.admits(maintenance));
    let critical = Filter { min_impact: Some(Impact::Critical), ..Filter::default() };
    assert!(!critical.admits(outage) && critical.admits(maintenance), "maintenance is chosen by kind only");
    let outages = Filter { kinds: vec![Kind::Outage], ..Filter::default() };
    assert!(outages.admits(outage) && !outages.admits(maintenance));
}
