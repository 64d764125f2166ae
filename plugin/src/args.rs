//! Command arguments: checked against the command's manifest entry, then read with the XSOAR
//! conventions (booleans `true/yes/false/no`, integers, `YYYY-MM-DD` dates, comma lists).

use crate::error::{Error, Result};
use crate::manifest::CommandSpec;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The arguments of one command call, with the manifest's defaults applied.
#[derive(Debug, Clone, Default)]
pub struct Args {
    values: BTreeMap<String, String>,
}

impl Args {
    /// Checks the raw `name=value` pairs against `spec`: unknown names, missing required values
    /// and values outside the possible ones are errors naming the argument.
    pub fn validate(spec: &CommandSpec, raw: impl IntoIterator<Item = (String, String)>) -> Result<Self> {
        let mut values = BTreeMap::new();
        for (name, value) in raw {
            let Some(arg) = spec.args.iter().find(|a| a.name == name) else {
                let known: Vec<&str> = spec.args.iter().map(|a| a.name).collect();
                let expected = if known.is_empty() {
                    "it takes no arguments".to_string()
                } else {
                    format!("expected one of: {}", known.join(", "))
                };
                return Err(Error::invalid_arg(
                    &name,
                    format!("Unknown argument '{name}' for {}; {expected}", spec.name),
                ));
            };
            if values.insert(name.clone(), value).is_some() {
                return Err(Error::invalid_arg(arg.name, format!("Argument '{}' was given more than once", arg.name)));
            }
        }
        for arg in spec.args {
            let given = values.get(arg.name).filter(|v| !v.trim().is_empty()).cloned();
            match (given, arg.default) {
                (Some(value), _) => {
                    if !arg.possible.is_empty() {
                        let items: Vec<&str> =
                            if arg.list { value.split(',').map(str::trim).collect() } else { vec![value.trim()] };
                        if let Some(bad) = items.iter().find(|v| !arg.possible.contains(v)) {
                            return Err(Error::invalid_arg(
                                arg.name,
                                format!(
                                    "Invalid value '{bad}' for argument '{}'; expected one of: {}",
                                    arg.name,
                                    arg.possible.join(", ")
                                ),
                            ));
                        }
                    }
                }
                (None, Some(default)) => {
                    values.insert(arg.name.to_string(), default.to_string());
                }
                (None, None) if arg.required => return Err(Error::missing_arg(arg.name)),
                // Kept: a blank value can mean "clear this field" (update-risk-profile).
                (None, None) => {}
            }
        }
        Ok(Args { values })
    }

    /// Arguments built directly, for internal calls and tests.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Args { values: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    /// The value, if given and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str).filter(|v| !v.trim().is_empty())
    }

    /// The value as given, blank included (`None` only when absent).
    pub fn given(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str) -> Result<&str> {
        self.get(name).ok_or_else(|| Error::missing_arg(name))
    }

    pub fn boolean(&self, name: &str) -> Result<Option<bool>> {
        self.get(name).map(|v| parse_bool(name, v)).transpose()
    }

    pub fn integer(&self, name: &str) -> Result<Option<i64>> {
        self.get(name)
            .map(|v| {
                v.trim().parse::<i64>().map_err(|_| {
                    Error::invalid_arg(name, format!("Invalid number: \"{name}\"=\"{v}\"; expected an integer"))
                })
            })
            .transpose()
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>> {
        self.get(name)
            .map(|v| {
                NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
                    Error::invalid_arg(
                        name,
                        format!(
                            "Error parsing time data. Date '{v}' does not match format %Y-%m-%d (argument '{name}')."
                        ),
                    )
                })
            })
            .transpose()
    }

    /// A comma-separated list, trimmed, without empty items.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default()
    }
}

/// XSOAR's `argToBoolean`: `true/yes` and `false/no`, any case.
pub fn parse_bool(name: &str, value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(Error::invalid_arg(
            name,
            format!("Argument '{name}' does not contain a valid boolean-like value: '{value}'; expected true or false"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::find_command;

    fn raw(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn applies_defaults_and_checks_required_arguments() {
        let spec = find_command("code42-file-events-search").unwrap();
        let args = Args::validate(spec, raw(&[("username", "a@b.c")])).unwrap();
        assert_eq!(args.get("results"), Some("50"));
        assert_eq!(args.get("add-to-context"), Some("false"));
        let spec = find_command("code42-alert-get").unwrap();
        let err = Args::validate(spec, raw(&[])).unwrap_err();
        assert_eq!(err, Error::invalid_arg("id", "Missing required argument: id"));
        let err = Args::validate(spec, raw(&[("id", "  ")])).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "id"));
    }

    #[test]
    fn rejects_unknown_arguments_and_values_outside_the_possible_ones() {
        let spec = find_command("code42-alert-update").unwrap();
        let err = Args::validate(spec, raw(&[("id", "x"), ("state", "DONE")])).unwrap_err();
        assert!(err.to_string().contains("expected one of: OPEN, CLOSED_TP, CLOSED_FP, CLOSED_TP_BENIGN"), "{err}");
        let err = Args::validate(spec, raw(&[("id", "x"), ("state", "OPEN"), ("colour", "red")])).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "colour"));
    }

    #[test]
    fn reads_xsoar_booleans_integers_and_dates() {
        let args = Args::from_pairs(&[
            ("a", "Yes"),
            ("b", "no"),
            ("c", "maybe"),
            ("n", "12"),
            ("m", "1.5"),
            ("d", "2020-01-31"),
            ("e", "31/01/2020"),
        ]);
        assert_eq!(args.boolean("a").unwrap(), Some(true));
        assert_eq!(args.boolean("b").unwrap(), Some(false));
        assert!(args.boolean("c").unwrap_err().to_string().contains("'c'"));
        assert_eq!(args.integer("n").unwrap(), Some(12));
        assert!(args.integer("m").unwrap_err().to_string().contains("\"m\""));
        assert_eq!(args.date("d").unwrap(), NaiveDate::from_ymd_opt(2020, 1, 31));
        assert!(args.date("e").unwrap_err().to_string().contains("%Y-%m-%d"));
        assert_eq!(args.integer("absent").unwrap(), None);
    }
}
