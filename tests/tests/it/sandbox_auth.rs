//! The launch-proof fakes behave like Clerk, the site's middleware and Supabase, over real
//! sockets: a ticket signs in and its session token verifies against the JWKS; the site's
//! protected path signs in, redirects to sign-in, 404s a fetch, and goes through the
//! handshake the way clerk/javascript's middleware does (including the loop another
//! instance's secret key causes); Supabase's Data API accepts or refuses the token.

use crate::common::sandbox;
use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use golive_sandbox::clerk::accounts::EXISTING_USER_ID;
use golive_sandbox::scenario::*;
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use reqwest::{Method, Response};
use serde_json::{json, Value};

/// A client for the sandbox's HTTPS hosts (its test CA, its addresses) that does not follow
/// redirects and keeps no cookies: the tests carry them by hand.
pub fn https(sb: &Sandbox) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(sb.ca_path()).unwrap()).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(ca)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&format!("clerk.{DOMAIN}"), sb.frontend)
        .resolve(&format!("accounts.{DOMAIN}"), sb.frontend)
        .resolve(DOMAIN, sb.site)
        .resolve(DEV_FRONTEND_API, sb.dev_frontend)
        .build()
        .unwrap()
}

pub fn bapi(sb: &Sandbox, method: Method, path: &str, key: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("http://{}{path}", sb.clerk_api))
        .bearer_auth(key)
}

/// The `name=value` of each `Set-Cookie`, with its attributes.
fn set_cookies(r: &Response) -> Vec<(String, String, String)> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| {
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_string(), v.to_string(), attrs.to_string()))
        })
        .collect()
}

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

/// A signed-in rehearsal, as Golive's engine will do it: a user, its ticket, a Frontend API
/// sign-in keeping the `__client` cookie. Returns (user id, session id, token, `__client`).
pub async fn sign_in(sb: &Sandbox) -> (String, String, String, String) {
    let user: Value = bapi(sb, Method::POST, "/v1/users", LIVE_SECRET_KEY)
        .json(&json!({
            "external_id": "golive-rehearsal-1",
            "email_address": ["golive-rehearsal+1@quillmate.test"],
            "private_metadata": {"golive_rehearsal": true},
            "skip_password_requirement": true
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let user_id = user["id"].as_str().unwrap().to_string();
    let ticket: Value = bapi(sb, Method::POST, "/v1/sign_in_tokens", LIVE_SECRET_KEY)
        .json(&json!({"user_id": user_id, "expires_in_seconds": 300}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ticket["status"], "pending");
    let signed = https(sb)
        .post(format!(
            "https://clerk.{DOMAIN}/v1/client/sign_ins?__clerk_api_version=2026-05-12&_clerk_js_version=5.0.0"
        ))
        .header("origin", format!("https://{DOMAIN}"))
        .form(&[("strategy", "ticket"), ("ticket", ticket["token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let cookies = set_cookies(&signed);
    let (_, client_cookie, attrs) = cookies.iter().find(|(k, _, _)| k == "__client").unwrap();
    assert!(
        attrs.contains("HttpOnly") && attrs.contains("Secure"),
        "{attrs}"
    );
    let client_cookie = client_cookie.clone();
    let body: Value = signed.json().await.unwrap();
    assert_eq!(body["response"]["status"], "complete");
    let session_id = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        body["client"]["last_active_session_id"],
        session_id.as_str()
    );
    let session = &body["client"]["sessions"][0];
    assert_eq!(session["id"], session_id.as_str());
    let jwt = session["last_active_token"]["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    (user_id, session_id, jwt, client_cookie)
}

/// Verifies an RS256 JWT against a JWKS document with nothing of the sandbox's: the claims.
fn verify_with_jwks(token: &str, jwks: &Value) -> Option<Value> {
    let b64 = |s: &str| URL_SAFE_NO_PAD.decode(s).unwrap();
    let mut parts = token.split('.');
    let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
    let header: Value = serde_json::from_slice(&b64(h)).ok()?;
    let key = jwks["keys"]
        .as_array()?
        .iter()
        .find(|k| k["kid"] == header["kid"])?;
    let public = ring::signature::RsaPublicKeyComponents {
        n: b64(key["n"].as_str()?),
        e: b64(key["e"].as_str()?),
    };
    public
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            format!("{h}.{c}").as_bytes(),
            &b64(s),
        )
        .ok()?;
    serde_json::from_slice(&b64(c)).ok()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_signs_in_and_its_session_token_verifies_against_the_jwks() {
    let sb = sandbox("live").await;
    let (user_id, session_id, jwt, client) = sign_in(&sb).await;
    let bapi_jwks: Value = bapi(&sb, Method::GET, "/v1/jwks", LIVE_SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let fapi_jwks: Value = https(&sb)
        .get(format!("https://clerk.{DOMAIN}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bapi_jwks, fapi_jwks);
    let claims = verify_with_jwks(&jwt, &fapi_jwks).expect("a token the JWKS verifies");
    assert_eq!(claims["iss"], format!("https://clerk.{DOMAIN}"));
    assert_eq!(claims["sub"], user_id.as_str());
    assert_eq!(claims["sid"], session_id.as_str());
    assert_eq!(claims["azp"], format!("https://{DOMAIN}"));
    assert_eq!(claims["role"], "authenticated");
    let iat = claims["iat"].as_u64().unwrap();
    assert!(iat.abs_diff(now()) < 5);
    assert_eq!(claims["exp"].as_u64().unwrap() - iat, 60);
    assert!(claims["nbf"].as_u64().unwrap() <= iat);
    // Another instance's keys do not verify it.
    let other: Value = bapi(&sb, Method::GET, "/v1/jwks", OTHER_SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut forged = other.clone();
    forged["keys"][0]["kid"] = INSTANCE_ID.into();
    assert!(verify_with_jwks(&jwt, &other).is_none());
    assert!(
        verify_with_jwks(&jwt, &forged).is_none(),
        "only the right key verifies"
    );

    // A fresh token needs the client's cookie.
    let tokens = format!("https://clerk.{DOMAIN}/v1/client/sessions/{session_id}/tokens");
    let fresh = https(&sb)
        .post(&tokens)
        .header("cookie", format!("__client={client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 200);
    let fresh: Value = fresh.json().await.unwrap();
    assert_eq!(fresh["object"], "token");
    assert!(verify_with_jwks(fresh["jwt"].as_str().unwrap(), &fapi_jwks).is_some());
    let anonymous = https(&sb).post(&tokens).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);

    // The ticket is spent; every secret handed out is a canary.
    assert_eq!(sb.sign_in_tokens()[0].status, "accepted");
    let canaries = sb.canaries();
    for secret in [&jwt, &client, &sb.sign_in_tokens()[0].token] {
        assert!(canaries.contains(secret));
    }

    // Revoked: no more tokens. Deleted: the user is gone, the other one stays.
    let revoked = bapi(
        &sb,
        Method::POST,
        &format!("/v1/sessions/{session_id}/revoke"),
        LIVE_SECRET_KEY,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(revoked.json::<Value>().await.unwrap()["status"], "revoked");
    let after = https(&sb)
        .post(&tokens)
        .header("cookie", format!("__client={client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    let deleted = bapi(
        &sb,
        Method::DELETE,
        &format!("/v1/users/{user_id}"),
        LIVE_SECRET_KEY,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(deleted.json::<Value>().await.unwrap()["deleted"], true);
    let ids: Vec<String> = sb.users().into_iter().map(|u| u.id).collect();
    assert_eq!(ids, [EXISTING_USER_ID]);
    assert_eq!(sb.sessions()[0].status, "revoked");
}

#[tokio::test(flavor = "multi_thread")]
async fn users_are_found_by_external_id_and_email_and_kept_per_instance() {
    let sb = sandbox("live").await;
    let (user_id, ..) = sign_in(&sb).await;
    let find = |query: &'static str, key: &'static str| {
        let sb = &sb;
        async move {
            let r = bapi(sb, Method::GET, &format!("/v1/users?{query}"), key)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Vec<Value>>()
                .await
                .unwrap()
                .into_iter()
                .map(|u| u["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        find("external_id=golive-rehearsal-1", LIVE_SECRET_KEY).await,
        [user_id.as_str()]
    );
    assert_eq!(
        find("email_address=ada%40quillmate.test", LIVE_SECRET_KEY).await,
        [EXISTING_USER_ID]
    );
    assert_eq!(find("", LIVE_SECRET_KEY).await.len(), 2);
    assert!(find("", OTHER_SECRET_KEY).await.is_empty());
    let one = bapi(
        &sb,
        Method::GET,
        &format!("/v1/users/{user_id}"),
        LIVE_SECRET_KEY,
    )
    .send()
    .await
    .unwrap();
    let one: Value = one.json().await.unwrap();
    assert_eq!(one["private_metadata"]["golive_rehearsal"], true);
    assert_eq!(one["external_id"], "golive-rehearsal-1");
    let missing = bapi(&sb, Method::GET, "/v1/users/user_nope", LIVE_SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let denied = bapi(&sb, Method::POST, "/v1/users", "sk_live_nope")
        .json(&json!({"email_address": ["x@quillmate.test"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_user_is_a_422_naming_the_setting_and_existing_users_still_sign_in() {
    let sb = sandbox("rehearsal-user-refused").await;
    let refused = bapi(&sb, Method::POST, "/v1/users", LIVE_SECRET_KEY)
        .json(
            &json!({"email_address": ["golive@quillmate.test"], "skip_password_requirement": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "form_param_missing");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "phone_number");
    assert_eq!(sb.users().len(), 1, "nothing was created");
    let listed: Vec<Value> = bapi(&sb, Method::GET, "/v1/users", LIVE_SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"], EXISTING_USER_ID);
    let ticket = bapi(&sb, Method::POST, "/v1/sign_in_tokens", LIVE_SECRET_KEY)
        .json(&json!({"user_id": EXISTING_USER_ID, "expires_in_seconds": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(ticket.status(), 200);
    // And the same request is accepted where the settings allow it.
    sb.switch(Scenario::named("live").unwrap());
    let created = bapi(&sb, Method::POST, "/v1/users", LIVE_SECRET_KEY)
        .json(
            &json!({"email_address": ["golive@quillmate.test"], "skip_password_requirement": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn bot_protection_wants_a_testing_token() {
    let sb = sandbox("bot-protection").await;
    let ticket = |sb: &Sandbox| {
        let r = bapi(sb, Method::POST, "/v1/sign_in_tokens", LIVE_SECRET_KEY)
            .json(&json!({"user_id": EXISTING_USER_ID}));
        async move {
            r.send().await.unwrap().json::<Value>().await.unwrap()["token"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let sign_in = |query: String, ticket: String| {
        https(&sb)
            .post(format!("https://clerk.{DOMAIN}/v1/client/sign_ins{query}"))
            .form(&[("strategy", "ticket".to_string()), ("ticket", ticket)])
            .send()
    };
    let stopped = sign_in(String::new(), ticket(&sb).await).await.unwrap();
    assert_eq!(stopped.status(), 403);
    assert_eq!(
        stopped.json::<Value>().await.unwrap()["errors"][0]["code"],
        "bot_detected"
    );
    let testing: Value = bapi(&sb, Method::POST, "/v1/testing_tokens", LIVE_SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(testing["object"], "testing_token");
    let token = testing["token"].as_str().unwrap();
    let passed = sign_in(format!("?__clerk_testing_token={token}"), ticket(&sb).await)
        .await
        .unwrap();
    assert_eq!(passed.status(), 200);
    assert!(sb.canaries().iter().any(|c| c == token));
}

/// A browser's page load of the site's `path` with these cookies.
fn page_load(sb: &Sandbox, path: &str, cookies: &str) -> reqwest::RequestBuilder {
    navigate(sb, &format!("https://{DOMAIN}{path}"), cookies)
}

/// A browser's navigation to `url` with these cookies.
fn navigate(sb: &Sandbox, url: &str, cookies: &str) -> reqwest::RequestBuilder {
    https(sb)
        .get(url)
        .header("accept", "text/html,application/xhtml+xml")
        .header("sec-fetch-dest", "document")
        .header("cookie", cookies)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_protected_path_signs_in_with_a_session_and_sends_others_to_sign_in() {
    let sb = sandbox("live").await;
    let (_, _, jwt, _) = sign_in(&sb).await;
    let uat = now() - 30;
    let signed_in = page_load(
        &sb,
        "/dashboard",
        &format!("__session={jwt}; __client_uat={uat}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(signed_in.status(), 200);
    assert_eq!(header(&signed_in, "x-clerk-auth-status"), "signed-in");

    let anonymous = page_load(&sb, "/dashboard/settings?tab=1", "")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 307);
    assert_eq!(
        header(&anonymous, "location"),
        "https://accounts.quillmate.test/sign-in?redirect_url=https%3A%2F%2Fquillmate.test%2Fdashboard%2Fsettings%3Ftab%3D1"
    );
    assert_eq!(header(&anonymous, "x-clerk-auth-status"), "signed-out");
    assert_eq!(
        header(&anonymous, "x-clerk-auth-reason"),
        "session-token-and-uat-missing"
    );

    // Not a page load: a 404, as protect() rewrites it.
    let fetch = https(&sb)
        .get(format!("https://{DOMAIN}/dashboard"))
        .header("accept", "application/json")
        .header("sec-fetch-dest", "empty")
        .send()
        .await
        .unwrap();
    assert_eq!(fetch.status(), 404);
    let reasons: Vec<_> = fetch
        .headers()
        .get_all("x-clerk-auth-reason")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        reasons,
        ["protect-rewrite", "session-token-and-uat-missing"]
    );

    // A token signed by another key is signed out: kid mismatch, not a handshake.
    let claims = golive_sandbox::clerk::keys::decode(&jwt).unwrap().1;
    let foreign = golive_sandbox::clerk::keys::sign(OTHER_INSTANCE_ID, &claims);
    let mismatch = page_load(
        &sb,
        "/dashboard",
        &format!("__session={foreign}; __client_uat={uat}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(mismatch.status(), 307);
    assert_eq!(header(&mismatch, "x-clerk-auth-reason"), "jwk-kid-mismatch");
    assert!(header(&mismatch, "location").starts_with("https://accounts.quillmate.test/sign-in"));

    // The existing pages are untouched.
    let home = https(&sb)
        .get(format!("https://{DOMAIN}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200);
}

/// The handshake URL's parts, checked against clerk/javascript's `buildRedirectToHandshake`.
fn handshake_query(location: &str, host: &str) -> HashMap<String, String> {
    let (base, query) = location.split_once('?').unwrap();
    assert_eq!(base, format!("https://{host}/v1/client/handshake"));
    serde_urlencoded::from_str(query).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_returning_browser_goes_through_the_handshake_and_comes_back_signed_in() {
    let sb = sandbox("live").await;
    let (_, _, jwt, client) = sign_in(&sb).await;
    let uat = now();
    let first = page_load(&sb, "/dashboard", &format!("__client_uat={uat}"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 307);
    assert_eq!(header(&first, "x-clerk-auth-status"), "handshake");
    assert_eq!(
        header(&first, "x-clerk-auth-reason"),
        "client-uat-but-no-session-token"
    );
    assert_eq!(header(&first, "cache-control"), "no-store");
    let q = handshake_query(header(&first, "location"), "clerk.quillmate.test");
    assert_eq!(q["redirect_url"], "https://quillmate.test/dashboard");
    assert_eq!(q["__clerk_hs_reason"], "client-uat-but-no-session-token");
    assert_eq!(q["__clerk_api_version"], "2026-05-12");
    assert_eq!(q["suffixed_cookies"], "false");
    assert_eq!(q["format"], "nonce");
    let count = set_cookies(&first);
    assert_eq!(count[0].0, "__clerk_redirect_count");
    assert_eq!(count[0].1, "1");

    // The Frontend API knows the browser by its client cookie and hands a session back.
    let fapi = https(&sb)
        .get(header(&first, "location"))
        .header("cookie", format!("__client={client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(fapi.status(), 307);
    assert_eq!(
        header(&fapi, "location"),
        "https://quillmate.test/dashboard"
    );
    let handshake = set_cookies(&fapi);
    let (name, token, attrs) = &handshake[0];
    assert_eq!(name, "__clerk_handshake");
    assert!(attrs.contains("Domain=quillmate.test"), "{attrs}");
    let back = page_load(
        &sb,
        "/dashboard",
        &format!("__client_uat={uat}; __clerk_redirect_count=1; __clerk_handshake={token}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(back.status(), 200);
    assert_eq!(header(&back, "x-clerk-auth-status"), "signed-in");
    let set = set_cookies(&back);
    let session = set.iter().find(|(k, _, _)| k == "__session").unwrap();
    let fresh = golive_sandbox::clerk::keys::decode(&session.1).unwrap().1;
    let first = golive_sandbox::clerk::keys::decode(&jwt).unwrap().1;
    assert_eq!(fresh["sid"], first["sid"]);
    assert!(sb.canaries().contains(&session.1));

    // A session token older than `__client_uat` is stale: handshake again.
    let stale = page_load(
        &sb,
        "/dashboard",
        &format!("__session={jwt}; __client_uat={}", now() + 3),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(stale.status(), 307);
    let q = handshake_query(header(&stale, "location"), "clerk.quillmate.test");
    assert_eq!(
        q["__clerk_hs_reason"],
        "session-token-iat-before-client-uat"
    );
    assert_eq!(q["__session"], jwt);

    // Not a page load (no Sec-Fetch-Dest, Accept not starting with text/html): no
    // handshake, and protect() answers 404.
    let fetch = https(&sb)
        .get(format!("https://{DOMAIN}/dashboard"))
        .header("accept", "*/*")
        .header("cookie", format!("__client_uat={uat}"))
        .send()
        .await
        .unwrap();
    assert_eq!(fetch.status(), 404);
    assert_eq!(header(&fetch, "x-clerk-auth-status"), "signed-out");
}

/// Follows redirects like a browser (cookies by host, `Domain=` on the registrable domain),
/// from a page load of `/dashboard` with `__client_uat` set: the hosts and statuses seen.
async fn browse(sb: &Sandbox, client_cookie: Option<&str>) -> Vec<(String, u16, String)> {
    let mut site: HashMap<String, String> = HashMap::new();
    site.insert("__client_uat".into(), now().to_string());
    let fapi_cookie = client_cookie
        .map(|c| format!("__client={c}"))
        .unwrap_or_default();
    let mut url = format!("https://{DOMAIN}/dashboard");
    let mut seen = vec![];
    for _ in 0..12 {
        let host = url.split('/').nth(2).unwrap().to_string();
        let cookie = if host == DOMAIN {
            site.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            fapi_cookie.clone()
        };
        let r = navigate(sb, &url, &cookie).send().await.unwrap();
        for (k, v, attrs) in set_cookies(&r) {
            let for_site = host == DOMAIN || attrs.contains(&format!("Domain={DOMAIN}"));
            if for_site {
                if attrs.contains("Max-Age=0") {
                    site.remove(&k);
                } else {
                    site.insert(k, v);
                }
            }
        }
        let status = r.status().as_u16();
        seen.push((host, status, header(&r, "x-clerk-auth-reason").to_string()));
        match r.headers().get("location") {
            Some(l) if status == 307 && !l.to_str().unwrap().contains("/sign-in") => {
                url = l.to_str().unwrap().to_string();
            }
            _ => break,
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_without_a_session_goes_round_once_and_on_to_sign_in() {
    let sb = sandbox("live").await;
    let seen = browse(&sb, None).await;
    let hosts: Vec<(&str, u16)> = seen.iter().map(|(h, s, _)| (h.as_str(), *s)).collect();
    assert_eq!(
        hosts,
        [(DOMAIN, 307), ("clerk.quillmate.test", 307), (DOMAIN, 307),]
    );
    assert_eq!(seen[2].2, "session-token-missing", "{seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn another_instances_secret_key_loops_until_clerks_counter_stops_it() {
    let sb = sandbox("server-other-instance").await;
    let (_, _, jwt, client) = sign_in(&sb).await;
    // With a session token, the server's JWKS lacks its key: signed out, no handshake.
    let direct = page_load(
        &sb,
        "/dashboard",
        &format!("__session={jwt}; __client_uat={}", now() - 5),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(direct.status(), 307);
    assert_eq!(header(&direct, "x-clerk-auth-reason"), "jwk-kid-mismatch");
    assert!(header(&direct, "location").starts_with("https://accounts.quillmate.test/sign-in?"));
    // Without one, as a returning browser: the handshake loop.
    let seen = browse(&sb, Some(&client)).await;
    let hosts: Vec<(&str, u16)> = seen.iter().map(|(h, s, _)| (h.as_str(), *s)).collect();
    // Three handshakes (the Frontend API signs with the live key, the server's JWKS is
    // another instance's), then signed out: to sign-in.
    assert_eq!(
        hosts,
        [
            (DOMAIN, 307),
            ("clerk.quillmate.test", 307),
            (DOMAIN, 307),
            ("clerk.quillmate.test", 307),
            (DOMAIN, 307),
            ("clerk.quillmate.test", 307),
            (DOMAIN, 307),
        ],
        "{seen:?}"
    );
    assert!(seen
        .iter()
        .filter(|(h, ..)| h == DOMAIN)
        .all(|(.., reason)| reason == "client-uat-but-no-session-token"));
    // The same browser with the live keys on the server comes back signed in at once.
    sb.switch(Scenario::named("live").unwrap());
    let (.., client) = sign_in(&sb).await;
    let seen = browse(&sb, Some(&client)).await;
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[2].1, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn development_keys_on_the_server_send_the_handshake_to_the_development_frontend_api() {
    let sb = sandbox("server-dev-key").await;
    let (_, _, jwt, _) = sign_in(&sb).await;
    let r = page_load(
        &sb,
        "/dashboard",
        &format!("__session={jwt}; __client_uat={}", now() - 5),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 307);
    let q = handshake_query(header(&r, "location"), DEV_FRONTEND_API);
    assert_eq!(q["__clerk_hs_reason"], "dev-browser-missing");
    // The live token is another instance's: its cookies would be the suffixed ones.
    assert_eq!(q["suffixed_cookies"], "true");
    // The development Frontend API answers in the URL, and the site drops it again.
    let dev = https(&sb).get(header(&r, "location")).send().await.unwrap();
    assert_eq!(dev.status(), 307);
    let back = header(&dev, "location").to_string();
    assert!(
        back.starts_with("https://quillmate.test/dashboard?__clerk_handshake=ey"),
        "{back}"
    );
    let path = back.trim_start_matches("https://quillmate.test");
    let clean = page_load(&sb, path, "").send().await.unwrap();
    assert_eq!(clean.status(), 307);
    assert_eq!(
        header(&clean, "location"),
        "https://quillmate.test/dashboard"
    );
    assert!(set_cookies(&clean)
        .iter()
        .any(|(k, ..)| k == "__clerk_db_jwt"));
}

/// Supabase's Data API with the anon key and a bearer token.
async fn data_api(sb: &Sandbox, path: &str, apikey: Option<&str>, token: Option<&str>) -> Response {
    let mut r = reqwest::Client::new().get(format!("http://{}{path}", sb.clerk_api));
    if let Some(k) = apikey {
        r = r.header("apikey", k);
    }
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn supabase_accepts_the_production_session_only_where_it_trusts_the_issuer() {
    let sb = sandbox("live").await;
    let (.., jwt, _) = sign_in(&sb).await;
    let ok = data_api(&sb, "/rest/v1/", Some(SUPABASE_ANON_KEY), Some(&jwt)).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>().await.unwrap()["swagger"], "2.0");
    let rows = data_api(
        &sb,
        "/rest/v1/documents",
        Some(SUPABASE_ANON_KEY),
        Some(&jwt),
    )
    .await;
    assert_eq!(rows.json::<Value>().await.unwrap(), json!([]));
    let no_key = data_api(&sb, "/rest/v1/", None, Some(&jwt)).await;
    assert_eq!(no_key.status(), 401);
    assert_eq!(
        no_key.json::<Value>().await.unwrap()["message"],
        "No API key found in request"
    );
    let wrong_key = data_api(&sb, "/rest/v1/", Some("eyJ.wrong.key"), Some(&jwt)).await;
    assert_eq!(wrong_key.status(), 401);
    let garbage = data_api(&sb, "/rest/v1/", Some(SUPABASE_ANON_KEY), Some("not-a-jwt")).await;
    assert_eq!(garbage.json::<Value>().await.unwrap()["code"], "PGRST301");

    sb.switch(Scenario::named("supabase-rejects").unwrap());
    let (.., jwt, _) = sign_in(&sb).await;
    let refused = data_api(&sb, "/rest/v1/", Some(SUPABASE_ANON_KEY), Some(&jwt)).await;
    assert_eq!(refused.status(), 401);
    assert!(header(&refused, "www-authenticate").starts_with("Bearer error=\"invalid_token\""));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "PGRST301");
    assert_eq!(body["message"], "No suitable key or wrong key type");
    // Once the project trusts the issuer (through the Management API), the token passes.
    let added = reqwest::Client::new()
        .post(format!(
            "http://{}/v1/projects/{SUPABASE_REF}/config/auth/third-party-auth",
            sb.clerk_api
        ))
        .bearer_auth(SUPABASE_TOKEN)
        .json(&json!({"oidc_issuer_url": "https://clerk.quillmate.test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let accepted = data_api(&sb, "/rest/v1/", Some(SUPABASE_ANON_KEY), Some(&jwt)).await;
    assert_eq!(accepted.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_supabase_integration_the_token_has_no_role_claim() {
    let sb = sandbox("no-role-claim").await;
    let (.., jwt, _) = sign_in(&sb).await;
    let claims = golive_sandbox::clerk::keys::decode(&jwt).unwrap().1;
    assert!(claims.get("role").is_none(), "{claims}");
    assert!(claims["sub"].is_string());
}

#[test]
fn the_scenario_list_names_every_scenario() {
    for name in Scenario::ALL {
        assert_eq!(Scenario::named(name).unwrap().name, *name);
    }
    use golive_sandbox::site::auth::accounts_host;
    assert_eq!(
        accounts_host("clerk.quillmate.test"),
        "accounts.quillmate.test"
    );
    assert_eq!(
        accounts_host(DEV_FRONTEND_API),
        "quillmate-dev-13.accounts.dev"
    );
    let vars = Scenario::named("live").unwrap().key_env();
    assert!(vars.contains(&("SUPABASE_ANON_KEY".into(), SUPABASE_ANON_KEY.into())));
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_reach_the_protected_path_the_frontend_api_and_the_data_api() {
    use golive_sandbox::faults::FaultKind;
    let sb = sandbox("live").await;
    sb.fault("GET", "/dashboard", FaultKind::Echo(500));
    sb.fault("POST", "/v1/client/sign_ins", FaultKind::Echo(429));
    sb.fault("GET", "/rest/v1/", FaultKind::Echo(503));
    let site = page_load(&sb, "/dashboard", "__session=canary-cookie")
        .send()
        .await
        .unwrap();
    assert_eq!(site.status(), 500);
    // The quote carries the cookie: a client that prints error bodies would leak it.
    assert!(site.text().await.unwrap().contains("canary-cookie"));
    let home = https(&sb)
        .get(format!("https://{DOMAIN}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200, "the other pages are left alone");
    let fapi = https(&sb)
        .post(format!("https://clerk.{DOMAIN}/v1/client/sign_ins"))
        .form(&[("strategy", "ticket"), ("ticket", "t")])
        .send()
        .await
        .unwrap();
    assert_eq!(fapi.status(), 429);
    assert_eq!(header(&fapi, "retry-after"), "30");
    let rest = data_api(&sb, "/rest/v1/", Some(SUPABASE_ANON_KEY), None).await;
    assert_eq!(rest.status(), 503);
    assert_eq!(rest.json::<Value>().await.unwrap()["code"], "PGRST000");
}
