//! The app's Clerk webhook route on the live site (`POST /api/webhooks/clerk`), verifying
//! each delivery as svix's libraries do: the `svix-id`, `svix-timestamp` and
//! `svix-signature` headers, a timestamp within five minutes, and a `v1,` signature that is
//! the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the key the `whsec_` secret
//! encodes — the secret the live deployment was built with. 400 for anything unsigned or
//! badly signed, 200 for a valid delivery; 404 in `webhook-missing`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;

use crate::scenario::{Shared, Webhooks};

pub const PATH: &str = "/api/webhooks/clerk";

/// How far a delivery's timestamp may be from now, as svix allows.
const TOLERANCE_SECS: i64 = 5 * 60;

pub async fn handle(State(w): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let (webhooks, secret) = {
        let w = w.lock().unwrap();
        (w.scenario.webhooks, w.live_webhook_secret())
    };
    if webhooks == Webhooks::Missing {
        return StatusCode::NOT_FOUND;
    }
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let signed = match (
        header("svix-id"),
        header("svix-timestamp"),
        header("svix-signature"),
    ) {
        (Some(id), Some(timestamp), Some(signatures)) => {
            verify(&secret, id, timestamp, signatures, &body, now())
        }
        _ => false,
    };
    if signed {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn key(secret: &str) -> Option<ring::hmac::Key> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_")?)
        .ok()?;
    Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &bytes))
}

fn signed_content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    [format!("{id}.{timestamp}.").as_bytes(), body].concat()
}

/// The `svix-signature` header a sender with `secret` puts on a delivery, for tests.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = key(secret).expect("a whsec_ secret");
    let tag = ring::hmac::sign(&key, &signed_content(id, &timestamp.to_string(), body));
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
    )
}

/// Whether one of the space-separated `v1,` signatures is the sender's, in time.
fn verify(
    secret: &str,
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
) -> bool {
    let (Some(key), Ok(at)) = (key(secret), timestamp.parse::<i64>()) else {
        return false;
    };
    if (now - at).abs() > TOLERANCE_SECS {
        return false;
    }
    let content = signed_content(id, timestamp, body);
    signatures.split(' ').any(|s| {
        s.strip_prefix("v1,")
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
            .is_some_and(|tag| ring::hmac::verify(&key, &content, &tag).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DEV_WEBHOOK_SECRET, LIVE_WEBHOOK_SECRET};

    #[test]
    fn only_the_secrets_own_timely_signature_verifies() {
        let (body, at) = (br#"{"type":"user.created"}"#, 1_800_000_000);
        let good = sign(LIVE_WEBHOOK_SECRET, "msg_1", at, body);
        let ok = |secret, sig: &str, body: &[u8], now| {
            verify(secret, "msg_1", &at.to_string(), sig, body, now)
        };
        assert!(ok(LIVE_WEBHOOK_SECRET, &good, body, at + 10));
        assert!(ok(
            LIVE_WEBHOOK_SECRET,
            &format!("v1,bm9wZQ== {good}"),
            body,
            at
        ));
        assert!(!ok(DEV_WEBHOOK_SECRET, &good, body, at), "another secret");
        assert!(!ok(LIVE_WEBHOOK_SECRET, &good, b"{}", at), "another body");
        assert!(!ok(LIVE_WEBHOOK_SECRET, &good, body, at + 301), "too late");
        assert!(!ok(LIVE_WEBHOOK_SECRET, "", body, at), "unsigned");
        assert!(!ok("", &good, body, at), "no secret in the build");
    }
}
