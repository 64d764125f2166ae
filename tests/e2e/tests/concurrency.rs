//! Many instances at once from one runtime (one `InstancePre`), against one simulator.

use e2e::*;
use incydr_sim::SimConfig;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread")]
async fn sixty_four_concurrent_commands_all_get_their_own_answer() {
    let sim = simulator(SimConfig { sessions: 200, ..SimConfig::default() }).await;
    let expected: BTreeMap<String, String> = {
        let tenant = sim.tenant();
        tenant
            .sessions
            .iter()
            .filter(|s| !s.triggered_alerts.is_empty())
            .take(64)
            .map(|s| (s.session_id.clone(), tenant.actor_by_id(&s.actor_id).unwrap().name.clone()))
            .collect()
    };
    assert_eq!(expected.len(), 64);
    let runtime = runtime();
    let tasks: Vec<_> = expected
        .keys()
        .cloned()
        .map(|id| {
            let (runtime, params, policy) = (runtime.clone(), params(&sim, vec![]), policy(&sim));
            tokio::spawn(async move {
                let mut instance = runtime.instance(params, policy).await.unwrap();
                let results = run(&mut instance, "code42-alert-get", &[("id", &id)]).await.unwrap();
                (id, outputs(&results[0])[0].clone())
            })
        })
        .collect();
    for task in tasks {
        let (id, context) = task.await.unwrap();
        assert_eq!(context["ID"], id.as_str());
        assert_eq!(context["Username"], expected[&id].as_str());
    }
    assert_eq!(sim.requests().iter().filter(|r| r.path == "/v1/oauth").count(), 64, "one token per instance");
}
