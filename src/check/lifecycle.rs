//! Enquiry, opportunity assessment and proposal.

use super::{Context, Findings, present};
use crate::diag::RuleId;
use crate::model::{Kind, Stage};
use serde_json::Value;

pub fn enquiry_logged(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if stage.reached(Stage::Assessment) && !present(engagement.data.get("enquiry")) {
            findings.add(
                RuleId::EnquiryLogged,
                engagement,
                "/stage",
                format!(
                    "the engagement is at stage `{}` but no enquiry is logged",
                    engagement.text("stage").unwrap_or_default()
                ),
            );
        }
    }
}

pub fn opportunity_assessed(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        let proposing = stage.reached(Stage::Proposal) || !context.members(engagement, Kind::Proposal).is_empty();
        if !proposing || stage == Stage::Declined {
            continue;
        }
        match engagement.data.pointer("/opportunity_assessment/decision").and_then(Value::as_str) {
            None => findings.add(
                RuleId::OpportunityAssessed,
                engagement,
                "/stage",
                "a proposal stage is reached but the opportunity was not assessed",
            ),
            Some("go") => {}
            Some(decision) => findings.add(
                RuleId::OpportunityAssessed,
                engagement,
                "/opportunity_assessment/decision",
                format!("the assessment decision is `{decision}`, yet the engagement has gone on to a proposal"),
            ),
        }
    }
}

pub fn decline_recorded(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        let decision = engagement.data.pointer("/opportunity_assessment/decision").and_then(Value::as_str);
        if stage == Stage::Declined && decision != Some("decline") {
            findings.add(
                RuleId::DeclineRecorded,
                engagement,
                "/stage",
                "the engagement is declined but no assessment records the decision to decline and why",
            );
        }
    }
}

pub fn proposal_content(context: &Context, findings: &mut Findings) {
    for proposal in context.of_kind(Kind::Proposal) {
        let missing: Vec<&str> =
            ["risks", "dependencies", "constraints"].into_iter().filter(|f| !present(proposal.data.get(*f))).collect();
        if !missing.is_empty() {
            findings.add(
                RuleId::ProposalRisksIdentified,
                proposal,
                "",
                format!("the proposal does not identify its {}", missing.join(", ")),
            );
        }
        if !present(proposal.data.get("information_security")) {
            findings.add(
                RuleId::ProposalSecurityStated,
                proposal,
                "",
                "the proposal states no information-security, data-protection or confidentiality requirements",
            );
        }
    }
}

/// Each line's amount is quantity × unit price; a stated total is the sum of the lines.
pub fn pricing_complete(context: &Context, findings: &mut Findings) {
    for proposal in context.of_kind(Kind::Proposal) {
        let Some(lines) = proposal.data.pointer("/pricing/lines").and_then(Value::as_array) else { continue };
        if lines.is_empty() {
            findings.add(RuleId::PricingComplete, proposal, "/pricing/lines", "the pricing has no lines");
        }
        let mut sum = 0.0;
        for (i, line) in lines.iter().enumerate() {
            let number = |field: &str| line.get(field).and_then(Value::as_f64);
            let expected = number("quantity").zip(number("unit_price")).map(|(q, p)| q * p).unwrap_or(0.0);
            match number("amount") {
                Some(amount) if !same_money(amount, expected) => findings.add(
                    RuleId::PricingComplete,
                    proposal,
                    &format!("/pricing/lines/{i}/amount"),
                    format!("the amount {amount:.2} is not quantity × unit price ({expected:.2})"),
                ),
                _ => {}
            }
            sum += number("amount").unwrap_or(expected);
        }
        if let Some(total) =
            proposal.data.pointer("/pricing/total").and_then(Value::as_f64).filter(|t| !same_money(*t, sum))
        {
            findings.add(
                RuleId::PricingComplete,
                proposal,
                "/pricing/total",
                format!("the total {total:.2} is not the sum of the lines ({sum:.2})"),
            );
        }
    }
}

/// Amounts agree to the cent.
pub fn same_money(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}
