//! Alert sessions turned into what commands and incidents show (code42-reference.md §4): the
//! derived fields, the `Code42.SecurityAlert` context and its table.

use crate::api::{Call, Client, actors, decode, found, rules};
use crate::error::Result;
use crate::http::{HttpClient, Response};
use crate::markdown::Table;
use crate::params::Settings;
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

/// Actor names and rules already looked up, so each id costs one request per run. Sessions
/// carry `actorName`, and their triggered alerts `ruleName` (since mid-2026): an actor or rule
/// is looked up only when its name is missing (an older tenant, a deleted rule).
#[derive(Default)]
pub struct Lookups {
    actor_names: HashMap<String, Option<String>>,
    rules: HashMap<String, Option<Value>>,
}

fn actor_id(session: &Map<String, Value>) -> Option<&str> {
    session.get("actorId").and_then(Value::as_str)
}

/// A name the API sent, when it sent one.
fn named<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str).filter(|name| !name.trim().is_empty())
}

/// The session's triggered alerts: each one's rule id and the rule's name when the API sent it.
fn triggered(session: &Map<String, Value>) -> impl Iterator<Item = (&str, Option<&str>)> {
    session
        .get("triggeredAlerts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter_map(|t| Some((t.get("ruleId").and_then(Value::as_str)?, named(t, "ruleName"))))
}

impl Lookups {
    /// Reads, in one batch together with `extra`, the actors and rules of `sessions` not known
    /// yet, and returns the answers to `extra` in order.
    pub fn load<H: HttpClient>(
        &mut self,
        client: &Client<H>,
        sessions: &[Value],
        extra: Vec<Call<'static>>,
    ) -> Result<Vec<Result<Response>>> {
        let mut actor_ids: Vec<&str> = Vec::new();
        let mut rule_ids_wanted: Vec<&str> = Vec::new();
        for session in sessions.iter().filter_map(Value::as_object) {
            let unnamed_actor = actor_id(session).filter(|_| named(session, "actorName").is_none());
            if let Some(id) = unnamed_actor.filter(|id| !self.actor_names.contains_key(*id)) {
                if !actor_ids.contains(&id) {
                    actor_ids.push(id);
                }
            }
            let unnamed_rules = triggered(session).filter(|(_, name)| name.is_none()).map(|(id, _)| id);
            for id in unnamed_rules.filter(|id| !self.rules.contains_key(*id)) {
                if !rule_ids_wanted.contains(&id) {
                    rule_ids_wanted.push(id);
                }
            }
        }
        let calls: Vec<Call> = actor_ids
            .iter()
            .map(|id| actors::by_id_call(id))
            .chain(rule_ids_wanted.iter().map(|id| rules::get_call(id)))
            .chain(extra)
            .collect();
        let mut answers = client.send_all(&calls).into_iter().zip(&calls);
        let mut json = || {
            let (answer, call) = answers.next().expect("one answer per call");
            answer.and_then(|response| decode::<Value>(&call.path, &response))
        };
        for id in actor_ids {
            let actor = found(json())?;
            let name = actor.and_then(|a| a.get("name").and_then(Value::as_str).map(String::from));
            self.actor_names.insert(id.to_string(), name);
        }
        for id in rule_ids_wanted {
            let rule = rules::answer(json())?;
            self.rules.insert(id.to_string(), rule);
        }
        Ok(answers.map(|(answer, _)| answer).collect())
    }
}

/// One session with its actor and rules looked up.
pub fn enrich_one<H: HttpClient>(client: &Client<H>, session: Value) -> Result<Alert> {
    Ok(enrich_all(client, vec![session])?.remove(0))
}

/// Sessions with their actors and rules looked up, in one batch.
pub fn enrich_all<H: HttpClient>(client: &Client<H>, sessions: Vec<Value>) -> Result<Vec<Alert>> {
    let mut lookups = Lookups::default();
    lookups.load(client, &sessions, vec![])?;
    Ok(sessions.into_iter().map(|session| enrich(client.settings(), session, &lookups)).collect())
}

/// Adds the derived fields to a session whose actor and rules `lookups` has loaded.
pub fn enrich(settings: &Settings, session: Value, lookups: &Lookups) -> Alert {
    let mut details = match session {
        Value::Object(map) => map,
        other => Map::from_iter([("session".to_string(), other)]),
    };
    let severity = highest_severity(&details);
    let state = latest_state(&details);
    let actor = named(&details, "actorName")
        .map(String::from)
        .or_else(|| actor_id(&details).and_then(|id| lookups.actor_names.get(id).cloned().flatten()));
    let mut rule_names = Vec::new();
    // The session's own type when it has one, else the type (or source) of a looked-up rule.
    let mut rule_type = named(&details, "type").map(String::from);
    for (id, sent_name) in triggered(&details) {
        let rule = lookups.rules.get(id).and_then(Option::as_ref);
        if let Some(name) = sent_name.or_else(|| rule?.get("name")?.as_str()) {
            rule_names.push(name.to_string());
        }
        if rule_type.is_none() {
            rule_type = rule.and_then(|rule| {
                ["type", "source"]
                    .iter()
                    .find_map(|k| rule.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(String::from))
            });
        }
    }

    let begin_iso = details.get("beginTime").and_then(Value::as_i64).and_then(pytime::iso_from_millis);
    let session_id = details.get("sessionId").and_then(Value::as_str).unwrap_or_default().to_string();
    let alert_url = format!("{}/app/#/alerts/review-alerts/{session_id}", settings.console);

    details.insert("riskSeverity".into(), json!(severity.name()));
    details.insert("state".into(), state.map_or(Value::Null, Value::String));
    details.insert("actor".into(), actor.map_or(Value::Null, Value::String));
    details.insert("rule_names".into(), json!(rule_names.join(", ")));
    details.insert("beginTimeIso".into(), begin_iso.map_or(Value::Null, Value::String));
    details.insert("alertUrl".into(), json!(alert_url));
    Alert { details, severity, rule_type }
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
        let alert = enrich_one(&client, fixture_json("session_response.json")).unwrap();
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
        let alert = enrich_one(&client(&server), session).unwrap();
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
        let sessions = [session.clone(), session.clone()];
        lookups.load(&client, &sessions, vec![]).unwrap();
        let alert = enrich(client.settings(), session.clone(), &lookups);
        assert_eq!(alert.details["rule_names"], "example rule name");
        lookups.load(&client, &sessions, vec![]).unwrap();
        assert_eq!(server.api_calls().len(), 3, "{:?}", server.api_calls());
    }

    #[test]
    fn names_the_api_sends_need_no_lookup() {
        let server = session_server();
        let session = json!({"sessionId": "s", "actorId": "someactorid", "actorName": "sent@example.com", "type": "Exfiltration",
            "triggeredAlerts": [{"ruleId": "rule-id-abc-123", "ruleName": "Sent rule"}, {"ruleId": "gone", "ruleName": "Deleted rule"}]});
        let alert = enrich_one(&client(&server), session).unwrap();
        assert_eq!(alert.details["actor"], "sent@example.com");
        assert_eq!(alert.details["rule_names"], "Sent rule, Deleted rule");
        assert_eq!(alert.rule_type.as_deref(), Some("Exfiltration"));
        assert_eq!(server.api_calls(), Vec::<String>::new(), "nothing is looked up");
        // A name missing on one triggered alert costs exactly that rule's lookup.
        let session = json!({"sessionId": "s", "actorId": "someactorid", "actorName": "sent@example.com",
            "triggeredAlerts": [{"ruleId": "rule-id-abc-123"}, {"ruleId": "other", "ruleName": "Sent rule"}]});
        let alert = enrich_one(&client(&server), session).unwrap();
        assert_eq!(alert.details["rule_names"], "example rule name, Sent rule");
        assert_eq!(alert.rule_type.as_deref(), Some("Alerting"));
        assert_eq!(server.api_calls().len(), 1, "{:?}", server.api_calls());
    }

    #[test]
    fn context_keeps_truthy_values_in_order() {
        let server = session_server();
        let alert = enrich_one(&client(&server), fixture_json("session_response.json")).unwrap();
        let ctx = context(&alert);
        let keys: Vec<&String> = ctx.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Username", "Occurred", "Description", "ID", "Name", "State", "Type", "Severity"]);
        let mut alert = alert;
        alert.details.insert("exfiltrationSummary".into(), json!(""));
        assert!(context(&alert).get("Name").is_none());
    }
}
