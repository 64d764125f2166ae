//! The commands beyond the reference integration (issue 15), through the compiled component
//! against the simulator: outputs checked against its data, writes read back from its state.

use e2e::*;
use incydr_sim::faults::Fault;
use incydr_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::collections::BTreeSet;

async fn setup(sessions: usize) -> (Simulator, host_runner::PluginInstance) {
    let sim = simulator(SimConfig { sessions, ..SimConfig::default() }).await;
    let instance = instance(&sim).await;
    (sim, instance)
}

fn ids(outputs: &Value, key: &str) -> BTreeSet<String> {
    outputs.as_array().unwrap().iter().map(|o| o[key].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_search_finds_the_users_sessions_of_the_given_severities() {
    let (sim, mut instance) = setup(200).await;
    let (actor_id, username) = {
        let tenant = sim.tenant();
        let s = tenant.sessions.iter().find(|s| !s.triggered_alerts.is_empty()).unwrap();
        (s.actor_id.clone(), tenant.actor_by_id(&s.actor_id).unwrap().name.clone())
    };
    let want: BTreeSet<String> = sim
        .tenant()
        .sessions
        .iter()
        .filter(|s| s.actor_id == actor_id && !s.triggered_alerts.is_empty() && s.severity() >= 2)
        .map(|s| s.session_id.clone())
        .collect();
    assert!(!want.is_empty());
    let args = [("username", username.as_str()), ("severity", "moderate,HIGH,Critical"), ("limit", "500")];
    let r = one(&mut instance, "code42-alert-search", &args).await;
    let found = outputs(&r);
    assert_eq!(ids(&found, "ID"), want);
    assert!(found.as_array().unwrap().iter().all(|a| a["Username"] == username.as_str()), "{found}");
    assert!(!r.readable_output.contains("Showing"), "everything was shown");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_search_pages_to_the_limit_and_says_more_exist() {
    let (sim, mut instance) = setup(260).await;
    let with_alerts = sim.tenant().sessions.iter().filter(|s| !s.triggered_alerts.is_empty()).count();
    assert!(with_alerts > 120, "{with_alerts}");
    sim.clear_requests();
    let r = one(&mut instance, "code42-alert-search", &[("start_time", "60 days"), ("limit", "120")]).await;
    assert_eq!(outputs(&r).as_array().unwrap().len(), 120);
    assert!(r.readable_output.contains(&format!("Showing 120 of {with_alerts}")), "{}", r.readable_output);
    let pages: Vec<String> = sim
        .requests()
        .iter()
        .filter(|q| q.path == "/v1/sessions")
        .map(|q| q.query.clone().unwrap_or_default())
        .collect();
    assert_eq!(pages.len(), 3, "50 + 50 + 20: {pages:?}");
    assert!(pages.iter().all(|q| q.contains("has_alerts=true") && q.contains("on_or_after=")), "{pages:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_search_by_watchlist_type_keeps_the_sessions_of_its_actors() {
    let (sim, mut instance) = setup(200).await;
    let want: BTreeSet<String> = {
        let tenant = sim.tenant();
        let members: Vec<&str> = tenant
            .watchlists
            .iter()
            .find(|w| w.list_type == "DEPARTING_EMPLOYEE")
            .unwrap()
            .included
            .iter()
            .map(|m| m.actor_id.as_str())
            .collect();
        tenant
            .sessions
            .iter()
            .filter(|s| members.contains(&s.actor_id.as_str()) && !s.triggered_alerts.is_empty())
            .map(|s| s.session_id.clone())
            .collect()
    };
    assert!(!want.is_empty());
    let r = one(&mut instance, "code42-alert-search", &[("watchlist", "DEPARTING_EMPLOYEE"), ("limit", "500")]).await;
    assert_eq!(ids(&outputs(&r), "ID"), want);
    let err = run(&mut instance, "code42-alert-search", &[("watchlist", "NO_SUCH_LIST")]).await.unwrap_err();
    assert!(err.to_string().contains("NO_SUCH_LIST"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_update_sets_the_state_of_several_alerts() {
    let (sim, mut instance) = setup(40).await;
    let chosen: Vec<String> = sim.tenant().open_alerts().take(3).map(|s| s.session_id.clone()).collect();
    let list = format!("{},missing-session", chosen.join(","));
    let results = run(&mut instance, "code42-alert-update", &[("id", &list), ("state", "CLOSED_FP")]).await.unwrap();
    assert_eq!(results.len(), 4);
    for (id, result) in chosen.iter().zip(&results) {
        assert_eq!(outputs(result)[0]["ID"], id.as_str());
        assert_eq!(sim.tenant().session(id).unwrap().state(), "CLOSED_FP");
    }
    assert_eq!(results[3].readable_output, "No results found");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_add_note_writes_once_and_is_not_retried_after_a_500() {
    let (sim, mut instance) = setup(40).await;
    let id = sim.tenant().open_alerts().next().unwrap().session_id.clone();
    let notes = |sim: &Simulator| sim.tenant().session(&id).unwrap().notes.len();
    let before = notes(&sim);
    let r = one(&mut instance, "code42-alert-add-note", &[("id", &id), ("note", "Checked with the user")]).await;
    assert_eq!(r.readable_output, format!("Note added to alert {id}."));
    assert_eq!(notes(&sim), before + 1);
    assert_eq!(sim.tenant().session(&id).unwrap().notes.last().unwrap()["content"], "Checked with the user");

    sim.clear_requests();
    sim.inject(&format!("/v1/sessions/{id}/add-note"), Fault::status(500), 1);
    let err = run(&mut instance, "code42-alert-add-note", &[("id", &id), ("note", "again")]).await.unwrap_err();
    assert!(err.to_string().contains("500"), "{err}");
    let posts = sim.requests().iter().filter(|q| q.path.ends_with("/add-note")).count();
    assert_eq!(posts, 1, "a note is not sent twice");

    let err = run(&mut instance, "code42-alert-add-note", &[("id", "nope"), ("note", "x")]).await.unwrap_err();
    assert_eq!(err.to_string(), "No alert found with ID nope.");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_file_events_are_the_sessions_events() {
    let (sim, mut instance) = setup(40).await;
    let (id, events) = {
        let tenant = sim.tenant();
        let (id, events) = tenant.session_events.iter().find(|(_, e)| e.len() >= 2).unwrap();
        (id.clone(), events.clone())
    };
    let r = one(&mut instance, "code42-alert-file-events", &[("id", &id)]).await;
    assert_eq!(outputs(&r), Value::Array(events.clone()));
    let r = one(&mut instance, "code42-alert-file-events", &[("id", &id), ("limit", "1")]).await;
    assert_eq!(outputs(&r), Value::Array(events[..1].to_vec()));
    assert!(r.readable_output.contains(&format!("Showing 1 of {}", events.len())), "{}", r.readable_output);
}

#[tokio::test(flavor = "multi_thread")]
async fn watchlists_are_created_and_deleted() {
    let (sim, mut instance) = setup(10).await;
    let err = run(&mut instance, "code42-watchlist-create", &[("type", "CUSTOM")]).await.unwrap_err();
    assert!(err.to_string().contains("title"), "{err}");
    let long = "t".repeat(51);
    let err = run(&mut instance, "code42-watchlist-create", &[("type", "CUSTOM"), ("title", &long)]).await.unwrap_err();
    assert!(err.to_string().contains("at most 50"), "{err}");
    let before = sim.tenant().watchlists.len();

    let args = [("type", "CUSTOM"), ("title", "Contractors ending in Q1"), ("description", "HR list")];
    let r = one(&mut instance, "code42-watchlist-create", &args).await;
    let created = outputs(&r)[0].clone();
    let id = created["WatchlistID"].as_str().unwrap().to_string();
    assert_eq!(created["Id"], id.as_str());
    assert_eq!(created["ListType"], "CUSTOM");
    let tenant_list = sim.tenant().watchlists.iter().find(|w| w.watchlist_id == id).cloned().unwrap();
    assert_eq!(tenant_list.title.as_deref(), Some("Contractors ending in Q1"));
    assert_eq!(sim.tenant().watchlists.len(), before + 1);

    let r = one(&mut instance, "code42-watchlist-delete", &[("watchlist", "Contractors ending in Q1")]).await;
    assert_eq!(r.readable_output, "Watchlist Contractors ending in Q1 deleted.");
    assert_eq!(sim.tenant().watchlists.len(), before);
    let err = run(&mut instance, "code42-watchlist-delete", &[("watchlist", &id)]).await.unwrap_err();
    assert_eq!(err.to_string(), format!("No watchlist found with ID {id}."));
}

#[tokio::test(flavor = "multi_thread")]
async fn actor_get_by_username_or_id() {
    let (sim, mut instance) = setup(10).await;
    let actor = sim.tenant().actors.iter().find(|a| a.parent_actor_id.is_none()).cloned().unwrap();
    for args in [[("username", actor.name.as_str())], [("actor_id", actor.actor_id.as_str())]] {
        let r = one(&mut instance, "code42-actor-get", &args).await;
        let context = outputs(&r);
        assert_eq!(context["ActorId"], actor.actor_id.as_str());
        assert_eq!(context["Name"], actor.name.as_str());
        assert_eq!(context["FirstName"], actor.first_name.as_str());
        assert_eq!(context["AlternateNames"], serde_json::json!([]), "values as the API sent them");
    }
    let err = run(&mut instance, "code42-actor-get", &[]).await.unwrap_err();
    assert!(err.to_string().contains("username or actor_id"), "{err}");
    let err = run(&mut instance, "code42-actor-get", &[("actor_id", "0000")]).await.unwrap_err();
    assert_eq!(err.to_string(), "No actor found with ID 0000.");
}

#[tokio::test(flavor = "multi_thread")]
async fn users_list_filters_and_says_when_more_exist() {
    let (sim, mut instance) = setup(10).await;
    let (all, active) = {
        let tenant = sim.tenant();
        (
            tenant.users.len(),
            tenant.users.iter().filter(|u| u.active).map(|u| u.user_id.clone()).collect::<BTreeSet<_>>(),
        )
    };
    assert!(all >= 3 && !active.is_empty());
    let r = one(&mut instance, "code42-users-list", &[("active", "true"), ("limit", "1000")]).await;
    assert_eq!(ids(&outputs(&r), "UserId"), active);
    let r = one(&mut instance, "code42-users-list", &[("limit", "2")]).await;
    assert_eq!(outputs(&r).as_array().unwrap().len(), 2);
    assert!(r.readable_output.contains(&format!("Showing 2 of {all}")), "{}", r.readable_output);
    let user = sim.tenant().users[0].clone();
    let r = one(&mut instance, "code42-users-list", &[("username", &user.username)]).await;
    assert_eq!(outputs(&r)[0]["UserId"], user.user_id.as_str());
    assert_eq!(outputs(&r)[0]["Username"], user.username.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn legal_hold_matters_are_listed_by_name_and_state() {
    let (sim, mut instance) = setup(10).await;
    let matters = sim.tenant().matters.clone();
    let r = one(&mut instance, "code42-legalhold-matters-list", &[("limit", "1000")]).await;
    assert_eq!(ids(&outputs(&r), "MatterId"), matters.iter().map(|m| m.matter_id.clone()).collect());
    let active: BTreeSet<String> = matters.iter().filter(|m| m.active).map(|m| m.matter_id.clone()).collect();
    let r = one(&mut instance, "code42-legalhold-matters-list", &[("active", "true")]).await;
    assert_eq!(ids(&outputs(&r), "MatterId"), active);
    let first = &matters[0];
    let r = one(&mut instance, "code42-legalhold-matters-list", &[("name", &first.name)]).await;
    assert!(ids(&outputs(&r), "MatterId").contains(&first.matter_id));
    assert_eq!(outputs(&r)[0]["Name"], first.name.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_is_created_changed_given_events_and_closed_in_the_tenant() {
    let (sim, mut instance) = setup(20).await;
    let (subject, admin, events) = {
        let tenant = sim.tenant();
        let events: Vec<String> = tenant
            .session_events
            .values()
            .flatten()
            .take(3)
            .map(|e| e["event"]["id"].as_str().unwrap().to_string())
            .collect();
        (tenant.users[3].username.clone(), tenant.users[0].username.clone(), events)
    };
    let r = one(
        &mut instance,
        "code42-case-create",
        &[("name", "USB copies"), ("subject", &subject), ("description", "Seen on Monday")],
    )
    .await;
    let created = outputs(&r);
    let number = created["Number"].as_u64().unwrap();
    assert_eq!(
        (created["SubjectUsername"].as_str(), created["Status"].as_str()),
        (Some(subject.as_str()), Some("OPEN"))
    );
    let n = number.to_string();

    // Only the given field changes; the rest stays as it was.
    let r = one(
        &mut instance,
        "code42-case-update",
        &[("number", &n), ("assignee", &admin), ("findings", "Copied the roadmap")],
    )
    .await;
    let updated = outputs(&r);
    assert_eq!(updated["AssigneeUsername"].as_str(), Some(admin.as_str()));
    assert_eq!(
        (updated["Description"].as_str(), updated["Findings"].as_str()),
        (Some("Seen on Monday"), Some("Copied the roadmap"))
    );

    let ids = events.join(",");
    one(&mut instance, "code42-case-add-file-events", &[("number", &n), ("event_ids", &ids)]).await;
    one(&mut instance, "code42-case-remove-file-event", &[("number", &n), ("event_id", &events[0])]).await;
    let r = one(&mut instance, "code42-case-file-events-list", &[("number", &n)]).await;
    let listed = outputs(&r);
    let listed = listed.as_array().unwrap();
    let listed_ids: Vec<&str> = listed.iter().map(|e| e["EventId"].as_str().unwrap()).collect();
    assert_eq!(listed_ids, [events[1].as_str(), events[2].as_str()]);
    assert!(listed.iter().all(|e| e["CaseNumber"] == number));
    let err = run(&mut instance, "code42-case-remove-file-event", &[("number", &n), ("event_id", &events[0])])
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), format!("File event {} is not attached to case {number}.", events[0]));

    let r = one(&mut instance, "code42-case-list", &[("status", "OPEN"), ("assignee", &admin)]).await;
    assert!(outputs(&r).as_array().unwrap().iter().any(|c| c["Number"] == number), "{}", r.readable_output);

    one(&mut instance, "code42-case-close", &[("number", &n)]).await;
    assert_eq!(sim.tenant().case(number).unwrap().status, "CLOSED");
    let err = run(&mut instance, "code42-case-update", &[("number", &n), ("name", "Renamed")]).await.unwrap_err();
    assert_eq!(err.to_string(), format!("Case {number} is closed: closed cases cannot be modified."));
    assert_eq!(sim.tenant().case(number).unwrap().name, "USB copies");
    let err = run(&mut instance, "code42-case-get", &[("number", "999")]).await.unwrap_err();
    assert_eq!(err.to_string(), "No case found with number 999.");
}

#[tokio::test(flavor = "multi_thread")]
async fn case_exports_are_the_tenants_files() {
    let (sim, mut instance) = setup(20).await;
    let (events, shas): (Vec<String>, Vec<String>) = {
        let tenant = sim.tenant();
        let case = tenant.case(1).unwrap();
        assert_eq!(case.events.len(), 2);
        let shas = case
            .events
            .iter()
            .map(|id| tenant.file_event(id).unwrap()["file"]["hash"]["sha256"].as_str().unwrap().to_string())
            .collect();
        (case.events.clone(), shas)
    };
    let r = one(&mut instance, "code42-case-export", &[("number", "1")]).await;
    assert_eq!(r.files[0].name, "case-1-summary.pdf");
    assert!(r.files[0].data.starts_with(b"%PDF-"));

    let r = one(&mut instance, "code42-case-export", &[("number", "1"), ("what", "file-events")]).await;
    let csv = String::from_utf8(r.files[0].data.clone()).unwrap();
    assert!(events.iter().all(|id| csv.contains(id.as_str())), "{csv}");

    let r = one(&mut instance, "code42-case-export", &[("number", "1"), ("what", "full")]).await;
    assert_eq!(r.files[0].name, "case-1-export.zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.files[0].data.clone())).unwrap();
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    assert!(names.contains(&"summary.pdf".to_string()) && names.contains(&"file_events.csv".to_string()), "{names:?}");
    for sha in &shas {
        let name = names
            .iter()
            .find(|n| n.starts_with(&format!("files/{sha}/")))
            .unwrap_or_else(|| panic!("{sha}: {names:?}"));
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut content).unwrap();
        assert_eq!(content, sim.tenant().files[sha]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_create_is_not_retried_after_a_500() {
    let (sim, mut instance) = setup(5).await;
    let before = sim.tenant().cases.len();
    sim.inject("/v1/cases", Fault::status(500), 1);
    sim.clear_requests();
    let err = run(&mut instance, "code42-case-create", &[("name", "Once only")]).await.unwrap_err();
    assert!(err.to_string().contains("500"), "{err}");
    let creates = sim.requests().iter().filter(|r| r.method == "POST" && r.path == "/v1/cases").count();
    assert_eq!(creates, 1, "sent once, not retried");
    assert_eq!(sim.tenant().cases.len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_are_listed_by_user_and_state_and_deactivated() {
    let (sim, mut instance) = setup(5).await;
    let (username, user_agents): (String, BTreeSet<String>) = {
        let tenant = sim.tenant();
        let user = &tenant.users[2];
        let agents = tenant.agents.iter().filter(|a| a.user_id == user.user_id).map(|a| a.agent_id.clone()).collect();
        (user.username.clone(), agents)
    };
    assert!(!user_agents.is_empty());
    let r = one(&mut instance, "code42-agents-list", &[("username", &username)]).await;
    assert_eq!(ids(&outputs(&r), "AgentId"), user_agents);

    let all = sim.tenant().agents.len();
    let r = one(&mut instance, "code42-agents-list", &[("limit", "3")]).await;
    assert_eq!(outputs(&r).as_array().unwrap().len(), 3);
    assert!(r.readable_output.contains(&format!("Showing 3 of {all}")), "{}", r.readable_output);

    let id = user_agents.iter().next().unwrap().clone();
    one(&mut instance, "code42-agent-deactivate", &[("agent_ids", &id)]).await;
    let r = one(&mut instance, "code42-agent-get", &[("agent_id", &id)]).await;
    assert_eq!(outputs(&r)["Active"], false);
    let r = one(&mut instance, "code42-agents-list", &[("active", "false")]).await;
    assert!(ids(&outputs(&r), "AgentId").contains(&id));
    one(&mut instance, "code42-agent-activate", &[("agent_ids", &id)]).await;
    assert!(sim.tenant().agents.iter().find(|a| a.agent_id == id).unwrap().active);
    let err = run(&mut instance, "code42-agent-get", &[("agent_id", "nope")]).await.unwrap_err();
    assert_eq!(err.to_string(), "No agent found with ID nope.");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_rules_are_listed_and_disabled_and_enabled() {
    let (sim, mut instance) = setup(5).await;
    let rules: BTreeSet<String> = sim.tenant().rules.iter().map(|r| r.id.clone()).collect();
    sim.clear_requests();
    let r = one(&mut instance, "code42-alert-rules-list", &[("limit", "500")]).await;
    assert_eq!(ids(&outputs(&r), "Id"), rules);
    let first: Vec<String> = rules.iter().take(2).cloned().collect();
    let r = one(&mut instance, "code42-alert-rule-disable", &[("rule_ids", &first.join(","))]).await;
    assert!(outputs(&r).as_array().unwrap().iter().all(|rule| rule["IsEnabled"] == false), "{}", r.readable_output);
    assert!(sim.tenant().rules.iter().filter(|r| first.contains(&r.id)).all(|r| !r.enabled));
    let r = one(&mut instance, "code42-alert-rule-enable", &[("rule_ids", &first[0])]).await;
    assert_eq!(outputs(&r)[0]["IsEnabled"], true);
    let err = run(&mut instance, "code42-alert-rule-enable", &[("rule_ids", "no-such-rule")]).await.unwrap_err();
    assert!(err.to_string().contains("no-such-rule"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_is_searched_by_actor_type_and_time_and_says_when_more_exist() {
    let (sim, mut instance) = setup(5).await;
    let (actor, kind) = {
        let tenant = sim.tenant();
        let e = &tenant.audit_events[0];
        (e["actorName"].as_str().unwrap().to_string(), e["type$"].as_str().unwrap().to_string())
    };
    let want = sim
        .tenant()
        .audit_events
        .iter()
        .filter(|e| e["actorName"] == actor.as_str() && e["type$"] == kind.as_str())
        .count();
    assert!(want >= 1);
    let r = one(
        &mut instance,
        "code42-audit-log-search",
        &[("actor_names", &actor), ("event_types", &kind), ("start_time", "30 days")],
    )
    .await;
    let found = outputs(&r);
    assert_eq!(found.as_array().unwrap().len(), want);
    assert!(found.as_array().unwrap().iter().all(|e| e["ActorName"] == actor.as_str() && e["Type$"] == kind.as_str()));

    let all = sim.tenant().audit_events.len();
    assert!(all > 120, "{all}");
    sim.clear_requests();
    let r = one(&mut instance, "code42-audit-log-search", &[("limit", "120"), ("start_time", "30 days")]).await;
    assert_eq!(outputs(&r).as_array().unwrap().len(), 120);
    assert!(r.readable_output.contains("more exist"), "{}", r.readable_output);
    let searches = sim.requests().iter().filter(|q| q.path == "/v1/audit/search-audit-log").count();
    assert_eq!(searches, 1, "one page of 121 tells that more exist");
    let err = run(&mut instance, "code42-audit-log-search", &[("start_time", "1 day"), ("end_time", "3 days")])
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "end_time is before start_time");
}

#[tokio::test(flavor = "multi_thread")]
async fn trusted_activities_are_added_listed_and_removed_and_an_add_is_not_retried() {
    let (sim, mut instance) = setup(5).await;
    let args = [
        ("type", "DOMAIN"),
        ("value", "partner.example"),
        ("description", "Design partner"),
        ("file_upload", "true"),
        ("email_share_services", "GMAIL,OFFICE_365"),
    ];
    let r = one(&mut instance, "code42-trusted-activity-add", &args).await;
    let added = outputs(&r);
    let id = added["ActivityId"].as_str().unwrap().to_string();
    let stored = sim.tenant().trusted_activities.iter().find(|a| a["activityId"] == id.as_str()).cloned().unwrap();
    assert_eq!(stored["value"], "partner.example");
    let actions = &stored["activityActionGroups"][0]["activityActions"];
    assert_eq!(actions[1]["providers"], serde_json::json!([{"name": "GMAIL"}, {"name": "OFFICE_365"}]));

    let r = one(&mut instance, "code42-trusted-activities-list", &[("type", "DOMAIN")]).await;
    let listed = ids(&outputs(&r), "ActivityId");
    let want: BTreeSet<String> = sim
        .tenant()
        .trusted_activities
        .iter()
        .filter(|a| a["type"] == "DOMAIN")
        .map(|a| a["activityId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, want);
    assert!(listed.contains(&id));

    one(&mut instance, "code42-trusted-activity-remove", &[("id", &id)]).await;
    assert!(sim.tenant().trusted_activities.iter().all(|a| a["activityId"] != id.as_str()));
    let err = run(&mut instance, "code42-trusted-activity-remove", &[("id", &id)]).await.unwrap_err();
    assert_eq!(err.to_string(), format!("No trusted activity found with ID {id}."));

    sim.inject("/v2/trusted-activities", Fault::status(500), 1);
    sim.clear_requests();
    let args = [("type", "SLACK"), ("value", "other-workspace")];
    run(&mut instance, "code42-trusted-activity-add", &args).await.unwrap_err();
    let adds = sim.requests().iter().filter(|q| q.method == "POST" && q.path == "/v2/trusted-activities").count();
    assert_eq!(adds, 1, "sent once, not retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_of_the_new_commands_are_refused_before_any_request_naming_the_argument() {
    let (sim, mut instance) = setup(5).await;
    let long_name = "n".repeat(51);
    let long_note = "n".repeat(2001);
    let cases: &[(&str, &[(&str, &str)], &str)] = &[
        ("code42-case-create", &[("name", &long_name)], "name"),
        ("code42-case-get", &[("number", "seven")], "number"),
        ("code42-case-update", &[("number", "1")], "name"),
        ("code42-case-export", &[("number", "1"), ("what", "everything")], "what"),
        ("code42-alert-search", &[("state", "SOLVED")], "state"),
        ("code42-alert-search", &[("start_time", "last tuesday")], "start_time"),
        ("code42-alert-add-note", &[("id", "x"), ("note", &long_note)], "note"),
        ("code42-watchlist-create", &[("type", "VIP")], "type"),
        ("code42-agents-list", &[("active", "maybe")], "active"),
        ("code42-alert-rules-list", &[("limit", "0")], "limit"),
        ("code42-audit-log-search", &[("end_time", "soon")], "end_time"),
        ("code42-trusted-activity-add", &[("type", "DOMAIN"), ("value", "corp.example")], "type"),
        ("code42-trusted-activity-add", &[("type", "SLACK"), ("value", "corp"), ("dropbox", "true")], "dropbox"),
    ];
    sim.clear_requests();
    for (command, args, argument) in cases {
        let err = run(&mut instance, command, args).await.unwrap_err().to_string();
        assert!(err.contains(argument), "{command} {args:?}: {err}");
    }
    let sent: Vec<String> =
        sim.requests().iter().filter(|r| !r.path.contains("oauth")).map(|r| r.path.clone()).collect();
    assert!(sent.is_empty(), "{sent:?}");
}
