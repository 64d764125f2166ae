//! Real network parts on loopback, for tests and benchmarks: a certificate authority the tests
//! make ([`TestCa`]), a TLS front that terminates TLS before a plain server ([`TlsFront`]), a
//! `CONNECT` proxy ([`ConnectProxy`]) and a link that adds round-trip time ([`LatencyLink`]).
//! Each counts the connections it accepts, which is how tests see connection reuse.

mod ca;
mod front;
mod link;
mod proxy;

pub use ca::{Leaf, TestCa};
pub use front::TlsFront;
pub use link::LatencyLink;
pub use proxy::{ConnectProxy, ProxyOptions};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Connections accepted by a listener so far.
#[derive(Clone, Default)]
pub struct Counter(Arc<AtomicUsize>);

impl Counter {
    fn add(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}
