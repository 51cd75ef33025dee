//! `new` and `update` on real files, including the texts that broke them.

use super::*;
use crate::testing::{SITE, model, ts};

const FILE: &str = "# The card payment outage of 14 March.
title: Card payments failing   # keep it short
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00

updates:
  # Newest last.
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: |
      We are investigating.

postmortem:
  summary: Later.
";

fn site() -> Site {
    model(SITE, &[]).site
}

fn update(status: UpdateStatus, at: &str, body: &str) -> NewUpdate {
    NewUpdate { status: Some(status), at: ts(at), next_update_by: None, body: body.into() }
}

fn appended(text: &str, u: &NewUpdate) -> Result<String, String> {
    let raw: Spanned<RawIncident> = from_yaml(text, Path::new("x.yaml")).unwrap();
    append_update(text, &raw, u, &site())
}

/// The incident `text` describes, validated.
fn read(text: &str) -> crate::model::Incident {
    let raw: Spanned<RawIncident> = from_yaml(text, Path::new("x.yaml")).unwrap_or_else(|d| panic!("{d}\n{text}"));
    validate::incident(&raw, IncidentId::new("x"), Path::new("x.yaml"), text, &site())
        .unwrap_or_else(|d| panic!("{d:?}\n{text}"))
}

#[test]
fn appends_and_keeps_comments_order_and_formatting() {
    let u = NewUpdate {
        next_update_by: Some(ts("2026-03-14T10:30:00+02:00")),
        ..update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Found it.\n\n- a list\n")
    };
    let edited = appended(FILE, &u).unwrap();
    let expected = FILE.replace(
        "      We are investigating.\n",
        "      We are investigating.\n  - at: 2026-03-14T10:00:00+02:00\n    status: identified\n    body: |\n      Found it.\n\n      - a list\n    next_update_by: 2026-03-14T10:30:00+02:00\n",
    );
    assert_eq!(edited, expected);
    let inc = read(&edited);
    assert_eq!(inc.updates.len(), 2);
    assert_eq!(inc.updates[1].body.source(), "Found it.\n\n- a list");
}

#[test]
fn resolving_sets_the_end() {
    let edited = appended(FILE, &update(UpdateStatus::Resolved, "2026-03-14T11:00:00+02:00", "Fixed.")).unwrap();
    assert!(
        edited.contains("started_at: 2026-03-14T09:12:00+02:00\nresolved_at: 2026-03-14T11:00:00+02:00\n"),
        "{edited}"
    );
    let again =
        appended(&edited, &update(UpdateStatus::Resolved, "2026-03-14T12:00:00+02:00", "Really fixed.")).unwrap();
    assert_eq!(again.matches("resolved_at:").count(), 1);
    assert!(again.contains("resolved_at: 2026-03-14T12:00:00+02:00\n"));
}

#[test]
fn works_with_lists_at_the_key_indentation() {
    let text = "title: x\nkind: outage\nimpact: minor\nstarted_at: 2026-03-14T09:12:00+02:00\nupdates:\n- at: 2026-03-14T09:31:00+02:00\n  status: investigating\n  body: Looking.\n";
    let edited = appended(text, &update(UpdateStatus::Monitoring, "2026-03-14T10:00:00+02:00", "Watching.")).unwrap();
    assert!(
        edited.ends_with(
            "  body: Looking.\n- at: 2026-03-14T10:00:00+02:00\n  status: monitoring\n  body: |-\n    Watching.\n"
        ),
        "{edited}"
    );
}

#[test]
fn a_last_line_that_looks_like_a_comment_stays_in_its_update() {
    let text =
        FILE.replace("      We are investigating.\n", "      We are investigating.\n      # Next steps\n      #1234\n");
    for next in [None, Some(ts("2026-03-14T10:30:00+02:00"))] {
        let u = NewUpdate {
            next_update_by: next,
            ..update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Found.")
        };
        let inc = read(&appended(&text, &u).unwrap());
        assert_eq!(inc.updates[0].body.source(), "We are investigating.\n# Next steps\n#1234");
        assert_eq!(inc.updates[1].body.source(), "Found.");
        assert_eq!(inc.updates[1].next_update_by, next);
    }
}

#[test]
fn a_quoted_title_holding_an_updates_line_is_left_alone() {
    let text = FILE.replace(
        "title: Card payments failing   # keep it short\n",
        "title: \"Card payments\n  updates:\n  failing\"\n",
    );
    let edited = appended(&text, &update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Found.")).unwrap();
    let inc = read(&edited);
    assert_eq!(inc.title.as_str(), "Card payments updates: failing");
    assert_eq!(inc.updates.len(), 2);
}

#[test]
fn text_that_looks_like_yaml_stays_text() {
    for body in [
        "Looking into it.\rresolved_at: 2026-03-14T09:40:00+02:00\rsummary: injected",
        "    cargo build\nfailed",
        "\tpasted log\n\tmore",
        "- at: 2026-03-14T09:40:00+02:00\n  status: resolved",
        "ends with blank lines\n\n\n",
        "\"quoted\" and 'single' and: colon # hash",
    ] {
        let edited = appended(FILE, &update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", body)).unwrap();
        let inc = read(&edited);
        assert_eq!(inc.updates.len(), 2, "{body:?}\n{edited}");
        assert_eq!(inc.updates[1].body.source(), yaml::normalise_breaks(body).trim_end(), "{body:?}");
        assert!(inc.resolved_at.is_none() && inc.summary.is_none(), "{body:?}");
    }
}

#[test]
fn keep_chomped_text_before_the_end_is_not_changed() {
    let text =
        FILE.replace("    body: |\n      We are investigating.\n", "    body: |+\n      We are investigating.\n");
    let inc = read(&appended(&text, &update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Found.")).unwrap());
    assert_eq!(inc.updates.len(), 2);
}

#[test]
fn flow_items_and_maps_by_language() {
    let text = "title: x\nkind: outage\nimpact: minor\nstarted_at: 2026-03-14T09:12:00+02:00\nupdates:\n  - { at: 2026-03-14T09:31:00+02:00, status: investigating, body: Looking. }   # first\npostmortem:\n  summary: Later.\n";
    let inc = read(&appended(text, &update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Found.")).unwrap());
    assert_eq!(inc.updates.len(), 2);
    assert!(inc.postmortem.is_some());
}

#[test]
fn refuses_an_update_that_would_not_validate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    std::fs::create_dir(dir.path().join("incidents")).unwrap();
    let path = dir.path().join("incidents/x.yaml");
    std::fs::write(&path, FILE).unwrap();
    let before_start = update(UpdateStatus::Identified, "2026-03-14T08:00:00+02:00", "Too early.");
    assert!(matches!(append(dir.path(), &site(), "x", &before_start), Err(AuthorError::Invalid(_))));
    let wrong_vocabulary = update(UpdateStatus::InProgress, "2026-03-14T10:00:00+02:00", "Maintenance word.");
    assert!(matches!(append(dir.path(), &site(), "x", &wrong_vocabulary), Err(AuthorError::Invalid(_))));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE, "the file is unchanged");
    assert!(matches!(append(dir.path(), &site(), "y", &before_start), Err(AuthorError::Usage(_))));
    let Err(AuthorError::Usage(message)) = append(dir.path(), &site(), "incidents/x.yaml", &before_start) else {
        panic!("a path is not an id")
    };
    assert!(message.contains("`x`"), "{message}");
}

#[test]
fn without_a_status_the_current_one_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    std::fs::create_dir(dir.path().join("incidents")).unwrap();
    std::fs::write(dir.path().join("incidents/x.yaml"), FILE).unwrap();
    let u = NewUpdate { status: None, ..update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Still on it.") };
    append(dir.path(), &site(), "x", &u).unwrap();
    let inc = read(&std::fs::read_to_string(dir.path().join("incidents/x.yaml")).unwrap());
    assert_eq!(inc.updates[1].status, Some(UpdateStatus::Investigating));
    let promised = NewUpdate {
        next_update_by: Some(ts("2026-03-14T12:00:00+02:00")),
        ..update(UpdateStatus::Resolved, "2026-03-14T11:00:00+02:00", "Fixed.")
    };
    assert!(
        matches!(append(dir.path(), &site(), "x", &promised), Err(AuthorError::Usage(_))),
        "resolved promises nothing"
    );
}

fn new_incident(kind: Kind) -> NewIncident {
    NewIncident {
        title: "Payments: failing at checkout".into(),
        kind,
        impact: None,
        components: vec!["payments".into()],
        started_at: ts("2026-03-14T09:12:00+02:00"),
        detected_at: None,
        first_update_at: ts("2026-03-14T09:20:00+02:00"),
        body: "Card payments fail for some people.".into(),
        next_update_by: Some(ts("2026-03-14T09:50:00+02:00")),
        window: (kind == Kind::Maintenance).then(|| (ts("2026-03-20T22:00:00+02:00"), ts("2026-03-21T01:00:00+02:00"))),
    }
}

#[test]
fn new_incidents_validate_for_every_kind_and_get_unique_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    for kind in Kind::ALL {
        create(dir.path(), &site(), &new_incident(kind)).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
    }
    let model = load::model(dir.path(), None).expect("every new file validates");
    let mut ids: Vec<&str> = model.incidents.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids[0], "2026-03-14-payments-failing-at-checkout");
    assert_eq!(ids.len(), 6);
    assert!(ids.contains(&"2026-03-14-payments-failing-at-checkout-6"));
    let outage = model.incidents.iter().find(|i| i.kind == Kind::Outage).unwrap();
    assert_eq!(outage.started_at, ts("2026-03-14T09:12:00+02:00"));
    assert_eq!(outage.updates[0].at, ts("2026-03-14T09:20:00+02:00"), "the first update is at now, not at the start");
    let breach = model.incidents.iter().find(|i| i.kind == Kind::DataBreach).unwrap();
    assert_eq!(breach.components[0].status, crate::model::ComponentStatus::Operational, "a breach is not an outage");
}

#[test]
fn new_refuses_what_it_cannot_write_truthfully() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    let no_window = NewIncident { window: None, ..new_incident(Kind::Maintenance) };
    assert!(matches!(create(dir.path(), &site(), &no_window), Err(AuthorError::Usage(_))));
    let injected = NewIncident { components: vec!["payments]\nresolved_at: x".into()], ..new_incident(Kind::Outage) };
    assert!(matches!(create(dir.path(), &site(), &injected), Err(AuthorError::Usage(_))));
    let typo = NewIncident { components: vec!["paymnts".into()], ..new_incident(Kind::Outage) };
    let Err(AuthorError::Usage(message)) = create(dir.path(), &site(), &typo) else { panic!() };
    assert!(message.contains("did you mean `payments`"), "{message}");
    let written = dir.path().join("incidents").read_dir().map_or(0, |d| d.count());
    assert_eq!(written, 0, "nothing was written");
}

#[test]
fn titles_yaml_would_read_as_something_else_are_quoted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    for title in ["Payments down:", ".inf", ".NaN", "0x1F", "0o17", "yes", "- dash", "#1234", "@here", "[x]"] {
        let new = NewIncident { title: title.into(), ..new_incident(Kind::Outage) };
        create(dir.path(), &site(), &new).unwrap_or_else(|e| panic!("{title}: {e:?}"));
    }
    let model = load::model(dir.path(), None).expect("every title reads back");
    let mut titles: Vec<&str> = model.incidents.iter().map(|i| i.title.as_str()).collect();
    titles.sort_unstable();
    let mut expected = vec!["Payments down:", ".inf", ".NaN", "0x1F", "0o17", "yes", "- dash", "#1234", "@here", "[x]"];
    expected.sort_unstable();
    assert_eq!(titles, expected);
}

#[test]
fn a_placeholder_is_written_but_never_published() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    let new = NewIncident { body: placeholder(Kind::Outage).into(), ..new_incident(Kind::Outage) };
    create(dir.path(), &site(), &new).unwrap();
    let errors = load::model(dir.path(), None).expect_err("a placeholder does not validate");
    assert_eq!(errors[0].code, validate::PLACEHOLDER);
    assert!(errors[0].pos.line > 0, "located: {:?}", errors[0]);
}

#[test]
fn slugs() {
    assert_eq!(slugify("Payments: failing at checkout!"), "payments-failing-at-checkout");
    assert_eq!(slugify("Häiriö maksuissa"), "hairio-maksuissa");
    assert_eq!(slugify("???"), "incident");
}

#[test]
fn next_update_takes_durations_clock_times_or_times() {
    let s = site();
    let at = ts("2026-03-14T09:00:00+02:00");
    assert_eq!(next_update("30m", at, &s).unwrap(), ts("2026-03-14T09:30:00+02:00"));
    assert_eq!(next_update("+30m", at, &s).unwrap(), ts("2026-03-14T09:30:00+02:00"));
    assert_eq!(next_update("1h30m", at, &s).unwrap(), ts("2026-03-14T10:30:00+02:00"));
    assert_eq!(next_update("13:00", at, &s).unwrap(), ts("2026-03-14T13:00:00+02:00"), "today");
    assert_eq!(next_update("08:30", at, &s).unwrap(), ts("2026-03-15T08:30:00+02:00"), "tomorrow when passed");
    assert_eq!(next_update("2026-03-14 11:00", at, &s).unwrap(), ts("2026-03-14T11:00:00+02:00"));
    assert!(next_update("soon", at, &s).is_err());
    assert!(next_update("-30m", at, &s).is_err());
}

#[test]
fn a_time_of_day_for_what_already_happened_is_the_last_one() {
    let s = site();
    let now = ts("2026-03-14T09:00:00+02:00");
    assert_eq!(past_time("08:30", now, &s).unwrap(), ts("2026-03-14T08:30:00+02:00"));
    assert_eq!(past_time("23:10", now, &s).unwrap(), ts("2026-03-13T23:10:00+02:00"), "yesterday");
    assert_eq!(past_time("2026-03-12 10:00", now, &s).unwrap(), ts("2026-03-12T10:00:00+02:00"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// What the `update` fuzz target checks, on random text: the new update's body reads back as
    /// given, the previous update keeps every line, and nothing else changes.
    #[test]
    fn any_text_becomes_exactly_the_new_body(text in proptest::prelude::any::<String>()) {
        let u = update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", &text);
        let edited = appended(FILE, &u).map_err(proptest::test_runner::TestCaseError::fail)?;
        let read: serde_json::Value = serde_saphyr::from_str(&edited).unwrap();
        let updates = read["updates"].as_array().unwrap();
        proptest::prop_assert_eq!(updates.len(), 2);
        proptest::prop_assert_eq!(&updates[1]["body"], &serde_json::Value::from(yaml::normalise_breaks(&text)));
        proptest::prop_assert_eq!(&updates[0]["body"], &serde_json::Value::from("We are investigating.\n"));
    }
}
