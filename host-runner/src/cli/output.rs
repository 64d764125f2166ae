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
        Ok(ResultView {
            readable_output: result.readable_output.clone(),
            outputs_prefix: result.outputs_prefix.clone(),
            outputs_key_field: result.outputs_key_field.clone(),
            outputs: parse("outputs", &result.outputs_json)?,
            raw_response: parse("a raw response", &result.raw_response_json)?,
            files,
        })
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
