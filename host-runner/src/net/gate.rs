//! How many connections an origin gets: never more than the requests in flight to it.
//!
//! hyper-util's client, finding no idle connection for a request, starts a new one and at the
//! same time waits for a busy one to come back; when a busy one comes back first, the request
//! takes it and the new connection is kept as a spare. Over a fetch of hundreds of requests the
//! spares add up past the concurrency the guest asked for (CI saw 10 connections for 8 requests
//! in flight). The gate opens a connection only while the origin's open and opening connections
//! are fewer than its requests in flight, so one command or fetch never holds more connections
//! than its `max_concurrent_requests`, while a process serving many instances at once still gets
//! one connection per request it has in flight.
//!
//! A request counts from before it looks for a connection until its answer's body is dropped
//! (an HTTP/1.1 connection is busy until then); a connection counts from the moment it is
//! allowed to open until it is dropped. A request that waits at the gate always has a
//! connection coming: every connection not held by a request in flight is idle or on its way
//! back to the pool.

use bytes::Bytes;
use http::Uri;
use http_body::{Body, Frame, SizeHint};
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::sync::Notify;

/// The requests and connections of every origin of one pool.
#[derive(Default)]
pub(crate) struct Gate {
    origins: Mutex<HashMap<String, Load>>,
    changed: Notify,
}

#[derive(Default)]
struct Load {
    requests: usize,
    connections: usize,
}

/// `scheme://authority`, as both the request and the connector see it.
fn origin(uri: &Uri) -> String {
    format!("{}://{}", uri.scheme_str().unwrap_or(""), uri.authority().map_or("", |a| a.as_str()))
}

impl Gate {
    /// Counts a request to `uri`'s origin until the returned token is dropped.
    pub(crate) fn request(self: &Arc<Self>, uri: &Uri) -> Counted {
        let origin = origin(uri);
        self.change(&origin, |load| load.requests += 1);
        Counted { gate: self.clone(), origin, of: Counting::Request }
    }

    /// Waits until `uri`'s origin may have one more connection, and counts it until the
    /// returned token is dropped.
    pub(crate) async fn connection(self: &Arc<Self>, uri: &Uri) -> Counted {
        let origin = origin(uri);
        loop {
            // Registered before the check, so a change between the check and the wait wakes it.
            let changed = self.changed.notified();
            {
                let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
                let load = origins.entry(origin.clone()).or_default();
                if load.connections < load.requests {
                    load.connections += 1;
                    break;
                }
            }
            changed.await;
        }
        Counted { gate: self.clone(), origin, of: Counting::Connection }
    }

    fn change(&self, origin: &str, change: impl FnOnce(&mut Load)) {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        let load = origins.entry(origin.to_string()).or_default();
        change(load);
        if load.requests == 0 && load.connections == 0 {
            origins.remove(origin);
        }
        drop(origins);
        self.changed.notify_waiters();
    }
}

/// A request or a connection the gate counts while this lives.
pub(crate) struct Counted {
    gate: Arc<Gate>,
    origin: String,
    of: Counting,
}

enum Counting {
    Request,
    Connection,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.gate.change(&self.origin, |load| match self.of {
            Counting::Request => load.requests -= 1,
            Counting::Connection => load.connections -= 1,
        });
    }
}

/// An answer's body that keeps its request counted until it is dropped.
pub(crate) struct InFlight<B> {
    body: B,
    _request: Counted,
}

impl<B> InFlight<B> {
    pub(crate) fn new(body: B, request: Counted) -> Self {
        InFlight { body, _request: request }
    }
}

impl<B: Body<Data = Bytes> + Unpin> Body for InFlight<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn uri() -> Uri {
        "https://api.example:443/v1".parse().unwrap()
    }

    #[tokio::test]
    async fn a_connection_waits_until_there_are_more_requests_than_connections() {
        let gate = Arc::new(Gate::default());
        let first = gate.request(&uri());
        let held = gate.connection(&uri()).await;
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.connection(&uri()).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "one request, one connection: no second");
        let second = gate.request(&uri());
        let _second_connection = tokio::time::timeout(Duration::from_secs(1), waiting).await.unwrap().unwrap();
        drop((first, second, held));
    }

    #[tokio::test]
    async fn a_closed_connection_makes_room_and_origins_are_apart() {
        let gate = Arc::new(Gate::default());
        let _request = gate.request(&uri());
        let held = gate.connection(&uri()).await;
        let other: Uri = "http://api.example/v1".parse().unwrap();
        let _other_request = gate.request(&other);
        let _other_connection = tokio::time::timeout(Duration::from_secs(1), gate.connection(&other)).await.unwrap();
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.connection(&uri()).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished());
        drop(held);
        tokio::time::timeout(Duration::from_secs(1), waiting).await.unwrap().unwrap();
    }
}
