//! `/v1/cases`: cases, the file events attached to them, and their exports.

use super::{AppState, Params, bad_request, not_found, ok_json, page};
use crate::lock_shared;
use crate::tenant::{Case, Tenant};
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::io::Write;

fn username(tenant: &Tenant, user_id: &Option<String>) -> Value {
    json!(user_id.as_deref().and_then(|id| tenant.user_by_id(id)).map(|u| u.username.clone()))
}

/// A case as the list shows it; `detail` adds its description and findings.
fn case_json(tenant: &Tenant, case: &Case, detail: bool) -> Value {
    let creator = &tenant.users[0];
    let mut answer = json!({
        "number": case.number,
        "name": case.name,
        "createdAt": case.created_at,
        "updatedAt": case.updated_at,
        "subject": case.subject,
        "subjectUsername": username(tenant, &case.subject),
        "status": case.status,
        "assignee": case.assignee,
        "assigneeUsername": username(tenant, &case.assignee),
        "createdByUserUid": creator.user_id,
        "createdByUsername": creator.username,
        "lastModifiedByUserUid": creator.user_id,
        "lastModifiedByUsername": creator.username,
    });
    if detail {
        answer["description"] = json!(case.description);
        answer["findings"] = json!(case.findings);
    }
    answer
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[derive(Deserialize)]
pub(crate) struct CaseBody {
    name: Option<String>,
    subject: Option<String>,
    assignee: Option<String>,
    description: Option<String>,
    findings: Option<String>,
    status: Option<String>,
}

impl CaseBody {
    /// What the API refuses: a missing or long name, long texts, users it does not know.
    fn problem(&self, tenant: &Tenant) -> Option<String> {
        let too_long = |text: &Option<String>, max: usize| text.as_deref().is_some_and(|t| t.chars().count() > max);
        if self.name.as_deref().is_none_or(|n| n.trim().is_empty()) || too_long(&self.name, 50) {
            return Some("name is required and at most 50 characters".into());
        }
        if too_long(&self.description, 250) || too_long(&self.findings, 30_000) {
            return Some("description is at most 250 characters and findings at most 30000".into());
        }
        for user in [&self.subject, &self.assignee].into_iter().flatten() {
            if tenant.user_by_id(user).is_none() {
                return Some(format!("no user with id {user}"));
            }
        }
        if self.status.as_deref().is_some_and(|s| s != "OPEN" && s != "CLOSED") {
            return Some("status is OPEN or CLOSED".into());
        }
        None
    }
}

/// Whether another case than `other_than` (the one being updated, if any) has this name.
fn name_taken(tenant: &Tenant, name: &str, other_than: Option<u64>) -> bool {
    tenant.cases.iter().any(|c| Some(c.number) != other_than && c.name == name)
}

pub(crate) async fn create(State(shared): AppState, body: axum::Json<CaseBody>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    if let Some(problem) = body.problem(&tenant) {
        return bad_request(&problem);
    }
    let name = body.name.clone().unwrap_or_default();
    if name_taken(&tenant, &name, None) {
        return bad_request(&format!("a case named '{name}' exists"));
    }
    let case = Case {
        number: tenant.cases.iter().map(|c| c.number).max().unwrap_or(0) + 1,
        name,
        status: "OPEN".into(),
        subject: body.subject.clone(),
        assignee: body.assignee.clone(),
        description: body.description.clone(),
        findings: body.findings.clone(),
        created_at: now(),
        updated_at: now(),
        events: vec![],
    };
    let answer = case_json(&tenant, &case, true);
    tenant.cases.push(case);
    ok_json(answer)
}

/// `(pgSize, pgNum)`: the cases API pages from 1 under these names.
fn paging(p: &Params) -> Result<(i64, i64), Response> {
    Ok((p.number("pgSize", 100, 1, 500)?, p.number("pgNum", 1, 1, i64::MAX)?))
}

/// `status`, `assignee` (a user id) and `name` (contains, any case) filter; `pgNum` from 1.
pub(crate) async fn list(State(shared): AppState, RawQuery(query): RawQuery) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, number) = match paging(&p) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let name = p.get("name").map(str::to_lowercase);
    let tenant = lock_shared(&shared.tenant);
    let matching: Vec<Value> = tenant
        .cases
        .iter()
        .filter(|c| p.get("status").is_none_or(|s| c.status == s))
        .filter(|c| p.get("assignee").is_none_or(|a| c.assignee.as_deref() == Some(a)))
        .filter(|c| name.as_deref().is_none_or(|n| c.name.to_lowercase().contains(n)))
        .map(|c| case_json(&tenant, c, false))
        .collect();
    ok_json(json!({"cases": page(&matching, number, size), "totalCount": matching.len()}))
}

pub(crate) async fn get(State(shared): AppState, Path(number): Path<u64>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.case(number) {
        Some(case) => ok_json(case_json(&tenant, case, true)),
        None => not_found("case"),
    }
}

/// Sets every updatable field from the body (the API's PUT); closed cases are refused.
pub(crate) async fn update(State(shared): AppState, Path(number): Path<u64>, body: axum::Json<CaseBody>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(index) = tenant.cases.iter().position(|c| c.number == number) else {
        return not_found("case");
    };
    if tenant.cases[index].status == "CLOSED" {
        return bad_request("Closed cases cannot be modified");
    }
    if let Some(problem) = body.problem(&tenant) {
        return bad_request(&problem);
    }
    let name = body.name.clone().unwrap_or_default();
    if name_taken(&tenant, &name, Some(number)) {
        return bad_request(&format!("a case named '{name}' exists"));
    }
    let case = &mut tenant.cases[index];
    case.name = name;
    case.subject = body.subject.clone();
    case.assignee = body.assignee.clone();
    case.description = body.description.clone();
    case.findings = body.findings.clone();
    case.status = body.status.clone().unwrap_or_else(|| "OPEN".into());
    case.updated_at = now();
    let case = tenant.cases[index].clone();
    ok_json(case_json(&tenant, &case, true))
}

/// The abbreviated file event a case lists.
fn case_event(event: &Value) -> Value {
    let risk = &event["risk"];
    json!({
        "eventId": event.pointer("/event/id"),
        "eventTimestamp": event["@timestamp"],
        "exposure": [],
        "fileAvailability": "EXACT_FILE_AVAILABLE",
        "fileName": event.pointer("/file/name"),
        "filePath": event.pointer("/file/directory"),
        "riskIndicators": risk["indicators"],
        "riskScore": risk["score"],
        "riskSeverity": risk["severity"],
    })
}

pub(crate) async fn file_events(
    State(shared): AppState,
    Path(number): Path<u64>,
    RawQuery(query): RawQuery,
) -> Response {
    let p = Params::parse(query.as_deref());
    let (size, page_number) = match paging(&p) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tenant = lock_shared(&shared.tenant);
    let Some(case) = tenant.case(number) else {
        return not_found("case");
    };
    let events: Vec<Value> = case.events.iter().filter_map(|id| tenant.file_event(id)).map(case_event).collect();
    ok_json(json!({"events": page(&events, page_number, size), "totalCount": events.len()}))
}

#[derive(Deserialize)]
pub(crate) struct EventsBody {
    events: Vec<String>,
}

/// Attaches events (an event already attached stays attached once); unknown ids are refused.
pub(crate) async fn add_file_events(
    State(shared): AppState,
    Path(number): Path<u64>,
    body: axum::Json<EventsBody>,
) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    if let Some(unknown) = body.events.iter().find(|id| tenant.file_event(id).is_none()) {
        return bad_request(&format!("no file event with id {unknown}"));
    }
    let Some(case) = tenant.cases.iter_mut().find(|c| c.number == number) else {
        return not_found("case");
    };
    if case.status == "CLOSED" {
        return bad_request("Closed cases cannot be modified");
    }
    for id in &body.events {
        if !case.events.contains(id) {
            case.events.push(id.clone());
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn remove_file_event(State(shared): AppState, Path((number, event)): Path<(u64, String)>) -> Response {
    let mut tenant = lock_shared(&shared.tenant);
    let Some(case) = tenant.cases.iter_mut().find(|c| c.number == number) else {
        return not_found("case");
    };
    if case.status == "CLOSED" {
        return bad_request("Closed cases cannot be modified");
    }
    let Some(at) = case.events.iter().position(|id| *id == event) else {
        return not_found("file event on case");
    };
    case.events.remove(at);
    StatusCode::NO_CONTENT.into_response()
}

fn summary_pdf(case: &Case) -> Vec<u8> {
    format!("%PDF-1.4\n% Simulated summary of case {}: {}\n%%EOF\n", case.number, case.name).into_bytes()
}

fn events_csv(tenant: &Tenant, case: &Case) -> Vec<u8> {
    let mut csv = String::from("eventId,fileName,riskSeverity\n");
    for event in case.events.iter().filter_map(|id| tenant.file_event(id)) {
        let field = |pointer: &str| event.pointer(pointer).and_then(Value::as_str).unwrap_or("").to_string();
        csv.push_str(&format!("{},{},{}\n", field("/event/id"), field("/file/name"), field("/risk/severity")));
    }
    csv.into_bytes()
}

/// A file answer. The name goes unquoted, as the SDK reads it (everything after `filename=`).
fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename={name}");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// `GET /v1/cases/{number}/export`: the summary PDF.
pub(crate) async fn export_summary(State(shared): AppState, Path(number): Path<u64>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.case(number) {
        Some(case) => attachment(&format!("case-{number}-summary.pdf"), "application/pdf", summary_pdf(case)),
        None => not_found("case"),
    }
}

/// `GET /v1/cases/{number}/fileevent/export`: the attached events as CSV.
pub(crate) async fn export_file_events(State(shared): AppState, Path(number): Path<u64>) -> Response {
    let tenant = lock_shared(&shared.tenant);
    match tenant.case(number) {
        Some(case) => attachment(&format!("case-{number}-file-events.csv"), "text/csv", events_csv(&tenant, case)),
        None => not_found("case"),
    }
}

/// `GET /v1/cases/{number}/export/full`: a ZIP of the parts `summary`, `fileEvents` and
/// `files` ask for (each `true` or `false`).
pub(crate) async fn export_full(
    State(shared): AppState,
    Path(number): Path<u64>,
    RawQuery(query): RawQuery,
) -> Response {
    let p = Params::parse(query.as_deref());
    let mut parts = [false; 3];
    for (part, name) in parts.iter_mut().zip(["summary", "fileEvents", "files"]) {
        match p.flag(name) {
            Ok(flag) => *part = flag.unwrap_or(false),
            Err(r) => return r,
        }
    }
    let tenant = lock_shared(&shared.tenant);
    let Some(case) = tenant.case(number) else {
        return not_found("case");
    };
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    if parts[0] {
        entries.push(("summary.pdf".into(), summary_pdf(case)));
    }
    if parts[1] {
        entries.push(("file_events.csv".into(), events_csv(&tenant, case)));
    }
    if parts[2] {
        for event in case.events.iter().filter_map(|id| tenant.file_event(id)) {
            let sha = event.pointer("/file/hash/sha256").and_then(Value::as_str).unwrap_or_default();
            if let Some(content) = tenant.files.get(sha) {
                let name = event.pointer("/file/name").and_then(Value::as_str).unwrap_or(sha);
                entries.push((format!("files/{sha}/{name}"), content.clone()));
            }
        }
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        if zip.start_file(name, stored).and_then(|()| Ok(zip.write_all(&bytes)?)).is_err() {
            return super::error(StatusCode::INTERNAL_SERVER_ERROR, "the export could not be written");
        }
    }
    match zip.finish() {
        Ok(cursor) => attachment(&format!("case-{number}-export.zip"), "application/zip", cursor.into_inner()),
        Err(_) => super::error(StatusCode::INTERNAL_SERVER_ERROR, "the export could not be written"),
    }
}
