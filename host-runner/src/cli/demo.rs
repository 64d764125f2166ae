//! `code42 demo`: a simulated Code42 tenant on loopback, and the integration working against it
//! through the same sandbox and wasi:http path as with a real tenant.

use super::fetch::incident_json;
use super::{Cli, Failure, Host};
use host_runner::EgressPolicy;
use host_runner::bindings::{Arg, Invocation, Param, ParamValue};
use incydr_sim::{SimConfig, Simulator};
use std::time::Instant;

fn step(n: u32, title: &str) {
    println!("\n── {n}. {title}");
}

fn text(name: &str, value: &str) -> Param {
    Param { name: name.into(), value: ParamValue::Text(value.into()) }
}

pub async fn run(cli: &Cli) -> Result<(), Failure> {
    println!("Code42 Incydr integration: demo against a simulated tenant");
    println!("==========================================================");
    println!("The integration is a WebAssembly component; this host runs it in a sandbox that lets it");
    println!("reach only the configured Code42 hosts. Here those hosts are a simulator on 127.0.0.1.");

    let started = Instant::now();
    let host = Host::load(cli)?;
    let size = host_runner::CODE42_COMPONENT.len();
    println!(
        "\nComponent: {} KiB, {:?} in {} ms",
        size / 1024,
        host.runtime.loaded_from(),
        started.elapsed().as_millis()
    );

    let sim = Simulator::start(SimConfig::default())
        .await
        .map_err(|e| Failure::usage(format!("starting the simulator: {e:#}")))?;
    let sessions = sim.tenant().sessions.len();
    println!("Simulator: API gateway {}, console {} ({sessions} alert sessions)", sim.api_url(), sim.console_url());
    println!("\nConfiguration (what your code42.toml would hold):");
    println!("  console_url = \"{}\"", sim.console_url());
    println!("  api_url = \"{}\"", sim.api_url());
    println!("  client_id = \"{}\"", sim.client_id());
    println!("  client_secret = \"********\"");
    println!("  fetch_time = \"3 days\"");

    let params = vec![
        text("console_url", &sim.console_url()),
        text("api_url", &sim.api_url()),
        text("client_id", sim.client_id()),
        text("client_secret", sim.client_secret()),
        text("fetch_time", "3 days"),
        text("incident_type", "Code42 Security Alert"),
    ];
    let origins =
        [sim.api_url(), sim.console_url()].iter().map(|u| host_runner::Origin::parse(u)).collect::<Result<Vec<_>, _>>();
    let policy = EgressPolicy { allowed: origins.map_err(Failure::usage)?, ..Default::default() };
    println!("Egress allowed to: {}", policy.allowed.iter().map(|o| o.to_string()).collect::<Vec<_>>().join(", "));
    let mut instance = host.runtime.instance(params, policy).await.map_err(|e| Failure::failed(e.to_string()))?;

    step(1, "code42 test-module");
    let t = Instant::now();
    instance.test_module().await.map_err(|e| Failure::failed(e.to_string()))?;
    println!("ok   ({} ms: OAuth token from the gateway and the console, one actor read)", t.elapsed().as_millis());

    let alert_id = {
        let tenant = sim.tenant();
        let newest = tenant.open_alerts().max_by_key(|s| s.begin_time);
        newest.map(|s| s.session_id.clone()).ok_or_else(|| Failure::usage("the simulated tenant has no open alert"))?
    };
    step(2, &format!("code42 run code42-alert-get id={alert_id}"));
    let t = Instant::now();
    let args = [Arg { name: "id".into(), value: alert_id.clone() }];
    let results = instance
        .execute("code42-alert-get", &args, &Invocation { incident_json: None, context_json: None })
        .await
        .map_err(|e| Failure::failed(e.to_string()))?;
    for r in &results {
        println!("{}", r.readable_output.trim_end());
        println!(
            "Context: {} (key {}) = {}",
            r.outputs_prefix.as_deref().unwrap_or("-"),
            r.outputs_key_field.as_deref().unwrap_or("-"),
            r.outputs_json.as_deref().unwrap_or("null")
        );
    }
    println!("({} ms: session, actor and rule lookups through wasi:http)", t.elapsed().as_millis());

    step(3, "code42 fetch --state state.json   (fetch_limit 5)");
    let t = Instant::now();
    let first = instance.fetch_incidents(None).await.map_err(|e| Failure::failed(e.to_string()))?;
    for incident in &first.incidents {
        let shown = incident_json(incident);
        println!(
            "  severity {}  {}  {}",
            shown["severity"],
            shown["occurred"].as_str().unwrap_or(""),
            shown["name"].as_str().unwrap_or("")
        );
    }
    println!(
        "{} incidents in {} ms. The state handed to the next run:",
        first.incidents.len(),
        t.elapsed().as_millis()
    );
    println!("  {}", abbreviate(&first.next_run_json, 160));
    let second =
        instance.fetch_incidents(Some(&first.next_run_json)).await.map_err(|e| Failure::failed(e.to_string()))?;
    println!("Next run: {} more incidents; none of the first run's come back.", second.incidents.len());

    println!("\n── Use it with your tenant");
    println!("  1. Write code42.toml with console_url, client_id and client_secret (api_url is derived).");
    println!("  2. code42 --config code42.toml test-module");
    println!("  3. code42 --config code42.toml run code42-alert-get id=<alert id> --output json");
    println!("  4. code42 --config code42.toml fetch --state state.json");
    println!("  `code42 commands` lists every command; `code42 run <command> --help` shows its arguments.");
    Ok(())
}

fn abbreviate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
