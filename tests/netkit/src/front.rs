//! A TLS front: terminates TLS with a test certificate and passes the bytes on to a plain
//! server (the simulator), as a load balancer before a tenant does. It offers HTTP/1.1 through
//! ALPN, or HTTP/2 as well (the plain server behind must then accept HTTP/2 with prior
//! knowledge, as the simulator does), and counts the connections that chose HTTP/2.

use crate::{Counter, Leaf};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};
use tokio_rustls::TlsAcceptor;

pub struct TlsFront {
    pub addr: SocketAddr,
    accepted: Counter,
    chose_h2: Counter,
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
    /// offers HTTP/1.1 only through ALPN.
    pub async fn start(leaf: &Leaf, backend: SocketAddr) -> Self {
        Self::offering(leaf, backend, &[b"http/1.1"]).await
    }

    /// As [`TlsFront::start`], offering HTTP/2 first and HTTP/1.1 after it, as most HTTPS
    /// gateways do.
    pub async fn start_offering_h2(leaf: &Leaf, backend: SocketAddr) -> Self {
        Self::offering(leaf, backend, &[b"h2", b"http/1.1"]).await
    }

    async fn offering(leaf: &Leaf, backend: SocketAddr, protocols: &[&[u8]]) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(leaf.chain.clone(), leaf.key())
            .expect("the certificate and key match");
        config.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let (accepted, chose_h2) = (Counter::default(), Counter::default());
        let open: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (counting, counting_h2, tracking) = (accepted.clone(), chose_h2.clone(), open.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counting.add();
                let (acceptor, counting_h2) = (acceptor.clone(), counting_h2.clone());
                let connection = tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to pass on.
                    let Ok(mut tls) = acceptor.accept(client).await else { return };
                    if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                        counting_h2.add();
                    }
                    let Ok(mut server) = TcpStream::connect(backend).await else { return };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
                tracking.lock().unwrap().push(connection.abort_handle());
            }
        });
        TlsFront { addr, accepted, chose_h2, open, task }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.get()
    }

    /// Connections whose client chose HTTP/2 through ALPN.
    pub fn h2_connections(&self) -> usize {
        self.chose_h2.get()
    }

    /// Closes every open connection, as a server closes the keep-alive connections it considers
    /// idle.
    pub fn close_connections(&self) {
        for connection in self.open.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}
