//! Approvals the policy requires before a document is submitted, accepted or acted on.

use super::{Context, Findings};
use crate::diag::RuleId;
use crate::model::{Document, Kind, Stage};
use serde_json::Value;

/// Whether the document has reached the point where its approvals must be in place.
fn committed(context: &Context, doc: &Document) -> bool {
    let stage = || context.engagement_of(doc).and_then(|e| Stage::parse(e.text("stage")?));
    match doc.kind {
        Kind::Proposal => matches!(doc.text("status"), Some("submitted" | "accepted")),
        Kind::StatementOfWork => stage().is_some_and(|s| s.reached(Stage::Delivery)),
        Kind::ChangeRequest => matches!(doc.text("status"), Some("approved" | "implemented")),
        Kind::Engagement => stage().is_some_and(|s| s.reached(Stage::Contracting)),
        Kind::LessonsLearned => stage() == Some(Stage::Closed),
    }
}

/// Whether a role has an approved, dated approval on the document.
fn approved_by(doc: &Document, role: &str) -> bool {
    doc.data.get("approvals").and_then(Value::as_array).into_iter().flatten().any(|a| {
        let text = |f: &str| a.get(f).and_then(Value::as_str);
        text("role").is_some_and(|r| r.eq_ignore_ascii_case(role))
            && text("decision") == Some("approved")
            && text("date").is_some()
    })
}

pub fn required_approvals(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter().filter(|d| committed(context, d)) {
        for role in context.policy.required_roles(doc.kind.name()) {
            if !approved_by(doc, &role) {
                findings.add(
                    RuleId::RequiredApprovals,
                    doc,
                    "/approvals",
                    format!("no approved, dated approval by the {role}"),
                );
            }
        }
    }
}

/// The value a threshold is compared with: a statement of work's contract value, a change's cost.
fn value_at_stake(context: &Context, doc: &Document) -> Option<f64> {
    match doc.kind {
        Kind::StatementOfWork => context.engagement_of(doc)?.data.pointer("/contract/value/amount")?.as_f64(),
        Kind::ChangeRequest => doc.data.pointer("/impact/cost/amount")?.as_f64().map(f64::abs),
        _ => None,
    }
}

pub fn threshold(context: &Context, findings: &mut Findings) {
    for threshold in &context.policy.approval_thresholds {
        let docs = context.corpus.iter().filter(|d| d.kind.name() == threshold.kind && committed(context, d));
        for doc in docs {
            let Some(value) = value_at_stake(context, doc).filter(|v| *v > threshold.above) else { continue };
            if !approved_by(doc, &threshold.role) {
                findings.add(
                    RuleId::ApprovalThreshold,
                    doc,
                    "/approvals",
                    format!(
                        "{value:.2} is above the policy threshold of {:.2}: an approval by the {} is needed",
                        threshold.above, threshold.role
                    ),
                );
            }
        }
    }
}
