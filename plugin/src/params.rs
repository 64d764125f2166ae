//! Instance parameters: validated once, before any network call (product-decisions §2).

use crate::error::{Error, Result};
use crate::severity::Severity;
use crate::timerange::TimeRange;
use std::collections::BTreeMap;
use std::fmt;

/// A configured parameter value, as the host hands it in.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Text(String),
    Boolean(bool),
    Integer(i64),
    Multi(Vec<String>),
}

/// A text that must never be printed: `Debug` and `Display` show a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

/// `scheme://host[:port]` of a Code42 service, without a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
}

impl BaseUrl {
    /// Parses a host given with or without a scheme; `https` when none is written.
    pub fn parse(param: &str, value: &str) -> Result<Self> {
        let expected = "expected a host name such as console.us.code42.com, optionally with \
                        https:// (or http:// for a test tenant) and a port";
        let value = value.trim();
        let (scheme, rest) = match value.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => ("https".to_string(), value),
        };
        if scheme != "https" && scheme != "http" {
            return Err(Error::invalid_arg(
                param,
                format!("Invalid {param} '{value}': unsupported scheme '{scheme}'; {expected}"),
            ));
        }
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
            return Err(Error::invalid_arg(param, format!("Invalid {param} '{value}': {expected}")));
        }
        let (host, port) = split_port(authority)
            .ok_or_else(|| Error::invalid_arg(param, format!("Invalid {param} '{value}': {expected}")))?;
        Ok(BaseUrl { scheme, host: host.to_ascii_lowercase(), port })
    }

    /// The API gateway host of a console host: its first label `console` becomes `api`.
    fn api_for_console(&self) -> Option<Self> {
        let rest = self.host.strip_prefix("console.")?;
        Some(BaseUrl { host: format!("api.{rest}"), ..self.clone() })
    }

    /// `host[:port]`, as written in an HTTP authority.
    pub fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority())
    }
}

/// Splits `host[:port]`, keeping bracketed IPv6 literals whole.
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let after = &rest[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return None,
        };
        (&authority[..end + 2], port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p != 0)?),
        None => None,
    };
    Some((host, port))
}

/// Everything an instance is configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub console: BaseUrl,
    pub api: BaseUrl,
    pub client_id: String,
    pub client_secret: Secret,
    pub incident_type: Option<String>,
    pub alert_severity: Vec<Severity>,
    pub fetch_time: TimeRange,
    pub fetch_look_back: TimeRange,
    pub fetch_limit: usize,
    pub include_files: bool,
    pub v2_events: bool,
    /// Largest JSON answer read from the API.
    pub max_json_bytes: usize,
    /// Largest file download.
    pub max_download_bytes: usize,
    /// Requests in flight at once where a command or fetch reads independent things.
    pub max_concurrent_requests: usize,
    /// How incidents and alert sessions are kept in step (XSOAR mirroring); `None` when off.
    pub mirror: Option<MirrorDirection>,
    /// Close the incident when its session is closed in Code42.
    pub close_incident: bool,
    /// Close the session when its incident is closed.
    pub close_out: bool,
    /// Incident entries with this tag become session notes.
    pub comment_tag: String,
    /// The XSOAR instance that mirrors (its name, filled in by the XSOAR script).
    pub mirror_instance: Option<String>,
    /// How far back get-modified-remote-data looks for sessions.
    pub mirror_window: TimeRange,
}

/// Which way changes travel between an incident and its alert session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MirrorDirection {
    Incoming,
    Outgoing,
    Both,
}

impl MirrorDirection {
    /// The `mirror_direction` parameter's values, as XSOAR writes them.
    pub const OPTIONS: &[&str] = &["None", "Incoming", "Outgoing", "Incoming And Outgoing"];

    /// The parameter's value; `None` for `None` (mirroring off).
    fn parse(text: &str) -> Result<Option<Self>> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Ok(None),
            "incoming" => Ok(Some(MirrorDirection::Incoming)),
            "outgoing" => Ok(Some(MirrorDirection::Outgoing)),
            "incoming and outgoing" | "both" => Ok(Some(MirrorDirection::Both)),
            _ => Err(Error::invalid_arg(
                names::MIRROR_DIRECTION,
                format!("Invalid mirror_direction '{text}'; expected one of: {}", Self::OPTIONS.join(", ")),
            )),
        }
    }

    /// XSOAR's `dbotMirrorDirection` value.
    pub fn field_value(self) -> &'static str {
        match self {
            MirrorDirection::Incoming => "In",
            MirrorDirection::Outgoing => "Out",
            MirrorDirection::Both => "Both",
        }
    }
}

/// Parameter names, as written in configuration files.
pub mod names {
    pub const CONSOLE_URL: &str = "console_url";
    pub const API_URL: &str = "api_url";
    pub const CLIENT_ID: &str = "client_id";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const INCIDENT_TYPE: &str = "incident_type";
    pub const ALERT_SEVERITY: &str = "alert_severity";
    pub const FETCH_TIME: &str = "fetch_time";
    pub const FETCH_LOOK_BACK: &str = "fetch_look_back";
    pub const FETCH_LIMIT: &str = "fetch_limit";
    pub const INCLUDE_FILES: &str = "include_files";
    pub const INCIDENT_FETCH_INTERVAL: &str = "incident_fetch_interval";
    pub const V2_EVENTS: &str = "v2_events";
    pub const MAX_RESPONSE_MIB: &str = "max_response_mib";
    pub const MAX_DOWNLOAD_MIB: &str = "max_download_mib";
    pub const MAX_CONCURRENT_REQUESTS: &str = "max_concurrent_requests";
    pub const MIRROR_DIRECTION: &str = "mirror_direction";
    pub const CLOSE_INCIDENT: &str = "close_incident";
    pub const CLOSE_OUT: &str = "close_out";
    pub const COMMENT_TAG: &str = "comment_tag";
    pub const MIRROR_INSTANCE: &str = "mirror_instance";
    pub const MIRROR_WINDOW: &str = "mirror_window";
}

/// Reads typed values out of the host's parameter list, naming the parameter in every error.
struct ParamReader(BTreeMap<String, ParamValue>);

impl ParamReader {
    fn text(&self, name: &str) -> Result<Option<String>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(ParamValue::Text(s)) if s.trim().is_empty() => Ok(None),
            Some(ParamValue::Text(s)) => Ok(Some(s.trim().to_string())),
            Some(ParamValue::Integer(i)) => Ok(Some(i.to_string())),
            Some(other) => Err(Error::invalid_arg(name, format!("Invalid {name}: expected text, got {}", kind(other)))),
        }
    }

    fn required_text(&self, name: &str) -> Result<String> {
        self.text(name)?.ok_or_else(|| Error::invalid_arg(name, format!("Missing required parameter: {name}")))
    }

    fn boolean(&self, name: &str, default: bool) -> Result<bool> {
        match self.0.get(name) {
            None => Ok(default),
            Some(ParamValue::Boolean(b)) => Ok(*b),
            Some(ParamValue::Text(s)) => crate::args::parse_bool(name, s),
            Some(other) => {
                Err(Error::invalid_arg(name, format!("Invalid {name}: expected true or false, got {}", kind(other))))
            }
        }
    }

    fn integer(&self, name: &str, default: i64) -> Result<i64> {
        match self.0.get(name) {
            None => Ok(default),
            Some(ParamValue::Integer(i)) => Ok(*i),
            Some(ParamValue::Text(s)) if s.trim().is_empty() => Ok(default),
            Some(ParamValue::Text(s)) => s
                .trim()
                .parse()
                .map_err(|_| Error::invalid_arg(name, format!("Invalid {name}: expected an integer, got '{s}'"))),
            Some(other) => {
                Err(Error::invalid_arg(name, format!("Invalid {name}: expected an integer, got {}", kind(other))))
            }
        }
    }

    fn list(&self, name: &str) -> Result<Vec<String>> {
        match self.0.get(name) {
            None => Ok(vec![]),
            Some(ParamValue::Multi(items)) => Ok(items.clone()),
            Some(ParamValue::Text(s)) => {
                Ok(s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
            }
            Some(other) => {
                Err(Error::invalid_arg(name, format!("Invalid {name}: expected a list, got {}", kind(other))))
            }
        }
    }
}

fn kind(value: &ParamValue) -> &'static str {
    match value {
        ParamValue::Text(_) => "text",
        ParamValue::Boolean(_) => "a boolean",
        ParamValue::Integer(_) => "an integer",
        ParamValue::Multi(_) => "a list",
    }
}

impl Settings {
    /// Validates the parameters; nothing here touches the network.
    pub fn from_params(params: impl IntoIterator<Item = (String, ParamValue)>) -> Result<Self> {
        let reader = ParamReader(params.into_iter().collect());
        let console_text = reader.required_text(names::CONSOLE_URL)?;
        let console = BaseUrl::parse(names::CONSOLE_URL, &console_text)?;
        let api = match reader.text(names::API_URL)? {
            Some(text) => BaseUrl::parse(names::API_URL, &text)?,
            None => console.api_for_console().ok_or_else(|| {
                Error::invalid_arg(
                    names::API_URL,
                    format!(
                        "Missing api_url: it can only be derived from a console_url whose host \
                         starts with 'console.' (got '{}')",
                        console.host
                    ),
                )
            })?,
        };

        let client_id = reader.required_text(names::CLIENT_ID)?;
        if !client_id.starts_with("key-") || client_id.contains('@') {
            return Err(Error::invalid_arg(names::CLIENT_ID, format!("Got invalid API Client ID: {client_id}")));
        }
        let client_secret = Secret::new(reader.required_text(names::CLIENT_SECRET)?);

        let alert_severity = reader
            .list(names::ALERT_SEVERITY)?
            .iter()
            .map(|s| Severity::from_param(names::ALERT_SEVERITY, s))
            .collect::<Result<Vec<_>>>()?;
        let fetch_time =
            TimeRange::parse(names::FETCH_TIME, &reader.text(names::FETCH_TIME)?.unwrap_or("24 hours".into()))?;
        let fetch_look_back = TimeRange::parse(
            names::FETCH_LOOK_BACK,
            &reader.text(names::FETCH_LOOK_BACK)?.unwrap_or("24 hours".into()),
        )?;
        let fetch_limit = reader.integer(names::FETCH_LIMIT, 5)?;
        let fetch_limit = usize::try_from(fetch_limit).ok().filter(|n| (1..=10_000).contains(n)).ok_or_else(|| {
            Error::invalid_arg(
                names::FETCH_LIMIT,
                format!("Invalid fetch_limit: expected 1 to 10000, got {fetch_limit}"),
            )
        })?;
        let interval = reader.integer(names::INCIDENT_FETCH_INTERVAL, 3)?;
        if interval < 1 {
            return Err(Error::invalid_arg(
                names::INCIDENT_FETCH_INTERVAL,
                format!("Invalid incident_fetch_interval: expected a number of minutes of at least 1, got {interval}"),
            ));
        }

        let concurrency = reader.integer(names::MAX_CONCURRENT_REQUESTS, 8)?;
        let max_concurrent_requests =
            usize::try_from(concurrency).ok().filter(|n| (1..=64).contains(n)).ok_or_else(|| {
                Error::invalid_arg(
                    names::MAX_CONCURRENT_REQUESTS,
                    format!("Invalid max_concurrent_requests: expected 1 to 64, got {concurrency}"),
                )
            })?;
        let mib =
            |name: &str, default: i64| -> Result<usize> {
                let n = reader.integer(name, default)?;
                usize::try_from(n).ok().filter(|n| (1..=1024).contains(n)).map(|n| n * 1024 * 1024).ok_or_else(|| {
                    Error::invalid_arg(name, format!("Invalid {name}: expected 1 to 1024 (MiB), got {n}"))
                })
            };
        Ok(Settings {
            max_json_bytes: mib(names::MAX_RESPONSE_MIB, 16)?,
            max_download_bytes: mib(names::MAX_DOWNLOAD_MIB, 64)?,
            max_concurrent_requests,
            mirror: MirrorDirection::parse(&reader.text(names::MIRROR_DIRECTION)?.unwrap_or_default())?,
            close_incident: reader.boolean(names::CLOSE_INCIDENT, false)?,
            close_out: reader.boolean(names::CLOSE_OUT, false)?,
            comment_tag: reader.text(names::COMMENT_TAG)?.unwrap_or_else(|| "comment".into()),
            mirror_instance: reader.text(names::MIRROR_INSTANCE)?,
            mirror_window: TimeRange::parse(
                names::MIRROR_WINDOW,
                &reader.text(names::MIRROR_WINDOW)?.unwrap_or("30 days".into()),
            )?,
            console,
            api,
            client_id,
            client_secret,
            incident_type: reader.text(names::INCIDENT_TYPE)?,
            alert_severity,
            fetch_time,
            fetch_look_back,
            fetch_limit,
            include_files: reader.boolean(names::INCLUDE_FILES, false)?,
            v2_events: reader.boolean(names::V2_EVENTS, true)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, ParamValue)> {
        pairs.iter().map(|(k, v)| (k.to_string(), ParamValue::Text(v.to_string()))).collect()
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![("console_url", "console.us.code42.com"), ("client_id", "key-123"), ("client_secret", "s3cret")]
    }

    #[test]
    fn derives_the_api_host_from_the_console_host() {
        let s = Settings::from_params(params(&base())).unwrap();
        assert_eq!(s.console.to_string(), "https://console.us.code42.com");
        assert_eq!(s.api.to_string(), "https://api.us.code42.com");
    }

    #[test]
    fn accepts_hosts_with_scheme_port_and_trailing_slash() {
        let mut p = base();
        p[0] = ("console_url", "http://127.0.0.1:8080/");
        p.push(("api_url", "HTTP://127.0.0.1:8081"));
        let s = Settings::from_params(params(&p)).unwrap();
        assert_eq!(s.console.to_string(), "http://127.0.0.1:8080");
        assert_eq!(s.api.to_string(), "http://127.0.0.1:8081");
        assert_eq!(s.api.authority(), "127.0.0.1:8081");
    }

    #[test]
    fn an_api_host_cannot_be_derived_from_a_console_host_without_the_console_label() {
        let mut p = base();
        p[0] = ("console_url", "https://127.0.0.1:8080");
        let err = Settings::from_params(params(&p)).unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "api_url"), "{err:?}");
    }

    #[test]
    fn rejects_paths_schemes_and_bad_ports() {
        for bad in ["ftp://console.x", "https://console.x/api", "console.x:99999", "https://", "console.x:abc"] {
            let mut p = base();
            p[0] = ("console_url", bad);
            let err = Settings::from_params(params(&p)).unwrap_err();
            assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "console_url"), "{bad}: {err:?}");
        }
    }

    #[test]
    fn client_id_must_start_with_key_and_hold_no_at_sign() {
        for bad in ["test@example.com", "abc", "key-a@b"] {
            let mut p = base();
            p[1] = ("client_id", bad);
            let err = Settings::from_params(params(&p)).unwrap_err();
            assert_eq!(err.to_string(), format!("Got invalid API Client ID: {bad}"));
        }
    }

    #[test]
    fn missing_required_parameters_are_named() {
        for missing in ["console_url", "client_id", "client_secret"] {
            let p: Vec<_> = base().into_iter().filter(|(k, _)| *k != missing).collect();
            let err = Settings::from_params(params(&p)).unwrap_err();
            assert!(err.to_string().contains(missing), "{err}");
        }
    }

    #[test]
    fn defaults_follow_the_reference() {
        let s = Settings::from_params(params(&base())).unwrap();
        assert_eq!(s.fetch_limit, 5);
        assert!(!s.include_files);
        assert!(s.v2_events);
        assert!(s.alert_severity.is_empty());
        assert_eq!(s.fetch_time.millis(), 24 * 3600 * 1000);
    }

    #[test]
    fn typed_values_are_checked() {
        let mut p = params(&base());
        p.push(("fetch_limit".into(), ParamValue::Text("many".into())));
        assert!(Settings::from_params(p).unwrap_err().to_string().contains("fetch_limit"));
        let mut p = params(&base());
        p.push(("alert_severity".into(), ParamValue::Multi(vec!["High".into(), "Severe".into()])));
        assert!(Settings::from_params(p).unwrap_err().to_string().contains("alert_severity"));
        let mut p = params(&base());
        p.push(("include_files".into(), ParamValue::Integer(3)));
        assert!(Settings::from_params(p).unwrap_err().to_string().contains("include_files"));
    }

    #[test]
    fn the_secret_never_prints() {
        let s = Settings::from_params(params(&base())).unwrap();
        assert!(!format!("{s:?}").contains("s3cret"));
    }
}
