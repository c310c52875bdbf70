//! Markdown → a self-contained, printable HTML page (`page.html` around pulldown-cmark's output).

use super::chart::{self, Chart};
use super::{Control, TemplateError, Templates};
use crate::workspace::Workspace;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use serde_json::json;
use tera::Context;

/// The template of the HTML page.
pub const PAGE: &str = "page.html";

/// The HTML of a Markdown text, with the same options as every other step; chart blocks become
/// inline SVG.
pub fn body(markdown: &str) -> String {
    body_of(&super::events(markdown))
}

/// The HTML of a Markdown text's events (see [`super::events`]).
pub fn body_of(events: &[Event]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, with_charts(events.iter().cloned()).into_iter());
    html
}

/// The events with each valid chart block replaced by its SVG (see [`chart`]).
fn with_charts<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut block: Option<Vec<Event<'a>>> = None;
    for event in events {
        match (&mut block, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))))
                if info.split_whitespace().next() == Some(chart::INFO) =>
            {
                block = Some(vec![Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))]);
            }
            (Some(events), Event::End(TagEnd::CodeBlock)) => {
                let text: String = events
                    .iter()
                    .filter_map(|e| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
                    .collect();
                match Chart::parse(&text) {
                    Some(parsed) => out.push(Event::Html(chart::svg(&parsed).into())),
                    None => {
                        out.append(events);
                        out.push(Event::End(TagEnd::CodeBlock));
                    }
                }
                block = None;
            }
            (Some(events), event) => events.push(event),
            (None, event) => out.push(event),
        }
    }
    out
}

pub fn page(
    workspace: &Workspace,
    templates: &Templates,
    control: &Control,
    content: String,
    language: &str,
) -> Result<String, TemplateError> {
    let paper = if workspace.settings.paper == "letter" { "letter" } else { "A4" };
    let value = json!({
        "control": control,
        "content": content,
        "settings": workspace.raw,
        "accent": workspace.settings.accent,
        "paper": paper,
    });
    let context = Context::from_value(value).expect("the context is a JSON object");
    templates.render_html(PAGE, &context, language)
}
