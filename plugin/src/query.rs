//! The V2 file-event query (`POST /v2/file-events`): a typed model that the `json` argument is
//! parsed into, and the query that code42-file-events-search builds from its arguments.

use crate::error::{Error, Result, json_problem};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the members of a group (or the groups of a query) combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clause {
    #[serde(alias = "and")]
    AND,
    #[serde(alias = "or")]
    OR,
}

/// One condition on a term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub term: String,
    pub operator: Operator,
    #[serde(default)]
    pub value: Value,
}

/// The operators of the V2 query language.
///
/// Keep [`Operator::ALL`] in step: error messages list the operators from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Operator {
    Is,
    IsNot,
    IsAny,
    IsNone,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
    On,
    OnOrAfter,
    OnOrBefore,
    Before,
    After,
    WithinTheLast,
    Contains,
    DoesNotContain,
}

impl Operator {
    pub const ALL: [Operator; 16] = [
        Operator::Is,
        Operator::IsNot,
        Operator::IsAny,
        Operator::IsNone,
        Operator::Exists,
        Operator::DoesNotExist,
        Operator::GreaterThan,
        Operator::LessThan,
        Operator::On,
        Operator::OnOrAfter,
        Operator::OnOrBefore,
        Operator::Before,
        Operator::After,
        Operator::WithinTheLast,
        Operator::Contains,
        Operator::DoesNotContain,
    ];

    /// The operator's name in a query.
    pub fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
    }
}

/// A group of filters, or of nested groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Group {
    Filters {
        #[serde(rename = "filterClause")]
        filter_clause: Clause,
        filters: Vec<Filter>,
    },
    Subgroups {
        #[serde(rename = "subgroupClause")]
        subgroup_clause: Clause,
        subgroups: Vec<Group>,
    },
}

/// A whole query, with the API's field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEventQuery {
    #[serde(rename = "groupClause", default = "and")]
    pub group_clause: Clause,
    pub groups: Vec<Group>,
    #[serde(rename = "pgNum", default = "one")]
    pub pg_num: u32,
    #[serde(rename = "pgSize", default = "hundred")]
    pub pg_size: u32,
    #[serde(rename = "pgToken", default)]
    pub pg_token: Option<String>,
    #[serde(rename = "srtDir", default = "asc")]
    pub srt_dir: String,
    #[serde(rename = "srtKey", default = "event_id")]
    pub srt_key: String,
}

fn and() -> Clause {
    Clause::AND
}
fn one() -> u32 {
    1
}
fn hundred() -> u32 {
    100
}
fn asc() -> String {
    "asc".into()
}
fn event_id() -> String {
    "event.id".into()
}

/// The API's largest page.
pub const MAX_PAGE_SIZE: u32 = 10_000;

impl FileEventQuery {
    /// A query of one-filter groups combined with AND, sorted by event id.
    pub fn all_of(filters: Vec<Filter>) -> Self {
        FileEventQuery {
            group_clause: Clause::AND,
            groups: filters
                .into_iter()
                .map(|f| Group::Filters { filter_clause: Clause::AND, filters: vec![f] })
                .collect(),
            pg_num: 1,
            pg_size: 100,
            pg_token: Some(String::new()),
            srt_dir: asc(),
            srt_key: event_id(),
        }
    }

    /// Parses the `json` argument. What is wrong is said in words naming the bad value and the
    /// allowed ones, after the reference's `Error searching for file events: `; malformed JSON
    /// gets the parser's position.
    pub fn parse(arg: &str, text: &str) -> Result<Self> {
        let fail = |what: String| Error::invalid_arg(arg, format!("Error searching for file events: {what}"));
        let value: Value =
            serde_json::from_str(text).map_err(|e| fail(format!("the '{arg}' argument is not valid JSON ({e})")))?;
        check::query(&value).map_err(fail)?;
        serde_json::from_value(value).map_err(|e| fail(format!("the query could not be read: {}", json_problem(&e))))
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a query always serialises")
    }
}

impl Filter {
    pub fn new(term: &str, operator: Operator, value: Value) -> Self {
        Filter { term: term.to_string(), operator, value }
    }
}

/// MD5 or SHA-256, told apart by length only (as the reference does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    Md5,
    Sha256,
}

impl HashKind {
    pub fn of(arg: &str, hash: &str) -> Result<Self> {
        match hash.len() {
            32 => Ok(HashKind::Md5),
            64 => Ok(HashKind::Sha256),
            _ => Err(Error::invalid_arg(arg, "Unsupported hash. Must be SHA256 or MD5.")),
        }
    }

    pub fn term(self) -> &'static str {
        match self {
            HashKind::Md5 => "file.hash.md5",
            HashKind::Sha256 => "file.hash.sha256",
        }
    }
}

/// The shape of a query, checked before it is read, so that an error can say where and what.
mod check {
    use super::Operator;
    use serde_json::{Map, Value};

    const QUERY_FIELDS: &[&str] = &["groupClause", "groups", "pgNum", "pgSize", "pgToken", "srtDir", "srtKey"];
    const CLAUSES: &[&str] = &["AND", "OR"];

    fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
        value.as_object().ok_or_else(|| format!("{what} must be a JSON object, not {}", shown(value)))
    }

    fn known_fields(map: &Map<String, Value>, allowed: &[&str], place: &str) -> Result<(), String> {
        match map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(key) => Err(format!("Unknown field '{key}' in {place}; expected {}", allowed.join(", "))),
            None => Ok(()),
        }
    }

    /// A value as it would be written, short.
    fn shown(value: &Value) -> String {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        text.chars().take(60).collect()
    }

    fn clause(map: &Map<String, Value>, key: &str, place: &str, required: bool) -> Result<(), String> {
        match map.get(key) {
            None if required => Err(format!("{place} has no '{key}'; expected AND or OR")),
            None => Ok(()),
            Some(Value::String(c)) if CLAUSES.contains(&c.to_ascii_uppercase().as_str()) => Ok(()),
            Some(other) => Err(format!("Unknown {key} '{}' in {place}; expected AND or OR", shown(other))),
        }
    }

    fn list<'a>(map: &'a Map<String, Value>, key: &str, place: &str) -> Result<&'a [Value], String> {
        match map.get(key) {
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(format!("'{key}' in {place} must be a list, not {}", shown(other))),
            None => Err(format!("{place} has no '{key}' list")),
        }
    }

    pub fn query(value: &Value) -> Result<(), String> {
        let map = object(value, "the query")?;
        known_fields(map, QUERY_FIELDS, "the query")?;
        clause(map, "groupClause", "the query", false)?;
        for (i, g) in list(map, "groups", "the query")?.iter().enumerate() {
            group(g, &format!("group {}", i + 1))?;
        }
        for key in ["pgNum", "pgSize"] {
            if let Some(v) = map.get(key).filter(|v| v.as_u64().is_none_or(|n| n > u64::from(u32::MAX))) {
                return Err(format!("'{key}' must be a whole number of at least 0, not {}", shown(v)));
            }
        }
        if let Some(v) = map.get("pgToken").filter(|v| !v.is_string() && !v.is_null()) {
            return Err(format!("'pgToken' must be text, not {}", shown(v)));
        }
        if let Some(v) = map.get("srtKey").filter(|v| !v.is_string()) {
            return Err(format!("'srtKey' must be text, not {}", shown(v)));
        }
        match map.get("srtDir") {
            None => Ok(()),
            Some(Value::String(d)) if matches!(d.to_ascii_lowercase().as_str(), "asc" | "desc") => Ok(()),
            Some(other) => Err(format!("Unknown srtDir '{}'; expected asc or desc", shown(other))),
        }
    }

    fn group(value: &Value, place: &str) -> Result<(), String> {
        let map = object(value, place)?;
        if map.contains_key("filters") || map.contains_key("filterClause") {
            known_fields(map, &["filterClause", "filters"], place)?;
            clause(map, "filterClause", place, true)?;
            for (j, f) in list(map, "filters", place)?.iter().enumerate() {
                filter(f, &format!("{place}, filter {}", j + 1))?;
            }
            Ok(())
        } else if map.contains_key("subgroups") || map.contains_key("subgroupClause") {
            known_fields(map, &["subgroupClause", "subgroups"], place)?;
            clause(map, "subgroupClause", place, true)?;
            for (j, g) in list(map, "subgroups", place)?.iter().enumerate() {
                group(g, &format!("{place}, subgroup {}", j + 1))?;
            }
            Ok(())
        } else {
            Err(format!("{place} has neither 'filters' (with a filterClause) nor 'subgroups' (with a subgroupClause)"))
        }
    }

    fn filter(value: &Value, place: &str) -> Result<(), String> {
        let map = object(value, place)?;
        known_fields(map, &["term", "operator", "value"], place)?;
        match map.get("term") {
            Some(Value::String(_)) => {}
            Some(other) => return Err(format!("The term in {place} must be text, not {}", shown(other))),
            None => return Err(format!("A filter without 'term' in {place}")),
        }
        let names: Vec<String> = Operator::ALL.iter().map(|o| o.name()).collect();
        match map.get("operator") {
            Some(Value::String(op)) if names.contains(op) => Ok(()),
            Some(other) => {
                Err(format!("Unknown operator '{}' in {place}; expected one of {}", shown(other), names.join(", ")))
            }
            None => Err(format!("A filter without 'operator' in {place}; expected one of {}", names.join(", "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_nested_subgroups() {
        let text = r#"{"groupClause": "OR", "groups": [
            {"filterClause": "AND", "filters": [{"term": "file.category", "operator": "IS", "value": "Pdf"}]},
            {"subgroupClause": "AND", "subgroups": [
                {"filterClause": "OR", "filters": [{"operator": "GREATER_THAN", "term": "risk.score", "value": 5},
                                                     {"term": "file.owner", "operator": "EXISTS", "value": null}]}]}],
            "pgNum": 2, "pgSize": 10, "srtDir": "desc", "srtKey": "@timestamp"}"#;
        let q = FileEventQuery::parse("json", text).unwrap();
        assert_eq!(q.group_clause, Clause::OR);
        assert!(matches!(&q.groups[1], Group::Subgroups { subgroups, .. } if subgroups.len() == 1));
        assert_eq!(q.pg_token, None);
        let round = q.to_json();
        assert_eq!(
            round["groups"][1]["subgroups"][0]["filters"][0],
            json!({"term": "risk.score", "operator": "GREATER_THAN", "value": 5})
        );
        assert_eq!(FileEventQuery::parse("json", &round.to_string()).unwrap(), q);
    }

    #[test]
    fn malformed_json_reports_the_parser_position() {
        let err = FileEventQuery::parse("json", "{\"groups\": [\n  {\"filterClause\": \"AND\", }").unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "json"));
        assert!(text.contains("line 2 column"), "{text}");
    }

    fn error_of(text: &str) -> String {
        let err = FileEventQuery::parse("json", text).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "json"));
        err.to_string()
    }

    #[test]
    fn what_is_not_a_v2_query_is_said_in_words() {
        let cases = [
            (
                r#"{"groups": [{"filterClause": "AND", "filters": [{"term": "x", "operator": "SOMETIMES", "value": 1}]}]}"#,
                "Unknown operator 'SOMETIMES' in group 1, filter 1; expected one of IS, IS_NOT, IS_ANY, IS_NONE, \
                 EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN, ON, ON_OR_AFTER, ON_OR_BEFORE, BEFORE, AFTER, \
                 WITHIN_THE_LAST, CONTAINS, DOES_NOT_CONTAIN",
            ),
            (
                r#"{"groups": [{"filterClause": "AND", "filters": []}, {"filterClause": "MAYBE", "filters": []}]}"#,
                "Unknown filterClause 'MAYBE' in group 2; expected AND or OR",
            ),
            (
                r#"{"groups": [{"filterClause": "AND", "filters": [{"operator": "IS", "value": 1}]}]}"#,
                "A filter without 'term' in group 1, filter 1",
            ),
            (
                r#"{"invalid": "query"}"#,
                "Unknown field 'invalid' in the query; expected groupClause, groups, pgNum, \
                pgSize, pgToken, srtDir, srtKey",
            ),
            (r#"{"groups": {"a": 1}}"#, "'groups' in the query must be a list, not {\"a\":1}"),
            (r#"{"groups": [], "srtDir": "up"}"#, "Unknown srtDir 'up'; expected asc or desc"),
            (
                r#"{"groups": [{"subgroupClause": "OR", "subgroups": [{"filterClause": "AND", "filters": [{"term": 5, "operator": "IS"}]}]}]}"#,
                "The term in group 1, subgroup 1, filter 1 must be text, not 5",
            ),
            (
                r#"{"groups": [{"oops": []}]}"#,
                "group 1 has neither 'filters' (with a filterClause) nor 'subgroups' (with a subgroupClause)",
            ),
            (r#"[1, 2]"#, "the query must be a JSON object, not [1,2]"),
        ];
        for (text, expected) in cases {
            assert_eq!(error_of(text), format!("Error searching for file events: {expected}"), "{text}");
        }
    }

    #[test]
    fn no_error_quotes_serde_internals() {
        for text in [
            r#"{"groups": [{"filterClause": "AND", "filters": "x"}]}"#,
            r#"{"groups": [{"filterClause": {"a": 1}, "filters": []}]}"#,
            r#"{"groups": [7], "pgNum": -1}"#,
            r#"{"groups": [], "pgSize": "ten"}"#,
            r#"{"groups": [], "pgToken": 5}"#,
        ] {
            let message = error_of(text);
            for internal in ["untagged enum", "invalid type", "variant", "struct ", "Clause::", "Operator::"] {
                assert!(!message.contains(internal), "{text}: {message}");
            }
        }
    }

    #[test]
    fn every_operator_has_its_name() {
        let names: Vec<String> = Operator::ALL.iter().map(|o| o.name()).collect();
        assert_eq!(names.len(), 16);
        for (op, name) in Operator::ALL.iter().zip(&names) {
            assert_eq!(serde_json::from_value::<Operator>(json!(name)).unwrap(), *op);
        }
    }

    // Found by the query_parser fuzz target: without correctly rounded float parsing, a huge
    // integer literal came back from a round trip as a different number.
    #[test]
    fn numbers_survive_a_round_trip_exactly() {
        let text = r#"{"groups": [{"filterClause": "AND", "filters": [{"term": "risk.score", "operator": "GREATER_THAN", "value": -111111111111111111111111111111111111115}]}]}"#;
        let q = FileEventQuery::parse("json", text).unwrap();
        assert_eq!(FileEventQuery::parse("json", &q.to_json().to_string()).unwrap(), q);
    }

    #[test]
    fn tells_hashes_apart_by_length() {
        assert_eq!(HashKind::of("hash", &"a".repeat(32)).unwrap(), HashKind::Md5);
        assert_eq!(HashKind::of("hash", &"a".repeat(64)).unwrap(), HashKind::Sha256);
        assert_eq!(
            HashKind::of("hash", &"a".repeat(128)).unwrap_err().to_string(),
            "Unsupported hash. Must be SHA256 or MD5."
        );
    }
}
