//! Incidents as XSOAR's `demisto.incidents()` takes them, and the answer of a fetch:
//! `{"incidents": [...], "last_run": {...}}`.

use serde_json::{Value, json};

/// One incident of a fetch.
#[derive(Debug, Clone, Copy)]
pub struct IncidentParts<'a> {
    pub name: &'a str,
    pub occurred: &'a str,
    pub severity: f32,
    pub incident_type: Option<&'a str>,
    pub raw_json: &'a str,
}

/// `{"name", "occurred", "severity", "type", "rawJSON"}`.
pub fn incident_json(incident: IncidentParts<'_>) -> Value {
    json!({
        "name": incident.name,
        "occurred": incident.occurred,
        "severity": incident.severity,
        "type": incident.incident_type,
        "rawJSON": incident.raw_json,
    })
}

/// `{"incidents": [...], "last_run": {...}}`; fails when the integration's next last-run is not
/// JSON.
pub fn fetch_json<'a>(
    incidents: impl IntoIterator<Item = IncidentParts<'a>>,
    next_run_json: &str,
) -> Result<Value, String> {
    let last_run: Value = serde_json::from_str(next_run_json)
        .map_err(|e| format!("The integration returned a last-run state that is not JSON: {e}"))?;
    let incidents: Vec<Value> = incidents.into_iter().map(incident_json).collect();
    Ok(json!({"incidents": incidents, "last_run": last_run}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fetch_answer_holds_incidents_and_the_parsed_last_run() {
        let incident = IncidentParts {
            name: "Code42 - x",
            occurred: "2024-01-01T00:00:00+00:00",
            severity: 2.0,
            incident_type: None,
            raw_json: "{\"sessionId\": \"s\"}",
        };
        let answer = fetch_json([incident], "{\"version\": 2}").unwrap();
        assert_eq!(
            answer,
            json!({"incidents": [{"name": "Code42 - x", "occurred": "2024-01-01T00:00:00+00:00", "severity": 2.0,
                "type": null, "rawJSON": "{\"sessionId\": \"s\"}"}], "last_run": {"version": 2}})
        );
        assert!(fetch_json([], "nope").unwrap_err().contains("not JSON"));
    }
}
