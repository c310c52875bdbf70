//! Generated prose states only what the data shows: each sentence of the built-in templates that
//! asserts a fact, with the field it rests on, appears when the data records that fact and is left
//! out when it does not.

use crate::support::Engage;
use serde_json::{Value, json};

const NWL: &str = "engagements/northwind-logistics";
const KWF: &str = "engagements/kittiwake-foods";
const OST: &str = "engagements/ostara-energie";

/// A change to a data file of the samples (a path below the workspace).
enum Edit {
    Set(String, &'static str, Value),
    Remove(String, &'static str),
    Delete(String),
}

fn set(file: &str, pointer: &'static str, value: Value) -> Edit {
    Edit::Set(file.to_string(), pointer, value)
}

fn remove(file: &str, pointer: &'static str) -> Edit {
    Edit::Remove(file.to_string(), pointer)
}

/// A sentence (or the part of it that states the fact), the document it is in, the field it rests
/// on, the edits to the samples that make the data record the fact (often none: the samples record
/// it) and those that make it record the same without that field.
struct Case {
    document: &'static str,
    sentence: &'static str,
    field: &'static str,
    with: Vec<Edit>,
    without: Vec<Edit>,
}

fn case(
    document: &'static str,
    sentence: &'static str,
    field: &'static str,
    with: Vec<Edit>,
    without: Vec<Edit>,
) -> Case {
    Case { document, sentence, field, with, without }
}

fn cases() -> Vec<Case> {
    let engagement = |folder: &str| format!("{folder}/engagement.yaml");
    let (nwl, ost) = (engagement(NWL), engagement(OST));
    let (proposal, sow) = (format!("{NWL}/proposal.yaml"), format!("{NWL}/sow.yaml"));
    let at_enquiry =
        || vec![set(&ost, "/stage", json!("enquiry")), set(&ost, "/opportunity_assessment/decision", json!("pending"))];
    let unpriced = || {
        vec![
            set(&proposal, "/pricing/lines", json!([{"description": "Consultant", "quantity": 0, "unit_price": 950}])),
            remove(&proposal, "/pricing/total"),
        ]
    };
    let basis = |basis: &str| vec![set(&proposal, "/pricing/basis", json!(basis))];
    let with_basis = |b: &str, mut more: Vec<Edit>| {
        more.extend(basis(b));
        more
    };
    let lessons = format!("{KWF}/lessons-learned.yaml");
    vec![
        // The governance plan.
        case("ENG-OST-2026", "the client's enquiry has been received and logged", "enquiry", at_enquiry(), {
            let mut edits = at_enquiry();
            edits.push(remove(&ost, "/enquiry"));
            edits
        }),
        case(
            "ENG-OST-2026",
            "no decision to bid has been recorded yet",
            "opportunity_assessment.decision",
            at_enquiry(),
            {
                let mut edits = at_enquiry();
                edits.push(set(&ost, "/opportunity_assessment/decision", json!("go")));
                edits
            },
        ),
        case(
            "ENG-OST-2026",
            "the decision to bid has been taken",
            "opportunity_assessment.decision",
            vec![],
            vec![set(&ost, "/opportunity_assessment/decision", json!("pending"))],
        ),
        case(
            "ENG-NWL-2026",
            "the proposal has been accepted",
            "status of the engagement's proposal",
            vec![set(&nwl, "/stage", json!("contracting"))],
            vec![set(&nwl, "/stage", json!("contracting")), set(&proposal, "/status", json!("submitted"))],
        ),
        case(
            "ENG-NWL-2026",
            "the contract has been reviewed",
            "contract_review",
            vec![],
            vec![remove(&nwl, "/contract_review")],
        ),
        case(
            "ENG-NWL-2026",
            "the contract has been reviewed",
            "contract_review.outcome",
            vec![],
            vec![set(&nwl, "/contract_review/outcome", json!("rejected"))],
        ),
        case(
            "ENG-NWL-2026",
            "signed, and the work is being delivered",
            "contract.signed_on",
            vec![],
            vec![remove(&nwl, "/contract/signed_on")],
        ),
        case(
            "ENG-NWL-2026",
            "The key terms of the signed contract",
            "contract.signed_on",
            vec![],
            vec![remove(&nwl, "/contract/signed_on")],
        ),
        case(
            "ENG-NWL-2026",
            "before it was signed",
            "contract.signed_on",
            vec![],
            vec![remove(&nwl, "/contract/signed_on")],
        ),
        case(
            "ENG-NWL-2026",
            "before it was signed",
            "contract_review.date",
            vec![],
            vec![set(&nwl, "/contract_review/date", json!("2026-03-25"))],
        ),
        case(
            "ENG-OST-2026",
            "The assessment lists no risks.",
            "opportunity_assessment.risks (empty)",
            vec![set(&ost, "/opportunity_assessment/risks", json!([]))],
            vec![],
        ),
        case(
            "ENG-NWL-2026",
            "respond within the times stated",
            "communication_plan.response_times",
            vec![],
            vec![set(&nwl, "/communication_plan/response_times", json!([]))],
        ),
        case(
            "ENG-KWF-2025",
            "its completion review is recorded in LL",
            "the engagement's LessonsLearned",
            vec![],
            vec![Edit::Delete(lessons.clone())],
        ),
        // The proposal.
        case("PRO-NWL-2026-001", "We offer the work for a fixed price of", "pricing.lines", vec![], unpriced()),
        case(
            "PRO-NWL-2026-001",
            "Our estimate, based on the quantities shown, is",
            "pricing.lines (quantities)",
            basis("time_and_materials"),
            with_basis("time_and_materials", unpriced()),
        ),
        case(
            "PRO-NWL-2026-001",
            "up to a cap of",
            "pricing.lines",
            basis("capped_time_and_materials"),
            with_basis("capped_time_and_materials", unpriced()),
        ),
        case(
            "PRO-NWL-2026-001",
            "The price of the work is £",
            "pricing.lines",
            vec![remove(&proposal, "/pricing/basis")],
            {
                let mut edits = unpriced();
                edits.push(remove(&proposal, "/pricing/basis"));
                edits
            },
        ),
        case(
            "PRO-NWL-2026-001",
            "From the enquiry, we understand",
            "the engagement's enquiry",
            vec![],
            vec![remove(&nwl, "/enquiry")],
        ),
        // The statement of work.
        case(
            "SOW-NWL-2026-004",
            "the milestones and payments",
            "milestones[].payment",
            vec![],
            vec![set(&sow, "/milestones", json!([{"id": "M1", "title": "Pilot", "due": "2026-09-25"}]))],
        ),
        case(
            "SOW-NWL-2026-004",
            "will be accepted, the milestones",
            "milestones",
            vec![],
            vec![set(&sow, "/milestones", json!([]))],
        ),
        case(
            "SOW-NWL-2026-004",
            "is protected as set out below",
            "information_security.requirements, data_protection",
            vec![remove(&sow, "/information_security/classification")],
            vec![
                remove(&sow, "/information_security/classification"),
                set(&sow, "/information_security/requirements", json!([])),
                set(&sow, "/information_security/data_protection", json!([])),
            ],
        ),
        // The change request.
        case(
            "CR-NWL-2026-001",
            "and the decisions taken on it",
            "client_agreement, internal_approval",
            vec![],
            vec![
                remove(&format!("{NWL}/cr-001.yaml"), "/client_agreement"),
                remove(&format!("{NWL}/cr-001.yaml"), "/internal_approval"),
            ],
        ),
        case(
            "CR-NWL-2026-001",
            "The change has been assessed for its effect",
            "impact.compliance",
            vec![],
            vec![remove(&format!("{NWL}/cr-001.yaml"), "/impact/compliance")],
        ),
        case(
            "CR-NWL-2026-001",
            "on this change is recorded yet",
            "client_agreement (absent)",
            vec![remove(&format!("{NWL}/cr-001.yaml"), "/client_agreement")],
            vec![],
        ),
        case(
            "CR-NWL-2026-001",
            "The change was implemented on",
            "implemented_on",
            vec![],
            vec![remove(&format!("{NWL}/cr-001.yaml"), "/implemented_on")],
        ),
        // The lessons-learned report.
        case(
            "LL-KWF-2025-001",
            "the handover of the deliverables",
            "handover",
            vec![],
            vec![remove(&lessons, "/handover")],
        ),
        case(
            "LL-KWF-2025-001",
            "performance against the agreed objectives",
            "objectives",
            vec![],
            vec![set(&lessons, "/objectives", json!([]))],
        ),
        case("LL-KWF-2025-001", "what went well", "went_well", vec![], vec![remove(&lessons, "/went_well")]),
        case(
            "LL-KWF-2025-001",
            "what should be done differently",
            "to_improve",
            vec![],
            vec![remove(&lessons, "/to_improve")],
        ),
        case(
            "LL-KWF-2025-001",
            "the lessons learned, each with an owner",
            "lessons",
            vec![],
            vec![set(&lessons, "/lessons", json!([]))],
        ),
        // Delivery records.
        case(
            "CMP-NWL-2026-001",
            "Sent on",
            "response",
            vec![],
            vec![remove(&format!("{NWL}/complaint-001.yaml"), "/response")],
        ),
        case(
            "CMP-NWL-2026-001",
            "No response has been recorded yet.",
            "response (absent)",
            vec![remove(&format!("{NWL}/complaint-001.yaml"), "/response")],
            vec![],
        ),
        case(
            "ESC-NWL-2026-001",
            "Resolved at",
            "resolved_at",
            vec![],
            vec![
                remove(&format!("{NWL}/esc-001.yaml"), "/resolved_at"),
                remove(&format!("{NWL}/esc-001.yaml"), "/closure"),
                set(&format!("{NWL}/esc-001.yaml"), "/status", json!("open")),
            ],
        ),
        case(
            "DEC-NWL-2026-003",
            "No decision is recorded.",
            "decisions (empty)",
            vec![set(&format!("{NWL}/decisions-2026-09.yaml"), "/decisions", json!([]))],
            vec![],
        ),
    ]
}

/// Applies an edit to the workspace: the file is read as YAML and written back as JSON, which
/// YAML reads the same.
fn apply(engage: &Engage, edit: &Edit) {
    let (file, pointer) = match edit {
        Edit::Delete(file) => {
            std::fs::remove_file(engage.path().join(file)).unwrap();
            return;
        }
        Edit::Set(file, pointer, _) | Edit::Remove(file, pointer) => (file, *pointer),
    };
    let mut data = engage::source::yaml::parse(&engage.read(file)).unwrap().value;
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = data.pointer_mut(parent).unwrap_or_else(|| panic!("{file}: no {parent}"));
    match edit {
        Edit::Set(_, _, value) => {
            parent[key] = value.clone();
        }
        _ => {
            assert!(parent.as_object_mut().unwrap().remove(key).is_some(), "{file}: no {pointer}");
        }
    }
    engage.write(file, &serde_json::to_string_pretty(&data).unwrap());
}

/// The Markdown of `document` after applying `edits` to the workspace and building.
fn rendered(engage: &Engage, edits: &[Edit], document: &str) -> String {
    edits.iter().for_each(|edit| apply(engage, edit));
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    engage.read(&format!("out/{document}.md"))
}

// Each sentence appears when the data records its fact, and is left out when the field it rests
// on is taken away.
#[test]
fn sentences_rest_on_their_fields() {
    let mut wrong = Vec::new();
    for case in cases() {
        let with = rendered(&Engage::samples(), &case.with, case.document);
        let without = rendered(&Engage::samples(), &case.without, case.document);
        if !with.contains(case.sentence) {
            wrong.push(format!("{}: `{}` is missing with {}", case.document, case.sentence, case.field));
        }
        if without.contains(case.sentence) {
            wrong.push(format!("{}: `{}` is still there without {}", case.document, case.sentence, case.field));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
