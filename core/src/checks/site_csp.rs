//! `site.csp`: the live site's Content-Security-Policy lets Clerk work. What Clerk needs is
//! what Clerk's own helper (`@clerk/nextjs`, `createContentSecurityPolicyHeaders`) allows
//! and what clerk-js asks for: its script from the Frontend API (Next.js renders it as a
//! `<script src>` tag, with the page's nonce when Clerk is given one), calls to the Frontend
//! API, images from img.clerk.com, `<style>` elements for its components; and, degraded
//! without them, Cloudflare Turnstile for bot protection (a script clerk-js inserts and its
//! frame) and a timer worker from a `blob:` URL (clerk-js falls back to page timers).

use futures::FutureExt;
use url::Url;

use super::home_page::HomePage;
use super::{CheckContext, CheckDef, Outcome, Step};
use crate::csp::{self, Delivery, Disposition, Kind, Policy, Request, Source};
use crate::https_probe::HttpsResponse;
use crate::keys::production_frontend_api;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![CheckDef {
        id: "site.csp",
        title: "The live site's Content-Security-Policy lets Clerk work",
        step: Step::Launch,
        run: |ctx| site_csp(ctx).boxed(),
    }]
}

/// One thing Clerk does on the page that a policy may block.
struct Need {
    /// What is blocked, as a user would name it.
    what: String,
    kind: Kind,
    /// `None`: inline content.
    url: Option<Url>,
    /// The source that allows it.
    add: String,
    /// Clerk's SDK gives the element the page's nonce, when it is given one.
    nonceable: bool,
    /// A tag in the HTML rather than inserted by a script (`'strict-dynamic'` tells apart).
    parser_inserted: bool,
    /// Why missing it only degrades sign-in (a warning), if it does.
    degraded: Option<&'static str>,
}

impl Need {
    /// The directive a fix writes for this need (a more specific one already there is changed
    /// instead; a fallback is never widened).
    fn directive(&self) -> &'static str {
        match self.kind {
            Kind::ScriptElem => "script-src",
            Kind::StyleElem => "style-src",
            Kind::Connect => "connect-src",
            Kind::Img => "img-src",
            Kind::Frame => "frame-src",
            Kind::Worker => "worker-src",
        }
    }
}

const TURNSTILE: &str = "https://challenges.cloudflare.com";
const IMAGES: &str = "https://img.clerk.com";

fn clerk_needs(frontend_api: &str, origin: &Url) -> Option<Vec<Need>> {
    let fapi = format!("https://{frontend_api}");
    let url = |u: String| Url::parse(&u).ok();
    let bot = Some("sign-ups fail while bot protection is on");
    let need = |what: String, kind, url, add: &str| Need {
        what,
        kind,
        url,
        add: add.to_string(),
        nonceable: false,
        parser_inserted: false,
        degraded: None,
    };
    Some(vec![
        Need {
            nonceable: true,
            parser_inserted: true,
            ..need(
                format!("Clerk's script from {fapi}"),
                Kind::ScriptElem,
                Some(url(format!(
                    "{fapi}/npm/@clerk/clerk-js@5/dist/clerk.browser.js"
                ))?),
                &fapi,
            )
        },
        need(
            format!("calls to the Frontend API {fapi}"),
            Kind::Connect,
            Some(url(format!("{fapi}/v1/client"))?),
            &fapi,
        ),
        need(
            format!("avatars and logos from {IMAGES}"),
            Kind::Img,
            Some(url(format!("{IMAGES}/"))?),
            IMAGES,
        ),
        Need {
            nonceable: true,
            ..need(
                "the inline styles of Clerk's components".into(),
                Kind::StyleElem,
                None,
                "'unsafe-inline'",
            )
        },
        Need {
            nonceable: true,
            degraded: bot,
            ..need(
                format!("bot protection's script from {TURNSTILE}"),
                Kind::ScriptElem,
                Some(url(format!("{TURNSTILE}/turnstile/v0/api.js"))?),
                TURNSTILE,
            )
        },
        Need {
            degraded: bot,
            ..need(
                format!("bot protection's frame from {TURNSTILE}"),
                Kind::Frame,
                Some(url(format!("{TURNSTILE}/cdn-cgi/challenge-platform/"))?),
                TURNSTILE,
            )
        },
        Need {
            degraded: Some(
                "clerk-js falls back to page timers, which browsers slow down in background tabs",
            ),
            ..need(
                "Clerk's timer worker from a blob: URL".into(),
                Kind::Worker,
                Some(url(format!(
                    "blob:{}/0d5f3c2e-clerk-timers",
                    origin.origin().ascii_serialization()
                ))?),
                "blob:",
            )
        },
    ])
}

enum Verdict {
    Allowed,
    /// Allowed when Clerk's element carries the page's nonce.
    WithNonce,
    /// Allowed only when a script inserts it (`'strict-dynamic'`): a tag in the HTML without
    /// the nonce is blocked.
    OnlyInserted,
    /// Blocked by these policies (indexes).
    Blocked(Vec<usize>),
}

/// The nonce a page gives its elements: the first in these policies' directive for `kind`.
fn page_nonce(policies: &[(usize, &Policy)], kind: Kind) -> Option<String> {
    policies.iter().find_map(|(_, p)| {
        p.effective(kind)?.sources().find_map(|s| match s {
            Source::Nonce(n) => Some(n),
            _ => None,
        })
    })
}

/// The need's verdict under these policies (all treated as enforced).
fn verdict(need: &Need, policies: &[(usize, &Policy)], origin: &Url) -> Verdict {
    let blocking = |nonce: Option<&str>, parser_inserted: bool| -> Vec<usize> {
        let req = Request {
            kind: need.kind,
            url: need.url.as_ref(),
            nonce,
            parser_inserted,
        };
        policies
            .iter()
            .filter(|(_, p)| !p.allows(&req, origin))
            .map(|(i, _)| *i)
            .collect()
    };
    let plain = blocking(None, need.parser_inserted);
    let nonce = need
        .nonceable
        .then(|| page_nonce(policies, need.kind))
        .flatten();
    if plain.is_empty() {
        Verdict::Allowed
    } else if nonce.is_some() && blocking(nonce.as_deref(), need.parser_inserted).is_empty() {
        Verdict::WithNonce
    } else if need.parser_inserted && blocking(None, false).is_empty() {
        Verdict::OnlyInserted
    } else {
        Verdict::Blocked(plain)
    }
}

/// What to write into one policy: a directive changed (or added, copying the fallback's
/// sources), and what it is today.
struct Change {
    policy: usize,
    name: &'static str,
    keep: Vec<String>,
    add: Vec<String>,
    added: bool,
    found: String,
}

impl Change {
    fn directive(&self) -> String {
        let mut words = vec![self.name.to_string()];
        words.extend(self.keep.iter().chain(&self.add).cloned());
        words.join(" ")
    }
}

/// Whether a fix keeps this source of the directive in effect: all but `'none'`; not the
/// nonces and hashes that make browsers ignore an `'unsafe-inline'` being added; and when a
/// fallback is copied into a new directive for URLs only (connect, images, frames, workers),
/// only the sources that match URLs.
/// Each need with what the policies make of it.
fn verdicts<'n>(
    needs: &'n [Need],
    policies: &[(usize, &Policy)],
    origin: &Url,
) -> Vec<(&'n Need, Verdict)> {
    needs
        .iter()
        .map(|n| (n, verdict(n, policies, origin)))
        .collect()
}

/// The needs some policy blocks, with the indexes of those policies.
fn blocked<'v>(verdicts: &'v [(&'v Need, Verdict)]) -> Vec<(&'v Need, &'v [usize])> {
    verdicts
        .iter()
        .filter_map(|(n, v)| match v {
            Verdict::Blocked(by) => Some((*n, by.as_slice())),
            _ => None,
        })
        .collect()
}

fn keeps(need: &Need, own: bool, source: &Source) -> bool {
    let urls_only = !own && !matches!(need.kind, Kind::ScriptElem | Kind::StyleElem);
    match source {
        Source::None => false,
        Source::Nonce(_) | Source::Hash => need.url.is_some() && !urls_only,
        Source::SelfOrigin | Source::Any | Source::Scheme(_) | Source::Host(_) => true,
        _ => !urls_only,
    }
}

/// The smallest changes that let the blocked needs through, one per policy and directive.
fn changes(blocked: &[(&Need, &[usize])], policies: &[Policy]) -> Vec<Change> {
    let mut out: Vec<Change> = vec![];
    for (need, by) in blocked {
        for &i in *by {
            let Some(d) = policies[i].effective(need.kind) else {
                continue;
            };
            let own = d.name == need.directive() || d.name == need.kind.fallbacks()[0];
            let name = if own {
                need.kind
                    .fallbacks()
                    .iter()
                    .copied()
                    .find(|n| *n == d.name)
                    .unwrap_or(need.directive())
            } else {
                need.directive()
            };
            let change = match out.iter_mut().find(|c| c.policy == i && c.name == name) {
                Some(c) => c,
                None => {
                    out.push(Change {
                        policy: i,
                        name,
                        keep: d
                            .values
                            .iter()
                            .filter(|v| keeps(need, own, &Source::parse(v)))
                            .cloned()
                            .collect(),
                        add: vec![],
                        added: !own,
                        found: if own {
                            d.to_string()
                        } else {
                            format!("no {name}: falls back to {d}")
                        },
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            if !change.add.contains(&need.add) && !change.keep.contains(&need.add) {
                change.add.push(need.add.clone());
            }
        }
    }
    out
}

/// "the Content-Security-Policy header", "the <meta http-equiv> tag", numbered when there
/// are several of a kind.
fn place(policies: &[Policy], i: usize) -> String {
    let kind = |p: &Policy| (p.delivery, p.disposition);
    let same: Vec<usize> = (0..policies.len())
        .filter(|&j| kind(&policies[j]) == kind(&policies[i]))
        .collect();
    let name = match kind(&policies[i]) {
        (Delivery::Meta, _) => "<meta http-equiv> tag",
        (Delivery::Header, Disposition::Enforce) => "Content-Security-Policy header",
        (Delivery::Header, Disposition::Report) => "Content-Security-Policy-Report-Only header",
    };
    if same.len() == 1 {
        format!("the {name}")
    } else {
        let n = same.iter().position(|&j| j == i).unwrap_or(0) + 1;
        format!("policy {n} of the {name}")
    }
}

fn fix_text(changes: &[Change], policies: &[Policy]) -> String {
    let mut order: Vec<usize> = vec![];
    for c in changes {
        if !order.contains(&c.policy) {
            order.push(c.policy);
        }
    }
    order
        .iter()
        .map(|&p| {
            let edits: Vec<String> = changes
                .iter()
                .filter(|c| c.policy == p)
                .map(|c| match c.added {
                    true => format!("add `{}`", c.directive()),
                    false => format!("change {} to `{}`", c.name, c.directive()),
                })
                .collect();
            format!("In {}: {}.", place(policies, p), edits.join("; "))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Every policy the page is served: its headers' (enforced, then report-only), then its
/// `<meta>` tags'.
fn policies_of(page: &HttpsResponse) -> Vec<Policy> {
    let mut policies = vec![];
    for (header, disposition) in [
        ("content-security-policy", Disposition::Enforce),
        ("content-security-policy-report-only", Disposition::Report),
    ] {
        for value in page.headers.get_all(header) {
            let value = String::from_utf8_lossy(value.as_bytes());
            policies.extend(csp::header_policies(&value, disposition));
        }
    }
    policies.extend(csp::meta_policies(&String::from_utf8_lossy(&page.body)));
    policies
}

async fn site_csp(ctx: &CheckContext) -> Outcome {
    let HomePage { url: origin, page } = match ctx.home_page().await {
        Ok(p) => p,
        Err(why) => return Outcome::skip(format!("Skipped: {why}.")),
    };
    let frontend_api = production_frontend_api(
        &ctx.layout().await.clerk_domain,
        ctx.inputs.publishable_key.as_deref(),
    );
    let Some(needs) = clerk_needs(&frontend_api, origin) else {
        return Outcome::skip(format!(
            "Skipped: {frontend_api} (from the publishable key) is not a host name."
        ));
    };
    judge(origin, &policies_of(page), &needs)
}

/// The verdict on a page's policies.
fn judge(origin: &Url, policies: &[Policy], needs: &[Need]) -> Outcome {
    let site = origin.as_str().trim_end_matches('/');
    let of = |d: Disposition| -> Vec<(usize, &Policy)> {
        policies
            .iter()
            .enumerate()
            .filter(|(_, p)| p.disposition == d)
            .collect()
    };
    let (enforced, reported) = (of(Disposition::Enforce), of(Disposition::Report));
    let report_note = report_only_note(needs, policies, &reported, origin);
    if enforced.is_empty() {
        let detail = if reported.is_empty() {
            format!("{site} sends no Content-Security-Policy: nothing stops Clerk")
        } else {
            format!("{site} has only report-only policies, which block nothing{report_note}")
        };
        return Outcome::pass(detail);
    }
    let verdicts = verdicts(needs, &enforced, origin);
    let blocked = blocked(&verdicts);
    let named = |pick: &dyn Fn(&Need, &Verdict) -> bool| -> Vec<&str> {
        verdicts
            .iter()
            .filter(|(n, v)| pick(n, v))
            .map(|(n, _)| n.what.as_str())
            .collect()
    };
    let broken = named(&|n, v| matches!(v, Verdict::Blocked(_)) && n.degraded.is_none());
    let with_nonce = named(&|_, v| matches!(v, Verdict::WithNonce));
    let inserted = named(&|_, v| matches!(v, Verdict::OnlyInserted));
    let degraded: Vec<String> = verdicts
        .iter()
        .filter_map(|(n, v)| match (v, n.degraded) {
            (Verdict::Blocked(_), Some(why)) => Some(format!("{} ({why})", n.what)),
            _ => None,
        })
        .collect();
    let changes = changes(&blocked, policies);
    let mut detail = format!("{site}'s Content-Security-Policy ");
    if broken.is_empty() {
        detail.push_str(
            "lets Clerk load its script, call its Frontend API, show its images and style its \
             components",
        );
    } else {
        detail.push_str(&format!("blocks {}: sign-in cannot work", list(&broken)));
    }
    if !degraded.is_empty() {
        let also = if broken.is_empty() {
            "but it"
        } else {
            "it also"
        };
        detail.push_str(&format!(
            "; {also} blocks {}",
            list(&degraded.iter().map(String::as_str).collect::<Vec<_>>())
        ));
    } else if broken.is_empty() {
        detail.push_str(", and allows bot protection and its timer worker");
    }
    if !with_nonce.is_empty() {
        detail.push_str(&format!(
            "; the page's nonce is what allows {}: Clerk's SDK adds it when it is given it \
             (Clerk's strict mode does)",
            list(&with_nonce)
        ));
    }
    if !inserted.is_empty() {
        detail.push_str(&format!(
            "; 'strict-dynamic' allows {} only when a script inserts it: a <script> tag \
             without the page's nonce (Next.js renders Clerk's) is blocked",
            list(&inserted)
        ));
    }
    detail.push_str(&report_note);
    let mut fix = fix_text(&changes, policies);
    if !inserted.is_empty() {
        fix = format!(
            "{fix} Give Clerk's script tag the page's per-request nonce (Next.js: \
             <ClerkProvider dynamic> reads it from the x-nonce header Clerk's strict CSP sets, \
             or pass ClerkProvider's nonce prop)."
        )
        .trim_start()
        .to_string();
    }
    let outcome = if !broken.is_empty() {
        Outcome::fail(detail, fix)
    } else if !degraded.is_empty() || !inserted.is_empty() {
        Outcome::warn(detail, fix)
    } else {
        return Outcome::pass(detail);
    };
    if changes.is_empty() {
        return outcome;
    }
    let (expected, actual): (Vec<String>, Vec<String>) = changes
        .iter()
        .map(|c| (c.directive(), c.found.clone()))
        .unzip();
    outcome.evidence(expected.join("; "), actual.join("; "))
}

/// What report-only policies would block once enforced, and the change that avoids it.
fn report_only_note(
    needs: &[Need],
    policies: &[Policy],
    reported: &[(usize, &Policy)],
    origin: &Url,
) -> String {
    let verdicts = verdicts(needs, reported, origin);
    let blocked = blocked(&verdicts);
    if blocked.is_empty() {
        return String::new();
    }
    let what: Vec<&str> = blocked.iter().map(|(n, _)| n.what.as_str()).collect();
    format!(
        "; a report-only policy would block {} (browsers only report it now): before \
         enforcing it, {}",
        list(&what),
        lowercase_first(&fix_text(&changes(&blocked, policies), policies))
    )
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::CheckStatus;

    const CORPUS: &str = include_str!("../../tests/fixtures/csp_corpus.txt");

    fn origin() -> Url {
        Url::parse("https://quillmate.test/").unwrap()
    }

    fn outcome(headers: &[&str], report_only: &[&str], html: &str) -> Outcome {
        let mut policies = vec![];
        for h in headers {
            policies.extend(csp::header_policies(h, Disposition::Enforce));
        }
        for h in report_only {
            policies.extend(csp::header_policies(h, Disposition::Report));
        }
        policies.extend(csp::meta_policies(html));
        let needs = clerk_needs("clerk.quillmate.test", &origin()).unwrap();
        judge(&origin(), &policies, &needs)
    }

    fn text(o: &Outcome) -> String {
        let e = o.evidence.as_ref();
        format!(
            "{}\n{}\n{}\n{}",
            o.detail,
            o.fix.as_deref().unwrap_or_default(),
            e.map(|e| e.expected.as_str()).unwrap_or_default(),
            e.map(|e| e.actual.as_str()).unwrap_or_default()
        )
    }

    #[test]
    fn the_corpus_gets_its_verdicts() {
        let cases: Vec<&str> = CORPUS.split("\n== ").skip(1).collect();
        assert!(cases.len() >= 20, "{}", cases.len());
        for case in cases {
            let name = case.lines().next().unwrap();
            let field = |key: &str| -> Vec<&str> {
                case.lines()
                    .filter_map(|l| l.strip_prefix(key)?.strip_prefix(": "))
                    .collect()
            };
            let o = outcome(
                &field("header"),
                &field("report-only"),
                &field("html").concat(),
            );
            let want = match field("expect")[..] {
                ["pass"] => CheckStatus::Pass,
                ["warn"] => CheckStatus::Warn,
                ["fail"] => CheckStatus::Fail,
                _ => panic!("{name}: no expect"),
            };
            let all = text(&o);
            assert_eq!(o.status, want, "{name}:\n{all}");
            for has in field("has") {
                assert!(all.contains(has), "{name}: wants {has:?}:\n{all}");
            }
            // A pass says nothing to fix and compares nothing; anything else says both.
            assert_eq!(o.fix.is_none(), want == CheckStatus::Pass, "{name}");
            if want == CheckStatus::Fail {
                assert!(o.evidence.is_some(), "{name}");
            }
        }
    }

    #[test]
    fn a_failure_shows_the_directive_needed_and_the_one_found() {
        let o = outcome(&["default-src 'self'; script-src 'self'"], &[], "");
        assert_eq!(o.status, CheckStatus::Fail);
        let e = o.evidence.unwrap();
        assert_eq!(
            e.expected,
            "script-src 'self' https://clerk.quillmate.test https://challenges.cloudflare.com; \
             connect-src 'self' https://clerk.quillmate.test; \
             img-src 'self' https://img.clerk.com; style-src 'self' 'unsafe-inline'; \
             frame-src 'self' https://challenges.cloudflare.com; worker-src 'self' blob:"
        );
        assert_eq!(
            e.actual,
            "script-src 'self'; no connect-src: falls back to default-src 'self'; \
             no img-src: falls back to default-src 'self'; \
             no style-src: falls back to default-src 'self'; \
             no frame-src: falls back to default-src 'self'; \
             no worker-src: falls back to script-src 'self'"
        );
    }

    #[test]
    fn the_most_specific_directive_in_effect_is_the_one_changed() {
        let o = outcome(
            &["script-src-elem 'self'; script-src https:; default-src https: 'unsafe-inline' blob:"],
            &[],
            "",
        );
        let fix = o.fix.unwrap();
        assert!(
            fix.contains(
                "change script-src-elem to `script-src-elem 'self' https://clerk.quillmate.test"
            ),
            "{fix}"
        );
        // A fallback is copied into a new directive, never widened itself.
        let o = outcome(
            &["child-src 'self'; default-src https: 'unsafe-inline'"],
            &[],
            "",
        );
        let fix = o.fix.unwrap();
        assert!(
            fix.contains("add `frame-src 'self' https://challenges.cloudflare.com`"),
            "{fix}"
        );
        assert!(fix.contains("add `worker-src 'self' blob:`"), "{fix}");
        assert!(!fix.contains("child-src"), "{fix}");
    }

    #[test]
    fn report_only_policies_block_nothing_but_are_mentioned() {
        let blocking = "default-src 'none'";
        let enforced = outcome(&[blocking], &[], "");
        assert_eq!(enforced.status, CheckStatus::Fail);
        let reported = outcome(&[], &[blocking], "");
        assert_eq!(reported.status, CheckStatus::Pass);
        assert!(reported.detail.contains("a report-only policy would block"));
        // Beside an enforced policy that lets Clerk work: still a pass, with the note.
        let both = outcome(&["frame-ancestors 'none'"], &[blocking], "");
        assert_eq!(both.status, CheckStatus::Pass);
        assert!(both.detail.contains("report-only"), "{}", both.detail);
        // A <meta> report-only policy does not exist: browsers ignore it.
        let meta = "<meta http-equiv=\"Content-Security-Policy-Report-Only\" content=\"default-src 'none'\">";
        assert!(outcome(&[], &[], meta)
            .detail
            .contains("sends no Content-Security-Policy"));
    }

    #[test]
    fn a_nonce_only_clerk_gets_is_a_pass_with_a_note() {
        let o = outcome(
            &["script-src 'nonce-abc'; style-src 'nonce-abc'; connect-src https:; img-src https:; \
               frame-src https:; worker-src blob:"],
            &[],
            "",
        );
        assert_eq!(o.status, CheckStatus::Pass, "{}", text(&o));
        assert!(
            o.detail.contains(
                "the page's nonce is what allows Clerk's script from https://clerk.quillmate.test, \
                 the inline styles of Clerk's components and bot protection's script from \
                 https://challenges.cloudflare.com"
            ),
            "{}",
            o.detail
        );
        // Two policies with different nonces: one tag cannot carry both.
        let o = outcome(
            &["script-src 'nonce-abc'", "script-src 'nonce-xyz'"],
            &[],
            "",
        );
        assert_eq!(o.status, CheckStatus::Fail, "{}", text(&o));
    }
}
