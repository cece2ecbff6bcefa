//! Render behind `host::Host`. Render keeps one flat set of variables per service — no
//! deploy contexts, no secret flag, values shown in plain text — so the service's variables
//! are production's, and a plan for Render only ever sets values (never re-targets).
//!
//! Previews are separate services (preview instances, `parentServer` = this service) that
//! copy the service's variables when Render creates them. Golive reads the existing ones (so
//! `host.env` can say where a live key sits) and never writes to them; while the service
//! makes previews (`previews.generation` not `off`), it refuses to put the live keys in the
//! service, where every new preview would read them.
//!
//! Render does not date its variables. So that `host.deployment` can tell a build older
//! than the keys, Golive sets a plain `GOLIVE_SET_AT_<KEY>` (RFC 3339) after each value it
//! writes; a value without one (set by hand, or an interrupted run) is not dated.

use time::format_description::well_known::Rfc3339;

use super::env_plan::{EnvAction, EnvStep, Wanted, PRODUCTION};
use super::host::HostVar;
use super::HostingDomain;
use crate::error::Result;
use crate::vendors::netlify::millis;
use crate::vendors::render::deploys::RenderDeploy;
use crate::vendors::render::env::RenderVar;
use crate::vendors::render::services::Service;
use crate::vendors::render::Render;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::domains::{ProjectDomain, Verification};

const STAMP_PREFIX: &str = "GOLIVE_SET_AT_";

/// The domain as Render has it on the service, with the record to add while unverified.
pub(super) async fn domain(api: &Render<'_>, service: &str, domain: &str) -> Result<HostingDomain> {
    let (s, d) = futures::join!(api.service(service), api.custom_domain(service, domain));
    let (s, d) = (s?, d?);
    let Some(d) = d else {
        return Ok(HostingDomain {
            domain: None,
            misconfigured: true,
        });
    };
    let verified = d.verified();
    let at_apex = if d.domain_type == "apex" {
        " (at the apex, an ALIAS, ANAME or flattened CNAME)"
    } else {
        ""
    };
    Ok(HostingDomain {
        domain: Some(ProjectDomain {
            name: d.name.clone(),
            verified,
            verification: match (verified, s.host()) {
                (false, Some(host)) => vec![Verification {
                    kind: "CNAME".into(),
                    domain: d.name,
                    value: host,
                    reason: format!(
                        "Render verifies the domain once it points to the service's onrender.com \
                         host{at_apex}; its API names that host but no records"
                    ),
                }],
                _ => vec![],
            },
        }),
        misconfigured: !verified,
    })
}

/// The service's variables (production), then each preview instance's under its own
/// context; Golive's stamps fold into the values they date.
pub(super) async fn vars(api: &Render<'_>, service: &str) -> Result<Vec<HostVar>> {
    let s = api.service(service).await?;
    let (own, previews) = futures::join!(api.env(service), api.previews(&s));
    let mut all = production_vars(&own?);
    for p in previews? {
        let context = format!("preview {}", p.name);
        all.extend(api.env(&p.id).await?.into_iter().map(|v| HostVar {
            id: format!("{}/{}", p.id, v.key),
            key: v.key,
            value: v.value,
            contexts: vec![context.clone()],
            marker: None,
            updated_at: None,
            scoped: false,
            secret: false,
        }));
    }
    Ok(all)
}

fn production_vars(vars: &[RenderVar]) -> Vec<HostVar> {
    let stamp_of = |key: &str| {
        vars.iter()
            .find(|s| s.key == format!("{STAMP_PREFIX}{key}"))
            .and_then(|s| millis(&s.value))
    };
    vars.iter()
        .filter(|v| !v.key.starts_with(STAMP_PREFIX))
        .map(|v| HostVar {
            id: v.key.clone(),
            key: v.key.clone(),
            value: v.value.clone(),
            contexts: vec![PRODUCTION.into()],
            marker: None,
            updated_at: stamp_of(&v.key),
            scoped: false,
            secret: false,
        })
        .collect()
}

/// Why Golive will not write the live keys to this service now, if it will not.
pub(super) fn hold(s: &Service) -> Option<String> {
    let generation = s.previews_on()?;
    Some(format!(
        "Previews are {generation} for this service, and Render copies its variables into \
         every preview it creates: the live keys would reach previews. Turn previews off \
         (Settings → Previews → Off) at {}, then preview the plan again.",
        s.dashboard()
    ))
}

/// What the plan's reader should know about Render's single set of variables.
pub(super) fn notes(s: &Service) -> Vec<String> {
    vec![
        "Render keeps one set of variables per service, without deploy contexts: this \
         service's variables are production's."
            .into(),
        format!(
            "Previews are separate services that copy this service's variables when Render \
             creates them; Golive never writes to them. Previews are {} for this service.",
            s.service_details
                .previews
                .as_ref()
                .map_or("off", |p| p.generation.as_str())
        ),
        "Variables of a linked environment group are not read; the service's own value of a \
         key overrides a group's."
            .into(),
    ]
}

/// One step at Render: the value, then its stamp (so a stamp never dates a value that is
/// not there).
pub(super) async fn apply(
    api: &Render<'_>,
    service: &str,
    step: &EnvStep,
    w: &Wanted,
) -> Result<()> {
    if !matches!(step.action, EnvAction::SetValue | EnvAction::Create) {
        return Ok(());
    }
    api.set_env(service, &w.key, w.value.expose()).await?;
    let now = time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default();
    api.set_env(service, &format!("{STAMP_PREFIX}{}", w.key), &now)
        .await
}

/// A Render deploy in the model the step follows: its status in capitals (`LIVE`,
/// `BUILD_FAILED`, `BUILD_IN_PROGRESS`, …, Render's own words), the service's address, and
/// the deploy's page in Render's dashboard as the link to follow (the API gives no log URL:
/// the page is the dashboard's `<service>/deploys/<id>`).
pub(super) fn deployment(d: RenderDeploy, s: &Service) -> Deployment {
    let status = d.status.unwrap_or_else(|| "created".into());
    let error_message = match status.as_str() {
        "build_failed" => Some("the build failed (build_failed)"),
        "update_failed" => Some("the new build did not start serving (update_failed)"),
        "pre_deploy_failed" => Some("the pre-deploy command failed (pre_deploy_failed)"),
        "canceled" => Some("it was canceled (canceled)"),
        "deactivated" => Some("Render deactivated it: a newer deploy replaced it (deactivated)"),
        _ => None,
    };
    Deployment {
        url: s.host().unwrap_or_default(),
        ready_state: status.to_ascii_uppercase(),
        alias_assigned: status == "live",
        alias_error: None,
        inspector_url: Some(format!("{}/deploys/{}", s.dashboard(), d.id)),
        created_at: d.created_at.as_deref().and_then(millis).unwrap_or_default(),
        error_message: error_message.map(str::to_string),
        id: d.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(key: &str, value: &str) -> RenderVar {
        RenderVar {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn variables_are_production_and_stamps_date_them() {
        let vars = [
            var("PK", "pk_test_a"),
            var("GOLIVE_SET_AT_PK", "2026-12-05T10:00:00Z"),
            var("SK", "sk_live_b"),
        ];
        let host = production_vars(&vars);
        assert_eq!(host.len(), 2, "a stamp is no variable of its own");
        assert_eq!(host[0].contexts, [PRODUCTION]);
        assert_eq!(host[0].updated_at, Some(1_796_464_800_000.0));
        assert_eq!(
            (host[1].value.as_str(), host[1].updated_at),
            ("sk_live_b", None)
        );
    }

    fn service(previews: &str) -> Service {
        serde_json::from_value(serde_json::json!({
            "id": "srv-1", "name": "app", "ownerId": "tea-1",
            "dashboardUrl": "https://dashboard.render.com/web/srv-1",
            "serviceDetails": {"url": "https://app.onrender.com", "previews": {"generation": previews}}
        }))
        .unwrap()
    }

    #[test]
    fn previews_hold_the_live_keys_back() {
        assert_eq!(hold(&service("off")), None);
        let why = hold(&service("automatic")).unwrap();
        assert!(why.contains("Previews are automatic"), "{why}");
        assert!(
            why.contains("https://dashboard.render.com/web/srv-1"),
            "{why}"
        );
    }

    #[test]
    fn deploys_map_to_the_followed_model() {
        let s = service("off");
        let d = |status: &str| {
            deployment(
                RenderDeploy {
                    id: "dep-1".into(),
                    status: Some(status.into()),
                    created_at: Some("1970-01-01T00:00:01Z".into()),
                },
                &s,
            )
        };
        let live = d("live");
        assert!(live.live() && !live.failed(), "{live:?}");
        assert_eq!(live.url, "app.onrender.com");
        assert_eq!(
            live.inspector_url.as_deref(),
            Some("https://dashboard.render.com/web/srv-1/deploys/dep-1")
        );
        for failed in [
            "build_failed",
            "update_failed",
            "pre_deploy_failed",
            "canceled",
            "deactivated",
        ] {
            let f = d(failed);
            assert!(f.failed() && !f.live(), "{f:?}");
            assert!(f.error_message.unwrap().contains(failed));
        }
        let building = d("build_in_progress");
        assert!(!building.failed() && !building.live());
        assert_eq!(building.ready_state, "BUILD_IN_PROGRESS");
    }
}
