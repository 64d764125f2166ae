//! Markdown tables with the XSOAR `tableToMarkdown` rules (code42-reference.md §3.3), except that
//! nested values are written as JSON rather than Python reprs (product-decisions §5).

use serde_json::{Map, Value};

/// How to lay out one table.
#[derive(Debug, Clone, Default)]
pub struct Table<'a> {
    /// Printed as `### <title>`; nothing when empty.
    pub title: &'a str,
    /// Columns in order; when absent, the keys of the first row (sorted unless `keep_key_order`).
    pub headers: Option<&'a [&'a str]>,
    /// Keep the first row's key order instead of sorting when `headers` is absent.
    pub keep_key_order: bool,
    /// Drop columns that are null, "", [] or {} in every row.
    pub remove_null: bool,
}

impl Table<'_> {
    /// Renders rows (JSON objects; anything else is shown as a one-column `value` row).
    pub fn render(&self, rows: &[Value]) -> String {
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&format!("### {}\n", self.title));
        }
        let rows: Vec<Map<String, Value>> = rows.iter().map(as_object).collect();
        if rows.is_empty() {
            out.push_str("**No entries.**\n");
            return out;
        }
        let mut headers: Vec<String> = match self.headers {
            Some(h) => h.iter().map(|s| s.to_string()).collect(),
            None => {
                let mut keys: Vec<String> = rows[0].keys().cloned().collect();
                if !self.keep_key_order {
                    keys.sort();
                }
                keys
            }
        };
        if self.remove_null {
            headers.retain(|h| rows.iter().any(|r| r.get(h).is_some_and(|v| !is_empty(v))));
        }
        let escaped: Vec<String> = headers.iter().map(|h| escape(h)).collect();
        out.push_str(&format!("|{}|\n", escaped.join("|")));
        out.push_str(&format!("|{}|\n", vec!["---"; headers.len()].join("|")));
        for row in &rows {
            let cells: Vec<String> =
                headers.iter().map(|h| escape(&cell(row.get(h).unwrap_or(&Value::Null)))).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }
}

fn as_object(value: &Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map.clone(),
        other => Map::from_iter([("value".to_string(), other.clone())]),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Text of one cell: dicts as `key: value` lines, lists as items joined by `,\n`.
fn cell(value: &Value) -> String {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", flat(v))).collect::<Vec<_>>().join("\n"),
        Value::Array(items) => items.iter().map(flat).collect::<Vec<_>>().join(",\n"),
        other => flat(other),
    }
}

/// A value inside a cell: strings bare, everything else as JSON.
pub fn flat(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Line breaks become `<br>`; `|` and backquotes are escaped so they cannot break the table.
fn escape(text: &str) -> String {
    text.replace("\r\n", "<br>").replace(['\r', '\n'], "<br>").replace('|', "\\|").replace('`', "\\`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_title_sorted_headers_and_rows() {
        let md = Table { title: "T", ..Default::default() }
            .render(&[json!({"b": 1, "a": "x"}), json!({"a": "y", "b": true})]);
        assert_eq!(md, "### T\n|a|b|\n|---|---|\n| x | 1 |\n| y | true |\n");
    }

    #[test]
    fn explicit_headers_keep_their_order_and_missing_cells_are_empty() {
        let md =
            Table { title: "", headers: Some(&["b", "c"]), ..Default::default() }.render(&[json!({"b": null, "a": 1})]);
        assert_eq!(md, "|b|c|\n|---|---|\n|  |  |\n");
    }

    #[test]
    fn empty_data_says_no_entries() {
        assert_eq!(
            Table { title: "Deprecated", ..Default::default() }.render(&[]),
            "### Deprecated\n**No entries.**\n"
        );
    }

    #[test]
    fn nested_values_are_json_and_specials_are_escaped() {
        let md = Table::default()
            .render(&[json!({"d": {"k": 1, "n": {"x": [1]}}, "l": ["a", {"b": false}], "s": "a|b`c\r\nd"})]);
        assert_eq!(md, "|d|l|s|\n|---|---|---|\n| k: 1<br>n: {\"x\":[1]} | a,<br>{\"b\":false} | a\\|b\\`c<br>d |\n");
    }

    #[test]
    fn remove_null_drops_columns_empty_everywhere() {
        let t = Table { remove_null: true, keep_key_order: true, ..Default::default() };
        let md = t.render(&[json!({"z": 1, "e": "", "n": null, "l": []}), json!({"z": 2, "e": "", "l": [3]})]);
        assert_eq!(md, "|z|l|\n|---|---|\n| 1 |  |\n| 2 | 3 |\n");
    }
}
