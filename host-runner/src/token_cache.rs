//! Tokens that outlive a process. An instance gives the host its expiring credentials
//! (`credentials`), the host keeps them in a file, and the next instance of the same
//! configuration takes them back (`adopt-credentials`): a fresh `code42 run` then reuses Code42's
//! 15-minute token instead of asking for a new one.
//!
//! The file is private to the user (0600, in a 0700 directory), holds the tokens and their
//! expiry only, and is named by a digest of the tenant's URLs, the client id and the secret, so a
//! changed secret never finds an old token, and the secret itself is never written.

use crate::bindings::{Credential, Param, ParamValue};
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};

/// Where one configuration's tokens are kept.
#[derive(Debug, Clone)]
pub struct TokenCache {
    path: PathBuf,
}

/// The parameters that say whose tokens they are.
const IDENTITY: [&str; 4] = ["api_url", "console_url", "client_id", "client_secret"];

impl TokenCache {
    /// `tokens/<digest>.json` under `dir`, the digest taken over the instance's URLs and credentials.
    pub fn in_dir(dir: &Path, params: &[Param]) -> Self {
        let mut digest = Sha256::new();
        for name in IDENTITY {
            let value = params.iter().find(|p| p.name == name).and_then(|p| match &p.value {
                ParamValue::Text(text) => Some(text.as_str()),
                _ => None,
            });
            digest.update(name.as_bytes());
            digest.update([0]);
            digest.update(value.unwrap_or_default().as_bytes());
            digest.update([0]);
        }
        TokenCache { path: dir.join("tokens").join(format!("{}.json", hex::encode(digest.finalize()))) }
    }

    /// A file chosen by the caller (the XSOAR script's, which it keeps in the integration context).
    pub fn at(path: PathBuf) -> Self {
        TokenCache { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The credentials kept, those past their expiry at `now_ms` left out. A missing or unreadable
    /// file is an empty cache: the integration then asks for a token as it would anyway.
    pub fn load(&self, now_ms: i64) -> Vec<Credential> {
        let Ok(text) = std::fs::read(&self.path) else { return vec![] };
        let Ok(kept) = serde_json::from_slice::<Kept>(&text) else {
            tracing::warn!(path = %self.path.display(), "ignoring an unreadable token cache");
            return vec![];
        };
        kept.credentials.into_iter().filter(|c| c.expires_at_ms > now_ms).collect()
    }

    /// Replaces the kept credentials (none: the file goes).
    pub fn save(&self, credentials: &[Credential]) -> anyhow::Result<()> {
        if credentials.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
                _ => Ok(()),
            };
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private_dir(dir)?;
        }
        // The temporary file the atomic write renames into place is created 0600.
        let kept = Kept { credentials: credentials.to_vec() };
        crate::atomic_file::write(&self.path, &serde_json::to_vec(&kept)?)
    }
}

/// The file's content.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    credentials: Vec<Credential>,
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, value: &str) -> Param {
        Param { name: name.into(), value: ParamValue::Text(value.into()) }
    }

    fn token(audience: &str, expires_at_ms: i64) -> Credential {
        Credential { audience: audience.into(), value: format!("bearer-{audience}"), expires_at_ms }
    }

    #[test]
    fn the_file_is_named_by_a_digest_private_and_without_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let params = [text("api_url", "https://api.x"), text("client_id", "key-1"), text("client_secret", "hunter2")];
        let cache = TokenCache::in_dir(dir.path(), &params);
        let other = TokenCache::in_dir(dir.path(), &[params[0].clone(), params[1].clone(), text("client_secret", "x")]);
        assert_ne!(cache.path(), other.path(), "another secret, another file");
        cache.save(&[token("gateway", 2_000), token("console", 500)]).unwrap();
        let written = std::fs::read_to_string(cache.path()).unwrap();
        assert!(!written.contains("hunter2") && !cache.path().to_string_lossy().contains("hunter2"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(cache.path()).unwrap().permissions().mode() & 0o777, 0o600);
            let dir_mode = std::fs::metadata(cache.path().parent().unwrap()).unwrap().permissions().mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        let loaded = cache.load(1_000);
        assert_eq!(loaded, [token("gateway", 2_000)], "the expired one is left out");
        cache.save(&[]).unwrap();
        assert!(!cache.path().exists());
        std::fs::create_dir_all(cache.path().parent().unwrap()).unwrap();
        std::fs::write(cache.path(), "{not json").unwrap();
        assert!(cache.load(0).is_empty());
    }
}
