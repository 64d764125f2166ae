//! Foundation numbers for BENCHMARKS.md: component size, cold compile, cached load,
//! instantiate, and an alert-get round trip against the simulator.
//!
//! `cargo bench -p e2e --bench foundation` prints one line per measurement (median and p95 of
//! repeated runs).

use e2e::{params, policy, run};
use host_runner::cache::{self, LoadedFrom};
use host_runner::{Runtime, RuntimeOptions};
use incydr_sim::{SimConfig, Simulator};
use std::time::{Duration, Instant};

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<34} median {:>9.3} ms   p95 {:>9.3} ms   (n={})",
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.95).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let component = host_runner::CODE42_COMPONENT;
    println!(
        "component size                     {} bytes ({:.0} KiB)",
        component.len(),
        component.len() as f64 / 1024.0
    );

    let engine = host_runner::runtime::engine().unwrap();
    let cold: Vec<Duration> = (0..5)
        .map(|_| time(|| cache::load(&engine, component, host_runner::CODE42_COMPONENT_SHA256, None).unwrap()).0)
        .collect();
    summary("cold compile (Cranelift)", cold);

    let dir = tempfile::tempdir().unwrap();
    let (_, (_, from)) =
        time(|| cache::load(&engine, component, host_runner::CODE42_COMPONENT_SHA256, Some(dir.path())).unwrap());
    assert_eq!(from, LoadedFrom::Compiled);
    let cached: Vec<Duration> = (0..50)
        .map(|_| {
            let (d, (_, from)) = time(|| {
                cache::load(&engine, component, host_runner::CODE42_COMPONENT_SHA256, Some(dir.path())).unwrap()
            });
            assert_eq!(from, LoadedFrom::Cache);
            d
        })
        .collect();
    summary("cached load (deserialize)", cached);

    let runtime =
        Runtime::new(component, RuntimeOptions { cache_dir: Some(dir.path().to_path_buf()), ..Default::default() })
            .unwrap();
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let mut instantiate = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        let instance = runtime.instance(params(&sim, vec![]), policy(&sim)).await.unwrap();
        instantiate.push(start.elapsed());
        drop(instance);
    }
    summary("instantiate (store + create)", instantiate);

    let id = {
        let tenant = sim.tenant();
        tenant.sessions.iter().find(|s| !s.triggered_alerts.is_empty()).unwrap().session_id.clone()
    };
    let mut instance = runtime.instance(params(&sim, vec![]), policy(&sim)).await.unwrap();
    run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap(); // token fetched once
    let mut round_trips = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
        round_trips.push(start.elapsed());
    }
    summary("alert-get round trip (3 requests)", round_trips);

    let mut cold_calls = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let mut fresh = runtime.instance(params(&sim, vec![]), policy(&sim)).await.unwrap();
        run(&mut fresh, "code42-alert-get", &[("id", &id)]).await.unwrap();
        cold_calls.push(start.elapsed());
    }
    summary("new instance + token + alert-get", cold_calls);
}
