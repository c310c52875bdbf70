//! Steps 4 and 5, render: data → Markdown (tera templates) → HTML (pulldown-cmark) and PDF
//! (typst). Markdown is the one source of content; HTML and PDF are made from it.

pub mod chart;
pub mod context;
pub mod docx;
mod escape;
mod filters;
pub mod html;
pub mod language;
pub mod pdf;
pub mod register;
mod signatures;
pub mod templates;

pub use context::Control;
pub use escape::{html as escape_html, markdown as escape_markdown};
pub use templates::{Overrides, TemplateError, Templates};

use crate::model::{Corpus, Document, Kind};
use crate::record::History;
use crate::workspace::Workspace;

/// The Markdown options every step uses, so HTML and PDF read the Markdown the same way.
pub fn markdown_options() -> pulldown_cmark::Options {
    pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
}

/// The events of a Markdown text, read with [`markdown_options`].
pub fn events(markdown: &str) -> Vec<pulldown_cmark::Event<'_>> {
    pulldown_cmark::Parser::new_ext(markdown, markdown_options()).collect()
}

/// One document rendered to Markdown and HTML.
pub struct Rendered {
    pub control: Control,
    pub markdown: String,
    pub html: String,
    /// The blocks of its Word document, read from the same events as the HTML, when asked for.
    pub word: Option<docx::blocks::Blocks>,
    /// The language it is written in, for the PDF's fixed text.
    pub language: std::sync::Arc<language::Language>,
    /// What the build should say about it: a language without a catalogue.
    pub warnings: Vec<String>,
}

/// Renders one document, its control block filled from its revision `history`. The document
/// must have passed validation.
pub fn document(
    workspace: &Workspace,
    corpus: &Corpus,
    templates: &Templates,
    doc: &Document,
    history: &History,
) -> Result<Rendered, TemplateError> {
    let (control, context) = context::build(workspace, corpus, templates, doc, history);
    with_context(workspace, templates, &template(doc.kind), control, context, false)
}

/// The template of a kind of document (`proposal.md`).
pub fn template(kind: Kind) -> String {
    format!("{}.md", kind.stem())
}

/// Renders a document with the Markdown template `template` from its context (see
/// [`context::build`] and [`register::context`]); `word` also reads it for a Word document.
pub fn with_context(
    workspace: &Workspace,
    templates: &Templates,
    template: &str,
    control: Control,
    context: serde_json::Value,
    word: bool,
) -> Result<Rendered, TemplateError> {
    let (language, warning) = templates.language(&control.language);
    let control = control.localized(&language);
    let mut context = context;
    context["control"] = serde_json::to_value(&control).expect("plain data serialises");
    let context = tera::Context::from_value(context).expect("the context is a JSON object");
    let limit = workspace.render_time_limit();
    let guard = crate::watchdog::watch(limit, &templates.shown(template), &control.id);
    let markdown = tidy(&templates.render_markdown(template, &context, &language.code)?);
    drop(guard);
    let _guard = crate::watchdog::watch(limit, &templates.shown(html::PAGE), &control.id);
    let events = events(&markdown);
    let html = html::page(workspace, templates, &control, html::body_of(&events), &language.code)?;
    let word = word.then(|| docx::blocks::of_events(&events, &control.title));
    drop(events);
    let warnings = warning.map(|w| format!("warning: {}: {w}", control.id)).into_iter().collect();
    Ok(Rendered { control, markdown, html, word, language, warnings })
}

/// Template output with the blank lines that tags leave behind folded away: at most one blank line
/// between blocks, none at the start, one line break at the end.
pub fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.trim_start_matches('\n').lines() {
        blank = if line.trim().is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy_folds_blank_lines() {
        assert_eq!(super::tidy("\n\n# T\n\n\n\ntext  \n\n\n"), "# T\n\ntext\n");
    }
}
