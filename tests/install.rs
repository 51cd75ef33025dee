//! A new site from `candor init`, with candor installed the way its workflow
//! installs it: the workflow is read as YAML, the action it names is this
//! repository's `action.yml`, and the action's own scripts and commands run
//! here with the environment the runner gives them. What only GitHub can do
//! (fetch the action, restore the cache) is done as it would be: the cache
//! holds the folder `cargo install --root` filled, so restoring it is a copy.
//! Compiling on a cache miss, the packaged crate and `cargo install --path`
//! need a build of their own, which `.ci/install` runs after the tests.
//!
//! `candor notify` after publishing runs against a real git remote made here
//! and a webhook receiver on loopback.

mod common;
#[path = "common/receiver.rs"]
mod receiver;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use candor::release;
use common::{init_site, repo};
use serde_json::Value;

fn yaml(path: &Path) -> Value {
    serde_saphyr::from_str(&fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}", text(&output));
    text(&output)
}

/// The steps of `job`, and the one among them whose `uses` starts with `prefix`.
fn step<'a>(workflow: &'a Value, job: &str, prefix: &str) -> &'a Value {
    let steps = workflow["jobs"][job]["steps"].as_array().unwrap_or_else(|| panic!("job {job} has steps"));
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
        .unwrap_or_else(|| panic!("job {job} has a step using {prefix}"))
}

/// The environment variables `site.yaml` names for `notify` (`url_env: NAME`, ...).
fn named_variables(site_yaml: &str) -> Vec<String> {
    let mut names = Vec::new();
    for field in ["url_env", "secret_env", "token_env", "user_env", "password_env"] {
        let mut rest = site_yaml;
        while let Some(at) = rest.find(&format!("{field}: ")) {
            rest = &rest[at + field.len() + 2..];
            names.push(rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap().to_owned());
        }
    }
    names
}

#[test]
fn init_writes_a_workflow_that_uses_this_action_and_notifies_after_the_deploy() {
    let dir = tempfile::tempdir().unwrap();
    let site = init_site(dir.path());
    let workflow = yaml(&site.join(".github/workflows/status-page.yml"));
    let slug = release::REPOSITORY.trim_start_matches("https://github.com/");
    assert_eq!(yaml(&repo().join("action.yml"))["runs"]["using"], "composite", "the repository root is the action");

    let build = step(&workflow, "build", slug);
    assert_eq!(build["uses"], release::action());
    assert_eq!((build["with"]["check"].as_bool(), build["with"]["build"].as_bool()), (Some(true), Some(true)));
    assert_eq!(step(&workflow, "build", "actions/checkout@")["with"]["fetch-depth"], 0);
    let upload = step(&workflow, "build", "actions/upload-pages-artifact@");
    assert_eq!(upload["with"]["path"], format!("${{{{ steps.{}.outputs.out }}}}", build["id"].as_str().unwrap()));
    assert_eq!(workflow["jobs"]["deploy"]["needs"], "build");
    assert_eq!(workflow["on"]["schedule"][0]["cron"], "*/10 * * * *");

    let notify = &workflow["jobs"]["notify"];
    assert_eq!(notify["needs"], "deploy", "a message never links to a page not yet live");
    assert_eq!(notify["permissions"]["contents"], "write");
    assert_eq!(notify["concurrency"]["group"], "candor-notify");
    assert_eq!(notify["concurrency"]["cancel-in-progress"], false);
    assert_eq!(step(&workflow, "notify", "actions/checkout@")["with"]["fetch-depth"], 0);
    let installs = step(&workflow, "notify", slug);
    assert_eq!(installs["uses"], build["uses"], "installed the same way as the build job");
    assert_eq!(installs["with"]["notify"].as_bool(), Some(true));
    let names = named_variables(&fs::read_to_string(site.join("site.yaml")).unwrap());
    assert!(names.len() >= 3, "{names:?}");
    for name in names {
        assert_eq!(notify["env"][&name], format!("${{{{ secrets.{name} }}}}"), "{name} comes from a secret");
    }
}

/// What a step wrote to `$GITHUB_OUTPUT`, as name=value pairs.
fn outputs(file: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(file).unwrap_or_default();
    text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// The runner's environment for one of the action's steps: no cargo on the
/// PATH, so nothing here can compile, and files for outputs and the PATH.
struct Runner {
    dir: tempfile::TempDir,
    path: String,
}

impl Runner {
    fn new() -> Runner {
        Runner { dir: tempfile::tempdir().unwrap(), path: "/usr/local/bin:/usr/bin:/bin".into() }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `script` (bash) from the action's folder, as `run:` does.
    fn run(&self, script: &str, env: &[(&str, &str)]) -> Output {
        let mut command = Command::new("bash");
        command.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script]);
        command.env_clear().env("PATH", &self.path).env("HOME", self.dir.path()).env("NO_COLOR", "1");
        command.env("GITHUB_ACTION_PATH", repo()).env("RUNNER_OS", "Linux").env("RUNNER_ARCH", "X64");
        command.env("RUNNER_TOOL_CACHE", self.file("toolcache"));
        command.env("GITHUB_OUTPUT", self.file("output")).env("GITHUB_PATH", self.file("path"));
        command.envs(env.iter().copied()).output().expect("bash runs")
    }

    /// Runs the action's step `id`, checking that it takes exactly `env`.
    fn step(&self, action: &Value, id: &str, env: &[(&str, &str)]) -> Output {
        let step = action["runs"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).expect("the step");
        let mut wanted: Vec<&str> =
            step["env"].as_object().map(|e| e.keys().map(String::as_str).collect()).unwrap_or_default();
        let mut given: Vec<&str> = env.iter().map(|(k, _)| *k).collect();
        wanted.sort_unstable();
        given.sort_unstable();
        assert_eq!(wanted, given, "the environment of step {id}");
        let _ = fs::remove_file(self.file("output"));
        self.run(step["run"].as_str().unwrap(), env)
    }
}

/// The action's step with `if: inputs.NAME == 'true'`, run with `env`.
fn input_step(runner: &Runner, action: &Value, input: &str, env: &[(&str, &str)]) -> Output {
    let condition = format!("inputs.{input} == 'true'");
    let step = action["runs"]["steps"].as_array().unwrap().iter().find(|s| s["if"] == condition.as_str()).unwrap();
    runner.run(step["run"].as_str().unwrap(), env)
}

#[test]
fn a_new_site_installs_candor_as_its_workflow_does_then_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = init_site(dir.path());
    let action = yaml(&repo().join("action.yml"));
    let mut runner = Runner::new();

    ok(runner.step(&action, "key", &[]));
    let key = outputs(&runner.file("output"));
    let home = PathBuf::from(&key["dir"]);
    assert!(home.starts_with(runner.file("toolcache")), "{home:?}");
    let prefix = format!("candor-{}-", release::VERSION);
    let digest = key["key"].strip_prefix(&prefix).and_then(|k| k.strip_suffix("-Linux-X64")).unwrap_or_default();
    assert!(digest.len() == 16 && digest.bytes().all(|b| b.is_ascii_hexdigit()), "{key:?}");

    let home_env = [("CANDOR_HOME", key["dir"].as_str())];
    let miss = runner.step(&action, "install", &home_env);
    assert!(!miss.status.success() && text(&miss).contains("::error::compiling candor needs cargo"), "{}", text(&miss));

    // What `actions/cache/restore` puts back: the folder `cargo install --root` filled.
    fs::create_dir_all(home.join("bin")).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_candor"), home.join("bin/candor")).unwrap();
    let hit = ok(runner.step(&action, "install", &home_env));
    assert!(hit.contains(&format!("restored from the cache: candor {}", release::VERSION_LINE)), "{hit}");
    assert_eq!(outputs(&runner.file("output"))["version"], format!("candor {}", release::VERSION_LINE));
    assert_eq!(fs::read_to_string(runner.file("path")).unwrap(), format!("{}\n", home.join("bin").display()));
    runner.path = format!("{}:{}", home.join("bin").display(), runner.path);

    let root = site.to_str().unwrap();
    ok(runner.step(&action, "paths", &[("ROOT", root), ("OUT", "")]));
    let out = outputs(&runner.file("output"))["out"].clone();
    assert_eq!(out, format!("{root}/public"));
    let checked = ok(input_step(&runner, &action, "check", &[("ROOT", root), ("DENY", "yes")]));
    assert!(!checked.contains("::error") && !checked.contains("::warning"), "{checked}");
    let built = ok(input_step(&runner, &action, "build", &[("ROOT", root), ("OUT", &out), ("BASE_URL", "")]));
    assert!(built.contains("Built 1 incident"), "{built}");
    let page = fs::read_to_string(Path::new(&out).join("index.html")).unwrap();
    let html = scraper::Html::parse_document(&page);
    let title = html.select(&scraper::Selector::parse("title").unwrap()).next().unwrap().text().collect::<String>();
    assert!(title.contains("Example Status"), "{title}");
    assert!(page.contains("Welcome to our new status page"));
}

/// Copies what the cache key covers into `to`.
fn copy_source(to: &Path) {
    for name in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        fs::copy(repo().join(name), to.join(name)).unwrap();
    }
    for dir in ["src", "themes"] {
        for entry in walkdir::WalkDir::new(repo().join(dir)) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(repo()).unwrap());
            match entry.file_type().is_dir() {
                true => fs::create_dir_all(target).unwrap(),
                false => drop(fs::copy(entry.path(), target).unwrap()),
            }
        }
    }
}

#[test]
fn the_cache_key_follows_the_source_so_a_change_compiles_anew() {
    let runner = Runner::new();
    let key = |source: &Path| {
        let script = format!("{}/action/install.sh key", repo().display());
        ok(runner.run(&script, &[("CANDOR_SOURCE", source.to_str().unwrap())]));
        outputs(&runner.file("output"))["key"].clone()
    };
    let copy = tempfile::tempdir().unwrap();
    copy_source(copy.path());
    let original = key(&repo());
    let _ = fs::remove_file(runner.file("output"));
    assert_eq!(key(copy.path()), original, "the same source gives the same key wherever it is");
    fs::write(copy.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    let _ = fs::remove_file(runner.file("output"));
    assert_ne!(key(copy.path()), original);
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .output()
        .expect("git runs");
    ok(output)
}

const INCIDENT: &str = "title: Card payments failing
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: We are looking into it.
    next_update_by: 2026-03-14T10:00:00+02:00
";

/// 2026-03-14T09:00:00+02:00 and 09:40, as `SOURCE_DATE_EPOCH`.
const BEFORE: &str = "1773471600";
const AFTER: &str = "1773474000";

/// Runs the action's notify script in `clone` at `epoch`, as a push would.
fn notify_step(clone: &Path, epoch: &str) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_candor"));
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.parent().unwrap().display());
    Command::new(repo().join("action/notify.sh"))
        .current_dir(clone)
        .env_clear()
        .env("PATH", path)
        .env("HOME", clone)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("GITHUB_REF_NAME", "main")
        .env("GITHUB_EVENT_NAME", "push")
        .output()
        .expect("the notify script runs")
}

#[test]
fn the_notify_step_delivers_then_commits_the_ledger_and_pushes_it_past_a_racing_commit() {
    let rx = receiver::Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin.git");
    fs::create_dir(&origin).unwrap();
    git(&origin, &["init", "-q", "--bare", "-b", "main"]);
    let clone = |name: &str| {
        git(dir.path(), &["clone", "-q", origin.to_str().unwrap(), name]);
        dir.path().join(name)
    };
    let a = clone("a");
    let site = format!(
        "title: Acme Status\nbase_url: https://status.acme.example/\ntimezone: Europe/Helsinki\ncomponents:\n  - {{ id: payments, name: Card payments }}\nnotify:\n  channels:\n    - {{ id: hooks, type: webhook, url: \"{}\" }}\n",
        rx.url("/hook")
    );
    fs::write(a.join("site.yaml"), site).unwrap();
    fs::create_dir(a.join("incidents")).unwrap();
    fs::write(a.join(".gitignore"), include_str!("../src/init/gitignore")).unwrap();
    git(&a, &["add", "-A"]);
    git(&a, &["commit", "-qm", "A status page"]);
    git(&a, &["push", "-q", "origin", "main"]);

    // The first run records without sending, and commits the ledger.
    let first = ok(notify_step(&a, BEFORE));
    assert!(first.contains("first run"), "{first}");
    assert!(git(&a, &["ls-tree", "-r", "--name-only", "origin/main"]).contains(".candor/delivered.json"));
    assert!(rx.got().is_empty());

    // Someone publishes an incident from another clone.
    let b = clone("b");
    fs::create_dir_all(b.join("incidents")).unwrap();
    fs::write(b.join("incidents/card.yaml"), INCIDENT).unwrap();
    git(&b, &["add", "-A"]);
    git(&b, &["commit", "-qm", "Card payments failing"]);
    git(&b, &["push", "-q", "origin", "main"]);
    // While the run delivers, another commit lands: its first push is refused and it rebases.
    let hook = a.join(".git/hooks/pre-push");
    let racer = dir.path().join("racer");
    let script = format!(
        "#!/bin/sh\n[ -e '{m}' ] && exit 0\ntouch '{m}'\ncd '{b}' && echo '# the status page' > README.md && git add README.md && git -c user.name=B -c user.email=b@example.com commit -qm 'Add a readme' && git push -q origin main\n",
        m = racer.display(),
        b = b.display()
    );
    fs::write(&hook, script).unwrap();
    ok(Command::new("chmod").arg("+x").arg(&hook).output().unwrap());

    let second = ok(notify_step(&a, AFTER));
    assert!(second.contains("notify: 2 sent, 0 failed"), "{second}");
    assert!(racer.exists(), "the racing commit landed first");
    let events: Vec<String> = rx.got().iter().map(|g| g.header("X-Candor-Event").to_owned()).collect();
    assert_eq!(events, ["incident.published", "component.updated"], "each delivered once");

    git(&b, &["pull", "-q", "--rebase", "origin", "main"]);
    let log = git(&b, &["log", "--format=%s"]);
    let subjects: Vec<&str> = log.lines().collect();
    assert_eq!(
        subjects,
        [
            "Record delivered notifications",
            "Add a readme",
            "Card payments failing",
            "Record delivered notifications",
            "A status page"
        ]
    );
    let ledger: Value = serde_json::from_str(&fs::read_to_string(b.join(".candor/delivered.json")).unwrap()).unwrap();
    let keys: Vec<&String> = ledger["channels"]["hooks"].as_object().unwrap().keys().collect();
    assert!(keys.iter().any(|k| k.starts_with("card/update/")), "{keys:?}");

    // Nothing new: nothing sent, nothing committed.
    let before = git(&b, &["rev-parse", "HEAD"]);
    let third = ok(notify_step(&a, AFTER));
    assert!(third.contains("notify: 0 sent, 0 failed"), "{third}");
    git(&b, &["pull", "-q", "--rebase", "origin", "main"]);
    assert_eq!(git(&b, &["rev-parse", "HEAD"]), before);
}

#[test]
fn a_site_without_channels_runs_the_notify_step_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin.git");
    fs::create_dir(&origin).unwrap();
    git(&origin, &["init", "-q", "--bare", "-b", "main"]);
    git(dir.path(), &["clone", "-q", origin.to_str().unwrap(), "a"]);
    let a = dir.path().join("a");
    let site = init_site(&a);
    for entry in fs::read_dir(&site).unwrap() {
        let entry = entry.unwrap();
        fs::rename(entry.path(), a.join(entry.file_name())).unwrap();
    }
    git(&a, &["add", "-A"]);
    git(&a, &["commit", "-qm", "A status page"]);
    git(&a, &["push", "-q", "origin", "main"]);
    let out = ok(notify_step(&a, AFTER));
    assert!(out.contains("no channels are configured"), "{out}");
    assert_eq!(git(&a, &["status", "--porcelain"]), "");
}

/// The subcommands, as `candor --help` lists them.
const COMMANDS: [&str; 12] = [
    "build",
    "serve",
    "watch",
    "check",
    "new",
    "update",
    "init",
    "next-change",
    "notify",
    "schema",
    "completions",
    "man",
];

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let version = ok(common::candor(&["--version"]));
    let head = Command::new("git").args(["-C", repo().to_str().unwrap(), "rev-parse", "HEAD"]).output();
    match head {
        Ok(head) if head.status.success() => {
            let head = String::from_utf8_lossy(&head.stdout);
            assert_eq!(version, format!("candor {} (commit {})\n", release::VERSION, &head[..12]));
        }
        _ => assert_eq!(version, format!("candor {} (unknown commit)\n", release::VERSION)),
    }
}

#[test]
fn completions_complete_every_command_in_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = ok(common::candor(&["completions", shell]));
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} completes {command}");
        }
    }
    // Bash, for real: the script loads, and completes a command and a flag.
    let complete = |words: &str, cword: usize| {
        let script = format!(
            "source <('{}' completions bash); COMP_WORDS=({words}); COMP_CWORD={cword}; _candor candor \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; echo \"${{COMPREPLY[*]}}\"",
            env!("CARGO_BIN_EXE_candor")
        );
        ok(Command::new("bash").args(["--norc", "-c", &script]).output().unwrap())
    };
    assert_eq!(complete("candor next", 1).trim(), "next-change");
    assert_eq!(complete("candor build --ro", 2).trim(), "--root");
    assert!(complete("candor completions ''", 2).contains("powershell"));
    let bad = common::candor(&["completions", "tcsh"]);
    assert!(!bad.status.success() && common::stderr(&bad).contains("possible values"), "{}", common::stderr(&bad));
}

/// Renders a man page with groff, which warns (-ww) about anything malformed.
fn groff(page: &[u8]) -> Option<String> {
    use std::io::Write as _;
    let child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou", "-rLL=300n"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        common::skip_without("groff is not installed: `apt-get install groff-base` installs it");
        return None;
    };
    child.stdin.take().unwrap().write_all(page).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success() && output.stderr.is_empty(), "groff: {}", text(&output));
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn the_manual_page_renders_with_its_sections_and_a_page_per_command() {
    let page = common::candor(&["man"]);
    assert!(page.status.success());
    let roff = String::from_utf8_lossy(&page.stdout);
    assert!(roff.contains(&format!(".TH candor 1  \"candor {}\"", release::VERSION_LINE)), "{roff}");
    if let Some(shown) = groff(&page.stdout) {
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SUBCOMMANDS", "VERSION"] {
            assert!(shown.lines().any(|l| l.trim() == section), "the page has {section}:\n{shown}");
        }
        for command in COMMANDS {
            assert!(shown.contains(&format!("candor-{command}(1)")), "the page lists {command}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let said = ok(common::candor(&["man", "--out", dir.path().to_str().unwrap()]));
    assert!(said.contains("Wrote the manual pages"), "{said}");
    for command in COMMANDS {
        let sub = fs::read(dir.path().join(format!("candor-{command}.1"))).unwrap();
        if let Some(shown) = groff(&sub) {
            assert!(shown.contains("SYNOPSIS") && shown.contains(&format!("candor-{command} - ")), "{shown}");
        }
    }
    assert!(fs::read(dir.path().join("candor.1")).unwrap() == page.stdout);
}
