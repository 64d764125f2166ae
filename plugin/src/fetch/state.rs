//! The last-run state of fetch-incidents: small, versioned JSON.

use crate::error::{Error, Result, json_problem};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const VERSION: u32 = 1;

/// What one fetch hands to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchState {
    pub version: u32,
    /// Watermark: `firstObserved` (epoch ms) of the newest session already handled (emitted or
    /// pending), or the start of the first window when nothing was found yet.
    pub last_fetch: Option<i64>,
    /// Ids of handled sessions whose `firstObserved` equals the watermark.
    pub incidents_at_last_fetch_timestamp: Vec<String>,
    /// Sessions found but not yet emitted because of `fetch_limit`, oldest first.
    #[serde(default)]
    pub pending: Vec<String>,
}

impl FetchState {
    /// Reads the state a previous run returned. The reference's unversioned shape (watermark in
    /// ms, or in seconds from its older generations) is migrated; anything else is an error, so a
    /// state is never silently reset.
    pub fn parse(text: Option<&str>) -> Result<Self> {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return Ok(FetchState { version: VERSION, ..Default::default() });
        };
        let bad = |why: String| Error::invalid_arg("last_run", format!("The fetch state cannot be used: {why}"));
        let value: Value = serde_json::from_str(text).map_err(|e| bad(json_problem(&e)))?;
        let Value::Object(map) = &value else { return Err(bad("it is not a JSON object".into())) };
        match map.get("version") {
            Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {
                serde_json::from_value(value).map_err(|e| bad(json_problem(&e)))
            }
            Some(v) => Err(bad(format!("version {v} is not supported (this plugin reads version {VERSION})"))),
            None => Self::migrate_reference(map)
                .ok_or_else(|| bad("it is neither a versioned state nor the reference's".into())),
        }
    }

    /// The reference stores `last_fetch` (ms in Gen C, seconds in Gen A/B, possibly null) and
    /// `incidents_at_last_fetch_timestamp`.
    fn migrate_reference(map: &serde_json::Map<String, Value>) -> Option<Self> {
        if map.keys().any(|k| k != "last_fetch" && k != "incidents_at_last_fetch_timestamp") {
            return None;
        }
        let last_fetch = match map.get("last_fetch") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let n = v.as_f64().or_else(|| v.as_str()?.parse().ok())?;
                // Below 10^11 the value can only be seconds (10^11 ms is 1973).
                Some(if n < 1e11 { (n * 1000.0) as i64 } else { n as i64 })
            }
        };
        let ids = match map.get("incidents_at_last_fetch_timestamp") {
            None | Some(Value::Null) => vec![],
            Some(v) => serde_json::from_value(v.clone()).ok()?,
        };
        Some(FetchState { version: VERSION, last_fetch, incidents_at_last_fetch_timestamp: ids, pending: vec![] })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the state always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_state_starts_fresh() {
        assert_eq!(FetchState::parse(None).unwrap(), FetchState { version: 1, ..Default::default() });
        assert_eq!(FetchState::parse(Some(" ")).unwrap().last_fetch, None);
    }

    #[test]
    fn round_trips() {
        let s = FetchState {
            version: 1,
            last_fetch: Some(5),
            incidents_at_last_fetch_timestamp: vec!["a".into()],
            pending: vec!["b".into()],
        };
        assert_eq!(FetchState::parse(Some(&s.to_json())).unwrap(), s);
    }

    #[test]
    fn migrates_the_reference_shapes() {
        let s = FetchState::parse(Some(r#"{"last_fetch": 1726083300018, "incidents_at_last_fetch_timestamp": ["x"]}"#))
            .unwrap();
        assert_eq!(s.last_fetch, Some(1726083300018));
        assert_eq!(s.incidents_at_last_fetch_timestamp, ["x"]);
        let s = FetchState::parse(Some(r#"{"last_fetch": 1577836800.5}"#)).unwrap();
        assert_eq!(s.last_fetch, Some(1577836800500));
        let s = FetchState::parse(Some(r#"{"last_fetch": null}"#)).unwrap();
        assert_eq!(s.last_fetch, None);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in ["[1]", "nope", r#"{"version": 2}"#, r#"{"version": 1, "last_fetch": "x"}"#, r#"{"cursor": 3}"#] {
            let err = FetchState::parse(Some(bad)).unwrap_err();
            assert!(err.to_string().starts_with("The fetch state cannot be used"), "{bad}: {err}");
        }
    }
}
