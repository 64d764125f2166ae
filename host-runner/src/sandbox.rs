//! What a guest's store holds and may do: no filesystem, no environment, no sockets, no
//! inherited stdio; memory capped; outbound HTTP only through the egress policy.

use crate::net::{EgressHooks, EgressPolicy};
use std::time::Duration;
use wasmtime::component::ResourceTable;
use wasmtime::{StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_config::WasiConfigVariables;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// Resource limits of every store.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Linear memory a guest may grow to, in bytes.
    pub memory_bytes: usize,
    /// Wall-clock time one call (test-module, a command, a fetch) may take, HTTP included.
    pub call_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { memory_bytes: 256 * 1024 * 1024, call_timeout: Duration::from_secs(300) }
    }
}

/// What a guest may write to stderr (a panic message, say) before further writes fail.
const STDERR_CAPACITY: usize = 64 * 1024;

/// The data of a guest's store.
pub struct HostState {
    wasi: WasiCtx,
    /// The guest's stderr, kept to explain a trap.
    stderr: MemoryOutputPipe,
    http: WasiHttpCtx,
    table: ResourceTable,
    pub(crate) hooks: EgressHooks,
    pub(crate) limits: StoreLimits,
    /// What the guest reads from `wasi:config/store` (the HTTP face's configuration).
    pub(crate) config: WasiConfigVariables,
}

impl HostState {
    pub fn new(policy: EgressPolicy, limits: &Limits) -> Self {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtxBuilder::new()
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .socket_addr_check(|_, _| Box::pin(async { false }))
            .build();
        HostState {
            wasi,
            stderr,
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: EgressHooks::new(policy, Default::default()),
            // A guest that outgrows its memory traps instead of limping on in an allocator failure.
            limits: StoreLimitsBuilder::new().memory_size(limits.memory_bytes).trap_on_grow_failure(true).build(),
            config: WasiConfigVariables::new(),
        }
    }

    /// What the guest last said on stderr: a Rust panic's `panicked at ...` line and message
    /// when there is one, else its last line.
    pub fn last_words(&self) -> Option<String> {
        let text = String::from_utf8_lossy(&self.stderr.contents()).into_owned();
        let lines: Vec<&str> =
            text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("note: run with")).collect();
        let from = lines.iter().rposition(|l| l.contains("panicked at")).unwrap_or(lines.len().saturating_sub(1));
        let words = lines.get(from..)?.join(" ");
        (!words.is_empty()).then(|| words.chars().take(500).collect())
    }

    /// Wall time this store's requests spent waiting on the network (overlaps counted once).
    pub fn network_time(&self) -> std::time::Duration {
        self.hooks.network.total()
    }

    /// Requests the egress policy refused in this store.
    pub fn denied_requests(&self) -> &[String] {
        &self.hooks.denied
    }
}

/// A store for `state` with its memory cap and epoch yields (so the call deadline can stop a
/// guest that spins).
pub fn store(engine: &wasmtime::Engine, state: HostState) -> wasmtime::Store<HostState> {
    let mut store = wasmtime::Store::new(engine, state);
    store.limiter(|state| &mut state.limits);
    store.epoch_deadline_async_yield_and_update(1);
    store
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.hooks }
    }
}
