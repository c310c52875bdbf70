//! `engage diff`: every format between two issued revisions and against the working copy; the
//! unified diff applied with GNU patch reproduces the newer Markdown byte for byte.

use crate::release::{SOW, SOW_FILE, edit, release, released_twice};
use crate::support::Engage;
use engage::diff::{Comparison, Side};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const UNIFIED_1_TO_2: &str = r#"--- a/SOW-NWL-2026-004.md
+++ b/SOW-NWL-2026-004.md
@@ -5,7 +5,7 @@
 | Document control | |
 |---|---|
 | Document ID | SOW-NWL-2026-004 |
-| Revision | 1 |
+| Revision | 2 |
 | Status | Issued |
 | Classification | Confidential |
 | Date | 23 March 2026 |
@@ -68,7 +68,7 @@
 | D1 | Data readiness assessment | Daniel Kowalski | 30 April 2026 |
 | D2 | Baseline network performance report | Daniel Kowalski | 29 May 2026 |
 | D3 | Route-optimisation model | Daniel Kowalski | 28 August 2026 |
-| D4 | Depot catchment rebalancing recommendations | Priya Raman | 25 September 2026 |
+| D4 | Depot catchment rebalancing recommendations | Priya Raman | 9 October 2026 |
 | D5 | Planner decision-support tool (pilot release) | Daniel Kowalski | 16 October 2026 |
 | D6 | Pilot evaluation report | Priya Raman | 11 December 2026 |
 | D7 | Planner training and operating procedures | Daniel Kowalski | 18 December 2026 |
@@ -195,7 +195,7 @@
 |---|---|---|---|---|---|
 | R1 | Telematics data from the older part of the fleet is incomplete, making the model less accurate for those depots. | Medium | High | Gap-treatment rules agreed in D1; depots with more than 15% missing trips are excluded from the test set. | Daniel Kowalski |
 | R2 | Planners do not adopt the tool and continue to plan by hand. | Medium | Medium | Planner champions at each pilot depot; training with assessed exercises; weekly feedback sessions during the pilot. | Priya Raman |
-| R3 | Penetration-test findings delay the pilot go-live. | Low | Medium | Secure design review with Northwind's IT Security Manager in July; test booked four weeks before go-live. | Daniel Kowalski |
+| R3 | Penetration-test findings delay the pilot go-live. | Medium | Medium | Secure design review with Northwind's IT Security Manager in July; test booked four weeks before go-live. | Daniel Kowalski |
 
 ## Information security and data protection
 
@@ -246,9 +246,13 @@
 | Contracts Manager | Rachel Adeyemi | Approved | 23 March 2026 |  |
 | Director | Eleanor Marsh | Approved | 23 March 2026 |  |
 | Client Sponsor | Helen Ashworth | Approved | 24 March 2026 |  |
+| Contracts Manager | Rachel Adeyemi | Approved | 1 December 2026 |  |
+| Director | Eleanor Marsh | Approved | 1 December 2026 |  |
+| Client Sponsor | Helen Ashworth | Approved | 1 December 2026 |  |
 
 ## Revision history
 
 | Revision | Date | Author | Reason | Approved by |
 |---|---|---|---|---|
 | 1 | 1 December 2026 | Priya Raman | First issue | Rachel Adeyemi, Eleanor Marsh and Helen Ashworth |
+| 2 | 1 December 2026 | Priya Raman | D4 moved to October | Rachel Adeyemi, Eleanor Marsh and Helen Ashworth |
"#;

/// `text` patched with `diff` by GNU patch, as a file named `ID.md` in a fresh folder.
fn patched(text: &[u8], diff: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{SOW}.md"));
    std::fs::write(&file, text).unwrap();
    let mut child = Command::new("patch")
        .args(["-p1", "--batch", "--silent", "--no-backup-if-mismatch"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("GNU patch is installed");
    child.stdin.take().unwrap().write_all(diff.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "patch failed: {}\n{diff}", String::from_utf8_lossy(&output.stdout));
    std::fs::read(file).unwrap()
}

fn snapshot(engage: &Engage, revision: &str, name: &str) -> Vec<u8> {
    std::fs::read(engage.path().join(format!("records/snapshots/{SOW}/{revision}/{name}"))).unwrap()
}

// Revision 1 against revision 2, in every format.
#[test]
fn two_revisions_in_every_format() {
    let engage = released_twice();
    let unified = engage.run(&["diff", SOW, "--from", "1", "--to", "2"]);
    assert_eq!(unified.code, 1, "{}", unified.stderr);
    assert_eq!(unified.stdout, UNIFIED_1_TO_2);
    assert_eq!(patched(&snapshot(&engage, "1", "document.md"), &unified.stdout), snapshot(&engage, "2", "document.md"));

    let fields = engage.run(&["diff", SOW, "--from", "1", "--to", "2", "--format", "fields"]);
    assert_eq!(fields.code, 1);
    assert_eq!(
        fields.stdout,
        "deliverables[D4].due: 2026-09-25 → 2026-10-09\nrisks[R3].likelihood: low → medium\napprovals[3] added\napprovals[4] added\napprovals[5] added\n"
    );

    let json = engage.run(&["diff", SOW, "--from", "1", "--to", "2", "--format", "json"]);
    assert_eq!(json.code, 1);
    let json = json.json();
    assert_eq!(json["different"], true);
    assert_eq!(json["unified"], unified.stdout.as_str());
    assert_eq!(
        (&json["from"]["label"], &json["from"]["status"], &json["from"]["superseded"]),
        (&"revision 1".into(), &"Superseded".into(), &true.into())
    );
    assert_eq!((&json["to"]["revision"], &json["to"]["status"]), (&"2".into(), &"Issued".into()));
    assert_eq!(json["to"]["record"]["reason"], "D4 moved to October");
    assert_eq!(json["from"]["record"]["status"], "superseded");
    assert_eq!(
        json["fields"][0],
        serde_json::json!({"path": "deliverables[D4].due", "change": "changed", "from": "2026-09-25", "to": "2026-10-09"})
    );
    assert_eq!(json["fields"][2]["change"], "added");
    assert_eq!(json["fields"][2]["to"]["name"], "Rachel Adeyemi");

    let html = engage.run(&["diff", SOW, "--from", "1", "--to", "2", "--format", "html"]);
    assert_eq!(html.code, 1);
    let page = html.stdout;
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"), "{page}");
    assert!(!page.contains("<script") && !page.contains("<link") && !page.contains("src="), "self-contained");
    for expected in [
        "<p class=\"summary\">revision 1 → revision 2: 4 lines added, 0 removed, 3 changed; 5 changes in the data.</p>",
        "<p class=\"banner\">Superseded: revision 1 is no longer the issued revision.</p>",
        "<tr><td class=\"old\">| Revision | <del>1</del> |</td><td class=\"new\">| Revision | <ins>2</ins> |</td></tr>",
        "Priya Raman | <del>25</del> <del>September</del> 2026 |</td>",
        "Priya Raman | <ins>9</ins> <ins>October</ins> 2026 |</td>",
        "<tr><th>Reason</th><td>First issue</td><td>D4 moved to October</td></tr>",
        "<li>deliverables[D4].due: 2026-09-25 → 2026-10-09</li>",
    ] {
        assert!(page.contains(expected), "{expected}\nnot in\n{page}");
    }
    assert_eq!(page.matches("class=\"banner\"").count(), 1, "revision 2 is not superseded");
}

// The default: the last issued revision against the working copy. No difference is exit 0 with
// nothing printed; `--exit-zero` keeps a difference from failing.
#[test]
fn working_copy_and_exit_codes() {
    let engage = released_twice();
    for format in ["unified", "fields"] {
        let run = engage.run(&["diff", SOW, "--format", format]);
        assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{format}: {}", run.stderr);
    }
    let same = engage.run(&["diff", SOW, "--from", "2", "--to", "2", "--format", "json"]);
    assert_eq!((same.code, &same.json()["different"]), (0, &false.into()));

    edit(&engage, SOW_FILE, "    due: 2026-10-16", "    due: 2026-10-23");
    let run = engage.run(&["diff", SOW, "--format", "fields"]);
    assert_eq!((run.code, run.stdout.as_str()), (1, "deliverables[D5].due: 2026-10-16 → 2026-10-23\n"));
    let run = engage.run(&["diff", SOW, "--format", "fields", "--exit-zero"]);
    assert_eq!(run.code, 0);
    let run = engage.run(&["diff", SOW]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("-| Revision | 2 |\n-| Status | Issued |\n+| Revision | Draft |\n+| Status | Draft — changes since revision 2 |\n"), "{}", run.stdout);
    assert_eq!(engage.run(&["build"]).code, 0);
    assert_eq!(
        patched(&snapshot(&engage, "2", "document.md"), &run.stdout),
        std::fs::read(engage.path().join(format!("out/{SOW}.md"))).unwrap()
    );
    let html = engage.run(&["diff", SOW, "--format", "html"]).stdout;
    assert!(
        html.contains("<tr><th>Status</th><td>Issued</td><td>Draft — changes since revision 2</td></tr>"),
        "{html}"
    );
}

// Reordering items with IDs is no change in the data (the document does read differently).
#[test]
fn reordering_deliverables_is_no_change_in_fields() {
    let engage = Engage::samples();
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    let text = engage.read(SOW_FILE);
    let start = text.find("  - id: D1\n").unwrap();
    let end = text.find("  - id: D2\n").unwrap();
    let d1 = &text[start..end];
    let without = format!("{}{}", &text[..start], &text[end..]);
    engage.write(SOW_FILE, &without.replacen("\nmilestones:", &format!("{d1}\nmilestones:"), 1));
    assert_ne!(engage.read(SOW_FILE), text);
    let fields = engage.run(&["diff", SOW, "--format", "fields"]);
    assert_eq!((fields.code, fields.stdout.as_str(), fields.stderr.as_str()), (0, "", ""));
    let unified = engage.run(&["diff", SOW]);
    assert_eq!(unified.code, 1, "the table rows moved");
}

// Sides that do not exist, and a forged snapshot, exit 2 with a hint.
#[test]
fn unknown_sides() {
    let engage = released_twice();
    let run = engage.run(&["diff", SOW, "--from", "3"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: SOW-NWL-2026-004 has no issued revision `3`\nhint: the issued revisions are 1, 2; `working` is the working copy\n"
    );
    let run = engage.run(&["diff", "PRO-OST-2026-001"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: no revision of PRO-OST-2026-001 has been issued\nhint: issue the first revision with `engage release PRO-OST-2026-001 --reason TEXT`\n"
    );
    std::fs::write(engage.path().join(format!("records/snapshots/{SOW}/1/document.md")), "forged\n").unwrap();
    let run = engage.run(&["diff", SOW, "--from", "1", "--to", "2"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the snapshot does not match its recorded hash\nhint: run `engage verify`"),
        "{}",
        run.stderr
    );
}

/// One random edit of the statement of work's data.
#[derive(Debug, Clone)]
enum Op {
    Title(usize, String),
    Criterion(usize, usize, String),
    RemoveScope(usize),
    AddScope(usize, String),
    Swap(usize, usize),
    Due(usize, u32),
    RemoveRisk(usize),
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][ -~]{0,40}"
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..8usize, text()).prop_map(|(i, t)| Op::Title(i, t)),
        (0..8usize, 0..3usize, text()).prop_map(|(i, j, t)| Op::Criterion(i, j, t)),
        (0..8usize).prop_map(Op::RemoveScope),
        (0..9usize, text()).prop_map(|(i, t)| Op::AddScope(i, t)),
        (0..8usize, 0..8usize).prop_map(|(i, j)| Op::Swap(i, j)),
        (0..8usize, 0..400u32).prop_map(|(i, d)| Op::Due(i, d)),
        (0..3usize).prop_map(Op::RemoveRisk),
    ]
}

fn list<'a>(data: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    data[key].as_array_mut().unwrap()
}

fn apply(data: &mut Value, op: &Op) {
    match op {
        Op::Title(i, t) => list(data, "deliverables")[*i]["title"] = t.as_str().into(),
        Op::Criterion(i, j, t) => {
            let criteria = list(data, "deliverables")[*i]["acceptance_criteria"].as_array_mut().unwrap();
            let j = j % criteria.len();
            criteria[j] = t.as_str().into();
        }
        Op::RemoveScope(i) => {
            let scope = list(data, "in_scope");
            if scope.len() > 1 {
                scope.remove(i % scope.len());
            }
        }
        Op::AddScope(i, t) => {
            let scope = list(data, "in_scope");
            scope.insert(i % (scope.len() + 1), t.as_str().into());
        }
        Op::Swap(i, j) => list(data, "deliverables").swap(*i, *j),
        Op::Due(i, days) => {
            let due = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap() + chrono::Days::new(u64::from(*days));
            list(data, "deliverables")[*i]["due"] = due.to_string().into();
        }
        Op::RemoveRisk(i) => {
            let risks = list(data, "risks");
            if risks.len() > 1 {
                risks.remove(i % risks.len());
            }
        }
    }
}

// A few dozen random edits of the data: the unified diff from the issued revision, applied by
// GNU patch, gives the working copy's Markdown byte for byte.
#[test]
fn patch_reproduces_random_edits() {
    let engage = Engage::samples();
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    let original = engage::source::yaml::parse(&engage.read(SOW_FILE)).unwrap().value;
    let issued = snapshot(&engage, "1", "document.md");
    let mut runner = TestRunner::new(Config { cases: 32, failure_persistence: None, ..Config::default() });
    runner
        .run(&proptest::collection::vec(op(), 1..6), |ops| {
            let mut data = original.clone();
            ops.iter().for_each(|op| apply(&mut data, op));
            engage.write(SOW_FILE, &serde_json::to_string_pretty(&data).unwrap());
            let diff = engage.run(&["diff", SOW, "--exit-zero"]);
            prop_assert_eq!(diff.code, 0, "{}", diff.stderr);
            prop_assert_eq!(engage.run(&["build"]).code, 0);
            let working = std::fs::read(engage.path().join(format!("out/{SOW}.md"))).unwrap();
            prop_assert_eq!(
                String::from_utf8(patched(&issued, &diff.stdout)).unwrap(),
                String::from_utf8(working).unwrap()
            );
            Ok(())
        })
        .unwrap();
}

fn side(markdown: String) -> Side {
    Side {
        label: "side".into(),
        revision: "1".into(),
        status: "Issued".into(),
        record: None,
        superseded: false,
        data: Value::Null,
        markdown,
    }
}

// Texts with and without a final line break, blank lines and repeated lines: patch reproduces
// the newer text exactly, "\ No newline at end of file" included.
#[test]
fn unified_diffs_apply_byte_for_byte() {
    let lines =
        proptest::collection::vec(prop_oneof!["[ab]{0,2}", Just(String::new()), Just("| x |".to_string())], 0..12);
    let mut runner = TestRunner::new(Config { cases: 48, failure_persistence: None, ..Config::default() });
    runner
        .run(&(lines.clone(), any::<bool>(), lines, any::<bool>()), |(a, a_end, b, b_end)| {
            let join =
                |lines: &[String], end: bool| lines.join("\n") + if end && !lines.is_empty() { "\n" } else { "" };
            let (old, new) = (side(join(&a, a_end)), side(join(&b, b_end)));
            let diff = Comparison { id: SOW, from: &old, to: &new }.unified();
            prop_assert_eq!(diff.is_empty(), old.markdown == new.markdown);
            if !diff.is_empty() {
                prop_assert_eq!(String::from_utf8(patched(old.markdown.as_bytes(), &diff)).unwrap(), new.markdown);
            }
            Ok(())
        })
        .unwrap();
}
