//! Statements of work as clients and contracts write them (`samples-sow/`): relative and
//! recurring due dates, document type and issuer, the sections of their own, quality
//! surveillance, pricing that is not milestones, and the rules about them.

use crate::build::{fold, html_text, markdown_text, shown_values};
use crate::pdf::pdf_text;
use crate::support::Engage;
use std::path::Path;
use std::process::Command;

pub const TODAY: &str = "2026-11-23";

/// What a reader sees of a document in each format, folded (see `fold`).
fn texts(engage: &Engage, id: &str) -> [(&'static str, String); 3] {
    [
        ("md", markdown_text(&engage.read(&format!("out/{id}.md")))),
        ("html", html_text(&engage.read(&format!("out/{id}.html")))),
        ("pdf", fold(&raw_pdf_text(&engage.path().join(format!("out/{id}.pdf"))))),
    ]
}

/// A PDF's text in content order (`pdftotext -raw`): a table cell's lines come in order, with
/// the other cells of the same row between them.
fn raw_pdf_text(path: &Path) -> String {
    let output = Command::new("pdftotext").arg("-raw").arg(path).arg("-").output().expect("pdftotext is installed");
    assert!(output.status.success(), "{} does not open", path.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether `text` shows `phrase`: in Markdown and HTML as it is; in a PDF, whose table cells
/// wrap, its words in order with at most a row's worth of other cells' words between two of them.
fn shows(format: &str, text: &str, phrase: &str) -> bool {
    let phrase = fold(phrase);
    if format != "pdf" {
        return text.contains(&phrase);
    }
    fn word(w: &str) -> &str {
        w.trim_end_matches(['.', ';', ':'])
    }
    let words: Vec<&str> = text.split(' ').map(word).collect();
    let wanted: Vec<&str> = phrase.split(' ').map(word).collect();
    (0..words.len()).any(|start| {
        let mut at = start;
        wanted.iter().enumerate().all(|(i, word)| {
            let window = if i == 0 { 1 } else { 12 };
            match words[at..words.len().min(at + window)].iter().position(|w| w == word) {
                Some(found) => {
                    at += found + 1;
                    true
                }
                None => false,
            }
        })
    })
}

pub fn build(engage: &Engage) {
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// Each expected text is in the Markdown, the HTML and the PDF of the document.
pub fn assert_shown(engage: &Engage, id: &str, expected: &[&str]) {
    let mut missing = Vec::new();
    for (format, text) in texts(engage, id) {
        missing.extend(expected.iter().filter(|e| !shows(format, &text, e)).map(|e| format!("{id}.{format}: {e:?}")));
    }
    assert!(missing.is_empty(), "missing:\n{}", missing.join("\n"));
}

// The second sample workspace is compliant: no finding at all.
#[test]
fn samples_sow_pass_the_check() {
    let run = Engage::samples_sow().run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["findings"], serde_json::json!([]));
}

// Every new field of the three statements of work reaches Markdown, HTML and PDF.
#[test]
fn every_new_field_is_shown_in_every_format() {
    let engage = Engage::samples_sow();
    build(&engage);
    assert_shown(
        &engage,
        "PWS-HAL-2027-001",
        &[
            // document type, issuer, signatory and the issuer's reference
            "Performance Work Statement issued by Halden County Council",
            "Margaret Oduya",
            "HCC-T-2026-118",
            // background
            "1.2 million calls a year",
            // quality surveillance: acceptor, review window, standard, AQL, inspection, rejection
            "Tobias Reyne (Contract Manager)",
            "10 working days",
            "Every finding cites its data source.",
            "Within 1% for every month.",
            "Random sampling of 5 days a month",
            "corrected within 10 working days at no extra cost",
            // client-furnished items, their due dates (an event) and a milestone relative to one
            "Twelve months of call records",
            "within 15 working days of award",
            "Facilities",
            "within 45 days of receipt of CF3",
            // place and hours of performance, remote share, travel
            "Halden Civic Centre, Market Street, Halden",
            "Monday to Friday, 08:30 to 17:30",
            "60%",
            "Travel to Halden is included in the fixed price",
            "£6,500.00",
            // security requirements
            "Baseline Personnel Security Standard (BPSS)",
            "Basic DBS check for anyone working at the Civic Centre.",
            "deleted at the end of the contract",
            // pricing and invoicing
            "Fixed price",
            "supplier portal",
        ],
    );
    assert_shown(
        &engage,
        "SOW-BWW-2026-001",
        &[
            "Capped time and materials",
            "£180,000.00",
            "There are no milestone payments.",
            "Monthly in arrears",
            "accounts.payable@brackwater-water.example",
            "Attach the approved timesheets for the month",
            "Payment within 30 days of a valid invoice",
            // award is recorded: dates relative to it resolve; kickoff is not: they print as text
            "15 June 2026",
            "Not recorded yet",
            "15 July 2026",
            "within 6 weeks of kickoff",
            "within 20 working days of acceptance of D2",
            // a monthly report from 10 working days after D1's acceptance to the end of the period
            "3 August 2026, then every 1 month, until the end of the period (11 deliveries)",
            "within 2 weeks of kickoff, then every 2 weeks, 10 times in all",
        ],
    );
    assert_shown(
        &engage,
        "SOW-FNR-2027-001",
        &[
            "Call-Off Statement of Work",
            "Option period 1: support for the December 2027 timetable change",
            "1 October 2027 to 31 March 2028",
            "31 August 2027",
            "£48,000.00",
            "Simulation of a fourth alternative",
            "£9,500.00",
        ],
    );
    // The HTML page's header names the issuer and the document type.
    let html = engage.read("out/PWS-HAL-2027-001.html");
    assert!(html.contains("<strong>Halden County Council</strong> · Performance Work Statement"), "{html}");
    // The document type heads every page after the first.
    let pdf = pdf_text(&engage.path().join("out/PWS-HAL-2027-001.pdf"));
    let headers =
        pdf.split('\u{c}').skip(1).filter(|page| page.contains("Performance Work Statement · PWS-HAL-2027-001"));
    assert!(headers.count() >= 2, "{pdf}");
}

// A relative date prints as text until its event is recorded, and as the date after.
#[test]
fn relative_dates_resolve_once_the_event_is_recorded() {
    let engage = Engage::samples_sow();
    build(&engage);
    let sow = "engagements/brackwater-water/sow.yaml";
    for (format, text) in texts(&engage, "SOW-BWW-2026-001") {
        assert!(
            shows(format, &text, "within 6 weeks of kickoff") && !shows(format, &text, "17 August 2026"),
            "{format}"
        );
    }
    engage.write(sow, &engage.read(sow).replace("  kickoff:\n", "  kickoff: 2026-07-06\n"));
    build(&engage);
    assert_shown(
        &engage,
        "SOW-BWW-2026-001",
        &["6 July 2026", "17 August 2026", "20 July 2026, then every 2 weeks, 10 times in all (10 deliveries)"],
    );
    for (format, text) in texts(&engage, "SOW-BWW-2026-001") {
        assert!(!shows(format, &text, "of kickoff"), "{format}: {text}");
    }
}

// Each new rule fires on its minimal violation, at the value's file, line and column, and says
// what to write instead.
#[test]
fn new_rules_fire_at_the_value() {
    let run = Engage::fixture("noncompliant").run(&["check", "--format", "json", "--today", TODAY]);
    let report = run.json();
    let found: Vec<(String, String, u64, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ["SCH-", "QAS-", "SOW-005"].iter().any(|p| f["rule"].as_str().unwrap().starts_with(p)))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("rule"), s("file"), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap(), s("message"))
        })
        .collect();
    let fox = "engagements/foxtrot/sow.yaml";
    let expected = [
        (
            "SCH-002",
            "engagements/bravo/sow.yaml",
            19,
            5,
            "milestone M1 is due on 2027-03-01, outside the contract's period of performance 2026-01-15 to 2026-12-31",
        ),
        (
            "SOW-005",
            fox,
            4,
            16,
            "`Statment of Work` is not a document type engage knows; did you mean `Statement of Work`?",
        ),
        ("SCH-001", fox, 15, 10, "deliverable D1: `dayz` is not a unit engage knows"),
        (
            "SCH-004",
            fox,
            21,
            10,
            "deliverable D2 counts from acceptance of D9, which this statement of work does not define",
        ),
        ("QAS-001", fox, 24, 5, "deliverable D3 names no acceptor and no review window before the contract is signed"),
        (
            "SCH-002",
            fox,
            32,
            5,
            "deliverable D4 has a delivery due on 2027-10-31, outside the contract's period of performance 2027-02-01 to 2027-09-30",
        ),
        ("SCH-001", fox, 41, 14, "deliverable D5 recurs: `weekly` is not a whole number of days, weeks or months"),
        ("SCH-003", fox, 47, 5, "milestone M1 is due on 2027-03-01, before deliverable D3 it pays for (2027-06-30)"),
    ];
    let expected: Vec<_> =
        expected.iter().map(|(r, f, l, c, m)| (r.to_string(), f.to_string(), *l, *c, m.to_string())).collect();
    assert_eq!(found, expected);
    let unreadable = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "SCH-001").unwrap();
    assert!(unreadable["help"].as_str().unwrap().contains("`acceptance of D2 + 10 working days`"), "{unreadable}");
}

// SCH-004 also finds an event that never happened in a closed engagement's data.
#[test]
fn an_event_undated_at_closure_never_happened() {
    let engage = Engage::samples_sow();
    let file = "engagements/brackwater-water/engagement.yaml";
    engage.write(file, &engage.read(file).replace("stage: delivery", "stage: closed"));
    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    let never: Vec<_> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "SCH-004")
        .map(|f| format!("{}:{} {}", f["line"], f["column"], f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        never,
        [
            "44:10 deliverable D2 counts from kickoff, which has no date and the engagement is closed",
            "50:10 deliverable D3 counts from acceptance of D2, which has no date and the engagement is closed",
            "64:10 deliverable D5 counts from kickoff, which has no date and the engagement is closed",
        ]
    );
}

// Labour-hour work has no milestone payments to reconcile; work paid by milestones still does.
#[test]
fn milestone_payments_are_reconciled_only_for_work_paid_by_milestones() {
    let engage = Engage::samples_sow();
    let pws = "engagements/halden-council/pws.yaml";
    let text = engage.read(pws);
    let (head, rest) = text.split_once("milestones:\n").unwrap();
    let (_, tail) = rest.split_once("\npricing:\n").unwrap();
    let without_payments = format!("{head}milestones: []\n\npricing:\n{tail}");
    let sow002 = |engage: &Engage| -> Vec<String> {
        let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
        run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "SOW-002")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    engage.write(pws, &without_payments);
    assert_eq!(sow002(&engage), ["the milestone payments sum to £0.00, the contract value is £240,000.00"]);
    for model in ["labour_hour", "time_and_materials", "capped_time_and_materials"] {
        engage.write(pws, &without_payments.replace("model: fixed_price", &format!("model: {model}")));
        assert_eq!(sow002(&engage), Vec::<String>::new(), "{model}");
    }
}

// The workspace's own document types are known; others are findings.
#[test]
fn a_workspace_adds_document_types() {
    let engage = Engage::samples_sow();
    let settings = engage.read("engage.yaml");
    engage.write("engage.yaml", &settings.replace("document_types:\n  - Call-Off Statement of Work\n", ""));
    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    let finding = &run.json()["findings"][0];
    assert_eq!(run.code, 1);
    assert_eq!(finding["rule"], "SOW-005");
    assert_eq!(
        (finding["file"].as_str().unwrap(), &finding["line"], &finding["column"]),
        ("engagements/fenwick-rail/sow.yaml", &5.into(), &16.into())
    );
}

// A proposal names the client's document it responds to.
#[test]
fn a_proposal_responds_to_the_clients_document() {
    let engage = Engage::samples();
    engage.append(
        "engagements/ostara-energie/proposal.yaml",
        "responds_to:\n  reference: OST-2026-T-031\n  title: Heat demand forecasting service\n  document_type: Tender specification\n",
    );
    build(&engage);
    assert_shown(
        &engage,
        "PRO-OST-2026-001",
        &["Tender specification OST-2026-T-031: Heat demand forecasting service"],
    );
}

// Every text and date of the second sample workspace reaches Markdown and HTML; a relative due
// date is shown resolved or as a sentence (see `relative_dates_resolve_once_the_event_is_recorded`).
#[test]
fn every_value_of_the_sow_samples_reaches_markdown_and_html() {
    let engage = Engage::samples_sow();
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in ["brackwater-water/sow.yaml", "halden-council/pws.yaml", "fenwick-rail/sow.yaml"] {
        let text = engage.read(&format!("engagements/{file}"));
        let data = engage::source::yaml::parse(&text).unwrap().value;
        let id = data["id"].as_str().unwrap();
        let markdown = markdown_text(&engage.read(&format!("out/{id}.md")));
        let html = html_text(&engage.read(&format!("out/{id}.html")));
        let mut values = Vec::new();
        shown_values(&data, "", &mut values);
        for (pointer, shown) in values {
            let relative = pointer.ends_with("/due") && !shown.chars().next().is_some_and(|c| c.is_ascii_digit());
            if relative {
                continue;
            }
            checked += 1;
            if !markdown.contains(&shown) || !html.contains(&shown) {
                missing.push(format!("{file}{pointer}: {shown:?}"));
            }
        }
    }
    assert!(checked > 150, "{checked}");
    assert!(missing.is_empty(), "{} values missing:\n{}", missing.len(), missing.join("\n"));
}
