//! The site side of an import: the id each source component gets, the
//! mapping file that records it, and `site.yaml`, new or with only the
//! components it lacked added.
//!
//! A component keeps the id an earlier import gave it (from the mapping
//! file), else takes the id of the site's component of the same name, else
//! gets a new id made from its name. The mapping file only ever gains rows,
//! so importing again maps every component as before, even one renamed in
//! `site.yaml` since.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::ids::{Unique, slug};
use super::{Note, Source};
use crate::diagnostic::{Diagnostic, Pos};
use crate::files::read_text;
use crate::input::from_yaml;
use crate::model::Component;
use crate::yaml::{block_value, scalar};

/// The file, at the site root, recording which id each of a tool's components has.
pub fn mapping_file(tool: &str) -> String {
    format!("import-{}.yaml", tool.to_ascii_lowercase())
}

/// One row of the mapping: a source component and its id in the site.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// What the source calls it.
    pub source: String,
    /// Its name in the source.
    pub name: String,
    /// Its group in the source.
    #[serde(default)]
    pub group: Option<String>,
    /// Its id in `site.yaml`.
    pub id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingText {
    components: Vec<Row>,
}

/// The rows an earlier import wrote, if it did.
pub fn read_mapping(root: &Path, tool: &str) -> Result<Vec<Row>, Diagnostic> {
    let display = mapping_file(tool);
    let path = root.join(&display);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = read_text(&path, Path::new(&display))?;
    Ok(from_yaml::<MappingText>(&text, Path::new(&display))?.components)
}

/// The mapping file's text for `rows`, read back to be sure it holds them.
pub fn mapping_text(tool: &str, rows: &[Row]) -> Result<String, Diagnostic> {
    let text = mapping_lines(tool, rows);
    let back = from_yaml::<MappingText>(&text, Path::new(&mapping_file(tool)))?;
    if back.components != rows {
        let message = "the component mapping would not read back as written";
        return Err(Diagnostic::error("import", Path::new(&mapping_file(tool)), Pos::FILE, message));
    }
    Ok(text)
}

fn mapping_lines(tool: &str, rows: &[Row]) -> String {
    let mut t = format!(
        "# The components imported from {tool}, and the id each has in site.yaml.\n# `candor import` reads this file again, so each keeps its id, even when renamed.\ncomponents:{}\n",
        if rows.is_empty() { " []" } else { "" }
    );
    for row in rows {
        let _ = writeln!(t, "  - source: {}\n    name: {}", scalar(&row.source), scalar(&row.name));
        if let Some(group) = &row.group {
            let _ = writeln!(t, "    group: {}", scalar(group));
        }
        let _ = writeln!(t, "    id: {}", scalar(&row.id));
    }
    t
}

/// A component to add to `site.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewComponent {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// Which id every source component has, and what to add.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Source key to id in the site.
    pub ids: HashMap<String, String>,
    /// This import's rows, in the source's order.
    pub rows: Vec<(Row, bool)>,
    /// The mapping file's rows: this import's and every earlier one's.
    pub mapping: Vec<Row>,
    /// Components `site.yaml` lacks.
    pub added: Vec<NewComponent>,
    /// What could not be carried across exactly.
    pub notes: Vec<Note>,
}

/// The ids of `source`'s components in a site that has `existing` ones,
/// given the rows an earlier import wrote.
pub fn plan(source: &Source, existing: &[Component], earlier: &[Row]) -> Plan {
    let mut plan = Plan::default();
    let mut ids = Unique::new(existing.iter().map(|c| c.id.to_string()));
    let exists = |id: &str| existing.iter().any(|c| c.id.as_str() == id);
    for c in &source.components {
        let remembered = earlier.iter().find(|r| r.source == c.key).map(|r| r.id.clone()).filter(|id| exists(id));
        let same_name = || {
            let named: Vec<&Component> =
                existing.iter().filter(|e| e.name.as_str().trim().eq_ignore_ascii_case(c.name.trim())).collect();
            let grouped = named.iter().find(|e| e.group.as_ref().map(|g| g.as_str()) == c.group.as_deref());
            grouped.or(named.first()).map(|e| e.id.to_string())
        };
        let (id, added) = match remembered.or_else(same_name) {
            Some(id) => {
                let theirs =
                    existing.iter().find(|e| e.id.as_str() == id).and_then(|e| e.group.as_ref()).map(|g| g.as_str());
                if theirs != c.group.as_deref() {
                    let what = format!(
                        "its group is `{}` in {}, `{}` in site.yaml; site.yaml's is kept",
                        c.group.as_deref().unwrap_or("none"),
                        source.tool,
                        theirs.unwrap_or("none")
                    );
                    plan.notes.push(Note { item: format!("component {id}"), what });
                }
                (id, false)
            }
            None => {
                let id = ids.claim(&slug(&c.name).unwrap_or_else(|| "component".to_owned()));
                plan.added.push(NewComponent {
                    id: id.clone(),
                    name: c.name.clone(),
                    group: c.group.clone(),
                    description: c.description.clone(),
                });
                (id, true)
            }
        };
        if plan.ids.insert(c.key.clone(), id.clone()).is_some() {
            let what = format!("the source lists the component `{}` twice; the first is used", c.key);
            plan.notes.push(Note { item: c.name.clone(), what });
        }
        plan.rows.push((Row { source: c.key.clone(), name: c.name.clone(), group: c.group.clone(), id }, added));
    }
    plan.mapping = plan.rows.iter().map(|(r, _)| r.clone()).collect();
    for row in earlier {
        if !plan.mapping.iter().any(|r| r.source == row.source) {
            plan.mapping.push(row.clone());
        }
    }
    plan
}

/// The page's settings a new site starts from.
pub struct NewSite<'a> {
    /// The tool imported from, for the first comment.
    pub tool: &'a str,
    /// The title.
    pub title: &'a str,
    /// The IANA zone.
    pub timezone: &'a str,
    /// Where it is published, when known.
    pub base_url: Option<&'a str>,
    /// The sentence under the title.
    pub description: Option<&'a str>,
}

/// `site.yaml` for a new site with `components`.
pub fn new_site_text(site: &NewSite<'_>, components: &[NewComponent]) -> String {
    let mut t = format!(
        "# yaml-language-server: $schema={}/{}\n# Imported from {}; every field is described in candor's README.\n",
        crate::schema::DIR,
        crate::schema::SITE_FILE,
        site.tool
    );
    let _ = writeln!(t, "title: {}", scalar(site.title));
    if let Some(url) = site.base_url {
        let _ = writeln!(t, "base_url: {}", scalar(url));
    }
    let _ = writeln!(t, "timezone: {}", scalar(site.timezone));
    let _ = writeln!(t, "language: {}", scalar(crate::model::Language::En.tag()));
    if let Some(description) = site.description {
        let _ = writeln!(t, "description: {}", scalar(description));
    }
    t.push_str("components:\n");
    t.push_str(&component_lines(components, 2));
    t
}

/// The list items of `components`, their dashes `dash` spaces in.
fn component_lines(components: &[NewComponent], dash: usize) -> String {
    let (pad, key) = (" ".repeat(dash), " ".repeat(dash + 2));
    let mut t = String::new();
    for c in components {
        let _ = writeln!(t, "{pad}- id: {}\n{key}name: {}", scalar(&c.id), scalar(&c.name));
        if let Some(group) = &c.group {
            let _ = writeln!(t, "{key}group: {}", scalar(group));
        }
        if let Some(description) = &c.description {
            t.push_str(&format!("{key}description:{}", text_value(description, dash + 2)));
        }
    }
    t
}

/// The value of a key at `key_indent` for prose: a flow scalar for one line,
/// a literal block for several.
pub fn text_value(text: &str, key_indent: usize) -> String {
    if text.contains(['\n', '\r']) { block_value(text, key_indent) } else { format!(" {}\n", scalar(text)) }
}

/// `text` (a `site.yaml`) with `added` at the end of its `components:` list,
/// and everything else as it was.
pub fn merged_site_text(text: &str, added: &[NewComponent]) -> Result<String, Diagnostic> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let refuse = |line: usize, message: &str| {
        Diagnostic::error("import", Path::new(crate::load::SITE_FILE), Pos::new(line as u32 + 1, 1), message)
            .with_hint("write `components:` as a block list (one `- id: ...` per item) to import into this site")
            .with_source(text)
    };
    let start = lines
        .iter()
        .position(|l| l.starts_with("components:"))
        .ok_or_else(|| refuse(0, "site.yaml has no top-level `components:` list"))?;
    let after = lines[start]["components:".len()..].trim();
    if !(after.is_empty() || after.starts_with('#')) {
        return Err(refuse(start, "`components:` is written in flow style ([...])"));
    }
    let mut last = start;
    let mut dash = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        if dash.is_none() && trimmed.starts_with('-') {
            dash = Some(indent);
        }
        last = i;
    }
    let mut out: String = lines[..=last].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&component_lines(added, dash.unwrap_or(2)));
    out.push_str(&lines[last + 1..].concat());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::SourceComponent;

    fn source(names: &[(&str, &str, Option<&str>)]) -> Source {
        let components = names
            .iter()
            .map(|(key, name, group)| SourceComponent {
                key: (*key).into(),
                name: (*name).into(),
                group: group.map(Into::into),
                description: None,
            })
            .collect();
        Source { tool: "Statuspage", components, ..Source::default() }
    }

    #[test]
    fn components_keep_earlier_ids_match_names_or_get_new_unique_ids() {
        let site = crate::testing::model(crate::testing::SITE, &[]).site;
        let earlier = [Row { source: "k1".into(), name: "Old name".into(), group: None, id: "web".into() }];
        let plan = plan(
            &source(&[
                ("k1", "Website, renamed", None),
                ("k2", "public api", Some("Platform")),
                ("k3", "Public API", None),
                ("k4", "決済", None),
            ]),
            &site.components,
            &earlier,
        );
        let ids: Vec<(&str, bool)> = plan.rows.iter().map(|(r, added)| (r.id.as_str(), *added)).collect();
        assert_eq!(ids, [("web", false), ("api", false), ("api", false), ("component", true)]);
        let fresh = plan_for_empty(&[("a", "Public API", None), ("b", "Public  API", None)]);
        assert_eq!(fresh, ["public-api", "public-api-2"]);
    }

    fn plan_for_empty(names: &[(&str, &str, Option<&str>)]) -> Vec<String> {
        plan(&source(names), &[], &[]).added.into_iter().map(|c| c.id).collect()
    }

    #[test]
    fn the_mapping_reads_back_as_written() {
        let rows = [Row { source: "0x1f".into(), name: "yes: no".into(), group: Some("#1".into()), id: "true".into() }];
        let text = mapping_text("Statuspage", &rows).unwrap();
        let back: MappingText = from_yaml(&text, Path::new("x.yaml")).unwrap();
        assert_eq!(back.components, rows);
        assert!(mapping_text("cState", &[]).unwrap().ends_with("components: []\n"));
    }

    #[test]
    fn merging_adds_components_and_keeps_the_rest_as_written() {
        let text = "title: Acme   # the name\ntimezone: UTC\ncomponents:\n- id: api   # keep me\n  name: API\n\n# more later\nhistory_days: 30\n";
        let added = [NewComponent {
            id: "web".into(),
            name: "Web: site".into(),
            group: Some("Edge".into()),
            description: None,
        }];
        let merged = merged_site_text(text, &added).unwrap();
        assert_eq!(
            merged,
            "title: Acme   # the name\ntimezone: UTC\ncomponents:\n- id: api   # keep me\n  name: API\n- id: web\n  name: \"Web: site\"\n  group: Edge\n\n# more later\nhistory_days: 30\n"
        );
        let flow = merged_site_text("title: A\ncomponents: [{ id: a, name: A }]\n", &added).unwrap_err();
        assert_eq!(flow.pos.line, 2);
    }
}
