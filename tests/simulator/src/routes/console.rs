//! The console API (py42's endpoints): token, tenant, orgs and the user operations the gateway
//! lacks. Answers are wrapped in `{"data": ...}` as the console wraps them.

use super::{AppState, Params, bad_request, not_found, ok_json};
use crate::auth::Service;
use crate::lock_shared;
use crate::tenant::{Actor, Tenant, User};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) async fn token(State(shared): AppState, request: Request) -> Response {
    let grant = Params::parse(request.uri().query());
    if grant.get("grant_type") != Some("client_credentials") {
        return bad_request("grant_type must be client_credentials");
    }
    super::issue_token(&shared, &request, Service::Console)
}

pub(crate) async fn customer(State(shared): AppState) -> Response {
    let tenant = lock_shared(&shared.tenant);
    ok_json(
        json!({"data": {"tenantUid": tenant.tenant_id, "name": "Simulated Tenant", "registrationKey": "SIMU-LATE-DKEY-0001"}}),
    )
}

pub(crate) async fn orgs(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match (p.number("pgSize", 500, 1, 1000), p.number("pgNum", 1, 1, i64::from(u32::MAX))) {
        (Ok(s), Ok(n)) => (s, n),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let all: Vec<Value> = tenant
        .orgs
        .iter()
        .map(|o| json!({"orgId": o.org_id, "orgUid": o.org_uid, "orgName": o.name, "status": "Active", "active": true, "blocked": false, "type": "ENTERPRISE"}))
        .collect();
    ok_json(json!({"data": {"totalCount": all.len(), "orgs": super::page(&all, number, size)}}))
}

fn console_user(tenant: &Tenant, u: &User) -> Value {
    let org = tenant.orgs.iter().find(|o| o.org_uid == u.org_id);
    let status = if u.blocked {
        "Blocked"
    } else if u.active {
        "Active"
    } else {
        "Deactivated"
    };
    json!({
        "userId": u.legacy_id,
        "userUid": u.user_id,
        "status": status,
        "username": u.username,
        "email": u.username,
        "firstName": u.first_name,
        "lastName": u.last_name,
        "orgId": org.map(|o| o.org_id),
        "orgUid": u.org_id,
        "orgName": org.map(|o| o.name.clone()),
        "active": u.active,
        "blocked": u.blocked,
        "creationDate": "2021-03-01T10:00:00.000Z",
    })
}

pub(crate) async fn find_user(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let tenant = lock_shared(&shared.tenant);
    let users: Vec<Value> = tenant
        .users
        .iter()
        .filter(|u| p.get("username").is_none_or(|n| u.username.eq_ignore_ascii_case(n)))
        .map(|u| console_user(&tenant, u))
        .collect();
    ok_json(json!({"data": {"totalCount": users.len(), "users": users}}))
}

/// By legacy integer id, or by uid with `?idType=uid`.
pub(crate) async fn get_user(State(shared): AppState, Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    let by_uid = Params::parse(query.as_deref()).get("idType") == Some("uid");
    let tenant = lock_shared(&shared.tenant);
    let found = tenant.users.iter().find(|u| if by_uid { u.user_id == id } else { u.legacy_id.to_string() == id });
    match found {
        Some(u) => ok_json(json!({"data": console_user(&tenant, u)})),
        None => not_found("user"),
    }
}

#[derive(Deserialize)]
pub(crate) struct NewUser {
    #[serde(rename = "orgUid")]
    org_uid: String,
    username: String,
    email: Option<String>,
    #[serde(rename = "firstName")]
    first_name: Option<String>,
    #[serde(rename = "lastName")]
    last_name: Option<String>,
}

pub(crate) async fn create_user(State(shared): AppState, body: axum::Json<NewUser>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    if !tenant.orgs.iter().any(|o| o.org_uid == body.org_uid) {
        return bad_request("unknown orgUid");
    }
    if tenant.users.iter().any(|u| u.username.eq_ignore_ascii_case(&body.username)) {
        return bad_request("USER_DUPLICATE: a user with that username exists");
    }
    let serial = tenant.mint("u");
    let digits: String = serial.chars().filter(char::is_ascii_digit).collect();
    let user = User {
        user_id: format!("9608{digits:0>14}"),
        legacy_id: 200_000 + tenant.users.len() as i64,
        username: body.username.clone(),
        first_name: body.first_name.clone().unwrap_or_default(),
        last_name: body.last_name.clone().unwrap_or_default(),
        org_id: body.org_uid.clone(),
        active: true,
        blocked: false,
    };
    let actor_id = tenant.mint("actor");
    tenant.actors.push(Actor {
        actor_id,
        name: body.email.clone().unwrap_or_else(|| body.username.clone()),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        start_date: None,
        end_date: None,
        notes: None,
        parent_actor_id: None,
    });
    let answer = console_user(&tenant, &user);
    tenant.users.push(user);
    ok_json(json!({"data": answer}))
}

/// `POST /api/v3/users/{uid}/block|unblock|deactivate|activate`.
pub(crate) async fn user_action(State(shared): AppState, Path((uid, action)): Path<(String, String)>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(user) = tenant.users.iter_mut().find(|u| u.user_id == uid) else { return not_found("user") };
    match action.as_str() {
        "block" => user.blocked = true,
        "unblock" => user.blocked = false,
        "deactivate" => user.active = false,
        "activate" => user.active = true,
        _ => return not_found("action"),
    }
    StatusCode::NO_CONTENT.into_response()
}
