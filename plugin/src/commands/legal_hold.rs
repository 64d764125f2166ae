//! code42-legalhold-add-user and code42-legalhold-remove-user (code42-reference.md §7), and
//! code42-legalhold-matters-list.

use super::{CommandResult, listed_result};
use crate::api::pages::{self, Paging};
use crate::api::{Call, Client, legal_hold, users};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::{Value, json};

const PREFIX: &str = "Code42.LegalHold";
const HEADERS: &[&str] = &["MatterID", "MatterName", "UserID", "Username"];

fn result(title: &str, outputs: Value, raw: Value) -> CommandResult {
    let readable = Table { title, headers: Some(HEADERS), ..Default::default() }.render(std::slice::from_ref(&outputs));
    CommandResult::with_outputs(readable, PREFIX, Some("MatterID"), outputs).raw(raw)
}

/// `GET /v1/legal-hold/matters`: pages from 1, no total.
const MATTER_PAGES: Paging =
    Paging { page: "page", first: 1, size: "pageSize", max_size: 100, items: "matters", total: None, in_body: false };
const MATTER_HEADERS: &[&str] = &["MatterId", "Name", "Description", "Active", "CreationDate"];

/// Legal hold matters, filtered by name (contains) and active.
pub fn matters<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let mut call = Call::get("/v1/legal-hold/matters");
    if let Some(name) = args.get("name") {
        call = call.query("name", name);
    }
    if let Some(active) = args.boolean("active")? {
        call = call.query("active", active);
    }
    let listed = pages::up_to(client, &call, &MATTER_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Legal Hold Matters", MATTER_HEADERS, "Code42.LegalHoldMatter", Some("MatterId")))
}

pub fn add<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (username, matter) = (args.required("username")?, args.required("mattername")?);
    let user_id = users::user_id(client, username)?;
    let matter_id = legal_hold::matter_id(client, matter)?;
    let answer = legal_hold::add_custodian(client, &matter_id, &user_id)?;
    let custodian = |k: &str, alt: &str| {
        answer.pointer(&format!("/custodian/{k}")).or_else(|| answer.pointer(&format!("/custodian/{alt}"))).cloned()
    };
    let outputs = json!({
        "MatterID": answer.pointer("/matter/matterId").cloned().unwrap_or(json!(matter_id)),
        "MatterName": answer.pointer("/matter/name").cloned().unwrap_or(json!(matter)),
        "UserID": custodian("userId", "user_id").unwrap_or(json!(user_id)),
        "Username": custodian("username", "username").unwrap_or(json!(username)),
    });
    Ok(result("Code42 User Added to Legal Hold Matter", outputs, answer))
}

pub fn remove<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (username, matter) = (args.required("username")?, args.required("mattername")?);
    let user_id = users::user_id(client, username)?;
    let matter_id = legal_hold::matter_id(client, matter)?;
    legal_hold::remove_custodian(client, &matter_id, &user_id).map_err(|e| match e {
        Error::Transport(_) | Error::Unauthorized(_) => e,
        _ => Error::NotFound(format!("User '{username}' is not an active member of legal hold matter '{matter}'")),
    })?;
    let outputs = json!({"MatterID": matter_id, "MatterName": matter, "UserID": user_id, "Username": username});
    Ok(result("Code42 User Removed from Legal Hold Matter", outputs, json!(user_id)))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::http::Method;
    use serde_json::json;

    const USER: &str = "123412341234123412";
    const MATTER: &str = "645576513911664484";

    fn server() -> FakeServer {
        let server = FakeServer::new();
        server.on(Method::Get, "/v1/users", 200, json!({"users": [{"userId": USER}]}));
        server.on_fixture(Method::Get, "/v1/legal-hold/matters", "mock_get_all_matters_response.json");
        server.on_fixture(
            Method::Post,
            &format!("/v1/legal-hold/matters/{MATTER}/custodians"),
            "mock_add_to_matter_response.json",
        );
        server.on(Method::Post, &format!("/v1/legal-hold/matters/{MATTER}/custodians/remove"), 204, json!(null));
        server
    }

    const ARGS: &[(&str, &str)] = &[("username", "user1@example.com"), ("mattername", "Patent Lawsuit")];

    // #18
    #[test]
    fn add_user_adds_a_custodian() {
        let server = server();
        let r = run(&server, "code42-legalhold-add-user", ARGS).unwrap();
        assert_eq!(r.raw, Some(fixture_json("mock_add_to_matter_response.json")));
        assert_eq!(r.prefix.as_deref(), Some("Code42.LegalHold"));
        assert_eq!(r.key_field.as_deref(), Some("MatterID"));
        let out = r.outputs.unwrap();
        assert_eq!(
            (&out["UserID"], &out["MatterName"], &out["MatterID"]),
            (&json!(USER), &json!("Patent Lawsuit"), &json!(MATTER))
        );
        assert_eq!(body(&server, "/custodians"), json!({"userId": USER}));
        assert!(
            r.readable.starts_with("### Code42 User Added to Legal Hold Matter\n|MatterID|MatterName|UserID|Username|")
        );
    }

    // #19
    #[test]
    fn remove_user_removes_the_custodian() {
        let server = server();
        let r = run(&server, "code42-legalhold-remove-user", ARGS).unwrap();
        assert_eq!(
            r.outputs,
            Some(
                json!({"MatterID": MATTER, "MatterName": "Patent Lawsuit", "UserID": USER, "Username": "user1@example.com"})
            )
        );
        assert_eq!(r.raw, Some(json!(USER)));
        assert_eq!(body(&server, "/custodians/remove"), json!({"userId": USER}));
    }

    // #9, #11
    #[test]
    fn an_unknown_matter_is_the_reference_error() {
        for command in ["code42-legalhold-add-user", "code42-legalhold-remove-user"] {
            let server = server();
            server.on(Method::Get, "/v1/legal-hold/matters", 200, json!({"matters": []}));
            let err = run(&server, command, ARGS).unwrap_err();
            assert_eq!(err.to_string(), "No legal hold matter found with name Patent Lawsuit.");
        }
    }

    #[test]
    fn the_matter_name_must_match_exactly() {
        let server = server();
        let err =
            run(&server, "code42-legalhold-add-user", &[("username", "user1@example.com"), ("mattername", "Patent")])
                .unwrap_err();
        assert_eq!(err.to_string(), "No legal hold matter found with name Patent.");
    }

    // #10, #12
    #[test]
    fn an_unknown_user_is_the_reference_error() {
        for command in ["code42-legalhold-add-user", "code42-legalhold-remove-user"] {
            let server = server();
            server.on(Method::Get, "/v1/users", 200, json!({"users": []}));
            assert_eq!(
                run(&server, command, ARGS).unwrap_err().to_string(),
                "No user found with username user1@example.com."
            );
        }
    }

    // #13
    #[test]
    fn removing_a_non_member_is_the_reference_error() {
        let server = server();
        server.on(
            Method::Post,
            &format!("/v1/legal-hold/matters/{MATTER}/custodians/remove"),
            400,
            json!({"error": "not a custodian"}),
        );
        let err = run(&server, "code42-legalhold-remove-user", ARGS).unwrap_err();
        assert_eq!(
            err.to_string(),
            "User 'user1@example.com' is not an active member of legal hold matter 'Patent Lawsuit'"
        );
    }
}
