//! `/v1/users`.

use super::{AppState, Params, not_found, ok_json, page};
use crate::lock_shared;
use crate::tenant::{Tenant, User};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A user as the gateway shows it.
pub(crate) fn user_json(tenant: &Tenant, u: &User) -> Value {
    let org = tenant.orgs.iter().find(|o| o.org_uid == u.org_id);
    json!({
        "legacyUserId": u.legacy_id.to_string(),
        "userId": u.user_id,
        "username": u.username,
        "firstName": u.first_name,
        "lastName": u.last_name,
        "legacyOrgId": org.map(|o| o.org_id.to_string()),
        "orgId": u.org_id,
        "orgGuid": u.org_id,
        "orgName": org.map(|o| o.name.clone()),
        "notes": null,
        "active": u.active,
        "blocked": u.blocked,
        "creationDate": "2021-03-01T10:00:00.000Z",
        "modificationDate": "2024-03-01T10:00:00.000Z",
    })
}

pub(crate) async fn list(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("pageSize", 100, 1000) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (active, blocked) = match (p.flag("active"), p.flag("blocked")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let username = p.get("username");
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<Value> = tenant
        .users
        .iter()
        .filter(|u| username.is_none_or(|n| u.username.eq_ignore_ascii_case(n)))
        .filter(|u| active.is_none_or(|a| u.active == a))
        .filter(|u| blocked.is_none_or(|b| u.blocked == b))
        .map(|u| user_json(&tenant, u))
        .collect();
    ok_json(json!({"users": page(&matching, number, size), "totalCount": matching.len()}))
}

pub(crate) async fn get(State(shared): AppState, Path(id): Path<String>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.user_by_id(&id) {
        Some(u) => ok_json(user_json(&tenant, u)),
        None => not_found("user"),
    }
}

fn set_active(shared: &crate::Shared, id: &str, active: bool) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    match tenant.users.iter_mut().find(|u| u.user_id == id) {
        Some(u) => {
            u.active = active;
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found("user"),
    }
}

pub(crate) async fn deactivate(State(shared): AppState, Path(id): Path<String>) -> Response {
    set_active(&shared, &id, false)
}

pub(crate) async fn activate(State(shared): AppState, Path(id): Path<String>) -> Response {
    set_active(&shared, &id, true)
}
