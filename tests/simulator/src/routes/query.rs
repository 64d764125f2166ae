//! The V2 file-event query language: groups of filters combined with AND/OR, nested subgroups,
//! and the API's operators, evaluated against v2 events.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::Value;

/// Top-level keys of a v2 event; a term must start with one of them.
const ROOTS: &[&str] = &[
    "@timestamp",
    "destination",
    "event",
    "file",
    "process",
    "report",
    "risk",
    "source",
    "user",
    "git",
    "responseControls",
];

/// Why a query cannot be run, as the API reports it in `problems`.
#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: &'static str,
    pub description: String,
    pub filter: Option<Value>,
}

/// Whether `event` matches the query's `groupClause` and `groups`.
pub fn matches(query: &Value, event: &Value, now: DateTime<Utc>) -> Result<bool, Problem> {
    let groups = query.get("groups").and_then(Value::as_array).cloned().unwrap_or_default();
    combine(clause(query, "groupClause")?, &groups, |g| group(g, event, now))
}

/// Checks every filter once, so a bad query fails even when no event exists.
pub fn validate(query: &Value) -> Result<(), Problem> {
    let probe = serde_json::json!({});
    let groups = query.get("groups").and_then(Value::as_array).cloned().unwrap_or_default();
    for g in &groups {
        visit_filters(g, &mut |f| filter(f, &probe, Utc::now()).map(drop))?;
    }
    clause(query, "groupClause").map(drop)
}

fn visit_filters(group: &Value, check: &mut dyn FnMut(&Value) -> Result<(), Problem>) -> Result<(), Problem> {
    for f in group.get("filters").and_then(Value::as_array).into_iter().flatten() {
        check(f)?;
    }
    for g in group.get("subgroups").and_then(Value::as_array).into_iter().flatten() {
        visit_filters(g, check)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Clause {
    And,
    Or,
}

fn clause(object: &Value, key: &str) -> Result<Clause, Problem> {
    match object.get(key).and_then(Value::as_str).map(str::to_ascii_uppercase).as_deref() {
        None | Some("AND") => Ok(Clause::And),
        Some("OR") => Ok(Clause::Or),
        Some(other) => Err(problem("INVALID_CLAUSE", format!("{key} must be AND or OR, got '{other}'"), None)),
    }
}

fn combine(
    clause: Clause,
    items: &[Value],
    mut test: impl FnMut(&Value) -> Result<bool, Problem>,
) -> Result<bool, Problem> {
    let mut any = false;
    let mut all = true;
    for item in items {
        let hit = test(item)?;
        any |= hit;
        all &= hit;
    }
    Ok(match clause {
        Clause::And => all,
        Clause::Or => any || items.is_empty(),
    })
}

/// A group: `{filterClause, filters}`, `{subgroupClause, subgroups}`, or `{}` (matches all;
/// the incydr SDK 2.12 serialises subqueries that way).
fn group(g: &Value, event: &Value, now: DateTime<Utc>) -> Result<bool, Problem> {
    if let Some(subgroups) = g.get("subgroups").and_then(Value::as_array) {
        return combine(clause(g, "subgroupClause")?, subgroups, |s| group(s, event, now));
    }
    let filters = g.get("filters").and_then(Value::as_array).cloned().unwrap_or_default();
    combine(clause(g, "filterClause")?, &filters, |f| filter(f, event, now))
}

fn problem(kind: &'static str, description: String, filter: Option<&Value>) -> Problem {
    Problem { kind, description, filter: filter.cloned() }
}

/// Every value at a dotted path, looking through arrays on the way.
pub fn values_at<'a>(event: &'a Value, term: &str) -> Vec<&'a Value> {
    let mut current = vec![event];
    let parts: Vec<&str> = if term == "@timestamp" { vec!["@timestamp"] } else { term.split('.').collect() };
    for part in parts {
        let mut next = Vec::new();
        for v in current {
            match v.get(part) {
                Some(Value::Array(items)) => next.extend(items.iter()),
                Some(Value::Null) | None => {}
                Some(other) => next.push(other),
            }
        }
        current = next;
    }
    current
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    let s = v.as_str()?;
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc()))
}

/// `P30D`, `PT1H`, `P1DT5M`: days, hours, minutes, seconds.
fn iso_duration(s: &str) -> Option<Duration> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = Duration::zero();
    for (part, units) in [
        (date, [('W', 7 * 86_400), ('D', 86_400), ('?', 0), ('?', 0)]),
        (time, [('H', 3_600), ('M', 60), ('S', 1), ('?', 0)]),
    ] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
            } else {
                let secs = units.iter().find(|(u, _)| *u == c)?.1;
                total += Duration::seconds(number.parse::<i64>().ok()? * secs);
                number.clear();
            }
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(total)
}

fn filter(f: &Value, event: &Value, now: DateTime<Utc>) -> Result<bool, Problem> {
    let term = f
        .get("term")
        .and_then(Value::as_str)
        .ok_or_else(|| problem("INVALID_FILTER", "a filter needs a term".into(), Some(f)))?;
    let root = if term == "@timestamp" { term } else { term.split('.').next().unwrap_or_default() };
    if !ROOTS.contains(&root) {
        return Err(problem("INVALID_TERM", format!("unknown term '{term}'"), Some(f)));
    }
    let operator = f.get("operator").and_then(Value::as_str).unwrap_or_default();
    let wanted = f.get("value").unwrap_or(&Value::Null);
    let found = values_at(event, term);
    let bad_value = |why: &str| problem("INVALID_VALUE", format!("{operator} on {term}: {why}"), Some(f));
    let eq = |a: &Value| text(a).eq_ignore_ascii_case(&text(wanted));
    let in_list =
        |a: &Value| wanted.as_array().is_some_and(|l| l.iter().any(|w| text(a).eq_ignore_ascii_case(&text(w))));
    Ok(match operator {
        "IS" => found.iter().any(|v| eq(v)),
        "IS_NOT" => !found.iter().any(|v| eq(v)),
        "IS_ANY" | "IS_NONE" => {
            if !wanted.is_array() {
                return Err(bad_value("the value must be a list"));
            }
            let hit = found.iter().any(|v| in_list(v));
            if operator == "IS_ANY" { hit } else { !hit }
        }
        "EXISTS" => !found.is_empty(),
        "DOES_NOT_EXIST" => found.is_empty(),
        "CONTAINS" | "DOES_NOT_CONTAIN" => {
            let needle = text(wanted).to_lowercase();
            let hit = found.iter().any(|v| text(v).to_lowercase().contains(&needle));
            if operator == "CONTAINS" { hit } else { !hit }
        }
        "GREATER_THAN" | "LESS_THAN" => {
            let limit = wanted
                .as_f64()
                .or_else(|| wanted.as_str()?.parse().ok())
                .ok_or_else(|| bad_value("the value must be a number"))?;
            found
                .iter()
                .filter_map(|v| v.as_f64())
                .any(|n| if operator == "GREATER_THAN" { n > limit } else { n < limit })
        }
        "ON_OR_AFTER" | "ON_OR_BEFORE" | "BEFORE" | "AFTER" | "ON" => {
            let limit = time(wanted).ok_or_else(|| bad_value("the value must be an ISO 8601 time"))?;
            found.iter().filter_map(|v| time(v)).any(|t| match operator {
                "ON_OR_AFTER" => t >= limit,
                "ON_OR_BEFORE" => t <= limit,
                "AFTER" => t > limit,
                "BEFORE" => t < limit,
                _ => t.date_naive() == limit.date_naive(),
            })
        }
        "WITHIN_THE_LAST" => {
            let span = wanted
                .as_str()
                .and_then(iso_duration)
                .ok_or_else(|| bad_value("the value must be an ISO 8601 duration such as P30D"))?;
            found.iter().filter_map(|v| time(v)).any(|t| t >= now - span)
        }
        other => return Err(problem("INVALID_OPERATOR", format!("unknown operator '{other}'"), Some(f))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event() -> Value {
        json!({"@timestamp": "2024-01-02T03:04:05.000Z", "file": {"hash": {"md5": "ABC"}, "category": "Pdf"}, "risk": {"score": 6, "indicators": [{"name": "A"}, {"name": "B"}]}, "user": {"email": "x@y.com"}})
    }

    fn q(groups: Value, clause: &str) -> Value {
        json!({"groupClause": clause, "groups": groups})
    }

    fn f(term: &str, op: &str, value: Value) -> Value {
        json!({"filterClause": "AND", "filters": [{"term": term, "operator": op, "value": value}]})
    }

    #[test]
    fn evaluates_operators() {
        let now = Utc::now();
        let e = event();
        let yes = |g: Value| assert!(matches(&q(json!([g.clone()]), "AND"), &e, now).unwrap(), "{g}");
        let no = |g: Value| assert!(!matches(&q(json!([g.clone()]), "AND"), &e, now).unwrap(), "{g}");
        yes(f("file.hash.md5", "IS", json!("abc")));
        no(f("file.hash.md5", "IS", json!("abd")));
        yes(f("risk.score", "GREATER_THAN", json!(5)));
        no(f("risk.score", "GREATER_THAN", json!(6)));
        yes(f("risk.indicators.name", "IS", json!("B")));
        yes(f("file.category", "IS_ANY", json!(["Document", "Pdf"])));
        yes(f("file.owner", "DOES_NOT_EXIST", Value::Null));
        yes(f("@timestamp", "ON_OR_AFTER", json!("2024-01-02T00:00:00.000Z")));
        no(f("@timestamp", "ON_OR_BEFORE", json!("2024-01-01T00:00:00.000Z")));
        yes(f("@timestamp", "ON", json!("2024-01-02")));
        no(f("@timestamp", "WITHIN_THE_LAST", json!("P30D")));
    }

    #[test]
    fn combines_groups_and_subgroups_and_ignores_empty_groups() {
        let now = Utc::now();
        let e = event();
        let hit = f("user.email", "IS", json!("x@y.com"));
        let miss = f("user.email", "IS", json!("z@y.com"));
        assert!(!matches(&q(json!([hit, miss]), "AND"), &e, now).unwrap());
        assert!(matches(&q(json!([hit, miss]), "OR"), &e, now).unwrap());
        let nested = json!({"subgroupClause": "OR", "subgroups": [miss, hit]});
        assert!(matches(&q(json!([nested, {}]), "AND"), &e, now).unwrap());
    }

    #[test]
    fn reports_bad_queries() {
        assert_eq!(validate(&q(json!([f("nope.x", "IS", json!("a"))]), "AND")).unwrap_err().kind, "INVALID_TERM");
        assert_eq!(
            validate(&q(json!([f("file.name", "LIKE", json!("a"))]), "AND")).unwrap_err().kind,
            "INVALID_OPERATOR"
        );
        assert_eq!(
            validate(&q(json!([f("risk.score", "GREATER_THAN", json!("x"))]), "AND")).unwrap_err().kind,
            "INVALID_VALUE"
        );
    }

    #[test]
    fn parses_iso_durations() {
        assert_eq!(iso_duration("P30D"), Some(Duration::days(30)));
        assert_eq!(iso_duration("PT1H"), Some(Duration::hours(1)));
        assert_eq!(iso_duration("P1DT5M"), Some(Duration::days(1) + Duration::minutes(5)));
        assert_eq!(iso_duration("30D"), None);
    }
}
