//! Commercial terms, the clause library and signature blocks, on the statements of work of
//! `samples-sow/`: a capped time-and-materials one (Brackwater) and a fixed-price one (Fenwick
//! Rail). Every field reaches Markdown, HTML and PDF; each rule fires on a minimal violation at
//! its exact place, and the samples themselves are clean (`sow::samples_sow_pass_the_check`).

use crate::sow::{TODAY, assert_shown, build};
use crate::support::Engage;
use serde_json::Value;

const BWW: &str = "engagements/brackwater-water/sow.yaml";
const FNR: &str = "engagements/fenwick-rail/sow.yaml";
const HAL: &str = "engagements/halden-council/pws.yaml";

/// The findings of `engage check`: rule, file, line, column and message.
fn findings(engage: &Engage) -> Vec<(String, String, u64, u64, String)> {
    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    assert!(run.code < 2, "{}", run.stderr);
    let report = run.json();
    let text = |f: &Value, k: &str| f[k].as_str().unwrap().to_string();
    let number = |f: &Value, k: &str| f[k].as_u64().unwrap();
    let list = report["findings"].as_array().unwrap();
    list.iter()
        .map(|f| (text(f, "rule"), text(f, "file"), number(f, "line"), number(f, "column"), text(f, "message")))
        .collect()
}

/// The findings of one rule.
fn of_rule(engage: &Engage, rule: &str) -> Vec<(String, String, u64, u64, String)> {
    findings(engage).into_iter().filter(|f| f.0 == rule).collect()
}

/// The line and column (from 1) where `needle` starts in `file`, plus `offset` columns.
fn at(engage: &Engage, file: &str, needle: &str, offset: u64) -> (u64, u64) {
    let text = engage.read(file);
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle} not in {file}"));
    let line = text[..start].matches('\n').count() as u64 + 1;
    let column = text[..start].rsplit('\n').next().unwrap().chars().count() as u64 + 1;
    (line, column + offset)
}

/// Replaces `from` (which must be there) by `to` in a file of the workspace.
fn edit(engage: &Engage, file: &str, from: &str, to: &str) {
    let text = engage.read(file);
    assert!(text.contains(from), "{from} not in {file}");
    engage.write(file, &text.replacen(from, to, 1));
}

fn finding(rule: &str, file: &str, (line, column): (u64, u64), message: &str) -> (String, String, u64, u64, String) {
    (rule.into(), file.into(), line, column, message.into())
}

#[test]
fn commercial_terms_clauses_and_signatures_are_shown_in_every_format() {
    let engage = Engage::samples_sow();
    build(&engage);
    assert_shown(
        &engage,
        "SOW-BWW-2026-001",
        &[
            // rate card, effort by role at those rates, and its total
            "Rate card",
            "Senior consultant",
            "£950.00",
            "Estimated effort",
            "80 days",
            "£76,000.00",
            "£163,000.00",
            // expenses and payment terms
            "reimbursed at cost under Brackwater's travel policy",
            "Estimated expenses: £6,500.00.",
            "Expenses above £9,000.00 in all need the client's written approval.",
            "Each valid invoice is payable within 30 days of receipt.",
            "interest at 4% a year above the Bank of England base rate",
            // key personnel
            "Key personnel",
            "4 days a week",
            // acceptance, warranty, IP, data protection, liability, governing law, termination
            "Review period: 10 working days from the delivery of each deliverable.",
            "a deliverable that is not rejected with reasons within the review period is accepted.",
            "naming each acceptance criterion the deliverable does not meet.",
            "a rejected deliverable is corrected and resubmitted within 5 working days",
            "Warranty period: 90 days from acceptance.",
            "belong to Brackwater on payment",
            "if that changes, the parties first sign a data processing agreement.",
            "Each party's total liability is limited to £180,000.00.",
            "the courts of England and Wales hear any dispute.",
            "either party may end the contract on 30 days' written notice.",
            "Brackwater pays for the hours worked and the expenses incurred up to the termination date.",
            "does not remedy it within 30 days of notice.",
            // clauses from the library, printed in full
            "LIAB-CAP: Limitation of liability (version 2)",
            "loss of profit, revenue or goodwill.",
            "CONF-STD: Confidentiality (version 1)",
            "The obligations last for five years after the end of the work.",
            // both parties' signatures, recorded
            "For Brackwater Water Services Ltd",
            "Helen Ashworth",
            "Chief Operating Officer",
            "14 June 2026",
            "13 June 2026",
            "Signed by both parties.",
        ],
    );
    assert_shown(
        &engage,
        "SOW-FNR-2027-001",
        &[
            "Fixed price",
            "payable within 30 days of receipt.",
            "Full time from February to May 2027",
            "Deemed acceptance: none; a deliverable is accepted only in writing.",
            "Errors in a delivered analysis",
            "are shared with no third party without its written consent.",
            "neither party excludes liability for a breach of confidentiality.",
            "TERM-CONV: Termination for convenience (version 1)",
            "Either party may end this statement of work for convenience on 30 days' written notice to the other.",
            "Not yet signed by both parties.",
        ],
    );
    assert_shown(&engage, "PWS-HAL-2027-001", &["either party may end the contract on 60 days' written notice."]);
    // Until it is signed, each party's signature and date are lines to sign on.
    let markdown = engage.read("out/SOW-FNR-2027-001.md");
    let blank = "________________________";
    assert!(
        markdown.contains(&format!("| Signature | {blank} | {blank} |\n| Date | {blank} | {blank} |")),
        "{markdown}"
    );
    let pdf = crate::pdf::pdf_text(&engage.path().join("out/SOW-FNR-2027-001.pdf"));
    assert_eq!(pdf.matches(blank).count(), 4, "{pdf}");
}

#[test]
fn time_and_materials_totals_are_rates_times_effort() {
    let engage = Engage::samples_sow();
    edit(&engage, BWW, "    amount: 163000", "    amount: 170000");
    assert_eq!(
        of_rule(&engage, "COM-002"),
        [finding(
            "COM-002",
            BWW,
            at(&engage, BWW, "amount: 170000", 8),
            "the estimate is £170,000.00, but the effort at the rate card's rates comes to £163,000.00"
        )]
    );
    // Effort of a role the rate card does not have cannot be priced.
    let engage = Engage::samples_sow();
    edit(&engage, BWW, "{role: Analyst, quantity: 60}", "{role: Data analyst, quantity: 60}");
    assert_eq!(
        of_rule(&engage, "COM-001"),
        [finding(
            "COM-001",
            BWW,
            at(&engage, BWW, "Data analyst, quantity", 0),
            "the effort of `Data analyst` has no rate: the rate card has no such role"
        )]
    );
}

#[test]
fn payment_terms_stay_within_the_policy() {
    let engage = Engage::samples_sow();
    edit(&engage, BWW, "    days: 30\n", "    days: 75\n");
    let expected = finding(
        "COM-004",
        BWW,
        at(&engage, BWW, "days: 75", 6),
        "payment within 75 days is longer than the policy allows (60 days)",
    );
    assert_eq!(of_rule(&engage, "COM-004"), [expected]);
    engage.append("engage.yaml", "policy:\n  commercial:\n    max_payment_days: 90\n");
    assert_eq!(of_rule(&engage, "COM-004"), []);
}

#[test]
fn termination_terms_are_stated_before_contracting() {
    // Halden's work statement states termination in its terms; Fenwick Rail's cites a clause.
    let engage = Engage::samples_sow();
    let text = engage.read(HAL);
    let (head, _) = text.split_once("terms:\n").unwrap();
    engage.write(HAL, &format!("{head}approvals: []\n"));
    let message = "the engagement is contracting but this statement of work states no termination terms";
    assert_eq!(of_rule(&engage, "COM-005"), [finding("COM-005", HAL, at(&engage, HAL, "kind:", 0), message)]);
    edit(&engage, FNR, "  - {id: TERM-CONV, version: 1}\n", "");
    assert_eq!(of_rule(&engage, "COM-005").len(), 2);
}

#[test]
fn deliverable_owners_are_key_personnel() {
    let engage = Engage::samples_sow();
    edit(&engage, FNR, "  - name: Daniel Kowalski\n    role: Lead analyst\n", "");
    assert_eq!(
        of_rule(&engage, "COM-006"),
        [finding(
            "COM-006",
            FNR,
            at(&engage, FNR, "owner: Daniel Kowalski", 7),
            "Daniel Kowalski, the owner of D1, is not named under key_personnel"
        )]
    );
}

#[test]
fn the_estimate_keeps_to_the_ceiling() {
    let engage = Engage::samples_sow();
    edit(
        &engage,
        BWW,
        "    amount: 180000\n    currency: GBP\n  estimate:",
        "    amount: 150000\n    currency: GBP\n  estimate:",
    );
    assert_eq!(
        of_rule(&engage, "COM-003"),
        [finding(
            "COM-003",
            BWW,
            at(&engage, BWW, "  effort:", 2),
            "the estimate comes to £163,000.00, above the ceiling of £150,000.00"
        )]
    );
    edit(&engage, BWW, "    amount: 150000\n    currency: GBP\n", "    amount: 150000\n    currency: EUR\n");
    assert_eq!(
        of_rule(&engage, "COM-003"),
        [finding(
            "COM-003",
            BWW,
            at(&engage, BWW, "currency: EUR", 10),
            "the ceiling is in EUR, the rate card in GBP: they cannot be compared"
        )]
    );
}

/// An approved change request to the Brackwater statement of work: `days` more of the senior
/// consultant at £950 a day, costing `cost`, with `extra` added to its pricing change.
fn change(days: u32, cost: u32, extra: &str) -> String {
    format!(
        "kind: ChangeRequest
id: CR-BWW-2026-001
title: Second depot survey
date: 2026-09-01
sow: SOW-BWW-2026-001
requested_by:
  name: Helen Ashworth
requested_on: 2026-09-01
description: Survey the Lister Way depot too.
reason: The regulator added it to the review.
affected_deliverables: [D2]
impact:
  quality: No impact
  risk: No impact
  cost:
    amount: {cost}
    currency: GBP
  timeline:
    days: 0
  compliance: No impact
pricing_change:
  effort:
    - {{role: Senior consultant, quantity: {days}}}
{extra}status: approved
client_agreement: {{agreed: true, name: Helen Ashworth, date: 2026-09-02}}
internal_approval: {{role: Engagement Manager, name: Priya Raman, decision: approved, date: 2026-09-02}}
approvals: []
signatures:
  client: {{name: Helen Ashworth, title: Chief Operating Officer, signed_on: 2026-09-03}}
"
    )
}

#[test]
fn approved_changes_keep_to_the_ceiling_and_cost_their_effort() {
    const CR: &str = "engagements/brackwater-water/cr-001.yaml";
    let engage = Engage::samples_sow();
    // £163,000 of effort and £19,000 more: above the ceiling of £180,000.
    engage.write(CR, &change(20, 19000, ""));
    let message = "with this approved change the price of SOW-BWW-2026-001 comes to £182,000.00, above its ceiling of £180,000.00";
    assert_eq!(of_rule(&engage, "COM-003"), [finding("COM-003", CR, at(&engage, CR, "amount: 19000", 0), message)]);
    assert_eq!(of_rule(&engage, "COM-002"), []);
    // A change that raises the ceiling keeps within it; its cost is still its effort at the rates.
    engage.write(CR, &change(20, 18000, "  ceiling: {amount: 190000, currency: GBP}\n"));
    assert_eq!(of_rule(&engage, "COM-003"), []);
    assert_eq!(
        of_rule(&engage, "COM-002"),
        [finding(
            "COM-002",
            CR,
            at(&engage, CR, "amount: 18000", 8),
            "the cost of the change is £18,000.00, but the effort at the rate card's rates comes to £19,000.00"
        )]
    );
    // The change request prints its priced effort, the new ceiling and its signature block.
    engage.write(CR, &change(20, 19000, "  ceiling: {amount: 190000, currency: GBP}\n"));
    build(&engage);
    assert_shown(
        &engage,
        "CR-BWW-2026-001",
        &[
            "Pricing change",
            "20 days",
            "£19,000.00",
            "the ceiling (not to exceed) becomes £190,000.00.",
            "For Harbour & Finch Consulting Ltd",
            "3 September 2026",
            "Not yet signed by both parties.",
        ],
    );
}

#[test]
fn a_proposal_prices_by_role_and_is_accepted_by_signature() {
    let engage = Engage::samples();
    let file = "engagements/ostara-energie/proposal.yaml";
    let text = engage.read(file);
    let (head, rest) = text.split_once("\nterms:").unwrap();
    let tail = rest.split_once("\napprovals:").map(|(_, t)| format!("\napprovals:{t}")).unwrap();
    let terms = "
terms:
  liability: {cap: {amount: 50000, currency: EUR}}
  governing_law: German law; the courts of Hamburg.
signatures:
  client: {name: Jana Richter, title: Head of Energy Systems}
";
    engage.write(file, &format!("{head}{terms}{tail}"));
    edit(
        &engage,
        file,
        "pricing:\n",
        "pricing:\n  rate_card:\n    - {role: Data scientist, rate: {amount: 1100, currency: EUR}, unit: day}\n  effort:\n    - {role: Data scientist, quantity: 15}\n  payment_terms: {days: 45}\n",
    );
    let commercial: Vec<_> =
        findings(&engage).into_iter().filter(|f| f.0.starts_with("COM-") || f.0.starts_with("CLA-")).collect();
    assert_eq!(commercial, []);
    build(&engage);
    assert_shown(
        &engage,
        "PRO-OST-2026-001",
        &[
            "Data scientist",
            "15 days",
            "€16,500.00",
            "payable within 45 days of receipt.",
            "Each party's total liability is limited to €50,000.00.",
            "German law; the courts of Hamburg.",
            "By signing below, the client accepts this proposal",
            "Jana Richter",
            "Head of Energy Systems",
        ],
    );
}

#[test]
fn a_cited_clause_must_be_in_the_library_and_current() {
    let engage = Engage::samples_sow();
    let library = engage.read("clauses/LIAB-CAP.md");
    engage.write("clauses/LIAB-CAP.md", &library.replace("version: 2", "version: 3"));
    let run = engage.run(&["check", "--today", TODAY]);
    assert_eq!(run.code, 0, "a warning alone: {}", run.stdout);
    let message = |_| {
        "clause LIAB-CAP is cited in version 2, but the library's is version 3: the document prints version 3"
            .to_string()
    };
    let bww = at(&engage, BWW, "{id: LIAB-CAP, version: 2}", 24);
    let fnr = at(&engage, FNR, "{id: LIAB-CAP, version: 2}", 24);
    assert_eq!(
        of_rule(&engage, "CLA-002"),
        [finding("CLA-002", BWW, bww, &message(())), finding("CLA-002", FNR, fnr, &message(())),]
    );
    edit(&engage, BWW, "{id: LIAB-CAP, version: 2}", "{id: LIAB-CAP, version: 4}");
    edit(&engage, FNR, "{id: LIAB-CAP, version: 2}", "{id: LIAB-KAP, version: 3}");
    assert_eq!(
        of_rule(&engage, "CLA-001"),
        [
            finding("CLA-001", BWW, bww, "clause LIAB-CAP has no version 4: the library's is version 3"),
            finding(
                "CLA-001",
                FNR,
                at(&engage, FNR, "LIAB-KAP", 0),
                "the clause library has no clause LIAB-KAP (clauses/LIAB-KAP.md)"
            ),
        ]
    );
}

// A revised clause in the library changes the text of the documents that cite it: the check
// warns, and `engage diff` shows the issued revision's clause against the library's new one.
#[test]
fn diff_shows_clause_changes() {
    let engage = Engage::samples_sow();
    let id = "SOW-BWW-2026-001";
    let release = engage.run(&["release", id, "--reason", "First issue", "--author", "Priya Raman"]);
    assert_eq!(release.code, 0, "{}{}", release.stdout, release.stderr);
    let library = engage.read("clauses/LIAB-CAP.md");
    let revised = library.replace("version: 2", "version: 3").replace("in the twelve months", "in the eighteen months");
    engage.write("clauses/LIAB-CAP.md", &revised);
    let diff = engage.run(&["diff", id]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    for line in [
        "-### LIAB-CAP: Limitation of liability (version 2)",
        "+### LIAB-CAP: Limitation of liability (version 3)",
        "-Each party's total liability arising out of",
        "+Each party's total liability arising out of",
        "+This document cites version 2 of the clause; the text above is version 3, the library's current version.",
    ] {
        assert!(diff.stdout.lines().any(|l| l.starts_with(line)), "{line}\nnot in\n{}", diff.stdout);
    }
    assert!(diff.stdout.contains("in the eighteen months before the claim"), "{}", diff.stdout);
    // Citing the new version is a change of the data too.
    edit(&engage, BWW, "{id: LIAB-CAP, version: 2}", "{id: LIAB-CAP, version: 3}");
    let fields = engage.run(&["diff", id, "--format", "fields"]);
    assert_eq!(fields.stdout, "clauses[LIAB-CAP].version: 2 → 3\n");
}

#[test]
fn a_broken_clause_file_names_its_line_and_column() {
    let engage = Engage::samples_sow();
    engage.write("clauses/LIAB-CAP.md", "---\ntitle: Limitation of liability\nversion: two\n---\nText.\n");
    let run = engage.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("clauses/LIAB-CAP.md:3:10: the clause's header needs `version:`, a whole number from 1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: a clause file is clauses/ID.md"), "{}", run.stderr);
    // A README documents the library; it is not a clause.
    engage.write("clauses/LIAB-CAP.md", "---\ntitle: Limitation of liability\nversion: 2\n---\nText.\n");
    engage.write("clauses/README.md", "# Our clauses\n\nReviewed every year by Legal.\n");
    assert_eq!(engage.run(&["check", "--today", TODAY]).code, 0);
}

// Clauses become contract text: they come from the workspace itself, never through a link.
#[test]
fn a_clauses_folder_that_is_a_link_is_refused() {
    let engage = Engage::samples_sow();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::rename(engage.path().join("clauses"), elsewhere.path().join("clauses")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("clauses"), engage.path().join("clauses")).unwrap();
    let run = engage.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("clauses is a symbolic link"), "{}", run.stderr);
}

// Quantities are written as the document's language writes numbers, grouped in thousands like
// its amounts: hours in an English statement of work, days in a German proposal.
#[test]
fn large_quantities_are_grouped_in_the_documents_language() {
    let engage = Engage::samples_sow();
    edit(
        &engage,
        BWW,
        "      rate: {amount: 650, currency: GBP}\n      unit: day",
        "      rate: {amount: 85, currency: GBP}\n      unit: hour",
    );
    edit(&engage, BWW, "{role: Analyst, quantity: 60}", "{role: Analyst, quantity: 1240}");
    let proposal = "engagements/elbtal-stadtwerke/proposal.yaml";
    edit(&engage, proposal, "      quantity: 655\n", "      quantity: 1655.5\n");
    build(&engage);
    assert_shown(&engage, "SOW-BWW-2026-001", &["1,240 hours", "£105,400.00"]);
    assert_shown(&engage, "PRO-EST-2026-001", &["1.655,5"]);
}
