//! Documents in the engagement's language: the catalogues' fixed text, dates, numbers and money
//! as the language writes them, in Markdown, HTML and PDF; a workspace's own catalogues.

use crate::pdf::pdf_text;
use crate::support::{Engage, repo};
use engage::source::yaml;
use pulldown_cmark::{Event, Parser};
use serde_json::Value;
use std::collections::BTreeMap;

/// The German engagement of `samples-sow/`, its proposal, statement of work and change request.
const GERMAN: [&str; 4] = ["ENG-EST-2027", "PRO-EST-2026-001", "SOW-EST-2027-001", "CR-EST-2027-001"];

fn catalogue(code: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo().join(format!("templates/lang/{code}.yaml"))).unwrap();
    let Value::Object(map) = yaml::parse(&text).unwrap().value else { panic!("{code}.yaml is not a map") };
    map.into_iter().map(|(key, text)| (key, text.as_str().unwrap().to_owned())).collect()
}

/// The text a reader sees in Markdown, case kept: text runs joined, ASCII white space folded (a
/// no-break space stays what it is).
fn visible(markdown: &str) -> String {
    let text: String = Parser::new_ext(markdown, engage::render::markdown_options())
        .map(|event| match event {
            Event::Text(t) | Event::Code(t) => t.to_string(),
            _ => " ".to_string(),
        })
        .collect();
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `phrase` stands in `text` as whole words.
fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The pieces of an English text between its `{placeholders}`, trimmed of spaces and
/// punctuation at their ends: what would show if the text were printed in English.
fn pieces(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let (piece, next) = match rest.find('{') {
            Some(open) => (&rest[..open], rest[open..].find('}').map(|close| &rest[open + close + 1..])),
            None => (rest, None),
        };
        let piece = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '`');
        let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
        if !piece.is_empty() {
            pieces.push(piece.to_owned());
        }
        match next {
            Some(next) => rest = next,
            None => return pieces,
        }
    }
}

fn built_sow_samples() -> Engage {
    let engage = Engage::samples_sow();
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    engage
}

// A German document has no English fixed text left: no piece of an English catalogue text that
// German words differently shows in its Markdown, HTML or PDF (words the two languages share, such
// as Status, and the data's own English, such as a role, are not fixed text), and no English month
// that German names otherwise.
#[test]
fn german_documents_have_no_english_fixed_text() {
    let (english, german) = (catalogue("en"), catalogue("de"));
    let engage = built_sow_samples();
    let translated: Vec<String> = english
        .iter()
        .filter(|(key, text)| !key.starts_with("format.") && german.get(*key) != Some(*text))
        .flat_map(|(_, text)| pieces(text))
        .filter(|piece| german.values().all(|g| !has_phrase(g, piece)))
        .collect();
    assert!(translated.len() > 500, "{} pieces", translated.len());
    let german_months: Vec<&str> = german["format.months"].split_whitespace().collect();
    let months = english["format.months"].split_whitespace().filter(|m| !german_months.contains(m)).map(str::to_owned);
    let data_words = [
        "Engagement Manager",
        "Account Manager",
        "Managing Director",
        "Lead Data Scientist",
        "Quality & Information Security Manager",
        "Document Control",
    ];
    for id in GERMAN {
        let markdown = visible(&engage.read(&format!("out/{id}.md")));
        let pdf = crate::pdf::pdf_text_in_drawing_order(&engage.path().join(format!("out/{id}.pdf")));
        let pdf = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        let (markdown, pdf) = data_words.iter().fold((markdown, pdf), |(m, p), w| (m.replace(w, ""), p.replace(w, "")));
        for piece in translated.iter().cloned().chain(months.clone()) {
            assert!(!has_phrase(&markdown, &piece), "{id}.md shows the English {piece:?}:\n{markdown}");
            assert!(!has_phrase(&pdf, &piece), "{id}.pdf shows the English {piece:?}:\n{pdf}");
        }
        // The German texts are there instead.
        for key in ["control.heading", "approvals.heading", "history.none"] {
            assert!(markdown.contains(&german[key]), "{id}: {key}");
        }
    }
    // The commercial terms, key personnel, terms, cited clause and signature blocks are among what
    // was checked above.
    let sections: [(&str, &[&str]); 3] = [
        (
            "SOW-EST-2027-001",
            &[
                "commercial.rate_card",
                "commercial.expenses",
                "commercial.payment_terms",
                "personnel.heading",
                "terms.heading",
                "terms.warranty",
                "terms.termination",
                "clauses.heading",
                "signatures.heading",
            ],
        ),
        ("PRO-EST-2026-001", &["pro.acceptance"]),
        ("CR-EST-2027-001", &["signatures.heading"]),
    ];
    for (id, keys) in sections {
        let markdown = engage.read(&format!("out/{id}.md"));
        for key in keys {
            let heading = format!(" {}", german[*key]);
            assert!(markdown.lines().any(|line| line.trim_start_matches('#') == heading), "{id}: {key}\n{markdown}");
        }
    }
}

// Dates, numbers and money as German writes them, in every format; the PDF's own labels too.
#[test]
fn german_dates_numbers_and_money_in_every_format() {
    let engage = built_sow_samples();
    let id = "SOW-EST-2027-001";
    let markdown = visible(&engage.read(&format!("out/{id}.md")));
    let html = crate::build::html_text(&engage.read(&format!("out/{id}.html")));
    let pdf = pdf_text(&engage.path().join(format!("out/{id}.pdf")));
    for expected in ["1.234.567,00 €", "493.826,80 €", "16. November 2026", "1. Februar 2027 bis 31. Dezember 2027"]
    {
        assert!(markdown.contains(expected), "Markdown lacks {expected:?}:\n{markdown}");
        assert!(html.contains(&crate::build::fold(expected)), "HTML lacks {expected:?}:\n{html}");
        assert!(pdf.contains(expected), "PDF lacks {expected:?}:\n{pdf}");
    }
    for expected in ["DOKUMENT-ID", "ERSTELLT FÜR", "Seite 1 von", "Entwurf", "Leistungsbeschreibung"] {
        assert!(pdf.to_uppercase().contains(&expected.to_uppercase()), "PDF lacks {expected:?}:\n{pdf}");
    }
    assert!(engage.read(&format!("out/{id}.html")).starts_with("<!DOCTYPE html>\n<html lang=\"de\">"));
    let governance = engage.read("out/ENG-EST-2027.md");
    assert!(governance.contains("| Auftragswert | 1\\.234.567,00 € |"), "{governance}");
}

// The Word document's running header and footer are in the document's language too.
#[test]
fn german_word_documents_have_german_header_and_footer() {
    let engage = built_sow_samples();
    let path = engage.path().join("out/SOW-EST-2027-001.docx");
    let header = crate::docx::part(&path, "word/header1.xml");
    let footer = crate::docx::part(&path, "word/footer1.xml");
    assert!(header.contains(">ENTWURF — nicht herausgegeben · <"), "{header}");
    assert!(header.contains(">SOW-EST-2027-001 · Revision Entwurf<"), "{header}");
    assert!(footer.contains(">Vertraulich · Harbour &amp; Finch Consulting Ltd<"), "{footer}");
    assert!(footer.contains(">Seite </w:t>") && footer.contains("> von </w:t>"), "{footer}");
}

// The management review is written in the workspace's language: its text, its control block and
// its charts' titles, labels, bands and numbers.
#[test]
fn the_management_review_in_the_workspace_language() {
    let engage = Engage::samples();
    engage.append("engage.yaml", "language: de\n");
    let run = engage.run(&["report", "--today", "2026-11-23"]);
    assert_eq!(run.code, 0, "{run:?}");
    let markdown = engage.read("out/MR-2026-11-23.md");
    for expected in
        ["# Managementbewertung\n", "| Revision | Erzeugt, nicht herausgegeben |", "## Mandate nach Phase\n"]
    {
        assert!(markdown.contains(expected), "{expected:?} not in:\n{markdown}");
    }
    // Chart values are written as German writes numbers, in the drawing as in the table.
    let html = engage.read("out/MR-2026-11-23.html");
    assert!(html.contains(">55.900</text>") && !html.contains("55,900"), "{html}");
    let pdf = pdf_text(&engage.path().join("out/MR-2026-11-23.pdf"));
    for expected in [
        "Mandate nach Phase",
        "Eskalationen nach Schweregrad und Servicelevel",
        "15 bis 30 Tage",
        "Erbringung",
        "55.900",
    ] {
        assert!(pdf.contains(expected), "{expected:?} not in the PDF:\n{pdf}");
    }
    for english in ["Engagements by stage", "15 to 30 days", "Delivery", "Management review"] {
        assert!(!pdf.contains(english), "{english:?} in the PDF:\n{pdf}");
    }
}

// French and Spanish write the same amounts and dates their own way, and have their own
// commercial terms.
#[test]
fn french_and_spanish_formats() {
    for (code, money, date, headings) in [
        (
            "fr",
            "1\u{202f}234\u{202f}567,00\u{a0}€",
            "16 novembre 2026",
            ["## Jalons et paiements", "## Conditions commerciales et juridiques", "### Grille tarifaire"],
        ),
        (
            "es",
            "1.234.567,00 €",
            "16 de noviembre de 2026",
            ["## Hitos y pagos", "## Condiciones comerciales y jurídicas", "### Tarifas por perfil"],
        ),
    ] {
        let engage = Engage::samples_sow();
        let path = "engagements/elbtal-stadtwerke/engagement.yaml";
        engage.write(path, &engage.read(path).replace("language: de", &format!("language: {code}")));
        assert_eq!(engage.run(&["build", "--format", "md"]).code, 0);
        let markdown = engage.read("out/SOW-EST-2027-001.md");
        for heading in headings {
            assert!(markdown.contains(&format!("{heading}\n")), "{code}: {heading:?} not in:\n{markdown}");
        }
        let text = visible(&markdown);
        for expected in [money, date] {
            assert!(text.contains(expected), "{code}: {expected:?} not in:\n{text}");
        }
    }
}

// A workspace catalogue replaces keys of a built-in language, and adds a language; the keys an
// added language lacks are printed in English, with a warning that says how many and which; a
// language without a catalogue is English, with a warning.
#[test]
fn workspace_catalogues_override_and_add_languages() {
    let engage = Engage::samples_sow();
    engage.write("templates/lang/de.yaml", "sow.objectives: Zielsetzung\n");
    let run = engage.run(&["build", "--format", "md"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("warning"), "{}", run.stdout);
    let markdown = engage.read("out/SOW-EST-2027-001.md");
    assert!(markdown.contains("## Zielsetzung\n") && markdown.contains("## Meilensteine und Zahlungen"), "{markdown}");

    let path = "engagements/elbtal-stadtwerke/engagement.yaml";
    engage.write(path, &engage.read(path).replace("language: de", "language: nl"));
    engage.write(
        "templates/lang/nl.yaml",
        "sow.objectives: Doelstellingen\nformat.decimal: \",\"\nformat.group: \".\"\n",
    );
    let run = engage.run(&["build", "--format", "md"]);
    assert_eq!(run.code, 0, "{run:?}");
    let english_keys = catalogue("en").len();
    let warning = format!(
        "warning: templates/lang/nl.yaml lacks {} of the texts the built-in templates print (the first: `approvals.comment`); they are printed in English",
        english_keys - 3
    );
    assert!(run.stdout.contains(&warning), "{}", run.stdout);
    let markdown = engage.read("out/SOW-EST-2027-001.md");
    assert!(markdown.contains("## Doelstellingen\n") && markdown.contains("## Milestones and payments"), "{markdown}");
    assert!(markdown.contains("| €1.234.567,00 |"), "Dutch digits with the English pattern: {markdown}");

    engage.write(path, &engage.read(path).replace("language: nl", "language: pt"));
    let run = engage.run(&["build", "--format", "md"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "warning: SOW-EST-2027-001: there is no catalogue for the language `pt`: its documents are printed in English"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("= help: use one of de, en, es, fr, nl, or add templates/lang/pt.yaml"),
        "{}",
        run.stdout
    );
    assert!(engage.read("out/SOW-EST-2027-001.md").contains("## Objectives\n"));
}

// A catalogue whose text is not a string stops the build at its line and column.
#[test]
fn a_broken_catalogue_is_located() {
    let engage = Engage::samples_sow();
    engage.write("templates/lang/de.yaml", "# German changes\nsow.objectives: Ziele\nsow.scope: [Umfang]\n");
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("the text of `sow.scope` must be a string: quote it"), "{}", run.stdout);
    assert!(run.stdout.contains("--> templates/lang/de.yaml:3:12"), "{}", run.stdout);
}
