//! Records and consistency: dates, people, approvals, distribution.

use super::{Context, Findings, date, present};
use crate::diag::RuleId;
use crate::model::{Document, Kind};
use chrono::NaiveDate;
use serde_json::Value;

/// enquiry ≤ first proposal ≤ contract start ≤ every milestone ≤ contract end.
pub fn dates_in_order(context: &Context, findings: &mut Findings) {
    for (engagement, _) in context.engagements() {
        let enquiry = date(engagement.data.pointer("/enquiry/received"));
        let proposal = context
            .members(engagement, Kind::Proposal)
            .into_iter()
            .filter_map(|p| Some((date(p.data.get("date"))?, p)))
            .min_by_key(|(d, _)| *d);
        let start = date(engagement.data.pointer("/contract/start"));
        let end = date(engagement.data.pointer("/contract/end"));
        if let (Some(enquiry), Some((proposed, doc))) = (enquiry, proposal)
            && proposed < enquiry
        {
            findings.add(
                RuleId::DatesInOrder,
                doc,
                "/date",
                format!("the proposal is dated {proposed}, before the enquiry was received on {enquiry}"),
            );
        }
        let before_start = proposal.map(|(d, _)| d).or(enquiry);
        if let (Some(earlier), Some(start)) = (before_start, start)
            && start < earlier
        {
            findings.add(
                RuleId::DatesInOrder,
                engagement,
                "/contract/start",
                format!("the contract starts on {start}, before the enquiry or proposal of {earlier}"),
            );
        }
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            findings.add(
                RuleId::DatesInOrder,
                engagement,
                "/contract/end",
                format!("the contract ends on {end}, before it starts on {start}"),
            );
        }
        for sow in context.members(engagement, Kind::StatementOfWork) {
            milestones_in_contract(sow, start, end, findings);
        }
    }
}

fn milestones_in_contract(sow: &Document, start: Option<NaiveDate>, end: Option<NaiveDate>, findings: &mut Findings) {
    let milestones = sow.data.get("milestones").and_then(Value::as_array).into_iter().flatten();
    for (i, milestone) in milestones.enumerate() {
        let Some(due) = date(milestone.get("due")) else { continue };
        let outside = start.is_some_and(|s| due < s) || end.is_some_and(|e| due > e);
        if outside {
            findings.add(
                RuleId::DatesInOrder,
                sow,
                &format!("/milestones/{i}/due"),
                format!("the milestone is due on {due}, outside the contract period"),
            );
        }
    }
}

/// Everyone named in the engagement: its roles and the client's contacts.
fn people(engagement: &Document) -> Vec<String> {
    let roles = engagement.data.get("roles").and_then(Value::as_object).into_iter().flat_map(|r| r.values());
    let contacts = engagement.data.pointer("/client/contacts").and_then(Value::as_array).into_iter().flatten();
    roles.chain(contacts).filter_map(|p| p.get("name")?.as_str()).map(str::to_lowercase).collect()
}

pub fn people_named(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter() {
        let Some(engagement) = context.engagement_of(doc) else { continue };
        let known = people(engagement);
        let mut check = |pointer: String, name: &str, what: &str| {
            if !known.contains(&name.to_lowercase()) {
                findings.add(
                    RuleId::PeopleNamed,
                    doc,
                    &pointer,
                    format!("{what} `{name}` is not named in the engagement's roles or client contacts"),
                );
            }
        };
        if let Some(owner) = doc.text("owner") {
            check("/owner".into(), owner, "the owner");
        }
        for (i, approval) in array(doc, "approvals").enumerate() {
            if let Some(name) = approval.get("name").and_then(Value::as_str) {
                check(format!("/approvals/{i}/name"), name, "the approver");
            }
        }
        for (i, deliverable) in array(doc, "deliverables").enumerate() {
            if let Some(name) = deliverable.get("owner").and_then(Value::as_str) {
                check(format!("/deliverables/{i}/owner"), name, "the deliverable owner");
            }
        }
    }
}

fn array<'a>(doc: &'a Document, field: &str) -> impl Iterator<Item = &'a Value> {
    doc.data.get(field).and_then(Value::as_array).into_iter().flatten()
}

pub fn approval_dates(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter() {
        for (i, approval) in array(doc, "approvals").enumerate() {
            if let Some(day) = date(approval.get("date")).filter(|d| *d > context.today) {
                findings.add(
                    RuleId::ApprovalDates,
                    doc,
                    &format!("/approvals/{i}/date"),
                    format!("the approval is dated {day}, after today ({})", context.today),
                );
            }
        }
    }
}

pub fn distribution_listed(context: &Context, findings: &mut Findings) {
    for (engagement, _) in context.engagements() {
        let sensitive = matches!(engagement.text("classification"), Some("confidential" | "restricted"));
        if sensitive && !present(engagement.data.get("distribution")) {
            findings.add(
                RuleId::DistributionListed,
                engagement,
                "/distribution",
                format!(
                    "the engagement is {} but its distribution list is empty",
                    engagement.text("classification").unwrap_or_default()
                ),
            );
        }
    }
}
