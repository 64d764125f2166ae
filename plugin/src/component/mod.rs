//! The WIT glue: generated bindings, the `export!`, and conversions between WIT records and the
//! plugin's types. The wasi:http transport is in [`wasi_http`].

mod wasi_http;

use crate::api::auth::{HeldToken, Service};
use crate::commands::{CommandResult, Invocation};
use crate::error::Error;
use crate::integration::Integration;
use crate::manifest::{self, ParamKind};
use crate::params::{ParamValue, Secret};
use wasi_http::WasiHttp;

wit_bindgen::generate!({
    path: "../wit",
    world: "soar-integration",
});

use exports::soar::integration::integration::{Guest, GuestInstance, Instance};
use soar::integration::types as wit;

struct Component;

export!(Component);

impl Guest for Component {
    type Instance = InstanceImpl;

    fn manifest() -> wit::IntegrationManifest {
        wit::IntegrationManifest {
            name: manifest::NAME.into(),
            display: manifest::DISPLAY.into(),
            description: manifest::DESCRIPTION.into(),
            version: manifest::VERSION.into(),
            params: manifest::PARAMS.iter().map(param_spec).collect(),
            commands: manifest::COMMANDS.iter().map(command_spec).collect(),
            fetches_incidents: true,
        }
    }
}

pub struct InstanceImpl(Integration<WasiHttp>);

impl GuestInstance for InstanceImpl {
    fn create(params: Vec<wit::Param>) -> Result<Instance, wit::IntegrationError> {
        let params = params.into_iter().map(|p| (p.name, param_value(p.value)));
        let integration = Integration::new(WasiHttp::default(), params).map_err(to_wit_error)?;
        Ok(Instance::new(InstanceImpl(integration)))
    }

    fn test_module(&self) -> Result<(), wit::IntegrationError> {
        self.0.test_module().map_err(to_wit_error)
    }

    fn execute(
        &self,
        command: String,
        args: Vec<wit::Arg>,
        invocation: wit::Invocation,
    ) -> Result<Vec<wit::CommandResult>, wit::IntegrationError> {
        let invocation = Invocation {
            incident: parse_json("incident", invocation.incident_json).map_err(to_wit_error)?,
            context: parse_json("context", invocation.context_json).map_err(to_wit_error)?,
        };
        let args = args.into_iter().map(|a| (a.name, a.value)).collect();
        let now_ms = chrono::Utc::now().timestamp_millis();
        let results = self.0.execute(&command, args, &invocation, now_ms).map_err(to_wit_error)?;
        Ok(results.into_iter().map(command_result).collect())
    }

    fn fetch_incidents(&self, last_run_json: Option<String>) -> Result<wit::FetchResult, wit::IntegrationError> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let result = self.0.fetch_incidents(last_run_json.as_deref(), now_ms).map_err(to_wit_error)?;
        Ok(wit::FetchResult {
            incidents: result
                .incidents
                .into_iter()
                .map(|i| wit::Incident {
                    name: i.name,
                    occurred: i.occurred,
                    severity: i.severity,
                    incident_type: i.incident_type,
                    raw_json: i.raw_json,
                })
                .collect(),
            next_run_json: result.next_run.to_json(),
        })
    }

    fn credentials(&self) -> Vec<wit::Credential> {
        self.0
            .credentials()
            .into_iter()
            .map(|t| wit::Credential {
                audience: AUDIENCES.iter().find(|(s, _)| *s == t.service).map_or("", |(_, a)| *a).into(),
                value: t.bearer.expose().into(),
                expires_at_ms: t.renew_at_ms,
            })
            .collect()
    }

    fn adopt_credentials(&self, credentials: Vec<wit::Credential>) {
        let tokens = credentials.into_iter().filter_map(|c| {
            let service = AUDIENCES.iter().find(|(_, a)| *a == c.audience)?.0;
            Some(HeldToken { service, bearer: Secret::new(c.value), renew_at_ms: c.expires_at_ms })
        });
        self.0.adopt_credentials(tokens.collect(), chrono::Utc::now().timestamp_millis());
    }
}

/// The audiences a Code42 token is for, as the host sees them.
const AUDIENCES: [(Service, &str); 2] = [(Service::Gateway, "gateway"), (Service::Console, "console")];

fn parse_json(what: &str, text: Option<String>) -> crate::Result<Option<serde_json::Value>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            Error::invalid_arg(what, format!("The {what} cannot be used: {}", crate::error::json_problem(&e)))
        })
    })
    .transpose()
}

fn param_value(value: wit::ParamValue) -> ParamValue {
    match value {
        wit::ParamValue::Text(s) => ParamValue::Text(s),
        wit::ParamValue::Boolean(b) => ParamValue::Boolean(b),
        wit::ParamValue::Integer(i) => ParamValue::Integer(i),
        wit::ParamValue::Multi(items) => ParamValue::Multi(items),
    }
}

fn param_spec(p: &manifest::ParamSpec) -> wit::ParamSpec {
    wit::ParamSpec {
        name: p.name.into(),
        display: p.display.into(),
        description: p.description.into(),
        kind: match p.kind {
            ParamKind::Text => wit::ParamKind::Text,
            ParamKind::Secret => wit::ParamKind::Secret,
            ParamKind::Boolean => wit::ParamKind::Boolean,
            ParamKind::Integer => wit::ParamKind::Integer,
            ParamKind::SingleSelect => wit::ParamKind::SingleSelect,
            ParamKind::MultiSelect => wit::ParamKind::MultiSelect,
            ParamKind::Interval => wit::ParamKind::Interval,
            ParamKind::IncidentType => wit::ParamKind::IncidentType,
        },
        required: p.required,
        default_value: p.default.map(String::from),
        options: p.options.iter().map(|s| s.to_string()).collect(),
        xsoar: wit::XsoarParam {
            name: p.xsoar.name.into(),
            type_code: p.xsoar.type_code,
            required: p.xsoar.required,
            default_value: p.xsoar.default.map(String::from),
            section: p.xsoar.section.map(String::from),
            credential: p.xsoar.credential.map(|c| match c {
                manifest::CredentialPart::Identifier => wit::CredentialPart::Identifier,
                manifest::CredentialPart::Password => wit::CredentialPart::Password,
            }),
            hidden: p.xsoar.hidden,
        },
    }
}

fn command_spec(c: &manifest::CommandSpec) -> wit::CommandSpec {
    wit::CommandSpec {
        name: c.name.into(),
        aliases: c.aliases.iter().map(|s| s.to_string()).collect(),
        description: c.description.into(),
        args: c
            .args
            .iter()
            .map(|a| wit::ArgSpec {
                name: a.name.into(),
                description: a.description.into(),
                required: a.required,
                default_value: a.default.map(String::from),
                possible_values: a.possible.iter().map(|s| s.to_string()).collect(),
                is_array: a.is_array,
                default_argument: a.default_arg,
            })
            .collect(),
        outputs: c
            .outputs
            .iter()
            .map(|o| wit::OutputSpec {
                context_path: o.path.into(),
                description: o.description.into(),
                value_type: o.value_type.into(),
            })
            .collect(),
        writes: c.writes,
        deprecated: c.deprecated,
        reads_incident: c.reads_incident,
        reads_context: c.reads_context,
    }
}

fn command_result(r: CommandResult) -> wit::CommandResult {
    wit::CommandResult {
        readable_output: r.readable,
        outputs_prefix: r.prefix,
        outputs_key_field: r.key_field,
        outputs_json: r.outputs.map(|v| v.to_string()),
        raw_response_json: r.raw.map(|v| v.to_string()),
        files: r.files.into_iter().map(|f| wit::FileEntry { name: f.name, data: f.data }).collect(),
    }
}

fn to_wit_error(e: Error) -> wit::IntegrationError {
    match e {
        Error::InvalidArgument { name, message } => {
            wit::IntegrationError::InvalidArgument(wit::InvalidArgument { name, message })
        }
        Error::NotFound(m) => wit::IntegrationError::NotFound(m),
        Error::Unauthorized(m) => wit::IntegrationError::Unauthorized(m),
        Error::Upstream { status, message } => wit::IntegrationError::Upstream(wit::UpstreamError { status, message }),
        Error::Transport(m) => wit::IntegrationError::Transport(m),
        Error::Internal(m) => wit::IntegrationError::Internal(m),
    }
}
