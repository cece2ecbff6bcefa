//! Reading and verifying Clerk's session tokens (RS256 JWTs) against an instance's JWKS.
//! Only what the launch proof needs: the token is held in memory, its claims are shown,
//! never the token itself.

use base64::Engine;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::vendors::clerk::backend::Jwk;

/// A token split into what can be shown (header, claims) and what proves it (signature).
#[derive(Debug, Clone)]
pub struct Jwt {
    pub kid: Option<String>,
    pub alg: String,
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts with JSON in the first two.
    Malformed(String),
    /// No key of the JWKS has the token's `kid`: another instance signed it.
    UnknownKey(String),
    BadSignature,
    Expired {
        exp: i64,
        now: i64,
    },
}

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtError::Malformed(e) => write!(f, "it is not a JWT ({e})"),
            JwtError::UnknownKey(kid) => write!(
                f,
                "it is signed with key {kid}, which is not in the production instance's JWKS"
            ),
            JwtError::BadSignature => write!(f, "its signature does not verify"),
            JwtError::Expired { exp, now } => {
                write!(f, "it expired {} s ago", now.saturating_sub(*exp))
            }
        }
    }
}

fn b64(part: &str) -> Result<Vec<u8>, JwtError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| JwtError::Malformed(e.to_string()))
}

impl Jwt {
    pub fn decode(token: &str) -> Result<Jwt, JwtError> {
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed(
                "it needs three dot-separated parts".into(),
            ));
        };
        let header: Header = serde_json::from_slice(&b64(h)?)
            .map_err(|e| JwtError::Malformed(format!("header: {e}")))?;
        let claims: Map<String, Value> = serde_json::from_slice(&b64(c)?)
            .map_err(|e| JwtError::Malformed(format!("claims: {e}")))?;
        Ok(Jwt {
            kid: header.kid,
            alg: header.alg,
            claims,
            signing_input: format!("{h}.{c}"),
            signature: b64(s)?,
        })
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn claim_i64(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }

    /// RS256 with the key of the token's `kid`, and not expired at `now` (Unix seconds).
    pub fn verify(&self, keys: &[Jwk], now: i64) -> Result<(), JwtError> {
        let kid = self.kid.clone().unwrap_or_default();
        let key = keys
            .iter()
            .find(|k| k.kid.as_deref() == Some(kid.as_str()))
            .ok_or_else(|| JwtError::UnknownKey(kid.clone()))?;
        if self.alg != "RS256" {
            return Err(JwtError::Malformed(format!(
                "algorithm {} where Clerk signs with RS256",
                self.alg
            )));
        }
        let (Some(n), Some(e)) = (key.n.as_deref(), key.e.as_deref()) else {
            return Err(JwtError::UnknownKey(kid));
        };
        ring::signature::RsaPublicKeyComponents {
            n: b64(n)?,
            e: b64(e)?,
        }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            self.signing_input.as_bytes(),
            &self.signature,
        )
        .map_err(|_| JwtError::BadSignature)?;
        match self.claim_i64("exp") {
            Some(exp) if exp >= now => Ok(()),
            Some(exp) => Err(JwtError::Expired { exp, now }),
            None => Err(JwtError::Malformed("no exp claim".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_SHA256};

    /// A 2048-bit RSA key (PKCS#1 DER) made for these tests with openssl; it signs nothing else.
    const TEST_KEY: &[u8] = include_bytes!("../tests/fixtures/jwt-test-key.der");

    fn enc(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn sign(claims: Value, kid: &str) -> (String, Jwk) {
        let pair = RsaKeyPair::from_der(TEST_KEY).unwrap();
        let input = format!(
            "{}.{}",
            enc(
                &serde_json::to_vec(&serde_json::json!({"alg":"RS256","kid":kid,"typ":"JWT"}))
                    .unwrap()
            ),
            enc(&serde_json::to_vec(&claims).unwrap())
        );
        let mut sig = vec![0; pair.public().modulus_len()];
        pair.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut sig,
        )
        .unwrap();
        let public: RsaPublicKeyComponents<Vec<u8>> = pair.public().into();
        let jwk = Jwk {
            kid: Some(kid.into()),
            n: Some(enc(&public.n)),
            e: Some(enc(&public.e)),
        };
        (format!("{input}.{}", enc(&sig)), jwk)
    }

    #[test]
    fn a_token_verifies_with_its_key_and_not_otherwise() {
        let now = 1_800_000_000;
        let (token, jwk) = sign(
            serde_json::json!({"iss":"https://clerk.a.test","exp":now+60}),
            "ins_1",
        );
        let jwt = Jwt::decode(&token).unwrap();
        assert_eq!(jwt.claim_str("iss"), Some("https://clerk.a.test"));
        assert_eq!(jwt.verify(std::slice::from_ref(&jwk), now), Ok(()));
        // Another instance's JWKS has another kid.
        let other = Jwk {
            kid: Some("ins_2".into()),
            ..jwk.clone()
        };
        assert_eq!(
            jwt.verify(&[other], now),
            Err(JwtError::UnknownKey("ins_1".into()))
        );
        // Expired.
        assert!(matches!(
            jwt.verify(std::slice::from_ref(&jwk), now + 61),
            Err(JwtError::Expired { .. })
        ));
        // A claim changed after signing.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = enc(br#"{"iss":"https://clerk.b.test","exp":1900000000}"#);
        parts[1] = &forged;
        let jwt = Jwt::decode(&parts.join(".")).unwrap();
        assert_eq!(jwt.verify(&[jwk], now), Err(JwtError::BadSignature));
    }

    #[test]
    fn non_tokens_are_malformed() {
        for t in ["", "a.b", "a.b.c.d", "!!.e30.x", "e30.e30"] {
            assert!(matches!(Jwt::decode(t), Err(JwtError::Malformed(_))), "{t}");
        }
    }
}
