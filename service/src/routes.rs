//! The HTTP contract, whoever hosts the component:
//!
//! | route | answer |
//! |---|---|
//! | `GET /healthz` | `{"status":"ok"}`, no authentication, no upstream request |
//! | `GET /v1/manifest` | the manifest |
//! | `GET /openapi.json` | an OpenAPI 3.1 document generated from the manifest |
//! | `POST /v1/test-module` | `{"ok": true}` |
//! | `POST /v1/commands/{command}` | `{"args", "context", "incident"}` → `{"results": [...]}` (+ `"context"`) |
//! | `POST /v1/fetch-incidents` | `{"last_run"}` → `{"incidents": [...], "last_run": {...}}` |
//!
//! Every route but `/healthz` needs `Authorization: Bearer <service_token>`; with no token
//! configured they answer 503: the service is never open by default. Errors are
//! `{"error": {"kind", "message", "argument"?}}`.

use crate::config::{Config, ParamValue, SERVICE_TOKEN};
use crate::manifest::Manifest;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use soar_results::envelope::{FileView, ResultParts, ResultView, results_json};
use soar_results::incidents::{IncidentParts, fetch_json};
use std::cell::RefCell;
use subtle::ConstantTimeEq;

/// The largest request body read; a larger one is answered 413.
pub const MAX_BODY: usize = 1024 * 1024;

/// An HTTP request as the service sees it.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// Without the query.
    pub path: String,
    pub authorization: Option<String>,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    Complete(Vec<u8>),
    /// More than [`MAX_BODY`] bytes were sent (or announced).
    TooLarge,
}

#[derive(Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn json(status: u16, body: &Value) -> Self {
        Response {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Why a call failed: an integration's error (WIT `integration-error`), or the service's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    /// The argument at fault, for invalid-argument.
    pub argument: Option<String>,
    /// The method a 405 names in `Allow`.
    pub allow: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    InvalidArgument,
    NotFound,
    /// Code42 refused the integration's credentials.
    Unauthorized,
    /// Code42 answered with an error.
    Upstream,
    /// Code42 did not answer.
    Transport,
    Internal,
    /// The caller presented no valid service token.
    Forbidden,
    MethodNotAllowed,
    PayloadTooLarge,
    /// The service's own configuration is missing or wrong.
    Unavailable,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::InvalidArgument => "invalid-argument",
            Kind::NotFound => "not-found",
            Kind::Unauthorized | Kind::Forbidden => "unauthorized",
            Kind::Upstream => "upstream",
            Kind::Transport => "transport",
            Kind::Internal => "internal",
            Kind::MethodNotAllowed => "method-not-allowed",
            Kind::PayloadTooLarge => "payload-too-large",
            Kind::Unavailable => "unavailable",
        }
    }

    fn status(self) -> u16 {
        match self {
            Kind::InvalidArgument => 400,
            Kind::Forbidden => 401,
            Kind::NotFound => 404,
            Kind::MethodNotAllowed => 405,
            Kind::PayloadTooLarge => 413,
            Kind::Internal => 500,
            Kind::Unauthorized | Kind::Upstream => 502,
            Kind::Unavailable => 503,
            Kind::Transport => 504,
        }
    }
}

impl Failure {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Failure { kind, message: message.into(), argument: None, allow: None }
    }

    pub fn invalid_argument(argument: &str, message: impl Into<String>) -> Self {
        Failure { argument: Some(argument.to_string()), ..Self::new(Kind::InvalidArgument, message) }
    }

    fn response(&self) -> Response {
        let mut error = json!({"kind": self.kind.name(), "message": self.message});
        if let Some(argument) = &self.argument {
            error["argument"] = json!(argument);
        }
        let response = Response::json(self.kind.status(), &json!({ "error": error }));
        match (self.kind, self.allow) {
            (Kind::Forbidden, _) => response.with_header("www-authenticate", "Bearer"),
            (_, Some(allowed)) => response.with_header("allow", allowed),
            _ => response,
        }
    }
}

/// One result of a command, as the integration returned it.
#[derive(Debug, Clone, Default)]
pub struct CommandOutput {
    pub readable_output: String,
    pub outputs_prefix: Option<String>,
    pub outputs_key_field: Option<String>,
    pub outputs_json: Option<String>,
    pub raw_response_json: Option<String>,
    pub files: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Clone)]
pub struct IncidentOutput {
    pub name: String,
    pub occurred: String,
    pub severity: f32,
    pub incident_type: Option<String>,
    pub raw_json: String,
}

#[derive(Debug, Clone)]
pub struct FetchOutput {
    pub incidents: Vec<IncidentOutput>,
    pub next_run_json: String,
}

/// The integration behind the service: the composed component's `soar:integration` imports, or a
/// scripted one in tests.
pub trait Integration {
    type Instance;
    fn manifest(&self) -> &Manifest;
    fn create(&self, params: &[(String, ParamValue)]) -> Result<Self::Instance, Failure>;
    fn test_module(&self, instance: &Self::Instance) -> Result<(), Failure>;
    fn execute(
        &self,
        instance: &Self::Instance,
        command: &str,
        args: Vec<(String, String)>,
        incident_json: Option<String>,
        context_json: Option<String>,
    ) -> Result<Vec<CommandOutput>, Failure>;
    fn fetch_incidents(&self, instance: &Self::Instance, last_run_json: Option<String>)
    -> Result<FetchOutput, Failure>;
}

/// The service: the integration and its instance, kept while the configuration stays the same so
/// that a host which reuses the component (`code42 serve`) reuses the OAuth token too.
pub struct Service<I: Integration> {
    integration: I,
    instance: RefCell<Option<(u64, I::Instance)>>,
}

impl<I: Integration> Service<I> {
    pub fn new(integration: I) -> Self {
        Service { integration, instance: RefCell::new(None) }
    }

    /// Answers one request; `config` reads the configuration (`wasi:config/store` get-all) and
    /// is not called for `/healthz`.
    pub fn handle(&self, request: Request, config: impl FnOnce() -> Result<Vec<(String, String)>, String>) -> Response {
        match self.route(request, config) {
            Ok(response) => response,
            Err(failure) => failure.response(),
        }
    }

    fn route(
        &self,
        request: Request,
        config: impl FnOnce() -> Result<Vec<(String, String)>, String>,
    ) -> Result<Response, Failure> {
        let method = request.method.as_str();
        if request.path == "/healthz" {
            allow(method, "GET")?;
            return Ok(Response::json(200, &json!({"status": "ok"})));
        }
        let manifest = self.integration.manifest();
        let config = config()
            .and_then(|vars| Config::read(vars, manifest))
            .map_err(|e| Failure::new(Kind::Unavailable, format!("The service is not configured correctly: {e}")))?;
        authorize(&config, request.authorization.as_deref())?;

        let path = request.path.as_str();
        match path {
            "/v1/manifest" => {
                allow(method, "GET")?;
                Ok(Response::json(200, &serde_json::to_value(manifest).expect("the manifest serialises")))
            }
            "/openapi.json" => {
                allow(method, "GET")?;
                Ok(Response::json(200, &crate::openapi::document(manifest)))
            }
            "/v1/test-module" => {
                allow(method, "POST")?;
                self.with_instance(&config, |i| self.integration.test_module(i))?;
                Ok(Response::json(200, &json!({"ok": true})))
            }
            "/v1/fetch-incidents" => {
                allow(method, "POST")?;
                let body = json_body(request.body)?;
                self.fetch(&config, body)
            }
            _ => match path.strip_prefix("/v1/commands/") {
                Some(command) if !command.is_empty() && !command.contains('/') => {
                    allow(method, "POST")?;
                    let body = json_body(request.body)?;
                    self.command(&config, command, body)
                }
                _ => Err(Failure::new(Kind::NotFound, format!("No route {path}"))),
            },
        }
    }

    fn with_instance<T>(
        &self,
        config: &Config,
        call: impl FnOnce(&I::Instance) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let fingerprint = config.fingerprint();
        let mut cached = self.instance.borrow_mut();
        if cached.as_ref().is_none_or(|(f, _)| *f != fingerprint) {
            let instance = self.integration.create(&config.params).map_err(|e| {
                Failure::new(Kind::Unavailable, format!("The service's configuration is not valid: {}", e.message))
            })?;
            *cached = Some((fingerprint, instance));
        }
        let (_, instance) = cached.as_ref().expect("just made");
        call(instance)
    }

    fn command(&self, config: &Config, typed: &str, body: Map<String, Value>) -> Result<Response, Failure> {
        let spec = self.integration.manifest().command(typed).ok_or_else(|| {
            Failure::new(Kind::NotFound, format!("Unknown command '{typed}'. GET /v1/manifest lists the commands."))
        })?;
        let args = match body.get("args") {
            None | Some(Value::Null) => vec![],
            Some(Value::Object(args)) => {
                args.iter().filter_map(|(name, value)| arg_text(name, value).transpose()).collect::<Result<_, _>>()?
            }
            Some(_) => return Err(Failure::invalid_argument("args", "args must be an object of NAME: value")),
        };
        let context = object_field(&body, "context")?;
        let incident = object_field(&body, "incident")?;
        let outputs = self.with_instance(config, |i| {
            self.integration.execute(
                i,
                &spec.name,
                args,
                incident.map(|v| v.to_string()),
                context.as_ref().map(|v| v.to_string()),
            )
        })?;
        let views = outputs.iter().map(view).collect::<Result<Vec<_>, _>>()?;
        let mut answer = results_json(&views);
        if let Some(context) = context {
            answer["context"] = soar_results::context::merge_results(context, &views);
        }
        Ok(Response::json(200, &answer))
    }

    fn fetch(&self, config: &Config, body: Map<String, Value>) -> Result<Response, Failure> {
        let last_run = match body.get("last_run") {
            None | Some(Value::Null) => None,
            Some(state @ Value::Object(_)) => Some(state.to_string()),
            Some(_) => {
                return Err(Failure::invalid_argument(
                    "last_run",
                    "last_run must be the object a fetch returned, or null",
                ));
            }
        };
        let result = self.with_instance(config, |i| self.integration.fetch_incidents(i, last_run))?;
        let incidents = result.incidents.iter().map(|i| IncidentParts {
            name: &i.name,
            occurred: &i.occurred,
            severity: i.severity,
            incident_type: i.incident_type.as_deref(),
            raw_json: &i.raw_json,
        });
        let answer = fetch_json(incidents, &result.next_run_json).map_err(|e| Failure::new(Kind::Internal, e))?;
        Ok(Response::json(200, &answer))
    }
}

/// 405 with `Allow` unless the method is the route's.
fn allow(method: &str, allowed: &'static str) -> Result<(), Failure> {
    if method == allowed {
        return Ok(());
    }
    let message = format!("{method} is not allowed here; use {allowed}");
    Err(Failure { allow: Some(allowed), ..Failure::new(Kind::MethodNotAllowed, message) })
}

/// The caller's bearer token must be the configured one, compared in constant time (through
/// digests, so not even the length leaks).
fn authorize(config: &Config, authorization: Option<&str>) -> Result<(), Failure> {
    let Some(expected) = &config.service_token else {
        return Err(Failure::new(
            Kind::Unavailable,
            format!("The service is not configured: set {SERVICE_TOKEN}, the bearer token callers must present"),
        ));
    };
    let given = authorization.and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")));
    let matches = given.is_some_and(|g| {
        let (g, e) = (Sha256::digest(g.trim().as_bytes()), Sha256::digest(expected.as_bytes()));
        bool::from(g.as_slice().ct_eq(e.as_slice()))
    });
    if matches {
        Ok(())
    } else {
        Err(Failure::new(Kind::Forbidden, "A valid bearer token is required (Authorization: Bearer <service_token>)"))
    }
}

/// The body as a JSON object; an empty body is an empty object.
fn json_body(body: Body) -> Result<Map<String, Value>, Failure> {
    let bytes = match body {
        Body::Complete(bytes) => bytes,
        Body::TooLarge => {
            return Err(Failure::new(
                Kind::PayloadTooLarge,
                format!("The request body is larger than {MAX_BODY} bytes"),
            ));
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::invalid_argument("body", "The request body must be a JSON object")),
        Err(e) => Err(Failure::invalid_argument("body", format!("The request body is not valid JSON: {e}"))),
    }
}

/// An optional object field of the body.
fn object_field(body: &Map<String, Value>, name: &str) -> Result<Option<Value>, Failure> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(value.clone())),
        Some(_) => Err(Failure::invalid_argument(name, format!("{name} must be a JSON object"))),
    }
}

/// An argument's value as text, as XSOAR hands arguments to an integration: strings as they are,
/// numbers in JSON notation, booleans `true`/`false`, lists of those joined with commas; null
/// means not given.
fn arg_text(name: &str, value: &Value) -> Result<Option<(String, String)>, Failure> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let text = match value {
        Value::Null => return Ok(None),
        Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>().map(|v| v.join(",")),
        other => scalar(other),
    };
    let text = text.ok_or_else(|| {
        Failure::invalid_argument(
            name,
            format!("Invalid value for argument '{name}': expected a string, number, boolean or list of them"),
        )
    })?;
    Ok(Some((name.to_string(), text)))
}

/// A result in the envelope of `code42 run --output json`, files carried inline.
fn view(output: &CommandOutput) -> Result<ResultView, Failure> {
    let files = output.files.iter().map(|(name, data)| FileView::inline(name.clone(), data)).collect();
    let parts = ResultParts {
        readable_output: &output.readable_output,
        outputs_prefix: output.outputs_prefix.as_deref(),
        outputs_key_field: output.outputs_key_field.as_deref(),
        outputs_json: output.outputs_json.as_deref(),
        raw_response_json: output.raw_response_json.as_deref(),
    };
    ResultView::new(parts, files).map_err(|e| Failure::new(Kind::Internal, e))
}

#[cfg(test)]
mod tests;
