//! Host-side bindings of the `soar-integration` world, generated from `wit/`.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "soar-integration",
    exports: { default: async },
    // Parameter specs are kept beside the cached artifact (`launch_spec`).
    additional_derives: [serde::Serialize, serde::Deserialize],
});

pub use exports::soar::integration::integration::{Guest, GuestInstance};
pub use soar::integration::types::*;
