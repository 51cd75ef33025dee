//! Writing incidents from the command line: `candor new` and `candor update`.
//!
//! Both validate the result against the site before writing anything, and
//! write atomically (a temporary file, then a rename), so a typo or a crash
//! never leaves a broken or half-written incident. Every value is written
//! with [`crate::yaml`], so any text reads back exactly as given.
//!
//! `update` edits the file as text, so the author's comments, order and
//! formatting survive: it finds the end of the timeline from the parsed
//! document's positions (never from the text's shape, which a Markdown
//! heading or a quoted title can imitate), inserts the new update there, and
//! then checks the result structurally: the document must read back as
//! before with exactly the new update added (and, when it is final,
//! `resolved_at` set). Concurrent edits of one site are serialised by a lock
//! on its `incidents/` folder, so no run reports success for an update the
//! file does not hold.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::{SignedDuration, Span, Timestamp};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::files::{lock_folder, read_text, write_atomically};
use crate::input::{RawIncident, RawText, from_yaml};
use crate::load::{self, INCIDENTS_DIR};
use crate::model::{Impact, IncidentId, Kind, Site, UpdateStatus, is_slug};
use crate::{schema, validate, yaml};

/// How long `new` and `update` wait for another run editing the same site.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Why writing an incident failed; the file on disk is unchanged.
#[derive(Debug)]
pub enum AuthorError {
    /// The result would not validate, or the site itself has errors.
    Invalid(Vec<Diagnostic>),
    /// Something about the request is wrong.
    Usage(String),
}

/// What `candor new` needs.
#[derive(Clone, Debug)]
pub struct NewIncident {
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: Kind,
    /// Its impact; a default for the kind when `None`.
    pub impact: Option<Impact>,
    /// Affected component ids.
    pub components: Vec<String>,
    /// When it started (for maintenance and notices: when it is announced).
    pub started_at: Timestamp,
    /// When it was detected, if that is known and differs from the start.
    pub detected_at: Option<Timestamp>,
    /// When the first public update is published: now.
    pub first_update_at: Timestamp,
    /// What the first update says (Markdown).
    pub body: String,
    /// The promise of the next update (incidents only).
    pub next_update_by: Option<Timestamp>,
    /// The maintenance window (maintenance only, required there).
    pub window: Option<(Timestamp, Timestamp)>,
}

/// What `candor update` needs.
#[derive(Clone, Debug)]
pub struct NewUpdate {
    /// The new status; `None` keeps the incident's current one.
    pub status: Option<UpdateStatus>,
    /// When the update is published.
    pub at: Timestamp,
    /// The promise of the next update, if any.
    pub next_update_by: Option<Timestamp>,
    /// The Markdown body.
    pub body: String,
}

/// The text `new` writes when the author gave none: a placeholder that
/// `check` and `build` refuse, so an instruction is never published.
pub fn placeholder(kind: Kind) -> &'static str {
    match kind {
        Kind::Maintenance => "[[ Say what will happen, what people will notice, and what they should do. ]]",
        Kind::Notice => "[[ Say what is changing, when, why, and what people should do. ]]",
        _ => "[[ Say what people notice, what they can do meanwhile, and what you know so far. ]]",
    }
}

/// An RFC 3339 time with the site's offset, as written into files.
pub fn written_time(ts: Timestamp, site: &Site) -> String {
    let zoned = ts.to_zoned_datetime(site.timezone.clone());
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Reads `--next-update`: a duration after `at` (`30m`, `+1h30m`), a clock
/// time in the site's zone (`13:00`: today, or tomorrow when it has passed),
/// or a date and time.
pub fn next_update(text: &str, at: Timestamp, site: &Site) -> Result<Timestamp, String> {
    let trimmed = text.trim();
    let duration = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let parsed = duration
        .parse::<Span>()
        .ok()
        .and_then(|span| SignedDuration::try_from(span).ok())
        .or_else(|| duration.parse::<SignedDuration>().ok());
    if let Some(d) = parsed {
        if !d.is_positive() {
            return Err(format!("--next-update `{text}`: the next update must come after this one"));
        }
        return at.checked_add(d).map_err(|e| format!("--next-update `{text}`: {e}"));
    }
    if let Some(ts) = clock_time(trimmed, at, site) {
        return Ok(ts);
    }
    crate::time::parse_timestamp(trimmed, &site.timezone).map_err(|e| {
        format!(
            "--next-update `{text}` is neither a duration such as 30m, a time of day such as 13:00, nor a date and time: {}",
            e.message(text).0
        )
    })
}

/// A moment the author names for something that already happened: a time of
/// day (`09:12`, today in the site's zone, or yesterday when that is still
/// ahead) or a date and time.
pub fn past_time(text: &str, now: Timestamp, site: &Site) -> Result<Timestamp, crate::time::TimeError> {
    let trimmed = text.trim();
    if let Some(next) = clock_time(trimmed, now, site) {
        // The next such moment, a day earlier: the last one at or before now.
        let back = next.to_zoned_datetime(site.timezone.clone()).yesterday().map(|z| z.timestamp());
        return back.map_err(|e| crate::time::TimeError::Malformed(e.to_string()));
    }
    crate::time::parse_timestamp(trimmed, &site.timezone)
}

/// `HH:MM` in the site's zone: the next such moment after `at`.
fn clock_time(text: &str, at: Timestamp, site: &Site) -> Option<Timestamp> {
    let time: jiff::civil::Time = text.parse().ok().filter(|_| text.len() <= 8 && text.contains(':'))?;
    let here = at.to_zoned_datetime(site.timezone.clone());
    let today = here.date().to_datetime(time).to_zoned_datetime(site.timezone.clone()).ok()?;
    let when = if today.timestamp() > at {
        today
    } else {
        here.date().tomorrow().ok()?.to_datetime(time).to_zoned_datetime(site.timezone.clone()).ok()?
    };
    Some(when.timestamp())
}

/// The URL slug of a title: lower-case ASCII words joined by hyphens.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'ä' | 'å' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ó' | 'ò' | 'ô' | 'ø' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "incident".into() } else { slug }
}

/// Holds the site's incidents folder for one edit, or says who has it.
fn lock(root: &Path) -> Result<crate::files::FolderLock, AuthorError> {
    let dir = root.join(INCIDENTS_DIR);
    std::fs::create_dir_all(&dir)
        .map_err(|e| AuthorError::Usage(format!("cannot create {}: {}", dir.display(), crate::files::io_reason(&e))))?;
    match lock_folder(&dir, LOCK_WAIT) {
        Ok(Some(lock)) => Ok(lock),
        Ok(None) => Err(AuthorError::Usage(format!(
            "another candor command has been editing {} for {} s; nothing was written: try again when it is done",
            dir.display(),
            LOCK_WAIT.as_secs()
        ))),
        Err(e) => Err(AuthorError::Usage(format!("cannot lock {}: {e}", dir.display()))),
    }
}

/// Creates `incidents/YYYY-MM-DD-slug.yaml` and returns its path.
pub fn create(root: &Path, site: &Site, new: &NewIncident) -> Result<PathBuf, AuthorError> {
    check_request(site, new)?;
    let _lock = lock(root)?;
    let date = new.started_at.to_zoned_datetime(site.timezone.clone()).date();
    let base = format!("{date}-{}", slugify(&new.title));
    let (files, _) = load::incident_files(root);
    let taken = |id: &str| files.iter().any(|f| f.id == id);
    let id =
        (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|id| !taken(id)).unwrap_or(base);
    let display = PathBuf::from(INCIDENTS_DIR).join(format!("{id}.yaml"));
    let text = incident_text(site, new);
    check(&text, &id, &display, site, new.body.contains("[["))?;
    let path = root.join(&display);
    write_atomically(&path, text.as_bytes()).map_err(|e| AuthorError::Usage(e.to_string()))?;
    Ok(display)
}

/// Refuses requests that would write something untrue or unreadable.
fn check_request(site: &Site, new: &NewIncident) -> Result<(), AuthorError> {
    for id in &new.components {
        if !site.components.iter().any(|c| c.id.as_str() == id) {
            let hint = did_you_mean(id, site.components.iter().map(|c| c.id.as_str()))
                .map(|close| format!("; did you mean `{close}`?"))
                .unwrap_or_default();
            let all: Vec<&str> = site.components.iter().map(|c| c.id.as_str()).collect();
            return Err(AuthorError::Usage(format!(
                "`{id}` is not a component of this site{hint} (the components are: {})",
                all.join(", ")
            )));
        }
    }
    match (new.kind, new.window) {
        (Kind::Maintenance, None) => {
            return Err(AuthorError::Usage(
                "maintenance needs its window: give --start and --end (e.g. --start \"2026-12-05 22:00\" --end \"2026-12-06 01:00\")".into(),
            ));
        }
        (Kind::Maintenance, Some((start, end))) if end <= start => {
            return Err(AuthorError::Usage(
                "the maintenance window must end after it starts (--end after --start)".into(),
            ));
        }
        (kind, Some(_)) if kind != Kind::Maintenance => {
            return Err(AuthorError::Usage("--start and --end are for --kind maintenance only".into()));
        }
        _ => {}
    }
    if new.started_at > new.first_update_at {
        return Err(AuthorError::Usage(
            "--at is in the future: it says when the incident started, and the first update is published now".into(),
        ));
    }
    Ok(())
}

/// The text of a new incident file.
fn incident_text(site: &Site, new: &NewIncident) -> String {
    let time = |ts| written_time(ts, site);
    let mut t = format!("# yaml-language-server: $schema=../{}/{}\n", schema::DIR, schema::INCIDENT_FILE);
    t.push_str(&format!("title: {}\n", yaml::scalar(&new.title)));
    t.push_str(&format!("kind: {}\n", new.kind.as_str()));
    if new.kind.is_incident() {
        t.push_str(&format!("impact: {}\n", new.impact.unwrap_or_else(|| new.kind.default_impact()).as_str()));
    }
    let components: Vec<String> = new.components.iter().map(|c| yaml::scalar(c)).collect();
    t.push_str(&format!("components: [{}]\n", components.join(", ")));
    t.push_str(&format!("started_at: {}\n", time(new.started_at)));
    if let Some(detected) = new.detected_at {
        t.push_str(&format!("detected_at: {}\n", time(detected)));
    }
    match new.kind {
        Kind::Maintenance => {
            if let Some((start, end)) = new.window {
                t.push_str(&format!("scheduled:\n  start: {}\n  end: {}\n", time(start), time(end)));
            }
        }
        Kind::DataBreach => t.push_str(
            "breach:\n  data_affected: []   # e.g. [email addresses, hashed passwords]\n  # people_affected: 12000\n  # what_you_should_do: |\n  #   Concrete steps for the people affected.\n",
        ),
        _ => {}
    }
    t.push_str("updates:\n");
    t.push_str(&format!("  - at: {}\n", time(new.first_update_at)));
    let status = match new.kind {
        Kind::Maintenance => Some(UpdateStatus::Scheduled),
        Kind::Notice => None,
        _ => Some(UpdateStatus::Investigating),
    };
    if let Some(status) = status {
        t.push_str(&format!("    status: {}\n", status.as_str()));
    }
    t.push_str("    body:");
    t.push_str(&yaml::block_value(&new.body, 4));
    if let Some(promise) = new.next_update_by.filter(|_| new.kind.is_incident()) {
        t.push_str(&format!("    next_update_by: {}\n", time(promise)));
    }
    t
}

/// Validates `text` as incident `id` of `site`; with `placeholders`, a
/// placeholder the author is about to fill in is not counted against it.
fn check(text: &str, id: &str, display: &Path, site: &Site, placeholders: bool) -> Result<(), AuthorError> {
    let raw: Spanned<RawIncident> = from_yaml(text, display).map_err(|d| AuthorError::Invalid(vec![d]))?;
    match validate::incident(&raw, IncidentId::new(id), display, text, site) {
        Ok(_) => Ok(()),
        Err(d) if placeholders && d.iter().all(|d| d.code == validate::PLACEHOLDER) => Ok(()),
        Err(d) => Err(AuthorError::Invalid(d)),
    }
}

/// The incident file of `id`, or an error that says what was looked for and
/// what comes close.
fn find_file(root: &Path, id: &str) -> Result<load::IncidentFile, AuthorError> {
    let (files, _) = load::incident_files(root);
    let stem = Path::new(id).file_stem().and_then(|s| s.to_str()).unwrap_or(id);
    if let Some(file) = files.iter().find(|f| f.id == id) {
        return Ok(file.clone());
    }
    let hint = if stem != id && files.iter().any(|f| f.id == stem) {
        format!("; the id is the file name without its folder and `.yaml`: `{stem}`")
    } else {
        did_you_mean(stem, files.iter().map(|f| f.id.as_str()))
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_default()
    };
    if !is_slug(id) && hint.is_empty() {
        return Err(AuthorError::Usage(format!("`{id}` is not an incident id (the file name without `.yaml`)")));
    }
    Err(AuthorError::Usage(format!("there is no incident `{id}` under {}/{hint}", root.join(INCIDENTS_DIR).display())))
}

/// Appends an update to incident `id`, keeping the rest of the file as written.
pub fn append(root: &Path, site: &Site, id: &str, update: &NewUpdate) -> Result<PathBuf, AuthorError> {
    let file = find_file(root, id)?;
    let _lock = lock(root)?;
    let text = read_text(&file.path, &file.display).map_err(|d| AuthorError::Invalid(vec![d]))?;
    let raw: Spanned<RawIncident> = from_yaml(&text, &file.display).map_err(|d| AuthorError::Invalid(vec![d]))?;
    let current = validate::incident(&raw, IncidentId::new(file.id.as_str()), &file.display, &text, site)
        .map_err(AuthorError::Invalid)?;
    let status = update.status.or_else(|| current.updates.last().and_then(|u| u.status));
    if status.is_some_and(UpdateStatus::is_final) && update.next_update_by.is_some() {
        return Err(AuthorError::Usage(format!(
            "--next-update with status `{}`: a final update promises no next one; leave out --next-update, or use --status monitoring while you watch",
            status.map_or("", UpdateStatus::as_str)
        )));
    }
    let update = NewUpdate { status, ..update.clone() };
    let edited = append_update(&text, &raw, &update, site).map_err(AuthorError::Usage)?;
    check(&edited, &file.id, &file.display, site, false)?;
    write_atomically(&file.path, edited.as_bytes()).map_err(|e| AuthorError::Usage(e.to_string()))?;
    // Held the lock throughout, so what is on disk is what was written; say so only if it is.
    let written = read_text(&file.path, &file.display).map_err(|d| AuthorError::Invalid(vec![d]))?;
    if written != edited {
        return Err(AuthorError::Usage(format!(
            "{} changed while the update was written; check the file and run the update again",
            file.display.display()
        )));
    }
    Ok(file.display.clone())
}

/// `text` with `update` appended to its timeline, and `resolved_at` set when
/// the update is final; `raw` is `text` parsed, for its positions.
pub fn append_update(
    text: &str,
    raw: &Spanned<RawIncident>,
    update: &NewUpdate,
    site: &Site,
) -> Result<String, String> {
    let list = raw.value.updates.as_ref().ok_or("the file has no `updates:` list to add to")?;
    let last = list.value.last().ok_or("the file's `updates:` list is empty")?;
    let list_at = byte_at(text, &list.referenced);
    if text[list_at..].starts_with('[') {
        return Err(
            "`updates:` is written in flow style ([...]); write it as a block list to use `candor update`".into()
        );
    }
    let item_at = byte_at(text, &last.referenced);
    let dash = dash_before(text, item_at).unwrap_or_else(|| column_of(text, list_at));
    let key = if text[item_at..].starts_with('{') { dash + 2 } else { column_of(text, item_at) };
    let item = item_text(update, dash, key, site);
    let end = item_end(text, &last.value);
    let resolved = update.status.is_some_and(UpdateStatus::is_final).then(|| written_time(update.at, site));
    // Blank lines after the last update stay after the new one, unless moving
    // them would change what the old one says (a `|+` text keeps them).
    for at in [before_blank_lines(text, end), end] {
        let mut edited = String::with_capacity(text.len() + item.len() + 64);
        edited.push_str(&text[..at]);
        if !edited.is_empty() && !edited.ends_with('\n') {
            edited.push('\n');
        }
        edited.push_str(&item);
        edited.push_str(&text[at..]);
        if let Some(resolved) = &resolved {
            edited = set_resolved_at(&edited, resolved)?;
        }
        if same_but_for(text, &edited, update, site)? {
            return Ok(edited);
        }
    }
    Err("the new update could not be added without changing what the file already says; add it by hand".into())
}

/// The byte offset of a location in `text`.
fn byte_at(text: &str, at: &serde_saphyr::Location) -> usize {
    let span = at.span();
    span.byte_offset().map_or_else(
        || text.char_indices().nth(span.offset() as usize).map_or(text.len(), |(i, _)| i),
        |b| (b as usize).min(text.len()),
    )
}

/// The column (from 0, in characters) of byte `at` on its line.
fn column_of(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].chars().count()
}

/// The column of the `-` that starts the list item whose first key is at byte `at`.
fn dash_before(text: &str, at: usize) -> Option<usize> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_end();
    before.ends_with('-').then(|| before.chars().count() - 1)
}

/// Where the update `item` ends: after the line holding the end of its last value.
fn item_end(text: &str, item: &crate::input::RawUpdate) -> usize {
    let end_of = |at: &serde_saphyr::Location| {
        let span = at.span();
        byte_at(text, at) + span.byte_len().unwrap_or(span.len()) as usize
    };
    let mut ends = vec![];
    for value in [&item.at, &item.status, &item.next_update_by].into_iter().flatten() {
        ends.push(end_of(&value.referenced));
    }
    if let Some(body) = &item.body {
        match &body.value {
            RawText::Plain(_) => ends.push(end_of(&body.referenced)),
            RawText::ByLanguage(entries) => ends.extend(entries.iter().map(|(_, t)| end_of(&t.referenced))),
        }
    }
    let last = ends.into_iter().max().unwrap_or(0).min(text.len());
    // The rest of that line (a closing brace, a comment) belongs to the item too.
    if last > 0 && text.as_bytes()[last - 1] == b'\n' {
        return last;
    }
    text[last..].find('\n').map_or(text.len(), |i| last + i + 1)
}

/// `end`, moved back over the blank lines just before it.
fn before_blank_lines(text: &str, end: usize) -> usize {
    let mut at = end;
    while at > 0 {
        let line_start = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..at].trim().is_empty() {
            break;
        }
        at = line_start;
    }
    at
}

/// The new update as block-list lines, the dash at `dash` and keys at `key`.
fn item_text(update: &NewUpdate, dash: usize, key: usize, site: &Site) -> String {
    let pad = " ".repeat(key);
    let mut item = format!("{}- at: {}\n", " ".repeat(dash), written_time(update.at, site));
    if let Some(status) = update.status {
        item.push_str(&format!("{pad}status: {}\n", status.as_str()));
    }
    item.push_str(&format!("{pad}body:"));
    item.push_str(&yaml::block_value(&update.body, key));
    if let Some(next) = update.next_update_by {
        item.push_str(&format!("{pad}next_update_by: {}\n", written_time(next, site)));
    }
    item
}

/// `text` with the top-level `resolved_at` set to `at`: its value replaced
/// where it is written, or a new line after `started_at`.
fn set_resolved_at(text: &str, at: &str) -> Result<String, String> {
    let raw: Spanned<RawIncident> =
        from_yaml(text, Path::new("incident.yaml")).map_err(|d| format!("the edited file does not read back: {d}"))?;
    let mut out = String::with_capacity(text.len() + 40);
    if let Some(old) = &raw.value.resolved_at {
        let start = byte_at(text, &old.referenced);
        let len = old.referenced.span().byte_len().unwrap_or(0) as usize;
        out.push_str(&text[..start]);
        out.push_str(at);
        out.push_str(&text[(start + len).min(text.len())..]);
        return Ok(out);
    }
    let started = raw.value.started_at.as_ref().ok_or("the file has no `started_at`")?;
    let start = byte_at(text, &started.referenced);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
    out.push_str(&text[..line_end]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("resolved_at: {at}\n"));
    out.push_str(&text[line_end..]);
    Ok(out)
}

/// Whether `edited` says exactly what `original` says, plus `update` at the
/// end of the timeline and `resolved_at` when the update is final: read as
/// plain YAML values, so nothing else can have moved or changed.
fn same_but_for(original: &str, edited: &str, update: &NewUpdate, site: &Site) -> Result<bool, String> {
    let read = |text: &str| -> Result<serde_json::Value, String> {
        serde_saphyr::from_str::<serde_json::Value>(text)
            .map_err(|e| format!("the edited file does not read back: {e}"))
    };
    let mut expected = read(original)?;
    let Some(map) = expected.as_object_mut() else { return Ok(false) };
    let mut item = serde_json::Map::new();
    item.insert("at".into(), written_time(update.at, site).into());
    if let Some(status) = update.status {
        item.insert("status".into(), status.as_str().into());
    }
    item.insert("body".into(), yaml::normalise_breaks(&update.body).into());
    if let Some(next) = update.next_update_by {
        item.insert("next_update_by".into(), written_time(next, site).into());
    }
    match map.get_mut("updates").and_then(|u| u.as_array_mut()) {
        Some(list) => list.push(serde_json::Value::Object(item)),
        None => return Ok(false),
    }
    if update.status.is_some_and(UpdateStatus::is_final) {
        map.insert("resolved_at".into(), written_time(update.at, site).into());
    }
    let mut actual = read(edited)?;
    // Key order is not meaning: compare as sorted maps.
    sort_keys(&mut expected);
    sort_keys(&mut actual);
    Ok(expected == actual)
}

fn sort_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = std::mem::take(map).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, mut v) in entries {
                sort_keys(&mut v);
                map.insert(k, v);
            }
        }
        serde_json::Value::Array(list) => list.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
