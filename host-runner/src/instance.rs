//! A configured integration instance in a store of its own. Every call runs under the
//! wall-clock deadline; a call that traps or times out discards the store, and the next call
//! gets a fresh one built from the same parameters.

use crate::bindings::{Arg, CommandResult, Credential, FetchResult, Invocation, Param, SoarIntegration};
use crate::error::HostError;
use crate::net::EgressPolicy;
use crate::runtime::Runtime;
use crate::sandbox::HostState;
use crate::token_cache::TokenCache;
use std::time::Duration;
use tokio::time::error::Elapsed;
use wasmtime::Store;
use wasmtime::component::ResourceAny;

pub struct PluginInstance {
    runtime: Runtime,
    params: Vec<Param>,
    policy: EgressPolicy,
    live: Option<Live>,
    /// Egress denials of stores already discarded.
    denied_before: Vec<String>,
    /// Network time of stores already discarded.
    network_before: Duration,
    /// Where the instance's tokens are kept between processes, and what is kept there now.
    tokens: Option<(TokenCache, Vec<Credential>)>,
}

struct Live {
    store: Store<HostState>,
    bindings: SoarIntegration,
    handle: ResourceAny,
}

impl PluginInstance {
    pub(crate) async fn create(runtime: Runtime, params: Vec<Param>, policy: EgressPolicy) -> Result<Self, HostError> {
        let mut instance = PluginInstance {
            runtime,
            params,
            policy,
            live: None,
            denied_before: vec![],
            network_before: Duration::ZERO,
            tokens: None,
        };
        instance.revive().await?;
        Ok(instance)
    }

    /// Builds the store and the integration's instance resource when there is none.
    async fn revive(&mut self) -> Result<&mut Live, HostError> {
        if self.live.is_none() {
            let (mut store, bindings) = self.runtime.instantiate(self.policy.clone()).await?;
            let guest = bindings.soar_integration_integration().instance();
            let call = guest.call_create(&mut store, &self.params);
            let outcome = tokio::time::timeout(self.runtime.limits().call_timeout, call).await;
            let handle = self.settle(outcome)?.map_err(HostError::Integration)?;
            self.live = Some(Live { store, bindings, handle });
            if let Some((_, kept)) = &self.tokens {
                let kept = kept.clone();
                self.adopt(kept).await?;
            }
        }
        Ok(self.live.as_mut().expect("just built"))
    }

    /// Keeps the instance's tokens in `cache`: those kept there already are handed to it now,
    /// and whatever it holds after each call is written back when it changed.
    pub async fn keep_tokens_in(&mut self, cache: TokenCache) -> Result<(), HostError> {
        let kept = cache.load(now_ms());
        self.tokens = Some((cache, kept.clone()));
        self.adopt(kept).await
    }

    async fn adopt(&mut self, credentials: Vec<Credential>) -> Result<(), HostError> {
        let limit = self.runtime.limits().call_timeout;
        let outcome = {
            let live = self.live.as_mut().expect("a live instance");
            let guest = live.bindings.soar_integration_integration().instance();
            tokio::time::timeout(limit, guest.call_adopt_credentials(&mut live.store, live.handle, &credentials)).await
        };
        self.settle(outcome)
    }

    /// Writes the instance's tokens back to its cache when they changed (a new one, or none
    /// after a refusal). A cache that cannot be written costs the next process a token, no more.
    async fn keep_tokens(&mut self) {
        if self.tokens.is_none() || self.live.is_none() {
            return;
        }
        let limit = self.runtime.limits().call_timeout;
        let outcome = {
            let live = self.live.as_mut().expect("checked above");
            let guest = live.bindings.soar_integration_integration().instance();
            tokio::time::timeout(limit, guest.call_credentials(&mut live.store, live.handle)).await
        };
        let Ok(held) = self.settle(outcome) else { return };
        let (cache, kept) = self.tokens.as_mut().expect("checked above");
        if held == *kept {
            return;
        }
        match cache.save(&held) {
            Ok(()) => *kept = held,
            Err(e) => tracing::warn!(path = %cache.path().display(), error = %e, "could not keep the tokens"),
        }
    }

    /// The value of a guest call that ran under the deadline. A trap or a timeout leaves the
    /// store unusable, so it is dropped; the next call builds a new one.
    fn settle<T>(&mut self, outcome: Result<wasmtime::Result<T>, Elapsed>) -> Result<T, HostError> {
        let failure = match outcome {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(trap)) => {
                let said = self.live.as_ref().and_then(|l| l.store.data().last_words());
                HostError::Trap(describe_trap(&trap, said, self.runtime.limits().memory_bytes))
            }
            Err(_) => HostError::Timeout(self.runtime.limits().call_timeout),
        };
        if let Some(live) = self.live.take() {
            self.denied_before.extend(live.store.data().denied_requests().iter().cloned());
            self.network_before += live.store.data().network_time();
        }
        Err(failure)
    }

    pub async fn test_module(&mut self) -> Result<(), HostError> {
        let limit = self.runtime.limits().call_timeout;
        let outcome = {
            let live = self.revive().await?;
            let guest = live.bindings.soar_integration_integration().instance();
            tokio::time::timeout(limit, guest.call_test_module(&mut live.store, live.handle)).await
        };
        let answer = self.settle(outcome)?.map_err(HostError::Integration);
        self.keep_tokens().await;
        answer
    }

    pub async fn execute(
        &mut self,
        command: &str,
        args: &[Arg],
        invocation: &Invocation,
    ) -> Result<Vec<CommandResult>, HostError> {
        let limit = self.runtime.limits().call_timeout;
        let outcome = {
            let live = self.revive().await?;
            let guest = live.bindings.soar_integration_integration().instance();
            tokio::time::timeout(limit, guest.call_execute(&mut live.store, live.handle, command, args, invocation))
                .await
        };
        let answer = self.settle(outcome)?.map_err(HostError::Integration);
        self.keep_tokens().await;
        answer
    }

    pub async fn fetch_incidents(&mut self, last_run: Option<&str>) -> Result<FetchResult, HostError> {
        let limit = self.runtime.limits().call_timeout;
        let outcome = {
            let live = self.revive().await?;
            let guest = live.bindings.soar_integration_integration().instance();
            tokio::time::timeout(limit, guest.call_fetch_incidents(&mut live.store, live.handle, last_run)).await
        };
        let answer = self.settle(outcome)?.map_err(HostError::Integration);
        self.keep_tokens().await;
        answer
    }

    /// Wall time this instance's requests spent waiting on the network.
    pub fn network_time(&self) -> Duration {
        self.network_before + self.live.as_ref().map_or(Duration::ZERO, |l| l.store.data().network_time())
    }

    /// Requests refused by the egress policy during this instance's life.
    pub fn denied_requests(&self) -> Vec<String> {
        let mut all = self.denied_before.clone();
        if let Some(live) = &self.live {
            all.extend(live.store.data().denied_requests().iter().cloned());
        }
        all
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// What went wrong, in a line: the guest's last words on stderr (a panic message) when it left
/// any, else the trap itself, with the memory limit named when that was the cause.
pub(crate) fn describe_trap(trap: &wasmtime::Error, said: Option<String>, memory_bytes: usize) -> String {
    let text = format!("{trap:#}");
    if text.contains("forcing trap when growing memory") || text.contains("forcing a memory growth failure") {
        return format!("memory limit of {memory_bytes} bytes exceeded");
    }
    let cause = match trap.downcast_ref::<wasmtime::Trap>() {
        Some(code) => code.to_string(),
        None => trap.root_cause().to_string(),
    };
    match said {
        Some(words) => format!("{words} ({cause})"),
        None => cause,
    }
}
