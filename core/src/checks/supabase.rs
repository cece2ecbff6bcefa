//! Supabase checks: the project trusts session tokens from the production Clerk issuer, and
//! (in a rehearsal) its Data API accepts a real production session as an authenticated user.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, Step};
use crate::steps::supabase::{is_issuer, production_issuer};
use crate::vendors::supabase::{data_api_as_user, DataApiAnswer, Management};

/// Added to a run only when a rehearsal was asked for.
pub(super) fn rehearsal_checks() -> Vec<CheckDef> {
    vec![CheckDef {
        id: "supabase.session",
        title: "Supabase accepts a production session as an authenticated user",
        step: Step::Launch,
        run: |ctx| session(ctx).boxed(),
    }]
}

const CLAIM_FIX: &str = "Turn on the Supabase integration for the production instance in the \
                         Clerk dashboard → Integrations → Supabase: it adds the role: \
                         authenticated claim to session tokens (development's setting is not \
                         carried over).";

async fn session(ctx: &CheckContext) -> Outcome {
    let (Some(anon), Some(project_ref)) = (
        ctx.inputs.supabase_anon_key.as_deref(),
        ctx.inputs.supabase_project_ref.as_deref(),
    ) else {
        return Outcome::skip(
            "Not set up for Supabase: give the project and its anon key on the Supabase step \
             (or SUPABASE_PROJECT_REF and SUPABASE_ANON_KEY). Apps without Supabase need \
             nothing here.",
        );
    };
    let s = match ctx.rehearsed_session().await {
        Ok(s) => s,
        Err(skipped) => return skipped,
    };
    let role = s.jwt.claim_str("role").unwrap_or("none");
    let project = match ctx.endpoints.supabase_project(project_ref) {
        Ok(p) => p,
        Err(e) => return Outcome::fail(e.to_string(), "Check the Supabase project."),
    };
    let answer = match data_api_as_user(&ctx.http, &project, anon, &s.token).await {
        Ok(a) => a,
        Err(e) => {
            return Outcome::fail(
                e.to_string(),
                "Run the checks again in a minute; if it persists, check status.supabase.com.",
            )
        }
    };
    let issuer = s.jwt.claim_str("iss").unwrap_or_default();
    let want = "the Data API accepts the session; claim role: authenticated";
    let found = |answer: &str| format!("{answer}; role: {role}");
    match answer {
        DataApiAnswer::Accepted => {}
        DataApiAnswer::Refused { said, .. } => {
            return Outcome::fail(
                format!(
                    "Project {project_ref} refused the production session token ({said}): \
                     signed-in users' database calls will fail."
                ),
                format!(
                    "Add {issuer} as a Clerk integration in the Supabase dashboard → \
                     Authentication → Third-party Auth (Golive's Supabase step can add it)."
                ),
            )
            .evidence(want, found(&said))
        }
        DataApiAnswer::Other { status, said } => {
            let fix = match status {
                429 => "Supabase is rate limiting requests; run the rehearsal again in a minute.",
                s if s >= 500 => "Check status.supabase.com and run the rehearsal again.",
                _ => "Check the project and its anon key on the Launch proof step.",
            };
            return Outcome::fail(
                format!("Project {project_ref}'s Data API answered {said}."),
                fix,
            )
            .evidence(want, found(&said));
        }
    }
    if role != "authenticated" {
        return Outcome::fail(
            format!(
                "Supabase accepts the token, but it has no role: authenticated claim, so \
                 row-level security treats signed-in users as anonymous (role: {role})."
            ),
            CLAIM_FIX,
        )
        .evidence(want, found("accepted"));
    }
    Outcome::pass(format!(
        "Project {project_ref} accepts the production session as an authenticated user"
    ))
    .evidence(want, found("accepted"))
}

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
    let issuer = production_issuer(
        &ctx.layout().await.clerk_domain,
        ctx.inputs.publishable_key.as_deref(),
    );
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
