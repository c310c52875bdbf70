//! YAML that fights back: each attack gets one finding with its exact message, file, line and
//! column, and `validate` exits 1. Nothing panics, aborts or hangs.

use crate::support::{Engage, MINIMAL_ENGAGEMENT};
use serde_json::Value;
use std::time::{Duration, Instant};

const FILE: &str = "engagements/test/engagement.yaml";

/// The one finding `validate` reports for the engagement file holding `text`.
fn finding_for(text: &[u8]) -> Value {
    let engage = Engage::minimal();
    std::fs::write(engage.path().join(FILE), text).unwrap();
    only_finding(&engage)
}

fn only_finding(engage: &Engage) -> Value {
    let run = engage.run(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let findings = run.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "exactly one finding: {findings:#?}");
    findings[0].clone()
}

/// Asserts rule, file, line, column, message and help of a finding.
fn assert_finding(finding: &Value, rule: &str, (line, column): (u64, u64), message: &str, help: &str) {
    let got = (
        finding["rule"].as_str().unwrap(),
        finding["file"].as_str().unwrap(),
        finding["line"].as_u64().unwrap(),
        finding["column"].as_u64().unwrap(),
        finding["message"].as_str().unwrap(),
        finding["help"].as_str().unwrap(),
    );
    assert_eq!(got, (rule, FILE, line, column, message, help), "{finding:#}");
}

fn with_line(line: &str) -> Vec<u8> {
    format!("{MINIMAL_ENGAGEMENT}{line}\n").into_bytes()
}

const NO_ANCHORS: &str = "remove the anchor and write each value out in full where it is used";

#[test]
fn billion_laughs_is_refused_at_its_first_anchor() {
    let mut bomb = String::from("kind: Engagement\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        bomb.push_str(&format!("lol{level}: &a{level} [{}]\n", [previous.as_str(); 9].join(", ")));
    }
    let started = Instant::now();
    let finding = finding_for(bomb.as_bytes());
    assert_finding(&finding, "YAML-001", (2, 7), "anchors (`&name`) are not supported", NO_ANCHORS);
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

#[test]
fn aliases_and_merge_keys_are_refused() {
    let finding = finding_for(b"kind: Engagement\nid: &id ENG-TST-2026\n");
    assert_finding(&finding, "YAML-001", (2, 5), "anchors (`&name`) are not supported", NO_ANCHORS);
    let finding = finding_for(&with_line("base:\n  <<: {owner: Eve Manager}"));
    assert_finding(
        &finding,
        "YAML-001",
        (19, 3),
        "merge keys (`<<`) are not supported",
        "write the fields out in full in this mapping: each value of a controlled document is stated where it is used",
    );
}

#[test]
fn nesting_thousands_deep_is_refused_without_a_crash() {
    for (text, at) in [
        ("kind: Engagement\nnotes:\n".to_string() + &"- ".repeat(50_000) + "x\n", (3, 127)),
        ("kind: Engagement\nnotes: ".to_string() + &"{a: ".repeat(60) + &"[".repeat(10) + "\n", (2, 251)),
    ] {
        let finding = finding_for(text.as_bytes());
        assert_finding(
            &finding,
            "YAML-001",
            at,
            "the data nests deeper than 64 levels",
            "engagement documents need only a few levels: flatten this structure",
        );
    }
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let engage = Engage::minimal();
    // 100 MB, made in an instant (a sparse file) and refused from its size, before it is read.
    let big = std::fs::File::create(engage.path().join(FILE)).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let finding = only_finding(&engage);
    assert_finding(
        &finding,
        "YAML-002",
        (1, 1),
        "the file is 104857600 bytes, more than the limit of 10485760",
        "split the data into smaller files, or raise `max_file_bytes` in engage.yaml",
    );
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());

    // The limit is a setting.
    engage.write("engage.yaml", "organisation:\n  name: Test Consulting\nmax_file_bytes: 200\n");
    engage.write(FILE, MINIMAL_ENGAGEMENT);
    let finding = only_finding(&engage);
    let message = format!("the file is {} bytes, more than the limit of 200", MINIMAL_ENGAGEMENT.len());
    assert_eq!(finding["message"].as_str().unwrap(), message, "{finding:#}");
}

#[test]
fn tabs_in_indentation() {
    let text = MINIMAL_ENGAGEMENT.replace("  name: Test Client Ltd", "\tname: Test Client Ltd");
    let finding = finding_for(text.as_bytes());
    assert_finding(
        &finding,
        "YAML-001",
        (7, 1),
        "this line is indented with a tab",
        "indent with spaces: YAML does not allow tabs for indentation",
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let engage = Engage::minimal();
    std::fs::write(engage.path().join(FILE), format!("\u{feff}{MINIMAL_ENGAGEMENT}")).unwrap();
    let run = engage.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // Positions after a byte-order mark are where an editor shows them.
    let bad = MINIMAL_ENGAGEMENT.replace("stage: enquiry", "stage: Delivery");
    let finding = finding_for(format!("\u{feff}{bad}").as_bytes());
    assert_eq!((finding["line"].as_u64(), finding["column"].as_u64()), (Some(15), Some(8)), "{finding:#}");
}

#[test]
fn invalid_utf8_is_located() {
    let finding = finding_for(b"kind: Engagement\ntitle: Caf\xe9 Nero\n");
    assert_finding(
        &finding,
        "YAML-002",
        (2, 11),
        "the file is not UTF-8 text (is it a spreadsheet or a binary file?)",
        "save the file as UTF-8 text; data files are YAML",
    );
}

#[test]
fn multiple_documents_in_one_file() {
    let text = format!("{MINIMAL_ENGAGEMENT}---\nkind: Proposal\n");
    let finding = finding_for(text.as_bytes());
    assert_finding(
        &finding,
        "YAML-001",
        (18, 1),
        "this file holds more than one YAML document (a second `---`)",
        "put each document in a file of its own",
    );
}

#[test]
fn binary_and_custom_tags() {
    let finding = finding_for(&with_line("logo: !!binary aGVsbG8="));
    let help = "remove the tag; write text in quotes if it must not be read as a number or a date";
    assert_finding(&finding, "YAML-001", (18, 7), "the tag `!!binary` is not supported", help);
    let finding = finding_for(&with_line("notes: !ruby/object:Gem::Installer {}"));
    assert_finding(&finding, "YAML-001", (18, 8), "the tag `!ruby/object:Gem::Installer` is not supported", help);
}

const QUOTE_IT: &str = "quote it (for example \"0777\" or \"1.10\") so that it is read as text, exactly as written";

#[test]
fn numbers_where_text_is_expected_say_quote_it() {
    for (value, found) in [("0777", "a number"), ("1e3", "a number"), ("true", "true/false")] {
        let text = MINIMAL_ENGAGEMENT.replace("title: Test engagement", &format!("title: {value}"));
        let finding = finding_for(text.as_bytes());
        assert_finding(&finding, "SCHEMA-003", (3, 8), &format!("expected text, found {found}"), QUOTE_IT);
    }
}

#[test]
fn yaml_11_words_stay_text_and_are_no_booleans() {
    // `no`, `on` and `12:30` are text in YAML 1.2: valid titles, rendered as typed.
    let engage = Engage::minimal();
    for (value, shown) in [("no", "no"), ("on", "on"), ("12:30", "12:30"), ("'0777'", "0777")] {
        let text = MINIMAL_ENGAGEMENT.replace("title: Test engagement", &format!("title: {value}"));
        engage.write(FILE, &text);
        let run = engage.run(&["build", "--no-pdf"]);
        assert_eq!(run.code, 0, "{value}: {}{}", run.stdout, run.stderr);
        let markdown = engage.read("out/ENG-TST-2026.md");
        assert!(markdown.starts_with(&format!("# {shown}\n")), "{value}: {markdown}");
    }
    // Where a boolean is expected, `no` says what to write.
    let engage = Engage::samples();
    let file = "engagements/northwind-logistics/cr-001.yaml";
    let text = engage.read(file);
    assert!(text.contains("  agreed: true\n"), "{text}");
    engage.write(file, &text.replacen("  agreed: true\n", "  agreed: yes\n", 1));
    let run = engage.run(&["validate", "--format", "json"]);
    let finding = &run.json()["findings"][0];
    assert_eq!(finding["message"], "expected true or false, found text", "{finding:#}");
    assert_eq!(
        finding["help"], "write `true`: engage reads YAML 1.2, where `yes` is text, not a boolean",
        "{finding:#}"
    );
}

#[test]
fn impossible_dates() {
    let (not_a_date, no_form) = ("is not a valid date", "does not have the required form");
    for (date, message) in [("2026-02-30", not_a_date), ("2026-13-01", not_a_date), ("12:30", no_form)] {
        let text = MINIMAL_ENGAGEMENT.replace("date: 2026-01-05", &format!("date: {date}"));
        let finding = finding_for(text.as_bytes());
        let at = (finding["rule"].as_str(), finding["line"].as_u64(), finding["column"].as_u64());
        assert_eq!(at, (Some("SCHEMA-004"), Some(4), Some(7)), "{finding:#}");
        assert_eq!(finding["message"].as_str().unwrap(), format!("`{date}` {message}"), "{finding:#}");
        assert!(finding["help"].as_str().unwrap().contains("YYYY-MM-DD"), "{finding:#}");
    }
}

#[test]
fn empty_and_comment_only_files() {
    for text in ["", "\n\n", "# nothing yet\n# still nothing\n", "\u{feff}"] {
        let finding = finding_for(text.as_bytes());
        assert_finding(
            &finding,
            "YAML-001",
            (1, 1),
            "the file is empty: it holds no YAML document",
            "add the document's fields, starting with `kind:` (or delete the file)",
        );
    }
}
