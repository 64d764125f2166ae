//! Commands: argument checks against the manifest, then one module per command family.

mod alerts;

use crate::api::Client;
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

/// Runs `command` (a name or alias) with its raw `name=value` arguments.
pub fn execute<H: HttpClient>(
    client: &Client<H>,
    command: &str,
    raw_args: Vec<(String, String)>,
    _invocation: &Invocation,
) -> Result<Vec<CommandResult>> {
    let command = command.strip_prefix('!').unwrap_or(command);
    let spec =
        find_command(command).ok_or_else(|| Error::invalid_arg("command", format!("Unknown command: {command}")))?;
    let args = Args::validate(spec, raw_args)?;
    let result = match spec.name {
        "code42-alert-get" => alerts::get(client, &args)?,
        "code42-alert-update" => alerts::update(client, &args)?,
        "code42-alert-resolve" => alerts::resolve(client, &args)?,
        other => return Err(Error::Internal(format!("{other} is not implemented yet"))),
    };
    Ok(vec![result])
}
