//! The env migration's plan, made from what the host has now (see the step's header for the
//! order it keeps), over the host-neutral model (`host::HostVar`): pure, so every
//! interleaving is tested without a server, and every host gets the same order.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::host::{HostVar, Words};
use crate::secrets::Secret;

/// The deploy context every host calls production.
pub const PRODUCTION: &str = "production";

/// One variable the launch needs in production.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub key: String,
    pub value: Secret,
    /// Whether the host should keep it write-only (the secret key, the signing secret).
    pub secret: bool,
    /// The host's word for that (`sensitive` or `encrypted` at Vercel).
    pub kind: &'static str,
    /// The comment Golive leaves on it (see `marker`).
    pub marker: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum EnvAction {
    /// Already the live key, for production only.
    Keep,
    /// Take production off a shared variable, keeping its value for the other targets.
    Retarget,
    /// Create the live key for production.
    Create,
    /// Replace the value of a production-only variable with the live key.
    SetValue,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvStep {
    pub key: String,
    pub action: EnvAction,
    /// The variable changed (none for a create).
    #[ts(optional)]
    pub id: Option<String>,
    pub target: Vec<String>,
    pub detail: String,
}

/// The comment Golive leaves on what it sets: Vercel never shows a sensitive value again,
/// so this is how a later run knows that variable holds this instance's live key.
pub fn marker(frontend_api: &str) -> String {
    format!("Clerk production key for {frontend_api}, set by Golive")
}

/// The comment on the webhook signing secret Golive sets. It names the secret's last four
/// characters (what the app shows of any secret), so a secret pasted anew — the endpoint
/// re-created — is told apart from the one set before.
pub fn webhook_marker(frontend_api: &str, secret: &Secret) -> String {
    format!(
        "{} (ends in …{}), set by Golive",
        webhook_marker_prefix(frontend_api),
        secret.last4()
    )
}

fn webhook_marker_prefix(frontend_api: &str) -> String {
    format!("Clerk webhook signing secret for {frontend_api}")
}

/// The last four characters a `webhook_marker` for this instance names, if it is one.
pub fn webhook_marker_last4<'c>(comment: &'c str, frontend_api: &str) -> Option<&'c str> {
    comment
        .strip_prefix(&webhook_marker_prefix(frontend_api))?
        .strip_prefix(" (ends in …")?
        .strip_suffix("), set by Golive")
}

/// Where a host lists a secret's name but keeps no readable note (a Worker), Golive names its
/// marker after this digest of the marker's text (the first 12 hex digits of its SHA-256).
pub fn marker_digest(marker: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, marker.as_bytes())
        .as_ref()
        .iter()
        .take(6)
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Whether what a host kept (`found`) marks `marker`: the text itself, or its digest.
pub fn marks(found: Option<&str>, marker: &str) -> bool {
    found.is_some_and(|f| f == marker || f == marker_digest(marker))
}

/// What must change so production has exactly the wanted values, in the order to apply it.
pub fn plan_env(vars: &[HostVar], wanted: &[Wanted], words: &Words) -> Vec<EnvStep> {
    let mut steps = vec![];
    for w in wanted {
        let production: Vec<&HostVar> = vars
            .iter()
            .filter(|v| v.key == w.key && !v.scoped && v.in_production())
            .collect();
        let step = |action, id: Option<&str>, target: Vec<String>, detail: String| EnvStep {
            key: w.key.clone(),
            action,
            id: id.map(str::to_string),
            target,
            detail,
        };
        let mut needs_create = production.is_empty();
        for v in &production {
            if v.contexts.len() > 1 {
                let others: Vec<String> = v
                    .contexts
                    .iter()
                    .filter(|t| *t != PRODUCTION)
                    .cloned()
                    .collect();
                steps.push(step(
                    EnvAction::Retarget,
                    Some(&v.id),
                    others.clone(),
                    format!("Keep its value for {} only", others.join(" and ")),
                ));
                needs_create = true;
            } else if v.value == w.value.expose()
                || (v.value.is_empty() && marks(v.marker.as_deref(), &w.marker))
            {
                steps.push(step(
                    EnvAction::Keep,
                    Some(&v.id),
                    v.contexts.clone(),
                    "Already the production value".into(),
                ));
            } else {
                let why = if v.value.is_empty() {
                    format!(
                        "{} does not show this {} value; set it to the production value",
                        words.name, words.secret
                    )
                } else {
                    "Replace its value with the production value".into()
                };
                steps.push(step(
                    EnvAction::SetValue,
                    Some(&v.id),
                    v.contexts.clone(),
                    why,
                ));
            }
        }
        if needs_create {
            steps.push(step(
                EnvAction::Create,
                None,
                vec![PRODUCTION.into()],
                format!("Create it for production, as {}", w.kind),
            ));
        }
    }
    steps
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvPlan {
    pub steps: Vec<EnvStep>,
    /// Every step is `keep` (and nothing holds the plan back).
    pub done: bool,
    /// What the host's model of variables means for the plan, in its words.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Why Golive will not apply the plan as the host stands (Render's previews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub held: Option<String>,
}

impl EnvPlan {
    pub(super) fn of(steps: Vec<EnvStep>) -> EnvPlan {
        EnvPlan {
            done: steps.iter().all(|s| s.action == EnvAction::Keep),
            steps,
            notes: vec![],
            held: None,
        }
    }

    /// With the host's notes, and what holds it back (then it is not done).
    pub(super) fn noted(self, notes: Vec<String>, held: Option<String>) -> EnvPlan {
        EnvPlan {
            done: self.done && held.is_none(),
            notes,
            held,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(id: &str, key: &str, value: &str, target: &[&str], comment: Option<&str>) -> HostVar {
        HostVar {
            id: id.into(),
            key: key.into(),
            value: value.into(),
            contexts: target.iter().map(|t| t.to_string()).collect(),
            marker: comment.map(str::to_string),
            updated_at: None,
            scoped: false,
            secret: value.is_empty(),
        }
    }

    fn plan_env(vars: &[HostVar], wanted: &[Wanted]) -> Vec<EnvStep> {
        super::plan_env(vars, wanted, crate::project::Hosting::Vercel.words())
    }

    fn wanted() -> Vec<Wanted> {
        vec![
            Wanted {
                key: "PK".into(),
                value: Secret::new("pk_live_x"),
                secret: false,
                kind: "encrypted",
                marker: "m".into(),
            },
            Wanted {
                key: "SK".into(),
                value: Secret::new("sk_live_y"),
                secret: true,
                kind: "sensitive",
                marker: "m".into(),
            },
        ]
    }

    fn actions(steps: &[EnvStep]) -> Vec<(String, EnvAction)> {
        steps.iter().map(|s| (s.key.clone(), s.action)).collect()
    }

    #[test]
    fn a_shared_test_key_is_retargeted_then_the_live_one_created() {
        let all = ["production", "preview", "development"];
        let vars = [
            var("e1", "PK", "pk_test_a", &all, None),
            var("e2", "SK", "", &all, None),
        ];
        let steps = plan_env(&vars, &wanted());
        assert_eq!(
            actions(&steps),
            [
                ("PK".into(), EnvAction::Retarget),
                ("PK".into(), EnvAction::Create),
                ("SK".into(), EnvAction::Retarget),
                ("SK".into(), EnvAction::Create),
            ]
        );
        assert_eq!(steps[0].target, ["preview", "development"]);
        assert_eq!(steps[1].target, ["production"]);
    }

    #[test]
    fn production_only_variables_get_their_value_and_right_ones_stay() {
        let vars = [
            var("e1", "PK", "pk_test_a", &["production"], None),
            var("e2", "PK", "pk_test_a", &["preview", "development"], None),
            var("e3", "SK", "", &["production"], Some("m")),
        ];
        let steps = plan_env(&vars, &wanted());
        assert_eq!(
            actions(&steps),
            [
                ("PK".into(), EnvAction::SetValue),
                ("SK".into(), EnvAction::Keep)
            ]
        );
        // Unknown sensitive values are set, not trusted.
        let steps = plan_env(
            &[var("e3", "SK", "", &["production"], None)],
            &wanted()[1..],
        );
        assert_eq!(actions(&steps), [("SK".into(), EnvAction::SetValue)]);
    }

    #[test]
    fn missing_keys_are_created_and_branch_variables_ignored() {
        let mut branch = var("e1", "PK", "pk_test_a", &["preview"], None);
        branch.scoped = true;
        let steps = plan_env(&[branch], &wanted());
        assert_eq!(
            actions(&steps),
            [
                ("PK".into(), EnvAction::Create),
                ("SK".into(), EnvAction::Create)
            ]
        );
    }

    #[test]
    fn a_webhook_secret_is_kept_only_while_its_marker_names_it() {
        let secret = Secret::new("whsec_abcdefghijklmnopqrstuvwxyzAB");
        let marker = webhook_marker("clerk.q.test", &secret);
        assert_eq!(webhook_marker_last4(&marker, "clerk.q.test"), Some("yzAB"));
        assert_eq!(webhook_marker_last4(&marker, "clerk.other.test"), None);
        assert_eq!(webhook_marker_last4("m", "clerk.q.test"), None);
        let wanted = |secret: &Secret| Wanted {
            key: "WH".into(),
            value: secret.clone(),
            secret: true,
            kind: "sensitive",
            marker: webhook_marker("clerk.q.test", secret),
        };
        let set = [var("e1", "WH", "", &["production"], Some(&marker))];
        assert_eq!(
            actions(&plan_env(&set, &[wanted(&secret)])),
            [("WH".into(), EnvAction::Keep)]
        );
        // A new secret (the endpoint re-created) replaces the one Golive set before.
        let renewed = Secret::new("whsec_abcdefghijklmnopqrstuvwxyzCD");
        assert_eq!(
            actions(&plan_env(&set, &[wanted(&renewed)])),
            [("WH".into(), EnvAction::SetValue)]
        );
    }
}
