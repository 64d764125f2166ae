//! The network layer end to end: independent requests in flight together (bounded, results in
//! order), connections that close early retried, and transport failures said in words.

use e2e::*;
use host_runner::HostError;
use host_runner::bindings::{FetchResult, IntegrationError};
use incydr_sim::faults::Fault;
use incydr_sim::{SimConfig, Simulator};
use std::time::Duration;

/// A tenant with well over 200 open alert sessions.
async fn busy_tenant() -> Simulator {
    simulator(SimConfig { sessions: 260, ..SimConfig::default() }).await
}

/// One fetch of 200 sessions with their file events, `concurrency` requests at a time.
async fn fetch_200_with_files(sim: &Simulator, concurrency: &str) -> FetchResult {
    let extra = vec![
        text("fetch_time", "30 days"),
        text("fetch_limit", "200"),
        text("include_files", "true"),
        text("max_concurrent_requests", concurrency),
    ];
    let mut instance = runtime().instance(params(sim, extra), policy(sim)).await.unwrap();
    instance.fetch_incidents(None).await.unwrap()
}

fn incidents_json(result: &FetchResult) -> String {
    let incidents: Vec<serde_json::Value> = result
        .incidents
        .iter()
        .map(|i| {
            serde_json::json!({"name": i.name, "occurred": i.occurred, "severity": i.severity,
                "type": i.incident_type, "rawJSON": i.raw_json})
        })
        .collect();
    serde_json::to_string(&incidents).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_fetch_gives_byte_for_byte_the_incidents_of_one_at_a_time() {
    let sim = busy_tenant().await;
    sim.reset_max_in_flight();
    let one_at_a_time = fetch_200_with_files(&sim, "1").await;
    assert_eq!(sim.max_in_flight(), 1, "max_concurrent_requests=1 sends one request at a time");
    let requests_alone = sim.requests().len();

    sim.clear_requests();
    sim.reset_max_in_flight();
    // A little latency, as a real tenant has: without it the loopback simulator can answer each
    // request before the next one lands on a busy machine, and nothing is seen to overlap. On the
    // reads that go out together: each session's events (the names come with the sessions, so
    // there are no actor or rule lookups to overlap any more).
    sim.inject("/v1/sessions/", Fault::delay(Duration::from_millis(10)), 1000);
    let concurrent = fetch_200_with_files(&sim, "8").await;
    let most = sim.max_in_flight();
    assert!((2..=8).contains(&most), "requests overlapped, at most 8 at once: {most}");

    assert_eq!(concurrent.incidents.len(), 200);
    assert_eq!(incidents_json(&concurrent), incidents_json(&one_at_a_time));
    assert_eq!(concurrent.next_run_json, one_at_a_time.next_run_json);
    assert_eq!(sim.requests().len(), requests_alone, "concurrency adds no request");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_concurrency_bound_holds_at_a_simulator_that_delays_its_answers() {
    let sim = busy_tenant().await;
    // Every session-event and actor read takes 20 ms, so requests pile up if nothing bounds them.
    sim.inject("/v1/sessions/", Fault::delay(Duration::from_millis(20)), 1000);
    sim.inject("/v1/actors/", Fault::delay(Duration::from_millis(20)), 1000);
    sim.reset_max_in_flight();
    let result = fetch_200_with_files(&sim, "3").await;
    assert_eq!(result.incidents.len(), 200);
    assert_eq!(sim.max_in_flight(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_closed_mid_fetch_are_retried_and_nothing_is_lost() {
    let sim = busy_tenant().await;
    // A tenant that sends no names, so actors and rules are looked up (and can fail) too.
    sim.tenant().drop_names();
    let clean = fetch_200_with_files(&sim, "8").await;

    // Some answers never start, some break off halfway: every one of those reads is retried.
    sim.inject("/v1/sessions/", Fault::Close, 3);
    sim.inject("/v1/actors/", Fault::Drop, 2);
    sim.inject("/v2/alert-rules/", Fault::Close, 1);
    sim.clear_requests();
    let faulty = fetch_200_with_files(&sim, "8").await;
    let failed_attempts = sim.requests().iter().filter(|r| r.status == 0).count();
    assert_eq!(failed_attempts, 4, "the closed connections happened");
    assert_eq!(incidents_json(&faulty), incidents_json(&clean));
    assert_eq!(faulty.next_run_json, clean.next_run_json);
}

fn transport_text(err: HostError) -> String {
    match err {
        HostError::Integration(IntegrationError::Transport(text)) => text,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_get_survives_a_connection_closed_before_the_answer() {
    let sim = simulator(SimConfig::default()).await;
    let id = sim.tenant().sessions[0].session_id.clone();
    let mut instance = instance(&sim).await;
    sim.inject(&format!("/v1/sessions/{id}"), Fault::Close, 1);
    let results = run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
    assert_eq!(outputs(&results[0])[0]["ID"], id.as_str());

    // Closed on every attempt: said in words, naming the host.
    sim.inject(&format!("/v1/sessions/{id}"), Fault::Close, 10);
    let text = transport_text(run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap_err());
    let host = sim.api_url().trim_start_matches("http://").to_string();
    assert_eq!(text, format!("Error contacting Code42: the connection to {host} closed before it answered"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_connection_is_said_in_words() {
    let sim = simulator(SimConfig::default()).await;
    // A port nothing listens on: bind one, then free it.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let api = format!("http://{free}");
    let mut policy = policy(&sim);
    policy.allowed.push(host_runner::Origin::parse(&api).unwrap());
    let mut instance = runtime().instance(params(&sim, vec![text("api_url", &api)]), policy).await.unwrap();
    let text = transport_text(run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err());
    assert_eq!(text, format!("Error contacting Code42: {free} refused the connection"));
}
