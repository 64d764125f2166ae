//! [`HttpClient`] over wasi:http: each request is started with `outgoing-handler.handle`, and
//! [`WasiHttp::wait`] polls every request in flight (their response futures, then their body
//! streams) with `wasi:io/poll`, so several requests travel at once in a single-threaded guest.
//!
//! The `wasip2` bindings are used directly rather than `waki` (which sends one request and
//! waits for it) or `wstd` (an async runtime the synchronous core would have to be rewritten
//! around): a poll loop over the raw futures is all concurrency needs here.

use crate::http::{
    ANSWER_TIMEOUT, CONNECT_TIMEOUT, Failure, HttpClient, Method, Outcome, Request, Response, Ticket, TransportError,
};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use wasip2::http::outgoing_handler;
use wasip2::http::types::{
    ErrorCode, Fields, FutureIncomingResponse, IncomingBody, IncomingResponse, Method as WasiMethod, OutgoingBody,
    OutgoingRequest, RequestOptions, Scheme,
};
use wasip2::io::poll::{Pollable, poll};
use wasip2::io::streams::{InputStream, StreamError};

/// Body bytes asked for per read.
const READ_CHUNK: u64 = 64 * 1024;
/// Body bytes per blocking write (wasi:io guarantees at least this much).
const WRITE_CHUNK: usize = 4096;

#[derive(Default)]
pub struct WasiHttp {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    next_ticket: Ticket,
    in_flight: Vec<InFlight>,
    /// Requests that failed before anything was in flight, delivered by the next `wait`.
    failed_at_start: VecDeque<(Ticket, Outcome)>,
}

struct InFlight {
    ticket: Ticket,
    host: String,
    max_bytes: usize,
    stage: Stage,
}

/// Where a request is. Fields drop in declaration order: each pollable before the resource it
/// watches, as wasi:io requires.
enum Stage {
    Waiting {
        ready: Pollable,
        future: FutureIncomingResponse,
    },
    Reading {
        ready: Pollable,
        stream: InputStream,
        _body: IncomingBody,
        _response: IncomingResponse,
        status: u16,
        headers: Vec<(String, String)>,
        data: Vec<u8>,
    },
}

/// What polling a request found.
enum Step {
    Pending,
    Done(Outcome),
}

impl HttpClient for WasiHttp {
    fn start(&self, request: &Request) -> Ticket {
        let mut state = self.state.borrow_mut();
        state.next_ticket += 1;
        let ticket = state.next_ticket;
        let host = host_of(&request.url).to_string();
        match send(request) {
            Ok(future) => {
                let stage = Stage::Waiting { ready: future.subscribe(), future };
                state.in_flight.push(InFlight { ticket, host, max_bytes: request.max_response_bytes, stage });
            }
            Err(failure) => state.failed_at_start.push_back((ticket, Err(TransportError::describe(failure, &host)))),
        }
        ticket
    }

    fn wait(&self, timeout: Option<Duration>) -> Option<(Ticket, Outcome)> {
        let mut state = self.state.borrow_mut();
        if let Some(done) = state.failed_at_start.pop_front() {
            return Some(done);
        }
        if state.in_flight.is_empty() {
            return None;
        }
        let deadline = timeout.map(|t| wasip2::clocks::monotonic_clock::subscribe_duration(t.as_nanos() as u64));
        loop {
            let ready = {
                let mut pollables: Vec<&Pollable> = state.in_flight.iter().map(|f| f.stage.pollable()).collect();
                pollables.extend(deadline.as_ref());
                poll(&pollables)
            };
            let mut timed_out = false;
            for index in ready.into_iter().map(|i| i as usize) {
                if index == state.in_flight.len() {
                    timed_out = true;
                    continue;
                }
                if let Step::Done(outcome) = state.in_flight[index].advance() {
                    let finished = state.in_flight.remove(index);
                    return Some((finished.ticket, outcome));
                }
            }
            if timed_out {
                return None;
            }
        }
    }

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

impl Stage {
    fn pollable(&self) -> &Pollable {
        match self {
            Stage::Waiting { ready, .. } | Stage::Reading { ready, .. } => ready,
        }
    }
}

impl InFlight {
    /// Moves the request on as far as it can go without blocking.
    fn advance(&mut self) -> Step {
        match &mut self.stage {
            Stage::Waiting { future, .. } => {
                let response = match future.get() {
                    None => return Step::Pending,
                    Some(Ok(Ok(response))) => response,
                    Some(Ok(Err(code))) => return self.fail(failure(&code, false)),
                    Some(Err(())) => return self.fail(Failure::Other("the response was already taken")),
                };
                let status = response.status();
                let headers: Vec<(String, String)> = response
                    .headers()
                    .entries()
                    .into_iter()
                    .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
                    .collect();
                let announced = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.trim().parse::<u64>().ok());
                if announced.is_some_and(|n| n > self.max_bytes as u64) {
                    return self.fail(Failure::TooLarge);
                }
                let Ok(body) = response.consume() else {
                    return self.fail(Failure::Other("the response body was already taken"));
                };
                let Ok(stream) = body.stream() else {
                    return self.fail(Failure::Other("the response body stream was already taken"));
                };
                self.stage = Stage::Reading {
                    ready: stream.subscribe(),
                    stream,
                    _body: body,
                    _response: response,
                    status,
                    headers,
                    data: Vec::new(),
                };
                self.advance()
            }
            Stage::Reading { stream, status, headers, data, .. } => loop {
                match stream.read(READ_CHUNK) {
                    Ok(chunk) if chunk.is_empty() => return Step::Pending,
                    Ok(chunk) => {
                        data.extend_from_slice(&chunk);
                        if data.len() > self.max_bytes {
                            return self.fail(Failure::TooLarge);
                        }
                    }
                    Err(StreamError::Closed) => {
                        let response =
                            Response { status: *status, headers: std::mem::take(headers), body: std::mem::take(data) };
                        return Step::Done(Ok(response));
                    }
                    Err(StreamError::LastOperationFailed(e)) => {
                        let failure = match wasip2::http::types::http_error_code(&e) {
                            Some(code) => failure(&code, true),
                            None => Failure::Closed { while_reading_body: true },
                        };
                        return self.fail(failure);
                    }
                }
            },
        }
    }

    fn fail(&self, failure: Failure) -> Step {
        Step::Done(Err(TransportError::describe(failure, &self.host)))
    }
}

/// `host[:port]` of an absolute URL.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// Starts a request and writes its body; the answer comes through the returned future.
fn send(request: &Request) -> Result<FutureIncomingResponse, Failure> {
    let (scheme, rest) = request.url.split_once("://").ok_or(Failure::Other("the URL has no scheme"))?;
    let authority = host_of(&request.url);
    let path = &rest[authority.len()..];
    let path = if path.is_empty() { "/" } else { path };

    let mut fields: Vec<(String, Vec<u8>)> =
        request.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone().into_bytes())).collect();
    if let Some(body) = &request.body {
        // A length lets the server read the body without chunked encoding.
        fields.push(("content-length".into(), body.len().to_string().into_bytes()));
    }
    let headers = Fields::from_list(&fields).map_err(|_| Failure::Other("a request header was refused"))?;
    let outgoing = OutgoingRequest::new(headers);
    let method = match request.method {
        Method::Get => WasiMethod::Get,
        Method::Post => WasiMethod::Post,
        Method::Patch => WasiMethod::Patch,
        Method::Put => WasiMethod::Put,
        Method::Delete => WasiMethod::Delete,
    };
    let scheme = match scheme {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        _ => return Err(Failure::Other("only http and https URLs are supported")),
    };
    let built = outgoing.set_method(&method).is_ok()
        && outgoing.set_scheme(Some(&scheme)).is_ok()
        && outgoing.set_authority(Some(authority)).is_ok()
        && outgoing.set_path_with_query(Some(path)).is_ok();
    if !built {
        return Err(Failure::Other("the URL was refused"));
    }
    let body = outgoing.body().map_err(|()| Failure::Other("the request body was already taken"))?;

    let options = RequestOptions::new();
    // A host may not support a timeout (then its own applies); that is no reason to fail.
    let nanos = |d: Duration| d.as_nanos() as u64;
    let _ = options.set_connect_timeout(Some(nanos(CONNECT_TIMEOUT)));
    let _ = options.set_first_byte_timeout(Some(nanos(ANSWER_TIMEOUT)));
    let _ = options.set_between_bytes_timeout(Some(nanos(ANSWER_TIMEOUT)));

    let future = outgoing_handler::handle(outgoing, Some(options)).map_err(|code| failure(&code, false))?;
    if let Some(bytes) = &request.body {
        let stream = body.write().map_err(|()| Failure::Other("the request body stream was already taken"))?;
        for chunk in bytes.chunks(WRITE_CHUNK) {
            stream.blocking_write_and_flush(chunk).map_err(|_| Failure::Closed { while_reading_body: false })?;
        }
    }
    OutgoingBody::finish(body, None).map_err(|code| failure(&code, false))?;
    Ok(future)
}

/// A wasi:http error code as a [`Failure`]; `reading_body` tells whether the answer had begun.
fn failure(code: &ErrorCode, reading_body: bool) -> Failure {
    use ErrorCode as E;
    match code {
        E::HttpRequestDenied => Failure::Denied,
        E::DnsTimeout | E::DnsError(_) | E::DestinationNotFound => Failure::NotFound,
        E::DestinationUnavailable | E::DestinationIpProhibited | E::DestinationIpUnroutable => Failure::Unreachable,
        E::ConnectionRefused => Failure::Refused,
        E::ConnectionTimeout => Failure::ConnectTimeout,
        E::ConnectionReadTimeout | E::ConnectionWriteTimeout | E::HttpResponseTimeout => Failure::NoAnswer,
        E::ConnectionTerminated | E::ConnectionLimitReached | E::HttpResponseIncomplete | E::HttpProtocolError => {
            Failure::Closed { while_reading_body: reading_body }
        }
        E::TlsProtocolError => Failure::Tls("the TLS handshake failed".into()),
        E::TlsCertificateError => Failure::Tls("its certificate was not accepted".into()),
        E::TlsAlertReceived(_) => Failure::Tls("the server ended it with an alert".into()),
        // What the codes cannot say, the host says in words (see the host's `net` module).
        E::InternalError(Some(text)) if text.starts_with("tls: ") => Failure::Tls(text[5..].to_string().into()),
        E::InternalError(Some(text)) if text.starts_with("proxy: ") => Failure::Proxy(text[7..].to_string()),
        E::HttpResponseBodySize(_) => Failure::TooLarge,
        E::HttpResponseHeaderSectionSize(_)
        | E::HttpResponseHeaderSize(_)
        | E::HttpResponseTrailerSectionSize(_)
        | E::HttpResponseTrailerSize(_) => Failure::Other("the answer's headers are larger than allowed"),
        E::HttpResponseTransferCoding(_) | E::HttpResponseContentCoding(_) => {
            Failure::Other("the answer uses an encoding that cannot be read")
        }
        E::HttpRequestLengthRequired
        | E::HttpRequestBodySize(_)
        | E::HttpRequestMethodInvalid
        | E::HttpRequestUriInvalid
        | E::HttpRequestUriTooLong
        | E::HttpRequestHeaderSectionSize(_)
        | E::HttpRequestHeaderSize(_)
        | E::HttpRequestTrailerSectionSize(_)
        | E::HttpRequestTrailerSize(_) => Failure::Other("the request was refused as malformed or too large"),
        E::HttpUpgradeFailed | E::LoopDetected | E::ConfigurationError | E::InternalError(_) => {
            Failure::Other("the runtime could not carry it out")
        }
    }
}
