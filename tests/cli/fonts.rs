//! A workspace's own fonts: files dropped into `fonts/`, families chosen in `engage.yaml`, and the
//! warning for a character that no font has.

use crate::pdf::pdf_text;
use crate::support::{Engage, MINIMAL_ENGAGEMENT, repo};
use std::process::Command;

const CLIENT: &str = "山田商事株式会社";

/// The font names `pdffonts` lists for a PDF (without the subset prefix `ABCDEF+`).
fn pdf_fonts(engage: &Engage, id: &str) -> Vec<String> {
    let path = engage.path().join(format!("out/{id}.pdf"));
    let output = Command::new("pdffonts").arg(&path).output().expect("pdffonts (poppler-utils) is installed");
    assert!(output.status.success(), "pdffonts cannot read {}", path.display());
    let listing = String::from_utf8_lossy(&output.stdout).into_owned();
    let rows = listing.lines().skip(2).filter_map(|line| line.split_whitespace().next());
    rows.map(|name| name.split_once('+').map_or(name, |(_, rest)| rest).to_owned()).collect()
}

/// A workspace whose client has a Japanese name.
fn japanese_client() -> Engage {
    let engage = Engage::minimal();
    engage.write("engagements/test/engagement.yaml", &MINIMAL_ENGAGEMENT.replace("Test Client Ltd", CLIENT));
    engage
}

fn add_test_font(engage: &Engage) {
    let font = std::fs::read(repo().join("tests/fixtures/fonts/EngageTestGothic.ttf")).unwrap();
    std::fs::create_dir_all(engage.path().join("fonts")).unwrap();
    std::fs::write(engage.path().join("fonts/EngageTestGothic.ttf"), font).unwrap();
}

// Without a font for Japanese, the build warns naming the document, the field (at its line and
// column) and the characters; with the font dropped into fonts/, the warning is gone, the font is
// in the PDF and the client's name is in its text.
#[test]
fn a_font_dropped_into_fonts_prints_a_japanese_client_name() {
    let engage = japanese_client();
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let expected = "\
warning: ENG-TST-2026: no font has the characters '山' (U+5C71), '田' (U+7530), '商' (U+5546), '事' (U+4E8B), '株' (U+682A), 3 more of field client.name; the PDF shows an empty box in its place
  --> engagements/test/engagement.yaml:7:9
  = help: put a font that covers it in the workspace's fonts/ folder (a .ttf or .otf file)
";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    assert!(!pdf_fonts(&engage, "ENG-TST-2026").contains(&"EngageTestGothic-Regular".to_owned()));

    add_test_font(&engage);
    engage.write("fonts/LICENSE.txt", "The font's licence: not a font, left alone.");
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("wrote out/ENG-TST-2026.pdf"), "a new font rebuilds the PDF: {}", run.stdout);
    assert!(!run.stdout.contains("warning"), "{}", run.stdout);
    let fonts = pdf_fonts(&engage, "ENG-TST-2026");
    assert!(fonts.contains(&"EngageTestGothic-Regular".to_owned()), "{fonts:?}");
    let text = pdf_text(&engage.path().join("out/ENG-TST-2026.pdf"));
    assert!(text.contains(&format!("Prepared for {CLIENT}")), "{text}");
}

// A character that even the workspace's fonts lack is still named, in its own field; the
// characters the fonts have are not.
#[test]
fn a_character_no_font_has_is_a_warning_naming_its_field() {
    let engage = japanese_client();
    add_test_font(&engage);
    let text = MINIMAL_ENGAGEMENT.replace("Test Client Ltd", CLIENT).replace("Test engagement", "Test engagement 한");
    engage.write("engagements/test/engagement.yaml", &text);
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let expected = "\
warning: ENG-TST-2026: no font has the character '한' (U+D55C) of field title; the PDF shows an empty box in its place
  --> engagements/test/engagement.yaml:3:8
";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    assert_eq!(run.stdout.matches("warning:").count(), 1, "{}", run.stdout);
}

// `fonts: {body:, headings:}` chooses the families of the text and the headings; a family that no
// font provides stops the build with the setting named and the families engage has.
#[test]
fn engage_yaml_chooses_the_body_and_heading_fonts() {
    let engage = Engage::minimal();
    engage.append("engage.yaml", "fonts:\n  body: DejaVu Sans Mono\n  headings: New Computer Modern\n");
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let fonts = pdf_fonts(&engage, "ENG-TST-2026");
    assert!(fonts.iter().any(|f| f.starts_with("DejaVuSansMono")), "{fonts:?}");
    assert!(fonts.iter().any(|f| f.starts_with("NewCM10-Bold")), "{fonts:?}");
    assert!(!fonts.iter().any(|f| f.starts_with("LibertinusSerif-Regular")), "{fonts:?}");

    engage.write("engage.yaml", "organisation:\n  name: Test Consulting\nfonts:\n  body: Engage Test Gothic\n");
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(
            "error: engage.yaml: fonts.body: no font of the family `Engage Test Gothic` is embedded in engage or in fonts/"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("engage has: DejaVu Sans Mono, Libertinus Serif, New Computer Modern"),
        "{}",
        run.stdout
    );

    // Once its file is in fonts/, the family is known.
    add_test_font(&engage);
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
}

// A file in fonts/ that is not a font stops a PDF build naming it; a build without PDFs does not
// read the fonts at all.
#[test]
fn a_broken_font_file_is_named_and_only_pdf_builds_read_fonts() {
    let engage = Engage::minimal();
    engage.write("fonts/Brand.otf", "this is not a font");
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("error: fonts/Brand.otf is not a TrueType or OpenType font"), "{}", run.stdout);
    assert!(run.stdout.contains("replace fonts/Brand.otf with a .ttf, .otf, .ttc or .otc file"), "{}", run.stdout);

    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("wrote out/ENG-TST-2026.md"), "{}", run.stdout);
}
