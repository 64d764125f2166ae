//! `code42 xsoar-package`: a Cortex XSOAR content pack generated from the integration's
//! manifest, so that a team replaces the Python Code42 integration without touching a playbook.
//!
//! ```text
//! DIR/Packs/<Name>Wasm/pack_metadata.json
//! DIR/Packs/<Name>Wasm/README.md, .pack-ignore, .secrets-ignore    what demisto-sdk asks of a pack
//! DIR/Packs/<Name>Wasm/Integrations/<Name>Wasm/<Name>Wasm.yml   the declarations
//! DIR/Packs/<Name>Wasm/Integrations/<Name>Wasm/<Name>Wasm.py    runs `code42`
//! DIR/Packs/<Name>Wasm/Integrations/<Name>Wasm/README.md        commands and outputs
//! DIR/Packs/<Name>Wasm/Integrations/<Name>Wasm/<Name>Wasm_image.png   its 120×50 logo
//! DIR/Dockerfile, DIR/code42                                     the image XSOAR runs it in
//! ```

mod readme;
pub mod yaml;

use crate::bindings::{CredentialPart, IntegrationManifest, ParamKind};
use anyhow::{Context as _, Result};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// The integration script, with the manifest's parameters and commands to be filled in.
const SCRIPT_TEMPLATE: &str = include_str!("integration.py");
/// The integration's logo, 120×50 as XSOAR shows it (demisto-sdk IM100).
const IMAGE: &[u8] = include_bytes!("integration_image.png");
/// The pack's version: a new pack starts at 1.0.0, without release notes (demisto-sdk PA101),
/// whatever the version of the component inside.
const PACK_VERSION: &str = "1.0.0";

/// Writes the pack into `dir`; returns the files written.
pub fn write_pack(manifest: &IntegrationManifest, dir: &Path, image: &str) -> Result<Vec<PathBuf>> {
    let id = yaml::integration_id(manifest);
    let pack = dir.join("Packs").join(&id);
    let integration = pack.join("Integrations").join(&id);
    std::fs::create_dir_all(&integration).with_context(|| format!("creating {}", integration.display()))?;
    let yaml = serde_yaml_ng::to_string(&yaml::integration(manifest, image))?;
    let files = [
        (pack.join("pack_metadata.json"), serde_json::to_string_pretty(&pack_metadata(manifest))? + "\n"),
        (pack.join("README.md"), readme::pack(manifest)),
        (integration.join(format!("{id}.yml")), yaml),
        (integration.join(format!("{id}.py")), script(manifest)),
        (integration.join("README.md"), readme::integration(manifest)),
        (dir.join("Dockerfile"), dockerfile(image)),
        // Nothing to ignore: the files exist because every pack has them (demisto-sdk PA128).
        (pack.join(".pack-ignore"), String::new()),
        (pack.join(".secrets-ignore"), String::new()),
    ];
    let mut written = Vec::new();
    let image_file = (integration.join(format!("{id}_image.png")), IMAGE.to_vec());
    for (path, bytes) in files.into_iter().map(|(path, text)| (path, text.into_bytes())).chain([image_file]) {
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn pack_metadata(manifest: &IntegrationManifest) -> Value {
    json!({
        "name": format!("{} (WebAssembly)", manifest.display),
        "description": manifest.description,
        "support": "community",
        "currentVersion": PACK_VERSION,
        "author": "Code42 SOAR WebAssembly team",
        "url": "",
        "email": "",
        "categories": ["Endpoint"],
        "tags": ["Incident Response"],
        "useCases": [],
        "keywords": [manifest.name, "WebAssembly", "Incydr"],
        "marketplaces": ["xsoar"],
    })
}

/// The integration script: the template with the parameters (XSOAR name → ours, kind, the
/// halves of a credentials parameter) and the commands (what each reads) filled in.
fn script(manifest: &IntegrationManifest) -> String {
    let mut params = Map::new();
    for p in &manifest.params {
        match p.xsoar.credential {
            Some(part) => {
                let entry = params
                    .entry(p.xsoar.name.clone())
                    .or_insert_with(|| json!({"name": null, "kind": "credentials", "credentials": {}}));
                let half = match part {
                    CredentialPart::Identifier => "identifier",
                    CredentialPart::Password => "password",
                };
                entry["credentials"][half] = json!(p.name);
            }
            None => {
                params.insert(p.xsoar.name.clone(), json!({"name": p.name, "kind": kind(p.kind), "credentials": null}));
            }
        }
    }
    let mut commands = Map::new();
    for c in &manifest.commands {
        for name in std::iter::once(&c.name).chain(&c.aliases) {
            commands
                .insert(name.clone(), json!({"reads_incident": c.reads_incident, "reads_context": c.reads_context}));
        }
    }
    SCRIPT_TEMPLATE
        .replace("__DISPLAY__", &manifest.display)
        .replace("__PARAMS__", &python_literal(&Value::Object(params), 0))
        .replace("__COMMANDS__", &python_literal(&Value::Object(commands), 0))
}

fn kind(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Text => "text",
        ParamKind::Secret => "secret",
        ParamKind::Boolean => "boolean",
        ParamKind::Integer => "integer",
        ParamKind::SingleSelect => "single-select",
        ParamKind::MultiSelect => "multi-select",
        ParamKind::Interval => "interval",
        ParamKind::IncidentType => "incident-type",
    }
}

/// A JSON value as a Python literal: objects one key per line, strings in JSON notation (which
/// Python reads the same).
fn python_literal(value: &Value, indent: usize) -> String {
    let pad = "    ".repeat(indent + 1);
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(|v| python_literal(v, indent)).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) if map.values().all(|v| !v.is_object()) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), python_literal(v, indent)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{pad}{}: {},", Value::String(k.clone()), python_literal(v, indent + 1)))
                .collect();
            format!("{{\n{}\n{}}}", entries.join("\n"), "    ".repeat(indent))
        }
    }
}

fn dockerfile(image: &str) -> String {
    format!(
        "# The image Cortex XSOAR runs the integration in ({image}): a slim Python 3 and the code42\n\
         # host, with the component compiled ahead of time so no run pays for it.\n\
         #\n\
         #   docker build -t {image} .      (in this directory, beside the code42 binary)\n\
         FROM python:3.12-slim\n\
         COPY code42 /usr/local/bin/code42\n\
         ENV CODE42_CACHE_DIR=/var/cache/code42\n\
         RUN chmod 0755 /usr/local/bin/code42 \\\n    \
         && code42 commands > /dev/null \\\n    \
         && chmod -R a+rX /var/cache/code42\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_read_as_json_does() {
        let value = json!({"a": {"name": "x\"y", "flag": true, "none": null, "list": ["p", 1]}});
        assert_eq!(
            python_literal(&value, 0),
            "{\n    \"a\": {\"name\": \"x\\\"y\", \"flag\": True, \"none\": None, \"list\": [\"p\", 1]},\n}"
        );
    }
}
