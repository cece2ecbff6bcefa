//! The sign-in rehearsal: a throwaway user signs in on production exactly as a browser would
//! (a one-time ticket from the Backend API, the Frontend API's sign-in, a session token), so
//! the site and Supabase can be asked whether they accept a real production session. It
//! writes to production, so it runs only when asked, and it always cleans up: at the end of
//! the run, when the run is dropped (cancelled), and — for a run that was killed — at the
//! start of the next one, which finds its users by their tag and removes those only.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use ts_rs::TS;

use crate::browser::Browser;
use crate::context::RunContext;
use crate::http::Http;
use crate::https_probe::now_unix;
use crate::jwt::Jwt;
use crate::redact::Redactor;
use crate::secrets::Secret;
use crate::vendors::clerk::backend::{Backend, User};
use crate::vendors::clerk::frontend::{self, SignInError};

/// The `external_id` every rehearsal user carries, and the `private_metadata` key that
/// proves Golive made it: a user is removed only when both say so.
pub const TAG: &str = "golive-rehearsal";
/// How long the one-time sign-in ticket lives: long enough for one sign-in.
const TICKET_SECONDS: u32 = 120;

/// The stages the app shows while a rehearsal runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    CreateUser,
    SignIn,
    CleanUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StageState {
    Running,
    Done,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageEvent {
    pub stage: Stage,
    pub state: StageState,
    pub detail: String,
}

/// A production session, held in memory for the checks that need it. The token is a
/// secret: only its claims are ever shown.
pub struct Session {
    pub token: Secret,
    pub jwt: Jwt,
    pub user_id: String,
    /// The user existed before (picked by the person), so it is not deleted.
    pub existing_user: bool,
    /// Users an earlier, interrupted rehearsal left and this one removed.
    pub leftovers_removed: usize,
}

/// Why the rehearsal stopped, in the words of the check that reports it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub detail: String,
    pub fix: String,
}

/// What the run must undo: filled as each write lands, emptied by the clean-up.
#[derive(Debug, Default)]
struct Undo {
    session: Option<String>,
    user: Option<String>,
}

pub struct Rehearsal {
    session: OnceCell<Result<Session, Failure>>,
    undo: Mutex<Undo>,
    /// Owned copies for a clean-up after the run was dropped.
    http: Http,
    api: url::Url,
    secret_key: Option<Secret>,
    progress: Box<dyn Fn(StageEvent) + Send + Sync>,
}

impl Rehearsal {
    pub fn new(run: &RunContext, progress: impl Fn(StageEvent) + Send + Sync + 'static) -> Self {
        Rehearsal {
            session: OnceCell::new(),
            undo: Mutex::default(),
            http: run.http.clone(),
            api: run.endpoints.clerk_api.clone(),
            secret_key: run.inputs.secret_key.clone(),
            progress: Box::new(progress),
        }
    }

    fn report(&self, stage: Stage, state: StageState, detail: impl Into<String>) {
        (self.progress)(StageEvent {
            stage,
            state,
            detail: detail.into(),
        });
    }

    /// The session token, once there is one: a secret to take out of anything shown.
    pub fn token(&self) -> Option<&Secret> {
        match self.session.get() {
            Some(Ok(s)) => Some(&s.token),
            _ => None,
        }
    }

    /// The production session, signed in once per run whichever check asks first.
    pub async fn session(&self, run: &RunContext) -> &Result<Session, Failure> {
        self.session.get_or_init(|| self.sign_in(run)).await
    }

    async fn sign_in(&self, run: &RunContext) -> Result<Session, Failure> {
        let Some(sk) = self
            .secret_key
            .as_ref()
            .filter(|k| k.expose().starts_with("sk_live_"))
        else {
            return Err(Failure {
                detail: "The rehearsal needs the production secret key (sk_live_…).".into(),
                fix: "Paste the production secret key on the Clerk step (or set \
                      CLERK_SECRET_KEY)."
                    .into(),
            });
        };
        let backend = Backend::new(&self.http, &self.api, sk);
        self.report(Stage::CreateUser, StageState::Running, "");
        let user = self.user(run, &backend).await;
        let (user, existing_user, leftovers_removed) = match user {
            Ok(u) => u,
            Err(f) => {
                self.report(Stage::CreateUser, StageState::Failed, &f.detail);
                return Err(f);
            }
        };
        self.report(Stage::CreateUser, StageState::Done, &user.id);
        self.report(Stage::SignIn, StageState::Running, "");
        match self.signed_in(run, &backend, &user).await {
            Ok((token, jwt)) => {
                self.report(Stage::SignIn, StageState::Done, "");
                Ok(Session {
                    token,
                    jwt,
                    user_id: user.id,
                    existing_user,
                    leftovers_removed,
                })
            }
            Err(f) => {
                self.report(Stage::SignIn, StageState::Failed, &f.detail);
                Err(f)
            }
        }
    }

    /// Removes what interrupted rehearsals left, then makes the throwaway user (or finds the
    /// one the person picked).
    async fn user(
        &self,
        run: &RunContext,
        backend: &Backend<'_>,
    ) -> Result<(User, bool, usize), Failure> {
        let clerk = |e: crate::Error| Failure {
            detail: e.to_string(),
            fix: "Check the production secret key on the Clerk step, then run the rehearsal \
                  again."
                .into(),
        };
        let leftovers: Vec<User> = backend
            .users_with_external_id(TAG)
            .await
            .map_err(clerk)?
            .into_iter()
            .filter(is_rehearsal_user)
            .collect();
        for u in &leftovers {
            backend.delete_user(&u.id).await.map_err(clerk)?;
        }
        if let Some(pick) = run.inputs.rehearsal_user.as_deref() {
            let found = if pick.contains('@') {
                backend.users_with_email(pick).await.map_err(clerk)?.pop()
            } else {
                backend.user(pick).await.ok()
            };
            return match found {
                Some(u) => Ok((u, true, leftovers.len())),
                None => Err(Failure {
                    detail: format!("No user {pick} in the production instance."),
                    fix: "Pick a user that exists in production (Clerk dashboard → Users): \
                          their id (user_…) or email address."
                        .into(),
                }),
            };
        }
        let body = serde_json::json!({
            "external_id": TAG,
            "private_metadata": {TAG: true},
            "first_name": "Golive",
            "last_name": "Rehearsal",
            "email_address": [format!("{TAG}+{}@{}", nonce(), run.domain)],
            "skip_password_requirement": true,
        });
        match backend.create_user(&body).await {
            Ok(u) => {
                self.undo.lock().unwrap().user = Some(u.id.clone());
                Ok((u, false, leftovers.len()))
            }
            Err(e) if e.code() == "clerk_invalid_request" => Err(Failure {
                detail: format!("The production instance refused a throwaway user: {e}"),
                fix: "Its sign-up settings ask for something Golive cannot supply (a phone \
                      number, an allowlist, …). Rehearse as an existing user instead: pick one \
                      on the Launch proof step (or set REHEARSAL_USER to a user id or email)."
                    .into(),
            }),
            Err(e) => Err(clerk(e)),
        }
    }

    /// Signs the user in through the production Frontend API and proves the session token.
    async fn signed_in(
        &self,
        run: &RunContext,
        backend: &Backend<'_>,
        user: &User,
    ) -> Result<(Secret, Jwt), Failure> {
        let mut browser = Browser::new(&run.prober);
        let mut held = Redactor::new([]);
        let result = self
            .signed_in_with(run, backend, user, &mut browser, &mut held)
            .await;
        // Clerk may quote what it was sent: the ticket, the testing token, the cookies.
        result.map_err(|f| {
            for value in browser.cookie_values() {
                held.add(value);
            }
            Failure {
                detail: held.text(&f.detail),
                fix: held.text(&f.fix),
            }
        })
    }

    async fn signed_in_with(
        &self,
        run: &RunContext,
        backend: &Backend<'_>,
        user: &User,
        browser: &mut Browser<'_>,
        held: &mut Redactor,
    ) -> Result<(Secret, Jwt), Failure> {
        let fapi = run.frontend_api_base().await;
        let origin = format!("https://{}", run.domain);
        let ticket = backend
            .sign_in_token(&user.id, TICKET_SECONDS)
            .await
            .map_err(|e| Failure {
                detail: e.to_string(),
                fix: "Run the rehearsal again; if it persists, check status.clerk.com.".into(),
            })?
            .token;
        held.add(ticket.expose());
        let mut testing = None;
        let signed = match frontend::sign_in_with_ticket(browser, &fapi, &origin, &ticket, None)
            .await
        {
            Err(e) if e.is_bot_protection() => {
                // Clerk's documented way through bot protection for scripted sign-ins.
                let t = backend.testing_token().await.map_err(|e| Failure {
                    detail: format!("Bot protection stopped the sign-in, and {e}"),
                    fix: "Run the rehearsal again in a minute.".into(),
                })?;
                held.add(t.expose());
                let r =
                    frontend::sign_in_with_ticket(browser, &fapi, &origin, &ticket, Some(&t)).await;
                testing = Some(t);
                r
            }
            other => other,
        };
        let session_id = signed.map_err(|e| fapi_failure(&fapi, e))?;
        self.undo.lock().unwrap().session = Some(session_id.clone());
        // The production keys are fetched while the token is being issued.
        let (token, keys) = tokio::join!(
            frontend::session_token(browser, &fapi, &origin, &session_id, testing.as_ref()),
            frontend::jwks(&run.prober, &fapi)
        );
        let token = token.map_err(|e| fapi_failure(&fapi, e))?;
        let jwt = Jwt::decode(token.expose()).map_err(|e| Failure {
            detail: format!("The session token https://{fapi} issued: {e}."),
            fix: "Check status.clerk.com; this is Clerk's side.".into(),
        })?;
        let keys = keys.map_err(|e| Failure {
            detail: format!("Could not read https://{fapi}/.well-known/jwks.json: {e}."),
            fix: "Run the DNS and Clerk checks first.".into(),
        })?;
        // Through a proxy, Clerk may name the proxy or its own host as the issuer.
        let issuer = format!("https://{fapi}");
        let own = format!("https://{}", run.layout().await.frontend_api);
        if ![issuer.as_str(), own.as_str()].contains(&jwt.claim_str("iss").unwrap_or_default()) {
            return Err(Failure {
                detail: format!(
                    "The session token's issuer is {}, not {issuer}.",
                    jwt.claim_str("iss").unwrap_or("missing")
                ),
                fix: "The publishable key names another Frontend API: check the keys on the \
                      Clerk step."
                    .into(),
            });
        }
        jwt.verify(&keys.keys, now_unix()).map_err(|e| Failure {
            detail: format!("The session token does not verify with {issuer}'s keys: {e}."),
            fix: "Check status.clerk.com; if the keys are right this is Clerk's side.".into(),
        })?;
        Ok((token, jwt))
    }

    /// Revokes the session and deletes the user this run created. Answers what was undone.
    pub async fn clean_up(&self) -> Result<String, Failure> {
        let undo = std::mem::take(&mut *self.undo.lock().unwrap());
        if undo.session.is_none() && undo.user.is_none() {
            return Ok("nothing to undo".into());
        }
        self.report(Stage::CleanUp, StageState::Running, "");
        let result = undo_writes(&self.http, &self.api, self.secret_key.as_ref(), &undo).await;
        match &result {
            Ok(done) => self.report(Stage::CleanUp, StageState::Done, done),
            Err(f) => {
                // Left for the next rehearsal, which finds it by its tag.
                *self.undo.lock().unwrap() = undo;
                self.report(Stage::CleanUp, StageState::Failed, &f.detail);
            }
        }
        result
    }
}

/// A run dropped before its clean-up (the window closed, the run cancelled) still undoes its
/// writes, in the background.
impl Drop for Rehearsal {
    fn drop(&mut self) {
        let undo = std::mem::take(&mut *self.undo.lock().unwrap());
        if undo.session.is_none() && undo.user.is_none() {
            return;
        }
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            let (http, api, key) = (self.http.clone(), self.api.clone(), self.secret_key.clone());
            rt.spawn(async move {
                let _ = undo_writes(&http, &api, key.as_ref(), &undo).await;
            });
        }
    }
}

async fn undo_writes(
    http: &Http,
    api: &url::Url,
    key: Option<&Secret>,
    undo: &Undo,
) -> Result<String, Failure> {
    let Some(key) = key else {
        return Err(Failure {
            detail: "No secret key to clean up with.".into(),
            fix: String::new(),
        });
    };
    let backend = Backend::new(http, api, key);
    let left = |what: String, e: crate::Error| Failure {
        detail: format!("Could not {what}: {e}"),
        fix: format!(
            "Delete the user tagged {TAG} in the Clerk dashboard → Users (production); the next \
             rehearsal also removes it."
        ),
    };
    let mut done = vec![];
    if let Some(s) = &undo.session {
        backend
            .revoke_session(s)
            .await
            .map_err(|e| left(format!("revoke session {s}"), e))?;
        done.push(format!("session {s} revoked"));
    }
    if let Some(u) = &undo.user {
        backend
            .delete_user(u)
            .await
            .map_err(|e| left(format!("delete user {u}"), e))?;
        done.push(format!("user {u} deleted"));
    }
    Ok(done.join(", "))
}

fn is_rehearsal_user(u: &User) -> bool {
    u.external_id.as_deref() == Some(TAG) && u.private_metadata.get(TAG) == Some(&true.into())
}

fn fapi_failure(fapi: &str, e: SignInError) -> Failure {
    let fix = if e.is_bot_protection() {
        "Bot protection refused even Clerk's testing token: turn bot protection off for a \
         minute in the Clerk dashboard → Attack protection, or rehearse later."
    } else {
        "Run the Clerk checks: the Frontend API must answer for the production domain."
    };
    Failure {
        detail: format!("Signing in at https://{fapi} failed: {e}."),
        fix: fix.into(),
    }
}

/// A short random tag that keeps each rehearsal's email address unique.
fn nonce() -> String {
    let mut b = [0u8; 6];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .expect("the system's random source");
    b.iter().map(|x| format!("{x:02x}")).collect()
}
