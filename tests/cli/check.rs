use crate::support::{Engage, repo};
use engage::diag::RuleId;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const TODAY: &str = "2026-11-23";

fn check(engage: &Engage, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    engage.run(&args)
}

/// `(file, line) → sorted codes` of the findings of a JSON report (`CODE:waived` when waived).
fn found(report: &Value) -> BTreeMap<(String, u64), Vec<String>> {
    let mut found: BTreeMap<_, Vec<String>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let code = f["rule"].as_str().unwrap().to_string();
        let code = if f["waived"].is_null() { code } else { format!("{code}:waived") };
        found.entry((f["file"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap())).or_default().push(code);
    }
    found.values_mut().for_each(|codes| codes.sort());
    found
}

/// The `# expect:` and `# expect-below:` comments of every YAML file under `root`.
fn expected(root: &Path) -> BTreeMap<(String, u64), Vec<String>> {
    let mut expected: BTreeMap<_, Vec<String>> = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let file = path.strip_prefix(root).unwrap().display().to_string();
            for (i, line) in text.lines().enumerate() {
                for (marker, offset) in [("# expect: ", 1), ("# expect-below: ", 2)] {
                    if let Some((_, named)) = line.split_once(marker) {
                        let codes = expected.entry((file.clone(), i as u64 + offset)).or_default();
                        codes.extend(named.split_whitespace().map(str::to_string));
                        codes.sort();
                    }
                }
            }
        }
    }
    expected
}

// The non-compliant workspace trips every rule, each exactly on the lines its comments name.
#[test]
fn every_rule_fires_where_expected() {
    let engage = Engage::fixture("noncompliant");
    let run = check(&engage, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found = found(&run.json());
    let expected = expected(&repo().join("tests/fixtures/noncompliant"));
    let missing: Vec<_> = expected.iter().filter(|(k, v)| found.get(*k) != Some(v)).collect();
    let extra: Vec<_> = found.iter().filter(|(k, v)| expected.get(*k) != Some(v)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "expected but not found: {missing:#?}\nfound but not expected: {extra:#?}"
    );
    let tripped: Vec<&str> = found.values().flatten().map(|c| c.split(':').next().unwrap()).collect();
    let untested: Vec<_> =
        RuleId::ALL.iter().map(|r| r.code()).filter(|c| *c != "TPL-001" && !tripped.contains(c)).collect();
    assert!(untested.is_empty(), "rules no fixture trips: {untested:?} (TPL-001 is tested by build)");
}

// The bundled samples are compliant: no finding at all, exit 0.
#[test]
fn samples_pass_the_check() {
    let run = check(&Engage::samples(), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["findings"], serde_json::json!([]));
    let human = Engage::samples().run(&["check", "--today", TODAY]);
    assert_eq!(human.code, 0);
    assert!(human.stdout.starts_with("0 errors, 0 warnings in 16 files ("), "{}", human.stdout);
}

// Paths restrict what is reported, not what the rules read.
#[test]
fn paths_select_the_findings_reported() {
    let engage = Engage::fixture("noncompliant");
    let run = check(&engage, &["engagements/echo"]);
    let files: Vec<_> = found(&run.json()).into_keys().map(|(f, _)| f).collect();
    assert_eq!(files, ["engagements/echo/lessons.yaml", "engagements/echo/lessons.yaml"]);
}

// Severity overrides turn rules off or into errors; thresholds tighten the escalation and approval rules.
#[test]
fn policy_overrides_and_thresholds() {
    let engage = Engage::samples();
    engage.append(
        "engage.yaml",
        "policy:\n  rules:\n    ESC-002: warning\n  escalation:\n    min_levels: 4\n    acknowledge_within: 30m\n  approval_thresholds:\n    - kind: StatementOfWork\n      above: 400000\n      role: Managing Director\n",
    );
    let run = check(&engage, &[]);
    assert_eq!(run.code, 1);
    let report = run.json();
    let summary: Vec<(String, u64, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    let kittiwake = "engagements/kittiwake-foods/engagement.yaml".to_string();
    let northwind = "engagements/northwind-logistics/engagement.yaml".to_string();
    assert_eq!(
        summary,
        [
            (kittiwake.clone(), 144, "ESC-001".into(), "error".into()),
            (kittiwake, 169, "ESC-002".into(), "warning".into()),
            (northwind.clone(), 178, "ESC-001".into(), "error".into()),
            (northwind, 209, "ESC-002".into(), "warning".into()),
            ("engagements/northwind-logistics/sow.yaml".into(), 221, "APR-002".into(), "error".into()),
        ]
    );

    engage.append("engage.yaml", "  rules:\n    ESC-001: off\n    ESC-002: off\n    APR-002: warning\n");
    let run = engage.run(&["check", "--today", TODAY]);
    assert_eq!(run.code, 2, "duplicate `rules:` keys are refused\n{}", run.stderr);
}

// Active waivers keep a finding visible but not failing; expired ones fail; unused ones warn.
#[test]
fn waiver_states() {
    let engage = Engage::samples();
    let waiver = |expires: &str, document: &str| {
        format!(
            "    - rule: ESC-001\n      document: {document}\n      reason: A fourth level is being set up with the client.\n      approver: Sarah Lindqvist\n      expires: {expires}\n"
        )
    };
    let policy = "policy:\n  escalation:\n    min_levels: 4\n  waivers:\n";
    engage.append(
        "engage.yaml",
        &format!("{policy}{}{}", waiver("2027-01-31", "ENG-NWL-2026"), waiver("2027-01-31", "ENG-KWF-2025")),
    );
    let run = check(&engage, &[]);
    assert_eq!(run.code, 0, "only waived findings: exit 0\n{}", run.stdout);
    assert_eq!(run.json()["summary"]["waived"], 2);
    let human = engage.run(&["check", "--today", TODAY]);
    assert!(human.stdout.contains("note[ESC-001]: (waived) the escalation matrix has 3 levels"), "{}", human.stdout);
    assert!(
        human.stdout.contains(
            "= waived: A fourth level is being set up with the client. (approved by Sarah Lindqvist, until 2027-01-31)"
        ),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("0 errors, 0 warnings, 2 waived in 16 files"), "{}", human.stdout);

    let engage = Engage::samples();
    engage.append(
        "engage.yaml",
        &format!("{policy}{}{}", waiver("2026-11-22", "ENG-NWL-2026"), waiver("2027-01-31", "ENG-NOPE-2026")),
    );
    let run = check(&engage, &[]);
    assert_eq!(run.code, 1);
    let found = found(&run.json());
    assert_eq!(found[&("engage.yaml".to_string(), 21)], ["WVR-001"], "the expired waiver, at its expiry");
    assert_eq!(found[&("engage.yaml".to_string(), 22)], ["WVR-002"], "the unused waiver");
    assert_eq!(
        found[&("engagements/northwind-logistics/engagement.yaml".to_string(), 178)],
        ["ESC-001"],
        "no longer waived"
    );
}

// A policy that breaks the settings schema stops the command with the location (exit 2).
#[test]
fn invalid_policy_is_located() {
    let engage = Engage::samples();
    engage.append("engage.yaml", "policy:\n  rules:\n    CHG-002: fatal\n");
    let run = engage.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("engage.yaml:15:14") && run.stderr.contains("`fatal` is not an allowed value"),
        "{}",
        run.stderr
    );
}

// explain and --list-rules describe every rule; an unknown rule exits 2.
#[test]
fn explain_and_list_rules() {
    let engage = Engage::empty();
    let run = engage.run(&["explain", "chg-002"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("CHG-002: Change approved with client agreement and internal approval\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Why: Change control: no change is approved without the client's agreement"),
        "{}",
        run.stdout
    );
    let list = engage.run(&["check", "--list-rules"]);
    assert_eq!(list.stdout.lines().count(), RuleId::ALL.len());
    assert!(
        list.stdout.lines().any(|l| l.starts_with("ESC-002     error    Most severe level within the policy's limits")),
        "{}",
        list.stdout
    );
    let run = engage.run(&["explain", "XYZ-001"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown rule `XYZ-001`") && run.stderr.contains("--list-rules"), "{}", run.stderr);
}

// Exit codes: 0 clean, 1 findings, 2 could not run.
#[test]
fn exit_codes() {
    assert_eq!(check(&Engage::minimal(), &[]).code, 0);
    assert_eq!(check(&Engage::fixture("noncompliant"), &[]).code, 1);
    assert_eq!(check(&Engage::empty(), &[]).code, 2);
    assert_eq!(Engage::minimal().run(&["check", "--today", "yesterday"]).code, 2);
}

// A waiver may name a file instead of a document.
#[test]
fn waiver_by_file() {
    let engage = Engage::fixture("noncompliant");
    engage.append(
        "engage.yaml",
        "    - rule: YAML-001\n      file: misc/broken.yaml\n      reason: Kept broken on purpose.\n      approver: Quality Manager\n      expires: 2027-06-30\n",
    );
    let run = check(&engage, &[]);
    let found = found(&run.json());
    assert_eq!(found[&("misc/broken.yaml".to_string(), 2)], ["YAML-001:waived"]);
}

// A reader that stops early (`engage check --list-rules | head -n 1`) is no panic: exit 2, quietly.
#[test]
fn closed_pipe_is_not_a_panic() {
    // The reader is gone before engage starts: with a reader that closes after the start, a
    // short report can fit in the pipe's buffer first and the test would race.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_engage"))
        .args(["check", "--list-rules"])
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// An issued document is due for review a cycle after its issue (annual by default, per kind in
// the policy): `check` warns, at the document, once the day is past it; `revisions` says when.
#[test]
fn periodic_review() {
    use crate::release::{SOW, release};
    let engage = Engage::samples();
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    let run = engage.run(&["check", "--today", "2027-12-01"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("0 errors, 0 warnings in 16 files"),
        "due on the day, not yet past:\n{}",
        run.stdout
    );
    let run = engage.run(&["check", "--today", "2027-12-02"]);
    assert_eq!(run.code, 0, "a warning");
    assert!(
        run.stdout.starts_with(
            "warning[REV-001]: revision 1 was issued on 2026-12-01 and was due for its periodic review on 2027-12-01 (every 12 months)
  --> engagements/northwind-logistics/sow.yaml:3:1
  |
3 | id: SOW-NWL-2026-004
  | ^^^^^^^^^^^^^^^^^^^^
  |
  = field: id
  = help: Review the document and release it again (`engage release DOC-ID --reason \"Periodic review\"`), which starts a new cycle; policy review_months: sets the cycle per kind.

0 errors, 1 warning in 16 files"
        ),
        "{}",
        run.stdout
    );
    let revisions = engage.run(&["revisions", SOW]);
    assert!(revisions.stdout.ends_with("the working copy is revision 1, unchanged\nnext review: 2027-12-01\n"));
    assert_eq!(engage.run(&["revisions", "--format", "json"]).json()["documents"][0]["next_review"], "2027-12-01");

    engage.append("engage.yaml", "policy:\n  review_months:\n    StatementOfWork: 24\n");
    assert!(engage.run(&["check", "--today", "2027-12-02"]).stdout.starts_with("0 errors, 0 warnings"));
    assert_eq!(engage.run(&["revisions", SOW, "--format", "json"]).json()["next_review"], "2028-12-01");
    engage.append("engage.yaml", "    Proposal: 0\n");
    let none = engage.run(&[
        "release",
        "PRO-NWL-2026-001",
        "--reason",
        "Issued",
        "--author",
        "Tom Okafor",
        "--date",
        "2026-12-01",
    ]);
    assert_eq!(none.code, 0, "{}", none.stdout);
    assert!(engage.run(&["revisions", "PRO-NWL-2026-001"]).stdout.ends_with("\nnext review: none\n"));

    engage.append("engage.yaml", "    Lessons: 6\n");
    let run = engage.run(&["check"]);
    assert_eq!(run.code, 2, "an unknown kind is refused: {}", run.stderr);
    assert!(run.stderr.contains("\"Lessons\" is not one of \"Engagement\", \"Proposal\""), "{}", run.stderr);
    assert!(run.stderr.contains("--> engage.yaml:"), "{}", run.stderr);
}
