//! Web frameworks and the names under which they read Clerk's keys.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    Nextjs,
    ViteReact,
    Astro,
    ReactRouter,
    Nuxt,
    Expo,
}

/// How a framework is shown and which env vars carry the keys.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FrameworkInfo {
    pub id: Framework,
    pub label: String,
    pub publishable_key_var: String,
    pub secret_key_var: String,
}

impl Framework {
    pub const ALL: [Framework; 6] = [
        Framework::Nextjs,
        Framework::ViteReact,
        Framework::Astro,
        Framework::ReactRouter,
        Framework::Nuxt,
        Framework::Expo,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Framework::Nextjs => "Next.js",
            Framework::ViteReact => "Vite + React",
            Framework::Astro => "Astro",
            Framework::ReactRouter => "Remix / React Router",
            Framework::Nuxt => "Nuxt",
            Framework::Expo => "Expo",
        }
    }

    /// The publishable key is public and inlined at build time under a framework prefix.
    pub fn publishable_key_var(self) -> &'static str {
        match self {
            Framework::Nextjs => "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
            Framework::ViteReact => "VITE_CLERK_PUBLISHABLE_KEY",
            Framework::Astro => "PUBLIC_CLERK_PUBLISHABLE_KEY",
            // React Router reads it on the server and hands it to the client loader.
            Framework::ReactRouter => "CLERK_PUBLISHABLE_KEY",
            Framework::Nuxt => "NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
            Framework::Expo => "EXPO_PUBLIC_CLERK_PUBLISHABLE_KEY",
        }
    }

    pub fn secret_key_var(self) -> &'static str {
        match self {
            Framework::Nuxt => "NUXT_CLERK_SECRET_KEY",
            _ => "CLERK_SECRET_KEY",
        }
    }

    pub fn info(self) -> FrameworkInfo {
        FrameworkInfo {
            id: self,
            label: self.label().into(),
            publishable_key_var: self.publishable_key_var().into(),
            secret_key_var: self.secret_key_var().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_framework_names_a_publishable_key_var() {
        for f in Framework::ALL {
            assert!(f.publishable_key_var().ends_with("CLERK_PUBLISHABLE_KEY"));
            assert!(f.secret_key_var().ends_with("CLERK_SECRET_KEY"));
        }
        assert_eq!(
            serde_json::to_string(&Framework::ReactRouter).unwrap(),
            "\"react-router\""
        );
    }
}
