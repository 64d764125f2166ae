//! Actors (the people behind events): `/v1/actors`.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::Value;

/// The actor of that id; `Ok(None)` when it no longer exists.
pub fn by_id<H: HttpClient>(client: &Client<H>, actor_id: &str) -> Result<Option<Value>> {
    let path = format!("/v1/actors/actor/id/{}", segment(actor_id));
    match client.json(Call::get(&path)) {
        Ok(actor) => Ok(Some(actor)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A cheap authenticated probe: the first actor of the tenant.
pub fn probe<H: HttpClient>(client: &Client<H>) -> Result<()> {
    client.send(Call::get("/v1/actors/actor/search").query("pageSize", 1).query("page", 1))?;
    Ok(())
}
