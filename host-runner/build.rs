//! Builds the Code42 plugin for wasm32-wasip2 and hands its path to the crate, which embeds it
//! (the way wasmtime's `test-programs/artifacts` builds its guests).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap().to_path_buf();
    // A target directory of its own: the outer cargo holds the lock on the shared one.
    let target_dir = workspace.join("target").join("plugin-build");

    for watched in ["plugin/src", "plugin/Cargo.toml", "wit", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", workspace.join(watched).display());
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&workspace)
        .args(["build", "-p", "code42-plugin", "--target", "wasm32-wasip2", "--profile", "plugin", "--locked"])
        .arg("--target-dir")
        .arg(&target_dir);
    // Flags meant for the host build must not leak into the guest build.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd.status().expect("failed to run cargo to build the plugin");
    assert!(
        status.success(),
        "building the plugin for wasm32-wasip2 failed; is the target installed? (rustup target add wasm32-wasip2)"
    );

    let wasm: &Path = &target_dir.join("wasm32-wasip2/plugin/code42_plugin.wasm");
    assert!(wasm.exists(), "the plugin build produced no {}", wasm.display());
    println!("cargo:rustc-env=CODE42_COMPONENT_PATH={}", wasm.display());
}
