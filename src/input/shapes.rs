//! The JSON Schema shapes of values whose Rust type does not say it all: the
//! allowed words (taken from the model, so they cannot drift), times, dates,
//! ids and prose. The raw types name these in their `schemars` attributes.

use schemars::{Schema, SchemaGenerator, json_schema};

use crate::model::{ActionStatus, ChannelType, ComponentStatus, Impact, Kind, Language, SmtpTls, UpdateStatus};

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

/// An incident's `aliases`: paths on the site, relative to its root.
pub fn aliases(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": { "type": "string", "pattern": ALIAS_PATTERN },
        "uniqueItems": true,
        "description": "Old addresses of this incident (e.g. incidents/abc123, issues/some-slug/), relative to the site root; each gets a page that redirects here."
    })
}

/// What an alias looks like: segments of letters, digits and `-._~+@`, none starting with a dot,
/// separated by single slashes, with no slash first.
const ALIAS_PATTERN: &str = r"^[^/.\s?#%\\][^/\s?#%\\]*(/[^/.\s?#%\\][^/\s?#%\\]*)*/?$";

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

/// A channel's `type`.
pub fn channel_type(_: &mut SchemaGenerator) -> Schema {
    words(ChannelType::ALL.map(ChannelType::as_str), "What kind of channel this is.")
}

/// An SMTP server's `tls`.
pub fn smtp_tls(_: &mut SchemaGenerator) -> Schema {
    words(
        SmtpTls::ALL.map(SmtpTls::as_str),
        "starttls (default): upgrade with STARTTLS, and fail if the server does not offer it; tls: TLS from the first byte; none: no encryption, only to a server on this machine.",
    )
}

/// The name of an environment variable.
pub fn env_name(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
        "description": "The name of an environment variable, such as SLACK_WEBHOOK_URL; its value is never printed."
    })
}

/// An email channel's `to`: one address or a list.
pub fn addresses(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "The address to send to (a mailing list or group), or a list of them.",
        "oneOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" }, "minItems": 1 }
        ]
    })
}

/// What a time looks like: a date, a `T` or space, hours and minutes, optional seconds and offset.
const TIME_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$";
