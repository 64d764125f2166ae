//! The one narrow door to the network: requests are started, responses come back as they finish.
//!
//! The component implements [`HttpClient`] over wasi:http (several requests in flight, waited
//! for with `wasi:io/poll`); native unit tests implement it with scripted responses and a virtual
//! clock. Nothing else in the plugin knows how bytes travel.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};

/// HTTP methods the Incydr APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        })
    }
}

/// An outgoing request with an absolute URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Reading stops with [`TransportErrorKind::TooLarge`] past this many body bytes.
    pub max_response_bytes: usize,
}

// Written by hand so that an Authorization header can never reach a log or an error text.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k.eq_ignore_ascii_case("authorization") { "<redacted>" } else { v };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// A response whose body has been read completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Broad classes of transport failure, used to decide what is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The host refused to send the request (egress policy).
    Denied,
    /// Connecting or waiting for the response took too long.
    Timeout,
    /// The connection could not be made, or closed before the whole answer arrived.
    Connection,
    /// The response body was larger than allowed.
    TooLarge,
    /// Anything else (invalid URL, protocol error).
    Other,
}

/// A request that did not produce a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    pub kind: TransportErrorKind,
    pub message: String,
}

/// How long a connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long an answer may take to start arriving, and how long it may then stall.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a request failed, in the few classes a person (and the retry logic) cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The host's egress policy refused it.
    Denied,
    /// The name did not resolve.
    NotFound,
    /// Nothing answers at that address.
    Unreachable,
    /// The server refused the connection.
    Refused,
    /// The connection did not open in time.
    ConnectTimeout,
    /// The answer did not come (or stalled) in time.
    NoAnswer,
    /// The connection closed before the answer was complete.
    Closed { while_reading_body: bool },
    /// TLS failed; the text says how.
    Tls(Cow<'static, str>),
    /// The proxy would not carry it; the text says why (and names the proxy).
    Proxy(String),
    /// The answer is larger than allowed.
    TooLarge,
    /// Anything else, in words.
    Other(&'static str),
}

impl TransportError {
    /// The failure in words that name the host, never a type or enum name.
    pub fn describe(failure: Failure, host: &str) -> Self {
        use TransportErrorKind as K;
        let (kind, message) = match failure {
            Failure::Denied => (K::Denied, format!("the host's egress policy does not allow requests to {host}")),
            Failure::NotFound => (K::Connection, format!("{host} could not be found (the name did not resolve)")),
            Failure::Unreachable => (K::Connection, format!("{host} cannot be reached from here")),
            Failure::Refused => (K::Connection, format!("{host} refused the connection")),
            Failure::ConnectTimeout => {
                (K::Timeout, format!("could not connect to {host} within {} s", CONNECT_TIMEOUT.as_secs()))
            }
            Failure::NoAnswer => (K::Timeout, format!("no answer from {host} within {} s", ANSWER_TIMEOUT.as_secs())),
            Failure::Closed { while_reading_body: false } => {
                (K::Connection, format!("the connection to {host} closed before it answered"))
            }
            Failure::Closed { while_reading_body: true } => {
                (K::Connection, format!("the connection to {host} closed before the whole answer arrived"))
            }
            Failure::Tls(how) => (K::Other, format!("the secure (TLS) connection to {host} failed: {how}")),
            Failure::Proxy(why) => (K::Other, format!("the request to {host} did not go through: {why}")),
            Failure::TooLarge => (K::TooLarge, format!("the answer from {host} is larger than allowed")),
            Failure::Other(what) => (K::Other, format!("the request to {host} failed: {what}")),
        };
        TransportError { kind, message }
    }
}

/// Which started request a completion belongs to.
pub type Ticket = u64;

/// The outcome of one request.
pub type Outcome = Result<Response, TransportError>;

/// A transport that may have several requests in flight. Retries, concurrency bounds and
/// ordering are decided above it (`api::batch`); it only moves bytes and tells the time.
pub trait HttpClient {
    /// Starts sending `request`; its outcome is returned by [`HttpClient::wait`] with this ticket.
    fn start(&self, request: &Request) -> Ticket;

    /// Waits until a started request has its whole response (or failed), or until `timeout`
    /// passes (`None`: no limit). `None` when the time ran out or nothing is in flight.
    fn wait(&self, timeout: Option<Duration>) -> Option<(Ticket, Outcome)>;

    /// The clock retries are timed by.
    fn now(&self) -> Instant;

    /// Waits with nothing in flight.
    fn sleep(&self, duration: Duration);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_said_in_words_that_name_the_host() {
        let host = "api.us.code42.com";
        let said = |f: Failure| TransportError::describe(f, host);
        assert_eq!(said(Failure::Refused).message, "api.us.code42.com refused the connection");
        assert_eq!(
            said(Failure::Closed { while_reading_body: false }).message,
            "the connection to api.us.code42.com closed before it answered"
        );
        assert_eq!(said(Failure::NoAnswer).message, "no answer from api.us.code42.com within 60 s");
        assert_eq!(said(Failure::ConnectTimeout).kind, TransportErrorKind::Timeout);
        assert_eq!(said(Failure::Denied).kind, TransportErrorKind::Denied);
        for failure in [
            Failure::Denied,
            Failure::NotFound,
            Failure::Unreachable,
            Failure::Refused,
            Failure::ConnectTimeout,
            Failure::NoAnswer,
            Failure::Closed { while_reading_body: true },
            Failure::Tls("its certificate was not accepted".into()),
            Failure::Proxy("the proxy p:3128 refused to open a tunnel to it".into()),
            Failure::TooLarge,
            Failure::Other("the runtime could not carry it out"),
        ] {
            let message = said(failure).message;
            assert!(message.contains(host), "{message}");
            assert!(!message.contains("::") && !message.contains("ErrorCode"), "{message}");
        }
    }
}
