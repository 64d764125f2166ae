//! The file-events table of code42-file-events-search and -table (code42-reference.md §9.5):
//! each event one row, nested objects flattened to `**key:** value` lines, lists as `• ` bullets,
//! falsy values left out, values printed as Python prints them (the reference's playbooks and
//! analysts are used to that look).

use crate::alerts::is_truthy;
use crate::markdown::Table;
use serde_json::{Map, Value};

/// The table of `events`, without a title; `**No entries.**` when there are none.
pub fn render(events: &[Value]) -> String {
    let rows: Vec<Value> = events.iter().map(|e| Value::Object(row(e))).collect();
    Table { keep_key_order: true, remove_null: true, ..Default::default() }.render(&rows)
}

fn row(event: &Value) -> Map<String, Value> {
    let mut cells = Map::new();
    let Some(fields) = event.as_object() else { return cells };
    for (key, value) in fields {
        let cell = match value {
            Value::Object(map) => {
                let flat = flatten(map, "");
                let lead = if flat.len() > 1 { "\n" } else { "" };
                let lines: Vec<String> = flat
                    .iter()
                    .filter(|(_, v)| is_truthy(v))
                    .map(|(k, v)| match v {
                        Value::Array(items) => format!("**{k}:** {lead}{}", bullets(items)),
                        other => format!("**{k}:** {}", py_str(other)),
                    })
                    .collect();
                lines.join("\n")
            }
            Value::Array(items) => bullets(items),
            other if is_truthy(other) => py_str(other),
            _ => String::new(),
        };
        if !cell.is_empty() {
            cells.insert(key.clone(), Value::String(cell));
        }
    }
    cells
}

/// Nested keys joined with `.`; lists and scalars are leaves.
fn flatten(map: &Map<String, Value>, prefix: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (k, v) in map {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            Value::Object(inner) => out.extend(flatten(inner, &key)),
            other => out.push((key, other.clone())),
        }
    }
    out
}

fn bullets(items: &[Value]) -> String {
    items.iter().map(|i| format!("• {}", py_str(i))).collect::<Vec<_>>().join("\n")
}

/// Python's `str()`: strings bare, everything else as `repr()`.
pub fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr()` of the value a JSON document parses to.
pub fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_quote(s),
        Value::Array(items) => format!("[{}]", items.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            format!(
                "{{{}}}",
                map.iter().map(|(k, v)| format!("{}: {}", py_quote(k), py_repr(v))).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

/// A string literal as Python writes it: single quotes unless the text has one and no double.
fn py_quote(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::fixture_json;
    use serde_json::json;

    #[test]
    fn python_reprs() {
        assert_eq!(
            py_repr(&json!({"name": "Image", "weight": 0, "id": "Image"})),
            "{'name': 'Image', 'weight': 0, 'id': 'Image'}"
        );
        assert_eq!(py_repr(&json!([true, null, 1.5, "it's"])), "[True, None, 1.5, \"it's\"]");
        assert_eq!(py_str(&json!("plain")), "plain");
    }

    #[test]
    fn flattens_drops_falsy_values_and_bullets_lists() {
        let event = json!({
            "@timestamp": "2022-01-01T00:00:00Z",
            "event": {"id": "e1", "shareType": [], "count": 0, "trusted": false},
            "risk": {"score": 6, "indicators": [{"name": "Image", "weight": 0}]},
            "tags": ["a", "b"],
            "empty": null,
        });
        let md = render(&[event]);
        assert_eq!(
            md,
            "|@timestamp|event|risk|tags|\n|---|---|---|---|\n| 2022-01-01T00:00:00Z | **id:** e1 | **score:** 6<br>**indicators:** <br>• {'name': 'Image', 'weight': 0} | • a<br>• b |\n"
        );
    }

    #[test]
    fn columns_come_from_the_first_event() {
        let md = render(&[json!({"a": 1}), json!({"a": 2, "b": 3})]);
        assert_eq!(md, "|a|\n|---|\n| 1 |\n| 2 |\n");
        assert_eq!(render(&[]), "**No entries.**\n");
    }

    #[test]
    fn renders_the_fixture_events() {
        let events = fixture_json("v2_file_event_response.json")["fileEvents"].as_array().unwrap().clone();
        let md = render(&events);
        assert_eq!(md.lines().count(), 2 + events.len());
        assert!(md.starts_with("|@timestamp|destination|event|file|"), "{}", &md[..80]);
        assert!(md.contains("**hash.md5:**") || md.contains("**name:** New Contacts & Accounts Report"));
        assert!(md.contains("• {'name': 'Download to unmonitored device from corporate Salesforce', 'weight': 6, 'id': 'Download to unmonitored device from corporate Salesforce'}"));
    }
}
