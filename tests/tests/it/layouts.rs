//! The layout scenarios' sandbox, over real sockets and without Golive's engine: the app on a
//! subdomain (Clerk's domain the root, or the subdomain itself), the Frontend API behind the
//! site's proxy (working, and answering 404), and a satellite domain with its own Vercel
//! project (with and without its record) — what DNS answers, what Clerk's APIs and Vercel say,
//! and that a browser signs in through each.

use crate::common::sandbox;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use golive_sandbox::scenario::*;
use golive_sandbox::vercel::env::{
    DOMAIN_VAR, IS_SATELLITE_VAR, PK_VAR, PROXY_URL_VAR, SIGN_IN_URL_VAR, SIGN_UP_URL_VAR, SK_VAR,
};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RecordType};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};

/// A browser for every layout's HTTPS hosts (the sandbox's CA and addresses), following no
/// redirects and keeping no cookies: the tests carry them.
pub fn browser(sb: &Sandbox) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(sb.ca_path()).unwrap()).unwrap();
    let mut b = reqwest::Client::builder()
        .add_root_certificate(ca)
        .redirect(reqwest::redirect::Policy::none());
    for host in [
        LIVE_FRONTEND_API,
        "accounts.quillmate.test",
        OWN_CLERK_FRONTEND_API,
        "accounts.app.quillmate.test",
        SATELLITE_FRONTEND_API,
        SHARED_FRONTEND_API,
    ] {
        b = b.resolve(host, sb.frontend);
    }
    for host in [DOMAIN, APP_SUBDOMAIN] {
        b = b.resolve(host, sb.site);
    }
    b.build().unwrap()
}

/// A request to the sandbox's plain-HTTP vendor APIs with a bearer token.
fn api(sb: &Sandbox, method: Method, path: &str, token: &str) -> RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("http://{}{path}", sb.clerk_api))
        .bearer_auth(token)
}

async fn get_json(sb: &Sandbox, path: &str, token: &str) -> Value {
    let r = api(sb, Method::GET, path, token).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

/// The `Set-Cookie` named `name`: its value and attributes.
fn set_cookie(r: &Response, name: &str) -> Option<(String, String)> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=')?;
            (k.trim() == name).then(|| (v.to_string(), attrs.to_string()))
        })
}

/// What `server` answers for `name`/`kind`: the code and the answers' data.
async fn dns(server: SocketAddr, name: &str, kind: RecordType) -> (ResponseCode, Vec<String>) {
    let mut query = Message::query();
    query.add_query(Query::query(
        Name::from_str(&format!("{name}.")).unwrap(),
        kind,
    ));
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket
        .send_to(&query.to_vec().unwrap(), server)
        .await
        .unwrap();
    let mut buf = vec![0; 4096];
    let (n, _) = tokio::time::timeout(Duration::from_secs(5), socket.recv_from(&mut buf))
        .await
        .expect("the DNS server answers")
        .unwrap();
    let answer = Message::from_vec(&buf[..n]).unwrap();
    let data = answer.answers.iter().map(|r| r.data.to_string()).collect();
    (answer.metadata.response_code, data)
}

/// Asks the authoritative server and both public resolvers: they agree on `want`.
async fn assert_dns(sb: &Sandbox, name: &str, kind: RecordType, want: (ResponseCode, &[&str])) {
    for server in std::iter::once(sb.authoritative).chain(sb.public.iter().copied()) {
        let (code, data) = dns(server, name, kind).await;
        let data: Vec<&str> = data.iter().map(String::as_str).collect();
        assert_eq!(
            (code, data.as_slice()),
            want,
            "{} {name} {kind} at {server}",
            sb.scenario().name
        );
    }
}

const NOERROR: ResponseCode = ResponseCode::NoError;
const NXDOMAIN: ResponseCode = ResponseCode::NXDomain;

#[tokio::test(flavor = "multi_thread")]
async fn dns_follows_each_layout() {
    use RecordType::{A, CNAME};
    let fapi = "frontend-api.clerk.services.";
    let vercel_cname = format!("{VERCEL_CNAME}.");
    let sb = sandbox("live").await;
    assert_dns(&sb, DOMAIN, A, (NOERROR, &[VERCEL_APEX_IP])).await;
    assert_dns(&sb, APP_SUBDOMAIN, CNAME, (NXDOMAIN, &[])).await;
    assert_dns(&sb, SATELLITE_FRONTEND_API, CNAME, (NXDOMAIN, &[])).await;

    sb.switch(Scenario::named("subdomain-app-root-clerk").unwrap());
    assert_dns(&sb, APP_SUBDOMAIN, CNAME, (NOERROR, &[&vercel_cname])).await;
    // No apex A: the app does not live there.
    assert_dns(&sb, DOMAIN, A, (NOERROR, &[])).await;
    assert_dns(&sb, LIVE_FRONTEND_API, CNAME, (NOERROR, &[fapi])).await;

    sb.switch(Scenario::named("subdomain-app-own-clerk").unwrap());
    for (host, target) in [
        (OWN_CLERK_FRONTEND_API, fapi),
        ("accounts.app.quillmate.test", "accounts.clerk.services."),
        (
            "clkmail.app.quillmate.test",
            "mail.sbx1a2b3c4d5e.clerk.services.",
        ),
        (
            "clk._domainkey.app.quillmate.test",
            "dkim1.sbx1a2b3c4d5e.clerk.services.",
        ),
        (
            "clk2._domainkey.app.quillmate.test",
            "dkim2.sbx1a2b3c4d5e.clerk.services.",
        ),
    ] {
        assert_dns(&sb, host, CNAME, (NOERROR, &[target])).await;
    }
    assert_dns(&sb, LIVE_FRONTEND_API, CNAME, (NXDOMAIN, &[])).await;
    assert_dns(&sb, APP_SUBDOMAIN, CNAME, (NOERROR, &[&vercel_cname])).await;

    for proxy in ["proxy-mode", "proxy-broken"] {
        sb.switch(Scenario::named(proxy).unwrap());
        assert_dns(&sb, LIVE_FRONTEND_API, CNAME, (NXDOMAIN, &[])).await;
        assert_dns(
            &sb,
            "accounts.quillmate.test",
            CNAME,
            (NOERROR, &["accounts.clerk.services."]),
        )
        .await;
        assert_dns(
            &sb,
            "clkmail.quillmate.test",
            CNAME,
            (NOERROR, &["mail.sbx1a2b3c4d5e.clerk.services."]),
        )
        .await;
        assert_dns(&sb, DOMAIN, A, (NOERROR, &[VERCEL_APEX_IP])).await;
    }

    sb.switch(Scenario::named("satellite").unwrap());
    assert_dns(&sb, SATELLITE_FRONTEND_API, CNAME, (NOERROR, &[fapi])).await;
    assert_dns(&sb, SATELLITE_DOMAIN, A, (NOERROR, &[VERCEL_APEX_IP])).await;
    assert_dns(&sb, LIVE_FRONTEND_API, CNAME, (NOERROR, &[fapi])).await;

    sb.switch(Scenario::named("satellite-missing-record").unwrap());
    assert_dns(&sb, SATELLITE_FRONTEND_API, CNAME, (NXDOMAIN, &[])).await;
    assert_dns(&sb, SATELLITE_FRONTEND_API, A, (NXDOMAIN, &[])).await;
    // The satellite's zone is there, its apex too.
    assert_dns(&sb, SATELLITE_DOMAIN, A, (NOERROR, &[VERCEL_APEX_IP])).await;
}

/// The production entry of the Backend API's `/v1/domains`, and the whole list.
async fn bapi_domains(sb: &Sandbox) -> Vec<Value> {
    let body = get_json(sb, "/v1/domains", LIVE_SECRET_KEY).await;
    assert_eq!(body["total_count"], body["data"].as_array().unwrap().len());
    body["data"].as_array().unwrap().clone()
}

fn target_hosts(domain: &Value) -> Vec<(String, bool)> {
    domain["cname_targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["host"].as_str().unwrap().to_string(),
                t["required"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn platform_path(rest: &str) -> String {
    format!("/v1/platform/applications/{APP_ID}{rest}")
}

/// A user, a ticket and a sign-in at `fapi` (a Frontend API URL, or the proxy's) from
/// `origin`: the session token and the `__client` cookie.
async fn sign_in_at(sb: &Sandbox, fapi: &str, origin: &str) -> (String, String) {
    let user: Value = api(sb, Method::POST, "/v1/users", LIVE_SECRET_KEY)
        .json(&json!({"external_id": "golive-rehearsal-layout",
                      "email_address": ["golive-rehearsal+layout@quillmate.test"],
                      "skip_password_requirement": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ticket: Value = api(sb, Method::POST, "/v1/sign_in_tokens", LIVE_SECRET_KEY)
        .json(&json!({"user_id": user["id"], "expires_in_seconds": 300}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let signed = browser(sb)
        .post(format!("{fapi}/v1/client/sign_ins"))
        .header("origin", origin)
        .form(&[
            ("strategy", "ticket"),
            ("ticket", ticket["token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200, "{fapi}");
    let (client, _) = set_cookie(&signed, "__client").unwrap();
    let body: Value = signed.json().await.unwrap();
    let jwt = body["client"]["sessions"][0]["last_active_token"]["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    (jwt, client)
}

fn now() -> u64 {
    golive_sandbox::clerk::accounts::now_ms() / 1000
}

/// A returning browser at `https://<app>/dashboard` goes through the handshake at
/// `handshake` (a Frontend API URL or the proxy's) and comes back signed in, the handshake
/// cookie on `cookie_domain`.
async fn handshake_round_trip(sb: &Sandbox, app: &str, handshake: &str, cookie_domain: &str) {
    let (jwt, client) = sign_in_at(sb, handshake, &format!("https://{app}")).await;
    let claims = golive_sandbox::clerk::keys::decode(&jwt).unwrap().1;
    let frontend_api = sb.scenario().layout.frontend_api();
    assert_eq!(claims["iss"], format!("https://{frontend_api}"));
    let page = |cookies: String| {
        browser(sb)
            .get(format!("https://{app}/dashboard"))
            .header("accept", "text/html")
            .header("sec-fetch-dest", "document")
            .header("cookie", cookies)
    };
    let uat = now();
    let first = page(format!("__client_uat={uat}")).send().await.unwrap();
    assert_eq!(first.status(), 307);
    let location = header(&first, "location").to_string();
    let (base, query) = location.split_once('?').unwrap();
    assert_eq!(base, format!("{handshake}/v1/client/handshake"));
    let query: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    assert!(query.contains(&(
        "redirect_url".to_string(),
        format!("https://{app}/dashboard")
    )));
    let fapi = browser(sb)
        .get(&location)
        .header("cookie", format!("__client={client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(fapi.status(), 307, "{location}");
    assert_eq!(
        header(&fapi, "location"),
        format!("https://{app}/dashboard")
    );
    let (token, attrs) = set_cookie(&fapi, "__clerk_handshake").unwrap();
    assert!(
        attrs.contains(&format!("Domain={cookie_domain};")),
        "{attrs}"
    );
    let back = page(format!(
        "__client_uat={uat}; __clerk_redirect_count=1; __clerk_handshake={token}"
    ))
    .send()
    .await
    .unwrap();
    assert_eq!(back.status(), 200);
    assert_eq!(header(&back, "x-clerk-auth-status"), "signed-in");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_on_a_subdomain_is_served_and_signs_in_there() {
    for (name, frontend_api, clerk_domain) in [
        ("subdomain-app-root-clerk", LIVE_FRONTEND_API, DOMAIN),
        (
            "subdomain-app-own-clerk",
            OWN_CLERK_FRONTEND_API,
            APP_SUBDOMAIN,
        ),
    ] {
        let sb = sandbox(name).await;
        let live_pk = publishable_key(frontend_api);
        // The user's keys, and what Clerk says about the domain.
        let keys = sb.scenario().key_env();
        assert!(keys.contains(&("CLERK_PUBLISHABLE_KEY".into(), live_pk.clone())));
        assert!(keys.contains(&(
            "CLERK_WEBHOOK_URL".into(),
            "https://app.quillmate.test/api/webhooks/clerk".into()
        )));
        let domains = bapi_domains(&sb).await;
        assert_eq!(domains.len(), 1);
        assert_eq!(domains[0]["name"], clerk_domain);
        assert_eq!(
            domains[0]["frontend_api_url"],
            format!("https://{frontend_api}")
        );
        assert_eq!(
            domains[0]["accounts_portal_url"],
            format!("https://accounts.{clerk_domain}")
        );
        let hosts: Vec<String> = target_hosts(&domains[0])
            .into_iter()
            .map(|(h, _)| h)
            .collect();
        assert_eq!(
            hosts,
            [
                "clerk",
                "accounts",
                "clkmail",
                "clk._domainkey",
                "clk2._domainkey"
            ]
            .map(|sub| format!("{sub}.{clerk_domain}"))
        );
        let listed = get_json(&sb, &platform_path("/domains"), PLATFORM_KEY).await;
        assert_eq!(listed["data"][0]["name"], clerk_domain);
        let status = get_json(
            &sb,
            &platform_path(&format!("/domains/{clerk_domain}/status")),
            PLATFORM_KEY,
        )
        .await;
        assert_eq!(status["status"], "complete");
        assert_eq!(
            status["dns"]["cnames"]["clerk"]["from"],
            format!("clerk.{clerk_domain}")
        );
        let app = get_json(&sb, &platform_path(""), PLATFORM_KEY).await;
        assert_eq!(app["instances"][1]["publishable_key"], live_pk.as_str());

        // Vercel serves the app's subdomain, configured by the CNAME it ranks first.
        let config = get_json(
            &sb,
            &format!("/v6/domains/{APP_SUBDOMAIN}/config"),
            VERCEL_TOKEN,
        )
        .await;
        assert_eq!(config["recommendedCNAME"][0]["rank"], 1);
        assert_eq!(
            config["recommendedCNAME"][0]["value"],
            format!("{VERCEL_CNAME}.")
        );
        assert_eq!(config["configuredBy"], "CNAME");
        assert_eq!(config["misconfigured"], false);
        let domain = get_json(
            &sb,
            &format!("/v9/projects/{VERCEL_PROJECT_ID}/domains/{APP_SUBDOMAIN}"),
            VERCEL_TOKEN,
        )
        .await;
        assert_eq!(domain["verified"], true);
        assert_eq!(domain["apexName"], DOMAIN);
        let apex = api(
            &sb,
            Method::GET,
            &format!("/v9/projects/{VERCEL_PROJECT_ID}/domains/{DOMAIN}"),
            VERCEL_TOKEN,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(apex.status(), 404, "the apex is not the project's");

        // The live site at the subdomain, built with the live key.
        let web = browser(&sb);
        let script = web
            .get(format!(
                "https://{APP_SUBDOMAIN}{}",
                golive_sandbox::site::SCRIPT
            ))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(script.contains(&live_pk), "{script}");
        // Clerk answers on its domain's hosts, and nowhere the layout has no record.
        let env = web
            .get(format!("https://{frontend_api}/v1/environment"))
            .send()
            .await
            .unwrap();
        assert_eq!(env.status(), 200);
        let env: Value = env.json().await.unwrap();
        assert_eq!(
            env["display_config"]["home_url"],
            format!("https://{APP_SUBDOMAIN}")
        );
        assert_eq!(
            env["display_config"]["sign_in_url"],
            format!("https://accounts.{clerk_domain}/sign-in")
        );
        let portal = web
            .get(format!("https://accounts.{clerk_domain}/"))
            .send()
            .await
            .unwrap();
        assert_eq!(portal.status(), 200);
        if frontend_api == OWN_CLERK_FRONTEND_API {
            assert!(web
                .get(format!("https://{LIVE_FRONTEND_API}/v1/environment"))
                .send()
                .await
                .is_err());
        }
        handshake_round_trip(
            &sb,
            APP_SUBDOMAIN,
            &format!("https://{frontend_api}"),
            clerk_domain,
        )
        .await;
    }
}

/// A request to Clerk's shared host as a proxy would send it, with these headers.
pub fn proxied(sb: &Sandbox, path: &str, headers: &[(&str, &str)]) -> RequestBuilder {
    let mut r = browser(sb).get(format!("https://{SHARED_FRONTEND_API}{path}"));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proxy_serves_the_frontend_api_as_this_instance() {
    let sb = sandbox("proxy-mode").await;
    let web = browser(&sb);
    let env = web
        .get(format!("{PROXY_URL}/v1/environment"))
        .send()
        .await
        .unwrap();
    assert_eq!(env.status(), 200);
    let env: Value = env.json().await.unwrap();
    assert_eq!(
        env["display_config"]["instance_environment_type"],
        "production"
    );
    assert_eq!(
        env["display_config"]["home_url"],
        format!("https://{DOMAIN}")
    );
    // The proxy's hop reached Clerk's shared host (the request log names it).
    let seen = sb.frontend_requests();
    let hop = seen.last().unwrap();
    assert_eq!(
        (hop.host.as_str(), hop.path.as_str(), hop.status),
        (SHARED_FRONTEND_API, "/v1/environment", 200)
    );
    // Nothing answers `clerk.<domain>`: it has no record behind a proxy.
    assert!(web
        .get(format!("https://{LIVE_FRONTEND_API}/v1/environment"))
        .send()
        .await
        .is_err());

    // Clerk's APIs say so; the host env names the proxy URL.
    let domains = bapi_domains(&sb).await;
    assert_eq!(domains[0]["proxy_url"], PROXY_URL);
    let targets = target_hosts(&domains[0]);
    assert_eq!(targets[0], (LIVE_FRONTEND_API.to_string(), false));
    assert!(targets[1..].iter().all(|(_, required)| *required));
    let listed = get_json(&sb, &platform_path("/domains"), PLATFORM_KEY).await;
    assert_eq!(listed["data"][0]["proxy_url"], PROXY_URL);
    let status = get_json(
        &sb,
        &platform_path(&format!("/domains/{DOMAIN}/status")),
        PLATFORM_KEY,
    )
    .await;
    assert_eq!(
        status["proxy"],
        json!({"status": "complete", "required": true})
    );
    assert_eq!(status["status"], "complete");
    assert_eq!(status["dns"]["cnames"]["clerk"]["required"], false);
    let envs = get_json(
        &sb,
        &format!("/v10/projects/{VERCEL_PROJECT_ID}/env"),
        VERCEL_TOKEN,
    )
    .await;
    assert!(envs["envs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["key"] == PROXY_URL_VAR
            && e["value"] == PROXY_URL
            && e["target"] == json!(["production"])));

    // Signing in (a form body) and the handshake go through the proxy.
    handshake_round_trip(&sb, DOMAIN, PROXY_URL, DOMAIN).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_frontend_api_refuses_a_proxied_request_it_cannot_trust() {
    let sb = sandbox("proxy-mode").await;
    let good = [
        ("clerk-proxy-url", PROXY_URL),
        ("clerk-secret-key", LIVE_SECRET_KEY),
        ("x-forwarded-for", "203.0.113.9"),
    ];
    let r = proxied(&sb, "/v1/environment", &good).send().await.unwrap();
    assert_eq!(r.status(), 200);
    for (case, headers, want) in [
        (
            "a wrong secret key",
            [good[0], ("clerk-secret-key", "sk_live_nope"), good[2]],
            401,
        ),
        (
            "another instance's secret key",
            [good[0], ("clerk-secret-key", OTHER_SECRET_KEY), good[2]],
            400,
        ),
        (
            "the development instance's key",
            [good[0], ("clerk-secret-key", DEV_SECRET_KEY), good[2]],
            401,
        ),
        (
            "another proxy URL",
            [
                ("clerk-proxy-url", "https://evil.test/__clerk"),
                good[1],
                good[2],
            ],
            400,
        ),
        (
            "no client address",
            [good[0], good[1], ("x-forwarded-for", " ")],
            400,
        ),
    ] {
        let r = proxied(&sb, "/v1/environment", &headers)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), want, "{case}");
        let body: Value = r.json().await.unwrap();
        assert!(body["errors"][0]["code"].is_string(), "{case}: {body}");
    }
    // Without a proxy's headers the shared host serves no instance.
    let bare = proxied(&sb, "/v1/environment", &[]).send().await.unwrap();
    assert_eq!(bare.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_proxy_is_the_sites_404_and_clerk_reports_it_failed() {
    for (name, want) in [("proxy-broken", 404), ("live", 404), ("proxy-mode", 200)] {
        let sb = sandbox(name).await;
        let r = browser(&sb)
            .get(format!("https://{DOMAIN}{PROXY_PATH}/v1/environment"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), want, "{name}");
        if want == 404 {
            assert!(r
                .text()
                .await
                .unwrap()
                .contains("404: This page could not be found."));
        }
    }
    let sb = sandbox("proxy-broken").await;
    let status = get_json(
        &sb,
        &platform_path(&format!("/domains/{DOMAIN}/status")),
        PLATFORM_KEY,
    )
    .await;
    assert_eq!(
        status["proxy"],
        json!({"status": "failed", "required": true})
    );
    assert_eq!(status["status"], "incomplete");
    assert_eq!(bapi_domains(&sb).await[0]["proxy_url"], PROXY_URL);
    // The middleware still sends its handshakes through the proxy, into the 404.
    let first = browser(&sb)
        .get(format!("https://{DOMAIN}/dashboard"))
        .header("accept", "text/html")
        .header("cookie", format!("__client_uat={}", now()))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 307);
    assert!(header(&first, "location").starts_with(&format!("{PROXY_URL}/v1/client/handshake?")));
}

/// The satellite project's production variables, as key → value (sensitive ones empty).
async fn satellite_production_env(sb: &Sandbox) -> Vec<(String, String)> {
    let envs = get_json(
        sb,
        &format!("/v10/projects/{SATELLITE_PROJECT_ID}/env"),
        VERCEL_TOKEN,
    )
    .await;
    envs["envs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == json!(["production"]))
        .map(|e| {
            (
                e["key"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_satellite_has_its_domain_record_frontend_api_and_project() {
    let sb = sandbox("satellite").await;
    let live_pk = publishable_key(LIVE_FRONTEND_API);
    let domains = bapi_domains(&sb).await;
    assert_eq!(domains.len(), 2);
    assert_eq!(domains[0]["name"], DOMAIN);
    assert_eq!(domains[0]["is_satellite"], false);
    let satellite = &domains[1];
    for (field, want) in [
        ("name", json!(SATELLITE_DOMAIN)),
        ("is_satellite", json!(true)),
        (
            "frontend_api_url",
            json!(format!("https://{SATELLITE_FRONTEND_API}")),
        ),
        ("accounts_portal_url", Value::Null),
        ("proxy_url", Value::Null),
        (
            "cname_targets",
            json!([{"host": SATELLITE_FRONTEND_API, "value": "frontend-api.clerk.services", "required": true}]),
        ),
    ] {
        assert_eq!(satellite[field], want, "{field}");
    }
    let listed = get_json(&sb, &platform_path("/domains"), PLATFORM_KEY).await;
    assert_eq!(listed["total_count"], 2);
    assert_eq!(listed["data"][1]["name"], SATELLITE_DOMAIN);
    assert_eq!(listed["data"][1]["is_satellite"], true);
    let status = get_json(
        &sb,
        &platform_path(&format!("/domains/{SATELLITE_DOMAIN}/status")),
        PLATFORM_KEY,
    )
    .await;
    assert_eq!(status["status"], "complete");

    // Clerk answers on the satellite's Frontend API as the same instance.
    let web = browser(&sb);
    let jwks: Value = web
        .get(format!(
            "https://{SATELLITE_FRONTEND_API}/.well-known/jwks.json"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], INSTANCE_ID);

    // Its own Vercel project: listed, its domain verified, its env and a live build.
    let projects = get_json(&sb, "/v10/projects?search=quillmate-blog", VERCEL_TOKEN).await;
    assert_eq!(projects["projects"][0]["id"], SATELLITE_PROJECT_ID);
    assert_eq!(projects["projects"][0]["name"], SATELLITE_PROJECT_NAME);
    let domain = get_json(
        &sb,
        &format!("/v9/projects/{SATELLITE_PROJECT_ID}/domains/{SATELLITE_DOMAIN}"),
        VERCEL_TOKEN,
    )
    .await;
    assert_eq!(domain["verified"], true);
    let config = get_json(
        &sb,
        &format!("/v6/domains/{SATELLITE_DOMAIN}/config"),
        VERCEL_TOKEN,
    )
    .await;
    assert_eq!(config["misconfigured"], false);
    let production = satellite_production_env(&sb).await;
    for (key, value) in [
        (PK_VAR, live_pk.as_str()),
        (SK_VAR, ""),
        (IS_SATELLITE_VAR, "true"),
        (DOMAIN_VAR, SATELLITE_DOMAIN),
        (SIGN_IN_URL_VAR, "https://quillmate.test/sign-in"),
        (SIGN_UP_URL_VAR, "https://quillmate.test/sign-up"),
    ] {
        assert!(
            production.contains(&(key.to_string(), value.to_string())),
            "{key}: {production:?}"
        );
    }
    let project = get_json(
        &sb,
        &format!("/v9/projects/{SATELLITE_PROJECT_ID}"),
        VERCEL_TOKEN,
    )
    .await;
    let live = &project["targets"]["production"];
    assert_eq!(live["readyState"], "READY");
    let deployment = get_json(
        &sb,
        &format!("/v13/deployments/{}", live["id"].as_str().unwrap()),
        VERCEL_TOKEN,
    )
    .await;
    assert_eq!(deployment["name"], SATELLITE_PROJECT_NAME);
    let world = sb.world.lock().unwrap();
    let blog = world.project(SATELLITE_PROJECT_ID).unwrap();
    assert_eq!(blog.live_publishable_key(), live_pk);
    // The app's own project is untouched.
    assert_eq!(world.vercel.id, VERCEL_PROJECT_ID);
    assert!(!world.vercel.envs.iter().any(|e| e.key == IS_SATELLITE_VAR));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_satellite_without_its_record_has_no_frontend_api_and_no_satellite_flag() {
    let sb = sandbox("satellite-missing-record").await;
    assert_eq!(bapi_domains(&sb).await[1]["name"], SATELLITE_DOMAIN);
    assert!(browser(&sb)
        .get(format!("https://{SATELLITE_FRONTEND_API}/v1/environment"))
        .send()
        .await
        .is_err());
    let status = get_json(
        &sb,
        &platform_path(&format!("/domains/{SATELLITE_DOMAIN}/status")),
        PLATFORM_KEY,
    )
    .await;
    assert_eq!(status["status"], "incomplete");
    assert_eq!(status["dns"]["cnames"]["clerk"]["verified"], false);
    let production = satellite_production_env(&sb).await;
    assert!(!production.iter().any(|(k, _)| k == IS_SATELLITE_VAR));
    assert!(production.iter().any(|(k, _)| k == DOMAIN_VAR));
}

/// Google's answer to a token request from the sandbox's client with this redirect URI.
async fn google_token(sb: &Sandbox, redirect_uri: &str) -> Value {
    let google = golive_sandbox::oauth::client("google");
    reqwest::Client::new()
        .post(format!("http://{}/oauth/google/token", sb.clerk_api))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", "golive-probe"),
            ("client_id", google.client_id),
            ("client_secret", google.secret),
            ("redirect_uri", redirect_uri),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_apps_oauth_clients_registered_the_layouts_callback() {
    for (name, callback) in [
        ("live", "https://clerk.quillmate.test/v1/oauth_callback"),
        (
            "subdomain-app-own-clerk",
            "https://clerk.app.quillmate.test/v1/oauth_callback",
        ),
        (
            "proxy-mode",
            "https://clerk.quillmate.test/v1/oauth_callback",
        ),
    ] {
        let sb = sandbox(name).await;
        assert_eq!(
            golive_sandbox::oauth::callback(sb.scenario().layout),
            callback
        );
        // A registered redirect gets as far as the (fake) code; another is a mismatch.
        assert_eq!(google_token(&sb, callback).await["error"], "invalid_grant");
        let other = "https://clerk.elsewhere.test/v1/oauth_callback";
        assert_eq!(
            google_token(&sb, other).await["error"],
            "redirect_uri_mismatch",
            "{name}"
        );
    }
}
