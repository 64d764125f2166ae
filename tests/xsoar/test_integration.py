"""The generated XSOAR integration script, run with test doubles of demistomock and
CommonServerPython against the simulator: test-module, every command (files included), an
error, fetches chaining the last run from the reference integration's shape. Every answer is
compared with what `code42` itself gives for the same call, against a second simulator that holds
the same tenant (same seed, same moment), so that writes happen once on each.

Environment: CODE42_BIN (the code42 binary), INCYDR_SIM (the simulator binary), XSOAR_PACK (the
directory `code42 xsoar-package` wrote). Run with `python3 -m unittest` from this directory.
"""
import base64
import hashlib
import importlib.util
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "doubles"))
import demistomock  # noqa: E402

CODE42 = os.environ["CODE42_BIN"]
SIMULATOR = os.environ["INCYDR_SIM"]
PACK = os.environ["XSOAR_PACK"]
SCRIPT = os.path.join(PACK, "Packs", "Code42Wasm", "Integrations", "Code42Wasm", "Code42Wasm.py")
DAY_MS = 86_400_000


def start_simulator(now_ms):
    process = subprocess.Popen(
        [SIMULATOR, "--port", "0", "--sessions", "40", "--now-ms", str(now_ms)],
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, json.loads(process.stdout.readline())


def as_typed(value):
    """An argument as one types it on the command line."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


def load_script():
    spec = importlib.util.spec_from_file_location("Code42Wasm", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class GeneratedIntegration(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        now_ms = int(time.time() * 1000)
        cls.script_sim, cls.script_tenant = start_simulator(now_ms)
        cls.cli_sim, cls.cli_tenant = start_simulator(now_ms)
        with urllib.request.urlopen(cls.script_tenant["api_url"] + "/_sim/summary") as answer:
            cls.summary = json.load(answer)
        cls.workdir = tempfile.mkdtemp(prefix="xsoar-test-")
        # fileResult writes its files into the working directory, as XSOAR's does.
        os.chdir(cls.workdir)
        cls.cli_config = os.path.join(cls.workdir, "cli.toml")
        with open(cls.cli_config, "w") as f:
            t = cls.cli_tenant
            f.write(
                f'console_url = "{t["console_url"]}"\napi_url = "{t["api_url"]}"\nclient_id = "{t["client_id"]}"\n'
                f'client_secret = "{t["client_secret"]}"\nfetch_time = "30 days"\nfetch_limit = 3\n'
                'incident_type = "Code42 Security Alert"\n'
            )
        os.environ["CODE42_BIN"] = CODE42
        os.environ["CODE42_CACHE_DIR"] = os.path.join(cls.workdir, "cache")
        cls.script = load_script()

    @classmethod
    def tearDownClass(cls):
        for process in (cls.script_sim, cls.cli_sim):
            process.terminate()
            process.wait()

    def params(self):
        t = self.script_tenant
        return {
            "console_url": t["console_url"],
            "api_url": t["api_url"],
            "credentials": {"identifier": t["client_id"], "password": t["client_secret"]},
            "isFetch": True,
            "incidentType": "Code42 Security Alert",
            "fetch_time": "30 days",
            "fetch_limit": "3",
            "include_files": False,
            "incidentFetchInterval": "3",
            "alert_severity": [],
        }

    def run_script(self, command, args=None, **platform):
        demistomock.reset(params=self.params(), args=args, command=command, **platform)
        try:
            self.script.main()
        except SystemExit:
            pass
        return demistomock.state

    def run_cli(self, arguments):
        completed = subprocess.run(
            [CODE42, "--config", self.cli_config] + arguments, cwd=self.workdir, capture_output=True, text=True
        )
        return completed

    def cli_command(self, command, args, incident=None, context=None):
        arguments = ["run", command, "--output", "json", "--files-dir", os.path.join(self.workdir, "cli-files")]
        if incident is not None:
            path = os.path.join(self.workdir, "cli-incident.json")
            with open(path, "w") as f:
                json.dump(incident, f)
            arguments += ["--incident", path]
        if context is not None:
            path = os.path.join(self.workdir, "cli-context.json")
            with open(path, "w") as f:
                json.dump(context, f)
            arguments += ["--context", path]
        arguments += [f"{name}={as_typed(value)}" for name, value in args.items()]
        completed = self.run_cli(arguments)
        self.assertEqual(completed.returncode, 0, completed.stderr)
        return json.loads(completed.stdout)

    def comparable(self, value, tenant):
        """A value with what legitimately differs between the two simulators masked: their
        addresses, and the times they stamp writes with."""
        text = json.dumps(value, sort_keys=True)
        text = text.replace(tenant["console_url"], "CONSOLE").replace(tenant["api_url"], "API")
        text = re.sub(r"T\d{2}:\d{2}:\d{2}(\.\d+)?", "T<time>", text)
        return re.sub(r"\b1\d{12}\b", "<epoch ms>", text)

    def assert_equal_across(self, script_value, cli_value, message):
        self.assertEqual(
            self.comparable(script_value, self.script_tenant), self.comparable(cli_value, self.cli_tenant), message
        )

    def assert_same_as_cli(self, command, args, incident=None, context=None):
        state = self.run_script(command, args, incident=incident, context=context)
        envelope = self.cli_command(command, args, incident, context)
        entries = [r for r in state["results"] if isinstance(r, dict)]
        files = [f for r in state["results"] if isinstance(r, list) for f in r]
        for result in envelope["results"]:
            entry = entries.pop(0)
            self.assertEqual(entry["Type"], 1, command)
            self.assert_equal_across(entry["HumanReadable"], result["readable_output"], command)
            if result["files"]:
                # Files are file entries; XSOAR gives them their File context itself.
                self.assertEqual(entry["EntryContext"], {}, command)
                for cli_file in result["files"]:
                    script_file = files.pop(0)
                    self.assertEqual((script_file["Type"], script_file["File"]), (3, cli_file["name"]))
                    with open("1_" + script_file["FileID"], "rb") as f:
                        self.assertEqual(hashlib.sha256(f.read()).hexdigest(), cli_file["sha256"])
                continue
            keys = result["outputs_key_field"]
            prefix = result["outputs_prefix"]
            if result["outputs"] in (None, []):
                self.assertEqual(entry["EntryContext"], {}, command)
            elif keys:
                expected = {f"{prefix}(val.{keys} && val.{keys} == obj.{keys})": result["outputs"]}
                self.assert_equal_across(entry["EntryContext"], expected, command)
            else:
                self.assert_equal_across(entry["EntryContext"], {prefix: result["outputs"]}, command)
            self.assert_equal_across(entry["Contents"], result["raw_response"], command)
        self.assertEqual((entries, files), ([], []), command)
        return state

    def test_module_answers_ok(self):
        self.assertEqual(self.run_script("test-module")["results"], ["ok"])

    def tokens_issued(self):
        with urllib.request.urlopen(self.script_tenant["api_url"] + "/_sim/requests") as answer:
            return sum(1 for r in json.load(answer) if "oauth" in r["path"])

    def test_tokens_live_in_the_integration_context_and_serve_the_next_run(self):
        demistomock.integration_context.clear()
        before = self.tokens_issued()
        for _ in range(2):
            self.assertEqual(self.run_script("test-module")["results"], ["ok"])
        self.assertEqual(self.tokens_issued() - before, 2, "one gateway and one console token, asked for once")
        kept = demistomock.integration_context["code42_tokens"]
        self.assertEqual(sorted(c["audience"] for c in kept["credentials"]), ["console", "gateway"])
        self.assertNotIn(self.script_tenant["client_secret"], json.dumps(demistomock.integration_context))

    def test_every_command_answers_as_code42_run_does(self):
        user, session = self.summary["usernames"][4], self.summary["sessionId"]
        calls = [
            ("code42-alert-get", {"id": session}),
            ("code42-alert-update", {"id": session, "state": "CLOSED_FP"}),
            ("code42-alert-resolve", {"id": session}),
            ("code42-alert-search", {"severity": "high,critical", "limit": 5}),
            ("code42-alert-add-note", {"id": session, "note": "from XSOAR"}),
            ("code42-alert-file-events", {"id": session, "limit": 3}),
            ("code42-file-events-search", {"username": user, "add-to-context": True, "results": 5}),
            ("code42-departingemployee-add", {"username": user, "departuredate": "2031-01-01"}),
            ("code42-departingemployee-get", {"username": user}),
            ("code42-departingemployee-get-all", {}),
            ("code42-departingemployee-remove", {"username": user}),
            ("code42-highriskemployee-add", {"username": user, "note": "n"}),
            ("code42-highriskemployee-get", {"username": user}),
            ("code42-highriskemployee-add-risk-tags", {"username": user, "risktags": ["FLIGHT_RISK", "CONTRACT_EMPLOYEE"]}),
            ("code42-highriskemployee-get-all", {"risktags": "FLIGHT_RISK"}),
            ("code42-highriskemployee-remove-risk-tags", {"username": user, "risktags": "FLIGHT_RISK,CONTRACT_EMPLOYEE"}),
            ("code42-highriskemployee-remove", {"username": user}),
            ("code42-user-create", {"orgname": "TestCortexOrg", "username": "x.user@example.com", "email": "x.user@example.com"}),
            ("code42-user-block", {"username": user}),
            ("code42-user-unblock", {"username": user}),
            ("code42-user-deactivate", {"username": user}),
            ("code42-user-reactivate", {"username": user}),
            ("code42-legalhold-add-user", {"username": user, "mattername": "Patent Lawsuit"}),
            ("code42-legalhold-remove-user", {"username": user, "mattername": "Patent Lawsuit"}),
            ("code42-legalhold-matters-list", {"active": "true"}),
            ("code42-download-file", {"hash": self.summary["sha256"], "filename": "report.bin"}),
            ("code42-download-file-by-xfc-id", {"xfc_id": self.summary["xfcId"]}),
            ("code42-watchlists-list", {}),
            ("code42-watchlists-add-user", {"username": user, "watchlist": "NEW_EMPLOYEE"}),
            ("code42-watchlists-list-included-users", {"watchlist": "NEW_EMPLOYEE"}),
            ("code42-watchlists-remove-user", {"username": user, "watchlist": "NEW_EMPLOYEE"}),
            ("code42-watchlist-create", {"type": "CUSTOM", "title": "XSOAR list"}),
            ("code42-watchlist-delete", {"watchlist": "XSOAR list"}),
            ("code42-actor-get", {"username": user}),
            ("code42-users-list", {"limit": 3}),
            ("code42-case-create", {"name": "XSOAR case", "subject": user}),
            ("code42-case-get", {"number": 1}),
            ("code42-case-list", {"status": "OPEN"}),
            ("code42-case-update", {"number": 1, "description": "from XSOAR"}),
            ("code42-case-add-file-events", {"number": 1, "event_ids": [self.summary["eventId"]]}),
            ("code42-case-file-events-list", {"number": 1}),
            ("code42-case-remove-file-event", {"number": 1, "event_id": self.summary["eventId"]}),
            ("code42-case-export", {"number": 1, "what": "summary"}),
            ("code42-case-close", {"number": 1}),
            ("code42-audit-log-search", {"start_time": "30 days", "limit": 5}),
            ("code42-agents-list", {"limit": 3}),
            ("code42-agent-get", {"agent_id": self.summary["agentId"]}),
            ("code42-agent-deactivate", {"agent_ids": [self.summary["agentId"]]}),
            ("code42-agent-activate", {"agent_ids": self.summary["agentId"]}),
            ("code42-alert-rules-list", {}),
            ("code42-alert-rule-disable", {"rule_ids": self.summary["ruleId"]}),
            ("code42-alert-rule-enable", {"rule_ids": [self.summary["ruleId"]]}),
            ("code42-trusted-activities-list", {"type": "DOMAIN"}),
            ("code42-trusted-activity-add", {"type": "ACCOUNT_NAME", "value": "corp", "dropbox": "true"}),
            ("code42-trusted-activity-remove", {"id": "7002"}),
            ("code42-user-get-risk-profile", {"username": user}),
            ("code42-get-user-risk-profile", {"username": user}),
            ("code42-user-update-risk-profile", {"username": user, "notes": "from XSOAR", "end_date": "2031-02-03"}),
        ]
        for command, args in calls:
            with self.subTest(command=command):
                self.assert_same_as_cli(command, args)
        # file-events-table and the mirroring commands have tests of their own below.
        run = {command for command, _ in calls} | {"code42-file-events-table"} | set(self.script.MIRRORING)
        self.assertEqual(run, set(self.script.COMMANDS), "every command of the manifest was run")

    def test_the_incident_and_the_context_reach_the_commands_that_read_them(self):
        events = [{"event": {"id": "e-1", "inserted": "2024-01-01T00:00:00Z"}, "@timestamp": "2024-01-01T00:00:00Z",
                   "file": {"name": "secret.docx"}, "user": {"email": "jane@example.com"}}]
        incident = {"id": "7", "rawJSON": json.dumps({"sessionId": "s", "fileevents": events})}
        context = {"Code42": {"FileEvents": [dict(events[0], event={"id": "e-2"})]}}
        state = self.assert_same_as_cli("code42-file-events-table", {"include": "all"}, incident, context)
        self.assertIn("secret.docx", state["results"][0]["HumanReadable"])

    def test_a_failure_is_the_cli_error_line(self):
        args = {"id": self.summary["sessionId"], "state": "DONE"}
        state = self.run_script("code42-alert-update", args)
        cli = self.run_cli(["run", "code42-alert-update", "id=" + args["id"], "state=DONE"])
        self.assertEqual(cli.returncode, 1)
        self.assertEqual(
            state["results"], [{"Type": 4, "ContentsFormat": "text", "Contents": cli.stderr.strip(), "EntryContext": None}]
        )
        self.assertTrue(cli.stderr.startswith("Failed to execute code42-alert-update command. Error: Invalid value 'DONE'"))

    def test_fetches_chain_the_last_run_from_the_reference_shape(self):
        # The reference integration's last run: a watermark in ms and the ids fetched at it.
        last_run = {"last_fetch": int(time.time() * 1000) - 30 * DAY_MS, "incidents_at_last_fetch_timestamp": []}
        state_file = os.path.join(self.workdir, "cli-state.json")
        with open(state_file, "w") as f:
            json.dump(last_run, f)
        seen = []
        for _ in range(3):
            state = self.run_script("fetch-incidents", last_run=last_run)
            cli = self.run_cli(["fetch", "--quiet", "--state", state_file])
            self.assertEqual(cli.returncode, 0, cli.stderr)
            expected = json.loads(cli.stdout)
            self.assert_equal_across(state["incidents"], expected["incidents"], "incidents")
            self.assertEqual(state["next_last_run"], expected["last_run"])
            ids = [json.loads(i["rawJSON"])["sessionId"] for i in state["incidents"]]
            self.assertEqual(len(ids), 3)
            self.assertFalse(set(ids) & set(seen), "no incident twice")
            seen += ids
            last_run = state["next_last_run"]

    def code42_api(self, method, path, body=None):
        """A call to the simulated tenant as a Code42 analyst would make it in the console."""
        tenant = self.script_tenant
        basic = base64.b64encode(f"{tenant['client_id']}:{tenant['client_secret']}".encode()).decode()
        token_request = urllib.request.Request(tenant["api_url"] + "/v1/oauth", method="POST",
                                               headers={"Authorization": "Basic " + basic})
        with urllib.request.urlopen(token_request) as answer:
            token = json.load(answer)["access_token"]
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(tenant["api_url"] + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    def test_mirroring_commands_answer_with_xsoar_objects(self):
        mirroring = {"mirror_direction": "Incoming And Outgoing", "close_incident": True, "close_out": True,
                     "comment_tag": "comment"}
        instance = "Code42Wasm_instance_1"

        def run(command, args=None, **platform):
            demistomock.reset(params=dict(self.params(), **mirroring), args=args, command=command,
                              instance=instance, **platform)
            try:
                self.script.main()
            except SystemExit:
                pass
            return demistomock.state

        mapping = run("get-mapping-fields")["results"]
        self.assertEqual(list(mapping[0]["Code42 Security Alert"]), ["state", "note"])

        fetched = run("fetch-incidents")["incidents"]
        raw = json.loads(fetched[0]["rawJSON"])
        self.assertEqual((raw["mirror_direction"], raw["mirror_instance"]), ("Both", instance))
        session = raw["mirror_id"]

        before = int(time.time() * 1000)
        time.sleep(0.01)
        self.code42_api("POST", "/v1/sessions/change-state", {"ids": [session], "newState": "CLOSED_FP"})
        modified = run("get-modified-remote-data", {"lastUpdate": before})["results"]
        self.assertEqual(modified[0]["Type"], 1)
        self.assertIn(session, modified[0]["Contents"])

        remote = run("get-remote-data", {"id": session, "lastUpdate": before})["results"][0]
        self.assertEqual(remote[0]["mirror_id"], session)
        self.assertEqual(remote[1]["Contents"]["dbotIncidentClose"], True)
        self.assertEqual(remote[1]["Contents"]["closeReason"], "False Positive")

        entries = [{"id": "41", "type": 1, "contents": "Talked to the user", "tags": ["comment"], "user": "analyst"},
                   {"id": "42", "type": 1, "contents": "private", "tags": [], "user": "analyst"}]
        args = {"remoteId": session, "status": 1, "incidentChanged": True, "delta": {"closeReason": ""},
                "entries": entries, "data": {"id": "7"}}
        for _ in range(2):
            self.assertEqual(run("update-remote-system", args)["results"], [session])
        notes = [n["content"] for n in self.code42_api("GET", f"/v1/sessions/{session}")["notes"]]
        self.assertEqual(notes, ["Talked to the user\n\n(from XSOAR entry 41)"])
        states = self.code42_api("GET", f"/v1/sessions/{session}")["states"]
        self.assertEqual(states[-1]["state"], "OPEN", "the reopened incident reopened the session")

    def test_the_configuration_reaches_code42_in_a_private_file_never_on_its_command_line(self):
        log = os.path.join(self.workdir, "wrapper.log")
        wrapper = os.path.join(self.workdir, "code42-wrapper")
        with open(wrapper, "w") as f:
            f.write(
                "#!/bin/sh\n"
                f'echo "args: $*" >> {log}\n'
                f'stat -c "mode: %a" "$2" >> {log}\n'
                f'exec {CODE42} "$@"\n'
            )
        os.chmod(wrapper, stat.S_IRWXU)
        os.environ["CODE42_BIN"] = wrapper
        try:
            self.assertEqual(self.run_script("test-module")["results"], ["ok"])
        finally:
            os.environ["CODE42_BIN"] = CODE42
        with open(log) as f:
            text = f.read()
        self.assertIn("mode: 600", text)
        self.assertNotIn(self.script_tenant["client_secret"], text)


if __name__ == "__main__":
    unittest.main()
