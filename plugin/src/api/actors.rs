//! Actors (the people behind events): `/v1/actors`.

use super::{Call, Client, found, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Map, Value};

/// Reads the actor of that id (answered with [`found`]: `None` when it no longer exists).
pub fn by_id_call(actor_id: &str) -> Call<'static> {
    Call::get(format!("/v1/actors/actor/id/{}", segment(actor_id)))
}

/// The actors of these ids, read together; `None` for those that no longer exist.
pub fn by_ids<H: HttpClient>(client: &Client<H>, actor_ids: &[&str]) -> Result<Vec<Option<Value>>> {
    let calls: Vec<Call> = actor_ids.iter().map(|id| by_id_call(id)).collect();
    client.json_all(&calls).into_iter().map(found).collect()
}

/// The actor of a username, preferring its parent (`/name/{name}/parent`). Not found → the
/// incydr SDK's error text, which the reference surfaces.
pub fn by_name<H: HttpClient>(client: &Client<H>, name: &str) -> Result<Value> {
    by_name_answer(name, client.json(by_name_call(name)))
}

/// Reads the actor of a username; its answer goes through [`by_name_answer`].
pub fn by_name_call(name: &str) -> Call<'static> {
    Call::get(format!("/v1/actors/actor/name/{}/parent", segment(name)))
}

/// The answer to [`by_name_call`], with the SDK's text when there is no such actor.
pub fn by_name_answer(name: &str, answer: Result<Value>) -> Result<Value> {
    answer.map_err(|e| e.when_not_found(|| format!("Actor Not Found Error: No results for actors matching '{name}'.")))
}

/// Changes `notes`, `startDate`, `endDate` (only the keys given; null clears) and returns the
/// updated actor.
pub fn update<H: HttpClient>(client: &Client<H>, actor_id: &str, changes: Map<String, Value>) -> Result<Value> {
    let path = format!("/v1/actors/actor/id/{}", segment(actor_id));
    // Setting the same fields again gives the same profile: safe to retry.
    client.json(Call::patch(&path, Value::Object(changes)).idempotent())
}

/// The `actorId` of an actor object.
pub fn id_of(actor: &Value) -> Result<String> {
    actor
        .get("actorId")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| Error::Upstream { status: 200, message: "Code42 returned an actor without an actorId".into() })
}

/// A cheap authenticated probe: the first actor of the tenant.
pub fn probe<H: HttpClient>(client: &Client<H>) -> Result<()> {
    client.send(Call::get("/v1/actors/actor/search").query("pageSize", 1).query("page", 1))?;
    Ok(())
}
