//! Loads, sandboxes and calls SOAR integration components (the `soar:integration` WIT world).
//!
//! A [`Runtime`] holds one engine, the compiled component (cached on disk) and its
//! `InstancePre`; [`Runtime::instance`] makes a [`PluginInstance`] in a store of its own with a
//! memory cap, a wall-clock deadline on every call and an egress allow-list. Its requests go out
//! through [`net`]: kept connections shared by the process, the system's trust, proxies.

pub mod atomic_file;
pub mod bindings;
pub mod cache;
pub mod config;
pub mod error;
pub mod instance;
pub mod launch_spec;
pub mod net;
pub mod runtime;
pub mod sandbox;
pub mod service;
pub mod token_cache;
pub mod xsoar;

pub use error::HostError;
pub use instance::PluginInstance;
pub use net::{EgressPolicy, HttpTimeouts, Network, Origin, Proxies, Trust};
pub use runtime::{Runtime, RuntimeOptions};
pub use sandbox::Limits;

/// The Code42 component, built from `plugin/` for wasm32-wasip2 by this crate's build script.
pub static CODE42_COMPONENT: &[u8] = include_bytes!(env!("CODE42_COMPONENT_PATH"));

/// The SHA-256 of [`CODE42_COMPONENT`] (hex), computed at build time.
pub const CODE42_COMPONENT_SHA256: &str = env!("CODE42_COMPONENT_SHA256");

/// The Code42 integration as an HTTP service: the `service/` adapter (`wasi:http/incoming-handler`,
/// configured through `wasi:config/store`) composed with [`CODE42_COMPONENT`] at build time.
pub static CODE42_HTTP_COMPONENT: &[u8] = include_bytes!(env!("CODE42_HTTP_COMPONENT_PATH"));

/// The SHA-256 of [`CODE42_HTTP_COMPONENT`] (hex), computed at build time.
pub const CODE42_HTTP_COMPONENT_SHA256: &str = env!("CODE42_HTTP_COMPONENT_SHA256");

/// [`CODE42_HTTP_COMPONENT`] for Spin: the same, importing Spin's `wasi:config` (the 2024-09-27
/// draft) instead of wasmtime's `0.2.0-rc.1`; runtimes never match two prerelease versions.
pub static CODE42_SPIN_COMPONENT: &[u8] = include_bytes!(env!("CODE42_SPIN_COMPONENT_PATH"));
