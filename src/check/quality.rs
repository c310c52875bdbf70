//! Quality surveillance: how each deliverable is checked and accepted.

use super::{Context, Findings, present};
use crate::diag::RuleId;
use crate::model::{Kind, Stage};
use serde_json::Value;

/// At the contracting gate, every deliverable names its acceptor and review window. Earlier, the
/// statement of work is still a draft; later, the signed terms can change only by a change request.
pub fn acceptance_planned(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        if stage != Stage::Contracting {
            continue;
        }
        for sow in context.members(engagement, Kind::StatementOfWork) {
            let deliverables = sow.data.get("deliverables").and_then(Value::as_array).into_iter().flatten();
            for (i, deliverable) in deliverables.enumerate() {
                let quality = deliverable.get("quality");
                let missing: Vec<&str> = [("acceptor", "/acceptor/role"), ("review window", "/review_days")]
                    .into_iter()
                    .filter(|(_, pointer)| !present(quality.and_then(|q| q.pointer(pointer))))
                    .map(|(what, _)| what)
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let id = deliverable.get("id").and_then(Value::as_str).unwrap_or("?");
                let at =
                    if quality.is_some() { format!("/deliverables/{i}/quality") } else { format!("/deliverables/{i}") };
                findings.add(
                    RuleId::AcceptancePlanned,
                    sow,
                    &at,
                    format!("deliverable {id} names no {} before the contract is signed", missing.join(" and no ")),
                );
            }
        }
    }
}
