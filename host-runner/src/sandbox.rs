//! What a guest's store holds and may do: no filesystem, no environment, no sockets, no
//! inherited stdio; memory capped; outbound HTTP only through the egress policy.

use crate::egress::{EgressHooks, EgressPolicy};
use std::time::Duration;
use wasmtime::component::ResourceTable;
use wasmtime::{StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
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

/// The data of a guest's store.
pub struct HostState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    pub(crate) hooks: EgressHooks,
    pub(crate) limits: StoreLimits,
}

impl HostState {
    pub fn new(policy: EgressPolicy, limits: &Limits) -> Self {
        let wasi = WasiCtxBuilder::new()
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .socket_addr_check(|_, _| Box::pin(async { false }))
            .build();
        HostState {
            wasi,
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: EgressHooks { policy, denied: Vec::new() },
            limits: StoreLimitsBuilder::new().memory_size(limits.memory_bytes).trap_on_grow_failure(false).build(),
        }
    }

    /// Requests the egress policy refused in this store.
    pub fn denied_requests(&self) -> &[String] {
        &self.hooks.denied
    }
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
