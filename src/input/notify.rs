//! `notify:` in `site.yaml`, as written: where `candor notify` delivers.
//!
//! One flat shape serves every channel type, so a misplaced field can be
//! reported at its own line ("`secret_env` is only for webhook channels")
//! instead of as an unknown field. Secrets never appear here, only the names
//! of the environment variables that hold them.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{Str, shapes};

/// Where and how `candor notify` tells people about updates.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNotify {
    /// The channels to deliver to, each with a unique `id` and a `type`.
    #[serde(default)]
    #[schemars(with = "Vec<RawChannel>")]
    pub channels: Vec<Spanned<RawChannel>>,
    /// Events older than this are never sent, so a lost ledger cannot flood anyone (default 24h).
    #[schemars(with = "Option<String>")]
    pub max_age: Option<Str>,
    /// How many times one delivery is tried before the channel is reported as failed (default 3).
    #[schemars(with = "Option<u32>", range(min = 1, max = 10))]
    pub attempts: Option<Spanned<u32>>,
    /// The wait before the first retry, doubled after each (default 2s); a `Retry-After` answer takes precedence.
    #[schemars(with = "Option<String>")]
    pub retry_delay: Option<Str>,
    /// How long one request may take in all, connecting included (default 10s).
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Str>,
}

/// One channel: a webhook, a chat, an email list or a Mastodon account.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    /// A short, unique id in lower-case letters, digits and hyphens; the ledger records deliveries under it.
    #[schemars(schema_with = "shapes::slug", required)]
    pub id: Option<Str>,
    /// What kind of channel this is.
    #[serde(rename = "type")]
    #[schemars(schema_with = "shapes::channel_type", required)]
    pub kind: Option<Str>,
    /// The environment variable that holds the webhook URL (or, for mastodon, the server's URL).
    #[schemars(schema_with = "shapes::env_name")]
    pub url_env: Option<Str>,
    /// A literal URL, only for receivers on this machine (http://127.0.0.1, localhost), as in tests.
    #[schemars(with = "Option<String>")]
    pub url: Option<Str>,
    /// webhook: the environment variable holding the secret the body is signed with (HMAC-SHA256).
    #[schemars(schema_with = "shapes::env_name")]
    pub secret_env: Option<Str>,
    /// mastodon: the environment variable holding the access token.
    #[schemars(schema_with = "shapes::env_name")]
    pub token_env: Option<Str>,
    /// email: the SMTP server to send through.
    #[schemars(with = "Option<RawSmtp>")]
    pub smtp: Option<Spanned<RawSmtp>>,
    /// email: the sender address, e.g. `Acme Status <status@acme.example>`.
    #[schemars(with = "Option<String>")]
    pub from: Option<Str>,
    /// email: the list addresses (a mailing list or group handles subscribers).
    #[schemars(schema_with = "shapes::addresses")]
    pub to: Option<Spanned<RawAddresses>>,
    /// email: where readers unsubscribe (a mailto: or https URL), sent as `List-Unsubscribe`.
    #[schemars(with = "Option<String>")]
    pub unsubscribe: Option<Str>,
    /// Only incidents that affect one of these components (incidents that name none are always sent).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub components: Vec<Str>,
    /// Only these kinds (outage, degraded, data_breach, security, maintenance, notice).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub kinds: Vec<Str>,
    /// Only incidents at least this bad (maintenance and notices are filtered by `kinds` only).
    #[schemars(schema_with = "shapes::impact")]
    pub min_impact: Option<Str>,
    /// The language messages are written in: one of the site's languages (default: the site's).
    #[schemars(schema_with = "shapes::language")]
    pub language: Option<Str>,
    /// The team's own channel: `candor notify --remind` sends it promise and silence reminders.
    #[schemars(with = "Option<bool>")]
    pub remind: Option<Spanned<bool>>,
}

/// The SMTP server an email channel sends through.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    /// The server's host name.
    #[schemars(with = "String", required)]
    pub host: Option<Str>,
    /// The port (default: 587 for starttls, 465 for tls, 25 for none).
    #[schemars(with = "Option<u16>")]
    pub port: Option<Spanned<u16>>,
    /// `starttls` (default), `tls` (TLS from the first byte) or `none` (only to this machine).
    #[schemars(schema_with = "shapes::smtp_tls")]
    pub tls: Option<Str>,
    /// The environment variable holding the user name, if the server needs one.
    #[schemars(schema_with = "shapes::env_name")]
    pub user_env: Option<Str>,
    /// The environment variable holding the password.
    #[schemars(schema_with = "shapes::env_name")]
    pub password_env: Option<Str>,
}

/// `to:` as written: one address or a list of them.
#[derive(Debug, Default)]
pub struct RawAddresses(pub Vec<String>);

impl<'de> Deserialize<'de> for RawAddresses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AddressesVisitor)
    }
}

struct AddressesVisitor;

impl<'de> Visitor<'de> for AddressesVisitor {
    type Value = RawAddresses;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an email address, or a list of them")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawAddresses, E> {
        Ok(RawAddresses(vec![v.to_owned()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawAddresses, A::Error> {
        let mut all = Vec::new();
        while let Some(address) = seq.next_element::<String>()? {
            all.push(address);
        }
        Ok(RawAddresses(all))
    }
}
