//! Policies a page declares in `<meta http-equiv="Content-Security-Policy">`. Browsers honour
//! them only in the head, never as report-only, and without `report-uri`,
//! `frame-ancestors` and `sandbox` (HTML's "Content security policy state").

use super::{Delivery, Disposition, Policy};

/// The enforced policies of the page's `<meta>` tags, in document order.
pub fn meta_policies(html: &str) -> Vec<Policy> {
    let lower = html.to_ascii_lowercase();
    let head_end = ["</head", "<body"]
        .iter()
        .filter_map(|t| lower.find(t))
        .min()
        .unwrap_or(html.len());
    let mut policies = vec![];
    let mut at = 0;
    while let Some(i) = lower[at..head_end].find("<meta") {
        let start = at + i + "<meta".len();
        let (attrs, end) = attributes(&html[start..head_end]);
        at = start + end;
        let http_equiv = attrs.iter().find(|(n, _)| n == "http-equiv");
        let content = attrs.iter().find(|(n, _)| n == "content");
        let (Some((_, equiv)), Some((_, content))) = (http_equiv, content) else {
            continue;
        };
        if !equiv.eq_ignore_ascii_case("content-security-policy") {
            continue;
        }
        let mut policy = Policy::parse(content, Disposition::Enforce, Delivery::Meta);
        policy.directives.retain(|d| {
            !matches!(
                d.name.as_str(),
                "report-uri" | "frame-ancestors" | "sandbox"
            )
        });
        if !policy.directives.is_empty() {
            policies.push(policy);
        }
    }
    policies
}

/// A tag's attributes (names lowercased, values with character references decoded), read up
/// to its `>`; and how far that is.
fn attributes(tag: &str) -> (Vec<(String, String)>, usize) {
    let bytes = tag.as_bytes();
    let mut attrs = vec![];
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (attrs, (i + 1).min(bytes.len()));
        }
        let name_start = i;
        while i < bytes.len() && !b" \t\n\r\x0c/>=".contains(&bytes[i]) {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (start, end) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = tag[i + 1..]
                        .find(q as char)
                        .map_or(tag.len(), |e| i + 1 + e);
                    (i + 1, close)
                }
                _ => {
                    let end = tag[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(tag.len(), |e| i + e);
                    (i, end)
                }
            };
            value = decode_references(&tag[start..end]);
            i = if end < tag.len() && matches!(bytes[end], b'"' | b'\'') {
                end + 1
            } else {
                end
            };
        }
        attrs.push((name, value));
    }
}

/// The character references frameworks write in attributes (`&#x27;` for `'`, `&quot;`…).
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&semi| semi <= 8)
            .and_then(|semi| Some((reference(&rest[1..1 + semi])?, semi + 2)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    let code = match name {
        "amp" => return Some('&'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        _ => match name.strip_prefix('#')? {
            hex if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok()?,
            dec => dec.parse().ok()?,
        },
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_tags_in_the_head_are_enforced_policies() {
        let html = r#"<!DOCTYPE html><html><HEAD><meta charset="utf-8">
            <META HTTP-EQUIV="Content-Security-Policy"
                  content="script-src &#x27;self&#x27; https://clerk.quillmate.test; frame-ancestors &apos;none&apos;; report-uri /csp">
            <meta http-equiv='content-security-policy' content='img-src &quot;x&quot; &amp;'/>
            <meta http-equiv=Content-Security-Policy content=connect-src>
            <meta http-equiv="Content-Security-Policy-Report-Only" content="default-src 'none'">
            <meta name="description" content="default-src 'none'">
            </head><body><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></body>"#;
        let ps = meta_policies(html);
        assert_eq!(ps.len(), 3, "{ps:?}");
        assert!(ps
            .iter()
            .all(|p| p.disposition == Disposition::Enforce && p.delivery == Delivery::Meta));
        // Character references decoded; frame-ancestors and report-uri dropped.
        assert_eq!(
            ps[0].directives[0].to_string(),
            "script-src 'self' https://clerk.quillmate.test"
        );
        assert_eq!(ps[0].directives.len(), 1);
        assert_eq!(ps[1].directives[0].values, ["\"x\"", "&"]);
        assert_eq!(ps[2].directives[0].name, "connect-src");
    }

    #[test]
    fn pages_without_meta_policies_have_none() {
        for html in [
            "",
            "<html><head><title>x</title></head></html>",
            "<meta http-equiv=\"Content-Security-Policy\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"  ;; \">",
            "<meta",
            "<meta content=\"&#xZZ; &#99999999; &unknown; &\" http-equiv=refresh>",
        ] {
            assert!(meta_policies(html).is_empty(), "{html}");
        }
        // An unterminated tag still reads what it has.
        let cut = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'";
        assert_eq!(meta_policies(cut)[0].directives[0].values, ["'self'"]);
    }
}
