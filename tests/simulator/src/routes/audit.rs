//! `/v1/audit`: the tenant's audit log, searched by actor, type, resource and time.

use super::{AppState, bad_request, ok_json};
use crate::lock_shared;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Search {
    actor_names: Option<Vec<String>>,
    event_types: Option<Vec<String>>,
    resource_ids: Option<Vec<String>>,
    date_range: Option<DateRange>,
    page: Option<i64>,
    page_size: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct DateRange {
    /// Epoch seconds.
    start_time: Option<f64>,
    end_time: Option<f64>,
}

impl Search {
    fn matches(&self, event: &Value) -> bool {
        let field = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or_default();
        let among =
            |wanted: &Option<Vec<String>>, value: &str| wanted.as_ref().is_none_or(|w| w.iter().any(|x| x == value));
        let seconds = chrono::DateTime::parse_from_rfc3339(field("timestamp"))
            .map_or(0.0, |t| t.timestamp_millis() as f64 / 1000.0);
        let range = self.date_range.as_ref();
        among(&self.actor_names, field("actorName"))
            && among(&self.event_types, field("type$"))
            && among(&self.resource_ids, field("resourceId"))
            && range.and_then(|r| r.start_time).is_none_or(|start| seconds >= start)
            && range.and_then(|r| r.end_time).is_none_or(|end| seconds <= end)
    }
}

/// Newest first; `page` from 0, `pageSize` at most 10,000; no total (a count has its own call).
pub(crate) async fn search(State(shared): AppState, body: axum::Json<Search>) -> Response {
    let (page, size) = (body.page.unwrap_or(0), body.page_size.unwrap_or(100));
    if page < 0 || !(1..=10_000).contains(&size) {
        return bad_request("page is from 0 and pageSize from 1 to 10000");
    }
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<&Value> = tenant.audit_events.iter().rev().filter(|e| body.matches(e)).collect();
    let start = (page * size) as usize;
    let events: Vec<&Value> = matching.iter().skip(start).take(size as usize).copied().collect();
    let end = start + events.len();
    ok_json(json!({"events": events, "paginationRangeStartIndex": start, "paginationRangeEndIndex": end}))
}

pub(crate) async fn count(State(shared): AppState, body: axum::Json<Search>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    ok_json(json!({"totalResultCount": tenant.audit_events.iter().filter(|e| body.matches(e)).count()}))
}
