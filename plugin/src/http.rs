//! The one narrow door to the network: a request goes in, a response comes out.
//!
//! The component implements [`HttpClient`] with `waki` over wasi:http; native unit tests implement
//! it with recorded responses. Nothing else in the plugin knows how bytes travel.

use std::fmt;

/// HTTP methods the Incydr APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
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
    /// The connection could not be made or broke.
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

/// Sends one request and reads the whole response.
pub trait HttpClient {
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}
