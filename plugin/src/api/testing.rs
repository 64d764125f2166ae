//! A scripted [`HttpClient`] for unit tests: answers by method and path (query ignored), hands
//! out numbered tokens, records every request, and keeps a virtual clock, so that answers can
//! take time (per path) and retries can wait without a test ever sleeping.

use crate::api::Client;
use crate::http::{
    Failure, HttpClient, Method, Outcome, Request, Response, Ticket, TransportError, TransportErrorKind,
};
use crate::params::{ParamValue, Settings};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// The virtual clock's zero.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

#[derive(Clone)]
enum Answer {
    Reply(Response),
    Fail(TransportErrorKind),
}

fn reply(status: u16, body: Vec<u8>) -> Answer {
    Answer::Reply(Response { status, headers: vec![], body })
}

/// A started request: its outcome is known at once, and delivered when the clock reaches `done_at`.
struct InFlight {
    ticket: Ticket,
    path: String,
    done_at: Duration,
    outcome: Outcome,
}

#[derive(Default)]
struct State {
    routes: HashMap<(Method, String), VecDeque<Answer>>,
    delays: HashMap<String, Duration>,
    requests: Vec<Request>,
    tokens_issued: u32,
    clock: Duration,
    next_ticket: Ticket,
    in_flight: Vec<InFlight>,
    max_in_flight: usize,
    start_times: Vec<Duration>,
    finish_order: Vec<String>,
    slept: Vec<Duration>,
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

    /// Answers for `path` take this long on the virtual clock.
    pub fn delay(&self, path: &str, delay: Duration) {
        self.0.borrow_mut().delays.insert(path.to_string(), delay);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.0.borrow().requests.clone()
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.0.borrow().max_in_flight
    }

    /// When each request started, on the virtual clock, in start order.
    pub fn start_times(&self) -> Vec<Duration> {
        self.0.borrow().start_times.clone()
    }

    /// Paths in the order their answers were delivered.
    pub fn finish_order(&self) -> Vec<String> {
        self.0.borrow().finish_order.clone()
    }

    /// Virtual time passed so far.
    pub fn elapsed(&self) -> Duration {
        self.0.borrow().clock
    }

    /// Waits with nothing in flight (retry pauses), in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.0.borrow().slept.clone()
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

impl FakeServer {
    fn answer(state: &mut State, request: &Request) -> Outcome {
        let path = path_of(&request.url);
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
                Err(TransportError::describe(Failure::TooLarge, "h"))
            }
            Answer::Reply(response) => Ok(response),
            Answer::Fail(kind) => Err(TransportError { kind, message: format!("simulated {kind:?}") }),
        }
    }
}

/// The path of a URL, without its query.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    let path = &rest[rest.find('/').unwrap_or(rest.len())..];
    path.split('?').next().unwrap().to_string()
}

impl HttpClient for FakeServer {
    fn start(&self, request: &Request) -> Ticket {
        let mut state = self.0.borrow_mut();
        state.requests.push(request.clone());
        let outcome = Self::answer(&mut state, request);
        let path = path_of(&request.url);
        let done_at = state.clock + state.delays.get(&path).copied().unwrap_or_default();
        state.next_ticket += 1;
        let ticket = state.next_ticket;
        let now = state.clock;
        state.start_times.push(now);
        state.in_flight.push(InFlight { ticket, path, done_at, outcome });
        state.max_in_flight = state.max_in_flight.max(state.in_flight.len());
        ticket
    }

    fn wait(&self, timeout: Option<Duration>) -> Option<(Ticket, Outcome)> {
        let mut state = self.0.borrow_mut();
        let next =
            (0..state.in_flight.len()).min_by_key(|&i| (state.in_flight[i].done_at, state.in_flight[i].ticket))?;
        let done_at = state.in_flight[next].done_at;
        if let Some(limit) = timeout.map(|t| state.clock + t).filter(|limit| *limit < done_at) {
            state.clock = limit;
            return None;
        }
        state.clock = state.clock.max(done_at);
        let finished = state.in_flight.remove(next);
        state.finish_order.push(finished.path);
        Some((finished.ticket, finished.outcome))
    }

    fn now(&self) -> Instant {
        *EPOCH + self.0.borrow().clock
    }

    fn sleep(&self, duration: Duration) {
        let mut state = self.0.borrow_mut();
        state.clock += duration;
        state.slept.push(duration);
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

/// A client of the fake server.
pub fn client(server: &FakeServer) -> Client<FakeServer> {
    client_with(server, &[])
}

pub fn client_with(server: &FakeServer, params: &[(&str, ParamValue)]) -> Client<FakeServer> {
    Client::new(server.clone(), settings_with(params))
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
