//! Command arguments: checked against the command's manifest entry, then read with the XSOAR
//! conventions (booleans `true/yes/false/no`, integers, `YYYY-MM-DD` dates, comma lists).

use crate::error::{Error, Result};
use crate::manifest::CommandSpec;
use crate::timerange::TimeRange;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The arguments of one command call, with the manifest's defaults applied.
#[derive(Debug, Clone, Default)]
pub struct Args {
    values: BTreeMap<String, String>,
}

impl Args {
    /// Checks the raw `name=value` pairs against `spec`: unknown names, missing required values,
    /// values outside the possible ones and values longer than allowed are errors naming the
    /// argument.
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
                    let length = value.chars().count();
                    if let Some(max) = arg.max_chars.filter(|max| length > *max) {
                        return Err(Error::invalid_arg(
                            arg.name,
                            format!("Argument '{}' is {length} characters long; at most {max} are allowed", arg.name),
                        ));
                    }
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

    /// A point in time (epoch milliseconds): ISO 8601 with or without an offset (UTC when
    /// none), or epoch milliseconds.
    pub fn time(&self, name: &str) -> Result<Option<i64>> {
        let Some(text) = self.get(name).map(str::trim) else { return Ok(None) };
        absolute_time(text).map(Some).ok_or_else(|| {
            Error::invalid_arg(
                name,
                format!("Invalid {name} '{text}': expected an ISO 8601 time or epoch milliseconds"),
            )
        })
    }

    /// As [`Args::time`], or a time range before `now_ms` such as `3 days`.
    pub fn instant(&self, name: &str, now_ms: i64) -> Result<Option<i64>> {
        let Some(text) = self.get(name).map(str::trim) else { return Ok(None) };
        if let Some(ms) = absolute_time(text) {
            return Ok(Some(ms));
        }
        let range = TimeRange::parse(name, text).map_err(|_| {
            Error::invalid_arg(
                name,
                format!(
                    "Invalid {name} '{text}': expected an ISO 8601 time, epoch milliseconds or a time range such as \
                     `3 days`"
                ),
            )
        })?;
        Ok(Some(now_ms - range.millis()))
    }

    /// A count of at least 1 (`limit`), else an error naming the argument.
    pub fn count(&self, name: &str) -> Result<Option<usize>> {
        match self.integer(name)? {
            None => Ok(None),
            Some(n) => usize::try_from(n).ok().filter(|n| *n >= 1).map(Some).ok_or_else(|| {
                Error::invalid_arg(name, format!("Invalid number: \"{name}\"=\"{n}\"; expected at least 1"))
            }),
        }
    }

    /// A list that must hold at least one item (a value of only commas holds none).
    pub fn required_list(&self, name: &str) -> Result<Vec<String>> {
        let items = self.list(name);
        if items.is_empty() {
            return Err(Error::missing_arg(name));
        }
        Ok(items)
    }

    /// A comma-separated list, trimmed, without empty items.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default()
    }
}

/// ISO 8601 (UTC when no offset is given) or epoch milliseconds.
fn absolute_time(text: &str) -> Option<i64> {
    if let Ok(ms) = text.parse::<i64>() {
        return Some(ms);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d"].iter().find_map(|format| {
        let parsed = chrono::NaiveDateTime::parse_from_str(text, format)
            .or_else(|_| chrono::NaiveDate::parse_from_str(text, format).map(|d| d.and_time(chrono::NaiveTime::MIN)));
        parsed.ok().map(|t| t.and_utc().timestamp_millis())
    })
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
    fn instants_are_iso_8601_epoch_milliseconds_or_a_range_ago() {
        let args = |v: &str| Args::from_pairs(&[("t", v)]);
        let now = 1_700_000_000_000;
        assert_eq!(args("1700000000000").instant("t", 0).unwrap(), Some(now));
        assert_eq!(args("2023-11-14T22:13:20Z").instant("t", 0).unwrap(), Some(now));
        assert_eq!(args("2023-11-14T23:13:20+01:00").instant("t", 0).unwrap(), Some(now));
        assert_eq!(args("2023-11-14T22:13:20.000").instant("t", 0).unwrap(), Some(now));
        assert_eq!(args("3 days").instant("t", now).unwrap(), Some(now - 3 * 86_400_000));
        assert_eq!(Args::default().instant("t", now).unwrap(), None);
        let err = args("yesterday").instant("t", now).unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "t"), "{err:?}");
        assert_eq!(args("2023-11-14T22:13:20Z").time("t").unwrap(), Some(now));
        assert!(args("3 days").time("t").unwrap_err().to_string().contains("epoch milliseconds"));
    }

    #[test]
    fn refuses_values_longer_than_allowed() {
        let spec = find_command("code42-alert-add-note").unwrap();
        let long = "n".repeat(2001);
        let err = Args::validate(spec, raw(&[("id", "x"), ("note", &long)])).unwrap_err();
        assert_eq!(
            err,
            Error::invalid_arg("note", "Argument 'note' is 2001 characters long; at most 2000 are allowed")
        );
        assert!(
            Args::validate(spec, raw(&[("id", "x"), ("note", &"é".repeat(2000))])).is_ok(),
            "characters, not bytes"
        );
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
