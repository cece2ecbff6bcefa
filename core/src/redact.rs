//! Takes secrets out of text that leaves the engine. A vendor may quote what it was sent —
//! the token it refused, a request body holding a key — and its words end up in errors,
//! notes and check results. Each secret is looked for as sent, JSON-escaped and
//! form-encoded, and a multi-line secret (Apple's .p8 key) line by line.

use crate::error::Error;
use crate::secrets::Secret;

/// Shorter values (an empty field, a flag) are not secrets and would blank ordinary words.
const MIN_LEN: usize = 8;

const MARK: &str = "[redacted]";

#[derive(Debug, Default, Clone)]
pub struct Redactor {
    /// Every form each secret may come back in, longest first so no fragment survives.
    needles: Vec<String>,
}

impl Redactor {
    pub fn new<'s>(secrets: impl IntoIterator<Item = &'s str>) -> Self {
        let mut r = Redactor::default();
        for s in secrets {
            r.add(s);
        }
        r
    }

    pub fn of<'s>(secrets: impl IntoIterator<Item = &'s Secret>) -> Self {
        Redactor::new(secrets.into_iter().map(Secret::expose))
    }

    pub fn add(&mut self, secret: &str) {
        let secret = secret.trim();
        let quoted = serde_json::Value::from(secret).to_string();
        let json = quoted[1..quoted.len() - 1].to_string();
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let lines = secret
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----"))
            .map(str::to_string);
        for needle in [secret.to_string(), json, form].into_iter().chain(lines) {
            if needle.chars().count() >= MIN_LEN && !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), MARK);
            }
        }
        out
    }

    pub fn texts(&self, texts: &mut [String]) {
        for t in texts {
            *t = self.text(t);
        }
    }

    /// The same error, with every secret taken out of its words; the code is kept.
    pub fn error(&self, error: Error) -> Error {
        let clean = |text: String| self.text(&text);
        match error {
            Error::InvalidInput { code, message } => Error::InvalidInput {
                code,
                message: clean(message),
            },
            Error::Vendor {
                vendor,
                code,
                message,
            } => Error::Vendor {
                vendor,
                code,
                message: clean(message),
            },
            Error::Unreachable { vendor, reason } => Error::Unreachable {
                vendor,
                reason: clean(reason),
            },
            Error::KeychainUnavailable(m) => Error::KeychainUnavailable(clean(m)),
            Error::Storage { path, reason } => Error::Storage {
                path,
                reason: clean(reason),
            },
            Error::Config(m) => Error::Config(clean(m)),
            other @ (Error::ProjectNotFound(_) | Error::ProjectExists(_)) => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_taken_out() {
        let sk = "sk_live_abc+def/ghi=jkl";
        let p8 = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\nAbCdEf0123456789\n-----END PRIVATE KEY-----";
        let r = Redactor::new([sk, p8, "short"]);
        let form: String = url::form_urlencoded::byte_serialize(sk.as_bytes()).collect();
        let said = format!(
            "{sk} | client_secret={form} | {} | {p8} | short",
            serde_json::to_string(p8).unwrap()
        );
        let clean = r.text(&said);
        assert!(!clean.contains("sk_live_abc"), "{clean}");
        assert!(!clean.contains("MIGTAgEA"), "{clean}");
        assert!(!clean.contains("AbCdEf0123"), "{clean}");
        assert!(clean.ends_with("| short"), "{clean}");
        let e = r.error(Error::Vendor {
            vendor: "Vercel",
            code: "vercel_error",
            message: format!("did not accept {{\"value\":\"{sk}\"}}"),
        });
        assert_eq!(e.code(), "vercel_error");
        assert_eq!(
            e.to_string(),
            "Vercel: did not accept {\"value\":\"[redacted]\"}"
        );
    }
}
