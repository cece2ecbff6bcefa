//! One error type for the engine. Every variant has a stable `code` that the UI and
//! scripts can branch on, and a message written for the user: what went wrong and what to do.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the user; the message says how to fix it.
    #[error("{message}")]
    InvalidInput { code: &'static str, message: String },

    #[error("No project named \"{0}\". Create it in Golive or check the spelling.")]
    ProjectNotFound(String),

    #[error("A project named \"{0}\" already exists. Pick another name.")]
    ProjectExists(String),

    #[error(
        "The system keychain is not available ({0}). On Linux, unlock your login keyring \
         (GNOME Keyring or KWallet with the Secret Service enabled) and try again."
    )]
    KeychainUnavailable(String),

    #[error("Could not read or write {path}: {reason}")]
    Storage { path: String, reason: String },

    /// A vendor answered, but not with what we needed.
    #[error("{vendor}: {message}")]
    Vendor {
        vendor: &'static str,
        code: &'static str,
        message: String,
    },

    /// The vendor could not be reached at all (DNS, connect, timeout).
    #[error("{vendor} could not be reached: {reason}")]
    Unreachable {
        vendor: &'static str,
        reason: String,
    },

    #[error("Configuration: {0}")]
    Config(String),
}

impl Error {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            code,
            message: message.into(),
        }
    }

    /// Stable, machine-readable code; part of the IPC and CLI contract.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { code, .. } => code,
            Error::ProjectNotFound(_) => "project_not_found",
            Error::ProjectExists(_) => "project_exists",
            Error::KeychainUnavailable(_) => "keychain_unavailable",
            Error::Storage { .. } => "storage",
            Error::Vendor { code, .. } => code,
            Error::Unreachable { .. } => "unreachable",
            Error::Config(_) => "config",
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_string(),
            message: self.to_string(),
        }
    }
}

/// What crosses the IPC boundary for every failed command: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, TS)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Error", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message_only() {
        let e = Error::ProjectNotFound("shop".into());
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "code": "project_not_found",
                "message": "No project named \"shop\". Create it in Golive or check the spelling."
            })
        );
        assert_eq!(v.as_object().unwrap().len(), 2);
    }

    #[test]
    fn payload_matches_serialization() {
        let e = Error::invalid("domain_invalid", "bad");
        let p = serde_json::to_value(e.payload()).unwrap();
        assert_eq!(p, serde_json::to_value(&e).unwrap());
    }
}
