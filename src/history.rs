//! What each incident file said before: its published versions, from the
//! site's git history. An input stage beside [`crate::load`].
//!
//! A version is what one commit on the branch being built (the first-parent
//! chain of `HEAD`) made of a file; it was published from its commit's time
//! until the next version's. The history of every file is read in one walk
//! over the commits, following renames ([`tracks`]), and kept in a cache
//! under `.candor/cache/` keyed by the commit it describes, so the next build
//! reads only the commits made since. Only files whose published text changed
//! in a way that could hide something ([`tracks::Track::needs_versions`])
//! have their earlier texts read: the rest need nothing.
//!
//! Nothing here judges what changed: [`crate::load::revisions`] parses and
//! validates each earlier text like any incident file, and
//! [`crate::views`] compares them. No history (not a git checkout, a shallow
//! clone, no commits yet) is a note, never an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Pos};
use crate::load::{INCIDENTS_DIR, IncidentFile, SITE_FILE};

mod git;
mod tracks;

pub use tracks::grows;

/// Where the history read so far is kept between builds, under the site root.
pub const CACHE_FILE: &str = ".candor/cache/history.json";

/// The commit-message trailer that declares a change a fix of wording alone.
pub const TRAILER: &str = "Candor-Correction";

/// The code of the notes this stage gives.
pub const NOTE: &str = "corrections";

/// One published version of an incident file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// The file's text.
    pub text: String,
    /// When it was published: its commit's time.
    pub published_at: Timestamp,
    /// The commit that published it, abbreviated, for notes.
    pub commit: String,
    /// Whether that commit declared its change a fix of wording alone ([`TRAILER`]).
    pub wording_fix: bool,
}

/// The published versions of one incident file, oldest first, each different from the one before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileHistory {
    /// The versions, the last one committed last.
    pub versions: Vec<Version>,
    /// Whether the file on disk is the last version; if not, it holds an edit not yet committed.
    pub committed: bool,
}

/// What the history says about the site's incident files.
#[derive(Debug, Default)]
pub struct History {
    /// The files whose earlier versions matter, by the path shown to the user (`incidents/x.yaml`).
    pub files: HashMap<PathBuf, FileHistory>,
    /// What the author should know: that there is no history here, or why part of it is left out.
    pub notes: Vec<Diagnostic>,
    /// How many commits this read walked (not counting those the cache already knew).
    pub commits_read: usize,
}

/// The history read by earlier builds, in memory (and on disk under [`CACHE_FILE`]).
#[derive(Debug, Default)]
pub struct Cache {
    state: Option<tracks::State>,
}

/// Whether `read` keeps what it learnt on disk for the next build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persist {
    /// Write the cache file when the history moved on (`build`, `watch`, `serve`).
    Write,
    /// Only read it (`check`, which writes nothing).
    ReadOnly,
}

/// Reads the published versions of `files`, the incident files of the site at `root`.
pub fn read(root: &Path, files: &[IncidentFile], cache: &mut Cache, persist: Persist) -> History {
    let mut history = History::default();
    let repo = match git::Repo::open(root) {
        Ok(repo) => repo,
        Err(why) => {
            history.notes.push(site_note(&why.to_string()));
            return history;
        }
    };
    let stored = cache.state.take().or_else(|| tracks::State::load(&root.join(CACHE_FILE)));
    let (state, walked) = match repo.state(stored) {
        Ok(found) => found,
        Err(why) => {
            history.notes.push(site_note(&why.to_string()));
            return history;
        }
    };
    history.commits_read = walked;
    if walked > 0 && persist == Persist::Write {
        // The cache only spares work: a build that cannot keep it is as right, only slower next time.
        let _ = state.save(&root.join(CACHE_FILE));
    }
    history.files = changed_files(&repo, &state, files, &mut history.notes);
    cache.state = Some(state);
    history
}

/// The histories of the files whose text changed after they were first published, or
/// whose text on disk is not the last committed one.
fn changed_files(
    repo: &git::Repo,
    state: &tracks::State,
    files: &[IncidentFile],
    notes: &mut Vec<Diagnostic>,
) -> HashMap<PathBuf, FileHistory> {
    let found: Vec<Result<Option<(PathBuf, FileHistory)>, Diagnostic>> = files
        .par_iter()
        .map(|file| {
            let Some(track) = state.track(&repo.path_of(&file.display)) else { return Ok(None) };
            let Ok(text) = crate::files::read_text(&file.path, &file.display) else { return Ok(None) };
            let committed = track.is_last(&text);
            if committed && !track.needs_versions() {
                return Ok(None);
            }
            let versions = repo
                .versions(track)
                .map_err(|why| note(&file.display, format!("its earlier versions cannot be read: {why}")))?;
            Ok(Some((file.display.clone(), FileHistory { versions, committed })))
        })
        .collect();
    let mut out = HashMap::new();
    for result in found {
        match result {
            Ok(Some((path, history))) => {
                out.insert(path, history);
            }
            Ok(None) => {}
            Err(note) => notes.push(note),
        }
    }
    out
}

/// A note about the whole site's history, on `site.yaml`.
fn site_note(why: &str) -> Diagnostic {
    note(Path::new(SITE_FILE), format!("edits made after publishing cannot be shown: {why}")).with_hint(format!(
        "corrections come from the git history of `{INCIDENTS_DIR}/`: build from a full clone (in GitHub Actions, `fetch-depth: 0`), or set `corrections: {{ enabled: false }}` in site.yaml"
    ))
}

/// A note on `file`, for the author.
pub fn note(file: &Path, message: String) -> Diagnostic {
    Diagnostic::error(NOTE, file, Pos::FILE, message).with_level(crate::diagnostic::Level::Note)
}

/// Why there is no history to read.
#[derive(Debug)]
pub enum NoHistory {
    /// The site is not in a git repository.
    NotGit,
    /// The repository has no work tree (a bare repository).
    Bare,
    /// The site's folder is not inside the repository's work tree.
    Outside,
    /// A shallow clone: the earlier commits are not there.
    Shallow,
    /// Nothing is committed yet.
    NoCommits,
    /// The repository could not be read.
    Unreadable(String),
}

impl std::fmt::Display for NoHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoHistory::NotGit => f.write_str("the site is not in a git checkout"),
            NoHistory::Bare => f.write_str("the repository has no work tree"),
            NoHistory::Outside => f.write_str("the site is outside the repository's work tree"),
            NoHistory::Shallow => f.write_str("this is a shallow clone, without the earlier commits"),
            NoHistory::NoCommits => f.write_str("nothing is committed yet"),
            NoHistory::Unreadable(why) => write!(f, "the git history cannot be read ({why})"),
        }
    }
}
