//! JSON Schemas of `site.yaml` and incident files, for editors.
//!
//! Generated from the types that read the files ([`crate::input`]), with the
//! lists of allowed words taken from the model, so the schema cannot drift from
//! what candor accepts. Files made by `candor new` and `candor init` point at
//! them with a `yaml-language-server` comment, so editors complete and check
//! fields while the author types.

use schemars::{Schema, SchemaGenerator, json_schema};

use crate::input::{RawIncident, RawSite};
use crate::model::{ActionStatus, ComponentStatus, Impact, Kind, Language, UpdateStatus};

/// Where the schemas live in a site, relative to its root.
pub const DIR: &str = "schemas";
/// The incident schema's file name.
pub const INCIDENT_FILE: &str = "incident.schema.json";
/// The site schema's file name.
pub const SITE_FILE: &str = "site.schema.json";

/// The schema of incident files, as pretty JSON.
pub fn incident() -> String {
    pretty(schemars::schema_for!(RawIncident))
}

/// The schema of `site.yaml`, as pretty JSON.
pub fn site() -> String {
    pretty(schemars::schema_for!(RawSite))
}

fn pretty(schema: Schema) -> String {
    // A schema is a JSON value with string keys; serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

fn words(list: impl IntoIterator<Item = &'static str>, description: &str) -> Schema {
    let list: Vec<&str> = list.into_iter().collect();
    json_schema!({ "type": "string", "enum": list, "description": description })
}

/// `language`.
pub fn language(_: &mut SchemaGenerator) -> Schema {
    words(Language::ALL.map(Language::tag), "The language of the page's own words.")
}

/// `languages`.
pub fn languages(_: &mut SchemaGenerator) -> Schema {
    let tags: Vec<&str> = Language::ALL.iter().map(|l| l.tag()).collect();
    json_schema!({
        "type": "array",
        "items": { "type": "string", "enum": tags },
        "uniqueItems": true,
        "description": "Every language the site is built in; the default first."
    })
}

/// Prose: a text, or a map from language to text.
pub fn text(_: &mut SchemaGenerator) -> Schema {
    let tags: Vec<&str> = Language::ALL.iter().map(|l| l.tag()).collect();
    json_schema!({
        "oneOf": [
            { "type": "string" },
            { "type": "object", "propertyNames": { "enum": tags }, "additionalProperties": { "type": "string" } }
        ]
    })
}

/// `kind`.
pub fn kind(_: &mut SchemaGenerator) -> Schema {
    words(Kind::ALL.map(Kind::as_str), "What kind of event this is.")
}

/// `impact`.
pub fn impact(_: &mut SchemaGenerator) -> Schema {
    words(
        Impact::ALL.map(Impact::as_str),
        "How bad it is for the people affected (required except on maintenance and notices).",
    )
}

/// An update's `status`.
pub fn update_status(_: &mut SchemaGenerator) -> Schema {
    let all = UpdateStatus::INCIDENT.iter().chain(&UpdateStatus::MAINTENANCE).map(|s| s.as_str());
    words(
        all,
        "Incidents: investigating, identified, monitoring, resolved. Maintenance: scheduled, in_progress, verifying, completed. Notices have none.",
    )
}

/// An action item's `status`.
pub fn action_status(_: &mut SchemaGenerator) -> Schema {
    words(ActionStatus::ALL.map(ActionStatus::as_str), "How far the action has got.")
}

/// A time: RFC 3339, or a naive time in the site's zone.
pub fn time(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": TIME_PATTERN,
        "description": "RFC 3339 (2026-03-14T09:12:00+02:00), or 2026-03-14 09:12 in the site's time zone."
    })
}

/// A time that must be given.
pub fn required_time(generator: &mut SchemaGenerator) -> Schema {
    time(generator)
}

/// A date, `YYYY-MM-DD`.
pub fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "format": "date", "description": "A date, YYYY-MM-DD." })
}

/// An id.
pub fn slug(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "Lower-case letters, digits and hyphens." })
}

/// An incident's `components`: a list of ids or a map from id to status.
pub fn affected(_: &mut SchemaGenerator) -> Schema {
    let statuses: Vec<&str> = ComponentStatus::ALL.iter().map(|s| s.as_str()).collect();
    json_schema!({
        "description": "Affected components: a list of ids (status implied by impact), or a map from id to status.",
        "oneOf": [
            { "type": "array", "items": { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$" } },
            { "type": "object", "additionalProperties": { "type": "string", "enum": statuses } }
        ]
    })
}

/// What a time looks like: a date, a `T` or space, hours and minutes, optional seconds and offset.
const TIME_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schemas_are_current() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
        for (file, fresh) in [(INCIDENT_FILE, incident()), (SITE_FILE, site())] {
            let path = root.join(file);
            if std::env::var_os("UPDATE_SCHEMAS").is_some() {
                std::fs::create_dir_all(&root).unwrap();
                std::fs::write(&path, &fresh).unwrap();
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == fresh,
                "schemas/{file} is out of date: run `UPDATE_SCHEMAS=1 cargo test schema` or `candor schema`"
            );
        }
    }

    #[test]
    fn the_incident_schema_lists_the_model_words_and_refuses_unknown_fields() {
        let schema: serde_json::Value = serde_json::from_str(&incident()).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        let kinds = &schema["properties"]["kind"]["enum"];
        assert_eq!(kinds.as_array().unwrap().len(), Kind::ALL.len());
        let required: Vec<&str> = schema["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        for field in ["title", "kind", "started_at", "updates"] {
            assert!(required.contains(&field), "{field} in {required:?}");
        }
    }
}
