//! One test per validation rule, each asserting the file, line and message.

use std::path::Path;

use serde_saphyr::Spanned;

use super::*;
use crate::input::from_yaml;
use crate::model::{ChannelType, Endpoint, Target};

const SITE: &str = "title: Acme Status
timezone: Europe/Helsinki
components:
  - { id: api, name: Public API, group: Platform }
  - { id: payments, name: Card payments, group: Platform }
  - { id: web, name: Website }
";

fn site() -> Site {
    let raw: Spanned<RawSite> = from_yaml(SITE, Path::new("site.yaml")).unwrap();
    super::site(&raw, Path::new("site.yaml"), SITE).unwrap()
}

fn site_errors(text: &str) -> Vec<Diagnostic> {
    let raw: Spanned<RawSite> = match from_yaml(text, Path::new("site.yaml")) {
        Ok(raw) => raw,
        Err(d) => return vec![d],
    };
    super::site(&raw, Path::new("site.yaml"), text).err().unwrap_or_default()
}

fn check(text: &str) -> Result<Incident, Vec<Diagnostic>> {
    let file = Path::new("incidents/x.yaml");
    let raw: Spanned<RawIncident> = from_yaml(text, file).map_err(|d| vec![d])?;
    incident(&raw, IncidentId::new("x"), file, text, &site())
}

/// The single error `text` produces: its line and message.
fn error(text: &str) -> (u32, String) {
    let errors = check(text).expect_err("the incident should be refused");
    assert_eq!(errors.len(), 1, "expected exactly one error, got {errors:#?}");
    let e = &errors[0];
    assert_eq!(e.file, Path::new("incidents/x.yaml"));
    (e.pos.line, e.message.clone())
}

const OK: &str = "title: Card payments failing
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: We are investigating.
    next_update_by: 2026-03-14T10:00:00+02:00
";

#[test]
fn a_valid_incident_passes() {
    let inc = check(OK).unwrap();
    assert_eq!(inc.title.as_str(), "Card payments failing");
    assert_eq!(inc.components[0].status, ComponentStatus::PartialOutage, "impact major implies partial outage");
}

#[test]
fn unknown_component_suggests_the_closest() {
    let errors = check(&OK.replace("[payments]", "[paymnts]")).unwrap_err();
    let e = &errors[0];
    assert_eq!((e.pos.line, e.pos.column), (4, 14));
    assert_eq!(e.message, "unknown component `paymnts`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `payments`?"));
    assert_eq!(e.to_string(), "error: unknown component `paymnts` (incidents/x.yaml:4:14); did you mean `payments`?");
}

#[test]
fn component_statuses_must_be_statuspage_words() {
    let (line, message) = error(&OK.replace("[payments]", "{ payments: down }"));
    assert_eq!((line, message.as_str()), (4, "`down` is not a valid component status"));
}

#[test]
fn kind_must_be_known() {
    let (line, message) = error(&OK.replace("kind: outage", "kind: outtage"));
    assert_eq!((line, message.as_str()), (2, "`outtage` is not a valid kind"));
}

#[test]
fn impact_must_be_known() {
    let (line, message) = error(&OK.replace("impact: major", "impact: huge"));
    assert_eq!((line, message.as_str()), (3, "`huge` is not a valid impact"));
}

#[test]
fn impact_is_required_on_incidents() {
    let (line, message) = error(&OK.replace("impact: major\n", ""));
    assert_eq!((line, message.as_str()), (1, "missing field `impact`"));
}

#[test]
fn update_status_must_fit_the_kind() {
    let (line, message) = error(&OK.replace("status: investigating", "status: in_progress"));
    assert_eq!((line, message.as_str()), (8, "`in_progress` is not a valid incident status"));
}

#[test]
fn times_must_parse() {
    let (line, message) = error(&OK.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-13-45 10:00"));
    assert_eq!(line, 5);
    assert!(message.starts_with("`2026-13-45 10:00` is not a valid time"), "{message}");
}

#[test]
fn naive_times_in_a_dst_gap_are_refused() {
    let text = OK
        .replace("2026-03-14T09:31:00+02:00", "2026-03-29 03:30")
        .replace("2026-03-14T10:00:00+02:00", "2026-03-29T05:00:00+03:00");
    let (line, message) = error(&text);
    assert_eq!(line, 7);
    assert!(message.contains("does not exist in the site's time zone"), "{message}");
}

#[test]
fn no_update_before_the_start() {
    let (line, message) =
        error(&OK.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-03-14T09:40:00+02:00"));
    assert_eq!((line, message.as_str()), (7, "this update is before `started_at`"));
}

#[test]
fn resolved_at_not_before_the_start() {
    let text = OK.replace("updates:", "resolved_at: 2026-03-14T08:00:00+02:00\nupdates:");
    let errors = check(&text).unwrap_err();
    assert!(
        errors.iter().any(|e| e.pos.line == 6 && e.message == "`resolved_at` is before `started_at`"),
        "{errors:#?}"
    );
}

#[test]
fn a_promise_must_be_after_its_update() {
    let (line, message) =
        error(&OK.replace("next_update_by: 2026-03-14T10:00:00+02:00", "next_update_by: 2026-03-14T09:00:00+02:00"));
    assert_eq!((line, message.as_str()), (10, "`next_update_by` is not after the update it belongs to"));
}

#[test]
fn no_open_update_after_resolved_at() {
    let text = OK.replace("updates:", "resolved_at: 2026-03-14T09:20:00+02:00\nupdates:");
    let (line, message) = error(&text);
    assert_eq!(
        (line, message.as_str()),
        (8, "an update with status `investigating` comes after `resolved_at`, which ended the incident")
    );
}

#[test]
fn a_final_update_after_resolved_at_is_fine() {
    let text = OK
        .replace("updates:", "resolved_at: 2026-03-14T09:20:00+02:00\nupdates:")
        .replace("status: investigating", "status: resolved");
    assert!(check(&text).is_ok());
}

#[test]
fn maintenance_needs_a_window_pointing_at_kind() {
    let text = "title: Upgrade\nkind: maintenance\nstarted_at: 2026-03-01T10:00:00+02:00\nupdates:\n  - { at: 2026-03-01T10:00:00+02:00, status: scheduled, body: Planned. }\n";
    let (line, message) = error(text);
    assert_eq!((line, message.as_str()), (2, "maintenance needs a `scheduled` window"));
}

#[test]
fn maintenance_must_end_after_it_starts() {
    let text = "title: Upgrade\nkind: maintenance\nstarted_at: 2026-03-01T10:00:00+02:00\nscheduled:\n  start: 2026-03-05T02:00:00+02:00\n  end: 2026-03-05T01:00:00+02:00\nupdates:\n  - { at: 2026-03-01T10:00:00+02:00, status: scheduled, body: Planned. }\n";
    let (line, message) = error(text);
    assert_eq!((line, message.as_str()), (6, "the maintenance window ends before it starts"));
}

#[test]
fn a_breach_block_exactly_for_data_breaches() {
    let (line, message) = error(&OK.replace("kind: outage", "kind: data_breach"));
    assert_eq!((line, message.as_str()), (2, "a data breach needs a `breach` block"));
    let text = OK.replace("updates:", "breach: { people_affected: 10 }\nupdates:");
    let (line, message) = error(&text);
    assert_eq!((line, message.as_str()), (6, "`breach` is only for `kind: data_breach`"));
}

#[test]
fn notices_have_no_status() {
    let text = "title: Retiring v1\nkind: notice\nstarted_at: 2026-03-01T10:00:00+02:00\nupdates:\n  - at: 2026-03-01T10:00:00+02:00\n    status: investigating\n    body: We are retiring v1.\n";
    let (line, message) = error(text);
    assert_eq!((line, message.as_str()), (6, "notice updates have no `status`"));
    let ok = text.replace("    status: investigating\n", "");
    assert!(check(&ok).is_ok());
}

#[test]
fn required_fields_point_at_their_mapping() {
    let (line, message) = error(&OK.replace("title: Card payments failing\n", ""));
    assert_eq!((line, message.as_str()), (1, "missing field `title`"));
    let (line, message) = error(&OK.replace("    body: We are investigating.\n", ""));
    assert_eq!((line, message.as_str()), (7, "missing field `body`"));
    let (line, message) = error(&OK.replace("    status: investigating\n", ""));
    assert_eq!((line, message.as_str()), (7, "missing field `status`"));
}

#[test]
fn unknown_fields_are_errors() {
    let errors = check(&OK.replace("impact: major", "impact: major\nimpcat: major")).unwrap_err();
    assert_eq!(errors[0].pos.line, 4);
    assert!(errors[0].message.contains("unknown field `impcat`"), "{}", errors[0].message);
}

#[test]
fn a_wrong_type_is_located() {
    let errors = check(&OK.replace("title: Card payments failing", "title: [Card, payments]")).unwrap_err();
    assert_eq!(errors[0].pos.line, 1, "{errors:#?}");
}

#[test]
fn every_error_in_a_file_is_reported_at_once() {
    let text = OK
        .replace("kind: outage", "kind: outtage")
        .replace("[payments]", "[paymnts]")
        .replace("2026-03-14T09:31:00+02:00", "soon");
    let errors = check(&text).unwrap_err();
    let lines: Vec<u32> = errors.iter().map(|e| e.pos.line).collect();
    assert!(lines.contains(&2) && lines.contains(&4) && lines.contains(&7), "{errors:#?}");
}

#[test]
fn action_items_need_text_and_a_known_status() {
    let text = format!(
        "{OK}postmortem:\n  action_items:\n    - {{ text: Add a breaker, status: doing }}\n    - {{ status: done }}\n"
    );
    let errors = check(&text).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!((errors[0].pos.line, errors[0].message.as_str()), (13, "`doing` is not a valid action item status"));
    assert_eq!((errors[1].pos.line, errors[1].message.as_str()), (14, "missing field `text`"));
}

#[test]
fn dates_must_be_dates() {
    let text = format!(
        "{OK}postmortem:\n  action_items:\n    - {{ text: Add a breaker, status: planned, due: 2026-02-30 }}\n"
    );
    let (line, message) = error(&text);
    assert_eq!((line, message.as_str()), (13, "`2026-02-30` is not a valid date"));
}

#[test]
fn site_requires_title_timezone_and_components() {
    let errors = site_errors("language: en\n");
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["missing field `title`", "missing field `timezone`", "missing field `components`"]);
}

#[test]
fn site_timezone_must_exist() {
    let errors = site_errors(&SITE.replace("Europe/Helsinki", "Europe/Helsinky"));
    assert_eq!(errors[0].pos.line, 2);
    assert_eq!(errors[0].message, "unknown time zone `Europe/Helsinky`");
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `Europe/Helsinki`?"));
}

#[test]
fn site_urls_must_be_http_or_mailto() {
    let errors = site_errors(&format!("{SITE}links: [ {{ name: Evil, url: \"javascript:alert(1)\" }} ]\n"));
    assert_eq!(errors[0].pos.line, 7);
    assert_eq!(errors[0].message, "`javascript:alert(1)` is not a valid URL here");
    let errors = site_errors(&format!("{SITE}base_url: ftp://status.example/\n"));
    assert_eq!(errors[0].message, "`ftp://status.example/` is not a valid URL here");
}

#[test]
fn site_language_must_be_shipped() {
    let errors = site_errors(&format!("{SITE}language: xx\n"));
    assert_eq!((errors[0].pos.line, errors[0].message.as_str()), (7, "`xx` is not a valid language"));
}

#[test]
fn component_ids_are_slugs_and_unique() {
    let errors = site_errors(&SITE.replace("id: web", "id: Web Site").replace("id: payments", "id: api"));
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["component `api` is declared twice", "`Web Site` is not a valid component id"]);
}

const NOTIFY: &str = "title: Acme Status
timezone: Europe/Helsinki
languages: [en, fi]
components:
  - { id: api, name: Public API }
  - { id: payments, name: Card payments }
notify:
  max_age: 12h
  channels:
    - { id: team, type: slack, url_env: SLACK_URL, remind: true }
    - { id: hooks, type: webhook, url: \"http://127.0.0.1:9000/hook\", secret_env: HOOK_SECRET, kinds: [outage, maintenance] }
    - id: fi-mail
      type: email
      language: fi
      smtp: { host: smtp.acme.example, user_env: SMTP_USER, password_env: SMTP_PASSWORD }
      from: Acme Status <status@acme.example>
      to: tila@lists.acme.example
      unsubscribe: mailto:tila-leave@lists.acme.example
      components: [payments]
      min_impact: major
    - { id: toot, type: mastodon, url_env: MASTODON_URL, token_env: MASTODON_TOKEN }
";

#[test]
fn notify_channels_become_typed_settings() {
    let raw: Spanned<RawSite> = from_yaml(NOTIFY, Path::new("site.yaml")).unwrap();
    let site = super::site(&raw, Path::new("site.yaml"), NOTIFY).unwrap();
    let n = &site.notify;
    assert_eq!(n.max_age, SignedDuration::from_hours(12));
    assert_eq!(n.channels.len(), 4);
    assert!(n.channels[0].remind);
    assert_eq!(n.channels[0].target, Target::Chat { chat: ChannelType::Slack, url: Endpoint::Env("SLACK_URL".into()) });
    assert_eq!(n.channels[1].filter.kinds, [Kind::Outage, Kind::Maintenance]);
    let Target::Email(email) = &n.channels[2].target else { panic!("an email channel") };
    assert_eq!((email.smtp.port, email.smtp.tls), (587, crate::model::SmtpTls::StartTls));
    assert_eq!(email.to, ["tila@lists.acme.example"]);
    assert_eq!(n.channels[2].language, Language::Fi);
    assert_eq!(n.channels[2].filter.min_impact, Some(Impact::Major));
}

/// The errors `notify:` text (after the site's components) gives: line and message, and hint.
fn notify_errors(channels: &str) -> Vec<(u32, String, String)> {
    let text = format!("{SITE}notify:\n  channels:\n{channels}");
    site_errors(&text).into_iter().map(|d| (d.pos.line - 6, d.message, d.hint.unwrap_or_default())).collect()
}

#[test]
fn notify_mistakes_are_located_with_suggestions() {
    let errors = notify_errors("    - { id: a, type: slak, url_env: X }\n");
    assert_eq!(errors[0].0, 3);
    assert!(
        errors[0].1.contains("`slak` is not a valid channel type") && errors[0].2.contains("`slack`"),
        "{errors:?}"
    );
    let errors = notify_errors("    - { id: a, type: slack, url_env: X, components: [paymnts], kinds: [outgae] }\n");
    assert!(errors.iter().any(|e| e.1 == "unknown component `paymnts`" && e.2.contains("`payments`")), "{errors:?}");
    assert!(errors.iter().any(|e| e.1.contains("`outgae`") && e.2.contains("`outage`")), "{errors:?}");
    let errors = notify_errors("    - { id: a, type: slack, url: \"https://hooks.slack.example/services/x\" }\n");
    assert!(errors[0].1.contains("only allowed for a receiver on this machine"), "{errors:?}");
    let errors = notify_errors("    - { id: a, type: discord, url_env: X, secret_env: S }\n");
    assert_eq!(errors[0].1, "`secret_env` does not apply to discord channels", "{errors:?}");
    let errors = notify_errors(
        "    - { id: a, type: slack, url_env: X }\n    - { id: a, type: teams, url_env: \"not a name\" }\n",
    );
    assert!(errors.iter().any(|e| e.0 == 4 && e.1 == "channel `a` is declared twice"), "{errors:?}");
    assert!(errors.iter().any(|e| e.1.contains("not the name of an environment variable")), "{errors:?}");
    let errors = notify_errors(
        "    - { id: m, type: email, smtp: { host: mail.example, tls: none, user_env: U, password_env: P } }\n",
    );
    assert!(errors.iter().any(|e| e.1 == "missing field `from`"), "{errors:?}");
    assert!(errors.iter().any(|e| e.1.contains("password would travel unencrypted")), "{errors:?}");
    let errors = notify_errors(
        "    - { id: m, type: email, smtp: { host: x.example }, from: \"a\\nBcc: b@c.example\", to: [x] }\n",
    );
    assert!(errors.iter().filter(|e| e.1.contains("is not an email address")).count() == 2, "{errors:?}");
}

#[test]
fn aliases_are_normalised_to_a_folder_or_a_page() {
    let inc =
        check(&format!("{OK}aliases: [incidents/abc123, issues/some-slug/, old/Page.HTML, 'päivitys~1']\n")).unwrap();
    let paths: Vec<&str> = inc.aliases.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["incidents/abc123/", "issues/some-slug/", "old/Page.HTML", "päivitys~1/"]);
    let files: Vec<String> = inc.aliases.iter().map(Alias::file).collect();
    assert_eq!(files[0], "incidents/abc123/index.html");
    assert_eq!(files[2], "old/Page.HTML");
    assert_eq!(inc.aliases[0].pos, Pos::new(11, 11));
}

#[test]
fn aliases_must_be_relative_paths_inside_the_site() {
    for (alias, message) in [
        ("/incidents/x", "`/incidents/x` starts with `/`"),
        (
            "https://status.example.com/incidents/x",
            "`https://status.example.com/incidents/x` is an address, not a path on this site",
        ),
        ("a/../b", "`a/../b` contains `..`"),
        ("./a", "`./a` contains `.`"),
        ("a//b", "`a//b` has an empty segment (`//`)"),
        ("a/.git/x", "`a/.git/x` has a hidden segment, `.git`"),
        ("a b", "`a b` contains ' '"),
        ("a?b=1", "`a?b=1` contains `?`"),
        ("a%20b", "`a%20b` contains `%`"),
        ("a\\b", "`a\\b` contains `\\`"),
        ("''", "an alias is empty"),
    ] {
        let (line, got) = error(&format!("{OK}aliases: [{alias}]\n"));
        assert_eq!((line, got.as_str()), (11, message), "{alias}");
    }
}

#[test]
fn aliases_may_not_take_candor_s_own_paths_or_repeat() {
    for (alias, message) in [
        ("api/v2/incidents.json", "the alias `api/v2/incidents.json` is taken: candor writes `api/` there"),
        ("feed.xml", "the alias `feed.xml` is taken: candor writes `feed.xml` there"),
        ("index.html", "the alias `index.html` is taken: candor writes `index.html` there"),
        ("Components/api", "the alias `Components/api` is taken: candor writes `components/` there"),
        ("fi/incidents/x", "the alias `fi/incidents/x` is taken: `fi/` holds the pages in fi"),
    ] {
        let (_, got) = error(&format!("{OK}aliases: [{alias}]\n"));
        assert_eq!(got, message, "{alias}");
    }
    let (_, got) = error(&format!("{OK}aliases: [old/x, old/x/]\n"));
    assert_eq!(got, "the alias `old/x/` is listed twice");
}

#[test]
fn aliases_across_the_site_must_not_collide() {
    let incident = |id: &str, aliases: &str| {
        let file = std::path::PathBuf::from(format!("incidents/{id}.yaml"));
        let text = format!("{OK}aliases: [{aliases}]\n");
        let raw: Spanned<RawIncident> = from_yaml(&text, &file).unwrap();
        incident(&raw, IncidentId::new(id), &file, &text, &site()).unwrap()
    };
    let all = [
        incident("a", "incidents/abc, old/page.html"),
        incident("b", "Incidents/ABC/, old/page.html/more, incidents/a/feed"),
        incident("c", "style.css/x, fine/one"),
    ];
    let found = alias_collisions(&all, &["style.css"]);
    let got: Vec<(String, &str)> = found.iter().map(|d| (d.file.display().to_string(), d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            (
                "incidents/b.yaml".to_owned(),
                "the alias `incidents/a/feed/` collides with the pages of the incident `a`"
            ),
            (
                "incidents/b.yaml".to_owned(),
                "the alias `Incidents/ABC/` collides with the alias `incidents/abc/` of incidents/a.yaml"
            ),
            (
                "incidents/b.yaml".to_owned(),
                "the alias `old/page.html/more/` collides with the alias `old/page.html` of incidents/a.yaml, which is a file where this alias needs a folder"
            ),
            (
                "incidents/c.yaml".to_owned(),
                "the alias `style.css/x/` collides with the theme's static file `style.css`, which is a file where this alias needs a folder"
            ),
        ]
    );
    assert!(found.iter().all(|d| d.pos.line == 11), "each is located at its alias: {found:#?}");
}

/// The site with two audiences.
const AUDIENCES: &str = "audiences:
  - { id: shops, name: Online shops, components: [payments, api] }
  - id: in-store
    name: { en: In-store merchants }
    description: Terminals and the app.
    components: [payments]
";

fn site_with_audiences() -> Site {
    let text = format!("{SITE}{AUDIENCES}");
    let raw: Spanned<RawSite> = from_yaml(&text, Path::new("site.yaml")).unwrap();
    super::site(&raw, Path::new("site.yaml"), &text).unwrap()
}

fn check_with_audiences(text: &str) -> Result<Incident, Vec<Diagnostic>> {
    let file = Path::new("incidents/x.yaml");
    let raw: Spanned<RawIncident> = from_yaml(text, file).map_err(|d| vec![d])?;
    incident(&raw, IncidentId::new("x"), file, text, &site_with_audiences())
}

#[test]
fn audiences_are_read_with_their_components() {
    let site = site_with_audiences();
    assert_eq!(site.audiences.len(), 2);
    assert_eq!(site.audiences[1].name.as_str(), "In-store merchants");
    assert_eq!(site.audiences[1].description.as_ref().map(Text::as_str), Some("Terminals and the app."));
    assert_eq!(site.audiences[0].components, [ComponentId::new("payments"), ComponentId::new("api")]);
}

#[test]
fn audience_mistakes_are_located_with_suggestions() {
    let errors = site_errors(&format!("{SITE}{}", AUDIENCES.replace("[payments, api]", "[paymnts, api]")));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!((errors[0].pos.line, errors[0].pos.column), (8, 51));
    assert_eq!(errors[0].message, "unknown component `paymnts`");
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `payments`?"));
    let twice = site_errors(&format!("{SITE}{}", AUDIENCES.replace("id: in-store", "id: shops")));
    assert_eq!(twice[0].message, "audience `shops` is declared twice", "{twice:#?}");
    assert_eq!(twice[0].pos.line, 9);
    let clash = site_errors(&format!("{SITE}{}", AUDIENCES.replace("id: shops", "id: api")));
    assert_eq!(clash[0].message, "the audience `api` has the id of a component", "{clash:#?}");
    let bad = site_errors(&format!("{SITE}{}", AUDIENCES.replace("id: shops", "id: Shops")));
    assert_eq!(bad[0].message, "`Shops` is not a valid audience id");
    let empty = site_errors(&format!("{SITE}{}", AUDIENCES.replace("[payments, api]", "[]")));
    assert_eq!(empty[0].message, "`components` is empty");
    let missing = site_errors(&format!("{SITE}audiences:\n  - {{ id: x, name: X }}\n"));
    assert_eq!(missing[0].message, "missing field `components`");
}

#[test]
fn advice_names_audiences_or_components_and_is_checked_like_any_markdown() {
    let text = OK.replace("updates:", "advice:\n  - { for: [shops, payments], body: Retry later. }\nupdates:")
        + "    advice:\n      - { for: [in-store], body: \"Use **cash**.\" }\n";
    let inc = check_with_audiences(&text).unwrap();
    use crate::model::Reader;
    assert_eq!(
        inc.advice[0].readers,
        [Reader::Audience(AudienceId::new("shops")), Reader::Component(ComponentId::new("payments"))]
    );
    assert_eq!(inc.updates[0].advice[0].body.source(), "Use **cash**.");
    let typo = check_with_audiences(&text.replace("[in-store]", "[in-stor]")).unwrap_err();
    assert_eq!(typo.len(), 1, "{typo:#?}");
    assert_eq!((typo[0].code, typo[0].pos.line, typo[0].pos.column), ("unknown-audience", 14, 17));
    assert_eq!(typo[0].message, "no audience or component `in-stor`");
    assert_eq!(typo[0].hint.as_deref(), Some("did you mean `in-store`?"));
    let remote =
        check_with_audiences(&text.replace("Retry later.", "\"![x](https://evil.example/x.png)\"")).unwrap_err();
    assert_eq!(remote[0].code, "unsafe-markdown", "{remote:#?}");
    let empty = check_with_audiences(&text.replace("for: [shops, payments]", "for: []")).unwrap_err();
    assert_eq!(empty[0].message, "`for` is empty");
    let no_body = check_with_audiences(&text.replace(", body: Retry later.", "")).unwrap_err();
    assert_eq!(no_body[0].message, "missing field `body`");
    let placeholder = check_with_audiences(&text.replace("Retry later.", "\"[[ say what to do ]]\"")).unwrap_err();
    assert_eq!(placeholder[0].code, PLACEHOLDER);
}
