//! Named scenarios: the state of the outside world a test or demo runs against.

use base64::Engine;

use crate::DOMAIN;

/// The production secret key the sandbox's Clerk accepts. Any other key gets a 401.
pub const LIVE_SECRET_KEY: &str = "sk_live_sandboxQuillmate0123456789abcdef";
pub const INSTANCE_ID: &str = "ins_2sandboxLIVEquillmate";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    /// `environment_type` of the instance the secret key belongs to.
    pub environment_type: &'static str,
    /// The domain of that instance (a key for another domain is a classic mix-up).
    pub instance_domain: &'static str,
}

impl Scenario {
    pub const ALL: &'static [&'static str] = &["live", "other-domain"];

    pub fn named(name: &str) -> Option<Scenario> {
        let s = match name {
            // Production instance for quillmate.test, keys in order.
            "live" => Scenario {
                name: "live",
                environment_type: "production",
                instance_domain: DOMAIN,
            },
            // The secret key belongs to the production instance of another domain.
            "other-domain" => Scenario {
                name: "other-domain",
                environment_type: "production",
                instance_domain: "otherapp.test",
            },
            _ => return None,
        };
        Some(s)
    }

    pub fn frontend_api_host(&self) -> String {
        format!("clerk.{}", self.instance_domain)
    }

    /// `pk_live_` + base64(`clerk.<domain>$`), as Clerk builds it.
    pub fn publishable_key(&self) -> String {
        let encoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .encode(format!("{}$", self.frontend_api_host()));
        format!("pk_live_{encoded}")
    }
}
