//! Google's downloaded client JSON, read into Google's form.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::secrets::Secret;

/// Google's downloaded client JSON (`{"web": {...}}` or `{"installed": {...}}`).
pub fn parse_google_json(text: &str) -> Result<(String, Secret)> {
    #[derive(Deserialize)]
    struct Client {
        client_id: String,
        client_secret: String,
    }
    #[derive(Deserialize)]
    struct File {
        web: Option<Client>,
        installed: Option<Client>,
    }
    let file: File = serde_json::from_str(text).map_err(|_| {
        Error::invalid(
            "google_json_invalid",
            "That is not Google's client JSON: download it from Credentials → your OAuth client → Download JSON.",
        )
    })?;
    let client = file.web.or(file.installed).ok_or_else(|| {
        Error::invalid(
            "google_json_invalid",
            "The JSON has neither a \"web\" nor an \"installed\" client.",
        )
    })?;
    Ok((client.client_id, Secret::new(client.client_secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn googles_json_is_read_either_way() {
        for kind in ["web", "installed"] {
            let text = format!(
                r#"{{"{kind}":{{"client_id":"1-a.apps.googleusercontent.com","client_secret":"GOCSPX-x","redirect_uris":[]}}}}"#
            );
            let (id, secret) = parse_google_json(&text).unwrap();
            assert_eq!(
                (id.as_str(), secret.expose()),
                ("1-a.apps.googleusercontent.com", "GOCSPX-x")
            );
        }
        assert_eq!(
            parse_google_json("{}").unwrap_err().code(),
            "google_json_invalid"
        );
        assert_eq!(
            parse_google_json("nope").unwrap_err().code(),
            "google_json_invalid"
        );
    }
}
