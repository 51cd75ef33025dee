//! `candor check` end to end: lints located in the files, in every output format.

mod common;

use common::{candor, demo_copy, site, stderr};

const OVERDUE: &str = "title: Webhooks delayed
kind: outage
impact: major
components: [api]
started_at: 2026-03-20T09:00:00+02:00
detected_at: 2026-03-20T09:05:00+02:00
updates:
  - at: 2026-03-20T09:10:00+02:00
    status: investigating
    body: We are looking into delayed webhooks.
    next_update_by: 2026-03-20T09:40:00+02:00
";

const NO_POSTMORTEM: &str = "title: Payments down
kind: outage
impact: critical
components: [payments]
started_at: 2026-03-01T09:00:00+02:00
updates:
  - { at: 2026-03-01T09:10:00+02:00, status: investigating, body: Looking. }
  - { at: 2026-03-01T10:00:00+02:00, status: resolved, body: Fixed. }
";

const BREACH: &str = "title: Emails exposed
kind: data_breach
impact: major
started_at: 2026-03-19T09:00:00+02:00
breach:
  data_affected: [email addresses]
  people_affected: 300
updates:
  - { at: 2026-03-19T09:10:00+02:00, status: identified, body: We found an exposed list. }
  - { at: 2026-03-19T12:00:00+02:00, status: resolved, body: The list is offline. }
";

fn run(dir: &tempfile::TempDir, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--root", dir.path().to_str().unwrap(), "--now", "2026-03-20T10:00:00+02:00"];
    args.extend_from_slice(extra);
    candor(&args)
}

#[test]
fn github_format_prints_exactly_the_findings_with_locations() {
    let dir = site(&[("overdue.yaml", OVERDUE), ("payments.yaml", NO_POSTMORTEM), ("breach.yaml", BREACH)]);
    let result = run(&dir, &["--format", "github"]);
    assert!(result.status.success(), "warnings alone do not fail without --deny-warnings");
    let out = String::from_utf8(result.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("::warning file=incidents/breach.yaml,line=6,col=3,title=breach-no-advice::"),
        "{out}"
    );
    assert!(lines[1].starts_with("::warning file=incidents/overdue.yaml,line=11,col=21,title=promise-overdue::the next update was promised by 20 Mar 2026, 09:40; it is 20 min overdue"), "{out}");
    assert!(lines[2].starts_with("::warning file=incidents/payments.yaml,line=8,col=5,title=postmortem-missing::no post-mortem 19 days after the end; it was due 7 days after"), "{out}");
    let denied = run(&dir, &["--format", "github", "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn json_format_is_one_array_of_findings() {
    let dir = site(&[("overdue.yaml", OVERDUE)]);
    let result = run(&dir, &["--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&result.stdout).expect("JSON");
    let list = findings.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let f = &list[0];
    assert_eq!(f["code"], "promise-overdue");
    assert_eq!(f["level"], "warning");
    assert_eq!(f["file"], "incidents/overdue.yaml");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(11), Some(21)));
    assert!(f["hint"].as_str().unwrap().contains("post an update now"));
}

#[test]
fn human_format_quotes_the_line_and_errors_fail() {
    let dir = site(&[("overdue.yaml", OVERDUE), ("broken.yaml", "title: [oops\n")]);
    let result = run(&dir, &[]);
    assert_eq!(result.status.code(), Some(1), "validation errors fail the check");
    let err = stderr(&result);
    assert!(err.contains("incidents/broken.yaml:"), "{err}");
    assert!(err.contains("check: 1 error"), "{err}");
    let dir = site(&[("overdue.yaml", OVERDUE)]);
    let err = stderr(&run(&dir, &[]));
    assert!(err.contains("11 |     next_update_by: 2026-03-20T09:40:00+02:00"), "the source line is quoted: {err}");
    assert!(err.contains("check: 0 errors, 1 warning, 0 notes"), "{err}");
}

#[test]
fn the_demo_passes_cleanly_at_its_own_now() {
    let demo = demo_copy();
    let result = candor(&["check", "--root", demo.path().to_str().unwrap(), "--deny-warnings", "--format", "json"]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stdout));
    assert_eq!(String::from_utf8(result.stdout).unwrap().trim(), "[]");
}

#[test]
fn build_summarises_a_flood_of_warnings() {
    let files: Vec<(String, String)> = (0..25).map(|n| (format!("i{n}.yaml"), OVERDUE.to_owned())).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    let result = candor(&["build", "--root", dir.path().to_str().unwrap(), "--now", "2026-03-20T10:00:00+02:00"]);
    assert!(result.status.success());
    let err = stderr(&result);
    assert_eq!(err.matches("warning[promise-overdue]").count(), 20, "{err}");
    assert!(err.contains("warning: 5 more warnings; `candor check` lists them all"), "{err}");
}

#[test]
fn build_prints_warnings_and_still_builds() {
    let dir = site(&[("overdue.yaml", OVERDUE)]);
    let result = candor(&["build", "--root", dir.path().to_str().unwrap(), "--now", "2026-03-20T10:00:00+02:00"]);
    assert!(result.status.success());
    assert!(stderr(&result).contains("warning[promise-overdue]"), "{}", stderr(&result));
    assert!(dir.path().join("public/index.html").exists());
}
