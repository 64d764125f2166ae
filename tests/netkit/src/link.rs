//! A link with latency: a TCP relay that delays every byte by half a round trip each way, and a
//! connection's first byte by one round trip more (the TCP handshake the relay's own loopback
//! connect does not pay). The kernel here has no `netem`; this is the next best thing.

use crate::Counter;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub struct LatencyLink {
    pub addr: SocketAddr,
    accepted: Counter,
    task: JoinHandle<()>,
}

impl Drop for LatencyLink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl LatencyLink {
    /// Relays connections to `upstream` with `rtt` of round-trip time.
    pub async fn start(upstream: SocketAddr, rtt: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let accepted = Counter::default();
        let counting = accepted.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counting.add();
                let opened = Instant::now();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else { return };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    // Data may flow once the handshake's round trip is over, then takes half a trip.
                    let handshake_done = opened + rtt;
                    tokio::join!(
                        relay(client_read, server_write, rtt / 2, handshake_done),
                        relay(server_read, client_write, rtt / 2, opened),
                    );
                });
            }
        });
        LatencyLink { addr, accepted, task }
    }

    /// TCP connections opened through the link so far.
    pub fn connections(&self) -> usize {
        self.accepted.get()
    }
}

/// Copies `from` to `to`, each chunk `delay` after it was read (and not before `not_before`),
/// in order; the end of the stream is delayed alike.
async fn relay(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    delay: Duration,
    not_before: Instant,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = from.read(&mut buf).await.unwrap_or(0);
            let due = Instant::now().max(not_before) + delay;
            // An empty chunk marks the end of the stream.
            if tx.send((due, buf[..n].to_vec())).is_err() || n == 0 {
                return;
            }
        }
    };
    let writer = async move {
        while let Some((due, chunk)) = rx.recv().await {
            tokio::time::sleep_until(due).await;
            if chunk.is_empty() || to.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}
