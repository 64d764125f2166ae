//! code42-alert-get, code42-alert-update, code42-alert-resolve (code42-reference.md §5).

use super::CommandResult;
use crate::alerts;
use crate::api::{Client, sessions};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::json;

const PREFIX: &str = "Code42.SecurityAlert";
const KEY: &str = "ID";

pub fn get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    show(client, args.required("id")?, "Code42 Security Alert Results")
}

pub fn update<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    change_state(client, args.required("id")?, args.required("state")?, "Code42 Security Alert Updated")
}

/// Resolving closes the alert as a true positive (the API has no RESOLVED state any more).
pub fn resolve<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    change_state(client, args.required("id")?, "CLOSED_TP", "Code42 Security Alert Resolved")
}

fn change_state<H: HttpClient>(client: &Client<H>, id: &str, state: &str, title: &str) -> Result<CommandResult> {
    match sessions::change_state(client, &[id], state) {
        Ok(()) => show(client, id, title),
        Err(Error::NotFound(_)) => Ok(no_results()),
        Err(e) => Err(e),
    }
}

fn show<H: HttpClient>(client: &Client<H>, id: &str, title: &str) -> Result<CommandResult> {
    let Some(session) = sessions::get(client, id)? else {
        return Ok(no_results());
    };
    let alert = alerts::enrich_one(client, session)?;
    let context = alerts::context(&alert);
    let readable = alerts::table(title, std::slice::from_ref(&context));
    Ok(CommandResult::with_outputs(readable, PREFIX, Some(KEY), json!([context])).raw(alert.details.into()))
}

/// What the reference answers for an alert that does not exist.
fn no_results() -> CommandResult {
    CommandResult::with_outputs("No results found".into(), PREFIX, Some(KEY), json!({"Results": []})).raw(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::*;
    use crate::commands::testing::run;
    use crate::http::Method;
    use serde_json::Value;

    fn expected_context() -> Value {
        json!({
            "Username": "someactor@domain.com",
            "Occurred": "2024-09-11T19:26:00.680000+00:00",
            "Description": "example rule name",
            "ID": "sessionid-abc-1",
            "Name": "document file(s) shared via link from corporate Box",
            "State": "OPEN",
            "Type": "Alerting",
            "Severity": "MODERATE",
        })
    }

    // reference-tests.md #14
    #[test]
    fn alert_get_returns_the_alert_context() {
        let server = session_server();
        let result = run(&server, "code42-alert-get", &[("id", "sessionid-abc-1")]).unwrap();
        assert_eq!(result.raw.as_ref().unwrap()["sessionId"], "sessionid-abc-1");
        assert_eq!(result.outputs, Some(json!([expected_context()])));
        assert_eq!(result.prefix.as_deref(), Some("Code42.SecurityAlert"));
        assert_eq!(result.key_field.as_deref(), Some("ID"));
        assert_eq!(
            result.readable,
            "### Code42 Security Alert Results\n|Type|Occurred|Username|Name|Description|State|ID|\n|---|---|---|---|---|---|---|\n\
             | Alerting | 2024-09-11T19:26:00.680000+00:00 | someactor@domain.com | document file(s) shared via link from corporate Box | example rule name | OPEN | sessionid-abc-1 |\n"
        );
    }

    // reference-tests.md #15
    #[test]
    fn alert_get_of_a_missing_alert_says_no_results_found() {
        let server = session_server();
        let result = run(&server, "code42-alert-get", &[("id", "nope")]).unwrap();
        assert_eq!(result.readable, "No results found");
        assert_eq!(result.outputs, Some(json!({"Results": []})));
        assert_eq!(result.raw, Some(json!({})));
    }

    // reference-tests.md #16
    #[test]
    fn alert_update_sets_the_state_then_shows_the_alert() {
        let server = session_server();
        let result = run(&server, "code42-alert-update", &[("id", "sessionid-abc-1"), ("state", "OPEN")]).unwrap();
        assert_eq!(result.outputs, Some(json!([expected_context()])));
        assert_eq!(result.raw.as_ref().unwrap()["sessionId"], "sessionid-abc-1");
        assert!(result.readable.starts_with("### Code42 Security Alert Updated\n"));
        let change = &server.requests()[1];
        assert_eq!(change.url, "https://api.us.code42.com/v1/sessions/change-state");
        let body: Value = serde_json::from_slice(change.body.as_ref().unwrap()).unwrap();
        assert_eq!(body, json!({"ids": ["sessionid-abc-1"], "newState": "OPEN"}));
    }

    // reference-tests.md #17
    #[test]
    fn alert_resolve_closes_as_true_positive() {
        let server = session_server();
        let result = run(&server, "!code42-alert-resolve", &[("id", "sessionid-abc-1")]).unwrap();
        assert_eq!(result.outputs, Some(json!([expected_context()])));
        assert!(result.readable.starts_with("### Code42 Security Alert Resolved\n"));
        let body: Value = serde_json::from_slice(server.requests()[1].body.as_ref().unwrap()).unwrap();
        assert_eq!(body["newState"], "CLOSED_TP");
    }

    #[test]
    fn alert_update_rejects_unknown_states_before_any_request() {
        let server = session_server();
        let err = run(&server, "code42-alert-update", &[("id", "x"), ("state", "RESOLVED")]).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "state"));
        assert!(server.requests().is_empty());
    }

    #[test]
    fn alert_update_of_a_missing_alert_says_no_results_found() {
        let server = session_server();
        server.on(Method::Post, "/v1/sessions/change-state", 404, json!({}));
        let result = run(&server, "code42-alert-update", &[("id", "nope"), ("state", "CLOSED_FP")]).unwrap();
        assert_eq!(result.readable, "No results found");
    }

    #[test]
    fn other_api_errors_are_errors() {
        let server = session_server();
        server.on(Method::Get, "/v1/sessions/boom", 500, json!({"error": "down"}));
        let err = run(&server, "code42-alert-get", &[("id", "boom")]).unwrap_err();
        assert!(matches!(err, Error::Upstream { status: 500, .. }), "{err:?}");
    }
}
