//! Builds the rogue test guest for wasm32-wasip2; the sandbox tests load it.

fn main() {
    let manifest_dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap().parent().unwrap();
    let wasm = guest_build::build(workspace, "rogue-guest", "tests/guests/rogue", "rogue_guest");
    println!("cargo:rustc-env=ROGUE_COMPONENT_PATH={}", wasm.display());
}
