//! 64 concurrent instances from one runtime, each running code42-alert-get repeatedly against
//! the simulator: throughput and the process's peak memory. `cargo bench -p e2e --bench load`.

use e2e::{outputs, params, policy, run, runtime};
use incydr_sim::{SimConfig, Simulator};
use std::time::Instant;

const CONCURRENT: usize = 64;
const CALLS_EACH: usize = 50;

/// Peak resident memory of this process (VmHWM), in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let sim = Simulator::start(SimConfig { sessions: 200, ..SimConfig::default() }).await.unwrap();
    let ids: Vec<String> = sim
        .tenant()
        .sessions
        .iter()
        .filter(|s| !s.triggered_alerts.is_empty())
        .take(CONCURRENT)
        .map(|s| s.session_id.clone())
        .collect();
    let runtime = runtime();
    let before = peak_rss_mib();
    let started = Instant::now();
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let (runtime, params, policy) = (runtime.clone(), params(&sim, vec![]), policy(&sim));
            tokio::spawn(async move {
                let mut instance = runtime.instance(params, policy).await.unwrap();
                for _ in 0..CALLS_EACH {
                    let results = run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
                    assert_eq!(outputs(&results[0])[0]["ID"], id.as_str());
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let calls = CONCURRENT * CALLS_EACH;
    println!(
        "{CONCURRENT} concurrent instances x {CALLS_EACH} alert-gets = {calls} commands ({} HTTP requests)",
        sim.requests().len()
    );
    println!("wall time        {:.2} s", elapsed);
    println!("throughput       {:.0} commands/s", calls as f64 / elapsed);
    println!(
        "peak RSS         {:.1} MiB (simulator in the same process; {:.1} MiB before the load)",
        peak_rss_mib(),
        before
    );
}
