//! Mirroring: an incident and its Code42 alert session kept in step both ways, with XSOAR's
//! commands (`get-modified-remote-data`, `get-remote-data`, `update-remote-system`,
//! `get-mapping-fields`) and conventions (product-decisions §6). They work from the CLI and the
//! HTTP service like any other command; the XSOAR script turns their raw responses into XSOAR's
//! objects.
//!
//! Nothing is sent twice: each note written from an incident entry carries the entry's id (and
//! its part, for long entries), and the session's notes are read before writing; notes written
//! that way never come back as new entries.

use super::CommandResult;
use crate::alerts;
use crate::api::{Client, sessions};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::fetch::add_mirror_fields;
use crate::http::HttpClient;
use crate::manifest::MAX_NOTE_CHARS;
use crate::markdown::Table;
use crate::pytime;
use serde_json::{Map, Value, json};
use sessions::SessionQuery;

/// The incident type whose fields can be mirrored out.
pub const INCIDENT_TYPE: &str = "Code42 Security Alert";
/// XSOAR's entry types and incident statuses.
const NOTE_ENTRY: u8 = 1;
const STATUS_ACTIVE: i64 = 1;
const STATUS_DONE: i64 = 2;

/// The ids of the alert sessions changed after `lastUpdate`, among those begun within
/// `mirror_window`; every page is read, and each id is given once.
pub fn modified<H: HttpClient>(client: &Client<H>, args: &Args, now_ms: i64) -> Result<CommandResult> {
    let since = args.time("lastUpdate")?.ok_or_else(|| Error::missing_arg("lastUpdate"))?;
    let query = SessionQuery {
        on_or_after: Some(now_ms - client.settings().mirror_window.millis()),
        has_alerts: true,
        ..SessionQuery::default()
    };
    let mut ids: Vec<String> = Vec::new();
    for session in sessions::list_all(client, query)? {
        let changed = session.get("lastUpdated").and_then(Value::as_i64).is_some_and(|t| t > since);
        let id = session.get("sessionId").and_then(Value::as_str);
        if let (true, Some(id)) = (changed, id)
            && !ids.iter().any(|known| known == id)
        {
            ids.push(id.to_string());
        }
    }
    let rows: Vec<Value> = ids.iter().map(|id| json!({"ID": id})).collect();
    let readable = Table { title: "Code42 alert sessions updated", ..Default::default() }.render(&rows);
    Ok(CommandResult { readable, raw: Some(json!(ids)), ..Default::default() })
}

/// Where a note came from, written at its end so that it is sent once and never mirrored back.
fn entry_mark(entry_id: &str, part: usize, parts: usize) -> String {
    if parts == 1 {
        format!("\n\n(from XSOAR entry {entry_id})")
    } else {
        format!("\n\n(from XSOAR entry {entry_id}, part {part} of {parts})")
    }
}

fn written_from_xsoar(note: &str) -> bool {
    note.contains("(from XSOAR ")
}

fn latest<'a>(session: &'a Value, key: &str) -> Option<&'a Value> {
    session
        .get(key)
        .and_then(Value::as_array)?
        .iter()
        .max_by_key(|item| item.get("sourceTimestamp").and_then(Value::as_i64).unwrap_or(i64::MIN))
}

fn is_closed(state: &str) -> bool {
    state.starts_with("CLOSED")
}

/// The alert session `id`; an unknown id is a not-found error.
fn session<H: HttpClient>(client: &Client<H>, id: &str) -> Result<Value> {
    sessions::get(client, id)?.ok_or_else(|| Error::NotFound(format!("No Code42 alert session with the id {id}")))
}

/// The session as fetch shapes it, and entries for what changed in Code42 after `lastUpdate`:
/// each note added since (its text, who and when), and its closing (when `close_incident` is
/// on) or reopening.
pub fn remote_data<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("id")?;
    let since = args.time("lastUpdate")?.ok_or_else(|| Error::missing_arg("lastUpdate"))?;
    let session = session(client, id)?;
    let settings = client.settings();
    let mut entries = Vec::new();
    let notes = session.get("notes").and_then(Value::as_array).cloned().unwrap_or_default();
    for note in &notes {
        let at = note.get("sourceTimestamp").and_then(Value::as_i64).unwrap_or(i64::MIN);
        let text = note.get("content").and_then(Value::as_str).unwrap_or_default();
        if at <= since || text.is_empty() || written_from_xsoar(text) {
            continue;
        }
        let who = note.get("userId").and_then(Value::as_str).unwrap_or("Code42");
        let when = pytime::iso_from_millis(at).unwrap_or_default();
        entries.push(json!({
            "Type": NOTE_ENTRY,
            "Contents": format!("{text}\n\n(Code42 note by {who} at {when})"),
            "ContentsFormat": "markdown",
            "Note": true,
            "Tags": ["code42"],
        }));
    }
    if let Some(state) = latest(&session, "states")
        .filter(|s| s.get("sourceTimestamp").and_then(Value::as_i64).is_some_and(|t| t > since))
    {
        let name = state.get("state").and_then(Value::as_str).unwrap_or_default();
        let states = session.get("states").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let was_closed = states.iter().any(|s| s.get("state").and_then(Value::as_str).is_some_and(is_closed));
        if is_closed(name) && settings.close_incident {
            let reason = if name == "CLOSED_FP" { "False Positive" } else { "Resolved" };
            entries.push(json!({
                "Type": NOTE_ENTRY,
                "Contents": {"dbotIncidentClose": true, "closeReason": reason,
                    "closeNotes": format!("Closed in Code42 as {name}.")},
                "ContentsFormat": "json",
            }));
        } else if !is_closed(name) && was_closed {
            entries
                .push(json!({"Type": NOTE_ENTRY, "Contents": {"dbotIncidentReopen": true}, "ContentsFormat": "json"}));
        }
    }
    let alert = alerts::enrich_one(client, session)?;
    let mut mirrored = alert.details;
    add_mirror_fields(settings, &mut mirrored);
    mirrored.insert("id".into(), json!(id));
    let readable =
        format!("Code42 alert session {id}: {} change(s) since {}", entries.len(), args.required("lastUpdate")?);
    Ok(CommandResult {
        readable,
        raw: Some(json!({"mirrored_object": Value::Object(mirrored), "entries": entries})),
        ..Default::default()
    })
}

/// A JSON argument: empty means the default.
fn json_arg(args: &Args, name: &str) -> Result<Value> {
    match args.get(name) {
        None => Ok(Value::Null),
        Some(text) => serde_json::from_str(text)
            .map_err(|e| Error::invalid_arg(name, format!("Invalid {name}: {}", crate::error::json_problem(&e)))),
    }
}

/// The Code42 state of a close reason: False Positive → CLOSED_FP, Resolved → CLOSED_TP,
/// anything else → CLOSED.
fn closed_state(reason: &str) -> &'static str {
    match reason.trim() {
        "False Positive" => "CLOSED_FP",
        "Resolved" => "CLOSED_TP",
        _ => "CLOSED",
    }
}

/// Text split into notes of at most [`MAX_NOTE_CHARS`] characters, each ending in its mark.
fn notes_of(entry_id: &str, text: &str) -> Vec<String> {
    let room = MAX_NOTE_CHARS - entry_mark(entry_id, 99, 99).chars().count();
    let chars: Vec<char> = text.chars().collect();
    let chunks: Vec<String> = chars.chunks(room.max(1)).map(|c| c.iter().collect()).collect();
    let parts = chunks.len().max(1);
    chunks.into_iter().enumerate().map(|(i, chunk)| format!("{chunk}{}", entry_mark(entry_id, i + 1, parts))).collect()
}

/// Changes from the incident to its session: entries tagged `comment_tag` become notes (each
/// once, however often the call is repeated); with `close_out`, closing the incident closes the
/// session (with its close notes as a note), and reopening it reopens the session. Answers the
/// session id.
pub fn update_remote<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("remoteId")?;
    let status = args.integer("status")?.unwrap_or(0);
    let changed = args.boolean("incidentChanged")?.unwrap_or(false);
    let (delta, data, entries) = (json_arg(args, "delta")?, json_arg(args, "data")?, json_arg(args, "entries")?);
    let settings = client.settings();
    let session = session(client, id)?;
    let existing: Vec<String> = session
        .get("notes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|n| n.get("content").and_then(Value::as_str).map(String::from))
        .collect();
    let mut to_send: Vec<String> = Vec::new();
    for entry in entries.as_array().into_iter().flatten() {
        let tagged = entry
            .get("tags")
            .and_then(Value::as_array)
            .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(settings.comment_tag.as_str())));
        let text = match entry.get("contents") {
            Some(Value::String(s)) => s.clone(),
            Some(other) if !other.is_null() => other.to_string(),
            _ => String::new(),
        };
        let entry_id = entry.get("id").map(|v| v.as_str().map(String::from).unwrap_or_else(|| v.to_string()));
        let (true, false, Some(entry_id)) = (tagged, text.trim().is_empty(), entry_id) else { continue };
        to_send.extend(notes_of(&entry_id, &text).into_iter().filter(|note| !existing.contains(note)));
    }

    let state = latest(&session, "states").and_then(|s| s.get("state")).and_then(Value::as_str).unwrap_or("OPEN");
    let field = |name: &str| delta.get(name).or_else(|| data.get(name)).and_then(Value::as_str).map(str::trim);
    let mut new_state = None;
    if settings.close_out && status == STATUS_DONE {
        let reason = field("closeReason").unwrap_or_default();
        let target = closed_state(reason);
        if state != target {
            new_state = Some(target);
        }
        let notes = field("closeNotes").unwrap_or_default();
        let close_note = format!(
            "Closed in XSOAR{}{}\n\n(from XSOAR close of {id})",
            if reason.is_empty() { String::new() } else { format!(" as {reason}") },
            if notes.is_empty() { String::new() } else { format!(": {notes}") },
        );
        if !existing.contains(&close_note) {
            to_send.push(close_note);
        }
    }
    let reopened = delta.get("closeReason").is_some_and(|r| r.as_str().is_some_and(str::is_empty));
    if settings.close_out && status == STATUS_ACTIVE && changed && reopened && is_closed(state) {
        new_state = Some("OPEN");
    }

    for note in &to_send {
        sessions::add_note(client, id, note)?;
    }
    if let Some(target) = new_state {
        sessions::change_state(client, &[id], target)?;
    }
    let readable = format!(
        "Code42 alert session {id}: {} note(s) added{}",
        to_send.len(),
        new_state.map(|s| format!(", state set to {s}")).unwrap_or_default()
    );
    Ok(CommandResult { readable, raw: Some(json!(id)), ..Default::default() })
}

/// The incident fields that can be mirrored out, for XSOAR's outgoing mapper.
pub fn mapping_fields() -> CommandResult {
    let fields = Map::from_iter([
        (
            "state".to_string(),
            json!("The alert session's state in Code42: OPEN, CLOSED_TP, CLOSED_FP, CLOSED_TP_BENIGN or CLOSED."),
        ),
        ("note".to_string(), json!("Text added to the alert session as a note.")),
    ]);
    let rows: Vec<Value> = fields.iter().map(|(k, v)| json!({"Field": k, "Description": v})).collect();
    let readable = Table { title: &format!("Outgoing fields of {INCIDENT_TYPE}"), ..Default::default() }.render(&rows);
    CommandResult { readable, raw: Some(json!({ INCIDENT_TYPE: fields })), ..Default::default() }
}

#[cfg(test)]
mod tests;
