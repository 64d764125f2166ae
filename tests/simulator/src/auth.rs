//! Tokens of the two OAuth endpoints: issued with a lifetime, refused once expired.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Which listener a token was issued by; a token only works there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Gateway,
    Console,
}

#[derive(Default)]
pub struct Tokens {
    live: HashMap<String, (Service, Instant)>,
    issued: usize,
}

impl Tokens {
    /// A new token, JWT-shaped so that the incydr SDK can read the tenant from it.
    pub fn issue(&mut self, service: Service, ttl: Duration, tenant_id: &str) -> String {
        self.issued += 1;
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = URL_SAFE_NO_PAD.encode(format!(r#"{{"tenantUid":"{tenant_id}","n":{}}}"#, self.issued));
        let token = format!("{header}.{claims}.sim{:06}", self.issued);
        self.live.insert(token.clone(), (service, Instant::now() + ttl));
        token
    }

    pub fn is_valid(&self, token: &str, service: Service) -> bool {
        self.live.get(token).is_some_and(|(s, until)| *s == service && Instant::now() < *until)
    }

    pub fn expire_all(&mut self) {
        self.live.clear();
    }

    pub fn issued(&self) -> usize {
        self.issued
    }
}

/// The `(client id, secret)` of an `Authorization: Basic` header.
pub fn basic_credentials(header: &str) -> Option<(String, String)> {
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}
