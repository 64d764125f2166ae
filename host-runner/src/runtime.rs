//! One engine, one compiled component, one `InstancePre`: everything shared by the instances of
//! an integration. Cheap to clone.

use crate::bindings::{IntegrationManifest, SoarIntegration, SoarIntegrationPre};
use crate::cache::{self, LoadedFrom};
use crate::error::HostError;
use crate::instance::PluginInstance;
use crate::launch_spec::LaunchSpec;
use crate::net::EgressPolicy;
use crate::sandbox::{HostState, Limits};
use anyhow::{Context as _, Result};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::OnceCell;
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, Store};

/// How often the epoch advances; a guest in a CPU loop yields this often, so the call deadline
/// can stop it.
const EPOCH_TICK: Duration = Duration::from_millis(10);

#[derive(Debug, Clone, Default)]
pub struct RuntimeOptions {
    /// Where compiled artifacts are cached; `None` compiles every time.
    pub cache_dir: Option<PathBuf>,
    pub limits: Limits,
}

#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) engine: Engine,
    pub(crate) pre: SoarIntegrationPre<HostState>,
    pub(crate) limits: Limits,
    loaded_from: LoadedFrom,
    manifest: OnceCell<IntegrationManifest>,
    launch_spec: OnceCell<LaunchSpec>,
    /// Where the launch spec is kept: beside the cached artifact, when there is a cache.
    launch_spec_file: Option<PathBuf>,
    /// The store the manifest was read in, kept for the first instance: a one-command process
    /// then instantiates the component once, not twice.
    spare: Mutex<Option<(Store<HostState>, SoarIntegration)>>,
    _ticker: EpochTicker,
}

/// A thread that advances an engine's epoch every [`EPOCH_TICK`], so a guest in a CPU loop
/// yields and its call's deadline can stop it (a single-threaded runtime busy with the guest
/// could not); it stops when dropped.
pub(crate) struct EpochTicker(Arc<AtomicBool>);

impl EpochTicker {
    pub(crate) fn start(engine: &Engine) -> Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let (stopped, ticking) = (stop.clone(), engine.clone());
        std::thread::Builder::new().name("epoch-ticker".into()).spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(EPOCH_TICK);
                ticking.increment_epoch();
            }
        })?;
        Ok(EpochTicker(stop))
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Links the WASI interfaces of the sandbox. A component that reaches for no files and no sockets
/// (the Code42 one) gets those of the `wasi:http/proxy` world and the rest of `wasi:cli` and
/// `wasi:random` that Rust's standard library imports, without the hundred-odd filesystem and
/// socket functions it would never call: defining them is a tenth of a start's linking work.
/// Any other component gets them all, over the same empty filesystem and closed network.
fn add_wasi_to_linker(linker: &mut Linker<HostState>, engine: &Engine, component: &Component) -> Result<()> {
    use wasmtime_wasi::WasiView as _;
    use wasmtime_wasi::cli::{WasiCli, WasiCliView as _};
    use wasmtime_wasi::p2::bindings::{cli, random};
    use wasmtime_wasi::random::WasiRandom;

    let reaches_out = component
        .component_type()
        .imports(engine)
        .any(|(name, _)| name.starts_with("wasi:filesystem/") || name.starts_with("wasi:sockets/"));
    if reaches_out {
        return Ok(wasmtime_wasi::p2::add_to_linker_async(linker)?);
    }
    wasmtime_wasi::p2::add_to_linker_proxy_interfaces_async(linker)?;
    cli::exit::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    cli::environment::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    cli::terminal_input::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    cli::terminal_output::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    cli::terminal_stdin::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    cli::terminal_stdout::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    cli::terminal_stderr::add_to_linker::<HostState, WasiCli>(linker, HostState::cli)?;
    random::insecure::add_to_linker::<HostState, WasiRandom>(linker, |t| t.ctx().ctx.random())?;
    random::insecure_seed::add_to_linker::<HostState, WasiRandom>(linker, |t| t.ctx().ctx.random())?;
    Ok(())
}

/// The engine configuration every runtime uses.
/// Runtimes run precompiled components only: building Cranelift costs a start ~1.5 MiB and
/// time it has no use for when the artifact is cached. [`compiling_engine`] compiles.
pub fn engine() -> Result<Engine> {
    engine_that_compiles(false)
}

/// An engine of the same configuration that can compile.
pub fn compiling_engine() -> Result<Engine> {
    engine_that_compiles(true)
}

fn engine_that_compiles(compiles: bool) -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true).epoch_interruption(true).enable_compiler(compiles);
    Ok(Engine::new(&config)?)
}

impl Runtime {
    /// Compiles (or loads from the cache) a component and links it against the sandbox.
    pub fn new(component: &[u8], options: RuntimeOptions) -> Result<Self> {
        Self::with_digest(component, &cache::sha256_hex(component), options)
    }

    /// The built-in Code42 component, whose digest the build computed.
    pub fn code42(options: RuntimeOptions) -> Result<Self> {
        Self::with_digest(crate::CODE42_COMPONENT, crate::CODE42_COMPONENT_SHA256, options)
    }

    fn with_digest(component: &[u8], sha256_hex: &str, options: RuntimeOptions) -> Result<Self> {
        let engine = engine()?;
        let (component, loaded_from) = cache::load(&engine, component, sha256_hex, options.cache_dir.as_deref())?;
        let launch_spec_file = options.cache_dir.map(|dir| cache::launch_spec_path(&dir, &engine, sha256_hex));
        Self::from_component(engine, component, loaded_from, options.limits, launch_spec_file)
    }

    fn from_component(
        engine: Engine,
        component: Component,
        loaded_from: LoadedFrom,
        limits: Limits,
        launch_spec_file: Option<PathBuf>,
    ) -> Result<Self> {
        let mut linker = Linker::<HostState>::new(&engine);
        add_wasi_to_linker(&mut linker, &engine, &component)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("the component's imports cannot be satisfied")?;
        let pre = SoarIntegrationPre::new(pre)
            .map_err(anyhow::Error::from)
            .context("the component does not export soar:integration")?;

        let ticker = EpochTicker::start(&engine)?;
        Ok(Runtime {
            inner: Arc::new(Inner {
                engine,
                pre,
                limits,
                loaded_from,
                manifest: OnceCell::new(),
                launch_spec: OnceCell::new(),
                launch_spec_file,
                spare: Mutex::new(None),
                _ticker: ticker,
            }),
        })
    }

    /// Whether the component came from the cache or was compiled.
    pub fn loaded_from(&self) -> LoadedFrom {
        self.inner.loaded_from
    }

    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// A fresh store with the sandbox's limits and the given egress policy.
    pub(crate) fn store(&self, policy: EgressPolicy) -> Store<HostState> {
        crate::sandbox::store(&self.inner.engine, HostState::new(policy, &self.inner.limits))
    }

    /// Instantiates the component in a fresh store (or takes the one the manifest was read in).
    pub(crate) async fn instantiate(&self, policy: EgressPolicy) -> Result<(Store<HostState>, SoarIntegration)> {
        let spare = self.inner.spare.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((mut store, bindings)) = spare {
            store.data_mut().hooks.set_policy(policy);
            return Ok((store, bindings));
        }
        let mut store = self.store(policy);
        let bindings = self.inner.pre.instantiate_async(&mut store).await?;
        Ok((store, bindings))
    }

    /// The integration's manifest (asked once, then remembered).
    pub async fn manifest(&self) -> Result<&IntegrationManifest, HostError> {
        self.inner
            .manifest
            .get_or_try_init(|| async {
                let (mut store, bindings) = self.instantiate(EgressPolicy::default()).await?;
                let call = bindings.soar_integration_integration().call_manifest(&mut store);
                match tokio::time::timeout(self.inner.limits.call_timeout, call).await {
                    Ok(Ok(manifest)) => {
                        *self.inner.spare.lock().unwrap_or_else(|e| e.into_inner()) = Some((store, bindings));
                        Ok(manifest)
                    }
                    Ok(Err(trap)) => Err(HostError::Trap(format!("{trap:#}"))),
                    Err(_) => Err(HostError::Timeout(self.inner.limits.call_timeout)),
                }
            })
            .await
    }

    /// The parameters and command names: from beside the cached artifact when they are there,
    /// else from the manifest (and then stored there for the next process).
    pub async fn launch_spec(&self) -> Result<&LaunchSpec, HostError> {
        self.inner
            .launch_spec
            .get_or_try_init(|| async {
                let file = self.inner.launch_spec_file.as_deref();
                if let Some(spec) = file.and_then(LaunchSpec::read) {
                    return Ok(spec);
                }
                let spec = LaunchSpec::of(self.manifest().await?);
                if let Some(path) = file
                    && let Err(e) = spec.write(path)
                {
                    tracing::warn!(path = %path.display(), error = %e, "could not keep the launch spec");
                }
                Ok(spec)
            })
            .await
    }

    /// A configured instance of the integration, reaching only what `policy` allows.
    pub async fn instance(
        &self,
        params: Vec<crate::bindings::Param>,
        policy: EgressPolicy,
    ) -> Result<PluginInstance, HostError> {
        PluginInstance::create(self.clone(), params, policy).await
    }
}
