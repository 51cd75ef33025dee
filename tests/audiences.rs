//! Audiences and advice as readers meet them: each audience's pages and feed
//! hold exactly the incidents that affect it (over generated sites), and each
//! piece of advice appears where it is promised and nowhere else. Pages are
//! read with scraper, feeds with feed-rs, JSON with serde_json.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use candor::model::Model;
use candor::render::{self, Request};
use candor::theme::Theme;
use candor::views;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use scraper::{Html, Selector};

const COMPONENTS: [&str; 4] = ["api", "payments", "web", "sms"];

fn site_yaml(audiences: &[Vec<&str>]) -> String {
    let mut s = String::from(
        "title: Audience Status\ntimezone: Europe/Helsinki\nhistory_days: 30\ncomponents:\n  - { id: api, name: Public API, group: Platform }\n  - { id: payments, name: Card payments, group: Platform }\n  - { id: web, name: Website }\n  - { id: sms, name: SMS }\n",
    );
    if !audiences.is_empty() {
        s.push_str("audiences:\n");
        for (n, components) in audiences.iter().enumerate() {
            s.push_str(&format!("  - {{ id: a{n}, name: Audience {n}, components: [{}] }}\n", components.join(", ")));
        }
    }
    s
}

fn base() -> Timestamp {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

fn time(minutes: i64) -> String {
    (base() + SignedDuration::from_mins(minutes)).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A generated incident: its kind, components, start, whether it has ended, and whom its advice is for.
#[derive(Clone, Debug)]
struct Gen {
    kind: &'static str,
    components: Vec<&'static str>,
    start: i64,
    ended: bool,
    /// Audience indexes named in the incident's own advice.
    advice: Vec<usize>,
    /// Audience indexes named in its second update's advice.
    update_advice: Vec<usize>,
}

impl Gen {
    fn yaml(&self, audiences: usize) -> String {
        let mut y = format!("title: Incident at {}\nkind: {}\n", self.start, self.kind);
        if self.kind == "outage" {
            y.push_str("impact: major\n");
        }
        y.push_str(&format!("components: [{}]\nstarted_at: {}\n", self.components.join(", "), time(self.start)));
        if self.kind == "maintenance" {
            y.push_str(&format!(
                "scheduled: {{ start: {}, end: {} }}\n",
                time(self.start + 60),
                time(self.start + 120)
            ));
        }
        let advice = |list: &[usize], indent: &str| -> String {
            let names: Vec<String> = list.iter().filter(|a| **a < audiences).map(|a| format!("a{a}")).collect();
            if names.is_empty() {
                return String::new();
            }
            format!("{indent}advice:\n{indent}  - {{ for: [{}], body: Do this. }}\n", names.join(", "))
        };
        y.push_str(&advice(&self.advice, ""));
        let (first, last) = match self.kind {
            "maintenance" => ("scheduled", "completed"),
            "notice" => ("", ""),
            _ => ("investigating", "resolved"),
        };
        y.push_str("updates:\n");
        let status = |s: &str| if s.is_empty() { String::new() } else { format!(", status: {s}") };
        y.push_str(&format!("  - {{ at: {}{}, body: First. }}\n", time(self.start + 5), status(first)));
        let second = if self.ended { last } else { first };
        y.push_str(&format!("  - at: {}\n    body: Second.\n", time(self.start + 200)));
        if !second.is_empty() {
            y.push_str(&format!("    status: {second}\n"));
        }
        y.push_str(&advice(&self.update_advice, "    "));
        y
    }

    /// Whether audience `a`, depending on `components`, is affected, by the README's rule.
    fn affects(&self, a: usize, components: &[&str]) -> bool {
        self.components.is_empty()
            || self.components.iter().any(|c| components.contains(c))
            || self.advice.contains(&a)
            || self.update_advice.contains(&a)
    }
}

fn model_of(site: &str, incidents: &[Gen], audiences: usize) -> Model {
    let texts: Vec<(String, String)> =
        incidents.iter().enumerate().map(|(n, i)| (format!("i{n}"), i.yaml(audiences))).collect();
    common::model_of_texts(site, &texts)
}

/// Every file of the site rendered at `now`, by path.
fn render_at(model: &Model, now: Timestamp) -> BTreeMap<String, String> {
    let theme = Theme::builtin("en").unwrap();
    let views = views::derive(model, now);
    let rendered = render::render(model, &views, &theme, Request::site())
        .map_err(render::RenderError::from)
        .unwrap_or_else(|e| panic!("{e:?}"));
    rendered.files.into_iter().map(|f| (f.path, String::from_utf8(f.bytes).expect("UTF-8"))).collect()
}

/// The incident ids linked by the elements `selector` picks in `html`.
fn linked(html: &str, selector: &str) -> BTreeSet<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| href.split("incidents/").nth(1))
        .filter_map(|rest| rest.split('/').next())
        .map(str::to_owned)
        .collect()
}

/// The incident ids of a feed's entries, from their links.
fn feed_incidents(xml: &str) -> BTreeSet<String> {
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("the feed parses");
    feed.entries
        .iter()
        .filter_map(|e| e.links.first())
        .filter_map(|l| l.href.split("incidents/").nth(1).and_then(|r| r.split('/').next()).map(str::to_owned))
        .collect()
}

fn generated() -> impl Strategy<Value = Gen> {
    let kinds = prop::sample::select(vec!["outage", "maintenance", "notice"]);
    let components = prop::sample::subsequence(COMPONENTS.to_vec(), 0..=2);
    let audiences = prop::collection::vec(0usize..3, 0..2);
    (kinds, components, 0i64..(20 * 24 * 60), any::<bool>(), audiences.clone(), audiences).prop_map(
        |(kind, components, start, ended, advice, update_advice)| Gen {
            kind,
            components,
            start,
            ended,
            advice,
            update_advice,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn audience_pages_and_feeds_hold_exactly_what_affects_them(
        audiences in prop::collection::vec(prop::sample::subsequence(COMPONENTS.to_vec(), 1..=2), 1..4),
        incidents in prop::collection::vec(generated(), 0..10),
        now in 0i64..(22 * 24 * 60),
    ) {
        let site = site_yaml(&audiences);
        let model = model_of(&site, &incidents, audiences.len());
        let now = base() + SignedDuration::from_mins(now);
        let files = render_at(&model, now);
        let views = views::derive(&model, now);
        for (a, components) in audiences.iter().enumerate() {
            let mut expected: BTreeSet<String> = BTreeSet::new();
            let mut current_others: BTreeSet<String> = BTreeSet::new();
            for (n, inc) in incidents.iter().enumerate() {
                let id = format!("i{n}");
                let index = model.incidents.iter().position(|i| i.id.as_str() == id).unwrap();
                let view = &views.incidents[index];
                if view.phase == views::Phase::Unpublished {
                    continue;
                }
                if inc.affects(a, components) {
                    expected.insert(id);
                } else if view.phase.is_current() {
                    current_others.insert(id);
                }
            }
            let front = &files[&format!("for/a{a}/index.html")];
            let mut shown = linked(front, ".card h3 a");
            let history: Vec<&String> = files
                .iter()
                .filter(|(p, _)| p.starts_with(&format!("for/a{a}/history/")) && p.ends_with(".html"))
                .map(|(_, html)| html)
                .collect();
            for page in history {
                shown.extend(linked(page, ".incident-list > li > a"));
            }
            prop_assert_eq!(&shown, &expected, "audience a{} ({:?}): its front page and history", a, components);
            prop_assert_eq!(linked(front, "[aria-labelledby=others-h] li > a"), current_others, "what does not affect a{}", a);
            match files.get(&format!("for/a{a}/feed.xml")) {
                Some(feed) => prop_assert_eq!(feed_incidents(feed), expected.clone(), "a{}'s feed", a),
                None => prop_assert!(expected.is_empty(), "a{} has no feed but is affected by {:?}", a, expected),
            }
            let json: serde_json::Value = serde_json::from_str(&files[&format!("for/a{a}/summary.json")]).unwrap();
            for list in ["incidents", "scheduled_maintenances"] {
                for item in json[list].as_array().unwrap() {
                    let id = item["id"].as_str().unwrap();
                    prop_assert!(expected.contains(id), "a{}'s JSON lists {} which does not affect it", a, id);
                }
            }
        }
    }
}

/// A site with two audiences, and one ongoing incident giving each its own
/// advice, one of them renewed by an update, and advice for one component.
const SITE: &str = "title: Advice Status
timezone: Europe/Helsinki
base_url: https://status.example/
components:
  - { id: api, name: Public API }
  - { id: webhooks, name: Webhooks }
  - { id: web, name: Website }
audiences:
  - { id: shops, name: Online shops, components: [api] }
  - { id: devs, name: Developers, components: [api, webhooks] }
  - { id: visitors, name: Visitors, components: [web] }
";

const INCIDENT: &str = "title: Webhooks late
kind: outage
impact: major
components: [webhooks, api]
started_at: 2026-03-14T10:00:00+02:00
advice:
  - { for: [shops], body: ADVICE-SHOPS-FIRST }
  - { for: [devs], body: ADVICE-DEVS }
  - { for: [webhooks], body: ADVICE-WEBHOOKS }
updates:
  - { at: 2026-03-14T10:05:00+02:00, status: investigating, body: UPDATE-ONE }
  - at: 2026-03-14T10:30:00+02:00
    status: identified
    body: UPDATE-TWO
    advice:
      - { for: [shops], body: ADVICE-SHOPS-NOW }
";

const MARKERS: [&str; 4] = ["ADVICE-SHOPS-FIRST", "ADVICE-SHOPS-NOW", "ADVICE-DEVS", "ADVICE-WEBHOOKS"];

fn advice_site() -> BTreeMap<String, String> {
    let model = common::model_of_texts(SITE, &[("late".to_owned(), INCIDENT.to_owned())]);
    render_at(&model, "2026-03-14T10:45:00+02:00".parse().unwrap())
}

/// The markers that the text of the elements `selector` picks holds.
fn markers_in(html: &str, selector: &str) -> BTreeSet<&'static str> {
    let doc = Html::parse_document(html);
    let text: String = doc.select(&Selector::parse(selector).unwrap()).flat_map(|e| e.text()).collect();
    MARKERS.iter().copied().filter(|m| text.contains(m)).collect()
}

fn set(list: &[&'static str]) -> BTreeSet<&'static str> {
    list.iter().copied().collect()
}

#[test]
fn advice_appears_where_promised_and_nowhere_else() {
    let files = advice_site();
    let shops = &files["for/shops/index.html"];
    assert_eq!(
        markers_in(shops, ".card .advice"),
        set(&["ADVICE-SHOPS-NOW"]),
        "the update's advice replaces the first"
    );
    assert_eq!(markers_in(shops, "main"), set(&["ADVICE-SHOPS-NOW"]), "and nothing else on the page");
    let doc = Html::parse_document(shops);
    let card = doc.select(&Selector::parse(".card").unwrap()).next().unwrap();
    let first: Vec<String> = card.child_elements().map(|e| e.value().name().to_owned()).collect();
    let advice_at = first.iter().position(|n| n == "div").unwrap();
    assert!(
        advice_at <= 3,
        "the advice comes first in the card, after its title, status and whom it affects: {first:?}"
    );
    assert_eq!(markers_in(&files["for/devs/index.html"], "main"), set(&["ADVICE-DEVS", "ADVICE-WEBHOOKS"]));
    let visitors = &files["for/visitors/index.html"];
    assert!(markers_in(visitors, "main").is_empty());
    assert!(visitors.contains("Does not affect Visitors"), "says it does not affect them");

    let page = &files["incidents/late/index.html"];
    let doc = Html::parse_document(page);
    let headings: Vec<String> =
        doc.select(&Selector::parse(".advice-box h3").unwrap()).map(|h| h.text().collect::<String>()).collect();
    assert_eq!(headings, ["Online shops", "Developers", "If you use Webhooks"]);
    assert_eq!(markers_in(page, ".advice-box"), set(&["ADVICE-SHOPS-NOW", "ADVICE-DEVS", "ADVICE-WEBHOOKS"]));
    assert_eq!(markers_in(page, ".timeline"), set(&["ADVICE-SHOPS-NOW"]), "the update's own advice, in the timeline");
    let reach: Vec<String> =
        doc.select(&Selector::parse(".reach li").unwrap()).map(|li| li.text().collect::<String>()).collect();
    assert_eq!(reach, ["Online shops: Affected", "Developers: Affected", "Visitors: Not affected"]);

    assert_eq!(markers_in(&files["components/webhooks/index.html"], "main"), set(&["ADVICE-WEBHOOKS"]));
    for path in ["index.html", "components/api/index.html", "components/web/index.html", "history/2026/index.html"] {
        assert!(markers_in(&files[path], "body").is_empty(), "{path} shows no advice");
    }
    for path in ["feed.xml", "rss.xml", "incidents/late/feed.xml", "api/v2/summary.json", "api/v2/incidents.json"] {
        assert!(MARKERS.iter().all(|m| !files[path].contains(m)), "{path} carries no advice");
    }

    let feed = feed_rs::parser::parse(files["for/shops/feed.xml"].as_bytes()).unwrap();
    let contents: Vec<String> =
        feed.entries.iter().map(|e| e.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default()).collect();
    assert_eq!(contents.len(), 2);
    assert!(contents[0].starts_with("<h2>What this means for you</h2>"), "{}", contents[0]);
    assert!(contents[0].contains("ADVICE-SHOPS-NOW") && contents[0].contains("UPDATE-TWO"), "{}", contents[0]);
    assert!(!contents[0].contains("ADVICE-SHOPS-FIRST") && !contents[0].contains("ADVICE-DEVS"));
    assert!(contents[1].contains("ADVICE-SHOPS-FIRST") && contents[1].contains("UPDATE-ONE"), "as of the first update");
    let devs = feed_rs::parser::parse(files["for/devs/feed.xml"].as_bytes()).unwrap();
    let body = devs.entries[0].content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    assert!(body.contains("ADVICE-DEVS") && body.contains("ADVICE-WEBHOOKS") && !body.contains("SHOPS"), "{body}");
    let webhooks = &files["components/webhooks/feed.xml"];
    assert!(webhooks.contains("ADVICE-WEBHOOKS") && !webhooks.contains("ADVICE-DEVS"), "{webhooks}");
    assert!(!files.contains_key("for/visitors/feed.xml"), "nothing has affected visitors");

    let json: serde_json::Value = serde_json::from_str(&files["for/shops/summary.json"]).unwrap();
    assert_eq!(json["incidents"][0]["candor"]["advice"], serde_json::json!(["ADVICE-SHOPS-NOW"]));
    assert_eq!(json["status"]["indicator"], "major");
    let visitors: serde_json::Value = serde_json::from_str(&files["for/visitors/summary.json"]).unwrap();
    assert_eq!(visitors["incidents"], serde_json::json!([]));
    assert_eq!(visitors["status"]["indicator"], "none");

    let md = &files["incidents/late/index.md"];
    let shops_at = md.find("### Online shops").expect("a heading per audience in the Markdown version");
    assert!(md[shops_at..].contains("ADVICE-SHOPS-NOW") && !md.contains("ADVICE-SHOPS-FIRST"), "{md}");
    assert!(files["for/shops/index.md"].contains("ADVICE-SHOPS-NOW"));
    assert!(MARKERS.iter().all(|m| !files["index.md"].contains(m)), "the front page's Markdown gives no advice");
}

#[test]
fn the_machine_readable_files_say_what_is_current_and_stay_text() {
    let hostile = INCIDENT.replace("title: Webhooks late", "title: \"[x](javascript:alert(1)) <b>late</b> # *now*\"");
    let model = common::model_of_texts(SITE, &[("late".to_owned(), hostile)]);
    let files = render_at(&model, "2026-03-14T10:45:00+02:00".parse().unwrap());
    let llms = &files["llms.txt"];
    assert!(llms.starts_with("# Advice Status\n\n> "), "{llms}");
    assert!(llms.contains("(https://status.example/incidents/late/index.md)"), "{llms}");
    assert!(llms.contains("(https://status.example/for/shops/index.md)"), "{llms}");
    for path in ["llms.txt", "index.md", "incidents/late/index.md", "for/devs/index.md"] {
        let parser = pulldown_cmark::Parser::new(&files[path]);
        for event in parser {
            match event {
                pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) => {
                    panic!("{path}: HTML in the Markdown: {h}")
                }
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
                    assert!(dest_url.starts_with("https://status.example/"), "{path}: a link to {dest_url}");
                }
                _ => {}
            }
        }
    }
}
