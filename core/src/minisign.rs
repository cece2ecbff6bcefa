//! Minisign public keys as Tauri's updater takes them: the base64 of a `.pub` file, whose
//! second line is the key in base64 (`Ed`, an 8-byte key id, the 32-byte Ed25519 key).
//! Golive reads a key only to refuse a malformed one early and to name it by its id; the
//! signature itself is checked by the updater.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    encoded: String,
    id: u64,
}

impl PublicKey {
    /// `None` unless `encoded` is a minisign public key file, base64-encoded as a whole.
    pub fn parse(encoded: &str) -> Option<PublicKey> {
        let encoded = encoded.trim();
        let file = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
        let mut lines = file.lines();
        if !lines.next()?.starts_with("untrusted comment:") {
            return None;
        }
        let key = STANDARD.decode(lines.next()?.trim()).ok()?;
        if key.len() != 42 || !key.starts_with(b"Ed") {
            return None;
        }
        Some(PublicKey {
            encoded: encoded.to_string(),
            id: u64::from_le_bytes(key[2..10].try_into().ok()?),
        })
    }

    /// The key id as minisign prints it (`minisign public key: 16 hex digits`).
    pub fn id(&self) -> String {
        format!("{:016X}", self.id)
    }

    /// The key as it was given, for the updater.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // `tauri signer generate` output (the public half only).
    const KEY: &str = "dW50cnVzdGVkIGNvbW1lbnQ6IG1pbmlzaWduIHB1YmxpYyBrZXk6IEExMkZFNzA4NDNDMjZDRjIKUldUeWJNSkRDT2N2b1VLNnlmTS92RE5vc1kvaTRvTy82S3ViTGQ2NWZtMUNpdmwrZnMwM3RycisK";

    #[test]
    fn a_key_is_named_by_the_id_minisign_prints() {
        let key = PublicKey::parse(&format!(" {KEY}\n")).unwrap();
        // The file's own comment says "minisign public key: A12FE70843C26CF2".
        assert_eq!(key.id(), "A12FE70843C26CF2");
        assert_eq!(key.encoded(), KEY);
    }

    #[test]
    fn anything_else_is_no_key() {
        use base64::engine::general_purpose::STANDARD;
        let file = String::from_utf8(STANDARD.decode(KEY).unwrap()).unwrap();
        let bare = file.lines().nth(1).unwrap().to_string();
        let signature = file.replace("RWTyb", "RUTyb");
        for bad in [
            "",
            "not base64!",
            // The key line alone, as people paste it from the .pub file.
            &bare,
            &STANDARD.encode(bare.as_bytes()),
            // A signature's algorithm, not a key's.
            &STANDARD.encode(signature.as_bytes()),
            &STANDARD.encode(b"untrusted comment: x\nRWQ="),
        ] {
            assert_eq!(PublicKey::parse(bad), None, "{bad}");
        }
    }
}
