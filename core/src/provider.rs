//! The social sign-in providers Golive knows, and what the user gives for one. Below the
//! vendor clients: the project, the inputs and the keychain name providers without
//! importing the OAuth client.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::secrets::{Secret, SecretKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderId {
    Google,
    Github,
    Microsoft,
    Discord,
    Apple,
}

impl ProviderId {
    pub const ALL: [ProviderId; 5] = [
        ProviderId::Google,
        ProviderId::Github,
        ProviderId::Microsoft,
        ProviderId::Discord,
        ProviderId::Apple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::Google => "google",
            ProviderId::Github => "github",
            ProviderId::Microsoft => "microsoft",
            ProviderId::Discord => "discord",
            ProviderId::Apple => "apple",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderId> {
        ProviderId::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Where the keychain keeps this provider's client secret (or Apple's .p8 key).
    pub fn secret_kind(self) -> SecretKind {
        match self {
            ProviderId::Google => SecretKind::OauthGoogle,
            ProviderId::Github => SecretKind::OauthGithub,
            ProviderId::Microsoft => SecretKind::OauthMicrosoft,
            ProviderId::Discord => SecretKind::OauthDiscord,
            ProviderId::Apple => SecretKind::OauthApple,
        }
    }
}

/// What the user gives for one provider.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub client_id: String,
    /// The client secret, or Apple's .p8 private key.
    pub secret: Secret,
    pub apple_team_id: Option<String>,
    pub apple_key_id: Option<String>,
    /// `YYYY-MM-DD`, for secrets that expire (Microsoft).
    pub secret_expires_on: Option<String>,
}
