//! The XSOAR-style context: outputs are merged under their prefix; objects with the same key
//! field value are replaced, others appended; without a key field, equal objects are not added
//! twice.

use crate::envelope::ResultView;
use serde_json::{Map, Value};

/// `context` with the outputs of every result merged in.
pub fn merge_results(mut context: Value, results: &[ResultView]) -> Value {
    for r in results {
        if let (Some(prefix), Some(outputs)) = (&r.outputs_prefix, &r.outputs) {
            merge(&mut context, prefix, r.outputs_key_field.as_deref(), outputs);
        }
    }
    context
}

/// Merges `outputs` (an object or a list of objects) at the dotted `prefix`.
pub fn merge(context: &mut Value, prefix: &str, key_field: Option<&str>, outputs: &Value) {
    let mut slot = context;
    for part in prefix.split('.') {
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot = slot.as_object_mut().expect("just made an object").entry(part).or_insert(Value::Null);
    }
    let new: Vec<Value> = match outputs {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    if slot.is_null() {
        *slot = outputs.clone();
        return;
    }
    let mut existing: Vec<Value> = match slot.take() {
        Value::Array(items) => items,
        other => vec![other],
    };
    for item in new {
        let same_key = key_field.and_then(|k| {
            let key = item.get(k)?;
            existing.iter().position(|e| e.get(k) == Some(key))
        });
        match same_key {
            Some(i) => existing[i] = item,
            None if !existing.contains(&item) => existing.push(item),
            None => {}
        }
    }
    *slot = Value::Array(existing);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replaces_by_key_and_appends_new_objects() {
        let mut ctx = json!({"Other": 1});
        merge(&mut ctx, "Code42.SecurityAlert", Some("ID"), &json!([{"ID": "a", "State": "OPEN"}]));
        assert_eq!(ctx, json!({"Other": 1, "Code42": {"SecurityAlert": [{"ID": "a", "State": "OPEN"}]}}));
        merge(&mut ctx, "Code42.SecurityAlert", Some("ID"), &json!([{"ID": "a", "State": "CLOSED_TP"}, {"ID": "b"}]));
        assert_eq!(ctx["Code42"]["SecurityAlert"], json!([{"ID": "a", "State": "CLOSED_TP"}, {"ID": "b"}]));
    }

    #[test]
    fn without_a_key_equal_objects_are_not_repeated() {
        let mut ctx = json!({});
        merge(&mut ctx, "Code42.FileEvents", None, &json!([{"event": {"id": 1}}]));
        merge(&mut ctx, "Code42.FileEvents", None, &json!([{"event": {"id": 2}}, {"event": {"id": 1}}]));
        assert_eq!(ctx["Code42"]["FileEvents"], json!([{"event": {"id": 1}}, {"event": {"id": 2}}]));
    }

    #[test]
    fn a_single_object_stays_an_object_until_a_second_arrives() {
        let mut ctx = json!({});
        merge(&mut ctx, "Code42.User", Some("UserID"), &json!({"UserID": "1"}));
        assert_eq!(ctx["Code42"]["User"], json!({"UserID": "1"}));
        merge(&mut ctx, "Code42.User", Some("UserID"), &json!({"UserID": "2"}));
        assert_eq!(ctx["Code42"]["User"], json!([{"UserID": "1"}, {"UserID": "2"}]));
    }
}
