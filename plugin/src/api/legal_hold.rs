//! Legal hold matters and custodians: `/v1/legal-hold`.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Value, json};

const PAGE_SIZE: usize = 100;

/// The id of the matter named exactly `name` (case-sensitive). The API's `name` filter also
/// returns matters whose names merely contain it, so every page is checked.
pub fn matter_id<H: HttpClient>(client: &Client<H>, name: &str) -> Result<String> {
    for page in 1.. {
        let answer: Value = client.json(
            Call::get("/v1/legal-hold/matters").query("name", name).query("page", page).query("pageSize", PAGE_SIZE),
        )?;
        let matters = answer.get("matters").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(m) = matters.iter().find(|m| m.get("name").and_then(Value::as_str) == Some(name)) {
            if let Some(id) = m.get("matterId").and_then(Value::as_str) {
                return Ok(id.to_string());
            }
        }
        if matters.len() < PAGE_SIZE {
            break;
        }
    }
    Err(Error::NotFound(format!("No legal hold matter found with name {name}.")))
}

/// Adds a custodian; the API answers the new membership.
pub fn add_custodian<H: HttpClient>(client: &Client<H>, matter_id: &str, user_id: &str) -> Result<Value> {
    let path = format!("/v1/legal-hold/matters/{}/custodians", segment(matter_id));
    // Not retried after a 5xx: a second add of a custodian the first one added is refused.
    client.json(Call::post(&path, json!({"userId": user_id})))
}

pub fn remove_custodian<H: HttpClient>(client: &Client<H>, matter_id: &str, user_id: &str) -> Result<()> {
    let path = format!("/v1/legal-hold/matters/{}/custodians/remove", segment(matter_id));
    // Not retried after a 5xx: a second removal would report the user as not a member.
    client.send(Call::post(&path, json!({"userId": user_id})))?;
    Ok(())
}
