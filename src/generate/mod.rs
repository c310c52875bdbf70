//! Realistic workspaces of any size, for benchmarks and scale tests (`engage generate`, hidden).
//!
//! Every engagement gets an Engagement, a Proposal and, once contracted, a statement of work with
//! 10–20 deliverables and milestones, two or three change requests, up to two escalations, perhaps
//! a complaint and a decision log and, when closed, a lessons-learned report. The data is varied, valid and compliant, and the same seed always gives
//! the same files.

mod people;
mod records;
mod yaml;

use crate::error::Error;
use crate::output;
use chrono::{Days, NaiveDate};
use people::{Random, Team};
use serde_json::{Value, json};
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub engagements: usize,
    /// The same seed gives the same workspace.
    pub seed: u64,
    /// Deliverables per statement of work; 10–20 when `None`. Many make documents of a hundred
    /// pages and more, for benchmarks of large documents.
    pub deliverables: Option<usize>,
}

/// Writes a workspace of the given shape into `dir`; returns the number of files.
pub fn workspace(dir: &Path, shape: Shape) -> Result<usize, Error> {
    let Shape { engagements, seed, deliverables } = shape;
    let mut random = Random::new(seed);
    let settings = "organisation:\n  name: Harbour & Finch Consulting Ltd\ncurrency: GBP\n";
    let batch = output::Batch::default();
    batch.write(&dir.join("engage.yaml"), settings.as_bytes())?;
    let mut files = 1;
    for index in 0..engagements {
        for (name, value) in engagement(index, &mut random, deliverables) {
            let value = bound(value);
            let path = dir.join(format!("engagements/{}/{name}.yaml", folder(index)));
            batch.write(&path, yaml::emit(&value).as_bytes())?;
            files += 1;
        }
    }
    batch.commit()?;
    Ok(files)
}

/// The document with its approvals bound to its content, as `engage approve` records them.
fn bound(mut value: Value) -> Value {
    let hash = crate::record::content_digest(&value).prefixed();
    if let Some(approvals) = value.get_mut("approvals").and_then(Value::as_array_mut) {
        approvals.iter_mut().for_each(|a| a["content_hash"] = json!(hash));
    }
    value
}

fn folder(index: usize) -> String {
    format!("e{index:05}")
}

/// A three-letter client code unique per index (`AAA`, `AAB`, …).
fn code(index: usize) -> String {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    [index / 676, index / 26, index].iter().map(|n| letter(*n)).collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Proposal,
    Delivery,
    Closed,
}

struct Plan {
    id: String,
    year: i32,
    stage: Stage,
    enquiry: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    deliverables: Vec<Value>,
    milestones: Vec<Value>,
    value: u64,
}

fn day(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn engagement(index: usize, random: &mut Random, deliverables: Option<usize>) -> Vec<(String, Value)> {
    let stage = match random.below(10) {
        0..=2 => Stage::Proposal,
        3..=7 => Stage::Delivery,
        _ => Stage::Closed,
    };
    let base = match stage {
        Stage::Closed => NaiveDate::from_ymd_opt(2024, 6, 3),
        Stage::Delivery => NaiveDate::from_ymd_opt(2025, 11, 3),
        Stage::Proposal => NaiveDate::from_ymd_opt(2026, 9, 1),
    }
    .expect("a valid date");
    let enquiry = day(base, random.below(60));
    let start = day(enquiry, 45);
    let end = day(start, 280);
    let year = enquiry.format("%Y").to_string().parse().unwrap_or(2026);
    let team = Team::pick(random);
    let id = format!("{}-{year}", code(index));
    let (deliverables, milestones, value) = work(random, &team, start, deliverables);
    let plan = Plan { id, year, stage, enquiry, start, end, deliverables, milestones, value };
    let mut files = vec![
        ("engagement".to_string(), engagement_file(&plan, &team, random)),
        ("proposal".into(), proposal(&plan, &team)),
    ];
    if stage != Stage::Proposal {
        files.push(("sow".into(), sow(&plan, &team)));
        for n in 1..=2 + random.below(2) as usize {
            files.push((format!("cr-{n:03}"), change(&plan, &team, n, random)));
        }
        files.extend(records::records(&plan, &team, random));
    }
    if stage == Stage::Closed {
        files.push(("lessons-learned".into(), lessons(&plan, &team)));
    }
    files
}

/// Deliverables spread over the contract, and one milestone per two deliverables whose payments
/// make up the contract value.
fn work(random: &mut Random, team: &Team, start: NaiveDate, count: Option<usize>) -> (Vec<Value>, Vec<Value>, u64) {
    let random_count = 10 + random.below(11) as usize;
    let count = count.unwrap_or(random_count).max(1);
    let deliverables: Vec<Value> = (1..=count)
        .map(|n| {
            let subject = people::subject(random);
            json!({
                "id": format!("D{n}"),
                "title": format!("{subject} ({n} of {count})"),
                "description": format!("The {} for phase {n}, prepared with the client's planning team.", subject.to_lowercase()),
                "owner": team.delivery_lead,
                "due": text(day(start, 20 + (n as u64 * 250) / count as u64)),
                "acceptance_criteria": [
                    format!("The {} is reviewed and signed off by the client sponsor.", subject.to_lowercase()),
                    format!("Results reconcile to the agreed baseline within {}%.", 1 + random.below(4)),
                ],
            })
        })
        .collect();
    let mut value = 0;
    let milestones = deliverables
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            let amount = 8_000 + 500 * random.below(40);
            value += amount;
            let ids: Vec<&Value> = pair.iter().map(|d| &d["id"]).collect();
            json!({
                "id": format!("M{}", i + 1),
                "title": format!("Acceptance of {}", pair.iter().map(|d| d["id"].as_str().unwrap_or_default()).collect::<Vec<_>>().join(" and ")),
                "due": pair.last().map(|d| d["due"].clone()),
                "deliverables": ids,
                "payment": {"amount": amount, "currency": "GBP"},
            })
        })
        .collect();
    (deliverables, milestones, value)
}

fn approval(role: &str, name: &str, date: NaiveDate) -> Value {
    json!({"role": role, "name": name, "date": text(date), "decision": "approved"})
}

fn engagement_file(plan: &Plan, team: &Team, random: &mut Random) -> Value {
    let stage = match plan.stage {
        Stage::Proposal => "proposal",
        Stage::Delivery => "delivery",
        Stage::Closed => "closed",
    };
    let mut value = json!({
        "kind": "Engagement",
        "id": format!("ENG-{}", plan.id),
        "title": format!("{} – {}", team.client, people::programme(random)),
        "date": text(plan.enquiry),
        "owner": team.manager,
        "stage": stage,
        "classification": "confidential",
        "client": {"name": team.client, "contacts": [
            {"name": team.sponsor, "role": "Client Sponsor", "email": people::email(&team.sponsor, "client.example")},
            {"name": team.lead, "role": "Head of Operations", "email": people::email(&team.lead, "client.example")},
        ]},
        "roles": team.roles(),
        "distribution": [{"name": team.sponsor, "role": "Client Sponsor"}, {"name": team.manager, "role": "Engagement Manager"}],
        "enquiry": {"received": text(plan.enquiry), "channel": "email", "contact": {"name": team.lead}, "nature_of_request": "Support with a planning and optimisation programme."},
        "opportunity_assessment": {
            "strategic_fit": "Core analytics and operations practice.",
            "capability": "Proven on similar programmes.",
            "capacity": "Team available from the planned start.",
            "risks": [{"id": "R1", "description": "Data quality may delay the baseline.", "likelihood": "medium", "impact": "medium", "mitigation": "Data readiness check first.", "owner": team.delivery_lead}],
            "legal_regulatory_ethical": "No conflicts; personal data limited to staff rosters under UK GDPR.",
            "decision": "go",
            "rationale": "Good fit, capacity available, acceptable risk.",
        },
        "communication_plan": {
            "channels": [{"channel": "Weekly call", "purpose": "Progress, risks and decisions"}],
            "response_times": [{"channel": "Email", "within": "1d"}, {"priority": "P1", "within": "4h"}],
            "reporting_cadence": "A written report every Friday.",
        },
        "complaint_handling": {
            "procedure": "Complaints are logged the same day, answered in writing and closed with their root cause and corrective action.",
            "owner": {"name": team.ims, "role": "IMS Lead"},
            "acknowledge_within": "1d",
            "resolve_within": "2w",
        },
        "escalation_matrix": {"levels": [
            {"level": 1, "name": "Project", "owner": {"name": team.manager}, "acknowledge_within": "1d", "resolve_within": "5d", "triggers": ["A milestone is forecast to slip."]},
            {"level": 2, "name": "Account", "owner": {"name": team.account}, "acknowledge_within": "4h", "resolve_within": "3d", "triggers": ["A level 1 issue is unresolved."]},
            {"level": 3, "name": "Executive", "owner": {"name": team.director}, "acknowledge_within": "1h", "resolve_within": "24h", "triggers": ["Either party considers termination."]},
        ]},
        "approvals": [approval("Engagement Manager", &team.manager, plan.enquiry)],
    });
    if plan.stage != Stage::Proposal {
        value["contract"] = json!({
            "start": text(plan.start), "end": text(plan.end),
            "value": {"amount": plan.value, "currency": "GBP"},
            "payment_terms": "30 days from invoice, invoiced on milestone acceptance.",
            "termination": "Either party on 30 days' written notice.",
            "confidentiality": "Mutual, surviving five years.",
            "data_protection": "UK GDPR; we act as processor.",
            "governing_law": "England and Wales",
        });
        value["contract_review"] = json!({"reviewed_by": team.contracts, "date": text(day(plan.start, 0)), "findings": ["Liability capped at the contract value."], "outcome": "accepted"});
    }
    value
}

fn proposal(plan: &Plan, team: &Team) -> Value {
    let date = day(plan.enquiry, 10);
    let lines: Vec<Value> = plan
        .milestones
        .iter()
        .map(|m| json!({"description": m["title"], "quantity": 1, "unit": "milestone", "unit_price": m["payment"]["amount"], "amount": m["payment"]["amount"]}))
        .collect();
    json!({
        "kind": "Proposal",
        "id": format!("PRO-{}-001", plan.id),
        "title": format!("Proposal for {}", team.client),
        "date": text(date),
        "owner": team.account,
        "status": if plan.stage == Stage::Proposal { "submitted" } else { "accepted" },
        "submitted_on": text(date),
        "valid_until": text(day(date, 60)),
        "client_needs": ["Reduce operating cost without lowering service.", "Give planners tools they can run themselves."],
        "objectives": ["Cut planned mileage by at least 6%.", "Hand over a maintained capability."],
        "scope": ["Baseline, model, pilot and handover."],
        "deliverables": plan.deliverables,
        "timeline": {"start": text(plan.start), "end": text(plan.end)},
        "pricing": {"currency": "GBP", "lines": lines, "total": plan.value},
        "assumptions": ["Data is available within two weeks of the start."],
        "dependencies": ["Access to the planning system."],
        "constraints": ["No change to union-agreed shift patterns."],
        "risks": [{"id": "R1", "description": "Planners may not adopt the tool.", "likelihood": "medium", "impact": "medium", "mitigation": "Planner champions and training.", "owner": team.manager}],
        "information_security": "Data stays in the client's tenancy; access is named and reviewed monthly.",
        "terms": "Our standard terms of business apply.",
        "approvals": [approval("Account Manager", &team.account, date), approval("Director", &team.director, date)],
    })
}

fn sow(plan: &Plan, team: &Team) -> Value {
    let date = day(plan.start, 0);
    json!({
        "kind": "StatementOfWork",
        "id": format!("SOW-{}-001", plan.id),
        "title": format!("Statement of work for {}", team.client),
        "date": text(date),
        "owner": team.manager,
        "contract_reference": format!("PO-{}-{}", plan.year, plan.value),
        "objectives": ["Cut planned mileage by at least 6%.", "Hand over a maintained capability."],
        "in_scope": ["Baseline, model, pilot and handover."],
        "out_of_scope": ["Changes to the client's ERP system."],
        "deliverables": plan.deliverables,
        "milestones": plan.milestones,
        "responsibilities": {"provider": ["Deliver the work to the plan."], "client": ["Provide data and reviewers on time."]},
        "assumptions": ["Reviews complete within five working days."],
        "dependencies": ["Access to the planning system."],
        "constraints": ["Work within the client's change windows."],
        "information_security": {"requirements": ["Named access only."], "data_protection": ["Staff rosters processed under UK GDPR."]},
        "acceptance_procedure": "The client accepts or rejects each deliverable in writing within ten working days.",
        "change_control_procedure": "Changes are requested, assessed for impact and approved by both parties before work starts.",
        "approvals": [approval("Contracts Manager", &team.contracts, date), approval("Director", &team.director, date), approval("Client Sponsor", &team.sponsor, date)],
    })
}

fn change(plan: &Plan, team: &Team, n: usize, random: &mut Random) -> Value {
    let requested = day(plan.start, 30 * n as u64);
    let decided = day(requested, 7);
    let status = if n == 1 { "implemented" } else { ["approved", "assessed"][random.below(2) as usize] };
    let affected = plan.deliverables[random.below(plan.deliverables.len() as u64) as usize]["id"].clone();
    let mut value = json!({
        "kind": "ChangeRequest",
        "id": format!("CR-{}-{n:03}", plan.id),
        "title": format!("Change {n}: extend {}", affected.as_str().unwrap_or_default()),
        "date": text(requested),
        "owner": team.manager,
        "sow": format!("SOW-{}-001", plan.id),
        "status": status,
        "requested_by": {"name": team.lead, "role": "Head of Operations"},
        "requested_on": text(requested),
        "description": "Extend the scope of the deliverable to two further sites.",
        "reason": "The client acquired two sites that share the same planning team.",
        "affected_deliverables": [affected],
        "impact": {
            "quality": "No effect on acceptance criteria.",
            "risk": "Low: the sites use the same systems.",
            "cost": {"amount": 2_000 + 250 * random.below(20), "currency": "GBP"},
            "timeline": {"days": random.below(10)},
            "compliance": "No change to data protection.",
        },
        "approvals": [approval("Engagement Manager", &team.manager, decided)],
    });
    if status != "assessed" {
        value["client_agreement"] = json!({"agreed": true, "name": team.sponsor, "date": text(decided)});
        value["internal_approval"] = approval("Engagement Manager", &team.manager, decided);
        value["approvals"] = json!([
            approval("Client Sponsor", &team.sponsor, decided),
            approval("Engagement Manager", &team.manager, decided)
        ]);
    }
    if status == "implemented" {
        value["implemented_on"] = json!(text(day(decided, 14)));
    }
    value
}

fn lessons(plan: &Plan, team: &Team) -> Value {
    let date = day(plan.end, 14);
    let handover: Vec<Value> = plan
        .deliverables
        .iter()
        .map(|d| json!({"deliverable": d["id"], "handed_over_on": d["due"], "accepted_by": team.sponsor}))
        .collect();
    json!({
        "kind": "LessonsLearned",
        "id": format!("LL-{}-001", plan.id),
        "title": format!("Lessons learned – {}", team.client),
        "date": text(date),
        "owner": team.manager,
        "handover": handover,
        "client_feedback": {"sought": true, "given_by": team.sponsor, "rating": 4, "comments": "Well run and practical.", "received_on": text(date)},
        "objectives": [{"objective": "Cut planned mileage", "target": "6%", "actual": "7.2%", "met": true}],
        "went_well": ["Early data readiness check."],
        "to_improve": ["Earlier warning of weekend work."],
        "lessons": [{"id": "L1", "lesson": "Check data before modelling.", "owner": team.manager, "action": "Add a data gate to the method."}],
        "approvals": [approval("Engagement Manager", &team.manager, date), approval("Director", &team.director, date)],
    })
}
