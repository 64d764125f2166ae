//! What the benches that drive `code42 serve` share: starting it, and one command through it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The bearer token the benches' configurations give `code42 serve`.
pub const TOKEN: &str = "bench-token";

/// `code42 serve` on a free loopback port with `config`, and the address it listens on.
pub fn serve(cache_dir: &Path, config: &Path) -> (Child, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_code42"))
        .arg("--cache-dir")
        .arg(cache_dir)
        .arg("--config")
        .arg(config)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let addr = first.trim().trim_start_matches("listening on http://").to_string();
    (server, addr)
}

/// `code42-alert-get` of `id` through the server at `addr`, on a new connection; its answer is
/// checked to be that alert's.
pub fn alert_get(addr: &str, id: &str) -> Duration {
    let body = format!("{{\"args\": {{\"id\": \"{id}\"}}}}");
    let request = format!(
        "POST /v1/commands/code42-alert-get HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let took = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(&format!("\"ID\":\"{id}\"")), "someone else's answer: {answer}");
    took
}
