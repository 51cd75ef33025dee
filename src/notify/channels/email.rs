//! Email to a list address over SMTP (`lettre`, rustls): a multipart
//! message, plain text and HTML from the theme's `email.txt` and
//! `email.html`, one `Message-ID` per event, and `In-Reply-To` and
//! `References` pointing at the incident's first message so mail clients
//! thread an incident. The subject is one line: a newline in a title cannot
//! add a header.

use std::time::Duration;

use lettre::message::header::{self, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use super::{Compose, env};
use crate::markdown;
use crate::model::{Channel, Email, Incident, SmtpTls};
use crate::notify::deliver::{Attempt, scrub};
use crate::notify::events::{Event, What};
use crate::notify::markup::{Flavor, convert};
use crate::notify::message::{Message, Severity};
use crate::paths::Paths;

/// A composed email and how a dry run shows it.
pub struct Mail {
    /// The MIME message.
    pub message: lettre::Message,
    /// Its headers and text part, for `--dry-run`.
    pub preview: String,
}

/// The email `channel` is sent for `event`.
pub fn compose(
    cx: &Compose<'_>,
    channel: &Channel,
    settings: &Email,
    event: &Event,
    message: &Message,
) -> Result<Mail, String> {
    let incident = &cx.model.incidents[event.incident];
    let host = Paths::new(&cx.model.site, channel.language).host().unwrap_or("candor.invalid").to_owned();
    let id = message_id(&event.key, channel, &host);
    let root = incident.updates.first().map(|u| message_id(&update_key(incident, u.at), channel, &host));
    let subject = one_line(&format!("[{}] {}", message.site, message.summary()));
    let (text, html) = bodies(cx, channel, settings, message)?;
    let from: Mailbox = settings.from.parse().map_err(|e| format!("`from` is not an address: {e}"))?;
    let mut builder = lettre::Message::builder().from(from).subject(subject.clone()).message_id(Some(id.clone()));
    for to in &settings.to {
        builder = builder.to(to.parse().map_err(|e| format!("`{to}` is not an address: {e}"))?);
    }
    let threaded = root.as_ref().filter(|r| **r != id && !matches!(event.what, What::Published { .. }));
    if let Some(root) = threaded {
        builder = builder.in_reply_to(root.clone()).references(root.clone());
    }
    if let Some(url) = &settings.unsubscribe {
        builder = builder.header(ListUnsubscribe(format!("<{url}>")));
    }
    builder = builder.header(AutoSubmitted);
    let mime = builder
        .multipart(MultiPart::alternative_plain_html(text.clone(), html))
        .map_err(|e| format!("the message cannot be made: {e}"))?;
    let mut preview =
        format!("From: {}\nTo: {}\nSubject: {subject}\nMessage-ID: {id}\n", settings.from, settings.to.join(", "));
    if let Some(root) = threaded {
        preview.push_str(&format!("In-Reply-To: {root}\nReferences: {root}\n"));
    }
    if let Some(url) = &settings.unsubscribe {
        preview.push_str(&format!("List-Unsubscribe: <{url}>\n"));
    }
    preview.push('\n');
    preview.push_str(&text);
    Ok(Mail { message: mime, preview })
}

fn update_key(incident: &Incident, at: jiff::Timestamp) -> String {
    format!("{}/update/{}", incident.id, at.as_second())
}

/// `<KEY.CHANNEL@HOST>`: the same event on the same channel always has the same id.
fn message_id(key: &str, channel: &Channel, host: &str) -> String {
    let local: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '.' }).collect();
    format!("<{local}.{}@{host}>", channel.id)
}

/// Text on one line: every run of whitespace, line breaks included, becomes one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text and HTML parts, from the theme's templates.
fn bodies(
    cx: &Compose<'_>,
    channel: &Channel,
    settings: &Email,
    message: &Message,
) -> Result<(String, String), String> {
    let locale = cx.theme.locale_for(channel.language);
    let mut context = tera::Context::new();
    context.insert("t", &crate::render::strings::nested(locale.strings()));
    context.insert("lang", channel.language.tag());
    context.insert("message", message);
    context.insert("summary", &message.summary());
    context.insert("body_html", &message.body.as_deref().map(|b| markdown::to_html(b, 2)));
    context.insert("body_text", &message.body.as_deref().map(|b| convert(b, Flavor::Plain)));
    context.insert("unsubscribe", &settings.unsubscribe);
    context.insert("footer", &locale.fill("notify.footer", &[("site", &message.site)]));
    context.insert("accent", accent(message.severity));
    let render = |name: &str| {
        cx.engine
            .render(cx.theme, name, &context)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|e| e.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    };
    Ok((render("email.txt")?, render("email.html")?))
}

fn accent(severity: Severity) -> &'static str {
    match severity {
        Severity::Good => "#1f8b4c",
        Severity::Info => "#2563eb",
        Severity::Minor => "#ca8a04",
        Severity::Major => "#ea580c",
        Severity::Critical => "#dc2626",
    }
}

/// The connection to a channel's SMTP server, with credentials from the environment.
pub fn transport(settings: &Email, timeout: Duration) -> Result<SmtpTransport, String> {
    let smtp = &settings.smtp;
    let mut builder = SmtpTransport::builder_dangerous(smtp.host.as_str()).port(smtp.port).timeout(Some(timeout));
    let parameters = || TlsParameters::new(smtp.host.clone()).map_err(|e| format!("TLS cannot be set up: {e}"));
    builder = match smtp.tls {
        SmtpTls::None => builder.tls(Tls::None),
        SmtpTls::StartTls => builder.tls(Tls::Required(parameters()?)),
        SmtpTls::Tls => builder.tls(Tls::Wrapper(parameters()?)),
    };
    if let (Some(user), Some(password)) = (&smtp.user_env, &smtp.password_env) {
        builder = builder.credentials(Credentials::new(env(user)?, env(password)?));
    }
    Ok(builder.build())
}

/// Sends `mail` once over `transport`, which is `encrypted` unless `tls: none`;
/// `secrets` are removed from any message.
pub fn send(transport: &SmtpTransport, mail: &Mail, encrypted: bool, secrets: &[&str]) -> Attempt {
    match transport.send(&mail.message) {
        Ok(_) => Attempt::Done,
        Err(e) => {
            let why = scrub(format!("the SMTP server refused or failed: {e}"), secrets);
            if e.is_tls() || (encrypted && unreadable(&e)) {
                Attempt::Fail(scrub(format!("TLS failed: {e}"), secrets))
            } else if e.is_permanent() || e.is_client() {
                Attempt::Fail(why)
            } else {
                Attempt::Retry { after: None, why }
            }
        }
    }
}

/// Whether an I/O error in `error`'s chain is data the client could not read:
/// over TLS, the handshake failing (a server that does not speak TLS).
fn unreadable(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData) {
            return true;
        }
        cause = e.source();
    }
    false
}

/// `List-Unsubscribe`, as RFC 2369 writes it: `<mailto:…>` or `<https://…>`.
#[derive(Clone, Debug)]
struct ListUnsubscribe(String);

impl header::Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834), so no auto-responder answers.
#[derive(Clone, Debug)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}
