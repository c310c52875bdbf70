//! The PDFs of a build, read through their text layer with `pdftotext` as a reader would.

use crate::build::{fold, sample_documents};
use crate::support::Engage;
use std::path::Path;
use std::process::Command;

/// The text of a PDF laid out as on the page (columns side by side).
pub fn pdf_text(path: &Path) -> String {
    pdftotext(path, "-layout")
}

/// The text of a PDF in drawing order: a table cell's lines follow each other, whatever the cells
/// beside it hold.
pub fn pdf_text_in_drawing_order(path: &Path) -> String {
    pdftotext(path, "-raw")
}

fn pdftotext(path: &Path, mode: &str) -> String {
    let output = Command::new("pdftotext").arg(mode).arg(path).arg("-").output().expect("pdftotext is installed");
    assert!(output.status.success(), "{} does not open: {}", path.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn pages(text: &str) -> usize {
    text.matches('\u{c}').count()
}

// Every sample's PDF opens, has a sensible number of pages, and shows its client, ID, revision,
// every deliverable ID and "Page 1 of N".
#[test]
fn every_sample_pdf_shows_what_a_reader_checks() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build"]).code, 0);
    for (_, data) in sample_documents() {
        let id = data["id"].as_str().unwrap();
        let path = engage.path().join(format!("out/{id}.pdf"));
        assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"), "{id}");
        let text = pdf_text(&path);
        let n = pages(&text);
        assert!((1..=15).contains(&n), "{id}: {n} pages");
        let folded = fold(&text);
        for expected in [id, "Revision", "Draft", &format!("Page 1 of {n}"), &format!("Page {n} of {n}")] {
            assert!(folded.contains(&fold(expected)), "{id}: {expected:?} not in the PDF text");
        }
        let deliverables = data["deliverables"].as_array().into_iter().flatten();
        for deliverable in deliverables {
            let did = deliverable["id"].as_str().unwrap();
            assert!(
                text.split_whitespace().any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == did),
                "{id}: deliverable {did}"
            );
        }
    }
    let register = fold(&pdf_text(&engage.path().join("out/ESR-NWL-2026.pdf")));
    for expected in ["ESC-NWL-2026-001", "ESC-NWL-2026-002", "resolved after 2d 6h 30m (met)", "Page 1 of 1"] {
        assert!(register.contains(&fold(expected)), "{expected:?} not in the escalation register: {register}");
    }
    let complaints = fold(&pdf_text_in_drawing_order(&engage.path().join("out/CMR-KWF-2025.pdf")));
    assert!(complaints.contains(&fold("closed after 25 days (late)")), "{complaints}");
    let sow = fold(&pdf_text(&engage.path().join("out/SOW-NWL-2026-004.pdf")));
    assert!(sow.contains(&fold("Northwind Logistics plc")) && sow.contains("£486 000.00"), "client and total: {sow}");
}

// Two builds give byte-identical PDFs; --pdf-a adds the PDF/A identification.
#[test]
fn pdfs_are_deterministic_and_pdf_a_on_request() {
    let (a, b) = (Engage::samples(), Engage::samples());
    assert_eq!(a.run(&["build"]).code, 0);
    assert_eq!(b.run(&["build"]).code, 0);
    let read = |e: &Engage| std::fs::read(e.path().join("out/PRO-OST-2026-001.pdf")).unwrap();
    assert_eq!(read(&a), read(&b));
    assert!(!String::from_utf8_lossy(&read(&a)).contains("pdfaid:part"));

    assert_eq!(a.run(&["build", "--pdf-a"]).code, 0);
    assert!(String::from_utf8_lossy(&read(&a)).contains("pdfaid:part"), "PDF/A identification");
}

// --emit typst writes each document's complete typst sources next to its PDF.
#[test]
fn emit_typst_writes_the_sources() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build", "--emit", "typst"]).code, 0);
    for name in ["main.typ", "theme.typ", "body.typ", "data.json"] {
        assert!(engage.path().join("out/typst/SOW-NWL-2026-004").join(name).is_file(), "{name}");
    }
    let data = engage.read("out/typst/SOW-NWL-2026-004/data.json");
    assert!(data.contains("\"id\": \"SOW-NWL-2026-004\"") || data.contains("\"id\":\"SOW-NWL-2026-004\""), "{data}");
}

// A broken workspace theme is reported in its file with line and column, exit 1, nothing written.
#[test]
fn broken_theme_is_located() {
    let engage = Engage::samples();
    engage.write(
        "templates/document.typ",
        "#let theme(meta, body) = {\n  set page(paper: \"a4\")\n  no_such_function(body)\n}\n",
    );
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("error[TPL-001]") && run.stdout.contains("--> templates/document.typ:3:3"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("unknown variable: no_such_function"), "{}", run.stdout);
    assert!(!engage.path().join("out").exists());
}

// Hostile text in the data comes out verbatim in the PDF text and runs nothing.
#[test]
fn hostile_text_is_verbatim_in_the_pdf() {
    let engage = Engage::samples();
    let file = "engagements/ostara-energie/proposal.yaml";
    let hostile = ["#read(\"/etc/passwd\")", "#set page(width: 1pt)", "$x^2$", "@ref", "<label>", "] \\ * _ `code`"];
    let mut text = engage.read(file);
    for (i, h) in hostile.iter().enumerate() {
        text = text.replacen("  - id: R", &format!("  - id: R9{i}\n    description: {}\n    likelihood: low\n    impact: low\n    mitigation: none\n    owner: Tom Okafor\n  - id: R", serde_json::to_string(h).unwrap()), 1);
    }
    engage.write(file, &text);
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let pdf = fold(&pdf_text(&engage.path().join("out/PRO-OST-2026-001.pdf")));
    for h in hostile {
        assert!(pdf.contains(&fold(h)), "{h:?} not verbatim in the PDF text");
    }
    assert!(!pdf.contains("root:x:0"), "no file was read");
}

// The logo comes from engage.yaml; a missing logo file stops the build naming its path (exit 2).
#[test]
fn logo_from_settings() {
    let engage = Engage::samples();
    engage.append("engage.yaml", "logo: brand/logo.svg\n");
    let run = engage.run(&["build", "--format", "md,html"]);
    assert_eq!(run.code, 0, "no PDF or Word document, no logo needed: {}", run.stderr);
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read") && run.stderr.contains("brand/logo.svg"), "{}", run.stderr);

    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\"><rect width=\"120\" height=\"40\" fill=\"#1F4E79\"/></svg>";
    engage.write("brand/logo.svg", svg);
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}
