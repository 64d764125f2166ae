//! `code42 serve`: the HTTP face of the Code42 component, served from warm instances with the
//! sandbox of `code42 run` (egress allow-list, memory cap, deadlines), an access log on stderr,
//! Prometheus metrics at `/metrics`, a bound on requests in flight, and a graceful stop on
//! SIGINT/SIGTERM.

use super::{Cli, Failure, Host, stop_requested};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use clap::Args;
use host_runner::service::{Service, ServiceOptions};
use http_body_util::BodyExt;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

/// How long a request waits for a place when `--max-concurrency` are in flight.
const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How long a client may take to send its body.
const BODY_WAIT: Duration = Duration::from_secs(10);
/// The component answers 413 past 1 MiB; one byte more is all it needs to see.
const BODY_READ_LIMIT: usize = 1024 * 1024 + 1;
/// Past the limit the body is still read (and dropped) up to this much, so that a client still
/// sending gets the 413 rather than a reset connection.
const BODY_DRAIN_LIMIT: usize = 16 * 1024 * 1024;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one; the first line on stdout says which).
    #[arg(long, default_value = "127.0.0.1:8042")]
    addr: SocketAddr,
    /// Requests in flight at most; beyond, a request waits up to 2 s, then gets 503 with Retry-After.
    #[arg(long, default_value_t = 64)]
    max_concurrency: usize,
    /// Warm instances of the component; each keeps its own OAuth token for its lifetime.
    #[arg(long, default_value_t = 8)]
    instances: usize,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabel, Histogram>,
    upstream: Counter,
    /// The upstream count at the last scrape, to add only what is new.
    upstream_seen: AtomicU64,
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("code42");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        let upstream = Counter::default();
        registry.register("http_requests", "Requests answered, by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer, by route", latency.clone());
        registry.register("upstream_requests", "Requests the integration sent to Code42", upstream.clone());
        Metrics { registry, requests, latency, upstream, upstream_seen: AtomicU64::new(0) }
    }
}

struct Server {
    service: Service,
    metrics: Metrics,
    admission: Arc<Semaphore>,
    /// SHA-256 of the service token, for `/metrics`; `None` when none is configured.
    token_digest: Option<[u8; 32]>,
}

pub async fn run(cli: &Cli, args: &ServeArgs) -> Result<(), Failure> {
    if cli.component.is_some() {
        return Err(Failure::usage("serve serves the built-in HTTP face; --component does not apply"));
    }
    // The configuration is checked against the integration before anything listens.
    let host = Host::load(cli)?;
    let (_, _, config) = host.instance_with_config(cli).await?;
    if config.service_token.is_none() {
        eprintln!(
            "warning: no service_token (in the configuration or CODE42_SERVICE_TOKEN): every route but /healthz \
             answers 503 until one is set"
        );
    }
    let options = ServiceOptions {
        cache_dir: host.cache_dir.clone(),
        limits: host.runtime.limits(),
        policy: super::egress_policy(&config)?,
        config: config.as_text(),
        instances: args.instances,
    };
    let service = Service::new(host_runner::CODE42_HTTP_COMPONENT, host_runner::CODE42_HTTP_COMPONENT_SHA256, options)?;
    let server = Arc::new(Server {
        service,
        metrics: Metrics::new(),
        admission: Arc::new(Semaphore::new(args.max_concurrency.max(1))),
        token_digest: config.service_token.as_deref().map(|t| Sha256::digest(t.as_bytes()).into()),
    });
    let app = Router::new()
        .route("/metrics", get(metrics))
        .fallback(forward)
        .layer(axum::middleware::from_fn_with_state(server.clone(), record))
        .with_state(server);

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| Failure::usage(format!("Cannot listen on {}: {e}", args.addr)))?;
    let bound = listener.local_addr().map_err(|e| Failure::usage(format!("Cannot read the bound address: {e}")))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on http://{bound}").and_then(|()| out.flush());
    drop(out);
    axum::serve(listener, app)
        // SIGINT or SIGTERM: stop accepting, let requests in flight finish.
        .with_graceful_shutdown(stop_requested())
        .await
        .map_err(|e| Failure::failed(format!("The server stopped: {e}")))
}

/// The route of a path, for metrics: the contract's routes, one label for every command.
fn route_label(path: &str) -> String {
    match path {
        "/healthz" | "/v1/manifest" | "/openapi.json" | "/v1/test-module" | "/v1/fetch-incidents" | "/metrics" => {
            path.to_string()
        }
        p if p.starts_with("/v1/commands/") => "/v1/commands/{command}".to_string(),
        _ => "other".to_string(),
    }
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (status, axum::Json(json!({"error": {"kind": kind, "message": message}}))).into_response()
}

/// One access-log line and the metrics of every request.
async fn record(State(server): State<Arc<Server>>, request: Request, next: axum::middleware::Next) -> Response {
    let started = Instant::now();
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let route = route_label(&path);
    server.metrics.requests.get_or_create(&RequestLabels { route: route.clone(), status }).inc();
    server.metrics.latency.get_or_create(&RouteLabel { route }).observe(started.elapsed().as_secs_f64());
    // Never a query, a body or a header.
    eprintln!("{method} {path} {status} {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    response
}

/// Everything but `/metrics` goes to the component.
async fn forward(State(server): State<Arc<Server>>, request: Request) -> Response {
    match tokio::time::timeout(QUEUE_WAIT, server.admission.clone().acquire_owned()).await {
        Err(_) => {
            let mut busy =
                error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Too many requests in flight; retry shortly");
            busy.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            busy
        }
        Ok(permit) => {
            let _permit = permit.expect("the semaphore is never closed");
            answer(&server, request).await
        }
    }
}

async fn answer(server: &Server, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout(BODY_WAIT, read_body(body)).await {
        Ok(Ok(body)) => body,
        Ok(Err(message)) => return error(StatusCode::BAD_REQUEST, "invalid-argument", &message),
        Err(_) => {
            let message = format!("The request body did not arrive within {} s", BODY_WAIT.as_secs());
            return error(StatusCode::REQUEST_TIMEOUT, "timeout", &message);
        }
    };
    match server.service.handle(http::Request::from_parts(parts, body)).await {
        Ok(answer) => answer.map(|body| Body::new(body.map_err(|e| format!("{e:?}")))),
        Err(e) => {
            eprintln!("error: {e:#}");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The integration failed; the error is in the log")
        }
    }
}

/// The body, cut one byte past what the component accepts (it answers 413 then).
async fn read_body(mut body: Body) -> Result<Bytes, String> {
    let (mut data, mut seen) = (Vec::new(), 0);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("The request body could not be read: {e}"))?;
        if let Ok(chunk) = frame.into_data() {
            seen += chunk.len();
            if data.len() < BODY_READ_LIMIT {
                data.extend_from_slice(&chunk[..chunk.len().min(BODY_READ_LIMIT - data.len())]);
            }
            if seen > BODY_DRAIN_LIMIT {
                break;
            }
        }
    }
    Ok(Bytes::from(data))
}

/// Prometheus metrics, behind the same bearer token as the component's routes.
async fn metrics(State(server): State<Arc<Server>>, request: Request) -> Response {
    let Some(expected) = server.token_digest else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The service is not configured: set service_token",
        );
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| Sha256::digest(t.trim().as_bytes()));
    if !given.is_some_and(|g| bool::from(g.as_slice().ct_eq(&expected))) {
        let mut denied = error(StatusCode::UNAUTHORIZED, "unauthorized", "A valid bearer token is required");
        denied.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return denied;
    }
    let metrics = &server.metrics;
    let sent = server.service.upstream_requests();
    let before = metrics.upstream_seen.swap(sent, Ordering::Relaxed);
    metrics.upstream.inc_by(sent.saturating_sub(before));
    let mut text = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &metrics.registry) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &format!("encoding the metrics: {e}"));
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text).into_response()
}
