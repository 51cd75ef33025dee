//! Keeping an output folder up to date while someone edits: the state of a
//! live preview, and the one rebuild that `watch` and `serve` both run.
//!
//! [`Live`] holds everything a rebuild may reuse: what the last load read
//! ([`load::Cache`]), what the last render made ([`RenderCache`]), what is on
//! disk ([`LiveOutput`]) and the last good model and views. A rebuild goes
//! through the same pipeline as `candor build` ([`build::prepare`], then
//! [`render()`], then the output), sparing what did not change. When a save
//! changes only incident files already in the site, those incidents' own pages
//! are written first, from the last good model with the files read again, so
//! the author sees the edit before the pages that list every incident are
//! rebuilt. A failed rebuild leaves the last good output in place.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::build::{self, BuildError, Options, Phases, Prepared};
use crate::load;
use crate::output::{LiveOutput, SyncReport};
use crate::render::{RenderCache, RenderError, Rendered, Request, render};

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
    /// The rebuild did not finish: the input has errors, or a write failed.
    Failed(Failure),
}

/// A rebuild that did not finish, and how much of it reached the disk anyway.
#[derive(Debug)]
pub struct Failure {
    /// Why it did not finish.
    pub error: BuildError,
    /// How many files of this rebuild were written before it stopped (the
    /// edited incident's own pages, or part of a sync that ran out of disk).
    pub written: usize,
}

impl Failure {
    /// The failure as plain text (every diagnostic, then the summary), for
    /// terminals and the browser overlay, saying truthfully what is served.
    pub fn text(&self) -> String {
        let mut text = match &self.error {
            BuildError::Input(diagnostics) => crate::report::plain(diagnostics),
            _ => String::new(),
        };
        let partial = match &self.error {
            BuildError::Output(crate::output::OutputError::Partial { written, .. }) => *written,
            _ => 0,
        };
        let summary = self.error.summary(Path::new("the last good output"));
        if self.written + partial == 0 {
            text.push_str(&summary.replace(" was left unchanged", " is still served"));
        } else {
            let written = self.written + partial;
            let head = summary.split("; ").next().unwrap_or(&summary);
            text.push_str(&format!(
                "{head}; {written} {} of this rebuild had already been written, so the output mixes the last good build with this one until a rebuild succeeds",
                build::plural(written, "file", "files")
            ));
        }
        text.push('\n');
        text
    }
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

/// A site kept built into a live output folder.
#[derive(Debug)]
pub struct Live {
    options: Options,
    output: LiveOutput,
    loaded: load::Cache,
    rendered: RenderCache,
    /// What the last good rebuild prepared, for writing edited pages ahead.
    last: Option<Prepared>,
    next_change: Option<Timestamp>,
}

impl Live {
    /// Prepares to keep `out` up to date with the site `options` describe.
    pub fn new(options: Options, out: &Path) -> Result<Live, BuildError> {
        let out = crate::output::check_target(&options.root, out).map_err(BuildError::Output)?;
        Ok(Live {
            options,
            output: LiveOutput::new(&out),
            loaded: load::Cache::default(),
            rendered: RenderCache::default(),
            last: None,
            next_change: None,
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

    /// Rebuilds after the files at `changed` (absolute paths) changed, or
    /// because the clock moved when `changed` is empty, and writes what changed.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Outcome {
        // A rebuild that fails in any way, even by a bug, must leave the preview
        // running and say so: the caches it may have left half-updated are dropped.
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.rebuild_inner(changed)));
        caught.unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            self.loaded = load::Cache::default();
            self.rendered = RenderCache::default();
            self.last = None;
            self.next_change = None;
            Outcome::Failed(Failure { error: BuildError::Internal(message), written: 0 })
        })
    }

    fn rebuild_inner(&mut self, changed: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let mut phases = Phases::start();
        let (ahead, ahead_written) = match self.write_ahead(changed) {
            Some(Ok(written)) => {
                phases.mark("edited pages");
                (Some(started.elapsed()), written)
            }
            Some(Err(crate::output::OutputError::Partial { written, .. })) => (None, written),
            _ => (None, 0),
        };
        match self.rebuild_all(&mut phases) {
            Ok((sync, notes, prepared)) => {
                self.next_change =
                    prepared.live_clock.then(|| crate::views::next_change(&prepared.model, &prepared.views));
                self.last = Some(prepared);
                Outcome::Built { sync, elapsed: started.elapsed(), notes, phases, ahead }
            }
            Err(error) => {
                // The same files would fail the same way: wait for an edit.
                self.next_change = None;
                self.last = None;
                Outcome::Failed(Failure { error, written: ahead_written })
            }
        }
    }

    /// The whole site, sparing what the caches show unchanged.
    fn rebuild_all(&mut self, phases: &mut Phases) -> Result<(SyncReport, Vec<String>, Prepared), BuildError> {
        let prepared = build::prepare(&self.options, Some(&mut self.loaded))?;
        phases.mark("read and derive");
        let request = Request::site().cached(&mut self.rendered);
        let rendered = render(&prepared.model, &prepared.views, &prepared.theme, request)
            .map_err(|e| BuildError::Input(RenderError::from(e).0))?;
        phases.mark("render");
        let Rendered { files, reused, mut notes } = rendered;
        notes.splice(0..0, prepared.notes.iter().map(crate::diagnostic::Diagnostic::note_line));
        let sync = self.output.sync(&files, &reused).map_err(BuildError::Output)?;
        phases.mark("write");
        Ok((sync, notes, prepared))
    }

    /// Writes the own files of the incidents edited at `changed`, when the
    /// last good model can take the edit (see [`Prepared::refresh`]), and
    /// says how many it wrote; otherwise does nothing and says so with `None`.
    fn write_ahead(&mut self, changed: &[PathBuf]) -> Option<Result<usize, crate::output::OutputError>> {
        let last = self.last.as_mut()?;
        let Some(edited) = last.refresh(&self.options, changed) else {
            // Not an edit the last model can take: it is rebuilt whole, and must not be reused.
            self.last = None;
            return None;
        };
        let rendered = render(&last.model, &last.views, &last.theme, Request::incidents(&edited)).ok()?;
        Some(self.output.write_ahead(&rendered.files))
    }

    /// How long to wait for file events before the clock alone calls for a rebuild:
    /// `None` (forever) when now is frozen or the last build failed.
    pub fn clock_wait(&self) -> Option<Duration> {
        let next = self.next_change?;
        let until = Timestamp::now().duration_until(next);
        let millis = until.as_millis().clamp(0, CLOCK_TICK.as_millis() as i128);
        Some(Duration::from_millis(u64::try_from(millis).unwrap_or(0)).max(Duration::from_millis(10)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::SITE;

    const INCIDENT: &str = "title: Slow checkout\nkind: outage\nimpact: minor\nstarted_at: 2026-03-14T10:00:00+02:00\ncomponents: [payments]\nupdates:\n  - { at: 2026-03-14T10:05:00+02:00, status: investigating, body: Looking. }\n";

    /// A site with two incidents, its live output after the first build, and its root.
    fn watched() -> (tempfile::TempDir, Live) {
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
        let mut live = Live::new(options, &dir.path().join("out")).unwrap();
        assert!(matches!(live.rebuild(&[]), Outcome::Built { ahead: None, .. }));
        (dir, live)
    }

    fn ahead(outcome: &Outcome) -> Option<Duration> {
        match outcome {
            Outcome::Built { ahead, .. } => *ahead,
            Outcome::Failed(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn an_edited_incident_is_written_first_and_the_result_matches_a_full_build() {
        let (dir, mut live) = watched();
        let root = crate::files::canonical(live.root());
        let edited = INCIDENT.replace("Slow checkout", "Checkout down").replace("minor", "major");
        std::fs::write(root.join("incidents/a.yaml"), edited).unwrap();
        // Vim checks that it may write to the folder with a file it deletes at once.
        let probe = root.join("incidents/4913");
        let outcome = live.rebuild(&[probe, root.join("incidents/a.yaml")]);
        assert!(ahead(&outcome).is_some(), "the edited page goes first");
        for page in ["out/incidents/a/index.html", "out/fi/incidents/a/index.html"] {
            let page = std::fs::read_to_string(dir.path().join(page)).unwrap();
            assert!(page.contains("Checkout down"), "{page}");
        }
        assert_matches_a_full_build(dir.path(), &root);
    }

    /// The live output under `dir/out` equals a build of `root` from scratch, file for file.
    fn assert_matches_a_full_build(dir: &Path, root: &Path) {
        let full = dir.join("full");
        let _ = std::fs::remove_dir_all(&full);
        build::build(&Options { root: root.to_path_buf(), out: Some(full.clone()), ..Default::default() }).unwrap();
        let files = |top: &Path| -> Vec<PathBuf> {
            let mut all: Vec<PathBuf> = walkdir::WalkDir::new(top)
                .into_iter()
                .map(Result::unwrap)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().strip_prefix(top).unwrap().to_path_buf())
                .collect();
            all.sort();
            all
        };
        assert_eq!(files(&dir.join("out")), files(&full), "the same files");
        for rel in files(&full) {
            let live = std::fs::read(dir.join("out").join(&rel)).unwrap();
            assert!(live == std::fs::read(full.join(&rel)).unwrap(), "{} differs from a full build", rel.display());
        }
    }

    #[test]
    fn moving_a_start_updates_every_file_that_shows_it() {
        let (dir, mut live) = watched();
        let root = crate::files::canonical(live.root());
        // b becomes the earliest incident: every incident's JSON dates its components from it.
        let moved = INCIDENT
            .replace("Slow checkout", "Other")
            .replace("started_at: 2026-03-14T10:00", "started_at: 2026-03-13T10:00");
        std::fs::write(root.join("incidents/b.yaml"), moved).unwrap();
        live.rebuild(&[root.join("incidents/b.yaml")]);
        assert_matches_a_full_build(dir.path(), &root);
        let json = std::fs::read_to_string(dir.path().join("out/incidents/a/incident.json")).unwrap();
        assert!(json.contains("\"created_at\":\"2026-03-13T10:00:00.000+02:00\""), "{json}");
    }

    #[test]
    fn other_changes_do_not_go_ahead() {
        let (_dir, mut live) = watched();
        let root = crate::files::canonical(live.root());
        std::fs::write(root.join("incidents/c.yaml"), INCIDENT).unwrap();
        assert_eq!(ahead(&live.rebuild(&[root.join("incidents/c.yaml")])), None, "a new file");
        let site = format!("{SITE}now: 2026-03-14T12:30:00+02:00\nlanguages: [en, fi]\n");
        std::fs::write(root.join("site.yaml"), site).unwrap();
        assert_eq!(ahead(&live.rebuild(&[root.join("site.yaml")])), None, "site.yaml");
        std::fs::write(root.join("incidents/a.yaml"), "title: [broken\n").unwrap();
        let broken = live.rebuild(&[root.join("incidents/a.yaml")]);
        assert!(matches!(broken, Outcome::Failed(_)), "an invalid edit fails as before");
        std::fs::write(root.join("incidents/a.yaml"), INCIDENT).unwrap();
        let fixed = live.rebuild(&[root.join("incidents/a.yaml")]);
        assert_eq!(ahead(&fixed), None, "after a failed build, the next one is whole");
    }
}
