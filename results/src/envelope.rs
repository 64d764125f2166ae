//! The JSON envelope of a command's results, as `code42 run --output json` prints them and the
//! HTTP service answers them: `{"results": [{"readable_output", "outputs_prefix",
//! "outputs_key_field", "outputs", "raw_response", "files"}]}`.

use crate::file_context;
use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// One result of a command, as the integration returned it (JSON still as text).
#[derive(Debug, Clone, Copy)]
pub struct ResultParts<'a> {
    pub readable_output: &'a str,
    pub outputs_prefix: Option<&'a str>,
    pub outputs_key_field: Option<&'a str>,
    pub outputs_json: Option<&'a str>,
    pub raw_response_json: Option<&'a str>,
}

/// Where a returned file went: written to a path (the CLI), or carried in the answer (the
/// service).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Delivery {
    Path { path: String },
    Inline { content_base64: String },
}

/// A file a command returned, with its XSOAR `File` context.
#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub name: String,
    #[serde(flatten)]
    pub delivery: Delivery,
    pub size: u64,
    pub sha256: String,
    #[serde(skip)]
    pub context: Value,
}

impl FileView {
    /// A file saved at `path` under `name`; its context's `EntryID` is the path.
    pub fn saved(name: String, path: String, data: &[u8]) -> Self {
        let context = file_context::describe(&name, &path, data);
        Self::new(name, Delivery::Path { path }, data, context)
    }

    /// A file carried in the answer; its context's `EntryID` is its name.
    pub fn inline(name: String, data: &[u8]) -> Self {
        let context = file_context::describe(&name, &name, data);
        let content_base64 = base64::engine::general_purpose::STANDARD.encode(data);
        Self::new(name, Delivery::Inline { content_base64 }, data, context)
    }

    fn new(name: String, delivery: Delivery, data: &[u8], context: Value) -> Self {
        FileView { name, delivery, size: data.len() as u64, sha256: hex::encode(Sha256::digest(data)), context }
    }
}

/// One result entry of the envelope.
#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub readable_output: String,
    pub outputs_prefix: Option<String>,
    pub outputs_key_field: Option<String>,
    pub outputs: Option<Value>,
    pub raw_response: Option<Value>,
    pub files: Vec<FileView>,
}

impl ResultView {
    /// The entry of a result and its files. Fails when the integration's JSON is not JSON.
    pub fn new(parts: ResultParts<'_>, files: Vec<FileView>) -> Result<Self, String> {
        let parse = |what: &str, text: Option<&str>| -> Result<Option<Value>, String> {
            text.map(|t| {
                serde_json::from_str(t).map_err(|e| format!("the integration returned {what} that is not JSON: {e}"))
            })
            .transpose()
        };
        let mut view = ResultView {
            readable_output: parts.readable_output.to_string(),
            outputs_prefix: parts.outputs_prefix.map(String::from),
            outputs_key_field: parts.outputs_key_field.map(String::from),
            outputs: parse("outputs", parts.outputs_json)?,
            raw_response: parse("a raw response", parts.raw_response_json)?,
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

/// `{"results": [...]}`.
pub fn results_json(results: &[ResultView]) -> Value {
    serde_json::json!({ "results": results })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parts<'a>(outputs: Option<&'a str>) -> ResultParts<'a> {
        ResultParts {
            readable_output: "### Title",
            outputs_prefix: outputs.map(|_| "Code42.User"),
            outputs_key_field: outputs.map(|_| "UserID"),
            outputs_json: outputs,
            raw_response_json: Some("{\"raw\": 1}"),
        }
    }

    #[test]
    fn outputs_and_raw_responses_are_parsed() {
        let view = ResultView::new(parts(Some("{\"UserID\": \"7\"}")), vec![]).unwrap();
        assert_eq!(
            results_json(&[view]),
            json!({"results": [{"readable_output": "### Title", "outputs_prefix": "Code42.User",
                "outputs_key_field": "UserID", "outputs": {"UserID": "7"}, "raw_response": {"raw": 1}, "files": []}]})
        );
        assert!(ResultView::new(parts(Some("{nope")), vec![]).unwrap_err().contains("not JSON"));
    }

    #[test]
    fn a_file_without_outputs_gets_its_file_context_and_is_written_or_inlined() {
        let saved =
            ResultView::new(parts(None), vec![FileView::saved("a.txt".into(), "/d/a.txt".into(), b"hi")]).unwrap();
        assert_eq!(saved.outputs_prefix.as_deref(), Some("File"));
        assert_eq!(saved.outputs.as_ref().unwrap()["EntryID"], "/d/a.txt");
        let file = serde_json::to_value(&saved.files[0]).unwrap();
        assert_eq!(file["path"], "/d/a.txt");
        assert_eq!(file["size"], 2);

        let inline = ResultView::new(parts(None), vec![FileView::inline("a.txt".into(), b"hi")]).unwrap();
        let file = serde_json::to_value(&inline.files[0]).unwrap();
        assert_eq!(file["content_base64"], "aGk=");
        assert!(file.get("path").is_none() && file.get("context").is_none());
        assert_eq!(file["sha256"], "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4");
        assert_eq!(inline.outputs.as_ref().unwrap()["EntryID"], "a.txt");
    }
}
