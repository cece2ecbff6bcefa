//! Fake Supabase Data API (`https://<ref>.supabase.co/rest/v1/`, PostgREST behind Supabase's
//! gateway): the gateway wants the project's key in `apikey`; PostgREST verifies the bearer
//! JWT with the project's keys plus the JWKS of every third-party auth issuer the project
//! trusts, and answers its own error shape (`{code, details, hint, message}`) when it cannot.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::clerk::accounts::now_ms;
use crate::clerk::{bearer, keys};
use crate::scenario::{Shared, World, DEV_INSTANCE_ID, INSTANCE_ID, OTHER_INSTANCE_ID};
use crate::scenario::{SUPABASE_ANON_KEY, SUPABASE_REF};

/// The one table the sandbox project exposes (row-level security hides every row).
pub const TABLE: &str = "documents";

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/rest/v1/", get(root))
        .route("/rest/v1/{table}", get(table))
}

/// The gateway's answer when the API key is missing or wrong.
fn gateway(message: &str, hint: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"message": message, "hint": hint})),
    )
        .into_response()
}

/// PostgREST's error body.
pub fn postgrest_error(
    status: StatusCode,
    code: &str,
    message: &str,
    details: Option<&str>,
) -> Response {
    let mut response = (
        status,
        Json(json!({"code": code, "details": details, "hint": null, "message": message})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        // PostgREST names the JWT problem in the challenge too.
        let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{message}\"");
        if let Ok(v) = challenge.parse() {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
    }
    response
}

/// The Clerk instances whose keys the project's third-party auth list makes trusted.
fn trusted_instances(world: &World) -> Vec<&'static str> {
    world
        .supabase
        .iter()
        .filter_map(|i| i["oidc_issuer_url"].as_str())
        .filter_map(|issuer| {
            [INSTANCE_ID, OTHER_INSTANCE_ID, DEV_INSTANCE_ID]
                .into_iter()
                .find(|id| {
                    crate::clerk::accounts::issuer(id, world.scenario.layout)
                        == issuer.trim_end_matches('/')
                })
        })
        .collect()
}

/// The request's role, or the error PostgREST answers.
/// (The error is boxed: a `Response` is large.)
fn authenticate(world: &World, headers: &HeaderMap) -> Result<String, Box<Response>> {
    let apikey = headers.get("apikey").and_then(|v| v.to_str().ok());
    match apikey {
        None => {
            return Err(Box::new(gateway(
                "No API key found in request",
                "No `apikey` request header or url param was found.",
            )))
        }
        Some(k) if k != SUPABASE_ANON_KEY => {
            return Err(Box::new(gateway(
                "Invalid API key",
                "Double check your Supabase `anon` or `service_role` API key.",
            )))
        }
        Some(_) => {}
    }
    let token = bearer(headers).unwrap_or(SUPABASE_ANON_KEY);
    if token == SUPABASE_ANON_KEY {
        return Ok("anon".into());
    }
    let parts = token.split('.').count();
    if parts != 3 {
        return Err(Box::new(postgrest_error(
            StatusCode::UNAUTHORIZED,
            "PGRST301",
            &format!("Expected 3 parts in JWT; got {parts}"),
            None,
        )));
    }
    let claims = keys::verify(token, &trusted_instances(world)).map_err(|e| {
        Box::new(match e {
            keys::Rejected::Malformed => postgrest_error(
                StatusCode::UNAUTHORIZED,
                "PGRST301",
                "JWT couldn't be decoded",
                None,
            ),
            keys::Rejected::KidMismatch => postgrest_error(
                StatusCode::UNAUTHORIZED,
                "PGRST301",
                "No suitable key or wrong key type",
                Some("No suitable key was found to decode the JWT"),
            ),
            keys::Rejected::BadSignature => postgrest_error(
                StatusCode::UNAUTHORIZED,
                "PGRST301",
                "JWT cryptographic operation failed",
                None,
            ),
        })
    })?;
    let now = now_ms() / 1000;
    if claims["exp"].as_u64().is_some_and(|exp| exp <= now) {
        return Err(Box::new(postgrest_error(
            StatusCode::UNAUTHORIZED,
            "PGRST303",
            "JWT expired",
            None,
        )));
    }
    // Without a `role` claim PostgREST runs the request as the anonymous role.
    Ok(claims["role"].as_str().unwrap_or("anon").to_string())
}

/// The OpenAPI description PostgREST serves at the root, cut to the one table.
pub fn root_body() -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "standard public schema", "description": "", "version": "13.0.5"},
        "host": format!("{SUPABASE_REF}.supabase.co:443"),
        "basePath": "/",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": {
            "/": {"get": {"produces": ["application/openapi+json", "application/json"],
                          "responses": {"200": {"description": "OK"}}, "summary": "OpenAPI description (this document)", "tags": ["Introspection"]}},
            format!("/{TABLE}"): {"get": {"responses": {"200": {"description": "OK"}}, "tags": [TABLE]}}
        },
        "definitions": {}
    })
}

async fn root(State(w): State<Shared>, headers: HeaderMap) -> Response {
    match authenticate(&w.lock().unwrap(), &headers) {
        Ok(_) => Json(root_body()).into_response(),
        Err(r) => *r,
    }
}

async fn table(State(w): State<Shared>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    if let Err(r) = authenticate(&w.lock().unwrap(), &headers) {
        return *r;
    }
    if name != TABLE {
        return postgrest_error(
            StatusCode::NOT_FOUND,
            "PGRST205",
            &format!("Could not find the table 'public.{name}' in the schema cache"),
            None,
        );
    }
    Json(json!([])).into_response()
}
