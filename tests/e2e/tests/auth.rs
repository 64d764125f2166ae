//! OAuth through the component: tokens reused, refreshed after a 401, renewed when expired,
//! and refused credentials reported with the reference's text.

use e2e::*;
use host_runner::HostError;
use host_runner::bindings::IntegrationError;
use incydr_sim::SimConfig;
use std::time::Duration;

fn oauth_requests(sim: &incydr_sim::Simulator) -> usize {
    sim.requests().iter().filter(|r| r.path == "/v1/oauth").count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_is_reused_for_the_life_of_the_instance() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    for _ in 0..3 {
        run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();
    }
    assert_eq!(oauth_requests(&sim), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_gets_a_new_token_and_the_request_is_retried_once() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();
    sim.expire_tokens();
    sim.clear_requests();
    let results = run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();
    assert_eq!(results[0].readable_output, "No results found");
    let log: Vec<(String, u16)> = sim.requests().iter().map(|r| (r.path.clone(), r.status)).collect();
    assert_eq!(log, [("/v1/sessions/x".into(), 401), ("/v1/oauth".into(), 200), ("/v1/sessions/x".into(), 404)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_renewed_before_it_is_used() {
    let sim = simulator(SimConfig { token_ttl: Duration::from_secs(1), ..SimConfig::default() }).await;
    let mut instance = instance(&sim).await;
    run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();
    assert_eq!(oauth_requests(&sim), 2);
    assert!(sim.requests().iter().all(|r| r.status != 401), "the expired token was never sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_fails_test_module_with_the_reference_text() {
    let sim = simulator(SimConfig::default()).await;
    let params = params(&sim, vec![text("client_secret", "not-the-secret")]);
    let mut instance = runtime().instance(params, policy(&sim)).await.unwrap();
    match instance.test_module().await.unwrap_err() {
        HostError::Integration(IntegrationError::Unauthorized(text)) => {
            assert!(
                text.starts_with(
                    "Invalid credentials or host address. Check that the username and password are correct"
                ),
                "{text}"
            );
            assert!(!text.contains("not-the-secret"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_client_id_is_refused_before_any_request() {
    let sim = simulator(SimConfig::default()).await;
    let params = params(&sim, vec![text("client_id", "user@example.com")]);
    match runtime().instance(params, policy(&sim)).await.err().unwrap() {
        HostError::Integration(IntegrationError::InvalidArgument(a)) => {
            assert_eq!(a.name, "client_id");
            assert_eq!(a.message, "Got invalid API Client ID: user@example.com");
        }
        other => panic!("{other:?}"),
    }
    assert!(sim.requests().is_empty());
}
