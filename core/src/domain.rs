//! Production domain: normalised from whatever the user pastes, validated with a reason.

use crate::error::{Error, Result};

/// Turns `  HTTPS://Quillmate.Site/pricing ` into `quillmate.site`, or says why it can't.
pub fn normalize(input: &str) -> Result<String> {
    let invalid = |msg: String| Error::invalid("domain_invalid", msg);

    // Zero-width and other invisible characters sneak in when copying from web pages.
    let cleaned: String = input
        .chars()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}'))
        .collect();
    let mut s = cleaned.trim();
    if s.is_empty() {
        return Err(invalid(
            "Enter your production domain, for example quillmate.site.".into(),
        ));
    }
    if let Some(i) = s.find("://") {
        s = &s[i + 3..];
    }
    // Drop any path, query or fragment, then userinfo and port.
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = s.rsplit('@').next().unwrap_or("");
    let host = match s.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => s,
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.chars().any(char::is_whitespace) {
        return Err(invalid(format!(
            "\"{}\" contains spaces. Enter just the domain, like quillmate.site.",
            input.trim()
        )));
    }
    // A bracketed IPv6 literal, `[::1]` or `[2001:db8::1]:443`.
    if host.starts_with('[') {
        return Err(invalid(
            "An IP address can't be a Clerk production domain. Enter a domain name you own.".into(),
        ));
    }
    let ascii = idna::domain_to_ascii(host).map_err(|_| {
        invalid(format!(
            "\"{host}\" is not a valid domain name. Use letters, digits and hyphens, like quillmate.site."
        ))
    })?;
    if ascii.is_empty() {
        return Err(invalid(
            "Enter your production domain, for example quillmate.site.".into(),
        ));
    }
    if ascii.parse::<std::net::IpAddr>().is_ok() {
        return Err(invalid(
            "An IP address can't be a Clerk production domain. Enter a domain name you own.".into(),
        ));
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid(format!(
            "\"{ascii}\" has no top-level domain. Enter the full domain, like {ascii}.com."
        )));
    }
    for label in &labels {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok {
            return Err(invalid(format!(
                "\"{ascii}\" is not a valid domain name. Each part between dots must be 1-63 \
                 letters, digits or hyphens, not starting or ending with a hyphen."
            )));
        }
    }
    if ascii.len() > 253 {
        return Err(invalid(
            "That domain name is longer than 253 characters.".into(),
        ));
    }
    if ascii.ends_with(".vercel.app") || ascii == "vercel.app" {
        return Err(invalid(format!(
            "\"{ascii}\" is a Vercel preview domain. Clerk production instances need a domain you \
             own (Clerk must create DNS records on it). Add your own domain, like quillmate.site."
        )));
    }
    Ok(ascii)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes_what_users_paste() {
        for (input, want) in [
            ("quillmate.site", "quillmate.site"),
            ("  Quillmate.SITE  ", "quillmate.site"),
            ("https://quillmate.site/pricing?x=1", "quillmate.site"),
            ("http://quillmate.site:3000", "quillmate.site"),
            ("quillmate.site.", "quillmate.site"),
            ("\u{200B}quillmate.site", "quillmate.site"),
            ("bücher.de", "xn--bcher-kva.de"),
            ("quillmate.test", "quillmate.test"),
            ("app.quillmate.site", "app.quillmate.site"),
        ] {
            assert_eq!(normalize(input).unwrap(), want, "input {input:?}");
        }
    }

    #[test]
    fn refuses_with_a_reason() {
        for (input, needle) in [
            ("", "Enter your production domain"),
            ("quillmate", "no top-level domain"),
            ("my app.com", "contains spaces"),
            ("shop.vercel.app", "Vercel preview domain"),
            ("-bad.com", "not a valid domain"),
            ("a..com", "not a valid domain"),
            ("127.0.0.1", "IP address"),
            ("under_score.com", "not a valid domain"),
        ] {
            let err = normalize(input).unwrap_err();
            assert_eq!(err.code(), "domain_invalid");
            assert!(
                err.to_string().contains(needle),
                "{input:?} -> {err} (wanted {needle:?})"
            );
        }
    }
}
