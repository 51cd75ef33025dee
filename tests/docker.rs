//! The `Dockerfile` builds an image whose `candor build` builds a site mounted
//! at /site. It needs a running Docker engine (and the network, for the base
//! images and crates): where none answers, the test says so and passes
//! without running, in CI too, because no CI here can start one.

mod common;

use std::process::{Command, Output};

use common::{demo_copy, repo};

fn docker(args: &[&str]) -> Output {
    Command::new("docker").args(args).output().expect("docker runs")
}

fn ok(output: Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{text}");
    text
}

/// Why no engine can build here, or None when one answers.
fn no_engine() -> Option<String> {
    match Command::new("docker").args(["info", "--format", "{{.ServerVersion}}"]).output() {
        Err(e) => Some(format!("there is no docker command ({e})")),
        Ok(out) if !out.status.success() => Some(format!(
            "the docker command answers but no engine runs: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Ok(_) => None,
    }
}

fn id(flag: &str) -> String {
    let out = Command::new("id").arg(flag).output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn the_image_builds_a_mounted_site() {
    if let Some(why) = no_engine() {
        eprintln!("skipped: the Dockerfile is not built here: {why}");
        return;
    }
    let tag = format!("candor-test:{}", std::process::id());
    let commit = Command::new("git").args(["-C", repo().to_str().unwrap(), "rev-parse", "HEAD"]).output().unwrap();
    let commit = format!("CANDOR_COMMIT={}", String::from_utf8_lossy(&commit.stdout).trim());
    ok(docker(&["build", "--tag", &tag, "--build-arg", &commit, repo().to_str().unwrap()]));
    let version = ok(docker(&["run", "--rm", &tag, "--version"]));
    assert!(version.starts_with(&format!("candor {}", candor::release::VERSION)), "{version}");

    let site = demo_copy();
    let mount = format!("{}:/site", site.path().display());
    let user = format!("{}:{}", id("-u"), id("-g"));
    let built = ok(docker(&["run", "--rm", "--user", &user, "--volume", &mount, &tag]));
    assert!(built.contains("Built "), "{built}");
    let page = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(page.contains("Acme"), "the demo's front page");

    let size = ok(docker(&["image", "inspect", "--format", "{{.Size}}", &tag]));
    let size: u64 = size.trim().parse().unwrap();
    assert!(size < 100_000_000, "a small runtime image: {size} bytes");
    ok(docker(&["image", "rm", &tag]));
}

/// What candor is compiled from: the Dockerfile copies it, the build context
/// lets it in, and the action's cache key digests it.
const SOURCE: [&str; 5] = ["Cargo.toml", "Cargo.lock", "build.rs", "src", "themes"];

/// One instruction: its name, flags and values.
type Instruction = (String, Vec<String>, Vec<String>);

/// The Dockerfile's instructions, read by the
/// `dockerfile` package (BuildKit's own parser), which `.ci/run` installs.
fn instructions() -> Option<Vec<Instruction>> {
    let script = "import dockerfile, json, sys
print(json.dumps([[c.cmd, list(c.flags), list(c.value)] for c in dockerfile.parse_file(sys.argv[1])]))";
    let dockerfile = repo().join("Dockerfile");
    let out = Command::new("python3").args(["-c", script]).arg(&dockerfile).output().expect("python3 runs");
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        if why.contains("No module named 'dockerfile'") {
            common::skip_without("the dockerfile parser is missing: `python3 -m pip install dockerfile` installs it");
            return None;
        }
        panic!("the Dockerfile does not parse: {why}");
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn the_dockerfile_compiles_candor_in_one_stage_and_keeps_only_the_binary() {
    let Some(all) = instructions() else { return };
    let stages: Vec<&Vec<String>> = all.iter().filter(|(cmd, ..)| cmd == "FROM").map(|(_, _, v)| v).collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    assert_eq!(stages[0][1..], ["AS".to_owned(), "build".to_owned()], "{stages:?}");
    assert!(stages[1][0].starts_with("gcr.io/distroless/cc-debian12"), "{stages:?}");
    assert!(stages[0][0].contains("bookworm"), "the build stage's glibc is the runtime's (Debian 12)");
    let split = all.iter().rposition(|(cmd, ..)| cmd == "FROM").unwrap();
    let (build, runtime) = all.split_at(split);

    let mut copied: Vec<String> = Vec::new();
    for (_, flags, values) in build.iter().filter(|(cmd, ..)| cmd == "COPY") {
        assert!(flags.is_empty(), "{flags:?}");
        copied.extend(values[..values.len() - 1].iter().cloned());
    }
    copied.sort();
    let mut source = SOURCE.map(str::to_owned).to_vec();
    source.sort();
    assert_eq!(copied, source, "the build stage copies what candor is compiled from");
    for path in &source {
        assert!(repo().join(path).exists(), "{path}");
    }
    assert!(build.iter().any(|(cmd, _, v)| cmd == "RUN" && v[0].contains("cargo install --path . --locked")));

    let copies: Vec<_> = runtime.iter().filter(|(cmd, ..)| cmd == "COPY").collect();
    assert_eq!(copies.len(), 1, "the runtime stage gets the binary alone");
    assert_eq!(copies[0].1, ["--from=build"]);
    assert!(runtime.iter().any(|(cmd, _, v)| cmd == "ENTRYPOINT" && v == &["/usr/local/bin/candor"]));
    assert!(runtime.iter().any(|(cmd, _, v)| cmd == "CMD" && v == &["build"]));
    assert!(runtime.iter().any(|(cmd, _, v)| cmd == "WORKDIR" && v == &["/site"]));

    let ignore = std::fs::read_to_string(repo().join(".dockerignore")).unwrap();
    let mut allowed: Vec<String> =
        ignore.lines().filter_map(|l| l.strip_prefix('!')).map(|l| l.trim_end_matches('/').to_owned()).collect();
    allowed.sort();
    assert_eq!(allowed, source, "the build context holds exactly that");
    let key = std::fs::read_to_string(repo().join("action/install.sh")).unwrap();
    assert!(key.contains(&format!("find {} -type f", SOURCE.join(" "))), "the action's cache key digests the same");
}
