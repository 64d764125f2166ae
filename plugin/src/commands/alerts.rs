//! code42-alert-get, -update, -resolve (code42-reference.md §5), and beyond the reference:
//! code42-alert-search, -add-note, -file-events.

use super::CommandResult;
use crate::alerts;
use crate::api::pages::{self, Paging};
use crate::api::{Call, Client, actors, sessions, watchlists};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::event_table;
use crate::http::HttpClient;
use crate::severity::Severity;
use serde_json::{Value, json};

const PREFIX: &str = "Code42.SecurityAlert";
const KEY: &str = "ID";
/// The most ids one change-state request takes.
const CHANGE_STATE_BATCH: usize = 100;
/// `GET /v1/sessions`: pages from 0, at most 50 sessions each, with a total.
const SESSION_PAGES: Paging = Paging {
    page: "page_number",
    first: 0,
    size: "page_size",
    max_size: 50,
    items: "items",
    total: Some("totalCount"),
    in_body: false,
};

pub fn get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("id")?;
    Ok(show(client, &[id.to_string()], "Code42 Security Alert Results")?.remove(0))
}

/// Sets the state of one alert or several (one request per hundred), then shows each.
pub fn update<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<Vec<CommandResult>> {
    let ids = args.required_list("id")?;
    change_state(client, &ids, args.required("state")?, "Code42 Security Alert Updated")
}

/// Resolving closes the alert as a true positive (the API has no RESOLVED state any more).
pub fn resolve<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("id")?.to_string();
    Ok(change_state(client, &[id], "CLOSED_TP", "Code42 Security Alert Resolved")?.remove(0))
}

fn change_state<H: HttpClient>(
    client: &Client<H>,
    ids: &[String],
    state: &str,
    title: &str,
) -> Result<Vec<CommandResult>> {
    for batch in ids.chunks(CHANGE_STATE_BATCH) {
        let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
        match sessions::change_state(client, &batch, state) {
            Ok(()) => {}
            // One id the API does not know refuses the whole request: the others, one by one.
            Err(Error::NotFound(_)) if batch.len() > 1 => {
                for id in batch {
                    match sessions::change_state(client, &[id], state) {
                        Ok(()) | Err(Error::NotFound(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    // An alert whose state could not be set because it does not exist is not found here either.
    show(client, ids, title)
}

/// One result per id: the alert, or the reference's "No results found".
fn show<H: HttpClient>(client: &Client<H>, ids: &[String], title: &str) -> Result<Vec<CommandResult>> {
    let sessions = sessions::get_many(client, ids)?;
    let present: Vec<bool> = sessions.iter().map(Option::is_some).collect();
    let mut alerts = alerts::enrich_all(client, sessions.into_iter().flatten().collect())?.into_iter();
    Ok(present
        .into_iter()
        .map(|present| match present.then(|| alerts.next().expect("one alert per session found")) {
            None => no_results(),
            Some(alert) => {
                let context = alerts::context(&alert);
                let readable = alerts::table(title, std::slice::from_ref(&context));
                CommandResult::with_outputs(readable, PREFIX, Some(KEY), json!([context])).raw(alert.details.into())
            }
        })
        .collect())
}

/// What the reference answers for an alert that does not exist.
fn no_results() -> CommandResult {
    CommandResult::with_outputs("No results found".into(), PREFIX, Some(KEY), json!({"Results": []})).raw(json!({}))
}

/// Alert sessions matching the filters, newest first, filled in as code42-alert-get fills them.
pub fn search<H: HttpClient>(client: &Client<H>, args: &Args, now_ms: i64) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let severities: Vec<Severity> =
        args.list("severity").iter().map(|s| Severity::from_filter("severity", s)).collect::<Result<_>>()?;
    let (start, end) = (args.instant("start_time", now_ms)?, args.instant("end_time", now_ms)?);
    if let (Some(start), Some(end)) = (start, end)
        && start >= end
    {
        return Err(Error::invalid_arg("end_time", "end_time must be later than start_time"));
    }
    let mut call = Call::get("/v1/sessions").query("has_alerts", "true");
    if let Some(username) = args.get("username") {
        call = call.query("actor_id", actors::id_of(&actors::by_name(client, username)?)?);
    }
    if let Some(start) = start {
        call = call.query("on_or_after", start);
    }
    if let Some(end) = end {
        call = call.query("before", end);
    }
    for state in args.list("state") {
        call = call.query("state", state);
    }
    for severity in severities {
        call = call.query("severity", severity.api_value());
    }
    for rule in args.list("rule_id") {
        call = call.query("rule_id", rule);
    }
    for id in watchlist_ids(client, &args.list("watchlist"))? {
        call = call.query("watchlist_id", id);
    }
    for indicator in args.list("risk_indicators") {
        call = call.query("risk_indicators", indicator);
    }
    let listed = pages::up_to(client, &call, &SESSION_PAGES, limit)?;
    let more = listed.more_note();
    let alerts = alerts::enrich_all(client, listed.items)?;
    let contexts: Vec<Value> = alerts.iter().map(alerts::context).collect();
    let readable = alerts::table("Code42 Security Alerts", &contexts) + &more;
    let raw = alerts.into_iter().map(|a| Value::Object(a.details)).collect();
    Ok(CommandResult::with_outputs(readable, PREFIX, Some(KEY), Value::Array(contexts)).raw(Value::Array(raw)))
}

/// The ids of watchlists given as ids, types or custom titles; the list of watchlists is read
/// once, and only when a type or title needs it.
fn watchlist_ids<H: HttpClient>(client: &Client<H>, given: &[String]) -> Result<Vec<String>> {
    let mut first_page = None;
    given
        .iter()
        .map(|w| {
            if watchlists::is_uuid(w) {
                return Ok(w.clone());
            }
            if first_page.is_none() {
                first_page = Some(client.json::<Value>(watchlists::first_page_call())?);
            }
            watchlists::resolve_in(first_page.as_ref().expect("read above"), w)
                .map_err(|e| Error::invalid_arg("watchlist", e))
        })
        .collect()
}

/// A note on an alert session. Not retried after a 5xx: a second try could add it twice.
pub fn add_note<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (id, note) = (args.required("id")?, args.required("note")?);
    sessions::add_note(client, id, note).map_err(|e| not_found_as(e, id))?;
    Ok(CommandResult { readable: format!("Note added to alert {id}."), ..Default::default() })
}

/// The file events of an alert session, shaped as code42-file-events-search's.
pub fn file_events<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("id")?;
    let limit = args.count("limit")?.unwrap_or(50);
    let response = client.send(sessions::events_call(id)).map_err(|e| not_found_as(e, id))?;
    let answer = sessions::events_answer(id, &response)?;
    let mut events: Vec<Value> = serde_json::from_str(answer.json).map_err(|e| Error::Upstream {
        status: response.status,
        message: format!("Code42 sent the events of session {id} that could not be read: {e}"),
    })?;
    let total = answer.total.max(events.len() as u64);
    events.truncate(limit);
    let shown = pages::Listed { more: total > events.len() as u64, total: Some(total), items: events };
    let readable = event_table::render(&shown.items) + &shown.more_note();
    Ok(CommandResult::with_outputs(readable, "Code42.FileEvents", None, Value::Array(shown.items)))
}

/// A 404 about an alert as the sentence users read.
fn not_found_as(error: Error, id: &str) -> Error {
    error.when_not_found(|| format!("No alert found with ID {id}."))
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
    fn alert_update_of_several_ids_sends_a_hundred_per_request_and_answers_each() {
        let server = session_server();
        server.on(Method::Post, "/v1/sessions/change-state", 200, json!({}));
        let ids: Vec<String> =
            std::iter::once("sessionid-abc-1".to_string()).chain((1..150).map(|n| format!("s{n}"))).collect();
        let args = vec![("id".to_string(), ids.join(",")), ("state".to_string(), "CLOSED_FP".to_string())];
        let client = client(&server);
        let results = crate::commands::execute(&client, "code42-alert-update", args, &Default::default(), 0).unwrap();
        assert_eq!(results.len(), 150);
        assert_eq!(results[0].outputs, Some(json!([expected_context()])));
        assert!(results[1..].iter().all(|r| r.readable == "No results found"));
        let bodies: Vec<Value> = server
            .requests()
            .iter()
            .filter(|r| r.url.ends_with("/change-state"))
            .map(|r| serde_json::from_slice(r.body.as_ref().unwrap()).unwrap())
            .collect();
        assert_eq!(bodies.len(), 2);
        assert_eq!(bodies[0]["ids"].as_array().unwrap().len(), 100);
        assert_eq!(bodies[1]["ids"].as_array().unwrap().len(), 50);
        assert_eq!(bodies[1]["ids"][49], "s149");
    }

    #[test]
    fn a_note_longer_than_the_api_takes_is_refused_before_any_request() {
        let server = session_server();
        let err = run(&server, "code42-alert-add-note", &[("id", "x"), ("note", &"n".repeat(2001))]).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "note"), "{err:?}");
        assert!(server.requests().is_empty());
    }

    #[test]
    fn alert_search_refuses_unknown_severities_and_states_before_any_request() {
        let server = session_server();
        for (arg, value) in [("severity", "severe"), ("state", "DONE"), ("start_time", "soon"), ("limit", "0")] {
            let err = run(&server, "code42-alert-search", &[(arg, value)]).unwrap_err();
            assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == arg), "{arg}: {err:?}");
        }
        assert!(server.requests().is_empty());
    }

    #[test]
    fn other_api_errors_are_errors() {
        let server = session_server();
        server.on(Method::Get, "/v1/sessions/boom", 500, json!({"error": "down"}));
        let err = run(&server, "code42-alert-get", &[("id", "boom")]).unwrap_err();
        assert!(matches!(err, Error::Upstream { status: 500, .. }), "{err:?}");
    }
}
