//! fetch-incidents: Code42 alert sessions become incidents exactly once (product-decisions §4).
//!
//! Each run first serves sessions left pending by an earlier run (beyond `fetch_limit`). With none
//! pending, it lists open alert sessions from `watermark − look-back` (or `now − fetch_time` on
//! the first run), drops those already handled (older than the watermark, or at the watermark
//! and in its id list), emits the oldest `fetch_limit` and leaves the rest pending, by id.

mod legacy_events;
pub mod state;

use crate::alerts::{self, Alert, Lookups};
use crate::api::{Client, sessions};
use crate::error::{Error, Result, json_problem};
use crate::http::HttpClient;
use crate::params::Settings;
use serde_json::{Map, Value, json};
use sessions::{SessionEvents, SessionQuery};
use state::FetchState;
use std::collections::HashSet;

/// An incident ready for the host.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub name: String,
    pub occurred: String,
    pub severity: f32,
    pub incident_type: Option<String>,
    pub raw_json: String,
}

/// What one run produces.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchResult {
    pub incidents: Vec<Incident>,
    pub next_run: FetchState,
}

/// One fetch run at time `now_ms`.
pub fn fetch_incidents<H: HttpClient>(client: &Client<H>, last_run: Option<&str>, now_ms: i64) -> Result<FetchResult> {
    let mut state = FetchState::parse(last_run)?;
    let settings = client.settings();

    if !state.pending.is_empty() {
        let take = settings.fetch_limit.min(state.pending.len());
        let ids: Vec<String> = state.pending.drain(..take).collect();
        // A session deleted since it was found has nothing left to report.
        let found: Vec<Value> = sessions::get_many(client, &ids)?.into_iter().flatten().collect();
        return Ok(FetchResult { incidents: incidents(client, found)?, next_run: state });
    }

    let watermark = state.last_fetch.unwrap_or(now_ms - settings.fetch_time.millis());
    let window_start = match state.last_fetch {
        Some(w) => w - settings.fetch_look_back.millis(),
        None => watermark,
    };
    // Ids already handled, or already taken from an earlier page of this listing.
    let mut seen: HashSet<String> = state.incidents_at_last_fetch_timestamp.iter().cloned().collect();
    let mut fresh: Vec<(i64, String, Value)> = list_sessions(client, window_start)?
        .into_iter()
        .filter_map(|s| {
            let observed = s.get("firstObserved").and_then(Value::as_i64)?;
            let id = s.get("sessionId").and_then(Value::as_str)?.to_string();
            (observed >= watermark && seen.insert(id.clone())).then_some((observed, id, s))
        })
        .collect();
    fresh.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    let newest = fresh.last().map(|f| f.0);
    let (last_fetch, mut at_watermark) = match newest {
        Some(n) if n > watermark => (n, vec![]),
        _ => (watermark, std::mem::take(&mut state.incidents_at_last_fetch_timestamp)),
    };
    at_watermark.extend(fresh.iter().filter(|f| f.0 == last_fetch).map(|f| f.1.clone()));

    let rest = fresh.split_off(settings.fetch_limit.min(fresh.len()));
    let incidents = incidents(client, fresh.into_iter().map(|(_, _, s)| s).collect())?;
    let next_run = FetchState {
        version: state::VERSION,
        last_fetch: Some(last_fetch),
        incidents_at_last_fetch_timestamp: at_watermark,
        pending: rest.into_iter().map(|f| f.1).collect(),
    };
    Ok(FetchResult { incidents, next_run })
}

/// Every open alert session of the configured severities beginning on or after `start`.
fn list_sessions<H: HttpClient>(client: &Client<H>, start: i64) -> Result<Vec<Value>> {
    let settings = client.settings();
    let query = SessionQuery {
        on_or_after: Some(start),
        has_alerts: true,
        states: vec!["OPEN", "OPEN_NEW_DATA"],
        severities: settings.alert_severity.iter().map(|s| s.api_value()).collect(),
        ..SessionQuery::default()
    };
    sessions::list_all(client, query)
}

/// The incidents of these sessions, in order. Their actor and rule lookups and, with
/// `include_files`, their file events are read in one batch.
fn incidents<H: HttpClient>(client: &Client<H>, sessions: Vec<Value>) -> Result<Vec<Incident>> {
    let settings = client.settings();
    let ids: Vec<String> =
        sessions.iter().map(|s| s.get("sessionId").and_then(Value::as_str).unwrap_or_default().to_string()).collect();
    let event_calls =
        if settings.include_files { ids.iter().map(|id| sessions::events_call(id)).collect() } else { vec![] };
    let mut lookups = Lookups::default();
    let mut event_answers = lookups.load(client, &sessions, event_calls)?.into_iter();
    sessions
        .into_iter()
        .zip(ids)
        .map(|(session, id)| {
            let alert = alerts::enrich(settings, session, &lookups);
            match event_answers.next() {
                Some(answer) => {
                    let response = answer?;
                    incident(settings, alert, &id, Some(sessions::events_answer(&id, &response)?))
                }
                None => incident(settings, alert, &id, None),
            }
        })
        .collect()
}

/// With mirroring on, what XSOAR's mapper turns into `dbotMirrorId`, `dbotMirrorDirection` and
/// `dbotMirrorInstance`, and the session's last change; with it off, nothing.
pub fn add_mirror_fields(settings: &Settings, details: &mut Map<String, Value>) {
    let Some(direction) = settings.mirror else { return };
    let id = details.get("sessionId").cloned().unwrap_or(Value::Null);
    let last_update = details.get("lastUpdated").and_then(Value::as_i64).and_then(crate::pytime::iso_from_millis);
    details.insert("mirror_direction".into(), json!(direction.field_value()));
    details.insert("mirror_instance".into(), json!(settings.mirror_instance.clone().unwrap_or_default()));
    details.insert("mirror_id".into(), id);
    details.insert("mirror_last_update".into(), json!(last_update));
}

/// The incident of one enriched session, with its file events when they were read.
fn incident(settings: &Settings, mut alert: Alert, id: &str, events: Option<SessionEvents>) -> Result<Incident> {
    let details = &mut alert.details;
    add_mirror_fields(settings, details);
    // v2 events go into the incident as the API sent them, spliced in after the other fields.
    let mut verbatim = None;
    if let Some(events) = events {
        let summary = details.get("exfiltrationSummary").and_then(Value::as_str).unwrap_or_default();
        details.insert("exfiltrationSummary".into(), json!(format!("{} {summary}", events.total).trim_end()));
        if settings.v2_events {
            verbatim = Some(events.json);
        } else {
            let parsed: Vec<Value> = serde_json::from_str(events.json).map_err(|e| Error::Upstream {
                status: 200,
                message: format!(
                    "Code42 sent file events of session {id} that could not be read: {}",
                    json_problem(&e)
                ),
            })?;
            details.insert("fileevents".into(), Value::Array(parsed.iter().map(legacy_events::to_v1).collect()));
            details.insert("fileevents_version".into(), json!("1"));
        }
    }
    let summary = details.get("exfiltrationSummary").and_then(Value::as_str).filter(|s| !s.is_empty());
    // The reference prints a missing summary as Python's `None`; the session id says more.
    let name = match summary {
        Some(s) => format!("Code42 - {s}"),
        None => format!("Code42 - {}", if id.is_empty() { "alert" } else { id }),
    };
    let occurred = details.get("beginTimeIso").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut raw_json = Value::Object(alert.details).to_string();
    if let Some(events) = verbatim {
        raw_json.pop(); // the closing brace of a non-empty object
        raw_json.push_str(",\"fileevents\":");
        raw_json.push_str(events);
        raw_json.push_str(",\"fileevents_version\":\"2\"}");
    }
    Ok(Incident {
        name,
        occurred,
        severity: alert.severity.incident_severity(),
        incident_type: settings.incident_type.clone(),
        raw_json,
    })
}

#[cfg(test)]
mod tests;
