use crate::support::{Engage, MINIMAL_ENGAGEMENT};
use serde_json::Value;

/// Validates a workspace holding `file` at `path` and returns the single finding reported.
fn only_finding(path: &str, text: &str) -> Value {
    let engage = Engage::minimal();
    engage.write(path, text);
    let run = engage.run(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1, "invalid data exits 1\n{}{}", run.stdout, run.stderr);
    let findings = run.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "exactly one finding: {findings:#?}");
    findings[0].clone()
}

/// Asserts rule, file, line, column and field of a finding, and returns its message and help.
fn assert_at(finding: &Value, rule: &str, file: &str, line: u64, column: u64, field: &str) -> String {
    let got = (
        finding["rule"].as_str(),
        finding["file"].as_str(),
        finding["line"].as_u64(),
        finding["column"].as_u64(),
        finding["field"].as_str(),
    );
    assert_eq!(got, (Some(rule), Some(file), Some(line), Some(column), Some(field)), "{finding:#}");
    format!("{} | {}", finding["message"].as_str().unwrap(), finding["help"].as_str().unwrap())
}

fn engagement_with(from: &str, to: &str) -> String {
    assert!(MINIMAL_ENGAGEMENT.contains(from), "{from}");
    MINIMAL_ENGAGEMENT.replacen(from, to, 1)
}

const FILE: &str = "engagements/test/engagement.yaml";

// The valid minimal workspace is clean: exit 0 and a summary.
#[test]
fn valid_data_exits_zero() {
    let run = Engage::minimal().run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("0 errors, 0 warnings in 1 file ("), "{}", run.stdout);
}

// A missing top-level field points at the document, a missing nested one at the object that lacks it.
#[test]
fn missing_required_fields() {
    let finding = only_finding(FILE, &engagement_with("title: Test engagement\n", ""));
    let text = assert_at(&finding, "SCHEMA-001", FILE, 1, 1, "");
    assert!(text.contains("missing the required field `title`") && text.contains("add `title:`"), "{text}");

    let finding = only_finding(FILE, &engagement_with("      email: ada@client.example\n", ""));
    let text = assert_at(&finding, "SCHEMA-001", FILE, 9, 7, "client.contacts[0]");
    assert!(text.contains("`email`"), "{text}");
}

// A number where text is expected says to quote it.
#[test]
fn wrong_type() {
    let finding = only_finding(FILE, &engagement_with("title: Test engagement", "title: 1.10"));
    let text = assert_at(&finding, "SCHEMA-003", FILE, 3, 8, "title");
    assert!(text.contains("expected text, found a number") && text.contains("quote it"), "{text}");
}

// A bad enum value lists the allowed values and suggests the nearest.
#[test]
fn value_not_in_enum() {
    let finding = only_finding(FILE, &engagement_with("stage: enquiry", "stage: Delivery"));
    let text = assert_at(&finding, "SCHEMA-004", FILE, 15, 8, "stage");
    assert!(text.contains("did you mean `delivery`?") && text.contains("enquiry, assessment"), "{text}");
}

// A misspelt field is located at its key, with the nearest allowed name.
#[test]
fn misspelt_field() {
    let finding = only_finding(FILE, &format!("{MINIMAL_ENGAGEMENT}ownr: Eve Manager\n"));
    let text = assert_at(&finding, "SCHEMA-002", FILE, 18, 1, "ownr");
    assert!(text.contains("unknown field `ownr`") && text.contains("did you mean `owner`?"), "{text}");
}

// An impossible calendar date.
#[test]
fn bad_date() {
    let finding = only_finding(FILE, &engagement_with("date: 2026-01-05", "date: 2026-02-30"));
    let text = assert_at(&finding, "SCHEMA-004", FILE, 4, 7, "date");
    assert!(text.contains("not a valid date") && text.contains("YYYY-MM-DD"), "{text}");
}

// Duplicate keys are an error at the second one, naming the first.
#[test]
fn duplicate_key() {
    let finding = only_finding(FILE, &format!("{MINIMAL_ENGAGEMENT}stage: delivery\n"));
    let text = assert_at(&finding, "YAML-001", FILE, 18, 1, "");
    assert!(text.contains("`stage` appears twice") && text.contains("line 15"), "{text}");
}

// Malformed YAML is located where the parser stopped.
#[test]
fn malformed_yaml() {
    let finding = only_finding("engagements/test/proposal.yaml", "kind: Proposal\ntitle: [unclosed\nid: PRO-1\n");
    let text = assert_at(&finding, "YAML-001", "engagements/test/proposal.yaml", 3, 3, "");
    assert!(text.contains("not valid YAML"), "{text}");
}

// An unknown kind suggests the nearest one.
#[test]
fn unknown_kind() {
    let finding = only_finding("engagements/test/sow.yaml", "kind: StatementofWork\nid: SOW-1\n");
    let text = assert_at(&finding, "KIND-001", "engagements/test/sow.yaml", 1, 7, "");
    assert!(
        text.contains("unknown kind `StatementofWork`") && text.contains("did you mean `StatementOfWork`?"),
        "{text}"
    );
}

// An empty or comment-only file holds no document.
#[test]
fn empty_file() {
    for text in ["", "# nothing yet\n"] {
        let finding = only_finding("engagements/test/empty.yaml", text);
        let message = assert_at(&finding, "YAML-001", "engagements/test/empty.yaml", 1, 1, "");
        assert!(message.contains("the file is empty"), "{message}");
    }
}

// Files that are not YAML data: binary bytes, and text that is not a set of fields.
#[test]
fn files_that_are_not_yaml_data() {
    let engage = Engage::minimal();
    std::fs::write(engage.path().join("engagements/test/sheet.yaml"), b"kind: Proposal\nname: \xff\xfe\x00\n").unwrap();
    let run = engage.run(&["validate", "--format", "json"]);
    let finding = &run.json()["findings"][0];
    let text = assert_at(finding, "YAML-002", "engagements/test/sheet.yaml", 2, 7, "");
    assert!(text.contains("not UTF-8"), "{text}");

    let finding = only_finding("engagements/test/list.yaml", "client,value\nNorthwind,100\n");
    let text = assert_at(&finding, "KIND-001", "engagements/test/list.yaml", 1, 1, "");
    assert!(text.contains("not a set of fields"), "{text}");
}

// Every finding of every file is reported, not just the first.
#[test]
fn all_errors_of_all_files_are_reported() {
    let engage = Engage::minimal();
    engage.write(
        FILE,
        &engagement_with("stage: enquiry", "stage: Delivery").replace("classification:", "clasification:"),
    );
    engage.write("engagements/test/other.yaml", "kind: Nothing\n");
    let run = engage.run(&["validate", "--format", "json"]);
    let rules: Vec<_> =
        run.json()["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
    assert_eq!(rules, ["SCHEMA-004", "SCHEMA-002", "KIND-001"], "{}", run.stdout);
}

// The human format: rustc-style location, snippet with caret, field and help.
#[test]
fn human_output_shows_the_snippet() {
    let engage = Engage::minimal();
    engage.write(FILE, &engagement_with("stage: enquiry", "stage: Delivery"));
    let run = engage.run(&["validate"]);
    assert_eq!(run.code, 1);
    let expected = "\
error[SCHEMA-004]: `Delivery` is not an allowed value
   --> engagements/test/engagement.yaml:15:8
   |
15 | stage: Delivery
   |        ^^^^^^^^
   |
   = field: stage
";
    assert!(run.stdout.starts_with(expected), "{}", run.stdout);
    assert!(run.stdout.contains("= help: did you mean `delivery`?"), "{}", run.stdout);
    assert!(run.stdout.contains("1 error, 0 warnings in 1 file"), "{}", run.stdout);
}

// Paths outside the workspace, missing files and no workspace at all exit 2 with a hint.
#[test]
fn could_not_run_exits_two() {
    let engage = Engage::minimal();
    let run = engage.run(&["validate", "engagements/missing.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read engagements/missing.yaml") && run.stderr.contains("hint:"),
        "{}",
        run.stderr
    );

    let run = Engage::empty().run(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no engage.yaml") && run.stderr.contains("engage init"), "{}", run.stderr);
}

// The bundled samples are valid.
#[test]
fn samples_are_valid() {
    let run = Engage::samples().run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("0 errors, 0 warnings in 16 files"), "{}", run.stdout);
}

// A misspelt required field is one finding, at the misspelt key, not also a missing field.
#[test]
fn misspelt_required_field_is_reported_once() {
    let finding = only_finding(FILE, &engagement_with("classification:", "clasification:"));
    let text = assert_at(&finding, "SCHEMA-002", FILE, 16, 1, "clasification");
    assert!(text.contains("did you mean `classification`? It is required here"), "{text}");
}
