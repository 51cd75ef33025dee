//! JSON Schemas of `site.yaml` and incident files, for editors.
//!
//! Generated from the types that read the files ([`crate::input`]), with the
//! lists of allowed words taken from the model, so the schema cannot drift from
//! what candor accepts. Files made by `candor new` and `candor init` point at
//! them with a `yaml-language-server` comment, so editors complete and check
//! fields while the author types.

use schemars::Schema;

use crate::input::{RawIncident, RawSite};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

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
