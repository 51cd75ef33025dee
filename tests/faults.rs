//! Faults: builds killed at random moments, full and read-only disks, a preview
//! server whose files are deleted, half-written and saved a thousand times, and
//! `update` killed mid-write.

mod common;

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{fs, thread};

use common::{OUTAGE, candor, demo_copy, site, snapshot, stderr};

fn build(root: &Path, out: &Path) -> Output {
    candor(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

fn spawn_build(root: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A small pseudo-random generator, seeded differently on every run (the seed is printed).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::collections::hash_map::RandomState::new().build_hasher().finish() | 1;
        eprintln!("random seed: {seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// Hidden folders a build left beside `out`.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.candor-")))
        .collect()
}

/// The demo site with each incident written `copies` times under other ids:
/// large enough that a build takes a while.
fn many_incidents(root: &Path, copies: usize) {
    let demo = demo_copy();
    fs::create_dir_all(root.join("incidents")).unwrap();
    fs::copy(demo.path().join("site.yaml"), root.join("site.yaml")).unwrap();
    for entry in fs::read_dir(demo.path().join("incidents")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for n in 0..copies {
            fs::copy(&path, root.join("incidents").join(format!("{stem}-{n}.yaml"))).unwrap();
        }
    }
}

fn kill(child: &mut Child) {
    let _ = child.kill(); // SIGKILL: no chance to clean up
    let _ = child.wait();
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    many_incidents(&root, 20);
    let site_a = fs::read_to_string(root.join("site.yaml")).unwrap();
    let title = site_a.lines().find(|l| l.starts_with("title:")).unwrap().to_owned();
    let site_b = site_a.replace(&title, "title: Renamed Status");
    assert_ne!(site_a, site_b);
    // The two complete sites, built elsewhere: a killed build must leave exactly one of them.
    let mut expected = Vec::new();
    let mut full_build = Duration::ZERO;
    for (i, text) in [&site_a, &site_b].into_iter().enumerate() {
        fs::write(root.join("site.yaml"), text).unwrap();
        let started = Instant::now();
        let result = build(&root, &dir.path().join(format!("reference-{i}")));
        full_build = full_build.max(started.elapsed());
        assert!(result.status.success(), "{}", stderr(&result));
        expected.push(snapshot(&dir.path().join(format!("reference-{i}"))));
    }
    assert_ne!(expected[0], expected[1]);
    let out = dir.path().join("public");
    fs::write(root.join("site.yaml"), &site_a).unwrap();
    assert!(build(&root, &out).status.success());
    let mut current = 0;
    let mut rng = Rng::new();
    let (mut old, mut new) = (0, 0);
    for round in 0..10 {
        let target = 1 - current;
        fs::write(root.join("site.yaml"), [&site_a, &site_b][target]).unwrap();
        let mut child = spawn_build(&root, &out);
        let staging = out.with_file_name(format!(".public.candor-new-{}", child.id()));
        // Half the rounds kill at any moment of the build; the others wait for
        // the write to start, then kill while files are being written.
        if round % 2 == 1 {
            let deadline = Instant::now() + full_build * 2;
            while !staging.exists() && Instant::now() < deadline && child.try_wait().unwrap().is_none() {
                thread::sleep(Duration::from_millis(1));
            }
        }
        let delay = Duration::from_millis(rng.below(full_build.as_millis() as u64 * 6 / 5));
        thread::sleep(delay);
        kill(&mut child);
        let now = snapshot(&out);
        let which = if now == expected[current] {
            old += 1;
            current
        } else if now == expected[target] {
            new += 1;
            target
        } else {
            let (a, b) = (&expected[current], &expected[target]);
            let differ = now.keys().chain(a.keys()).filter(|k| now.get(*k) != a.get(*k)).take(5).collect::<Vec<_>>();
            let differ_b = now.keys().chain(b.keys()).filter(|k| now.get(*k) != b.get(*k)).take(5).collect::<Vec<_>>();
            panic!("round {round}, killed after {delay:?}: a mix of two sites: {differ:?} / {differ_b:?}");
        };
        eprintln!(
            "round {round}: killed after {delay:?}, found the {} site",
            if which == target { "new" } else { "old" }
        );
        current = which;
    }
    eprintln!("{old} kills left the old site, {new} the new one");
    // Whatever the kills left behind does not break the next build, which tidies it up.
    let result = build(&root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let target = if fs::read_to_string(root.join("site.yaml")).unwrap() == site_a { 0 } else { 1 };
    assert_eq!(snapshot(&out), expected[target]);
    assert_eq!(leftovers(&out), Vec::<String>::new(), "staging folders of killed builds are removed");
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Mounts a tmpfs of `size` at `dir`, or says why it cannot.
    fn tmpfs(dir: &Path, size: &str) -> Result<Mount, String> {
        fs::create_dir_all(dir).unwrap();
        let result = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", dir.to_str().unwrap()])
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if result.status.success() {
            Ok(Mount(dir.to_path_buf()))
        } else {
            Err(format!("mount -t tmpfs is not permitted here: {}", String::from_utf8_lossy(&result.stderr).trim()))
        }
    }

    fn remount(&self, options: &str) {
        let result =
            Command::new("mount").args(["-o", &format!("remount,{options}"), self.0.to_str().unwrap()]).output();
        assert!(result.unwrap().status.success(), "remount {options}");
    }

    /// KiB in use.
    fn used_kib(&self) -> u64 {
        let result = Command::new("df").args(["-k", "--output=used", self.0.to_str().unwrap()]).output().unwrap();
        String::from_utf8_lossy(&result.stdout).lines().nth(1).unwrap().trim().parse().unwrap()
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_or_read_only_disk_is_reported() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let mount = match Mount::tmpfs(&dir.path().join("disk"), "64k") {
        Ok(mount) => mount,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let out = dir.path().join("disk/public");
    // Too small for even one build: nothing is left behind, not even half a site.
    let result = build(dir.path(), &out);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("the disk is full"), "{}", stderr(&result));
    assert!(!out.exists());
    assert_eq!(leftovers(&out), Vec::<String>::new());
    // Room for one site but not two: the new one cannot be written beside the old one.
    mount.remount("size=4m");
    let result = build(dir.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let before = snapshot(&out);
    mount.remount(&format!("size={}k", mount.used_kib() * 3 / 2));
    fs::write(dir.path().join("incidents/2026-03-14-payments.yaml"), OUTAGE.replace("Fixed.", "Fixed for good."))
        .unwrap();
    let result = build(dir.path(), &out);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write") && err.contains("the disk is full"), "{err}");
    assert!(err.contains("was left unchanged"), "{err}");
    assert!(!err.contains(".candor-new"), "the error names the output, not the hidden staging folder: {err}");
    assert_eq!(snapshot(&out), before, "the old site is intact, not truncated");
    assert_eq!(leftovers(&out), Vec::<String>::new());
    // Read-only: even root cannot write.
    mount.remount("ro");
    let result = build(dir.path(), &out);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("the location is read-only"), "{err}");
    assert_eq!(snapshot(&out), before);
    drop(mount);
}

// ---------------------------------------------------------------------------
// serve
// ---------------------------------------------------------------------------

/// A running `candor serve` with its output lines.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    addr: String,
}

impl Server {
    fn start(root: &Path) -> Server {
        let (child, lines) = common::spawn_lines(
            Command::new(env!("CARGO_BIN_EXE_candor"))
                .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
                .env("NO_COLOR", "1")
                .env_remove("SOURCE_DATE_EPOCH"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        let banner = loop {
            let left = deadline.checked_duration_since(Instant::now()).expect("the server starts");
            let line = lines.recv_timeout(left).expect("the server starts");
            if line.starts_with("Serving on ") {
                break line;
            }
        };
        let addr = banner.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
        Server { child, lines, addr }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Polls until `path` answers with `status` and a body containing `needle`.
    fn wait_until(&self, path: &str, status: u16, needle: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let (got, body) = self.get(path);
            if got == status && body.contains(needle) {
                return;
            }
            assert!(self.child_alive(), "the server is still running");
            assert!(Instant::now() < deadline, "{path} never answered {status} with `{needle}`; last: {got}");
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn child_alive(&self) -> bool {
        Path::new(&format!("/proc/{}", self.child.id())).exists() || !cfg!(target_os = "linux")
    }

    /// Resident memory in KiB, from /proc (Linux only).
    fn rss_kib(&self) -> Option<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Output lines so far.
    fn drain(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const LONG: Duration = Duration::from_secs(20);

#[test]
fn serve_survives_incidents_deleted_and_created_again() {
    let dir = site(&[("payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path());
    server.wait_until("/incidents/payments/", 200, "Card payments failing", LONG);
    let incidents = dir.path().join("incidents");
    fs::remove_dir_all(&incidents).unwrap();
    server.wait_until("/incidents/payments/", 404, "Page not found", LONG);
    server.wait_until("/", 200, "Test Status", LONG);
    fs::create_dir(&incidents).unwrap();
    fs::write(incidents.join("payments.yaml"), OUTAGE.replace("Card payments failing", "Payments back")).unwrap();
    server.wait_until("/incidents/payments/", 200, "Payments back", LONG);
    // The new folder is watched too: a later edit is picked up.
    fs::write(incidents.join("payments.yaml"), OUTAGE.replace("Card payments failing", "Payments fine")).unwrap();
    server.wait_until("/incidents/payments/", 200, "Payments fine", LONG);
    // And once more, replaced by a folder moved into place, as some tools do.
    let staged = dir.path().join("incidents.new");
    fs::create_dir(&staged).unwrap();
    fs::write(staged.join("other.yaml"), OUTAGE.replace("Card payments failing", "Moved in")).unwrap();
    fs::remove_dir_all(&incidents).unwrap();
    fs::rename(&staged, &incidents).unwrap();
    server.wait_until("/incidents/other/", 200, "Moved in", LONG);
    server.wait_until("/incidents/payments/", 404, "Page not found", LONG);
}

#[test]
fn serve_keeps_the_last_good_site_while_a_file_is_half_written() {
    let dir = site(&[("payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path());
    server.wait_until("/incidents/payments/", 200, "Card payments failing", LONG);
    let path = dir.path().join("incidents/payments.yaml");
    let full = OUTAGE.replace("Card payments failing", "Card payments recovering");
    // An editor that writes in place, caught halfway: the YAML is cut mid-line.
    fs::write(&path, &full[..full.len() / 2]).unwrap();
    let deadline = Instant::now() + LONG;
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &String| l.contains("incidents/payments.yaml")) {
        assert!(Instant::now() < deadline, "the errors are printed: {lines:?}");
        lines.extend(server.lines.recv_timeout(Duration::from_millis(200)).ok());
    }
    let (status, page) = server.get("/incidents/payments/");
    assert_eq!(status, 200);
    assert!(page.contains("Card payments failing"), "the last good page is still served");
    fs::write(&path, &full).unwrap();
    server.wait_until("/incidents/payments/", 200, "Card payments recovering", LONG);
}

#[test]
fn serve_survives_a_thousand_rapid_saves_with_bounded_memory() {
    let dir = site(&[("payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path());
    server.wait_until("/incidents/payments/", 200, "Card payments failing", LONG);
    let before = server.rss_kib();
    let path = dir.path().join("incidents/payments.yaml");
    for i in 0..1000 {
        let text = OUTAGE.replace("We are investigating.", &format!("We are investigating ({i})."));
        // Alternate the two ways editors save: in place, and a rename over the file.
        if i % 2 == 0 {
            fs::write(&path, &text).unwrap();
        } else {
            let temp = dir.path().join("incidents/.payments.yaml.swp");
            fs::write(&temp, &text).unwrap();
            fs::rename(&temp, &path).unwrap();
        }
        if i % 100 == 0 {
            thread::sleep(Duration::from_millis(150)); // let some rebuilds happen in between
        }
    }
    fs::write(&path, OUTAGE.replace("We are investigating.", "Final words.")).unwrap();
    server.wait_until("/incidents/payments/", 200, "Final words.", LONG);
    let after = server.rss_kib();
    let rebuilds = server.drain().iter().filter(|l| l.starts_with("rebuilt")).count();
    eprintln!("resident memory before {before:?} KiB, after {after:?} KiB, {rebuilds} rebuilds");
    assert!(rebuilds < 1000, "saves are debounced into fewer rebuilds: {rebuilds}");
    if let (Some(before), Some(after)) = (before, after) {
        assert!(after < before + 64 * 1024, "memory stays bounded: {before} KiB -> {after} KiB");
    }
    let (status, _) = server.get("/");
    assert_eq!(status, 200, "the server still answers");
}

// ---------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------

#[test]
fn update_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let dir = site(&[]);
    let path = dir.path().join("incidents/x.yaml");
    let ongoing = OUTAGE.lines().take(10).collect::<Vec<_>>().join("\n") + "\n";
    fs::write(&path, &ongoing).unwrap();
    // A long body makes the write take a while.
    let body: String = (0..4000).map(|i| format!("Line {i} of a long update.\n\n")).collect();
    let mut rng = Rng::new();
    let mut texts: BTreeMap<String, usize> = BTreeMap::new();
    let update = || {
        Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["update", "--root", dir.path().to_str().unwrap(), "x", "--status", "identified"])
            .args(["--at", "2026-03-14T09:40:00+02:00", "-"])
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let started = Instant::now();
    let mut child = update();
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    let full = started.elapsed();
    let new = fs::read_to_string(&path).unwrap();
    assert!(new.contains("Line 3999 of a long update."));
    for _ in 0..10 {
        fs::write(&path, &ongoing).unwrap();
        let mut child = update();
        child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
        thread::sleep(Duration::from_micros(rng.below(full.as_micros() as u64 * 6 / 5)));
        kill(&mut child);
        let now = fs::read_to_string(&path).unwrap();
        let which = if now == ongoing {
            "old"
        } else if now == new {
            "new"
        } else {
            panic!("a half-written incident file: {} bytes of {}", now.len(), new.len())
        };
        *texts.entry(which.into()).or_default() += 1;
    }
    eprintln!("after kills: {texts:?}");
    // Whatever was left behind is hidden and does not break a build.
    let result = build(dir.path(), &dir.path().join("public"));
    assert!(result.status.success(), "{}", stderr(&result));
    // The next update that succeeds removes temporary files killed ones left.
    fs::write(&path, &ongoing).unwrap();
    fs::write(dir.path().join("incidents/.x.yaml.candor-999999999.tmp"), "half").unwrap();
    let mut child = update();
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(fs::read_to_string(&path).unwrap(), new);
    if cfg!(target_os = "linux") {
        let left: Vec<_> = fs::read_dir(dir.path().join("incidents"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "x.yaml")
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

// ---------------------------------------------------------------------------
// Two authors at once, and disks that fill up under watch
// ---------------------------------------------------------------------------

#[test]
fn two_updates_at_once_both_land_or_one_says_it_did_not() {
    let dir =
        site(&[("2026-03-14-payments.yaml", &OUTAGE.replace("    status: resolved\n", "    status: monitoring\n"))]);
    let root = dir.path().to_str().unwrap().to_owned();
    for round in 0..8 {
        let children: Vec<Child> = (0..2)
            .map(|n| {
                Command::new(env!("CARGO_BIN_EXE_candor"))
                    .args(["update", "--root", &root, "2026-03-14-payments", "--at"])
                    .arg(format!("2026-03-14 1{round}:{n}0"))
                    .arg(format!("Round {round}, author {n}."))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let results: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
        let text = fs::read_to_string(dir.path().join("incidents/2026-03-14-payments.yaml")).unwrap();
        for (n, result) in results.iter().enumerate() {
            let said = format!("Round {round}, author {n}.");
            if result.status.success() {
                assert!(text.contains(&said), "round {round}: author {n} was told it worked, but the file lacks it");
            } else {
                assert!(stderr(result).contains("nothing was written"), "{}", stderr(result));
            }
        }
    }
    let check = candor(&["check", "--root", &root, "--now", "2026-03-14T20:00:00+02:00"]);
    assert!(check.status.success(), "the file still validates: {}", stderr(&check));
}

#[test]
fn watch_on_a_disk_that_fills_says_what_it_wrote() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let mount = match Mount::tmpfs(&dir.path().join("disk"), "8m") {
        Ok(mount) => mount,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let out = dir.path().join("disk/public");
    let (mut child, lines) = common::spawn_lines(
        Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["watch", "--root", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH"),
    );
    let built = lines.recv_timeout(Duration::from_secs(30)).map(|_| ());
    let started = Instant::now();
    while !out.join("index.html").exists() && started.elapsed() < Duration::from_secs(30) {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(built.is_ok() && out.join("index.html").exists(), "the first build is on disk");
    // Leave room for a few of the new pages but not for all of them.
    let before = snapshot(&out);
    mount.remount(&format!("size={}k", mount.used_kib() + 120));
    let site_yaml = fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    let renamed = site_yaml.replace("title: Test Status", &format!("title: {}", "Renamed Status ".repeat(400)));
    fs::write(dir.path().join("site.yaml"), renamed).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut said = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
            let done = line.contains("already been written") || line.contains("still served");
            said.push(line);
            if done {
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = said.join("\n");
    assert!(text.contains("the disk is full"), "{text}");
    let after = snapshot(&out);
    let replaced = before.iter().filter(|(path, bytes)| after.get(*path) != Some(bytes)).count();
    assert!(replaced > 0, "the test fills the disk part way through a rebuild: {text}");
    assert!(!text.contains("still served"), "it does not claim the old site is intact: {text}");
    assert!(text.contains("already been written"), "{text}");
    drop(mount);
}

#[test]
fn building_into_a_mount_point_says_why_it_cannot() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let out = dir.path().join("mounted");
    let mount = match Mount::tmpfs(&out, "4m") {
        Ok(mount) => mount,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    fs::write(out.join(".candor-output"), "").unwrap();
    let result = build(dir.path(), &out);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("mount point") && err.contains("--out"), "{err}");
    drop(mount);
}
