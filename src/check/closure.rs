//! Completion review and lessons learned.

use super::{Context, Findings, deliverable_ids};
use crate::diag::RuleId;
use crate::model::{Kind, Stage};
use serde_json::Value;

pub fn lessons_recorded(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if stage == Stage::Closed && context.members(engagement, Kind::LessonsLearned).is_empty() {
            findings.add(
                RuleId::LessonsRecorded,
                engagement,
                "/stage",
                "the engagement is closed but has no lessons-learned report",
            );
        }
    }
}

pub fn handover_complete(context: &Context, findings: &mut Findings) {
    for report in context.of_kind(Kind::LessonsLearned) {
        let Some(engagement) = context.engagement_of(report) else { continue };
        let handed: Vec<&str> = report
            .data
            .get("handover")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| h.get("deliverable")?.as_str())
            .collect();
        let missing: Vec<&str> =
            deliverable_ids(context, engagement).into_iter().filter(|id| !handed.contains(id)).collect();
        if !missing.is_empty() {
            let pointer = if report.data.get("handover").is_some() { "/handover" } else { "" };
            findings.add(
                RuleId::HandoverComplete,
                report,
                pointer,
                format!("no handover is recorded for {}", missing.join(", ")),
            );
        }
    }
}

pub fn feedback_sought(context: &Context, findings: &mut Findings) {
    for report in context.of_kind(Kind::LessonsLearned) {
        if report.data.pointer("/client_feedback/sought") == Some(&Value::Bool(false)) {
            findings.add(
                RuleId::FeedbackSought,
                report,
                "/client_feedback/sought",
                "the client's feedback was not sought",
            );
        }
    }
}
