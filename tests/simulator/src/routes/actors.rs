//! `/v1/actors` and `/v2/alert-rules`.

use super::{AppState, Params, bad_request, not_found, ok_json, page};
use crate::lock_shared;
use crate::tenant::{Actor, Tenant};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

fn parent_of<'a>(tenant: &'a Tenant, actor: &'a Actor) -> &'a Actor {
    actor.parent_actor_id.as_deref().and_then(|p| tenant.actor_by_id(p)).unwrap_or(actor)
}

pub(crate) async fn by_id(State(shared): AppState, Path(id): Path<String>) -> Response {
    match lock_shared(&shared.tenant).actor_by_id(&id) {
        Some(a) => ok_json(a.to_json()),
        None => not_found("actor"),
    }
}

pub(crate) async fn parent_by_id(State(shared): AppState, Path(id): Path<String>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.actor_by_id(&id) {
        Some(a) => ok_json(parent_of(&tenant, a).to_json()),
        None => not_found("actor"),
    }
}

pub(crate) async fn parent_by_name(State(shared): AppState, Path(name): Path<String>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.actor_by_name(&name) {
        Some(a) => ok_json(parent_of(&tenant, a).to_json()),
        None => not_found(&format!("actor '{name}'")),
    }
}

pub(crate) async fn search(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("pageSize", 500, 10_000) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let active = match p.flag("active") {
        Ok(a) => a,
        Err(r) => return r,
    };
    let starts = p.get("nameStartsWith").map(str::to_ascii_lowercase);
    let ends = p.get("nameEndsWith").map(str::to_ascii_lowercase);
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<Value> = tenant
        .actors
        .iter()
        .filter(|a| starts.as_deref().is_none_or(|s| a.name.to_ascii_lowercase().starts_with(s)))
        .filter(|a| ends.as_deref().is_none_or(|s| a.name.to_ascii_lowercase().ends_with(s)))
        .filter(|_| active != Some(false))
        .map(Actor::to_json)
        .collect();
    ok_json(json!({"actors": page(&matching, number, size), "totalCount": matching.len()}))
}

/// `PATCH`: only the keys present change; `null` clears.
pub(crate) async fn update(
    State(shared): AppState,
    Path(id): Path<String>,
    body: axum::Json<Map<String, Value>>,
) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(actor) = tenant.actors.iter_mut().find(|a| a.actor_id == id) else { return not_found("actor") };
    for (key, value) in body.iter() {
        let text = match value {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => return bad_request(&format!("{key} must be a string or null")),
        };
        if matches!(key.as_str(), "startDate" | "endDate")
            && let Some(date) = &text
            && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err()
        {
            return bad_request(&format!("{key} must be YYYY-MM-DD, got '{date}'"));
        }
        match key.as_str() {
            "notes" => actor.notes = text,
            "startDate" => actor.start_date = text,
            "endDate" => actor.end_date = text,
            other => return bad_request(&format!("unknown field '{other}'")),
        }
    }
    ok_json(actor.to_json())
}

pub(crate) async fn rule(State(shared): AppState, Path(id): Path<String>) -> Response {
    match lock_shared(&shared.tenant).rules.iter().find(|r| r.id == id) {
        Some(r) => ok_json(r.to_json()),
        None => not_found("rule"),
    }
}

/// `GET /v2/alert-rules`: a bare array, pages from 0 (`PageNumber`, `PageSize`).
pub(crate) async fn rules(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let paging = p.number("PageSize", 100, 1, 500).and_then(|size| Ok((size, p.number("PageNumber", 0, 0, i64::MAX)?)));
    let (size, number) = match paging {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let all: Vec<Value> = tenant.rules.iter().map(|r| r.to_json()).collect();
    ok_json(Value::Array(page(&all, number + 1, size)))
}

#[derive(serde::Deserialize)]
pub(crate) struct RuleIds(Vec<String>);

fn set_rules_enabled(shared: &crate::Shared, ids: &[String], enabled: bool) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    if let Some(unknown) = ids.iter().find(|id| !tenant.rules.iter().any(|r| r.id == **id)) {
        return bad_request(&format!("no rule with id {unknown}"));
    }
    for rule in tenant.rules.iter_mut().filter(|r| ids.contains(&r.id)) {
        rule.enabled = enabled;
    }
    axum::http::StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn enable_rules(State(shared): AppState, body: axum::Json<RuleIds>) -> Response {
    set_rules_enabled(&shared, &body.0.0, true)
}

pub(crate) async fn disable_rules(State(shared): AppState, body: axum::Json<RuleIds>) -> Response {
    set_rules_enabled(&shared, &body.0.0, false)
}
