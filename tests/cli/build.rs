use crate::support::{Engage, repo};
use engage::source::yaml;
use pulldown_cmark::{Event, Parser};
use serde_json::Value;
use std::path::Path;

/// Every sample data file: (path relative to the workspace, parsed value).
pub fn sample_documents() -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let root = repo().join("samples/engagements");
    for engagement in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(engagement.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let value = yaml::parse(&std::fs::read_to_string(&path).unwrap()).unwrap().value;
            found.push((path.strip_prefix(repo().join("samples")).unwrap().display().to_string(), value));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The text a reader sees in Markdown: all text events, joined, with runs of spaces folded.
pub fn markdown_text(markdown: &str) -> String {
    let text: String = Parser::new_ext(markdown, engage::render::markdown_options())
        .map(|event| match event {
            Event::Text(t) | Event::Code(t) => t.to_string(),
            _ => " ".to_string(),
        })
        .collect();
    fold(&text)
}

/// The text a reader sees in HTML: tags removed, entities decoded, runs of spaces folded.
pub fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    fold(&text)
}

/// Text as compared: case, commas and runs of white space do not matter (a multi-line address
/// may be shown on one line with commas, a role in the case of its column).
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace(',', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The user-visible texts of a document's data: every string leaf, as a document shows it.
pub fn shown_values(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| shown_values(v, &format!("{pointer}/{k}"), out)),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| shown_values(v, &format!("{pointer}/{i}"), out))
        }
        Value::String(text) => {
            let shown = if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                fold(&date.format("%-d %B %Y").to_string())
            } else if pointer == "/kind" || pointer.ends_with("/content_hash") {
                return;
            } else if text.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                || is_duration(text)
                || pointer.ends_with("/currency")
            {
                return; // codes are shown as labels, durations and currencies in words and symbols
            } else {
                fold(text)
            };
            out.push((pointer.to_string(), shown));
        }
        _ => {}
    }
}

fn is_duration(text: &str) -> bool {
    text.len() > 1 && text[..text.len() - 1].chars().all(|c| c.is_ascii_digit()) && text.ends_with(['m', 'h', 'd', 'w'])
}

fn build(engage: &Engage) {
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "build succeeds\n{}{}", run.stdout, run.stderr);
}

// Every sample document is rendered, and its Markdown and HTML show every text and date of its YAML.
#[test]
fn every_value_of_every_sample_reaches_markdown_and_html() {
    let engage = Engage::samples();
    build(&engage);
    let documents = sample_documents();
    assert_eq!(documents.len(), 16);
    let mut missing = Vec::new();
    for (file, data) in &documents {
        let id = data["id"].as_str().unwrap();
        let markdown = markdown_text(&engage.read(&format!("out/{id}.md")));
        let html = html_text(&engage.read(&format!("out/{id}.html")));
        let mut values = Vec::new();
        shown_values(data, "", &mut values);
        for (pointer, shown) in values {
            if !markdown.contains(&shown) {
                missing.push(format!("{file}{pointer} not in {id}.md: {shown:?}"));
            } else if !html.contains(&shown) {
                missing.push(format!("{file}{pointer} not in {id}.html: {shown:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "{} values missing:\n{}", missing.len(), missing.join("\n"));
}

// Each document shows its control block and the engagement's client.
#[test]
fn documents_carry_document_control() {
    let engage = Engage::samples();
    build(&engage);
    let markdown = engage.read("out/SOW-NWL-2026-004.md");
    for expected in [
        "| Document ID | SOW-NWL-2026-004 |",
        "| Revision | Draft |",
        "| Status | Draft |",
        "| Classification | Confidential |",
        "## Approvals",
        "## Revision history",
        "Northwind Logistics plc",
    ] {
        assert!(markdown.contains(expected), "missing {expected:?} in\n{markdown}");
    }
    let html = engage.read("out/SOW-NWL-2026-004.html");
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && html.contains("<table>")
            && html.contains("SOW-NWL-2026-004 · Revision Draft"),
        "{html}"
    );
}

// Identical input gives identical output, and a rebuild rewrites nothing.
#[test]
fn rebuild_is_identical_and_writes_nothing() {
    let engage = Engage::samples();
    build(&engage);
    let out = engage.path().join("out");
    let before: Vec<_> = files(&out)
        .into_iter()
        .map(|p| (std::fs::read(&p).unwrap(), std::fs::metadata(&p).unwrap().modified().unwrap()))
        .collect();
    assert_eq!(before.len(), 80, "Markdown, HTML, PDF and Word of 16 documents and 4 registers");
    let run = engage.run(&["build"]);
    assert!(run.stdout.contains("0 created, 0 updated, 80 unchanged"), "{}", run.stdout);
    assert!(!run.stdout.contains("wrote"), "{}", run.stdout);
    let after: Vec<_> = files(&out)
        .into_iter()
        .map(|p| (std::fs::read(&p).unwrap(), std::fs::metadata(&p).unwrap().modified().unwrap()))
        .collect();
    assert_eq!(before, after);
}

/// The documents in an output folder (not the build manifest).
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

// `build --check` changes nothing and fails on stale or missing outputs, naming them.
#[test]
fn build_check_finds_stale_and_missing_outputs() {
    let engage = Engage::samples();
    let run = engage.run(&["build", "--check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("missing: out/ENG-NWL-2026.md") && !engage.path().join("out").exists(),
        "{}",
        run.stdout
    );

    build(&engage);
    let run = engage.run(&["build", "--check"]);
    assert_eq!((run.code, run.stdout.contains("up to date")), (0, true), "{}", run.stdout);

    let proposal = "engagements/ostara-energie/proposal.yaml";
    engage.write(proposal, &engage.read(proposal).replace("heat demand forecasting", "heat-demand forecasting"));
    std::fs::remove_file(engage.path().join("out/ENG-KWF-2025.html")).unwrap();
    let run = engage.run(&["build", "--check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.lines().filter(|l| l.starts_with("stale") || l.starts_with("missing")).collect::<Vec<_>>(),
        // The governance plan lists the engagement's documents by title, so it is stale too.
        [
            "missing: out/ENG-KWF-2025.html",
            "stale: out/ENG-OST-2026.md",
            "stale: out/ENG-OST-2026.html",
            "stale: out/ENG-OST-2026.docx",
            "stale: out/ENG-OST-2026.pdf",
            "stale: out/PRO-OST-2026-001.md",
            "stale: out/PRO-OST-2026-001.html",
            "stale: out/PRO-OST-2026-001.docx",
            "stale: out/PRO-OST-2026-001.pdf"
        ]
    );
}

// Invalid data stops the build before anything is written.
#[test]
fn invalid_data_builds_nothing() {
    let engage = Engage::samples();
    let file = "engagements/northwind-logistics/sow.yaml";
    engage.write(file, &engage.read(file).replacen("owner:", "ownr:", 1));
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("unknown field `ownr`") && run.stdout.contains("nothing was built"), "{}", run.stdout);
    assert!(!engage.path().join("out").exists());
}

// Invalid data found after a good build leaves that build's outputs as they were: nothing
// rewritten, nothing half-written, no temporary file left.
#[test]
fn invalid_data_keeps_the_last_build() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    let before = snapshot(&engage.path().join("out"));
    let file = "engagements/ostara-energie/proposal.yaml";
    engage.write(file, &engage.read(file).replace("heat demand forecasting", "heat-demand forecasting"));
    let broken = "engagements/northwind-logistics/sow.yaml";
    engage.write(broken, &engage.read(broken).replacen("owner:", "ownr:", 1));
    let run = engage.run(&["build", "--no-pdf", "--jobs", "1"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("--> engagements/northwind-logistics/sow.yaml:"), "{}", run.stdout);
    assert!(run.stdout.contains("nothing was built"), "{}", run.stdout);
    assert_eq!(snapshot(&engage.path().join("out")), before);
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        found.push((path.clone(), std::fs::read(&path).unwrap(), modified));
    }
    found.sort();
    found
}

// What only the whole workspace shows (an ID given twice, a document of no engagement) stops the
// build, each problem located in its file.
#[test]
fn structural_problems_stop_the_build() {
    let engage = Engage::samples();
    engage.write(
        "engagements/ostara-energie/second-proposal.yaml",
        &engage.read("engagements/ostara-energie/proposal.yaml"),
    );
    let change = engage.read("engagements/northwind-logistics/cr-001.yaml");
    engage.write("loose/cr.yaml", &change.replace("id: CR-NWL-2026-001", "id: CR-NWL-2026-901"));
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("error[ID-001]")
            && run.stdout.contains("--> engagements/ostara-energie/second-proposal.yaml:3:5"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("error[REF-001]") && run.stdout.contains("--> loose/cr.yaml:3:5"), "{}", run.stdout);
    assert!(!engage.path().join("out").exists());
}

// A document filed outside its engagement's folder belongs to the engagement it names: it is
// built with that engagement's data, and the engagement's governance plan lists it.
#[test]
fn a_document_filed_elsewhere_belongs_to_the_engagement_it_names() {
    let engage = Engage::samples();
    let original = "engagements/northwind-logistics/cr-002.yaml";
    let text = engage.read(original);
    std::fs::remove_file(engage.path().join(original)).unwrap();
    engage.write(
        "engagements/kittiwake-foods/northwind-cr.yaml",
        &text.replacen("\ndate:", "\nengagement: ENG-NWL-2026\ndate:", 1),
    );
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    let change = engage.read("out/CR-NWL-2026-002.md");
    assert!(change.contains("Northwind Logistics plc") && !change.contains("Kittiwake"), "{change}");
    assert!(engage.read("out/ENG-NWL-2026.md").contains("CR-NWL-2026-002"));
    assert!(!engage.read("out/ENG-KWF-2025.md").contains("CR-NWL-2026-002"));
}

// A workspace template replaces the built-in one of the same name, and `{% extends %}` reaches
// built-ins (base.md) which include an overridden partial.
#[test]
fn workspace_templates_override_and_extend_built_ins() {
    let engage = Engage::samples();
    engage.write("templates/proposal.md", "{% extends \"base.md\" %}\n{% block body %}## Our offer\n\nCustom proposal for {{ engagement.client.name }}.\n{% endblock body %}\n");
    engage.write("templates/partials/history.md", "## Revision history\n\nKept by the document controller.\n");
    build(&engage);
    let markdown = engage.read("out/PRO-OST-2026-001.md");
    assert!(markdown.contains("## Our offer\n\nCustom proposal for Ostara Energie B.V."), "{markdown}");
    assert!(markdown.contains("| Document ID | PRO-OST-2026-001 |"), "base.md still frames the document:\n{markdown}");
    assert!(markdown.contains("Kept by the document controller."), "{markdown}");
    let sow = engage.read("out/SOW-NWL-2026-004.md");
    assert!(sow.contains("Kept by the document controller.") && !sow.contains("Custom proposal"), "{sow}");
}

// A broken workspace template is reported in its file, with line and column, and exits 1.
#[test]
fn broken_template_is_located() {
    let engage = Engage::samples();
    engage.write(
        "templates/proposal.md",
        "{% extends \"base.md\" %}\n{% block body %}\n{{ doc.title | nosuchfilter }}\n{% endblock body %}\n",
    );
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("error[TPL-001]") && run.stdout.contains("templates/proposal.md:"), "{}", run.stdout);

    engage.write(
        "templates/proposal.md",
        "{% extends \"base.md\" %}\n{% block body %}\nText {{ doc.no_such_field }}\n{% endblock body %}\n",
    );
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("--> templates/proposal.md:3:9"), "{}", run.stdout);
}

// Shards build disjoint shares of the documents whose union is the full build, byte for byte.
#[test]
fn shards_together_equal_a_full_build() {
    let (full, sharded) = (Engage::samples(), Engage::samples());
    assert_eq!(full.run(&["build", "--no-pdf"]).code, 0);
    let mut built = 0;
    for k in 1..=3 {
        let run = sharded.run(&["build", "--no-pdf", "--shard", &format!("{k}/3")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        built += run.stdout.lines().filter(|l| l.starts_with("  wrote ")).count();
    }
    assert_eq!(built, 60, "each output written by exactly one shard");
    let contents = |e: &Engage| {
        files(&e.path().join("out"))
            .into_iter()
            .map(|p| (p.file_name().unwrap().to_owned(), std::fs::read(&p).unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(contents(&full), contents(&sharded));
    assert_eq!(sharded.run(&["build", "--shard", "4/3"]).code, 2);
}

// A rebuild renders only the documents whose inputs changed: here the proposal, and the governance
// plan that lists its title; a changed template rebuilds every document of its kind.
#[test]
fn rebuilds_render_only_what_changed() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    let run = engage.run(&["build", "--no-pdf"]);
    assert!(run.stdout.contains("(20 skipped: inputs unchanged)"), "{}", run.stdout);

    let proposal = "engagements/ostara-energie/proposal.yaml";
    engage.write(proposal, &engage.read(proposal).replace("heat demand forecasting", "heat-demand forecasting"));
    let run = engage.run(&["build", "--no-pdf"]);
    let wrote: Vec<&str> = run.stdout.lines().filter_map(|l| l.strip_prefix("  wrote ")).collect();
    assert_eq!(
        wrote,
        [
            "out/ENG-OST-2026.md",
            "out/ENG-OST-2026.html",
            "out/ENG-OST-2026.docx",
            "out/PRO-OST-2026-001.md",
            "out/PRO-OST-2026-001.html",
            "out/PRO-OST-2026-001.docx"
        ]
    );
    assert!(run.stdout.contains("(18 skipped: inputs unchanged)"), "{}", run.stdout);

    engage.write(
        "templates/change-request.md",
        "{% extends \"base.md\" %}{% block body %}## Change\n\n{{ doc.description }}\n{% endblock body %}\n",
    );
    let run = engage.run(&["build", "--no-pdf"]);
    assert!(
        run.stdout.contains("(0 skipped: inputs unchanged)"),
        "any template is an input of every document: {}",
        run.stdout
    );
    let wrote = run.stdout.lines().filter(|l| l.starts_with("  wrote ")).count();
    assert_eq!(wrote, 6, "only the two change requests' outputs differ: {}", run.stdout);
}

/// How many documents a build skipped, from its summary line.
fn skipped(engage: &Engage) -> (usize, Vec<String>) {
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let count = run
        .stdout
        .split_once(" skipped: inputs unchanged")
        .and_then(|(before, _)| before.rsplit('(').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no summary line: {}", run.stdout));
    let wrote = run.stdout.lines().filter_map(|l| l.strip_prefix("  wrote ")).map(str::to_owned).collect();
    (count, wrote)
}

// A build with nothing to do stops before loading anything, yet every input still counts: the
// settings, a deleted output, the revision register; a README beside the templates is no input.
#[test]
fn nothing_to_do_is_recognised_and_every_input_counts() {
    let engage = Engage::samples();
    assert_eq!(skipped(&engage).0, 0);
    let documents = std::fs::read_dir(engage.path().join("out"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(skipped(&engage), (documents, vec![]));

    engage.write("templates/README.md", "Our templates.\n");
    assert_eq!(skipped(&engage), (documents, vec![]));

    std::fs::remove_file(engage.path().join("out/PRO-OST-2026-001.md")).unwrap();
    assert_eq!(skipped(&engage), (documents - 1, vec!["out/PRO-OST-2026-001.md".to_string()]));

    let settings = engage.read("engage.yaml");
    engage.write("engage.yaml", &settings.replacen("name: ", "name: The ", 1));
    assert_eq!(skipped(&engage).0, 0, "the organisation's name is on every document");

    let sow = "SOW-NWL-2026-004";
    assert_eq!(crate::release::release(&engage, sow, "First issue").code, 0);
    // The SOW's history changed: it is rendered again, to the bytes release wrote.
    assert_eq!(skipped(&engage), (documents - 1, vec![]));
    assert_eq!(skipped(&engage), (documents, vec![]));
    let register = engage.read("records/register.log");
    engage.write("records/register.log", &register.replace("reason: First issue", "reason: First issue, as agreed"));
    assert_eq!(
        skipped(&engage),
        (documents - 1, vec![format!("out/{sow}.md"), format!("out/{sow}.html"), format!("out/{sow}.docx")])
    );
}
