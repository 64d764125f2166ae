//! `/v1/legal-hold`: matters and their custodians.

use super::{AppState, Params, bad_request, not_found, ok_json, page};
use crate::lock_shared;
use crate::tenant::{Custodian, Matter};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

fn matter_json(m: &Matter) -> Value {
    json!({
        "matterId": m.matter_id,
        "name": m.name,
        "description": m.description,
        "notes": null,
        "active": m.active,
        "creationDate": m.creation_date,
        "lastModified": m.creation_date,
        "policyId": "23456753135798456",
        "creator": {"userId": "123412341234123412", "username": "legal@example.com"},
        "creatorPrincipal": {"type": "user", "principalId": "123412341234123412", "displayName": "legal@example.com"},
    })
}

/// `name` matches names that equal or contain it (case-insensitive), as the API does.
pub(crate) async fn matters(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("pageSize", 100, 1000) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let active = match p.flag("active") {
        Ok(a) => a,
        Err(r) => return r,
    };
    let name = p.get("name").map(str::to_lowercase);
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<Value> = tenant
        .matters
        .iter()
        .filter(|m| name.as_deref().is_none_or(|n| m.name.to_lowercase().contains(n)))
        .filter(|m| active.is_none_or(|a| m.active == a))
        .map(matter_json)
        .collect();
    ok_json(json!({"matters": page(&matching, number, size)}))
}

#[derive(Deserialize)]
pub(crate) struct CustodianBody {
    #[serde(rename = "userId")]
    user_id: String,
}

pub(crate) async fn add_custodian(
    State(shared): AppState,
    Path(id): Path<String>,
    body: axum::Json<CustodianBody>,
) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(user) = tenant.user_by_id(&body.user_id).cloned() else { return bad_request("unknown userId") };
    let Some(matter) = tenant.matters.iter_mut().find(|m| m.matter_id == id) else { return not_found("matter") };
    if matter.custodians.iter().any(|c| c.user_id == user.user_id && c.active) {
        return bad_request("the user is already an active custodian of the matter");
    }
    let since = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    matter.custodians.retain(|c| c.user_id != user.user_id);
    matter.custodians.push(Custodian { user_id: user.user_id.clone(), active: true, since: since.clone() });
    ok_json(json!({
        "membershipActive": true,
        "membershipCreationDate": since,
        "matter": {"matterId": matter.matter_id, "name": matter.name},
        "custodian": {"userId": user.user_id, "username": user.username, "email": user.username},
    }))
}

pub(crate) async fn remove_custodian(
    State(shared): AppState,
    Path(id): Path<String>,
    body: axum::Json<CustodianBody>,
) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(matter) = tenant.matters.iter_mut().find(|m| m.matter_id == id) else { return not_found("matter") };
    match matter.custodians.iter_mut().find(|c| c.user_id == body.user_id && c.active) {
        Some(c) => {
            c.active = false;
            StatusCode::NO_CONTENT.into_response()
        }
        None => bad_request("the user is not an active custodian of the matter"),
    }
}

pub(crate) async fn custodians(State(shared): AppState, Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("pageSize", 100, 1000) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let Some(matter) = tenant.matters.iter().find(|m| m.matter_id == id) else { return not_found("matter") };
    let all: Vec<Value> = matter
        .custodians
        .iter()
        .map(|c| {
            let user = tenant.user_by_id(&c.user_id);
            json!({
                "membershipActive": c.active,
                "membershipCreationDate": c.since,
                "userId": c.user_id,
                "name": user.map(|u| u.username.clone()),
                "email": user.map(|u| u.username.clone()),
            })
        })
        .collect();
    ok_json(json!({"custodians": page(&all, number, size)}))
}
