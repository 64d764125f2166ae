//! Kept connections over real TLS, counted at the server: a fetch's connections stay within its
//! concurrency, connections the server closed while idle are replaced without repeating a write,
//! and instances running at once share the pool without mixing their answers.

use e2e::*;
use incydr_sim::SimConfig;
use serde_json::Value;
use std::time::Duration;

/// A fetch of 200 sessions with their files, 8 requests in flight.
fn fetch_200_with_files() -> Vec<host_runner::bindings::Param> {
    vec![
        text("fetch_time", "30 days"),
        text("fetch_limit", "200"),
        text("include_files", "true"),
        text("max_concurrent_requests", "8"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn fetches_of_200_sessions_with_files_open_at_most_max_concurrent_connections() {
    let sim = simulator(SimConfig { sessions: 260, ..SimConfig::default() }).await;
    let tls = BehindTls::start(&sim).await;
    // Two fetches one after the other: spares a fetch left behind would show in the second.
    for _ in 0..2 {
        let mut instance = runtime().instance(tls.params(&sim, fetch_200_with_files()), tls.policy()).await.unwrap();
        let result = instance.fetch_incidents(None).await.unwrap();
        assert_eq!(result.incidents.len(), 200);
    }
    let requests = sim.requests().len();
    assert!(requests > 400, "{requests} requests");
    let opened = tls.api.connections();
    assert!((1..=8).contains(&opened), "{requests} requests, 8 at a time, on {opened} connections");
    assert_eq!(tls.console.connections(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_the_server_closed_while_idle_are_replaced_and_no_write_is_repeated() {
    let sim = simulator(SimConfig::default()).await;
    let tls = BehindTls::start(&sim).await;
    let id = sim.tenant().open_alerts().next().unwrap().session_id.clone();
    let mut instance = runtime().instance(tls.params(&sim, vec![]), tls.policy()).await.unwrap();
    run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
    assert_eq!(tls.api.connections(), 1);

    // The server closes its idle keep-alive connections, as servers do after a while.
    tls.api.close_connections();
    tokio::time::sleep(Duration::from_millis(100)).await;
    sim.clear_requests();
    let results = run(&mut instance, "code42-alert-update", &[("id", &id), ("state", "CLOSED_TP")]).await.unwrap();
    assert_eq!(outputs(&results[0])[0]["ID"], id.as_str(), "the write went through");
    let writes = sim.requests().iter().filter(|r| r.method == "POST" && r.path.contains("change-state")).count();
    assert_eq!(writes, 1, "{:?}", sim.requests());
    assert_eq!(tls.api.connections(), 2, "one new connection replaced the closed one");
    assert_eq!(sim.tenant().session(&id).unwrap().state(), "CLOSED_TP");
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_at_once_share_the_pool_without_mixing_answers() {
    let sim = simulator(SimConfig::default()).await;
    let tls = BehindTls::start(&sim).await;
    let ids: Vec<String> = sim.tenant().open_alerts().take(8).map(|s| s.session_id.clone()).collect();
    let runs = ids.iter().cloned().map(|id| {
        let (params, policy) = (tls.params(&sim, vec![]), tls.policy());
        tokio::spawn(async move {
            let mut instance = runtime().instance(params, policy).await.unwrap();
            let mut seen = Vec::new();
            for _ in 0..5 {
                let results = run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
                seen.push(outputs(&results[0])[0]["ID"].as_str().unwrap().to_string());
            }
            (id, seen)
        })
    });
    let mut handles = Vec::new();
    for r in runs {
        handles.push(r);
    }
    for handle in handles {
        let (id, seen) = handle.await.unwrap();
        assert!(seen.iter().all(|s| *s == id), "{id}: {seen:?}");
    }
    let opened = tls.api.connections();
    assert!(opened <= 8, "8 instances × 6 requests, one at a time each, on {opened} connections");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_offers_http2_carries_a_whole_fetch_on_one_connection() {
    let sim = simulator(SimConfig { sessions: 260, ..SimConfig::default() }).await;
    let tls = BehindTls::start_offering_h2(&sim).await;
    let mut instance = runtime().instance(tls.params(&sim, fetch_200_with_files()), tls.policy()).await.unwrap();
    let result = instance.fetch_incidents(None).await.unwrap();
    assert_eq!(result.incidents.len(), 200);
    for incident in &result.incidents {
        let raw: Value = serde_json::from_str(&incident.raw_json).unwrap();
        let events = sim.tenant().session_events[raw["sessionId"].as_str().unwrap()].len();
        assert_eq!(raw["fileevents"].as_array().unwrap().len(), events, "the session's events came back whole");
    }
    let requests = sim.requests().len();
    assert_eq!(tls.api.h2_connections(), 1, "the client chose HTTP/2");
    assert_eq!(tls.api.connections(), 1, "{requests} requests, 8 at a time, share one HTTP/2 connection");

    // A write on the same connection: HTTP/2 carries a body as well as it carries a read.
    let first: Value = serde_json::from_str(&result.incidents[0].raw_json).unwrap();
    let id = first["sessionId"].as_str().unwrap();
    run(&mut instance, "code42-alert-update", &[("id", id), ("state", "CLOSED_TP")]).await.unwrap();
    assert_eq!(sim.tenant().session(id).unwrap().state(), "CLOSED_TP");
    assert_eq!(tls.api.connections(), 1);
}
