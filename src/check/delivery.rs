//! Records of delivery: escalations held to the engagement's escalation matrix, complaints
//! handled through its procedure, and the actions of decision logs.

use super::sla::{self, Measure};
use super::{Context, Findings, date, present};
use crate::diag::RuleId;
use crate::model::{Document, Kind};
use chrono::Days;
use serde_json::Value;

/// Each record of `kind` with the engagement it belongs to.
fn records<'a>(context: &'a Context, kind: Kind) -> impl Iterator<Item = (&'a Document, &'a Document)> {
    context.of_kind(kind).filter_map(|doc| Some((doc, context.engagement_of(doc)?)))
}

pub fn escalation_times(context: &Context, findings: &mut Findings) {
    for (escalation, engagement) in records(context, Kind::Escalation) {
        for breach in sla::breaches(engagement, escalation, Some(context.today)) {
            let rule = match breach.measure {
                Measure::Acknowledge => RuleId::EscalationAcknowledged,
                Measure::Resolve => RuleId::EscalationResolved,
            };
            findings.add(rule, escalation, &breach.pointer, breach.message);
        }
    }
}

pub fn escalation_tiers(context: &Context, findings: &mut Findings) {
    for (escalation, engagement) in records(context, Kind::Escalation) {
        let tiers = sla::history(escalation);
        for (i, entry) in tiers.iter().enumerate() {
            let Some(tier) = entry.get("tier").and_then(Value::as_u64) else { continue };
            if sla::level(engagement, tier).is_none() {
                findings.add(
                    RuleId::EscalationTiers,
                    escalation,
                    &format!("/history/{i}/tier"),
                    format!("tier {tier} is not a level of the escalation matrix of {}", engagement.title()),
                );
            } else if i > 0 && !present(entry.get("reason")) {
                early_move(engagement, escalation, (&tiers[i - 1], entry), i, findings);
            }
        }
    }
}

/// A move up from `lower` to `higher` before the lower tier's resolve time passed.
fn early_move(
    engagement: &Document,
    escalation: &Document,
    (lower, higher): (&Value, &Value),
    i: usize,
    findings: &mut Findings,
) {
    let tier = |entry: &Value| entry.get("tier").and_then(Value::as_u64);
    let (Some(from), Some(to)) = (tier(lower), tier(higher)) else { return };
    let times = (sla::date_time(lower.get("escalated_at")), sla::date_time(higher.get("escalated_at")));
    let (Some(reached), Some(moved)) = times else { return };
    let Some((allowed, text)) = sla::level(engagement, from).and_then(|l| sla::limit(l, "resolve_within")) else {
        return;
    };
    if to > from && sla::elapsed(reached, moved) < allowed {
        findings.add(
            RuleId::EscalationTiers,
            escalation,
            &format!("/history/{i}/escalated_at"),
            format!(
                "moved up to tier {to} at {}, {} after reaching tier {from} at {}, before tier {from}'s resolve time of {text}, with no reason",
                sla::shown(moved),
                sla::span(sla::elapsed(reached, moved)),
                sla::shown(reached)
            ),
        );
    }
}

pub fn incident_reviewed(context: &Context, findings: &mut Findings) {
    for escalation in context.of_kind(Kind::Escalation) {
        let closed_critical =
            escalation.text("severity") == Some("critical") && escalation.text("status") == Some("closed");
        if closed_critical && !present(escalation.data.get("post_incident_review")) {
            findings.add(
                RuleId::IncidentReviewed,
                escalation,
                "/status",
                "the critical escalation is closed without a post-incident review",
            );
        }
    }
}

pub fn complaint_answered(context: &Context, findings: &mut Findings) {
    for (complaint, engagement) in records(context, Kind::Complaint) {
        if present(complaint.data.get("response")) {
            continue;
        }
        let status = complaint.text("status").unwrap_or_default();
        let within = engagement.data.pointer("/complaint_handling/acknowledge_within").and_then(Value::as_str);
        let due = date(complaint.data.get("received_on"))
            .zip(within.and_then(crate::workspace::policy::minutes))
            .and_then(|(received, minutes)| received.checked_add_days(Days::new(minutes.div_ceil(1440))));
        if status != "open" || due.is_some_and(|due| due < context.today) {
            let limit = within.map(|w| format!("; the engagement's procedure answers within {w}")).unwrap_or_default();
            findings.add(
                RuleId::ComplaintAnswered,
                complaint,
                "/status",
                format!("the complaint is `{status}` and has no response{limit}"),
            );
        }
    }
}

pub fn complaint_closed(context: &Context, findings: &mut Findings) {
    for complaint in context.of_kind(Kind::Complaint).filter(|c| c.text("status") == Some("closed")) {
        let missing: Vec<&str> = ["root_cause", "corrective_action", "closed_on"]
            .into_iter()
            .filter(|field| !present(complaint.data.get(*field)))
            .collect();
        if !missing.is_empty() {
            findings.add(
                RuleId::ComplaintClosed,
                complaint,
                "/status",
                format!("the complaint is closed without {}", missing.join(", ")),
            );
        }
    }
}

pub fn complaint_procedure(context: &Context, findings: &mut Findings) {
    for (engagement, _) in context.engagements() {
        let complaints = context.members(engagement, Kind::Complaint);
        if !complaints.is_empty() && !present(engagement.data.get("complaint_handling")) {
            let ids: Vec<&str> = complaints.iter().filter_map(|c| c.text("id")).collect();
            findings.add(
                RuleId::ComplaintProcedure,
                engagement,
                "/complaint_handling",
                format!("the engagement has complaints ({}) but no complaint-handling procedure", ids.join(", ")),
            );
        }
    }
}

/// The actions of every decision log, with their index.
fn actions<'a>(context: &'a Context) -> impl Iterator<Item = (&'a Document, usize, &'a Value)> {
    context.of_kind(Kind::DecisionLog).flat_map(|log| {
        let list = log.data.get("actions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        list.iter().enumerate().map(move |(i, action)| (log, i, action))
    })
}

pub fn actions_owned(context: &Context, findings: &mut Findings) {
    for (log, i, action) in actions(context) {
        let fields = [("owner", "owner"), ("due", "due date")];
        let missing: Vec<&str> = fields.into_iter().filter(|(f, _)| !present(action.get(*f))).map(|(_, n)| n).collect();
        if !missing.is_empty() {
            findings.add(
                RuleId::ActionsOwned,
                log,
                &format!("/actions/{i}"),
                format!("the action has no {}", missing.join(" and no ")),
            );
        }
    }
}

pub fn actions_on_time(context: &Context, findings: &mut Findings) {
    for (log, i, action) in actions(context) {
        let Some(due) = date(action.get("due")) else { continue };
        let done = action.get("status").and_then(Value::as_str) == Some("done");
        if due < context.today && !done && !present(action.get("note")) {
            findings.add(
                RuleId::ActionsOnTime,
                log,
                &format!("/actions/{i}/due"),
                format!("the action was due on {due} and is not done, with no note"),
            );
        }
    }
}
