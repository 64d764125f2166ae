//! A scripted [`HttpClient`] for unit tests: answers by method and path (query ignored), hands
//! out numbered tokens, and records every request.

use crate::api::Client;
use crate::http::{HttpClient, Method, Request, Response, TransportError};
use crate::params::{ParamValue, Settings};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;

type Answer = (u16, Vec<u8>);

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
        self.0.borrow_mut().routes.insert((method, path.to_string()), VecDeque::from([(status, body)]));
    }

    /// Answer `path` with each response in turn; the last one repeats.
    pub fn on_sequence(&self, method: Method, path: &str, answers: Vec<(u16, Value)>) {
        let answers = answers.into_iter().map(|(s, b)| (s, serde_json::to_vec(&b).unwrap())).collect();
        self.0.borrow_mut().routes.insert((method, path.to_string()), answers);
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
            None => (404, format!(r#"{{"error":"no route for {} {path}"}}"#, request.method).into_bytes()),
        };
        Ok(Response { status: answer.0, headers: vec![], body: answer.1 })
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

pub fn client(server: &FakeServer) -> Client<FakeServer> {
    Client::new(server.clone(), settings_with(&[]))
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
