//! Rebuilding on every save, and on the clock: `candor watch`, and the engine of `candor serve`.
//!
//! File events are debounced, so one save from any editor (including those
//! that write through a rename) gives one rebuild. A failed rebuild leaves the
//! last good output in place. Between saves the site is rebuilt when the clock
//! alone changes it (a promise falls due, a window opens) and at least once a
//! minute, and only files whose contents changed are written.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::build::{self, BuildError, Options, Phases};
use crate::load::{INCIDENTS_DIR, SITE_FILE};
use crate::output::{LiveOutput, SyncReport};
use crate::render::{RenderError, Rendered, Request, render};

/// How long the files must be quiet before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// The longest the site goes without a rebuild, so times like "overdue" stay true.
pub const CLOCK_TICK: Duration = Duration::from_secs(60);

/// What one rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// The output is up to date.
    Built {
        /// Files written, unchanged and removed.
        sync: SyncReport,
        /// How long the rebuild took.
        elapsed: Duration,
        /// Notes for the author.
        notes: Vec<String>,
        /// How long each phase took.
        phases: Phases,
        /// When the pages of the edited incidents were on disk, if they were
        /// written ahead of the rest.
        ahead: Option<Duration>,
    },
    /// The input has errors; the previous output is still in place.
    Failed(BuildError),
}

/// Why a rebuild happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The first build.
    Start,
    /// A file changed.
    Edit,
    /// The clock moved past a moment that changes the site.
    Clock,
}

/// Rebuilds a site into a live output folder.
#[derive(Debug)]
pub struct Rebuilder {
    options: Options,
    output: LiveOutput,
    next_change: Option<Timestamp>,
    cache: crate::render::RenderCache,
    loaded: crate::reload::LoadCache,
    /// What the last good rebuild prepared, for writing edited pages ahead.
    last: Option<build::Prepared>,
}

impl Rebuilder {
    /// Prepares to keep `out` up to date with the site `options` describe.
    pub fn new(options: Options, out: &Path) -> Result<Rebuilder, BuildError> {
        crate::output::check_target(&options.root, out).map_err(BuildError::Output)?;
        Ok(Rebuilder {
            options,
            output: LiveOutput::new(out),
            next_change: None,
            cache: Default::default(),
            loaded: Default::default(),
            last: None,
        })
    }

    /// The folder kept up to date.
    pub fn out_dir(&self) -> &Path {
        self.output.dir()
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Rebuilds in memory and writes what changed.
    pub fn rebuild(&mut self) -> Outcome {
        self.rebuild_after(&[])
    }

    /// Like [`Rebuilder::rebuild`], after the files at `changed` (absolute
    /// paths) changed. When they are incident files that were already part of
    /// the site, their own pages are rendered and written first, from the last
    /// good model with those files read again, so the author sees the edit
    /// before the pages that list every incident are rebuilt.
    pub fn rebuild_after(&mut self, changed: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let mut phases = Phases::start();
        let ahead = self.write_ahead(changed).map(|()| {
            phases.mark("edited pages");
            started.elapsed()
        });
        let mut mark = |name: &'static str| phases.mark(name);
        let result = build::prepare_cached(&self.options, &mut self.loaded).and_then(|prepared| {
            mark("read and derive");
            let next = prepared.live_clock.then(|| crate::views::next_change(&prepared.model, &prepared.views));
            let rendered =
                render(&prepared.model, &prepared.views, &prepared.theme, Request::site().cached(&mut self.cache))
                    .map_err(|e| BuildError::Input(RenderError::from(e).0))?;
            mark("render");
            let Rendered { files, reused, notes } = rendered;
            let sync = self.output.sync(&files, &reused).map_err(BuildError::Output)?;
            mark("write");
            Ok((sync, notes, next, prepared))
        });
        match result {
            Ok((sync, notes, next, prepared)) => {
                self.next_change = next;
                self.last = Some(prepared);
                Outcome::Built { sync, elapsed: started.elapsed(), notes, phases, ahead }
            }
            Err(error) => {
                // The same files would fail the same way: wait for an edit.
                self.next_change = None;
                self.last = None;
                Outcome::Failed(error)
            }
        }
    }

    /// Writes the files of the edited incidents at `changed`, if every path
    /// there is an incident file of the last good build, or is gone (an
    /// editor's short-lived probe file), and each incident still validates;
    /// otherwise does nothing and says so with `None`.
    fn write_ahead(&mut self, changed: &[PathBuf]) -> Option<()> {
        let last = self.last.as_mut()?;
        let root = absolute(&self.options.root);
        let (mut edited, mut moved) = (Vec::with_capacity(changed.len()), false);
        for path in changed {
            let rel = path.strip_prefix(&root).ok()?;
            let Some(at) = last.model.incidents.iter().position(|inc| inc.file == rel) else {
                if path.exists() {
                    return None;
                }
                continue;
            };
            let file = crate::load::IncidentFile {
                id: last.model.incidents[at].id.to_string(),
                display: rel.to_path_buf(),
                path: path.clone(),
            };
            let incident = crate::load::incident(&file, Some(&last.model.site)).ok()??;
            moved |= incident.started_at != last.model.incidents[at].started_at;
            edited.push(at);
            last.model.incidents[at] = incident;
        }
        if edited.is_empty() {
            return None;
        }
        let (now, _) = build::resolve_now(self.options.now.as_deref(), &last.model.site).ok()?;
        if moved || now != last.views.now {
            let ids: Vec<_> = edited.iter().map(|at| last.model.incidents[*at].id.clone()).collect();
            crate::load::sort_incidents(&mut last.model.incidents);
            last.views = crate::views::derive(&last.model, now);
            edited = ids.iter().filter_map(|id| last.model.incidents.iter().position(|inc| &inc.id == id)).collect();
        } else {
            crate::views::rederive(&last.model, &mut last.views, &edited);
        }
        let indexes = edited;
        let files = render(&last.model, &last.views, &last.theme, Request::incidents(&indexes)).ok()?.files;
        self.output.write_ahead(&files).ok().map(|_| ())
    }

    /// How long to wait for file events before the clock alone calls for a rebuild:
    /// forever when now is frozen or the last build failed.
    fn clock_wait(&self) -> Option<Duration> {
        let next = self.next_change?;
        let until = Timestamp::now().duration_until(next);
        let millis = until.as_millis().clamp(0, CLOCK_TICK.as_millis() as i128);
        Some(Duration::from_millis(u64::try_from(millis).unwrap_or(0)).max(Duration::from_millis(10)))
    }
}

/// A failed rebuild as plain text (every diagnostic, then the summary), for
/// terminals and the browser overlay: the last good output is still served.
pub fn failure_text(error: &BuildError) -> String {
    let mut text = match error {
        BuildError::Input(diagnostics) => crate::report::plain(diagnostics),
        _ => String::new(),
    };
    text.push_str(&error.summary(Path::new("the last good output")).replace(" was left unchanged", " is still served"));
    text.push('\n');
    text
}

/// Whether a changed path can change the site.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let hidden = rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
    if hidden {
        return false;
    }
    let mut parts = rel.components();
    match parts.next().and_then(|c| c.as_os_str().to_str()) {
        Some(SITE_FILE) => parts.next().is_none(),
        Some("themes") => true,
        Some(INCIDENTS_DIR) => match rel.extension().and_then(|e| e.to_str()) {
            Some(ext) => matches!(ext, "yaml" | "yml"),
            None => true,
        },
        _ => false,
    }
}

/// Watches the site and rebuilds until `keep_going` says stop, reporting each rebuild.
pub fn run(
    mut rebuilder: Rebuilder,
    mut report: impl FnMut(Trigger, &Outcome),
    keep_going: impl Fn() -> bool,
) -> Result<(), String> {
    let root = absolute(rebuilder.root());
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch files: {e}"))?;
    let watch_all = |debouncer: &mut notify_debouncer_full::Debouncer<_, _>| {
        let _ = debouncer.watch(&root, RecursiveMode::NonRecursive);
        for dir in [INCIDENTS_DIR, "themes"] {
            let path = root.join(dir);
            if path.is_dir() {
                let _ = debouncer.watch(&path, RecursiveMode::Recursive);
            }
        }
    };
    watch_all(&mut debouncer);
    report(Trigger::Start, &rebuilder.rebuild());
    while keep_going() {
        // Wake at least every tick to notice a stop request.
        let wait = rebuilder.clock_wait().unwrap_or(CLOCK_TICK);
        let mut folders_changed = false;
        let mut changed = Vec::new();
        let trigger = match rx.recv_timeout(wait) {
            Ok(Ok(events)) if events.iter().any(|e| changes(&root, e)) => {
                folders_changed = events.iter().flat_map(|e| e.paths.iter()).any(|p| p.parent() == Some(&root));
                changed = changed_paths(&root, &events);
                Trigger::Edit
            }
            Ok(_) => continue,
            Err(mpsc::RecvTimeoutError::Timeout) if rebuilder.clock_wait().is_some() => Trigger::Clock,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // A folder deleted and created again needs watching again.
        if folders_changed {
            watch_all(&mut debouncer);
        }
        let outcome = rebuilder.rebuild_after(&changed);
        if trigger == Trigger::Clock
            && matches!(outcome, Outcome::Built { sync, .. } if sync.written == 0 && sync.removed == 0)
        {
            continue;
        }
        report(trigger, &outcome);
    }
    Ok(())
}

/// Whether an event changes a relevant file; reading files (as every build does) does not.
fn changes(root: &Path, event: &notify_debouncer_full::DebouncedEvent) -> bool {
    !matches!(event.kind, notify_debouncer_full::notify::EventKind::Access(_))
        && event.paths.iter().any(|p| is_relevant(root, p))
}

/// The relevant paths the events changed, each once.
fn changed_paths(root: &Path, events: &[notify_debouncer_full::DebouncedEvent]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = events
        .iter()
        .filter(|e| changes(root, e))
        .flat_map(|e| e.paths.iter())
        .filter(|p| is_relevant(root, p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::SITE;

    const INCIDENT: &str = "title: Slow checkout\nkind: outage\nimpact: minor\nstarted_at: 2026-03-14T10:00:00+02:00\ncomponents: [payments]\nupdates:\n  - { at: 2026-03-14T10:05:00+02:00, status: investigating, body: Looking. }\n";

    /// A site with two incidents, a rebuilder for it after its first build, and its root.
    fn watched() -> (tempfile::TempDir, Rebuilder) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("incidents")).unwrap();
        let site = format!(
            "{SITE}now: 2026-03-14T12:00:00+02:00\nbase_url: https://status.acme.example\nlanguages: [en, fi]\n"
        );
        std::fs::write(root.join("site.yaml"), site).unwrap();
        std::fs::write(root.join("incidents/a.yaml"), INCIDENT).unwrap();
        std::fs::write(root.join("incidents/b.yaml"), INCIDENT.replace("Slow checkout", "Other")).unwrap();
        let options = Options { root: root.clone(), ..Default::default() };
        let mut rebuilder = Rebuilder::new(options, &dir.path().join("out")).unwrap();
        assert!(matches!(rebuilder.rebuild(), Outcome::Built { ahead: None, .. }));
        (dir, rebuilder)
    }

    fn ahead(outcome: &Outcome) -> Option<Duration> {
        match outcome {
            Outcome::Built { ahead, .. } => *ahead,
            Outcome::Failed(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn an_edited_incident_is_written_first_and_the_result_matches_a_full_build() {
        let (dir, mut rebuilder) = watched();
        let root = absolute(rebuilder.root());
        let edited = INCIDENT.replace("Slow checkout", "Checkout down").replace("minor", "major");
        std::fs::write(root.join("incidents/a.yaml"), edited).unwrap();
        // Vim checks that it may write to the folder with a file it deletes at once.
        let probe = root.join("incidents/4913");
        let outcome = rebuilder.rebuild_after(&[probe, root.join("incidents/a.yaml")]);
        assert!(ahead(&outcome).is_some(), "the edited page goes first");
        for page in ["out/incidents/a/index.html", "out/fi/incidents/a/index.html"] {
            let page = std::fs::read_to_string(dir.path().join(page)).unwrap();
            assert!(page.contains("Checkout down"), "{page}");
        }
        let full = dir.path().join("full");
        build::build(&Options { root: root.clone(), out: Some(full.clone()), ..Default::default() }).unwrap();
        for entry in walkdir::WalkDir::new(&full).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
            let rel = entry.path().strip_prefix(&full).unwrap();
            let live = std::fs::read(dir.path().join("out").join(rel)).unwrap();
            assert!(live == std::fs::read(entry.path()).unwrap(), "{} differs from a full build", rel.display());
        }
    }

    #[test]
    fn other_changes_do_not_go_ahead() {
        let (_dir, mut rebuilder) = watched();
        let root = absolute(rebuilder.root());
        std::fs::write(root.join("incidents/c.yaml"), INCIDENT).unwrap();
        assert_eq!(ahead(&rebuilder.rebuild_after(&[root.join("incidents/c.yaml")])), None, "a new file");
        let site = format!("{SITE}now: 2026-03-14T12:30:00+02:00\nlanguages: [en, fi]\n");
        std::fs::write(root.join("site.yaml"), site).unwrap();
        assert_eq!(ahead(&rebuilder.rebuild_after(&[root.join("site.yaml")])), None, "site.yaml");
        std::fs::write(root.join("incidents/a.yaml"), "title: [broken\n").unwrap();
        let broken = rebuilder.rebuild_after(&[root.join("incidents/a.yaml")]);
        assert!(matches!(broken, Outcome::Failed(_)), "an invalid edit fails as before");
        std::fs::write(root.join("incidents/a.yaml"), INCIDENT).unwrap();
        let fixed = rebuilder.rebuild_after(&[root.join("incidents/a.yaml")]);
        assert_eq!(ahead(&fixed), None, "after a failed build, the next one is whole");
    }

    #[test]
    fn only_site_files_are_relevant() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.yaml",
            "/site/incidents/x.yaml",
            "/site/incidents/2026/y.yml",
            "/site/incidents/2026",
            "/site/themes/default/templates/index.html",
        ] {
            assert!(is_relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/incidents/.x.yaml.swp",
            "/site/incidents/x.yaml~",
            "/site/incidents/4913.txt",
            "/site/README.md",
            "/elsewhere/site.yaml",
            "/site/.git/index",
        ] {
            assert!(!is_relevant(root, Path::new(no)), "{no}");
        }
    }
}
