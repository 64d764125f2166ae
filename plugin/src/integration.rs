//! One configured Code42 instance: what the WIT `instance` resource does, in plain Rust.

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
}
