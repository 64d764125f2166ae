//! The pack's README files, generated from the manifest: what each command takes and writes to
//! the context, and where this pack differs from the reference integration.

use crate::bindings::IntegrationManifest;
use std::fmt::Write as _;

/// Where the Code42 pack's declarations differ from the reference integration, and why.
const DIFFERENCES: &str = include_str!("differences.md");

pub fn pack(manifest: &IntegrationManifest) -> String {
    format!(
        "# {display} (WebAssembly)\n\n{description}\n\nThe integration runs as a sandboxed WebAssembly component \
         in the `code42` host, inside the pack's Docker image: it reaches only the configured Code42 hosts, has \
         no filesystem or environment, and keeps the command names, arguments, context paths and instance \
         parameters of the Python integration, so playbooks and instances move over unchanged.\n",
        display = manifest.display,
        description = manifest.description
    )
}

pub fn integration(manifest: &IntegrationManifest) -> String {
    let mut text = pack(manifest);
    text.push_str(
        "\n## Configure an instance\n\n| parameter | name | type | required | default |\n|---|---|---|---|---|\n",
    );
    for p in &manifest.params {
        let _ = writeln!(
            text,
            "| {} | `{}` | {} | {} | {} |",
            cell(&p.display),
            p.xsoar.name,
            p.xsoar.type_code,
            if p.xsoar.required { "yes" } else { "no" },
            p.xsoar.default_value.as_deref().map(cell).unwrap_or_default()
        );
    }
    text.push_str("\n## Commands\n");
    for c in &manifest.commands {
        let _ = write!(text, "\n### {}\n\n{}\n", c.name, c.description);
        if c.deprecated {
            text.push_str("\nDeprecated: kept for existing playbooks.\n");
        }
        if !c.aliases.is_empty() {
            let _ = writeln!(text, "\nAlso available as: {}.", c.aliases.join(", "));
        }
        if c.args.is_empty() {
            text.push_str("\nNo arguments.\n");
        } else {
            text.push_str("\n| argument | description | required | default | values |\n|---|---|---|---|---|\n");
            for a in &c.args {
                let _ = writeln!(
                    text,
                    "| `{}` | {} | {} | {} | {} |",
                    a.name,
                    cell(&a.description),
                    if a.required { "yes" } else { "no" },
                    a.default_value.as_deref().map(cell).unwrap_or_default(),
                    a.possible_values.join(", ")
                );
            }
        }
        if !c.outputs.is_empty() {
            text.push_str("\n| context path | type | description |\n|---|---|---|\n");
            for o in &c.outputs {
                let _ = writeln!(text, "| `{}` | {} | {} |", o.context_path, o.value_type, cell(&o.description));
            }
        }
    }
    if manifest.name == "Code42" {
        text.push('\n');
        text.push_str(DIFFERENCES);
    }
    text
}

/// Text fit for a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
