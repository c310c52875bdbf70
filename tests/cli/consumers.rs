//! The real consumers of the CI formats: Microsoft's SARIF multitool with GitHub's ingestion rules,
//! and Jenkins' `junit-10.xsd` through xmllint. `.ci/run` installs both; outside CI a test whose
//! tool is missing is skipped.

use crate::support::{Engage, have, repo};
use serde_json::Value;
use std::process::Command;

const SARIF_TOOL: &str = "npm install -g @microsoft/sarif-multitool";
const XMLLINT: &str = "apt-get install libxml2-utils";

/// The errors and warnings `sarif-multitool validate --rule-kind "Sarif;Gh"` finds in a log. The
/// tool exits 0 whatever it finds, so its own output log is read.
fn multitool_problems(log: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("engage.sarif");
    std::fs::write(&input, log).unwrap();
    let output = dir.path().join("validation.sarif");
    // The npm package's launcher passes its arguments through a shell: the `;` must be quoted there.
    let run = Command::new("sarif-multitool")
        .args(["validate", "--rule-kind", "\"Sarif;Gh\"", "--output"])
        .arg(&output)
        .arg(&input)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&output)
        .unwrap_or_else(|e| panic!("no validation log ({e}): {}", String::from_utf8_lossy(&run.stdout)));
    let validation: Value = serde_json::from_str(&text).unwrap();
    let run = &validation["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], true, "{text}");
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        // A result without a level is a warning (SARIF 2.1.0, 3.27.10).
        .filter(|r| matches!(r["level"].as_str(), None | Some("error" | "warning")))
        .map(|r| format!("{} {}", r["ruleId"], r["message"]))
        .collect()
}

#[test]
fn sarif_multitool_with_github_rules_finds_nothing() {
    if !have("sarif-multitool", SARIF_TOOL) {
        return;
    }
    let checked = Engage::fixture("noncompliant").run(&["check", "--format", "sarif", "--today", "2026-11-23"]);
    let log = checked.json();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 20 && results.iter().any(|r| r.get("suppressions").is_some()), "findings and waivers");
    assert!(results.iter().any(|r| r["level"] == "warning"), "warnings too");
    assert_eq!(multitool_problems(&checked.stdout), Vec::<String>::new());

    let broken = Engage::samples();
    broken.append("engage.yaml", "policy:\n  rules:\n    CHG-002: fatal\n");
    let failed = broken.run(&["validate", "--format", "sarif"]);
    assert_eq!(failed.code, 2);
    assert_eq!(failed.json()["runs"][0]["invocations"][0]["executionSuccessful"], false);
    assert_eq!(multitool_problems(&failed.stdout), Vec::<String>::new());

    // The tool does check: a result without a location is an error to GitHub.
    let mut doctored = log.clone();
    doctored["runs"][0]["results"][0].as_object_mut().unwrap().remove("locations");
    assert!(!multitool_problems(&doctored.to_string()).is_empty());
}

/// What xmllint says about a JUnit document against Jenkins' schema; `None` when it is valid.
fn xsd_problems(xml: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("engage.xml");
    std::fs::write(&file, xml).unwrap();
    let schema = repo().join("tests/junit-10.xsd");
    let run = Command::new("xmllint").arg("--noout").arg("--schema").arg(&schema).arg(&file).output().unwrap();
    (!run.status.success()).then(|| String::from_utf8_lossy(&run.stderr).into_owned())
}

#[test]
fn junit_is_valid_against_jenkins_junit_10_xsd() {
    if !have("xmllint", XMLLINT) {
        return;
    }
    let noncompliant = Engage::fixture("noncompliant");
    let runs = [
        noncompliant.run(&["check", "--format", "junit", "--today", "2026-11-23"]),
        noncompliant.run(&["validate", "--format", "junit"]),
        Engage::minimal().run(&["check", "--format", "junit"]),
        noncompliant.run(&["check", "engagements/nowhere.yaml", "--format", "junit"]),
    ];
    assert_eq!(runs.each_ref().map(|r| r.code), [1, 1, 0, 2]);
    for run in &runs {
        assert_eq!(xsd_problems(&run.stdout), None, "{}", run.stdout);
    }
    assert!(runs[0].stdout.contains("<system-out>") && runs[3].stdout.contains("<error "));

    // The schema does check: a `file` attribute on a test case is refused.
    let with_file = runs[0].stdout.replacen("<testcase ", "<testcase file=\"x.yaml\" ", 1);
    assert!(xsd_problems(&with_file).is_some_and(|e| e.contains("file")));
}
