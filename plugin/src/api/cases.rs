//! Cases: `/v1/cases`, their file events and their exports.

use super::pages::{self, Listed, Paging};
use super::{Call, Client, Response, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Map, Value, json};

/// `GET /v1/cases`: pages from 1, with a total.
pub const CASE_PAGES: Paging = Paging {
    page: "pgNum",
    first: 1,
    size: "pgSize",
    max_size: 100,
    items: "cases",
    total: Some("totalCount"),
    in_body: false,
};

/// `GET /v1/cases/{number}/fileevent`: pages from 1, with a total.
const EVENT_PAGES: Paging = Paging {
    page: "pgNum",
    first: 1,
    size: "pgSize",
    max_size: 100,
    items: "events",
    total: Some("totalCount"),
    in_body: false,
};

/// The fields a case update sends (the API sets the whole case from them).
const UPDATABLE: &[&str] = &["name", "assignee", "description", "findings", "subject", "status"];

fn path(number: u64) -> String {
    format!("/v1/cases/{number}")
}

fn not_found(number: u64) -> impl FnOnce(Error) -> Error {
    move |e| e.when_not_found(|| format!("No case found with number {number}."))
}

/// `POST /v1/cases`; `fields` holds the body's keys that were given. Not retried: a second
/// create of the same name is refused as a duplicate.
pub fn create<H: HttpClient>(client: &Client<H>, fields: Map<String, Value>) -> Result<Value> {
    client.json(Call::post("/v1/cases", Value::Object(fields)))
}

pub fn get<H: HttpClient>(client: &Client<H>, number: u64) -> Result<Value> {
    client.json(Call::get(path(number))).map_err(not_found(number))
}

/// Whether a case (as the API answers it) is closed: closed cases cannot be changed.
pub fn is_closed(case: &Value) -> bool {
    case.get("status").and_then(Value::as_str) == Some("CLOSED")
}

/// Puts `case` (as read) back with `changes` applied: the API replaces every updatable field,
/// so the ones not changed go back as they were.
pub fn update<H: HttpClient>(
    client: &Client<H>,
    number: u64,
    case: &Value,
    changes: Map<String, Value>,
) -> Result<Value> {
    let mut body: Map<String, Value> =
        UPDATABLE.iter().map(|k| (k.to_string(), case.get(*k).cloned().unwrap_or(Value::Null))).collect();
    body.extend(changes);
    client.json(Call::put(path(number), Value::Object(body))).map_err(not_found(number))
}

/// `POST /v1/cases/{number}/fileevent`. Attaching an event twice leaves it attached once.
pub fn add_file_events<H: HttpClient>(client: &Client<H>, number: u64, event_ids: &[String]) -> Result<()> {
    let call = Call::post(format!("{}/fileevent", path(number)), json!({"events": event_ids})).idempotent();
    client.send(call).map_err(not_found(number))?;
    Ok(())
}

/// `DELETE /v1/cases/{number}/fileevent/{event}`; a 404 means the event is not on the case
/// (or there is no such case).
pub fn remove_file_event<H: HttpClient>(client: &Client<H>, number: u64, event_id: &str) -> Result<()> {
    let call = Call::delete(format!("{}/fileevent/{}", path(number), segment(event_id)));
    client
        .send(call)
        .map_err(|e| e.when_not_found(|| format!("File event {event_id} is not attached to case {number}.")))?;
    Ok(())
}

/// Up to `limit` of the file events attached to a case.
pub fn file_events<H: HttpClient>(client: &Client<H>, number: u64, limit: usize) -> Result<Listed> {
    let call = Call::get(format!("{}/fileevent", path(number)));
    pages::up_to(client, &call, &EVENT_PAGES, limit).map_err(not_found(number))
}

/// What a case export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// The summary, as PDF.
    Summary,
    /// The attached file events, as CSV.
    FileEvents,
    /// A ZIP of the summary, the file events and the files.
    Full,
}

impl Export {
    /// The name to give the file when the server does not name it (the SDK's names).
    fn fallback_name(self, number: u64) -> String {
        match self {
            Export::Summary => format!("Case-{number}.pdf"),
            Export::FileEvents => format!("Case-{number}-file-events.csv"),
            Export::Full => format!("Case-{number}.zip"),
        }
    }
}

/// Downloads an export: its file name (the server's, else the SDK's) and its bytes.
pub fn export<H: HttpClient>(client: &Client<H>, number: u64, what: Export) -> Result<(String, Vec<u8>)> {
    let call = match what {
        Export::Summary => Call::get(format!("{}/export", path(number))),
        Export::FileEvents => Call::get(format!("{}/fileevent/export", path(number))),
        Export::Full => Call::get(format!("{}/export/full", path(number)))
            .query("files", true)
            .query("summary", true)
            .query("fileEvents", true),
    };
    let response = client.send(call.download()).map_err(not_found(number))?;
    let name = attachment_name(&response).unwrap_or_else(|| what.fallback_name(number));
    Ok((name, response.body))
}

/// The `filename` of a `Content-Disposition: attachment; filename="…"` header, without any
/// directory part (a name from the server must not choose where the file goes).
fn attachment_name(response: &Response) -> Option<String> {
    let header = response.header("content-disposition")?;
    let value = header.split(';').map(str::trim).find_map(|part| part.strip_prefix("filename="))?;
    let name = value.trim_matches('"');
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disposition(value: &str) -> Response {
        Response { status: 200, headers: vec![("Content-Disposition".into(), value.into())], body: vec![] }
    }

    #[test]
    fn the_servers_file_name_is_used_without_its_directories() {
        assert_eq!(attachment_name(&disposition("attachment; filename=\"Case 7.pdf\"")).as_deref(), Some("Case 7.pdf"));
        assert_eq!(attachment_name(&disposition("attachment; filename=../../etc/passwd")).as_deref(), Some("passwd"));
        assert_eq!(attachment_name(&disposition("attachment; filename=\"..\"")), None);
        assert_eq!(attachment_name(&disposition("inline")), None);
    }
}
