//! Each lint with a case that triggers it and one that does not.

use super::*;
use crate::testing::{SITE, model, ts};

fn findings(text: &str, now: &str) -> Vec<(String, Level, u32)> {
    findings_with(SITE, text, now)
}

fn findings_with(site: &str, text: &str, now: &str) -> Vec<(String, Level, u32)> {
    let m = model(site, &[("x", text)]);
    let views = crate::views::derive(&m, ts(now));
    let locale = crate::theme::Theme::builtin_locale("en").unwrap();
    run(&m, &views, &locale).into_iter().map(|d| (d.code.to_owned(), d.level, d.pos.line)).collect()
}

fn codes(found: &[(String, Level, u32)]) -> Vec<&str> {
    found.iter().map(|(c, _, _)| c.as_str()).collect()
}

/// An outage on payments from 10:00, detected 10:02, with one update at 10:05 promising 10:30.
const ACTIVE: &str = "title: Payments down
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T10:00:00+02:00
detected_at: 2026-03-14T10:02:00+02:00
updates:
  - at: 2026-03-14T10:05:00+02:00
    status: investigating
    body: Looking.
    next_update_by: 2026-03-14T10:30:00+02:00
";

#[test]
fn a_promise_overdue_is_a_warning_at_the_promise() {
    let found = findings(ACTIVE, "2026-03-14T10:45:00+02:00");
    assert_eq!(found, vec![("promise-overdue".to_owned(), Level::Warning, 11)]);
    assert!(findings(ACTIVE, "2026-03-14T10:15:00+02:00").is_empty(), "a promise still ahead is fine");
}

#[test]
fn a_promise_due_within_ten_minutes_is_a_note() {
    assert_eq!(findings(ACTIVE, "2026-03-14T10:25:00+02:00"), vec![("promise-due-soon".to_owned(), Level::Note, 11)]);
}

#[test]
fn silence_without_a_promise_is_a_warning() {
    let silent = ACTIVE.replace("    next_update_by: 2026-03-14T10:30:00+02:00\n", "");
    assert_eq!(codes(&findings(&silent, "2026-03-14T11:10:00+02:00")), ["silence"]);
    assert!(findings(&silent, "2026-03-14T10:55:00+02:00").is_empty(), "under an hour is fine");
    let configured = format!("{SITE}check: {{ max_silence: 30m }}\n");
    assert_eq!(codes(&findings_with(&configured, &silent, "2026-03-14T10:40:00+02:00")), ["silence"]);
}

#[test]
fn a_late_first_update_is_a_warning() {
    let late = ACTIVE.replace("detected_at: 2026-03-14T10:02:00+02:00", "detected_at: 2026-03-14T09:20:00+02:00");
    assert_eq!(findings(&late, "2026-03-14T10:15:00+02:00"), vec![("late-first-update".to_owned(), Level::Warning, 8)]);
}

const BREACH: &str = "title: Data exposed
kind: data_breach
impact: major
started_at: 2026-03-01T10:00:00+02:00
detected_at: 2026-03-01T10:00:00+02:00
resolved_at: 2026-03-02T10:00:00+02:00
breach:
  data_affected: [email addresses]
  people_affected: 120
  what_you_should_do: Change your password.
updates:
  - { at: 2026-03-01T10:20:00+02:00, status: identified, body: We found it. }
  - { at: 2026-03-02T10:00:00+02:00, status: resolved, body: Closed. }
postmortem:
  published_at: 2026-03-05T10:00:00+02:00
  root_cause: A test database was public.
  action_items:
    - { text: Remove real data from tests, status: done, due: 2026-03-20 }
";

#[test]
fn breaches_need_advice_a_count_and_prompt_notice() {
    assert!(findings(BREACH, "2026-03-10T10:00:00+02:00").is_empty());
    let bare = BREACH.replace("  people_affected: 120\n  what_you_should_do: Change your password.\n", "");
    let found = findings(&bare, "2026-03-10T10:00:00+02:00");
    assert_eq!(codes(&found), ["breach-no-count", "breach-no-advice"]);
    assert_eq!(found[0].2, 8, "at the start of the breach block");
    let late = BREACH
        .replace("2026-03-01T10:20:00+02:00, status: identified", "2026-03-04T12:00:00+02:00, status: identified")
        .replace("resolved_at: 2026-03-02T10:00:00+02:00", "resolved_at: 2026-03-05T10:00:00+02:00")
        .replace("2026-03-02T10:00:00+02:00, status: resolved", "2026-03-05T10:00:00+02:00, status: resolved");
    assert_eq!(codes(&findings(&late, "2026-03-10T10:00:00+02:00")), ["breach-late-notice", "late-first-update"]);
}

#[test]
fn a_major_incident_owes_a_postmortem_after_seven_days() {
    let resolved = format!("{ACTIVE}  - {{ at: 2026-03-14T10:20:00+02:00, status: resolved, body: Fixed. }}\n");
    assert!(findings(&resolved, "2026-03-20T10:00:00+02:00").is_empty(), "not yet due");
    assert_eq!(codes(&findings(&resolved, "2026-03-22T10:00:00+02:00")), ["postmortem-missing"]);
    let minor = resolved.replace("impact: major", "impact: minor");
    assert!(findings(&minor, "2026-03-22T10:00:00+02:00").is_empty(), "minor incidents owe none");
    let allowed =
        format!("{resolved}allow:\n  - {{ lint: postmortem-missing, reason: Published on our engineering blog. }}\n");
    assert!(findings(&allowed, "2026-03-22T10:00:00+02:00").is_empty(), "silenced with a reason");
}

#[test]
fn a_postmortem_needs_a_root_cause_and_action_items() {
    let thin = BREACH.replace("  root_cause: A test database was public.\n", "");
    assert_eq!(codes(&findings(&thin, "2026-03-10T10:00:00+02:00")), ["postmortem-incomplete"]);
}

#[test]
fn an_open_action_item_past_due_is_a_warning() {
    let open = BREACH.replace("status: done, due: 2026-03-20", "status: in_progress, due: 2026-03-20");
    assert!(findings(&open, "2026-03-20T23:00:00+02:00").is_empty(), "due today is not yet late");
    assert_eq!(findings(&open, "2026-03-21T09:00:00+02:00"), vec![("action-overdue".to_owned(), Level::Warning, 18)]);
}

const MAINTENANCE: &str = "title: Upgrade
kind: maintenance
components: [api]
started_at: 2026-03-01T10:00:00+02:00
scheduled: { start: 2026-03-05T02:00:00+02:00, end: 2026-03-05T04:00:00+02:00 }
updates:
  - { at: 2026-03-01T10:00:00+02:00, status: scheduled, body: Planned. }
";

#[test]
fn maintenance_needs_notice_and_must_not_overrun_silently() {
    assert!(findings(MAINTENANCE, "2026-03-02T10:00:00+02:00").is_empty());
    let short = MAINTENANCE.replace("2026-03-01T10:00:00+02:00", "2026-03-04T10:00:00+02:00");
    assert_eq!(
        findings(&short, "2026-03-04T11:00:00+02:00"),
        vec![("maintenance-short-notice".to_owned(), Level::Warning, 5)]
    );
    let running =
        format!("{MAINTENANCE}  - {{ at: 2026-03-05T02:00:00+02:00, status: in_progress, body: Started. }}\n");
    assert!(findings(&running, "2026-03-05T03:00:00+02:00").is_empty());
    assert_eq!(codes(&findings(&running, "2026-03-05T04:30:00+02:00")), ["maintenance-overrun"]);
}

#[test]
fn a_reopened_incident_asks_for_a_reason() {
    let reopened = format!(
        "{ACTIVE}  - {{ at: 2026-03-14T10:20:00+02:00, status: resolved, body: Fixed. }}\n  - {{ at: 2026-03-14T10:40:00+02:00, status: investigating, body: It is back. }}\n"
    );
    assert_eq!(findings(&reopened, "2026-03-14T10:45:00+02:00"), vec![("reopened".to_owned(), Level::Note, 13)]);
}

#[test]
fn resolved_at_far_from_the_resolved_update_is_a_warning() {
    let resolved = format!("{ACTIVE}  - {{ at: 2026-03-14T12:20:00+02:00, status: resolved, body: Fixed. }}\n")
        .replace("updates:", "resolved_at: 2026-03-14T11:00:00+02:00\nupdates:")
        .replace("impact: major", "impact: minor");
    assert_eq!(
        findings(&resolved, "2026-03-15T10:00:00+02:00"),
        vec![("resolved-at-mismatch".to_owned(), Level::Warning, 7)]
    );
    let close = resolved.replace("resolved_at: 2026-03-14T11:00:00+02:00", "resolved_at: 2026-03-14T12:00:00+02:00");
    assert!(findings(&close, "2026-03-15T10:00:00+02:00").is_empty());
}

#[test]
fn the_readme_lists_every_lint_with_its_level() {
    let readme = include_str!("../../README.md");
    let section = readme.split("## Communication lints").nth(1).expect("the README has a lints section");
    let rows: Vec<(String, String)> = section
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((code.to_owned(), (*cells.get(2)?).to_owned()))
        })
        .collect();
    let declared: Vec<(String, String)> =
        ALL.iter().map(|l| (l.code.to_owned(), l.level.as_str().to_owned())).collect();
    let mut sorted = (rows.clone(), declared.clone());
    sorted.0.sort();
    sorted.1.sort();
    assert_eq!(sorted.0, sorted.1, "the README's lint table and the declared lints differ");
}

/// The test site with two audiences and `advice_within` set.
fn audience_site(check: &str) -> String {
    format!(
        "{SITE}audiences:\n  - {{ id: shops, name: Online shops, components: [payments] }}\n  - {{ id: sites, name: Website owners, components: [web] }}\n{check}"
    )
}

#[test]
fn an_affected_audience_left_without_advice_is_a_warning_past_the_threshold() {
    let site = audience_site("check: { advice_within: 15m }\n");
    let active = ACTIVE.replace("    next_update_by: 2026-03-14T10:30:00+02:00\n", "");
    let found = findings_with(&site, &active, "2026-03-14T10:25:00+02:00");
    assert_eq!(codes(&found), ["audience-no-advice"], "only `shops` depends on payments");
    assert_eq!(found[0].2, 1, "at the title");
    assert!(findings_with(&site, &active, "2026-03-14T10:15:00+02:00").is_empty(), "within 15 minutes is fine");
    let unset = audience_site("");
    assert!(findings_with(&unset, &active, "2026-03-14T10:25:00+02:00").is_empty(), "off unless asked for");
    let advised = active.replace("updates:", "advice:\n  - { for: [payments], body: Pay by bank transfer. }\nupdates:");
    assert!(findings_with(&site, &advised, "2026-03-14T10:25:00+02:00").is_empty(), "component advice reaches them");
    let resolved = format!("{active}  - {{ at: 2026-03-14T10:20:00+02:00, status: resolved, body: Fixed. }}\n");
    assert!(findings_with(&site, &resolved, "2026-03-14T10:25:00+02:00").is_empty(), "only ongoing incidents");
    let everyone = active.replace("components: [payments]", "components: []");
    assert_eq!(codes(&findings_with(&site, &everyone, "2026-03-14T10:25:00+02:00")), ["audience-no-advice"; 2]);
}

#[test]
fn breach_advice_that_misses_an_affected_audience_is_a_warning() {
    let site = audience_site("");
    let breach = BREACH.replace("impact: major\n", "impact: major\ncomponents: [payments, web]\n");
    let none = findings_with(&site, &breach, "2026-03-10T10:00:00+02:00");
    assert_eq!(codes(&none), ["breach-advice-gap"; 2], "no advice reaches nobody: {none:?}");
    let partial = breach.replace("updates:", "advice:\n  - { for: [shops], body: Watch your statements. }\nupdates:");
    let found = findings_with(&site, &partial, "2026-03-10T10:00:00+02:00");
    assert_eq!(codes(&found), ["breach-advice-gap"], "{found:?}");
    assert_eq!(found[0].2, 13, "at the first advice");
    let full = partial.replace("for: [shops]", "for: [shops, sites]");
    assert!(findings_with(&site, &full, "2026-03-10T10:00:00+02:00").is_empty());
}

#[test]
fn advice_not_written_in_every_language_is_noted_with_the_rest() {
    let site = audience_site("languages: [en, fi]\n");
    let advised = BREACH.replace(
        "updates:",
        "advice:\n  - { for: [shops], body: { en: Watch your statements., fi: Seuraa tiliotteitasi. } }\n  - { for: [sites], body: Reset the password. }\nupdates:",
    );
    let m = model(&site, &[("x", &advised)]);
    let views = crate::views::derive(&m, ts("2026-03-10T10:00:00+02:00"));
    let locale = crate::theme::Theme::builtin_locale("en").unwrap();
    let found = run(&m, &views, &locale);
    let note = found.iter().find(|d| d.code == "missing-translation").expect("a note");
    assert!(note.message.contains("1 of 2 pieces of advice"), "{}", note.message);
}
