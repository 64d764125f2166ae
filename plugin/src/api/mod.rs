//! The Code42 HTTP client: URLs, OAuth bearer tokens, status handling. One module per API
//! family sits beside this one and speaks in terms of paths and JSON.

pub mod actors;
pub mod auth;
pub mod batch;
pub mod cases;
pub mod console;
pub mod file_events;
pub mod files;
pub mod legal_hold;
pub mod pages;
pub mod retry;
pub mod rules;
pub mod sessions;
pub mod users;
pub mod watchlists;

use crate::error::{Error, Result, json_problem};
use crate::http::{HttpClient, Method, Request, Response, TransportError};
use crate::params::{Secret, Settings};
use auth::{Service, Tokens};
use batch::Job;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use retry::RetryPolicy;
use serde::de::DeserializeOwned;
use serde_json::Value;

const USER_AGENT: &str = concat!("Code42-SOAR-Wasm/", env!("CARGO_PKG_VERSION"));

/// Characters escaped inside one path segment (everything that would end or reshape it).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// A value placed inside a URL path, escaped so it stays one segment.
pub fn segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// One API request before authentication.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub service: Service,
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'a str, String)>,
    pub body: Option<Value>,
    /// A file download: any content type, and the download size cap instead of the JSON one.
    pub download: bool,
    /// Whether sending it twice does no harm, so it may be retried after a 5xx or a broken
    /// connection (see `retry`).
    pub idempotent: bool,
}

impl<'a> Call<'a> {
    pub fn get(path: impl Into<String>) -> Self {
        Call {
            service: Service::Gateway,
            method: Method::Get,
            path: path.into(),
            query: vec![],
            body: None,
            download: false,
            idempotent: true,
        }
    }
    /// A POST without a body; not retried unless marked [`Call::idempotent`].
    pub fn post_empty(path: impl Into<String>) -> Self {
        Call { method: Method::Post, idempotent: false, ..Self::get(path) }
    }
    /// A POST; not retried unless marked [`Call::idempotent`].
    pub fn post(path: impl Into<String>, body: Value) -> Self {
        Call { method: Method::Post, body: Some(body), idempotent: false, ..Self::get(path) }
    }
    /// A PATCH; not retried unless marked [`Call::idempotent`].
    pub fn patch(path: impl Into<String>, body: Value) -> Self {
        Call { method: Method::Patch, body: Some(body), idempotent: false, ..Self::get(path) }
    }
    /// A PUT: it sets the whole object, so sending it twice leaves the same object.
    pub fn put(path: impl Into<String>, body: Value) -> Self {
        Call { method: Method::Put, body: Some(body), ..Self::get(path) }
    }
    /// A DELETE: deleting twice leaves the same state, so it may be retried.
    pub fn delete(path: impl Into<String>) -> Self {
        Call { method: Method::Delete, ..Self::get(path) }
    }
    /// Marks a write whose repetition leaves the same result (it sets a state, or only reads).
    pub fn idempotent(self) -> Self {
        Call { idempotent: true, ..self }
    }
    pub fn query(mut self, name: &'a str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }
    pub fn console(self) -> Self {
        Call { service: Service::Console, ..self }
    }
    /// A file download (any content type, the download size cap).
    pub fn download(self) -> Self {
        Call { download: true, ..self }
    }
}

/// An authenticated Code42 client for one instance. Tokens live as long as the client, or longer
/// when the host keeps them ([`Tokens::held`], [`Tokens::adopt`]).
pub struct Client<H> {
    http: H,
    settings: Settings,
    tokens: Tokens,
    retry: RetryPolicy,
}

impl<H: HttpClient> Client<H> {
    pub fn new(http: H, settings: Settings) -> Self {
        Client { http, settings, tokens: Tokens::default(), retry: RetryPolicy::default() }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// Sends a call and decodes its JSON answer.
    pub fn json<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T> {
        self.json_all(std::slice::from_ref(&call)).pop().expect("one call, one result")
    }

    /// Sends calls together and decodes each JSON answer; results in the order of the calls.
    pub fn json_all<T: DeserializeOwned>(&self, calls: &[Call<'_>]) -> Vec<Result<T>> {
        let responses = self.send_all(calls);
        calls.iter().zip(responses).map(|(call, response)| decode(&call.path, &response?)).collect()
    }

    /// Sends two calls together and decodes both JSON answers.
    pub fn json_pair(&self, first: Call<'_>, second: Call<'_>) -> (Result<Value>, Result<Value>) {
        let mut answers = self.json_all(&[first, second]).into_iter();
        let first = answers.next().expect("two calls, two results");
        (first, answers.next().expect("two calls, two results"))
    }

    /// Sends a call with a bearer token; a 401 fetches a new token and sends once more.
    /// Non-2xx answers become errors.
    pub fn send(&self, call: Call<'_>) -> Result<Response> {
        self.send_all(std::slice::from_ref(&call)).pop().expect("one call, one result")
    }

    /// Sends calls that do not depend on each other, at most `max_concurrent_requests` at once,
    /// each retried on its own. Results come in the order of the calls.
    pub fn send_all(&self, calls: &[Call<'_>]) -> Vec<Result<Response>> {
        let mut results: Vec<Option<Result<Response>>> = calls.iter().map(|_| None).collect();
        let mut todo: Vec<usize> = (0..calls.len()).collect();
        for refreshed in [false, true] {
            let mut jobs = Vec::with_capacity(todo.len());
            let mut sent = Vec::with_capacity(todo.len());
            for &i in &todo {
                match self.tokens.bearer(calls[i].service, &self.http, &self.settings, &self.retry, false) {
                    Ok(token) => {
                        jobs.push(Job { request: self.request(&calls[i], &token), safe: calls[i].idempotent });
                        sent.push(i);
                    }
                    Err(e) => results[i] = Some(Err(e)),
                }
            }
            let outcomes = batch::send_all(&self.http, &jobs, self.settings.max_concurrent_requests, &self.retry);
            let mut unauthorized = Vec::new();
            for (i, outcome) in sent.into_iter().zip(outcomes) {
                match outcome {
                    Ok(r) if r.status == 401 && !refreshed => unauthorized.push(i),
                    other => {
                        let call = &calls[i];
                        results[i] =
                            Some(other.map_err(transport_error).and_then(|r| check_status(call.method, &call.path, r)));
                    }
                }
            }
            // A token expired early or was revoked: one fresh token, one more try.
            for &i in &unauthorized {
                self.tokens.forget(calls[i].service);
            }
            todo = unauthorized;
            if todo.is_empty() {
                break;
            }
        }
        results.into_iter().map(|r| r.expect("every call has a result")).collect()
    }

    fn request(&self, call: &Call<'_>, token: &Secret) -> Request {
        let mut headers = vec![
            ("Authorization".to_string(), format!("Bearer {}", token.expose())),
            ("Accept".to_string(), if call.download { "*/*" } else { "application/json" }.to_string()),
            ("User-Agent".to_string(), USER_AGENT.to_string()),
        ];
        let body = call.body.as_ref().map(|b| serde_json::to_vec(b).expect("a JSON value always serialises"));
        if body.is_some() {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
        }
        Request {
            method: call.method,
            url: self.url(call),
            headers,
            body,
            max_response_bytes: if call.download {
                self.settings.max_download_bytes
            } else {
                self.settings.max_json_bytes
            },
        }
    }

    fn url(&self, call: &Call<'_>) -> String {
        let base = match call.service {
            Service::Gateway => &self.settings.api,
            Service::Console => &self.settings.console,
        };
        let mut url = format!("{base}{}", call.path);
        if !call.query.is_empty() {
            let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(call.query.iter()).finish();
            url.push('?');
            url.push_str(&query);
        }
        url
    }
}

/// A transport failure as the integration reports it (the transport's text already says what
/// happened, and to which host).
pub fn transport_error(err: TransportError) -> Error {
    Error::Transport(format!("Error contacting Code42: {}", err.message))
}

/// Turns a non-2xx response into the matching error, with the start of the body for context.
fn check_status(method: Method, path: &str, response: Response) -> Result<Response> {
    if response.is_success() {
        return Ok(response);
    }
    let status = response.status;
    let detail = body_excerpt(&response.body);
    let message = format!("{status} Response Error: {} for {method} {path}{detail}", reason(status));
    Err(match status {
        401 | 403 => Error::Unauthorized(message),
        404 => Error::NotFound(message),
        _ => Error::Upstream { status, message },
    })
}

pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let mut excerpt: String = text.chars().take(500).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    format!(": {excerpt}")
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// An answer where 404 means "there is none".
pub fn found<T>(result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Decodes a JSON body; a malformed body is an upstream error, never a panic.
pub fn decode<T: DeserializeOwned>(path: &str, response: &Response) -> Result<T> {
    serde_json::from_slice(&response.body).map_err(|e| Error::Upstream {
        status: response.status,
        message: format!("Code42 sent a response to {path} that could not be read: {}", json_problem(&e)),
    })
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn gets_a_gateway_token_with_basic_auth_and_reuses_it() {
        let server = FakeServer::new();
        server.on(Method::Get, "/v1/actors/actor/search", 200, json!({"actors": []}));
        let client = client(&server);
        let _: Value = client.json(Call::get("/v1/actors/actor/search").query("pageSize", 1)).unwrap();
        let _: Value = client.json(Call::get("/v1/actors/actor/search")).unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 3, "{requests:?}");
        assert_eq!(requests[0].method, Method::Post);
        assert_eq!(requests[0].url, "https://api.us.code42.com/v1/oauth");
        // base64("key-123:s3cret")
        assert_eq!(header(&requests[0], "authorization"), Some("Basic a2V5LTEyMzpzM2NyZXQ="));
        assert_eq!(requests[1].url, "https://api.us.code42.com/v1/actors/actor/search?pageSize=1");
        assert_eq!(header(&requests[1], "authorization"), Some("Bearer token-1"));
        assert_eq!(header(&requests[2], "authorization"), Some("Bearer token-1"));
    }

    #[test]
    fn a_401_refreshes_the_token_once() {
        let server = FakeServer::new();
        server.on_sequence(Method::Get, "/v1/sessions/x", vec![(401, json!({})), (200, json!({"ok": 1}))]);
        let client = client(&server);
        let v: Value = client.json(Call::get("/v1/sessions/x")).unwrap();
        assert_eq!(v, json!({"ok": 1}));
        let auths: Vec<_> = server.requests().iter().map(|r| header(r, "authorization").unwrap().to_string()).collect();
        assert_eq!(
            auths,
            ["Basic a2V5LTEyMzpzM2NyZXQ=", "Bearer token-1", "Basic a2V5LTEyMzpzM2NyZXQ=", "Bearer token-2"]
        );
    }

    #[test]
    fn a_second_401_is_unauthorized() {
        let server = FakeServer::new();
        server.on(Method::Get, "/v1/sessions/x", 401, json!({}));
        let err = client(&server).json::<Value>(Call::get("/v1/sessions/x")).unwrap_err();
        assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
        assert_eq!(server.requests().len(), 4);
    }

    #[test]
    fn statuses_map_to_error_kinds_and_bodies_to_upstream_errors() {
        let server = FakeServer::new();
        server.on(Method::Get, "/a", 404, json!({"error": "gone"}));
        server.on(Method::Get, "/b", 500, json!({}));
        server.on_raw(Method::Get, "/c", 200, b"{\"items\": [".to_vec());
        let client = client(&server);
        assert!(matches!(client.json::<Value>(Call::get("/a")), Err(Error::NotFound(m)) if m.contains("gone")));
        assert!(matches!(client.json::<Value>(Call::get("/b")), Err(Error::Upstream { status: 500, .. })));
        let err = client.json::<Value>(Call::get("/c")).unwrap_err();
        assert!(err.to_string().contains("could not be read"), "{err}");
    }

    #[test]
    fn console_calls_use_the_console_token() {
        let server = FakeServer::new();
        server.on(Method::Get, "/api/v1/Org", 200, json!({"orgs": []}));
        let client = client(&server);
        let _: Value = client.json(Call::get("/api/v1/Org").console()).unwrap();
        let requests = server.requests();
        assert_eq!(requests[0].url, "https://console.us.code42.com/api/v3/oauth/token?grant_type=client_credentials");
        assert_eq!(requests[1].url, "https://console.us.code42.com/api/v1/Org");
    }

    #[test]
    fn answers_over_the_size_cap_are_refused() {
        let server = FakeServer::new();
        server.on_raw(Method::Get, "/big", 200, vec![b' '; 1024 * 1024 + 1]);
        let client = client_with(&server, &[("max_response_mib", crate::params::ParamValue::Integer(1))]);
        let err = client.json::<Value>(Call::get("/big")).unwrap_err();
        assert!(matches!(&err, Error::Transport(m) if m.ends_with("is larger than allowed")), "{err:?}");
        assert!(client.send(Call::get("/big").download()).is_ok(), "downloads have their own cap (64 MiB)");
    }

    #[test]
    fn writes_are_retried_only_when_marked_idempotent() {
        for (call, retried) in [(Call::post("/w", json!({})), false), (Call::post("/w", json!({})).idempotent(), true)]
        {
            let server = FakeServer::new();
            server.on_sequence(Method::Post, "/w", vec![(503, json!({})), (200, json!({}))]);
            assert_eq!(client(&server).send(call).is_ok(), retried);
            assert_eq!(server.api_calls().len(), if retried { 2 } else { 1 });
        }
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(segment("a@b.com"), "a@b.com");
        assert_eq!(segment("../x y?z#"), "..%2Fx%20y%3Fz%23");
    }
}
