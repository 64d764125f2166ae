//! The V2 file-event query (`POST /v2/file-events`): a typed model that the `json` argument is
//! parsed into, and the query that code42-file-events-search builds from its arguments.

use crate::error::{Error, Result};
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

    /// Parses the `json` argument; a malformed text is an error with the parser's position.
    pub fn parse(arg: &str, text: &str) -> Result<Self> {
        let query: FileEventQuery = serde_json::from_str(text)
            .map_err(|e| Error::invalid_arg(arg, format!("Invalid V2 file event query in '{arg}': {e}")))?;
        if !matches!(query.srt_dir.to_ascii_lowercase().as_str(), "asc" | "desc") {
            return Err(Error::invalid_arg(
                arg,
                format!("Invalid V2 file event query in '{arg}': srtDir must be asc or desc"),
            ));
        }
        Ok(query)
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

    #[test]
    fn rejects_what_is_not_a_v2_query() {
        for bad in [
            r#"{"invalid": "query"}"#,
            r#"{"groups": [{"filterClause": "AND", "filters": [{"term": "x", "operator": "LIKE", "value": 1}]}]}"#,
            r#"{"groups": [], "srtDir": "up"}"#,
        ] {
            assert!(FileEventQuery::parse("json", bad).is_err(), "{bad}");
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
