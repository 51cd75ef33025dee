//! Properties over generated sites: any valid input renders well-formed pages,
//! feeds and API files; derived uptime stays between 0 and 100; and every
//! promise's verdict agrees with the timeline it belongs to.

mod common;

use std::path::Path;

use candor::input::{RawIncident, RawSite, from_yaml};
use candor::model::{IncidentId, Model};
use candor::views::{self, Verdict};
use candor::{build, validate};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

const SITE: &str = "title: Property Status
timezone: Europe/Helsinki
history_days: 30
components:
  - { id: api, name: Public API, group: Platform }
  - { id: payments, name: Card payments, group: Platform }
  - { id: web, name: Website }
";

const COMPONENTS: [&str; 3] = ["api", "payments", "web"];

/// The moment all generated incidents are placed around: 1 March 2026, 12:00 UTC.
fn base() -> Timestamp {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

fn at(minutes: i64) -> Timestamp {
    base() + SignedDuration::from_mins(minutes)
}

/// RFC 3339 in UTC, so daylight saving time never makes a generated time invalid.
fn time(minutes: i64) -> String {
    at(minutes).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A YAML scalar for any text: JSON strings are YAML double-quoted scalars.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[derive(Clone, Debug)]
struct Update {
    /// Minutes after the incident started.
    after: i64,
    status: Option<&'static str>,
    body: String,
    /// Minutes after this update by which the next is promised.
    promise: Option<i64>,
}

#[derive(Clone, Debug)]
struct GenIncident {
    kind: &'static str,
    impact: &'static str,
    components: Vec<&'static str>,
    /// Minutes after [`base`].
    start: i64,
    title: String,
    updates: Vec<Update>,
    /// Whether `resolved_at` is written (only when the last update is final).
    write_resolved_at: bool,
}

impl GenIncident {
    fn yaml(&self) -> String {
        let mut y = format!("title: {}\nkind: {}\n", quoted(&self.title), self.kind);
        if !matches!(self.kind, "maintenance" | "notice") {
            y.push_str(&format!("impact: {}\n", self.impact));
        }
        y.push_str(&format!("components: [{}]\n", self.components.join(", ")));
        y.push_str(&format!("started_at: {}\n", time(self.start)));
        let last = self.updates.last().unwrap();
        if self.write_resolved_at {
            y.push_str(&format!("resolved_at: {}\n", time(self.start + last.after)));
        }
        match self.kind {
            "maintenance" => y.push_str(&format!(
                "scheduled: {{ start: {}, end: {} }}\n",
                time(self.start + 60),
                time(self.start + 180)
            )),
            "data_breach" => y.push_str(
                "breach:\n  data_affected: [email addresses]\n  people_affected: 12\n  what_you_should_do: Change your password.\n",
            ),
            _ => {}
        }
        y.push_str("updates:\n");
        for u in &self.updates {
            y.push_str(&format!("  - at: {}\n", time(self.start + u.after)));
            if let Some(status) = u.status {
                y.push_str(&format!("    status: {status}\n"));
            }
            y.push_str(&format!("    body: {}\n", quoted(&u.body)));
            if let Some(p) = u.promise {
                y.push_str(&format!("    next_update_by: {}\n", time(self.start + u.after + p)));
            }
        }
        y
    }
}

/// Text with the characters that matter to escaping, and some that do not.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 <>&\"'#*_`()!:;/=.,\\[\\]{}|~é€😀-]{0,30}"
}

fn incident() -> impl Strategy<Value = GenIncident> {
    let kinds = prop::sample::select(vec!["outage", "degraded", "security", "data_breach", "maintenance", "notice"]);
    let impacts = prop::sample::select(vec!["none", "minor", "major", "critical"]);
    let components = prop::sample::subsequence(COMPONENTS.to_vec(), 0..=3);
    let updates = prop::collection::vec((0i64..600, any::<bool>(), 1i64..240, 0usize..4, text()), 1..5);
    (kinds, impacts, components, 0i64..(40 * 24 * 60), text(), updates, any::<bool>(), any::<bool>()).prop_map(
        |(kind, impact, components, start, title, raw_updates, last_final, write_resolved_at)| {
            let (ongoing, last): (&[&str], &str) = match kind {
                "maintenance" => (&["scheduled", "in_progress", "verifying"], "completed"),
                "notice" => (&[], ""),
                _ => (&["investigating", "identified", "monitoring"], "resolved"),
            };
            let count = raw_updates.len();
            let mut after = 0;
            let updates = raw_updates
                .into_iter()
                .enumerate()
                .map(|(i, (gap, promised, promise, status, body))| {
                    after += gap;
                    let status = if ongoing.is_empty() {
                        None
                    } else if i + 1 == count && last_final {
                        Some(last)
                    } else {
                        Some(ongoing[status % ongoing.len()])
                    };
                    Update { after, status, body, promise: promised.then_some(promise) }
                })
                .collect();
            let write_resolved_at = write_resolved_at && last_final && !ongoing.is_empty();
            GenIncident { kind, impact, components, start, title, updates, write_resolved_at }
        },
    )
}

fn model_of(incidents: &[GenIncident]) -> Model {
    let texts: Vec<(String, String)> = incidents.iter().enumerate().map(|(n, i)| (format!("i{n}"), i.yaml())).collect();
    common::model_of_texts(SITE, &texts)
}

/// A "now" anywhere from before the first incident to after the last.
fn now_strategy() -> impl Strategy<Value = i64> {
    -600i64..(41 * 24 * 60)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn uptime_is_a_percentage(incidents in prop::collection::vec(incident(), 0..6), now in now_strategy()) {
        let model = model_of(&incidents);
        let views = views::derive(&model, at(now));
        for (c, component) in views.components.iter().enumerate() {
            prop_assert!((0.0..=100.0).contains(&component.uptime), "component {c}: {}", component.uptime);
            for day in &component.days {
                let uptime = day.uptime();
                prop_assert!((0.0..=100.0).contains(&uptime), "{}: {uptime}", day.date);
                prop_assert!(day.downtime_minutes >= 0.0 && day.downtime_minutes <= day.total_minutes as f64 + 1e-9);
            }
        }
    }

    #[test]
    fn promise_verdicts_agree_with_the_timeline(
        incidents in prop::collection::vec(incident(), 1..5),
        now in now_strategy(),
        on_a_deadline in any::<bool>(),
    ) {
        let model = model_of(&incidents);
        // Half the time, put now exactly on a deadline: the boundary is where verdicts go wrong.
        let deadline = model.incidents.iter().flat_map(|i| &i.updates).find_map(|u| u.next_update_by);
        let now = match deadline {
            Some(due) if on_a_deadline => due,
            _ => at(now),
        };
        for incident in &model.incidents {
            let view = views::incident(incident, now);
            let shown = &incident.updates[..view.shown_updates];
            prop_assert!(shown.iter().all(|u| u.at <= now), "only updates up to now are shown");
            prop_assert!(incident.updates.windows(2).all(|w| w[0].at <= w[1].at), "updates in time order");
            for promise in &view.promises {
                let update = &shown[promise.update];
                prop_assert_eq!(Some(promise.due), update.next_update_by);
                // What answers a promise: the next shown update, or the end if that comes first.
                let next = shown.get(promise.update + 1).map(|u| u.at);
                let end = view.end.filter(|e| *e >= update.at);
                let answer = match (next, end) {
                    (Some(n), Some(e)) => Some(n.min(e)),
                    (n, e) => n.or(e),
                };
                match promise.verdict {
                    Verdict::Kept => prop_assert!(answer.is_some_and(|a| a <= promise.due), "kept: {answer:?} by {}", promise.due),
                    Verdict::Broken { late } => {
                        let a = answer.expect("a broken promise was answered");
                        prop_assert!(a > promise.due, "broken: {a} after {}", promise.due);
                        prop_assert_eq!(late, a.duration_since(promise.due));
                    }
                    Verdict::Overdue { by } => {
                        prop_assert!(answer.is_none(), "overdue, yet answered at {answer:?}");
                        prop_assert!(promise.due < now, "overdue before the deadline has passed");
                        prop_assert_eq!(by, now.duration_since(promise.due));
                    }
                    Verdict::Pending { left } => {
                        prop_assert!(answer.is_none(), "pending, yet answered at {answer:?}");
                        prop_assert!(promise.due >= now, "pending after the deadline");
                        prop_assert_eq!(left, promise.due.duration_since(now));
                    }
                }
            }
        }
    }
}

proptest! {
    // Rendering a whole site is slower; fewer cases keep `cargo test` quick.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_site_renders_well_formed_outputs(
        incidents in prop::collection::vec(incident(), 0..5),
        now in now_strategy(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
        std::fs::create_dir(dir.path().join("incidents")).unwrap();
        for (n, inc) in incidents.iter().enumerate() {
            std::fs::write(dir.path().join(format!("incidents/i{n}.yaml")), inc.yaml()).unwrap();
        }
        let options = build::Options {
            root: dir.path().to_path_buf(),
            now: Some(time(now)),
            base_url: Some("https://status.example.com/".into()),
            ..Default::default()
        };
        let prepared = build::prepare(&options, None).unwrap_or_else(|e| panic!("{e:?}"));
        let rendered = build::render(&prepared).unwrap_or_else(|e| panic!("{e:?}"));
        let mut pages = 0;
        for file in &rendered.files {
            let text = std::str::from_utf8(&file.bytes).map_err(|e| TestCaseError::fail(format!("{}: {e}", file.path)));
            let path = file.path.as_str();
            if path.ends_with(".html") {
                let html = scraper::Html::parse_document(text?);
                pages += 1;
                prop_assert!(html.errors.is_empty(), "{path}: {:?}", html.errors);
                let h1 = scraper::Selector::parse("h1").unwrap();
                // widget.html is no page but a banner for an <iframe>, which its host titles.
                let headings = if path == "widget.html" { 0 } else { 1 };
                prop_assert_eq!(html.select(&h1).count(), headings, "{} has {} h1", path, headings);
            } else if path.ends_with(".xml") || path.ends_with(".svg") {
                roxmltree::Document::parse(text?).map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            } else if path.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(text?).map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            } else if path.ends_with(".ics") {
                text?.parse::<icalendar::Calendar>().map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            }
        }
        prop_assert!(pages >= 3 + incidents.len().min(1));
    }
}

proptest! {
    // The fuzz targets' entry points, with proptest's generators: a quick smoke
    // run on every `cargo test`, where `cargo fuzz` (fuzz/) runs only in CI.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_or_fails_with_a_located_error(
        text in prop_oneof![
            ".{0,200}",
            "[a-z_:\\[\\]{}&*!|>'\"#%@`, \\n\\t-]{0,200}",
            incident().prop_map(|i| i.yaml()).prop_flat_map(|y| {
                let len = y.len();
                (Just(y), 0..=len, ".{0,3}")
            }).prop_map(|(y, cut, junk)| {
                let cut = (0..=cut).rev().find(|c| y.is_char_boundary(*c)).unwrap_or(0);
                format!("{}{junk}{}", &y[..cut], &y[cut..])
            }),
        ],
    ) {
        let raw: serde_saphyr::Spanned<RawSite> = from_yaml(SITE, Path::new("site.yaml")).unwrap();
        let site = validate::site(&raw, Path::new("site.yaml"), SITE).unwrap();
        let file = Path::new("incidents/x.yaml");
        match from_yaml::<serde_saphyr::Spanned<RawIncident>>(&text, file) {
            Err(d) => prop_assert_eq!(d.file.as_path(), file),
            Ok(raw) => {
                if let Ok(incident) = validate::incident(&raw, IncidentId::new("x"), file, &text, &site) {
                    views::incident(&incident, incident.started_at);
                }
            }
        }
    }

    #[test]
    fn any_markdown_renders_inert(source in "([a-z<>/=\"' :()\\[\\]!&#;*_`\\n-]|javascript|script|onerror|&#x202E;|\u{202E}|\u{1b}){0,60}") {
        let html = candor::markdown::to_html(&source, 4);
        prop_assert!(!html.chars().any(candor::model::is_hidden), "{:?}", html);
        let parsed = scraper::Html::parse_fragment(&html);
        for element in parsed.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            prop_assert_ne!(element.value().name(), "script");
            for (name, value) in element.value().attrs() {
                prop_assert!(!name.starts_with("on"), "{}", html);
                let squashed: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                prop_assert!(!squashed.starts_with("javascript:"), "{}", html);
            }
        }
        let plain = candor::markdown::to_plain(&source);
        prop_assert!(!plain.chars().any(candor::model::is_hidden), "{:?}", plain);
    }
}
