//! A `CONNECT` proxy: opens a tunnel to the `host:port` a client names, resolving the name
//! itself (from a table of its own first, as a corporate proxy resolves names the client
//! cannot), optionally asking for Basic credentials or refusing every tunnel with a status.

use crate::Counter;
use base64::Engine as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Clone, Default)]
pub struct ProxyOptions {
    /// `user:password` the proxy requires; without them it answers 407.
    pub credentials: Option<String>,
    /// A status every `CONNECT` is answered with instead of a tunnel (502, say).
    pub refuse_with: Option<u16>,
    /// Names only the proxy can resolve.
    pub hosts: Vec<(String, SocketAddr)>,
}

pub struct ConnectProxy {
    pub addr: SocketAddr,
    accepted: Counter,
    tunnels: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ConnectProxy {
    pub async fn start(options: ProxyOptions) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let accepted = Counter::default();
        let tunnels: Arc<Mutex<Vec<String>>> = Arc::default();
        let (counting, recording) = (accepted.clone(), tunnels.clone());
        let options = Arc::new(options);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counting.add();
                tokio::spawn(serve(client, options.clone(), recording.clone()));
            }
        });
        ConnectProxy { addr, accepted, tunnels, task }
    }

    /// `http://127.0.0.1:<port>`, or with `user:password@` in it.
    pub fn url(&self, credentials: Option<&str>) -> String {
        match credentials {
            Some(c) => format!("http://{c}@{}", self.addr),
            None => format!("http://{}", self.addr),
        }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.get()
    }

    /// The `host:port` of every tunnel opened so far.
    pub fn tunnels(&self) -> Vec<String> {
        self.tunnels.lock().unwrap().clone()
    }
}

async fn serve(mut client: TcpStream, options: Arc<ProxyOptions>, tunnels: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match client.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 16 * 1024 {
            return;
        }
    }
    let end = head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let request: Vec<&str> = lines.next().unwrap_or_default().split(' ').collect();
    let answer = |status: &str| format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
    if request.len() != 3 || request[0] != "CONNECT" {
        let _ = client.write_all(answer("405 Method Not Allowed").as_bytes()).await;
        return;
    }
    if let Some(expected) = &options.credentials {
        let presented = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("proxy-authorization"))
            .and_then(|(_, value)| value.trim().strip_prefix("Basic ").map(str::to_string))
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok());
        if presented.as_deref() != Some(expected.as_bytes()) {
            let refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n\
                           Content-Length: 0\r\n\r\n";
            let _ = client.write_all(refusal.as_bytes()).await;
            return;
        }
    }
    if let Some(status) = options.refuse_with {
        let _ = client.write_all(answer(&format!("{status} Refused")).as_bytes()).await;
        return;
    }
    let target = request[1].to_string();
    let known = target.rsplit_once(':').and_then(|(host, _)| options.hosts.iter().find(|(h, _)| h == host));
    let upstream = match known {
        Some((_, addr)) => TcpStream::connect(addr).await,
        None => TcpStream::connect(target.as_str()).await,
    };
    let Ok(mut upstream) = upstream else {
        let _ = client.write_all(answer("502 Bad Gateway").as_bytes()).await;
        return;
    };
    tunnels.lock().unwrap().push(target);
    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_err() {
        return;
    }
    // Bytes the client sent after the head belong to the tunnel.
    if upstream.write_all(&head[end..]).await.is_err() {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}
