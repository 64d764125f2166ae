//! The speed scenarios of BENCHMARKS.md, each a fresh `code42` process as XSOAR runs an
//! integration, against the simulator on loopback: `code42-alert-get`, and a first fetch of
//! 200 open alert sessions with and without `include_files` (also one request at a time, for
//! comparison). Prints wall time, peak memory, HTTP requests, and the floor: the requests on the
//! critical path times the simulator's answer time.
//!
//! `cargo bench -p host-runner --bench speed`

use incydr_sim::{SimConfig, Simulator};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const CODE42: &str = env!("CARGO_BIN_EXE_code42");

/// Runs a command and prints the peak resident memory of its children, in KiB. A process of its
/// own, so that the peak is the child's: `ru_maxrss` counts the memory of the process a child
/// was spawned from, and this one is small.
fn peak_rss_helper(args: &[String]) -> ! {
    let status = Command::new(&args[0]).args(&args[1..]).stdout(std::process::Stdio::null()).status().unwrap();
    assert!(status.success(), "{args:?} failed");
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    println!("{}", usage.ru_maxrss);
    std::process::exit(0)
}

/// Peak memory of one run of `code42 args`, in MiB.
fn peak_rss_mib(dir: &Path, args: &[&str]) -> f64 {
    let output = Command::new(std::env::current_exe().unwrap())
        .arg("--peak-rss")
        .arg(CODE42)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let kib: f64 = String::from_utf8_lossy(&output.stdout).trim().parse().expect("the helper prints KiB");
    kib / 1024.0
}

fn code42(dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let status = Command::new(CODE42).args(args).current_dir(dir).stdout(std::process::Stdio::null()).status().unwrap();
    let took = started.elapsed();
    assert!(status.success(), "code42 {args:?} failed");
    took
}

/// The time a command's requests spent waiting on the network, as `code42 -v` reports it.
fn network_time(dir: &Path, args: &[&str]) -> Duration {
    let output = Command::new(CODE42).arg("-v").args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    let value = log
        .split("network_ms=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.trim_matches(|c: char| !c.is_ascii_digit() && c != '.').parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no network_ms in {log}"));
    Duration::from_secs_f64(value / 1e3)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// How long the simulator takes to answer one request on a new connection (as wasi:http opens
/// one per request): the median of many.
fn answer_time(sim: &Simulator) -> Duration {
    let addr = sim.gateway;
    let samples = (0..300)
        .map(|_| {
            let started = Instant::now();
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream.set_nodelay(true).unwrap();
            let request = format!(
                "POST /v1/oauth HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                basic(sim)
            );
            stream.write_all(request.as_bytes()).unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).unwrap();
            assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
            started.elapsed()
        })
        .collect();
    median(samples)
}

fn basic(sim: &Simulator) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", sim.client_id(), sim.client_secret()))
}

/// Writes the configuration file `name` for the simulator, with `extra` lines.
/// A configuration for `sim`. Every process asks for its own token (`token_cache = false`), as
/// the figures of BENCHMARKS.md's tables were taken; the WAN bench measures the kept token.
fn write_config(dir: &Path, sim: &Simulator, name: &str, extra: &str) -> String {
    let text = format!(
        "console_url = \"{}\"\napi_url = \"{}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\nfetch_time = \"30 days\"\n\
         token_cache = false\n{extra}",
        sim.console_url(),
        sim.api_url(),
        sim.client_id(),
        sim.client_secret()
    );
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

/// A tenant with exactly 200 open alert sessions among those generated.
async fn tenant_with_200_open() -> Simulator {
    for sessions in 200..400 {
        let sim = Simulator::start(SimConfig { sessions, ..SimConfig::default() }).await.unwrap();
        let open = sim
            .tenant()
            .sessions
            .iter()
            .filter(|s| !s.triggered_alerts.is_empty() && matches!(s.state(), "OPEN" | "OPEN_NEW_DATA"))
            .count();
        if open == 200 {
            return sim;
        }
    }
    panic!("no tenant size gives exactly 200 open sessions");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--peak-rss") {
        peak_rss_helper(&args[1..]);
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime.block_on(tenant_with_200_open());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let cache = dir.join("cache").display().to_string();
    let answer = answer_time(&sim);
    println!("simulator answer time (new connection, median of 300): {:.3} ms\n", ms(answer));

    // alert-get: token, session, then actor and rule together.
    let id = sim.tenant().sessions.iter().find(|s| !s.triggered_alerts.is_empty()).unwrap().session_id.clone();
    let config = write_config(dir, &sim, "alert-get.toml", "");
    let alert_get = ["--cache-dir", &cache, "--config", &config, "run", "code42-alert-get", &format!("id={id}")];
    code42(dir, &alert_get); // compiles and caches the component
    sim.clear_requests();
    code42(dir, &alert_get);
    let requests = sim.requests().len();
    let runs: Vec<Duration> = (0..60).map(|_| code42(dir, &alert_get)).collect();
    let peak = (0..5).map(|_| peak_rss_mib(dir, &alert_get)).fold(0.0, f64::max);
    let version = median((0..30).map(|_| code42(dir, &["--version"])).collect());
    let network = median((0..30).map(|_| network_time(dir, &alert_get)).collect());
    let floor = answer * 3;
    let wall = median(runs.clone());
    println!("code42-alert-get, fresh process (median of 60)");
    println!(
        "  wall {:.2} ms (p90 {:.2} ms), peak {peak:.1} MiB, {requests} requests, floor {:.2} ms (3 rounds)\n  \
         waiting on the network {:.2} ms (as the host sees it), own time {:.2} ms; `code42 --version` {:.2} ms",
        ms(wall),
        ms({
            let mut s = runs;
            s.sort();
            s[s.len() * 9 / 10]
        }),
        ms(floor),
        ms(network),
        ms(wall.saturating_sub(network)),
        ms(version)
    );

    for (files, concurrency) in [(false, 8), (true, 8), (false, 1), (true, 1)] {
        let extra = format!("fetch_limit = 200\ninclude_files = {files}\nmax_concurrent_requests = {concurrency}\n");
        let config = write_config(dir, &sim, &format!("fetch-{files}-{concurrency}.toml"), &extra);
        let state = dir.join("state.json");
        let fetch = ["--cache-dir", &cache, "--config", &config, "fetch", "--quiet", "--state", "state.json"];
        let mut samples = Vec::new();
        let mut requests = 0;
        for _ in 0..7 {
            let _ = std::fs::remove_file(&state);
            sim.clear_requests();
            samples.push(code42(dir, &fetch));
            requests = sim.requests().len();
        }
        let _ = std::fs::remove_file(&state);
        let peak = peak_rss_mib(dir, &fetch);
        // Critical path: the token, the five list pages, then the lookups in rounds.
        let lookups = requests - 6;
        let rounds = 6 + lookups.div_ceil(concurrency);
        println!(
            "fetch 200 sessions, include_files {files}, max_concurrent_requests {concurrency} (median of 7)\n  \
             wall {:.1} ms, peak {peak:.1} MiB, {requests} requests, floor {:.1} ms ({rounds} rounds)",
            ms(median(samples)),
            ms(answer * rounds as u32),
        );
    }
}
