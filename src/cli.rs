//! The command line: parsing arguments and printing results and diagnostics.

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::{Parser, Subcommand};

use crate::build::{self, BuildError};
use crate::diagnostic::{Diagnostic, Level};
use crate::watch::{Outcome, Rebuilder, Trigger};

/// candor turns incident files into a transparent status site.
#[derive(Debug, Parser)]
#[command(name = "candor", version, about, long_about = None)]
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
    /// Print when the site next changes by the clock alone, for scheduling rebuilds.
    NextChange(NextChangeArgs),
    /// Write a synthetic site for benchmarks.
    #[command(hide = true)]
    Generate(crate::generate::GenerateArgs),
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

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Watch(args) => run_watch(args),
        Command::NextChange(args) => run_next_change(args),
        Command::Generate(args) => crate::generate::run(&args).map_err(|m| eprintln!("error: {m}")),
    };
    if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn run_build(args: BuildArgs) -> Result<(), ()> {
    let options = build::Options { root: args.site.root, out: args.out, base_url: args.base_url, now: args.now };
    let out = options.out_dir();
    match build::build(&options) {
        Ok(report) => {
            print_notes(&report.notes);
            println!(
                "Built {} {} into {} pages ({} files) in {} ms: {}",
                report.incidents,
                plural(report.incidents, "incident", "incidents"),
                report.pages,
                report.files,
                report.elapsed.as_millis(),
                out.display()
            );
            Ok(())
        }
        Err(error) => {
            report_failure(&error, &out);
            Err(())
        }
    }
}

fn run_serve(args: ServeArgs) -> Result<(), ()> {
    let temp = match &args.out {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("candor-serve-")
                .tempdir()
                .map_err(|e| eprintln!("error: cannot create a temporary folder: {e}"))?,
        ),
    };
    let out = args.out.clone().unwrap_or_else(|| temp.as_ref().map(|t| t.path().join("site")).unwrap_or_default());
    if !args.bind.is_loopback() {
        eprintln!("warning: serving on {}, which other machines can reach; drafts will be visible to them", args.bind);
    }
    let options = build::Options { root: args.site.root, ..Default::default() };
    let rebuilder = Rebuilder::new(options, &out).map_err(|e| report_failure(&e, &out))?;
    let listen = crate::serve::Listen { addr: SocketAddr::new(args.bind, args.port), open: args.open };
    let verbose = args.verbose;
    let result = crate::serve::run(rebuilder, listen, move |trigger, outcome| print_rebuild(trigger, outcome, verbose));
    drop(temp);
    result.map_err(|m| eprintln!("error: {m}"))
}

fn run_watch(args: WatchArgs) -> Result<(), ()> {
    let options = build::Options { root: args.site.root, out: args.out, ..Default::default() };
    let out = options.out_dir();
    let rebuilder = Rebuilder::new(options, &out).map_err(|e| report_failure(&e, &out))?;
    println!("Watching for changes; writing to {} (Ctrl-C to stop)", out.display());
    let verbose = args.verbose;
    crate::watch::run(rebuilder, move |trigger, outcome| print_rebuild(trigger, outcome, verbose), || true)
        .map_err(|m| eprintln!("error: {m}"))
}

fn run_next_change(args: NextChangeArgs) -> Result<(), ()> {
    let options = build::Options { root: args.site.root.clone(), now: args.now, ..Default::default() };
    let prepared = build::prepare(&options).map_err(|e| report_failure(&e, &options.out_dir()))?;
    let next = crate::views::next_change(&prepared.model, prepared.views.now);
    let zoned = next.to_zoned_datetime(prepared.model.site.timezone.clone());
    println!("{}", crate::render::api::format_time(next, &prepared.model.site.timezone).replace(".000", ""));
    if std::io::stdout().is_terminal() {
        eprintln!("({} in {})", zoned.strftime("%Y-%m-%d %H:%M"), prepared.model.site.timezone_name);
    }
    Ok(())
}

/// Prints what a rebuild did: errors always, timing when asked or after an edit.
fn print_rebuild(trigger: Trigger, outcome: &Outcome, verbose: bool) {
    match outcome {
        Outcome::Built { sync, elapsed, notes } => {
            if trigger == Trigger::Start {
                print_notes(notes);
            }
            if verbose || trigger != Trigger::Clock {
                let why = match trigger {
                    Trigger::Start => "built",
                    Trigger::Edit => "rebuilt after a change",
                    Trigger::Clock => "rebuilt for the clock",
                };
                println!(
                    "{why} in {:.1} ms: {} written, {} unchanged, {} removed",
                    elapsed.as_secs_f64() * 1000.0,
                    sync.written,
                    sync.unchanged,
                    sync.removed
                );
            }
        }
        Outcome::Failed(error) => eprint!("{}", failure_text(error)),
    }
}

fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Prints why a build failed, every diagnostic first.
pub fn report_failure(error: &BuildError, out: &Path) {
    if let BuildError::Input(diagnostics) = error {
        print_diagnostics(diagnostics);
    }
    eprintln!("{}", summary(error, out));
}

/// The one-line summary of a failure.
fn summary(error: &BuildError, out: &Path) -> String {
    match error {
        BuildError::Input(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.level == Level::Error).count();
            let files: std::collections::BTreeSet<_> = diagnostics.iter().map(|d| &d.file).collect();
            format!(
                "error: the site was not built: {errors} {} in {} {}; {} was left unchanged",
                plural(errors, "error", "errors"),
                files.len(),
                plural(files.len(), "file", "files"),
                out.display()
            )
        }
        BuildError::Output(e) => format!("error: {e}; {} was left unchanged", out.display()),
        BuildError::Usage(message) => format!("error: {message}"),
    }
}

/// A failure as plain text (every diagnostic, then the summary), for terminals and the browser overlay.
pub fn failure_text(error: &BuildError) -> String {
    let mut text = String::new();
    if let BuildError::Input(diagnostics) = error {
        for d in diagnostics {
            text.push_str(&d.render(&Renderer::plain()));
            text.push_str("\n\n");
        }
    }
    text.push_str(
        &summary(error, Path::new("the last good output")).replace(" was left unchanged", " is still served"),
    );
    text.push('\n');
    text
}

/// Prints diagnostics to standard error, coloured on a terminal unless `NO_COLOR` is set.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let renderer = if colour { Renderer::styled() } else { Renderer::plain() };
    for d in diagnostics {
        eprintln!("{}\n", d.render(&renderer));
    }
}
