//! code42-audit-log-search: who did what in the Incydr console and API.

use super::{CommandResult, listed_result};
use crate::api::pages::{self, Paging};
use crate::api::{Call, Client};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Map, Value, json};

/// `POST /v1/audit/search-audit-log`: the page in the body, from 0, no total.
const AUDIT_PAGES: Paging =
    Paging { page: "page", first: 0, size: "pageSize", max_size: 10_000, items: "events", total: None, in_body: true };

const HEADERS: &[&str] = &["Timestamp", "Type$", "ActorName", "ActorIpAddress", "ResourceId"];

pub fn search<H: HttpClient>(client: &Client<H>, args: &Args, now_ms: i64) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    // The API takes epoch seconds.
    let seconds = |ms: i64| json!(ms as f64 / 1000.0);
    let (start, end) = (args.instant("start_time", now_ms)?, args.instant("end_time", now_ms)?);
    if let (Some(start), Some(end)) = (start, end)
        && start > end
    {
        return Err(Error::invalid_arg("end_time", "end_time is before start_time"));
    }
    let mut body = Map::new();
    body.insert("dateRange".into(), json!({"startTime": start.map(seconds), "endTime": end.map(seconds)}));
    for (arg, key) in [("actor_names", "actorNames"), ("event_types", "eventTypes"), ("resource_ids", "resourceIds")] {
        let items = args.list(arg);
        if !items.is_empty() {
            body.insert(key.into(), json!(items));
        }
    }
    // A search reads: repeating it changes nothing.
    let call = Call::post("/v1/audit/search-audit-log", Value::Object(body)).idempotent();
    let listed = pages::up_to(client, &call, &AUDIT_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Audit Log", HEADERS, "Code42.AuditLog", None))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::Invocation;
    use crate::commands::testing::{body, run_with};
    use crate::http::Method;
    use serde_json::json;

    /// 2026-12-08T00:00:00Z
    const NOW: i64 = 1_796_688_000_000;

    #[test]
    fn the_search_sends_epoch_seconds_lists_and_its_page_in_the_body() {
        let server = FakeServer::new();
        server.on(
            Method::Post,
            "/v1/audit/search-audit-log",
            200,
            json!({"events": [{"type$": "a", "actorName": "x"}]}),
        );
        let args = [("start_time", "1 day"), ("actor_names", "x@example.com, y@example.com"), ("limit", "10")];
        let r = run_with(&server, "code42-audit-log-search", &args, Invocation::default(), NOW).unwrap();
        assert_eq!(
            body(&server, "/search-audit-log"),
            json!({"dateRange": {"startTime": 1_796_601_600.0, "endTime": null},
                   "actorNames": ["x@example.com", "y@example.com"], "page": 0, "pageSize": 11})
        );
        assert_eq!(r.outputs.unwrap(), json!([{"Type$": "a", "ActorName": "x"}]));
        assert_eq!((r.prefix.as_deref(), r.key_field), (Some("Code42.AuditLog"), None));
    }
}
