//! Feeds, the Statuspage API, calendars and badges, parsed back with independent parsers.

mod common;

use std::fs;
use std::path::Path;

use common::{candor, demo_copy, stderr};
use serde::Deserialize;

const DEMO_NOW: &str = "2026-11-20T14:05:00+02:00";

fn build_demo() -> tempfile::TempDir {
    let demo = demo_copy();
    let out = demo.path().join("public");
    let result =
        candor(&["build", "--root", demo.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", DEMO_NOW]);
    assert!(result.status.success(), "{}", stderr(&result));
    demo
}

fn read(dir: &tempfile::TempDir, path: &str) -> Vec<u8> {
    fs::read(dir.path().join("public").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_site_feed_parses_with_stable_ids_and_data_dates() {
    let demo = build_demo();
    let feed = feed_rs::parser::parse(&read(&demo, "feed.xml")[..]).expect("Atom parses");
    assert_eq!(feed.title.unwrap().content, "Acme Status");
    assert!(feed.entries.len() <= 50);
    let first = &feed.entries[0];
    assert_eq!(first.title.as_ref().unwrap().content, "Webhook deliveries delayed: Identified");
    assert_eq!(
        first.id,
        "tag:status.acme.example,2026-11-20:incidents/2026-11-20-webhook-deliveries-delayed/1795175400"
    );
    assert_eq!(first.updated.unwrap().to_rfc3339(), "2026-11-20T11:50:00+00:00", "dates come from the data");
    assert_eq!(
        first.links[0].href,
        "https://status.acme.example/incidents/2026-11-20-webhook-deliveries-delayed/index.html#update-3"
    );
    let html = &first.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(html.contains("<strong>out of order</strong>"), "{html}");
    let dates: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(feed.updated.unwrap(), dates[0], "the feed's date is its newest entry's");
}

#[test]
fn rss_and_component_and_incident_feeds_parse() {
    let demo = build_demo();
    let rss = feed_rs::parser::parse(&read(&demo, "rss.xml")[..]).expect("RSS parses");
    let atom = feed_rs::parser::parse(&read(&demo, "feed.xml")[..]).unwrap();
    assert_eq!(rss.entries.len(), atom.entries.len());
    assert_eq!(rss.entries[0].id, atom.entries[0].id, "one id per update in both formats");
    let sms = feed_rs::parser::parse(&read(&demo, "components/sms/feed.xml")[..]).unwrap();
    assert!(!sms.entries.is_empty());
    assert!(sms.entries.iter().all(|e| {
        let link = &e.links[0].href;
        link.contains("sms-codes-delayed") || link.contains("notification-platform")
    }));
    let storm =
        feed_rs::parser::parse(&read(&demo, "incidents/2026-11-09-storm-power-loss-helsinki-data-centre/feed.xml")[..])
            .unwrap();
    assert_eq!(storm.entries.len(), 6);
}

/// Statuspage's documented shapes, as typed structs: parsing fails if a field is missing or mistyped.
#[derive(Debug, Deserialize)]
struct Summary {
    page: Page,
    components: Vec<Component>,
    incidents: Vec<Incident>,
    scheduled_maintenances: Vec<Incident>,
    status: Status,
}

#[derive(Debug, Deserialize)]
struct Page {
    id: String,
    name: String,
    url: String,
    time_zone: String,
    updated_at: String,
}

#[derive(Debug, Deserialize)]
struct Status {
    indicator: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Component {
    id: String,
    name: String,
    status: String,
    created_at: String,
    updated_at: String,
    position: u32,
    description: Option<String>,
    showcase: bool,
    start_date: Option<String>,
    group_id: Option<String>,
    page_id: String,
    group: bool,
    only_show_if_degraded: bool,
    components: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Incident {
    id: String,
    name: String,
    status: String,
    created_at: String,
    updated_at: String,
    monitoring_at: Option<String>,
    resolved_at: Option<String>,
    impact: String,
    shortlink: String,
    started_at: Option<String>,
    page_id: String,
    incident_updates: Vec<Update>,
    components: Vec<Component>,
    scheduled_for: Option<String>,
    scheduled_until: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Update {
    id: String,
    status: String,
    body: String,
    incident_id: String,
    created_at: String,
    updated_at: String,
    display_at: String,
    affected_components: Vec<Affected>,
    deliver_notifications: bool,
    custom_tweet: Option<String>,
    tweet_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Affected {
    code: String,
    name: String,
    old_status: String,
    new_status: String,
}

#[derive(Debug, Deserialize)]
struct IncidentList {
    page: Page,
    incidents: Vec<Incident>,
}

#[derive(Debug, Deserialize)]
struct MaintenanceList {
    scheduled_maintenances: Vec<Incident>,
}

#[test]
fn summary_json_reads_as_statuspage_and_matches_the_golden_file() {
    let demo = build_demo();
    let bytes = read(&demo, "api/v2/summary.json");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/summary.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&golden, &bytes).unwrap();
    }
    let summary: Summary = serde_json::from_slice(&bytes).expect("Statuspage shape");
    assert_eq!(summary.page.name, "Acme Status");
    assert_eq!(summary.page.url, "https://status.acme.example/");
    assert_eq!(summary.page.time_zone, "Europe/Helsinki");
    assert_eq!(summary.page.updated_at, "2026-11-20T13:50:00.000+02:00");
    assert_eq!(
        (summary.status.indicator.as_str(), summary.status.description.as_str()),
        ("major", "Partial System Outage")
    );
    assert_eq!(summary.incidents.len(), 1, "only unresolved incidents");
    let webhooks = &summary.incidents[0];
    assert_eq!((webhooks.status.as_str(), webhooks.impact.as_str()), ("identified", "major"));
    assert_eq!(webhooks.incident_updates.len(), 3);
    assert_eq!(webhooks.incident_updates[2].affected_components[0].old_status, "operational");
    assert_eq!(webhooks.incident_updates[2].affected_components[0].new_status, "major_outage");
    assert!(webhooks.incident_updates.iter().all(|u| u.incident_id == webhooks.id && u.body.len() > 10));
    assert_eq!(summary.scheduled_maintenances.len(), 1, "the upcoming maintenance only");
    assert_eq!(summary.scheduled_maintenances[0].status, "scheduled");
    assert_eq!(summary.scheduled_maintenances[0].scheduled_for.as_deref(), Some("2026-11-26T02:00:00.000+02:00"));
    let groups: Vec<&Component> = summary.components.iter().filter(|c| c.group).collect();
    assert_eq!(groups.len(), 3);
    for c in summary.components.iter().filter(|c| !c.group) {
        if let Some(group) = &c.group_id {
            let parent = groups.iter().find(|g| &g.id == group).expect("group_id names a group");
            assert!(parent.components.as_ref().unwrap().contains(&c.id));
        }
        assert_eq!(c.page_id, summary.page.id);
    }
    let expected = fs::read(&golden).expect("tests/golden/summary.json exists (UPDATE_GOLDEN=1 writes it)");
    assert!(
        bytes == expected,
        "summary.json differs from tests/golden/summary.json; rerun with UPDATE_GOLDEN=1 if the change is intended"
    );
}

#[test]
fn list_endpoints_follow_statuspage_semantics() {
    let demo = build_demo();
    let incidents: IncidentList = serde_json::from_slice(&read(&demo, "api/v2/incidents.json")).unwrap();
    assert_eq!(incidents.page.name, "Acme Status");
    assert_eq!(incidents.incidents.len(), 7, "incidents of every kind but maintenance and notices");
    let storm = incidents.incidents.iter().find(|i| i.id.contains("storm")).unwrap();
    assert_eq!(storm.status, "postmortem", "resolved with a published post-mortem");
    assert_eq!(storm.resolved_at.as_deref(), Some("2026-11-10T00:58:00.000+02:00"));
    assert!(storm.monitoring_at.is_some());
    let unresolved: IncidentList = serde_json::from_slice(&read(&demo, "api/v2/incidents/unresolved.json")).unwrap();
    assert!(
        unresolved.incidents.iter().all(|i| ["investigating", "identified", "monitoring"].contains(&i.status.as_str()))
    );
    let upcoming: MaintenanceList =
        serde_json::from_slice(&read(&demo, "api/v2/scheduled-maintenances/upcoming.json")).unwrap();
    assert!(upcoming.scheduled_maintenances.iter().all(|m| m.status == "scheduled"));
    let active: MaintenanceList =
        serde_json::from_slice(&read(&demo, "api/v2/scheduled-maintenances/active.json")).unwrap();
    assert!(active.scheduled_maintenances.is_empty());
    let all: MaintenanceList = serde_json::from_slice(&read(&demo, "api/v2/scheduled-maintenances.json")).unwrap();
    assert_eq!(all.scheduled_maintenances.len(), 2);
    let status: serde_json::Value = serde_json::from_slice(&read(&demo, "api/v2/status.json")).unwrap();
    assert_eq!(status["status"]["indicator"], "major");
    let components: serde_json::Value = serde_json::from_slice(&read(&demo, "api/v2/components.json")).unwrap();
    assert_eq!(components["components"].as_array().unwrap().len(), 11, "8 components and 3 groups");
}

#[test]
fn the_calendar_parses_with_stable_uids_and_utc_times() {
    let demo = build_demo();
    let text = String::from_utf8(read(&demo, "calendar.ics")).unwrap();
    assert!(text.contains("\r\n"), "RFC 5545 lines end in CRLF");
    let calendar: icalendar::Calendar = text.parse().expect("iCalendar parses");
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 2);
    use icalendar::Component;
    let upcoming = events.iter().find(|e| e.property_value("UID").unwrap().starts_with("2026-11-16")).unwrap();
    assert_eq!(upcoming.property_value("UID"), Some("2026-11-16-move-payments-back-to-helsinki@status.acme.example"));
    assert_eq!(upcoming.property_value("DTSTART"), Some("20261126T000000Z"));
    assert_eq!(upcoming.property_value("DTEND"), Some("20261126T020000Z"));
    assert_eq!(upcoming.property_value("DTSTAMP"), Some("20261116T090000Z"), "from the data, not the clock");
    assert_eq!(upcoming.property_value("SUMMARY"), Some("Moving card payments back to our Helsinki data centre"));
    let own_text =
        String::from_utf8(read(&demo, "incidents/2026-11-16-move-payments-back-to-helsinki/calendar.ics")).unwrap();
    let own: icalendar::Calendar = own_text.parse().unwrap();
    assert_eq!(own.events().count(), 1);
    for calendar in [&text, &own_text] {
        assert_eq!(calendar.matches("BEGIN:VCALENDAR\r\n").count(), 1, "{calendar}");
        assert_eq!(calendar.matches("END:VCALENDAR\r\n").count(), 1, "{calendar}");
        assert!(calendar.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"), "{calendar}");
    }
    let event = &own_text[own_text.find("BEGIN:VEVENT").unwrap()..own_text.find("END:VCALENDAR").unwrap()];
    assert!(text.contains(event), "the site's calendar carries the same event, byte for byte");
}

#[test]
fn badges_are_well_formed_titled_svg() {
    let demo = build_demo();
    for path in ["badge.svg", "components/webhooks/badge.svg", "components/web/badge.svg"] {
        let text = String::from_utf8(read(&demo, path)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
        let title = root.children().find(|n| n.has_tag_name("title")).expect("a <title> for screen readers");
        assert!(!title.text().unwrap().is_empty());
    }
    let webhooks = String::from_utf8(read(&demo, "components/webhooks/badge.svg")).unwrap();
    assert!(webhooks.contains("<title>Webhooks: major outage</title>"), "{webhooks}");
}

#[test]
fn sitemap_and_robots_list_absolute_urls() {
    let demo = build_demo();
    let sitemap = String::from_utf8(read(&demo, "sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://status.acme.example/"));
    assert!(locs.iter().all(|l| l.starts_with("https://status.acme.example/")));
    assert_eq!(
        locs.len(),
        1 + 1 + 1 + 8 + 3 * 3 + 10,
        "index, history, track record, components, each audience's front page, components and history, incidents"
    );
    assert!(locs.contains(&"https://status.acme.example/for/in-store/history/index.html"), "{locs:?}");
    let robots = String::from_utf8(read(&demo, "robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://status.acme.example/sitemap.xml"));
}

#[test]
fn without_base_url_links_are_relative_and_the_author_is_told_once() {
    let demo = demo_copy();
    let site = fs::read_to_string(demo.path().join("site.yaml"))
        .unwrap()
        .replace("base_url: https://status.acme.example/\n", "");
    fs::write(demo.path().join("site.yaml"), site).unwrap();
    let result = candor(&["build", "--root", demo.path().to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(stderr(&result).matches("base_url is not set").count(), 1);
    let out = demo.path().join("public");
    assert!(!out.join("sitemap.xml").exists());
    let feed = feed_rs::parser::parse(&fs::read(out.join("feed.xml")).unwrap()[..]).unwrap();
    assert!(feed.entries[0].links[0].href.starts_with("incidents/"));
}
