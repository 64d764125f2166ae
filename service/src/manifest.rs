//! The integration's manifest as the service serves it (`GET /v1/manifest`) and reads it: which
//! parameters the configuration holds and how to type them, which commands exist.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub name: String,
    pub display: String,
    pub description: String,
    pub version: String,
    pub params: Vec<ParamSpec>,
    pub commands: Vec<CommandSpec>,
    pub fetches_incidents: bool,
}

/// How a parameter's value is written (WIT `param-kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamKind {
    Text,
    Secret,
    Boolean,
    Integer,
    SingleSelect,
    MultiSelect,
    Interval,
    IncidentType,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    pub name: String,
    pub display: String,
    pub description: String,
    pub kind: ParamKind,
    pub required: bool,
    pub default_value: Option<String>,
    pub options: Vec<String>,
    pub xsoar: XsoarParam,
}

/// How the parameter is declared in an XSOAR integration (WIT `xsoar-param`).
#[derive(Debug, Clone, Serialize)]
pub struct XsoarParam {
    pub name: String,
    pub type_code: u8,
    pub required: bool,
    pub default_value: Option<String>,
    pub section: Option<String>,
    /// `identifier` or `password`, for a half of XSOAR's credentials.
    pub credential: Option<&'static str>,
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArgSpec {
    pub name: String,
    pub description: String,
    pub required: bool,
    pub default_value: Option<String>,
    pub possible_values: Vec<String>,
    pub is_array: bool,
    pub default_argument: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutputSpec {
    pub context_path: String,
    pub description: String,
    pub value_type: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommandSpec {
    pub name: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub args: Vec<ArgSpec>,
    pub outputs: Vec<OutputSpec>,
    pub writes: bool,
    pub deprecated: bool,
    pub reads_incident: bool,
    pub reads_context: bool,
}

impl Manifest {
    /// The command of that name or alias, a leading `!` accepted.
    pub fn command(&self, typed: &str) -> Option<&CommandSpec> {
        let name = typed.strip_prefix('!').unwrap_or(typed);
        self.commands.iter().find(|c| c.name == name || c.aliases.iter().any(|a| a == name))
    }
}
