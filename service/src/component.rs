//! The WIT glue: the integration behind `soar:integration` imports, the configuration from
//! `wasi:config/store`, and the request and answer over `wasi:http` (the `incoming-handler`
//! export comes from the `wasip2` bindings).

use crate::config::ParamValue;
use crate::manifest::{ArgSpec, CommandSpec, Manifest, OutputSpec, ParamKind, ParamSpec, XsoarParam};
use crate::routes::{
    Body, CommandOutput, Failure, FetchOutput, IncidentOutput, Integration, Kind, MAX_BODY, Request, Response, Service,
};
use std::io::Write as _;
use wasip2::http::types::{Fields, IncomingRequest, Method, OutgoingBody, OutgoingResponse, ResponseOutparam};
use wasip2::io::streams::StreamError;

#[cfg(not(feature = "spin"))]
wit_bindgen::generate!({
    path: "../wit",
    world: "http-service",
    generate_all,
});

#[cfg(feature = "spin")]
wit_bindgen::generate!({
    path: "../wit",
    world: "http-service-spin",
    generate_all,
});

#[cfg(feature = "spin")]
use wasi::config0_2_0_draft_2024_09_27::store as config_store;
#[cfg(not(feature = "spin"))]
use wasi::config0_2_0_rc_1::store as config_store;

use soar::integration::integration as wit;
use soar::integration::types as wt;

/// The `soar:integration` the service was composed with.
struct Composed {
    manifest: Manifest,
}

impl Integration for Composed {
    type Instance = wit::Instance;

    fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn create(&self, params: &[(String, ParamValue)]) -> Result<wit::Instance, Failure> {
        let params: Vec<wt::Param> = params
            .iter()
            .map(|(name, value)| wt::Param {
                name: name.clone(),
                value: match value {
                    ParamValue::Text(s) => wt::ParamValue::Text(s.clone()),
                    ParamValue::Boolean(b) => wt::ParamValue::Boolean(*b),
                    ParamValue::Integer(i) => wt::ParamValue::Integer(*i),
                    ParamValue::Multi(items) => wt::ParamValue::Multi(items.clone()),
                },
            })
            .collect();
        wit::Instance::create(&params).map_err(failure)
    }

    fn test_module(&self, instance: &wit::Instance) -> Result<(), Failure> {
        instance.test_module().map_err(failure)
    }

    fn execute(
        &self,
        instance: &wit::Instance,
        command: &str,
        args: Vec<(String, String)>,
        incident_json: Option<String>,
        context_json: Option<String>,
    ) -> Result<Vec<CommandOutput>, Failure> {
        let args: Vec<wt::Arg> = args.into_iter().map(|(name, value)| wt::Arg { name, value }).collect();
        let results =
            instance.execute(command, &args, &wt::Invocation { incident_json, context_json }).map_err(failure)?;
        Ok(results
            .into_iter()
            .map(|r| CommandOutput {
                readable_output: r.readable_output,
                outputs_prefix: r.outputs_prefix,
                outputs_key_field: r.outputs_key_field,
                outputs_json: r.outputs_json,
                raw_response_json: r.raw_response_json,
                files: r.files.into_iter().map(|f| (f.name, f.data)).collect(),
            })
            .collect())
    }

    fn fetch_incidents(&self, instance: &wit::Instance, last_run_json: Option<String>) -> Result<FetchOutput, Failure> {
        let result = instance.fetch_incidents(last_run_json.as_deref()).map_err(failure)?;
        Ok(FetchOutput {
            incidents: result
                .incidents
                .into_iter()
                .map(|i| IncidentOutput {
                    name: i.name,
                    occurred: i.occurred,
                    severity: i.severity,
                    incident_type: i.incident_type,
                    raw_json: i.raw_json,
                })
                .collect(),
            next_run_json: result.next_run_json,
        })
    }
}

fn failure(e: wt::IntegrationError) -> Failure {
    match e {
        wt::IntegrationError::InvalidArgument(a) => Failure::invalid_argument(&a.name, a.message),
        wt::IntegrationError::NotFound(m) => Failure::new(Kind::NotFound, m),
        wt::IntegrationError::Unauthorized(m) => Failure::new(Kind::Unauthorized, m),
        wt::IntegrationError::Upstream(u) => Failure::new(Kind::Upstream, u.message),
        wt::IntegrationError::Transport(m) => Failure::new(Kind::Transport, m),
        wt::IntegrationError::Internal(m) => Failure::new(Kind::Internal, m),
    }
}

fn manifest() -> Manifest {
    let m = wit::manifest();
    Manifest {
        name: m.name,
        display: m.display,
        description: m.description,
        version: m.version,
        params: m
            .params
            .into_iter()
            .map(|p| ParamSpec {
                name: p.name,
                display: p.display,
                description: p.description,
                kind: match p.kind {
                    wt::ParamKind::Text => ParamKind::Text,
                    wt::ParamKind::Secret => ParamKind::Secret,
                    wt::ParamKind::Boolean => ParamKind::Boolean,
                    wt::ParamKind::Integer => ParamKind::Integer,
                    wt::ParamKind::SingleSelect => ParamKind::SingleSelect,
                    wt::ParamKind::MultiSelect => ParamKind::MultiSelect,
                    wt::ParamKind::Interval => ParamKind::Interval,
                    wt::ParamKind::IncidentType => ParamKind::IncidentType,
                },
                required: p.required,
                default_value: p.default_value,
                options: p.options,
                xsoar: XsoarParam {
                    name: p.xsoar.name,
                    type_code: p.xsoar.type_code,
                    required: p.xsoar.required,
                    default_value: p.xsoar.default_value,
                    section: p.xsoar.section,
                    credential: p.xsoar.credential.map(|c| match c {
                        wt::CredentialPart::Identifier => "identifier",
                        wt::CredentialPart::Password => "password",
                    }),
                    hidden: p.xsoar.hidden,
                },
            })
            .collect(),
        commands: m
            .commands
            .into_iter()
            .map(|c| CommandSpec {
                name: c.name,
                aliases: c.aliases,
                description: c.description,
                args: c
                    .args
                    .into_iter()
                    .map(|a| ArgSpec {
                        name: a.name,
                        description: a.description,
                        required: a.required,
                        default_value: a.default_value,
                        possible_values: a.possible_values,
                        is_array: a.is_array,
                        default_argument: a.default_argument,
                    })
                    .collect(),
                outputs: c
                    .outputs
                    .into_iter()
                    .map(|o| OutputSpec {
                        context_path: o.context_path,
                        description: o.description,
                        value_type: o.value_type,
                    })
                    .collect(),
                writes: c.writes,
                deprecated: c.deprecated,
                reads_incident: c.reads_incident,
                reads_context: c.reads_context,
            })
            .collect(),
        fetches_incidents: m.fetches_incidents,
    }
}

fn configuration() -> Result<Vec<(String, String)>, String> {
    config_store::get_all().map_err(|e| match e {
        config_store::Error::Upstream(m) | config_store::Error::Io(m) => {
            format!("the configuration store failed: {m}")
        }
    })
}

thread_local! {
    /// One service per component instance: a host that reuses the instance reuses the
    /// integration instance (and its OAuth token) with it.
    static SERVICE: Service<Composed> = Service::new(Composed { manifest: manifest() });
}

struct Handler;

wasip2::http::proxy::export!(Handler);

impl wasip2::exports::http::incoming_handler::Guest for Handler {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let request = read(request);
        let response = SERVICE.with(|service| service.handle(request, configuration));
        write(response, response_out);
    }
}

/// The request, its body read up to one byte past the limit.
fn read(request: IncomingRequest) -> Request {
    let method = match request.method() {
        Method::Get => "GET".to_string(),
        Method::Post => "POST".to_string(),
        Method::Put => "PUT".to_string(),
        Method::Delete => "DELETE".to_string(),
        Method::Patch => "PATCH".to_string(),
        Method::Head => "HEAD".to_string(),
        Method::Options => "OPTIONS".to_string(),
        Method::Connect => "CONNECT".to_string(),
        Method::Trace => "TRACE".to_string(),
        Method::Other(other) => other,
    };
    let path_with_query = request.path_with_query().unwrap_or_else(|| "/".into());
    let path = path_with_query.split('?').next().unwrap_or("/").to_string();
    let headers = request.headers();
    let header = |name: &str| {
        headers.get(&name.to_string()).into_iter().next().map(|v| String::from_utf8_lossy(&v).into_owned())
    };
    let authorization = header("authorization");
    let announced = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    drop(headers);
    let body = if announced.is_some_and(|n| n > DRAIN_LIMIT) { Body::TooLarge } else { read_body(&request) };
    Request { method, path, authorization, body }
}

/// A body too large is still read (and dropped) up to this many bytes, so that the client, still
/// sending, gets the 413 instead of a reset connection.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

fn read_body(request: &IncomingRequest) -> Body {
    let Ok(body) = request.consume() else { return Body::Complete(vec![]) };
    let mut data = Vec::new();
    let mut seen = 0u64;
    {
        let Ok(stream) = body.stream() else { return Body::Complete(vec![]) };
        loop {
            match stream.blocking_read(64 * 1024) {
                Ok(chunk) => {
                    seen += chunk.len() as u64;
                    if data.len() <= MAX_BODY {
                        data.extend_from_slice(&chunk);
                    }
                    if seen > DRAIN_LIMIT {
                        break;
                    }
                }
                Err(StreamError::Closed) => break,
                // A client that broke off: what arrived is all there is.
                Err(StreamError::LastOperationFailed(_)) => break,
            }
        }
    }
    if data.len() > MAX_BODY { Body::TooLarge } else { Body::Complete(data) }
}

fn write(response: Response, out: ResponseOutparam) {
    let mut fields: Vec<(String, Vec<u8>)> =
        response.headers.into_iter().map(|(k, v)| (k.to_string(), v.into_bytes())).collect();
    fields.push(("content-length".into(), response.body.len().to_string().into_bytes()));
    let headers = Fields::from_list(&fields).expect("the service's own headers are valid");
    let outgoing = OutgoingResponse::new(headers);
    outgoing.set_status_code(response.status).expect("the service's statuses are valid");
    let body = outgoing.body().expect("a new response has a body");
    ResponseOutparam::set(out, Ok(outgoing));
    {
        let mut stream = body.write().expect("a new body has a stream");
        // A client that went away cannot be answered; there is nothing else to do.
        let _ = stream.write_all(&response.body).and_then(|()| std::io::Write::flush(&mut stream));
    }
    let _ = OutgoingBody::finish(body, None);
}
