//! `notify:` in `site.yaml` into [`Notify`]: every channel checked against
//! its type, the site's components and languages, with a located error and a
//! suggestion for each mistake.

use std::collections::HashSet;

use serde_saphyr::Spanned;

use super::{FileCheck, lint_duration, options, url};
use crate::diagnostic::{Pos, did_you_mean};
use crate::input::{RawChannel, RawNotify, RawSmtp, Str, pos_of};
use crate::model::{
    Channel, ChannelId, ChannelType, Component, ComponentId, Email, Endpoint, Filter, Impact, Kind, Language, Notify,
    Smtp, SmtpTls, Target, is_slug,
};

/// The site's parts a channel refers to.
pub(super) struct SiteParts<'a> {
    /// The declared components.
    pub components: &'a [Component],
    /// The site's languages, the default first.
    pub languages: &'a [Language],
}

/// Validates `notify:`; absent, nothing is delivered anywhere.
pub(super) fn settings(cx: &mut FileCheck<'_>, raw: Option<&Spanned<RawNotify>>, site: &SiteParts<'_>) -> Notify {
    let defaults = Notify::default();
    let Some(raw) = raw else { return defaults };
    let raw = &raw.value;
    let mut duration = |value: Option<&Str>, default| value.and_then(|v| lint_duration(cx, v)).unwrap_or(default);
    let max_age = duration(raw.max_age.as_ref(), defaults.max_age);
    let retry_delay = duration(raw.retry_delay.as_ref(), defaults.retry_delay);
    let timeout = duration(raw.timeout.as_ref(), defaults.timeout);
    let attempts = match raw.attempts.as_ref() {
        Some(a) if (1..=10).contains(&a.value) => a.value,
        Some(a) => {
            let hint = Some("expected a number of tries from 1 to 10".to_owned());
            cx.error("invalid-value", pos_of(a), format!("`attempts` is {}", a.value), hint);
            defaults.attempts
        }
        None => defaults.attempts,
    };
    let mut seen = HashSet::new();
    let channels = raw.channels.iter().filter_map(|c| channel(cx, c, site, &mut seen)).collect();
    Notify { channels, max_age, attempts, retry_delay, timeout }
}

fn channel(
    cx: &mut FileCheck<'_>,
    raw: &Spanned<RawChannel>,
    site: &SiteParts<'_>,
    seen: &mut HashSet<String>,
) -> Option<Channel> {
    let top = pos_of(raw);
    let c = &raw.value;
    let id = channel_id(cx, c.id.as_ref(), top, seen);
    let kind = match c.kind.as_ref() {
        Some(k) => cx.choice(k, "channel type", &options(&ChannelType::ALL, ChannelType::as_str)),
        None => {
            let words: Vec<&str> = ChannelType::ALL.iter().map(|t| t.as_str()).collect();
            cx.missing(top, "type", &format!("one of: {}", words.join(", ")));
            None
        }
    };
    let filter = filter(cx, c, site);
    let language = match c.language.as_ref() {
        Some(l) => cx.choice(l, "language of this site", &options(site.languages, Language::tag)),
        None => site.languages.first().copied(),
    };
    let target = target(cx, c, kind?, top);
    Some(Channel {
        id: id?,
        target: target?,
        filter,
        language: language?,
        remind: c.remind.as_ref().is_some_and(|r| r.value),
    })
}

fn channel_id(cx: &mut FileCheck<'_>, value: Option<&Str>, top: Pos, seen: &mut HashSet<String>) -> Option<ChannelId> {
    match value {
        None => {
            cx.missing(top, "id", "a short id such as `team-chat`");
            None
        }
        Some(id) if !is_slug(&id.value) => {
            let message = format!("`{}` is not a valid channel id", id.value);
            cx.error("invalid-id", pos_of(id), message, Some(super::slug_hint()));
            None
        }
        Some(id) if !seen.insert(id.value.clone()) => {
            let message = format!("channel `{}` is declared twice", id.value);
            cx.error("duplicate-id", pos_of(id), message, Some("channel ids must be unique".into()));
            None
        }
        Some(id) => Some(ChannelId::new(id.value.clone())),
    }
}

fn filter(cx: &mut FileCheck<'_>, c: &RawChannel, site: &SiteParts<'_>) -> Filter {
    let mut components = Vec::new();
    for id in &c.components {
        if site.components.iter().any(|s| s.id.as_str() == id.value) {
            components.push(ComponentId::new(id.value.clone()));
            continue;
        }
        let ids = site.components.iter().map(|s| s.id.as_str());
        let hint = match did_you_mean(&id.value, ids.clone()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of the components declared above: {}", ids.collect::<Vec<_>>().join(", ")),
        };
        cx.error("unknown-component", pos_of(id), format!("unknown component `{}`", id.value), Some(hint));
    }
    let kinds = c.kinds.iter().filter_map(|k| cx.choice(k, "kind", &options(&Kind::ALL, Kind::as_str))).collect();
    let min_impact = c.min_impact.as_ref().and_then(|i| cx.choice(i, "impact", &options(&Impact::ALL, Impact::as_str)));
    Filter { components, kinds, min_impact }
}

/// Fields that belong to one channel type only, so a stray one is named.
fn misplaced(cx: &mut FileCheck<'_>, c: &RawChannel, kind: ChannelType) {
    let only: [(&str, Option<Pos>, &[ChannelType]); 8] = [
        ("secret_env", c.secret_env.as_ref().map(pos_of), &[ChannelType::Webhook]),
        ("token_env", c.token_env.as_ref().map(pos_of), &[ChannelType::Mastodon]),
        ("smtp", c.smtp.as_ref().map(pos_of), &[ChannelType::Email]),
        ("from", c.from.as_ref().map(pos_of), &[ChannelType::Email]),
        ("to", c.to.as_ref().map(pos_of), &[ChannelType::Email]),
        ("unsubscribe", c.unsubscribe.as_ref().map(pos_of), &[ChannelType::Email]),
        ("url_env", c.url_env.as_ref().map(pos_of), HTTP),
        ("url", c.url.as_ref().map(pos_of), HTTP),
    ];
    for (field, pos, types) in only {
        if let Some(pos) = pos.filter(|_| !types.contains(&kind)) {
            let owners: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
            let message = format!("`{field}` does not apply to {} channels", kind.as_str());
            cx.error("misplaced-field", pos, message, Some(format!("it is for: {}", owners.join(", "))));
        }
    }
}

/// The channel types that deliver over HTTP.
const HTTP: &[ChannelType] = &[
    ChannelType::Webhook,
    ChannelType::Slack,
    ChannelType::Mattermost,
    ChannelType::Discord,
    ChannelType::Teams,
    ChannelType::Mastodon,
];

fn target(cx: &mut FileCheck<'_>, c: &RawChannel, kind: ChannelType, top: Pos) -> Option<Target> {
    misplaced(cx, c, kind);
    match kind {
        ChannelType::Email => email(cx, c, top).map(Target::Email),
        ChannelType::Webhook => {
            let secret_env = c.secret_env.as_ref().and_then(|s| env_name(cx, s));
            Some(Target::Webhook { url: endpoint(cx, c, top)?, secret_env })
        }
        ChannelType::Mastodon => {
            let token_env = match c.token_env.as_ref() {
                Some(t) => env_name(cx, t),
                None => {
                    cx.missing(top, "token_env", "the environment variable holding the account's access token");
                    None
                }
            };
            let server = endpoint(cx, c, top);
            Some(Target::Mastodon { server: server?, token_env: token_env? })
        }
        chat => Some(Target::Chat { chat, url: endpoint(cx, c, top)? }),
    }
}

/// `url_env`, or a literal `url` on this machine: exactly one of them.
fn endpoint(cx: &mut FileCheck<'_>, c: &RawChannel, top: Pos) -> Option<Endpoint> {
    match (c.url_env.as_ref(), c.url.as_ref()) {
        (Some(env), None) => env_name(cx, env).map(Endpoint::Env),
        (None, Some(u)) => {
            let text = url(cx, u, false)?;
            if is_local_url(&text) {
                return Some(Endpoint::Local(text));
            }
            let hint =
                "keep the URL out of the repository: set `url_env: NAME` and put the URL in that environment variable";
            cx.error(
                "secret-in-file",
                pos_of(u),
                "a literal `url` is only allowed for a receiver on this machine (127.0.0.1 or localhost)",
                Some(hint.into()),
            );
            None
        }
        (Some(_), Some(u)) => {
            cx.error("conflicting-fields", pos_of(u), "give `url_env` or `url`, not both", None);
            None
        }
        (None, None) => {
            cx.missing(top, "url_env", "the name of the environment variable holding the URL");
            None
        }
    }
}

/// Whether `url` (already known to be http or https) points at this machine.
pub fn is_local_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    !authority.contains('@') && is_local_host(host)
}

/// Whether `host` names this machine.
pub fn is_local_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn env_name(cx: &mut FileCheck<'_>, value: &Str) -> Option<String> {
    let name = value.value.trim();
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        return Some(name.to_owned());
    }
    let hint = "write the variable's name, such as `SLACK_WEBHOOK_URL`, and put the secret itself in the environment";
    cx.error(
        "invalid-value",
        pos_of(value),
        format!("`{name}` is not the name of an environment variable"),
        Some(hint.into()),
    );
    None
}

fn email(cx: &mut FileCheck<'_>, c: &RawChannel, top: Pos) -> Option<Email> {
    let smtp = match c.smtp.as_ref() {
        Some(s) => smtp(cx, s),
        None => {
            cx.missing(top, "smtp", "`{ host: smtp.example.com, port: 587, tls: starttls }`");
            None
        }
    };
    let from = match c.from.as_ref() {
        Some(f) => mailbox(cx, f),
        None => {
            cx.missing(top, "from", "the sender, such as `Acme Status <status@acme.example>`");
            None
        }
    };
    let to = match c.to.as_ref() {
        Some(to) if to.value.0.is_empty() => {
            cx.error("missing-field", pos_of(to), "`to` is empty", Some("give the list address".into()));
            None
        }
        Some(to) => addresses(cx, to),
        None => {
            cx.missing(top, "to", "the list address (a mailing list or group handles subscribers)");
            None
        }
    };
    let unsubscribe = c.unsubscribe.as_ref().and_then(|u| url(cx, u, true));
    Some(Email { smtp: smtp?, from: from?, to: to?, unsubscribe })
}

fn mailbox(cx: &mut FileCheck<'_>, value: &Str) -> Option<String> {
    let text = value.value.trim();
    if text.parse::<lettre::message::Mailbox>().is_ok() && !text.contains(['\r', '\n']) {
        return Some(text.to_owned());
    }
    let hint = "expected an address such as `status@acme.example` or `Acme Status <status@acme.example>`";
    cx.error("invalid-email", pos_of(value), format!("`{text}` is not an email address"), Some(hint.into()));
    None
}

fn addresses(cx: &mut FileCheck<'_>, to: &Spanned<crate::input::RawAddresses>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for text in &to.value.0 {
        let text = text.trim();
        if text.parse::<lettre::message::Mailbox>().is_ok() && !text.contains(['\r', '\n']) {
            out.push(text.to_owned());
        } else {
            let hint = Some("expected an address such as `status-updates@lists.acme.example`".to_owned());
            cx.error("invalid-email", pos_of(to), format!("`{text}` is not an email address"), hint);
        }
    }
    (out.len() == to.value.0.len()).then_some(out)
}

fn smtp(cx: &mut FileCheck<'_>, raw: &Spanned<RawSmtp>) -> Option<Smtp> {
    let top = pos_of(raw);
    let s = &raw.value;
    let host = match s.host.as_ref().map(|h| (h, h.value.trim())) {
        Some((_, h)) if !h.is_empty() && !h.contains(|c: char| c.is_whitespace() || c == '/') => Some(h.to_owned()),
        Some((h, _)) => {
            let hint = Some("expected a host name such as `smtp.example.com`".to_owned());
            cx.error("invalid-value", pos_of(h), format!("`{}` is not a host name", h.value), hint);
            None
        }
        None => {
            cx.missing(top, "host", "the SMTP server's host name");
            None
        }
    };
    let tls = match s.tls.as_ref() {
        Some(t) => cx.choice(t, "SMTP tls mode", &options(&SmtpTls::ALL, SmtpTls::as_str))?,
        None => SmtpTls::StartTls,
    };
    let user_env = s.user_env.as_ref().and_then(|u| env_name(cx, u));
    let password_env = s.password_env.as_ref().and_then(|p| env_name(cx, p));
    if s.user_env.is_some() != s.password_env.is_some() {
        let missing = if s.user_env.is_some() { "password_env" } else { "user_env" };
        cx.missing(top, missing, "the environment variable holding it: the server needs both or neither");
    }
    let host = host?;
    if tls == SmtpTls::None && user_env.is_some() && !is_local_host(&host) {
        let at = s.tls.as_ref().map_or(top, pos_of);
        let message =
            "a password would travel unencrypted: `tls: none` with credentials is only for a server on this machine";
        cx.error("insecure-smtp", at, message, Some("use `tls: starttls` or `tls: tls`".into()));
        return None;
    }
    let port = s.port.as_ref().map_or(tls.default_port(), |p| p.value);
    Some(Smtp { host, port, tls, user_env, password_env })
}
