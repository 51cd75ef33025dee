//! `candor notify` against real receivers started here on 127.0.0.1: HTTP
//! servers (axum) that record what they get and answer as each test plans,
//! and a real SMTP server (Python's aiosmtpd, which `.ci/run` installs).

mod common;
#[path = "common/receiver.rs"]
mod receiver;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use receiver::{Receiver, Reply};
use serde_json::Value;

/// A site with `channels` (YAML list items under `notify.channels`) and quick retries.
fn site(channels: &str, incidents: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = format!(
        "title: Acme Status
base_url: https://status.acme.example/
timezone: Europe/Helsinki
languages: [en, fi]
components:
  - {{ id: api, name: Public API }}
  - {{ id: payments, name: Card payments }}
notify:
  attempts: 3
  retry_delay: 50ms
  timeout: 2s
  channels:
{channels}"
    );
    fs::write(dir.path().join("site.yaml"), site).unwrap();
    fs::create_dir(dir.path().join("incidents")).unwrap();
    for (name, text) in incidents {
        write_incident(dir.path(), name, text);
    }
    dir
}

fn write_incident(root: &Path, id: &str, text: &str) {
    fs::write(root.join("incidents").join(format!("{id}.yaml")), text).unwrap();
}

/// Runs `candor notify` in `root` at `now` with `env`.
fn notify(root: &Path, now: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = notify_command(root, now, extra, env);
    command.output().expect("candor runs")
}

fn notify_command(root: &Path, now: &str, extra: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command.args(["notify", "--root", root.to_str().unwrap(), "--now", now]).args(extra);
    command.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn ok(output: Output) -> String {
    let text = text(&output);
    assert!(output.status.success(), "notify failed:\n{text}");
    text
}

fn failed(output: Output) -> String {
    let text = text(&output);
    assert_eq!(output.status.code(), Some(1), "notify should exit 1:\n{text}");
    text
}

fn ledger(root: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(root.join(".candor/delivered.json")).unwrap()).unwrap()
}

fn recorded(root: &Path, channel: &str) -> Vec<String> {
    ledger(root)["channels"][channel].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

const HOSTILE: &str = "title: \"Card <!channel> payments @everyone\\nBcc: victim@evil.example\"
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: \"We are **looking** into it. @here <!here> <@123456> <https://evil.example|Click me> [login](javascript:alert(1))\"
    next_update_by: 2026-03-14T10:00:00+02:00
";

/// Whether `text` holds anything a chat would read as a mention, a control sequence or a script link.
fn assert_inert(text: &str) {
    for bad in ["<!channel>", "<!here>", "@everyone", "@here", "<@123456>", "javascript:"] {
        assert!(!text.contains(bad), "{bad:?} survived in {text}");
    }
}

#[test]
fn webhook_and_chats_get_their_own_formats_signed_and_inert() {
    let rx = Receiver::start();
    let channels = format!(
        "    - {{ id: hooks, type: webhook, url: \"{}\", secret_env: HOOK_SECRET }}
    - {{ id: slack, type: slack, url: \"{}\" }}
    - {{ id: mm, type: mattermost, url: \"{}\" }}
    - {{ id: discord, type: discord, url: \"{}\" }}
    - {{ id: teams, type: teams, url: \"{}\", language: fi }}
    - {{ id: toot, type: mastodon, url: \"{}\", token_env: TOOT_TOKEN }}
",
        rx.url("/hook"),
        rx.url("/slack"),
        rx.url("/mm"),
        rx.url("/discord"),
        rx.url("/teams"),
        rx.url("")
    );
    let dir = site(&channels, &[]);
    let env = [("HOOK_SECRET", "s3cret-signing-key"), ("TOOT_TOKEN", "token-abc")];
    let first = ok(notify(dir.path(), "2026-03-14T09:00:00+02:00", &[], &env));
    assert!(first.contains("first run"), "{first}");
    assert!(rx.got().is_empty());
    write_incident(dir.path(), "card", HOSTILE);
    let out = ok(notify(dir.path(), "2026-03-14T09:32:00+02:00", &[], &env));
    assert!(out.contains("notify: 7 sent, 0 failed"), "{out}");

    let hooks = rx.at("/hook");
    assert_eq!(hooks.len(), 2, "the incident and the component change");
    for hook in &hooks {
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"s3cret-signing-key").unwrap();
        mac.update(&hook.body);
        let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hook.header("X-Candor-Signature-256"), format!("sha256={hex}"));
        assert_eq!(hook.header("Content-Type"), "application/json");
    }
    let incident = hooks[0].json();
    assert_eq!(hooks[0].header("Idempotency-Key"), "card/update/1773473460");
    assert_eq!(incident["meta"]["idempotency_key"], "card/update/1773473460");
    assert!(incident["page"]["id"].is_string() && incident["page"]["status_indicator"] == "minor", "{incident}");
    let inc = &incident["incident"];
    assert_eq!(inc["id"], "card");
    assert_eq!(inc["status"], "investigating");
    assert_eq!(inc["impact"], "major");
    assert_eq!(inc["shortlink"], "https://status.acme.example/incidents/card/index.html");
    assert_eq!(inc["incident_updates"][0]["status"], "investigating");
    assert!(inc["incident_updates"][0]["body"].as_str().unwrap().contains("looking"), "the body is the source");
    for field in ["created_at", "updated_at", "backfilled", "postmortem_body", "scheduled_for", "resolved_at"] {
        assert!(inc.get(field).is_some() || field == "scheduled_for", "{field} in {inc}");
    }
    let component = hooks[1].json();
    assert_eq!(component["component_update"]["old_status"], "operational");
    assert_eq!(component["component_update"]["new_status"], "partial_outage");
    assert_eq!(component["component"]["id"], "payments");
    assert_eq!(hooks[1].header("Idempotency-Key"), "card/component/payments/1773473460");

    let slack = rx.at("/slack")[0].json();
    let blocks = slack["blocks"].as_array().unwrap();
    let types: Vec<&str> = blocks.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["header", "context", "section", "context", "actions"], "{slack}");
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert_eq!(blocks[2]["text"]["type"], "mrkdwn");
    assert!(blocks[2]["text"]["text"].as_str().unwrap().contains("*looking*"), "{slack}");
    assert_eq!(blocks[4]["elements"][0]["url"], "https://status.acme.example/incidents/card/index.html");
    assert!(slack["text"].is_string());
    assert!(blocks[3]["elements"][0]["text"].as_str().unwrap().starts_with("Next update by 14 Mar 2026, 10:00"));
    let slack_text = rx.at("/slack")[0].json().to_string();
    assert!(!slack_text.contains("<https://evil.example|"), "a Slack link written by hand stays text: {slack_text}");
    assert_inert(&slack_text);

    let mm = rx.at("/mm")[0].json();
    assert!(mm["text"].as_str().unwrap().contains("**looking**"), "{mm}");
    assert_inert(mm["text"].as_str().unwrap());

    let discord = rx.at("/discord")[0].json();
    assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]));
    let embed = &discord["embeds"][0];
    assert_eq!(embed["url"], "https://status.acme.example/incidents/card/index.html");
    assert!(embed["description"].as_str().unwrap().contains("**looking**"));
    assert!(embed["fields"].as_array().unwrap().iter().all(|f| f["name"].is_string() && f["value"].is_string()));
    assert_inert(&discord.to_string());

    let teams = rx.at("/teams")[0].json();
    assert_eq!(teams["type"], "message");
    let attachment = &teams["attachments"][0];
    assert_eq!(attachment["contentType"], "application/vnd.microsoft.card.adaptive");
    let card = &attachment["content"];
    assert_eq!((card["type"].as_str(), card["version"].as_str()), (Some("AdaptiveCard"), Some("1.4")));
    assert!(card["body"].as_array().unwrap().iter().all(|b| b["type"] == "TextBlock"));
    assert_eq!(card["actions"][0]["type"], "Action.OpenUrl");
    assert_inert(&teams.to_string());
    assert_eq!(card["actions"][0]["url"], "https://status.acme.example/fi/incidents/card/index.html", "in Finnish");
    assert!(
        card["body"][0]["text"].as_str().unwrap().starts_with("Selvitetään")
            || card.to_string().contains("Uusi häiriö"),
        "{card}"
    );

    let toot = &rx.at("/api/v1/statuses")[0];
    assert_eq!(toot.header("Authorization"), "Bearer token-abc");
    assert_eq!(toot.header("Idempotency-Key"), "card/update/1773473460");
    let status = toot.json()["status"].as_str().unwrap().to_owned();
    assert!(
        status.chars().count() <= 500 && status.ends_with("https://status.acme.example/incidents/card/index.html"),
        "{status}"
    );
    assert_inert(&status);

    let again = ok(notify(dir.path(), "2026-03-14T09:40:00+02:00", &[], &env));
    assert!(again.contains("notify: 0 sent, 0 failed"), "{again}");
    assert_eq!(rx.got().len(), 7, "a second run delivers nothing");
}

#[test]
fn a_dry_run_prints_every_message_and_changes_nothing() {
    let rx = Receiver::start();
    let dir = site("    - { id: slack, type: slack, url_env: SLACK_URL }\n", &[]);
    let url = rx.url("/secret-path-T000/B000");
    ok(notify(dir.path(), "2026-03-14T09:00:00+02:00", &[], &[("SLACK_URL", &url)]));
    let before = fs::read(dir.path().join(".candor/delivered.json")).unwrap();
    write_incident(dir.path(), "card", HOSTILE);
    let out = ok(notify(dir.path(), "2026-03-14T09:32:00+02:00", &["--dry-run"], &[]));
    assert!(out.contains("--- slack (slack, $SLACK_URL): incident.published card/update/1773473460"), "{out}");
    assert!(out.contains("\"blocks\""), "{out}");
    assert!(out.contains("1 message would be sent"), "{out}");
    assert_eq!(fs::read(dir.path().join(".candor/delivered.json")).unwrap(), before);
    assert!(rx.got().is_empty());
    let missing = failed(notify(dir.path(), "2026-03-14T09:32:00+02:00", &[], &[]));
    assert!(missing.contains("the environment variable SLACK_URL is not set"), "{missing}");
    let out = ok(notify(dir.path(), "2026-03-14T09:32:00+02:00", &[], &[("SLACK_URL", &url)]));
    assert!(!out.contains("secret-path"), "a URL from the environment is never printed: {out}");
    assert_eq!(rx.got().len(), 1);
}

#[test]
fn notify_refuses_a_site_without_base_url() {
    let rx = Receiver::start();
    let dir = site(&format!("    - {{ id: s, type: slack, url: \"{}\" }}\n", rx.url("/s")), &[]);
    let text = fs::read_to_string(dir.path().join("site.yaml"))
        .unwrap()
        .replace("base_url: https://status.acme.example/\n", "");
    fs::write(dir.path().join("site.yaml"), text).unwrap();
    let out = failed(notify(dir.path(), "2026-03-14T09:00:00+02:00", &[], &[]));
    assert!(out.contains("set `base_url`"), "{out}");
    assert!(!dir.path().join(".candor/delivered.json").exists());
}

/// A site with one webhook channel at `url`, initialised before the incident exists.
fn hook_site(url: &str, extra: &str) -> tempfile::TempDir {
    let dir = site(&format!("    - {{ id: hooks, type: webhook, url: \"{url}\" }}\n{extra}"), &[]);
    ok(notify(dir.path(), "2026-03-14T09:00:00+02:00", &[], &[]));
    write_incident(dir.path(), "card", HOSTILE);
    dir
}

const AFTER: &str = "2026-03-14T09:32:00+02:00";

#[test]
fn a_500_then_a_200_is_delivered_once_recorded() {
    let rx = Receiver::start();
    let dir = hook_site(&rx.url("/h"), "");
    rx.plan([Reply::status(500)]);
    let out = ok(notify(dir.path(), AFTER, &[], &[]));
    assert!(out.contains("sent incident.published card/update/1773473460 to hooks (after 2 tries)"), "{out}");
    let got = rx.got();
    assert_eq!(got.len(), 3, "two tries of the incident, one of the component change");
    assert_eq!(got[0].header("Idempotency-Key"), got[1].header("Idempotency-Key"));
    assert_eq!(recorded(dir.path(), "hooks").len(), 2);
}

#[test]
fn a_429_is_retried_after_the_time_it_asks_for() {
    let rx = Receiver::start();
    let dir = hook_site(&rx.url("/h"), "");
    rx.plan([Reply { status: 429, headers: vec![("retry-after", "1")], delay: Duration::ZERO }]);
    ok(notify(dir.path(), AFTER, &[], &[]));
    let got = rx.got();
    assert!(got[1].at.duration_since(got[0].at) >= Duration::from_millis(950), "{:?}", got[1].at - got[0].at);
    assert_eq!(recorded(dir.path(), "hooks").len(), 2);
}

#[test]
fn a_timeout_fails_the_channel_records_nothing_and_the_next_run_delivers() {
    let rx = Receiver::start();
    let dir = hook_site(&rx.url("/h"), "");
    let text = fs::read_to_string(dir.path().join("site.yaml")).unwrap().replace("timeout: 2s", "timeout: 300ms");
    fs::write(dir.path().join("site.yaml"), text).unwrap();
    rx.slow(Duration::from_secs(2));
    let out = failed(notify(dir.path(), AFTER, &[], &[]));
    assert!(out.contains("failed: hooks: incident.published card/update/1773473460: no answer in time"), "{out}");
    assert!(out.contains("(after 3 tries)"), "{out}");
    assert_eq!(rx.got().len(), 3, "the component change waits behind the failed update, in order");
    assert!(recorded(dir.path(), "hooks").is_empty());
    rx.slow(Duration::ZERO);
    ok(notify(dir.path(), AFTER, &[], &[]));
    assert_eq!(recorded(dir.path(), "hooks").len(), 2);
}

#[test]
fn a_refused_connection_fails_one_channel_and_not_the_others() {
    let rx = Receiver::start();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let extra = format!("    - {{ id: slack, type: slack, url: \"{}\" }}\n", rx.url("/slack"));
    let dir = hook_site(&format!("http://{closed}/h"), &extra);
    let out = failed(notify(dir.path(), AFTER, &[], &[]));
    assert!(out.contains("failed: hooks:") && out.contains("refused"), "{out}");
    assert!(out.contains("sent incident.published card/update/1773473460 to slack"), "{out}");
    assert!(recorded(dir.path(), "hooks").is_empty());
    assert_eq!(recorded(dir.path(), "slack"), ["card/update/1773473460"]);
}

#[test]
fn a_tls_failure_is_reported_without_the_url_and_records_nothing() {
    let rx = Receiver::start();
    let dir = site("    - { id: hooks, type: webhook, url_env: HOOK_URL }\n", &[]);
    let url = format!("https://{}/secret-token-path", rx.addr);
    ok(notify(dir.path(), "2026-03-14T09:00:00+02:00", &[], &[("HOOK_URL", &url)]));
    write_incident(dir.path(), "card", HOSTILE);
    let out = failed(notify(dir.path(), AFTER, &[], &[("HOOK_URL", &url)]));
    assert!(out.contains("TLS failed"), "{out}");
    assert!(!out.contains("secret-token-path"), "{out}");
    assert!(recorded(dir.path(), "hooks").is_empty());
}

#[test]
fn two_runs_at_once_do_not_both_send() {
    let rx = Receiver::start();
    let dir = hook_site(&rx.url("/h"), "");
    rx.slow(Duration::from_millis(700));
    let quiet = || {
        let mut command = notify_command(dir.path(), AFTER, &[], &[]);
        command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        command.spawn().unwrap()
    };
    let (mut a, mut b) = (quiet(), quiet());
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let mut keys: Vec<String> = rx.got().iter().map(|g| g.header("Idempotency-Key").to_owned()).collect();
    keys.sort();
    assert_eq!(keys, ["card/component/payments/1773473460", "card/update/1773473460"], "each event once");
}

#[test]
fn a_killed_run_resends_only_the_delivery_in_flight_under_the_same_key() {
    let rx = Receiver::start();
    let dir = hook_site(&rx.url("/h"), "");
    rx.plan([Reply::status(200), Reply { status: 200, headers: Vec::new(), delay: Duration::from_secs(30) }]);
    let mut child = notify_command(dir.path(), AFTER, &[], &[]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while rx.got().len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(20), "the second delivery never arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(recorded(dir.path(), "hooks"), ["card/update/1773473460"], "the finished delivery is on record");
    rx.plan([Reply::status(200)]);
    ok(notify(dir.path(), AFTER, &[], &[]));
    let keys: Vec<String> = rx.got().iter().map(|g| g.header("Idempotency-Key").to_owned()).collect();
    assert_eq!(
        keys,
        ["card/update/1773473460", "card/component/payments/1773473460", "card/component/payments/1773473460"],
        "only the one in flight when the run was killed is sent again, with the same key"
    );
    assert_eq!(recorded(dir.path(), "hooks").len(), 2);
    ok(notify(dir.path(), AFTER, &[], &[]));
    assert_eq!(rx.got().len(), 3);
}

#[test]
fn a_drafted_incident_is_delivered_event_by_event_once() {
    let rx = Receiver::start();
    let dir =
        hook_site(&rx.url("/h"), &format!("    - {{ id: chat, type: mattermost, url: \"{}\" }}\n", rx.url("/chat")));
    fs::remove_file(dir.path().join("incidents/card.yaml")).unwrap();
    let root = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let out = common::candor(&[args, &["--root", root]].concat());
        assert!(out.status.success(), "{}", common::stderr(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let path = run(&[
        "new",
        "Card payments failing",
        "We are investigating failed card payments.",
        "--components",
        "payments",
        "--impact",
        "major",
        "--now",
        "2026-03-14 09:30",
    ]);
    let id = Path::new(&path).file_stem().unwrap().to_str().unwrap().to_owned();
    let steps = [
        ("2026-03-14 09:50", "identified", "We found the cause."),
        ("2026-03-14 10:15", "monitoring", "A fix is in place."),
        ("2026-03-14 10:45", "resolved", "Everything works again."),
    ];
    ok(notify(dir.path(), "2026-03-14T09:31:00+02:00", &[], &[]));
    for (at, status, body) in steps {
        run(&["update", &id, "--status", status, "--at", at, body]);
        ok(notify(dir.path(), &format!("{at}:30"), &[], &[]));
    }
    let file = dir.path().join(&path);
    let edited = fs::read_to_string(&file).unwrap().replace("A fix is in place.", "A fix is in place since 10:10.");
    fs::write(&file, edited).unwrap();
    ok(notify(dir.path(), "2026-03-14T10:50:00+02:00", &[], &[]));
    let count = rx.got().len();
    ok(notify(dir.path(), "2026-03-14T10:51:00+02:00", &[], &[]));
    assert_eq!(rx.got().len(), count, "a correction is sent once");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("postmortem:\n  published_at: 2026-03-15T09:00:00+02:00\n  summary: A database failover stalled.\n  root_cause: A stale lock.\n");
    fs::write(&file, text).unwrap();
    ok(notify(dir.path(), "2026-03-15T09:01:00+02:00", &[], &[]));
    let again = ok(notify(dir.path(), "2026-03-15T09:02:00+02:00", &[], &[]));
    assert!(again.contains("notify: 0 sent"), "{again}");
    let chat: Vec<String> = rx.at("/chat").iter().map(|g| g.json()["text"].as_str().unwrap().to_owned()).collect();
    let heads: Vec<&str> = chat.iter().map(|t| t.lines().next().unwrap()).collect();
    assert_eq!(
        heads,
        [
            "#### Investigating: Card payments failing",
            "#### Identified: Card payments failing",
            "#### Monitoring: Card payments failing",
            "#### Resolved: Card payments failing",
            "#### Monitoring: Card payments failing",
            "#### Post-mortem published: Card payments failing",
        ]
    );
    assert!(chat[4].lines().nth(1).unwrap().starts_with("Correction"), "{}", chat[4]);
    assert!(chat[4].contains("since 10:10"), "{}", chat[4]);
    let hook_events: Vec<String> = rx.at("/h").iter().map(|g| g.header("X-Candor-Event").to_owned()).collect();
    assert_eq!(
        hook_events,
        [
            "incident.published",
            "component.updated",
            "incident.updated",
            "incident.updated",
            "incident.updated",
            "component.updated",
            "incident.corrected",
            "postmortem.published"
        ]
    );
    let mut keys: Vec<String> = rx.at("/h").iter().map(|g| g.header("Idempotency-Key").to_owned()).collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all, "each event once: {keys:?}");
}

#[test]
fn the_team_is_reminded_once_per_promise_and_next_change_names_the_moment() {
    let rx = Receiver::start();
    let dir = hook_site(
        &rx.url("/h"),
        &format!("    - {{ id: team, type: slack, url: \"{}\", remind: true }}\n", rx.url("/team")),
    );
    ok(notify(dir.path(), AFTER, &[], &[]));
    let next = common::candor(&["next-change", "--root", dir.path().to_str().unwrap(), "--now", AFTER]);
    assert_eq!(String::from_utf8_lossy(&next.stdout).trim(), "2026-03-14T09:50:00+02:00", "promise due in 10 minutes");
    let before = rx.at("/team").len();
    ok(notify(dir.path(), "2026-03-14T09:52:00+02:00", &["--remind"], &[]));
    ok(notify(dir.path(), "2026-03-14T09:55:00+02:00", &["--remind"], &[]));
    ok(notify(dir.path(), "2026-03-14T10:05:00+02:00", &["--remind"], &[]));
    ok(notify(dir.path(), "2026-03-14T10:06:00+02:00", &["--remind"], &[]));
    let reminders: Vec<String> = rx.at("/team")[before..]
        .iter()
        .map(|g| g.json()["blocks"][2]["text"]["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reminders.len(), 2, "{reminders:?}");
    assert!(reminders[0].starts_with("the next update is due by 14 Mar 2026, 10:00"), "{reminders:?}");
    assert!(reminders[1].contains("it is 5 min overdue"), "{reminders:?}");
    assert!(rx.at("/h").iter().all(|g| g.header("X-Candor-Event") != "team.reminder"), "only the team's channel");
}

/// A real SMTP server: Python's aiosmtpd on 127.0.0.1, writing each message it accepts into a folder.
struct Smtp {
    port: u16,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SMTP_SERVER: &str = r#"
import json, os, sys, time
from aiosmtpd.controller import Controller
out, port = sys.argv[1], int(sys.argv[2])
class Keep:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out) if f.endswith(".json")])
        with open(os.path.join(out, f"{n:03}.eml"), "wb") as f:
            f.write(envelope.original_content)
        with open(os.path.join(out, f"{n:03}.json"), "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        return "250 Message accepted"
controller = Controller(Keep(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

/// Starts the SMTP server, or says why it cannot: `None` outside CI when aiosmtpd is missing.
fn smtp() -> Option<Smtp> {
    let available = Command::new("python3").args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
    if !available {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "aiosmtpd is missing: `.ci/run` installs it with pip");
        eprintln!("skipped: Python's aiosmtpd is not installed (`pip install aiosmtpd`); CI installs it");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new("python3")
        .args(["-c", SMTP_SERVER, dir.path().to_str().unwrap(), &port.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    assert_eq!(line.trim(), "ready", "the SMTP server started");
    Some(Smtp { port, dir, child })
}

impl Smtp {
    /// Every message received, raw, with its envelope recipients.
    fn messages(&self) -> Vec<(Vec<u8>, Value)> {
        let mut names: Vec<_> = fs::read_dir(self.dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        names
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .map(|p| {
                let envelope = fs::read_to_string(p.with_extension("json")).unwrap();
                (fs::read(p).unwrap(), serde_json::from_str(&envelope).unwrap())
            })
            .collect()
    }
}

fn mail_site(port: u16, tls: &str) -> tempfile::TempDir {
    let channel = format!(
        "    - id: list
      type: email
      smtp: {{ host: 127.0.0.1, port: {port}, tls: {tls} }}
      from: Acme Status <status@acme.example>
      to: [status-updates@lists.acme.example]
      unsubscribe: mailto:status-updates-leave@lists.acme.example
"
    );
    let dir = site(&channel, &[]);
    ok(notify(dir.path(), "2026-03-14T09:00:00+02:00", &[], &[]));
    write_incident(dir.path(), "card", HOSTILE);
    dir
}

#[test]
fn email_is_multipart_threaded_and_safe_from_header_injection() {
    let Some(server) = smtp() else { return };
    let dir = mail_site(server.port, "none");
    ok(notify(dir.path(), AFTER, &[], &[]));
    let update = HOSTILE.to_owned()
        + "  - at: 2026-03-14T09:50:00+02:00\n    status: identified\n    body: We found the cause.\n";
    write_incident(dir.path(), "card", &update);
    ok(notify(dir.path(), "2026-03-14T09:51:00+02:00", &[], &[]));
    ok(notify(dir.path(), "2026-03-14T09:52:00+02:00", &[], &[]));
    let messages = server.messages();
    assert_eq!(messages.len(), 2, "one message per event, none twice");
    let parser = mail_parser::MessageParser::default();
    let first = parser.parse(&messages[0].0).unwrap();
    let second = parser.parse(&messages[1].0).unwrap();
    assert_eq!(messages[0].1["to"], serde_json::json!(["status-updates@lists.acme.example"]), "only the list");
    assert_eq!(
        first.subject(),
        Some("[Acme Status] Investigating: Card <!channel> payments @everyone Bcc: victim@evil.example")
    );
    assert!(first.bcc().is_none() && first.header_raw("Bcc").is_none(), "a newline in the title adds no header");
    assert!(first.header_raw("Content-Type").unwrap().contains("multipart/alternative"));
    assert_eq!((first.text_body_count(), first.html_body_count()), (1, 1));
    let text = first.body_text(0).unwrap();
    assert!(text.contains("We are looking into it.") && text.contains("Next update by 14 Mar 2026, 10:00"), "{text}");
    assert!(text.contains("https://status.acme.example/incidents/card/index.html"), "{text}");
    let html = first.body_html(0).unwrap();
    let page = scraper::Html::parse_document(&html);
    let strong = scraper::Selector::parse("strong").unwrap();
    assert!(page.select(&strong).any(|s| s.text().collect::<String>() == "looking"), "{html}");
    assert!(!html.contains("javascript:") && !html.contains("<!channel>"), "{html}");
    let links = scraper::Selector::parse("a[href]").unwrap();
    let hrefs: Vec<&str> = page.select(&links).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.contains(&"https://status.acme.example/incidents/card/index.html"), "{hrefs:?}");
    assert_eq!(
        first.header_raw("List-Unsubscribe").map(str::trim),
        Some("<mailto:status-updates-leave@lists.acme.example>")
    );
    assert_eq!(first.header_raw("Auto-Submitted").map(str::trim), Some("auto-generated"));
    let root = first.message_id().unwrap();
    assert_eq!(root, "card.update.1773473460.list@status.acme.example");
    assert!(first.header_raw("In-Reply-To").is_none(), "the first message starts the thread");
    assert_ne!(second.message_id(), Some(root));
    assert_eq!(second.in_reply_to().as_text(), Some(root));
    assert_eq!(second.references().as_text(), Some(root));
    assert!(second.subject().unwrap().starts_with("[Acme Status] Identified: "));
}

#[test]
fn email_refuses_a_server_without_the_tls_it_asked_for() {
    let Some(server) = smtp() else { return };
    for tls in ["starttls", "tls"] {
        let dir = mail_site(server.port, tls);
        let out = failed(notify(dir.path(), AFTER, &[], &[]));
        assert!(out.contains("failed: list: incident.published card/update/1773473460:"), "{tls}: {out}");
        let said = if tls == "tls" { "TLS failed" } else { "STARTTLS is not supported" };
        assert!(out.contains(said) && !out.contains("tries)"), "{tls}: refused at once: {out}");
        assert!(recorded(dir.path(), "list").is_empty(), "{tls}: nothing recorded");
    }
    assert!(server.messages().is_empty(), "nothing was sent unencrypted");
}

#[test]
fn maintenance_starts_and_completes_by_the_clock_without_a_commit() {
    let rx = Receiver::start();
    let dir = site(&format!("    - {{ id: chat, type: mattermost, url: \"{}\" }}\n", rx.url("/chat")), &[]);
    ok(notify(dir.path(), "2026-03-10T08:00:00+02:00", &[], &[]));
    let maintenance = "title: Database upgrade
kind: maintenance
components: [api]
started_at: 2026-03-10T09:00:00+02:00
scheduled: { start: 2026-03-10T22:00:00+02:00, end: 2026-03-11T01:00:00+02:00 }
updates:
  - at: 2026-03-10T09:00:00+02:00
    status: scheduled
    body: We will upgrade the database.
";
    write_incident(dir.path(), "db", maintenance);
    for now in [
        "2026-03-10T09:05:00+02:00",
        "2026-03-10T21:59:00+02:00",
        "2026-03-10T22:00:30+02:00",
        "2026-03-11T01:01:00+02:00",
    ] {
        ok(notify(dir.path(), now, &[], &[]));
    }
    let heads: Vec<String> =
        rx.at("/chat").iter().map(|g| g.json()["text"].as_str().unwrap().lines().next().unwrap().to_owned()).collect();
    assert_eq!(
        heads,
        ["#### Scheduled: Database upgrade", "#### In progress: Database upgrade", "#### Completed: Database upgrade",]
    );
    let next =
        common::candor(&["next-change", "--root", dir.path().to_str().unwrap(), "--now", "2026-03-10T09:05:00+02:00"]);
    assert_eq!(String::from_utf8_lossy(&next.stdout).trim(), "2026-03-10T22:00:00+02:00");
}

#[test]
fn an_unknown_channel_gets_a_suggestion() {
    let rx = Receiver::start();
    let dir = site(&format!("    - {{ id: team-chat, type: slack, url: \"{}\" }}\n", rx.url("/s")), &[]);
    let out = failed(notify(dir.path(), "2026-03-14T09:00:00+02:00", &["--channel", "team-caht"], &[]));
    assert!(out.contains("no channel `team-caht`") && out.contains("did you mean `team-chat`?"), "{out}");
}
