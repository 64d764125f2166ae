//! Runs the Incydr simulator alone: `incydr-sim --port 0` prints its URLs and credentials as one
//! JSON line and serves until interrupted.

use clap::Parser;
use incydr_sim::{SimConfig, Simulator};
use std::time::Duration;

#[derive(Parser)]
#[command(about = "An Incydr API simulator (gateway and console) on 127.0.0.1")]
struct Cli {
    /// Port of the API gateway (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Port of the console API (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    console_port: u16,
    /// Seed of the generated tenant.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Alert sessions to generate.
    #[arg(long, default_value_t = 60)]
    sessions: usize,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, default_value_t = 900)]
    token_ttl: u64,
    /// The moment the tenant is generated around (epoch ms; default now): two simulators with the
    /// same seed and moment hold the same tenant.
    #[arg(long)]
    now_ms: Option<i64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let cli = Cli::parse();
    let config = SimConfig {
        seed: cli.seed,
        sessions: cli.sessions,
        token_ttl: Duration::from_secs(cli.token_ttl),
        gateway_port: cli.port,
        console_port: cli.console_port,
        now_ms: cli.now_ms.unwrap_or_else(|| chrono::Utc::now().timestamp_millis()),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).await?;
    let info = serde_json::json!({
        "api_url": sim.api_url(),
        "console_url": sim.console_url(),
        "client_id": sim.client_id(),
        "client_secret": sim.client_secret(),
    });
    println!("{info}");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
