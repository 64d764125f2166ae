//! `code42 serve` under load, against the simulator: 64 concurrent clients × 50
//! `code42-alert-get` (every answer checked), throughput, p50/p99 latency and OAuth tokens; and
//! what the HTTP layer costs at p50 over the same command run in-process on a warm instance.
//!
//! `cargo bench -p host-runner --bench serve`

use host_runner::bindings::{Arg, Invocation, Param, ParamValue};
use host_runner::{EgressPolicy, Origin, Runtime, RuntimeOptions};
use incydr_sim::{SimConfig, Simulator};
use std::time::{Duration, Instant};

mod common;

const CLIENTS: usize = 64;
const CALLS_EACH: usize = 50;

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime.block_on(Simulator::start(SimConfig { sessions: 200, ..SimConfig::default() })).unwrap();
    let ids: Vec<String> = sim
        .tenant()
        .sessions
        .iter()
        .filter(|s| !s.triggered_alerts.is_empty())
        .take(CLIENTS)
        .map(|s| s.session_id.clone())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("code42.toml");
    std::fs::write(
        &config,
        format!(
            "console_url = \"{}\"\napi_url = \"{}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\nservice_token = \"{}\"\n",
            sim.console_url(),
            sim.api_url(),
            sim.client_id(),
            sim.client_secret(),
            common::TOKEN,
        ),
    )
    .unwrap();
    let (mut server, addr) = common::serve(&dir.path().join("cache"), &config);

    // One client, one request at a time: the HTTP layer's own cost.
    for _ in 0..20 {
        common::alert_get(&addr, &ids[0]);
    }
    let mut serial: Vec<Duration> = (0..300).map(|_| common::alert_get(&addr, &ids[0])).collect();
    serial.sort();
    let in_process = runtime.block_on(in_process_p50(&sim, &ids[0]));
    println!(
        "one client: p50 {:.3} ms through code42 serve, {:.3} ms in-process on a warm instance: the HTTP layer costs {:.3} ms",
        percentile(&serial, 0.5),
        in_process,
        percentile(&serial, 0.5) - in_process
    );

    // 64 clients at once.
    let tokens_before = sim.tokens_issued();
    let started = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .map(|id| {
                let addr = &addr;
                scope.spawn(move || (0..CALLS_EACH).map(|_| common::alert_get(addr, id)).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let wall = started.elapsed();
    latencies.sort();
    println!(
        "{CLIENTS} clients x {CALLS_EACH}: {} commands in {:.2} s = {:.0} commands/s, p50 {:.2} ms, p99 {:.2} ms, \
         {} OAuth tokens",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        sim.tokens_issued() - tokens_before
    );
    let _ = server.kill();
    let _ = server.wait();
}

/// The p50 of alert-get on a warm instance in this process.
async fn in_process_p50(sim: &Simulator, id: &str) -> f64 {
    let runtime = Runtime::code42(RuntimeOptions::default()).unwrap();
    let text = |name: &str, value: &str| Param { name: name.into(), value: ParamValue::Text(value.into()) };
    let params = vec![
        text("console_url", &sim.console_url()),
        text("api_url", &sim.api_url()),
        text("client_id", sim.client_id()),
        text("client_secret", sim.client_secret()),
    ];
    let policy = EgressPolicy {
        allowed: vec![Origin::parse(&sim.api_url()).unwrap(), Origin::parse(&sim.console_url()).unwrap()],
        ..Default::default()
    };
    let mut instance = runtime.instance(params, policy).await.unwrap();
    let args = [Arg { name: "id".into(), value: id.into() }];
    let invocation = Invocation { incident_json: None, context_json: None };
    let mut samples = Vec::new();
    for i in 0..320 {
        let started = Instant::now();
        instance.execute("code42-alert-get", &args, &invocation).await.unwrap();
        if i >= 20 {
            samples.push(started.elapsed());
        }
    }
    samples.sort();
    percentile(&samples, 0.5)
}
