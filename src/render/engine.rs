//! The template engine: a theme's templates compiled once per render, and
//! template errors located in the template file that caused them.

use std::path::PathBuf;

use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Pos};
use crate::theme::Theme;

/// Why rendering failed: a template problem, located in the template.
#[derive(Debug)]
pub struct RenderError(pub Vec<Diagnostic>);

/// The template engine, loaded with a theme's templates.
pub struct Engine {
    tera: Tera,
}

impl Engine {
    /// Compiles every template of `theme`, reporting template errors with their location.
    pub fn new(theme: &Theme) -> Result<Engine, RenderError> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        let sources = theme.templates.iter().map(|(name, (_, text))| (name.as_str(), text.as_str()));
        tera.add_raw_templates(sources).map_err(|e| RenderError(vec![template_diagnostic(&e, theme)]))?;
        Ok(Engine { tera })
    }

    /// Renders the template `name` of `theme` with `context`.
    pub fn render(&self, theme: &Theme, name: &str, context: &Context) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, context, &mut out).map_err(|e| RenderError(vec![template_diagnostic(&e, theme)]))?;
        Ok(out)
    }
}

/// A template error as a diagnostic pointing into the template file.
fn template_diagnostic(error: &tera::Error, theme: &Theme) -> Diagnostic {
    let (name, pos, message) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let pos = Pos::new(span.start_line as u32, span.start_col as u32 + 1);
            (report.filename().to_owned(), pos, report.message().to_owned())
        }
        _ => (String::new(), Pos::FILE, error.to_string()),
    };
    let (file, text) = theme
        .templates
        .get(&name)
        .map_or_else(|| (PathBuf::from(format!("templates/{name}")), ""), |(p, t)| (p.clone(), t.as_str()));
    Diagnostic::error("template", &file, pos, message).with_source(text)
}
