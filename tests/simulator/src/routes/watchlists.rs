//! `/v2/watchlists`: one watchlist per type (plus titled CUSTOM ones) and their actors.

use super::{AppState, Params, bad_request, not_found, ok_json, page};
use crate::lock_shared;
use crate::tenant::{Tenant, Watchlist, WatchlistMember};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) async fn list(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match p.paging("pageSize", 100, 1000) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let actor = p.get("actorId");
    let all: Vec<Value> = tenant
        .watchlists
        .iter()
        .filter(|w| actor.is_none_or(|a| w.included.iter().any(|m| m.actor_id == a)))
        .map(|w| w.to_json(&tenant.tenant_id))
        .collect();
    ok_json(json!({"watchlists": page(&all, number, size), "totalCount": all.len()}))
}

#[derive(Deserialize)]
pub(crate) struct CreateBody {
    #[serde(rename = "watchlistType")]
    watchlist_type: String,
    title: Option<String>,
    description: Option<String>,
}

/// The watchlist types the API takes.
const TYPES: &[&str] = &[
    "CONTRACT_EMPLOYEE",
    "DEPARTING_EMPLOYEE",
    "ELEVATED_ACCESS_PRIVILEGES",
    "FLIGHT_RISK",
    "HIGH_IMPACT_EMPLOYEE",
    "NEW_EMPLOYEE",
    "PERFORMANCE_CONCERNS",
    "POOR_SECURITY_PRACTICES",
    "SUSPICIOUS_SYSTEM_ACTIVITY",
    "CUSTOM",
];

pub(crate) async fn create(State(shared): AppState, body: axum::Json<CreateBody>) -> Response {
    // The rng before the tenant, the order every caller takes the two locks in.
    let watchlist_id = crate::tenant::uuid(&mut lock_shared(&shared.rng));
    let mut tenant = lock_shared(&shared.tenant);
    if !TYPES.contains(&body.watchlist_type.as_str()) {
        return bad_request(&format!("unknown watchlistType '{}'", body.watchlist_type));
    }
    let too_long = |text: &Option<String>, max: usize| text.as_deref().is_some_and(|t| t.chars().count() > max);
    if too_long(&body.title, 50) || too_long(&body.description, 250) {
        return bad_request("title is at most 50 characters and description at most 250");
    }
    let custom = body.watchlist_type == "CUSTOM";
    if custom && body.title.as_deref().is_none_or(str::is_empty) {
        return bad_request("a CUSTOM watchlist needs a title");
    }
    if !custom && tenant.watchlists.iter().any(|w| w.list_type == body.watchlist_type) {
        return bad_request(&format!("a {} watchlist already exists", body.watchlist_type));
    }
    let watchlist = Watchlist {
        watchlist_id,
        list_type: body.watchlist_type.clone(),
        title: body.title.clone(),
        description: body.description.clone(),
        included: vec![],
    };
    let answer = watchlist.to_json(&tenant.tenant_id);
    tenant.watchlists.push(watchlist);
    ok_json(answer)
}

pub(crate) async fn delete(State(shared): AppState, Path(id): Path<String>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let before = tenant.watchlists.len();
    tenant.watchlists.retain(|w| w.watchlist_id != id);
    if tenant.watchlists.len() == before {
        return not_found("watchlist");
    }
    ok_json(json!({}))
}

pub(crate) async fn get(State(shared): AppState, Path(id): Path<String>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.watchlists.iter().find(|w| w.watchlist_id == id) {
        Some(w) => ok_json(w.to_json(&tenant.tenant_id)),
        None => not_found("watchlist"),
    }
}

fn member_json(tenant: &Tenant, m: &WatchlistMember) -> Value {
    let name = tenant.actor_by_id(&m.actor_id).map(|a| a.name.clone());
    json!({"actorId": m.actor_id, "actorname": name, "addedTime": m.added_time})
}

/// Members and included actors are the same here: the simulator has no departments or groups.
fn actors_page(shared: &crate::Shared, id: &str, query: Option<&str>, key: &str) -> Response {
    let p = Params::parse(query);
    let (size, number) = match p.paging("page_size", 100, 1000) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let Some(w) = tenant.watchlists.iter().find(|w| w.watchlist_id == id) else { return not_found("watchlist") };
    let all: Vec<Value> = w.included.iter().map(|m| member_json(&tenant, m)).collect();
    ok_json(json!({key: page(&all, number, size), "totalCount": all.len()}))
}

pub(crate) async fn members(State(shared): AppState, Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    actors_page(&shared, &id, query.as_deref(), "watchlistMembers")
}

pub(crate) async fn included_actors(
    State(shared): AppState,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    actors_page(&shared, &id, query.as_deref(), "includedActors")
}

#[derive(Deserialize)]
pub(crate) struct ActorsBody {
    #[serde(rename = "actorIds")]
    actor_ids: Vec<String>,
}

pub(crate) async fn add_actors(
    State(shared): AppState,
    Path(id): Path<String>,
    body: axum::Json<ActorsBody>,
) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    if let Some(unknown) = body.actor_ids.iter().find(|a| tenant.actor_by_id(a).is_none()) {
        return bad_request(&format!("unknown actor '{unknown}'"));
    }
    let Some(w) = tenant.watchlists.iter_mut().find(|w| w.watchlist_id == id) else { return not_found("watchlist") };
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    for actor_id in &body.actor_ids {
        if !w.included.iter().any(|m| &m.actor_id == actor_id) {
            w.included.push(WatchlistMember { actor_id: actor_id.clone(), added_time: now.clone() });
        }
    }
    ok_json(json!({}))
}

pub(crate) async fn remove_actors(
    State(shared): AppState,
    Path(id): Path<String>,
    body: axum::Json<ActorsBody>,
) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(w) = tenant.watchlists.iter_mut().find(|w| w.watchlist_id == id) else { return not_found("watchlist") };
    w.included.retain(|m| !body.actor_ids.contains(&m.actor_id));
    ok_json(json!({}))
}
