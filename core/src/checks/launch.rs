//! Launch proof checks: the live site's server holds this instance's keys (`site.handshake`,
//! no user needed), and — in a rehearsal only — a throwaway user signs in on production, the
//! site lets that session in and keeps others out, and the rehearsal leaves nothing behind.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, Step};
use crate::browser::Hop;
use crate::steps::launch::rehearsal::TAG;
use crate::steps::launch::site::{self, is_sign_in, trail, ServerKey};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![CheckDef {
        id: "site.handshake",
        title: "The live site's server holds this instance's keys",
        step: Step::Launch,
        run: |ctx| handshake(ctx).boxed(),
    }]
}

/// Added to a run only when a rehearsal was asked for (`--rehearse`, the app's dialog).
pub(super) fn rehearsal_checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "launch.sign_in",
            title: "A user can sign in on production",
            step: Step::Launch,
            run: |ctx| sign_in(ctx).boxed(),
        },
        CheckDef {
            id: "site.protected",
            title: "The protected page sends visitors without a session to sign in",
            step: Step::Launch,
            run: |ctx| protected(ctx).boxed(),
        },
        CheckDef {
            id: "site.session",
            title: "The protected page lets a production session in",
            step: Step::Launch,
            run: |ctx| session(ctx).boxed(),
        },
        CheckDef {
            id: "launch.cleanup",
            title: "The rehearsal left nothing behind",
            step: Step::Launch,
            run: |ctx| cleanup(ctx).boxed(),
        },
    ]
}

const KEYS_FIX: &str = "Set the production keys (pk_live_/sk_live_ of this instance) in the \
                        host's production environment and redeploy: Golive's Hosting step does \
                        both.";

fn reason(hop: &Hop) -> String {
    match (&hop.auth_status, &hop.auth_reason) {
        (Some(s), Some(r)) => format!(" (x-clerk-auth-status: {s}, reason: {r})"),
        (Some(s), None) => format!(" (x-clerk-auth-status: {s})"),
        _ => String::new(),
    }
}

async fn handshake(ctx: &CheckContext) -> Outcome {
    let expected = ctx.frontend_api_base().await;
    let want = format!("a handshake at https://{expected}, settled in one round");
    match ctx.server_key().await {
        ServerKey::Proven { frontend_api, hops } => Outcome::pass(format!(
            "A returning visitor is sent to https://{frontend_api} for a handshake, and the \
             server accepts its answer: it holds this instance's publishable and secret keys"
        ))
        .evidence(want, trail(hops)),
        ServerKey::DevelopmentKeys { handshake_host } => Outcome::fail(
            format!(
                "The server sends visitors to {handshake_host}, a development Frontend API: \
                 production runs with the development keys, so users sign in to the \
                 development instance."
            ),
            KEYS_FIX,
        )
        .evidence(want, format!("handshake at https://{handshake_host}")),
        ServerKey::OtherPublishableKey { handshake_host } => Outcome::fail(
            format!(
                "The server sends visitors to {handshake_host}, not {expected}: its \
                 publishable key belongs to another instance."
            ),
            KEYS_FIX,
        )
        .evidence(want, format!("handshake at https://{handshake_host}")),
        ServerKey::Loop { handshakes, hops } => Outcome::fail(
            format!(
                "The server asked https://{expected} for a handshake {handshakes} times in a \
                 row: it cannot verify this instance's answer, so its CLERK_SECRET_KEY belongs \
                 to another instance (signed-in users would loop, then be signed out)."
            ),
            "Set CLERK_SECRET_KEY in the host's production environment to this instance's \
             sk_live_ key (Clerk dashboard → API keys, production) and redeploy.",
        )
        .evidence(want, trail(hops)),
        // Not reachable yet (no certificate, no record): clerk.frontend_api says why and how
        // long; the keys are proven once it serves.
        ServerKey::HandshakeFailed { hop } if hop.failed.is_some() => Outcome::warn(
            format!(
                "The server sends a returning visitor to {} for a handshake, which {}: the \
                 server's keys can be proven once it serves (see clerk.frontend_api).",
                hop.host,
                hop.answer()
            ),
            "Finish the DNS step and wait for Clerk's certificates, then check again.",
        )
        .evidence(want, trail(std::slice::from_ref(hop))),
        ServerKey::HandshakeFailed { hop } => Outcome::fail(
            format!(
                "The server sent a returning visitor to {} for a handshake, which {} instead \
                 of sending them back: signed-in users would be stuck there.",
                hop.host,
                hop.answer()
            ),
            "Run the Clerk and DNS checks: the Frontend API must serve the production domain.",
        )
        .evidence(want, trail(std::slice::from_ref(hop))),
        ServerKey::ServerError { hop } => Outcome::fail(
            format!(
                "{} answered {} to a returning visitor{}: Clerk's middleware throws when a key \
                 is missing or malformed.",
                hop.host,
                hop.status,
                reason(hop)
            ),
            "Check the host's production logs; set both Clerk keys for production and \
             redeploy.",
        ),
        ServerKey::NoHandshake { hop } => Outcome::warn(
            format!(
                "The protected page answered {} to a returning visitor without asking Clerk \
                 for a handshake{}, so the server's key cannot be proven from outside.",
                hop.status,
                reason(hop)
            ),
            format!(
                "Set the protected path (Launch proof step, or SITE_PROTECTED_PATH) to a page \
                 behind Clerk's middleware (now {}).",
                site::protected_path(ctx)
            ),
        ),
        ServerKey::Unreachable(e) => Outcome::skip(format!(
            "The live site could not be loaded: {e} (site.publishable_key says why)."
        )),
    }
}

async fn sign_in(ctx: &CheckContext) -> Outcome {
    let Some(rehearsal) = ctx.rehearsal.as_ref() else {
        return Outcome::skip("No rehearsal was asked for.");
    };
    match rehearsal.session(ctx).await {
        Ok(s) => {
            let who = if s.existing_user {
                format!("User {}", s.user_id)
            } else {
                format!("A throwaway user ({})", s.user_id)
            };
            let mut detail = format!(
                "{who} signed in through https://{}; its session token verifies with the \
                 production keys",
                s.jwt
                    .claim_str("iss")
                    .unwrap_or_default()
                    .trim_start_matches("https://")
            );
            if s.leftovers_removed > 0 {
                detail.push_str(&format!(
                    " (first removed {} user(s) an interrupted rehearsal left)",
                    s.leftovers_removed
                ));
            }
            Outcome::pass(detail).evidence(
                "a session token issued and signed by the production instance",
                claims(&s.jwt),
            )
        }
        Err(f) => Outcome::fail(f.detail.clone(), f.fix.clone()),
    }
}

/// The token's claims that prove what it is; never the token.
fn claims(jwt: &crate::jwt::Jwt) -> String {
    let mut parts = vec![format!("kid {}", jwt.kid.as_deref().unwrap_or("none"))];
    for name in ["iss", "sub", "sid", "azp", "role"] {
        if let Some(v) = jwt.claim_str(name) {
            parts.push(format!("{name} {v}"));
        }
    }
    if let (Some(iat), Some(exp)) = (jwt.claim_i64("iat"), jwt.claim_i64("exp")) {
        parts.push(format!("valid {} s", exp - iat));
    }
    parts.join(", ")
}

async fn protected(ctx: &CheckContext) -> Outcome {
    let path = site::protected_path(ctx);
    let hops = match site::anonymous(ctx).await {
        Ok(h) => h,
        Err(e) => {
            return Outcome::skip(format!(
                "The live site could not be loaded: {e} (site.publishable_key says why)."
            ))
        }
    };
    let first = &hops[0];
    let evidence = ("a redirect to sign-in", trail(&hops));
    if is_sign_in(first) {
        return Outcome::pass(format!(
            "{path} sends a visitor without a session to sign in{}",
            reason(first)
        ))
        .evidence(evidence.0, evidence.1);
    }
    // Clerk's middleware may ask its Frontend API first; the page is still not open.
    if let Some(host) = site::handshake_host(first) {
        return Outcome::pass(format!(
            "{path} does not let a visitor without a session in: the server sends them to \
             {host} first{}",
            reason(first)
        ))
        .evidence(evidence.0, evidence.1);
    }
    let fix = format!(
        "Set the protected path (Launch proof step, or SITE_PROTECTED_PATH) to a page only \
         signed-in users may see, behind auth.protect() or a redirect to sign-in (now {path})."
    );
    let detail = match first.status {
        200..=299 => format!(
            "{path} answered {} to a visitor without a session: it is not protected, so \
             letting a session in would prove nothing",
            first.status
        ),
        s if s >= 500 => format!("{path} answered {s}{}", reason(first)),
        s => format!(
            "{path} answered {s}{}, not a redirect to sign-in",
            reason(first)
        ),
    };
    Outcome::fail(detail, fix).evidence(evidence.0, evidence.1)
}

async fn session(ctx: &CheckContext) -> Outcome {
    let s = match ctx.rehearsed_session().await {
        Ok(s) => s,
        Err(skipped) => return skipped,
    };
    let iat = s.jwt.claim_i64("iat").unwrap_or_default();
    let hops = match site::with_session(ctx, s.token.expose(), iat).await {
        Ok(h) => h,
        Err(e) => {
            return Outcome::fail(format!("The live site could not be loaded: {e}."), KEYS_FIX)
        }
    };
    let path = site::protected_path(ctx);
    let first = &hops[0];
    let want = "200 for a signed-in production session";
    if (200..300).contains(&first.status) {
        return Outcome::pass(format!(
            "{path} answered {} to the production session{}: the server verifies production \
             sessions",
            first.status,
            reason(first)
        ))
        .evidence(want, trail(&hops));
    }
    let detail = match &first.auth_reason {
        Some(r) if r == "jwk-kid-mismatch" => format!(
            "The server could not verify the production session ({r}): its CLERK_SECRET_KEY \
             belongs to another instance"
        ),
        _ if hops
            .iter()
            .filter_map(site::handshake_host)
            .any(|h| h.ends_with(".clerk.accounts.dev")) =>
        {
            "The server sent the signed-in user to a development Frontend API: production \
             runs with the development keys"
                .to_string()
        }
        _ if is_sign_in(first) => format!(
            "{path} sent the signed-in user to sign in{}: the server does not accept \
             production sessions",
            reason(first)
        ),
        _ => format!(
            "{path} answered {} to the signed-in user{}",
            first.status,
            reason(first)
        ),
    };
    Outcome::fail(detail, KEYS_FIX).evidence(want, trail(&hops))
}

async fn cleanup(ctx: &CheckContext) -> Outcome {
    let Some(rehearsal) = ctx.rehearsal.as_ref() else {
        return Outcome::skip("No rehearsal was asked for.");
    };
    match rehearsal.clean_up().await {
        Ok(done) => Outcome::pass(format!("Production is as before the rehearsal: {done}")),
        Err(f) => Outcome::fail(format!("{} The user is tagged {TAG}.", f.detail), f.fix),
    }
}
