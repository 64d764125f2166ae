//! The components the crate embeds: what they import and export, checked against what stock
//! runtimes offer.

use wasmtime::component::Component;

fn imports_and_exports(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    let engine = host_runner::runtime::compiling_engine().unwrap();
    let component = Component::new(&engine, bytes).unwrap();
    let ty = component.component_type();
    let imports = ty.imports(&engine).map(|(name, _)| name.to_string()).collect();
    let exports = ty.exports(&engine).map(|(name, _)| name.to_string()).collect();
    (imports, exports)
}

/// The interface name without its version: `wasi:http/types@0.2.12` → `wasi:http/types`.
fn unversioned(name: &str) -> &str {
    name.split('@').next().unwrap_or(name)
}

/// What Rust's standard library for wasm32-wasip2 imports beyond the `wasi:http/proxy` world:
/// wasi-libc's start-up reads the environment and asks whether stdio is a terminal, `abort`
/// goes through `exit`, and `HashMap`'s `RandomState` is seeded from `insecure-seed`. So
/// `wasmtime serve` needs `-S cli` (the environment stays empty unless `--env` is given).
const STD_IMPORTS: &[&str] = &[
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:random/insecure-seed",
];

#[test]
fn the_http_face_imports_only_the_proxy_world_wasi_config_and_what_std_needs() {
    let (imports, exports) = imports_and_exports(host_runner::CODE42_HTTP_COMPONENT);
    // The `wasi:http/proxy` world's imports, plus wasi:config/store; soar:integration/types is
    // a type-only import (no functions) that hosts need not provide.
    let allowed = [
        "wasi:io/error",
        "wasi:io/poll",
        "wasi:io/streams",
        "wasi:clocks/monotonic-clock",
        "wasi:clocks/wall-clock",
        "wasi:random/random",
        "wasi:random/insecure",
        "wasi:random/insecure-seed",
        "wasi:cli/stdout",
        "wasi:cli/stderr",
        "wasi:cli/stdin",
        "wasi:http/types",
        "wasi:http/outgoing-handler",
        "wasi:config/store",
        "soar:integration/types",
    ];
    let outside: Vec<&String> = imports
        .iter()
        .filter(|i| !allowed.contains(&unversioned(i)) && !STD_IMPORTS.contains(&unversioned(i)))
        .collect();
    assert!(outside.is_empty(), "imports outside the proxy world: {outside:?} (all: {imports:?})");
    assert!(imports.iter().any(|i| unversioned(i) == "wasi:config/store"), "{imports:?}");
    assert!(exports.iter().any(|e| unversioned(e) == "wasi:http/incoming-handler"), "{exports:?}");
    assert!(!exports.iter().any(|e| unversioned(e) == "soar:integration/integration"), "{exports:?}");
}

#[test]
fn the_plugin_reaches_nothing_but_http_clocks_random_and_stdio() {
    let (imports, exports) = imports_and_exports(host_runner::CODE42_COMPONENT);
    let forbidden = ["wasi:filesystem", "wasi:sockets"];
    let reaching: Vec<&String> = imports.iter().filter(|i| forbidden.iter().any(|f| i.starts_with(f))).collect();
    assert!(reaching.is_empty(), "{reaching:?}");
    assert!(exports.iter().any(|e| unversioned(e) == "soar:integration/integration"), "{exports:?}");
}

#[test]
fn the_spin_face_differs_only_in_its_wasi_config_version() {
    let (http, http_exports) = imports_and_exports(host_runner::CODE42_HTTP_COMPONENT);
    let (spin, spin_exports) = imports_and_exports(host_runner::CODE42_SPIN_COMPONENT);
    assert!(spin.contains(&"wasi:config/store@0.2.0-draft-2024-09-27".to_string()), "{spin:?}");
    assert!(http.contains(&"wasi:config/store@0.2.0-rc.1".to_string()), "{http:?}");
    let others =
        |all: &[String]| -> Vec<String> { all.iter().filter(|i| !i.starts_with("wasi:config/")).cloned().collect() };
    assert_eq!(others(&spin), others(&http));
    assert_eq!(spin_exports, http_exports);
}
