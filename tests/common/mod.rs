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

/// A site in Helsinki time with three components. Its folder is no git checkout, so
/// corrections are off, as a site there would turn them off to silence the note.
pub const SITE: &str = "title: Test Status
timezone: Europe/Helsinki
corrections: { enabled: false }
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

/// Whether the `git` command can be run, to set up test repositories. Outside CI a test
/// without it skips itself, saying why; under `CI=true` (where `.ci/run` installs git) it fails.
pub fn git_available(test: &str) -> bool {
    let found = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{test} needs `git` to set up its repository");
        eprintln!("skipping {test}: `git` is not installed");
    }
    found
}

/// A site in a git repository made by a test, with commits at the times the test gives.
/// The repository is only set up with the `git` command; candor reads it itself.
pub struct GitSite {
    /// The repository (and site) folder.
    pub dir: tempfile::TempDir,
}

impl GitSite {
    /// A repository on branch `main` with `site.yaml` written, nothing committed.
    pub fn new(site_yaml: &str) -> GitSite {
        let dir = tempfile::tempdir().unwrap();
        let site = GitSite { dir };
        site.git(&["init", "-q", "-b", "main"]);
        site.write("site.yaml", site_yaml);
        site
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `git args` in the repository, with a fixed identity and no user configuration.
    pub fn git(&self, args: &[&str]) -> Output {
        self.git_at(args, "2026-01-01T00:00:00+00:00")
    }

    fn git_at(&self, args: &[&str], when: &str) -> Output {
        let out = Command::new("git")
            .args(["-c", "user.name=Status Team", "-c", "user.email=status@example.test", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.root())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// Writes `text` to `path` under the site root, creating folders.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Reads `path` under the site root.
    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root().join(path)).unwrap()
    }

    /// Replaces `from` with `to` in the file at `path`, which must contain it.
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Commits everything as it is, at `when` (RFC 3339), with `message`.
    pub fn commit(&self, when: &str, message: &str) {
        self.git_at(&["add", "-A"], when);
        self.git_at(&["commit", "-q", "-m", message], when);
    }

    /// `candor build` of the site into `out`; panics if it fails.
    pub fn build(&self, out: &Path) -> Output {
        let built = candor(&["build", "--root", path_str(self.root()), "--out", path_str(out)]);
        assert!(built.status.success(), "candor build failed:\n{}", stderr(&built));
        built
    }
}

/// A path as the `&str` a command line takes (test paths are UTF-8).
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// The settings of a site whose history tests read: frozen at 16 March 2026, noon.
pub const HISTORY_SITE: &str = "title: Test Status
timezone: Europe/Helsinki
now: 2026-03-16T12:00:00+02:00
components:
  - { id: api, name: Public API }
  - { id: payments, name: Card payments }
";

/// An outage whose first update (09:10) promises the next by 10:00.
pub const FIRST_UPDATE: &str = "title: Card payments failing
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:00:00+02:00
updates:
  - at: 2026-03-14T09:10:00+02:00
    status: investigating
    body: Some card payments fail at checkout. We are looking into it.
    next_update_by: 2026-03-14T10:00:00+02:00
";

/// A data breach announced at 09:00 with 12,000 people affected.
pub const BREACH: &str = "title: Customer emails exposed
kind: data_breach
impact: major
components: [api]
started_at: 2026-03-13T18:00:00+02:00
detected_at: 2026-03-14T08:00:00+02:00
updates:
  - at: 2026-03-14T09:00:00+02:00
    status: identified
    body: An export of customer emails was readable by others. We closed it.
breach:
  data_affected: [email addresses]
  people_affected: 12000
  what_you_should_do: Be wary of emails asking for your password.
";

/// The repository the corrections tests and the screenshot share: an update whose
/// wording was corrected after publishing, and a breach whose count grew, with no
/// update saying so.
pub fn corrected_site() -> GitSite {
    let site = GitSite::new(HISTORY_SITE);
    site.write("incidents/2026-03-14-emails-exposed.yaml", BREACH);
    site.commit("2026-03-14T09:01:00+02:00", "Breach: first notice");
    site.write("incidents/2026-03-14-card-payments.yaml", FIRST_UPDATE);
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(
        "incidents/2026-03-14-card-payments.yaml",
        "Some card payments fail at checkout.",
        "Most card payments fail at checkout, on every card type.",
    );
    site.commit("2026-03-14T09:45:00+02:00", "Card payments: say how widespread it is");
    site.edit("incidents/2026-03-14-emails-exposed.yaml", "people_affected: 12000", "people_affected: 15000");
    site.commit("2026-03-15T10:00:00+02:00", "Breach: more people affected");
    site
}
