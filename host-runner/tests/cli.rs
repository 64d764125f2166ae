//! The `code42` binary as scripts use it, against the simulator: output contract, exit codes,
//! configuration errors, state and context files, and no secret anywhere.

use incydr_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SECRET: &str = "S3cr3t-Distinctive-7731";

/// A simulator running on its own tokio runtime, and a working directory with a config file.
struct Env {
    sim: Simulator,
    dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl Env {
    fn start() -> Env {
        Self::start_with(SimConfig::default())
    }

    fn start_with(config: SimConfig) -> Env {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let config = SimConfig { client_secret: SECRET.into(), ..config };
        let sim = runtime.block_on(Simulator::start(config)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let env = Env { sim, dir, _runtime: runtime };
        env.write_config("cfg.toml", SECRET);
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write_config(&self, name: &str, secret: &str) -> PathBuf {
        let text = format!(
            "console_url = \"{}\"\napi_url = \"{}\"\nclient_id = \"{}\"\nclient_secret = \"{secret}\"\nfetch_time = \"30 days\"\n",
            self.sim.console_url(),
            self.sim.api_url(),
            self.sim.client_id()
        );
        std::fs::write(self.path(name), text).unwrap();
        self.path(name)
    }

    fn code42(&self, args: &[&str]) -> Output {
        self.code42_with_env(args, &[])
    }

    fn code42_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args).envs(env.iter().copied()).output().unwrap()
    }

    /// The `code42` command in the working directory, with a private cache and no CODE42_* leaking in.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_code42"));
        cmd.current_dir(self.dir.path()).arg("--cache-dir").arg(self.path("cache"));
        for var in [
            "CODE42_CONFIG",
            "CODE42_CONSOLE_URL",
            "CODE42_API_URL",
            "CODE42_CLIENT_ID",
            "CODE42_CLIENT_SECRET",
            "RUST_LOG",
        ] {
            cmd.env_remove(var);
        }
        cmd.args(args);
        cmd
    }

    fn open_alert(&self) -> String {
        self.sim.tenant().open_alerts().next().unwrap().session_id.clone()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_no_secret(env: &Env, texts: &[&str]) {
    let tokens: Vec<String> = env.sim.requests().iter().filter_map(|r| r.bearer.clone()).collect();
    assert!(!tokens.is_empty(), "the commands did make authenticated requests");
    for text in texts {
        assert!(!text.contains(SECRET), "the secret leaked: {text}");
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "a bearer token leaked: {text}");
        }
    }
}

#[test]
fn test_module_prints_ok() {
    let env = Env::start();
    let out = env.code42(&["--config", "cfg.toml", "test-module"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok\n");
}

#[test]
fn a_wrong_secret_prints_the_reference_text_and_exits_1() {
    let env = Env::start();
    env.write_config("wrong.toml", "wrong-secret-value");
    let out = env.code42(&["--config", "wrong.toml", "test-module"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("Invalid credentials or host address. Check that the username and password are correct, that the host is available and reachable, and that you have supplied the full scheme, domain, and port (e.g. https://myhost.code42.com:4285)."),
        "{err}"
    );
    assert!(!err.contains("wrong-secret-value"));
    assert_eq!(stdout(&out), "");
}

#[test]
fn the_environment_overrides_the_file() {
    let env = Env::start();
    let out = env
        .code42_with_env(&["--config", "cfg.toml", "test-module"], &[("CODE42_CLIENT_SECRET", "from-the-environment")]);
    assert_eq!(out.status.code(), Some(1), "the wrong secret from the environment wins");
    std::fs::write(
        env.path("partial.toml"),
        format!("console_url = \"{}\"\nclient_id = \"{}\"\n", env.sim.console_url(), env.sim.client_id()),
    )
    .unwrap();
    let vars = [("CODE42_CLIENT_SECRET", SECRET), ("CODE42_API_URL", &env.sim.api_url())];
    let out = env.code42_with_env(&["--config", "partial.toml", "test-module"], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn configuration_errors_name_the_key() {
    let env = Env::start();
    std::fs::write(
        env.path("bad.toml"),
        format!("console_url = \"{}\"\nclient_id = \"key-1\"\n", env.sim.console_url()),
    )
    .unwrap();
    let out = env.code42(&["--config", "bad.toml", "test-module"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Missing required key 'client_secret' in bad.toml or set CODE42_CLIENT_SECRET"),
        "{}",
        stderr(&out)
    );

    std::fs::write(env.path("typo.toml"), "console_url = \"console.us.code42.com\"\nclient_idd = \"key-1\"\n").unwrap();
    let out = env.code42(&["--config", "typo.toml", "test-module"]);
    assert!(stderr(&out).contains("Unknown key 'client_idd'"), "{}", stderr(&out));

    std::fs::write(
        env.path("limit.toml"),
        format!("{}fetch_limit = \"lots\"\n", std::fs::read_to_string(env.path("cfg.toml")).unwrap()),
    )
    .unwrap();
    let out = env.code42(&["--config", "limit.toml", "test-module"]);
    assert!(stderr(&out).contains("Invalid value for key 'fetch_limit': expected an integer"), "{}", stderr(&out));

    std::fs::write(
        env.path("id.toml"),
        std::fs::read_to_string(env.path("cfg.toml")).unwrap().replace("key-simulated-client", "me@example.com"),
    )
    .unwrap();
    let out = env.code42(&["--config", "id.toml", "test-module"]);
    assert!(stderr(&out).contains("Got invalid API Client ID: me@example.com"), "{}", stderr(&out));
}

#[test]
fn run_json_follows_the_output_contract() {
    let env = Env::start();
    let id = env.open_alert();
    let out = env.code42(&[
        "--config",
        "cfg.toml",
        "run",
        &format!("!code42-alert-get"),
        &format!("id={id}"),
        "--output",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let result = &v["results"][0];
    let mut keys: Vec<&str> = result.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["files", "outputs", "outputs_key_field", "outputs_prefix", "raw_response", "readable_output"]);
    assert_eq!(result["outputs_prefix"], "Code42.SecurityAlert");
    assert_eq!(result["outputs_key_field"], "ID");
    assert_eq!(result["outputs"][0]["ID"], id.as_str());
    assert_eq!(result["raw_response"]["sessionId"], id.as_str());
    assert!(result["readable_output"].as_str().unwrap().starts_with("### Code42 Security Alert Results"));
    assert_eq!(result["files"], serde_json::json!([]));
}

#[test]
fn run_prints_markdown_and_merges_into_the_context_file() {
    let env = Env::start();
    let id = env.open_alert();
    std::fs::write(env.path("ctx.json"), r#"{"Existing": {"Value": 1}}"#).unwrap();
    let out = env.code42(&[
        "--config",
        "cfg.toml",
        "run",
        "code42-alert-resolve",
        &format!("id={id}"),
        "--context",
        "ctx.json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("### Code42 Security Alert Resolved\n|Type|Occurred|"), "{}", stdout(&out));
    let ctx: Value = serde_json::from_str(&std::fs::read_to_string(env.path("ctx.json")).unwrap()).unwrap();
    assert_eq!(ctx["Existing"]["Value"], 1);
    assert_eq!(ctx["Code42"]["SecurityAlert"][0]["ID"], id.as_str());
    assert_eq!(ctx["Code42"]["SecurityAlert"][0]["State"], "CLOSED_TP");
}

#[test]
fn failures_use_the_reference_wrapper_text() {
    let env = Env::start();
    let out = env.code42(&["--config", "cfg.toml", "run", "code42-alert-update", "id=x", "state=DONE"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim_end(),
        "Failed to execute code42-alert-update command. Error: Invalid value 'DONE' for argument 'state'; expected one of: OPEN, CLOSED_TP, CLOSED_FP, CLOSED_TP_BENIGN"
    );
    let out = env.code42(&["--config", "cfg.toml", "run", "code42-alert-get"]);
    assert_eq!(
        stderr(&out).trim_end(),
        "Failed to execute code42-alert-get command. Error: Missing required argument: id"
    );
    let out = env.code42(&["--config", "cfg.toml", "run", "code42-alert-get", "id"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expected NAME=VALUE"));
    let out = env.code42(&["--config", "cfg.toml", "run", "code42-no-such-thing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Unknown command 'code42-no-such-thing'"));
}

#[test]
fn dropped_connections_are_retried_and_stderr_holds_only_the_error_line() {
    let env = Env::start();
    let id = env.open_alert();
    let path = format!("/v1/sessions/{id}");
    let alert_get = ["--config", "cfg.toml", "run", "code42-alert-get", &format!("id={id}")];

    env.sim.inject(&path, incydr_sim::faults::Fault::Close, 1);
    let out = env.code42(&alert_get);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing but the command's output without -v");
    assert!(stdout(&out).contains(&id));

    env.sim.inject(&path, incydr_sim::faults::Fault::Close, 10);
    let out = env.code42(&alert_get);
    assert_eq!(out.status.code(), Some(1));
    let host = env.sim.api_url().trim_start_matches("http://").to_string();
    assert_eq!(
        stderr(&out),
        format!(
            "Failed to execute code42-alert-get command. Error: Error contacting Code42: the connection to {host} \
             closed before it answered\n"
        )
    );
}

#[test]
fn commands_and_help_come_from_the_manifest() {
    let env = Env::start();
    let out = env.code42(&["commands"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&out).lines().filter(|l| l.trim_start().starts_with("code42-")).count();
    assert_eq!(listed, 58, "{}", stdout(&out));
    let out = env.code42(&["run", "code42-alert-update", "--help"]);
    let help = stdout(&out);
    assert!(
        help.contains("state  The new state. [required; one of: OPEN, CLOSED_TP, CLOSED_FP, CLOSED_TP_BENIGN]"),
        "{help}"
    );
    assert!(help.contains("Code42.SecurityAlert.ID"), "{help}");
    let out = env.code42(&["run", "code42-get-user-risk-profile", "--help"]);
    assert!(stdout(&out).starts_with("code42-user-get-risk-profile\n"), "{}", stdout(&out));
}

/// The launch spec a cached start reads instead of the manifest: beside the artifact.
fn launch_spec_file(env: &Env) -> PathBuf {
    let entries = std::fs::read_dir(env.path("cache")).unwrap();
    let mut found: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "launch")).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.pop().unwrap()
}

#[test]
fn a_cached_start_takes_parameters_and_names_from_beside_the_artifact_and_heals_a_bad_copy() {
    use host_runner::launch_spec::LaunchSpec;
    let env = Env::start();
    let id = env.open_alert();
    let run = |env: &Env| env.code42(&["--config", "cfg.toml", "run", "!code42-alert-get", &format!("id={id}")]);
    assert!(run(&env).status.success());
    let file = launch_spec_file(&env);
    let written = std::fs::read(&file).unwrap();
    let spec = LaunchSpec::read(&file).unwrap();
    let params: Vec<&str> = spec.params.iter().map(|p| p.name.as_str()).collect();
    assert!(params.contains(&"client_secret") && params.contains(&"fetch_time"), "{params:?}");
    assert_eq!(spec.command("code42-get-user-risk-profile"), Some("code42-user-get-risk-profile"));

    // What the file says is what the next start goes by: without fetch_time, the key is unknown.
    let mut edited = spec.clone();
    edited.params.retain(|p| p.name != "fetch_time");
    edited.write(&file).unwrap();
    let out = run(&env);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Unknown key 'fetch_time'"), "{}", stderr(&out));

    // A copy that cannot be read is derived again from the component and rewritten.
    std::fs::write(&file, b"\xff\xff\xff").unwrap();
    let out = run(&env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&file).unwrap(), written);
}

#[test]
fn fetch_saves_the_state_and_the_next_run_continues_from_it() {
    let env = Env::start();
    let first = env.code42(&["--config", "cfg.toml", "fetch", "--state", "state.json"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let first: Value = serde_json::from_str(&stdout(&first)).unwrap();
    let state: Value = serde_json::from_str(&std::fs::read_to_string(env.path("state.json")).unwrap()).unwrap();
    assert_eq!(first["last_run"], state);
    assert_eq!(state["version"], 1);
    let incidents = first["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 5, "fetch_limit defaults to 5");
    for i in incidents {
        assert!(i["name"].as_str().unwrap().starts_with("Code42 - "));
        let raw: Value = serde_json::from_str(i["rawJSON"].as_str().unwrap()).unwrap();
        assert!(raw["sessionId"].is_string());
    }
    let second = env.code42(&["--config", "cfg.toml", "fetch", "--state", "state.json"]);
    let second: Value = serde_json::from_str(&stdout(&second)).unwrap();
    let ids = |v: &Value| -> Vec<String> {
        v["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                serde_json::from_str::<Value>(i["rawJSON"].as_str().unwrap()).unwrap()["sessionId"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(b.len(), 5);
    assert!(a.iter().all(|id| !b.contains(id)), "no incident twice: {a:?} {b:?}");
    std::fs::write(env.path("state.json"), "{\"version\": 9}").unwrap();
    let bad = env.code42(&["--config", "cfg.toml", "fetch", "--state", "state.json"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("The fetch state cannot be used"), "{}", stderr(&bad));
    assert_eq!(
        std::fs::read_to_string(env.path("state.json")).unwrap(),
        "{\"version\": 9}",
        "a bad state is kept for inspection"
    );
}

#[test]
fn a_token_serves_the_next_processes_until_it_is_refused() {
    let env = Env::start();
    let id = env.open_alert();
    let alert_get = |config: &str| {
        let out = env.code42(&["--config", config, "run", "code42-alert-get", &format!("id={id}")]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains(&id));
    };
    alert_get("cfg.toml");
    alert_get("cfg.toml");
    assert_eq!(env.sim.tokens_issued(), 1, "the second process reuses the first one's token");

    let kept: Vec<PathBuf> = std::fs::read_dir(env.path("cache/tokens")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let text = std::fs::read_to_string(&kept[0]).unwrap();
    assert!(!text.contains(SECRET) && !kept[0].to_string_lossy().contains(SECRET));
    assert!(text.contains("\"gateway\""), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&kept[0]).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Revoked: the next process gets a 401, asks for one new token and keeps it.
    env.sim.expire_tokens();
    alert_get("cfg.toml");
    alert_get("cfg.toml");
    assert_eq!(env.sim.tokens_issued(), 2);

    // Turned off, every process asks again.
    let config = std::fs::read_to_string(env.path("cfg.toml")).unwrap() + "token_cache = false\n";
    std::fs::write(env.path("no-cache.toml"), config).unwrap();
    alert_get("no-cache.toml");
    alert_get("no-cache.toml");
    assert_eq!(env.sim.tokens_issued(), 4);
}

#[test]
fn the_secret_and_bearer_tokens_appear_in_no_output() {
    let env = Env::start();
    let id = env.open_alert();
    let runs = [
        env.code42(&["--config", "cfg.toml", "test-module"]),
        env.code42(&[
            "--config",
            "cfg.toml",
            "run",
            "code42-alert-get",
            &format!("id={id}"),
            "--output",
            "json",
            "--context",
            "ctx.json",
        ]),
        env.code42(&["--config", "cfg.toml", "run", "code42-alert-update", &format!("id={id}"), "state=CLOSED_FP"]),
        env.code42(&["--config", "cfg.toml", "run", "code42-alert-get", "id=nope", "--output", "json"]),
        env.code42(&["--config", "cfg.toml", "run", "code42-alert-update", "id=x", "state=BAD"]),
        env.code42(&["--config", "cfg.toml", "fetch", "--state", "state.json"]),
        env.code42(&["--config", "cfg.toml", "-vv", "test-module"]),
    ];
    let mut texts: Vec<String> = runs.iter().flat_map(|o| [stdout(o), stderr(o)]).collect();
    for file in ["ctx.json", "state.json"] {
        texts.push(std::fs::read_to_string(env.path(file)).unwrap());
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_no_secret(&env, &refs);
}

#[test]
fn demo_shows_test_module_an_alert_and_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_code42"))
        .current_dir(dir.path())
        .args(["--no-cache", "demo"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("── 1. code42 test-module\nok"), "{text}");
    assert!(
        text.contains("### Code42 Security Alert Results\n|Type|Occurred|Username|Name|Description|State|ID|"),
        "{text}"
    );
    assert!(text.contains("5 incidents in"), "{text}");
    assert!(!text.contains("simulated-secret"));
    assert!(Path::new(dir.path()).read_dir().unwrap().next().is_none(), "the demo leaves no files behind");
}

#[test]
fn download_file_writes_inside_the_files_dir_with_its_file_context() {
    let env = Env::start();
    let (sha, bytes) = {
        let tenant = env.sim.tenant();
        let (sha, bytes) = tenant.files.iter().next().unwrap();
        (sha.clone(), bytes.clone())
    };
    let args = [
        "--config",
        "cfg.toml",
        "run",
        "code42-download-file",
        &format!("hash={sha}"),
        "filename=../../escape.txt",
        "--files-dir",
        "out",
        "--output",
        "json",
        "--context",
        "ctx.json",
    ];
    let out = env.code42(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let result = &v["results"][0];
    let file = &result["files"][0];
    assert_eq!(file["name"], "escape.txt");
    assert_eq!(file["sha256"], sha.as_str());
    assert_eq!(file["size"], bytes.len());
    let written = env.path("out").join("escape.txt");
    assert_eq!(std::fs::read(&written).unwrap(), bytes);
    assert!(
        !env.dir.path().join("escape.txt").exists() && !env.dir.path().parent().unwrap().join("escape.txt").exists()
    );
    assert_eq!(result["outputs_prefix"], "File");
    let ctx = &result["outputs"];
    assert_eq!(ctx["SHA256"], sha.as_str());
    assert_eq!(ctx["Size"], bytes.len());
    assert_eq!(ctx["Name"], "escape.txt");
    assert_eq!(ctx["Extension"], "txt");
    assert_eq!(ctx["Type"], "ASCII text");
    assert_eq!(ctx["MD5"].as_str().unwrap().len(), 32);
    assert_eq!(ctx["SHA1"].as_str().unwrap().len(), 40);
    assert!(ctx["SSDeep"].as_str().unwrap().contains(':'));
    assert_eq!(ctx["EntryID"], file["path"]);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(env.path("ctx.json")).unwrap()).unwrap();
    assert_eq!(saved["File"]["SHA256"], sha.as_str());
}

#[test]
fn every_command_runs_from_the_cli_with_json_output() {
    let env = Env::start();
    let (agent, rule) = {
        let t = env.sim.tenant();
        (t.agents[0].agent_id.clone(), t.rules[0].id.clone())
    };
    let (user, org, sha, xfc, session, event) = {
        let t = env.sim.tenant();
        let session = t.sessions.iter().find(|s| !s.triggered_alerts.is_empty()).unwrap().session_id.clone();
        let event = t.session_events[&session][0]["event"]["id"].as_str().unwrap().to_string();
        (
            t.users[4].username.clone(),
            t.orgs[0].name.clone(),
            t.files.keys().next().unwrap().clone(),
            t.xfc_files.keys().next().unwrap().clone(),
            session,
            event,
        )
    };
    let u = format!("username={user}");
    let runs: Vec<Vec<String>> = [
        vec!["code42-alert-get".to_string(), format!("id={session}")],
        vec!["code42-alert-update".into(), format!("id={session}"), "state=CLOSED_FP".into()],
        vec!["code42-alert-resolve".into(), format!("id={session}")],
        vec!["code42-alert-search".into(), "severity=high,critical".into(), "limit=5".into()],
        vec!["code42-alert-add-note".into(), format!("id={session}"), "note=from the CLI".into()],
        vec!["code42-alert-file-events".into(), format!("id={session}"), "limit=3".into()],
        vec!["code42-file-events-search".into(), u.clone(), "add-to-context=true".into()],
        vec!["code42-file-events-table".into(), "include=searches".into()],
        vec!["code42-departingemployee-add".into(), u.clone(), "departuredate=2031-01-01".into()],
        vec!["code42-departingemployee-get".into(), u.clone()],
        vec!["code42-departingemployee-get-all".into()],
        vec!["code42-departingemployee-remove".into(), u.clone()],
        vec!["code42-highriskemployee-add".into(), u.clone(), "note=n".into()],
        vec!["code42-highriskemployee-get".into(), u.clone()],
        vec!["code42-highriskemployee-add-risk-tags".into(), u.clone(), "risktags=FLIGHT_RISK".into()],
        vec!["code42-highriskemployee-get-all".into(), "risktags=FLIGHT_RISK".into()],
        vec!["code42-highriskemployee-remove-risk-tags".into(), u.clone(), "risktags=FLIGHT_RISK".into()],
        vec!["code42-highriskemployee-remove".into(), u.clone()],
        vec![
            "code42-user-create".into(),
            format!("orgname={org}"),
            "username=cli.user@example.com".into(),
            "email=cli.user@example.com".into(),
        ],
        vec!["code42-user-block".into(), u.clone()],
        vec!["code42-user-unblock".into(), u.clone()],
        vec!["code42-user-deactivate".into(), u.clone()],
        vec!["code42-user-reactivate".into(), u.clone()],
        vec!["code42-legalhold-add-user".into(), u.clone(), "mattername=Patent Lawsuit".into()],
        vec!["code42-legalhold-remove-user".into(), u.clone(), "mattername=Patent Lawsuit".into()],
        vec!["code42-legalhold-matters-list".into(), "active=true".into()],
        vec!["code42-download-file".into(), format!("hash={sha}")],
        vec!["code42-download-file-by-xfc-id".into(), format!("xfc_id={xfc}")],
        vec!["code42-watchlists-list".into()],
        vec!["code42-watchlists-add-user".into(), u.clone(), "watchlist=NEW_EMPLOYEE".into()],
        vec!["code42-watchlists-list-included-users".into(), "watchlist=NEW_EMPLOYEE".into()],
        vec!["code42-watchlists-remove-user".into(), u.clone(), "watchlist=NEW_EMPLOYEE".into()],
        vec!["code42-watchlist-create".into(), "type=CUSTOM".into(), "title=CLI list".into()],
        vec!["code42-watchlist-delete".into(), "watchlist=CLI list".into()],
        vec!["code42-actor-get".into(), u.clone()],
        vec!["code42-users-list".into(), "limit=3".into()],
        vec!["code42-case-create".into(), "name=CLI case".into(), format!("subject={user}")],
        vec!["code42-case-get".into(), "number=1".into()],
        vec!["code42-case-list".into(), "status=OPEN".into()],
        vec!["code42-case-update".into(), "number=1".into(), "description=from the CLI".into()],
        vec!["code42-case-add-file-events".into(), "number=1".into(), format!("event_ids={event}")],
        vec!["code42-case-file-events-list".into(), "number=1".into()],
        vec!["code42-case-remove-file-event".into(), "number=1".into(), format!("event_id={event}")],
        vec!["code42-case-export".into(), "number=1".into(), "what=full".into()],
        vec!["code42-case-close".into(), "number=1".into()],
        vec!["code42-audit-log-search".into(), "start_time=30 days".into(), "limit=5".into()],
        vec!["code42-agents-list".into(), "limit=3".into()],
        vec!["code42-agent-get".into(), format!("agent_id={agent}")],
        vec!["code42-agent-deactivate".into(), format!("agent_ids={agent}")],
        vec!["code42-agent-activate".into(), format!("agent_ids={agent}")],
        vec!["code42-alert-rules-list".into()],
        vec!["code42-alert-rule-disable".into(), format!("rule_ids={rule}")],
        vec!["code42-alert-rule-enable".into(), format!("rule_ids={rule}")],
        vec!["code42-trusted-activities-list".into()],
        vec!["code42-trusted-activity-add".into(), "type=SLACK".into(), "value=cli-workspace".into()],
        vec!["code42-trusted-activity-remove".into(), "id=7001".into()],
        vec!["code42-user-get-risk-profile".into(), u.clone()],
        vec!["code42-user-update-risk-profile".into(), u.clone(), "notes=cli".into()],
    ]
    .into();
    let mut seen = std::collections::BTreeSet::new();
    let mut texts = Vec::new();
    for run in &runs {
        let mut args: Vec<&str> = vec!["--config", "cfg.toml", "run"];
        args.extend(run.iter().map(String::as_str));
        args.extend(["--output", "json", "--files-dir", "files", "--context", "ctx.json"]);
        let out = env.code42(&args);
        assert!(out.status.success(), "{}: {}", run[0], stderr(&out));
        texts.extend([stdout(&out), stderr(&out)]);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{}: {e}", run[0]));
        assert!(v["results"][0]["readable_output"].is_string(), "{}", run[0]);
        seen.insert(run[0].clone());
    }
    let listed = stdout(&env.code42(&["commands"]));
    let all: std::collections::BTreeSet<String> = listed
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("code42-"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(seen, all, "every listed command was run");

    // Failures and fetch too, then every byte the runs left behind.
    for args in [
        vec![
            "--config",
            "cfg.toml",
            "run",
            "code42-legalhold-remove-user",
            "username=nobody@example.com",
            "mattername=x",
        ],
        vec!["--config", "cfg.toml", "run", "code42-file-events-search", "json={bad"],
        vec!["--config", "cfg.toml", "fetch", "--state", "state.json", "--sink", "sink.jsonl"],
        vec!["--config", "cfg.toml", "-vv", "fetch", "--state", "state.json"],
    ] {
        let out = env.code42(&args);
        texts.extend([stdout(&out), stderr(&out)]);
    }
    for file in ["ctx.json", "state.json", "sink.jsonl"] {
        texts.push(std::fs::read_to_string(env.path(file)).unwrap());
    }
    for entry in std::fs::read_dir(env.path("files")).unwrap() {
        texts.push(String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned());
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_no_secret(&env, &refs);
}

/// Session ids of the incidents in a JSON-lines sink.
fn sink_ids(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| {
            let incident: Value = serde_json::from_str(l).unwrap();
            let raw: Value = serde_json::from_str(incident["rawJSON"].as_str().unwrap()).unwrap();
            raw["sessionId"].as_str().unwrap().to_string()
        })
        .collect()
}

fn open_alerts(sim: &Simulator) -> std::collections::BTreeSet<String> {
    let t = sim.tenant();
    t.sessions
        .iter()
        .filter(|s| !s.triggered_alerts.is_empty() && matches!(s.state(), "OPEN" | "OPEN_NEW_DATA"))
        .map(|s| s.session_id.clone())
        .collect()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn pending_in_state(path: &Path) -> Option<usize> {
    let state: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    state["pending"].as_array().map(Vec::len)
}

fn terminate(child: &std::process::Child) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_killed_watch_loses_nothing_when_restarted() {
    let env = Env::start_with(SimConfig { sessions: 200, ..SimConfig::default() });
    let cfg = std::fs::read_to_string(env.path("cfg.toml")).unwrap();
    std::fs::write(env.path("watch.toml"), format!("{cfg}fetch_limit = 7\n")).unwrap();
    let args = [
        "--config",
        "watch.toml",
        "fetch",
        "--watch",
        "--interval",
        "0.02",
        "--sink",
        "out.jsonl",
        "--state",
        "state.json",
        "--quiet",
    ];
    let sink = env.path("out.jsonl");

    let mut first = env.command(&args).spawn().unwrap();
    wait_for("a few runs", || sink_ids(&sink).len() >= 30);
    first.kill().unwrap(); // SIGKILL: no chance to finish the run or save anything
    first.wait().unwrap();
    let before_restart = sink_ids(&sink).len();

    let mut second = env.command(&args).spawn().unwrap();
    wait_for("the backlog to drain", || {
        pending_in_state(&env.path("state.json")) == Some(0) && sink_ids(&sink).len() > before_restart
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    terminate(&second);
    assert!(second.wait().unwrap().success());

    let ids = sink_ids(&sink);
    let got: std::collections::BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(got, open_alerts(&env.sim), "every open alert reached the sink");
    assert!(
        ids.len() - got.len() <= 7,
        "at most the batch in flight at the kill is repeated ({} extra)",
        ids.len() - got.len()
    );
}

#[test]
fn sigterm_finishes_the_run_saves_the_state_and_exits() {
    let env = Env::start();
    let child = env
        .command(&[
            "--config",
            "cfg.toml",
            "fetch",
            "--watch",
            "--interval",
            "3600",
            "--state",
            "state.json",
            "--quiet",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the first run", || env.path("state.json").exists());
    terminate(&child);
    let started = std::time::Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "the wait between runs is cut short");
    let lines: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5, "one JSON line per incident");
    assert!(lines.iter().all(|l| l["name"].as_str().unwrap().starts_with("Code42 - ")));
    let state: Value = serde_json::from_str(&std::fs::read_to_string(env.path("state.json")).unwrap()).unwrap();
    assert_eq!(state["version"], 1);
}
