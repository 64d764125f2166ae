//! Every command, with its arguments and context outputs. Declarations follow the reference's
//! YAML; where a flag differs from what our code needs (a required argument declared optional),
//! the code checks it itself.

use super::{ArgSpec, CommandSpec, OutputSpec, arg, command, out};

const ALERT_OUTPUTS: &[OutputSpec] = &[
    out("Code42.SecurityAlert.Username", "String", "The username associated with the alert."),
    out("Code42.SecurityAlert.Occurred", "Date", "The timestamp when the alert occurred."),
    out("Code42.SecurityAlert.Description", "String", "The names of the rules that triggered the alert."),
    out("Code42.SecurityAlert.ID", "String", "The alert (session) ID."),
    out("Code42.SecurityAlert.Name", "String", "The alert summary."),
    out("Code42.SecurityAlert.State", "String", "The alert state."),
    out("Code42.SecurityAlert.Type", "String", "The type or source of the triggering rule."),
    out("Code42.SecurityAlert.Severity", "String", "The alert risk severity."),
];

const FILE_EVENT_OUTPUTS: &[OutputSpec] = &[
    out("Code42.FileEvents.timestamp", "Date", "The timestamp when the event occurred."),
    out(
        "Code42.FileEvents.event",
        "Unknown",
        "Summary information about the event: when it was observed, its type and source.",
    ),
    out("Code42.FileEvents.user", "Unknown", "The user associated with the event (if any)."),
    out("Code42.FileEvents.destination", "Unknown", "The destination of the event (if any)."),
    out("Code42.FileEvents.process", "Unknown", "The process involved in the event (if any)."),
    out("Code42.FileEvents.risk", "Unknown", "The event's overall risk severity and risk indicators."),
    out("Code42.FileEvents.git", "Unknown", "The git repository involved in the event (if any)."),
    out("Code42.FileEvents.report", "Unknown", "The Salesforce report involved in the event (if any)."),
    out("Code42.FileEvents.file", "Unknown", "The metadata of the file involved in the event (if any)."),
    out("Code42.FileEvents.source", "Unknown", "The origin of the file involved in the event (if any)."),
    out("Code42.FileEvents.@timestamp", "Date", "Timestamp of the event."),
    out("Code42.FileEvents.event.id", "String", "Event ID."),
    out("Code42.FileEvents.event.action", "String", "Event action."),
    out("Code42.FileEvents.event.vector", "String", "Event vector."),
    out("Code42.FileEvents.file.name", "String", "File name."),
    out("Code42.FileEvents.file.directory", "String", "File directory."),
    out("Code42.FileEvents.file.category", "String", "File category."),
    out("Code42.FileEvents.file.sizeInBytes", "Number", "File size in bytes."),
    out("Code42.FileEvents.file.hash.md5", "String", "MD5 hash of the file."),
    out("Code42.FileEvents.file.hash.sha256", "String", "SHA256 hash of the file."),
    out("Code42.FileEvents.user.email", "String", "Code42 username of the actor."),
    out("Code42.FileEvents.source.name", "String", "Source (host or application) name."),
    out("Code42.FileEvents.source.category", "String", "Source category."),
    out("Code42.FileEvents.destination.name", "String", "Destination name."),
    out("Code42.FileEvents.destination.category", "String", "Destination category."),
    out("Code42.FileEvents.risk.score", "Number", "Risk score of the event."),
    out("Code42.FileEvents.risk.severity", "String", "Risk severity of the event."),
    out("Code42.FileEvents.risk.indicators", "Unknown", "Risk indicators of the event."),
];

const DEPARTING_OUTPUTS: &[OutputSpec] = &[
    out("Code42.DepartingEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.DepartingEmployee.CaseID", "String", "Same as UserID, kept for older playbooks."),
    out("Code42.DepartingEmployee.Username", "String", "The username."),
    out("Code42.DepartingEmployee.Note", "String", "Note on the departing employee."),
    out("Code42.DepartingEmployee.DepartureDate", "Unknown", "The departure date."),
];

const DEPARTING_REMOVED_OUTPUTS: &[OutputSpec] = &[
    out("Code42.DepartingEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.DepartingEmployee.CaseID", "String", "Same as UserID, kept for older playbooks."),
    out("Code42.DepartingEmployee.Username", "String", "The username."),
];

const DEPARTING_LISTED_OUTPUTS: &[OutputSpec] = &[
    out("Code42.DepartingEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.DepartingEmployee.Username", "String", "The username."),
    out("Code42.DepartingEmployee.Note", "String", "Note on the departing employee."),
    out("Code42.DepartingEmployee.DepartureDate", "Unknown", "The departure date."),
];

const HIGH_RISK_OUTPUTS: &[OutputSpec] = &[
    out("Code42.HighRiskEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.HighRiskEmployee.Username", "String", "The username."),
    out("Code42.HighRiskEmployee.Note", "String", "Note on the high-risk employee."),
];

const HIGH_RISK_REMOVED_OUTPUTS: &[OutputSpec] = &[
    out("Code42.HighRiskEmployee.UserID", "Unknown", "Internal Code42 user (actor) ID."),
    out("Code42.HighRiskEmployee.Username", "Unknown", "The username."),
];

const RISK_TAG_OUTPUTS: &[OutputSpec] = &[
    out("Code42.HighRiskEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.HighRiskEmployee.Username", "String", "The username."),
    out("Code42.HighRiskEmployee.RiskTags", "Unknown", "The risk tags given."),
];

const USER_ID_OUTPUT: &[OutputSpec] = &[out("Code42.User.UserID", "String", "The ID of the Code42 user.")];

const LEGAL_HOLD_OUTPUTS: &[OutputSpec] = &[
    out("Code42.LegalHold.UserID", "Unknown", "The ID of the Code42 user."),
    out("Code42.LegalHold.MatterID", "String", "The ID of the legal hold matter."),
    out("Code42.LegalHold.Username", "String", "The username."),
    out("Code42.LegalHold.MatterName", "String", "The name of the legal hold matter."),
];

const CASE_NUMBER: ArgSpec = arg("number", "The case number.").required();
const CASE_SUBJECT: ArgSpec = arg("subject", "The user the case investigates (username or user ID).");
const CASE_ASSIGNEE: ArgSpec = arg("assignee", "The administrator assigned to the case (username or user ID).");
const CASE_DESCRIPTION: ArgSpec = arg("description", "A short description, at most 250 characters.").at_most(250);
const CASE_FINDINGS: ArgSpec = arg("findings", "The findings (markdown), at most 30,000 characters.").at_most(30_000);

const CASE_OUTPUTS: &[OutputSpec] = &[
    out("Code42.Case.Number", "Number", "The case number."),
    out("Code42.Case.Name", "String", "The case name."),
    out("Code42.Case.Status", "String", "OPEN or CLOSED."),
    out("Code42.Case.CreatedAt", "Date", "When the case was created."),
    out("Code42.Case.UpdatedAt", "Date", "When the case was last changed."),
    out("Code42.Case.Subject", "String", "The user ID of the user the case investigates."),
    out("Code42.Case.SubjectUsername", "String", "The username of the user the case investigates."),
    out("Code42.Case.Assignee", "String", "The user ID of the assigned administrator."),
    out("Code42.Case.AssigneeUsername", "String", "The username of the assigned administrator."),
    out("Code42.Case.CreatedByUserUid", "String", "Who created the case."),
    out("Code42.Case.CreatedByUsername", "String", "The username of who created the case."),
    out("Code42.Case.LastModifiedByUserUid", "String", "Who last changed the case."),
    out("Code42.Case.LastModifiedByUsername", "String", "The username of who last changed the case."),
    out("Code42.Case.Description", "String", "The case description (not in code42-case-list)."),
    out("Code42.Case.Findings", "String", "The findings, in markdown (not in code42-case-list)."),
];

const AGENT_OUTPUTS: &[OutputSpec] = &[
    out("Code42.Agent.AgentId", "String", "The agent ID."),
    out("Code42.Agent.Name", "String", "The agent name."),
    out("Code42.Agent.UserId", "String", "The user ID of the agent's user."),
    out("Code42.Agent.OsHostname", "String", "The device's host name."),
    out("Code42.Agent.OsName", "String", "The device's operating system."),
    out("Code42.Agent.SerialNumber", "String", "The device's serial number."),
    out("Code42.Agent.Active", "Boolean", "Whether the agent is active."),
    out("Code42.Agent.AgentType", "String", "CODE42, CODE42AAT or COMBINED."),
    out("Code42.Agent.AgentHealthIssueTypes", "Unknown", "The agent's health issues; none when healthy."),
    out("Code42.Agent.AppVersion", "String", "The agent's version."),
    out("Code42.Agent.LastConnected", "Date", "When the agent last connected."),
    out("Code42.Agent.CreationDate", "Date", "When the agent was registered."),
];

const ALERT_RULE_OUTPUTS: &[OutputSpec] = &[
    out("Code42.AlertRule.Id", "String", "The rule ID."),
    out("Code42.AlertRule.Name", "String", "The rule name."),
    out("Code42.AlertRule.Description", "String", "The rule description."),
    out("Code42.AlertRule.IsEnabled", "Boolean", "Whether the rule is enabled."),
    out("Code42.AlertRule.IsSystemRule", "Boolean", "Whether the rule belongs to a lens."),
    out("Code42.AlertRule.CreatedAt", "Date", "When the rule was created."),
    out("Code42.AlertRule.CreatedBy", "String", "Who created the rule."),
    out("Code42.AlertRule.ModifiedAt", "Date", "When the rule was last changed."),
    out("Code42.AlertRule.ModifiedBy", "String", "Who last changed the rule."),
];

const TRUSTED_TYPES: &[&str] = &["DOMAIN", "URL_PATH", "SLACK", "ACCOUNT_NAME", "GIT_REPOSITORY_URI"];
const BROWSER_DESTINATIONS: &[&str] = &[
    "AIRTABLE",
    "AMAZON_WEB_SERVICES",
    "BLACKBOX",
    "BOX",
    "CHATGPT",
    "CLAUDE",
    "CONCUR",
    "CURSOR",
    "DROPBOX",
    "GOOGLE_WORKSPACE",
    "MICROSOFT_365",
    "NOTTA",
    "OTTER",
    "PERPLEXITY",
    "SLACK",
    "YOU_DOT_COM",
];

const TRUSTED_OUTPUTS: &[OutputSpec] = &[
    out("Code42.TrustedActivity.ActivityId", "String", "The trusted activity ID."),
    out("Code42.TrustedActivity.Type", "String", "DOMAIN, URL_PATH, SLACK, ACCOUNT_NAME or GIT_REPOSITORY_URI."),
    out("Code42.TrustedActivity.Value", "String", "What is trusted."),
    out("Code42.TrustedActivity.Description", "String", "The description."),
    out("Code42.TrustedActivity.IsHighValueSource", "Boolean", "Whether it is a high-value source."),
    out("Code42.TrustedActivity.ActivityActionGroups", "Unknown", "The trusted actions."),
    out("Code42.TrustedActivity.PrincipalType", "String", "Who made it (user or API client)."),
    out("Code42.TrustedActivity.UpdateTime", "Date", "When it was last changed."),
    out("Code42.TrustedActivity.UpdatedByPrincipalName", "String", "Who last changed it."),
];

const FILE_OUTPUTS: &[OutputSpec] = &[
    out("File.Size", "Number", "The size of the file in bytes."),
    out("File.SHA1", "String", "The SHA1 hash of the file."),
    out("File.SHA256", "String", "The SHA256 hash of the file."),
    out("File.Name", "String", "The name of the file."),
    out("File.SSDeep", "String", "The SSDeep hash of the file."),
    out("File.EntryID", "String", "The entry ID of the file."),
    out("File.Info", "String", "File information."),
    out("File.Type", "String", "The file type."),
    out("File.MD5", "String", "The MD5 hash of the file."),
    out("File.Extension", "String", "The file extension."),
];

const USERNAME: ArgSpec = arg("username", "The username (email) of the user.").required();
/// The departing-employee filter, the commands' default argument.
const FILTER_TYPE: ArgSpec = arg("filtertype", "Which employees to return.").default("OPEN").default_arg();
const WATCHLIST: ArgSpec =
    arg("watchlist", "The watchlist ID, type (e.g. DEPARTING_EMPLOYEE) or title of a custom watchlist.").required();
const MATTER: ArgSpec = arg("mattername", "The name of the legal hold matter.").required();
const RISK_TAGS: &[&str] = &[
    "PERFORMANCE_CONCERNS",
    "POOR_SECURITY_PRACTICES",
    "HIGH_IMPACT_EMPLOYEE",
    "ELEVATED_ACCESS_PRIVILEGES",
    "FLIGHT_RISK",
    "CONTRACT_EMPLOYEE",
    "SUSPICIOUS_SYSTEM_ACTIVITY",
];
/// The risk tags of the old high-risk-employee API; each is now a watchlist type of that name.
pub const RISK_TAG_NAMES: &[&str] = RISK_TAGS;
/// The reference's declaration of risk tags: comma-separated text, not an array.
const RISK_TAGS_ARG: ArgSpec = arg("risktags", "Comma-separated risk tags.").values(RISK_TAGS).comma_list();
pub const ALERT_STATES: &[&str] = &["OPEN", "CLOSED_TP", "CLOSED_FP", "CLOSED_TP_BENIGN"];
/// Every state a session can be in (the search filter's values).
const SESSION_STATES: &[&str] =
    &["OPEN", "IN_PROGRESS", "CLOSED", "CLOSED_TP", "CLOSED_TP_BENIGN", "CLOSED_FP", "OPEN_NEW_DATA"];
/// The longest note Code42 takes on a session.
pub const MAX_NOTE_CHARS: usize = 2000;
const TRUE_FALSE: &[&str] = &["true", "false"];
const WATCHLIST_TYPES: &[&str] = &[
    "DEPARTING_EMPLOYEE",
    "NEW_EMPLOYEE",
    "HIGH_IMPACT_EMPLOYEE",
    "ELEVATED_ACCESS_PRIVILEGES",
    "PERFORMANCE_CONCERNS",
    "FLIGHT_RISK",
    "CONTRACT_EMPLOYEE",
    "POOR_SECURITY_PRACTICES",
    "SUSPICIOUS_SYSTEM_ACTIVITY",
    "CUSTOM",
];
/// Watchlists with the seed's keys and the reference code's keys (see code42-watchlists-list).
const WATCHLIST_OUTPUTS: &[OutputSpec] = &[
    out("Code42.Watchlists.ListType", "String", "The watchlist type."),
    out("Code42.Watchlists.Id", "String", "The watchlist ID."),
    out("Code42.Watchlists.IncludedUserCount", "Integer", "The number of included users."),
    out("Code42.Watchlists.WatchlistType", "String", "The watchlist type."),
    out("Code42.Watchlists.WatchlistID", "String", "The watchlist ID."),
    out("Code42.Watchlists.IncludedUsersCount", "Number", "The number of included users."),
];

pub static COMMANDS: &[CommandSpec] = &[
    command(
        "code42-alert-get",
        "Retrieve alert details by alert ID.",
        &[arg("id", "The alert ID to retrieve.").required()],
        ALERT_OUTPUTS,
    ),
    command(
        "code42-alert-resolve",
        "Resolve a Code42 Security alert (closes it as a true positive). Deprecated: use code42-alert-update.",
        &[arg("id", "The alert ID to resolve.").required()],
        ALERT_OUTPUTS,
    )
    .writes()
    .deprecated(),
    command(
        "code42-alert-update",
        "Set the state of a Code42 Security alert.",
        &[
            arg("id", "The alert ID to update, or several comma-separated.").required().comma_list(),
            arg("state", "The new state.").required().values(ALERT_STATES),
        ],
        ALERT_OUTPUTS,
    )
    .writes(),
    command(
        "code42-alert-search",
        "Search alert sessions (those with alerts) by user, time, state, severity, rule, watchlist and risk indicator.",
        &[
            arg("username", "Only the sessions of this user (actor)."),
            arg("start_time", "Sessions begun at or after this time: `3 days` (ago) or ISO 8601."),
            arg("end_time", "Sessions begun before this time: `1 hour` (ago) or ISO 8601."),
            arg("state", "Comma-separated session states.").values(SESSION_STATES).comma_list(),
            arg("severity", "Comma-separated severities: NO_RISK, LOW, MODERATE, HIGH, CRITICAL (any case).")
                .comma_list(),
            arg("rule_id", "Comma-separated alert rule IDs.").comma_list(),
            arg("watchlist", "Comma-separated watchlists: IDs, types (e.g. DEPARTING_EMPLOYEE) or custom titles.")
                .comma_list(),
            arg("risk_indicators", "Comma-separated risk indicator names.").comma_list(),
            arg("limit", "The most sessions to return.").default("50"),
        ],
        ALERT_OUTPUTS,
    ),
    command(
        "code42-alert-add-note",
        "Add a note to an alert session.",
        &[
            arg("id", "The alert (session) ID.").required(),
            arg("note", "The note, at most 2,000 characters.").required().at_most(MAX_NOTE_CHARS),
        ],
        &[],
    )
    .writes(),
    command(
        "code42-alert-file-events",
        "The file events behind an alert session.",
        &[arg("id", "The alert (session) ID.").required(), arg("limit", "The most events to return.").default("50")],
        FILE_EVENT_OUTPUTS,
    ),
    command(
        "code42-file-events-search",
        "Search Code42 file events by hash, username, hostname and risk score, or by a V2 query in JSON.",
        &[
            arg("json", "A V2 file event query in JSON; replaces every other filter argument."),
            arg("hash", "MD5 or SHA256 hash of the file."),
            arg("username", "The username (email) the events belong to."),
            arg("hostname", "The hostname the events came from."),
            arg("min_risk_score", "Only events with at least this risk score.").default("1"),
            arg("results", "The maximum number of events to return.").default("50"),
            arg("add-to-context", "Add the events to context under Code42.FileEvents.")
                .default("false")
                .values(&["true", "false"]),
        ],
        FILE_EVENT_OUTPUTS,
    )
    .reads_context(),
    command(
        "code42-file-events-table",
        "Display the file events of the current incident and/or of earlier searches as a table.",
        &[arg("include", "Which events to show.").default("all").values(&["all", "incident", "searches"])],
        &[],
    )
    .reads_incident()
    .reads_context(),
    command(
        "code42-departingemployee-add",
        "Add a user to the Departing Employee watchlist.",
        &[
            USERNAME,
            arg("departuredate", "The departure date (YYYY-MM-DD)."),
            arg("note", "Note to attach to the user."),
        ],
        DEPARTING_OUTPUTS,
    )
    .writes(),
    // The reference declares the username optional; the command still needs it.
    command(
        "code42-departingemployee-remove",
        "Remove a user from the Departing Employee watchlist.",
        &[arg("username", "The username (email) of the user.")],
        DEPARTING_REMOVED_OUTPUTS,
    )
    .writes(),
    command(
        "code42-departingemployee-get-all",
        "Get all users on the Departing Employee watchlist (at most 50 unless `results` says otherwise).",
        &[
            arg("results", "The maximum number of employees to return (50 when absent)."),
            FILTER_TYPE.values(&["OPEN", "EXFILTRATION_24_HOURS", "EXFILTRATION_30_DAYS", "LEAVING_TODAY"]),
        ],
        DEPARTING_LISTED_OUTPUTS,
    ),
    command(
        "code42-departingemployee-get",
        "Get a user on the Departing Employee watchlist.",
        &[USERNAME],
        DEPARTING_LISTED_OUTPUTS,
    ),
    command(
        "code42-highriskemployee-add",
        "Add a user to the High Risk Employee (high impact) watchlist.",
        &[USERNAME, arg("note", "Note to attach to the user.")],
        HIGH_RISK_OUTPUTS,
    )
    .writes(),
    command(
        "code42-highriskemployee-remove",
        "Remove a user from the High Risk Employee watchlist.",
        &[USERNAME],
        HIGH_RISK_REMOVED_OUTPUTS,
    )
    .writes(),
    command(
        "code42-highriskemployee-get-all",
        "Get all users on the High Risk Employee watchlist (at most 50 unless `results` says otherwise), optionally \
         only those with every given risk tag.",
        &[
            RISK_TAGS_ARG,
            arg("results", "The maximum number of employees to return (50 when absent)."),
            FILTER_TYPE.values(&["OPEN", "EXFILTRATION_24_HOURS", "EXFILTRATION_30_DAYS"]),
        ],
        HIGH_RISK_OUTPUTS,
    ),
    command(
        "code42-highriskemployee-get",
        "Get a user on the High Risk Employee watchlist.",
        &[USERNAME],
        HIGH_RISK_OUTPUTS,
    ),
    command(
        "code42-highriskemployee-add-risk-tags",
        "Add risk tags to a user (each tag is the watchlist of the same type).",
        &[USERNAME, RISK_TAGS_ARG.required()],
        RISK_TAG_OUTPUTS,
    )
    .writes(),
    command(
        "code42-highriskemployee-remove-risk-tags",
        "Remove risk tags from a user.",
        &[USERNAME, RISK_TAGS_ARG.required()],
        RISK_TAG_OUTPUTS,
    )
    .writes(),
    command(
        "code42-user-create",
        "Create a Code42 user (console API).",
        &[
            arg("orgname", "The name of the organization the user joins.").required(),
            arg("username", "The username of the new user.").required(),
            arg("email", "The email of the new user.").required(),
        ],
        &[
            out("Code42.User.UserID", "String", "The ID of the new user."),
            out("Code42.User.Username", "String", "The username of the new user."),
            out("Code42.User.Email", "String", "The email of the new user."),
        ],
    )
    .writes(),
    command("code42-user-block", "Block a user (console API).", &[USERNAME], USER_ID_OUTPUT).writes(),
    command("code42-user-unblock", "Unblock a user (console API).", &[USERNAME], USER_ID_OUTPUT).writes(),
    command("code42-user-deactivate", "Deactivate a user.", &[USERNAME], USER_ID_OUTPUT).writes(),
    command("code42-user-reactivate", "Reactivate a user.", &[USERNAME], USER_ID_OUTPUT).writes(),
    command("code42-legalhold-add-user", "Add a user to a legal hold matter.", &[USERNAME, MATTER], LEGAL_HOLD_OUTPUTS)
        .writes(),
    command(
        "code42-legalhold-remove-user",
        "Remove a user from a legal hold matter.",
        &[USERNAME, MATTER],
        LEGAL_HOLD_OUTPUTS,
    )
    .writes(),
    command(
        "code42-legalhold-matters-list",
        "List legal hold matters.",
        &[
            arg("name", "Only matters whose name contains this text."),
            arg("active", "Only active (true) or inactive (false) matters.").values(TRUE_FALSE),
            arg("limit", "The most matters to return.").default("50"),
        ],
        &[
            out("Code42.LegalHoldMatter.MatterId", "String", "The matter ID."),
            out("Code42.LegalHoldMatter.Name", "String", "The matter name."),
            out("Code42.LegalHoldMatter.Description", "String", "The matter description."),
            out("Code42.LegalHoldMatter.Active", "Boolean", "Whether the matter is active."),
            out("Code42.LegalHoldMatter.CreationDate", "Date", "When the matter was created."),
            out("Code42.LegalHoldMatter.PolicyId", "String", "The preservation policy of the matter."),
            out("Code42.LegalHoldMatter.Creator", "Unknown", "Who created the matter."),
        ],
    ),
    command(
        "code42-download-file",
        "Download a file by its MD5 or SHA256 hash.",
        &[
            arg("hash", "MD5 or SHA256 hash of the file.").required(),
            arg("filename", "Name of the file entry; the hash when absent."),
        ],
        FILE_OUTPUTS,
    ),
    command(
        "code42-download-file-by-xfc-id",
        "Download a file by its exfiltrated-file content (XFC) ID.",
        &[
            arg("xfc_id", "The XFC content ID of the file.").required(),
            arg("filename", "Name of the file entry; the ID when absent."),
        ],
        FILE_OUTPUTS,
    ),
    command("code42-watchlists-list", "List the watchlists of the tenant.", &[], WATCHLIST_OUTPUTS),
    command(
        "code42-watchlists-add-user",
        "Add a user to a watchlist.",
        &[USERNAME, WATCHLIST],
        &[
            out("Code42.UsersAddedToWatchlists.Watchlist", "String", "The watchlist as given."),
            out("Code42.UsersAddedToWatchlists.Username", "String", "The username."),
            out("Code42.UsersAddedToWatchlists.Success", "Boolean", "Whether the user was added."),
        ],
    )
    .writes(),
    command(
        "code42-watchlists-remove-user",
        "Remove a user from a watchlist.",
        &[USERNAME, WATCHLIST],
        &[
            out("Code42.UsersRemovedFromWatchlists.Watchlist", "String", "The watchlist as given."),
            out("Code42.UsersRemovedFromWatchlists.Username", "String", "The username."),
            out("Code42.UsersRemovedFromWatchlists.Success", "Boolean", "Whether the user was removed."),
        ],
    )
    .writes(),
    command(
        "code42-watchlists-list-included-users",
        "List the users on a watchlist.",
        &[WATCHLIST],
        &[
            out("Code42.WatchlistUsers.WatchlistID", "String", "The watchlist ID."),
            out("Code42.WatchlistUsers.Username", "String", "The username."),
            out("Code42.WatchlistUsers.AddedTime", "Datetime", "When the user was added."),
        ],
    ),
    command(
        "code42-watchlist-create",
        "Create a watchlist of a type; a CUSTOM watchlist needs a title.",
        &[
            arg("type", "The watchlist type.").required().values(WATCHLIST_TYPES),
            arg("title", "The title (CUSTOM watchlists), at most 50 characters.").at_most(50),
            arg("description", "The description, at most 250 characters.").at_most(250),
        ],
        WATCHLIST_OUTPUTS,
    )
    .writes(),
    command(
        "code42-watchlist-delete",
        "Delete a watchlist.",
        &[arg("watchlist", "The watchlist ID, type (e.g. DEPARTING_EMPLOYEE) or title of a custom watchlist.")
            .required()],
        &[],
    )
    .writes(),
    command(
        "code42-actor-get",
        "Get an actor (a person behind file events) by username or actor ID.",
        &[arg("username", "The actor's username (email)."), arg("actor_id", "The actor ID.")],
        &[
            out("Code42.Actor.ActorId", "String", "The actor ID."),
            out("Code42.Actor.Name", "String", "The actor's name (username)."),
            out("Code42.Actor.Active", "Boolean", "Whether the actor is active."),
            out("Code42.Actor.AlternateNames", "Unknown", "Other names of the actor."),
            out("Code42.Actor.Department", "String", "The actor's department."),
            out("Code42.Actor.Title", "String", "The actor's job title."),
            out("Code42.Actor.ManagerActorId", "String", "The actor ID of the actor's manager."),
            out("Code42.Actor.StartDate", "String", "The actor's start date."),
            out("Code42.Actor.EndDate", "String", "The actor's end date."),
            out("Code42.Actor.Notes", "String", "Notes on the actor."),
            out("Code42.Actor.ParentActorId", "String", "The actor ID of the parent actor."),
        ],
    ),
    command(
        "code42-users-list",
        "List Code42 users.",
        &[
            arg("username", "Only the user of this username."),
            arg("active", "Only active (true) or deactivated (false) users.").values(TRUE_FALSE),
            arg("blocked", "Only blocked (true) or unblocked (false) users.").values(TRUE_FALSE),
            arg("limit", "The most users to return.").default("50"),
        ],
        &[
            out("Code42.User.UserId", "String", "The user ID."),
            out("Code42.User.Username", "String", "The username."),
            out("Code42.User.FirstName", "String", "The user's first name."),
            out("Code42.User.LastName", "String", "The user's last name."),
            out("Code42.User.OrgName", "String", "The user's organization."),
            out("Code42.User.Active", "Boolean", "Whether the user is active."),
            out("Code42.User.Blocked", "Boolean", "Whether the user is blocked."),
            out("Code42.User.CreationDate", "Date", "When the user was created."),
        ],
    ),
    command(
        "code42-case-create",
        "Create a case.",
        &[
            arg("name", "The case name, unique in the tenant, at most 50 characters.").required().at_most(50),
            CASE_SUBJECT,
            CASE_ASSIGNEE,
            CASE_DESCRIPTION,
            CASE_FINDINGS,
        ],
        CASE_OUTPUTS,
    )
    .writes(),
    command("code42-case-get", "Get a case with its description and findings.", &[CASE_NUMBER], CASE_OUTPUTS),
    command(
        "code42-case-list",
        "List cases.",
        &[
            arg("status", "Only cases of this status.").values(&["OPEN", "CLOSED"]),
            arg("assignee", "Only cases assigned to this user (username or user ID)."),
            arg("name", "Only cases whose name contains this text."),
            arg("limit", "The most cases to return.").default("50"),
        ],
        CASE_OUTPUTS,
    ),
    command(
        "code42-case-update",
        "Change an open case: only the fields given change.",
        &[
            CASE_NUMBER,
            arg("name", "The new case name, at most 50 characters.").at_most(50),
            CASE_SUBJECT,
            CASE_ASSIGNEE,
            CASE_DESCRIPTION,
            CASE_FINDINGS,
        ],
        CASE_OUTPUTS,
    )
    .writes(),
    command("code42-case-close", "Close a case; closed cases cannot be changed.", &[CASE_NUMBER], CASE_OUTPUTS)
        .writes(),
    command(
        "code42-case-add-file-events",
        "Attach file events to an open case.",
        &[CASE_NUMBER, arg("event_ids", "The file event IDs (comma-separated).").required().comma_list()],
        CASE_OUTPUTS,
    )
    .writes(),
    command(
        "code42-case-remove-file-event",
        "Detach a file event from an open case.",
        &[CASE_NUMBER, arg("event_id", "The file event ID.").required()],
        &[],
    )
    .writes(),
    command(
        "code42-case-file-events-list",
        "List the file events attached to a case.",
        &[CASE_NUMBER, arg("limit", "The most file events to return.").default("50")],
        &[
            out("Code42.CaseFileEvent.EventId", "String", "The file event ID."),
            out("Code42.CaseFileEvent.CaseNumber", "Number", "The case the event is attached to."),
            out("Code42.CaseFileEvent.EventTimestamp", "Date", "When the event happened."),
            out("Code42.CaseFileEvent.FileName", "String", "The file name."),
            out("Code42.CaseFileEvent.FilePath", "String", "The file's directory."),
            out("Code42.CaseFileEvent.FileAvailability", "String", "Whether the file can be downloaded."),
            out("Code42.CaseFileEvent.Exposure", "Unknown", "The exposure types of the event."),
            out("Code42.CaseFileEvent.RiskIndicators", "Unknown", "The risk indicators of the event."),
            out("Code42.CaseFileEvent.RiskScore", "Number", "The risk score of the event."),
            out("Code42.CaseFileEvent.RiskSeverity", "String", "The risk severity of the event."),
        ],
    ),
    command(
        "code42-case-export",
        "Export a case as a file: its summary (PDF), its file events (CSV) or everything (ZIP with the summary, \
         the file events and the files).",
        &[CASE_NUMBER, arg("what", "What to export.").values(&["summary", "file-events", "full"]).default("summary")],
        FILE_OUTPUTS,
    ),
    command(
        "code42-audit-log-search",
        "Search the audit log: who did what in the Incydr console and API.",
        &[
            arg("start_time", "Events at or after this time: ISO 8601, epoch milliseconds, or a range such as 3 days."),
            arg("end_time", "Events at or before this time: ISO 8601, epoch milliseconds, or a range such as 1 day."),
            arg("actor_names", "Only events of these actors (usernames, comma-separated).").comma_list(),
            arg("event_types", "Only events of these types (comma-separated), e.g. audit_log::logged_in/1.")
                .comma_list(),
            arg("resource_ids", "Only events about these resources (comma-separated IDs).").comma_list(),
            arg("limit", "The most events to return.").default("50"),
        ],
        &[
            out("Code42.AuditLog.Type$", "String", "The event type."),
            out("Code42.AuditLog.Timestamp", "Date", "When it happened."),
            out("Code42.AuditLog.ActorId", "String", "The ID of who did it."),
            out("Code42.AuditLog.ActorName", "String", "The username of who did it."),
            out("Code42.AuditLog.ActorIpAddress", "String", "The IP address it came from."),
            out("Code42.AuditLog.ActorAgent", "String", "The user agent it came from."),
            out("Code42.AuditLog.ActorType", "String", "USER, SUPPORT_USER, API_CLIENT, SYSTEM or UNKNOWN."),
        ],
    ),
    command(
        "code42-agents-list",
        "List agents (the Incydr software on users' devices).",
        &[
            arg("active", "Only active (true) or deactivated (false) agents.").values(TRUE_FALSE),
            arg("healthy", "Only agents without (true) or with (false) health issues.").values(TRUE_FALSE),
            arg("username", "Only the agents of this user (username or user ID)."),
            arg("limit", "The most agents to return.").default("50"),
        ],
        AGENT_OUTPUTS,
    ),
    command("code42-agent-get", "Get an agent.", &[arg("agent_id", "The agent ID.").required()], AGENT_OUTPUTS),
    command(
        "code42-agent-activate",
        "Activate agents.",
        &[arg("agent_ids", "The agent IDs (comma-separated).").required().comma_list()],
        &[],
    )
    .writes(),
    command(
        "code42-agent-deactivate",
        "Deactivate agents.",
        &[arg("agent_ids", "The agent IDs (comma-separated).").required().comma_list()],
        &[],
    )
    .writes(),
    command(
        "code42-alert-rules-list",
        "List alert rules.",
        &[arg("limit", "The most rules to return.").default("50")],
        ALERT_RULE_OUTPUTS,
    ),
    command(
        "code42-alert-rule-enable",
        "Enable alert rules.",
        &[arg("rule_ids", "The rule IDs (comma-separated).").required().comma_list()],
        ALERT_RULE_OUTPUTS,
    )
    .writes(),
    command(
        "code42-alert-rule-disable",
        "Disable alert rules.",
        &[arg("rule_ids", "The rule IDs (comma-separated).").required().comma_list()],
        ALERT_RULE_OUTPUTS,
    )
    .writes(),
    command(
        "code42-trusted-activities-list",
        "List trusted activities: where data may go without raising risk.",
        &[
            arg("type", "Only activities of this type.").values(TRUSTED_TYPES),
            arg("limit", "The most activities to return.").default("50"),
        ],
        TRUSTED_OUTPUTS,
    ),
    command(
        "code42-trusted-activity-add",
        "Trust a domain, URL path, Slack workspace, cloud account name or git repository. A DOMAIN needs at least \
         one trusted action; an ACCOUNT_NAME at least one of dropbox, one_drive.",
        &[
            arg("type", "The kind of activity.").required().values(TRUSTED_TYPES),
            arg("value", "The domain, URL path, workspace, account name or repository URI.").required(),
            arg("description", "A description."),
            arg("high_value", "Whether it is a high-value source.").values(TRUE_FALSE),
            arg("file_upload", "DOMAIN: trust browser and app uploads to it.").values(TRUE_FALSE),
            arg("git_push", "DOMAIN: trust git pushes to it.").values(TRUE_FALSE),
            arg("file_transfer_tools", "DOMAIN: trust file transfer tools sending to it.").values(TRUE_FALSE),
            arg("cloud_sync_services", "DOMAIN: cloud sync apps to trust on it (comma-separated).")
                .values(&["BOX", "GOOGLE_DRIVE", "ICLOUD", "ONE_DRIVE"])
                .comma_list(),
            arg("cloud_share_services", "DOMAIN: cloud sharing to trust on it (comma-separated).")
                .values(&["BOX", "GOOGLE_DRIVE", "ONE_DRIVE"])
                .comma_list(),
            arg("email_share_services", "DOMAIN: email services to trust on it (comma-separated).")
                .values(&["GOOGLE_DRIVE", "GMAIL", "OFFICE_365"])
                .comma_list(),
            arg("browser_destinations", "DOMAIN: browser destinations to trust on it (comma-separated).")
                .values(BROWSER_DESTINATIONS)
                .comma_list(),
            arg("dropbox", "ACCOUNT_NAME: trust Dropbox syncing of the account.").values(TRUE_FALSE),
            arg("one_drive", "ACCOUNT_NAME: trust OneDrive syncing of the account.").values(TRUE_FALSE),
        ],
        TRUSTED_OUTPUTS,
    )
    .writes(),
    command(
        "code42-trusted-activity-remove",
        "Remove a trusted activity.",
        &[arg("id", "The trusted activity ID.").required()],
        &[],
    )
    .writes(),
    command(
        "code42-user-get-risk-profile",
        "Get the risk profile of a user.",
        &[USERNAME],
        &[
            out("Code42.UserRiskProfiles.Username", "String", "The username."),
            out("Code42.UserRiskProfiles.StartDate", "Date", "The start date."),
            out("Code42.UserRiskProfiles.EndDate", "Date", "The end date."),
            out("Code42.UserRiskProfiles.Notes", "String", "Notes on the profile."),
        ],
    )
    .aliases(&["code42-get-user-risk-profile"]),
    command(
        "code42-user-update-risk-profile",
        "Update the risk profile of a user; an empty value clears the field.",
        &[
            USERNAME,
            arg("start_date", "The start date (YYYY-MM-DD)."),
            arg("end_date", "The end date (YYYY-MM-DD)."),
            arg("notes", "Notes on the profile."),
        ],
        &[
            out("Code42.UpdatedUserRiskProfiles.Username", "String", "The username."),
            out("Code42.UpdatedUserRiskProfiles.StartDate", "Date", "The start date."),
            out("Code42.UpdatedUserRiskProfiles.EndDate", "Date", "The end date."),
            out("Code42.UpdatedUserRiskProfiles.Notes", "String", "Notes on the profile."),
            out(
                "Code42.UpdatedUserRiskProfiles.Success",
                "Boolean",
                "Whether every given field now has the given value.",
            ),
        ],
    )
    .writes(),
    command(
        "get-modified-remote-data",
        "Mirroring: the IDs of the Code42 alert sessions updated after lastUpdate, among those begun within \
         mirror_window.",
        &[arg("lastUpdate", "ISO 8601 time or epoch milliseconds; sessions updated after it are listed.").required()],
        &[],
    ),
    command(
        "get-remote-data",
        "Mirroring: a Code42 alert session as fetch shapes it, with what changed after lastUpdate: notes added in \
         Code42, and its closing (with close_incident) or reopening.",
        &[
            arg("id", "The alert session ID.").required(),
            arg("lastUpdate", "ISO 8601 time or epoch milliseconds; only changes after it are returned.").default("0"),
        ],
        &[],
    ),
    command(
        "update-remote-system",
        "Mirroring: changes of an incident to its Code42 alert session: entries tagged comment_tag become notes \
         (each once), and with close_out, closing or reopening the incident closes or reopens the session.",
        &[
            arg("remoteId", "The alert session ID.").required(),
            arg("status", "The incident's status (0 pending, 1 active, 2 done, 3 archived)."),
            arg("incidentChanged", "Whether the incident changed (true or false)."),
            arg("delta", "JSON object of the incident fields that changed."),
            arg("entries", "JSON list of the incident entries to mirror out."),
            arg("data", "JSON object of the incident's fields."),
        ],
        &[],
    )
    .writes(),
    command("get-mapping-fields", "Mirroring: the incident fields that can be mirrored out to Code42.", &[], &[]),
];
