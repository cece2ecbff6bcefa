//! Hosting checks: the domain is on the project (or site) and verified, production holds
//! this instance's live keys (and only production), a build since the keys changed is live,
//! and the live site serves the live publishable key. Written once over `host::Host`: a
//! Vercel project's are `vercel.*` (the CLI contract's ids since the first release), any
//! other host's `host.*`; `checks::hosted_here` lists only the ones of the run's host.

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, SatelliteCheckDef, Step};
use crate::keys::{parse_publishable_key, production_frontend_api, KeyEnv};
use crate::layout::Satellite;
use crate::project::Hosting;
use crate::steps::hosting::env_plan::{marker, marks};
use crate::steps::hosting::host::{Host, HostVar, Unlinked, Words};
use crate::webhook::SECRET_VARS;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "vercel.domain",
            title: "Vercel: the domain is on the project and verified",
            step: Step::Hosting,
            run: |ctx| domain(ctx).boxed(),
        },
        CheckDef {
            id: "vercel.env",
            title: "Vercel: production has the live keys, previews keep the test keys",
            step: Step::Hosting,
            run: |ctx| env(ctx).boxed(),
        },
        CheckDef {
            id: "vercel.deployment",
            title: "Vercel: a production build with the live keys is live",
            step: Step::Hosting,
            run: |ctx| deployment(ctx).boxed(),
        },
        CheckDef {
            id: "host.domain",
            title: "Host: the domain is on the site and verified",
            step: Step::Hosting,
            run: |ctx| domain(ctx).boxed(),
        },
        CheckDef {
            id: "host.env",
            title: "Host: production has the live keys, previews keep the test keys",
            step: Step::Hosting,
            run: |ctx| env(ctx).boxed(),
        },
        CheckDef {
            id: "host.deployment",
            title: "Host: a production build with the live keys is live",
            step: Step::Hosting,
            run: |ctx| deployment(ctx).boxed(),
        },
        CheckDef {
            id: "site.publishable_key",
            title: "The live site serves the live publishable key",
            step: Step::Hosting,
            run: |ctx| site(ctx).boxed(),
        },
    ]
}

pub(super) fn satellite_checks() -> Vec<SatelliteCheckDef> {
    vec![SatelliteCheckDef {
        prefix: "vercel.satellite",
        title: "Vercel: the satellite app has the live keys and its satellite settings",
        step: Step::Hosting,
        after: None,
        run: |ctx, s| satellite_env(ctx, s).boxed(),
    }]
}

const HOSTING_FIX: &str = "Run the Hosting step's plan in Golive.";

pub(super) fn words(ctx: &CheckContext) -> &'static Words {
    ctx.inputs.hosting.words()
}

/// The run's host, or the check's verdict without one.
pub(super) fn host(ctx: &CheckContext) -> Result<Host<'_>, Outcome> {
    Host::of_run(ctx).map_err(|unlinked| match unlinked {
        Unlinked::NotConnected => {
            let w = words(ctx);
            Outcome::skip(format!(
                "{} is not connected: pick the {} on the Hosting step (or set {}).",
                w.name, w.project, w.variables
            ))
        }
        Unlinked::BadToken { error, fix } => Outcome::fail(error.to_string(), fix),
    })
}

fn vendor_failure(e: crate::Error, w: &Words) -> Outcome {
    let fix = match e.code() {
        "vercel_token_rejected" | "vercel_forbidden" => {
            "Create a Vercel token whose scope includes the project's team, and paste it on the \
             Hosting step."
                .to_string()
        }
        "vercel_not_found" => "Check the project (and team) picked on the Hosting step.".into(),
        "netlify_token_rejected" | "netlify_forbidden" => {
            "Create a Netlify personal access token as a member of the site's team, and paste \
             it on the Hosting step."
                .into()
        }
        "cloudflare_token_rejected" | "cloudflare_account_rejected" => {
            "Create a Cloudflare API token with Cloudflare Pages: Edit for the project's \
             account, and check CLOUDFLARE_ACCOUNT_ID."
                .into()
        }
        "cloudflare_project_not_found" => {
            "Check the account and project given on the Hosting step (or CLOUDFLARE_ACCOUNT_ID \
             and CLOUDFLARE_PROJECT)."
                .into()
        }
        "netlify_not_found" => {
            "Check the site picked on the Hosting step (or NETLIFY_SITE_ID): it must be a site \
             of the token's team."
                .into()
        }
        "render_key_rejected" | "render_forbidden" => {
            "Create a Render API key as a member of the service's workspace, and paste it on \
             the Hosting step."
                .into()
        }
        "render_not_found" => {
            "Check the service picked on the Hosting step (or RENDER_SERVICE_ID, srv-…): it \
             must be a service of the key's workspace."
                .into()
        }
        _ => format!(
            "Run the checks again in a minute; if it persists, check {}.",
            w.status_page
        ),
    };
    Outcome::fail(e.to_string(), fix)
}

async fn domain(ctx: &CheckContext) -> Outcome {
    let h = match host(ctx) {
        Ok(h) => h,
        Err(skip) => return skip,
    };
    let w = h.words();
    let found = match h.domain(&ctx.domain).await {
        Ok(found) => found,
        Err(e) => return vendor_failure(e, w),
    };
    let Some(d) = found.domain else {
        return Outcome::fail(
            format!("{} is not on the {} {}.", ctx.domain, w.name, w.project),
            match ctx.inputs.hosting {
                Hosting::Vercel => {
                    "Add it on the Hosting step (or Vercel → Project → Settings → Domains)."
                }
                Hosting::Netlify => {
                    "Add it on the Hosting step (or Netlify → Domain management → Add a domain)."
                }
                Hosting::Render => {
                    "Add it on the Hosting step (or Render → the service → Settings → Custom \
                     Domains → Add)."
                }
                Hosting::CloudflarePages => {
                    "Add it on the Hosting step (or Cloudflare → Workers & Pages → the project → \
                     Custom domains)."
                }
                Hosting::CloudflareWorkers => {
                    "Add it on the Hosting step (or Cloudflare → Workers & Pages → the Worker → \
                     Settings → Domains & Routes); its zone must be in the Worker's account."
                }
            },
        );
    };
    if !d.verified {
        let txt = d
            .verification
            .iter()
            .map(|c| format!("{} {} \"{}\"", c.kind, c.domain, c.value))
            .collect::<Vec<_>>()
            .join("; ");
        let why = match ctx.inputs.hosting {
            Hosting::Vercel => "Vercel asks for proof of ownership",
            Hosting::Netlify => {
                "Netlify has no certificate for it yet, so it does not point to the site"
            }
            Hosting::Render => "Render has not seen its DNS point to the service yet",
            Hosting::CloudflarePages => "Cloudflare has not activated it yet",
            Hosting::CloudflareWorkers => "Cloudflare has not attached it yet",
        };
        return Outcome::fail(
            format!(
                "{} is on the {} but not verified: {why}.",
                ctx.domain, w.project
            ),
            format!(
                "Add {} at your DNS host, then verify on the Hosting step: {txt}",
                if d.verification.len() > 1 {
                    "these records"
                } else {
                    "this record"
                }
            ),
        );
    }
    if found.misconfigured {
        return Outcome::warn(
            format!(
                "{} is on the {} and verified, but {} reports its DNS as misconfigured.",
                ctx.domain, w.project, w.name
            ),
            format!(
                "Fix the apex and www records (see dns.apex and dns.www); {} re-checks on its own.",
                w.name
            ),
        );
    }
    Outcome::pass(format!(
        "{} is on the {}, verified, and its DNS points to {}",
        ctx.domain, w.project, w.name
    ))
}

/// What is wrong with one Clerk variable in production, as far as the host shows it.
enum Finding {
    Wrong(String),
    /// Secret and not set by Golive: its value can't be read back to verify.
    Unknown(String),
}

fn describe(v: &HostVar, frontend_api: &str, w: &Words) -> Option<Finding> {
    let value = v.value.trim();
    let targets = v.contexts.join(", ");
    if value.is_empty() {
        return (!marks(v.marker.as_deref(), &marker(frontend_api))).then(|| {
            Finding::Unknown(format!(
                "{} ({targets}) is {}, so {} does not show it, and Golive did not set it",
                v.key, w.secret, w.name
            ))
        });
    }
    if value.starts_with("pk_test_") || value.starts_with("sk_test_") {
        return Some(Finding::Wrong(format!(
            "{} ({targets}) still holds a development key",
            v.key
        )));
    }
    match parse_publishable_key(value) {
        Ok(pk) if pk.frontend_api != frontend_api => Some(Finding::Wrong(format!(
            "{} ({targets}) is the key of {}, not {frontend_api}",
            v.key, pk.frontend_api
        ))),
        _ => None,
    }
}

fn is_clerk_key(key: &str) -> bool {
    key.ends_with("CLERK_PUBLISHABLE_KEY") || key == "CLERK_SECRET_KEY"
}

async fn env(ctx: &CheckContext) -> Outcome {
    let h = match host(ctx) {
        Ok(h) => h,
        Err(skip) => return skip,
    };
    let w = h.words();
    let vars = match h.env().await {
        Ok(vars) => vars,
        Err(e) => return vendor_failure(e, w),
    };
    let frontend_api = production_frontend_api(
        &ctx.layout().await.clerk_domain,
        ctx.inputs.publishable_key.as_deref(),
    );
    let production: Vec<&HostVar> = vars
        .iter()
        .filter(|v| is_clerk_key(&v.key) && v.in_production())
        .collect();
    let (mut wrong, mut unknown, mut unread) = (vec![], vec![], vec![]);
    for v in &production {
        match describe(v, &frontend_api, w) {
            Some(Finding::Wrong(f)) => wrong.push(f),
            Some(Finding::Unknown(u)) => {
                unknown.push(u);
                unread.push(v.key.as_str());
            }
            None => {}
        }
    }
    let has = |suffix: &str| production.iter().any(|v| v.key.ends_with(suffix));
    if !has("CLERK_PUBLISHABLE_KEY") {
        wrong.push("production has no *_CLERK_PUBLISHABLE_KEY".into());
    }
    if !has("CLERK_SECRET_KEY") {
        wrong.push("production has no CLERK_SECRET_KEY".into());
    }
    if !wrong.is_empty() {
        return Outcome::fail(format!("{}.", wrong.join("; ")), HOSTING_FIX);
    }
    // Render: live keys in a service that makes previews reach every new preview.
    match h.env_notes().await {
        Ok((_, Some(held))) => {
            return Outcome::fail(
                format!(
                    "Production has the live keys, but new previews would get them too: {held}"
                ),
                format!("Turn previews off for the {} {}.", w.name, w.project),
            )
        }
        Ok(_) => {}
        Err(e) => return vendor_failure(e, w),
    }
    // Behind a proxy, clerk-js must be told where the Frontend API is, or it asks the
    // clerk host, which has no record.
    if let Some(proxy) = &ctx.layout().await.proxy_url {
        let why = setting(&vars, "CLERK_PROXY_URL", |v| {
            v.trim_end_matches('/') == proxy
        });
        if let Some(why) = why {
            return Outcome::fail(
                format!("{why}: browsers would look for Clerk at its clerk host."),
                format!(
                    "Add NEXT_PUBLIC_CLERK_PROXY_URL={proxy} (with your framework's prefix) to \
                     production's environment variables at {}, then redeploy.",
                    w.name
                ),
            );
        }
    }
    // A secret key the host will not show is proven by the live site's server instead.
    if unread == ["CLERK_SECRET_KEY"] && ctx.server_key().await.is_proven() {
        return Outcome::pass(format!(
            "Production has {frontend_api}'s live publishable key; CLERK_SECRET_KEY is \
             {}, so {} does not show it, but the live site's server proved it holds \
             this instance's secret key (site.handshake)",
            w.secret, w.name
        ));
    }
    if !unknown.is_empty() {
        return Outcome::warn(
            format!("{}.", unknown.join("; ")),
            "Run the Hosting step's plan: it sets the live key and marks it, so later checks can tell.",
        );
    }
    let live_in_previews: Vec<String> = vars
        .iter()
        .filter(|v| is_clerk_key(&v.key) && !v.in_production())
        .filter(|v| v.value.starts_with("pk_live_") || v.value.starts_with("sk_live_"))
        .map(|v| format!("{} ({})", v.key, v.contexts.join(", ")))
        .collect();
    if !live_in_previews.is_empty() {
        return Outcome::warn(
            format!(
                "Production is right, but {} hold live keys: previews would sign users into production.",
                live_in_previews.join(", ")
            ),
            format!(
                "Give {} the development instance's pk_test_/sk_test_ keys.",
                w.others
            ),
        );
    }
    Outcome::pass(format!(
        "Production has {frontend_api}'s live keys ({})",
        production
            .iter()
            .map(|v| v.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Why production's `*<suffix>` variable is missing or wrong, if it is (a value Vercel does
/// not show is taken as set).
fn setting(vars: &[HostVar], suffix: &str, right: impl Fn(&str) -> bool) -> Option<String> {
    let var = vars
        .iter()
        .find(|v| v.key.ends_with(suffix) && v.in_production());
    match var {
        None => Some(format!("production has no *{suffix}")),
        Some(v) if !v.value.is_empty() && !right(v.value.trim()) => {
            Some(format!("{} is \"{}\"", v.key, v.value.trim()))
        }
        Some(_) => None,
    }
}

/// A satellite's own Vercel project: this instance's live keys in production, and the
/// settings that make the app a satellite of the primary (Clerk's satellite guide).
async fn satellite_env(ctx: &CheckContext, s: &Satellite) -> Outcome {
    let Some(project) = &s.vercel_project else {
        return Outcome::skip(format!(
            "Link the Vercel project of {} (Golive's DNS step → layout, or \
             VERCEL_SATELLITE_PROJECTS={}=prj_…) to check its settings.",
            s.domain, s.domain
        ));
    };
    // A satellite's app is on Vercel too: Golive links satellites by Vercel project.
    let Some(api) = ctx.vercel() else {
        return Outcome::skip(
            "Vercel is not connected: give the Vercel token on the Hosting step (or set \
             VERCEL_TOKEN).",
        );
    };
    let h = Host::Vercel {
        api,
        project,
        name: "",
    };
    let vars = match h.env().await {
        Ok(vars) => vars,
        Err(e) => return vendor_failure(e, h.words()),
    };
    let layout = ctx.layout().await;
    let frontend_api =
        production_frontend_api(&layout.clerk_domain, ctx.inputs.publishable_key.as_deref());
    let mut wrong: Vec<String> = vars
        .iter()
        .filter(|v| is_clerk_key(&v.key) && v.in_production())
        .filter_map(|v| match describe(v, &frontend_api, h.words()) {
            Some(Finding::Wrong(w)) => Some(w),
            _ => None,
        })
        .collect();
    let primary = format!("https://{}/", layout.app_domain);
    wrong.extend(setting(&vars, "CLERK_PUBLISHABLE_KEY", |_| true));
    wrong.extend(setting(&vars, "CLERK_SECRET_KEY", |_| true));
    wrong.extend(setting(&vars, "CLERK_IS_SATELLITE", |v| v == "true"));
    wrong.extend(
        setting(&vars, "CLERK_DOMAIN", |v| v == s.domain)
            .map(|why| format!("{why} (it must be the bare host {})", s.domain)),
    );
    wrong.extend(
        setting(&vars, "CLERK_SIGN_IN_URL", |v| v.starts_with(&primary))
            .map(|why| format!("{why} (sign-in happens on the primary, {primary}sign-in)")),
    );
    if wrong.is_empty() {
        Outcome::pass(format!(
            "{} is a satellite of {} with {frontend_api}'s live keys",
            s.domain, layout.app_domain
        ))
    } else {
        Outcome::fail(
            format!("{}.", wrong.join("; ")),
            format!(
                "In the Vercel project of {}, give production: the live keys, \
                 NEXT_PUBLIC_CLERK_IS_SATELLITE=true, NEXT_PUBLIC_CLERK_DOMAIN={} and \
                 NEXT_PUBLIC_CLERK_SIGN_IN_URL={primary}sign-in (with your framework's \
                 prefix); then redeploy it.",
                s.domain, s.domain
            ),
        )
    }
}

async fn deployment(ctx: &CheckContext) -> Outcome {
    let h = match host(ctx) {
        Ok(h) => h,
        Err(skip) => return skip,
    };
    let w = h.words();
    let (d, vars) = futures::join!(h.production_deployment(), h.env());
    let d = match d {
        Ok(Some(d)) => d,
        Ok(None) => {
            return Outcome::fail(
                format!("The {} has no production deployment.", w.project),
                format!(
                    "Push to the production branch, or deploy from the {} dashboard.",
                    w.name
                ),
            )
        }
        Err(e) => return vendor_failure(e, w),
    };
    let inspector = d
        .inspector_url
        .clone()
        .unwrap_or_else(|| format!("https://{}", d.url));
    if d.failed() {
        let why = d
            .alias_error
            .as_ref()
            .map(|a| a.message.clone())
            .or(d.error_message.clone())
            .unwrap_or_else(|| d.ready_state.clone());
        return Outcome::fail(
            format!("The latest production deployment failed: {why}."),
            format!("Open the build logs: {inspector}"),
        );
    }
    if !d.live() {
        return Outcome::warn(
            format!(
                "The latest production deployment is {} (not live yet).",
                d.ready_state
            ),
            format!("Wait for it to finish, or follow it: {inspector}"),
        );
    }
    // The webhook signing secret too: a build reads it like the keys.
    let changed = vars
        .unwrap_or_default()
        .iter()
        .filter(|v| is_clerk_key(&v.key) || SECRET_VARS.contains(&v.key.as_str()))
        .filter(|v| v.in_production())
        .filter_map(|v| v.updated_at)
        .fold(0.0, f64::max);
    if changed > d.created_at {
        return Outcome::fail(
            "Production's Clerk keys (or webhook signing secret) changed after the live deployment was built: it still serves the old ones.",
            format!("Redeploy on the Hosting step (or {}).", w.redeploy),
        );
    }
    Outcome::pass(format!(
        "https://{} is live, built after the keys were set",
        d.url
    ))
}

/// The first Clerk publishable key in a page or script.
fn find_publishable_key(text: &str) -> Option<String> {
    let start = text.find("pk_live_").or_else(|| text.find("pk_test_"))?;
    let key: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '=')
        .collect();
    Some(key)
}

/// Script URLs the page loads from its own origin (`src="/…"`), at most `limit`.
fn same_origin_scripts(html: &str, limit: usize) -> Vec<String> {
    html.split("<script")
        .skip(1)
        .filter_map(|tag| {
            let src = tag
                .split('>')
                .next()?
                .split("src=\"")
                .nth(1)?
                .split('"')
                .next()?;
            src.starts_with('/').then(|| src.to_string())
        })
        .filter(|s| !s.starts_with("//"))
        .take(limit)
        .collect()
}

/// How many of the page's own scripts are searched for the key (each bounded in size).
const MAX_SCRIPTS: usize = 12;

async fn site(ctx: &CheckContext) -> Outcome {
    let (host, page) = match ctx.home_page().await {
        Ok(home) => (home.url.host_str().unwrap_or(&ctx.domain), &home.page),
        Err(why) => {
            return Outcome::fail(
                format!("{why}."),
                format!(
                    "Check that the domain points to {} (dns.apex) and the deployment is live.",
                    words(ctx).name
                ),
            )
        }
    };
    let html = String::from_utf8_lossy(&page.body).to_string();
    let mut found = find_publishable_key(&html);
    for script in same_origin_scripts(&html, MAX_SCRIPTS) {
        if found.is_some() {
            break;
        }
        if let Ok(r) = ctx.prober.get(host, &script, &[]).await {
            found = find_publishable_key(&String::from_utf8_lossy(&r.body));
        }
    }
    let Some(key) = found else {
        return Outcome::warn(
            format!("No Clerk publishable key found on https://{} or in its scripts.", ctx.domain),
            "If the site loads Clerk only on some pages, this is expected; otherwise check the build.",
        );
    };
    let want = production_frontend_api(
        &ctx.layout().await.clerk_domain,
        ctx.inputs.publishable_key.as_deref(),
    );
    match parse_publishable_key(&key) {
        Ok(pk) if pk.env == KeyEnv::Live && pk.frontend_api == want => Outcome::pass(format!(
            "https://{} serves the live key of {want}",
            ctx.domain
        )),
        Ok(pk) if pk.env == KeyEnv::Test => Outcome::fail(
            format!(
                "https://{} still serves a development key ({}): the build baked in pk_test.",
                ctx.domain, pk.frontend_api
            ),
            "Set the live keys for production and redeploy (Hosting step).",
        )
        .evidence(
            format!("pk_live_ key for {want}"),
            format!("pk_test_ key for {}", pk.frontend_api),
        ),
        Ok(pk) => Outcome::fail(
            format!(
                "https://{} serves the key of {}, not {want}.",
                ctx.domain, pk.frontend_api
            ),
            "Set this instance's live publishable key for production and redeploy.",
        )
        .evidence(
            format!("pk_live_ key for {want}"),
            format!("pk_live_ key for {}", pk.frontend_api),
        ),
        Err(_) => Outcome::warn(
            format!(
                "https://{} has something like a Clerk key that does not decode ({key}).",
                ctx.domain
            ),
            format!("Check the publishable key variable in {}.", words(ctx).name),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_scripts_are_found_in_pages() {
        let html = r#"<html><script src="/_next/static/app.js" defer></script>
            <script src="https://cdn.example/x.js"></script><script>window.k="pk_live_Y2xlcmsucS50ZXN0JA"</script>"#;
        assert_eq!(
            find_publishable_key(html).as_deref(),
            Some("pk_live_Y2xlcmsucS50ZXN0JA")
        );
        assert_eq!(same_origin_scripts(html, 5), ["/_next/static/app.js"]);
        assert_eq!(find_publishable_key("nothing here"), None);
    }
}
