//! Located findings about the user's input, and how they are printed.
//!
//! Every problem candor reports about a file the user wrote is a [`Diagnostic`]:
//! a level, the file, the line and column, what is wrong and what was expected.
//! Diagnostics carry the text of the line they point at, so they can be printed
//! long after the file was read, without reading it again.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Worth knowing; never fails anything.
    Note,
    /// Likely a mistake or a lapse in communication; the site still builds.
    Warning,
    /// The input cannot be used; nothing is written.
    Error,
}

impl Level {
    /// The lower-case word used in messages and machine-readable output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A position in a source file, one-based, counted in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Line number, starting at 1; 0 when the whole file is meant.
    pub line: u32,
    /// Column number in characters, starting at 1; 0 when the whole line is meant.
    pub column: u32,
}

impl Pos {
    /// A position that means "the file as a whole".
    pub const FILE: Pos = Pos { line: 0, column: 0 };

    /// A position at `line` and `column` (both one-based).
    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
}

/// One located finding about the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub level: Level,
    /// A stable code, so people and tools can look it up and silence it.
    pub code: &'static str,
    /// The file as the user knows it (relative to the site root where possible).
    pub file: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
    /// What was expected, or what to do about it.
    pub hint: Option<String>,
    /// The text of the line at `pos.line`, for quoting.
    pub line_text: Option<String>,
}

impl Diagnostic {
    /// An error at `pos` of `file`.
    pub fn error(code: &'static str, file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code,
            file: file.to_path_buf(),
            pos,
            message: message.into(),
            hint: None,
            line_text: None,
        }
    }

    /// Adds what was expected or what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Changes the level, for findings that are not errors.
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Attaches the quoted line, taken from the file's full text.
    pub fn with_source(mut self, source: &str) -> Self {
        if self.pos.line > 0 {
            self.line_text = source.lines().nth(self.pos.line as usize - 1).map(str::to_owned);
        }
        self
    }

    /// The finding on one line, for notes printed after a build: location, message, hint.
    pub fn note_line(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{}: {} ({hint})", self.location(), self.message),
            None => format!("{}: {}", self.location(), self.message),
        }
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.pos.line, self.pos.column) {
            (0, _) => format!("{file}"),
            (line, 0) => format!("{file}:{line}"),
            (line, column) => format!("{file}:{line}:{column}"),
        }
    }

    /// Renders the finding the way rustc does: message, location, quoted line, hint.
    pub fn render(&self, renderer: &Renderer) -> String {
        let level = match self.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
            Level::Note => SnippetLevel::NOTE,
        };
        let location = self.location();
        let file = self.file.display().to_string();
        let title = level.primary_title(&self.message).id(self.code);
        let mut group = match &self.line_text {
            Some(text) => title.element(self.snippet(text, &file)),
            None => title.element(annotate_snippets::Origin::path(&location)),
        };
        if let Some(hint) = &self.hint {
            group = group.element(SnippetLevel::HELP.message(hint));
        }
        let report: [Group<'_>; 1] = [group];
        renderer.render(&report)
    }

    fn snippet<'a>(&self, text: &'a str, path: &'a str) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
        let start = text.char_indices().nth(self.pos.column.saturating_sub(1) as usize).map_or(text.len(), |(i, _)| i);
        let end = token_end(text, start);
        Snippet::source(text)
            .line_start(self.pos.line as usize)
            .path(path)
            .annotation(AnnotationKind::Primary.span(start..end))
    }
}

/// The end of the token that starts at byte `start`: the rest of a value up to
/// a comment, trimmed, so the caret underlines the value the message is about.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let stop = rest.find(" #").or_else(|| rest.find(", ")).unwrap_or(rest.len());
    let len = rest[..stop].trim_end().len().max(1).min(rest.len());
    start + len.max(usize::from(rest.is_empty()))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.level.as_str(), self.message, self.location())?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// Sorts findings the way people read them: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.pos, &a.message).cmp(&(&b.file, b.pos, &b.message)));
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let ids = ["payments", "api", "web"];
        assert_eq!(did_you_mean("paymnts", ids), Some("payments"));
        assert_eq!(did_you_mean("apy", ids), Some("api"));
        assert_eq!(did_you_mean("database", ids), None);
    }

    #[test]
    fn renders_location_quote_and_hint() {
        let d =
            Diagnostic::error("E0001", Path::new("incidents/x.yaml"), Pos::new(2, 15), "unknown component `paymnts`")
                .with_hint("did you mean `payments`?")
                .with_source("title: x\ncomponents: [paymnts]\n");
        let text = d.render(&Renderer::plain());
        assert!(text.contains("error[E0001]: unknown component `paymnts`"), "{text}");
        assert!(text.contains("incidents/x.yaml:2:15"), "{text}");
        assert!(text.contains("components: [paymnts]"), "{text}");
        assert!(text.contains("did you mean `payments`?"), "{text}");
        assert_eq!(
            d.to_string(),
            "error: unknown component `paymnts` (incidents/x.yaml:2:15); did you mean `payments`?"
        );
    }
}
