//! code42-file-events-search and code42-file-events-table (code42-reference.md §9, §10).

use super::{CommandResult, Invocation};
use crate::api::{Client, file_events};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::event_table;
use crate::http::HttpClient;
use crate::query::{FileEventQuery, Filter, HashKind, Operator};
use serde_json::{Value, json};
use std::collections::HashSet;

const PREFIX: &str = "Code42.FileEvents";

/// The query of the search arguments: `json` when given, else risk score, hash, hostname and
/// username filters, each in a group of its own.
pub fn build_query(args: &Args) -> Result<FileEventQuery> {
    if let Some(text) = args.get("json") {
        return FileEventQuery::parse("json", text);
    }
    let (hash, hostname, username) = (args.get("hash"), args.get("hostname"), args.get("username"));
    if hash.is_none() && hostname.is_none() && username.is_none() {
        return Err(Error::invalid_arg("hash", "No query args provided for searching Code42 security events."));
    }
    // 0 or nothing means 1, as in the reference; the API filter is "greater than min − 1".
    let min_score = match args.integer("min_risk_score")? {
        None | Some(0) => 1,
        Some(n) => n,
    };
    let mut filters = vec![Filter::new("risk.score", Operator::GreaterThan, json!(min_score - 1))];
    if let Some(hash) = hash {
        filters.push(Filter::new(HashKind::of("hash", hash)?.term(), Operator::Is, json!(hash)));
    }
    if let Some(hostname) = hostname {
        filters.push(Filter::new("source.name", Operator::Is, json!(hostname)));
    }
    if let Some(username) = username {
        filters.push(Filter::new("user.email", Operator::Is, json!(username)));
    }
    Ok(FileEventQuery::all_of(filters))
}

fn event_id(event: &Value) -> Option<&Value> {
    event.pointer("/event/id").or_else(|| event.get("eventId")).or_else(|| event.get("eventid"))
}

/// Events without repeats of an id (first wins); events without an id are all kept.
fn dedup(events: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    events.into_iter().filter(|e| event_id(e).is_none_or(|id| seen.insert(id.to_string()))).collect()
}

/// The events at `Code42.FileEvents` in a context.
fn context_events(invocation: &Invocation) -> Vec<Value> {
    let found = invocation.context.as_ref().and_then(|c| c.pointer("/Code42/FileEvents"));
    match found {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => vec![],
    }
}

/// `results` is the most events returned (product-decisions §3), across as many pages as needed.
pub fn search<H: HttpClient>(client: &Client<H>, args: &Args, invocation: &Invocation) -> Result<CommandResult> {
    let add_to_context = args.boolean("add-to-context")?.unwrap_or(false);
    let limit = args.count("results")?.unwrap_or(50);
    let query = build_query(args)?;
    let events = file_events::search(client, query, limit)?;
    let readable = event_table::render(&events);
    if !add_to_context {
        return Ok(CommandResult { readable, raw: Some(Value::Array(events)), ..Default::default() });
    }
    let merged = dedup(events.into_iter().chain(context_events(invocation)));
    Ok(CommandResult::with_outputs(readable, PREFIX, None, Value::Array(merged)))
}

/// The events of the incident (`CustomFields.code42fileevents`, or `fileevents` in its rawJSON).
/// v1 and v2 events alike: de-duplication reads either shape's id.
fn incident_events(invocation: &Invocation) -> Result<Vec<Value>> {
    let Some(incident) = &invocation.incident else {
        return Err(Error::invalid_arg(
            "include",
            "No incident was given, so its file events cannot be shown; use include=searches or give an incident",
        ));
    };
    let custom = incident.pointer("/CustomFields/code42fileevents").cloned();
    let raw = || {
        let raw = incident.get("rawJSON")?;
        let parsed: Value = match raw {
            Value::String(text) => serde_json::from_str(text).ok()?,
            other => other.clone(),
        };
        parsed.get("fileevents").cloned()
    };
    Ok(match custom.or_else(raw) {
        Some(Value::Array(items)) => items,
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or_default(),
        _ => vec![],
    })
}

pub fn table(args: &Args, invocation: &Invocation) -> Result<CommandResult> {
    let include = args.get("include").unwrap_or("all");
    let mut events = Vec::new();
    if include == "incident" || (include == "all" && invocation.incident.is_some()) {
        events.extend(incident_events(invocation)?);
    }
    if include == "searches" || include == "all" {
        events.extend(context_events(invocation));
    }
    Ok(CommandResult { readable: event_table::render(&dedup(events)), ..Default::default() })
}

#[cfg(test)]
mod tests;
