//! The host's network layer: everything between a guest's `wasi:http` request and the wire.
//!
//! * [`egress`]: the allow-list, the timeouts and the size caps (the `WasiHttpHooks` of a store);
//! * [`trust`]: which server certificates are accepted;
//! * [`proxy`]: which requests go through a proxy, and how;
//! * [`pool`]: kept connections, one pool per process and [`Network`], shared by every instance;
//! * [`gate`]: no more connections to an origin than requests in flight to it.
//!
//! The guest never sees any of it: it asks for `https://api.us.code42.com/...` and gets an
//! answer or a `wasi:http` error code. Failures the codes cannot express (why a certificate was
//! refused, what a proxy said) travel as `internal-error` texts with a `tls: ` or `proxy: `
//! prefix, which the Code42 component words as a sentence naming the host.

mod egress;
mod gate;
mod pool;
mod proxy;
mod trust;

pub use egress::{EgressHooks, EgressPolicy, HttpTimeouts, NetworkClock, Origin};
pub use proxy::Proxies;
pub use trust::Trust;

/// How an instance's requests reach their servers: the certificates it trusts and the proxies
/// it goes through. Instances with equal settings share one connection pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Network {
    pub trust: Trust,
    pub proxies: Proxies,
}
