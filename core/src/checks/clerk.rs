//! Clerk checks: the live keys are live, well-formed, accepted, and for this domain.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome};
use crate::keys::{parse_publishable_key, secret_key_env, KeyEnv};
use crate::vendors::clerk::Backend;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "clerk.publishable_key",
            title: "Clerk publishable key is live and for this domain",
            run: |ctx| async move { publishable_key(ctx) }.boxed(),
        },
        CheckDef {
            id: "clerk.secret_key",
            title: "Clerk secret key is live and accepted by Clerk",
            run: |ctx| secret_key(ctx).boxed(),
        },
    ]
}

const KEYS_FIX: &str = "In the Clerk dashboard switch to the Production instance, open API keys, \
                        and copy the pk_live_ and sk_live_ keys into Golive's Clerk step.";

fn publishable_key(ctx: &CheckContext) -> Outcome {
    let Some(pk) = ctx.inputs.publishable_key.as_deref() else {
        return Outcome::skip(
            "No publishable key given: paste it on the Clerk step, or set CLERK_PUBLISHABLE_KEY.",
        );
    };
    let parsed = match parse_publishable_key(pk) {
        Ok(p) => p,
        Err(e) => return Outcome::fail(e.to_string(), KEYS_FIX),
    };
    if parsed.env == KeyEnv::Test {
        return Outcome::fail(
            format!(
                "This is a development key (pk_test_, for {}). Production needs the pk_live_ key.",
                parsed.frontend_api
            ),
            KEYS_FIX,
        );
    }
    let expected = format!("clerk.{}", ctx.domain);
    let proxied = parsed
        .frontend_api
        .strip_prefix(&ctx.domain)
        .is_some_and(|rest| rest.starts_with('/'));
    if parsed.frontend_api != expected && !proxied {
        return Outcome::fail(
            format!(
                "The key is for {}, not {expected}: it belongs to another Clerk instance or domain.",
                parsed.frontend_api
            ),
            format!("Copy the pk_live_ key of the production instance whose domain is {}.", ctx.domain),
        );
    }
    Outcome::pass(format!("pk_live_ key for {}", parsed.frontend_api))
}

async fn secret_key(ctx: &CheckContext) -> Outcome {
    let Some(sk) = ctx.inputs.secret_key.as_ref() else {
        return Outcome::skip(
            "No secret key given: paste it on the Clerk step, or set CLERK_SECRET_KEY.",
        );
    };
    match secret_key_env(sk.expose()) {
        Err(e) => return Outcome::fail(e.to_string(), KEYS_FIX),
        Ok(KeyEnv::Test) => {
            return Outcome::fail(
                "This is a development key (sk_test_). Production needs the sk_live_ key.",
                KEYS_FIX,
            )
        }
        Ok(KeyEnv::Live) => {}
    }
    let api = Backend::new(&ctx.http, &ctx.endpoints.clerk_api, sk);
    let instance = match api.instance().await {
        Ok(i) => i,
        Err(e) => return Outcome::fail(e.to_string(), vendor_fix(&e)),
    };
    if instance.environment_type != "production" {
        return Outcome::fail(
            format!(
                "Clerk says this key's instance ({}) is a {} instance.",
                instance.id, instance.environment_type
            ),
            KEYS_FIX,
        );
    }
    let domains = match api.domains().await {
        Ok(d) => d,
        Err(e) => return Outcome::fail(e.to_string(), vendor_fix(&e)),
    };
    if !domains.iter().any(|d| d.name == ctx.domain) {
        let names: Vec<&str> = domains.iter().map(|d| d.name.as_str()).collect();
        return Outcome::fail(
            format!(
                "This key belongs to the production instance {} for {}, not {}.",
                instance.id,
                if names.is_empty() {
                    "no domain".into()
                } else {
                    names.join(", ")
                },
                ctx.domain
            ),
            format!(
                "Copy the sk_live_ key of the production instance whose domain is {}.",
                ctx.domain
            ),
        );
    }
    Outcome::pass(format!(
        "Accepted by Clerk: production instance {} for {}",
        instance.id, ctx.domain
    ))
}

fn vendor_fix(e: &crate::error::Error) -> String {
    match e.code() {
        "clerk_key_rejected" => KEYS_FIX.into(),
        "unreachable" => {
            "Check your internet connection (or GOLIVE_CLERK_API_URL), then run the checks again."
                .into()
        }
        _ => "Run the checks again in a minute; if it persists, check status.clerk.com.".into(),
    }
}
