//! Statements of work.

use super::lifecycle::same_money;
use super::{Context, Findings, date, present};
use crate::diag::RuleId;
use crate::model::{Document, Kind};
use chrono::NaiveDate;
use serde_json::Value;

/// The contract period that applies to a statement of work: its own `period`, else the contract's.
fn period(sow: &Document, engagement: Option<&Document>) -> Option<(NaiveDate, NaiveDate)> {
    let own = date(sow.data.pointer("/period/start")).zip(date(sow.data.pointer("/period/end")));
    own.or_else(|| {
        let e = engagement?;
        date(e.data.pointer("/contract/start")).zip(date(e.data.pointer("/contract/end")))
    })
}

pub fn deliverables_in_contract(context: &Context, findings: &mut Findings) {
    for sow in context.of_kind(Kind::StatementOfWork) {
        let Some((start, end)) = period(sow, context.engagement_of(sow)) else { continue };
        let deliverables = sow.data.get("deliverables").and_then(Value::as_array).into_iter().flatten();
        for (i, deliverable) in deliverables.enumerate() {
            if let Some(due) = date(deliverable.get("due")).filter(|d| *d < start || *d > end) {
                let id = deliverable.get("id").and_then(Value::as_str).unwrap_or("?");
                findings.add(
                    RuleId::DeliverableInContract,
                    sow,
                    &format!("/deliverables/{i}/due"),
                    format!("deliverable {id} is due on {due}, outside the contract period {start} to {end}"),
                );
            }
        }
    }
}

/// Whether the statement of work is paid by milestone payments: fixed-price or milestone work,
/// or no `pricing:` at all. Time-and-materials and labour-hour work is invoiced for hours worked.
fn paid_by_milestones(sow: &Document) -> bool {
    matches!(sow.data.pointer("/pricing/model").and_then(Value::as_str), None | Some("fixed_price" | "milestone"))
}

pub fn payments_reconcile(context: &Context, findings: &mut Findings) {
    for sow in context.of_kind(Kind::StatementOfWork).filter(|sow| paid_by_milestones(sow)) {
        let Some(contract) = context.engagement_of(sow).and_then(|e| e.data.pointer("/contract/value")) else {
            continue;
        };
        let (Some(value), Some(currency)) =
            (contract.get("amount").and_then(Value::as_f64), contract.get("currency").and_then(Value::as_str))
        else {
            continue;
        };
        let milestones = sow.data.get("milestones").and_then(Value::as_array).into_iter().flatten();
        let mut sum = 0.0;
        for (i, milestone) in milestones.enumerate() {
            let Some(payment) = milestone.get("payment") else { continue };
            if let Some(other) = payment.get("currency").and_then(Value::as_str).filter(|c| *c != currency) {
                findings.add(
                    RuleId::PaymentsReconcile,
                    sow,
                    &format!("/milestones/{i}/payment/currency"),
                    format!("the payment is in {other}, the contract in {currency}"),
                );
            }
            sum += payment.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
        }
        if !same_money(sum, value) {
            findings.add(
                RuleId::PaymentsReconcile,
                sow,
                "/milestones",
                format!(
                    "the milestone payments sum to {}, the contract value is {}",
                    money(sum, currency),
                    money(value, currency)
                ),
            );
        }
    }
}

fn money(amount: f64, currency: &str) -> String {
    crate::model::text::format_money(amount, currency)
}

pub fn milestone_deliverables(context: &Context, findings: &mut Findings) {
    for sow in context.of_kind(Kind::StatementOfWork) {
        let ids: Vec<&str> = sow
            .data
            .get("deliverables")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| d.get("id")?.as_str())
            .collect();
        let milestones = sow.data.get("milestones").and_then(Value::as_array).into_iter().flatten();
        for (i, milestone) in milestones.enumerate() {
            let named = milestone.get("deliverables").and_then(Value::as_array).into_iter().flatten();
            for (j, id) in named.enumerate() {
                let id = id.as_str().unwrap_or_default();
                if !ids.contains(&id) {
                    findings.add(
                        RuleId::MilestoneDeliverables,
                        sow,
                        &format!("/milestones/{i}/deliverables/{j}"),
                        format!("milestone names deliverable {id}, which this statement of work does not define"),
                    );
                }
            }
        }
    }
}

pub fn communication_protocol(context: &Context, findings: &mut Findings) {
    for sow in context.of_kind(Kind::StatementOfWork) {
        if context.engagement_of(sow).is_some_and(|e| !present(e.data.get("communication_plan"))) {
            findings.add(RuleId::CommunicationProtocol, sow, "", "the engagement of this statement of work has no communication plan (channels, response times, reporting cadence)");
        }
    }
}
