use super::*;
use crate::manifest::{ArgSpec, CommandSpec, OutputSpec, ParamKind, ParamSpec};
use std::cell::Cell;

/// A scripted integration: records what it was asked, answers from a script.
#[derive(Default)]
struct Fake {
    manifest: Option<Manifest>,
    created: Cell<usize>,
    calls: RefCell<Vec<String>>,
    fail_with: RefCell<Option<Failure>>,
}

fn manifest() -> Manifest {
    let arg = |name: &str, required: bool| ArgSpec {
        name: name.into(),
        description: format!("The {name}."),
        required,
        default_value: None,
        possible_values: vec![],
        is_array: false,
        default_argument: false,
    };
    Manifest {
        name: "Code42".into(),
        display: "Code42 Incydr".into(),
        description: "Test".into(),
        version: "1.0".into(),
        params: vec![ParamSpec {
            name: "fetch_limit".into(),
            display: "Limit".into(),
            description: String::new(),
            kind: ParamKind::Integer,
            required: false,
            default_value: Some("5".into()),
            options: vec![],
            xsoar: crate::manifest::XsoarParam {
                name: "fetch_limit".into(),
                type_code: 0,
                required: false,
                default_value: Some("5".into()),
                section: None,
                credential: None,
                hidden: false,
            },
        }],
        commands: vec![
            CommandSpec {
                name: "code42-alert-get".into(),
                aliases: vec!["code42-alert-show".into()],
                description: "Get an alert.".into(),
                args: vec![arg("id", true), ArgSpec { is_array: true, ..arg("tags", false) }],
                outputs: vec![OutputSpec {
                    context_path: "Code42.SecurityAlert.ID".into(),
                    description: "The id.".into(),
                    value_type: "String".into(),
                }],
                writes: false,
                deprecated: false,
                reads_incident: false,
                reads_context: false,
            },
            CommandSpec {
                name: "code42-download-file".into(),
                aliases: vec![],
                description: "Download.".into(),
                args: vec![],
                outputs: vec![],
                writes: false,
                deprecated: false,
                reads_incident: false,
                reads_context: false,
            },
        ],
        fetches_incidents: true,
    }
}

impl Integration for Fake {
    type Instance = usize;

    fn manifest(&self) -> &Manifest {
        self.manifest.as_ref().unwrap()
    }

    fn create(&self, params: &[(String, ParamValue)]) -> Result<usize, Failure> {
        self.created.set(self.created.get() + 1);
        self.calls.borrow_mut().push(format!("create {params:?}"));
        Ok(self.created.get())
    }

    fn test_module(&self, instance: &usize) -> Result<(), Failure> {
        self.calls.borrow_mut().push(format!("test-module on {instance}"));
        self.fail_with.borrow().clone().map_or(Ok(()), Err)
    }

    fn execute(
        &self,
        _: &usize,
        command: &str,
        args: Vec<(String, String)>,
        incident: Option<String>,
        context: Option<String>,
    ) -> Result<Vec<CommandOutput>, Failure> {
        self.calls.borrow_mut().push(format!("{command} {args:?} incident={incident:?} context={context:?}"));
        if let Some(failure) = self.fail_with.borrow().clone() {
            return Err(failure);
        }
        if command == "code42-download-file" {
            return Ok(vec![CommandOutput {
                readable_output: "File".into(),
                files: vec![("r.txt".into(), b"hello".to_vec())],
                ..Default::default()
            }]);
        }
        Ok(vec![CommandOutput {
            readable_output: "### Alert".into(),
            outputs_prefix: Some("Code42.SecurityAlert".into()),
            outputs_key_field: Some("ID".into()),
            outputs_json: Some(r#"[{"ID": "a1", "State": "OPEN"}]"#.into()),
            raw_response_json: Some(r#"{"sessionId": "a1"}"#.into()),
            files: vec![],
        }])
    }

    fn fetch_incidents(&self, _: &usize, last_run: Option<String>) -> Result<FetchOutput, Failure> {
        self.calls.borrow_mut().push(format!("fetch {last_run:?}"));
        Ok(FetchOutput {
            incidents: vec![IncidentOutput {
                name: "Code42 - x".into(),
                occurred: "2024-01-01T00:00:00+00:00".into(),
                severity: 3.0,
                incident_type: Some("Code42 Security Alert".into()),
                raw_json: r#"{"sessionId":"a1"}"#.into(),
            }],
            next_run_json: r#"{"version":2,"last_fetch":7}"#.into(),
        })
    }
}

fn service() -> Service<Fake> {
    Service::new(Fake { manifest: Some(manifest()), ..Default::default() })
}

const TOKEN: &str = "s3rvice-token";

fn vars(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = vec![("service_token".to_string(), TOKEN.to_string()), ("fetch_limit".to_string(), "5".to_string())];
    all.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    all
}

fn request(method: &str, path: &str, body: &str) -> Request {
    Request {
        method: method.into(),
        path: path.into(),
        authorization: Some(format!("Bearer {TOKEN}")),
        body: Body::Complete(body.as_bytes().to_vec()),
    }
}

fn call(service: &Service<Fake>, request: Request) -> (u16, Value, Vec<(&'static str, String)>) {
    let response = service.handle(request, || Ok(vars(&[])));
    let body = serde_json::from_slice(&response.body).unwrap();
    (response.status, body, response.headers)
}

#[test]
fn healthz_needs_no_token_and_reads_no_configuration() {
    let service = service();
    let request = Request { authorization: None, ..request("GET", "/healthz", "") };
    let response = service.handle(request, || panic!("healthz must not read the configuration"));
    assert_eq!((response.status, response.body), (200, br#"{"status":"ok"}"#.to_vec()));
}

#[test]
fn without_a_configured_token_every_other_route_is_closed() {
    let service = service();
    for path in ["/v1/manifest", "/v1/test-module", "/v1/commands/code42-alert-get", "/nope"] {
        let response = service.handle(request("POST", path, "{}"), || Ok(vec![]));
        assert_eq!(response.status, 503, "{path}");
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["error"]["kind"], "unavailable");
        assert!(body["error"]["message"].as_str().unwrap().contains("service_token"));
    }
    assert!(service.integration.calls.borrow().is_empty());
}

#[test]
fn a_missing_or_wrong_token_is_401_and_nothing_runs() {
    let service = service();
    for authorization in [None, Some("Bearer wrong".to_string()), Some(TOKEN.to_string()), Some("Basic x".into())] {
        let request =
            Request { authorization, ..request("POST", "/v1/commands/code42-alert-get", r#"{"args":{"id":"a"}}"#) };
        let (status, body, headers) = call(&service, request);
        assert_eq!(status, 401);
        assert_eq!(body["error"]["kind"], "unauthorized");
        assert!(headers.contains(&("www-authenticate", "Bearer".to_string())));
        assert!(!body.to_string().contains(TOKEN));
    }
    assert!(service.integration.calls.borrow().is_empty());
}

#[test]
fn the_manifest_and_an_openapi_path_per_command() {
    let service = service();
    let (status, body, _) = call(&service, request("GET", "/v1/manifest", ""));
    assert_eq!(status, 200);
    assert_eq!(body["commands"][0]["name"], "code42-alert-get");
    assert_eq!(body["params"][0]["kind"], "integer");
    let (status, doc, _) = call(&service, request("GET", "/openapi.json", ""));
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let args = &doc["paths"]["/v1/commands/code42-alert-get"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["properties"]["args"];
    assert_eq!(args["required"], json!(["id"]));
    assert_eq!(args["properties"]["tags"]["type"], json!(["string", "number", "boolean", "array"]));
    assert!(doc["paths"]["/v1/commands/code42-download-file"].is_object());
    assert!(doc["paths"]["/healthz"]["get"]["security"].as_array().unwrap().is_empty());
}

#[test]
fn a_command_runs_with_its_args_as_text_and_merges_the_context() {
    let service = service();
    let body = r#"{"args": {"id": "a1", "tags": ["X", 2, true], "n": 1.5, "flag": false, "gone": null},
        "context": {"Code42": {"SecurityAlert": [{"ID": "a1", "State": "NEW"}]}, "Other": 1},
        "incident": {"id": "7"}}"#;
    let (status, answer, _) = call(&service, request("POST", "/v1/commands/!code42-alert-show", body));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        service.integration.calls.borrow()[1],
        r#"code42-alert-get [("id", "a1"), ("tags", "X,2,true"), ("n", "1.5"), ("flag", "false")] incident=Some("{\"id\":\"7\"}") context=Some("{\"Code42\":{\"SecurityAlert\":[{\"ID\":\"a1\",\"State\":\"NEW\"}]},\"Other\":1}")"#
    );
    assert_eq!(answer["results"][0]["outputs"], json!([{"ID": "a1", "State": "OPEN"}]));
    assert_eq!(answer["results"][0]["raw_response"], json!({"sessionId": "a1"}));
    assert_eq!(answer["context"], json!({"Code42": {"SecurityAlert": [{"ID": "a1", "State": "OPEN"}]}, "Other": 1}));
    let (_, without_context, _) =
        call(&service, request("POST", "/v1/commands/code42-alert-get", r#"{"args":{"id":"a"}}"#));
    assert!(without_context.get("context").is_none());
}

#[test]
fn files_come_inline_with_their_file_context() {
    let service = service();
    let (status, answer, _) = call(&service, request("POST", "/v1/commands/code42-download-file", ""));
    assert_eq!(status, 200);
    let result = &answer["results"][0];
    assert_eq!(result["files"][0]["content_base64"], "aGVsbG8=");
    assert_eq!(result["files"][0]["size"], 5);
    assert_eq!(result["outputs_prefix"], "File");
    assert_eq!(result["outputs"]["MD5"], "5d41402abc4b2a76b9719d911017c592");
    assert_eq!(result["outputs"]["Name"], "r.txt");
}

#[test]
fn bad_bodies_and_arguments_are_4xx_naming_what_is_wrong() {
    let service = service();
    let cases: &[(&str, Body, u16, &str, Option<&str>)] = &[
        ("/v1/commands/code42-alert-get", Body::Complete(b"{not json".to_vec()), 400, "invalid-argument", Some("body")),
        ("/v1/commands/code42-alert-get", Body::Complete(b"[1]".to_vec()), 400, "invalid-argument", Some("body")),
        (
            "/v1/commands/code42-alert-get",
            Body::Complete(br#"{"args": {"id": {"x": 1}}}"#.to_vec()),
            400,
            "invalid-argument",
            Some("id"),
        ),
        (
            "/v1/commands/code42-alert-get",
            Body::Complete(br#"{"args": [1]}"#.to_vec()),
            400,
            "invalid-argument",
            Some("args"),
        ),
        (
            "/v1/commands/code42-alert-get",
            Body::Complete(br#"{"context": "x"}"#.to_vec()),
            400,
            "invalid-argument",
            Some("context"),
        ),
        (
            "/v1/fetch-incidents",
            Body::Complete(br#"{"last_run": "x"}"#.to_vec()),
            400,
            "invalid-argument",
            Some("last_run"),
        ),
        ("/v1/commands/code42-alert-get", Body::TooLarge, 413, "payload-too-large", None),
        ("/v1/commands/no-such-command", Body::Complete(b"{}".to_vec()), 404, "not-found", None),
        ("/v1/nothing-here", Body::Complete(b"{}".to_vec()), 404, "not-found", None),
    ];
    for (path, body, status, kind, argument) in cases {
        let body = match body {
            Body::Complete(b) => Body::Complete(b.clone()),
            Body::TooLarge => Body::TooLarge,
        };
        let (got, answer, _) = call(&service, Request { body, ..request("POST", path, "") });
        assert_eq!(got, *status, "{path}: {answer}");
        assert_eq!(answer["error"]["kind"], *kind, "{path}");
        assert_eq!(answer["error"]["argument"].as_str(), *argument, "{path}");
    }
    assert_eq!(service.integration.created.get(), 0, "nothing reached the integration");
}

#[test]
fn a_wrong_method_is_405_with_allow() {
    let service = service();
    for (method, path, allowed) in
        [("POST", "/v1/manifest", "GET"), ("GET", "/v1/test-module", "POST"), ("DELETE", "/healthz", "GET")]
    {
        let (status, answer, headers) = call(&service, request(method, path, ""));
        assert_eq!(status, 405);
        assert_eq!(answer["error"]["kind"], "method-not-allowed");
        assert!(headers.contains(&("allow", allowed.to_string())), "{path}: {headers:?}");
    }
}

#[test]
fn integration_errors_map_to_statuses_with_the_cli_text() {
    let cases = [
        (Failure::invalid_argument("state", "Invalid value 'X' for argument 'state'"), 400, "invalid-argument"),
        (Failure::new(Kind::NotFound, "No user found"), 404, "not-found"),
        (Failure::new(Kind::Unauthorized, "Code42 refused the API client credentials"), 502, "unauthorized"),
        (Failure::new(Kind::Upstream, "500 Response Error"), 502, "upstream"),
        (Failure::new(Kind::Transport, "Error contacting Code42: no answer"), 504, "transport"),
        (Failure::new(Kind::Internal, "boom"), 500, "internal"),
    ];
    for (failure, status, kind) in cases {
        let service = service();
        *service.integration.fail_with.borrow_mut() = Some(failure.clone());
        let (got, answer, _) = call(&service, request("POST", "/v1/test-module", ""));
        assert_eq!((got, answer["error"]["kind"].as_str()), (status, Some(kind)));
        assert_eq!(answer["error"]["message"], failure.message.as_str());
        assert_eq!(answer["error"]["argument"].as_str(), failure.argument.as_deref());
    }
}

#[test]
fn fetch_passes_the_last_run_and_answers_as_code42_fetch_prints() {
    let service = service();
    let (status, answer, _) = call(&service, request("POST", "/v1/fetch-incidents", r#"{"last_run": {"version": 2}}"#));
    assert_eq!(status, 200);
    assert_eq!(service.integration.calls.borrow()[1], r#"fetch Some("{\"version\":2}")"#);
    assert_eq!(answer["last_run"], json!({"version": 2, "last_fetch": 7}));
    assert_eq!(answer["incidents"][0]["rawJSON"], r#"{"sessionId":"a1"}"#);
    assert_eq!(answer["incidents"][0]["type"], "Code42 Security Alert");
    call(&service, request("POST", "/v1/fetch-incidents", ""));
    assert_eq!(service.integration.calls.borrow()[2], "fetch None");
}

#[test]
fn the_instance_is_kept_while_the_configuration_stays_the_same() {
    let service = service();
    for _ in 0..3 {
        assert_eq!(call(&service, request("POST", "/v1/test-module", "")).0, 200);
    }
    assert_eq!(service.integration.created.get(), 1);
    let response = service.handle(request("POST", "/v1/test-module", ""), || Ok(vars(&[("fetch_limit", "9")])));
    assert_eq!(response.status, 200);
    assert_eq!(service.integration.created.get(), 2, "a new configuration gets a new instance");
    let response = service.handle(request("POST", "/v1/test-module", ""), || Ok(vars(&[("fetch_limit", "x")])));
    assert_eq!(response.status, 503);
}
