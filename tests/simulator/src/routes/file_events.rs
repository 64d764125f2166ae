//! `POST /v2/file-events`: the V2 query over every event of the tenant, sorted, paged by token.

use super::query::{self, Problem};
use super::{AppState, ok_json};
use crate::lock_shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::cmp::Ordering;

const TOKEN_PREFIX: &str = "sim-pg-";

fn invalid(problem: Problem) -> Response {
    let body = json!({
        "error": "Invalid query",
        "problems": [{"type": problem.kind, "description": problem.description, "badFilter": problem.filter}],
    });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn sort_value(event: &Value, key: &str) -> Option<Value> {
    query::values_at(event, key).first().map(|v| (*v).clone())
}

fn compare(a: &Option<Value>, b: &Option<Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal)
        }
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

pub(crate) async fn search(State(shared): AppState, body: axum::body::Bytes) -> Response {
    let Ok(q) = serde_json::from_slice::<Value>(&body) else {
        return invalid(Problem { kind: "INVALID_JSON", description: "the body is not JSON".into(), filter: None });
    };
    if let Err(p) = query::validate(&q) {
        return invalid(p);
    }
    let size = q.get("pgSize").and_then(Value::as_i64).unwrap_or(100);
    if !(1..=10_000).contains(&size) {
        return invalid(Problem {
            kind: "INVALID_PAGE_SIZE",
            description: format!("pgSize must be 1 to 10000, got {size}"),
            filter: None,
        });
    }
    let offset = match q.get("pgToken").and_then(Value::as_str).filter(|t| !t.is_empty()) {
        Some(token) => match token.strip_prefix(TOKEN_PREFIX).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => n,
            None => {
                return invalid(Problem {
                    kind: "INVALID_PAGE_TOKEN",
                    description: format!("unknown pgToken '{token}'"),
                    filter: None,
                });
            }
        },
        None => ((q.get("pgNum").and_then(Value::as_i64).unwrap_or(1).max(1) - 1) * size) as usize,
    };
    let key = q.get("srtKey").and_then(Value::as_str).unwrap_or("event.id").to_string();
    let descending = q.get("srtDir").and_then(Value::as_str).is_some_and(|d| d.eq_ignore_ascii_case("desc"));

    let now = chrono::Utc::now();
    let tenant = lock_shared(&shared.tenant);
    let mut hits = Vec::new();
    for event in tenant.all_events() {
        match query::matches(&q, event, now) {
            Ok(true) => hits.push(event.clone()),
            Ok(false) => {}
            Err(p) => return invalid(p),
        }
    }
    hits.sort_by(|a, b| {
        let order = compare(&sort_value(a, &key), &sort_value(b, &key));
        if descending { order.reverse() } else { order }
    });
    let total = hits.len();
    let page: Vec<Value> = hits.into_iter().skip(offset).take(size as usize).collect();
    let next = (offset + (size as usize) < total).then(|| format!("{TOKEN_PREFIX}{}", offset + size as usize));
    ok_json(json!({"fileEvents": page, "nextPgToken": next, "problems": null, "totalCount": total}))
}
