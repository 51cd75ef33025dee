//! `candor build` end to end: the binary on fixture sites, its output parsed back.

mod common;

use std::fs;
use std::path::Path;

use common::{OUTAGE, candor, demo_copy, site, snapshot, stderr};
use scraper::{Html, Selector};

const DEMO_NOW: &str = "2026-11-20T14:05:00+02:00";

fn build(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    candor(&args)
}

fn page(out: &Path, path: &str) -> Html {
    Html::parse_document(&fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_demo_builds_every_page() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    let result = build(demo.path(), &out, &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let line = String::from_utf8_lossy(&result.stdout);
    assert!(line.starts_with("Built 10 incidents into "), "{line}");
    for path in [
        "index.html",
        "404.html",
        "style.css",
        "history/index.html",
        "history/2026/index.html",
        "components/payments/index.html",
        "incidents/2026-11-09-storm-power-loss-helsinki-data-centre/index.html",
    ] {
        assert!(out.join(path).is_file(), "{path} is missing");
    }
}

#[test]
fn the_index_shows_the_ongoing_incident_its_promise_and_components() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    assert!(build(demo.path(), &out, &[]).status.success());
    let html = page(&out, "index.html");
    assert_eq!(select(&html, "h1").len(), 1);
    // One component of eleven is down and one degraded: by the blend rule, a partial outage for the page.
    assert_eq!(text(&select(&html, "h1")[0]), "Partial System Outage");
    assert_eq!(select(&html, "html")[0].value().attr("lang"), Some("en"));
    let active = select(&html, "#active-h + article h3 a");
    assert_eq!(text(&active[0]), "Webhook deliveries delayed");
    let promise = select(&html, ".card .promise-pending");
    assert!(text(&promise[0]).contains("14:30"), "{}", text(&promise[0]));
    let components = select(&html, "li.component");
    assert_eq!(components.len(), 8);
    for c in &components {
        let bar = c.select(&Selector::parse("ol.bar").unwrap()).next().expect("a history bar");
        assert_eq!(bar.value().attr("style"), Some("--days:90"), "one column per day of history");
        for day in bar.select(&Selector::parse("li").unwrap()) {
            let column: u32 = day.value().attr("style").unwrap().strip_prefix("grid-column:").unwrap().parse().unwrap();
            assert!((1..=90).contains(&column));
            let said = text(&day);
            assert!(
                said.contains("Nov 2026:")
                    || said.contains("Oct 2026:")
                    || said.contains("Sep 2026:")
                    || said.contains("Aug 2026:"),
                "{said}"
            );
        }
    }
    let payments = components.iter().find(|c| text(c).contains("Card payments")).unwrap();
    let storm_day =
        payments.select(&Selector::parse("ol.bar li a").unwrap()).find(|a| text(a).starts_with("9 Nov 2026"));
    assert_eq!(text(&storm_day.expect("the storm day links to its incident")), "9 Nov 2026: major outage, 2 h 13 min");
    let webhooks = components.iter().find(|c| text(c).contains("Webhooks")).unwrap();
    assert!(text(webhooks).contains("Major outage"), "status is said in words, not only colour");
    let times = select(&html, "time[datetime]");
    assert!(!times.is_empty());
    for t in times {
        let iso = t.value().attr("datetime").unwrap();
        assert!(iso.parse::<jiff::Timestamp>().is_ok(), "{iso} is a valid datetime");
    }
}

#[test]
fn the_index_stays_small_for_bad_connections() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    assert!(build(demo.path(), &out, &[]).status.success());
    let bytes: u64 =
        ["index.html", "style.css", "local-time.js"].iter().map(|p| fs::metadata(out.join(p)).unwrap().len()).sum();
    assert!(bytes < 50 * 1024, "index page with its CSS and JS is {bytes} bytes");
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    for external in ["http://", "https://"] {
        for tag in ["<script src=\"", "<link rel=\"stylesheet\" href=\"", "<img src=\""] {
            assert!(!html.contains(&format!("{tag}{external}")), "no request to another host");
        }
    }
}

#[test]
fn an_incident_page_shows_timeline_promises_and_postmortem() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    assert!(build(demo.path(), &out, &[]).status.success());
    let html = page(&out, "incidents/2026-11-09-storm-power-loss-helsinki-data-centre/index.html");
    assert_eq!(text(&select(&html, "h1")[0]), "Storm cut power to our Helsinki data centre");
    let updates = select(&html, "ol.timeline > li");
    assert_eq!(updates.len(), 6);
    assert!(text(&updates[0]).starts_with("Resolved"), "newest first");
    assert_eq!(select(&html, ".promise-broken").len(), 1);
    assert!(!select(&html, ".promise-kept").is_empty());
    let headings: Vec<String> = select(&html, ".postmortem h3").iter().map(text).collect();
    for expected in
        ["What happened", "Why it happened", "How we fixed it", "What we are doing so it does not happen again"]
    {
        assert!(headings.iter().any(|h| h == expected), "{expected} in {headings:?}");
    }
    assert_eq!(select(&html, ".actions li").len(), 5);
    let record = text(&select(&html, ".record-box")[0]);
    assert!(record.contains("First public update 13 min after detection"), "21:49 to 22:02: {record}");
    assert!(record.contains("Updates 6"), "{record}");
    assert!(record.contains("Longest time between updates 8 h 15 min"), "00:30 to 08:45: {record}");
    assert!(record.contains("Promised updates kept 4 of 5"), "{record}");
}

#[test]
fn the_track_record_page_counts_the_demo() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    assert!(build(demo.path(), &out, &[]).status.success());
    let html = page(&out, "track-record/index.html");
    let rows: Vec<String> = select(&html, "table.record tbody tr").iter().map(text).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].starts_with("Last 90 days 6 "), "{}", rows[0]);
    assert!(rows[0].contains("18 of 19 (95%)"), "{}", rows[0]);
    assert!(rows[0].contains("2 of 2 (100%)"), "{}", rows[0]);
}

#[test]
fn a_breach_page_leads_with_what_people_should_do() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    assert!(build(demo.path(), &out, &[]).status.success());
    let html = page(&out, "incidents/2026-10-06-dashboard-user-data-exposed/index.html");
    let breach = select(&html, "section.breach");
    assert_eq!(breach.len(), 1);
    let box_text = text(&breach[0]);
    assert!(box_text.contains("14,212"), "{box_text}");
    assert!(box_text.contains("What you should do"), "{box_text}");
    let first_section = select(&html, "article.incident > section")[0];
    assert_eq!(first_section.value().attr("class"), Some("breach"), "the breach box comes first");
}

#[test]
fn every_internal_link_resolves() {
    let demo = demo_copy();
    let out = demo.path().join("public");
    assert!(build(demo.path(), &out, &[]).status.success());
    let files = snapshot(&out);
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        let base = Path::new(path).parent().unwrap();
        for a in select(&html, "a[href], link[href]") {
            let href = a.value().attr("href").unwrap();
            if href.contains(':') || href.starts_with('#') || path == "404.html" {
                continue;
            }
            let target = href.split('#').next().unwrap();
            let resolved = normalise(&base.join(target));
            assert!(files.contains_key(&resolved), "{path} links to {href}, which does not exist");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

fn normalise(path: &Path) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.to_str().unwrap().split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[test]
fn two_builds_at_the_same_now_are_byte_identical() {
    let demo = demo_copy();
    let (a, b) = (demo.path().join("a"), demo.path().join("b"));
    assert!(build(demo.path(), &a, &["--now", DEMO_NOW]).status.success());
    assert!(build(demo.path(), &b, &["--now", DEMO_NOW]).status.success());
    assert_eq!(snapshot(&a), snapshot(&b));
}

#[test]
fn source_date_epoch_sets_now_and_now_flag_wins() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let out = dir.path().join("public");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root", dir.path().to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1773479400") // 2026-03-14T09:10:00Z = 11:10 in Helsinki
        .output()
        .unwrap();
    assert!(result.status.success());
    let html = page(&out, "index.html");
    let footer = text(&select(&html, ".site-footer")[0]);
    assert!(footer.contains("14 Mar 2026, 11:10"), "{footer}");
}

#[test]
fn a_broken_incident_gives_located_errors_and_leaves_the_output_untouched() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let out = dir.path().join("public");
    assert!(build(dir.path(), &out, &[]).status.success());
    let before = snapshot(&out);
    let broken = OUTAGE.replace("[payments]", "[paymnts]").replace("kind: outage", "kind: outtage");
    fs::write(dir.path().join("incidents/2026-03-14-payments.yaml"), broken).unwrap();
    fs::write(dir.path().join("incidents/second.yaml"), "title: [unclosed\n").unwrap();
    let result = build(dir.path(), &out, &[]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("incidents/2026-03-14-payments.yaml:4:14"), "{err}");
    assert!(err.contains("unknown component `paymnts`"), "{err}");
    assert!(err.contains("did you mean `payments`?"), "{err}");
    assert!(err.contains("incidents/2026-03-14-payments.yaml:2:7"), "{err}");
    assert!(err.contains("incidents/second.yaml:"), "every file's errors in one run: {err}");
    assert!(err.contains("was left unchanged"), "{err}");
    assert_eq!(snapshot(&out), before, "the previous output is intact");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let dir = site(&[]);
    let out = dir.path().join("docs");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("precious.txt"), "keep me").unwrap();
    let result = build(dir.path(), &out, &[]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("not built by candor"), "{}", stderr(&result));
    assert_eq!(fs::read_to_string(out.join("precious.txt")).unwrap(), "keep me");
    let result = build(dir.path(), &dir.path().join("incidents"), &[]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("refusing"), "{}", stderr(&result));
}

#[test]
fn bad_file_names_symlinks_and_duplicate_ids_are_reported() {
    let dir =
        site(&[("x.yaml", OUTAGE), ("_draft.yaml", OUTAGE), ("notes.txt", "ignored"), (".hidden.yaml", "ignored")]);
    fs::create_dir(dir.path().join("incidents/2025")).unwrap();
    fs::write(dir.path().join("incidents/2025/x.yml"), OUTAGE).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("incidents/linked.yaml")).unwrap();
    let result = build(dir.path(), &dir.path().join("public"), &[]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("`_draft` is not a valid incident id"), "{err}");
    assert!(err.contains("the incident id `x` is already used by incidents/2025/x.yml"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("incidents/linked.yaml") && err.contains("symbolic links are not followed"), "{err}");
    assert!(!err.contains("notes.txt") && !err.contains(".hidden"), "{err}");
}

#[test]
fn a_site_theme_overrides_templates_and_strings_one_by_one() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let theme = dir.path().join("themes/default");
    fs::create_dir_all(theme.join("templates")).unwrap();
    fs::create_dir_all(theme.join("i18n")).unwrap();
    fs::write(theme.join("templates/404.html"), "<!DOCTYPE html><title>Lost</title><p>{{ site.title }} lost it</p>")
        .unwrap();
    fs::write(theme.join("i18n/en.yaml"), "index.components: Our services\n").unwrap();
    let out = dir.path().join("public");
    assert!(build(dir.path(), &out, &[]).status.success());
    assert!(fs::read_to_string(out.join("404.html")).unwrap().contains("Test Status lost it"));
    let index = page(&out, "index.html");
    assert_eq!(text(&select(&index, "#components-h")[0]), "Our services");
    assert!(!select(&index, "#recent-h").is_empty(), "templates not overridden still come from the built-in theme");
}

#[test]
fn a_template_error_is_located_in_the_template() {
    let dir = site(&[]);
    let templates = dir.path().join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("404.html"), "line one\n{{ nonexistent.field }}\n").unwrap();
    let out = dir.path().join("public");
    let result = build(dir.path(), &out, &[]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("themes/default/templates/404.html:2:"), "{}", stderr(&result));
    assert!(!out.exists());
}

#[test]
fn user_text_is_escaped_in_pages() {
    let evil = OUTAGE
        .replace("Card payments failing", "<script>alert(1)</script> </title>")
        .replace("Fixed.", "<img src=x onerror=alert(1)> [x](javascript:alert(1))");
    let dir = site(&[("evil.yaml", &evil)]);
    let out = dir.path().join("public");
    assert!(build(dir.path(), &out, &[]).status.success());
    for path in ["index.html", "incidents/evil/index.html", "history/2026/index.html"] {
        let body = fs::read_to_string(out.join(path)).unwrap();
        assert!(!body.contains("<script>alert"), "{path}");
        assert!(!body.contains("onerror"), "{path}");
        assert!(!body.contains("javascript:"), "{path}");
    }
    let html = page(&out, "incidents/evil/index.html");
    assert_eq!(text(&select(&html, "h1")[0]), "<script>alert(1)</script> </title>");
}

#[test]
fn site_links_in_markdown_work_on_every_page_at_any_depth_and_in_feeds() {
    let linked = OUTAGE.replace("body: Fixed.", "body: Fixed. Follow the [feed](feed.xml) or see [history](history/).");
    let dir = site(&[("2026-03-14-payments.yaml", &linked)]);
    let out = dir.path().join("public");
    let result =
        build(dir.path(), &out, &["--base-url", "https://example.com/status/", "--now", "2026-03-14T10:00:00+02:00"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let html = page(&out, "incidents/2026-03-14-payments/index.html");
    let hrefs: Vec<String> =
        select(&html, ".timeline .body a").iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect();
    assert_eq!(hrefs, ["../../feed.xml", "../../history/"], "relative to the page, so a subpath and file:// work");
    let front = page(&out, "index.html");
    assert!(select(&front, ".card").iter().all(|c| !text(c).contains("candor-root")));
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("href=&quot;https://example.com/status/feed.xml&quot;"), "absolute in feeds");
}

#[test]
fn incident_pages_say_what_a_reader_can_hold_the_company_to() {
    let dir = demo_copy();
    let out = dir.path().join("public");
    let result = build(dir.path(), &out, &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let storm = page(&out, "incidents/2026-11-09-storm-power-loss-helsinki-data-centre/index.html");
    let pm = select(&storm, ".headline .pm-link");
    assert_eq!(pm.len(), 1, "the header says a post-mortem is published");
    assert_eq!(pm[0].value().attr("href"), Some("#postmortem-h"));
    let front = page(&out, "index.html");
    let promise = select(&front, ".card .promise .as-of");
    assert!(
        promise.iter().any(|p| text(p).contains("as of 14:05")),
        "without script, a pending promise says as of when"
    );
    let excerpt = select(&front, ".card .excerpt");
    assert!(
        !excerpt.is_empty() && excerpt.iter().all(|e| text(e).chars().count() <= 241),
        "latest updates are shortened"
    );
}

#[test]
fn overdue_action_items_history_by_window_and_counts_by_kind() {
    let postmortem = "title: Outage\nkind: outage\nimpact: major\nstarted_at: 2026-03-14T09:00:00+02:00\nupdates:\n  - { at: 2026-03-14T09:10:00+02:00, status: resolved, body: Fixed. }\npostmortem:\n  published_at: 2026-03-15T09:00:00+02:00\n  root_cause: A cause.\n  action_items:\n    - { text: Add an alarm, status: planned, due: 2026-03-20 }\n    - { text: Write a runbook, status: done, due: 2026-03-18 }\n";
    let maintenance = "title: Upgrade\nkind: maintenance\ncomponents: [api]\nstarted_at: 2025-12-20T10:00:00+02:00\nscheduled: { start: 2026-01-05T22:00:00+02:00, end: 2026-01-05T23:00:00+02:00 }\nupdates:\n  - { at: 2025-12-20T10:00:00+02:00, status: scheduled, body: Planned. }\n  - { at: 2026-01-05T23:00:00+02:00, status: completed, body: Done. }\n";
    let undetected = OUTAGE;
    let dir = site(&[("pm.yaml", postmortem), ("upgrade.yaml", maintenance), ("2026-03-14-payments.yaml", undetected)]);
    let out = dir.path().join("public");
    let result = build(dir.path(), &out, &["--now", "2026-03-25T12:00:00+02:00"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let pm = page(&out, "incidents/pm/index.html");
    let overdue: Vec<String> = select(&pm, ".action-overdue").iter().map(text).collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert!(overdue[0].contains("Add an alarm") && overdue[0].contains("overdue"));
    let history = page(&out, "history/index.html");
    let years: Vec<String> = select(&history, ".years li").iter().map(text).collect();
    assert!(
        years[0].starts_with("2026") && years[0].contains("Outage: 2") && years[0].contains("Maintenance: 1"),
        "{years:?}"
    );
    assert_eq!(years.len(), 1, "maintenance announced in 2025 for January 2026 is listed in 2026: {years:?}");
    let payments = page(&out, "incidents/2026-03-14-payments/index.html");
    let record = select(&payments, ".record-box dd").iter().map(text).collect::<Vec<_>>().join(" ");
    assert!(
        record.contains("after the start") && !record.contains("detection"),
        "no detection time is known: {record}"
    );
}
