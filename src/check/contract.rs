//! Contract review and acceptance.

use super::{Context, Findings, present};
use crate::diag::RuleId;
use crate::model::{Kind, Stage};
use serde_json::Value;

pub fn contract_recorded(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if stage.reached(Stage::Contracting) && !present(engagement.data.get("contract")) {
            findings.add(
                RuleId::ContractTermsRecorded,
                engagement,
                "/stage",
                "the engagement is contracting or later but its contract terms are not recorded",
            );
        }
    }
}

pub fn contract_reviewed(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if !stage.reached(Stage::Delivery) {
            continue;
        }
        match engagement.data.pointer("/contract_review/outcome").and_then(Value::as_str) {
            None => findings.add(
                RuleId::ContractReviewed,
                engagement,
                "/stage",
                "the contract was accepted (stage delivery or later) without a recorded contract review",
            ),
            Some("rejected") => findings.add(
                RuleId::ContractReviewed,
                engagement,
                "/contract_review/outcome",
                "the contract review rejected the contract, yet the engagement is in delivery",
            ),
            Some(_) => {}
        }
    }
}

pub fn delivery_roles(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if !stage.reached(Stage::Delivery) {
            continue;
        }
        if !present(engagement.data.pointer("/roles/delivery_lead")) {
            findings.add(
                RuleId::DeliveryRolesAgreed,
                engagement,
                "/roles",
                "no delivery lead is named, yet the engagement has reached delivery",
            );
        }
        if !present(engagement.data.get("escalation_matrix")) {
            findings.add(
                RuleId::DeliveryRolesAgreed,
                engagement,
                "/stage",
                "no escalation matrix is agreed, yet the engagement has reached delivery",
            );
        }
    }
}

pub fn accepted_with_sow(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if stage.reached(Stage::Delivery) && context.members(engagement, Kind::StatementOfWork).is_empty() {
            findings.add(
                RuleId::AcceptedWithSow,
                engagement,
                "/stage",
                "the engagement is in delivery or closed but has no statement of work",
            );
        }
    }
}
