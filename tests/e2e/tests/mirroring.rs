//! Mirroring end to end: the compiled component against the simulator, with Code42 analysts
//! closing sessions and writing notes in the console, and XSOAR's calls on the other side.

use e2e::*;
use host_runner::PluginInstance;
use incydr_sim::{SimConfig, Simulator};
use serde_json::{Value, json};

async fn mirroring_instance(sim: &Simulator, extra: &[(&str, &str)]) -> PluginInstance {
    let mut more = vec![
        text("fetch_time", "30 days"),
        text("fetch_limit", "100"),
        text("mirror_direction", "Incoming And Outgoing"),
        text("mirror_instance", "Code42Wasm_instance_1"),
    ];
    more.extend(extra.iter().map(|(k, v)| text(k, v)));
    runtime().instance(params(sim, more), policy(sim)).await.unwrap()
}

fn open_session(sim: &Simulator) -> String {
    let tenant = sim.tenant();
    tenant.open_alerts().next().unwrap().session_id.clone()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

async fn raw_of(instance: &mut PluginInstance, command: &str, args: &[(&str, &str)]) -> Value {
    raw(&run(instance, command, args).await.unwrap()[0])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_closed_in_code42_is_listed_and_closes_the_incident_only_with_close_incident() {
    let sim = simulator(SimConfig::default()).await;
    let id = open_session(&sim);
    let before = (now_ms() - 1).to_string();
    std::thread::sleep(std::time::Duration::from_millis(5));
    sim.change_state(&id, "CLOSED_TP", "analyst@example.com");

    let mut off = mirroring_instance(&sim, &[]).await;
    let modified = raw_of(&mut off, "get-modified-remote-data", &[("lastUpdate", &before)]).await;
    assert_eq!(modified, json!([id]), "only the session changed since");
    let remote = raw_of(&mut off, "get-remote-data", &[("id", &id), ("lastUpdate", &before)]).await;
    assert_eq!(remote["entries"], json!([]), "close_incident is off");
    assert_eq!(remote["mirrored_object"]["state"], "CLOSED_TP");
    assert_eq!(remote["mirrored_object"]["mirror_instance"], "Code42Wasm_instance_1");

    let mut on = mirroring_instance(&sim, &[("close_incident", "true")]).await;
    let remote = raw_of(&mut on, "get-remote-data", &[("id", &id), ("lastUpdate", &before)]).await;
    assert_eq!(remote["entries"][0]["Contents"]["dbotIncidentClose"], true);
    assert_eq!(remote["entries"][0]["Contents"]["closeReason"], "Resolved");
    // An ISO 8601 lastUpdate after the change: nothing to say.
    let later = chrono::Utc::now().to_rfc3339();
    assert_eq!(raw_of(&mut on, "get-modified-remote-data", &[("lastUpdate", &later)]).await, json!([]));
    assert_eq!(raw_of(&mut on, "get-remote-data", &[("id", &id), ("lastUpdate", &later)]).await["entries"], json!([]));

    let err = run(&mut on, "get-remote-data", &[("id", "no-such-session"), ("lastUpdate", "0")]).await.unwrap_err();
    assert!(matches!(err, host_runner::HostError::Integration(host_runner::bindings::IntegrationError::NotFound(_))));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_note_added_in_code42_comes_back_once() {
    let sim = simulator(SimConfig::default()).await;
    let id = open_session(&sim);
    let mut instance = mirroring_instance(&sim, &[]).await;
    let before = (now_ms() - 1).to_string();
    std::thread::sleep(std::time::Duration::from_millis(5));
    sim.add_note(&id, "The files went to a personal Dropbox", "analyst@example.com");
    let first = raw_of(&mut instance, "get-remote-data", &[("id", &id), ("lastUpdate", &before)]).await;
    let entries = first["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let text = entries[0]["Contents"].as_str().unwrap();
    assert!(
        text.starts_with("The files went to a personal Dropbox\n\n(Code42 note by analyst@example.com at "),
        "{text}"
    );
    let last_update = first["mirrored_object"]["mirror_last_update"].as_str().unwrap().to_string();
    let again = raw_of(&mut instance, "get-remote-data", &[("id", &id), ("lastUpdate", &last_update)]).await;
    assert_eq!(again["entries"], json!([]), "the same note is not mirrored twice");
}

fn notes(sim: &Simulator, id: &str) -> Vec<String> {
    let tenant = sim.tenant();
    let session = tenant.session(id).unwrap();
    session.notes.iter().map(|n| n["content"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn update_remote_system_closes_adds_each_tagged_entry_once_and_reopens() {
    let sim = simulator(SimConfig::default()).await;
    let id = open_session(&sim);
    let mut instance = mirroring_instance(&sim, &[("close_out", "true"), ("comment_tag", "to-code42")]).await;
    let entries = json!([
        {"id": "101", "type": 1, "contents": "Called the user's manager", "tags": ["to-code42"], "user": "ana"},
        {"id": "102", "type": 1, "contents": "internal", "tags": ["comment"], "user": "ana"},
        {"id": "103", "type": 1, "contents": "y".repeat(2500), "tags": ["to-code42"], "user": "ana"},
    ])
    .to_string();
    let delta = json!({"closeReason": "False Positive", "closeNotes": "Approved transfer"}).to_string();
    let close = [
        ("remoteId", id.as_str()),
        ("status", "2"),
        ("incidentChanged", "true"),
        ("delta", &delta),
        ("entries", &entries),
    ];
    for _ in 0..3 {
        assert_eq!(raw_of(&mut instance, "update-remote-system", &close).await, json!(id));
    }
    assert_eq!(sim.tenant().session(&id).unwrap().state(), "CLOSED_FP");
    let written = notes(&sim, &id);
    assert_eq!(written.len(), 4, "entry 101, entry 103 in two parts, the close notes, once each: {written:?}");
    assert_eq!(written[0], "Called the user's manager\n\n(from XSOAR entry 101)");
    assert!(written.iter().all(|n| !n.contains("internal")), "untagged entries stay in XSOAR");
    assert!(written.iter().all(|n| n.chars().count() <= 2000));
    assert_eq!(
        written[3],
        format!("Closed in XSOAR as False Positive: Approved transfer\n\n(from XSOAR close of {id})")
    );
    let state_changes = sim.tenant().session(&id).unwrap().states.len();

    let reopen = json!({"closeReason": "", "closeNotes": ""}).to_string();
    let args = [
        ("remoteId", id.as_str()),
        ("status", "1"),
        ("incidentChanged", "true"),
        ("delta", &reopen),
        ("entries", "[]"),
    ];
    raw_of(&mut instance, "update-remote-system", &args).await;
    assert_eq!(sim.tenant().session(&id).unwrap().state(), "OPEN");
    assert_eq!(sim.tenant().session(&id).unwrap().states.len(), state_changes + 1);
    assert_eq!(notes(&sim, &id).len(), 4, "reopening adds no note");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_close_out_the_session_stays_as_it_is() {
    let sim = simulator(SimConfig::default()).await;
    let id = open_session(&sim);
    let mut instance = mirroring_instance(&sim, &[]).await;
    let delta = json!({"closeReason": "Resolved"}).to_string();
    raw_of(&mut instance, "update-remote-system", &[("remoteId", &id), ("status", "2"), ("delta", &delta)]).await;
    assert_eq!(sim.tenant().session(&id).unwrap().state(), "OPEN");
    assert!(notes(&sim, &id).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn with_mirroring_off_fetch_gives_exactly_what_it_gave_before() {
    let sim = simulator(SimConfig { sessions: 30, ..SimConfig::default() }).await;
    let base = vec![text("fetch_time", "30 days"), text("fetch_limit", "100")];
    let mut plain = runtime().instance(params(&sim, base.clone()), policy(&sim)).await.unwrap();
    let mut none = base.clone();
    none.push(text("mirror_direction", "None"));
    let mut explicit = runtime().instance(params(&sim, none), policy(&sim)).await.unwrap();
    let a = plain.fetch_incidents(None).await.unwrap();
    let b = explicit.fetch_incidents(None).await.unwrap();
    let raws =
        |r: &host_runner::bindings::FetchResult| r.incidents.iter().map(|i| i.raw_json.clone()).collect::<Vec<_>>();
    assert_eq!(raws(&a), raws(&b));
    assert!(!raws(&a)[0].contains("mirror_"));

    let mut mirrored = mirroring_instance(&sim, &[]).await;
    let c = mirrored.fetch_incidents(None).await.unwrap();
    let raw: Value = serde_json::from_str(&c.incidents[0].raw_json).unwrap();
    assert_eq!(raw["mirror_direction"], "Both");
    assert_eq!(raw["mirror_id"], raw["sessionId"]);
    assert_eq!(raw["mirror_instance"], "Code42Wasm_instance_1");
    assert!(raw["mirror_last_update"].as_str().unwrap().ends_with("+00:00"));
}
