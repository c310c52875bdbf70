//! Approvals the policy requires before a document is submitted, accepted or acted on.

use super::{Context, Findings};
use crate::diag::{Finding, RuleId};
use crate::model::{Document, Kind, Stage};
use crate::record::{Digest, content_digest};
use crate::workspace::policy::Threshold;
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
        // Records of what happened during delivery commit the firm to nothing.
        Kind::Escalation | Kind::Complaint | Kind::DecisionLog => false,
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
        required_roles(context, doc, findings);
    }
}

fn required_roles(context: &Context, doc: &Document, findings: &mut Findings) {
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

/// Why `doc` cannot be issued as it stands, whatever its stage: every approval its policy
/// requires (roles and thresholds), and no current rejection.
pub fn release_blockers(context: &Context, doc: &Document) -> Vec<Finding> {
    let mut findings = Findings::default();
    required_roles(context, doc, &mut findings);
    for threshold in context.policy.approval_thresholds.iter().filter(|t| t.kind == doc.kind.name()) {
        above_threshold(context, doc, threshold, &mut findings);
    }
    let digest = content_digest(&doc.data);
    for (i, approval) in current_approvals(doc) {
        let bound_here = approval_digest(approval).is_none_or(|d| d == digest);
        if approval.get("decision").and_then(Value::as_str) == Some("rejected") && bound_here {
            let who = describe(approval);
            findings.add(
                RuleId::RequiredApprovals,
                doc,
                &format!("/approvals/{i}"),
                format!("{who} rejected this content"),
            );
        }
    }
    findings.list
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
            above_threshold(context, doc, threshold, findings);
        }
    }
}

fn above_threshold(context: &Context, doc: &Document, threshold: &Threshold, findings: &mut Findings) {
    let Some(value) = value_at_stake(context, doc).filter(|v| *v > threshold.above) else { return };
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

/// The approvals that stand: for each person and role, the last one recorded (an earlier one is
/// superseded by a later decision of the same person in the same role), with its index.
pub(super) fn current_approvals(doc: &Document) -> Vec<(usize, &Value)> {
    let approvals: Vec<&Value> = doc.data.get("approvals").and_then(Value::as_array).into_iter().flatten().collect();
    let key = |a: &Value| {
        let text = |f: &str| a.get(f).and_then(Value::as_str).unwrap_or_default().to_lowercase();
        (text("role"), text("name"))
    };
    let superseded = |i: usize| approvals[i + 1..].iter().any(|later| key(later) == key(approvals[i]));
    approvals.iter().enumerate().filter(|(i, _)| !superseded(*i)).map(|(i, a)| (i, *a)).collect()
}

fn approval_digest(approval: &Value) -> Option<Digest> {
    approval.get("content_hash")?.as_str()?.parse().ok()
}

pub(super) fn describe(approval: &Value) -> String {
    let text = |f: &str| approval.get(f).and_then(Value::as_str).unwrap_or_default();
    format!("{} ({})", text("name"), text("role"))
}

/// Approvals bound to content that has changed since (stale), and approvals bound to nothing.
pub fn bound_approvals(context: &Context, findings: &mut Findings) {
    let docs: Vec<&Document> = context.corpus.iter().collect();
    // Hashing every document's content is the costliest check: spread it over the cores.
    let digests = crate::parallel::map(&docs, crate::parallel::default_workers(), |doc| content_digest(&doc.data));
    for (doc, digest) in docs.into_iter().zip(digests) {
        for (i, approval) in current_approvals(doc) {
            if approval.get("decision").and_then(Value::as_str) != Some("approved") {
                continue;
            }
            let who = describe(approval);
            match approval_digest(approval) {
                Some(approved) if approved != digest => findings.add(
                    RuleId::StaleApproval,
                    doc,
                    &format!("/approvals/{i}/content_hash"),
                    format!(
                        "the approval by {who} is for other content: the document has changed since it was approved"
                    ),
                ),
                Some(_) => {}
                None => findings.add(
                    RuleId::UnboundApproval,
                    doc,
                    &format!("/approvals/{i}"),
                    format!("the approval by {who} is not bound to the content it approved (no content_hash)"),
                ),
            }
        }
    }
}
