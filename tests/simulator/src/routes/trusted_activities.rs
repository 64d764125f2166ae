//! `/v2/trusted-activities`: what the tenant trusts, with the API's rules on trusted actions.

use super::{AppState, Params, bad_request, not_found, ok_json, page};
use crate::lock_shared;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

const TYPES: &[&str] = &["DOMAIN", "URL_PATH", "SLACK", "ACCOUNT_NAME", "GIT_REPOSITORY_URI"];

/// `activity_type` filters; pages from 1 (`page`, `page_size`).
pub(crate) async fn list(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("page_size", 100, 500) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<Value> = tenant
        .trusted_activities
        .iter()
        .filter(|a| p.get("activity_type").is_none_or(|t| a["type"] == t))
        .cloned()
        .collect();
    ok_json(json!({"trustedActivities": page(&matching, number, size), "totalCount": matching.len()}))
}

/// The actions of the body's groups, as `(type, provider names)`.
fn actions(body: &Value) -> Vec<(String, Vec<String>)> {
    let groups = body["activityActionGroups"].as_array().cloned().unwrap_or_default();
    groups
        .iter()
        .flat_map(|g| g["activityActions"].as_array().cloned().unwrap_or_default())
        .map(|a| {
            let providers = a["providers"].as_array().cloned().unwrap_or_default();
            let names = providers.iter().filter_map(|p| p["name"].as_str().map(String::from)).collect();
            (a["type"].as_str().unwrap_or_default().to_string(), names)
        })
        .collect()
}

/// What the API refuses: an unknown type, no value, a DOMAIN without actions, an ACCOUNT_NAME
/// without DROPBOX or ONE_DRIVE syncing, actions on URL_PATH or SLACK.
fn problem(body: &Value) -> Option<String> {
    let kind = body["type"].as_str().unwrap_or_default();
    if !TYPES.contains(&kind) {
        return Some(format!("unknown type '{kind}'"));
    }
    if body["value"].as_str().is_none_or(|v| v.trim().is_empty()) {
        return Some("value is required".into());
    }
    let actions = actions(body);
    match kind {
        "DOMAIN" if actions.is_empty() => Some("a DOMAIN needs at least one activity action".into()),
        "ACCOUNT_NAME"
            if !actions
                .iter()
                .any(|(t, p)| t == "CLOUD_SYNC" && p.iter().any(|n| n == "DROPBOX" || n == "ONE_DRIVE")) =>
        {
            Some("an ACCOUNT_NAME needs CLOUD_SYNC with DROPBOX or ONE_DRIVE".into())
        }
        "URL_PATH" | "SLACK" if !actions.is_empty() => Some(format!("a {kind} takes no activity actions")),
        _ => None,
    }
}

pub(crate) async fn create(State(shared): AppState, body: axum::Json<Value>) -> Response {
    let body = body.0;
    if let Some(problem) = problem(&body) {
        return bad_request(&problem);
    }
    let mut tenant = lock_shared(&shared.tenant);
    if tenant.trusted_activities.iter().any(|a| a["type"] == body["type"] && a["value"] == body["value"]) {
        return bad_request("a trusted activity of this type and value exists");
    }
    tenant.next_serial += 1;
    let activity = json!({
        "activityId": (8000 + tenant.next_serial).to_string(),
        "type": body["type"],
        "value": body["value"],
        "description": body["description"],
        "isHighValueSource": body["isHighValueSource"].as_bool().unwrap_or(false),
        "activityActionGroups": body["activityActionGroups"],
        "principalType": "API_KEY",
        "updateTime": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "updatedByPrincipalId": "key-simulated-client",
        "updatedByPrincipalName": "key-simulated-client",
    });
    tenant.trusted_activities.push(activity.clone());
    ok_json(activity)
}

pub(crate) async fn get(State(shared): AppState, Path(id): Path<String>) -> Response {
    match lock_shared(&shared.tenant).trusted_activities.iter().find(|a| a["activityId"] == id.as_str()) {
        Some(a) => ok_json(a.clone()),
        None => not_found("trusted activity"),
    }
}

pub(crate) async fn delete(State(shared): AppState, Path(id): Path<String>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let before = tenant.trusted_activities.len();
    tenant.trusted_activities.retain(|a| a["activityId"] != id.as_str());
    if tenant.trusted_activities.len() == before {
        return not_found("trusted activity");
    }
    StatusCode::NO_CONTENT.into_response()
}
