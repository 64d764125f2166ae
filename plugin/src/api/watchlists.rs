//! Watchlists v2: `/v2/watchlists`.

use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Value, json};

const PAGE_SIZE: usize = 100;

/// Every item under `key` of a list endpoint paged by `page` (from 1) and `size_key`; a short
/// page is the last.
fn all_pages<H: HttpClient>(client: &Client<H>, path: &str, key: &str, size_key: &str) -> Result<Vec<Value>> {
    let mut all = Vec::new();
    for page in 1.. {
        let answer: Value = client.json(Call::get(path).query("page", page).query(size_key, PAGE_SIZE))?;
        let batch = answer.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let full = batch.len() >= PAGE_SIZE;
        all.extend(batch);
        if !full {
            break;
        }
    }
    Ok(all)
}

/// Every watchlist of the tenant.
pub fn list<H: HttpClient>(client: &Client<H>) -> Result<Vec<Value>> {
    all_pages(client, "/v2/watchlists", "watchlists", "pageSize")
}

/// Whether text reads as a UUID by Python's rules: 32 hex digits once `urn:uuid:`, braces and
/// hyphens are taken away.
pub fn is_uuid(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    let hex = lower.replace("urn:", "").replace("uuid:", "");
    let hex = hex.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// The id of the watchlist of a type (`DEPARTING_EMPLOYEE`) or of a CUSTOM watchlist's title,
/// looked up on the first page as the reference does; `None` when there is none.
pub fn find_id<H: HttpClient>(client: &Client<H>, type_or_title: &str) -> Result<Option<String>> {
    let answer: Value = client.json(Call::get("/v2/watchlists").query("page", 1).query("pageSize", PAGE_SIZE))?;
    let lists = answer.get("watchlists").and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |w: &Value, k: &str| w.get(k).and_then(Value::as_str).map(String::from);
    let by_type = lists.iter().find(|w| text(w, "listType").as_deref() == Some(type_or_title));
    let by_title = || {
        lists.iter().find(|w| {
            text(w, "listType").as_deref() == Some("CUSTOM") && text(w, "title").as_deref() == Some(type_or_title)
        })
    };
    Ok(by_type.or_else(by_title).and_then(|w| text(w, "watchlistId")))
}

/// The `watchlist` argument as an id: a UUID is used as is, a type or title is looked up.
pub fn resolve<H: HttpClient>(client: &Client<H>, watchlist: &str) -> Result<String> {
    if is_uuid(watchlist) {
        return Ok(watchlist.to_string());
    }
    find_id(client, watchlist)?.ok_or_else(|| {
        Error::NotFound(format!(
            "Invalid Watchlist type: {watchlist}, run !code42-watchlists-list to get a list of available Watchlists."
        ))
    })
}

/// The id of the watchlist of `list_type`, created when the tenant has none.
pub fn ensure<H: HttpClient>(client: &Client<H>, list_type: &str) -> Result<String> {
    if let Some(id) = find_id(client, list_type)? {
        return Ok(id);
    }
    let created: Value = client
        .json(Call::post("/v2/watchlists", json!({"watchlistType": list_type, "title": null, "description": null})))?;
    created
        .get("watchlistId")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| Error::Upstream { status: 200, message: "Code42 created a watchlist without an id".into() })
}

/// Every member of a watchlist: `{actorId, actorname, addedTime}` (note the API's snake_case
/// `page_size` here).
pub fn members<H: HttpClient>(client: &Client<H>, watchlist_id: &str) -> Result<Vec<Value>> {
    all_pages(client, &format!("/v2/watchlists/{}/members", segment(watchlist_id)), "watchlistMembers", "page_size")
}

/// Includes (`add`) or removes actors.
pub fn change_actors<H: HttpClient>(
    client: &Client<H>,
    watchlist_id: &str,
    actor_ids: &[&str],
    add: bool,
) -> Result<()> {
    let action = if add { "add" } else { "delete" };
    let path = format!("/v2/watchlists/{}/included-actors/{action}", segment(watchlist_id));
    // Including an included actor (or removing a removed one) changes nothing: safe to retry.
    client.send(Call::post(&path, json!({"actorIds": actor_ids, "watchlistId": watchlist_id})).idempotent())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_uuids_as_python_does() {
        for yes in [
            "b55978d5-2d50-494d-bec9-678867f3830c",
            "B55978D52D50494DBEC9678867F3830C",
            "{b55978d5-2d50-494d-bec9-678867f3830c}",
            "urn:uuid:b55978d5-2d50-494d-bec9-678867f3830c",
        ] {
            assert!(is_uuid(yes), "{yes}");
        }
        for no in
            ["DEPARTING_EMPLOYEE", "b55978d5-2d50-494d-bec9-678867f3830", "g55978d5-2d50-494d-bec9-678867f3830c", ""]
        {
            assert!(!is_uuid(no), "{no}");
        }
    }
}
