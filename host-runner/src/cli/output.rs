//! What `code42 run` prints: the readable markdown, or one JSON object for scripts.

use super::files::WrittenFile;
use anyhow::{Context as _, Result};
use host_runner::bindings::CommandResult;
use serde::Serialize;
use serde_json::Value;

/// One result entry as printed with `--output json`.
#[derive(Debug, Serialize)]
pub struct ResultView {
    pub readable_output: String,
    pub outputs_prefix: Option<String>,
    pub outputs_key_field: Option<String>,
    pub outputs: Option<Value>,
    pub raw_response: Option<Value>,
    pub files: Vec<WrittenFile>,
}

impl ResultView {
    pub fn new(result: &CommandResult, files: Vec<WrittenFile>) -> Result<Self> {
        let parse = |what: &str, text: &Option<String>| -> Result<Option<Value>> {
            text.as_deref()
                .map(|t| {
                    serde_json::from_str(t).with_context(|| format!("the integration returned {what} that is not JSON"))
                })
                .transpose()
        };
        let mut view = ResultView {
            readable_output: result.readable_output.clone(),
            outputs_prefix: result.outputs_prefix.clone(),
            outputs_key_field: result.outputs_key_field.clone(),
            outputs: parse("outputs", &result.outputs_json)?,
            raw_response: parse("a raw response", &result.raw_response_json)?,
            files,
        };
        // A file entry's context is the host's to write, as XSOAR's file results are.
        if view.outputs.is_none() && !view.files.is_empty() {
            let contexts: Vec<Value> = view.files.iter().map(|f| f.context.clone()).collect();
            view.outputs_prefix = Some("File".into());
            view.outputs_key_field = Some("SHA256".into());
            view.outputs = Some(if contexts.len() == 1 { contexts[0].clone() } else { Value::Array(contexts) });
        }
        Ok(view)
    }
}

pub fn json(results: &[ResultView]) -> String {
    serde_json::json!({ "results": results }).to_string()
}

pub fn markdown(results: &[ResultView]) -> String {
    let mut text = String::new();
    for r in results {
        text.push_str(r.readable_output.trim_end());
        text.push('\n');
        for f in &r.files {
            text.push_str(&format!("\nSaved {} ({} bytes, SHA-256 {}) to {}\n", f.name, f.size, f.sha256, f.path));
        }
    }
    text.trim_end().to_string()
}
