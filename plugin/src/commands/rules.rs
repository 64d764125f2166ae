//! Alert rules: code42-alert-rules-list, code42-alert-rule-enable and -disable.

use super::{CommandResult, api_context, listed_result};
use crate::api::{Client, pages, rules};
use crate::args::Args;
use crate::error::Result;
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::Value;

const PREFIX: &str = "Code42.AlertRule";
const HEADERS: &[&str] = &["Id", "Name", "IsEnabled", "Description", "ModifiedAt", "ModifiedBy"];

pub fn list<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let listed = pages::up_to(client, &rules::list_call(), &rules::RULE_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Alert Rules", HEADERS, PREFIX, Some("Id")))
}

/// Enables or disables the rules, then reads them back: the context shows the state they are in.
pub fn set_enabled<H: HttpClient>(client: &Client<H>, args: &Args, enabled: bool) -> Result<CommandResult> {
    let ids = args.required_list("rule_ids")?;
    rules::set_enabled(client, &ids, enabled)?;
    let calls: Vec<_> = ids.iter().map(|id| rules::get_call(id)).collect();
    let read: Vec<Value> = client.json_all::<Value>(&calls).into_iter().collect::<Result<_>>()?;
    let outputs: Vec<Value> = read.iter().map(api_context).collect();
    let title = if enabled { "Code42 Alert Rules Enabled" } else { "Code42 Alert Rules Disabled" };
    let readable = Table { title, headers: Some(HEADERS), ..Default::default() }.render(&outputs);
    Ok(CommandResult::with_outputs(readable, PREFIX, Some("Id"), Value::Array(outputs)).raw(Value::Array(read)))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::http::Method;
    use serde_json::json;

    #[test]
    fn rules_are_disabled_by_a_bare_array_of_ids_then_read_back() {
        let server = FakeServer::new();
        server.on(Method::Post, "/v2/alert-rules/disable", 204, json!(null));
        for id in ["r-1", "r-2"] {
            server.on(Method::Get, &format!("/v2/alert-rules/{id}"), 200, json!({"id": id, "isEnabled": false}));
        }
        let r = run(&server, "code42-alert-rule-disable", &[("rule_ids", "r-1,r-2")]).unwrap();
        assert_eq!(body(&server, "/v2/alert-rules/disable"), json!(["r-1", "r-2"]));
        assert_eq!(r.outputs.unwrap(), json!([{"Id": "r-1", "IsEnabled": false}, {"Id": "r-2", "IsEnabled": false}]));
    }
}
