//! Reading a cState site (a Hugo site with the cState theme) into the
//! neutral [`Source`].
//!
//! - `config.yml` (or `config.yaml`, `hugo.yml`, `hugo.yaml`): the title,
//!   `baseURL`, `timeZone` (Hugo reads dates without an offset in it; UTC
//!   when unset), `params.description`, and `params.systems` (names, or
//!   `name`, `description` and `category`) in the order of
//!   `params.categories`, each category a group unless it is `untitled`.
//! - `content/issues/**/*.md`: the front matter cState reads (`title`,
//!   `date`, `resolved`, `resolvedWhen`, `severity` down, disrupted or
//!   notice, `affected`, `section: issue`, `informational`, and Hugo's
//!   `draft`, `slug`, `url` and `aliases`), and the body.
//!
//! The body becomes the timeline. Each update is a paragraph that starts with
//! a status in emphasis (`*Monitoring* - ...`) or ends with cState's `track`
//! shortcode (`{{< track "2018-05-25 04:40:00" >}}`, the time it was posted),
//! written newest first. A `*Post-mortem*` paragraph, or a `## Post-mortem`
//! heading, starts the post-mortem. Text in no update is the summary; an
//! issue whose body has no update at all is one update at its `date`.
//! Updates without a time take the issue's `date` (the oldest), its
//! `resolvedWhen` (the newest of a resolved issue), or the time of the one
//! before, each noted. Severity `down` is a major outage, `disrupted` a minor
//! degradation, `notice` maintenance (its window from `date` to
//! `resolvedWhen`), and informational posts are announcements. The issue's
//! old address is `issues/SLUG/`, as Hugo makes it.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;
use walkdir::WalkDir;

use super::{ImportError, Item, Moment, Note, Page, Source, SourceComponent, SourceUpdate};
use crate::files::read_text;
use crate::input::from_yaml;
use crate::model::{Impact, Kind, UpdateStatus};

/// The tool's name, in reports and files.
pub const TOOL: &str = "cState";

/// The configuration files Hugo reads, in the order it looks for them.
const CONFIGS: [&str; 4] = ["config.yml", "config.yaml", "hugo.yml", "hugo.yaml"];

#[derive(Debug, Default, Deserialize)]
struct Config {
    title: Option<String>,
    #[serde(rename = "baseURL", alias = "baseurl", alias = "baseUrl")]
    base_url: Option<String>,
    #[serde(rename = "timeZone", alias = "timezone")]
    time_zone: Option<String>,
    #[serde(default)]
    params: Params,
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    description: Option<String>,
    #[serde(default)]
    systems: Vec<System>,
    #[serde(default)]
    categories: Vec<Category>,
}

/// A system: a name alone (older cState), or with a description and category.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum System {
    Name(String),
    Full { name: String, description: Option<String>, category: Option<String> },
}

#[derive(Debug, Deserialize)]
struct Category {
    name: String,
    #[serde(default)]
    untitled: Option<bool>,
}

/// A list, or one value written alone.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The front matter cState and Hugo read; every value as written.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
    resolved: Option<String>,
    resolved_when: Option<String>,
    severity: Option<String>,
    affected: Option<OneOrMany>,
    section: Option<String>,
    informational: Option<String>,
    draft: Option<String>,
    slug: Option<String>,
    url: Option<String>,
    aliases: Option<OneOrMany>,
}

fn flag(value: Option<&String>) -> bool {
    value.is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "on"))
}

impl OneOrMany {
    fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        }
    }
}

/// Reads the cState site in `dir`.
pub fn read(dir: &Path) -> Result<Source, ImportError> {
    let config_file = CONFIGS.iter().map(|c| dir.join(c)).find(|p| p.is_file()).ok_or_else(|| {
        let toml = ["config.toml", "hugo.toml"].iter().any(|c| dir.join(c).is_file());
        ImportError::Source(if toml {
            format!("{} has its configuration in TOML; candor reads config.yml (write it as YAML, as cState's example does)", dir.display())
        } else {
            format!("{} is not a cState site: it has no config.yml", dir.display())
        })
    })?;
    let shown = config_file.strip_prefix(dir).unwrap_or(&config_file).to_path_buf();
    let text = read_text(&config_file, &shown).map_err(|d| ImportError::Site(vec![d]))?;
    let config: Config = from_yaml(&text, &shown).map_err(|d| ImportError::Site(vec![d]))?;
    let zone_name = config.time_zone.clone().unwrap_or_else(|| "UTC".to_owned());
    let mut notes = Vec::new();
    let zone = TimeZone::get(&zone_name).unwrap_or_else(|_| {
        notes.push(Note {
            item: shown.display().to_string(),
            what: format!("its timeZone `{zone_name}` is unknown; dates are read in UTC"),
        });
        TimeZone::UTC
    });
    let mut components = components(&config.params);
    let mut items = Vec::new();
    for (file, rel) in issue_files(dir, &mut notes) {
        let shown = rel.display().to_string();
        match issue(&file, &rel, &zone) {
            Ok(Some(mut item)) => {
                add_unknown_systems(&mut item, &mut components);
                items.push(item);
            }
            Ok(None) => {}
            Err(why) => notes.push(Note { item: shown, what: why }),
        }
    }
    Ok(Source {
        tool: TOOL,
        origin: dir.display().to_string(),
        page: Page {
            title: config.title,
            timezone: Some(zone_name),
            base_url: config.base_url,
            description: config.params.description,
        },
        components,
        items,
        notes,
    })
}

/// The systems, in the order cState shows them: by category, as listed.
fn components(params: &Params) -> Vec<SourceComponent> {
    let systems: Vec<SourceComponent> = params
        .systems
        .iter()
        .map(|s| match s {
            System::Name(name) => {
                SourceComponent { key: name.clone(), name: name.clone(), group: None, description: None }
            }
            System::Full { name, description, category } => SourceComponent {
                key: name.clone(),
                name: name.clone(),
                group: category.clone(),
                description: description.clone().filter(|d| !d.trim().is_empty()),
            },
        })
        .collect();
    let mut ordered: Vec<SourceComponent> = Vec::with_capacity(systems.len());
    for category in &params.categories {
        for s in systems.iter().filter(|s| s.group.as_deref() == Some(&category.name)) {
            let group = if category.untitled == Some(true) { None } else { s.group.clone() };
            ordered.push(SourceComponent { group, ..s.clone() });
        }
    }
    for s in systems {
        if !ordered.iter().any(|o| o.key == s.key) {
            ordered.push(s);
        }
    }
    ordered
}

/// Affected names that are not among the systems become components too, as
/// cState shows a page for each.
fn add_unknown_systems(item: &mut Item, components: &mut Vec<SourceComponent>) {
    for (name, _) in &item.components {
        if !components.iter().any(|c| &c.key == name) {
            components.push(SourceComponent { key: name.clone(), name: name.clone(), group: None, description: None });
            item.notes
                .push(format!("it affected `{name}`, which is not among config.yml's systems; it is a component too"));
        }
    }
}

/// Every `.md` under `content/issues/`, sorted, with its path relative to `dir`.
fn issue_files(dir: &Path, notes: &mut Vec<Note>) -> Vec<(PathBuf, PathBuf)> {
    let issues = dir.join("content").join("issues");
    let mut out = Vec::new();
    for entry in WalkDir::new(&issues).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                notes.push(Note { item: "content/issues".into(), what: format!("cannot be read: {e}") });
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.ends_with(".md") && !name.starts_with(['_', '.']) {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_path_buf();
            out.push((entry.path().to_path_buf(), rel));
        }
    }
    out
}

/// One issue, `Ok(None)` when cState does not publish it, or why it cannot be read.
fn issue(file: &Path, rel: &Path, zone: &TimeZone) -> Result<Option<Item>, String> {
    let text = read_text(file, rel).map_err(|d| d.message)?;
    let text = crate::yaml::normalise_breaks(&text);
    if text.trim_start().starts_with("+++") {
        return Err("its front matter is TOML, which candor does not read; write it as YAML between `---` lines".into());
    }
    let (front, body) = split_front_matter(&text).ok_or("it has no front matter between `---` lines")?;
    let meta: FrontMatter =
        from_yaml(front, rel).map_err(|d| format!("its front matter: line {}: {}", d.pos.line + 1, d.message))?;
    if flag(meta.draft.as_ref()) {
        return Err("it is a draft, which cState does not publish; not imported".into());
    }
    if meta.section.as_deref().is_some_and(|s| s.trim() != "issue") {
        return Err(format!(
            "its section is `{}`, so cState does not show it as an issue; not imported",
            meta.section.as_deref().unwrap_or_default()
        ));
    }
    let mut notes = Vec::new();
    let time = |text: Option<&str>, what: &str, notes: &mut Vec<String>| -> Option<Moment> {
        match Moment::parse(text?, zone) {
            Ok((m, note)) => {
                notes.extend(note);
                Some(m)
            }
            Err(e) => {
                notes.push(format!("its {what} {e}; left out"));
                None
            }
        }
    };
    let date = time(meta.date.as_deref(), "date", &mut notes);
    let resolved_when = time(meta.resolved_when.as_deref(), "resolvedWhen", &mut notes);
    let informational = flag(meta.informational.as_ref());
    let (kind, impact) = kind_and_impact(meta.severity.as_deref(), informational, &mut notes);
    let parsed = parse_body(body);
    let timeline = timeline(&parsed, kind, date, resolved_when, &mut |t, n| time(Some(t), "track time", n), &mut notes);
    let started_at = date.or_else(|| timeline.iter().map(|u| u.at).min_by_key(|m| m.at)).ok_or("it has no date")?;
    let resolved = flag(meta.resolved.as_ref());
    let resolved_at = match (kind, resolved, resolved_when) {
        (Kind::Notice, _, _) => None,
        (_, true, Some(end)) => Some(end),
        (_, true, None) => {
            let last = timeline.iter().map(|u| u.at).max_by_key(|m| m.at).unwrap_or(started_at);
            notes.push(format!("it is resolved with no resolvedWhen; it ends at its last update, {last}"));
            Some(last)
        }
        (_, false, Some(_)) => {
            notes.push(
                "it has a resolvedWhen but is not resolved; cState shows it as ongoing, and so does candor".into(),
            );
            None
        }
        (_, false, None) => None,
    };
    let window = (kind == Kind::Maintenance)
        .then(|| resolved_when.filter(|e| e.at > started_at.at).map(|e| (started_at, e)))
        .flatten();
    let postmortem = parsed.postmortem.as_ref().map(|text| {
        let at = resolved_at.or_else(|| timeline.iter().map(|u| u.at).max_by_key(|m| m.at)).unwrap_or(started_at);
        notes
            .push(format!("cState records no time for its post-mortem; it is published at {at}, when the issue ended"));
        (text.clone(), Some(at))
    });
    if !parsed.summary.is_empty() && !timeline.is_empty() {
        notes.push("text outside any update is its summary".into());
    }
    let components =
        meta.affected.as_ref().map(OneOrMany::list).unwrap_or_default().into_iter().map(|name| (name, None)).collect();
    let summary = (!parsed.summary.is_empty() && !parsed.updates.is_empty()).then(|| parsed.summary.join("\n\n"));
    let updates = if timeline.is_empty() {
        let status = default_status(kind);
        vec![SourceUpdate { at: started_at, status, body: parsed.summary.join("\n\n") }]
    } else {
        timeline
    };
    Ok(Some(Item {
        key: rel.display().to_string(),
        aliases: aliases(rel, &meta),
        title: meta.title.unwrap_or_default(),
        kind,
        impact,
        components,
        started_at,
        resolved_at,
        window,
        summary,
        updates,
        postmortem,
        notes,
    }))
}

/// The front matter between the first two `---` lines, and the body after.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start_matches('\u{feff}').strip_prefix("---")?;
    let rest = rest.strip_prefix('\n').or_else(|| rest.strip_prefix(" \n"))?;
    let end = if rest.starts_with("---") { 0 } else { rest.find("\n---")? + 1 };
    let front = &rest[..end];
    let after = &rest[end + 3..];
    Some((front, after.split_once('\n').map_or("", |(_, body)| body)))
}

fn kind_and_impact(severity: Option<&str>, informational: bool, notes: &mut Vec<String>) -> (Kind, Impact) {
    if informational {
        return (Kind::Notice, Impact::None);
    }
    match severity.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        Some("down") => (Kind::Outage, Impact::Major),
        Some("disrupted") => (Kind::Degraded, Impact::Minor),
        Some("notice") => (Kind::Maintenance, Impact::None),
        other => {
            notes.push(format!(
                "its severity is `{}`, not down, disrupted or notice; it is a minor degradation",
                other.unwrap_or("missing")
            ));
            (Kind::Degraded, Impact::Minor)
        }
    }
}

fn default_status(kind: Kind) -> Option<UpdateStatus> {
    match kind {
        Kind::Notice => None,
        Kind::Maintenance => Some(UpdateStatus::Scheduled),
        _ => Some(UpdateStatus::Investigating),
    }
}

/// One paragraph group of the body that is an update.
#[derive(Debug, Default, PartialEq, Eq)]
struct Entry {
    /// The status in emphasis it starts with, as written.
    word: Option<String>,
    /// When cState's `track` shortcode says it was posted, as written.
    time: Option<String>,
    /// Its text, without the status and the shortcode.
    text: String,
}

/// The body split into updates (in the order written), post-mortem and the rest.
#[derive(Debug, Default, PartialEq, Eq)]
struct Body {
    updates: Vec<Entry>,
    postmortem: Option<String>,
    summary: Vec<String>,
}

/// A body's updates, post-mortem and other text.
fn parse_body(body: &str) -> Body {
    let mut out = Body::default();
    let mut current: Option<Entry> = None;
    let mut in_postmortem = false;
    let mut loose = String::new();
    let flush_loose = |loose: &mut String, out: &mut Body| {
        let text = without_rules(loose);
        if !text.is_empty() {
            out.summary.push(text);
        }
        loose.clear();
    };
    for line in body.split_inclusive('\n') {
        if let Some((word, rest)) = marker(line) {
            flush_entry(&mut current, &mut out, in_postmortem);
            flush_loose(&mut loose, &mut out);
            in_postmortem = is_postmortem(&word);
            if in_postmortem {
                out.postmortem.get_or_insert_with(String::new).push_str(rest);
            } else {
                current = Some(Entry { word: Some(word), time: None, text: rest.to_owned() });
            }
        } else if in_postmortem {
            out.postmortem.get_or_insert_with(String::new).push_str(line);
        } else if let Some(entry) = current.as_mut().filter(|e| e.time.is_none()) {
            entry.text.push_str(line);
        } else {
            loose.push_str(line);
        }
        if !in_postmortem && let Some((time, text)) = track(current.as_ref().map_or(&loose, |e| &e.text)) {
            let mut entry = current.take().unwrap_or_default();
            entry.text = text;
            if entry.word.is_none() {
                // Text with a time and no status: its last paragraph is the update.
                loose.clear();
                if let Some(split) = entry.text.trim_end().rfind("\n\n") {
                    let earlier = without_rules(&entry.text[..split]);
                    if !earlier.is_empty() {
                        out.summary.push(earlier);
                    }
                    entry.text = entry.text[split..].to_owned();
                }
            }
            entry.time = Some(time);
            current = Some(entry);
            flush_entry(&mut current, &mut out, false);
        }
    }
    flush_entry(&mut current, &mut out, in_postmortem);
    flush_loose(&mut loose, &mut out);
    if let Some(pm) = out.postmortem.take() {
        let text = without_rules(&pm);
        out.postmortem = (!text.is_empty()).then_some(text);
    }
    out
}

fn flush_entry(current: &mut Option<Entry>, out: &mut Body, _in_postmortem: bool) {
    if let Some(mut entry) = current.take() {
        entry.text = without_rules(&entry.text);
        if !entry.text.is_empty() || entry.word.is_some() || entry.time.is_some() {
            out.updates.push(entry);
        }
    }
}

/// `text` trimmed, without the horizontal rules cState sites put between updates.
fn without_rules(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let is_rule = |l: &str| {
        let t = l.trim();
        t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_'))
    };
    let start = lines.iter().position(|l| !l.trim().is_empty() && !is_rule(l)).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty() && !is_rule(l)).map_or(start, |e| e + 1);
    lines[start..end].join("\n").trim().to_owned()
}

fn is_postmortem(word: &str) -> bool {
    let w: String = word.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphabetic()).collect();
    matches!(w.as_str(), "postmortem" | "rootcause" | "rca" | "incidentreport")
}

/// A status at the start of a line (`*Resolved* -`, `**Update**:`, `_Monitoring_`)
/// or a post-mortem heading (`## Post-mortem`): the word, and the rest of the line.
fn marker(line: &str) -> Option<(String, &str)> {
    let t = line.trim_start();
    if let Some(heading) = t.strip_prefix('#') {
        let title = heading.trim_start_matches('#').trim();
        return is_postmortem(title).then(|| (title.to_owned(), ""));
    }
    let mark = t.chars().next().filter(|c| matches!(c, '*' | '_'))?;
    let open = t.len() - t.trim_start_matches(mark).len();
    if open > 2 {
        return None;
    }
    let inner = &t[open..];
    let close = inner.find(mark)?;
    let word = inner[..close].trim();
    let ok = !word.is_empty()
        && word.len() <= 32
        && word.split_whitespace().count() <= 4
        && word.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    if !ok {
        return None;
    }
    let after = inner[close..].trim_start_matches(mark);
    let rest = after.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix(['-', '–', '—', ':']).map_or(rest, |r| r.trim_start_matches([' ', '\t']));
    // A status is followed by a separator or the end of the line, not by more of a sentence.
    let separated = after.trim_start().is_empty() || after.trim_start().starts_with(['-', '–', '—', ':']);
    separated.then(|| (word.to_owned(), rest))
}

/// cState's `track` shortcode in `text`: its time, and the text without it.
fn track(text: &str) -> Option<(String, String)> {
    for (open, close) in [("{{<", ">}}"), ("{{%", "%}}")] {
        let mut from = 0;
        while let Some(at) = text[from..].find(open).map(|i| from + i) {
            let Some(end) = text[at..].find(close).map(|i| at + i) else { break };
            let inner = text[at + open.len()..end].trim();
            if let Some(arg) = inner.strip_prefix("track") {
                let time = arg.trim().trim_matches(['"', '\'', '`']).trim().to_owned();
                return Some((time, format!("{}{}", &text[..at], &text[end + close.len()..])));
            }
            from = end;
        }
    }
    None
}

/// A status word of a cState site in candor's vocabulary; `None` for words
/// that say nothing of the state ("Update").
fn status_of(word: &str, kind: Kind) -> Option<UpdateStatus> {
    let w = word.trim().to_ascii_lowercase();
    let maintenance = kind == Kind::Maintenance;
    let status = match w.as_str() {
        "investigating" | "investigation" => UpdateStatus::Investigating,
        "identified" => UpdateStatus::Identified,
        "monitoring" => UpdateStatus::Monitoring,
        "resolved" | "fixed" | "solved" | "closed" | "completed" | "complete" | "done" if maintenance => {
            UpdateStatus::Completed
        }
        "resolved" | "fixed" | "solved" | "closed" | "completed" | "complete" | "done" => UpdateStatus::Resolved,
        "scheduled" | "planned" | "upcoming" => UpdateStatus::Scheduled,
        "in progress" | "in-progress" | "started" | "ongoing" => UpdateStatus::InProgress,
        "verifying" => UpdateStatus::Verifying,
        _ => return None,
    };
    Some(status)
}

/// The updates, oldest first, with times: from the shortcode, or for those
/// without one from the issue's date, its end, or the one before.
fn timeline(
    body: &Body,
    kind: Kind,
    date: Option<Moment>,
    resolved_when: Option<Moment>,
    time: &mut dyn FnMut(&str, &mut Vec<String>) -> Option<Moment>,
    notes: &mut Vec<String>,
) -> Vec<SourceUpdate> {
    let timed: Vec<Option<Moment>> =
        body.updates.iter().map(|e| e.time.as_deref().and_then(|t| time(t, notes))).collect();
    // cState sites write the newest first; a site that writes the oldest first says so by its times.
    let known: Vec<Moment> = timed.iter().flatten().copied().collect();
    let oldest_first =
        known.len() >= 2 && known.windows(2).all(|w| w[0].at <= w[1].at) && known.first() != known.last();
    let mut order: Vec<usize> = (0..body.updates.len()).collect();
    if !oldest_first {
        order.reverse();
    }
    let mut out: Vec<SourceUpdate> = Vec::with_capacity(order.len());
    let last = order.len().saturating_sub(1);
    for (position, &i) in order.iter().enumerate() {
        let entry = &body.updates[i];
        let previous = out.last().map(|u: &SourceUpdate| u.at);
        let at = match timed[i] {
            Some(at) => at,
            None => {
                let (at, from) = match (position, previous) {
                    (p, _) if p == last && resolved_when.is_some() && position > 0 => {
                        (resolved_when, "when it was resolved")
                    }
                    (0, _) => (date, "the issue's date"),
                    (_, Some(p)) => (Some(p), "the time of the update before"),
                    _ => (date, "the issue's date"),
                };
                let Some(at) = at.or(previous).or(date) else { continue };
                notes.push(format!("an update has no time in cState; it is shown at {at}, {from}"));
                at
            }
        };
        let status = match (kind, entry.word.as_deref()) {
            (Kind::Notice, _) => None,
            (_, Some(word)) => status_of(word, kind).or_else(|| {
                let kept = out.last().and_then(|u| u.status).or(default_status(kind));
                notes.push(format!(
                    "the update at {at} is marked `{word}`, which is not a status; it keeps the status before, {}",
                    kept.map_or("none", UpdateStatus::as_str)
                ));
                kept
            }),
            (_, None) => out.last().and_then(|u| u.status).or(default_status(kind)),
        };
        out.push(SourceUpdate { at, status, body: entry.text.clone() });
    }
    out
}

/// `issues/SLUG/` as Hugo makes it (lower case, `url` and `slug` honoured),
/// and the issue's own Hugo `aliases`.
fn aliases(rel: &Path, meta: &FrontMatter) -> Vec<String> {
    let under = rel.strip_prefix("content").unwrap_or(rel).with_extension("");
    let mut path: Vec<String> = under.iter().map(|p| urlize(&p.to_string_lossy())).collect();
    if let Some(slug) = meta.slug.as_deref().filter(|s| !s.trim().is_empty()) {
        path.pop();
        path.push(urlize(slug));
    }
    let own = match meta.url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => url.trim().trim_start_matches('/').to_owned(),
        None => format!("{}/", path.join("/")),
    };
    let mut out = vec![own];
    for alias in meta.aliases.as_ref().map(OneOrMany::list).unwrap_or_default() {
        out.push(alias.trim().trim_start_matches('/').to_owned());
    }
    out
}

/// A path segment as Hugo writes it in URLs: lower case, spaces as hyphens,
/// only letters, digits and `._-+~` kept.
fn urlize(segment: &str) -> String {
    segment
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some('-'),
            c if c.is_alphanumeric() || "._-+~".contains(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_split_into_updates_post_mortems_and_the_rest() {
        let body = "Intro text.\n\n*Post-mortem*\n\nWhat happened.\n\n---\n\n*Update* - Fixed now. {{< track \"2018-04-13 17:30:00\" >}}\n\n*Monitoring* - Watching.\nStill watching. {{< track \"2018-04-13 16:50:00\" >}}\n\n*Investigating* - Looking. {{< track \"2018-04-13 15:54:00\" >}}\n";
        let parsed = parse_body(body);
        assert_eq!(parsed.summary, ["Intro text."]);
        assert_eq!(parsed.postmortem.as_deref(), Some("What happened."));
        let got: Vec<(Option<&str>, Option<&str>, &str)> =
            parsed.updates.iter().map(|e| (e.word.as_deref(), e.time.as_deref(), e.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some("Update"), Some("2018-04-13 17:30:00"), "Fixed now."),
                (Some("Monitoring"), Some("2018-04-13 16:50:00"), "Watching.\nStill watching."),
                (Some("Investigating"), Some("2018-04-13 15:54:00"), "Looking."),
            ]
        );
    }

    #[test]
    fn updates_without_a_marker_or_a_time_are_still_updates() {
        let parsed = parse_body(
            "Our servers are down. {{< track \"2024-02-24 10:35:00\" >}}\n\n---\n\n*Fixed* - Back up. {{% track '2024-02-24 10:40' %}}\n",
        );
        let got: Vec<(Option<&str>, &str)> =
            parsed.updates.iter().map(|e| (e.word.as_deref(), e.text.as_str())).collect();
        assert_eq!(got, [(None, "Our servers are down."), (Some("Fixed"), "Back up.")]);
        assert!(parsed.summary.is_empty());
        let untimed = parse_body("*Update* - This incident has been resolved.\n\n*Investigating* - We're aware.\n");
        assert_eq!(untimed.updates.len(), 2);
        assert_eq!(untimed.updates[1].text, "We're aware.");
        let plain = parse_body("There may be disruptions in the rollout.\n");
        assert_eq!((plain.updates.len(), plain.summary.len()), (0, 1));
    }

    #[test]
    fn only_short_emphasis_followed_by_a_separator_is_a_status() {
        assert_eq!(marker("*Resolved* - Fixed."), Some(("Resolved".into(), "Fixed.")));
        assert_eq!(marker("**Update**: more"), Some(("Update".into(), "more")));
        assert_eq!(marker("*Resolved* -\n"), Some(("Resolved".into(), "\n")));
        assert_eq!(marker("*This issue has been ongoing for a number of checks.* more"), None);
        assert_eq!(marker("*italic* text that goes on"), None);
        assert_eq!(marker("## Post-mortem\n"), Some(("Post-mortem".into(), "")));
        assert_eq!(marker("## Impact\n"), None);
    }

    #[test]
    fn addresses_follow_hugo() {
        let meta = FrontMatter::default();
        assert_eq!(aliases(Path::new("content/issues/2018-05-25 US East.md"), &meta), ["issues/2018-05-25-us-east/"]);
        let meta = FrontMatter {
            slug: Some("custom".into()),
            aliases: Some(OneOrMany::One("/old/one/".into())),
            ..FrontMatter::default()
        };
        assert_eq!(aliases(Path::new("content/issues/2019/x.md"), &meta), ["issues/2019/custom/", "old/one/"]);
    }
}
