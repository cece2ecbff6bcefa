//! Fake Frontend API client endpoints: signing in with a ticket (a new client, its `__client`
//! cookie, Clerk's `{response, client}` envelope), minting session tokens for the client's
//! sessions, and the handshake Clerk's middleware redirects browsers through.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Value};

use super::accounts::{now_ms, Client, Session};
use super::users::form_error;
use super::{cookie, error, keys};
use crate::scenario::{Layout, Shared, World, DEV_FRONTEND_API, DEV_INSTANCE_ID, INSTANCE_ID};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/client/sign_ins", post(sign_in))
        .route("/v1/client/sessions/{session_id}/tokens", post(token))
        .route("/v1/client/handshake", get(handshake))
}

/// The Frontend API's client cookie, on the Frontend API's own host.
pub const CLIENT_COOKIE: &str = "__client";
/// What bot protection answers (Clerk's WAF): the code and message as seen in public reports;
/// the status is not documented, 403 is the spec's refusal for a sign-in.
pub const BOT_DETECTED: &str = "bot_detected";
/// The query parameter a testing token rides in on every Frontend API request.
pub const TESTING_TOKEN_PARAM: &str = "__clerk_testing_token";

/// The instance a Frontend API host serves, if it serves one now.
fn instance_of(world: &World, headers: &HeaderMap) -> Option<&'static str> {
    let host = super::frontend::host(headers);
    if host == DEV_FRONTEND_API {
        Some(DEV_INSTANCE_ID)
    } else if world.production && world.scenario.layout.serves_frontend_api(&host) {
        Some(INSTANCE_ID)
    } else {
        None
    }
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "resource_not_found", "Not found.")
}

fn signed_out() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "Unable to authenticate the request, you need to sign in again.",
    )
}

/// Whether `origin` is one the production instance accepts: its domain and subdomains, and
/// its satellite's.
fn origin_allowed(instance: &str, layout: Layout, origin: &str) -> bool {
    let host = origin.strip_prefix("https://").unwrap_or_default();
    let under = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    instance == DEV_INSTANCE_ID
        || under(layout.clerk_domain())
        || layout.satellite().is_some_and(under)
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub fn sign_in_body(id: &str, session_id: &str, now: u64) -> Value {
    json!({
        "object": "sign_in_attempt",
        "id": id,
        "status": "complete",
        "supported_identifiers": ["email_address"],
        "supported_first_factors": [],
        "supported_second_factors": null,
        "first_factor_verification": {
            "object": "verification_ticket", "status": "verified", "strategy": "ticket",
            "attempts": null, "expire_at": null
        },
        "second_factor_verification": null,
        "identifier": null,
        "user_data": null,
        "created_session_id": session_id,
        "abandon_at": now + 24 * 3600 * 1000
    })
}

/// A client with its sessions, each with its last token (piggybacked on every answer).
pub fn client_body(world: &World, c: &Client, tokens: &[(String, String)]) -> Value {
    let sessions: Vec<Value> = c
        .session_ids
        .iter()
        .filter_map(|id| world.accounts.session(id))
        .filter(|s| s.status == "active")
        .map(|s| session_body(world, s, tokens))
        .collect();
    json!({
        "object": "client",
        "id": c.id,
        "sessions": sessions,
        "sign_in": null,
        "sign_up": null,
        "last_active_session_id": c.last_active_session_id,
        "last_authentication_strategy": "ticket",
        "captcha_bypass": false,
        "cookie_expires_at": c.created_at + 365 * 24 * 3600 * 1000,
        "created_at": c.created_at,
        "updated_at": c.updated_at
    })
}

fn session_body(world: &World, s: &Session, tokens: &[(String, String)]) -> Value {
    let user = world.accounts.user(&s.instance, &s.user_id);
    let email = user
        .and_then(|u| u.emails.first().cloned())
        .unwrap_or_default();
    let jwt = tokens.iter().find(|(id, _)| *id == s.id).map(|(_, t)| t);
    json!({
        "object": "session",
        "id": s.id,
        "status": s.status,
        "expire_at": s.created_at + 7 * 24 * 3600 * 1000,
        "abandon_at": s.created_at + 30 * 24 * 3600 * 1000,
        "last_active_at": s.updated_at,
        "last_active_token": jwt.map(|t| json!({"object": "token", "jwt": t})),
        "last_active_organization_id": null,
        "actor": null,
        "factor_verification_age": [0, -1],
        "public_user_data": {
            "first_name": user.and_then(|u| u.first_name.clone()),
            "last_name": user.and_then(|u| u.last_name.clone()),
            "image_url": null,
            "has_image": false,
            "identifier": email,
            "user_id": s.user_id
        },
        "user": user.map(super::users::user_body),
        "created_at": s.created_at,
        "updated_at": s.updated_at
    })
}

fn client_cookie(value: &str) -> String {
    format!("{CLIENT_COOKIE}={value}; Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax")
}

async fn sign_in(
    State(w): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance_of(&world, &headers) else {
        return not_found();
    };
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let layout = world.scenario.layout;
    if origin
        .as_deref()
        .is_some_and(|o| !origin_allowed(instance, layout, o))
    {
        return error(
            StatusCode::BAD_REQUEST,
            "origin_invalid",
            &format!(
                "Production Keys are only allowed for domain \"{}\".",
                layout.clerk_domain()
            ),
        );
    }
    if world.scenario.bot_protection {
        let token = field(&query, TESTING_TOKEN_PARAM);
        if !token.is_some_and(|t| world.accounts.testing_tokens.iter().any(|k| k == t)) {
            return error(
                StatusCode::FORBIDDEN,
                BOT_DETECTED,
                "Bot traffic was detected. Please try again or contact support.",
            );
        }
    }
    if field(&form, "strategy") != Some("ticket") {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(form_error(
                "form_param_value_invalid",
                "is invalid",
                "The sandbox's Frontend API signs in with strategy=ticket only.",
                "strategy",
            )),
        )
            .into_response();
    }
    let ticket = field(&form, "ticket").unwrap_or_default();
    let now = now_ms();
    let Some(t) = world.accounts.sign_in_tokens.iter_mut().find(|t| {
        t.instance == instance && t.token == ticket && t.status == "pending" && t.expires_at > now
    }) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(form_error(
                "form_param_value_invalid",
                "is invalid",
                "The sign-in ticket is invalid, expired or already used.",
                "ticket",
            )),
        )
            .into_response();
    };
    t.status = "accepted";
    t.updated_at = now;
    let user_id = t.user_id.clone();
    if let Some(u) = world
        .accounts
        .users
        .iter_mut()
        .find(|u| u.id == user_id && u.instance == instance)
    {
        u.last_sign_in_at = Some(now);
    }

    let known = cookie(&headers, CLIENT_COOKIE)
        .and_then(|c| world.accounts.client_by_cookie(instance, &c))
        .map(|c| c.id.clone());
    let client_id = match known {
        Some(id) => id,
        None => {
            let id = world.accounts.id("client");
            let value = keys::sign(
                instance,
                &json!({"id": id, "rotating_token": keys::random(24)}),
            );
            world.issued_secrets.push(value.clone());
            world.accounts.clients.push(Client {
                id: id.clone(),
                instance: instance.into(),
                cookie: value,
                session_ids: vec![],
                last_active_session_id: None,
                created_at: now,
                updated_at: now,
            });
            id
        }
    };
    let session_id = world.accounts.id("sess");
    world.accounts.sessions.push(Session {
        id: session_id.clone(),
        instance: instance.into(),
        user_id,
        client_id: client_id.clone(),
        status: "active",
        created_at: now,
        updated_at: now,
        origin,
    });
    let client = world
        .accounts
        .clients
        .iter_mut()
        .find(|c| c.id == client_id)
        .unwrap();
    client.session_ids.push(session_id.clone());
    client.last_active_session_id = Some(session_id.clone());
    client.updated_at = now;
    let client = client.clone();

    let role = world.scenario.role_claim;
    let jwt = world.accounts.session_token(&session_id, role).unwrap();
    world.issued_secrets.push(jwt.clone());
    let sign_in_id = world.accounts.id("sia");
    let body = json!({
        "response": sign_in_body(&sign_in_id, &session_id, now),
        "client": client_body(&world, &client, &[(session_id, jwt)])
    });
    (
        [(header::SET_COOKIE, client_cookie(&client.cookie))],
        Json(body),
    )
        .into_response()
}

async fn token(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(session_id): Path<String>,
) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance_of(&world, &headers) else {
        return not_found();
    };
    let Some(client) = cookie(&headers, CLIENT_COOKIE)
        .and_then(|c| world.accounts.client_by_cookie(instance, &c).cloned())
    else {
        return signed_out();
    };
    if !client.session_ids.contains(&session_id) {
        return not_found();
    }
    let role = world.scenario.role_claim;
    let Some(jwt) = world.accounts.session_token(&session_id, role) else {
        return signed_out();
    };
    world.issued_secrets.push(jwt.clone());
    Json(json!({"object": "token", "jwt": jwt})).into_response()
}

/// The `Set-Cookie` directives a handshake hands the app: a fresh session token and
/// `__client_uat` for a signed-in client, cleared ones otherwise, and the handshake cookie
/// itself cleared. Production's go on Clerk's domain, which covers the app's.
fn directives(session: Option<(&str, u64)>, production: Option<&str>) -> Vec<String> {
    let domain = if let Some(d) = production {
        format!("; Domain={d}")
    } else {
        String::new()
    };
    let (session, uat) = match session {
        Some((jwt, uat)) => (
            format!("__session={jwt}; Path=/; Max-Age=60; Secure; SameSite=Lax"),
            uat.to_string(),
        ),
        None => (
            "__session=; Path=/; Max-Age=0; Secure; SameSite=Lax".to_string(),
            "0".to_string(),
        ),
    };
    vec![
        session,
        format!("__client_uat={uat}; Path=/{domain}; Max-Age=31536000; Secure; SameSite=Strict"),
        format!("__clerk_handshake=; Path=/{domain}; Max-Age=0; Secure; HttpOnly; SameSite=None"),
    ]
}

async fn handshake(
    State(w): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance_of(&world, &headers) else {
        return not_found();
    };
    let redirect = field(&query, "redirect_url")
        .unwrap_or_default()
        .to_string();
    if !redirect.starts_with("https://") {
        return (
            StatusCode::BAD_REQUEST,
            Json(form_error(
                "form_param_value_invalid",
                "is invalid",
                "redirect_url must be an absolute https URL.",
                "redirect_url",
            )),
        )
            .into_response();
    }
    let production = instance == INSTANCE_ID;
    // A production browser brings its `__client` cookie; the sandbox does not model a
    // development browser's client, so development handshakes always answer signed out.
    let session = cookie(&headers, CLIENT_COOKIE)
        .filter(|_| production)
        .and_then(|c| world.accounts.client_by_cookie(instance, &c).cloned())
        .and_then(|c| Some((c.last_active_session_id?, c.updated_at)));
    let role = world.scenario.role_claim;
    let minted = session.and_then(|(sid, updated)| {
        let jwt = world.accounts.session_token(&sid, role)?;
        Some((jwt, updated / 1000))
    });
    let mut secrets = vec![];
    if let Some((jwt, _)) = &minted {
        secrets.push(jwt.clone());
    }
    let cookie_domain = world.scenario.layout.clerk_domain();
    let mut directives = directives(
        minted.as_ref().map(|(j, u)| (j.as_str(), *u)),
        production.then_some(cookie_domain),
    );
    if !production {
        let db = keys::sign(instance, &json!({"dev": keys::random(12)}));
        directives.push(format!(
            "__clerk_db_jwt={db}; Path=/; Max-Age=31536000; Secure; SameSite=Lax"
        ));
        secrets.push(db);
    }
    let token = keys::sign(instance, &json!({"handshake": directives}));
    secrets.push(token.clone());
    world.issued_secrets.extend(secrets);
    if production {
        // Production hands the payload over as a cookie on the app's registrable domain.
        (
            StatusCode::TEMPORARY_REDIRECT,
            [
                (header::LOCATION, redirect),
                (
                    header::SET_COOKIE,
                    format!(
                        "__clerk_handshake={token}; Path=/; Domain={cookie_domain}; \
                         Max-Age=60; Secure; HttpOnly; SameSite=None"
                    ),
                ),
            ],
        )
            .into_response()
    } else {
        // Development hands it over in the URL.
        let sep = if redirect.contains('?') { '&' } else { '?' };
        (
            StatusCode::TEMPORARY_REDIRECT,
            [(
                header::LOCATION,
                format!("{redirect}{sep}__clerk_handshake={token}"),
            )],
        )
            .into_response()
    }
}
