//! SARIF 2.1.0 (`--format sarif`), the static-analysis format GitHub code scanning uploads.
//!
//! The log is valid against the OASIS schema and meets GitHub's further rules: every rule carries
//! `shortDescription`, `fullDescription` and `help`; every result has one repository-relative,
//! percent-encoded URI under `%SRCROOT%`, a full region (`endColumn` exclusive, columns counted in
//! Unicode code points as the run's `columnKind` says) and `partialFingerprints`.
//!
//! The fingerprint hashes the rule, file, field and message, never the line, so a finding keeps its
//! identity (and its alert, and any dismissal) when lines are inserted above it. Identical findings
//! in one file are told apart by their order (`HASH:2` for the second), as GitHub's own line hashes are.
//! Waived findings are reported with an accepted external suppression, never dropped.

use super::{Finding, Report, RuleId, Severity, Waiver};
use crate::source::{Pos, Sources};
use serde_json::{Map, Value, json as value};
use std::collections::HashMap;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; the suffix is bumped if the hash ever changes.
pub const FINGERPRINT: &str = "engageFinding/v1";

pub fn sarif(sources: &Sources, report: &Report) -> String {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let results: Vec<Value> = report
        .sorted(sources)
        .into_iter()
        .map(|f| {
            let hash = fingerprint(sources, f);
            let occurrence = seen.entry(hash).or_default();
            *occurrence += 1;
            result(sources, f, format!("{hash:016x}:{occurrence}"))
        })
        .collect();
    let log = value!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "engage",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": RuleId::ALL.iter().map(|&r| rule(r)).collect::<Vec<_>>(),
                }
            },
            "automationDetails": {"id": "engage/check/"},
            "originalUriBaseIds": {
                "%SRCROOT%": {
                    "description": {"text": "The workspace root: the folder that holds engage.yaml."}
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    format!("{}\n", serde_json::to_string_pretty(&log).expect("JSON values always serialise"))
}

fn rule(rule: RuleId) -> Value {
    let info = rule.info();
    let text = format!(
        "{}: {}. Why: {} Run `engage explain {}` for what it checks and how to fix it.",
        info.code, info.title, info.rationale, info.code
    );
    let markdown = format!(
        "**{}: {}**\n\n{}\n\nRun `engage explain {}` for what it checks and how to fix it.",
        info.code, info.title, info.rationale, info.code
    );
    value!({
        "id": info.code,
        "name": pascal_case(info.title),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level(default_severity(rule))},
    })
}

/// Every rule reports errors so far; a rule that warns will say so here.
fn default_severity(_rule: RuleId) -> Severity {
    Severity::Error
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result(sources: &Sources, f: &Finding, fingerprint: String) -> Value {
    let path = crate::workspace::display_path(sources.path(f.span.file));
    let (start, end) = region(sources, f);
    let text = if f.help.is_empty() { f.message.clone() } else { format!("{} ({})", f.message, f.help) };
    let mut result = value!({
        "ruleId": f.rule.code(),
        "ruleIndex": RuleId::ALL.iter().position(|&r| r == f.rule).expect("every rule is in RuleId::ALL"),
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": percent_encode(&path), "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                }
            }
        }],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    });
    let object = result.as_object_mut().expect("a result is an object");
    if let Some(waiver) = &f.waived {
        object.insert("suppressions".into(), value!([suppression(waiver)]));
    }
    let mut properties = Map::new();
    if !f.field.is_empty() {
        properties.insert("field".into(), f.field.clone().into());
    }
    if let Some(document) = &f.document {
        properties.insert("document".into(), document.as_str().into());
    }
    if !properties.is_empty() {
        object.insert("properties".into(), properties.into());
    }
    result
}

fn suppression(waiver: &Waiver) -> Value {
    value!({
        "kind": "external",
        "status": "accepted",
        "justification": format!("{} (approved by {}, until {})", waiver.reason, waiver.approver, waiver.expires),
    })
}

/// The finding's region; an empty span is widened to the character it points at, when there is one,
/// so viewers have something to underline.
fn region(sources: &Sources, f: &Finding) -> (Pos, Pos) {
    let (start, mut end) = (f.span.start, f.span.end);
    if end <= start {
        end = start;
        let line_length = sources.get(f.span.file).line(start.line).chars().count();
        if (start.column as usize) <= line_length {
            end.column = start.column + 1;
        }
    }
    (start, end)
}

/// FNV-1a (64 bit) of rule, file, field and message, separated by NUL so no two inputs run together.
fn fingerprint(sources: &Sources, f: &Finding) -> u64 {
    let path = crate::workspace::display_path(sources.path(f.span.file));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [f.rule.code(), &path, &f.field, &f.message] {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// `Missing or unknown kind` → `MissingOrUnknownKind`.
fn pascal_case(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars)).into_iter().flatten()
        })
        .collect()
}

/// Percent-encodes a relative path for a URI: everything but unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use std::path::PathBuf;

    fn waived_report() -> (Sources, Report) {
        let (sources, finding) = crate::diag::waived_sample("`SOW-1` is not an allowed value", "legacy numbering");
        (sources, Report::new(vec![finding], 1))
    }

    #[test]
    fn waived_findings_are_suppressed_not_hidden() {
        let (sources, report) = waived_report();
        let log: Value = serde_json::from_str(&sarif(&sources, &report)).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "SCHEMA-004");
        assert_eq!(
            result["suppressions"],
            value!([{
                "kind": "external",
                "status": "accepted",
                "justification": "legacy numbering (approved by Eve Manager, until 2026-12-31)",
            }])
        );
    }

    #[test]
    fn names_uris_and_empty_regions() {
        assert_eq!(pascal_case("Missing or unknown kind"), "MissingOrUnknownKind");
        assert_eq!(pascal_case("Malformed YAML"), "MalformedYAML");
        assert_eq!(percent_encode("engagements/t é/a,b%.yaml"), "engagements/t%20%C3%A9/a%2Cb%25.yaml");

        let mut sources = Sources::default();
        let file = sources.add(PathBuf::from("a.yaml"), "kind: X\n".into());
        let at = |column| Span::point(file, Pos { line: 1, column });
        let finding = |span| Finding::error(RuleId::UnknownKind, span, "m", "");
        assert_eq!(region(&sources, &finding(at(1))).1, Pos { line: 1, column: 2 });
        assert_eq!(region(&sources, &finding(at(8))).1, Pos { line: 1, column: 8 }, "past the end stays empty");
    }
}
