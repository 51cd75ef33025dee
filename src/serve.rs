//! `candor serve`: a preview server with live reload, for drafting in a crisis.
//!
//! The site is rebuilt on every save (see [`crate::watch`]) and served over
//! HTTP on loopback. Every open tab reloads after a good rebuild; after a bad
//! one the last good site stays served and each tab shows the located errors
//! in an overlay until the file is fixed. The reload script is added to HTML
//! responses on the way out: the files on disk stay exactly as `build` makes them.
//!
//! The server serves drafts, so it defends itself like one that faces a
//! network: it answers only requests whose `Host` names this machine by a
//! loopback name when it listens on loopback (so a page elsewhere cannot read
//! drafts through DNS rebinding), redirects only to paths on itself, holds at
//! most [`MAX_CONNECTIONS`] connections, drops a connection that sends no
//! request within [`HEADER_TIMEOUT`] or reads nothing of its response for
//! [`WRITE_TIMEOUT`], and streams files instead of holding them in memory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use crate::live::{Live, Outcome, Trigger};
use crate::report::say;

/// The URL prefix of the server's own endpoints; no site file can start with it.
const PREFIX: &str = "/__candor";
/// The script that listens for rebuilds; added before `</body>` of served HTML.
const LIVE_JS: &str = include_str!("serve/live.js");

/// The most connections served at once; more wait until one closes.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a connection may take to send a request's headers (or, kept
/// alive, the next request) before it is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response may wait for the reader to take more of it.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// What the browser is told after a rebuild.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    /// The site changed: reload.
    Reload,
    /// The last rebuild failed: show this text.
    Errors(String),
}

/// State shared by the HTTP handlers.
#[derive(Clone)]
struct Shared {
    out: PathBuf,
    events: broadcast::Sender<LiveEvent>,
    errors: Arc<Mutex<Option<String>>>,
    /// Whether only loopback `Host` names are answered.
    loopback_only: bool,
}

/// Where to listen.
#[derive(Clone, Debug)]
pub struct Listen {
    /// The address; loopback unless the user chose otherwise.
    pub addr: SocketAddr,
    /// Open the site in a browser once it is up.
    pub open: bool,
}

/// Serves the site until Ctrl-C, rebuilding on every save.
pub fn run(
    live: Live,
    listen: Listen,
    mut report: impl FnMut(Trigger, &Outcome) + Send + 'static,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let (events, _) = broadcast::channel(64);
    let shared = Shared {
        out: live.out_dir().to_path_buf(),
        events: events.clone(),
        errors: Arc::new(Mutex::new(None)),
        loopback_only: listen.addr.ip().is_loopback(),
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(listen.addr))
        .map_err(|e| format!("cannot listen on {}: {e}", listen.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let running = Arc::new(AtomicBool::new(true));
    let errors = shared.errors.clone();
    let keep_going = running.clone();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let watcher = std::thread::spawn(move || {
        let mut first = Some(ready_tx);
        crate::watch::run(
            live,
            move |trigger, outcome| {
                report(trigger, outcome);
                let event = match outcome {
                    Outcome::Built { .. } => {
                        set(&errors, None);
                        LiveEvent::Reload
                    }
                    Outcome::Failed(failure) => {
                        let text = failure.text();
                        set(&errors, Some(text.clone()));
                        LiveEvent::Errors(text)
                    }
                };
                let _ = events.send(event);
                if let Some(tx) = first.take() {
                    let _ = tx.send(());
                }
            },
            move || keep_going.load(Ordering::Relaxed),
        )
    });
    // Serve only once the first build is on disk.
    let _ = ready_rx.recv();
    let url = format!("http://{local}/");
    say!("Serving on {url} (Ctrl-C to stop); building into {}", shared.out.display());
    if listen.open {
        let _ = opener::open_browser(&url);
    }
    let app = Router::new()
        .route(&format!("{PREFIX}/events"), get(events_stream))
        .route(&format!("{PREFIX}/live.js"), get(live_js))
        .fallback(get(file))
        .layer(axum::middleware::from_fn_with_state(shared.clone(), known_host))
        .with_state(shared);
    let served = runtime.block_on(async move {
        tokio::select! {
            result = accept(listener, app) => result,
            _ = stop_signal() => Ok(()),
        }
    });
    running.store(false, Ordering::Relaxed);
    runtime.shutdown_background();
    drop(watcher);
    served
}

/// Accepts connections and serves each on its own task, with the limits the
/// module describes.
async fn accept(listener: tokio::net::TcpListener, app: Router) -> Result<(), String> {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = slots.clone().acquire_owned().await.map_err(|e| e.to_string())?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors or a connection reset while queued: keep serving the others.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
            stream.set_write_timeout(Some(WRITE_TIMEOUT));
            let io = hyper_util::rt::TokioIo::new(Box::pin(stream));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(io, service);
            let _ = connection.await;
        });
    }
}

/// Answers only requests whose `Host` is a name of this machine on loopback,
/// when the server listens on loopback: a page on another site that points
/// its own name at 127.0.0.1 (DNS rebinding) gets nothing.
async fn known_host(
    State(shared): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    if shared.loopback_only && !is_loopback_host(host) {
        let message = "This preview answers only at localhost or 127.0.0.1.\n";
        return (StatusCode::MISDIRECTED_REQUEST, message).into_response();
    }
    next.run(request).await
}

/// Whether a `Host` header names this machine on loopback: `localhost`
/// (and `*.localhost`), `127.x.x.x` or `[::1]`, with any port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host
            .rsplit_once(':')
            .map_or(host, |(name, port)| if port.chars().all(|c| c.is_ascii_digit()) { name } else { host }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Ctrl-C, or (on Unix) the TERM signal that `kill` and service managers send.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn set(slot: &Mutex<Option<String>>, value: Option<String>) {
    if let Ok(mut guard) = slot.lock() {
        *guard = value;
    }
}

/// Server-sent events: the current state first, then one event per rebuild.
async fn events_stream(
    State(shared): State<Shared>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let current = shared.errors.lock().ok().and_then(|g| g.clone()).map_or(LiveEvent::Reload, LiveEvent::Errors);
    let first = match current {
        LiveEvent::Errors(text) => Some(sse_event(&LiveEvent::Errors(text))),
        LiveEvent::Reload => None,
    };
    let updates = tokio_stream::wrappers::BroadcastStream::new(shared.events.subscribe())
        .filter_map(|e| async move { e.ok().map(|e| sse_event(&e)) });
    let all = stream::iter(first).chain(updates).map(Ok);
    Sse::new(all).keep_alive(KeepAlive::default())
}

fn sse_event(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data("{}"),
        LiveEvent::Errors(text) => {
            Event::default().event("errors").data(serde_json::json!({ "text": text }).to_string())
        }
    }
}

async fn live_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS).into_response()
}

/// Serves a file from the output folder, never from outside it.
async fn file(State(shared): State<Shared>, uri: Uri) -> Response {
    let raw = uri.path();
    let Some(path) = resolve(&shared.out, raw) else {
        return not_found(&shared.out).await;
    };
    if path.is_dir() {
        if !raw.ends_with('/') {
            // Built from the path alone, with one leading slash: `//api` must
            // not become `//api/`, which a browser reads as another host.
            let target = format!("/{}/", raw.trim_start_matches(['/', '\\']));
            return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, target)]).into_response();
        }
        return match send(&path.join("index.html"), StatusCode::OK).await {
            Some(response) => response,
            None => not_found(&shared.out).await,
        };
    }
    match send(&path, StatusCode::OK).await {
        Some(response) => response,
        None => not_found(&shared.out).await,
    }
}

/// Maps a URL path to a file inside `root`, refusing anything that could leave it:
/// `..` and hidden segments, backslashes, NUL, and links pointing outside.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8().ok()?;
    let mut path = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        path.push(segment);
    }
    let real = std::fs::canonicalize(&path).ok()?;
    let base = std::fs::canonicalize(root).ok()?;
    real.starts_with(&base).then_some(real)
}

/// How much of the end of an HTML page is read to find where the reload
/// script goes; the rest of the page is streamed as it is.
const TAIL: u64 = 64 * 1024;

/// The file at `path` as a streamed response, with the reload script added to HTML.
async fn send(path: &Path, status: StatusCode) -> Option<Response> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let mut file = tokio::fs::File::open(path).await.ok()?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let body = if mime.essence_str() == "text/html" {
        // One open file throughout, so a save that replaces the page meanwhile cannot mix two versions.
        let len = file.metadata().await.ok()?.len();
        let head = len.saturating_sub(TAIL);
        file.seek(std::io::SeekFrom::Start(head)).await.ok()?;
        let mut tail = Vec::with_capacity(usize::try_from(len - head).unwrap_or(0));
        (&mut file).take(len - head).read_to_end(&mut tail).await.ok()?;
        file.seek(std::io::SeekFrom::Start(0)).await.ok()?;
        let reader = file.take(head).chain(std::io::Cursor::new(inject(tail)));
        Body::from_stream(tokio_util::io::ReaderStream::new(reader))
    } else {
        Body::from_stream(tokio_util::io::ReaderStream::new(file))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/json"
        || mime.essence_str() == "image/svg+xml"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).ok()?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if mime.essence_str() == "application/json" {
        // As `candor init` has static hosts send it, so `embed.js` can be tried from another origin.
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    }
    Some(response)
}

async fn not_found(out: &Path) -> Response {
    match send(&out.join("404.html"), StatusCode::NOT_FOUND).await {
        Some(response) => response,
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Adds the live-reload script to an HTML page, before `</body>`.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}/live.js\" defer></script>");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("incidents/x")).unwrap();
        std::fs::write(root.join("incidents/x/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert!(resolve(&root, "/incidents/x/index.html").is_some());
        assert!(resolve(&root, "/incidents/x/").is_some());
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/incidents/../../secret.txt",
            "/..%2fsecret.txt",
            "/.candor-output",
            "/a\\..\\b",
            "/nothing.html",
        ] {
            assert!(resolve(&root, bad).is_none(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
            assert!(resolve(&root, "/link.txt").is_none(), "links leading outside are refused");
        }
    }

    #[test]
    fn injects_the_script_before_the_body_ends() {
        let page = inject(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><script src=\"/__candor/live.js\" defer></script></body></html>"
        );
    }
}
