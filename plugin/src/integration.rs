//! One configured Code42 instance: what the WIT `instance` resource does, in plain Rust.

use crate::api::auth::HeldToken;
use crate::api::{Client, actors, console};
use crate::commands::{self, CommandResult, Invocation};
use crate::error::Result;
use crate::fetch::{self, FetchResult};
use crate::http::HttpClient;
use crate::params::{ParamValue, Settings};

/// The reference's test-module answer to any failure (code42-reference.md §14).
pub const INVALID_CREDENTIALS: &str = "Invalid credentials or host address. Check that the username and password are \
correct, that the host is available and reachable, and that you have supplied the full scheme, domain, and port \
(e.g. https://myhost.code42.com:4285).";

pub struct Integration<H> {
    client: Client<H>,
}

impl<H: HttpClient> Integration<H> {
    /// Validates the parameters; no request is made.
    pub fn new(http: H, params: impl IntoIterator<Item = (String, ParamValue)>) -> Result<Self> {
        Ok(Integration { client: Client::new(http, Settings::from_params(params)?) })
    }

    /// Gets a gateway token and reads one actor, then gets a console token and reads the
    /// tenant (the console API serves user create/block/unblock). A failure keeps its kind; its
    /// text is the reference's, followed by the cause.
    pub fn test_module(&self) -> Result<()> {
        let check = || -> Result<()> {
            actors::probe(&self.client)?;
            console::probe(&self.client)
        };
        check().map_err(|e| {
            let cause = e.to_string();
            e.with_message(format!("{INVALID_CREDENTIALS} Cause: {cause}"))
        })
    }

    pub fn execute(
        &self,
        command: &str,
        args: Vec<(String, String)>,
        invocation: &Invocation,
        now_ms: i64,
    ) -> Result<Vec<CommandResult>> {
        commands::execute(&self.client, command, args, invocation, now_ms)
    }

    pub fn fetch_incidents(&self, last_run: Option<&str>, now_ms: i64) -> Result<FetchResult> {
        fetch::fetch_incidents(&self.client, last_run, now_ms)
    }

    /// The tokens worth keeping beyond this instance.
    pub fn credentials(&self) -> Vec<HeldToken> {
        self.client.tokens().held()
    }

    /// Tokens an earlier instance of the same configuration held.
    pub fn adopt_credentials(&self, tokens: Vec<HeldToken>, now_ms: i64) {
        self.client.tokens().adopt(tokens, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::FakeServer;
    use crate::error::Error;
    use crate::http::Method;
    use serde_json::json;

    fn integration(server: &FakeServer) -> Integration<FakeServer> {
        let params = [("console_url", "console.us.code42.com"), ("client_id", "key-12345"), ("client_secret", "1234")];
        Integration::new(server.clone(), params.iter().map(|(k, v)| (k.to_string(), ParamValue::Text(v.to_string()))))
            .unwrap()
    }

    // #4: nothing is requested until a call needs it.
    #[test]
    fn creating_an_instance_makes_no_request() {
        let server = FakeServer::new();
        let instance = integration(&server);
        assert!(server.requests().is_empty());
        instance.execute("code42-alert-get", vec![("id".into(), "x".into())], &Invocation::default(), 0).unwrap();
        assert!(server.requests()[0].url.ends_with("/v1/oauth"));
    }

    #[test]
    fn a_token_handed_over_is_used_until_its_time_and_a_401_replaces_it() {
        let server = FakeServer::new();
        let first = integration(&server);
        first.execute("code42-alert-get", vec![("id".into(), "x".into())], &Invocation::default(), 0).unwrap();
        let held = first.credentials();
        assert_eq!(held.len(), 1, "the gateway token");
        let now = chrono::Utc::now().timestamp_millis();
        assert!(held[0].renew_at_ms > now && held[0].renew_at_ms <= now + 900_000, "{}", held[0].renew_at_ms);

        let tokens_asked = |s: &FakeServer| s.requests().iter().filter(|r| r.url.ends_with("/v1/oauth")).count();
        let second = integration(&server);
        second.adopt_credentials(held.clone(), now);
        second.execute("code42-alert-get", vec![("id".into(), "x".into())], &Invocation::default(), 0).unwrap();
        assert_eq!(tokens_asked(&server), 1, "the adopted token is used");

        let late = integration(&server);
        late.adopt_credentials(held.clone(), held[0].renew_at_ms + 1);
        late.execute("code42-alert-get", vec![("id".into(), "x".into())], &Invocation::default(), 0).unwrap();
        assert_eq!(tokens_asked(&server), 2, "a token past its time is not used");

        let refused = integration(&server);
        refused.adopt_credentials(held, now);
        server.on(Method::Get, "/v1/sessions/x", 401, json!({}));
        let _ = refused.execute("code42-alert-get", vec![("id".into(), "x".into())], &Invocation::default(), 0);
        assert_eq!(tokens_asked(&server), 3, "a 401 fetches one new token");
    }

    // #58
    #[test]
    fn test_module_succeeds_when_both_apis_answer() {
        let server = FakeServer::new();
        server.on(Method::Get, "/v1/actors/actor/search", 200, json!({"actors": []}));
        server.on(Method::Get, "/api/v3/customer/my", 200, json!({"data": {"tenantUid": "t"}}));
        integration(&server).test_module().unwrap();
        assert_eq!(server.api_calls(), ["GET /v1/actors/actor/search?pageSize=1&page=1", "GET /api/v3/customer/my"]);
    }

    // #59
    #[test]
    fn test_module_fails_with_the_reference_text() {
        let server = FakeServer::new();
        server.on(Method::Get, "/v1/actors/actor/search", 500, json!({}));
        let err = integration(&server).test_module().unwrap_err();
        assert!(matches!(err, Error::Upstream { status: 500, .. }));
        assert!(err.to_string().starts_with(INVALID_CREDENTIALS), "{err}");
    }
}
