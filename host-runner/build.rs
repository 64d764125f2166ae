//! Builds the Code42 plugin for wasm32-wasip2; the crate embeds it, with its SHA-256 computed
//! here so that a start never has to hash it to find its compiled artifact.

use sha2::{Digest, Sha256};

fn main() {
    let manifest_dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap();
    let wasm = guest_build::build(workspace, "code42-plugin", "plugin", "code42_plugin");
    let bytes = std::fs::read(&wasm).expect("the built component is readable");
    println!("cargo:rustc-env=CODE42_COMPONENT_PATH={}", wasm.display());
    println!("cargo:rustc-env=CODE42_COMPONENT_SHA256={}", hex::encode(Sha256::digest(&bytes)));
    // A position-dependent `code42`: its ~44,000 relocations are resolved at link time instead
    // of by the dynamic loader at every start (a one-command process is mostly start).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
