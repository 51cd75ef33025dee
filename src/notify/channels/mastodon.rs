//! A Mastodon status post: plain text within the server's 500 characters,
//! the link always kept, mentions made inert.

use serde_json::{Value, json};

use crate::model::Language;
use crate::notify::markup::{Flavor, convert, inline, truncate};
use crate::notify::message::Message;

/// The characters a status may have.
const LIMIT: usize = 500;
/// What Mastodon counts any link as.
const LINK_LENGTH: usize = 23;

/// The status's text.
pub fn text(message: &Message) -> String {
    let plain = Flavor::Plain;
    let mut head = inline(&message.summary(), plain);
    let mut facts = vec![inline(&message.headline, plain)];
    facts.extend(message.impact.iter().map(|i| inline(i, plain)));
    if !message.components.is_empty() {
        facts.push(inline(&message.components.join(", "), plain));
    }
    head.push('\n');
    head.push_str(&facts.join(" · "));
    let tail: String = message.promise.iter().map(|p| format!("{}\n", inline(p, plain))).collect();
    let used = head.chars().count() + tail.chars().count() + LINK_LENGTH + 6;
    let body = message.body.as_deref().map(|b| convert(b, plain)).unwrap_or_default();
    let body =
        if body.is_empty() { String::new() } else { format!("\n\n{}", truncate(&body, LIMIT.saturating_sub(used))) };
    format!("{head}{body}\n\n{tail}{}", message.link)
}

/// The JSON body of `POST /api/v1/statuses`.
pub fn status(message: &Message, language: Language) -> Value {
    json!({ "status": text(message), "visibility": "public", "language": language.tag() })
}
