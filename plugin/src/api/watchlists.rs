//! Watchlists v2: `/v2/watchlists`.

use super::pages::items_of;
use super::{Call, Client, segment};
use crate::error::{Error, Result};
use crate::http::HttpClient;
use serde_json::{Value, json};

const PAGE_SIZE: usize = 100;

/// A page (from 1) of a list endpoint paged by `page` and `size_key`.
fn page_call(path: &str, size_key: &'static str, page: usize) -> Call<'static> {
    Call::get(path).query("page", page).query(size_key, PAGE_SIZE)
}

/// Every item under `key` of a list endpoint, given its first page; a short page is the last.
fn rest_of_pages<H: HttpClient>(
    client: &Client<H>,
    path: &str,
    key: &str,
    size_key: &'static str,
    mut all: Vec<Value>,
) -> Result<Vec<Value>> {
    let mut last_len = all.len();
    let mut page = 2;
    while last_len >= PAGE_SIZE {
        let batch = items_of(client.json(page_call(path, size_key, page))?, key);
        last_len = batch.len();
        all.extend(batch);
        page += 1;
    }
    Ok(all)
}

/// Every watchlist of the tenant.
pub fn list<H: HttpClient>(client: &Client<H>) -> Result<Vec<Value>> {
    let first = items_of(client.json(first_page_call())?, "watchlists");
    rest_of_pages(client, "/v2/watchlists", "watchlists", "pageSize", first)
}

/// The first page of watchlists, where [`find_in`] looks (as the reference does).
pub fn first_page_call() -> Call<'static> {
    page_call("/v2/watchlists", "pageSize", 1)
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
    Ok(find_in(&client.json(first_page_call())?, type_or_title))
}

/// [`find_id`] in an answer to [`first_page_call`].
pub fn find_in(first_page: &Value, type_or_title: &str) -> Option<String> {
    let lists = first_page.get("watchlists").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let text = |w: &Value, k: &str| w.get(k).and_then(Value::as_str).map(String::from);
    let by_type = lists.iter().find(|w| text(w, "listType").as_deref() == Some(type_or_title));
    let by_title = || {
        lists.iter().find(|w| {
            text(w, "listType").as_deref() == Some("CUSTOM") && text(w, "title").as_deref() == Some(type_or_title)
        })
    };
    by_type.or_else(by_title).and_then(|w| text(w, "watchlistId"))
}

/// The `watchlist` argument as an id: a UUID is used as is, a type or title is looked up.
pub fn resolve<H: HttpClient>(client: &Client<H>, watchlist: &str) -> Result<String> {
    if is_uuid(watchlist) {
        return Ok(watchlist.to_string());
    }
    resolve_in(&client.json(first_page_call())?, watchlist)
}

/// [`resolve`] of a type or title in an answer to [`first_page_call`].
pub fn resolve_in(first_page: &Value, watchlist: &str) -> Result<String> {
    find_in(first_page, watchlist).ok_or_else(|| {
        Error::NotFound(format!(
            "Invalid Watchlist type: {watchlist}, run !code42-watchlists-list to get a list of available Watchlists."
        ))
    })
}

/// The id of the watchlist of `list_type` in an answer to [`first_page_call`], or of a new one
/// created when the tenant has none.
pub fn ensure_in<H: HttpClient>(client: &Client<H>, first_page: &Value, list_type: &str) -> Result<String> {
    if let Some(id) = find_in(first_page, list_type) {
        return Ok(id);
    }
    let created = create(client, list_type, None, None)?;
    created
        .get("watchlistId")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| Error::Upstream { status: 200, message: "Code42 created a watchlist without an id".into() })
}

/// Creates a watchlist of `list_type` (a `CUSTOM` one needs a title) and returns it. Not
/// retried after a 5xx: a second try could create a second list.
pub fn create<H: HttpClient>(
    client: &Client<H>,
    list_type: &str,
    title: Option<&str>,
    description: Option<&str>,
) -> Result<Value> {
    client.json(Call::post(
        "/v2/watchlists",
        json!({"watchlistType": list_type, "title": title, "description": description}),
    ))
}

/// Deletes a watchlist.
pub fn delete<H: HttpClient>(client: &Client<H>, watchlist_id: &str) -> Result<()> {
    client.send(Call::delete(format!("/v2/watchlists/{}", segment(watchlist_id))))?;
    Ok(())
}

/// Every member of a watchlist: `{actorId, actorname, addedTime}` (note the API's snake_case
/// `page_size` here).
pub fn members<H: HttpClient>(client: &Client<H>, watchlist_id: &str) -> Result<Vec<Value>> {
    members_of(client, &[watchlist_id]).map(|mut lists| lists.remove(0))
}

/// The members of several watchlists; their first pages are read together.
pub fn members_of<H: HttpClient>(client: &Client<H>, watchlist_ids: &[&str]) -> Result<Vec<Vec<Value>>> {
    let paths: Vec<String> = watchlist_ids.iter().map(|id| format!("/v2/watchlists/{}/members", segment(id))).collect();
    let calls: Vec<Call> = paths.iter().map(|p| page_call(p, "page_size", 1)).collect();
    let firsts = client.json_all::<Value>(&calls);
    paths
        .iter()
        .zip(firsts)
        .map(|(path, first)| {
            rest_of_pages(client, path, "watchlistMembers", "page_size", items_of(first?, "watchlistMembers"))
        })
        .collect()
}

/// Includes (`add`) or removes the actors of several watchlists together.
pub fn change_actors_of<H: HttpClient>(
    client: &Client<H>,
    watchlist_ids: &[&str],
    actor_ids: &[&str],
    add: bool,
) -> Result<()> {
    let calls: Vec<Call> = watchlist_ids.iter().map(|id| change_actors_call(id, actor_ids, add)).collect();
    client.send_all(&calls).into_iter().try_for_each(|r| r.map(drop))
}

/// Includes (`add`) or removes actors.
pub fn change_actors<H: HttpClient>(
    client: &Client<H>,
    watchlist_id: &str,
    actor_ids: &[&str],
    add: bool,
) -> Result<()> {
    client.send(change_actors_call(watchlist_id, actor_ids, add))?;
    Ok(())
}

fn change_actors_call(watchlist_id: &str, actor_ids: &[&str], add: bool) -> Call<'static> {
    let action = if add { "add" } else { "delete" };
    let path = format!("/v2/watchlists/{}/included-actors/{action}", segment(watchlist_id));
    // Including an included actor (or removing a removed one) changes nothing: safe to retry.
    Call::post(path, json!({"actorIds": actor_ids, "watchlistId": watchlist_id})).idempotent()
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
