//! How each provider is set up, as the SSO step shows it: its console, steps and warnings.

use serde::Serialize;
use ts_rs::TS;

use crate::provider::ProviderId;

/// How a provider is set up, as the SSO step shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: ProviderId,
    pub name: &'static str,
    /// Where the app's credentials are made.
    pub console_url: &'static str,
    pub console_steps: &'static str,
    pub client_id_example: &'static str,
    pub secret_label: &'static str,
    /// Things that break sign-in on launch day if missed.
    pub warnings: Vec<&'static str>,
    /// Apple signs a client secret with a key: it needs a team ID and key ID too.
    pub needs_apple_key: bool,
    /// Microsoft's secrets expire: the step asks for the date.
    pub secret_expires: bool,
}

impl ProviderId {
    pub fn info(self) -> Provider {
        let base = Provider {
            id: self,
            name: "",
            console_url: "",
            console_steps: "",
            client_id_example: "",
            secret_label: "Client secret",
            warnings: vec![],
            needs_apple_key: false,
            secret_expires: false,
        };
        match self {
            ProviderId::Google => Provider {
                name: "Google",
                console_url: "https://console.cloud.google.com/apis/credentials",
                console_steps: "APIs & Services → Credentials → Create credentials → OAuth client ID → \
                                Web application. Add the origins and the redirect URI below.",
                client_id_example: "1234567890-abc.apps.googleusercontent.com",
                warnings: vec![
                    "Publish the OAuth consent screen (\"In production\"): in \"Testing\" only 100 \
                     listed test users can sign in.",
                ],
                ..base
            },
            ProviderId::Github => Provider {
                name: "GitHub",
                console_url: "https://github.com/settings/developers",
                console_steps: "Settings → Developer settings → OAuth Apps → New OAuth App. Set the \
                                Authorization callback URL below, then \"Generate a new client secret\".",
                client_id_example: "Ov23li…",
                ..base
            },
            ProviderId::Microsoft => Provider {
                name: "Microsoft",
                console_url: "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
                console_steps: "Microsoft Entra → App registrations → New registration: \"Accounts in any \
                                organizational directory and personal Microsoft accounts\", Web redirect URI \
                                below. Then Certificates & secrets → New client secret.",
                client_id_example: "00000000-0000-0000-0000-000000000000",
                secret_label: "Client secret (its Value, not its Secret ID)",
                warnings: vec![
                    "Client secrets expire (6 months by default, 24 at most): Golive reminds you before.",
                ],
                secret_expires: true,
                ..base
            },
            ProviderId::Discord => Provider {
                name: "Discord",
                console_url: "https://discord.com/developers/applications",
                console_steps: "Developer Portal → your application → OAuth2: copy the Client ID, reset \
                                the secret, add the redirect below.",
                client_id_example: "123456789012345678",
                ..base
            },
            ProviderId::Apple => Provider {
                name: "Apple",
                console_url: "https://developer.apple.com/account/resources/identifiers/list/serviceId",
                console_steps: "Certificates, Identifiers & Profiles → Identifiers → Services IDs: enable \
                                Sign in with Apple with the domain and return URL below. Keys → create a \
                                key with Sign in with Apple and download its .p8 file.",
                client_id_example: "com.example.signin",
                secret_label: "Private key (.p8 file)",
                warnings: vec!["Apple shows the .p8 key once: keep the file."],
                needs_apple_key: true,
                ..base
            },
        }
    }
}
