//! A TLS front: terminates TLS with a test certificate and passes the bytes on to a plain
//! server (the simulator), as a load balancer before a tenant does.

use crate::{Counter, Leaf};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};
use tokio_rustls::TlsAcceptor;

pub struct TlsFront {
    pub addr: SocketAddr,
    accepted: Counter,
    open: Arc<Mutex<Vec<AbortHandle>>>,
    task: JoinHandle<()>,
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
        self.close_connections();
    }
}

impl TlsFront {
    /// Serves `leaf` on a free loopback port, passing each connection on to `backend`. It
    /// offers HTTP/1.1 only through ALPN, as the simulator behind it speaks nothing else.
    pub async fn start(leaf: &Leaf, backend: SocketAddr) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(leaf.chain.clone(), leaf.key())
            .expect("the certificate and key match");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let accepted = Counter::default();
        let open: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (counting, tracking) = (accepted.clone(), open.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counting.add();
                let acceptor = acceptor.clone();
                let connection = tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to pass on.
                    let Ok(mut tls) = acceptor.accept(client).await else { return };
                    let Ok(mut server) = TcpStream::connect(backend).await else { return };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
                tracking.lock().unwrap().push(connection.abort_handle());
            }
        });
        TlsFront { addr, accepted, open, task }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.get()
    }

    /// Closes every open connection, as a server closes the keep-alive connections it considers
    /// idle.
    pub fn close_connections(&self) {
        for connection in self.open.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}
