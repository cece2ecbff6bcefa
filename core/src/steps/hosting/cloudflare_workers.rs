//! Cloudflare Workers behind `host::Host`. A Worker has no production/preview split: its
//! environments (wrangler's `--env`) are separate scripts. Golive writes to the one script
//! named — the production one — and never touches another; so every variable it sees is
//! production's, and the other environments keep what they have.
//!
//! Golive sets the keys as secrets (`PUT …/secrets`), never as plain variables: a plain
//! variable comes from wrangler's `[vars]` and the next `wrangler deploy` would set it back.
//! A key that is a plain variable is left as it is and said (change it in `[vars]`).
//! A Worker reads a secret at once: each `PUT` deploys a new version of the script, so there
//! is no build to run after the plan — a "redeploy" is the deployment already live.
//!
//! Secrets are write-only and Cloudflare lists only their names, so Golive marks what it set
//! with a secret *named* after its marker (`GOLIVE_MARKER_<KEY>_<digest>`, see
//! `env_plan::marker_digest`), set after the value; the marker it replaces is removed (a
//! marker is Golive's own bookkeeping: no variable of the app is ever deleted).

use super::cloudflare_pages::{in_account, DASHBOARD};
use super::env_plan::{marker_digest, EnvAction, EnvStep, Wanted, PRODUCTION};
use super::host::{reword, HostVar, MARKER_PREFIX};
use super::HostingDomain;
use crate::error::{Error, Result};
use crate::vendors::cloudflare::workers::Binding;
use crate::vendors::cloudflare::Cloudflare;
use crate::vendors::netlify::millis;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::domains::ProjectDomain;

const WHAT: &str = "Worker";

fn marker_name(key: &str, digest: &str) -> String {
    format!("{MARKER_PREFIX}{key}_{digest}")
}

/// The marker secrets of `key`: their digests.
fn markers<'b>(bindings: &'b [Binding], key: &str) -> Vec<&'b str> {
    let prefix = format!("{MARKER_PREFIX}{key}_");
    bindings
        .iter()
        .filter(|b| b.kind == "secret_text")
        .filter_map(|b| b.name.strip_prefix(&prefix))
        .filter(|d| d.len() == 12 && d.chars().all(|c| c.is_ascii_hexdigit()))
        .collect()
}

pub async fn bindings(api: &Cloudflare<'_>, account: &str, script: &str) -> Result<Vec<Binding>> {
    api.worker_bindings(account, script)
        .await
        .map_err(|e| in_account(e, account, script, WHAT))
}

/// The script's variables (plain ones and secrets), all production's; markers fold in (one
/// marker, or none: two mean an interrupted change, which the next run sets again).
pub fn vars(bindings: &[Binding]) -> Vec<HostVar> {
    bindings
        .iter()
        .filter(|b| matches!(b.kind.as_str(), "plain_text" | "secret_text"))
        .filter(|b| !b.name.starts_with(MARKER_PREFIX))
        .map(|b| {
            let secret = b.kind == "secret_text";
            let found = markers(bindings, &b.name);
            HostVar {
                id: b.name.clone(),
                key: b.name.clone(),
                value: if secret {
                    String::new()
                } else {
                    b.text.clone().unwrap_or_default()
                },
                contexts: vec![PRODUCTION.into()],
                marker: match found.as_slice() {
                    [one] if secret => Some(one.to_string()),
                    _ => None,
                },
                updated_at: None,
                scoped: false,
                secret,
            }
        })
        .collect()
}

/// One step: the value as a secret, then its marker, then the marker it replaces removed.
pub async fn apply(
    api: &Cloudflare<'_>,
    account: &str,
    script: &str,
    step: &EnvStep,
    w: &Wanted,
    vars: &[HostVar],
) -> Result<()> {
    if !matches!(step.action, EnvAction::Create | EnvAction::SetValue) {
        return Ok(());
    }
    if vars.iter().any(|v| v.key == w.key && !v.secret) {
        return Err(Error::invalid(
            "cloudflare_worker_plain_var",
            format!(
                "{} is a plain variable of the Worker {script} (wrangler's [vars]): the next \
                 wrangler deploy would set it back, so Golive does not change it through the \
                 API. Put the live value in wrangler.toml's [vars] for production and run \
                 wrangler deploy — or remove it from [vars] and run the plan again, and Golive \
                 sets it as a secret.",
                w.key
            ),
        ));
    }
    let put = |name: String, text: String| async move {
        api.put_worker_secret(account, script, &name, &text)
            .await
            .map_err(|e| in_account(e, account, script, WHAT))
    };
    put(w.key.clone(), w.value.expose().to_string()).await?;
    // After the value: a marker never claims a value that is not there.
    let digest = marker_digest(&w.marker);
    put(marker_name(&w.key, &digest), "set by Golive".into()).await?;
    let now = bindings(api, account, script).await?;
    for old in markers(&now, &w.key).into_iter().filter(|d| *d != digest) {
        api.delete_worker_secret(account, script, &marker_name(&w.key, old))
            .await?;
    }
    Ok(())
}

/// The domain as a Worker custom domain: Cloudflare attaches one only in a zone the account
/// has, and then serves it with its own records and certificate: attached is verified.
pub async fn domain(
    api: &Cloudflare<'_>,
    account: &str,
    script: &str,
    domain: &str,
) -> Result<HostingDomain> {
    bindings(api, account, script).await?;
    let mine = api
        .worker_domains(account, domain)
        .await?
        .into_iter()
        .any(|d| d.hostname == domain && d.service == script);
    Ok(HostingDomain {
        domain: mine.then(|| ProjectDomain {
            name: domain.into(),
            verified: true,
            verification: vec![],
        }),
        misconfigured: !mine,
    })
}

/// Attaches the domain; never one another Worker serves (Cloudflare would move it).
pub async fn add_domain(
    api: &Cloudflare<'_>,
    account: &str,
    script: &str,
    domain: &str,
) -> Result<()> {
    bindings(api, account, script).await?;
    let found = api.worker_domains(account, domain).await?;
    if found.iter().any(|d| d.service == script) {
        return Ok(());
    }
    if let Some(other) = found.iter().find(|d| d.hostname == domain) {
        return Err(Error::invalid(
            "cloudflare_domain_elsewhere",
            format!(
                "{domain} is already a custom domain of the Worker {}. Remove it there \
                 ({DASHBOARD} → Workers & Pages → {} → Settings → Domains & Routes) and add it \
                 here again.",
                other.service, other.service
            ),
        ));
    }
    let zone = api.zone_for(domain).await.map_err(|e| {
        reword(
            e,
            "cloudflare_zone_not_found",
            "cloudflare_zone_elsewhere",
            |_| {
                format!(
                    "A Worker custom domain must be in a zone of the same Cloudflare account, and \
                 this token sees no zone for {domain}. Cloudflare's API cannot attach a domain \
                 whose DNS is elsewhere: add {domain}'s zone to the account ({DASHBOARD} → Add \
                 a domain), or give the token Zone: Read for it, then add it here again."
                )
            },
        )
    })?;
    api.attach_worker_domain(account, script, &zone.id, domain)
        .await
}

/// The script's newest deployment: live as soon as it exists (a Worker has no build).
pub async fn production_deployment(
    api: &Cloudflare<'_>,
    account: &str,
    script: &str,
) -> Result<Option<Deployment>> {
    bindings(api, account, script).await?;
    let view =
        format!("{DASHBOARD}/{account}/workers/services/view/{script}/production/deployments");
    Ok(api
        .worker_deployment(account, script)
        .await?
        .map(|d| Deployment {
            url: view.trim_start_matches("https://").to_string(),
            ready_state: "READY".into(),
            alias_assigned: true,
            alias_error: None,
            inspector_url: Some(view.clone()),
            created_at: d.created_on.as_deref().and_then(millis).unwrap_or_default(),
            error_message: None,
            id: d.id,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(name: &str, kind: &str, text: Option<&str>) -> Binding {
        Binding {
            name: name.into(),
            kind: kind.into(),
            text: text.map(str::to_string),
        }
    }

    #[test]
    fn bindings_are_production_variables_and_one_marker_marks() {
        let d = marker_digest("m");
        let b = [
            binding("PK", "plain_text", Some("pk_test_a")),
            binding("SK", "secret_text", None),
            binding(&marker_name("SK", &d), "secret_text", None),
            binding("KV", "kv_namespace", None),
        ];
        let v = vars(&b);
        assert_eq!(
            v.len(),
            2,
            "markers and other bindings are no variables: {v:?}"
        );
        assert_eq!((v[0].value.as_str(), v[0].secret), ("pk_test_a", false));
        assert_eq!(v[1].marker.as_deref(), Some(d.as_str()));
        assert_eq!(v[1].contexts, [PRODUCTION]);
        // Two markers: an interrupted change; neither is trusted.
        let mut two = b.to_vec();
        two.push(binding(
            &marker_name("SK", &marker_digest("n")),
            "secret_text",
            None,
        ));
        assert_eq!(vars(&two)[1].marker, None);
    }
}
