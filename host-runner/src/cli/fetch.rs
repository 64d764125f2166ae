//! `code42 fetch --state FILE`: one fetch-incidents run. The state file holds the last-run JSON
//! the integration returned; it is replaced atomically, and only after the incidents are out.

use super::{Cli, Failure, Host};
use anyhow::Context as _;
use clap::Args;
use host_runner::bindings::Incident;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct FetchArgs {
    /// Last-run state file: read when present, replaced after the run.
    #[arg(long)]
    state: PathBuf,
}

/// An incident as XSOAR's `demisto.incidents()` takes it.
pub fn incident_json(incident: &Incident) -> Value {
    json!({
        "name": incident.name,
        "occurred": incident.occurred,
        "severity": incident.severity,
        "type": incident.incident_type,
        "rawJSON": incident.raw_json,
    })
}

fn read_state(path: &Path) -> Result<Option<String>, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Ok(None),
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::usage(format!("Cannot read the state file {}: {e}", path.display()))),
    }
}

pub async fn run(cli: &Cli, args: &FetchArgs) -> Result<(), Failure> {
    let host = Host::load(cli)?;
    let (mut instance, scrub) = host.instance(cli).await?;
    let last_run = read_state(&args.state)?;
    let result = instance
        .fetch_incidents(last_run.as_deref())
        .await
        .map_err(|e| Failure::failed(scrub.clean(&format!("Failed to execute fetch-incidents command. Error: {e}"))))?;
    let next_run: Value = serde_json::from_str(&result.next_run_json)
        .map_err(|e| Failure::failed(format!("The integration returned a last-run state that is not JSON: {e}")))?;
    let incidents: Vec<Value> = result.incidents.iter().map(incident_json).collect();
    println!("{}", scrub.clean(&json!({"incidents": incidents, "last_run": next_run}).to_string()));
    host_runner::atomic_file::write(&args.state, result.next_run_json.as_bytes())
        .with_context(|| format!("saving the state to {}", args.state.display()))
        .map_err(|e| Failure::failed(format!("{e:#}")))
}
