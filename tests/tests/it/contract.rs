//! The sandbox's fakes and Golive's requests, both checked against the vendors' own OpenAPI
//! specs (tests/fixtures/specs/*.json, cut from ../shared/vendor-specs by extract.py): every
//! response a fake serves, and every request Golive sends, must be what the spec describes.

use crate::common;
use golive_sandbox::clerk::{backend, frontend, platform};
use golive_sandbox::scenario::{DomainState, LIVE_SECRET_KEY, PLATFORM_KEY};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use serde_json::{json, Value};

/// One vendor spec: its document and the prefix its paths are served under.
struct Spec {
    doc: Value,
    prefix: &'static str,
    /// Query parameters the vendor's own SDKs send on every call that the spec leaves out.
    sdk_query: &'static [&'static str],
}

fn bapi() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/clerk-bapi.json")),
        prefix: "/v1",
        sdk_query: &[],
    }
}
fn plapi() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/clerk-platform.json")),
        prefix: "/v1",
        sdk_query: &[],
    }
}
fn supabase() -> Spec {
    Spec {
        doc: load(include_str!(
            "../../fixtures/specs/supabase-third-party-auth.json"
        )),
        prefix: "",
        sdk_query: &[],
    }
}
fn vercel() -> Spec {
    Spec {
        doc: required_declared(overlapping_alternatives(load(include_str!(
            "../../fixtures/specs/vercel.json"
        )))),
        prefix: "",
        sdk_query: &[],
    }
}

/// Vercel's spec writes `oneOf` where its alternatives overlap (an env variable, or any
/// object at all), so no body could match exactly one: read those as `anyOf`.
fn overlapping_alternatives(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let k = if k == "oneOf" { "anyOf".to_string() } else { k };
                    (k, overlapping_alternatives(v))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(overlapping_alternatives).collect()),
        other => other,
    }
}
/// Vercel's spec requires a DNS record's `name` but leaves it out of some record types'
/// properties (TXT's) while allowing no others, so no body could match: a required
/// property missing from a closed object's properties is read as a string property.
fn required_declared(v: Value) -> Value {
    match v {
        Value::Object(mut m) => {
            let closed = m.get("additionalProperties") == Some(&Value::Bool(false));
            let required: Vec<String> = m
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if let (true, Some(Value::Object(props))) = (closed, m.get_mut("properties")) {
                for name in required {
                    props
                        .entry(name)
                        .or_insert_with(|| serde_json::json!({"type": "string"}));
                }
            }
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k, required_declared(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.into_iter().map(required_declared).collect()),
        other => other,
    }
}

/// Netlify's Swagger 2.0 spec, in the fixture's OpenAPI 3 shape (see extract.py).
fn netlify() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/netlify.json")),
        prefix: "/api/v1",
        sdk_query: &[],
    }
}
/// Render publishes no OpenAPI document: the fixture is written by hand from
/// ../shared/vendor-specs/render-notes.md (its `x-source` says from what).
fn render() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/render.json")),
        prefix: "/render/v1",
        sdk_query: &[],
    }
}
fn cloudflare() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/cloudflare-dns.json")),
        prefix: "",
        sdk_query: &[],
    }
}
/// Cloudflare's own OpenAPI schema (Pages), whose paths are under `/client/v4`.
fn cloudflare_pages() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/cloudflare-pages.json")),
        prefix: "/client/v4",
        sdk_query: &[],
    }
}
/// Cloudflare's schema for Workers, with the settings and secrets endpoints it lacks written
/// from cloudflare-go v6 (see extract.py).
fn cloudflare_workers() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/cloudflare-workers.json")),
        prefix: "/client/v4",
        sdk_query: &[],
    }
}
fn fapi() -> Spec {
    Spec {
        doc: load(include_str!("../../fixtures/specs/clerk-fapi.json")),
        prefix: "",
        // clerk-js adds the first two to every call (packages/clerk-js/src/core/fapiClient.ts),
        // @clerk/testing the testing token; @clerk/backend's handshake redirect the rest
        // (packages/backend/src/tokens/handshake.ts `buildRedirectToHandshake`).
        sdk_query: &[
            "__clerk_api_version",
            "_clerk_js_version",
            "__clerk_testing_token",
            "suffixed_cookies",
            "__clerk_hs_reason",
            "__session",
            "__clerk_db_jwt",
        ],
    }
}

fn load(text: &str) -> Value {
    openapi_to_json_schema(serde_json::from_str(text).unwrap())
}

/// OpenAPI 3.0's `nullable: true` is not JSON Schema: the value may also be `null`. And
/// Vercel's spec has empty `oneOf: []` lists, which JSON Schema forbids and mean nothing.
fn openapi_to_json_schema(v: Value) -> Value {
    match v {
        Value::Object(mut m) => {
            let nullable = m.remove("nullable") == Some(Value::Bool(true));
            for k in ["oneOf", "anyOf", "allOf"] {
                if m.get(k)
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.is_empty())
                {
                    m.remove(k);
                }
            }
            let converted = Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k, openapi_to_json_schema(v)))
                    .collect(),
            );
            if nullable {
                json!({"anyOf": [converted, {"type": "null"}]})
            } else {
                converted
            }
        }
        Value::Array(a) => Value::Array(a.into_iter().map(openapi_to_json_schema).collect()),
        other => other,
    }
}

impl Spec {
    fn errors(&self, schema: &Value, body: &Value) -> Vec<String> {
        let mut root = schema.clone();
        root["components"] = self.doc["components"].clone();
        let validator = jsonschema::validator_for(&root).expect("a valid schema");
        validator
            .iter_errors(body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }

    fn assert_schema(&self, name: &str, body: &Value) {
        let errors = self.errors(
            &json!({"$ref": format!("#/components/schemas/{name}")}),
            body,
        );
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{body:#}");
    }

    /// The spec's path template that matches a served path, and its operation.
    fn operation(&self, method: &str, path: &str) -> (String, Value) {
        let path = path.strip_prefix(self.prefix).unwrap_or(path);
        for (template, ops) in self.doc["paths"].as_object().unwrap() {
            let t: Vec<&str> = template.split('/').collect();
            let p: Vec<&str> = path.split('/').collect();
            let matches = t.len() == p.len()
                && t.iter()
                    .zip(&p)
                    .all(|(a, b)| a == b || (a.starts_with('{') && !b.is_empty()));
            if matches {
                if let Some(op) = ops.get(method.to_ascii_lowercase()) {
                    return (template.clone(), op.clone());
                }
            }
        }
        panic!("{method} {path} is not in the spec");
    }

    fn resolve(&self, node: &Value) -> Value {
        match node["$ref"].as_str() {
            Some(r) => {
                let parts: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
                self.resolve(&parts.iter().fold(&self.doc, |n, k| &n[*k]).clone())
            }
            None => node.clone(),
        }
    }

    fn assert_response(&self, method: &str, path: &str, status: u16, body: &Value) {
        let (template, op) = self.operation(method, path);
        let response = self.resolve(&op["responses"][status.to_string()]);
        // Vercel's spec leaves out some error statuses its API sends (a 404 for a domain
        // not on the project); those must still have Vercel's documented error shape.
        if response.is_null() && status >= 400 && self.doc["x-error-shape"].is_object() {
            let errors = self.errors(&self.doc["x-error-shape"], body);
            assert!(
                errors.is_empty(),
                "{method} {template} {status}: {errors:#?}\n{body:#}"
            );
            return;
        }
        assert!(
            !response.is_null(),
            "{method} {template} has no {status} in the spec"
        );
        let schema = &response["content"]["application/json"]["schema"];
        let errors = self.errors(schema, body);
        assert!(
            errors.is_empty(),
            "{method} {template} {status}: {errors:#?}\n{body:#}"
        );
    }

    /// A request Golive sent: a known operation, known query parameters, a valid body.
    fn assert_request(&self, method: &str, path: &str, query: Option<&str>, body: Option<&Value>) {
        let (template, op) = self.operation(method, path);
        let declared: Vec<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| self.resolve(p))
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap().to_string())
            .chain(self.sdk_query.iter().map(|q| q.to_string()))
            .collect();
        for pair in query
            .unwrap_or_default()
            .split('&')
            .filter(|q| !q.is_empty())
        {
            let name = pair.split('=').next().unwrap();
            assert!(
                declared.iter().any(|d| d == name),
                "{method} {template}: unknown query {name}"
            );
        }
        // A JSON body, or a form's (the Frontend API's; the request log keeps its fields).
        let content = &self.resolve(&op["requestBody"])["content"];
        let schema = match &content["application/json"]["schema"] {
            Value::Null => &content["application/x-www-form-urlencoded"]["schema"],
            json => json,
        };
        match (body, schema.is_null()) {
            (Some(b), false) => {
                let errors = self.errors(schema, b);
                assert!(
                    errors.is_empty(),
                    "{method} {template} request: {errors:#?}\n{b:#}"
                );
            }
            (Some(b), true) => panic!("{method} {template} takes no body, got {b}"),
            (None, false) if self.resolve(&op["requestBody"])["required"] == true => {
                panic!("{method} {template} needs a body")
            }
            _ => {}
        }
    }
}

/// Which vendor serves a path on the sandbox's shared API server. A Supabase project's Data
/// API has no vendor spec: PostgREST describes the project's own tables.
fn spec_for(path: &str) -> Option<Spec> {
    if path.starts_with("/rest/v1/") {
        return None;
    }
    Some(if path.starts_with("/api/v1/") {
        netlify()
    } else if path.starts_with("/render/v1/") {
        render()
    } else if path.starts_with("/v1/platform/") {
        plapi()
    } else if path.starts_with("/v1/projects/") {
        supabase()
    } else if path.starts_with("/client/v4/accounts/") && path.contains("/workers/") {
        cloudflare_workers()
    } else if path.starts_with("/client/v4/accounts/") {
        cloudflare_pages()
    } else if path.starts_with("/client/v4/") {
        cloudflare()
    } else if path.starts_with("/v1/") {
        bapi()
    } else {
        vercel()
    })
}

#[test]
fn the_schemas_catch_a_wrong_body() {
    // Guards the guard: a body missing required fields must not validate.
    let spec = bapi();
    let instance = json!({"$ref": "#/components/schemas/Instance"});
    assert!(!spec
        .errors(&instance, &json!({"object": "instance", "id": "ins_1"}))
        .is_empty());
    let status = json!({"$ref": "#/components/schemas/PlatformDomainStatusResponse"});
    assert!(!plapi()
        .errors(&status, &json!({"status": "complete"}))
        .is_empty());
}

#[test]
fn every_fake_body_matches_its_schema() {
    // Every layout's bodies: the apex's, a subdomain's, a proxy's, a satellite's.
    for name in Scenario::ALL {
        let scenario = Scenario::named(name).unwrap();
        let layout = scenario.layout;
        let world = golive_sandbox::scenario::World::new(scenario);
        let b = bapi();
        for key in [
            LIVE_SECRET_KEY,
            golive_sandbox::scenario::OTHER_SECRET_KEY,
            golive_sandbox::scenario::DEV_SECRET_KEY,
        ] {
            let Some(i) = world.instance_for(key) else {
                continue;
            };
            b.assert_schema("Instance", &backend::instance_body(&i));
            b.assert_schema("Domains", &backend::domains_body(&i));
            b.assert_schema("JWKS", &backend::jwks_body(i.id));
            b.assert_schema("SvixURL", &backend::svix_url_body(&i));
        }
        let p = plapi();
        for with_keys in [false, true] {
            p.assert_schema(
                "PlatformApplicationResponse",
                &platform::application_body(&world, with_keys),
            );
        }
        p.assert_schema("PlatformDomainResponse", &platform::domain_body(layout));
        p.assert_schema(
            "PlatformWorkspaceDomainResponse",
            &platform::workspace_domain_body(layout),
        );
        for state in [
            DomainState::DnsPending,
            DomainState::SslPending,
            DomainState::Complete,
        ] {
            p.assert_schema(
                "PlatformDomainStatusResponse",
                &platform::status_body(state, layout),
            );
        }
        if let Some(satellite) = layout.satellite() {
            p.assert_schema(
                "PlatformDomainResponse",
                &platform::satellite_domain_body(satellite),
            );
            for record in [true, false] {
                p.assert_schema(
                    "PlatformDomainStatusResponse",
                    &platform::satellite_status_body(satellite, record),
                );
            }
        }
        let f = fapi();
        for environment in ["production", "development"] {
            f.assert_schema(
                "Client.Environment",
                &frontend::environment_body(environment, layout),
            );
        }
    }
    let b = bapi();
    b.assert_schema("ClerkErrors", &golive_sandbox::clerk::errors_body("c", "m"));
    plapi().assert_response(
        "POST",
        "/v1/platform/applications/app_1/instances",
        201,
        &platform::created_instance_body(),
    );

    let sb = supabase();
    for name in ["dev-issuer-only", "both-issuers"] {
        let scenario = Scenario::named(name).unwrap();
        let list = Value::Array(golive_sandbox::supabase::initial_integrations(&scenario));
        sb.assert_response(
            "GET",
            "/v1/projects/ref/config/auth/third-party-auth",
            200,
            &list,
        );
    }
}

fn get(sb: &Sandbox, path: &str, key: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .get(format!("http://{}{path}", sb.clerk_api))
        .bearer_auth(key)
}

#[tokio::test]
async fn served_responses_match_the_spec_including_errors() {
    let sb = Sandbox::start(Scenario::named("created").unwrap())
        .await
        .unwrap();
    let (b, p) = (bapi(), plapi());
    for path in ["/v1/instance", "/v1/domains", "/v1/jwks"] {
        let ok = get(&sb, path, LIVE_SECRET_KEY).send().await.unwrap();
        assert_eq!(ok.status(), 200, "{path}");
        b.assert_response("GET", path, 200, &ok.json().await.unwrap());
        let denied = get(&sb, path, "sk_live_nope").send().await.unwrap();
        assert_eq!(denied.status(), 401, "{path}");
        b.assert_schema("ClerkErrors", &denied.json().await.unwrap());
    }
    let app = golive_sandbox::scenario::APP_ID;
    for (method, path, want) in [
        ("GET", "/v1/platform/applications".to_string(), 200),
        (
            "GET",
            format!("/v1/platform/applications/{app}?include_secret_keys=true"),
            200,
        ),
        (
            "GET",
            format!("/v1/platform/applications/{app}/domains"),
            200,
        ),
        (
            "GET",
            format!("/v1/platform/applications/{app}/domains/{DOMAIN}/status"),
            200,
        ),
        (
            "POST",
            format!("/v1/platform/applications/{app}/domains/{DOMAIN}/dns_check"),
            200,
        ),
        (
            "POST",
            format!("/v1/platform/applications/{app}/domains/{DOMAIN}/dns_check"),
            409,
        ),
        ("GET", format!("/v1/platform/domains/{DOMAIN}"), 200),
        ("GET", "/v1/platform/domains/nowhere.test".to_string(), 404),
        ("GET", "/v1/platform/applications/app_nope".to_string(), 404),
    ] {
        let url = format!("http://{}{path}", sb.clerk_api);
        let client = reqwest::Client::new();
        let req = if method == "GET" {
            client.get(&url)
        } else {
            client.post(&url)
        };
        let resp = req.bearer_auth(PLATFORM_KEY).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), want, "{method} {path}");
        let path = path.split('?').next().unwrap();
        p.assert_response(method, path, want, &resp.json().await.unwrap());
    }
    let denied = reqwest::Client::new()
        .get(format!("http://{}/v1/platform/applications", sb.clerk_api))
        .bearer_auth("ak_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);
    p.assert_response(
        "GET",
        "/v1/platform/applications",
        401,
        &denied.json().await.unwrap(),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_request_golive_sends_is_in_the_spec() {
    // Creating the instance, then every check with every key: all of Golive's Clerk calls.
    let sb = Sandbox::start(Scenario::named("fresh").unwrap())
        .await
        .unwrap();
    let endpoints = golive_core::config::Endpoints::from_vars(sb.env()).unwrap();
    let http = golive_core::http::Http::new(&endpoints).unwrap();
    let key = golive_core::secrets::Secret::new(PLATFORM_KEY);
    let api =
        golive_core::vendors::clerk::platform::Platform::new(&http, &endpoints.clerk_api, &key);
    let apps = api.applications().await.unwrap();
    let dev = apps[0].instance("development").unwrap().instance_id.clone();
    api.create_production_instance(&apps[0].application_id, DOMAIN, Some(&dev))
        .await
        .unwrap();
    api.application_with_keys(&apps[0].application_id)
        .await
        .unwrap();
    api.domains(&apps[0].application_id).await.unwrap();
    api.dns_check(&apps[0].application_id, DOMAIN)
        .await
        .unwrap();

    let mut vars = sb.env();
    vars.extend(Scenario::named("live").unwrap().key_env());
    vars.extend(sb.platform_key_env());
    let out = common::golive(&["check", "--domain", DOMAIN, "--json"], &vars);
    assert!(out.status.code().is_some(), "the CLI ran");

    // And Supabase: adding the production issuer where only development's is trusted.
    sb.switch(Scenario::named("dev-issuer-only").unwrap());
    let token = golive_core::secrets::Secret::new(golive_sandbox::scenario::SUPABASE_TOKEN);
    let created =
        golive_core::vendors::supabase::Management::new(&http, &endpoints.supabase_api, &token)
            .add_oidc_issuer(
                golive_sandbox::scenario::SUPABASE_REF,
                "https://clerk.quillmate.test",
            )
            .await
            .unwrap();
    assert_eq!(
        created.oidc_issuer_url.as_deref(),
        Some("https://clerk.quillmate.test")
    );

    let requests = sb.requests();
    assert!(requests.len() >= 10, "{requests:#?}");
    for r in &requests {
        if let Some(spec) = spec_for(&r.path) {
            spec.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
        }
    }
    assert!(requests
        .iter()
        .any(|r| r.path.starts_with("/v1/projects/") && r.method == "POST"));
}

/// Automatic records at Cloudflare and Vercel DNS, and the Vercel reads of the checks: every
/// request Golive sends and every answer the fakes give, against the specs.
#[tokio::test(flavor = "multi_thread")]
async fn dns_host_traffic_is_in_the_spec_both_ways() {
    use golive_core::secrets::SecretKind;
    use golive_sandbox::scenario::CLOUDFLARE_TOKEN;
    let mut requests = vec![];
    for (scenario, cloudflare) in [("cloudflare-dns", true), ("vercel-dns", false)] {
        let sb = Sandbox::start(Scenario::named(scenario).unwrap())
            .await
            .unwrap();
        let t = common::project_for(&sb).with_live_keys().with_vercel();
        let (e, id) = (&t.engine, &t.project.id);
        if cloudflare {
            e.set_secret(id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
                .unwrap();
        }
        let first = e.dns_auto_apply(id, &[]).await.unwrap();
        let confirm: Vec<String> = first
            .plan
            .changes
            .iter()
            .filter_map(|c| c.existing.as_ref().map(|x| x.id.clone()))
            .collect();
        e.dns_auto_apply(id, &confirm).await.unwrap();
        e.vercel_projects(id, None, "quill", None).await.unwrap();
        requests.extend(sb.requests());
        // An error answer, too.
        e.set_secret(id, SecretKind::VercelToken, "wrong").unwrap();
        e.vercel_projects(id, None, "", None).await.unwrap_err();
        requests.extend(sb.requests().into_iter().skip(requests.len()));
    }
    assert!(
        requests.iter().any(|r| r.method == "PATCH"),
        "a confirmed replace at Cloudflare"
    );
    assert!(requests.iter().any(|r| r.path.starts_with("/v2/")));
    assert!(requests.iter().any(|r| r.status == 401));
    assert_traffic(&requests);
}

/// Every request to Vercel or Cloudflare, and every answer, as their specs describe them.
fn assert_traffic(requests: &[golive_sandbox::Recorded]) {
    for r in requests.iter().filter(|r| !r.path.starts_with("/v1/")) {
        let Some(spec) = spec_for(&r.path) else {
            continue;
        };
        spec.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
        let body = r
            .response
            .as_ref()
            .unwrap_or_else(|| panic!("{} {}: no JSON", r.method, r.path));
        spec.assert_response(&r.method, &r.path, r.status, body);
    }
}

/// Asserts each call (method, part of its path) is among `requests`, the part found in the
/// path by `at` (as its start, its end, anywhere…).
fn assert_sent(
    requests: &[golive_sandbox::Recorded],
    calls: &[(&str, &str)],
    at: fn(&str, &str) -> bool,
) {
    for (method, part) in calls {
        assert!(
            requests
                .iter()
                .any(|r| r.method == *method && at(&r.path, part)),
            "{method} {part}"
        );
    }
}

/// The hosting step's Vercel calls — domain, env, redeploy and its polling, the checks —
/// in the spec both ways, including the `failed` answer to a conflicting create.
#[tokio::test(flavor = "multi_thread")]
async fn hosting_traffic_is_in_the_spec_both_ways() {
    use golive_sandbox::scenario::{VERCEL_PROJECT_ID, VERCEL_TOKEN};
    let sb = Sandbox::start(Scenario::named("fresh-project").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb).with_live_keys().with_vercel();
    let (e, id) = (&t.engine, &t.project.id);
    e.hosting_add_domain(id).await.unwrap();
    e.hosting_verify_domain(id).await.unwrap();
    e.hosting_env_apply(id).await.unwrap();
    let pace = common::FAST;
    e.hosting_redeploy(id, pace, |_| {}).await.unwrap();
    e.run_checks(id, None, false, |_| {}).await.unwrap();
    // A create that conflicts: Vercel answers 201 with the variable under `failed`.
    let token = golive_core::secrets::Secret::new(VERCEL_TOKEN);
    let endpoints = golive_core::config::Endpoints::from_vars(sb.env()).unwrap();
    let http = golive_core::http::Http::new(&endpoints).unwrap();
    let err = golive_core::vendors::vercel::Vercel::new(&http, &endpoints.vercel_api, &token, None)
        .create_env(
            VERCEL_PROJECT_ID,
            "CLERK_SECRET_KEY",
            "x",
            "sensitive",
            &["production"],
            "",
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vercel_env_failed");
    let requests = sb.requests();
    assert_sent(
        &requests,
        &[
            ("POST", "/v10/projects/"),
            ("PATCH", "/v9/projects/"),
            ("POST", "/v13/deployments"),
            ("GET", "/v13/deployments/"),
            ("GET", "/v9/projects/"),
        ],
        |p, s| p.starts_with(s),
    );
    assert_traffic(&requests);
}

/// The hosting step's Cloudflare Pages calls — the project, the domain and its validation,
/// the env plan's values and markers, a retried deployment and its polling, the checks — in
/// Cloudflare's schema both ways, with its refusals: a domain another project has, an
/// account the token may not use, a project the account does not have, a token it rejects.
#[tokio::test(flavor = "multi_thread")]
async fn cloudflare_pages_traffic_is_in_the_spec_both_ways() {
    use golive_core::project::CloudflareLink;
    use golive_core::secrets::SecretKind;
    use golive_sandbox::scenario::{CLOUDFLARE_ACCOUNT_ID, PAGES_PROJECT};
    let pace = common::FAST;
    let sb = Sandbox::start(Scenario::named("cloudflare-pages-fresh").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_webhooks()
        .with_cloudflare_pages()
        .await;
    let (e, id) = (&t.engine, &t.project.id);
    e.hosting_add_domain(id).await.unwrap();
    e.hosting_verify_domain(id).await.unwrap();
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    e.hosting_redeploy(id, pace, |_| {}).await.unwrap();
    e.run_checks(id, None, false, |_| {}).await.unwrap();
    // Refusals.
    let link = |account: &str, name: &str| {
        Some(CloudflareLink {
            account_id: account.into(),
            name: name.into(),
            kind: None,
        })
    };
    let other = e
        .create_project(golive_core::project::ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: golive_core::project::Hosting::CloudflarePages,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(
        &other.id,
        SecretKind::CloudflareToken,
        golive_sandbox::scenario::CLOUDFLARE_TOKEN,
    )
    .unwrap();
    e.set_cloudflare_project(&other.id, link(CLOUDFLARE_ACCOUNT_ID, PAGES_PROJECT))
        .await
        .unwrap();
    assert_eq!(
        e.hosting_add_domain(&other.id).await.unwrap_err().code(),
        "cloudflare_domain_elsewhere"
    );
    for (account, name, code) in [
        (
            "0000aaaa1111bbbb2222cccc3333dddd",
            PAGES_PROJECT,
            "cloudflare_account_rejected",
        ),
        (
            CLOUDFLARE_ACCOUNT_ID,
            "elsewhere",
            "cloudflare_project_not_found",
        ),
    ] {
        let err = e
            .set_cloudflare_project(&other.id, link(account, name))
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
    e.set_secret(id, SecretKind::CloudflareToken, "cfut_wrong")
        .unwrap();
    assert_eq!(
        e.hosting_domain(id).await.unwrap_err().code(),
        "cloudflare_account_rejected"
    );
    let requests = sb.requests();
    assert_sent(
        &requests,
        &[
            ("PATCH", "/pages/projects/quillmate"),
            ("POST", "/pages/projects/quillmate/domains"),
            ("PATCH", "/pages/projects/quillmate/domains/quillmate.test"),
            ("POST", "/retry"),
            ("GET", "/pages/projects/quillmate/deployments"),
        ],
        |p, s| p.ends_with(s),
    );
    assert_traffic(&requests);
}

/// The hosting step's Cloudflare Workers calls — the script's bindings, its secrets (set, and
/// a replaced marker removed), a custom domain attached in the account's zone, the
/// deployments, the checks — in the schema both ways, with the refusals: an account the
/// token may not use, a Worker the account does not have.
#[tokio::test(flavor = "multi_thread")]
async fn cloudflare_workers_traffic_is_in_the_spec_both_ways() {
    use golive_core::project::CloudflareLink;
    use golive_core::secrets::SecretKind;
    use golive_sandbox::scenario::{CLOUDFLARE_ACCOUNT_ID, LIVE_WEBHOOK_SECRET};
    let pace = common::FAST;
    let sb = Sandbox::start(Scenario::named("cloudflare-workers-fresh").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_webhooks()
        .with_cloudflare_workers()
        .await;
    let (e, id) = (&t.engine, &t.project.id);
    e.hosting_add_domain(id).await.unwrap();
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    e.hosting_redeploy(id, pace, |_| {}).await.unwrap();
    e.run_checks(id, None, false, |_| {}).await.unwrap();
    // A renewed signing secret: its value, its marker, the old marker removed.
    let renewed = format!("{}x", &LIVE_WEBHOOK_SECRET[..LIVE_WEBHOOK_SECRET.len() - 1]);
    e.set_secret(id, SecretKind::ClerkWebhookSecret, &renewed)
        .unwrap();
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    for (account, name, code) in [
        (
            "0000aaaa1111bbbb2222cccc3333dddd",
            "quillmate-web",
            "cloudflare_account_rejected",
        ),
        (
            CLOUDFLARE_ACCOUNT_ID,
            "elsewhere",
            "cloudflare_project_not_found",
        ),
    ] {
        let err = e
            .set_cloudflare_project(
                id,
                Some(CloudflareLink {
                    account_id: account.into(),
                    name: name.into(),
                    kind: None,
                }),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
    let requests = sb.requests();
    assert_sent(
        &requests,
        &[
            ("GET", "/workers/scripts/quillmate-web/settings"),
            ("PUT", "/workers/scripts/quillmate-web/secrets"),
            ("DELETE", ""),
            ("PUT", "/workers/domains"),
            ("GET", "/workers/domains"),
            ("GET", "/workers/scripts/quillmate-web/deployments"),
        ],
        |p, s| p.contains("/workers/") && p.ends_with(s),
    );
    assert_traffic(&requests);
}

/// The hosting step's Netlify calls — the domain and its certificate, the env plan's creates,
/// replacements, values and markers, a build and its polling, the checks — in the spec both
/// ways, with Netlify's refusals: a token it rejects, a domain another site has, a
/// certificate it cannot issue yet.
#[tokio::test(flavor = "multi_thread")]
async fn netlify_traffic_is_in_the_spec_both_ways() {
    use golive_core::project::{Hosting, ProjectInput};
    use golive_core::secrets::SecretKind;
    let pace = common::FAST;
    let sb = Sandbox::start(Scenario::named("netlify-fresh").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_webhooks()
        .with_netlify();
    let (e, id) = (&t.engine, &t.project.id);
    let page = e.netlify_sites(id, "quill", 1).await.unwrap();
    assert_eq!(page.sites[0].name, "quillmate");
    e.hosting_add_domain(id).await.unwrap();
    e.hosting_verify_domain(id).await.unwrap();
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    e.hosting_redeploy(id, pace, |_| {}).await.unwrap();
    e.run_checks(id, None, false, |_| {}).await.unwrap();
    // A secret value set, and its marker created.
    sb.switch(Scenario::named("netlify-production-only").unwrap());
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    // Refusals: no certificate while the DNS is elsewhere, a domain another site has, a
    // token Netlify does not know.
    sb.switch(Scenario::named("netlify-domain-unverified").unwrap());
    assert_eq!(
        e.hosting_verify_domain(id).await.unwrap_err().code(),
        "netlify_dns_not_ready"
    );
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: Hosting::Netlify,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(
        &other.id,
        SecretKind::NetlifyToken,
        golive_sandbox::scenario::NETLIFY_TOKEN,
    )
    .unwrap();
    e.set_netlify_site(&other.id, t.project.netlify_site.clone())
        .unwrap();
    assert_eq!(
        e.hosting_add_domain(&other.id).await.unwrap_err().code(),
        "netlify_domain_elsewhere"
    );
    e.set_secret(id, SecretKind::NetlifyToken, "nfp_wrong")
        .unwrap();
    assert_eq!(
        e.hosting_domain(id).await.unwrap_err().code(),
        "netlify_token_rejected"
    );
    let requests = sb.requests();
    assert_sent(
        &requests,
        &[
            ("PATCH", "/api/v1/sites/"),
            ("POST", "/api/v1/sites/"),
            ("GET", "/api/v1/sites/"),
            ("PUT", "/api/v1/accounts/"),
            ("PATCH", "/api/v1/accounts/"),
            ("POST", "/api/v1/accounts/"),
            ("GET", "/api/v1/deploys/"),
        ],
        |p, s| p.starts_with(s),
    );
    for status in [401, 404, 422] {
        assert!(requests.iter().any(|r| r.status == status), "a {status}");
    }
    assert_traffic(&requests);
}

/// The hosting step's Render calls — the service picker, the domain and its verification,
/// the env plan's values and stamps, a deploy Render queues (202, no body) and its polling,
/// the checks, the previews read while they hold the plan — in the spec both ways, with
/// Render's refusals: a domain another service has (409), a key it rejects (401), a domain
/// not on the service yet (404).
#[tokio::test(flavor = "multi_thread")]
async fn render_traffic_is_in_the_spec_both_ways() {
    use golive_core::project::{Hosting, ProjectInput};
    use golive_core::secrets::SecretKind;
    let pace = common::FAST;
    let sb = Sandbox::start(Scenario::named("render-fresh").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_webhooks()
        .with_render();
    let (e, id) = (&t.engine, &t.project.id);
    let page = e.render_services(id, "quill", None).await.unwrap();
    assert_eq!(page.services[0].name, "quillmate");
    e.hosting_add_domain(id).await.unwrap();
    e.hosting_verify_domain(id).await.unwrap();
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    {
        // A deploy still building: Render queues the next one and answers 202.
        let mut w = sb.world.lock().unwrap();
        let mut d = w.render.deploys[0].clone();
        d.started = std::time::Instant::now();
        d.id = "dep-d0sandboxbuilding0".into();
        w.render.deploys.push(d);
    }
    e.hosting_redeploy(id, pace, |_| {}).await.unwrap();
    e.run_checks(id, None, false, |_| {}).await.unwrap();
    // Golive reads only the newest deploy; the whole list has the replaced ones too.
    let path = format!(
        "/render/v1/services/{}/deploys?limit=20",
        golive_sandbox::scenario::RENDER_SERVICE_ID
    );
    let listed = get(&sb, &path, golive_sandbox::scenario::RENDER_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    sb.switch(Scenario::named("render-shared-key").unwrap());
    assert!(e.hosting_env_plan(id).await.unwrap().held.is_some());
    // A failed build, as the checks read it.
    sb.switch(Scenario::named("render-build-error").unwrap());
    assert!(e.hosting_redeploy(id, pace, |_| {}).await.unwrap().failed());
    e.run_checks(id, None, false, |_| {}).await.unwrap();
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: Hosting::Render,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(
        &other.id,
        SecretKind::RenderApiKey,
        golive_sandbox::scenario::RENDER_API_KEY,
    )
    .unwrap();
    e.set_render_service(&other.id, t.project.render_service.clone())
        .unwrap();
    assert_eq!(
        e.hosting_add_domain(&other.id).await.unwrap_err().code(),
        "render_domain_elsewhere"
    );
    e.set_secret(id, SecretKind::RenderApiKey, "rnd_wrong")
        .unwrap();
    assert_eq!(
        e.hosting_domain(id).await.unwrap_err().code(),
        "render_key_rejected"
    );
    let requests: Vec<_> = sb
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/render/v1/"))
        .collect();
    assert_sent(
        &requests,
        &[
            ("POST", "/custom-domains"),
            ("POST", "/verify"),
            ("PUT", "/env-vars/CLERK_SECRET_KEY"),
            ("PUT", "/env-vars/GOLIVE_SET_AT_CLERK_SECRET_KEY"),
            ("POST", "/deploys"),
            ("GET", "/deploys/dep-d0sandboxquill0"),
            ("GET", "/render/v1/services"),
        ],
        |p, s| p.contains(s),
    );
    for status in [202, 401, 404, 409] {
        assert!(requests.iter().any(|r| r.status == status), "a {status}");
    }
    for state in ["\"build_failed\"", "\"deactivated\"", "\"live\""] {
        assert!(
            requests.iter().any(|r| r
                .response
                .as_ref()
                .is_some_and(|b| b.to_string().contains(state))),
            "a {state} deploy served"
        );
    }
    let spec = render();
    for r in &requests {
        spec.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
        match &r.response {
            Some(body) => spec.assert_response(&r.method, &r.path, r.status, body),
            // Only the answers the spec gives no body may come without one.
            None => {
                let (template, op) = spec.operation(&r.method, &r.path);
                let answer = &op["responses"][r.status.to_string()];
                assert!(
                    answer.is_object() && answer["content"].is_null(),
                    "{} {template} {}: no body",
                    r.method,
                    r.status
                );
            }
        }
    }
}

/// Pushing OAuth credentials to Clerk: the config PATCH, both ways, including the 422 for
/// a connection without credentials.
#[tokio::test(flavor = "multi_thread")]
async fn the_oauth_config_patch_is_in_the_spec_both_ways() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let endpoints = golive_core::config::Endpoints::from_vars(sb.env()).unwrap();
    let http = golive_core::http::Http::new(&endpoints).unwrap();
    let key = golive_core::secrets::Secret::new(PLATFORM_KEY);
    let api =
        golive_core::vendors::clerk::platform::Platform::new(&http, &endpoints.clerk_api, &key);
    let app = golive_sandbox::scenario::APP_ID;
    api.set_oauth_connection(
        app,
        "google",
        "1-a.apps.googleusercontent.com",
        &golive_core::secrets::Secret::new("GOCSPX-x"),
    )
    .await
    .unwrap();
    let err = api
        .set_oauth_connection(app, "github", "", &golive_core::secrets::Secret::new(""))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clerk_invalid_request");
    let p = plapi();
    let patches: Vec<_> = sb
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(
        patches.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 422]
    );
    for r in &patches {
        p.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
        p.assert_response(&r.method, &r.path, r.status, r.response.as_ref().unwrap());
        assert!(!r
            .response
            .as_ref()
            .unwrap()
            .to_string()
            .contains("GOCSPX-x"));
    }
}

/// The sign-in rehearsal's traffic — users, sign-in tokens, the ticket sign-in, session
/// tokens, the handshake, revocation and clean-up, and their errors (401, 404, 422, bot
/// protection) — against the Backend and Frontend API specs, requests and answers.
#[tokio::test(flavor = "multi_thread")]
async fn rehearsal_traffic_is_in_the_spec_both_ways() {
    use crate::sandbox_auth::{https, sign_in};
    use golive_sandbox::scenario::{OTHER_SECRET_KEY, SUPABASE_ANON_KEY};
    use reqwest::Method;
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let (user_id, session_id, _, client) = sign_in(&sb).await;
    let fapi_url = |path: &str| format!("https://clerk.{DOMAIN}{path}");
    let tokens = fapi_url(&format!("/v1/client/sessions/{session_id}/tokens"));
    let web = https(&sb);
    for cookie in [format!("__client={client}"), String::new()] {
        web.post(&tokens)
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
    }
    let handshake = fapi_url(
        "/v1/client/handshake?redirect_url=https%3A%2F%2Fquillmate.test%2Fdashboard\
         &__clerk_api_version=2026-05-12&suffixed_cookies=false\
         &__clerk_hs_reason=client-uat-but-no-session-token&format=nonce",
    );
    for cookie in [format!("__client={client}"), String::new()] {
        let r = web
            .get(&handshake)
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 307);
    }
    web.get(fapi_url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap();
    for (method, path, key) in [
        (
            Method::GET,
            "/v1/users?external_id=golive-rehearsal-1".to_string(),
            LIVE_SECRET_KEY,
        ),
        (
            Method::GET,
            "/v1/users?email_address=ada%40quillmate.test&email_address=x%40y.test".into(),
            LIVE_SECRET_KEY,
        ),
        (Method::GET, format!("/v1/users/{user_id}"), LIVE_SECRET_KEY),
        (Method::GET, "/v1/users/user_nope".into(), LIVE_SECRET_KEY),
        (Method::GET, "/v1/users".into(), "sk_live_nope"),
        (
            Method::POST,
            format!("/v1/sessions/{session_id}/revoke"),
            LIVE_SECRET_KEY,
        ),
        (
            Method::POST,
            "/v1/sessions/sess_nope/revoke".into(),
            LIVE_SECRET_KEY,
        ),
        (Method::POST, "/v1/testing_tokens".into(), LIVE_SECRET_KEY),
        (
            Method::DELETE,
            format!("/v1/users/{user_id}"),
            LIVE_SECRET_KEY,
        ),
        (
            Method::DELETE,
            format!("/v1/users/{user_id}"),
            LIVE_SECRET_KEY,
        ),
        (Method::GET, "/v1/users".into(), OTHER_SECRET_KEY),
    ] {
        crate::sandbox_auth::bapi(&sb, method, &path, key)
            .send()
            .await
            .unwrap();
    }
    let missing =
        crate::sandbox_auth::bapi(&sb, Method::POST, "/v1/sign_in_tokens", LIVE_SECRET_KEY)
            .json(&json!({"user_id": "user_nope", "expires_in_seconds": 60}))
            .send()
            .await
            .unwrap();
    assert_eq!(missing.status(), 404);
    // A spent ticket, a wrong strategy, a foreign origin.
    let spent = sb.sign_in_tokens()[0].token.clone();
    for (origin, strategy) in [
        ("https://quillmate.test", "ticket"),
        ("https://quillmate.test", "password"),
        ("https://evil.test", "ticket"),
    ] {
        let r = web
            .post(fapi_url("/v1/client/sign_ins"))
            .header("origin", origin)
            .form(&[("strategy", strategy), ("ticket", &spent)])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error());
    }
    // Refused users and bot protection.
    sb.switch(Scenario::named("rehearsal-user-refused").unwrap());
    let refused = crate::sandbox_auth::bapi(&sb, Method::POST, "/v1/users", LIVE_SECRET_KEY)
        .json(
            &json!({"email_address": ["golive@quillmate.test"], "skip_password_requirement": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    sb.switch(Scenario::named("bot-protection").unwrap());
    let ticket: Value =
        crate::sandbox_auth::bapi(&sb, Method::POST, "/v1/sign_in_tokens", LIVE_SECRET_KEY)
            .json(&json!({"user_id": golive_sandbox::clerk::accounts::EXISTING_USER_ID}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let stopped = web
        .post(fapi_url(
            "/v1/client/sign_ins?__clerk_api_version=2026-05-12",
        ))
        .form(&[
            ("strategy", "ticket"),
            ("ticket", ticket["token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.status(), 403);
    // Supabase's Data API has no spec; it is left out, not failed.
    reqwest::Client::new()
        .get(format!("http://{}/rest/v1/", sb.clerk_api))
        .header("apikey", SUPABASE_ANON_KEY)
        .send()
        .await
        .unwrap();

    let statuses: std::collections::BTreeSet<u16> =
        sb.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 401, 404, 422].into());
    let statuses: std::collections::BTreeSet<u16> =
        sb.frontend_requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 307, 400, 401, 403, 422].into());
    assert_clerk_traffic(&sb);
}

/// Every request to Clerk's Backend and Frontend APIs the sandbox saw, and every answer, as
/// Clerk's specs describe them.
fn assert_clerk_traffic(sb: &Sandbox) {
    let b = bapi();
    for r in sb.requests().iter().filter(|r| r.path.starts_with("/v1/")) {
        b.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
        b.assert_response(&r.method, &r.path, r.status, r.response.as_ref().unwrap());
    }
    assert_frontend_traffic(sb);
}

/// Every Frontend API request (direct or through a proxy) and answer, as Clerk's spec says
/// (the Account Portal's pages, on the same fake, are pages and not the API).
fn assert_frontend_traffic(sb: &Sandbox) {
    let f = fapi();
    for r in sb
        .frontend_requests()
        .iter()
        .filter(|r| !r.host.starts_with("accounts."))
    {
        f.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
        match &r.response {
            Some(body) => f.assert_response(&r.method, &r.path, r.status, body),
            None => {
                let (template, op) = f.operation(&r.method, &r.path);
                assert!(
                    op["responses"][r.status.to_string()].is_object(),
                    "{} {template} has no {}",
                    r.method,
                    r.status
                );
            }
        }
    }
}

/// The engine's own rehearsal traffic — leftovers listed, a user made or found, a ticket, the
/// sign-in (through bot protection with a testing token), the session token, the JWKS, the
/// revoke and the delete — in Clerk's specs both ways.
#[tokio::test(flavor = "multi_thread")]
async fn the_engines_rehearsal_is_in_the_spec_both_ways() {
    for scenario in ["live", "bot-protection", "rehearsal-user-refused"] {
        let sb = Sandbox::start(Scenario::named(scenario).unwrap())
            .await
            .unwrap();
        crate::launch::rehearse(&sb, false).await;
        let paths: Vec<String> = sb.requests().into_iter().map(|r| r.path).collect();
        assert!(
            paths.iter().any(|p| p == "/v1/users"),
            "{scenario}: {paths:?}"
        );
        assert_clerk_traffic(&sb);
    }
}

/// The webhook dashboard link and the webhook secret's env writes: Golive's requests and
/// the fakes' answers, both ways — the Backend API's `svix_url` (and its refusal), and the
/// re-target and sensitive create that give production its own signing secret.
#[tokio::test(flavor = "multi_thread")]
async fn webhook_traffic_is_in_the_spec_both_ways() {
    let sb = Sandbox::start(Scenario::named("env-shared-targets").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_vercel()
        .with_webhooks();
    let (e, id) = (&t.engine, &t.project.id);
    e.webhook_dashboard(id).await.unwrap();
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    e.set_secret(
        id,
        golive_core::secrets::SecretKind::ClerkSecretKey,
        "sk_live_notTheSandboxesKey0000000000",
    )
    .unwrap();
    assert_eq!(
        e.webhook_dashboard(id).await.err().unwrap().code(),
        "clerk_key_rejected"
    );
    let requests = sb.requests();
    let b = bapi();
    let svix: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/v1/webhooks/svix_url")
        .collect();
    assert_eq!(
        svix.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 401]
    );
    for r in &svix {
        b.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
    }
    b.assert_response(
        "POST",
        &svix[0].path,
        200,
        svix[0].response.as_ref().unwrap(),
    );
    b.assert_schema("ClerkErrors", svix[1].response.as_ref().unwrap());
    let webhook_writes: Vec<_> = requests
        .iter()
        .filter(|r| r.method != "GET" && r.path.contains("/env"))
        .filter(|r| {
            r.body.as_ref().is_some_and(|b| {
                b["key"] == "CLERK_WEBHOOK_SIGNING_SECRET"
                    || b["value"].as_str().is_some_and(|v| v.starts_with("whsec_"))
            }) || r.path.ends_with("env_sandbox0005")
        })
        .collect();
    assert_eq!(
        webhook_writes
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>(),
        ["PATCH", "POST"],
        "the re-target, then the sensitive create"
    );
    assert_eq!(
        webhook_writes[1].body.as_ref().unwrap()["type"],
        "sensitive"
    );
    assert_traffic(&requests);
}

/// The layouts' answers, served over sockets, in the specs both ways: the Backend API's
/// domains (a proxy URL, a satellite), the Platform API's domains and statuses (the proxy's
/// part, a satellite's), the Frontend API on a subdomain, on the satellite and through the
/// site's proxy (and a proxied request it refuses), and Vercel's reads of a subdomain's and
/// the satellite project's domain, env and deployments.
#[tokio::test(flavor = "multi_thread")]
async fn layout_traffic_is_in_the_spec_both_ways() {
    use golive_sandbox::scenario::{
        APP_ID, SATELLITE_PROJECT_ID, SHARED_FRONTEND_API, VERCEL_PROJECT_ID, VERCEL_TOKEN,
    };
    for name in [
        "subdomain-app-root-clerk",
        "subdomain-app-own-clerk",
        "proxy-mode",
        "proxy-broken",
        "satellite",
        "satellite-missing-record",
    ] {
        let sb = Sandbox::start(Scenario::named(name).unwrap())
            .await
            .unwrap();
        let layout = sb.scenario().layout;
        let mut reads = vec![
            ("/v1/domains".to_string(), LIVE_SECRET_KEY),
            (
                format!("/v1/platform/applications/{APP_ID}/domains"),
                PLATFORM_KEY,
            ),
            (
                format!("/v1/platform/domains/{}", layout.clerk_domain()),
                PLATFORM_KEY,
            ),
            (
                format!(
                    "/v1/platform/applications/{APP_ID}/domains/{}/status",
                    layout.clerk_domain()
                ),
                PLATFORM_KEY,
            ),
            (
                format!("/v6/domains/{}/config", layout.app_domain()),
                VERCEL_TOKEN,
            ),
            (
                format!(
                    "/v9/projects/{VERCEL_PROJECT_ID}/domains/{}",
                    layout.app_domain()
                ),
                VERCEL_TOKEN,
            ),
            (
                format!("/v10/projects/{VERCEL_PROJECT_ID}/env"),
                VERCEL_TOKEN,
            ),
        ];
        if let Some(satellite) = layout.satellite() {
            let p = SATELLITE_PROJECT_ID;
            reads.extend([
                (
                    format!("/v1/platform/applications/{APP_ID}/domains/{satellite}/status"),
                    PLATFORM_KEY,
                ),
                (format!("/v1/platform/domains/{satellite}"), PLATFORM_KEY),
                (format!("/v6/domains/{satellite}/config"), VERCEL_TOKEN),
                (
                    format!("/v9/projects/{p}/domains/{satellite}"),
                    VERCEL_TOKEN,
                ),
                (format!("/v10/projects/{p}/env"), VERCEL_TOKEN),
                (format!("/v9/projects/{p}"), VERCEL_TOKEN),
                ("/v10/projects".to_string(), VERCEL_TOKEN),
                (format!("/v6/deployments?projectId={p}"), VERCEL_TOKEN),
            ]);
        }
        for (path, key) in &reads {
            let r = get(&sb, path, key).send().await.unwrap();
            assert_eq!(r.status(), 200, "{name}: {path}");
        }
        let web = crate::layouts::browser(&sb);
        let mut frontend = vec![format!("https://{}/v1/environment", layout.frontend_api())];
        if let Some(url) = layout.proxy_url() {
            frontend = vec![format!("{url}/v1/environment")];
        }
        if layout.satellite_record() {
            frontend.push(format!(
                "https://{}/v1/environment",
                golive_sandbox::scenario::SATELLITE_FRONTEND_API
            ));
        }
        for url in frontend {
            web.get(&url).send().await.unwrap();
        }
        let refused = crate::layouts::proxied(
            &sb,
            "/v1/environment",
            &[
                ("clerk-proxy-url", "https://quillmate.test/__clerk"),
                ("clerk-secret-key", "sk_live_nope"),
            ],
        )
        .send()
        .await
        .unwrap();
        assert_eq!(refused.status(), 401);

        for r in sb.requests() {
            let spec = spec_for(&r.path).unwrap();
            spec.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
            spec.assert_response(&r.method, &r.path, r.status, r.response.as_ref().unwrap());
        }
        let f = fapi();
        let seen = sb.frontend_requests();
        assert!(seen
            .iter()
            .any(|r| r.host == SHARED_FRONTEND_API && r.status == 401));
        for r in &seen {
            f.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
            f.assert_response(&r.method, &r.path, r.status, r.response.as_ref().unwrap());
        }
    }
}

/// What Golive itself sends in each layout — `golive check` (with the rehearsal where it
/// signs in, through the proxy too) and the DMARC policy added at both DNS hosts — and what
/// the fakes answer, against the specs.
#[tokio::test(flavor = "multi_thread")]
async fn the_engines_layout_traffic_is_in_the_spec_both_ways() {
    use golive_sandbox::scenario::{
        APP_SUBDOMAIN, CLOUDFLARE_TOKEN, SATELLITE_DOMAIN, SATELLITE_PROJECT_ID,
    };
    let link = format!("{SATELLITE_DOMAIN}={SATELLITE_PROJECT_ID}");
    for (name, domain, rehearse) in [
        ("subdomain-app-root-clerk", APP_SUBDOMAIN, false),
        ("subdomain-app-own-clerk", APP_SUBDOMAIN, true),
        ("proxy-mode", DOMAIN, true),
        ("proxy-broken", DOMAIN, false),
        ("satellite", DOMAIN, false),
        ("satellite-missing-record", DOMAIN, false),
    ] {
        let sb = Sandbox::start(Scenario::named(name).unwrap())
            .await
            .unwrap();
        let mut vars = sb.env();
        vars.extend(sb.key_env());
        vars.extend(sb.platform_key_env());
        vars.push(("VERCEL_SATELLITE_PROJECTS".into(), link.clone()));
        let mut args = vec!["check", "--domain", domain, "--json"];
        if rehearse {
            args.push("--rehearse");
        }
        let out = common::golive(&args, &vars);
        assert!(out.status.code().unwrap() < 2, "{name}");
        assert!(!sb.frontend_requests().is_empty(), "{name}");
        assert_frontend_traffic(&sb);
        // The vendors' APIs; the OAuth providers' token endpoints and Supabase's Data API
        // have no spec here.
        for r in sb
            .requests()
            .iter()
            .filter(|r| !r.path.starts_with("/oauth/"))
        {
            let Some(spec) = spec_for(&r.path) else {
                continue;
            };
            spec.assert_request(&r.method, &r.path, r.query.as_deref(), r.body.as_ref());
            spec.assert_response(&r.method, &r.path, r.status, r.response.as_ref().unwrap());
        }
    }
    // The DMARC policy, written at Cloudflare and at Vercel DNS.
    use golive_core::secrets::SecretKind;
    for (scenario, cloudflare) in [("cloudflare-dns", true), ("vercel-dns", false)] {
        let sb = Sandbox::start(Scenario::named(scenario).unwrap())
            .await
            .unwrap();
        let t = common::project_for(&sb).with_live_keys().with_vercel();
        let (e, id) = (&t.engine, &t.project.id);
        if cloudflare {
            e.set_secret(id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
                .unwrap();
        }
        e.dns_auto_dmarc(id, "dmarc@quillmate.test").await.unwrap();
        let requests = sb.requests();
        assert!(
            requests
                .iter()
                .any(|r| r.method == "POST" && r.body.as_ref().is_some_and(|b| b["type"] == "TXT")),
            "{scenario}"
        );
        assert_traffic(&requests);
    }
}
