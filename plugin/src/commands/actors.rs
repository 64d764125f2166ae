//! code42-actor-get: an actor (the person behind file events) by username or id.

use super::{CommandResult, api_context};
use crate::api::{Client, actors, found};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;

const HEADERS: &[&str] = &["ActorId", "Name", "Department", "Title", "Active", "StartDate", "EndDate"];

pub fn get<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let actor = match (args.get("username"), args.get("actor_id")) {
        (Some(username), None) => actors::by_name(client, username)?,
        (None, Some(id)) => found(client.json(actors::by_id_call(id)))?
            .ok_or_else(|| Error::NotFound(format!("No actor found with ID {id}.")))?,
        (Some(_), Some(_)) => return Err(Error::invalid_arg("actor_id", "Give username or actor_id, not both")),
        (None, None) => return Err(Error::invalid_arg("username", "Give username or actor_id")),
    };
    let context = api_context(&actor);
    let readable = Table { title: "Code42 Actor", headers: Some(HEADERS), ..Default::default() }
        .render(std::slice::from_ref(&context));
    Ok(CommandResult::with_outputs(readable, "Code42.Actor", Some("ActorId"), context).raw(actor))
}
