//! A webhook in Statuspage's subscriber-webhook shape (`meta`, `page`, and
//! `incident` with `incident_updates`, or `component_update` with
//! `component`), which Instatus and Better Stack also send, signed with
//! HMAC-SHA256 over the exact body and carrying a stable idempotency key.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::{Compose, Outgoing, to_bytes};
use crate::model::Kind;
use crate::notify::events::{Event, What};
use crate::notify::message::Message;
use crate::render::api::format_time;
use crate::render::ids::{page_id, stable_id};

/// The header carrying the signature: `sha256=` and the HMAC's hex digits.
pub const SIGNATURE: &str = "X-Candor-Signature-256";
/// The header carrying the event's stable key.
pub const IDEMPOTENCY: &str = "Idempotency-Key";
/// The header naming the event.
pub const EVENT: &str = "X-Candor-Event";

/// The webhook's body and headers for `event`.
pub fn outgoing(cx: &Compose<'_>, event: &Event, message: &Message) -> Outgoing {
    let body = payload(cx, event, message);
    let headers = vec![(IDEMPOTENCY.to_owned(), event.key.clone()), (EVENT.to_owned(), event.what.name().to_owned())];
    Outgoing::Post { body: to_bytes(&body), headers }
}

/// `sha256=HEX` of the HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length, so making one cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

fn payload(cx: &Compose<'_>, event: &Event, message: &Message) -> Value {
    let site = &cx.model.site;
    let mut meta = json!({
        "unsubscribe": null,
        "documentation": null,
        "event": event.what.name(),
        "idempotency_key": event.key,
    });
    if let What::Reminder { lint, message, hint } = &event.what {
        meta["reminder"] = json!({ "code": lint.code, "message": message, "hint": hint });
    }
    let page = json!({
        "id": page_id(site),
        "status_indicator": cx.views.indicator.as_str(),
        "status_description": cx.theme.locale.get(&format!("indicator.{}", cx.views.indicator.as_str())),
    });
    let mut body = json!({ "meta": meta, "page": page });
    if let What::Component { component, old, new } = &event.what {
        let index = site.components.iter().position(|c| &c.id == component).unwrap_or_default();
        let name = site.components.get(index).map(|c| c.name.to_string()).unwrap_or_default();
        let at = format_time(event.at, &site.timezone);
        body["component_update"] = json!({
            "created_at": at,
            "new_status": new.as_str(),
            "old_status": old.as_str(),
            "id": stable_id(&[&event.key]),
            "component_id": component.as_str(),
        });
        body["component"] = json!({
            "created_at": at,
            "id": component.as_str(),
            "name": name,
            "status": cx.views.components.get(index).map_or(new.as_str(), |c| c.status.as_str()),
        });
        return body;
    }
    body["incident"] = incident(cx, event, message);
    body
}

/// The incident as the API shows it at now, with the fields only webhooks carry.
fn incident(cx: &Compose<'_>, event: &Event, message: &Message) -> Value {
    let inc = &cx.model.incidents[event.incident];
    let view = &cx.views.incidents[event.incident];
    let mut value = serde_json::to_value(cx.api.incident(event.incident)).unwrap_or(Value::Null);
    let postmortem = inc.postmortem.as_ref().filter(|_| view.postmortem_published);
    let published = postmortem.and_then(|p| p.published_at.or(view.end));
    value["backfilled"] = json!(false);
    value["impact_override"] = Value::Null;
    value["postmortem_body"] = json!(postmortem.map(postmortem_body));
    value["postmortem_published_at"] = json!(published.map(|t| format_time(t, &cx.model.site.timezone)));
    value["scheduled_remind_prior"] = json!(false);
    value["scheduled_auto_transition"] = json!(inc.kind == Kind::Maintenance);
    if inc.kind == Kind::Notice {
        value["status"] = json!("identified");
    }
    value["candor"]["event"] = json!(event.what.name());
    value["candor"]["link"] = json!(message.link);
    value
}

/// The post-mortem's sections as one Markdown text, as Statuspage's `postmortem_body` is.
fn postmortem_body(p: &crate::model::Postmortem) -> String {
    let sections = [&p.summary, &p.impact, &p.root_cause, &p.resolution, &p.lessons];
    let texts: Vec<&str> = sections.iter().filter_map(|s| s.as_ref().map(|m| m.source())).collect();
    texts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_the_published_test_vector() {
        // RFC 4231, test case 2.
        let sig = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
