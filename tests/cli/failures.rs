//! A run that could not finish is never silent: with an invalid engage.yaml, a file that cannot be
//! read or an output that cannot be written, every format says so in its own terms, and the exit
//! code is 2.

use crate::support::Engage;
use engage::diag::RuleId;
use serde_json::json;
use std::process::{Command, Stdio};

/// The samples with a policy value the settings schema refuses, at line 15, column 14.
fn invalid_settings() -> Engage {
    let engage = Engage::samples();
    engage.append("engage.yaml", "policy:\n  rules:\n    CHG-002: fatal\n");
    engage
}

const NOT_ALLOWED: &str = "`fatal` is not an allowed value (use one of: error, warning, off)";
const HINT: &str = "correct engage.yaml as shown; README.md lists the settings";

#[test]
fn an_invalid_engage_yaml_is_reported_in_every_format() {
    let engage = invalid_settings();
    for command in ["validate", "check"] {
        let run = |format| {
            let run = engage.run(&[command, "--format", format]);
            assert_eq!(run.code, 2, "{command} {format}: {}", run.stdout);
            assert!(run.stderr.contains("--> engage.yaml:15:14"), "{command} {format}: {}", run.stderr);
            run
        };
        assert_eq!(run("human").stdout, "", "people read standard error");

        let error = &run("json").json()["error"];
        assert!(error["message"].as_str().unwrap().ends_with("engage.yaml is not valid"), "{error:#}");
        assert_eq!(error["hint"], HINT);
        assert_eq!(error["places"], json!([{"file": "engage.yaml", "line": 15, "column": 14, "message": NOT_ALLOWED}]));

        let log = run("sarif").json();
        let run_ = &log["runs"][0];
        assert_eq!(run_["results"], json!([]));
        assert_eq!(run_["automationDetails"]["id"], format!("engage/{command}/"));
        let invocation = &run_["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let notification = &invocation["toolExecutionNotifications"][0];
        assert_eq!(notification["level"], "error");
        assert_eq!(notification["message"]["text"], format!("{NOT_ALLOWED} ({HINT})."));
        assert_eq!(
            notification["locations"][0]["physicalLocation"],
            json!({"artifactLocation": {"uri": "engage.yaml", "uriBaseId": "%SRCROOT%"},
                   "region": {"startLine": 15, "startColumn": 14}})
        );

        let junit = run("junit");
        let xml = roxmltree::Document::parse(&junit.stdout).unwrap();
        let suite = xml.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
        assert_eq!((suite.attribute("tests"), suite.attribute("errors")), (Some("1"), Some("1")));
        let error = xml.descendants().find(|n| n.has_tag_name("error")).unwrap();
        assert!(error.attribute("message").unwrap().ends_with("engage.yaml is not valid"));
        assert_eq!(error.text(), Some(format!("engage.yaml:15:14: {NOT_ALLOWED}\nhint: {HINT}\n").as_str()));

        assert_eq!(
            run("github").stdout,
            format!("::error file=engage.yaml,line=15,col=14,title=engage could not run::{NOT_ALLOWED} ({HINT})\n")
        );
    }
}

#[test]
fn a_file_that_cannot_be_read_is_reported_in_every_format() {
    let engage = Engage::minimal();
    let args = |format| ["check", "engagements/test/missing.yaml", "--format", format];
    let json = engage.run(&args("json"));
    assert_eq!(json.code, 2);
    let place = &json.json()["error"]["places"][0];
    assert_eq!(place["file"], "engagements/test/missing.yaml");
    assert_eq!((place["line"].is_null(), place["column"].is_null()), (true, true));
    assert!(place["message"].as_str().unwrap().starts_with("cannot read engagements/test/missing.yaml: "));

    let github = engage.run(&args("github"));
    assert_eq!(github.code, 2);
    assert!(
        github
            .stdout
            .starts_with("::error file=engagements/test/missing.yaml,title=engage could not run::cannot read "),
        "{}",
        github.stdout
    );
    let sarif = engage.run(&args("sarif"));
    assert_eq!(sarif.json()["runs"][0]["invocations"][0]["executionSuccessful"], false);
    let junit = engage.run(&args("junit"));
    assert!(junit.stdout.contains("errors=\"1\"") && junit.stdout.contains("<error message=\"cannot read"));
    // No workspace at all is no place in a file, but still said in the format.
    let none = Engage::empty().run(&["validate", "--format", "github"]);
    assert_eq!(none.code, 2);
    assert!(none.stdout.starts_with("::error title=engage could not run::no engage.yaml in "), "{}", none.stdout);
}

// `> /dev/full`: the report could not be written; exit 2 and say so, whatever the format.
#[test]
fn a_failed_write_exits_2_for_every_format() {
    let engage = Engage::samples();
    for command in ["validate", "check"] {
        for format in ["human", "json", "sarif", "junit", "github"] {
            let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
            let output = Command::new(env!("CARGO_BIN_EXE_engage"))
                .args([command, "--format", format])
                .current_dir(engage.path())
                .stdout(Stdio::from(full))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{command} {format}: {stderr}");
            assert!(
                stderr.starts_with("error: cannot write to standard output: No space left on device"),
                "{command} {format}: {stderr}"
            );
        }
    }
}

#[test]
fn rules_are_listed_as_json() {
    let run = Engage::empty().run(&["check", "--list-rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = run.json();
    let rules = list["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RuleId::ALL.len());
    let chg = rules.iter().find(|r| r["rule"] == "CHG-002").unwrap();
    assert_eq!(chg["severity"], "error");
    assert_eq!(chg["title"], "Change approved with client agreement and internal approval");
    assert!(chg["rationale"].as_str().unwrap().starts_with("Change control: no change is approved"));

    let run = Engage::empty().run(&["check", "--list-rules", "--format", "junit"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("use --format human or --format json"), "{}", run.stderr);
}
