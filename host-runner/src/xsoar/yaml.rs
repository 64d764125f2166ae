//! The integration YAML, generated from the manifest: the reference's declarations (names, XSOAR
//! types, flags, context paths), in the short style XSOAR's own integrations use (false flags
//! and absent values left out).

use crate::bindings::{ArgSpec, CommandSpec, CredentialPart, IntegrationManifest, OutputSpec, ParamSpec};
use serde::Serialize;

#[derive(Serialize)]
pub struct Integration {
    commonfields: CommonFields,
    name: String,
    display: String,
    category: &'static str,
    description: String,
    /// Lower case: XSOAR's schema (and demisto-sdk's ST111) reads `sectionorder`.
    sectionorder: Vec<String>,
    configuration: Vec<Configuration>,
    script: Script,
    fromversion: &'static str,
    tests: Vec<&'static str>,
}

#[derive(Serialize)]
struct CommonFields {
    id: String,
    version: i32,
}

#[derive(Serialize)]
struct Configuration {
    name: String,
    display: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    displaypassword: Option<String>,
    #[serde(rename = "type")]
    type_code: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    defaultvalue: Option<String>,
    required: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additionalinfo: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    hidden: bool,
}

#[derive(Serialize)]
struct Script {
    script: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    subtype: &'static str,
    dockerimage: String,
    isfetch: bool,
    runonce: bool,
    /// Mirroring: the outgoing fields can be listed, and changes travel in and out.
    #[serde(skip_serializing_if = "is_false")]
    ismappable: bool,
    #[serde(skip_serializing_if = "is_false")]
    isremotesyncin: bool,
    #[serde(skip_serializing_if = "is_false")]
    isremotesyncout: bool,
    commands: Vec<Command>,
}

#[derive(Serialize)]
struct Command {
    name: String,
    description: String,
    #[serde(skip_serializing_if = "is_false")]
    deprecated: bool,
    arguments: Vec<Argument>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outputs: Vec<Output>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compliantpolicies: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Argument {
    name: String,
    description: String,
    #[serde(skip_serializing_if = "is_false")]
    required: bool,
    #[serde(skip_serializing_if = "is_false")]
    default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    predefined: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    is_array: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output {
    context_path: String,
    description: String,
    #[serde(rename = "type")]
    value_type: String,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// The integration's id in XSOAR: its name with `Wasm`, so it installs beside the Python one.
pub fn integration_id(manifest: &IntegrationManifest) -> String {
    format!("{}Wasm", manifest.name)
}

pub fn integration(manifest: &IntegrationManifest, image: &str) -> Integration {
    let id = integration_id(manifest);
    let has = |command: &str| manifest.commands.iter().any(|c| c.name == command);
    let configuration = configuration(manifest);
    let mut section_order: Vec<String> = Vec::new();
    for section in configuration.iter().filter_map(|c| c.section.clone()) {
        if !section_order.contains(&section) {
            section_order.push(section);
        }
    }
    Integration {
        commonfields: CommonFields { id: id.clone(), version: -1 },
        name: id,
        display: format!("{} (WebAssembly)", manifest.display),
        category: "Endpoint",
        description: manifest.description.clone(),
        sectionorder: section_order,
        configuration,
        script: Script {
            script: "-",
            kind: "python",
            subtype: "python3",
            dockerimage: image.to_string(),
            isfetch: manifest.fetches_incidents,
            runonce: false,
            ismappable: has("get-mapping-fields"),
            isremotesyncin: has("get-remote-data") && has("get-modified-remote-data"),
            isremotesyncout: has("update-remote-system"),
            commands: manifest.commands.iter().flat_map(commands).collect(),
        },
        fromversion: "6.10.0",
        tests: vec!["No tests (auto formatted)"],
    }
}

/// The parameters under their XSOAR names: the two halves of a credentials parameter become
/// one entry, and an integration that fetches gets XSOAR's `isFetch` after the connection
/// settings.
fn configuration(manifest: &IntegrationManifest) -> Vec<Configuration> {
    let mut entries: Vec<Configuration> = Vec::new();
    for p in &manifest.params {
        if let Some(existing) = entries.iter_mut().find(|e| e.name == p.xsoar.name) {
            // The other half of the credentials.
            if p.xsoar.credential == Some(CredentialPart::Password) {
                existing.displaypassword = Some(p.display.clone());
            } else {
                existing.display = p.display.clone();
            }
            existing.required |= p.xsoar.required;
            continue;
        }
        entries.push(entry(p));
    }
    if manifest.fetches_incidents {
        let after_connect = entries.iter().rposition(|e| e.section.as_deref() == Some("Connect")).map_or(0, |i| i + 1);
        let is_fetch = Configuration {
            name: "isFetch".into(),
            display: "Fetch incidents".into(),
            displaypassword: None,
            type_code: 8,
            defaultvalue: None,
            required: false,
            options: vec![],
            section: Some("Collect".into()),
            additionalinfo: None,
            hidden: false,
        };
        entries.insert(after_connect, is_fetch);
    }
    entries
}

fn entry(p: &ParamSpec) -> Configuration {
    let credentials = p.xsoar.credential.is_some();
    Configuration {
        name: p.xsoar.name.clone(),
        display: p.display.clone(),
        displaypassword: (p.xsoar.credential == Some(CredentialPart::Password)).then(|| p.display.clone()),
        type_code: p.xsoar.type_code,
        defaultvalue: p.xsoar.default_value.clone(),
        required: p.xsoar.required,
        options: p.options.clone(),
        section: p.xsoar.section.clone(),
        // A credentials entry's help would describe only one of its halves.
        additionalinfo: (!credentials && !p.description.is_empty()).then(|| p.description.clone()),
        hidden: p.xsoar.hidden,
    }
}

/// A compliance policy of the content repository and the argument names it governs.
#[derive(serde::Deserialize)]
struct Policy {
    name: String,
    arguments: Vec<String>,
}

/// The content repository's compliance policies (`Config/compliant_policies.json` of
/// demisto/content), read once.
static COMPLIANT_POLICIES: std::sync::LazyLock<Vec<Policy>> = std::sync::LazyLock::new(|| {
    #[derive(serde::Deserialize)]
    struct List {
        policies: Vec<Policy>,
    }
    let list: List = serde_json::from_str(include_str!("compliant_policies.json")).expect("the policy list is JSON");
    list.policies
});

/// The compliance policies a command declares: for each of its arguments that a policy
/// governs, every such policy, as demisto-sdk's BA129 asks of commands that act (its rule
/// leaves out reputation commands and those whose name says `list` or `get`, which only read).
fn compliant_policies(name: &str, args: &[ArgSpec]) -> Vec<String> {
    let lower = name.to_lowercase();
    if lower.contains("list") || lower.contains("get") {
        return vec![];
    }
    let mut declared: Vec<String> = COMPLIANT_POLICIES
        .iter()
        .filter(|p| p.arguments.iter().any(|governed| args.iter().any(|a| a.name == *governed)))
        .map(|p| p.name.clone())
        .collect();
    declared.sort();
    declared
}

/// A command, and each alias as a command of its own (XSOAR has no aliases).
fn commands(c: &CommandSpec) -> Vec<Command> {
    let command = |name: &str, description: String| Command {
        name: name.to_string(),
        description,
        deprecated: c.deprecated,
        arguments: c.args.iter().map(argument).collect(),
        outputs: c.outputs.iter().map(output).collect(),
        compliantpolicies: compliant_policies(name, &c.args),
    };
    let main = command(&c.name, c.description.clone());
    let aliases = c.aliases.iter().map(|alias| command(alias, format!("The same as {}: {}", c.name, c.description)));
    std::iter::once(main).chain(aliases).collect()
}

fn argument(a: &ArgSpec) -> Argument {
    let predefined = !a.possible_values.is_empty();
    Argument {
        name: a.name.clone(),
        description: a.description.clone(),
        required: a.required,
        default: a.default_argument,
        default_value: a.default_value.clone(),
        auto: predefined.then_some("PREDEFINED"),
        predefined: a.possible_values.clone(),
        is_array: a.is_array,
    }
}

fn output(o: &OutputSpec) -> Output {
    Output {
        context_path: o.context_path.clone(),
        description: o.description.clone(),
        value_type: o.value_type.clone(),
    }
}
