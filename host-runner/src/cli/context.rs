//! The context file of `code42 run --context FILE`: read, merged with the outputs, replaced.

use anyhow::{Context as _, Result};
use serde_json::{Map, Value};
use soar_results::context::merge_results;
use soar_results::envelope::ResultView;
use std::path::Path;

pub fn update_file(path: &Path, original: Option<&str>, results: &[ResultView]) -> Result<()> {
    let context: Value = match original {
        Some(text) => serde_json::from_str(text)?,
        None => Value::Object(Map::new()),
    };
    let text = serde_json::to_string_pretty(&merge_results(context, results))?;
    host_runner::atomic_file::write(path, text.as_bytes())
        .with_context(|| format!("writing the context {}", path.display()))
}
