//! The report as a file to keep or share: Markdown for people (grouped by step, each fix
//! under its check) or the CLI contract's JSON. Never with a secret in it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::checks::{step_of, CheckStatus, Report, Step};
use crate::error::{Error, Result};
use crate::secrets::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Markdown,
    Json,
}

impl ReportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Json => "json",
        }
    }
}

const STEPS: &[(Step, &str)] = &[
    (Step::Clerk, "Clerk"),
    (Step::Dns, "DNS"),
    (Step::Sso, "Social sign-in"),
    (Step::Hosting, "Hosting"),
    (Step::Supabase, "Supabase"),
];

fn mark(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "✅ pass",
        CheckStatus::Warn => "⚠️ warn",
        CheckStatus::Fail => "❌ fail",
        CheckStatus::Skip => "⏭️ skip",
    }
}

/// Text from checks and vendors (already `printable`: one line) as Markdown that reads as
/// that very text: every character that could open a link, an image, emphasis, code, raw
/// HTML or an entity, or end a table cell, escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A value shown verbatim (expected and found; already `printable`): a code span fenced by
/// more backticks than the value holds in a row, so no value can close it (inside, nothing
/// else is markup).
fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A value that starts or ends with a backtick needs a space between it and the fence
    // (CommonMark strips one on each side).
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// Vendor and site text as a terminal or a file may show it: a control character (a newline
/// that would fake a line, an escape sequence that would restyle the terminal) or a
/// bidirectional override becomes a space.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let reorders = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || reorders {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The report with every text in it `printable`.
pub fn printable_report(r: &Report) -> Report {
    let mut r = r.clone();
    r.domain = printable(&r.domain);
    for c in &mut r.checks {
        c.title = printable(&c.title);
        c.detail = printable(&c.detail);
        c.fix = c.fix.as_deref().map(printable);
        if let Some(e) = &mut c.evidence {
            e.expected = printable(&e.expected);
            e.actual = printable(&e.actual);
        }
    }
    r
}

pub fn markdown(r: &Report) -> String {
    let r = &printable_report(r);
    let m = &r.summary;
    let mut out = format!(
        "# Golive report for {}\n\nLayout: {}\n\n**{} passed · {} warnings · {} failed · {} skipped**\n",
        text(&r.domain),
        text(&printable(&r.layout.describe())),
        m.pass,
        m.warn,
        m.fail,
        m.skip
    );
    for (step, title) in STEPS {
        let checks: Vec<_> = r
            .checks
            .iter()
            .filter(|c| step_of(&c.id) == Some(*step))
            .collect();
        if checks.is_empty() {
            continue;
        }
        out += &format!("\n## {title}\n\n| | Check | Result |\n|---|---|---|\n");
        for c in &checks {
            out += &format!(
                "| {} | `{}` {} | {} |\n",
                mark(c.status),
                c.id,
                text(&c.title),
                text(&c.detail)
            );
        }
        let fixes: Vec<_> = checks
            .iter()
            .filter_map(|c| c.fix.as_ref().map(|f| (c, f)))
            .collect();
        if !fixes.is_empty() {
            out += "\nTo fix:\n\n";
            for (c, fix) in fixes {
                out += &format!("- **`{}`**: {}\n", c.id, text(fix));
                if let Some(e) = &c.evidence {
                    out += &format!(
                        "  expected {}, found {}\n",
                        code(&e.expected),
                        code(&e.actual)
                    );
                }
            }
        }
    }
    out
}

/// Whether any secret of 8 characters or more is in `text`, however it was written there:
/// split over lines or cells (whitespace and control characters are ignored on both
/// sides), JSON-escaped (`\n`, `\"`, `\u0041`…) or Markdown-escaped (`\_`).
fn contains_any(text: &str, secrets: &[Secret]) -> bool {
    let text = squashed(&unescaped(text));
    secrets
        .iter()
        .map(|s| squashed(s.expose()))
        .any(|s| s.len() >= 8 && text.contains(&s))
}

/// Without whitespace and control characters (which the Markdown turns into spaces).
fn squashed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect()
}

/// `text` with JSON's and Markdown's backslash escapes undone (`\n` as a line break, so it
/// is then ignored like one).
fn unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'r' | 't' | 'b' | 'f') => out.push('\n'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => {
                        out.push(decoded);
                        chars.nth(3);
                    }
                    _ => out.push('u'),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The file's text, refused if any of `secrets` would be in it.
pub fn render(r: &Report, format: ReportFormat, secrets: &[Secret]) -> Result<String> {
    let text = match format {
        ReportFormat::Markdown => markdown(r),
        ReportFormat::Json => {
            serde_json::to_string_pretty(r).map_err(|e| Error::Config(format!("report: {e}")))?
                + "\n"
        }
    };
    if contains_any(&text, secrets) {
        return Err(Error::invalid(
            "report_contains_secret",
            "The report would contain one of your secrets, so it was not saved. Please report \
             this as a bug.",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckResult, Summary};

    fn report() -> Report {
        let c = |id: &str, status, fix: Option<&str>| CheckResult {
            id: id.into(),
            status,
            title: format!("Title of {id}"),
            detail: format!("Detail | of {id}"),
            fix: fix.map(str::to_string),
            evidence: fix.map(|_| crate::checks::Evidence {
                expected: format!("expected of {id}"),
                actual: format!("actual of {id}"),
            }),
        };
        Report {
            domain: "quillmate.site".into(),
            layout: crate::layout::resolve("quillmate.site", &Default::default(), None, None),
            checks: vec![
                c("clerk.secret_key", CheckStatus::Pass, None),
                c("dns.clerk", CheckStatus::Fail, Some("Add a CNAME record.")),
                c("site.publishable_key", CheckStatus::Warn, Some("Redeploy.")),
            ],
            summary: Summary {
                pass: 1,
                warn: 1,
                fail: 1,
                skip: 0,
            },
        }
    }

    #[test]
    fn vendor_text_cannot_fake_a_line_or_drive_the_terminal() {
        let mut r = report();
        r.checks[0].detail = "ok\n  PASS  clerk.fake  all good\x1b[2J\u{202E}".into();
        r.checks[0].fix = Some("\x1b]8;;https://evil.example\x07click".into());
        for text in [markdown(&r), crate::cli::render_table(&r)] {
            assert!(
                !text.contains('\x1b') && !text.contains('\u{202E}'),
                "{text:?}"
            );
            assert!(!text.contains('\x07'), "{text:?}");
            assert!(
                !text
                    .lines()
                    .any(|l| l.trim_start().starts_with("PASS  clerk.fake")),
                "{text}"
            );
        }
    }

    #[test]
    fn markdown_groups_by_step_with_the_fixes() {
        let md = markdown(&report());
        assert!(md.starts_with("# Golive report for quillmate.site\n"));
        assert!(md.contains("**1 passed · 1 warnings · 1 failed · 0 skipped**"));
        let (clerk, dns, hosting) = (
            md.find("## Clerk").unwrap(),
            md.find("## DNS").unwrap(),
            md.find("## Hosting").unwrap(),
        );
        assert!(clerk < dns && dns < hosting);
        assert!(
            md.contains("| ❌ fail | `dns.clerk` Title of dns.clerk | Detail \\| of dns.clerk |"),
            "{md}"
        );
        assert!(md.contains(
            "- **`dns.clerk`**: Add a CNAME record.\n  expected `expected of dns.clerk`, found `actual of dns.clerk`"
        ));
        assert!(!md.contains("## Supabase"), "empty steps are left out");
    }

    /// What a CommonMark reader (GitHub's flavour: tables, strikethrough) makes of `md`.
    fn parsed(md: &str) -> Vec<pulldown_cmark::Event<'_>> {
        use pulldown_cmark::{Options, Parser};
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect()
    }

    /// A vendor's words that try every kind of markup come out as those very words: no
    /// HTML, no link or image, no emphasis, no extra cell; and the evidence as code.
    #[test]
    fn vendor_text_cannot_inject_markdown_or_html() {
        use pulldown_cmark::{Event, Tag, TagEnd};
        let hostile = concat!(
            "<img src=x onerror=alert(1)> [click](https://evil.test) ",
            "![i](https://evil.test/i.png) *em* __strong__ ~~gone~~ | cell &amp; `code` \\<b>"
        );
        let evidence = "``` </code><script>alert(1)</script> `x` [a](https://evil.test)\nline";
        let mut r = report();
        r.checks[1].title = format!("Title {hostile}");
        r.checks[1].detail = hostile.into();
        r.checks[1].fix = Some(format!("Fix: {hostile}"));
        r.checks[1].evidence = Some(crate::checks::Evidence {
            expected: evidence.into(),
            actual: format!("`{evidence}`"),
        });
        let md = markdown(&r);
        let events = parsed(&md);
        for e in &events {
            assert!(
                !matches!(
                    e,
                    Event::Html(_)
                        | Event::InlineHtml(_)
                        | Event::Start(Tag::Link { .. } | Tag::Image { .. })
                        | Event::Start(Tag::Emphasis | Tag::Strikethrough)
                ),
                "{e:?} in\n{md}"
            );
        }
        // The text of the dns.clerk row's cells, and of its fix's line.
        let mut cells: Vec<String> = vec![];
        let mut current: Option<String> = None;
        let mut in_fix = false;
        let mut fix_line = String::new();
        let mut codes: Vec<String> = vec![];
        for e in &events {
            match e {
                Event::Start(Tag::TableCell) => current = Some(String::new()),
                Event::End(TagEnd::TableCell) => cells.extend(current.take()),
                Event::Start(Tag::Item) => in_fix = true,
                Event::End(TagEnd::Item) => in_fix = false,
                Event::Text(t) | Event::Code(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(t);
                    }
                    if in_fix {
                        fix_line.push_str(t);
                    }
                    if in_fix && matches!(e, Event::Code(_)) {
                        codes.push(t.to_string());
                    }
                }
                Event::SoftBreak if in_fix => fix_line.push('\n'),
                _ => {}
            }
        }
        let row = cells
            .chunks(3)
            .find(|row| row[1].starts_with("dns.clerk"))
            .unwrap_or_else(|| panic!("no dns.clerk row in {cells:?}\n{md}"));
        assert_eq!(row[1], format!("dns.clerk Title {hostile}"));
        assert_eq!(row[2], hostile);
        assert!(
            fix_line.contains(&format!("Fix: {hostile}")),
            "{fix_line}\n{md}"
        );
        let one_line = evidence.replace('\n', " ");
        assert!(codes.contains(&one_line), "{codes:?}\n{md}");
        assert!(codes.contains(&format!("`{one_line}`")), "{codes:?}\n{md}");
    }

    #[test]
    fn a_secret_split_over_lines_or_escaped_is_refused() {
        let secret = Secret::new("sk_live_canary123456789");
        let quoted = Secret::new("tok\"en/with\\quotes\u{7}");
        let pem = Secret::new(
            "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\n\
             -----END PRIVATE KEY-----\n",
        );
        let secrets = [secret.clone(), quoted.clone(), pem.clone()];
        let leaks = [
            // Wrapped by whoever wrote the detail: Markdown turns the break into a space.
            (
                ReportFormat::Markdown,
                "sk_live_canary12\n3456789".to_string(),
            ),
            (ReportFormat::Json, "sk_live_canary12\n3456789".to_string()),
            // Characters JSON escapes (\", \\, \u0007) or Markdown escapes (\_).
            (ReportFormat::Json, format!("token {}", quoted.expose())),
            (ReportFormat::Markdown, format!("token {}", quoted.expose())),
            (ReportFormat::Json, format!("the key: {}", pem.expose())),
            (ReportFormat::Markdown, format!("the key: {}", pem.expose())),
        ];
        for (format, detail) in leaks {
            let mut leaky = report();
            leaky.checks[1].detail = detail.clone();
            assert_eq!(
                render(&leaky, format, &secrets).unwrap_err().code(),
                "report_contains_secret",
                "{format:?}: {detail:?}"
            );
        }
        // Its evidence too, and nothing else is refused.
        let mut leaky = report();
        leaky.checks[1].evidence.as_mut().unwrap().actual = secret.expose().to_string();
        assert!(render(&leaky, ReportFormat::Markdown, &secrets).is_err());
        for format in [ReportFormat::Markdown, ReportFormat::Json] {
            render(&report(), format, &secrets).unwrap();
        }
    }

    #[test]
    fn json_is_the_cli_contract_and_secrets_are_refused() {
        let json = render(&report(), ReportFormat::Json, &[]).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back.checks.len(), 3);
        let mut leaky = report();
        leaky.checks[0].detail = "it was sk_live_canary123456".into();
        let err = render(
            &leaky,
            ReportFormat::Markdown,
            &[Secret::new("sk_live_canary123456")],
        )
        .unwrap_err();
        assert_eq!(err.code(), "report_contains_secret");
    }
}
