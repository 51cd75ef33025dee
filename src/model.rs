//! The validated site: what the user wrote, as domain types.
//!
//! Everything here has passed validation, so later stages never check again:
//! times are instants, statuses are enums, component references exist, updates
//! are in time order. The model knows nothing about HTML or any output format.

use std::fmt;
use std::path::PathBuf;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::diagnostic::Pos;

/// Text a person wrote, in the site's default language and possibly others.
///
/// Shown as written (escaped by the templates), never interpreted. Control
/// characters (other than line breaks and tabs) and bidirectional overrides are
/// removed when the text is made: pasted from chat or email, they could hide or
/// reorder what readers see.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text {
    default: String,
    translations: Vec<(Language, String)>,
}

impl Text {
    /// Wraps a string the user wrote, in the default language.
    pub fn new(text: impl AsRef<str>) -> Self {
        Text { default: clean(text.as_ref()), translations: Vec::new() }
    }

    /// Adds the text in another language.
    pub fn with(mut self, language: Language, text: impl AsRef<str>) -> Self {
        self.translations.push((language, clean(text.as_ref())));
        self
    }

    /// The text in the default language.
    pub fn as_str(&self) -> &str {
        &self.default
    }

    /// The text in `language`, falling back to the default language.
    pub fn get(&self, language: Language) -> &str {
        self.translation(language).unwrap_or(&self.default)
    }

    /// The text in every language it is written in, the default first.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.default.as_str()).chain(self.translations.iter().map(|(_, t)| t.as_str()))
    }

    /// The text in `language` only if it was written in it (other than the default).
    pub fn translation(&self, language: Language) -> Option<&str> {
        self.translations.iter().find(|(l, _)| *l == language).map(|(_, t)| t.as_str())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.default)
    }
}

/// Whether `c` must not reach a reader: a control character other than a line
/// break or tab (a terminal escape, a NUL), or a bidirectional embedding,
/// override or isolate, which can make text read differently from how it is
/// stored (U+202A to U+202E, U+2066 to U+2069).
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t')) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` without the characters [`is_hidden`] names.
pub fn clean(text: &str) -> String {
    if !has_hidden(text) {
        return text.to_owned();
    }
    text.chars().filter(|c| !is_hidden(*c)).collect()
}

/// [`clean`] for text already owned, which is kept as it is when nothing is hidden in it.
pub fn cleaned(text: String) -> String {
    if has_hidden(&text) { clean(&text) } else { text }
}

/// Whether `text` holds a character [`is_hidden`] names.
fn has_hidden(text: &str) -> bool {
    // Every such character is an ASCII control or DEL, or starts with the byte 0xC2
    // (U+0080 to U+009F) or 0xE2 (U+202A to U+202E, U+2066 to U+2069).
    let suspect = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7F) | (b == 0xC2) | (b == 0xE2);
    any_byte(text, suspect) && text.chars().any(is_hidden)
}

/// Whether any byte of `text` is one `suspect` names. Most text has none of the
/// bytes that start a character worth a closer look, and looking for them a block
/// at a time, without stopping early inside a block, lets the compiler test many
/// bytes in one instruction.
pub fn any_byte(text: &str, suspect: impl Fn(u8) -> bool) -> bool {
    text.as_bytes().chunks(64).any(|block| block.iter().fold(false, |seen, &b| seen | suspect(b)))
}

/// Markdown a person wrote: rendered, then sanitised, before it is shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Markdown(pub Text);

impl Markdown {
    /// The Markdown source.
    pub fn source(&self) -> &str {
        self.0.as_str()
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id that already satisfies [`is_slug`].
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            /// The id as written; also its URL path segment.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A component's id, unique in `site.yaml`, used in URLs.
    ComponentId
);
id_type!(
    /// An incident's id: its file stem, unique across `incidents/`, used in URLs.
    IncidentId
);
id_type!(
    /// An audience's id, unique among audiences and components in `site.yaml`, used in URLs (`for/ID/`).
    AudienceId
);

/// The longest an id may be: ids become folder names and URLs, and file
/// systems refuse names much longer than this.
pub const MAX_ID_LEN: usize = 100;

/// Whether `text` is a valid id: `^[a-z0-9][a-z0-9-]*$`.
pub fn is_slug(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A language candor ships UI strings for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// English.
    En,
    /// Finnish.
    Fi,
}

impl Language {
    /// Every language candor ships, for messages and validation.
    pub const ALL: [Language; 2] = [Language::En, Language::Fi];

    /// The BCP 47 tag, as written in `site.yaml` and used in `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fi => "fi",
        }
    }

    /// The language with `tag`, if candor ships it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.tag() == tag)
    }
}

/// How to reach the company for help.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    /// A support address.
    pub email: Option<String>,
    /// A support page.
    pub url: Option<String>,
}

/// A link in the page header.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The link's text.
    pub name: Text,
    /// Where it goes (http, https or mailto).
    pub url: String,
}

/// The site's settings from `site.yaml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// The page title.
    pub title: Text,
    /// Absolute URL the site is published at, ending in `/`.
    pub base_url: Option<String>,
    /// The time zone times are shown in and naive times are read in.
    pub timezone: TimeZone,
    /// The IANA name of `timezone`.
    pub timezone_name: String,
    /// The default language: built at the root of the site.
    pub language: Language,
    /// Every language the site is built in, the default first; the others under `LANG/`.
    pub languages: Vec<Language>,
    /// A sentence under the title.
    pub description: Option<Text>,
    /// How to reach the company.
    pub contact: Option<Contact>,
    /// Header links.
    pub links: Vec<Link>,
    /// How many days the history bars cover.
    pub history_days: u32,
    /// A frozen clock, for demos and archives.
    pub now: Option<Timestamp>,
    /// The theme folder under `themes/` that overrides built-in files.
    pub theme: String,
    /// Where `theme:` is written in `site.yaml`, if it is.
    pub theme_pos: Option<Pos>,
    /// Link to folders (`incidents/x/`) instead of their `index.html`.
    pub pretty_urls: bool,
    /// Hosts images in Markdown may load from, besides the site itself.
    pub image_hosts: Vec<String>,
    /// Components in the order written.
    pub components: Vec<Component>,
    /// Groups of readers, each with its own pages, in the order written.
    pub audiences: Vec<Audience>,
    /// Thresholds of the communication lints.
    pub check: CheckConfig,
    /// Where `candor notify` delivers, and how.
    pub notify: Notify,
    /// Whether edits made after publishing are shown, and what counts as one.
    pub corrections: Corrections,
}

/// `corrections:` in `site.yaml`: whether readers see what changed after it was published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrections {
    /// Whether earlier versions are read and shown.
    pub enabled: bool,
    /// How long after something is first published an edit is still a fix made at once, not a correction.
    pub grace: SignedDuration,
}

impl Default for Corrections {
    fn default() -> Self {
        Corrections { enabled: true, grace: SignedDuration::from_mins(5) }
    }
}

/// `notify:` in `site.yaml`: the channels `candor notify` delivers to, and how hard it tries.
#[derive(Clone, Debug, PartialEq)]
pub struct Notify {
    /// The channels, in the order written.
    pub channels: Vec<Channel>,
    /// Events older than this are never sent.
    pub max_age: SignedDuration,
    /// Tries per delivery before the channel counts as failed for this run.
    pub attempts: u32,
    /// The wait before the first retry; doubled after each.
    pub retry_delay: SignedDuration,
    /// How long one request may take in all.
    pub timeout: SignedDuration,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            channels: Vec::new(),
            max_age: SignedDuration::from_hours(24),
            attempts: 3,
            retry_delay: SignedDuration::from_secs(2),
            timeout: SignedDuration::from_secs(10),
        }
    }
}

/// The kinds of channel `candor notify` delivers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelType {
    /// JSON in Statuspage's subscriber-webhook shape, signed.
    Webhook,
    /// A Slack incoming webhook (Block Kit).
    Slack,
    /// A Mattermost incoming webhook.
    Mattermost,
    /// A Discord webhook.
    Discord,
    /// A Microsoft Teams workflow webhook (Adaptive Card).
    Teams,
    /// Email over SMTP to a list address.
    Email,
    /// A status post on a Mastodon account.
    Mastodon,
}

impl ChannelType {
    /// Every channel type, in documentation order.
    pub const ALL: [ChannelType; 7] = [
        ChannelType::Webhook,
        ChannelType::Slack,
        ChannelType::Mattermost,
        ChannelType::Discord,
        ChannelType::Teams,
        ChannelType::Email,
        ChannelType::Mastodon,
    ];

    /// The word written in `site.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelType::Webhook => "webhook",
            ChannelType::Slack => "slack",
            ChannelType::Mattermost => "mattermost",
            ChannelType::Discord => "discord",
            ChannelType::Teams => "teams",
            ChannelType::Email => "email",
            ChannelType::Mastodon => "mastodon",
        }
    }
}

id_type!(
    /// A notification channel's id, unique in `site.yaml`; the ledger records deliveries under it.
    ChannelId
);

/// Where an HTTP channel sends: a URL kept in the environment, or one on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// The name of the environment variable holding the URL; the URL is never printed.
    Env(String),
    /// A URL on this machine (127.0.0.1, localhost, ::1), written in `site.yaml`, as tests do.
    Local(String),
}

/// How an SMTP connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SmtpTls {
    /// Plain SMTP, upgraded with STARTTLS, which the server must offer.
    StartTls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: only for a server on this machine.
    None,
}

impl SmtpTls {
    /// Every mode, the default first.
    pub const ALL: [SmtpTls; 3] = [SmtpTls::StartTls, SmtpTls::Tls, SmtpTls::None];

    /// The word written in `site.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            SmtpTls::StartTls => "starttls",
            SmtpTls::Tls => "tls",
            SmtpTls::None => "none",
        }
    }

    /// The port the mode is usually served on.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        }
    }
}

/// The SMTP server an email channel sends through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Smtp {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// How the connection is protected.
    pub tls: SmtpTls,
    /// The environment variable holding the user name.
    pub user_env: Option<String>,
    /// The environment variable holding the password.
    pub password_env: Option<String>,
}

/// An email channel: the server, the sender and the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// The SMTP server.
    pub smtp: Smtp,
    /// The sender, as written (`Name <address>` or an address).
    pub from: String,
    /// The list addresses.
    pub to: Vec<String>,
    /// Where readers unsubscribe, for `List-Unsubscribe`.
    pub unsubscribe: Option<String>,
}

/// Where a channel delivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A signed Statuspage-shaped webhook.
    Webhook {
        /// Where to POST.
        url: Endpoint,
        /// The environment variable holding the signing secret.
        secret_env: Option<String>,
    },
    /// A chat's incoming webhook: Slack, Mattermost, Discord or Teams.
    Chat {
        /// Which chat (one of the four).
        chat: ChannelType,
        /// Where to POST.
        url: Endpoint,
    },
    /// Email through SMTP.
    Email(Email),
    /// A Mastodon account.
    Mastodon {
        /// The server's URL (`https://mastodon.example`).
        server: Endpoint,
        /// The environment variable holding the access token.
        token_env: String,
    },
}

/// Which incidents a channel is told about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only incidents affecting one of these (incidents naming no component always pass); all when empty.
    pub components: Vec<ComponentId>,
    /// Only these kinds; all when empty.
    pub kinds: Vec<Kind>,
    /// Only incidents at least this bad; maintenance and notices are not filtered by impact.
    pub min_impact: Option<Impact>,
}

impl Filter {
    /// Whether `incident` concerns the people this channel reaches.
    pub fn admits(&self, incident: &Incident) -> bool {
        let kind = self.kinds.is_empty() || self.kinds.contains(&incident.kind);
        let impact = !incident.kind.is_incident() || self.min_impact.is_none_or(|m| incident.impact >= m);
        let components = self.components.is_empty()
            || incident.components.is_empty()
            || incident.components.iter().any(|a| self.components.contains(&a.component));
        kind && impact && components
    }
}

/// One place `candor notify` delivers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    /// Its id.
    pub id: ChannelId,
    /// Where and how it delivers.
    pub target: Target,
    /// What it is told about.
    pub filter: Filter,
    /// The language its messages are written in.
    pub language: Language,
    /// Whether it is the team's channel, which `--remind` sends reminders to.
    pub remind: bool,
}

impl Channel {
    /// Its type, as written in `site.yaml`.
    pub fn kind(&self) -> ChannelType {
        match &self.target {
            Target::Webhook { .. } => ChannelType::Webhook,
            Target::Chat { chat, .. } => *chat,
            Target::Email(_) => ChannelType::Email,
            Target::Mastodon { .. } => ChannelType::Mastodon,
        }
    }
}

/// Thresholds of `candor check`, from `check:` in `site.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckConfig {
    /// How long an active incident may go without an update or a pending promise.
    pub max_silence: SignedDuration,
    /// How soon after detection the first public update should come.
    pub first_update_within: SignedDuration,
    /// How soon after detection people affected by a breach must hear.
    pub breach_notice_within: SignedDuration,
    /// How soon before its deadline a promise is flagged.
    pub promise_due_soon: SignedDuration,
    /// How soon an ongoing incident must tell each audience it affects what to do; `None`: not checked.
    pub advice_within: Option<SignedDuration>,
    /// How far `resolved_at` may be from the first final update.
    pub resolved_at_tolerance: SignedDuration,
    /// Days after the end by which a post-mortem is due.
    pub postmortem_due_days: u32,
    /// Days of notice for maintenance.
    pub maintenance_notice_days: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            max_silence: SignedDuration::from_mins(60),
            first_update_within: SignedDuration::from_mins(30),
            breach_notice_within: SignedDuration::from_hours(72),
            promise_due_soon: SignedDuration::from_mins(10),
            advice_within: None,
            resolved_at_tolerance: SignedDuration::from_hours(1),
            postmortem_due_days: 7,
            maintenance_notice_days: 3,
        }
    }
}

/// A lint silenced for one incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The lint's code.
    pub lint: String,
    /// Why.
    pub reason: Text,
}

impl Site {
    /// The component with `id`, if declared.
    pub fn component(&self, id: &ComponentId) -> Option<&Component> {
        self.components.iter().find(|c| &c.id == id)
    }

    /// The audience with `id`, if declared.
    pub fn audience(&self, id: &AudienceId) -> Option<&Audience> {
        self.audiences.iter().find(|a| &a.id == id)
    }
}

/// A group of readers (a region, a plan, the people who use one feature),
/// with the components it depends on: it gets pages of its own that show
/// only what affects it, and advice addressed to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Audience {
    /// Its id.
    pub id: AudienceId,
    /// Its name.
    pub name: Text,
    /// Who belongs to it.
    pub description: Option<Text>,
    /// The components it depends on, at least one, in the order written.
    pub components: Vec<ComponentId>,
}

impl Audience {
    /// Whether `incident` affects these readers: it names one of their
    /// components, names no component at all (so concerns everyone), or
    /// gives them advice.
    pub fn is_affected_by(&self, incident: &Incident) -> bool {
        incident.components.is_empty()
            || incident.components.iter().any(|a| self.components.contains(&a.component))
            || incident.advice_entries().any(|(_, advice)| advice.readers.iter().any(|r| r.is_audience(&self.id)))
    }

    /// Whether `advice` is meant for these readers: addressed to them, or to one of their components.
    pub fn is_reached_by(&self, advice: &Advice) -> bool {
        advice.readers.iter().any(|r| match r {
            Reader::Audience(id) => *id == self.id,
            Reader::Component(id) => self.components.contains(id),
        })
    }
}

/// Whom a piece of advice is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reader {
    /// The readers of one audience.
    Audience(AudienceId),
    /// Everyone who uses one component.
    Component(ComponentId),
}

impl Reader {
    /// Whether this is the audience `id`.
    pub fn is_audience(&self, id: &AudienceId) -> bool {
        matches!(self, Reader::Audience(a) if a == id)
    }
}

/// What an incident means for some readers and what they should do.
#[derive(Clone, Debug, PartialEq)]
pub struct Advice {
    /// Whom it is for, in the order written.
    pub readers: Vec<Reader>,
    /// What it says.
    pub body: Markdown,
    /// Where it is written.
    pub pos: Pos,
}

/// Something customers use whose status the page reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// Its id.
    pub id: ComponentId,
    /// Its name.
    pub name: Text,
    /// The group it is shown in, if any.
    pub group: Option<Text>,
    /// A short description.
    pub description: Option<Text>,
}

/// What kind of event an incident file describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Something does not work.
    Outage,
    /// Something works badly.
    Degraded,
    /// Personal data was exposed.
    DataBreach,
    /// A security problem that is not (known to be) a breach.
    Security,
    /// Planned work.
    Maintenance,
    /// An announcement, such as a service being retired.
    Notice,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: [Kind; 6] =
        [Kind::Outage, Kind::Degraded, Kind::DataBreach, Kind::Security, Kind::Maintenance, Kind::Notice];

    /// The word written in incident files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Outage => "outage",
            Kind::Degraded => "degraded",
            Kind::DataBreach => "data_breach",
            Kind::Security => "security",
            Kind::Maintenance => "maintenance",
            Kind::Notice => "notice",
        }
    }

    /// The impact an incident of this kind has when none is written.
    pub fn default_impact(self) -> Impact {
        match self {
            Kind::Degraded => Impact::Minor,
            Kind::Maintenance | Kind::Notice => Impact::None,
            Kind::Outage | Kind::DataBreach | Kind::Security => Impact::Major,
        }
    }

    /// The status a component listed without one gets from an incident of
    /// this kind: an outage or a degradation as bad as its impact; a breach
    /// or a security incident none (it is about data, not availability; the
    /// map form says otherwise when systems are down too); maintenance
    /// `under_maintenance`; a notice none.
    pub fn implied_status(self, impact: Impact) -> ComponentStatus {
        match self {
            Kind::Outage | Kind::Degraded => impact.implied_status(),
            Kind::DataBreach | Kind::Security | Kind::Notice => ComponentStatus::Operational,
            Kind::Maintenance => ComponentStatus::UnderMaintenance,
        }
    }

    /// Incidents proper: what the investigating-to-resolved vocabulary applies to.
    pub fn is_incident(self) -> bool {
        !matches!(self, Kind::Maintenance | Kind::Notice)
    }
}

/// How bad an incident is for the people affected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// No visible effect.
    None,
    /// Some people notice.
    Minor,
    /// Many people are affected.
    Major,
    /// The service is unusable.
    Critical,
}

impl Impact {
    /// Every impact, from least to most severe.
    pub const ALL: [Impact; 4] = [Impact::None, Impact::Minor, Impact::Major, Impact::Critical];

    /// The word written in incident files, and Statuspage's.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Minor => "minor",
            Impact::Major => "major",
            Impact::Critical => "critical",
        }
    }

    /// The status a component listed without one gets.
    pub fn implied_status(self) -> ComponentStatus {
        match self {
            Impact::None => ComponentStatus::Operational,
            Impact::Minor => ComponentStatus::DegradedPerformance,
            Impact::Major => ComponentStatus::PartialOutage,
            Impact::Critical => ComponentStatus::MajorOutage,
        }
    }
}

/// A component's status, in Statuspage's vocabulary, ordered from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentStatus {
    /// Working normally.
    Operational,
    /// Planned work is under way.
    UnderMaintenance,
    /// Working, slowly or with errors.
    DegradedPerformance,
    /// Not working for some people.
    PartialOutage,
    /// Not working.
    MajorOutage,
}

impl ComponentStatus {
    /// Every status, from best to worst.
    pub const ALL: [ComponentStatus; 5] = [
        ComponentStatus::Operational,
        ComponentStatus::UnderMaintenance,
        ComponentStatus::DegradedPerformance,
        ComponentStatus::PartialOutage,
        ComponentStatus::MajorOutage,
    ];

    /// The word written in incident files, and Statuspage's.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    /// The share of time in this status that counts as downtime.
    pub fn downtime_weight(self) -> f64 {
        match self {
            ComponentStatus::MajorOutage => 1.0,
            ComponentStatus::PartialOutage => 0.3,
            _ => 0.0,
        }
    }

    /// The impact this status corresponds to, for the overall indicator.
    pub fn impact(self) -> Impact {
        match self {
            ComponentStatus::Operational | ComponentStatus::UnderMaintenance => Impact::None,
            ComponentStatus::DegradedPerformance => Impact::Minor,
            ComponentStatus::PartialOutage => Impact::Major,
            ComponentStatus::MajorOutage => Impact::Critical,
        }
    }
}

/// The status an update reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpdateStatus {
    /// Incident: looking for the cause.
    Investigating,
    /// Incident: the cause is known.
    Identified,
    /// Incident: a fix is in place and being watched.
    Monitoring,
    /// Incident: over.
    Resolved,
    /// Maintenance: announced.
    Scheduled,
    /// Maintenance: under way.
    InProgress,
    /// Maintenance: done, being checked.
    Verifying,
    /// Maintenance: over.
    Completed,
}

impl UpdateStatus {
    /// The statuses incidents use, in order.
    pub const INCIDENT: [UpdateStatus; 4] =
        [UpdateStatus::Investigating, UpdateStatus::Identified, UpdateStatus::Monitoring, UpdateStatus::Resolved];
    /// The statuses maintenance uses, in order.
    pub const MAINTENANCE: [UpdateStatus; 4] =
        [UpdateStatus::Scheduled, UpdateStatus::InProgress, UpdateStatus::Verifying, UpdateStatus::Completed];

    /// The word written in incident files, and Statuspage's.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "investigating",
            UpdateStatus::Identified => "identified",
            UpdateStatus::Monitoring => "monitoring",
            UpdateStatus::Resolved => "resolved",
            UpdateStatus::Scheduled => "scheduled",
            UpdateStatus::InProgress => "in_progress",
            UpdateStatus::Verifying => "verifying",
            UpdateStatus::Completed => "completed",
        }
    }

    /// Whether this status ends the incident or maintenance.
    pub fn is_final(self) -> bool {
        matches!(self, UpdateStatus::Resolved | UpdateStatus::Completed)
    }
}

/// One entry of an incident's public timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    /// When it was published.
    pub at: Timestamp,
    /// What it reports; `None` only on notices.
    pub status: Option<UpdateStatus>,
    /// What it says.
    pub body: Markdown,
    /// When the next update was promised by.
    pub next_update_by: Option<Timestamp>,
    /// Advice as of this update, replacing earlier advice for the readers it names.
    pub advice: Vec<Advice>,
    /// Where the update starts in its file.
    pub pos: Pos,
    /// Where its `at` is written.
    pub at_pos: Pos,
    /// Where the promise is written.
    pub promise_pos: Option<Pos>,
}

/// Progress on an action item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    /// Not started.
    Planned,
    /// Being worked on.
    InProgress,
    /// Finished.
    Done,
    /// Decided against.
    Dropped,
}

impl ActionStatus {
    /// Every action status.
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::Planned, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Dropped];

    /// The word written in incident files.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
}

/// A commitment made in a post-mortem.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionItem {
    /// What will be done.
    pub text: Text,
    /// How far it has got.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// When it was done.
    pub done_at: Option<Date>,
    /// Where it is written.
    pub pos: Pos,
}

/// What happened, why, and what will stop it happening again.
#[derive(Clone, Debug, PartialEq)]
pub struct Postmortem {
    /// When it was published; not shown before then.
    pub published_at: Option<Timestamp>,
    /// What happened.
    pub summary: Option<Markdown>,
    /// Who was affected and how.
    pub impact: Option<Markdown>,
    /// Why it happened.
    pub root_cause: Option<Markdown>,
    /// How it was fixed.
    pub resolution: Option<Markdown>,
    /// What will be done.
    pub action_items: Vec<ActionItem>,
    /// What was learned.
    pub lessons: Option<Markdown>,
    /// Where the section starts.
    pub pos: Pos,
}

/// How many people a breach affects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeopleAffected {
    /// An exact count.
    Count(u64),
    /// An estimate in words.
    Words(Text),
}

/// The facts people affected by a data breach need first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Breach {
    /// Which kinds of data were exposed.
    pub data_affected: Vec<Text>,
    /// How many people.
    pub people_affected: Option<PeopleAffected>,
    /// What they should do now.
    pub what_you_should_do: Option<Markdown>,
    /// When the authority was notified.
    pub authority_notified_at: Option<Timestamp>,
}

/// A maintenance window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// When the work starts.
    pub start: Timestamp,
    /// When it ends.
    pub end: Timestamp,
}

/// A component an incident affects, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Affected {
    /// Which component.
    pub component: ComponentId,
    /// Its status while the incident is active.
    pub status: ComponentStatus,
}

/// An old address of an incident, kept so links people shared still work:
/// the build writes a page there that redirects to the incident's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The path relative to the site root: a folder ending in `/`
    /// (`incidents/abc123/`), or a page ending in `.html`.
    pub path: String,
    /// Where it is written.
    pub pos: Pos,
}

impl Alias {
    /// The file the redirect page is written to: the folder's `index.html`, or the page itself.
    pub fn file(&self) -> String {
        if self.path.ends_with('/') { format!("{}index.html", self.path) } else { self.path.clone() }
    }
}

/// One incident file: an outage, a breach, a maintenance, a notice.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// Its id (file stem).
    pub id: IncidentId,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// Its title.
    pub title: Text,
    /// What kind of event.
    pub kind: Kind,
    /// How bad (`None` impact for maintenance and notices).
    pub impact: Impact,
    /// Affected components, in the order written.
    pub components: Vec<Affected>,
    /// For incidents: when people were first affected; otherwise when announced.
    pub started_at: Timestamp,
    /// When the company noticed.
    pub detected_at: Option<Timestamp>,
    /// When it ended, if written.
    pub resolved_at: Option<Timestamp>,
    /// A summary shown above the timeline.
    pub summary: Option<Markdown>,
    /// The public timeline, oldest first.
    pub updates: Vec<Update>,
    /// The post-mortem.
    pub postmortem: Option<Postmortem>,
    /// Breach facts (data breaches only).
    pub breach: Option<Breach>,
    /// The window (maintenance only).
    pub scheduled: Option<Window>,
    /// When an announced change takes effect (notices).
    pub effective_at: Option<Timestamp>,
    /// Where `kind` is written.
    pub kind_pos: Pos,
    /// Where `title` is written.
    pub title_pos: Pos,
    /// Where `resolved_at` is written.
    pub resolved_pos: Option<Pos>,
    /// Where the `breach` block starts.
    pub breach_pos: Option<Pos>,
    /// Where the `scheduled` window starts.
    pub scheduled_pos: Option<Pos>,
    /// Lints silenced for this incident.
    pub allow: Vec<Allow>,
    /// Its old addresses, each redirected to its page.
    pub aliases: Vec<Alias>,
    /// Advice for the whole incident, until an update gives its readers newer advice.
    pub advice: Vec<Advice>,
    /// The versions of this incident published before the one above, oldest first: what
    /// readers saw before each edit. Empty when nothing changed, or the history is unknown.
    pub revisions: Vec<Revision>,
}

impl Incident {
    /// Every piece of advice: the incident's own (update `None`), then each
    /// update's in timeline order. Its position in this order is its index in
    /// [`Incident::advice_at`] and in anything rendered from it.
    pub fn advice_entries(&self) -> impl Iterator<Item = (Option<usize>, &Advice)> + '_ {
        let own = self.advice.iter().map(|a| (None, a));
        own.chain(self.updates.iter().enumerate().flat_map(|(u, up)| up.advice.iter().map(move |a| (Some(u), a))))
    }

    /// The advice in effect for some readers after the first `shown` updates,
    /// as indexes into [`Incident::advice_entries`]: the latest of those
    /// updates with advice that `reaches` them gives it, or else the
    /// incident's own. Empty when nothing is said to them.
    pub fn advice_at(&self, shown: usize, reaches: impl Fn(&Advice) -> bool) -> Vec<usize> {
        let entries: Vec<(usize, Option<usize>)> = self
            .advice_entries()
            .enumerate()
            .filter(|(_, (u, a))| u.is_none_or(|u| u < shown) && reaches(a))
            .map(|(k, (u, _))| (k, u))
            .collect();
        let latest = entries.iter().filter_map(|(_, u)| *u).max();
        entries.into_iter().filter(|(_, u)| *u == latest).map(|(k, _)| k).collect()
    }
}

/// An earlier version of an incident, as readers saw it until an edit replaced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    /// The incident as this version said it (its own `revisions` are empty).
    pub incident: Box<Incident>,
    /// When this version was published.
    pub published_at: Timestamp,
    /// When the next version replaced it; `None` when that is the text being built, not yet published.
    pub replaced_at: Option<Timestamp>,
    /// Whether the edit that replaced it was declared a fix of wording alone.
    pub wording_fix: bool,
}

/// The whole validated input.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Settings.
    pub site: Site,
    /// Incidents, sorted by `started_at`, newest first, then by id.
    pub incidents: Vec<Incident>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_every_hidden_character() {
        // Each character of the first planes, alone and at either side of a block's edge.
        for c in ('\0'..='\u{3000}').chain(['\u{FEFF}', '\u{FFFD}', '\u{1F600}']) {
            for text in [c.to_string(), format!("{}{c}", "a".repeat(63)), format!("{}{c}x", "é".repeat(40))] {
                assert_eq!(has_hidden(&text), text.chars().any(is_hidden), "U+{:04X} in {text:?}", c as u32);
            }
        }
    }

    #[test]
    fn slugs() {
        for ok in ["a", "2026-03-14-storm", "api"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "_draft", "Bad Name", "-x", "a_b", "ä"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn statuses_order_from_best_to_worst() {
        assert!(ComponentStatus::MajorOutage > ComponentStatus::PartialOutage);
        assert!(ComponentStatus::DegradedPerformance > ComponentStatus::UnderMaintenance);
        assert!(ComponentStatus::UnderMaintenance > ComponentStatus::Operational);
    }
}
