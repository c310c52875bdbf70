//! Waivers: a finding the policy accepts until a date is reported as waived; an expired waiver is
//! an error (its finding counts again), and a waiver that matches nothing is a warning.

use super::Context;
use crate::diag::display_path;
use crate::diag::{Finding, RuleId, Waiver};
use crate::source::Span;
use crate::workspace::policy::WaiverRule;
use chrono::NaiveDate;

pub fn apply(context: &Context, mut findings: Vec<Finding>) -> Vec<Finding> {
    let mut extra = Vec::new();
    for (i, rule) in context.policy.waivers.iter().enumerate() {
        let expired = NaiveDate::parse_from_str(&rule.expires, "%Y-%m-%d").map_or(true, |d| d < context.today);
        let mut matched = false;
        for finding in findings.iter_mut().filter(|f| f.waived.is_none() && matches(context, rule, f)) {
            matched = true;
            if !expired {
                finding.waived = Some(Waiver {
                    reason: rule.reason.clone(),
                    approver: rule.approver.clone(),
                    expires: rule.expires.clone(),
                });
            }
        }
        if expired {
            let message = format!("the waiver of {} for {} expired on {}", rule.rule, rule.target(), rule.expires);
            extra.push(at_waiver(context, i, "/expires", RuleId::WaiverExpired, message));
        } else if !matched {
            let message = format!("the waiver of {} for {} matches no finding", rule.rule, rule.target());
            extra.push(at_waiver(context, i, "", RuleId::WaiverUnused, message));
        }
    }
    findings.extend(extra);
    findings
}

/// A waiver covers findings of its rule in its document (or file), in its field and below (or
/// everywhere in it).
fn matches(context: &Context, rule: &WaiverRule, finding: &Finding) -> bool {
    let field = rule.field.as_deref().unwrap_or_default();
    let in_document = |id: &str| finding.document.as_ref().is_some_and(|d| d.as_str() == id);
    let in_file = |path: &str| display_path(context.sources.path(finding.span.file)) == path;
    finding.rule.code() == rule.rule
        && (rule.document.as_deref().is_some_and(in_document) || rule.file.as_deref().is_some_and(in_file))
        && (field.is_empty()
            || finding.field == field
            || finding.field.starts_with(&format!("{field}."))
            || finding.field.starts_with(&format!("{field}[")))
}

fn at_waiver(context: &Context, index: usize, field: &str, rule: RuleId, message: String) -> Finding {
    let (file, spans) = context.settings;
    let at = spans.locate(&format!("/policy/waivers/{index}{field}"));
    let span = Span { file, start: at.key.map_or(at.start, |k| k.0), end: at.end };
    let info = rule.info();
    let mut finding = Finding::error(rule, span, message, info.fix)
        .at_field(format!("policy.waivers[{index}]{}", field.replace('/', ".")));
    finding.severity = info.severity;
    finding
}
