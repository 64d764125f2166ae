//! reference-tests.md #49–#57 and the Gen A file-events-table case, plus paging.

use super::*;
use crate::api::testing::*;
use crate::commands::Invocation;
use crate::commands::testing::run_with;
use crate::http::Method;

/// The v2 search fixture as the current reference tests need it (reference-tests.md Part 4):
/// the last page (no `nextPgToken`), first event's sha256 `testhash`.
fn search_fixture() -> Value {
    let mut f = fixture_json("v2_file_event_response.json");
    f["nextPgToken"] = Value::Null;
    f["fileEvents"][0]["file"]["hash"]["sha256"] = json!("testhash");
    f
}

fn server() -> FakeServer {
    let server = FakeServer::new();
    server.on(Method::Post, "/v2/file-events", 200, search_fixture());
    server
}

fn run(server: &FakeServer, command: &str, args: &[(&str, &str)], invocation: Invocation) -> Result<CommandResult> {
    run_with(server, command, args, invocation, 0)
}

fn sent_query(server: &FakeServer) -> Value {
    let request = server.requests().into_iter().find(|r| r.url.ends_with("/v2/file-events")).unwrap();
    serde_json::from_slice(request.body.as_ref().unwrap()).unwrap()
}

fn filters(query: &Value) -> Vec<Value> {
    query["groups"].as_array().unwrap().iter().flat_map(|g| g["filters"].as_array().unwrap().clone()).collect()
}

const SEARCH: &str = "code42-file-events-search";

// #49
#[test]
fn without_add_to_context_only_the_table_is_returned() {
    let server = server();
    let args =
        [("username", "user3@example.com"), ("results", "50"), ("add-to-context", "false"), ("min_risk_score", "1")];
    let r = run(&server, SEARCH, &args, Invocation::default()).unwrap();
    assert_eq!(r.prefix, None);
    assert_eq!(r.outputs, None);
    assert!(r.readable.starts_with("|@timestamp|"));
}

// #50
#[test]
fn with_add_to_context_the_events_are_outputs() {
    let server = server();
    let args = [("username", "user3@example.com"), ("add-to-context", "true"), ("min_risk_score", "3")];
    let r = run(&server, SEARCH, &args, Invocation::default()).unwrap();
    assert_eq!(r.outputs.as_ref().unwrap().as_array().unwrap().len(), 5);
    assert_eq!(r.prefix.as_deref(), Some("Code42.FileEvents"));
    assert_eq!(r.key_field, None);
    assert!(!r.readable.is_empty());
}

// #51
#[test]
fn builds_the_query_from_the_arguments() {
    let server = server();
    let md5 = "9cea266b4e07974df1982ae3b9de92ce";
    let args = [
        ("username", "user3@example.com"),
        ("hostname", "TEST_HOSTNAME"),
        ("hash", md5),
        ("results", "50"),
        ("min_risk_score", "3"),
    ];
    run(&server, SEARCH, &args, Invocation::default()).unwrap();
    let query = sent_query(&server);
    assert_eq!(
        filters(&query),
        [
            json!({"term": "risk.score", "operator": "GREATER_THAN", "value": 2}),
            json!({"term": "file.hash.md5", "operator": "IS", "value": md5}),
            json!({"term": "source.name", "operator": "IS", "value": "TEST_HOSTNAME"}),
            json!({"term": "user.email", "operator": "IS", "value": "user3@example.com"}),
        ]
    );
    assert_eq!(query["pgSize"], 50);
    assert_eq!(query["groupClause"], "AND");
    assert_eq!(query["srtKey"], "event.id");
    assert_eq!(query["pgToken"], "");
}

// #52
#[test]
fn a_hash_becomes_an_md5_or_sha256_filter() {
    for (hash, term) in [
        ("9cea266b4e07974df1982ae3b9de92ce", "file.hash.md5"),
        ("34d0c9fc9c907ec374cf7e8ca1ff8a172e36eccee687f0a9b69dd169debb81e1", "file.hash.sha256"),
    ] {
        let server = server();
        run(&server, SEARCH, &[("hash", hash)], Invocation::default()).unwrap();
        assert!(filters(&sent_query(&server)).contains(&json!({"term": term, "operator": "IS", "value": hash})));
    }
    let err = run(&server(), SEARCH, &[("hash", "abc")], Invocation::default()).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "hash"));
}

// #53
#[test]
fn a_json_query_is_sent_as_given_with_the_page_size_of_results() {
    let server = server();
    let group = json!({"filterClause": "OR", "filters": [
        {"term": "file.category", "operator": "IS", "value": "Archive"},
        {"term": "file.category", "operator": "IS", "value": "Pdf"}]});
    let text = json!({"groupClause": "AND", "groups": [group], "srtDir": "asc", "srtKey": "event.id", "pgNum": 1, "pgSize": 100}).to_string();
    run(
        &server,
        SEARCH,
        &[("json", &text), ("results", "50"), ("username", "ignored@example.com")],
        Invocation::default(),
    )
    .unwrap();
    let query = sent_query(&server);
    assert_eq!(query["groups"], json!([group]));
    assert_eq!(query["pgSize"], 50);
}

// #54
#[test]
fn context_events_are_merged_without_duplicates() {
    let server = server();
    let events = search_fixture()["fileEvents"].as_array().unwrap().clone();
    let context = json!({"Code42": {"FileEvents": events[..3]}});
    let invocation = Invocation { context: Some(context), incident: None };
    let r = run(&server, SEARCH, &[("username", "u@example.com"), ("add-to-context", "true")], invocation).unwrap();
    assert_eq!(r.outputs, Some(Value::Array(events)));
}

// #55
#[test]
fn without_search_arguments_it_fails() {
    let err = run(&server(), SEARCH, &[("min_risk_score", "3"), ("add-to-context", "true")], Invocation::default())
        .unwrap_err();
    assert_eq!(err.to_string(), "No query args provided for searching Code42 security events.");
}

// #56
#[test]
fn an_invalid_json_query_fails_before_any_request() {
    let server = server();
    let err = run(&server, SEARCH, &[("json", r#"{"invalid": "query"}"#)], Invocation::default()).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "json"), "{err:?}");
    assert!(server.requests().is_empty());
}

#[test]
fn results_caps_the_events_across_pages() {
    let server = FakeServer::new();
    let page = |token: Option<&str>| {
        let mut f = fixture_json("v2_file_event_response.json");
        f["nextPgToken"] = token.map_or(Value::Null, |t| json!(t));
        f
    };
    server.on_sequence(
        Method::Post,
        "/v2/file-events",
        vec![(200, page(Some("t1"))), (200, page(Some("t2"))), (200, page(None))],
    );
    let r = run(
        &server,
        SEARCH,
        &[("username", "u@example.com"), ("results", "7"), ("add-to-context", "true")],
        Invocation::default(),
    )
    .unwrap();
    assert_eq!(r.outputs.unwrap().as_array().unwrap().len(), 5, "the same five ids twice are de-duplicated");
    let bodies: Vec<Value> =
        server.requests().iter().filter_map(|r| r.body.as_ref()).map(|b| serde_json::from_slice(b).unwrap()).collect();
    assert_eq!(bodies.len(), 2, "stops once 7 events are in");
    assert_eq!((bodies[0]["pgSize"].clone(), bodies[0]["pgToken"].clone()), (json!(7), json!("")));
    assert_eq!((bodies[1]["pgSize"].clone(), bodies[1]["pgToken"].clone()), (json!(2), json!("t1")));
}

#[test]
fn search_errors_use_the_reference_prefix() {
    let server = FakeServer::new();
    server.on(Method::Post, "/v2/file-events", 400, json!({"problems": [{"type": "INVALID_TERM"}]}));
    let err = run(&server, SEARCH, &[("username", "u@example.com")], Invocation::default()).unwrap_err();
    assert!(err.to_string().starts_with("Error searching for file events: 400 Response Error"), "{err}");
    assert!(err.to_string().contains("INVALID_TERM"));
}

// #57
#[test]
fn the_table_shows_v2_incident_events_and_has_no_outputs() {
    let events = search_fixture()["fileEvents"].clone();
    let incident = json!({"CustomFields": {"code42fileeventsversion": "2", "code42fileevents": events}});
    let r = run(
        &server(),
        "code42-file-events-table",
        &[("include", "all")],
        Invocation { incident: Some(incident), context: None },
    )
    .unwrap();
    assert_eq!(r.outputs, None);
    assert_eq!(r.readable.lines().count(), 2 + 5);
}

// Gen A: v1 events sharing one id are shown once.
#[test]
fn the_table_shows_each_v1_event_once() {
    let v1: Vec<Value> = fixture_json("mock_security_event_response.json")["fileEvents"].as_array().unwrap()[..2]
        .iter()
        .map(|e| Value::Object(e.as_object().unwrap().iter().map(|(k, v)| (k.to_lowercase(), v.clone())).collect()))
        .collect();
    let id = v1[0]["eventid"].as_str().unwrap().to_string();
    let incident = json!({"CustomFields": {"code42fileeventsversion": "1", "code42fileevents": v1}});
    let r = run(&server(), "code42-file-events-table", &[], Invocation { incident: Some(incident), context: None })
        .unwrap();
    assert_eq!(r.readable.matches(&id).count(), 1, "{}", r.readable);
}

#[test]
fn the_table_reads_incident_raw_json_and_the_context() {
    let events = search_fixture()["fileEvents"].as_array().unwrap().clone();
    let raw = json!({"fileevents": events[..2]}).to_string();
    let incident = json!({"rawJSON": raw});
    let context = json!({"Code42": {"FileEvents": events[1..4]}});
    let invocation = Invocation { incident: Some(incident), context: Some(context) };
    let all = run(&server(), "code42-file-events-table", &[], invocation.clone()).unwrap();
    assert_eq!(all.readable.lines().count(), 2 + 4, "two from the incident, two new from the context");
    let searches = run(&server(), "code42-file-events-table", &[("include", "searches")], invocation).unwrap();
    assert_eq!(searches.readable.lines().count(), 2 + 3);
    let err =
        run(&server(), "code42-file-events-table", &[("include", "incident")], Invocation::default()).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "include"));
}
