//! The delivery records of a generated engagement: escalations held within the matrix's times,
//! complaints answered and closed with their causes, and a decision log whose actions are done;
//! each approved by the engagement manager (the closure, the resolution, the record of the meeting).

use super::people::{Random, Team, subject};
use super::{Plan, approval, day, text};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// `YYYY-MM-DD HH:MM` on `date` at `hour`:`minute`.
fn at(date: NaiveDate, hour: u32, minute: u32) -> String {
    format!("{} {hour:02}:{minute:02}", text(date))
}

/// Zero to two escalations, zero or one complaint and one decision log, by file name.
pub fn records(plan: &Plan, team: &Team, random: &mut Random) -> Vec<(String, Value)> {
    let mut files = Vec::new();
    for n in 1..=random.below(3) as usize {
        files.push((format!("esc-{n:03}"), escalation(plan, team, n, random)));
    }
    if random.below(3) == 0 {
        files.push(("complaint-001".into(), complaint(plan, team, random)));
    }
    files.push(("decisions-001".into(), decisions(plan, team, random)));
    files
}

fn escalation(plan: &Plan, team: &Team, n: usize, random: &mut Random) -> Value {
    let raised = day(plan.start, 20 + 40 * n as u64 + random.below(20));
    let severity = ["minor", "moderate", "critical"][random.below(3) as usize];
    let ack_minutes = 15 + random.below(200) as u32;
    let resolved = day(raised, 1 + random.below(4));
    let mut value = json!({
        "kind": "Escalation",
        "id": format!("ESC-{}-{n:03}", plan.id),
        "title": format!("Escalation {n}: {} delayed", subject(random)),
        "date": text(day(resolved, 2)),
        "owner": team.manager,
        "status": "closed",
        "severity": severity,
        "issue": "A data feed the baseline depends on arrived incomplete, putting the next milestone at risk.",
        "raised_by": {"name": team.lead, "role": "Head of Operations"},
        "raised_at": at(raised, 9, 0),
        "history": [{"tier": 1, "owner": team.manager, "escalated_at": at(raised, 9, 0), "acknowledged_at": at(raised, 9 + ack_minutes / 60, ack_minutes % 60)}],
        "actions": [{"id": "A1", "action": "Ask the supplier for a full re-extract.", "owner": team.lead, "due": text(resolved), "status": "done"}],
        "resolved_at": at(resolved, 16, 30),
        "closure": {"closed_on": text(day(resolved, 2)), "closed_by": team.manager, "outcome": "The feed was re-extracted and the milestone held."},
        "approvals": [approval("Engagement Manager", &team.manager, day(resolved, 2))],
    });
    if severity == "critical" {
        value["post_incident_review"] = json!({
            "date": text(day(resolved, 1)),
            "held_by": team.ims,
            "findings": ["The feed had no completeness check."],
            "improvements": ["A row-count check runs before every load."],
        });
    }
    value
}

fn complaint(plan: &Plan, team: &Team, random: &mut Random) -> Value {
    let received = day(plan.start, 60 + random.below(60));
    let closed = day(received, 3 + random.below(20));
    json!({
        "kind": "Complaint",
        "id": format!("CMP-{}-001", plan.id),
        "title": "Weekly report sent late",
        "date": text(closed),
        "owner": team.ims,
        "status": "closed",
        "received_on": text(received),
        "received_from": {"name": team.sponsor, "role": "Client Sponsor"},
        "channel": random.pick(&["Email", "Telephone", "Steering committee"]),
        "category": random.pick(&["Timeliness", "Communication", "Quality"]),
        "description": "The weekly report arrived after the client's planning meeting.",
        "response": {"date": text(day(received, 1)), "by": team.ims, "summary": "Apologised and confirmed the Friday deadline."},
        "root_cause": "The report deadline was not in the team calendar.",
        "corrective_action": "The deadline is a recurring calendar entry for the whole team.",
        "closed_on": text(closed),
        "client_accepted": true,
        "approvals": [approval("Engagement Manager", &team.manager, closed)],
    })
}

fn decisions(plan: &Plan, team: &Team, random: &mut Random) -> Value {
    let held = day(plan.start, 30 + random.below(30));
    json!({
        "kind": "DecisionLog",
        "id": format!("DEC-{}-001", plan.id),
        "title": "Steering committee",
        "date": text(day(held, 1)),
        "owner": team.manager,
        "held_on": text(held),
        "channel": "Steering committee (video call)",
        "attendees": [{"name": team.sponsor, "role": "Client Sponsor"}, {"name": team.manager, "role": "Engagement Manager"}],
        "key_points": ["The baseline is agreed.", "The pilot site is confirmed."],
        "decisions": [{"id": "DEC1", "decision": "The pilot runs at the largest site.", "by": team.sponsor}],
        "actions": [{"id": "A1", "action": "Confirm the pilot dates in writing.", "owner": team.manager, "due": text(day(held, 7)), "status": "done"}],
        "approvals": [approval("Engagement Manager", &team.manager, day(held, 1))],
    })
}
