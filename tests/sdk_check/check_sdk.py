"""Drives the official incydr Python SDK against the simulator, one call per modelled endpoint.

Every response must parse into the SDK's pydantic models; any ValidationError or HTTP error fails
the run. Usage: python check_sdk.py <simulator binary> (it starts the simulator on free ports).
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

import incydr
from incydr import EventQuery


def start_simulator(binary):
    proc = subprocess.Popen([binary, "--port", "0", "--console-port", "0", "--sessions", "40"],
                            stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    return proc, info


def summary(api_url):
    with urllib.request.urlopen(f"{api_url}/_sim/summary") as r:
        return json.load(r)


def main():
    proc, info = start_simulator(sys.argv[1])
    checked = []

    def check(name, fn):
        result = fn()
        checked.append(name)
        return result

    try:
        # The SDK reads ./.env; run from an empty directory so nothing leaks in.
        os.chdir(tempfile.mkdtemp())
        api = info["api_url"]
        ids = summary(api)
        c = incydr.Client(url=api, api_client_id=info["client_id"], api_client_secret=info["client_secret"], use_rich=False)
        checked.append("POST /v1/oauth")

        page = check("GET /v1/sessions", lambda: c.sessions.v1.get_page(states=["OPEN", "OPEN_NEW_DATA"], severities=[1, 2, 3, 4],
                                                                        start_time=0, page_num=0, page_size=10))
        assert page.items, "the tenant has open alert sessions"
        every = list(c.sessions.v1.iter_all(page_size=7, has_alerts=None))
        assert len(every) == ids["sessions"], (len(every), ids["sessions"])
        sid = ids["sessionId"]
        s = check("GET /v1/sessions/{id}", lambda: c.sessions.v1.get_session_details(sid))
        assert s.session_id == sid
        ev = check("GET /v1/sessions/{id}/events", lambda: c.sessions.v1.get_session_events(sid))
        assert ev.file_events and ev.total_count == len(ev.file_events)
        check("POST /v1/sessions/change-state", lambda: c.sessions.v1.update_state_by_id([sid], "CLOSED_TP"))
        assert c.sessions.v1.get_session_details(sid).states[-1].state == "CLOSED_TP"
        check("POST /v1/sessions/{id}/add-note", lambda: c.sessions.v1.add_note(sid, "Checked by the SDK"))
        history = c.sessions.v1.get_session_details(sid)
        assert history.notes[-1].content == "Checked by the SDK" and history.notes[-1].source_timestamp
        assert history.last_updated >= history.notes[-1].source_timestamp
        assert [st.state for st in history.states][-1] == "CLOSED_TP"

        actor = check("GET /v1/actors/actor/id/{id}", lambda: c.actors.v1.get_actor_by_id(ids["actorId"]))
        assert actor.name == ids["actorName"]
        check("GET /v1/actors/actor/id/{id}/parent", lambda: c.actors.v1.get_actor_by_id(ids["actorId"], prefer_parent=True))
        check("GET /v1/actors/actor/name/{name}/parent", lambda: c.actors.v1.get_actor_by_name(ids["actorName"]))
        found = check("GET /v1/actors/actor/search", lambda: c.actors.v1.get_page(page_num=1, page_size=1))
        assert len(found.actors) == 1
        by_search = c.actors.v1.get_actor_by_name(ids["actorName"], prefer_parent=False)
        assert by_search.actor_id == ids["actorId"]
        updated = check("PATCH /v1/actors/actor/id/{id}",
                        lambda: c.actors.v1.update_actor(ids["actorId"], notes="sdk", start_date="2024-01-01", end_date=""))
        assert updated.notes == "sdk" and updated.start_date == "2024-01-01" and updated.end_date is None

        rule = check("GET /v2/alert-rules/{id}", lambda: c.alert_rules.v2.get_rule(ids["ruleId"]))
        assert rule.id == ids["ruleId"]

        users = check("GET /v1/users", lambda: c.users.v1.get_page(username=ids["username"]))
        assert users.users[0].user_id == ids["userId"]
        check("GET /v1/users/{id}", lambda: c.users.v1.get_user(ids["userId"]))
        check("POST /v1/users/{id}/deactivate", lambda: c.users.v1.deactivate(ids["userId"]))
        assert c.users.v1.get_user(ids["userId"]).active is False
        check("POST /v1/users/{id}/activate", lambda: c.users.v1.activate(ids["userId"]))

        matters = check("GET /v1/legal-hold/matters", lambda: c.legal_hold.v1.get_matters_page(name="Acme"))
        matter_id = matters.matters[0].matter_id
        added = check("POST /v1/legal-hold/matters/{id}/custodians", lambda: c.legal_hold.v1.add_custodian(matter_id, ids["userId"]))
        assert added.custodian.user_id == ids["userId"]
        custodians = check("GET /v1/legal-hold/matters/{id}/custodians", lambda: c.legal_hold.v1.get_custodians_page(matter_id))
        assert any(x.user_id == ids["userId"] for x in custodians.custodians)
        check("POST /v1/legal-hold/matters/{id}/custodians/remove", lambda: c.legal_hold.v1.remove_custodian(matter_id, ids["userId"]))

        wls = check("GET /v2/watchlists", lambda: c.watchlists.v2.get_page())
        assert wls.watchlists
        created = check("POST /v2/watchlists", lambda: c.watchlists.v2.create("CUSTOM", title="SDK check", description="d"))
        wid = created.watchlist_id
        check("GET /v2/watchlists/{id}", lambda: c.watchlists.v2.get(wid))
        check("POST /v2/watchlists/{id}/included-actors/add", lambda: c.watchlists.v2.add_included_actors(wid, [ids["actorId"]]))
        members = check("GET /v2/watchlists/{id}/members", lambda: c.watchlists.v2.list_members(wid))
        assert [m.actor_name for m in members.watchlist_members] == [ids["actorName"]]
        check("GET /v2/watchlists/{id}/included-actors", lambda: c.watchlists.v2.list_included_actors(wid))
        check("POST /v2/watchlists/{id}/included-actors/delete", lambda: c.watchlists.v2.remove_included_actors(wid, ids["actorId"]))
        assert not c.watchlists.v2.list_members(wid).watchlist_members
        check("DELETE /v2/watchlists/{id}", lambda: c.watchlists.v2.delete(wid))
        assert all(w.watchlist_id != wid for w in c.watchlists.v2.get_page().watchlists)
        assert c.watchlists.v2.get_id_by_name("DEPARTING_EMPLOYEE")

        q = EventQuery(start_date=datetime.datetime(2000, 1, 1), page_size=5).greater_than("risk.score", 0)
        first = check("POST /v2/file-events", lambda: c.file_events.v2.search(q))
        assert len(first.file_events) == 5 and first.next_pg_token
        second = c.file_events.v2.search(q)
        assert second.file_events and second.file_events[0].event.id != first.file_events[0].event.id
        by_hash = c.file_events.v2.search(EventQuery().equals("file.hash.sha256", ids["sha256"]))
        assert by_hash.file_events[0].file.hash.sha256 == ids["sha256"]

        out = tempfile.mkdtemp()
        path = check("GET /v1/files/get-file-by-sha256/{sha256}",
                     lambda: c.files.v1.download_file_by_sha256(ids["sha256"], os.path.join(out, "a.bin")))
        assert os.path.getsize(path) > 0
        check("GET /v1/files/get-file-by-xfc-content-id/{id}",
              lambda: c.files.v1.download_file_by_xfc_content_id(ids["xfcId"], os.path.join(out, "b.bin")))

        case = check("POST /v1/cases", lambda: c.cases.v1.create("SDK case", subject=ids["userId"], description="d"))
        assert case.status == "OPEN" and case.subject_username == ids["username"]
        check("GET /v1/cases/{number}", lambda: c.cases.v1.get_case(case.number))
        listed = check("GET /v1/cases", lambda: c.cases.v1.get_page(status="OPEN", page_size=1))
        assert len(listed.cases) == 1 and listed.total_count >= 2
        case.findings = "SDK findings"
        updated = check("PUT /v1/cases/{number}", lambda: c.cases.v1.update(case))
        assert updated.findings == "SDK findings" and updated.description == "d"
        check("POST /v1/cases/{number}/fileevent", lambda: c.cases.v1.add_file_events_to_case(case.number, ids["eventId"]))
        events = check("GET /v1/cases/{number}/fileevent", lambda: c.cases.v1.get_file_events(case.number))
        assert [e.event_id for e in events.events] == [ids["eventId"]] and events.total_count == 1
        check("GET /v1/cases/{number}/export",
              lambda: c.cases.v1.download_summary_pdf(case.number, out))
        check("GET /v1/cases/{number}/fileevent/export",
              lambda: c.cases.v1.download_file_event_csv(case.number, out))
        full = check("GET /v1/cases/{number}/export/full", lambda: c.cases.v1.download_full_case_zip(case.number, out))
        assert full.name.endswith(".zip") and os.path.getsize(full) > 0
        check("DELETE /v1/cases/{number}/fileevent/{eventId}",
              lambda: c.cases.v1.delete_file_event_from_case(case.number, ids["eventId"]))
        assert not c.cases.v1.get_file_events(case.number).events

        agents = check("GET /v1/agents", lambda: c.agents.v1.get_page(active=True, page_size=2))
        assert len(agents.agents) == 2 and agents.total_count > 2
        check("GET /v1/agents/{id}", lambda: c.agents.v1.get_agent(ids["agentId"]))
        check("POST /v1/agents/deactivate", lambda: c.agents.v1.deactivate(ids["agentId"]))
        assert not c.agents.v1.get_agent(ids["agentId"]).active
        check("POST /v1/agents/activate", lambda: c.agents.v1.activate([ids["agentId"]]))

        rules = check("GET /v2/alert-rules", lambda: c.alert_rules.v2.get_page(page_size=3))
        assert len(rules) == 3 and all(r.is_enabled for r in rules)
        check("POST /v2/alert-rules/disable", lambda: c.alert_rules.v2.disable_rules([ids["ruleId"], rules[1].id]))
        assert not c.alert_rules.v2.get_rule(ids["ruleId"]).is_enabled
        check("POST /v2/alert-rules/enable", lambda: c.alert_rules.v2.enable_rules([ids["ruleId"]]))

        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=30)
        log = check("POST /v1/audit/search-audit-log", lambda: c.audit_log.v1.get_page(page_size=10, start_time=start))
        assert len(log.events) == 10 and log.pagination_range_end_index == 10
        count = check("POST /v1/audit/search-results-count", lambda: c.audit_log.v1.get_event_count(start_time=start))
        assert count == 150, count

        trusted = check("GET /v2/trusted-activities", lambda: c.trusted_activities.v2.get_page(activity_type="DOMAIN"))
        assert trusted.total_count == 1
        domain = check("POST /v2/trusted-activities",
                       lambda: c.trusted_activities.v2.add_domain("sdk.example", file_upload=True, cloud_sync_services=["BOX"]))
        account = c.trusted_activities.v2.add_account_name("sdk-corp", dropbox=True)
        c.trusted_activities.v2.add_git_repository("git@github.com:corp/sdk.git")
        check("GET /v2/trusted-activities/{id}", lambda: c.trusted_activities.v2.get_trusted_activity(domain.activity_id))
        check("DELETE /v2/trusted-activities/{id}", lambda: c.trusted_activities.v2.delete(account.activity_id))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"incydr SDK {incydr.__version__ if hasattr(incydr, '__version__') else ''}: {len(checked)} endpoints parsed")
    for name in checked:
        print(f"  ok  {name}")


if __name__ == "__main__":
    main()
