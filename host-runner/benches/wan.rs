//! Over a WAN: the simulator behind TLS 1.3 (certificates of a CA the bench makes, trusted
//! through `ca_file`) behind a link that adds 40 ms of round-trip time to every connection
//! (one round trip more before its first byte: the TCP handshake). Fresh `code42` processes for
//! alert-get and fetch, as XSOAR runs an integration; `code42 serve` warm for 20 sequential
//! alert-gets. Connections are counted where the link accepts them.
//!
//! `cargo bench -p host-runner --bench wan`

use incydr_sim::{SimConfig, Simulator};
use netkit::{LatencyLink, TestCa, TlsFront};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

const RTT: Duration = Duration::from_millis(40);
const CODE42: &str = env!("CARGO_BIN_EXE_code42");

struct Wan {
    sim: Simulator,
    api: LatencyLink,
    console: LatencyLink,
    _fronts: (TlsFront, TlsFront),
    dir: tempfile::TempDir,
}

impl Wan {
    fn config(&self, name: &str, extra: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        let text = format!(
            "console_url = \"https://{}\"\napi_url = \"https://{}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\
             ca_file = \"{}\"\nfetch_time = \"30 days\"\nservice_token = \"{}\"\n{extra}\n",
            self.console.addr,
            self.api.addr,
            self.sim.client_id(),
            self.sim.client_secret(),
            self.dir.path().join("ca.pem").display(),
            common::TOKEN,
        );
        std::fs::write(&path, text).unwrap();
        path
    }

    fn connections(&self) -> usize {
        self.api.connections() + self.console.connections()
    }

    /// Runs `code42` once; its wall time and the connections it opened.
    fn time(&self, config: &Path, args: &[&str]) -> (Duration, usize) {
        let before = self.connections();
        let started = Instant::now();
        let out = Command::new(CODE42)
            .arg("--cache-dir")
            .arg(self.dir.path().join("cache"))
            .arg("--config")
            .arg(config)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        let took = started.elapsed();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (took, self.connections() - before)
    }
}

fn median(mut runs: Vec<(Duration, usize)>) -> (f64, usize) {
    runs.sort();
    let (took, connections) = runs[runs.len() / 2];
    (took.as_secs_f64() * 1e3, connections)
}

fn row(work: &str, reference: &str, (ms, connections): (f64, usize), floor_rtts: f64) {
    let rtts = ms / RTT.as_secs_f64() / 1e3;
    println!(
        "| {work} | {reference} | {ms:.0} ms = {rtts:.1} RTT | {floor_rtts:.0} RTT ({:.0} ms) | {connections} |",
        floor_rtts * RTT.as_secs_f64() * 1e3
    );
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let wan = runtime.block_on(async {
        let sim = Simulator::start(SimConfig { sessions: 260, ..SimConfig::default() }).await.unwrap();
        let ca = TestCa::new("wan bench CA");
        let leaf = ca.leaf(&["127.0.0.1"]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        let fronts = (TlsFront::start(&leaf, sim.gateway).await, TlsFront::start(&leaf, sim.console).await);
        let api = LatencyLink::start(fronts.0.addr, RTT).await;
        let console = LatencyLink::start(fronts.1.addr, RTT).await;
        Wan { sim, api, console, _fronts: fronts, dir }
    });
    let id = wan.sim.tenant().open_alerts().next().unwrap().session_id.clone();
    let alert_get = ["run", "code42-alert-get", &format!("id={id}")];
    // Each process asks for its own token, except where a row says it is cached.
    let plain = wan.config("plain.toml", "token_cache = false");
    wan.time(&plain, &alert_get); // compiles the component into the cache

    println!(
        "| work ({} ms RTT, TLS 1.3) | reference (team's figures, plain HTTP) | ours | floor | connections |",
        RTT.as_millis()
    );
    println!("|---|---|---|---|---|");
    let runs = (0..7).map(|_| wan.time(&plain, &alert_get)).collect();
    // Floor: TCP, TLS, the token, the session.
    row("`code42-alert-get`, fresh process", "1,152 ms", median(runs), 4.0);
    let cached = wan.config("cached.toml", "");
    wan.time(&cached, &alert_get); // the token the next processes reuse
    let runs = (0..7).map(|_| wan.time(&cached, &alert_get)).collect();
    // Floor: TCP, TLS, the session.
    row("`code42-alert-get`, fresh process, token kept from the last run", "", median(runs), 3.0);

    // Floors: TCP, TLS, the token, the 5 list pages; with files also the other 7 connections'
    // TCP and TLS, then 200 session-event reads 8 at a time (25 rounds).
    for (files, reference, floor) in [("false", "20.7 s, 7 connections", 8.0), ("true", "29.7 s, 7 connections", 35.0)]
    {
        let settings = format!("token_cache = false\nfetch_limit = 200\ninclude_files = {files}");
        let config = wan.config(&format!("fetch-{files}.toml"), &settings);
        let runs = (0..3)
            .map(|n| {
                let state = wan.dir.path().join(format!("state-{files}-{n}.json"));
                wan.time(&config, &["fetch", "--quiet", "--state", state.to_str().unwrap()])
            })
            .collect();
        let work = format!("fetch 200 sessions, `include_files = {files}`, fresh process");
        row(&work, reference, median(runs), floor);
    }

    let (mut server, addr) = common::serve(&wan.dir.path().join("cache"), &plain);
    common::alert_get(&addr, &id); // the instance's token and connection
    let before = wan.connections();
    let mut warm: Vec<Duration> = (0..20).map(|_| common::alert_get(&addr, &id)).collect();
    warm.sort();
    let p50 = warm[warm.len() / 2].as_secs_f64() * 1e3;
    row("`code42 serve`, warm, 20 sequential alert-gets (p50)", "", (p50, wan.connections() - before), 1.0);
    let _ = server.kill();
    let _ = server.wait();
}
