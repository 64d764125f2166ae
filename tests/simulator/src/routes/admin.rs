//! `/_sim/...`: controls for tests that drive the simulator from another process.

use super::{AppState, ok_json};
use crate::faults::FaultRule;
use crate::lock_shared;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<crate::Shared>> {
    Router::new()
        .route("/_sim/requests", get(requests))
        .route("/_sim/faults", post(add_fault).delete(clear_faults))
        .route("/_sim/expire-tokens", post(expire_tokens))
        .route("/_sim/summary", get(summary))
}

async fn requests(State(shared): AppState) -> Response {
    ok_json(json!(*lock_shared(&shared.log)))
}

async fn add_fault(State(shared): AppState, rule: axum::Json<FaultRule>) -> Response {
    lock_shared(&shared.faults).push(rule.0);
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_faults(State(shared): AppState) -> Response {
    lock_shared(&shared.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn expire_tokens(State(shared): AppState) -> Response {
    lock_shared(&shared.tokens).expire_all();
    StatusCode::NO_CONTENT.into_response()
}

/// Ids of one object of each kind, for scripts that need something real to ask for.
async fn summary(State(shared): AppState) -> Response {
    let t = lock_shared(&shared.tenant);
    let session = t.sessions.iter().find(|s| !s.triggered_alerts.is_empty());
    ok_json(json!({
        "tenantId": t.tenant_id,
        "sessions": t.sessions.len(),
        "sessionId": session.map(|s| s.session_id.clone()),
        "actorId": t.actors.first().map(|a| a.actor_id.clone()),
        "actorName": t.actors.first().map(|a| a.name.clone()),
        "ruleId": t.rules.first().map(|r| r.id.clone()),
        "userId": t.users.first().map(|u| u.user_id.clone()),
        "username": t.users.first().map(|u| u.username.clone()),
        "usernames": t.users.iter().map(|u| u.username.clone()).collect::<Vec<_>>(),
        "matterId": t.matters.first().map(|m| m.matter_id.clone()),
        "watchlistId": t.watchlists.first().map(|w| w.watchlist_id.clone()),
        "sha256": t.files.keys().next(),
        "xfcId": t.xfc_files.keys().next(),
        "agentId": t.agents.first().map(|a| a.agent_id.clone()),
        "eventId": t.session_events.values().flatten().next().and_then(|e| e.pointer("/event/id")),
    }))
}
