//! OAuth client-credential tokens for the API gateway (`POST /v1/oauth`) and the console
//! (`POST /api/v3/oauth/token?grant_type=client_credentials`), both with HTTP Basic auth.
//! A token is reused until it expires or a request answers 401. Tokens with a lifetime can be
//! handed to the host ([`Tokens::held`]) and back to the next instance ([`Tokens::adopt`]), so a
//! fresh process need not ask again while Code42's 15-minute token is valid.

use super::retry::RetryPolicy;
use super::{body_excerpt, transport_error};
use crate::error::{Error, Result, json_problem};
use crate::http::{HttpClient, Method, Request};
use crate::params::{Secret, Settings};
use base64::Engine as _;
use serde::Deserialize;
use std::cell::RefCell;
use std::time::Duration;

/// Which Code42 host a call goes to; each has its own token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The Incydr API gateway (`api_url`).
    Gateway,
    /// The console (`console_url`), for user create/block/unblock.
    Console,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<f64>,
}

struct Token {
    bearer: Secret,
    /// When to ask for a new one, in epoch ms: the wall clock, so the moment outlives the
    /// process. `None` when the server gave no lifetime: kept until a 401.
    renew_at_ms: Option<i64>,
}

/// A token as it leaves or enters the instance: the service it is for, and when to stop using it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldToken {
    pub service: Service,
    pub bearer: Secret,
    /// Epoch milliseconds after which the token is no longer used.
    pub renew_at_ms: i64,
}

impl Token {
    fn is_fresh(&self) -> bool {
        self.renew_at_ms.is_none_or(|t| now_ms() < t)
    }
}

/// The tokens of one instance.
#[derive(Default)]
pub struct Tokens {
    gateway: RefCell<Option<Token>>,
    console: RefCell<Option<Token>>,
}

impl Tokens {
    fn slot(&self, service: Service) -> &RefCell<Option<Token>> {
        match service {
            Service::Gateway => &self.gateway,
            Service::Console => &self.console,
        }
    }

    /// A valid bearer token, requesting one when none is held, it has expired, or `renew` asks.
    pub fn bearer(
        &self,
        service: Service,
        http: &impl HttpClient,
        settings: &Settings,
        retry: &RetryPolicy,
        renew: bool,
    ) -> Result<Secret> {
        let mut slot = self.slot(service).borrow_mut();
        match slot.as_ref() {
            Some(token) if !renew && token.is_fresh() => Ok(token.bearer.clone()),
            _ => {
                let token = request_token(service, http, settings, retry)?;
                let bearer = token.bearer.clone();
                *slot = Some(token);
                Ok(bearer)
            }
        }
    }

    /// Drops a token the server no longer accepts.
    pub fn forget(&self, service: Service) {
        self.slot(service).borrow_mut().take();
    }

    /// The tokens held now that have a lifetime and are still fresh.
    pub fn held(&self) -> Vec<HeldToken> {
        [Service::Gateway, Service::Console]
            .into_iter()
            .filter_map(|service| {
                let slot = self.slot(service).borrow();
                let token = slot.as_ref().filter(|t| t.is_fresh())?;
                Some(HeldToken { service, bearer: token.bearer.clone(), renew_at_ms: token.renew_at_ms? })
            })
            .collect()
    }

    /// Takes tokens an earlier instance held; those past their time (at `now_ms`) are ignored.
    pub fn adopt(&self, tokens: impl IntoIterator<Item = HeldToken>, now_ms: i64) {
        for token in tokens.into_iter().filter(|t| t.renew_at_ms > now_ms) {
            let adopted = Token { bearer: token.bearer, renew_at_ms: Some(token.renew_at_ms) };
            *self.slot(token.service).borrow_mut() = Some(adopted);
        }
    }
}

fn request_token(service: Service, http: &impl HttpClient, settings: &Settings, retry: &RetryPolicy) -> Result<Token> {
    let url = match service {
        Service::Gateway => format!("{}/v1/oauth", settings.api),
        Service::Console => format!("{}/api/v3/oauth/token?grant_type=client_credentials", settings.console),
    };
    let credentials = format!("{}:{}", settings.client_id, settings.client_secret.expose());
    let basic = base64::engine::general_purpose::STANDARD.encode(credentials);
    let request = Request {
        method: Method::Post,
        url,
        headers: vec![
            ("Authorization".to_string(), format!("Basic {basic}")),
            ("Accept".to_string(), "application/json".to_string()),
        ],
        body: None,
        max_response_bytes: 64 * 1024,
    };
    let started_ms = now_ms();
    // Asking for a token twice is harmless.
    let response = super::batch::send_one(http, request, true, retry).map_err(transport_error)?;
    if matches!(response.status, 400 | 401 | 403) {
        return Err(Error::Unauthorized(format!(
            "Code42 refused the API client credentials ({} from the {} token endpoint){}",
            response.status,
            service_name(service),
            body_excerpt(&response.body),
        )));
    }
    if !response.is_success() {
        return Err(Error::Upstream {
            status: response.status,
            message: format!("{} from the {} token endpoint", response.status, service_name(service)),
        });
    }
    let parsed: TokenResponse = serde_json::from_slice(&response.body).map_err(|e| Error::Upstream {
        status: response.status,
        message: format!(
            "The {} token endpoint sent an unreadable answer: {}",
            service_name(service),
            json_problem(&e)
        ),
    })?;
    let renew_at_ms = parsed.expires_in.filter(|s| s.is_finite() && *s >= 0.0).map(|secs| {
        let lifetime = Duration::from_secs_f64(secs.min(1e9));
        // Renew a little early so a token does not expire between check and use.
        let usable = lifetime - (lifetime / 10).min(Duration::from_secs(30));
        started_ms + usable.as_millis() as i64
    });
    Ok(Token { bearer: Secret::new(parsed.access_token), renew_at_ms })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn service_name(service: Service) -> &'static str {
    match service {
        Service::Gateway => "API gateway",
        Service::Console => "console",
    }
}
