//! The alert commands and test-module, through the compiled component, against the simulator.

use e2e::*;
use host_runner::HostError;
use host_runner::bindings::IntegrationError;
use incydr_sim::SimConfig;
use serde_json::json;

/// The newest open session that has alerts, and what the tenant says about it.
fn open_alert(sim: &incydr_sim::Simulator) -> (String, serde_json::Value) {
    let tenant = sim.tenant();
    let s = tenant.open_alerts().max_by_key(|s| s.begin_time).expect("an open alert");
    let actor = tenant.actor_by_id(&s.actor_id).unwrap().name.clone();
    let rules: Vec<String> = s
        .triggered_alerts
        .iter()
        .map(|t| tenant.rules.iter().find(|r| r.id == t["ruleId"]).unwrap().name.clone())
        .collect();
    let severity = ["NO RISK", "LOW", "MODERATE", "HIGH", "CRITICAL"][s.severity() as usize];
    let expected = json!({
        "Username": actor,
        "Description": rules.join(", "),
        "ID": s.session_id,
        "Name": s.exfiltration_summary,
        "State": "OPEN",
        "Severity": severity,
    });
    (s.session_id.clone(), expected)
}

#[tokio::test(flavor = "multi_thread")]
async fn test_module_authenticates_to_the_gateway_and_the_console() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    instance.test_module().await.unwrap();
    let paths: Vec<String> = sim.requests().iter().map(|r| format!("{} {} {}", r.service, r.method, r.path)).collect();
    assert_eq!(
        paths,
        [
            "gateway POST /v1/oauth",
            "gateway GET /v1/actors/actor/search",
            "console POST /api/v3/oauth/token",
            "console GET /api/v3/customer/my"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_get_shows_the_session_as_the_tenant_has_it() {
    let sim = simulator(SimConfig::default()).await;
    let (id, expected) = open_alert(&sim);
    let mut instance = instance(&sim).await;
    let results = run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r.outputs_prefix.as_deref(), Some("Code42.SecurityAlert"));
    assert_eq!(r.outputs_key_field.as_deref(), Some("ID"));
    let context = &outputs(r)[0];
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&context[key], value, "{key}");
    }
    assert!(context["Occurred"].as_str().unwrap().ends_with("+00:00"));
    assert!(
        r.readable_output
            .starts_with("### Code42 Security Alert Results\n|Type|Occurred|Username|Name|Description|State|ID|")
    );
    assert!(r.readable_output.contains(&id));
    let raw = raw(r);
    assert_eq!(raw["sessionId"], id.as_str());
    assert_eq!(raw["alertUrl"], format!("{}/app/#/alerts/review-alerts/{id}", sim.console_url()));
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_get_of_an_unknown_alert_says_no_results_found() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    let results = run(&mut instance, "code42-alert-get", &[("id", "no-such-session")]).await.unwrap();
    assert_eq!(results[0].readable_output, "No results found");
    assert_eq!(outputs(&results[0]), json!({"Results": []}));
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_resolve_closes_the_session_in_the_tenant() {
    let sim = simulator(SimConfig::default()).await;
    let (id, _) = open_alert(&sim);
    let mut instance = instance(&sim).await;
    let results = run(&mut instance, "!code42-alert-resolve", &[("id", &id)]).await.unwrap();
    assert!(results[0].readable_output.starts_with("### Code42 Security Alert Resolved\n"));
    assert_eq!(outputs(&results[0])[0]["State"], "CLOSED_TP");
    assert_eq!(sim.tenant().session(&id).unwrap().state(), "CLOSED_TP");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_update_sets_every_state() {
    let sim = simulator(SimConfig::default()).await;
    let (id, _) = open_alert(&sim);
    let mut instance = instance(&sim).await;
    for state in ["CLOSED_FP", "CLOSED_TP_BENIGN", "OPEN", "CLOSED_TP"] {
        let results = run(&mut instance, "code42-alert-update", &[("id", &id), ("state", state)]).await.unwrap();
        assert_eq!(outputs(&results[0])[0]["State"], state);
        assert_eq!(sim.tenant().session(&id).unwrap().state(), state);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_update_refuses_an_unknown_state_before_any_request() {
    let sim = simulator(SimConfig::default()).await;
    let mut instance = instance(&sim).await;
    sim.clear_requests();
    let err = run(&mut instance, "code42-alert-update", &[("id", "x"), ("state", "RESOLVED")]).await.unwrap_err();
    match err {
        HostError::Integration(IntegrationError::InvalidArgument(a)) => {
            assert_eq!(a.name, "state");
            assert!(a.message.contains("OPEN, CLOSED_TP, CLOSED_FP, CLOSED_TP_BENIGN"), "{}", a.message);
        }
        other => panic!("{other:?}"),
    }
    assert!(sim.requests().is_empty());
}
