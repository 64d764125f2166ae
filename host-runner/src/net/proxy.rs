//! Which requests go through a proxy. Off unless an instance sets `proxy = true` (the reference's
//! "Use system proxy settings"); then `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
//! (upper or lower case) are read as curl and `requests` read them. HTTPS goes through a
//! `CONNECT host:port` tunnel, so the proxy resolves the tenant's name; plain HTTP is sent to the
//! proxy in absolute form. Credentials in the proxy URL become Basic `Proxy-Authorization`.
//!
//! The proxy URLs may hold credentials: nothing here shows more of them than scheme, host and port.

use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use std::fmt;

/// The proxy variables an instance was configured with (none: every request goes direct).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Proxies {
    vars: Option<ProxyVars>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct ProxyVars {
    http: String,
    https: String,
    all: String,
    no: String,
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Proxies(off)"),
            Some(v) => f
                .debug_struct("Proxies")
                .field("https", &shown(&v.https))
                .field("http", &shown(&v.http))
                .field("all", &shown(&v.all))
                .field("no", &v.no)
                .finish(),
        }
    }
}

/// Variable names, upper case first as curl looks them up.
const HTTPS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const HTTP: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const ALL: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const NO: [&str; 2] = ["NO_PROXY", "no_proxy"];

impl Proxies {
    /// The proxies the environment names, read through `env`. A proxy URL this host cannot use
    /// is an error naming the variable (never its value: it may hold credentials).
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let read = |names: [&str; 2]| -> Result<String, String> {
            let Some((name, value)) =
                names.iter().find_map(|n| env(n).filter(|v| !v.trim().is_empty()).map(|v| (*n, v)))
            else {
                return Ok(String::new());
            };
            if names == NO {
                return Ok(value);
            }
            let value = value.trim().to_string();
            let scheme_ok = !value.contains("://") || value.to_ascii_lowercase().starts_with("http://");
            if !scheme_ok || value.parse::<http::Uri>().ok().and_then(|u| u.host().map(str::len)).unwrap_or(0) == 0 {
                return Err(format!(
                    "{name} is not a proxy this host can use: expected http://[user:password@]host:port"
                ));
            }
            Ok(value)
        };
        Ok(Proxies { vars: Some(ProxyVars { https: read(HTTPS)?, http: read(HTTP)?, all: read(ALL)?, no: read(NO)? }) })
    }

    /// What decides, request by request, whether a proxy is used; `None` when proxies are off.
    pub(crate) fn matcher(&self) -> Option<Matcher> {
        let v = self.vars.as_ref()?;
        Some(Matcher::builder().https(v.https.clone()).http(v.http.clone()).all(v.all.clone()).no(v.no.clone()).build())
    }
}

/// A proxy as messages may name it: `host:port`, never its credentials.
pub(crate) fn name(proxy: &Intercept) -> String {
    let uri = proxy.uri();
    format!("{}:{}", uri.host().unwrap_or("?"), uri.port_u16().unwrap_or(80))
}

fn shown(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = after_scheme.rsplit_once('@').map_or(after_scheme, |(_, host)| host);
    host.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn proxy_for(proxies: &Proxies, url: &str) -> Option<String> {
        proxies.matcher()?.intercept(&url.parse().unwrap()).map(|p| name(&p))
    }

    #[test]
    fn https_and_http_proxies_and_no_proxy_as_curl_reads_them() {
        let p = Proxies::from_env(env(&[
            ("HTTPS_PROXY", "http://user:pa55@proxy.corp:3128"),
            ("http_proxy", "proxy.corp:8080"),
            ("NO_PROXY", "localhost,.internal.corp,10.0.0.0/8"),
        ]))
        .unwrap();
        assert_eq!(proxy_for(&p, "https://api.us.code42.com/v1/oauth").as_deref(), Some("proxy.corp:3128"));
        assert_eq!(proxy_for(&p, "http://api.us.code42.com/").as_deref(), Some("proxy.corp:8080"));
        for direct in ["https://localhost:8443/", "https://tenant.internal.corp/", "https://10.1.2.3/"] {
            assert_eq!(proxy_for(&p, direct), None, "{direct}");
        }
        let shown = format!("{p:?}");
        assert!(shown.contains("proxy.corp:3128") && !shown.contains("pa55") && !shown.contains("user"), "{shown}");
    }

    #[test]
    fn all_proxy_covers_both_and_off_means_direct() {
        let p = Proxies::from_env(env(&[("ALL_PROXY", "http://gw:9")])).unwrap();
        assert_eq!(proxy_for(&p, "https://api.us.code42.com/").as_deref(), Some("gw:9"));
        assert_eq!(proxy_for(&Proxies::default(), "https://api.us.code42.com/"), None);
    }

    #[test]
    fn unusable_proxies_are_refused_without_their_credentials() {
        for bad in ["socks5://u:secret@gw:1080", "https://u:secret@gw:443", "http://"] {
            let err = Proxies::from_env(env(&[("HTTPS_PROXY", bad)])).unwrap_err();
            assert!(err.starts_with("HTTPS_PROXY is not a proxy") && !err.contains("secret"), "{err}");
        }
    }
}
