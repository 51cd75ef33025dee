//! Printing diagnostics: for people (quoted source lines, coloured on a
//! terminal), as JSON for tools, and as GitHub Actions annotations.
//!
//! Every command that reports findings prints them through here, so a
//! finding reads the same in `build`, `check`, `watch` and the preview overlay.

use std::io::IsTerminal;
use std::path::Path;

use annotate_snippets::Renderer;

use crate::diagnostic::{Diagnostic, Level};

/// Writes `text` to standard output (or error): the one way candor prints.
/// A closed pipe (`candor build | head -1`) is a normal end, not a crash:
/// the reader has what it wanted, so candor exits quietly with success.
pub fn emit(to_stderr: bool, text: &str) {
    use std::io::Write as _;
    let result = if to_stderr {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    if result.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
        std::process::exit(0);
    }
}

/// A line to standard output, through [`emit`].
macro_rules! say {
    ($($arg:tt)*) => { $crate::report::emit(false, &format!("{}\n", format_args!($($arg)*))) };
}

/// A line to standard error, through [`emit`].
macro_rules! tell {
    ($($arg:tt)*) => { $crate::report::emit(true, &format!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {say, tell};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Quoted source lines, coloured on a terminal.
    Human,
    /// One JSON array of findings.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Findings in `format`, ready to print (human findings without colour).
pub fn format(findings: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Human => plain(findings),
        Format::Json => to_json(findings),
        Format::Github => to_github(findings),
    }
}

/// Prints diagnostics to standard error, coloured on a terminal unless `NO_COLOR` is set.
pub fn print_human(diagnostics: &[Diagnostic]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let renderer = if colour { Renderer::styled() } else { Renderer::plain() };
    for d in diagnostics {
        tell!("{}\n", d.render(&renderer));
    }
}

/// Diagnostics as plain text, each followed by a blank line: for files, pipes and the browser overlay.
pub fn plain(diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for d in diagnostics {
        text.push_str(&d.render(&Renderer::plain()));
        text.push_str("\n\n");
    }
    text
}

/// Attaches the quoted source line to a finding that lacks it, reading the
/// file (printing is the one place that may look at the files again, and it
/// reads them as every stage does: never through a link).
pub fn quote(d: Diagnostic, root: &Path) -> Diagnostic {
    if d.line_text.is_some() || d.pos.line == 0 {
        return d;
    }
    match crate::files::read_text(&root.join(&d.file), &d.file) {
        Ok(text) => d.with_source(&text),
        Err(_) => d,
    }
}

/// How many findings there are of `level`.
pub fn count(findings: &[Diagnostic], level: Level) -> usize {
    findings.iter().filter(|d| d.level == level).count()
}

/// Findings as a JSON array, one object per finding.
pub fn to_json(findings: &[Diagnostic]) -> String {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|d| {
            serde_json::json!({
                "code": d.code,
                "level": d.level.as_str(),
                "file": d.file.to_string_lossy().replace('\\', "/"),
                "line": d.pos.line,
                "column": d.pos.column,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// Findings as GitHub Actions workflow commands, so pull requests show them inline.
pub fn to_github(findings: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in findings {
        let command = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let file = d.file.to_string_lossy().replace('\\', "/");
        let mut props = format!("file={}", escape_property(&file));
        if d.pos.line > 0 {
            props.push_str(&format!(",line={}", d.pos.line));
        }
        if d.pos.column > 0 {
            props.push_str(&format!(",col={}", d.pos.column));
        }
        props.push_str(&format!(",title={}", escape_property(d.code)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(". ");
            message.push_str(hint);
        }
        out.push_str(&format!("::{command} {props}::{}\n", escape_data(&message)));
    }
    out
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    #[test]
    fn github_annotations_escape_their_fields() {
        let d = Diagnostic::error(
            "silence",
            std::path::Path::new("incidents/a,b.yaml"),
            Pos::new(3, 5),
            "50% quiet\nreally",
        )
        .with_level(Level::Warning)
        .with_hint("post");
        assert_eq!(
            to_github(&[d]),
            "::warning file=incidents/a%2Cb.yaml,line=3,col=5,title=silence::50%25 quiet%0Areally. post\n"
        );
    }
}
