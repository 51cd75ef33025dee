//! Each channel's format: one event's [`Message`] made into what that
//! channel receives, and how it is sent.
//!
//! HTTP channels make a JSON body (and, for webhooks, the headers that sign
//! it); email makes a MIME message. Nothing here reads the environment
//! except at sending, so a dry run shows every message without a secret.

pub mod chat;
pub mod email;
pub mod mastodon;
pub mod webhook;

use crate::model::{Channel, ChannelType, Endpoint, Model, Target};
use crate::notify::events::{Event, What};
use crate::notify::message::{Message, Writer};
use crate::render::Engine;
use crate::render::api::Api;
use crate::theme::Theme;
use crate::views::Views;

/// What one channel is sent for one event.
pub enum Outgoing {
    /// A JSON body POSTed to the channel's URL, with its extra headers.
    Post {
        /// The body.
        body: Vec<u8>,
        /// Headers beside `Content-Type` (a webhook's idempotency key and event name).
        headers: Vec<(String, String)>,
    },
    /// An email.
    Mail(Box<email::Mail>),
}

impl Outgoing {
    /// The message as a dry run prints it: the body as it would be sent, secrets left out.
    pub fn preview(&self) -> String {
        match self {
            Outgoing::Post { body, headers } => {
                let mut text: String = headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
                let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
                text.push_str(&json.and_then(|j| serde_json::to_string_pretty(&j).ok()).unwrap_or_default());
                text
            }
            Outgoing::Mail(mail) => mail.preview.clone(),
        }
    }
}

/// What composing needs, made once per run.
pub struct Compose<'a> {
    /// The model.
    pub model: &'a Model,
    /// The views at now.
    pub views: &'a Views,
    /// The theme: strings and the email templates.
    pub theme: &'a Theme,
    /// The theme's templates, compiled.
    pub engine: &'a Engine,
    /// The Statuspage shapes of incidents, for webhooks.
    pub api: Api<'a>,
}

impl<'a> Compose<'a> {
    /// The composer for a run over `model` at `views`.
    pub fn new(model: &'a Model, views: &'a Views, theme: &'a Theme, engine: &'a Engine) -> Compose<'a> {
        let indicator = theme.locale.get(&format!("indicator.{}", views.indicator.as_str())).to_owned();
        Compose { model, views, theme, engine, api: Api::new(model, views, indicator) }
    }

    /// The event in words in `channel`'s language.
    pub fn message(&self, channel: &Channel, event: &Event) -> Message {
        let locale = self.theme.locale_for(channel.language);
        Writer::new(self.model, self.views, locale, channel.language).message(event)
    }

    /// What `channel` is sent for `event`, or `None` when the channel does not
    /// take such events (component changes go to webhooks only).
    pub fn outgoing(&self, channel: &Channel, event: &Event) -> Result<Option<Outgoing>, String> {
        let is_component = matches!(event.what, What::Component { .. });
        if is_component && channel.kind() != ChannelType::Webhook {
            return Ok(None);
        }
        let message = self.message(channel, event);
        let json = |value: serde_json::Value| Outgoing::Post { body: to_bytes(&value), headers: Vec::new() };
        Ok(Some(match &channel.target {
            Target::Webhook { .. } => webhook::outgoing(self, event, &message),
            Target::Chat { chat: ChannelType::Slack, .. } => json(chat::slack(&message)),
            Target::Chat { chat: ChannelType::Discord, .. } => json(chat::discord(&message)),
            Target::Chat { chat: ChannelType::Teams, .. } => json(chat::teams(&message)),
            Target::Chat { .. } => json(chat::mattermost(&message)),
            Target::Mastodon { .. } => json(mastodon::status(&message, channel.language)),
            Target::Email(settings) => {
                Outgoing::Mail(Box::new(email::compose(self, channel, settings, event, &message)?))
            }
        }))
    }
}

fn to_bytes(value: &serde_json::Value) -> Vec<u8> {
    // A `Value` has string keys only: serialising it cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// The value of the environment variable `name`, or why it cannot be used (naming the variable, never its value).
pub fn env(name: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        Ok(_) => Err(format!("the environment variable {name} is empty")),
        Err(std::env::VarError::NotPresent) => Err(format!("the environment variable {name} is not set")),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("the environment variable {name} is not valid text")),
    }
}

/// The URL an endpoint names, read from the environment when it is kept there.
pub fn url(endpoint: &Endpoint) -> Result<String, String> {
    match endpoint {
        Endpoint::Local(url) => Ok(url.clone()),
        Endpoint::Env(name) => {
            let url = env(name)?;
            let lower = url.to_ascii_lowercase();
            let web = lower.starts_with("https://") || lower.starts_with("http://");
            if !web || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(format!("the environment variable {name} does not hold an http:// or https:// URL"));
            }
            Ok(url)
        }
    }
}

/// How an endpoint is named in output: the variable, never the URL it holds.
pub fn describe(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Local(url) => url.clone(),
        Endpoint::Env(name) => format!("${name}"),
    }
}
