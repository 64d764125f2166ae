//! File-event search: `POST /v2/file-events`, paged by `pgToken`.

use super::{Call, Client};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::query::{FileEventQuery, MAX_PAGE_SIZE};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "fileEvents", default)]
    file_events: Option<Vec<Value>>,
    #[serde(rename = "nextPgToken", default)]
    next_pg_token: Option<String>,
}

/// Up to `limit` events matching `query`, following `nextPgToken` page after page.
pub fn search<H: HttpClient>(client: &Client<H>, mut query: FileEventQuery, limit: usize) -> Result<Vec<Value>> {
    let mut events = Vec::new();
    query.pg_token.get_or_insert_with(String::new);
    while events.len() < limit {
        query.pg_size = (limit - events.len()).clamp(1, MAX_PAGE_SIZE as usize) as u32;
        let page: Page =
            client.json(Call::post("/v2/file-events", query.to_json()).idempotent()).map_err(search_error)?;
        let batch = page.file_events.unwrap_or_default();
        let got = batch.len();
        events.extend(batch.into_iter().take(limit - events.len()));
        match page.next_pg_token.filter(|t| !t.is_empty()) {
            Some(token) if got > 0 => query.pg_token = Some(token),
            _ => break,
        }
    }
    Ok(events)
}

/// The reference reports every search failure as `Error searching for file events: <err>`.
fn search_error(e: Error) -> Error {
    let text = e.to_string();
    e.with_message(format!("Error searching for file events: {text}"))
}
