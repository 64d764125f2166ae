//! Builds the Code42 plugin for wasm32-wasip2; the crate embeds it.

fn main() {
    let manifest_dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap();
    let wasm = guest_build::build(workspace, "code42-plugin", "plugin", "code42_plugin");
    println!("cargo:rustc-env=CODE42_COMPONENT_PATH={}", wasm.display());
}
