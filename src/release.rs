//! What this build of candor is and where it comes from: its version, the
//! commit it was built from (recorded by the build script) and the
//! repository that publishes it, which `Cargo.toml` names once for
//! `--version`, the workflow `candor init` writes, and the README.

/// The version in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `VERSION (commit 0123456789ab)`, or `VERSION (unknown commit)`.
pub const VERSION_LINE: &str = env!("CANDOR_VERSION_LINE");

/// The repository that publishes candor, from `Cargo.toml`'s `repository`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The full id of the commit this binary was built from, if known.
pub fn commit() -> Option<&'static str> {
    Some(env!("CANDOR_COMMIT")).filter(|c| !c.is_empty())
}

/// The GitHub action's `uses:` value for this build: `OWNER/REPO@COMMIT`
/// when the commit is known, so CI runs exactly the candor the site was
/// previewed with, else `OWNER/REPO@vVERSION`, the release tag.
pub fn action() -> String {
    let slug = REPOSITORY.trim_end_matches('/').trim_end_matches(".git").trim_start_matches("https://github.com/");
    match commit() {
        Some(commit) => format!("{slug}@{commit}"),
        None => format!("{slug}@v{VERSION}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_action_names_a_github_repository_and_a_revision() {
        let action = action();
        let (slug, revision) = action.split_once('@').expect("OWNER/REPO@REV");
        assert_eq!(slug.split('/').count(), 2, "{action}");
        assert!(!slug.contains(':'), "{action}");
        match commit() {
            Some(commit) => assert_eq!(revision, commit),
            None => assert_eq!(revision, format!("v{VERSION}")),
        }
        assert!(VERSION_LINE.starts_with(VERSION));
    }
}
