//! Shared helpers for integration tests: fixture sites and running the binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where the demo site lives.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `candor` with `args` and no `SOURCE_DATE_EPOCH` from the environment.
pub fn candor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .expect("the candor binary runs")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the demo site (site.yaml and incidents/) in a fresh temporary folder.
pub fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    fs::create_dir(dir.path().join("incidents")).unwrap();
    for entry in fs::read_dir(repo().join("incidents")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join("incidents").join(entry.file_name())).unwrap();
    }
    dir
}

/// A small site with the given incident files.
pub fn site(incidents: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("site.yaml"), SITE).unwrap();
    fs::create_dir(dir.path().join("incidents")).unwrap();
    for (name, text) in incidents {
        fs::write(dir.path().join("incidents").join(name), text).unwrap();
    }
    dir
}

/// A site in Helsinki time with three components.
pub const SITE: &str = "title: Test Status
timezone: Europe/Helsinki
components:
  - { id: api, name: Public API, group: Platform }
  - { id: payments, name: Card payments, group: Platform }
  - { id: web, name: Website }
";

/// A resolved outage on payments.
pub const OUTAGE: &str = "title: Card payments failing
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: We are investigating.
    next_update_by: 2026-03-14T10:00:00+02:00
  - at: 2026-03-14T09:55:00+02:00
    status: resolved
    body: Fixed.
";

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Spawns `command` with its standard output and standard error read line by
/// line, on their own threads, into one channel.
pub fn spawn_lines(command: &mut std::process::Command) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the candor binary starts");
    let (tx, lines) = std::sync::mpsc::channel();
    let streams: [Box<dyn Read + Send>; 2] =
        [Box::new(child.stdout.take().expect("piped")), Box::new(child.stderr.take().expect("piped"))];
    for stream in streams {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    (child, lines)
}

/// Skips a test whose tool is missing, saying why, except under `CI=true`,
/// where `.ci/run` installs the tool and its absence is a failure.
pub fn skip_without(why: &str) {
    assert!(std::env::var("CI").as_deref() != Ok("true"), "cannot run under CI=true: {why}");
    eprintln!("skipped: {why}");
}

/// A new site made by `candor init` in `dir/site`.
pub fn init_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let out = candor(&["init", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

/// The validated model of `site` (the text of `site.yaml`) and `incidents`
/// (`(id, text)` pairs), without files; panics, quoting the text, on invalid input.
pub fn model_of_texts(site: &str, incidents: &[(String, String)]) -> candor::model::Model {
    use candor::input::{RawIncident, RawSite, from_yaml};
    let raw: serde_saphyr::Spanned<RawSite> = from_yaml(site, Path::new("site.yaml")).expect("site parses");
    let site = candor::validate::site(&raw, Path::new("site.yaml"), site).expect("site is valid");
    let mut list = Vec::new();
    for (id, text) in incidents {
        let file = PathBuf::from(format!("incidents/{id}.yaml"));
        let raw: serde_saphyr::Spanned<RawIncident> = from_yaml(text, &file).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let incident = candor::validate::incident(&raw, candor::model::IncidentId::new(id.clone()), &file, text, &site)
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        list.push(incident);
    }
    candor::load::sort_incidents(&mut list);
    candor::model::Model { site, incidents: list }
}
