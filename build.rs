//! Records which commit candor is built from, for `candor --version` and for
//! the workflow `candor init` writes, which pins the action to that commit.
//!
//! The commit comes from, in order: `CANDOR_COMMIT` in the environment (for
//! builds without the repository, such as a container build), the git
//! repository this crate is the top of, or the `.cargo_vcs_info.json` that
//! `cargo package` writes into a packaged crate. When none says, the version
//! reads "unknown commit"; the build never fails for it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CANDOR_COMMIT");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let commit = from_env().or_else(|| from_git(&manifest)).or_else(|| from_vcs_info(&manifest));
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let line = match &commit {
        Some(commit) => format!("{version} (commit {})", &commit[..12]),
        None => format!("{version} (unknown commit)"),
    };
    println!("cargo:rustc-env=CANDOR_COMMIT={}", commit.unwrap_or_default());
    println!("cargo:rustc-env=CANDOR_VERSION_LINE={line}");
}

/// A full commit id: forty hexadecimal digits.
fn commit_id(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| text.to_ascii_lowercase())
}

fn from_env() -> Option<String> {
    std::env::var("CANDOR_COMMIT").ok().as_deref().and_then(commit_id)
}

/// Runs git in `dir`, returning its trimmed output when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// HEAD of the repository whose top is this crate; never of a repository
/// that merely contains it (a packaged crate unpacked inside someone's home
/// folder kept in git must not claim that repository's commit).
fn from_git(manifest: &Path) -> Option<String> {
    let top = PathBuf::from(git(manifest, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest.canonicalize().ok()? {
        return None;
    }
    let head = commit_id(&git(manifest, &["rev-parse", "HEAD"])?)?;
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(manifest, &["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        // Only existing files: Cargo reruns a build script on every build for a missing one.
        if let Some(path) = git(manifest, &["rev-parse", "--git-path", &name]).map(|p| manifest.join(p))
            && path.is_file()
        {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    Some(head)
}

/// The commit `cargo package` recorded: `{"git": {"sha1": "..."}, ...}`.
fn from_vcs_info(manifest: &Path) -> Option<String> {
    let path = manifest.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    commit_id(after.get(start..start + 40)?)
}
