//! `/v1/agents`: one agent per device of the tenant's users, activated and deactivated by id.

use super::{AppState, Params, bad_request, not_found, ok_json, page};
use crate::lock_shared;
use crate::tenant::Agent;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

fn agent_json(a: &Agent) -> Value {
    json!({
        "agentId": a.agent_id,
        "name": a.name,
        "userId": a.user_id,
        "osHostname": a.os_hostname,
        "osName": a.os_name,
        "machineId": a.machine_id,
        "serialNumber": a.serial_number,
        "active": a.active,
        "agentType": "COMBINED",
        "agentHealthIssueTypes": a.health_issues,
        "agentHealthModificationDate": a.last_connected,
        "appVersion": "1.6.0",
        "productVersion": "1.6.0",
        "lastConnected": a.last_connected,
        "externalReference": null,
        "creationDate": a.creation_date,
        "modificationDate": a.last_connected,
    })
}

/// `userId`, `active` and `agentHealthy` filter; pages from 1, at most 500 an answer.
pub(crate) async fn list(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("pageSize", 500, 500) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (active, healthy) = match (p.flag("active"), p.flag("agentHealthy")) {
        (Ok(a), Ok(h)) => (a, h),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<Value> = tenant
        .agents
        .iter()
        .filter(|a| p.get("userId").is_none_or(|u| a.user_id == u))
        .filter(|a| active.is_none_or(|want| a.active == want))
        .filter(|a| healthy.is_none_or(|want| a.health_issues.is_empty() == want))
        .map(agent_json)
        .collect();
    let total = matching.len();
    ok_json(json!({"agents": page(&matching, number, size), "totalCount": total, "pageSize": size, "page": number}))
}

pub(crate) async fn get(State(shared): AppState, Path(id): Path<String>) -> Response {
    match lock_shared(&shared.tenant).agents.iter().find(|a| a.agent_id == id) {
        Some(a) => ok_json(agent_json(a)),
        None => not_found("agent"),
    }
}

#[derive(Deserialize)]
pub(crate) struct AgentIds {
    #[serde(rename = "agentIds")]
    agent_ids: Vec<String>,
}

fn set_active(shared: &crate::Shared, ids: &[String], active: bool) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    if let Some(unknown) = ids.iter().find(|id| !tenant.agents.iter().any(|a| a.agent_id == **id)) {
        return bad_request(&format!("no agent with id {unknown}"));
    }
    for agent in tenant.agents.iter_mut().filter(|a| ids.contains(&a.agent_id)) {
        agent.active = active;
    }
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn activate(State(shared): AppState, body: axum::Json<AgentIds>) -> Response {
    set_active(&shared, &body.agent_ids, true)
}

pub(crate) async fn deactivate(State(shared): AppState, body: axum::Json<AgentIds>) -> Response {
    set_active(&shared, &body.agent_ids, false)
}
