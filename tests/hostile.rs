//! Hostile and broken input: every case is refused with a located, plain-language
//! error and exit status 1, and the previous output stays byte-identical; text
//! written to attack readers comes out inert in every output format.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{OUTAGE, candor, site, snapshot, stderr};

/// The incident every fixture starts with.
const GOOD: &str = "2026-03-14-payments.yaml";

/// A site with one good incident and a good build of it in `public/`.
struct Fixture {
    dir: tempfile::TempDir,
    before: BTreeMap<String, Vec<u8>>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = site(&[(GOOD, OUTAGE)]);
        let result = build(dir.path(), &dir.path().join("public"));
        assert!(result.status.success(), "{}", stderr(&result));
        let before = snapshot(&dir.path().join("public"));
        assert!(before.contains_key("index.html"));
        Fixture { dir, before }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    fn incident(&self, name: &str) -> PathBuf {
        self.root().join("incidents").join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.incident(name), bytes).unwrap();
    }

    /// Builds again, expects exit status 1 and the old output untouched, and returns standard error.
    fn refused(&self) -> String {
        let result = build(self.root(), &self.out());
        self.assert_refused(&result)
    }

    fn assert_refused(&self, result: &Output) -> String {
        let err = stderr(result);
        assert_eq!(result.status.code(), Some(1), "exit status 1: {err}");
        assert!(err.contains("was left unchanged"), "{err}");
        assert_eq!(snapshot(&self.out()), self.before, "the previous output is byte-identical: {err}");
        let leftovers: Vec<_> = fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".candor-"))
            .collect();
        assert!(leftovers.is_empty(), "no staging folders are left behind: {leftovers:?}");
        err
    }
}

fn build(root: &Path, out: &Path) -> Output {
    candor(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

fn assert_says(err: &str, needles: &[&str]) {
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

#[test]
fn malformed_yaml_is_located() {
    let f = Fixture::new();
    f.write("bad.yaml", "title: \"unclosed\nkind: outage\n");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:1:8", "unclosed quote"]);
    f.write("bad.yaml", "title: x\n  kind: outage\n impact: major\n");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:2:"]);
}

#[test]
fn a_tab_in_indentation_is_located() {
    let f = Fixture::new();
    f.write("bad.yaml", OUTAGE.replace("  - at: 2026-03-14T09:55", "\t- at: 2026-03-14T09:55"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:11:1", "tab", "spaces"]);
}

#[test]
fn a_list_where_a_text_belongs_is_located() {
    let f = Fixture::new();
    f.write("bad.yaml", OUTAGE.replace("title: Card payments failing", "title: [Card, payments]"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:1:", "expected"]);
    f.write("bad.yaml", OUTAGE.replace("kind: outage", "kind: [outage, degraded]"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:2:7", "expected"]);
}

#[test]
fn impossible_dates_and_times_are_located() {
    let f = Fixture::new();
    f.write(
        "bad.yaml",
        OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-13-45T09:12:00+02:00"),
    );
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:5:13", "`2026-13-45T09:12:00+02:00` is not a valid time", "expected"]);
}

#[test]
fn naive_times_in_a_daylight_saving_gap_or_fold_are_refused() {
    let f = Fixture::new();
    // Helsinki skips 03:00-04:00 on 29 March 2026 and has 03:00-04:00 twice on 25 October 2026.
    let gap = OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 2026-03-29 03:30");
    f.write("bad.yaml", gap.replace("2026-03-14T", "2026-03-29T").replace("+02:00", "+03:00"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:5:13", "does not exist in the site's time zone", "offset"]);
    let fold = OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: \"2026-10-25 03:30\"");
    f.write("bad.yaml", fold.replace("2026-03-14T", "2026-10-25T"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:5:13", "happens twice", "offset"]);
}

#[test]
fn invalid_utf8_is_located() {
    let f = Fixture::new();
    let mut bytes = b"title: Caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\nkind: outage\n");
    f.write("bad.yaml", bytes);
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:1:11", "not valid UTF-8", "save the file as UTF-8"]);
}

#[test]
fn empty_files_are_refused() {
    let f = Fixture::new();
    f.write("bad.yaml", "");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml", "the file is empty"]);
    f.write("bad.yaml", "# only a comment\n\n   \n");
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml", "the file is empty"]);
}

#[test]
fn files_over_one_mebibyte_are_refused_unread() {
    let f = Fixture::new();
    let mut text = OUTAGE.replace("body: Fixed.", "body: |\n      Fixed.");
    let line = format!("      {}\n", "x".repeat(99));
    while text.len() <= 1024 * 1024 {
        text.push_str(&line);
    }
    f.write("bad.yaml", text);
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml", "larger than 1 MiB"]);
}

/// Runs the binary with its address space capped, so unbounded memory use
/// shows up as a crash instead of a slow machine.
fn build_with_memory_cap(root: &Path, out: &Path, kib: u64) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn nesting_and_alias_bombs_fail_fast_with_bounded_memory() {
    const CAP_KIB: u64 = 1024 * 1024;
    let f = Fixture::new();
    let control = build_with_memory_cap(f.root(), &f.root().join("control"), CAP_KIB);
    assert!(control.status.success(), "a normal build fits under the cap: {}", stderr(&control));
    // "Billion laughs": 10^12 x's if every alias were expanded.
    let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..13 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let inside: String = "title: x\nkind: outage\nsummary:\n"
        .chars()
        .chain(laughs.lines().flat_map(|l| format!("  {l}\n").chars().collect::<Vec<_>>()))
        .collect();
    let flow_deep = format!("title: x\ncomponents: {}{}\n", "[".repeat(400_000), "]".repeat(400_000));
    let block_deep: String = "title:\n"
        .chars()
        .chain((1..1000).flat_map(|i| format!("{}k{i}:\n", " ".repeat(i)).chars().collect::<Vec<_>>()))
        .collect();
    let unclosed = format!("title: x\nsummary: {}", "{".repeat(900_000));
    // Aliases where values belong, past the budget.
    let mut many = OUTAGE.replace("started_at: 2026", "started_at: &t 2026");
    for i in 0..100 {
        many.push_str(&format!("  - at: *t\n    status: investigating\n    body: &b{i} Still looking.\n"));
    }
    for (name, text) in [
        ("laughs", &laughs),
        ("inside", &inside),
        ("flow", &flow_deep),
        ("block", &block_deep),
        ("open", &unclosed),
        ("many", &many),
    ] {
        f.write("bad.yaml", text);
        let started = std::time::Instant::now();
        let result = build_with_memory_cap(f.root(), &f.out(), CAP_KIB);
        let took = started.elapsed();
        let err = f.assert_refused(&result);
        assert_says(&err, &["incidents/bad.yaml:"]);
        assert!(took.as_secs() < 10, "{name} took {took:?}");
    }
}

#[test]
fn duplicate_keys_are_located() {
    let f = Fixture::new();
    f.write("bad.yaml", OUTAGE.replace("impact: major\n", "impact: major\nimpact: minor\n"));
    let err = f.refused();
    assert_says(&err, &["incidents/bad.yaml:4:1", "duplicate", "impact", "once"]);
}

#[test]
fn file_names_that_are_not_valid_ids_are_refused() {
    let f = Fixture::new();
    for name in ["Card Payments.yaml", "-leading.yaml", "UPPER.yml", "semi;colon.yaml", "ü.yaml"] {
        f.write(name, OUTAGE);
        let err = f.refused();
        assert_says(&err, &[&format!("incidents/{name}"), "is not a valid incident id", "lower-case letters"]);
        fs::remove_file(f.incident(name)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.yaml"), "title: SECRET-OUTSIDE\n").unwrap();
    let cases: [(&str, PathBuf); 4] = [
        ("loop", PathBuf::from(".")),
        ("self.yaml", PathBuf::from("self.yaml")),
        ("outside", outside.path().to_path_buf()),
        ("outside.yaml", outside.path().join("secret.yaml")),
    ];
    for (name, target) in &cases {
        symlink(target, f.incident(name)).unwrap();
        let err = f.refused();
        assert_says(&err, &[&format!("incidents/{name}"), "symbolic links are not followed"]);
        assert!(!err.contains("SECRET-OUTSIDE"), "{err}");
        fs::remove_file(f.incident(name)).unwrap();
    }
    // A loop deeper down, and `incidents/` itself as a link.
    fs::create_dir_all(f.incident("2025/deeper")).unwrap();
    symlink("../..", f.incident("2025/deeper/up")).unwrap();
    let err = f.refused();
    assert_says(&err, &["incidents/2025/deeper/up", "not followed"]);
    fs::remove_dir_all(f.incident("2025")).unwrap();
    let real = f.root().join("real-incidents");
    fs::rename(f.root().join("incidents"), &real).unwrap();
    symlink(&real, f.root().join("incidents")).unwrap();
    let err = f.refused();
    assert_says(&err, &["incidents", "not followed"]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_site_file_is_not_read() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    // If it were read, a parse error would quote this line, secret and all.
    fs::write(outside.path().join("credentials"), "token: SECRET-TOKEN: x\n").unwrap();
    fs::rename(f.root().join("site.yaml"), f.root().join("site.real")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("credentials"), f.root().join("site.yaml")).unwrap();
    let err = f.refused();
    assert_says(&err, &["site.yaml", "symbolic link"]);
    assert!(!err.contains("SECRET-TOKEN"), "{err}");
}

/// Whether this process can read files whatever their permissions (root, or CAP_DAC_OVERRIDE).
#[cfg(unix)]
fn permissions_are_ignored(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    if permissions_are_ignored(f.root()) {
        eprintln!("skipped: running as root (or with CAP_DAC_OVERRIDE), where chmod 000 does not stop reads");
        return;
    }
    f.write("locked.yaml", OUTAGE);
    fs::set_permissions(f.incident("locked.yaml"), fs::Permissions::from_mode(0o000)).unwrap();
    let err = f.refused();
    assert_says(&err, &["incidents/locked.yaml", "cannot read the file: permission denied"]);
}

#[test]
fn an_output_folder_in_a_read_only_place_is_reported() {
    let f = Fixture::new();
    let result = candor(&["build", "--root", f.root().to_str().unwrap(), "--out", "/proc/candor-test"]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert_says(&err, &["cannot write /proc/candor-test", "/proc/candor-test was left unchanged"]);
    assert!(!err.contains(".candor-new-"), "the hidden staging folder is not what the user asked about: {err}");
}

#[cfg(unix)]
#[test]
fn an_output_folder_made_read_only_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    if permissions_are_ignored(f.root()) {
        eprintln!(
            "skipped: running as root, where chmod does not stop writes; faults::a_full_or_read_only_disk_is_reported covers a read-only mount"
        );
        return;
    }
    let locked = f.root().join("locked");
    fs::create_dir(&locked).unwrap();
    let result = build(f.root(), &locked.join("public"));
    assert!(result.status.success(), "{}", stderr(&result));
    let before = snapshot(&locked.join("public"));
    fs::write(f.incident(GOOD), OUTAGE.replace("Fixed.", "Fixed for good.")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let result = build(f.root(), &locked.join("public"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert_says(&err, &["cannot write", "permission denied", "was left unchanged"]);
    assert_eq!(snapshot(&locked.join("public")), before);
}
