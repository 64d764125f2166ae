//! The instance parameters, in the reference's order, then ours.

use super::{CredentialPart, ParamKind, ParamSpec, param};
use crate::params::MirrorDirection;

pub static PARAMS: &[ParamSpec] = &[
    param(
        "console_url",
        "Code42 Console URL for your Code42 environment",
        ParamKind::Text,
        "Console host, e.g. console.us.code42.com (https:// is assumed; write http:// only for a test tenant).",
    )
    .required()
    .default("console.us.code42.com")
    .section("Connect"),
    param(
        "api_url",
        "API Gateway URL for your Code42 environment",
        ParamKind::Text,
        "API gateway host. Derived from the console host (console.* becomes api.*) when absent.",
    )
    .xsoar_required_with("api.us.code42.com")
    .section("Connect"),
    param("client_id", "API Client ID", ParamKind::Text, "Incydr API client id; starts with 'key-'.")
        .required()
        .credential(CredentialPart::Identifier)
        .section("Connect"),
    param("client_secret", "API Client Secret", ParamKind::Secret, "Incydr API client secret.")
        .required()
        .credential(CredentialPart::Password)
        .section("Connect"),
    // The network's parameters are the host's business (trust and proxies live in the host's
    // network layer); the integration declares them so every face offers them.
    param(
        "insecure",
        "Trust any certificate (not secure)",
        ParamKind::Boolean,
        "Accept any TLS certificate from Code42 (or an inspecting proxy). Not secure: for tests only.",
    )
    .default("false")
    .section("Connect"),
    param(
        "proxy",
        "Use system proxy settings",
        ParamKind::Boolean,
        "Send requests through the proxies in HTTPS_PROXY / HTTP_PROXY (honouring NO_PROXY); without it \
         those variables are ignored.",
    )
    .default("false")
    .section("Connect"),
    param(
        "ca_file",
        "Trusted CA certificates (PEM file)",
        ParamKind::Text,
        "A PEM bundle of certificate authorities to trust besides the system's and the public web's, such \
         as a TLS-inspecting proxy's.",
    )
    .section("Connect"),
    param("incident_type", "Incident type", ParamKind::IncidentType, "Type given to fetched incidents.")
        .xsoar_as("incidentType", 13)
        .section("Collect"),
    param(
        "alert_severity",
        "Alert severities to fetch when fetching incidents",
        ParamKind::MultiSelect,
        "Only sessions with these severities become incidents; none selected means all.",
    )
    .options(&["Critical", "High", "Moderate", "Low"])
    .section("Collect"),
    param(
        "fetch_time",
        "First fetch time range (<number> <time unit>, e.g., 1 hour, 30 minutes)",
        ParamKind::Text,
        "How far back the first fetch looks.",
    )
    .default("24 hours")
    .section("Collect"),
    param(
        "fetch_limit",
        "Alerts to fetch per run; note that increasing this value may result in slow performance if too many \
         results are returned at once",
        ParamKind::Integer,
        "Incidents emitted per fetch; the rest wait for the next run.",
    )
    .default("5")
    .section("Collect"),
    param(
        "include_files",
        "Include the list of files in returned incidents.",
        ParamKind::Boolean,
        "Attach each session's file events to its incident.",
    )
    .default("false")
    .section("Collect"),
    param("incident_fetch_interval", "Incidents Fetch Interval", ParamKind::Interval, "Minutes between fetches.")
        .default("3")
        .xsoar_as("incidentFetchInterval", 19)
        .section("Collect"),
    param(
        "mirror_direction",
        "Incident Mirroring Direction",
        ParamKind::SingleSelect,
        "Keep incidents and their Code42 alert sessions in step: notes and states from Code42 (Incoming), \
         entries and closing to Code42 (Outgoing), or both.",
    )
    .options(MirrorDirection::OPTIONS)
    .default("None")
    .section("Collect"),
    param(
        "close_incident",
        "Close Mirrored XSOAR Incident",
        ParamKind::Boolean,
        "When the alert session is closed in Code42, close the incident too.",
    )
    .default("false")
    .section("Collect"),
    param(
        "close_out",
        "Close Mirrored Code42 Alert",
        ParamKind::Boolean,
        "When the incident is closed, close its alert session in Code42 (False Positive: CLOSED_FP, \
         Resolved: CLOSED_TP, anything else: CLOSED).",
    )
    .default("false")
    .section("Collect"),
    param(
        "comment_tag",
        "Comment Entry Tag",
        ParamKind::Text,
        "Incident entries with this tag become notes on the Code42 alert session.",
    )
    .default("comment")
    .section("Collect"),
    param(
        "mirror_instance",
        "Mirroring instance",
        ParamKind::Text,
        "The name of the instance that mirrors; the XSOAR integration fills it in.",
    )
    .hidden_in_xsoar()
    .section("Collect"),
    param(
        "mirror_window",
        "Mirroring window (<number> <time unit>)",
        ParamKind::Text,
        "How far back, by begin time, alert sessions are checked for changes to mirror.",
    )
    .default("30 days")
    .section("Collect"),
    param(
        "fetch_look_back",
        "Fetch look-back (<number> <time unit>)",
        ParamKind::Text,
        "How far before the last fetched alert each fetch queries again, because a session's begin time can \
         precede the moment Code42 observes it. Already fetched alerts are never repeated.",
    )
    .default("24 hours")
    .section("Collect"),
    param(
        "v2_events",
        "Use v2 file events",
        ParamKind::Boolean,
        "Attach file events in the v2 shape (true) or the legacy v1 flat shape (false).",
    )
    .default("true")
    .section("Collect"),
    param(
        "max_response_mib",
        "Largest API answer (MiB)",
        ParamKind::Integer,
        "API answers larger than this are refused rather than read.",
    )
    .default("16")
    .section("Optimize"),
    param(
        "max_download_mib",
        "Largest file download (MiB)",
        ParamKind::Integer,
        "Downloads larger than this are refused rather than read.",
    )
    .default("64")
    .section("Optimize"),
    param(
        "token_cache",
        "Keep OAuth tokens between runs",
        ParamKind::Boolean,
        "Reuse a still-valid OAuth token in the next run instead of asking Code42 for a new one: the host keeps \
         it in its cache directory (0600), the XSOAR integration in its integration context.",
    )
    .default("true")
    .section("Optimize"),
    param(
        "max_concurrent_requests",
        "Requests in flight at once",
        ParamKind::Integer,
        "How many independent requests to Code42 may be in flight together (session events, actor and rule \
         lookups, watchlist members); 1 sends them one at a time.",
    )
    .default("8")
    .section("Optimize"),
];
