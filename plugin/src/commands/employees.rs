//! The departing-employee, high-risk-employee and risk-tag commands. Their detection-list API is
//! gone, so they are emulated (product-decisions §3): a list is the watchlist of its type, the
//! departure date and note live on the actor profile, a risk tag is the watchlist of that name.

use super::CommandResult;
use crate::api::{Client, actors, sessions, watchlists};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use chrono::DateTime;
use serde_json::{Map, Value, json};

/// A watchlist standing in for one of the old detection lists.
#[derive(Clone, Copy)]
pub struct Roster {
    list_type: &'static str,
    name: &'static str,
    prefix: &'static str,
}

pub const DEPARTING: Roster =
    Roster { list_type: "DEPARTING_EMPLOYEE", name: "Departing Employee", prefix: "Code42.DepartingEmployee" };
pub const HIGH_RISK: Roster =
    Roster { list_type: "HIGH_IMPACT_EMPLOYEE", name: "High Risk Employee", prefix: "Code42.HighRiskEmployee" };

const DAY_MS: i64 = 86_400_000;

fn text(v: &Value, key: &str) -> Value {
    v.get(key).cloned().unwrap_or(Value::Null)
}

fn table(title: &str, rows: &[Value]) -> String {
    Table { title, ..Default::default() }.render(rows)
}

fn not_on_list(username: &str, roster: Roster) -> Error {
    Error::NotFound(format!("User {username} is not on the {} list.", roster.name))
}

/// A user's actor on a roster's watchlist.
struct Member {
    actor: Value,
    actor_id: String,
    watchlist_id: String,
}

/// The user's actor and the first page of watchlists, read together.
fn actor_and_watchlists<H: HttpClient>(client: &Client<H>, username: &str) -> Result<(Value, Value)> {
    let (actor, lists) = client.json_pair(actors::by_name_call(username), watchlists::first_page_call());
    Ok((actors::by_name_answer(username, actor)?, lists?))
}

/// The user's actor, which must be on the roster's watchlist.
fn member<H: HttpClient>(client: &Client<H>, roster: Roster, username: &str) -> Result<Member> {
    let (actor, lists) = actor_and_watchlists(client, username)?;
    let actor_id = actors::id_of(&actor)?;
    let watchlist_id = watchlists::find_in(&lists, roster.list_type).ok_or_else(|| not_on_list(username, roster))?;
    let on_list = watchlists::members(client, &watchlist_id)?
        .iter()
        .any(|m| m.get("actorId").and_then(Value::as_str) == Some(&actor_id));
    if !on_list {
        return Err(not_on_list(username, roster));
    }
    Ok(Member { actor, actor_id, watchlist_id })
}

/// Includes the user's actor in the roster (creating its watchlist if needed) and writes the
/// profile fields given.
fn add<H: HttpClient>(
    client: &Client<H>,
    roster: Roster,
    username: &str,
    profile: Map<String, Value>,
) -> Result<String> {
    let (actor, lists) = actor_and_watchlists(client, username)?;
    let actor_id = actors::id_of(&actor)?;
    let watchlist_id = watchlists::ensure_in(client, &lists, roster.list_type)?;
    watchlists::change_actors(client, &watchlist_id, &[&actor_id], true)?;
    if !profile.is_empty() {
        actors::update(client, &actor_id, profile)?;
    }
    Ok(actor_id)
}

fn remove<H: HttpClient>(client: &Client<H>, roster: Roster, username: &str) -> Result<String> {
    let m = member(client, roster, username)?;
    watchlists::change_actors(client, &m.watchlist_id, &[&m.actor_id], false)?;
    Ok(m.actor_id)
}

fn actor_id_of(member: &Value) -> &str {
    member.get("actorId").and_then(Value::as_str).unwrap_or_default()
}

/// Members of the roster with their actor profiles (read together), in list order.
fn members_with_profiles<H: HttpClient>(client: &Client<H>, roster: Roster) -> Result<Vec<(Value, Value)>> {
    let Some(id) = watchlists::find_id(client, roster.list_type)? else { return Ok(vec![]) };
    let members = watchlists::members(client, &id)?;
    let ids: Vec<&str> = members.iter().map(actor_id_of).collect();
    let profiles = actors::by_ids(client, &ids)?;
    Ok(members.iter().cloned().zip(profiles.into_iter().map(|p| p.unwrap_or(Value::Null))).collect())
}

/// Which of the candidates pass the `filtertype` argument; alert sessions are asked about
/// together.
fn passing<H: HttpClient>(
    client: &Client<H>,
    filter: &str,
    candidates: &[(Value, Value)],
    now_ms: i64,
) -> Result<Vec<bool>> {
    let window = match filter {
        "EXFILTRATION_24_HOURS" => DAY_MS,
        "EXFILTRATION_30_DAYS" => 30 * DAY_MS,
        "LEAVING_TODAY" => {
            let today = DateTime::from_timestamp_millis(now_ms).map(|d| d.format("%Y-%m-%d").to_string());
            return Ok(candidates
                .iter()
                .map(|(_, profile)| profile.get("endDate").and_then(Value::as_str) == today.as_deref())
                .collect());
        }
        _ => return Ok(vec![true; candidates.len()]),
    };
    let ids: Vec<&str> = candidates.iter().map(|(member, _)| actor_id_of(member)).collect();
    sessions::actors_with_alerts_since(client, &ids, now_ms - window)
}

/// The `results` argument: at least 1.
fn results_limit(args: &Args) -> Result<usize> {
    let n = args.integer("results")?.unwrap_or(50);
    usize::try_from(n).ok().filter(|n| *n >= 1).ok_or_else(|| {
        Error::invalid_arg("results", format!("Invalid number: \"results\"=\"{n}\"; expected at least 1"))
    })
}

/// A result under the roster's prefix, keyed by `UserID`, with the outputs as a table.
fn roster_result(roster: Roster, title: &str, outputs: Value, raw: Value) -> CommandResult {
    let rows = match &outputs {
        Value::Array(rows) => rows.clone(),
        one => vec![one.clone()],
    };
    CommandResult::with_outputs(table(title, &rows), roster.prefix, Some("UserID"), outputs).raw(raw)
}

/// The members chosen by a get-all, one output row each (raw: their actor profiles).
fn listing(
    roster: Roster,
    title: &str,
    chosen: Vec<(Value, Value)>,
    row: impl Fn(&Value, &Value) -> Value,
) -> CommandResult {
    if chosen.is_empty() {
        return no_results(roster.prefix);
    }
    let outputs: Vec<Value> = chosen.iter().map(|(m, p)| row(m, p)).collect();
    let raw: Vec<Value> = chosen.into_iter().map(|(_, p)| p).collect();
    roster_result(roster, title, Value::Array(outputs), Value::Array(raw))
}

/// The reference's answer when a list query finds nobody.
fn no_results(prefix: &str) -> CommandResult {
    CommandResult::with_outputs("No results found".into(), prefix, Some("UserID"), json!({"Results": []}))
        .raw(json!({}))
}

/// Members passing the filter (and, for risk tags, on every tag's list), at most `results`.
/// Candidates are checked a round at a time, each round no larger than the places left, so no
/// more is asked than checking them one by one would ask.
fn select<H: HttpClient>(
    client: &Client<H>,
    roster: Roster,
    args: &Args,
    now_ms: i64,
    required_lists: &[Vec<String>],
) -> Result<Vec<(Value, Value)>> {
    let limit = results_limit(args)?;
    let filter = args.get("filtertype").unwrap_or("OPEN");
    let mut candidates = members_with_profiles(client, roster)?
        .into_iter()
        .filter(|(member, _)| required_lists.iter().all(|ids| ids.iter().any(|id| id == actor_id_of(member))));
    let mut chosen = Vec::new();
    while chosen.len() < limit {
        let round: Vec<(Value, Value)> = candidates.by_ref().take(limit - chosen.len()).collect();
        if round.is_empty() {
            break;
        }
        let verdicts = passing(client, filter, &round, now_ms)?;
        chosen.extend(round.into_iter().zip(verdicts).filter(|(_, ok)| *ok).map(|(candidate, _)| candidate));
    }
    Ok(chosen)
}

pub fn departing_add<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    let date = args.date("departuredate")?.map(|d| d.format("%Y-%m-%d").to_string());
    let note = args.get("note");
    let mut profile = Map::new();
    if let Some(d) = &date {
        profile.insert("endDate".into(), json!(d));
    }
    if let Some(n) = note {
        profile.insert("notes".into(), json!(n));
    }
    let id = add(client, DEPARTING, username, profile)?;
    let outputs = json!({"CaseID": id, "UserID": id, "Username": username, "DepartureDate": date, "Note": note});
    Ok(roster_result(DEPARTING, "Code42 Departing Employee List User Added", outputs, json!(id)))
}

pub fn departing_remove<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    let id = remove(client, DEPARTING, username)?;
    let outputs = json!({"CaseID": id, "UserID": id, "Username": username});
    Ok(roster_result(DEPARTING, "Code42 Departing Employee List User Removed", outputs, json!(id)))
}

pub fn departing_get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    let m = member(client, DEPARTING, username)?;
    let outputs = json!({"UserID": m.actor_id, "Username": username, "DepartureDate": text(&m.actor, "endDate"), "Note": text(&m.actor, "notes")});
    Ok(roster_result(DEPARTING, "Retrieve departing employee", outputs, json!(username)))
}

pub fn departing_get_all<H: HttpClient>(client: &Client<H>, args: &Args, now_ms: i64) -> Result<CommandResult> {
    let chosen = select(client, DEPARTING, args, now_ms, &[])?;
    Ok(listing(
        DEPARTING,
        "All Departing Employees",
        chosen,
        |m, p| json!({"UserID": m.get("actorId"), "Username": m.get("actorname"), "DepartureDate": text(p, "endDate"), "Note": text(p, "notes")}),
    ))
}

pub fn high_risk_add<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    let mut profile = Map::new();
    if let Some(n) = args.get("note") {
        profile.insert("notes".into(), json!(n));
    }
    let id = add(client, HIGH_RISK, username, profile)?;
    let outputs = json!({"UserID": id, "Username": username});
    Ok(roster_result(HIGH_RISK, "Code42 High Risk Employee List User Added", outputs, json!(id)))
}

pub fn high_risk_remove<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    let id = remove(client, HIGH_RISK, username)?;
    let outputs = json!({"UserID": id, "Username": username});
    Ok(roster_result(HIGH_RISK, "Code42 High Risk Employee List User Removed", outputs, json!(id)))
}

pub fn high_risk_get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let username = args.required("username")?;
    let m = member(client, HIGH_RISK, username)?;
    let outputs = json!({"UserID": m.actor_id, "Username": username, "Note": text(&m.actor, "notes")});
    Ok(roster_result(HIGH_RISK, "Retrieve high risk employee", outputs, json!(username)))
}

/// The actor ids on each tag's watchlist (none for a tag the tenant has no watchlist of).
fn tag_members<H: HttpClient>(client: &Client<H>, tags: &[String]) -> Result<Vec<Vec<String>>> {
    if tags.is_empty() {
        return Ok(vec![]);
    }
    let lists = client.json(watchlists::first_page_call())?;
    let ids: Vec<Option<String>> = tags.iter().map(|tag| watchlists::find_in(&lists, tag)).collect();
    let known: Vec<&str> = ids.iter().flatten().map(String::as_str).collect();
    let mut members = watchlists::members_of(client, &known)?.into_iter();
    Ok(ids
        .iter()
        .map(|id| match id {
            Some(_) => members.next().unwrap_or_default().iter().map(|m| actor_id_of(m).to_string()).collect(),
            None => vec![],
        })
        .collect())
}

/// With `risktags`, only members who are on every tag's watchlist.
pub fn high_risk_get_all<H: HttpClient>(client: &Client<H>, args: &Args, now_ms: i64) -> Result<CommandResult> {
    let tag_members = tag_members(client, &args.list("risktags"))?;
    let chosen = select(client, HIGH_RISK, args, now_ms, &tag_members)?;
    Ok(listing(
        HIGH_RISK,
        "Retrieved All High Risk Employees",
        chosen,
        |m, p| json!({"UserID": m.get("actorId"), "Username": m.get("actorname"), "Note": text(p, "notes")}),
    ))
}

/// Each tag is the watchlist of that type: adding includes the actor (creating the watchlist
/// when the tenant has none), removing takes the actor out where it is.
pub fn change_risk_tags<H: HttpClient>(client: &Client<H>, args: &Args, add: bool) -> Result<CommandResult> {
    let username = args.required("username")?;
    let tags_text = args.required("risktags")?;
    let (actor, lists) = actor_and_watchlists(client, username)?;
    let actor_id = actors::id_of(&actor)?;
    let mut tags = args.list("risktags");
    let mut seen = std::collections::HashSet::new();
    tags.retain(|tag| seen.insert(tag.clone()));
    let mut watchlist_ids = Vec::new();
    for tag in &tags {
        let watchlist =
            if add { Some(watchlists::ensure_in(client, &lists, tag)?) } else { watchlists::find_in(&lists, tag) };
        watchlist_ids.extend(watchlist);
    }
    let ids: Vec<&str> = watchlist_ids.iter().map(String::as_str).collect();
    watchlists::change_actors_of(client, &ids, &[&actor_id], add)?;
    let outputs = json!({"UserID": actor_id, "Username": username, "RiskTags": tags_text});
    let title = if add { "Code42 Risk Tags Added" } else { "Code42 Risk Tags Removed" };
    Ok(roster_result(HIGH_RISK, title, outputs, json!(actor_id)))
}

#[cfg(test)]
mod tests;
