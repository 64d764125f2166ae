//! The compiled component cached on disk as a precompiled artifact, keyed by the component's
//! SHA-256 and the engine's compatibility hash, so a second start skips Cranelift.

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

/// How a component was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadedFrom {
    /// Compiled now (and stored when a cache directory is set).
    Compiled,
    /// Deserialised from the cache.
    Cache,
}

/// The SHA-256 of a component, in hex.
pub fn sha256_hex(component: &[u8]) -> String {
    hex::encode(Sha256::digest(component))
}

/// The file name of the artifact of the component with that SHA-256 (hex) for this engine.
pub fn artifact_name(engine: &Engine, sha256_hex: &str) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    format!("{}-{:016x}.cwasm", &sha256_hex[..32.min(sha256_hex.len())], hasher.finish())
}

/// Where the [`LaunchSpec`](crate::launch_spec::LaunchSpec) of that component is kept in `dir`:
/// beside its artifact, under the same name.
pub fn launch_spec_path(dir: &Path, engine: &Engine, sha256_hex: &str) -> PathBuf {
    dir.join(artifact_name(engine, sha256_hex)).with_extension("launch")
}

/// Loads `component` (whose SHA-256 is `sha256_hex`) from the cache in `dir`, or compiles it
/// and stores the artifact. A cache entry that cannot be loaded is replaced, never trusted
/// blindly. On a hit the component's bytes are not read at all.
///
/// `engine` need not be able to compile (the runtime's engine is not, so that a start does not
/// build Cranelift): compiling uses an engine of the same configuration that can.
pub fn load(
    engine: &Engine,
    component: &[u8],
    sha256_hex: &str,
    dir: Option<&Path>,
) -> Result<(Component, LoadedFrom)> {
    let Some(dir) = dir else {
        return Ok((compile(engine, component)?.0, LoadedFrom::Compiled));
    };
    let path = dir.join(artifact_name(engine, sha256_hex));
    if path.exists() {
        // SAFETY: the artifact was written by this code into a directory only this user can
        // write to; wasmtime also checks the engine compatibility header before using it.
        match unsafe { Component::deserialize_file(engine, &path) } {
            Ok(c) => return Ok((c, LoadedFrom::Cache)),
            Err(e) => tracing::warn!(path = %path.display(), error = %e, "discarding unusable cached component"),
        }
    }
    let (compiled, artifact) = compile(engine, component)?;
    if let Err(e) = store(dir, &path, &artifact) {
        tracing::warn!(path = %path.display(), error = %e, "could not cache the compiled component");
    }
    Ok((compiled, LoadedFrom::Compiled))
}

/// Compiles `component` for `engine`'s configuration: the component, and its artifact.
fn compile(engine: &Engine, component: &[u8]) -> Result<(Component, Vec<u8>)> {
    let compiler = crate::runtime::compiling_engine()?;
    let artifact =
        compiler.precompile_component(component).map_err(anyhow::Error::from).context("compiling the component")?;
    // SAFETY: the artifact was just produced by an engine of the same configuration.
    let compiled = unsafe { Component::deserialize(engine, &artifact) }?;
    Ok((compiled, artifact))
}

fn store(dir: &Path, path: &PathBuf, artifact: &[u8]) -> Result<()> {
    create_private_dir(dir)?;
    crate::atomic_file::write(path, artifact)
}

fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// `$CODE42_CACHE_DIR`, else `$XDG_CACHE_HOME/code42`, else `~/.cache/code42`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CODE42_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("code42"))
}
