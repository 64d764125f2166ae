//! fetch-incidents over 1,000 alert sessions, with and without `include_files`: wall time and
//! HTTP requests, for BENCHMARKS.md. `cargo bench -p e2e --bench fetch`.

use e2e::{params, policy, runtime, text};
use incydr_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::time::Instant;

async fn measure(sim: &Simulator, include_files: bool, limit: usize) -> (usize, usize, f64, usize) {
    let extra = vec![
        text("fetch_time", "30 days"),
        text("fetch_limit", &limit.to_string()),
        text("include_files", if include_files { "true" } else { "false" }),
    ];
    let mut instance = runtime().instance(params(sim, extra), policy(sim)).await.unwrap();
    sim.clear_requests();
    let (mut state, mut incidents, mut runs) = (None::<String>, 0, 0);
    let started = Instant::now();
    loop {
        let result = instance.fetch_incidents(state.as_deref()).await.unwrap();
        runs += 1;
        incidents += result.incidents.len();
        let pending =
            serde_json::from_str::<Value>(&result.next_run_json).unwrap()["pending"].as_array().unwrap().len();
        state = Some(result.next_run_json);
        if result.incidents.is_empty() && pending == 0 {
            break;
        }
    }
    (incidents, runs, started.elapsed().as_secs_f64() * 1e3, sim.requests().len())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let sim = Simulator::start(SimConfig { sessions: 1000, ..SimConfig::default() }).await.unwrap();
    println!(
        "{:<44} {:>9} {:>5} {:>10} {:>9}",
        "scenario (1,000 sessions)", "incidents", "runs", "wall ms", "requests"
    );
    for (include_files, label) in [(false, "without include_files"), (true, "with include_files")] {
        for limit in [1000, 50] {
            let mut samples = Vec::new();
            for _ in 0..3 {
                samples.push(measure(&sim, include_files, limit).await);
            }
            samples.sort_by(|a, b| a.2.total_cmp(&b.2));
            let (incidents, runs, ms, requests) = samples[1];
            println!(
                "{:<44} {incidents:>9} {runs:>5} {ms:>10.1} {requests:>9}",
                format!("{label}, fetch_limit {limit}")
            );
        }
    }
}
