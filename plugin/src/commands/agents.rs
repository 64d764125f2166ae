//! Agents (the Incydr software on a user's device): list, get, activate, deactivate.

use super::{CommandResult, api_context, listed_result};
use crate::api::pages::{self, Paging};
use crate::api::{Call, Client, segment, users};
use crate::args::Args;
use crate::error::Result;
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::json;

const PREFIX: &str = "Code42.Agent";
const HEADERS: &[&str] =
    &["AgentId", "Name", "OsHostname", "OsName", "Active", "AgentHealthIssueTypes", "LastConnected"];

/// `GET /v1/agents`: pages from 1, with a total.
const AGENT_PAGES: Paging = Paging {
    page: "page",
    first: 1,
    size: "pageSize",
    max_size: 500,
    items: "agents",
    total: Some("totalCount"),
    in_body: false,
};

pub fn list<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let mut call = Call::get("/v1/agents").query("srtKey", "NAME").query("srtDir", "ASC");
    if let Some(active) = args.boolean("active")? {
        call = call.query("active", active);
    }
    if let Some(healthy) = args.boolean("healthy")? {
        call = call.query("agentHealthy", healthy);
    }
    if let Some(username) = args.get("username") {
        call = call.query("userId", users::user_id(client, username)?);
    }
    let listed = pages::up_to(client, &call, &AGENT_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Agents", HEADERS, PREFIX, Some("AgentId")))
}

pub fn get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("agent_id")?;
    let agent: serde_json::Value = client
        .json(Call::get(format!("/v1/agents/{}", segment(id))))
        .map_err(|e| e.when_not_found(|| format!("No agent found with ID {id}.")))?;
    let context = api_context(&agent);
    let readable = Table { title: "Code42 Agent", headers: Some(HEADERS), ..Default::default() }
        .render(std::slice::from_ref(&context));
    Ok(CommandResult::with_outputs(readable, PREFIX, Some("AgentId"), context).raw(agent))
}

/// `POST /v1/agents/activate` or `/deactivate`; setting a state twice leaves it set, so it may
/// be retried.
pub fn set_active<H: HttpClient>(client: &Client<H>, args: &Args, active: bool) -> Result<CommandResult> {
    let ids = args.required_list("agent_ids")?;
    let action = if active { "activate" } else { "deactivate" };
    client.send(Call::post(format!("/v1/agents/{action}"), json!({"agentIds": ids})).idempotent())?;
    let done = if active { "activated" } else { "deactivated" };
    Ok(CommandResult { readable: format!("Agents {done}: {}.", ids.join(", ")), ..Default::default() })
}
