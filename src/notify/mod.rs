//! `candor notify`: what is new since the last delivery, sent to every
//! configured channel, each event exactly once as far as the ledger knows.
//!
//! The pipeline's model and views at now give the [`events`] (no I/O); the
//! [`ledger`] says which of them each channel has had; [`channels`] make
//! each channel's message ([`message`] in words, [`markup`] for chats), and
//! [`deliver`] sends it with retries. The ledger is written after every
//! successful delivery, so a failure or a killed run loses nothing: what was
//! not recorded is sent on the next run.

pub mod channels;
pub mod deliver;
pub mod events;
pub mod ledger;
pub mod markup;
pub mod message;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::SmtpTransport;

use crate::build::{self, BuildError, Prepared, plural};
use crate::diagnostic::did_you_mean;
use crate::model::{Channel, ChannelId, ChannelType, Target};
use crate::render::Engine;
use channels::{Compose, Outgoing};
use deliver::{Failure, Http, Policy, with_retries};
use events::{Event, What};
use ledger::{Ledger, LedgerError};

/// How long a run waits for another run on the same machine to let go of the ledger.
const LOCK_WAIT: Duration = Duration::from_secs(600);

/// What `candor notify` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// `--now`, as written.
    pub now: Option<String>,
    /// Print every message instead of sending it, and change nothing.
    pub dry_run: bool,
    /// Also send the team's reminders to channels with `remind: true`.
    pub remind: bool,
    /// Only this channel.
    pub channel: Option<String>,
}

/// Why `candor notify` could not run at all.
#[derive(Debug)]
pub enum NotifyError {
    /// The site does not build.
    Build(BuildError),
    /// Something about the request or the site makes notifying impossible.
    Usage(String),
    /// The ledger cannot be read or locked.
    Ledger(LedgerError),
}

impl std::fmt::Display for NotifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotifyError::Build(e) => write!(f, "{}", e.summary(Path::new("public")).trim_start_matches("error: ")),
            NotifyError::Usage(m) => write!(f, "{m}"),
            NotifyError::Ledger(e) => write!(f, "{e}; nothing was sent"),
        }
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Messages delivered.
    pub sent: usize,
    /// Events recorded without sending (a channel's first run).
    pub recorded: usize,
    /// Messages a dry run would send.
    pub would_send: usize,
    /// Channels that failed, with why.
    pub failed: Vec<(ChannelId, String)>,
}

/// Runs `candor notify`, telling `say` what happens as it happens.
pub fn run(options: &Options, say: &mut dyn FnMut(String)) -> Result<Report, NotifyError> {
    let build_options = build::Options { root: options.root.clone(), now: options.now.clone(), ..Default::default() };
    let prepared = build::prepare(&build_options, None).map_err(NotifyError::Build)?;
    let site = &prepared.model.site;
    if site.notify.channels.is_empty() {
        say("no channels are configured under `notify:` in site.yaml; nothing to send".into());
        return Ok(Report::default());
    }
    if site.base_url.is_none() {
        return Err(NotifyError::Usage(
            "set `base_url` in site.yaml: every message links to the incident's page, and links in chats and mail must be absolute".into(),
        ));
    }
    let selected = select(&site.notify.channels, options.channel.as_deref())?;
    let engine = Engine::new(&prepared.theme).map_err(|e| NotifyError::Build(BuildError::Input(e.0)))?;
    let since = prepared.views.now - site.notify.max_age;
    let mut events = events::derive(&prepared.model, &prepared.views, since);
    if options.remind {
        let findings = build::lint(&prepared);
        events.extend(events::reminders(&prepared.model, &findings, since));
    }
    let _lock = match options.dry_run {
        true => None,
        false => Some(
            ledger::lock(&options.root, LOCK_WAIT, || say("waiting for another `candor notify` to finish".into()))
                .map_err(NotifyError::Ledger)?,
        ),
    };
    let path = ledger::path(&options.root);
    let display = Path::new(ledger::DIR).join(ledger::FILE);
    let loaded = Ledger::load(&path, &display).map_err(NotifyError::Ledger)?;
    let first_run = loaded.is_none();
    let mut run = Run {
        prepared: &prepared,
        compose: Compose::new(&prepared.model, &prepared.views, &prepared.theme, &engine),
        options,
        ledger: loaded.unwrap_or_default(),
        path,
        since,
        sender: Sender::new(&prepared),
        report: Report::default(),
    };
    for channel in selected {
        let theirs: Vec<Event> = events.iter().filter(|e| run.concerns(channel, e)).cloned().collect();
        run.channel(channel, &theirs, first_run, say);
    }
    run.finish(first_run, say);
    Ok(run.report)
}

/// The channels to deliver to: all, or the one `--channel` names.
fn select<'c>(channels: &'c [Channel], only: Option<&str>) -> Result<Vec<&'c Channel>, NotifyError> {
    let Some(id) = only else { return Ok(channels.iter().collect()) };
    if let Some(channel) = channels.iter().find(|c| c.id.as_str() == id) {
        return Ok(vec![channel]);
    }
    let ids: Vec<&str> = channels.iter().map(|c| c.id.as_str()).collect();
    let hint = match did_you_mean(id, ids.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("the channels are: {}", ids.join(", ")),
    };
    Err(NotifyError::Usage(format!("--channel: no channel `{id}` under `notify:` in site.yaml; {hint}")))
}

/// One run's state.
struct Run<'a> {
    prepared: &'a Prepared,
    compose: Compose<'a>,
    options: &'a Options,
    ledger: Ledger,
    path: PathBuf,
    since: jiff::Timestamp,
    sender: Sender,
    report: Report,
}

impl Run<'_> {
    /// Whether `event` is for `channel`: its filters, component changes for
    /// webhooks only, reminders for the team's channel only.
    fn concerns(&self, channel: &Channel, event: &Event) -> bool {
        let incident = &self.prepared.model.incidents[event.incident];
        let kind = match event.what {
            What::Component { .. } => channel.kind() == ChannelType::Webhook,
            What::Reminder { .. } => channel.remind,
            _ => true,
        };
        kind && channel.filter.admits(incident)
    }

    fn channel(&mut self, channel: &Channel, events: &[Event], first_run: bool, say: &mut dyn FnMut(String)) {
        if !self.ledger.knows(&channel.id) {
            self.ledger.open(&channel.id);
            for event in events {
                self.ledger.record(&channel.id, event);
            }
            self.report.recorded += events.len();
            if !first_run {
                let verb = if self.options.dry_run { "would record" } else { "recorded" };
                say(format!(
                    "{}: a new channel; {verb} the {} {} already published without sending {}",
                    channel.id,
                    events.len(),
                    plural(events.len(), "event", "events"),
                    plural(events.len(), "it", "them"),
                ));
            }
            self.save(say);
            return;
        }
        for event in self.ledger.pending(&channel.id, events) {
            if !self.deliver(channel, &event, say) {
                break;
            }
        }
    }

    /// Sends (or, in a dry run, prints) one event; `false` when the channel failed and must stop for this run.
    fn deliver(&mut self, channel: &Channel, event: &Event, say: &mut dyn FnMut(String)) -> bool {
        let outgoing = match self.compose.outgoing(channel, event) {
            Ok(Some(outgoing)) => outgoing,
            Ok(None) => return true,
            Err(why) => return self.failed(channel, event, &Failure { why, tries: 0 }, say),
        };
        let label = format!("{} {}", event.what.name(), event.key);
        if self.options.dry_run {
            self.report.would_send += 1;
            say(format!(
                "--- {} ({}, {}): {label}\n{}",
                channel.id,
                channel.kind().as_str(),
                destination(channel),
                outgoing.preview()
            ));
            return true;
        }
        match self.sender.send(channel, event, &outgoing) {
            Ok(tries) => {
                self.ledger.record(&channel.id, event);
                self.report.sent += 1;
                let retried = if tries > 1 { format!(" (after {tries} tries)") } else { String::new() };
                say(format!("sent {label} to {}{retried}", channel.id));
                self.save(say)
            }
            Err(failure) => self.failed(channel, event, &failure, say),
        }
    }

    fn failed(&mut self, channel: &Channel, event: &Event, failure: &Failure, say: &mut dyn FnMut(String)) -> bool {
        let tries = match failure.tries {
            0 | 1 => String::new(),
            n => format!(" (after {n} tries)"),
        };
        let why = format!("{} {}: {}{tries}", event.what.name(), event.key, failure.why);
        say(format!("failed: {}: {why}; it is not recorded, so the next run sends it", channel.id));
        self.report.failed.push((channel.id.clone(), why));
        false
    }

    /// Writes the ledger (never in a dry run); `false` if it cannot be written.
    fn save(&mut self, say: &mut dyn FnMut(String)) -> bool {
        if self.options.dry_run {
            return true;
        }
        self.ledger.prune(self.since);
        match self.ledger.save(&self.path) {
            Ok(()) => true,
            Err(e) => {
                say(format!("failed: {e}"));
                self.report.failed.push((ChannelId::new("ledger"), e.to_string()));
                false
            }
        }
    }

    fn finish(&mut self, first_run: bool, say: &mut dyn FnMut(String)) {
        if first_run {
            let verb = if self.options.dry_run { "would record" } else { "recorded" };
            let n = self.report.recorded;
            say(format!(
                "first run: {verb} the {n} {} already published as delivered, without sending {}; from now on each new one is sent",
                plural(n, "event", "events"),
                plural(n, "it", "them"),
            ));
            if !self.options.dry_run {
                self.save(say);
            }
        }
    }
}

/// Where a channel delivers, as output names it: never a URL from the environment.
fn destination(channel: &Channel) -> String {
    match &channel.target {
        Target::Webhook { url, .. } | Target::Chat { url, .. } => channels::describe(url),
        Target::Mastodon { server, .. } => channels::describe(server),
        Target::Email(email) => format!("{} via {}:{}", email.to.join(", "), email.smtp.host, email.smtp.port),
    }
}

/// Sends composed messages, with the run's retry policy.
struct Sender {
    http: Http,
    policy: Policy,
    timeout: Duration,
    smtp: HashMap<ChannelId, SmtpTransport>,
}

impl Sender {
    fn new(prepared: &Prepared) -> Sender {
        let notify = &prepared.model.site.notify;
        let duration = |d: jiff::SignedDuration| Duration::try_from(d).unwrap_or(Duration::from_secs(1));
        let timeout = duration(notify.timeout);
        Sender {
            http: Http::new(timeout),
            policy: Policy { attempts: notify.attempts, delay: duration(notify.retry_delay) },
            timeout,
            smtp: HashMap::new(),
        }
    }

    fn send(&mut self, channel: &Channel, event: &Event, outgoing: &Outgoing) -> Result<u32, Failure> {
        let fail = |why: String| Failure { why, tries: 0 };
        match (&channel.target, outgoing) {
            (Target::Email(settings), Outgoing::Mail(mail)) => {
                if !self.smtp.contains_key(&channel.id) {
                    let transport = channels::email::transport(settings, self.timeout).map_err(fail)?;
                    self.smtp.insert(channel.id.clone(), transport);
                }
                let transport = &self.smtp[&channel.id];
                let password = settings.smtp.password_env.as_deref().and_then(|n| channels::env(n).ok());
                let secrets: Vec<&str> = password.iter().map(String::as_str).collect();
                let encrypted = settings.smtp.tls != crate::model::SmtpTls::None;
                with_retries(self.policy, || channels::email::send(transport, mail, encrypted, &secrets))
            }
            (target, Outgoing::Post { body, headers }) => {
                let (url, mut headers, secrets) = http_request(target, event, body, headers).map_err(fail)?;
                headers.insert(0, ("Content-Type".into(), "application/json".into()));
                let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
                with_retries(self.policy, || self.http.post(&url, &headers, body, &secrets))
            }
            _ => Err(fail("this channel cannot send that message".into())),
        }
    }
}

/// An HTTP delivery: the URL, the headers, and the secrets to keep out of every message.
type HttpRequest = (String, Vec<(String, String)>, Vec<String>);

/// The URL, the headers and the secrets of an HTTP delivery, read from the environment.
fn http_request(
    target: &Target,
    event: &Event,
    body: &[u8],
    headers: &[(String, String)],
) -> Result<HttpRequest, String> {
    let mut headers = headers.to_vec();
    match target {
        Target::Webhook { url, secret_env } => {
            let url = channels::url(url)?;
            let mut secrets = vec![url.clone()];
            if let Some(name) = secret_env {
                let secret = channels::env(name)?;
                headers.push((channels::webhook::SIGNATURE.into(), channels::webhook::signature(&secret, body)));
                secrets.push(secret);
            }
            Ok((url, headers, secrets))
        }
        Target::Chat { url, .. } => {
            let url = channels::url(url)?;
            Ok((url.clone(), headers, vec![url]))
        }
        Target::Mastodon { server, token_env } => {
            let server = channels::url(server)?;
            let token = channels::env(token_env)?;
            headers.push(("Authorization".into(), format!("Bearer {token}")));
            headers.push(("Idempotency-Key".into(), event.key.clone()));
            let url = format!("{}/api/v1/statuses", server.trim_end_matches('/'));
            Ok((url, headers, vec![server, token]))
        }
        Target::Email(_) => Err("an email channel has no URL".into()),
    }
}
