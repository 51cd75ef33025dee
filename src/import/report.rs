//! What an import did, for the person who ran it: how much came across, the
//! component mapping, every promise recognised, and every item that could
//! not be carried across exactly, with why.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Note;
use super::incident::Inferred;
use super::site::Row;
use crate::diagnostic::Diagnostic;

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// The tool imported from.
    pub tool: &'static str,
    /// Where it was read from.
    pub origin: String,
    /// Whether a new site was made.
    pub new_site: bool,
    /// Each source component, its id, and whether it was added to `site.yaml`.
    pub components: Vec<(Row, bool)>,
    /// The mapping file's path, relative to the site root.
    pub mapping_file: String,
    /// Incidents written.
    pub incidents: usize,
    /// Maintenance written.
    pub maintenances: usize,
    /// Announcements written.
    pub notices: usize,
    /// Updates in the files written.
    pub updates: usize,
    /// Post-mortems in the files written.
    pub postmortems: usize,
    /// Items already imported before, left as they are.
    pub already: usize,
    /// Each promise recognised, with the file it is in.
    pub promises: Vec<(PathBuf, Inferred)>,
    /// What could not be carried across exactly.
    pub notes: Vec<Note>,
    /// Items that could not be imported at all, with why.
    pub failed: Vec<(String, Vec<Diagnostic>)>,
    /// Files written, relative to the site root.
    pub written: Vec<PathBuf>,
    /// Whether promises were looked for.
    pub inferred: bool,
}

/// `text` safe to print on a terminal: line breaks, escape sequences and
/// other control or text-direction characters written out (`\n`, `\u{1b}`),
/// so source data cannot break a line of the report or drive the terminal.
fn shown(text: &str) -> String {
    text.chars()
        .map(
            |c| if c.is_control() || crate::model::is_hidden(c) { c.escape_debug().to_string() } else { c.to_string() },
        )
        .collect()
}

impl Report {
    /// The report as text for a terminal.
    pub fn text(&self) -> String {
        let mut t = String::new();
        let what = if self.new_site { "a new site" } else { "the site" };
        let _ = writeln!(t, "Imported from {} ({}) into {what}:", self.tool, shown(&self.origin));
        let added = self.components.iter().filter(|(_, a)| *a).count();
        let _ = writeln!(
            t,
            "  components    {:>6} ({added} added to site.yaml, {} already there)",
            self.components.len(),
            self.components.len() - added
        );
        let _ = writeln!(t, "  incidents     {:>6}", self.incidents);
        let _ = writeln!(t, "  maintenance   {:>6}", self.maintenances);
        let _ = writeln!(t, "  announcements {:>6}", self.notices);
        let _ = writeln!(t, "  updates       {:>6}", self.updates);
        let _ = writeln!(t, "  post-mortems  {:>6}", self.postmortems);
        let promises = if self.inferred {
            self.promises.len().to_string()
        } else {
            "not looked for (--infer-promises)".to_owned()
        };
        let _ = writeln!(t, "  promises      {promises:>6}");
        let _ = writeln!(t, "  already imported, left as they were: {}", self.already);
        let _ = writeln!(t, "  files written: {}", self.written.len());
        if !self.components.is_empty() {
            let _ = writeln!(t, "\nComponents (recorded in {}):", self.mapping_file);
            let _ = writeln!(t, "  | {} | group | id in site.yaml |\n  | --- | --- | --- |", self.tool);
            for (row, added) in &self.components {
                let new = if *added { " (added)" } else { "" };
                let group = shown(row.group.as_deref().unwrap_or(""));
                let _ = writeln!(t, "  | {} | {group} | {}{new} |", shown(&row.name), row.id);
            }
        }
        if !self.promises.is_empty() {
            let _ = writeln!(t, "\nPromises recognised ({}), each marked in its file:", self.promises.len());
            for (file, p) in &self.promises {
                let _ = writeln!(
                    t,
                    "  {}: update at {}: next update by {}: \"{}\"",
                    file.display(),
                    p.at,
                    p.by,
                    p.sentence
                );
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(t, "\nNot carried across exactly ({}):", self.notes.len());
            t.push_str(&self.notes_text());
        }
        if !self.failed.is_empty() {
            let _ = writeln!(t, "\nNot imported ({}), because the file would not be valid:", self.failed.len());
            for (item, diagnostics) in &self.failed {
                for d in diagnostics {
                    let _ =
                        writeln!(t, "  {}: {}:{}: {}", shown(item), d.file.display(), d.pos.line, shown(&d.message));
                }
            }
        }
        t
    }

    /// Every note: one line each, or, for a reason that many items share, the
    /// reason once with every item under it.
    fn notes_text(&self) -> String {
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for note in &self.notes {
            match reasons.iter_mut().find(|(what, _)| *what == note.what) {
                Some((_, items)) => items.push(&note.item),
                None => reasons.push((&note.what, vec![&note.item])),
            }
        }
        let mut t = String::new();
        for (what, items) in reasons {
            if items.len() < 3 {
                for item in items {
                    let _ = writeln!(t, "  {}: {}", shown(item), shown(what));
                }
                continue;
            }
            let _ = writeln!(t, "  {} ({}):", shown(what), items.len());
            for item in items {
                let _ = writeln!(t, "    {}", shown(item));
            }
        }
        t
    }
}
