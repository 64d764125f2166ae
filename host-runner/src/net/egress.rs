//! The egress policy: the guest's outgoing HTTP requests reach only the configured origins, with
//! timeouts the host clamps. Everything else is refused with `HttpRequestDenied` before any
//! connection is made, proxy or not: the allow-list judges the target, never the route.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

use super::Network;
use super::pool::{self, Pool, PoolBody};

/// `scheme://host:port`, the unit the policy allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// Parses `host`, `host:port` or `scheme://host[:port]`; `https` when no scheme is written.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => ("https".to_string(), text),
        };
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            other => return Err(format!("unsupported scheme '{other}' in '{text}'")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() || authority.contains(['/', '?', '#', '@']) {
            return Err(format!("'{text}' is not a host with an optional scheme and port"));
        }
        let uri: http::uri::Authority = authority.parse().map_err(|e| format!("'{text}': {e}"))?;
        Ok(Origin { scheme, host: uri.host().to_ascii_lowercase(), port: uri.port_u16().unwrap_or(default_port) })
    }

    fn of_uri(uri: &http::Uri) -> Option<Self> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default_port = if scheme == "https" { 443 } else { 80 };
        Some(Origin { host: uri.host()?.to_ascii_lowercase(), port: uri.port_u16().unwrap_or(default_port), scheme })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// Bounds on the timeouts a guest may ask for.
#[derive(Debug, Clone, Copy)]
pub struct HttpTimeouts {
    pub connect: Duration,
    pub first_byte: Duration,
    pub between_bytes: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        HttpTimeouts {
            connect: Duration::from_secs(15),
            first_byte: Duration::from_secs(60),
            between_bytes: Duration::from_secs(30),
        }
    }
}

/// Which origins a guest may reach, how long a request may wait, how big requests and responses
/// may be, and how requests get there.
#[derive(Debug, Clone)]
pub struct EgressPolicy {
    pub allowed: Vec<Origin>,
    /// Trust and proxies; equal settings share one connection pool in the process.
    pub network: Network,
    pub timeouts: HttpTimeouts,
    pub max_request_bytes: usize,
    /// Largest response with a JSON content type.
    pub max_json_response_bytes: usize,
    /// Largest response of any other type (file downloads).
    pub max_response_bytes: usize,
}

impl Default for EgressPolicy {
    fn default() -> Self {
        EgressPolicy {
            allowed: vec![],
            network: Network::default(),
            timeouts: HttpTimeouts::default(),
            max_request_bytes: 4 * 1024 * 1024,
            max_json_response_bytes: 16 * 1024 * 1024,
            max_response_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The size cap of a response: JSON answers have their own.
fn response_cap((json_cap, other_cap): (usize, usize), headers: &http::HeaderMap) -> usize {
    let content_type = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.contains("json") { json_cap } else { other_cap }
}

impl EgressPolicy {
    pub fn allows(&self, uri: &http::Uri) -> bool {
        Origin::of_uri(uri).is_some_and(|o| self.allowed.contains(&o))
    }

    /// The guest's options with every timeout set and no longer than the host allows.
    fn clamp(&self, options: Option<RequestOptions>) -> RequestOptions {
        let options = options.unwrap_or_default();
        let clamp = |asked: Option<Duration>, max: Duration| Some(asked.map_or(max, |a| a.min(max)));
        RequestOptions {
            connect_timeout: clamp(options.connect_timeout, self.timeouts.connect),
            first_byte_timeout: clamp(options.first_byte_timeout, self.timeouts.first_byte),
            between_bytes_timeout: clamp(options.between_bytes_timeout, self.timeouts.between_bytes),
        }
    }
}

/// The wasi:http hooks of one store.
pub struct EgressHooks {
    policy: EgressPolicy,
    /// The connection pool of `policy.network`, looked up on the first request.
    pool: Option<Arc<Pool>>,
    /// Requests refused so far, as `METHOD scheme://authority/path` (for reports and tests).
    pub denied: Vec<String>,
    /// Time with at least one request waiting for its answer.
    pub network: NetworkClock,
    /// Requests sent (shared by the stores of a service, for its metrics).
    pub sent: Arc<AtomicU64>,
}

/// Wall time spent waiting on the network, overlapping requests counted once: what a call
/// spends "in round trips", to tell it apart from the host's and the guest's own time.
#[derive(Clone, Default)]
pub struct NetworkClock(Arc<Mutex<ClockState>>);

#[derive(Default)]
struct ClockState {
    waiting: usize,
    since: Option<Instant>,
    total: Duration,
}

/// One request waiting for its answer, until dropped (also when the guest gives up on it).
struct Waiting(NetworkClock);

impl Drop for Waiting {
    fn drop(&mut self) {
        let mut s = (self.0).0.lock().unwrap_or_else(|e| e.into_inner());
        s.waiting -= 1;
        if s.waiting == 0 {
            let since = s.since.take().expect("set when the first request began");
            s.total += since.elapsed();
        }
    }
}

impl NetworkClock {
    fn begin(&self) -> Waiting {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if s.waiting == 0 {
            s.since = Some(Instant::now());
        }
        s.waiting += 1;
        Waiting(self.clone())
    }

    /// Time spent waiting so far.
    pub fn total(&self) -> Duration {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

type SendFuture = Box<
    dyn Future<
            Output = Result<
                (http::Response<WasiBody>, Box<dyn Future<Output = Result<(), HttpError>> + Send>),
                HttpError,
            >,
        > + Send,
>;

impl EgressHooks {
    pub fn new(policy: EgressPolicy, sent: Arc<AtomicU64>) -> Self {
        EgressHooks { policy, pool: None, denied: Vec::new(), network: NetworkClock::default(), sent }
    }

    /// Puts a new policy in force (a store reused for another instance).
    pub fn set_policy(&mut self, policy: EgressPolicy) {
        self.pool = None;
        self.policy = policy;
    }

    fn pool(&mut self) -> Arc<Pool> {
        self.pool.get_or_insert_with(|| pool::pool(&self.policy.network)).clone()
    }
}

impl WasiHttpHooks for EgressHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> SendFuture {
        if !self.policy.allows(request.uri()) {
            let uri = request.uri();
            let shown = format!(
                "{} {}://{}{}",
                request.method(),
                uri.scheme_str().unwrap_or("?"),
                uri.authority().map_or("?", |a| a.as_str()),
                uri.path()
            );
            tracing::warn!(request = %shown, "egress denied");
            self.denied.push(shown);
            return Box::new(async { Err(HttpError::HttpRequestDenied) });
        }
        let options = self.policy.clamp(options);
        let max_body = self.policy.max_request_bytes;
        let caps = (self.policy.max_json_response_bytes, self.policy.max_response_bytes);
        let pool = self.pool();
        self.sent.fetch_add(1, Ordering::Relaxed);
        let waiting = self.network.begin();
        Box::new(async move {
            let answer = send_whole(&pool, request, options, max_body, caps).await;
            drop(waiting);
            answer
        })
    }
}

/// Sends a request with its body collected (and capped) on a pooled connection, and caps and
/// times the answer.
async fn send_whole(
    pool: &Pool,
    request: http::Request<WasiBody>,
    options: RequestOptions,
    max_body: usize,
    caps: (usize, usize),
) -> Result<(http::Response<WasiBody>, Box<dyn Future<Output = Result<(), HttpError>> + Send>), HttpError> {
    use http_body_util::{BodyExt, Full, Limited};
    // A guest may start the request before it writes the body, so the body would go out
    // chunked while the server may already answer and close: the client then sees an
    // incomplete message. Requests are small JSON: send them whole, with a length (which also
    // lets the pool send a request again on a new connection when a kept one was closed).
    let (parts, body) = request.into_parts();
    let bytes = Limited::new(body, max_body)
        .collect()
        .await
        .map_err(|_| HttpError::HttpRequestBodySize(Some(max_body as u64)))?
        .to_bytes();
    let request = http::Request::from_parts(parts, Full::new(bytes));
    // Connecting and the first byte share one deadline: a kept connection needs no connecting.
    let deadline = options.connect_timeout.unwrap_or_default() + options.first_byte_timeout.unwrap_or_default();
    let response =
        tokio::time::timeout(deadline, pool.send(request)).await.map_err(|_| HttpError::ConnectionReadTimeout)??;
    // The guest checks sizes too; the host does not rely on it.
    let cap = response_cap(caps, response.headers());
    let announced =
        response.headers().get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > cap as u64) {
        return Err(HttpError::HttpResponseBodySize(announced));
    }
    let between_bytes = options.between_bytes_timeout.unwrap_or_default();
    let response = response.map(|body| {
        Limited::new(BetweenBytes::new(body, between_bytes), cap)
            .map_err(move |e| match e.downcast::<HttpError>() {
                Ok(inner) => *inner,
                Err(_) => HttpError::HttpResponseBodySize(Some(cap as u64)),
            })
            .boxed_unsync()
    });
    // The pool drives the connection: there is no I/O future of the request's own to await.
    Ok((response, Box::new(async { Ok(()) }) as Box<dyn Future<Output = _> + Send>))
}

/// A response body that fails when no bytes arrive for `timeout`.
struct BetweenBytes {
    body: PoolBody,
    timeout: Duration,
    idle: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl BetweenBytes {
    fn new(body: PoolBody, timeout: Duration) -> Self {
        BetweenBytes { body, timeout, idle: Box::pin(tokio::time::sleep(timeout)) }
    }
}

impl http_body::Body for BetweenBytes {
    type Data = bytes::Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, HttpError>>> {
        use std::task::Poll;
        match std::pin::Pin::new(&mut self.body).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                let next = tokio::time::Instant::now() + self.timeout;
                self.idle.as_mut().reset(next);
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) if e.is_timeout() => Poll::Ready(Some(Err(HttpError::HttpResponseTimeout))),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(HttpError::Hyper(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match self.idle.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(HttpError::ConnectionReadTimeout))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(origins: &[&str]) -> EgressPolicy {
        EgressPolicy { allowed: origins.iter().map(|o| Origin::parse(o).unwrap()).collect(), ..Default::default() }
    }

    #[test]
    fn parses_origins_with_default_schemes_and_ports() {
        assert_eq!(Origin::parse("api.us.code42.com").unwrap().to_string(), "https://api.us.code42.com:443");
        assert_eq!(Origin::parse("http://127.0.0.1:8080/").unwrap().to_string(), "http://127.0.0.1:8080");
        assert_eq!(Origin::parse("HTTP://Example.COM").unwrap().to_string(), "http://example.com:80");
        assert!(Origin::parse("ftp://x").is_err());
        assert!(Origin::parse("https://x/path").is_err());
    }

    #[test]
    fn allows_only_the_exact_origins() {
        let p = policy(&["http://127.0.0.1:8080", "api.us.code42.com"]);
        assert!(p.allows(&"http://127.0.0.1:8080/v1/oauth".parse().unwrap()));
        assert!(p.allows(&"https://api.us.code42.com/v1/sessions".parse().unwrap()));
        assert!(p.allows(&"https://API.us.code42.com:443/x".parse().unwrap()));
        for denied in [
            "http://127.0.0.1:8081/",
            "https://127.0.0.1:8080/",
            "http://localhost:8080/",
            "http://api.us.code42.com/",
            "https://api.us.code42.com:8443/",
            "https://evil.example/",
            "https://api.us.code42.com.evil.example/",
        ] {
            assert!(!p.allows(&denied.parse().unwrap()), "{denied}");
        }
    }

    #[test]
    fn clamps_timeouts() {
        let p = policy(&[]);
        let asked = RequestOptions {
            connect_timeout: Some(Duration::from_secs(600)),
            first_byte_timeout: Some(Duration::from_secs(1)),
            between_bytes_timeout: None,
        };
        let got = p.clamp(Some(asked));
        assert_eq!(got.connect_timeout, Some(Duration::from_secs(15)));
        assert_eq!(got.first_byte_timeout, Some(Duration::from_secs(1)));
        assert_eq!(got.between_bytes_timeout, Some(Duration::from_secs(30)));
    }
}
