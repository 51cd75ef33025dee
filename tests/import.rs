//! `candor import`: real Statuspage and cState data imported, built, and the
//! built site compared with the source; the manage API and the public API
//! served over HTTP by the test; merging into an existing site, importing
//! again, never replacing a file, and hostile data.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{candor, repo, snapshot, stderr};
use serde_json::Value;

/// The moment the Statuspage fixture was written at (see tests/fixtures/statuspage/make.py).
const STATUSPAGE_NOW: &str = "2026-03-20T12:00:00-04:00";

fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures").join(path)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn run_import(args: &[&str]) -> Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    candor(&all)
}

/// `candor import TOOL SRC --root ROOT EXTRA...`, which must succeed; its report.
fn import_into(tool: &str, src: &Path, root: &Path, extra: &[&str]) -> String {
    let mut args = vec![tool, src.to_str().unwrap(), "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(run_import(&args))
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "stdout:\n{}\nstderr:\n{}", stdout(&output), stderr(&output));
    stdout(&output)
}

fn build(root: &Path, now: &str) {
    ok(candor(&["build", "--root", root.to_str().unwrap(), "--now", now]));
}

fn json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every incident file under `root/incidents`, parsed with a YAML parser, by id.
fn incident_files(root: &Path) -> BTreeMap<String, Value> {
    walkdir::WalkDir::new(root.join("incidents"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            let id = e.path().file_stem().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(e.path()).unwrap();
            let value: Value =
                serde_saphyr::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
            (id, value)
        })
        .collect()
}

/// The built incident id of each old address `incidents/SOURCE_ID`.
fn ids_by_alias(root: &Path, prefix: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (id, file) in incident_files(root) {
        for alias in file["aliases"].as_array().into_iter().flatten() {
            let alias = alias.as_str().unwrap().trim_end_matches('/');
            if let Some(source) = alias.strip_prefix(prefix) {
                out.insert(source.to_owned(), id.clone());
            }
        }
    }
    out
}

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// Compares the built API with the Statuspage source on every field the
/// import carries: each incident's and maintenance's name, impact, status,
/// times and components, and each update's status, time and body. Returns
/// how many updates were compared.
fn compare_with_statuspage(
    source: &[Value],
    built: &[Value],
    ids: &HashMap<String, String>,
    extra: &[(&str, &str)],
) -> usize {
    assert_eq!(built.len(), source.len(), "every item is in the built API");
    let by_id: HashMap<&str, &Value> = built.iter().map(|b| (b["id"].as_str().unwrap(), b)).collect();
    let mut updates = 0;
    for s in source {
        let sid = s["id"].as_str().unwrap();
        let b = by_id[ids.get(sid).unwrap_or_else(|| panic!("{sid} has no alias")).as_str()];
        let maintenance = s["scheduled_for"].is_string();
        let mut fields = vec!["name", "impact", "status", "created_at", "resolved_at", "monitoring_at"];
        if maintenance {
            fields.extend(["scheduled_for", "scheduled_until"]);
        } else {
            fields.push("started_at");
        }
        for field in fields {
            assert_eq!(text(&b[field]), text(&s[field]), "{sid}: {field}");
        }
        let names = |v: &Value| {
            let mut n: Vec<String> = v["components"].as_array().unwrap().iter().map(|c| text(&c["name"])).collect();
            n.sort();
            n
        };
        assert_eq!(names(b), names(s), "{sid}: components");
        let mut built_updates: Vec<&Value> = b["incident_updates"].as_array().unwrap().iter().collect();
        // The one update the import adds on purpose: a monitoring_at with no monitoring update.
        if let Some((_, at)) = extra.iter().find(|(id, _)| *id == sid) {
            let added = built_updates.iter().position(|u| u["created_at"] == *at).expect("the added monitoring update");
            assert_eq!(
                (text(&built_updates[added]["status"]), text(&built_updates[added]["body"])),
                ("monitoring".into(), "Monitoring".into())
            );
            built_updates.remove(added);
        }
        let source_updates = s["incident_updates"].as_array().unwrap();
        assert_eq!(built_updates.len(), source_updates.len(), "{sid}: updates");
        for (bu, su) in built_updates.iter().zip(source_updates) {
            assert_eq!(text(&bu["status"]), text(&su["status"]), "{sid}: update status");
            assert_eq!(text(&bu["display_at"]), text(&su["display_at"]), "{sid}: update time");
            assert_eq!(text(&bu["created_at"]), text(&su["display_at"]), "{sid}: update time");
            assert_eq!(text(&bu["body"]), text(&su["body"]).trim(), "{sid}: update body");
            updates += 1;
        }
    }
    updates
}

/// The source's incidents whose monitoring_at no update stands for, with that time.
fn monitored_silently(source: &[Value]) -> Vec<(String, String)> {
    source
        .iter()
        .filter(|s| {
            s["monitoring_at"].is_string()
                && !s["incident_updates"].as_array().unwrap().iter().any(|u| u["status"] == "monitoring")
        })
        .map(|s| (text(&s["id"]), text(&s["monitoring_at"])))
        .collect()
}

/// The built components (members with their group's name) against the source's.
fn compare_components(source: &[Value], built: &[Value]) {
    let members = |list: &[Value]| -> Vec<(String, Option<String>, Option<String>)> {
        let groups: HashMap<String, String> =
            list.iter().filter(|c| c["group"] == true).map(|c| (text(&c["id"]), text(&c["name"]))).collect();
        list.iter()
            .filter(|c| c["group"] != true)
            .map(|c| {
                (
                    text(&c["name"]),
                    c["group_id"].as_str().map(|g| groups[g].clone()),
                    c["description"].as_str().map(str::to_owned),
                )
            })
            .collect()
    };
    assert_eq!(members(built), members(source), "components, their groups, descriptions and order");
}

#[test]
fn a_statuspage_export_round_trips_through_the_built_api() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let report = import_into("statuspage", &fixture("statuspage/public"), &root, &[]);
    for line in [
        "components         9 (9 added",
        "incidents         42",
        "maintenance        6",
        "post-mortems       1",
        "promises      not looked for",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    assert!(report.contains("with no update saying so; a `monitoring` update marks it"), "{report}");
    assert!(report.contains("post-mortem was never published; its text is kept in the file as a comment"), "{report}");
    build(&root, STATUSPAGE_NOW);
    let api = root.join("public/api/v2");
    let ids = ids_by_alias(&root, "incidents/");
    let source = json(&fixture("statuspage/public/incidents.json"));
    let source_incidents = source["incidents"].as_array().unwrap();
    let silent = monitored_silently(source_incidents);
    assert_eq!(silent.len(), 1, "the fixture has one incident monitored without an update");
    let extra: Vec<(&str, &str)> = silent.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let built = json(&api.join("incidents.json"));
    let compared = compare_with_statuspage(source_incidents, built["incidents"].as_array().unwrap(), &ids, &extra);
    let source_m = json(&fixture("statuspage/public/scheduled-maintenances.json"));
    let built_m = json(&api.join("scheduled-maintenances.json"));
    let compared_m = compare_with_statuspage(
        source_m["scheduled_maintenances"].as_array().unwrap(),
        built_m["scheduled_maintenances"].as_array().unwrap(),
        &ids,
        &[],
    );
    assert!(
        compared > 150 && compared_m > 15,
        "{compared} incident updates, {compared_m} maintenance updates compared"
    );
    let components = json(&api.join("components.json"));
    compare_components(
        json(&fixture("statuspage/public/components.json"))["components"].as_array().unwrap(),
        components["components"].as_array().unwrap(),
    );
    let summary = json(&api.join("summary.json"));
    let source_summary = json(&fixture("statuspage/public/summary.json"));
    for list in ["incidents", "scheduled_maintenances"] {
        let names = |v: &Value| v[list].as_array().unwrap().iter().map(|i| text(&i["name"])).collect::<Vec<_>>();
        assert_eq!(names(&summary), names(&source_summary), "summary.json: {list}");
    }
    assert_eq!(components["page"]["name"], "Northwind Status");
    assert_eq!(components["page"]["time_zone"], "America/New_York");
    let postmortem = source_incidents.iter().find(|s| s["status"] == "postmortem").unwrap();
    let page = fs::read_to_string(
        root.join(format!("public/incidents/{}/index.html", ids[postmortem["id"].as_str().unwrap()])),
    )
    .unwrap();
    assert!(page.contains("A certificate on the card gateway expired at 09:02."), "the post-mortem is shown");
    let check = candor(&["check", "--root", root.to_str().unwrap(), "--now", STATUSPAGE_NOW]);
    assert!(check.status.success(), "every imported file validates: {}", stderr(&check));
}

#[test]
fn old_statuspage_addresses_redirect_to_the_imported_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    import_into("statuspage", &fixture("statuspage/public"), &root, &[]);
    build(&root, STATUSPAGE_NOW);
    let ids = ids_by_alias(&root, "incidents/");
    let selector = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
    let link = scraper::Selector::parse("main a").unwrap();
    for (old, new) in ids.iter().take(10) {
        let html = fs::read_to_string(root.join(format!("public/incidents/{old}/index.html"))).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let refresh = doc.select(&selector).next().unwrap().value().attr("content").unwrap().to_owned();
        let expected = format!("../../incidents/{new}/index.html");
        assert_eq!(refresh, format!("0; url={expected}"));
        assert_eq!(doc.select(&link).next().unwrap().value().attr("href"), Some(expected.as_str()));
        assert!(root.join(format!("public/incidents/{new}/index.html")).is_file());
    }
}

#[test]
fn importing_again_changes_nothing_and_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let src = fixture("statuspage/public");
    import_into("statuspage", &src, &root, &[]);
    let first = snapshot(&root);
    let again = import_into("statuspage", &src, &root, &[]);
    assert!(again.contains("already imported, left as they were: 48"), "{again}");
    assert!(again.contains("files written: 0"), "{again}");
    assert_eq!(snapshot(&root), first, "a second import changes no byte");

    // An edited incident stays as edited, and a file in the way is never replaced.
    let (path, text) = first.iter().find(|(p, _)| p.starts_with("incidents/")).unwrap();
    let edited = String::from_utf8(text.clone()).unwrap().replace("title: ", "title: Edited ");
    fs::write(root.join(path), &edited).unwrap();
    let fresh = dir.path().join("fresh");
    fs::create_dir_all(fresh.join("incidents/2025")).unwrap();
    fs::write(fresh.join("site.yaml"), "title: T\ntimezone: UTC\ncomponents:\n  - { id: x, name: X }\n").unwrap();
    let in_the_way = fresh.join(format!("incidents/2025/{}", Path::new(path).file_name().unwrap().to_string_lossy()));
    let mine = "title: Mine\nkind: outage\nimpact: minor\nstarted_at: 2025-01-01T00:00:00Z\nupdates:\n  - { at: 2025-01-01T00:00:00Z, status: resolved, body: Mine. }\n";
    fs::write(&in_the_way, mine).unwrap();
    import_into("statuspage", &src, &fresh, &[]);
    assert_eq!(fs::read_to_string(&in_the_way).unwrap(), mine, "the file in the way is untouched");
    let stem = in_the_way.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(fresh.join(format!("incidents/2025/{stem}-2.yaml")).is_file(), "the import took the next free id");
    import_into("statuspage", &src, &root, &[]);
    assert_eq!(fs::read_to_string(root.join(path)).unwrap(), edited, "an edited incident is not imported over");
}

#[test]
fn an_existing_site_keeps_its_site_yaml_and_gains_only_missing_components() {
    let dir = common::demo_copy();
    let root = dir.path();
    let before = fs::read_to_string(root.join("site.yaml")).unwrap();
    let extra = "  - id: rest\n    name: REST API\n    group: Platform\n";
    let with_rest = before.replace("components:\n", &format!("components:\n{extra}"));
    fs::write(root.join("site.yaml"), &with_rest).unwrap();
    let report = import_into("statuspage", &fixture("statuspage/public"), root, &[]);
    assert!(report.contains("into the site:"), "{report}");
    assert!(report.contains("| REST API | API | rest |"), "a component of the same name is reused: {report}");
    assert!(report.contains("components         9 (6 added to site.yaml, 3 already there)"), "{report}");
    assert!(
        report.contains("component webhooks: its group is `API` in Statuspage, `Platform` in site.yaml"),
        "{report}"
    );
    let after = fs::read_to_string(root.join("site.yaml")).unwrap();
    let kept_until = after.find("  - id: graphql-api").expect("new components are appended to the list");
    assert!(after.starts_with(&with_rest[..with_rest.find("\ncomponents:").unwrap()]), "the top is as it was");
    assert_eq!(&after[..kept_until], &with_rest[..kept_until], "everything before the new components is unchanged");
    assert!(after.contains("# Freezes the clock"), "comments are kept");
    assert_eq!(after.matches("- id: ").count(), with_rest.matches("- id: ").count() + 6);
    build(root, "2026-11-20T14:05:00+02:00");
    let demo_page = root.join("public/incidents/2026-11-09-storm-power-loss-helsinki-data-centre/index.html");
    assert!(demo_page.is_file(), "the site's own incidents are still built");
}

/// A test server on 127.0.0.1 that serves the manage API of the fixture page,
/// ten records per page whatever is asked, answering the first request for the
/// second page of incidents with 429, and refusing requests without the key.
mod server {
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::{Path, Query, State};
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use serde_json::Value;

    pub const KEY: &str = "sp-test-key-4f1c9e";
    const PAGE: usize = 10;

    #[derive(Clone)]
    pub struct Data {
        pub files: Arc<std::collections::HashMap<String, String>>,
        pub requests: Arc<Mutex<Vec<String>>>,
        pub limited: Arc<AtomicUsize>,
    }

    fn authorised(headers: &HeaderMap) -> bool {
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) == Some(&format!("OAuth {KEY}"))
    }

    fn json(text: String) -> Response {
        ([(header::CONTENT_TYPE, "application/json")], text).into_response()
    }

    async fn page(State(d): State<Data>, Path(id): Path<String>, headers: HeaderMap) -> Response {
        let sent = if headers.contains_key(header::AUTHORIZATION) { " with a key" } else { "" };
        d.requests.lock().unwrap().push(format!("page {id}{sent}"));
        if let Some(elsewhere) = id.strip_prefix("moved-to-") {
            let to = format!("http://{}/v1/pages/y2j98763l443", elsewhere.replace('_', ":"));
            return (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
        }
        if !authorised(&headers) {
            return (StatusCode::UNAUTHORIZED, "{\"error\":\"unauthorized\"}").into_response();
        }
        json(d.files["page.json"].clone())
    }

    async fn list(
        State(d): State<Data>,
        Path((_, what)): Path<(String, String)>,
        Query(q): Query<std::collections::HashMap<String, String>>,
        headers: HeaderMap,
    ) -> Response {
        let n: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        d.requests.lock().unwrap().push(format!("{what} {n}"));
        if !authorised(&headers) {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        if what == "incidents" && n == 2 && d.limited.fetch_add(1, Ordering::SeqCst) == 0 {
            return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")], "slow down").into_response();
        }
        let Some(text) = d.files.get(&format!("{what}.json")) else { return StatusCode::NOT_FOUND.into_response() };
        let all: Vec<Value> = serde_json::from_str(text).unwrap();
        let chunk: Vec<&Value> = all.iter().skip((n - 1) * PAGE).take(PAGE).collect();
        json(serde_json::to_string(&chunk).unwrap())
    }

    async fn public(State(d): State<Data>, Path(name): Path<String>) -> Response {
        d.requests.lock().unwrap().push(format!("public {name}"));
        match d.files.get(&name) {
            Some(text) => json(text.clone()),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }

    /// Starts the server on its own thread; returns its address.
    pub fn start(folder: &std::path::Path) -> (SocketAddr, Data) {
        let files = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
            .collect();
        let data = Data { files: Arc::new(files), requests: Arc::default(), limited: Arc::default() };
        let app = Router::new()
            .route("/v1/pages/{id}", get(page))
            .route("/v1/pages/{id}/{what}", get(list))
            .route("/api/v2/{name}", get(public))
            .with_state(data.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        (rx.recv().unwrap(), data)
    }
}

fn import_with_key(src: &str, root: &Path, key: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command
        .args(["import", "statuspage", src, "--root", root.to_str().unwrap()])
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    command.env_remove("STATUSPAGE_API_KEY");
    for proxy in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
        command.env_remove(proxy);
    }
    if let Some(key) = key {
        command.env("STATUSPAGE_API_KEY", key);
    }
    command.output().unwrap()
}

#[test]
fn the_manage_api_is_read_page_by_page_with_the_key_never_printed() {
    let (addr, data) = server::start(&fixture("statuspage/manage"));
    let src = format!("http://{addr}/v1/pages/y2j98763l443");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let output = import_with_key(&src, &root, Some(server::KEY));
    let everything = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!everything.contains(server::KEY), "the key is never printed");
    let report = ok(output);
    assert!(report.contains("incidents         42") && report.contains("maintenance        6"), "{report}");
    assert!(report.contains("post-mortems       1"), "{report}");
    let requests = data.requests.lock().unwrap().clone();
    for expected in [
        "page y2j98763l443 with a key",
        "incidents 1",
        "incidents 2",
        "incidents 5",
        "incidents 6",
        "components 1",
        "component-groups 1",
    ] {
        assert!(requests.iter().any(|r| r == expected), "{expected} in {requests:?}");
    }
    assert_eq!(requests.iter().filter(|r| *r == "incidents 2").count(), 2, "asked to wait, it asked again");
    build(&root, STATUSPAGE_NOW);
    let ids = ids_by_alias(&root, "incidents/");
    let all = json(&fixture("statuspage/manage/incidents.json"));
    let (maint, inc): (Vec<Value>, Vec<Value>) =
        all.as_array().unwrap().iter().cloned().partition(|i| i["scheduled_for"].is_string());
    let silent = monitored_silently(&inc);
    let extra: Vec<(&str, &str)> = silent.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let api = root.join("public/api/v2");
    compare_with_statuspage(&inc, json(&api.join("incidents.json"))["incidents"].as_array().unwrap(), &ids, &extra);
    compare_with_statuspage(
        &maint,
        json(&api.join("scheduled-maintenances.json"))["scheduled_maintenances"].as_array().unwrap(),
        &ids,
        &[],
    );
    let site = fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(site.contains("base_url: https://status.northwind.example/"), "the page's own domain: {site}");
}

#[test]
fn the_manage_api_without_a_key_or_with_a_wrong_one_imports_nothing() {
    let (addr, _) = server::start(&fixture("statuspage/manage"));
    let src = format!("http://{addr}/v1/pages/y2j98763l443");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let missing = import_with_key(&src, &root, None);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("set STATUSPAGE_API_KEY"), "{}", stderr(&missing));
    let wrong = import_with_key(&src, &root, Some("not-the-key-8d2"));
    assert!(!wrong.status.success());
    let err = stderr(&wrong);
    assert!(err.contains("refused the request (401)") && !err.contains("not-the-key-8d2"), "{err}");
    assert!(!root.exists(), "nothing was written");
}

#[test]
fn the_key_is_not_sent_on_after_a_redirect() {
    let (elsewhere, seen) = server::start(&fixture("statuspage/manage"));
    let (addr, _) = server::start(&fixture("statuspage/manage"));
    let moved = format!("moved-to-{}", elsewhere.to_string().replace(':', "_"));
    let dir = tempfile::tempdir().unwrap();
    let output = import_with_key(&format!("http://{addr}/v1/pages/{moved}"), &dir.path().join("s"), Some(server::KEY));
    assert!(!output.status.success(), "{}", stdout(&output));
    assert_eq!(*seen.requests.lock().unwrap(), ["page y2j98763l443"], "the other server got no key");
    assert!(!stderr(&output).contains(server::KEY));
}

#[test]
fn the_public_api_is_read_from_the_page_address() {
    let (addr, data) = server::start(&fixture("statuspage/public"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let report = ok(import_with_key(&format!("http://{addr}"), &root, None));
    assert!(report.contains("incidents         42"), "{report}");
    let requests = data.requests.lock().unwrap().clone();
    assert_eq!(
        requests,
        [
            "public summary.json",
            "public components.json",
            "public incidents.json",
            "public scheduled-maintenances.json"
        ]
    );
    build(&root, STATUSPAGE_NOW);
    let source = json(&fixture("statuspage/public/incidents.json"));
    let silent = monitored_silently(source["incidents"].as_array().unwrap());
    let extra: Vec<(&str, &str)> = silent.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let built = json(&root.join("public/api/v2/incidents.json"));
    compare_with_statuspage(
        source["incidents"].as_array().unwrap(),
        built["incidents"].as_array().unwrap(),
        &ids_by_alias(&root, "incidents/"),
        &extra,
    );
}

#[test]
fn promises_in_the_text_become_data_marked_with_the_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let report = import_into("statuspage", &fixture("statuspage/public"), &root, &["--infer-promises"]);
    assert!(report.contains("Promises recognised ("), "{report}");
    let files = incident_files(&root);
    let mut inferred = 0;
    for entry in walkdir::WalkDir::new(root.join("incidents"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
    {
        let text = fs::read_to_string(entry.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, _) in lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with("next_update_by:")) {
            let comment = lines[i - 1].trim_start();
            let quoted =
                comment.strip_prefix("# next_update_by inferred from the text: \"").and_then(|c| c.strip_suffix('"'));
            let sentence = quoted.unwrap_or_else(|| panic!("a comment quotes the sentence: {comment}"));
            assert!(text.contains(&format!("      {sentence}")) || text.contains(sentence), "{sentence}");
            inferred += 1;
        }
    }
    assert!(inferred > 20, "{inferred} promises");
    assert!(files.values().any(|f| f["updates"].as_array().unwrap().iter().any(|u| u["next_update_by"].is_string())));
    build(&root, STATUSPAGE_NOW);
    let built = json(&root.join("public/api/v2/incidents.json"));
    let counted: u64 = built["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            ["kept", "broken", "overdue", "pending"]
                .iter()
                .map(|k| i["candor"]["promises"][k].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();
    assert!(counted > 20, "the track record counts the promises: {counted}");
}

#[test]
fn a_cstate_site_imports_with_its_timeline_post_mortem_and_old_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("status");
    let report = import_into("cstate", &fixture("cstate"), &root, &["--infer-promises"]);
    for line in [
        "incidents          5",
        "maintenance        1",
        "announcements      1",
        "updates           16",
        "post-mortems       1",
        "promises           3",
        "draft, which cState does not publish",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    let files = incident_files(&root);
    let outage = &files["2025-02-03-web-app-unavailable-database-failover"];
    assert_eq!(outage["aliases"], serde_json::json!(["issues/web-app-down/", "incidents/2025/web-app-down"]));
    assert_eq!(outage["components"], serde_json::json!(["web-app", "api", "reporting"]));
    assert_eq!(outage["postmortem"]["published_at"], "2025-02-03T08:30:00+02:00");
    let statuses: Vec<(&str, &str)> = outage["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["at"].as_str().unwrap(), u["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("2025-02-03T07:01:00+02:00", "investigating"),
            ("2025-02-03T07:31:00+02:00", "identified"),
            ("2025-02-03T08:30:00+02:00", "resolved")
        ]
    );
    let naive = &files["2025-01-14-elevated-api-error-rates"];
    assert_eq!(naive["started_at"], "2025-01-14T09:12:00+02:00", "naive dates are in config.yml's timeZone");
    assert_eq!(naive["resolved_at"], "2025-01-14T10:41:30+02:00");
    let site = fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(
        site.contains("timezone: Europe/Helsinki") && site.contains("base_url: https://status.lumen.example/"),
        "{site}"
    );
    build(&root, "2025-12-01T12:00:00+02:00");
    let redirect = fs::read_to_string(root.join("public/issues/web-app-down/index.html")).unwrap();
    assert!(
        redirect.contains("url=../../incidents/2025-02-03-web-app-unavailable-database-failover/index.html"),
        "{redirect}"
    );
    assert!(
        root.join("public/incidents/2025/web-app-down/index.html").is_file(),
        "the issue's Hugo alias redirects too"
    );
    let unresolved = json(&root.join("public/api/v2/incidents/unresolved.json"));
    assert_eq!(unresolved["incidents"][0]["name"], "Logins failing for some users");
    let again = import_into("cstate", &fixture("cstate"), &root, &[]);
    assert!(again.contains("already imported, left as they were: 7") && again.contains("files written: 0"), "{again}");
}

/// Whether python3 with PyYAML can run `bench/to_hugo.py`; under CI it must.
fn python_with_yaml() -> bool {
    let found = Command::new("python3").args(["-c", "import yaml"]).output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must have python3 with PyYAML (Debian: python3-yaml)"
        );
        eprintln!("skipping: python3 with PyYAML (Debian: python3-yaml) is needed to write the cState site");
    }
    found
}

/// A site made by `bench/generate` (100 incidents, seed 7), written as a cState
/// site by `bench/to_hugo.py cstate`, imported and built: the built API equals
/// the original site's built API on everything cState carries.
#[test]
fn a_generated_site_round_trips_through_cstate() {
    if !python_with_yaml() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    copy_tree(&fixture("generated"), &original);
    let long_history = |root: &Path| {
        let site = root.join("site.yaml");
        let text = fs::read_to_string(&site).unwrap();
        let text = match text.find("history_days:") {
            Some(_) => {
                text.lines()
                    .map(|l| if l.starts_with("history_days:") { "history_days: 3650" } else { l })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            }
            None => format!("{text}history_days: 3650\n"),
        };
        fs::write(site, text).unwrap();
    };
    long_history(&original);
    let cstate = dir.path().join("cstate");
    let theme = dir.path().join("theme");
    fs::create_dir(&theme).unwrap();
    let converted = Command::new("python3")
        .arg(repo().join("bench/to_hugo.py"))
        .args(["cstate", original.to_str().unwrap(), cstate.to_str().unwrap(), theme.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(converted.status.success(), "{}", stderr(&converted));
    let root = dir.path().join("imported");
    import_into("cstate", &cstate, &root, &[]);
    long_history(&root);
    let now = "2026-11-20T12:00:00+02:00";
    build(&original, now);
    build(&root, now);
    let originals = incident_files(&original);
    let imported_ids = ids_by_alias(&root, "issues/");
    let mut compared = (0, 0);
    for (id, file) in &originals {
        let kind = file["kind"].as_str().unwrap();
        let imported = &imported_ids[id];
        let a = original.join(format!("public/incidents/{id}/incident.json"));
        if kind == "notice" {
            assert!(!a.exists());
            continue;
        }
        let key = if kind == "maintenance" { "scheduled_maintenance" } else { "incident" };
        let a = &json(&a)[key];
        let b = &json(&root.join(format!("public/incidents/{imported}/incident.json")))[key];
        compare_cstate(id, file, a, b, now);
        compared.0 += 1;
        compared.1 += a["incident_updates"].as_array().unwrap().len();
    }
    assert!(compared.0 > 80 && compared.1 > 400, "{compared:?} incidents and updates compared");
}

/// One incident of the original site against its import through cState.
fn compare_cstate(id: &str, file: &Value, a: &Value, b: &Value, now: &str) {
    let maintenance = file["kind"] == "maintenance";
    assert_eq!(b["name"], a["name"], "{id}: name");
    for field in ["created_at", "resolved_at"] {
        assert_eq!(instant(&b[field]), instant(&a[field]), "{id}: {field}");
    }
    if !maintenance {
        assert_eq!(instant(&b["started_at"]), instant(&a["started_at"]), "{id}: started_at");
        // cState's severity keeps whether it was down (major or critical) or disrupted, not more.
        let down = file["kind"] == "outage" || matches!(a["impact"].as_str(), Some("major" | "critical"));
        assert_eq!(b["impact"], if down { "major" } else { "minor" }, "{id}: impact");
        // A post-mortem cState shows at once was published later on the original.
        let published_later = file["postmortem"]["published_at"].as_str().is_some_and(|p| p > now);
        if !published_later {
            assert_eq!(b["status"], a["status"], "{id}: status");
        }
    } else if a["status"] == "completed" {
        assert_eq!(b["status"], "completed", "{id}: status");
    }
    let (ua, ub) = (a["incident_updates"].as_array().unwrap(), b["incident_updates"].as_array().unwrap());
    assert_eq!(ub.len(), ua.len(), "{id}: updates");
    for (x, y) in ua.iter().zip(ub) {
        assert_eq!(y["status"], x["status"], "{id}: update status");
        assert_eq!(instant(&y["created_at"]), instant(&x["created_at"]), "{id}: update time");
        assert_eq!(y["body"], x["body"], "{id}: update body");
    }
}

/// A time in the API as an instant: the two sites write times in their own zones.
fn instant(v: &Value) -> Option<jiff::Timestamp> {
    v.as_str().map(|t| t.parse().unwrap_or_else(|e| panic!("{t}: {e}")))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().map(|e| e.unwrap()) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A Statuspage export written to be hard on the importer.
fn hostile_export(dir: &Path) {
    let hidden = "\u{1b}[31m\u{202E}";
    let update = |status: &str, at: &str, body: &str| {
        serde_json::json!({ "status": status, "body": body, "created_at": at, "display_at": at, "affected_components": [
            { "code": "c1", "name": "x", "old_status": "operational", "new_status": "major_outage" }
        ]})
    };
    let many: Vec<Value> = (0..3000)
        .map(|i| {
            update(
                "investigating",
                &format!("2025-06-01T{:02}:{:02}:{:02}Z", 10 + i / 3600, i / 60 % 60, i % 60),
                &format!("Still looking, note {i}."),
            )
        })
        .collect();
    let too_many: Vec<Value> = (0..30000)
        .map(|i| {
            update(
                "investigating",
                &format!("2025-07-01T{:02}:{:02}:{:02}Z", i / 3600, i / 60 % 60, i % 60),
                &format!("Update number {i} of a very long incident."),
            )
        })
        .collect();
    let incidents = serde_json::json!({ "page": { "name": "Hostile: <b>page</b>", "url": "https://status.example.com", "time_zone": "Mars/Olympus" },
    "incidents": [
      { "id": "h1", "name": "<script>alert(1)</script> & \"quotes\"", "impact": "critical", "status": "resolved",
        "created_at": "2025-05-01T10:00:00Z", "resolved_at": "2025-05-01T12:00:00Z", "incident_updates": [
          update("resolved", "2025-05-01T12:00:00Z", "updates:\n  - at: now\n    status: resolved\n---\n# not a comment\n\tindented with a tab\r\nwindows line"),
          update("identified", "2025-05-01T11:00:00Z", "<img src=x onerror=alert(1)> <script>document.cookie</script> visible words"),
          update("investigating", "2025-05-01T10:00:00Z", &format!("key: value # hash{hidden} and \u{85}next\u{2028}line \u{0} end")),
      ]},
      { "id": "h2", "name": "yes", "impact": "minor", "status": "resolved", "created_at": "2025-05-02T10:00:00Z",
        "incident_updates": [ update("resolved", "2025-05-02T10:30:00Z", ""), update("investigating", "2025-05-02T10:00:00Z", "   ") ]},
      { "id": "../../etc/passwd\n# injected", "name": "- [list]: *alias &anchor !tag", "impact": "weird", "status": "resolved",
        "created_at": "2025-05-03T10:00:00Z", "incident_updates": [ update("resolved", "2025-05-03T10:30:00Z", "Fine.") ]},
      { "id": "h4", "name": format!("Multi\nline{hidden} title"), "impact": "major", "status": "investigating",
        "created_at": "not a time", "incident_updates": many },
      { "id": "h5", "name": "Far too many updates", "impact": "minor", "status": "investigating",
        "created_at": "2025-07-01T00:00:00Z", "incident_updates": too_many },
      { "id": "h6", "name": "No time at all", "impact": "minor", "incident_updates": [] },
    ]});
    let components = serde_json::json!({ "components": [
        { "id": "c1", "name": "<b>API</b>: \"core\"", "group": false, "position": 1 },
        { "id": "c2", "name": "決済", "group": false, "position": 2, "description": "line one\nline two" },
    ]});
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("incidents.json"), serde_json::to_string(&incidents).unwrap()).unwrap();
    fs::write(dir.join("components.json"), serde_json::to_string(&components).unwrap()).unwrap();
}

#[test]
fn hostile_data_is_imported_as_inert_text_or_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("export");
    hostile_export(&src);
    let root = dir.path().join("status");
    let output = run_import(&["statuspage", src.to_str().unwrap(), "--root", root.to_str().unwrap()]);
    let report = stdout(&output);
    assert!(!output.status.success(), "an item that cannot be imported fails the command: {report}");
    for expected in [
        "Not imported (1)",
        "over the 1 MiB candor reads for one incident (30000 updates)",
        "the page's time zone `Mars/Olympus` is not an IANA time zone name; the site uses UTC",
        "HTML that would not show (`<script>`) escaped",
        "control or text-direction characters removed",
        "cannot have a redirect: `incidents/../../etc/passwd\n# injected`".split('\n').next().unwrap(),
        "its impact `weird` is not Statuspage's; it is `minor`",
        "incident h6: it has no time at all",
        "had no text; its status is its text",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    assert!(!report.contains(['\u{1b}', '\u{202E}']), "source text cannot drive the terminal");
    let files = incident_files(&root);
    assert_eq!(files.len(), 4, "{:?}", files.keys().collect::<Vec<_>>());
    let titles: Vec<String> = files.values().map(|f| text(&f["title"])).collect();
    for title in
        ["<script>alert(1)</script> & \"quotes\"", "yes", "- [list]: *alias &anchor !tag", "Multi\nline[31m title"]
    {
        assert!(titles.iter().any(|t| t == title), "{title:?} in {titles:?}");
    }
    for (id, text) in snapshot(&root.join("incidents")) {
        let text = String::from_utf8(text).unwrap();
        assert!(!text.contains("\n# injected"), "{id}: nothing breaks out of a comment");
        assert!(text.lines().all(|l| !l.contains('\u{1b}')), "{id}");
    }
    let check = candor(&["check", "--root", root.to_str().unwrap(), "--now", "2025-08-01T00:00:00Z"]);
    assert!(check.status.success(), "every imported file validates: {}", stderr(&check));
    build(&root, "2025-08-01T00:00:00Z");
    let api = json(&root.join("public/api/v2/incidents.json"));
    let h1 = api["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"].as_str().unwrap().starts_with("<script>"))
        .unwrap();
    let bodies: Vec<&str> =
        h1["incident_updates"].as_array().unwrap().iter().map(|u| u["body"].as_str().unwrap()).collect();
    assert_eq!(
        bodies[0],
        "updates:\n  - at: now\n    status: resolved\n---\n# not a comment\n\tindented with a tab\nwindows line",
        "YAML-looking text reads back exactly"
    );
    assert!(bodies[1].contains("&lt;script>document.cookie&lt;/script> visible words"), "{}", bodies[1]);
    assert_eq!(bodies[2], "key: value # hash[31m and next\u{2028}line  end", "control characters go, the rest stays");
    let page = scraper::Html::parse_document(
        &fs::read_to_string(root.join(format!("public/incidents/{}/index.html", h1["id"].as_str().unwrap()))).unwrap(),
    );
    let main = scraper::Selector::parse("main").unwrap();
    let main = page.select(&main).next().unwrap();
    for element in main.descendants().filter_map(scraper::ElementRef::wrap) {
        assert_ne!(element.value().name(), "script", "no script reaches the page");
        assert!(element.value().attrs().all(|(name, _)| !name.starts_with("on")), "no event handler reaches the page");
    }
    let shown: String = main.text().collect();
    assert!(shown.contains("<script>document.cookie</script> visible words"), "escaped markup shows as its text");
    assert!(shown.contains("<script>alert(1)</script> & \"quotes\""), "the title shows as written");
}

#[test]
fn malformed_json_is_refused_with_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("export");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("incidents.json"), "{\n  \"incidents\": [\n    { \"id\": \"a\", \"name\": \"x\", },\n  ]\n}\n")
        .unwrap();
    let root = dir.path().join("status");
    let output = run_import(&["statuspage", src.to_str().unwrap(), "--root", root.to_str().unwrap()]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("incidents.json, line 3, column 31: trailing comma (at `incidents[0]`)"), "{err}");
    fs::write(
        src.join("incidents.json"),
        "{ \"incidents\": [ { \"id\": \"a\", \"incident_updates\": { \"no\": 1 } } ] }",
    )
    .unwrap();
    let err = stderr(&run_import(&["statuspage", src.to_str().unwrap(), "--root", root.to_str().unwrap()]));
    assert!(err.contains("(at `incidents[0].incident_updates`)"), "the path in the data is named: {err}");
    assert!(!root.exists(), "nothing was written");
    let nothing = dir.path().join("empty");
    fs::create_dir_all(&nothing).unwrap();
    let err = stderr(&run_import(&["statuspage", nothing.to_str().unwrap(), "--root", root.to_str().unwrap()]));
    assert!(err.contains("holds no Statuspage files"), "{err}");
}
