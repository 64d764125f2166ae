//! code42-user-get-risk-profile and code42-user-update-risk-profile: the actor profile's
//! start date, end date and notes (code42-reference.md §6.4, §6.5).

use super::{CommandResult, results_table};
use crate::api::{Client, actors};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::{Map, Value, json};

/// (argument, actor field)
const FIELDS: &[(&str, &str)] = &[("notes", "notes"), ("start_date", "startDate"), ("end_date", "endDate")];

fn field(actor: &Value, key: &str) -> Value {
    actor.get(key).cloned().unwrap_or(Value::Null)
}

pub fn get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let actor = actors::by_name(client, args.required("username")?)?;
    let outputs = json!({
        "EndDate": field(&actor, "endDate"),
        "Notes": field(&actor, "notes"),
        "StartDate": field(&actor, "startDate"),
        "Username": field(&actor, "name"),
    });
    // `Profile` is the reference's key field even though no output has it (reference §16 item 7).
    Ok(CommandResult::with_outputs(results_table(&outputs), "Code42.UserRiskProfiles", Some("Profile"), outputs))
}

/// Sends only the fields given; an empty value clears the field. `Success` says whether every
/// given field now has the given value.
pub fn update<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    args.date("start_date")?;
    args.date("end_date")?;
    let mut changes = Map::new();
    for (arg, key) in FIELDS {
        if let Some(value) = args.given(arg) {
            let value = value.trim();
            changes.insert(key.to_string(), if value.is_empty() { Value::Null } else { json!(value) });
        }
    }
    if changes.is_empty() {
        return Err(Error::invalid_arg(
            "notes",
            "Must provide at least one of notes or start_date or end_date arguments.",
        ));
    }
    let actor_id = actors::id_of(&actors::by_name(client, username)?)?;
    let updated = actors::update(client, &actor_id, changes.clone())?;
    let success = changes.iter().all(|(k, v)| &field(&updated, k) == v);
    let outputs = json!({
        "EndDate": field(&updated, "endDate"),
        "Notes": field(&updated, "notes"),
        "StartDate": field(&updated, "startDate"),
        "Success": success,
        "Username": field(&updated, "name"),
    });
    let readable = Table { title: "Code42 User Risk Profile Updated", ..Default::default() }
        .render(std::slice::from_ref(&outputs));
    Ok(CommandResult::with_outputs(readable, "Code42.UpdatedUserRiskProfiles", Some("Profile"), outputs))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::error::Error;
    use crate::http::Method;
    use serde_json::json;

    fn server() -> FakeServer {
        let server = FakeServer::new();
        server.on_fixture(
            Method::Get,
            "/v1/actors/actor/name/profile@example.com/parent",
            "risk_profile_response.json",
        );
        server.on_fixture(
            Method::Patch,
            "/v1/actors/actor/id/e96364db-8557-4c82-a31b-eccc7c8e6754",
            "risk_profile_response.json",
        );
        server
    }

    // #25
    #[test]
    fn get_reads_the_actor_profile() {
        let server = server();
        let r = run(&server, "code42-get-user-risk-profile", &[("username", "profile@example.com")]).unwrap();
        let expected = json!({"EndDate": "2023-10-10", "Notes": "test update", "StartDate": "2020-10-10", "Username": "profile@example.com"});
        assert_eq!(r.raw, Some(expected.clone()));
        assert_eq!(r.outputs, Some(expected));
        assert_eq!(r.prefix.as_deref(), Some("Code42.UserRiskProfiles"));
        assert_eq!(r.key_field.as_deref(), Some("Profile"));
        assert_eq!(server.api_calls(), ["GET /v1/actors/actor/name/profile@example.com/parent"]);
        assert!(r.readable.starts_with("### Results\n|EndDate|Notes|StartDate|Username|"));
    }

    // #26
    #[test]
    fn update_sends_the_given_fields_and_reports_success() {
        let server = server();
        let args = [
            ("username", "profile@example.com"),
            ("notes", "test update"),
            ("start_date", "2020-10-10"),
            ("end_date", "2023-10-10"),
        ];
        let r = run(&server, "code42-user-update-risk-profile", &args).unwrap();
        let expected = json!({"EndDate": "2023-10-10", "Notes": "test update", "StartDate": "2020-10-10", "Success": true, "Username": "profile@example.com"});
        assert_eq!(r.raw, Some(expected.clone()));
        assert_eq!(r.outputs, Some(expected));
        assert_eq!(r.prefix.as_deref(), Some("Code42.UpdatedUserRiskProfiles"));
        assert_eq!(
            body(&server, "/v1/actors/actor/id/e96364db-8557-4c82-a31b-eccc7c8e6754"),
            json!({"notes": "test update", "startDate": "2020-10-10", "endDate": "2023-10-10"})
        );
    }

    #[test]
    fn update_clears_empty_fields_and_reports_a_mismatch() {
        let server = server();
        let r = run(&server, "code42-user-update-risk-profile", &[("username", "profile@example.com"), ("notes", "")])
            .unwrap();
        assert_eq!(body(&server, "/v1/actors/actor/id/e96364db-8557-4c82-a31b-eccc7c8e6754"), json!({"notes": null}));
        assert_eq!(r.outputs.unwrap()["Success"], false, "the fixture still has notes");
    }

    #[test]
    fn update_needs_a_field_and_valid_dates() {
        let err =
            run(&server(), "code42-user-update-risk-profile", &[("username", "profile@example.com")]).unwrap_err();
        assert_eq!(err.to_string(), "Must provide at least one of notes or start_date or end_date arguments.");
        let err = run(
            &server(),
            "code42-user-update-risk-profile",
            &[("username", "profile@example.com"), ("end_date", "2023-13-01")],
        )
        .unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "end_date"));
    }
}
