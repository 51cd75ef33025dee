//! One build, from the files on disk to a published output folder.
//!
//! Data flows one way: load and validate the model, derive the views at now,
//! render every file into a staging folder beside the output (each incident's
//! files as soon as they are made), then swap the new site in. Any failure
//! before the swap leaves the previous output exactly as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::diagnostic::Diagnostic;
use crate::files::OutFile;
use crate::model::{Model, Site};
use crate::output::{self, OutputError};
use crate::render::{self, RenderError, Rendered, Request, Stopped};
use crate::theme::Theme;
use crate::views::{self, Views};
use crate::{history, load, time};

/// What a build needs to know beyond the site's files.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// The output folder; `ROOT/public` when `None`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// `--now`, as written.
    pub now: Option<String>,
}

impl Options {
    /// The output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the input or the theme: nothing was written.
    Input(Vec<Diagnostic>),
    /// The output could not be put in place; the previous output is intact.
    Output(OutputError),
    /// A command-line value is wrong.
    Usage(String),
    /// candor itself failed (a bug); nothing was written.
    Internal(String),
}

impl BuildError {
    /// The one-line summary of the failure, saying that `out` was left unchanged.
    pub fn summary(&self, out: &Path) -> String {
        match self {
            BuildError::Input(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.level == crate::diagnostic::Level::Error).count();
                let files: std::collections::BTreeSet<_> = diagnostics.iter().map(|d| &d.file).collect();
                format!(
                    "error: the site was not built: {errors} {} in {} {}; {} was left unchanged",
                    plural(errors, "error", "errors"),
                    files.len(),
                    plural(files.len(), "file", "files"),
                    out.display()
                )
            }
            BuildError::Output(crate::output::OutputError::Partial { written, cause }) => format!(
                "error: {cause}; {written} {} in {} had already been replaced, so it mixes the last good build with this one until a rebuild succeeds",
                plural(*written, "file", "files"),
                out.display()
            ),
            BuildError::Output(e) => format!("error: {e}; {} was left unchanged", out.display()),
            BuildError::Usage(message) => format!("error: {message}"),
            BuildError::Internal(message) => format!(
                "error: candor failed unexpectedly ({message}); {} was left unchanged. Please report this with the file you last changed",
                out.display()
            ),
        }
    }
}

/// `one` or `many`, as `n` asks.
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// How long each phase of a build took, in order: what `--verbose` prints.
#[derive(Debug, Default)]
pub struct Phases {
    /// Each phase's name and duration.
    pub laps: Vec<(&'static str, Duration)>,
    lap: Option<Instant>,
}

impl Phases {
    /// Starts timing the first phase.
    pub fn start() -> Phases {
        Phases { laps: Vec::new(), lap: Some(Instant::now()) }
    }

    /// Ends the phase in progress, naming it, and starts the next.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.lap.unwrap_or(now)));
        self.lap = Some(now);
    }

    /// "read and derive 12.0 ms, render 30.1 ms, …".
    pub fn summary(&self) -> String {
        let parts: Vec<String> =
            self.laps.iter().map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0)).collect();
        parts.join(", ")
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    /// Incidents in the site.
    pub incidents: usize,
    /// HTML pages written.
    pub pages: usize,
    /// All files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time per phase.
    pub phases: Phases,
    /// Things the author should know that are not errors.
    pub notes: Vec<String>,
    /// Communication warnings from the lints (the site was built all the same).
    pub warnings: Vec<Diagnostic>,
}

/// The model, its views and the theme: everything rendering needs.
#[derive(Debug)]
pub struct Prepared {
    /// The validated input.
    pub model: Model,
    /// The views at now.
    pub views: Views,
    /// The theme.
    pub theme: Theme,
    /// Whether now is the running clock (not `--now`, `SOURCE_DATE_EPOCH` or `now:`).
    pub live_clock: bool,
    /// What the author should know that is neither an error nor a lint: that the
    /// history of the incident files cannot be read, or part of it is left out.
    pub notes: Vec<Diagnostic>,
}

/// Loads, validates and derives, without rendering; with a `cache`, only the
/// incident files that changed since the cache's last load are read again, and
/// only the commits made since its last look at the history.
pub fn prepare(options: &Options, cache: Option<&mut load::Cache>) -> Result<Prepared, BuildError> {
    prepare_with(options, cache, history::Persist::Write)
}

fn prepare_with(
    options: &Options,
    cache: Option<&mut load::Cache>,
    persist: history::Persist,
) -> Result<Prepared, BuildError> {
    let (model, notes) = match cache {
        Some(cache) => {
            let mut model = load::model(&options.root, Some(&mut *cache)).map_err(BuildError::Input)?;
            let notes = load::revisions(&options.root, &mut model, &mut cache.history, persist);
            (model, notes)
        }
        None => {
            let mut model = load::model(&options.root, None).map_err(BuildError::Input)?;
            let notes = load::revisions(&options.root, &mut model, &mut history::Cache::default(), persist);
            (model, notes)
        }
    };
    let mut prepared = prepare_model(options, model)?;
    prepared.notes = notes;
    Ok(prepared)
}

impl Prepared {
    /// Reads again the incident files at `changed` (absolute paths) into this
    /// model and derives the views again, when every changed path is an
    /// incident file the model was read from (or is gone: an editor's
    /// short-lived probe file) and each still validates. Returns the indexes
    /// of the edited incidents, or `None` when the change needs a whole
    /// rebuild, leaving `self` as good as it was only in that it must not be
    /// used again.
    pub fn refresh(&mut self, options: &Options, changed: &[PathBuf]) -> Option<Vec<usize>> {
        let root = crate::files::canonical(&options.root);
        let (mut edited, mut moved) = (Vec::with_capacity(changed.len()), false);
        for path in changed {
            let rel = path.strip_prefix(&root).ok()?;
            let Some(at) = self.model.incidents.iter().position(|inc| inc.file == rel) else {
                if path.exists() {
                    return None;
                }
                continue;
            };
            let file = load::IncidentFile {
                id: self.model.incidents[at].id.to_string(),
                display: rel.to_path_buf(),
                path: path.clone(),
            };
            let mut incident = load::incident(&file, Some(&self.model.site)).ok()??;
            // The history is read again by the whole rebuild that follows; until then the
            // edited incident keeps the earlier versions it had.
            incident.revisions = std::mem::take(&mut self.model.incidents[at].revisions);
            moved |= incident.started_at != self.model.incidents[at].started_at;
            edited.push(at);
            self.model.incidents[at] = incident;
        }
        if edited.is_empty() || !alias_collisions(&self.model, &self.theme).is_empty() {
            return None;
        }
        let (now, _) = resolve_now(options.now.as_deref(), &self.model.site).ok()?;
        if moved || now != self.views.now {
            let ids: Vec<_> = edited.iter().map(|at| self.model.incidents[*at].id.clone()).collect();
            load::sort_incidents(&mut self.model.incidents);
            self.views = views::derive(&self.model, now);
            edited = ids.iter().filter_map(|id| self.model.incidents.iter().position(|inc| &inc.id == id)).collect();
        } else {
            views::rederive(&self.model, &mut self.views, &edited);
        }
        Some(edited)
    }
}

fn prepare_model(options: &Options, mut model: Model) -> Result<Prepared, BuildError> {
    if let Some(url) = &options.base_url {
        model.site.base_url = Some(normalise_base_url(url)?);
    }
    let (now, live_clock) = resolve_now(options.now.as_deref(), &model.site)?;
    let views = views::derive(&model, now);
    let theme = Theme::load(&options.root, &model.site).map_err(BuildError::Input)?;
    let clashes = alias_collisions(&model, &theme);
    if !clashes.is_empty() {
        let mut quoted: Vec<Diagnostic> = clashes.into_iter().map(|d| crate::report::quote(d, &options.root)).collect();
        crate::diagnostic::sort(&mut quoted);
        return Err(BuildError::Input(quoted));
    }
    Ok(Prepared { model, views, theme, live_clock, notes: Vec::new() })
}

/// Aliases that clash with each other, with incidents' pages or with the theme's static files.
fn alias_collisions(model: &Model, theme: &Theme) -> Vec<Diagnostic> {
    let statics: Vec<&str> = theme.statics.keys().map(String::as_str).collect();
    crate::validate::alias_collisions(&model.incidents, &statics)
}

/// Renders every output file in memory.
pub fn render(prepared: &Prepared) -> Result<Rendered, BuildError> {
    render::render(&prepared.model, &prepared.views, &prepared.theme, Request::site())
        .map_err(|e| BuildError::Input(RenderError::from(e).0))
}

/// Every communication lint at the prepared now.
pub fn lint(prepared: &Prepared) -> Vec<Diagnostic> {
    crate::lint::run(&prepared.model, &prepared.views, &prepared.theme.locale)
}

/// Validates everything `build` validates without writing anything: the
/// whole site is rendered and thrown away, so a template that fails only on
/// some page fails here too.
pub fn check(options: &Options) -> Result<Prepared, BuildError> {
    let prepared = prepare_with(options, None, history::Persist::ReadOnly)?;
    let discard = |_: &[OutFile]| Ok::<(), std::convert::Infallible>(());
    render::render(&prepared.model, &prepared.views, &prepared.theme, Request::site().streaming(&discard))
        .map_err(|e| BuildError::Input(RenderError::from(e).0))?;
    Ok(prepared)
}

/// Builds the site and publishes it.
pub fn build(options: &Options) -> Result<Report, BuildError> {
    let started = Instant::now();
    let out = options.out_dir();
    let out = output::check_target(&options.root, &out).map_err(BuildError::Output)?;
    let mut phases = Phases::start();
    let prepared = prepare(options, None)?;
    phases.mark("read and derive");
    let staging = output::Staging::new(&out).map_err(BuildError::Output)?;
    let (model, views, theme) = (&prepared.model, &prepared.views, &prepared.theme);
    let sink = |files: &[OutFile]| staging.write(files);
    let Rendered { files, mut notes, .. } = render::render(model, views, theme, Request::site().streaming(&sink))
        .map_err(|e| match e {
            Stopped::Render(e) => BuildError::Input(e.0),
            Stopped::Sink(e) => BuildError::Output(e),
        })?;
    phases.mark("render");
    notes.splice(0..0, prepared.notes.iter().map(crate::diagnostic::Diagnostic::note_line));
    staging.write(&files).map_err(BuildError::Output)?;
    let written = staging.finish().map_err(BuildError::Output)?;
    phases.mark("write");
    let mut warnings = lint(&prepared);
    warnings.retain(|d| d.level == crate::diagnostic::Level::Warning);
    phases.mark("lint");
    Ok(Report {
        notes,
        warnings,
        incidents: prepared.model.incidents.len(),
        pages: written.pages,
        files: written.files,
        elapsed: started.elapsed(),
        phases,
    })
}

/// "now": `--now`, else `SOURCE_DATE_EPOCH`, else `now:` in `site.yaml`, else the
/// clock; with whether it is the running clock.
pub fn resolve_now(flag: Option<&str>, site: &Site) -> Result<(Timestamp, bool), BuildError> {
    if let Some(text) = flag {
        let (what, hint) = match time::parse_timestamp(text, &site.timezone) {
            Ok(ts) => return Ok((ts, false)),
            Err(e) => e.message(text),
        };
        return Err(BuildError::Usage(format!("--now: {what}; {hint}")));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            BuildError::Usage(format!("SOURCE_DATE_EPOCH is `{epoch}`; expected whole seconds since 1970"))
        })?;
        let ts = Timestamp::from_second(seconds).ok().and_then(|ts| time::in_range(ts).ok()).ok_or_else(|| {
            BuildError::Usage(format!(
                "SOURCE_DATE_EPOCH is `{epoch}`, outside the years {} to {}",
                time::FIRST_YEAR,
                time::LAST_YEAR
            ))
        })?;
        return Ok((ts, false));
    }
    if let Some(frozen) = site.now {
        return Ok((frozen, false));
    }
    Ok((Timestamp::now().round(jiff::Unit::Second).unwrap_or_else(|_| Timestamp::now()), true))
}

fn normalise_base_url(url: &str) -> Result<String, BuildError> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) || url.chars().any(char::is_whitespace) {
        return Err(BuildError::Usage(format!("--base-url `{url}` is not an http:// or https:// URL")));
    }
    Ok(if url.ends_with('/') { url.to_owned() } else { format!("{url}/") })
}
