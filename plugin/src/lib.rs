//! The Code42 (Incydr) SOAR integration.
//!
//! Everything except [`component`] is plain Rust that builds and unit-tests on the host target;
//! `component` holds the WIT bindings and the wasi:http transport, and exists only in the
//! wasm32 build.

pub mod alerts;
pub mod api;
pub mod args;
pub mod commands;
pub mod error;
pub mod event_table;
pub mod fetch;
pub mod http;
pub mod integration;
pub mod manifest;
pub mod markdown;
pub mod params;
pub mod pytime;
pub mod query;
pub mod severity;
pub mod timerange;

#[cfg(target_arch = "wasm32")]
mod component;

pub use error::{Error, Result};
pub use integration::Integration;
