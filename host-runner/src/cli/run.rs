//! `code42 run COMMAND [NAME=VALUE ...]` and `code42 commands`.

use super::{Cli, Failure, Host, context, files, output};
use clap::{Args, ValueEnum};
use host_runner::bindings::{Arg, CommandSpec, IntegrationManifest, Invocation};
use std::path::PathBuf;

#[derive(Args)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// Print the readable markdown (default) or one JSON object for scripts.
    #[arg(long, value_enum, default_value_t = OutputFormat::Markdown)]
    output: OutputFormat,
    /// Context JSON file: handed to the command, then updated with its outputs.
    #[arg(long)]
    context: Option<PathBuf>,
    /// Incident JSON file handed to the command (e.g. for code42-file-events-table).
    #[arg(long)]
    incident: Option<PathBuf>,
    /// Directory that receives files returned by a command (default: the current directory).
    #[arg(long)]
    files_dir: Option<PathBuf>,
    /// Show the command's arguments (from the integration's manifest).
    #[arg(short, long)]
    help: bool,
    /// The command, as typed in XSOAR (a leading `!` is accepted).
    command: Option<String>,
    /// Arguments as NAME=VALUE.
    args: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Markdown,
    Json,
}

pub fn list_commands(manifest: &IntegrationManifest) {
    println!("{} {} commands (run `code42 run COMMAND --help` for arguments):\n", manifest.display, manifest.version);
    let width = manifest.commands.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in &manifest.commands {
        println!("  {:width$}  {}", c.name, c.description);
    }
    println!("\n  {:width$}  {}", "test-module", "Check connectivity and credentials (`code42 test-module`).");
    if manifest.fetches_incidents {
        println!("  {:width$}  {}", "fetch-incidents", "Turn alerts into incidents (`code42 fetch --state FILE`).");
    }
}

fn command_help(spec: &CommandSpec) -> String {
    let mut text = format!("{}\n{}\n", spec.name, spec.description);
    if !spec.aliases.is_empty() {
        text.push_str(&format!("Also accepted as: {}\n", spec.aliases.join(", ")));
    }
    text.push_str(&format!("\nUsage: code42 run {} [NAME=VALUE ...]\n\nArguments:\n", spec.name));
    if spec.args.is_empty() {
        text.push_str("  (none)\n");
    }
    for a in &spec.args {
        let mut notes = Vec::new();
        if a.required {
            notes.push("required".to_string());
        }
        if let Some(d) = &a.default_value {
            notes.push(format!("default: {d}"));
        }
        if !a.possible_values.is_empty() {
            notes.push(format!(
                "{}: {}",
                if a.is_array { "any of, comma-separated" } else { "one of" },
                a.possible_values.join(", ")
            ));
        }
        let notes = if notes.is_empty() { String::new() } else { format!(" [{}]", notes.join("; ")) };
        text.push_str(&format!("  {}  {}{notes}\n", a.name, a.description));
    }
    if !spec.outputs.is_empty() {
        text.push_str("\nContext outputs:\n");
        for o in &spec.outputs {
            text.push_str(&format!("  {} ({})  {}\n", o.context_path, o.value_type, o.description));
        }
    }
    text
}

/// `NAME=VALUE` pairs; a value may contain `=`.
fn parse_args(raw: &[String]) -> Result<Vec<Arg>, Failure> {
    raw.iter()
        .map(|a| match a.split_once('=') {
            Some((name, value)) if !name.is_empty() => Ok(Arg { name: name.to_string(), value: value.to_string() }),
            _ => Err(Failure::usage(format!("Invalid argument '{a}': expected NAME=VALUE"))),
        })
        .collect()
}

fn read_json_file(what: &str, path: &std::path::Path, missing_ok: bool) -> Result<Option<String>, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| Failure::usage(format!("The {what} file {} is not valid JSON: {e}", path.display())))?;
            Ok(Some(text))
        }
        Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::usage(format!("Cannot read the {what} file {}: {e}", path.display()))),
    }
}

pub async fn run(cli: &Cli, args: &RunArgs) -> Result<(), Failure> {
    let host = Host::load(cli)?;
    let Some(typed) = &args.command else {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        let _ = cmd.find_subcommand_mut("run").map(|c| c.print_help());
        return if args.help { Ok(()) } else { Err(Failure::usage("\nerror: COMMAND is required")) };
    };
    let typed = typed.strip_prefix('!').unwrap_or(typed);
    let name = host.launch_spec().await?.command(typed).ok_or_else(|| {
        Failure::usage(format!("Unknown command '{typed}'. Run `code42 commands` to list the commands."))
    })?;
    if args.help {
        // Only help needs the whole manifest.
        let manifest = host.manifest().await?;
        if let Some(spec) = manifest.commands.iter().find(|c| c.name == name) {
            print!("{}", command_help(spec));
        }
        return Ok(());
    }
    let command_args = parse_args(&args.args)?;
    let context_json = match &args.context {
        Some(path) => read_json_file("context", path, true)?,
        None => None,
    };
    let incident_json = match &args.incident {
        Some(path) => read_json_file("incident", path, false)?,
        None => None,
    };
    let invocation = Invocation { incident_json, context_json: context_json.clone() };

    let (mut instance, scrub) = host.instance(cli).await?;
    let failed =
        |text: String| Failure::failed(scrub.clean(&format!("Failed to execute {name} command. Error: {text}")));
    let results = instance.execute(name, &command_args, &invocation).await.map_err(|e| failed(e.to_string()))?;
    tracing::info!(network_ms = instance.network_time().as_secs_f64() * 1e3, "{name} finished");

    let files_dir = args.files_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut rendered = Vec::new();
    for result in &results {
        let written = files::write_all(&files_dir, &result.files).map_err(|e| failed(format!("{e:#}")))?;
        rendered.push(output::view(result, written).map_err(failed)?);
    }
    if let Some(path) = &args.context {
        context::update_file(path, context_json.as_deref(), &rendered).map_err(|e| failed(format!("{e:#}")))?;
    }
    let text = match args.output {
        OutputFormat::Markdown => output::markdown(&rendered),
        OutputFormat::Json => output::json(&rendered),
    };
    println!("{}", scrub.clean(&text));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_value_pairs() {
        let args = parse_args(&["id=1".into(), "json={\"a\":\"b=c\"}".into()]).unwrap();
        assert_eq!(args[1].name, "json");
        assert_eq!(args[1].value, "{\"a\":\"b=c\"}");
        assert!(parse_args(&["novalue".into()]).is_err());
        assert!(parse_args(&["=x".into()]).is_err());
    }
}
