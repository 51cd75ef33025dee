//! `candor serve` and `candor watch` end to end: real processes, real HTTP, real file events.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{fs, thread};

use common::{OUTAGE, site};

/// A running `candor serve` with its output lines.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    addr: String,
    out: String,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let (child, lines) = common::spawn_lines(
            Command::new(env!("CARGO_BIN_EXE_candor"))
                .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
                .args(extra)
                .env("NO_COLOR", "1")
                .env_remove("SOURCE_DATE_EPOCH"),
        );
        let banner =
            wait_for(&lines, |l| l.starts_with("Serving on "), Duration::from_secs(30)).expect("the server starts");
        let addr = banner.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
        let out = banner.split("building into ").nth(1).unwrap().to_owned();
        Server { child, lines, addr, out }
    }

    fn get(&self, path: &str) -> (u16, String) {
        raw_get(&self.addr, path)
    }

    fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "GET /__candor/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", self.addr)
            .unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Give the subscription a moment to register before anything changes.
        thread::sleep(Duration::from_millis(300));
        rx
    }

    fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server stops on Ctrl-C");
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn wait_for(rx: &mpsc::Receiver<String>, test: impl Fn(&str) -> bool, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if test(&line) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// One HTTP/1.1 GET, written by hand so the path reaches the server exactly as given.
fn raw_get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

/// Replaces a file the way many editors save: write a temporary file, then rename it over.
fn save(path: &Path, text: &str) {
    let temp = path.with_extension("yaml.tmp~");
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, path).unwrap();
}

#[test]
fn an_edit_is_rebuilt_once_and_every_tab_reloads() {
    let dir = site(&[("payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path(), &[]);
    let (status, page) = server.get("/incidents/payments/");
    assert_eq!(status, 200);
    assert!(page.contains("Card payments failing"));
    assert!(page.contains("/__candor/live.js"), "the reload script is added to served pages");
    let on_disk = fs::read_to_string(Path::new(&server.out).join("incidents/payments/index.html")).unwrap();
    assert!(!on_disk.contains("__candor"), "the built files stay clean");
    let events = server.events();
    save(
        &dir.path().join("incidents/payments.yaml"),
        &OUTAGE.replace("Card payments failing", "Card payments recovering"),
    );
    assert!(wait_for(&events, |l| l == "event: reload", Duration::from_secs(10)).is_some(), "a reload event");
    let (_, page) = server.get("/incidents/payments/");
    assert!(page.contains("Card payments recovering"));
    assert!(wait_for(&server.lines, |l| l.starts_with("rebuilt after a change"), Duration::from_secs(5)).is_some());
    assert!(
        wait_for(&server.lines, |l| l.starts_with("rebuilt"), Duration::from_secs(2)).is_none(),
        "one save, one rebuild"
    );
    let out = server.out.clone();
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(!Path::new(&out).exists(), "the temporary output is removed on Ctrl-C");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_errors() {
    let dir = site(&[("payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path(), &[]);
    let events = server.events();
    save(&dir.path().join("incidents/payments.yaml"), &OUTAGE.replace("[payments]", "[paymnts]"));
    let data =
        wait_for(&events, |l| l.starts_with("data: {\"text\""), Duration::from_secs(10)).expect("an errors event");
    assert!(data.contains("incidents/payments.yaml:4:14"), "{data}");
    assert!(data.contains("unknown component"), "{data}");
    let (status, page) = server.get("/incidents/payments/");
    assert_eq!(status, 200);
    assert!(page.contains("Card payments failing"), "the last good page is still served");
    let late = server.events();
    assert!(
        wait_for(&late, |l| l == "event: errors", Duration::from_secs(5)).is_some(),
        "a tab opened later sees the errors too"
    );
    save(&dir.path().join("incidents/payments.yaml"), OUTAGE);
    assert!(wait_for(&events, |l| l == "event: reload", Duration::from_secs(10)).is_some(), "fixed: reload");
}

#[test]
fn only_files_inside_the_output_are_served() {
    let dir = site(&[("payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path(), &[]);
    for path in
        ["/../site.yaml", "/%2e%2e/site.yaml", "/incidents/../../site.yaml", "/..%2f..%2fsite.yaml", "/.candor-output"]
    {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("Test Status\ntimezone"), "{path}");
    }
    let (status, body) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's 404 page");
    let (status, body) = server.get("/feed.xml");
    assert_eq!(status, 200);
    assert!(body.to_ascii_lowercase().contains("content-type: text/xml"), "{body}");
    let (status, body) = server.get("/incidents/payments");
    assert_eq!(status, 308, "folders redirect to their slash so relative links work: {body}");
}

#[test]
fn watch_writes_only_the_files_an_edit_changes() {
    let dir = site(&[("payments.yaml", OUTAGE), ("other.yaml", &OUTAGE.replace("Card payments failing", "Other"))]);
    let out = dir.path().join("public");
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["watch", "--root", dir.path().to_str().unwrap(), "--verbose"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    assert!(wait_for(&lines, |l| l.starts_with("built in"), Duration::from_secs(30)).is_some());
    let untouched = out.join("incidents/other/index.html");
    let before = fs::metadata(&untouched).unwrap().modified().unwrap();
    thread::sleep(Duration::from_millis(50));
    save(&dir.path().join("incidents/payments.yaml"), &OUTAGE.replace("We are investigating.", "We found it."));
    let line =
        wait_for(&lines, |l| l.starts_with("rebuilt after a change"), Duration::from_secs(10)).expect("a rebuild");
    assert!(!line.contains(" 0 written"), "{line}");
    assert!(fs::read_to_string(out.join("incidents/payments/index.html")).unwrap().contains("We found it."));
    assert_eq!(fs::metadata(&untouched).unwrap().modified().unwrap(), before, "unchanged files are not rewritten");
    let _ = child.kill();
    let _ = child.wait();
}

/// One GET with the given `Host` header.
fn get_with_host(addr: &str, path: &str, host: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

#[test]
fn redirects_stay_on_this_server_and_other_hosts_are_not_answered() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path(), &[]);
    for path in ["//api", "/api", "///api"] {
        let (status, response) = server.get(path);
        assert_eq!(status, 308, "{path}: {response}");
        let location = response.lines().find_map(|l| l.strip_prefix("location: ")).unwrap_or_default();
        assert_eq!(location.trim(), "/api/", "{path}: the redirect names a path on this server");
    }
    let (status, _) = get_with_host(&server.addr, "/", "attacker.example");
    assert_eq!(status, 421, "a page on another site cannot read drafts through DNS rebinding");
    let port = server.addr.rsplit(':').next().unwrap();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
        assert_eq!(get_with_host(&server.addr, "/", &host).0, 200, "{host}");
    }
    server.stop();
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn idle_and_slow_clients_cannot_exhaust_the_server() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    // A large file, so that a reader who takes none of it would pin it in memory if it were read whole.
    fs::create_dir_all(dir.path().join("themes/default/static")).unwrap();
    fs::write(dir.path().join("themes/default/static/big.bin"), vec![b'x'; 8 * 1024 * 1024]).unwrap();
    let server = Server::start(dir.path(), &[]);
    let pid = server.child.id();
    let before = rss_kib(pid);
    // Many readers that ask for the big file and read nothing of it.
    let slow: Vec<TcpStream> = (0..100)
        .filter_map(|_| {
            let mut s = TcpStream::connect(&server.addr).ok()?;
            write!(s, "GET /big.bin HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).ok()?;
            Some(s)
        })
        .collect();
    thread::sleep(Duration::from_secs(2));
    let during = rss_kib(pid);
    if cfg!(target_os = "linux") {
        assert!(
            during < before + 200 * 1024,
            "memory stays bounded: {before} KiB before, {during} KiB with 100 slow readers"
        );
    }
    drop(slow);
    // Connections that never send a request are closed, and the server keeps answering.
    let idle: Vec<TcpStream> = (0..100).filter_map(|_| TcpStream::connect(&server.addr).ok()).collect();
    let mut probe = idle[0].try_clone().unwrap();
    probe.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = Instant::now();
    let mut byte = [0u8; 1];
    let closed = probe.read(&mut byte).map(|n| n == 0).unwrap_or(true);
    assert!(
        closed && started.elapsed() < Duration::from_secs(25),
        "an idle connection is closed: {:?}",
        started.elapsed()
    );
    assert_eq!(server.get("/").0, 200, "the server still answers");
    drop(idle);
    server.stop();
}

#[test]
fn a_save_with_a_time_out_of_range_shows_an_error_and_the_next_save_recovers() {
    let dir = site(&[("2026-03-14-payments.yaml", OUTAGE)]);
    let server = Server::start(dir.path(), &[]);
    let events = server.events();
    let path = dir.path().join("incidents/2026-03-14-payments.yaml");
    save(&path, &OUTAGE.replace("started_at: 2026-03-14T09:12:00+02:00", "started_at: 9999-12-31T23:00:00Z"));
    assert!(wait_for(&events, |l| l == "event: errors", Duration::from_secs(10)).is_some(), "the overlay shows it");
    save(&path, &OUTAGE.replace("Fixed.", "Fixed again."));
    assert!(wait_for(&events, |l| l == "event: reload", Duration::from_secs(10)).is_some(), "the next save rebuilds");
    let (status, page) = server.get("/incidents/2026-03-14-payments/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("Fixed again."));
    server.stop();
}

#[test]
fn serving_a_folder_without_a_site_stops_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--root", dir.path().to_str().unwrap(), "--port", "0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("has no site.yaml") && err.contains("candor init"), "{err}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Serving on"));
}
