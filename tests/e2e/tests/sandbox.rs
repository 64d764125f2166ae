//! The sandbox around the component: egress only to the configured origins.

use e2e::*;
use host_runner::bindings::IntegrationError;
use host_runner::{EgressPolicy, HostError, Origin};
use incydr_sim::SimConfig;

#[tokio::test(flavor = "multi_thread")]
async fn a_request_to_a_host_not_configured_never_leaves_the_host() {
    let sim = simulator(SimConfig::default()).await;
    // The host allows only the console; the plugin is told the gateway is elsewhere.
    let policy = EgressPolicy { allowed: vec![Origin::parse(&sim.console_url()).unwrap()], ..Default::default() };
    let mut instance = runtime().instance(params(&sim, vec![]), policy).await.unwrap();
    let err = run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err();
    match err {
        HostError::Integration(IntegrationError::Transport(text)) => assert!(text.contains("refused"), "{text}"),
        other => panic!("{other:?}"),
    }
    assert!(sim.requests().iter().all(|r| r.service != "gateway"), "{:?}", sim.requests());
    let denied = instance.denied_requests();
    assert_eq!(denied, [format!("POST {}/v1/oauth", sim.api_url())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn another_port_of_an_allowed_host_is_denied() {
    let sim = simulator(SimConfig::default()).await;
    let other_port = format!("http://127.0.0.1:{}", sim.gateway.port().wrapping_add(1).max(1));
    let mut instance =
        runtime().instance(params(&sim, vec![text("api_url", &other_port)]), policy(&sim)).await.unwrap();
    assert!(run(&mut instance, "code42-alert-get", &[("id", "x")]).await.is_err());
    assert_eq!(instance.denied_requests(), [format!("POST {other_port}/v1/oauth")]);
}
