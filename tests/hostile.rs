//! Hostile and broken input: every case is refused with a located, plain-language
//! error and exit status 1, and the previous output stays byte-identical; text
//! written to attack readers comes out inert in every output format.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{OUTAGE, candor, site, snapshot, stderr};

/// The incident every fixture starts with.
const GOOD: &str = "2026-03-14-payments.yaml";

/// A site with one good incident and a good build of it in `public/`.
struct Fixture {
    dir: tempfile::TempDir,
    before: BTreeMap<String, Vec<u8>>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = site(&[(GOOD, OUTAGE)]);
        let result = build(dir.path(), &dir.path().join("public"));
        assert!(result.status.success(), "{}", stderr(&result));
        let before = snapshot(&dir.path().join("public"));
        assert!(before.contains_key("index.html"));
        Fixture { dir, before }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    fn incident(&self, name: &str) -> PathBuf {
        self.root().join("incidents").join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.incident(name), bytes).unwrap();
    }

    /// Builds again, expects exit status 1 and the old output untouched, and returns standard error.
    fn refused(&self) -> String {
        let result = build(self.root(), &self.out());
        self.assert_refused(&result)
    }

    fn assert_refused(&self, result: &Output) -> String {
        let err = stderr(result);
        assert_eq!(result.status.code(), Some(1), "exit status 1: {err}");
        assert!(err.contains("was left unchanged"), "{err}");
        assert_eq!(snapshot(&self.out()), self.before, "the previous output is byte-identical: {err}");
        let leftovers: Vec<_> = fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".candor-"))
            .collect();
        assert!(leftovers.is_empty(), "no staging folders are left behind: {leftovers:?}");
        err
    }
}

fn build(root: &Path, out: &Path) -> Output {
    candor(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

fn assert_says(err: &str, needles: &[&str]) {
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

#[test]
fn malformed_yaml_is_located() {
    let f = Fixture::new();
    f.write("bad.yaml", "title: \"unclosed\nkind: outage\n");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:1:8", "unclosed quote"]);
    f.write("bad.yaml", "title: x\n  kind: outage\n impact: major\n");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:2:"]);
}

#[test]
fn a_tab_in_indentation_is_located() {
    let f = Fixture::new();
    f.write("bad.yaml", OUTAGE.replace("  - at: 2026-03-14T09:55", "\t- at: 2026-03-14T09:55"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:11:1", "tab", "spaces"]);
}

#[test]
fn a_list_where_a_text_belongs_is_located() {
    let f = Fixture::new();
    f.write("bad.yaml", OUTAGE.replace("title: Card payments failing", "title: [Card, payments]"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:1:", "expected"]);
    f.write("bad.yaml", OUTAGE.replace("kind: outage", "kind: [outage, degraded]"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:2:7", "expected"]);
}

#[test]
fn impossible_dates_and_times_are_located() {
    let f = Fixture::new();
    f.write(
        "bad.yaml",
        OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-13-45T09:12:00+02:00"),
    );
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:5:13", "`2026-13-45T09:12:00+02:00` is not a valid time", "expected"]);
}

#[test]
fn naive_times_in_a_daylight_saving_gap_or_fold_are_refused() {
    let f = Fixture::new();
    // Helsinki skips 03:00-04:00 on 29 March 2026 and has 03:00-04:00 twice on 25 October 2026.
    let gap = OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-03-29 03:30");
    f.write("bad.yaml", gap.replace("2026-03-14T", "2026-03-29T").replace("+02:00", "+03:00"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:5:13", "does not exist in the site's time zone", "offset"]);
    let fold = OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: \"2026-10-25 03:30\"");
    f.write("bad.yaml", fold.replace("2026-03-14T", "2026-10-25T"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:5:13", "happens twice", "offset"]);
}

#[test]
fn invalid_utf8_is_located() {
    let f = Fixture::new();
    let mut bytes = b"title: Caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\nkind: outage\n");
    f.write("bad.yaml", bytes);
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:1:11", "not valid UTF-8", "save the file as UTF-8"]);
}

#[test]
fn empty_files_are_refused() {
    let f = Fixture::new();
    f.write("bad.yaml", "");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml", "the file is empty"]);
    f.write("bad.yaml", "# only a comment\n\n   \n");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml", "the file is empty"]);
}

#[test]
fn files_over_one_mebibyte_are_refused_unread() {
    let f = Fixture::new();
    let mut text = OUTAGE.replace("body: Fixed.", "body: |\n      Fixed.");
    let line = format!("      {}\n", "x".repeat(99));
    while text.len() <= 1024 * 1024 {
        text.push_str(&line);
    }
    f.write("bad.yaml", text);
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml", "larger than 1 MiB"]);
}

/// Runs the binary with its address space capped, so unbounded memory use
/// shows up as a crash instead of a slow machine.
fn build_with_memory_cap(root: &Path, out: &Path, kib: u64) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn nesting_and_alias_bombs_fail_fast_with_bounded_memory() {
    const CAP_KIB: u64 = 1024 * 1024;
    let f = Fixture::new();
    let control = build_with_memory_cap(f.root(), &f.root().join("control"), CAP_KIB);
    assert!(control.status.success(), "a normal build fits under the cap: {}", stderr(&control));
    // "Billion laughs": 10^12 x's if every alias were expanded.
    let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..13 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let inside: String = "title: x\nkind: outage\nsummary:\n"
        .chars()
        .chain(laughs.lines().flat_map(|l| format!("  {l}\n").chars().collect::<Vec<_>>()))
        .collect();
    let flow_deep = format!("title: x\ncomponents: {}{}\n", "[".repeat(400_000), "]".repeat(400_000));
    let block_deep: String = "title:\n"
        .chars()
        .chain((1..1000).flat_map(|i| format!("{}k{i}:\n", " ".repeat(i)).chars().collect::<Vec<_>>()))
        .collect();
    let unclosed = format!("title: x\nsummary: {}", "{".repeat(900_000));
    // Aliases where values belong, past the budget.
    let mut many = OUTAGE.replace("started_at: 2026", "started_at: &t 2026");
    for i in 0..100 {
        many.push_str(&format!("  - at: *t\n    status: investigating\n    body: &b{i} Still looking.\n"));
    }
    for (name, text) in [
        ("laughs", &laughs),
        ("inside", &inside),
        ("flow", &flow_deep),
        ("block", &block_deep),
        ("open", &unclosed),
        ("many", &many),
    ] {
        f.write("bad.yaml", text);
        let started = std::time::Instant::now();
        let result = build_with_memory_cap(f.root(), &f.out(), CAP_KIB);
        let took = started.elapsed();
        let err = f.assert_refused(&result);
        assert_says(&err, &["incidents/bad.yaml:"]);
        assert!(took.as_secs() < 10, "{name} took {took:?}");
    }
}

#[test]
fn duplicate_keys_are_located() {
    let f = Fixture::new();
    f.write("bad.yaml", OUTAGE.replace("impact: major\n", "impact: major\nimpact: minor\n"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:4:1", "`impact` appears twice", "once"]);
}

#[test]
fn file_names_that_are_not_valid_ids_are_refused() {
    let f = Fixture::new();
    for name in ["Card Payments.yaml", "-leading.yaml", "UPPER.yml", "semi;colon.yaml", "ü.yaml"] {
        f.write(name, OUTAGE);
        let err = f.refused();
        assert_says(&err, &[&format!("incidents/{name}"), "is not a valid incident id", "lower-case letters"]);
        fs::remove_file(f.incident(name)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.yaml"), "title: SECRET-OUTSIDE\n").unwrap();
    let cases: [(&str, PathBuf); 4] = [
        ("loop", PathBuf::from(".")),
        ("self.yaml", PathBuf::from("self.yaml")),
        ("outside", outside.path().to_path_buf()),
        ("outside.yaml", outside.path().join("secret.yaml")),
    ];
    for (name, target) in &cases {
        symlink(target, f.incident(name)).unwrap();
        let err = f.refused();
        assert_says(&err, &[&format!("incidents/{name}"), "symbolic links are not followed"]);
        assert!(!err.contains("SECRET-OUTSIDE"), "{err}");
        fs::remove_file(f.incident(name)).unwrap();
    }
    // A loop deeper down, and `incidents/` itself as a link.
    fs::create_dir_all(f.incident("2025/deeper")).unwrap();
    symlink("../..", f.incident("2025/deeper/up")).unwrap();
    let err = f.refused();
    assert_says(&err, &["incidents/2025/deeper/up", "not followed"]);
    fs::remove_dir_all(f.incident("2025")).unwrap();
    let real = f.root().join("real-incidents");
    fs::rename(f.root().join("incidents"), &real).unwrap();
    symlink(&real, f.root().join("incidents")).unwrap();
    let err = f.refused();
    assert_says(&err, &["incidents", "not followed"]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_site_file_is_not_read() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    // If it were read, a parse error would quote this line, secret and all.
    fs::write(outside.path().join("credentials"), "token: SECRET-TOKEN: x\n").unwrap();
    fs::rename(f.root().join("site.yaml"), f.root().join("site.real")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("credentials"), f.root().join("site.yaml")).unwrap();
    let err = f.refused();
    assert_says(&err, &["site.yaml", "symbolic link"]);
    assert!(!err.contains("SECRET-TOKEN"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_in_place_of_a_file_does_not_hang_the_build() {
    let f = Fixture::new();
    fs::rename(f.root().join("site.yaml"), f.root().join("site.real")).unwrap();
    let made = Command::new("mkfifo").arg(f.root().join("site.yaml")).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root", f.root().to_str().unwrap(), "--out", f.out().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the build waits forever on a named pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let result = child.wait_with_output().unwrap();
    let err = f.assert_refused(&result);
    assert_says(&err, &["site.yaml", "not a regular file"]);
}

/// Whether this process can read files whatever their permissions (root, or CAP_DAC_OVERRIDE).
#[cfg(unix)]
fn permissions_are_ignored(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    if permissions_are_ignored(f.root()) {
        eprintln!("skipped: running as root (or with CAP_DAC_OVERRIDE), where chmod 000 does not stop reads");
        return;
    }
    f.write("locked.yaml", OUTAGE);
    fs::set_permissions(f.incident("locked.yaml"), fs::Permissions::from_mode(0o000)).unwrap();
    let err = f.refused();
    assert_says(&err, &["incidents/locked.yaml", "cannot read the file: permission denied"]);
}

#[test]
fn an_output_folder_in_a_read_only_place_is_reported() {
    let f = Fixture::new();
    let result = candor(&["build", "--root", f.root().to_str().unwrap(), "--out", "/proc/candor-test"]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert_says(&err, &["cannot write /proc/candor-test", "/proc/candor-test was left unchanged"]);
    assert!(!err.contains(".candor-new-"), "the hidden staging folder is not what the user asked about: {err}");
}

#[cfg(unix)]
#[test]
fn an_output_folder_made_read_only_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    if permissions_are_ignored(f.root()) {
        eprintln!(
            "skipped: running as root, where chmod does not stop writes; faults::a_full_or_read_only_disk_is_reported covers a read-only mount"
        );
        return;
    }
    let locked = f.root().join("locked");
    fs::create_dir(&locked).unwrap();
    let result = build(f.root(), &locked.join("public"));
    assert!(result.status.success(), "{}", stderr(&result));
    let before = snapshot(&locked.join("public"));
    fs::write(f.incident(GOOD), OUTAGE.replace("Fixed.", "Fixed for good.")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let result = build(f.root(), &locked.join("public"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert_says(&err, &["cannot write", "permission denied", "was left unchanged"]);
    assert_eq!(snapshot(&locked.join("public")), before);
}

// ---------------------------------------------------------------------------
// Injection: text written to attack readers comes out inert in every format
// ---------------------------------------------------------------------------

/// Plain text that tries every trick, as a YAML double-quoted scalar: markup,
/// a `javascript:` URL, a handler, the ends of a title and a CDATA section, an
/// attempt to start a new iCalendar property, terminal escapes, NUL, DEL, a C1
/// control and bidirectional overrides and isolates.
const EVIL: &str = r#""<script>alert('x')</script></title></textarea>]]><!-- <img src=x onerror=alert(2)> <a href='javascript:alert(3)'>j</a> \" & \e[31m\a\0\x7f\x85 \u202Eesrever\u202C \u2066iso\u2069 \r\nX-INJECTED:1\nEND:VEVENT""#;

/// Markdown that tries every trick a body can: raw HTML, handlers, script
/// URLs in every spelling, and hidden characters smuggled in as references.
const EVIL_MD: &str = r#"|
      ]]> </title> &#x202E;bidi&#x2066;iso&#x2069; &#27;[31m &#0; `code &#x202E;` \u202E

      <p>&#x202E;in raw html&#7;</p>

      <script>alert('body')</script>

      <img src=x onerror=alert(1)> <svg onload=alert(1)><iframe src="javascript:alert(1)"></iframe>

      [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) [d](java&#09;script:alert(1))
      [e](data:text/html,<script>alert(1)</script>) [f](vbscript:msgbox) ![g](javascript:alert(1))

      <a href="javascript:alert(2)">h</a> <a href=" javascript:alert(2)" onclick="alert(3)">i</a>

      <form action="javascript:alert(1)"><button formaction="javascript:alert(1)">k</button></form>

      <div style="background:url(javascript:alert(1))">s</div> <object data="x.swf"></object><embed src="x">

      <style>body{display:none}</style>

      <math><mtext><table><mglyph><style><img src=x onerror=alert(1)>
"#;

/// The characters that must not reach any output.
fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What EVIL says once hidden characters are removed: every visible character kept.
fn evil_visible() -> String {
    let raw = "<script>alert('x')</script></title></textarea>]]><!-- <img src=x onerror=alert(2)> <a href='javascript:alert(3)'>j</a> \" & \u{1b}[31m\u{7}\0\u{7f}\u{85} \u{202E}esrever\u{202C} \u{2066}iso\u{2069} \r\nX-INJECTED:1\nEND:VEVENT";
    raw.chars().filter(|c| !is_hidden(*c) && *c != '\r').collect()
}

fn evil_site() -> tempfile::TempDir {
    let site_yaml = format!(
        "title: {EVIL}
base_url: https://status.acme.example/
timezone: Europe/Helsinki
languages: [en, fi]
description: {EVIL}
contact: {{ email: support@acme.example, url: https://acme.example/support }}
links:
  - {{ name: {EVIL}, url: https://acme.example/ }}
components:
  - {{ id: api, name: {EVIL}, group: {EVIL}, description: {EVIL} }}
  - {{ id: payments, name: {{ en: {EVIL}, fi: {EVIL} }}, group: {EVIL} }}
  - {{ id: web, name: Website }}
audiences:
  - {{ id: evil, name: {{ en: {EVIL}, fi: {EVIL} }}, description: {EVIL}, components: [api, web] }}
"
    );
    let outage = format!(
        "title: {{ en: {EVIL}, fi: {EVIL} }}
kind: outage
impact: major
components: {{ api: major_outage, payments: partial_outage }}
started_at: 2026-03-14T09:12:00+02:00
summary: {EVIL_MD}
advice:
  - for: [evil, payments]
    body: {EVIL_MD}
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: {EVIL_MD}
    next_update_by: 2026-03-14T10:00:00+02:00
    advice:
      - {{ for: [evil], body: {{ en: {EVIL}, fi: {EVIL} }} }}
  - at: 2026-03-14T09:55:00+02:00
    status: resolved
    body: {{ en: {EVIL}, fi: {EVIL} }}
postmortem:
  published_at: 2026-03-15T12:00:00+02:00
  summary: {EVIL_MD}
  impact: {EVIL}
  root_cause: {EVIL_MD}
  resolution: {EVIL}
  lessons: {EVIL}
  action_items:
    - {{ text: {EVIL}, status: planned, due: 2026-04-01 }}
"
    );
    let maintenance = format!(
        "title: {EVIL}
kind: maintenance
components: [web]
started_at: 2026-03-10T09:00:00+02:00
scheduled: {{ start: 2026-03-20T01:00:00+02:00, end: 2026-03-20T03:00:00+02:00 }}
updates:
  - at: 2026-03-10T09:00:00+02:00
    status: scheduled
    body: {EVIL_MD}
"
    );
    let breach = format!(
        "title: {EVIL}
kind: data_breach
impact: critical
components: [web]
started_at: 2026-03-01T09:00:00+02:00
resolved_at: 2026-03-02T09:00:00+02:00
breach:
  data_affected: [{EVIL}, {EVIL}]
  people_affected: {EVIL}
  what_you_should_do: {EVIL_MD}
  authority_notified_at: 2026-03-02T10:00:00+02:00
updates:
  - at: 2026-03-01T12:00:00+02:00
    status: resolved
    body: {EVIL_MD}
"
    );
    let notice = format!(
        "title: {EVIL}
kind: notice
started_at: 2026-03-12T09:00:00+02:00
effective_at: 2026-04-01T00:00:00+03:00
updates:
  - at: 2026-03-12T09:00:00+02:00
    body: {EVIL}
"
    );
    let dir = site(&[
        ("2026-03-14-evil.yaml", &outage),
        ("2026-03-20-evil-maintenance.yaml", &maintenance),
        ("2026-03-01-evil-breach.yaml", &breach),
        ("2026-03-12-evil-notice.yaml", &notice),
    ]);
    fs::write(dir.path().join("site.yaml"), site_yaml).unwrap();
    let out = dir.path().join("public");
    let result = candor(&[
        "build",
        "--root",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--now",
        "2026-03-16T12:00:00+02:00",
    ]);
    assert!(result.status.success(), "the hostile site builds: {}", stderr(&result));
    dir
}

fn outputs(dir: &tempfile::TempDir, ext: &str) -> BTreeMap<String, String> {
    let all = snapshot(&dir.path().join("public"));
    let found: BTreeMap<String, String> = all
        .into_iter()
        .filter(|(path, _)| path.ends_with(ext))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("outputs are UTF-8")))
        .collect();
    assert!(!found.is_empty(), "no {ext} files");
    found
}

/// Whether a URL would run code when followed, however it is spelled.
fn is_script_url(url: &str) -> bool {
    let squashed: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|scheme| squashed.starts_with(scheme))
}

/// No script, no handler, no script URL, no embedded frame or form in an HTML document or fragment.
fn assert_inert_html(where_: &str, html: &scraper::Html) {
    for element in html.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        let el = element.value();
        let name = el.name();
        if name == "script" {
            // The theme's own scripts, loaded from files, are the only ones allowed.
            let src = el.attr("src").unwrap_or_default();
            let own = ["local-time.js", "choose.js", "embed.js"].iter().any(|name| src.ends_with(name));
            assert!(
                own && element.text().collect::<String>().trim().is_empty(),
                "{where_}: a <script> element: {}",
                element.html()
            );
        }
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "form" | "button" | "frame" | "base"),
            "{where_}: a <{name}> element: {}",
            element.html()
        );
        if name == "style" {
            let in_head = element.ancestors().filter_map(scraper::ElementRef::wrap).any(|a| a.value().name() == "head");
            assert!(in_head, "{where_}: a <style> element outside <head>: {}", element.html());
        }
        for (attr, value) in el.attrs() {
            assert!(!attr.to_ascii_lowercase().starts_with("on"), "{where_}: an `{attr}` handler on <{name}>");
            if matches!(attr, "href" | "src" | "action" | "formaction" | "xlink:href" | "poster" | "data" | "srcset") {
                assert!(!is_script_url(value), "{where_}: <{name} {attr}=\"{value}\">");
            }
            if attr == "style" {
                assert!(!value.to_ascii_lowercase().contains("javascript"), "{where_}: style=\"{value}\"");
            }
        }
    }
}

fn assert_no_hidden(where_: &str, text: &str) {
    // Stripping these is the model's job (Text) plus markdown.rs and xml.rs for
    // what rendering decodes from character references.
    if let Some((at, c)) = text.char_indices().find(|(_, c)| is_hidden(*c)) {
        let start = text[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
        panic!("{where_}: a hidden character {c:?} at byte {at}, after {:?}", &text[start..at]);
    }
}

#[test]
fn hostile_text_is_inert_in_html_pages() {
    let dir = evil_site();
    let pages = outputs(&dir, ".html");
    assert!(pages.contains_key("fi/index.html"), "the second language is built too");
    for (path, text) in &pages {
        assert_no_hidden(path, text);
        assert_inert_html(path, &scraper::Html::parse_document(text));
    }
    // Escaped, not lost: readers see exactly what was written.
    let page = scraper::Html::parse_document(&pages["incidents/2026-03-14-evil/index.html"]);
    let h1 = page.select(&scraper::Selector::parse("h1").unwrap()).next().unwrap();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(squash(&h1.text().collect::<String>()), squash(&evil_visible()));
    let title = page.select(&scraper::Selector::parse("head > title").unwrap()).next().unwrap();
    assert!(title.text().collect::<String>().contains("</title></textarea>]]>"), "the page title is escaped");
    // Markdown's safe parts survive sanitising, hidden characters behind references do not.
    let incident = &pages["incidents/2026-03-14-evil/index.html"];
    for kept in [">h</a>", "bidiiso", "in raw html", "<code>code"] {
        assert!(incident.contains(kept), "`{kept}` is kept");
    }
}

/// The Markdown versions of pages and `llms.txt`, read as an assistant's
/// Markdown renderer would: hostile titles, names and advice make no HTML, no
/// script link and no hidden character there.
#[test]
fn hostile_text_is_inert_in_markdown_outputs() {
    use pulldown_cmark::{Event, Parser, Tag};
    let dir = evil_site();
    let files: Vec<(String, String)> = outputs(&dir, ".md").into_iter().chain(outputs(&dir, "llms.txt")).collect();
    assert!(files.iter().any(|(p, _)| p.starts_with("for/evil/")), "the audience has its Markdown page");
    for (path, text) in &files {
        assert_no_hidden(path, text);
        for event in Parser::new(text) {
            match event {
                Event::Html(html) | Event::InlineHtml(html) => panic!("{path}: raw HTML {html:?}"),
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    assert!(!is_script_url(&dest_url), "{path}: {dest_url}");
                }
                _ => {}
            }
        }
    }
}

#[test]
fn hostile_text_is_inert_in_feeds_and_sitemaps() {
    let dir = evil_site();
    let mut entries = 0;
    for (path, text) in &outputs(&dir, ".xml") {
        assert_no_hidden(path, text);
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path} is well-formed XML: {e}"));
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert_ne!(node.tag_name().name(), "script", "{path}");
            for attr in node.attributes() {
                assert!(!attr.name().to_ascii_lowercase().starts_with("on"), "{path}: {}", attr.name());
                assert!(!is_script_url(attr.value()), "{path}: {}={}", attr.name(), attr.value());
            }
        }
        if path.ends_with("sitemap.xml") {
            continue;
        }
        let feed = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{path} is a feed: {e}"));
        assert_no_hidden(path, &feed.title.as_ref().unwrap().content);
        for entry in &feed.entries {
            entries += 1;
            let title = &entry.title.as_ref().unwrap().content;
            assert_no_hidden(path, title);
            for link in &entry.links {
                assert!(!is_script_url(&link.href), "{path}: {}", link.href);
            }
            for html in entry
                .content
                .iter()
                .filter_map(|c| c.body.as_deref())
                .chain(entry.summary.iter().map(|s| s.content.as_str()))
            {
                assert_no_hidden(path, html);
                assert_inert_html(path, &scraper::Html::parse_fragment(html));
            }
        }
    }
    assert!(entries > 5, "the feeds carry the hostile updates: {entries}");
    let feed =
        feed_rs::parser::parse(outputs(&dir, "feed.xml")["incidents/2026-03-14-evil/feed.xml"].as_bytes()).unwrap();
    assert!(
        feed.entries.iter().any(|e| e.title.as_ref().unwrap().content.contains("<script>alert('x')</script>")),
        "titles are carried as text, escaped, not dropped"
    );
}

#[test]
fn hostile_text_is_inert_in_the_json_api() {
    fn strings<'a>(value: &'a serde_json::Value, found: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::String(s) => found.push(s),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, found)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
                found.push(k);
                strings(v, found);
            }),
            _ => {}
        }
    }
    let dir = evil_site();
    let mut names = Vec::new();
    for (path, text) in &outputs(&dir, ".json") {
        assert_no_hidden(path, text);
        let value: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{path} is valid JSON: {e}"));
        let mut found = Vec::new();
        strings(&value, &mut found);
        for s in found {
            assert_no_hidden(path, s);
        }
        if let Some(name) = value.pointer("/incident/name").and_then(|v| v.as_str()) {
            names.push(name.to_owned());
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&outputs(&dir, "summary.json")["api/v2/summary.json"]).unwrap();
    assert_eq!(
        summary["page"]["name"],
        serde_json::Value::String(evil_visible()),
        "data round-trips, minus hidden characters"
    );
}

#[test]
fn hostile_text_is_inert_in_calendars() {
    use icalendar::Component;
    let dir = evil_site();
    let calendars = outputs(&dir, ".ics");
    for (path, text) in &calendars {
        assert_no_hidden(path, &text.replace("\r\n", "\n"));
        let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{path} parses: {e}"));
        let events: Vec<_> = calendar.events().collect();
        assert_eq!(events.len(), 1, "{path}: one maintenance window, no event smuggled in by a title");
        for event in events {
            for name in ["X-INJECTED", "END"] {
                assert!(event.property_value(name).is_none(), "{path}: a {name} property was injected");
            }
            let summary = event.property_value("SUMMARY").unwrap();
            assert_no_hidden(path, summary);
            assert!(summary.contains("X-INJECTED:1"), "{path}: the title is kept as text: {summary:?}");
        }
        for line in text.split("\r\n") {
            assert!(!line.starts_with("X-INJECTED"), "{path}: {line}");
            assert!(!line.contains('\n') && !line.contains('\r'), "{path}: a bare line break in {line:?}");
        }
    }
    assert!(calendars.contains_key("calendar.ics"));
}

#[test]
fn hostile_text_is_inert_in_badges() {
    let dir = evil_site();
    let badges = outputs(&dir, ".svg");
    assert!(badges.contains_key("components/api/badge.svg"));
    for (path, text) in &badges {
        assert_no_hidden(path, text);
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path} is well-formed: {e}"));
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(!matches!(node.tag_name().name(), "script" | "foreignObject" | "a"), "{path}");
            for attr in node.attributes() {
                assert!(!attr.name().to_ascii_lowercase().starts_with("on"), "{path}: {}", attr.name());
                assert!(!is_script_url(attr.value()), "{path}: {}", attr.value());
            }
        }
    }
    let api = roxmltree::Document::parse(&badges["components/api/badge.svg"]).unwrap();
    let title = api.descendants().find(|n| n.has_tag_name("title")).unwrap().text().unwrap().to_owned();
    assert!(title.contains("<script>alert('x')</script>"), "the name is kept as text: {title}");
}

#[test]
fn script_urls_in_site_links_are_refused() {
    for (field, value) in [
        ("links", "links: [ { name: x, url: \"javascript:alert(1)\" } ]"),
        ("links", "links: [ { name: x, url: \" JaVaScRiPt:alert(1)\" } ]"),
        ("links", "links: [ { name: x, url: \"data:text/html,<script>alert(1)</script>\" } ]"),
        ("contact", "contact: { url: \"javascript:alert(1)\" }"),
        ("contact", "contact: { email: \"a@b.example?x=<script>\" }"),
        ("base_url", "base_url: \"javascript:alert(1)//\""),
    ] {
        let dir = site(&[(GOOD, OUTAGE)]);
        fs::write(dir.path().join("site.yaml"), format!("{}{value}\n", common::SITE)).unwrap();
        let result = build(dir.path(), &dir.path().join("public"));
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{field}: {value}: {err}");
        assert!(err.contains("site.yaml:"), "{err}");
        assert!(!dir.path().join("public").exists());
    }
    let dir = site(&[(GOOD, OUTAGE)]);
    let result = candor(&["build", "--root", dir.path().to_str().unwrap(), "--base-url", "javascript:alert(1)//"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
}

#[test]
fn foreign_yaml_tags_are_refused() {
    let dir = common::site(&[(
        "tagged.yaml",
        &common::OUTAGE.replace("title: Card payments failing", "title: !!python/object x"),
    )]);
    let result = common::candor(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let err = common::stderr(&result);
    assert!(err.contains("incidents/tagged.yaml:1:") && err.contains("unsupported tag `!!python/object`"), "{err}");
}

// ---------------------------------------------------------------------------
// What an attacker or a tired author tried, and must not work
// ---------------------------------------------------------------------------

/// Runs `candor ARGS` with `--root` set to `root`.
fn run_in(root: &Path, args: &[&str]) -> Output {
    let mut all = vec![args[0], "--root", root.to_str().unwrap()];
    all.extend_from_slice(&args[1..]);
    candor(&all)
}

#[test]
fn an_output_that_is_a_site_file_is_refused_before_anything_is_touched() {
    let f = Fixture::new();
    let site_before = fs::read(f.root().join("site.yaml")).unwrap();
    let incident_before = fs::read(f.incident(GOOD)).unwrap();
    for out in [f.root().join("site.yaml"), f.incident(GOOD), f.root().join("themes/default/static/out")] {
        let result = build(f.root(), &out);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{}: {err}", out.display());
        assert_says(&err, &["refusing to build into"]);
    }
    assert_eq!(fs::read(f.root().join("site.yaml")).unwrap(), site_before, "site.yaml is untouched");
    assert_eq!(fs::read(f.incident(GOOD)).unwrap(), incident_before, "the incident file is untouched");
    assert!(!f.root().join("themes").exists(), "nothing was created in the theme folder");
    let hidden: Vec<String> = fs::read_dir(f.root())
        .unwrap()
        .chain(fs::read_dir(f.root().join("incidents")).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".candor-"))
        .collect();
    assert!(hidden.is_empty(), "no file was swapped away: {hidden:?}");
    assert_eq!(snapshot(&f.out()), f.before);
}

#[cfg(unix)]
#[test]
fn a_linked_output_folder_gets_every_build_and_stays_a_link() {
    let f = Fixture::new();
    let web_root = f.root().join("www/site");
    fs::create_dir_all(f.root().join("www")).unwrap();
    let link = f.root().join("served");
    std::os::unix::fs::symlink(&web_root, &link).unwrap();
    assert!(build(f.root(), &link).status.success());
    f.write(GOOD, OUTAGE.replace("Fixed.", "Fixed for good."));
    let result = build(f.root(), &link);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is left as it is");
    let page = fs::read_to_string(web_root.join("incidents/2026-03-14-payments/index.html")).unwrap();
    assert!(page.contains("Fixed for good."), "the folder the link points to has the new build");
}

#[cfg(unix)]
#[test]
fn links_anywhere_in_a_theme_are_refused_and_hidden_folders_are_not_published() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("default/static")).unwrap();
    fs::write(outside.path().join("default/static/id_rsa"), "SECRET KEY").unwrap();
    fs::write(outside.path().join("en.yaml"), "secret: SECRET KEY\n").unwrap();
    let cases: [(&str, PathBuf); 3] = [
        ("themes", outside.path().to_path_buf()),
        ("themes/default", outside.path().join("default")),
        ("themes/default/i18n", outside.path().to_path_buf()),
    ];
    for (at, target) in cases {
        let f = Fixture::new();
        let link = f.root().join(at);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = f.refused();
        assert_says(&err, &[at, "symbolic link"]);
        assert!(!err.contains("SECRET"), "nothing from outside is quoted: {err}");
    }
    let f = Fixture::new();
    fs::create_dir_all(f.root().join("themes/default/static/.git")).unwrap();
    fs::write(f.root().join("themes/default/static/.git/config"), "[remote] url = secret").unwrap();
    fs::write(f.root().join("themes/default/static/logo.txt"), "logo").unwrap();
    assert!(build(f.root(), &f.out()).status.success());
    assert!(f.out().join("logo.txt").exists());
    assert!(!f.out().join(".git").exists(), "hidden folders are not published");
}

#[test]
fn a_theme_that_does_not_exist_is_a_located_error() {
    let f = Fixture::new();
    let site = fs::read_to_string(f.root().join("site.yaml")).unwrap();
    fs::write(f.root().join("site.yaml"), format!("{site}theme: nonexistent\n")).unwrap();
    let err = f.refused();
    assert_says(&err, &["site.yaml:", "no theme `nonexistent`"]);
}

#[test]
fn line_breaks_in_command_line_text_never_become_yaml() {
    let f = Fixture::new();
    let id = "2026-03-14-payments";
    let text = "Looking into it.\rresolved_at: 2026-03-14T09:40:00+02:00\rsummary: injected";
    let result = run_in(f.root(), &["update", id, "--status", "identified", "--at", "2026-03-14 10:30", text]);
    assert!(result.status.success(), "{}", stderr(&result));
    let written = fs::read_to_string(f.incident(GOOD)).unwrap();
    assert!(!written.contains('\r'), "{written}");
    let read: serde_json::Value = serde_saphyr::from_str(&written).unwrap();
    assert!(read.get("resolved_at").is_none() && read.get("summary").is_none(), "no key was added: {written}");
    let last = read["updates"].as_array().unwrap().last().unwrap();
    assert_eq!(last["body"], text.replace('\r', "\n"), "the text is the body, line breaks and all");
    let result = run_in(f.root(), &["new", "Checkout slow", "It is slow.", "--components", "payments\nresolved_at: x"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_says(&stderr(&result), &["is not a component"]);
}

#[test]
fn update_keeps_every_line_of_the_previous_update_and_of_a_quoted_title() {
    let f = Fixture::new();
    let text = OUTAGE
        .replace("title: Card payments failing", "title: \"Card payments\n  updates:\n  failing\"")
        .replace("    body: Fixed.\n", "    body: |\n      Fixed.\n      # What we changed\n      #1234\n");
    f.write(GOOD, &text);
    let id = "2026-03-14-payments";
    for (n, extra) in [(1, vec![]), (2, vec!["--next-update", "30m"])] {
        let at = format!("2026-03-14 10:{}0", n);
        let mut args = vec!["update", id, "--at", &at, "--status", "monitoring"];
        args.extend(extra);
        args.push("Watching.");
        let result = run_in(f.root(), &args);
        assert!(result.status.success(), "{}", stderr(&result));
    }
    let result = build(f.root(), &f.out());
    assert!(result.status.success(), "{}", stderr(&result));
    let page = fs::read_to_string(f.out().join("incidents/2026-03-14-payments/index.html")).unwrap();
    assert!(page.contains("What we changed") && page.contains("#1234"), "the last lines stay in their update");
    let json = fs::read_to_string(f.out().join("api/v2/incidents.json")).unwrap();
    assert!(json.contains("\"name\":\"Card payments updates: failing\""), "the title is untouched");
    assert_eq!(json.matches("Watching.").count(), 2, "both updates are there");
}

#[test]
fn update_bodies_are_written_so_they_read_back_exactly() {
    let f = Fixture::new();
    let id = "2026-03-14-payments";
    let bodies = ["    cargo build\nfailed with:", "\tpasted\tlog\n\tlines", "- a list first\n\n\n"];
    for (n, body) in bodies.iter().enumerate() {
        let at = format!("2026-03-14 10:{n}5");
        let result = run_in(f.root(), &["update", id, "--at", &at, "--status", "monitoring", "--", body]);
        assert!(result.status.success(), "{body:?}: {}", stderr(&result));
    }
    let result = build(f.root(), &f.out());
    assert!(result.status.success(), "{}", stderr(&result));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(f.out().join("api/v2/incidents.json")).unwrap()).unwrap();
    let updates = json["incidents"][0]["incident_updates"].as_array().unwrap();
    for body in bodies {
        assert!(updates.iter().any(|u| u["body"] == body.trim_end()), "{body:?} reads back");
    }
}

#[test]
fn titles_yaml_would_read_as_something_else_are_written_quoted() {
    let f = Fixture::new();
    for title in ["Payments down:", ".inf", ".NaN", "0x1F", "0o17"] {
        let result = run_in(f.root(), &["new", title, "We are looking into it.", "--components", "payments"]);
        assert!(result.status.success(), "{title}: {}", stderr(&result));
    }
    let result = run_in(f.root(), &["check"]);
    assert!(result.status.success(), "every title reads back as written: {}", stderr(&result));
}

#[test]
fn images_from_other_hosts_are_refused_unless_the_site_allows_them() {
    let f = Fixture::new();
    for body in [
        "![](https://tracker.example/p.gif)",
        "![x](//tracker.example/x.png)",
        "<img src=\"https://tracker.example/p.gif\">",
    ] {
        f.write(GOOD, OUTAGE.replace("body: Fixed.", &format!("body: '{body}'")));
        let err = f.refused();
        assert_says(&err, &["incidents/2026-03-14-payments.yaml:", "tracker.example", "image_hosts"]);
    }
    let site = fs::read_to_string(f.root().join("site.yaml")).unwrap();
    fs::write(f.root().join("site.yaml"), format!("{site}image_hosts: [tracker.example]\n")).unwrap();
    assert!(build(f.root(), &f.out()).status.success(), "an allowed host builds");
}

#[test]
fn times_near_the_end_of_time_are_located_errors_not_crashes() {
    let f = Fixture::new();
    let notice = "title: Retired\nkind: notice\nstarted_at: 2026-03-12T09:00:00+02:00\neffective_at: 9999-12-31T00:00:00Z\nupdates:\n  - { at: 2026-03-12T09:00:00+02:00, body: Gone. }\n";
    f.write("2026-03-12-notice.yaml", notice);
    let err = f.refused();
    assert_says(&err, &["incidents/2026-03-12-notice.yaml:4:", "9999"]);
    fs::remove_file(f.incident("2026-03-12-notice.yaml")).unwrap();
    let result = run_in(f.root(), &["build", "--out", f.out().to_str().unwrap(), "--now=-009999-01-01T00:00:00Z"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_says(&stderr(&result), &["--now"]);
    assert_eq!(snapshot(&f.out()), f.before);
}

#[test]
fn deeply_nested_markdown_is_refused_at_once() {
    let f = Fixture::new();
    let deep: String =
        (0..2000).map(|n| format!("{}- x\n", " ".repeat(n % 200))).collect::<String>() + &"> ".repeat(40_000);
    f.write(GOOD, OUTAGE.replace("    body: Fixed.\n", &format!("    body: {:?}\n", deep)));
    let started = std::time::Instant::now();
    let err = f.refused();
    assert_says(&err, &["nest", "levels deep"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "no quadratic rendering: {:?}", started.elapsed());
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::{BufRead, BufReader};
    let f = Fixture::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", "--root", f.root().to_str().unwrap(), "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(101), "no panic on a closed pipe");
}

#[test]
fn updates_at_the_same_time_get_ids_of_their_own() {
    let f = Fixture::new();
    f.write(
        GOOD,
        OUTAGE.replace("  - at: 2026-03-14T09:55:00+02:00", "  - at: 2026-03-14T09:31:00+02:00\n    status: identified\n    body: Found it.\n  - at: 2026-03-14T09:55:00+02:00"),
    );
    let result = build(f.root(), &f.out());
    assert!(result.status.success(), "{}", stderr(&result));
    let feed = fs::read_to_string(f.out().join("feed.xml")).unwrap();
    let parsed = feed_rs::parser::parse(feed.as_bytes()).unwrap();
    let mut ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "every entry has its own id: {ids:?}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(f.out().join("api/v2/incidents.json")).unwrap()).unwrap();
    let mut update_ids: Vec<String> = json["incidents"][0]["incident_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    update_ids.sort();
    update_ids.dedup();
    assert_eq!(update_ids.len(), 3);
    let check = run_in(f.root(), &["check", "--now", "2026-03-14T12:00:00+02:00"]);
    assert_says(&stderr(&check), &["same-time-updates"]);
}

#[test]
fn check_fails_wherever_build_would() {
    let f = Fixture::new();
    fs::create_dir_all(f.root().join("themes/default/templates")).unwrap();
    // Compiles, but fails when an incident page is rendered.
    let builtin = fs::read_to_string(common::repo().join("themes/default/templates/incident.html")).unwrap();
    let broken = builtin.replacen("{{ incident.title }}", "{{ incident.title }}{{ no_such_variable.field }}", 1);
    assert_ne!(builtin, broken);
    fs::write(f.root().join("themes/default/templates/incident.html"), broken).unwrap();
    let result = run_in(f.root(), &["check"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_says(&stderr(&result), &["themes/default/templates/incident.html"]);
    fs::remove_dir_all(f.root().join("themes")).unwrap();
    let long = "a".repeat(300);
    let site = fs::read_to_string(f.root().join("site.yaml")).unwrap();
    fs::write(f.root().join("site.yaml"), site.replace("id: web", &format!("id: {long}"))).unwrap();
    let result = run_in(f.root(), &["check"]);
    assert_eq!(result.status.code(), Some(1));
    assert_says(&stderr(&result), &["site.yaml:", "300 characters", "at most 100"]);
}

#[test]
fn the_smaller_mistakes_are_named() {
    let f = Fixture::new();
    f.write("second.yaml", format!("{OUTAGE}---\n{OUTAGE}"));
    assert_says(&f.refused(), &["incidents/second.yaml:", "more than one YAML document"]);
    fs::remove_file(f.incident("second.yaml")).unwrap();
    f.write("upper.YAML", OUTAGE);
    assert_says(&f.refused(), &["incidents/upper.YAML", "not lower case"]);
    fs::remove_file(f.incident("upper.YAML")).unwrap();
    let site = fs::read_to_string(f.root().join("site.yaml")).unwrap();
    fs::write(f.root().join("site.yaml"), format!("{site}contact: {{ url: \"https://example.com/a'b\" }}\n")).unwrap();
    assert_says(&f.refused(), &["site.yaml:", "not a valid URL"]);
    fs::write(f.root().join("site.yaml"), &site).unwrap();
    f.write(GOOD, OUTAGE.replace("updates:", "breach:\n  people_affected: 3\nupdates:"));
    assert_says(&f.refused(), &["incidents/2026-03-14-payments.yaml:6:1", "`breach` is only for"]);
    f.write(
        GOOD,
        OUTAGE
            .replace("updates:", "resolved_at: 2026-03-14T09:35:00+02:00\nupdates:")
            .replace("status: resolved", "status: monitoring"),
    );
    assert_says(&f.refused(), &["status `monitoring` comes after `resolved_at`"]);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_called_yaml_is_reported() {
    let f = Fixture::new();
    let fifo = f.incident("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    assert_says(&f.refused(), &["incidents/pipe.yaml", "not a regular file"]);
}
