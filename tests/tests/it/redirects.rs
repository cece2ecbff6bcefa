//! A vendor API that redirects must not take the user's token along: every vendor address
//! points at a server that answers 307/302 to another host, which records whatever reaches it.

use crate::common;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use golive_core::config::Endpoints;
use golive_core::provider::ProviderId;
use golive_core::secrets::SecretKind;
use golive_sandbox::scenario::*;

type Seen = Arc<Mutex<Vec<String>>>;

/// Records each request's method, path and Authorization header.
async fn listen(router: Router<Seen>) -> (String, Seen) {
    let seen = Seen::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = router.with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("{port}"), seen)
}

fn note(seen: &Seen, req: &Request) {
    let auth = req
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap_or("?").to_string())
        .unwrap_or_default();
    seen.lock()
        .unwrap()
        .push(format!("{} {} {auth}", req.method(), req.uri().path()));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_follows_a_redirect_to_another_host() {
    let (elsewhere_port, elsewhere) = listen(Router::new().fallback(
        |State(s): State<Seen>, req: Request| async move {
            note(&s, &req);
            "{}"
        },
    ))
    .await;
    let (vendor_port, vendor) = listen(Router::new().fallback(
        move |State(s): State<Seen>, req: Request| async move {
            note(&s, &req);
            // Writes get 307 (method and body kept), reads 302.
            let status = if req.method() == "GET" {
                StatusCode::FOUND
            } else {
                StatusCode::TEMPORARY_REDIRECT
            };
            let to = format!("http://localhost:{elsewhere_port}{}", req.uri());
            (status, [("location", to)]).into_response()
        },
    ))
    .await;

    let api = format!("http://127.0.0.1:{vendor_port}");
    let vars = [
        "GOLIVE_CLERK_API_URL",
        "GOLIVE_VERCEL_API_URL",
        "GOLIVE_CLOUDFLARE_API_URL",
        "GOLIVE_SUPABASE_API_URL",
    ]
    .into_iter()
    .map(|k| (k.to_string(), api.clone()))
    .chain([(
        "GOLIVE_OAUTH_GOOGLE_TOKEN_URL".to_string(),
        format!("{api}/oauth/google/token"),
    )]);
    let t = common::project_with(Endpoints::from_vars(vars).unwrap());
    let (e, id) = (&t.engine, t.project.id.as_str());
    e.set_secret(id, SecretKind::ClerkPlatformKey, PLATFORM_KEY)
        .unwrap();
    e.set_secret(id, SecretKind::VercelToken, VERCEL_TOKEN)
        .unwrap();
    e.set_secret(id, SecretKind::SupabaseToken, SUPABASE_TOKEN)
        .unwrap();
    e.set_supabase_project(id, SUPABASE_REF).unwrap();
    e.set_secret(id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
        .unwrap();
    let google = golive_sandbox::oauth::client("google");
    e.sso_save(id, common::google_form(google.secret)).unwrap();

    let errors = [
        e.clerk_applications(id).await.map(drop),
        e.vercel_projects(id, None, "", None).await.map(drop),
        e.supabase_add_issuer(id).await.map(drop),
        e.dns_auto_plan(id).await.map(drop),
        e.sso_probe(id, ProviderId::Google).await.map(drop),
    ];
    for result in errors {
        let err = result.unwrap_err();
        assert_eq!(err.code(), "redirect_refused", "{err}");
        assert!(err
            .to_string()
            .contains("redirected the request to localhost"));
    }

    let asked = vendor.lock().unwrap().clone();
    assert!(
        asked.iter().any(|r| r.contains(VERCEL_TOKEN))
            && asked.iter().any(|r| r.contains(PLATFORM_KEY))
            && asked.iter().any(|r| r.contains("/oauth/google/token")),
        "the vendor itself got the requests: {asked:?}"
    );
    assert_eq!(
        elsewhere.lock().unwrap().clone(),
        Vec::<String>::new(),
        "nothing reached the other host"
    );
}
