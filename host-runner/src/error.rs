//! Why a call into a plugin failed.

use crate::bindings::IntegrationError;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The integration answered with an error of its own.
    #[error("{}", integration_message(.0))]
    Integration(IntegrationError),
    /// The call ran past the wall-clock deadline and was stopped.
    #[error("the call did not finish within {0:?} and was stopped")]
    Timeout(Duration),
    /// The guest trapped (a panic, an out-of-memory, a bug); the instance is rebuilt for the next
    /// call. Reported as an internal error.
    #[error("internal error: the integration crashed: {0}")]
    Trap(String),
    /// The host could not load or instantiate the component.
    #[error("{0:#}")]
    Host(#[from] anyhow::Error),
}

fn integration_message(e: &IntegrationError) -> String {
    match e {
        IntegrationError::InvalidArgument(a) => a.message.clone(),
        IntegrationError::NotFound(m)
        | IntegrationError::Unauthorized(m)
        | IntegrationError::Transport(m)
        | IntegrationError::Internal(m) => m.clone(),
        IntegrationError::Upstream(u) => u.message.clone(),
    }
}

impl HostError {
    /// A short name of the error's kind, for JSON output and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            HostError::Integration(IntegrationError::InvalidArgument(_)) => "invalid-argument",
            HostError::Integration(IntegrationError::NotFound(_)) => "not-found",
            HostError::Integration(IntegrationError::Unauthorized(_)) => "unauthorized",
            HostError::Integration(IntegrationError::Upstream(_)) => "upstream",
            HostError::Integration(IntegrationError::Transport(_)) => "transport",
            HostError::Integration(IntegrationError::Internal(_)) => "internal",
            HostError::Timeout(_) => "timeout",
            HostError::Trap(_) => "internal",
            HostError::Host(_) => "host",
        }
    }
}
