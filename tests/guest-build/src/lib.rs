//! Used by build scripts to build a guest crate of this workspace for wasm32-wasip2, the way
//! wasmtime's `test-programs/artifacts` builds its guests, and to compose components.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `package` (whose `lib` is named `lib_name`) with the `plugin` profile and returns the
/// path of its `.wasm`. Asks cargo to rerun the build script when the guest's sources change.
pub fn build(workspace: &Path, package: &str, package_dir: &str, lib_name: &str) -> PathBuf {
    build_with_feature(workspace, package, package_dir, lib_name, None)
}

/// As [`build`], with a feature of the guest enabled (built in a target directory of its own, so
/// that the two builds do not undo each other).
pub fn build_with_feature(
    workspace: &Path,
    package: &str,
    package_dir: &str,
    lib_name: &str,
    feature: Option<&str>,
) -> PathBuf {
    // A target directory of its own: the outer cargo holds the lock on the shared one.
    let target_dir = match feature {
        None => workspace.join("target").join("guest-build"),
        Some(feature) => workspace.join("target").join(format!("guest-build-{feature}")),
    };
    for watched in [package_dir, "results", "wit", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", workspace.join(watched).display());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace)
        .args(["build", "-p", package, "--target", "wasm32-wasip2", "--profile", "plugin", "--locked"])
        .arg("--target-dir")
        .arg(&target_dir);
    if let Some(feature) = feature {
        cmd.args(["--features", feature]);
    }
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
    let status = cmd.status().expect("failed to run cargo to build a guest");
    assert!(
        status.success(),
        "building {package} for wasm32-wasip2 failed; is the target installed? (rustup target add wasm32-wasip2)"
    );
    let wasm = target_dir.join("wasm32-wasip2/plugin").join(format!("{lib_name}.wasm"));
    assert!(wasm.exists(), "the build of {package} produced no {}", wasm.display());
    wasm
}

/// Plugs the exports of `plug` into the matching imports of `socket` (as `wac plug` does) and
/// returns the composed component, which exports what `socket` exports.
pub fn compose(socket: &Path, plug: &Path) -> Vec<u8> {
    use wac_graph::types::Package;
    use wac_graph::{CompositionGraph, EncodeOptions};
    let mut graph = CompositionGraph::new();
    let mut register = |name: &str, path: &Path| {
        let package = Package::from_file(name, None, path, graph.types_mut())
            .unwrap_or_else(|e| panic!("reading {} for composition: {e:#}", path.display()));
        graph.register_package(package).unwrap_or_else(|e| panic!("registering {name}: {e}"))
    };
    let socket = register("soar:socket", socket);
    let plug = register("soar:plug", plug);
    wac_graph::plug(&mut graph, vec![plug], socket).unwrap_or_else(|e| panic!("composing: {e:?}"));
    graph.encode(EncodeOptions::default()).unwrap_or_else(|e| panic!("encoding the composition: {e:?}"))
}
