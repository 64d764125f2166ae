//! Retries of failed requests, bounded in count and in total time.
//!
//! * 429 is always retried: the server says it did not process the request. `Retry-After`
//!   (seconds or an HTTP date) is honoured, up to a cap.
//! * 502, 503, 504 and broken or timed-out connections are retried only for requests that are
//!   safe to repeat (reads, and writes that set a state rather than add something; see
//!   `Call::idempotent`), with exponential backoff and jitter: the first attempt may have been
//!   processed before the failure.
//! * 401 is not handled here: the client refreshes its token once and sends again.

use crate::http::{HttpClient, Request, Response, TransportError, TransportErrorKind};
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles each time.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts if it would end after this much time since the first attempt.
    pub max_total: Duration,
    /// A longer `Retry-After` is not waited for.
    pub max_retry_after: Duration,
    /// How to wait (replaced in tests).
    pub sleep: fn(Duration),
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_total: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(30),
            sleep: std::thread::sleep,
        }
    }
}

impl RetryPolicy {
    /// Equal jitter: half the exponential delay, plus a random part of the other half.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base_delay.saturating_mul(1 << attempt.saturating_sub(1).min(16)).min(self.max_delay);
        let random = RandomState::new().hash_one(attempt) as f64 / u64::MAX as f64;
        exp / 2 + exp.mul_f64(random / 2.0)
    }
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP date.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO))
}

/// Sends `request`, retrying as the module documentation says. `safe` tells whether repeating
/// the request cannot do harm.
pub fn send(
    http: &impl HttpClient,
    request: &Request,
    safe: bool,
    policy: &RetryPolicy,
) -> Result<Response, TransportError> {
    let started = Instant::now();
    // Counted apart from the clock as well, so the bound holds whatever `sleep` does.
    let mut waited = Duration::ZERO;
    for attempt in 1.. {
        let outcome = http.send(request);
        let wait = match &outcome {
            Ok(r) if r.status == 429 => match retry_after(r) {
                Some(d) if d > policy.max_retry_after => None,
                Some(d) => Some(d),
                None => Some(policy.backoff(attempt)),
            },
            Ok(r) if safe && matches!(r.status, 502..=504) => Some(policy.backoff(attempt)),
            Err(e) if safe && matches!(e.kind, TransportErrorKind::Connection | TransportErrorKind::Timeout) => {
                Some(policy.backoff(attempt))
            }
            _ => None,
        };
        match wait {
            Some(d) if attempt < policy.max_attempts && started.elapsed().max(waited) + d <= policy.max_total => {
                (policy.sleep)(d);
                waited += d;
            }
            _ => return outcome,
        }
    }
    unreachable!("the loop returns")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::{FakeServer, record_sleep, slept};
    use crate::http::Method;
    use serde_json::json;

    fn policy() -> RetryPolicy {
        RetryPolicy { sleep: record_sleep, ..RetryPolicy::default() }
    }

    fn request(method: Method) -> Request {
        Request { method, url: "https://h/x".into(), headers: vec![], body: None, max_response_bytes: 1 << 20 }
    }

    #[test]
    fn retries_5xx_with_growing_jittered_backoff() {
        let server = FakeServer::new();
        server.on_sequence(
            Method::Get,
            "/x",
            vec![(503, json!({})), (502, json!({})), (504, json!({})), (200, json!({}))],
        );
        let r = send(&server, &request(Method::Get), true, &policy()).unwrap();
        assert_eq!(r.status, 200);
        let waits = slept();
        assert_eq!(waits.len(), 3);
        for (i, w) in waits.iter().enumerate() {
            let exp = Duration::from_millis(500) * (1 << i);
            assert!(*w >= exp / 2 && *w <= exp, "wait {i}: {w:?}");
        }
    }

    #[test]
    fn gives_up_after_the_attempt_limit() {
        let server = FakeServer::new();
        server.on(Method::Get, "/x", 503, json!({}));
        assert_eq!(send(&server, &request(Method::Get), true, &policy()).unwrap().status, 503);
        assert_eq!(server.requests().len(), 4);
    }

    #[test]
    fn honours_retry_after_even_for_unsafe_writes() {
        let server = FakeServer::new();
        server.on_sequence_with_headers(Method::Post, "/x", vec![(429, vec![("Retry-After", "2")]), (201, vec![])]);
        let r = send(&server, &request(Method::Post), false, &policy()).unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(slept(), [Duration::from_secs(2)]);
    }

    #[test]
    fn a_retry_after_beyond_the_cap_is_not_waited_for() {
        let server = FakeServer::new();
        server.on_sequence_with_headers(Method::Get, "/x", vec![(429, vec![("Retry-After", "3600")]), (200, vec![])]);
        assert_eq!(send(&server, &request(Method::Get), true, &policy()).unwrap().status, 429);
        assert!(slept().is_empty());
    }

    #[test]
    fn unsafe_writes_are_not_repeated_after_5xx_or_a_broken_connection() {
        let server = FakeServer::new();
        server.on(Method::Post, "/x", 503, json!({}));
        assert_eq!(send(&server, &request(Method::Post), false, &policy()).unwrap().status, 503);
        server.on_transport_error(Method::Post, "/y", TransportErrorKind::Connection);
        let mut req = request(Method::Post);
        req.url = "https://h/y".into();
        assert!(send(&server, &req, false, &policy()).is_err());
        assert_eq!(server.requests().len(), 2);
    }

    #[test]
    fn connection_errors_of_safe_requests_are_retried() {
        let server = FakeServer::new();
        server.on_transport_error(Method::Get, "/x", TransportErrorKind::Timeout);
        let err = send(&server, &request(Method::Get), true, &policy()).unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::Timeout);
        assert_eq!(server.requests().len(), 4);
    }

    #[test]
    fn the_total_time_bounds_the_retries() {
        let server = FakeServer::new();
        server.on(Method::Get, "/x", 503, json!({}));
        let tight = RetryPolicy { max_total: Duration::from_millis(600), ..policy() };
        send(&server, &request(Method::Get), true, &tight).unwrap();
        assert_eq!(server.requests().len(), 2, "the second wait would end past 600 ms");
    }

    #[test]
    fn reads_http_date_retry_after() {
        let later = (chrono::Utc::now() + chrono::Duration::seconds(5)).to_rfc2822();
        let r = Response { status: 429, headers: vec![("Retry-After".into(), later)], body: vec![] };
        let d = retry_after(&r).unwrap();
        assert!(d <= Duration::from_secs(5) && d >= Duration::from_secs(3), "{d:?}");
    }
}
