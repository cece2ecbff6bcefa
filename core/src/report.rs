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

/// Table cells: one line, no pipes.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
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
        "# Golive report for {}\n\n**{} passed · {} warnings · {} failed · {} skipped**\n",
        r.domain, m.pass, m.warn, m.fail, m.skip
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
                cell(&c.title),
                cell(&c.detail)
            );
        }
        let fixes: Vec<_> = checks
            .iter()
            .filter_map(|c| c.fix.as_ref().map(|f| (c, f)))
            .collect();
        if !fixes.is_empty() {
            out += "\nTo fix:\n\n";
            for (c, fix) in fixes {
                out += &format!("- **`{}`**: {}\n", c.id, fix.replace('\n', " "));
                if let Some(e) = &c.evidence {
                    out += &format!("  expected `{}`, found `{}`\n", e.expected, e.actual);
                }
            }
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
    if secrets
        .iter()
        .map(|s| s.expose().trim())
        .any(|s| s.len() >= 8 && text.contains(s))
    {
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
