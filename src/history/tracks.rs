//! The versions of every incident file, as one walk over the commits builds
//! them, and the cache that keeps them between builds.
//!
//! A [`State`] describes one commit: for each incident file in it, every
//! version it had along the chain (following renames), oldest first. Applying
//! a child commit's [`Step`] gives the child's state, so a cached state is
//! brought up to date with the commits made since it, and a state read in
//! many builds equals one read in one: nothing in it depends on when, or
//! from which cache, it was read.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::{RawIncident, RawText, from_yaml_fast};

/// The layout of the cache file; a file in another layout is not read.
const FORMAT: u32 = 1;

/// One version of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Rec {
    /// Its blob, in hex.
    pub blob: String,
    /// Its commit's time, in seconds since 1970.
    pub time: i64,
    /// Its commit, abbreviated.
    pub commit: String,
    /// Whether its commit declared a fix of wording alone.
    pub fix: bool,
    /// Whether it only added to the version before (see [`grows`]); `None` until worked out.
    pub grows: Option<bool>,
}

/// Every version one file had, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Track {
    /// The versions.
    pub versions: Vec<Rec>,
    /// The SHA-256 of the last version's text (hex, first 32 digits), to tell whether the
    /// file on disk is that version; empty until worked out.
    pub digest: String,
}

impl Track {
    /// Whether `text` is this file's last version.
    pub fn is_last(&self, text: &str) -> bool {
        digest(text) == self.digest
    }

    /// Whether some version changed what an earlier one said, so that the versions must
    /// be read and compared; when every one only added to the last, nothing was corrected.
    pub fn needs_versions(&self) -> bool {
        self.versions.iter().skip(1).any(|v| v.grows != Some(true))
    }

    /// Whether something is left to work out after new versions were added.
    pub fn is_open(&self) -> bool {
        self.digest.is_empty() || self.versions.iter().any(|v| v.grows.is_none())
    }

    /// The indexes of the versions whose text [`Track::close`] needs.
    pub fn open_texts(&self) -> Vec<usize> {
        let mut needed = Vec::new();
        for (i, v) in self.versions.iter().enumerate() {
            if v.grows.is_none() {
                needed.extend([i.saturating_sub(1), i]);
            }
        }
        if self.digest.is_empty() {
            needed.push(self.versions.len() - 1);
        }
        needed.sort_unstable();
        needed.dedup();
        needed
    }

    /// Works out what is open from the `texts` of the versions [`Track::open_texts`] named.
    pub fn close(&mut self, texts: &HashMap<usize, String>) {
        let empty = String::new();
        let text = |i: usize| texts.get(&i).unwrap_or(&empty);
        // Each version is read once, though it is compared with the one
        // before it and the one after.
        let mut last: Option<(usize, Option<Units>)> = None;
        for i in 0..self.versions.len() {
            if self.versions[i].grows.is_some() {
                continue;
            }
            if i == 0 {
                self.versions[i].grows = Some(true);
                continue;
            }
            let old = match last.take() {
                Some((j, read)) if j == i - 1 => read,
                _ => units(text(i - 1)),
            };
            let new = units(text(i));
            let grew = matches!((&old, &new), (Some(old), Some(new)) if contains(new, old));
            self.versions[i].grows = Some(grew);
            last = Some((i, new));
        }
        if self.digest.is_empty() {
            self.digest = digest(text(self.versions.len() - 1));
        }
    }
}

/// A change one commit made to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Change {
    /// The file's path after the commit.
    pub path: String,
    /// The path it was renamed from, if it was.
    pub from: Option<String>,
    /// Its blob after the commit, in hex; `None` when the commit removed it.
    pub blob: Option<String>,
}

/// What one commit changed.
#[derive(Clone, Debug)]
pub(super) struct Step {
    /// The commit, abbreviated.
    pub commit: String,
    /// Its time, in seconds since 1970.
    pub time: i64,
    /// Whether it declared a fix of wording alone.
    pub wording_fix: bool,
    /// The incident files it changed, by path.
    pub changes: Vec<Change>,
}

/// The versions of every incident file at one commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct State {
    format: u32,
    /// The candor that wrote it: another may read the history differently.
    candor: String,
    /// The folder of incident files, relative to the work tree.
    dir: String,
    /// The commit described, in hex.
    pub head: String,
    /// The folder's tree at that commit, in hex.
    pub tree: Option<String>,
    /// Each file's versions, by path relative to the work tree.
    pub files: BTreeMap<String, Track>,
}

impl State {
    /// The state before any commit.
    pub fn new(dir: &str) -> State {
        State {
            format: FORMAT,
            candor: env!("CARGO_PKG_VERSION").to_owned(),
            dir: dir.to_owned(),
            head: String::new(),
            tree: None,
            files: BTreeMap::new(),
        }
    }

    /// Whether this state was written by this candor, for the incident folder `dir`.
    pub fn describes(&self, dir: &str) -> bool {
        self.format == FORMAT && self.candor == env!("CARGO_PKG_VERSION") && self.dir == dir
    }

    /// The folder tree at the commit described.
    pub fn tree_id(&self) -> Option<gix::ObjectId> {
        self.tree.as_deref().and_then(|t| gix::ObjectId::from_hex(t.as_bytes()).ok())
    }

    /// The versions of the file at `path`.
    pub fn track(&self, path: &str) -> Option<&Track> {
        self.files.get(path)
    }

    /// The state after `step`, the next commit.
    pub fn apply(&mut self, step: &Step) {
        let mut moved: Vec<(String, Track)> = Vec::new();
        for change in step.changes.iter().filter(|c| c.from.is_some()) {
            if let Some(track) = change.from.as_ref().and_then(|from| self.files.remove(from)) {
                moved.push((change.path.clone(), track));
            }
        }
        for (path, track) in moved {
            self.files.insert(path, track);
        }
        for change in &step.changes {
            let Some(blob) = &change.blob else {
                self.files.remove(&change.path);
                continue;
            };
            let version = Rec {
                blob: blob.clone(),
                time: step.time,
                commit: step.commit.clone(),
                fix: step.wording_fix,
                grows: None,
            };
            match self.files.get_mut(&change.path) {
                Some(track) if track.versions.last().is_some_and(|v| v.blob == *blob) => {}
                Some(track) => {
                    track.versions.push(version);
                    track.digest.clear();
                }
                None => {
                    let first = Rec { grows: Some(true), ..version };
                    self.files.insert(change.path.clone(), Track { versions: vec![first], digest: String::new() });
                }
            }
        }
    }

    /// The state kept at `path`, if there is one this candor can read.
    pub fn load(path: &Path) -> Option<State> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Keeps this state at `path`.
    pub fn save(&self, path: &Path) -> Result<(), crate::files::WriteError> {
        // Serialising plain data with string keys cannot fail.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        crate::files::replace_file(path, &bytes, false)
    }
}

/// The SHA-256 of `text`: its first 32 hex digits.
fn digest(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Whether `new` only adds to `old`: every title, impact, update, post-mortem section
/// and breach fact `old` holds is in `new`, written exactly the same (updates found by
/// their `at` as written). Then the change corrected nothing anyone read, whatever the
/// site's settings, and the two versions need not be compared. A text that does not
/// parse never grows into anything, nor does anything grow from it.
pub fn grows(old: &str, new: &str) -> bool {
    let (Some(old), Some(new)) = (units(old), units(new)) else { return false };
    contains(&new, &old)
}

/// Whether `new` holds every unit of `old`, written the same.
fn contains(new: &Units, old: &Units) -> bool {
    old.iter().all(|(key, value)| new.get(key) == Some(value))
}

/// What readers see of an incident file, by what it is ([`units`]).
type Units = HashMap<String, String>;

/// What readers see of an incident file, as written, by what it is.
fn units(text: &str) -> Option<Units> {
    let raw: RawIncident = from_yaml_fast(text, Path::new("history")).ok()?;
    let mut out = HashMap::new();
    let mut put = |key: String, value: Option<String>| {
        if let Some(value) = value {
            out.insert(key, value);
        }
    };
    put("title".into(), raw.title.as_ref().map(|t| prose(&t.value)));
    put("kind".into(), raw.kind.as_ref().map(|k| k.value.clone()));
    put("impact".into(), raw.impact.as_ref().map(|i| i.value.clone()));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for update in raw.updates.iter().flat_map(|u| &u.value) {
        let u = &update.value;
        let at = u.at.as_ref().map_or_else(String::new, |a| a.value.trim().to_owned());
        let nth = seen.entry(at.clone()).and_modify(|n| *n += 1).or_insert(0);
        let status = u.status.as_ref().map_or("", |s| s.value.as_str());
        let body = u.body.as_ref().map(|b| prose(&b.value)).unwrap_or_default();
        let promise = u.next_update_by.as_ref().map_or("", |p| p.value.as_str());
        put(format!("update {at} {nth}"), Some(format!("{status}\u{0}{body}\u{0}{promise}")));
    }
    if let Some(p) = raw.postmortem.as_ref().map(|p| &p.value) {
        put("postmortem.published_at".into(), p.published_at.as_ref().map(|t| t.value.clone()));
        for (name, section) in [
            ("summary", &p.summary),
            ("impact", &p.impact),
            ("root_cause", &p.root_cause),
            ("resolution", &p.resolution),
            ("lessons", &p.lessons),
        ] {
            put(format!("postmortem.{name}"), section.as_ref().map(|s| prose(&s.value)));
        }
    }
    if let Some(b) = raw.breach.as_ref().map(|b| &b.value) {
        let data: Vec<String> = b.data_affected.iter().map(|d| prose(&d.value)).collect();
        put("breach.data_affected".into(), (!data.is_empty()).then(|| data.join("\u{0}")));
        put("breach.people_affected".into(), b.people_affected.as_ref().map(|p| format!("{:?}", p.value)));
        put("breach.what_you_should_do".into(), b.what_you_should_do.as_ref().map(|w| prose(&w.value)));
    }
    Some(out)
}

/// Prose as written, in every language, without positions.
fn prose(text: &RawText) -> String {
    match text {
        RawText::Plain(text) => text.clone(),
        RawText::ByLanguage(entries) => {
            let mut pairs: Vec<(&str, &str)> =
                entries.iter().map(|(l, t)| (l.value.as_str(), t.value.as_str())).collect();
            pairs.sort_unstable();
            pairs.iter().map(|(l, t)| format!("{l}\u{0}{t}")).collect::<Vec<_>>().join("\u{1}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "title: Payments failing\nkind: outage\nimpact: major\nstarted_at: 2026-03-14T09:00:00Z\nupdates:\n  - at: 2026-03-14T09:10:00Z\n    status: investigating\n    body: We are looking into it.\n";

    #[test]
    fn an_added_update_grows_and_an_edited_one_does_not() {
        let added = format!(
            "{V1}  - at: 2026-03-14T09:40:00Z\n    status: resolved\n    body: Fixed.\nresolved_at: 2026-03-14T09:40:00Z\n"
        );
        assert!(grows(V1, &added));
        assert!(!grows(V1, &V1.replace("looking into", "investigating")));
        assert!(!grows(V1, &V1.replace("impact: major", "impact: minor")));
        let promised = V1.replace("into it.\n", "into it.\n    next_update_by: 2026-03-14T10:00:00Z\n");
        assert!(!grows(V1, &promised), "a promise added to a published update changes it");
        assert!(!grows(V1, "title: [broken\n"), "a text that does not parse is never a growth");
    }

    #[test]
    fn a_rename_keeps_the_versions_and_a_removal_ends_them() {
        let mut state = State::new("incidents");
        let step = |time, changes| Step { commit: format!("c{time}"), time, wording_fix: false, changes };
        let change = |path: &str, from: Option<&str>, blob: Option<&str>| Change {
            path: path.into(),
            from: from.map(Into::into),
            blob: blob.map(Into::into),
        };
        state.apply(&step(1, vec![change("incidents/a.yaml", None, Some("b1"))]));
        state.apply(&step(2, vec![change("incidents/a.yaml", None, Some("b2"))]));
        state.apply(&step(3, vec![change("incidents/2026/a.yaml", Some("incidents/a.yaml"), Some("b3"))]));
        let track = state.track("incidents/2026/a.yaml").expect("followed the rename");
        let blobs: Vec<&str> = track.versions.iter().map(|v| v.blob.as_str()).collect();
        assert_eq!(blobs, ["b1", "b2", "b3"]);
        assert!(state.track("incidents/a.yaml").is_none());
        state.apply(&step(4, vec![change("incidents/2026/a.yaml", None, None)]));
        assert!(state.files.is_empty());
    }
}
