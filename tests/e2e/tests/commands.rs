//! Every command through the compiled component against the simulator: outputs checked against
//! the simulator's own data, writes read back from its state.

use e2e::*;
use host_runner::bindings::{Arg, Invocation};
use incydr_sim::{SimConfig, Simulator};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn setup() -> (Simulator, host_runner::PluginInstance) {
    let sim = simulator(SimConfig::default()).await;
    let instance = instance(&sim).await;
    (sim, instance)
}

fn list_members(sim: &Simulator, list_type: &str) -> BTreeSet<String> {
    let tenant = sim.tenant();
    let w = tenant.watchlists.iter().find(|w| w.list_type == list_type);
    w.map(|w| w.included.iter().map(|m| m.actor_id.clone()).collect()).unwrap_or_default()
}

/// (username, actor id) of a person on no departing or high-impact list.
fn bystander(sim: &Simulator) -> (String, String) {
    let departing = list_members(sim, "DEPARTING_EMPLOYEE");
    let high = list_members(sim, "HIGH_IMPACT_EMPLOYEE");
    let tenant = sim.tenant();
    let a = tenant
        .actors
        .iter()
        .find(|a| a.parent_actor_id.is_none() && !departing.contains(&a.actor_id) && !high.contains(&a.actor_id))
        .unwrap();
    (a.name.clone(), a.actor_id.clone())
}

fn event_ids(events: &Value) -> BTreeSet<String> {
    events.as_array().unwrap().iter().map(|e| e["event"]["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn file_events_search_finds_the_users_events() {
    let (sim, mut instance) = setup().await;
    let user = sim.tenant().users[3].username.clone();
    let expected: BTreeSet<String> = sim
        .tenant()
        .all_events()
        .filter(|e| e["user"]["email"] == user.as_str())
        .map(|e| e["event"]["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!expected.is_empty());
    let r = one(
        &mut instance,
        "code42-file-events-search",
        &[("username", &user), ("results", "1000"), ("add-to-context", "true")],
    )
    .await;
    assert_eq!(r.outputs_prefix.as_deref(), Some("Code42.FileEvents"));
    assert_eq!(event_ids(&outputs(&r)), expected);
    assert_eq!(r.readable_output.lines().count(), 2 + expected.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn file_events_search_by_hash_and_by_json_query() {
    let (sim, mut instance) = setup().await;
    let (sha, md5) = {
        let tenant = sim.tenant();
        let e = tenant.all_events().next().unwrap().clone();
        (
            e["file"]["hash"]["sha256"].as_str().unwrap().to_string(),
            e["file"]["hash"]["md5"].as_str().unwrap().to_string(),
        )
    };
    for hash in [&sha, &md5] {
        let r = one(&mut instance, "code42-file-events-search", &[("hash", hash), ("add-to-context", "true")]).await;
        let events = outputs(&r);
        assert!(!events.as_array().unwrap().is_empty());
        assert!(events.as_array().unwrap().iter().all(|e| e["file"]["hash"]["sha256"] == sha.as_str()));
    }
    let query = json!({"groupClause": "AND", "groups": [{"filterClause": "OR", "filters": [
        {"term": "file.category", "operator": "IS", "value": "Pdf"},
        {"term": "file.category", "operator": "IS", "value": "Archive"}]}], "srtDir": "desc", "srtKey": "@timestamp"});
    let total = sim
        .tenant()
        .all_events()
        .filter(|e| e["file"]["category"] == "Pdf" || e["file"]["category"] == "Archive")
        .count();
    assert!(total > 7, "the tenant has enough such events");
    let r = one(
        &mut instance,
        "code42-file-events-search",
        &[("json", &query.to_string()), ("results", "7"), ("add-to-context", "true")],
    )
    .await;
    let events = outputs(&r);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 7, "results caps what is returned");
    assert!(events.iter().all(|e| e["file"]["category"] == "Pdf" || e["file"]["category"] == "Archive"));
    let times: Vec<&str> = events.iter().map(|e| e["@timestamp"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "sorted as asked: {times:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn file_events_table_shows_incident_and_context_events() {
    let (sim, mut instance) = setup().await;
    let (incident_events, context_events) = {
        let tenant = sim.tenant();
        let mut lists = tenant.session_events.values().filter(|v| v.len() >= 2);
        (Value::Array(lists.next().unwrap().clone()), Value::Array(lists.next().unwrap().clone()))
    };
    let n = incident_events.as_array().unwrap().len() + context_events.as_array().unwrap().len();
    let incident = json!({"CustomFields": {"code42fileevents": incident_events, "code42fileeventsversion": "2"}});
    let context = json!({"Code42": {"FileEvents": context_events}});
    let invocation = Invocation { incident_json: Some(incident.to_string()), context_json: Some(context.to_string()) };
    let args = [Arg { name: "include".into(), value: "all".into() }];
    let results = instance.execute("code42-file-events-table", &args, &invocation).await.unwrap();
    assert_eq!(results[0].readable_output.lines().count(), 2 + n);
    assert!(results[0].outputs_json.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn departing_employee_commands_keep_the_watchlist_and_profile() {
    let (sim, mut instance) = setup().await;
    let (user, actor_id) = bystander(&sim);
    let r = one(
        &mut instance,
        "code42-departingemployee-add",
        &[("username", &user), ("departuredate", "2031-02-03"), ("note", "Moving on")],
    )
    .await;
    assert_eq!(
        outputs(&r),
        json!({"CaseID": actor_id, "UserID": actor_id, "Username": user, "DepartureDate": "2031-02-03", "Note": "Moving on"})
    );
    assert!(list_members(&sim, "DEPARTING_EMPLOYEE").contains(&actor_id));
    {
        let tenant = sim.tenant();
        let a = tenant.actor_by_id(&actor_id).unwrap();
        assert_eq!((a.end_date.as_deref(), a.notes.as_deref()), (Some("2031-02-03"), Some("Moving on")));
    }
    let r = one(&mut instance, "code42-departingemployee-get", &[("username", &user)]).await;
    assert_eq!(outputs(&r)["DepartureDate"], "2031-02-03");
    let all = one(&mut instance, "code42-departingemployee-get-all", &[("results", "100")]).await;
    let ids: BTreeSet<String> =
        outputs(&all).as_array().unwrap().iter().map(|o| o["UserID"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, list_members(&sim, "DEPARTING_EMPLOYEE"));
    one(&mut instance, "code42-departingemployee-remove", &[("username", &user)]).await;
    assert!(!list_members(&sim, "DEPARTING_EMPLOYEE").contains(&actor_id));
    let err = run(&mut instance, "code42-departingemployee-get", &[("username", &user)]).await.unwrap_err();
    assert!(err.to_string().contains("is not on the Departing Employee list"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn departing_get_all_filters_by_recent_exfiltration() {
    let (sim, mut instance) = setup().await;
    let now = chrono_now_ms();
    let members = list_members(&sim, "DEPARTING_EMPLOYEE");
    let expected: BTreeSet<String> = {
        let tenant = sim.tenant();
        members
            .into_iter()
            .filter(|a| {
                tenant
                    .sessions
                    .iter()
                    .any(|s| &s.actor_id == a && !s.triggered_alerts.is_empty() && s.begin_time >= now - 86_400_000)
            })
            .collect()
    };
    let r = one(
        &mut instance,
        "code42-departingemployee-get-all",
        &[("filtertype", "EXFILTRATION_24_HOURS"), ("results", "100")],
    )
    .await;
    let got: BTreeSet<String> = match outputs(&r) {
        Value::Array(rows) => rows.iter().map(|o| o["UserID"].as_str().unwrap().to_string()).collect(),
        _ => BTreeSet::new(),
    };
    assert_eq!(got, expected);
}

fn chrono_now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

#[tokio::test(flavor = "multi_thread")]
async fn high_risk_and_risk_tag_commands_use_watchlists() {
    let (sim, mut instance) = setup().await;
    let (user, actor_id) = bystander(&sim);
    one(&mut instance, "code42-highriskemployee-add", &[("username", &user), ("note", "Watch closely")]).await;
    assert!(list_members(&sim, "HIGH_IMPACT_EMPLOYEE").contains(&actor_id));
    let r = one(&mut instance, "code42-highriskemployee-get", &[("username", &user)]).await;
    assert_eq!(outputs(&r), json!({"UserID": actor_id, "Username": user, "Note": "Watch closely"}));

    let r = one(
        &mut instance,
        "code42-highriskemployee-add-risk-tags",
        &[("username", &user), ("risktags", "FLIGHT_RISK,CONTRACT_EMPLOYEE")],
    )
    .await;
    assert_eq!(outputs(&r)["RiskTags"], "FLIGHT_RISK,CONTRACT_EMPLOYEE");
    assert!(
        list_members(&sim, "FLIGHT_RISK").contains(&actor_id)
            && list_members(&sim, "CONTRACT_EMPLOYEE").contains(&actor_id)
    );
    let tagged = one(
        &mut instance,
        "code42-highriskemployee-get-all",
        &[("risktags", "FLIGHT_RISK,CONTRACT_EMPLOYEE"), ("results", "100")],
    )
    .await;
    let expected: BTreeSet<String> = list_members(&sim, "HIGH_IMPACT_EMPLOYEE")
        .intersection(&list_members(&sim, "FLIGHT_RISK"))
        .filter(|a| list_members(&sim, "CONTRACT_EMPLOYEE").contains(*a))
        .cloned()
        .collect();
    let got: BTreeSet<String> =
        outputs(&tagged).as_array().unwrap().iter().map(|o| o["UserID"].as_str().unwrap().to_string()).collect();
    assert_eq!(got, expected);
    assert!(got.contains(&actor_id));

    one(&mut instance, "code42-highriskemployee-remove-risk-tags", &[("username", &user), ("risktags", "FLIGHT_RISK")])
        .await;
    assert!(!list_members(&sim, "FLIGHT_RISK").contains(&actor_id));
    one(&mut instance, "code42-highriskemployee-remove", &[("username", &user)]).await;
    assert!(!list_members(&sim, "HIGH_IMPACT_EMPLOYEE").contains(&actor_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_risk_tag_without_a_watchlist_creates_it() {
    let (sim, mut instance) = setup().await;
    sim.tenant().watchlists.retain(|w| w.list_type != "FLIGHT_RISK");
    let (user, actor_id) = bystander(&sim);
    one(&mut instance, "code42-highriskemployee-add-risk-tags", &[("username", &user), ("risktags", "FLIGHT_RISK")])
        .await;
    assert_eq!(list_members(&sim, "FLIGHT_RISK"), BTreeSet::from([actor_id]));
}

#[tokio::test(flavor = "multi_thread")]
async fn user_commands_change_the_users() {
    let (sim, mut instance) = setup().await;
    let org = sim.tenant().orgs[1].name.clone();
    let r = one(
        &mut instance,
        "code42-user-create",
        &[("orgname", &org), ("username", "new.hire@example.com"), ("email", "new.hire@example.com")],
    )
    .await;
    let uid = outputs(&r)["UserID"].as_str().unwrap().to_string();
    assert_eq!(sim.tenant().user_by_id(&uid).unwrap().username, "new.hire@example.com");

    let user = sim.tenant().users[2].clone();
    let r = one(&mut instance, "code42-user-block", &[("username", &user.username)]).await;
    assert_eq!(outputs(&r), json!({"UserID": user.legacy_id}));
    assert!(sim.tenant().user_by_id(&user.user_id).unwrap().blocked);
    one(&mut instance, "code42-user-unblock", &[("username", &user.username)]).await;
    assert!(!sim.tenant().user_by_id(&user.user_id).unwrap().blocked);

    let r = one(&mut instance, "code42-user-deactivate", &[("username", &user.username)]).await;
    assert_eq!(outputs(&r), json!({"UserID": user.user_id}));
    assert!(!sim.tenant().user_by_id(&user.user_id).unwrap().active);
    one(&mut instance, "code42-user-reactivate", &[("username", &user.username)]).await;
    assert!(sim.tenant().user_by_id(&user.user_id).unwrap().active);

    let err =
        run(&mut instance, "code42-user-create", &[("orgname", "No Such Org"), ("username", "x"), ("email", "x")])
            .await
            .unwrap_err();
    assert_eq!(err.to_string(), "No organization found with name No Such Org.");
}

#[tokio::test(flavor = "multi_thread")]
async fn legal_hold_commands_match_the_matter_exactly() {
    let (sim, mut instance) = setup().await;
    let user = sim.tenant().users[9].clone();
    let args = [("username", user.username.as_str()), ("mattername", "Patent Lawsuit")];
    let r = one(&mut instance, "code42-legalhold-add-user", &args).await;
    let matter = sim.tenant().matters.iter().find(|m| m.name == "Patent Lawsuit").unwrap().clone();
    assert_eq!(
        outputs(&r),
        json!({"MatterID": matter.matter_id, "MatterName": "Patent Lawsuit", "UserID": user.user_id, "Username": user.username})
    );
    assert!(matter.custodians.iter().any(|c| c.user_id == user.user_id && c.active));
    let appeal = sim.tenant().matters.iter().find(|m| m.name == "Patent Lawsuit - Appeal").unwrap().clone();
    assert!(
        !appeal.custodians.iter().any(|c| c.user_id == user.user_id),
        "not the matter whose name merely contains it"
    );

    one(&mut instance, "code42-legalhold-remove-user", &args).await;
    let matter = sim.tenant().matters.iter().find(|m| m.name == "Patent Lawsuit").unwrap().clone();
    assert!(!matter.custodians.iter().any(|c| c.user_id == user.user_id && c.active));
    let err = run(&mut instance, "code42-legalhold-remove-user", &args).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("User '{}' is not an active member of legal hold matter 'Patent Lawsuit'", user.username)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads_return_the_tenants_bytes() {
    let (sim, mut instance) = setup().await;
    let (sha, md5, bytes, xfc_id, xfc_bytes) = {
        let tenant = sim.tenant();
        let e = tenant.all_events().next().unwrap().clone();
        let sha = e["file"]["hash"]["sha256"].as_str().unwrap().to_string();
        let (xfc_id, xfc_bytes) = tenant.xfc_files.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap();
        (
            sha.clone(),
            e["file"]["hash"]["md5"].as_str().unwrap().to_string(),
            tenant.files[&sha].clone(),
            xfc_id,
            xfc_bytes,
        )
    };
    for (hash, name) in [(&sha, "by-sha.bin"), (&md5, "by-md5.bin")] {
        let r = one(&mut instance, "code42-download-file", &[("hash", hash), ("filename", name)]).await;
        assert_eq!(r.files.len(), 1);
        assert_eq!(r.files[0].name, name);
        assert_eq!(r.files[0].data, bytes);
    }
    let r = one(&mut instance, "code42-download-file-by-xfc-id", &[("xfc_id", &xfc_id)]).await;
    assert_eq!((r.files[0].name.as_str(), &r.files[0].data), (xfc_id.as_str(), &xfc_bytes));
    let err = run(&mut instance, "code42-download-file", &[("hash", &"0".repeat(64))]).await.unwrap_err();
    assert!(err.to_string().starts_with("404"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn watchlist_commands_match_the_tenant() {
    let (sim, mut instance) = setup().await;
    let r = one(&mut instance, "code42-watchlists-list", &[]).await;
    let rows = outputs(&r);
    {
        let tenant = sim.tenant();
        assert_eq!(rows.as_array().unwrap().len(), tenant.watchlists.len());
        for w in &tenant.watchlists {
            let row = rows.as_array().unwrap().iter().find(|r| r["WatchlistID"] == w.watchlist_id.as_str()).unwrap();
            assert_eq!(row["WatchlistType"], w.list_type.as_str());
            assert_eq!(row["IncludedUsersCount"], w.included.len());
            assert_eq!(row["ListType"], w.list_type.as_str());
        }
    }
    let (user, actor_id) = bystander(&sim);
    let r =
        one(&mut instance, "code42-watchlists-add-user", &[("username", &user), ("watchlist", "NEW_EMPLOYEE")]).await;
    assert_eq!(outputs(&r), json!({"Watchlist": "NEW_EMPLOYEE", "Username": user, "Success": true}));
    assert!(list_members(&sim, "NEW_EMPLOYEE").contains(&actor_id));

    let custom_id = sim.tenant().watchlists.iter().find(|w| w.list_type == "CUSTOM").unwrap().watchlist_id.clone();
    one(&mut instance, "code42-watchlists-add-user", &[("username", &user), ("watchlist", "Contractors Q3")]).await;
    let r = one(&mut instance, "code42-watchlists-list-included-users", &[("watchlist", &custom_id)]).await;
    let names: Vec<Value> = outputs(&r).as_array().unwrap().iter().map(|o| o["Username"].clone()).collect();
    assert!(names.contains(&json!(user)));
    assert!(outputs(&r).as_array().unwrap().iter().all(|o| o["WatchlistID"] == custom_id.as_str()));

    one(&mut instance, "code42-watchlists-remove-user", &[("username", &user), ("watchlist", &custom_id)]).await;
    let custom: BTreeSet<String> = {
        let tenant = sim.tenant();
        tenant
            .watchlists
            .iter()
            .find(|w| w.watchlist_id == custom_id)
            .unwrap()
            .included
            .iter()
            .map(|m| m.actor_id.clone())
            .collect()
    };
    assert!(!custom.contains(&actor_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn risk_profile_commands_read_and_write_the_actor() {
    let (sim, mut instance) = setup().await;
    let (user, actor_id) = bystander(&sim);
    let start = sim.tenant().actor_by_id(&actor_id).unwrap().start_date.clone();
    let r = one(&mut instance, "code42-get-user-risk-profile", &[("username", &user)]).await;
    assert_eq!(outputs(&r)["StartDate"], json!(start));
    assert_eq!(outputs(&r)["Username"], user.as_str());

    let r = one(
        &mut instance,
        "code42-user-update-risk-profile",
        &[("username", &user), ("end_date", "2030-12-31"), ("notes", "Reviewed"), ("start_date", "")],
    )
    .await;
    assert_eq!(
        outputs(&r),
        json!({"EndDate": "2030-12-31", "Notes": "Reviewed", "StartDate": null, "Success": true, "Username": user})
    );
    let tenant = sim.tenant();
    let a = tenant.actor_by_id(&actor_id).unwrap();
    assert_eq!(
        (a.end_date.as_deref(), a.notes.as_deref(), a.start_date.as_deref()),
        (Some("2030-12-31"), Some("Reviewed"), None)
    );
}
