//! SSO checks, one per provider (`sso.google`, …): the production credentials are accepted
//! by the provider's token endpoint with Clerk's real callback, and a secret that expires
//! is not about to.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, Step};
use crate::provider::ProviderId;
use crate::steps::sso::{callback_uri, days_since_epoch, today};
use crate::vendors::oauth::formats::check_format;
use crate::vendors::oauth::token_probe::{self, Verdict};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "sso.google",
            title: "SSO: Google accepts the production credentials",
            step: Step::Sso,
            run: |ctx| provider(ctx, ProviderId::Google).boxed(),
        },
        CheckDef {
            id: "sso.github",
            title: "SSO: GitHub accepts the production credentials",
            step: Step::Sso,
            run: |ctx| provider(ctx, ProviderId::Github).boxed(),
        },
        CheckDef {
            id: "sso.microsoft",
            title: "SSO: Microsoft accepts the production credentials",
            step: Step::Sso,
            run: |ctx| provider(ctx, ProviderId::Microsoft).boxed(),
        },
        CheckDef {
            id: "sso.discord",
            title: "SSO: Discord accepts the production credentials",
            step: Step::Sso,
            run: |ctx| provider(ctx, ProviderId::Discord).boxed(),
        },
        CheckDef {
            id: "sso.apple",
            title: "SSO: Apple accepts the production credentials",
            step: Step::Sso,
            run: |ctx| provider(ctx, ProviderId::Apple).boxed(),
        },
    ]
}

/// Days before a secret's expiry when the check starts to warn.
const EXPIRY_WARNING_DAYS: i64 = 30;

async fn provider(ctx: &CheckContext, p: ProviderId) -> Outcome {
    let name = p.info().name;
    let Some(creds) = ctx.inputs.oauth.get(&p) else {
        let upper = p.as_str().to_ascii_uppercase();
        return Outcome::skip(format!(
            "No production credentials for {name}: needed only if {name} sign-in is on (the SSO \
             step, or OAUTH_{upper}_CLIENT_ID and OAUTH_{upper}_CLIENT_SECRET)."
        ));
    };
    let console = format!("{} ({})", p.info().console_url, p.info().console_steps);
    if let Err(e) = check_format(p, creds) {
        return Outcome::fail(e.to_string(), format!("Copy them again from {console}"));
    }
    let days_left = creds
        .secret_expires_on
        .as_deref()
        .and_then(days_since_epoch)
        .map(|d| d - today());
    if let Some(left) = days_left.filter(|d| *d < 0) {
        return Outcome::fail(
            format!("{name}'s client secret expired {} days ago: sign-in with {name} fails.", -left),
            format!("Create a new client secret in {console}, then save it on the SSO step and push it to Clerk."),
        );
    }
    let domains = ctx.clerk_domains().await.and_then(|r| r.as_ref().ok());
    let redirect = callback_uri(
        domains.map(Vec::as_slice),
        &ctx.layout().await.clerk_domain,
        ctx.inputs.publishable_key.as_deref(),
    );
    let token_url = ctx
        .endpoints
        .oauth_token_urls
        .get(p.as_str())
        .cloned()
        .unwrap_or_else(|| url::Url::parse(p.token_url()).expect("catalog URLs parse"));
    let result = match token_probe::probe(&ctx.http, p, &token_url, creds, &redirect).await {
        Ok(r) => r,
        Err(e) => {
            return Outcome::fail(
                e.to_string(),
                "Check the connection and run the checks again.",
            )
        }
    };
    let outcome = match result.verdict {
        Verdict::Accepted => Outcome::pass(format!(
            "Accepted by {name}: it refused only Golive's made-up sign-in code ({})",
            result.message
        )),
        Verdict::Rejected => Outcome::fail(
            format!(
                "{name} rejected the client ID or secret ({}).",
                result.message
            ),
            format!("Copy the client ID and secret again from {console}."),
        ),
        Verdict::RedirectMismatch => Outcome::fail(
            format!(
                "{name} does not know Clerk's callback for this domain ({}).",
                result.message
            ),
            format!("Add this authorized redirect URI in {name}'s console: {redirect}"),
        )
        .evidence(
            format!("{redirect} registered"),
            format!("{name} said: {}", result.message),
        ),
        Verdict::Other => Outcome::warn(
            format!(
                "{name} answered something Golive can't classify: {}.",
                result.message
            ),
            format!("Check the app in {console}."),
        ),
    };
    match days_left.filter(|d| *d < EXPIRY_WARNING_DAYS) {
        Some(left) if outcome_passed(&outcome) => Outcome::warn(
            format!("Accepted by {name}, but its client secret expires in {left} days."),
            format!(
                "Create a new client secret before then in {console}, and save it on the SSO step."
            ),
        ),
        _ => outcome,
    }
}

fn outcome_passed(o: &Outcome) -> bool {
    o.status == super::CheckStatus::Pass
}
