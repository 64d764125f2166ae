//! Alert rules: `/v2/alert-rules`.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::Value;

/// The rule of that id; `Ok(None)` when the API answers with any HTTP error (the reference
/// treats that as a deleted rule). Transport failures are still errors.
pub fn get<H: HttpClient>(client: &Client<H>, rule_id: &str) -> Result<Option<Value>> {
    let path = format!("/v2/alert-rules/{}", segment(rule_id));
    match client.json(Call::get(&path)) {
        Ok(rule) => Ok(Some(rule)),
        Err(Error::NotFound(_) | Error::Upstream { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
