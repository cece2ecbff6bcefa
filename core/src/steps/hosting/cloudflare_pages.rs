//! Cloudflare Pages behind `host::Host`. A Pages project keeps one set of variables per
//! environment — `production` and `preview` — so no variable is shared between them and a
//! re-target never arises: production's get the live keys, preview's are never written.
//! Cloudflare shows no `secret_text` value and keeps no comment, so Golive sets a plain
//! production-only `GOLIVE_MARKER_<KEY>` next to a secret, in the same request as its value
//! (Cloudflare merges the keys of one PATCH at once: a value is never left unmarked).
//! Cloudflare keeps no time per variable either: a production variable has changed since the
//! production deployment serving the domains when the variables that deployment was built
//! with differ from it (or from its marker).

use std::collections::BTreeMap;

use super::env_plan::{EnvAction, EnvStep, Wanted, PRODUCTION};
use super::host::{reword, HostVar, MARKER_PREFIX};
use super::HostingDomain;
use crate::error::{Error, Result};
use crate::vendors::cloudflare::pages::{PagesDeployment, PagesDomain, PagesProject, PagesVar};
use crate::vendors::cloudflare::Cloudflare;
use crate::vendors::netlify::millis;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::domains::{ProjectDomain, Verification};

/// The dashboard, where the API falls short.
pub const DASHBOARD: &str = "https://dash.cloudflare.com";

/// The project, with Cloudflare's refusals said for Pages: a project it does not have (or
/// of another account), or a token refused for the account.
pub async fn project(api: &Cloudflare<'_>, account: &str, name: &str) -> Result<PagesProject> {
    api.pages_project(account, name)
        .await
        .map_err(|e| in_account(e, account, name, "Pages project"))
}

/// A 404 or 403 for a project or Worker, said with the account and the name it was asked
/// for: both come from the user, and either may be wrong.
pub fn in_account(e: Error, account: &str, name: &str, what: &str) -> Error {
    let e = reword(
        e,
        "cloudflare_not_found",
        "cloudflare_project_not_found",
        |e| {
            format!(
            "Cloudflare account {account} has no {what} named {name} ({e}). Check the name, and \
             that CLOUDFLARE_ACCOUNT_ID is the account that owns it ({DASHBOARD} → Workers & \
             Pages → Account ID)."
        )
        },
    );
    reword(
        e,
        "cloudflare_token_rejected",
        "cloudflare_account_rejected",
        |e| {
            format!(
                "Cloudflare refused this token for account {account} ({e}). Either the account \
             is not the one that owns {name}, or the token lacks Cloudflare Pages: Edit and \
             Workers Scripts: Edit for it (My Profile → API Tokens)."
            )
        },
    )
}

fn var(key: &str, v: &PagesVar, context: &str, marker: Option<String>, at: Option<f64>) -> HostVar {
    HostVar {
        id: format!("{context}:{key}"),
        key: key.into(),
        // Whatever Cloudflare shows of a secret, it is not the value.
        value: if v.secret() {
            String::new()
        } else {
            v.value.clone().unwrap_or_default()
        },
        contexts: vec![context.into()],
        marker,
        updated_at: at,
        scoped: false,
        secret: v.secret(),
    }
}

/// The project's variables in the neutral model; markers fold into what they mark.
pub fn vars(p: &PagesProject) -> Vec<HostVar> {
    let empty = BTreeMap::new();
    let production = p
        .deployment_configs
        .production
        .env_vars
        .as_ref()
        .unwrap_or(&empty);
    let preview = p
        .deployment_configs
        .preview
        .env_vars
        .as_ref()
        .unwrap_or(&empty);
    let built = p.canonical_deployment.as_ref();
    let marker_of = |key: &str| {
        production
            .get(&format!("{MARKER_PREFIX}{key}"))
            .and_then(|m| m.value.clone())
    };
    let mine = |k: &&String| !k.starts_with(MARKER_PREFIX);
    let mut out: Vec<HostVar> = production
        .iter()
        .filter(|(k, _)| mine(k))
        .map(|(k, v)| {
            let at = built
                .filter(|d| changed_since(production, d, k))
                .and_then(|d| d.created_on.as_deref().and_then(millis))
                .map(|t| t + 1.0);
            var(k, v, PRODUCTION, marker_of(k), at)
        })
        .collect();
    out.extend(
        preview
            .iter()
            .filter(|(k, _)| mine(k))
            .map(|(k, v)| var(k, v, "preview", None, None)),
    );
    out
}

/// Whether `key` (or its marker) is not what deployment `d` was built with.
fn changed_since(now: &BTreeMap<String, PagesVar>, d: &PagesDeployment, key: &str) -> bool {
    let empty = BTreeMap::new();
    let then = d.env_vars.as_ref().unwrap_or(&empty);
    let differs = |k: &str| match (now.get(k), then.get(k)) {
        (None, None) => false,
        (Some(a), Some(b)) => a.secret() != b.secret() || (!a.secret() && a.value != b.value),
        _ => true,
    };
    differs(key) || differs(&format!("{MARKER_PREFIX}{key}"))
}

/// One step: production's value (and, for a secret, its marker) in one request. A variable
/// is written whole, so the secret key becomes `secret_text` even where it was plain.
pub async fn apply(
    api: &Cloudflare<'_>,
    account: &str,
    project: &str,
    step: &EnvStep,
    w: &Wanted,
) -> Result<()> {
    if !matches!(step.action, EnvAction::Create | EnvAction::SetValue) {
        return Ok(());
    }
    let marker_key = format!("{MARKER_PREFIX}{}", w.key);
    let mut vars = vec![(w.key.as_str(), w.value.expose(), w.secret)];
    if w.secret {
        vars.push((marker_key.as_str(), w.marker.as_str(), false));
    }
    api.set_production_vars(account, project, &vars)
        .await
        .map_err(|e| in_account(e, account, project, "Pages project"))
}

/// The domain as the project has it: verified once Cloudflare calls it `active`.
pub async fn domain(
    api: &Cloudflare<'_>,
    account: &str,
    name: &str,
    domain: &str,
) -> Result<HostingDomain> {
    let p = project(api, account, name).await?;
    let Some(d) = api.pages_domain(account, name, domain).await? else {
        return Ok(HostingDomain {
            domain: None,
            misconfigured: true,
        });
    };
    let verified = d.status == "active";
    let v = d.validation_data.as_ref();
    let why = v
        .and_then(|v| v.error_message.clone())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            format!(
                "Cloudflare activates the domain once it points to {} (status: {})",
                p.subdomain, d.status
            )
        });
    // The domain's CNAME to the project, and the TXT record Cloudflare validates by if it
    // names one.
    let mut records = vec![Verification {
        kind: "CNAME".into(),
        domain: d.name.clone(),
        value: p.subdomain.clone(),
        reason: why.clone(),
    }];
    if let Some((name, value)) = validation_txt(&d) {
        records.push(Verification {
            kind: "TXT".into(),
            domain: name,
            value,
            reason: why,
        });
    }
    Ok(HostingDomain {
        domain: Some(ProjectDomain {
            name: d.name,
            verified,
            verification: if verified { vec![] } else { records },
        }),
        misconfigured: !verified,
    })
}

/// The TXT record (name, value) Cloudflare validates the domain by, if it names one.
pub fn validation_txt(d: &PagesDomain) -> Option<(String, String)> {
    let v = d.validation_data.as_ref()?;
    v.txt_name.clone().zip(v.txt_value.clone())
}

/// Adds the domain; Cloudflare refuses one another project has (409, or 400 saying so).
pub async fn add_domain(
    api: &Cloudflare<'_>,
    account: &str,
    name: &str,
    domain: &str,
) -> Result<()> {
    project(api, account, name).await?;
    if api.pages_domain(account, name, domain).await?.is_some() {
        return Ok(());
    }
    api.add_pages_domain(account, name, domain)
        .await
        .map_err(|e| {
            let taken = ["already", "in use", "another project"]
                .iter()
                .any(|w| e.to_string().contains(w));
            if !taken {
                return e;
            }
            reword(e, "cloudflare_error", "cloudflare_domain_elsewhere", |e| {
                format!(
                    "{domain} is on another Cloudflare Pages project or Worker ({e}). Remove it \
                     there ({DASHBOARD} → Workers & Pages → that project → Custom domains) and \
                     add it here again."
                )
            })
        })
}

/// Builds production again: a retry of the newest production deployment rebuilds its commit
/// with the project's current variables. A project uploaded directly has no build to rerun.
pub async fn redeploy(
    api: &Cloudflare<'_>,
    account: &str,
    name: &str,
    current: &Deployment,
) -> Result<Deployment> {
    let p = project(api, account, name).await?;
    if p.source.as_ref().is_none_or(|s| s.is_null()) {
        return Err(Error::invalid(
            "cloudflare_direct_upload",
            format!(
                "{name} is uploaded directly (wrangler pages deploy), so Cloudflare has no build \
                 to run again: deploy it again from where you build it (wrangler pages deploy \
                 … --branch {}), then check again. {DASHBOARD} → Workers & Pages → {name}.",
                p.production_branch.as_deref().unwrap_or("main")
            ),
        ));
    }
    let d = api
        .retry_pages_deployment(account, name, &current.id)
        .await?;
    Ok(deployment(account, name, d))
}

/// A Pages deployment in the model the step follows: `READY` once its `deploy` stage
/// succeeded (a production deployment then serves the domains), `ERROR` or `CANCELED` when
/// a stage failed, else its stage in capitals (`QUEUED`, `BUILD`, …, Cloudflare's words).
pub fn deployment(account: &str, project: &str, d: PagesDeployment) -> Deployment {
    let (ready_state, error_message) = match &d.latest_stage {
        Some(s) if s.status == "failure" => (
            "ERROR".to_string(),
            Some(format!("the {} stage failed", s.name)),
        ),
        Some(s) if s.status == "canceled" => ("CANCELED".to_string(), None),
        Some(s) if s.name == "deploy" && s.status == "success" => ("READY".to_string(), None),
        Some(s) => (s.name.to_ascii_uppercase(), None),
        None => ("QUEUED".to_string(), None),
    };
    let url = d
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    Deployment {
        url,
        alias_assigned: ready_state == "READY",
        ready_state,
        alias_error: None,
        inspector_url: Some(format!(
            "{DASHBOARD}/{account}/pages/view/{project}/{}",
            d.id
        )),
        created_at: d.created_on.as_deref().and_then(millis).unwrap_or_default(),
        error_message,
        id: d.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(json: serde_json::Value) -> PagesProject {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn environments_map_to_contexts_and_markers_fold_in() {
        let p = project(serde_json::json!({
            "name": "quill", "subdomain": "quill.pages.dev",
            "deployment_configs": {
                "production": {"env_vars": {
                    "PK": {"type": "plain_text", "value": "pk_live_a"},
                    "SK": {"type": "secret_text", "value": ""},
                    "GOLIVE_MARKER_SK": {"type": "plain_text", "value": "m"}}},
                "preview": {"env_vars": {"PK": {"type": "plain_text", "value": "pk_test_a"}}}},
            "canonical_deployment": {"id": "d1", "created_on": "2026-12-05T10:00:00Z",
                "env_vars": {"PK": {"type": "plain_text", "value": "pk_test_a"},
                             "SK": {"type": "secret_text", "value": ""},
                             "GOLIVE_MARKER_SK": {"type": "plain_text", "value": "m"}}}
        }));
        let v = vars(&p);
        assert_eq!(v.len(), 3, "the marker is no variable of its own");
        assert_eq!(
            (v[0].key.as_str(), v[0].contexts.as_slice()),
            ("PK", &["production".to_string()][..])
        );
        assert_eq!(
            v[0].updated_at,
            Some(1_796_464_800_001.0),
            "built with the test key"
        );
        assert_eq!(
            (v[1].value.as_str(), v[1].marker.as_deref()),
            ("", Some("m"))
        );
        assert_eq!(
            v[1].updated_at, None,
            "the secret and its marker are as built"
        );
        assert_eq!(
            (v[2].contexts[0].as_str(), v[2].marker.as_deref()),
            ("preview", None)
        );
    }

    #[test]
    fn stages_are_states() {
        let d = |stage: &str, status: &str| -> PagesDeployment {
            serde_json::from_value(
                serde_json::json!({"id": "d", "url": "https://d.quill.pages.dev",
                "latest_stage": {"name": stage, "status": status}}),
            )
            .unwrap()
        };
        let live = deployment("a", "p", d("deploy", "success"));
        assert!(live.live() && live.url == "d.quill.pages.dev");
        assert!(deployment("a", "p", d("build", "failure")).failed());
        let building = deployment("a", "p", d("build", "active"));
        assert!(!building.live() && !building.failed());
        assert_eq!(building.ready_state, "BUILD");
    }
}
