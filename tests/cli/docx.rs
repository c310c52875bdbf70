//! The Word documents of a build, read as a user's tools read them: LibreOffice opens each one
//! and prints it (its text through `pdftotext`), python-docx reads the styles and the table
//! header rows, and the XML of the package gives the text a reviewer sees.

use crate::build::{fold, sample_documents};
use crate::support::Engage;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A part of a .docx package, as text.
pub fn part(path: &Path, name: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// Which text of tracked changes to keep: all of it as marked, the insertions accepted and the
/// deletions gone, or the insertions rejected and the deletions restored.
#[derive(Clone, Copy, PartialEq)]
pub enum View {
    Plain,
    AcceptAll,
    RejectAll,
}

/// The text of `word/document.xml`: one line per paragraph (a table cell's paragraph too), tabs
/// and line breaks as spaces. Accepting drops deleted text, deleted paragraphs and rows; rejecting
/// drops inserted ones.
pub fn text(xml: &str, view: View) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let dropped = |tag: &str| match view {
        View::Plain => false,
        View::AcceptAll => tag == "del",
        View::RejectAll => tag == "ins",
    };
    // A paragraph or row whose own mark (in `pPr/rPr` or `trPr`) is dropped goes whole.
    let gone = |node: roxmltree::Node| {
        node.children()
            .filter(|c| c.has_tag_name((w, "pPr")) || c.has_tag_name((w, "trPr")))
            .flat_map(|p| p.descendants())
            .any(|d| d.tag_name().namespace() == Some(w) && dropped(d.tag_name().name()))
    };
    let mut lines = Vec::new();
    for p in doc.descendants().filter(|n| n.has_tag_name((w, "p"))) {
        if gone(p) || p.ancestors().any(|a| a.has_tag_name((w, "tr")) && gone(a)) {
            continue;
        }
        let mut line = String::new();
        for node in p.descendants() {
            let kept = !node
                .ancestors()
                .any(|a| (a.has_tag_name((w, "ins")) || a.has_tag_name((w, "del"))) && dropped(a.tag_name().name()));
            match node.tag_name().name() {
                "t" | "delText" if kept && node.tag_name().namespace() == Some(w) => {
                    line.push_str(node.text().unwrap_or(""))
                }
                "tab" | "br" if kept => line.push(' '),
                _ => {}
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// Converts `files` to PDF in one LibreOffice run, into `into`; `None` when LibreOffice is not
/// installed (outside CI only: under `CI=true` a missing LibreOffice fails the test).
pub fn libreoffice_pdfs(files: &[PathBuf], into: &Path) -> Option<()> {
    let profile = tempfile::tempdir().unwrap();
    let run = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(into)
        .args(files)
        .output();
    let output = crate::support::started(run, "soffice", "apt-get install libreoffice-writer-nogui")?;
    assert!(output.status.success(), "LibreOffice failed: {}", String::from_utf8_lossy(&output.stderr));
    Some(())
}

/// What python-docx reads in each file: `STYLE<TAB>text` per paragraph, then `HEADER-ROW <n>`
/// for each table whose first row repeats. `None` when python-docx is missing outside CI.
fn python_docx(files: &[PathBuf]) -> Option<String> {
    let script = concat!(
        "import sys, docx\n",
        "for name in sys.argv[1:]:\n",
        "    d = docx.Document(name)\n",
        "    print('FILE', name)\n",
        "    for p in d.paragraphs:\n",
        "        print(p.style.name + '\\t' + p.text)\n",
        "    for i, t in enumerate(d.tables):\n",
        "        trPr = t.rows[0]._tr.trPr\n",
        "        if trPr is not None and trPr.find(docx.oxml.ns.qn('w:tblHeader')) is not None:\n",
        "            print('HEADER-ROW', i)\n",
    );
    let output = Command::new("python3").arg("-c").arg(script).args(files).output().unwrap();
    if !output.status.success() {
        let error = String::from_utf8_lossy(&output.stderr);
        if error.contains("No module named 'docx'") && std::env::var("CI").is_err() {
            eprintln!("python-docx is not installed: the styles are not read");
            return None;
        }
        panic!("python-docx failed: {error}");
    }
    Some(String::from_utf8(output.stdout).unwrap())
}

fn docx_files(engage: &Engage) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(engage.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    files
}

// Every sample's Word document opens in LibreOffice and prints with its client, ID, revision,
// every deliverable ID and "Page X of Y"; python-docx sees Word's heading styles and header rows
// that repeat; the registers and the management review have theirs too. A token too long for
// its table cell wraps inside the cell, within the right margin.
#[test]
fn every_sample_docx_opens_in_libreoffice_with_word_styles() {
    let engage = Engage::samples();
    let long = "x".repeat(180);
    let title = "    title: Depot catchment rebalancing recommendations";
    crate::release::edit(&engage, crate::release::SOW_FILE, title, &format!("    title: {long}"));
    assert_eq!(engage.run(&["build"]).code, 0);
    assert_eq!(engage.run(&["report", "--no-pdf", "--today", "2026-06-30"]).code, 0);
    let files = docx_files(&engage);
    assert!(files.iter().any(|f| f.ends_with("out/ESR-NWL-2026.docx")), "registers: {files:?}");
    assert!(files.iter().any(|f| f.file_name().unwrap().to_string_lossy().starts_with("MR-")), "report: {files:?}");
    let pdfs = tempfile::tempdir().unwrap();
    if libreoffice_pdfs(&files, pdfs.path()).is_some() {
        for (_, data) in sample_documents() {
            let id = data["id"].as_str().unwrap();
            let printed = crate::pdf::pdf_text(&pdfs.path().join(format!("{id}.pdf")));
            let n = printed.matches('\u{c}').count();
            let folded = fold(&printed);
            let client = engage.read(&format!("out/{id}.md"));
            let client = client.lines().find(|l| l.starts_with("| Client |")).unwrap();
            let client = client.trim_start_matches("| Client |").trim_end_matches('|').trim();
            for expected in
                [id, "Revision Draft", "DRAFT", client, &format!("Page 1 of {n}"), &format!("Page {n} of {n}")]
            {
                assert!(folded.contains(&fold(expected)), "{id}: {expected:?} not in the printed Word document");
            }
            for deliverable in data["deliverables"].as_array().into_iter().flatten() {
                let did = deliverable["id"].as_str().unwrap();
                assert!(printed.contains(did), "{id}: deliverable {did}");
            }
        }
        // A4, 2 cm margins: the text ends 538.6 pt from the left edge of the page.
        let sow = pdfs.path().join("SOW-NWL-2026-004.pdf");
        let boxes = Command::new("pdftotext").arg("-bbox").arg(sow).arg("-").output().unwrap();
        let boxes = String::from_utf8(boxes.stdout).unwrap();
        let right = boxes.split("xMax=\"").skip(1).map(|v| v[..v.find('"').unwrap()].parse::<f64>().unwrap());
        assert!(right.fold(0.0, f64::max) < 539.0, "a word runs past the right margin");
        assert!(boxes.matches(&"x".repeat(12)).count() >= 2, "the long title wraps inside its cell");
    }
    let Some(read) = python_docx(&files) else { return };
    let sow = read.split("FILE ").find(|f| f.contains("SOW-NWL-2026-004.docx")).unwrap();
    for expected in ["Title\t", "Heading 1\t1 Introduction", "Heading 2\t", "List Bullet\t", "HEADER-ROW 0"] {
        assert!(sow.contains(expected), "{expected:?} not read by python-docx: {sow}");
    }
    for file in read.split("FILE ").skip(1) {
        assert!(file.contains("HEADER-ROW"), "no repeating header row: {file}");
    }
}

// The package: core properties, the header and footer with PAGE and NUMPAGES fields, the paper,
// the accent colour; two builds give the same bytes, and `build --check` covers the .docx.
#[test]
fn docx_parts_are_set_and_bytes_deterministic() {
    let (a, b) = (Engage::samples(), Engage::samples());
    for engage in [&a, &b] {
        let settings = engage.read("engage.yaml").replace("paper: a4", "paper: letter").replace("#1F4E79", "#8B0000");
        engage.write("engage.yaml", &settings);
    }
    assert_eq!(a.run(&["build", "--no-pdf"]).code, 0);
    assert_eq!(b.run(&["build", "--no-pdf"]).code, 0);
    for (file, _) in docx_files(&a).iter().zip(docx_files(&b)) {
        let name = file.file_name().unwrap();
        assert_eq!(std::fs::read(file).unwrap(), std::fs::read(b.path().join("out").join(name)).unwrap(), "{name:?}");
    }
    let sow = a.path().join("out/SOW-NWL-2026-004.docx");
    let core = part(&sow, "docProps/core.xml");
    for expected in
        ["<dc:title>", "<cp:keywords>SOW-NWL-2026-004; Statement of Work; Northwind Logistics plc</cp:keywords>"]
    {
        assert!(core.contains(expected), "{expected} in {core}");
    }
    let footer = part(&sow, "word/footer1.xml");
    assert!(footer.contains("w:instr=\" PAGE ") && footer.contains("w:instr=\" NUMPAGES "), "{footer}");
    assert!(part(&sow, "word/header1.xml").contains("SOW-NWL-2026-004 · Revision Draft"));
    assert!(part(&sow, "word/document.xml").contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"), "US letter");
    assert!(part(&sow, "word/styles.xml").contains("w:color w:val=\"8B0000\""), "accent colour");
    let check = a.run(&["build", "--check", "--no-pdf"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    std::fs::remove_file(&sow).unwrap();
    let check = a.run(&["build", "--check", "--no-pdf"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("missing: out/SOW-NWL-2026-004.docx"), "{}", check.stdout);
}

/// A reference document whose only style is a Heading 1 set in a font no built-in style uses.
fn reference_docx() -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("word/styles.xml", options).unwrap();
    writer
        .write_all(
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
                "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
                "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>",
                "<w:rPr><w:rFonts w:ascii=\"House Serif\" w:hAnsi=\"House Serif\"/></w:rPr></w:style></w:styles>"
            )
            .as_bytes(),
        )
        .unwrap();
    writer.finish().unwrap().into_inner()
}

// A workspace `templates/reference.docx` supplies the styles; a file that is not a Word
// document stops the build with what to do.
#[test]
fn reference_docx_supplies_the_styles() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build", "--format", "docx"]).code, 0);
    let sow = engage.path().join("out/SOW-NWL-2026-004.docx");
    assert!(!part(&sow, "word/styles.xml").contains("House Serif"));
    std::fs::create_dir_all(engage.path().join("templates")).unwrap();
    std::fs::write(engage.path().join("templates/reference.docx"), reference_docx()).unwrap();
    let run = engage.run(&["build", "--format", "docx"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("updated"), "{}", run.stdout);
    assert!(part(&sow, "word/styles.xml").contains("House Serif"));
    assert!(!engage.path().join("out/SOW-NWL-2026-004.pdf").exists(), "--format docx writes no PDF");

    engage.write("templates/reference.docx", "not a zip");
    let run = engage.run(&["build", "--format", "docx"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("templates/reference.docx is not a Word document"), "{}", run.stderr);
}

/// Every tracked change (`w:ins`, `w:del`) of a document part, with its author and date.
fn changes(xml: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    doc.descendants()
        .filter(|n| n.has_tag_name((w, "ins")) || n.has_tag_name((w, "del")))
        .map(|n| {
            let attribute = |name: &str| n.attribute((w, name)).map(str::to_owned);
            (n.tag_name().name().to_string(), attribute("author"), attribute("date"))
        })
        .collect()
}

// The Word redline of revision 1 → 2 carries genuine tracked changes by revision 2's author on
// its date: accepting them all gives revision 2's issued Word document's text, rejecting them all
// revision 1's; a changed table cell carries its own changes, and a revision history row added
// since is an inserted row. The redline opens in LibreOffice.
#[test]
fn docx_redline_accepts_to_the_newer_side_and_rejects_to_the_older() {
    let engage = crate::release::released_twice();
    let run = engage.run(&["diff", crate::release::SOW, "--from", "1", "--to", "2", "--format", "docx"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (1, "wrote out/SOW-NWL-2026-004-redline-1-to-2.docx\n"),
        "{}",
        run.stderr
    );
    let redline = engage.path().join("out/SOW-NWL-2026-004-redline-1-to-2.docx");
    let xml = part(&redline, "word/document.xml");
    let issued = |revision: &str| {
        let snapshot = engage.path().join(format!("records/snapshots/SOW-NWL-2026-004/{revision}/document.docx"));
        text(&part(&snapshot, "word/document.xml"), View::Plain)
    };
    let (older, newer) = (issued("1"), issued("2"));
    assert_ne!(older, newer);
    assert_eq!(text(&xml, View::AcceptAll), newer, "accept all");
    assert_eq!(text(&xml, View::RejectAll), older, "reject all");

    let marks = changes(&xml);
    assert!(marks.len() >= 6, "{marks:?}");
    for (tag, author, date) in &marks {
        assert_eq!(
            (author.as_deref(), date.as_deref()),
            (Some("Priya Raman"), Some("2026-12-01T00:00:00Z")),
            "{tag}: every change has the newer revision's author and date"
        );
    }
    // D4's due date changed inside its table cell: the old date deleted, the new one inserted.
    assert!(xml.contains("<w:delText xml:space=\"preserve\">25</w:delText>") || xml.contains(">25 September"), "{xml}");
    assert!(xml.contains("<w:trPr><w:cantSplit/><w:ins "), "the new revision history row is an inserted row");
    assert!(part(&redline, "word/settings.xml").contains("<w:trackRevisions/>"));

    // Against the working copy: a list item removed, one added, words changed in another; the
    // changes are the document owner's, dated as the redline is.
    let (sow, file) = (crate::release::SOW, crate::release::SOW_FILE);
    let objective =
        "  - Recommend depot catchment changes that Northwind can evaluate before its 2027 fleet renewal.\n";
    crate::release::edit(&engage, file, objective, "  - Hand over a <w:fldSimple> & {{ field }} the client keeps.\n");
    crate::release::edit(&engage, file, "every evening for", "every night before");
    assert_eq!(engage.run(&["build", "--format", "docx"]).code, 0);
    let working = text(&part(&engage.path().join(format!("out/{sow}.docx")), "word/document.xml"), View::Plain);
    let run =
        engage.run(&["diff", sow, "--from", "2", "--format", "docx", "--out", "working.docx", "--today", "2026-12-05"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let xml = part(&engage.path().join("working.docx"), "word/document.xml");
    assert_eq!(text(&xml, View::AcceptAll), working, "accept all");
    assert_eq!(text(&xml, View::RejectAll), newer, "reject all");
    let owner = (Some("Priya Raman".to_string()), Some("2026-12-05T00:00:00Z".to_string()));
    assert!(changes(&xml).iter().all(|(_, author, date)| (author, date) == (&owner.0, &owner.1)), "{xml}");

    let pdfs = tempfile::tempdir().unwrap();
    if libreoffice_pdfs(&[redline], pdfs.path()).is_some() {
        let printed = fold(&crate::pdf::pdf_text(&pdfs.path().join("SOW-NWL-2026-004-redline-1-to-2.pdf")));
        for expected in ["SOW-NWL-2026-004 · Revision 1 → 2", "Page 1 of"] {
            assert!(printed.contains(&fold(expected)), "{expected:?} not in the printed redline: {printed}");
        }
    }
}

// The logo of engage.yaml (a PNG here) is in the package and drawn above the title, 1.5 cm high.
#[test]
fn the_logo_is_drawn_above_the_title() {
    let engage = Engage::samples();
    let png: Vec<u8> = [
        "89504E470D0A1A0A0000000D49484452000000020000000108060000",
        "00F478D4FA0000000D49444154789C63F8CFC0F01F0005000201C4",
        "29A1D60000000049454E44AE426082",
    ]
    .concat()
    .as_bytes()
    .chunks(2)
    .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
    .collect();
    std::fs::create_dir_all(engage.path().join("brand")).unwrap();
    std::fs::write(engage.path().join("brand/logo.png"), &png).unwrap();
    engage.append("engage.yaml", "logo: brand/logo.png\n");
    let run = engage.run(&["build", "--format", "docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sow = engage.path().join("out/SOW-NWL-2026-004.docx");
    let bytes = std::fs::read(&sow).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut logo = Vec::new();
    archive.by_name("word/media/logo.png").unwrap().read_to_end(&mut logo).unwrap();
    assert_eq!(logo, png);
    let document = part(&sow, "word/document.xml");
    let drawn = document.find("<wp:extent cx=\"1080000\" cy=\"540000\"/>").expect("a 2:1 logo 1.5 cm high");
    assert!(drawn < document.find("<w:pStyle w:val=\"Title\"/>").unwrap(), "above the title");
    assert!(part(&sow, "word/_rels/document.xml.rels").contains("Target=\"media/logo.png\""));
}
