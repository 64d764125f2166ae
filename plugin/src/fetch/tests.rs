//! reference-tests.md #38–#48, adapted where product-decisions §4 changes the algorithm.

use super::*;
use crate::api::testing::*;
use crate::http::Method;
use crate::params::ParamValue;
use serde_json::json;

/// An hour after the fixtures' sessions were observed.
const NOW: i64 = 1_726_083_300_018 + 3_600_000;

/// session_response_2 as the current reference tests need it (reference-tests.md Part 4):
/// id `sessionid-abc-2`, firstObserved 1726083300018.
fn session_2() -> Value {
    let mut s = fixture_json("session_response_2.json");
    s["sessionId"] = json!("sessionid-abc-2");
    s["firstObserved"] = json!(1_726_083_300_018_i64);
    s
}

fn sessions_in_order(order: &[usize]) -> Vec<Value> {
    let all = [fixture_json("session_response.json"), session_2(), fixture_json("session_response_3.json")];
    order.iter().map(|i| all[*i].clone()).collect()
}

fn server(items: Vec<Value>) -> FakeServer {
    let server = session_server();
    server.on(Method::Get, "/v1/sessions", 200, json!({"items": items, "totalCount": 3}));
    let events = fixture_json("v2_file_event_response.json");
    for id in ["sessionid-abc-1", "sessionid-abc-2", "sessionid-abc-3"] {
        let body = json!({"queryResult": {"fileEvents": events["fileEvents"], "totalCount": 5}});
        server.on(Method::Get, &format!("/v1/sessions/{id}/events"), 200, body);
    }
    server.on(Method::Get, "/v1/sessions/sessionid-abc-2", 200, session_2());
    server.on_fixture(Method::Get, "/v1/sessions/sessionid-abc-3", "session_response_3.json");
    server
}

fn run(server: &FakeServer, params: &[(&str, ParamValue)], last_run: Option<&str>) -> FetchResult {
    let client = Client::new(server.clone(), settings_with(params));
    fetch_incidents(&client, last_run, NOW).unwrap()
}

fn text(s: &str) -> ParamValue {
    ParamValue::Text(s.into())
}

fn raw(incident: &Incident) -> Value {
    serde_json::from_str(&incident.raw_json).unwrap()
}

fn session_queries(server: &FakeServer) -> Vec<String> {
    server.api_calls().into_iter().filter(|c| c.starts_with("GET /v1/sessions?")).collect()
}

// #38
#[test]
fn a_single_severity_is_one_integer_filter() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    run(&server, &[("alert_severity", text("High"))], None);
    let query = &session_queries(&server)[0];
    assert_eq!(query.matches("severity=").count(), 1, "{query}");
    assert!(query.contains("severity=3"), "{query}");
}

// #39
#[test]
fn several_severities_are_repeated_filters() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    run(&server, &[("alert_severity", ParamValue::Multi(vec!["High".into(), "Low".into()]))], None);
    let query = &session_queries(&server)[0];
    assert!(query.contains("severity=3") && query.contains("severity=1"), "{query}");
}

#[test]
fn lists_open_alert_sessions_with_snake_case_paging() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    run(&server, &[], None);
    let query = &session_queries(&server)[0];
    let start = NOW - 24 * 3_600_000;
    assert_eq!(
        query,
        &format!(
            "GET /v1/sessions?on_or_after={start}&has_alerts=true&state=OPEN&state=OPEN_NEW_DATA&page_number=0&page_size=50"
        )
    );
}

// #40
#[test]
fn include_files_attaches_the_session_events() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let result = run(&server, &[("include_files", ParamValue::Boolean(true))], None);
    assert_eq!(result.incidents.len(), 3);
    for incident in &result.incidents {
        let raw = raw(incident);
        assert_eq!(raw["fileevents"].as_array().unwrap().len(), 5);
        assert_eq!(raw["fileevents_version"], "2");
        assert_eq!(raw["exfiltrationSummary"], "5 document file(s) shared via link from corporate Box");
        assert_eq!(incident.name, "Code42 - 5 document file(s) shared via link from corporate Box");
    }
}

#[test]
fn include_files_without_v2_events_attaches_v1_events() {
    let server = server(sessions_in_order(&[0]));
    let params = [("include_files", ParamValue::Boolean(true)), ("v2_events", ParamValue::Boolean(false))];
    let result = run(&server, &params, None);
    let raw = raw(&result.incidents[0]);
    assert_eq!(raw["fileevents_version"], "1");
    assert_eq!(raw["fileevents"][0]["eventId"], "0106499c-89d0-4809-bef8-f647a6059982_EPS");
}

// #41
#[test]
fn without_include_files_no_events_are_attached() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let result = run(&server, &[], None);
    assert!(result.incidents.iter().all(|i| raw(i).get("fileevents").is_none()));
    assert!(!server.api_calls().iter().any(|c| c.ends_with("/events")));
}

// #42
#[test]
fn the_first_run_emits_every_session() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let result = run(&server, &[("incident_type", text("Code42 Alert"))], None);
    assert_eq!(result.incidents.len(), 3);
    assert_eq!(result.next_run.last_fetch, Some(1_726_083_300_018));
    let first = &result.incidents[0];
    assert_eq!(first.name, "Code42 - document file(s) shared via link from corporate Box");
    assert_eq!(first.occurred, "2024-09-11T19:26:00.680000+00:00");
    assert_eq!(first.severity, 2.0);
    assert_eq!(first.incident_type.as_deref(), Some("Code42 Alert"));
    let raw = raw(first);
    assert_eq!(raw["sessionId"], "sessionid-abc-1");
    assert_eq!(raw["actor"], "someactor@domain.com");
    assert_eq!(raw["rule_names"], "example rule name");
    assert_eq!(raw["riskSeverity"], "MODERATE");
}

// #43: a reference state in seconds is migrated; its window reaches back past the sessions.
#[test]
fn a_reference_state_in_seconds_is_migrated() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let result = run(&server, &[], Some(r#"{"last_fetch": 1577836800}"#));
    assert_eq!(result.incidents.len(), 3);
    assert_eq!(result.next_run.last_fetch, Some(1_726_083_300_018));
    let start = 1_577_836_800_000_i64 - 24 * 3_600_000;
    assert!(session_queries(&server)[0].contains(&format!("on_or_after={start}")));
}

// #44: what exceeds the limit is carried in the state as ids, not in a side store.
#[test]
fn what_exceeds_the_limit_waits_in_the_state() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let first = run(&server, &[("fetch_limit", ParamValue::Integer(2))], None);
    assert_eq!(first.incidents.len(), 2);
    assert_eq!(first.next_run.pending, ["sessionid-abc-3"]);
    assert!(first.next_run.last_fetch.is_some());
    let listings = session_queries(&server).len();
    let second = run(&server, &[("fetch_limit", ParamValue::Integer(2))], Some(&first.next_run.to_json()));
    assert_eq!(second.incidents.len(), 1);
    assert_eq!(raw(&second.incidents[0])["sessionId"], "sessionid-abc-3");
    assert!(second.next_run.pending.is_empty());
    assert_eq!(session_queries(&server).len(), listings, "the backlog is served without listing");
    let third = run(&server, &[("fetch_limit", ParamValue::Integer(2))], Some(&second.next_run.to_json()));
    assert!(third.incidents.is_empty(), "nothing is emitted twice");
}

// #45
#[test]
fn the_state_remembers_the_ids_at_the_watermark() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let result = run(&server, &[], None);
    assert_eq!(result.next_run.incidents_at_last_fetch_timestamp, ["sessionid-abc-2", "sessionid-abc-3"]);
}

const SEEN_ABC_1: &str = r#"{"last_fetch": null, "incidents_at_last_fetch_timestamp": ["sessionid-abc-1"]}"#;

// #46
#[test]
fn sessions_already_emitted_are_dropped() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    assert_eq!(run(&server, &[], Some(SEEN_ABC_1)).incidents.len(), 2);
}

// #47
#[test]
fn sessions_already_emitted_are_dropped_in_any_order() {
    let server = server(sessions_in_order(&[2, 1, 0]));
    let result = run(&server, &[], Some(SEEN_ABC_1));
    assert_eq!(result.incidents.len(), 2);
    let ids: Vec<Value> = result.incidents.iter().map(|i| raw(i)["sessionId"].clone()).collect();
    assert_eq!(ids, [json!("sessionid-abc-2"), json!("sessionid-abc-3")], "oldest first");
}

// #48
#[test]
fn the_id_list_is_reset_when_the_watermark_moves() {
    let server = server(sessions_in_order(&[0, 1, 2]));
    let result = run(&server, &[], Some(SEEN_ABC_1));
    assert_eq!(result.next_run.incidents_at_last_fetch_timestamp.len(), 2);
}

#[test]
fn a_session_at_the_watermark_not_yet_seen_is_emitted_once() {
    let server = server(sessions_in_order(&[0, 1]));
    let first = run(&server, &[], None);
    assert_eq!(first.incidents.len(), 2);
    server.on(Method::Get, "/v1/sessions", 200, json!({"items": sessions_in_order(&[0, 1, 2])}));
    let second = run(&server, &[], Some(&first.next_run.to_json()));
    assert_eq!(second.incidents.len(), 1);
    assert_eq!(second.next_run.incidents_at_last_fetch_timestamp, ["sessionid-abc-2", "sessionid-abc-3"]);
    let third = run(&server, &[], Some(&second.next_run.to_json()));
    assert!(third.incidents.is_empty());
}

#[test]
fn pages_until_a_short_page() {
    let server = server(vec![]);
    let page: Vec<Value> = (0..50)
        .map(|i| {
            let mut s = fixture_json("session_response.json");
            s["sessionId"] = json!(format!("s-{i}"));
            s
        })
        .collect();
    server.on_sequence(Method::Get, "/v1/sessions", vec![(200, json!({"items": page})), (200, json!({"items": []}))]);
    let result = run(&server, &[("fetch_limit", ParamValue::Integer(10))], None);
    let queries = session_queries(&server);
    assert_eq!(queries.len(), 2);
    assert!(queries[1].contains("page_number=1"));
    assert_eq!(result.incidents.len(), 10);
    assert_eq!(result.next_run.pending.len(), 40);
}

#[test]
fn a_bad_state_is_an_error_not_a_reset() {
    let server = server(sessions_in_order(&[0]));
    let client = Client::new(server.clone(), settings_with(&[]));
    assert!(fetch_incidents(&client, Some("{\"version\": 7}"), NOW).is_err());
    assert!(server.api_calls().is_empty());
}
