use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_saphyr::Spanned;

use super::{from_str, without_spans};
use crate::input::{RawIncident, RawSite, from_yaml};

/// What serde-saphyr makes of `text`, as the quick reader must give it (or `None`).
fn slow(text: &str) -> Option<String> {
    from_yaml::<Spanned<RawIncident>>(text, Path::new("x.yaml")).ok().map(|raw| without_spans(&raw))
}

/// Reads `text` both ways and fails when the quick reader gives anything serde-saphyr does not.
/// Returns whether the quick reader read it.
fn agree(text: &str) -> bool {
    let Some(quick) = from_str::<Spanned<RawIncident>>(text) else { return false };
    let quick = without_spans(&quick);
    match slow(text) {
        Some(slow) => assert_eq!(quick, slow, "the readers differ on {text:?}"),
        None => panic!("the quick reader read a file serde-saphyr refuses: {text:?}"),
    }
    true
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// A typical incident, as `candor new` and the benchmark's generator write them.
const TYPICAL: &str = "title: \"Mobile app delayed\"
kind: degraded
impact: minor
components: [mobile-app, payments, cdn]
started_at: 2023-12-20T07:55:00Z
detected_at: 2023-12-20T08:07:00Z
resolved_at: 2023-12-20T11:39:00Z
summary: |
  Between 07:55 and 11:39 UTC, **Mobile app** was affected.
updates:
  - at: 2023-12-20T08:16:00Z
    status: investigating
    body: |
      We are investigating slow responses.

      - The problem started at about 07:55 UTC.
      # not a comment: part of the text

    next_update_by: 2023-12-20T09:16:00Z
  - at: 2023-12-20T11:39:00Z
    status: resolved
    body: |-
      Resolved. It's fixed: \"quotes\" and [brackets] are text here.
";

#[test]
fn reads_the_files_candor_writes_exactly_as_serde_saphyr_does() {
    assert!(agree(TYPICAL), "the quick reader must read the everyday shape");
    let raw = from_str::<Spanned<RawIncident>>(TYPICAL).unwrap();
    let updates = raw.value.updates.as_ref().unwrap();
    assert_eq!((updates.referenced.line(), updates.referenced.column()), (11, 3));
    let body = updates.value[0].value.body.as_ref().unwrap();
    assert_eq!((body.referenced.line(), body.referenced.column()), (14, 7));
}

#[test]
fn every_demo_and_fixture_file_reads_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("incidents"), &mut files);
    yaml_files(&root.join("tests"), &mut files);
    assert!(files.len() > 10, "found only {} files", files.len());
    let mut read = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        read += usize::from(agree(&text));
    }
    let demo = files.iter().filter(|f| f.starts_with(root.join("incidents"))).count();
    assert!(read >= demo / 2, "the quick reader read only {read} of {} files", files.len());
}

#[test]
fn gives_up_on_what_it_does_not_know() {
    let cases = [
        "title: x\n\tkind: y\n",
        "title: x\r\nkind: outage\r\n",
        "title: &a x\nkind: *a\n",
        "title: !!str x\n",
        "title: { en: x }\n",
        "title: >\n  folded\n",
        "title: |2\n   x\n",
        "title: x\n  continued\n",
        "title: \"x\n  y\"\n",
        "---\ntitle: x\n",
        "title: x\ntitle: y\n",
        "  title: x\n",
        "title: x: y\n",
        "'title': x\n",
        "title:\n  plain on the next line\n",
        "\u{feff}title: x\n",
        "title: a\u{2028}b\n",
    ];
    for text in cases {
        assert!(from_str::<Spanned<RawIncident>>(text).is_none(), "read {text:?}");
    }
}

#[test]
fn agrees_on_scalars_that_look_like_other_types() {
    for value in ["123", "007", "true", "yes", "null", "~", "1e3", ".inf", "12,682", "-5", "0x1F", "2023-12-20", "N"] {
        agree(&format!("title: {value}\nkind: outage\nbreach:\n  people_affected: {value}\n"));
        agree(&format!("title: x\ncomponents: [{value}]\nstarted_at: {value}\n"));
        agree(&format!("title: x\ncomponents:\n  {value}: major_outage\n"));
    }
}

#[test]
fn site_files_fall_back_to_serde_saphyr_with_the_same_result() {
    let site = "title: S\nhistory_days: 90\ncomponents:\n  - id: api\n    name: API\n";
    let quick = super::super::from_yaml_fast::<Spanned<RawSite>>(site, Path::new("site.yaml")).unwrap();
    let slow = from_yaml::<Spanned<RawSite>>(site, Path::new("site.yaml")).unwrap();
    assert_eq!(without_spans(&quick), without_spans(&slow));
}

/// Pieces incident files are made of, including the characters that change what YAML means.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_owned()),
        Just("  ".to_owned()),
        Just("\n".to_owned()),
        Just("\n  ".to_owned()),
        Just("- ".to_owned()),
        Just(": ".to_owned()),
        Just(" # c".to_owned()),
        Just("#".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\\".to_owned()),
        Just("|".to_owned()),
        Just("|-".to_owned()),
        Just("|+".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just("{".to_owned()),
        Just("&".to_owned()),
        Just("*".to_owned()),
        Just("!".to_owned()),
        Just("~".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("12".to_owned()),
        Just("äö€😀".to_owned()),
        Just("\\u00e4".to_owned()),
        Just("''".to_owned()),
        "[a-z]{1,6}",
    ]
}

/// An incident file with one piece spliced in at each of a few places.
fn document() -> impl Strategy<Value = String> {
    (proptest::collection::vec((0usize..2000, piece()), 1..4), any::<bool>()).prop_map(|(splices, strip_break)| {
        let mut text = TYPICAL.to_owned();
        for (at, piece) in splices {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, &piece);
        }
        if strip_break {
            text.pop();
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn never_reads_a_spliced_file_differently(text in document()) {
        agree(&text);
    }
}
