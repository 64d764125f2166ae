//! Commands: argument checks against the manifest, then one module per command family.

mod actors;
mod agents;
mod alerts;
mod audit_log;
mod cases;
mod downloads;
mod employees;
mod file_events;
mod legal_hold;
mod mirroring;
mod risk_profiles;
mod rules;
mod trusted_activities;
mod users;
mod watchlists;

use crate::api::Client;
use crate::api::pages::Listed;
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::manifest::find_command;
use crate::markdown::Table;
use serde_json::Value;

/// A file returned by a command.
#[derive(Debug, Clone, PartialEq)]
pub struct FileEntry {
    pub name: String,
    pub data: Vec<u8>,
}

/// One result entry of a command (an XSOAR `CommandResults`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommandResult {
    pub readable: String,
    pub prefix: Option<String>,
    pub key_field: Option<String>,
    pub outputs: Option<Value>,
    pub raw: Option<Value>,
    pub files: Vec<FileEntry>,
}

impl CommandResult {
    /// A result with context outputs; the raw response defaults to the outputs, as in XSOAR.
    pub fn with_outputs(readable: String, prefix: &str, key_field: Option<&str>, outputs: Value) -> Self {
        CommandResult {
            readable,
            prefix: Some(prefix.to_string()),
            key_field: key_field.map(String::from),
            raw: Some(outputs.clone()),
            outputs: Some(outputs),
            files: vec![],
        }
    }

    pub fn raw(self, raw: Value) -> Self {
        CommandResult { raw: Some(raw), ..self }
    }
}

/// What the host knows about the situation a command runs in.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    pub incident: Option<Value>,
    pub context: Option<Value>,
}

/// The `### Results` table XSOAR draws for outputs that come without readable text.
pub fn results_table(outputs: &Value) -> String {
    let rows = match outputs {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    Table { title: "Results", ..Default::default() }.render(&rows)
}

/// An API object as context: its keys with the first letter upper-cased (`createdAt` →
/// `CreatedAt`), values as the API sent them.
pub fn api_context(object: &Value) -> Value {
    match object {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let mut chars = key.chars();
                    let upper = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
                    (upper, value.clone())
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A list read from the API as a result: each item as [`api_context`] under `prefix`, a table
/// of `headers`, and a line when more exist than were read.
pub fn listed_result(listed: Listed, title: &str, headers: &[&str], prefix: &str, key: Option<&str>) -> CommandResult {
    let outputs: Vec<Value> = listed.items.iter().map(api_context).collect();
    let readable = Table { title, headers: Some(headers), ..Default::default() }.render(&outputs) + &listed.more_note();
    CommandResult::with_outputs(readable, prefix, key, Value::Array(outputs)).raw(Value::Array(listed.items))
}

/// Runs `command` (a name or alias) with its raw `name=value` arguments at time `now_ms`.
pub fn execute<H: HttpClient>(
    client: &Client<H>,
    command: &str,
    raw_args: Vec<(String, String)>,
    invocation: &Invocation,
    now_ms: i64,
) -> Result<Vec<CommandResult>> {
    let command = command.strip_prefix('!').unwrap_or(command);
    let spec =
        find_command(command).ok_or_else(|| Error::invalid_arg("command", format!("Unknown command: {command}")))?;
    let args = Args::validate(spec, raw_args)?;
    let result = match spec.name {
        "code42-alert-get" => alerts::get(client, &args)?,
        // One result per alert.
        "code42-alert-update" => return alerts::update(client, &args),
        "code42-alert-resolve" => alerts::resolve(client, &args)?,
        "code42-alert-search" => alerts::search(client, &args, now_ms)?,
        "code42-alert-add-note" => alerts::add_note(client, &args)?,
        "code42-alert-file-events" => alerts::file_events(client, &args)?,
        "code42-file-events-search" => file_events::search(client, &args, invocation)?,
        "code42-file-events-table" => file_events::table(&args, invocation)?,
        "code42-departingemployee-add" => employees::departing_add(client, &args)?,
        "code42-departingemployee-remove" => employees::departing_remove(client, &args)?,
        "code42-departingemployee-get" => employees::departing_get(client, &args)?,
        "code42-departingemployee-get-all" => employees::departing_get_all(client, &args, now_ms)?,
        "code42-highriskemployee-add" => employees::high_risk_add(client, &args)?,
        "code42-highriskemployee-remove" => employees::high_risk_remove(client, &args)?,
        "code42-highriskemployee-get" => employees::high_risk_get(client, &args)?,
        "code42-highriskemployee-get-all" => employees::high_risk_get_all(client, &args, now_ms)?,
        "code42-highriskemployee-add-risk-tags" => employees::change_risk_tags(client, &args, true)?,
        "code42-highriskemployee-remove-risk-tags" => employees::change_risk_tags(client, &args, false)?,
        "code42-user-create" => users::create(client, &args)?,
        "code42-user-block" => users::set_blocked(client, &args, true)?,
        "code42-user-unblock" => users::set_blocked(client, &args, false)?,
        "code42-user-deactivate" => users::set_active(client, &args, false)?,
        "code42-user-reactivate" => users::set_active(client, &args, true)?,
        "code42-legalhold-add-user" => legal_hold::add(client, &args)?,
        "code42-legalhold-remove-user" => legal_hold::remove(client, &args)?,
        "code42-legalhold-matters-list" => legal_hold::matters(client, &args)?,
        "code42-download-file" => downloads::by_hash(client, &args)?,
        "code42-download-file-by-xfc-id" => downloads::by_xfc_id(client, &args)?,
        "code42-watchlists-list" => watchlists::list(client)?,
        "code42-watchlists-add-user" => watchlists::change_user(client, &args, true)?,
        "code42-watchlists-remove-user" => watchlists::change_user(client, &args, false)?,
        "code42-watchlists-list-included-users" => watchlists::included_users(client, &args)?,
        "code42-watchlist-create" => watchlists::create(client, &args)?,
        "code42-watchlist-delete" => watchlists::delete(client, &args)?,
        "code42-actor-get" => actors::get(client, &args)?,
        "code42-users-list" => users::list(client, &args)?,
        "code42-case-create" => cases::create(client, &args)?,
        "code42-case-get" => cases::get(client, &args)?,
        "code42-case-list" => cases::list(client, &args)?,
        "code42-case-update" => cases::update(client, &args)?,
        "code42-case-close" => cases::close(client, &args)?,
        "code42-case-add-file-events" => cases::add_file_events(client, &args)?,
        "code42-case-remove-file-event" => cases::remove_file_event(client, &args)?,
        "code42-case-file-events-list" => cases::file_events(client, &args)?,
        "code42-case-export" => cases::export(client, &args)?,
        "code42-audit-log-search" => audit_log::search(client, &args, now_ms)?,
        "code42-agents-list" => agents::list(client, &args)?,
        "code42-agent-get" => agents::get(client, &args)?,
        "code42-agent-activate" => agents::set_active(client, &args, true)?,
        "code42-agent-deactivate" => agents::set_active(client, &args, false)?,
        "code42-alert-rules-list" => rules::list(client, &args)?,
        "code42-alert-rule-enable" => rules::set_enabled(client, &args, true)?,
        "code42-alert-rule-disable" => rules::set_enabled(client, &args, false)?,
        "code42-trusted-activities-list" => trusted_activities::list(client, &args)?,
        "code42-trusted-activity-add" => trusted_activities::add(client, &args)?,
        "code42-trusted-activity-remove" => trusted_activities::remove(client, &args)?,
        "code42-user-get-risk-profile" => risk_profiles::get(client, &args)?,
        "code42-user-update-risk-profile" => risk_profiles::update(client, &args)?,
        "get-modified-remote-data" => mirroring::modified(client, &args, now_ms)?,
        "get-remote-data" => mirroring::remote_data(client, &args)?,
        "update-remote-system" => mirroring::update_remote(client, &args)?,
        "get-mapping-fields" => mirroring::mapping_fields(),
        other => return Err(Error::Internal(format!("{other} is in the manifest but has no implementation"))),
    };
    Ok(vec![result])
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::api::testing::{FakeServer, client};

    /// Runs a command against a fake server and returns its one result.
    pub fn run(server: &FakeServer, command: &str, args: &[(&str, &str)]) -> Result<CommandResult> {
        run_with(server, command, args, Invocation::default(), 0)
    }

    /// Runs a command with an incident or context, at a given time.
    pub fn run_with(
        server: &FakeServer,
        command: &str,
        args: &[(&str, &str)],
        invocation: Invocation,
        now_ms: i64,
    ) -> Result<CommandResult> {
        let args = args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        execute(&client(server), command, args, &invocation, now_ms).map(|mut r| r.remove(0))
    }

    /// The JSON body of the first request whose path ends with `path_end`.
    pub fn body(server: &FakeServer, path_end: &str) -> Value {
        let r = server.requests().into_iter().find(|r| r.url.split('?').next().unwrap().ends_with(path_end)).unwrap();
        serde_json::from_slice(r.body.as_deref().unwrap_or(b"null")).unwrap()
    }

    #[test]
    fn every_manifest_command_has_an_implementation() {
        for spec in crate::manifest::COMMANDS {
            let args: Vec<(&str, &str)> = spec
                .args
                .iter()
                .filter(|a| a.required)
                .map(|a| (a.name, a.possible.first().copied().unwrap_or("x@example.com")))
                .collect();
            match run(&FakeServer::new(), spec.name, &args) {
                Err(Error::Internal(m)) => panic!("{}: {m}", spec.name),
                _ => {}
            }
        }
    }
}
