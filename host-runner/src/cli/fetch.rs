//! `code42 fetch --state FILE [--watch] [--sink FILE]`: fetch-incidents, once or on a schedule.
//!
//! Order of every run: the integration returns incidents and the next last-run state; the
//! incidents go out (appended to the sink and synced to disk, or written to stdout); only then is
//! the state file replaced, atomically. A crash between the two repeats a run's incidents on
//! restart; it never loses any.

use super::{Cli, Failure, Host, Scrubber};
use anyhow::Context as _;
use clap::Args;
use host_runner::PluginInstance;
use host_runner::bindings::{FetchResult, Incident};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use soar_results::incidents::IncidentParts;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

#[derive(Args)]
pub struct FetchArgs {
    /// Last-run state file: read when present, replaced after each run.
    #[arg(long)]
    state: PathBuf,
    /// Fetch again every `incident_fetch_interval` minutes until SIGINT or SIGTERM; each
    /// incident is written as one JSON line.
    #[arg(long)]
    watch: bool,
    /// Append incidents as JSON lines to this file (synced to disk before the state is saved).
    #[arg(long)]
    sink: Option<PathBuf>,
    /// Seconds between runs with --watch, instead of the configured incident_fetch_interval.
    #[arg(long, value_name = "SECONDS")]
    interval: Option<f64>,
    /// No progress display on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// An incident as XSOAR's `demisto.incidents()` takes it.
pub fn incident_json(incident: &Incident) -> Value {
    soar_results::incidents::incident_json(parts(incident))
}

fn parts(incident: &Incident) -> IncidentParts<'_> {
    IncidentParts {
        name: &incident.name,
        occurred: &incident.occurred,
        severity: incident.severity,
        incident_type: incident.incident_type.as_deref(),
        raw_json: &incident.raw_json,
    }
}

fn read_state(path: &Path) -> Result<Option<String>, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Ok(None),
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::usage(format!("Cannot read the state file {}: {e}", path.display()))),
    }
}

/// Appends one JSON line per incident to `path` and syncs it to disk.
fn append_lines(path: &Path, lines: &[String]) -> anyhow::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    let mut text = lines.join("\n");
    text.push('\n');
    file.write_all(text.as_bytes())?;
    file.sync_all().with_context(|| format!("syncing {}", path.display()))
}

/// One fetch; the incidents are out (and synced) when this returns the state to save.
struct Runner<'a> {
    instance: PluginInstance,
    scrub: Scrubber,
    args: &'a FetchArgs,
}

impl Runner<'_> {
    async fn fetch(&mut self) -> Result<FetchResult, Failure> {
        let last_run = read_state(&self.args.state)?;
        self.instance.fetch_incidents(last_run.as_deref()).await.map_err(|e| {
            Failure::failed(self.scrub.clean(&format!("Failed to execute fetch-incidents command. Error: {e}")))
        })
    }

    /// Writes the incidents out (sink, else stdout as JSON lines in watch mode) before the state.
    fn deliver(&self, result: &FetchResult, lines_to_stdout: bool) -> Result<(), Failure> {
        let lines: Vec<String> =
            result.incidents.iter().map(|i| self.scrub.clean(&incident_json(i).to_string())).collect();
        if let Some(sink) = &self.args.sink {
            append_lines(sink, &lines).map_err(|e| Failure::failed(format!("{e:#}")))?;
        } else if lines_to_stdout && !lines.is_empty() {
            let mut out = std::io::stdout().lock();
            let written = lines.iter().try_for_each(|l| writeln!(out, "{l}")).and_then(|()| out.flush());
            written.map_err(|e| Failure::failed(format!("writing incidents to stdout: {e}")))?;
        }
        Ok(())
    }

    fn save(&self, result: &FetchResult) -> Result<(), Failure> {
        host_runner::atomic_file::write(&self.args.state, result.next_run_json.as_bytes())
            .with_context(|| format!("saving the state to {}", self.args.state.display()))
            .map_err(|e| Failure::failed(format!("{e:#}")))
    }
}

fn spinner(quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        None,
        if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() },
    );
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("a valid template"));
    bar
}

/// How many sessions the state says are still waiting, when it says so.
fn pending(next_run_json: &str) -> Option<usize> {
    serde_json::from_str::<Value>(next_run_json).ok()?.get("pending")?.as_array().map(Vec::len)
}

pub async fn run(cli: &Cli, args: &FetchArgs) -> Result<(), Failure> {
    let host = Host::load(cli)?;
    let (instance, scrub, config) = host.instance_with_config(cli).await?;
    let mut runner = Runner { instance, scrub, args };
    if !args.watch {
        let result = runner.fetch().await?;
        runner.deliver(&result, false)?;
        let answer = soar_results::incidents::fetch_json(result.incidents.iter().map(parts), &result.next_run_json)
            .map_err(Failure::failed)?;
        println!("{}", runner.scrub.clean(&answer.to_string()));
        return runner.save(&result);
    }

    let minutes = config.integer("incident_fetch_interval").unwrap_or(3);
    let interval = match args.interval {
        Some(secs) if secs.is_finite() && secs >= 0.0 => Duration::from_secs_f64(secs),
        Some(_) => return Err(Failure::usage("--interval must be a number of seconds of at least 0")),
        None => Duration::from_secs(60 * minutes.max(1) as u64),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(Notify::new());
    listen_for_signals(stop.clone(), wake.clone());

    let bar = spinner(args.quiet);
    for round in 1.. {
        bar.set_message(format!("fetch #{round}: waiting for Code42"));
        bar.enable_steady_tick(Duration::from_millis(120));
        let started = Instant::now();
        match runner.fetch().await {
            Ok(result) => {
                runner.deliver(&result, true)?;
                runner.save(&result)?;
                let waiting = pending(&result.next_run_json).map(|n| format!(", {n} waiting")).unwrap_or_default();
                bar.println(format!(
                    "fetch #{round}: {} incidents{waiting} in {} ms",
                    result.incidents.len(),
                    started.elapsed().as_millis()
                ));
            }
            // The state is untouched, so the next run retries from the same point.
            Err(failure) => bar.println(format!("fetch #{round} failed, state kept: {}", failure.message)),
        }
        bar.disable_steady_tick();
        if stop.load(Ordering::SeqCst) {
            break;
        }
        bar.set_message(format!("next fetch in {}s", interval.as_secs()));
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            () = wake.notified() => {}
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    bar.finish_and_clear();
    Ok(())
}

/// SIGINT and SIGTERM ask the loop to stop after the run in progress.
fn listen_for_signals(stop: Arc<AtomicBool>, wake: Arc<Notify>) {
    tokio::spawn(async move {
        super::stop_requested().await;
        stop.store(true, Ordering::SeqCst);
        wake.notify_one();
    });
}
