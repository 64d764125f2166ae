//! Trusted activities: where data may go without raising risk (a domain, a URL path, a Slack
//! workspace, a cloud account, a git repository).

use super::{CommandResult, api_context, listed_result};
use crate::api::pages::{self, Paging};
use crate::api::{Call, Client, segment};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::markdown::Table;
use serde_json::{Value, json};

const PREFIX: &str = "Code42.TrustedActivity";
const HEADERS: &[&str] = &["ActivityId", "Type", "Value", "Description", "IsHighValueSource", "UpdateTime"];

/// `GET /v2/trusted-activities`: pages from 1, with a total.
const ACTIVITY_PAGES: Paging = Paging {
    page: "page",
    first: 1,
    size: "page_size",
    max_size: 100,
    items: "trustedActivities",
    total: Some("totalCount"),
    in_body: false,
};

/// The arguments that name a DOMAIN's trusted actions: flags, then provider lists.
const DOMAIN_FLAGS: &[(&str, &str)] =
    &[("file_upload", "FILE_UPLOAD"), ("git_push", "GIT_PUSH"), ("file_transfer_tools", "FILE_TRANSFER")];
const DOMAIN_PROVIDERS: &[(&str, &str)] = &[
    ("cloud_sync_services", "CLOUD_SYNC"),
    ("cloud_share_services", "CLOUD_SHARE"),
    ("email_share_services", "EMAIL"),
    ("browser_destinations", "USER_ACCOUNT_UPLOAD"),
];
/// ACCOUNT_NAME's cloud sync services.
const ACCOUNT_SERVICES: &[(&str, &str)] = &[("dropbox", "DROPBOX"), ("one_drive", "ONE_DRIVE")];

pub fn list<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let limit = args.count("limit")?.unwrap_or(50);
    let mut call = Call::get("/v2/trusted-activities");
    if let Some(kind) = args.get("type") {
        call = call.query("activity_type", kind);
    }
    let listed = pages::up_to(client, &call, &ACTIVITY_PAGES, limit)?;
    Ok(listed_result(listed, "Code42 Trusted Activities", HEADERS, PREFIX, Some("ActivityId")))
}

/// The trusted actions of the activity, as the SDK's `add_*` methods build them; an argument
/// that does not apply to the type, or a type without the actions it needs, is refused.
fn actions(kind: &str, args: &Args) -> Result<Vec<Value>> {
    let given = |name: &str| args.get(name).is_some();
    let flag = |name: &str| args.boolean(name).map(|b| b == Some(true));
    let domain_args = DOMAIN_FLAGS.iter().chain(DOMAIN_PROVIDERS).map(|(name, _)| *name);
    let account_args = ACCOUNT_SERVICES.iter().map(|(name, _)| *name);
    let foreign: Vec<&str> = match kind {
        "DOMAIN" => account_args.filter(|n| given(n)).collect(),
        "ACCOUNT_NAME" => domain_args.filter(|n| given(n)).collect(),
        _ => domain_args.chain(account_args).filter(|n| given(n)).collect(),
    };
    if let Some(name) = foreign.first() {
        return Err(Error::invalid_arg(name, format!("Argument '{name}' does not apply to a {kind} trusted activity")));
    }
    let mut actions = Vec::new();
    match kind {
        "DOMAIN" => {
            for (name, action) in DOMAIN_FLAGS {
                if flag(name)? {
                    actions.push(json!({"type": action}));
                }
            }
            for (name, action) in DOMAIN_PROVIDERS {
                let providers: Vec<Value> = args.list(name).iter().map(|p| json!({"name": p})).collect();
                if !providers.is_empty() {
                    actions.push(json!({"type": action, "providers": providers}));
                }
            }
            if actions.is_empty() {
                let names: Vec<&str> = DOMAIN_FLAGS.iter().chain(DOMAIN_PROVIDERS).map(|(n, _)| *n).collect();
                return Err(Error::invalid_arg(
                    "type",
                    format!("type=DOMAIN needs at least one trusted action: {}", names.join(", ")),
                ));
            }
        }
        "ACCOUNT_NAME" => {
            let mut providers = Vec::new();
            for (name, provider) in ACCOUNT_SERVICES {
                if flag(name)? {
                    providers.push(json!({"name": provider}));
                }
            }
            if providers.is_empty() {
                return Err(Error::invalid_arg(
                    "type",
                    "type=ACCOUNT_NAME needs at least one cloud sync service: dropbox, one_drive",
                ));
            }
            actions.push(json!({"type": "CLOUD_SYNC", "providers": providers}));
        }
        "GIT_REPOSITORY_URI" => actions.push(json!({"type": "GIT_PUSH", "providers": []})),
        // URL_PATH and SLACK trust every action.
        _ => {}
    }
    Ok(actions)
}

/// `POST /v2/trusted-activities`. Not retried: a second add of the same value is refused as
/// a duplicate, which would hide that the first one worked.
pub fn add<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let (kind, value) = (args.required("type")?, args.required("value")?);
    let actions = actions(kind, args)?;
    let groups = if actions.is_empty() { json!([]) } else { json!([{"name": "DEFAULT", "activityActions": actions}]) };
    let body = json!({
        "type": kind,
        "value": value,
        "description": args.get("description"),
        "isHighValueSource": args.boolean("high_value")?,
        "activityActionGroups": groups,
    });
    let activity: Value = client.json(Call::post("/v2/trusted-activities", body))?;
    let context = api_context(&activity);
    let readable = Table { title: "Code42 Trusted Activity Added", headers: Some(HEADERS), ..Default::default() }
        .render(std::slice::from_ref(&context));
    Ok(CommandResult::with_outputs(readable, PREFIX, Some("ActivityId"), context).raw(activity))
}

pub fn remove<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("id")?;
    client
        .send(Call::delete(format!("/v2/trusted-activities/{}", segment(id))))
        .map_err(|e| e.when_not_found(|| format!("No trusted activity found with ID {id}.")))?;
    Ok(CommandResult { readable: format!("Trusted activity {id} was removed."), ..Default::default() })
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::http::Method;
    use serde_json::json;

    fn server() -> FakeServer {
        let server = FakeServer::new();
        server.on(Method::Post, "/v2/trusted-activities", 200, json!({"activityId": "7", "type": "DOMAIN"}));
        server
    }

    #[test]
    fn a_domain_sends_its_trusted_actions_in_the_default_group() {
        let server = server();
        let args = [
            ("type", "DOMAIN"),
            ("value", "corp.example"),
            ("file_upload", "true"),
            ("cloud_sync_services", "BOX,ICLOUD"),
        ];
        run(&server, "code42-trusted-activity-add", &args).unwrap();
        assert_eq!(
            body(&server, "/v2/trusted-activities")["activityActionGroups"],
            json!([{"name": "DEFAULT", "activityActions": [
                {"type": "FILE_UPLOAD"},
                {"type": "CLOUD_SYNC", "providers": [{"name": "BOX"}, {"name": "ICLOUD"}]}]}])
        );
    }

    #[test]
    fn what_a_type_needs_or_does_not_take_is_refused_before_any_request() {
        let server = server();
        for (args, says) in [
            (vec![("type", "DOMAIN"), ("value", "corp.example")], "needs at least one trusted action"),
            (vec![("type", "ACCOUNT_NAME"), ("value", "corp")], "needs at least one cloud sync service"),
            (vec![("type", "SLACK"), ("value", "corp"), ("git_push", "true")], "'git_push' does not apply to a SLACK"),
            (vec![("type", "DOMAIN"), ("value", "corp.example"), ("dropbox", "true")], "'dropbox' does not apply"),
        ] {
            let err = run(&server, "code42-trusted-activity-add", &args).unwrap_err();
            assert!(err.to_string().contains(says), "{err}");
        }
        assert!(server.requests().is_empty());
    }

    #[test]
    fn url_paths_trust_every_action_and_git_repositories_their_pushes() {
        let server = server();
        run(&server, "code42-trusted-activity-add", &[("type", "URL_PATH"), ("value", "github.com/corp")]).unwrap();
        assert_eq!(body(&server, "/v2/trusted-activities")["activityActionGroups"], json!([]));
        let server = self::server();
        run(
            &server,
            "code42-trusted-activity-add",
            &[("type", "GIT_REPOSITORY_URI"), ("value", "git@github.com:corp/x")],
        )
        .unwrap();
        assert_eq!(
            body(&server, "/v2/trusted-activities")["activityActionGroups"][0]["activityActions"],
            json!([{"type": "GIT_PUSH", "providers": []}])
        );
    }
}
