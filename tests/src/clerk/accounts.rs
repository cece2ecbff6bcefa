//! Clerk's users, sign-in tokens, clients and sessions, shared by the two APIs: the Backend
//! API creates users and sign-in tokens and revokes sessions, the Frontend API turns a
//! ticket into a client with a session and mints its session tokens.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::keys;
use crate::scenario::{Layout, DEV_INSTANCE_ID, INSTANCE_ID};

/// Now, in Unix milliseconds (Clerk's timestamps).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// How long a session token lives (Clerk's default).
pub const TOKEN_SECONDS: u64 = 60;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    /// The instance it belongs to.
    pub instance: String,
    pub external_id: Option<String>,
    pub emails: Vec<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub public_metadata: Value,
    pub private_metadata: Value,
    pub unsafe_metadata: Value,
    pub password_enabled: bool,
    pub created_at: u64,
    pub last_sign_in_at: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInToken {
    pub id: String,
    pub instance: String,
    pub user_id: String,
    /// The ticket: a secret.
    pub token: String,
    /// `pending`, `accepted` or `revoked`.
    pub status: &'static str,
    pub created_at: u64,
    pub updated_at: u64,
    pub expires_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub instance: String,
    pub user_id: String,
    pub client_id: String,
    /// `active`, `revoked` or `removed` (its user was deleted).
    pub status: &'static str,
    pub created_at: u64,
    pub updated_at: u64,
    /// The `Origin` the sign-in came from: the session tokens' `azp`.
    pub origin: Option<String>,
}

/// A Frontend API client: what the `__client` cookie stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: String,
    pub instance: String,
    /// The `__client` cookie's value: a secret.
    pub cookie: String,
    pub session_ids: Vec<String>,
    pub last_active_session_id: Option<String>,
    pub created_at: u64,
    pub updated_at: u64,
}

/// Everything the two APIs know about people.
#[derive(Debug, Default)]
pub struct Accounts {
    pub users: Vec<User>,
    pub sign_in_tokens: Vec<SignInToken>,
    pub clients: Vec<Client>,
    pub sessions: Vec<Session>,
    pub testing_tokens: Vec<String>,
    /// The layout, whose Frontend API the production instance's tokens name as issuer.
    pub layout: Layout,
    next: u32,
}

/// A person who already uses the production app: the user a rehearsal may borrow, and one
/// that cleaning up must never remove.
pub const EXISTING_USER_ID: &str = "user_2sandboxExistingAda";
pub const EXISTING_USER_EMAIL: &str = "ada@quillmate.test";

impl Accounts {
    pub fn new(layout: Layout) -> Accounts {
        let mut a = Accounts {
            layout,
            ..Accounts::default()
        };
        a.users.push(User {
            id: EXISTING_USER_ID.into(),
            instance: INSTANCE_ID.into(),
            external_id: None,
            emails: vec![EXISTING_USER_EMAIL.into()],
            first_name: Some("Ada".into()),
            last_name: None,
            public_metadata: json!({}),
            private_metadata: json!({}),
            unsafe_metadata: json!({}),
            password_enabled: false,
            created_at: 1_760_000_000_000,
            last_sign_in_at: Some(1_760_000_000_000),
        });
        a
    }

    /// An id with Clerk's prefix, unique in this world.
    pub fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!(
            "{prefix}_2sbx{:06}{}",
            self.next,
            &keys::random(6).replace(['-', '_'], "x")
        )
    }

    pub fn user(&self, instance: &str, id: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.instance == instance && u.id == id)
    }

    /// Deletes a user; its sessions end and its sign-in tokens are revoked with it.
    pub fn delete_user(&mut self, instance: &str, id: &str) -> bool {
        let before = self.users.len();
        self.users
            .retain(|u| !(u.instance == instance && u.id == id));
        for s in self
            .sessions
            .iter_mut()
            .filter(|s| s.user_id == id && s.status == "active")
        {
            s.status = "removed";
        }
        for t in self.sign_in_tokens.iter_mut().filter(|t| t.user_id == id) {
            t.status = "revoked";
        }
        self.users.len() < before
    }

    pub fn client_by_cookie(&self, instance: &str, cookie: &str) -> Option<&Client> {
        self.clients
            .iter()
            .find(|c| c.instance == instance && c.cookie == cookie)
    }

    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// A fresh session token for an active session, or `None` (Clerk mints none for a
    /// revoked or removed session).
    pub fn session_token(&self, session_id: &str, role_claim: bool) -> Option<String> {
        let s = self.session(session_id).filter(|s| s.status == "active")?;
        let iat = now_ms() / 1000;
        let mut claims = json!({
            "iss": issuer(&s.instance, self.layout),
            "sub": s.user_id,
            "sid": s.id,
            "iat": iat,
            "nbf": iat - 10,
            "exp": iat + TOKEN_SECONDS,
            "v": 2,
            "fva": [0, -1],
            "sts": "active"
        });
        if let Some(origin) = &s.origin {
            claims["azp"] = origin.clone().into();
        }
        if role_claim {
            // What Clerk's Supabase integration adds to the session token.
            claims["role"] = "authenticated".into();
        }
        Some(keys::sign(&s.instance, &claims))
    }
}

/// The Frontend API URL an instance's tokens name as their issuer (the production
/// instance's depends on the layout).
pub fn issuer(instance: &str, layout: Layout) -> String {
    match instance {
        DEV_INSTANCE_ID => format!("https://{}", crate::scenario::DEV_FRONTEND_API),
        INSTANCE_ID => format!("https://{}", layout.frontend_api()),
        _ => format!("https://clerk.{}", crate::scenario::OTHER_DOMAIN),
    }
}
