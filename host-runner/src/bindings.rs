//! Host-side bindings of the `soar-integration` world, generated from `wit/`.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "soar-integration",
    exports: { default: async },
    // Parameter specs are kept beside the cached artifact (`launch_spec`), credentials in the
    // token cache, which writes them back only when they changed.
    additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
});

pub use exports::soar::integration::integration::{Guest, GuestInstance};
pub use soar::integration::types::*;
