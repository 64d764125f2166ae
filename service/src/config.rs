//! The service's configuration, read from `wasi:config/store`: the integration's parameters
//! under their own names, typed by the manifest, and `service_token`, the bearer token callers
//! must present. Values are text, as every runtime's configuration is: booleans `true`/`false`,
//! integers in decimal, multi-selects separated by commas or spaces (`wasmtime serve -S
//! config-var=` cannot carry a comma).

use crate::manifest::{Manifest, ParamKind};
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The key of the callers' bearer token.
pub const SERVICE_TOKEN: &str = "service_token";

/// A parameter value as the integration takes it (WIT `param-value`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamValue {
    Text(String),
    Boolean(bool),
    Integer(i64),
    Multi(Vec<String>),
}

/// A configuration read and checked against the manifest.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub service_token: Option<String>,
    pub params: Vec<(String, ParamValue)>,
}

// Holds the client secret and the service token: never printed.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.params.iter().map(|(name, _)| name)).finish()
    }
}

impl Config {
    /// Types every known parameter of `vars`; other keys are not the integration's and are left
    /// alone (a runtime may hold more variables than this component's). An error names the key
    /// and what was expected, never the value.
    pub fn read(vars: impl IntoIterator<Item = (String, String)>, manifest: &Manifest) -> Result<Self, String> {
        let vars: BTreeMap<String, String> = vars.into_iter().collect();
        let service_token = vars.get(SERVICE_TOKEN).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        let mut params = Vec::new();
        for spec in &manifest.params {
            let Some(raw) = vars.get(&spec.name) else { continue };
            let value = match spec.kind {
                ParamKind::Boolean => match raw.trim().to_ascii_lowercase().as_str() {
                    "true" => ParamValue::Boolean(true),
                    "false" => ParamValue::Boolean(false),
                    _ => return Err(format!("Invalid configuration value of '{}': expected true or false", spec.name)),
                },
                ParamKind::Integer => ParamValue::Integer(raw.trim().parse().map_err(|_| {
                    format!("Invalid configuration value of '{}': expected a decimal integer", spec.name)
                })?),
                ParamKind::MultiSelect => ParamValue::Multi(
                    raw.split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                ),
                _ => ParamValue::Text(raw.clone()),
            };
            params.push((spec.name.clone(), value));
        }
        Ok(Config { service_token, params })
    }

    /// Changes whenever a parameter does, so a cached instance is rebuilt for a new configuration.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.params.hash(&mut hasher);
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::ParamSpec;

    fn manifest() -> Manifest {
        let param = |name: &str, kind| ParamSpec {
            name: name.into(),
            display: name.into(),
            description: String::new(),
            kind,
            required: false,
            default_value: None,
            options: vec![],
            xsoar: crate::manifest::XsoarParam {
                name: name.into(),
                type_code: 0,
                required: false,
                default_value: None,
                section: None,
                credential: None,
                hidden: false,
            },
        };
        Manifest {
            name: "X".into(),
            display: "X".into(),
            description: String::new(),
            version: "1".into(),
            params: vec![
                param("console_url", ParamKind::Text),
                param("include_files", ParamKind::Boolean),
                param("fetch_limit", ParamKind::Integer),
                param("alert_severity", ParamKind::MultiSelect),
            ],
            commands: vec![],
            fetches_incidents: true,
        }
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn values_are_typed_by_the_manifest() {
        let config = Config::read(
            vars(&[
                ("console_url", "console.us.code42.com"),
                ("include_files", "TRUE"),
                ("fetch_limit", " 50 "),
                ("alert_severity", "High, Critical Low"),
                ("service_token", "t0ken"),
                ("SOMETHING_ELSE", "ignored"),
            ]),
            &manifest(),
        )
        .unwrap();
        assert_eq!(config.service_token.as_deref(), Some("t0ken"));
        assert_eq!(
            config.params,
            vec![
                ("console_url".to_string(), ParamValue::Text("console.us.code42.com".into())),
                ("include_files".to_string(), ParamValue::Boolean(true)),
                ("fetch_limit".to_string(), ParamValue::Integer(50)),
                ("alert_severity".to_string(), ParamValue::Multi(vec!["High".into(), "Critical".into(), "Low".into()])),
            ]
        );
        assert!(!format!("{config:?}").contains("t0ken"));
    }

    #[test]
    fn bad_values_name_the_key_and_never_the_value() {
        let err = Config::read(vars(&[("fetch_limit", "many-s3cret")]), &manifest()).unwrap_err();
        assert_eq!(err, "Invalid configuration value of 'fetch_limit': expected a decimal integer");
        let err = Config::read(vars(&[("include_files", "yes")]), &manifest()).unwrap_err();
        assert!(err.contains("'include_files'") && err.contains("true or false"), "{err}");
    }

    #[test]
    fn a_blank_token_is_no_token_and_the_fingerprint_follows_the_params() {
        let a = Config::read(vars(&[("service_token", "  "), ("fetch_limit", "5")]), &manifest()).unwrap();
        assert_eq!(a.service_token, None);
        let b = Config::read(vars(&[("service_token", "other"), ("fetch_limit", "5")]), &manifest()).unwrap();
        let c = Config::read(vars(&[("fetch_limit", "6")]), &manifest()).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
