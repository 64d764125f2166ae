//! What `code42 run` prints: the readable markdown, or the JSON envelope for scripts.

use host_runner::bindings::CommandResult;
use soar_results::envelope::{Delivery, FileView, ResultParts, ResultView};

/// The envelope entry of a result whose files were written as `files`.
pub fn view(result: &CommandResult, files: Vec<FileView>) -> Result<ResultView, String> {
    let parts = ResultParts {
        readable_output: &result.readable_output,
        outputs_prefix: result.outputs_prefix.as_deref(),
        outputs_key_field: result.outputs_key_field.as_deref(),
        outputs_json: result.outputs_json.as_deref(),
        raw_response_json: result.raw_response_json.as_deref(),
    };
    ResultView::new(parts, files)
}

pub fn json(results: &[ResultView]) -> String {
    soar_results::envelope::results_json(results).to_string()
}

pub fn markdown(results: &[ResultView]) -> String {
    let mut text = String::new();
    for r in results {
        text.push_str(r.readable_output.trim_end());
        text.push('\n');
        for f in &r.files {
            if let Delivery::Path { path } = &f.delivery {
                text.push_str(&format!("\nSaved {} ({} bytes, SHA-256 {}) to {path}\n", f.name, f.size, f.sha256));
            }
        }
    }
    text.trim_end().to_string()
}
