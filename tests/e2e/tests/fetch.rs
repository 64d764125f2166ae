//! fetch-incidents end to end: every open alert session becomes exactly one incident, across
//! runs, late observations and faults.

use e2e::*;
use host_runner::PluginInstance;
use incydr_sim::faults::Fault;
use incydr_sim::tenant::SessionSpec;
use incydr_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Open alert sessions of the tenant: what fetch must turn into incidents.
fn expected(sim: &Simulator) -> BTreeSet<String> {
    let tenant = sim.tenant();
    tenant
        .sessions
        .iter()
        .filter(|s| !s.triggered_alerts.is_empty() && matches!(s.state(), "OPEN" | "OPEN_NEW_DATA"))
        .map(|s| s.session_id.clone())
        .collect()
}

async fn fetch_instance(sim: &Simulator, limit: i64) -> PluginInstance {
    let extra = vec![text("fetch_time", "30 days"), text("fetch_limit", &limit.to_string())];
    runtime().instance(params(sim, extra), policy(sim)).await.unwrap()
}

/// One run: the session ids of its incidents; the state moves on only when the run succeeds.
async fn fetch_once(instance: &mut PluginInstance, state: &mut Option<String>) -> Result<Vec<String>, String> {
    let result = instance.fetch_incidents(state.as_deref()).await.map_err(|e| e.to_string())?;
    *state = Some(result.next_run_json.clone());
    Ok(result
        .incidents
        .iter()
        .map(|i| serde_json::from_str::<Value>(&i.raw_json).unwrap()["sessionId"].as_str().unwrap().to_string())
        .collect())
}

/// Runs until a run emits nothing and leaves nothing pending; counts emissions per session.
async fn drain(
    instance: &mut PluginInstance,
    state: &mut Option<String>,
    counts: &mut BTreeMap<String, usize>,
) -> usize {
    for runs in 1..200 {
        let ids = fetch_once(instance, state).await.unwrap();
        let pending =
            serde_json::from_str::<Value>(state.as_deref().unwrap()).unwrap()["pending"].as_array().unwrap().len();
        if ids.is_empty() && pending == 0 {
            return runs;
        }
        for id in ids {
            *counts.entry(id).or_default() += 1;
        }
    }
    panic!("fetch did not drain");
}

fn assert_exactly_once(counts: &BTreeMap<String, usize>, expected: &BTreeSet<String>) {
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "emitted more than once: {twice:?}");
    let got: BTreeSet<String> = counts.keys().cloned().collect();
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, unexpected {extra:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_sessions_drain_over_runs_exactly_once() {
    let sim = simulator(SimConfig { sessions: 1000, ..SimConfig::default() }).await;
    let expected = expected(&sim);
    assert!(expected.len() > 800, "{}", expected.len());
    let mut instance = fetch_instance(&sim, 50).await;
    let (mut state, mut counts) = (None, BTreeMap::new());
    let runs = drain(&mut instance, &mut state, &mut counts).await;
    assert_exactly_once(&counts, &expected);
    assert_eq!(runs, expected.len().div_ceil(50) + 1, "50 per run, then one empty run");
    let state: Value = serde_json::from_str(state.as_deref().unwrap()).unwrap();
    assert!(state.to_string().len() < 4096, "the state stays small once drained: {state}");
}

#[tokio::test(flavor = "multi_thread")]
async fn late_sessions_at_and_behind_the_watermark_are_picked_up_once() {
    let sim = simulator(SimConfig { sessions: 40, ..SimConfig::default() }).await;
    let mut instance = fetch_instance(&sim, 100).await;
    let (mut state, mut counts) = (None, BTreeMap::new());
    drain(&mut instance, &mut state, &mut counts).await;
    let watermark = serde_json::from_str::<Value>(state.as_deref().unwrap()).unwrap()["last_fetch"].as_i64().unwrap();

    // Observed at exactly the watermark's millisecond, but not among the ids stored with it.
    let same_ms = sim.add_session(SessionSpec {
        begin_time: watermark - 60_000,
        first_observed: watermark,
        state: Some("OPEN".into()),
        ..Default::default()
    });
    // Began hours before the watermark, observed after it: a query on beginTime from the
    // watermark would miss it; the look-back finds it.
    let late = sim.add_session(SessionSpec {
        begin_time: watermark - 5 * 3_600_000,
        first_observed: watermark + 1_000,
        state: Some("OPEN".into()),
        ..Default::default()
    });
    let mut more = BTreeMap::new();
    drain(&mut instance, &mut state, &mut more).await;
    assert_eq!(more, BTreeMap::from([(same_ms.clone(), 1), (late.clone(), 1)]));
    counts.extend(more);
    assert_exactly_once(&counts, &expected(&sim));
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_mid_run_fail_cleanly_and_nothing_is_lost_or_repeated() {
    let sim = simulator(SimConfig { sessions: 300, ..SimConfig::default() }).await;
    let expected = expected(&sim);
    let mut instance = fetch_instance(&sim, 40).await;
    let (mut state, mut counts) = (None, BTreeMap::new());
    let mut failures = 0;
    let faults: [(&str, Fault); 6] = [
        ("/v1/sessions", Fault::status(500)),
        ("/v1/actors", Fault::Drop),
        ("/v2/alert-rules", Fault::Malformed),
        ("/v1/sessions", Fault::Status { status: 503, retry_after: Some(0) }),
        ("/v1/sessions/", Fault::Drop),
        ("/v1/sessions", Fault::Malformed),
    ];
    for (round, (path, fault)) in faults.into_iter().enumerate() {
        sim.inject(path, fault, 1);
        if round % 2 == 1 {
            sim.expire_tokens();
        }
        for _ in 0..2 {
            let before = state.clone();
            match fetch_once(&mut instance, &mut state).await {
                Ok(ids) => ids.into_iter().for_each(|id| *counts.entry(id).or_default() += 1),
                Err(e) => {
                    failures += 1;
                    assert_eq!(state, before, "a failed run leaves the state as it was");
                    assert!(!e.contains(sim.client_secret()), "{e}");
                }
            }
        }
    }
    // The 500 and the malformed listing fail their runs; the 503 and the broken connections of
    // reads are retried, and a malformed rule reads as a deleted one.
    assert!(failures >= 2, "the faults were hit ({failures} failed runs)");
    drain(&mut instance, &mut state, &mut counts).await;
    assert_exactly_once(&counts, &expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn include_files_attaches_the_sessions_events() {
    let sim = simulator(SimConfig { sessions: 30, ..SimConfig::default() }).await;
    for (v2, version) in [("true", "2"), ("false", "1")] {
        let extra = vec![
            text("fetch_time", "30 days"),
            text("fetch_limit", "100"),
            text("include_files", "true"),
            text("v2_events", v2),
        ];
        let mut instance = runtime().instance(params(&sim, extra), policy(&sim)).await.unwrap();
        let result = instance.fetch_incidents(None).await.unwrap();
        assert!(!result.incidents.is_empty());
        for incident in &result.incidents {
            let raw: Value = serde_json::from_str(&incident.raw_json).unwrap();
            let id = raw["sessionId"].as_str().unwrap();
            let events = sim.tenant().session_events[id].clone();
            assert_eq!(raw["fileevents_version"], version);
            assert_eq!(raw["fileevents"].as_array().unwrap().len(), events.len());
            let first_id =
                if v2 == "true" { &raw["fileevents"][0]["event"]["id"] } else { &raw["fileevents"][0]["eventId"] };
            assert_eq!(first_id, &events[0]["event"]["id"]);
            assert!(raw["exfiltrationSummary"].as_str().unwrap().starts_with(&format!("{} ", events.len())));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn severities_filter_and_set_the_incident_severity() {
    let sim = simulator(SimConfig { sessions: 200, ..SimConfig::default() }).await;
    let extra = vec![text("fetch_time", "30 days"), text("fetch_limit", "1000")];
    let mut params = params(&sim, extra);
    params.push(host_runner::bindings::Param {
        name: "alert_severity".into(),
        value: host_runner::bindings::ParamValue::Multi(vec!["High".into(), "Critical".into()]),
    });
    let mut instance = runtime().instance(params, policy(&sim)).await.unwrap();
    let result = instance.fetch_incidents(None).await.unwrap();
    let open = expected(&sim);
    let want: BTreeSet<String> = {
        let tenant = sim.tenant();
        tenant
            .sessions
            .iter()
            .filter(|s| open.contains(&s.session_id) && s.severity() >= 3)
            .map(|s| s.session_id.clone())
            .collect()
    };
    let got: BTreeSet<String> = result
        .incidents
        .iter()
        .map(|i| serde_json::from_str::<Value>(&i.raw_json).unwrap()["sessionId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
    for incident in &result.incidents {
        let raw: Value = serde_json::from_str(&incident.raw_json).unwrap();
        let severity = sim.tenant().session(raw["sessionId"].as_str().unwrap()).unwrap().severity();
        assert_eq!(incident.severity, severity as f32);
    }
}
