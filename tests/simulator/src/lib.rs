//! A simulator of the Code42 Incydr API on loopback: the API gateway (`/v1`, `/v2`) and the
//! console endpoints the integration uses (`/api/...`), on two ports, sharing one seeded tenant.
//!
//! Tests drive it in-process through [`Simulator`]; run alone (`cargo run -p incydr-sim -- --port 0`)
//! it prints its URLs and credentials and takes the same controls over HTTP under `/_sim/`.

pub mod auth;
pub mod faults;
mod routes;
pub mod tenant;

use auth::Tokens;
use faults::{Fault, FaultRule};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tenant::{SessionSpec, Tenant};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the simulated tenant looks like and how it authenticates.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    /// Alert sessions generated at start.
    pub sessions: usize,
    /// The anchor of generated times (epoch ms); the sessions fall in the ten days before it.
    pub now_ms: i64,
    pub client_id: String,
    pub client_secret: String,
    /// Token lifetime announced by the token endpoints.
    pub token_ttl: Duration,
    /// Ports to bind on 127.0.0.1; 0 picks a free one.
    pub gateway_port: u16,
    pub console_port: u16,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            sessions: 60,
            now_ms: chrono::Utc::now().timestamp_millis(),
            client_id: "key-simulated-client".into(),
            client_secret: "simulated-secret".into(),
            token_ttl: Duration::from_secs(900),
            gateway_port: 0,
            console_port: 0,
        }
    }
}

/// One request the simulator received.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub service: &'static str,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The bearer token presented, if any (the simulator's own, never a client secret).
    pub bearer: Option<String>,
    /// The status answered; 0 when the connection was closed without an answer.
    pub status: u16,
}

/// State shared by both listeners.
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    pub(crate) tenant: Mutex<Tenant>,
    pub(crate) rng: Mutex<ChaCha8Rng>,
    pub(crate) tokens: Mutex<Tokens>,
    pub(crate) faults: Mutex<Vec<FaultRule>>,
    pub(crate) log: Mutex<Vec<RequestRecord>>,
    pub(crate) in_flight: InFlight,
}

/// Requests being answered right now, and the most there have been at once.
#[derive(Default)]
pub(crate) struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl InFlight {
    /// Counts a request in until the guard drops.
    pub(crate) fn enter(&self) -> InFlightGuard<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        InFlightGuard(self)
    }
}

pub(crate) struct InFlightGuard<'a>(&'a InFlight);

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not take the simulator down with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running simulator. Dropping it stops both listeners.
pub struct Simulator {
    shared: Arc<Shared>,
    pub gateway: SocketAddr,
    pub console: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Simulator {
    /// Generates the tenant and starts serving; must run inside a tokio runtime.
    pub async fn start(config: SimConfig) -> anyhow::Result<Self> {
        let (tenant, rng) = tenant::generate(config.seed, config.now_ms, config.sessions);
        let gateway_listener = TcpListener::bind(("127.0.0.1", config.gateway_port)).await?;
        let console_listener = TcpListener::bind(("127.0.0.1", config.console_port)).await?;
        let shared = Arc::new(Shared {
            config,
            tenant: Mutex::new(tenant),
            rng: Mutex::new(rng),
            tokens: Mutex::new(Tokens::default()),
            faults: Mutex::new(vec![]),
            log: Mutex::new(vec![]),
            in_flight: InFlight::default(),
        });
        let gateway = gateway_listener.local_addr()?;
        let console = console_listener.local_addr()?;
        // HTTP/1.1, and HTTP/2 with prior knowledge, which is what a TLS front that negotiated
        // `h2` passes on.
        let serve = |listener: TcpListener, app: axum::Router| {
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!(error = %e, "simulator listener stopped");
                }
            })
        };
        let tasks = vec![
            serve(gateway_listener, routes::gateway(shared.clone())),
            serve(console_listener, routes::console(shared.clone())),
        ];
        Ok(Simulator { shared, gateway, console, tasks })
    }

    /// `http://127.0.0.1:<port>` of the API gateway.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.gateway)
    }

    /// `http://127.0.0.1:<port>` of the console.
    pub fn console_url(&self) -> String {
        format!("http://{}", self.console)
    }

    pub fn client_id(&self) -> &str {
        &self.shared.config.client_id
    }

    pub fn client_secret(&self) -> &str {
        &self.shared.config.client_secret
    }

    /// The tenant, for reading expected values or changing it between calls.
    pub fn tenant(&self) -> MutexGuard<'_, Tenant> {
        lock(&self.shared.tenant)
    }

    /// Adds an alert session (with file events) and returns its id.
    pub fn add_session(&self, spec: SessionSpec) -> String {
        let mut rng = lock(&self.shared.rng);
        tenant::add_session(&mut self.tenant(), &mut rng, &spec)
    }

    /// A Code42 analyst changes a session's state in the console.
    pub fn change_state(&self, session_id: &str, state: &str, analyst: &str) {
        assert!(self.tenant().change_state(session_id, state, Some(analyst)), "no session {session_id}");
    }

    /// A Code42 analyst adds a note to a session in the console.
    pub fn add_note(&self, session_id: &str, content: &str, analyst: &str) {
        assert!(self.tenant().add_note(session_id, content, analyst).is_some(), "no session {session_id}");
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Applies `fault` to the next `times` requests whose path starts with `path_prefix`.
    pub fn inject(&self, path_prefix: &str, fault: Fault, times: u32) {
        lock(&self.shared.faults).push(FaultRule { path_prefix: path_prefix.to_string(), fault, remaining: times });
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The most requests (of both listeners) that were being answered at once since the last
    /// reset.
    pub fn max_in_flight(&self) -> usize {
        self.shared.in_flight.most.load(Ordering::SeqCst)
    }

    pub fn reset_max_in_flight(&self) {
        self.shared.in_flight.most.store(0, Ordering::SeqCst);
    }

    /// Makes every token issued so far invalid, as if it had expired.
    pub fn expire_tokens(&self) {
        lock(&self.shared.tokens).expire_all();
    }

    /// Tokens issued so far (gateway and console).
    pub fn tokens_issued(&self) -> usize {
        lock(&self.shared.tokens).issued()
    }
}

pub(crate) use lock as lock_shared;
