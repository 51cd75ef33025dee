//! `candor new` and `candor update` as an author in a crisis uses them: what
//! they write into the file, and what the page then says.

mod common;

use std::fs;
use std::path::Path;

use common::{candor, site, stderr};

/// Runs `candor ARGS --root ROOT` and returns standard output, asserting success.
fn ok(root: &Path, args: &[&str]) -> String {
    let out = candor(&[args, &["--root", root.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Runs `candor ARGS --root ROOT`, asserting exit status 1, and returns standard error.
fn refused(root: &Path, args: &[&str]) -> String {
    let out = candor(&[args, &["--root", root.to_str().unwrap()]].concat());
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail: {}", stderr(&out));
    stderr(&out)
}

fn read(root: &Path, rel: &str) -> serde_json::Value {
    serde_saphyr::from_str(&fs::read_to_string(root.join(rel)).unwrap()).unwrap()
}

fn built_page(root: &Path, now: &str, page: &str) -> String {
    let out = root.join("public");
    let result = candor(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", now]);
    assert!(result.status.success(), "{}", stderr(&result));
    fs::read_to_string(out.join(page)).unwrap()
}

#[test]
fn new_at_says_when_it_started_and_publishes_the_first_update_now() {
    let dir = site(&[]);
    let file = ok(
        dir.path(),
        &[
            "new",
            "Card payments failing",
            "Some payments fail.",
            "--components",
            "payments",
            "--at",
            "09:12",
            "--now",
            "2026-03-14 09:40",
        ],
    );
    let inc = read(dir.path(), &file);
    assert_eq!(inc["started_at"], "2026-03-14T09:12:00+02:00");
    assert_eq!(inc["detected_at"], "2026-03-14T09:12:00+02:00");
    assert_eq!(inc["updates"][0]["at"], "2026-03-14T09:40:00+02:00", "the first update is at now");
    assert_eq!(inc["updates"][0]["next_update_by"], "2026-03-14T10:10:00+02:00", "the promise runs from now");
    let id = Path::new(&file).file_stem().unwrap().to_str().unwrap().to_owned();
    let page = built_page(dir.path(), "2026-03-14T09:45:00+02:00", &format!("incidents/{id}/index.html"));
    assert!(page.contains("28 min after detection"), "the record tells the truth");
    assert!(!page.contains("promise-broken") && !page.contains("promise-overdue"), "no promise is broken at once");
}

#[test]
fn a_first_update_without_text_is_a_placeholder_that_is_never_published() {
    let dir = site(&[]);
    let file = ok(dir.path(), &["new", "Checkout slow", "--components", "payments", "--now", "2026-03-14 09:40"]);
    let text = fs::read_to_string(dir.path().join(&file)).unwrap();
    assert!(text.contains("[["), "{text}");
    let err = refused(dir.path(), &["check", "--now", "2026-03-14 09:45"]);
    assert!(err.contains("error[placeholder]") && err.contains(&format!("{file}:")), "{err}");
    let out = dir.path().join("public");
    let build = candor(&["build", "--root", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(build.status.code(), Some(1), "build refuses to publish it");
    assert!(!out.exists());
}

#[test]
fn update_keeps_the_status_and_reads_clock_times_in_the_site_zone() {
    let dir = site(&[]);
    let file = ok(dir.path(), &["new", "API slow", "Slow.", "--components", "api", "--now", "2026-03-14 09:40"]);
    let id = Path::new(&file).file_stem().unwrap().to_str().unwrap().to_owned();
    ok(dir.path(), &["update", &id, "--status", "identified", "--at", "2026-03-14 10:00", "Found it."]);
    ok(dir.path(), &["update", &id, "--next-update", "13:00", "--at", "2026-03-14 10:20", "Still fixing."]);
    let inc = read(dir.path(), &file);
    assert_eq!(inc["updates"][2]["status"], "identified", "the current status is kept");
    assert_eq!(inc["updates"][2]["next_update_by"], "2026-03-14T13:00:00+02:00");
    ok(dir.path(), &["update", &id, "--next-update", "08:00", "--at", "2026-03-14 10:30", "Overnight work."]);
    assert_eq!(read(dir.path(), &file)["updates"][3]["next_update_by"], "2026-03-15T08:00:00+02:00", "tomorrow");
    let err = refused(dir.path(), &["update", &id, "--status", "resolved", "--next-update", "30m", "Fixed."]);
    assert!(err.contains("a final update promises no next one"), "{err}");
    let err = refused(dir.path(), &["update", &id, "--status", "resolvd", "Fixed."]);
    assert!(err.contains("did you mean `resolved`"), "{err}");
    let err = refused(dir.path(), &["update", &file, "Fixed."]);
    assert!(err.contains(&format!("`{id}`")), "a path gets the id suggested: {err}");
}

#[test]
fn a_breach_is_not_shown_as_an_outage_and_maintenance_needs_its_window() {
    let dir = site(&[]);
    let file = ok(
        dir.path(),
        &[
            "new",
            "Leak of email addresses",
            "We found a leak.",
            "--kind",
            "data_breach",
            "--components",
            "payments",
            "--now",
            "2026-03-14 09:40",
        ],
    );
    let inc = read(dir.path(), &file);
    assert_eq!(inc["components"][0], "payments");
    let front = built_page(dir.path(), "2026-03-14T09:45:00+02:00", "index.html");
    assert!(front.contains("All Systems Operational"), "a breach does not read as a system outage");
    let err =
        refused(dir.path(), &["new", "Upgrade", "Planned.", "--kind", "maintenance", "--now", "2026-03-14 09:40"]);
    assert!(err.contains("--start and --end"), "{err}");
    let made = ok(
        dir.path(),
        &[
            "new",
            "Upgrade",
            "Planned.",
            "--kind",
            "maintenance",
            "--start",
            "2026-03-20 22:00",
            "--end",
            "2026-03-21 01:00",
            "--now",
            "2026-03-14 09:40",
        ],
    );
    assert_eq!(read(dir.path(), &made)["scheduled"]["start"], "2026-03-20T22:00:00+02:00");
    let err = refused(dir.path(), &["new", "Typo", "x", "--kind", "outgae"]);
    assert!(err.contains("did you mean `outage`"), "{err}");
}

#[test]
fn outside_a_site_every_command_says_where_it_looked_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["build"][..], &["check"], &["new", "x", "y"], &["update", "x", "y"], &["next-change"]] {
        let err = refused(dir.path(), args);
        assert!(
            err.contains("has no site.yaml") && err.contains("--root") && err.contains("candor init"),
            "{args:?}: {err}"
        );
    }
}
