//! Helpers shared by the end-to-end tests: a simulator, the compiled component in a host
//! runtime, and instances configured for that simulator.

use host_runner::bindings::{Arg, CommandResult, Invocation, Param, ParamValue};
use host_runner::{EgressPolicy, HostError, Origin, PluginInstance, Runtime, RuntimeOptions};
use incydr_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::sync::OnceLock;

/// The misbehaving test guest (`tests/guests/rogue`).
pub static ROGUE_COMPONENT: &[u8] = include_bytes!(env!("ROGUE_COMPONENT_PATH"));

/// An instance of the rogue guest under `limits`, allowed to reach `policy`.
pub async fn rogue(limits: host_runner::Limits, policy: EgressPolicy) -> PluginInstance {
    let runtime =
        Runtime::new(ROGUE_COMPONENT, RuntimeOptions { limits, ..Default::default() }).expect("the rogue guest loads");
    runtime.instance(vec![], policy).await.expect("the rogue instance is created")
}

/// One runtime per test binary: the component is compiled once.
pub fn runtime() -> Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| Runtime::code42(RuntimeOptions::default()).expect("the component loads")).clone()
}

pub async fn simulator(config: SimConfig) -> Simulator {
    Simulator::start(config).await.expect("the simulator starts")
}

pub fn text(name: &str, value: &str) -> Param {
    Param { name: name.into(), value: ParamValue::Text(value.into()) }
}

/// Parameters of an instance configured for `sim`, plus `extra`.
pub fn params(sim: &Simulator, extra: Vec<Param>) -> Vec<Param> {
    let mut params = vec![
        text("console_url", &sim.console_url()),
        text("api_url", &sim.api_url()),
        text("client_id", sim.client_id()),
        text("client_secret", sim.client_secret()),
    ];
    params.retain(|p| !extra.iter().any(|e| e.name == p.name));
    params.extend(extra);
    params
}

/// The egress policy a host would derive: both simulator origins.
pub fn policy(sim: &Simulator) -> EgressPolicy {
    EgressPolicy {
        allowed: vec![Origin::parse(&sim.api_url()).unwrap(), Origin::parse(&sim.console_url()).unwrap()],
        ..Default::default()
    }
}

pub async fn instance(sim: &Simulator) -> PluginInstance {
    runtime().instance(params(sim, vec![]), policy(sim)).await.expect("the instance is created")
}

/// Runs a command with `name=value` arguments and no incident or context.
pub async fn run(
    instance: &mut PluginInstance,
    command: &str,
    args: &[(&str, &str)],
) -> Result<Vec<CommandResult>, HostError> {
    let args: Vec<Arg> = args.iter().map(|(n, v)| Arg { name: n.to_string(), value: v.to_string() }).collect();
    instance.execute(command, &args, &Invocation { incident_json: None, context_json: None }).await
}

/// Runs a command that answers one result, and returns it; any error fails the test.
pub async fn one(instance: &mut PluginInstance, command: &str, args: &[(&str, &str)]) -> CommandResult {
    let mut results = run(instance, command, args).await.unwrap_or_else(|e| panic!("{command}: {e}"));
    assert_eq!(results.len(), 1, "{command} answers one result");
    results.remove(0)
}

/// The outputs of a result, parsed.
pub fn outputs(result: &CommandResult) -> Value {
    serde_json::from_str(result.outputs_json.as_deref().expect("the result has outputs")).unwrap()
}

pub fn raw(result: &CommandResult) -> Value {
    serde_json::from_str(result.raw_response_json.as_deref().expect("the result has a raw response")).unwrap()
}

/// A simulator's gateway and console behind TLS fronts, with certificates of a CA made for the
/// test, which the instance trusts as a `ca_file`.
pub struct BehindTls {
    pub api: netkit::TlsFront,
    pub console: netkit::TlsFront,
    /// Holds `ca.pem`.
    pub dir: tempfile::TempDir,
}

impl BehindTls {
    /// Fronts that offer HTTP/1.1 only.
    pub async fn start(sim: &Simulator) -> Self {
        Self::with_fronts(sim, false).await
    }

    /// Fronts that offer HTTP/2 and HTTP/1.1.
    pub async fn start_offering_h2(sim: &Simulator) -> Self {
        Self::with_fronts(sim, true).await
    }

    async fn with_fronts(sim: &Simulator, h2: bool) -> Self {
        let ca = netkit::TestCa::new("code42 test CA");
        let leaf = ca.leaf(&["127.0.0.1"]);
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).expect("ca.pem is written");
        let (api, console) = match h2 {
            true => (
                netkit::TlsFront::start_offering_h2(&leaf, sim.gateway).await,
                netkit::TlsFront::start_offering_h2(&leaf, sim.console).await,
            ),
            false => {
                (netkit::TlsFront::start(&leaf, sim.gateway).await, netkit::TlsFront::start(&leaf, sim.console).await)
            }
        };
        BehindTls { api, console, dir }
    }

    /// An instance's parameters for `sim` through the fronts, plus `extra`.
    pub fn params(&self, sim: &Simulator, extra: Vec<Param>) -> Vec<Param> {
        let mut params = params(sim, extra);
        for p in &mut params {
            match p.name.as_str() {
                "api_url" => p.value = ParamValue::Text(self.api.url()),
                "console_url" => p.value = ParamValue::Text(self.console.url()),
                _ => {}
            }
        }
        params
    }

    /// The egress policy a host would derive: both fronts, trusting the test CA.
    pub fn policy(&self) -> EgressPolicy {
        let trust = host_runner::Trust::default().with_ca_file(&self.dir.path().join("ca.pem")).expect("the CA loads");
        EgressPolicy {
            allowed: vec![Origin::parse(&self.api.url()).unwrap(), Origin::parse(&self.console.url()).unwrap()],
            network: host_runner::Network { trust, ..Default::default() },
            ..Default::default()
        }
    }
}
