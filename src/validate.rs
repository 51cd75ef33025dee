//! Turning what users wrote ([`crate::input`]) into the model ([`crate::model`]).
//!
//! Validation never stops at the first problem: every rule runs and every
//! finding is collected, each located at the value it is about, so an author
//! fixes a file in one pass.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Pos, did_you_mean};
use crate::input::{
    PeopleCount, Prose, RawAdvice, RawAllow, RawAudience, RawBreach, RawCheck, RawCorrections, RawIncident,
    RawPostmortem, RawSite, RawText, RawUpdate, RawWindow, Str, pos_of,
};
use crate::model::{
    ActionItem, ActionStatus, Advice, Affected, Alias, Allow, Audience, AudienceId, Breach, CheckConfig, Component,
    ComponentId, ComponentStatus, Contact, Corrections, Impact, Incident, IncidentId, Kind, Language, Link, MAX_ID_LEN,
    Markdown, PeopleAffected, Postmortem, Reader, Site, Text, Update, UpdateStatus, Window, is_slug,
};
use crate::time::{parse_date, parse_timestamp};

/// Prose without blank lines before it or whitespace after it. Spaces before
/// its first line go too, unless there are four or more (or a tab): in
/// Markdown those make an indented code block, and a pasted log must stay one.
fn trim_prose(text: &str) -> &str {
    let body = text.trim_end();
    let first = body.split_inclusive('\n').take_while(|l| l.trim().is_empty()).map(str::len).sum::<usize>();
    let rest = &body[first..];
    let indent = rest.len() - rest.trim_start_matches(' ').len();
    if rest.starts_with('\t') || indent >= 4 { rest } else { rest.trim_start() }
}

/// The code of the error for a placeholder left in the text.
pub const PLACEHOLDER: &str = "placeholder";

/// Collects the findings for one file, with its text for quoting.
pub struct FileCheck<'a> {
    file: &'a Path,
    text: &'a str,
    /// The site's languages, the default first: what prose may be written in.
    languages: Vec<Language>,
    /// Findings so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Hosts images in Markdown may load from (the site's `image_hosts`).
    image_hosts: Vec<String>,
}

impl<'a> FileCheck<'a> {
    /// Starts checking `file`, whose contents are `text`, for a site in `languages`.
    pub fn new(file: &'a Path, text: &'a str, languages: &[Language]) -> Self {
        let languages = if languages.is_empty() { vec![Language::En] } else { languages.to_vec() };
        FileCheck { file, text, languages, diagnostics: Vec::new(), image_hosts: Vec::new() }
    }

    /// Records an error at `pos`.
    pub fn error(&mut self, code: &'static str, pos: Pos, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::error(code, self.file, pos, message).with_source(self.text);
        d.hint = hint;
        self.diagnostics.push(d);
    }

    /// Where the top-level `key` of the value at `value` is written: on the
    /// value's line or the nearest line above that starts with `key:`.
    fn key_pos(&self, value: Pos, key: &str) -> Pos {
        let lines: Vec<&str> = self.text.lines().take(value.line as usize).collect();
        let prefix = format!("{key}:");
        lines
            .iter()
            .rposition(|l| l.starts_with(&prefix))
            .map_or(value, |i| Pos::new(u32::try_from(i + 1).unwrap_or(value.line), 1))
    }

    fn missing(&mut self, pos: Pos, field: &str, what: &str) {
        self.error(
            "missing-field",
            pos,
            format!("missing field `{field}`"),
            Some(format!("add `{field}:` with {what}")),
        );
    }

    /// A required, non-empty text.
    fn text(&mut self, value: Option<&Prose>, pos: Pos, field: &str) -> Option<Text> {
        let Some(value) = value else {
            self.missing(pos, field, "a text");
            return None;
        };
        let text = self.prose(value, field);
        if text.as_ref().is_some_and(|t| t.as_str().is_empty()) {
            let hint = "write a text, or remove the field".to_owned();
            self.error("empty-text", pos_of(value), format!("`{field}` is empty"), Some(hint));
            return None;
        }
        text
    }

    /// An optional text; empty counts as absent.
    fn optional_text(&mut self, value: Option<&Prose>, field: &str) -> Option<Text> {
        value.and_then(|v| self.prose(v, field)).filter(|t| !t.as_str().is_empty())
    }

    fn markdown(&mut self, value: Option<&Prose>, field: &str) -> Option<Markdown> {
        if let Some(value) = value {
            self.markdown_problems(value);
        }
        self.optional_text(value, field).map(Markdown)
    }

    /// Reports what in Markdown must not be published (see [`crate::markdown::problems`]),
    /// on the line of the text where it is.
    fn markdown_problems(&mut self, value: &Prose) {
        let texts: Vec<(&str, Pos)> = match &value.value {
            RawText::Plain(text) => vec![(text.as_str(), pos_of(value))],
            RawText::ByLanguage(entries) => entries.iter().map(|(_, t)| (t.value.as_str(), pos_of(t))).collect(),
        };
        for (text, at) in texts {
            for p in crate::markdown::problems(text, &self.image_hosts) {
                let line = at.line.saturating_add(u32::try_from(p.line).unwrap_or(0));
                let pos = if p.line == 0 { at } else { Pos::new(line, 0) };
                self.error("unsafe-markdown", pos, p.message, Some(p.hint));
            }
        }
    }

    /// Prose in one language or several; every language must be the site's, and
    /// a map must hold the default language's text.
    fn prose(&mut self, value: &Prose, field: &str) -> Option<Text> {
        let entries = match &value.value {
            RawText::Plain(text) => {
                self.placeholder(text, pos_of(value), field);
                return Some(Text::new(trim_prose(text)));
            }
            RawText::ByLanguage(entries) => entries,
        };
        for (_, text) in entries {
            self.placeholder(&text.value, pos_of(text), field);
        }
        let default = self.languages[0];
        let mut text: Option<Text> =
            entries.iter().find(|(l, _)| l.value == default.tag()).map(|(_, t)| Text::new(trim_prose(&t.value)));
        let mut ok = true;
        for (tag, value) in entries {
            match Language::from_tag(&tag.value).filter(|l| self.languages.contains(l)) {
                Some(language) if language != default => {
                    text = text.map(|t| t.with(language, trim_prose(&value.value)))
                }
                Some(_) => {}
                None => {
                    ok = false;
                    let tags: Vec<&str> = self.languages.iter().map(|l| l.tag()).collect();
                    let hint = format!("the site's languages are: {} (set `languages:` in site.yaml)", tags.join(", "));
                    self.error(
                        "invalid-value",
                        pos_of(tag),
                        format!("`{}` is not one of the site's languages", tag.value),
                        Some(hint),
                    );
                }
            }
        }
        if text.is_none() {
            let message = format!("`{field}` has no text in the default language, `{}`", default.tag());
            self.error(
                "missing-translation",
                pos_of(value),
                message,
                Some(format!("add `{}: ...`; other languages fall back to it", default.tag())),
            );
        }
        text.filter(|_| ok)
    }

    /// Refuses text that still holds a placeholder (`[[ ... ]]`), such as the
    /// instruction `candor new` writes when it is given no text: an
    /// instruction to the author must never be published as an update.
    fn placeholder(&mut self, text: &str, pos: Pos, field: &str) {
        let Some(open) = text.find("[[") else { return };
        let Some(close) = text[open + 2..].find("]]") else { return };
        let quoted: String = text[open..open + 2 + close + 2].chars().take(60).collect();
        self.error(
            PLACEHOLDER,
            pos,
            format!("`{field}` still holds a placeholder: {quoted}"),
            Some(
                "replace the text in [[ ]] with what readers should know; candor does not publish placeholders".into(),
            ),
        );
    }

    /// An optional time; reports it when unreadable.
    fn time(&mut self, value: Option<&Str>, tz: &TimeZone) -> Option<Timestamp> {
        let value = value?;
        match parse_timestamp(&value.value, tz) {
            Ok(ts) => Some(ts),
            Err(e) => {
                let (message, hint) = e.message(&value.value);
                self.error("invalid-time", pos_of(value), message, Some(hint));
                None
            }
        }
    }

    /// An optional date; reports it when unreadable.
    fn date(&mut self, value: Option<&Str>) -> Option<Date> {
        let value = value?;
        match parse_date(&value.value) {
            Ok(date) => Some(date),
            Err(e @ crate::time::TimeError::OutOfRange) => {
                let (message, hint) = e.message(&value.value);
                self.error("invalid-date", pos_of(value), message, Some(hint));
                None
            }
            Err(_) => {
                let message = format!("`{}` is not a valid date", value.value);
                self.error("invalid-date", pos_of(value), message, Some("expected a date such as `2026-04-01`".into()));
                None
            }
        }
    }

    /// One of a fixed set of words, with a suggestion when misspelt.
    fn choice<T: Copy>(&mut self, value: &Str, field: &str, options: &[(&'static str, T)]) -> Option<T> {
        let word = value.value.trim();
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == word) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let hint = match did_you_mean(word, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`? expected one of: {}", names.join(", ")),
            None => format!("expected one of: {}", names.join(", ")),
        };
        self.error("invalid-value", pos_of(value), format!("`{word}` is not a valid {field}"), Some(hint));
        None
    }
}

fn options<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<(&'static str, T)> {
    all.iter().map(|v| (name(*v), *v)).collect()
}

/// The position of the mapping a spanned struct was written as.
fn start<T>(value: &Spanned<T>) -> Pos {
    pos_of(value)
}

/// Validates `site.yaml`.
pub fn site(raw: &Spanned<RawSite>, file: &Path, text: &str) -> Result<Site, Vec<Diagnostic>> {
    let mut cx = FileCheck::new(file, text, &[]);
    let top = start(raw);
    let raw = &raw.value;
    let languages = site_languages(&mut cx, raw.language.as_ref(), raw.languages.as_ref());
    cx.languages.clone_from(&languages);
    let language = languages.first().copied();
    let title = cx.text(raw.title.as_ref(), top, "title");
    let (timezone, timezone_name) = site_timezone(&mut cx, raw.timezone.as_ref(), top).unzip();
    let base_url = raw
        .base_url
        .as_ref()
        .and_then(|u| url(&mut cx, u, false))
        .map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let contact = raw.contact.as_ref().map(|c| Contact {
        email: c.value.email.as_ref().and_then(|e| email(&mut cx, e)),
        url: c.value.url.as_ref().and_then(|u| url(&mut cx, u, true)),
    });
    let links = raw
        .links
        .iter()
        .filter_map(|l| {
            let name = cx.text(l.value.name.as_ref(), start(l), "name");
            let target = match l.value.url.as_ref() {
                Some(u) => url(&mut cx, u, true),
                None => {
                    cx.missing(start(l), "url", "an http(s) or mailto URL");
                    None
                }
            };
            Some(Link { name: name?, url: target? })
        })
        .collect();
    let history_days = history_days(&mut cx, raw.history_days.as_ref());
    let utc = TimeZone::UTC;
    let now = cx.time(raw.now.as_ref(), timezone.as_ref().unwrap_or(&utc));
    let theme = raw.theme.as_ref().map_or_else(|| "default".to_owned(), |t| t.value.clone());
    if let Some(t) = raw.theme.as_ref().filter(|t| !is_slug(&t.value)) {
        cx.error(
            "invalid-id",
            pos_of(t),
            format!("`{}` is not a valid theme name", t.value),
            Some("a folder name under `themes/`, in lower case letters, digits and hyphens".into()),
        );
    }
    let components = site_components(&mut cx, raw.components.as_ref(), top);
    let audiences = site_audiences(&mut cx, &raw.audiences, &components);
    let description = cx.optional_text(raw.description.as_ref(), "description");
    let pretty_urls = raw.pretty_urls.as_ref().is_some_and(|p| p.value);
    let image_hosts = raw.image_hosts.iter().filter_map(|h| image_host(&mut cx, h)).collect();
    let check = raw.check.as_ref().map_or_else(CheckConfig::default, |c| check_config(&mut cx, &c.value));
    let parts = notify::SiteParts { components: &components, languages: &languages };
    let notify = notify::settings(&mut cx, raw.notify.as_ref(), &parts);
    let corrections = raw.corrections.as_ref().map_or_else(Corrections::default, |c| corrections(&mut cx, &c.value));
    if !cx.diagnostics.is_empty() {
        return Err(cx.diagnostics);
    }
    // Every `None` above recorded a diagnostic, so after the check they are all `Some`.
    match (title, timezone, timezone_name, language) {
        (Some(title), Some(timezone), Some(timezone_name), Some(language)) => Ok(Site {
            title,
            base_url,
            timezone,
            timezone_name,
            language,
            languages,
            description,
            contact,
            links,
            history_days,
            now,
            theme,
            theme_pos: raw.theme.as_ref().map(pos_of),
            pretty_urls,
            image_hosts,
            components,
            audiences,
            check,
            notify,
            corrections,
        }),
        _ => Err(cx.diagnostics),
    }
}

/// The lint thresholds, each defaulting when absent.
fn check_config(cx: &mut FileCheck<'_>, raw: &RawCheck) -> CheckConfig {
    let d = CheckConfig::default();
    let mut duration = |value: Option<&Str>, default| value.and_then(|v| lint_duration(cx, v)).unwrap_or(default);
    let max_silence = duration(raw.max_silence.as_ref(), d.max_silence);
    let first_update_within = duration(raw.first_update_within.as_ref(), d.first_update_within);
    let breach_notice_within = duration(raw.breach_notice_within.as_ref(), d.breach_notice_within);
    let promise_due_soon = duration(raw.promise_due_soon.as_ref(), d.promise_due_soon);
    let resolved_at_tolerance = duration(raw.resolved_at_tolerance.as_ref(), d.resolved_at_tolerance);
    let advice_within = raw.advice_within.as_ref().and_then(|v| lint_duration(cx, v));
    CheckConfig {
        max_silence,
        first_update_within,
        breach_notice_within,
        promise_due_soon,
        advice_within,
        resolved_at_tolerance,
        postmortem_due_days: days(cx, raw.postmortem_due_days.as_ref(), "postmortem_due_days", d.postmortem_due_days),
        maintenance_notice_days: days(
            cx,
            raw.maintenance_notice_days.as_ref(),
            "maintenance_notice_days",
            d.maintenance_notice_days,
        ),
    }
}

/// The longest grace period: a day. Longer, and a correction could hide behind it.
const MAX_GRACE: SignedDuration = SignedDuration::from_hours(24);

/// `corrections:`, each setting defaulting when absent.
fn corrections(cx: &mut FileCheck<'_>, raw: &RawCorrections) -> Corrections {
    let d = Corrections::default();
    let grace = raw.grace.as_ref().map_or(d.grace, |g| match g.value.trim().parse::<SignedDuration>() {
        Ok(grace) if !grace.is_negative() && grace <= MAX_GRACE => grace,
        _ => {
            cx.error(
                "invalid-value",
                pos_of(g),
                format!("`{}` is not a grace period", g.value),
                Some("write a duration from `0s` to `24h`, such as `5m`".into()),
            );
            d.grace
        }
    });
    Corrections { enabled: raw.enabled.as_ref().is_none_or(|e| e.value), grace }
}

/// The most days a lint threshold may give: ten years.
const MAX_DAYS: u32 = 3650;

/// A number of days of at most [`MAX_DAYS`], or `default` when absent.
fn days(cx: &mut FileCheck<'_>, value: Option<&Spanned<u32>>, field: &str, default: u32) -> u32 {
    let Some(value) = value else { return default };
    if value.value > MAX_DAYS {
        cx.error(
            "invalid-value",
            pos_of(value),
            format!("`{field}` is {} days", value.value),
            Some(format!("expected at most {MAX_DAYS} days")),
        );
        return default;
    }
    value.value
}

/// A duration such as `60m`, `1h30m` or `72h`.
fn lint_duration(cx: &mut FileCheck<'_>, value: &Str) -> Option<SignedDuration> {
    match value.value.trim().parse::<SignedDuration>() {
        Ok(d) if d.is_positive() && d <= crate::time::LONGEST => Some(d),
        _ => {
            let message = format!("`{}` is not a duration", value.value);
            cx.error(
                "invalid-value",
                pos_of(value),
                message,
                Some("write a positive duration of at most ten years, such as `60m`, `1h30m` or `72h`".into()),
            );
            None
        }
    }
}

fn site_timezone(cx: &mut FileCheck<'_>, value: Option<&Str>, top: Pos) -> Option<(TimeZone, String)> {
    let Some(value) = value else {
        cx.missing(top, "timezone", "an IANA time zone name such as `Europe/Helsinki`");
        return None;
    };
    let name = value.value.trim();
    match TimeZone::get(name) {
        Ok(tz) => Some((tz, name.to_owned())),
        Err(_) => {
            let names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_owned()).collect();
            let hint = match did_you_mean(name, names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "expected an IANA time zone name such as `Europe/Helsinki` or `UTC`".into(),
            };
            cx.error("invalid-value", pos_of(value), format!("unknown time zone `{name}`"), Some(hint));
            None
        }
    }
}

/// The site's languages, the default first: `language` is the default, `languages` all of them.
fn site_languages(cx: &mut FileCheck<'_>, language: Option<&Str>, list: Option<&Spanned<Vec<Str>>>) -> Vec<Language> {
    let words = options(&Language::ALL, Language::tag);
    let default = language.and_then(|l| cx.choice(l, "language", &words));
    let Some(list) = list else { return vec![default.unwrap_or(Language::En)] };
    let mut all: Vec<Language> = Vec::new();
    for tag in &list.value {
        match cx.choice(tag, "language", &words) {
            Some(l) if all.contains(&l) => {
                cx.error("duplicate-id", pos_of(tag), format!("`{}` is listed twice", tag.value), None);
            }
            Some(l) => all.push(l),
            None => {}
        }
    }
    match default {
        Some(d) if !all.contains(&d) => {
            let message = format!("the default language `{}` is not in `languages`", d.tag());
            cx.error("invalid-value", pos_of(list), message, Some("list every language, the default included".into()));
        }
        Some(d) => {
            all.retain(|l| *l != d);
            all.insert(0, d);
        }
        None => {}
    }
    if all.is_empty() {
        all.push(default.unwrap_or(Language::En));
    }
    all
}

fn history_days(cx: &mut FileCheck<'_>, value: Option<&Spanned<u32>>) -> u32 {
    match value {
        None => 90,
        Some(days) if (1..=3650).contains(&days.value) => days.value,
        Some(days) => {
            cx.error(
                "invalid-value",
                pos_of(days),
                format!("`history_days` is {}", days.value),
                Some("expected a number of days from 1 to 3650".into()),
            );
            90
        }
    }
}

/// An http(s) URL, or also a mailto: one when `mailto` is allowed.
fn url(cx: &mut FileCheck<'_>, value: &Str, mailto: bool) -> Option<String> {
    let text = value.value.trim();
    let lower = text.to_ascii_lowercase();
    let scheme_ok =
        lower.starts_with("https://") || lower.starts_with("http://") || (mailto && lower.starts_with("mailto:"));
    let clean = !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`'));
    if scheme_ok && clean && text.len() > 8 {
        return Some(text.to_owned());
    }
    let expected = if mailto { "an http://, https:// or mailto: URL" } else { "an http:// or https:// URL" };
    cx.error(
        "invalid-url",
        pos_of(value),
        format!("`{text}` is not a valid URL here"),
        Some(format!("expected {expected}, without spaces, quotes or angle brackets")),
    );
    None
}

/// A host name images may come from: `cdn.example.com`, no scheme or path.
fn image_host(cx: &mut FileCheck<'_>, value: &Str) -> Option<String> {
    let host = value.value.trim().to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if ok {
        return Some(host);
    }
    cx.error(
        "invalid-value",
        pos_of(value),
        format!("`{}` is not a host name", value.value),
        Some("write the host alone, such as `cdn.example.com`: no `https://`, path or port".into()),
    );
    None
}

fn email(cx: &mut FileCheck<'_>, value: &Str) -> Option<String> {
    let text = value.value.trim();
    let ok = text.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | ':'));
    if ok {
        return Some(text.to_owned());
    }
    cx.error(
        "invalid-email",
        pos_of(value),
        format!("`{text}` is not an email address"),
        Some("expected an address such as `support@example.com`".into()),
    );
    None
}

fn site_components(
    cx: &mut FileCheck<'_>,
    value: Option<&Spanned<Vec<Spanned<crate::input::RawComponent>>>>,
    top: Pos,
) -> Vec<Component> {
    let Some(list) = value else {
        cx.missing(top, "components", "a list of the components the page reports on");
        return Vec::new();
    };
    if list.value.is_empty() {
        cx.error(
            "missing-field",
            pos_of(list),
            "`components` is empty",
            Some("declare at least one component, e.g. `- { id: web, name: Website }`".into()),
        );
    }
    let mut seen = HashSet::new();
    let mut components = Vec::new();
    for raw in &list.value {
        let c = &raw.value;
        let id = match c.id.as_ref() {
            None => {
                cx.missing(start(raw), "id", "a short id such as `api`");
                None
            }
            Some(id) if !is_slug(&id.value) => {
                cx.error(
                    "invalid-id",
                    pos_of(id),
                    format!("`{}` is not a valid component id", id.value),
                    Some(slug_hint()),
                );
                None
            }
            Some(id) if id.value.len() > MAX_ID_LEN => {
                cx.error(
                    "invalid-id",
                    pos_of(id),
                    format!("the component id is {} characters long", id.value.len()),
                    Some(format!("ids are at most {MAX_ID_LEN} characters: they become folder names and URLs")),
                );
                None
            }
            Some(id) if !seen.insert(id.value.clone()) => {
                cx.error(
                    "duplicate-id",
                    pos_of(id),
                    format!("component `{}` is declared twice", id.value),
                    Some("component ids must be unique".into()),
                );
                None
            }
            Some(id) => Some(ComponentId::new(id.value.clone())),
        };
        let name = cx.text(c.name.as_ref(), start(raw), "name");
        if let (Some(id), Some(name)) = (id, name) {
            components.push(Component {
                id,
                name,
                group: cx.optional_text(c.group.as_ref(), "group"),
                description: cx.optional_text(c.description.as_ref(), "description"),
            });
        }
    }
    components
}

/// `audiences:` in `site.yaml`: each with an id unique among audiences and
/// components (advice names either), a name, and the components it depends on.
fn site_audiences(cx: &mut FileCheck<'_>, list: &[Spanned<RawAudience>], components: &[Component]) -> Vec<Audience> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut audiences = Vec::new();
    for raw in list {
        let a = &raw.value;
        let id = match a.id.as_ref() {
            None => {
                cx.missing(start(raw), "id", "a short id such as `enterprise`");
                None
            }
            Some(id) if !is_slug(&id.value) || id.value.len() > MAX_ID_LEN => {
                let hint = format!("{} and at most {MAX_ID_LEN} characters long", slug_hint());
                cx.error("invalid-id", pos_of(id), format!("`{}` is not a valid audience id", id.value), Some(hint));
                None
            }
            Some(id) if components.iter().any(|c| c.id.as_str() == id.value) => {
                let message = format!("the audience `{}` has the id of a component", id.value);
                let hint = "`for:` in advice names audiences and components alike: give the audience another id";
                cx.error("duplicate-id", pos_of(id), message, Some(hint.into()));
                None
            }
            Some(id) if !seen.insert(id.value.clone()) => {
                let message = format!("audience `{}` is declared twice", id.value);
                cx.error("duplicate-id", pos_of(id), message, Some("audience ids must be unique".into()));
                None
            }
            Some(id) => Some(AudienceId::new(id.value.clone())),
        };
        let name = cx.text(a.name.as_ref(), start(raw), "name");
        let description = cx.optional_text(a.description.as_ref(), "description");
        let depends = audience_components(cx, a.components.as_ref(), start(raw), components);
        if let (Some(id), Some(name), Some(components)) = (id, name, depends) {
            audiences.push(Audience { id, name, description, components });
        }
    }
    audiences
}

/// An audience's `components`: one or more, each declared, none twice.
fn audience_components(
    cx: &mut FileCheck<'_>,
    list: Option<&Spanned<Vec<Str>>>,
    pos: Pos,
    declared: &[Component],
) -> Option<Vec<ComponentId>> {
    let Some(list) = list else {
        cx.missing(pos, "components", "the ids of the components these readers depend on");
        return None;
    };
    if list.value.is_empty() {
        let hint = "list the components these readers depend on, e.g. `components: [api, payments]`";
        cx.error("missing-field", pos_of(list), "`components` is empty", Some(hint.into()));
        return None;
    }
    let mut out: Vec<ComponentId> = Vec::new();
    let mut ok = true;
    for id in &list.value {
        match declared.iter().find(|c| c.id.as_str() == id.value) {
            Some(c) if out.contains(&c.id) => {
                cx.error("duplicate-id", pos_of(id), format!("component `{}` is listed twice", id.value), None);
                ok = false;
            }
            Some(c) => out.push(c.id.clone()),
            None => {
                let ids = declared.iter().map(|c| c.id.as_str());
                let hint = known_hint(&id.value, ids, "the components declared in site.yaml");
                cx.error("unknown-component", pos_of(id), format!("unknown component `{}`", id.value), Some(hint));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// "did you mean `x`?" for a near miss of `word` among `known`, else the list of them.
fn known_hint<'k>(word: &str, known: impl Iterator<Item = &'k str> + Clone, what: &str) -> String {
    match did_you_mean(word, known.clone()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("expected one of {what}: {}", known.collect::<Vec<_>>().join(", ")),
    }
}

/// `advice:` entries of an incident or an update: each `for` audiences or
/// components of the site, and a Markdown body checked like every other.
fn advice(cx: &mut FileCheck<'_>, list: &[Spanned<RawAdvice>], site: &Site) -> Vec<Advice> {
    list.iter()
        .filter_map(|raw| {
            let pos = start(raw);
            let readers = match raw.value.readers.as_ref() {
                None => {
                    cx.missing(pos, "for", "the audiences or components it is for, e.g. `for: [enterprise]`");
                    None
                }
                Some(list) if list.value.is_empty() => {
                    let hint = "name the audiences or components it is for, e.g. `for: [enterprise]`";
                    cx.error("missing-field", pos_of(list), "`for` is empty", Some(hint.into()));
                    None
                }
                Some(list) => advice_readers(cx, &list.value, site),
            };
            if let Some(body) = raw.value.body.as_ref() {
                cx.markdown_problems(body);
            }
            let body = cx.text(raw.value.body.as_ref(), pos, "body").map(Markdown);
            Some(Advice { readers: readers?, body: body?, pos })
        })
        .collect()
}

/// The readers `for:` names: audiences first, then components; unknown ones reported with a suggestion.
fn advice_readers(cx: &mut FileCheck<'_>, ids: &[Str], site: &Site) -> Option<Vec<Reader>> {
    let mut out: Vec<Reader> = Vec::new();
    let mut ok = true;
    for id in ids {
        let reader = if let Some(a) = site.audiences.iter().find(|a| a.id.as_str() == id.value) {
            Reader::Audience(a.id.clone())
        } else if let Some(c) = site.components.iter().find(|c| c.id.as_str() == id.value) {
            Reader::Component(c.id.clone())
        } else {
            let known =
                site.audiences.iter().map(|a| a.id.as_str()).chain(site.components.iter().map(|c| c.id.as_str()));
            let hint = known_hint(&id.value, known, "the audiences and components declared in site.yaml");
            cx.error("unknown-audience", pos_of(id), format!("no audience or component `{}`", id.value), Some(hint));
            ok = false;
            continue;
        };
        if out.contains(&reader) {
            cx.error("duplicate-id", pos_of(id), format!("`{}` is listed twice", id.value), None);
            ok = false;
            continue;
        }
        out.push(reader);
    }
    ok.then_some(out)
}

fn slug_hint() -> String {
    "ids use lower-case letters, digits and hyphens, starting with a letter or digit (e.g. `card-payments`)".into()
}

/// Validates one incident file against the site.
pub fn incident(
    raw: &Spanned<RawIncident>,
    id: IncidentId,
    file: &Path,
    text: &str,
    site: &Site,
) -> Result<Incident, Vec<Diagnostic>> {
    let mut cx = FileCheck::new(file, text, &site.languages);
    cx.image_hosts.clone_from(&site.image_hosts);
    let top = start(raw);
    let r = &raw.value;
    let tz = &site.timezone;
    let title = cx.text(r.title.as_ref(), top, "title");
    let kind = match r.kind.as_ref() {
        Some(k) => cx.choice(k, "kind", &options(&Kind::ALL, Kind::as_str)),
        None => {
            cx.missing(top, "kind", "one of: outage, degraded, data_breach, security, maintenance, notice");
            None
        }
    };
    let kind_pos = r.kind.as_ref().map_or(top, pos_of);
    let impact = incident_impact(&mut cx, r.impact.as_ref(), kind, top);
    let components = affected(&mut cx, r, impact.unwrap_or(Impact::None), kind, site);
    let started_at = match r.started_at.as_ref() {
        Some(v) => cx.time(Some(v), tz),
        None => {
            cx.missing(
                top,
                "started_at",
                "the time people were first affected (or, for maintenance and notices, announced)",
            );
            None
        }
    };
    let detected_at = cx.time(r.detected_at.as_ref(), tz);
    let resolved_at = cx.time(r.resolved_at.as_ref(), tz);
    let updates = updates(&mut cx, r, kind, top, site);
    let postmortem = r.postmortem.as_ref().map(|p| postmortem(&mut cx, p, tz));
    let breach = breach_block(&mut cx, r.breach.as_ref(), kind, kind_pos, tz);
    let scheduled = window(&mut cx, r.scheduled.as_ref(), kind, kind_pos, tz);
    let effective_at = cx.time(r.effective_at.as_ref(), tz);
    let allow = allowed_lints(&mut cx, &r.allow);
    let aliases = aliases(&mut cx, &r.aliases);
    let advice = advice(&mut cx, &r.advice, site);
    if let (Some(e), Some(k)) = (r.effective_at.as_ref(), kind)
        && k != Kind::Notice
    {
        cx.error(
            "misplaced-field",
            pos_of(e),
            "`effective_at` only applies to notices",
            Some("remove it, or set `kind: notice`".into()),
        );
    }
    if let Some(started) = started_at {
        timeline_rules(&mut cx, r, started, resolved_at, &updates);
    }
    let (Some(title), Some(kind), Some(impact), Some(started_at)) = (title, kind, impact, started_at) else {
        return Err(cx.diagnostics);
    };
    if !cx.diagnostics.is_empty() || updates.is_empty() {
        return Err(cx.diagnostics);
    }
    Ok(Incident {
        id,
        file: file.to_path_buf(),
        title,
        kind,
        impact,
        components,
        started_at,
        detected_at,
        resolved_at,
        summary: cx.markdown(r.summary.as_ref(), "summary"),
        updates,
        postmortem,
        breach: breach.flatten(),
        scheduled: scheduled.flatten(),
        effective_at,
        kind_pos,
        resolved_pos: r.resolved_at.as_ref().map(pos_of),
        title_pos: r.title.as_ref().map_or(top, pos_of),
        breach_pos: r.breach.as_ref().map(start),
        scheduled_pos: r.scheduled.as_ref().map(start),
        allow,
        aliases,
        advice,
        revisions: Vec::new(),
    })
}

/// Why a path cannot be an alias: what is wrong, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasError {
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

/// An alias as written, checked and normalised: a path on this site,
/// relative to its root, made of segments of letters, digits and `-._~+@`
/// that a static host serves as they are. A folder ends in `/`; a path that
/// does not end in `.html` or `/` is a folder (`incidents/abc123` becomes
/// `incidents/abc123/`), as static hosts serve `index.html` there.
pub fn normalise_alias(written: &str) -> Result<String, AliasError> {
    let text = written.trim();
    let refuse = |message: String, hint: &str| Err(AliasError { message, hint: hint.to_owned() });
    if text.contains("://") || text.starts_with("//") {
        return refuse(
            format!("`{text}` is an address, not a path on this site"),
            "write the path after the host, e.g. `incidents/abc123` for https://status.example.com/incidents/abc123",
        );
    }
    if text.starts_with('/') {
        return refuse(
            format!("`{text}` starts with `/`"),
            "write the path relative to the site root, without the leading `/`, so it also works when the site is on a subpath",
        );
    }
    let body = text.strip_suffix('/').unwrap_or(text);
    if body.is_empty() {
        return refuse("an alias is empty".into(), "write the old address's path, e.g. `incidents/abc123`");
    }
    for segment in body.split('/') {
        if segment.is_empty() {
            return refuse(format!("`{text}` has an empty segment (`//`)"), "separate folders with a single `/`");
        }
        if segment == "." || segment == ".." {
            return refuse(
                format!("`{text}` contains `{segment}`"),
                "an alias is a path inside the site; `.` and `..` would point elsewhere",
            );
        }
        if segment.starts_with('.') {
            return refuse(
                format!("`{text}` has a hidden segment, `{segment}`"),
                "static hosts do not publish files whose names start with `.`",
            );
        }
        if let Some(c) = segment.chars().find(|c| !(c.is_alphanumeric() || "-._~+@".contains(*c))) {
            let shown = if c.is_control() || c.is_whitespace() { format!("{:?}", c) } else { format!("`{c}`") };
            return refuse(
                format!("`{text}` contains {shown}"),
                "use letters, digits and `-._~+@` in an alias, as they appear in the address, decoded (not `%20`)",
            );
        }
    }
    let last = body.rsplit('/').next().unwrap_or(body).to_ascii_lowercase();
    Ok(if last.ends_with(".html") && !text.ends_with('/') { body.to_owned() } else { format!("{body}/") })
}

/// `aliases:`: each a valid path that candor's own output does not use,
/// listed once.
fn aliases(cx: &mut FileCheck<'_>, raw: &[Str]) -> Vec<Alias> {
    let mut out: Vec<Alias> = Vec::new();
    for value in raw {
        let pos = pos_of(value);
        let path = match normalise_alias(&value.value) {
            Ok(path) => path,
            Err(e) => {
                cx.error("invalid-alias", pos, e.message, Some(e.hint));
                continue;
            }
        };
        let alias = Alias { path, pos };
        if let Some(what) = crate::paths::taken_by_candor(&alias.file()) {
            let hint = "an alias keeps an old address working; this one would replace a file the site needs".to_owned();
            cx.error(
                "alias-collision",
                pos,
                format!("the alias `{}` is taken: {what}", value.value.trim()),
                Some(hint),
            );
        } else if out.iter().any(|a| a.file().eq_ignore_ascii_case(&alias.file())) {
            cx.error("duplicate-alias", pos, format!("the alias `{}` is listed twice", value.value.trim()), None);
        } else {
            out.push(alias);
        }
    }
    out
}

/// Aliases that clash across the site: with an incident's own folder, with
/// a static file of the theme (`statics`), or with another alias, also when
/// they differ only in case (one file on a case-insensitive disk) or when
/// one needs as a folder what another writes as a file.
pub fn alias_collisions(incidents: &[Incident], statics: &[&str]) -> Vec<Diagnostic> {
    let ids: HashSet<&str> = incidents.iter().map(|i| i.id.as_str()).collect();
    let mut owners: HashMap<String, String> =
        statics.iter().map(|s| (s.to_lowercase(), format!("the theme's static file `{s}`"))).collect();
    let mut found = Vec::new();
    let mut clash = |incident: &Incident, alias: &Alias, what: String| {
        let message = format!("the alias `{}` collides with {what}", alias.path);
        found.push(
            Diagnostic::error("alias-collision", &incident.file, alias.pos, message)
                .with_hint("each old address can lead to one page only; remove or change one of them"),
        );
    };
    let mut all: Vec<(&Incident, &Alias, String)> =
        incidents.iter().flat_map(|i| i.aliases.iter().map(move |a| (i, a, a.file().to_lowercase()))).collect();
    all.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.id.cmp(&b.0.id)));
    for (incident, alias, file) in &all {
        let mut segments = file.split('/');
        if let (Some("incidents"), Some(id)) = (segments.next(), segments.next())
            && ids.contains(id)
        {
            clash(incident, alias, format!("the pages of the incident `{id}`"));
            continue;
        }
        match owners.get(file) {
            Some(owner) => clash(incident, alias, owner.clone()),
            None => {
                let owner = format!("the alias `{}` of {}", alias.path, incident.file.display());
                owners.insert(file.clone(), owner);
            }
        }
    }
    for (incident, alias, file) in &all {
        let folders = file.match_indices('/').map(|(at, _)| &file[..at]);
        if let Some(owner) = folders.filter_map(|f| owners.get(f)).next() {
            clash(incident, alias, format!("{owner}, which is a file where this alias needs a folder"));
        }
    }
    found
}

/// `allow:` entries: a known lint and a reason each.
fn allowed_lints(cx: &mut FileCheck<'_>, raw: &[Spanned<RawAllow>]) -> Vec<Allow> {
    raw.iter()
        .filter_map(|entry| {
            let pos = start(entry);
            let lint = match entry.value.lint.as_ref() {
                Some(l) if crate::lint::find(l.value.trim()).is_some() => Some(l.value.trim().to_owned()),
                Some(l) => {
                    let hint = match did_you_mean(l.value.trim(), crate::lint::ALL.iter().map(|l| l.code)) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!(
                            "expected one of: {}",
                            crate::lint::ALL.iter().map(|l| l.code).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    cx.error("invalid-value", pos_of(l), format!("`{}` is not a lint", l.value), Some(hint));
                    None
                }
                None => {
                    cx.missing(pos, "lint", "the code of the lint to silence");
                    None
                }
            };
            let reason = match entry.value.reason.as_ref().map(|r| r.value.trim()).filter(|r| !r.is_empty()) {
                Some(reason) => Some(Text::new(reason)),
                None => {
                    cx.missing(pos, "reason", "why the lint does not apply, for whoever reads the file next");
                    None
                }
            };
            Some(Allow { lint: lint?, reason: reason? })
        })
        .collect()
}

fn incident_impact(cx: &mut FileCheck<'_>, value: Option<&Str>, kind: Option<Kind>, top: Pos) -> Option<Impact> {
    match value {
        Some(v) => cx.choice(v, "impact", &options(&Impact::ALL, Impact::as_str)),
        None if kind.is_some_and(Kind::is_incident) => {
            cx.missing(top, "impact", "one of: none, minor, major, critical");
            None
        }
        None => Some(Impact::None),
    }
}

fn affected(cx: &mut FileCheck<'_>, r: &RawIncident, impact: Impact, kind: Option<Kind>, site: &Site) -> Vec<Affected> {
    let default_status = kind.map_or_else(|| impact.implied_status(), |k| k.implied_status(impact));
    let statuses = options(&ComponentStatus::ALL, ComponentStatus::as_str);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (id, status) in &r.components.0 {
        let known = site.components.iter().any(|c| c.id.as_str() == id.value);
        if !known {
            let ids = site.components.iter().map(|c| c.id.as_str());
            let hint = match did_you_mean(&id.value, ids) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "expected one of the components declared in site.yaml: {}",
                    site.components.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            };
            cx.error("unknown-component", pos_of(id), format!("unknown component `{}`", id.value), Some(hint));
            continue;
        }
        if !seen.insert(id.value.clone()) {
            cx.error("duplicate-id", pos_of(id), format!("component `{}` is listed twice", id.value), None);
            continue;
        }
        let status = match status {
            Some(s) => cx.choice(s, "component status", &statuses),
            None => Some(default_status),
        };
        if let Some(status) = status {
            out.push(Affected { component: ComponentId::new(id.value.clone()), status });
        }
    }
    out
}

/// The updates that are valid, oldest first; empty when any is invalid or none is written.
fn updates(cx: &mut FileCheck<'_>, r: &RawIncident, kind: Option<Kind>, top: Pos, site: &Site) -> Vec<Update> {
    let Some(list) = r.updates.as_ref() else {
        cx.missing(top, "updates", "a list with at least one update (`at`, `status`, `body`)");
        return Vec::new();
    };
    if list.value.is_empty() {
        cx.error(
            "missing-field",
            pos_of(list),
            "`updates` is empty",
            Some("add at least one update: readers need to hear from you".into()),
        );
    }
    let mut out: Vec<Update> = list.value.iter().filter_map(|u| update(cx, u, kind, site)).collect();
    out.sort_by_key(|u| u.at);
    out
}

fn update(cx: &mut FileCheck<'_>, raw: &Spanned<RawUpdate>, kind: Option<Kind>, site: &Site) -> Option<Update> {
    let tz = &site.timezone;
    let pos = start(raw);
    let u = &raw.value;
    let at = match u.at.as_ref() {
        Some(v) => cx.time(Some(v), tz),
        None => {
            cx.missing(pos, "at", "the time the update was published");
            None
        }
    };
    if let Some(body) = u.body.as_ref() {
        cx.markdown_problems(body);
    }
    let body = cx.text(u.body.as_ref(), pos, "body").map(Markdown);
    let status = update_status(cx, u.status.as_ref(), kind, pos)?;
    let next_update_by = cx.time(u.next_update_by.as_ref(), tz);
    if let (Some(at), Some(next), Some(raw_next)) = (at, next_update_by, u.next_update_by.as_ref())
        && next <= at
    {
        cx.error(
            "promise-before-update",
            pos_of(raw_next),
            "`next_update_by` is not after the update it belongs to",
            Some("a promise must point to a time after the update's `at`".into()),
        );
    }
    let at_pos = u.at.as_ref().map_or(pos, pos_of);
    let advice = advice(cx, &u.advice, site);
    Some(Update {
        at: at?,
        status,
        body: body?,
        next_update_by,
        advice,
        pos,
        at_pos,
        promise_pos: u.next_update_by.as_ref().map(pos_of),
    })
}

/// `Some(status)` checked against the kind; `None` (outer) on an error.
fn update_status(
    cx: &mut FileCheck<'_>,
    value: Option<&Str>,
    kind: Option<Kind>,
    pos: Pos,
) -> Option<Option<UpdateStatus>> {
    let Some(kind) = kind else {
        return value.map(|_| None);
    };
    let allowed: &[UpdateStatus] = match kind {
        Kind::Notice => &[],
        Kind::Maintenance => &UpdateStatus::MAINTENANCE,
        _ => &UpdateStatus::INCIDENT,
    };
    match value {
        None if allowed.is_empty() => Some(None),
        None => {
            let list: Vec<_> = allowed.iter().map(|s| s.as_str()).collect();
            cx.missing(pos, "status", &format!("one of: {}", list.join(", ")));
            None
        }
        Some(v) if allowed.is_empty() => {
            cx.error(
                "misplaced-field",
                pos_of(v),
                "notice updates have no `status`",
                Some("remove `status:`; a notice is an announcement, not a state".into()),
            );
            None
        }
        Some(v) => {
            let word = if kind == Kind::Maintenance { "maintenance status" } else { "incident status" };
            cx.choice(v, word, &options(allowed, UpdateStatus::as_str)).map(Some)
        }
    }
}

/// The rules that relate times to each other.
fn timeline_rules(
    cx: &mut FileCheck<'_>,
    r: &RawIncident,
    started: Timestamp,
    resolved: Option<Timestamp>,
    updates: &[Update],
) {
    if let (Some(resolved), Some(raw)) = (resolved, r.resolved_at.as_ref())
        && resolved < started
    {
        cx.error(
            "end-before-start",
            pos_of(raw),
            "`resolved_at` is before `started_at`",
            Some("an incident cannot end before it starts; check the date and the offset".into()),
        );
    }
    for u in updates {
        if u.at < started {
            cx.error("update-before-start", u.at_pos, "this update is before `started_at`", Some("`started_at` is when people were first affected (or when it was announced); move it earlier or fix this time".into()));
        }
        let is_final = u.status.is_some_and(UpdateStatus::is_final);
        if let Some(resolved) = resolved
            && u.at > resolved
            && !is_final
        {
            cx.error(
                "update-after-end",
                u.at_pos,
                format!(
                    "an update with status `{}` comes after `resolved_at`, which ended the incident",
                    u.status.map_or("none", UpdateStatus::as_str)
                ),
                Some("move `resolved_at` later, or remove it while the incident is ongoing".into()),
            );
        }
    }
}

fn postmortem(cx: &mut FileCheck<'_>, raw: &Spanned<RawPostmortem>, tz: &TimeZone) -> Postmortem {
    let p = &raw.value;
    let statuses = options(&ActionStatus::ALL, ActionStatus::as_str);
    let action_items = p
        .action_items
        .iter()
        .filter_map(|item| {
            let pos = start(item);
            let text = cx.text(item.value.text.as_ref(), pos, "text");
            let status = match item.value.status.as_ref() {
                Some(s) => cx.choice(s, "action item status", &statuses),
                None => {
                    cx.missing(pos, "status", "one of: planned, in_progress, done, dropped");
                    None
                }
            };
            let due = cx.date(item.value.due.as_ref());
            let done_at = cx.date(item.value.done_at.as_ref());
            Some(ActionItem { text: text?, status: status?, due, done_at, pos })
        })
        .collect();
    Postmortem {
        published_at: cx.time(p.published_at.as_ref(), tz),
        summary: cx.markdown(p.summary.as_ref(), "summary"),
        impact: cx.markdown(p.impact.as_ref(), "impact"),
        root_cause: cx.markdown(p.root_cause.as_ref(), "root_cause"),
        resolution: cx.markdown(p.resolution.as_ref(), "resolution"),
        action_items,
        lessons: cx.markdown(p.lessons.as_ref(), "lessons"),
        pos: start(raw),
    }
}

/// What a block that belongs to exactly one kind is called and asks for.
struct KindBlock {
    /// The kind it belongs to.
    owner: Kind,
    /// The key it is written under.
    key: &'static str,
    /// The message when the kind lacks it.
    missing: &'static str,
    /// What to add.
    add: &'static str,
}

/// Checks that `raw` is present exactly when the kind is `block.owner`: `Some(Some(raw))`
/// when it is there and belongs, `Some(None)` when it is rightly absent, `None` on an error.
fn kind_block<'r, T>(
    cx: &mut FileCheck<'_>,
    raw: Option<&'r Spanned<T>>,
    kind: Option<Kind>,
    kind_pos: Pos,
    block: &KindBlock,
) -> Option<Option<&'r Spanned<T>>> {
    let owner = kind? == block.owner;
    match (raw, owner) {
        (None, false) => Some(None),
        (None, true) => {
            cx.error("missing-block", kind_pos, block.missing, Some(block.add.into()));
            None
        }
        (Some(b), false) => {
            let owner = block.owner.as_str();
            let message = format!("`{}` is only for `kind: {owner}`", block.key);
            let at = cx.key_pos(start(b), block.key);
            cx.error("misplaced-field", at, message, Some(format!("remove the block, or set `kind: {owner}`")));
            None
        }
        (Some(b), true) => Some(Some(b)),
    }
}

fn breach_block(
    cx: &mut FileCheck<'_>,
    raw: Option<&Spanned<RawBreach>>,
    kind: Option<Kind>,
    kind_pos: Pos,
    tz: &TimeZone,
) -> Option<Option<Breach>> {
    let block = KindBlock {
        owner: Kind::DataBreach,
        key: "breach",
        missing: "a data breach needs a `breach` block",
        add: "add `breach:` with `data_affected`, `people_affected` and `what_you_should_do`",
    };
    let Some(b) = kind_block(cx, raw, kind, kind_pos, &block)? else { return Some(None) };
    let b = &b.value;
    Some(Some(Breach {
        data_affected: b.data_affected.iter().filter_map(|d| cx.optional_text(Some(d), "data_affected")).collect(),
        people_affected: b.people_affected.as_ref().map(|p| match &p.value {
            PeopleCount::Exact(n) => PeopleAffected::Count(*n),
            PeopleCount::Words(w) => PeopleAffected::Words(Text::new(w.trim())),
        }),
        what_you_should_do: cx.markdown(b.what_you_should_do.as_ref(), "what_you_should_do"),
        authority_notified_at: cx.time(b.authority_notified_at.as_ref(), tz),
    }))
}

fn window(
    cx: &mut FileCheck<'_>,
    raw: Option<&Spanned<RawWindow>>,
    kind: Option<Kind>,
    kind_pos: Pos,
    tz: &TimeZone,
) -> Option<Option<Window>> {
    let block = KindBlock {
        owner: Kind::Maintenance,
        key: "scheduled",
        missing: "maintenance needs a `scheduled` window",
        add: "add `scheduled: { start: ..., end: ... }`",
    };
    let Some(raw) = kind_block(cx, raw, kind, kind_pos, &block)? else { return Some(None) };
    let pos = start(raw);
    let mut bound = |value: Option<&Str>, name: &str| match value {
        Some(v) => cx.time(Some(v), tz),
        None => {
            cx.missing(pos, name, "a time");
            None
        }
    };
    let start_at = bound(raw.value.start.as_ref(), "start");
    let end_at = bound(raw.value.end.as_ref(), "end");
    let (start_at, end_at) = (start_at?, end_at?);
    if end_at <= start_at {
        let at = raw.value.end.as_ref().map_or(pos, pos_of);
        cx.error(
            "end-before-start",
            at,
            "the maintenance window ends before it starts",
            Some("`end` must be after `start`".into()),
        );
        return None;
    }
    Some(Some(Window { start: start_at, end: end_at }))
}

pub mod notify;
#[cfg(test)]
mod tests;
