//! The command line: parsing arguments and printing results and diagnostics.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::{Parser, Subcommand};

use crate::build::{self, BuildError};
use crate::diagnostic::{Diagnostic, Level};

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
    /// Write a synthetic site for benchmarks.
    #[command(hide = true)]
    Generate(crate::generate::GenerateArgs),
}

/// Options of `candor build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site folder, holding site.yaml and incidents/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
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

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Generate(args) => match crate::generate::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = build::Options { root: args.root, out: args.out, base_url: args.base_url, now: args.now };
    let out = options.out_dir();
    match build::build(&options) {
        Ok(report) => {
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            println!(
                "Built {} {} into {} pages ({} files) in {} ms: {}",
                report.incidents,
                if report.incidents == 1 { "incident" } else { "incidents" },
                report.pages,
                report.files,
                report.elapsed.as_millis(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            report_failure(&error, &out);
            ExitCode::FAILURE
        }
    }
}

/// Prints why a build failed, every diagnostic first.
pub fn report_failure(error: &BuildError, out: &std::path::Path) {
    match error {
        BuildError::Input(diagnostics) => {
            print_diagnostics(diagnostics);
            let errors = diagnostics.iter().filter(|d| d.level == Level::Error).count();
            let files: std::collections::BTreeSet<_> = diagnostics.iter().map(|d| &d.file).collect();
            eprintln!(
                "error: the site was not built: {errors} {} in {} {}; {} was left unchanged",
                if errors == 1 { "error" } else { "errors" },
                files.len(),
                if files.len() == 1 { "file" } else { "files" },
                out.display()
            );
        }
        BuildError::Output(e) => eprintln!("error: {e}; {} was left unchanged", out.display()),
        BuildError::Usage(message) => eprintln!("error: {message}"),
    }
}

/// Prints diagnostics to standard error, coloured on a terminal unless `NO_COLOR` is set.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let renderer = if colour { Renderer::styled() } else { Renderer::plain() };
    for d in diagnostics {
        eprintln!("{}\n", d.render(&renderer));
    }
}
