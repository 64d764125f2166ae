//! What the integration offers: its instance parameters and every command with its arguments
//! and context outputs (the XSOAR YAML, as data). The host builds its help and argument checks
//! from it; the plugin checks arguments against it before running a command.

/// How a parameter's value is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Text,
    Secret,
    Boolean,
    Integer,
    SingleSelect,
    MultiSelect,
    Interval,
    IncidentType,
}

#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub display: &'static str,
    pub description: &'static str,
    pub kind: ParamKind,
    pub required: bool,
    pub default: Option<&'static str>,
    pub options: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
    pub default: Option<&'static str>,
    pub possible: &'static [&'static str],
    pub is_array: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct OutputSpec {
    pub path: &'static str,
    pub value_type: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub args: &'static [ArgSpec],
    pub outputs: &'static [OutputSpec],
    pub writes: bool,
}

pub const NAME: &str = "Code42";
pub const DISPLAY: &str = "Code42 Incydr";
pub const DESCRIPTION: &str = "Investigate and respond to insider-risk data exfiltration with Code42 Incydr: \
alerts, file events, watchlists, departing and high-risk employees, users, legal hold, file downloads and \
risk profiles; fetch-incidents turns Code42 alert sessions into incidents.";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const fn arg(name: &'static str, description: &'static str) -> ArgSpec {
    ArgSpec { name, description, required: false, default: None, possible: &[], is_array: false }
}

impl ArgSpec {
    const fn required(self) -> Self {
        ArgSpec { required: true, ..self }
    }
    const fn default(self, value: &'static str) -> Self {
        ArgSpec { default: Some(value), ..self }
    }
    const fn values(self, possible: &'static [&'static str]) -> Self {
        ArgSpec { possible, ..self }
    }
    const fn array(self) -> Self {
        ArgSpec { is_array: true, ..self }
    }
}

const fn out(path: &'static str, value_type: &'static str, description: &'static str) -> OutputSpec {
    OutputSpec { path, value_type, description }
}

const fn param(name: &'static str, display: &'static str, kind: ParamKind, description: &'static str) -> ParamSpec {
    ParamSpec { name, display, description, kind, required: false, default: None, options: &[] }
}

impl ParamSpec {
    const fn required(self) -> Self {
        ParamSpec { required: true, ..self }
    }
    const fn default(self, value: &'static str) -> Self {
        ParamSpec { default: Some(value), ..self }
    }
    const fn options(self, options: &'static [&'static str]) -> Self {
        ParamSpec { options, ..self }
    }
}

pub static PARAMS: &[ParamSpec] = &[
    param(
        "console_url",
        "Code42 Console URL for your Code42 environment",
        ParamKind::Text,
        "Console host, e.g. console.us.code42.com (https:// is assumed; write http:// only for a test tenant).",
    )
    .required()
    .default("console.us.code42.com"),
    param(
        "api_url",
        "API Gateway URL for your Code42 environment",
        ParamKind::Text,
        "API gateway host. Derived from the console host (console.* becomes api.*) when absent.",
    ),
    param("client_id", "API Client ID", ParamKind::Text, "Incydr API client id; starts with 'key-'.").required(),
    param("client_secret", "API Client Secret", ParamKind::Secret, "Incydr API client secret.").required(),
    param("incident_type", "Incident type", ParamKind::IncidentType, "Type given to fetched incidents."),
    param(
        "alert_severity",
        "Alert severities to fetch when fetching incidents",
        ParamKind::MultiSelect,
        "Only sessions with these severities become incidents; none selected means all.",
    )
    .options(&["Critical", "High", "Moderate", "Low"]),
    param(
        "fetch_time",
        "First fetch time range (<number> <time unit>, e.g., 1 hour, 30 minutes)",
        ParamKind::Text,
        "How far back the first fetch looks.",
    )
    .default("24 hours"),
    param(
        "fetch_look_back",
        "Fetch look-back (<number> <time unit>)",
        ParamKind::Text,
        "How far before the last fetched alert each fetch queries again, because a session's begin time can \
         precede the moment Code42 observes it. Already fetched alerts are never repeated.",
    )
    .default("24 hours"),
    param(
        "fetch_limit",
        "Alerts to fetch per run",
        ParamKind::Integer,
        "Incidents emitted per fetch; the rest wait for the next run.",
    )
    .default("5"),
    param(
        "include_files",
        "Include the list of files in returned incidents.",
        ParamKind::Boolean,
        "Attach each session's file events to its incident.",
    )
    .default("false"),
    param("incident_fetch_interval", "Incidents Fetch Interval", ParamKind::Interval, "Minutes between fetches.")
        .default("3"),
    param(
        "v2_events",
        "Use v2 file events",
        ParamKind::Boolean,
        "Attach file events in the v2 shape (true) or the legacy v1 flat shape (false).",
    )
    .default("true"),
    param(
        "max_response_mib",
        "Largest API answer (MiB)",
        ParamKind::Integer,
        "API answers larger than this are refused rather than read.",
    )
    .default("16"),
    param(
        "max_download_mib",
        "Largest file download (MiB)",
        ParamKind::Integer,
        "Downloads larger than this are refused rather than read.",
    )
    .default("64"),
    param(
        "max_concurrent_requests",
        "Requests in flight at once",
        ParamKind::Integer,
        "How many independent requests to Code42 may be in flight together (session events, actor and rule \
         lookups, watchlist members); 1 sends them one at a time.",
    )
    .default("8"),
];

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
    out("Code42.DepartingEmployee.DepartureDate", "Date", "The departure date."),
];

const HIGH_RISK_OUTPUTS: &[OutputSpec] = &[
    out("Code42.HighRiskEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.HighRiskEmployee.Username", "String", "The username."),
    out("Code42.HighRiskEmployee.Note", "String", "Note on the high-risk employee."),
];

const RISK_TAG_OUTPUTS: &[OutputSpec] = &[
    out("Code42.HighRiskEmployee.UserID", "String", "Internal Code42 user (actor) ID."),
    out("Code42.HighRiskEmployee.Username", "String", "The username."),
    out("Code42.HighRiskEmployee.RiskTags", "String", "The risk tags given."),
];

const USER_ID_OUTPUT: &[OutputSpec] = &[out("Code42.User.UserID", "String", "The ID of the Code42 user.")];

const LEGAL_HOLD_OUTPUTS: &[OutputSpec] = &[
    out("Code42.LegalHold.UserID", "String", "The ID of the Code42 user."),
    out("Code42.LegalHold.MatterID", "String", "The ID of the legal hold matter."),
    out("Code42.LegalHold.Username", "String", "The username."),
    out("Code42.LegalHold.MatterName", "String", "The name of the legal hold matter."),
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
pub const ALERT_STATES: &[&str] = &["OPEN", "CLOSED_TP", "CLOSED_FP", "CLOSED_TP_BENIGN"];

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "code42-alert-get",
        aliases: &[],
        description: "Retrieve alert details by alert ID.",
        args: &[arg("id", "The alert ID to retrieve.").required()],
        outputs: ALERT_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-alert-resolve",
        aliases: &[],
        description: "Resolve a Code42 Security alert (closes it as a true positive).",
        args: &[arg("id", "The alert ID to resolve.").required()],
        outputs: ALERT_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-alert-update",
        aliases: &[],
        description: "Set the state of a Code42 Security alert.",
        args: &[
            arg("id", "The alert ID to update.").required(),
            arg("state", "The new state.").required().values(ALERT_STATES),
        ],
        outputs: ALERT_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-file-events-search",
        aliases: &[],
        description: "Search Code42 file events by hash, username, hostname and risk score, or by a V2 query in JSON.",
        args: &[
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
        outputs: FILE_EVENT_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-file-events-table",
        aliases: &[],
        description: "Display the file events of the current incident and/or of earlier searches as a table.",
        args: &[arg("include", "Which events to show.").default("all").values(&["all", "incident", "searches"])],
        outputs: &[],
        writes: false,
    },
    CommandSpec {
        name: "code42-departingemployee-add",
        aliases: &[],
        description: "Add a user to the Departing Employee watchlist.",
        args: &[
            USERNAME,
            arg("departuredate", "The departure date (YYYY-MM-DD)."),
            arg("note", "Note to attach to the user."),
        ],
        outputs: DEPARTING_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-departingemployee-remove",
        aliases: &[],
        description: "Remove a user from the Departing Employee watchlist.",
        args: &[USERNAME],
        outputs: DEPARTING_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-departingemployee-get-all",
        aliases: &[],
        description: "Get all users on the Departing Employee watchlist.",
        args: &[
            arg("results", "The maximum number of employees to return.").default("50"),
            arg("filtertype", "Which employees to return.").default("OPEN").values(&[
                "OPEN",
                "EXFILTRATION_24_HOURS",
                "EXFILTRATION_30_DAYS",
                "LEAVING_TODAY",
            ]),
        ],
        outputs: DEPARTING_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-departingemployee-get",
        aliases: &[],
        description: "Get a user on the Departing Employee watchlist.",
        args: &[USERNAME],
        outputs: DEPARTING_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-highriskemployee-add",
        aliases: &[],
        description: "Add a user to the High Risk Employee (high impact) watchlist.",
        args: &[USERNAME, arg("note", "Note to attach to the user.")],
        outputs: HIGH_RISK_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-highriskemployee-remove",
        aliases: &[],
        description: "Remove a user from the High Risk Employee watchlist.",
        args: &[USERNAME],
        outputs: HIGH_RISK_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-highriskemployee-get-all",
        aliases: &[],
        description: "Get all users on the High Risk Employee watchlist, optionally only those with every given risk tag.",
        args: &[
            arg("risktags", "Comma-separated risk tags the users must all have.").values(RISK_TAGS).array(),
            arg("results", "The maximum number of employees to return.").default("50"),
            arg("filtertype", "Which employees to return.").default("OPEN").values(&[
                "OPEN",
                "EXFILTRATION_24_HOURS",
                "EXFILTRATION_30_DAYS",
            ]),
        ],
        outputs: HIGH_RISK_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-highriskemployee-get",
        aliases: &[],
        description: "Get a user on the High Risk Employee watchlist.",
        args: &[USERNAME],
        outputs: HIGH_RISK_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-highriskemployee-add-risk-tags",
        aliases: &[],
        description: "Add risk tags to a user (each tag is the watchlist of the same type).",
        args: &[USERNAME, arg("risktags", "Comma-separated risk tags.").required().values(RISK_TAGS).array()],
        outputs: RISK_TAG_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-highriskemployee-remove-risk-tags",
        aliases: &[],
        description: "Remove risk tags from a user.",
        args: &[USERNAME, arg("risktags", "Comma-separated risk tags.").required().values(RISK_TAGS).array()],
        outputs: RISK_TAG_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-user-create",
        aliases: &[],
        description: "Create a Code42 user (console API).",
        args: &[
            arg("orgname", "The name of the organization the user joins.").required(),
            arg("username", "The username of the new user.").required(),
            arg("email", "The email of the new user.").required(),
        ],
        outputs: &[
            out("Code42.User.UserID", "String", "The ID of the new user."),
            out("Code42.User.Username", "String", "The username of the new user."),
            out("Code42.User.Email", "String", "The email of the new user."),
        ],
        writes: true,
    },
    CommandSpec {
        name: "code42-user-block",
        aliases: &[],
        description: "Block a user (console API).",
        args: &[USERNAME],
        outputs: USER_ID_OUTPUT,
        writes: true,
    },
    CommandSpec {
        name: "code42-user-unblock",
        aliases: &[],
        description: "Unblock a user (console API).",
        args: &[USERNAME],
        outputs: USER_ID_OUTPUT,
        writes: true,
    },
    CommandSpec {
        name: "code42-user-deactivate",
        aliases: &[],
        description: "Deactivate a user.",
        args: &[USERNAME],
        outputs: USER_ID_OUTPUT,
        writes: true,
    },
    CommandSpec {
        name: "code42-user-reactivate",
        aliases: &[],
        description: "Reactivate a user.",
        args: &[USERNAME],
        outputs: USER_ID_OUTPUT,
        writes: true,
    },
    CommandSpec {
        name: "code42-legalhold-add-user",
        aliases: &[],
        description: "Add a user to a legal hold matter.",
        args: &[USERNAME, MATTER],
        outputs: LEGAL_HOLD_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-legalhold-remove-user",
        aliases: &[],
        description: "Remove a user from a legal hold matter.",
        args: &[USERNAME, MATTER],
        outputs: LEGAL_HOLD_OUTPUTS,
        writes: true,
    },
    CommandSpec {
        name: "code42-download-file",
        aliases: &[],
        description: "Download a file by its MD5 or SHA256 hash.",
        args: &[
            arg("hash", "MD5 or SHA256 hash of the file.").required(),
            arg("filename", "Name of the file entry; the hash when absent."),
        ],
        outputs: FILE_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-download-file-by-xfc-id",
        aliases: &[],
        description: "Download a file by its exfiltrated-file content (XFC) ID.",
        args: &[
            arg("xfc_id", "The XFC content ID of the file.").required(),
            arg("filename", "Name of the file entry; the ID when absent."),
        ],
        outputs: FILE_OUTPUTS,
        writes: false,
    },
    CommandSpec {
        name: "code42-watchlists-list",
        aliases: &[],
        description: "List the watchlists of the tenant.",
        args: &[],
        outputs: &[
            out("Code42.Watchlists.ListType", "String", "The watchlist type."),
            out("Code42.Watchlists.Id", "String", "The watchlist ID."),
            out("Code42.Watchlists.IncludedUserCount", "Number", "The number of included users."),
            out("Code42.Watchlists.WatchlistType", "String", "The watchlist type."),
            out("Code42.Watchlists.WatchlistID", "String", "The watchlist ID."),
            out("Code42.Watchlists.IncludedUsersCount", "Number", "The number of included users."),
        ],
        writes: false,
    },
    CommandSpec {
        name: "code42-watchlists-add-user",
        aliases: &[],
        description: "Add a user to a watchlist.",
        args: &[USERNAME, WATCHLIST],
        outputs: &[
            out("Code42.UsersAddedToWatchlists.Watchlist", "String", "The watchlist as given."),
            out("Code42.UsersAddedToWatchlists.Username", "String", "The username."),
            out("Code42.UsersAddedToWatchlists.Success", "Boolean", "Whether the user was added."),
        ],
        writes: true,
    },
    CommandSpec {
        name: "code42-watchlists-remove-user",
        aliases: &[],
        description: "Remove a user from a watchlist.",
        args: &[USERNAME, WATCHLIST],
        outputs: &[
            out("Code42.UsersRemovedFromWatchlists.Watchlist", "String", "The watchlist as given."),
            out("Code42.UsersRemovedFromWatchlists.Username", "String", "The username."),
            out("Code42.UsersRemovedFromWatchlists.Success", "Boolean", "Whether the user was removed."),
        ],
        writes: true,
    },
    CommandSpec {
        name: "code42-watchlists-list-included-users",
        aliases: &[],
        description: "List the users on a watchlist.",
        args: &[WATCHLIST],
        outputs: &[
            out("Code42.WatchlistUsers.WatchlistID", "String", "The watchlist ID."),
            out("Code42.WatchlistUsers.Username", "String", "The username."),
            out("Code42.WatchlistUsers.AddedTime", "Date", "When the user was added."),
        ],
        writes: false,
    },
    CommandSpec {
        name: "code42-user-get-risk-profile",
        aliases: &["code42-get-user-risk-profile"],
        description: "Get the risk profile of a user.",
        args: &[USERNAME],
        outputs: &[
            out("Code42.UserRiskProfiles.Username", "String", "The username."),
            out("Code42.UserRiskProfiles.StartDate", "Date", "The start date."),
            out("Code42.UserRiskProfiles.EndDate", "Date", "The end date."),
            out("Code42.UserRiskProfiles.Notes", "String", "Notes on the profile."),
        ],
        writes: false,
    },
    CommandSpec {
        name: "code42-user-update-risk-profile",
        aliases: &[],
        description: "Update the risk profile of a user; an empty value clears the field.",
        args: &[
            USERNAME,
            arg("start_date", "The start date (YYYY-MM-DD)."),
            arg("end_date", "The end date (YYYY-MM-DD)."),
            arg("notes", "Notes on the profile."),
        ],
        outputs: &[
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
        writes: true,
    },
];

/// The command of that name or alias.
pub fn find_command(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name || c.aliases.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for c in COMMANDS {
            for n in std::iter::once(&c.name).chain(c.aliases) {
                assert!(seen.insert(*n), "{n} twice");
            }
        }
        assert_eq!(COMMANDS.len(), 30);
    }

    #[test]
    fn the_old_risk_profile_name_is_an_alias() {
        assert_eq!(find_command("code42-get-user-risk-profile").unwrap().name, "code42-user-get-risk-profile");
    }

    #[test]
    fn defaults_are_among_the_possible_values() {
        for c in COMMANDS {
            for a in c.args {
                if let (Some(d), false) = (a.default, a.possible.is_empty()) {
                    assert!(a.possible.contains(&d), "{} {}", c.name, a.name);
                }
            }
        }
    }
}
