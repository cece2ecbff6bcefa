//! Supabase check: the project trusts session tokens from the production Clerk issuer.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, Step};
use crate::steps::supabase::{is_issuer, production_issuer};
use crate::vendors::supabase::Management;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![CheckDef {
        id: "supabase.third_party_auth",
        title: "Supabase trusts the production Clerk issuer",
        step: Step::Supabase,
        run: |ctx| third_party_auth(ctx).boxed(),
    }]
}

async fn third_party_auth(ctx: &CheckContext) -> Outcome {
    let (Some(token), Some(project_ref)) = (
        ctx.inputs.supabase_token.as_ref(),
        ctx.inputs.supabase_project_ref.as_deref(),
    ) else {
        return Outcome::skip(
            "Not set up for Supabase: give the project URL and an access token on the Supabase \
             step (or SUPABASE_PROJECT_REF and SUPABASE_ACCESS_TOKEN). Apps without Supabase \
             need nothing here.",
        );
    };
    let issuer = production_issuer(&ctx.domain, ctx.inputs.publishable_key.as_deref());
    let fix = format!(
        "Add {issuer} as a Clerk integration in the Supabase dashboard → Authentication → \
         Third-party Auth (Golive's Supabase step can add it). Keep the development issuer \
         for preview deployments."
    );
    let list = match Management::new(&ctx.http, &ctx.endpoints.supabase_api, token)
        .third_party_auth(project_ref)
        .await
    {
        Ok(l) => l,
        Err(e) => {
            let fix = match e.code() {
                "supabase_token_rejected" | "supabase_forbidden" => {
                    "Create a new access token in the Supabase dashboard → Account → Access Tokens."
                }
                "supabase_project_not_found" => {
                    "Check the Supabase project URL on the Supabase step."
                }
                _ => "Run the checks again in a minute; if it persists, check status.supabase.com.",
            };
            return Outcome::fail(e.to_string(), fix);
        }
    };
    if list.iter().any(|i| is_issuer(i, &issuer)) {
        return Outcome::pass(format!("Project {project_ref} trusts {issuer}"));
    }
    let trusted: Vec<&str> = list
        .iter()
        .filter_map(|i| i.oidc_issuer_url.as_deref())
        .collect();
    let detail = match trusted.as_slice() {
        [] => format!(
            "Project {project_ref} trusts no third-party issuer, so signed-in users' database \
             calls will fail row-level security."
        ),
        t if t.iter().all(|u| u.contains(".clerk.accounts.dev")) => format!(
            "Project {project_ref} trusts only the development issuer ({}), not {issuer}: after \
             the switch every signed-in database call fails row-level security.",
            t.join(", ")
        ),
        t => format!(
            "Project {project_ref} trusts {}, not {issuer}.",
            t.join(", ")
        ),
    };
    let actual = if trusted.is_empty() {
        "no third-party issuer".to_string()
    } else {
        trusted.join(", ")
    };
    Outcome::fail(detail, fix).evidence(format!("trusts {issuer}"), actual)
}
