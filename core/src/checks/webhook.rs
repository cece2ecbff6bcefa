//! Webhook checks, for apps that receive Clerk webhooks (delivered by Svix): the production
//! endpoint exists and refuses unsigned calls, and production's env (at whichever host) holds
//! its own signing secret, not the development one the previews keep.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, Step};
use crate::https_probe::ProbeRequest;
use crate::keys::production_frontend_api;
use crate::steps::hosting::env_plan::{marks, webhook_marker, webhook_marker_last4};
use crate::steps::hosting::host::HostVar;
use crate::webhook::{self, SECRET_VARS};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "webhook.endpoint",
            title: "Webhooks: the production endpoint is there and refuses unsigned calls",
            step: Step::Hosting,
            run: |ctx| endpoint(ctx).boxed(),
        },
        CheckDef {
            id: "webhook.secret",
            title: "Webhooks: production has its own signing secret, previews keep development's",
            step: Step::Hosting,
            run: |ctx| secret(ctx).boxed(),
        },
    ]
}

const NO_WEBHOOKS: &str = "The app does not seem to use webhooks: no production endpoint URL and \
                           no CLERK_WEBHOOK_SIGNING_SECRET or WEBHOOK_SECRET variable. To check \
                           them, set the endpoint in the Hosting step's Webhooks section (or \
                           CLERK_WEBHOOK_URL).";
const SECRET_FIX: &str = "Paste the production endpoint's signing secret in the Hosting step's \
                          Webhooks section, apply the environment plan, and redeploy.";

/// What the unsigned call sends: shaped like a Clerk event, of a type no handler acts on,
/// so a handler that skips verification still does nothing with it.
fn unsigned_event() -> Vec<u8> {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    serde_json::json!({
        "data": {"id": "golive_unsigned_probe", "object": "golive_probe"},
        "object": "event",
        "type": "golive.unsigned_probe",
        "timestamp": at as u64,
    })
    .to_string()
    .into_bytes()
}

async fn endpoint(ctx: &CheckContext) -> Outcome {
    let Some(given) = ctx.inputs.webhook_url.as_deref() else {
        return Outcome::skip(
            "Skipped: no production webhook endpoint. If the app receives Clerk webhooks, set \
             the endpoint in the Hosting step's Webhooks section (or CLERK_WEBHOOK_URL) to \
             check it.",
        );
    };
    let url = match webhook::endpoint_url(given, &ctx.domain) {
        Ok(Some(url)) => url,
        Ok(None) => return Outcome::skip("Skipped: the webhook endpoint URL is empty."),
        Err(e) => {
            return Outcome::fail(
                format!("The webhook endpoint URL is not usable: {e}"),
                "Correct it in the Hosting step's Webhooks section (or CLERK_WEBHOOK_URL).",
            )
        }
    };
    let host = url.host_str().unwrap_or_default();
    let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
    let body = unsigned_event();
    let request = ProbeRequest {
        method: "POST",
        path,
        headers: &[
            ("content-type", "application/json"),
            ("accept", "application/json"),
        ],
        body: &body,
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let answer = ctx.prober.send_to(host, port, request).await;
    match answer {
        Ok(r) => judge(url.as_str(), r.status, r.header("location")),
        Err(e) => Outcome::fail(
            format!("{url} could not be reached: {e}."),
            "Check that the domain points to the app (dns.apex) and its deployment is live; \
             Clerk's deliveries fail the same way.",
        ),
    }
}

/// What the endpoint's answer to an unsigned POST says about its handler.
fn judge(url: &str, status: u16, location: Option<&str>) -> Outcome {
    let expected = "400 or 401: the handler refuses a call without a Svix signature";
    let found = match location {
        Some(to) => format!("{status}, redirecting to {to}"),
        None => status.to_string(),
    };
    let fail = |detail: String, fix: &str| Outcome::fail(detail, fix).evidence(expected, &found);
    match status {
        400 | 401 => Outcome::pass(format!(
            "POST {url} answered {status} to an unsigned call: the handler is there and checks \
             signatures"
        )),
        200..=299 => fail(
            format!(
                "POST {url} accepted an unsigned call ({status}): the handler does not verify \
                 Svix signatures, so anyone can send it fake events."
            ),
            "Verify every delivery before acting on it (verifyWebhook from @clerk/nextjs/webhooks \
             or svix's Webhook.verify, with CLERK_WEBHOOK_SIGNING_SECRET) and answer 400 when it \
             fails.",
        ),
        300..=399 => fail(
            format!(
                "POST {url} redirects ({status}) to {}: Svix does not follow redirects, so every \
                 delivery fails.",
                location.unwrap_or("another address")
            ),
            "Use the final address as the endpoint (here and in the Clerk dashboard), or keep \
             the route out of the redirect (middleware, www, trailing slash).",
        ),
        404 => fail(
            format!("Nothing answers POST {url} (404): Clerk's deliveries to it fail."),
            "Deploy the webhook route (e.g. app/api/webhooks/clerk/route.ts) and make it public \
             in clerkMiddleware (which answers 404 to signed-out API calls), or correct the URL \
             here and in the Clerk dashboard.",
        ),
        405 => fail(
            format!("{url} is there but does not accept POST (405)."),
            "Export a POST handler for the route.",
        ),
        403 => fail(
            format!(
                "POST {url} was refused (403) before any signature check: a firewall, Vercel's \
                 Deployment Protection or auth middleware blocks it, and blocks Clerk's \
                 deliveries too."
            ),
            "Make the route public (clerkMiddleware) and let it through the firewall and \
             Deployment Protection.",
        ),
        500..=599 => fail(
            format!(
                "POST {url} failed ({status}) on an unsigned call instead of refusing it; a \
                 handler often fails like this when its signing secret variable is missing."
            ),
            "Read the function's logs on Vercel; set the production signing secret (Hosting \
             step → Webhooks) and answer 400 when verification fails.",
        ),
        400..=499 => Outcome::warn(
            format!(
                "POST {url} answered {status} to an unsigned call: it refuses it, though a \
                 handler that checks signatures usually answers 400."
            ),
            "If that is your handler refusing the missing signature, nothing to do; otherwise \
             find what answers it.",
        )
        .evidence(expected, &found),
        _ => fail(
            format!("POST {url} answered {status}."),
            "Check the route's handler.",
        ),
    }
}

/// What the app shows of any secret: its last four characters.
fn last4(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

async fn secret(ctx: &CheckContext) -> Outcome {
    let given = ctx.inputs.webhook_url.is_some() || ctx.inputs.webhook_secret.is_some();
    let h = match super::hosting::host(ctx) {
        Ok(h) => h,
        Err(_) if !given => return Outcome::skip(NO_WEBHOOKS),
        Err(not_connected) => return not_connected,
    };
    let w = h.words();
    let vars = match h.env().await {
        Ok(vars) => vars,
        Err(e) => {
            return Outcome::fail(
                e.to_string(),
                format!(
                    "Check the {} token and {} on the Hosting step, then run the checks again.",
                    w.name, w.project
                ),
            )
        }
    };
    // Values for every environment of their contexts (not one git branch's, nor a custom
    // environment's).
    let vars: Vec<&HostVar> = vars.iter().filter(|v| !v.scoped).collect();
    if !given && !vars.iter().any(|v| SECRET_VARS.contains(&v.key.as_str())) {
        return Outcome::skip(NO_WEBHOOKS);
    }
    let key = webhook::secret_var(vars.iter().map(|v| v.key.as_str()));
    let frontend_api = production_frontend_api(
        &ctx.layout().await.clerk_domain,
        ctx.inputs.publishable_key.as_deref(),
    );
    let ours = ctx.inputs.webhook_secret.as_ref();
    let named: Vec<&HostVar> = vars.into_iter().filter(|v| v.key == key).collect();
    let expected = format!("{key} for production only: the production endpoint's whsec_ secret");
    let fail = |detail: String, actual: String| {
        Outcome::fail(detail, SECRET_FIX).evidence(&expected, actual)
    };
    let Some(production) = named.iter().find(|v| v.in_production()) else {
        return fail(
            format!(
                "Production has no {key}: the production handler cannot verify Clerk's \
                 deliveries."
            ),
            format!("no {key} for production"),
        );
    };
    let targets = production.contexts.join(", ");
    if production.contexts.len() > 1 {
        return fail(
            format!(
                "One {key} serves {targets}: production and previews share a signing secret, \
                 so one of them verifies with the other instance's."
            ),
            format!("one {key} for {targets}"),
        );
    }
    let development: Vec<&str> = named
        .iter()
        .filter(|v| !v.in_production() && !v.value.is_empty())
        .map(|v| v.value.as_str())
        .collect();
    let value = production.value.trim();
    if value.is_empty() {
        let marked = production.marker.as_deref().and_then(|c| {
            webhook_marker_last4(c, &frontend_api)
                .map(str::to_string)
                // A marker kept as a digest (a Worker's) names the saved secret, or none.
                .or_else(|| {
                    ours.filter(|s| marks(Some(c), &webhook_marker(&frontend_api, s)))
                        .map(|s| s.last4())
                })
        });
        return match (marked.as_deref(), ours) {
            (Some(set), Some(ours)) if set != ours.last4() => fail(
                format!(
                    "Production's {key} is the secret Golive set before (ends in …{set}), not \
                     the one saved now (ends in …{}).",
                    ours.last4()
                ),
                format!("{key} ending in …{set}"),
            ),
            (Some(set), _) => Outcome::pass(format!(
                "Production's {key} is the production secret Golive set (ends in …{set}); it \
                 is {}, so {} does not show it and this rests on Golive's mark",
                w.secret, w.name
            )),
            (None, _) => Outcome::warn(
                format!(
                    "Production's {key} is {}, so {} does not show it, and Golive did not set \
                     it: whether it is the development secret cannot be proven from {}.",
                    w.secret, w.name, w.name
                ),
                "Paste the production endpoint's signing secret in the Hosting step's \
                 Webhooks section and apply the plan: Golive then sets it and marks it.",
            ),
        };
    }
    if !value.starts_with("whsec_") {
        return fail(
            format!("Production's {key} is not a whsec_ signing secret."),
            format!("{key} that does not start with whsec_"),
        );
    }
    if development.contains(&value) {
        return fail(
            format!(
                "Production's {key} is the development signing secret (previews hold the \
                 same): production's handler refuses every delivery from the production \
                 instance."
            ),
            format!("{key} = the development secret (ends in …{})", last4(value)),
        );
    }
    if let Some(ours) = ours.filter(|s| s.expose() != value) {
        return fail(
            format!(
                "Production's {key} (ends in …{}) is not the signing secret saved in Golive \
                 (ends in …{}).",
                last4(value),
                ours.last4()
            ),
            format!("{key} ending in …{}", last4(value)),
        );
    }
    Outcome::pass(format!(
        "Production's {key} is its own whsec_ secret{}, not the development one",
        if ours.is_some() {
            ", the one saved in Golive"
        } else {
            ""
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::CheckStatus;

    #[test]
    fn an_unsigned_call_is_judged_by_its_answer() {
        let url = "https://q.test/api/webhooks/clerk";
        for (status, location, want, says) in [
            (400, None, CheckStatus::Pass, "checks signatures"),
            (401, None, CheckStatus::Pass, "checks signatures"),
            (200, None, CheckStatus::Fail, "does not verify"),
            (204, None, CheckStatus::Fail, "does not verify"),
            (
                308,
                Some("https://www.q.test/api/webhooks/clerk"),
                CheckStatus::Fail,
                "www.q.test",
            ),
            (404, None, CheckStatus::Fail, "404"),
            (405, None, CheckStatus::Fail, "does not accept POST"),
            (403, None, CheckStatus::Fail, "before any signature check"),
            (
                500,
                None,
                CheckStatus::Fail,
                "signing secret variable is missing",
            ),
            (503, None, CheckStatus::Fail, "503"),
            (422, None, CheckStatus::Warn, "usually answers 400"),
        ] {
            let o = judge(url, status, location);
            assert_eq!(o.status, want, "{status}");
            assert!(o.detail.contains(says), "{status}: {}", o.detail);
            if want == CheckStatus::Fail {
                assert!(o.fix.is_some() && o.evidence.is_some(), "{status}");
            }
        }
    }

    #[test]
    fn the_unsigned_call_looks_like_an_event_no_handler_acts_on() {
        let event: serde_json::Value = serde_json::from_slice(&unsigned_event()).unwrap();
        assert_eq!(event["object"], "event");
        assert_eq!(event["type"], "golive.unsigned_probe");
    }
}
