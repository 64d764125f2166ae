//! The command line: argument parsing, the shared set-up of every subcommand, exit codes.

mod context;
mod demo;
mod fetch;
mod files;
mod output;
mod run;
mod serve;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use host_runner::bindings::IntegrationManifest;
use host_runner::config::InstanceConfig;
use host_runner::launch_spec::LaunchSpec;
use host_runner::token_cache::TokenCache;
use host_runner::{EgressPolicy, PluginInstance, Runtime, RuntimeOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "code42", version, about = "Code42 Incydr integration for SOAR, as a sandboxed WebAssembly component")]
pub struct Cli {
    /// Instance configuration (TOML; keys are the parameter names). Default: ./code42.toml when present.
    #[arg(long, global = true, env = "CODE42_CONFIG")]
    config: Option<PathBuf>,
    /// Integration component to load instead of the built-in Code42 one.
    #[arg(long, global = true)]
    component: Option<PathBuf>,
    /// Where compiled components are cached (default: $XDG_CACHE_HOME/code42).
    #[arg(long, global = true)]
    cache_dir: Option<PathBuf>,
    /// Compile the component every time instead of using the cache (tokens are then not kept either,
    /// unless --token-cache says where).
    #[arg(long, global = true)]
    no_cache: bool,
    /// Keep OAuth tokens between runs in this file (0600) instead of the cache directory.
    #[arg(long, global = true, value_name = "FILE")]
    token_cache: Option<PathBuf>,
    /// Log what the host does on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that the configuration reaches and authenticates to Code42; prints `ok`.
    TestModule,
    /// Run one integration command: `code42 run code42-alert-get id=<id>`.
    Run(run::RunArgs),
    /// Fetch new incidents, reading and writing the last-run state.
    Fetch(fetch::FetchArgs),
    /// List the integration's commands.
    Commands,
    /// Start a simulated Code42 tenant on loopback and show the integration working against it.
    Demo,
    /// Serve the integration over HTTP (the contract in the README's "Run it as a service").
    Serve(serve::ServeArgs),
    /// Write the Code42 component (soar:integration), or with --http its HTTP face
    /// (wasi:http/incoming-handler + wasi:config/store), to deploy on any runtime.
    Component(ComponentArgs),
    /// Write a Cortex XSOAR content pack (YAML, script, README) and the Dockerfile of its image.
    XsoarPackage(XsoarPackageArgs),
}

#[derive(clap::Args)]
struct XsoarPackageArgs {
    /// Directory to write the pack into (created when missing).
    #[arg(short, long)]
    output: PathBuf,
    /// The Docker image XSOAR runs the integration in (NAME:TAG).
    #[arg(long)]
    image: Option<String>,
}

#[derive(clap::Args)]
struct ComponentArgs {
    /// The HTTP face instead of the plugin component.
    #[arg(long)]
    http: bool,
    /// With --http: the face for Spin, which reads another version of wasi:config.
    #[arg(long, requires = "http")]
    spin: bool,
    /// Where to write it.
    #[arg(short, long)]
    output: PathBuf,
}

/// Resolves on SIGINT or SIGTERM: what `serve` and `fetch --watch` stop on.
async fn stop_requested() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let terminated = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = terminated => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// A failure and how the process ends because of it.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    /// A usage or configuration problem (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 2 }
    }

    /// The integration reported an error (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 1 }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::usage(format!("{e:#}"))
    }
}

/// Logs on stderr only when asked for (`-v`, or `RUST_LOG`): without it, stderr carries nothing
/// but a command's error line, and no time is spent setting logging up.
fn init_logging(verbose: u8) {
    let from_env = std::env::var_os("RUST_LOG").is_some();
    if verbose == 0 && !from_env {
        return;
    }
    let filter = match verbose {
        0 | 1 => "info,cranelift=warn,wasmtime=warn",
        _ => "debug,cranelift=info",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| filter.into()))
        .init();
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    // One thread for a command: it waits on the network and has nothing to run in parallel. A
    // server answers many requests at once.
    let builder = match cli.command {
        Command::Serve(_) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match { builder }.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Demo => demo::run(&cli).await,
        Command::Commands => {
            let host = Host::load(&cli)?;
            run::list_commands(host.manifest().await?);
            Ok(())
        }
        Command::TestModule => {
            let host = Host::load(&cli)?;
            let (mut instance, scrub) = host.instance(&cli).await?;
            match instance.test_module().await {
                Ok(()) => {
                    println!("ok");
                    Ok(())
                }
                Err(e) => Err(Failure::failed(scrub.clean(&e.to_string()))),
            }
        }
        Command::Run(args) => run::run(&cli, args).await,
        Command::Fetch(args) => fetch::run(&cli, args).await,
        Command::Serve(args) => serve::run(&cli, args).await,
        Command::XsoarPackage(args) => {
            let host = Host::load(&cli)?;
            let manifest = host.manifest().await?;
            let image = args.image.clone().unwrap_or_else(|| format!("demisto/code42wasm:{}", manifest.version));
            let written = host_runner::xsoar::write_pack(manifest, &args.output, &image)?;
            // The Dockerfile copies this very binary into the image.
            let binary = args.output.join("code42");
            std::fs::copy(std::env::current_exe().context("finding the code42 binary")?, &binary)
                .with_context(|| format!("copying code42 to {}", binary.display()))?;
            for path in written.iter().chain(std::iter::once(&binary)) {
                println!("{}", path.display());
            }
            Ok(())
        }
        Command::Component(args) => {
            let bytes = if args.http { host_runner::CODE42_HTTP_COMPONENT } else { host_runner::CODE42_COMPONENT };
            host_runner::atomic_file::write(&args.output, bytes)
                .with_context(|| format!("writing {}", args.output.display()))?;
            Ok(())
        }
    }
}

/// The loaded component and what every subcommand needs from it.
pub struct Host {
    pub runtime: Runtime,
    pub cache_dir: Option<PathBuf>,
}

impl Host {
    /// Loads the component for the rest of the process. It is never dropped: a process runs one
    /// subcommand, and tearing down the engine's type tables and the linker at exit would cost a
    /// one-command process a tenth of a millisecond for memory the OS takes back anyway.
    pub fn load(cli: &Cli) -> Result<&'static Self> {
        Self::open(cli).map(|host| &*Box::leak(Box::new(host)))
    }

    fn open(cli: &Cli) -> Result<Self> {
        let cache_dir =
            if cli.no_cache { None } else { cli.cache_dir.clone().or_else(host_runner::cache::default_dir) };
        let options = RuntimeOptions { cache_dir: cache_dir.clone(), ..Default::default() };
        let runtime = match &cli.component {
            Some(path) => {
                let component =
                    std::fs::read(path).with_context(|| format!("reading the component {}", path.display()))?;
                Runtime::new(&component, options)?
            }
            None => Runtime::code42(options)?,
        };
        tracing::info!(loaded_from = ?runtime.loaded_from(), "component ready");
        Ok(Host { runtime, cache_dir })
    }

    pub async fn manifest(&self) -> Result<&IntegrationManifest, Failure> {
        self.runtime.manifest().await.map_err(|e| Failure::usage(format!("the component has no usable manifest: {e}")))
    }

    /// The parameters and command names, which is all most subcommands need of the manifest.
    pub async fn launch_spec(&self) -> Result<&LaunchSpec, Failure> {
        self.runtime
            .launch_spec()
            .await
            .map_err(|e| Failure::usage(format!("the component has no usable manifest: {e}")))
    }

    /// Reads the configuration and creates an instance that may reach only the configured hosts.
    pub async fn instance(&self, cli: &Cli) -> Result<(PluginInstance, Scrubber), Failure> {
        self.instance_with_config(cli).await.map(|(instance, scrub, _)| (instance, scrub))
    }

    /// As [`Host::instance`], also returning the configuration it was made from.
    pub async fn instance_with_config(&self, cli: &Cli) -> Result<(PluginInstance, Scrubber, InstanceConfig), Failure> {
        let params = &self.launch_spec().await?.params;
        let file = cli.config.clone().or_else(|| Some(PathBuf::from("code42.toml")).filter(|p| p.exists()));
        let config = InstanceConfig::load(file.as_deref(), |var| std::env::var(var).ok(), params)?;
        let scrub = Scrubber(config.secrets(params));
        let policy = egress_policy(&config)?;
        let mut instance = self
            .runtime
            .instance(config.params.clone(), policy)
            .await
            .map_err(|e| Failure::usage(format!("Invalid configuration: {}", scrub.clean(&e.to_string()))))?;
        if let Some(cache) = self.token_cache(cli, &config) {
            instance.keep_tokens_in(cache).await.map_err(|e| Failure::failed(scrub.clean(&e.to_string())))?;
        }
        Ok((instance, scrub, config))
    }

    /// Where the instance's OAuth tokens outlive the process: `--token-cache`, else the cache
    /// directory; nowhere with `token_cache = false` or without a cache.
    fn token_cache(&self, cli: &Cli, config: &InstanceConfig) -> Option<TokenCache> {
        if config.boolean("token_cache") == Some(false) {
            return None;
        }
        match (&cli.token_cache, &self.cache_dir) {
            (Some(file), _) => Some(TokenCache::at(file.clone())),
            (None, Some(dir)) => Some(TokenCache::in_dir(dir, &config.params)),
            (None, None) => None,
        }
    }
}

/// Where an instance of `config` may send requests: only its console and API hosts, with the
/// response caps, trust and proxies it is configured with.
pub fn egress_policy(config: &InstanceConfig) -> Result<EgressPolicy, Failure> {
    let mib = |name: &str, default: i64| config.integer(name).unwrap_or(default).clamp(1, 1024) as usize * 1024 * 1024;
    Ok(EgressPolicy {
        allowed: config.egress_origins()?,
        network: config.network(|var| std::env::var(var).ok())?,
        // The host enforces the same caps the integration is configured with.
        max_json_response_bytes: mib("max_response_mib", 16),
        max_response_bytes: mib("max_download_mib", 64),
        ..Default::default()
    })
}

/// Replaces configured secrets in text that leaves the process (a last line of defence: the
/// integration itself never puts them in its output).
pub struct Scrubber(Vec<String>);

impl Scrubber {
    pub fn clean(&self, text: &str) -> String {
        self.0.iter().fold(text.to_string(), |t, secret| t.replace(secret.as_str(), "********"))
    }
}
