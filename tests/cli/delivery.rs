//! Delivery records (escalations, complaints, decision logs): validated, located, checked against
//! the engagement's escalation matrix and complaint procedure, and rendered.

use crate::support::{Engage, MINIMAL_ENGAGEMENT};

const TODAY: &str = "2026-11-23";

/// The minimal engagement with a two-level escalation matrix and a complaint procedure.
fn engagement() -> String {
    format!(
        "{MINIMAL_ENGAGEMENT}\
escalation_matrix:
  levels:
    - {{level: 1, name: Project, owner: {{name: Eve Manager}}, acknowledge_within: 4h, resolve_within: 3d, triggers: [Any]}}
    - {{level: 2, name: Board, owner: {{name: Eve Manager}}, acknowledge_within: 1h, resolve_within: 24h, triggers: [Worse]}}
complaint_handling:
  procedure: Logged, answered and closed by the quality manager.
  owner: {{name: Eve Manager}}
  acknowledge_within: 2d
  resolve_within: 2w
"
    )
}

/// An escalation raised at tier 1 at 09:00, acknowledged at `acknowledged`, resolved at `resolved`.
fn escalation(acknowledged: &str, resolved: &str) -> String {
    format!(
        "kind: Escalation
id: ESC-TST-001
title: Load failed
date: 2026-05-10
status: resolved
severity: moderate
issue: The nightly load failed.
raised_by: {{name: Ada Client}}
raised_at: 2026-05-04 09:00
history:
  - tier: 1
    owner: Eve Manager
    escalated_at: 2026-05-04 09:00
    acknowledged_at: {acknowledged}
resolved_at: {resolved}
approvals: []
"
    )
}

fn workspace(file: &str, text: &str) -> Engage {
    let engage = Engage::minimal();
    engage.write("engagements/test/engagement.yaml", &engagement());
    engage.write(&format!("engagements/test/{file}"), text);
    engage
}

/// `(rule, line, column, message)` of every finding of `engage check`.
fn findings(engage: &Engage) -> Vec<(String, u64, u64, String)> {
    let run = engage.run(&["check", "--format", "json", "--today", TODAY]);
    assert!(run.code <= 1, "{}", run.stderr);
    let report = run.json();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_string();
            (text("rule"), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap(), text("message"))
        })
        .collect()
}

fn finding(rule: &str, line: u64, column: u64, message: &str) -> (String, u64, u64, String) {
    (rule.into(), line, column, message.into())
}

// Tier 1 acknowledges within 4h and resolves within 3d: exactly on time is no breach, one minute
// late is, and the finding names both times and the limit.
#[test]
fn one_minute_late_is_a_breach_exactly_on_time_is_not() {
    let on_time = workspace("esc.yaml", &escalation("2026-05-04 13:00", "2026-05-07 09:00"));
    assert_eq!(findings(&on_time), []);
    assert_eq!(on_time.run(&["check", "--today", TODAY]).code, 0);

    let late = workspace("esc.yaml", &escalation("2026-05-04 13:01", "2026-05-07 09:01"));
    assert_eq!(
        findings(&late),
        [
            finding(
                "ESC-004",
                14,
                5,
                "acknowledged at 2026-05-04 13:01, 4h 1m after it reached tier 1 at 2026-05-04 09:00; tier 1 (Project) allows 4h"
            ),
            finding(
                "ESC-005",
                15,
                1,
                "resolved at 2026-05-07 09:01, 3d 1m after it reached tier 1 at 2026-05-04 09:00; tier 1 (Project) allows 3d"
            ),
        ]
    );
    assert_eq!(late.run(&["check", "--today", TODAY]).code, 1);
}

/// An escalation still open at tier 1, raised at 09:00 on 2026-11-19 (tier 1 resolves within 3d).
fn open_escalation(acknowledged: &str) -> String {
    let text =
        escalation(acknowledged, "x").replace("status: resolved", "status: open").replace("resolved_at: x\n", "");
    text.replace("2026-05-04", "2026-11-19")
}

// An open escalation is judged against today: breached once the day of its deadline has passed
// (check knows the day, not the hour), silent on that day itself.
#[test]
fn open_escalations_are_judged_against_today() {
    let engage = workspace("esc.yaml", &open_escalation("2026-11-19 10:00"));
    let check = |today: &str| {
        let run = engage.run(&["check", "--format", "json", "--today", today]);
        let report = run.json();
        let found: Vec<(String, u64, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (f["rule"].as_str().unwrap().into(), f["line"].as_u64().unwrap(), f["message"].as_str().unwrap().into())
            })
            .collect();
        (run.code, found)
    };
    assert_eq!(check("2026-11-22"), (0, vec![]), "due on 2026-11-22 at 09:00: not known to be late that day");
    let late =
        "still open at tier 1 (Project), reached at 2026-11-19 09:00; it resolves within 3d, so by 2026-11-22 09:00";
    assert_eq!(check("2026-11-23"), (1, vec![("ESC-005".into(), 5, late.into())]));

    engage.write("engagements/test/esc.yaml", &open_escalation("x").replace("    acknowledged_at: x\n", ""));
    let waiting = "tier 1 (Project) has not acknowledged the escalation it reached at 2026-11-19 09:00; it allows 4h, so by 2026-11-19 13:00";
    assert_eq!(check("2026-11-20"), (1, vec![("ESC-004".into(), 11, waiting.into())]));
    assert_eq!(check("2026-11-19"), (0, vec![]));
}

/// The escalation moved to tier 2 at `moved` (`… 09:00`), with `extra` lines in that history
/// entry, and resolved half an hour later.
fn moved_up(moved: &str, extra: &str) -> String {
    escalation("2026-05-04 09:30", &moved.replace("09:00", "09:30")).replace(
        "resolved_at:",
        &format!("  - tier: 2\n    owner: Eve Manager\n    escalated_at: {moved}\n    acknowledged_at: {moved}\n{extra}resolved_at:"),
    )
}

// Moving up before the lower tier's resolve time needs a reason; after it, or with one, it does not.
#[test]
fn moving_up_early_needs_a_reason() {
    let early = workspace("esc.yaml", &moved_up("2026-05-05 09:00", ""));
    let expected = "moved up to tier 2 at 2026-05-05 09:00, 1d after reaching tier 1 at 2026-05-04 09:00, \
                    before tier 1's resolve time of 3d, with no reason";
    assert_eq!(findings(&early), [finding("ESC-006", 17, 5, expected)]);
    let with_reason = workspace("esc.yaml", &moved_up("2026-05-05 09:00", "    reason: The sponsor asked.\n"));
    assert_eq!(findings(&with_reason), []);
    let after = workspace("esc.yaml", &moved_up("2026-05-07 09:00", ""));
    assert_eq!(findings(&after), []);
}

// A critical escalation may be resolved without a review, but not closed.
#[test]
fn critical_escalations_are_reviewed_before_closure() {
    let critical = escalation("2026-05-04 09:30", "2026-05-05 09:00").replace("moderate", "critical");
    assert_eq!(findings(&workspace("esc.yaml", &critical)), []);
    let closed = critical.replace("status: resolved", "status: closed");
    let expected = "the critical escalation is closed without a post-incident review";
    assert_eq!(findings(&workspace("esc.yaml", &closed)), [finding("ESC-007", 5, 1, expected)]);
    let reviewed = format!(
        "{closed}post_incident_review:\n  date: 2026-05-09\n  held_by: Eve Manager\n  findings: [A full disk]\n  improvements: [Disk alerts]\n"
    );
    assert_eq!(findings(&workspace("esc.yaml", &reviewed)), []);
}

fn complaint(status: &str, received: &str, extra: &str) -> String {
    format!(
        "kind: Complaint
id: CMP-TST-001
title: Late report
date: 2026-11-20
status: {status}
received_on: {received}
received_from: {{name: Ada Client}}
channel: Email
category: Timeliness
description: The report was late.
approvals: []
{extra}"
    )
}

// An open complaint needs a response once the procedure's acknowledgement time (2d) has passed;
// a closed one also needs its root cause and corrective action.
#[test]
fn complaints_are_answered_and_closed_with_their_causes() {
    assert_eq!(findings(&workspace("c.yaml", &complaint("open", "2026-11-21", ""))), []);
    let overdue = "the complaint is `open` and has no response; the engagement's procedure answers within 2d";
    assert_eq!(
        findings(&workspace("c.yaml", &complaint("open", "2026-11-20", ""))),
        [finding("CMP-001", 5, 1, overdue)]
    );

    let response = "response: {date: 2026-11-21, by: Eve Manager, summary: Apologised.}\n";
    let closed = workspace("c.yaml", &complaint("closed", "2026-11-20", response));
    let missing = "the complaint is closed without root_cause, corrective_action, closed_on";
    assert_eq!(findings(&closed), [finding("CMP-002", 5, 1, missing)]);
    let causes = format!("{response}root_cause: No reminder.\ncorrective_action: A reminder.\nclosed_on: 2026-11-22\n");
    assert_eq!(findings(&workspace("c.yaml", &complaint("closed", "2026-11-20", &causes))), []);
}

// Complaints need the engagement's procedure: the finding is on the engagement.
#[test]
fn complaints_need_a_procedure() {
    let engage = Engage::minimal();
    engage.write("engagements/test/c.yaml", &complaint("open", "2026-11-22", ""));
    let expected = "the engagement has complaints (CMP-TST-001) but no complaint-handling procedure";
    assert_eq!(findings(&engage), [finding("CMP-003", 1, 1, expected)]);
}

fn decisions(actions: &str) -> String {
    format!(
        "kind: DecisionLog
id: DEC-TST-001
title: Progress meeting
date: 2026-11-02
held_on: 2026-11-02
channel: Telephone
attendees: [{{name: Ada Client}}, {{name: Eve Manager}}]
key_points: [Progress is slow]
decisions: [{{decision: Meet weekly.}}]
approvals: []
actions:
{actions}"
    )
}

// Actions have an owner and a due date, and are not overdue unless done or explained.
#[test]
fn decision_log_actions_are_owned_and_on_time() {
    let log = decisions("  - action: Send the plan.\n    owner: Eve Manager\n    due: 2026-11-20\n");
    let overdue = "the action was due on 2026-11-20 and is not done, with no note";
    assert_eq!(findings(&workspace("d.yaml", &log)), [finding("DEC-002", 14, 5, overdue)]);
    for settled in ["    status: done\n", "    note: Waiting for the client's figures.\n"] {
        assert_eq!(findings(&workspace("d.yaml", &format!("{log}{settled}"))), [], "{settled}");
    }
    let due_later = log.replace("2026-11-20", "2026-11-23");
    assert_eq!(findings(&workspace("d.yaml", &due_later)), []);
    let unowned = decisions("  - action: Send the plan.\n");
    let expected = "the action has no owner and no due date";
    assert_eq!(findings(&workspace("d.yaml", &unowned)), [finding("DEC-001", 12, 5, expected)]);
}

// Each new kind is validated against its schema and located like the others.
#[test]
fn new_kinds_are_validated_and_located() {
    let cases = [
        ("esc.yaml", escalation("2026-05-04 13:00", "2026-05-07 9:00"), "SCHEMA-004", 15, 14, "resolved_at"),
        ("c.yaml", complaint("pending", "2026-11-20", ""), "SCHEMA-004", 5, 9, "status"),
        ("d.yaml", decisions("  - action: Send the plan.\n    due: soon\n"), "SCHEMA-004", 13, 10, "actions[0].due"),
    ];
    for (file, text, rule, line, column, field) in cases {
        let run = workspace(file, &text).run(&["validate", "--format", "json"]);
        assert_eq!(run.code, 1, "{file}");
        let report = run.json();
        let found: Vec<(&str, u64, u64, &str)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                    f["field"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(found, [(rule, line, column, field)], "{file}");
    }
}

// Every record carries `approvals:`, like every document; an empty list (as in the cases above)
// is valid, a missing one is a schema finding on the document's first line.
#[test]
fn records_without_approvals_are_located() {
    let missing = "this document is missing the required field `approvals`";
    for (file, text) in [
        ("esc.yaml", escalation("2026-05-04 13:00", "2026-05-07 09:00")),
        ("c.yaml", complaint("open", "2026-11-21", "")),
        ("d.yaml", decisions("  - action: Send the plan.\n    owner: Eve Manager\n    due: 2026-11-30\n")),
    ] {
        let engage = workspace(file, &text.replace("approvals: []\n", ""));
        assert_eq!(findings(&engage), [finding("SCHEMA-001", 1, 1, missing)], "{file}");
        assert_eq!(engage.run(&["check", "--today", TODAY]).code, 1, "{file}");
    }
}

// The records render with their service levels worked out from the matrix.
#[test]
fn records_render_with_their_service_levels() {
    let engage = workspace("esc.yaml", &escalation("2026-05-04 13:01", "2026-05-05 09:00"));
    let approved = "approvals: [{role: Engagement Manager, name: Eve Manager, date: 2026-11-03, decision: approved}]\n";
    engage.write(
        "engagements/test/d.yaml",
        &decisions("  - action: Send the plan.\n    owner: Eve Manager\n    due: 2026-11-30\n")
            .replace("approvals: []\n", approved),
    );
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    let markdown = engage.read("out/ESC-TST-001.md");
    for expected in [
        "| 1 (Project) | Eve Manager | 2026-05-04 09:00 | 2026-05-04 13:01 (after 4h 1m) | 4 hours | Late |",
        "| Service level | Breached |",
        "Resolved at 2026-05-05 09:00, 1d after the escalation reached its last tier, which resolves within 3 days: in time.",
        "## Approvals\n\nNo approval has been recorded yet.\n",
    ] {
        assert!(markdown.contains(expected), "{expected}\n{markdown}");
    }
    let log = engage.read("out/DEC-TST-001.md");
    for expected in [
        "| Send the plan. | Eve Manager | 30 November 2026 | Open |  |",
        "## Approvals\n\n| Role | Name | Decision | Date | Comment |\n|---|---|---|---|---|\n| Engagement Manager | Eve Manager | Approved | 3 November 2026 |  |\n",
    ] {
        assert!(log.contains(expected), "{expected}\n{log}");
    }
}

// Each engagement with escalations or complaints gets a register of them, with the service level
// of every entry; engagements without get none.
#[test]
fn registers_list_every_record_with_its_service_level() {
    let engage = workspace("esc-1.yaml", &escalation("2026-05-04 13:01", "2026-05-05 09:00"));
    engage.write(
        "engagements/test/esc-2.yaml",
        &escalation("2026-05-04 10:00", "2026-05-06 09:00").replace("ESC-TST-001", "ESC-TST-002"),
    );
    let response = "response: {date: 2026-11-23, by: Eve Manager, summary: Apologised.}\n";
    engage.write("engagements/test/c.yaml", &complaint("responded", "2026-11-20", response));
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("built 6 documents"), "{}", run.stdout);
    let escalations = engage.read("out/ESR-TST-2026.md");
    for expected in [
        "| ESC-TST-001: Load failed | Moderate | Resolved at tier 1 (Project) | 2026-05-04 09:00 | **Breached**: tier 1 acknowledged after 4h 1m (late); resolved after 1d (met) |",
        "| ESC-TST-002: Load failed | Moderate | Resolved at tier 1 (Project) | 2026-05-04 09:00 | **Met**: tier 1 acknowledged after 1h (met); resolved after 2d (met) |",
        "2 escalations: 1 with a service level breached.",
    ] {
        assert!(escalations.contains(expected), "{expected}\n{escalations}");
    }
    let complaints = engage.read("out/CMR-TST-2026.md");
    let expected = "| CMP-TST-001: Late report | 20 November 2026 from Ada Client (Email) | Timeliness | Responded | **Breached**: answered after 3 days (late); not yet closed |";
    assert!(complaints.contains(expected), "{complaints}");

    let quiet = Engage::minimal();
    assert_eq!(quiet.run(&["build", "--no-pdf"]).code, 0);
    assert!(!quiet.path().join("out/ESR-TST-2026.md").exists() && !quiet.path().join("out/CMR-TST-2026.md").exists());
}
