//! A deterministic tenant from a seed and an anchor time: the same inputs give the same data.

use super::*;
use md5::Md5;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

const FIRST: &[&str] =
    &["ada", "grace", "alan", "barbara", "edsger", "frances", "donald", "margaret", "ken", "radia", "linus", "hedy"];
const LAST: &[&str] =
    &["lovelace", "hopper", "turing", "liskov", "dijkstra", "allen", "knuth", "hamilton", "thompson", "perlman"];

const RULES: &[(&str, &str)] = &[
    ("Departing employee exfiltration", "Departing Employee"),
    ("Cloud share to personal account", "Alerting"),
    ("Removable media copy", "Alerting"),
    ("Source code upload", "Alerting"),
    ("Salesforce report download", "Alerting"),
    ("High impact employee activity", "High Impact Employee"),
];

/// (summary, vector, event action, destination category, file category, extension)
const ACTIVITIES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "document file(s) shared via link from corporate Box",
        "SHARED_VIA_LINK",
        "file-shared",
        "Cloud Storage",
        "Document",
        "docx",
    ),
    (
        "file(s) copied to removable media",
        "REMOVABLE_MEDIA",
        "removable-media-created",
        "Removable Media",
        "Archive",
        "zip",
    ),
    (
        "source code file(s) uploaded to personal GitHub",
        "UPLOADED",
        "file-uploaded",
        "Source Code Repository",
        "SourceCode",
        "rs",
    ),
    (
        "spreadsheet(s) downloaded from corporate Salesforce",
        "DOWNLOADED",
        "file-downloaded",
        "Device",
        "Spreadsheet",
        "xlsx",
    ),
    ("file(s) emailed to a personal account", "EMAILED", "file-emailed", "Personal Email", "Pdf", "pdf"),
];

pub const WATCHLIST_TYPES: &[&str] = &[
    "DEPARTING_EMPLOYEE",
    "HIGH_IMPACT_EMPLOYEE",
    "FLIGHT_RISK",
    "PERFORMANCE_CONCERNS",
    "POOR_SECURITY_PRACTICES",
    "ELEVATED_ACCESS_PRIVILEGES",
    "CONTRACT_EMPLOYEE",
    "SUSPICIOUS_SYSTEM_ACTIVITY",
    "NEW_EMPLOYEE",
];

const RISK_SEVERITIES: [&str; 5] = ["NO_RISK_INDICATED", "LOW", "MODERATE", "HIGH", "CRITICAL"];
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// What a session added by a test looks like; unset fields are drawn from the seed.
#[derive(Debug, Clone, Default)]
pub struct SessionSpec {
    pub actor_id: Option<String>,
    pub begin_time: i64,
    pub first_observed: i64,
    pub severity: Option<i64>,
    pub state: Option<String>,
    /// Without triggered alerts the session is filtered out by `has_alerts=true`.
    pub no_alerts: bool,
    pub events: Option<usize>,
}

pub(crate) fn uuid(rng: &mut ChaCha8Rng) -> String {
    let b: [u8; 16] = rng.random();
    let h = hex::encode(b);
    format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    let mut s = rng.random_range(1..=9).to_string();
    for _ in 1..n {
        s.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    s
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The tenant of `seed`, with `sessions` alert sessions spread over the ten days before `now_ms`.
pub fn generate(seed: u64, now_ms: i64, sessions: usize) -> (Tenant, ChaCha8Rng) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut t = Tenant { tenant_id: uuid(&mut rng), ..Default::default() };

    for (i, name) in ["TestCortexOrg", "New Users Org", "Engineering"].iter().enumerate() {
        t.orgs.push(Org { org_id: 2600 + i as i64, org_uid: digits(&mut rng, 18), name: name.to_string() });
    }

    for i in 0..24 {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i * 7 + i / FIRST.len()) % LAST.len()]);
        let username = format!("{first}.{last}@example.com");
        let user = User {
            user_id: digits(&mut rng, 18),
            legacy_id: 100_000 + i as i64,
            username: username.clone(),
            first_name: first.to_string(),
            last_name: last.to_string(),
            org_id: t.orgs[i % t.orgs.len()].org_uid.clone(),
            active: i % 11 != 10,
            blocked: false,
        };
        let departing = i % 6 == 1;
        t.actors.push(Actor {
            actor_id: uuid(&mut rng),
            name: username,
            first_name: first.to_string(),
            last_name: last.to_string(),
            start_date: Some(format!("20{:02}-0{}-1{}", 15 + i % 9, 1 + i % 9, i % 10)),
            end_date: departing.then(|| iso(now_ms + (i as i64 % 3) * DAY)[..10].to_string()),
            notes: departing.then(|| "Resigned; last day agreed with HR".to_string()),
            parent_actor_id: None,
        });
        t.users.push(user);
    }
    // Second accounts of a few people: `/name/{alias}/parent` answers the main actor.
    for i in [0usize, 3, 7] {
        let parent = t.actors[i].clone();
        t.actors.push(Actor {
            actor_id: uuid(&mut rng),
            name: format!("{}.{}@personal-cloud.example", parent.first_name, parent.last_name),
            start_date: None,
            end_date: None,
            notes: None,
            parent_actor_id: Some(parent.actor_id.clone()),
            ..parent
        });
    }

    for (name, source) in RULES {
        t.rules.push(Rule { id: uuid(&mut rng), name: name.to_string(), source: source.to_string(), enabled: true });
    }

    for _ in 0..sessions {
        // Two in five sessions fall within the last day, so a default first fetch finds some.
        let age =
            if rng.random_bool(0.4) { rng.random_range(10 * 60_000..DAY) } else { rng.random_range(DAY..10 * DAY) };
        let begin = now_ms - age;
        let observed = (begin + rng.random_range(60_000..6 * HOUR)).min(now_ms - 60_000).max(begin);
        add_session(
            &mut t,
            &mut rng,
            &SessionSpec { begin_time: begin, first_observed: observed, ..Default::default() },
        );
    }

    let member_pool: Vec<String> =
        t.actors.iter().filter(|a| a.parent_actor_id.is_none()).map(|a| a.actor_id.clone()).collect();
    for (i, list_type) in WATCHLIST_TYPES.iter().enumerate() {
        let mut included = Vec::new();
        for (j, actor_id) in member_pool.iter().enumerate() {
            if (j + i) % 5 == 0 {
                let added = now_ms - rng.random_range(DAY..300 * DAY);
                included.push(WatchlistMember { actor_id: actor_id.clone(), added_time: iso(added) });
            }
        }
        t.watchlists.push(Watchlist {
            watchlist_id: uuid(&mut rng),
            list_type: list_type.to_string(),
            title: None,
            description: None,
            included,
        });
    }
    t.watchlists.push(Watchlist {
        watchlist_id: uuid(&mut rng),
        list_type: "CUSTOM".into(),
        title: Some("Contractors Q3".into()),
        description: Some("Contractors with access to the Q3 roadmap".into()),
        included: vec![WatchlistMember { actor_id: member_pool[2].clone(), added_time: iso(now_ms - 20 * DAY) }],
    });

    for (name, active, custodians) in [
        ("Patent Lawsuit", true, vec![0usize, 5]),
        ("Patent Lawsuit - Appeal", true, vec![1]),
        ("Acme Merger Review", true, vec![4]),
        ("Old Audit 2019", false, vec![]),
    ] {
        let custodians = custodians
            .into_iter()
            .map(|u| Custodian { user_id: t.users[u].user_id.clone(), active: true, since: iso(now_ms - 90 * DAY) })
            .collect();
        t.matters.push(Matter {
            matter_id: digits(&mut rng, 18),
            name: name.to_string(),
            description: format!("{name} (simulated)"),
            active,
            creation_date: iso(now_ms - 400 * DAY),
            custodians,
        });
    }

    // Two cases: one open with two file events attached, one closed.
    let events: Vec<String> = t
        .session_events
        .values()
        .flatten()
        .filter_map(|e| e.pointer("/event/id")?.as_str().map(String::from))
        .collect();
    for (number, status, attached) in [(1, "OPEN", events.iter().take(2).cloned().collect()), (2, "CLOSED", vec![])] {
        t.cases.push(Case {
            number,
            name: format!("Simulated investigation {number}"),
            status: status.to_string(),
            subject: Some(t.users[number as usize].user_id.clone()),
            assignee: Some(t.users[0].user_id.clone()),
            description: Some("Files copied before departure".into()),
            findings: Some("Copied **design documents** to a USB drive.".into()),
            created_at: iso(now_ms - 5 * DAY),
            updated_at: iso(now_ms - 4 * DAY),
            events: attached,
        });
    }

    add_agents_and_audit_log(&mut t, seed, now_ms);
    for (id, kind, value, actions) in [
        ("7001", "DOMAIN", "corp.example", json!([{"name": "DEFAULT", "activityActions": [{"type": "FILE_UPLOAD"}]}])),
        ("7002", "SLACK", "corp-workspace", json!([])),
    ] {
        t.trusted_activities.push(json!({
            "activityId": id, "type": kind, "value": value, "description": "Seeded", "isHighValueSource": false,
            "activityActionGroups": actions, "principalType": "USER", "updateTime": iso(now_ms - 30 * DAY),
            "updatedByPrincipalId": t.users[0].user_id, "updatedByPrincipalName": t.users[0].username,
        }));
    }

    for _ in 0..3 {
        let id = hex::encode(rng.random::<[u8; 16]>());
        let content = format!("exfiltrated file content {id}\n").repeat(32).into_bytes();
        t.xfc_files.insert(id, content);
    }
    (t, rng)
}

/// One or two agents per user (a few deactivated, a few with health issues), and 150 audit
/// events over the last ten days. From a generator of their own, so that the rest of the tenant
/// stays what the same seed always gave.
fn add_agents_and_audit_log(t: &mut Tenant, seed: u64, now_ms: i64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xa9e7);
    for (i, user) in t.users.iter().enumerate() {
        for device in 0..1 + usize::from(i % 4 == 0) {
            let (os, host) = if (i + device) % 3 == 0 { ("Mac OS X", "mbp") } else { ("Windows 11", "win") };
            let health_issues = if i % 5 == 2 { vec!["NOT_CONNECTING".to_string()] } else { vec![] };
            t.agents.push(Agent {
                agent_id: digits(&mut rng, 18),
                name: format!("{}-{host}-{device}", user.first_name.to_lowercase()),
                user_id: user.user_id.clone(),
                os_hostname: format!("{host}-{i:03}-{device}.corp.example"),
                os_name: os.to_string(),
                machine_id: uuid(&mut rng),
                serial_number: format!("C02X{:06}", rng.random_range(0..1_000_000)),
                active: i % 9 != 8,
                health_issues,
                last_connected: iso(now_ms - rng.random_range(0..3 * DAY)),
                creation_date: iso(now_ms - 300 * DAY),
            });
        }
    }
    const TYPES: &[&str] = &[
        "audit_log::logged_in/1",
        "audit_log::logged_out/1",
        "audit_log::file_event_search/1",
        "audit_log::alert_state_changed/1",
        "audit_log::case_viewed/1",
    ];
    let mut times: Vec<i64> = (0..150).map(|_| now_ms - rng.random_range(0..10 * DAY)).collect();
    times.sort();
    for ts in times {
        let actor = &t.users[rng.random_range(0..4)];
        let kind = TYPES[rng.random_range(0..TYPES.len())];
        t.audit_events.push(json!({
            "type$": kind,
            "actorId": actor.user_id,
            "actorName": actor.username,
            "actorAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)",
            "actorIpAddress": format!("203.0.113.{}", rng.random_range(1..255)),
            "timestamp": iso(ts),
            "actorType": "USER",
            "resourceId": (kind == "audit_log::case_viewed/1").then(|| t.cases[0].number.to_string()),
        }));
    }
}

/// Adds a session (and its file events and files) and returns its id.
pub fn add_session(t: &mut Tenant, rng: &mut ChaCha8Rng, spec: &SessionSpec) -> String {
    let session_id = uuid(rng);
    let person = rng.random_range(0..t.users.len());
    let actor_id = spec.actor_id.clone().unwrap_or_else(|| t.actors[person].actor_id.clone());
    let username = t.actor_by_id(&actor_id).map(|a| a.name.clone()).unwrap_or_default();
    let severity = spec.severity.unwrap_or_else(|| [1, 2, 2, 3, 3, 4][rng.random_range(0..6)]);
    let state = spec.state.clone().unwrap_or_else(|| {
        let r = rng.random_range(0..10);
        (match r {
            0 => "CLOSED_TP",
            1 => "OPEN_NEW_DATA",
            _ => "OPEN",
        })
        .to_string()
    });
    let activity = ACTIVITIES[rng.random_range(0..ACTIVITIES.len())];
    let event_count = spec.events.unwrap_or_else(|| rng.random_range(1..=4));

    let mut scores =
        vec![json!({"score": severity * 3 + 1, "severity": severity, "sourceTimestamp": spec.first_observed})];
    if severity > 1 && rng.random_bool(0.5) {
        scores.insert(0, json!({"score": 2, "severity": severity - 1, "sourceTimestamp": spec.begin_time}));
    }
    let triggered = if spec.no_alerts {
        vec![]
    } else {
        let count = rng.random_range(1..=2);
        (0..count)
            .map(|_| {
                let rule = &t.rules[rng.random_range(0..t.rules.len())];
                json!({"alertId": uuid(rng), "ruleId": rule.id, "ruleName": rule.name, "lessonId": null})
            })
            .collect()
    };

    let mut events = Vec::new();
    for n in 0..event_count {
        let ts = spec.begin_time + n as i64 * 1_000;
        let (event, sha256, content) = file_event(rng, &username, activity, ts, severity);
        t.files.insert(sha256, content);
        events.push(event);
    }
    let session = Session {
        session_id: session_id.clone(),
        tenant_id: t.tenant_id.clone(),
        actor_id,
        actor_name: Some(username.clone()).filter(|name| !name.is_empty()),
        begin_time: spec.begin_time,
        end_time: spec.begin_time + event_count as i64 * 1_000,
        first_observed: spec.first_observed,
        last_updated: spec.first_observed,
        no_risk_events: 0,
        low_events: u32::from(severity == 1) * event_count as u32,
        moderate_events: u32::from(severity == 2) * event_count as u32,
        high_events: u32::from(severity == 3) * event_count as u32,
        critical_events: u32::from(severity == 4) * event_count as u32,
        notes: vec![],
        risk_indicators: vec![json!({"id": activity.4, "name": activity.4, "weight": 0, "eventCount": event_count})],
        scores,
        triggered_alerts: triggered,
        states: vec![json!({"state": state, "sourceTimestamp": spec.first_observed, "userId": null})],
        exfiltration_summary: format!("{event_count} {}", activity.0),
        context_summary: String::new(),
        content_inspection_results: json!({"detectedOnAlerts": if severity >= 3 { vec!["PII"] } else { vec![] }}),
    };
    t.session_events.insert(session_id.clone(), events);
    t.sessions.push(session);
    session_id
}

type Activity = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

/// A v2 file event shaped like the API's (the SDK requires `file.url` and non-null
/// `risk.untrustedValues` lists), with the bytes of its file.
fn file_event(
    rng: &mut ChaCha8Rng,
    username: &str,
    activity: Activity,
    ts: i64,
    severity: i64,
) -> (Value, String, Vec<u8>) {
    let (_, vector, action, destination, category, ext) = activity;
    let name = format!(
        "{}-{}.{ext}",
        ["roadmap", "customers", "payroll", "design", "contracts"][rng.random_range(0..5)],
        rng.random_range(100..999)
    );
    let content =
        format!("{name}: simulated confidential content {}\n", uuid(rng)).repeat(rng.random_range(4..64)).into_bytes();
    let sha256 = hex::encode(Sha256::digest(&content));
    let md5 = hex::encode(Md5::digest(&content));
    let score = severity * 3 + rng.random_range(0..3);
    let event = json!({
        "@timestamp": iso(ts),
        "destination": {
            "accountName": null, "accountType": null, "category": destination, "domains": [],
            "email": {"recipients": null, "subject": null}, "ip": null, "name": destination, "operatingSystem": null,
            "printJobName": null, "printerName": null, "printedFilesBackupPath": null, "privateIp": [],
            "removableMedia": {"busType": null, "capacity": null, "mediaName": null, "name": null, "partitionId": [], "serialNumber": null, "vendor": null, "volumeName": []},
            "tabs": [], "user": {"email": []}
        },
        "event": {
            "action": action, "id": format!("{}_EPS", uuid(rng)), "ingested": iso(ts + 2_000), "inserted": iso(ts + 60_000),
            "observer": "Endpoint", "relatedEvents": null, "shareType": [], "vector": vector, "detectorDisplayName": null
        },
        "file": {
            "acquiredFrom": [], "category": category, "categoryByBytes": category, "categoryByExtension": category,
            "changeType": "CREATED", "classifications": [], "cloudDriveId": null, "created": iso(ts - 86_400_000), "directory": "/Users/shared/",
            "directoryId": [], "hash": {"md5": md5, "md5Error": null, "sha256": sha256, "sha256Error": null},
            "id": null, "mimeTypeByBytes": null, "mimeTypeByExtension": null, "modified": iso(ts - 3_600_000), "name": name,
            "owner": username, "sizeInBytes": content.len(), "url": null, "originalName": null, "originalDirectory": null, "mimeType": null
        },
        "process": {"executable": null, "owner": null},
        "risk": {
            "indicators": [{"name": category, "weight": 0, "id": category}],
            "score": score, "severity": RISK_SEVERITIES[severity.clamp(0, 4) as usize],
            "trustReason": null, "trusted": false, "preventativeControl": null,
            "untrustedValues": {"accountNames": [], "domains": [], "gitRepositoryUris": [], "slackWorkspaces": [], "urlPaths": []}
        },
        "source": {
            "accountName": null, "accountType": null, "category": "Device", "domain": null, "domains": [],
            "email": {"from": null, "sender": null}, "ip": "10.0.0.12", "name": format!("{}-laptop", username.split('@').next().unwrap_or("host")),
            "operatingSystem": "macOS", "privateIp": ["10.0.0.12"],
            "removableMedia": {"busType": null, "capacity": null, "mediaName": null, "name": null, "partitionId": [], "serialNumber": null, "vendor": null, "volumeName": []},
            "tabs": [], "user": {"email": []}
        },
        "user": {"deviceUid": digits(rng, 18), "email": username, "id": digits(rng, 18)},
        "git": {"eventId": null, "lastCommitHash": null, "repositoryEmail": null, "repositoryEndpointPath": null, "repositoryUri": null, "repositoryUser": null}
    });
    (event, sha256, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_tenant() {
        let (a, _) = generate(7, 1_700_000_000_000, 30);
        let (b, _) = generate(7, 1_700_000_000_000, 30);
        let (c, _) = generate(8, 1_700_000_000_000, 30);
        let ids = |t: &Tenant| t.sessions.iter().map(|s| s.session_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_ne!(ids(&a), ids(&c));
        assert_eq!(a.session_events, b.session_events);
    }

    #[test]
    fn sessions_are_observed_after_they_begin_and_files_match_their_hashes() {
        let (t, _) = generate(1, 1_700_000_000_000, 50);
        assert_eq!(t.sessions.len(), 50);
        for s in &t.sessions {
            assert!(s.first_observed >= s.begin_time);
            for e in &t.session_events[&s.session_id] {
                let sha = e["file"]["hash"]["sha256"].as_str().unwrap();
                assert_eq!(hex::encode(Sha256::digest(&t.files[sha])), sha);
            }
        }
        assert!(t.watchlists.iter().any(|w| w.list_type == "DEPARTING_EMPLOYEE" && !w.included.is_empty()));
    }
}
