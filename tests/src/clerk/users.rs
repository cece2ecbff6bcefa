//! Fake Backend API for the sign-in rehearsal: users, sign-in tokens, session revocation and
//! testing tokens, keyed by secret key like the rest of the Backend API.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::accounts::{now_ms, SignInToken, User};
use super::{bearer, error, unauthorized};
use crate::scenario::{Shared, World};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/users", get(list).post(create))
        .route("/v1/users/{user_id}", get(read).delete(delete))
        .route("/v1/sign_in_tokens", post(sign_in_token))
        .route("/v1/sessions/{session_id}/revoke", post(revoke))
        .route("/v1/testing_tokens", post(testing_token))
}

/// The instance id of the request's secret key.
fn instance(world: &World, headers: &HeaderMap) -> Option<String> {
    bearer(headers)
        .and_then(|k| world.instance_for(k))
        .map(|i| i.id.to_string())
}

fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "resource_not_found",
        "Resource not found",
    )
}

/// Clerk's 422 for a form parameter, naming it in `meta`.
pub fn form_error(code: &str, message: &str, long_message: &str, param: &str) -> Value {
    json!({
        "errors": [{
            "code": code,
            "message": message,
            "long_message": long_message,
            "meta": {"param_name": param}
        }],
        "clerk_trace_id": "sandbox-trace"
    })
}

fn unprocessable(body: Value) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// A user as the Backend API answers it.
pub fn user_body(u: &User) -> Value {
    let emails: Vec<Value> = u
        .emails
        .iter()
        .enumerate()
        .map(|(n, e)| {
            json!({
                "id": email_id(u, n),
                "object": "email_address",
                "email_address": e,
                "reserved": false,
                "verification": {"object": "verification_admin", "status": "verified",
                                 "strategy": "admin", "attempts": null, "expire_at": null},
                "linked_to": [],
                "matches_sso_connection": false,
                "created_at": u.created_at,
                "updated_at": u.created_at
            })
        })
        .collect();
    json!({
        "id": u.id,
        "object": "user",
        "external_id": u.external_id,
        "primary_email_address_id": if u.emails.is_empty() { Value::Null } else { email_id(u, 0).into() },
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "username": null,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "image_url": "https://img.clerk.com/sandbox-default",
        "has_image": false,
        "public_metadata": u.public_metadata,
        "private_metadata": u.private_metadata,
        "unsafe_metadata": u.unsafe_metadata,
        "email_addresses": emails,
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "password_enabled": u.password_enabled,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "last_sign_in_at": u.last_sign_in_at,
        "banned": false,
        "locked": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": 100,
        "created_at": u.created_at,
        "updated_at": u.created_at,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "last_active_at": u.last_sign_in_at,
        "legal_accepted_at": null
    })
}

fn email_id(u: &User, n: usize) -> String {
    format!("idn_{}{n}", u.id.trim_start_matches("user_"))
}

pub fn sign_in_token_body(t: &SignInToken, frontend_api: &str) -> Value {
    json!({
        "object": "sign_in_token",
        "id": t.id,
        "user_id": t.user_id,
        "token": t.token,
        "status": t.status,
        "url": format!("https://{frontend_api}/v1/tickets/accept?ticket={}", t.token),
        "created_at": t.created_at,
        "updated_at": t.updated_at
    })
}

pub fn session_body(s: &super::accounts::Session) -> Value {
    json!({
        "object": "session",
        "id": s.id,
        "user_id": s.user_id,
        "client_id": s.client_id,
        "status": s.status,
        "last_active_at": s.updated_at,
        "last_active_organization_id": null,
        "actor": null,
        "expire_at": s.created_at + 7 * 24 * 3600 * 1000,
        "abandon_at": s.created_at + 30 * 24 * 3600 * 1000,
        "created_at": s.created_at,
        "updated_at": s.updated_at
    })
}

async fn list(
    State(w): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let world = w.lock().unwrap();
    let Some(instance) = instance(&world, &headers) else {
        return unauthorized();
    };
    let wanted = |name: &str| -> Vec<&str> {
        query
            .iter()
            .filter(|(k, _)| k == name || *k == format!("{name}[]"))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (external, emails, ids) = (
        wanted("external_id"),
        wanted("email_address"),
        wanted("user_id"),
    );
    let mut users: Vec<&User> = world
        .accounts
        .users
        .iter()
        .filter(|u| u.instance == instance)
        .filter(|u| {
            external.is_empty()
                || u.external_id
                    .as_deref()
                    .is_some_and(|e| external.contains(&e))
        })
        .filter(|u| emails.is_empty() || u.emails.iter().any(|e| emails.contains(&e.as_str())))
        .filter(|u| ids.is_empty() || ids.contains(&u.id.as_str()))
        .collect();
    users.sort_by_key(|u| std::cmp::Reverse(u.created_at));
    Json(Value::Array(users.into_iter().map(user_body).collect())).into_response()
}

async fn create(State(w): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance(&world, &headers) else {
        return unauthorized();
    };
    if world.scenario.refuses_users {
        // The instance's settings require a phone number the rehearsal cannot give.
        return unprocessable(form_error(
            "form_param_missing",
            "is missing",
            "phone_number must be included.",
            "phone_number",
        ));
    }
    let emails: Vec<String> = body["email_address"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect();
    if emails.is_empty() {
        return unprocessable(form_error(
            "form_param_missing",
            "is missing",
            "email_address must be included.",
            "email_address",
        ));
    }
    let taken = world
        .accounts
        .users
        .iter()
        .any(|u| u.instance == instance && u.emails.iter().any(|e| emails.contains(e)));
    if taken {
        return unprocessable(form_error(
            "form_identifier_exists",
            "That email address is taken. Please try another.",
            "That email address is taken. Please try another.",
            "email_address",
        ));
    }
    let password = body["password"].as_str();
    if password.is_some_and(|p| p.len() < 8) {
        return unprocessable(form_error(
            "form_password_length_too_short",
            "Passwords must be 8 characters or more.",
            "Passwords must be 8 characters or more.",
            "password",
        ));
    }
    let text = |k: &str| body[k].as_str().map(str::to_string);
    let object = |k: &str| match &body[k] {
        Value::Object(_) => body[k].clone(),
        _ => json!({}),
    };
    let user = User {
        id: world.accounts.id("user"),
        instance,
        external_id: text("external_id"),
        emails,
        first_name: text("first_name"),
        last_name: text("last_name"),
        public_metadata: object("public_metadata"),
        private_metadata: object("private_metadata"),
        unsafe_metadata: object("unsafe_metadata"),
        password_enabled: password.is_some(),
        created_at: now_ms(),
        last_sign_in_at: None,
    };
    if let Some(p) = password {
        world.issued_secrets.push(p.to_string());
    }
    let answer = user_body(&user);
    world.accounts.users.push(user);
    Json(answer).into_response()
}

async fn read(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Response {
    let world = w.lock().unwrap();
    let Some(instance) = instance(&world, &headers) else {
        return unauthorized();
    };
    match world.accounts.user(&instance, &user_id) {
        Some(u) => Json(user_body(u)).into_response(),
        None => not_found(),
    }
}

async fn delete(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance(&world, &headers) else {
        return unauthorized();
    };
    if world.accounts.delete_user(&instance, &user_id) {
        Json(json!({"object": "user", "id": user_id, "deleted": true})).into_response()
    } else {
        not_found()
    }
}

async fn sign_in_token(
    State(w): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance(&world, &headers) else {
        return unauthorized();
    };
    let user_id = body["user_id"].as_str().unwrap_or_default().to_string();
    if world.accounts.user(&instance, &user_id).is_none() {
        return not_found();
    }
    let seconds = body["expires_in_seconds"].as_u64().unwrap_or(2_592_000);
    let now = now_ms();
    let token = SignInToken {
        id: world.accounts.id("sit"),
        user_id,
        token: super::keys::sign(
            &instance,
            &json!({"iid": instance, "exp": now / 1000 + seconds, "st": "sign_in_token"}),
        ),
        instance,
        status: "pending",
        created_at: now,
        updated_at: now,
        expires_at: now + seconds * 1000,
    };
    world.issued_secrets.push(token.token.clone());
    let frontend_api = super::accounts::issuer(&token.instance, world.scenario.layout);
    let answer = sign_in_token_body(&token, frontend_api.trim_start_matches("https://"));
    world.accounts.sign_in_tokens.push(token);
    Json(answer).into_response()
}

async fn revoke(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(session_id): Path<String>,
) -> Response {
    let mut world = w.lock().unwrap();
    let Some(instance) = instance(&world, &headers) else {
        return unauthorized();
    };
    let Some(s) = world
        .accounts
        .sessions
        .iter_mut()
        .find(|s| s.id == session_id && s.instance == instance)
    else {
        return not_found();
    };
    if s.status == "active" {
        s.status = "revoked";
        s.updated_at = now_ms();
    }
    Json(session_body(s)).into_response()
}

async fn testing_token(State(w): State<Shared>, headers: HeaderMap) -> Response {
    let mut world = w.lock().unwrap();
    if instance(&world, &headers).is_none() {
        return unauthorized();
    }
    let now = now_ms() / 1000;
    let token = format!("{now}-{}", super::keys::random(24));
    world.accounts.testing_tokens.push(token.clone());
    world.issued_secrets.push(token.clone());
    Json(json!({"object": "testing_token", "token": token, "expires_at": now + 3600}))
        .into_response()
}
