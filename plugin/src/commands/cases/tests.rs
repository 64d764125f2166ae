use crate::api::testing::*;
use crate::commands::testing::{body, run};
use crate::http::Method;
use serde_json::{Value, json};

fn case(number: u64, status: &str) -> Value {
    json!({
        "number": number, "name": "Exfil by Casey", "status": status, "subject": "u-subject",
        "subjectUsername": "casey@example.com", "assignee": null, "assigneeUsername": null,
        "createdAt": "2026-11-30T10:00:00.000Z", "updatedAt": "2026-11-30T10:00:00.000Z",
        "description": "USB copies", "findings": "Copied *plans*",
    })
}

fn server_with(number: u64, status: &str) -> FakeServer {
    let server = FakeServer::new();
    server.on(Method::Get, &format!("/v1/cases/{number}"), 200, case(number, status));
    server.on(Method::Put, &format!("/v1/cases/{number}"), 200, case(number, "OPEN"));
    server.on(Method::Get, "/v1/users", 200, json!({"users": [{"userId": "u-admin"}]}));
    server
}

fn puts(server: &FakeServer) -> usize {
    server.requests().iter().filter(|r| r.method == Method::Put).count()
}

#[test]
fn create_sends_the_given_fields_with_usernames_as_user_ids() {
    let server = server_with(7, "OPEN");
    server.on(Method::Post, "/v1/cases", 200, case(7, "OPEN"));
    let r =
        run(&server, "code42-case-create", &[("name", "Exfil by Casey"), ("assignee", "admin@example.com")]).unwrap();
    assert_eq!(body(&server, "/v1/cases"), json!({"name": "Exfil by Casey", "assignee": "u-admin"}));
    assert!(server.api_calls().iter().any(|c| c.contains("/v1/users?username=admin%40example.com")));
    assert_eq!((r.prefix.as_deref(), r.key_field.as_deref()), (Some("Code42.Case"), Some("Number")));
    let out = r.outputs.unwrap();
    assert_eq!(
        (&out["Number"], &out["CreatedAt"], &out["Findings"]),
        (&json!(7), &json!("2026-11-30T10:00:00.000Z"), &json!("Copied *plans*"))
    );
    assert!(r.readable.starts_with("### Code42 Case Created\n|Number|Name|Status|"), "{}", r.readable);
    assert!(r.readable.contains("#### Findings\nCopied *plans*"), "{}", r.readable);
}

#[test]
fn a_name_longer_than_the_api_allows_is_refused_before_any_request() {
    let server = FakeServer::new();
    let err = run(&server, "code42-case-create", &[("name", &"n".repeat(51))]).unwrap_err();
    assert!(err.to_string().contains("'name' is 51 characters long; at most 50"), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn update_puts_back_every_field_with_only_the_given_ones_changed() {
    let server = server_with(7, "OPEN");
    run(&server, "code42-case-update", &[("number", "7"), ("description", "Copies to USB and cloud")]).unwrap();
    let sent = server.requests().into_iter().find(|r| r.method == Method::Put).unwrap();
    let sent: Value = serde_json::from_slice(sent.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        json!({"name": "Exfil by Casey", "assignee": null, "description": "Copies to USB and cloud",
               "findings": "Copied *plans*", "subject": "u-subject", "status": "OPEN"})
    );
}

#[test]
fn a_closed_case_is_not_changed() {
    let server = server_with(7, "CLOSED");
    let err = run(&server, "code42-case-update", &[("number", "7"), ("name", "New")]).unwrap_err();
    assert_eq!(err.to_string(), "Case 7 is closed: closed cases cannot be modified.");
    let err = run(&server, "code42-case-add-file-events", &[("number", "7"), ("event_ids", "e-1")]).unwrap_err();
    assert_eq!(err.to_string(), "Case 7 is closed: closed cases cannot be modified.");
    let r = run(&server, "code42-case-close", &[("number", "7")]).unwrap();
    assert!(r.readable.starts_with("### Code42 Case Already Closed"), "{}", r.readable);
    assert_eq!(puts(&server), 0);
    assert!(!server.api_calls().iter().any(|c| c.starts_with("POST")), "{:?}", server.api_calls());
}

#[test]
fn close_puts_the_case_closed() {
    let server = server_with(7, "OPEN");
    run(&server, "code42-case-close", &[("number", "7")]).unwrap();
    let sent = server.requests().into_iter().find(|r| r.method == Method::Put).unwrap();
    let sent: Value = serde_json::from_slice(sent.body.as_deref().unwrap()).unwrap();
    assert_eq!((&sent["status"], &sent["name"]), (&json!("CLOSED"), &json!("Exfil by Casey")));
}

#[test]
fn an_update_without_changes_or_with_a_blank_name_is_refused() {
    let server = server_with(7, "OPEN");
    let err = run(&server, "code42-case-update", &[("number", "7")]).unwrap_err();
    assert!(err.to_string().starts_with("Give at least one of name"), "{err}");
    let err = run(&server, "code42-case-update", &[("number", "7"), ("name", " ")]).unwrap_err();
    assert!(err.to_string().starts_with("A case needs a name"), "{err}");
    assert_eq!(puts(&server), 0);
}

#[test]
fn an_unknown_case_and_a_bad_number_say_so() {
    let server = FakeServer::new();
    let err = run(&server, "code42-case-get", &[("number", "9")]).unwrap_err();
    assert_eq!(err.to_string(), "No case found with number 9.");
    let err = run(&server, "code42-case-get", &[("number", "nine")]).unwrap_err();
    assert!(err.to_string().contains("\"number\"=\"nine\"; expected an integer"), "{err}");
}

#[test]
fn list_pages_from_one_with_its_filters() {
    let server = server_with(7, "OPEN");
    server.on(Method::Get, "/v1/cases", 200, json!({"cases": [case(7, "OPEN"), case(8, "OPEN")], "totalCount": 3}));
    let r = run(&server, "code42-case-list", &[("status", "OPEN"), ("assignee", "admin@example.com"), ("limit", "2")])
        .unwrap();
    let list = server.api_calls().into_iter().find(|c| c.starts_with("GET /v1/cases?")).unwrap();
    for part in ["status=OPEN", "assignee=u-admin", "pgNum=1", "pgSize=2"] {
        assert!(list.contains(part), "{list}");
    }
    assert_eq!(r.outputs.unwrap().as_array().unwrap().len(), 2);
    assert!(r.readable.contains("Showing 2 of 3"), "{}", r.readable);
}

#[test]
fn file_events_carry_their_case_number() {
    let server = server_with(7, "OPEN");
    server.on(
        Method::Get,
        "/v1/cases/7/fileevent",
        200,
        json!({"events": [{"eventId": "e-1", "fileName": "plans.pdf", "riskScore": 9}], "totalCount": 1}),
    );
    let r = run(&server, "code42-case-file-events-list", &[("number", "7")]).unwrap();
    assert_eq!(r.prefix.as_deref(), Some("Code42.CaseFileEvent"));
    assert_eq!(r.key_field.as_deref(), Some("EventId"));
    assert_eq!(
        r.outputs.unwrap()[0],
        json!({"EventId": "e-1", "FileName": "plans.pdf", "RiskScore": 9, "CaseNumber": 7})
    );
}

#[test]
fn a_full_export_asks_for_every_part_and_keeps_the_servers_name() {
    let server = FakeServer::new();
    server.on_sequence_with_headers(
        Method::Get,
        "/v1/cases/7/export/full",
        vec![(200, vec![("content-disposition", "attachment; filename=\"Case 7 full.zip\"")])],
    );
    let r = run(&server, "code42-case-export", &[("number", "7"), ("what", "full")]).unwrap();
    assert_eq!(r.files[0].name, "Case 7 full.zip");
    let call = &server.api_calls()[0];
    assert!(call.contains("files=true") && call.contains("summary=true") && call.contains("fileEvents=true"), "{call}");

    let server = FakeServer::new();
    server.on_raw(Method::Get, "/v1/cases/7/fileevent/export", 200, b"eventId\ne-1\n".to_vec());
    let r = run(&server, "code42-case-export", &[("number", "7"), ("what", "file-events")]).unwrap();
    assert_eq!(
        (r.files[0].name.as_str(), r.files[0].data.as_slice()),
        ("Case-7-file-events.csv", b"eventId\ne-1\n".as_slice())
    );
}

#[test]
fn removing_an_event_that_is_not_on_the_case_says_so() {
    let server = FakeServer::new();
    let err = run(&server, "code42-case-remove-file-event", &[("number", "7"), ("event_id", "e-9")]).unwrap_err();
    assert_eq!(err.to_string(), "File event e-9 is not attached to case 7.");
}
