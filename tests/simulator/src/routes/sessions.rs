//! `/v1/sessions`: alert sessions, paged the way the API pages them (`page_number` from 0,
//! `on_or_after`/`before` on `beginTime`, newest first unless `order_by` says otherwise).

use super::{AppState, Params, bad_request, not_found, ok_json};
use crate::lock_shared;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) const STATES: &[&str] =
    &["OPEN", "IN_PROGRESS", "CLOSED", "CLOSED_TP", "CLOSED_TP_BENIGN", "CLOSED_FP", "OPEN_NEW_DATA"];

pub(crate) async fn list(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let size = match p.number("page_size", 50, 1, 50) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let page = match p.number("page_number", 0, 0, i64::from(u32::MAX)) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let on_or_after = p.get("on_or_after").map(str::parse::<i64>);
    let before = p.get("before").map(str::parse::<i64>);
    let (Ok(on_or_after), Ok(before)) = (on_or_after.transpose(), before.transpose()) else {
        return bad_request("on_or_after and before must be epoch milliseconds");
    };
    let has_alerts = match p.flag("has_alerts") {
        Ok(v) => v,
        Err(r) => return r,
    };
    let states = p.all("state");
    if let Some(bad) = states.iter().find(|s| !STATES.contains(s)) {
        return bad_request(&format!("unknown state '{bad}'"));
    }
    let severities: Result<Vec<i64>, _> = p.all("severity").iter().map(|s| s.parse::<i64>()).collect();
    let Ok(severities) = severities else { return bad_request("severity must be an integer from 0 to 4") };
    let actor = p.get("actor_id");
    let (rules, watchlists, indicators) = (p.all("rule_id"), p.all("watchlist_id"), p.all("risk_indicators"));

    let tenant = lock_shared(&shared.tenant);
    // A watchlist filter keeps the sessions of the actors on any of the watchlists.
    let watched: Vec<&str> = tenant
        .watchlists
        .iter()
        .filter(|w| watchlists.contains(&w.watchlist_id.as_str()))
        .flat_map(|w| w.included.iter().map(|m| m.actor_id.as_str()))
        .collect();
    let any_of = |items: &[Value], key: &str, wanted: &[&str]| {
        wanted.is_empty()
            || items.iter().any(|i| i.get(key).and_then(Value::as_str).is_some_and(|v| wanted.contains(&v)))
    };
    let mut matching: Vec<&crate::tenant::Session> = tenant
        .sessions
        .iter()
        .filter(|s| on_or_after.is_none_or(|t| s.begin_time >= t))
        .filter(|s| before.is_none_or(|t| s.begin_time < t))
        .filter(|s| has_alerts.is_none_or(|h| h == !s.triggered_alerts.is_empty()))
        .filter(|s| states.is_empty() || states.contains(&s.state()))
        .filter(|s| severities.is_empty() || severities.contains(&s.severity()))
        .filter(|s| actor.is_none_or(|a| s.actor_id == a))
        .filter(|s| any_of(&s.triggered_alerts, "ruleId", &rules))
        .filter(|s| watchlists.is_empty() || watched.contains(&s.actor_id.as_str()))
        .filter(|s| any_of(&s.risk_indicators, "name", &indicators) || any_of(&s.risk_indicators, "id", &indicators))
        .collect();
    let descending = p.get("sort_direction").is_none_or(|d| !d.eq_ignore_ascii_case("asc"));
    match p.get("order_by") {
        Some("score") => matching.sort_by_key(|s| (s.severity(), s.begin_time, s.session_id.clone())),
        Some("end_time") => matching.sort_by_key(|s| (s.end_time, s.session_id.clone())),
        _ => matching.sort_by_key(|s| (s.begin_time, s.session_id.clone())),
    }
    if descending {
        matching.reverse();
    }
    let total = matching.len();
    let items: Vec<_> = matching.into_iter().skip((page * size) as usize).take(size as usize).collect();
    ok_json(json!({"items": items, "totalCount": total}))
}

pub(crate) async fn get(State(shared): AppState, Path(id): Path<String>) -> Response {
    match lock_shared(&shared.tenant).session(&id) {
        Some(s) => ok_json(json!(s)),
        None => not_found("session"),
    }
}

pub(crate) async fn events(State(shared): AppState, Path(id): Path<String>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.session_events.get(&id) {
        Some(events) => ok_json(
            json!({"queryResult": {"fileEvents": events, "nextPgToken": null, "problems": null, "totalCount": events.len()}}),
        ),
        None => not_found("session"),
    }
}

#[derive(Deserialize)]
pub(crate) struct ChangeState {
    ids: Vec<String>,
    #[serde(rename = "newState")]
    new_state: String,
}

pub(crate) async fn change_state(State(shared): AppState, body: axum::Json<ChangeState>) -> Response {
    if !STATES.contains(&body.new_state.as_str()) {
        return bad_request(&format!("unknown state '{}'", body.new_state));
    }
    let mut tenant = lock_shared(&shared.tenant);
    if let Some(missing) = body.ids.iter().find(|id| tenant.session(id).is_none()) {
        return not_found(&format!("session {missing}"));
    }
    for id in &body.ids {
        tenant.change_state(id, &body.new_state, None);
    }
    ok_json(json!({}))
}

#[derive(Deserialize)]
pub(crate) struct AddNote {
    #[serde(rename = "noteContent")]
    note_content: String,
}

/// `POST /v1/sessions/{id}/add-note`: the note joins the session's history with its time.
pub(crate) async fn add_note(State(shared): AppState, Path(id): Path<String>, body: axum::Json<AddNote>) -> Response {
    if body.note_content.is_empty() {
        return bad_request("noteContent must not be empty");
    }
    if body.note_content.chars().count() > 2000 {
        return bad_request("noteContent must be at most 2000 characters");
    }
    let mut tenant = lock_shared(&shared.tenant);
    match tenant.add_note(&id, &body.note_content, "api-client") {
        Some(note) => ok_json(note),
        None => not_found("session"),
    }
}
