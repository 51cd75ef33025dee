//! Sending with retries: an HTTP POST through `ureq` (rustls, with a timeout
//! on connecting and on the whole request), tried again with backoff when the
//! receiver is busy or unreachable, honouring its `Retry-After`.

use std::time::Duration;

use ureq::Agent;

/// The longest `Retry-After` a run waits for; a receiver asking for more gets the event on the next run.
pub const RETRY_AFTER_LIMIT: Duration = Duration::from_secs(120);

/// How hard a delivery is tried.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Tries in all, at least one.
    pub attempts: u32,
    /// The wait before the first retry, doubled after each.
    pub delay: Duration,
}

/// What one try came to.
#[derive(Debug)]
pub enum Attempt {
    /// Delivered.
    Done,
    /// Worth trying again, after `after` when the receiver said so.
    Retry {
        /// The receiver's `Retry-After`.
        after: Option<Duration>,
        /// What went wrong, in words that name no secret.
        why: String,
    },
    /// Trying again would not help.
    Fail(String),
}

/// A delivery that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong the last time.
    pub why: String,
    /// How many tries were made.
    pub tries: u32,
}

/// Runs `attempt` until it is done, fails for good, or `policy`'s tries are
/// spent, sleeping between tries; returns the number of tries made.
pub fn with_retries(policy: Policy, mut attempt: impl FnMut() -> Attempt) -> Result<u32, Failure> {
    let mut delay = policy.delay;
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt() {
            Attempt::Done => return Ok(tries),
            Attempt::Fail(why) => return Err(Failure { why, tries }),
            Attempt::Retry { why, .. } if tries >= policy.attempts.max(1) => return Err(Failure { why, tries }),
            Attempt::Retry { after: Some(after), why } if after > RETRY_AFTER_LIMIT => {
                let why =
                    format!("{why}; the receiver asked to wait {} s, so it is left for the next run", after.as_secs());
                return Err(Failure { why, tries });
            }
            Attempt::Retry { after, .. } => {
                std::thread::sleep(after.unwrap_or(delay));
                delay = delay.saturating_mul(2);
            }
        }
    }
}

/// An HTTP client for one run.
pub struct Http {
    agent: Agent,
}

impl Http {
    /// A client whose requests give up after `timeout` in all (connecting included).
    pub fn new(timeout: Duration) -> Http {
        let config = Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("candor/", env!("CARGO_PKG_VERSION")))
            .build();
        Http { agent: config.into() }
    }

    /// POSTs `body` to `url` once; `secrets` are removed from any message.
    pub fn post(&self, url: &str, headers: &[(String, String)], body: &[u8], secrets: &[&str]) -> Attempt {
        let mut request = self.agent.post(url);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let scrub = |text: String| scrub(text, secrets);
        match request.send(body) {
            Ok(response) => {
                let status = response.status();
                if status.is_success() {
                    return Attempt::Done;
                }
                let code = status.as_u16();
                let why = format!("the receiver answered {code} {}", status.canonical_reason().unwrap_or(""));
                let why = scrub(why.trim_end().to_owned());
                if code == 408 || code == 425 || code == 429 || status.is_server_error() {
                    let after =
                        response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(retry_after);
                    Attempt::Retry { after, why }
                } else {
                    Attempt::Fail(why)
                }
            }
            Err(error) => transport_failure(&error, url.starts_with("https://"), &scrub),
        }
    }
}

/// What a failure before any answer means; over `https`, data the client
/// cannot read is the TLS handshake failing, which retrying does not mend.
fn transport_failure(error: &ureq::Error, https: bool, scrub: &dyn Fn(String) -> String) -> Attempt {
    use ureq::Error;
    let retry = |why: String| Attempt::Retry { after: None, why };
    match error {
        Error::Timeout(_) => retry("no answer in time (timed out)".into()),
        Error::ConnectionFailed => retry("the connection failed".into()),
        Error::HostNotFound => retry("the host was not found".into()),
        Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => retry("the connection was refused".into()),
        Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => retry("no answer in time (timed out)".into()),
        Error::Io(e) if https && e.kind() == std::io::ErrorKind::InvalidData => {
            Attempt::Fail(scrub(format!("TLS failed: {e}")))
        }
        Error::Io(e) => retry(scrub(format!("the connection failed: {e}"))),
        Error::Rustls(e) => Attempt::Fail(scrub(format!("TLS failed: {e}"))),
        Error::Tls(e) => Attempt::Fail(scrub(format!("TLS failed: {e}"))),
        other => Attempt::Fail(scrub(format!("the request failed: {other}"))),
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = when.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// `text` with every secret (and, for a URL, its path and query) replaced by `***`.
pub fn scrub(mut text: String, secrets: &[&str]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret, "***");
        if let Some((_, rest)) = secret.split_once("://")
            && let Some(slash) = rest.find('/')
            && rest.len() > slash + 1
        {
            text = text.replace(&rest[slash..], "/***");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_until_done_or_out_of_tries() {
        let policy = Policy { attempts: 3, delay: Duration::from_millis(1) };
        let mut n = 0;
        let result = with_retries(policy, || {
            n += 1;
            if n < 3 { Attempt::Retry { after: None, why: "busy".into() } } else { Attempt::Done }
        });
        assert_eq!(result, Ok(3));
        let result = with_retries(policy, || Attempt::Retry { after: None, why: "down".into() });
        assert_eq!(result, Err(Failure { why: "down".into(), tries: 3 }));
        let result = with_retries(policy, || Attempt::Fail("404".into()));
        assert_eq!(result, Err(Failure { why: "404".into(), tries: 1 }));
        let result =
            with_retries(policy, || Attempt::Retry { after: Some(Duration::from_secs(3600)), why: "429".into() });
        assert!(result.is_err_and(|f| f.tries == 1 && f.why.contains("3600 s")));
    }

    #[test]
    fn reads_retry_after_in_seconds_and_as_a_date() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn scrubbing_hides_secrets_and_url_paths() {
        let url = "https://hooks.slack.example/services/T000/B000/XXXX";
        let text = scrub(format!("bad uri {url} and /services/T000/B000/XXXX"), &[url]);
        assert!(!text.contains("XXXX"), "{text}");
    }
}
