//! Any `soar:integration` component as an HTTP service (`wasi:http/incoming-handler`), the
//! same whoever hosts it: `wasmtime serve`, Spin, `code42 serve`.
//!
//! Everything but [`component`] is plain Rust that unit-tests natively against a scripted
//! integration; `component` holds the WIT bindings, reads the request and writes the answer.

pub mod config;
pub mod manifest;
pub mod openapi;
pub mod routes;

#[cfg(target_arch = "wasm32")]
mod component;
