//! Reading JSON over HTTP for the importers, with ureq (rustls): a connect
//! timeout and an overall one per request, a limit on the size of what is
//! read, waiting and trying again when the server asks to slow down (429,
//! 503 with `Retry-After`), and errors that name the address but never the
//! key (which is only ever sent as a header, and never to another host after
//! a redirect).

use std::time::Duration;

use ureq::Agent;

/// How long connecting may take.
const CONNECT: Duration = Duration::from_secs(15);
/// How long one request may take, from connecting to the last byte.
const OVERALL: Duration = Duration::from_secs(180);
/// The most one response may hold.
const MAX_BYTES: u64 = 512 * 1024 * 1024;
/// How many times a request is tried when the server asks to wait.
const TRIES: u32 = 6;
/// The longest wait a server may ask for.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// An HTTP client with an optional key.
pub struct Client {
    agent: Agent,
    authorization: Option<String>,
}

impl Client {
    /// A client that sends `authorization` as the `Authorization` header, if given.
    pub fn new(authorization: Option<String>) -> Client {
        let agent: Agent = Agent::config_builder()
            .timeout_connect(Some(CONNECT))
            .timeout_global(Some(OVERALL))
            .http_status_as_error(false)
            .user_agent(concat!("candor/", env!("CARGO_PKG_VERSION"), " (import)"))
            .build()
            .into();
        Client { agent, authorization }
    }

    /// The body of `url` as text; `Ok(None)` when the server says it is not there (404).
    pub fn get(&self, url: &str) -> Result<Option<String>, String> {
        for attempt in 1..=TRIES {
            let mut request = self.agent.get(url).header("Accept", "application/json");
            if let Some(value) = &self.authorization {
                request = request.header("Authorization", value);
            }
            let mut response = request.call().map_err(|e| format!("cannot read {url}: {e}"))?;
            let status = response.status().as_u16();
            if matches!(status, 429 | 503) && attempt < TRIES {
                let asked = response
                    .headers()
                    .get("Retry-After")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map_or(Duration::from_secs(u64::from(attempt)), Duration::from_secs);
                std::thread::sleep(asked.min(MAX_WAIT));
                continue;
            }
            return match status {
                200..=299 => response
                    .body_mut()
                    .with_config()
                    .limit(MAX_BYTES)
                    .read_to_string()
                    .map(Some)
                    .map_err(|e| format!("cannot read {url}: {e}")),
                404 => Ok(None),
                401 | 403 => Err(format!(
                    "{url} refused the request ({status}): check the API key and that it may read this page"
                )),
                _ => Err(format!("{url} answered {status}")),
            };
        }
        Err(format!("{url} kept asking to wait; try again later"))
    }
}
