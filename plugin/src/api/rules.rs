//! Alert rules: `/v2/alert-rules`.

use super::pages::Paging;
use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Value, json};

/// `GET /v2/alert-rules`: pages from 0, a bare array, no total.
pub const RULE_PAGES: Paging =
    Paging { page: "PageNumber", first: 0, size: "PageSize", max_size: 100, items: "", total: None, in_body: false };

pub fn list_call() -> Call<'static> {
    Call::get("/v2/alert-rules")
}

/// `POST /v2/alert-rules/enable` or `/disable` with the ids as a bare array; setting a state
/// twice leaves it set, so it may be retried.
pub fn set_enabled<H: HttpClient>(client: &Client<H>, ids: &[String], enabled: bool) -> Result<()> {
    let action = if enabled { "enable" } else { "disable" };
    client.send(Call::post(format!("/v2/alert-rules/{action}"), json!(ids)).idempotent())?;
    Ok(())
}

/// Reads the rule of that id; its answer goes through [`answer`].
pub fn get_call(rule_id: &str) -> Call<'static> {
    Call::get(format!("/v2/alert-rules/{}", segment(rule_id)))
}

/// The rule read by [`get_call`]; `Ok(None)` when the API answered with any HTTP error (the
/// reference treats that as a deleted rule). Transport failures are still errors.
pub fn answer(result: Result<Value>) -> Result<Option<Value>> {
    match result {
        Ok(rule) => Ok(Some(rule)),
        Err(Error::NotFound(_) | Error::Upstream { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
