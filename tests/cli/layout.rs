//! Pages that hold any text: long e-mail addresses, URLs, words and references in every field of
//! every document (so in every column of every table, the title block, the running header and the
//! footer), laid out without overprinting or leaving the page, and shown as typed.
//!
//! The PDF is measured through its glyph boxes as `pdftotext -bbox` reads them (one box per word,
//! from the glyphs' advances and the font's ascent and descent), and its text layer through
//! `pdftotext -raw` (the order the text is drawn in, so a cell's lines follow each other). The HTML
//! is measured in headless Chromium, at the width of A4 and of a phone.

use crate::escaping::poisoned_samples;
use crate::redline::dom;
use crate::support::{Engage, repo};
use pulldown_cmark::{Event, Parser};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const EMAIL: &str = "procurements.contracts.commercial.approvals@northwind-logistics-holdings.example";
const URL: &str =
    "https://procurement.northwind-logistics.example/contracts/2026/purchase-orders/PO-ACME-000012345.pdf";
const WORD: &str = "Donaudampfschifffahrtselektrizitaetenhauptbetriebs";
const REFERENCE: &str = "PO-2026-NWL-ACME-CONSULTING-00001234567-REV-A1";
const TOKENS: [&str; 4] = [EMAIL, URL, WORD, REFERENCE];

/// The built-in theme's page margin left and right (2.2 cm), in points.
const MARGIN: f64 = 2.2 / 2.54 * 72.0;
/// Rounding in pdftotext's coordinates, in points.
const TOLERANCE: f64 = 0.05;

/// The samples with all four tokens in every free-text field and in the organisation's name, and the
/// long e-mail address in every e-mail field. With `gaps`, every other free-text field is empty instead and milestones carry no
/// payment, so that tables have empty columns.
fn tokens_everywhere(gaps: bool) -> Engage {
    let mut field = 0;
    let (engage, mut docs) = poisoned_samples(|_, old| {
        field += 1;
        if old.contains('@') && !old.contains(' ') {
            EMAIL.to_string()
        } else if gaps && field % 2 == 0 {
            String::new()
        } else {
            TOKENS.join(" ")
        }
    });
    // The organisation is in the title block and every footer.
    let settings = engage.read("engage.yaml");
    engage.write(
        "engage.yaml",
        &settings.replace("name: Harbour & Finch Consulting Ltd", &format!("name: {}", TOKENS.join(" "))),
    );
    if gaps {
        for doc in &mut docs {
            for milestone in doc.value.get_mut("milestones").and_then(Value::as_array_mut).into_iter().flatten() {
                milestone.as_object_mut().unwrap().remove("payment");
            }
            engage.write(&doc.file, &serde_json::to_string_pretty(&doc.value).unwrap());
        }
    }
    engage
}

/// The IDs of the documents a build wrote (the registers included), from its Markdown outputs.
fn built(engage: &Engage) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(engage.path().join("out"))
        .unwrap()
        .filter_map(|entry| entry.unwrap().file_name().to_str()?.strip_suffix(".md").map(str::to_owned))
        .collect();
    ids.sort();
    assert!(ids.len() >= 16, "{ids:?}");
    ids
}

#[test]
fn long_tokens_never_overprint_or_leave_the_page() {
    for gaps in [false, true] {
        let engage = tokens_everywhere(gaps);
        let run = engage.run(&["build"]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let theme: BTreeSet<char> =
            std::fs::read_to_string(repo().join("templates/document.typ")).unwrap().chars().collect();
        let mut measured = 0;
        for id in built(&engage) {
            let pdf = engage.path().join(format!("out/{id}.pdf"));
            for page in glyph_boxes(&pdf) {
                assert_within_margins(&id, &page);
                assert_no_overlap(&id, &page);
                measured += page.words.len();
            }
            let markdown = shown_text(&engage.read(&format!("out/{id}.md")));
            let text = drawn_text(&pdf);
            let joined = text.replace('\n', "");
            // Each token is whole, once its lines are joined (a cell broken across pages has the
            // repeated header row in between, so not every occurrence is in one piece), and never
            // hyphenated.
            for token in TOKENS {
                assert!(joined.contains(token), "{id}: {token} is not in the PDF's text:\n{text}");
                let hyphenated =
                    token.char_indices().skip(1).find(|(i, _)| text.contains(&format!("{}\u{ad}", &token[..*i])));
                assert_eq!(hyphenated, None, "{id}: {token} is hyphenated");
            }
            assert!(markdown.contains(WORD), "{id}: the data did not reach the document");
            let held: BTreeSet<char> =
                markdown.chars().chain(theme.iter().copied()).flat_map(char::to_uppercase).collect();
            let smart_quotes = ['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}'];
            // typst hyphenates ordinary words of justified paragraphs; the hyphen at the end of
            // such a line is a soft hyphen in the text layer, which copying drops.
            let added: BTreeSet<char> = text
                .replace("\u{ad}\n", "")
                .chars()
                .filter(|c| !c.is_whitespace() && !smart_quotes.contains(c))
                .filter(|c| !held.contains(&c.to_uppercase().next().unwrap()))
                .collect();
            assert!(added.is_empty(), "{id}: the PDF's text holds {added:?}, which the data did not");
        }
        assert!(measured > 5_000, "only {measured} words measured");
    }
}

/// The text of a document's Markdown as it shows (no syntax, no escapes).
fn shown_text(markdown: &str) -> String {
    Parser::new_ext(markdown, engage::render::markdown_options())
        .map(|event| match event {
            Event::Text(t) | Event::Code(t) => t.to_string(),
            _ => " ".to_string(),
        })
        .collect()
}

/// The text of the PDF's body (between the running header and the footer) in the order it is
/// drawn, so that a cell's lines follow each other and text that runs on to the next page follows
/// on directly, but for the DRAFT watermark, drawn first on each page.
fn drawn_text(pdf: &Path) -> String {
    let cm = 72.0 / 2.54;
    let (top, height) = (2.5 * cm, 29.7 * cm - 2.5 * cm - 2.3 * cm);
    let output = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", "-x", "0", "-W", "600"])
        .args(["-y", &format!("{top:.0}"), "-H", &format!("{height:.0}")])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    let text = String::from_utf8(output.stdout).unwrap();
    text.split('\u{c}').map(|page| page.strip_prefix("D\nR\nA\nF\nT\n").unwrap_or(page)).collect()
}

#[derive(Debug)]
struct Word {
    text: String,
    x: (f64, f64),
    y: (f64, f64),
}

struct Page {
    number: usize,
    width: f64,
    words: Vec<Word>,
}

/// The pages of a PDF with the box of each word, as `pdftotext -bbox` gives them. The DRAFT
/// watermark (110 pt letters, drawn behind the text on purpose) is left out.
fn glyph_boxes(pdf: &Path) -> Vec<Page> {
    let output = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    let xml = String::from_utf8(output.stdout).unwrap();
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..][..tag[start..].find('"').unwrap()].parse().unwrap()
    };
    let mut pages = Vec::new();
    for (number, page) in xml.split("<page ").skip(1).enumerate() {
        let width = attribute(page, "width");
        let words = page
            .split("<word ")
            .skip(1)
            .map(|word| {
                let (tag, rest) = word.split_once('>').unwrap();
                let text = rest[..rest.find("</word>").unwrap()].to_string();
                Word {
                    text,
                    x: (attribute(tag, "xMin"), attribute(tag, "xMax")),
                    y: (attribute(tag, "yMin"), attribute(tag, "yMax")),
                }
            })
            .filter(|word| word.y.1 - word.y.0 < 50.0)
            .collect();
        pages.push(Page { number: number + 1, width, words });
    }
    pages
}

fn assert_within_margins(id: &str, page: &Page) {
    for word in &page.words {
        assert!(
            word.x.0 >= MARGIN - TOLERANCE && word.x.1 <= page.width - MARGIN + TOLERANCE,
            "{id}, page {}: {word:?} crosses a margin ({MARGIN:.2} pt from each edge of {:.2} pt)",
            page.number,
            page.width
        );
    }
}

/// No two words overlap. Boxes are taken from a quarter below their top to a quarter above their
/// bottom: the font's ascent and descent reach into the lines above and below, where nothing
/// prints over them, while text printed over other text shares its line.
fn assert_no_overlap(id: &str, page: &Page) {
    let core = |w: &Word| {
        let quarter = (w.y.1 - w.y.0) / 4.0;
        (w.y.0 + quarter, w.y.1 - quarter)
    };
    let apart = |a: (f64, f64), b: (f64, f64)| a.1 <= b.0 + TOLERANCE || b.1 <= a.0 + TOLERANCE;
    for (i, a) in page.words.iter().enumerate() {
        for b in &page.words[i + 1..] {
            assert!(
                apart(a.x, b.x) || apart(core(a), core(b)),
                "{id}, page {}: {:?} and {:?} overlap:\n{a:?}\n{b:?}",
                page.number,
                a.text,
                b.text
            );
        }
    }
}

/// What the test page adds to a document: a script that measures, once laid out, every table cell
/// and every text inside one, and the page itself, and writes what overflows into the DOM.
const MEASURE: &str = r#"<script>
(() => {
  const found = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) found.push(`page ${page.scrollWidth} > ${page.clientWidth}`);
  for (const table of document.querySelectorAll('table')) {
    const main = table.closest('main').getBoundingClientRect();
    const box = table.getBoundingClientRect();
    if (box.left < main.left - 0.5 || box.right > main.right + 0.5) found.push(`table ${box.left}–${box.right} outside ${main.left}–${main.right}`);
  }
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.scrollWidth > cell.clientWidth) found.push(`${cell.tagName} ${cell.scrollWidth} > ${cell.clientWidth}: ${cell.textContent.slice(0, 80)}`);
    const box = cell.getBoundingClientRect();
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(texts.currentNode);
      for (const line of range.getClientRects()) {
        if (line.left < box.left - 0.5 || line.right > box.right + 0.5) found.push(`text outside its ${cell.tagName}: ${texts.currentNode.textContent.slice(0, 80)}`);
      }
    }
  }
  document.body.setAttribute('data-overflow', found.length ? found.join(' | ') : 'none');
  document.body.setAttribute('data-cells', String(document.querySelectorAll('td, th').length));
})();
</script>
</body>"#;

#[test]
fn long_tokens_stay_inside_their_html_cells_at_a4_and_phone_width() {
    for gaps in [false, true] {
        let engage = tokens_everywhere(gaps);
        let run = engage.run(&["build", "--no-pdf"]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        // One page holding the body of every document (each page's own stylesheet is the same),
        // so that Chromium starts once for each width.
        let pages: Vec<String> = built(&engage).iter().map(|id| engage.read(&format!("out/{id}.html"))).collect();
        let body = |html: &str| html[html.find("<body>").unwrap() + 6..html.find("</body>").unwrap()].to_string();
        let head = &pages[0][..pages[0].find("<body>").unwrap() + 6];
        let bodies: String = pages.iter().map(|page| body(page)).collect();
        let page = engage.path().join("measured.html");
        std::fs::write(&page, format!("{head}{bodies}{MEASURE}</html>")).unwrap();
        // A4 at 96 pixels to the inch, and a phone.
        for (width, height) in [(794, 1123), (360, 740)] {
            let Some(dom) = dom(&page, &[&format!("--window-size={width},{height}")]) else { return };
            let cells = dom.split("data-cells=\"").nth(1).and_then(|rest| rest.split('"').next());
            assert!(
                cells.is_some_and(|n| n.parse::<usize>().unwrap() > 500),
                "the measuring script did not run:\n{dom}"
            );
            let overflow = dom.split("data-overflow=\"").nth(1).and_then(|rest| rest.split('"').next());
            assert_eq!(overflow, Some("none"), "at {width} pixels wide");
        }
    }
}
