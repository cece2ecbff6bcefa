//! Secrets live only in the OS keychain. The rest of the engine sees them through
//! `SecretStore`; the UI only ever sees a `SecretStatus` (set or not, last four characters).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Keychain service name; entries are `<project id>:<kind>` under it.
pub const KEYCHAIN_SERVICE: &str = "golive";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    ClerkSecretKey,
    ClerkPlatformKey,
    /// The production webhook endpoint's signing secret (`whsec_…`).
    ClerkWebhookSecret,
    VercelToken,
    SupabaseToken,
    CloudflareToken,
    /// Production OAuth client secrets (Apple's: the .p8 key), one per provider.
    OauthGoogle,
    OauthGithub,
    OauthMicrosoft,
    OauthDiscord,
    OauthApple,
    /// A Netlify personal access token (`nfp_…`), for projects hosted on Netlify.
    NetlifyToken,
    /// A Render API key (`rnd_…`), for projects hosted on Render.
    RenderApiKey,
}

impl SecretKind {
    pub const ALL: [SecretKind; 13] = [
        SecretKind::ClerkSecretKey,
        SecretKind::ClerkPlatformKey,
        SecretKind::ClerkWebhookSecret,
        SecretKind::VercelToken,
        SecretKind::SupabaseToken,
        SecretKind::CloudflareToken,
        SecretKind::OauthGoogle,
        SecretKind::OauthGithub,
        SecretKind::OauthMicrosoft,
        SecretKind::OauthDiscord,
        SecretKind::OauthApple,
        SecretKind::NetlifyToken,
        SecretKind::RenderApiKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::ClerkSecretKey => "clerk-secret-key",
            SecretKind::ClerkPlatformKey => "clerk-platform-key",
            SecretKind::ClerkWebhookSecret => "clerk-webhook-secret",
            SecretKind::VercelToken => "vercel-token",
            SecretKind::SupabaseToken => "supabase-token",
            SecretKind::CloudflareToken => "cloudflare-token",
            SecretKind::OauthGoogle => "oauth-google",
            SecretKind::OauthGithub => "oauth-github",
            SecretKind::OauthMicrosoft => "oauth-microsoft",
            SecretKind::OauthDiscord => "oauth-discord",
            SecretKind::OauthApple => "oauth-apple",
            SecretKind::NetlifyToken => "netlify-token",
            SecretKind::RenderApiKey => "render-api-key",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SecretKind::ClerkSecretKey => "Clerk secret key",
            SecretKind::ClerkPlatformKey => "Clerk platform key",
            SecretKind::ClerkWebhookSecret => "Clerk webhook signing secret",
            SecretKind::VercelToken => "Vercel access token",
            SecretKind::SupabaseToken => "Supabase access token",
            SecretKind::CloudflareToken => "Cloudflare API token",
            SecretKind::OauthGoogle => "Google client secret",
            SecretKind::OauthGithub => "GitHub client secret",
            SecretKind::OauthMicrosoft => "Microsoft client secret",
            SecretKind::OauthDiscord => "Discord client secret",
            SecretKind::OauthApple => "Apple private key",
            SecretKind::NetlifyToken => "Netlify access token",
            SecretKind::RenderApiKey => "Render API key",
        }
    }
}

/// A secret value. Its `Debug` never prints it, so it can't leak through logs or panics.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The last four characters, shown so users can tell which key is stored.
    pub fn last4(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// What the UI may know about a stored secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecretStatus {
    pub kind: SecretKind,
    pub set: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last4: Option<String>,
}

impl SecretStatus {
    pub fn of(kind: SecretKind, secret: Option<&Secret>) -> Self {
        SecretStatus {
            kind,
            set: secret.is_some(),
            last4: secret.map(Secret::last4),
        }
    }
}

pub trait SecretStore: Send + Sync {
    /// `Ok(None)` when nothing is stored; an error only when the keychain itself failed.
    fn get(&self, project_id: &str, kind: SecretKind) -> Result<Option<Secret>>;
    fn set(&self, project_id: &str, kind: SecretKind, value: &Secret) -> Result<()>;
    /// Forgetting something that isn't there is not an error; says whether there was one.
    fn delete(&self, project_id: &str, kind: SecretKind) -> Result<bool>;

    /// Every entry under this store's service, when the keychain can list them: `None` where
    /// it cannot, so only entries asked for by project and kind can be found.
    fn entries(&self) -> Result<Option<Vec<(String, SecretKind)>>> {
        Ok(None)
    }

    fn status(&self, project_id: &str, kind: SecretKind) -> Result<SecretStatus> {
        Ok(SecretStatus::of(kind, self.get(project_id, kind)?.as_ref()))
    }
}

fn account(project_id: &str, kind: SecretKind) -> String {
    format!("{project_id}:{}", kind.as_str())
}

/// The project and kind of an entry's account name; `None` for a name Golive never writes.
fn parse_account(account: &str) -> Option<(String, SecretKind)> {
    let (project_id, kind) = account.rsplit_once(':')?;
    let kind = SecretKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
    (!project_id.is_empty()).then(|| (project_id.to_string(), kind))
}

/// The OS keychain: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new() -> Self {
        KeyringStore {
            service: KEYCHAIN_SERVICE.to_string(),
        }
    }

    /// Entries under another service (`config::keychain_service`), kept apart from `golive`'s.
    pub fn with_service(service: impl Into<String>) -> Self {
        KeyringStore {
            service: service.into(),
        }
    }

    fn entry(&self, project_id: &str, kind: SecretKind) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &account(project_id, kind)).map_err(keychain_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, project_id: &str, kind: SecretKind) -> Result<Option<Secret>> {
        match self.entry(project_id, kind)?.get_password() {
            Ok(v) => Ok(Some(Secret(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, project_id: &str, kind: SecretKind, value: &Secret) -> Result<()> {
        self.entry(project_id, kind)?
            .set_password(value.expose())
            .map_err(keychain_error)
    }

    fn delete(&self, project_id: &str, kind: SecretKind) -> Result<bool> {
        match self.entry(project_id, kind)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keychain_error(e)),
        }
    }

    /// The Secret Service can search by attribute: every item whose `service` is this one,
    /// in every collection, locked or not (attributes are readable without unlocking).
    /// keyring has no listing, and macOS's Keychain and Windows' Credential Manager are not
    /// asked here.
    #[cfg(target_os = "linux")]
    fn entries(&self) -> Result<Option<Vec<(String, SecretKind)>>> {
        use dbus_secret_service::{EncryptionType, SecretService};
        let unavailable = |e: dbus_secret_service::Error| Error::KeychainUnavailable(e.to_string());
        // No secret crosses this session, only attributes: no encryption is needed.
        let service = SecretService::connect(EncryptionType::Plain).map_err(unavailable)?;
        let found = service
            .search_items(HashMap::from([("service", self.service.as_str())]))
            .map_err(unavailable)?;
        let mut entries = vec![];
        for item in found.unlocked.iter().chain(&found.locked) {
            let attributes = item.get_attributes().map_err(unavailable)?;
            entries.extend(attributes.get("username").and_then(|a| parse_account(a)));
        }
        Ok(Some(entries))
    }
}

/// Any store, called so that a call that waits (a locked keyring shows its unlock prompt and
/// waits for the user) never stalls the async runtime: the engine's methods run inside the
/// app's async commands.
pub struct OffRuntime(pub Arc<dyn SecretStore>);

impl OffRuntime {
    /// On a multi-thread runtime, the worker hands its other tasks to another thread while
    /// `call` waits; elsewhere (no runtime, the CLI before its checks) it just calls.
    fn call<T>(call: impl FnOnce() -> T) -> T {
        use tokio::runtime::{Handle, RuntimeFlavor};
        match Handle::try_current() {
            Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(call)
            }
            _ => call(),
        }
    }
}

impl SecretStore for OffRuntime {
    fn get(&self, project_id: &str, kind: SecretKind) -> Result<Option<Secret>> {
        Self::call(|| self.0.get(project_id, kind))
    }

    fn set(&self, project_id: &str, kind: SecretKind, value: &Secret) -> Result<()> {
        Self::call(|| self.0.set(project_id, kind, value))
    }

    fn delete(&self, project_id: &str, kind: SecretKind) -> Result<bool> {
        Self::call(|| self.0.delete(project_id, kind))
    }

    fn entries(&self) -> Result<Option<Vec<(String, SecretKind)>>> {
        Self::call(|| self.0.entries())
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    // keyring's messages describe the platform failure and never contain the secret.
    Error::KeychainUnavailable(e.to_string())
}

/// For unit tests only: the CI and the app use the real keychain.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Secret>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, project_id: &str, kind: SecretKind) -> Result<Option<Secret>> {
        Ok(self
            .entries
            .lock()
            .unwrap()
            .get(&account(project_id, kind))
            .cloned())
    }

    fn set(&self, project_id: &str, kind: SecretKind, value: &Secret) -> Result<()> {
        self.entries
            .lock()
            .unwrap()
            .insert(account(project_id, kind), value.clone());
        Ok(())
    }

    fn delete(&self, project_id: &str, kind: SecretKind) -> Result<bool> {
        Ok(self
            .entries
            .lock()
            .unwrap()
            .remove(&account(project_id, kind))
            .is_some())
    }

    fn entries(&self) -> Result<Option<Vec<(String, SecretKind)>>> {
        let entries = self.entries.lock().unwrap();
        Ok(Some(
            entries.keys().filter_map(|a| parse_account(a)).collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let s = Secret::new("sk_live_supersecretvalue1234");
        assert_eq!(format!("{s:?}"), "Secret(…)");
        assert_eq!(s.last4(), "1234");
        assert_eq!(Secret::new("ab").last4(), "ab");
    }

    #[test]
    fn memory_store_is_namespaced_per_project() {
        let store = MemoryStore::default();
        let k = SecretKind::ClerkSecretKey;
        store.set("a", k, &Secret::new("sk_live_aaaa")).unwrap();
        assert_eq!(store.get("b", k).unwrap(), None);
        let status = store.status("a", k).unwrap();
        assert_eq!(
            status,
            SecretStatus {
                kind: k,
                set: true,
                last4: Some("aaaa".into())
            }
        );
        assert_eq!(store.entries().unwrap(), Some(vec![("a".to_string(), k)]));
        assert!(store.delete("a", k).unwrap());
        assert!(!store.delete("a", k).unwrap());
        assert!(!store.status("a", k).unwrap().set);
        assert_eq!(store.entries().unwrap(), Some(vec![]));
    }

    #[test]
    fn account_names_parse_back_to_project_and_kind() {
        for kind in SecretKind::ALL {
            let id = "7d0c1a2e-0000-4000-8000-00000000000a";
            assert_eq!(
                parse_account(&account(id, kind)),
                Some((id.to_string(), kind))
            );
        }
        assert_eq!(parse_account("p:no-such-kind"), None);
        assert_eq!(parse_account(":clerk-secret-key"), None);
        assert_eq!(parse_account("no-kind"), None);
    }
}
