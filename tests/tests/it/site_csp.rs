//! `site.csp` over real sockets: `golive check --json` reads the live site's policies (its
//! header and its `<meta>` tag) and passes where they are Clerk's own helper's, fails in
//! `csp-blocks-clerk` with the directives to change, and skips when the site does not answer.

use crate::common::{check, golive, stdout_json};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use serde_json::Value;

async fn run(scenario: &str, edit: impl FnOnce(&Sandbox, &mut Vec<(String, String)>)) -> Value {
    let sb = Sandbox::start(Scenario::named(scenario).unwrap())
        .await
        .unwrap();
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    vars.extend(sb.platform_key_env());
    edit(&sb, &mut vars);
    let out = tokio::task::spawn_blocking(move || {
        golive(&["check", "--domain", DOMAIN, "--json"], &vars)
    })
    .await
    .unwrap();
    stdout_json(&out)
}

fn field<'a>(c: &'a Value, pointer: &str) -> &'a str {
    c.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn clerks_own_policy_passes() {
    let r = run("live", |_, _| {}).await;
    let c = check(&r, "site.csp");
    assert_eq!(c["status"], "pass", "{c}");
    assert!(
        field(c, "/detail").contains("https://quillmate.test's Content-Security-Policy lets Clerk"),
        "{c}"
    );
    assert!(c["fix"].is_null() && c.get("evidence").is_none(), "{c}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_for_the_development_instance_fails_with_the_directives_to_change() {
    let r = run("csp-blocks-clerk", |_, _| {}).await;
    let c = check(&r, "site.csp");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        field(c, "/detail").contains(
            "blocks Clerk's script from https://clerk.quillmate.test and calls to the Frontend \
             API https://clerk.quillmate.test: sign-in cannot work"
        ),
        "{c}"
    );
    // The header's script-src and connect-src (a fallback to default-src), and the <meta>
    // tag's connect-src: each named, with the Frontend API added and the rest kept.
    assert_eq!(
        field(c, "/fix"),
        "In the Content-Security-Policy header: change script-src to `script-src 'self' \
         'unsafe-inline' https://quillmate-dev-13.clerk.accounts.dev \
         https://challenges.cloudflare.com https://clerk.quillmate.test`; add `connect-src \
         'self' https://clerk.quillmate.test`. In the <meta http-equiv> tag: change connect-src \
         to `connect-src 'self' https://quillmate-dev-13.clerk.accounts.dev \
         https://clerk.quillmate.test`."
    );
    assert_eq!(
        field(c, "/evidence/actual"),
        "script-src 'self' 'unsafe-inline' https://quillmate-dev-13.clerk.accounts.dev \
         https://challenges.cloudflare.com; no connect-src: falls back to default-src 'self'; \
         connect-src 'self' https://quillmate-dev-13.clerk.accounts.dev"
    );
    assert!(
        field(c, "/evidence/expected").contains("connect-src 'self' https://clerk.quillmate.test"),
        "{c}"
    );
    // Nothing else in the scenario is wrong.
    for other in r["checks"].as_array().unwrap() {
        if other["id"] != "site.csp" {
            assert_eq!(other["status"], "pass", "{other}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_that_does_not_answer_is_skipped_with_the_reason() {
    // A port held but never listened on: the site refuses every connection.
    let held = tokio::net::TcpSocket::new_v4().unwrap();
    held.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let dead = held.local_addr().unwrap();
    let r = run("live", |sb, vars| {
        for (k, v) in vars.iter_mut() {
            if k == "GOLIVE_CONNECT_TO" {
                *v = v.replace(
                    &format!("{DOMAIN}:443:{}", sb.site),
                    &format!("{DOMAIN}:443:{dead}"),
                );
            }
        }
    })
    .await;
    let c = check(&r, "site.csp");
    assert_eq!(c["status"], "skip", "{c}");
    assert!(
        field(c, "/detail")
            .contains("https://quillmate.test/ could not be fetched: nothing answered"),
        "{c}"
    );
    // The check that fails for it is the site's own.
    assert_eq!(check(&r, "site.publishable_key")["status"], "fail");
}

/// A site whose apex redirects to `www.` is read where the redirect leads, once for both
/// checks that read it: the key it serves and its policy are `www.`'s page's.
#[tokio::test(flavor = "multi_thread")]
async fn an_apex_that_redirects_to_www_is_read_at_www() {
    let r = run("www-canonical", |_, _| {}).await;
    let key = check(&r, "site.publishable_key");
    assert_eq!(key["status"], "pass", "{key}");
    let csp = check(&r, "site.csp");
    assert_eq!(csp["status"], "pass", "{csp}");
    assert!(
        field(csp, "/detail").contains("https://www.quillmate.test's Content-Security-Policy"),
        "{csp}"
    );
}
