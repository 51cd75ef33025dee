//! Reading an Atlassian Statuspage page into the neutral [`Source`].
//!
//! Three ways in, one shape out:
//!
//! - the page's address (`https://status.example.com`): its public API v2,
//!   `summary.json`, `components.json`, `incidents.json` (the latest 50) and
//!   `scheduled-maintenances.json`;
//! - a folder of those files saved earlier (or of the manage API's lists:
//!   `page.json`, `components.json`, `component-groups.json`,
//!   `incidents.json`, as bare arrays);
//! - the manage API v1 (`https://api.statuspage.io/v1/pages/PAGE_ID`, or any
//!   address whose path ends in `/v1/pages/PAGE_ID`), which holds the whole
//!   history, page by page, with the key from [`KEY_VARIABLE`].
//!
//! Each incident keeps its updates (the time shown, `display_at`, its
//! status and body), the worst status each component had in it, its start,
//! end and maintenance window, a `monitoring_at` with no `monitoring`
//! update as one, its published post-mortem, and `incidents/ID` as its old
//! address.

use std::collections::HashMap;
use std::path::Path;

use jiff::tz::TimeZone;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::http::Client;
use super::incident::status_word;
use super::{ImportError, Item, Moment, Note, Page, Source, SourceComponent, SourceUpdate};
use crate::model::{ComponentStatus, Impact, Kind, UpdateStatus};

/// The environment variable the manage API's key is read from.
pub const KEY_VARIABLE: &str = "STATUSPAGE_API_KEY";

/// The tool's name, in reports and files.
pub const TOOL: &str = "Statuspage";

/// How many records the manage API returns per request, at most.
const PER_PAGE: usize = 100;
/// The most requests one list may take: a million records.
const MAX_PAGES: usize = 10_000;
/// The largest saved file read, in bytes.
const MAX_FILE: usize = 1024 * 1024 * 1024;

/// Where a page's data is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// A folder of saved JSON files.
    Folder(std::path::PathBuf),
    /// The public API v2 under the page's address.
    Public(String),
    /// The manage API v1 of one page: its address up to the page id.
    Manage(String),
}

impl Address {
    /// What `src` names: a folder, the manage API, or a page's address.
    pub fn of(src: &str) -> Result<Address, ImportError> {
        if Path::new(src).is_dir() {
            return Ok(Address::Folder(src.into()));
        }
        let lower = src.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(ImportError::Source(format!(
                "`{src}` is neither a folder nor an http(s) address; give the page's address (https://status.example.com), a folder of its JSON files, or https://api.statuspage.io/v1/pages/PAGE_ID"
            )));
        }
        let trimmed = src.split(['?', '#']).next().unwrap_or(src).trim_end_matches('/');
        if let Some(at) = trimmed.find("/v1/pages/") {
            let id_start = at + "/v1/pages/".len();
            let id_end = trimmed[id_start..].find('/').map_or(trimmed.len(), |i| id_start + i);
            if id_end > id_start {
                return Ok(Address::Manage(trimmed[..id_end].to_owned()));
            }
        }
        let base = trimmed.strip_suffix(".json").map_or(trimmed, |t| t.rsplit_once('/').map_or(t, |(b, _)| b));
        let base = base.strip_suffix("/api/v2").unwrap_or(base);
        Ok(Address::Public(base.to_owned()))
    }
}

/// Reads everything the page at `src` holds.
pub fn read(src: &str) -> Result<Source, ImportError> {
    let address = Address::of(src)?;
    let (raw, origin) = match &address {
        Address::Folder(dir) => (from_folder(dir)?, dir.display().to_string()),
        Address::Public(base) => (from_public(base).map_err(ImportError::Source)?, base.clone()),
        Address::Manage(base) => (from_manage(base).map_err(ImportError::Source)?, base.clone()),
    };
    let mut source = convert(raw);
    source.origin = origin;
    if matches!(address, Address::Public(_))
        && source.items.iter().filter(|i| i.kind != Kind::Maintenance).count() >= 50
    {
        source.notes.push(Note {
            item: "incidents.json".into(),
            what: format!("the public API lists only the latest 50 incidents; the manage API (https://api.statuspage.io/v1/pages/PAGE_ID, with {KEY_VARIABLE}) has the whole history"),
        });
    }
    Ok(source)
}

/// What the API's files hold, before conversion.
#[derive(Debug, Default)]
struct Raw {
    page: Option<ApiPage>,
    components: Vec<ApiComponent>,
    groups: Vec<ApiGroup>,
    incidents: Vec<ApiIncident>,
}

impl Raw {
    /// Adds incidents, keeping of two with the same id the one with more updates.
    fn add_incidents(&mut self, list: Vec<ApiIncident>) {
        for incident in list {
            match self.incidents.iter_mut().find(|i| i.id.is_some() && i.id == incident.id) {
                Some(known) if known.incident_updates.len() < incident.incident_updates.len() => *known = incident,
                Some(_) => {}
                None => self.incidents.push(incident),
            }
        }
    }

    fn add(&mut self, file: ApiFile) {
        if self.page.is_none() {
            self.page = file.page;
        }
        if self.components.is_empty() {
            self.components = file.components;
        }
        self.add_incidents(file.incidents);
        self.add_incidents(file.scheduled_maintenances);
    }
}

/// `page` in any of the API's files.
#[derive(Debug, Default, Deserialize)]
struct ApiPage {
    name: Option<String>,
    url: Option<String>,
    time_zone: Option<String>,
    domain: Option<String>,
    subdomain: Option<String>,
    page_description: Option<String>,
}

/// A component or (in v2) a group of them.
#[derive(Clone, Debug, Deserialize)]
struct ApiComponent {
    id: String,
    name: Option<String>,
    description: Option<String>,
    position: Option<i64>,
    group_id: Option<String>,
    #[serde(default)]
    group: bool,
    #[serde(default)]
    components: Vec<String>,
}

/// A component group of the manage API.
#[derive(Clone, Debug, Deserialize)]
struct ApiGroup {
    id: String,
    name: Option<String>,
    description: Option<String>,
    position: Option<i64>,
    #[serde(default)]
    components: Vec<String>,
}

/// An incident or a scheduled maintenance.
#[derive(Clone, Debug, Default, Deserialize)]
struct ApiIncident {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    impact: Option<String>,
    impact_override: Option<String>,
    created_at: Option<String>,
    started_at: Option<String>,
    resolved_at: Option<String>,
    monitoring_at: Option<String>,
    scheduled_for: Option<String>,
    scheduled_until: Option<String>,
    #[serde(default)]
    incident_updates: Vec<ApiUpdate>,
    #[serde(default)]
    components: Vec<ApiComponentRef>,
    postmortem_body: Option<String>,
    postmortem_published_at: Option<serde_json::Value>,
    postmortem_body_last_updated_at: Option<String>,
    postmortem_ignored: Option<bool>,
}

#[derive(Clone, Debug, Deserialize)]
struct ApiComponentRef {
    id: Option<String>,
    status: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct ApiUpdate {
    status: Option<String>,
    body: Option<String>,
    created_at: Option<String>,
    display_at: Option<String>,
    #[serde(default)]
    affected_components: Option<Vec<ApiAffected>>,
}

#[derive(Clone, Debug, Deserialize)]
struct ApiAffected {
    code: Option<String>,
    new_status: Option<String>,
}

/// A file of the public API: any of its objects.
#[derive(Debug, Default, Deserialize)]
struct ApiFile {
    page: Option<ApiPage>,
    #[serde(default)]
    components: Vec<ApiComponent>,
    #[serde(default)]
    incidents: Vec<ApiIncident>,
    #[serde(default)]
    scheduled_maintenances: Vec<ApiIncident>,
}

/// `text` as `T`, or an error naming `what`, the line and column, and where in the data.
fn parse<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        // Where the parser stopped before knowing the field, the path ends in `?`.
        let path = path.split(".?").next().unwrap_or(&path).to_owned();
        let inner = e.inner();
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        let at = if path == "." || path.is_empty() { String::new() } else { format!(" (at `{path}`)") };
        format!("{what}, line {}, column {}: {message}{at}", inner.line(), inner.column())
    })
}

/// Whether the text is a JSON array (the manage API's lists) rather than an object.
fn is_array(text: &str) -> bool {
    text.trim_start().starts_with('[')
}

/// The files in `dir`, read into one.
fn from_folder(dir: &Path) -> Result<Raw, ImportError> {
    let mut raw = Raw::default();
    let mut found = false;
    for name in [
        "summary.json",
        "components.json",
        "incidents.json",
        "scheduled-maintenances.json",
        "page.json",
        "component-groups.json",
    ] {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        found = true;
        let shown = path.display().to_string();
        let text = crate::files::read_text_up_to(&path, &path, MAX_FILE)
            .map_err(|d| ImportError::Source(format!("{shown}: {}", d.message)))?;
        add_file(&mut raw, name, &text, &shown).map_err(ImportError::Source)?;
    }
    if !found {
        return Err(ImportError::Source(format!(
            "{} holds no Statuspage files: expected summary.json, components.json, incidents.json or scheduled-maintenances.json (as the public API gives them), or the manage API's page.json, component-groups.json and lists",
            dir.display()
        )));
    }
    Ok(raw)
}

/// Reads one file's text into `raw`, by its name and shape.
fn add_file(raw: &mut Raw, name: &str, text: &str, shown: &str) -> Result<(), String> {
    match (name, is_array(text)) {
        ("page.json", _) => raw.page = Some(parse(text, shown)?),
        ("component-groups.json", _) => raw.groups = parse(text, shown)?,
        ("components.json", true) => raw.components = parse(text, shown)?,
        ("incidents.json" | "scheduled-maintenances.json", true) => raw.add_incidents(parse(text, shown)?),
        _ => raw.add(parse(text, shown)?),
    }
    Ok(())
}

/// The public API v2 under `base`.
fn from_public(base: &str) -> Result<Raw, String> {
    let client = Client::new(None);
    let mut raw = Raw::default();
    let mut found = false;
    for name in ["summary.json", "components.json", "incidents.json", "scheduled-maintenances.json"] {
        let url = format!("{base}/api/v2/{name}");
        if let Some(text) = client.get(&url)? {
            add_file(&mut raw, name, &text, &url)?;
            found = true;
        }
    }
    if !found {
        return Err(format!("{base} has no Statuspage API: {base}/api/v2/summary.json is not there"));
    }
    Ok(raw)
}

/// The manage API v1 of the page at `base`, every list page by page.
fn from_manage(base: &str) -> Result<Raw, String> {
    let key = std::env::var(KEY_VARIABLE).ok().filter(|k| !k.trim().is_empty()).ok_or_else(|| {
        format!("the manage API needs an API key: set {KEY_VARIABLE} to a key from Statuspage's API info page")
    })?;
    let client = Client::new(Some(format!("OAuth {}", key.trim())));
    let page_text = client.get(base)?.ok_or_else(|| format!("{base} is not there (404): check the page id"))?;
    Ok(Raw {
        page: Some(parse(&page_text, base)?),
        components: pages(&client, &format!("{base}/components"), "per_page")?,
        groups: pages(&client, &format!("{base}/component-groups"), "per_page")?,
        incidents: pages(&client, &format!("{base}/incidents"), "limit")?,
    })
}

/// Every record of a paginated list: page 1, 2, ... until one is empty (a
/// short page is not the end: a server may give fewer than asked for).
fn pages<T: DeserializeOwned>(client: &Client, url: &str, size: &str) -> Result<Vec<T>, String> {
    let mut all = Vec::new();
    for page in 1..=MAX_PAGES {
        let address = format!("{url}?page={page}&{size}={PER_PAGE}");
        let Some(text) = client.get(&address)? else { break };
        let batch: Vec<T> = parse(&text, &address)?;
        if batch.is_empty() {
            break;
        }
        all.extend(batch);
    }
    Ok(all)
}

/// The page's data in the neutral form.
fn convert(raw: Raw) -> Source {
    let mut notes = Vec::new();
    let page = raw.page.unwrap_or_default();
    let zone = page.time_zone.as_deref().and_then(|z| TimeZone::get(z).ok()).unwrap_or(TimeZone::UTC);
    let base_url = match (&page.domain, &page.subdomain) {
        (Some(domain), _) if !domain.trim().is_empty() => Some(format!("https://{}/", domain.trim())),
        (_, Some(sub)) if !sub.trim().is_empty() => Some(format!("https://{}.statuspage.io/", sub.trim())),
        _ => page.url.clone(),
    };
    let components = components(&raw.components, &raw.groups, &mut notes);
    let names: HashMap<&str, &str> = components.iter().map(|c| (c.key.as_str(), c.name.as_str())).collect();
    let mut items = Vec::with_capacity(raw.incidents.len());
    for incident in &raw.incidents {
        match item(incident, &zone, &names) {
            Ok(item) => items.push(item),
            Err(why) => notes.push(Note {
                item: incident.id.clone().map_or_else(|| "an incident".to_owned(), |id| format!("incident {id}")),
                what: why,
            }),
        }
    }
    Source {
        tool: TOOL,
        origin: String::new(),
        page: Page { title: page.name, timezone: page.time_zone, base_url, description: page.page_description },
        components,
        items,
        notes,
    }
}

/// Components in the order the page shows them, each with its group's name.
fn components(list: &[ApiComponent], groups: &[ApiGroup], notes: &mut Vec<Note>) -> Vec<SourceComponent> {
    // Groups come as components with `group: true` (v2) or from their own list (v1).
    let mut all_groups: Vec<ApiGroup> = groups.to_vec();
    for c in list.iter().filter(|c| c.group) {
        if !all_groups.iter().any(|g| g.id == c.id) {
            all_groups.push(ApiGroup {
                id: c.id.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                position: c.position,
                components: c.components.clone(),
            });
        }
    }
    let group_of = |c: &ApiComponent| -> Option<&ApiGroup> {
        c.group_id
            .as_ref()
            .and_then(|g| all_groups.iter().find(|x| &x.id == g))
            .or_else(|| all_groups.iter().find(|g| g.components.contains(&c.id)))
    };
    for g in all_groups.iter().filter(|g| g.description.as_deref().is_some_and(|d| !d.trim().is_empty())) {
        notes.push(Note {
            item: format!("group {}", g.name.as_deref().unwrap_or(&g.id)),
            what: "groups have no description in candor; its description is left out".into(),
        });
    }
    // Top-level entries (groups and components outside any) by position, then members by position.
    let mut top: Vec<(i64, usize, Option<&ApiGroup>, Option<&ApiComponent>)> = Vec::new();
    let members: Vec<&ApiComponent> = list.iter().filter(|c| !c.group).collect();
    for (i, g) in all_groups.iter().enumerate() {
        top.push((g.position.unwrap_or(i64::MAX), i, Some(g), None));
    }
    for (i, c) in members.iter().enumerate().filter(|(_, c)| group_of(c).is_none()) {
        top.push((c.position.unwrap_or(i64::MAX), all_groups.len() + i, None, Some(*c)));
    }
    top.sort_by_key(|(position, order, _, _)| (*position, *order));
    let mut out = Vec::new();
    for (_, _, group, single) in top {
        let mut chosen: Vec<&ApiComponent> = match (group, single) {
            (Some(g), _) => members.iter().copied().filter(|c| group_of(c).is_some_and(|x| x.id == g.id)).collect(),
            (None, Some(c)) => vec![c],
            _ => Vec::new(),
        };
        chosen.sort_by_key(|c| c.position.unwrap_or(i64::MAX));
        for c in chosen {
            out.push(SourceComponent {
                key: c.id.clone(),
                name: c.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| c.id.clone()),
                group: group.and_then(|g| g.name.clone()),
                description: c.description.clone().filter(|d| !d.trim().is_empty()),
            });
        }
    }
    out
}

/// A status word of Statuspage's, in candor's vocabulary.
fn update_status(word: &str) -> Option<UpdateStatus> {
    let all = UpdateStatus::INCIDENT.into_iter().chain(UpdateStatus::MAINTENANCE);
    match word {
        "postmortem" => Some(UpdateStatus::Resolved),
        _ => all.into_iter().find(|s| s.as_str() == word),
    }
}

fn component_status(word: &str) -> Option<ComponentStatus> {
    ComponentStatus::ALL.into_iter().find(|s| s.as_str() == word)
}

/// Reads times in a page's zone, noting what it cannot read.
struct Times<'z> {
    zone: &'z TimeZone,
    notes: Vec<String>,
}

impl Times<'_> {
    fn read(&mut self, text: Option<&str>, what: &str) -> Option<Moment> {
        match Moment::parse(text?, self.zone) {
            Ok((m, note)) => {
                self.notes.extend(note);
                Some(m)
            }
            Err(e) => {
                self.notes.push(format!("its {what} {e}; left out"));
                None
            }
        }
    }
}

/// One incident or maintenance in the neutral form, or why it cannot be.
fn item(inc: &ApiIncident, zone: &TimeZone, components: &HashMap<&str, &str>) -> Result<Item, String> {
    let id = inc.id.clone().filter(|id| !id.trim().is_empty()).ok_or("it has no id")?;
    let mut t = Times { zone, notes: Vec::new() };
    let created = t.read(inc.created_at.as_deref(), "created_at");
    let started = t.read(inc.started_at.as_deref(), "started_at");
    let resolved_at = t.read(inc.resolved_at.as_deref(), "resolved_at");
    let monitoring = t.read(inc.monitoring_at.as_deref(), "monitoring_at");
    let scheduled_for = t.read(inc.scheduled_for.as_deref(), "scheduled_for");
    let scheduled_until = t.read(inc.scheduled_until.as_deref(), "scheduled_until");
    let postmortem_updated = t.read(inc.postmortem_body_last_updated_at.as_deref(), "postmortem_body_last_updated_at");
    let impact_word = inc.impact_override.as_deref().or(inc.impact.as_deref()).unwrap_or("none");
    let words: Vec<&str> =
        inc.incident_updates.iter().filter_map(|u| u.status.as_deref()).chain(inc.status.as_deref()).collect();
    let maintenance = scheduled_for.is_some()
        || impact_word == "maintenance"
        || words.iter().any(|w| matches!(*w, "scheduled" | "in_progress" | "verifying" | "completed"));
    let impact = match Impact::ALL.into_iter().find(|i| i.as_str() == impact_word) {
        Some(impact) => impact,
        None if maintenance => Impact::None,
        None => {
            t.notes.push(format!("its impact `{impact_word}` is not Statuspage's; it is `minor`"));
            Impact::Minor
        }
    };
    let kind = match (maintenance, impact) {
        (true, _) => Kind::Maintenance,
        (false, Impact::Major | Impact::Critical) => Kind::Outage,
        _ => Kind::Degraded,
    };
    let (mut updates, affected) = updates(inc, &mut t);
    if let Some(at) = monitoring.filter(|_| kind != Kind::Maintenance)
        && !updates.iter().any(|u| u.status == Some(UpdateStatus::Monitoring))
    {
        updates.push(SourceUpdate {
            at,
            status: Some(UpdateStatus::Monitoring),
            body: status_word(UpdateStatus::Monitoring).to_owned(),
        });
        t.notes.push(format!("it was monitored from {at} with no update saying so; a `monitoring` update marks it"));
    }
    let mut notes = t.notes;
    let components = incident_components(inc, &affected, components, &mut notes);
    let first_update = updates.iter().map(|u| u.at).min_by_key(|m| m.at);
    let started_at = if maintenance { created.or(first_update) } else { started.or(created).or(first_update) }
        .ok_or("it has no time at all")?;
    let window = match (scheduled_for, scheduled_until) {
        (Some(start), Some(end)) => Some((start, end)),
        _ => None,
    };
    let postmortem = postmortem(inc, postmortem_updated, &mut notes);
    Ok(Item {
        key: format!("incident {id}"),
        aliases: vec![format!("incidents/{id}")],
        title: inc.name.clone().unwrap_or_default(),
        kind,
        impact: if maintenance { Impact::None } else { impact },
        components,
        started_at,
        resolved_at,
        window,
        summary: None,
        updates,
        postmortem,
        notes,
    })
}

/// The updates, at the time readers saw them (`display_at`), and the statuses
/// each component was given in them.
fn updates(inc: &ApiIncident, t: &mut Times<'_>) -> (Vec<SourceUpdate>, Vec<(String, Vec<ComponentStatus>)>) {
    let mut updates = Vec::new();
    let mut affected: Vec<(String, Vec<ComponentStatus>)> = Vec::new();
    for u in &inc.incident_updates {
        let shown = t.read(u.display_at.as_deref(), "update's display_at");
        let Some(at) = shown.or_else(|| t.read(u.created_at.as_deref(), "update's created_at")) else {
            t.notes.push("an update without a time is left out".to_owned());
            continue;
        };
        let status = u.status.as_deref().and_then(update_status);
        if let Some(word) = u.status.as_deref().filter(|w| *w == "postmortem" || update_status(w).is_none()) {
            t.notes.push(format!("the update at {at} has the status `{word}`, which candor does not have"));
        }
        updates.push(SourceUpdate { at, status, body: u.body.clone().unwrap_or_default() });
        for a in u.affected_components.iter().flatten() {
            let (Some(code), Some(status)) = (&a.code, a.new_status.as_deref().and_then(component_status)) else {
                continue;
            };
            match affected.iter_mut().find(|(c, _)| c == code) {
                Some((_, seen)) => seen.push(status),
                None => affected.push((code.clone(), vec![status])),
            }
        }
    }
    (updates, affected)
}

/// The components an incident affected, each with the worst status it had in
/// any update (or, without any, the status the incident lists or none).
fn incident_components(
    inc: &ApiIncident,
    affected: &[(String, Vec<ComponentStatus>)],
    known: &HashMap<&str, &str>,
    notes: &mut Vec<String>,
) -> Vec<(String, Option<ComponentStatus>)> {
    let mut out: Vec<(String, Option<ComponentStatus>)> = Vec::new();
    for (code, seen) in affected {
        let worst = seen.iter().copied().filter(|s| *s != ComponentStatus::Operational).max();
        let mut distinct: Vec<ComponentStatus> =
            seen.iter().copied().filter(|s| *s != ComponentStatus::Operational).collect();
        distinct.dedup();
        if distinct.len() > 1 {
            let path: Vec<&str> = distinct.iter().map(|s| s.as_str()).collect();
            let name = known.get(code.as_str()).copied().unwrap_or(code);
            notes.push(format!(
                "{name} went {} during it; candor keeps one status per component: the worst, {}",
                path.join(" → "),
                worst.map_or("", ComponentStatus::as_str)
            ));
        }
        if let Some(worst) = worst {
            out.push((code.clone(), Some(worst)));
        }
    }
    if out.is_empty() {
        for c in &inc.components {
            if let Some(id) = &c.id {
                let status =
                    c.status.as_deref().and_then(component_status).filter(|s| *s != ComponentStatus::Operational);
                out.push((id.clone(), status));
            }
        }
    }
    out
}

/// A published post-mortem (or a draft), unless Statuspage was told to ignore it.
fn postmortem(inc: &ApiIncident, updated: Option<Moment>, notes: &mut Vec<String>) -> Option<(String, Option<Moment>)> {
    let body = inc.postmortem_body.clone().filter(|b| !b.trim().is_empty());
    if inc.postmortem_ignored == Some(true) {
        if body.is_some() {
            notes.push("its post-mortem was marked ignored on Statuspage; it is left out".to_owned());
        }
        return None;
    }
    let Some(body) = body else {
        if inc.status.as_deref() == Some("postmortem") {
            notes.push(
                "it has a published post-mortem, but the data read does not hold its text (the manage API does)"
                    .to_owned(),
            );
        }
        return None;
    };
    let published = match &inc.postmortem_published_at {
        Some(serde_json::Value::String(text)) => match Moment::parse(text, &TimeZone::UTC) {
            Ok((m, _)) => Some(m),
            Err(e) => {
                notes.push(format!("its post-mortem's publication time {e}; it is imported unpublished"));
                None
            }
        },
        Some(serde_json::Value::Bool(true)) => {
            notes.push("its post-mortem is published, with no time; it takes the time it was last edited".to_owned());
            updated
        }
        _ => None,
    };
    Some((body, published))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_a_folder_the_public_api_or_the_manage_api() {
        let public = |s: &str| Address::of(s).unwrap();
        assert_eq!(public("https://status.example.com"), Address::Public("https://status.example.com".into()));
        assert_eq!(
            public("https://status.example.com/api/v2/summary.json"),
            Address::Public("https://status.example.com".into())
        );
        assert_eq!(public("https://status.example.com/api/v2/"), Address::Public("https://status.example.com".into()));
        assert_eq!(
            public("https://api.statuspage.io/v1/pages/abc123/incidents?page=2"),
            Address::Manage("https://api.statuspage.io/v1/pages/abc123".into())
        );
        assert_eq!(
            public("http://127.0.0.1:8080/v1/pages/p1"),
            Address::Manage("http://127.0.0.1:8080/v1/pages/p1".into())
        );
        assert!(Address::of("status.example.com").is_err());
    }

    #[test]
    fn malformed_json_is_located() {
        let err = parse::<ApiFile>("{\n  \"incidents\": [\n    { \"id\": 5 }\n  ]\n}", "incidents.json").unwrap_err();
        assert!(
            err.starts_with(
                "incidents.json, line 3, column 13: invalid type: integer `5`, expected a string (at `incidents[0].id`)"
            ),
            "{err}"
        );
        let err = parse::<ApiFile>("{ \"incidents\": [ }", "x.json").unwrap_err();
        assert!(err.starts_with("x.json, line 1, column 18: "), "{err}");
    }
}
