//! The demo site in a real browser: `candor serve` serves a fresh build of it, and
//! `tests/browser/check.mjs` drives Chromium through it (console and request errors,
//! requests that leave the server, axe-core WCAG 2.1 A/AA checks in light and dark at
//! phone and desktop widths, a walk with the Tab key, and index.html through file://).
//!
//! Needs node, `npm ci --prefix tests/browser` and Chromium (`/usr/bin/chromium`, or the
//! `CHROMIUM` environment variable); skipped without them, except under `CI=true`, where a
//! missing piece fails the test. Screenshots go to `tests/browser/shots/`, or to the folder
//! named by `CANDOR_SCREENSHOTS`.

mod common;

use std::fs::{self, File};

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long the whole browser run may take before it counts as hung.
const BROWSER_PATIENCE: Duration = Duration::from_secs(420);

/// A running `candor serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    output: mpsc::Receiver<String>,
}

impl Server {
    fn start(root: &Path, out: &Path) -> Server {
        let (mut child, output) = common::spawn_lines(
            Command::new(env!("CARGO_BIN_EXE_candor"))
                .args(["serve", "--port", "0", "--root"])
                .arg(root)
                .arg("--out")
                .arg(out)
                .env("NO_COLOR", "1")
                .env_remove("SOURCE_DATE_EPOCH")
                .stdin(Stdio::null()),
        );
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match output.recv_timeout(left) {
                Ok(line) if line.starts_with("Serving on ") => {
                    let url = line.split_whitespace().nth(2).expect("a URL after \"Serving on\"").to_owned();
                    assert!(url.starts_with("http://127.0.0.1:"), "serves on loopback: {line}");
                    return Server { child, url, output };
                }
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("candor serve printed no \"Serving on\" line; it printed:\n{}", seen.join("\n"));
    }

    /// Everything the server has printed since it started serving.
    fn printed(&self) -> String {
        self.output.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tools(browser_dir: &Path, chromium: &Path) -> Option<String> {
    let node = Command::new("node").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !node.is_ok_and(|s| s.success()) {
        return Some("`node` is not on PATH".into());
    }
    for package in ["playwright-core", "axe-core"] {
        if !browser_dir.join("node_modules").join(package).is_dir() {
            return Some(format!(
                "{} is missing; run `npm ci --prefix tests/browser`",
                browser_dir.join("node_modules").join(package).display()
            ));
        }
    }
    if !chromium.is_file() {
        return Some(format!("no Chromium at {} (set CHROMIUM to use another)", chromium.display()));
    }
    None
}

/// The demo's sources (site.yaml and incidents/) copied into `dir`, so that edits to the
/// repository during the run cannot trigger a rebuild under the browser.
fn copy_demo(repo: &Path, dir: &Path) {
    fs::create_dir_all(dir.join("incidents")).unwrap();
    fs::copy(repo.join("site.yaml"), dir.join("site.yaml")).unwrap();
    for entry in fs::read_dir(repo.join("incidents")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), dir.join("incidents").join(entry.file_name())).unwrap();
        }
    }
}

/// The tools the browser tests need, or `None` after saying why they are skipped
/// (under `CI=true`, a missing tool fails instead).
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if let Some(why) = missing_tools(&browser_dir, &chromium) {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the browser test cannot run under CI=true: {why}");
        eprintln!("skipping the browser test: {why}");
        return None;
    }
    Some((repo, browser_dir))
}

/// Builds the site at `root` into `out` with `candor build`.
fn build(root: &Path, out: &Path) {
    let built = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("candor build runs");
    assert!(built.status.success(), "candor build failed:\n{}", String::from_utf8_lossy(&built.stderr));
}

/// Where screenshots go: `CANDOR_SCREENSHOTS`, or `tests/browser/shots`.
fn shots_dir(repo: &Path) -> PathBuf {
    let shots = std::env::var_os("CANDOR_SCREENSHOTS")
        .map_or_else(|| repo.join("tests/browser/shots"), |dir| repo.join(PathBuf::from(dir)));
    fs::create_dir_all(&shots).unwrap();
    shots
}

/// Runs the browser script `script` with `args` against `server`, and fails the test
/// with everything it and the server printed unless it passes within the patience.
fn run_browser(repo: &Path, temp: &Path, server: Server, script: &str, args: &[&Path]) {
    // Both streams into one file, in the order they were written.
    let log_path = temp.join(format!("{script}.log"));
    let log = File::create(&log_path).unwrap();
    let mut node = Command::new("node")
        .arg(repo.join("tests/browser").join(script))
        .arg(&server.url)
        .args(args)
        .current_dir(repo)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("node starts");
    let deadline = Instant::now() + BROWSER_PATIENCE;
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = node.kill();
            let _ = node.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(100));
    };
    let printed = fs::read_to_string(&log_path).unwrap_or_default();
    let served = server.printed();
    drop(server);
    match status {
        Some(status) if status.success() => println!("{printed}"),
        Some(status) => panic!(
            "the browser checks failed ({status}):\n{printed}\n--- candor serve printed:\n{served}\n\
             (screenshots in {})",
            shots_dir(repo).display()
        ),
        None => panic!("the browser checks took over {BROWSER_PATIENCE:?}:\n{printed}"),
    }
}

#[test]
fn demo_pages_pass_in_a_real_browser() {
    let Some((repo, _)) = browser_tools() else { return };
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("site");
    let out = temp.path().join("public");
    copy_demo(&repo, &root);
    build(&root, &out);
    let server = Server::start(&root, &out);
    let shots = shots_dir(&repo);
    run_browser(&repo, temp.path(), server, "check.mjs", &[&out, &shots, &root]);
}

/// The site the corrections tests commit, in the browser: a corrected update and a grown
/// breach count, their disclosures opened by keyboard, checked by axe, and photographed
/// for the README.
#[test]
fn corrections_pass_in_a_real_browser() {
    let Some((repo, _)) = browser_tools() else { return };
    if !common::git_available("corrections_pass_in_a_real_browser") {
        return;
    }
    let site = common::corrected_site();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("public");
    build(site.root(), &out);
    let server = Server::start(site.root(), &out);
    let shots = shots_dir(&repo);
    run_browser(&repo, temp.path(), server, "corrections.mjs", &[&shots]);
}
