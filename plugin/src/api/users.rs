//! Users of the gateway: `/v1/users`.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::Value;

/// The `userId` of a user: looked up by username when the argument holds an `@`, else the
/// argument is taken as a user id (as the SDK does). Not found → the reference's error.
pub fn user_id<H: HttpClient>(client: &Client<H>, username: &str) -> Result<String> {
    let not_found = || Error::NotFound(format!("No user found with username {username}."));
    let user: Value = if username.contains('@') {
        let page: Value =
            client.json(Call::get("/v1/users").query("username", username).query("page", 1).query("pageSize", 100))?;
        page.get("users").and_then(Value::as_array).and_then(|u| u.first()).cloned().ok_or_else(not_found)?
    } else {
        let path = format!("/v1/users/{}", segment(username));
        client.json(Call::get(&path)).map_err(|e| if matches!(e, Error::NotFound(_)) { not_found() } else { e })?
    };
    user.get("userId").and_then(Value::as_str).map(String::from).ok_or_else(not_found)
}

/// `POST /v1/users/{id}/deactivate` or `/activate`.
pub fn set_active<H: HttpClient>(client: &Client<H>, user_id: &str, active: bool) -> Result<()> {
    let action = if active { "activate" } else { "deactivate" };
    let path = format!("/v1/users/{}/{action}", segment(user_id));
    // (De)activating twice changes nothing: safe to retry.
    client.send(Call::post_empty(&path).idempotent())?;
    Ok(())
}
