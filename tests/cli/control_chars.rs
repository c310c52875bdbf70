//! Control characters in data: every output drops them, and `check` says where they are.

use crate::support::{Engage, MINIMAL_ENGAGEMENT};

// ESC, BEL and BS in a title are a warning naming the file, line, column, field and characters
// (warnings alone exit 0); the tab of another value is white space and no finding; every output
// shows the title without them.
#[test]
fn control_characters_are_a_warning_and_left_out_of_every_output() {
    let engage = Engage::minimal();
    let data = MINIMAL_ENGAGEMENT
        .replace("title: Test engagement", "title: \"Test \\e[1mengagement\\a\\b\"")
        .replace("role: Sponsor", "role: \"Project\\tSponsor\"");
    engage.write("engagements/test/engagement.yaml", &data);
    let run = engage.run(&["check", "--format", "json", "--today", "2026-02-01"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let findings = run.json()["findings"].as_array().unwrap().clone();
    let control: Vec<_> = findings.iter().filter(|f| f["rule"] == "CTL-001").collect();
    assert_eq!(control.len(), 1, "{findings:#?}");
    let finding = control[0];
    assert_eq!(
        (&finding["file"], &finding["line"], &finding["column"], &finding["field"], &finding["severity"]),
        (&"engagements/test/engagement.yaml".into(), &3.into(), &1.into(), &"title".into(), &"warning".into()),
        "{finding:#}"
    );
    assert_eq!(
        finding["message"],
        "the text holds U+0007 (BEL), U+0008 (BS), U+001B (ESC), which no document shows: it is left out of every output"
    );

    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let markdown = engage.read("out/ENG-TST-2026.md");
    assert!(markdown.contains("Test \\[1mengagement"), "{markdown}");
    assert!(markdown.contains("Project Sponsor"), "{markdown}");
    assert!(!markdown.contains(['\u{1b}', '\u{7}', '\u{8}', '\t']));
    assert!(!engage.read("out/ENG-TST-2026.html").contains(['\u{1b}', '\u{7}', '\u{8}']));

    let explained = engage.run(&["explain", "CTL-001"]);
    assert_eq!(explained.code, 0);
    assert!(explained.stdout.contains("Control characters in text"), "{}", explained.stdout);
}
