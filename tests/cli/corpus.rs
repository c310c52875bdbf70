//! A corpus of over 500 hostile strings, built from families of attacks and edge cases, through
//! every document kind to Markdown, HTML and PDF; and through `check`'s human and `github` output.
//!
//! The Word documents hold every string verbatim in their text (each paragraph's `w:t`), and
//! nothing the data brought becomes a field, hyperlink or relationship.
//!
//! Every free-text field of every sample document carries a share of the corpus, so that each
//! document (and so each kind) carries all of it: ten documents, ten PDFs, one build.
//!
//! What is checked in each output: the Markdown keeps its structure and shows each field's text;
//! the HTML shows the same text and holds no element the data brought; the PDF's text layer holds
//! the text, for the characters the embedded fonts can show (Latin, Greek, Cyrillic: Libertinus
//! Serif, New Computer Modern, DejaVu Sans Mono). Other scripts (Arabic, Hebrew, CJK, Devanagari,
//! Thai...) and emoji are left out of the PDF comparison, as are characters that are invisible
//! by nature (controls, zero-width characters, bidi controls) and accented letters, which the
//! PDF may hold composed or decomposed.

use crate::build::{fold, html_text, markdown_text};
use crate::escaping::{poisoned_samples, structure};
use crate::support::Engage;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

/// Payloads by family; each is also used inside a sentence and after a line break (below).
fn payloads() -> Vec<String> {
    let markdown = [
        "# heading",
        "## heading",
        "###### six",
        "- item",
        "* item",
        "+ item",
        "1. item",
        "1) item",
        "> quote",
        "---",
        "***",
        "___",
        "`code`",
        "```rust\nfn main() {}\n```",
        "~~~\nfenced\n~~~",
        "[link](https://evil.example)",
        "![img](https://evil.example/x.png)",
        "<https://autolink.example>",
        "[ref]: https://evil.example",
        "**bold**",
        "__bold__",
        "*em*",
        "_em_",
        "~~strike~~",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "\\",
        "\\\\",
        "hard  \nbreak",
        "[^1]",
        "- [ ] task",
        "    indented code",
        "Title\n=====",
        "Title\n-----",
        "&nbsp;&amp;",
        "&#0;&#x41;",
        "*unclosed",
        "[unclosed",
        "](",
        ")",
        "!",
        "<",
        ">>>",
    ];
    let html = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=https://evil.example>",
        "<svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<style>body{display:none}</style>",
        "</div></body>",
        "<!-- comment",
        "-->",
        "<![CDATA[x]]>",
        "<?xml version=\"1.0\"?>",
        "&lt;b&gt;",
        "\"><script>alert(1)</script>",
        "' onmouseover='alert(1)",
        "<meta http-equiv=refresh content=0>",
        "<object data=x>",
        "<base href=https://evil.example>",
        "<form action=x><input>",
        "</textarea><script>x</script>",
        "<details open ontoggle=alert(1)>",
        "<math><mi>x</mi></math>",
        "<table><tr><td>x",
        "<br/>",
    ];
    let typst = [
        "#read(\"/etc/passwd\")",
        "#set page(width: 1pt)",
        "#show: x => []",
        "$x^2$",
        "$",
        "@ref",
        "<label>",
        "]",
        "[",
        "\\u{41}",
        "#let x = 1",
        "#import \"@preview/cetz:0.3.0\"",
        "#include \"/etc/passwd\"",
        "#image(\"/etc/passwd\")",
        "= Heading",
        "/ term: description",
        "#pagebreak()",
        "#panic(\"x\")",
        "#plugin(\"x.wasm\")",
        "#(1 + 1)",
        "#{}",
        "// comment",
        "/* block",
        "*/",
        "~",
        "--",
        "...",
        "#for i in range(9) [x]",
        "#\"a\" * 100",
        "#sys.inputs",
        "#set text(size: 0pt)",
        "#place(dx: -9cm)[x]",
        "#hide[x]",
        "```typ\n#x\n```",
        "'quote'",
        "\"double\"",
    ];
    let yaml = [
        "key: value",
        "- item",
        "&anchor",
        "*alias",
        "!!binary aGVsbG8=",
        "? complex",
        "|",
        ">",
        "%YAML 1.2",
        "{a: 1}",
        "[1, 2]",
        "<<: *base",
        "null",
        "~",
        "yes",
        "no",
        "0777",
        "1e3",
        "12:30",
        "2026-02-30",
        ".inf",
        "'",
        "\"",
        "# not a comment",
    ];
    let injection = [
        "::stop-commands::x",
        "::error::fake",
        "::warning file=x,line=1::w",
        "::set-output name=x::y",
        "::add-mask::secret",
        "::endgroup::",
        "::group::x",
        "%0A::error::x",
        "\n::error::x",
        "\r\n::notice::x",
        "{{ doc.id }}",
        "{% raw %}",
        "{# comment #}",
        "{{ 7*7 }}",
        "${HOME}",
        "$(rm -rf /)",
        "`id`",
        "'; DROP TABLE x; --",
        "../../etc/passwd",
        "%s%s%n",
        "=cmd|' /C calc'!A0",
        "+SUM(1)",
        "@SUM(1)",
        "\u{1b}[31mred\u{1b}[0m",
        "\u{1b}]0;title\u{7}",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
    ];
    let unicode = [
        "\u{202e}gnp.exe\u{202c}",
        "\u{2066}isolate\u{2069}",
        "abc\u{200f}def",
        "\u{61c}x",
        "\u{202a}ltr\u{202c}",
        "a\u{200b}b",
        "a\u{200d}b",
        "\u{feff}bom",
        "Z\u{324}\u{354}\u{367}\u{311}\u{343}a\u{308}\u{356}l\u{36e}g\u{30c}o",
        "e\u{301}",
        "a\u{34f}b",
        "a\u{2060}b",
        "soft\u{ad}hyphen",
        "nbsp\u{a0}here",
        "line\u{2028}sep",
        "para\u{2029}sep",
        "nel\u{85}x",
        "\u{fffd}",
        "\u{fffc}",
        "😀",
        "👩‍👩‍👧‍👦",
        "🏳️‍🌈",
        "👍🏽",
        "🇬🇧",
        "1️⃣",
        "مرحبا بالعالم",
        "שלום עולם",
        "abc שלום 123",
        "سلام دنیا",
        "日本語テキスト",
        "中文字符",
        "한국어",
        "नमस्ते दुनिया",
        "สวัสดี",
        "Καλημέρα κόσμε",
        "Привет, мир",
        "Ελληνικά ΑΒΓ",
        "ქართული",
        "Հայերեն",
        "Ǆǅǆ ﬁ ﬂ",
        "ß ẞ",
        "İı",
        "Å Å",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "ℌ℮ℓℓσ",
    ];
    let controls = (1u32..0x20).chain([0x7f]).chain(0x80..0xa0).filter_map(char::from_u32);
    let controls = controls.map(|c| format!("ctl{c}x"));
    let long = [
        "a".repeat(10_000),
        format!("https://example.com/{}", "path/segment-".repeat(400)),
        "0123456789abcdef".repeat(64),
        "#$@<>[]\\".repeat(300),
        "word ".repeat(2_000),
    ];
    let families = [&markdown[..], &html[..], &typst[..], &yaml[..], &injection[..], &unicode[..]];
    let mut all: Vec<String> = families.iter().flat_map(|f| f.iter().map(|s| s.to_string())).collect();
    all.extend(controls);
    let contextual: Vec<String> =
        all.iter().flat_map(|p| [format!("Before {p} after"), format!("First line\n{p}"), format!("{p}{p}")]).collect();
    all.extend(contextual);
    all.extend(long);
    all
}

/// The corpus, each string tagged so it can be found in the outputs: `«N» payload`.
fn corpus() -> Vec<String> {
    payloads().into_iter().enumerate().map(|(i, p)| format!("«{i}» {p}")).collect()
}

fn pdf_text(path: &std::path::Path) -> String {
    let output = Command::new("pdftotext").arg("-raw").arg(path).arg("-").output().expect("pdftotext is installed");
    assert!(output.status.success(), "{} does not open", path.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What can be compared in a PDF's text layer: the characters the embedded fonts show, without
/// white space or hyphens (line breaks and hyphenation add and remove them) or commas (an
/// address shows its lines joined by commas, as `fold` allows), quotes made plain (typst sets
/// smart quotes). Accented letters are left out, since they may be composed (`a` and
/// U+0308 become `ä`) or not: a letter followed by a combining mark, the marks, and the
/// precomposed Latin letters.
fn pdf_comparable(text: &str) -> String {
    let combining = |c: char| ('\u{300}'..='\u{36f}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|&next| combining(next)) {
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            '-' | '\u{2010}' | '\u{ad}' | ',' => {}
            c if c.is_whitespace() || c.is_control() => {}
            c if c.is_ascii_graphic() => out.push(c),
            '\u{a1}'..='\u{bf}' | '\u{370}'..='\u{3ff}' | '\u{400}'..='\u{4ff}' => out.push(c),
            _ => {}
        }
    }
    out
}

/// Markdown and HTML show a field's text on one line: line breaks and tabs as spaces, other
/// control characters and bidi overrides dropped (engage's Markdown escaping), runs of white
/// space folded.
fn shown(text: &str) -> String {
    let flat: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() || engage::model::text::is_bidi_override(c) => None,
            c => Some(c),
        })
        .collect();
    fold(&flat)
}

/// Which corpus strings each free-text field carries: file → pointer → indexes into the corpus.
type Shares = BTreeMap<String, BTreeMap<String, Vec<usize>>>;

/// First finds the free-text fields of each sample, then spreads the whole corpus over them.
fn share_out(corpus: &[String]) -> Shares {
    let (_, marked) = poisoned_samples(|_, old| format!("«free» {old}"));
    let mut shares = Shares::new();
    for doc in &marked {
        let fields = free_fields(&doc.value, "");
        let per_field = corpus.len().div_ceil(fields.len());
        let share = |i: usize| (i * per_field..((i + 1) * per_field).min(corpus.len())).collect::<Vec<usize>>();
        let fields = fields.into_iter().enumerate().map(|(i, f)| (f, share(i))).filter(|(_, s)| !s.is_empty());
        shares.insert(doc.file.clone(), fields.collect());
    }
    shares
}

fn field_text(corpus: &[String], share: &[usize]) -> String {
    share.iter().map(|n| corpus[*n].as_str()).collect::<Vec<_>>().join(" / ")
}

#[test]
fn five_hundred_hostile_strings_through_every_kind_to_markdown_html_pdf_and_docx() {
    let corpus = corpus();
    assert!(corpus.len() >= 500, "{} strings", corpus.len());
    let shares = share_out(&corpus);
    let engage = Engage::samples();
    let documents = crate::build::sample_documents();
    for (file, original) in &documents {
        let mut value = original.clone();
        for (pointer, share) in &shares[file] {
            *value.pointer_mut(pointer).unwrap() = Value::String(field_text(&corpus, share));
        }
        engage.write(file, &serde_json::to_string_pretty(&value).unwrap());
    }
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let clean = Engage::samples();
    assert_eq!(clean.run(&["build", "--no-pdf"]).code, 0);
    let mut kinds = BTreeMap::<String, usize>::new();
    for (file, original) in &documents {
        let id = original["id"].as_str().unwrap();
        let markdown = engage.read(&format!("out/{id}.md"));
        assert_eq!(structure(&markdown), structure(&clean.read(&format!("out/{id}.md"))), "{id}: structure changed");
        let html = engage.read(&format!("out/{id}.html"));
        assert_html_has_only_its_own_elements(id, &html, &clean.read(&format!("out/{id}.html")));
        let (markdown, html) = (shown(&markdown_text(&markdown)), shown(&html_text(&html)));
        let pdf = text_lines(&pdf_text(&engage.path().join(format!("out/{id}.pdf"))));
        let joined = pdf.concat();
        let document = crate::docx::part(&engage.path().join(format!("out/{id}.docx")), "word/document.xml");
        let docx = shown(&crate::docx::text(&document, crate::docx::View::Plain));
        let mut carried = 0;
        for share in shares[file].values() {
            let field = field_text(&corpus, share);
            assert!(markdown.contains(&shown(&field)), "{id}: not in the Markdown text: {field:?}");
            assert!(html.contains(&shown(&field)), "{id}: not in the HTML text: {field:?}");
            assert!(in_pdf(&pdf, &joined, &field), "{id}: not in the PDF text: {field:?}");
            assert!(docx.contains(&shown(&field)), "{id}: not in the Word document's text: {field:?}");
            carried += share.len();
        }
        assert_eq!(carried, corpus.len(), "{id} carries the whole corpus");
        for furniture in ["<w:hyperlink", "<w:instrText", "<w:fldChar", "<w:fldSimple", "r:id=\"rIdLogo\""] {
            assert!(!document.contains(furniture), "{id}: {furniture} in the Word document");
        }
        let relationships =
            crate::docx::part(&engage.path().join(format!("out/{id}.docx")), "word/_rels/document.xml.rels");
        assert!(!relationships.contains("External"), "{id}: {relationships}");
        *kinds.entry(original["kind"].as_str().unwrap().to_string()).or_default() += 1;
    }
    assert_eq!(kinds.len(), engage::model::Kind::ALL.len(), "every kind: {kinds:?}");
}

/// The lines of a PDF's text, made comparable, without the page furniture (running header,
/// footer, the DRAFT watermark's letters, a table's repeated header row): lines on more than half
/// of the pages, about once a page. They would interrupt text that runs on to the next page.
fn text_lines(text: &str) -> Vec<String> {
    let pages: Vec<Vec<String>> = text.split('\u{c}').map(|page| page.lines().map(pdf_comparable).collect()).collect();
    let key = |line: &str| line.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>();
    let mut seen = BTreeMap::<String, (usize, usize)>::new();
    for page in &pages {
        let mut keys: Vec<String> = page.iter().map(|l| key(l)).collect();
        keys.iter().for_each(|k| seen.entry(k.clone()).or_default().1 += 1);
        keys.sort();
        keys.dedup();
        keys.into_iter().for_each(|k| seen.entry(k).or_default().0 += 1);
    }
    let furniture = |line: &str| {
        let (on_pages, times) = seen[&key(line)];
        pages.len() > 2 && on_pages * 2 > pages.len() && times <= 2 * pages.len()
    };
    pages.iter().flatten().filter(|l| !l.is_empty() && !furniture(l)).cloned().collect()
}

/// Whether `expected` is in the PDF text `lines` (each made comparable): within one line, or
/// starting at the end of one line and running on over later lines. Other lines may come in
/// between: a paragraph that runs onto the next page has the footer, the watermark and the
/// header in between, and a table row that breaks across pages has its other cells.
///
/// Right-to-left text is in the text layer in the order it shows (visual order), and the
/// neutral characters around it (`«12» / `) move with it: for a field holding any, the check is
/// that all its characters are there.
fn in_pdf(lines: &[String], joined: &str, field: &str) -> bool {
    let expected = pdf_comparable(field);
    if field.chars().any(|c| matches!(c, '\u{590}'..='\u{8ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{fefc}')) {
        let mut available = BTreeMap::<char, usize>::new();
        joined.chars().for_each(|c| *available.entry(c).or_default() += 1);
        return expected
            .chars()
            .all(|c| available.get_mut(&c).is_some_and(|n| n.checked_sub(1).map(|m| *n = m).is_some()));
    }
    if joined.contains(&expected) {
        return true;
    }
    let mut failed = std::collections::HashSet::new();
    lines.iter().enumerate().any(|(first, line)| {
        line.char_indices()
            .map(|(i, _)| &line[i..])
            .any(|tail| expected.starts_with(tail) && runs_on(lines, first + 1, &expected, tail.len(), &mut failed))
    })
}

/// Whether `expected[at..]` follows from line `from` on: whole lines of it in order, the last one
/// possibly only begun, any other lines in between. Remembers the `(line, at)` that fail, so
/// that repeated lines (other table cells, similar strings) cost no more than one look each.
fn runs_on(
    lines: &[String],
    from: usize,
    expected: &str,
    at: usize,
    failed: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    let rest = &expected[at..];
    if rest.is_empty() {
        return true;
    }
    for (i, line) in lines.iter().enumerate().skip(from) {
        if failed.contains(&(i, at)) {
            return false;
        }
        if line.starts_with(rest)
            || (rest.starts_with(line.as_str()) && runs_on(lines, i + 1, expected, at + line.len(), failed))
        {
            return true;
        }
        failed.insert((i, at));
    }
    false
}

/// The pointers of string leaves marked as free text.
fn free_fields(value: &Value, pointer: &str) -> Vec<String> {
    match value {
        Value::Object(map) => map.iter().flat_map(|(k, v)| free_fields(v, &format!("{pointer}/{k}"))).collect(),
        Value::Array(items) => {
            items.iter().enumerate().flat_map(|(i, v)| free_fields(v, &format!("{pointer}/{i}"))).collect()
        }
        Value::String(text) if text.starts_with("«free» ") => vec![pointer.to_string()],
        _ => Vec::new(),
    }
}

/// The HTML tags of a page (elements with their attributes) are the clean page's, whatever the
/// data says: the data brought no element, no attribute, no script.
fn assert_html_has_only_its_own_elements(id: &str, html: &str, clean: &str) {
    let tags = |page: &str| -> std::collections::BTreeSet<String> {
        page.split('<').skip(1).filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag.to_string())).collect()
    };
    let clean = tags(clean);
    for tag in tags(html) {
        assert!(clean.contains(&tag), "{id}: the data brought the tag <{tag}>");
    }
}

#[test]
fn user_text_never_starts_a_line_of_check_output() {
    let corpus = corpus();
    let engage = Engage::minimal();
    // One engagement per string, as its stage: each finding quotes the string back.
    for (i, text) in corpus.iter().enumerate() {
        let stage = format!("stage: {}", serde_json::to_string(text).unwrap());
        let data = crate::support::MINIMAL_ENGAGEMENT
            .replace("id: ENG-TST-2026", &format!("id: ENG-TST-{i}"))
            .replace("stage: enquiry", &stage);
        engage.write(&format!("engagements/e{i}/engagement.yaml"), &data);
    }
    // The start of every line of user text, but the first (which follows what engage writes).
    let starts: Vec<&str> =
        corpus.iter().flat_map(|s| s.split(['\n', '\r']).skip(1)).filter(|l| !l.trim().is_empty()).collect();
    for format in ["human", "github"] {
        let run = engage.run(&["check", "--format", format]);
        assert_eq!(run.code, 1, "{format}");
        let mut annotations = 0;
        for line in run.stdout.lines() {
            let annotation = ["::error file=", "::warning file=", "::notice file="].iter().any(|p| line.starts_with(p));
            annotations += usize::from(annotation);
            assert!(format == "github" && annotation || !line.starts_with("::"), "{format}: {line:?}");
            assert!(!line.starts_with('«'), "{format}: user text starts a line: {line:?}");
            assert!(!starts.iter().any(|s| line.starts_with(s)), "{format}: user text starts a line: {line:?}");
        }
        if format == "github" {
            assert!(annotations >= corpus.len(), "{annotations} annotations for {} strings", corpus.len());
        }
    }
}
