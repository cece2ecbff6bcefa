//! The SSO step against the sandbox: every provider's token endpoint answering every kind
//! of credential (probe classification), the checks in the CLI, the form → keychain →
//! probe path, pushing to Clerk, and no client secret anywhere it should not be.

use crate::common;
use crate::common::{check, golive, stdout_json};
use golive_core::provider::{Credentials, ProviderId};
use golive_core::secrets::{Secret, SecretKind, SecretStore};
use golive_core::vendors::oauth::token_probe::{probe, Verdict};
use golive_sandbox::oauth::{client, production_callback, APPLE_KEY_ID, APPLE_TEAM_ID};
use golive_sandbox::scenario::{publishable_key, DEV_FRONTEND_API, LIVE_SECRET_KEY, PLATFORM_KEY};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

fn credentials(p: ProviderId, id: &str, secret: &str) -> Credentials {
    let apple = p == ProviderId::Apple;
    Credentials {
        client_id: id.into(),
        secret: Secret::new(secret),
        apple_team_id: apple.then(|| APPLE_TEAM_ID.into()),
        apple_key_id: apple.then(|| APPLE_KEY_ID.into()),
        secret_expires_on: None,
    }
}

/// The sandbox client's secret (Apple's: the sandbox .p8 key).
fn good_secret(p: ProviderId) -> String {
    if p == ProviderId::Apple {
        golive_sandbox::oauth::apple_key().serialize_pem()
    } else {
        client(p.as_str()).secret.to_string()
    }
}

/// A secret of the right shape the provider does not know (Apple: another key).
fn wrong_secret(p: ProviderId) -> String {
    match p {
        ProviderId::Apple => rcgen::KeyPair::generate().unwrap().serialize_pem(),
        ProviderId::Github => "f".repeat(40),
        _ => format!("{}x", good_secret(p)),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_provider_and_answer_kind_is_classified() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let endpoints = golive_core::config::Endpoints::from_vars(sb.env()).unwrap();
    let http = golive_core::http::Http::new(&endpoints).unwrap();
    let dev_callback = format!("https://{DEV_FRONTEND_API}/v1/oauth_callback");
    for p in ProviderId::ALL {
        let url = &endpoints.oauth_token_urls[p.as_str()];
        let id = client(p.as_str()).client_id;
        let other_id = match p {
            ProviderId::Google => "999-other.apps.googleusercontent.com",
            ProviderId::Microsoft => "00000000-0000-4000-8000-000000000000",
            ProviderId::Discord => "999999999999999999",
            ProviderId::Github => "Ov23liSomeoneElse0000",
            ProviderId::Apple => "test.other.signin",
        };
        let cases = [
            (id, good_secret(p), production_callback(), Verdict::Accepted),
            (
                other_id,
                good_secret(p),
                production_callback(),
                Verdict::Rejected,
            ),
            (
                id,
                wrong_secret(p),
                production_callback(),
                Verdict::Rejected,
            ),
            (
                id,
                good_secret(p),
                dev_callback.clone(),
                Verdict::RedirectMismatch,
            ),
        ];
        for (client_id, secret, redirect, want) in cases {
            let r = probe(
                &http,
                p,
                url,
                &credentials(p, client_id, &secret),
                &redirect,
            )
            .await
            .unwrap();
            assert_eq!(r.verdict, want, "{p:?} {client_id} {redirect}: {r:?}");
            assert!(
                !r.message.contains(&secret),
                "{p:?}: the secret is not echoed"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_probes_each_provider_and_names_the_uri_to_register() {
    let sb = Sandbox::start(Scenario::named("sso-wrong-redirect").unwrap())
        .await
        .unwrap();
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    let r = stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &vars));
    let google = check(&r, "sso.google");
    assert_eq!(google["status"], "fail", "{google}");
    assert!(google["fix"]
        .as_str()
        .unwrap()
        .contains(&production_callback()));
    for id in ["sso.github", "sso.microsoft", "sso.discord", "sso.apple"] {
        assert_eq!(check(&r, id)["status"], "pass", "{}", check(&r, id));
    }
    // Without credentials a provider is skipped, not failed.
    let without: Vec<_> = vars
        .iter()
        .filter(|(k, _)| !k.starts_with("OAUTH_"))
        .cloned()
        .collect();
    let r = stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &without));
    assert_eq!(check(&r, "sso.google")["status"], "skip");
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    for c in golive_sandbox::oauth::CLIENTS
        .iter()
        .filter(|c| !c.secret.is_empty())
    {
        assert!(
            !text.contains(c.secret),
            "{} secret in the CLI output",
            c.provider
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_form_keeps_the_secret_in_the_keychain_and_the_probe_uses_it() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb);
    let (e, id) = (&t.engine, &t.project.id);
    e.set_publishable_key(id, &publishable_key(&format!("clerk.{DOMAIN}")))
        .unwrap();
    e.set_secret(id, SecretKind::ClerkSecretKey, LIVE_SECRET_KEY)
        .unwrap();
    e.set_dev_publishable_key(id, &publishable_key(DEV_FRONTEND_API))
        .unwrap();

    let overview = e.sso_overview(id).await.unwrap();
    assert_eq!(overview.redirect_uri, production_callback());
    assert_eq!(
        overview.origins,
        [format!("https://{DOMAIN}"), format!("https://www.{DOMAIN}")]
    );
    let state = |p: &str| {
        overview
            .providers
            .iter()
            .find(|s| s.provider.id.as_str() == p)
            .unwrap()
    };
    assert_eq!(state("google").enabled_in_development, Some(true));
    assert_eq!(state("github").enabled_in_development, Some(true));
    assert_eq!(state("github").enabled_in_production, Some(false));
    assert_eq!(state("apple").enabled_in_development, Some(false));

    // Swapped fields are caught before anything is stored.
    let mut swapped = common::google_form(client("google").client_id);
    swapped.client_id = client("google").secret.into();
    assert_eq!(e.sso_save(id, swapped).unwrap_err().code(), "oauth_swapped");
    assert!(t
        .secrets
        .get(id, SecretKind::OauthGoogle)
        .unwrap()
        .is_none());

    let good = client("google").secret;
    e.sso_save(id, common::google_form(good)).unwrap();
    assert_eq!(
        e.sso_probe(id, ProviderId::Google).await.unwrap().verdict,
        Verdict::Accepted
    );
    e.sso_save(id, common::google_form("GOCSPX-wrongSecret"))
        .unwrap();
    assert_eq!(
        e.sso_probe(id, ProviderId::Google).await.unwrap().verdict,
        Verdict::Rejected
    );

    // The secret lives in the keychain only: not in the settings, not in what the UI gets.
    let settings = std::fs::read_to_string(e_projects_file(&t)).unwrap();
    assert!(!settings.contains("GOCSPX-wrongSecret") && !settings.contains(good));
    assert!(settings.contains(client("google").client_id));
    let overview = serde_json::to_string(&e.sso_overview(id).await.unwrap()).unwrap();
    assert!(!overview.contains("GOCSPX-wrongSecret"));
    assert_eq!(
        t.secrets
            .get(id, SecretKind::OauthGoogle)
            .unwrap()
            .unwrap()
            .expose(),
        "GOCSPX-wrongSecret"
    );
}

fn e_projects_file(t: &common::TestProject) -> std::path::PathBuf {
    t.dir().join("projects.json")
}

#[tokio::test(flavor = "multi_thread")]
async fn pushing_to_clerk_sets_the_production_connection() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb);
    let (e, id) = (&t.engine, &t.project.id);
    let err = e.sso_push(id, ProviderId::Google).await.unwrap_err();
    assert_eq!(err.code(), "oauth_missing");
    e.sso_save(id, common::google_form(client("google").secret))
        .unwrap();
    assert_eq!(
        e.sso_push(id, ProviderId::Google).await.unwrap_err().code(),
        "platform_key_missing"
    );
    e.set_secret(id, SecretKind::ClerkPlatformKey, PLATFORM_KEY)
        .unwrap();
    // Picking the application (it adopts the existing production instance).
    e.clerk_create_production(id, golive_sandbox::scenario::APP_ID)
        .await
        .unwrap();
    e.sso_push(id, ProviderId::Google).await.unwrap();
    let config = sb.world.lock().unwrap().production_config.clone();
    assert_eq!(
        config["connection_oauth_google"]["client_id"],
        client("google").client_id
    );
    assert_eq!(config["connection_oauth_google"]["enabled"], true);
}
