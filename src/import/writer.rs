//! The shared writer: from a [`Source`] to files in a site, checked first and
//! never replacing one.
//!
//! 1. Reads the site at the root, if there is one (it must be valid: new
//!    files are checked against it), and the mapping an earlier import left.
//! 2. Gives every component an id ([`super::site::plan`]) and makes the new
//!    `site.yaml`, or the existing one with only the components it lacks.
//! 3. Leaves out every item already imported (one of its old addresses is an
//!    alias in the site), so importing again changes nothing.
//! 4. Settles each item's timeline, gives it an id (`YYYY-MM-DD-title`,
//!    unique across the site), writes its text, and checks it with candor's
//!    own loader and validation; then checks every alias against the whole
//!    site, leaving out an old address that cannot have a redirect.
//! 5. Only then writes: the schemas (for a new site), `site.yaml`, each
//!    incident under `incidents/YEAR/` (never over an existing file), and the
//!    mapping file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rayon::prelude::*;
use serde_saphyr::Spanned;

use super::ids::{Unique, slug};
use super::incident::{self, Context, Draft};
use super::report::Report;
use super::site::{self, NewSite};
use super::{ImportError, Item, Note, Source};
use crate::diagnostic::Diagnostic;
use crate::files::{self, WriteError, read_text};
use crate::input::{RawIncident, RawSite, from_yaml};
use crate::load::{self, SITE_FILE};
use crate::model::{Incident, IncidentId, Kind, Site};
use crate::theme::Theme;
use crate::validate;

/// Where to import into, and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The site folder: a site, or a folder to make one in.
    pub root: PathBuf,
    /// Whether to recognise promises in the updates' text.
    pub infer_promises: bool,
}

/// The site already at the root.
struct Existing {
    /// `site.yaml`, validated, with its text.
    site: Option<(Site, String)>,
    /// Its incidents.
    incidents: Vec<Incident>,
    /// The theme's static files, which aliases must not replace.
    statics: Vec<String>,
}

impl Existing {
    fn read(root: &Path) -> Result<Existing, ImportError> {
        if !root.join(SITE_FILE).exists() {
            let (files, _) = load::incident_files(root);
            if !files.is_empty() {
                return Err(ImportError::Source(format!(
                    "{} has incident files but no site.yaml; import into an empty folder, or into a site",
                    root.display()
                )));
            }
            let theme = Theme::builtin("en").map_err(ImportError::Site)?;
            return Ok(Existing { site: None, incidents: Vec::new(), statics: theme.statics.into_keys().collect() });
        }
        let text = read_text(&root.join(SITE_FILE), Path::new(SITE_FILE)).map_err(|d| ImportError::Site(vec![d]))?;
        let model = load::model(root, None).map_err(ImportError::Site)?;
        let theme = Theme::load(root, &model.site).map_err(ImportError::Site)?;
        Ok(Existing {
            site: Some((model.site, text)),
            incidents: model.incidents,
            statics: theme.statics.into_keys().collect(),
        })
    }
}

/// Imports `source` into the site at `options.root`.
pub fn import(source: Source, options: &Options) -> Result<Report, ImportError> {
    let root = &options.root;
    let existing = Existing::read(root)?;
    let earlier = site::read_mapping(root, source.tool).map_err(|d| ImportError::Site(vec![d]))?;
    let components = existing.site.as_ref().map_or(&[][..], |(s, _)| &s.components[..]);
    let plan = site::plan(&source, components, &earlier);
    let mut report = Report {
        tool: source.tool,
        origin: source.origin.clone(),
        new_site: existing.site.is_none(),
        components: plan.rows.clone(),
        mapping_file: site::mapping_file(source.tool),
        inferred: options.infer_promises,
        ..Report::default()
    };
    report.notes.extend(source.notes.iter().cloned());
    report.notes.extend(plan.notes.iter().cloned());
    let (site_text, site_changed) = site_text(&source, &existing, &plan, &mut report.notes)?;
    let site = checked_site(&site_text)?;
    let zone =
        source.page.timezone.as_deref().and_then(|z| TimeZone::get(z).ok()).unwrap_or_else(|| site.timezone.clone());
    let items = new_items(source.items, &existing.incidents, &mut report);
    let schema = report.new_site || root.join(crate::schema::DIR).join(crate::schema::INCIDENT_FILE).exists();
    let cx = Context {
        site: &site,
        components: &plan.ids,
        zone: &zone,
        infer_promises: options.infer_promises,
        tool: source.tool,
        schema,
    };
    let ids = incident_ids(&items, &existing.incidents, root, &site);
    let drafts = checked_drafts(items, &ids, &cx, &existing, &mut report);
    let mapping_text = site::mapping_text(source.tool, &plan.mapping).map_err(|d| ImportError::Site(vec![d]))?;
    let mut written = Vec::new();
    let result =
        write_all(root, &report, site_changed.then_some(site_text.as_str()), &drafts, &mapping_text, &mut written);
    report.written = written;
    result.map_err(|e| ImportError::Write(e, report.written.clone()))?;
    for d in &drafts {
        tally(&mut report, d);
    }
    report.notes.sort();
    Ok(report)
}

/// `site.yaml` for the import, and whether it differs from what is on disk.
fn site_text(
    source: &Source,
    existing: &Existing,
    plan: &site::Plan,
    notes: &mut Vec<Note>,
) -> Result<(String, bool), ImportError> {
    if let Some((_, text)) = &existing.site {
        if plan.added.is_empty() {
            return Ok((text.clone(), false));
        }
        let merged = site::merged_site_text(text, &plan.added).map_err(|d| ImportError::Site(vec![d]))?;
        return Ok((merged, true));
    }
    let page = &source.page;
    let mut note = |what: String| notes.push(Note { item: SITE_FILE.to_owned(), what });
    let timezone = match page.timezone.as_deref() {
        Some(z) if TimeZone::get(z).is_ok() => z.to_owned(),
        Some(z) => {
            note(format!("the page's time zone `{z}` is not an IANA time zone name; the site uses UTC"));
            "UTC".to_owned()
        }
        None => "UTC".to_owned(),
    };
    let base_url = page.base_url.as_deref().filter(|u| {
        let ok = (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(char::is_whitespace);
        if !ok {
            note(format!("the page's address `{u}` is not an http(s) URL; base_url is not set"));
        }
        ok
    });
    let mut added = plan.added.clone();
    if added.is_empty() {
        note("the source has no components; the site has one, `service`, as every site needs one".to_owned());
        added.push(site::NewComponent { id: "service".into(), name: "Service".into(), group: None, description: None });
    }
    let title = page.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or("Status");
    let new = NewSite {
        tool: source.tool,
        title,
        timezone: &timezone,
        base_url,
        description: page.description.as_deref().filter(|d| !d.trim().is_empty()),
    };
    Ok((site::new_site_text(&new, &added), true))
}

/// `text` read and validated as `site.yaml`.
fn checked_site(text: &str) -> Result<Site, ImportError> {
    let display = Path::new(SITE_FILE);
    let raw: Spanned<RawSite> = from_yaml(text, display).map_err(|d| ImportError::Site(vec![d]))?;
    validate::site(&raw, display, text).map_err(ImportError::Site)
}

/// The items not imported before, in a stable order (by start, then the
/// source's name for them), each with its aliases normalised and settled.
fn new_items(mut items: Vec<Item>, existing: &[Incident], report: &mut Report) -> Vec<Item> {
    let known: HashMap<String, &Incident> =
        existing.iter().flat_map(|i| i.aliases.iter().map(move |a| (a.path.to_lowercase(), i))).collect();
    items.sort_by(|a, b| a.started_at.at.cmp(&b.started_at.at).then_with(|| a.key.cmp(&b.key)));
    let mut claimed: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for mut item in items {
        let mut aliases: Vec<(String, String)> = Vec::new();
        for written in std::mem::take(&mut item.aliases) {
            match validate::normalise_alias(&written) {
                Ok(path) => aliases.push((written.trim().to_owned(), path.to_lowercase())),
                Err(e) => item.notes.push(format!("its old address `{written}` cannot have a redirect: {}", e.message)),
            }
        }
        if let Some(before) = aliases.iter().find_map(|(_, path)| known.get(path)) {
            report.already += 1;
            if before.updates.len() < item.updates.len() {
                let what = format!(
                    "it has {} updates in the source but {} in {}, imported before; the file is left as it is",
                    item.updates.len(),
                    before.updates.len(),
                    before.file.display()
                );
                report.notes.push(Note { item: item.key.clone(), what });
            }
            continue;
        }
        aliases.retain(|(written, path)| {
            let fresh = claimed.insert(path.clone());
            if !fresh {
                item.notes.push(format!("its old address `{written}` is another item's too; only the first redirects"));
            }
            fresh
        });
        item.aliases = aliases.into_iter().map(|(written, _)| written).collect();
        out.push(item);
    }
    out.par_iter_mut().for_each(incident::settle);
    out
}

/// Each item's id: the date it started in the site's zone and its title,
/// unique among every id in the site (files that do not validate included).
fn incident_ids(items: &[Item], existing: &[Incident], root: &Path, site: &Site) -> Vec<String> {
    let (files, _) = load::incident_files(root);
    let mut ids = Unique::new(existing.iter().map(|i| i.id.to_string()).chain(files.into_iter().map(|f| f.id)));
    items
        .iter()
        .map(|item| {
            let date = item.started_at.at.to_zoned_datetime(site.timezone.clone()).date();
            let title = slug(&item.title).unwrap_or_else(|| "incident".to_owned());
            ids.claim(&format!("{date}-{title}"))
        })
        .collect()
}

/// The drafts that validate, with aliases that would collide left out; the
/// others are reported as failed.
fn checked_drafts(
    items: Vec<Item>,
    ids: &[String],
    cx: &Context<'_>,
    existing: &Existing,
    report: &mut Report,
) -> Vec<Draft> {
    let statics: Vec<&str> = existing.statics.iter().map(String::as_str).collect();
    let mut items = items;
    let mut results: Vec<(Draft, Result<Incident, Vec<Diagnostic>>)> =
        items.par_iter().zip(ids).map(|(item, id)| checked(incident::draft(item, id, cx), cx.site)).collect();
    // An alias that collides is left out and the file checked again, until none does.
    for _ in 0..3 {
        let valid: Vec<Incident> = results.iter().filter_map(|(_, r)| r.as_ref().ok().cloned()).collect();
        let all: Vec<Incident> = existing.incidents.iter().cloned().chain(valid).collect();
        let clashes = validate::alias_collisions(&all, &statics);
        let mut again = false;
        for clash in clashes {
            let Some(at) = results.iter().position(|(d, r)| r.is_ok() && d.file == clash.file) else { continue };
            let Ok(incident) = &results[at].1 else { continue };
            let Some(alias) = incident.aliases.iter().find(|a| a.pos == clash.pos).map(|a| a.path.clone()) else {
                continue;
            };
            let item = &mut items[at];
            item.aliases.retain(|a| validate::normalise_alias(a).ok().as_ref() != Some(&alias));
            item.notes.push(format!("its old address `{alias}` cannot have a redirect: {}", clash.message));
            results[at] = checked(incident::draft(item, &ids[at], cx), cx.site);
            again = true;
        }
        if !again {
            break;
        }
    }
    let mut drafts = Vec::with_capacity(results.len());
    for (draft, result) in results {
        match result {
            Ok(_) => drafts.push(draft),
            Err(diagnostics) => report.failed.push((draft.key.clone(), diagnostics)),
        }
    }
    drafts
}

/// `draft` with what candor's loader makes of its text.
fn checked(draft: Draft, site: &Site) -> (Draft, Result<Incident, Vec<Diagnostic>>) {
    if draft.text.len() > files::MAX_FILE_BYTES {
        let message = format!(
            "its file would be {} KiB, over the 1 MiB candor reads for one incident ({} updates)",
            draft.text.len() / 1024,
            draft.updates
        );
        let d = Diagnostic::error("file-too-large", &draft.file, crate::diagnostic::Pos::FILE, message);
        return (draft, Err(vec![d]));
    }
    let result = from_yaml::<Spanned<RawIncident>>(&draft.text, &draft.file)
        .map_err(|d| vec![d])
        .and_then(|raw| validate::incident(&raw, IncidentId::new(draft.id.clone()), &draft.file, &draft.text, site));
    (draft, result)
}

/// Writes everything, in the order that keeps the site valid at every step.
fn write_all(
    root: &Path,
    report: &Report,
    site_text: Option<&str>,
    drafts: &[Draft],
    mapping: &str,
    written: &mut Vec<PathBuf>,
) -> Result<(), WriteError> {
    if report.new_site {
        for (file, text) in [
            (crate::schema::INCIDENT_FILE, crate::schema::incident()),
            (crate::schema::SITE_FILE, crate::schema::site()),
        ] {
            let rel = Path::new(crate::schema::DIR).join(file);
            if !root.join(&rel).exists() {
                files::create_new(&root.join(&rel), text.as_bytes(), false)?;
                written.push(rel);
            }
        }
    }
    if let Some(text) = site_text {
        let path = root.join(SITE_FILE);
        if report.new_site {
            files::create_new(&path, text.as_bytes(), true)?
        } else {
            files::write_atomically(&path, text.as_bytes())?
        }
        written.push(PathBuf::from(SITE_FILE));
    }
    for d in drafts {
        files::create_new(&root.join(&d.file), d.text.as_bytes(), false)?;
        written.push(d.file.clone());
    }
    let path = root.join(&report.mapping_file);
    let unchanged = std::fs::read_to_string(&path).is_ok_and(|t| t == mapping);
    if !unchanged && !report.components.is_empty() {
        files::write_atomically(&path, mapping.as_bytes())?;
        written.push(PathBuf::from(&report.mapping_file));
    }
    files::sync_all();
    Ok(())
}

/// Counts `draft` into the report, with its notes and promises.
fn tally(report: &mut Report, draft: &Draft) {
    match draft.kind {
        Kind::Maintenance => report.maintenances += 1,
        Kind::Notice => report.notices += 1,
        _ => report.incidents += 1,
    }
    report.updates += draft.updates;
    report.postmortems += usize::from(draft.postmortem);
    let item = draft.file.display().to_string();
    report.notes.extend(draft.notes.iter().map(|what| Note { item: item.clone(), what: what.clone() }));
    report.promises.extend(draft.promises.iter().map(|p| (draft.file.clone(), p.clone())));
}
