//! One test per validation rule, each asserting the file, line and message.

use std::path::Path;

use serde_saphyr::Spanned;

use super::*;
use crate::input::from_yaml;

const SITE: &str = "title: Acme Status
timezone: Europe/Helsinki
components:
  - { id: api, name: Public API, group: Platform }
  - { id: payments, name: Card payments, group: Platform }
  - { id: web, name: Website }
";

fn site() -> Site {
    let raw: Spanned<RawSite> = from_yaml(SITE, Path::new("site.yaml")).unwrap();
    super::site(&raw, Path::new("site.yaml"), SITE).unwrap()
}

fn site_errors(text: &str) -> Vec<Diagnostic> {
    let raw: Spanned<RawSite> = match from_yaml(text, Path::new("site.yaml")) {
        Ok(raw) => raw,
        Err(d) => return vec![d],
    };
    super::site(&raw, Path::new("site.yaml"), text).err().unwrap_or_default()
}

fn check(text: &str) -> Result<Incident, Vec<Diagnostic>> {
    let file = Path::new("incidents/x.yaml");
    let raw: Spanned<RawIncident> = from_yaml(text, file).map_err(|d| vec![d])?;
    incident(&raw, IncidentId::new("x"), file, text, &site())
}

/// The single error `text` produces: its line and message.
fn error(text: &str) -> (u32, String) {
    let errors = check(text).expect_err("the incident should be refused");
    assert_eq!(errors.len(), 1, "expected exactly one error, got {errors:#?}");
    let e = &errors[0];
    assert_eq!(e.file, Path::new("incidents/x.yaml"));
    (e.pos.line, e.message.clone())
}

const OK: &str = "title: Card payments failing
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: We are investigating.
    next_update_by: 2026-03-14T10:00:00+02:00
";

#[test]
fn a_valid_incident_passes() {
    let inc = check(OK).unwrap();
    assert_eq!(inc.title.as_str(), "Card payments failing");
    assert_eq!(inc.components[0].status, ComponentStatus::PartialOutage, "impact major implies partial outage");
}

#[test]
fn unknown_component_suggests_the_closest() {
    let errors = check(&OK.replace("[payments]", "[paymnts]")).unwrap_err();
    let e = &errors[0];
    assert_eq!((e.pos.line, e.pos.column), (4, 14));
    assert_eq!(e.message, "unknown component `paymnts`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `payments`?"));
    assert_eq!(e.to_string(), "error: unknown component `paymnts` (incidents/x.yaml:4:14); did you mean `payments`?");
}

#[test]
fn component_statuses_must_be_statuspage_words() {
    let (line, message) = error(&OK.replace("[payments]", "{ payments: down }"));
    assert_eq!((line, message.as_str()), (4, "`down` is not a valid component status"));
}

#[test]
fn kind_must_be_known() {
    let (line, message) = error(&OK.replace("kind: outage", "kind: outtage"));
    assert_eq!((line, message.as_str()), (2, "`outtage` is not a valid kind"));
}

#[test]
fn impact_must_be_known() {
    let (line, message) = error(&OK.replace("impact: major", "impact: huge"));
    assert_eq!((line, message.as_str()), (3, "`huge` is not a valid impact"));
}

#[test]
fn impact_is_required_on_incidents() {
    let (line, message) = error(&OK.replace("impact: major\n", ""));
    assert_eq!((line, message.as_str()), (1, "missing field `impact`"));
}

#[test]
fn update_status_must_fit_the_kind() {
    let (line, message) = error(&OK.replace("status: investigating", "status: in_progress"));
    assert_eq!((line, message.as_str()), (8, "`in_progress` is not a valid incident status"));
}

#[test]
fn times_must_parse() {
    let (line, message) = error(&OK.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-13-45 10:00"));
    assert_eq!(line, 5);
    assert!(message.starts_with("`2026-13-45 10:00` is not a valid time"), "{message}");
}

#[test]
fn naive_times_in_a_dst_gap_are_refused() {
    let text = OK
        .replace("2026-03-14T09:31:00+02:00", "2026-03-29 03:30")
        .replace("2026-03-14T10:00:00+02:00", "2026-03-29T05:00:00+03:00");
    let (line, message) = error(&text);
    assert_eq!(line, 7);
    assert!(message.contains("does not exist in the site's time zone"), "{message}");
}

#[test]
fn no_update_before_the_start() {
    let (line, message) =
        error(&OK.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-03-14T09:40:00+02:00"));
    assert_eq!((line, message.as_str()), (7, "this update is before `started_at`"));
}

#[test]
fn resolved_at_not_before_the_start() {
    let text = OK.replace("updates:", "resolved_at: 2026-03-14T08:00:00+02:00\nupdates:");
    let errors = check(&text).unwrap_err();
    assert!(
        errors.iter().any(|e| e.pos.line == 6 && e.message == "`resolved_at` is before `started_at`"),
        "{errors:#?}"
    );
}

#[test]
fn a_promise_must_be_after_its_update() {
    let (line, message) =
        error(&OK.replace("next_update_by: 2026-03-14T10:00:00+02:00", "next_update_by: 2026-03-14T09:00:00+02:00"));
    assert_eq!((line, message.as_str()), (10, "`next_update_by` is not after the update it belongs to"));
}

#[test]
fn no_open_update_after_resolved_at() {
    let text = OK.replace("updates:", "resolved_at: 2026-03-14T09:20:00+02:00\nupdates:");
    let (line, message) = error(&text);
    assert_eq!(
        (line, message.as_str()),
        (8, "an update with status `investigating` comes after `resolved_at`, which ended the incident")
    );
}

#[test]
fn a_final_update_after_resolved_at_is_fine() {
    let text = OK
        .replace("updates:", "resolved_at: 2026-03-14T09:20:00+02:00\nupdates:")
        .replace("status: investigating", "status: resolved");
    assert!(check(&text).is_ok());
}

#[test]
fn maintenance_needs_a_window_pointing_at_kind() {
    let text = "title: Upgrade\nkind: maintenance\nstarted_at: 2026-03-01T10:00:00+02:00\nupdates:\n  - { at: 2026-03-01T10:00:00+02:00, status: scheduled, body: Planned. }\n";
    let (line, message) = error(text);
    assert_eq!((line, message.as_str()), (2, "maintenance needs a `scheduled` window"));
}

#[test]
fn maintenance_must_end_after_it_starts() {
    let text = "title: Upgrade\nkind: maintenance\nstarted_at: 2026-03-01T10:00:00+02:00\nscheduled:\n  start: 2026-03-05T02:00:00+02:00\n  end: 2026-03-05T01:00:00+02:00\nupdates:\n  - { at: 2026-03-01T10:00:00+02:00, status: scheduled, body: Planned. }\n";
    let (line, message) = error(text);
    assert_eq!((line, message.as_str()), (6, "the maintenance window ends before it starts"));
}

#[test]
fn a_breach_block_exactly_for_data_breaches() {
    let (line, message) = error(&OK.replace("kind: outage", "kind: data_breach"));
    assert_eq!((line, message.as_str()), (2, "a data breach needs a `breach` block"));
    let text = OK.replace("updates:", "breach: { people_affected: 10 }\nupdates:");
    let (line, message) = error(&text);
    assert_eq!((line, message.as_str()), (6, "`breach` is only for `kind: data_breach`"));
}

#[test]
fn notices_have_no_status() {
    let text = "title: Retiring v1\nkind: notice\nstarted_at: 2026-03-01T10:00:00+02:00\nupdates:\n  - at: 2026-03-01T10:00:00+02:00\n    status: investigating\n    body: We are retiring v1.\n";
    let (line, message) = error(text);
    assert_eq!((line, message.as_str()), (6, "notice updates have no `status`"));
    let ok = text.replace("    status: investigating\n", "");
    assert!(check(&ok).is_ok());
}

#[test]
fn required_fields_point_at_their_mapping() {
    let (line, message) = error(&OK.replace("title: Card payments failing\n", ""));
    assert_eq!((line, message.as_str()), (1, "missing field `title`"));
    let (line, message) = error(&OK.replace("    body: We are investigating.\n", ""));
    assert_eq!((line, message.as_str()), (7, "missing field `body`"));
    let (line, message) = error(&OK.replace("    status: investigating\n", ""));
    assert_eq!((line, message.as_str()), (7, "missing field `status`"));
}

#[test]
fn unknown_fields_are_errors() {
    let errors = check(&OK.replace("impact: major", "impact: major\nimpcat: major")).unwrap_err();
    assert_eq!(errors[0].pos.line, 4);
    assert!(errors[0].message.contains("unknown field `impcat`"), "{}", errors[0].message);
}

#[test]
fn a_wrong_type_is_located() {
    let errors = check(&OK.replace("title: Card payments failing", "title: [Card, payments]")).unwrap_err();
    assert_eq!(errors[0].pos.line, 1, "{errors:#?}");
}

#[test]
fn every_error_in_a_file_is_reported_at_once() {
    let text = OK
        .replace("kind: outage", "kind: outtage")
        .replace("[payments]", "[paymnts]")
        .replace("2026-03-14T09:31:00+02:00", "soon");
    let errors = check(&text).unwrap_err();
    let lines: Vec<u32> = errors.iter().map(|e| e.pos.line).collect();
    assert!(lines.contains(&2) && lines.contains(&4) && lines.contains(&7), "{errors:#?}");
}

#[test]
fn action_items_need_text_and_a_known_status() {
    let text = format!(
        "{OK}postmortem:\n  action_items:\n    - {{ text: Add a breaker, status: doing }}\n    - {{ status: done }}\n"
    );
    let errors = check(&text).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!((errors[0].pos.line, errors[0].message.as_str()), (13, "`doing` is not a valid action item status"));
    assert_eq!((errors[1].pos.line, errors[1].message.as_str()), (14, "missing field `text`"));
}

#[test]
fn dates_must_be_dates() {
    let text = format!(
        "{OK}postmortem:\n  action_items:\n    - {{ text: Add a breaker, status: planned, due: 2026-02-30 }}\n"
    );
    let (line, message) = error(&text);
    assert_eq!((line, message.as_str()), (13, "`2026-02-30` is not a valid date"));
}

#[test]
fn site_requires_title_timezone_and_components() {
    let errors = site_errors("language: en\n");
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["missing field `title`", "missing field `timezone`", "missing field `components`"]);
}

#[test]
fn site_timezone_must_exist() {
    let errors = site_errors(&SITE.replace("Europe/Helsinki", "Europe/Helsinky"));
    assert_eq!(errors[0].pos.line, 2);
    assert_eq!(errors[0].message, "unknown time zone `Europe/Helsinky`");
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `Europe/Helsinki`?"));
}

#[test]
fn site_urls_must_be_http_or_mailto() {
    let errors = site_errors(&format!("{SITE}links: [ {{ name: Evil, url: \"javascript:alert(1)\" }} ]\n"));
    assert_eq!(errors[0].pos.line, 7);
    assert_eq!(errors[0].message, "`javascript:alert(1)` is not a valid URL here");
    let errors = site_errors(&format!("{SITE}base_url: ftp://status.example/\n"));
    assert_eq!(errors[0].message, "`ftp://status.example/` is not a valid URL here");
}

#[test]
fn site_language_must_be_shipped() {
    let errors = site_errors(&format!("{SITE}language: xx\n"));
    assert_eq!((errors[0].pos.line, errors[0].message.as_str()), (7, "`xx` is not a valid language"));
}

#[test]
fn component_ids_are_slugs_and_unique() {
    let errors = site_errors(&SITE.replace("id: web", "id: Web Site").replace("id: payments", "id: api"));
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["component `api` is declared twice", "`Web Site` is not a valid component id"]);
}
