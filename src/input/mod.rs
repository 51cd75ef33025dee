//! The files users write, exactly as written: `site.yaml` and incident files.
//!
//! These types mirror the YAML one to one and keep the line and column of every
//! value (`Spanned`), so the validation in [`crate::validate`] can say where a
//! problem is. Values whose meaning depends on other values (times, statuses,
//! component ids) stay strings here; validation turns them into domain types
//! and reports every problem it finds, not only the first.

use std::fmt;
use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

pub mod notify;
pub mod quick;
pub mod shapes;

pub use notify::{RawAddresses, RawChannel, RawNotify, RawSmtp};

use crate::diagnostic::{Diagnostic, Pos};
use crate::files::MAX_FILE_BYTES;

/// A string value with the position it was written at.
pub type Str = Spanned<String>;

/// Prose with the position it was written at: one text, or one per language.
pub type Prose = Spanned<RawText>;

/// Prose as written: a plain text in the default language, or a map from
/// language to text (`title: { en: ..., fi: ... }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawText {
    /// One text, in the default language.
    Plain(String),
    /// One text per language, in the order written, with the position of each language key and text.
    ByLanguage(Vec<(Str, Str)>),
}

impl JsonSchema for RawText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        shapes::text(generator)
    }
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = RawText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text, or a map from language (such as `en`) to text")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawText, E> {
        Ok(RawText::Plain(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawText, A::Error> {
        let mut entries = Vec::new();
        while let Some((language, text)) = map.next_entry::<Str, Str>()? {
            entries.push((language, text));
        }
        Ok(RawText::ByLanguage(entries))
    }
}

/// The position of a spanned value, in the form diagnostics use.
pub fn pos_of<T>(value: &Spanned<T>) -> Pos {
    let loc = value.referenced;
    Pos::new(clamp(loc.line()), clamp(loc.column()))
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `site.yaml` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "candor site.yaml")]
pub struct RawSite {
    /// The site's name, shown in the header and every page title.
    #[schemars(with = "RawText", required)]
    pub title: Option<Prose>,
    /// The absolute http(s) URL the site is published at, e.g. https://status.example.com/.
    #[schemars(with = "Option<String>")]
    pub base_url: Option<Str>,
    /// An IANA time zone name, e.g. Europe/Helsinki: times are shown in it and naive times read in it.
    #[schemars(with = "String", required)]
    pub timezone: Option<Str>,
    /// The default language: the site is built in it at the root.
    #[schemars(schema_with = "shapes::language")]
    pub language: Option<Str>,
    /// Every language the site is built in; the others go under `LANG/` with a language switcher.
    #[schemars(schema_with = "shapes::languages")]
    pub languages: Option<Spanned<Vec<Str>>>,
    /// A sentence shown under the overall status.
    #[schemars(with = "Option<RawText>")]
    pub description: Option<Prose>,
    /// Where readers get help.
    #[schemars(with = "Option<RawContact>")]
    pub contact: Option<Spanned<RawContact>>,
    /// Links in the page header.
    #[serde(default)]
    #[schemars(with = "Vec<RawLink>")]
    pub links: Vec<Spanned<RawLink>>,
    /// How many days the history bars and uptime cover (default 90).
    #[schemars(with = "Option<u32>", range(min = 1, max = 3650))]
    pub history_days: Option<Spanned<u32>>,
    /// Freezes the clock: build as if it were this moment (for demos and archives).
    #[schemars(schema_with = "shapes::time")]
    pub now: Option<Str>,
    /// The folder under themes/ whose files override the built-in theme (default: default).
    #[schemars(with = "Option<String>")]
    pub theme: Option<Str>,
    /// Link to folders (incidents/x/) instead of their index.html.
    #[schemars(with = "Option<bool>")]
    pub pretty_urls: Option<Spanned<bool>>,
    /// Hosts that images in Markdown may load from, besides the site itself (e.g. cdn.example.com).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub image_hosts: Vec<Str>,
    /// Thresholds of `candor check`.
    #[schemars(with = "Option<RawCheck>")]
    pub check: Option<Spanned<RawCheck>>,
    /// Where `candor notify` delivers each update: webhooks, chats, email, Mastodon.
    #[schemars(with = "Option<RawNotify>")]
    pub notify: Option<Spanned<RawNotify>>,
    /// Whether edits made after publishing are shown, from the git history of each incident file.
    #[schemars(with = "Option<RawCorrections>")]
    pub corrections: Option<Spanned<RawCorrections>>,
    /// The components the page reports on, in display order.
    #[schemars(with = "Vec<RawComponent>", required, length(min = 1))]
    pub components: Option<Spanned<Vec<Spanned<RawComponent>>>>,
    /// Groups of readers (regions, plans, people who use one feature), each with the components it depends on:
    /// each gets its own pages under `for/ID/`, feed, calendar, badge and JSON.
    #[serde(default)]
    #[schemars(with = "Vec<RawAudience>")]
    pub audiences: Vec<Spanned<RawAudience>>,
}

/// A group of readers, as declared in `site.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAudience {
    /// A short id in lower-case letters, digits and hyphens, used in `advice:` and URLs (`for/ID/`);
    /// unique among audiences and components.
    #[schemars(schema_with = "shapes::slug", required)]
    pub id: Option<Str>,
    /// The name readers see, such as "Enterprise customers".
    #[schemars(with = "RawText", required)]
    pub name: Option<Prose>,
    /// Who belongs to it, in a sentence.
    #[schemars(with = "Option<RawText>")]
    pub description: Option<Prose>,
    /// The components these readers depend on: an incident naming one of them affects them.
    #[schemars(with = "Vec<String>", required, length(min = 1))]
    pub components: Option<Spanned<Vec<Str>>>,
}

/// Advice to some readers: what an incident means for them and what to do.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAdvice {
    /// Whom it is for: audience ids, or component ids (for everyone who uses that component).
    #[serde(rename = "for")]
    #[schemars(with = "Vec<String>", required, length(min = 1))]
    pub readers: Option<Spanned<Vec<Str>>>,
    /// What it means for them and what they should do (Markdown).
    #[schemars(with = "RawText", required)]
    pub body: Option<Prose>,
}

/// Thresholds of the communication lints. Durations are written like `60m`, `1h` or `3d`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    /// How long an ongoing incident may go without an update and without a pending promise (default 60m).
    #[schemars(with = "Option<String>")]
    pub max_silence: Option<Str>,
    /// How soon after detection the first public update should come (default 30m).
    #[schemars(with = "Option<String>")]
    pub first_update_within: Option<Str>,
    /// How soon after detection people affected by a data breach must hear (default 72h).
    #[schemars(with = "Option<String>")]
    pub breach_notice_within: Option<Str>,
    /// How soon an ongoing incident that affects an audience should tell it what to do (`advice:`); unset, never checked.
    #[schemars(with = "Option<String>")]
    pub advice_within: Option<Str>,
    /// How soon a promise due is flagged as due soon (default 10m).
    #[schemars(with = "Option<String>")]
    pub promise_due_soon: Option<Str>,
    /// How far `resolved_at` may be from the first `resolved` update (default 1h).
    #[schemars(with = "Option<String>")]
    pub resolved_at_tolerance: Option<Str>,
    /// Days after the end by which a post-mortem is due for major and critical incidents and breaches (default 7).
    #[schemars(with = "Option<u32>")]
    pub postmortem_due_days: Option<Spanned<u32>>,
    /// Days of notice maintenance should be announced with (default 3).
    #[schemars(with = "Option<u32>")]
    pub maintenance_notice_days: Option<Spanned<u32>>,
}

/// Corrections in the open: what changed in an incident after it was published.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCorrections {
    /// Read the git history and show edits made after publishing (default true; nothing to show outside git).
    #[schemars(with = "Option<bool>")]
    pub enabled: Option<Spanned<bool>>,
    /// How long after an update is first published an edit is still a fix, not a correction (default 5m).
    #[schemars(with = "Option<String>")]
    pub grace: Option<Str>,
}

/// A lint silenced for one incident, with the reason why.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAllow {
    /// The lint's code, e.g. postmortem-missing.
    #[schemars(with = "String", required)]
    pub lint: Option<Str>,
    /// Why it does not apply here; shown to whoever reads the file next.
    #[schemars(with = "String", required)]
    pub reason: Option<Str>,
}

/// Where readers can get help.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    /// A support address.
    #[schemars(with = "Option<String>")]
    pub email: Option<Str>,
    /// A support page (http or https).
    #[schemars(with = "Option<String>")]
    pub url: Option<Str>,
}

/// A link shown in the page header.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    /// The link's text.
    #[schemars(with = "RawText", required)]
    pub name: Option<Prose>,
    /// Where it goes: an http, https or mailto URL.
    #[schemars(with = "String", required)]
    pub url: Option<Str>,
}

/// A component as declared in `site.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    /// A short id in lower-case letters, digits and hyphens, used in incident files and URLs.
    #[schemars(schema_with = "shapes::slug", required)]
    pub id: Option<Str>,
    /// The name readers see.
    #[schemars(with = "RawText", required)]
    pub name: Option<Prose>,
    /// The group it is shown under.
    #[schemars(with = "Option<RawText>")]
    pub group: Option<Prose>,
    /// A short description.
    #[schemars(with = "Option<RawText>")]
    pub description: Option<Prose>,
}

/// One incident file as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "candor incident")]
pub struct RawIncident {
    /// What happened, in a few words readers understand.
    #[schemars(with = "RawText", required)]
    pub title: Option<Prose>,
    /// What kind of event this is.
    #[schemars(schema_with = "shapes::kind", required)]
    pub kind: Option<Str>,
    /// How bad it is for the people affected (required except on maintenance and notices).
    #[schemars(schema_with = "shapes::impact")]
    pub impact: Option<Str>,
    /// Affected components: a list of ids, or a map from id to status.
    #[serde(default)]
    pub components: RawAffected,
    /// For incidents, when people were first affected; for maintenance and notices, when announced.
    #[schemars(schema_with = "shapes::required_time", required)]
    pub started_at: Option<Str>,
    /// When you noticed.
    #[schemars(schema_with = "shapes::time")]
    pub detected_at: Option<Str>,
    /// When it ended; omit while ongoing.
    #[schemars(schema_with = "shapes::time")]
    pub resolved_at: Option<Str>,
    /// A summary shown above the timeline (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub summary: Option<Prose>,
    /// The public timeline, in any order.
    #[schemars(with = "Vec<RawUpdate>", required, length(min = 1))]
    pub updates: Option<Spanned<Vec<Spanned<RawUpdate>>>>,
    /// What happened, why, and what will stop it happening again.
    #[schemars(with = "Option<RawPostmortem>")]
    pub postmortem: Option<Spanned<RawPostmortem>>,
    /// What people affected by a data breach need to know (required when kind is data_breach).
    #[schemars(with = "Option<RawBreach>")]
    pub breach: Option<Spanned<RawBreach>>,
    /// The maintenance window (required when kind is maintenance).
    #[schemars(with = "Option<RawWindow>")]
    pub scheduled: Option<Spanned<RawWindow>>,
    /// For notices: when the announced change takes effect.
    #[schemars(schema_with = "shapes::time")]
    pub effective_at: Option<Str>,
    /// Lints of `candor check` that do not apply to this incident, each with a reason.
    #[serde(default)]
    #[schemars(with = "Vec<RawAllow>")]
    pub allow: Vec<Spanned<RawAllow>>,
    /// Old addresses of this incident, such as `incidents/abc123` or `issues/some-slug/`: paths
    /// relative to the site root, at each of which the build writes a page that redirects here.
    #[serde(default)]
    #[schemars(schema_with = "shapes::aliases")]
    pub aliases: Vec<Str>,
    /// What the incident means for some readers, shown first on their pages: `for` audiences or components.
    #[serde(default)]
    #[schemars(with = "Vec<RawAdvice>")]
    pub advice: Vec<Spanned<RawAdvice>>,
}

/// One entry of an incident's public timeline.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    /// When it was published.
    #[schemars(schema_with = "shapes::required_time", required)]
    pub at: Option<Str>,
    /// What it reports (none on notices).
    #[schemars(schema_with = "shapes::update_status")]
    pub status: Option<Str>,
    /// What it says (Markdown).
    #[schemars(with = "RawText", required)]
    pub body: Option<Prose>,
    /// A promise: the next update will come by this time.
    #[schemars(schema_with = "shapes::time")]
    pub next_update_by: Option<Str>,
    /// Advice as of this update; for the readers it names, it replaces the advice given before.
    #[serde(default)]
    #[schemars(with = "Vec<RawAdvice>")]
    pub advice: Vec<Spanned<RawAdvice>>,
}

/// The post-mortem section.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPostmortem {
    /// When it was published; not shown before then.
    #[schemars(schema_with = "shapes::time")]
    pub published_at: Option<Str>,
    /// What happened (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub summary: Option<Prose>,
    /// Who was affected and how (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub impact: Option<Prose>,
    /// Why it happened (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub root_cause: Option<Prose>,
    /// How it was fixed (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub resolution: Option<Prose>,
    /// What will be done so it does not happen again.
    #[serde(default)]
    #[schemars(with = "Vec<RawActionItem>")]
    pub action_items: Vec<Spanned<RawActionItem>>,
    /// What was learned (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub lessons: Option<Prose>,
}

/// What the company will do so it does not happen again.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawActionItem {
    /// What will be done.
    #[schemars(with = "RawText", required)]
    pub text: Option<Prose>,
    /// How far it has got.
    #[schemars(schema_with = "shapes::action_status", required)]
    pub status: Option<Str>,
    /// When it is due (YYYY-MM-DD).
    #[schemars(schema_with = "shapes::date")]
    pub due: Option<Str>,
    /// When it was done (YYYY-MM-DD).
    #[schemars(schema_with = "shapes::date")]
    pub done_at: Option<Str>,
}

/// The facts people affected by a data breach need.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBreach {
    /// Which kinds of data were exposed.
    #[serde(default)]
    #[schemars(with = "Vec<RawText>")]
    pub data_affected: Vec<Prose>,
    /// How many people: a number, or a text such as "about 12,000".
    #[schemars(with = "Option<PeopleCount>")]
    pub people_affected: Option<Spanned<PeopleCount>>,
    /// Concrete steps for the people affected (Markdown).
    #[schemars(with = "Option<RawText>")]
    pub what_you_should_do: Option<Prose>,
    /// When the supervisory authority was notified.
    #[schemars(schema_with = "shapes::time")]
    pub authority_notified_at: Option<Str>,
}

/// A maintenance window.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    /// When the work starts.
    #[schemars(schema_with = "shapes::required_time", required)]
    pub start: Option<Str>,
    /// When it ends.
    #[schemars(schema_with = "shapes::required_time", required)]
    pub end: Option<Str>,
}

/// The components an incident affects: a list (status implied by impact) or a
/// map from component id to status. Kept as pairs in the written order.
#[derive(Debug, Default)]
pub struct RawAffected(pub Vec<(Str, Option<Str>)>);

impl JsonSchema for RawAffected {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Components".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        shapes::affected(generator)
    }
}

impl<'de> Deserialize<'de> for RawAffected {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AffectedVisitor)
    }
}

struct AffectedVisitor;

impl<'de> Visitor<'de> for AffectedVisitor {
    type Value = RawAffected;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of component ids, or a map from component id to status")
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawAffected, E> {
        Ok(RawAffected::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawAffected, A::Error> {
        let mut pairs = Vec::new();
        while let Some(id) = seq.next_element::<Str>()? {
            pairs.push((id, None));
        }
        Ok(RawAffected(pairs))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAffected, A::Error> {
        let mut pairs = Vec::new();
        while let Some((id, status)) = map.next_entry::<Str, Str>()? {
            pairs.push((id, Some(status)));
        }
        Ok(RawAffected(pairs))
    }
}

/// `people_affected`: a number, or a text such as "about 12,000".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeopleCount {
    /// An exact count.
    Exact(u64),
    /// An estimate in words.
    Words(String),
}

impl JsonSchema for PeopleCount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PeopleAffected".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole number, or a text such as \"about 12,000\"",
            "type": ["integer", "string"],
            "minimum": 0
        })
    }
}

impl<'de> Deserialize<'de> for PeopleCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PeopleVisitor)
    }
}

struct PeopleVisitor;

impl Visitor<'_> for PeopleVisitor {
    type Value = PeopleCount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number or a text such as \"about 12,000\"")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PeopleCount, E> {
        Ok(PeopleCount::Exact(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PeopleCount, E> {
        u64::try_from(v).map(PeopleCount::Exact).map_err(|_| E::custom("expected a count of zero or more"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<PeopleCount, E> {
        Ok(PeopleCount::Words(v.to_owned()))
    }
}

/// Parses YAML text into `T`, refusing duplicate keys, tabs in indentation and
/// alias expansion beyond a small budget, and turning any failure into one
/// located diagnostic for `file`.
pub fn from_yaml<T: for<'de> Deserialize<'de>>(text: &str, file: &Path) -> Result<T, Diagnostic> {
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Diagnostic::error("empty-file", file, Pos::FILE, "the file is empty")
            .with_hint("write the fields this file needs, or delete it"));
    }
    serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|e| yaml_diagnostic(&e, text, file))
}

/// Like [`from_yaml`], for reading many files fast: the values carry their line and
/// column but no byte spans. [`quick`] reads the everyday subset of YAML, and
/// serde-saphyr reads anything else and reports every error.
pub fn from_yaml_fast<T: for<'de> Deserialize<'de>>(text: &str, file: &Path) -> Result<T, Diagnostic> {
    match quick::from_str(text) {
        Some(value) => Ok(value),
        None => from_yaml(text, file),
    }
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        reject_unsupported_tags: true,
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 64,
            max_anchors: 64,
            max_nodes: 200_000,
            max_total_scalar_bytes: MAX_FILE_BYTES,
            max_recorded_anchor_bytes: 64 * 1024,
            max_documents: 1,
        },
    }
}

/// The first line at or after `line` (one-based) whose indentation holds a
/// tab, and the tab's column: the parser points at where the tab stopped it
/// (sometimes the line before), the author wants the tab itself.
fn tab_in_indentation(text: &str, line: u32) -> Option<Pos> {
    text.lines().enumerate().skip(line.checked_sub(1)? as usize).find_map(|(i, content)| {
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        let column = content[..indent].find('\t')?;
        Some(Pos::new(clamp(i as u64 + 1), clamp(column as u64 + 1)))
    })
}

/// Whether the parser stopped at a tab where YAML wants spaces.
fn is_tab_error(message: &str) -> bool {
    message.starts_with("tabs disallowed") || message.contains("found a tab")
}

fn yaml_diagnostic(error: &serde_saphyr::Error, text: &str, file: &Path) -> Diagnostic {
    let mut pos = error.location().map_or(Pos::FILE, |l| Pos::new(clamp(l.line()), clamp(l.column())));
    let raw = error.to_string();
    let tab = is_tab_error(&raw).then(|| tab_in_indentation(text, pos.line)).flatten();
    if let Some(at) = tab {
        pos = at;
    }
    let (message, hint) = if tab.is_some() { explain_yaml_error("tabs disallowed") } else { explain_yaml_error(&raw) };
    let diagnostic = Diagnostic::error("yaml", file, pos, message).with_source(text);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// Removes the location the parser appends (candor prints its own) and adds a
/// hint for the mistakes people actually make.
fn explain_yaml_error(raw: &str) -> (String, Option<String>) {
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].trim_end().to_owned(),
        None => raw.trim().to_owned(),
    };
    let message = message.trim_end_matches('.').to_owned();
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        let hint = "each key may appear once in a mapping; remove or merge the repeated one".to_owned();
        return (format!("the key `{key}` appears twice"), Some(hint));
    }
    if message.starts_with("tabs disallowed") {
        let hint = "YAML indents with spaces only; replace the tab with spaces (tabs inside a `|` text are fine)";
        return ("a tab is used for indentation".to_owned(), Some(hint.to_owned()));
    }
    if message.contains("Documents {") {
        let hint = "a line `---` starts a new document: one incident per file; remove it or move the rest to a file of its own";
        return ("the file holds more than one YAML document".to_owned(), Some(hint.to_owned()));
    }
    // An unknown field's message lists the known ones, `aliases` among them.
    let nesting = message.contains("budget") || message.contains("recursion limit") || message.contains("alias");
    if nesting && !message.contains("unknown field") {
        let hint =
            "an incident file needs no anchors, aliases or deep nesting; write the values out plainly".to_owned();
        return ("the file nests or repeats more than an incident file can".to_owned(), Some(hint));
    }
    let message = message.replace("expected string scalar", "expected a text");
    let hint = if message.contains("unknown field") {
        Some("check the spelling; the README lists every field".to_owned())
    } else if message.contains("invalid type") {
        Some(
            "a text field takes a single value; quote text that contains `: ` or starts with `[`, `{` or `*`"
                .to_owned(),
        )
    } else {
        None
    };
    (message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn parse(text: &str) -> Result<RawIncident, Diagnostic> {
        from_yaml(text, Path::new("incidents/x.yaml"))
    }

    #[test]
    fn keeps_positions_of_values() {
        let raw = parse("title: Outage\nkind: outage\ncomponents: { payments: major_outage }\n").unwrap();
        assert_eq!(pos_of(raw.kind.as_ref().unwrap()), Pos::new(2, 7));
        let (id, status) = &raw.components.0[0];
        assert_eq!(id.value, "payments");
        assert_eq!(pos_of(id), Pos::new(3, 15));
        assert_eq!(status.as_ref().unwrap().value, "major_outage");
    }

    #[test]
    fn unknown_fields_are_located_errors() {
        let err = parse("title: Outage\nimpcat: major\n").unwrap_err();
        assert_eq!(err.pos.line, 2, "{err}");
        assert!(err.message.contains("impcat"), "{err}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse("title: A\ntitle: B\n").unwrap_err();
        assert_eq!(err.pos.line, 2, "{err}");
        assert_eq!(err.message, "the key `title` appears twice", "{err}");
    }

    #[test]
    fn tabs_in_indentation_are_refused() {
        let err = parse("updates:\n\t- at: x\n").unwrap_err();
        assert_eq!(err.pos, Pos::new(2, 1));
    }

    #[test]
    fn tabs_inside_block_text_are_content() {
        let raw = parse("title: x\nupdates:\n  - body: |\n      \tpasted\tlog\n").unwrap();
        let updates = raw.updates.unwrap();
        let body = &updates.value[0].value.body.as_ref().unwrap().value;
        assert_eq!(*body, RawText::Plain("\tpasted\tlog\n".into()));
    }

    #[test]
    fn a_second_document_is_named_as_such() {
        let err = parse("title: A\n---\ntitle: B\n").unwrap_err();
        assert_eq!(err.message, "the file holds more than one YAML document", "{err}");
        assert_eq!(err.pos.line, 2);
    }

    #[test]
    fn empty_files_are_refused() {
        assert_eq!(parse("  \n# nothing\n").unwrap_err().code, "empty-file");
    }

    #[test]
    fn alias_bombs_fail_fast() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let result: Result<BTreeMap<String, serde::de::IgnoredAny>, _> = from_yaml(&text, Path::new("x.yaml"));
        assert!(result.is_err());
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn people_affected_takes_numbers_or_words() {
        let raw = parse("breach: { people_affected: 12000 }\n").unwrap();
        let people = raw.breach.unwrap().value.people_affected.unwrap().value;
        assert_eq!(people, PeopleCount::Exact(12000));
        let raw = parse("breach:\n  people_affected: about 12,000\n").unwrap();
        let people = raw.breach.unwrap().value.people_affected.unwrap().value;
        assert_eq!(people, PeopleCount::Words("about 12,000".into()));
    }
}
