//! Alert rules: `/v2/alert-rules`.

use super::{Call, segment};
use crate::error::{Error, Result};
use serde_json::Value;

/// Reads the rule of that id; its answer goes through [`answer`].
pub fn get_call(rule_id: &str) -> Call<'static> {
    Call::get(format!("/v2/alert-rules/{}", segment(rule_id)))
}

/// The rule read by [`get_call`]; `Ok(None)` when the API answered with any HTTP error (the
/// reference treats that as a deleted rule). Transport failures are still errors.
pub fn answer(result: Result<Value>) -> Result<Option<Value>> {
    match result {
        Ok(rule) => Ok(Some(rule)),
        Err(Error::NotFound(_) | Error::Upstream { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
