//! The HTTP surface: one router per listener, behind a gate that logs, injects faults and checks
//! bearer tokens.

mod actors;
mod admin;
mod agents;
mod audit;
mod cases;
mod console;
mod file_events;
mod files;
mod legal_hold;
mod query;
mod sessions;
mod trusted_activities;
mod users;
mod watchlists;

use crate::auth::{Service, basic_credentials};
use crate::faults::Fault;
use crate::{RequestRecord, Shared, lock_shared};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

pub(crate) type AppState = State<Arc<Shared>>;

pub(crate) fn gateway(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/oauth", post(gateway_token))
        .route("/v1/sessions", get(sessions::list))
        .route("/v1/sessions/change-state", post(sessions::change_state))
        .route("/v1/sessions/{id}", get(sessions::get))
        .route("/v1/sessions/{id}/events", get(sessions::events))
        .route("/v1/sessions/{id}/add-note", post(sessions::add_note))
        .route("/v1/actors/actor/search", get(actors::search))
        .route("/v1/actors/actor/id/{id}", get(actors::by_id).patch(actors::update))
        .route("/v1/actors/actor/id/{id}/parent", get(actors::parent_by_id))
        .route("/v1/actors/actor/name/{name}/parent", get(actors::parent_by_name))
        .route("/v2/alert-rules", get(actors::rules))
        .route("/v2/alert-rules/enable", post(actors::enable_rules))
        .route("/v2/alert-rules/disable", post(actors::disable_rules))
        .route("/v2/alert-rules/{id}", get(actors::rule))
        .route("/v1/agents", get(agents::list))
        .route("/v1/agents/activate", post(agents::activate))
        .route("/v1/agents/deactivate", post(agents::deactivate))
        .route("/v1/agents/{id}", get(agents::get))
        .route("/v2/trusted-activities", get(trusted_activities::list).post(trusted_activities::create))
        .route("/v2/trusted-activities/{id}", get(trusted_activities::get).delete(trusted_activities::delete))
        .route("/v1/audit/search-audit-log", post(audit::search))
        .route("/v1/audit/search-results-count", post(audit::count))
        .route("/v1/users", get(users::list))
        .route("/v1/users/{id}", get(users::get))
        .route("/v1/users/{id}/deactivate", post(users::deactivate))
        .route("/v1/users/{id}/activate", post(users::activate))
        .route("/v1/legal-hold/matters", get(legal_hold::matters))
        .route("/v1/legal-hold/matters/{id}/custodians", post(legal_hold::add_custodian).get(legal_hold::custodians))
        .route("/v1/legal-hold/matters/{id}/custodians/remove", post(legal_hold::remove_custodian))
        .route("/v2/watchlists", get(watchlists::list).post(watchlists::create))
        .route("/v2/watchlists/{id}", get(watchlists::get).delete(watchlists::delete))
        .route("/v2/watchlists/{id}/members", get(watchlists::members))
        .route("/v2/watchlists/{id}/included-actors", get(watchlists::included_actors))
        .route("/v2/watchlists/{id}/included-actors/add", post(watchlists::add_actors))
        .route("/v2/watchlists/{id}/included-actors/delete", post(watchlists::remove_actors))
        .route("/v1/cases", get(cases::list).post(cases::create))
        .route("/v1/cases/{number}", get(cases::get).put(cases::update))
        .route("/v1/cases/{number}/fileevent", get(cases::file_events).post(cases::add_file_events))
        .route("/v1/cases/{number}/fileevent/export", get(cases::export_file_events))
        .route("/v1/cases/{number}/fileevent/{event}", axum::routing::delete(cases::remove_file_event))
        .route("/v1/cases/{number}/export", get(cases::export_summary))
        .route("/v1/cases/{number}/export/full", get(cases::export_full))
        .route("/v2/file-events", post(file_events::search))
        .route("/v1/files/get-file-by-sha256/{sha256}", get(files::by_sha256))
        .route("/v1/files/get-file-by-xfc-content-id/{id}", get(files::by_xfc_id))
        .merge(admin::routes())
        .layer(middleware::from_fn_with_state((shared.clone(), Service::Gateway), gate))
        .with_state(shared)
}

pub(crate) fn console(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/v3/oauth/token", post(console::token))
        .route("/api/v3/customer/my", get(console::customer))
        .route("/api/v1/Org", get(console::orgs))
        .route("/api/v1/User", get(console::find_user).post(console::create_user))
        .route("/api/v1/User/{id}", get(console::get_user))
        .route("/api/v3/users/{uid}/{action}", post(console::user_action))
        .layer(middleware::from_fn_with_state((shared.clone(), Service::Console), gate))
        .with_state(shared)
}

/// `POST /v1/oauth` with Basic auth.
async fn gateway_token(State(shared): AppState, request: Request) -> Response {
    issue_token(&shared, &request, Service::Gateway)
}

/// Checks Basic credentials and answers the token JSON both OAuth endpoints share.
pub(crate) fn issue_token(shared: &Shared, request: &Request, service: Service) -> Response {
    let given = request.headers().get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).and_then(basic_credentials);
    match given {
        Some((id, secret)) if id == shared.config.client_id && secret == shared.config.client_secret => {
            let tenant_id = lock_shared(&shared.tenant).tenant_id.clone();
            let ttl = shared.config.token_ttl;
            let token = lock_shared(&shared.tokens).issue(service, ttl, &tenant_id);
            axum::Json(json!({"token_type": "bearer", "expires_in": ttl.as_secs(), "access_token": token}))
                .into_response()
        }
        _ => error(StatusCode::UNAUTHORIZED, "invalid_client: the client id or secret is wrong"),
    }
}

/// `{"error": message}` with a status.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

pub(crate) fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, &format!("{what} not found"))
}

pub(crate) fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

pub(crate) fn ok_json(value: Value) -> Response {
    axum::Json(value).into_response()
}

/// Query parameters, keeping repeated keys.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(query: Option<&str>) -> Self {
        Params(form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect())
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// An integer parameter with a default and bounds; out of bounds is a 400.
    pub(crate) fn number(&self, name: &str, default: i64, min: i64, max: i64) -> Result<i64, Response> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| bad_request(&format!("{name} must be an integer from {min} to {max}, got '{v}'"))),
        }
    }

    /// `(page size, 1-based page)` from `size_key` and `page`.
    pub(crate) fn paging(&self, size_key: &str, default_size: i64, max_size: i64) -> Result<(i64, i64), Response> {
        Ok((self.number(size_key, default_size, 1, max_size)?, self.number("page", 1, 1, i64::from(u32::MAX))?))
    }

    /// A `True/true/False/false` parameter.
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, Response> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(bad_request(&format!("{name} must be true or false, got '{other}'"))),
        }
    }
}

/// Items of a 1-based page.
pub(crate) fn page<T: Clone>(items: &[T], page: i64, size: i64) -> Vec<T> {
    let start = ((page.max(1) - 1) * size) as usize;
    items.iter().skip(start).take(size as usize).cloned().collect()
}

/// Logs, injects faults, checks the bearer token, then serves.
async fn gate(State((shared, service)): State<(Arc<Shared>, Service)>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(String::from);
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(String::from);
    let public = path.starts_with("/_sim") || path == "/v1/oauth" || path == "/api/v3/oauth/token";
    let _counted = (!path.starts_with("/_sim")).then(|| shared.in_flight.enter());

    let record = |status: u16| {
        lock_shared(&shared.log).push(RequestRecord {
            service: service_name(service),
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            bearer: bearer.clone(),
            status,
        })
    };

    let fault = if path.starts_with("/_sim") { None } else { take_fault(&shared, &path) };
    let response = match fault {
        Some(Fault::Status { status, retry_after }) => {
            let mut r =
                error(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "simulated fault");
            if let Some(secs) = retry_after {
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            r
        }
        Some(Fault::Drop) => dropped_connection(),
        Some(Fault::Close) => {
            record(0);
            // Unwinding out of the connection's task makes hyper drop the connection without a
            // response; `resume_unwind` skips the panic hook, so nothing is printed.
            std::panic::resume_unwind(Box::new("simulated closed connection"));
        }
        Some(Fault::Redirect { location }) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Some(Fault::Malformed) => {
            ([(header::CONTENT_TYPE, "application/json")], "{\"items\": [{\"sessionId\": \"trunc").into_response()
        }
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            error(StatusCode::GATEWAY_TIMEOUT, "simulated hang")
        }
        Some(Fault::Delay { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            authorize_then_serve(&shared, service, public, bearer.as_deref(), request, next).await
        }
        None => authorize_then_serve(&shared, service, public, bearer.as_deref(), request, next).await,
    };
    record(response.status().as_u16());
    response
}

fn service_name(service: Service) -> &'static str {
    match service {
        Service::Gateway => "gateway",
        Service::Console => "console",
    }
}

async fn authorize_then_serve(
    shared: &Shared,
    service: Service,
    public: bool,
    bearer: Option<&str>,
    request: Request,
    next: Next,
) -> Response {
    let valid = bearer.is_some_and(|t| lock_shared(&shared.tokens).is_valid(t, service));
    if !public && !valid {
        return error(StatusCode::UNAUTHORIZED, "invalid or expired bearer token");
    }
    next.run(request).await
}

fn take_fault(shared: &Shared, path: &str) -> Option<Fault> {
    let mut faults = lock_shared(&shared.faults);
    let rule = faults.iter_mut().find(|r| r.remaining > 0 && path.starts_with(&r.path_prefix))?;
    rule.remaining -= 1;
    Some(rule.fault.clone())
}

/// Headers, a little JSON, then a broken stream: the client sees the connection drop mid-body.
fn dropped_connection() -> Response {
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from_static(b"{\"items\": [")),
        Err(std::io::Error::other("simulated dropped connection")),
    ];
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("a static response")
}
