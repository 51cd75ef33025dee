//! Slack (Block Kit), Mattermost, Discord and Microsoft Teams (an Adaptive
//! Card through a workflow webhook): the same message in each chat's own
//! markup, within each chat's limits, with every mention made inert.

use serde_json::{Value, json};

use crate::notify::markup::{Flavor, convert, inline, truncate};
use crate::notify::message::{Message, Severity};

/// The facts under the title: headline, kind, impact, components.
fn facts(message: &Message, flavor: Flavor) -> Vec<String> {
    let mut out = vec![inline(&message.headline, flavor), inline(&message.kind, flavor)];
    out.extend(message.impact.iter().map(|i| inline(i, flavor)));
    if !message.components.is_empty() {
        out.push(inline(&message.components.join(", "), flavor));
    }
    out
}

/// Lines after the body: the note and the promise.
fn extras(message: &Message) -> Vec<&str> {
    message.note.iter().chain(&message.promise).map(String::as_str).collect()
}

/// A Slack incoming-webhook message with Block Kit blocks and a plain fallback.
pub fn slack(message: &Message) -> Value {
    let plain = |text: &str| inline(text, Flavor::Plain);
    let mut blocks = vec![
        json!({ "type": "header", "text": { "type": "plain_text", "text": truncate(&plain(&message.summary()), 150), "emoji": false } }),
        json!({ "type": "context", "elements": [ { "type": "mrkdwn", "text": facts(message, Flavor::Slack).join(" · ") } ] }),
    ];
    if let Some(body) = &message.body {
        let text = truncate(&convert(body, Flavor::Slack), 3000);
        blocks.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } }));
    }
    for line in extras(message) {
        blocks.push(
            json!({ "type": "context", "elements": [ { "type": "mrkdwn", "text": inline(line, Flavor::Slack) } ] }),
        );
    }
    blocks.push(json!({
        "type": "actions",
        "elements": [ { "type": "button", "text": { "type": "plain_text", "text": plain(&message.link_text) }, "url": message.link } ]
    }));
    json!({
        "text": inline(&message.summary(), Flavor::Slack),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

/// A Mattermost incoming-webhook message in Markdown.
pub fn mattermost(message: &Message) -> Value {
    let md = Flavor::Markdown;
    let mut text = format!("#### {}\n{}\n", inline(&message.summary(), md), facts(message, md).join(" · "));
    if let Some(body) = &message.body {
        text.push('\n');
        text.push_str(&truncate(&convert(body, md), 12000));
        text.push('\n');
    }
    for line in extras(message) {
        text.push_str(&format!("\n*{}*", inline(line, md)));
    }
    text.push_str(&format!("\n\n[{}]({})", inline(&message.link_text, md), message.link));
    json!({ "text": text })
}

fn colour(severity: Severity) -> u32 {
    match severity {
        Severity::Good => 0x1f_8b_4c,
        Severity::Info => 0x25_63_eb,
        Severity::Minor => 0xca_8a_04,
        Severity::Major => 0xea_58_0c,
        Severity::Critical => 0xdc_26_26,
    }
}

/// A Discord webhook message: one embed, and no mention allowed to ping anyone.
pub fn discord(message: &Message) -> Value {
    let md = Flavor::Markdown;
    let mut fields = Vec::new();
    let mut field = |name: &str, value: &str| {
        fields.push(json!({ "name": truncate(&inline(name, md), 256), "value": truncate(&inline(value, md), 1024), "inline": true }));
    };
    field(&message.headline, &message.kind);
    if let Some(impact) = &message.impact {
        field("·", impact);
    }
    if !message.components.is_empty() {
        field("·", &message.components.join(", "));
    }
    let mut description = message.body.as_deref().map(|b| convert(b, md)).unwrap_or_default();
    for line in extras(message) {
        description.push_str(&format!("\n\n*{}*", inline(line, md)));
    }
    json!({
        "allowed_mentions": { "parse": [] },
        "embeds": [ {
            "title": truncate(&inline(&message.summary(), md), 256),
            "url": message.link,
            "description": truncate(description.trim(), 4096),
            "color": colour(message.severity),
            "timestamp": message.at_iso,
            "fields": fields,
            "footer": { "text": truncate(&inline(&message.site, Flavor::Plain), 2048) },
        } ],
    })
}

/// A Teams workflow-webhook message carrying one Adaptive Card.
pub fn teams(message: &Message) -> Value {
    let md = Flavor::Markdown;
    let colour = match message.severity {
        Severity::Good => "Good",
        Severity::Info => "Accent",
        Severity::Minor => "Warning",
        Severity::Major | Severity::Critical => "Attention",
    };
    let mut body = vec![
        json!({ "type": "TextBlock", "text": inline(&message.summary(), md), "weight": "Bolder", "size": "Medium", "color": colour, "wrap": true }),
        json!({ "type": "TextBlock", "text": facts(message, md).join(" · "), "isSubtle": true, "spacing": "None", "wrap": true }),
    ];
    if let Some(text) = &message.body {
        body.push(json!({ "type": "TextBlock", "text": truncate(&convert(text, md), 12000), "wrap": true }));
    }
    for line in extras(message) {
        body.push(json!({ "type": "TextBlock", "text": inline(line, md), "isSubtle": true, "wrap": true }));
    }
    json!({
        "type": "message",
        "attachments": [ {
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [ { "type": "Action.OpenUrl", "title": inline(&message.link_text, Flavor::Plain), "url": message.link } ],
            },
        } ],
    })
}
