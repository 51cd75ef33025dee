//! Finding and reading the site's files: `site.yaml` and `incidents/**/*.y{a,}ml`.
//!
//! Reading is defensive: symlinks are reported rather than followed, files over
//! [`crate::files::MAX_FILE_BYTES`] and files that are not UTF-8 are refused with a location,
//! and every problem in every file is collected before anything is built.
//!
//! A [`Cache`] lets a live rebuild read and validate again only the incident
//! files whose size, modification time or inode changed (or every file, when
//! `site.yaml` changed, since every incident is validated against it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{self, Diagnostic, Pos};
use crate::files::{display_path, io_reason, read_text};
use crate::history::{self, FileHistory, History};
use crate::input::{RawIncident, RawSite, from_yaml, from_yaml_fast};
use crate::model::{Incident, IncidentId, Model, Revision, Site, is_slug};
use crate::validate;

/// The file that configures a site.
pub const SITE_FILE: &str = "site.yaml";
/// The folder incident files live in.
pub const INCIDENTS_DIR: &str = "incidents";

/// An incident file found under `incidents/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentFile {
    /// The id its stem gives.
    pub id: String,
    /// The path relative to the site root, as shown to the user.
    pub display: PathBuf,
    /// The path on disk.
    pub path: PathBuf,
}

/// What reading one incident file gave: an incident, a file that parsed but
/// could not be checked against an invalid site, or its problems.
type Loaded = Result<Option<Incident>, Vec<Diagnostic>>;

/// The validated incident files of the last load, by path, with what each
/// file looked like when it was read, and the history read so far.
#[derive(Debug, Default)]
pub struct Cache {
    site: Option<Site>,
    files: HashMap<PathBuf, (Stamp, Loaded)>,
    /// The published versions of the incident files, as far as they were read.
    pub history: history::Cache,
}

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

/// Reads and validates the whole site under `root`; with a `cache`, files
/// unchanged since the cache's last load are not read again.
pub fn model(root: &Path, cache: Option<&mut Cache>) -> Result<Model, Vec<Diagnostic>> {
    let site = site(root);
    let (files, mut diagnostics) = incident_files(root);
    let site = match site {
        Ok(site) => Some(site),
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };
    let results = match cache {
        Some(cache) => cache.load(&files, site.as_ref()),
        None => files.par_iter().map(|f| incident(f, site.as_ref())).collect(),
    };
    let mut incidents = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(Some(incident)) => incidents.push(incident),
            Ok(None) => {}
            Err(errors) => diagnostics.extend(errors),
        }
    }
    match site {
        Some(site) if diagnostics.is_empty() => {
            sort_incidents(&mut incidents);
            Ok(Model { site, incidents })
        }
        _ => {
            diagnostic::sort(&mut diagnostics);
            Err(diagnostics)
        }
    }
}

impl Cache {
    /// Each file's result, from the cache when its stamp is unchanged (and
    /// the site is the same), else read again; remembers them for next time.
    fn load(&mut self, files: &[IncidentFile], site: Option<&Site>) -> Vec<Loaded> {
        if self.site.as_ref() != site || site.is_none() {
            self.site = site.cloned();
            self.files.clear();
        }
        // Taken out of the old cache, not copied: each unchanged incident is cloned once, into the model.
        let known: Vec<(Option<Stamp>, Option<Loaded>)> = files
            .iter()
            .map(|f| {
                let stamp = Stamp::of(&f.path);
                let cached = self.files.remove(&f.path).filter(|(s, _)| Some(*s) == stamp).map(|(_, r)| r);
                (stamp, cached)
            })
            .collect();
        let results: Vec<(Option<Stamp>, Loaded)> = files
            .par_iter()
            .zip(known)
            .map(|(f, (stamp, cached))| (stamp, cached.unwrap_or_else(|| incident(f, site))))
            .collect();
        self.files.clear();
        let mut out = Vec::with_capacity(results.len());
        for (file, (stamp, result)) in files.iter().zip(results) {
            if let Some(stamp) = stamp {
                self.files.insert(file.path.clone(), (stamp, result.clone()));
            }
            out.push(result);
        }
        out
    }
}

/// Reads the published versions of every incident of `model` (from `root`'s git
/// history, when the site shows corrections), and gives each incident its earlier
/// versions, each parsed and validated against today's site like any incident file.
/// Returns notes for the author: no history here, or a version left out because it
/// does not validate.
pub fn revisions(
    root: &Path,
    model: &mut Model,
    cache: &mut history::Cache,
    persist: history::Persist,
) -> Vec<Diagnostic> {
    if !model.site.corrections.enabled {
        return Vec::new();
    }
    let files: Vec<IncidentFile> = model
        .incidents
        .iter()
        .map(|i| IncidentFile { id: i.id.to_string(), display: i.file.clone(), path: root.join(&i.file) })
        .collect();
    let History { files: histories, mut notes, .. } = history::read(root, &files, cache, persist);
    let site = &model.site;
    let found: Vec<(usize, Vec<Revision>, Vec<Diagnostic>)> = model
        .incidents
        .par_iter()
        .enumerate()
        .filter_map(|(i, inc)| histories.get(&inc.file).map(|h| (i, inc, h)))
        .map(|(i, inc, h)| {
            let (revisions, notes) = earlier_versions(inc, h, site);
            (i, revisions, notes)
        })
        .collect();
    for (i, revisions, more) in found {
        model.incidents[i].revisions = revisions;
        notes.extend(more);
    }
    notes
}

/// The earlier versions of `incident` that validate, each with when it was replaced,
/// and a note for each left out.
fn earlier_versions(incident: &Incident, history: &FileHistory, site: &Site) -> (Vec<Revision>, Vec<Diagnostic>) {
    let earlier = if history.committed { history.versions.len() - 1 } else { history.versions.len() };
    let mut notes = Vec::new();
    let mut valid: Vec<(usize, Incident)> = Vec::new();
    for (i, version) in history.versions[..earlier].iter().enumerate() {
        match version_incident(incident, &version.text, site) {
            Ok(parsed) => valid.push((i, parsed)),
            Err(why) => notes.push(history::note(
                &incident.file,
                format!(
                    "the version published by commit {} is left out of the corrections: it does not validate ({why})",
                    version.commit
                ),
            )),
        }
    }
    let mut revisions = Vec::with_capacity(valid.len());
    let mut rest = valid.into_iter().peekable();
    while let Some((i, parsed)) = rest.next() {
        // The next version readers saw: the next valid one, else the file as it is now.
        let next = rest.peek().map_or(earlier, |(n, _)| *n);
        let replaced_at = history.versions.get(next).map(|v| v.published_at);
        let wording_fix = replaced_at.is_some() && history.versions[i + 1..=next].iter().all(|v| v.wording_fix);
        revisions.push(Revision {
            incident: Box::new(parsed),
            published_at: history.versions[i].published_at,
            replaced_at,
            wording_fix,
        });
    }
    (revisions, notes)
}

/// An earlier text of `incident`'s file, validated as that file.
fn version_incident(incident: &Incident, text: &str, site: &Site) -> Result<Incident, String> {
    let first = |d: Vec<Diagnostic>| d.into_iter().next().map_or_else(String::new, |d| d.message);
    let raw = from_yaml_fast::<serde_saphyr::Spanned<RawIncident>>(text, &incident.file).map_err(|d| d.message)?;
    validate::incident(&raw, incident.id.clone(), &incident.file, text, site).map_err(first)
}

/// Newest first, then by id, so every output lists incidents in one stable order.
pub fn sort_incidents(incidents: &mut [Incident]) {
    incidents.sort_by(|a, b| b.started_at.cmp(&a.started_at).then_with(|| a.id.cmp(&b.id)));
}

/// Reads and validates `site.yaml`.
pub fn site(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    let display = Path::new(SITE_FILE);
    let text = read_text(&root.join(SITE_FILE), display).map_err(|d| vec![d])?;
    let raw = from_yaml::<serde_saphyr::Spanned<RawSite>>(&text, display).map_err(|d| vec![d])?;
    validate::site(&raw, display, &text)
}

/// Reads one incident file and validates it against `site` (when the site is valid).
/// `Ok(None)` means the file parsed but could not be checked against an invalid site.
pub fn incident(file: &IncidentFile, site: Option<&Site>) -> Result<Option<Incident>, Vec<Diagnostic>> {
    let text = read_text(&file.path, &file.display).map_err(|d| vec![d])?;
    let raw = from_yaml_fast::<serde_saphyr::Spanned<RawIncident>>(&text, &file.display).map_err(|d| vec![d])?;
    let Some(site) = site else { return Ok(None) };
    validate::incident(&raw, IncidentId::new(file.id.clone()), &file.display, &text, site).map(Some)
}

/// Every incident file under `root/incidents`, sorted by path, and the
/// problems found while looking (symlinks, bad names, duplicate ids).
pub fn incident_files(root: &Path) -> (Vec<IncidentFile>, Vec<Diagnostic>) {
    let dir = root.join(INCIDENTS_DIR);
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    if !dir.exists() {
        return (files, diagnostics);
    }
    // Not even `incidents/` itself is followed when it is a link: it is reported like any other.
    let walker = WalkDir::new(&dir).follow_links(false).follow_root_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        match entry {
            Ok(entry) => {
                if let Some(found) = classify(root, &entry, &mut diagnostics) {
                    files.push(found);
                }
            }
            Err(e) => diagnostics.push(walk_error(root, &e)),
        }
    }
    reject_duplicate_ids(&files, &mut diagnostics);
    (files, diagnostics)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn classify(root: &Path, entry: &walkdir::DirEntry, diagnostics: &mut Vec<Diagnostic>) -> Option<IncidentFile> {
    let display = display_path(root, entry.path());
    if entry.path_is_symlink() {
        diagnostics.push(
            Diagnostic::error("symlink", &display, Pos::FILE, "symbolic links are not followed under `incidents/`")
                .with_hint("move or copy the file into `incidents/` instead of linking to it"),
        );
        return None;
    }
    let path = entry.path();
    let ext = path.extension().and_then(|e| e.to_str());
    if entry.file_type().is_dir() {
        return None;
    }
    if !matches!(ext, Some("yaml" | "yml")) {
        if ext.is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")) {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-name",
                    &display,
                    Pos::FILE,
                    "this file is not read: its extension is not lower case",
                )
                .with_hint("incident files end in `.yaml` or `.yml`; rename it so it is published"),
            );
        }
        return None;
    }
    if !entry.file_type().is_file() {
        diagnostics.push(
            Diagnostic::error(
                "unreadable",
                &display,
                Pos::FILE,
                "this is not a regular file (a pipe, a socket or a device)",
            )
            .with_hint("replace it with the incident file itself"),
        );
        return None;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem.len() > crate::model::MAX_ID_LEN {
        diagnostics.push(
            Diagnostic::error(
                "invalid-id",
                &display,
                Pos::FILE,
                format!("the file name is {} characters long", stem.len()),
            )
            .with_hint(format!(
                "the file name is the incident's id and URL: at most {} characters",
                crate::model::MAX_ID_LEN
            )),
        );
        return None;
    }
    if !is_slug(stem) {
        diagnostics.push(
            Diagnostic::error("invalid-id", &display, Pos::FILE, format!("`{stem}` is not a valid incident id"))
                .with_hint("the file name is the incident's id and URL: use lower-case letters, digits and hyphens (e.g. `2026-03-14-card-payments.yaml`)"),
        );
        return None;
    }
    Some(IncidentFile { id: stem.to_owned(), display, path: path.to_path_buf() })
}

fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let display = error.path().map_or_else(|| PathBuf::from(INCIDENTS_DIR), |p| display_path(root, p));
    let message = if error.loop_ancestor().is_some() {
        "this folder links back to one of its parents".to_owned()
    } else {
        match error.io_error() {
            Some(io) => format!("cannot read this folder: {}", io_reason(io)),
            None => format!("cannot read this folder: {error}"),
        }
    };
    Diagnostic::error("unreadable", &display, Pos::FILE, message)
}

fn reject_duplicate_ids(files: &[IncidentFile], diagnostics: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &IncidentFile> = HashMap::new();
    for file in files {
        if let Some(earlier) = first.get(file.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    &file.display,
                    Pos::FILE,
                    format!("the incident id `{}` is already used by {}", file.id, earlier.display.display()),
                )
                .with_hint("ids come from file names and must be unique across all folders; rename one of the files"),
            );
        } else {
            first.insert(&file.id, file);
        }
    }
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
        let mut cache = Cache::default();
        assert_eq!(model(dir.path(), Some(&mut cache)).unwrap().incidents.len(), 2);
        std::fs::write(dir.path().join("incidents/a.yaml"), INCIDENT.replace("title: A", "title: A, edited")).unwrap();
        std::fs::remove_file(dir.path().join("incidents/b.yaml")).unwrap();
        let again = model(dir.path(), Some(&mut cache)).unwrap();
        assert_eq!(again.incidents.len(), 1);
        assert_eq!(again.incidents[0].title.as_str(), "A, edited");
        std::fs::write(dir.path().join("incidents/a.yaml"), "title: [broken\n").unwrap();
        assert!(model(dir.path(), Some(&mut cache)).is_err());
        let full = model(dir.path(), None);
        assert_eq!(model(dir.path(), Some(&mut cache)).unwrap_err(), full.unwrap_err());
    }
}
