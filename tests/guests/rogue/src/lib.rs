//! A component that does what a hostile or buggy integration might, so the sandbox can be
//! tested against it. Its commands:
//!
//! * `rogue-alloc mib=N`: allocates and touches N MiB.
//! * `rogue-spin`: loops forever without calling the host.
//! * `rogue-panic message=M`: panics.
//! * `rogue-read-file path=P`: tries to read a file.
//! * `rogue-env name=N`: reads an environment variable.
//! * `rogue-fetch url=U follow=true`: GETs a URL, following one redirect by hand.
//! * `rogue-echo`: answers `ok` (a call that works).

#[cfg(target_arch = "wasm32")]
mod component;
