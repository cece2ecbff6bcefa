//! The domain layouts through `golive check`, a real process against the sandbox: the JSON
//! says the layout, only the checks that apply to it are listed, each layout passes when it
//! is set up and fails where it is not, and bad layout input is refused with what to do.

use crate::common::{check, golive, ids, sandbox, stdout_json};
use golive_sandbox::scenario::{
    APP_SUBDOMAIN, PROXY_URL, SATELLITE_DOMAIN, SATELLITE_PROJECT_ID, VERCEL_PROJECT_ID,
    VERCEL_TOKEN,
};
use golive_sandbox::{Sandbox, DOMAIN};
use serde_json::{json, Value};

fn inputs(sb: &Sandbox, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = sb.env();
    v.extend(sb.key_env());
    v.extend(sb.platform_key_env());
    v.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    v
}

fn run(domain: &str, vars: &[(String, String)], extra_args: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--domain", domain, "--json"];
    args.extend(extra_args);
    let out = golive(&args, vars);
    assert!(
        out.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), stdout_json(&out))
}

fn status<'a>(report: &'a Value, id: &str) -> &'a str {
    check(report, id)["status"].as_str().unwrap()
}

/// Every check passed; the message names the ones that did not.
fn all_pass(code: i32, report: &Value) {
    let not: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "pass")
        .map(|c| format!("{} {}: {}", c["id"], c["status"], c["detail"]))
        .collect();
    assert!(code == 0 && not.is_empty(), "{not:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_on_a_subdomain_sharing_the_root_clerk_domain() {
    let sb = sandbox("subdomain-app-root-clerk").await;
    let (code, report) = run(APP_SUBDOMAIN, &inputs(&sb, &[]), &[]);
    all_pass(code, &report);
    assert_eq!(
        report["layout"],
        json!({
            "app_domain": APP_SUBDOMAIN,
            "clerk_domain": DOMAIN,
            "frontend_api": format!("clerk.{DOMAIN}"),
            "proxy_url": null,
            "satellites": [],
            "detected": [format!(
                "Clerk's domain {DOMAIN}: from the publishable key (its Frontend API is clerk.{DOMAIN})."
            )],
        })
    );
    let ids = ids(&report);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    // The host's record is the subdomain's CNAME; the apex's A and www are not this app's.
    assert!(ids.contains(&"dns.app"));
    assert!(!ids.contains(&"dns.apex") && !ids.contains(&"dns.www"));
    assert!(check(&report, "dns.app")["detail"]
        .as_str()
        .unwrap()
        .starts_with(&format!("CNAME {APP_SUBDOMAIN} → ")));
    assert!(check(&report, "dns.clerk")["detail"]
        .as_str()
        .unwrap()
        .contains(&format!("clerk.{DOMAIN}")));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_on_a_subdomain_with_its_own_clerk_domain_and_a_rehearsal() {
    let sb = sandbox("subdomain-app-own-clerk").await;
    let vars = inputs(&sb, &[]);
    let (code, report) = run(APP_SUBDOMAIN, &vars, &[]);
    all_pass(code, &report);
    let own = format!("clerk.{APP_SUBDOMAIN}");
    assert_eq!(report["layout"]["clerk_domain"], APP_SUBDOMAIN);
    assert_eq!(report["layout"]["frontend_api"], own.as_str());
    for (id, name) in [
        ("dns.clerk", own.clone()),
        ("dns.accounts", format!("accounts.{APP_SUBDOMAIN}")),
        (
            "dns.clk._domainkey",
            format!("clk._domainkey.{APP_SUBDOMAIN}"),
        ),
    ] {
        let detail = check(&report, id)["detail"].as_str().unwrap();
        assert!(detail.contains(&name), "{id}: {detail}");
    }
    // A sign-in on production, made the way a browser makes it, at clerk.app.<domain>.
    let (code, report) = run(APP_SUBDOMAIN, &vars, &["--rehearse"]);
    all_pass(code, &report);
    assert_eq!(status(&report, "launch.sign_in"), "pass");
}

#[tokio::test(flavor = "multi_thread")]
async fn proxy_mode_drops_the_clerk_record_and_proves_the_proxy() {
    let sb = sandbox("proxy-mode").await;
    let vars = inputs(&sb, &[]);
    let (code, report) = run(DOMAIN, &vars, &[]);
    all_pass(code, &report);
    assert_eq!(report["layout"]["proxy_url"], PROXY_URL);
    let ids = ids(&report);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert!(ids.contains(&"clerk.proxy"));
    for gone in ["dns.clerk", "clerk.frontend_api"] {
        assert!(!ids.contains(&gone), "{gone} is listed behind a proxy");
    }
    let proxy = check(&report, "clerk.proxy")["detail"].as_str().unwrap();
    assert!(
        proxy.contains("Clerk reports the proxy complete"),
        "{proxy}"
    );
    let handshake = check(&report, "site.handshake")["detail"].as_str().unwrap();
    assert!(handshake.contains(PROXY_URL), "{handshake}");
    // The rehearsal signs in through the proxy too.
    let (code, report) = run(DOMAIN, &vars, &["--rehearse"]);
    all_pass(code, &report);

    // Production told to look for Clerk elsewhere: the env check says which variable.
    let endpoints = golive_core::config::Endpoints::from_vars(sb.env()).unwrap();
    let http = golive_core::http::Http::new(&endpoints).unwrap();
    let token = golive_core::secrets::Secret::new(VERCEL_TOKEN.to_string());
    let vercel =
        golive_core::vendors::vercel::Vercel::new(&http, &endpoints.vercel_api, &token, None);
    let env = vercel.env(VERCEL_PROJECT_ID).await.unwrap();
    let proxy_var = env
        .iter()
        .find(|v| v.key == "NEXT_PUBLIC_CLERK_PROXY_URL")
        .unwrap();
    vercel
        .edit_env(
            VERCEL_PROJECT_ID,
            &proxy_var.id,
            &json!({"value": "https://clerk.quillmate.test"}),
        )
        .await
        .unwrap();
    let (code, report) = run(DOMAIN, &vars, &[]);
    assert_eq!(code, 1);
    let env = check(&report, "vercel.env");
    assert_eq!(env["status"], "fail");
    assert!(env["detail"]
        .as_str()
        .unwrap()
        .starts_with("NEXT_PUBLIC_CLERK_PROXY_URL is \"https://clerk.quillmate.test\""));
    assert!(env["fix"]
        .as_str()
        .unwrap()
        .contains(&format!("NEXT_PUBLIC_CLERK_PROXY_URL={PROXY_URL}")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_proxy_fails_once_with_the_way_to_forward() {
    let sb = sandbox("proxy-broken").await;
    let (code, report) = run(DOMAIN, &inputs(&sb, &[]), &[]);
    assert_eq!(code, 1);
    let proxy = check(&report, "clerk.proxy");
    assert_eq!(proxy["status"], "fail");
    assert!(proxy["detail"].as_str().unwrap().contains("HTTP 404"));
    assert!(proxy["fix"]
        .as_str()
        .unwrap()
        .contains("Clerk-Proxy-Url: https://quillmate.test/__clerk"));
    // What goes through the proxy is skipped for the same cause, not failed again.
    assert_eq!(status(&report, "site.handshake"), "skip");
    let clerk = check(&report, "clerk.domain_status");
    assert!(
        clerk["detail"].as_str().unwrap().contains("proxy failed"),
        "{clerk}"
    );
    assert!(
        clerk["fix"]
            .as_str()
            .unwrap()
            .starts_with("See clerk.proxy"),
        "{clerk}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_satellite_gets_its_record_clerks_answer_and_its_apps_settings_checked() {
    let sb = sandbox("satellite").await;
    let link = format!("{SATELLITE_DOMAIN}={SATELLITE_PROJECT_ID}");
    let (code, report) = run(
        DOMAIN,
        &inputs(&sb, &[("VERCEL_SATELLITE_PROJECTS", &link)]),
        &[],
    );
    all_pass(code, &report);
    assert_eq!(
        report["layout"]["satellites"],
        json!([{
            "domain": SATELLITE_DOMAIN,
            "frontend_api": format!("clerk.{SATELLITE_DOMAIN}"),
            "vercel_project": SATELLITE_PROJECT_ID,
        }])
    );
    for prefix in ["dns.satellite", "clerk.satellite", "vercel.satellite"] {
        assert_eq!(
            status(&report, &format!("{prefix}.{SATELLITE_DOMAIN}")),
            "pass"
        );
    }
    // Without the satellite's project linked, its settings cannot be read: said, not failed.
    let (_, report) = run(DOMAIN, &inputs(&sb, &[]), &[]);
    let unlinked = check(&report, &format!("vercel.satellite.{SATELLITE_DOMAIN}"));
    assert_eq!(unlinked["status"], "skip");
    assert!(unlinked["detail"]
        .as_str()
        .unwrap()
        .contains("VERCEL_SATELLITE_PROJECTS"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_satellite_without_its_record_or_settings_fails_with_the_fixes() {
    let sb = sandbox("satellite-missing-record").await;
    let link = format!("{SATELLITE_DOMAIN}={SATELLITE_PROJECT_ID}");
    let (code, report) = run(
        DOMAIN,
        &inputs(&sb, &[("VERCEL_SATELLITE_PROJECTS", &link)]),
        &[],
    );
    assert_eq!(code, 1);
    let dns = check(&report, &format!("dns.satellite.{SATELLITE_DOMAIN}"));
    assert_eq!(dns["status"], "fail");
    assert_eq!(
        dns["fix"],
        "Add a CNAME record: Host clerk → Value frontend-api.clerk.services."
    );
    assert_eq!(
        status(&report, &format!("clerk.satellite.{SATELLITE_DOMAIN}")),
        "skip"
    );
    let env = check(&report, &format!("vercel.satellite.{SATELLITE_DOMAIN}"));
    assert_eq!(env["status"], "fail");
    assert!(env["detail"]
        .as_str()
        .unwrap()
        .contains("production has no *CLERK_IS_SATELLITE"));
    // The primary is untouched by its satellite's trouble.
    assert_eq!(status(&report, "dns.clerk"), "pass");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_layout_input_is_refused_with_what_to_do() {
    let sb = sandbox("live").await;
    let refused = |args: &[&str], extra: &[(&str, &str)]| {
        let mut all = vec!["check", "--json"];
        all.extend(args);
        let out = golive(&all, &inputs(&sb, extra));
        assert_eq!(out.status.code(), Some(2), "{args:?} {extra:?}");
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    let other = refused(
        &["--domain", APP_SUBDOMAIN, "--clerk-domain", "otherapp.test"],
        &[],
    );
    assert!(
        other.contains("must be the app's domain (app.quillmate.test) or one of its parents"),
        "{other}"
    );
    let http = refused(
        &["--domain", DOMAIN],
        &[("CLERK_PROXY_URL", "http://quillmate.test/__clerk")],
    );
    assert!(http.contains("must use https"), "{http}");
    let elsewhere = refused(
        &["--domain", DOMAIN],
        &[(
            "NEXT_PUBLIC_CLERK_PROXY_URL",
            "https://proxy.otherapp.test/__clerk",
        )],
    );
    assert!(elsewhere.contains("on the app's own domain"), "{elsewhere}");
    let same = refused(
        &["--domain", DOMAIN],
        &[("VERCEL_SATELLITE_PROJECTS", "www.quillmate.test=prj_1")],
    );
    assert!(same.contains("a satellite is another domain"), "{same}");
}

/// A saved project on `app.quillmate.test` in the own-Clerk-domain scenario, keys and Vercel
/// linked.
async fn own_clerk_project() -> (Sandbox, crate::common::TestProject) {
    use golive_core::project::ProjectInput;
    use golive_core::secrets::SecretKind;
    use golive_sandbox::scenario::{publishable_key, LIVE_SECRET_KEY, OWN_CLERK_FRONTEND_API};
    let sb = sandbox("subdomain-app-own-clerk").await;
    let t = crate::common::project_for(&sb).with_vercel();
    let id = t.project.id.clone();
    let input = ProjectInput {
        name: t.project.name.clone(),
        domain: APP_SUBDOMAIN.into(),
        hosting: t.project.hosting,
        framework: t.project.framework,
    };
    t.engine.update_project(&id, input).unwrap();
    t.engine
        .set_publishable_key(&id, &publishable_key(OWN_CLERK_FRONTEND_API))
        .unwrap();
    t.engine
        .set_secret(&id, SecretKind::ClerkSecretKey, LIVE_SECRET_KEY)
        .unwrap();
    (sb, t)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_apps_layout_is_detected_set_and_kept_in_the_project() {
    use golive_core::layout::{LayoutSettings, SatelliteSetting};
    let (_sb, t) = own_clerk_project().await;
    let id = &t.project.id;
    let layout = t.engine.layout(id).await.unwrap();
    assert_eq!(layout.clerk_domain, APP_SUBDOMAIN);
    assert!(layout.detected[0].contains("from the publishable key"));

    // Bad settings are refused with what to do, and change nothing.
    let refused = t
        .engine
        .set_layout(
            id,
            LayoutSettings {
                satellites: vec![SatelliteSetting {
                    domain: APP_SUBDOMAIN.into(),
                    vercel_project: None,
                }],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(refused.code(), "layout_invalid");
    assert!(t.engine.project(id).unwrap().layout.is_unset());

    // A choice made is kept (normalised), and wins over what Clerk says.
    let p = t
        .engine
        .set_layout(
            id,
            LayoutSettings {
                clerk_domain: Some("Quillmate.Test".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(p.layout.clerk_domain.as_deref(), Some(DOMAIN));
    let layout = t.engine.layout(id).await.unwrap();
    assert_eq!(layout.frontend_api, format!("clerk.{DOMAIN}"));
    assert!(layout.detected.is_empty());
    // The domain cannot move from under a layout that no longer fits it.
    let moved = t
        .engine
        .update_project(
            id,
            golive_core::project::ProjectInput {
                name: p.name.clone(),
                domain: "otherapp.test".into(),
                hosting: p.hosting,
                framework: p.framework,
            },
        )
        .unwrap_err();
    assert!(moved.to_string().contains("Change the layout"), "{moved}");
    assert_eq!(t.engine.project(id).unwrap().domain, APP_SUBDOMAIN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subdomain_apps_records_have_the_host_fields_of_its_zone() {
    let (_sb, t) = own_clerk_project().await;
    let id = &t.project.id;
    let dir = tempfile::tempdir().unwrap();
    let zone = t
        .engine
        .export_zone(id, &dir.path().join("zone.txt"))
        .await
        .unwrap();
    // Names are relative to the registrable domain, where the registrar's Host fields are.
    assert!(zone.contains(&format!("$ORIGIN {DOMAIN}.\n")), "{zone}");
    assert!(zone.contains(&format!("clerk.{APP_SUBDOMAIN}.")), "{zone}");
    assert!(zone.contains(&format!("{APP_SUBDOMAIN}. ")), "{zone}");
    assert!(
        !zone.contains(&format!("\n{DOMAIN}. ")),
        "no apex A: {zone}"
    );
    let planned = std::sync::Mutex::new(vec![]);
    t.engine
        .dns_matrix(id, |e| {
            if let golive_core::dns::matrix::DnsEvent::Planned { records, .. } = e {
                *planned.lock().unwrap() = records;
            }
        })
        .await
        .unwrap();
    let planned = planned.into_inner().unwrap();
    let host = |check: &str, registrar: &str| {
        let r = planned.iter().find(|r| r.check_id == check).unwrap();
        r.registrar_hosts
            .iter()
            .find(|h| h.registrar == registrar)
            .unwrap()
            .host
            .clone()
    };
    assert_eq!(host("dns.clerk", "Namecheap"), "clerk.app");
    assert_eq!(host("dns.clk._domainkey", "Porkbun"), "clk._domainkey.app");
    assert_eq!(host("dns.app", "GoDaddy"), "app");
}
