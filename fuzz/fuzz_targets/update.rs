//! Any text as what `candor update` adds, and as a title `candor new` writes:
//! the edited file must read back with exactly that text as the new update's
//! body (line breaks written as `\n`) and nothing else changed, and a scalar
//! must read back as the same string.

#![no_main]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use candor::author::{NewUpdate, append_update};
use candor::input::{RawIncident, RawSite, from_yaml};
use candor::model::{Site, UpdateStatus};
use candor::{validate, yaml};
use libfuzzer_sys::fuzz_target;
use serde_saphyr::Spanned;

const SITE: &str = "title: Fuzz Status
timezone: Europe/Helsinki
components:
  - { id: payments, name: Card payments }
";

/// An incident file with the shapes authors write: comments, a quoted title, a block body that
/// ends in a Markdown heading, and a section after the timeline.
const FILE: &str = "# The outage of 14 March.
title: \"Card payments\n  updates:\n  failing\"   # keep it short
kind: outage
impact: major
components: [payments]
started_at: 2026-03-14T09:12:00+02:00
updates:
  - at: 2026-03-14T09:31:00+02:00
    status: investigating
    body: |
      We are investigating.
      # Next steps

postmortem:
  summary: Later.
";

fn site() -> &'static Site {
    static SITE_MODEL: OnceLock<Site> = OnceLock::new();
    SITE_MODEL.get_or_init(|| {
        let raw: Spanned<RawSite> = from_yaml(SITE, Path::new("site.yaml")).expect("the fixed site parses");
        validate::site(&raw, Path::new("site.yaml"), SITE).expect("the fixed site is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let raw: Spanned<RawIncident> = from_yaml(FILE, Path::new("x.yaml")).expect("the fixed file parses");
    let update = NewUpdate {
        status: Some(UpdateStatus::Identified),
        at: "2026-03-14T10:00:00+02:00".parse().expect("a fixed time"),
        next_update_by: data
            .first()
            .is_some_and(|b| b % 2 == 0)
            .then(|| "2026-03-14T10:30:00+02:00".parse().expect("a fixed time")),
        body: text.to_owned(),
    };
    let edited = append_update(FILE, &raw, &update, site()).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    let read: serde_json::Value = serde_saphyr::from_str(&edited).unwrap_or_else(|e| panic!("{e}\n{edited}"));
    let updates = read["updates"].as_array().expect("a list");
    assert_eq!(updates.len(), 2, "{edited}");
    assert_eq!(updates[1]["body"], yaml::normalise_breaks(text), "{edited}");
    assert_eq!(updates[0]["body"], "We are investigating.\n# Next steps\n", "{edited}");
    let scalar = format!("title: {}\n", yaml::scalar(text));
    let back: BTreeMap<String, serde_json::Value> =
        serde_saphyr::from_str(&scalar).unwrap_or_else(|e| panic!("{e}\n{scalar}"));
    assert_eq!(back["title"], yaml::normalise_breaks(text), "{scalar}");
});
