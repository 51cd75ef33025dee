//! An HTTP receiver on loopback that records every request and answers as
//! planned, for tests of what candor delivers. Included with
//! `#[path = "common/receiver.rs"] mod receiver;` by the tests that need it.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// One request a receiver got.
#[derive(Clone, Debug)]
pub struct Got {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Got {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(&name.to_ascii_lowercase()).map_or("", String::as_str)
    }
}

/// How a receiver answers one request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, &'static str)>,
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), delay: Duration::ZERO }
    }
}

#[derive(Clone, Default)]
struct Shared {
    got: Arc<Mutex<Vec<Got>>>,
    plan: Arc<Mutex<VecDeque<Reply>>>,
    slow: Arc<Mutex<Duration>>,
}

/// An HTTP receiver on 127.0.0.1 that records every request.
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Shared,
    _runtime: tokio::runtime::Runtime,
}

impl Receiver {
    pub fn start() -> Receiver {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let shared = Shared::default();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().fallback(receive).with_state(shared.clone());
        runtime.spawn(async move { axum::serve(listener, app).await });
        Receiver { addr, shared, _runtime: runtime }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers the next requests as planned, then 200.
    pub fn plan(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.plan.lock().unwrap().extend(replies);
    }

    /// Makes every unplanned answer wait this long.
    pub fn slow(&self, delay: Duration) {
        *self.shared.slow.lock().unwrap() = delay;
    }

    pub fn got(&self) -> Vec<Got> {
        self.shared.got.lock().unwrap().clone()
    }

    pub fn at(&self, path: &str) -> Vec<Got> {
        self.got().into_iter().filter(|g| g.path == path).collect()
    }
}

async fn receive(State(shared): State<Shared>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let headers = headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let got = Got { path: uri.path().to_owned(), headers, body: body.to_vec(), at: Instant::now() };
    shared.got.lock().unwrap().push(got);
    let slow = *shared.slow.lock().unwrap();
    let reply =
        shared.plan.lock().unwrap().pop_front().unwrap_or(Reply { status: 200, headers: Vec::new(), delay: slow });
    tokio::time::sleep(reply.delay).await;
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), "ok").into_response();
    for (name, value) in reply.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}
