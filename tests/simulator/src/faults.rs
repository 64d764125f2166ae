//! Faults a test can inject into the next requests for a path.

use serde::Deserialize;
use std::time::Duration;

/// What goes wrong with a request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer with this status (and `Retry-After` seconds when given) instead of the real answer.
    Status { status: u16, retry_after: Option<u64> },
    /// Answer normally after a delay.
    Delay { millis: u64 },
    /// Send the headers, then break the connection in the middle of the body.
    Drop,
    /// Close the connection without answering at all.
    Close,
    /// Answer 200 with a truncated JSON body.
    Malformed,
    /// Never answer.
    Hang,
    /// Answer `302 Found` with this `Location`.
    Redirect { location: String },
}

impl Fault {
    pub fn status(status: u16) -> Self {
        Fault::Status { status, retry_after: None }
    }

    pub fn delay(d: Duration) -> Self {
        Fault::Delay { millis: d.as_millis() as u64 }
    }
}

/// A fault applied to the next `remaining` requests whose path starts with `path_prefix`.
#[derive(Debug, Clone, Deserialize)]
pub struct FaultRule {
    pub path_prefix: String,
    pub fault: Fault,
    pub remaining: u32,
}
