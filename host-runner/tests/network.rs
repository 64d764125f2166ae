//! The `code42` binary over real networks on loopback: TLS with a CA the test makes (trusted
//! through `ca_file` or `SSL_CERT_FILE`, or not at all), certificates refused with a sentence,
//! `insecure`, a real `CONNECT` proxy (only with `proxy = true`, `NO_PROXY`, credentials, refusals)
//! and kept connections counted at the server.

use incydr_sim::{SimConfig, Simulator};
use netkit::{ConnectProxy, Leaf, ProxyOptions, TestCa, TlsFront};
use std::path::PathBuf;
use std::process::{Command, Output};

const PROXY_PASSWORD: &str = "Pr0xy-Pa55-9917";

/// A simulator behind TLS fronts on their own tokio runtime, a test CA, and a working directory.
struct Net {
    sim: Simulator,
    ca: TestCa,
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Net {
    fn start() -> Net {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let sim = runtime.block_on(Simulator::start(SimConfig::default())).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new("code42 test CA");
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        Net { sim, ca, dir, runtime }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// TLS fronts of the gateway and the console serving `leaf`.
    fn fronts(&self, leaf: &Leaf) -> (TlsFront, TlsFront) {
        self.runtime.block_on(async {
            (TlsFront::start(leaf, self.sim.gateway).await, TlsFront::start(leaf, self.sim.console).await)
        })
    }

    fn proxy(&self, options: ProxyOptions) -> ConnectProxy {
        self.runtime.block_on(ConnectProxy::start(options))
    }

    /// A configuration for the gateway at `api` and the console at `console`, plus `extra` lines.
    fn config(&self, api: &str, console: &str, extra: &str) -> PathBuf {
        let text = format!(
            "console_url = \"{console}\"\napi_url = \"{api}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n{extra}\n",
            self.sim.client_id(),
            self.sim.client_secret(),
        );
        let path = self.path("cfg.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `code42 run code42-alert-get` of an open alert with `config`, and that alert's id.
    fn alert_get(&self, config: &PathBuf, env: &[(&str, &str)]) -> (Output, String) {
        let id = self.sim.tenant().open_alerts().next().unwrap().session_id.clone();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_code42"));
        cmd.current_dir(self.dir.path()).arg("--cache-dir").arg(self.path("cache"));
        for var in [
            "CODE42_CONFIG",
            "CODE42_CONSOLE_URL",
            "CODE42_API_URL",
            "CODE42_CLIENT_ID",
            "CODE42_CLIENT_SECRET",
            "RUST_LOG",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            cmd.env_remove(var);
        }
        cmd.arg("--config").arg(config).args(["run", "code42-alert-get", &format!("id={id}")]);
        (cmd.envs(env.iter().copied()).output().unwrap(), id)
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The command failed with one line that says `what`, and no Rust type names.
fn refused(out: &Output, what: &str) {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    let err = stderr(out);
    assert!(err.contains(what), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    for word in ["::", "Error {", "rustls", "hyper", "InvalidCertificate"] {
        assert!(!err.contains(word), "{word} in {err}");
    }
}

#[test]
fn a_private_ca_is_trusted_through_ca_file_or_ssl_cert_file_and_nothing_else() {
    let net = Net::start();
    let (api, console) = net.fronts(&net.ca.leaf(&["127.0.0.1"]));

    let untrusted = net.config(&api.url(), &console.url(), "");
    let (out, _) = net.alert_get(&untrusted, &[]);
    refused(&out, &format!("the secure (TLS) connection to {} failed: its certificate is not trusted", api.addr));

    let ca_file = format!("ca_file = \"{}\"", net.path("ca.pem").display());
    let (out, id) = net.alert_get(&net.config(&api.url(), &console.url(), &ca_file), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id));

    let ssl_cert_file = net.path("ca.pem").display().to_string();
    let (out, id) = net.alert_get(&untrusted, &[("SSL_CERT_FILE", &ssl_cert_file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id));
}

#[test]
fn expired_and_wrong_name_certificates_are_refused_with_their_reason() {
    let net = Net::start();
    let ca_file = format!("ca_file = \"{}\"", net.path("ca.pem").display());
    for (leaf, reason) in [
        (net.ca.expired_leaf(&["127.0.0.1"]), "its certificate has expired"),
        (net.ca.leaf(&["elsewhere.example"]), "its certificate was issued for another name"),
    ] {
        let (api, console) = net.fronts(&leaf);
        let (out, _) = net.alert_get(&net.config(&api.url(), &console.url(), &ca_file), &[]);
        refused(&out, &format!("the secure (TLS) connection to {} failed: {reason}", api.addr));
    }
}

#[test]
fn insecure_reaches_an_untrusted_server_and_says_so_once() {
    let net = Net::start();
    let (api, console) = net.fronts(&TestCa::new("a CA nobody trusts").leaf(&["127.0.0.1"]));
    let (out, id) = net.alert_get(&net.config(&api.url(), &console.url(), "insecure = true"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id));
    assert_eq!(stderr(&out).matches("not verified").count(), 1, "{}", stderr(&out));
}

#[test]
fn https_goes_through_the_proxy_only_with_proxy_true_and_the_proxy_resolves_the_name() {
    let net = Net::start();
    // A name only the proxy knows, as a tenant's name behind a corporate proxy.
    let leaf = net.ca.leaf(&["tenant.code42.test"]);
    let (api, console) = net.fronts(&leaf);
    let proxy = net.proxy(ProxyOptions {
        hosts: vec![("tenant.code42.test".into(), api.addr)],
        credentials: Some(format!("analyst:{PROXY_PASSWORD}")),
        ..Default::default()
    });
    let api_url = format!("https://tenant.code42.test:{}", api.addr.port());
    let ca_file = format!("ca_file = \"{}\"", net.path("ca.pem").display());
    let with_credentials = proxy.url(Some(&format!("analyst:{PROXY_PASSWORD}")));
    let env = [("HTTPS_PROXY", with_credentials.as_str())];

    let (out, _) = net.alert_get(&net.config(&api_url, &console.url(), &ca_file), &env);
    refused(&out, "could not be found");
    assert_eq!(proxy.connections(), 0, "without proxy = true the variables are ignored");

    let config = net.config(&api_url, &console.url(), &format!("{ca_file}\nproxy = true"));
    let (out, id) = net.alert_get(&config, &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id));
    assert_eq!(proxy.tunnels(), [format!("tenant.code42.test:{}", api.addr.port())], "one tunnel, one connection");
    assert_eq!(api.connections(), 1);

    let without_credentials = proxy.url(None);
    let (out, _) = net.alert_get(&config, &[("HTTPS_PROXY", without_credentials.as_str())]);
    refused(&out, &format!("the proxy {} asks for credentials (407", proxy.addr));
    let (out, _) = net.alert_get(&config, &[("https_proxy", "http://analyst:wrong@127.0.0.1:1")]);
    refused(&out, "the proxy 127.0.0.1:1 cannot be reached");
    assert!(!stderr(&out).contains("wrong"), "{}", stderr(&out));

    let bad = [("HTTPS_PROXY", "socks5://analyst:hidden-pw@127.0.0.1:1080")];
    let (out, _) = net.alert_get(&config, &bad);
    assert_eq!(out.status.code(), Some(2), "a configuration error: {}", stderr(&out));
    assert!(stderr(&out).contains("HTTPS_PROXY is not a proxy this host can use"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("hidden-pw"), "{}", stderr(&out));
}

#[test]
fn no_proxy_bypasses_the_proxy_and_a_refusing_proxy_is_a_clear_error() {
    let net = Net::start();
    let (api, console) = net.fronts(&net.ca.leaf(&["127.0.0.1"]));
    let proxy = net.proxy(ProxyOptions { refuse_with: Some(502), ..Default::default() });
    let settings = format!("ca_file = \"{}\"\nproxy = true", net.path("ca.pem").display());
    let config = net.config(&api.url(), &console.url(), &settings);
    let proxy_url = proxy.url(None);

    let (out, id) = net.alert_get(&config, &[("HTTPS_PROXY", &proxy_url), ("NO_PROXY", "localhost,127.0.0.1")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id));
    assert_eq!(proxy.connections(), 0);

    let (out, _) = net.alert_get(&config, &[("HTTPS_PROXY", &proxy_url)]);
    refused(&out, &format!("the proxy {} refused to open a tunnel to it", proxy.addr));
}

#[test]
fn an_alert_get_rides_one_connection() {
    let net = Net::start();
    let (api, console) = net.fronts(&net.ca.leaf(&["127.0.0.1"]));
    let ca_file = format!("ca_file = \"{}\"", net.path("ca.pem").display());
    net.sim.clear_requests();
    let (out, _) = net.alert_get(&net.config(&api.url(), &console.url(), &ca_file), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let paths: Vec<String> = net.sim.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths.len(), 2, "the token and the session, names from the session: {paths:?}");
    assert_eq!(api.connections(), 1, "{paths:?}");
    assert_eq!(console.connections(), 0);
}
