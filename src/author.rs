//! Writing incidents from the command line: `candor new` and `candor update`.
//!
//! Both validate the result against the site before writing anything, and
//! write atomically (a temporary file, then a rename), so a typo or a crash
//! never leaves a broken or half-written incident. `update` edits the file as
//! text, appending to the timeline, so the author's comments, order and
//! formatting survive.

use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Span, Timestamp};
use serde_saphyr::Spanned;

use crate::diagnostic::Diagnostic;
use crate::files::{read_text, write_atomically};
use crate::input::{RawIncident, from_yaml};
use crate::load::{self, INCIDENTS_DIR};
use crate::model::{Impact, IncidentId, Kind, Site, UpdateStatus, is_slug};
use crate::{schema, validate};

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
    /// When it started (and the first update's time).
    pub at: Timestamp,
}

/// What `candor update` needs.
#[derive(Clone, Debug)]
pub struct NewUpdate {
    /// The new status; none on notices.
    pub status: Option<UpdateStatus>,
    /// When the update is published.
    pub at: Timestamp,
    /// The promise of the next update, if any.
    pub next_update_by: Option<Timestamp>,
    /// The Markdown body.
    pub body: String,
}

/// An RFC 3339 time with the site's offset, as written into files.
pub fn written_time(ts: Timestamp, site: &Site) -> String {
    let zoned = ts.to_zoned_datetime(site.timezone.clone());
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Reads `--next-update`: a duration after `at` (`30m`, `1h`, `1h30m`) or a time.
pub fn next_update(text: &str, at: Timestamp, site: &Site) -> Result<Timestamp, String> {
    if let Ok(span) = text.parse::<Span>() {
        let duration = SignedDuration::try_from(span).map_err(|e| format!("`{text}`: {e}"))?;
        return at.checked_add(duration).map_err(|e| format!("`{text}`: {e}"));
    }
    if let Ok(duration) = text.parse::<SignedDuration>() {
        return at.checked_add(duration).map_err(|e| format!("`{text}`: {e}"));
    }
    crate::time::parse_timestamp(text, &site.timezone).map_err(|e| {
        format!("--next-update `{text}` is neither a duration such as 30m nor a time: {}", e.message(text).0)
    })
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

/// Creates `incidents/YYYY-MM-DD-slug.yaml` and returns its path.
pub fn create(root: &Path, site: &Site, new: &NewIncident) -> Result<PathBuf, AuthorError> {
    let date = new.at.to_zoned_datetime(site.timezone.clone()).date();
    let base = format!("{date}-{}", slugify(&new.title));
    let (files, _) = load::incident_files(root);
    let taken = |id: &str| files.iter().any(|f| f.id == id);
    let id =
        (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|id| !taken(id)).unwrap_or(base);
    let display = PathBuf::from(INCIDENTS_DIR).join(format!("{id}.yaml"));
    let text = incident_text(site, new);
    check(&text, &id, &display, site)?;
    let path = root.join(&display);
    write_atomically(&path, text.as_bytes()).map_err(|e| AuthorError::Usage(e.to_string()))?;
    Ok(display)
}

fn default_impact(kind: Kind) -> Impact {
    match kind {
        Kind::Degraded => Impact::Minor,
        Kind::Maintenance | Kind::Notice => Impact::None,
        _ => Impact::Major,
    }
}

/// The text of a new incident file, with comments that guide the author.
fn incident_text(site: &Site, new: &NewIncident) -> String {
    let at = written_time(new.at, site);
    let promise = written_time(new.at + SignedDuration::from_mins(30), site);
    let mut t = format!("# yaml-language-server: $schema=../{}/{}\n", schema::DIR, schema::INCIDENT_FILE);
    t.push_str(&format!("title: {}\n", yaml_string(&new.title)));
    t.push_str(&format!("kind: {}\n", new.kind.as_str()));
    if new.kind.is_incident() {
        t.push_str(&format!("impact: {}\n", new.impact.unwrap_or_else(|| default_impact(new.kind)).as_str()));
    }
    t.push_str(&format!("components: [{}]\n", new.components.join(", ")));
    t.push_str(&format!("started_at: {at}\n"));
    match new.kind {
        Kind::Maintenance => {
            let start = written_time(new.at + SignedDuration::from_hours(72), site);
            let end = written_time(new.at + SignedDuration::from_hours(74), site);
            t.push_str(&format!("scheduled:   # when the work happens; give people at least three days' notice\n  start: {start}\n  end: {end}\n"));
        }
        Kind::DataBreach => t.push_str(
            "breach:\n  data_affected: []   # e.g. [email addresses, hashed passwords]\n  # people_affected: 12000\n  # what_you_should_do: |\n  #   Concrete steps for the people affected.\n",
        ),
        _ => {}
    }
    t.push_str("updates:\n");
    t.push_str(&format!("  - at: {at}\n"));
    let (status, body) = match new.kind {
        Kind::Maintenance => (
            Some("scheduled"),
            "We will carry out planned work. Say what will happen, what people will notice, and what they should do.",
        ),
        Kind::Notice => (None, "Say what is changing, when, why, and what people should do."),
        _ => (
            Some("investigating"),
            "We are investigating. Say what people notice, what they can do meanwhile, and when you will post next.",
        ),
    };
    if let Some(status) = status {
        t.push_str(&format!("    status: {status}\n"));
    }
    t.push_str(&format!("    body: |\n      {body}\n"));
    if new.kind.is_incident() {
        t.push_str(&format!("    next_update_by: {promise}\n"));
    }
    t
}

/// A YAML scalar for `text`: plain when safe, double-quoted otherwise.
fn yaml_string(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !text.ends_with(char::is_whitespace)
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.chars().any(char::is_control)
        && !matches!(text.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "~" | "on" | "off")
        && text.parse::<f64>().is_err();
    if plain { text.to_owned() } else { serde_json::to_string(text).unwrap_or_default() }
}

/// Validates `text` as incident `id` of `site`.
fn check(text: &str, id: &str, display: &Path, site: &Site) -> Result<(), AuthorError> {
    let raw: Spanned<RawIncident> = from_yaml(text, display).map_err(|d| AuthorError::Invalid(vec![d]))?;
    validate::incident(&raw, IncidentId::new(id), display, text, site).map(|_| ()).map_err(AuthorError::Invalid)
}

/// Appends an update to incident `id`, keeping the rest of the file as written.
pub fn append(root: &Path, site: &Site, id: &str, update: &NewUpdate) -> Result<PathBuf, AuthorError> {
    if !is_slug(id) {
        return Err(AuthorError::Usage(format!("`{id}` is not an incident id")));
    }
    let (files, _) = load::incident_files(root);
    let file = files.iter().find(|f| f.id == id).ok_or_else(|| {
        let hint = crate::diagnostic::did_you_mean(id, files.iter().map(|f| f.id.as_str()))
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_default();
        AuthorError::Usage(format!("there is no incident `{id}` under incidents/{hint}"))
    })?;
    let text = read_text(&file.path, &file.display).map_err(|d| AuthorError::Invalid(vec![d]))?;
    check(&text, id, &file.display, site)?;
    let edited = append_update(&text, update, site).map_err(AuthorError::Usage)?;
    check(&edited, id, &file.display, site)?;
    write_atomically(&file.path, edited.as_bytes()).map_err(|e| AuthorError::Usage(e.to_string()))?;
    Ok(file.display.clone())
}

/// `text` with `update` appended to its `updates:` list, and `resolved_at` set
/// when the update is final.
pub fn append_update(text: &str, update: &NewUpdate, site: &Site) -> Result<String, String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("updates:"))
        .ok_or("the file has no top-level `updates:` list to add to")?;
    if !lines[start]["updates:".len()..].trim().is_empty() && !lines[start]["updates:".len()..].trim().starts_with('#')
    {
        return Err(
            "`updates:` is written in flow style ([...]); write it as a block list to use `candor update`".into()
        );
    }
    let (dash, key, last) = list_shape(&lines, start);
    let at = written_time(update.at, site);
    let mut item = vec![format!("{}- at: {at}", " ".repeat(dash))];
    let pad = " ".repeat(key);
    if let Some(status) = update.status {
        item.push(format!("{pad}status: {}", status.as_str()));
    }
    item.push(format!("{pad}body: |"));
    item.extend(
        update.body.trim_end().lines().map(|l| if l.trim().is_empty() { String::new() } else { format!("{pad}  {l}") }),
    );
    if let Some(next) = update.next_update_by {
        item.push(format!("{pad}next_update_by: {}", written_time(next, site)));
    }
    lines.splice(last + 1..last + 1, item);
    if update.status.is_some_and(UpdateStatus::is_final) {
        set_resolved_at(&mut lines, start, &at);
    }
    let mut out = lines.join(newline);
    out.push_str(newline);
    Ok(out)
}

/// The dash column, the key column and the last line of the list that starts after `start`.
fn list_shape(lines: &[String], start: usize) -> (usize, usize, usize) {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut last = start;
    let mut shape = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at_top = indent(line) == 0 && !trimmed.starts_with('-');
        if at_top {
            break;
        }
        if shape.is_none() && trimmed.starts_with('-') {
            let dash = indent(line);
            let after = &trimmed[1..];
            let key = dash + 1 + (after.len() - after.trim_start().len());
            shape = Some((dash, key));
        }
        last = i;
    }
    let (dash, key) = shape.unwrap_or((2, 4));
    (dash, key, last)
}

/// Sets the top-level `resolved_at`, replacing its value or adding it before `updates:`.
fn set_resolved_at(lines: &mut Vec<String>, updates_line: usize, at: &str) {
    match lines.iter().position(|l| l.starts_with("resolved_at:")) {
        Some(i) => {
            let comment = lines[i].find(" #").map(|c| lines[i][c..].to_owned()).unwrap_or_default();
            lines[i] = format!("resolved_at: {at}{comment}");
        }
        None => lines.insert(updates_line, format!("resolved_at: {at}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{SITE, model, ts};

    const FILE: &str = "# The card payment outage of 14 March.
title: Card payments failing   # keep it short
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00

updates:
  # Newest last.
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: |
      We are investigating.

postmortem:
  summary: Later.
";

    fn site() -> Site {
        model(SITE, &[]).site
    }

    fn update(status: UpdateStatus, at: &str, body: &str) -> NewUpdate {
        NewUpdate { status: Some(status), at: ts(at), next_update_by: None, body: body.into() }
    }

    #[test]
    fn appends_and_keeps_comments_order_and_formatting() {
        let u = NewUpdate {
            next_update_by: Some(ts("2026-03-14T10:30:00+02:00")),
            ..update(UpdateStatus::Identified, "2026-03-14T10:00:00+02:00", "Found it.\n\n- a list\n")
        };
        let edited = append_update(FILE, &u, &site()).unwrap();
        let expected = FILE.replace(
            "      We are investigating.\n",
            "      We are investigating.\n  - at: 2026-03-14T10:00:00+02:00\n    status: identified\n    body: |\n      Found it.\n\n      - a list\n    next_update_by: 2026-03-14T10:30:00+02:00\n",
        );
        assert_eq!(edited, expected);
        let raw: Spanned<RawIncident> = from_yaml(&edited, Path::new("x.yaml")).unwrap();
        let inc = validate::incident(&raw, IncidentId::new("x"), Path::new("x.yaml"), &edited, &site()).unwrap();
        assert_eq!(inc.updates.len(), 2);
        assert_eq!(inc.updates[1].body.source(), "Found it.\n\n- a list");
    }

    #[test]
    fn resolving_sets_the_end() {
        let edited =
            append_update(FILE, &update(UpdateStatus::Resolved, "2026-03-14T11:00:00+02:00", "Fixed."), &site())
                .unwrap();
        assert!(edited.contains("resolved_at: 2026-03-14T11:00:00+02:00\nupdates:"), "{edited}");
        let again = append_update(
            &edited,
            &update(UpdateStatus::Resolved, "2026-03-14T12:00:00+02:00", "Really fixed."),
            &site(),
        )
        .unwrap();
        assert_eq!(again.matches("resolved_at:").count(), 1);
        assert!(again.contains("resolved_at: 2026-03-14T12:00:00+02:00\n"));
    }

    #[test]
    fn works_with_lists_at_the_key_indentation() {
        let text = "title: x\nkind: outage\nimpact: minor\nstarted_at: 2026-03-14T09:12:00+02:00\nupdates:\n- at: 2026-03-14T09:31:00+02:00\n  status: investigating\n  body: Looking.\n";
        let edited =
            append_update(text, &update(UpdateStatus::Monitoring, "2026-03-14T10:00:00+02:00", "Watching."), &site())
                .unwrap();
        assert!(
            edited.ends_with(
                "  body: Looking.\n- at: 2026-03-14T10:00:00+02:00\n  status: monitoring\n  body: |\n    Watching.\n"
            ),
            "{edited}"
        );
    }

    #[test]
    fn refuses_an_update_that_would_not_validate() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
        std::fs::create_dir(dir.path().join("incidents")).unwrap();
        let path = dir.path().join("incidents/x.yaml");
        std::fs::write(&path, FILE).unwrap();
        let before_start = update(UpdateStatus::Identified, "2026-03-14T08:00:00+02:00", "Too early.");
        assert!(matches!(append(dir.path(), &site(), "x", &before_start), Err(AuthorError::Invalid(_))));
        let wrong_vocabulary = update(UpdateStatus::InProgress, "2026-03-14T10:00:00+02:00", "Maintenance word.");
        assert!(matches!(append(dir.path(), &site(), "x", &wrong_vocabulary), Err(AuthorError::Invalid(_))));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE, "the file is unchanged");
        assert!(matches!(append(dir.path(), &site(), "y", &before_start), Err(AuthorError::Usage(_))));
    }

    #[test]
    fn new_incidents_validate_for_every_kind_and_get_unique_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
        for kind in Kind::ALL {
            let new = NewIncident {
                title: "Payments: failing at checkout".into(),
                kind,
                impact: None,
                components: vec!["payments".into()],
                at: ts("2026-03-14T09:12:00+02:00"),
            };
            create(dir.path(), &site(), &new).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
        }
        let model = load::model(dir.path(), None).expect("every new file validates");
        let mut ids: Vec<&str> = model.incidents.iter().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids[0], "2026-03-14-payments-failing-at-checkout");
        assert_eq!(ids.len(), 6);
        assert!(ids.contains(&"2026-03-14-payments-failing-at-checkout-6"));
    }

    #[test]
    fn slugs_and_quoting() {
        assert_eq!(slugify("Payments: failing at checkout!"), "payments-failing-at-checkout");
        assert_eq!(slugify("Häiriö maksuissa"), "hairio-maksuissa");
        assert_eq!(slugify("???"), "incident");
        assert_eq!(yaml_string("Plain title"), "Plain title");
        assert_eq!(yaml_string("Payments: failing"), "\"Payments: failing\"");
        assert_eq!(yaml_string("- dash"), "\"- dash\"");
        assert_eq!(yaml_string("yes"), "\"yes\"");
    }

    #[test]
    fn next_update_takes_durations_or_times() {
        let s = site();
        let at = ts("2026-03-14T09:00:00+02:00");
        assert_eq!(next_update("30m", at, &s).unwrap(), ts("2026-03-14T09:30:00+02:00"));
        assert_eq!(next_update("1h30m", at, &s).unwrap(), ts("2026-03-14T10:30:00+02:00"));
        assert_eq!(next_update("2026-03-14 11:00", at, &s).unwrap(), ts("2026-03-14T11:00:00+02:00"));
        assert!(next_update("soon", at, &s).is_err());
    }
}
