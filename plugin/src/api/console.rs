//! The console API (`console_url`): the user operations the gateway does not offer.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Value, json};

const ORG_PAGE_SIZE: usize = 500;

/// The console wraps answers in `{"data": ...}` (py42 unwraps them); both are accepted.
fn data(answer: Value) -> Value {
    match answer {
        Value::Object(mut map) if map.contains_key("data") => map.remove("data").unwrap_or_default(),
        other => other,
    }
}

/// A cheap authenticated probe of the console: the tenant of the API client.
pub fn probe<H: HttpClient>(client: &Client<H>) -> Result<()> {
    client.send(Call::get("/api/v3/customer/my").console())?;
    Ok(())
}

/// The `orgUid` of the organisation named exactly `name`.
pub fn org_uid<H: HttpClient>(client: &Client<H>, name: &str) -> Result<String> {
    for page in 1.. {
        let answer =
            data(client.json(Call::get("/api/v1/Org").console().query("pgNum", page).query("pgSize", ORG_PAGE_SIZE))?);
        let orgs = answer.get("orgs").and_then(Value::as_array).cloned().unwrap_or_default();
        let found = orgs.iter().find(|o| o.get("orgName").and_then(Value::as_str) == Some(name));
        if let Some(uid) = found.and_then(|o| o.get("orgUid")).and_then(Value::as_str) {
            return Ok(uid.to_string());
        }
        if orgs.len() < ORG_PAGE_SIZE {
            break;
        }
    }
    Err(Error::NotFound(format!("No organization found with name {name}.")))
}

/// Creates a user in an organisation; the console answers the new user.
pub fn create_user<H: HttpClient>(client: &Client<H>, org_uid: &str, username: &str, email: &str) -> Result<Value> {
    let body = json!({
        "orgUid": org_uid, "username": username, "email": email,
        "password": null, "firstName": null, "lastName": null, "notes": null,
    });
    Ok(data(client.json(Call::post("/api/v1/User", body).console())?))
}

/// The console's user of a username (`userId` is the legacy integer id, `userUid` the uid).
pub fn find_user<H: HttpClient>(client: &Client<H>, username: &str) -> Result<Value> {
    let answer = data(client.json(Call::get("/api/v1/User").console().query("username", username))?);
    answer
        .get("users")
        .and_then(Value::as_array)
        .and_then(|u| u.first())
        .cloned()
        .ok_or_else(|| Error::NotFound(format!("No user found with username {username}.")))
}

/// `POST /api/v3/users/{uid}/block` or `/unblock`.
pub fn set_blocked<H: HttpClient>(client: &Client<H>, user_uid: &str, blocked: bool) -> Result<()> {
    let action = if blocked { "block" } else { "unblock" };
    let path = format!("/api/v3/users/{}/{action}", segment(user_uid));
    // Blocking a blocked user changes nothing: safe to retry.
    client.send(Call::post_empty(&path).console().idempotent())?;
    Ok(())
}
