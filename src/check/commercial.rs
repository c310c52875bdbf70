//! Commercial terms: effort priced at the rate card, estimates and change costs that add up,
//! ceilings kept, payment terms within the policy, termination terms before contracting and
//! deliverables owned by key personnel.

use super::lifecycle::same_money;
use super::{Context, Findings, present};
use crate::diag::RuleId;
use crate::model::commercial::{self, Line};
use crate::model::{Document, Kind, Stage};
use crate::source::FileId;
use serde_json::Value;
use std::collections::HashMap;

/// Pricing models invoiced for the time worked, whose estimate is the effort at the rates.
fn time_based(doc: &Document) -> bool {
    matches!(
        doc.data.pointer("/pricing/model").and_then(Value::as_str),
        Some("time_and_materials" | "labour_hour" | "capped_time_and_materials")
    )
}

fn money(amount: f64, currency: &str) -> String {
    crate::model::text::format_money(amount, currency)
}

/// A change request's extra effort, priced at its statement of work's rate card.
fn change_effort<'a>(context: &Context<'a>, change: &'a Document) -> Vec<Line<'a>> {
    let rate_card = context.corpus.statement_of_work(change).and_then(|sow| sow.data.pointer("/pricing/rate_card"));
    commercial::effort(change.data.pointer("/pricing_change/effort"), rate_card)
}

fn priced_documents<'a>(context: &Context<'a>) -> impl Iterator<Item = &'a Document> {
    context.corpus.iter().filter(|d| matches!(d.kind, Kind::StatementOfWork | Kind::Proposal))
}

pub fn effort_priced(context: &Context, findings: &mut Findings) {
    let mut unpriced = |doc: &Document, pointer: &str, lines: Vec<Line>, card: &str| {
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.rate.is_none()) {
            findings.add_value(
                RuleId::EffortPriced,
                doc,
                &format!("{pointer}/{i}/role"),
                format!("the effort of `{}` has no rate: {card} has no such role", line.role),
                RuleId::EffortPriced.info().fix,
            );
        }
    };
    for doc in priced_documents(context) {
        let lines = commercial::effort(doc.data.pointer("/pricing/effort"), doc.data.pointer("/pricing/rate_card"));
        unpriced(doc, "/pricing/effort", lines, "the rate card");
    }
    for change in context.of_kind(Kind::ChangeRequest) {
        let Some(sow) = context.corpus.statement_of_work(change) else { continue };
        let card = format!("the rate card of {}", sow.text("id").unwrap_or_default());
        unpriced(change, "/pricing_change/effort", change_effort(context, change), &card);
    }
}

pub fn estimate_reconciles(context: &Context, findings: &mut Findings) {
    for sow in context.of_kind(Kind::StatementOfWork).filter(|s| time_based(s)) {
        let lines = commercial::effort(sow.data.pointer("/pricing/effort"), sow.data.pointer("/pricing/rate_card"));
        let Some(estimate) = sow.data.pointer("/pricing/estimate") else { continue };
        compare(findings, sow, "/pricing/estimate/amount", estimate, &lines, "the estimate");
    }
    for change in context.of_kind(Kind::ChangeRequest) {
        let lines = change_effort(context, change);
        let Some(cost) = change.data.pointer("/impact/cost") else { continue };
        compare(findings, change, "/impact/cost/amount", cost, &lines, "the cost of the change");
    }
}

/// A finding when the money value `stated` differs from the total of the priced `lines`.
fn compare(findings: &mut Findings, doc: &Document, pointer: &str, stated: &Value, lines: &[Line], what: &str) {
    let Some((total, currency)) = commercial::total(lines) else { return };
    let amount = stated.get("amount").and_then(Value::as_f64).unwrap_or_default();
    let stated_currency = stated.get("currency").and_then(Value::as_str).unwrap_or_default();
    if stated_currency != currency || !same_money(amount, total) {
        findings.add_value(
            RuleId::EstimateReconciles,
            doc,
            pointer,
            format!(
                "{what} is {}, but the effort at the rate card's rates comes to {}",
                money(amount, stated_currency),
                money(total, currency)
            ),
            RuleId::EstimateReconciles.info().fix,
        );
    }
}

pub fn ceiling_kept(context: &Context, findings: &mut Findings) {
    let changes = approved_changes(context);
    for sow in context.of_kind(Kind::StatementOfWork) {
        let Some(ceiling) = sow.data.pointer("/pricing/ceiling") else { continue };
        let mut limit = ceiling.get("amount").and_then(Value::as_f64).unwrap_or_default();
        let currency = ceiling.get("currency").and_then(Value::as_str).unwrap_or_default();
        let lines = commercial::effort(sow.data.pointer("/pricing/effort"), sow.data.pointer("/pricing/rate_card"));
        let (mut committed, pointer) = match commercial::total(&lines) {
            Some((_, rates)) if rates != currency => {
                let message =
                    format!("the ceiling is in {currency}, the rate card in {rates}: they cannot be compared");
                findings.add_value(
                    RuleId::CeilingKept,
                    sow,
                    "/pricing/ceiling/currency",
                    message,
                    RuleId::CeilingKept.info().fix,
                );
                continue;
            }
            Some((total, _)) => (total, "/pricing/effort"),
            None => match sow.data.pointer("/pricing/estimate/amount").and_then(Value::as_f64) {
                Some(estimate) => (estimate, "/pricing/estimate/amount"),
                None => continue,
            },
        };
        if committed > limit + 0.005 {
            let message = format!(
                "the estimate comes to {}, above the ceiling of {}",
                money(committed, currency),
                money(limit, currency)
            );
            findings.add(RuleId::CeilingKept, sow, pointer, message);
        }
        for change in changes.get(&sow.file).into_iter().flatten() {
            committed += change.data.pointer("/impact/cost/amount").and_then(Value::as_f64).unwrap_or_default();
            if let Some(raised) = change.data.pointer("/pricing_change/ceiling/amount").and_then(Value::as_f64) {
                limit = raised;
            }
            if committed > limit + 0.005 {
                let message = format!(
                    "with this approved change the price of {} comes to {}, above its ceiling of {}",
                    sow.text("id").unwrap_or_default(),
                    money(committed, currency),
                    money(limit, currency)
                );
                findings.add(RuleId::CeilingKept, change, "/impact/cost/amount", message);
            }
        }
    }
}

/// The approved (or implemented) change requests of each statement of work (by its file), in
/// the order they were agreed (by date, then ID).
fn approved_changes<'a>(context: &Context<'a>) -> HashMap<FileId, Vec<&'a Document>> {
    let mut approved: Vec<&Document> = context
        .of_kind(Kind::ChangeRequest)
        .filter(|c| matches!(c.text("status"), Some("approved" | "implemented")))
        .collect();
    approved.sort_by_key(|c| (c.text("date"), c.text("id")));
    let mut changes: HashMap<FileId, Vec<&Document>> = HashMap::new();
    for change in approved {
        if let Some(sow) = context.corpus.statement_of_work(change) {
            changes.entry(sow.file).or_default().push(change);
        }
    }
    changes
}

pub fn payment_terms(context: &Context, findings: &mut Findings) {
    let limit = context.policy.commercial.max_payment_days;
    for doc in priced_documents(context) {
        let Some(days) = doc.data.pointer("/pricing/payment_terms/days").and_then(Value::as_u64) else { continue };
        if days > limit {
            findings.add_value(
                RuleId::PaymentTermsInPolicy,
                doc,
                "/pricing/payment_terms/days",
                format!("payment within {days} days is longer than the policy allows ({limit} days)"),
                RuleId::PaymentTermsInPolicy.info().fix,
            );
        }
    }
}

pub fn termination_stated(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if stage != Stage::Contracting {
            continue;
        }
        for sow in context.members(engagement, Kind::StatementOfWork) {
            let cites_termination = sow.data.get("clauses").and_then(Value::as_array).into_iter().flatten().any(|c| {
                let id = c.get("id").and_then(Value::as_str).unwrap_or_default();
                context.clauses.get(id).is_some_and(|clause| clause.topic.as_deref() == Some("termination"))
            });
            if !present(sow.data.pointer("/terms/termination")) && !cites_termination {
                let at = if sow.data.get("terms").is_some() { "/terms" } else { "" };
                findings.add(
                    RuleId::TerminationStated,
                    sow,
                    at,
                    "the engagement is contracting but this statement of work states no termination terms",
                );
            }
        }
    }
}

pub fn key_personnel(context: &Context, findings: &mut Findings) {
    for doc in priced_documents(context) {
        let people = doc.data.get("key_personnel").and_then(Value::as_array).into_iter().flatten();
        let names: Vec<&str> = people.filter_map(|p| p.get("name")?.as_str()).collect();
        if names.is_empty() {
            continue;
        }
        let deliverables = doc.data.get("deliverables").and_then(Value::as_array).into_iter().flatten();
        for (i, deliverable) in deliverables.enumerate() {
            let Some(owner) = deliverable.get("owner").and_then(Value::as_str) else { continue };
            if !names.contains(&owner) {
                let id = deliverable.get("id").and_then(Value::as_str).unwrap_or("?");
                findings.add_value(
                    RuleId::KeyPersonnelOwnDeliverables,
                    doc,
                    &format!("/deliverables/{i}/owner"),
                    format!("{owner}, the owner of {id}, is not named under key_personnel"),
                    RuleId::KeyPersonnelOwnDeliverables.info().fix,
                );
            }
        }
    }
}
