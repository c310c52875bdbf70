//! `--format sarif|junit|github`: the same findings in the forms CI systems read, checked against
//! what those systems accept, with hostile text in the data.

use crate::support::{Engage, MINIMAL_ENGAGEMENT, repo};
use serde_json::Value;

const ENGAGEMENT: &str = "engagements/test/engagement.yaml";
const OTHER: &str = "engagements/t é/other.yaml";
const PROPOSAL: &str = "engagements/test/proposal.yaml";

/// A value echoed into a finding's message, with everything the formats must escape or strip:
/// `%`, `,`, `:`, line breaks, XML markup, a control character and fake workflow commands.
const HOSTILE: &str = r#""50% a,b: c\r\n::stop-commands::x\n::error::fake <x> & \u0007 end""#;

/// Two findings in the engagement (a hostile enum value, and a misspelt required field, reported once),
/// an unknown kind in a file whose folder has a space and a non-ASCII letter, and malformed YAML.
fn broken() -> Engage {
    let engage = Engage::minimal();
    let engagement = MINIMAL_ENGAGEMENT
        .replace("stage: enquiry", &format!("stage: {HOSTILE}"))
        .replace("classification:", "clasification:");
    engage.write(ENGAGEMENT, &engagement);
    engage.write(OTHER, "kind: Nothing\n");
    engage.write(PROPOSAL, "kind: Proposal\ntitle: [unclosed\nid: PRO-1\n");
    engage
}

fn sarif(engage: &Engage) -> Value {
    let run = engage.run(&["validate", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    run.json()
}

// The log is valid against the official SARIF 2.1.0 schema (draft-04, formats checked).
#[test]
fn sarif_is_valid_against_the_schema() {
    let log = sarif(&broken());
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("tests/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::draft4::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<_> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    let mut broken_log = log.clone();
    broken_log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken_log), "the schema is really checked");

    // `check` prints the same formats; its compliance findings and waivers are valid SARIF too.
    let checked = Engage::fixture("noncompliant").run(&["check", "--format", "sarif", "--today", "2026-11-23"]);
    let checked = checked.json();
    let errors: Vec<_> = validator.iter_errors(&checked).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = checked["runs"][0]["results"].as_array().unwrap();
    let waived: Vec<_> =
        results.iter().filter(|r| r.get("suppressions").is_some()).map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(waived, ["PRO-002"]);

    let clean = Engage::minimal().run(&["validate", "--format", "sarif"]);
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    assert!(validator.is_valid(&clean.json()), "{}", clean.stdout);
    assert_eq!(clean.json()["runs"][0]["results"], serde_json::json!([]));
}

// What GitHub code scanning needs beyond the schema.
#[test]
fn sarif_meets_github_code_scanning() {
    let log = sarif(&broken());
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "engage");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["automationDetails"]["id"], "engage/validate/");
    assert_eq!(run["invocations"], serde_json::json!([{"executionSuccessful": true}]));
    assert!(run["tool"]["driver"]["informationUri"].as_str().unwrap().starts_with("https://"));
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 11);
    let listed = Engage::empty().run(&["check", "--list-rules", "--format", "json"]).json();
    let severities: std::collections::HashMap<_, _> = listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rule"].as_str().unwrap().to_owned(), r["severity"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(severities.len(), rules.len());
    for warning in ["REC-002", "PRO-001", "DEC-002", "REV-001", "APR-004", "CTL-001", "TXT-005"] {
        assert_eq!(severities[warning], "warning", "{severities:?}");
    }
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        for key in ["shortDescription", "fullDescription"] {
            assert!(!rule[key]["text"].as_str().unwrap_or("").is_empty(), "{rule:#}");
        }
        assert!(rule["help"]["text"].as_str().unwrap().contains(&format!("engage explain {id}")), "{rule:#}");
        assert!(rule["help"]["markdown"].as_str().unwrap().contains(&format!("`engage explain {id}`")), "{rule:#}");
        assert_eq!(rule["defaultConfiguration"]["level"].as_str(), Some(severities[id].as_str()), "{rule:#}");
        // PascalCase: a capital starts each word, and no acronym is left in capitals (`Yaml`).
        let name: Vec<char> = rule["name"].as_str().unwrap().chars().collect();
        assert!(name[0].is_ascii_uppercase() && name.iter().all(char::is_ascii_alphanumeric), "{rule:#}");
        assert!(name.windows(3).all(|w| !w.iter().all(char::is_ascii_uppercase)), "{rule:#}");
    }
    let names: Vec<_> = rules.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names[..3], ["MalformedYaml", "UnreadableFile", "MissingOrUnknownKind"]);

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "{results:#?}");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["locations"].as_array().unwrap().len(), 1);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{result:#}");
        }
        assert!(result["partialFingerprints"].as_object().is_some_and(|p| !p.is_empty()), "{result:#}");
    }

    let other = &results[0];
    assert_eq!(other["ruleId"], "KIND-001");
    assert_eq!(other["level"], "error");
    let location = &other["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "engagements/t%20%C3%A9/other.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 1, "startColumn": 7, "endLine": 1, "endColumn": 14}),
        "`Nothing` is 7 characters, end exclusive"
    );
    assert_eq!(
        other["message"]["text"],
        "unknown kind `Nothing` (use one of: Engagement, Proposal, StatementOfWork, ChangeRequest, LessonsLearned, Escalation, Complaint, DecisionLog)."
    );

    let stage = results.iter().find(|r| r["ruleId"] == "SCHEMA-004").unwrap();
    let region = &stage["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(15), Some(8)));
    assert_eq!(stage["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], ENGAGEMENT);
}

// A finding keeps its fingerprint when lines are inserted above it; its region moves.
#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let engage = broken();
    let stage_of = |log: &Value| {
        log["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "SCHEMA-004").unwrap().clone()
    };
    let before = stage_of(&sarif(&engage));
    engage.write(ENGAGEMENT, &format!("# a comment\n{}", engage.read(ENGAGEMENT)));
    let after = stage_of(&sarif(&engage));
    let line = |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
    assert_eq!(line(&after), line(&before) + 1);
    assert_eq!(after["partialFingerprints"], before["partialFingerprints"]);

    let log = sarif(&engage);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let unique: std::collections::HashSet<_> = results.iter().map(|r| r["partialFingerprints"].to_string()).collect();
    assert_eq!(unique.len(), results.len(), "every finding has its own fingerprint");
}

// One test case per document and rule family, with the counts, location and failure text CI shows.
#[test]
fn junit_groups_findings_by_document_and_family() {
    let run = broken().run(&["validate", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let xml = roxmltree::Document::parse(&run.stdout).unwrap_or_else(|e| panic!("not XML ({e}):\n{}", run.stdout));
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.attribute("name"), Some("engage"));
    let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
    let pairs: Vec<_> =
        cases.iter().map(|c| (c.attribute("classname").unwrap(), c.attribute("name").unwrap())).collect();
    assert_eq!(pairs, [(OTHER, "KIND"), ("ENG-TST-2026", "SCHEMA"), (PROPOSAL, "YAML")]);
    for node in [root, suite] {
        assert_eq!((node.attribute("tests"), node.attribute("failures")), (Some("3"), Some("3")));
    }

    // Each finding is one line of the failure text, however many line breaks its message holds.
    let failure = cases[1].children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("SCHEMA-004 SCHEMA-002"));
    let text = failure.text().unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            format!(
                "{ENGAGEMENT}:15:8: SCHEMA-004 `50% a,b: c\\r\\n::stop-commands::x\\n::error::fake <x> & \\u{{7}} end` \
                 is not an allowed value (use one of: enquiry, assessment, proposal, contracting, delivery, closed, declined)"
            ),
            format!(
                "{ENGAGEMENT}:16:1: SCHEMA-002 unknown field `clasification` (did you mean `classification`? It is required here)"
            ),
        ]
    );
    assert!(!run.stdout.contains('\u{7}'), "no control character reaches the XML");
    assert!(
        failure.attribute("message").unwrap().starts_with(&format!("{ENGAGEMENT}:15:8: SCHEMA-004 `50% a,b: c\\r\\n")),
        "{failure:?}"
    );
    assert!(failure.attribute("message").unwrap().ends_with("is not an allowed value (and 1 more)"), "{failure:?}");

    let other = cases[0].children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(other.attribute("message"), Some(format!("{OTHER}:1:7: KIND-001 unknown kind `Nothing`").as_str()));
}

// A clean workspace is an empty, passing suite.
#[test]
fn junit_clean_workspace() {
    let run = Engage::minimal().run(&["validate", "--format", "junit"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let xml = roxmltree::Document::parse(&run.stdout).unwrap();
    let suite = xml.root_element().first_element_child().unwrap();
    assert_eq!((suite.attribute("tests"), suite.attribute("failures")), (Some("0"), Some("0")));
}

// One workflow command per finding, escaped as the Actions toolkit escapes, then a plain summary.
#[test]
fn github_workflow_commands() {
    let run = broken().run(&["validate", "--format", "github"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let expected = [
        "::error file=engagements/t é/other.yaml,line=1,col=7,endLine=1,endColumn=14,title=KIND-001 Missing or unknown kind\
         ::unknown kind `Nothing` (use one of: Engagement, Proposal, StatementOfWork, ChangeRequest, LessonsLearned, Escalation, Complaint, DecisionLog)",
        "::error file=engagements/test/engagement.yaml,line=15,col=8,endLine=15,endColumn=74,title=SCHEMA-004 Value not allowed\
         ::`50%25 a,b: c%0D%0A::stop-commands::x%0A::error::fake <x> & \u{7} end` is not an allowed value \
         (use one of: enquiry, assessment, proposal, contracting, delivery, closed, declined)",
        "::error file=engagements/test/engagement.yaml,line=16,col=1,endLine=16,endColumn=14,title=SCHEMA-002 Unknown field\
         ::unknown field `clasification` (did you mean `classification`? It is required here)",
        "::error file=engagements/test/proposal.yaml,line=3,col=3,endLine=3,endColumn=3,title=YAML-001 Malformed YAML\
         ::this is not valid YAML: illegal placement of ':' indicator (check the indentation and quoting around this point; \
         values containing `: ` or starting with a special character (`*`, `&`, `!`, `@`, `` ` ``, `%25`, `{`, `[`) need quotes)",
        "4 errors, 0 warnings, 0 waived in 3 files",
    ];
    assert_eq!(run.stdout, expected.map(|line| format!("{line}\n")).concat());
}

// Nothing from the data starts an output line: the runner splits lines at CR and LF, and every line
// is either one command we wrote or the summary.
#[test]
fn github_user_text_cannot_start_a_line() {
    let run = broken().run(&["validate", "--format", "github"]);
    let lines: Vec<_> = run.stdout.split(['\r', '\n']).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    let (summary, commands) = lines.split_last().unwrap();
    assert!(!summary.starts_with("::") && summary.ends_with("in 3 files"), "{summary}");
    for line in commands {
        assert!(line.starts_with("::error file=engagements/"), "{line}");
        // The properties end at the first `::`; they hold no `:` of their own.
        let (properties, _data) = line[2..].split_once("::").unwrap();
        assert!(properties.ends_with(|c: char| c.is_ascii_alphabetic()), "{line}");
    }
    assert!(!run.stdout.contains("\n::stop-commands") && !run.stdout.contains("\n::error::fake"));
}

// The exit code follows the findings, never the format.
#[test]
fn exit_codes_do_not_depend_on_the_format() {
    let broken = broken();
    let clean = Engage::minimal();
    for format in ["human", "json", "sarif", "junit", "github"] {
        let run = broken.run(&["validate", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}{}", run.stdout, run.stderr);
        let run = clean.run(&["validate", "--format", format]);
        assert_eq!(run.code, 0, "{format}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.is_empty(), "{format}: {}", run.stderr);
    }
    let run = clean.run(&["validate", "--format", "github"]);
    assert_eq!(run.stdout, "0 errors, 0 warnings, 0 waived in 1 file\n");
}
