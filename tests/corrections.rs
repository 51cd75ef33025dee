//! Corrections in the open, from repositories made by the tests: what an incident said
//! before an edit after publishing is on its page, in the feeds and in the API, and what
//! is not a correction (a draft, a fix within the grace period, a wording fix) is not
//! shown as one. The pages are read with scraper, the feeds with feed-rs, the API as JSON.

mod common;

use std::fs;

use common::{FIRST_UPDATE, GitSite, HISTORY_SITE, candor, git_available, path_str, snapshot, stderr};
use scraper::{Html, Selector};

const CARD: &str = "incidents/2026-03-14-card-payments.yaml";
const CARD_ID: &str = "2026-03-14-card-payments";

/// A built site, read back.
struct Built {
    out: tempfile::TempDir,
    stderr: String,
}

impl Built {
    fn of(site: &GitSite) -> Built {
        let out = tempfile::tempdir().unwrap();
        let built = site.build(&out.path().join("public"));
        Built { out, stderr: stderr(&built) }
    }

    fn file(&self, path: &str) -> String {
        fs::read_to_string(self.out.path().join("public").join(path)).unwrap()
    }

    fn page(&self, id: &str) -> Html {
        Html::parse_document(&self.file(&format!("incidents/{id}/index.html")))
    }

    fn json(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.file(&format!("incidents/{id}/incident.json"))).unwrap()
    }

    fn feed(&self) -> feed_rs::model::Feed {
        feed_rs::parser::parse(self.file("feed.xml").as_bytes()).expect("the Atom feed parses")
    }
}

/// The codes and levels of what `candor check` finds in `root`.
fn check_codes(root: &std::path::Path) -> Vec<(String, String)> {
    let out = candor(&["check", "--root", path_str(root), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check prints JSON");
    let findings = findings.as_array().unwrap().iter();
    findings.map(|f| (f["code"].as_str().unwrap().to_owned(), f["level"].as_str().unwrap().to_owned())).collect()
}

fn has(codes: &[(String, String)], code: &str) -> bool {
    codes.iter().any(|(c, _)| c == code)
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The one update of the card-payments incident, as the API gives it.
fn only_update(json: &serde_json::Value) -> &serde_json::Value {
    let updates = json["incident"]["incident_updates"].as_array().unwrap();
    assert_eq!(updates.len(), 1, "{updates:?}");
    &updates[0]
}

/// The site of [`FIRST_UPDATE`] published at 09:11, with its text edited at `when` in a
/// commit with `message`.
fn edited_at(when: &str, message: &str) -> GitSite {
    let site = GitSite::new(HISTORY_SITE);
    site.write(CARD, FIRST_UPDATE);
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(CARD, "Some card payments fail at checkout.", "Most card payments fail at checkout.");
    site.commit(when, message);
    site
}

#[test]
fn an_update_edited_after_publishing_says_so_everywhere() {
    if !git_available("an_update_edited_after_publishing_says_so_everywhere") {
        return;
    }
    let site = edited_at("2026-03-14T09:45:00+02:00", "Say how widespread it is");
    let built = Built::of(&site);
    let page = built.page(CARD_ID);
    let edited = texts(&page, ".timeline .edited");
    assert_eq!(edited, ["edited 14 Mar 2026, 09:45 EET"], "the edit's time is beside the update's");
    assert_eq!(texts(&page, ".timeline details.edits summary"), ["What it said before"]);
    assert_eq!(texts(&page, ".edits del"), ["removed: Some"], "the word taken out");
    assert_eq!(texts(&page, ".edits ins"), ["added: Most"], "the word put in");
    assert_eq!(texts(&page, ".edits .meta"), ["Until 14 Mar 2026, 09:45 EET:"]);
    let body = ["Most card payments fail at checkout. We are looking into it."];
    assert_eq!(texts(&page, ".timeline .body"), body, "the text is the current one");

    let feed = built.feed();
    let entry = &feed.entries[0];
    assert_eq!(entry.published.unwrap().to_rfc3339(), "2026-03-14T07:10:00+00:00");
    assert_eq!(entry.updated.unwrap().to_rfc3339(), "2026-03-14T07:45:00+00:00", "updated is the edit");
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(content.contains("Edited 14 Mar 2026, 09:45 EET after it was published"), "{content}");

    let json = built.json(CARD_ID);
    let update = only_update(&json);
    assert_eq!(update["body"], "Most card payments fail at checkout. We are looking into it.");
    assert_eq!(update["updated_at"], "2026-03-14T09:10:00.000+02:00", "Statuspage's fields are unchanged");
    assert_eq!(update["candor"]["edited_at"], "2026-03-14T09:45:00.000+02:00");
    let earlier = &update["candor"]["earlier"][0];
    assert_eq!(earlier["body"], "Some card payments fail at checkout. We are looking into it.");
    assert_eq!(earlier["replaced_at"], "2026-03-14T09:45:00.000+02:00");
    assert_eq!(earlier["wording_corrected"], false);
    assert_eq!(json["incident"]["candor"]["corrections"]["edited_at"], "2026-03-14T09:45:00.000+02:00");
}

#[test]
fn an_edit_within_the_grace_period_is_not_a_correction() {
    if !git_available("an_edit_within_the_grace_period_is_not_a_correction") {
        return;
    }
    // Published at 09:11 (after its 09:10), fixed at 09:14: within five minutes.
    let site = edited_at("2026-03-14T09:14:00+02:00", "Fix a word");
    let built = Built::of(&site);
    let page = built.page(CARD_ID);
    assert!(texts(&page, ".edited").is_empty(), "no edit is shown");
    assert!(texts(&page, "details.edits").is_empty());
    assert_eq!(texts(&page, ".timeline .body"), ["Most card payments fail at checkout. We are looking into it."]);
    let entry = &built.feed().entries[0];
    assert_eq!(entry.updated, entry.published, "the feed entry is as first published");
    let json = built.json(CARD_ID);
    assert!(only_update(&json).get("candor").is_none(), "{json}");
    assert!(json["incident"]["candor"].get("corrections").is_none());

    // The same edit later than the grace period, as `site.yaml` sets it, is a correction.
    let site = edited_at("2026-03-14T09:14:00+02:00", "Fix a word");
    site.write("site.yaml", &format!("{HISTORY_SITE}corrections:\n  grace: 1m\n"));
    site.commit("2026-03-14T09:20:00+02:00", "A shorter grace period");
    let page = Built::of(&site).page(CARD_ID);
    assert_eq!(texts(&page, ".timeline .edited"), ["edited 14 Mar 2026, 09:14 EET"]);
}

#[test]
fn a_draft_edited_before_its_time_is_not_a_correction() {
    if !git_available("a_draft_edited_before_its_time_is_not_a_correction") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    let later = FIRST_UPDATE.replace("09:10:00", "11:00:00").replace("10:00:00", "12:00:00");
    site.write(CARD, &later);
    // Committed at 09:11 for 11:00, and rewritten at 10:30: nobody saw the first text.
    site.commit("2026-03-14T09:11:00+02:00", "Draft the 11:00 update");
    site.edit(CARD, "Some card payments fail", "Card payments fail");
    site.commit("2026-03-14T10:30:00+02:00", "Rewrite the draft");
    let built = Built::of(&site);
    assert!(texts(&built.page(CARD_ID), ".edited").is_empty());
    assert!(only_update(&built.json(CARD_ID)).get("candor").is_none());
}

#[test]
fn a_typo_fix_with_the_trailer_is_listed_without_the_earlier_text() {
    if !git_available("a_typo_fix_with_the_trailer_is_listed_without_the_earlier_text") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    site.write(CARD, &FIRST_UPDATE.replace("looking into", "lokoing into"));
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(CARD, "lokoing into", "looking into");
    site.commit("2026-03-14T10:30:00+02:00", "Fix a typo\n\nCandor-Correction: typo");
    let built = Built::of(&site);
    let page = built.page(CARD_ID);
    assert_eq!(texts(&page, ".timeline .edited"), ["edited 14 Mar 2026, 10:30 EET"]);
    assert_eq!(texts(&page, ".edits .meta"), ["Wording corrected 14 Mar 2026, 10:30 EET."]);
    assert!(texts(&page, ".edits del").is_empty(), "the earlier text is not shown");
    assert!(!page.html().contains("lokoing"), "nor anywhere on the page");
    let json = built.json(CARD_ID);
    let earlier = &only_update(&json)["candor"]["earlier"][0];
    assert_eq!(earlier["wording_corrected"], true);
    assert!(earlier["body"].is_null(), "{earlier}");
    assert!(!built.file(&format!("incidents/{CARD_ID}/incident.json")).contains("lokoing"));
    let entry = &built.feed().entries[0];
    assert_eq!(entry.updated.unwrap().to_rfc3339(), "2026-03-14T08:30:00+00:00", "updated is the fix");
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(content.contains("Wording corrected 14 Mar 2026, 10:30 EET."), "{content}");
    assert!(!content.contains("what it said before") && !built.file("feed.xml").contains("lokoing"), "{content}");
    assert!(!has(&check_codes(site.root()), "wording-fix-refused"));
}

#[test]
fn a_typo_trailer_on_a_changed_number_is_refused() {
    if !git_available("a_typo_trailer_on_a_changed_number_is_refused") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    site.write(CARD, &FIRST_UPDATE.replace("at checkout.", "at checkout for 2% of customers."));
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(CARD, "for 2% of customers", "for 20% of customers");
    site.commit("2026-03-14T10:30:00+02:00", "Fix a typo\n\nCandor-Correction: typo");
    let built = Built::of(&site);
    let page = built.page(CARD_ID);
    assert_eq!(texts(&page, ".edits del"), ["removed: 2%"], "shown as a correction, with the earlier text");
    assert_eq!(texts(&page, ".edits ins"), ["added: 20%"]);
    assert!(built.stderr.contains("warning[wording-fix-refused]"), "{}", built.stderr);
    let content = built.feed().entries[0].content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(content.contains("Edited 14 Mar 2026, 10:30 EET after it was published"), "{content}");
    let json = built.json(CARD_ID);
    let earlier = &only_update(&json)["candor"]["earlier"][0];
    assert_eq!(earlier["wording_corrected"], false);
    let check = candor(&["check", "--root", path_str(site.root()), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let refused = findings.as_array().unwrap().iter().find(|f| f["code"] == "wording-fix-refused").expect("a warning");
    assert_eq!(refused["level"], "warning");
    assert_eq!(refused["file"], CARD);
    assert_eq!(refused["line"], 7, "at the update it changed: {refused}");
    assert!(refused["message"].as_str().unwrap().contains("a number in an update"), "{refused}");
}

#[test]
fn a_typo_trailer_on_a_rewritten_update_is_refused() {
    if !git_available("a_typo_trailer_on_a_rewritten_update_is_refused") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    site.write(CARD, FIRST_UPDATE);
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(CARD, "Some card payments fail at checkout.", "A supplier's outage stopped card payments.");
    site.commit("2026-03-14T10:30:00+02:00", "Fix a typo\n\nCandor-Correction: typo");
    let built = Built::of(&site);
    let page = built.page(CARD_ID);
    let removed = texts(&page, ".edits del");
    assert!(removed.concat().contains("Some"), "the earlier text is shown: {removed:?}");
    assert!(built.stderr.contains("warning[wording-fix-refused]"), "{}", built.stderr);
    assert!(built.stderr.contains("more of an update's wording than a typo fix would"), "{}", built.stderr);
}

#[test]
fn a_shallow_clone_has_no_history_and_says_so() {
    if !git_available("a_shallow_clone_has_no_history_and_says_so") {
        return;
    }
    let site = edited_at("2026-03-14T09:45:00+02:00", "Say how widespread it is");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", site.root().display());
    site.git(&["clone", "-q", "--depth", "1", &url, path_str(&clone.path().join("site"))]);
    let root = clone.path().join("site");
    let out = clone.path().join("public");
    let built = candor(&["build", "--root", path_str(&root), "--out", path_str(&out)]);
    assert!(built.status.success(), "{}", stderr(&built));
    let printed = stderr(&built);
    assert!(
        printed.contains("note: site.yaml: edits made after publishing cannot be shown: this is a shallow clone"),
        "{printed}"
    );
    assert!(printed.contains("fetch-depth: 0"), "the note says how to fix it: {printed}");
    let page = Html::parse_document(&fs::read_to_string(out.join(format!("incidents/{CARD_ID}/index.html"))).unwrap());
    assert!(texts(&page, ".edited").is_empty());
    let check = candor(&["check", "--root", path_str(&root)]);
    assert!(check.status.success(), "a note is not an error");
    assert!(check_codes(&root).contains(&("corrections".into(), "note".into())));
}

#[test]
fn not_a_git_checkout_is_a_note_and_corrections_can_be_turned_off() {
    let dir = common::site(&[("a.yaml", common::OUTAGE)]);
    fs::write(dir.path().join("site.yaml"), HISTORY_SITE).unwrap();
    let out = dir.path().join("public");
    let built = candor(&["build", "--root", path_str(dir.path()), "--out", path_str(&out)]);
    assert!(built.status.success());
    assert!(stderr(&built).contains("cannot be shown: the site is not in a git checkout"), "{}", stderr(&built));
    fs::write(dir.path().join("site.yaml"), format!("{HISTORY_SITE}corrections:\n  enabled: false\n")).unwrap();
    let built = candor(&["build", "--root", path_str(dir.path()), "--out", path_str(&out)]);
    assert!(!stderr(&built).contains("corrections"), "{}", stderr(&built));
}

#[test]
fn a_renamed_file_keeps_its_history() {
    if !git_available("a_renamed_file_keeps_its_history") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    site.write("incidents/card-payments.yaml", FIRST_UPDATE);
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    // Moved into a folder of its year, renamed and edited in one commit.
    let text = site.read("incidents/card-payments.yaml").replace("Some card payments", "Most card payments");
    site.git(&["rm", "-q", "incidents/card-payments.yaml"]);
    site.write(&format!("incidents/2026/{CARD_ID}.yaml"), &text);
    site.commit("2026-03-14T10:30:00+02:00", "File it under its year and say how widespread it is");
    let built = Built::of(&site);
    let page = built.page(CARD_ID);
    assert_eq!(texts(&page, ".timeline .edited"), ["edited 14 Mar 2026, 10:30 EET"], "{}", built.stderr);
    assert_eq!(texts(&page, ".edits del"), ["removed: Some"]);
    assert_eq!(built.feed().entries[0].updated.unwrap().to_rfc3339(), "2026-03-14T08:30:00+00:00");
}

#[test]
fn a_grown_breach_count_is_shown_as_grown_and_warned_about() {
    if !git_available("a_grown_breach_count_is_shown_as_grown_and_warned_about") {
        return;
    }
    let site = common::corrected_site();
    let built = Built::of(&site);
    let page = built.page("2026-03-14-emails-exposed");
    assert_eq!(texts(&page, ".breach .count"), ["15,000"]);
    assert_eq!(texts(&page, ".breach .moved-grown"), ["up from 12,000"]);
    assert_eq!(texts(&page, ".breach details.edits summary"), ["Edited 15 Mar 2026, 10:00 EET: what it said before"]);
    let json = built.json("2026-03-14-emails-exposed");
    let people = &json["incident"]["candor"]["corrections"]["people_affected"][0];
    assert_eq!(people["value"], 12000);
    assert_eq!(people["replaced_at"], "2026-03-15T10:00:00.000+02:00");
    let feed = built.feed();
    let entry = feed.entries.iter().find(|e| e.id.contains("emails-exposed")).expect("the breach's entry");
    assert_eq!(entry.updated.unwrap().to_rfc3339(), "2026-03-15T08:00:00+00:00", "the edited count updates it");
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(content.contains("The incident’s details were edited 15 Mar 2026, 10:00 EET"), "{content}");
    assert!(has(&check_codes(site.root()), "breach-count-changed"), "no update says so yet");
    assert!(built.stderr.contains("warning[breach-count-changed]"), "build warns too: {}", built.stderr);
    let text = site.read("incidents/2026-03-14-emails-exposed.yaml").replace(
        "breach:",
        "  - at: 2026-03-15T10:05:00+02:00\n    status: monitoring\n    body: We now know 15 000 people were affected; we have written to each of them.\nbreach:",
    );
    site.write("incidents/2026-03-14-emails-exposed.yaml", &text);
    site.commit("2026-03-15T10:06:00+02:00", "Breach: say so");
    assert!(!has(&check_codes(site.root()), "breach-count-changed"), "an update gives the new count");
}

#[test]
fn a_moved_promise_is_warned_about_unless_an_update_says_so() {
    if !git_available("a_moved_promise_is_warned_about_unless_an_update_says_so") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    site.write(CARD, FIRST_UPDATE);
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(CARD, "next_update_by: 2026-03-14T10:00:00+02:00", "next_update_by: 2026-03-14T11:00:00+02:00");
    site.commit("2026-03-14T10:05:00+02:00", "Give ourselves more time");
    let out = candor(&["check", "--root", path_str(site.root()), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let moved = findings.as_array().unwrap().iter().find(|f| f["code"] == "promise-changed").expect("warned");
    assert_eq!((moved["line"].as_u64(), moved["level"].as_str()), (Some(10), Some("warning")), "{moved}");
    let page = Built::of(&site).page(CARD_ID);
    assert_eq!(
        texts(&page, ".edits .change"),
        ["Next update by: 14 Mar 2026, 10:00 EET → 14 Mar 2026, 11:00 EET"],
        "the moved promise is shown"
    );
    let text = format!(
        "{}  - at: 2026-03-14T10:06:00+02:00\n    status: investigating\n    body: We need more time; our next update will come by 11:00.\n",
        site.read(CARD)
    );
    site.write(CARD, &text);
    site.commit("2026-03-14T10:07:00+02:00", "Say the promise moved");
    assert!(!has(&check_codes(site.root()), "promise-changed"));
}

#[test]
fn a_stale_cache_never_changes_the_output() {
    if !git_available("a_stale_cache_never_changes_the_output") {
        return;
    }
    let site = common::corrected_site();
    let cache = site.root().join(".candor/cache/history.json");
    let fresh = |site: &GitSite| {
        let saved = fs::read(&cache).ok();
        let _ = fs::remove_file(&cache);
        let out = tempfile::tempdir().unwrap();
        site.build(&out.path().join("public"));
        if let Some(saved) = saved {
            fs::write(&cache, saved).unwrap();
        }
        snapshot(&out.path().join("public"))
    };
    let cached = |site: &GitSite| {
        let out = tempfile::tempdir().unwrap();
        site.build(&out.path().join("public"));
        snapshot(&out.path().join("public"))
    };
    let first = cached(&site);
    assert!(cache.is_file(), "the build keeps what it read");
    assert_eq!(first, fresh(&site));
    // New commits: the cache is brought up to date from where it was.
    site.edit(CARD, "on every card type", "on every card type and wallet");
    site.commit("2026-03-15T11:00:00+02:00", "Card payments: wallets too");
    assert_eq!(cached(&site), fresh(&site), "after a commit");
    // History rewritten under the cache: the commit it describes is no longer on the branch.
    site.git(&["reset", "-q", "--hard", "HEAD~2"]);
    site.edit(CARD, "on every card type", "on some card types");
    site.commit("2026-03-15T12:00:00+02:00", "Card payments: a different story");
    assert_eq!(cached(&site), fresh(&site), "after history was rewritten");
    // A cache from another repository, and one that is not a cache at all.
    let other = common::corrected_site();
    other.build(&other.root().join("public"));
    fs::copy(other.root().join(".candor/cache/history.json"), &cache).unwrap();
    assert_eq!(cached(&site), fresh(&site), "with another repository's cache");
    fs::write(&cache, "{ not json").unwrap();
    assert_eq!(cached(&site), fresh(&site), "with a broken cache");
    assert!(!fs::read_to_string(&cache).unwrap().contains("not json"), "the broken cache was replaced");
}

#[test]
fn an_edit_not_yet_committed_shows_as_made_now() {
    if !git_available("an_edit_not_yet_committed_shows_as_made_now") {
        return;
    }
    let site = GitSite::new(HISTORY_SITE);
    site.write(CARD, FIRST_UPDATE);
    site.commit("2026-03-14T09:11:00+02:00", "Card payments: first update");
    site.edit(CARD, "Some card payments", "Most card payments");
    // The site's clock is frozen at 16 March, 12:00: the preview shows what readers will see.
    let page = Built::of(&site).page(CARD_ID);
    assert_eq!(texts(&page, ".timeline .edited"), ["edited 16 Mar 2026, 12:00 EET"]);
    assert_eq!(texts(&page, ".edits del"), ["removed: Some"]);
}

#[test]
fn check_reads_the_cache_but_never_writes_it() {
    if !git_available("check_reads_the_cache_but_never_writes_it") {
        return;
    }
    let site = common::corrected_site();
    let check = candor(&["check", "--root", path_str(site.root())]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(!site.root().join(".candor").exists(), "check writes nothing");
}
