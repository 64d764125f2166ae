//! Builds the Code42 plugin for wasm32-wasip2, and its HTTP face: the generic service adapter
//! composed with the plugin. The crate embeds both, each with its SHA-256 computed here so that
//! a start never has to hash a component to find its compiled artifact.

use sha2::{Digest, Sha256};

fn main() {
    let manifest_dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap();
    let plugin = guest_build::build(workspace, "code42-plugin", "plugin", "code42_plugin");
    embed("CODE42_COMPONENT", &plugin, &std::fs::read(&plugin).expect("the built plugin is readable"));
    // The HTTP face, and its twin for Spin, whose wasi:config is another (draft) version.
    for (feature, name, file) in [
        (None, "CODE42_HTTP_COMPONENT", "code42-http.wasm"),
        (Some("spin"), "CODE42_SPIN_COMPONENT", "code42-spin.wasm"),
    ] {
        let service =
            guest_build::build_with_feature(workspace, "soar-http-service", "service", "soar_http_service", feature);
        let composed = guest_build::compose(&service, &plugin);
        let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join(file);
        std::fs::write(&out, &composed).expect("the composed component is written");
        embed(name, &out, &composed);
    }
    // A position-dependent `code42`: its ~44,000 relocations are resolved at link time instead
    // of by the dynamic loader at every start (a one-command process is mostly start).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    // The functions a one-command process runs, placed together (scripts/link-order): the
    // kernel maps code 64 KiB around each page a process touches, so scattered start-up code
    // kept ~7 MiB of `code42` resident, and gathered it is under 2. The option is lld's, the
    // default linker of this target; names missing from a stale list are skipped.
    let order = manifest_dir.join("link-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    if std::env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu") && order.exists() {
        for arg in [format!("--symbol-ordering-file={}", order.display()), "--no-warn-symbol-ordering".into()] {
            println!("cargo:rustc-link-arg-bins=-Xlinker");
            println!("cargo:rustc-link-arg-bins={arg}");
        }
    }
}

/// Tells the crate where a component is and what its SHA-256 is.
fn embed(name: &str, path: &std::path::Path, bytes: &[u8]) {
    println!("cargo:rustc-env={name}_PATH={}", path.display());
    println!("cargo:rustc-env={name}_SHA256={}", hex::encode(Sha256::digest(bytes)));
}
