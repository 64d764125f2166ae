use super::*;
use crate::api::testing::*;
use crate::commands::Invocation;
use crate::commands::testing::{body, run_with};
use crate::http::Method;
use crate::params::ParamValue;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_800_000_000_000;

fn run(server: &FakeServer, command: &str, args: &[(&str, &str)]) -> Result<CommandResult> {
    run_with(server, command, args, Invocation::default(), NOW)
}

/// A client configured with mirroring parameters.
fn mirrored(server: &FakeServer, params: &[(&str, &str)]) -> Client<FakeServer> {
    let params: Vec<(&str, ParamValue)> = params.iter().map(|(k, v)| (*k, ParamValue::Text(v.to_string()))).collect();
    client_with(server, &params)
}

fn session(id: &str, notes: Value, states: Value) -> Value {
    json!({"sessionId": id, "actorId": "someactorid", "beginTime": NOW - DAY, "lastUpdated": NOW - 1000,
           "notes": notes, "states": states, "triggeredAlerts": []})
}

#[test]
fn modified_lists_each_session_updated_after_last_update_once_over_every_page() {
    let server = FakeServer::new();
    let page = |ids: &[(&str, i64)]| json!({"items": ids.iter().map(|(id, t)| json!({"sessionId": id, "lastUpdated": t})).collect::<Vec<_>>()});
    let full: Vec<(String, i64)> =
        (0..50).map(|i| (format!("s{i}"), if i % 2 == 0 { NOW - 10 } else { NOW - 5 * DAY })).collect();
    let full: Vec<(&str, i64)> = full.iter().map(|(id, t)| (id.as_str(), *t)).collect();
    server.on_sequence(
        Method::Get,
        "/v1/sessions",
        vec![(200, page(&full)), (200, page(&[("s0", NOW - 1), ("late", NOW - 2)]))],
    );
    let result = run(&server, "get-modified-remote-data", &[("lastUpdate", &(NOW - DAY).to_string())]).unwrap();
    let ids = result.raw.unwrap();
    assert_eq!(ids.as_array().unwrap().len(), 26, "25 even sessions of the first page, then late; s0 once: {ids}");
    assert_eq!(ids[0], "s0");
    assert_eq!(ids[25], "late");
    let calls = server.api_calls();
    assert!(calls[0].contains(&format!("on_or_after={}", NOW - 30 * DAY)), "{calls:?}");
    assert!(calls[0].contains("has_alerts=true") && !calls[0].contains("state="), "{calls:?}");
    assert!(calls[1].contains("page_number=1"), "{calls:?}");
}

fn remote(server: &FakeServer, params: &[(&str, &str)], since: i64) -> Value {
    let client = mirrored(server, params);
    let args = Args::from_pairs(&[("id", "s1"), ("lastUpdate", &since.to_string())]);
    remote_data(&client, &args).unwrap().raw.unwrap()
}

#[test]
fn remote_data_brings_new_code42_notes_once_and_never_ours() {
    let server = session_server();
    let notes = json!([
        {"id": "n1", "content": "old", "sourceTimestamp": NOW - 3000, "userId": "ana"},
        {"id": "n2", "content": "Looked at the files", "sourceTimestamp": NOW - 1000, "userId": "ana"},
        {"id": "n3", "content": "from us\n\n(from XSOAR entry 12)", "sourceTimestamp": NOW - 900, "userId": "api"},
    ]);
    server.on(
        Method::Get,
        "/v1/sessions/s1",
        200,
        session("s1", notes, json!([{"state": "OPEN", "sourceTimestamp": NOW - 5000}])),
    );
    let answer = remote(&server, &[("mirror_direction", "Incoming")], NOW - 2000);
    let entries = answer["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let text = entries[0]["Contents"].as_str().unwrap();
    assert!(text.starts_with("Looked at the files\n\n(Code42 note by ana at "), "{text}");
    assert_eq!(answer["mirrored_object"]["id"], "s1");
    assert_eq!(answer["mirrored_object"]["mirror_id"], "s1");
    assert_eq!(answer["mirrored_object"]["mirror_direction"], "In");
    assert_eq!(answer["mirrored_object"]["riskSeverity"], "NO RISK", "shaped as fetch shapes it");
    assert!(remote(&server, &[], NOW - 500)["entries"].as_array().unwrap().is_empty(), "nothing after the note");
}

#[test]
fn a_session_closed_in_code42_closes_the_incident_only_with_close_incident() {
    let server = session_server();
    let states =
        json!([{"state": "OPEN", "sourceTimestamp": NOW - 5000}, {"state": "CLOSED_FP", "sourceTimestamp": NOW - 100}]);
    server.on(Method::Get, "/v1/sessions/s1", 200, session("s1", json!([]), states));
    assert!(remote(&server, &[], NOW - 1000)["entries"].as_array().unwrap().is_empty());
    let entries = remote(&server, &[("close_incident", "true")], NOW - 1000)["entries"].clone();
    assert_eq!(
        entries,
        json!([{"Type": 1, "Contents": {"dbotIncidentClose": true, "closeReason": "False Positive",
            "closeNotes": "Closed in Code42 as CLOSED_FP."}, "ContentsFormat": "json"}])
    );
    assert!(
        remote(&server, &[("close_incident", "true")], NOW)["entries"].as_array().unwrap().is_empty(),
        "closed before lastUpdate"
    );
}

#[test]
fn a_session_open_again_reopens_the_incident() {
    let server = session_server();
    let states =
        json!([{"state": "CLOSED_TP", "sourceTimestamp": NOW - 5000}, {"state": "OPEN", "sourceTimestamp": NOW - 100}]);
    server.on(Method::Get, "/v1/sessions/s1", 200, session("s1", json!([]), states));
    assert_eq!(
        remote(&server, &[], NOW - 1000)["entries"],
        json!([{"Type": 1, "Contents": {"dbotIncidentReopen": true}, "ContentsFormat": "json"}])
    );
}

#[test]
fn an_unknown_session_is_not_found() {
    let server = session_server();
    let err = run(&server, "get-remote-data", &[("id", "nope"), ("lastUpdate", "0")]).unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

fn update(server: &FakeServer, params: &[(&str, &str)], args: &[(&str, &str)]) -> CommandResult {
    let client = mirrored(server, params);
    update_remote(&client, &Args::from_pairs(args)).unwrap()
}

fn notes_sent(server: &FakeServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter(|r| r.url.ends_with("/add-note"))
        .map(|r| {
            serde_json::from_slice::<Value>(r.body.as_deref().unwrap()).unwrap()["noteContent"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn tagged_entries_become_notes_once_and_untagged_ones_stay() {
    let server = session_server();
    let already =
        json!([{"id": "n", "content": "seen\n\n(from XSOAR entry 3)", "sourceTimestamp": 1, "userId": "api"}]);
    server.on(
        Method::Get,
        "/v1/sessions/s1",
        200,
        session("s1", already, json!([{"state": "OPEN", "sourceTimestamp": 1}])),
    );
    server.on(Method::Post, "/v1/sessions/s1/add-note", 200, json!({}));
    let long = "x".repeat(4500);
    let entries = json!([
        {"id": "1", "contents": "Escalated to HR", "tags": ["comment"], "type": 1},
        {"id": "2", "contents": "internal only", "tags": ["other"], "type": 1},
        {"id": "3", "contents": "seen", "tags": ["comment"], "type": 1},
        {"id": "4", "contents": long, "tags": ["comment", "x"], "type": 1},
    ]);
    let result = update(&server, &[], &[("remoteId", "s1"), ("status", "1"), ("entries", &entries.to_string())]);
    assert_eq!(result.raw, Some(json!("s1")));
    let sent = notes_sent(&server);
    assert_eq!(sent[0], "Escalated to HR\n\n(from XSOAR entry 1)");
    assert_eq!(sent.len(), 4, "entry 1, and entry 4 in three parts: {sent:?}");
    assert!(sent[1..].iter().all(|n| n.chars().count() <= 2000), "at most 2,000 characters each");
    assert!(sent[3].ends_with("(from XSOAR entry 4, part 3 of 3)"));
    let joined: String = sent[1..].iter().map(|n| n.split("\n\n(from XSOAR").next().unwrap()).collect();
    assert_eq!(joined, long, "nothing lost in the split");
    assert!(!server.requests().iter().any(|r| r.url.ends_with("/change-state")), "without close_out no state changes");
}

#[test]
fn closing_the_incident_closes_the_session_with_the_mapped_state_and_its_notes() {
    for (reason, state) in [("False Positive", "CLOSED_FP"), ("Resolved", "CLOSED_TP"), ("Duplicate", "CLOSED")] {
        let server = session_server();
        server.on(
            Method::Get,
            "/v1/sessions/s1",
            200,
            session("s1", json!([]), json!([{"state": "OPEN", "sourceTimestamp": 1}])),
        );
        server.on(Method::Post, "/v1/sessions/s1/add-note", 200, json!({}));
        let delta = json!({"closeReason": reason, "closeNotes": "Nothing to see"});
        update(
            &server,
            &[("close_out", "true")],
            &[("remoteId", "s1"), ("status", "2"), ("incidentChanged", "true"), ("delta", &delta.to_string())],
        );
        assert_eq!(body(&server, "/change-state"), json!({"ids": ["s1"], "newState": state}));
        assert_eq!(
            notes_sent(&server),
            [format!("Closed in XSOAR as {reason}: Nothing to see\n\n(from XSOAR close of s1)")]
        );
    }
}

#[test]
fn a_repeated_close_changes_nothing_more() {
    let server = session_server();
    let done = json!([{"id": "n", "content": "Closed in XSOAR as Resolved\n\n(from XSOAR close of s1)", "sourceTimestamp": 1, "userId": "api"}]);
    server.on(
        Method::Get,
        "/v1/sessions/s1",
        200,
        session("s1", done, json!([{"state": "CLOSED_TP", "sourceTimestamp": 2}])),
    );
    let data = json!({"closeReason": "Resolved"});
    update(&server, &[("close_out", "true")], &[("remoteId", "s1"), ("status", "2"), ("data", &data.to_string())]);
    assert!(notes_sent(&server).is_empty());
    assert!(!server.requests().iter().any(|r| r.url.ends_with("/change-state")));
}

#[test]
fn reopening_the_incident_reopens_a_closed_session() {
    let server = session_server();
    server.on(
        Method::Get,
        "/v1/sessions/s1",
        200,
        session("s1", json!([]), json!([{"state": "CLOSED_FP", "sourceTimestamp": 2}])),
    );
    let delta = json!({"closeReason": "", "closeNotes": ""});
    let args = [("remoteId", "s1"), ("status", "1"), ("incidentChanged", "true"), ("delta", &delta.to_string()[..])];
    update(&server, &[("close_out", "true")], &args);
    assert_eq!(body(&server, "/change-state"), json!({"ids": ["s1"], "newState": "OPEN"}));
}

#[test]
fn bad_json_arguments_name_the_argument() {
    let server = session_server();
    let err = run(&server, "update-remote-system", &[("remoteId", "s1"), ("entries", "[{")]).unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "entries"), "{err:?}");
}

#[test]
fn mapping_fields_name_state_and_note() {
    let raw = mapping_fields().raw.unwrap();
    let fields = raw["Code42 Security Alert"].as_object().unwrap();
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["state", "note"]);
}
