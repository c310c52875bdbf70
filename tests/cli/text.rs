//! The checks a reviewer makes on the text (TXT-001 to TXT-005): each on a minimal violation, at
//! its exact place, and the placeholder rule on every free-text field of every kind, found by
//! walking the schemas.

use crate::support::{Engage, repo};
use serde_json::Value;
use std::collections::BTreeMap;

const TODAY: &str = "2026-11-23";

/// An engagement with one violation of each engagement-level text rule (line numbers matter).
const ENGAGEMENT: &str = "\
kind: Engagement
id: ENG-TST-2026
title: Test engagement
date: 2026-01-05
approvals: []
client:
  name: Test Client Ltd
  contacts:
    - name: Ada Client
      role: Sponsor
      email: ada@client.example
    - name: Ben Buyer
      role: Procurement
      email: ada.client@client.example
roles:
  engagement_manager:
    name: Eve Manager
    email: e.manager@firm.example
stage: enquiry
classification: internal
distribution: []
enquiry:
  received: 2026-01-02
  channel: email
  contact: {name: Ada Client, email: procurement@client.example}
  nature_of_request: >-
    Advice on the tender due on
    [date of award], budget £XX,XXX.
communication_plan:
  channels:
    - {channel: Email, purpose: Everything}
  response_times: []
  reporting_cadence: Monthly report.
contract:
  start: 2026-02-01
  end: 2026-12-31
  value: {amount: 0, currency: GBP}
  payment_terms: 30 days
  termination: 30 days' notice
  confidentiality: Mutual
  data_protection: UK GDPR
  governing_law: England and Wales
";

/// A proposal whose deliverable is described in one word and whose quantities are all zero.
const PROPOSAL: &str = "\
kind: Proposal
id: PRO-TST-001
title: Test proposal
date: 2026-01-10
approvals: []
client_needs: Advice on the tender.
objectives: [Win the tender]
scope: [Write the bid]
deliverables:
  - id: D1
    title: Bid document
    description: Report
    owner: Eve Manager
    due: 2026-02-01
    acceptance_criteria: [Submitted on time]
timeline: {start: 2026-01-15, end: 2026-02-15}
pricing:
  currency: GBP
  basis: time_and_materials
  lines:
    - {description: Consultant, quantity: 0, unit: day, unit_price: 950}
assumptions: []
terms: Our standard terms.
valid_until: 2026-03-31
";

/// `(file, rule, severity, line, column, end_line, end_column, field)` of the TXT findings.
type Located = (String, String, String, u64, u64, u64, u64, String);

fn text_findings(report: &Value) -> Vec<Located> {
    let text = |f: &Value, key: &str| f[key].as_str().unwrap().to_string();
    let number = |f: &Value, key: &str| f[key].as_u64().unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("TXT-"))
        .map(|f| {
            (
                text(f, "file"),
                text(f, "rule"),
                text(f, "severity"),
                number(f, "line"),
                number(f, "column"),
                number(f, "end_line"),
                number(f, "end_column"),
                text(f, "field"),
            )
        })
        .collect()
}

// Each rule fires on its minimal violation at its exact place; a shared mailbox and initials with
// the surname are not mismatched addresses.
#[test]
fn each_rule_at_its_place() {
    let engage = Engage::minimal();
    engage.write("engagements/test/engagement.yaml", ENGAGEMENT);
    engage.write("engagements/test/proposal.yaml", PROPOSAL);
    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let engagement = "engagements/test/engagement.yaml";
    let proposal = "engagements/test/proposal.yaml";
    let at = |file: &str, rule: &str, severity: &str, from: (u64, u64), to: (u64, u64), field: &str| {
        (file.into(), rule.into(), severity.into(), from.0, from.1, to.0, to.1, field.into())
    };
    assert_eq!(
        text_findings(&run.json()),
        [
            at(engagement, "TXT-005", "warning", (14, 7), (14, 39), "client.contacts[1].email"),
            at(engagement, "TXT-001", "error", (28, 5), (28, 20), "enquiry.nature_of_request"),
            at(engagement, "TXT-001", "error", (28, 33), (28, 36), "enquiry.nature_of_request"),
            at(engagement, "TXT-004", "error", (32, 3), (32, 21), "communication_plan.response_times"),
            at(engagement, "TXT-003", "error", (37, 11), (37, 20), "contract.value.amount"),
            at(proposal, "TXT-002", "warning", (12, 5), (12, 24), "deliverables[0].description"),
            at(proposal, "TXT-003", "error", (20, 3), (22, 1), "pricing.lines"),
        ]
    );

    let human = engage.run(&["check", "--today", TODAY]).stdout;
    for expected in [
        "error[TXT-001]: `[date of award]` is a placeholder, still in the text
   --> engagements/test/engagement.yaml:28:5
   |
28 |     [date of award], budget £XX,XXX.
   |     ^^^^^^^^^^^^^^^",
        "error[TXT-001]: `XXX` is a placeholder, still in the text
   --> engagements/test/engagement.yaml:28:33
   |
28 |     [date of award], budget £XX,XXX.
   |                                 ^^^",
        "warning[TXT-005]: the e-mail address `ada.client@client.example` does not look like Ben Buyer's",
        "error[TXT-004]: `communication_plan.response_times` is empty: list the response times the communication plan commits to",
        "error[TXT-003]: the contract value is £0.00",
        "warning[TXT-002]: the description of deliverable D1 is one word, `Report`",
        "error[TXT-003]: the proposal's price totals £0.00",
    ] {
        assert!(human.contains(expected), "missing:\n{expected}\nin:\n{human}");
    }
}

// A placeholder finding is waived like any other, by document and field.
#[test]
fn placeholder_waived_by_field() {
    let engage = Engage::minimal();
    let title = "title: Test engagement (name TBC)\n";
    engage.write(
        "engagements/test/engagement.yaml",
        &crate::support::MINIMAL_ENGAGEMENT.replace("title: Test engagement\n", title),
    );
    engage.append(
        "engage.yaml",
        "policy:\n  waivers:\n    - rule: TXT-001\n      document: ENG-TST-2026\n      field: title\n      reason: The client confirms its programme name next week.\n      approver: Eve Manager\n      expires: 2026-12-31\n",
    );
    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = run.json();
    assert_eq!(report["summary"]["waived"], 1);
    assert_eq!(report["findings"][0]["rule"], "TXT-001");
    assert_eq!((&report["findings"][0]["line"], &report["findings"][0]["column"]), (&3.into(), &30.into()));
}

/// One step of a path through a document: a field, or the first entry of a list.
#[derive(Clone, Debug)]
enum Step {
    Field(String),
    Entry,
}

/// How a value is written in the generated file: its first line (after `key: ` or `- `), the lines
/// that follow, and the placeholder it holds.
struct Style {
    head: &'static str,
    more: &'static [&'static str],
    placeholder: &'static str,
}

const STYLES: &[Style] = &[
    Style { head: "Scope TBD", more: &[], placeholder: "TBD" },
    Style { head: "'It''s due on [date of award]'", more: &[], placeholder: "[date of award]" },
    Style { head: r#""Tab\there for \"<client name>\"""#, more: &[], placeholder: "<client name>" },
    Style { head: "|", more: &["First line", "lorem ipsum dolor"], placeholder: "lorem" },
    Style { head: ">-", more: &["Folded text", "To Be Determined"], placeholder: "To Be Determined" },
    Style { head: "Scope runs", more: &["on to XXX more"], placeholder: "XXX" },
];

/// The paths of every free-text field of a schema: a string with no `enum`, `const` or `format`
/// and no `pattern` beyond "not blank", through `$ref`s, lists and `anyOf`/`oneOf`/`allOf`.
fn free_text(node: &Value, common: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let node = resolved(node, common);
    let constrained = ["enum", "const", "format"].iter().any(|k| node.contains_key(*k))
        || node.get("pattern").is_some_and(|p| p != "\\S");
    if node.get("type").is_some_and(|t| t == "string") && !constrained {
        out.push(path.clone());
    }
    if let Some(items) = node.get("items") {
        path.push(Step::Entry);
        free_text(items, common, path, out);
        path.pop();
    }
    for (name, property) in node.get("properties").and_then(Value::as_object).into_iter().flatten() {
        path.push(Step::Field(name.clone()));
        free_text(property, common, path, out);
        path.pop();
    }
    for alternatives in ["anyOf", "oneOf", "allOf"].iter().filter_map(|k| node.get(*k)?.as_array()) {
        for alternative in alternatives {
            free_text(alternative, common, path, out);
        }
    }
}

/// A schema node with its `$ref` (into the shared definitions) merged in, the node's own keys first.
fn resolved(node: &Value, common: &Value) -> serde_json::Map<String, Value> {
    let mut node = node.as_object().cloned().unwrap_or_default();
    while let Some(Value::String(reference)) = node.remove("$ref") {
        let name = reference.rsplit('/').next().unwrap();
        let mut target = common["$defs"][name].as_object().cloned().unwrap_or_else(|| panic!("{reference}"));
        target.extend(node);
        node = target;
    }
    node
}

/// The YAML that writes `style` at `path`, in block style, lists through their first entry.
fn emit(path: &[Step], style: &Style) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for (i, step) in path.iter().enumerate() {
        let start = std::mem::take(&mut line);
        let column = start.chars().count();
        let head = match step {
            Step::Field(name) => format!("{name}:"),
            Step::Entry => "-".to_string(),
        };
        if i + 1 == path.len() {
            out.push_str(&format!("{start}{head} {}\n", style.head));
            for more in style.more {
                out.push_str(&format!("{}{more}\n", " ".repeat(column + 2)));
            }
        } else if let Step::Field(_) = step {
            out.push_str(&format!("{start}{head}\n"));
            line = " ".repeat(column + 2);
        } else {
            line = format!("{start}- ");
        }
    }
    out
}

/// The dotted field path findings name (`deliverables[0].title`).
fn field(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Field(name) if out.is_empty() => out.push_str(name),
            Step::Field(name) => out.push_str(&format!(".{name}")),
            Step::Entry => out.push_str("[0]"),
        }
    }
    out
}

// Every free-text field of every kind, found by walking the schemas, holds a placeholder in one of
// six ways of writing YAML (plain, quoted with escapes, literal and folded blocks, continued over
// lines): one document per field, and TXT-001 reports each at the placeholder's own line and
// column. A field added to a schema is covered without a change here.
#[test]
fn placeholder_in_every_free_text_field_of_every_kind() {
    let schemas = repo().join("schemas");
    let read =
        |name: &str| -> Value { serde_json::from_str(&std::fs::read_to_string(schemas.join(name)).unwrap()).unwrap() };
    let common = read("common.schema.json");
    let engage = Engage::minimal();
    let mut expected = BTreeMap::new();
    let mut kinds = BTreeMap::new();
    let mut names: Vec<_> = std::fs::read_dir(&schemas).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    for name in names.iter().map(|n| n.to_string_lossy().into_owned()) {
        let schema = read(&name);
        let Some(kind) = schema.pointer("/properties/kind/const").and_then(Value::as_str) else { continue };
        let mut paths = Vec::new();
        free_text(&schema, &common, &mut Vec::new(), &mut paths);
        kinds.insert(kind.to_string(), paths.len());
        for path in paths {
            let n = expected.len();
            let style = &STYLES[n % STYLES.len()];
            let mut text = format!("kind: {kind}\nid: TST-{n:04}\n");
            if kind != "Engagement" {
                text.push_str("engagement: ENG-TST-2026\n");
            }
            text.push_str(&emit(&path, style));
            let offset = text.find(style.placeholder).unwrap();
            let line = text[..offset].matches('\n').count() as u64 + 1;
            let column = text[..offset].rsplit('\n').next().unwrap().chars().count() as u64 + 1;
            let end = column + style.placeholder.chars().count() as u64;
            let file = format!("engagements/walk-{n:04}/document.yaml");
            engage.write(&file, &text);
            expected.insert(file, (line, column, end, field(&path), style.placeholder, text));
        }
    }
    assert_eq!(kinds.len(), 8, "every kind's schema is walked: {kinds:?}");
    assert!(kinds.values().all(|n| *n >= 3), "each kind has free text: {kinds:?}");

    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    let report = run.json();
    let mut found: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for finding in report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "TXT-001") {
        found.entry(finding["file"].as_str().unwrap().to_string()).or_default().push(finding);
    }
    let mut wrong = Vec::new();
    for (file, (line, column, end, field, placeholder, text)) in &expected {
        let got: Vec<_> = found
            .get(file)
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["line"].clone(),
                    f["column"].clone(),
                    f["end_column"].clone(),
                    f["field"].clone(),
                    f["message"].clone(),
                )
            })
            .collect();
        let message = format!("`{placeholder}` is a placeholder, still in the text");
        let want = (
            Value::from(*line),
            Value::from(*column),
            Value::from(*end),
            Value::from(field.as_str()),
            Value::from(message),
        );
        if got != [want.clone()] {
            wrong.push(format!("{file} ({field}): expected {want:?}, found {got:?}\n{text}"));
        }
    }
    assert_eq!(found.len(), expected.len(), "no finding outside the generated fields");
    assert!(wrong.is_empty(), "{} of {} fields:\n{}", wrong.len(), expected.len(), wrong.join("\n"));
}
