//! What earlier renders made for each incident, so that a live rebuild
//! renders again only the incidents whose files could have changed, and the
//! pages that list them.
//!
//! An incident's files depend on the incident itself, its view at now, and a
//! few things derived across incidents that its page and JSON show (the
//! statuses of the components it affects); everything else they depend on
//! (settings, theme, the overall status) is in one fingerprint, and when that
//! changes the cache starts again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use jiff::Timestamp;

use crate::model::{ComponentStatus, Incident, IncidentId, Language, Model};
use crate::theme::Theme;
use crate::views::record::IncidentRecord;
use crate::views::{IncidentView, Views};

/// The rendered files of each incident in each language, by what they were rendered from.
#[derive(Debug, Default)]
pub struct RenderCache {
    key: u64,
    incidents: HashMap<(Language, IncidentId), Cached>,
}

/// What one incident's files were rendered from, and their paths.
#[derive(Debug)]
struct Cached {
    made_from: MadeFrom,
    paths: Vec<String>,
}

/// Everything about one incident that its own files show.
#[derive(Debug, PartialEq)]
struct MadeFrom {
    incident: Incident,
    view: IncidentView,
    record: IncidentRecord,
    followed: bool,
    /// The current status of each component it affects, which its page and
    /// JSON show, with when it last changed (in the JSON).
    statuses: Vec<(ComponentStatus, Timestamp)>,
    /// When the page's record begins, which its JSON gives as each component's creation.
    record_start: Timestamp,
}

impl MadeFrom {
    fn of(model: &Model, views: &Views, i: usize) -> MadeFrom {
        MadeFrom {
            incident: model.incidents[i].clone(),
            view: views.incidents[i].clone(),
            record: views.records[i].clone(),
            followed: views.is_followed(model, i),
            statuses: statuses(model, views, i),
            record_start: views.record_start,
        }
    }

    fn matches(&self, model: &Model, views: &Views, i: usize) -> bool {
        self.incident == model.incidents[i]
            && self.view == views.incidents[i]
            && self.record == views.records[i]
            && self.followed == views.is_followed(model, i)
            && self.statuses == statuses(model, views, i)
            && self.record_start == views.record_start
    }
}

/// The status of each component incident `i` affects, with when it last changed.
fn statuses(model: &Model, views: &Views, i: usize) -> Vec<(ComponentStatus, Timestamp)> {
    let components = model.site.components.iter().zip(&views.components);
    let of = |a: &crate::model::Affected| components.clone().find(|(c, _)| c.id == a.component).map(|(_, v)| v);
    model.incidents[i].components.iter().filter_map(of).map(|v| (v.status, v.changed_at)).collect()
}

impl RenderCache {
    /// Starts a render: forgets everything when what every incident's files
    /// share (settings, theme, overall status) has changed since the last.
    pub(super) fn start(&mut self, model: &Model, views: &Views, theme: &Theme) {
        let key = settings_key(model, views, theme);
        if self.key != key {
            *self = RenderCache { key, incidents: HashMap::new() };
        }
    }

    /// The paths of incident `i`'s files in `lang` when they are known to be
    /// unchanged; `None` when they must be rendered.
    pub(super) fn unchanged(&self, lang: Language, model: &Model, views: &Views, i: usize) -> Option<&[String]> {
        let cached = self.incidents.get(&(lang, model.incidents[i].id.clone()))?;
        cached.made_from.matches(model, views, i).then_some(cached.paths.as_slice())
    }

    /// Records that incident `i`'s files in `lang` were rendered at `paths`.
    pub(super) fn store(&mut self, lang: Language, model: &Model, views: &Views, i: usize, paths: Vec<String>) {
        let cached = Cached { made_from: MadeFrom::of(model, views, i), paths };
        self.incidents.insert((lang, model.incidents[i].id.clone()), cached);
    }
}

/// A fingerprint of everything besides the incidents that an incident's files
/// depend on: the settings, the theme, and what every page shows of now (the
/// overall status, the zone's abbreviation). The time a page was generated is
/// left out: in `watch`, an unchanged incident page keeps the time it was made.
fn settings_key(model: &Model, views: &Views, theme: &Theme) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}", model.site).hash(&mut hasher);
    views.headline.as_str().hash(&mut hasher);
    crate::locale::Locale::zone_abbreviation(views.now, &model.site.timezone).hash(&mut hasher);
    theme.templates.hash(&mut hasher);
    for (lang, locale) in &theme.locales {
        lang.hash(&mut hasher);
        locale.strings().hash(&mut hasher);
    }
    hasher.finish()
}
