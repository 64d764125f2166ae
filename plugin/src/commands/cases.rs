//! Cases: create, get, list, update, close; their file events; their exports.

use super::{CommandResult, FileEntry, api_context, listed_result};
use crate::api::cases::{self, Export};
use crate::api::pages;
use crate::api::{Call, Client, users};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::{Map, Value};

const PREFIX: &str = "Code42.Case";
const HEADERS: &[&str] = &["Number", "Name", "Status", "SubjectUsername", "AssigneeUsername", "CreatedAt", "UpdatedAt"];
const EVENT_HEADERS: &[&str] = &["EventId", "EventTimestamp", "FileName", "FilePath", "RiskSeverity", "RiskScore"];

fn number(args: &Args) -> Result<u64> {
    Ok(args.count("number")?.ok_or_else(|| Error::missing_arg("number"))? as u64)
}

/// The case, if it is open; a closed one is an error naming `number`.
fn open_case<H: HttpClient>(client: &Client<H>, number: u64) -> Result<Value> {
    let case = cases::get(client, number)?;
    if cases::is_closed(&case) {
        return Err(Error::invalid_arg("number", format!("Case {number} is closed: closed cases cannot be modified.")));
    }
    Ok(case)
}

fn case_result(title: &str, case: Value) -> CommandResult {
    let context = api_context(&case);
    let readable = Table { title, headers: Some(HEADERS), ..Default::default() }.render(std::slice::from_ref(&context));
    let readable = match context.get("Findings").and_then(Value::as_str).filter(|f| !f.is_empty()) {
        Some(findings) => format!("{readable}\n#### Findings\n{findings}\n"),
        None => readable,
    };
    CommandResult::with_outputs(readable, PREFIX, Some("Number"), context).raw(case)
}

/// The body fields given among `name`, `subject`, `assignee`, `description`, `findings`;
/// usernames become the user ids the API wants. A blank value clears the field.
fn fields<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<Map<String, Value>> {
    let mut fields = Map::new();
    for key in ["name", "description", "findings"] {
        if let Some(value) = args.given(key) {
            let value = value.trim();
            fields.insert(key.into(), if value.is_empty() { Value::Null } else { value.into() });
        }
    }
    for key in ["subject", "assignee"] {
        if let Some(value) = args.given(key) {
            let id = match value.trim() {
                "" => Value::Null,
                user => users::user_id(client, user)?.into(),
            };
            fields.insert(key.into(), id);
        }
    }
    Ok(fields)
}

pub fn create<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    args.required("name")?;
    let case = cases::create(client, fields(client, args)?)?;
    Ok(case_result("Code42 Case Created", case))
}

pub fn get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let case = cases::get(client, number(args)?)?;
    Ok(case_result("Code42 Case", case))
}

pub fn list<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let mut call = Call::get("/v1/cases").query("srtKey", "number").query("srtDir", "asc");
    if let Some(status) = args.get("status") {
        call = call.query("status", status);
    }
    if let Some(assignee) = args.get("assignee") {
        call = call.query("assignee", users::user_id(client, assignee)?);
    }
    if let Some(name) = args.get("name") {
        call = call.query("name", name);
    }
    let listed = pages::up_to(client, &call, &cases::CASE_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Cases", HEADERS, PREFIX, Some("Number")))
}

pub fn update<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let number = number(args)?;
    let changes = fields(client, args)?;
    if changes.is_empty() {
        return Err(Error::invalid_arg("name", "Give at least one of name, subject, assignee, description, findings"));
    }
    if changes.get("name").is_some_and(Value::is_null) {
        return Err(Error::invalid_arg("name", "A case needs a name; give a new one or leave name out"));
    }
    let case = open_case(client, number)?;
    Ok(case_result("Code42 Case Updated", cases::update(client, number, &case, changes)?))
}

/// Closing a closed case changes nothing and says so.
pub fn close<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let number = number(args)?;
    let case = cases::get(client, number)?;
    if cases::is_closed(&case) {
        return Ok(case_result("Code42 Case Already Closed", case));
    }
    let changes = Map::from_iter([("status".to_string(), Value::from("CLOSED"))]);
    Ok(case_result("Code42 Case Closed", cases::update(client, number, &case, changes)?))
}

pub fn add_file_events<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let number = number(args)?;
    let ids = args.required_list("event_ids")?;
    // A closed case refuses new events: say so as update does, before the write.
    open_case(client, number)?;
    cases::add_file_events(client, number, &ids)?;
    let case = cases::get(client, number)?;
    let mut result = case_result(&format!("Code42 Case: {} file event(s) attached", ids.len()), case);
    result.readable = format!("{}\nAttached: {}\n", result.readable, ids.join(", "));
    Ok(result)
}

pub fn remove_file_event<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (number, event_id) = (number(args)?, args.required("event_id")?);
    cases::remove_file_event(client, number, event_id)?;
    Ok(CommandResult {
        readable: format!("File event {event_id} was removed from case {number}."),
        ..Default::default()
    })
}

pub fn file_events<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let number = number(args)?;
    let limit = args.count("limit")?.unwrap_or(50);
    let mut listed = cases::file_events(client, number, limit)?;
    for event in &mut listed.items {
        if let Value::Object(fields) = event {
            fields.insert("caseNumber".into(), number.into());
        }
    }
    let title = format!("Code42 File Events of Case {number}");
    Ok(listed_result(listed, &title, EVENT_HEADERS, "Code42.CaseFileEvent", Some("EventId")))
}

pub fn export<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let number = number(args)?;
    // The manifest admits only these values.
    let what = match args.get("what") {
        Some("file-events") => Export::FileEvents,
        Some("full") => Export::Full,
        _ => Export::Summary,
    };
    let (name, data) = cases::export(client, number, what)?;
    let readable = format!("Exported case {number} as {name} ({} bytes).", data.len());
    Ok(CommandResult { readable, files: vec![FileEntry { name, data }], ..Default::default() })
}

#[cfg(test)]
mod tests;
