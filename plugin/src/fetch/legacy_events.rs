//! File events converted from the v2 shape to the legacy v1 flat shape, for incidents fetched
//! with `v2_events` off (playbooks written against py42's v1 events read these keys).

use serde_json::{Map, Value};

/// `(v1 key, v2 path)`: the v1 field names of code42-reference.md §9.6 and where v2 keeps them.
const FIELDS: &[(&str, &str)] = &[
    ("eventId", "event.id"),
    ("eventType", "event.action"),
    ("eventTimestamp", "@timestamp"),
    ("insertionTimestamp", "event.inserted"),
    ("createTimestamp", "file.created"),
    ("modifyTimestamp", "file.modified"),
    ("deviceUid", "user.deviceUid"),
    ("userUid", "user.id"),
    ("deviceUserName", "user.email"),
    ("emailFrom", "source.email.sender"),
    ("emailRecipients", "destination.email.recipients"),
    ("emailSubject", "destination.email.subject"),
    ("fileCategory", "file.category"),
    ("fileOwner", "file.owner"),
    ("fileName", "file.name"),
    ("filePath", "file.directory"),
    ("fileSize", "file.sizeInBytes"),
    ("md5Checksum", "file.hash.md5"),
    ("sha256Checksum", "file.hash.sha256"),
    ("osHostName", "source.name"),
    ("privateIpAddresses", "source.privateIp"),
    ("publicIpAddress", "source.ip"),
    ("removableMediaBusType", "destination.removableMedia.busType"),
    ("removableMediaCapacity", "destination.removableMedia.capacity"),
    ("removableMediaMediaName", "destination.removableMedia.mediaName"),
    ("removableMediaName", "destination.removableMedia.name"),
    ("removableMediaSerialNumber", "destination.removableMedia.serialNumber"),
    ("removableMediaVendor", "destination.removableMedia.vendor"),
    ("source", "source.category"),
    ("url", "file.url"),
    ("processName", "process.executable"),
    ("processOwner", "process.owner"),
    ("syncDestination", "destination.name"),
    ("riskScore", "risk.score"),
    ("riskSeverity", "risk.severity"),
];

/// The v1 flat event of a v2 event; absent or null v2 fields are left out.
pub fn to_v1(event: &Value) -> Value {
    let mut flat = Map::new();
    for (v1, path) in FIELDS {
        let value = path.split('.').try_fold(event, |v, key| v.get(key));
        if let Some(value) = value.filter(|v| !v.is_null()) {
            let value = if *v1 == "eventType" { Value::String(event_type(value)) } else { value.clone() };
            flat.insert(v1.to_string(), value);
        }
    }
    let tabs: Vec<&Value> =
        event.pointer("/destination/tabs").and_then(Value::as_array).into_iter().flatten().collect();
    let titles: Vec<Value> = tabs.iter().filter_map(|t| t.get("title").filter(|v| !v.is_null()).cloned()).collect();
    if !titles.is_empty() {
        flat.insert("windowTitle".into(), Value::Array(titles));
    }
    if let Some(url) = tabs.iter().find_map(|t| t.get("url").filter(|v| !v.is_null())) {
        flat.insert("tabUrl".into(), url.clone());
    }
    Value::Object(flat)
}

/// v1 named event types in capitals (`file-created` → `CREATED`, `application-read` →
/// `READ_BY_APP`); other actions keep their name in the same style.
fn event_type(action: &Value) -> String {
    let action = action.as_str().unwrap_or_default();
    match action {
        "file-created" => "CREATED".into(),
        "file-modified" => "MODIFIED".into(),
        "file-deleted" => "DELETED".into(),
        "application-read" => "READ_BY_APP".into(),
        "file-emailed" => "EMAILED".into(),
        other => other.to_ascii_uppercase().replace('-', "_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::fixture_json;

    #[test]
    fn flattens_the_fixture_events() {
        let events = fixture_json("v2_file_event_response.json");
        let first = to_v1(&events["fileEvents"][0]);
        assert_eq!(first["eventId"], "0106499c-89d0-4809-bef8-f647a6059982_EPS");
        assert_eq!(first["eventType"], "FILE_DOWNLOADED");
        assert_eq!(first["eventTimestamp"], "2022-12-09T19:03:11.954000Z");
        assert_eq!(first["fileName"], "New Contacts & Accounts Report-2022-12-09-11-03-08.xlsx");
        assert_eq!(first["deviceUserName"], "jim.harper@example.com");
        assert_eq!(first["osHostName"], "Salesforce");
        assert_eq!(first["riskScore"], 6);
        assert!(first.get("md5Checksum").is_none(), "null fields are left out");
    }
}
