//! Derivation rules: status, end, duration, promises, component status, indicator, uptime.

use jiff::SignedDuration;

use super::*;
use crate::model::{ComponentStatus, Impact, UpdateStatus};
use crate::testing::{SITE, model, ts};

/// An outage on payments (major impact) from 10:00 with updates at the given times.
fn outage(updates: &str, extra: &str) -> String {
    format!(
        "title: Payments down\nkind: outage\nimpact: major\ncomponents: [payments]\nstarted_at: 2026-03-14T10:00:00+02:00\n{extra}updates:\n{updates}"
    )
}

const INVESTIGATING_PROMISE_1030: &str = "  - { at: 2026-03-14T10:05:00+02:00, status: investigating, body: Looking., next_update_by: 2026-03-14T10:30:00+02:00 }\n";

fn one(text: &str, now: &str) -> (Model, Views) {
    let m = model(SITE, &[("x", text)]);
    let v = derive(&m, ts(now));
    (m, v)
}

#[test]
fn an_open_incident_is_active_and_sets_component_status() {
    let (m, v) = one(&outage(INVESTIGATING_PROMISE_1030, ""), "2026-03-14T10:20:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::Active);
    assert_eq!(v.incidents[0].status, Some(UpdateStatus::Investigating));
    assert_eq!(v.incidents[0].duration, Some(SignedDuration::from_mins(20)));
    let payments = m.site.components.iter().position(|c| c.id.as_str() == "payments").unwrap();
    assert_eq!(v.components[payments].status, ComponentStatus::PartialOutage);
    assert_eq!(v.components[0].status, ComponentStatus::Operational);
    // One component of three in partial outage: a minor outage for the page, by the blend rule.
    assert_eq!(v.indicator, Indicator::Minor);
}

#[test]
fn updates_after_now_are_not_shown_yet() {
    let updates = format!(
        "{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:25:00+02:00, status: resolved, body: Fixed. }}\n"
    );
    let (_, v) = one(&outage(&updates, ""), "2026-03-14T10:20:00+02:00");
    assert_eq!(v.incidents[0].shown_updates, 1);
    assert_eq!(v.incidents[0].phase, Phase::Active);
    let (_, v) = one(&outage(&updates, ""), "2026-03-14T10:00:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::Unpublished);
}

#[test]
fn a_final_update_ends_the_incident() {
    let updates = format!(
        "{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:25:00+02:00, status: resolved, body: Fixed. }}\n"
    );
    let (_, v) = one(&outage(&updates, ""), "2026-03-15T10:00:00+02:00");
    let view = &v.incidents[0];
    assert_eq!(view.phase, Phase::Resolved);
    assert_eq!(view.end, Some(ts("2026-03-14T10:25:00+02:00")));
    assert_eq!(view.duration, Some(SignedDuration::from_mins(25)));
    assert_eq!(v.indicator, Indicator::None);
}

#[test]
fn resolved_at_wins_over_the_final_update() {
    let updates = format!(
        "{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:25:00+02:00, status: resolved, body: Fixed. }}\n"
    );
    let (_, v) = one(&outage(&updates, "resolved_at: 2026-03-14T10:21:00+02:00\n"), "2026-03-15T10:00:00+02:00");
    assert_eq!(v.incidents[0].end, Some(ts("2026-03-14T10:21:00+02:00")));
}

#[test]
fn promise_kept_when_the_next_update_is_on_time_even_to_the_second() {
    let updates = format!(
        "{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:30:00+02:00, status: identified, body: Found it. }}\n"
    );
    let (_, v) = one(&outage(&updates, ""), "2026-03-14T11:00:00+02:00");
    assert_eq!(v.incidents[0].promises[0].verdict, Verdict::Kept);
}

#[test]
fn promise_broken_when_the_next_update_is_late() {
    let updates = format!(
        "{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:42:00+02:00, status: identified, body: Sorry. }}\n"
    );
    let (_, v) = one(&outage(&updates, ""), "2026-03-14T11:00:00+02:00");
    assert_eq!(v.incidents[0].promises[0].verdict, Verdict::Broken { late: SignedDuration::from_mins(12) });
}

#[test]
fn promise_pending_then_overdue_while_nothing_follows() {
    let (_, v) = one(&outage(INVESTIGATING_PROMISE_1030, ""), "2026-03-14T10:20:00+02:00");
    assert_eq!(v.incidents[0].promises[0].verdict, Verdict::Pending { left: SignedDuration::from_mins(10) });
    let (_, v) = one(&outage(INVESTIGATING_PROMISE_1030, ""), "2026-03-14T10:45:00+02:00");
    assert_eq!(v.incidents[0].promises[0].verdict, Verdict::Overdue { by: SignedDuration::from_mins(15) });
}

#[test]
fn promise_kept_when_the_incident_ends_in_time() {
    let (_, v) = one(
        &outage(INVESTIGATING_PROMISE_1030, "resolved_at: 2026-03-14T10:20:00+02:00\n"),
        "2026-03-14T12:00:00+02:00",
    );
    assert_eq!(v.incidents[0].promises[0].verdict, Verdict::Kept);
}

#[test]
fn a_promise_on_the_final_update_does_not_count() {
    let updates = "  - { at: 2026-03-14T10:05:00+02:00, status: resolved, body: Fixed., next_update_by: 2026-03-14T10:30:00+02:00 }\n";
    let (_, v) = one(&outage(updates, ""), "2026-03-14T12:00:00+02:00");
    assert!(v.incidents[0].promises.is_empty());
}

const MAINTENANCE: &str = "title: Upgrade\nkind: maintenance\ncomponents: [api]\nstarted_at: 2026-03-01T10:00:00+02:00\nscheduled: { start: 2026-03-05T02:00:00+02:00, end: 2026-03-05T04:00:00+02:00 }\nupdates:\n  - { at: 2026-03-01T10:00:00+02:00, status: scheduled, body: Planned. }\n";

#[test]
fn maintenance_is_upcoming_then_in_progress_then_over() {
    let (_, v) = one(MAINTENANCE, "2026-03-04T12:00:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::Upcoming);
    assert_eq!(v.indicator, Indicator::None);
    let (_, v) = one(MAINTENANCE, "2026-03-05T03:00:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::InProgress);
    assert_eq!(v.components[0].status, ComponentStatus::UnderMaintenance);
    assert_eq!(v.indicator, Indicator::Maintenance);
    let (_, v) = one(MAINTENANCE, "2026-03-05T05:00:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::Completed);
    assert_eq!(v.components[0].status, ComponentStatus::Operational);
}

#[test]
fn maintenance_stays_in_progress_while_its_update_says_so() {
    let text = format!("{MAINTENANCE}  - {{ at: 2026-03-05T03:50:00+02:00, status: verifying, body: Checking. }}\n");
    let (_, v) = one(&text, "2026-03-05T04:30:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::InProgress);
}

#[test]
fn maintenance_duration_runs_from_in_progress_to_completed() {
    let text = format!(
        "{MAINTENANCE}  - {{ at: 2026-03-05T02:05:00+02:00, status: in_progress, body: Started. }}\n  - {{ at: 2026-03-05T03:15:00+02:00, status: completed, body: Done. }}\n"
    );
    let (_, v) = one(&text, "2026-03-06T00:00:00+02:00");
    assert_eq!(v.incidents[0].duration, Some(SignedDuration::from_mins(70)));
}

#[test]
fn notices_show_until_two_weeks_after_they_take_effect() {
    let text = "title: v1 retires\nkind: notice\nstarted_at: 2026-03-01T10:00:00+02:00\neffective_at: 2026-03-10T10:00:00+02:00\nupdates:\n  - { at: 2026-03-01T10:00:00+02:00, body: v1 retires. }\n";
    let (_, v) = one(text, "2026-03-24T09:00:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::Announced);
    let (_, v) = one(text, "2026-03-24T11:00:00+02:00");
    assert_eq!(v.incidents[0].phase, Phase::Expired);
}

#[test]
fn the_worst_status_wins_on_a_component() {
    let a = outage(INVESTIGATING_PROMISE_1030, "").replace("[payments]", "{ payments: degraded_performance }");
    let b = outage(INVESTIGATING_PROMISE_1030, "").replace("[payments]", "{ payments: major_outage }");
    let m = model(SITE, &[("a", &a), ("b", &b)]);
    let v = derive(&m, ts("2026-03-14T10:20:00+02:00"));
    assert_eq!(v.components[1].status, ComponentStatus::MajorOutage);
    // One component of three down: a partial outage for the page, not a major one.
    assert_eq!(v.indicator, Indicator::Major);
}

#[test]
fn uptime_counts_major_fully_and_partial_at_thirty_percent() {
    // A two-hour major outage and a ten-hour partial outage on one day, resolved.
    let major = "title: Down\nkind: outage\nimpact: critical\ncomponents: [payments]\nstarted_at: 2026-03-14T10:00:00+02:00\nresolved_at: 2026-03-14T12:00:00+02:00\nupdates:\n  - { at: 2026-03-14T12:00:00+02:00, status: resolved, body: Fixed. }\n";
    let partial = major.replace("impact: critical", "impact: major").replace("12:00:00", "22:00:00");
    let m = model(SITE, &[("a", major), ("b", &partial)]);
    let v = derive(&m, ts("2026-03-15T00:00:00+02:00"));
    let day = v.components[1].days.iter().find(|d| d.date == jiff::civil::date(2026, 3, 14)).unwrap();
    assert_eq!(day.worst, ComponentStatus::MajorOutage);
    assert_eq!(day.total_minutes, 1440);
    // Overlap 10-12 counts once, as major: 120 + 0.3 * 600.
    assert!((day.downtime_minutes - 300.0).abs() < 1e-6, "{}", day.downtime_minutes);
    assert_eq!(day.affected_minutes, 720);
    assert!((day.uptime() - (100.0 * (1.0 - 300.0 / 1440.0))).abs() < 1e-9);
    let window_minutes: i64 = v.components[1].days.iter().map(|d| d.total_minutes).sum();
    let expected = 100.0 * (1.0 - 300.0 / window_minutes as f64);
    assert!((v.components[1].uptime - expected).abs() < 1e-9);
    assert_eq!(v.components[0].uptime, 100.0);
}

#[test]
fn history_days_follow_the_site_zone_and_dst() {
    let m = model(SITE, &[]);
    let v = derive(&m, ts("2026-03-30T12:00:00+03:00"));
    let days = &v.components[0].days;
    assert_eq!(days.len(), 90);
    assert_eq!(days.last().unwrap().date, jiff::civil::date(2026, 3, 30));
    assert_eq!(days.last().unwrap().total_minutes, 12 * 60, "today counts up to now");
    let dst = days.iter().find(|d| d.date == jiff::civil::date(2026, 3, 29)).unwrap();
    assert_eq!(dst.total_minutes, 23 * 60, "the day clocks spring forward has 23 hours");
}

#[test]
fn the_next_change_is_the_nearest_deadline_window_or_midnight() {
    let next = |m: &Model, now: &str| next_change(m, &derive(m, ts(now)));
    let m = model(SITE, &[("x", &outage(INVESTIGATING_PROMISE_1030, ""))]);
    assert_eq!(next(&m, "2026-03-14T10:20:00+02:00"), ts("2026-03-14T10:30:00+02:00"), "the promise falls due");
    assert_eq!(next(&m, "2026-03-14T10:40:00+02:00"), ts("2026-03-15T00:00:00+02:00"), "then midnight");
    let maintenance = model(SITE, &[("m", MAINTENANCE)]);
    assert_eq!(next(&maintenance, "2026-03-05T01:00:00+02:00"), ts("2026-03-05T02:00:00+02:00"), "the window opens");
    assert_eq!(next(&maintenance, "2026-03-05T03:00:00+02:00"), ts("2026-03-05T04:00:00+02:00"), "and closes");
    let kept =
        format!("{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:10:00+02:00, status: resolved, body: Done. }}\n");
    let done = model(SITE, &[("x", &outage(&kept, ""))]);
    assert_eq!(
        next(&done, "2026-03-14T10:20:00+02:00"),
        ts("2026-03-15T00:00:00+02:00"),
        "a kept promise is no deadline"
    );
}

#[test]
fn the_track_record_matches_hand_computed_figures() {
    let a = "title: A\nkind: outage\nimpact: major\ncomponents: [payments]\nstarted_at: 2026-03-14T10:00:00+02:00\ndetected_at: 2026-03-14T10:05:00+02:00\nupdates:\n  - { at: 2026-03-14T10:15:00+02:00, status: investigating, body: a, next_update_by: 2026-03-14T10:45:00+02:00 }\n  - { at: 2026-03-14T10:40:00+02:00, status: identified, body: b, next_update_by: 2026-03-14T11:00:00+02:00 }\n  - { at: 2026-03-14T11:20:00+02:00, status: resolved, body: c }\n";
    let b = "title: B\nkind: degraded\nimpact: minor\ncomponents: [web]\nstarted_at: 2026-03-10T09:00:00+02:00\nupdates:\n  - { at: 2026-03-10T09:30:00+02:00, status: investigating, body: a }\n  - { at: 2026-03-10T10:30:00+02:00, status: resolved, body: b }\n";
    let c = "title: C\nkind: outage\nimpact: critical\ncomponents: [api]\nstarted_at: 2026-03-12T08:00:00+02:00\nupdates:\n  - { at: 2026-03-12T08:04:00+02:00, status: investigating, body: a }\n  - { at: 2026-03-12T09:00:00+02:00, status: resolved, body: b }\npostmortem:\n  published_at: 2026-03-13T12:00:00+02:00\n  root_cause: x\n  action_items:\n    - { text: on time, status: done, due: 2026-03-20, done_at: 2026-03-18 }\n    - { text: late, status: planned, due: 2026-03-14 }\n    - { text: dropped, status: dropped, due: 2026-03-14 }\n    - { text: future, status: planned, due: 2026-04-30 }\n";
    let m = model(SITE, &[("a", a), ("b", b), ("c", c)]);
    let v = derive(&m, ts("2026-03-21T12:00:00+02:00"));
    let ia = m.incidents.iter().position(|i| i.id.as_str() == "a").unwrap();
    let ra = &v.records[ia];
    assert_eq!(ra.first_update_after, Some(SignedDuration::from_mins(10)), "from detection");
    assert_eq!(ra.updates, 3);
    assert_eq!(ra.longest_silence, Some(SignedDuration::from_mins(40)));
    assert_eq!((ra.promises.kept, ra.promises.broken), (1, 1));
    let t = &v.track_window;
    assert_eq!(t.incidents, 3);
    assert_eq!(t.median_first_update, Some(SignedDuration::from_mins(10)), "median of 4, 10 and 30 minutes");
    assert_eq!((t.promises_kept.yes, t.promises_kept.of), (1, 2));
    assert_eq!((t.postmortems.yes, t.postmortems.of), (1, 2), "the critical one has one, the major one none");
    assert_eq!((t.actions_on_time.yes, t.actions_on_time.of), (1, 2), "dropped and not-yet-due items are not counted");
    assert_eq!(
        t.median_resolution,
        vec![
            (Impact::Minor, SignedDuration::from_mins(90)),
            (Impact::Major, SignedDuration::from_mins(80)),
            (Impact::Critical, SignedDuration::from_mins(60)),
        ]
    );
    assert_eq!(v.track_years.len(), 1);
    assert_eq!(v.track_years[0].0, 2026);
    assert_eq!(v.track_years[0].1, *t);
}

#[test]
fn medians_of_even_counts_average_the_middle_two() {
    use crate::views::record::median;
    let mins = |m: i64| SignedDuration::from_mins(m);
    assert_eq!(median(vec![mins(10), mins(40), mins(20), mins(30)]), Some(mins(25)));
    assert_eq!(median(Vec::new()), None);
}

#[test]
fn deriving_again_after_an_edit_in_place_matches_deriving_everything() {
    let other = outage(INVESTIGATING_PROMISE_1030, "").replace("payments", "api").replace("10:00", "09:00");
    let before = model(SITE, &[("x", &outage(INVESTIGATING_PROMISE_1030, "")), ("y", &other)]);
    let now = ts("2026-03-14T10:40:00+02:00");
    let mut views = derive(&before, now);
    let resolved = format!(
        "{INVESTIGATING_PROMISE_1030}  - {{ at: 2026-03-14T10:35:00+02:00, status: resolved, body: Fixed. }}\n"
    );
    let after = model(SITE, &[("x", &outage(&resolved, "")), ("y", &other)]);
    let edited = after.incidents.iter().position(|i| i.id.as_str() == "x").unwrap();
    rederive(&after, &mut views, &[edited]);
    assert_eq!(format!("{views:?}"), format!("{:?}", derive(&after, now)));
    assert_ne!(format!("{views:?}"), format!("{:?}", derive(&before, now)), "the edit changed the views");
}

#[test]
fn the_headline_follows_statuspages_blend_rule() {
    use crate::model::ComponentStatus as S;
    use crate::views::{Headline as H, blend};
    let many = |s: S, n: usize, rest: S, m: usize| -> Vec<S> {
        std::iter::repeat_n(s, n).chain(std::iter::repeat_n(rest, m)).collect()
    };
    let cases: [(Vec<S>, H); 14] = [
        (vec![], H::AllOperational),
        (vec![S::Operational], H::AllOperational),
        (vec![S::UnderMaintenance], H::Maintenance),
        (vec![S::DegradedPerformance], H::PartiallyDegraded),
        (vec![S::PartialOutage], H::PartialOutage),
        (vec![S::MajorOutage], H::MajorOutage),
        (many(S::MajorOutage, 3, S::Operational, 0), H::MajorOutage),
        (many(S::MajorOutage, 1, S::Operational, 10), H::PartialOutage),
        (many(S::PartialOutage, 4, S::Operational, 0), H::PartialOutage),
        (many(S::PartialOutage, 1, S::Operational, 3), H::MinorOutage),
        (many(S::DegradedPerformance, 5, S::Operational, 0), H::DegradedSystem),
        (many(S::DegradedPerformance, 2, S::UnderMaintenance, 3), H::PartiallyDegraded),
        (many(S::UnderMaintenance, 1, S::Operational, 4), H::Maintenance),
        (many(S::MajorOutage, 1, S::PartialOutage, 10), H::PartialOutage),
    ];
    for (statuses, expected) in cases {
        assert_eq!(blend(&statuses), expected, "{statuses:?}");
    }
    assert_eq!(H::PartialOutage.indicator().as_str(), "major");
    assert_eq!(H::MinorOutage.indicator().as_str(), "minor");
    assert_eq!(H::DegradedSystem.indicator().as_str(), "minor");
}

#[test]
fn a_breach_is_not_an_outage_but_an_outage_naming_no_component_counts() {
    let breach = "title: Leak\nkind: data_breach\nimpact: critical\ncomponents: [payments]\nstarted_at: 2026-03-14T09:00:00+02:00\nbreach: { people_affected: 3 }\nupdates:\n  - { at: 2026-03-14T09:30:00+02:00, status: investigating, body: Looking. }\n";
    let m = model(SITE, &[("leak", breach)]);
    let v = derive(&m, ts("2026-03-14T10:00:00+02:00"));
    assert_eq!(v.headline, crate::views::Headline::AllOperational, "a breach is not an outage");
    let outage = breach
        .replace("kind: data_breach", "kind: outage")
        .replace("components: [payments]\n", "")
        .replace("breach: { people_affected: 3 }\n", "");
    let m = model(SITE, &[("down", &outage)]);
    let v = derive(&m, ts("2026-03-14T10:00:00+02:00"));
    assert_eq!(v.headline, crate::views::Headline::MajorOutage, "an outage with no component still speaks");
}
