//! Malformed, truncated and broken answers from the API: clear errors, never a trap, and the
//! instance keeps serving.

use e2e::*;
use host_runner::HostError;
use host_runner::bindings::IntegrationError;
use incydr_sim::SimConfig;
use incydr_sim::faults::Fault;

#[tokio::test(flavor = "multi_thread")]
async fn broken_answers_are_clear_errors_and_the_next_call_works() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();

    sim.inject("/v1/sessions/x", Fault::Malformed, 1);
    match run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err() {
        HostError::Integration(IntegrationError::Upstream(u)) => {
            assert_eq!(u.status, 200);
            assert!(u.message.contains("could not be read"), "{}", u.message);
        }
        other => panic!("{other:?}"),
    }

    // A GET cut off mid-body is retried; cut off every time, it is a transport error.
    sim.inject("/v1/sessions/x", Fault::Drop, 10);
    match run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err() {
        HostError::Integration(IntegrationError::Transport(text)) => {
            assert!(text.starts_with("Error contacting Code42"), "{text}")
        }
        other => panic!("{other:?}"),
    }
    sim.clear_faults();

    sim.inject("/v2/file-events", Fault::Malformed, 1);
    let err = run(&mut instance, "code42-file-events-search", &[("username", "a@example.com")]).await.unwrap_err();
    assert!(err.to_string().starts_with("Error searching for file events: Code42 sent a response"), "{err}");

    assert_eq!(
        run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap()[0].readable_output,
        "No results found"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_and_unavailability_are_retried() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    sim.inject("/v1/sessions/x", Fault::Status { status: 429, retry_after: Some(1) }, 1);
    sim.inject("/v1/sessions/x", Fault::status(503), 1);
    let started = std::time::Instant::now();
    assert_eq!(
        run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap()[0].readable_output,
        "No results found"
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "Retry-After was honoured");
    let statuses: Vec<u16> = sim.requests().iter().filter(|r| r.path == "/v1/sessions/x").map(|r| r.status).collect();
    assert_eq!(statuses, [429, 503, 404]);
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_that_must_not_repeat_are_not_retried() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    let user = sim.tenant().users[7].username.clone();
    sim.inject("/v1/legal-hold/matters/", Fault::status(503), 1);
    let err = run(&mut instance, "code42-legalhold-add-user", &[("username", &user), ("mattername", "Patent Lawsuit")])
        .await
        .unwrap_err();
    assert!(matches!(err, HostError::Integration(IntegrationError::Upstream(ref u)) if u.status == 503), "{err:?}");
    let adds = sim.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with("/custodians")).count();
    assert_eq!(adds, 1);
}
