//! The sandbox around a component: egress only to the configured origins (not other hosts,
//! ports, IP literals, or redirect targets), memory cap, call deadline, no files, no environment,
//! a panic reported as an internal error with the instance rebuilt for the next call.

use e2e::*;
use host_runner::bindings::IntegrationError;
use host_runner::{EgressPolicy, HostError, Limits, Origin};
use incydr_sim::SimConfig;
use incydr_sim::faults::Fault;
use std::time::{Duration, Instant};

fn only(urls: &[&str]) -> EgressPolicy {
    EgressPolicy { allowed: urls.iter().map(|u| Origin::parse(u).unwrap()).collect(), ..Default::default() }
}

fn transport(err: HostError) -> String {
    match err {
        HostError::Integration(IntegrationError::Transport(text)) => text,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_to_a_host_not_configured_never_leaves_the_host() {
    let sim = simulator(SimConfig::default()).await;
    // The host allows only the console; the plugin is told the gateway is elsewhere.
    let mut instance = runtime().instance(params(&sim, vec![]), only(&[&sim.console_url()])).await.unwrap();
    let text = transport(run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err());
    let host = sim.api_url().trim_start_matches("http://").to_string();
    assert_eq!(text, format!("Error contacting Code42: the host's egress policy does not allow requests to {host}"));
    assert!(sim.requests().iter().all(|r| r.service != "gateway"), "{:?}", sim.requests());
    assert_eq!(instance.denied_requests(), [format!("POST {}/v1/oauth", sim.api_url())]);
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

#[tokio::test(flavor = "multi_thread")]
async fn an_ip_literal_is_denied_when_the_host_was_configured_by_name() {
    let sim = simulator(SimConfig::default()).await;
    let by_name = format!("http://localhost:{}", sim.gateway.port());
    let mut instance = runtime().instance(params(&sim, vec![]), only(&[&by_name, &sim.console_url()])).await.unwrap();
    assert!(run(&mut instance, "code42-alert-get", &[("id", "x")]).await.is_err());
    assert!(sim.requests().is_empty());
    // The same address by name goes through.
    let mut named = runtime()
        .instance(params(&sim, vec![text("api_url", &by_name)]), only(&[&by_name, &sim.console_url()]))
        .await
        .unwrap();
    run(&mut named, "code42-alert-get", &[("id", "x")]).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_elsewhere_is_neither_followed_nor_allowed() {
    let sim = simulator(SimConfig::default()).await;
    let elsewhere = simulator(SimConfig::default()).await;
    let target = format!("{}/v1/sessions/x", elsewhere.api_url());
    // The plugin does not follow redirects.
    sim.inject("/v1/sessions/x", Fault::Redirect { location: target.clone() }, 1);
    let mut instance = instance(&sim).await;
    let err = run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err();
    assert!(matches!(&err, HostError::Integration(IntegrationError::Upstream(u)) if u.status == 302), "{err:?}");
    // A guest that does follow is stopped by the host.
    sim.inject("/anything", Fault::Redirect { location: target.clone() }, 1);
    let mut rogue = rogue(Limits::default(), policy(&sim)).await;
    let url = format!("{}/anything", sim.api_url());
    let text = transport(run(&mut rogue, "rogue-fetch", &[("url", &url), ("follow", "true")]).await.unwrap_err());
    assert!(text.contains("HttpRequestDenied"), "{text}");
    assert_eq!(rogue.denied_requests(), [format!("GET {target}")]);
    assert!(elsewhere.requests().is_empty(), "nothing reached the redirect target");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_asking_for_more_memory_than_the_cap_fails_cleanly() {
    let limits = Limits { memory_bytes: 32 * 1024 * 1024, ..Limits::default() };
    let mut rogue = rogue(limits, EgressPolicy::default()).await;
    let ok = run(&mut rogue, "rogue-alloc", &[("mib", "8")]).await.unwrap();
    assert_eq!(ok[0].readable_output, format!("allocated {} bytes", 8 * 1024 * 1024));
    let err = run(&mut rogue, "rogue-alloc", &[("mib", "64")]).await.unwrap_err();
    assert!(matches!(&err, HostError::Trap(m) if m == "memory limit of 33554432 bytes exceeded"), "{err:?}");
    assert_eq!(err.kind(), "internal");
    assert_eq!(run(&mut rogue, "rogue-echo", &[]).await.unwrap()[0].readable_output, "ok", "the next call is served");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_in_a_cpu_loop_is_stopped_by_the_deadline() {
    let limits = Limits { call_timeout: Duration::from_millis(500), ..Limits::default() };
    let mut rogue = rogue(limits, EgressPolicy::default()).await;
    let started = Instant::now();
    let err = run(&mut rogue, "rogue-spin", &[]).await.unwrap_err();
    assert!(matches!(err, HostError::Timeout(d) if d == Duration::from_millis(500)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(run(&mut rogue, "rogue-echo", &[]).await.unwrap()[0].readable_output, "ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_is_stopped_by_the_deadline() {
    let sim = simulator(SimConfig::default()).await;
    let limits = Limits { call_timeout: Duration::from_secs(1), ..Limits::default() };
    let runtime = host_runner::Runtime::new(
        host_runner::CODE42_COMPONENT,
        host_runner::RuntimeOptions { limits, ..Default::default() },
    )
    .unwrap();
    let mut instance = runtime.instance(params(&sim, vec![]), policy(&sim)).await.unwrap();
    sim.inject("/v1/sessions/", Fault::Hang, 1);
    let started = Instant::now();
    let err = run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap_err();
    assert!(matches!(err, HostError::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let results = run(&mut instance, "code42-alert-get", &[("id", "x")]).await.unwrap();
    assert_eq!(results[0].readable_output, "No results found", "the next call is served");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guest_cannot_read_files_or_the_environment() {
    assert!(std::env::var("PATH").is_ok(), "the host itself has PATH");
    let mut rogue = rogue(Limits::default(), EgressPolicy::default()).await;
    for path in ["/etc/passwd", "Cargo.toml", "."] {
        let out = run(&mut rogue, "rogue-read-file", &[("path", path)]).await.unwrap();
        assert!(out[0].readable_output.starts_with("cannot read:"), "{path}: {}", out[0].readable_output);
    }
    for name in ["PATH", "HOME", "CODE42_CLIENT_SECRET"] {
        assert_eq!(run(&mut rogue, "rogue-env", &[("name", name)]).await.unwrap()[0].readable_output, "<unset>");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_is_an_internal_error_and_the_next_call_is_served() {
    let mut rogue = rogue(Limits::default(), EgressPolicy::default()).await;
    let err = run(&mut rogue, "rogue-panic", &[("message", "boom at step 3")]).await.unwrap_err();
    assert_eq!(err.kind(), "internal");
    let text = err.to_string();
    assert!(text.starts_with("internal error: the integration crashed: ") && text.contains("boom at step 3"), "{text}");
    assert_eq!(run(&mut rogue, "rogue-echo", &[]).await.unwrap()[0].readable_output, "ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn responses_over_the_host_cap_are_cut_off() {
    let sim = simulator(SimConfig::default()).await;
    let (sha, size) = {
        let t = sim.tenant();
        let (sha, bytes) = t.files.iter().find(|(_, b)| b.len() > 2048).unwrap();
        (sha.clone(), bytes.len())
    };
    let small = EgressPolicy { max_response_bytes: 1024, ..policy(&sim) };
    let mut instance = runtime().instance(params(&sim, vec![]), small).await.unwrap();
    let err = run(&mut instance, "code42-download-file", &[("hash", &sha)]).await.unwrap_err();
    let text = transport(err);
    assert!(size > 1024 && text.ends_with("is larger than allowed"), "{text}");
    // The same download under the default cap works.
    let mut roomy = e2e::instance(&sim).await;
    assert_eq!(run(&mut roomy, "code42-download-file", &[("hash", &sha)]).await.unwrap()[0].files[0].data.len(), size);
}
