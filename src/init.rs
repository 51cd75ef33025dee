//! `candor init DIR`: a new site that builds, with CI that publishes it.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::files::write_atomically;
use crate::{release, schema};

/// Where the GitHub Actions workflow goes, relative to the site.
pub const WORKFLOW: &str = ".github/workflows/status-page.yml";

/// The workflow: check, build and deploy to GitHub Pages, then notify, with
/// candor from the action of the repository and commit this binary was built
/// from (see [`release::action`]).
pub fn workflow() -> String {
    include_str!("init/workflow.yml").replace("{{ACTION}}", &release::action()).replace("{{VERSION}}", release::VERSION)
}

/// The files of a new site: path relative to the site, contents.
pub fn files(now: Timestamp) -> Vec<(PathBuf, String)> {
    let now = now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let date = &now[..10];
    vec![
        (PathBuf::from("site.yaml"), include_str!("init/site.yaml").to_owned()),
        (
            PathBuf::from(format!("incidents/{date}-welcome.yaml")),
            include_str!("init/incident.yaml").replace("{{NOW}}", &now),
        ),
        (PathBuf::from(".gitignore"), include_str!("init/gitignore").to_owned()),
        (PathBuf::from(WORKFLOW), workflow()),
        // Netlify and Cloudflare Pages read `_headers` from the published
        // folder; the theme's static files are copied there by every build.
        (PathBuf::from("themes/default/static/_headers"), include_str!("init/headers").to_owned()),
        // An S3 bucket takes its CORS rules from the API: `aws s3api put-bucket-cors`.
        (PathBuf::from("hosting/s3-cors.json"), include_str!("init/s3-cors.json").to_owned()),
        (PathBuf::from(schema::DIR).join(schema::INCIDENT_FILE), schema::incident()),
        (PathBuf::from(schema::DIR).join(schema::SITE_FILE), schema::site()),
    ]
}

/// Creates a new site in `dir`, refusing to overwrite an existing one.
pub fn run(dir: &Path, now: Timestamp) -> Result<Vec<PathBuf>, String> {
    if dir.join(crate::load::SITE_FILE).exists() {
        return Err(format!("{} already has a site.yaml; candor init does not overwrite a site", dir.display()));
    }
    let files = files(now);
    for (path, _) in &files {
        if dir.join(path).exists() {
            return Err(format!("{} already exists; candor init does not overwrite files", dir.join(path).display()));
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (path, text) in &files {
        write_atomically(&dir.join(path), text.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_site_validates_and_refuses_to_be_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("status");
        let made = run(&site, "2026-11-23T10:00:00Z".parse().unwrap()).unwrap();
        assert!(made.iter().any(|p| p.ends_with("status-page.yml")));
        let model = crate::load::model(&site, None).expect("the new site validates");
        assert_eq!(model.incidents.len(), 1);
        let theme = crate::theme::Theme::load(&site, &model.site).expect("the theme loads");
        let headers = String::from_utf8(theme.statics["_headers"].clone()).unwrap();
        assert!(headers.contains("/api/*\n  Access-Control-Allow-Origin: *"), "{headers}");
        let cors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(site.join("hosting/s3-cors.json")).unwrap()).unwrap();
        assert_eq!(cors["CORSRules"][0]["AllowedMethods"], serde_json::json!(["GET", "HEAD"]));
        assert!(run(&site, Timestamp::UNIX_EPOCH).is_err());
    }
}
