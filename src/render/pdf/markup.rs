//! Markdown → typst markup, one small function per kind of pulldown-cmark event.
//!
//! Safety rule: user text never becomes typst code. Text, code, link targets and
//! languages are written as typst string literals ([`string_literal`], and
//! [`escape_text`] for text). Structure (headings, lists, tables…) is written as function
//! calls with content blocks (`#heading(level: 2)[…]`, `#list([…], […])`), which does
//! not depend on line starts or indentation.

use super::columns::{self, Plan};
use crate::render::chart::{self, Chart};
use crate::render::markdown_options;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

/// Containers nested deeper than this are flattened, so hostile input cannot make
/// typst recurse without bound.
const MAX_DEPTH: usize = 32;

/// A token (a run of characters without spaces) gets a zero-width break opportunity
/// after this many characters, so long URLs, hashes and words wrap instead of running
/// off the page.
const MAX_UNBROKEN: usize = 30;

/// A line-break opportunity that adds no character to the text layer: an empty inline box
/// (an object, which Unicode line breaking may break around), unlike U+200B, which copy and
/// paste would carry along.
const BREAK: &str = "#box()";

/// What a token with break opportunities is set in: typst hyphenates justified text, and a hyphen
/// would add a character to the token (a soft hyphen in the text layer).
const UNHYPHENATED: &str = "#text(hyphenate: false)[";

/// Converts the Markdown body of a document to typst markup.
///
/// Headings are renumbered so the top level present is level 1 (numbered `1`, `1.1`…).
/// A leading level-1 heading equal to `title` is dropped: the title block shows it.
pub fn to_typst(markdown: &str, title: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
    let skip = leading_title_len(&events, title);
    let events = &events[skip..];
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut writer = Writer { heading_offset: top - 1, plans: columns::plans(events).into_iter(), ..Writer::default() };
    for event in events {
        writer.event(event);
    }
    writer.flush();
    if writer.charts { format!("{CHART_TYP}\n{}", writer.out) } else { writer.out }
}

/// The numbers of a body's headings (`1`, `1.1`, `1.1.1`), written into each heading.
///
/// engage numbers headings itself instead of through typst's heading counter: typst lays a
/// document out again until its counters settle, and counted headings cost every document a
/// third layout pass (two suffice for "Page X of Y"), a third of its layout time.
#[derive(Debug, Default)]
pub struct HeadingNumbers(Vec<usize>);

impl HeadingNumbers {
    /// The opening of the next heading at `level` (1 is the top), number included; the heading's
    /// escaped text follows, then [`HEADING_CLOSE`]. Numbers count as typst's would: a level
    /// below the last starts at 1, and levels skipped on the way count 1.
    pub fn open(&mut self, level: usize) -> String {
        let level = level.max(1);
        format!("\n#heading(level: {level})[{}#h(0.3em)", self.next(level))
    }

    /// The number of the next heading at `level` (1 is the top): `1.2`.
    pub fn next(&mut self, level: usize) -> String {
        let level = level.max(1);
        if self.0.len() >= level {
            self.0.truncate(level);
            self.0[level - 1] += 1;
        } else {
            self.0.resize(level, 1);
        }
        let number: Vec<String> = self.0.iter().map(usize::to_string).collect();
        number.join(".")
    }
}

/// What ends a heading opened by [`HeadingNumbers::open`].
pub const HEADING_CLOSE: &str = "]\n\n";

/// The drawing functions of charts, written ahead of a body that has any.
const CHART_TYP: &str = include_str!("chart.typ");

/// Number of events making up a leading `# <title>` heading (0 if there is none).
pub(crate) fn leading_title_len(events: &[Event], title: &str) -> usize {
    let Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })) = events.first() else {
        return 0;
    };
    let Some(end) = events.iter().position(|e| matches!(e, Event::End(TagEnd::Heading(_)))) else {
        return 0;
    };
    let text: String = events[1..end]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if text.trim() == title.trim() { end + 1 } else { 0 }
}

/// What an open Markdown element writes when it closes.
enum Frame {
    /// Closing text, e.g. `]` or `)\n`.
    Close(&'static str),
    /// Nothing was opened (too deep, or an element drawn as plain content).
    Flat,
    /// A list flattened for depth: its items become paragraphs.
    FlatList,
    CodeBlock {
        lang: String,
        code: String,
    },
    Image {
        alt: String,
    },
    Table(Table),
}

/// A table being written: its cells go to `out` as they come, and the
/// `#table(columns: …, align: …,` prefix is inserted at `start` when it ends.
struct Table {
    start: usize,
    align: Vec<Alignment>,
    /// Its column widths, planned from all its cells ([`columns::plans`]).
    plan: Plan,
    column: usize,
    in_cell: bool,
    in_head: bool,
}

#[derive(Default)]
struct Writer {
    out: String,
    stack: Vec<Frame>,
    heading_offset: usize,
    headings: HeadingNumbers,
    /// Whether a chart was drawn, so the body needs the chart functions.
    charts: bool,
    /// Characters since the last break opportunity, outside tables.
    run: usize,
    /// Text not yet written: pulldown-cmark splits one token into several text events at every
    /// backslash escape, and a token is measured whole.
    pending: String,
    /// The plans of the tables still to come.
    plans: std::vec::IntoIter<Plan>,
}

impl Writer {
    fn event(&mut self, event: &Event) {
        if !matches!(event, Event::Text(_)) {
            self.flush();
            self.run = 0;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => self.text(text),
            Event::Code(code) => self.inline_code(code),
            Event::Html(html) | Event::InlineHtml(html) => self.html(html),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.out.push_str("#linebreak()\n"),
            Event::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Event::TaskListMarker(done) => self.text(if *done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]")),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(math),
        }
    }

    fn start(&mut self, tag: &Tag) {
        let frame = match tag {
            Tag::Table(align) => self.table_start(align),
            Tag::CodeBlock(kind) => code_block_start(kind),
            Tag::Image { .. } => Frame::Image { alt: String::new() },
            Tag::TableHead => self.head_start(),
            Tag::TableRow => self.row_start("", "\n"),
            Tag::TableCell => self.cell_start(),
            _ if self.stack.len() >= MAX_DEPTH => self.flat(tag),
            Tag::Heading { level, .. } => self.heading_start(*level),
            Tag::Paragraph | Tag::HtmlBlock => Frame::Close("\n\n"),
            Tag::BlockQuote(_) => self.open("#quote(block: true)[", "]\n\n"),
            Tag::List(Some(first)) => self.open_owned(format!("#enum(start: {first},\n"), ")\n\n"),
            Tag::List(None) => self.open("#list(\n", ")\n\n"),
            Tag::Item if matches!(self.stack.last(), Some(Frame::FlatList)) => Frame::Close("\n\n"),
            Tag::Item => self.open("[", "],\n"),
            Tag::Emphasis => self.open("#emph[", "]"),
            Tag::Strong => self.open("#strong[", "]"),
            Tag::Strikethrough => self.open("#strike[", "]"),
            Tag::Superscript => self.open("#super[", "]"),
            Tag::Subscript => self.open("#sub[", "]"),
            Tag::Link { dest_url, .. } => self.open_owned(format!("#link({})[", string_literal(dest_url)), "]"),
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => Frame::Close("\n\n"),
        };
        self.stack.push(frame);
    }

    fn end(&mut self, tag: TagEnd) {
        if let Some(table) = self.table_mut() {
            match tag {
                TagEnd::TableCell => {
                    table.in_cell = false;
                    table.column += 1;
                }
                TagEnd::TableHead => table.in_head = false,
                _ => {}
            }
        }
        match self.stack.pop() {
            Some(Frame::Close(close)) => self.out.push_str(close),
            Some(Frame::Flat | Frame::FlatList) => self.out.push_str("\n\n"),
            Some(Frame::CodeBlock { lang, code }) => self.code_block_end(&lang, &code),
            Some(Frame::Image { alt }) => self.image_end(&alt),
            Some(Frame::Table(table)) => self.table_end(table),
            None => {}
        }
    }

    fn open(&mut self, open: &str, close: &'static str) -> Frame {
        self.out.push_str(open);
        Frame::Close(close)
    }

    fn open_owned(&mut self, open: String, close: &'static str) -> Frame {
        self.open(&open, close)
    }

    /// Too deep: keep the content, drop the container.
    fn flat(&mut self, tag: &Tag) -> Frame {
        self.out.push_str("\n\n");
        if matches!(tag, Tag::List(_)) { Frame::FlatList } else { Frame::Flat }
    }

    fn heading_start(&mut self, level: HeadingLevel) -> Frame {
        let level = (level as usize).saturating_sub(self.heading_offset).max(1);
        let open = self.headings.open(level);
        self.open_owned(open, HEADING_CLOSE)
    }

    fn text(&mut self, text: &str) {
        match self.stack.last_mut() {
            Some(Frame::CodeBlock { code, .. }) => code.push_str(text),
            Some(Frame::Image { alt }) => alt.push_str(text),
            _ => self.pending.push_str(text),
        }
    }

    /// Writes the pending text: in a table cell, with break opportunities in the tokens wider
    /// than the cell ([`escape_within`]); elsewhere, as [`escape_run`] does.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        match self.cell_measure() {
            Some((width, bold)) => escape_within(&text, width, bold, &mut self.out),
            None => escape_run(&text, &mut self.run, &mut self.out),
        }
    }

    /// In a table cell: how wide its text may be (ems of the table font), and whether it is bold
    /// (a header cell).
    fn cell_measure(&mut self) -> Option<(f64, bool)> {
        let table = self.table_mut()?;
        table.in_cell.then(|| (table.plan.text_em(table.column), table.in_head))
    }

    fn inline_code(&mut self, code: &str) {
        if let Some(Frame::Image { alt }) = self.stack.last_mut() {
            alt.push_str(code);
            return;
        }
        self.out.push_str("#raw(");
        self.out.push_str(&string_literal(code));
        self.out.push(')');
    }

    /// Raw HTML is not interpreted: comments are dropped, `<br>` breaks the line,
    /// anything else is shown as text.
    fn html(&mut self, html: &str) {
        let trimmed = html.trim();
        if trimmed.starts_with("<!--") && trimmed.ends_with("-->") {
            return;
        }
        let tag = trimmed.to_ascii_lowercase();
        if matches!(tag.as_str(), "<br>" | "<br/>" | "<br />") {
            self.out.push_str("#linebreak()");
            return;
        }
        self.text(html);
    }

    fn code_block_end(&mut self, lang: &str, code: &str) {
        if let Some(chart) = (lang == chart::INFO).then(|| Chart::parse(code)).flatten() {
            // The chart as checked and re-serialised: typst sees only its known fields.
            let json = chart.drawn().to_string();
            self.out.push_str(&format!("#engage-chart({})\n\n", string_literal(&json)));
            self.charts = true;
            return;
        }
        let code = code.strip_suffix('\n').unwrap_or(code);
        self.out.push_str("#raw(block: true, ");
        if !lang.is_empty() {
            self.out.push_str("lang: ");
            self.out.push_str(&string_literal(lang));
            self.out.push_str(", ");
        }
        self.out.push_str(&string_literal(code));
        self.out.push_str(")\n\n");
    }

    /// Images are not loaded (the typesetter reads no files): the alternative text
    /// is shown instead.
    fn image_end(&mut self, alt: &str) {
        self.out.push_str("#emph[");
        escape_text(&format!("[image: {alt}]"), &mut self.out);
        self.out.push(']');
    }

    fn table_start(&mut self, align: &[Alignment]) -> Frame {
        let plan = self.plans.next().expect("every table was planned");
        Frame::Table(Table {
            start: self.out.len(),
            align: align.to_vec(),
            plan,
            column: 0,
            in_cell: false,
            in_head: false,
        })
    }

    fn head_start(&mut self) -> Frame {
        if let Some(table) = self.table_mut() {
            table.in_head = true;
        }
        self.row_start("table.header(", "),\n")
    }

    fn row_start(&mut self, open: &str, close: &'static str) -> Frame {
        if let Some(table) = self.table_mut() {
            table.column = 0;
        }
        self.open(open, close)
    }

    fn table_mut(&mut self) -> Option<&mut Table> {
        self.stack.iter_mut().rev().find_map(|frame| match frame {
            Frame::Table(table) => Some(table),
            _ => None,
        })
    }

    fn cell_start(&mut self) -> Frame {
        if let Some(table) = self.table_mut() {
            table.in_cell = true;
        }
        self.open("[", "], ")
    }

    fn table_end(&mut self, table: Table) {
        let align: Vec<&str> = table.align.iter().map(|a| alignment(*a)).collect();
        let prefix = format!("#table(\ncolumns: {},\nalign: ({},),\n", table.plan.columns(), align.join(", "));
        self.out.insert_str(table.start, &prefix);
        self.out.push_str(")\n\n");
    }
}

fn code_block_start(kind: &CodeBlockKind) -> Frame {
    let lang = match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    };
    Frame::CodeBlock { lang, code: String::new() }
}

fn alignment(align: Alignment) -> &'static str {
    match align {
        Alignment::None | Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
    }
}

/// Writes `text` as typst markup that shows exactly `text`.
///
/// The text is written as typst string literals (`#"…"`, see [`Literals`]), newlines and tabs
/// become spaces and other control characters are dropped. Tokens longer than
/// [`MAX_UNBROKEN`] characters (URLs, hashes) get zero-width break opportunities, preferably
/// after `/`, `-`, `.`, `_`, `?`, `&`, `=`, `,` or `;`, so they wrap instead of running off the
/// page; shorter text is left exactly as typed.
pub fn escape_text(text: &str, out: &mut String) {
    escape_run(text, &mut 0, out);
}

/// [`escape_text`] for text that continues a token: `run` characters of it precede `text`
/// since the last break opportunity, and are counted on.
fn escape_run(text: &str, run: &mut usize, out: &mut String) {
    let mut literals = Literals::new(out);
    escape_tokens(text, &mut literals, |token, literals| match token {
        Some(token) => escape_token(token, run, literals),
        None => *run = 0,
    });
    literals.finish();
}

/// User text in typst markup: runs of it as string literals (`#"…"`), which typst reads as data
/// whatever they hold, and engage's own markup (break opportunities) between them.
///
/// One literal for a run of words rather than markup with its punctuation backslash-escaped:
/// typst evaluates, styles and realizes every word, space and escape of markup as an element of
/// its own, and a literal as one (5% less CPU time over a batch of generated documents, whose
/// PDFs came out byte for byte the same). White space that typst would collapse in markup
/// (spaces, tabs, line breaks) is collapsed here too, and kept outside the literals at their
/// ends, where typst drops it at the start and end of a paragraph.
struct Literals<'a> {
    out: &'a mut String,
    literal: String,
    space: bool,
}

impl<'a> Literals<'a> {
    fn new(out: &'a mut String) -> Self {
        Self { out, literal: String::new(), space: false }
    }

    /// White space: one space, however many there are.
    fn space(&mut self) {
        self.space = true;
    }

    fn push(&mut self, c: char) {
        if std::mem::take(&mut self.space) {
            if self.literal.is_empty() { self.out.push(' ') } else { self.literal.push(' ') }
        }
        self.literal.push(c);
    }

    /// engage's own markup, between pieces of text.
    fn markup(&mut self, markup: &str) {
        self.end_literal();
        if std::mem::take(&mut self.space) {
            self.out.push(' ');
        }
        self.out.push_str(markup);
    }

    fn end_literal(&mut self) {
        if !self.literal.is_empty() {
            self.out.push('#');
            self.out.push_str(&string_literal(&self.literal));
            self.literal.clear();
        }
    }

    fn finish(mut self) {
        self.markup("");
    }
}

/// Hands each run of characters of `text` without white space to `token`, which is also told of
/// each white space (`None`). White space that typst's markup would collapse, and control
/// characters among it, are written as a space; other white space (a no-break space) as itself.
fn escape_tokens(text: &str, out: &mut Literals, mut token: impl FnMut(Option<&[char]>, &mut Literals)) {
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        let end = chars[start..].iter().position(|c| c.is_whitespace()).map_or(chars.len(), |n| start + n);
        if end == start {
            let c = chars[start];
            if c == ' ' || c == '\t' || c.is_control() || typst::syntax::is_newline(c) {
                out.space();
            } else {
                out.push(c);
            }
            token(None, out);
            start += 1;
            continue;
        }
        token(Some(&chars[start..end]), out);
        start = end;
    }
}

/// [`escape_text`] for the text of a table cell `width` ems of the table font wide (bold in the
/// header row). A token that fits is written as typed. A wider one gets a break opportunity before
/// each `@`, `.` and `_` and after each `/` and `-` (not at its ends), and the pieces between them
/// that are still wider than the cell get one wherever they reach its width, so that typst breaks
/// the token at its punctuation first, then anywhere, and never past the cell.
fn escape_within(text: &str, width: f64, bold: bool, out: &mut String) {
    let mut literals = Literals::new(out);
    escape_tokens(text, &mut literals, |token, out| {
        let Some(token) = token else { return };
        let token: Vec<char> = token.iter().copied().filter(|c| !c.is_control()).collect();
        let ems: Vec<f64> = token.iter().map(|&c| columns::char_em(c, bold)).collect();
        if ems.iter().sum::<f64>() <= width {
            token.iter().for_each(|&c| out.push(c));
            return;
        }
        let mut piece = 0.0;
        for (i, (&c, &em)) in token.iter().zip(&ems).enumerate() {
            let before = i > 0 && matches!(c, '@' | '.' | '_') && !matches!(token[i - 1], '@' | '.' | '_');
            let after = i > 0 && matches!(token[i - 1], '/' | '-') && !matches!(c, '/' | '-');
            if before || after || (i > 0 && piece + em > width) {
                out.markup(BREAK);
                piece = 0.0;
            }
            out.push(c);
            piece += em;
        }
    });
    literals.finish();
}

/// One run of characters without white space. A token that gets break opportunities is not
/// hyphenated as well: it breaks only where they are, and adds nothing to the text.
fn escape_token(token: &[char], run: &mut usize, out: &mut Literals) {
    let mut pieces = vec![String::new()];
    for &c in token.iter().filter(|c| !c.is_control()) {
        pieces.last_mut().expect("one piece at least").push(c);
        *run += 1;
        let soft_break = *run >= MAX_UNBROKEN / 3 && "/-._?&=,;@".contains(c);
        if soft_break || *run >= MAX_UNBROKEN {
            pieces.push(String::new());
            *run = 0;
        }
    }
    if let [piece] = pieces.as_slice() {
        piece.chars().for_each(|c| out.push(c));
        return;
    }
    out.markup(UNHYPHENATED);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.markup(BREAK);
        }
        piece.chars().for_each(|c| out.push(c));
    }
    out.markup("]");
}

/// A typst string literal (`"…"`) whose value is exactly `text`.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::to_typst;

    /// The numbers written into the headings of a body, in order.
    fn numbers(markdown: &str) -> Vec<String> {
        let typst = to_typst(markdown, "Title");
        typst
            .split("#heading(level: ")
            .skip(1)
            .map(|h| h.split_once('[').unwrap().1.split('#').next().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn headings_are_numbered_as_typst_would() {
        let markdown = "# Title\n\n## Scope\n\n### In\n\n### Out\n\n## Plan\n\n#### Deep\n\n## Fees\n";
        assert_eq!(numbers(markdown), ["1", "1.1", "1.2", "2", "2.1.1", "3"]);
        assert!(
            to_typst("## Scope *now*\n", "T").contains(r##"#heading(level: 1)[1#h(0.3em)#"Scope" #emph[#"now"]]"##)
        );
    }
}
