//! Alert sessions: `/v1/sessions`.

use super::{Call, Client, found, segment};
use crate::error::{Error, Result, json_problem};
use crate::http::{HttpClient, Response};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// One page of `GET /v1/sessions`.
#[derive(Debug, Deserialize)]
pub struct SessionPage {
    #[serde(default)]
    pub items: Vec<Value>,
    #[serde(rename = "totalCount", default)]
    pub total_count: Option<u64>,
}

/// Filters of `GET /v1/sessions`, with the API's snake_case names.
#[derive(Debug, Clone, Default)]
pub struct SessionQuery {
    pub on_or_after: Option<i64>,
    pub has_alerts: bool,
    pub states: Vec<&'static str>,
    pub severities: Vec<u8>,
    pub page_number: u32,
    pub page_size: u32,
}

/// The session of that id; `Ok(None)` when the API has none.
pub fn get<H: HttpClient>(client: &Client<H>, session_id: &str) -> Result<Option<Value>> {
    found(client.json(get_call(session_id)))
}

/// The sessions of these ids, read together; `None` for those the API no longer has.
pub fn get_many<H: HttpClient>(client: &Client<H>, session_ids: &[String]) -> Result<Vec<Option<Value>>> {
    let calls: Vec<Call> = session_ids.iter().map(|id| get_call(id)).collect();
    client.json_all(&calls).into_iter().map(found).collect()
}

fn get_call(session_id: &str) -> Call<'static> {
    Call::get(format!("/v1/sessions/{}", segment(session_id)))
}

/// Sets the state of sessions.
pub fn change_state<H: HttpClient>(client: &Client<H>, ids: &[&str], new_state: &str) -> Result<()> {
    // Setting a state twice leaves the same state: safe to retry.
    client.send(Call::post("/v1/sessions/change-state", json!({"ids": ids, "newState": new_state})).idempotent())?;
    Ok(())
}

/// Page size of `GET /v1/sessions`; a shorter page is the last.
const PAGE_SIZE: u32 = 50;
/// Bound on pages per listing, so a misbehaving server cannot keep a run going forever.
const MAX_PAGES: u32 = 10_000;

/// Every session matching `query`, page after page.
pub fn list_all<H: HttpClient>(client: &Client<H>, mut query: SessionQuery) -> Result<Vec<Value>> {
    query.page_number = 0;
    query.page_size = PAGE_SIZE;
    let mut all = Vec::new();
    while query.page_number < MAX_PAGES {
        let page = list(client, &query)?;
        let full = page.items.len() >= PAGE_SIZE as usize;
        all.extend(page.items);
        if !full {
            break;
        }
        query.page_number += 1;
    }
    Ok(all)
}

/// Adds a note to a session. Not retried after a 5xx: a second try could add it twice.
pub fn add_note<H: HttpClient>(client: &Client<H>, session_id: &str, content: &str) -> Result<()> {
    let path = format!("/v1/sessions/{}/add-note", segment(session_id));
    client.send(Call::post(path, json!({"noteContent": content})))?;
    Ok(())
}

/// One page of sessions.
pub fn list<H: HttpClient>(client: &Client<H>, query: &SessionQuery) -> Result<SessionPage> {
    let mut call = Call::get("/v1/sessions");
    if let Some(t) = query.on_or_after {
        call = call.query("on_or_after", t);
    }
    if query.has_alerts {
        call = call.query("has_alerts", "true");
    }
    for state in &query.states {
        call = call.query("state", state);
    }
    for severity in &query.severities {
        call = call.query("severity", severity);
    }
    call = call.query("page_number", query.page_number).query("page_size", query.page_size);
    client.json(call)
}

/// Reads the file events behind a session; its answer goes through [`events_answer`].
pub fn events_call(session_id: &str) -> Call<'static> {
    Call::get(format!("/v1/sessions/{}/events", segment(session_id)))
}

/// The file events of a session, as the API sent them.
#[derive(Debug, Clone, Copy)]
pub struct SessionEvents<'a> {
    /// `queryResult.fileEvents`: a JSON array, kept as text (attaching events to an incident
    /// need not build them, only carry them).
    pub json: &'a str,
    /// `queryResult.totalCount`, else the number of events.
    pub total: u64,
}

/// The answer to [`events_call`], read without building its events.
pub fn events_answer<'a>(session_id: &str, response: &'a Response) -> Result<SessionEvents<'a>> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(rename = "queryResult", borrow)]
        query_result: QueryResult<'a>,
    }
    #[derive(Deserialize)]
    struct QueryResult<'a> {
        #[serde(rename = "fileEvents", borrow, default)]
        file_events: Option<&'a RawValue>,
        #[serde(rename = "totalCount", default)]
        total_count: Option<u64>,
    }
    let unreadable = |e: serde_json::Error| Error::Upstream {
        status: response.status,
        message: format!("Code42 sent the events of session {session_id} that could not be read: {}", json_problem(&e)),
    };
    let envelope: Envelope = serde_json::from_slice(&response.body).map_err(unreadable)?;
    let json = envelope.query_result.file_events.map_or("[]", RawValue::get);
    // Skimmed, not built: it must be an array, and its length is the count when none is given.
    let count = serde_json::from_str::<Vec<IgnoredAny>>(json).map_err(unreadable)?.len() as u64;
    Ok(SessionEvents { json, total: envelope.query_result.total_count.unwrap_or(count) })
}

/// For each actor, whether it has an alert session beginning on or after `since` (epoch ms);
/// the actors are asked about together.
pub fn actors_with_alerts_since<H: HttpClient>(
    client: &Client<H>,
    actor_ids: &[&str],
    since: i64,
) -> Result<Vec<bool>> {
    let calls: Vec<Call> = actor_ids
        .iter()
        .map(|actor_id| {
            Call::get("/v1/sessions")
                .query("actor_id", actor_id.to_string())
                .query("on_or_after", since)
                .query("has_alerts", "true")
                .query("page_number", 0)
                .query("page_size", 1)
        })
        .collect();
    client
        .json_all::<SessionPage>(&calls)
        .into_iter()
        .map(|page| page.map(|p| !p.items.is_empty() || p.total_count.unwrap_or(0) > 0))
        .collect()
}
