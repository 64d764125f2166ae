//! An integration's HTTP face (a `wasi:http/incoming-handler` component configured through
//! `wasi:config/store`) served from warm instances: each request borrows an instance, and the
//! instance goes back to the pool when its call ends, so the integration inside keeps its OAuth
//! token between requests. A call that traps or runs past the deadline discards its instance.

use crate::cache::{self, LoadedFrom};
use crate::instance::describe_trap;
use crate::net::EgressPolicy;
use crate::sandbox::{HostState, Limits};
use anyhow::{Context as _, Result, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime::Store;
use wasmtime::component::Linker;
use wasmtime_wasi_config::{WasiConfig, WasiConfigVariables};
use wasmtime_wasi_http::WasiHttpView;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::{Proxy, ProxyPre};
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

/// How a service is set up.
pub struct ServiceOptions {
    pub cache_dir: Option<PathBuf>,
    pub limits: Limits,
    /// Where the integration may send requests.
    pub policy: EgressPolicy,
    /// What the component reads from `wasi:config/store`.
    pub config: Vec<(String, String)>,
    /// Warm instances at most; each holds its own OAuth token.
    pub instances: usize,
}

/// The answer to a request, head and body.
pub type Answer = http::Response<HyperOutgoingBody>;

#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    pre: ProxyPre<HostState>,
    limits: Limits,
    policy: EgressPolicy,
    config: Vec<(String, String)>,
    idle: Mutex<Vec<Warm>>,
    /// One permit per instance that may exist.
    instances: Arc<Semaphore>,
    /// Requests the integration sent, across every instance.
    sent: Arc<AtomicU64>,
    loaded_from: LoadedFrom,
    _ticker: crate::runtime::EpochTicker,
}

/// An instance between requests.
struct Warm {
    store: Store<HostState>,
    proxy: Proxy,
}

impl Service {
    /// Compiles (or loads from the cache) the component whose SHA-256 is `sha256_hex`.
    pub fn new(component: &[u8], sha256_hex: &str, options: ServiceOptions) -> Result<Self> {
        let engine = crate::runtime::engine()?;
        let (component, loaded_from) = cache::load(&engine, component, sha256_hex, options.cache_dir.as_deref())?;
        let mut linker = Linker::<HostState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        wasmtime_wasi_config::add_to_linker(&mut linker, |state: &mut HostState| WasiConfig::from(&state.config))?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("the component's imports cannot be satisfied")?;
        let pre = ProxyPre::new(pre)
            .map_err(anyhow::Error::from)
            .context("the component does not export wasi:http/incoming-handler")?;
        let ticker = crate::runtime::EpochTicker::start(&engine)?;
        Ok(Service {
            inner: Arc::new(Inner {
                pre,
                limits: options.limits,
                policy: options.policy,
                config: options.config,
                idle: Mutex::new(Vec::new()),
                instances: Arc::new(Semaphore::new(options.instances.max(1))),
                sent: Arc::new(AtomicU64::new(0)),
                loaded_from,
                _ticker: ticker,
            }),
        })
    }

    pub fn loaded_from(&self) -> LoadedFrom {
        self.inner.loaded_from
    }

    /// Requests the integration has sent so far.
    pub fn upstream_requests(&self) -> u64 {
        self.inner.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Answers a request whose body has been read. Waits for a free instance; `Err` when the
    /// component failed before answering (it trapped, or ran out of time).
    pub async fn handle(&self, request: http::Request<Bytes>) -> Result<Answer> {
        let permit = self.inner.instances.clone().acquire_owned().await.expect("the semaphore is never closed");
        let mut warm = match self.take_idle() {
            Some(warm) => warm,
            None => self.instantiate().await?,
        };
        let (parts, body) = request.into_parts();
        let body = Full::new(body)
            .map_err(|never| -> wasmtime_wasi_http::p2::bindings::http::types::ErrorCode { match never {} });
        let request = http::Request::from_parts(parts, body);
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let incoming = warm.store.data_mut().http().new_incoming_request(Scheme::Http, request)?;
        let out = warm.store.data_mut().http().new_response_outparam(sender)?;

        // The call runs in a task of its own: the guest may still be writing the body when the
        // head is answered, and the instance goes back to the pool only once the call ends.
        let service = self.clone();
        let call = tokio::spawn(async move { service.call(warm, incoming, out, permit).await });
        match receiver.await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(code)) => Err(anyhow!("the component answered with an error: {code:?}")),
            Err(_) => Err(match call.await {
                Ok(Err(e)) => e,
                Ok(Ok(())) => anyhow!("the component returned without answering"),
                Err(e) => anyhow!("the call was lost: {e}"),
            }),
        }
    }

    async fn call(
        &self,
        mut warm: Warm,
        incoming: wasmtime::component::Resource<wasmtime_wasi_http::p2::types::HostIncomingRequest>,
        out: wasmtime::component::Resource<wasmtime_wasi_http::p2::types::HostResponseOutparam>,
        permit: OwnedSemaphorePermit,
    ) -> Result<()> {
        let limit = self.inner.limits.call_timeout;
        let handler = warm.proxy.wasi_http_incoming_handler();
        let outcome = tokio::time::timeout(limit, handler.call_handle(&mut warm.store, incoming, out)).await;
        let result = match outcome {
            Ok(Ok(())) => {
                self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()).push(warm);
                Ok(())
            }
            // A trapped or stopped store cannot be used again: it is dropped, with its permit.
            Ok(Err(trap)) => {
                let said = warm.store.data().last_words();
                Err(anyhow!("the component failed: {}", describe_trap(&trap, said, self.inner.limits.memory_bytes)))
            }
            Err(_) => Err(anyhow!("the call did not finish within {limit:?} and was stopped")),
        };
        drop(permit);
        result
    }

    fn take_idle(&self) -> Option<Warm> {
        self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    async fn instantiate(&self) -> Result<Warm> {
        let mut state = HostState::new(self.inner.policy.clone(), &self.inner.limits);
        state.hooks.sent = self.inner.sent.clone();
        state.config = WasiConfigVariables::from_iter(self.inner.config.iter().cloned());
        let mut store = crate::sandbox::store(self.inner.pre.engine(), state);
        let proxy = self.inner.pre.instantiate_async(&mut store).await?;
        Ok(Warm { store, proxy })
    }
}
