//! Alert sessions turned into what commands and incidents show (code42-reference.md §4): the
//! derived fields, the `Code42.SecurityAlert` context and its table.

use crate::api::{Client, actors, rules};
use crate::error::Result;
use crate::http::HttpClient;
use crate::markdown::Table;
use crate::pytime;
use crate::severity::Severity;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Columns of the alert table: the reference's, with `Type` first as in the seed.
pub const ALERT_HEADERS: &[&str] = &["Type", "Occurred", "Username", "Name", "Description", "State", "ID"];

/// A session with the reference's derived fields, plus what the context needs besides.
#[derive(Debug, Clone)]
pub struct Alert {
    /// The session object, camelCase keys, with `riskSeverity`, `state`, `actor`, `rule_names`,
    /// `beginTimeIso` and `alertUrl` added.
    pub details: Map<String, Value>,
    pub severity: Severity,
    /// Type (or else source) of the first triggering rule that has one.
    pub rule_type: Option<String>,
}

/// Actor names and rules already looked up, so each id costs one request per run.
#[derive(Default)]
pub struct Lookups {
    actor_names: HashMap<String, Option<String>>,
    rules: HashMap<String, Option<Value>>,
}

impl Lookups {
    fn actor_name<H: HttpClient>(&mut self, client: &Client<H>, actor_id: &str) -> Result<Option<String>> {
        if let Some(name) = self.actor_names.get(actor_id) {
            return Ok(name.clone());
        }
        let name =
            actors::by_id(client, actor_id)?.and_then(|a| a.get("name").and_then(Value::as_str).map(String::from));
        self.actor_names.insert(actor_id.to_string(), name.clone());
        Ok(name)
    }

    fn rule<H: HttpClient>(&mut self, client: &Client<H>, rule_id: &str) -> Result<Option<Value>> {
        if let Some(rule) = self.rules.get(rule_id) {
            return Ok(rule.clone());
        }
        let rule = rules::get(client, rule_id)?;
        self.rules.insert(rule_id.to_string(), rule.clone());
        Ok(rule)
    }
}

/// Adds the derived fields to a session (actor and rule lookups go through `lookups`).
pub fn enrich<H: HttpClient>(client: &Client<H>, session: Value, lookups: &mut Lookups) -> Result<Alert> {
    let mut details = match session {
        Value::Object(map) => map,
        other => Map::from_iter([("session".to_string(), other)]),
    };
    let severity = highest_severity(&details);
    let state = latest_state(&details);

    let actor = match details.get("actorId").and_then(Value::as_str) {
        Some(id) => lookups.actor_name(client, id)?,
        None => None,
    };

    let rule_ids: Vec<String> = details
        .get("triggeredAlerts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("ruleId").and_then(Value::as_str).map(String::from))
        .collect();
    let mut rule_names = Vec::new();
    let mut rule_type = None;
    for rule_id in &rule_ids {
        let Some(rule) = lookups.rule(client, rule_id)? else { continue };
        if let Some(name) = rule.get("name").and_then(Value::as_str) {
            rule_names.push(name.to_string());
        }
        if rule_type.is_none() {
            rule_type = ["type", "source"]
                .iter()
                .find_map(|k| rule.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(String::from));
        }
    }

    let begin_iso = details.get("beginTime").and_then(Value::as_i64).and_then(pytime::iso_from_millis);
    let session_id = details.get("sessionId").and_then(Value::as_str).unwrap_or_default().to_string();
    let alert_url = format!("{}/app/#/alerts/review-alerts/{session_id}", client.settings().console);

    details.insert("riskSeverity".into(), json!(severity.name()));
    details.insert("state".into(), state.map_or(Value::Null, Value::String));
    details.insert("actor".into(), actor.map_or(Value::Null, Value::String));
    details.insert("rule_names".into(), json!(rule_names.join(", ")));
    details.insert("beginTimeIso".into(), begin_iso.map_or(Value::Null, Value::String));
    details.insert("alertUrl".into(), json!(alert_url));
    Ok(Alert { details, severity, rule_type })
}

/// The name of the highest `scores[].severity`; no scores means no risk.
fn highest_severity(session: &Map<String, Value>) -> Severity {
    session
        .get("scores")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("severity").and_then(Value::as_i64))
        .max()
        .map_or(Severity::NoRisk, Severity::from_api)
}

/// The `state` of the `states[]` entry with the latest `sourceTimestamp`.
fn latest_state(session: &Map<String, Value>) -> Option<String> {
    session
        .get("states")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .max_by_key(|s| s.get("sourceTimestamp").and_then(Value::as_i64).unwrap_or(i64::MIN))
        .and_then(|s| s.get("state").and_then(Value::as_str))
        .map(String::from)
}

/// The `Code42.SecurityAlert` context object: truthy values only, in the reference's order.
pub fn context(alert: &Alert) -> Value {
    let d = &alert.details;
    let fields = [
        ("Username", d.get("actor").cloned()),
        ("Occurred", d.get("beginTimeIso").cloned()),
        ("Description", d.get("rule_names").cloned()),
        ("ID", d.get("sessionId").cloned()),
        ("Name", d.get("exfiltrationSummary").cloned()),
        ("State", d.get("state").cloned()),
        ("Type", alert.rule_type.clone().map(Value::String)),
        ("Severity", d.get("riskSeverity").cloned()),
    ];
    Value::Object(truthy(fields))
}

/// Keeps the fields whose values Python would call true (code42-reference.md §3.4).
pub fn truthy<'a>(fields: impl IntoIterator<Item = (&'a str, Option<Value>)>) -> Map<String, Value> {
    fields.into_iter().filter_map(|(k, v)| v.filter(is_truthy).map(|v| (k.to_string(), v))).collect()
}

pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The alert table under `title`.
pub fn table(title: &str, contexts: &[Value]) -> String {
    Table { title, headers: Some(ALERT_HEADERS), ..Default::default() }.render(contexts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::*;
    use crate::http::Method;

    #[test]
    fn derives_the_reference_fields() {
        let server = session_server();
        let client = client(&server);
        let alert = enrich(&client, fixture_json("session_response.json"), &mut Lookups::default()).unwrap();
        let d = &alert.details;
        assert_eq!(d["riskSeverity"], "MODERATE");
        assert_eq!(d["state"], "OPEN");
        assert_eq!(d["actor"], "someactor@domain.com");
        assert_eq!(d["rule_names"], "example rule name");
        assert_eq!(d["beginTimeIso"], "2024-09-11T19:26:00.680000+00:00");
        assert_eq!(d["alertUrl"], "https://console.us.code42.com/app/#/alerts/review-alerts/sessionid-abc-1");
        assert_eq!(d["sessionId"], "sessionid-abc-1");
        assert_eq!(alert.rule_type.as_deref(), Some("Alerting"));
    }

    #[test]
    fn the_latest_state_and_highest_score_win() {
        let server = session_server();
        let session = json!({
            "sessionId": "s", "actorId": "someactorid", "beginTime": 0,
            "scores": [{"severity": 1}, {"severity": 4}, {"severity": 2}],
            "states": [{"state": "OPEN", "sourceTimestamp": 5}, {"state": "CLOSED_TP", "sourceTimestamp": 9}, {"state": "OPEN_NEW_DATA", "sourceTimestamp": 7}],
        });
        let alert = enrich(&client(&server), session, &mut Lookups::default()).unwrap();
        assert_eq!(alert.details["riskSeverity"], "CRITICAL");
        assert_eq!(alert.details["state"], "CLOSED_TP");
        assert_eq!(alert.details["beginTimeIso"], "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn a_deleted_rule_is_skipped_and_lookups_are_cached() {
        let server = session_server();
        server.on(Method::Get, "/v2/alert-rules/gone", 404, json!({}));
        let session = json!({"sessionId": "s", "actorId": "someactorid", "triggeredAlerts": [{"ruleId": "gone"}, {"ruleId": "rule-id-abc-123"}]});
        let client = client(&server);
        let mut lookups = Lookups::default();
        let alert = enrich(&client, session.clone(), &mut lookups).unwrap();
        assert_eq!(alert.details["rule_names"], "example rule name");
        enrich(&client, session, &mut lookups).unwrap();
        assert_eq!(server.api_calls().len(), 3, "{:?}", server.api_calls());
    }

    #[test]
    fn context_keeps_truthy_values_in_order() {
        let server = session_server();
        let alert = enrich(&client(&server), fixture_json("session_response.json"), &mut Lookups::default()).unwrap();
        let ctx = context(&alert);
        let keys: Vec<&String> = ctx.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Username", "Occurred", "Description", "ID", "Name", "State", "Type", "Severity"]);
        let mut alert = alert;
        alert.details.insert("exfiltrationSummary".into(), json!(""));
        assert!(context(&alert).get("Name").is_none());
    }
}
