//! The simulated tenant: everything the API serves, in memory, changed by writes.

mod generate;

pub(crate) use generate::uuid;
pub use generate::{SessionSpec, WATCHLIST_TYPES, add_session, generate};

use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A user of the gateway's `/v1/users` and the console's `/api/v1/User`.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    #[serde(rename = "userId")]
    pub user_id: String,
    /// The console's legacy integer id.
    #[serde(skip)]
    pub legacy_id: i64,
    pub username: String,
    #[serde(rename = "firstName")]
    pub first_name: String,
    #[serde(rename = "lastName")]
    pub last_name: String,
    #[serde(rename = "orgId")]
    pub org_id: String,
    pub active: bool,
    pub blocked: bool,
}

/// An actor: the identity events and sessions are attributed to.
#[derive(Debug, Clone)]
pub struct Actor {
    pub actor_id: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub notes: Option<String>,
    /// Set on alias actors (a second account of a person); `/name/{n}/parent` resolves to it.
    pub parent_actor_id: Option<String>,
}

impl Actor {
    pub fn to_json(&self) -> Value {
        json!({
            "actorId": self.actor_id,
            "name": self.name,
            "active": true,
            "startDate": self.start_date,
            "endDate": self.end_date,
            "notes": self.notes,
            "alternateNames": [],
            "inScope": true,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "title": null,
            "division": null,
            "department": "Engineering",
            "employeeType": "full-time",
            "locality": null,
            "region": null,
            "country": "US",
            "managerActorId": null,
            "parentActorId": self.parent_actor_id,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub source: String,
    pub enabled: bool,
}

impl Rule {
    pub fn to_json(&self) -> Value {
        json!({
            "createdAt": "2024-06-10T17:06:15.3250920Z",
            "createdBy": "admin@example.com",
            "modifiedAt": "2024-06-10T17:09:01.1308010Z",
            "modifiedBy": "admin@example.com",
            "isSystemRule": false,
            "id": self.id,
            "name": self.name,
            "description": "",
            "isEnabled": self.enabled,
            "source": self.source,
            "notifications": {"isEnabled": true, "contacts": [{"isEnabled": true, "type": "Email", "address": "secops@example.com"}]},
            "filters": {"riskIndicator": {"categories": [], "indicators": ["Sent from corporate Microsoft Office 365"], "criteriaOrder": 1}},
        })
    }
}

/// An alert session, serialised with the API's camelCase names.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub session_id: String,
    pub tenant_id: String,
    pub actor_id: String,
    /// Sent since mid-2026; `None` as an older tenant answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    pub begin_time: i64,
    pub end_time: i64,
    pub first_observed: i64,
    pub last_updated: i64,
    pub no_risk_events: u32,
    pub low_events: u32,
    pub moderate_events: u32,
    pub high_events: u32,
    pub critical_events: u32,
    pub notes: Vec<Value>,
    pub risk_indicators: Vec<Value>,
    pub scores: Vec<Value>,
    pub triggered_alerts: Vec<Value>,
    pub states: Vec<Value>,
    pub exfiltration_summary: String,
    pub context_summary: String,
    pub content_inspection_results: Value,
}

impl Session {
    /// The state of the latest `states[]` entry.
    pub fn state(&self) -> &str {
        self.states
            .iter()
            .max_by_key(|s| s["sourceTimestamp"].as_i64().unwrap_or(0))
            .and_then(|s| s["state"].as_str())
            .unwrap_or("OPEN")
    }

    /// The highest score severity (0–4).
    pub fn severity(&self) -> i64 {
        self.scores.iter().filter_map(|s| s["severity"].as_i64()).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct WatchlistMember {
    pub actor_id: String,
    pub added_time: String,
}

#[derive(Debug, Clone)]
pub struct Watchlist {
    pub watchlist_id: String,
    pub list_type: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub included: Vec<WatchlistMember>,
}

impl Watchlist {
    pub fn to_json(&self, tenant_id: &str) -> Value {
        json!({
            "watchlistId": self.watchlist_id,
            "listType": self.list_type,
            "tenantId": tenant_id,
            "title": self.title,
            "description": self.description,
            "stats": {"includedActorsCount": self.included.len(), "excludedActorsCount": 0},
        })
    }
}

#[derive(Debug, Clone)]
pub struct Custodian {
    pub user_id: String,
    pub active: bool,
    pub since: String,
}

#[derive(Debug, Clone)]
pub struct Matter {
    pub matter_id: String,
    pub name: String,
    pub description: String,
    pub active: bool,
    pub creation_date: String,
    pub custodians: Vec<Custodian>,
}

/// An agent: the Incydr software on one device of a user.
#[derive(Debug, Clone)]
pub struct Agent {
    pub agent_id: String,
    pub name: String,
    pub user_id: String,
    pub os_hostname: String,
    pub os_name: String,
    pub machine_id: String,
    pub serial_number: String,
    pub active: bool,
    /// Empty when healthy.
    pub health_issues: Vec<String>,
    pub last_connected: String,
    pub creation_date: String,
}

/// A case: an investigation of a user, with the file events attached to it.
#[derive(Debug, Clone)]
pub struct Case {
    pub number: u64,
    pub name: String,
    pub status: String,
    /// User ids.
    pub subject: Option<String>,
    pub assignee: Option<String>,
    pub description: Option<String>,
    pub findings: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Ids of attached file events, in the order they were attached.
    pub events: Vec<String>,
}

/// A console organisation.
#[derive(Debug, Clone)]
pub struct Org {
    pub org_id: i64,
    pub org_uid: String,
    pub name: String,
}

/// Everything the simulated tenant holds.
#[derive(Debug, Clone, Default)]
pub struct Tenant {
    pub tenant_id: String,
    pub users: Vec<User>,
    pub actors: Vec<Actor>,
    pub rules: Vec<Rule>,
    pub sessions: Vec<Session>,
    /// File events by session id, v2 shape.
    pub session_events: BTreeMap<String, Vec<Value>>,
    /// File contents by SHA-256 (lower-case hex).
    pub files: BTreeMap<String, Vec<u8>>,
    /// File contents by exfiltrated-file content id.
    pub xfc_files: BTreeMap<String, Vec<u8>>,
    pub watchlists: Vec<Watchlist>,
    pub matters: Vec<Matter>,
    pub cases: Vec<Case>,
    pub agents: Vec<Agent>,
    /// The audit log, oldest first, each event as the API sends it.
    pub audit_events: Vec<Value>,
    /// Trusted activities as the API sends them.
    pub trusted_activities: Vec<Value>,
    pub orgs: Vec<Org>,
    /// Counter behind ids minted by writes.
    pub next_serial: u64,
}

impl Tenant {
    pub fn actor_by_id(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.actor_id == id)
    }

    pub fn actor_by_name(&self, name: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.user_id == id)
    }

    /// A file event of any session, by its id.
    pub fn file_event(&self, id: &str) -> Option<&Value> {
        self.session_events.values().flatten().find(|e| e.pointer("/event/id").and_then(Value::as_str) == Some(id))
    }

    pub fn case(&self, number: u64) -> Option<&Case> {
        self.cases.iter().find(|c| c.number == number)
    }

    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.session_id == id)
    }

    /// Answers as a tenant from before mid-2026 does, for the sessions so far: no `actorName` on
    /// sessions, no `ruleName` on their triggered alerts.
    pub fn drop_names(&mut self) {
        for session in &mut self.sessions {
            session.actor_name = None;
            for alert in &mut session.triggered_alerts {
                if let Some(alert) = alert.as_object_mut() {
                    alert.remove("ruleName");
                }
            }
        }
    }

    /// The open alerts: sessions in state OPEN that triggered alerts.
    pub fn open_alerts(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| !s.triggered_alerts.is_empty() && s.state() == "OPEN")
    }

    /// Every file event of the tenant, in session order.
    pub fn all_events(&self) -> impl Iterator<Item = &Value> {
        self.session_events.values().flatten()
    }

    /// A fresh id for something created by a write.
    /// Moves a session to `state` now (after its latest state), as `user` (`None`: the API
    /// client). False when there is no such session.
    pub fn change_state(&mut self, session_id: &str, state: &str, user: Option<&str>) -> bool {
        let Some(session) = self.sessions.iter_mut().find(|s| s.session_id == session_id) else { return false };
        let latest = session.states.iter().filter_map(|s| s["sourceTimestamp"].as_i64()).max().unwrap_or(0);
        let at = later_than(latest.max(session.last_updated));
        session.states.push(serde_json::json!({"state": state, "sourceTimestamp": at, "userId": user}));
        session.last_updated = at;
        true
    }

    /// Adds a note to a session now, written by `user`; the note as the API shows it.
    pub fn add_note(&mut self, session_id: &str, content: &str, user: &str) -> Option<Value> {
        let id = self.mint("note");
        let session = self.sessions.iter_mut().find(|s| s.session_id == session_id)?;
        let latest = session.notes.iter().filter_map(|n| n["sourceTimestamp"].as_i64()).max().unwrap_or(0);
        let at = later_than(latest.max(session.last_updated));
        let note = serde_json::json!({"id": id, "content": content, "sourceTimestamp": at, "userId": user});
        session.notes.push(note.clone());
        session.last_updated = at;
        Some(note)
    }

    pub fn mint(&mut self, prefix: &str) -> String {
        self.next_serial += 1;
        format!("{prefix}-{:08}", self.next_serial)
    }
}

/// Now, in epoch ms, but never at or before `previous`: a session's history stays in order
/// even when two changes fall in the same millisecond.
fn later_than(previous: i64) -> i64 {
    chrono::Utc::now().timestamp_millis().max(previous + 1)
}
