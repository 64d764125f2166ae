//! Kept connections: one `hyper-util` pooled client per process and [`Network`] (trust and
//! proxy settings), shared by every store, so a process's instances reuse each other's
//! connections to an origin instead of paying TCP and TLS for every request.
//!
//! * HTTP/1.1 keep-alive, and HTTP/2 when the server offers it through ALPN;
//! * idle connections closed after [`IDLE_TIMEOUT`];
//! * a kept connection the server closed while idle is noticed before a request is written on
//!   it, and the request goes out on a new one (hyper-util retries only requests it never sent,
//!   so nothing is repeated; a request that was sent and lost is the guest's to retry or not).
//!
//! How many connections an origin gets is the [`gate`](super::gate)'s business: never more
//! than its requests in flight, of which the guest keeps at most `max_concurrent_requests`.

use super::gate::{Counted, Gate, InFlight};
use super::{Network, proxy, trust};
use bytes::Bytes;
use http::{Request, Response, Uri};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpStream;
use wasmtime_wasi_http::Error as HttpError;

/// How long an unused connection is kept.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long opening a TCP connection may take (to the server, or to the proxy).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

type BoxError = Box<dyn StdError + Send + Sync>;

/// An answer's body as the pool hands it out: the server's, counted at the gate until dropped.
pub(crate) type PoolBody = InFlight<Incoming>;

/// The pools of this process, by network settings.
static POOLS: LazyLock<Mutex<HashMap<Network, Arc<Pool>>>> = LazyLock::new(Default::default);

/// The clients of one [`Network`]: plain HTTP at once, HTTPS on first use (reading the system's
/// trust store costs milliseconds a plain-HTTP process need not pay).
pub(crate) struct Pool {
    network: Network,
    matcher: Option<Arc<Matcher>>,
    gate: Arc<Gate>,
    plain: Client<Routes, Full<Bytes>>,
    tls: OnceLock<Result<Client<HttpsConnector<Routes>, Full<Bytes>>, String>>,
}

/// The pool of `network`, made on first use.
pub(crate) fn pool(network: &Network) -> Arc<Pool> {
    let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(pool) = pools.get(network) {
        return pool.clone();
    }
    let matcher = network.proxies.matcher().map(Arc::new);
    let gate = Arc::new(Gate::default());
    let pool = Arc::new(Pool {
        network: network.clone(),
        plain: client(Routes::new(matcher.clone(), gate.clone())),
        matcher,
        gate,
        tls: OnceLock::new(),
    });
    pools.insert(network.clone(), pool.clone());
    pool
}

fn client<C>(connector: C) -> Client<C, Full<Bytes>>
where
    C: hyper_util::client::legacy::connect::Connect + Clone,
{
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new())
        .timer(TokioTimer::new())
        .build(connector)
}

impl Pool {
    /// Sends `request` on a kept connection or a new one. The answer's body is the server's;
    /// the caller caps and times it.
    pub(crate) async fn send(&self, mut request: Request<Full<Bytes>>) -> Result<Response<PoolBody>, HttpError> {
        let in_flight = self.gate.request(request.uri());
        let https = request.uri().scheme() == Some(&http::uri::Scheme::HTTPS);
        // HTTPS carries the proxy's credentials in its CONNECT (`Routes`); plain HTTP through a
        // proxy carries them in the request itself.
        let proxy = self.matcher.as_ref().filter(|_| !https).and_then(|m| m.intercept(request.uri()));
        if let Some(auth) = proxy.as_ref().and_then(|p| p.basic_auth()) {
            let mut auth = auth.clone();
            auth.set_sensitive(true);
            request.headers_mut().insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let answer = if https {
            match self.tls_client() {
                Ok(client) => client.request(request).await,
                Err(why) => return Err(HttpError::InternalError(Some(format!("tls: {why}")))),
            }
        } else {
            self.plain.request(request).await
        };
        answer.map(|response| response.map(|body| InFlight::new(body, in_flight))).map_err(|e| failure(&e))
    }

    fn tls_client(&self) -> Result<&Client<HttpsConnector<Routes>, Full<Bytes>>, &str> {
        let made = self.tls.get_or_init(|| {
            if self.network.trust.insecure {
                // Said once per process and settings, where the operator reads it.
                eprintln!("warning: TLS certificates are not verified for this instance (insecure = true)");
            }
            let config = self.network.trust.client_config()?;
            let https = hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(config)
                .https_only()
                .enable_http1()
                .enable_http2()
                .wrap_connector(Routes::new(self.matcher.clone(), self.gate.clone()));
            Ok(client(https))
        });
        made.as_ref().map_err(String::as_str)
    }
}

/// Opens the TCP connection under a request: to its server, to the proxy (plain HTTP), or
/// through the proxy's `CONNECT` tunnel (HTTPS, TLS then runs inside the tunnel), once the
/// gate lets the origin have one more connection.
#[derive(Clone)]
struct Routes {
    direct: HttpConnector,
    matcher: Option<Arc<Matcher>>,
    gate: Arc<Gate>,
}

impl Routes {
    fn new(matcher: Option<Arc<Matcher>>, gate: Arc<Gate>) -> Self {
        let mut direct = HttpConnector::new();
        // HTTPS targets come through here too: TLS is the layer above.
        direct.enforce_http(false);
        direct.set_nodelay(true);
        direct.set_connect_timeout(Some(CONNECT_TIMEOUT));
        Routes { direct, matcher, gate }
    }
}

impl tower_service::Service<Uri> for Routes {
    type Response = Routed;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Routed, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let proxy = self.matcher.as_ref().and_then(|m| m.intercept(&target));
        let mut direct = self.direct.clone();
        let gate = self.gate.clone();
        Box::pin(async move {
            let counted = gate.connection(&target).await;
            let Some(proxy) = proxy else {
                return Ok(Routed { io: direct.call(target).await?, via_proxy: false, _at_gate: counted });
            };
            let name = proxy::name(&proxy);
            if target.scheme() == Some(&http::uri::Scheme::HTTPS) {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), direct);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel.call(target).await.map_err(|e| ProxyFailure::of_tunnel(&e.to_string(), &name))?;
                return Ok(Routed { io, via_proxy: false, _at_gate: counted });
            }
            let io = direct.call(proxy.uri().clone()).await.map_err(|_| ProxyFailure::unreachable(&name))?;
            Ok(Routed { io, via_proxy: true, _at_gate: counted })
        })
    }
}

/// Why the proxy did not carry a request, in words that name the proxy (never its credentials).
#[derive(Debug)]
struct ProxyFailure(String);

impl ProxyFailure {
    /// From what hyper-util's tunnel says (its error type is not public, its words are).
    fn of_tunnel(said: &str, proxy: &str) -> Self {
        ProxyFailure(if said.contains("authorization required") {
            format!(
                "the proxy {proxy} asks for credentials (407 Proxy Authentication Required); give them in the \
                 proxy URL as http://user:password@host:port"
            )
        } else if said.contains("unsuccessful") {
            format!("the proxy {proxy} refused to open a tunnel to it")
        } else if said.contains("underlying connection") {
            return Self::unreachable(proxy);
        } else {
            format!("the proxy {proxy} broke off the tunnel")
        })
    }

    fn unreachable(proxy: &str) -> Self {
        ProxyFailure(format!("the proxy {proxy} cannot be reached"))
    }
}

impl std::fmt::Display for ProxyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for ProxyFailure {}

/// A connection, whether requests on it go to a proxy (then in absolute form), and its place
/// at the gate, given back when the connection is dropped.
struct Routed {
    io: TokioIo<TcpStream>,
    via_proxy: bool,
    _at_gate: Counted,
}

impl Connection for Routed {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.via_proxy)
    }
}

impl hyper::rt::Read for Routed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Routed {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// The first error of type `T` in `error`'s chain, looking inside `io::Error`s too (whose
/// `source` skips the error they wrap).
fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref())
            && let Some(found) = find::<T>(inner)
        {
            return Some(found);
        }
        next = e.source();
    }
    None
}

/// A client error as the `wasi:http` error the guest gets. What the codes cannot say (why TLS
/// or the proxy failed) goes as text: see the module documentation of `net`.
fn failure(error: &hyper_util::client::legacy::Error) -> HttpError {
    if let Some(tls) = find::<rustls::Error>(error) {
        return HttpError::InternalError(Some(format!("tls: {}", trust::describe(tls))));
    }
    if let Some(proxy) = find::<ProxyFailure>(error) {
        return HttpError::InternalError(Some(format!("proxy: {proxy}")));
    }
    if error.is_connect() {
        let mut chain = Some(error as &(dyn StdError + 'static));
        while let Some(e) = chain {
            if e.to_string().starts_with("dns error") {
                return HttpError::DnsError { rcode: Some("the name did not resolve".into()), info_code: None };
            }
            chain = e.source();
        }
        return match find::<std::io::Error>(error).map(std::io::Error::kind) {
            Some(std::io::ErrorKind::TimedOut) => HttpError::ConnectionTimeout,
            Some(std::io::ErrorKind::ConnectionRefused) => HttpError::ConnectionRefused,
            Some(std::io::ErrorKind::HostUnreachable | std::io::ErrorKind::NetworkUnreachable) => {
                HttpError::DestinationUnavailable
            }
            _ => HttpError::ConnectionRefused,
        };
    }
    match find::<hyper::Error>(error) {
        Some(e) if e.is_timeout() => HttpError::HttpResponseTimeout,
        Some(e) if e.is_incomplete_message() || e.is_canceled() || e.is_closed() || e.is_body_write_aborted() => {
            HttpError::ConnectionTerminated
        }
        _ => HttpError::HttpProtocolError,
    }
}
