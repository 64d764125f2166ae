//! reference-tests.md Part 3 (Gen A) departing/high-risk/risk-tag cases, adapted to the
//! watchlist + actor-profile emulation.

use crate::api::testing::*;
use crate::commands::testing::run_with;
use crate::commands::{CommandResult, Invocation};
use crate::error::{Error, Result};
use crate::http::Method;
use serde_json::{Value, json};

const DEPARTING_ID: &str = "b55978d5-2d50-494d-bec9-678867f3830c";
const HIGH_IMPACT_ID: &str = "313c388e-4c63-4071-a6fc-d6270e04c350";
const FLIGHT_RISK_ID: &str = "d2abb9f2-8c27-4f95-b7e2-252f191a4a1d";
const CONTRACT_ID: &str = "c9557acf-4141-4162-b767-c129d3e668d4";
const PERFORMANCE_ID: &str = "a21b2bbb-ed16-42eb-9983-32076ba417c0";
/// 2020-07-20T12:00:00Z
const NOW: i64 = 1_595_246_400_000;

fn actor(id: &str, name: &str, end: Option<&str>, notes: Option<&str>) -> Value {
    json!({"actorId": id, "name": name, "endDate": end, "notes": notes, "startDate": null})
}

fn member(id: &str, name: &str) -> Value {
    json!({"actorId": id, "actorname": name, "addedTime": "2022-02-26T18:41:45.766005"})
}

/// The fixture's watchlists, three actors, and the departing list holding two of them.
fn server() -> FakeServer {
    let server = FakeServer::new();
    server.on_fixture(Method::Get, "/v2/watchlists", "mock_watchlists_response.json");
    for (id, name, end, notes) in [
        ("a-1", "user1@example.com", Some("2020-07-20"), Some("")),
        ("a-2", "test@example.com", None, Some("Leaving soon")),
        ("a-3", "karen@example.com", None, Some("High risk notes")),
    ] {
        let a = actor(id, name, end, notes);
        server.on(Method::Get, &format!("/v1/actors/actor/name/{name}/parent"), 200, a.clone());
        server.on(Method::Get, &format!("/v1/actors/actor/id/{id}"), 200, a.clone());
        server.on(Method::Patch, &format!("/v1/actors/actor/id/{id}"), 200, a);
    }
    let members =
        |list: &[(&str, &str)]| json!({"watchlistMembers": list.iter().map(|(i, n)| member(i, n)).collect::<Vec<_>>()});
    server.on(
        Method::Get,
        &format!("/v2/watchlists/{DEPARTING_ID}/members"),
        200,
        members(&[("a-1", "user1@example.com"), ("a-2", "test@example.com")]),
    );
    server.on(
        Method::Get,
        &format!("/v2/watchlists/{HIGH_IMPACT_ID}/members"),
        200,
        members(&[("a-3", "karen@example.com"), ("a-1", "user1@example.com")]),
    );
    server.on(
        Method::Get,
        &format!("/v2/watchlists/{PERFORMANCE_ID}/members"),
        200,
        members(&[("a-3", "karen@example.com")]),
    );
    server.on(
        Method::Get,
        &format!("/v2/watchlists/{FLIGHT_RISK_ID}/members"),
        200,
        members(&[("a-3", "karen@example.com"), ("a-1", "user1@example.com")]),
    );
    server.on(Method::Get, &format!("/v2/watchlists/{CONTRACT_ID}/members"), 200, members(&[]));
    for id in [DEPARTING_ID, HIGH_IMPACT_ID, FLIGHT_RISK_ID, CONTRACT_ID, PERFORMANCE_ID] {
        for action in ["add", "delete"] {
            server.on(Method::Post, &format!("/v2/watchlists/{id}/included-actors/{action}"), 200, json!({}));
        }
    }
    server
}

fn run(server: &FakeServer, command: &str, args: &[(&str, &str)]) -> Result<CommandResult> {
    run_with(server, command, args, Invocation::default(), NOW)
}

/// Bodies sent to URLs ending with `path_end`.
fn bodies(server: &FakeServer, method: Method, path_end: &str) -> Vec<Value> {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.url.split('?').next().unwrap().ends_with(path_end))
        .map(|r| serde_json::from_slice(r.body.as_deref().unwrap_or(b"null")).unwrap())
        .collect()
}

#[test]
fn departingemployee_add_includes_the_actor_and_writes_the_profile() {
    let server = server();
    let r = run(
        &server,
        "code42-departingemployee-add",
        &[("username", "user1@example.com"), ("departuredate", "2020-01-01"), ("note", "Dummy note")],
    )
    .unwrap();
    assert_eq!(r.raw, Some(json!("a-1")));
    assert_eq!(r.prefix.as_deref(), Some("Code42.DepartingEmployee"));
    assert_eq!(r.key_field.as_deref(), Some("UserID"));
    assert_eq!(
        r.outputs,
        Some(
            json!({"CaseID": "a-1", "UserID": "a-1", "Username": "user1@example.com", "DepartureDate": "2020-01-01", "Note": "Dummy note"})
        )
    );
    assert_eq!(
        bodies(&server, Method::Post, &format!("{DEPARTING_ID}/included-actors/add")),
        [json!({"actorIds": ["a-1"], "watchlistId": DEPARTING_ID})]
    );
    assert_eq!(
        bodies(&server, Method::Patch, "/v1/actors/actor/id/a-1"),
        [json!({"endDate": "2020-01-01", "notes": "Dummy note"})]
    );
    assert!(
        r.readable
            .starts_with("### Code42 Departing Employee List User Added\n|CaseID|DepartureDate|Note|UserID|Username|")
    );
}

#[test]
fn departingemployee_add_creates_the_watchlist_when_missing_and_checks_the_date() {
    let server = server();
    server.on(Method::Get, "/v2/watchlists", 200, json!({"watchlists": []}));
    server.on(
        Method::Post,
        "/v2/watchlists",
        200,
        json!({"watchlistId": "new-list", "listType": "DEPARTING_EMPLOYEE"}),
    );
    server.on(Method::Post, "/v2/watchlists/new-list/included-actors/add", 200, json!({}));
    run(&server, "code42-departingemployee-add", &[("username", "user1@example.com")]).unwrap();
    assert_eq!(
        bodies(&server, Method::Post, "/v2/watchlists"),
        [json!({"watchlistType": "DEPARTING_EMPLOYEE", "title": null, "description": null})]
    );
    assert!(
        bodies(&server, Method::Patch, "/v1/actors/actor/id/a-1").is_empty(),
        "no profile change without date or note"
    );
    let err = run(
        &server,
        "code42-departingemployee-add",
        &[("username", "user1@example.com"), ("departuredate", "01/01/2020")],
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "departuredate"));
}

#[test]
fn departingemployee_remove_takes_a_member_off_and_refuses_others() {
    let server = server();
    let r = run(&server, "code42-departingemployee-remove", &[("username", "test@example.com")]).unwrap();
    assert_eq!(r.raw, Some(json!("a-2")));
    assert_eq!(r.outputs, Some(json!({"CaseID": "a-2", "UserID": "a-2", "Username": "test@example.com"})));
    assert_eq!(bodies(&server, Method::Post, &format!("{DEPARTING_ID}/included-actors/delete")).len(), 1);
    let err = run(&server, "code42-departingemployee-remove", &[("username", "karen@example.com")]).unwrap_err();
    assert_eq!(err.to_string(), "User karen@example.com is not on the Departing Employee list.");
}

#[test]
fn departingemployee_get_reads_the_profile() {
    let server = server();
    let r = run(&server, "code42-departingemployee-get", &[("username", "test@example.com")]).unwrap();
    assert_eq!(r.raw, Some(json!("test@example.com")));
    assert_eq!(
        r.outputs,
        Some(json!({"UserID": "a-2", "Username": "test@example.com", "DepartureDate": null, "Note": "Leaving soon"}))
    );
    assert!(run(&server, "code42-departingemployee-get", &[("username", "karen@example.com")]).is_err());
}

#[test]
fn departingemployee_get_all_lists_members_with_their_profiles() {
    let server = server();
    let r = run(&server, "code42-departingemployee-get-all", &[]).unwrap();
    assert_eq!(
        r.outputs,
        Some(json!([
            {"UserID": "a-1", "Username": "user1@example.com", "DepartureDate": "2020-07-20", "Note": ""},
            {"UserID": "a-2", "Username": "test@example.com", "DepartureDate": null, "Note": "Leaving soon"},
        ]))
    );
    assert_eq!(r.raw.unwrap().as_array().unwrap().len(), 2);
    assert!(r.readable.starts_with("### All Departing Employees\n"));
    let one = run(&server, "code42-departingemployee-get-all", &[("results", "1")]).unwrap();
    assert_eq!(one.outputs.unwrap().as_array().unwrap().len(), 1);
}

#[test]
fn departingemployee_get_all_filters_leaving_today_and_recent_exfiltration() {
    let server = server();
    let r = run(&server, "code42-departingemployee-get-all", &[("filtertype", "LEAVING_TODAY")]).unwrap();
    assert_eq!(r.outputs.unwrap()[0]["UserID"], "a-1");
    server.on_sequence(
        Method::Get,
        "/v1/sessions",
        vec![
            (200, json!({"items": [], "totalCount": 0})),
            (200, json!({"items": [{"sessionId": "s"}], "totalCount": 1})),
        ],
    );
    let r = run(&server, "code42-departingemployee-get-all", &[("filtertype", "EXFILTRATION_24_HOURS")]).unwrap();
    assert_eq!(
        r.outputs,
        Some(json!([{"UserID": "a-2", "Username": "test@example.com", "DepartureDate": null, "Note": "Leaving soon"}]))
    );
    let since = NOW - 86_400_000;
    assert!(server.api_calls().contains(&format!(
        "GET /v1/sessions?actor_id=a-1&on_or_after={since}&has_alerts=true&page_number=0&page_size=1"
    )));
}

#[test]
fn departingemployee_get_all_without_members_says_no_results_found() {
    let server = server();
    server.on(Method::Get, &format!("/v2/watchlists/{DEPARTING_ID}/members"), 200, json!({"watchlistMembers": []}));
    let r = run(&server, "code42-departingemployee-get-all", &[]).unwrap();
    assert_eq!(r.readable, "No results found");
    assert_eq!(r.outputs, Some(json!({"Results": []})));
    assert_eq!(r.raw, Some(json!({})));
}

#[test]
fn highriskemployee_add_remove_and_get() {
    let server = server();
    let r = run(&server, "code42-highriskemployee-add", &[("username", "test@example.com"), ("note", "Dummy note")])
        .unwrap();
    assert_eq!(r.raw, Some(json!("a-2")));
    assert_eq!(r.outputs, Some(json!({"UserID": "a-2", "Username": "test@example.com"})));
    assert_eq!(r.prefix.as_deref(), Some("Code42.HighRiskEmployee"));
    assert_eq!(bodies(&server, Method::Patch, "/v1/actors/actor/id/a-2"), [json!({"notes": "Dummy note"})]);
    assert_eq!(bodies(&server, Method::Post, &format!("{HIGH_IMPACT_ID}/included-actors/add")).len(), 1);

    let r = run(&server, "code42-highriskemployee-remove", &[("username", "karen@example.com")]).unwrap();
    assert_eq!(r.raw, Some(json!("a-3")));
    assert_eq!(
        bodies(&server, Method::Post, &format!("{HIGH_IMPACT_ID}/included-actors/delete")),
        [json!({"actorIds": ["a-3"], "watchlistId": HIGH_IMPACT_ID})]
    );

    let r = run(&server, "code42-highriskemployee-get", &[("username", "karen@example.com")]).unwrap();
    assert_eq!(r.outputs, Some(json!({"UserID": "a-3", "Username": "karen@example.com", "Note": "High risk notes"})));
    assert_eq!(r.raw, Some(json!("karen@example.com")));
}

#[test]
fn highriskemployee_get_all_with_risk_tags_keeps_members_on_every_tag_list() {
    let server = server();
    let all = run(&server, "code42-highriskemployee-get-all", &[]).unwrap();
    assert_eq!(all.outputs.unwrap().as_array().unwrap().len(), 2);
    let tagged =
        run(&server, "code42-highriskemployee-get-all", &[("risktags", "PERFORMANCE_CONCERNS,FLIGHT_RISK")]).unwrap();
    assert_eq!(
        tagged.outputs,
        Some(json!([{"UserID": "a-3", "Username": "karen@example.com", "Note": "High risk notes"}]))
    );
    let nobody = run(&server, "code42-highriskemployee-get-all", &[("risktags", "CONTRACT_EMPLOYEE")]).unwrap();
    assert_eq!(nobody.outputs, Some(json!({"Results": []})));
    let err = run(&server, "code42-highriskemployee-get-all", &[("risktags", "FLIGHT_RISK,GRUMPY")]).unwrap_err();
    assert!(err.to_string().contains("PERFORMANCE_CONCERNS, POOR_SECURITY_PRACTICES"), "{err}");
    let one = run(&server, "code42-highriskemployee-get-all", &[("results", "1")]).unwrap();
    assert_eq!(one.outputs.unwrap().as_array().unwrap().len(), 1);
}

#[test]
fn risk_tags_are_watchlists_of_the_same_name() {
    let server = server();
    let r = run(
        &server,
        "code42-highriskemployee-add-risk-tags",
        &[("username", "test@example.com"), ("risktags", "FLIGHT_RISK")],
    )
    .unwrap();
    assert_eq!(r.raw, Some(json!("a-2")));
    assert_eq!(r.outputs, Some(json!({"UserID": "a-2", "Username": "test@example.com", "RiskTags": "FLIGHT_RISK"})));
    assert_eq!(
        bodies(&server, Method::Post, &format!("{FLIGHT_RISK_ID}/included-actors/add")),
        [json!({"actorIds": ["a-2"], "watchlistId": FLIGHT_RISK_ID})]
    );
    let r = run(
        &server,
        "code42-highriskemployee-remove-risk-tags",
        &[("username", "test@example.com"), ("risktags", "FLIGHT_RISK,CONTRACT_EMPLOYEE")],
    )
    .unwrap();
    assert_eq!(r.outputs.unwrap()["RiskTags"], "FLIGHT_RISK,CONTRACT_EMPLOYEE");
    assert_eq!(bodies(&server, Method::Post, &format!("{FLIGHT_RISK_ID}/included-actors/delete")).len(), 1);
    assert_eq!(bodies(&server, Method::Post, &format!("{CONTRACT_ID}/included-actors/delete")).len(), 1);
    assert!(r.readable.starts_with("### Code42 Risk Tags Removed\n"));
}
