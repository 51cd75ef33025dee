//! Helpers for unit tests: models from YAML text, without files.

use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use crate::input::{RawIncident, RawSite, from_yaml};
use crate::model::{IncidentId, Model};
use crate::validate;

/// A site with three components in Helsinki time and 90 days of history.
pub const SITE: &str = "title: Acme Status
timezone: Europe/Helsinki
history_days: 90
components:
  - { id: api, name: Public API, group: Platform }
  - { id: payments, name: Card payments, group: Platform }
  - { id: web, name: Website }
";

/// A validated model of `site` and `(id, yaml)` incidents; panics on invalid input.
pub fn model(site: &str, incidents: &[(&str, &str)]) -> Model {
    let raw: Spanned<RawSite> = from_yaml(site, Path::new("site.yaml")).expect("site parses");
    let site = validate::site(&raw, Path::new("site.yaml"), site).expect("site is valid");
    let mut list = incidents
        .iter()
        .map(|(id, text)| {
            let file = PathBuf::from(format!("incidents/{id}.yaml"));
            let raw: Spanned<RawIncident> = from_yaml(text, &file).expect("incident parses");
            validate::incident(&raw, IncidentId::new(*id), &file, text, &site).expect("incident is valid")
        })
        .collect::<Vec<_>>();
    crate::load::sort_incidents(&mut list);
    Model { site, incidents: list }
}

/// A timestamp from RFC 3339 text.
pub fn ts(text: &str) -> jiff::Timestamp {
    text.parse().expect("valid RFC 3339 in a test")
}
