//! Sites in several languages, and the Finnish user interface.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::{candor, demo_copy, repo, stderr};
use scraper::{Html, Selector};

const SITE: &str = "title: { en: Test Status, fi: Testin tila }
timezone: Europe/Helsinki
language: en
languages: [en, fi]
base_url: https://status.example.test/
components:
  - { id: api, name: { en: Public API, fi: Julkinen rajapinta } }
";

const INCIDENT: &str = "title: { en: API errors, fi: Rajapinnan virheitä }
kind: outage
impact: major
components: [api]
started_at: 2026-03-14T09:00:00+02:00
updates:
  - at: 2026-03-14T09:10:00+02:00
    status: investigating
    body:
      en: We are investigating.
      fi: Selvitämme asiaa.
  - at: 2026-03-14T09:40:00+02:00
    status: identified
    body: Only in English so far.
";

fn strings(lang: &str) -> BTreeMap<String, String> {
    let text = fs::read_to_string(repo().join(format!("themes/default/i18n/{lang}.yaml"))).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && l.contains(": "))
        .filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_owned(), v.trim().trim_matches('"').to_owned())))
        .collect()
}

fn build(root: &Path, now: Option<&str>) {
    let mut args = vec!["build", "--root", root.to_str().unwrap()];
    if let Some(now) = now {
        args.extend(["--now", now]);
    }
    let result = candor(&args);
    assert!(result.status.success(), "{}", stderr(&result));
}

fn page(path: &Path) -> Html {
    Html::parse_document(&fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn all<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn other_languages_are_built_under_their_folder_with_a_switcher() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    fs::create_dir(dir.path().join("incidents")).unwrap();
    fs::write(dir.path().join("incidents/api.yaml"), INCIDENT).unwrap();
    build(dir.path(), Some("2026-03-14T10:00:00+02:00"));
    let out = dir.path().join("public");
    let fi = strings("fi");
    let index = page(&out.join("fi/index.html"));
    assert_eq!(all(&index, "html")[0].value().attr("lang"), Some("fi"));
    assert_eq!(all(&index, ".brand")[0].text().collect::<String>(), "Testin tila");
    let switch: Vec<(String, String)> = all(&index, "nav.languages a")
        .iter()
        .map(|a| (a.value().attr("hreflang").unwrap().to_owned(), a.value().attr("href").unwrap().to_owned()))
        .collect();
    assert_eq!(
        switch,
        [
            ("en".to_owned(), "https://status.example.test/".to_owned()),
            ("fi".to_owned(), "https://status.example.test/fi/".to_owned())
        ]
    );
    assert_eq!(all(&index, "link[rel=alternate][hreflang]").len(), 2);
    assert!(index.root_element().text().any(|t| t.contains(&fi["index.components"])), "Finnish UI strings");

    let incident = page(&out.join("fi/incidents/api/index.html"));
    assert_eq!(all(&incident, "h1")[0].text().collect::<String>(), "Rajapinnan virheitä");
    assert!(all(&incident, "h1")[0].value().attr("lang").is_none(), "a translated title has the page's language");
    let untranslated = all(&incident, ".timeline div[lang=en]");
    assert_eq!(untranslated.len(), 1, "the English-only body is marked");
    assert!(untranslated[0].text().collect::<String>().contains("Only in English so far."));
    assert!(incident.root_element().text().any(|t| t.contains("Selvitämme asiaa.")));
    assert!(all(&incident, "p.untranslated").len() == 1);

    let english = page(&out.join("incidents/api/index.html"));
    assert_eq!(all(&english, "h1")[0].text().collect::<String>(), "API errors");
    assert!(all(&english, "p.untranslated").is_empty());

    let feed = feed_rs::parser::parse(&fs::read(out.join("fi/feed.xml")).unwrap()[..]).unwrap();
    assert!(feed.entries[0].title.as_ref().unwrap().content.starts_with("Rajapinnan virheitä: "));
    assert!(feed.entries[0].links[0].href.starts_with("https://status.example.test/fi/incidents/api/"));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://status.example.test/fi/incidents/api/index.html"));
    assert!(
        out.join("api/v2/summary.json").exists() && !out.join("fi/api").exists(),
        "one API, in the default language"
    );

    let check = candor(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
        "--now",
        "2026-03-14T10:00:00+02:00",
    ]);
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let notes: Vec<&serde_json::Value> =
        findings.as_array().unwrap().iter().filter(|f| f["code"] == "missing-translation").collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "note");
    assert_eq!(notes[0]["line"], 1);
    assert!(notes[0]["message"].as_str().unwrap().contains("1 of 2 update bodies"));
}

#[test]
fn a_map_must_use_the_sites_languages_and_include_the_default() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    fs::create_dir(dir.path().join("incidents")).unwrap();
    fs::write(
        dir.path().join("incidents/api.yaml"),
        INCIDENT.replace("{ en: API errors, fi: Rajapinnan virheitä }", "{ fi: Rajapinnan virheitä, sv: API-fel }"),
    )
    .unwrap();
    let result = candor(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("`sv` is not one of the site's languages"), "{err}");
    assert!(err.contains("`title` has no text in the default language, `en`"), "{err}");
}

/// Every text node and label of a page outside the author's own prose.
fn ui_texts(html: &Html) -> BTreeSet<String> {
    let prose = Selector::parse(".body, .latest, h1, .card h3, .incident-list a, .component-head a, .affected a, .facts dd a, .breach li, .actions li, .brand, .site-header nav:not(.languages) li:nth-child(n+4)").unwrap();
    let skip: Vec<scraper::ElementRef<'_>> = html.select(&prose).collect();
    let mut out = BTreeSet::new();
    for node in html.root_element().descendants() {
        if let Some(text) = node.value().as_text() {
            let inside = node.ancestors().any(|a| scraper::ElementRef::wrap(a).is_some_and(|e| skip.contains(&e)));
            if !inside {
                out.insert(text.trim().to_owned());
            }
        }
        if let Some(element) = scraper::ElementRef::wrap(node) {
            for attr in ["aria-label", "title", "content"] {
                if let Some(value) = element.value().attr(attr) {
                    out.insert(value.trim().to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn the_finnish_demo_has_no_english_ui_string_left() {
    let demo = demo_copy();
    let site = fs::read_to_string(demo.path().join("site.yaml")).unwrap().replace("language: en", "language: fi");
    fs::write(demo.path().join("site.yaml"), site).unwrap();
    build(demo.path(), None);
    let (en, fi) = (strings("en"), strings("fi"));
    let english: BTreeSet<&str> = en
        .iter()
        .filter(|(k, v)| fi.get(*k) != Some(v) && !v.contains('{') && v.len() > 2 && !k.starts_with("month."))
        .map(|(_, v)| v.as_str())
        .collect();
    let out = demo.path().join("public");
    let mut checked = 0;
    for path in [
        "index.html",
        "incidents/2026-11-09-storm-power-loss-helsinki-data-centre/index.html",
        "incidents/2026-10-06-dashboard-user-data-exposed/index.html",
        "incidents/2026-11-16-move-payments-back-to-helsinki/index.html",
        "components/payments/index.html",
        "history/index.html",
        "history/2026/index.html",
        "track-record/index.html",
        "404.html",
    ] {
        let html = page(&out.join(path));
        assert_eq!(all(&html, "html")[0].value().attr("lang"), Some("fi"), "{path}");
        for text in ui_texts(&html) {
            assert!(!english.contains(text.as_str()), "{path}: English UI text `{text}`");
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}
