//! code42-user-create, -block, -unblock (console API) and -deactivate, -reactivate (gateway).

use super::{CommandResult, listed_result};
use crate::api::pages::{self, Paging};
use crate::api::{Call, Client, console, users};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::{Value, json};

const PREFIX: &str = "Code42.User";
/// `GET /v1/users`: pages from 1, with a total.
const USER_PAGES: Paging = Paging {
    page: "page",
    first: 1,
    size: "pageSize",
    max_size: 100,
    items: "users",
    total: Some("totalCount"),
    in_body: false,
};
const LIST_HEADERS: &[&str] = &["UserId", "Username", "FirstName", "LastName", "OrgName", "Active", "Blocked"];

/// Users of the tenant, filtered by username, active and blocked.
pub fn list<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let mut call = Call::get("/v1/users");
    if let Some(username) = args.get("username") {
        call = call.query("username", username);
    }
    for flag in ["active", "blocked"] {
        if let Some(value) = args.boolean(flag)? {
            call = call.query(flag, value);
        }
    }
    let listed = pages::up_to(client, &call, &USER_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Users", LIST_HEADERS, PREFIX, Some("UserId")))
}

fn user_id_result(title: &str, id: Value) -> CommandResult {
    let outputs = json!({"UserID": id});
    let readable = Table { title, ..Default::default() }.render(std::slice::from_ref(&outputs));
    CommandResult::with_outputs(readable, PREFIX, Some("UserID"), outputs).raw(id)
}

pub fn create<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (org, username, email) = (args.required("orgname")?, args.required("username")?, args.required("email")?);
    let org_uid = console::org_uid(client, org)?;
    let created = console::create_user(client, &org_uid, username, email)?;
    let uid = created.get("userUid").cloned().unwrap_or(Value::Null);
    let outputs = json!({"Email": email, "UserID": uid, "Username": username});
    let readable = Table { title: "Code42 User Created", ..Default::default() }.render(std::slice::from_ref(&outputs));
    Ok(CommandResult::with_outputs(readable, PREFIX, Some("UserID"), outputs).raw(created))
}

/// Blocks or unblocks through the console; `UserID` is the console's legacy integer id, as in
/// the reference.
pub fn set_blocked<H: HttpClient>(client: &Client<H>, args: &Args, blocked: bool) -> Result<CommandResult> {
    let username = args.required("username")?;
    let user = console::find_user(client, username)?;
    let uid = user.get("userUid").and_then(Value::as_str).ok_or_else(|| Error::Upstream {
        status: 200,
        message: format!("The console returned user {username} without a userUid"),
    })?;
    console::set_blocked(client, uid, blocked)?;
    let title = if blocked { "Code42 User Blocked" } else { "Code42 User Unblocked" };
    Ok(user_id_result(title, user.get("userId").cloned().unwrap_or(Value::Null)))
}

pub fn set_active<H: HttpClient>(client: &Client<H>, args: &Args, active: bool) -> Result<CommandResult> {
    let id = users::user_id(client, args.required("username")?)?;
    users::set_active(client, &id, active)?;
    let title = if active { "Code42 User Reactivated" } else { "Code42 User Deactivated" };
    Ok(user_id_result(title, json!(id)))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::http::Method;
    use serde_json::json;

    fn console_server() -> FakeServer {
        let server = FakeServer::new();
        server.on(Method::Get, "/api/v1/Org", 200, json!({"data": fixture_json("mock_get_all_orgs_response.json")}));
        server.on(Method::Post, "/api/v1/User", 200, json!({"data": fixture_json("mock_create_user_response.json")}));
        server.on(Method::Get, "/api/v1/User", 200, json!({"data": fixture_json("mock_get_user_response.json")}));
        server.on(Method::Post, "/api/v3/users/123412341234123412/block", 204, json!(null));
        server.on(Method::Post, "/api/v3/users/123412341234123412/unblock", 204, json!(null));
        server
    }

    // Gen A/B test_user_create_command
    #[test]
    fn user_create_finds_the_org_and_creates_the_user() {
        let server = console_server();
        let r = run(
            &server,
            "code42-user-create",
            &[("orgname", "TestCortexOrg"), ("username", "new.user@example.com"), ("email", "new.user@example.com")],
        )
        .unwrap();
        assert_eq!(r.prefix.as_deref(), Some("Code42.User"));
        assert_eq!(r.key_field.as_deref(), Some("UserID"));
        assert_eq!(r.raw, Some(fixture_json("mock_create_user_response.json")));
        assert_eq!(
            r.outputs,
            Some(
                json!({"Email": "new.user@example.com", "UserID": "960849588659999999", "Username": "new.user@example.com"})
            )
        );
        assert_eq!(body(&server, "/api/v1/User")["orgUid"], "890854247383109999");
        assert!(server.requests()[0].url.contains("/api/v3/oauth/token"), "the console token");
        assert!(r.readable.starts_with("### Code42 User Created\n|Email|UserID|Username|"));
    }

    #[test]
    fn user_create_with_an_unknown_org_says_so() {
        let server = console_server();
        server.on(Method::Get, "/api/v1/Org", 200, json!({"data": {"totalCount": 0, "orgs": []}}));
        let err =
            run(&server, "code42-user-create", &[("orgname", "Nope"), ("username", "u"), ("email", "e")]).unwrap_err();
        assert_eq!(err.to_string(), "No organization found with name Nope.");
    }

    // Gen A/B test_user_block_command / unblock
    #[test]
    fn user_block_and_unblock_use_the_console() {
        for (command, title) in
            [("code42-user-block", "Code42 User Blocked"), ("code42-user-unblock", "Code42 User Unblocked")]
        {
            let server = console_server();
            let r = run(&server, command, &[("username", "test.testerson@example.com")]).unwrap();
            assert_eq!(r.raw, Some(json!(123456)));
            assert_eq!(r.outputs, Some(json!({"UserID": 123456})));
            assert_eq!(r.readable, format!("### {title}\n|UserID|\n|---|\n| 123456 |\n"));
        }
        let server = console_server();
        server.on(Method::Get, "/api/v1/User", 200, json!({"data": {"totalCount": 0, "users": []}}));
        let err = run(&server, "code42-user-block", &[("username", "ghost@example.com")]).unwrap_err();
        assert_eq!(err.to_string(), "No user found with username ghost@example.com.");
    }

    // #23, #24
    #[test]
    fn user_deactivate_and_reactivate_use_the_gateway() {
        for (command, action) in [("code42-user-deactivate", "deactivate"), ("code42-user-reactivate", "activate")] {
            let server = FakeServer::new();
            server.on(
                Method::Get,
                "/v1/users",
                200,
                json!({"users": [{"userId": "123456", "username": "user1@example.com"}], "totalCount": 1}),
            );
            server.on(Method::Post, &format!("/v1/users/123456/{action}"), 204, json!(null));
            let r = run(&server, command, &[("username", "user1@example.com")]).unwrap();
            assert_eq!(r.raw, Some(json!("123456")));
            assert_eq!(r.outputs, Some(json!({"UserID": "123456"})));
            assert!(
                server
                    .api_calls()
                    .contains(&"GET /v1/users?username=user1%40example.com&page=1&pageSize=100".to_string())
            );
            assert!(server.api_calls().contains(&format!("POST /v1/users/123456/{action}")));
        }
    }

    // #8
    #[test]
    fn an_unknown_user_is_the_reference_error() {
        let server = FakeServer::new();
        server.on(Method::Get, "/v1/users", 200, json!({"users": [], "totalCount": 0}));
        let err = run(&server, "code42-user-deactivate", &[("username", "ghost@example.com")]).unwrap_err();
        assert_eq!(err.to_string(), "No user found with username ghost@example.com.");
        let err = run(&server, "code42-user-deactivate", &[("username", "no-such-id")]).unwrap_err();
        assert_eq!(err.to_string(), "No user found with username no-such-id.");
    }
}
