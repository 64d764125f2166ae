//! When a failed request is tried again, and after how long.
//!
//! * 429 is always retried: the server says it did not process the request. `Retry-After`
//!   (seconds or an HTTP date) is honoured, up to a cap, and pauses the whole batch.
//! * 502, 503, 504 and connections that failed, timed out or closed before the answer was
//!   complete are retried only for requests that are safe to repeat (reads, and writes that set
//!   a state rather than add something; see `Call::idempotent`), with exponential backoff and
//!   jitter: the first attempt may have been processed before the failure.
//! * 401 is not handled here: the client refreshes its token once and sends again.

use crate::http::{Outcome, Response, TransportErrorKind};
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles each time.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts if it would end after this much time since the request's first attempt.
    pub max_total: Duration,
    /// A longer `Retry-After` is not waited for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_total: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The outcome stands.
    Done,
    /// Try this request again after the delay.
    Retry(Duration),
    /// The server is rate limiting: start nothing for the delay, then try this request again.
    PauseAll(Duration),
}

impl RetryPolicy {
    /// Equal jitter: half the exponential delay, plus a random part of the other half.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base_delay.saturating_mul(1 << attempt.saturating_sub(1).min(16)).min(self.max_delay);
        let random = RandomState::new().hash_one(attempt) as f64 / u64::MAX as f64;
        exp / 2 + exp.mul_f64(random / 2.0)
    }

    /// What follows attempt number `attempt` (from 1) of a request that has been going for
    /// `elapsed`. `safe` tells whether repeating the request cannot do harm.
    pub fn next(&self, outcome: &Outcome, attempt: u32, elapsed: Duration, safe: bool) -> Next {
        let next = match outcome {
            Ok(r) if r.status == 429 => match retry_after(r) {
                Some(d) if d > self.max_retry_after => return Next::Done,
                Some(d) => Next::PauseAll(d),
                None => Next::PauseAll(self.backoff(attempt)),
            },
            Ok(r) if safe && matches!(r.status, 502..=504) => Next::Retry(self.backoff(attempt)),
            Err(e) if safe && matches!(e.kind, TransportErrorKind::Connection | TransportErrorKind::Timeout) => {
                Next::Retry(self.backoff(attempt))
            }
            _ => return Next::Done,
        };
        let wait = match next {
            Next::Retry(d) | Next::PauseAll(d) => d,
            Next::Done => Duration::ZERO,
        };
        if attempt < self.max_attempts && elapsed + wait <= self.max_total { next } else { Next::Done }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::TransportError;

    fn status(status: u16, headers: &[(&str, &str)]) -> Outcome {
        let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Ok(Response { status, headers, body: vec![] })
    }

    fn failed(kind: TransportErrorKind) -> Outcome {
        Err(TransportError { kind, message: "x".into() })
    }

    #[test]
    fn backoff_grows_with_jitter() {
        let p = RetryPolicy::default();
        for attempt in 1..=4 {
            let exp = Duration::from_millis(500) * (1 << (attempt - 1));
            let d = p.backoff(attempt);
            assert!(d >= exp / 2 && d <= exp, "attempt {attempt}: {d:?}");
        }
    }

    #[test]
    fn only_safe_requests_are_retried_after_5xx_or_a_broken_connection() {
        let p = RetryPolicy::default();
        let zero = Duration::ZERO;
        assert!(matches!(p.next(&status(503, &[]), 1, zero, true), Next::Retry(_)));
        assert_eq!(p.next(&status(503, &[]), 1, zero, false), Next::Done);
        assert!(matches!(p.next(&failed(TransportErrorKind::Connection), 1, zero, true), Next::Retry(_)));
        assert_eq!(p.next(&failed(TransportErrorKind::Connection), 1, zero, false), Next::Done);
        assert_eq!(p.next(&failed(TransportErrorKind::Denied), 1, zero, true), Next::Done);
        assert_eq!(p.next(&status(500, &[]), 1, zero, true), Next::Done);
        assert_eq!(p.next(&status(200, &[]), 1, zero, true), Next::Done);
    }

    #[test]
    fn a_429_pauses_for_retry_after_even_for_unsafe_writes() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.next(&status(429, &[("Retry-After", "2")]), 1, Duration::ZERO, false),
            Next::PauseAll(Duration::from_secs(2))
        );
        assert_eq!(p.next(&status(429, &[("Retry-After", "3600")]), 1, Duration::ZERO, true), Next::Done);
    }

    #[test]
    fn attempts_and_total_time_bound_the_retries() {
        let p = RetryPolicy::default();
        assert_eq!(p.next(&status(503, &[]), 4, Duration::ZERO, true), Next::Done);
        assert_eq!(p.next(&status(429, &[("Retry-After", "2")]), 1, Duration::from_secs(59), true), Next::Done);
    }

    #[test]
    fn reads_http_date_retry_after() {
        let later = (chrono::Utc::now() + chrono::Duration::seconds(5)).to_rfc2822();
        let r = Response { status: 429, headers: vec![("Retry-After".into(), later)], body: vec![] };
        let d = retry_after(&r).unwrap();
        assert!(d <= Duration::from_secs(5) && d >= Duration::from_secs(3), "{d:?}");
    }
}
