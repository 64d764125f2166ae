//! The markdown renderers on any JSON: every table has a header row, a separator and one line
//! per row, and no cell can break out of its table.
#![no_main]

use code42_plugin::event_table;
use code42_plugin::markdown::Table;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|text: &str| {
    let Ok(value) = serde_json::from_str::<Value>(text) else { return };
    let rows = match value {
        Value::Array(rows) => rows,
        other => vec![other],
    };
    for md in [Table { title: "T", ..Default::default() }.render(&rows), event_table::render(&rows)] {
        let lines: Vec<&str> = md.lines().collect();
        if md.contains("**No entries.**") {
            continue;
        }
        let table: Vec<&&str> = lines.iter().filter(|l| l.starts_with('|')).collect();
        assert_eq!(table.len(), rows.len() + 2, "{md}");
        let columns = table[1].matches("---").count();
        for line in &table[2..] {
            // Cells are separated by " | "; escaped pipes inside cells do not count.
            let separators = line.replace("\\|", "").matches(" | ").count();
            assert_eq!(separators + 1, columns.max(1), "{line}");
        }
    }
});
