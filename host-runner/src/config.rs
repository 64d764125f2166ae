//! Instance configuration: a TOML file whose keys are the integration's parameter names, with
//! `CODE42_*` environment variables taking precedence for hosts and credentials. Values are
//! checked against the manifest's parameter kinds; errors name the key and never echo a value.

use crate::bindings::{Param, ParamKind, ParamSpec, ParamValue};
use crate::net::{Network, Origin, Proxies, Trust};
use anyhow::{Context as _, Result, anyhow, bail};
use std::path::Path;

/// Environment variables that override the file, by parameter name.
pub const ENV_OVERRIDES: &[(&str, &str)] = &[
    ("console_url", "CODE42_CONSOLE_URL"),
    ("api_url", "CODE42_API_URL"),
    ("client_id", "CODE42_CLIENT_ID"),
    ("client_secret", "CODE42_CLIENT_SECRET"),
];

/// The key of the bearer token callers of `code42 serve` must present; not an integration
/// parameter, so the file may hold it beside them.
pub const SERVICE_TOKEN: &str = "service_token";
/// The environment variable that overrides [`SERVICE_TOKEN`].
pub const SERVICE_TOKEN_ENV: &str = "CODE42_SERVICE_TOKEN";

/// A checked configuration, ready to create an instance from.
#[derive(Clone)]
pub struct InstanceConfig {
    pub params: Vec<Param>,
    /// What callers of the HTTP service must present (`code42 serve`).
    pub service_token: Option<String>,
}

// The parameters hold the client secret: Debug shows names only.
impl std::fmt::Debug for InstanceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.params.iter().map(|p| &p.name)).finish()
    }
}

impl InstanceConfig {
    /// Reads `file` (when given) and the environment (through `env`), then checks every value.
    pub fn load(file: Option<&Path>, env: impl Fn(&str) -> Option<String>, specs: &[ParamSpec]) -> Result<Self> {
        let (table, source) = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                    // The parser's message quotes the offending line, which may hold the secret.
                    let at =
                        e.span().map(|s| line_of(&text, s.start)).map(|l| format!(" at line {l}")).unwrap_or_default();
                    anyhow!("{} is not valid TOML{at}: {}", path.display(), e.message())
                })?;
                (table, path.display().to_string())
            }
            None => (toml::Table::new(), "the configuration".to_string()),
        };
        Self::from_table(table, &source, env, specs)
    }

    fn from_table(
        table: toml::Table,
        source: &str,
        env: impl Fn(&str) -> Option<String>,
        specs: &[ParamSpec],
    ) -> Result<Self> {
        let mut params = Vec::new();
        let mut service_token = env(SERVICE_TOKEN_ENV).filter(|v| !v.trim().is_empty());
        for (key, value) in &table {
            if key == SERVICE_TOKEN {
                let toml::Value::String(token) = value else {
                    bail!("Invalid value for key '{key}': expected a string, got {}", value.type_str());
                };
                service_token = service_token.or(Some(token.clone()).filter(|t| !t.trim().is_empty()));
                continue;
            }
            let spec = specs.iter().find(|p| &p.name == key).ok_or_else(|| {
                let known: Vec<&str> = specs.iter().map(|p| p.name.as_str()).collect();
                anyhow!("Unknown key '{key}' in {source}; expected one of: {}", known.join(", "))
            })?;
            params.push(Param { name: key.clone(), value: convert(spec, value)? });
        }
        for (name, var) in ENV_OVERRIDES {
            if let Some(value) = env(var).filter(|v| !v.trim().is_empty()) {
                params.retain(|p| p.name != *name);
                params.push(Param { name: name.to_string(), value: ParamValue::Text(value) });
            }
        }
        for spec in specs.iter().filter(|p| p.required) {
            if !params.iter().any(|p| p.name == spec.name) {
                let var = ENV_OVERRIDES.iter().find(|(n, _)| *n == spec.name).map(|(_, v)| format!(" or set {v}"));
                bail!("Missing required key '{}' in {source}{}", spec.name, var.unwrap_or_default());
            }
        }
        Ok(InstanceConfig { params, service_token })
    }

    /// A text parameter's value.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|p| p.name == name).and_then(|p| match &p.value {
            ParamValue::Text(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// An integer parameter's value.
    pub fn integer(&self, name: &str) -> Option<i64> {
        self.params.iter().find(|p| p.name == name).and_then(|p| match &p.value {
            ParamValue::Integer(i) => Some(*i),
            ParamValue::Text(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    /// A boolean parameter's value.
    pub fn boolean(&self, name: &str) -> Option<bool> {
        self.params.iter().find(|p| p.name == name).and_then(|p| match &p.value {
            ParamValue::Boolean(b) => Some(*b),
            _ => None,
        })
    }

    /// How the instance's requests travel: `insecure`, `ca_file`, and with `proxy = true` the
    /// proxy variables of the environment (read through `env`; ignored without it, the
    /// reference's rule).
    pub fn network(&self, env: impl Fn(&str) -> Option<String>) -> Result<Network> {
        let mut trust = Trust::default();
        trust.insecure = self.boolean("insecure").unwrap_or(false);
        if let Some(path) = self.text("ca_file").filter(|p| !p.trim().is_empty()) {
            trust = trust.with_ca_file(Path::new(path.trim())).map_err(|e| anyhow!("Invalid key 'ca_file': {e}"))?;
        }
        let proxies = match self.boolean("proxy") {
            Some(true) => Proxies::from_env(env).map_err(|e| anyhow!("Invalid proxy for key 'proxy': {e}"))?,
            _ => Proxies::default(),
        };
        Ok(Network { trust, proxies })
    }

    /// The origins the instance may reach: the console, and the API gateway (given, or derived
    /// from the console host as the integration derives it: `console.` becomes `api.`).
    pub fn egress_origins(&self) -> Result<Vec<Origin>> {
        let console = Origin::parse(self.text("console_url").unwrap_or_default())
            .map_err(|e| anyhow!("Invalid key 'console_url': {e}"))?;
        let api = match self.text("api_url") {
            Some(text) => Some(Origin::parse(text).map_err(|e| anyhow!("Invalid key 'api_url': {e}"))?),
            None => console
                .host
                .strip_prefix("console.")
                .map(|rest| Origin { host: format!("api.{rest}"), ..console.clone() }),
        };
        Ok(std::iter::once(console).chain(api).collect())
    }

    /// The secret values, for scrubbing anything that leaves the process.
    pub fn secrets(&self, specs: &[ParamSpec]) -> Vec<String> {
        self.params
            .iter()
            .filter(|p| specs.iter().any(|s| s.name == p.name && s.kind == ParamKind::Secret))
            .filter_map(|p| match &p.value {
                ParamValue::Text(s) if !s.is_empty() => Some(s.clone()),
                _ => None,
            })
            .chain(self.service_token.clone())
            .collect()
    }

    /// The configuration as the text pairs a `wasi:config/store` holds: booleans `true`/`false`,
    /// integers in decimal, lists comma-separated, plus the service token.
    pub fn as_text(&self) -> Vec<(String, String)> {
        let text = |value: &ParamValue| match value {
            ParamValue::Text(s) => s.clone(),
            ParamValue::Boolean(b) => b.to_string(),
            ParamValue::Integer(i) => i.to_string(),
            ParamValue::Multi(items) => items.join(","),
        };
        self.params
            .iter()
            .map(|p| (p.name.clone(), text(&p.value)))
            .chain(self.service_token.clone().map(|t| (SERVICE_TOKEN.to_string(), t)))
            .collect()
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// One TOML value as the parameter's kind wants it.
fn convert(spec: &ParamSpec, value: &toml::Value) -> Result<ParamValue> {
    let key = &spec.name;
    let wrong =
        |expected: &str| anyhow!("Invalid value for key '{key}': expected {expected}, got {}", value.type_str());
    Ok(match spec.kind {
        ParamKind::Text | ParamKind::Secret | ParamKind::IncidentType | ParamKind::SingleSelect => match value {
            toml::Value::String(s) => {
                if spec.kind == ParamKind::SingleSelect && !spec.options.iter().any(|o| o.eq_ignore_ascii_case(s)) {
                    bail!("Invalid value for key '{key}': expected one of {}", spec.options.join(", "));
                }
                ParamValue::Text(s.clone())
            }
            _ => return Err(wrong("a string")),
        },
        ParamKind::Boolean => match value {
            toml::Value::Boolean(b) => ParamValue::Boolean(*b),
            toml::Value::String(s) if ["true", "false"].contains(&s.to_ascii_lowercase().as_str()) => {
                ParamValue::Boolean(s.eq_ignore_ascii_case("true"))
            }
            _ => return Err(wrong("true or false")),
        },
        ParamKind::Integer | ParamKind::Interval => match value {
            toml::Value::Integer(i) => ParamValue::Integer(*i),
            toml::Value::String(s) if s.trim().parse::<i64>().is_ok() => ParamValue::Integer(s.trim().parse()?),
            _ => return Err(wrong("an integer")),
        },
        ParamKind::MultiSelect => {
            let items: Vec<String> = match value {
                toml::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(String::from).ok_or_else(|| wrong("a list of strings")))
                    .collect::<Result<_>>()?,
                toml::Value::String(s) => {
                    s.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
                }
                _ => return Err(wrong("a list of strings")),
            };
            if let Some(bad) = items.iter().find(|i| !spec.options.iter().any(|o| o.eq_ignore_ascii_case(i))) {
                bail!("Invalid value '{bad}' for key '{key}': expected any of {}", spec.options.join(", "));
            }
            ParamValue::Multi(items)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, kind: ParamKind, required: bool, options: &[&str]) -> ParamSpec {
        ParamSpec {
            name: name.into(),
            display: name.into(),
            description: String::new(),
            kind,
            required,
            default_value: None,
            options: options.iter().map(|s| s.to_string()).collect(),
            xsoar: crate::bindings::XsoarParam {
                name: name.into(),
                type_code: 0,
                required,
                default_value: None,
                section: None,
                credential: None,
                hidden: false,
            },
        }
    }

    fn specs() -> Vec<ParamSpec> {
        vec![
            spec("console_url", ParamKind::Text, true, &[]),
            spec("api_url", ParamKind::Text, false, &[]),
            spec("client_id", ParamKind::Text, true, &[]),
            spec("client_secret", ParamKind::Secret, true, &[]),
            spec("fetch_limit", ParamKind::Integer, false, &[]),
            spec("include_files", ParamKind::Boolean, false, &[]),
            spec("alert_severity", ParamKind::MultiSelect, false, &["Critical", "High", "Moderate", "Low"]),
        ]
    }

    fn load(toml: &str, env: &[(&str, &str)]) -> Result<InstanceConfig> {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let table: toml::Table = toml.parse().unwrap();
        InstanceConfig::from_table(
            table,
            "cfg.toml",
            |k| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            &specs(),
        )
    }

    const BASE: &str = "console_url = \"console.us.code42.com\"\nclient_id = \"key-1\"\nclient_secret = \"hunter2\"\n";

    #[test]
    fn reads_typed_values() {
        let c =
            load(&format!("{BASE}fetch_limit = 7\ninclude_files = true\nalert_severity = [\"High\", \"low\"]\n"), &[])
                .unwrap();
        let get = |n: &str| c.params.iter().find(|p| p.name == n).unwrap().value.clone();
        assert!(matches!(get("fetch_limit"), ParamValue::Integer(7)));
        assert!(matches!(get("include_files"), ParamValue::Boolean(true)));
        assert!(matches!(get("alert_severity"), ParamValue::Multi(v) if v == ["High", "low"]));
    }

    #[test]
    fn errors_name_the_key_and_never_the_value() {
        let err =
            load("console_url = 1\nclient_id = \"key-1\"\nclient_secret = \"hunter2\"\n", &[]).unwrap_err().to_string();
        assert!(err.contains("'console_url'") && err.contains("expected a string"), "{err}");
        let err = load(&format!("{BASE}colour = \"red\"\n"), &[]).unwrap_err().to_string();
        assert!(err.contains("Unknown key 'colour' in cfg.toml"), "{err}");
        let err = load(&format!("{BASE}alert_severity = [\"Severe\"]\n"), &[]).unwrap_err().to_string();
        assert!(err.contains("'alert_severity'"), "{err}");
        let err = load("console_url = \"console.x\"\nclient_id = \"key-1\"\n", &[]).unwrap_err().to_string();
        assert_eq!(err, "Missing required key 'client_secret' in cfg.toml or set CODE42_CLIENT_SECRET");
        assert!(!format!("{:?}", load(BASE, &[]).unwrap()).contains("hunter2"));
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let c = load(BASE, &[("CODE42_CLIENT_SECRET", "from-env"), ("CODE42_API_URL", "http://127.0.0.1:9")]).unwrap();
        assert_eq!(c.text("client_secret"), Some("from-env"));
        assert_eq!(c.text("api_url"), Some("http://127.0.0.1:9"));
        assert_eq!(c.secrets(&specs()), ["from-env"]);
    }

    #[test]
    fn egress_covers_the_console_and_the_derived_api_host() {
        let c = load(BASE, &[]).unwrap();
        let origins: Vec<String> = c.egress_origins().unwrap().iter().map(|o| o.to_string()).collect();
        assert_eq!(origins, ["https://console.us.code42.com:443", "https://api.us.code42.com:443"]);
        let c = load(BASE, &[("CODE42_API_URL", "http://127.0.0.1:8081")]).unwrap();
        let origins: Vec<String> = c.egress_origins().unwrap().iter().map(|o| o.to_string()).collect();
        assert_eq!(origins, ["https://console.us.code42.com:443", "http://127.0.0.1:8081"]);
    }
}
