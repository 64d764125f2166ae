//! A scripted [`HttpClient`] for unit tests: answers by method and path (query ignored), hands
//! out numbered tokens, and records every request.

use crate::api::Client;
use crate::http::{HttpClient, Method, Request, Response, TransportError, TransportErrorKind};
use crate::params::{ParamValue, Settings};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;

#[derive(Clone)]
enum Answer {
    Reply(Response),
    Fail(TransportErrorKind),
}

fn reply(status: u16, body: Vec<u8>) -> Answer {
    Answer::Reply(Response { status, headers: vec![], body })
}

#[derive(Default)]
struct State {
    routes: HashMap<(Method, String), VecDeque<Answer>>,
    requests: Vec<Request>,
    tokens_issued: u32,
}

/// Cheap to clone: clones share routes and the request log.
#[derive(Clone, Default)]
pub struct FakeServer(Rc<RefCell<State>>);

impl FakeServer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Always answer `path` with this JSON.
    pub fn on(&self, method: Method, path: &str, status: u16, body: Value) {
        self.on_raw(method, path, status, serde_json::to_vec(&body).unwrap());
    }

    /// Always answer `path` with these bytes.
    pub fn on_raw(&self, method: Method, path: &str, status: u16, body: Vec<u8>) {
        self.0.borrow_mut().routes.insert((method, path.to_string()), VecDeque::from([reply(status, body)]));
    }

    /// Answer `path` with each response in turn; the last one repeats.
    pub fn on_sequence(&self, method: Method, path: &str, answers: Vec<(u16, Value)>) {
        let answers = answers.into_iter().map(|(s, b)| reply(s, serde_json::to_vec(&b).unwrap())).collect();
        self.0.borrow_mut().routes.insert((method, path.to_string()), answers);
    }

    /// Answer `path` with these statuses and headers (empty bodies) in turn.
    pub fn on_sequence_with_headers(&self, method: Method, path: &str, answers: Vec<(u16, Vec<(&str, &str)>)>) {
        let answers = answers
            .into_iter()
            .map(|(status, headers)| {
                let headers = headers.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                Answer::Reply(Response { status, headers, body: vec![] })
            })
            .collect();
        self.0.borrow_mut().routes.insert((method, path.to_string()), answers);
    }

    /// Fail every request to `path` in transport.
    pub fn on_transport_error(&self, method: Method, path: &str, kind: TransportErrorKind) {
        self.0.borrow_mut().routes.insert((method, path.to_string()), VecDeque::from([Answer::Fail(kind)]));
    }

    /// Answer `path` with a file of `tests/fixtures/reference/` (copied from the reference integration).
    pub fn on_fixture(&self, method: Method, path: &str, fixture: &str) {
        self.on(method, path, 200, fixture_json(fixture));
    }

    pub fn requests(&self) -> Vec<Request> {
        self.0.borrow().requests.clone()
    }

    /// Requests other than token requests, as `METHOD path?query`.
    pub fn api_calls(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter(|r| !r.url.contains("/oauth"))
            .map(|r| {
                format!("{} {}", r.method, r.url.split_once("://").unwrap().1.split_once('/').map_or("", |(_, p)| p))
            })
            .map(|s| s.replacen(' ', " /", 1))
            .collect()
    }
}

impl HttpClient for FakeServer {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let mut state = self.0.borrow_mut();
        state.requests.push(request.clone());
        let path = request.url.split_once("://").unwrap().1;
        let path = &path[path.find('/').unwrap_or(path.len())..];
        let path = path.split('?').next().unwrap().to_string();
        if path == "/v1/oauth" || path == "/api/v3/oauth/token" {
            state.tokens_issued += 1;
            let body =
                format!(r#"{{"access_token":"token-{}","token_type":"bearer","expires_in":900}}"#, state.tokens_issued);
            return Ok(Response { status: 200, headers: vec![], body: body.into_bytes() });
        }
        let answer = match state.routes.get_mut(&(request.method, path.clone())) {
            Some(queue) if queue.len() > 1 => queue.pop_front().unwrap(),
            Some(queue) => queue.front().cloned().unwrap(),
            None => reply(404, format!(r#"{{"error":"no route for {} {path}"}}"#, request.method).into_bytes()),
        };
        match answer {
            Answer::Reply(response) if response.body.len() > request.max_response_bytes => {
                Err(TransportError { kind: TransportErrorKind::TooLarge, message: "too large".into() })
            }
            Answer::Reply(response) => Ok(response),
            Answer::Fail(kind) => Err(TransportError { kind, message: format!("simulated {kind:?}") }),
        }
    }
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/reference").join(name)
}

pub fn fixture_json(name: &str) -> Value {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Settings of a tenant at api.us.code42.com with client `key-123` / `s3cret`, plus `extra`.
pub fn settings_with(extra: &[(&str, ParamValue)]) -> Settings {
    let base = [
        ("console_url", ParamValue::Text("console.us.code42.com".into())),
        ("client_id", ParamValue::Text("key-123".into())),
        ("client_secret", ParamValue::Text("s3cret".into())),
    ];
    Settings::from_params(base.iter().chain(extra).map(|(k, v)| (k.to_string(), v.clone()))).unwrap()
}

/// A client of the fake server whose retries record their waits instead of sleeping.
pub fn client(server: &FakeServer) -> Client<FakeServer> {
    client_with(server, &[])
}

pub fn client_with(server: &FakeServer, params: &[(&str, ParamValue)]) -> Client<FakeServer> {
    let retry = crate::api::retry::RetryPolicy { sleep: record_sleep, ..Default::default() };
    Client::new(server.clone(), settings_with(params)).with_retry(retry)
}

/// Answers the session, actor and rule lookups of the reference's alert tests.
pub fn session_server() -> FakeServer {
    let server = FakeServer::new();
    server.on_fixture(Method::Get, "/v1/sessions/sessionid-abc-1", "session_response.json");
    server.on_fixture(Method::Get, "/v1/actors/actor/id/someactorid", "actor_response.json");
    server.on_fixture(Method::Get, "/v2/alert-rules/rule-id-abc-123", "rule_response.json");
    server.on(Method::Post, "/v1/sessions/change-state", 200, serde_json::json!({}));
    server
}

thread_local! {
    static SLEPT: RefCell<Vec<std::time::Duration>> = const { RefCell::new(Vec::new()) };
}

/// A retry sleep that only records how long it would have waited.
pub fn record_sleep(d: std::time::Duration) {
    SLEPT.with(|s| s.borrow_mut().push(d));
}

/// The waits recorded on this thread so far.
pub fn slept() -> Vec<std::time::Duration> {
    SLEPT.with(|s| s.borrow().clone())
}
