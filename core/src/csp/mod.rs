//! Content-Security-Policy as CSP Level 3 reads it: the policies a page is served (each
//! header may carry several, separated by commas, and `<meta http-equiv>` adds more), their
//! directives with the fallback lists of §6.8.3, and whether a request is allowed. A request
//! is allowed only when every enforced policy allows it; report-only policies block nothing.

mod meta;
mod source;

pub use meta::meta_policies;
pub use source::Source;

use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Enforce,
    /// `Content-Security-Policy-Report-Only`: violations are reported, nothing is blocked.
    Report,
}

/// Where a policy came from, so a fix can say where to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Header,
    Meta,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercase.
    pub name: String,
    /// The source expressions as written.
    pub values: Vec<String>,
}

impl Directive {
    pub fn sources(&self) -> impl Iterator<Item = Source> + '_ {
        self.values.iter().map(|v| Source::parse(v))
    }
}

impl std::fmt::Display for Directive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)?;
        for v in &self.values {
            write!(f, " {v}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub directives: Vec<Directive>,
    pub disposition: Disposition,
    pub delivery: Delivery,
}

/// What a page asks for, as far as the policies Golive checks are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `<script>` element.
    ScriptElem,
    /// A `<style>` element.
    StyleElem,
    /// `fetch`, XHR, WebSocket, EventSource.
    Connect,
    Img,
    /// An `<iframe>`.
    Frame,
    /// A dedicated or shared worker.
    Worker,
}

impl Kind {
    /// The directives that govern this kind, most specific first (§6.8.3).
    pub fn fallbacks(self) -> &'static [&'static str] {
        match self {
            Kind::ScriptElem => &["script-src-elem", "script-src", "default-src"],
            Kind::StyleElem => &["style-src-elem", "style-src", "default-src"],
            Kind::Connect => &["connect-src", "default-src"],
            Kind::Img => &["img-src", "default-src"],
            Kind::Frame => &["frame-src", "child-src", "default-src"],
            Kind::Worker => &["worker-src", "child-src", "script-src", "default-src"],
        }
    }

    /// Nonces and `'strict-dynamic'` apply to script-like requests only (§6.8.1).
    fn script_like(self) -> bool {
        matches!(self, Kind::ScriptElem | Kind::Worker)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub kind: Kind,
    /// `None` for inline content (a `<style>` or `<script>` element's own text).
    pub url: Option<&'a Url>,
    /// The element's `nonce` attribute.
    pub nonce: Option<&'a str>,
    /// In the page's HTML, rather than inserted by a script (matters to `'strict-dynamic'`).
    pub parser_inserted: bool,
}

impl Policy {
    /// §2.2.1 "parse a serialized CSP": directives split on `;`, names lowercased, the first
    /// of a repeated directive wins, a directive with non-ASCII text is dropped.
    pub fn parse(text: &str, disposition: Disposition, delivery: Delivery) -> Policy {
        let mut directives: Vec<Directive> = vec![];
        for token in text.split(';') {
            let token = token.trim_matches(is_ascii_whitespace);
            if token.is_empty() || !token.is_ascii() {
                continue;
            }
            let mut words = token.split(is_ascii_whitespace).filter(|w| !w.is_empty());
            let Some(name) = words.next().map(str::to_ascii_lowercase) else {
                continue;
            };
            if directives.iter().any(|d| d.name == name) {
                continue;
            }
            directives.push(Directive {
                name,
                values: words.map(str::to_string).collect(),
            });
        }
        Policy {
            directives,
            disposition,
            delivery,
        }
    }

    /// The directive that governs `kind` here: the first of its fallback list present.
    pub fn effective(&self, kind: Kind) -> Option<&Directive> {
        kind.fallbacks()
            .iter()
            .find_map(|name| self.directives.iter().find(|d| d.name == *name))
    }

    /// Whether this policy lets a page at `origin` make the request (§6.7.1, §6.8.1).
    pub fn allows(&self, req: &Request, origin: &Url) -> bool {
        let Some(directive) = self.effective(req.kind) else {
            return true;
        };
        let sources: Vec<Source> = directive.sources().collect();
        let nonce_matches = req.nonce.is_some_and(|n| {
            sources
                .iter()
                .any(|s| matches!(s, Source::Nonce(v) if v == n))
        });
        match req.url {
            None => allows_all_inline(&sources, req.kind) || nonce_matches,
            Some(url) => {
                if req.kind.script_like() {
                    if nonce_matches {
                        return true;
                    }
                    if sources.contains(&Source::StrictDynamic) {
                        return !req.parser_inserted;
                    }
                }
                sources.iter().any(|s| s.matches(url, origin))
            }
        }
    }
}

/// §6.7.3.3: `'unsafe-inline'` counts only when no nonce or hash (and, for scripts, no
/// `'strict-dynamic'`) is beside it.
fn allows_all_inline(sources: &[Source], kind: Kind) -> bool {
    let overridden = sources.iter().any(|s| {
        matches!(s, Source::Nonce(_) | Source::Hash)
            || (kind.script_like() && *s == Source::StrictDynamic)
    });
    !overridden && sources.contains(&Source::UnsafeInline)
}

fn is_ascii_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// The policies of one `Content-Security-Policy` (or `-Report-Only`) header value: several
/// may be joined by commas (as several headers of the same name are). Empty ones are
/// dropped.
pub fn header_policies(value: &str, disposition: Disposition) -> Vec<Policy> {
    value
        .split(',')
        .map(|p| Policy::parse(p, disposition, Delivery::Header))
        .filter(|p| !p.directives.is_empty())
        .collect()
}

/// Whether every enforced policy allows the request.
pub fn allowed(policies: &[Policy], req: &Request, origin: &Url) -> bool {
    policies
        .iter()
        .filter(|p| p.disposition == Disposition::Enforce)
        .all(|p| p.allows(req, origin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    fn origin() -> Url {
        url("https://quillmate.test/")
    }

    fn policy(text: &str) -> Policy {
        Policy::parse(text, Disposition::Enforce, Delivery::Header)
    }

    fn fetch(kind: Kind, u: &Url) -> Request<'_> {
        Request {
            kind,
            url: Some(u),
            nonce: None,
            parser_inserted: true,
        }
    }

    fn inline(kind: Kind, nonce: Option<&str>) -> Request<'_> {
        Request {
            kind,
            url: None,
            nonce,
            parser_inserted: true,
        }
    }

    const FAPI_JS: &str =
        "https://clerk.quillmate.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js";

    fn allows(text: &str, req: &Request) -> bool {
        policy(text).allows(req, &origin())
    }

    #[test]
    fn directives_split_on_semicolons_names_fold_case_and_the_first_duplicate_wins() {
        let p = policy(
            " Script-SRC 'self'  https://a.test ;;\tIMG-src * ; script-src https://b.test; \
             connect-src",
        );
        let names: Vec<&str> = p.directives.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["script-src", "img-src", "connect-src"]);
        assert_eq!(p.directives[0].values, ["'self'", "https://a.test"]);
        assert!(p.directives[2].values.is_empty());
        assert_eq!(
            p.directives[0].to_string(),
            "script-src 'self' https://a.test"
        );
        // A directive with non-ASCII text is dropped whole.
        let p = policy("script-src 'self' https://bücher.test; img-src 'self'");
        assert_eq!(p.directives.len(), 1);
        assert_eq!(p.directives[0].name, "img-src");
    }

    #[test]
    fn a_header_may_carry_several_policies_separated_by_commas() {
        let ps = header_policies(
            "default-src 'self', script-src https://a.test, ,",
            Disposition::Report,
        );
        assert_eq!(ps.len(), 2);
        assert!(ps.iter().all(|p| p.disposition == Disposition::Report));
        assert_eq!(ps[1].directives[0].name, "script-src");
    }

    #[test]
    fn each_kind_falls_back_as_the_spec_lists() {
        let full = "default-src d:; child-src c:; script-src s:; script-src-elem se:; \
                    style-src st:; style-src-elem ste:; connect-src cn:; img-src i:; \
                    frame-src f:; worker-src w:";
        let cases: &[(Kind, &[&str])] = &[
            (
                Kind::ScriptElem,
                &["script-src-elem", "script-src", "default-src"],
            ),
            (
                Kind::StyleElem,
                &["style-src-elem", "style-src", "default-src"],
            ),
            (Kind::Connect, &["connect-src", "default-src"]),
            (Kind::Img, &["img-src", "default-src"]),
            (Kind::Frame, &["frame-src", "child-src", "default-src"]),
            (
                Kind::Worker,
                &["worker-src", "child-src", "script-src", "default-src"],
            ),
        ];
        for (kind, chain) in cases {
            // Remove the chain's directives one by one: the next one governs.
            let mut p = policy(full);
            for name in *chain {
                assert_eq!(p.effective(*kind).unwrap().name, *name, "{kind:?}");
                p.directives.retain(|d| d.name != *name);
            }
            assert_eq!(p.effective(*kind), None);
        }
        // With no directive for it, a kind is not restricted.
        let blob = url("blob:https://quillmate.test/0d5f");
        assert!(allows("img-src 'none'", &fetch(Kind::Worker, &blob)));
        assert!(!allows("default-src 'self'", &fetch(Kind::Worker, &blob)));
        assert!(allows(
            "script-src 'self'; worker-src blob:",
            &fetch(Kind::Worker, &blob)
        ));
    }

    #[test]
    fn none_and_an_empty_list_allow_nothing() {
        let js = url(FAPI_JS);
        assert!(!allows("script-src 'none'", &fetch(Kind::ScriptElem, &js)));
        assert!(!allows("script-src", &fetch(Kind::ScriptElem, &js)));
        assert!(!allows("style-src 'none'", &inline(Kind::StyleElem, None)));
        // 'none' beside other sources matches nothing itself.
        assert!(allows(
            "script-src 'none' https:",
            &fetch(Kind::ScriptElem, &js)
        ));
    }

    #[test]
    fn unsafe_inline_is_ignored_beside_a_nonce_or_a_hash() {
        let style = |p: &str, n| allows(p, &inline(Kind::StyleElem, n));
        assert!(style("style-src 'self' 'unsafe-inline'", None));
        assert!(!style("style-src 'self'", None));
        assert!(!style("style-src 'unsafe-inline' 'nonce-abc'", None));
        assert!(style("style-src 'unsafe-inline' 'nonce-abc'", Some("abc")));
        assert!(!style("style-src 'unsafe-inline' 'nonce-abc'", Some("xyz")));
        assert!(!style("style-src 'unsafe-inline' 'sha256-abc='", None));
        // 'strict-dynamic' voids 'unsafe-inline' for scripts only.
        assert!(style("style-src 'unsafe-inline' 'strict-dynamic'", None));
        assert!(!allows(
            "script-src 'unsafe-inline' 'strict-dynamic'",
            &inline(Kind::ScriptElem, None)
        ));
        assert!(allows(
            "script-src 'unsafe-inline'",
            &inline(Kind::ScriptElem, None)
        ));
    }

    #[test]
    fn nonces_allow_scripts_whatever_their_url() {
        let js = url(FAPI_JS);
        let p = "script-src 'self' 'nonce-r4nd0m'";
        assert!(!allows(p, &fetch(Kind::ScriptElem, &js)));
        let with = Request {
            nonce: Some("r4nd0m"),
            ..fetch(Kind::ScriptElem, &js)
        };
        assert!(allows(p, &with));
        // Nonces are for scripts and styles: an image's URL must match.
        let img = url("https://img.clerk.com/a");
        assert!(!allows(
            "img-src 'nonce-r4nd0m'",
            &Request {
                nonce: Some("r4nd0m"),
                ..fetch(Kind::Img, &img)
            }
        ));
    }

    #[test]
    fn strict_dynamic_ignores_host_sources_and_trusts_inserted_scripts() {
        let js = url(FAPI_JS);
        let p = "script-src 'self' https://clerk.quillmate.test 'strict-dynamic' 'nonce-abc'";
        // A tag in the HTML: its host no longer counts, only its nonce.
        assert!(!allows(p, &fetch(Kind::ScriptElem, &js)));
        let tag_with_nonce = Request {
            nonce: Some("abc"),
            ..fetch(Kind::ScriptElem, &js)
        };
        assert!(allows(p, &tag_with_nonce));
        // Inserted by a script already running: allowed, whatever its host.
        let elsewhere = url("https://elsewhere.test/x.js");
        let inserted = Request {
            parser_inserted: false,
            ..fetch(Kind::ScriptElem, &elsewhere)
        };
        assert!(allows(p, &inserted));
        // Workers that fall back to script-src are script-like too.
        let blob = url("blob:https://quillmate.test/0d5f");
        let worker = Request {
            parser_inserted: false,
            ..fetch(Kind::Worker, &blob)
        };
        assert!(allows("script-src 'strict-dynamic' 'nonce-abc'", &worker));
        // Other kinds ignore it.
        assert!(!allows(
            "connect-src 'strict-dynamic'",
            &Request {
                parser_inserted: false,
                ..fetch(Kind::Connect, &js)
            }
        ));
    }

    #[test]
    fn several_policies_must_all_allow() {
        let js = url(FAPI_JS);
        let req = fetch(Kind::ScriptElem, &js);
        let mut ps = header_policies(
            "script-src https:, default-src 'self'",
            Disposition::Enforce,
        );
        assert!(ps[0].allows(&req, &origin()));
        assert!(!ps[1].allows(&req, &origin()));
        ps[1].disposition = Disposition::Report;
        // The verdict over policies is the check's (site_csp); here, each policy's own.
        assert!(ps
            .iter()
            .filter(|p| p.disposition == Disposition::Enforce)
            .all(|p| p.allows(&req, &origin())));
    }

    /// Source expressions of every shape, valid and not.
    fn source() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("'self'".to_string()),
            Just("'none'".to_string()),
            Just("'unsafe-inline'".to_string()),
            Just("'unsafe-eval'".to_string()),
            Just("'strict-dynamic'".to_string()),
            Just("'nonce-abc'".to_string()),
            Just("'sha256-abc='".to_string()),
            Just("*".to_string()),
            prop::sample::select(vec!["https:", "http:", "blob:", "data:", "wss:"])
                .prop_map(String::from),
            (
                prop::sample::select(vec!["", "https://", "http://", "wss://"]),
                prop::sample::select(vec![
                    "clerk.quillmate.test",
                    "*.quillmate.test",
                    "quillmate.test",
                    "img.clerk.com",
                    "*.clerk.com",
                    "*",
                ]),
                prop::sample::select(vec!["", ":443", ":8443", ":*"]),
                prop::sample::select(vec!["", "/", "/npm/", "/v1/client", "/npm"]),
            )
                .prop_map(|(s, h, p, path)| format!("{s}{h}{p}{path}")),
            "[!-~&&[^;,]]{1,12}",
        ]
    }

    const NAMES: [&str; 10] = [
        "default-src",
        "script-src",
        "script-src-elem",
        "style-src",
        "style-src-elem",
        "connect-src",
        "img-src",
        "frame-src",
        "child-src",
        "worker-src",
    ];

    fn directives() -> impl Strategy<Value = Vec<(String, Vec<String>)>> {
        prop::collection::vec(
            (
                prop::sample::select(NAMES.to_vec()).prop_map(String::from),
                prop::collection::vec(source(), 0..5),
            ),
            0..6,
        )
    }

    fn serialize(ds: &[(String, Vec<String>)]) -> String {
        ds.iter()
            .map(|(n, v)| format!("{n} {}", v.join(" ")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Every request the check makes, and more, in every variant.
    fn each_request(mut f: impl FnMut(&Request)) {
        let urls: Vec<Url> = [
            FAPI_JS,
            "https://clerk.quillmate.test/v1/client",
            "https://img.clerk.com/a.png",
            "https://quillmate.test/app.js",
            "http://quillmate.test/app.js",
            "https://clerk.quillmate.test:8443/npm/x",
            "wss://clerk.quillmate.test/",
            "blob:https://quillmate.test/0d5f",
            "data:image/png;base64,AA",
        ]
        .iter()
        .map(|u| url(u))
        .collect();
        let kinds = [
            Kind::ScriptElem,
            Kind::StyleElem,
            Kind::Connect,
            Kind::Img,
            Kind::Frame,
            Kind::Worker,
        ];
        for kind in kinds {
            for u in urls.iter().map(Some).chain([None]) {
                for nonce in [None, Some("abc")] {
                    for parser_inserted in [true, false] {
                        f(&Request {
                            kind,
                            url: u,
                            nonce,
                            parser_inserted,
                        });
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}", html in "[ -~<>\"'=&#;]{0,300}") {
            let ps = header_policies(&text, Disposition::Enforce);
            let mut ps: Vec<Policy> = ps.into_iter().chain(meta_policies(&html)).collect();
            ps.push(policy(&text));
            for t in text.split_whitespace() {
                let _ = Source::parse(t);
            }
            for p in &ps {
                each_request(|r| {
                    let _ = p.allows(r, &origin());
                });
            }
        }

        /// Adding a source to a directive never blocks what it allowed — unless the source is
        /// one that takes trust away (a nonce or hash voids 'unsafe-inline'; 'strict-dynamic'
        /// voids host sources and 'unsafe-inline' for scripts).
        #[test]
        fn adding_a_source_never_blocks_what_was_allowed(
            ds in directives(),
            which in any::<prop::sample::Index>(),
            extra in source(),
        ) {
            prop_assume!(!ds.is_empty());
            let taking = matches!(
                Source::parse(&extra),
                Source::Nonce(_) | Source::Hash | Source::StrictDynamic
            );
            prop_assume!(!taking);
            let before = policy(&serialize(&ds));
            let mut wider = ds.clone();
            let i = which.index(wider.len());
            // Only the directive in effect (the first of its name) matters.
            let first = wider.iter().position(|(n, _)| *n == wider[i].0).unwrap();
            wider[first].1.push(extra);
            let after = policy(&serialize(&wider));
            each_request(|r| {
                if before.allows(r, &origin()) {
                    assert!(after.allows(r, &origin()), "{r:?}\n{before:?}\n{after:?}");
                }
            });
        }

        /// A repeated directive is ignored, whatever it says.
        #[test]
        fn a_policy_and_its_duplicate_directive_variant_agree(
            ds in directives(),
            which in any::<prop::sample::Index>(),
            values in prop::collection::vec(source(), 0..5),
        ) {
            prop_assume!(!ds.is_empty());
            let name = ds[which.index(ds.len())].0.clone();
            let mut dup = ds.clone();
            dup.push((name.to_uppercase(), values));
            let (a, b) = (policy(&serialize(&ds)), policy(&serialize(&dup)));
            prop_assert_eq!(&a.directives, &b.directives);
            each_request(|r| assert_eq!(a.allows(r, &origin()), b.allows(r, &origin())));
        }
    }
}
