//! PDFs checked the way a reader would: through their text layer (`pdftotext`) and
//! page geometry (`pdfinfo`).

use std::path::Path;
use std::process::Command;

use super::*;

fn meta() -> DocumentMeta {
    DocumentMeta {
        id: "SOW-NWL-2026-004".into(),
        title: "Data Platform Migration".into(),
        kind_label: "Statement of Work".into(),
        client: "Northwind Logistics".into(),
        organisation: "Harbour Consulting".into(),
        issuer: "Harbour Consulting".into(),
        revision: "2".into(),
        draft: false,
        status: "Issued".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        classification: "Confidential".into(),
        author: "A. Consultant".into(),
        keywords: vec!["migration".into()],
        register_head: None,
        language: crate::render::language::english(),
    }
}

fn theme() -> Theme {
    let time_limit = std::time::Duration::from_secs(60);
    Theme {
        paper: Paper::A4,
        accent: "#1F4E79".into(),
        logo: None,
        source: None,
        pdf_a: false,
        time_limit,
        fonts: Vec::new(),
        families: FontChoice::default(),
    }
}

fn typesetter() -> Typesetter {
    Typesetter::new(theme()).expect("the built-in theme compiles")
}

const SAMPLE: &str = "\
# Background

Northwind Logistics operates **three warehouses** and wants to move its reporting to a
managed data platform. This statement of work describes the *scope*, the deliverables
and the fees.

## Deliverables

1. Current-state assessment
2. Target architecture
   - storage and compute
   - security model
3. Migration of 40 reports

## Fees

| Milestone | Due | Amount (GBP) |
|---|---|---:|
| Assessment | 2026-04-30 | 12,500.00 |
| Architecture | 2026-05-31 | 18,750.00 |
| Migration | 2026-07-31 | 42,000.00 |

# Assumptions

- The client provides access to source systems within five working days.
- Travel is billed at cost.

> Prices exclude VAT.
";

/// The text layer of a PDF, one `\x0c`-terminated chunk per page.
fn pdf_text(pdf: &[u8]) -> String {
    pdftotext(pdf, &[])
}

/// The text in the order it is drawn (the page background first), without
/// whitespace: pdftotext puts each letter of rotated text on its own line.
fn pdf_drawn_text(pdf: &[u8]) -> String {
    pdftotext(pdf, &["-raw"]).split_whitespace().collect()
}

fn pdftotext(pdf: &[u8], options: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").args(options).args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `pdfinfo`'s "Pages" and "Page size" lines.
fn geometry(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("Pages:") || l.starts_with("Page size:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn pages(text: &str) -> usize {
    text.matches('\x0c').count()
}

/// Markdown that shows `text` literally: every ASCII punctuation character escaped,
/// as the Markdown step does with user data.
fn markdown_literal(text: &str) -> String {
    text.chars().flat_map(|c| if c.is_ascii_punctuation() { vec!['\\', c] } else { vec![c] }).collect()
}

#[test]
fn sample_document_shows_identity_and_page_numbers() {
    let long_sample = format!("{SAMPLE}\n{}", "A paragraph of contractual prose that fills the page. ".repeat(150));
    let pdf = typesetter().typeset(&long_sample, &meta()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    let n = pages(&text);
    assert!(n >= 2, "expected several pages, got {n}");
    for expected in [
        "SOW-NWL-2026-004",
        "Data Platform Migration",
        "Northwind Logistics",
        "Revision",
        "Statement of Work".to_uppercase().as_str(),
        "14 March 2026",
        "42,000.00",
        "1.1 Deliverables",
        &format!("Page 1 of {n}"),
        &format!("Page {n} of {n}"),
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // The running header (title, ID, revision) starts on page 2.
    let page2 = text.split('\x0c').nth(1).unwrap();
    assert!(page2.contains("SOW-NWL-2026-004") && page2.contains("Revision 2"), "{page2}");
}

#[test]
fn same_input_gives_identical_bytes() {
    let ts = typesetter();
    let first = ts.typeset(SAMPLE, &meta()).unwrap();
    let second = ts.typeset(SAMPLE, &meta()).unwrap();
    assert!(first == second, "two typesets of the same document differ");
}

const HOSTILE: &[&str] = &[
    r#"#read("/etc/passwd")"#,
    "#set page(width: 1pt)",
    "$x^2$",
    "@ref",
    "<label>",
    "]",
    r"\",
    "*",
    "_",
    "`",
    r"C:\new\table\u{41}",
];

/// A document with `text` in the title, client, a heading, a paragraph and a table cell.
fn with_text(ts: &Typesetter, text: &str) -> (String, String) {
    let literal = markdown_literal(text);
    let markdown = format!(
        "# Section {literal}\n\nBefore {literal} after.\n\n| Item | Amount |\n|---|---:|\n| {} | 1.00 |\n",
        literal.replace('|', "\\|")
    );
    let meta = DocumentMeta { title: format!("Title {text}"), client: format!("Client {text}"), ..meta() };
    let pdf = ts.typeset(&markdown, &meta).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    (pdf_text(&pdf), geometry(&pdf))
}

#[test]
fn hostile_text_appears_verbatim_and_changes_nothing_else() {
    let ts = typesetter();
    let (_, benign_geometry) = with_text(&ts, "benign");
    for hostile in HOSTILE {
        let (text, geometry) = with_text(&ts, hostile);
        for expected in [
            format!("Title {hostile}"),
            format!("Client {hostile}"),
            format!("1 Section {hostile}"),
            format!("Before {hostile} after."),
        ] {
            assert!(text.contains(&expected), "{expected:?} missing from:\n{text}");
        }
        let cell = text.lines().any(|line| line.trim() == *hostile);
        assert!(cell, "table cell {hostile:?} missing from:\n{text}");
        assert!(!text.contains("root:"), "{hostile:?} read a file");
        assert_eq!(geometry, benign_geometry, "{hostile:?} changed the pages");
    }
}

// A chart block is drawn from its data: hostile labels and names are shown, never run, and a
// block that is not a valid chart stays a code block.
#[test]
fn charts_are_drawn_from_data_and_hostile_labels_stay_text() {
    use crate::render::chart::{Chart, Series, Shape};
    let ts = typesetter();
    for hostile in HOSTILE {
        for shape in [Shape::Bar, Shape::Line] {
            let chart = Chart {
                shape,
                title: format!("Chart {hostile}"),
                labels: vec![format!("L{hostile}"), "Second".into()],
                series: vec![Series { name: format!("S{hostile}"), values: vec![3.0, 1.5] }],
                max: None,
                numbers: None,
            };
            let pdf = ts.typeset(&format!("# Figures\n\n{}\n", chart.block()), &meta()).unwrap();
            let text = pdf_text(&pdf);
            for expected in [format!("Chart {hostile}"), format!("L{hostile}"), format!("S{hostile}")] {
                assert!(text.contains(&expected), "{expected:?} missing from:\n{text}");
            }
            // Bars carry their values; a line chart its scale.
            let number = if shape == Shape::Bar { "1.5" } else { "3" };
            assert!(text.contains(number), "{number} missing from:\n{text}");
            assert!(!text.contains("root:") && !text.contains("\"series\""), "{hostile:?}: {text}");
        }
    }
    let broken = ts.typeset("```chart\n{\"type\": \"pie\"}\n```\n", &meta()).unwrap();
    assert!(pdf_text(&broken).contains("\"type\": \"pie\""), "shown as code");
}

#[test]
fn long_tokens_wrap_instead_of_running_off_the_page() {
    let word = "q".repeat(10_000);
    let url = format!("https://example.com/{}", "segment/".repeat(40));
    let markdown = format!("Word: {word}\n\nLink: <{url}>\n\n| Hash |\n|---|\n| {} |\n", "0123456789abcdef".repeat(8));
    let meta = DocumentMeta { client: "ж".repeat(300), ..meta() };
    // Text running off the page is clipped from the text layer: all of it is there.
    let text = pdf_text(&typesetter().typeset(&markdown, &meta).unwrap()).replace('\n', "");
    assert_eq!(text.matches('ж').count(), 2 * 300, "client in the title block, twice");
    assert_eq!(text.matches('q').count(), 10_000);
    assert_eq!(text.matches("segment/").count(), 40, "{text}");
    assert_eq!(text.matches("0123456789abcdef").count(), 8);
}

#[test]
fn long_tokens_of_escaped_punctuation_wrap_too() {
    // The Markdown escapes each of these, and pulldown-cmark hands them over one by one.
    let token = "#$@<>[]\\".repeat(300);
    let markdown = format!("Token: {}\n", crate::render::escape_markdown(&token));
    let text = pdf_text(&typesetter().typeset(&markdown, &meta()).unwrap()).replace('\n', "");
    assert_eq!(text.matches("#$@<>[]\\").count(), 300, "{text}");
}

#[test]
fn broken_workspace_theme_names_its_file_line_and_column() {
    let broken = |text: &str| {
        let source = ThemeSource { path: "acme/templates/document.typ".into(), text: text.into() };
        let error = Typesetter::new(Theme { source: Some(source), ..theme() }).err().expect("an error");
        (error.to_string(), error.hint())
    };
    let (message, hint) = broken("#let theme(meta, body) = {\n  set text(size: 11pt)\n  foo\n  body\n}\n");
    assert_eq!(message, "acme/templates/document.typ:3:3: unknown variable: foo");
    assert!(hint.contains("acme/templates/document.typ"), "{hint}");

    let (message, _) = broken("#let theme(meta, body) = {\n  body\n");
    assert!(message.starts_with("acme/templates/document.typ:"), "{message}");

    let (message, _) = broken("#let theme(meta, body) = [#read(\"/etc/passwd\") #body]\n");
    assert!(message.starts_with("acme/templates/document.typ:1:"), "{message}");
    assert!(message.contains("access denied"), "{message}");

    let (message, _) = broken("#let other = 1\n");
    assert!(message.starts_with("acme/templates/document.typ: "), "{message}");
}

#[test]
fn pdf_a_output_is_identified_as_pdf_a() {
    let pdf_a = Typesetter::new(Theme { pdf_a: true, ..theme() }).unwrap().typeset(SAMPLE, &meta()).unwrap();
    let contains = |pdf: &[u8], needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(contains(&pdf_a, b"pdfaid:part"), "no PDF/A identification");
    let plain = typesetter().typeset(SAMPLE, &meta()).unwrap();
    assert!(!contains(&plain, b"pdfaid:part"));
}

#[test]
fn drafts_carry_a_watermark_and_issued_documents_do_not() {
    let ts = typesetter();
    let draft = pdf_drawn_text(&ts.typeset(SAMPLE, &DocumentMeta { draft: true, ..meta() }).unwrap());
    let issued = pdf_drawn_text(&ts.typeset(SAMPLE, &meta()).unwrap());
    assert!(draft.contains("DRAFT"), "{draft}");
    assert!(!issued.contains("DRAFT"), "{issued}");
}

#[test]
fn batch_gives_the_same_pdfs_as_one_at_a_time() {
    fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<Typesetter>();
    let ts = typesetter();
    let jobs: Vec<(String, DocumentMeta)> = (0..4)
        .map(|i| (format!("{SAMPLE}\nDocument {i}.\n"), DocumentMeta { id: format!("SOW-{i}"), ..meta() }))
        .collect();
    let together = crate::parallel::map(&jobs, 2, |(markdown, meta)| ts.typeset(markdown, meta).unwrap());
    for (pdf, (markdown, meta)) in together.into_iter().zip(&jobs) {
        assert_eq!(pdf, ts.typeset(markdown, meta).unwrap());
    }
}

#[test]
fn emitted_sources_hold_everything_typst_needs() {
    let ts = typesetter();
    let names: Vec<String> = ts.sources(SAMPLE, &meta()).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["main.typ", "theme.typ", "body.typ", "data.json"]);
    assert!(Path::new(THEME_PATH).ends_with("document.typ"));
}
