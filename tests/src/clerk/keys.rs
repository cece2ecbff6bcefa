//! Each instance's signing key, so the sandbox's session tokens are real RS256 JWTs that
//! verify against the JWKS the fakes serve.
//!
//! The keys are TEST-ONLY fixtures (tests/fixtures/keys/test-only-*.pem), generated for the
//! sandbox and never used anywhere else. They are committed rather than generated per run:
//! `ring` (already the sandbox's crypto) signs and verifies RSA but cannot generate RSA keys,
//! and generating 2048-bit keys with another crate would cost seconds per sandbox in a debug
//! build and make every run's tokens differ.

use std::collections::HashMap;
use std::sync::OnceLock;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{json, Value};

use crate::scenario::{DEV_INSTANCE_ID, INSTANCE_ID, OTHER_INSTANCE_ID};

fn pem(instance_id: &str) -> Option<&'static str> {
    Some(match instance_id {
        INSTANCE_ID => include_str!("../../fixtures/keys/test-only-quillmate-live.pem"),
        OTHER_INSTANCE_ID => include_str!("../../fixtures/keys/test-only-otherapp-live.pem"),
        DEV_INSTANCE_ID => include_str!("../../fixtures/keys/test-only-quillmate-dev.pem"),
        _ => return None,
    })
}

fn pairs() -> &'static HashMap<&'static str, RsaKeyPair> {
    static PAIRS: OnceLock<HashMap<&'static str, RsaKeyPair>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        [INSTANCE_ID, OTHER_INSTANCE_ID, DEV_INSTANCE_ID]
            .into_iter()
            .map(|id| {
                let body: String = pem(id)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect();
                let der = STANDARD.decode(body).expect("a PEM test key");
                (id, RsaKeyPair::from_pkcs8(&der).expect("a PKCS#8 RSA key"))
            })
            .collect()
    })
}

fn public(instance_id: &str) -> Option<RsaPublicKeyComponents<Vec<u8>>> {
    pairs().get(instance_id).map(|p| p.public().into())
}

/// The instance's public key as Clerk's JWKS lists it (the `kid` is the instance id).
pub fn jwk(instance_id: &str) -> Value {
    let key = public(instance_id).expect("an instance the sandbox has a key for");
    json!({
        "use": "sig",
        "kty": "RSA",
        "kid": instance_id,
        "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(&key.n),
        "e": URL_SAFE_NO_PAD.encode(&key.e)
    })
}

/// A JWT over `claims`, signed RS256 with the instance's key, its id as `kid`.
pub fn sign(instance_id: &str, claims: &Value) -> String {
    let pair = &pairs()[instance_id];
    let header = json!({"alg": "RS256", "kid": instance_id, "typ": "JWT"});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .expect("RSA signing");
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A JWT's header and claims, unverified.
pub fn decode(token: &str) -> Option<(Value, Value)> {
    let mut parts = token.split('.');
    let (h, c, _s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let part = |p: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
    };
    Some((part(h)?, part(c)?))
}

/// Why a token did not verify against an instance's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// Not three base64url JSON parts.
    Malformed,
    /// Its `kid` is not the instance's key.
    KidMismatch,
    /// Not RS256, or the signature does not verify.
    BadSignature,
}

/// The claims of `token` if it is signed by one of `instance_ids`' keys (chosen by `kid`).
pub fn verify(token: &str, instance_ids: &[&str]) -> Result<Value, Rejected> {
    let (header, claims) = decode(token).ok_or(Rejected::Malformed)?;
    let kid = header["kid"].as_str().unwrap_or_default();
    let key = instance_ids
        .iter()
        .find(|id| **id == kid)
        .and_then(|id| public(id))
        .ok_or(Rejected::KidMismatch)?;
    if header["alg"] != "RS256" {
        return Err(Rejected::BadSignature);
    }
    let (input, signature) = token.rsplit_once('.').ok_or(Rejected::Malformed)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| Rejected::Malformed)?;
    key.verify(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        input.as_bytes(),
        &signature,
    )
    .map_err(|_| Rejected::BadSignature)?;
    Ok(claims)
}

/// A random token of `bytes` random bytes, base64url: ids, cookies, tickets.
pub fn random(bytes: usize) -> String {
    let mut buf = vec![0; bytes];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut buf).unwrap();
    URL_SAFE_NO_PAD.encode(buf)
}
