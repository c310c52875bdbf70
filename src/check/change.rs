//! Change control.

use super::{Context, Findings, date, deliverable_ids, present};
use crate::diag::RuleId;
use crate::model::{Document, Kind};
use serde_json::Value;

const DIMENSIONS: [&str; 5] = ["quality", "risk", "cost", "timeline", "compliance"];

fn status(change: &Document) -> &str {
    change.text("status").unwrap_or_default()
}

fn decided(change: &Document) -> bool {
    matches!(status(change), "assessed" | "approved" | "rejected" | "implemented")
}

fn approved(change: &Document) -> bool {
    matches!(status(change), "approved" | "implemented")
}

pub fn impact_assessed(context: &Context, findings: &mut Findings) {
    for change in context.of_kind(Kind::ChangeRequest).filter(|c| decided(c)) {
        let missing: Vec<&str> =
            DIMENSIONS.into_iter().filter(|d| !present(change.data.pointer(&format!("/impact/{d}")))).collect();
        if !missing.is_empty() {
            findings.add(
                RuleId::ImpactAssessed,
                change,
                "/impact",
                format!("the change is `{}` but its impact on {} is not assessed", status(change), missing.join(", ")),
            );
        }
    }
}

pub fn approved_with_agreement(context: &Context, findings: &mut Findings) {
    for change in context.of_kind(Kind::ChangeRequest).filter(|c| approved(c)) {
        if change.data.pointer("/client_agreement/agreed") != Some(&Value::Bool(true)) {
            findings.add(
                RuleId::ApprovedWithAgreement,
                change,
                "/status",
                format!("the change is `{}` without the client's recorded agreement", status(change)),
            );
        }
        if change.data.pointer("/internal_approval/decision").and_then(Value::as_str) != Some("approved") {
            findings.add(
                RuleId::ApprovedWithAgreement,
                change,
                "/status",
                format!("the change is `{}` without an internal approval", status(change)),
            );
        }
    }
}

pub fn implemented_after_approval(context: &Context, findings: &mut Findings) {
    for change in context.of_kind(Kind::ChangeRequest).filter(|c| status(c) == "implemented") {
        let Some(implemented) = date(change.data.get("implemented_on")) else {
            findings.add(
                RuleId::ImplementedAfterApproval,
                change,
                "/status",
                "the change is implemented but `implemented_on` is not recorded",
            );
            continue;
        };
        for pointer in ["/client_agreement/date", "/internal_approval/date"] {
            if let Some(approved) = date(change.data.pointer(pointer)).filter(|d| *d > implemented) {
                findings.add(
                    RuleId::ImplementedAfterApproval,
                    change,
                    "/implemented_on",
                    format!("implemented on {implemented}, before the approval of {approved}"),
                );
            }
        }
    }
}

pub fn affected_deliverables_exist(context: &Context, findings: &mut Findings) {
    for change in context.of_kind(Kind::ChangeRequest) {
        let Some(engagement) = context.engagement_of(change) else { continue };
        let known = deliverable_ids(context, engagement);
        let affected = change.data.get("affected_deliverables").and_then(Value::as_array).into_iter().flatten();
        for (i, id) in affected.enumerate() {
            let id = id.as_str().unwrap_or_default();
            if !known.contains(&id) {
                findings.add(
                    RuleId::AffectedDeliverablesExist,
                    change,
                    &format!("/affected_deliverables/{i}"),
                    format!("deliverable {id} is not defined in the engagement's statement of work"),
                );
            }
        }
    }
}

pub fn cost_reconciles(context: &Context, findings: &mut Findings) {
    for change in context.of_kind(Kind::ChangeRequest).filter(|c| approved(c)) {
        let contract = context
            .engagement_of(change)
            .and_then(|e| e.data.pointer("/contract/value/currency"))
            .and_then(Value::as_str);
        let cost = change.data.pointer("/impact/cost/currency").and_then(Value::as_str);
        if let (Some(contract), Some(cost)) = (contract, cost)
            && contract != cost
        {
            findings.add(
                RuleId::CostReconciles,
                change,
                "/impact/cost/currency",
                format!("the cost change is in {cost}, the contract in {contract}"),
            );
        }
    }
}
