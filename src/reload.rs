//! Reading a site again after an edit, re-reading only the files that changed.
//!
//! `watch` and `serve` keep each incident file's validated result with the
//! file's size, modification time and inode; a rebuild reads and validates only
//! files whose stamp changed (or all of them when `site.yaml` changed, since
//! every incident is validated against it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::diagnostic::{self, Diagnostic};
use crate::load;
use crate::model::{Incident, Model, Site};

/// What a file looked like when it was last read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp { len: meta.len(), modified: meta.modified().ok(), inode })
    }
}

type Loaded = Result<Option<Incident>, Vec<Diagnostic>>;

/// The validated incident files of the last load.
#[derive(Debug, Default)]
pub struct LoadCache {
    site: Option<Site>,
    files: HashMap<PathBuf, (Stamp, Loaded)>,
}

/// Reads and validates the site under `root`, reusing unchanged files from `cache`.
pub fn model(root: &Path, cache: &mut LoadCache) -> Result<Model, Vec<Diagnostic>> {
    let site = match load::site(root) {
        Ok(site) => site,
        Err(_) => {
            *cache = LoadCache::default();
            return load::model(root);
        }
    };
    if cache.site.as_ref() != Some(&site) {
        cache.files.clear();
        cache.site = Some(site.clone());
    }
    let (files, mut diagnostics) = load::incident_files(root);
    let mut seen = HashMap::with_capacity(files.len());
    let mut incidents = Vec::with_capacity(files.len());
    for file in &files {
        let stamp = Stamp::of(&file.path);
        // Taken out of the old cache, not copied: each unchanged incident is cloned once, into the model.
        let cached = cache.files.remove(&file.path).filter(|(s, _)| Some(*s) == stamp).map(|(_, r)| r);
        let result = cached.unwrap_or_else(|| load::incident(file, Some(&site)));
        match &result {
            Ok(Some(incident)) => incidents.push(incident.clone()),
            Ok(None) => {}
            Err(errors) => diagnostics.extend(errors.iter().cloned()),
        }
        if let Some(stamp) = stamp {
            seen.insert(file.path.clone(), (stamp, result));
        }
    }
    cache.files = seen;
    if !diagnostics.is_empty() {
        diagnostic::sort(&mut diagnostics);
        return Err(diagnostics);
    }
    load::sort_incidents(&mut incidents);
    Ok(Model { site, incidents })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::SITE;

    const INCIDENT: &str = "title: A\nkind: outage\nimpact: minor\nstarted_at: 2026-03-14T10:00:00+02:00\nupdates:\n  - { at: 2026-03-14T10:05:00+02:00, status: resolved, body: Fixed. }\n";

    #[test]
    fn edits_are_seen_and_the_result_matches_a_full_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
        std::fs::create_dir(dir.path().join("incidents")).unwrap();
        std::fs::write(dir.path().join("incidents/a.yaml"), INCIDENT).unwrap();
        std::fs::write(dir.path().join("incidents/b.yaml"), INCIDENT.replace("title: A", "title: B")).unwrap();
        let mut cache = LoadCache::default();
        assert_eq!(model(dir.path(), &mut cache).unwrap().incidents.len(), 2);
        std::fs::write(dir.path().join("incidents/a.yaml"), INCIDENT.replace("title: A", "title: A, edited")).unwrap();
        std::fs::remove_file(dir.path().join("incidents/b.yaml")).unwrap();
        let again = model(dir.path(), &mut cache).unwrap();
        assert_eq!(again.incidents.len(), 1);
        assert_eq!(again.incidents[0].title.as_str(), "A, edited");
        std::fs::write(dir.path().join("incidents/a.yaml"), "title: [broken\n").unwrap();
        assert!(model(dir.path(), &mut cache).is_err());
        let full = load::model(dir.path());
        assert_eq!(model(dir.path(), &mut cache).unwrap_err(), full.unwrap_err());
    }
}
