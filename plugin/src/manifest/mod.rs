//! What the integration offers: its instance parameters and every command with its arguments
//! and context outputs, declared once (the XSOAR YAML as data). The host builds its help and
//! argument checks from it, the HTTP face its OpenAPI, the XSOAR package its YAML; the plugin
//! checks arguments against it before running a command.
//!
//! Declarations follow the reference integration's YAML (names, XSOAR types, flags, context
//! paths); our additions stay beside them.

mod commands;
mod params;

pub use commands::{ALERT_STATES, COMMANDS, MAX_NOTE_CHARS, RISK_TAG_NAMES};
pub use params::PARAMS;

/// How a parameter's value is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl ParamKind {
    /// XSOAR's type number for this kind of value.
    const fn xsoar_type(self) -> u8 {
        match self {
            ParamKind::Text | ParamKind::Integer => 0,
            ParamKind::Secret => 4,
            ParamKind::Boolean => 8,
            ParamKind::IncidentType => 13,
            ParamKind::SingleSelect => 15,
            ParamKind::MultiSelect => 16,
            ParamKind::Interval => 19,
        }
    }
}

/// Which half of an XSOAR credentials parameter (type 9) a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialPart {
    Identifier,
    Password,
}

/// A parameter as an XSOAR integration YAML declares it.
#[derive(Debug, Clone, Copy)]
pub struct XsoarParam {
    pub name: &'static str,
    pub type_code: u8,
    pub required: bool,
    pub default: Option<&'static str>,
    pub section: Option<&'static str>,
    pub credential: Option<CredentialPart>,
    pub hidden: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub display: &'static str,
    pub description: &'static str,
    pub kind: ParamKind,
    pub required: bool,
    pub default: Option<&'static str>,
    pub options: &'static [&'static str],
    pub xsoar: XsoarParam,
}

#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
    pub default: Option<&'static str>,
    pub possible: &'static [&'static str],
    /// Declared as an array (XSOAR `isArray`).
    pub is_array: bool,
    /// The value is a comma-separated list (each item is checked against `possible`): arrays,
    /// and the reference's comma-separated texts that are not declared arrays.
    pub list: bool,
    /// The command's default argument (XSOAR `default`).
    pub default_arg: bool,
    /// The longest value the API accepts, in characters; longer ones are refused before any
    /// request.
    pub max_chars: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
pub struct OutputSpec {
    pub path: &'static str,
    pub value_type: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub args: &'static [ArgSpec],
    pub outputs: &'static [OutputSpec],
    pub writes: bool,
    pub deprecated: bool,
    pub reads_incident: bool,
    pub reads_context: bool,
}

pub const NAME: &str = "Code42";
pub const DISPLAY: &str = "Code42 Incydr";
pub const DESCRIPTION: &str = "Investigate and respond to insider-risk data exfiltration with Code42 Incydr: \
alerts, file events, watchlists, departing and high-risk employees, users, legal hold, file downloads and \
risk profiles; fetch-incidents turns Code42 alert sessions into incidents.";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const fn arg(name: &'static str, description: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        description,
        required: false,
        default: None,
        possible: &[],
        is_array: false,
        list: false,
        default_arg: false,
        max_chars: None,
    }
}

impl ArgSpec {
    const fn required(self) -> Self {
        ArgSpec { required: true, ..self }
    }
    const fn default(self, value: &'static str) -> Self {
        ArgSpec { default: Some(value), ..self }
    }
    const fn values(self, possible: &'static [&'static str]) -> Self {
        ArgSpec { possible, ..self }
    }
    /// Comma-separated, though not declared as an array.
    const fn comma_list(self) -> Self {
        ArgSpec { list: true, ..self }
    }
    const fn default_arg(self) -> Self {
        ArgSpec { default_arg: true, ..self }
    }
    const fn at_most(self, chars: usize) -> Self {
        ArgSpec { max_chars: Some(chars), ..self }
    }
}

const fn out(path: &'static str, value_type: &'static str, description: &'static str) -> OutputSpec {
    OutputSpec { path, value_type, description }
}

const fn param(name: &'static str, display: &'static str, kind: ParamKind, description: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        display,
        description,
        kind,
        required: false,
        default: None,
        options: &[],
        xsoar: XsoarParam {
            name,
            type_code: kind.xsoar_type(),
            required: false,
            default: None,
            section: None,
            credential: None,
            hidden: false,
        },
    }
}

impl ParamSpec {
    const fn required(self) -> Self {
        ParamSpec { required: true, xsoar: XsoarParam { required: true, ..self.xsoar }, ..self }
    }
    const fn default(self, value: &'static str) -> Self {
        ParamSpec { default: Some(value), xsoar: XsoarParam { default: Some(value), ..self.xsoar }, ..self }
    }
    const fn options(self, options: &'static [&'static str]) -> Self {
        ParamSpec { options, ..self }
    }
    const fn section(self, section: &'static str) -> Self {
        ParamSpec { xsoar: XsoarParam { section: Some(section), ..self.xsoar }, ..self }
    }
    /// Declared in XSOAR under another name (and type number).
    const fn xsoar_as(self, name: &'static str, type_code: u8) -> Self {
        ParamSpec { xsoar: XsoarParam { name, type_code, ..self.xsoar }, ..self }
    }
    /// Required in XSOAR with this default, though the configuration file may leave it out.
    const fn xsoar_required_with(self, default: &'static str) -> Self {
        ParamSpec { xsoar: XsoarParam { required: true, default: Some(default), ..self.xsoar }, ..self }
    }
    /// Not shown in XSOAR: the integration's script fills it in.
    const fn hidden_in_xsoar(self) -> Self {
        ParamSpec { xsoar: XsoarParam { hidden: true, ..self.xsoar }, ..self }
    }
    /// One half of XSOAR's `credentials` parameter.
    const fn credential(self, part: CredentialPart) -> Self {
        let xsoar = XsoarParam { name: "credentials", type_code: 9, credential: Some(part), ..self.xsoar };
        ParamSpec { xsoar, ..self }
    }
}

const fn command(
    name: &'static str,
    description: &'static str,
    args: &'static [ArgSpec],
    outputs: &'static [OutputSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        aliases: &[],
        description,
        args,
        outputs,
        writes: false,
        deprecated: false,
        reads_incident: false,
        reads_context: false,
    }
}

impl CommandSpec {
    const fn writes(self) -> Self {
        CommandSpec { writes: true, ..self }
    }
    const fn deprecated(self) -> Self {
        CommandSpec { deprecated: true, ..self }
    }
    const fn aliases(self, aliases: &'static [&'static str]) -> Self {
        CommandSpec { aliases, ..self }
    }
    const fn reads_incident(self) -> Self {
        CommandSpec { reads_incident: true, ..self }
    }
    const fn reads_context(self) -> Self {
        CommandSpec { reads_context: true, ..self }
    }
}

/// The command of that name or alias.
pub fn find_command(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name || c.aliases.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for c in COMMANDS {
            for n in std::iter::once(&c.name).chain(c.aliases) {
                assert!(seen.insert(*n), "{n} twice");
            }
        }
        assert_eq!(COMMANDS.len(), 62);
    }

    #[test]
    fn the_readme_lists_every_command() {
        let readme = include_str!("../../../README.md");
        for c in COMMANDS.iter().filter(|c| c.name.starts_with("code42-")) {
            assert!(readme.contains(&format!("| `{}`", c.name)), "README.md's command tables lack {}", c.name);
        }
    }

    #[test]
    fn the_old_risk_profile_name_is_an_alias() {
        assert_eq!(find_command("code42-get-user-risk-profile").unwrap().name, "code42-user-get-risk-profile");
    }

    #[test]
    fn defaults_are_among_the_possible_values() {
        for c in COMMANDS {
            for a in c.args {
                if let (Some(d), false) = (a.default, a.possible.is_empty()) {
                    assert!(a.possible.contains(&d), "{} {}", c.name, a.name);
                }
            }
        }
    }

    #[test]
    fn at_most_one_default_argument_per_command() {
        for c in COMMANDS {
            assert!(c.args.iter().filter(|a| a.default_arg).count() <= 1, "{}", c.name);
        }
    }

    #[test]
    fn both_halves_of_the_credentials_are_declared_once() {
        let halves: Vec<CredentialPart> = PARAMS.iter().filter_map(|p| p.xsoar.credential).collect();
        assert_eq!(halves, [CredentialPart::Identifier, CredentialPart::Password]);
        let names: std::collections::BTreeSet<&str> =
            PARAMS.iter().filter(|p| p.xsoar.credential.is_none()).map(|p| p.xsoar.name).collect();
        assert_eq!(names.len(), PARAMS.len() - 2, "XSOAR names are unique");
    }
}
