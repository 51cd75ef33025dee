//! The command line: parsing arguments and printing results and diagnostics.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::build::{self, BuildError, plural};
use crate::diagnostic::{Diagnostic, Level};
use crate::live::{Live, Outcome, Trigger};
use crate::report::{self, Format, say, tell};

/// candor turns incident files into a transparent status site.
#[derive(Debug, Parser)]
#[command(name = "candor", version = crate::release::VERSION_LINE, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Preview the site on this machine, rebuilding and reloading on every save.
    Serve(ServeArgs),
    /// Rebuild the output folder on every save, without a server.
    Watch(WatchArgs),
    /// Check the site and lint its communication (promises, silence, post-mortems), writing nothing.
    Check(CheckArgs),
    /// Create a new incident file with a first update.
    New(NewArgs),
    /// Add an update to an incident, keeping the file's comments and formatting.
    Update(UpdateArgs),
    /// Create a new site: site.yaml, an example incident, .gitignore and a CI workflow.
    Init(InitArgs),
    /// Print when the site next changes by the clock alone, for scheduling rebuilds.
    NextChange(NextChangeArgs),
    /// Send what is new since the last delivery to every channel under `notify:` (after publishing).
    Notify(NotifyArgs),
    /// Print the JSON Schema of incident files or of site.yaml, for editors.
    Schema(SchemaArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    Man(ManArgs),
    /// Bring a history from Atlassian Statuspage or cState into a site, keeping old links working.
    #[command(subcommand)]
    Import(ImportFrom),
}

/// Where `candor import` reads from.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// From Atlassian Statuspage: the page's address, a folder of its API's JSON files, or the manage API.
    #[command(long_about = STATUSPAGE_HELP)]
    Statuspage(StatuspageArgs),
    /// From a cState site: config.yml and content/issues/*.md.
    #[command(long_about = CSTATE_HELP)]
    Cstate(CstateArgs),
}

const STATUSPAGE_HELP: &str =
    "From Atlassian Statuspage. SRC is the page's address (https://status.example.com: its public \
API v2, which lists the latest 50 incidents), a folder of summary.json, components.json, incidents.json and \
scheduled-maintenances.json saved from it (or of the manage API's page.json, components.json, \
component-groups.json and incidents.json), or the manage API v1 (https://api.statuspage.io/v1/pages/PAGE_ID), \
which holds the whole history. The manage API's key is read from the environment variable STATUSPAGE_API_KEY; \
it is sent only to that address and never printed.

Into --root: a folder without site.yaml becomes a new site; an existing site gains only the components it \
lacks. Incidents are written under incidents/YEAR/, never over an existing file, and importing again writes \
nothing new for what came across before. Each incident keeps its old address (incidents/ID) as an alias, \
and the build writes a redirect there. A report lists what came across and what could not exactly.";

const CSTATE_HELP: &str = "From a cState site (a Hugo site with the cState theme): the systems and categories of \
config.yml, and every issue in content/issues/ with its updates ({{< track >}} shortcodes), post-mortem and \
old address (issues/SLUG/). Into --root as for `candor import statuspage`.";

/// Options of `candor import statuspage`.
#[derive(Debug, clap::Args)]
pub struct StatuspageArgs {
    #[command(flatten)]
    site: RootArg,
    /// The page's address, a folder of its JSON files, or https://api.statuspage.io/v1/pages/PAGE_ID
    /// (key in STATUSPAGE_API_KEY).
    pub src: String,
    #[command(flatten)]
    pub how: ImportOptions,
}

/// Options of `candor import cstate`.
#[derive(Debug, clap::Args)]
pub struct CstateArgs {
    #[command(flatten)]
    site: RootArg,
    /// The cState site's folder (holding config.yml and content/issues/).
    pub dir: PathBuf,
    #[command(flatten)]
    pub how: ImportOptions,
}

/// What both importers take.
#[derive(Debug, clap::Args)]
pub struct ImportOptions {
    /// Recognise promises in the text ("next update in 30 minutes") and set `next_update_by`,
    /// each marked with a comment quoting the sentence.
    #[arg(long)]
    pub infer_promises: bool,
}

/// The site folder, which every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct RootArg {
    /// The site folder, holding site.yaml and incidents/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Options of `candor build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    site: RootArg,
    /// The output folder [default: ROOT/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The URL the site is published at (overrides base_url in site.yaml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// The moment to build for (RFC 3339, or "YYYY-MM-DD HH:MM" in the site's zone)
    /// [default: SOURCE_DATE_EPOCH, else `now` in site.yaml, else the clock].
    #[arg(long)]
    pub now: Option<String>,
    /// Print how long each phase of the build took.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Options of `candor serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    site: RootArg,
    /// The address to listen on; keep it on loopback unless you mean to share drafts.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Build into this folder instead of a temporary one.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print every rebuild's timing.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Options of `candor watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    site: RootArg,
    /// The output folder [default: ROOT/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print every rebuild's timing.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Options of `candor next-change`.
#[derive(Debug, clap::Args)]
pub struct NextChangeArgs {
    #[command(flatten)]
    site: RootArg,
    /// The moment to look ahead from [default: as for build].
    #[arg(long)]
    pub now: Option<String>,
}

/// Options of `candor notify`.
#[derive(Debug, clap::Args)]
pub struct NotifyArgs {
    #[command(flatten)]
    site: RootArg,
    /// The moment to deliver at [default: as for build].
    #[arg(long)]
    pub now: Option<String>,
    /// Print every message that would be sent, per channel, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also remind the team's channels (`remind: true`) of promises due soon or overdue, and of silence.
    #[arg(long)]
    pub remind: bool,
    /// Deliver to this channel only.
    #[arg(long)]
    pub channel: Option<String>,
}

/// Options of `candor check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: RootArg,
    /// The moment to check at [default: as for build].
    #[arg(long)]
    pub now: Option<String>,
    /// How to print findings.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Options of `candor new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(flatten)]
    site: RootArg,
    /// The title readers see.
    pub title: String,
    /// What the first public update says, in Markdown; `-` reads it from
    /// standard input [default: opens $EDITOR on a terminal, else writes a
    /// placeholder that check and build refuse until it is replaced].
    pub text: Option<String>,
    /// outage, degraded, data_breach, security, maintenance or notice.
    #[arg(long, default_value = "outage")]
    pub kind: String,
    /// none, minor, major or critical [default: by kind].
    #[arg(long)]
    pub impact: Option<String>,
    /// Affected component ids, separated by commas.
    #[arg(long, value_delimiter = ',')]
    pub components: Vec<String>,
    /// When it started, if before now (also when it was detected, unless --detected-at says otherwise).
    #[arg(long)]
    pub at: Option<String>,
    /// When it was detected, if not when it started.
    #[arg(long)]
    pub detected_at: Option<String>,
    /// When the next update will come: 30m, +1h, 13:00 (today, or tomorrow if past) or a time [default: 30m].
    #[arg(long)]
    pub next_update: Option<String>,
    /// Maintenance: when the work starts.
    #[arg(long)]
    pub start: Option<String>,
    /// Maintenance: when the work ends.
    #[arg(long)]
    pub end: Option<String>,
    /// The moment to write for [default: as for build].
    #[arg(long)]
    pub now: Option<String>,
}

/// Options of `candor update`.
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    site: RootArg,
    /// The incident's id (its file name without .yaml).
    pub id: String,
    /// What the update says, in Markdown; `-` reads it from standard input.
    pub text: String,
    /// The new status [default: the incident's current one].
    #[arg(long)]
    pub status: Option<String>,
    /// When the next update will come: 30m, +1h, 13:00 (today, or tomorrow if past) or a time.
    #[arg(long)]
    pub next_update: Option<String>,
    /// When the update is published [default: now].
    #[arg(long)]
    pub at: Option<String>,
}

/// Options of `candor init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create the site in.
    pub dir: PathBuf,
}

/// Options of `candor schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which schema: incident or site.
    #[arg(default_value = "incident")]
    pub which: String,
    /// Write both schemas into ROOT/schemas/ instead of printing one.
    #[arg(long)]
    pub write: bool,
    #[command(flatten)]
    site: RootArg,
}

/// Options of `candor completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    pub shell: clap_complete::Shell,
}

/// Options of `candor man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write candor.1 and a page per command (candor-build.1, ...) into this folder instead of printing candor.1.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Watch(args) => run_watch(args),
        Command::Check(args) => run_check(args),
        Command::New(args) => run_new(args),
        Command::Update(args) => run_update(args),
        Command::Init(args) => run_init(&args),
        Command::NextChange(args) => run_next_change(args),
        Command::Notify(args) => run_notify(args),
        Command::Schema(args) => run_schema(&args),
        Command::Completions(args) => run_completions(&args),
        Command::Man(args) => run_man(&args),
        Command::Import(from) => run_import(from),
    };
    if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// How many lint warnings `build` prints before it summarises the rest.
const BUILD_WARNINGS: usize = 20;

fn run_build(args: BuildArgs) -> Result<(), ()> {
    no_site_here(&args.site.root).map_err(|e| tell!("error: {e}"))?;
    let options = build::Options { root: args.site.root, out: args.out, base_url: args.base_url, now: args.now };
    let out = options.out_dir();
    match build::build(&options) {
        Ok(report) => {
            print_notes(&report.notes);
            let shown: Vec<Diagnostic> =
                report.warnings.iter().take(BUILD_WARNINGS).cloned().map(|d| report::quote(d, &options.root)).collect();
            report::print_human(&shown);
            if let Some(more) = report.warnings.len().checked_sub(BUILD_WARNINGS).filter(|n| *n > 0) {
                tell!("warning: {more} more {}; `candor check` lists them all", plural(more, "warning", "warnings"));
            }
            say!(
                "Built {} {} into {} pages ({} files) in {} ms: {}",
                report.incidents,
                plural(report.incidents, "incident", "incidents"),
                report.pages,
                report.files,
                report.elapsed.as_millis(),
                out.display()
            );
            if args.verbose {
                say!("{}", report.phases.summary());
            }
            Ok(())
        }
        Err(error) => {
            report_failure(&error, &out);
            Err(())
        }
    }
}

fn run_check(args: CheckArgs) -> Result<(), ()> {
    no_site_here(&args.site.root).map_err(|e| tell!("error: {e}"))?;
    let options = build::Options { root: args.site.root, now: args.now, ..Default::default() };
    let findings = match build::check(&options) {
        Ok(prepared) => {
            let mut findings = build::lint(&prepared);
            findings.extend(prepared.notes.iter().cloned());
            crate::diagnostic::sort(&mut findings);
            findings
        }
        Err(BuildError::Input(diagnostics)) => diagnostics,
        Err(other) => {
            tell!("{}", other.summary(&options.out_dir()));
            return Err(());
        }
    };
    let findings: Vec<Diagnostic> = findings.into_iter().map(|d| report::quote(d, &options.root)).collect();
    match args.format {
        Format::Human => report::print_human(&findings),
        other => report::emit(false, &report::format(&findings, other)),
    }
    let count = |level: Level| report::count(&findings, level);
    let (errors, warnings, notes) = (count(Level::Error), count(Level::Warning), count(Level::Note));
    if args.format == Format::Human {
        tell!(
            "check: {errors} {}, {warnings} {}, {notes} {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(notes, "note", "notes")
        );
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) { Err(()) } else { Ok(()) }
}

fn run_serve(args: ServeArgs) -> Result<(), ()> {
    no_site_here(&args.site.root).map_err(|e| tell!("error: {e}"))?;
    let temp = match &args.out {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("candor-serve-")
                .tempdir()
                .map_err(|e| tell!("error: cannot create a temporary folder: {e}"))?,
        ),
    };
    let out = args.out.clone().unwrap_or_else(|| temp.as_ref().map(|t| t.path().join("site")).unwrap_or_default());
    if !args.bind.is_loopback() {
        tell!("warning: serving on {}, which other machines can reach; drafts will be visible to them", args.bind);
    }
    let options = build::Options { root: args.site.root, ..Default::default() };
    let live = Live::new(options, &out).map_err(|e| report_failure(&e, &out))?;
    let listen = crate::serve::Listen { addr: SocketAddr::new(args.bind, args.port), open: args.open };
    let verbose = args.verbose;
    let result = crate::serve::run(live, listen, move |trigger, outcome| print_rebuild(trigger, outcome, verbose));
    drop(temp);
    result.map_err(|m| tell!("error: {m}"))
}

fn run_watch(args: WatchArgs) -> Result<(), ()> {
    no_site_here(&args.site.root).map_err(|e| tell!("error: {e}"))?;
    let options = build::Options { root: args.site.root, out: args.out, ..Default::default() };
    let out = options.out_dir();
    let live = Live::new(options, &out).map_err(|e| report_failure(&e, &out))?;
    say!("Watching for changes; writing to {} (Ctrl-C to stop)", out.display());
    let verbose = args.verbose;
    crate::watch::run(live, move |trigger, outcome| print_rebuild(trigger, outcome, verbose), || true)
        .map_err(|m| tell!("error: {m}"))
}

fn run_next_change(args: NextChangeArgs) -> Result<(), ()> {
    no_site_here(&args.site.root).map_err(|e| tell!("error: {e}"))?;
    let options = build::Options { root: args.site.root.clone(), now: args.now, ..Default::default() };
    let prepared = build::prepare(&options, None).map_err(|e| report_failure(&e, &options.out_dir()))?;
    let next = crate::views::next_change(&prepared.model, &prepared.views);
    let zoned = next.to_zoned_datetime(prepared.model.site.timezone.clone());
    say!("{}", zoned.strftime("%Y-%m-%dT%H:%M:%S%:z"));
    Ok(())
}

fn run_notify(args: NotifyArgs) -> Result<(), ()> {
    use crate::notify::{NotifyError, Options};
    let options = Options {
        root: args.site.root,
        now: args.now,
        dry_run: args.dry_run,
        remind: args.remind,
        channel: args.channel,
    };
    let report = crate::notify::run(&options, &mut |line| println!("{line}")).map_err(|e| {
        if let NotifyError::Build(BuildError::Input(diagnostics)) = &e {
            report::print_human(diagnostics);
        }
        eprintln!("error: {e}");
    })?;
    let failed = report.failed.len();
    if options.dry_run {
        println!(
            "notify (dry run): {} {} would be sent; nothing was sent or recorded",
            report.would_send,
            plural(report.would_send, "message", "messages")
        );
    } else {
        println!("notify: {} sent, {failed} failed", report.sent);
    }
    if failed > 0 {
        eprintln!(
            "error: {failed} {} failed; what failed was not recorded and is sent on the next run",
            plural(failed, "delivery", "deliveries")
        );
        return Err(());
    }
    Ok(())
}

/// The site and "now" for commands that write incident files.
fn site_and_now(root: &Path, at: Option<&str>) -> Result<(crate::model::Site, jiff::Timestamp), ()> {
    let site = site_of(root)?;
    let (now, _) = build::resolve_now(at, &site).map_err(|e| tell!("{}", e.summary(root)))?;
    Ok((site, now))
}

/// The site's settings, or an error that says which folder was searched and what to do.
fn site_of(root: &Path) -> Result<crate::model::Site, ()> {
    if let Err(e) = no_site_here(root) {
        tell!("error: {e}");
        return Err(());
    }
    crate::load::site(root).map_err(|d| {
        report::print_human(&d);
        tell!("error: fix site.yaml first");
    })
}

/// Says what to do when `root` holds no `site.yaml`.
pub fn no_site_here(root: &Path) -> Result<(), String> {
    if std::fs::symlink_metadata(root.join(crate::load::SITE_FILE)).is_ok() {
        return Ok(());
    }
    let shown = crate::files::canonical(root);
    Err(format!(
        "there is no site here: {} has no site.yaml; run candor in your site's folder, pass --root DIR, or create a site with `candor init DIR`",
        shown.display()
    ))
}

fn author_failure(error: crate::author::AuthorError) {
    match error {
        crate::author::AuthorError::Invalid(diagnostics) => {
            report::print_human(&diagnostics);
            tell!("error: nothing was written: the result would not be valid");
        }
        crate::author::AuthorError::Usage(message) => tell!("error: {message}"),
    }
}

/// One of a fixed set of words, with a suggestion when misspelt.
fn parse_word<T: Copy>(text: &str, what: &str, all: &[T], word: fn(T) -> &'static str) -> Result<T, ()> {
    all.iter().copied().find(|v| word(*v) == text).ok_or_else(|| {
        let words: Vec<&str> = all.iter().map(|v| word(*v)).collect();
        let close = crate::diagnostic::did_you_mean(text, words.iter().copied())
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        tell!("error: `{text}` is not a valid {what}; {close}expected one of: {}", words.join(", "));
    })
}

/// A time given on the command line, in the site's zone when it has no offset.
fn parse_time(text: &str, flag: &str, site: &crate::model::Site) -> Result<jiff::Timestamp, ()> {
    crate::time::parse_timestamp(text, &site.timezone).map_err(|e| {
        let (what, hint) = e.message(text);
        tell!("error: {flag}: {what}; {hint}");
    })
}

/// The first update's text: the argument, standard input (`-`), the author's
/// editor on a terminal, or else a placeholder the build refuses.
fn first_text(text: Option<String>, kind: crate::model::Kind) -> Result<String, ()> {
    use std::io::IsTerminal;
    let placeholder = crate::author::placeholder(kind);
    let text = match text.as_deref() {
        Some("-") => {
            std::io::read_to_string(std::io::stdin()).map_err(|e| tell!("error: cannot read standard input: {e}"))?
        }
        Some(text) => text.to_owned(),
        None => match std::env::var("EDITOR").ok().filter(|e| !e.trim().is_empty()) {
            Some(editor) if std::io::stdin().is_terminal() => edit(&editor, placeholder)?,
            _ => placeholder.to_owned(),
        },
    };
    if text.trim().is_empty() {
        tell!("error: the first update has no text; say what you know, even if it is little");
        return Err(());
    }
    if text.contains(placeholder) {
        tell!(
            "note: the first update is a placeholder; edit it in the file before you publish: check and build refuse it until then"
        );
    }
    Ok(text)
}

/// Opens `editor` on a file holding `start`, and returns what the author saved.
fn edit(editor: &str, start: &str) -> Result<String, ()> {
    let file = tempfile::Builder::new()
        .suffix(".md")
        .tempfile()
        .map_err(|e| tell!("error: cannot create a file to edit: {e}"))?;
    std::fs::write(file.path(), start).map_err(|e| tell!("error: cannot write {}: {e}", file.path().display()))?;
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or(editor);
    let status = std::process::Command::new(program)
        .args(words)
        .arg(file.path())
        .status()
        .map_err(|e| tell!("error: cannot start $EDITOR (`{editor}`): {e}"))?;
    if !status.success() {
        tell!("error: $EDITOR (`{editor}`) exited with {status}; nothing was written");
        return Err(());
    }
    std::fs::read_to_string(file.path()).map_err(|e| tell!("error: cannot read {}: {e}", file.path().display()))
}

fn run_new(args: NewArgs) -> Result<(), ()> {
    use crate::model::{Impact, Kind};
    let (site, now) = site_and_now(&args.site.root, args.now.as_deref())?;
    let kind = parse_word(&args.kind, "kind", &Kind::ALL, Kind::as_str)?;
    let impact = args.impact.as_deref().map(|i| parse_word(i, "impact", &Impact::ALL, Impact::as_str)).transpose()?;
    let past = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| {
                crate::author::past_time(v, now, &site).map_err(|e| {
                    let (what, hint) = e.message(v);
                    tell!("error: {flag}: {what}; {hint} (or a time of day such as 09:12)");
                })
            })
            .transpose()
    };
    let time = |flag: &str, value: &Option<String>| value.as_deref().map(|v| parse_time(v, flag, &site)).transpose();
    let started_at = past("--at", &args.at)?.unwrap_or(now);
    let detected_at = past("--detected-at", &args.detected_at)?.or_else(|| (started_at != now).then_some(started_at));
    let window = match (time("--start", &args.start)?, time("--end", &args.end)?) {
        (Some(start), Some(end)) => Some((start, end)),
        (None, None) => None,
        _ => {
            tell!("error: give both --start and --end: the window people plan around");
            return Err(());
        }
    };
    let promise = args.next_update.as_deref().unwrap_or("30m");
    let next_update_by = crate::author::next_update(promise, now, &site).map_err(|m| tell!("error: {m}"))?;
    let body = first_text(args.text, kind)?;
    let new = crate::author::NewIncident {
        title: args.title,
        kind,
        impact,
        components: args.components,
        started_at: if kind.is_incident() { started_at } else { now },
        detected_at: detected_at.filter(|_| kind.is_incident()),
        first_update_at: now,
        body,
        next_update_by: Some(next_update_by),
        window,
    };
    let path = crate::author::create(&args.site.root, &site, &new).map_err(author_failure)?;
    say!("{}", path.display());
    Ok(())
}

fn run_update(args: UpdateArgs) -> Result<(), ()> {
    use crate::model::UpdateStatus;
    let (site, now) = site_and_now(&args.site.root, args.at.as_deref())?;
    let all: Vec<UpdateStatus> = UpdateStatus::INCIDENT.into_iter().chain(UpdateStatus::MAINTENANCE).collect();
    let status = args.status.as_deref().map(|s| parse_word(s, "status", &all, UpdateStatus::as_str)).transpose()?;
    let next_update_by = args
        .next_update
        .as_deref()
        .map(|n| crate::author::next_update(n, now, &site))
        .transpose()
        .map_err(|m| tell!("error: {m}"))?;
    let body = if args.text == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| tell!("error: cannot read standard input: {e}"))?
    } else {
        args.text
    };
    if body.trim().is_empty() {
        tell!("error: the update has no text; say what you know, even if it is little");
        return Err(());
    }
    let update = crate::author::NewUpdate { status, at: now, next_update_by, body };
    let path = crate::author::append(&args.site.root, &site, &args.id, &update).map_err(author_failure)?;
    say!("{}", path.display());
    Ok(())
}

fn run_init(args: &InitArgs) -> Result<(), ()> {
    let made = crate::init::run(&args.dir, jiff::Timestamp::now()).map_err(|m| tell!("error: {m}"))?;
    for path in made {
        say!("{}", args.dir.join(path).display());
    }
    say!("Next: edit site.yaml, then run `candor serve --root {}`", args.dir.display());
    Ok(())
}

fn run_schema(args: &SchemaArgs) -> Result<(), ()> {
    if args.write {
        let dir = args.site.root.join(crate::schema::DIR);
        for (file, text) in [
            (crate::schema::INCIDENT_FILE, crate::schema::incident()),
            (crate::schema::SITE_FILE, crate::schema::site()),
        ] {
            crate::files::write_atomically(&dir.join(file), text.as_bytes()).map_err(|e| tell!("error: {e}"))?;
            say!("{}", dir.join(file).display());
        }
        return Ok(());
    }
    match args.which.as_str() {
        "incident" => report::emit(false, &crate::schema::incident()),
        "site" => report::emit(false, &crate::schema::site()),
        other => {
            tell!("error: `{other}` is not a schema; expected `incident` or `site`");
            return Err(());
        }
    }
    Ok(())
}

fn run_completions(args: &CompletionsArgs) -> Result<(), ()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "candor", &mut script);
    report::emit(false, &String::from_utf8_lossy(&script));
    Ok(())
}

fn run_man(args: &ManArgs) -> Result<(), ()> {
    let command = Cli::command();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| tell!("error: cannot create {}: {e}", dir.display()))?;
        clap_mangen::generate_to(command, dir).map_err(|e| tell!("error: cannot write into {}: {e}", dir.display()))?;
        say!("Wrote the manual pages into {}; read them with `man -l {}/candor.1`", dir.display(), dir.display());
        return Ok(());
    }
    // As `generate_to` does for the folder, so both pages are the same.
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page).map_err(|e| tell!("error: cannot render the manual page: {e}"))?;
    report::emit(false, &String::from_utf8_lossy(&page));
    Ok(())
}

fn run_import(from: ImportFrom) -> Result<(), ()> {
    use crate::import::{ImportError, cstate, statuspage, writer};
    let (root, how, source) = match from {
        ImportFrom::Statuspage(args) => (args.site.root, args.how, statuspage::read(&args.src)),
        ImportFrom::Cstate(args) => (args.site.root, args.how, cstate::read(&args.dir)),
    };
    let options = writer::Options { root: root.clone(), infer_promises: how.infer_promises };
    match source.and_then(|source| writer::import(source, &options)) {
        Ok(report) => {
            print!("{}", report.text());
            if !report.failed.is_empty() {
                return Err(());
            }
            println!("\nNext: candor build --root {}", root.display());
            Ok(())
        }
        Err(ImportError::Site(diagnostics)) => {
            let quoted: Vec<Diagnostic> = diagnostics.into_iter().map(|d| report::quote(d, &root)).collect();
            report::print_human(&quoted);
            eprintln!("error: nothing was imported; fix the problems above first");
            Err(())
        }
        Err(e @ ImportError::Write(..)) => {
            eprintln!("error: {e}; importing again writes what is missing");
            Err(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(())
        }
    }
}

/// Prints what a rebuild did: errors always, timing when asked or after an edit.
fn print_rebuild(trigger: Trigger, outcome: &Outcome, verbose: bool) {
    match outcome {
        Outcome::Built { sync, elapsed, notes, phases, ahead } => {
            if trigger == Trigger::Start {
                print_notes(notes);
            }
            if verbose || trigger != Trigger::Clock {
                let why = match trigger {
                    Trigger::Start => "built",
                    Trigger::Edit => "rebuilt after a change",
                    Trigger::Clock => "rebuilt for the clock",
                };
                let detail = if verbose { format!(" ({})", phases.summary()) } else { String::new() };
                let first = ahead.map_or_else(String::new, |d| {
                    format!(" (the edited incident's pages first, in {:.1} ms)", d.as_secs_f64() * 1000.0)
                });
                say!(
                    "{why} in {:.1} ms{first}: {} written, {} unchanged, {} removed{detail}",
                    elapsed.as_secs_f64() * 1000.0,
                    sync.written,
                    sync.unchanged,
                    sync.removed
                );
            }
        }
        Outcome::Failed(failure) => report::emit(true, &failure.text()),
    }
}

fn print_notes(notes: &[String]) {
    for note in notes {
        tell!("note: {note}");
    }
}

/// Prints why a build failed, every diagnostic first.
pub fn report_failure(error: &BuildError, out: &Path) {
    if let BuildError::Input(diagnostics) = error {
        report::print_human(diagnostics);
    }
    tell!("{}", error.summary(out));
}
