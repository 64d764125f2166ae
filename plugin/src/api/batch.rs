//! Many requests at once: at most `limit` in flight, each retried on its own terms
//! (`retry::RetryPolicy`), a 429 pausing the whole batch for its `Retry-After`, and the outcomes
//! returned in the order the requests were given, whatever order they finished in.

use super::retry::{Next, RetryPolicy};
use crate::http::{HttpClient, Outcome, Request, Ticket, TransportError, TransportErrorKind};
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// A request and whether repeating it can do no harm.
pub struct Job {
    pub request: Request,
    pub safe: bool,
}

/// Where each request of a batch stands.
struct Progress {
    attempts: u32,
    first_start: Option<Instant>,
    outcome: Option<Outcome>,
}

/// Sends every job and returns one outcome per job, in job order.
pub fn send_all(http: &impl HttpClient, jobs: &[Job], limit: usize, policy: &RetryPolicy) -> Vec<Outcome> {
    let limit = limit.max(1);
    let mut progress: Vec<Progress> =
        jobs.iter().map(|_| Progress { attempts: 0, first_start: None, outcome: None }).collect();
    // Lowest index first, so that with a limit of 1 requests go out in the order given.
    let mut ready: BTreeSet<usize> = (0..jobs.len()).collect();
    let mut delayed: Vec<(Instant, usize)> = Vec::new();
    let mut in_flight: HashMap<Ticket, usize> = HashMap::new();
    let mut paused_until: Option<Instant> = None;

    loop {
        let now = http.now();
        delayed.retain(|&(at, i)| {
            let due = at <= now;
            if due {
                ready.insert(i);
            }
            !due
        });
        let paused = paused_until.is_some_and(|t| now < t);
        if !paused {
            while in_flight.len() < limit {
                let Some(i) = ready.pop_first() else { break };
                progress[i].attempts += 1;
                progress[i].first_start.get_or_insert(now);
                in_flight.insert(http.start(&jobs[i].request), i);
            }
        }

        // The next moment something waiting may start: a backoff ends, or the pause does.
        let wake = delayed.iter().map(|d| d.0).chain(paused_until.filter(|_| paused && !ready.is_empty())).min();
        if in_flight.is_empty() {
            match wake {
                Some(at) => http.sleep(at.saturating_duration_since(now)),
                None => break,
            }
            continue;
        }
        let timeout = wake.map(|at| at.saturating_duration_since(now));
        let Some((ticket, outcome)) = http.wait(timeout) else {
            if timeout.is_none() {
                lose_in_flight(&mut in_flight, &mut progress);
            }
            continue;
        };
        let Some(i) = in_flight.remove(&ticket) else { continue };
        let now = http.now();
        let elapsed = progress[i].first_start.map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        match policy.next(&outcome, progress[i].attempts, elapsed, jobs[i].safe) {
            Next::Done => progress[i].outcome = Some(outcome),
            Next::Retry(d) => delayed.push((now + d, i)),
            Next::PauseAll(d) => {
                paused_until = paused_until.max(Some(now + d));
                ready.insert(i);
            }
        }
    }
    progress.into_iter().map(|p| p.outcome.expect("the loop ends only when every job has an outcome")).collect()
}

/// Sends one request, retried as a batch of one would be.
pub fn send_one(http: &impl HttpClient, request: Request, safe: bool, policy: &RetryPolicy) -> Outcome {
    send_all(http, &[Job { request, safe }], 1, policy).pop().expect("one job, one outcome")
}

/// A transport that says nothing is in flight while requests are: they fail rather than hang.
fn lose_in_flight(in_flight: &mut HashMap<Ticket, usize>, progress: &mut [Progress]) {
    for (_, i) in in_flight.drain() {
        progress[i].outcome = Some(Err(TransportError {
            kind: TransportErrorKind::Other,
            message: "the transport lost track of the request".into(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::FakeServer;
    use crate::http::Method;
    use serde_json::json;

    fn get(path: &str) -> Job {
        Job {
            request: Request {
                method: Method::Get,
                url: format!("https://h{path}"),
                headers: vec![],
                body: None,
                max_response_bytes: 1 << 20,
            },
            safe: true,
        }
    }

    fn post(path: &str) -> Job {
        let mut job = get(path);
        job.request.method = Method::Post;
        job.safe = false;
        job
    }

    fn statuses(outcomes: &[Outcome]) -> Vec<u16> {
        outcomes.iter().map(|o| o.as_ref().map_or(0, |r| r.status)).collect()
    }

    #[test]
    fn outcomes_keep_the_order_of_the_requests_whatever_order_they_finish_in() {
        let server = FakeServer::new();
        for (i, delay) in [50, 10, 30, 0, 20].iter().enumerate() {
            server.on(Method::Get, &format!("/r{i}"), 200, json!({"i": i}));
            server.delay(&format!("/r{i}"), Duration::from_millis(*delay));
        }
        let jobs: Vec<Job> = (0..5).map(|i| get(&format!("/r{i}"))).collect();
        let outcomes = send_all(&server, &jobs, 8, &RetryPolicy::default());
        let bodies: Vec<serde_json::Value> =
            outcomes.iter().map(|o| serde_json::from_slice(&o.as_ref().unwrap().body).unwrap()).collect();
        assert_eq!(bodies, (0..5).map(|i| json!({"i": i})).collect::<Vec<_>>());
        assert_eq!(server.finish_order(), ["/r3", "/r1", "/r4", "/r2", "/r0"]);
        assert_eq!(server.max_in_flight(), 5);
    }

    #[test]
    fn the_concurrency_limit_holds() {
        let server = FakeServer::new();
        server.on(Method::Get, "/slow", 200, json!({}));
        server.delay("/slow", Duration::from_millis(100));
        let jobs: Vec<Job> = (0..20).map(|_| get("/slow")).collect();
        let outcomes = send_all(&server, &jobs, 3, &RetryPolicy::default());
        assert_eq!(statuses(&outcomes), vec![200; 20]);
        assert_eq!(server.max_in_flight(), 3);
        // Twenty requests of 100 ms, three at a time: seven rounds.
        assert_eq!(server.elapsed(), Duration::from_millis(700));
    }

    #[test]
    fn a_limit_of_one_sends_in_order_one_at_a_time() {
        let server = FakeServer::new();
        for i in 0..4 {
            server.on(Method::Get, &format!("/r{i}"), 200, json!({}));
        }
        let jobs: Vec<Job> = (0..4).map(|i| get(&format!("/r{i}"))).collect();
        send_all(&server, &jobs, 1, &RetryPolicy::default());
        assert_eq!(server.max_in_flight(), 1);
        assert_eq!(server.finish_order(), ["/r0", "/r1", "/r2", "/r3"]);
    }

    #[test]
    fn each_request_is_retried_on_its_own() {
        let server = FakeServer::new();
        server.on(Method::Get, "/ok", 200, json!({}));
        server.on_sequence(Method::Get, "/flaky", vec![(503, json!({})), (502, json!({})), (200, json!({}))]);
        server.on(Method::Get, "/down", 503, json!({}));
        server.on(Method::Post, "/write", 503, json!({}));
        let jobs = [get("/ok"), get("/flaky"), get("/down"), post("/write")];
        let outcomes = send_all(&server, &jobs, 8, &RetryPolicy::default());
        assert_eq!(statuses(&outcomes), [200, 200, 503, 503]);
        let count = |p: &str| server.api_calls().iter().filter(|c| c.ends_with(p)).count();
        assert_eq!((count("/ok"), count("/flaky"), count("/down"), count("/write")), (1, 3, 4, 1));
    }

    #[test]
    fn a_429_pauses_every_request_of_the_batch_for_its_retry_after() {
        let server = FakeServer::new();
        server.on_sequence_with_headers(
            Method::Get,
            "/limited",
            vec![(429, vec![("Retry-After", "2")]), (200, vec![])],
        );
        server.on(Method::Get, "/other", 200, json!({}));
        let jobs: Vec<Job> = std::iter::once(get("/limited")).chain((0..5).map(|_| get("/other"))).collect();
        let outcomes = send_all(&server, &jobs, 1, &RetryPolicy::default());
        assert_eq!(statuses(&outcomes), vec![200; 6]);
        // Nothing started during the pause: every later request began two seconds in.
        let starts = server.start_times();
        assert_eq!(starts[0], Duration::ZERO);
        assert!(starts[1..].iter().all(|t| *t >= Duration::from_secs(2)), "{starts:?}");
        assert_eq!(server.slept(), [Duration::from_secs(2)]);
    }

    #[test]
    fn broken_connections_of_safe_requests_are_retried_until_the_attempts_run_out() {
        let server = FakeServer::new();
        server.on_transport_error(Method::Get, "/x", TransportErrorKind::Connection);
        let outcome = send_one(&server, get("/x").request, true, &RetryPolicy::default());
        assert_eq!(outcome.unwrap_err().kind, TransportErrorKind::Connection);
        assert_eq!(server.requests().len(), 4);
    }

    #[test]
    fn the_total_time_bounds_the_retries() {
        let server = FakeServer::new();
        server.on(Method::Get, "/x", 503, json!({}));
        let tight = RetryPolicy { max_total: Duration::from_millis(600), ..RetryPolicy::default() };
        send_one(&server, get("/x").request, true, &tight).unwrap();
        assert_eq!(server.requests().len(), 2, "the second wait would end past 600 ms");
    }
}
