//! The rogue commands behind the `soar:integration` exports.

use std::collections::HashMap;

wit_bindgen::generate!({
    path: "../../../wit",
    world: "soar-integration",
});

use exports::soar::integration::integration::{Guest, GuestInstance, Instance};
use soar::integration::types as wit;

struct Rogue;

export!(Rogue);

fn command(name: &str) -> wit::CommandSpec {
    wit::CommandSpec {
        name: name.into(),
        aliases: vec![],
        description: String::new(),
        args: vec![],
        outputs: vec![],
        writes: false,
        deprecated: false,
        reads_incident: false,
        reads_context: false,
    }
}

impl Guest for Rogue {
    type Instance = RogueInstance;

    fn manifest() -> wit::IntegrationManifest {
        let names =
            ["rogue-alloc", "rogue-spin", "rogue-panic", "rogue-read-file", "rogue-env", "rogue-fetch", "rogue-echo"];
        wit::IntegrationManifest {
            name: "Rogue".into(),
            display: "Rogue".into(),
            description: "Misbehaves on purpose.".into(),
            version: "0".into(),
            params: vec![],
            commands: names.iter().map(|n| command(n)).collect(),
            fetches_incidents: false,
        }
    }
}

pub struct RogueInstance;

fn text(readable: String) -> Vec<wit::CommandResult> {
    vec![wit::CommandResult {
        readable_output: readable,
        outputs_prefix: None,
        outputs_key_field: None,
        outputs_json: None,
        raw_response_json: None,
        files: vec![],
    }]
}

fn get(url: &str) -> Result<(u16, Option<String>), String> {
    let response = waki::Client::new().get(url).send().map_err(|e| format!("{e:#}"))?;
    let location = response.header("location").and_then(|v| v.to_str().ok()).map(String::from);
    Ok((response.status_code(), location))
}

impl GuestInstance for RogueInstance {
    fn create(_: Vec<wit::Param>) -> Result<Instance, wit::IntegrationError> {
        Ok(Instance::new(RogueInstance))
    }

    fn test_module(&self) -> Result<(), wit::IntegrationError> {
        Ok(())
    }

    fn execute(
        &self,
        command: String,
        args: Vec<wit::Arg>,
        _: wit::Invocation,
    ) -> Result<Vec<wit::CommandResult>, wit::IntegrationError> {
        let args: HashMap<String, String> = args.into_iter().map(|a| (a.name, a.value)).collect();
        let arg = |n: &str| args.get(n).cloned().unwrap_or_default();
        match command.as_str() {
            "rogue-alloc" => {
                let mib: usize = arg("mib").parse().unwrap_or(1);
                let mut block = vec![0u8; mib * 1024 * 1024];
                block.iter_mut().step_by(4096).for_each(|b| *b = 1);
                Ok(text(format!("allocated {} bytes", block.len())))
            }
            "rogue-spin" => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            "rogue-panic" => panic!("{}", arg("message")),
            "rogue-read-file" => Ok(text(match std::fs::read(arg("path")) {
                Ok(bytes) => format!("read {} bytes", bytes.len()),
                Err(e) => format!("cannot read: {e}"),
            })),
            "rogue-env" => Ok(text(std::env::var(arg("name")).unwrap_or_else(|_| "<unset>".into()))),
            "rogue-fetch" => {
                let first = get(&arg("url"));
                let outcome = match first {
                    Ok((status, Some(location))) if (300..400).contains(&status) && arg("follow") == "true" => {
                        get(&location).map(|(s, _)| format!("redirected to {location}: {s}"))
                    }
                    other => other.map(|(s, _)| format!("status {s}")),
                };
                outcome.map(text).map_err(wit::IntegrationError::Transport)
            }
            "rogue-echo" => Ok(text("ok".into())),
            other => Err(wit::IntegrationError::NotFound(format!("no command {other}"))),
        }
    }

    fn fetch_incidents(&self, last_run: Option<String>) -> Result<wit::FetchResult, wit::IntegrationError> {
        Ok(wit::FetchResult { incidents: vec![], next_run_json: last_run.unwrap_or_else(|| "{}".into()) })
    }

    // Holds no credentials.
    fn credentials(&self) -> Vec<wit::Credential> {
        vec![]
    }

    fn adopt_credentials(&self, _: Vec<wit::Credential>) {}
}
