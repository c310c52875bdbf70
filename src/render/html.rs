//! Markdown → a self-contained, printable HTML page (`page.html` around pulldown-cmark's output).

use super::{Control, TemplateError, Templates, markdown_options};
use crate::workspace::Workspace;
use serde_json::json;
use tera::Context;

/// The template of the HTML page.
pub const PAGE: &str = "page.html";

/// The HTML of a Markdown text, with the same options as every other step.
pub fn body(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(markdown, markdown_options()));
    html
}

pub fn page(
    workspace: &Workspace,
    templates: &Templates,
    control: &Control,
    markdown: &str,
) -> Result<String, TemplateError> {
    let paper = if workspace.settings.paper == "letter" { "letter" } else { "A4" };
    let value = json!({
        "control": control,
        "content": body(markdown),
        "settings": workspace.raw,
        "accent": workspace.settings.accent,
        "paper": paper,
    });
    let context = Context::from_value(value).expect("the context is a JSON object");
    templates.render_html(PAGE, &context)
}
