//! Actors (the people behind events): `/v1/actors`.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Map, Value};

/// The actor of that id; `Ok(None)` when it no longer exists.
pub fn by_id<H: HttpClient>(client: &Client<H>, actor_id: &str) -> Result<Option<Value>> {
    let path = format!("/v1/actors/actor/id/{}", segment(actor_id));
    match client.json(Call::get(&path)) {
        Ok(actor) => Ok(Some(actor)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The actor of a username, preferring its parent (`/name/{name}/parent`). Not found → the
/// incydr SDK's error text, which the reference surfaces.
pub fn by_name<H: HttpClient>(client: &Client<H>, name: &str) -> Result<Value> {
    let path = format!("/v1/actors/actor/name/{}/parent", segment(name));
    client.json(Call::get(&path)).map_err(|e| match e {
        Error::NotFound(_) => {
            Error::NotFound(format!("Actor Not Found Error: No results for actors matching '{name}'."))
        }
        other => other,
    })
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
