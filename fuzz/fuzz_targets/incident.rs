//! Any bytes as an incident file: parsing and validating must return a value
//! or located errors, never panic, hang or run out of memory; a valid
//! incident's views must derive at any moment without panicking. Whatever the
//! quick reader reads, it must read exactly as serde-saphyr does.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use candor::input::{RawIncident, RawSite, from_yaml, quick};
use candor::model::{IncidentId, Site};
use candor::validate;
use libfuzzer_sys::fuzz_target;
use serde_saphyr::Spanned;

/// A small site in a time zone with daylight saving time, so naive times can fall in a gap or a fold.
const SITE: &str = "title: Fuzz Status
timezone: Europe/Helsinki
languages: [en, fi]
history_days: 90
components:
  - { id: api, name: Public API, group: Platform }
  - { id: payments, name: Card payments, group: Platform }
  - { id: web, name: Website }
";

fn site() -> &'static Site {
    static SITE_MODEL: OnceLock<Site> = OnceLock::new();
    SITE_MODEL.get_or_init(|| {
        let raw: Spanned<RawSite> = from_yaml(SITE, Path::new("site.yaml")).expect("the fixed site parses");
        validate::site(&raw, Path::new("site.yaml"), SITE).expect("the fixed site is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    // Files that are not UTF-8 are refused before parsing (candor::files::read_text).
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > candor::files::MAX_FILE_BYTES {
        return;
    }
    let file = Path::new("incidents/fuzz.yaml");
    let read = from_yaml::<Spanned<RawIncident>>(text, file);
    // The quick reader reads a file only when it means what serde-saphyr reads.
    if let Some(fast) = quick::from_str::<Spanned<RawIncident>>(text) {
        let slow = read.as_ref().expect("the quick reader read a file serde-saphyr refuses");
        assert_eq!(quick::without_spans(&fast), quick::without_spans(slow));
    }
    let Ok(raw) = read else { return };
    let Ok(incident) = validate::incident(&raw, IncidentId::new("fuzz"), file, text, site()) else { return };
    for now in [incident.started_at, jiff::Timestamp::MIN, jiff::Timestamp::MAX] {
        let view = candor::views::incident(&incident, now);
        assert!(view.shown_updates <= incident.updates.len());
    }
});
