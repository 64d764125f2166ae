//! code42-watchlists-list, -add-user, -remove-user, -list-included-users (code42-reference.md §8).

use super::{CommandResult, results_table};
use crate::api::{Client, actors, watchlists};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use crate::pytime;
use serde_json::{Value, json};

/// The included-actor count, under whichever name the API uses.
fn included_count(watchlist: &Value) -> i64 {
    ["includedUsersCount", "includedActorsCount"]
        .iter()
        .find_map(|k| watchlist.pointer(&format!("/stats/{k}")).and_then(Value::as_i64))
        .unwrap_or(0)
}

/// A watchlist with both the seed's keys and the reference code's keys, so playbooks of
/// either kind work.
fn context(watchlist: &Value) -> Value {
    let (id, kind) = (watchlist.get("watchlistId").cloned(), watchlist.get("listType").cloned());
    let count = included_count(watchlist);
    json!({
        "WatchlistID": id, "WatchlistType": kind, "IncludedUsersCount": count,
        "Id": id, "ListType": kind, "IncludedUserCount": count,
    })
}

fn watchlists_result(title: &str, outputs: Vec<Value>, raw: Value) -> CommandResult {
    let headers: &[&str] = &["IncludedUsersCount", "WatchlistID", "WatchlistType"];
    let readable = Table { title, headers: Some(headers), ..Default::default() }.render(&outputs);
    CommandResult::with_outputs(readable, "Code42.Watchlists", Some("WatchlistID"), Value::Array(outputs)).raw(raw)
}

pub fn list<H: HttpClient>(client: &Client<H>) -> Result<CommandResult> {
    let outputs: Vec<Value> = watchlists::list(client)?.iter().map(context).collect();
    let raw = Value::Array(outputs.clone());
    Ok(watchlists_result("Watchlists", outputs, raw))
}

/// A new watchlist of a type; a CUSTOM one needs a title.
pub fn create<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (kind, title) = (args.required("type")?, args.get("title"));
    if kind == "CUSTOM" && title.is_none() {
        return Err(Error::invalid_arg("title", "A CUSTOM watchlist needs a title"));
    }
    let created = watchlists::create(client, kind, title, args.get("description"))?;
    Ok(watchlists_result("Watchlist Created", vec![context(&created)], created))
}

/// Deletes a watchlist given by id, type or custom title.
pub fn delete<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let watchlist = args.required("watchlist")?;
    let id = watchlists::resolve(client, watchlist)?;
    watchlists::delete(client, &id).map_err(|e| e.when_not_found(|| format!("No watchlist found with ID {id}.")))?;
    Ok(CommandResult { readable: format!("Watchlist {watchlist} deleted."), ..Default::default() })
}

/// Adds or removes the user's actor; the outputs echo the arguments as the reference does.
pub fn change_user<H: HttpClient>(client: &Client<H>, args: &Args, add: bool) -> Result<CommandResult> {
    let (username, watchlist) = (args.required("username")?, args.required("watchlist")?);
    let (actor_id, watchlist_id) = if watchlists::is_uuid(watchlist) {
        (actors::id_of(&actors::by_name(client, username)?)?, watchlist.to_string())
    } else {
        // The actor and the watchlists do not depend on each other: read them together.
        let (actor, lists) = client.json_pair(actors::by_name_call(username), watchlists::first_page_call());
        let actor_id = actors::id_of(&actors::by_name_answer(username, actor)?)?;
        (actor_id, watchlists::resolve_in(&lists?, watchlist)?)
    };
    watchlists::change_actors(client, &watchlist_id, &[&actor_id], add)?;
    let outputs = json!({"Watchlist": watchlist, "Username": username, "Success": true});
    let prefix = if add { "Code42.UsersAddedToWatchlists" } else { "Code42.UsersRemovedFromWatchlists" };
    Ok(CommandResult::with_outputs(results_table(&outputs), prefix, Some("Watchlist"), outputs))
}

/// Every member of the watchlist, times re-printed as Python prints them.
pub fn included_users<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let watchlist_id = watchlists::resolve(client, args.required("watchlist")?)?;
    let outputs: Vec<Value> = watchlists::members(client, &watchlist_id)?
        .iter()
        .map(|m| {
            json!({
                "Username": m.get("actorname"),
                "AddedTime": m.get("addedTime").and_then(Value::as_str).map(pytime::reprint),
                "WatchlistID": watchlist_id,
            })
        })
        .collect();
    let headers: &[&str] = &["AddedTime", "Username", "WatchlistID"];
    let readable = Table { title: "Watchlists", headers: Some(headers), ..Default::default() }.render(&outputs);
    Ok(CommandResult::with_outputs(readable, "Code42.WatchlistUsers", None, Value::Array(outputs)))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::http::Method;
    use serde_json::json;

    const UUID: &str = "b55978d5-2d50-494d-bec9-678867f3830c";

    fn server() -> FakeServer {
        let server = FakeServer::new();
        server.on_fixture(Method::Get, "/v2/watchlists", "mock_watchlists_response.json");
        server.on(
            Method::Get,
            "/v1/actors/actor/name/user_a@example.com/parent",
            200,
            json!({"actorId": "1234", "name": "user_a@example.com"}),
        );
        server.on(Method::Post, &format!("/v2/watchlists/{UUID}/included-actors/add"), 200, json!({}));
        server.on(Method::Post, &format!("/v2/watchlists/{UUID}/included-actors/delete"), 200, json!({}));
        server
    }

    // #32
    #[test]
    fn lists_every_watchlist_with_both_key_sets() {
        let server = server();
        let r = run(&server, "code42-watchlists-list", &[]).unwrap();
        assert_eq!(r.key_field.as_deref(), Some("WatchlistID"));
        assert_eq!(r.prefix.as_deref(), Some("Code42.Watchlists"));
        let rows = r.outputs.unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 9);
        let fixture = fixture_json("mock_watchlists_response.json");
        for (row, w) in rows.iter().zip(fixture["watchlists"].as_array().unwrap()) {
            assert_eq!(row["WatchlistID"], w["watchlistId"]);
            assert_eq!(row["Id"], w["watchlistId"]);
            assert_eq!(row["WatchlistType"], w["listType"]);
            assert_eq!(row["IncludedUsersCount"], w["stats"].get("includedUsersCount").cloned().unwrap_or(json!(0)));
            assert_eq!(row["IncludedUserCount"], row["IncludedUsersCount"]);
        }
        assert_eq!(rows[8]["IncludedUsersCount"], 0, "NEW_EMPLOYEE has empty stats");
        assert_eq!(server.api_calls().len(), 1, "one page of fewer than 100");
        assert!(r.readable.starts_with("### Watchlists\n|IncludedUsersCount|WatchlistID|WatchlistType|\n"));
    }

    #[test]
    fn reads_the_v2_actor_count() {
        let server = FakeServer::new();
        server.on(Method::Get, "/v2/watchlists", 200, json!({"watchlists": [{"listType": "FLIGHT_RISK", "watchlistId": "w", "stats": {"includedActorsCount": 7}}]}));
        let r = run(&server, "code42-watchlists-list", &[]).unwrap();
        assert_eq!(r.outputs.unwrap()[0]["IncludedUsersCount"], 7);
    }

    // #33
    #[test]
    fn lists_included_users_of_a_type() {
        let server = server();
        let members =
            json!({"watchlistMembers": fixture_json("mock_watchlists_included_users_response.json"), "totalCount": 3});
        server.on(Method::Get, &format!("/v2/watchlists/{UUID}/members"), 200, members);
        let r = run(&server, "code42-watchlists-list-included-users", &[("watchlist", "DEPARTING_EMPLOYEE")]).unwrap();
        assert_eq!(r.prefix.as_deref(), Some("Code42.WatchlistUsers"));
        assert_eq!(r.key_field, None);
        let rows = r.outputs.unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 3);
        assert_eq!(
            rows[0],
            json!({"Username": "user_a@example.com", "AddedTime": "2022-02-26T18:41:45.766005", "WatchlistID": UUID})
        );
        assert_eq!(rows[1]["AddedTime"], "2022-03-31T20:41:47.298500");
        assert!(server.api_calls().contains(&format!("GET /v2/watchlists/{UUID}/members?page=1&page_size=100")));
    }

    // #34, #36
    #[test]
    fn adds_and_removes_by_watchlist_id() {
        for (command, action, prefix) in [
            ("code42-watchlists-add-user", "add", "Code42.UsersAddedToWatchlists"),
            ("code42-watchlists-remove-user", "delete", "Code42.UsersRemovedFromWatchlists"),
        ] {
            let server = server();
            let r = run(&server, command, &[("username", "user_a@example.com"), ("watchlist", UUID)]).unwrap();
            assert_eq!(
                body(&server, &format!("included-actors/{action}")),
                json!({"actorIds": ["1234"], "watchlistId": UUID})
            );
            assert_eq!(r.raw, Some(json!({"Watchlist": UUID, "Username": "user_a@example.com", "Success": true})));
            assert_eq!(r.prefix.as_deref(), Some(prefix));
            assert_eq!(r.key_field.as_deref(), Some("Watchlist"));
            assert!(!server.api_calls().iter().any(|c| c.starts_with("GET /v2/watchlists")), "a UUID needs no lookup");
            assert!(r.readable.starts_with("### Results\n|Success|Username|Watchlist|"));
        }
    }

    // #35, #37
    #[test]
    fn adds_and_removes_by_watchlist_type() {
        for command in ["code42-watchlists-add-user", "code42-watchlists-remove-user"] {
            let server = server();
            let r = run(&server, command, &[("username", "user_a@example.com"), ("watchlist", "DEPARTING_EMPLOYEE")])
                .unwrap();
            assert_eq!(r.raw.unwrap()["Watchlist"], "DEPARTING_EMPLOYEE");
            assert!(server.api_calls().contains(&"GET /v2/watchlists?page=1&pageSize=100".to_string()));
        }
    }

    #[test]
    fn an_unknown_type_is_the_reference_error() {
        let server = server();
        let err =
            run(&server, "code42-watchlists-add-user", &[("username", "user_a@example.com"), ("watchlist", "NOPE")])
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid Watchlist type: NOPE, run !code42-watchlists-list to get a list of available Watchlists."
        );
    }
}
